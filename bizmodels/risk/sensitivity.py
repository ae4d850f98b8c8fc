"""Which assumption matters: tornado, two-way tables, Sobol indices and named scenario sets."""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from types import ModuleType
from typing import Any

import numpy as np
from pydantic import ValidationError
from tabulate import tabulate

from bizmodels.market import Market
from bizmodels.models import BusinessModel
from bizmodels.risk._fields import (
    FieldInfo,
    FloatArray,
    check_target,
    evaluate,
    exact_target,
    field_info,
    numeric_fields,
    resolve_models,
    route,
    with_values,
)

INSTALL_SENSITIVITY = "pip install 'bizmodels[sensitivity]'"
"""The install command of the optional extra behind `sobol` (SALib)."""


def _yuan(value: float | Decimal | None) -> str:
    if value is None or (isinstance(value, float) and not np.isfinite(value)):
        return "n/a"
    return f"{value:,.2f}".replace("-", "−")


def _number(value: float) -> str:
    return f"{value:.6g}"


# -- tornado ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TornadoBar:
    """One field of a tornado: its low and high values and the target at each.

    Attributes
    ----------
    field : str
        The field.
    base : float
        Its value in the model.
    low, high : float
        The values tried: ``base × (1 ∓ change)``, clipped to the field's valid range.
    target_low, target_high : float
        The target at ``low`` and at ``high``, yuan (NaN if that scenario fails a check).
    note : str
        Why a bar is shorter than asked: a clipped value, a zero base, a failed check.
    """

    field: str
    base: float
    low: float
    high: float
    target_low: float
    target_high: float
    note: str = ""

    @property
    def swing(self) -> float:
        """``|target_high − target_low|``, yuan: the bar's length (NaN if a side failed)."""
        return abs(self.target_high - self.target_low)


@dataclass(frozen=True)
class Tornado:
    """A one-at-a-time sensitivity of a target, bars sorted by swing (largest first).

    Attributes
    ----------
    model, target : str
        The model's key and the waterfall step.
    change : float
        The relative change tried on each field (0.1 for ±10%).
    base : float
        The target with every field at its value, yuan.
    bars : tuple of TornadoBar
        One per field, largest swing first; bars whose swing is NaN last.
    """

    model: str
    target: str
    change: float
    base: float
    bars: tuple[TornadoBar, ...]

    @property
    def order(self) -> list[str]:
        """Field names, largest swing first."""
        return [bar.field for bar in self.bars]

    def to_table(self, fmt: str = "simple") -> str:
        """The bars as a table (tabulate format ``fmt``)."""
        rows = [
            [
                bar.field,
                _number(bar.low),
                _number(bar.high),
                _yuan(bar.target_low),
                _yuan(bar.target_high),
                _yuan(bar.swing),
                bar.note,
            ]
            for bar in self.bars
        ]
        headers = ["Field", "Low", "High", "Target at low", "Target at high", "Swing", "Note"]
        return tabulate(
            rows,
            headers=headers,
            tablefmt=fmt,
            colalign=("left", "right", "right", "right", "right", "right", "left"),
            disable_numparse=True,
        )

    def __str__(self) -> str:
        pct = f"{self.change:.0%}"
        return (
            f"{self.model}: {self.target} {_yuan(self.base)}, each field ±{pct}\n{self.to_table()}"
        )


