"""numpy-financial's own test cases for npv and irr, run against bizmodels.finance.

The cases and expected values are numpy-financial's (numpy_financial/tests/
test_financial.py of release 1.0.0, the version pinned, and of release 1.1.0, the next):
copyright (c) 2005-2019, NumPy Developers, BSD 3-Clause licence, whose notice is kept here:

    Redistribution and use in source and binary forms, with or without modification, are
    permitted provided that the following conditions are met: redistributions of source
    code must retain the above copyright notice, this list of conditions and the following
    disclaimer; redistributions in binary form must reproduce the above copyright notice,
    this list of conditions and the following disclaimer in the documentation and/or other
    materials provided with the distribution; neither the name of the NumPy Developers nor
    the names of any contributors may be used to endorse or promote products derived from
    this software without specific prior written permission. THIS SOFTWARE IS PROVIDED BY
    THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS" AND ANY EXPRESS OR IMPLIED WARRANTIES
    ARE DISCLAIMED.

Each case asserts bizmodels' function against numpy-financial's published expected value,
with numpy-financial's own tolerance. Where bizmodels documents a different answer (it
refuses where numpy-financial returns NaN; numpy-financial 1.1 changed which root `irr`
picks), the test says so and asserts bizmodels' documented behaviour instead, and that
numpy-financial's value is still a root of the same NPV.
"""

from decimal import Decimal, localcontext

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bizmodels.finance import IRRStatus, batch_irr, batch_irr_result, irr, npv

# --- TestFinancial.test_npv_irr_congruence (1.0.0; TestIrr in 1.1.0) -------------------------


def test_npv_irr_congruence():
    # IRR is the rate at which the present value of the cash flows is zero
    cashflows = np.array([-40000, 5000, 8000, 12000, 30000])
    assert abs(npv(irr(cashflows), cashflows)) <= 1e-10
    # ... and the 0-d rate batch_irr returns is a rate npv takes
    assert abs(npv(batch_irr(cashflows), cashflows)) <= 1e-10


# --- TestFinancial.test_irr (1.0.0) = TestIrr.test_basic_values (1.1.0) ----------------------


@pytest.mark.parametrize(
    ("v", "desired"),
    [
        ([-150000, 15000, 25000, 35000, 45000, 60000], 0.0524),
        ([-100, 0, 0, 74], -0.0955),
        ([-100, 39, 59, 55, 20], 0.28095),
        ([-100, 100, 0, -7], -0.0833),
        ([-100, 100, 0, 7], 0.06206),
        ([-5, 10.5, 1, -8, 1], 0.0886),
    ],
)
def test_irr_basic_values(v, desired):
    # 1.0.0: assert_almost_equal(npf.irr(v), desired, 2); 1.1.0: rtol=1e-2
    assert irr(v) == pytest.approx(desired, rel=1e-2)
    assert abs(irr(v) - desired) < 1.5 * 10**-2
    assert float(batch_irr(v)) == irr(v)


def test_irr_trailing_zeros():
    # 1.1.0 TestIrr.test_trailing_zeros
    assert irr([-5, 10.5, 1, -8, 1, 0, 0, 0]) == pytest.approx(0.0886, rel=1e-2)
    assert irr([-5, 10.5, 1, -8, 1, 0, 0, 0]) == irr([-5, 10.5, 1, -8, 1])


@pytest.mark.parametrize("v", [(-1, -2, -3), (1, 2, 3)])
def test_irr_numpy_gh_6744(v):
    # numpy-financial returns NaN where there is no solution (1.0.0: (-1, -2, -3); 1.1.0
    # adds (1, 2, 3)); bizmodels' irr refuses by name, and batch_irr gives NaN with the
    # reason, its documented "no IRR"
    with pytest.raises(ValueError, match=r"^values: no IRR: the cash flows never change sign"):
        irr(v)
    result = batch_irr_result(v)
    assert np.isnan(result.rate)
    assert result.status == IRRStatus.ONE_SIGN


