from decimal import Decimal

import numpy as np
import pytest
from pydantic import ValidationError

import bizmodels as bm
from bizmodels._types import json_schema
from bizmodels.market import Market
from bizmodels.models import MODELS, VARIANTS
from bizmodels.models.company_run_weishang import CompanyRunWeishang


@pytest.fixture
def fields(round_market, round_overheads):
    return {
        "market": round_market,
        "staff": 2,
        "fans_per_staff": 300,
        "conversion": Decimal("0.25"),
        "base_salary": 400,
        "commission_rate": Decimal("0.1"),
        **round_overheads,
    }


def test_round_scenario_by_hand(fields):
    model = CompanyRunWeishang(**fields)
    # fans 2 staff × 300 = 600 (below the market's 1,000)
    # orders 600 × 12 × 0.25 = 1,800 at 100: GMV 180,000; refunds 18,000; net sales 162,000
    # VAT 162,000 / 5 = 32,400; net revenue 129,600; goods 1,620 × 40 = 64,800; gross 64,800
    # commission 162,000 × 0.1 = 16,200; payment 1,620; fulfilment 1,620 × 10 = 16,200
    # contribution 64,800 − 16,200 − 1,620 − 16,200 = 30,780
    # fan adding 600 × 10 = 6,000; marketing 1,200; fixed 12,000
    # salaries 2 × 400 × 12 = 9,600
    # operating profit 30,780 − 6,000 − 1,200 − 12,000 − 9,600 = 1,980
    expected = {
        "gmv": 180_000,
        "refunds": 18_000,
        "net_sales": 162_000,
        "vat": 32_400,
        "net_revenue": 129_600,
        "cogs": 64_800,
        "gross_profit": 64_800,
        "staff_commission": 16_200,
        "payment_fees": 1_620,
        "fulfilment": 16_200,
        "contribution_margin": 30_780,
        "acquisition": 6_000,
        "marketing": 1_200,
        "fixed_costs": 12_000,
        "staff_salaries": 9_600,
        "operating_profit": 1_980,
    }
    wf = model.waterfall()
    assert wf.to_dict() == {k: Decimal(v) for k, v in expected.items()}
    assert model.customers() == 600
    assert model.orders() == 1800
    assert [s.key for s in wf.steps][-3:] == ["fixed_costs", "staff_salaries", "operating_profit"]


def test_fans_are_capped_by_the_market(fields):
    # 5 staff × 300 = 1,500 fans wanted, but the market holds 1,000 people
    model = CompanyRunWeishang(**{**fields, "staff": 5})
    assert model.customers() == 1000
    assert model.waterfall()["staff_salaries"].amount == 5 * 400 * 12  # salaries are not capped


def test_is_a_variant():
    assert VARIANTS["company_run_weishang"] is CompanyRunWeishang
    assert "company_run_weishang" not in MODELS
    assert CompanyRunWeishang.seed == "003"
    assert "003_e213b8fe3b9defb8.txt" in (CompanyRunWeishang.__doc__ or "")


def test_defaults_are_assumptions_and_acquisition_is_adding_fans():
    # seed 003 names 底薪, 提成 and 加粉 but gives no figure
    schema = json_schema(CompanyRunWeishang)
    own = set(CompanyRunWeishang.model_fields) - {"market"}
    assert {schema["properties"][f]["source"].split(":")[0] for f in own} == {"assumption"}
    assert "加粉成本" in schema["properties"]["acquisition_cost"]["description"]


def test_sweep_equals_exact_models(fields):
    model = CompanyRunWeishang(**fields)
    values = [1, 2, 5]  # 5 staff fill the market: np.minimum on arrays
    swept = bm.sweep(model, staff=np.array([float(v) for v in values]))
    for i, value in enumerate(values):
        exact = CompanyRunWeishang(**{**fields, "staff": value})
        for line in exact.pnl_lines():
            assert swept[line.key][i] == pytest.approx(float(line.value), rel=1e-9), line.key


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("commission_rate", 1.5, "less than or equal to 1"),
        ("staff", -1, "greater than or equal to 0"),
        ("base_salary", Decimal("0.001"), "no more than 2 decimal places"),
        ("salary", 4000, "Extra inputs are not permitted"),
    ],
)
def test_bad_fields(field, value, message):
    with pytest.raises(ValidationError, match=message) as info:
        CompanyRunWeishang(**{field: value})
    assert info.value.title == "CompanyRunWeishang"
    assert info.value.errors()[0]["loc"] == (field,)


def test_the_shared_market_check_still_runs():
    with pytest.raises(
        ValidationError,
        match=r"company_run_weishang: unit cost above price \(market.unit_cost = 300, "
        r"market.price = 199\)",
    ):
        CompanyRunWeishang(market=Market(unit_cost=300))
