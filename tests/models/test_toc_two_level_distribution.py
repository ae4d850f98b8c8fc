from decimal import Decimal

import numpy as np
import pytest
from pydantic import ValidationError

import bizmodels as bm
from bizmodels.models.toc_two_level_distribution import TocTwoLevelDistribution


@pytest.fixture
def model(round_market, round_overheads):
    return TocTwoLevelDistribution(
        market=round_market,
        reach=Decimal("0.5"),
        conversion=Decimal("0.2"),
        referred_share=Decimal("0.4"),
        level2_share=Decimal("0.5"),
        level1_rate=Decimal("0.1"),
        level2_rate=Decimal("0.05"),
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
    # payment 1,080; fulfilment 1,080 × 10 = 10,800
    # contribution 43,200 − 3,024 − 756 − 1,080 − 10,800 = 27,540
    # acquisition 500 × 10 = 5,000; marketing 1,200; fixed 12,000; operating profit 9,340
    expected = {
        "gmv": 120_000,
        "refunds": 12_000,
        "net_sales": 108_000,
        "vat": 21_600,
        "net_revenue": 86_400,
        "cogs": 43_200,
        "gross_profit": 43_200,
        "level1_commission": 3_024,
        "level2_commission": 756,
        "payment_fees": 1_080,
        "fulfilment": 10_800,
        "contribution_margin": 27_540,
        "acquisition": 5_000,
        "marketing": 1_200,
        "fixed_costs": 12_000,
        "operating_profit": 9_340,
    }
    assert model.waterfall().to_dict() == {k: Decimal(v) for k, v in expected.items()}
    assert model.customers() == 500  # referred orders come from the same 500 people
    assert model.orders() == 1200
    assert model.gmv_by_segment() == {"direct_orders": 72_000, "referred_orders": 48_000}


@pytest.mark.parametrize(
    ("noncash_share", "level1", "level2"),
    [
        (0, 4_320, 1_080),  # all cash: 43,200 × 0.1; 43,200 × 0.5 × 0.05
        (1, 1_728, 432),  # all non-cash at 0.4 yuan per yuan: 4,320 × 0.4; 1,080 × 0.4
    ],
)
def test_noncash_rewards_cost_their_cost_ratio(model, noncash_share, level1, level2):
    steps = TocTwoLevelDistribution(**{**dict(model), "noncash_share": noncash_share})
    wf = steps.waterfall()
    assert (wf["level1_commission"].amount, wf["level2_commission"].amount) == (level1, level2)


def test_sweep_runs_the_same_formulas(model):
    swept = bm.sweep(model, noncash_share=np.array([0.0, 0.5, 1.0]))
    assert swept["level1_commission"] == pytest.approx([4_320, 3_024, 1_728])
    assert swept["level2_commission"] == pytest.approx([1_080, 756, 432])


def test_defaults_are_assumptions():
    # seed 000 names non-cash rewards (旅游、产品兑换) but gives no figure
    schema = TocTwoLevelDistribution.model_json_schema()
    own = set(TocTwoLevelDistribution.model_fields) - set(bm.BusinessModel.model_fields)
    assert {schema["properties"][f]["source"].split(":")[0] for f in own} == {"assumption"}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("noncash_cost_ratio", 1.5, "less than or equal to 1"),
        ("level1_rate", -0.1, "greater than or equal to 0"),
        ("bogus", 1, "Extra inputs are not permitted"),
    ],
)
def test_bad_fields(field, value, message):
    with pytest.raises(ValidationError, match=message) as info:
        TocTwoLevelDistribution(**{field: value})
    assert info.value.title == "TocTwoLevelDistribution"
    assert info.value.errors()[0]["loc"] == (field,)


def test_commission_above_the_order_is_refused():
    with pytest.raises(
        ValidationError,
        match=r"toc_two_level_distribution: level-1 and level-2 commission rates add up to more "
        r"than 1 \(level1_rate = 0.6, level2_rate = 0.5\)",
    ):
        TocTwoLevelDistribution(level1_rate=0.6, level2_rate=0.5)
    assert TocTwoLevelDistribution(level1_rate=0.5, level2_rate=0.5).level1_rate == Decimal("0.5")