GH_15 = [
    -3000.0,
    2.3926932267015667e-07,
    4.1672087103345505e-16,
    5.3965110036378706e-25,
    5.1962551071806174e-34,
    3.7202955645436402e-43,
    1.9804961711632469e-52,
    7.8393517651814181e-62,
    2.3072565113911438e-71,
    5.0491839233308912e-81,
    8.2159177668499263e-91,
    9.9403244366963527e-101,
    8.942410813633967e-111,
    5.9816122646481191e-121,
    2.9750309031844241e-131,
    1.1002067043497954e-141,
    3.0252876563518021e-152,
    6.1854121948207909e-163,
    9.4032980015353301e-174,
    1.0629218520017728e-184,
    8.9337141847171845e-196,
    5.5830607698467935e-207,
    2.5943122036622652e-218,
    8.9635842466507006e-230,
    2.3027710094332358e-241,
    4.3987510596745562e-253,
    6.2476630372575209e-265,
    6.598046841695288e-277,
    5.1811095266842017e-289,
    3.0250999925830644e-301,
    1.3133070599585015e-313,
]


def test_irr_gh_15():
    # 1.1.0 TestIrr.test_gh_15 (numpy-financial 1.0.0 raises LinAlgError on it)
    result = irr(GH_15)
    assert np.isfinite(result)
    # "Very rough approximation taken from the issue."
    assert result == pytest.approx(-0.9999999990596069, rel=1e-9)
    assert is_nearest_float(result, GH_15)


def test_irr_gh_15_does_not_take_down_a_batch():
    batch = np.zeros((5, len(GH_15)))
    batch[:, :5] = [-100, 39, 59, 55, 20]
    batch[2] = GH_15
    rates = batch_irr(batch)
    assert rates[2] == pytest.approx(-0.9999999990596069, rel=1e-9)
    np.testing.assert_allclose(np.delete(rates, 2), 0.28095, atol=1e-5)


GH_39 = [
    -217500.0,
    -217500.0,
    108466.80462450592,
    101129.96439328062,
    93793.12416205535,
    86456.28393083003,
    79119.44369960476,
    71782.60346837944,
    64445.76323715414,
    57108.92300592884,
    49772.08277470355,
    42435.24254347826,
    35098.40231225296,
    27761.56208102766,
    20424.721849802358,
    13087.88161857707,
    5751.041387351768,
    -1585.7988438735192,
    -8922.639075098821,
    -16259.479306324123,
    -23596.31953754941,
    -30933.159768774713,
    -38270.0,
    -45606.8402312253,
    -52943.680462450604,
    -60280.520693675906,
    -67617.36092490121,
]
GH_44 = [-1678.87, 771.96, 1814.05, 3520.30, 3552.95, 3584.99, 4789.91, -1]


def exact_npv(rate, values):
    """NPV and the size of its terms at this float rate, in 60-digit Decimal arithmetic."""
    with localcontext() as context:
        context.prec = 60
        growth = 1 + Decimal(rate)
        terms = [Decimal(v) / growth**t for t, v in enumerate(values)]
        return sum(terms), sum(abs(t) for t in terms)


def relative_npv(rate, values):
    """|NPV| over the size of its terms, exactly, at this float rate."""
    value, size = exact_npv(rate, values)
    return float(abs(value) / size)


def is_nearest_float(rate, values, ulps=16):
    """NPV changes sign within a few float64 steps of the rate: the root, to float64 (and
    to its conditioning: rounding in NPV's own terms moves a root by a few ulp)."""
    below = exact_npv(rate - ulps * np.spacing(rate), values)[0]
    above = exact_npv(rate + ulps * np.spacing(rate), values)[0]
    return below * above <= 0


@pytest.mark.parametrize(
    ("values", "theirs", "nearest"),
    [
        # 1.1.0's expected value 0.12; the root nearest zero, which 1.0.0 and bizmodels
        # return, is -1.8097% (numpy-financial 1.0.0 gives -0.01809678647396573)
        (GH_39, 0.12, -0.018096786473965),
        # 1.1.0's 1.00426 ("'true' value as calculated by Google sheets"); the root nearest
        # zero is -99.979% (numpy-financial 1.0.0 gives -0.9997912604283283)
        (GH_44, 1.00426, -0.99979126042833),
    ],
)
def test_irr_gh_39_gh_44_the_rule_of_1_0(values, theirs, nearest):
    # numpy-financial 1.1 picks another root (its changelog: "IRR: Select lowest positive
    # rate", "Use Newton's method"); bizmodels keeps 1.0's documented rule, the root
    # nearest zero. Both are roots of the same NPV:
    assert relative_npv(theirs, values) < 1e-4  # theirs is given to 5 or 6 digits
    ours = irr(values)
    assert is_nearest_float(ours, values)
    assert ours == pytest.approx(nearest, abs=1e-13)
    assert abs(ours) < abs(theirs)


