from decimal import Decimal

import numpy as np
import pytest
from pydantic import ValidationError

import bizmodels as bm
from bizmodels._types import json_schema
from bizmodels.compliance import profile_of
from bizmodels.models import MODELS, VARIANTS
from bizmodels.models.content_ecommerce import ContentEcommerce
from bizmodels.presets import PRESETS

SEED = "seed 002 (002_f13a0cfa10d43761.txt): "


@pytest.fixture
def fields(round_market, round_overheads):
    return {
        "market": round_market,
        "reach": Decimal("0.5"),
        "conversion": Decimal("0.25"),
        "kol_share": Decimal("0.4"),
        "kol_commission": Decimal("0.1"),
        "own_content_per_period": 500,
        "commissioned_posts": 2,
        "post_fee": 100,
        "rewarded_post_rate": Decimal("0.1"),
        "red_packet": 5,
        "points_cost": Decimal("0.5"),
        **round_overheads,
        "retention": 1,  # flat: every customer buys every period (hand computation)
    }


def test_round_scenario_by_hand(fields):
    model = ContentEcommerce(**fields)
    # followers 1,000 × 0.5 = 500: 300 of the brand's own content, 200 won by KOLs
    # orders 500 × 12 × 0.25 = 1,500 at 100: GMV 150,000 (KOLs' followers 60,000)
    # refunds 15,000; net sales 135,000; VAT 135,000 / 5 = 27,000; net revenue 108,000
    # goods 1,350 net orders × 40 = 54,000; gross profit 54,000
    # KOL commission 60,000 × 0.9 kept × 0.1 = 5,400; payment 1,350; fulfilment 13,500
    # contribution 54,000 − 5,400 − 1,350 − 13,500 = 33,750
    # acquisition 500 × 10 = 5,000; marketing 100 × 12 = 1,200; own content 500 × 12 = 6,000
    # commissioned posts 2 × 100 × 12 = 2,400; red packets 500 × 12 × 0.1 × 5 = 3,000
    # points 500 × 12 × 0.5 = 3,000; fixed 1,000 × 12 = 12,000
    # operating profit 33,750 − 5,000 − 1,200 − 6,000 − 2,400 − 3,000 − 3,000 − 12,000 = 1,150
    expected = {
        "gmv": 150_000,
        "refunds": 15_000,
        "net_sales": 135_000,
        "vat": 27_000,
        "net_revenue": 108_000,
        "cogs": 54_000,
        "gross_profit": 54_000,
        "kol_commission": 5_400,
        "payment_fees": 1_350,
        "fulfilment": 13_500,
        "contribution_margin": 33_750,
        "acquisition": 5_000,
        "marketing": 1_200,
        "own_content": 6_000,
        "commissioned_content": 2_400,
        "ugc_red_packets": 3_000,
        "points_gifts": 3_000,
        "fixed_costs": 12_000,
        "operating_profit": 1_150,
    }
    assert model.waterfall().to_dict() == {k: Decimal(v) for k, v in expected.items()}
    assert model.gmv_by_segment() == {"own_followers": 90_000, "kol_followers": 60_000}
    assert model.customers() == 500


def test_rewards_follow_the_active_followers_and_content_the_horizon(fields):
    # retention 0.5 over 3 periods: a follower is active 1 + 0.5 + 0.25 = 1.75 periods
    model = ContentEcommerce(**{**fields, "lifetime": 3, "retention": Decimal("0.5")})
    wf = model.waterfall()
    # GMV 500 × 1.75 × 0.25 × 100 = 21,875
    assert wf["gmv"].amount == Decimal("21875")
    # red packets 500 × 1.75 × 0.1 × 5 = 437.50; points 500 × 1.75 × 0.5 = 437.50
    assert wf["ugc_red_packets"].amount == Decimal("437.50")
    assert wf["points_gifts"].amount == Decimal("437.50")
    # content is made every period of the horizon: 500 × 3 and 2 × 100 × 3
    assert wf["own_content"].amount == 1_500
    assert wf["commissioned_content"].amount == 600


def test_kols_are_paid_one_level_on_their_own_followers(fields):
    profile = profile_of(ContentEcommerce(**fields))
    assert profile.own_sales_rate == Decimal("0.1") and profile.pay_levels == 1
    assert profile.entry_fee == 0 and profile.recruit_reward == 0
    assert "kol_commission = 10%" in profile.evidence["own_sales"]
    alone = profile_of(ContentEcommerce(**{**fields, "kol_share": 0}))
    assert alone.pay_levels == 0 and "no KOL is paid" in alone.evidence["own_sales"]


def test_the_seeds_sentences_are_cited():
    props = json_schema(ContentEcommerce)["properties"]
    assert "內容點贊評論超過10人,就進行紅包獎勵" in props["rewarded_post_rate"]["source"]
    assert "互動積累積分,積分兌換禮品" in props["points_cost"]["source"]
    own = set(ContentEcommerce.model_fields) - set(bm.models.PoolModel.model_fields)
    for name in own:
        assert props[name]["source"].startswith((SEED, "assumption: ")), name


def test_is_a_variant_with_a_preset():
    assert VARIANTS["content_ecommerce"] is ContentEcommerce
    assert "content_ecommerce" not in MODELS
    assert ContentEcommerce.seed == "002"
    assert "002_f13a0cfa10d43761.txt" in (ContentEcommerce.__doc__ or "")
    assert isinstance(PRESETS["content_ecommerce"].model, ContentEcommerce)


def test_sweep_equals_exact_models(fields):
    model = ContentEcommerce(**fields)
    values = [Decimal("0.05"), Decimal("0.1"), Decimal("0.3")]
    swept = bm.sweep(model, kol_commission=np.array([float(v) for v in values]))
    for i, value in enumerate(values):
        exact = ContentEcommerce(**{**fields, "kol_commission": value})
        for line in exact.pnl_lines():
            assert swept[line.key][i] == pytest.approx(float(line.value), rel=1e-9), line.key


def test_a_commission_above_the_margin_is_refused(fields):
    # 40 of goods + 0.7 × 100 of commission = 110 > 100
    with pytest.raises(
        ValidationError,
        match=r"content_ecommerce: KOL commission and goods cost above the price "
        r"\(kol_commission = 0.7, market.unit_cost = 40, market.price = 100\)",
    ):
        ContentEcommerce(**{**fields, "kol_commission": Decimal("0.7")})


def test_the_content_is_counted_in_cac(fields):
    # the content wins the followers: CAC is (5,000 per follower + 6,000 own content + 2,400
    # commissioned) / 500 followers = 26.80 yuan; LTV 33,750 / 500 = 67.50
    row = bm.compare([ContentEcommerce(**fields)])["content_ecommerce"]
    assert row["cac"] == Decimal("26.80") and row["ltv"] == Decimal("67.50")
