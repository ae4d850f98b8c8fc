from decimal import Decimal

import numpy as np
import pytest
from pydantic import ValidationError

import bizmodels as bm
from bizmodels.models import VARIANTS
from bizmodels.models.c_to_b_chain import CToBChain
from bizmodels.models.tob_recruitment import TobRecruitment


@pytest.fixture
def fields(round_market, round_overheads):
    return {
        "market": round_market,
        "traffic_share": Decimal("0.5"),
        "small_c_rate": Decimal("0.4"),
        "big_c_rate": Decimal("0.5"),
        "small_b_rate": Decimal("0.2"),
        "big_b_rate": Decimal("0.25"),
        "small_c_conversion": Decimal("0.1"),
        "big_c_conversion": Decimal("0.5"),
        "package_price": 500,
        "package_cost": 150,
        "price_differential": Decimal("0.3"),
        "small_b_restock_rate": Decimal("0.5"),
        "big_b_restock_rate": Decimal("0.5"),
        "big_b_order_size": 10,
        "training_per_small_b": 200,
        **round_overheads,
    }


def test_round_scenario_by_hand(fields):
    model = CToBChain(**fields)
    # funnel: traffic 1000 × 0.5 = 500 → small C 500 × 0.4 = 200 → big C 200 × 0.5 = 100
    # → small B 100 × 0.2 = 20 → big B 20 × 0.25 = 5
    # furthest role reached: small C only 100, big C only 80, small B only 15, big B 5
    # small C: 100 × 12 × 0.1 = 120 orders × 100 = 12,000
    # big C: 80 × 12 × 0.5 = 480 orders × 100 = 48,000
    # entry packages: 20 × 500 = 10,000
    # small B restock at 100 × 0.7 = 70: 15 × 12 × 0.5 = 90 orders × 70 = 6,300
    # big B restock, 10 units at 70: 5 × 12 × 0.5 = 30 orders × 700 = 21,000
    # GMV 97,300; refunds 9,730; net sales 87,570; VAT 87,570 / 5 = 17,514
    # net revenue 70,056; goods on net orders: small C 108 × 40 = 4,320, big C 432 × 40
    # = 17,280, packages 18 × 150 = 2,700, small B 81 × 40 = 3,240, big B 27 × 400
    # = 10,800, together 38,340; gross 31,716
    # training 20 × 200 = 4,000; payment 875.70
    # fulfilment (108 + 432 + 18 + 81 + 27) = 666 × 10 = 6,660
    # contribution 31,716 − 4,000 − 875.70 − 6,660 = 20,180.30
    # acquisition 200 customers × 10 = 2,000; marketing 1,200; fixed 12,000
    # operating profit 20,180.30 − 15,200 = 4,980.30
    expected = {
        "gmv": "97300",
        "refunds": "9730",
        "net_sales": "87570",
        "vat": "17514",
        "net_revenue": "70056",
        "cogs": "38340",
        "gross_profit": "31716",
        "small_b_training": "4000",
        "payment_fees": "875.70",
        "fulfilment": "6660",
        "contribution_margin": "20180.30",
        "acquisition": "2000",
        "marketing": "1200",
        "fixed_costs": "12000",
        "operating_profit": "4980.30",
    }
    assert model.waterfall().to_dict() == {k: Decimal(v) for k, v in expected.items()}
    assert model.customers() == 200  # 100 + 80 + 20: everyone who bought, once
    assert model.orders() == 740  # 120 + 480 + 20 + 90 + 30
    assert model.gmv_by_segment() == {
        "small_c": 12_000,
        "big_c": 48_000,
        "entry_packages": 10_000,
        "small_b_restock": 6_300,
        "big_b_restock": 21_000,
    }


def test_to_b_model_takes_the_small_b_count(fields):
    chain = CToBChain(**fields)
    to_b = chain.to_b_model()
    assert isinstance(to_b, TobRecruitment)
    # 20 small B (big B included) over 1,000 customers = 0.5 × 0.4 × 0.5 × 0.2
    assert to_b.dealer_share == Decimal("0.02")
    assert to_b.customers() == 20 == chain.segments()[2].customers
    assert to_b.market == chain.market and to_b.lifetime == 12
    # the same entry packages: 20 × 500 = 10,000
    assert to_b.gmv_by_segment()["entry_packages"] == chain.gmv_by_segment()["entry_packages"]
    # restock: all 20 dealers, one unit at 70: 20 × 12 × 0.5 = 120 orders × 70 = 8,400
    assert to_b.gmv_by_segment()["restock"] == 8_400
    wf = to_b.waterfall()
    # the chain's training is the dealer's acquisition cost; no 推三返一 nor referral
    assert wf["acquisition"].amount == 4_000
    assert wf["recruit_three_refunds"].amount == 0 == wf["referral_rewards"].amount
    assert to_b.with_market(to_b.market).dealer_share == Decimal("0.02")
    assert chain.to_b_model(referral_rate=Decimal("0.1")).referral_rate == Decimal("0.1")


