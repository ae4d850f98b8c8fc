"""Goal seek on a plan's fields: the value at which an ensemble figure reaches a level.

"How large a direct reward (直推奖) takes the payout ratio to a half?" The figure is the
mean of a `FIGURES` figure over the networks of a `PlanEnsemble` (common random numbers:
every value of the field runs over the same grown networks), so the answer is reported
with the figure's sampling error across networks.

A plan's figures are step functions of its money fields: a simulation is exact to the fen,
so between two neighbouring fen values nothing changes. The answer is therefore a value at
the field's precision (whole fen for money, whole numbers for counts, the field's decimal
places for rates): the first one, scanning the bracket upwards, at which the figure has
crossed the level (reached it or passed it), the value one step below not having crossed.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
from pydantic import ValidationError
from tabulate import tabulate

from bizmodels._validation import _bounds
from bizmodels.design.ensemble import FIGURES, PlanEnsemble, PlanFigures
from bizmodels.plans import Plan
from bizmodels.plans.base import plan_classes

__all__ = ["SCAN_POINTS", "PlanBreakEven", "plan_break_even"]

SCAN_POINTS = 17
"""Values of the field in the coarse scan that brackets the crossings (16 even steps)."""

_FREE_PLACES = 10  # a field of free precision is searched to 10 decimal places
_VALIDITY_STEPS = 80  # halvings that find the end of the values a plan's checks accept


@dataclass(frozen=True)
class _Field:
    name: str
    lower: float
    upper: float
    places: int  # decimal places of the field's values (2: whole fen)
    current: Decimal
    money: bool

    @property
    def unit(self) -> Decimal:
        return Decimal(1).scaleb(-self.places)


@dataclass(frozen=True)
class PlanBreakEven:
    """The answer of `plan_break_even`.

    Attributes
    ----------
    plan, field, target : str
        The plan's key, the field searched and the figure (a key of `FIGURES`).
    goal : float
        The level the figure's ensemble mean was to reach (yuan for ``platform_result``).
    found : bool
        Whether the mean crosses the level in the search range.
    value : Decimal or None
        The first value, at the field's precision, at which the mean has crossed the level
        (reached it or passed it); None if not found.
    reached, standard_error : float or None
        The ensemble mean of the figure at ``value`` and its standard error across networks
        (sample sd / √n); None if not found.
    before : float or None
        The mean one step of the field's precision below ``value`` (one fen for money),
        which has not crossed; None if not found or ``value`` is the range's lower end.
    search_range : tuple of float
        The range searched: the field's valid range (or the given search, cut to it),
        narrowed to the values the plan's own checks accept.
    crossings : int
        Crossings the coarse scan found (more than one: the figure is not monotonic).
    evaluations : int
        Values of the field evaluated on the ensemble.
    networks : int
        Networks in the ensemble.
    message : str
        A sentence saying what was found, or plainly that nothing was.
    """

    plan: str
    field: str
    target: str
    goal: float
    found: bool
    value: Decimal | None
    reached: float | None
    standard_error: float | None
    before: float | None
    search_range: tuple[float, float]
    crossings: int
    evaluations: int
    networks: int
    message: str

    def __str__(self) -> str:
        return self.message

    def _rows(self) -> list[list[str]]:
        def shown(x: float | None) -> str:
            return "n/a" if x is None else f"{x:,.6g}"

        return [
            ["field", self.field],
            ["value", "n/a" if self.value is None else str(self.value)],
            [f"{self.target} (mean)", shown(self.reached)],
            ["standard error", shown(self.standard_error)],
            ["one step below", shown(self.before)],
            ["goal", shown(self.goal)],
            ["networks", str(self.networks)],
        ]

    def to_table(self, fmt: str = "simple") -> str:
        """The answer as a two-column table (tabulate format ``fmt``)."""
        return tabulate(
            self._rows(),
            headers=["", self.plan],
            tablefmt=fmt,
            colalign=("left", "right"),
            disable_numparse=True,
        )

    def render(self, fmt: str = "table") -> str:
        """The message, then the table: ``table`` (terminal) or ``markdown``."""
        if fmt not in ("table", "markdown"):
            raise ValueError(f"fmt = {fmt!r}: 'table' or 'markdown'")
        return f"{self.message}\n\n{self.to_table('simple' if fmt == 'table' else 'github')}"


def numeric_fields(plan: Plan) -> list[str]:
    """The plan's fields a goal seek can vary: its numbers (amounts, rates, counts)."""
    out = []
    for name, info in type(plan).model_fields.items():
        if info.annotation in (Decimal, int) and not isinstance(getattr(plan, name), bool):
            out.append(name)
    return out


