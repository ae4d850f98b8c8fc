from decimal import Decimal

import numpy as np
import pytest
from pydantic import ValidationError

import bizmodels as bm
from bizmodels.models.online_to_offline import OnlineToOffline

ROUND = {
    "reach": Decimal("0.5"),
    "trial_price": 10,
    "trial_unit_cost": 20,
    "redemption_rate": Decimal("0.8"),
    "store_visit_cost": 5,
    "upsell_rate": Decimal("0.25"),
    "large_order_value": 1_000,
    "large_order_cost_ratio": Decimal("0.3"),
    "upsell_commission_rate": Decimal("0.1"),
}


def test_round_scenario_by_hand(round_market, round_overheads):
    model = OnlineToOffline(market=round_market, **ROUND, **round_overheads)
    # trial buyers 1000 × 0.5 = 500, one trial order each at 10: 5,000
    # redemptions: 500 kept after 10% refunds = 450, × 0.8 = 360; upsold 360 × 0.25 = 90
    # large orders: 90 × 1,000 = 90,000
    # GMV 95,000; refunds 9,500; net sales 85,500; VAT 85,500 / 5 = 17,100
    # net revenue 68,400
    # goods: trial 450 net orders × (20 × 0.8 = 16) = 7,200 (= 360 redemptions × 20);
    #   large 81 net orders × (1,000 × 0.3 = 300) = 24,300; total 31,500
    # gross profit 36,900
    # staff commission 81,000 × 0.1 = 8,100; store visits 360 × 5 = 1,800
    # payment 85,500 × 0.01 = 855; fulfilment 0 (collected in store)
    # contribution 36,900 − 8,100 − 1,800 − 855 = 26,145
    # acquisition 500 × 10 = 5,000; marketing 1,200; fixed 12,000
    # operating profit 26,145 − 18,200 = 7,945
    expected = {
        "gmv": 95_000,
        "refunds": 9_500,
        "net_sales": 85_500,
        "vat": 17_100,
        "net_revenue": 68_400,
        "cogs": 31_500,
        "gross_profit": 36_900,
        "upsell_commissions": 8_100,
        "store_visits": 1_800,
        "payment_fees": 855,
        "fulfilment": 0,
        "contribution_margin": 26_145,
        "acquisition": 5_000,
        "marketing": 1_200,
        "fixed_costs": 12_000,
        "operating_profit": 7_945,
    }
    assert model.waterfall().to_dict() == {k: Decimal(v) for k, v in expected.items()}
    assert model.customers() == 500  # the upsold are trial buyers already
    assert model.orders() == 590  # 500 trial + 90 large
    assert model.gmv_by_segment() == {"trial_orders": 5_000, "large_orders": 90_000}


def test_sweep_runs_the_same_declarations(round_market, round_overheads):
    model = OnlineToOffline(market=round_market, **ROUND, **round_overheads)
    swept = bm.sweep(model, upsell_rate=np.array([0.25, 0.0]))
    # no upsell: contribution = trial net sales 4,500 − VAT 900 − goods 7,200 − visits 1,800
    #   − payment 45 = −5,445; operating profit −5,445 − 18,200 = −23,645
    assert swept["operating_profit"] == pytest.approx([7_945, -23_645], rel=1e-12)


def test_trial_may_sell_below_cost(round_market):
    # the trial (9.90) is priced below its own cost (30), and the market's unit cost is
    # not used, so the base check on it is off
    model = OnlineToOffline()
    assert model.trial_price < model.trial_unit_cost
    assert OnlineToOffline.goods_below_cost_allowed
    market = round_market.model_copy(update={"unit_cost": Decimal(120)})
    assert (
        OnlineToOffline(market=market).waterfall()
        == OnlineToOffline(market=round_market).waterfall()
    )


def test_defaults_cite_their_source():
    schema = OnlineToOffline.model_json_schema()["properties"]
    assert all(schema[name]["source"] == "assumption" for name in ROUND)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("redemption_rate", 1.5, "less than or equal to 1"),
        ("large_order_value", -1, "greater than or equal to 0"),
        ("bogus", 1, "Extra inputs are not permitted"),
    ],
)
def test_bad_fields(field, value, message):
    with pytest.raises(ValidationError, match=message) as info:
        OnlineToOffline(**{field: value})
    assert info.value.title == "OnlineToOffline"
    assert info.value.errors()[0]["loc"] == (field,)


def test_cost_and_commission_above_the_large_order_are_refused():
    with pytest.raises(ValidationError) as info:
        OnlineToOffline(large_order_cost_ratio=Decimal("0.95"))
    assert info.value.errors()[0]["msg"] == (
        "Value error, online_to_offline: large-order cost and sales commission exceed the "
        "order value (large_order_cost_ratio = 0.95, upsell_commission_rate = 0.10)"
    )
