import datetime as dt
import re
import warnings
from decimal import Decimal, localcontext

import numpy as np
import numpy_financial as npf
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bizmodels.finance as finance
from bizmodels._limits import SizeError
from bizmodels.finance import (
    BatchIRR,
    IRRStatus,
    annual_to_monthly,
    batch_irr,
    batch_irr_result,
    discounted_payback,
    irr,
    monthly_to_annual,
    npv,
    payback_period,
    xirr,
    xnpv,
)

# Microsoft's XNPV and XIRR worked example (support.microsoft.com, "XNPV function" and
# "XIRR function"): XNPV at 9% = 2,086.65; XIRR = 0.373362535.
EXCEL_VALUES = [-10_000, 2_750, 4_250, 3_250, 2_750]
EXCEL_DATES = ["2008-01-01", "2008-03-01", "2008-10-30", "2009-02-15", "2009-04-01"]


# --- npv --------------------------------------------------------------------------------


def test_npv_numpy_financial_docstring_example():
    # numpy-financial, npv docstring: 8%, -40,000 then 5,000, 8,000, 12,000, 30,000
    cashflows = [-40_000, 5_000, 8_000, 12_000, 30_000]
    assert round(npv(0.08, cashflows), 5) == 3065.22267
    # ... and its split form: the initial investment added to the NPV of the rest
    assert round(npv(0.08, [0, *cashflows[1:]]) + cashflows[0], 5) == 3065.22267


def test_npv_excel_convention_shifts_by_one_period():
    # Microsoft, "NPV function", example 1: NPV(10%, -10000, 3000, 4200, 6800) = 1,188.44;
    # Excel discounts its first value by one period, numpy-financial by none
    flows = [-10_000, 3_000, 4_200, 6_800]
    assert round(npv(0.10, [0, *flows]), 2) == 1188.44
    assert round(npv(0.10, flows) / 1.10, 2) == 1188.44


@pytest.mark.parametrize("number_type", [Decimal, float])
def test_npv_number_types(number_type):
    flows = [number_type(v) for v in (-40_000, 5_000, 8_000, 12_000, 30_000)]
    result = npv(number_type("0.08"), flows)
    assert isinstance(result, number_type)
    assert round(result, 2) == number_type("3065.22")


def test_npv_decimal_is_exact_where_the_arithmetic_is():
    # -100 + 110 / 1.1 = 0 exactly in Decimal (in float: 1.4e-14)
    assert npv(Decimal("0.1"), [-100, 110]) == 0
    # a float rate mixed with Decimal flows is read by its shortest repr
    assert npv(0.1, [Decimal(-100), Decimal(110)]) == 0


def test_npv_first_value_is_not_discounted():
    assert npv(0.5, [7]) == 7
    assert npv(1.0, [0, 10]) == 5


# --- irr --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # numpy-financial, irr docstring examples
        ([-100, 39, 59, 55, 20], 0.28095),
        ([-100, 0, 0, 74], -0.0955),
        ([-100, 100, 0, -7], -0.0833),
        ([-100, 100, 0, 7], 0.06206),
        ([-5, 10.5, 1, -8, 1], 0.0886),
    ],
)
def test_irr_numpy_financial_docstring_examples(values, expected):
    assert round(irr(values), 5) == expected
    assert round(float(batch_irr(values)), 5) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        # Microsoft, "IRR function" example: -70,000 then 12,000 ... 26,000
        ([-70_000, 12_000, 15_000, 18_000, 21_000], -0.021),  # after four years: -2.1%
        ([-70_000, 12_000, 15_000, 18_000, 21_000, 26_000], 0.087),  # after five: 8.7%
        ([-70_000, 12_000, 15_000], -0.444),  # after two years: -44.4%
    ],
)
def test_irr_excel_example(values, expected):
    assert round(irr(values), 3) == expected


def test_irr_takes_decimals_as_float():
    assert irr([Decimal(-100), Decimal(110)]) == pytest.approx(0.1, abs=1e-15)


def test_irr_none_is_refused_with_the_reason():
    never = r"^values: no IRR: the cash flows never change sign \(all >= 0 or all <= 0\)"
    with pytest.raises(ValueError, match=never):
        irr([100, 10, 10])
    with pytest.raises(ValueError, match=never):
        irr([0, 0, 0])
    with pytest.raises(ValueError, match=r"^values: no IRR: the cash flows change sign, but NPV"):
        irr([-100, 250, -160])  # -100 + 250x - 160x^2 < 0 for every x: 62,500 < 64,000


