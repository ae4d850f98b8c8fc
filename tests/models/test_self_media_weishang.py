from decimal import Decimal

import numpy as np
import pytest

import bizmodels as bm
from bizmodels._types import json_schema
from bizmodels.compliance import profile_of
from bizmodels.models import MODELS, VARIANTS
from bizmodels.models._base import BusinessModel
from bizmodels.models.influencer_weishang import InfluencerWeishang
from bizmodels.models.self_media_weishang import SelfMediaWeishang
from bizmodels.presets import PRESETS

SEED = "seed 003 (003_e213b8fe3b9defb8.txt): "


@pytest.fixture
def fields(round_market, round_overheads):
    return {
        "market": round_market,
        "fan_reach": Decimal("0.2"),
        "conversion": Decimal("0.25"),
        "content_per_period": 300,
        **round_overheads,
        "retention": 1,  # flat: every customer buys every period (hand computation)
    }


def test_round_scenario_by_hand(fields):
    model = SelfMediaWeishang(**fields)
    # fans 1,000 × 0.2 = 200; orders 200 × 12 × 0.25 = 600 at 100: GMV 60,000
    # refunds 6,000; net sales 54,000; VAT 10,800; net revenue 43,200
    # goods 540 net orders × 40 = 21,600; gross 21,600; payment 540; fulfilment 5,400
    # contribution 21,600 − 540 − 5,400 = 15,660
    # acquisition 200 × 10 = 2,000; marketing 1,200; content 300 × 12 = 3,600; fixed 12,000
    # operating profit 15,660 − 2,000 − 1,200 − 3,600 − 12,000 = −3,140
    expected = {
        "gmv": 60_000,
        "refunds": 6_000,
        "net_sales": 54_000,
        "vat": 10_800,
        "net_revenue": 43_200,
        "cogs": 21_600,
        "gross_profit": 21_600,
        "payment_fees": 540,
        "fulfilment": 5_400,
        "contribution_margin": 15_660,
        "acquisition": 2_000,
        "marketing": 1_200,
        "content": 3_600,
        "fixed_costs": 12_000,
        "operating_profit": -3_140,
    }
    assert model.waterfall().to_dict() == {k: Decimal(v) for k, v in expected.items()}
    assert model.customers() == 200


def test_stickier_than_an_influencers_fans():
    # over 12 months a fan of the IP is active Σ 0.95^k = (1 − 0.95^12) / 0.05 periods,
    # 0.95^12 = 0.81450625 × 0.66342043 = 0.54036009: 9.1928; an influencer's fan is
    # reached Σ 0.7^k = (1 − 0.7^12) / 0.3, 0.7^12 = 0.01384129: 3.2872
    ip = SelfMediaWeishang().active_periods().quantize(Decimal("0.0001"))
    influencer = InfluencerWeishang()
    fame = influencer.segments()[0].periods().quantize(Decimal("0.0001"))
    assert (ip, fame) == (Decimal("9.1928"), Decimal("3.2872"))


def test_slower_fewer_fans_than_an_influencer():
    # 10,000 × 0.10 = 1,000 fans against the influencer's 10,000 × 0.30 = 3,000
    assert SelfMediaWeishang().customers() == 1_000
    assert InfluencerWeishang().reach_in_period(0) == 3_000


def test_nobody_is_paid(fields):
    profile = profile_of(SelfMediaWeishang(**fields))
    assert profile.pay_levels == 0 and profile.entry_fee == 0 and profile.recruit_reward == 0


def test_the_fan_relationship_is_cited():
    props = json_schema(SelfMediaWeishang)["properties"]
    assert props["retention"]["default"] == 0.95
    assert (
        props["retention"]["source"].startswith(SEED) and "粉絲關係" in props["retention"]["source"]
    )
    assert "內容為王" in props["content_per_period"]["source"]
    own = set(SelfMediaWeishang.model_fields) - set(BusinessModel.model_fields)
    for name in [*own, "retention", "acquisition_cost", "marketing_per_period", "fixed_per_period"]:
        assert props[name]["source"].startswith((SEED, "assumption: ")), name


def test_is_a_variant_with_a_preset():
    assert VARIANTS["self_media_weishang"] is SelfMediaWeishang
    assert "self_media_weishang" not in MODELS
    assert SelfMediaWeishang.seed == "003"
    assert "003_e213b8fe3b9defb8.txt" in (SelfMediaWeishang.__doc__ or "")
    assert isinstance(PRESETS["self_media_weishang"].model, SelfMediaWeishang)


def test_sweep_equals_exact_models(fields):
    model = SelfMediaWeishang(**fields)
    values = [Decimal("0.8"), Decimal("0.95"), Decimal(1)]
    swept = bm.sweep(model, retention=np.array([float(v) for v in values]))
    for i, value in enumerate(values):
        exact = SelfMediaWeishang(**{**fields, "retention": value})
        for line in exact.pnl_lines():
            assert swept[line.key][i] == pytest.approx(float(line.value), rel=1e-9), line.key


@pytest.mark.parametrize(
    ("months", "ip_gmv", "influencer_gmv"),
    [
        # 3 months: the IP's 1,000 fans × (1 + 0.95 + 0.9025) × 0.25 = 713.125 orders × 199
        # = 141,911.875; the influencer's 3,000 × (1 + 0.7 + 0.49) × 0.1 = 657 orders and its
        # 300 retained × 3 × 0.15 = 135 (flat): 792 × 199 = 157,608, ahead at first
        (3, Decimal("141911.88"), Decimal("157608.00")),
        # 12 months: the IP 1,000 × 9.19279824674728 × 0.25 × 199 = 457,341.71 (Σ 0.95^k);
        # the influencer 3,000 × 3.28719570933 × 0.1 × 199 = 196,245.58 (Σ 0.7^k) and
        # 300 × 12 × 0.15 × 199 = 107,460: 303,705.58, behind
        (12, Decimal("457341.71"), Decimal("303705.58")),
    ],
)
def test_slower_at_first_then_ahead_of_an_influencer(months, ip_gmv, influencer_gmv):
    ip = SelfMediaWeishang(lifetime=months)
    influencer = InfluencerWeishang(lifetime=months, retention=1)
    assert ip.waterfall().start == ip_gmv
    assert influencer.waterfall().start == influencer_gmv


def test_the_content_is_counted_in_cac(fields):
    # the content wins the fans: CAC (2,000 per fan + 3,600 of content) / 200 fans = 28
    row = bm.compare([SelfMediaWeishang(**fields)])["self_media_weishang"]
    assert row["cac"] == 28
