"""Break-even (goal seek): the value of one field at which a waterfall step reaches a level."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, overload

import numpy as np
from pydantic import ValidationError
from tabulate import tabulate

from bizmodels import _frames, _html
from bizmodels._format import money as money_text
from bizmodels._frames import Money
from bizmodels._html import Lang
from bizmodels._types import MAX_LINE
from bizmodels._validation import as_decimal
from bizmodels.models import BusinessModel
from bizmodels.plans import Plan
from bizmodels.risk._fields import (
    FieldInfo,
    FloatArray,
    check_target,
    evaluate,
    exact_target,
    field_info,
    with_value,
)
from bizmodels.risk.montecarlo import check_lang, target_label
from bizmodels.waterfall import FEN

if TYPE_CHECKING:
    from bizmodels.design.ensemble import PlanEnsemble
    from bizmodels.design.goal import PlanBreakEven

__all__ = ["UNBOUNDED_SPAN", "BreakEven", "break_even"]

UNBOUNDED_SPAN = 100
"""An unbounded field is searched from its lower bound up to this many times its value."""

_SCAN = 1025  # points of the first scan: brackets every crossing more than 1/1024 apart
_REFINE = 65  # points of each refining scan: each narrows the bracket 64-fold
_MAX_PLACES = 15  # beyond this, float64 has no more digits to offer
_DECADES_BELOW = 1e-15  # the geometric scan reaches 15 decades below the top of the range
_MAX_SCANS = 400  # 64-fold each: from the widest float64 bracket (2^2099 ulps) in 350
_MAX_BISECTIONS = 200  # halvings of the Decimal bracket: 2^-200 of a float64 ulp


@dataclass(frozen=True)
class BreakEven:
    """The answer of `break_even`.

    Attributes
    ----------
    model, field, target : str
        What was searched: the model's key, the field, the waterfall step.
    goal : Decimal
        The level the target was to reach (0 for a break-even).
    found : bool
        Whether the target crosses the goal in the search range.
    value : Decimal or None
        The field's value at the crossing, at the field's precision (whole fen for money),
        or the fewest decimal places that bring the target within a fen of the goal for a
        field of free precision; None if not found.
    reached : Decimal or None
        The target of the exact waterfall with the field at ``value`` (to the fen).
    search_range : tuple of float
        The range searched, inside the field's valid range.
    crossings : tuple of float
        Every crossing found in the range (approximate, float64), the one returned among
        them; more than one means the target is not monotonic in the field.
    message : str
        A sentence saying what was found, or plainly that nothing was.
    """

    model: str
    field: str
    target: str
    goal: Decimal
    found: bool
    value: Decimal | None
    reached: Decimal | None
    search_range: tuple[float, float]
    crossings: tuple[float, ...]
    message: str

    @property
    def residual(self) -> Decimal | None:
        """``reached − goal``, yuan; None if not found."""
        return None if self.reached is None else self.reached - self.goal

    @property
    def within_fen(self) -> bool:
        """Whether the target at ``value`` is within a fen of the goal."""
        return self.residual is not None and abs(self.residual) <= FEN

    def __str__(self) -> str:
        return self.message

    def to_pandas(self, money: Money = "yuan") -> Any:
        """The answer as a one-row DataFrame.

        Parameters
        ----------
        money : {"yuan", "fen", "decimal"}
            The unit of ``goal``, ``reached`` and ``residual``: float64 yuan (the default),
            fen (int64 when they are whole fen, else float64; the columns then end in
            ``_fen``) or the exact Decimal.

        Returns
        -------
        pandas.DataFrame
            ``model``, ``field``, ``target``, ``found`` (bool), ``value`` (the field's value,
            float64; missing if not found), ``goal``, ``reached``, ``residual``,
            ``search_low``, ``search_high``, ``crossings`` (their count) and ``message``.
        """
        money = _frames.check_money(money)
        amounts = [self.goal, self.reached, self.residual]
        try:
            columns = [_frames.yuan_column([a], money) for a in amounts]
        except ValueError:  # a goal between two fen: fen as float64
            columns = [
                _frames.yuan_column([None if a is None else float(a)], money) for a in amounts
            ]
        out: dict[str, Any] = {
            "model": [self.model],
            "field": [self.field],
            "target": [self.target],
            "found": np.array([self.found]),
            "value": _frames.yuan_column([self.value], "yuan"),
        }
        for key, column in zip(("goal", "reached", "residual"), columns, strict=True):
            out[_frames.money_name(key, money)] = column
        out["search_low"] = np.array([self.search_range[0]], dtype=np.float64)
        out["search_high"] = np.array([self.search_range[1]], dtype=np.float64)
        out["crossings"] = np.array([len(self.crossings)], dtype=np.int64)
        out["message"] = [self.message]
        return _frames.frame(out)

    def _rows(self, lang: Lang) -> list[list[str]]:
        value = "n/a" if self.value is None else str(self.value)
        if lang == "zh":
            return [
                ["字段", self.field],
                ["取值", "无" if self.value is None else value],
                [target_label(self.target, lang), money_text(self.reached)],
                ["目标值", money_text(self.goal)],
                ["误差在一分以内", "是" if self.within_fen else "否"],
            ]
        return [
            ["field", self.field],
            ["value", value],
            [self.target, money_text(self.reached)],
            ["goal", money_text(self.goal)],
            ["within a fen", "yes" if self.within_fen else "no"],
        ]

    def caption(self, lang: Lang = "en") -> str:
        """What was found in a line: `message` in English, a short sentence in Chinese."""
        if check_lang(lang) == "en":
            return self.message
        what = target_label(self.target, lang)
        if self.found:
            goal = "为 0（盈亏平衡）" if self.goal == 0 else f"达到 {self.goal}"
            return f"{self.model}：{self.field} = {self.value} 时{what}{goal}"
        lo, hi = self.search_range
        goal = "达不到 0（无盈亏平衡点）" if self.goal == 0 else f"达不到 {self.goal}"
        return f"{self.model}：{self.field} 在 [{lo:g}, {hi:g}] 内{what}{goal}"

    def to_table(self, fmt: str = "simple", lang: Lang = "en") -> str:
        """The answer as a two-column table (tabulate format ``fmt``), labels in ``lang``."""
        return tabulate(
            self._rows(check_lang(lang)),
            headers=["", self.model],
            tablefmt=fmt,
            colalign=("left", "right"),
            disable_numparse=True,
        )

    def to_html(self, lang: Lang = "en") -> str:
        """The answer as an HTML table, labels and caption in ``lang`` ("en" or "zh")."""
        return _html.table(
            ["", self.model],
            self._rows(check_lang(lang)),
            numeric={1},
            subtotals={1},
            caption=self.caption(lang),
            lang=lang,
        )

    def _repr_html_(self) -> str:
        return self.to_html()


@overload
def break_even(
    model_or_plan: BusinessModel,
    field: str,
    target: str | None = None,
    value: Any = 0,
    *,
    search: tuple[float, float] | None = None,
    ensemble: None = None,
) -> BreakEven: ...


@overload
def break_even(
    model_or_plan: Plan,
    field: str,
    target: str | None = None,
    value: Any = 0,
    *,
    search: tuple[float, float] | None = None,
    ensemble: PlanEnsemble | None = None,
) -> PlanBreakEven: ...


def break_even(
    model_or_plan: BusinessModel | Plan,
    field: str,
    target: str | None = None,
    value: Any = 0,
    *,
    search: tuple[float, float] | None = None,
    ensemble: PlanEnsemble | None = None,
) -> BreakEven | PlanBreakEven:
    """Find the value of a field at which a waterfall step reaches a level (goal seek).

    Parameters
    ----------
    model_or_plan : BusinessModel or Plan
        The model; every other field keeps its value. A commission plan
        (`bizmodels.plans.Plan`) is handed to `bizmodels.design.goal.plan_break_even`: its
        ``field`` is a plan field, its ``target`` a figure of
        `bizmodels.design.ensemble.FIGURES` (default ``"platform_result"``), evaluated as
        the mean over ``ensemble``'s grown networks, and the answer a `PlanBreakEven`.
    field : str
        Any numeric field of the model or of its market (``"price"``, ``"conversion"``).
    target : str, optional
        The waterfall step (``"operating_profit"``, the default, ``"contribution_margin"``,
        …), yuan.
    value : number
        The level the step is to reach, yuan (0: break-even), within ±10^18 (the largest
        line a waterfall holds, `bizmodels._types.MAX_LINE`).
    search : tuple of float, optional
        The range to search, cut to the field's valid range. By default the valid range
        itself (``ge``/``le``); for a field without an upper bound, from its lower bound to
        `UNBOUNDED_SPAN` (100) times its current value (or to 100 if that is below 1).
    ensemble : PlanEnsemble, optional
        For a plan only: the networks its figures are averaged over (default
        ``PlanEnsemble()``); refused for a model.

    Returns
    -------
    BreakEven
        ``found`` False (and ``message`` saying where the target stays) if the target does
        not reach the level anywhere in the range; no exception is raised for that.

    Raises
    ------
    ValueError
        An unknown field or step (naming the valid ones), a level that is not a finite
        number within ±10^18, a search that is not a pair of finite numbers, or an empty
        search range.

    Notes
    -----
    A scan of 1,025 even steps and, over a range of many orders of magnitude, 1,025 even
    ratios (15 decades below its top) in one vectorised `bizmodels.sweep` call brackets
    every crossing; points failing the model's cross-field checks are left out. The crossing
    nearest the field's current value is narrowed by further scans (each one sweep call,
    64-fold narrower) to float64 precision, then rounded: a money field to the fen, taking
    whichever of the two neighbouring fen values puts the exact target nearer the level; a
    field of free precision to the fewest decimal places at which the exact target is within
    a fen of the level (Decimal bisection if float64 has too few digits; at most 400 scans
    and 200 halvings, more than float64 and the fen need). The answer is
    checked by substitution: ``reached`` is the exact `Decimal` waterfall at ``value``.
    For a money field one fen may move the target by more than a fen (a price moves revenue
    by a fen per order); ``within_fen`` says whether the fen precision allowed it, and
    ``message`` says so when it did not.

    Examples
    --------
    How large a market does the membership model need to break even?

    >>> import bizmodels as bm
    >>> from bizmodels.risk import break_even
    >>> model = bm.get_model("toc_membership")
    >>> answer = break_even(model, "customers")
    >>> answer.value, answer.reached
    (Decimal('8507.3334'), Decimal('0.00'))

    About 8,500 reachable customers: at 8,507.3334 the exact operating profit is within a
    fen of zero. A higher membership fee only adds profit, and it says so:

    >>> print(break_even(model, "membership_fee"))  # doctest: +NORMALIZE_WHITESPACE
    toc_membership: no break-even: operating profit does not reach 0 for membership_fee
    in [0, 1e+10]; it stays between 26,188.30 and 2,671,579,271,471.32 there

    A commission plan's field, its figure averaged over grown networks (`bizmodels.design`):

    >>> from bizmodels.design.ensemble import PlanEnsemble
    >>> from bizmodels.plans import liandong_699
    >>> ens = PlanEnsemble(seeds=range(3), members=1000, days=90)
    >>> seek = break_even(liandong_699(), "direct_member", "payout_ratio", 0.55, ensemble=ens)
    >>> seek.found, seek.before < 0.55 <= seek.reached
    (True, True)
    """
    if isinstance(model_or_plan, Plan):
        # lazily: the designer sits above risk's layer and never imports it
        from bizmodels.design.goal import plan_break_even

        return plan_break_even(
            model_or_plan,
            field,
            "platform_result" if target is None else target,
            value,
            ensemble=ensemble,
            search=search,
        )
    if ensemble is not None:
        raise ValueError(
            "ensemble: only a plan's break-even runs over an ensemble of networks; a "
            "model's waterfall is exact"
        )
    model = model_or_plan
    if target is None:
        target = "operating_profit"
    info = field_info(model, field)
    check_target(model, target)
    goal = _level(model.key, value)
    lo, hi = _search_range(model, info, search)

    grid = _grid(lo, hi, info.clip(float(info.current)))
    gap = _gap(model, info, target, float(goal), grid)
    brackets = _brackets(grid, gap)
    where = f"{info.name} in [{lo:g}, {hi:g}]"
    if not brackets:
        return _not_found(model, info, target, goal, (lo, hi), gap, where)

    # the crossing nearest the current value is the one a reader is asking about
    current = float(info.current)
    chosen = min(brackets, key=lambda ab: _distance(ab, current))
    a, b = _refine(model, info, target, float(goal), *chosen)
    root = _interpolate(a, b, np.array([a, b]), _gap(model, info, target, float(goal), [a, b]))
    crossings = tuple(root if ab == chosen else _interpolate(*ab, grid, gap) for ab in brackets)
    answer, reached = _round(model, info, target, goal, root, a, b)
    label = target.replace("_", " ")
    text = (
        f"{model.key}: {label} reaches {goal} at {info.name} = {answer} "
        f"(exact waterfall there: {reached})"
    )
    if abs(reached - goal) > FEN and info.decimals is not None:
        text += (
            f"; {info.name} takes {info.decimals} decimal places, and one step of that moves "
            f"{label} by more than a fen, so this is the nearest the field's precision allows"
        )
    elif abs(reached - goal) > FEN:
        text += (
            f"; the exact {label} jumps by more than a fen there (its steps are rounded to "
            "the fen), so this is the nearest value"
        )
    if len(crossings) > 1:
        others = ", ".join(f"{x:.6g}" for x in crossings)
        text += f"; {label} crosses {goal} {len(crossings)} times in the range ({others})"
    return BreakEven(
        model.key, info.name, target, goal, True, answer, reached, (lo, hi), crossings, text
    )


def _level(where: str, value: Any) -> Decimal:
    """The level to reach, a number of yuan no larger than a waterfall line may be."""
    shown = str(value) if isinstance(value, Decimal) else repr(value)
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal, np.number)):
        raise ValueError(f"{where}: the level to reach must be a number of yuan, got {shown}")
    try:
        goal = as_decimal(value.item() if isinstance(value, np.generic) else value)
    except ArithmeticError:  # decimal.InvalidOperation: text that is not a number
        raise ValueError(
            f"{where}: the level to reach must be a number of yuan, got {shown}"
        ) from None
    if not goal.is_finite() or abs(goal) > MAX_LINE:
        raise ValueError(
            f"{where}: the level to reach must be a finite number of yuan within "
            f"±{MAX_LINE:.0e} (the largest waterfall line), got {shown}"
        )
    return goal


def _search_range(
    model: BusinessModel, info: FieldInfo, search: tuple[float, float] | None
) -> tuple[float, float]:
    if search is not None:
        if (
            isinstance(search, (str, bytes))
            or not isinstance(search, (Sequence, np.ndarray))
            or len(search) != 2
            or any(
                isinstance(x, bool) or not isinstance(x, (int, float, Decimal, np.number))
                for x in search
            )
        ):
            raise ValueError(
                f"{model.key}: search must be a pair (low, high) of numbers, got {search!r}"
            )
        if not all(math.isfinite(float(x)) for x in search):
            raise ValueError(f"{model.key}: search must be finite, got {search!r}")
        lo, hi = max(info.lower, float(search[0])), min(info.upper, float(search[1]))
    else:
        span = UNBOUNDED_SPAN * max(abs(float(info.current)), 1.0)
        lo = info.lower if math.isfinite(info.lower) else -span
        hi = info.upper if math.isfinite(info.upper) else span
    if not lo < hi or not (math.isfinite(lo) and math.isfinite(hi)):
        raise ValueError(
            f"{model.key}: empty or unbounded search range for {info.name}: [{lo:g}, {hi:g}] "
            f"(valid range [{info.lower:g}, {info.upper:g}])"
        )
    return lo, hi


def _grid(lo: float, hi: float, current: float) -> FloatArray:
    """The first scan: even steps over the range, and even ratios over its positive part.

    A range of many orders of magnitude (a price from 0 to 10^10 yuan) has its crossing
    near the current value, far below the even steps' spacing; the geometric points, 64 a
    decade over the 15 decades below the top, bracket it there.
    """
    points = [np.linspace(lo, hi, _SCAN), np.array([current])]
    if hi > 0:
        bottom = max(lo, hi * _DECADES_BELOW)
        if bottom > 0 and hi / bottom > 2:
            points.append(np.geomspace(bottom, hi, _SCAN))
    grid: FloatArray = np.unique(np.concatenate(points))
    return grid


def _gap(model: BusinessModel, info: FieldInfo, target: str, goal: float, xs: Any) -> FloatArray:
    """Target − goal over the field's values, NaN where a check fails (one sweep call)."""
    return evaluate(model, {info.name: np.asarray(xs, dtype=np.float64)}, target).values - goal


