"""Money over time: NPV, IRR, dated XNPV/XIRR, payback, rate conversion and a batch IRR.

Conventions, stated once:

- **Periods.** ``values[0]`` happens now (t = 0) and ``values[t]`` at the end of period t, as
  in numpy-financial. The rate is per period: a monthly series takes a monthly rate
  (`annual_to_monthly` converts by compounding).
- **NPV.** `npv` is numpy-financial's: the first value is discounted by zero periods. Excel's
  ``NPV()`` discounts its first value by one period; ``npv(rate, [0, *values])`` gives
  Excel's number.
- **IRR.** Where NPV has several zeros, `irr`, `batch_irr` and `xirr` return the one nearest
  zero (numpy-financial 1.0's rule; a tie goes to the positive rate). `irr` and `xirr` raise
  ``ValueError("values: no IRR: ...")`` where there is none; `batch_irr` is the one place a
  NaN is an answer: it means "no IRR", and `batch_irr_result` gives the reason per series.
- **Dated flows.** `xnpv` and `xirr` use Excel's XNPV/XIRR day count: a flow on date d is
  discounted by (d − d₀)/365 years, actual days over 365, d₀ the first date given.
- **Number types.** `npv`, `xnpv`, the paybacks and the rate conversions give an exact-as-
  context `Decimal` for `Decimal` inputs (a float mixed in is read by its shortest repr);
  `irr`, `xirr` and `batch_irr` work in float64.
- **Bad input.** A rate ≤ −100%, an empty or non-finite series, text, booleans or a masked
  array where numbers are expected, dates not matching the values, a result beyond
  float64's range: `ValueError` naming the argument and the index of the first bad element.
  Nothing here returns NaN or inf, except `batch_irr`'s documented NaN for "no IRR".
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from decimal import Decimal
from enum import IntEnum
from typing import Any, NamedTuple

import numpy as np

from bizmodels._limits import require_memory
from bizmodels._validation import FloatArray, _at, _first, as_decimal

BoolArray = np.ndarray[Any, np.dtype[np.bool_]]
IntArray = np.ndarray[Any, np.dtype[np.intp]]

_EPS = float(np.finfo(np.float64).eps)
_LOG_MAX = float(np.log(np.finfo(np.float64).max))  # 709.78: e^x overflows float64 beyond


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
    """A scalar rate as a `Decimal` (``decimal=True``) or a float, checked > −1.

    A 0-d array (what `batch_irr` returns for one series) is its one number.
    """
    if isinstance(rate, np.ndarray) and rate.ndim == 0 and rate.dtype.kind in "iuf":
        rate = rate[()]
    if isinstance(rate, (bool, np.bool_)) or not isinstance(
        rate, (int, float, Decimal, np.integer, np.floating)
    ):
        if isinstance(rate, np.ndarray):
            raise ValueError(
                f"{name} = {rate.tolist()!r:.80}: must be one number (a rate per period), "
                f"got an array of shape {rate.shape}"
            )
        raise ValueError(
            f"{name} = {rate!r:.80}: must be one number (a rate per period), got "
            f"{type(rate).__name__}"
        )
    if isinstance(rate, Decimal) and not rate.is_finite():
        raise ValueError(f"{name} = {rate!r}: must be a finite number")
    if isinstance(rate, int) and not isinstance(rate, bool) and abs(rate) > 2**1023:
        raise ValueError(f"{name} = {Decimal(rate):.3e}: too large for a float64")
    if not isinstance(rate, Decimal) and not np.isfinite(rate):
        raise ValueError(f"{name} = {float(rate)!r}: must be a finite number")
    if rate <= -1:
        raise ValueError(f"{name} = {rate!r}: must be > -1 (a rate of -100% or less)")
    if decimal:
        return as_decimal(rate.item() if isinstance(rate, np.generic) else rate)
    return float(rate)


def _check_rates(rate: Any, name: str = "rate") -> FloatArray:
    """An array of rates as float64, each checked finite and > −1."""
    array = _numbers(rate, name)
    low = array <= -1
    if low.any():
        index = _first(low)
        raise ValueError(
            f"{name}{_at(index)} = {float(array[index])!r}: must be > -1 (a rate of -100% or less)"
        )
    return array


Need = Callable[[tuple[int, ...]], float]


def _per_value(size: float) -> Need:
    """A memory estimate of ``size`` bytes per value of the series."""
    return lambda shape: size * float(np.prod(shape, dtype=np.float64))


def _numbers(values: Any, name: str, need: Need | None = None) -> FloatArray:
    """Any array_like of real numbers as float64, each finite; text, booleans and masks refused.

    ``numpy.asarray(..., dtype=float)`` would read ``["1", "2"]`` as numbers, ``True`` as 1
    and a masked array's hidden values as data: each is refused instead, by index.
    ``need(shape)`` estimates the bytes the caller will use: checked against the memory
    before anything of that size is allocated (a broadcast view of 10^12 values takes no
    memory until something is computed from it).
    """
    if isinstance(values, np.ma.MaskedArray):
        raise ValueError(
            f"{name}: masked arrays are not accepted (their masked values would be used); "
            "pass x.filled(value) or x.compressed()"
        )
    if isinstance(values, (str, bytes)):
        raise ValueError(f"{name} = {values!r:.80}: expected numbers, got text")
    try:
        raw = np.asarray(values)
    except (TypeError, ValueError):
        raise ValueError(
            f"{name}: expected numbers in a rectangular array (series of one length), got "
            f"{values!r:.60}"
        ) from None
    if need is not None:
        shown = (
            f"len({name}) = {raw.shape[0]}"
            if raw.ndim == 1
            else f"{name}.shape = ({', '.join(map(str, raw.shape))})"
        )
        require_memory(shown, need(raw.shape))
    if raw.dtype.kind in "iuf" and isinstance(values, (list, tuple)):
        # numpy reads True in a list of numbers as 1: look for one (the list is Python's
        # already, so a Python pass costs what building it did)
        flagged = _first_bool(values)
        if flagged is not None:
            raise ValueError(
                f"{name}{_at(flagged[0])} = {flagged[1]!r}: expected a number, got bool"
            )
    if raw.dtype.kind == "O":
        out = np.empty(raw.shape, dtype=np.float64)
        for index, item in np.ndenumerate(raw):
            if isinstance(item, (bool, np.bool_)) or not isinstance(
                item, (int, float, Decimal, np.integer, np.floating)
            ):
                raise ValueError(
                    f"{name}{_at(tuple(index))} = {item!r:.40}: expected a number, got "
                    f"{type(item).__name__}"
                )
            try:
                out[index] = float(item)
            except OverflowError:
                shown = f"{Decimal(item):.3e}" if isinstance(item, int) else f"{item!r:.40}"
                raise ValueError(
                    f"{name}{_at(tuple(index))} = {shown}: too large for a float64"
                ) from None
        raw = out
    if raw.dtype.kind not in "iuf":
        raise ValueError(f"{name}: expected numbers, got an array of {raw.dtype} ({values!r:.80})")
    with np.errstate(over="ignore"):
        array = np.asarray(raw, dtype=np.float64)
    if not np.isfinite(array).all():
        index = _first(~np.isfinite(array))
        bad = float(array[index])
        raise ValueError(f"{name}{_at(index)} = {bad!r:.40}: must be a finite number")
    return array


def _first_bool(values: Any, index: tuple[int, ...] = ()) -> tuple[tuple[int, ...], Any] | None:
    """The index and value of the first bool in nested lists or tuples, if any."""
    for i, item in enumerate(values):
        if isinstance(item, (bool, np.bool_)):
            return (*index, i), item
        if isinstance(item, (list, tuple)):
            found = _first_bool(item, (*index, i))
            if found is not None:
                return found
    return None


def _check_series(
    values: Any, name: str = "values", *, decimal: bool = False, need: Need | None = None
) -> Any:
    """A non-empty 1-D series of finite numbers: a list of `Decimal` or a float64 array.

    ``need``: as for `_numbers` (64 bytes a value by default, what the float functions
    here allocate at most besides).
    """
    if not decimal:
        array = _numbers(values, name, need or _per_value(64))
        if array.ndim != 1:
            raise ValueError(
                f"{name}: expected a 1-D series of cash flows, got shape {array.shape}"
            )
        if array.size == 0:
            raise ValueError(f"{name}: empty; a cash-flow series needs at least one value")
        return array
    if isinstance(values, (str, bytes)):
        raise ValueError(f"{name} = {values!r:.80}: expected numbers, got text")
    try:
        items = np.asarray(values, dtype=object)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name}: expected numbers, got {values!r:.80}") from exc
    if items.ndim != 1:
        raise ValueError(f"{name}: expected a 1-D series of cash flows, got shape {items.shape}")
    if items.size == 0:
        raise ValueError(f"{name}: empty; a cash-flow series needs at least one value")
    flows: list[Decimal] = []
    for i, item in enumerate(items):
        if isinstance(item, (bool, np.bool_)) or not isinstance(
            item, (int, float, Decimal, np.integer, np.floating)
        ):
            raise ValueError(
                f"{name}[{i}] = {item!r:.40}: expected a number, got {type(item).__name__}"
            )
        flow = as_decimal(item.item() if isinstance(item, np.generic) else item)
        if not flow.is_finite():
            raise ValueError(f"{name}[{i}] = {item!r}: must be a finite number")
        flows.append(flow)
    return flows


def _float_series(values: Any, name: str = "values", need: Need | None = None) -> FloatArray:
    """A checked series as float64, Decimals included (for the float-only IRRs)."""
    if not _is_decimal(values):
        return np.asarray(_check_series(values, name, need=need))
    flows = _check_series(values, name, decimal=True)
    out = np.empty(len(flows))
    for i, flow in enumerate(flows):
        out[i] = float(flow)
        if not np.isfinite(out[i]):
            raise ValueError(
                f"{name}[{i}] = {flow!r:.40}: beyond float64's range (about 1.8e308), in "
                "which the IRRs are computed"
            )
    return out


def _check_dates(dates: Any, size: int, name: str = "dates") -> IntArray:
    """Days after the first date, one per value; no date may precede the first (Excel)."""
    if isinstance(dates, (str, bytes)):
        raise ValueError(f"{name} = {dates!r:.80}: expected a sequence of dates, got text")
    try:
        days = np.asarray(dates, dtype="datetime64[D]")
    except (TypeError, ValueError, OverflowError) as exc:
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


def _discounted(rate: float, flows: FloatArray, periods: FloatArray, name: str) -> FloatArray:
    """Discount: flows / (1 + rate)^periods, refused where float64 cannot hold a term.

    For 1 + rate ≥ 1 this is numpy-financial's division (a factor beyond float64 gives a
    term of 0, which it is to float64). Below, the factor (1 + rate)^−t grows: −0.999 over
    103 periods already gives 1e309, which is refused rather than returned as inf.
    """
    growth = 1.0 + rate
    if growth >= 1.0:
        with np.errstate(over="ignore"):
            return flows / np.power(growth, periods)
    with np.errstate(divide="ignore"):
        size = np.log(np.abs(flows)) - periods * np.log1p(rate)
    over = size > _LOG_MAX
    if over.any():
        i = int(np.argmax(over))
        raise ValueError(
            f"rate = {rate!r}: discounting {name}[{i}] = {float(flows[i])!r} by "
            f"(1 + rate)^-{periods[i]:g} gives about 1e{size[i] / np.log(10):.0f}, beyond "
            "float64's range (about 1.8e308); pass Decimal values for rates this close to -100%"
        )
    discounted: FloatArray = flows * np.power(growth, -periods)
    return discounted


def _finite_sum(terms: FloatArray, name: str) -> float:
    with np.errstate(over="ignore", invalid="ignore"):
        total = float(np.sum(terms))
    if not np.isfinite(total):
        raise ValueError(
            f"{name}: the discounted sum is beyond float64's range (about 1.8e308); pass "
            "Decimal values"
        )
    return total


def _decimal_op(what: str, compute: Callable[[], Decimal]) -> Decimal:
    try:
        return compute()
    except ArithmeticError as exc:  # Overflow, DivisionByZero (an underflow to 0), ...
        raise ValueError(
            f"{what}: beyond Decimal's range ({type(exc).__name__}); the rate is too close "
            "to -100% (or too large) for this many periods"
        ) from None


# --------------------------------------------------------------------------------------------
# NPV and IRR on periodic flows
# --------------------------------------------------------------------------------------------


def npv(rate: Any, values: Any) -> Any:
    """Net present value of periodic cash flows, the first one now (numpy-financial's NPV).

    Parameters
    ----------
    rate : float, Decimal or 0-d array
        Discount rate per period (0.08 is 8%); > −1. A 0-d array, such as `batch_irr`
        returns for one series, is its number.
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
        A rate ≤ −1 or not one finite number; an empty series, or a value that is not a
        finite number; a term or the sum beyond float64's range (a rate close to −100% over
        many periods: −0.999 overflows after 103 periods; Decimal values reach much further).

    Notes
    -----
    The first value is discounted by zero periods, as in `numpy_financial.npv`. Excel's
    ``NPV(rate, v1, ..., vn)`` discounts ``v1`` by one period: it equals
    ``npv(rate, [0, v1, ..., vn])``, or ``npv(rate, values) / (1 + rate)``. For rates ≥ 0
    each term is numpy-financial 1.0's ``values[t] / (1 + rate)**t`` exactly, in float and
    in Decimal (terms rounded to the context, summed in order).

    References
    ----------
    numpy-financial 1.0, ``npv`` (its tests and docstring example are this function's
    tests); Microsoft, "NPV function" (the Excel convention).

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
        growth = 1 + r

        def total() -> Decimal:
            out = Decimal(0)
            for t, v in enumerate(flows):
                out += v / growth**t
            return out

        return _decimal_op(f"npv: rate = {r}", total)
    periods = np.arange(flows.size, dtype=np.float64)
    return _finite_sum(_discounted(r, flows, periods, "values"), "values")


