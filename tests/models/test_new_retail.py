from decimal import Decimal

import numpy as np
import pytest
from pydantic import ValidationError

import bizmodels as bm
from bizmodels._types import json_schema
from bizmodels.models import MODELS, VARIANTS
from bizmodels.models.new_retail import NewRetail
from bizmodels.presets import PRESETS


@pytest.fixture
def fields(round_market, round_overheads):
    return {
        "market": round_market,
        "store_radius_km": 2,
        "app_radius_km": 10,
        "store_reach": Decimal("0.5"),
        "store_conversion": Decimal("0.5"),
        "app_reach": Decimal("0.25"),
        "app_conversion": Decimal("0.25"),
        "delivery_cost": 8,
        **round_overheads,
        "retention": 1,  # flat: every customer buys every period (hand computation)
    }


def test_round_scenario_by_hand(fields):
    model = NewRetail(**fields)
    # the store's 2 km hold (2 / 10)² = 1/25 of the 1,000 people within 10 km: 40
    # store customers 40 × 0.5 = 20, buying 20 × 12 × 0.5 = 120 orders = 12,000
    # the ring holds 960; app customers 960 × 0.25 = 240: 240 × 12 × 0.25 = 720 orders = 72,000
    # GMV 84,000; refunds 8,400; net sales 75,600; VAT 75,600 / 5 = 15,120
    # net revenue 60,480; goods on net orders (108 + 648) × 40 = 30,240; gross 30,240
    # payment 756; delivery only on app orders: 648 × 8 = 5,184 (the store ships nothing)
    # contribution 30,240 − 756 − 5,184 = 24,300
    # acquisition (20 + 240) × 10 = 2,600; marketing 1,200; fixed 12,000
    # operating profit 24,300 − 15,800 = 8,500
    expected = {
        "gmv": 84_000,
        "refunds": 8_400,
        "net_sales": 75_600,
        "vat": 15_120,
        "net_revenue": 60_480,
        "cogs": 30_240,
        "gross_profit": 30_240,
        "payment_fees": 756,
        "fulfilment": 5_184,
        "contribution_margin": 24_300,
        "acquisition": 2_600,
        "marketing": 1_200,
        "fixed_costs": 12_000,
        "operating_profit": 8_500,
    }
    assert model.waterfall().to_dict() == {k: Decimal(v) for k, v in expected.items()}
    assert model.customers() == 260
    assert model.orders() == 840
    assert model.gmv_by_segment() == {"store": 12_000, "app": 72_000}


def test_seed_radii():
    # seed 002: 從之前的兩公里延伸至十公里
    model = NewRetail()
    assert (model.store_radius_km, model.app_radius_km) == (2, 10)
    schema = json_schema(NewRetail)
    for name in ("store_radius_km", "app_radius_km"):
        source = schema["properties"][name]["source"]
        assert source.startswith("seed 002 (002_f13a0cfa10d43761.txt): ")
        assert "兩公里延伸至十公里" in source


def test_defaults_grow_the_store_four_times():
    # seed 002: 3倍以上 (revenue); store 10,000 / 25 × 0.5 × 12 × 0.8 = 1,920 orders,
    # app 9,600 × 0.1 × 12 × 0.5 = 5,760 orders, three times the store's
    gmv = NewRetail().gmv_by_segment()
    assert gmv["app"] == 3 * gmv["store"]


def test_is_a_variant():
    assert VARIANTS["new_retail"] is NewRetail
    assert "new_retail" not in MODELS
    assert NewRetail.seed == "002"
    assert "002_f13a0cfa10d43761.txt" in (NewRetail.__doc__ or "")