def _brackets(xs: FloatArray, gap: FloatArray) -> list[tuple[float, float]]:
    """Neighbouring valid points between which the gap changes sign or is zero."""
    left, right = gap[:-1], gap[1:]
    valid = np.isfinite(left) & np.isfinite(right)
    crossing = valid & ((left == 0) | (np.sign(left) != np.sign(right)))
    # a zero at a grid point shows in both neighbouring intervals; keep it once
    crossing &= ~(np.append(False, crossing[:-1]) & (left == 0))
    index = np.flatnonzero(crossing)
    return [(float(xs[i]), float(xs[i + 1])) for i in index]


def _interpolate(a: float, b: float, xs: FloatArray, gap: FloatArray) -> float:
    fa, fb = float(gap[np.searchsorted(xs, a)]), float(gap[np.searchsorted(xs, b)])
    if fa == 0 or fa == fb:
        return a
    if fb == 0:
        return b
    return a + (b - a) * fa / (fa - fb)


def _distance(bracket: tuple[float, float], x: float) -> float:
    a, b = bracket
    return 0.0 if a <= x <= b else min(abs(a - x), abs(b - x))


def _refine(
    model: BusinessModel, info: FieldInfo, target: str, goal: float, a: float, b: float
) -> tuple[float, float]:
    """Narrow a bracket by repeated scans until float64 can narrow it no more."""
    for _ in range(_MAX_SCANS):
        xs = np.linspace(a, b, _REFINE)
        gap = _gap(model, info, target, goal, xs)
        found = _brackets(xs, gap)
        if not found:  # pragma: no cover - the ends are valid and straddle the level
            return a, b
        na, nb = found[0]
        if (na, nb) == (a, b) or nb - na <= 4 * math.ulp(max(abs(na), abs(nb))):
            return na, nb
        a, b = na, nb
    return a, b  # pragma: no cover - each scan narrows 64-fold; float64 runs out first