def _field(plan: Plan, name: object) -> _Field:
    valid = numeric_fields(plan)
    if not isinstance(name, str) or name not in valid:
        raise ValueError(
            f"{plan.key}: {name!r} is not a numeric field of the plan; valid: {', '.join(valid)}"
        )
    cls = type(plan)
    lower, upper = -math.inf, math.inf
    for op, limit in _bounds(cls, name):
        if op in (">=", ">"):
            lower = max(lower, limit)
        else:
            upper = min(upper, limit)
    info = cls.model_fields[name]
    places: int | None = 0 if info.annotation is int else None
    for meta in info.metadata:
        if getattr(meta, "decimal_places", None) is not None:
            places = int(meta.decimal_places)
    money = places == 2
    return _Field(
        name,
        lower,
        upper,
        _FREE_PLACES if places is None else places,
        Decimal(str(getattr(plan, name))),
        money,
    )


def _level(plan: Plan, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, np.number)):
        raise ValueError(f"{plan.key}: the level to reach must be a number, got {value!r}")
    level = float(value)
    if not math.isfinite(level):
        raise ValueError(f"{plan.key}: the level to reach must be finite, got {value!r}")
    return level


def _range(plan: Plan, f: _Field, search: object) -> tuple[float, float]:
    if search is None:
        lo, hi = f.lower, f.upper
    else:
        if (
            isinstance(search, (str, bytes))
            or not isinstance(search, (Sequence, np.ndarray))
            or len(search) != 2
            or any(
                isinstance(x, bool) or not isinstance(x, (int, float, Decimal, np.number))
                for x in search
            )
            or not all(math.isfinite(float(x)) for x in search)
        ):
            raise ValueError(
                f"{plan.key}: search must be a pair (low, high) of finite numbers, got {search!r}"
            )
        lo, hi = max(f.lower, float(search[0])), min(f.upper, float(search[1]))
    if not (math.isfinite(lo) and math.isfinite(hi)) or not lo < hi:
        raise ValueError(
            f"{plan.key}: empty or unbounded search range for {f.name}: [{lo:g}, {hi:g}] "
            f"(valid range [{f.lower:g}, {f.upper:g}]); give search=(low, high)"
        )
    return lo, hi


def _with(plan: Plan, f: _Field, steps: int) -> Plan | None:
    """The plan with the field at ``steps`` units, or None where the plan's checks refuse it."""
    value: Any = int(steps) if f.places == 0 else Decimal(int(steps)).scaleb(-f.places)
    try:
        fields = {k: getattr(plan, k) for k in type(plan).model_fields}
        return type(plan)(**{**fields, f.name: value})
    except ValidationError:
        return None


def _valid_end(plan: Plan, f: _Field, good: int, bad: int) -> int:
    """The last step from ``good`` towards ``bad`` the plan's checks accept (halving)."""
    for _ in range(_VALIDITY_STEPS):
        if abs(bad - good) <= 1:
            break
        mid = (good + bad) // 2
        if _with(plan, f, mid) is None:
            bad = mid
        else:
            good = mid
    return good


