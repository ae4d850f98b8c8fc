import re
from decimal import Decimal

import numpy as np
import pytest
from pydantic import ValidationError

import bizmodels as bm
from bizmodels.models.tob_online import TobOnline


def round_model(round_market, round_overheads, **fields):
    values = {
        "stocking_share": Decimal("0.5"),
        "dealer_share": Decimal("0.02"),
        "end_customers_per_dealer": 10,
        "conversion": Decimal("0.2"),
        "price_differential": Decimal("0.3"),
        "unsold_share": Decimal("0.2"),
        "bulk_fulfilment_share": Decimal("0.2"),
        "settled_commission": Decimal("0.1"),
        **round_overheads,
        "acquisition_cost": 50,  # per dealer
        **fields,
    }
    return TobOnline(market=round_market, **values)


def test_round_scenario_by_hand(round_market, round_overheads):
    model = round_model(round_market, round_overheads)
    # dealers 1000 × 0.02 = 20, serving 20 × 10 = 200 end customers; half stock, half share
    # stocking: 100 × 12 × 0.2 = 240 end orders, bought at 100 × 0.7 = 70: 16,800
    # dealer stock: on hand a period's sales / 0.8, held 0.2 of it, bought once:
    #   100 × 1 × (0.2 × 0.2 / 0.8 = 0.05) = 5 orders' worth × 70 = 350
    # link sharing: 100 × 12 × 0.2 = 240 orders × 100 = 24,000
    # GMV 41,150; refunds 4,115; net sales 37,035; VAT 37,035 / 5 = 7,407
    # net revenue 29,628; net orders 216 + 4.5 + 216 = 436.5 × 40 = 17,460; gross 12,168
    # settled commissions 21,600 × 0.1 = 2,160; payment fees 370.35
    # fulfilment (216 + 4.5) × 10 × 0.2 = 441 in bulk + 216 × 10 = 2,160: 2,601
    # contribution 12,168 − 2,160 − 370.35 − 2,601 = 7,036.65
    # dealer recruitment 20 × 50 = 1,000; marketing 1,200; fixed 12,000
    # operating profit 7,036.65 − 14,200 = −7,163.35
    expected = {
        "gmv": "41150",
        "refunds": "4115",
        "net_sales": "37035",
        "vat": "7407",
        "net_revenue": "29628",
        "cogs": "17460",
        "gross_profit": "12168",
        "settled_commissions": "2160",
        "payment_fees": "370.35",
        "fulfilment": "2601",
        "contribution_margin": "7036.65",
        "acquisition": "1000",
        "marketing": "1200",
        "fixed_costs": "12000",
        "operating_profit": "-7163.35",
    }
    assert model.waterfall().to_dict() == {k: Decimal(v) for k, v in expected.items()}
    assert model.customers() == 200  # end customers; the held stock is no one
    assert model.orders() == 485  # 240 + 5 + 240, in end orders' worth
    assert model.gmv_by_segment() == {
        "stocking": 16_800,
        "dealer_stock": 350,
        "link_sharing": 24_000,
    }


def test_the_two_variants_at_the_ends_of_the_mix(round_market, round_overheads):
    # all stocking: nothing is settled as commission, every order ships in bulk
    stocking = round_model(round_market, round_overheads, stocking_share=1).waterfall()
    assert stocking["settled_commissions"].amount == 0
    # 200 × 12 × 0.2 = 480 + 200 × 0.05 = 10: 490 orders' worth × 70 = 34,300
    assert stocking.start == 34_300
    # all link sharing: the list price, no dealer stock
    sharing = round_model(round_market, round_overheads, stocking_share=0)
    assert sharing.waterfall().start == 48_000  # 200 × 12 × 0.2 × 100
    assert sharing.gmv_by_segment()["dealer_stock"] == 0


def test_sweep_of_the_mix_equals_exact_models(round_market, round_overheads):
    model = round_model(round_market, round_overheads)
    shares = [Decimal(0), Decimal("0.25"), Decimal(1)]
    swept = bm.sweep(model, stocking_share=np.array([float(s) for s in shares]))
    for i, share in enumerate(shares):
        exact = round_model(round_market, round_overheads, stocking_share=share)
        for line in exact.pnl_lines():
            assert swept[line.key][i] == pytest.approx(float(line.value), rel=1e-12, abs=1e-9)