def tornado(
    model: BusinessModel,
    fields: Iterable[str] | None = None,
    *,
    change: float = 0.1,
    target: str = "operating_profit",
) -> Tornado:
    """Move each field ±``change`` alone and sort the fields by the swing of the target.

    Parameters
    ----------
    model : BusinessModel
        The model; its market's fields are included.
    fields : iterable of str, optional
        The fields to move; by default every numeric field of the model and its market.
    change : float
        Relative change, > 0 (0.1 tries each field at 90% and 110% of its value).
    target : str
        The waterfall step, yuan.

    Returns
    -------
    Tornado
        Bars sorted by swing; a value clipped to the field's valid range, a field whose
        value is zero (a relative change leaves it there) and a scenario that fails a
        cross-field check are said so in the bar's ``note``.

    Raises
    ------
    ValueError
        An unknown field or step, or a change that is not positive.

    Notes
    -----
    Every low and high scenario (two per field) and the base are evaluated in one
    vectorised `bizmodels.sweep` call.

    Examples
    --------
    Which of three assumptions moves the membership model's GMV most?

    >>> import bizmodels as bm
    >>> from bizmodels.risk import tornado
    >>> model = bm.get_model("toc_membership")
    >>> tornado(model, ["customers", "member_discount", "fixed_per_period"], target="gmv").order
    ['customers', 'member_discount', 'fixed_per_period']

    The market size scales all of GMV; the member discount only the members' share; fixed
    costs not at all.
    """
    if not change > 0:
        raise ValueError(f"change must be > 0 (0.1 for ±10%), got {change!r}")
    check_target(model, target)
    names = list(numeric_fields(model) if fields is None else fields)
    if not names:
        raise ValueError("no fields to move")
    infos = [field_info(model, name) for name in names]
    k = len(infos)
    columns: dict[str, FloatArray] = {}
    notes: list[str] = []
    for i, info in enumerate(infos):
        base = float(info.current)
        low, high = base * (1 - change), base * (1 + change)
        note: list[str] = []
        if base == 0:
            note.append("zero: a relative change leaves it at 0")
        if low < info.lower:
            low = info.lower
            note.append(f"low clipped to {info.lower:g}")
        if high > info.upper:
            high = info.upper
            note.append(f"high clipped to {info.upper:g}")
        column = np.full(2 * k + 1, base)
        column[1 + 2 * i], column[2 + 2 * i] = low, high
        columns[info.name] = column
        notes.append("; ".join(note))
    result = evaluate(model, columns, target)
    values = result.values
    bars = []
    for i, info in enumerate(infos):
        text = notes[i]
        failed = sorted({*result.failed_at(1 + 2 * i), *result.failed_at(2 + 2 * i)})
        if failed:
            text = "; ".join([*filter(None, [text]), "check failed: " + ", ".join(failed)])
        bars.append(
            TornadoBar(
                info.name,
                float(info.current),
                float(columns[info.name][1 + 2 * i]),
                float(columns[info.name][2 + 2 * i]),
                float(values[1 + 2 * i]),
                float(values[2 + 2 * i]),
                text,
            )
        )
    # sorted by swing, stable for ties; a bar with no swing (NaN) goes last
    bars.sort(key=lambda bar: (np.isnan(bar.swing), -np.nan_to_num(bar.swing)))
    return Tornado(model.key, target, change, float(values[0]), tuple(bars))


# -- two-way table ----------------------------------------------------------------------------


@dataclass(frozen=True)
class TwoWayTable:
    """A target over two fields: rows one field's values, columns the other's.

    Attributes
    ----------
    model, target, row_field, column_field : str
        What was evaluated.
    rows, columns : tuple of float
        The values of the row field and of the column field.
    values : ndarray of float64, shape (rows, columns)
        The target, yuan; NaN where the scenario fails a check.
    """

    model: str
    target: str
    row_field: str
    column_field: str
    rows: tuple[float, ...]
    columns: tuple[float, ...]
    values: FloatArray

    def to_table(self, fmt: str = "simple") -> str:
        """The matrix as a table (tabulate format ``fmt``)."""
        corner = f"{self.row_field} \\ {self.column_field}"
        headers = [corner, *(_number(c) for c in self.columns)]
        body = [
            [_number(r), *(_yuan(float(v)) for v in row)]
            for r, row in zip(self.rows, self.values, strict=True)
        ]
        align = ("left", *("right" for _ in self.columns))
        return tabulate(body, headers=headers, tablefmt=fmt, colalign=align, disable_numparse=True)

    def __str__(self) -> str:
        return f"{self.model}: {self.target}\n{self.to_table()}"


