"""Money over time: NPV, IRR, dated XNPV/XIRR, payback, rate conversion and a batch IRR.

Conventions, stated once:

- **Periods.** ``values[0]`` happens now (t = 0) and ``values[t]`` at the end of period t, as
  in numpy-financial. The rate is per period: a monthly series takes a monthly rate
  (`annual_to_monthly` converts by compounding).
- **NPV.** `npv` is numpy-financial's: the first value is discounted by zero periods. Excel's
  ``NPV()`` discounts its first value by one period; ``npv(rate, [0, *values])`` gives
  Excel's number.
- **IRR.** Where NPV has several zeros, `irr` and `batch_irr` return numpy-financial's
  choice, the rate closest to zero; where it has none, NaN (`batch_irr_result` says why).
- **Dated flows.** `xnpv` and `xirr` use Excel's XNPV/XIRR day count: a flow on date d is
  discounted by (d − d₀)/365 years, actual days over 365, d₀ the first date given.
- **Number types.** `npv`, `xnpv`, the paybacks and the rate conversions give an exact-as-
  context `Decimal` for `Decimal` inputs (a float mixed in is read by its shortest repr);
  `irr`, `xirr` and `batch_irr` work in float64 (numpy-financial's `irr` is float-only).
- **Bad input.** A rate ≤ −100%, an empty or non-finite series, dates not matching the
  values: `ValueError` naming the argument and the index of the first bad element.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable, Sequence
from decimal import Decimal
from enum import IntEnum
from typing import Any, NamedTuple

import numpy as np
import numpy_financial as npf

from bizmodels._validation import FloatArray, _at, _first, as_decimal

BoolArray = np.ndarray[Any, np.dtype[np.bool_]]
IntArray = np.ndarray[Any, np.dtype[np.intp]]

_EPS = float(np.finfo(np.float64).eps)


# --------------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------------


def _is_decimal(value: Any) -> bool:
    if isinstance(value, Decimal):
        return True
    if isinstance(value, np.ndarray):
        return value.dtype == object and any(isinstance(v, Decimal) for v in value.flat)
    if isinstance(value, (list, tuple)):
        return any(isinstance(v, Decimal) for v in value)
    return False


def _check_rate(rate: Any, name: str = "rate", *, decimal: bool = False) -> Any:
    """A scalar rate as a `Decimal` (``decimal=True``) or a float, checked > −1."""
    if isinstance(rate, (bool, np.bool_)) or not isinstance(
        rate, (int, float, Decimal, np.integer, np.floating)
    ):
        raise ValueError(f"{name} = {rate!r:.80}: must be a number (a rate per period)")
    if isinstance(rate, Decimal) and not rate.is_finite():
        raise ValueError(f"{name} = {rate!r}: must be a finite number")
    if not isinstance(rate, Decimal) and not np.isfinite(rate):
        raise ValueError(f"{name} = {float(rate)!r}: must be a finite number")
    if rate <= -1:
        raise ValueError(f"{name} = {rate!r}: must be > -1 (a rate of -100% or less)")
    if decimal:
        return as_decimal(rate.item() if isinstance(rate, np.generic) else rate)
    return float(rate)


def _check_rates(rate: Any, name: str = "rate") -> FloatArray:
    """An array of rates as float64, each checked finite and > −1."""
    try:
        array = np.asarray(rate, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}: expected numbers, got {rate!r:.80}") from exc
    bad = ~np.isfinite(array)
    if bad.any():
        index = _first(bad)
        raise ValueError(f"{name}{_at(index)} = {float(array[index])!r}: must be a finite number")
    low = array <= -1
    if low.any():
        index = _first(low)
        raise ValueError(
            f"{name}{_at(index)} = {float(array[index])!r}: must be > -1 (a rate of -100% or less)"
        )
    return array


def _check_series(values: Any, name: str = "values", *, decimal: bool = False) -> Any:
    """A non-empty 1-D series of finite numbers: a list of `Decimal` or a float64 array."""
    try:
        array = np.asarray(values, dtype=object if decimal else np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}: expected numbers, got {values!r:.80}") from exc
    if array.ndim != 1:
        raise ValueError(f"{name}: expected a 1-D series of cash flows, got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name}: empty; a cash-flow series needs at least one value")
    if decimal:
        flows: list[Decimal] = []
        for i, item in enumerate(array):
            try:
                flow = as_decimal(item.item() if isinstance(item, np.generic) else item)
            except (TypeError, ValueError, ArithmeticError) as exc:
                raise ValueError(f"{name}[{i}] = {item!r:.40}: must be a number") from exc
            if not flow.is_finite():
                raise ValueError(f"{name}[{i}] = {item!r}: must be a finite number")
            flows.append(flow)
        return flows
    bad = ~np.isfinite(array)
    if bad.any():
        index = _first(bad)
        raise ValueError(f"{name}{_at(index)} = {float(array[index])!r}: must be a finite number")
    return array


def _float_series(values: Any, name: str = "values") -> FloatArray:
    """A checked series as float64, Decimals included (for the float-only IRRs)."""
    if _is_decimal(values):
        return np.asarray([float(v) for v in _check_series(values, name, decimal=True)])
    return np.asarray(_check_series(values, name))


def _check_dates(dates: Any, size: int, name: str = "dates") -> IntArray:
    """Days after the first date, one per value; no date may precede the first (Excel)."""
    try:
        days = np.asarray(dates, dtype="datetime64[D]")
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}: expected dates, got {dates!r:.80}") from exc
    if days.ndim != 1 or days.size != size:
        raise ValueError(
            f"{name}: {days.size} dates for {size} values; give one date per cash flow"
        )
    if np.isnat(days).any():
        index = _first(np.isnat(days))
        raise ValueError(f"{name}{_at(index)}: missing date (NaT)")
    offset: IntArray = (days - days[0]).astype(np.intp)
    early = offset < 0
    if early.any():
        index = _first(early)
        raise ValueError(
            f"{name}{_at(index)} = {days[index]}: precedes the first date {days[0]}; "
            "the first date starts the schedule (as in Excel's XNPV)"
        )
    return offset


# --------------------------------------------------------------------------------------------
# NPV and IRR on periodic flows
# --------------------------------------------------------------------------------------------


def npv(rate: Any, values: Any) -> Any:
    """Net present value of periodic cash flows, the first one now (numpy-financial's NPV).

    Parameters
    ----------
    rate : float or Decimal
        Discount rate per period (0.08 is 8%); > −1.
    values : sequence of float or Decimal, shape (n,)
        Cash flows, yuan: ``values[0]`` now, ``values[t]`` at the end of period t; outflows
        negative.

    Returns
    -------
    float or Decimal
        Σ values[t] / (1 + rate)^t; a `Decimal` if the rate or any value is a `Decimal`.

    Raises
    ------
    ValueError
        A rate ≤ −1, an empty series, or a value that is not a finite number.

    Notes
    -----
    The first value is discounted by zero periods, as in `numpy_financial.npv`. Excel's
    ``NPV(rate, v1, ..., vn)`` discounts ``v1`` by one period: it equals
    ``npv(rate, [0, v1, ..., vn])``, or ``npv(rate, values) / (1 + rate)``.

    References
    ----------
    numpy-financial, ``npv`` (its docstring example is this function's test); Microsoft,
    "NPV function" (the Excel convention).

    Examples
    --------
    What is a project worth at 8% a year that costs 40,000 now and returns 5,000, 8,000,
    12,000 and 30,000 at the end of years 1 to 4?

    >>> from bizmodels.finance import npv
    >>> round(npv(0.08, [-40_000, 5_000, 8_000, 12_000, 30_000]), 2)
    3065.22

    About 3,065 yuan more than it costs. Excel's ``NPV(10%, -10000, 3000, 4200, 6800)``,
    whose first flow falls a year from now, is ``npv`` with a zero in front:

    >>> round(npv(0.10, [0, -10_000, 3_000, 4_200, 6_800]), 2)
    1188.44
    """
    decimal = _is_decimal(rate) or _is_decimal(values)
    r = _check_rate(rate, decimal=decimal)
    flows = _check_series(values, decimal=decimal)
    if decimal:
        return npf.npv(r, np.asarray(flows, dtype=object))
    return float(npf.npv(r, flows))


def irr(values: Any) -> float:
    """Internal rate of return of periodic cash flows (numpy-financial's IRR).

    Parameters
    ----------
    values : sequence of float or Decimal, shape (n,)
        Cash flows, yuan: ``values[0]`` now, ``values[t]`` at the end of period t. Decimals
        are converted to float (numpy-financial's `irr` is float-only).

    Returns
    -------
    float
        The rate per period at which `npv` is zero; NaN if there is none (all flows of one
        sign, or no real rate above −100%). Where there are several, the one closest to
        zero.

    Raises
    ------
    ValueError
        An empty series or a value that is not a finite number.

    Notes
    -----
    `numpy_financial.irr` finds every root of Σ v_t x^t with ``numpy.roots`` and keeps the
    real, positive x = 1/(1 + r); among those rates it returns the one nearest zero. For a
    typical series (an investment, then inflows) there is exactly one. For many series at
    once use `batch_irr`, which returns the same root.

    References
    ----------
    numpy-financial, ``irr`` (its docstring examples are this function's tests).

    Examples
    --------
    What return per period does paying 100 now and receiving 39, 59, 55 and 20 give?

    >>> from bizmodels.finance import irr
    >>> round(irr([-100, 39, 59, 55, 20]), 5)
    0.28095

    28.1% per period. A series that never changes sign has no IRR:

    >>> irr([100, 10, 10])
    nan
    """
    return float(npf.irr(_float_series(values)))


# --------------------------------------------------------------------------------------------
# Dated cash flows
# --------------------------------------------------------------------------------------------

_YEAR = 365  # Excel XNPV/XIRR: actual days over 365, whatever the calendar year's length


def xnpv(rate: Any, values: Any, dates: Any) -> Any:
    """Net present value of cash flows on given dates (Excel's XNPV).

    Parameters
    ----------
    rate : float or Decimal
        Annual discount rate (0.09 is 9%); > −1.
    values : sequence of float or Decimal, shape (n,)
        Cash flows, yuan, outflows negative.
    dates : sequence of date-like, shape (n,)
        The date of each flow: `datetime.date`, ``numpy.datetime64`` or ISO text
        (``"2008-01-01"``); a time of day is dropped. The first date starts the schedule;
        the others may come in any order but none before it.

    Returns
    -------
    float or Decimal
        Σ values[i] / (1 + rate)^((dates[i] − dates[0]) / 365); a `Decimal` if the rate or
        any value is a `Decimal`.

    Raises
    ------
    ValueError
        A rate ≤ −1, an empty or non-finite series, a count of dates unlike the count of
        values, or a date before the first.

    Notes
    -----
    Day count: actual days between the dates over 365 (Excel's XNPV and XIRR), so a leap
    year's 366 days are 1.0027 years. Unlike `npv`, nothing is assumed about periods.

    References
    ----------
    Microsoft, "XNPV function" (its worked example is this function's test).

    Examples
    --------
    Microsoft's example: 10,000 paid on 1 January 2008, then 2,750, 4,250, 3,250 and 2,750
    received on four later dates; what are they worth at 9% a year?

    >>> from bizmodels.finance import xnpv
    >>> dates = ["2008-01-01", "2008-03-01", "2008-10-30", "2009-02-15", "2009-04-01"]
    >>> round(xnpv(0.09, [-10_000, 2_750, 4_250, 3_250, 2_750], dates), 2)
    2086.65

    2,086.65 yuan, as Excel gives.
    """
    decimal = _is_decimal(rate) or _is_decimal(values)
    r = _check_rate(rate, decimal=decimal)
    flows = _check_series(values, decimal=decimal)
    days = _check_dates(dates, len(flows))
    if decimal:
        growth = 1 + r
        return sum(
            (v / growth ** (Decimal(int(d)) / _YEAR) for v, d in zip(flows, days, strict=True)),
            Decimal(0),
        )
    return float(np.sum(flows * np.power(1.0 + r, -days / _YEAR)))


def xirr(values: Any, dates: Any) -> float:
    """Internal rate of return of cash flows on given dates (Excel's XIRR), annual.

    Parameters
    ----------
    values : sequence of float or Decimal, shape (n,)
        Cash flows, yuan, outflows negative (taken as float).
    dates : sequence of date-like, shape (n,)
        As for `xnpv`: the first date starts the schedule, none may precede it.

    Returns
    -------
    float
        The annual rate r at which `xnpv` is zero; NaN if there is none. Where there are
        several, the one closest to zero (numpy-financial's rule for `irr`).

    Raises
    ------
    ValueError
        As `xnpv`.

    Warns
    -----
    RuntimeWarning
        If the flows change sign several times and the search cannot rule out a root
        closer to zero than the one returned (NPV touching zero without crossing it).

    Notes
    -----
    Day count: (d − d₀)/365, as `xnpv`. Excel's XIRR runs Newton's method from a guess
    (10% by default) and returns the root it reaches; here the rates are scanned for sign
    changes of XNPV from zero outwards and the nearest is polished to full precision, so
    the answer does not depend on a guess. With one change of sign in the flows (an
    investment, then inflows) there is exactly one root and both agree.

    References
    ----------
    Microsoft, "XIRR function" (its worked example is this function's test).

    Examples
    --------
    Microsoft's example: what annual return do the flows of `xnpv`'s example give?

    >>> from bizmodels.finance import xirr
    >>> dates = ["2008-01-01", "2008-03-01", "2008-10-30", "2009-02-15", "2009-04-01"]
    >>> round(xirr([-10_000, 2_750, 4_250, 3_250, 2_750], dates), 8)
    0.37336253

    37.3% a year. Excel shows 0.373362535: its iteration stops within 1e-8 of the root,
    0.3733625335..., which is polished here to full precision.
    """
    flows = _float_series(values)
    days = _check_dates(dates, flows.size)
    dated, at = np.unique(days, return_inverse=True)
    w = np.zeros((1, dated.size))
    np.add.at(w[0], at, flows)  # flows on one day add up: the exponents strictly rise
    years = dated / _YEAR
    levels = [_level(years, grid) for grid in _XIRR_GRIDS]
    # Descartes' rule of signs bounds the roots for real exponents too
    result = _solve(w.T, levels, _power_eval, _changes)
    rate = float(result.rate[0])
    if result.status[0] == IRRStatus.FALLBACK:
        # No numpy-financial to defer to: say plainly what could not be proven.
        found = f"returning {rate!r}, the nearest found" if rate == rate else "none found"
        warnings.warn(
            "xirr: the flows change sign several times and NPV comes close to zero without "
            f"crossing it; a rate nearer zero could not be ruled out ({found})",
            RuntimeWarning,
            stacklevel=2,
        )
    return rate


# --------------------------------------------------------------------------------------------
# Payback
# --------------------------------------------------------------------------------------------


def _payback(flows: Sequence[Any]) -> Any:
    cumulative = flows[0]
    if cumulative >= 0:
        return 0 * cumulative
    for t in range(1, len(flows)):
        before = cumulative
        cumulative = cumulative + flows[t]
        if cumulative >= 0:
            # the period's flow is taken as spread evenly over it: the fraction of the
            # period needed is what was still owed over what the period brought
            return (t - 1) + (0 - before) / flows[t]
    return None


def payback_period(values: Any) -> Any:
    """Periods until the cumulative cash flow turns non-negative, interpolated in the period.

    Parameters
    ----------
    values : sequence of float or Decimal, shape (n,)
        Cash flows, yuan: ``values[0]`` now, ``values[t]`` during period t.

    Returns
    -------
    float, Decimal or None
        The first time T at which Σ flows up to T reaches zero: 0 if ``values[0] ≥ 0``;
        None if the cumulative flow stays negative to the end (never pays back).

    Raises
    ------
    ValueError
        An empty series or a value that is not a finite number.

    Notes
    -----
    With C_t = values[0] + … + values[t] and t the first period with C_t ≥ 0,
    T = (t − 1) + (−C_{t−1}) / values[t]: the flow of period t is taken as earned evenly
    through the period. This is the first crossing; later outflows that push the cumulative
    flow below zero again do not move it (look at the cumulative series for those).
    Undiscounted: see `discounted_payback` for the time value of money.

    Examples
    --------
    A shop costs 1,000 to open and brings 300 a month: when is the money back?

    >>> from bizmodels.finance import payback_period
    >>> payback_period([-1000, 300, 300, 300, 300])
    3.3333333333333335

    After 3⅓ months: 100 was still owed after month 3, a third of month 4's 300.
    """
    decimal = _is_decimal(values)
    flows = _check_series(values, decimal=decimal)
    result = _payback(flows if decimal else [float(v) for v in flows])
    return result if result is None or decimal else float(result)


def discounted_payback(rate: Any, values: Any) -> Any:
    """Periods until the cumulative discounted cash flow turns non-negative.

    Parameters
    ----------
    rate : float or Decimal
        Discount rate per period; > −1.
    values : sequence of float or Decimal, shape (n,)
        Cash flows, yuan: ``values[0]`` now, ``values[t]`` in period t.

    Returns
    -------
    float, Decimal or None
        `payback_period` of the flows values[t] / (1 + rate)^t; None if they never pay
        back; a `Decimal` if the rate or any value is a `Decimal`.

    Raises
    ------
    ValueError
        A rate ≤ −1, an empty series, or a value that is not a finite number.

    Notes
    -----
    Each flow is discounted by t periods (numpy-financial's convention, as in `npv`), then
    the cumulative discounted flow is interpolated within the period where it turns
    non-negative, as `payback_period` does. It pays back within the horizon exactly when
    ``npv(rate, values[:t+1]) ≥ 0`` for some t.

    Examples
    --------
    The same shop with money costing 1% a month: how much later is it paid back?

    >>> from bizmodels.finance import discounted_payback
    >>> round(discounted_payback(0.01, [-1000, 300, 300, 300, 300]), 3)
    3.408

    About 3.41 months instead of 3⅓: 117.70 of discounted money was still owed after
    month 3, and month 4 brought 288.29.
    """
    decimal = _is_decimal(rate) or _is_decimal(values)
    r = _check_rate(rate, decimal=decimal)
    flows = _check_series(values, decimal=decimal)
    growth = 1 + r
    discounted = [v / growth**t for t, v in enumerate(flows)]
    result = _payback(discounted)
    return result if result is None or decimal else float(result)


# --------------------------------------------------------------------------------------------
# Rate conversion
# --------------------------------------------------------------------------------------------


def _convert(rate: Any, power: int, inverse: bool) -> Any:
    if isinstance(rate, (np.ndarray, list, tuple)):
        r = _check_rates(rate)
        return (1 + r) ** (1 / power) - 1 if inverse else (1 + r) ** power - 1
    decimal = isinstance(rate, Decimal)
    value = _check_rate(rate, decimal=decimal)
    if inverse:
        return (1 + value) ** (Decimal(1) / power if decimal else 1 / power) - 1
    return (1 + value) ** power - 1


def annual_to_monthly(rate: Any) -> Any:
    """The monthly rate that compounds to an annual rate: (1 + rate)^(1/12) − 1.

    Parameters
    ----------
    rate : float, Decimal or array_like of float
        Annual rate (0.12 is 12%); > −1.

    Returns
    -------
    float, Decimal or float64 ndarray
        The equivalent monthly rate, of the input's type (a `Decimal` to the context's 28
        digits).

    Raises
    ------
    ValueError
        A rate ≤ −1 or not a finite number (for an array, naming the first bad index).

    Notes
    -----
    Compounding, not division: 12% a year is 0.949% a month, not 1%. Use it to discount a
    monthly cash-flow series with an annual cost of capital.

    Examples
    --------
    What monthly rate matches a 12% annual cost of capital?

    >>> from bizmodels.finance import annual_to_monthly
    >>> round(annual_to_monthly(0.12), 6)
    0.009489

    0.9489% a month.
    """
    return _convert(rate, 12, inverse=True)


def monthly_to_annual(rate: Any) -> Any:
    """The annual rate a monthly rate compounds to: (1 + rate)^12 − 1.

    Parameters
    ----------
    rate : float, Decimal or array_like of float
        Monthly rate (0.01 is 1%); > −1.

    Returns
    -------
    float, Decimal or float64 ndarray
        The equivalent annual rate, of the input's type.

    Raises
    ------
    ValueError
        A rate ≤ −1 or not a finite number (for an array, naming the first bad index).

    Examples
    --------
    A monthly IRR of 2% is what a year?

    >>> from decimal import Decimal
    >>> from bizmodels.finance import monthly_to_annual
    >>> monthly_to_annual(Decimal("0.02")).quantize(Decimal("0.0001"))
    Decimal('0.2682')

    26.82% a year, not 24%.
    """
    return _convert(rate, 12, inverse=False)


# --------------------------------------------------------------------------------------------
# Batch IRR
# --------------------------------------------------------------------------------------------


class IRRStatus(IntEnum):
    """Why `batch_irr_result` returned the rate it did, one per series."""

    FOUND = 0
    """The rate closest to zero, found by the vectorised scan and polished by Newton."""
    FALLBACK = 1
    """The scan could not prove which root is closest to zero (a double root, a tangency,
    or roots too close together): `numpy_financial.irr` was called for the series. Its
    rate may be NaN: ``numpy.roots`` usually splits a double root into a complex pair."""
    ONE_SIGN = 2
    """All flows ≥ 0 or all ≤ 0 (or all zero): NPV never crosses zero, so no IRR (NaN)."""
    NO_REAL_ROOT = 3
    """The flows change sign, yet NPV is nonzero at every rate above −100%, as the scan
    proved (e.g. −100, 250, −160): no IRR (NaN)."""


class BatchIRR(NamedTuple):
    """IRRs of many series and, per series, the reason for each (`IRRStatus` codes)."""

    rate: FloatArray
    """IRR per period of each series; NaN where there is none."""
    status: np.ndarray[Any, np.dtype[np.int8]]
    """`IRRStatus` code of each series, same shape as ``rate``."""

    @property
    def fallbacks(self) -> int:
        """How many series were handed to `numpy_financial.irr`."""
        return int(np.count_nonzero(self.status == IRRStatus.FALLBACK))


def batch_irr(values: Any) -> FloatArray:
    """IRR of many cash-flow series at once, the same root as `numpy_financial.irr`.

    Parameters
    ----------
    values : array_like of float, shape (..., n)
        Cash flows, one series per row (the last axis is time: ``values[..., 0]`` now,
        ``values[..., t]`` at the end of period t). Decimals are taken as float.

    Returns
    -------
    float64 ndarray, shape (...)
        Each series' IRR per period; NaN where it has none. `batch_irr_result` also gives
        the reason per series.

    Raises
    ------
    ValueError
        An empty last axis, or a value that is not a finite number (naming its index).

    Notes
    -----
    The IRR is a rate r > −1 with Σ v_t (1 + r)^−t = 0, i.e. a positive root x = 1/(1 + r)
    of the polynomial Σ v_t x^t. **Which one**: where there are several, the one closest
    to zero, as `numpy_financial.irr` chooses (it keeps the real positive roots of
    ``numpy.roots`` and takes the rate of least absolute value). Several IRRs come from
    flows that change sign more than once (a later outflow: a refit, a refund wave); no one
    of them is "the" return, and the one nearest zero is the most conservative. Prefer the
    NPV at a hurdle rate for such series. **None**: NaN, with `IRRStatus.ONE_SIGN` when
    the flows never change sign, `IRRStatus.NO_REAL_ROOT` when they do yet NPV has no zero.

    Where `numpy_financial.irr` finds a rate, this one agrees with it to 1e-12, relative
    to the rate beyond 100% per period (about 1e-14 on realistic series): both are within
    a few units of rounding of the root, numpy-financial's being an eigenvalue.
    A double root usually comes out of ``numpy.roots`` as a complex pair, which
    numpy-financial then skips; such series are handed to it (below), so the answer is
    still its answer.

    The method, with no Python loop per series:

    1. NPV at a fixed grid of 47 rates around zero, for all series in one matrix product
       (in x = 1/(1 + r) for r > 0 and y = 1 + r for r < 0, so no power exceeds 1).
    2. For each series, the sign change nearest zero on each side of zero.
    3. Vectorised Newton steps from an inverse quadratic guess, kept inside that bracket
       (bisection when a step would leave it), to machine precision.

    The root found is taken as the one nearest zero only when that is proven. Norstrom's
    criterion (Descartes' rule of signs applied to the cumulative flows, and to the
    cumulative flows counted from the end) bounds how many IRRs lie above and below
    zero: an investment followed by returns that pay it back has exactly one. When the
    scan found that many sign changes, every root is simple and bracketed. Otherwise each
    grid cell nearer zero must be shown root-free (a bound on the second derivative, or
    monotony) and the bracket to hold a single root (a bound on the third). Series left
    unproven are scanned again on a fine grid of 645 rates; the few still unproven
    (double roots, tangencies, roots closer together than the grid) go to
    `numpy_financial.irr` one by one: `IRRStatus.FALLBACK`, counted by
    `BatchIRR.fallbacks` (3 in 100,000 noisy series in ``benchmarks/irr.py``).

    References
    ----------
    numpy-financial, ``irr`` (the root selection matched here); Descartes' rule of signs.

    Examples
    --------
    Three shops: what monthly return does each give?

    >>> import numpy as np
    >>> from bizmodels.finance import batch_irr
    >>> flows = np.array([[-100, 39, 59, 55, 20], [-100, 0, 0, 74, 0], [100, 10, 10, 10, 0]])
    >>> batch_irr(flows).round(5).tolist()
    [0.28095, -0.0955, nan]

    28.1% and −9.6% a month, as `numpy_financial.irr` gives; the third only receives money,
    so it has no IRR.
    """
    return batch_irr_result(values).rate


_CHUNK = 8192  # series per pass: the vectors of each step then stay in the CPU's cache


def batch_irr_result(values: Any) -> BatchIRR:
    """`batch_irr` with the reason for each rate: an `IRRStatus` code per series.

    Parameters
    ----------
    values : array_like of float, shape (..., n)
        As for `batch_irr`.

    Returns
    -------
    BatchIRR
        ``rate`` and ``status``, both of shape (...); ``fallbacks`` counts the series
        passed to `numpy_financial.irr`.

    Raises
    ------
    ValueError
        As for `batch_irr`.

    Examples
    --------
    Why is an IRR missing?

    >>> from bizmodels.finance import IRRStatus, batch_irr_result
    >>> result = batch_irr_result([[-100, 110, 0], [100, 10, 0], [-100, 250, -160]])
    >>> [IRRStatus(code).name for code in result.status]
    ['FOUND', 'ONE_SIGN', 'NO_REAL_ROOT']

    The second only receives money; the third changes sign twice, but its NPV
    −100 + 250x − 160x² has no real root.
    """
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"values: expected numbers, got {values!r:.80}") from exc
    if array.ndim == 0:
        raise ValueError("values: expected series of cash flows, shape (..., n)")
    if array.shape[-1] == 0:
        raise ValueError("values: empty; each cash-flow series needs at least one value")
    # One sum finds a NaN or an infinity anywhere (they propagate); the search for its
    # index runs only then, and a finite overflow to inf is not an error.
    if not np.isfinite(array.sum()):
        bad = ~np.isfinite(array)
        if bad.any():
            index = _first(bad)
            raise ValueError(
                f"values{_at(index)} = {float(array[index])!r}: must be a finite number"
            )
    shape = array.shape[:-1]
    flat = array.reshape(-1, array.shape[-1])
    result = _Solved(np.empty(flat.shape[0]), np.empty(flat.shape[0], dtype=np.int8))
    levels = _batch_levels(flat.shape[1])
    tighter = functools.partial(_norstrom_bounds, order=2)
    for start in range(0, flat.shape[0], _CHUNK):
        chunk = slice(start, start + _CHUNK)
        # Time along the first axis: each step of Horner's rule and of the cumulative
        # sums is then one contiguous vector operation across the chunk's series.
        flows_t = np.ascontiguousarray(flat[chunk].T)
        part = _solve(flows_t, levels, _horner_eval, _norstrom_bounds, tighter)
        result.rate[chunk], result.status[chunk] = part
    # A multiple root at zero (NPV and its slope both zero at r = 0) is split by
    # numpy.roots into tiny or complex roots: numpy-financial's answer is taken there too.
    zero = np.flatnonzero((result.rate == 0) & (result.status == IRRStatus.FOUND))
    double = zero[flat[zero] @ np.arange(flat.shape[1]) == 0]
    result.status[double] = IRRStatus.FALLBACK
    fallback = np.flatnonzero(result.status == IRRStatus.FALLBACK)
    for i in fallback:  # the rare series the scan cannot settle; counted in `fallbacks`
        result.rate[i] = npf.irr(flat[i])
    return BatchIRR(result.rate.reshape(shape), result.status.reshape(shape))


# The search below works on the generalised polynomial P(x) = Σ w_i x^(e_i), exponents
# e_i ≥ 0 rising (periods for `batch_irr`, years for `xirr`), x = 1/(1 + r). For r > 0 it
# uses z = x ∈ (0, 1); for r < 0 it uses z = y = 1 + r ∈ (0, 1) and Q(y) = y^T P(1/y) =
# Σ w_i y^(T − e_i), which has the same sign. Both sides are then "a polynomial in z on
# [0, 1], rate zero at z = 1, moving away from zero as z falls", and no power exceeds 1,
# so nothing overflows however long the series. Series are columns: (n flows, m series).


class _Grid(NamedTuple):
    right: FloatArray  # rates > 0, rising
    left: FloatArray  # rates < 0, falling


def _grid(step: float, near: float, growth: float, far: float = 8.0) -> _Grid:
    """Rates symmetric in u = ln(1 + r): every ``step`` up to ``near``, then × ``growth``.

    Symmetric in u, the grid is as fine at −r as at +r in relative terms; it reaches
    1 + r = e^±far (r from −99.97% to about 3,000 per period by default).
    """
    u = list(np.arange(1, round(near / step) + 1) * step)
    while u[-1] < far:
        u.append(min(u[-1] * growth, far))
    return _Grid(np.expm1(u), np.expm1(-np.asarray(u)))


# Monthly IRRs of real series sit within a few percent of zero: a step of 0.5% there gives
# Newton a close start; beyond 5% the step grows by half each time. 2 × 23 rates make one
# matrix product of (series × n) by (n × 47). Series the coarse grid cannot settle are
# scanned again on the fine grid (2 × 322 rates) before any is handed to numpy-financial.
_BATCH_GRIDS = (_grid(0.005, 0.05, 1.5), _grid(0.001, 0.1, 1.02))
# xirr solves one series: dense grids cost nothing.
_XIRR_GRIDS = (_grid(0.001, 0.2, 1.02), _grid(0.0001, 0.2, 1.002))


class _Side(NamedTuple):
    z: FloatArray  # grid points: 1 (rate 0) falling to 0 (the far end: r → ∞ or r → −1)
    exps: FloatArray  # exponent of each flow on this side
    sign: int  # +1: z = 1/(1 + r); −1: z = 1 + r
    lowest: int  # the flow with this side's lowest power, 0: its coefficient is P(0)

    def rate(self, z: Any) -> Any:
        return 1 / z - 1 if self.sign > 0 else z - 1


class _Cells(NamedTuple):
    """Matrices (flows × grid) for proving a side's cells root-free: see `_cells_clear`."""

    size: FloatArray  # z^e at the points: |w| @ size is the size of P's terms
    slope: FloatArray  # e z^(e−1) at the points: w @ slope is P'
    curve: FloatArray  # over each cell, max |e(e−1)| z^(e−2): |w| @ curve bounds |P''|
    twist: FloatArray  # over each cell, max |e(e−1)(e−2)| z^(e−3): bounds |P'''|


class _Level(NamedTuple):
    sides: tuple[_Side, _Side]
    matrix: FloatArray  # powers at the grid points of both sides, rate 0 once
    cells: tuple[_Cells, _Cells]


def _powers(z: FloatArray, exps: FloatArray, order: int = 0) -> FloatArray:
    """|d^order/dz^order z^e| as a matrix: rows e (exponents), columns z."""
    coef = np.ones_like(exps)
    for j in range(order):
        coef = coef * (exps - j)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        out = np.abs(coef)[:, None] * np.power(z[None, :], exps[:, None] - order)
    # A term whose derivative vanishes identically adds nothing, even at z = 0 (where
    # 0 · 0^−1 would be NaN); a real exponent below the order is unbounded at 0: a huge
    # finite value keeps 0 · it = 0 in a matrix product and makes any bound through it fail.
    out[coef == 0, :] = 0.0
    return np.where(np.isfinite(out), out, 1e300)


def _level(exps: FloatArray, grid: _Grid) -> _Level:
    right = _Side(np.concatenate([[1.0], 1 / (1 + grid.right), [0.0]]), exps, +1, 0)
    left = _Side(np.concatenate([[1.0], 1 + grid.left, [0.0]]), exps[-1] - exps, -1, exps.size - 1)
    matrix = np.concatenate([_powers(right.z, right.exps), _powers(left.z[1:], left.exps)], axis=1)
    cells = []
    for side in (right, left):
        hi, lo = side.z[:-1], side.z[1:]
        # each term |c| z^k is monotone in z: the larger end value bounds it on the cell
        cells.append(
            _Cells(
                _powers(side.z, side.exps),
                _powers(side.z, side.exps, 1),
                np.maximum(_powers(hi, side.exps, 2), _powers(lo, side.exps, 2)),
                np.maximum(_powers(hi, side.exps, 3), _powers(lo, side.exps, 3)),
            )
        )
    return _Level((right, left), matrix, (cells[0], cells[1]))


@functools.lru_cache(maxsize=8)
def _batch_levels(n: int) -> tuple[_Level, ...]:
    exps = np.arange(n, dtype=np.float64)
    return tuple(_level(exps, grid) for grid in _BATCH_GRIDS)


Evaluator = Callable[[FloatArray, _Side, FloatArray], tuple[FloatArray, FloatArray]]
Bounds = Callable[[FloatArray], IntArray]


def _horner_eval(w: FloatArray, side: _Side, z: FloatArray) -> tuple[FloatArray, FloatArray]:
    """P(z) and P'(z) per series by Horner's rule, for exponents 0..n−1.

    ``w`` is (n, k), highest power first (`_layout`); each step is one vector operation
    across the series, so the loop runs n times, not once per series.
    """
    del side
    p = w[0].copy()
    dp = np.zeros_like(z)
    for c in w[1:]:
        dp *= z
        dp += p
        p *= z
        p += c
    return p, dp


def _power_eval(w: FloatArray, side: _Side, z: FloatArray) -> tuple[FloatArray, FloatArray]:
    """P(z) and P'(z) per series for real exponents (`xirr`'s years); ``w`` is (n, k)."""
    e = side.exps
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.power(z[:, None], e[None, :])
        slopes = np.where(e > 0, e * np.power(z[:, None], e - 1), 0.0)
    return np.einsum("kn,nk->k", terms, w), np.einsum("kn,nk->k", slopes, w)


def _layout(w: FloatArray, side: _Side, evaluate: Evaluator) -> FloatArray:
    """The coefficients (n, k) in the order ``evaluate`` wants on this side (a view)."""
    if evaluate is _horner_eval and side.sign > 0:
        # Horner takes the highest power first: on the x side e = t, so t = n−1 leads; on
        # the y side e = n−1−t, so t = 0 already does.
        return w[::-1]
    return w


_MAX_STEPS = 100  # Newton converges in a handful; bisection alone would need ~60


def _newton(
    coef: FloatArray,
    side: _Side,
    evaluate: Evaluator,
    lo: FloatArray,
    hi: FloatArray,
    f_lo: FloatArray,
    start: FloatArray,
) -> tuple[FloatArray, BoolArray]:
    """The root in (lo, hi) of each series' P, and which converged; ``coef`` is (n, k).

    Newton from ``start``; a step that would leave the bracket is replaced by bisection,
    and every evaluation narrows the bracket, so each series converges. A series stops
    when its step is below 4 ulp, or when two Newton steps in a row predict the next one
    to be (quadratic convergence: d_next ≈ d² · d/d_prev²), which saves the evaluation
    that would only confirm it.
    """
    z = start
    converged = np.zeros(lo.size, dtype=bool)
    last = np.full(lo.size, np.inf)  # the previous Newton step; inf after a bisection
    active = np.arange(lo.size)
    held = active  # the series in ``coef``; dropped only when few stay active
    for _ in range(_MAX_STEPS):
        if active.size == 0:
            break
        if active.size < held.size // 2:
            coef = coef[:, np.searchsorted(held, active)]
            held = active
        p, dp = evaluate(coef, side, z[held])
        if held.size != active.size:
            pick = np.searchsorted(held, active)
            p, dp = p[pick], dp[pick]
        zz, a, b, fa = z[active], lo[active], hi[active], f_lo[active]
        # keep the root bracketed: z replaces the end whose value has the sign of p
        same = (p > 0) == (fa > 0)
        a = np.where(same, zz, a)
        b = np.where(same, b, zz)
        fa = np.where(same, p, fa)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            step = zz - p / dp
            # (closed: at convergence the step lands on z itself, which is now an end)
            newton = (step >= a) & (step <= b)
            step = np.where(newton, step, 0.5 * (a + b))
            delta = np.abs(step - zz)
            tiny = 4 * _EPS * zz
            # (inf when the previous step was not Newton's: no prediction then)
            predicted = np.where(
                np.isfinite(last[active]), delta * (delta / last[active]) ** 2, np.inf
            )
        done = (p == 0) | (delta <= tiny) | (b - a <= tiny) | (newton & (predicted <= tiny))
        lo[active], hi[active], f_lo[active] = a, b, fa
        z[active] = np.where(p == 0, zz, step)
        last[active] = np.where(newton, delta, np.inf)
        converged[active] = done
        active = active[~done]
    return z, converged


def _start(z: FloatArray, values: FloatArray, cell: IntArray) -> FloatArray:
    """A first guess in each bracket: inverse quadratic interpolation on three grid points.

    The bracket's two points and the neighbour nearer zero (or the one beyond, for the
    first cell); the error is O(h³) rather than regula falsi's O(h²), so Newton needs
    one step fewer. A guess outside the bracket falls back to regula falsi.
    """
    rows = np.arange(cell.size)
    other = np.where(cell > 0, cell - 1, np.minimum(cell + 2, z.size - 1))
    z0, z1, z2 = z[cell], z[cell + 1], z[other]
    f0, f1, f2 = values[rows, cell], values[rows, cell + 1], values[rows, other]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        guess = (
            z0 * f1 * f2 / ((f0 - f1) * (f0 - f2))
            + z1 * f0 * f2 / ((f1 - f0) * (f1 - f2))
            + z2 * f0 * f1 / ((f2 - f0) * (f2 - f1))
        )
        falsi = z1 - f1 * (z0 - z1) / (f0 - f1)
    lo, hi = z1, z0
    guess = np.where((guess > lo) & (guess < hi), guess, falsi)
    guess = np.where((guess > lo) & (guess < hi), guess, 0.5 * (lo + hi))
    # a grid point where NPV is exactly zero is the root
    return np.where(f1 == 0, lo, np.where(f0 == 0, hi, guess))


def _changes(series: FloatArray) -> IntArray:
    """Sign changes along the first axis, zeros skipped: an upper bound on the true count.

    A zero counts as negative, then, where there are zeros, also as positive; inserting
    terms can only add changes, so each count is at least the true one and the smaller
    is kept: it is 0 exactly when no two terms have opposite signs.
    """
    positive = series > 0
    changes: IntArray = np.count_nonzero(positive[1:] != positive[:-1], axis=0)
    zeros = np.flatnonzero((series == 0).any(axis=0))
    if zeros.size:
        negative = series[:, zeros] < 0
        other = np.count_nonzero(negative[1:] != negative[:-1], axis=0)
        changes[zeros] = np.minimum(changes[zeros], other)
    return changes


def _partial_sums(w_t: FloatArray) -> FloatArray:
    out = np.empty_like(w_t)
    out[0] = w_t[0]
    for t in range(1, w_t.shape[0]):  # n vector additions: faster than np.cumsum here
        np.add(out[t - 1], w_t[t], out=out[t])
    return out


def _norstrom_bounds(w_t: FloatArray, order: int = 1) -> IntArray:
    """An upper bound on the number of IRRs of each series of periodic flows (n, m).

    For 0 < x < 1, P(x)/(1 − x) = Σ A_t x^t with A_t the cumulative flows (A_t = A_{n−1}
    beyond the end), so by Descartes' rule for power series the IRRs r > 0 number at most
    the sign changes of the cumulative flows (Norstrom's criterion); reading the flows
    backwards (y = 1/x) bounds the IRRs r < 0 the same way. An investment followed by
    returns that pay it back gives 1 + 0. ``order=2`` divides by (1 − x)² instead: the
    cumulative sums of the cumulative flows, which grow by A_{n−1} a step past the end, so
    A_{n−1} closes the sequence. The bound never rises with the order, and falls most for
    noisy flows.
    """
    total = np.zeros(w_t.shape[1], dtype=np.intp)
    for flows in (w_t, w_t[::-1]):  # r > 0, then r < 0
        sums = _partial_sums(flows)
        if order == 2:
            sums = np.concatenate([_partial_sums(sums), sums[-1:]])
        total += _changes(sums)
    return total


def _sign_scan(values: FloatArray) -> tuple[IntArray, IntArray, BoolArray]:
    """Per series: sign changes of NPV along one side's grid, the first one's cell, any."""
    positive = values > 0  # an exact zero counts as negative: the crossing is still seen
    change = positive[:, 1:] != positive[:, :-1]
    first = np.argmax(change, axis=1)
    has = change[np.arange(values.shape[0]), first]
    return np.count_nonzero(change, axis=1), first, has


def _end_values(w_t: FloatArray, flow: int) -> FloatArray:
    """P at the far end (z = 0) of a side, for the sign search: the lowest power's term.

    If that coefficient is zero (zeros at that end of the series), P near 0 has the sign
    of the first nonzero one, which stands in for it.
    """
    end: FloatArray = w_t[flow].copy()
    zero = np.flatnonzero(end == 0)
    if zero.size:
        block = w_t[:, zero] if flow == 0 else w_t[::-1, zero]
        end[zero] = block[np.argmax(block != 0, axis=0), np.arange(zero.size)]
    return end


class _Solved(NamedTuple):
    rate: FloatArray
    status: np.ndarray[Any, np.dtype[np.int8]]


def _solve(
    w_t: FloatArray,
    levels: Sequence[_Level],
    evaluate: Evaluator,
    bound: Bounds,
    tighter: Bounds | None = None,
) -> _Solved:
    """The IRR closest to zero of each series, a column of ``w_t`` (see `batch_irr`).

    ``bound`` gives per series an upper bound on the number of IRRs; ``tighter`` a better
    one, worth its cost only for the series the first leaves unsettled. Each level's grid
    settles what it can; the rest go to the next level, and those left at the end are
    marked `IRRStatus.FALLBACK`.
    """
    m = w_t.shape[1]
    rate = np.full(m, np.nan)
    status = np.full(m, IRRStatus.FOUND, dtype=np.int8)
    total = bound(w_t)
    npv_grid = w_t.T @ levels[0].matrix  # NPV at every grid rate: one matrix product
    at_zero = npv_grid[:, 0] == 0  # Σ w = 0: r = 0 is a root, and none is closer to zero
    no_root = (total == 0) & ~at_zero
    if at_zero.any() or no_root.any():
        rows = np.flatnonzero(at_zero | no_root)
        one_sign = _one_sign(w_t[:, rows])
        rate[rows[at_zero[rows] & ~one_sign]] = 0.0
        status[rows[one_sign]] = IRRStatus.ONE_SIGN  # an all-zero series lands here too
        status[rows[~one_sign & no_root[rows]]] = IRRStatus.NO_REAL_ROOT
    rows = np.flatnonzero(~at_zero & ~no_root)
    for depth, level in enumerate(levels):
        if rows.size == 0:
            break
        whole = rows.size == m
        found, settled, total[rows] = _settle(
            w_t if whole else w_t[:, rows],
            level,
            evaluate,
            total[rows],
            tighter if depth == 0 else None,
            (npv_grid if whole else npv_grid[rows]) if depth == 0 else None,
        )
        done = rows[settled]
        rate[done] = found[settled]
        none = done[np.isnan(found[settled])]
        status[none] = np.where(_one_sign(w_t[:, none]), IRRStatus.ONE_SIGN, IRRStatus.NO_REAL_ROOT)
        rows = rows[~settled]
        rate[rows] = found[~settled]  # unproven: kept for xirr, replaced by batch_irr
    status[rows] = IRRStatus.FALLBACK
    return _Solved(rate, status)


def _power_order(side: _Side) -> Any:
    """Index putting the flows in rising order of this side's exponent."""
    return slice(None) if side.lowest == 0 else slice(None, None, -1)


def _one_sign(w_t: FloatArray) -> BoolArray:
    one: BoolArray = np.all(w_t >= 0, axis=0) | np.all(w_t <= 0, axis=0)
    return one


def _settle(
    w_t: FloatArray,
    level: _Level,
    evaluate: Evaluator,
    total: IntArray,
    tighter: Bounds | None,
    npv_grid: FloatArray | None,
) -> tuple[FloatArray, BoolArray, IntArray]:
    """One grid level: each series' rate nearest zero (NaN: none), proven or not, bound."""
    m = w_t.shape[1]
    if npv_grid is None:
        npv_grid = w_t.T @ level.matrix
    size = level.sides[0].z.size
    values = [
        npv_grid[:, :size],
        np.concatenate([npv_grid[:, :1], npv_grid[:, size:]], axis=1),
    ]
    for side, side_values in zip(level.sides, values, strict=True):
        side_values[:, -1] = _end_values(w_t, side.lowest)
    scans = [_sign_scan(v) for v in values]
    crossings = scans[0][0] + scans[1][0]
    # As many crossings as roots can exist: every root is simple and bracketed, so the
    # first bracket on each side holds that side's root nearest zero.
    counted = crossings == total
    if tighter is not None and not counted.all():
        rows = np.flatnonzero(~counted)
        total = total.copy()
        total[rows] = np.minimum(total[rows], tighter(w_t[:, rows]))
        counted = crossings == total

    # Which side(s) to polish: the bracket nearest zero, both if their ranges overlap.
    reach = []
    for side, (_, first, has) in zip(level.sides, scans, strict=True):
        near = np.abs(side.rate(side.z[first]))
        with np.errstate(divide="ignore"):  # the far end z = 0 is r = ∞: so be it
            far = np.abs(side.rate(side.z[first + 1]))
        reach.append((np.where(has, near, np.inf), np.where(has, far, np.inf)))
    (near_r, far_r), (near_l, far_l) = reach
    only_r = scans[0][2] & (far_r <= near_l)
    only_l = scans[1][2] & (far_l <= near_r) & ~only_r
    polish = [scans[0][2] & ~(counted & only_l), scans[1][2] & ~(counted & only_r)]
    candidates = np.full((2, m), np.inf)
    converged = np.ones(m, dtype=bool)
    for s, side in enumerate(level.sides):
        rows = np.flatnonzero(polish[s])
        if rows.size:
            cell = scans[s][1][rows]
            z, ok = _newton(
                _layout(w_t if rows.size == m else w_t[:, rows], side, evaluate),
                side,
                evaluate,
                side.z[cell + 1],  # fancy indexing: fresh arrays, updated in place
                side.z[cell],
                values[s][rows, cell + 1],
                _start(side.z, values[s][rows], cell),
            )
            candidates[s, rows] = side.rate(z)
            converged[rows] &= ok
    best = np.argmin(np.abs(candidates), axis=0)  # a tie (r and −r) goes to r > 0
    chosen = candidates[best, np.arange(m)]
    rho = np.abs(chosen)

    proven = counted.copy()
    hard = np.flatnonzero(~counted)
    if hard.size:
        ok = np.ones(hard.size, dtype=bool)
        for s, side in enumerate(level.sides):
            bracket = np.where(scans[s][2][hard], scans[s][1][hard], -1)
            ok &= _cells_clear(
                w_t[:, hard].T, side, level.cells[s], values[s][hard], bracket, rho[hard]
            )
        proven[hard] = ok
    return np.where(np.isfinite(rho), chosen, np.nan), proven & converged, total


def _cells_clear(
    w: FloatArray,
    side: _Side,
    cells: _Cells,
    values: FloatArray,
    bracket: IntArray,
    rho: FloatArray,
) -> BoolArray:
    """Whether no root but the bracketed one lies on this side nearer zero than rho.

    Cell j runs from z[j+1] up to z[j], its rate nearest zero at z[j]. Each cell with
    |rate(z[j])| < rho must be root-free, or be the side's bracket and hold a single
    root. Root-free: P has one strict sign at both ends and either stays clear of its
    chord by more than M2 h²/8 (M2 bounding |P''| on the cell, h its width) or is
    monotone. Monotone, and so at most one root: the same test on P' with M3 ≥ |P'''|.
    """
    hi, lo = side.z[:-1], side.z[1:]
    # cells are in order of distance from zero: only the first few can be near
    cols = int(np.count_nonzero(np.abs(side.rate(hi)) < rho.max()))
    h2 = ((hi - lo) ** 2 / 8)[:cols]
    hi = hi[:cols]
    a = np.abs(w)

    def margin(matrix: FloatArray) -> FloatArray:
        # rounding: the products and sums behind a value err by far less than 1e-12 of
        # the size of its terms
        size = a @ matrix[:, : cols + 1]
        return 1e-12 * np.maximum(size[:, :-1], size[:, 1:])

    slope = w @ cells.slope[:, : cols + 1]  # P' (exponents ≥ 0: its factors carry no sign)
    d_hi, d_lo = slope[:, :-1], slope[:, 1:]
    monotone = (d_hi * d_lo > 0) & (
        np.minimum(np.abs(d_hi), np.abs(d_lo))
        > (a @ cells.twist[:, :cols]) * h2 + margin(cells.slope)
    )
    p_hi, p_lo = values[:, :cols], values[:, 1 : cols + 1]
    clear = (p_hi * p_lo > 0) & (
        (
            np.minimum(np.abs(p_hi), np.abs(p_lo))
            > (a @ cells.curve[:, :cols]) * h2 + margin(cells.size)
        )
        | monotone
    )
    if cols == side.z.size - 1:
        # The far cell (0, z_K]: P = z^e_j (c_j + higher terms) with c_j the lowest nonzero
        # term; it has no root there if |c_j| z^e_j outweighs the rest at z_K (their ratio
        # only grows with z). Zeros at the end of a series make P(0) = 0: this still works.
        edge = np.power(side.z[-2], side.exps)
        terms = a * edge
        rising = terms[:, _power_order(side)]
        lead = rising[np.arange(w.shape[0]), np.argmax(rising != 0, axis=1)]
        clear[:, -1] = 2 * lead > terms.sum(axis=1)
    near = np.abs(side.rate(hi))[None, :] < rho[:, None]
    is_bracket = np.arange(cols)[None, :] == bracket[:, None]
    settled: BoolArray = np.all(clear | (is_bracket & monotone) | ~near, axis=1)
    return settled


__all__ = [
    "BatchIRR",
    "IRRStatus",
    "annual_to_monthly",
    "batch_irr",
    "batch_irr_result",
    "discounted_payback",
    "irr",
    "monthly_to_annual",
    "npv",
    "payback_period",
    "xirr",
    "xnpv",
]