def test_sweep_equals_exact_models(fields):
    model = NewRetail(**fields)
    values = [1, 2, 5]
    swept = bm.sweep(model, store_radius_km=np.array([float(v) for v in values]))
    for i, value in enumerate(values):
        exact = NewRetail(**{**fields, "store_radius_km": value})
        for line in exact.pnl_lines():
            assert swept[line.key][i] == pytest.approx(float(line.value), rel=1e-9), line.key


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("store_reach", 1.5, "less than or equal to 1"),
        ("store_radius_km", -1, "greater than or equal to 0"),
        ("app_radius_km", 0, "greater than or equal to 0.001"),
        ("app_radius_km", 0.0009, "greater than or equal to 0.001"),
        ("radius_km", 5, "Extra inputs are not permitted"),
    ],
)
def test_bad_fields(field, value, message):
    with pytest.raises(ValidationError, match=message) as info:
        NewRetail(**{field: value})
    assert info.value.title == "NewRetail"
    assert info.value.errors()[0]["loc"] == (field,)


def test_store_radius_beyond_the_app_is_refused():
    with pytest.raises(
        ValidationError,
        match=r"new_retail: store radius beyond the app's delivery radius "
        r"\(store_radius_km = 12, app_radius_km = 10\)",
    ):
        NewRetail(store_radius_km=12)
    same = NewRetail(store_radius_km=10)  # the store covers it all: no app customers
    assert same.gmv_by_segment()["app"] == 0


def test_sweep_refuses_a_zero_app_radius_and_a_store_beyond_it(fields):
    model = NewRetail(**fields)
    with pytest.raises(ValueError, match=r"NewRetail.app_radius_km\[1\] = 0.0: must be >= 0.001"):
        bm.sweep(model, app_radius_km=np.array([10.0, 0.0]))
    # a metre is the least: the store's share (r/R)² of a radius of 1e-200 would be 0/0
    with pytest.raises(ValueError, match=r"app_radius_km\[0\] = 1e-200: must be >= 0.001"):
        bm.sweep(model, app_radius_km=np.array([1e-200]), store_radius_km=0)
    least = bm.sweep(model, app_radius_km=np.array([0.001]), store_radius_km=0.001)
    assert np.isfinite(least["operating_profit"]).all()
    with pytest.raises(ValueError, match=r"delivery radius at index 1 \(store_radius_km = 3.0"):
        bm.sweep(model, app_radius_km=np.array([10.0, 1.5]), store_radius_km=3)


def test_store_revenue_multiple_by_hand(fields):
    # store GMV 12,000 and app GMV 72,000 (test_round_scenario_by_hand):
    # (12,000 + 72,000) / 12,000 = 7
    assert NewRetail(**fields).store_revenue_multiple() == 7


def test_defaults_reproduce_seed_002s_three_times():
    # seed 002: 盒馬鮮生 ... 將的單店營收擴大3倍以上
    # store 10,000 × (2 / 10)² × 0.5 = 200 customers × 12 × 0.8 = 1,920 orders;
    # app 10,000 × 24/25 × 0.1 = 960 customers × 12 × 0.5 = 5,760 orders, the same price:
    # (1,920 + 5,760) / 1,920 = 4, at least the seed's 3
    multiple = NewRetail().store_revenue_multiple()
    assert multiple == 4 and multiple >= 3
    assert PRESETS["new_retail"].model.store_revenue_multiple() == 4
    source = json_schema(NewRetail)["properties"]["app_reach"]["source"]
    assert source.startswith("assumption: ") and "store_revenue_multiple is 4" in source


def test_the_multiple_follows_the_apps_penetration(fields):
    # app reach 0.05 of the ring: 960 × 0.05 = 48 customers × 12 × 0.25 = 144 orders = 14,400
    # against the store's 12,000: (12,000 + 14,400) / 12,000 = 2.2, below the seed's 3
    model = NewRetail(**{**fields, "app_reach": Decimal("0.05")})
    assert model.store_revenue_multiple() == Decimal("2.2")


def test_a_store_that_sells_nothing_has_no_multiple():
    with pytest.raises(
        ValueError,
        match=r"new_retail: the store sells nothing \(store_reach = 0, store_conversion = 0.80, "
        r"store_radius_km = 2\): no store revenue to take a multiple of",
    ):
        NewRetail(store_reach=0).store_revenue_multiple()