def two_way(
    model: BusinessModel,
    row_field: str,
    row_values: Sequence[float],
    column_field: str,
    column_values: Sequence[float],
    *,
    target: str = "operating_profit",
) -> TwoWayTable:
    """The target over every pair of two fields' values (a spreadsheet's data table).

    Parameters
    ----------
    model : BusinessModel
        The model.
    row_field, column_field : str
        Two different numeric fields of the model or its market.
    row_values, column_values : sequence of float
        Their values, each within the field's valid range.
    target : str
        The waterfall step, yuan.

    Returns
    -------
    TwoWayTable
        NaN (shown "n/a") where a pair fails a cross-field check.

    Raises
    ------
    ValueError
        An unknown field or step, the same field twice, or a value outside a field's range
        (naming it).

    Examples
    --------
    Operating profit of the membership model by price and member repurchase rate:

    >>> import bizmodels as bm
    >>> from bizmodels.risk import two_way
    >>> table = two_way(
    ...     bm.get_model("toc_membership"), "price", [150, 199], "member_conversion", [0.3, 0.6]
    ... )
    >>> table.values.shape
    (2, 2)
    >>> bool(table.values[1, 1] > table.values[0, 0])
    True

    A higher price and more repurchase both raise profit.
    """
    check_target(model, target)
    if row_field == column_field:
        raise ValueError(f"a two-way table needs two different fields, got {row_field!r} twice")
    for name in (row_field, column_field):
        field_info(model, name)
    rows = np.asarray(row_values, dtype=np.float64).reshape(-1, 1)
    cols = np.asarray(column_values, dtype=np.float64).reshape(1, -1)
    result = evaluate(model, {row_field: rows, column_field: cols}, target)
    return TwoWayTable(
        model.key,
        target,
        row_field,
        column_field,
        tuple(float(r) for r in rows.ravel()),
        tuple(float(c) for c in cols.ravel()),
        result.values,
    )


# -- Sobol indices ----------------------------------------------------------------------------


def _salib(module: str) -> ModuleType:
    try:
        return importlib.import_module(module)
    except ImportError:
        raise ImportError(f"Sobol indices need SALib: {INSTALL_SENSITIVITY}") from None


@dataclass(frozen=True)
class SobolIndices:
    """First- and total-order Sobol indices of a target, one row per field.

    Attributes
    ----------
    model, target : str
        What was analysed.
    fields : tuple of str
        The fields, largest total-order index first.
    ranges : tuple of (float, float)
        Each field's range (sampled uniformly).
    first, first_conf, total, total_conf : tuple of float
        Indices and the half-width of their 95% bootstrap confidence interval.
    evaluations : int
        Scenarios evaluated (``samples × (fields + 2)``), in one sweep call.
    """

    model: str
    target: str
    fields: tuple[str, ...]
    ranges: tuple[tuple[float, float], ...]
    first: tuple[float, ...]
    first_conf: tuple[float, ...]
    total: tuple[float, ...]
    total_conf: tuple[float, ...]
    evaluations: int

    def to_table(self, fmt: str = "simple") -> str:
        """The indices as a table (tabulate format ``fmt``)."""
        rows = [
            [
                name,
                f"{lo:.6g} – {hi:.6g}",
                f"{s1:.3f} ± {c1:.3f}",
                f"{st:.3f} ± {ct:.3f}",
            ]
            for name, (lo, hi), s1, c1, st, ct in zip(
                self.fields,
                self.ranges,
                self.first,
                self.first_conf,
                self.total,
                self.total_conf,
                strict=True,
            )
        ]
        return tabulate(
            rows,
            headers=["Field", "Range", "First order", "Total order"],
            tablefmt=fmt,
            colalign=("left", "right", "right", "right"),
            disable_numparse=True,
        )

    def __str__(self) -> str:
        return f"{self.model}: Sobol indices of {self.target}\n{self.to_table()}"