def plan_break_even(
    plan: Plan,
    field: str,
    target: str = "platform_result",
    value: Any = 0,
    *,
    ensemble: PlanEnsemble | None = None,
    search: tuple[float, float] | None = None,
) -> PlanBreakEven:
    """The value of a plan field at which an ensemble figure reaches a level (goal seek).

    Parameters
    ----------
    plan : Plan
        The plan; every other field keeps its value.
    field : str
        A numeric field of the plan (``"direct_member"``, ``"see_point"``,
        ``"package_price"``, ``"peer_rate"``, ``"agent_recruits"``, …).
    target : str
        A figure of `FIGURES` (``"platform_result"``, yuan; ``"payout_ratio"``, …).
    value : number
        The level its ensemble mean is to reach (0: break-even), finite.
    ensemble : PlanEnsemble, optional
        The networks (default ``PlanEnsemble()``: 8 networks of up to 20,000 members over
        365 days).
    search : tuple of float, optional
        The range to search, cut to the field's valid range (its pydantic bounds); by
        default the valid range itself.

    Returns
    -------
    PlanBreakEven
        ``found`` False (and ``message`` saying where the figure stays) if the mean does
        not reach the level in the range; no exception is raised for that.

    Raises
    ------
    ValueError
        An unknown field (naming the plan's numeric fields), an unknown figure (naming
        `FIGURES`), a level that is not a finite number, a search that is not a pair of
        finite numbers, or an empty search range; all before any simulation.

    Notes
    -----
    The range is first narrowed to the values the plan's own checks accept (a 链动2+1
    package must cover the most one order pays out; found by halving, no simulation). A
    coarse scan of `SCAN_POINTS` even values brackets every crossing; the one nearest the
    field's current value is narrowed by `scipy.optimize.brentq` on the mean's gap to the
    level, evaluated at values rounded to the field's precision, then by halving to one
    step of that precision. The figures are step functions of a money field (the
    simulation is exact to the fen), so the answer is the first fen at which the mean has
    crossed the level; ``reached`` is the mean there and ``before`` the mean one fen below.

    Examples
    --------
    How large a direct reward to a MEMBER sponsor takes the 699 plan's payout ratio to 0.55
    on three networks of up to 1,000 members?

    >>> from bizmodels.design.ensemble import PlanEnsemble
    >>> from bizmodels.plans import liandong_699
    >>> ens = PlanEnsemble(seeds=range(3), members=1000, days=90)
    >>> answer = plan_break_even(
    ...     liandong_699(), "direct_member", "payout_ratio", 0.55, ensemble=ens
    ... )
    >>> answer.found, answer.before < 0.55 <= answer.reached
    (True, True)
    """
    if not isinstance(plan, Plan):
        raise TypeError(
            f"plan: needs a {plan_classes()} (e.g. bizmodels.plans.liandong_699()), "
            f"got {type(plan).__name__}"
        )
    f = _field(plan, field)
    if not isinstance(target, str) or target not in FIGURES:
        raise ValueError(f"{plan.key}: figure {target!r} is unknown; valid: {', '.join(FIGURES)}")
    goal = _level(plan, value)
    lo_f, hi_f = _range(plan, f, search)
    if ensemble is None:
        ensemble = PlanEnsemble()
    elif not isinstance(ensemble, PlanEnsemble):
        raise TypeError(f"ensemble: needs a PlanEnsemble, got {type(ensemble).__name__}")

    scale = 10**f.places
    lo = math.ceil(round(lo_f * scale, 6))
    hi = math.floor(round(hi_f * scale, 6))
    cur = int(f.current.scaleb(f.places).to_integral_value())
    # the values the plan's checks accept, around its own (valid) value
    if _with(plan, f, hi) is None:
        hi = _valid_end(plan, f, min(max(cur, lo), hi), hi)
    if _with(plan, f, lo) is None:
        lo = _valid_end(plan, f, min(max(cur, lo), hi), lo)
    where = (lo / scale, hi / scale)
    if not lo < hi:
        raise ValueError(
            f"{plan.key}: empty search range for {f.name}: [{where[0]:g}, {where[1]:g}] is "
            "all the plan's checks accept there"
        )

    seen: dict[int, PlanFigures | None] = {}

    def figures(step: int) -> PlanFigures | None:
        if step not in seen:
            candidate = _with(plan, f, step)
            seen[step] = None if candidate is None else ensemble.evaluate(candidate)
        return seen[step]

    def gap(step: int) -> float:
        got = figures(step)
        return math.nan if got is None else got.mean(target) - goal

    grid = sorted({round(x) for x in np.linspace(lo, hi, SCAN_POINTS)})
    gaps = [gap(s) for s in grid]
    brackets = _brackets(grid, gaps)
    label = target.replace("_", " ")
    name = plan.key
    if not brackets:
        valid = [g + goal for g in gaps if math.isfinite(g)]
        text = (
            f"{name}: {label} does not reach {goal:g} for {f.name} in "
            f"[{where[0]:g}, {where[1]:g}] (ensemble mean over {len(ensemble)} networks, "
            f"{len(grid)} values scanned); it stays between {min(valid):,.6g} and "
            f"{max(valid):,.6g}"
        )
        return PlanBreakEven(
            name, f.name, target, goal, False, None, None, None, None,
            where, 0, len(seen), len(ensemble), text,
        )  # fmt: skip

    a, b = min(brackets, key=lambda ab: _distance(ab, cur))
    a, b = _narrow(a, b, gap)
    answer = b
    hit = figures(answer)
    assert hit is not None
    before = figures(answer - 1) if answer - 1 >= lo else None
    value_out = Decimal(answer) if f.places == 0 else Decimal(answer).scaleb(-f.places)
    shown = f"{value_out} yuan" if f.money else str(value_out)
    start = gap(a) if a >= lo else math.nan  # a below the range: the level is hit at its end
    direction = "rises to" if start < 0 else "falls to" if start > 0 else "reaches"
    text = (
        f"{name}: {label} {direction} {goal:g} at {f.name} = {shown} (ensemble mean "
        f"{hit.mean(target):,.6g} ± {hit.standard_error(target):,.2g} standard error over "
        f"{len(ensemble)} networks; one step below: "
        f"{'n/a' if before is None else format(before.mean(target), ',.6g')})"
    )
    if len(brackets) > 1:
        text += f"; the scan found {len(brackets)} crossings in the range, this one nearest"
    return PlanBreakEven(
        name,
        f.name,
        target,
        goal,
        True,
        value_out,
        hit.mean(target),
        hit.standard_error(target),
        None if before is None else before.mean(target),
        where,
        len(brackets),
        len(seen),
        len(ensemble),
        text,
    )