def test_irr_of_a_series_that_returned_a_non_root():
    # issue 11: numpy-financial 1.0 gives -0.4986 (NPV 2.0e5 there); the root is 0.96889,
    # the same as without the -1e-30 to far more digits than float64 holds
    values = [-1678.87, 771.96, 1814.05, 3520.30, 3552.95, 3584.99, -1e-30]
    assert irr(values) == pytest.approx(0.96889, abs=5e-6)
    assert irr(values) == pytest.approx(irr(values[:-1]), rel=1e-15)


# --- xnpv and xirr ------------------------------------------------------------------------


def test_xnpv_excel_example():
    assert round(xnpv(0.09, EXCEL_VALUES, EXCEL_DATES), 2) == 2086.65


def test_xnpv_decimal_excel_example():
    result = xnpv(Decimal("0.09"), [Decimal(v) for v in EXCEL_VALUES], EXCEL_DATES)
    assert isinstance(result, Decimal)
    assert result.quantize(Decimal("0.01")) == Decimal("2086.65")


def test_xirr_excel_example():
    # Excel's 0.373362535 is within its stopping tolerance (1e-8) of the root 0.37336253352
    assert xirr(EXCEL_VALUES, EXCEL_DATES) == pytest.approx(0.373362535, abs=1e-8)
    # XNPV at the XIRR is zero
    assert abs(xnpv(xirr(EXCEL_VALUES, EXCEL_DATES), EXCEL_VALUES, EXCEL_DATES)) < 1e-9


def test_day_count_is_actual_days_over_365():
    # 2008 is a leap year: 366 days are 366/365 years, not one
    start, end = dt.date(2008, 1, 1), dt.date(2009, 1, 1)
    assert xnpv(0.1, [0, 110], [start, end]) == pytest.approx(110 / 1.1 ** (366 / 365))
    assert xirr([-100, 110], [start, end]) == pytest.approx(1.1 ** (365 / 366) - 1, abs=1e-14)
    assert xirr([-100, 110], ["2009-01-01", "2010-01-01"]) == pytest.approx(0.1, abs=1e-14)


def test_xirr_dates_in_any_order_after_the_first_and_same_day_flows_add():
    ordered = xirr(EXCEL_VALUES, EXCEL_DATES)
    shuffled = [0, 3, 1, 4, 2]
    values = [EXCEL_VALUES[i] for i in shuffled]
    dates = [EXCEL_DATES[i] for i in shuffled]
    assert xirr(values, dates) == pytest.approx(ordered, abs=1e-14)
    split = xirr([-6_000, -4_000, *EXCEL_VALUES[1:]], [EXCEL_DATES[0], *EXCEL_DATES])
    assert split == pytest.approx(ordered, abs=1e-14)


def test_xirr_returns_the_rate_nearest_zero_and_refuses_when_none():
    # -100 + 230 / 1.1^t1 ... : annual flows a year apart with IRRs of 10% and 20%
    dates = ["2021-01-01", "2022-01-01", "2023-01-01"]
    assert xirr([-100, 230, -132], dates) == pytest.approx(0.1, abs=1e-13)
    with pytest.raises(ValueError, match=r"^values: no IRR: the cash flows never change sign"):
        xirr([100, 10, 10], dates)
    with pytest.raises(ValueError, match=r"^values: no IRR: the cash flows change sign, but"):
        xirr([-100, 200, -150], dates)  # changes sign, NPV always < 0
    with pytest.raises(ValueError, match=r"^values: no IRR: the cash flows never change sign"):
        xirr([0, 0], dates[:2])


def test_xirr_never_returns_minus_one():
    # -100 now, 1e-8 five months later: (1 + r)^(152/365) = 1e-10, so 1 + r = 1e-24, which a
    # float64 rate cannot tell from -100%: refused, not returned as -1.0
    with pytest.raises(ValueError, match=r"^values: no IRR: NPV is not zero at any rate a float64"):
        xirr([-100, 1e-8], ["2020-01-01", "2020-06-01"])
    # 1 + r = 1e-5 a year later is held: -0.99999
    assert xirr([-1, 1e-5], ["2021-01-01", "2022-01-01"]) == pytest.approx(-0.99999, rel=1e-15)


# --- payback ------------------------------------------------------------------------------


def test_payback_interpolates_within_the_period():
    # 1,000 out, 300 a month in: 100 still owed after month 3, a third of month 4
    assert payback_period([-1000, 300, 300, 300, 300]) == pytest.approx(10 / 3)
    assert payback_period([Decimal(-1000), 400, 400, 400]) == Decimal("2.5")
    # cumulative exactly zero at the end of month 2
    assert payback_period([-100, 50, 50]) == 2


