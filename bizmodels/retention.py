"""Retention curves: how many of a cohort still buy, period by period.

A customer's purchases follow a retention curve ``S(t)``: the share of a cohort still active
``t`` periods after it was won (``S(0) = 1``). The curve is geometric, ``S(t) = r**t`` for a
monthly retention rate ``r`` (1: nobody leaves; 0: everyone buys in their first period only),
or any per-period curve given as a sequence (a fitted one), continued past its end at the
geometric rate. Seed 004's lifetime (总生命周期) is then the expected number of periods a
customer is active within the horizon, `expected_periods`; the lifetime waterfall multiplies
by it, and the monthly cash flows lay the same terms (`period_weights`) over the months, so
the two agree to the fen.

Each formula is written once and serves both exact `Decimal` inputs and float64 arrays (the
sweeps): the geometric sum in closed form, the curve as a sum of its terms.
"""

from __future__ import annotations

import math
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Annotated, Any

import numpy as np
from pydantic import AfterValidator, Field

from bizmodels._types import Rate

__all__ = ["RetentionCurve", "expected_periods", "period_weights", "survival"]


def _check_curve(curve: tuple[Decimal, ...] | None) -> tuple[Decimal, ...] | None:
    if curve is None:
        return None
    if not curve:
        raise ValueError("a retention curve needs at least one period (its first is 1)")
    if curve[0] != 1:
        raise ValueError(
            f"a retention curve starts at 1 (everyone is active in the period they are won), "
            f"got {curve[0]} in period 0"
        )
    for t in range(1, len(curve)):
        if curve[t] > curve[t - 1]:
            raise ValueError(
                f"a retention curve never rises (a share still active): period {t} is "
                f"{curve[t]}, above period {t - 1}'s {curve[t - 1]}"
            )
    return curve


RetentionCurve = Annotated[
    tuple[Rate, ...] | None,
    Field(max_length=1200),
    AfterValidator(_check_curve),
]
"""A per-period retention curve: shares from 0 to 1, the first 1, never rising, at most
1,200 periods; None for the geometric curve alone."""


def _alike(lifetime: Any, rate: Any) -> tuple[Any, Any]:
    """Both exact (`Decimal`; a Python int is exact) or both float64, never a mixture."""
    if isinstance(lifetime, int) and not isinstance(lifetime, bool):
        lifetime = Decimal(lifetime)
    if isinstance(rate, int) and not isinstance(rate, bool):
        rate = Decimal(rate)
    if isinstance(lifetime, Decimal) and isinstance(rate, Decimal):
        return lifetime, rate
    return _as_float(lifetime), _as_float(rate)


def _as_float(value: Any) -> Any:
    return float(value) if isinstance(value, Decimal) else value


def _is_float(value: Any) -> bool:
    return isinstance(value, (float, np.ndarray, np.floating))


def _floor(value: Any) -> Any:
    if isinstance(value, Decimal):
        return value.to_integral_value(ROUND_FLOOR)
    if _is_float(value):
        return np.floor(value)
    return math.floor(value)


def _power(base: Any, exponent: Any) -> Any:
    if isinstance(base, Decimal):
        # Decimal refuses 0 ** 0; a retention of 0 still keeps the first period whole
        return Decimal(1) if exponent == 0 else base ** Decimal(exponent)
    if _is_float(base) or _is_float(exponent):
        return np.power(base, exponent)
    return base**exponent


