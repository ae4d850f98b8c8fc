import re
from decimal import Decimal

import numpy as np
import pytest
from pydantic import ValidationError

import bizmodels as bm
from bizmodels.models.omnichannel import Omnichannel


def round_model(round_market, round_overheads, **fields):
    values = {
        "reach": Decimal("0.5"),
        "group_share": Decimal("0.4"),
        "guide_conversion": Decimal("0.5"),
        "group_conversion": Decimal("0.25"),
        "in_store_share": Decimal("0.5"),
        "group_discount": Decimal("0.2"),
        "group_fulfilment_share": Decimal("0.5"),
        "guide_commission": Decimal("0.05"),
        "leader_commission": Decimal("0.1"),
        **fields,
    }
    return Omnichannel(market=round_market, **round_overheads, **values)


def test_round_scenario_by_hand(round_market, round_overheads):
    model = round_model(round_market, round_overheads)
    # pool 1000 × 0.5 = 500: 200 group-buying customers (× 0.4), 300 guide-served
    # guided: 300 × 12 × 0.5 = 1,800 orders × 100 = 180,000
    # group buying: 200 × 12 × 0.25 = 600 orders × (100 × 0.8 = 80) = 48,000
    # GMV 228,000; refunds 22,800; net sales 205,200; VAT 205,200 / 5 = 41,040
    # net revenue 164,160; net orders 1,620 + 540 = 2,160 × 40 = 86,400; gross 77,760
    # guide commissions 162,000 × 0.05 = 8,100; leader commissions 43,200 × 0.1 = 4,320
    # payment fees 2,052; fulfilment 1,620 × 10 × 0.5 = 8,100 (half collected in store)
    #   + 540 × 10 × 0.5 = 2,700 (bulk to the leader) = 10,800
    # contribution 77,760 − 8,100 − 4,320 − 2,052 − 10,800 = 52,488
    # acquisition 500 × 10 = 5,000; marketing 1,200; fixed 12,000; operating profit 34,288
    expected = {
        "gmv": 228_000,
        "refunds": 22_800,
        "net_sales": 205_200,
        "vat": 41_040,
        "net_revenue": 164_160,
        "cogs": 86_400,
        "gross_profit": 77_760,
        "guide_commissions": 8_100,
        "leader_commissions": 4_320,
        "payment_fees": 2_052,
        "fulfilment": 10_800,
        "contribution_margin": 52_488,
        "acquisition": 5_000,
        "marketing": 1_200,
        "fixed_costs": 12_000,
        "operating_profit": 34_288,
    }
    assert model.waterfall().to_dict() == {k: Decimal(v) for k, v in expected.items()}
    assert model.customers() == 500
    assert model.orders() == 2400
    assert model.gmv_by_segment() == {"guided": 180_000, "group_buying": 48_000}
    unit = model.unit_waterfall()
    assert unit["gmv"].amount == Decimal("95.00")  # 228,000 / 2,400
    assert unit.end == unit.start - sum(s.amount for s in unit.deductions)


def test_sweep_equals_exact_models(round_market, round_overheads):
    model = round_model(round_market, round_overheads)
    shares = [Decimal(0), Decimal("0.4"), Decimal(1)]
    swept = bm.sweep(model, group_share=np.array([float(s) for s in shares]))
    for i, share in enumerate(shares):
        exact = round_model(round_market, round_overheads, group_share=share)
        for line in exact.pnl_lines():
            assert swept[line.key][i] == pytest.approx(float(line.value), rel=1e-12, abs=1e-9)


def test_defaults_say_why_they_are_not_the_seeds_fruit_figure():
    # seed 001's 月复购率超50% is for 百果园's fruit groups, bought weekly: the guides'
    # customers buy 0.20 × 1.5 = 0.30 of the months, an assumption that says so
    assert Omnichannel().guide_conversion == Decimal("0.3")
    schema = Omnichannel.model_json_schema()["properties"]
    assert schema["guide_conversion"]["source"].startswith("assumption")
    assert "月复购率超50%" in schema["guide_conversion"]["source"]
    # group leaders' 10%: the top of the 5-10% published for community group buying
    assert Omnichannel().leader_commission == Decimal("0.10")
    assert "5-10%" in schema["leader_commission"]["source"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("leader_commission", 1.5, "less than or equal to 1"),
        ("group_discount", -0.1, "greater than or equal to 0"),
        ("bogus", 1, "Extra inputs are not permitted"),
    ],
)
def test_bad_fields(field, value, message):
    with pytest.raises(ValidationError, match=message) as info:
        Omnichannel(**{field: value})
    assert info.value.title == "Omnichannel"
    assert info.value.errors()[0]["loc"] == (field,)


def test_group_price_below_unit_cost_is_refused(round_market):
    message = (
        "omnichannel: group price below unit cost "
        "(group_discount = 0.7, market.price = 100, market.unit_cost = 40)"
    )
    with pytest.raises(ValidationError, match=re.escape(message)):
        Omnichannel(market=round_market, group_discount=Decimal("0.7"))
    with pytest.raises(ValueError, match=r"group price below unit cost at index 1"):
        bm.sweep(Omnichannel(market=round_market), group_discount=np.array([0.6, 0.7]))