def test_payback_is_the_first_crossing():
    # -100, +50, -50, +30 cumulative: back above zero two thirds into month 1
    assert payback_period([-100, 150, -100, 80]) == pytest.approx(2 / 3)


def test_payback_never_and_at_once():
    assert payback_period([-100, 10, 10]) is None
    assert payback_period([0, -5, 10]) == 0
    assert payback_period([5]) == 0


def test_discounted_payback_hand_computed():
    # at 10%: 60/1.1 = 54.55 then 60/1.21 = 49.59; 45.45 still owed after year 1, and
    # 45.45/49.59 = (50/1.1)/(60/1.21) = 60.5/66 = 11/12 of year 2
    assert discounted_payback(0.1, [-100, 60, 60]) == pytest.approx(1 + 11 / 12)
    exact = discounted_payback(Decimal("0.1"), [-100, 60, 60])
    assert exact.quantize(Decimal("1e-20")) == (1 + Decimal(11) / 12).quantize(Decimal("1e-20"))
    assert discounted_payback(0.0, [-1000, 300, 300, 300, 300]) == pytest.approx(10 / 3)
    assert discounted_payback(0.5, [-100, 60, 60]) is None


# --- rate conversion ----------------------------------------------------------------------


def test_rate_conversion_compounds():
    assert annual_to_monthly(0.12) == pytest.approx(1.12 ** (1 / 12) - 1, abs=1e-16)
    assert round(annual_to_monthly(0.12), 6) == 0.009489
    assert monthly_to_annual(0.01) == pytest.approx(0.12682503013196977, abs=1e-16)
    # 1.01^12 has 25 significant digits: exact within Decimal's 28
    assert monthly_to_annual(Decimal("0.01")) == Decimal("0.126825030131969720661201")
    rates = np.array([-0.5, 0.0, 0.1, 2.0])
    np.testing.assert_allclose(monthly_to_annual(annual_to_monthly(rates)), rates, atol=1e-15)
    assert isinstance(annual_to_monthly(Decimal("0.12")), Decimal)


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize("rate", [-1, -1.5, Decimal(-2), float("nan"), float("inf"), "0.1"])
def test_bad_rate_named(rate):
    with pytest.raises(ValueError, match=r"^rate = "):
        npv(rate, [-100, 110])
    with pytest.raises(ValueError, match=r"^rate = "):
        discounted_payback(rate, [-100, 110])
    with pytest.raises(ValueError, match=r"^rate = "):
        xnpv(rate, [-100, 110], ["2020-01-01", "2021-01-01"])
    with pytest.raises(ValueError, match=r"^rate = "):
        annual_to_monthly(rate)


def test_bad_rate_in_an_array_names_its_index():
    with pytest.raises(ValueError, match=r"rate\[2\] = -1.0: must be > -1"):
        monthly_to_annual(np.array([0.1, 0.2, -1.0]))


@pytest.mark.parametrize(
    "function",
    [lambda v: npv(0.1, v), irr, payback_period, lambda v: discounted_payback(0.1, v)],
)
def test_bad_values_named(function):
    with pytest.raises(ValueError, match=r"^values: empty"):
        function([])
    with pytest.raises(ValueError, match=r"^values\[2\] = nan: must be a finite number"):
        function([-100, 10, float("nan")])
    with pytest.raises(ValueError, match=r"^values\[1\] = .*Infinity.*finite"):
        function([Decimal(-100), Decimal("Infinity")])
    with pytest.raises(ValueError, match=r"^values: expected a 1-D series"):
        function([[-100, 110]])


def test_bad_dates_named():
    with pytest.raises(ValueError, match=r"^dates: 4 dates for 5 values"):
        xnpv(0.09, EXCEL_VALUES, EXCEL_DATES[:4])
    with pytest.raises(ValueError, match=r"^dates\[2\] = 2007-12-31: precedes the first"):
        xirr([-100, 50, 60], ["2008-01-01", "2008-06-01", "2007-12-31"])
    with pytest.raises(ValueError, match=r"^dates: expected dates"):
        xirr([-100, 110], ["2008-01-01", "soon"])
    with pytest.raises(ValueError, match=r"^values: empty"):
        xirr([], [])


def test_batch_bad_values_named():
    values = np.ones((3, 4))
    values[1, 3] = np.inf
    with pytest.raises(ValueError, match=r"^values\[1, 3\] = inf: must be a finite number"):
        batch_irr(values)
    with pytest.raises(ValueError, match=r"^values: empty"):
        batch_irr(np.ones((3, 0)))
    with pytest.raises(ValueError, match=r"^values: expected numbers"):
        batch_irr([[-100, 110], [-100]])


# --- batch_irr ----------------------------------------------------------------------------


