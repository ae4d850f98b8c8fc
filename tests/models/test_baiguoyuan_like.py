from decimal import Decimal

import numpy as np
import pytest
from pydantic import ValidationError

import bizmodels as bm
from bizmodels.models import VARIANTS
from bizmodels.models.baiguoyuan_like import BaiguoyuanLike
from bizmodels.models.toc_membership import TocMembership
from bizmodels.presets import PRESETS


@pytest.fixture
def fields(round_market, round_overheads):
    overheads = {k: v for k, v in round_overheads.items() if k != "acquisition_cost"}
    return {
        "market": round_market,
        "reach": Decimal("0.5"),
        "conversion": Decimal("0.2"),
        "member_share": Decimal("0.2"),
        "member_conversion": Decimal("0.5"),
        "member_discount": Decimal("0.1"),
        "membership_fee": 120,
        "member_benefits": 1,
        "group_share": Decimal("0.4"),
        "group_conversion": Decimal("0.5"),
        "group_commission_rate": Decimal("0.05"),
        "online_share": Decimal("0.6"),
        "online_cac": 10,
        "offline_cac": 20,
        **overheads,
    }


def test_round_scenario_by_hand(fields):
    model = BaiguoyuanLike(**fields)
    # pool 1000 × 0.5 = 500: 100 paid members, 200 group members, 200 ordinary buyers
    # buyers: 200 × 12 × 0.2 = 480 orders × 100 = 48,000
    # members: 100 × 12 × 0.5 = 600 orders × 90 = 54,000
    # fees: 100 members × (12 / 12) × 120 = 12,000
    # group members: 200 × 12 × 0.5 = 1,200 orders × 100 = 120,000
    # GMV 234,000; refunds 23,400; net sales 210,600; VAT 210,600 / 5 = 42,120
    # net revenue 168,480; goods on net orders (432 + 540 + 1,080) = 2,052 × 40 = 82,080
    # gross 86,400
    # member benefits 100 × 1 × 12 = 1,200; group commission: the group's net sales
    # 120,000 − 12,000 = 108,000 × 0.05 = 5,400; payment 2,106; fulfilment 2,052 × 10 = 20,520
    # contribution 86,400 − 1,200 − 5,400 − 2,106 − 20,520 = 57,174
    # acquisition: 500 customers, online 500 × 0.6 × 10 = 3,000, offline 500 × 0.4 × 20
    # = 4,000 (14 a customer); marketing 1,200; fixed 12,000
    # operating profit 57,174 − 20,200 = 36,974
    expected = {
        "gmv": 234_000,
        "refunds": 23_400,
        "net_sales": 210_600,
        "vat": 42_120,
        "net_revenue": 168_480,
        "cogs": 82_080,
        "gross_profit": 86_400,
        "member_benefits": 1_200,
        "group_commission": 5_400,
        "payment_fees": 2_106,
        "fulfilment": 20_520,
        "contribution_margin": 57_174,
        "acquisition_online": 3_000,
        "acquisition_offline": 4_000,
        "marketing": 1_200,
        "fixed_costs": 12_000,
        "operating_profit": 36_974,
    }
    assert model.waterfall().to_dict() == {k: Decimal(v) for k, v in expected.items()}
    assert model.customers() == 500  # 200 + 100 + 200, the fees' payers counted once
    assert model.orders() == 2280  # 480 + 600 + 1,200; the 100 fees are not orders
    assert model.gmv_by_segment()["group_members"] == 120_000


def test_preset_figures_from_seed_001():
    # seed 001: 600多万社群成员 and App月活用户200万 already active; 16000 个社群;
    # 付费会员数累计110万+ (cumulative: half still paying, an assumption); 12 million won
    model = PRESETS["baiguoyuan_like"].model
    assert model.existing_customers == 8_000_000
    assert model.pool() == 20_000_000  # 12,000,000 × 1 + 8,000,000
    segments = {s.key: s for s in model.segments()}
    assert segments["group_members"].customers == 6_000_000  # 20,000,000 × 0.3
    assert segments["members"].customers == 550_000  # 20,000,000 × 0.0275
    assert segments["buyers"].customers == 20_000_000 - 6_000_000 - 550_000
    # 6,000,000 group members in groups of 6,000,000 / 16,000 = 375: the seed's 16,000
    assert model.groups() == 16_000
    assert model.members_per_group == 375


def test_acquisition_is_charged_on_the_members_won_not_the_cumulative_80_million():
    model = PRESETS["baiguoyuan_like"].model
    wf = model.waterfall()
    # 12,000,000 new members (20,000,000 − the 8,000,000 already active): 70% online at 8
    # yuan, 30% offline at 4 yuan: 67,200,000 and 14,400,000
    assert model.new_customers(model.customers()) == 12_000_000
    assert wf["acquisition_online"].amount == 67_200_000
    assert wf["acquisition_offline"].amount == 14_400_000


