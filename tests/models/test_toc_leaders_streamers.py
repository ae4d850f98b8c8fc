from decimal import Decimal

import numpy as np
import pytest
from pydantic import ValidationError

import bizmodels as bm
from bizmodels.models.toc_leaders_streamers import TocLeadersStreamers


@pytest.fixture
def model(round_market, round_overheads):
    return TocLeadersStreamers(
        market=round_market,
        leader_reach=Decimal("0.2"),
        streamer_reach=Decimal("0.1"),
        campaign_discount=Decimal("0.2"),
        campaign_conversion=Decimal("0.25"),
        leader_commission=Decimal("0.1"),
        streamer_commission=Decimal("0.2"),
        slot_fee=500,
        slots=4,
        retained_share=Decimal("0.3"),
        repurchase_rate=Decimal("0.25"),
        **round_overheads,
    )


def test_round_scenario_by_hand(model):
    # leader buyers 1000 × 0.2 = 200; streamer buyers 1000 × 0.1 = 100; campaign price 80
    # leaders: 200 × 12 × 0.25 = 600 orders × 80 = 48,000
    # streamers: 100 × 12 × 0.25 = 300 orders × 80 = 24,000
    # retained: (200 + 100) × 0.3 = 90 buyers; 90 × 12 × 0.25 = 270 orders × 100 = 27,000
    # GMV 99,000; refunds 9,900; net sales 89,100; VAT 89,100 / 5 = 17,820
    # net revenue 71,280; goods on net orders 1,170 × 0.9 = 1,053 × 40 = 42,120; gross 29,160
    # leader commission 48,000 × 0.9 = 43,200 × 0.1 = 4,320
    # streamer commission 24,000 × 0.9 = 21,600 × 0.2 = 4,320; slot fees 500 × 4 = 2,000
    # payment 89,100 × 0.01 = 891; fulfilment 1,053 × 10 = 10,530
    # contribution 29,160 − 4,320 − 4,320 − 2,000 − 891 − 10,530 = 7,099
    # acquisition: retained buyers only, 90 × 10 = 900; marketing 1,200; fixed 12,000
    # operating profit 7,099 − 900 − 1,200 − 12,000 = −7,001
    expected = {
        "gmv": 99_000,
        "refunds": 9_900,
        "net_sales": 89_100,
        "vat": 17_820,
        "net_revenue": 71_280,
        "cogs": 42_120,
        "gross_profit": 29_160,
        "leader_commission": 4_320,
        "streamer_commission": 4_320,
        "slot_fees": 2_000,
        "payment_fees": 891,
        "fulfilment": 10_530,
        "contribution_margin": 7_099,
        "acquisition": 900,
        "marketing": 1_200,
        "fixed_costs": 12_000,
        "operating_profit": -7_001,
    }
    assert model.waterfall().to_dict() == {k: Decimal(v) for k, v in expected.items()}
    assert model.customers() == 300  # retained buyers are counted among the 300 already
    assert model.orders() == 1170  # 600 + 300 + 270
    unit = model.unit_waterfall()
    assert unit["gmv"].amount == Decimal("84.62")  # 99,000 / 1,170 = 84.615…
    assert unit.end == unit.start - sum(s.amount for s in unit.deductions)


def test_sweep_runs_the_same_formulas(model):
    exact = TocLeadersStreamers(**{**dict(model), "retained_share": Decimal("0.5")})
    swept = bm.sweep(model, retained_share=np.array([0.3, 0.5]))
    # retained 300 × 0.5 = 150: acquisition 1,500
    assert swept["acquisition"][1] == pytest.approx(1500)
    for line in exact.pnl_lines():
        assert swept[line.key][1] == pytest.approx(float(line.value), rel=1e-12), line.key


def test_defaults_are_assumptions():
    # seed 000 gives no figure for this model
    schema = TocLeadersStreamers.model_json_schema()
    own = set(TocLeadersStreamers.model_fields) - set(bm.BusinessModel.model_fields)
    assert {schema["properties"][f]["source"].split(":")[0] for f in own} == {"assumption"}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("streamer_commission", 1.5, "less than or equal to 1"),
        ("slots", -1, "greater than or equal to 0"),
        ("bogus", 1, "Extra inputs are not permitted"),
    ],
)
def test_bad_fields(field, value, message):
    with pytest.raises(ValidationError, match=message) as info:
        TocLeadersStreamers(**{field: value})
    assert info.value.title == "TocLeadersStreamers"
    assert info.value.errors()[0]["loc"] == (field,)


def test_reach_above_the_market_is_refused():
    with pytest.raises(
        ValidationError,
        match=r"toc_leaders_streamers: leader and streamer reach add up to more than the market "
        r"\(leader_reach = 0.6, streamer_reach = 0.5\)",
    ):
        TocLeadersStreamers(leader_reach=0.6, streamer_reach=0.5)
