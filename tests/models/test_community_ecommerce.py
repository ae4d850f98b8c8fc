from decimal import Decimal

import numpy as np
import pytest
from pydantic import ValidationError

import bizmodels as bm
from bizmodels._types import json_schema
from bizmodels.compliance import profile_of
from bizmodels.models import MODELS, VARIANTS
from bizmodels.models._base import BusinessModel
from bizmodels.models.community_ecommerce import CommunityEcommerce
from bizmodels.presets import PRESETS

SEED = "seed 002 (002_f13a0cfa10d43761.txt): "


@pytest.fixture
def fields(round_market, round_overheads):
    return {
        "market": round_market,
        "groups": 4,
        "members_per_group": 100,
        "core_fan_share": Decimal("0.1"),
        "core_fan_conversion": Decimal("0.5"),
        "member_conversion": Decimal("0.25"),
        "alt_accounts_per_group": 1,
        "alt_account_cost": 10,
        "red_packets_per_group": 20,
        "core_fan_reward": 5,
        "guest_fee_per_period": 50,
        "groups_per_operator": 2,
        "operator_salary": 500,
        **round_overheads,
        "retention": 1,  # flat: every customer buys every period (hand computation)
    }


def test_round_scenario_by_hand(fields):
    model = CommunityEcommerce(**fields)
    # members 4 groups × 100 = 400 (below the market's 1,000): 40 core fans, 360 others
    # orders: core 40 × 12 × 0.5 = 240, others 360 × 12 × 0.25 = 1,080; 1,320 at 100
    # GMV 132,000; refunds 13,200; net sales 118,800; VAT 23,760; net revenue 95,040
    # goods 1,188 net orders × 40 = 47,520; gross 47,520; payment 1,188; fulfilment 11,880
    # contribution 47,520 − 1,188 − 11,880 = 34,452
    # acquisition 400 × 10 = 4,000; marketing 1,200; alternate accounts 4 × 1 × 10 × 12 = 480
    # red packets 4 × 20 × 12 = 960; core fans' rewards 40 × 5 × 12 = 2,400; guests 50 × 12
    # = 600; fixed 12,000; operators 4 / 2 = 2 × 500 × 12 = 12,000
    # operating profit 34,452 − 4,000 − 1,200 − 480 − 960 − 2,400 − 600 − 12,000 − 12,000 = 812
    expected = {
        "gmv": 132_000,
        "refunds": 13_200,
        "net_sales": 118_800,
        "vat": 23_760,
        "net_revenue": 95_040,
        "cogs": 47_520,
        "gross_profit": 47_520,
        "payment_fees": 1_188,
        "fulfilment": 11_880,
        "contribution_margin": 34_452,
        "acquisition": 4_000,
        "marketing": 1_200,
        "alt_accounts": 480,
        "group_red_packets": 960,
        "core_fan_rewards": 2_400,
        "guest_speakers": 600,
        "fixed_costs": 12_000,
        "operator_salaries": 12_000,
        "operating_profit": 812,
    }
    assert model.waterfall().to_dict() == {k: Decimal(v) for k, v in expected.items()}
    assert model.gmv_by_segment() == {"core_fans": 24_000, "members": 108_000}
    assert model.customers() == 400 and model.operators() == 2


def test_members_are_capped_by_the_market(fields):
    # 20 groups × 100 = 2,000 wanted, the market holds 1,000; the operators are not capped
    model = CommunityEcommerce(**{**fields, "groups": 20})
    assert model.customers() == 1_000
    assert model.waterfall()["operator_salaries"].amount == 10 * 500 * 12


def test_core_fans_rewards_follow_the_active_fans(fields):
    # retention 0.5 over 3 periods: 1 + 0.5 + 0.25 = 1.75 active periods
    wf = CommunityEcommerce(**{**fields, "lifetime": 3, "retention": Decimal("0.5")}).waterfall()
    assert wf["core_fan_rewards"].amount == 40 * 5 * Decimal("1.75")  # 350
    assert wf["group_red_packets"].amount == 4 * 20 * 3  # per group, every period: 240


def test_nobody_is_paid_on_sales(fields):
    profile = profile_of(CommunityEcommerce(**fields))
    assert profile.pay_levels == 0 and profile.own_sales_rate is None
    assert profile.entry_fee == 0 and profile.recruit_reward == 0
    assert "operator_salary = 500 yuan" in profile.evidence["own_sales"]


def test_the_seeds_sentences_are_cited():
    props = json_schema(CommunityEcommerce)["properties"]
    assert "社群內通過小號互動,非常容易出現羊群效應" in props["alt_accounts_per_group"]["source"]
    assert "打造核心粉絲" in props["core_fan_share"]["source"]
    assert "大咖站臺" in props["guest_fee_per_period"]["source"]
    own = set(CommunityEcommerce.model_fields) - set(BusinessModel.model_fields)
    for name in own:
        assert props[name]["source"].startswith((SEED, "assumption: ")), name


def test_is_a_variant_with_a_preset():
    assert VARIANTS["community_ecommerce"] is CommunityEcommerce
    assert "community_ecommerce" not in MODELS
    assert CommunityEcommerce.seed == "002"
    assert "002_f13a0cfa10d43761.txt" in (CommunityEcommerce.__doc__ or "")
    assert isinstance(PRESETS["community_ecommerce"].model, CommunityEcommerce)


def test_sweep_equals_exact_models(fields):
    model = CommunityEcommerce(**fields)
    values = [2, 4, 20]
    swept = bm.sweep(model, groups=np.array([float(v) for v in values]))
    for i, value in enumerate(values):
        exact = CommunityEcommerce(**{**fields, "groups": value})
        for line in exact.pnl_lines():
            assert swept[line.key][i] == pytest.approx(float(line.value), rel=1e-9), line.key


def test_an_operator_on_less_than_one_group_is_refused(fields):
    with pytest.raises(
        ValidationError,
        match=r"community_ecommerce: an operator runs less than one group "
        r"\(groups_per_operator = 0.5\)",
    ):
        CommunityEcommerce(**{**fields, "groups_per_operator": Decimal("0.5")})
