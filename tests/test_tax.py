"""Tax and payment fees (bizmodels.tax): every figure worked out by hand in the comments."""

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import bizmodels as bm
from bizmodels.tax import (
    LABOUR_MAX,
    Tax,
    labour_withholding,
    labour_withholding_array,
    payment_fee,
    payment_fee_fen,
    vat_in_price,
    vat_in_price_fen,
    vat_included,
)

# -- VAT included in a price and the payment fee --------------------------------------------


def test_vat_in_the_699_package_by_hand():
    # 699 × 0.13 / 1.13 = 90.87 / 1.13 = 80.4159… → 80.42
    assert vat_in_price(Decimal(699), Decimal("0.13")) == Decimal("80.42")
    assert vat_in_price_fen(69_900, Decimal("0.13")) == 8042
    # small-scale levy rate: 699 × 0.03 / 1.03 = 20.97 / 1.03 = 20.3592… → 20.36
    assert vat_in_price(Decimal(699), Decimal("0.03")) == Decimal("20.36")
    assert vat_in_price_fen(69_900, Decimal("0.03")) == 2036
    # 113 yuan at 13%: exactly 13 yuan of VAT
    assert vat_in_price(113, Decimal("0.13")) == Decimal("13.00")


def test_payment_fee_by_hand():
    # 0.6% × 699 = 4.194 → 4.19
    assert payment_fee(Decimal(699), Decimal("0.006")) == Decimal("4.19")
    assert payment_fee_fen(69_900, Decimal("0.006")) == 419
    # a half fen rounds up (四舍五入): 0.25 × 2% = 0.005 → 0.01; 250 fen × 0.2% = 0.5 → 1
    assert payment_fee(Decimal("0.25"), Decimal("0.02")) == Decimal("0.01")
    assert payment_fee_fen(250, Decimal("0.002")) == 1
    # and below a half, down: 249 fen × 0.2% = 0.498 → 0
    assert payment_fee_fen(249, Decimal("0.002")) == 0


def test_vat_included_is_the_formula_the_models_use_unrounded():
    # 100 × 0.06 / 1.06 = 5.660377…, left unrounded for the P&L
    assert vat_included(Decimal(100), Decimal("0.06")) == Decimal(6) / Decimal("1.06")
    floats = vat_included(np.array([113.0, 226.0]), 0.13)
    assert floats.tolist() == pytest.approx([13.0, 26.0], rel=1e-15)


def test_amounts_and_rates_of_the_wrong_kind_are_refused_by_name():
    with pytest.raises(TypeError, match=r"gross must be a Decimal or an int, not float"):
        vat_in_price(699.0, Decimal("0.13"))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"rate must be between 0 and 1, got 1.5"):
        vat_in_price(Decimal(699), Decimal("1.5"))
    with pytest.raises(ValueError, match=r"payment_fee_rate must be between 0 and 1, got -1"):
        payment_fee(Decimal(699), -1)
    with pytest.raises(ValueError, match=r"gross must be finite, got NaN"):
        vat_in_price(Decimal("NaN"), Decimal("0.13"))


def test_vat_rate_by_kind_and_regime():
    assert Tax().vat_rate("goods") == Decimal("0.13")
    assert Tax().vat_rate("service") == Decimal("0.06")
    small = Tax(vat="small_scale")
    assert small.vat_rate("goods") == small.vat_rate("service") == Decimal("0.03")
    assert Tax(vat="small_scale", small_scale_rate="0.01").vat_rate("goods") == Decimal("0.01")
    with pytest.raises(ValueError, match=r"kind must be 'goods' or 'service', got 'food'"):
        Tax().vat_rate("food")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("goods_rate", 1.5, "Input should be less than or equal to 1"),
        ("income_tax", "x", "Input should be 'labour_remuneration', 'flat' or 'none'"),
        ("payment_fee_rate", 0.00001, "Decimal input should have no more than 4 decimal places"),
        ("payment_fee_rate", -0.01, "Input should be greater than or equal to 0"),
        ("input_vat_rate", 2, "Input should be less than or equal to 1"),
    ],
)
def test_a_bad_tax_field_names_the_field_and_the_value(field, value, message):
    with pytest.raises(ValidationError) as caught:
        Tax(**{field: value})
    text = str(caught.value)
    assert f"\n{field}\n" in text and message in text and f"input_value={value!r}" in text