def test_irr_issue_11_not_a_root():
    # bizmodels issue 11: numpy-financial 1.0.0 returns -0.4986 here, where NPV is 2.0e5;
    # the root is 0.96889 (1.1.0's gh-44 series with a last flow of -1e-30)
    values = [-1678.87, 771.96, 1814.05, 3520.30, 3552.95, 3584.99, -1e-30]
    ours = irr(values)
    assert ours == pytest.approx(0.96889, abs=5e-6)
    assert is_nearest_float(ours, values)
    assert relative_npv(-0.4986135320982723, values) > 0.1


def test_irr_no_real_solution():
    # 1.1.0 TestIrr.test_irr_no_real_solution_exception: [40000, 5000, 8000, 12000, 30000]
    # raises NoRealSolutionError with raise_exceptions=True; bizmodels always raises
    with pytest.raises(ValueError, match=r"^values: no IRR: the cash flows never change sign"):
        irr(np.array([40000, 5000, 8000, 12000, 30000]))


# --- TestFinancial.test_npv, test_npv_decimal (1.0.0); TestNpv (1.1.0) ----------------------


def test_npv():
    # 1.0.0: assert_almost_equal(npf.npv(0.05, [...]), 122.89, 2); 1.1.0: rtol=1e-2
    assert abs(npv(0.05, [-15000, 1500, 2500, 3500, 4500, 6000]) - 122.89) < 1.5e-2
    assert npv(0.05, [-15000.0, 1500.0, 2500.0, 3500.0, 4500.0, 6000.0]) == pytest.approx(
        122.89, rel=1e-2
    )


def test_npv_decimal():
    # 1.0.0 only (1.1.0 dropped the Decimal case): exactly this Decimal, to the last digit
    assert npv(Decimal("0.05"), [-15000, 1500, 2500, 3500, 4500, 6000]) == Decimal(
        "122.894854950942692161628715"
    )


@pytest.mark.parametrize("rate", [-1, -1.0])
def test_npv_rate_of_negative_one(rate):
    # 1.1.0 TestNpv.test_rate_of_negative_one_returns_nan: numpy-financial returns NaN;
    # bizmodels refuses the rate by name instead (no NaN leaves the library)
    with pytest.raises(ValueError, match=r"^rate = -1(\.0)?: must be > -1"):
        npv(rate, np.arange(5))


@pytest.mark.parametrize(
    "rates", [[[1, 2, 3]], np.empty(shape=(1, 1, 1)), [1, 2, 3]], ids=["2-d", "3-d", "1-d"]
)
def test_npv_invalid_rates_shape(rates):
    # 1.1.0 TestNpv.test_invalid_rates_shape (ValueError); bizmodels' npv takes one rate
    with pytest.raises(ValueError, match=r"^rate = .*: must be one number"):
        npv(rates, [1, 2, 3])


@pytest.mark.parametrize("cf", [[[[1, 2, 3]]], np.empty(shape=(1, 1, 1))], ids=["list", "array"])
def test_npv_invalid_cashflows_shape(cf):
    # 1.1.0 TestNpv.test_invalid_cashflows_shape (ValueError)
    with pytest.raises(ValueError, match=r"^values: expected a 1-D series"):
        npv(0.1, cf)


# 1.1.0 TestNpv.test_fuzz draws rates and cash flows of many dtypes and only checks that
# npv does not crash; here: any real rate and any series gives a finite number or a
# ValueError naming the argument, never NaN, inf or another exception.
real = st.one_of(
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(-1.5, 1.5),
)


@settings(max_examples=300, deadline=None)
@given(rate=real, values=st.lists(real, min_size=0, max_size=25))
def test_npv_fuzz(rate, values):
    try:
        result = npv(rate, values)
    except ValueError as exc:
        assert str(exc).startswith(("rate", "values"))
    else:
        assert np.isfinite(result)