def _round(
    model: BusinessModel,
    info: FieldInfo,
    target: str,
    goal: Decimal,
    root: float,
    a: float,
    b: float,
) -> tuple[Decimal, Decimal]:
    """Round the float root to the field's precision, checked on the exact waterfall."""
    x = Decimal(repr(float(root)))
    if info.decimals is not None:
        unit = Decimal(1).scaleb(-info.decimals)
        options = [x.quantize(unit, ROUND_FLOOR), x.quantize(unit, ROUND_CEILING)]
        return _best(model, info, target, goal, options)
    best: tuple[Decimal, Decimal] | None = None
    for places in range(_MAX_PLACES + 1):
        rounded = x.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
        option = _best(model, info, target, goal, [rounded])
        if best is None or abs(option[1] - goal) < abs(best[1] - goal):
            best = option
        if abs(option[1] - goal) <= FEN:
            return option
    # float64 ran out of digits: bisect on the exact waterfall between the bracket's ends
    lo, hi = Decimal(repr(a)), Decimal(repr(b))
    f_lo = exact_target(with_value(model, info, lo), target) - goal
    for _ in range(_MAX_BISECTIONS):
        mid = (lo + hi) / 2
        f_mid = exact_target(with_value(model, info, mid), target) - goal
        if best is None or abs(f_mid) < abs(best[1] - goal):
            best = (mid, f_mid + goal)
        if abs(f_mid) <= FEN:
            break
        if (f_mid < 0) == (f_lo < 0):
            lo, f_lo = mid, f_mid
        else:
            hi = mid
    assert best is not None
    return best


