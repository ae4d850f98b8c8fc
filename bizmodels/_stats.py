"""Statistics of members' amounts, in one place: quantiles, Gini, the top's share.

Every function here is exact: amounts are integers (fen, counts), and what is computed
from them is a `fractions.Fraction` (or an integer), so a caller turns it into the float
of a summary or the rounded `decimal.Decimal` of a finding without a second formula.

Conventions
-----------
- **Quantiles** are members' actual values by the inverted-CDF rule: at ``q`` the
  smallest value with at least a share ``q`` of the values at or below it, the value of
  rank ``⌈q · n⌉`` (rank 1 at least). ``q`` is read as the decimal it was written as:
  ``np.quantile(x, q, method="inverted_cdf")`` computes ``q · n`` in binary floating
  point and so disagrees where that product lands on a whole number: at ``n = 12,900``,
  ``q = 0.54`` it takes rank 6,967 where ``0.54 × 12,900 = 6,966`` exactly.
- **Gini** ``Σ (2i − n − 1) x_i / (n Σ x)`` over ``x`` sorted ascending, ``i`` = 1…n:
  0 when all amounts are equal, ``(n − 1)/n`` when one holds everything.
- **The top p's share**: the ``⌈p · n⌉`` largest amounts' share of the total.
- **When there is nothing to share** (no values, or a total of 0) the Gini and the top
  shares are undefined, and these functions return ``None``: never NaN, never a 0 that
  would read as "perfectly equal". What a caller shows in its place is its own documented
  choice (a summary shows "—"; a health finding reads no earnings as no concentration, 0).

Amounts must be non-negative for `gini` and `top_share` (earnings are); they are summed
in Python integers when an ``int64`` sum could overflow, so any amounts an ``int64`` array
holds give the exact answer.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

import numpy as np
import numpy.typing as npt

__all__ = [
    "ceil_times",
    "gini",
    "quantiles",
    "ratio",
    "rounded",
    "top_count",
    "top_share",
    "total",
]

_INT64_MAX = 2**63 - 1


def ceil_times(share: float, n: int) -> int:
    """``⌈share · n⌉`` with the share read as the decimal it was written as.

    In binary floating point ``0.07 × 100`` is ``7.000000000000001``, whose ceiling would
    count an eighth member of a hundred in "the top 7%".

    Examples
    --------
    >>> ceil_times(0.07, 100), 0.07 * 100
    (7, 7.000000000000001)
    """
    return math.ceil(Fraction(str(float(share))) * n)


def top_count(n: int, share: float) -> int:
    """Members in the top ``share`` of ``n``: ``⌈share · n⌉``, at least one.

    Examples
    --------
    >>> top_count(250, 0.01), top_count(5, 0.01), top_count(0, 0.1)
    (3, 1, 1)
    """
    return max(1, ceil_times(share, n))


def quantiles(values: npt.ArrayLike, qs: Sequence[float]) -> tuple[int, ...]:
    """Members' actual values at quantiles ``qs``: the smallest with ``F(x) ≥ q``.

    All 0 when there are no values (there is no member to take a value from).

    Examples
    --------
    >>> quantiles([40, 10, 30, 20], (0, 0.5, 0.75, 1))
    (10, 20, 30, 40)
    >>> quantiles([], (0.5,))
    (0,)
    """
    x = np.asarray(values, dtype=np.int64)
    n = x.shape[0]
    if n == 0:
        return tuple(0 for _ in qs)
    ranks = [min(max(ceil_times(q, n) - 1, 0), n - 1) for q in qs]
    # only the ranks asked for are put in place: O(n) per rank, not a full sort
    ordered = np.partition(x, sorted(set(ranks)))
    return tuple(int(ordered[r]) for r in ranks)


def total(values: npt.ArrayLike) -> int:
    """The exact sum of integer amounts (in Python integers where ``int64`` could overflow).

    Examples
    --------
    >>> total([2**62, 2**62]), total([])
    (9223372036854775808, 0)
    """
    x = np.asarray(values, dtype=np.int64)
    if x.shape[0] == 0:
        return 0
    if int(x.max()) <= _INT64_MAX // x.shape[0]:
        return int(x.sum())
    return sum(int(v) for v in x)


def gini(values: npt.ArrayLike) -> Fraction | None:
    """The Gini coefficient of non-negative amounts, exactly; None when the total is 0.

    Examples
    --------
    Three members earn nothing and one earns everything:

    >>> gini([0, 0, 0, 100])
    Fraction(3, 4)
    >>> gini([5, 5, 5, 5])
    Fraction(0, 1)
    >>> gini([0, 0]) is None and gini([]) is None
    True
    """
    x = np.sort(np.asarray(values, dtype=np.int64))
    n = x.shape[0]
    whole = total(x)
    if whole == 0:
        return None
    weights = 2 * np.arange(1, n + 1, dtype=np.int64) - n - 1
    # |Σ w x| ≤ (n − 1) Σ x: in int64 while that fits, else in Python integers
    if whole <= _INT64_MAX // max(n - 1, 1):
        weighted = int(np.dot(weights, x))
    else:
        nonzero = x != 0
        weighted = sum(int(w) * int(v) for w, v in zip(weights[nonzero], x[nonzero], strict=True))
    return Fraction(weighted, n * whole)


def top_share(values: npt.ArrayLike, share: float) -> Fraction | None:
    """Share of the total taken by the `top_count` largest amounts; None when the total is 0.

    Examples
    --------
    >>> top_share([1, 1, 2, 6], 0.25)
    Fraction(3, 5)
    >>> top_share([0, 0], 0.1) is None
    True
    """
    x = np.asarray(values, dtype=np.int64)
    n = x.shape[0]
    whole = total(x)
    if whole == 0:
        return None
    k = min(top_count(n, share), n)
    top = np.partition(x, n - k)[n - k :]
    return Fraction(total(top), whole)


def ratio(numerator: int, denominator: int) -> Fraction | None:
    """``numerator / denominator`` exactly; None when the denominator is 0.

    Examples
    --------
    >>> ratio(3, 4), ratio(1, 0)
    (Fraction(3, 4), None)
    """
    if denominator == 0:
        return None
    return Fraction(numerator, denominator)


def rounded(value: Fraction, places: int = 4) -> Decimal:
    """``value`` rounded half away from zero to ``places`` decimals, from the exact value.

    Rounding the exact fraction once, not a 28-digit Decimal quotient, so no value is
    rounded twice.

    Examples
    --------
    >>> rounded(Fraction(3, 5)), rounded(Fraction(1, 8), 2), rounded(Fraction(-1, 8), 2)
    (Decimal('0.6000'), Decimal('0.13'), Decimal('-0.13'))
    """
    scaled = abs(value) * 10**places
    whole, rest = divmod(scaled.numerator, scaled.denominator)
    if 2 * rest >= scaled.denominator:
        whole += 1
    # from the digits, not Decimal arithmetic: exact at any size, no context rounding
    return Decimal(f"{-whole if value < 0 else whole}E-{places}")
