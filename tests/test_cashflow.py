from decimal import Decimal

import numpy as np
import pytest
from pydantic import ValidationError

import bizmodels as bm
from bizmodels._limits import SizeError
from bizmodels.cashflow import MAX_MONTHS, MAX_SPAN, life_profile


def exact(model):
    return {line.key: line.value for line in model.pnl_lines()}


def waterfall(model):
    return model.waterfall().to_dict()


@pytest.mark.parametrize("slug", list(bm.MODELS))
def test_cash_flows_sum_back_to_the_lifetime_waterfall_to_the_fen(slug):
    model = bm.get_model(slug, retention="0.9")
    flows = model.cash_flows(acquisition=[1, 2, 1])
    lines = waterfall(model)
    for line in flows.lines:
        assert line.total == lines[line.key], line.key
        assert all(a == a.quantize(Decimal("0.01")) for a in line.amounts), line.key
    # cash in less cash out over the horizon is the waterfall's operating profit, to the fen
    net = sum((line.sign * line.total for line in flows.lines), Decimal(0))
    assert net == lines["operating_profit"]


def test_a_line_whose_waterfall_amount_is_a_rounded_half_fen(round_membership):
    # issue 11: fixed costs 6,022.35 a period over 13.9 periods are 83,710.665 yuan, 83,710.67
    # in the waterfall; the schedule used to spread 83,710.665 over 14 equal months, which
    # summed to 83,710.66499… and rounded to a different fen. Now a period's cost falls in
    # each month and the last, partial month gets 0.9 of it: the running totals of
    # 83,710.67 × k / 13.9 rounded to the fen are 6,022.35 × k for k = 1 … 13 (the fen
    # fractions, 0.35036 × k, stay below a half), so months 0-12 get 6,022.35 each, and
    # month 13 gets the rest: 83,710.67 − 13 × 6,022.35 = 5,420.12 (0.9 × 6,022.35 = 5,420.115
    # plus the half fen the waterfall rounded up).
    model = round_membership(fixed_per_period=Decimal("6022.35"), lifetime=Decimal("13.9"))
    assert waterfall(model)["fixed_costs"] == Decimal("83710.67")
    fixed = model.cash_flows()["fixed_costs"]
    assert fixed.amounts[:13] == (Decimal("6022.35"),) * 13
    assert fixed.amounts[13] == Decimal("5420.12")
    assert all(a == 0 for a in fixed.amounts[14:])
    assert fixed.total == Decimal("83710.67")


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
    # member benefits (100 × 1 × 2 = 200) follow the sales, a month late, in whole fen:
    # 200 × 13,050 / 24,300 = 107.4074… → 107.41 in month 1, the other 92.59 in month 2
    assert flows["member_benefits"].amounts == (0, Decimal("107.41"), Decimal("92.59"))
    # acquisition 500 × 10 when won; fixed 1,000 a month over the lifetime
    assert flows["acquisition"].amounts == (5_000, 0, 0)
    assert flows["fixed_costs"].amounts == (1_000, 1_000, 0)


def test_a_short_horizon_cuts_the_lines(round_membership):
    # lifetime 12: fixed costs 1,000 a month; six months hold 6,000 of the 12,000. Orders:
    # buyers 400 × 12 × 0.2 × 100 = 96,000 and members 100 × 12 × 0.5 × 90 = 54,000, net of
    # 10% refunds 135,000 flat over 12 months (11,250 a month); the year's fee 100 × 120 net
    # 10,800 in month 0. Six months: 10,800 + 6 × 11,250 = 78,300
    model = round_membership()
    flows = model.cash_flows(months=6)
    assert flows["fixed_costs"].amounts == (1_000,) * 6
    assert flows["fixed_costs"].total == 6_000
    assert flows["net_sales"].amounts == (22_050, *(11_250,) * 5)
    assert flows["net_sales"].total == 78_300