def realistic(n, months=60, seed=7):
    """Monthly shop cash flows: an investment, a noisy ramp-up, refits and closing costs."""
    rng = np.random.default_rng(seed)
    t = np.arange(1, months)
    investment = rng.uniform(20_000, 200_000, n)
    margin = investment * rng.uniform(-0.01, 0.08, n)
    ramp = rng.uniform(2, 12, n)
    flows = margin[:, None] * (1 - np.exp(-t / ramp[:, None]))
    flows += rng.normal(0, 0.35, (n, months - 1)) * np.abs(margin)[:, None]
    refit = rng.random(n) < 0.2
    month = rng.integers(12, months - 6, n)
    flows[refit, month[refit]] -= investment[refit] * rng.uniform(0.2, 0.8, refit.sum())
    closing = rng.random(n) < 0.1
    flows[closing, -1] -= investment[closing] * rng.uniform(0.1, 0.5, closing.sum())
    return np.round(np.column_stack([-investment, flows]), 2)


def reference(values):
    return np.array([npf.irr(row) for row in values])


def assert_agrees_with_numpy_financial(values, result):
    expected = reference(values)
    found = np.isfinite(expected)
    np.testing.assert_array_equal(np.isfinite(result), found)
    # absolute for rates within ±100% per period, relative beyond (a rate of 3,000 per
    # period is known to a few ulps, 1e-12 of it)
    error = np.abs(result[found] - expected[found]) / np.maximum(1, np.abs(expected[found]))
    assert np.max(error, initial=0.0) <= 1e-12


def test_batch_agrees_with_numpy_financial_on_realistic_series():
    values = realistic(1500)
    result = batch_irr_result(values)
    assert_agrees_with_numpy_financial(values, result.rate)
    assert set(result.status.tolist()) <= {
        IRRStatus.FOUND,
        IRRStatus.ONE_SIGN,
        IRRStatus.NO_REAL_ROOT,
    }


