from decimal import Decimal

import numpy as np
import pytest
from pydantic import ValidationError

import bizmodels as bm
from bizmodels.models import VARIANTS
from bizmodels.models.sales_channel_build import SalesChannelBuild


@pytest.fixture
def fields(round_market, round_overheads):
    return {
        "market": round_market,
        "reach": Decimal("0.5"),
        "conversion": Decimal("0.2"),
        "outsourced_periods": 4,
        "outsourcer_fee_rate": Decimal("0.2"),
        "setup_cost": 3000,
        "own_team_per_period": 250,
        **round_overheads,
    }


def test_round_scenario_by_hand(fields):
    model = SalesChannelBuild(**fields)
    # pool 1000 × 0.5 = 500 customers, 20% buying each period at 100
    # outsourced periods 4: 500 × 4 × 0.2 = 400 orders × 100 = 40,000
    # self-run periods 12 − 4 = 8: 500 × 8 × 0.2 = 800 orders × 100 = 80,000
    # GMV 120,000; refunds 12,000; net sales 108,000; VAT 108,000 / 5 = 21,600
    # net revenue 86,400; goods on net orders (360 + 720) × 40 = 43,200; gross 43,200
    # outsourcer fee: net sales while outsourced 40,000 − 4,000 = 36,000 × 0.2 = 7,200
    # payment 1,080; fulfilment 1,080 × 10 = 10,800
    # contribution 43,200 − 7,200 − 1,080 − 10,800 = 24,120
    # acquisition 500 × 10 = 5,000; marketing 1,200; fixed 12,000; set-up 3,000;
    # own team 250 × 8 = 2,000; operating profit 24,120 − 23,200 = 920
    expected = {
        "gmv": 120_000,
        "refunds": 12_000,
        "net_sales": 108_000,
        "vat": 21_600,
        "net_revenue": 86_400,
        "cogs": 43_200,
        "gross_profit": 43_200,
        "outsourcer_fees": 7_200,
        "payment_fees": 1_080,
        "fulfilment": 10_800,
        "contribution_margin": 24_120,
        "acquisition": 5_000,
        "marketing": 1_200,
        "fixed_costs": 12_000,
        "channel_setup": 3_000,
        "own_team": 2_000,
        "operating_profit": 920,
    }
    assert model.waterfall().to_dict() == {k: Decimal(v) for k, v in expected.items()}
    assert model.customers() == 500  # the same people in both periods, counted once
    assert model.orders() == 1200
    assert model.gmv_by_segment() == {"sales_outsourced": 40_000, "sales_self_run": 80_000}


def test_the_three_ways_by_hand(fields):
    # pure outsourcing: 12 outsourced periods, no own team
    outsourced = SalesChannelBuild(**{**fields, "outsourced_periods": 12}).waterfall()
    # net sales 120,000 − 12,000 = 108,000, all while outsourced: fee 108,000 × 0.2 = 21,600
    assert outsourced["outsourcer_fees"].amount == 21_600
    assert outsourced["own_team"].amount == 0
    # pure self-run: no fee, own team 250 × 12 = 3,000
    self_run = SalesChannelBuild(**{**fields, "outsourced_periods": 0}).waterfall()
    assert self_run["outsourcer_fees"].amount == 0
    assert self_run["own_team"].amount == 3_000
    # the same sales whoever runs the channel
    assert outsourced.start == self_run.start == 120_000


def test_registered_as_a_variant_citing_seed_004():
    assert VARIANTS["sales_channel_build"] is SalesChannelBuild
    assert "sales_channel_build" not in bm.MODELS
    assert SalesChannelBuild.seed == "004"
    assert "004_fa64250602f99480.txt" in (SalesChannelBuild.__doc__ or "")
    assert "纯外包型" in (SalesChannelBuild.__doc__ or "")


def test_seed_gives_no_figures_so_every_default_is_an_assumption():
    schema = SalesChannelBuild.model_json_schema()
    for name in ("outsourced_periods", "outsourcer_fee_rate", "setup_cost", "own_team_per_period"):
        assert schema["properties"][name]["source"] == "assumption"


def test_default_model_reconciles():
    wf = SalesChannelBuild().waterfall()
    assert wf.end == wf.start - sum((s.amount for s in wf.deductions), Decimal(0))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("outsourcer_fee_rate", 1.5, "less than or equal to 1"),
        ("setup_cost", -1, "greater than or equal to 0"),
        ("own_team_per_period", -1, "greater than or equal to 0"),
        ("outsourced_periods", -1, "greater than or equal to 0"),
        ("bogus", 1, "Extra inputs are not permitted"),
    ],
)
def test_bad_fields(field, value, message):
    with pytest.raises(ValidationError, match=message) as info:
        SalesChannelBuild(**{field: value})
    assert info.value.title == "SalesChannelBuild"
    assert info.value.errors()[0]["loc"] == (field,)


def test_outsourced_periods_beyond_the_lifetime_are_refused():
    with pytest.raises(
        ValidationError,
        match=(
            r"sales_channel_build: outsourced periods exceed the lifetime "
            r"\(outsourced_periods = 13, lifetime = 12\)"
        ),
    ):
        SalesChannelBuild(outsourced_periods=13)


def test_unit_cost_above_price_is_refused(round_market):
    market = round_market.model_copy(update={"unit_cost": Decimal(120)})
    with pytest.raises(ValidationError, match=r"unit cost above price \(market.unit_cost = 120"):
        SalesChannelBuild(market=market)


def test_sweep_equals_exact_models(fields):
    model = SalesChannelBuild(**fields)
    values = [Decimal(0), Decimal(4), Decimal(7), Decimal(12)]
    swept = bm.sweep(model, outsourced_periods=np.array([float(v) for v in values]))
    for i, value in enumerate(values):
        exact = SalesChannelBuild(**{**fields, "outsourced_periods": value})
        lines = exact.pnl_lines()
        assert list(swept) == [line.key for line in lines]
        for line in lines:
            assert swept[line.key][i] == pytest.approx(float(line.value), rel=1e-9), line.key


def test_sweep_refuses_outsourced_periods_beyond_the_lifetime(fields):
    model = SalesChannelBuild(**fields)
    with pytest.raises(ValueError, match=r"outsourced periods exceed the lifetime at index 1"):
        bm.sweep(model, outsourced_periods=np.array([4.0, 13.0]))


def test_the_hand_over_is_at_the_start_of_a_period(fields):
    # the self-run customers are the same people later in their lives: their curve goes on
    # from the hand-over month, so it must be a whole month
    with pytest.raises(ValidationError, match=r"whole number of periods .*= 7\.5"):
        SalesChannelBuild(**{**fields, "outsourced_periods": Decimal("7.5")})


def test_the_three_ways_sell_alike_under_a_decaying_curve(fields):
    # 3 months at 50% retention, handed over after 1: outsourced 1 active period, self-run
    # 0.5 + 0.25 = 0.75, together the 1.75 of one cohort over 3 months
    shares = {}
    for outsourced in (0, 1, 3):
        model = SalesChannelBuild(
            **{
                **fields,
                "lifetime": 3,
                "retention": Decimal("0.5"),
                "outsourced_periods": outsourced,
            }
        )
        shares[outsourced] = model.gmv_by_segment()
    total = {k: sum(v.values()) for k, v in shares.items()}
    assert len(set(total.values())) == 1
    one = shares[1]
    assert one["sales_self_run"] / one["sales_outsourced"] == Decimal("0.75")