def test_registered_as_a_variant_citing_seed_004():
    assert VARIANTS["c_to_b_chain"] is CToBChain
    assert "c_to_b_chain" not in bm.MODELS
    assert CToBChain.seed == "004"
    doc = CToBChain.__doc__ or ""
    assert "004_fa64250602f99480.txt" in doc and "四个转型缺口" in doc


def test_seed_gives_only_the_structure_so_every_default_is_an_assumption():
    schema = CToBChain.model_json_schema()
    own = set(CToBChain.model_fields) - set(bm.BusinessModel.model_fields)
    assert own and all(schema["properties"][n]["source"].startswith("assumption") for n in own)


def test_default_model_reconciles():
    model = CToBChain()
    wf = model.waterfall()
    assert wf.end == wf.start - sum((s.amount for s in wf.deductions), Decimal(0))
    # 10,000 × 0.5 × 0.3 × 0.3 × 0.1 = 45 small B, 9 of them big B
    assert model.segments()[2].customers == 45
    assert model.segments()[4].customers == 9


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("small_b_rate", 1.5, "less than or equal to 1"),
        ("big_b_order_size", -1, "greater than or equal to 0"),
        ("training_per_small_b", -1, "greater than or equal to 0"),
        ("bogus", 1, "Extra inputs are not permitted"),
    ],
)
def test_bad_fields(field, value, message):
    with pytest.raises(ValidationError, match=message) as info:
        CToBChain(**{field: value})
    assert info.value.title == "CToBChain"
    assert info.value.errors()[0]["loc"] == (field,)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"package_cost": 1000},
            (
                r"entry package goods cost above its price "
                r"\(package_cost = 1000, package_price = 999\)"
            ),
        ),
        (
            {"price_differential": 0.8},  # 199 × 0.2 = 39.80 < 60
            (
                r"wholesale price below unit cost \(market.unit_cost = 60, market.price = 199, "
                r"price_differential = 0.8\)"
            ),
        ),
    ],
)
def test_cross_field_checks(fields, message):
    with pytest.raises(ValidationError, match=f"c_to_b_chain: {message}"):
        CToBChain(**fields)


def test_unit_cost_above_price_is_refused(round_market):
    market = round_market.model_copy(update={"unit_cost": Decimal(120)})
    with pytest.raises(ValidationError, match=r"unit cost above price \(market.unit_cost = 120"):
        CToBChain(market=market)


def test_sweep_equals_exact_models(fields):
    model = CToBChain(**fields)
    values = [Decimal("0.1"), Decimal("0.2"), Decimal("0.45")]
    swept = bm.sweep(model, small_b_rate=np.array([float(v) for v in values]))
    for i, value in enumerate(values):
        exact = CToBChain(**{**fields, "small_b_rate": value})
        lines = exact.pnl_lines()
        assert list(swept) == [line.key for line in lines]
        for line in lines:
            assert swept[line.key][i] == pytest.approx(float(line.value), rel=1e-9), line.key


# -- stock held by small and big B (issue 15): lifetime 1, any retention


def test_channel_stock_by_hand():
    m = CToBChain(lifetime=1)
    # small B = 10,000 × 0.5 × 0.3 × 0.3 × 0.1 = 45, big B 9; packages 45 × 999 = 44,955;
    # small-B restock 36 × 0.5 × 139.30 = 2,507.40; big-B 9 × 0.5 × 1,393 = 6,268.50;
    # net (44,955 + 2,507.40 + 6,268.50) × 0.95 = 51,044.355; the small and big C are consumers
    assert m.dealer_purchases() == Decimal("51044.355")
    assert m.channel_stock() == Decimal("15313.3065")  # × 0.3


def test_to_b_model_keeps_the_chains_retention():
    chain = CToBChain(retention=Decimal("0.9"), sell_through=Decimal("0.6"))
    to_b = chain.to_b_model()
    assert (to_b.retention, to_b.sell_through) == (Decimal("0.9"), Decimal("0.6"))