@pytest.mark.parametrize(("seed", "months", "count"), [(1, 2, 300), (2, 13, 300), (4, 120, 60)])
def test_batch_agrees_with_numpy_financial_on_random_series(seed, months, count):
    # pure noise: many sign changes, IRRs anywhere from -100% to thousands per period
    rng = np.random.default_rng(seed)
    values = rng.normal(0, 1, (count, months))
    values[: count // 2, 0] -= 5  # half of them an investment first
    result = batch_irr_result(values)
    assert_agrees_with_numpy_financial(values, result.rate)
    assert set(result.status.tolist()) <= {
        IRRStatus.FOUND,
        IRRStatus.ONE_SIGN,
        IRRStatus.NO_REAL_ROOT,
    }


def test_batch_several_irrs_gives_the_one_nearest_zero():
    def flows(*rates):
        # NPV with roots exactly at these rates: -100 × Π (x − 1/(1 + r)), x = 1/(1 + r)
        return list(-100 * np.poly([1 / (1 + r) for r in rates])[::-1])

    cases = [
        (flows(0.1, 0.2), 0.1),  # = [-100, 230, -132]: IRRs of 10% and 20%
        (flows(-0.05, 0.1), -0.05),  # one each side of zero
        (flows(0.05, 0.15, -0.1), 0.05),
        (flows(0.3, -0.2, 0.6, 0.8), -0.2),
    ]
    width = max(len(f) for f, _ in cases)
    values = np.array([f + [0] * (width - len(f)) for f, _ in cases])
    result = batch_irr_result(values)
    np.testing.assert_allclose(result.rate, [r for _, r in cases], atol=1e-13)
    assert (result.status == IRRStatus.FOUND).all()
    assert_agrees_with_numpy_financial(values, result.rate)


def test_batch_no_irr_says_why():
    values = [
        [100, 10, 10, 0],  # receives only
        [-5, -1, 0, 0],  # pays only
        [0, 0, 0, 0],
        [-100, 200, -150, 0],  # NPV = -100 + 200x - 150x² < 0 for every x
        [-100, 250, -160, 0],  # nearly touches zero (max -2.3), still no root
    ]
    result = batch_irr_result(values)
    assert np.isnan(result.rate).all()
    assert list(result.status) == [IRRStatus.ONE_SIGN] * 3 + [IRRStatus.NO_REAL_ROOT] * 2
    assert np.isnan(reference(values)).all()
    assert (
        list(result.reasons)
        == ["the cash flows never change sign (all >= 0 or all <= 0), so NPV is never zero"] * 3
        + ["the cash flows change sign, but NPV is not zero at any rate above -100%"] * 2
    )
    assert not result.found.any()


def test_batch_double_root_is_found():
    # NPV = -(x − 1/1.1)²: a double IRR of 10% (NPV touches zero), which numpy.roots
    # splits into a complex pair, so numpy-financial finds no rate. It is a root to
    # rounding, found to about the square root of the precision.
    values = np.array([[-1 / 1.21, 2 / 1.1, -1], [-100, 230, -132]])
    result = batch_irr_result(values)
    assert list(result.status) == [IRRStatus.FOUND, IRRStatus.FOUND]
    assert result.rate[0] == pytest.approx(0.1, abs=1e-7)
    assert result.rate[1] == pytest.approx(0.1, abs=1e-15)
    assert np.isnan(npf.irr(values[0]))
    # a double root nearer zero than a simple one: NPV = -(x - 1/1.1)^2 (x - 1/1.5)
    flows = -100 * np.poly([1 / 1.1, 1 / 1.1, 1 / 1.5])[::-1]
    assert irr(flows) == pytest.approx(0.1, abs=1e-7)
    assert float(batch_irr(flows)) == irr(flows)


def test_batch_edges():
    # a root at zero exactly; zeros at either end; a root exactly on a grid rate
    values = [[-100, 50, 50, 0], [0, 0, -100, 110], [-100, 110, 0, 0], [-1, 0, 0, 1]]
    np.testing.assert_allclose(batch_irr(values), [0.0, 0.1, 0.1, 0.0], atol=1e-15)
    assert_agrees_with_numpy_financial(np.array(values, dtype=float), batch_irr(values))
    # large and tiny rates
    assert float(batch_irr([-1, 1000])) == pytest.approx(999)
    assert float(batch_irr([-1000, 1])) == pytest.approx(-0.999)


def test_batch_shapes():
    assert batch_irr([-100, 110]).shape == ()
    values = np.tile([-100.0, 110.0], (2, 3, 1))
    assert batch_irr(values).shape == (2, 3)
    empty = batch_irr_result(np.zeros((0, 5)))
    assert empty.rate.shape == empty.status.shape == (0,)
    assert isinstance(empty, BatchIRR)


def test_batch_series_do_not_interact():
    values = realistic(50, seed=3)
    whole = batch_irr(values)
    one_by_one = np.array([float(batch_irr(row)) for row in values])
    np.testing.assert_allclose(whole, one_by_one, rtol=1e-14, atol=1e-15)


flows_strategy = st.lists(st.integers(-1000, 1000), min_size=2, max_size=12)


def exact_npv(rate, values):
    """NPV at this float rate and the size of its terms, in 60-digit Decimal arithmetic."""
    with localcontext() as context:
        context.prec = 60
        growth = 1 + Decimal(float(rate))
        terms = [Decimal(float(v)) / growth**t for t, v in enumerate(values)]
        return sum(terms), sum(abs(t) for t in terms)


def is_root(rate, values, tolerance=1e-9):
    """Exactly: |NPV| ≤ tolerance × the size of its terms at the rate or a float64 step or
    four from it, or NPV changes sign there (the rate is the float nearest a root; near
    -100%, 1 + r has few digits and NPV is steep)."""
    near = [r for r in (rate + k * np.spacing(rate) for k in range(-4, 5)) if r > -1]
    values_at = [exact_npv(r, values) for r in near]
    if any(abs(value) <= Decimal(tolerance) * size for value, size in values_at):
        return True
    signs = {value > 0 for value, _ in values_at}
    return len(signs) == 2


def npf_roots(values):
    """numpy-financial 1.0's candidate rates (every real positive root of numpy.roots) that
    are roots indeed, within 1e-9 of the rate: NPV changes sign there, or is zero to 1e-12
    of its size. A wrong one (issue 11) is no evidence of a nearer root."""
    try:
        roots = np.roots(np.asarray(values, dtype=float)[::-1])
    except np.linalg.LinAlgError:
        return []
    real = roots[(roots.imag == 0) & (roots.real > 0)].real
    found = []
    for r in 1 / real - 1:
        if not -1 < r < np.inf:
            continue
        width = 1e-9 * max(abs(r), 1e-6)
        low = max(r - width, (r - 1) / 2)  # above -100%
        below, above = (exact_npv(x, values)[0] for x in (low, r + width))
        if below * above <= 0 or is_root(r, values, 1e-12):
            found.append(r)
    return found


@settings(max_examples=200, deadline=None)
@given(st.lists(flows_strategy, min_size=1, max_size=8))
def test_batch_irr_properties(rows):
    width = max(len(r) for r in rows)
    values = np.array([r + [0] * (width - len(r)) for r in rows], dtype=float)
    result = batch_irr_result(values)
    for row, rate, status in zip(values, result.rate, result.status, strict=True):
        one_sign = (row >= 0).all() or (row <= 0).all()
        assert (status == IRRStatus.ONE_SIGN) == one_sign
        theirs = npf_roots(row)
        if status == IRRStatus.FOUND:
            # a root, and none of numpy-financial's is nearer zero
            assert is_root(rate, row)
            assert all(abs(rate) <= abs(r) * (1 + 2e-9) + 1e-12 for r in theirs)
        else:
            assert status in (IRRStatus.ONE_SIGN, IRRStatus.NO_REAL_ROOT)
            assert np.isnan(rate)
            assert theirs == []


# --- against pyxirr, when it is installed (not a dependency) --------------------------------


def test_against_pyxirr():
    pyxirr = pytest.importorskip("pyxirr")
    assert pyxirr.xirr(EXCEL_DATES, EXCEL_VALUES) == pytest.approx(xirr(EXCEL_VALUES, EXCEL_DATES))
    assert pyxirr.xnpv(0.09, EXCEL_DATES, EXCEL_VALUES) == pytest.approx(
        xnpv(0.09, EXCEL_VALUES, EXCEL_DATES)
    )
    # one sign change: a single IRR, which every method finds
    rng = np.random.default_rng(5)
    values = np.column_stack([-rng.uniform(500, 1500, 200), rng.uniform(0, 100, (200, 30))])
    theirs = np.array([pyxirr.irr(row) for row in values], dtype=float)
    ours = batch_irr(values)
    found = np.isfinite(theirs)
    np.testing.assert_allclose(ours[found], theirs[found], atol=1e-9)


def test_xirr_finds_a_double_root_nearer_zero_than_a_simple_one():
    # NPV = -(x - 1/1.1)^2 (x - 1/1.5) on flows a year of 365 days apart: a double IRR of
    # 10% (NPV touches zero without crossing) and a simple one of 50%; the nearest zero is
    # 10%, found to about the square root of the precision, without a warning
    flows = list(-100 * np.poly([1 / 1.1, 1 / 1.1, 1 / 1.5])[::-1])
    dates = ["2021-01-01", "2022-01-01", "2023-01-01", "2024-01-01"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert xirr(flows, dates) == pytest.approx(0.1, abs=1e-6)


# --- long series ------------------------------------------------------------------------


def annuity(rate, periods):
    """-PV, then 1 a period: PV = (1 - (1 + rate)^-periods) / rate, in 50-digit Decimal."""
    with localcontext() as context:
        context.prec = 50
        r = Decimal(rate)
        present = (1 - (1 + r) ** -periods) / r
    return np.concatenate([[-float(present)], np.ones(periods)])


@pytest.mark.parametrize(("rate", "periods"), [(0.005, 3000), (0.0002, 20_000), (-0.0001, 20_000)])
def test_long_series_root_to_1e_12(rate, periods):
    # an annuity's rate is known in closed form; 3,000 months or 20,000 days took numpy-
    # financial minutes or all memory (issue 11)
    values = annuity(rate, periods)
    assert irr(values) == pytest.approx(rate, rel=1e-12)
    assert float(batch_irr(values)) == irr(values)
    padded = np.zeros((2, periods + 500))
    padded[0, : periods + 1] = values
    padded[1, 499:] = values
    np.testing.assert_allclose(batch_irr(padded), rate, rtol=1e-12)


def test_mixed_lengths_padded_with_zeros_give_each_series_its_own_root():
    rng = np.random.default_rng(11)
    rows = [realistic(1, months=int(m), seed=int(s))[0] for m, s in rng.integers(19, 90, (40, 2))]
    width = max(len(r) for r in rows) + 5
    batch = np.zeros((len(rows), width))
    for i, row in enumerate(rows):
        start = i % 4  # some with leading zeros too: a later start moves no root
        batch[i, start : start + len(row)] = row
    result = batch_irr_result(batch)
    for row, rate, status in zip(rows, result.rate, result.status, strict=True):
        alone = batch_irr_result(row)
        assert status == alone.status
        if status == IRRStatus.FOUND:
            assert rate == pytest.approx(float(alone.rate), rel=1e-13, abs=1e-15)


# --- every answer a root, or a reason -----------------------------------------------------


def test_out_of_range_roots_are_refused_not_rounded():
    result = batch_irr_result([[-1e-300, 1e300], [-1, 1e-30], [-1, 1e300], [-1, 1e-15]])
    assert list(result.status) == [IRRStatus.OUT_OF_RANGE] * 2 + [IRRStatus.FOUND] * 2
    assert result.rate[2] == pytest.approx(1e300, rel=1e-15)  # 1 + r = 1e300
    assert result.rate[3] == pytest.approx(-1 + 1e-15, abs=1e-16)  # 1 + r = 1e-15
    with pytest.raises(ValueError, match=r"^values: no IRR: NPV is not zero at any rate a float64"):
        irr([-1, 1e-30])  # 1 + r = 1e-30: -100% to float64


def test_a_wrong_root_is_caught_by_the_check(monkeypatch):
    # the check is a guard against a defect: make the solver return a point that is not a
    # root, and the series gets NaN and the reason, the others their rates
    real = finance._newton

    def off(side, coef, lo, hi, f_lo, start):
        z, ok = real(side, coef, lo, hi, f_lo, start)
        return np.where(np.arange(z.size) == 0, 0.5 * (z + hi), z), ok

    monkeypatch.setattr(finance, "_newton", off)
    result = batch_irr_result([[-100, 39, 59, 55, 20], [-100, 110, 0, 0, 0]])
    assert list(result.status) == [IRRStatus.NOT_A_ROOT, IRRStatus.FOUND]
    assert np.isnan(result.rate[0]) and result.rate[1] == pytest.approx(0.1, abs=1e-15)
    with pytest.raises(ValueError, match=r"^values: no IRR: the rate found failed the check"):
        irr([-100, 39, 59, 55, 20])


def test_a_search_out_of_rounds_says_so(monkeypatch):
    # a double root needs the subdivision; with no rounds allowed it cannot settle
    monkeypatch.setattr(finance, "_MAX_ROUNDS", 0)
    result = batch_irr_result([[-1 / 1.21, 2 / 1.1, -1], [-100, 110, 0]])
    assert list(result.status) == [IRRStatus.UNRESOLVED, IRRStatus.FOUND]
    assert "could not prove" in result.reasons[0] and result.reasons[1] == ""


def test_memory_is_checked_before_any_work(monkeypatch):
    # irr needs about 584 bytes a period (the series, its two aligned copies, cumulative
    # sums and a block of evaluation points): at the limit it runs, one period more is
    # refused
    monkeypatch.setenv("BIZMODELS_MEMORY_LIMIT", str(584 * 1000))
    values = annuity(0.01, 999)
    assert irr(values) == pytest.approx(0.01, rel=1e-12)
    with pytest.raises(SizeError, match=r"^len\(values\) = 1001 needs about 585 kB of memory"):
        irr(np.append(values, 0))
    with pytest.raises(SizeError, match=r"^values.shape = \(3, 1000\) needs about"):
        batch_irr(np.tile(values, (3, 1)))


def test_sizes_are_checked_before_anything_that_size_is_allocated(monkeypatch):
    # a broadcast view of 10^12 flows takes no memory until something is computed from it
    monkeypatch.setenv("BIZMODELS_MEMORY_LIMIT", str(16 * 10**9))
    huge = np.broadcast_to(-1.0, (10**12,))
    with pytest.raises(SizeError, match=r"^len\(values\) = 1000000000000 needs about 584 TB"):
        irr(huge)
    with pytest.raises(SizeError, match=r"^values.shape = \(1000000, 1000000\) needs about 8 TB"):
        batch_irr(np.broadcast_to(-1.0, (10**6, 10**6)))
    with pytest.raises(SizeError, match=r"^len\(values\) = 1000000000000 needs about 64 TB"):
        npv(0.1, huge)
    with pytest.raises(SizeError, match=r"^len\(values\) = 1000000000000 needs about"):
        payback_period(huge)


# --- bad input ----------------------------------------------------------------------------


def test_npv_takes_the_0d_rate_batch_irr_returns():
    values = [-100, 39, 59, 55, 20]
    rate = batch_irr(values)
    assert rate.shape == ()
    assert abs(npv(rate, values)) < 1e-12
    assert npv(np.array(0.1), [-100, 110]) == pytest.approx(0, abs=1e-12)
    with pytest.raises(ValueError, match=r"^rate = \[0.1, 0.2\]: must be one number"):
        npv(np.array([0.1, 0.2]), [-100, 110])


def test_rates_near_minus_one_are_refused_where_float64_overflows():
    # (1 - 0.999)^-103 = 1e309: float64 cannot hold the term (issue 11: inf, then NaN)
    with pytest.raises(
        ValueError, match=r"^rate = -0.999: discounting values\[103\] = 1.0 by \(1 \+ rate\)\^-103"
    ):
        npv(-0.999, np.ones(200))
    assert npv(-0.999, np.ones(103)) == pytest.approx(1e306 / 0.999, rel=1e-9)  # Σ 1000^t
    exact = npv(Decimal("-0.999"), [1] * 200)
    assert exact == sum(Decimal(1000) ** t for t in range(200))
    with pytest.raises(ValueError, match=r"^rate = -0.999: discounting values\[103\]"):
        discounted_payback(-0.999, -np.ones(200))
    with pytest.raises(ValueError, match=r"^rate = -0.99: discounting values\[2\] = 1e\+305"):
        xnpv(-0.99, [1, 1, 1e305], ["2020-01-01", "2021-01-01", "2022-01-01"])
    with pytest.raises(ValueError, match=r"^values: the discounted sum is beyond float64"):
        npv(0.0, [1e308, 1e308])
    with pytest.raises(ValueError, match=r"^rate = 1e\+30: \(1 \+ rate\)\^12 is beyond float64"):
        monthly_to_annual(1e30)
    with pytest.raises(ValueError, match=r"^values: the cumulative cash flow up to values\[1\]"):
        payback_period([-1e308, -1e308, 1])


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (np.ma.masked_array([-100, 110, 5], mask=[0, 0, 1]), r"^values: masked arrays are not"),
        ("-100, 110", r"^values = '-100, 110': expected numbers, got text"),
        (["-100", "110"], r"^values: expected numbers, got an array of <U4"),
        ([-100, True], r"^values\[1\] = True: expected a number, got bool"),
        ([-100, None], r"^values\[1\] = None: expected a number, got NoneType"),
        ([-100, 10**400], r"^values\[1\] = 1.000e\+400: too large for a float64"),
        ([Decimal(-100), Decimal("1e400")], r"^values\[1\] = Decimal\('1E\+400'\): beyond"),
    ],
)
def test_what_is_not_a_series_of_numbers_is_refused(values, message):
    with pytest.raises(ValueError, match=message):
        irr(values)
    if not isinstance(values, list) or not isinstance(values[0], Decimal):
        with pytest.raises(ValueError, match=message):
            batch_irr(values)