def test_help_fund_freezes_part_of_direct_and_peer():
    model = bm.get_model("tob_recruitment", plan=bm.plans.liandong_699())
    flows = model.cash_flows(commission_lag=1, release_lag=6)
    direct = waterfall(model)["direct"]
    # entry packages are bought in month 0: 80% of direct is paid in month 1, the 20% the
    # help fund froze in month 7, nothing else (152,000 → 121,600 and 30,400)
    assert direct == 152_000
    amounts = flows["direct"].amounts
    assert amounts[1] == 121_600 and amounts[7] == 30_400
    assert sum(amounts) == direct
    # the see-point reward is never frozen
    assert flows["see_point"].amounts[1] == waterfall(model)["see_point"]


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
        ({"months": "12"}, "months must be a whole number ≥ 1, got '12'"),
        ({"months": float("inf")}, "months must be a whole number ≥ 1, got inf"),
        ({"months": float("nan")}, "months must be a whole number ≥ 1, got nan"),
        ({"months": True}, "months must be a whole number ≥ 1, got True"),
        ({"commission_lag": -1}, "commission_lag must be a whole number ≥ 0"),
        ({"vat_lag": 1.5}, "vat_lag must be a whole number ≥ 0, got 1.5"),
        ({"acquisition": [0, 0]}, "acquisition must be non-negative weights"),
        ({"acquisition": []}, "acquisition must be non-negative weights"),
        ({"acquisition": [1, -1]}, r"acquisition\[1\] = -1: must be a finite number from 0"),
        ({"acquisition": [1, float("nan")]}, r"acquisition\[1\] must be a finite number, got nan"),
        ({"acquisition": [1, 1e16]}, r"acquisition\[1\] = 1e\+16: .* from 0 to 1e\+15"),
        ({"acquisition": "111"}, "acquisition must be a sequence .* got the string '111'"),
        ({"acquisition": 3}, "acquisition must be a sequence of numbers, one per month"),
        ({"acquisition": {0: 1}}, "acquisition must be a sequence .* got dict"),
        ({"acquisition": {1, 2}}, "acquisition must be a sequence .* got set"),
        ({"acquisition": (w for w in [1, 2])}, "acquisition must be a sequence .* generator"),
        ({"acquisition": np.ones((2, 2))}, "acquisition must be a sequence .* got ndarray"),
        ({"acquisition": [[1], [2]]}, r"acquisition\[0\] must be a number, got \[1\]"),
        ({"acquisition": [True]}, r"acquisition\[0\] must be a number, got True"),
        ({"setup": -5}, "setup must be an amount of yuan from 0 to 10,000,000,000,000"),
        ({"setup": "0.005"}, "setup must .* in whole fen .* got '0.005'"),
        ({"setup": 10**13 + 1}, "setup must be an amount of yuan from 0 to 10,000,000,000,000"),
        ({"price_index": "123"}, "price_index must be a sequence .* got the string '123'"),
        ({"price_index": b"12"}, "price_index must be a sequence .* got the string b'12'"),
        ({"conversion_index": 0.9}, "conversion_index must be a sequence .* got float 0.9"),
        ({"price_index": [1, -1]}, r"price_index\[1\] = -1: must be a finite number from 0 to"),
        ({"price_index": [1, 1001]}, r"price_index\[1\] = 1001: .* from 0 to 1000"),
        ({"price_index": [1, "x"]}, r"price_index\[1\] must be a number, got 'x'"),
        ({"price_index": [1, None]}, r"price_index\[1\] must be a number, got None"),
    ],
)
def test_bad_schedules(kwargs, message):
    with pytest.raises(ValueError, match=message) as caught:
        bm.get_model("toc_membership").cash_flows(**kwargs)
    assert str(caught.value).startswith("toc_membership: ")


@pytest.mark.parametrize(
    ("retention", "message"),
    [
        ("1.5", "less than or equal to 1"),
        (-0.1, "greater than or equal to 0"),
        (float("nan"), "finite number"),
        ("abc", "valid decimal"),
    ],
)
def test_a_bad_retention_is_refused_by_the_model(retention, message):
    # cash_flows(retention=r) is the same model built with retention r: its own refusal
    with pytest.raises(ValidationError, match=message) as caught:
        bm.get_model("toc_membership").cash_flows(retention=retention)
    assert caught.value.errors()[0]["loc"] == ("retention",)


