from decimal import Decimal

import numpy as np
import pytest
from pydantic import ValidationError

import bizmodels as bm
from bizmodels._types import json_schema
from bizmodels.compliance import risk_level
from bizmodels.models import MODELS, VARIANTS
from bizmodels.models.marketplace_shop import MarketplaceShop


@pytest.fixture
def fields(round_market, round_overheads):
    # acquisition_cost 10 of the round overheads is the paid traffic per new shopper
    return {
        "market": round_market,
        "reach": Decimal("0.5"),
        "repurchase_rate": Decimal("0.2"),
        "commission_rate": Decimal("0.05"),
        "platform_fee_rate": Decimal("0.01"),
        "remarketing_share": Decimal("0.1"),
        "annual_fee": 1_200,
        **round_overheads,
    }


def test_round_scenario_by_hand(fields):
    model = MarketplaceShop(**fields)
    # shoppers 1,000 × 0.5 = 500: a first order each, 500 × 100 = 50,000;
    # repeat orders 500 × (12 − 1) × 0.2 = 1,100, 110,000; GMV 160,000 from 1,600 orders
    # refunds 16,000; net sales 144,000; VAT 144,000 / 5 = 28,800; net revenue 115,200
    # goods on net orders 1,440 × 40 = 57,600; gross profit 57,600
    # commission 144,000 × 0.05 = 7,200; platform fees 144,000 × 0.01 = 1,440
    # re-marketing on the repeat orders' GMV 110,000 × 0.1 = 11,000
    # payment 1,440; fulfilment 1,440 × 10 = 14,400
    # contribution 57,600 − 7,200 − 1,440 − 11,000 − 1,440 − 14,400 = 22,120
    # first-order traffic 500 × 10 = 5,000; marketing 1,200; fixed 12,000;
    # annual fee 1,200 × 12 / 12 = 1,200; operating profit 22,120 − 19,400 = 2,720
    expected = {
        "gmv": 160_000,
        "refunds": 16_000,
        "net_sales": 144_000,
        "vat": 28_800,
        "net_revenue": 115_200,
        "cogs": 57_600,
        "gross_profit": 57_600,
        "platform_commission": 7_200,
        "platform_fees": 1_440,
        "remarketing_traffic": 11_000,
        "payment_fees": 1_440,
        "fulfilment": 14_400,
        "contribution_margin": 22_120,
        "first_order_traffic": 5_000,
        "marketing": 1_200,
        "fixed_costs": 12_000,
        "annual_fee": 1_200,
        "operating_profit": 2_720,
    }
    assert model.waterfall().to_dict() == {k: Decimal(v) for k, v in expected.items()}
    assert model.customers() == 500
    assert model.orders() == 1_600
    assert model.gmv_by_segment() == {"first_orders": 50_000, "repeat_orders": 110_000}


def test_every_order_pays_the_platform(fields):
    # no repeat orders: the first orders alone pay commission and fees, no re-marketing
    model = MarketplaceShop(**{**fields, "repurchase_rate": 0})
    wf = model.waterfall().to_dict()
    # net sales 50,000 × 0.9 = 45,000: commission 2,250, fees 450
    assert wf["platform_commission"] == 2_250
    assert wf["platform_fees"] == 450
    assert wf["remarketing_traffic"] == 0


def test_a_one_period_lifetime_has_first_orders_only(fields):
    model = MarketplaceShop(**{**fields, "lifetime": 1})
    assert model.gmv_by_segment() == {"first_orders": 50_000, "repeat_orders": 0}


def test_a_lifetime_shorter_than_the_first_order_is_refused(fields):
    with pytest.raises(ValidationError, match="lifetime shorter than the first order's period"):
        MarketplaceShop(**{**fields, "lifetime": Decimal("0.5")})


@pytest.mark.parametrize(
    ("name", "value"),
    [("commission_rate", Decimal("1.5")), ("reach", -1), ("annual_fee", Decimal("0.001"))],
)
def test_bad_fields_are_refused_by_name(fields, name, value):
    with pytest.raises(ValidationError, match=name):
        MarketplaceShop(**{**fields, name: value})


def test_sweep_agrees_with_the_exact_waterfall(fields):
    model = MarketplaceShop(**fields)
    result = bm.sweep(model, commission_rate=np.array([0.05, 0.10]))
    # 5 more points of commission on 144,000 of net sales: 7,200 less profit
    assert result["operating_profit"][0] == pytest.approx(2_720)
    assert result["operating_profit"][1] == pytest.approx(2_720 - 7_200)


def test_is_a_variant_citing_seed_002():
    assert "marketplace_shop" in VARIANTS and "marketplace_shop" not in MODELS
    assert MarketplaceShop.seed == "002"
    schema = json_schema(MarketplaceShop)["properties"]
    for name in ("acquisition_cost", "remarketing_share"):
        assert schema[name]["source"].startswith("seed 002 (002_f13a0cfa10d43761.txt): ")
        assert "只能花錢做推廣" in schema[name]["source"]
    # every default says its seed or that it is an assumption (with its reason)
    for name, prop in schema.items():
        if name != "market":
            assert prop["source"].startswith(("seed 0", "assumption")), name
    # the published figures the defaults sit within, and the assumption taken from them
    assert "between 2% and 5% depending on the category" in schema["commission_rate"]["source"]
    assert schema["commission_rate"]["source"].startswith("assumption: 0.05, the top of")
    assert "RMB30,000 or 60,000 by category" in schema["annual_fee"]["source"]


def test_a_first_order_costs_what_a_private_customer_costs():
    # the same public traffic buys either: the base's default cost of winning a customer
    base = bm.BusinessModel.model_fields["acquisition_cost"].default
    assert MarketplaceShop().acquisition_cost == base


def test_nobody_is_paid_to_recruit():
    profile = MarketplaceShop().compliance_profile()
    assert profile.entry_fee == 0 and profile.pay_levels == 0
    assert risk_level(MarketplaceShop()) == "low"


def test_repeat_orders_follow_the_retention_curve_by_hand(fields):
    # 3 periods at 50% monthly retention: a first order each in period 0, then repeat
    # orders while active in periods 1 and 2: S(1) + S(2) = 0.5 + 0.25 = 0.75 periods
    # (= active_periods() − 1 = 1.75 − 1); 500 × 0.75 × 0.2 = 75 repeat orders = 7,500
    model = MarketplaceShop(**{**fields, "lifetime": 3, "retention": Decimal("0.5")})
    assert model.active_periods() == Decimal("1.75")
    assert model.gmv_by_segment() == {"first_orders": 50_000, "repeat_orders": 7_500}
    assert model.orders() == 575
    # re-marketing on the repeat GMV: 7,500 × 0.1 = 750; first-order traffic 500 × 10
    wf = model.waterfall().to_dict()
    assert wf["remarketing_traffic"] == 750 and wf["first_order_traffic"] == 5_000
    # the monthly cash flows lay the same orders over the months: sales in month 0 are
    # the first orders' net sales (45,000), the repeat ones fall in months 1 and 2
    # (7,500 × 0.9 × 0.5 / 0.75 = 4,500 and 2,250); every line sums back to the waterfall
    flows = model.cash_flows()
    assert flows.totals() == {k: v for k, v in wf.items() if k in flows.totals()}
    sales = flows.lines[0]
    assert sales.key == "net_sales"
    assert list(sales.amounts[:3]) == [45_000, 4_500, 2_250]
