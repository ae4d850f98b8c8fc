"""bizmodels._stats and bizmodels.plans.earnings: against their definitions, exactly."""

from decimal import Decimal
from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from bizmodels import _stats
from bizmodels.plans.earnings import rounded_gini, rounded_share

INT64_MAX = 2**63 - 1


def _quantile_by_definition(values, q):
    # the smallest value with at least a share q of the values at or below it
    ordered = sorted(values)
    n = len(ordered)
    share = Fraction(str(q))
    for i, v in enumerate(ordered):
        if Fraction(i + 1, n) >= share:
            return v
    return ordered[-1]


def _gini_by_pairs(values):
    # mean absolute difference over twice the mean: Σ|xi − xj| / (2 n Σx)
    n, total = len(values), sum(values)
    return Fraction(sum(abs(a - b) for a in values for b in values), 2 * n * total)


def test_quantiles_by_hand():
    assert _stats.quantiles([40, 10, 30, 20], (0, 0.25, 0.5, 0.75, 1)) == (10, 10, 20, 30, 40)
    assert _stats.quantiles([40, 10, 30, 20], (0.26, 0.51)) == (20, 30)
    assert _stats.quantiles([], (0.1, 0.9)) == (0, 0)


def test_quantile_where_binary_floating_point_rounds_up():
    # 0.54 × 12,900 is 6,966 exactly (6966.000000000001 in floating point): the 6,966th
    # smallest of 1 … 12,900 is 6,966. np.quantile(method="inverted_cdf") takes the next one.
    values = np.arange(1, 12_901, dtype=np.int64)
    assert _stats.quantiles(values, (0.54,)) == (6966,)
    assert _stats.quantiles(np.arange(1, 101), (0.07,)) == (7,)  # 0.07 × 100 = 7.000000000000001


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(-(2**62), 2**62), min_size=1, max_size=60),
    st.lists(st.integers(0, 1000), min_size=1, max_size=5),
)
def test_quantiles_match_the_definition(values, permille):
    qs = [k / 1000 for k in permille]
    got = _stats.quantiles(np.array(values, dtype=np.int64), qs)
    assert got == tuple(_quantile_by_definition(values, q) for q in qs)


def test_gini_by_hand():
    assert _stats.gini([0, 0, 0, 100]) == Fraction(3, 4)  # one of n takes all: (n − 1) / n
    assert _stats.gini([5, 5, 5, 5]) == 0
    assert _stats.gini([4, 1, 3, 2]) == Fraction(1, 4)
    assert _stats.gini([0, 0]) is None and _stats.gini([]) is None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, INT64_MAX), min_size=1, max_size=40))
def test_gini_matches_the_pairwise_formula_over_the_whole_int64_range(values):
    # amounts up to int64's maximum: their sums pass int64, the answer stays exact
    expected = _gini_by_pairs(values) if sum(values) else None
    assert _stats.gini(np.array(values, dtype=np.int64)) == expected


def test_top_share_by_hand():
    assert _stats.top_share([1, 1, 2, 6], 0.25) == Fraction(3, 5)  # the top ⌈0.25 · 4⌉ = 1
    assert _stats.top_share([1, 1, 2, 6], 0.5) == Fraction(4, 5)
    assert _stats.top_share(list(range(1, 31)), 0.1) == Fraction(28 + 29 + 30, 465)
    assert _stats.top_share([0, 0], 0.1) is None and _stats.top_share([], 0.1) is None
    # sums past int64: 2⁶² + 2⁶² + 5
    assert _stats.top_share([2**62, 2**62, 5], 0.1) == Fraction(2**62, 2**63 + 5)


def test_counts_of_the_top():
    assert _stats.top_count(250, 0.01) == 3 and _stats.top_count(5, 0.01) == 1
    assert _stats.top_count(0, 0.1) == 1
    assert _stats.ceil_times(0.1, 30) == 3 and _stats.ceil_times(0.07, 100) == 7
    assert _stats.total([2**62, 2**62]) == 2**63 and _stats.total([]) == 0


def test_rounding_half_away_from_zero_once():
    assert _stats.rounded(Fraction(1, 8), 2) == Decimal("0.13")
    assert _stats.rounded(Fraction(-1, 8), 2) == Decimal("-0.13")
    assert _stats.rounded(Fraction(5, 100_000)) == Decimal("0.0001")
    assert _stats.rounded(Fraction(49_999, 1_000_000_000)) == Decimal("0.0000")
    # 1/3 · 10⁴⁰: more digits than a Decimal context holds, none lost
    assert _stats.rounded(Fraction(10**40, 3)) == Decimal("3" * 40 + ".3333")


def test_earnings_shares_are_zero_when_nothing_was_earned():
    # the reading compliance's health findings show: no earnings, no concentration (ok)
    assert rounded_gini(np.zeros(4, dtype=np.int64)) == 0
    assert rounded_share(0, 0) == 0
    assert rounded_share(2, 3) == Decimal("0.6667")