def test_cash_flows_with_a_retention_are_the_model_built_with_it():
    built = bm.get_model("toc_membership", retention="0.9")
    assert (
        bm.get_model("toc_membership").cash_flows(retention="0.9").lines == built.cash_flows().lines
    )


def test_a_masked_array_is_refused_not_read():
    # numpy would hand over the masked month's hidden value: refuse rather than use it
    index = np.ma.masked_array([1.0, 0.5, 1.0], mask=[False, True, False])
    with pytest.raises(ValueError, match="price_index is a masked array"):
        bm.get_model("toc_membership").cash_flows(price_index=index)


def test_arrays_and_numpy_numbers_are_read_as_their_values(round_membership):
    model = round_membership(lifetime=2)
    listed = model.cash_flows(acquisition=[1, 3], price_index=[1, "0.9"])
    arrays = model.cash_flows(acquisition=np.array([1, 3]), price_index=np.array([1, 0.9]))
    scalars = model.cash_flows(acquisition=[np.int64(1), np.float64(3)], retention=np.float64(1))
    assert arrays.lines == listed.lines
    assert scalars.lines == model.cash_flows(acquisition=[1, 3]).lines


def test_limits_of_the_horizon(monkeypatch):
    model = bm.get_model("toc_membership")
    # at the limits: 4,800 months; lags and acquisition of 1,200 months
    assert model.cash_flows(months=MAX_MONTHS).months == 4_800
    assert model.cash_flows(commission_lag=MAX_SPAN, vat_lag=MAX_SPAN).months == 12 + 1_200
    assert model.cash_flows(acquisition=[1] * MAX_SPAN).months == 1_200 + 12
    # one step past them
    with pytest.raises(ValueError, match="months = 4801: at most 4,800 months"):
        model.cash_flows(months=MAX_MONTHS + 1)
    with pytest.raises(ValueError, match="vat_lag = 1201: at most 1,200 months"):
        model.cash_flows(vat_lag=MAX_SPAN + 1)
    with pytest.raises(ValueError, match="acquisition has 1,201 months; at most 1,200"):
        model.cash_flows(acquisition=[1] * (MAX_SPAN + 1))
    with pytest.raises(ValueError, match="price_index has 4,801 months; at most 4,800"):
        model.cash_flows(price_index=[1] * (MAX_MONTHS + 1))
    with pytest.raises(SizeError, match="months = 100000000: at most 4,800 months"):
        model.cash_flows(months=10**8)
    # below the maximum, a horizon that would not fit in memory is refused by its size,
    # before anything is made: 4,800 months × 32 lines × 256 bytes = 39 MB
    monkeypatch.setenv("BIZMODELS_MEMORY_LIMIT", str(10**6))
    with pytest.raises(SizeError, match="months = 4800 needs about 39 MB of memory"):
        model.cash_flows(months=MAX_MONTHS)
    # the default horizon is checked too: 13 months × (15 P&L lines + 2) × 256 bytes = 57 kB
    monkeypatch.setenv("BIZMODELS_MEMORY_LIMIT", str(30_000))
    with pytest.raises(SizeError) as caught:
        model.cash_flows()
    assert str(caught.value) == (
        "the default horizon of 13 months (lifetimes up to 12 months, acquisition over 1 "
        "month, lags up to 1 month) needs about 57 kB of memory; this machine has 30 kB"
    )


def test_the_longest_lifetime_fits_the_default_horizon():
    # a lifetime of 1,200 months (the models' bound) with commissions a month late
    model = bm.get_model("toc_membership", lifetime=MAX_SPAN)
    flows = model.cash_flows()
    assert flows.months == 1_201
    assert flows.totals()["fixed_costs"] == model.waterfall().to_dict()["fixed_costs"]


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
    assert moved["net_sales"].amounts[:2] == (13_050, Decimal("15187.50"))
    assert moved["cogs"].amounts[1] == base["cogs"].amounts[1] * Decimal("1.5")
    assert moved["fixed_costs"].amounts == base["fixed_costs"].amounts
    # months past the index keep 1: an index of ones is no index
    assert model.cash_flows(price_index=[1, 1, 1]).lines == base.lines