# -- the order waterfall of the 699 package ---------------------------------------------------


def _reconciles(wf):
    return wf.start - sum(s.amount for s in wf.deductions) == wf.end


def test_the_699_order_after_goods_vat_and_fees_by_hand():
    wf = bm.plans.liandong_699().order_waterfall(goods_cost=150)
    # 699 − 200 − 100 − 50 − 30 − 30 = 289 kept; − 150 goods = 139
    assert wf["platform_kept"].amount == Decimal(289)
    assert wf["gross_profit"].amount == Decimal(139)
    # VAT 699 × 0.13 / 1.13 = 80.4159… → 80.42; fee 699 × 0.006 = 4.194 → 4.19
    assert wf["vat"].amount == Decimal("80.42")
    assert wf["payment_fee"].amount == Decimal("4.19")
    # 139.00 − 80.42 − 4.19 = 54.39
    assert wf.end == Decimal("54.39")
    assert [s.key for s in wf.steps[-4:]] == ["gross_profit", "vat", "payment_fee", "after_tax"]
    assert _reconciles(wf)
    assert wf["vat"].label_zh == "增值税" and wf["payment_fee"].label_zh == "支付手续费"
    assert "no input VAT credited" in wf["vat"].note
    assert "未抵扣" in wf["vat"].note_zh


def test_without_goods_the_taxes_follow_what_the_platform_keeps():
    wf = bm.plans.liandong_699().order_waterfall()
    # 289 − 80.42 − 4.19 = 204.39
    assert [s.key for s in wf.steps[-4:]] == ["platform_kept", "vat", "payment_fee", "after_tax"]
    assert wf.end == Decimal("204.39")
    assert wf.steps[-1].label_en == "Left after VAT and fees"
    assert _reconciles(wf)


def test_a_small_scale_seller_pays_the_levy_rate_and_credits_nothing():
    plan = bm.plans.liandong_699(tax={"vat": "small_scale", "input_vat_rate": "0.13"})
    wf = plan.order_waterfall(goods_cost=150)
    # 699 × 0.03 / 1.03 = 20.3592… → 20.36, no input credit; 139 − 20.36 − 4.19 = 114.45
    assert wf["vat"].amount == Decimal("20.36")
    assert wf.end == Decimal("114.45")
    assert "levy rate" in wf["vat"].note and "no input VAT credit" in wf["vat"].note
    assert _reconciles(wf)


def test_input_vat_on_the_goods_is_credited_when_asked():
    plan = bm.plans.liandong_699(**{"tax": {"input_vat_rate": "0.13"}})
    wf = plan.order_waterfall(goods_cost=150)
    # input 150 × 0.13 / 1.13 = 17.2566… → 17.26; VAT 80.42 − 17.26 = 63.16
    # 139 − 63.16 − 4.19 = 71.65
    assert wf["vat"].amount == Decimal("63.16")
    assert wf.end == Decimal("71.65")
    assert "less input VAT 17.26" in wf["vat"].note
    assert _reconciles(wf)


def test_the_notes_say_what_the_tax_lines_assume():
    en = bm.plans.liandong_699().order_notes()
    zh = bm.plans.liandong_699().order_notes("zh")
    assert "general taxpayer, the goods rate 13%" in en[1] and "payment fee 0.6%" in en[1]
    assert "一般纳税人" in zh[1] and "支付手续费 0.6%" in zh[1]