def irr(values: Any) -> float:
    """Internal rate of return of periodic cash flows: the root of NPV nearest zero.

    Parameters
    ----------
    values : sequence of float or Decimal, shape (n,)
        Cash flows, yuan: ``values[0]`` now, ``values[t]`` at the end of period t. Decimals
        are taken as float. Any length: 20,000 periods take milliseconds.

    Returns
    -------
    float
        The rate r > −1 per period at which ``npv(r, values)`` is zero; where there are
        several, the one nearest zero (a tie goes to the positive one).

    Raises
    ------
    ValueError
        ``"values: no IRR: ..."`` with the reason where there is none (`IRRStatus`): the
        flows never change sign, or NPV has no zero above −100%, or its zero is at a rate
        float64 cannot hold (1 + r below 1.1e-16). Also an empty series, a value that is not
        a finite number (naming its index), text, booleans or a masked array.
    bizmodels._limits.SizeError
        A series longer than memory allows (584 bytes a period), before any work.

    Notes
    -----
    `irr` is `batch_irr` on one series: the same search, the same root. See `batch_irr`
    for the method and the proof that no root lies nearer zero. Where numpy-financial 1.0's
    ``irr`` (which keeps the real positive roots of ``numpy.roots`` and takes the rate of
    least absolute value) finds a root, this is the same root to about 1e-14; unlike it,
    this takes milliseconds for 20,000 periods (the eigenvalues of a degree-3,000 companion
    matrix take 116 s), and its answer is always checked to be a root (numpy-financial 1.0
    gives −0.4986 for ``[-1678.87, 771.96, 1814.05, 3520.30, 3552.95, 3584.99, -1e-30]``,
    where NPV is 2e5; the root is 0.96889).

    References
    ----------
    numpy-financial, ``irr`` (the root selection; its tests and docstring examples are this
    function's tests).

    Examples
    --------
    What return per period does paying 100 now and receiving 39, 59, 55 and 20 give?

    >>> from bizmodels.finance import irr
    >>> round(irr([-100, 39, 59, 55, 20]), 5)
    0.28095

    28.1% per period. A series that never changes sign has no IRR:

    >>> irr([100, 10, 10])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: values: no IRR: the cash flows never change sign (all >= 0 or all <= 0), ...
    """
    flows = _float_series(values, need=lambda shape: _irr_bytes(1, shape[-1] if shape else 1))
    solved = _periodic_irr(flows[None, :])
    status = IRRStatus(int(solved.status[0]))
    if status != IRRStatus.FOUND:
        raise ValueError(f"values: no IRR: {_REASONS[status]}")
    return float(solved.rate[0])


# --------------------------------------------------------------------------------------------
# Dated cash flows
# --------------------------------------------------------------------------------------------

