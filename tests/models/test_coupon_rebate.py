from decimal import Decimal

import numpy as np
import pytest
from pydantic import ValidationError

import bizmodels as bm
from bizmodels._types import json_schema
from bizmodels.market import Market
from bizmodels.models import MODELS, VARIANTS
from bizmodels.models.coupon_rebate import CouponRebate


@pytest.fixture
def fields(round_market, round_overheads):
    return {
        "market": round_market,
        "reach": Decimal("0.5"),
        "conversion": Decimal("0.5"),
        "coupon_discount": Decimal("0.2"),
        "platform_commission_rate": Decimal("0.25"),
        "shared_share": Decimal("0.5"),
        "rebate_rate": Decimal("0.4"),
        **round_overheads,
    }


def test_round_scenario_by_hand(fields):
    model = CouponRebate(**fields)
    # users 1000 × 0.5 = 500, buying 500 × 12 × 0.5 = 3,000 coupon orders
    # goods at 100 × (1 − 0.2) = 80 paid; commission 80 × 0.25 = 20 per order
    # GMV (the brand's commission) 3,000 × 20 = 60,000; refunds 6,000; net sales 54,000
    # VAT 54,000 / 5 = 10,800; net revenue 43,200; no goods: cogs 0, gross 43,200
    # rebates: 54,000 × 0.5 shared × 0.4 passed back = 10,800
    # payment 540; fulfilment 0 (nothing ships)
    # contribution 43,200 − 10,800 − 540 = 31,860
    # acquisition 500 × 10 = 5,000; marketing 1,200; fixed 12,000
    # operating profit 31,860 − 18,200 = 13,660
    expected = {
        "gmv": 60_000,
        "refunds": 6_000,
        "net_sales": 54_000,
        "vat": 10_800,
        "net_revenue": 43_200,
        "cogs": 0,
        "gross_profit": 43_200,
        "sharer_rebates": 10_800,
        "payment_fees": 540,
        "fulfilment": 0,
        "contribution_margin": 31_860,
        "acquisition": 5_000,
        "marketing": 1_200,
        "fixed_costs": 12_000,
        "operating_profit": 13_660,
    }
    assert model.waterfall().to_dict() == {k: Decimal(v) for k, v in expected.items()}
    assert model.customers() == 500
    assert model.orders() == 3000  # every coupon order earns one commission
    # the goods' own GMV is the platform's: 60,000 / (0.25 × 0.8) = 300,000 = 3,000 × 100
    assert model.gmv_by_segment()["commissions"] / (Decimal("0.25") * Decimal("0.8")) == 300_000
    assert model.unit_waterfall()["gmv"].amount == 20


def test_goods_cost_and_fulfilment_of_the_market_are_not_used(fields):
    other = Market(**{**dict(fields["market"]), "unit_cost": 90, "fulfilment_cost": 50})
    moved = CouponRebate(**{**fields, "market": other})
    assert moved.waterfall().to_dict() == CouponRebate(**fields).waterfall().to_dict()


def test_service_vat_on_a_market_of_its_own(fields):
    # commission income is a service: at the 6% service rate, VAT 54,000 × 0.06 / 1.06,
    # whatever the rate on goods
    tax = fields["market"].tax.model_copy(update={"service_rate": Decimal("0.06")})
    market = Market(**{**dict(fields["market"]), "tax": tax})
    model = CouponRebate(**{**fields, "market": market})
    assert model.waterfall()["vat"].amount == Decimal("3056.60")  # 3,056.603…


def test_is_a_variant():
    assert VARIANTS["coupon_rebate"] is CouponRebate
    assert "coupon_rebate" not in MODELS
    assert CouponRebate.seed == "002"
    assert "002_f13a0cfa10d43761.txt" in (CouponRebate.__doc__ or "")


def test_defaults_are_assumptions():
    # seed 002 describes 導購返傭 but gives no rate
    schema = json_schema(CouponRebate)
    own = set(CouponRebate.model_fields) - set(bm.BusinessModel.model_fields)
    assert {schema["properties"][f]["source"].split(":")[0] for f in own} == {"assumption"}


def test_sweep_equals_exact_models(fields):
    model = CouponRebate(**fields)
    values = [Decimal("0.05"), Decimal("0.1"), Decimal("0.3")]
    swept = bm.sweep(model, platform_commission_rate=np.array([float(v) for v in values]))
    for i, value in enumerate(values):
        exact = CouponRebate(**{**fields, "platform_commission_rate": value})
        for line in exact.pnl_lines():
            assert swept[line.key][i] == pytest.approx(float(line.value), rel=1e-9), line.key


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("platform_commission_rate", 1.5, "less than or equal to 1"),
        ("rebate_rate", -0.1, "greater than or equal to 0"),
        ("goods_gmv", 1, "Extra inputs are not permitted"),
    ],
)
def test_bad_fields(field, value, message):
    with pytest.raises(ValidationError, match=message) as info:
        CouponRebate(**{field: value})
    assert info.value.title == "CouponRebate"
    assert info.value.errors()[0]["loc"] == (field,)


def test_the_shared_market_check_still_runs():
    with pytest.raises(
        ValidationError,
        match=r"coupon_rebate: unit cost above price \(market.unit_cost = 300, "
        r"market.price = 199\)",
    ):
        CouponRebate(market=Market(unit_cost=300))