def test_the_plan_command_shows_the_tax_lines(capsys):
    from bizmodels.cli import main

    assert main(["plan", "liandong_699", "--goods-cost", "150"]) == 0
    out = capsys.readouterr().out
    assert "VAT (增值税)" in out and "−80.42" in out
    assert "Payment fee (支付手续费)" in out and "−4.19" in out
    assert "Left after goods, VAT and fees" in out and "54.39" in out
    assert main(["plan", "liandong_699", "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert "增值税" in out and "支付手续费" in out and "204.39" in out


# -- income tax withheld on labour remuneration -----------------------------------------------


@pytest.mark.parametrize(
    ("yuan", "withheld_fen"),
    [
        ("0", 0),
        ("800", 0),  # 800 − 800 = 0
        ("800.01", 0),  # 0.01 × 20% = 0.002 yuan = 0.2 fen → 0
        ("4000", 64_000),  # (4000 − 800) × 20% = 640
        ("4000.01", 64_000),  # 4000.01 × 80% = 3200.008; × 20% = 640.0016 → 640.00
        ("25000", 400_000),  # 25000 × 80% = 20000; × 20% = 4000
        ("25000.01", 400_000),  # 20000.008 × 30% − 2000 = 4000.0024 → 4000.00
        ("62500", 1_300_000),  # 50000 × 30% − 2000 = 13000
        ("62500.01", 1_300_000),  # 50000.008 × 40% − 7000 = 13000.0032 → 13000.00
        ("1000000", 31_300_000),  # 800000 × 40% − 7000 = 313000
    ],
)
def test_withholding_edge_cases_by_hand(yuan, withheld_fen):
    fen = int(Decimal(yuan) * 100)
    assert labour_withholding(fen) == withheld_fen
    assert labour_withholding_array(np.array([fen], np.int64)).tolist() == [withheld_fen]


def test_the_engine_compiles_the_same_function():
    numba = pytest.importorskip("numba")
    compiled = numba.njit(labour_withholding)
    edges = [0, 1, 79_999, 80_000, 80_001, 399_999, 400_000, 400_001, 2_500_000, 2_500_001]
    edges += [6_250_000, 6_250_001, 100_000_000, 10**17, LABOUR_MAX]
    for income in edges:
        assert compiled(income) == labour_withholding(income), income


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=LABOUR_MAX - 1))
def test_withholding_is_monotone_continuous_and_at_most_32_percent(income):
    tax, after = labour_withholding(income), labour_withholding(income + 1)
    # one more fen of income withholds 0 or 1 more fen: the top marginal rate is
    # 80% × 40% = 32% of a fen, and the rounding moves it by less than a fen
    assert 0 <= after - tax <= 1
    # never above 32% of the income, plus the fen of rounding: 100 × tax ≤ 32 × income + 100
    assert 0 <= tax and 100 * tax <= 32 * income + 100


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=LABOUR_MAX), min_size=1, max_size=20))
def test_the_array_form_is_the_same_function(incomes):
    expected = [labour_withholding(x) for x in incomes]
    assert labour_withholding_array(np.array(incomes, np.int64)).tolist() == expected


def test_the_array_form_refuses_what_it_cannot_hold():
    with pytest.raises(ValueError, match=r"incomes must be 0 to 2305843009213693951 fen, got -1"):
        labour_withholding_array(np.array([5, -1]))
    with pytest.raises(TypeError, match=r"incomes must be integer fen, got an array of float64"):
        labour_withholding_array(np.array([1.5]))


def test_apply_rate_is_exact_at_the_edge_of_int64():
    # 2^62 fen at 0.4999: the product 2^62 × 4999 would overflow int64 (≈ 2.3 × 10^22);
    # the split gives Python's exact floor, and half up one fen more when the rest ≥ ½
    import numpy as np

    from bizmodels.tax import apply_rate

    big = 2**62
    assert apply_rate(big, 4999, 10_000, False) == big * 4999 // 10_000
    assert apply_rate(np.array([big], np.int64), 4999, 10_000, False)[0] == big * 4999 // 10_000
    assert apply_rate(5, 1, 2, True) == 3 and apply_rate(5, 1, 2, False) == 2  # 2.5 → 3 / 2
