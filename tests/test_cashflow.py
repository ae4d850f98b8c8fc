from decimal import Decimal

import pytest

import bizmodels as bm
from bizmodels.cashflow import life_profile


def exact(model):
    return {line.key: line.value for line in model.pnl_lines()}


@pytest.mark.parametrize("slug", list(bm.MODELS))
def test_cash_flows_sum_back_to_the_lifetime_waterfall(slug):
    model = bm.get_model(slug)
    flows = model.cash_flows(acquisition=[1, 2, 1], retention="0.9")
    lines = exact(model)
    for key, total in flows.totals().items():
        assert abs(total - lines[key]) < Decimal("1e-15"), key
    # net cash over the horizon is the operating profit
    assert float(sum(flows.net)) == pytest.approx(float(lines["operating_profit"]), rel=1e-12)


def test_a_small_schedule_by_hand(round_membership):
    # toc_membership round scenario (tests/models/test_toc_membership.py), lifetime 2:
    # all customers won in month 0, orders flat over months 0 and 1, commissions a month late
    model = round_membership(lifetime=2)
    flows = model.cash_flows()
    # by hand, lifetime 2: buyers 400 × 2 × 0.2 = 160 orders × 100 = 16,000; members
    # 100 × 2 × 0.5 = 100 × 90 = 9,000, both flat over months 0 and 1; fees
    # 100 × 2/12 × 120 = 2,000 in month 0 (a fee lives one partial period). Net of 10%
    # refunds: month 0 = (14,400 + 8,100) / 2 + 1,800 = 13,050; month 1 = 11,250.
    assert flows.months == 3  # two months of orders, then VAT and commissions of month 1
    assert flows["net_sales"].amounts == (13_050, 11_250, 0)
    # VAT is a fifth of net sales, a month late
    assert flows["vat"].amounts == (0, 2_610, 2_250)
    # member benefits (100 × 1 × 2 = 200) follow the sales, a month late
    benefits = flows["member_benefits"].amounts
    assert benefits[0] == 0 and sum(benefits) == 200
    assert benefits[1] / benefits[2] == Decimal(13_050) / Decimal(11_250)
    # acquisition 500 × 10 when won; fixed 1,000 a month over the lifetime
    assert flows["acquisition"].amounts == (5_000, 0, 0)
    assert flows["fixed_costs"].amounts == (1_000, 1_000, 0)


def test_help_fund_freezes_part_of_direct_and_peer():
    model = bm.get_model("tob_recruitment", plan=bm.plans.liandong_699())
    flows = model.cash_flows(commission_lag=1, release_lag=6)
    direct = exact(model)["direct"]
    # entry packages are bought in month 0: 80% of direct is paid in month 1, the 20% the
    # help fund froze in month 7, nothing else
    amounts = flows["direct"].amounts
    assert amounts[1] == direct * Decimal("0.8") and amounts[7] == direct * Decimal("0.2")
    assert sum(amounts) == direct
    # the see-point reward is never frozen
    assert flows["see_point"].amounts[1] == exact(model)["see_point"]


def test_setup_and_horizon():
    model = bm.get_model("toc_membership")
    flows = model.cash_flows(setup=100_000, months=6)
    assert flows["setup"].amounts[0] == 100_000 and flows.months == 6
    assert flows.net[0] < 0
    assert len(flows.to_records()) == 6 and "month" in flows.to_table()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"months": 0}, "months must be a whole number ≥ 1, got 0"),
        ({"commission_lag": -1}, "commission_lag must be a whole number ≥ 0"),
        ({"acquisition": [0, 0]}, "acquisition must be non-negative weights"),
        ({"acquisition": [1, -1]}, "acquisition must be non-negative weights"),
        ({"retention": 0}, r"retention must be in \(0, 1\]"),
        ({"setup": -5}, "setup must be an amount ≥ 0"),
    ],
)
def test_bad_schedules(kwargs, message):
    with pytest.raises(ValueError, match=message):
        bm.get_model("toc_membership").cash_flows(**kwargs)


def test_life_profile_by_hand():
    # lifetime 2.5: weights 1, 1, 0.5 → 0.4, 0.4, 0.2
    assert life_profile(Decimal("2.5")) == [Decimal("0.4"), Decimal("0.4"), Decimal("0.2")]
    with pytest.raises(ValueError, match="lifetime must be positive"):
        life_profile(Decimal(0))


def test_price_and_conversion_per_month(round_membership):
    # the lifetime-2 round scenario: month 0 sells 13,050 net (fees included), month 1
    # 11,250. A 10% price cut in month 1 and conversion up by half in month 1:
    # month 1 sales 11,250 × 0.9 × 1.5 = 15,187.5; goods in month 1 scale by 1.5 only
    model = round_membership(lifetime=2)
    base = model.cash_flows()
    moved = model.cash_flows(price_index=[1, "0.9"], conversion_index=[1, "1.5"])
    assert moved["net_sales"].amounts[:2] == (13_050, Decimal("15187.5"))
    assert moved["cogs"].amounts[1] == base["cogs"].amounts[1] * Decimal("1.5")
    assert moved["fixed_costs"].amounts == base["fixed_costs"].amounts
    with pytest.raises(ValueError, match=r"price_index\[1\] = -1: must be a finite number ≥ 0"):
        model.cash_flows(price_index=[1, -1])