def test_defaults_are_assumptions():
    schema = TobOnline.model_json_schema()
    for name in ("stocking_share", "unsold_share", "settled_commission", "acquisition_cost"):
        assert schema["properties"][name]["source"] == "assumption"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("stocking_share", 1.5, "less than or equal to 1"),
        ("end_customers_per_dealer", -1, "greater than or equal to 0"),
        ("bogus", 1, "Extra inputs are not permitted"),
    ],
)
def test_bad_fields(field, value, message):
    with pytest.raises(ValidationError, match=message) as info:
        TobOnline(**{field: value})
    assert info.value.title == "TobOnline"
    assert info.value.errors()[0]["loc"] == (field,)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"price_differential": Decimal("0.7")},
            (
                "tob_online: wholesale price below unit cost "
                "(price_differential = 0.7, market.price = 100, market.unit_cost = 40)"
            ),
        ),
        (
            {"unsold_share": 1},
            (
                "tob_online: unsold share must be below 1: dealers would never sell through "
                "(unsold_share = 1)"
            ),
        ),
        (
            {"dealer_share": Decimal("0.1"), "end_customers_per_dealer": 10},
            (
                "tob_online: dealers and their end customers exceed the market's customers "
                "(dealer_share = 0.1, end_customers_per_dealer = 10)"
            ),
        ),
    ],
)
def test_cross_field_checks(round_market, fields, message):
    with pytest.raises(ValidationError, match=re.escape(message)):
        TobOnline(market=round_market, **fields)


def test_unsold_share_of_one_is_refused_before_dividing():
    with pytest.raises(ValueError, match=r"unsold share must be below 1.* at index 1"):
        bm.sweep(TobOnline(), unsold_share=np.array([0.5, 1.0]))


# -- stock held by dealers (issue 15): one reading of sell-through for every to-B model


def test_sell_through_follows_from_the_unsold_share():
    m = TobOnline(lifetime=1)
    # a period's sales s, on hand s / 0.85, held 0.15 × s / 0.85: bought s / 0.85, of which
    # s sold through: sell-through 0.85
    assert round(m.channel_sell_through(), 20) == Decimal("0.85")
    # stocked customers 10,000 × 0.01 × 30 × 0.5 = 1,500; held 1,500 × 0.2 × 0.15 / 0.85
    # orders × 129.35 (199 × 0.65) × 0.95 = 6,505.544…: the stock bought once
    assert round(m.channel_stock(), 2) == Decimal("6505.54")
    assert round(m.channel_stock() - m.gmv_by_segment()["dealer_stock"] * Decimal("0.95"), 20) == 0


def test_no_stocking_dealers_hold_no_stock():
    m = TobOnline(stocking_share=0)
    assert m.channel_sell_through() == 1
    assert m.channel_stock() == 0


def test_memo_stock_is_bought_when_the_dealers_are_won():
    m = TobOnline()
    flows = m.cash_flows(acquisition=[1, 1])
    memo = {line.key: line.amounts for line in flows.memo}
    # the stock bought once, 6,505.544… in all, half with each month's dealers:
    # 3,252.77 by month 0, 6,505.54 from month 1 on
    assert memo["channel_stock"][:3] == (Decimal("3252.77"), Decimal("6505.54"), Decimal("6505.54"))
    assert memo["channel_stock"][-1] == round(m.channel_stock(), 2)
    # every month: purchases − sold through = the change in stock
    before = Decimal(0)
    for bought, sold, level in zip(
        *(memo[k] for k in ("dealer_purchases", "sold_through", "channel_stock")), strict=True
    ):
        assert bought - sold == level - before
        before = level
    # the purchases add up to the lifetime's: 1,500 stocked customers × 12 × 0.2 × 129.35 ×
    # 0.95 = 442,377 sold through, plus the 6,505.54 held: 448,882.54
    assert sum(memo["dealer_purchases"]) == round(m.dealer_purchases(), 2)