_YEAR = 365  # Excel XNPV/XIRR: actual days over 365, whatever the calendar year's length


def xnpv(rate: Any, values: Any, dates: Any) -> Any:
    """Net present value of cash flows on given dates (Excel's XNPV).

    Parameters
    ----------
    rate : float, Decimal or 0-d array
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
        values, a date before the first, or a result beyond float64's range.

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
        return _decimal_op(
            f"xnpv: rate = {r}",
            lambda: sum(
                (v / growth ** (Decimal(int(d)) / _YEAR) for v, d in zip(flows, days, strict=True)),
                Decimal(0),
            ),
        )
    return _finite_sum(_discounted(r, flows, days / _YEAR, "values"), "values")


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
        The annual rate r > −1 at which `xnpv` is zero; where there are several, the one
        nearest zero (the rule of `irr`).

    Raises
    ------
    ValueError
        ``"values: no IRR: ..."`` with the reason where there is none (as `irr`); and as
        `xnpv` for bad input.

    Notes
    -----
    Day count: (d − d₀)/365, as `xnpv`; flows on one day add up, and zero flows are dropped
    (moving d₀ multiplies XNPV by a positive factor, which moves no root). Excel's XIRR runs
    Newton's method from a guess (10% by default) and returns whichever root it reaches;
    here the search of `batch_irr` runs on the generalised polynomial Σ v_i x^(t_i), with
    Descartes' rule of signs bounding its roots, so the answer does not depend on a guess
    and is proven the root nearest zero. With one change of sign in the flows (an
    investment, then inflows) there is exactly one root and both agree.

    References
    ----------
    Microsoft, "XIRR function" (its worked example is this function's test); pyxirr's test
    samples (tests).

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
    flows = _float_series(values, need=_per_value(8.0 * (_BLOCK_POINTS + 16)))
    days = _check_dates(dates, flows.size)
    dated, at = np.unique(days, return_inverse=True)
    w = np.zeros(dated.size)
    np.add.at(w, at, flows)  # flows on one day add up: the exponents strictly rise
    keep = w != 0
    w, years = w[keep], dated[keep] / _YEAR
    if w.size == 0 or (w >= 0).all() or (w <= 0).all():
        raise ValueError(f"values: no IRR: {_REASONS[IRRStatus.ONE_SIGN]}")
    years = years - years[0]
    coef = _scaled(w[:, None])
    sides = (
        _Side(coef, years, False, +1),
        _Side(np.ascontiguousarray(coef[::-1]), years[-1] - years[::-1], False, -1),
    )
    bound = _changes(coef)  # Descartes' rule of signs holds for real exponents too
    solved = _nearest(sides, (bound, bound), None, _XIRR_GRID)
    status = IRRStatus(int(solved.status[0]))
    if status != IRRStatus.FOUND:
        raise ValueError(f"values: no IRR: {_REASONS[status]}")
    return float(solved.rate[0])


# --------------------------------------------------------------------------------------------
# Payback
# --------------------------------------------------------------------------------------------


def _payback(flows: Any) -> Any:
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


def _float_flows(flows: FloatArray, name: str) -> list[float]:
    with np.errstate(over="ignore", invalid="ignore"):
        cumulative = np.cumsum(flows)
    if not np.isfinite(cumulative).all():
        i = int(np.argmax(~np.isfinite(cumulative)))
        raise ValueError(
            f"{name}: the cumulative cash flow up to {name}[{i}] is beyond float64's range "
            "(about 1.8e308); pass Decimal values"
        )
    return [float(v) for v in flows]


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
        An empty series, a value that is not a finite number, or float cumulative flows
        beyond float64's range.

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
    result = _payback(flows if decimal else _float_flows(flows, "values"))
    return result if result is None or decimal else float(result)


def discounted_payback(rate: Any, values: Any) -> Any:
    """Periods until the cumulative discounted cash flow turns non-negative.

    Parameters
    ----------
    rate : float, Decimal or 0-d array
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
        A rate ≤ −1, an empty series, a value that is not a finite number, or a discounted
        flow beyond float64's range (as `npv`).

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
    if decimal:
        growth = 1 + r
        discounted = _decimal_op(
            f"discounted_payback: rate = {r}",
            lambda: [v / growth**t for t, v in enumerate(flows)],  # type: ignore[arg-type,return-value]
        )
        result = _payback(discounted)
        return result
    periods = np.arange(flows.size, dtype=np.float64)
    result = _payback(_float_flows(_discounted(r, flows, periods, "values"), "values"))
    return result if result is None else float(result)


# --------------------------------------------------------------------------------------------
# Rate conversion
# --------------------------------------------------------------------------------------------


def _convert(rate: Any, power: int, inverse: bool) -> Any:
    if isinstance(rate, (np.ndarray, list, tuple)) and not (
        isinstance(rate, np.ndarray) and rate.ndim == 0
    ):
        r = _check_rates(rate)
        with np.errstate(over="ignore"):
            out = (1 + r) ** (1 / power) - 1 if inverse else (1 + r) ** power - 1
        if not np.isfinite(out).all():
            index = _first(~np.isfinite(out))
            raise ValueError(
                f"rate{_at(index)} = {float(r[index])!r}: (1 + rate)^{power} is beyond "
                "float64's range (about 1.8e308)"
            )
        return out
    decimal = isinstance(rate, Decimal)
    value = _check_rate(rate, decimal=decimal)
    if inverse:
        return (1 + value) ** (Decimal(1) / power if decimal else 1 / power) - 1
    if decimal:
        return _decimal_op(f"rate = {value}", lambda: (1 + value) ** power - 1)
    try:
        return (1 + value) ** power - 1
    except OverflowError:
        raise ValueError(
            f"rate = {value!r}: (1 + rate)^{power} is beyond float64's range (about 1.8e308)"
        ) from None


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
    """The root of NPV nearest zero, proven so (see `batch_irr`) and checked to be a root."""
    UNRESOLVED = 1
    """The search ran out of steps before it could prove which root is nearest zero (NaN).
    No series is known to do this; please report one that does."""
    ONE_SIGN = 2
    """All flows ≥ 0 or all ≤ 0 (or all zero): NPV never crosses zero, so no IRR (NaN)."""
    NO_REAL_ROOT = 3
    """The flows change sign, yet NPV is nonzero at every rate above −100%, as the search
    proved (e.g. −100, 250, −160): no IRR (NaN)."""
    OUT_OF_RANGE = 4
    """NPV has no zero that a float64 rate can hold: the nearest zero, if any, is so close
    to −100% that 1 + r rounds away (below about 1.1e-16), or above about 1e301 (NaN)."""
    NOT_A_ROOT = 5
    """The rate found failed the final check that NPV is zero there (NaN). The check guards
    against a defect; please report a series that gets this."""


_REASONS = {
    IRRStatus.FOUND: "",
    IRRStatus.UNRESOLVED: (
        "the search could not prove which zero of NPV is nearest zero (please report the series)"
    ),
    IRRStatus.ONE_SIGN: (
        "the cash flows never change sign (all >= 0 or all <= 0), so NPV is never zero"
    ),
    IRRStatus.NO_REAL_ROOT: (
        "the cash flows change sign, but NPV is not zero at any rate above -100%"
    ),
    IRRStatus.OUT_OF_RANGE: (
        "NPV is not zero at any rate a float64 can hold (its nearest zero, if any, is "
        "within 1.1e-16 of -100% or above 1e301)"
    ),
    IRRStatus.NOT_A_ROOT: (
        "the rate found failed the check that NPV is zero there (please report the series)"
    ),
}
_REASON_TEXT = np.array([_REASONS[s] for s in IRRStatus])


class BatchIRR(NamedTuple):
    """IRRs of many series and, per series, the reason for each (`IRRStatus` codes)."""

    rate: FloatArray
    """IRR per period of each series; NaN exactly where it has none (``status`` says why)."""
    status: np.ndarray[Any, np.dtype[np.int8]]
    """`IRRStatus` code of each series, same shape as ``rate``."""

    @property
    def reasons(self) -> np.ndarray[Any, np.dtype[np.str_]]:
        """Why each series has no IRR, in words ("" where it has one); shape of ``rate``."""
        reasons: np.ndarray[Any, np.dtype[np.str_]] = _REASON_TEXT[self.status]
        return reasons

    @property
    def found(self) -> BoolArray:
        """Where an IRR was found (``status == IRRStatus.FOUND``), shape of ``rate``."""
        found: BoolArray = self.status == IRRStatus.FOUND
        return found