def _geometric_head(q: Any, n: Any, tail: Any) -> Any:
    """Σ_{k<n} q^k = (1 − q^n) / (1 − q), and n when q = 1.

    Exact for `Decimal`. In float64 the quotient is evaluated as ``expm1(n log q) /
    expm1(log q)`` with ``log q = log1p(q − 1)``: the same value, without the cancellation
    of ``1 − q^n`` and ``1 − q`` when q is near 1, so a sweep keeps its relative error there.
    """
    if isinstance(q, Decimal):
        return n if q == 1 else (1 - tail) / (1 - q)
    if not (_is_float(q) or _is_float(n)):
        return n if q == 1 else (1 - tail) / (1 - q)
    q, n = np.asarray(q, dtype=np.float64), np.asarray(n, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_q = np.log1p(q - 1)
        ratio = np.expm1(n * log_q) / np.expm1(log_q)
    # q = 1: n periods; q = 0: the first period only (1 if n ≥ 1); n = 0: none
    head = np.where(q == 1, n, np.where(q == 0, np.minimum(n, 1.0), ratio))
    return np.where(n == 0, 0.0, head)


def survival(t: int, rate: Any, curve: tuple[Any, ...] | None = None) -> Any:
    """The share of a cohort still active ``t`` periods after it was won.

    ``curve[t]`` within the curve, then its last value times ``rate`` per period beyond;
    ``rate ** t`` without a curve.

    Examples
    --------
    >>> survival(2, Decimal("0.5"))
    Decimal('0.25')
    >>> survival(3, Decimal("0.5"), (Decimal(1), Decimal("0.6")))
    Decimal('0.150')
    """
    if curve is None:
        return _power(rate, t)
    if isinstance(t, np.ndarray):  # a swept start: each scenario its own month
        n = len(curve)
        within = np.asarray([float(c) for c in curve])[np.minimum(t, n - 1).astype(int)]
        beyond = float(curve[-1]) * np.power(rate, np.maximum(t - n + 1, 0))
        return np.where(t < n, within, beyond)
    if t < len(curve):
        return curve[int(t)]
    return curve[-1] * _power(rate, t - len(curve) + 1)


def expected_periods(
    lifetime: Any,
    rate: Any,
    curve: tuple[Any, ...] | None = None,
    *,
    start: Any = 0,
    every: int = 1,
) -> Any:
    """Expected periods a customer is active within a horizon: seed 004's lifetime.

    Parameters
    ----------
    lifetime : Decimal or float64 array
        The horizon in the segment's own periods (a last partial period counts its fraction).
    rate : Decimal or float64 array
        Monthly retention rate, 0 to 1 (the geometric curve, and a curve's tail).
    curve : tuple, optional
        A per-period curve (months), continued at ``rate`` past its end.
    start : int
        Months after the customer was won at which the segment's first period falls (1 for
        the repeat orders after a first order).
    every : int
        Months between two of the segment's periods (12 for a yearly fee).

    Returns
    -------
    Decimal or float64 array
        ``Σ_k min(1, max(0, lifetime − k)) × S(start + k × every)``, over the periods
        ``k`` of the horizon. Without a curve, the closed form
        ``r^start × ((1 − q^n) / (1 − q) + (lifetime − n) × q^n)`` with ``q = r^every``
        and ``n = floor(lifetime)`` (``lifetime`` when ``q = 1``).

    Examples
    --------
    Twelve months at 80% monthly retention: a customer is active Σ 0.8^k (k < 12) = 4.66
    months on average.

    >>> expected_periods(Decimal(12), Decimal("0.8")).quantize(Decimal("0.0001"))
    Decimal('4.6564')
    >>> expected_periods(Decimal(3), Decimal(1))
    Decimal('3')
    """
    lifetime, rate = _alike(lifetime, rate)
    if curve is None:
        q = _power(rate, every)
        n = _floor(lifetime)
        tail = _power(q, n)
        head = _geometric_head(q, n, tail) + (lifetime - n) * tail
        if isinstance(start, (int, Decimal)) and start == 0:
            return head
        return _power(rate, start) * head
    return _curve_sum(lifetime, rate, curve, start, every)


def _curve_sum(lifetime: Any, rate: Any, curve: tuple[Any, ...], start: Any, every: int) -> Any:
    if isinstance(lifetime, Decimal):
        periods = int(lifetime.to_integral_value(ROUND_CEILING))
        one: Any = Decimal(1)
    else:
        periods = int(np.ceil(np.max(lifetime))) if np.size(lifetime) else 0
        one = 1.0
    total: Any = 0
    for k in range(periods):
        weight = lifetime - k
        if isinstance(weight, Decimal):
            weight = min(one, max(Decimal(0), weight))
        else:
            weight = np.clip(weight, 0.0, 1.0)
        value = survival(start + k * every, rate, curve)
        total = total + weight * value
    return total


def period_weights(
    lifetime: Decimal,
    rate: Decimal,
    curve: tuple[Decimal, ...] | None = None,
    *,
    start: int = 0,
    every: int = 1,
) -> list[tuple[int, Decimal]]:
    """The terms of `expected_periods` and the month each falls in, exact.

    Returns ``[(month, weight), ...]``: month ``start + k × every`` and weight
    ``min(1, lifetime − k) × S(start + k × every)``, for the periods ``k`` of the horizon;
    the weights sum to `expected_periods` (to the last of 28 digits). The cash flows lay a
    segment's orders over its months in proportion to them.

    Examples
    --------
    Two and a half years of a yearly fee at 90% monthly retention: the fee of year ``k`` is
    paid in month ``12k`` by the share still active then, the last half year's by half of it.

    >>> [(m, round(w, 4)) for m, w in period_weights(Decimal("2.5"), Decimal("0.9"), every=12)]
    [(0, Decimal('1.0000')), (12, Decimal('0.2824')), (24, Decimal('0.0399'))]
    """
    periods = int(lifetime.to_integral_value(ROUND_CEILING))
    out = []
    for k in range(periods):
        weight = min(Decimal(1), lifetime - k)
        month = start + k * every
        out.append((month, weight * survival(month, rate, curve)))
    return out