def sobol(
    model: BusinessModel,
    ranges: Mapping[str, tuple[float, float]] | Iterable[str] | None = None,
    *,
    change: float = 0.1,
    target: str = "operating_profit",
    samples: int = 1024,
    seed: int = 0,
) -> SobolIndices:
    """First- and total-order Sobol indices of a target, through SALib.

    Parameters
    ----------
    model : BusinessModel
        The model.
    ranges : mapping of field to (low, high), or iterable of fields, optional
        The fields and the range each is drawn from, uniformly; fields given by name (or all
        numeric fields, by default) range over ±``change`` of their value, clipped to their
        valid range (fields whose value is zero, hence a range of zero width, are left out).
    change : float
        Relative half-width of the default ranges.
    target : str
        The waterfall step, yuan.
    samples : int
        Base sample size N, a power of two (Saltelli's scheme evaluates N × (fields + 2)
        scenarios).
    seed : int
        Seed of SALib's scrambled Sobol sequence and of its bootstrap.

    Returns
    -------
    SobolIndices
        Fields sorted by total-order index.

    Raises
    ------
    ImportError
        SALib is not installed: one line naming ``pip install 'bizmodels[sensitivity]'``.
    ValueError
        An unknown field or step, an empty or reversed range, a sample size that is not a
        power of two, or scenarios that fail a cross-field check (narrow the ranges).

    Notes
    -----
    SALib's ``sample.sobol`` draws the Saltelli design, all of it is evaluated in one
    vectorised `bizmodels.sweep` call, and ``analyze.sobol`` estimates the indices
    (second order not computed). The first-order index is the share of the target's
    variance due to a field alone; the total-order index adds its interactions.

    Examples
    --------
    Which of the market's price and the member repurchase rate drives profit's variance?

    >>> import bizmodels as bm
    >>> from bizmodels.risk import sobol
    >>> model = bm.get_model("toc_membership")
    >>> ranges = {"price": (150, 250), "member_conversion": (0.4, 0.6)}
    >>> result = sobol(model, ranges)  # doctest: +SKIP
    >>> result.fields  # doctest: +SKIP
    ('price', 'member_conversion')

    The price, drawn over a wider share of its value, explains most of the variance.
    (Skipped in the doctests: SALib is an optional extra; tests/test_risk.py runs it.)
    """
    sample_mod = _salib("SALib.sample.sobol")
    analyze_mod = _salib("SALib.analyze.sobol")
    check_target(model, target)
    if isinstance(samples, bool) or samples < 2 or samples & (samples - 1):
        raise ValueError(f"samples must be a power of two ≥ 2 (Sobol sequence), got {samples!r}")
    bounds = _ranges(model, ranges, change)
    names = list(bounds)
    problem = {
        "num_vars": len(names),
        "names": names,
        "bounds": [list(bounds[n]) for n in names],
    }
    design = np.asarray(
        sample_mod.sample(problem, samples, calc_second_order=False, seed=seed),
        dtype=np.float64,
    )
    result = evaluate(model, {n: design[:, j] for j, n in enumerate(names)}, target)
    if not result.ok.all():
        bad = int((~result.ok).sum())
        raise ValueError(
            f"{model.key}: {bad} of {result.ok.size} Sobol scenarios fail a check "
            f"({', '.join(m for m, _ in result.failures)}); narrow the ranges"
        )
    indices = analyze_mod.analyze(
        problem, result.values, calc_second_order=False, print_to_console=False, seed=seed
    )
    order = sorted(range(len(names)), key=lambda j: -float(indices["ST"][j]))

    def pick(key: str) -> tuple[float, ...]:
        return tuple(float(indices[key][j]) for j in order)

    return SobolIndices(
        model.key,
        target,
        tuple(names[j] for j in order),
        tuple(bounds[names[j]] for j in order),
        pick("S1"),
        pick("S1_conf"),
        pick("ST"),
        pick("ST_conf"),
        int(design.shape[0]),
    )


def _ranges(
    model: BusinessModel,
    ranges: Mapping[str, tuple[float, float]] | Iterable[str] | None,
    change: float,
) -> dict[str, tuple[float, float]]:
    if not change > 0:
        raise ValueError(f"change must be > 0 (0.1 for ±10%), got {change!r}")
    out: dict[str, tuple[float, float]] = {}
    if isinstance(ranges, Mapping):
        for name, (lo, hi) in ranges.items():
            info = field_info(model, name)
            lo, hi = float(lo), float(hi)
            if not lo < hi:
                raise ValueError(f"{name}: range must have low < high, got ({lo:g}, {hi:g})")
            if lo < info.lower or hi > info.upper:
                raise ValueError(
                    f"{name}: range ({lo:g}, {hi:g}) leaves the valid range "
                    f"[{info.lower:g}, {info.upper:g}]"
                )
            out[name] = (lo, hi)
    else:
        names = numeric_fields(model) if ranges is None else list(ranges)
        for name in names:
            info = field_info(model, name)
            lo, hi = _around(info, change)
            if lo < hi:
                out[name] = (lo, hi)
            elif ranges is not None:
                raise ValueError(f"{name}: its value is 0, so ±{change:.0%} gives no range")
    if not out:
        raise ValueError("no field with a range to vary")
    return out


