from decimal import Decimal

import numpy as np
import pytest
from pydantic import ValidationError

import bizmodels as bm
from bizmodels._types import json_schema
from bizmodels.models import MODELS, VARIANTS
from bizmodels.models.three_level_distribution import ThreeLevelDistribution
from bizmodels.models.toc_two_level_distribution import TocTwoLevelDistribution


@pytest.fixture
def model(round_market, round_overheads):
    return ThreeLevelDistribution(
        market=round_market,
        reach=Decimal("0.5"),
        conversion=Decimal("0.2"),
        referred_share=Decimal("0.4"),
        level2_share=Decimal("0.5"),
        level3_share=Decimal("0.25"),
        level1_rate=Decimal("0.1"),
        level2_rate=Decimal("0.05"),
        level3_rate=Decimal("0.02"),
        noncash_share=Decimal("0.5"),
        noncash_cost_ratio=Decimal("0.4"),
        **round_overheads,
    )


def test_round_scenario_by_hand(model):
    # pool 1000 × 0.5 = 500, buying 500 × 12 × 0.2 = 1,200 orders at 100
    # direct: 1,200 × 0.6 = 720 orders = 72,000; referred: 1,200 × 0.4 = 480 orders = 48,000
    # GMV 120,000; refunds 12,000; net sales 108,000; VAT 108,000 / 5 = 21,600
    # net revenue 86,400; goods on net orders 1,080 × 40 = 43,200; gross 43,200
    # referred net sales 48,000 × 0.9 = 43,200
    # one yuan of commission costs 1 − 0.5 + 0.5 × 0.4 = 0.7
    # level 1: 43,200 × 0.1 × 0.7 = 3,024; level 2: 43,200 × 0.5 × 0.05 × 0.7 = 756
    # level 3: 43,200 × 0.25 × 0.02 × 0.7 = 151.2
    # payment 1,080; fulfilment 1,080 × 10 = 10,800
    # contribution 43,200 − 3,024 − 756 − 151.2 − 1,080 − 10,800 = 27,388.8
    # acquisition 500 × 10 = 5,000; marketing 1,200; fixed 12,000
    # operating profit 27,388.8 − 18,200 = 9,188.8
    expected = {
        "gmv": "120000",
        "refunds": "12000",
        "net_sales": "108000",
        "vat": "21600",
        "net_revenue": "86400",
        "cogs": "43200",
        "gross_profit": "43200",
        "level1_commission": "3024",
        "level2_commission": "756",
        "level3_commission": "151.2",
        "payment_fees": "1080",
        "fulfilment": "10800",
        "contribution_margin": "27388.8",
        "acquisition": "5000",
        "marketing": "1200",
        "fixed_costs": "12000",
        "operating_profit": "9188.8",
    }
    assert model.waterfall().to_dict() == {k: Decimal(v) for k, v in expected.items()}
    assert model.customers() == 500  # referred orders come from the same 500 people
    assert model.orders() == 1200
    assert model.gmv_by_segment() == {"direct_orders": 72_000, "referred_orders": 48_000}


def test_is_a_variant_of_two_level_distribution():
    assert VARIANTS["three_level_distribution"] is ThreeLevelDistribution
    assert "three_level_distribution" not in MODELS
    assert issubclass(ThreeLevelDistribution, TocTwoLevelDistribution)
    assert ThreeLevelDistribution.seed == "002"
    assert "002_f13a0cfa10d43761.txt" in (ThreeLevelDistribution.__doc__ or "")


def test_no_third_level_is_the_two_level_model(model):
    two = TocTwoLevelDistribution(
        **{k: v for k, v in dict(model).items() if not k.startswith("level3")}
    ).waterfall()
    three = ThreeLevelDistribution(**{**dict(model), "level3_share": 0}).waterfall()
    assert three["level3_commission"].amount == 0
    assert {k: v for k, v in three.to_dict().items() if k != "level3_commission"} == two.to_dict()


def test_own_defaults_are_assumptions():
    # seed 002 names 三級分銷 and soiree's 上億 revenue but gives no rate or share
    schema = json_schema(ThreeLevelDistribution)
    assert schema["properties"]["level3_share"]["source"] == "assumption"
    assert schema["properties"]["level3_rate"]["source"] == "assumption"


def test_sweep_equals_exact_models(model):
    values = [Decimal("0.01"), Decimal("0.02"), Decimal("0.05")]
    swept = bm.sweep(model, level3_rate=np.array([float(v) for v in values]))
    for i, value in enumerate(values):
        exact = ThreeLevelDistribution(**{**dict(model), "level3_rate": value})
        for line in exact.pnl_lines():
            assert swept[line.key][i] == pytest.approx(float(line.value), rel=1e-9), line.key


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("level3_rate", 1.5, "less than or equal to 1"),
        ("level3_share", -0.1, "greater than or equal to 0"),
        ("level4_rate", 0.01, "Extra inputs are not permitted"),
    ],
)
def test_bad_fields(field, value, message):
    with pytest.raises(ValidationError, match=message) as info:
        ThreeLevelDistribution(**{field: value})
    assert info.value.title == "ThreeLevelDistribution"
    assert info.value.errors()[0]["loc"] == (field,)


def test_three_rates_above_the_order_are_refused():
    with pytest.raises(
        ValidationError,
        match=r"three_level_distribution: level-1, level-2 and level-3 commission rates add up "
        r"to more than 1 \(level1_rate = 0.6, level2_rate = 0.3, level3_rate = 0.2\)",
    ):
        ThreeLevelDistribution(level1_rate=0.6, level2_rate=0.3, level3_rate=0.2)
    at_the_limit = ThreeLevelDistribution(level1_rate=0.6, level2_rate=0.3, level3_rate=0.1)
    assert at_the_limit.level3_rate == Decimal("0.1")


def test_the_two_level_check_still_runs():
    with pytest.raises(
        ValidationError,
        match=r"three_level_distribution: level-1 and level-2 commission rates add up to more "
        r"than 1 \(level1_rate = 0.6, level2_rate = 0.5\)",
    ):
        ThreeLevelDistribution(level1_rate=0.6, level2_rate=0.5, level3_rate=0)


def test_level3_share_above_level2_share_is_refused():
    with pytest.raises(
        ValidationError,
        match=r"three_level_distribution: more referred orders with a level-3 referrer than with "
        r"a level-2 one \(level3_share = 0.6, level2_share = 0.50\)",
    ):
        ThreeLevelDistribution(level3_share=0.6)


def test_sweep_names_the_failing_scenario(model):
    with pytest.raises(ValueError, match=r"add up to more than 1 at index 1 \("):
        bm.sweep(model, level3_rate=np.array([0.1, 0.9]))