def _best(
    model: BusinessModel,
    info: FieldInfo,
    target: str,
    goal: Decimal,
    options: Sequence[Decimal],
) -> tuple[Decimal, Decimal]:
    """The option whose exact target is nearest the goal (the first on a tie)."""
    scored: list[tuple[Decimal, Decimal]] = []
    for option in options:
        option = min(max(option, Decimal(repr(info.lower))), Decimal(repr(info.upper)))
        try:
            reached = exact_target(with_value(model, info, option), target)
        except ValidationError:  # a rounded value that fails a check is no answer
            continue
        scored.append((option, reached))
    if not scored:  # pragma: no cover - the bracket's ends pass the checks
        raise ValueError(f"{model.key}: no valid value of {info.name} near the crossing")
    return min(scored, key=lambda s: abs(s[1] - goal))


def _not_found(
    model: BusinessModel,
    info: FieldInfo,
    target: str,
    goal: Decimal,
    search_range: tuple[float, float],
    gap: FloatArray,
    where: str,
) -> BreakEven:
    label = target.replace("_", " ")
    valid = gap[np.isfinite(gap)]
    if valid.size == 0:
        text = f"{model.key}: no value of {where} passes the model's checks"
    else:
        low, high = float(valid.min()) + float(goal), float(valid.max()) + float(goal)
        text = (
            f"{model.key}: no break-even: {label} does not reach {goal} for {where}; "
            f"it stays between {low:,.2f} and {high:,.2f} there"
        )
        if valid.size < gap.size:
            text += f" (where the model's checks pass: {valid.size} of {gap.size} points)"
    return BreakEven(model.key, info.name, target, goal, False, None, None, search_range, (), text)