def _state(g: float) -> int:
    return 0 if g == 0 else (1 if g > 0 else -1)


def _brackets(grid: list[int], gaps: list[float]) -> list[tuple[int, int]]:
    """Neighbouring valid scan points between which the gap's sign changes.

    A scan point where the gap is exactly 0 is a crossing of its own, returned as the
    bracket ``(point − 1, point)`` when the point before it has not crossed yet.
    """
    out: list[tuple[int, int]] = []
    for (x, gx), (y, gy) in itertools.pairwise(zip(grid, gaps, strict=True)):
        if not (math.isfinite(gx) and math.isfinite(gy)):
            continue
        if _state(gx) != 0 and _state(gy) != _state(gx):
            out.append((x, y))
    if gaps and gaps[0] == 0:
        out.insert(0, (grid[0] - 1, grid[0]))
    return out


def _distance(bracket: tuple[int, int], x: int) -> int:
    a, b = bracket
    return 0 if a <= x <= b else min(abs(a - x), abs(b - x))


def _narrow(a: int, b: int, gap: Callable[[int], float]) -> tuple[int, int]:
    """Narrow a bracket of whole steps to neighbours: brentq, then halving.

    ``gap(a)`` has a sign (not 0) and ``gap(b)`` has another or is 0; the result keeps
    that, with ``b = a + 1``: b is the first step that has crossed.
    """
    if b - a <= 1:
        return a, b
    start = _state(gap(a))
    from scipy.optimize import brentq

    def rounded(t: float) -> float:
        # the gap at the nearest whole step: a step function, as the simulation is
        step = min(max(round(t), a), b)
        return gap(step)

    points: list[int] = []

    def recorded(t: float) -> float:
        points.append(min(max(round(t), a), b))
        return rounded(t)

    try:
        brentq(recorded, a, b, xtol=0.5, rtol=4 * np.finfo(float).eps, maxiter=100)
    except (ValueError, RuntimeError):  # pragma: no cover - the bracket's signs differ
        pass
    # the tightest bracket among the points brentq evaluated
    for p in points:
        if a < p < b:
            if _state(gap(p)) == start:
                a = p
            else:
                b = p
    while b - a > 1:
        mid = (a + b) // 2
        if _state(gap(mid)) == start:
            a = mid
        else:
            b = mid
    return a, b