def _around(info: FieldInfo, change: float) -> tuple[float, float]:
    base = float(info.current)
    return info.clip(base * (1 - change)), info.clip(base * (1 + change))


# -- named scenario sets ----------------------------------------------------------------------


@dataclass(frozen=True)
class ScenarioSummary:
    """A target for every model under every named scenario, from the exact waterfalls.

    Attributes
    ----------
    target : str
        The waterfall step.
    models, scenarios : tuple of str
        Row labels (models) and column labels (scenario names), in the order given.
    values : dict
        ``(model, scenario)`` → the target, `Decimal` yuan to the fen, or None where the
        scenario is not valid for the model.
    problems : dict
        ``(model, scenario)`` → why a value is None.
    """

    target: str
    models: tuple[str, ...]
    scenarios: tuple[str, ...]
    values: dict[tuple[str, str], Decimal | None]
    problems: dict[tuple[str, str], str]

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per model: ``model`` and the target under each scenario."""
        return [{"model": m, **{s: self.values[m, s] for s in self.scenarios}} for m in self.models]

    def to_table(self, fmt: str = "simple") -> str:
        """Models as rows, scenarios as columns (tabulate format ``fmt``)."""
        body = [[m, *(_yuan(self.values[m, s]) for s in self.scenarios)] for m in self.models]
        align = ("left", *("right" for _ in self.scenarios))
        return tabulate(
            body,
            headers=["Model", *self.scenarios],
            tablefmt=fmt,
            colalign=align,
            disable_numparse=True,
        )

    def __str__(self) -> str:
        return f"{self.target} by scenario\n{self.to_table()}"


def scenario_sets(
    sets: Mapping[str, Mapping[str, Any]],
    models: Iterable[BusinessModel | str] | Mapping[str, BusinessModel] | None = None,
    *,
    target: str = "operating_profit",
    market: Market | None = None,
) -> ScenarioSummary:
    """Apply named sets of field overrides to every model and set the target side by side.

    Parameters
    ----------
    sets : mapping of name to mapping of field to value
        Scenarios by name (``{"base": {}, "worst": {"price": 169, ...}}``). A field is named
        as in `bizmodels.risk.monte_carlo`: a market field applies to every model, a model
        field to every model that has it, ``"slug.field"`` to one model.
    models : iterable of BusinessModel or slug, or mapping of label to model, optional
        As for `bizmodels.compare`; all ten by default.
    target : str
        The waterfall step.
    market : Market, optional
        A market every model is put on first.

    Returns
    -------
    ScenarioSummary
        Rows models, columns scenarios; values from each model's exact waterfall. A
        scenario that fails a model's validation shows "n/a", its reason in ``problems``.

    Raises
    ------
    ValueError
        A field that neither the market nor any model has, naming it; an unknown step.

    Examples
    --------
    How do two models fare if the price falls and refunds rise?

    >>> from bizmodels.risk import scenario_sets
    >>> sets = {"base": {}, "worst": {"price": 169, "refund_rate": 0.1}}
    >>> summary = scenario_sets(sets, ["toc_membership", "omnichannel"])
    >>> summary.scenarios
    ('base', 'worst')
    >>> all(summary.values[m, "worst"] < summary.values[m, "base"] for m in summary.models)
    True
    """
    entries = resolve_models(models, market)
    for _, model in entries:
        check_target(model, target)
    routed = {name: route(overrides, entries) for name, overrides in sets.items()}
    values: dict[tuple[str, str], Decimal | None] = {}
    problems: dict[tuple[str, str], str] = {}
    for label, model in entries:
        for name, overrides in sets.items():
            changes: dict[str, Any] = {}
            for r in routed[name]:
                if r.market is not None:
                    changes[r.market] = overrides[r.name]
                for model_label, field in r.models:
                    if model_label == label:
                        changes[field] = overrides[r.name]
            try:
                values[label, name] = exact_target(with_values(model, changes), target)
            except ValidationError as exc:
                values[label, name] = None
                problems[label, name] = str(exc).splitlines()[0] + ": " + _first_error(exc)
    return ScenarioSummary(
        target, tuple(label for label, _ in entries), tuple(sets), values, problems
    )


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(p) for p in error["loc"])
    return f"{where}: {error['msg']}" if where else str(error["msg"])