def test_existing_customers_buy_but_cost_no_acquisition(fields):
    # the round scenario with 100 of its 500 customers already in the pool: the pool is
    # 1000 × 0.4 + 100 = 500 again, so every sale is the same; acquisition falls to the
    # 400 won: online 400 × 0.6 × 10 = 2,400, offline 400 × 0.4 × 20 = 3,200
    fresh = BaiguoyuanLike(**fields).waterfall()
    model = BaiguoyuanLike(**{**fields, "reach": Decimal("0.4"), "existing_customers": 100})
    wf = model.waterfall()
    assert wf["gmv"].amount == fresh["gmv"].amount == 234_000
    assert wf["acquisition_online"].amount == 2_400
    assert wf["acquisition_offline"].amount == 3_200
    assert wf.end == fresh.end + 7_000 - 5_600


def test_existing_customers_beyond_the_pool_are_refused(fields):
    # group_share + member_share = 0.6: the ordinary buyers take the rest, so the segments
    # count the whole pool; existing customers are part of it by construction
    model = BaiguoyuanLike(**{**fields, "existing_customers": 100})
    assert model.customers() == 600  # 1000 × 0.5 + 100


def test_seed_defaults_cite_seed_001():
    assert BaiguoyuanLike().group_share == Decimal("0.3")  # 600万 of 20 million active
    assert BaiguoyuanLike().members_per_group == 375  # 600多万社群成员 / 16000 个社群
    assert BaiguoyuanLike().group_conversion == Decimal("0.5")  # 月复购率超50%
    assert BaiguoyuanLike().online_share == Decimal("0.7")  # 线上获客比近70%
    schema = BaiguoyuanLike.model_json_schema()["properties"]
    for name, phrase in [
        ("group_share", "600多万社群成员"),
        ("members_per_group", "16000 个社群"),
        ("group_conversion", "月复购率超50%"),
        ("online_share", "线上获客比近70%"),
    ]:
        assert schema[name]["source"].startswith("seed 001 (001_07a435858c0348ea.txt)")
        assert phrase in schema[name]["source"]
    # seed 001's 50% is the groups' monthly repurchase: the paid members' rate is assumed
    for name in (
        "member_conversion",
        "group_commission_rate",
        "online_cac",
        "offline_cac",
        "acquisition_cost",
    ):
        assert schema[name]["source"].split(":")[0] == "assumption"


def test_registered_as_a_variant_of_toc_membership():
    assert VARIANTS["baiguoyuan_like"] is BaiguoyuanLike
    assert "baiguoyuan_like" not in bm.MODELS
    assert issubclass(BaiguoyuanLike, TocMembership)
    assert BaiguoyuanLike.seed == "001"
    assert "001_07a435858c0348ea.txt" in (BaiguoyuanLike.__doc__ or "")


def test_default_model_reconciles():
    wf = BaiguoyuanLike().waterfall()
    assert wf.end == wf.start - sum((s.amount for s in wf.deductions), Decimal(0))


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("group_share", 1.5, "less than or equal to 1"),
        ("online_share", -0.1, "greater than or equal to 0"),
        ("offline_cac", -1, "greater than or equal to 0"),
        ("bogus", 1, "Extra inputs are not permitted"),
    ],
)
def test_bad_fields(field, value, message):
    with pytest.raises(ValidationError, match=message) as info:
        BaiguoyuanLike(**{field: value})
    assert info.value.title == "BaiguoyuanLike"
    assert info.value.errors()[0]["loc"] == (field,)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"member_share": 0.5, "group_share": 0.6},
            (
                r"paid members and group members together exceed the private pool "
                r"\(member_share = 0.5, group_share = 0.6\)"
            ),
        ),
        (
            {"acquisition_cost": 20},
            (
                r"acquisition_cost is not used: set online_cac and offline_cac "
                r"\(acquisition_cost = 20\)"
            ),
        ),
    ],
)
def test_cross_field_checks(fields, message):
    with pytest.raises(ValidationError, match=f"baiguoyuan_like: {message}"):
        BaiguoyuanLike(**fields)


def test_unit_cost_above_price_is_refused(round_market):
    market = round_market.model_copy(update={"unit_cost": Decimal(120)})
    with pytest.raises(ValidationError, match=r"unit cost above price \(market.unit_cost = 120"):
        BaiguoyuanLike(market=market)


@pytest.mark.parametrize("field", ["online_share", "group_share"])
def test_sweep_equals_exact_models(fields, field):
    model = BaiguoyuanLike(**fields)
    values = [Decimal("0.1"), Decimal("0.45"), Decimal("0.8")]
    swept = bm.sweep(model, **{field: np.array([float(v) for v in values])})
    for i, value in enumerate(values):
        exact = BaiguoyuanLike(**{**fields, field: value})
        lines = exact.pnl_lines()
        assert list(swept) == [line.key for line in lines]
        for line in lines:
            assert swept[line.key][i] == pytest.approx(float(line.value), rel=1e-9), line.key


def test_sweep_names_the_scenario_where_the_pool_overflows(fields):
    model = BaiguoyuanLike(**fields)
    with pytest.raises(ValueError, match=r"exceed the private pool at index 1"):
        bm.sweep(model, group_share=np.array([0.4, 0.9]))
