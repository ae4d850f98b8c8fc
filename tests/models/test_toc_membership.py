from decimal import Decimal

import pytest
from pydantic import ValidationError

from bizmodels.models.toc_membership import TocMembership


def test_round_scenario_by_hand(round_membership):
    model = round_membership()
    # pool 1000 × 0.5 = 500: 100 members, 400 ordinary buyers
    # buyers: 400 × 12 × 0.2 = 960 orders × 100 = 96,000
    # members: 100 × 12 × 0.5 = 600 orders × 90 = 54,000
    # fees: 100 members × (12 / 12) × 120 = 12,000
    # GMV 162,000; refunds 16,200; net sales 145,800; VAT 145,800 / 5 = 29,160
    # net revenue 116,640; goods on net orders (864 + 540) × 40 = 56,160; gross 60,480
    # member benefits 100 × 1 × 12 = 1,200; payment 1,458; fulfilment 1,404 × 10 = 14,040
    # contribution 43,782; acquisition 500 × 10 = 5,000; marketing 1,200; fixed 12,000
    # operating profit 25,582
    expected = {
        "gmv": 162_000,
        "refunds": 16_200,
        "net_sales": 145_800,
        "vat": 29_160,
        "net_revenue": 116_640,
        "cogs": 56_160,
        "gross_profit": 60_480,
        "member_benefits": 1_200,
        "payment_fees": 1_458,
        "fulfilment": 14_040,
        "contribution_margin": 43_782,
        "acquisition": 5_000,
        "marketing": 1_200,
        "fixed_costs": 12_000,
        "operating_profit": 25_582,
    }
    assert model.waterfall().to_dict() == {k: Decimal(v) for k, v in expected.items()}
    assert model.customers() == 500
    assert model.orders() == 1560  # the 100 fees are not orders of goods
    unit = model.unit_waterfall()
    assert unit["gmv"].amount == Decimal("103.85")  # 162,000 / 1,560 = 103.846…
    assert unit.end == unit.start - sum(s.amount for s in unit.deductions)


def test_defaults_cite_their_source():
    schema = TocMembership.model_json_schema()
    assert "seed 001" in schema["properties"]["member_conversion"]["source"]
    assert schema["properties"]["membership_fee"]["source"] == "assumption"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("member_share", 1.5, "less than or equal to 1"),
        ("membership_fee", -1, "greater than or equal to 0"),
        ("bogus", 1, "Extra inputs are not permitted"),
    ],
)
def test_bad_fields(field, value, message):
    with pytest.raises(ValidationError, match=message) as info:
        TocMembership(**{field: value})
    assert info.value.title == "TocMembership"
    assert info.value.errors()[0]["loc"] == (field,)


def test_unit_cost_above_price_is_refused(round_market):
    market = round_market.model_copy(update={"unit_cost": Decimal(120)})
    with pytest.raises(ValidationError, match=r"unit cost above price \(market.unit_cost = 120"):
        TocMembership(market=market)