def batch_irr(values: Any) -> FloatArray:
    """IRR of many cash-flow series at once: each series' root of NPV nearest zero.

    Parameters
    ----------
    values : array_like of float, shape (..., n)
        Cash flows, one series per row (the last axis is time: ``values[..., 0]`` now,
        ``values[..., t]`` at the end of period t). Decimals are taken as float. Series of
        different lengths may be padded with zeros at either end: zeros move no root and
        cost no time.

    Returns
    -------
    float64 ndarray, shape (...)
        Each series' IRR per period. **NaN means "no IRR"**: this is the one function of
        the library that answers with NaN, so that one series without an IRR does not stop a
        batch; `batch_irr_result` gives the reason per series (`IRRStatus`, and in words).

    Raises
    ------
    ValueError
        An empty last axis, a value that is not a finite number (naming its index), text,
        booleans or a masked array; `bizmodels._limits.SizeError` (a `ValueError`) for a
        batch larger than memory allows, before any work.

    Notes
    -----
    The IRR is a rate r > −1 with Σ v_t (1 + r)^−t = 0, i.e. a positive root x = 1/(1 + r)
    of the polynomial Σ v_t x^t. **Which one**: where there are several, the one nearest
    zero, a tie (r and −r) going to the positive one. This is numpy-financial 1.0's rule
    (it keeps the real positive roots of ``numpy.roots`` and takes the rate of least
    absolute value). Several IRRs come from flows that change sign more than once (a later
    outflow: a refit, a refund wave); no one of them is "the" return, and the one nearest
    zero is the most conservative. Prefer the NPV at a hurdle rate for such series. `irr`
    is this function on one series, and gives the same root.

    **What counts as a root**: a rate where NPV changes sign, or where |NPV| is within the
    rounding error of evaluating it (2(n + 4) ulp of Σ|v_t|(1 + r)^−t), which is how a
    double root (NPV touching zero) shows in float64. A simple root is returned to a few
    ulp of r (as far as the flows' own rounding lets it be known; 1e-16 relative on the
    20,000-period benchmark), one of multiplicity k to about the k-th root of that
    precision; near −100%, 1 + r is held only to 1.1e-16 absolute. Every root is checked
    where it was found: |P| ≤ 1e-9 · Σ|v_t| z^t in z = 1/(1 + r) or z = 1 + r
    (`IRRStatus.NOT_A_ROOT` otherwise). A root within 1.1e-16 of −100% (r rounds to −1) or
    above 1e301 cannot be held in float64: `IRRStatus.OUT_OF_RANGE`.

    **Limits**: any length and any float64 flows. Memory, checked before any work: the
    input as float64 plus 64 floats a period for one chunk of series (at most 8,192
    series or 2^21 flows at a time), 584 bytes a period for a single series.

    The method, with no Python loop per series and no polynomial root finding:

    1. The series are written twice as polynomials in z ∈ (0, 1] whose constant term is
       nonzero: in x = 1/(1 + r) for r ≥ 0 and in y = 1 + r for r ≤ 0, zeros at either end
       stripped, so no power exceeds 1 however long the series.
    2. NPV at a fixed grid of 25 points on each side for all series in one matrix product,
       and the sign change nearest zero on each side.
    3. Norstrom's criterion (Descartes' rule of signs applied to the cumulative flows, and
       to the cumulative flows counted from the end) bounds how many IRRs lie above and
       below zero: an investment followed by returns that pay it back has exactly one. When
       the grid shows that many sign changes, every root is simple and bracketed, and
       vectorised Newton steps from an inverse quadratic guess, kept inside the bracket
       (bisection, geometric near z = 0, when a step would leave it), give the root.
    4. Otherwise the grid cells nearest zero are subdivided, nearest first, until each is
       proven root-free (its values stay clear of its chord by more than a bound on the
       second derivative allows, or it is monotone by the same test on the derivative),
       or proven to hold exactly one root, or shrinks to rounding size at a point where
       NPV is zero within rounding.

    References
    ----------
    numpy-financial 1.0, ``irr`` (the root selection matched here); Norstrom, "A
    sufficient condition for a unique nonnegative internal rate of return", J. Financial
    and Quantitative Analysis 7 (1972); Descartes' rule of signs.

    Examples
    --------
    Three shops: what monthly return does each give?

    >>> import numpy as np
    >>> from bizmodels.finance import batch_irr
    >>> flows = np.array([[-100, 39, 59, 55, 20], [-100, 0, 0, 74, 0], [100, 10, 10, 10, 0]])
    >>> batch_irr(flows).round(5).tolist()
    [0.28095, -0.0955, nan]

    28.1% and −9.6% a month, as `numpy_financial.irr` gives; the third only receives money,
    so it has no IRR (NaN: `batch_irr_result` says why).
    """
    return batch_irr_result(values).rate


def batch_irr_result(values: Any) -> BatchIRR:
    """`batch_irr` with the reason for each rate: an `IRRStatus` code per series.

    Parameters
    ----------
    values : array_like of float, shape (..., n)
        As for `batch_irr`.

    Returns
    -------
    BatchIRR
        ``rate`` and ``status``, both of shape (...); ``reasons`` gives each status in
        words, ``found`` where there is a rate.

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
    >>> print(result.reasons[2])
    the cash flows change sign, but NPV is not zero at any rate above -100%

    The second only receives money; the third changes sign twice, but its NPV
    −100 + 250x − 160x² has no real root.
    """
    array = _numbers(
        values,
        "values",
        lambda shape: _irr_bytes(int(np.prod(shape[:-1])), shape[-1]) if shape else 0.0,
    )
    if array.ndim == 0:
        raise ValueError("values: expected series of cash flows, shape (..., n)")
    if array.shape[-1] == 0:
        raise ValueError("values: empty; each cash-flow series needs at least one value")
    shape = array.shape[:-1]
    solved = _periodic_irr(array.reshape(-1, array.shape[-1]))
    return BatchIRR(solved.rate.reshape(shape), solved.status.reshape(shape))


class _Solved(NamedTuple):
    rate: FloatArray
    status: np.ndarray[Any, np.dtype[np.int8]]


# Working memory: numbers per block of an evaluation (16 MB of float64), series per chunk.
_BLOCK = 2**21
_CHUNK = 8192  # series per pass at most: the vectors of each step then stay in the cache
_BLOCK_POINTS = 64  # a bound on the grid points and cells evaluated at once, per period


