from decimal import Decimal

import numpy as np
import pytest
from pydantic import ValidationError

import bizmodels as bm
from bizmodels._types import json_schema
from bizmodels.compliance import profile_of
from bizmodels.models import MODELS, VARIANTS
from bizmodels.models._base import BusinessModel
from bizmodels.models.influencer_weishang import InfluencerWeishang
from bizmodels.presets import PRESETS

SEED = "seed 003 (003_e213b8fe3b9defb8.txt): "


@pytest.fixture
def fields(round_market, round_overheads):
    return {
        "market": round_market,
        **round_overheads,
        "lifetime": 3,
        "retention": 1,  # the retained fans buy every period (hand computation)
        "fan_reach": Decimal("0.5"),
        "fan_conversion": Decimal("0.2"),
        "popularity_retention": Decimal("0.5"),
        "influencer_commission": Decimal("0.1"),
        "influencer_fee": 100,
        "contract_periods": 2,
        "retained_share": Decimal("0.2"),
        "repurchase_rate": Decimal("0.25"),
    }


def test_round_scenario_by_hand(fields):
    model = InfluencerWeishang(**fields)
    # fans 1,000 × 0.5 = 500, reached 1 + 0.5 + 0.25 = 1.75 periods of 3 (the fame halves
    # each period): 500 × 1.75 × 0.2 = 175 orders = 17,500
    # retained 500 × 0.2 = 100, flat (retention 1): 100 × 3 × 0.25 = 75 orders = 7,500
    # GMV 25,000; refunds 2,500; net sales 22,500; VAT 4,500; net revenue 18,000
    # goods 225 net orders × 40 = 9,000; gross 9,000
    # commission on the fans' net sales 17,500 × 0.9 × 0.1 = 1,575; fees 100 × 2 = 200
    # payment 225; fulfilment 2,250; contribution 9,000 − 1,575 − 200 − 225 − 2,250 = 4,750
    # acquisition only on the retained: 100 × 10 = 1,000; marketing 300; fixed 3,000
    # operating profit 4,750 − 1,000 − 300 − 3,000 = 450
    expected = {
        "gmv": 25_000,
        "refunds": 2_500,
        "net_sales": 22_500,
        "vat": 4_500,
        "net_revenue": 18_000,
        "cogs": 9_000,
        "gross_profit": 9_000,
        "influencer_commission": 1_575,
        "influencer_fees": 200,
        "payment_fees": 225,
        "fulfilment": 2_250,
        "contribution_margin": 4_750,
        "acquisition": 1_000,
        "marketing": 300,
        "fixed_costs": 3_000,
        "operating_profit": 450,
    }
    assert model.waterfall().to_dict() == {k: Decimal(v) for k, v in expected.items()}
    assert model.gmv_by_segment() == {"influencer_fans": 17_500, "retained": 7_500}
    assert model.customers() == 500  # the retained fans are not counted again


def test_the_reach_decays_each_period(fields):
    model = InfluencerWeishang(**fields)
    # 500 × 0.5^t
    assert [model.reach_in_period(t) for t in range(4)] == [500, 250, 125, Decimal("62.5")]
    # a fame that lasted would sell 500 × 3 × 0.2 × 100 = 30,000 through the influencer
    lasting = InfluencerWeishang(**{**fields, "popularity_retention": 1})
    assert lasting.gmv_by_segment()["influencer_fans"] == 30_000


def test_the_fans_follow_the_fame_and_the_retained_the_models_retention(fields):
    model = InfluencerWeishang(**{**fields, "retention": Decimal("0.5"), "popularity_retention": 1})
    # the fans: 500 × 3 × 0.2 × 100 = 30,000 (the fame lasts; the model's retention is not
    # theirs); the retained: 100 × 1.75 × 0.25 × 100 = 4,375
    assert model.gmv_by_segment() == {"influencer_fans": 30_000, "retained": 4_375}


def test_the_fee_is_paid_for_the_contract_within_the_horizon(fields):
    # a 6-period contract on a 3-period horizon: 100 × 3
    model = InfluencerWeishang(**{**fields, "contract_periods": 6})
    assert model.waterfall()["influencer_fees"].amount == 300


def test_the_influencer_is_paid_one_level(fields):
    profile = profile_of(InfluencerWeishang(**fields))
    assert profile.own_sales_rate == Decimal("0.1") and profile.pay_levels == 1
    assert profile.entry_fee == 0 and profile.recruit_reward == 0
    assert "influencer_fee = 100 yuan" in profile.evidence["own_sales"]


def test_the_lifecycle_is_cited():
    props = json_schema(InfluencerWeishang)["properties"]
    source = props["popularity_retention"]["source"]
    assert source.startswith(SEED) and "每個網紅都有生命週期,火,只有那麼一瞬間" in source
    own = set(InfluencerWeishang.model_fields) - set(BusinessModel.model_fields)
    for name in own:
        assert props[name]["source"].startswith((SEED, "assumption: ")), name


def test_default_reach_halves_in_two_months():
    # 10,000 × 0.3 = 3,000 fans; × 0.7² = 1,470, under half
    model = PRESETS["influencer_weishang"].model
    assert model.reach_in_period(2) == 1_470
    assert isinstance(model, InfluencerWeishang)


def test_is_a_variant():
    assert VARIANTS["influencer_weishang"] is InfluencerWeishang
    assert "influencer_weishang" not in MODELS
    assert InfluencerWeishang.seed == "003"
    assert "003_e213b8fe3b9defb8.txt" in (InfluencerWeishang.__doc__ or "")


def test_sweep_equals_exact_models(fields):
    model = InfluencerWeishang(**fields)
    values = [Decimal("0.3"), Decimal("0.5"), Decimal(1)]
    swept = bm.sweep(model, popularity_retention=np.array([float(v) for v in values]))
    for i, value in enumerate(values):
        exact = InfluencerWeishang(**{**fields, "popularity_retention": value})
        for line in exact.pnl_lines():
            assert swept[line.key][i] == pytest.approx(float(line.value), rel=1e-9), line.key


def test_a_commission_above_the_margin_is_refused(fields):
    with pytest.raises(
        ValidationError,
        match=r"influencer_weishang: influencer commission and goods cost above the price "
        r"\(influencer_commission = 0.7, market.unit_cost = 40, market.price = 100\)",
    ):
        InfluencerWeishang(**{**fields, "influencer_commission": Decimal("0.7")})


def test_the_monthly_sales_fade_with_the_fame(fields):
    model = InfluencerWeishang(**{**fields, "retained_share": 0})
    flows = model.cash_flows(commission_lag=0, vat_lag=0)
    net_sales = next(line for line in flows.lines if line.key == "net_sales")
    # month t: 500 fans × 0.5^t × 0.2 × 100 yuan × 0.9 kept: 9,000, 4,500, 2,250
    assert list(net_sales.amounts) == [9_000, 4_500, 2_250]
    assert sum(net_sales.amounts) == model.waterfall()["net_sales"].amount
