from decimal import Decimal

import numpy as np
import pytest
from pydantic import ValidationError

import bizmodels as bm
from bizmodels._types import json_schema
from bizmodels.models import MODELS, VARIANTS
from bizmodels.models.tiered_agency_referral import TieredAgency


@pytest.fixture
def fields(round_market, round_overheads):
    return {
        "market": round_market,
        "agent_share": Decimal("0.1"),
        "tier_discount": Decimal("0.25"),
        "restock_rate": Decimal("0.5"),
        "batch_orders": 4,
        "referred_share": Decimal("0.5"),
        "rebate_rate": Decimal("0.02"),
        "rebate_levels": 3,
        **round_overheads,
    }


def test_round_scenario_by_hand(fields):
    model = TieredAgency(**fields)
    # agents 1000 × 0.1 = 100; purchases 100 × 12 × 0.5 = 600
    # a purchase is 4 orders' worth at 100 × (1 − 0.25) = 75: 300 yuan, goods 4 × 40 = 160
    # GMV 600 × 300 = 180,000; refunds 18,000; net sales 162,000; VAT 162,000 / 5 = 32,400
    # net revenue 129,600; goods on 540 net purchases × 160 = 86,400; gross 43,200
    # rebates: referred 540 × 0.5 = 270 purchases, list value 270 × 4 × 100 = 108,000,
    # × 0.02 × 3 levels = 6,480
    # payment 1,620; fulfilment one shipment per purchase: 540 × 10 = 5,400
    # contribution 43,200 − 6,480 − 1,620 − 5,400 = 29,700
    # acquisition 100 × 10 = 1,000; marketing 1,200; fixed 12,000
    # operating profit 29,700 − 14,200 = 15,500
    expected = {
        "gmv": 180_000,
        "refunds": 18_000,
        "net_sales": 162_000,
        "vat": 32_400,
        "net_revenue": 129_600,
        "cogs": 86_400,
        "gross_profit": 43_200,
        "referral_rebates": 6_480,
        "payment_fees": 1_620,
        "fulfilment": 5_400,
        "contribution_margin": 29_700,
        "acquisition": 1_000,
        "marketing": 1_200,
        "fixed_costs": 12_000,
        "operating_profit": 15_500,
    }
    assert model.waterfall().to_dict() == {k: Decimal(v) for k, v in expected.items()}
    assert model.customers() == 100
    assert model.orders() == 600  # agent purchases, each a batch of 4 orders' worth


def test_seed_rebate_levels():
    # seed 003: 針對最高級別的同級返利,最低3級返利,甚至更高級
    assert TieredAgency().rebate_levels == 3
    source = json_schema(TieredAgency)["properties"]["rebate_levels"]["source"]
    assert source == "seed 003 (003_e213b8fe3b9defb8.txt): 最低3級返利"


def test_other_defaults_are_assumptions():
    schema = json_schema(TieredAgency)
    own = set(TieredAgency.model_fields) - set(bm.BusinessModel.model_fields) - {"rebate_levels"}
    # every one an assumption; the sell-through says its reason after "assumption: "
    assert {schema["properties"][f]["source"].split(":")[0] for f in own} == {"assumption"}


def test_is_a_variant_that_carries_the_seeds_warning():
    assert VARIANTS["tiered_agency_referral"] is TieredAgency
    assert "tiered_agency_referral" not in MODELS
    assert TieredAgency.seed == "003"
    doc = TieredAgency.__doc__ or ""
    assert "003_e213b8fe3b9defb8.txt" in doc
    assert "風險太大,變相拉人更明顯!不建議做" in doc


def test_sweep_equals_exact_models(fields):
    model = TieredAgency(**fields)
    values = [1, 2, 3, 5]
    swept = bm.sweep(model, rebate_levels=np.array([float(v) for v in values]))
    for i, value in enumerate(values):
        exact = TieredAgency(**{**fields, "rebate_levels": value})
        for line in exact.pnl_lines():
            assert swept[line.key][i] == pytest.approx(float(line.value), rel=1e-9), line.key


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("tier_discount", 1.5, "less than or equal to 1"),
        ("rebate_levels", -1, "greater than or equal to 0"),
        ("peer_rebate", 0.1, "Extra inputs are not permitted"),
    ],
)
def test_bad_fields(field, value, message):
    with pytest.raises(ValidationError, match=message) as info:
        TieredAgency(**{field: value})
    assert info.value.title == "TieredAgency"
    assert info.value.errors()[0]["loc"] == (field,)


def test_discount_and_rebates_above_the_price_are_refused():
    # 0.8 + 0.1 × 3 = 1.1 of the list price given away on a referred purchase
    with pytest.raises(
        ValidationError,
        match=r"tiered_agency_referral: tier discount and referral rebates add up to more than "
        r"the list price \(tier_discount = 0.8, rebate_rate = 0.1, rebate_levels = 3\)",
    ):
        TieredAgency(tier_discount=0.8, rebate_rate=0.1)
    at_the_limit = TieredAgency(tier_discount=0.7, rebate_rate=0.1)  # 0.7 + 0.3 = 1
    assert at_the_limit.rebate_levels == 3


def test_sweep_names_the_failing_scenario(fields):
    # 0.25 + 0.02 × 40 = 1.05
    with pytest.raises(ValueError, match=r"list price at index 1 \(tier_discount = 0.25"):
        bm.sweep(TieredAgency(**fields), rebate_levels=np.array([3.0, 40.0]))


# -- stock held by agents (issue 15): lifetime 1, any retention


def test_channel_stock_by_hand():
    m = TieredAgency(lifetime=1)
    # 10,000 × 0.05 = 500 agents × 0.5 × (199 × 0.7 × 5 = 696.50) = 174,125; × 0.95 refunds
    assert m.dealer_purchases() == Decimal("165418.75")
    assert m.channel_stock() == Decimal("49625.625")  # × 0.3


def test_an_agent_costs_a_dealers_recruitment_not_a_consumers():
    # issue 15: the 20 yuan of a consumer is not the cost of recruiting an agent
    from decimal import Decimal as _D

    from bizmodels.models.tiered_agency_referral import TieredAgency as _T

    assert _T().acquisition_cost == _D(200)
    source = _T.model_json_schema()["properties"]["acquisition_cost"]["source"]
    assert source.startswith("assumption: four times the 50 yuan")