# --- properties ---------------------------------------------------------------------------


def magnitude(low, high):
    """Numbers of either sign spread over orders of magnitude from 10^low to 10^high."""
    return st.builds(
        lambda sign, mantissa, exponent: sign * mantissa * 10.0**exponent,
        st.sampled_from([-1.0, 1.0]),
        st.floats(1, 10, exclude_max=True),
        st.integers(low, high),
    )


wide_flows = st.lists(
    st.one_of(magnitude(-6, 9), st.integers(-(10**6), 10**6).map(float), st.just(0.0)),
    min_size=1,
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(st.lists(wide_flows, min_size=1, max_size=6), st.data())
def test_every_rate_is_a_root_and_irr_is_batch_irr(rows, data):
    # padded at both ends by random zeros, in one batch
    lead = [data.draw(st.integers(0, 3)) for _ in rows]
    width = max(len(r) + z for r, z in zip(rows, lead, strict=True)) + data.draw(st.integers(0, 3))
    batch = np.zeros((len(rows), width))
    for i, (row, z) in enumerate(zip(rows, lead, strict=True)):
        batch[i, z : z + len(row)] = row
    result = batch_irr_result(batch)
    for row, rate, status, reason in zip(rows, *result[:2], result.reasons, strict=True):
        assert status in (
            IRRStatus.FOUND,
            IRRStatus.ONE_SIGN,
            IRRStatus.NO_REAL_ROOT,
            IRRStatus.OUT_OF_RANGE,
        )
        if status == IRRStatus.FOUND:
            assert -1 < rate < np.inf
            assert is_root(rate, row)
            alone = irr(row)
            assert alone == pytest.approx(rate, rel=1e-12, abs=1e-15)
            if len(row) <= 12:  # numpy.roots is reliable on short series
                assert all(abs(rate) <= abs(r) * (1 + 2e-9) + 1e-12 for r in npf_roots(row))
        else:
            assert np.isnan(rate)
            with pytest.raises(ValueError, match=f"^values: no IRR: {re.escape(reason)}$"):
                irr(row)


@settings(max_examples=100, deadline=None)
@given(wide_flows)
def test_xirr_on_yearly_dates_is_irr(values):
    # 365 days apart, a year each: XNPV is NPV, and the two searches (real exponents,
    # integer exponents) must find the same root, or the same reason for none
    dates = np.datetime64("2001-01-01") + 365 * np.arange(len(values))
    try:
        periodic = irr(values)
    except ValueError as exc:
        with pytest.raises(ValueError, match=f"^{re.escape(str(exc))}$"):
            xirr(values, dates)
    else:
        assert xirr(values, dates) == pytest.approx(periodic, rel=1e-10, abs=1e-13)
