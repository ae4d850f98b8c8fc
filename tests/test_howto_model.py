"""The how-to's eleventh model (docs/how-to/add-a-model.md) runs as written and is right.

The page's Python blocks are run in order in one namespace, as the docs build runs them;
the model they define is then checked against figures worked out by hand.
"""

import re
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

import bizmodels as bm
from bizmodels.compliance import assess, profile_of
from bizmodels.models import MODELS, VARIANTS

PAGE = Path(__file__).parent.parent / "docs" / "how-to" / "add-a-model.md"
BLOCK = re.compile(r'^```python exec="on"[^\n]*\n(.*?)^```$', re.MULTILINE | re.DOTALL)


def page_blocks() -> list[str]:
    return BLOCK.findall(PAGE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def page():
    """The namespace the page's blocks leave behind; the registries are put back after."""
    # the package itself does not know the how-to's model
    assert "content_commerce" not in MODELS and "content_commerce" not in VARIANTS
    models, variants = dict(MODELS), dict(VARIANTS)
    namespace: dict = {"__name__": "add_a_model"}
    try:
        for code in page_blocks():
            exec(compile(code, str(PAGE), "exec"), namespace)
        yield namespace
    finally:
        MODELS.clear()
        MODELS.update(models)
        VARIANTS.clear()
        VARIANTS.update(variants)


def test_the_page_has_its_blocks():
    blocks = page_blocks()
    assert len(blocks) == 6
    assert "class ContentCommerce(BusinessModel):" in blocks[0]


def test_the_page_registers_a_variant_not_one_of_the_ten(page):
    cls = page["ContentCommerce"]
    assert VARIANTS["content_commerce"] is cls
    assert "content_commerce" not in MODELS and len(MODELS) == 10


def test_the_waterfall_reconciles(page):
    for wf in (page["model"].waterfall(), page["model"].unit_waterfall()):
        assert wf.end == wf.start - sum((s.amount for s in wf.deductions), Decimal(0))
        subtotal = wf.start
        for step in wf.steps[1:]:
            if step.kind.value == "deduction":
                subtotal -= step.amount
            else:
                assert step.amount == subtotal, step.key


def test_figures_by_hand(page):
    wf = page["ContentCommerce"](retention=1).waterfall().to_dict()
    # no churn: followers: 10,000 × 30% = 3,000; 1,800 of the brand's own, 1,200 won by
    # KOLs; orders: 3,000 × 12 periods × 15% = 5,400 at 199 yuan
    assert wf["gmv"] == Decimal("1074600.00")
    # the KOLs' followers: 1,200 × 12 × 0.15 × 199 = 429,840; × 0.95 kept × 20%
    assert wf["kol_commission"] == Decimal("81669.60")
    # 40 posts × 10 yuan × 12 periods; 6,000 yuan of content × 12 periods
    assert wf["ugc_rewards"] == Decimal("4800.00")
    assert wf["content"] == Decimal("72000.00")
    # the base's lines: 3,000 customers × 50 yuan; 5,000 and 20,000 yuan × 12 periods
    assert wf["acquisition"] == Decimal("150000.00")
    assert wf["marketing"] == Decimal("60000.00")
    assert wf["fixed_costs"] == Decimal("240000.00")
    assert page["model"].customers() == 3000
    # the default curve, 0.92 a month: each follower active Σ 0.92^k (k < 12) =
    # (1 − 0.92^12) / 0.08 = 7.8997… periods, so GMV is 3,000 × 7.8997… × 0.15 × 199
    periods = (1 - Decimal("0.92") ** 12) / Decimal("0.08")
    gmv = page["ContentCommerce"]().waterfall()["gmv"].amount
    assert gmv == (3000 * periods * Decimal("0.15") * 199).quantize(Decimal("0.01"))


def test_the_page_test_ran_and_can_fail(page):
    # the page's own test is in the namespace and holds; a model paying KOLs 10% fails it
    page["test_kol_commission_by_hand"]()
    cheaper = page["ContentCommerce"](kol_commission=Decimal("0.10"), retention=1).waterfall()
    assert cheaper["kol_commission"].amount == Decimal("40834.80")  # 408,348 × 10%


def test_the_sweep_equals_the_exact_model(page):
    cls = page["ContentCommerce"]
    rates = [Decimal("0.1"), Decimal("0.2"), Decimal("0.3")]
    swept = bm.sweep(cls(), kol_commission=np.array([float(r) for r in rates]))
    for i, rate in enumerate(rates):
        for line in cls(kol_commission=rate).pnl_lines():
            assert swept[line.key][i] == pytest.approx(float(line.value), rel=1e-12)


def test_cash_flows_sum_back_to_the_waterfall(page):
    model = type(page["model"])(retention=0.9)
    flows = model.cash_flows(acquisition=[1, 2, 1])
    wf = model.waterfall().to_dict()
    assert flows.totals() == {k: wf[k] for k in flows.totals()}


def test_a_bad_value_is_refused_naming_the_fields(page):
    with pytest.raises(
        ValueError,
        match=r"content_commerce: KOL commission and goods cost above the price "
        r"\(kol_commission = 0\.8, market\.unit_cost = 60, market\.price = 199\)",
    ):
        page["ContentCommerce"](kol_commission=Decimal("0.8"))


def test_compliance_reads_its_profile(page):
    model = page["model"]
    profile = profile_of(model)
    assert profile.declared and profile.own_sales_rate == Decimal("0.20")
    assert profile.pay_levels == 1
    assert "20%" in profile.evidence["own_sales"]
    assert assess(model).subject == "content_commerce"


def test_compare_takes_it_beside_the_ten(page):
    comparison = page["comparison"]
    assert len(comparison) == 11
    row = comparison["content_commerce"]
    # the default curve (0.92 a month): 3,000 × Σ 0.92^k (k < 12) × 0.15 × 199
    periods = (1 - Decimal("0.92") ** 12) / Decimal("0.08")
    assert row["gmv"] == (3000 * periods * Decimal("0.15") * 199).quantize(Decimal("0.01"))