def _chunk_rows(n: int) -> int:
    return max(1, min(_CHUNK, _BLOCK // n))


def _irr_bytes(m: int, n: int) -> float:
    """Memory for the IRRs of m series of n flows, in bytes.

    The input as float64, and per chunk of series its two aligned copies, their cumulative
    sums and the points of one block: for one series, 584 bytes a period.
    """
    return 8.0 * (m * n + 8 * min(_chunk_rows(max(n, 1)), max(m, 1)) * n + _BLOCK_POINTS * n)


def _periodic_irr(flows: FloatArray) -> _Solved:
    """The IRR nearest zero of each row of ``flows`` (m, n), finite float64, checked."""
    m, n = flows.shape
    chunk = _chunk_rows(n)
    rate = np.full(m, np.nan)
    status = np.full(m, IRRStatus.FOUND, dtype=np.int8)
    for start in range(0, m, chunk):
        part = _periodic_chunk(flows[start : start + chunk])
        rate[start : start + chunk], status[start : start + chunk] = part
    return _Solved(rate, status)


def _periodic_chunk(flows: FloatArray) -> _Solved:
    k, n = flows.shape
    rate = np.full(k, np.nan)
    status = np.full(k, IRRStatus.FOUND, dtype=np.int8)
    one = np.all(flows >= 0, axis=1) | np.all(flows <= 0, axis=1)
    status[one] = IRRStatus.ONE_SIGN  # an all-zero series lands here too
    # Σ v = 0: r = 0 is a root, and none is nearer zero (whatever its multiplicity)
    zero = ~one & (flows.sum(axis=1) == 0)
    rate[zero] = 0.0
    rows = np.flatnonzero(~one & ~zero)
    if rows.size == 0:
        return _Solved(rate, status)
    part = flows if rows.size == k else flows[rows]
    right = _Side(_aligned(part), np.arange(n, dtype=np.float64), True, +1)
    left = _Side(_aligned(part[:, ::-1]), np.arange(n, dtype=np.float64), True, -1)
    right = right._replace(exps=right.exps[: right.coef.shape[0]])
    left = left._replace(exps=left.exps[: left.coef.shape[0]])
    # right.coef is each series from its first nonzero flow, left.coef backwards from its
    # last: their cumulative sums are Norstrom's for r > 0 and r < 0
    bounds = (_norstrom(right.coef), _norstrom(left.coef))
    tighter = (
        lambda cols: _norstrom(right.coef[:, cols], order=2),
        lambda cols: _norstrom(left.coef[:, cols], order=2),
    )
    solved = _nearest((right, left), bounds, tighter, _BATCH_GRID)
    rate[rows], status[rows] = solved
    return _Solved(rate, status)


def _aligned(flows: FloatArray) -> FloatArray:
    """Each row from its first nonzero flow on, as columns (n', k), n' the longest such.

    Leading zeros multiply the polynomial by a power of z, which moves no root but would
    weaken every bound and cost time; trailing zeros left after the shift are exact zeros
    in the highest powers, which change nothing. Scaled by `_scaled`.
    """
    n = flows.shape[1]
    if (flows[:, 0] != 0).all() and (flows[:, -1] != 0).all():
        return _scaled(np.ascontiguousarray(flows.T))
    nonzero = flows != 0
    lead = np.argmax(nonzero, axis=1)
    last = n - 1 - np.argmax(nonzero[:, ::-1], axis=1)
    length = last - lead + 1
    width = int(length.max())
    if not lead.any():  # beyond each row's last nonzero flow there are zeros already
        return _scaled(np.ascontiguousarray(flows[:, :width].T))
    room = np.zeros((flows.shape[0], n + width))  # zeros past the end, for the gather
    room[:, :n] = flows
    out = np.take_along_axis(room, lead[:, None] + np.arange(width)[None, :], axis=1)
    return _scaled(np.ascontiguousarray(out.T))


def _scaled(coef: FloatArray) -> FloatArray:
    """Each column near float64's limits times a power of 2 (exact): max |c| in [0.5, 1).

    No root moves, and the sums of sizes the bounds need stay far from overflow even for
    flows near 1e308.
    """
    _, exponent = np.frexp(np.max(np.abs(coef), axis=0))
    # only where a sum of n terms could overflow, or the terms sink towards subnormals:
    # scaling 1e300 down next to 1e-300 would flush the small one to zero
    room = 1000 - int(np.ceil(np.log2(max(coef.shape[0], 2))))
    shift = np.where((exponent > room) | (exponent < -900), exponent, 0)
    if not shift.any():
        return coef
    scaled: FloatArray = coef * np.exp2(-shift.astype(np.float64))[None, :]
    return scaled


# The search works on generalised polynomials P(z) = Σ c_i z^(e_i), exponents e_i ≥ 0
# rising from e_0 = 0 with c_0 ≠ 0 (periods for `batch_irr`, years for `xirr`). For r ≥ 0,
# z = x = 1/(1 + r) ∈ (0, 1]; for r ≤ 0, z = y = 1 + r and Q(y) = y^T P(1/y) =
# Σ c_i y^(T − e_i), which has the same sign. Both sides are then "a polynomial in z on
# [0, 1], rate zero at z = 1, moving away from zero as z falls", and no power exceeds 1,
# so nothing overflows however long the series. Series are columns: (n flows, m series).


class _Side(NamedTuple):
    coef: FloatArray  # (n, m): coefficient of z^exps[i] in each series; coef[0] != 0
    exps: FloatArray  # (n,) rising from 0
    integer: bool  # exps are 0, 1, ..., n − 1: Horner's rule applies
    sign: int  # +1: z = 1/(1 + r) (rates ≥ 0); −1: z = 1 + r (rates ≤ 0)

    def rate(self, z: Any) -> Any:
        with np.errstate(divide="ignore", over="ignore"):
            return 1 / z - 1 if self.sign > 0 else z - 1


class _Grid(NamedTuple):
    z: FloatArray  # 1 (rate 0) falling to 0 (r → ∞ on one side, r → −1 on the other)
    key: str


def _grid(step: float, near: float, growth: float, key: str, far: float = 8.0) -> _Grid:
    """Points symmetric in u = ln(1 + r): every ``step`` up to ``near``, then × ``growth``.

    z = e^−u is then the same grid on both sides: rates expm1(±u), as fine at −r as at +r
    in relative terms, out to 1 + r = e^±far (r from −99.97% to about 3,000 per period).
    """
    u = list(np.arange(1, round(near / step) + 1) * step)
    while u[-1] < far:
        u.append(min(u[-1] * growth, far))
    return _Grid(np.concatenate([[1.0], np.exp(-np.asarray(u)), [0.0]]), key)


# Monthly IRRs of real series sit within a few percent of zero: a step of 0.5% there gives
# Newton a close start; beyond 5% the step grows by half each time: 25 points a side.
_BATCH_GRID = _grid(0.005, 0.05, 1.5, "batch")
# xirr solves one series of few dates: a dense grid costs nothing and settles more at once.
_XIRR_GRID = _grid(0.001, 0.2, 1.02, "xirr")


def _rounding(n: int) -> float:
    """A bound on the error of evaluating a sum of n terms, relative to Σ|terms|.

    Horner's rule and a dot product with correctly rounded powers both err by at most
    about n ulp of the sum of the terms' sizes; twice that, plus a few for the powers.
    """
    return 2.0 * (n + 4) * _EPS


def _check_tolerance(n: int) -> float:
    return max(1e-9, 4 * _rounding(n))


def _powers(z: FloatArray, exps: FloatArray, order: int = 0, integer: bool = False) -> FloatArray:
    """|d^order/dz^order z^e| as a matrix: rows e (exponents), columns z.

    ``integer``: the exponents are consecutive integers, and each row is the one above
    times z (from one correctly rounded power), which errs by at most n/2 ulp per term,
    within `_rounding`, and is many times faster than a power per entry.
    """
    coef = np.ones_like(exps)
    for j in range(order):
        coef = coef * (exps - j)
    if integer and exps.size:
        out = np.empty((exps.size, z.size))
        start = min(exps.size, max(0, order - int(exps[0])))  # rows below the order: 0
        out[:start] = 0.0
        if start < exps.size:
            with np.errstate(under="ignore"):
                out[start] = np.power(z, exps[start] - order)
                out[start + 1 :] = z
                np.cumprod(out[start:], axis=0, out=out[start:])
        if order:
            out *= np.abs(coef)[:, None]
        return out
    with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
        out = np.abs(coef)[:, None] * np.power(z[None, :], exps[:, None] - order)
    # A term whose derivative vanishes identically adds nothing, even at z = 0 (where
    # 0 · 0^−1 would be NaN); a real exponent below the order is unbounded at 0: a huge
    # finite value keeps 0 · it = 0 in a matrix product and makes any bound through it fail.
    out[coef == 0, :] = 0.0
    return np.where(np.isfinite(out), out, 1e300)


@functools.lru_cache(maxsize=8)
def _cached_powers(n: int, key: str) -> FloatArray:
    grid = _BATCH_GRID if key == "batch" else _XIRR_GRID
    return _powers(grid.z, np.arange(n, dtype=np.float64), integer=True)


def _grid_values(side: _Side, coef: FloatArray, grid: _Grid) -> FloatArray:
    """P at every grid point for each column of ``coef``: (k, q), blocks of the periods."""
    n = coef.shape[0]
    if side.integer and n * grid.z.size <= 2**17:  # 1 MB: cached per length
        values: FloatArray = coef.T @ _cached_powers(n, grid.key)
        return values
    out = np.zeros((coef.shape[1], grid.z.size))
    step = max(1, _BLOCK // grid.z.size)
    for s in range(0, n, step):
        out += coef[s : s + step].T @ _powers(grid.z, side.exps[s : s + step], 0, side.integer)
    return out


def _evaluate(side: _Side, coef: FloatArray, z: FloatArray) -> tuple[FloatArray, FloatArray]:
    """P(z) and P'(z) for each column of ``coef`` (n, k) at its own z (k,).

    Horner's rule when there are many columns (each step one vector operation across the
    series, n steps in all); otherwise a product with the powers, in blocks of periods
    (no Python loop over a long series).
    """
    n, k = coef.shape
    if side.integer and k >= max(64, n // 16):
        p = coef[n - 1].copy()
        dp = np.zeros_like(z)
        for c in coef[n - 2 :: -1]:
            dp *= z
            dp += p
            p *= z
            p += c
        return p, dp
    p = np.zeros(k)
    dp = np.zeros(k)
    step = max(1, _BLOCK // max(k, 1))
    for s in range(0, n, step):
        e, w = side.exps[s : s + step], coef[s : s + step]
        p += np.einsum("bk,bk->k", w, _powers(z, e, 0, side.integer))
        dp += np.einsum("bk,bk->k", w, _powers(z, e, 1, side.integer))
    return p, dp


def _residual(
    side: _Side, coef: FloatArray, z: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """P(z), P'(z) and Σ|c| z^e for each column at its own z: the check and the polish."""
    n, k = coef.shape
    if side.integer and k >= max(64, n // 16):
        p = coef[n - 1].copy()
        dp = np.zeros_like(z)
        size = np.abs(p)
        for c in coef[n - 2 :: -1]:
            dp *= z
            dp += p
            p *= z
            p += c
            size *= z
            size += np.abs(c)
        return p, dp, size
    p, dp = _evaluate(side, coef, z)
    size, _ = _evaluate(side, np.abs(coef), z)
    return p, dp, size


# What `_point_info` gives at each point, by row
_P, _DP, _SIZE, _DSIZE, _UP2, _DOWN2, _UP3, _DOWN3 = range(8)


def _point_info(
    side: _Side, coef: FloatArray, z: FloatArray, owner: IntArray | None = None
) -> FloatArray:
    """What the cell tests need at points z, in the rows named `_P` ... `_DOWN3`.

    P, P', Σ|c|z^e, Σ|c|e z^(e−1), and for k = 2, 3 the sums Σ|c| |e^(k)| z^(e−k) over
    the terms rising in z (e ≥ k) and over those falling (0 < e < k, real exponents
    only), e^(k) the falling factorial.

    With ``owner`` None, every column of ``coef`` at every point: (8, k, q). Otherwise
    point j belongs to column ``owner[j]``: (8, q).
    """
    n, exps = coef.shape[0], side.exps
    q = z.size
    out = np.zeros((8, coef.shape[1], q) if owner is None else (8, q))
    step = max(1, _BLOCK // max(q, 1))
    with np.errstate(over="ignore", invalid="ignore"):
        for s in range(0, n, step):
            e = exps[s : s + step]
            w = coef[s : s + step] if owner is None else coef[s : s + step][:, owner]
            a = np.abs(w)

            def dot(c: FloatArray, m: FloatArray) -> FloatArray:
                if owner is None:
                    product: FloatArray = c.T @ m
                else:
                    product = np.einsum("bq,bq->q", c, m)
                return product

            if side.integer:
                # one product of powers serves all four orders: z^(e−k) is k rows up
                low = max(int(e[0]) - 3, 0)
                base = _powers(z, np.arange(low, int(e[-1]) + 1, dtype=np.float64), 0, True)
            for k in range(4):
                if side.integer:
                    m = np.zeros((e.size, q))
                    rising = e >= k
                    top = int(np.argmax(rising)) if rising.any() else e.size
                    fall = np.ones(e.size - top)
                    for j in range(k):
                        fall = fall * (e[top:] - j)
                    start = int(e[top]) - k - low if top < e.size else 0
                    m[top:] = base[start : start + e.size - top] * fall[:, None]
                else:
                    m = _powers(z, e, k)
                if k < 2:
                    out[_P + k] += dot(w, m)
                    out[_SIZE + k] += dot(a, m)
                else:
                    falling = e < k
                    row = _UP2 if k == 2 else _UP3
                    if falling.any():
                        out[row + 1] += dot(a[falling], m[falling])
                        out[row] += dot(a[~falling], m[~falling])
                    else:
                        out[row] += dot(a, m)
    return out


# Cell status in `_refine`
_CLEAR, _SINGLE, _OPEN = 0, 1, 2


def _classify(
    hi: FloatArray, lo: FloatArray, at_hi: FloatArray, at_lo: FloatArray, tol: float
) -> np.ndarray[Any, np.dtype[np.int8]]:
    """Each cell [lo, hi] as root-free, holding exactly one root, or open (see `batch_irr`).

    Root-free: P has one strict sign at both ends and stays clear of its chord by more
    than M2 h²/8 allows (M2 ≥ |P''| on the cell, h its width), or is monotone; monotone,
    and so with at most one root: the same test on P' with M3 ≥ |P'''|. Each term |c| z^k
    is monotone in z, so the sum of each term's larger end value bounds it on the cell.
    A cell (0, hi] has no root if |c_0| outweighs all the other terms at hi.
    """
    p_hi, p_lo = at_hi[_P], at_lo[_P]
    d_hi, d_lo = at_hi[_DP], at_lo[_DP]
    with np.errstate(over="ignore", invalid="ignore"):
        h2 = (hi - lo) ** 2 / 8
        m2 = at_hi[_UP2] + at_lo[_DOWN2]
        m3 = at_hi[_UP3] + at_lo[_DOWN3]
        monotone = (((d_hi > 0) & (d_lo > 0)) | ((d_hi < 0) & (d_lo < 0))) & (
            np.minimum(np.abs(d_hi), np.abs(d_lo))
            > m3 * h2 + tol * np.maximum(at_hi[_DSIZE], at_lo[_DSIZE])
        )
        same = ((p_hi > 0) & (p_lo > 0)) | ((p_hi < 0) & (p_lo < 0))
        clear = same & (
            (
                np.minimum(np.abs(p_hi), np.abs(p_lo))
                > m2 * h2 + tol * np.maximum(at_hi[_SIZE], at_lo[_SIZE])
            )
            | monotone
        )
        # at lo = 0, P is c_0: it outweighs the rest wherever 2|c_0| > Σ|c| hi^e
        clear |= (lo == 0) & (2 * np.abs(p_lo) > at_hi[_SIZE] * (1 + tol))
        crosses = ((p_hi > 0) & (p_lo < 0)) | ((p_hi < 0) & (p_lo > 0)) | (p_lo == 0)
    single = ~clear & monotone & (p_hi != 0) & crosses
    status = np.full(hi.shape, _OPEN, dtype=np.int8)
    status[clear] = _CLEAR
    status[single] = _SINGLE
    return status


class _Cells(NamedTuple):
    owner: IntArray  # the series (column of the refined coefficients) of each cell
    hi: FloatArray  # the end nearer rate zero
    lo: FloatArray
    at_hi: FloatArray  # (8, cells): `_point_info` at hi
    at_lo: FloatArray
    status: np.ndarray[Any, np.dtype[np.int8]]

    def take(self, index: Any) -> _Cells:
        return _Cells(
            self.owner[index],
            self.hi[index],
            self.lo[index],
            self.at_hi[:, index],
            self.at_lo[:, index],
            self.status[index],
        )


def _join(a: _Cells, b: _Cells) -> _Cells:
    return _Cells(
        np.concatenate([a.owner, b.owner]),
        np.concatenate([a.hi, b.hi]),
        np.concatenate([a.lo, b.lo]),
        np.concatenate([a.at_hi, b.at_hi], axis=1),
        np.concatenate([a.at_lo, b.at_lo], axis=1),
        np.concatenate([a.status, b.status]),
    )


_PARTS = 8  # children per split: three bisections per round
_MAX_ROUNDS = 400  # each round splits each series' nearest open cell; ~20 settle a double root


def _at_floor(hi: FloatArray, lo: FloatArray) -> BoolArray:
    """Cells too small to split: a few ulp wide, or (0, hi] with hi below 2^−1000."""
    floor: BoolArray = np.where(lo > 0, hi - lo <= 16 * np.spacing(hi), hi <= 2.0**-1000)
    return floor


def _split(cells: _Cells, side: _Side, coef: FloatArray, tol: float) -> _Cells:
    """Each cell cut into `_PARTS`: evenly, or geometrically if lo = 0 or hi > 2 lo."""
    s = cells.hi.size
    j = np.arange(1, _PARTS)
    hi, lo = cells.hi[:, None], cells.lo[:, None]
    with np.errstate(divide="ignore", invalid="ignore", under="ignore"):
        ratio = np.where(lo > 0, (lo / hi) ** (1 / _PARTS), 2.0**-8)
        points = np.where((lo == 0) | (hi > 2 * lo), hi * ratio**j, hi - (hi - lo) * j / _PARTS)
    owner = np.repeat(cells.owner, _PARTS - 1)
    info = _point_info(side, coef, points.ravel(), owner).reshape(8, s, _PARTS - 1)
    ends = np.concatenate([hi, points, lo], axis=1)
    every = np.concatenate([cells.at_hi[:, :, None], info, cells.at_lo[:, :, None]], axis=2)
    child_hi, child_lo = ends[:, :-1].ravel(), ends[:, 1:].ravel()
    at_hi = every[:, :, :-1].reshape(8, -1)
    at_lo = every[:, :, 1:].reshape(8, -1)
    status = _classify(child_hi, child_lo, at_hi, at_lo, tol)
    children = _Cells(np.repeat(cells.owner, _PARTS), child_hi, child_lo, at_hi, at_lo, status)
    return children.take(status != _CLEAR)


def _refine(
    side: _Side,
    coef: FloatArray,
    grid: FloatArray,
    last: IntArray,
    limit: FloatArray,
) -> tuple[FloatArray, BoolArray]:
    """The root nearest zero (largest z) of each column of ``coef``, by subdivision.

    The cells are the grid's, from z = 1 down to cell ``last`` of each series (its first
    sign change, or the far cell). Each round takes each series' nearest cell not proven
    root-free: one holding a single root ends the search (Newton finds it); an open one
    whose near end is a root to rounding, or that is too small to split, ends it there;
    any other is split. Cells at or below ``limit`` (z) are dropped: a root there is no
    nearer zero than the other side's. Returns z (NaN: none) and which ran out of rounds.
    """
    h = coef.shape[1]
    tol = _rounding(coef.shape[0])
    # cells nearer zero than the limit only: their near ends z = grid[j] above it
    last = np.minimum(last, np.count_nonzero(grid[None, :] > limit[:, None], axis=1) - 1)
    # (8, h, q): the grid once for all series, as far as the last cell any series needs
    info = _point_info(side, coef, grid[: max(int(last.max()), -1) + 2])
    counts = last + 1
    owner = np.repeat(np.arange(h), counts)
    j = np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)
    hi, lo = grid[j], grid[j + 1]
    at_hi, at_lo = info[:, owner, j], info[:, owner, j + 1]
    cells = _Cells(owner, hi, lo, at_hi, at_lo, _classify(hi, lo, at_hi, at_lo, tol))
    cells = cells.take(cells.status != _CLEAR)
    z = np.full(h, np.nan)
    singles: list[_Cells] = []
    for _ in range(_MAX_ROUNDS):
        cells = cells.take(cells.hi > limit[cells.owner])
        if cells.owner.size == 0:
            break
        cells = cells.take(np.lexsort((-cells.hi, cells.owner)))
        head = np.flatnonzero(np.r_[True, cells.owner[1:] != cells.owner[:-1]])
        first = cells.take(head)
        is_open = first.status == _OPEN
        near = is_open & (np.abs(first.at_hi[_P]) <= tol * first.at_hi[_SIZE])
        floor = is_open & ~near & _at_floor(first.hi, first.lo)
        split = is_open & ~near & ~floor
        z[first.owner[near]] = first.hi[near]
        # a cell at the floor: the end where P is smaller relative to its size (the far
        # cell (0, hi] at the floor: a root, if any, beyond float64's range)
        f = first.take(floor)
        low_end = np.abs(f.at_lo[_P]) * f.at_hi[_SIZE] < np.abs(f.at_hi[_P]) * f.at_lo[_SIZE]
        z[f.owner] = np.where(f.lo == 0, 0.0, np.where(low_end, f.lo, f.hi))
        singles.append(first.take(first.status == _SINGLE))
        done = np.zeros(h, dtype=bool)
        done[first.owner[~split]] = True
        stay = ~done[cells.owner]
        stay[head[split]] = False
        cells = _join(cells.take(stay), _split(first.take(split), side, coef, tol))
    unresolved = np.zeros(h, dtype=bool)
    unresolved[cells.owner] = True
    found = functools.reduce(_join, singles, cells.take(slice(0, 0)))
    if found.owner.size:
        p_hi, p_lo = found.at_hi[_P], found.at_lo[_P]
        with np.errstate(divide="ignore", invalid="ignore"):
            falsi = found.hi - p_hi * (found.hi - found.lo) / (p_hi - p_lo)
        inside = (falsi > found.lo) & (falsi < found.hi)
        start = np.where(
            p_lo == 0, found.lo, np.where(inside, falsi, _midpoint(found.lo, found.hi))
        )
        roots, ok = _newton(side, coef[:, found.owner], found.lo, found.hi, p_lo, start)
        z[found.owner] = roots
        unresolved[found.owner[~ok]] = True
    return z, unresolved


def _midpoint(a: FloatArray, b: FloatArray) -> FloatArray:
    """Bisection of [a, b]: in log z when the ends are far apart in ratio (or a = 0)."""
    with np.errstate(invalid="ignore", under="ignore"):
        mid: FloatArray = np.where(
            a > 0, np.where(b > 4 * a, np.sqrt(a * b), 0.5 * (a + b)), b * 2.0**-64
        )
    return mid


_MAX_STEPS = 100  # Newton converges in a handful; bisection alone would need ~60


def _newton(
    side: _Side,
    coef: FloatArray,
    lo: FloatArray,
    hi: FloatArray,
    f_lo: FloatArray,
    start: FloatArray,
) -> tuple[FloatArray, BoolArray]:
    """The root in [lo, hi] of each column's P, and which converged; ``coef`` is (n, k).

    Newton from ``start``; a step that would leave the bracket, or that is not half the
    one before (Newton creeping, as on z^30), is replaced by bisection (geometric near
    z = 0), and every evaluation narrows the bracket, so each series converges. A series
    stops when its step is below 4 ulp, or when two Newton steps in a row predict the next
    one to be (quadratic convergence: d_next ≈ d² · d/d_prev²), which saves the evaluation
    that would only confirm it.
    """
    lo, hi, f_lo = lo.copy(), hi.copy(), f_lo.copy()
    z = start.copy()
    converged = np.zeros(lo.size, dtype=bool)
    last = np.full(lo.size, np.inf)  # the previous Newton step; inf after a bisection
    previous = hi - lo  # the previous step, whatever it was
    active = np.arange(lo.size)
    held = active  # the series in ``coef``; dropped only when few stay active
    for _ in range(_MAX_STEPS):
        if active.size == 0:
            break
        if active.size < held.size // 2:
            coef = coef[:, np.searchsorted(held, active)]
            held = active
        p, dp = _evaluate(side, coef, z[held])
        if held.size != active.size:
            pick = np.searchsorted(held, active)
            p, dp = p[pick], dp[pick]
        zz, a, b, fa = z[active], lo[active], hi[active], f_lo[active]
        # keep the root bracketed: z replaces the end whose value has the sign of p
        same = (p > 0) == (fa > 0)
        a = np.where(same, zz, a)
        b = np.where(same, b, zz)
        fa = np.where(same, p, fa)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore", under="ignore"):
            step = zz - p / dp
            # (closed: at convergence the step lands on z itself, which is now an end)
            newton = (step >= a) & (step <= b) & (np.abs(step - zz) <= 0.5 * previous[active])
            step = np.where(newton, step, _midpoint(a, b))
            delta = np.abs(step - zz)
            tiny = np.maximum(4 * _EPS * zz, 1e-320)
            # (inf when the previous step was not Newton's: no prediction then)
            predicted = np.where(
                np.isfinite(last[active]), delta * (delta / last[active]) ** 2, np.inf
            )
        done = (p == 0) | (delta <= tiny) | (b - a <= tiny) | (newton & (predicted <= tiny))
        lo[active], hi[active], f_lo[active] = a, b, fa
        z[active] = np.where(p == 0, zz, step)
        last[active] = np.where(newton, delta, np.inf)
        previous[active] = delta
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
    guess = np.where((guess > lo) & (guess < hi), guess, _midpoint(lo, hi))
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


def _partial_sums(w: FloatArray) -> FloatArray:
    if w.shape[0] > 256 or w.shape[1] < 64:
        return np.cumsum(w, axis=0)
    out = np.empty_like(w)
    out[0] = w[0]
    for t in range(1, w.shape[0]):  # n vector additions: faster than np.cumsum here
        np.add(out[t - 1], w[t], out=out[t])
    return out


def _norstrom(coef: FloatArray, order: int = 1) -> IntArray:
    """An upper bound on the number of roots in (0, 1) of each column's P (n, m).

    For 0 < z < 1, P(z)/(1 − z) = Σ A_i z^i with A_i the partial sums of the coefficients
    (A_i = A_{n−1} beyond the end), so by Descartes' rule for power series the roots
    number at most the sign changes of the partial sums (Norstrom's criterion, for r > 0 on
    the flows in time order and for r < 0 on the flows from the end). An investment
    followed by returns that pay it back gives 1 on one side and 0 on the other.
    ``order=2`` divides by (1 − z)² instead: the partial sums of the partial sums, which
    grow by A_{n−1} a step past the end, so A_{n−1} closes the sequence. The bound never
    rises with the order, and falls most for noisy flows.
    """
    sums = _partial_sums(coef)
    if order == 2:
        sums = np.concatenate([_partial_sums(sums), sums[-1:]])
    return _changes(sums)


def _sign_scan(values: FloatArray) -> tuple[IntArray, IntArray, BoolArray]:
    """Per series: sign changes of P along the grid, the first one's cell, any."""
    positive = values > 0  # an exact zero counts as negative: the crossing is still seen
    change = positive[:, 1:] != positive[:, :-1]
    first = np.argmax(change, axis=1)
    has = change[np.arange(values.shape[0]), first]
    return np.count_nonzero(change, axis=1), first, has


Bounds = Callable[[IntArray], IntArray]


def _columns(coef: FloatArray, index: IntArray) -> FloatArray:
    """``coef[:, index]`` for a rising index, without the copy when it takes every column."""
    if index.size == coef.shape[1]:
        return coef
    taken: FloatArray = coef[:, index]
    return taken


class _Scan(NamedTuple):
    """One side after the grid: the roots it settled, and what is left to subdivide."""

    z: FloatArray  # the root nearest zero on this side (largest z); NaN: none, or not yet
    unresolved: BoolArray
    hard: IntArray  # series whose count of sign changes does not match their bound
    last: IntArray  # for each of those, the last grid cell to search (its first crossing)
    reach: FloatArray  # per series, a rate no nearer zero than this side's root (inf: none)


def _scan(side: _Side, bound: IntArray, tighter: Bounds | None, grid: _Grid) -> _Scan:
    """The grid on one side: the root nearest zero wherever the grid proves where it is.

    ``bound`` caps each series' number of roots on this side; ``tighter`` gives a better
    cap, worth its cost only where the first leaves the grid's count unconfirmed.
    """
    m = side.coef.shape[1]
    z = np.full(m, np.nan)
    unresolved = np.zeros(m, dtype=bool)
    reach = np.full(m, np.inf)
    empty = np.zeros(0, dtype=np.intp)
    rows = np.flatnonzero(bound > 0)
    if rows.size == 0:
        return _Scan(z, unresolved, empty, empty, reach)
    coef = _columns(side.coef, rows)
    bound = bound[rows]
    values = _grid_values(side, coef, grid)
    count, first, has = _sign_scan(values)
    proven = count == bound
    if tighter is not None and not proven.all():
        index = np.flatnonzero(~proven)
        bound[index] = np.minimum(bound[index], tighter(rows[index]))
        proven = count == bound
    # As many sign changes as roots can exist: every root is simple and bracketed, so the
    # first bracket holds this side's root nearest zero. A bound of 0: no root at all.
    go = np.flatnonzero(proven & (bound > 0))
    if go.size:
        cell = first[go]
        roots, ok = _newton(
            side,
            _columns(coef, go),
            grid.z[cell + 1],
            grid.z[cell],
            values[go, cell + 1],
            _start(grid.z, values[go], cell),
        )
        z[rows[go]] = roots
        unresolved[rows[go[~ok]]] = True
    hard = np.flatnonzero(~proven & (bound > 0))
    # a sign change holds a root: none on this side is farther than the bracket's far end
    crossing = hard[has[hard]]
    reach[rows[crossing]] = np.abs(side.rate(grid.z[first[crossing] + 1]))
    reach[rows[go]] = np.abs(side.rate(z[rows[go]]))
    last = np.where(has[hard], first[hard], grid.z.size - 2)
    return _Scan(z, unresolved, rows[hard], last, reach)


def _nearest(
    sides: tuple[_Side, _Side],
    bounds: tuple[IntArray, IntArray],
    tighter: tuple[Bounds, Bounds] | None,
    grid: _Grid,
) -> _Solved:
    """The root nearest zero of each series over both sides, polished and checked.

    Both sides' grids first; then each side's subdivision searches only rates nearer zero
    than the other side's root (or a bound on it): the right first, as a tie goes to it.
    """
    right, left = sides
    m = right.coef.shape[1]
    scans = [
        _scan(side, bound, tighter[s] if tighter else None, grid)
        for s, (side, bound) in enumerate(zip(sides, bounds, strict=True))
    ]
    for s, side in enumerate(sides):
        scan, other = scans[s], scans[1 - s]
        if scan.hard.size == 0:
            continue
        rho = other.reach[scan.hard]
        # rates nearer zero than rho: z > 1/(1 + rho) on the right, z > 1 − rho on the left;
        # a root at rho itself still counts on the right (a tie goes to r > 0)
        with np.errstate(divide="ignore", over="ignore"):
            limit = 1 / (1 + rho) * (1 - 4 * _EPS) if s == 0 else 1 - rho
        roots, lost = _refine(
            side, side.coef[:, scan.hard], grid.z, scan.last, np.maximum(limit, 0.0)
        )
        scan.z[scan.hard] = roots
        scan.unresolved[scan.hard] = lost
        found = scan.hard[~np.isnan(roots)]
        scan.reach[scan.hard] = np.inf
        scan.reach[found] = np.abs(side.rate(roots[~np.isnan(roots)]))
    (z_r, lost_r, *_), (z_l, lost_l, *_) = scans
    r_r, r_l = right.rate(z_r), left.rate(z_l)
    use_left = ~np.isnan(z_l) & ~(np.abs(r_r) <= np.abs(r_l))
    rate = np.where(use_left, r_l, r_r)
    status = np.full(m, IRRStatus.FOUND, dtype=np.int8)
    status[np.isnan(rate)] = IRRStatus.NO_REAL_ROOT
    status[(rate <= -1) | (rate > 1e301)] = IRRStatus.OUT_OF_RANGE
    status[lost_r | lost_l] = IRRStatus.UNRESOLVED
    for s, side in enumerate(sides):
        rows = np.flatnonzero((status == IRRStatus.FOUND) & (use_left == bool(s)))
        if rows.size == 0:
            continue
        coef = _columns(side.coef, rows)
        z = (z_l if s else z_r)[rows]
        p, dp, size = _residual(side, coef, z)
        wrong = ~(np.abs(p) <= _check_tolerance(coef.shape[0]) * size)
        status[rows[wrong]] = IRRStatus.NOT_A_ROOT
        # beyond |r| = 1/2, z holds r to an ulp or two
        good = ~wrong & (np.abs(rate[rows]) < 0.5)
        rate[rows[good]] = _polish(side, z[good], p[good], dp[good])
    rate[status != IRRStatus.FOUND] = np.nan
    return _Solved(rate, status)


def _polish(side: _Side, z: FloatArray, p: FloatArray, dp: FloatArray) -> FloatArray:
    """The rate of each root z (|r| < 1/2), to about an ulp of r rather than of z.

    z carries the rate only to about 1e-16 absolute (r = 1/z − 1 or z − 1), which is 30
    ulp of r = −0.018 and more than 1e-13 relative for |r| < 1e-3. The root is z + δ with
    δ = −P(z)/P'(z), a fraction of an ulp of z; in u = log1p(r) = ∓ln(z + δ) =
    ∓(ln z + δ/z), which float64 holds to an ulp of u, and r = expm1(u). A correction
    larger than 4 ulp of z (a multiple root, where P' vanishes too) is not taken.
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        delta = -p / dp
        delta = np.where(np.abs(delta) <= 4 * np.spacing(z), delta, 0.0)
        rate: FloatArray = np.expm1(-side.sign * (np.log(z) + delta / z))
    return rate


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
