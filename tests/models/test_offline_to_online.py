from decimal import Decimal

import numpy as np
import pytest
from pydantic import ValidationError

import bizmodels as bm
from bizmodels.models.offline_to_online import OfflineToOnline

ROUND = {
    "lead_share": Decimal("0.5"),
    "lead_conversion": Decimal("0.4"),
    "cost_per_lead": 2,
    "repurchase_rate": Decimal("0.25"),
    "coupon_value": 10,
    "coupon_redemption": Decimal("0.5"),
    "alliance_share": Decimal("0.5"),
    "alliance_commission_rate": Decimal("0.1"),
}


def test_round_scenario_by_hand(round_market, round_overheads):
    model = OfflineToOnline(market=round_market, **ROUND, **round_overheads)
    # leads 1000 × 0.5 = 500; customers 500 × 0.4 = 200
    # first orders: 200 × 100 = 20,000; repeat: 200 × (12 − 1) × 0.25 = 550 orders = 55,000
    # GMV 75,000; refunds 7,500; net sales 67,500; VAT 67,500 / 5 = 13,500
    # net revenue 54,000; goods (180 + 495 = 675 net orders) × 40 = 27,000; gross 27,000
    # coupons 180 net first orders × 0.5 × 10 = 900
    # alliance commission 67,500 × 0.5 × 0.1 = 3,375
    # payment 675; fulfilment 675 × 10 = 6,750
    # contribution 27,000 − 900 − 3,375 − 675 − 6,750 = 15,300
    # leads not from alliances 500 × 0.5 = 250 × 2 = 500 (replaces the per-customer cost)
    # marketing 1,200; fixed 12,000; operating profit 15,300 − 13,700 = 1,600
    expected = {
        "gmv": 75_000,
        "refunds": 7_500,
        "net_sales": 67_500,
        "vat": 13_500,
        "net_revenue": 54_000,
        "cogs": 27_000,
        "gross_profit": 27_000,
        "coupons": 900,
        "alliance_commissions": 3_375,
        "payment_fees": 675,
        "fulfilment": 6_750,
        "contribution_margin": 15_300,
        "lead_costs": 500,
        "marketing": 1_200,
        "fixed_costs": 12_000,
        "operating_profit": 1_600,
    }
    assert model.waterfall().to_dict() == {k: Decimal(v) for k, v in expected.items()}
    assert model.customers() == 200
    assert model.orders() == 750  # 200 first + 550 repeat
    assert model.gmv_by_segment() == {"first_orders": 20_000, "repeat_orders": 55_000}


def test_sweep_runs_the_same_declarations(round_market, round_overheads):
    model = OfflineToOnline(market=round_market, **ROUND, **round_overheads)
    swept = bm.sweep(model, cost_per_lead=np.array([2.0, 6.0]))
    # 250 ground leads × 6 = 1,500: operating profit 1,600 − 1,000 = 600
    assert swept["operating_profit"] == pytest.approx([1_600, 600], rel=1e-12)


def test_defaults_cite_their_source():
    schema = OfflineToOnline.model_json_schema()["properties"]
    assert all(schema[name]["source"] == "assumption" for name in ROUND)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("alliance_share", 1.5, "less than or equal to 1"),
        ("cost_per_lead", -1, "greater than or equal to 0"),
        ("bogus", 1, "Extra inputs are not permitted"),
    ],
)
def test_bad_fields(field, value, message):
    with pytest.raises(ValidationError, match=message) as info:
        OfflineToOnline(**{field: value})
    assert info.value.title == "OfflineToOnline"
    assert info.value.errors()[0]["loc"] == (field,)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"coupon_value": 150},
            (
                "offline_to_online: coupon worth more than the list price "
                "(coupon_value = 150, market.price = 100)"
            ),
        ),
        (
            {"lifetime": Decimal("0.5")},
            "offline_to_online: lifetime shorter than the first order's period (lifetime = 0.5)",
        ),
    ],
)
def test_cross_field_checks(round_market, values, message):
    with pytest.raises(ValidationError) as info:
        OfflineToOnline(market=round_market, **values)
    assert info.value.errors()[0]["msg"] == f"Value error, {message}"


def test_unit_cost_above_price_is_refused(round_market):
    market = round_market.model_copy(update={"unit_cost": Decimal(120)})
    with pytest.raises(ValidationError, match=r"unit cost above price \(market.unit_cost = 120"):
        OfflineToOnline(market=market)
