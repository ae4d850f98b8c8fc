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

from bizmodels import _frames, _html
from bizmodels._format import money
from bizmodels._frames import Money
from bizmodels._html import Lang
from bizmodels._limits import SizeError, require_memory
from bizmodels.market import Market
from bizmodels.models import BusinessModel
from bizmodels.risk._fields import (
    BoolArray,
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
from bizmodels.risk.montecarlo import check_lang, target_label
from bizmodels.sweep import ARRAYS_PER_SCENARIO

__all__ = [
    "INSTALL_SENSITIVITY",
    "MAX_SOBOL_SAMPLES",
    "ScenarioSummary",
    "SobolIndices",
    "Tornado",
    "TornadoBar",
    "TwoWayTable",
    "scenario_sets",
    "sobol",
    "tornado",
    "two_way",
]

INSTALL_SENSITIVITY = "pip install 'bizmodels[sensitivity]'"
"""The install command of the optional extra behind `sobol` (SALib)."""


def _number(value: float) -> str:
    return f"{value:.6g}"


MAX_SOBOL_SAMPLES = 2**18
"""The largest base sample of `sobol`. Time sets it: SALib's bootstrap takes about 10 µs per
sample and field (measured: 1.7 s for 2^15 samples of 5 fields), so 2^18 samples of 20 fields
take about a minute; and the indices are then known to about 1/√N ≈ 0.002, past any use."""

_BOOTSTRAP = 100  # SALib's default resamples for the confidence intervals


def _check_change(change: Any) -> None:
    if (
        isinstance(change, bool)
        or not isinstance(change, (int, float, np.number))
        or not np.isfinite(change)
        or not change > 0
    ):
        raise ValueError(f"change must be a finite number > 0 (0.1 for ±10%), got {change!r}")


def _names(where: str, what: str, names: Any) -> list[str]:
    """Field names given as a list (a lone string would be read letter by letter)."""
    if isinstance(names, (str, bytes)):
        raise ValueError(f"{where}: {what} must be a list of field names, got the string {names!r}")
    out = list(names)
    bad = [n for n in out if not isinstance(n, str)]
    if bad:
        raise ValueError(f"{where}: {what} must be field names, got {bad[0]!r}")
    return out


def _pair(name: str, pair: Any) -> tuple[float, float]:
    if isinstance(pair, (str, bytes)) or not isinstance(pair, (Sequence, np.ndarray)):
        raise ValueError(f"{name}: range must be a pair (low, high) of numbers, got {pair!r}")
    if len(pair) != 2:
        raise ValueError(f"{name}: range must be a pair (low, high), got {pair!r}")
    out = []
    for x in pair:
        if isinstance(x, bool) or not isinstance(x, (int, float, Decimal, np.number)):
            raise ValueError(f"{name}: range must be a pair (low, high) of numbers, got {pair!r}")
        if not np.isfinite(float(x)):
            raise ValueError(f"{name}: range must be finite, got {pair!r}")
        out.append(float(x))
    return out[0], out[1]


def _values(where: str, what: str, values: Any) -> FloatArray:
    """A 1-d sequence of finite numbers, read as float64 (no string, no masked array)."""
    if isinstance(values, (str, bytes)):
        raise ValueError(
            f"{where}: {what} must be a sequence of numbers, got the string {values!r}"
        )
    if isinstance(values, np.ma.MaskedArray):
        raise ValueError(
            f"{where}: {what} is a masked array: a masked value has no value to use; pass "
            "the values (np.ma.filled, or .compressed() to drop the masked ones)"
        )
    if isinstance(values, np.ndarray):
        raw = values
    elif isinstance(values, (Sequence, range)):
        raw = np.asarray(list(values), dtype=object)
    else:
        raise ValueError(
            f"{where}: {what} must be a sequence of numbers, "
            f"got {type(values).__name__} {values!r:.60}"
        )
    if raw.ndim != 1 or raw.size == 0:
        raise ValueError(
            f"{where}: {what} must be a non-empty 1-d sequence of numbers, got {values!r:.60}"
        )
    for i, x in enumerate(raw.tolist()):
        if isinstance(x, bool) or not isinstance(x, (int, float, Decimal)):
            raise ValueError(f"{where}: {what}[{i}] = {x!r}: must be a number")
        if not np.isfinite(float(x)):
            raise ValueError(f"{where}: {what}[{i}] = {x!r}: must be a finite number")
    return np.asarray(raw, dtype=np.float64)


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
    target_low, target_high : float or None
        The target at ``low`` and at ``high``, yuan; None if that scenario fails a check
        (the note says which).
    note : str
        Why a bar is shorter than asked: a clipped value, a zero base, a failed check.
    """

    field: str
    base: float
    low: float
    high: float
    target_low: float | None
    target_high: float | None
    note: str = ""

    @property
    def swing(self) -> float | None:
        """``|target_high − target_low|``, yuan: the bar's length; None if a side failed."""
        if self.target_low is None or self.target_high is None:
            return None
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
        One per field, largest swing first; bars without a swing (a side fails a check)
        last.
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

    def _headers(self, lang: Lang) -> list[str]:
        if lang == "zh":
            at = target_label(self.target, lang)
            return ["字段", "低值", "高值", f"低值时{at}", f"高值时{at}", "波动幅度", "备注"]
        return ["Field", "Low", "High", "Target at low", "Target at high", "Swing", "Note"]

    def _rows(self) -> list[list[str]]:
        return [
            [
                bar.field,
                _number(bar.low),
                _number(bar.high),
                money(bar.target_low),
                money(bar.target_high),
                money(bar.swing),
                bar.note,
            ]
            for bar in self.bars
        ]

    def to_table(self, fmt: str = "simple", lang: Lang = "en") -> str:
        """The bars as a table (tabulate format ``fmt``), headers in ``lang`` ("en", "zh")."""
        headers = self._headers(check_lang(lang))
        rows = self._rows()
        return tabulate(
            rows,
            headers=headers,
            tablefmt=fmt,
            colalign=("left", "right", "right", "right", "right", "right", "left"),
            disable_numparse=True,
        )

    def __str__(self) -> str:
        return f"{self._caption()}\n{self.to_table()}"

    def _caption(self, lang: Lang = "en") -> str:
        if lang == "zh":
            at = target_label(self.target, lang)
            return f"{self.model}：{at} {money(self.base)}，各字段 ±{self.change:.0%}"
        return f"{self.model}: {self.target} {money(self.base)}, each field ±{self.change:.0%}"

    def to_pandas(self, money: Money = "yuan") -> Any:
        """One row per bar, largest swing first.

        Parameters
        ----------
        money : {"yuan", "fen", "decimal"}
            The unit of ``target_low``, ``target_high`` and ``swing``: float64 yuan (the
            default), float64 fen (the columns then end in ``_fen``) or Decimal to the fen.

        Returns
        -------
        pandas.DataFrame
            ``field``, ``base``, ``low``, ``high`` (the field's values, float64), the target
            at low and at high and the swing (missing where a side fails a check), ``note``.
        """
        money = _frames.check_money(money)
        bars = self.bars
        out: dict[str, Any] = {"field": [b.field for b in bars]}
        for key in ("base", "low", "high"):
            out[key] = _frames.yuan_column([getattr(b, key) for b in bars], "yuan")
        for key in ("target_low", "target_high", "swing"):
            out[_frames.money_name(key, money)] = _frames.yuan_column(
                [getattr(b, key) for b in bars], money
            )
        out["note"] = [b.note for b in bars]
        return _frames.frame(out)

    def to_html(self, lang: Lang = "en") -> str:
        """The bars as an HTML table that reads like `to_table`, labels in ``lang``."""
        headers = self._headers(check_lang(lang))
        return _html.table(
            headers,
            self._rows(),
            numeric={1, 2, 3, 4, 5},
            caption=self._caption(lang),
            lang=lang,
            more="to_table()",
        )

    def _repr_html_(self) -> str:
        return self.to_html()


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
        An unknown field or step, a change that is not a finite number > 0, or a string
        where the list of fields is expected.

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
    _check_change(change)
    check_target(model, target)
    names = numeric_fields(model) if fields is None else _names(model.key, "fields", fields)
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
        low_ok, high_ok = bool(result.ok[1 + 2 * i]), bool(result.ok[2 + 2 * i])
        bars.append(
            TornadoBar(
                info.name,
                float(info.current),
                float(columns[info.name][1 + 2 * i]),
                float(columns[info.name][2 + 2 * i]),
                float(values[1 + 2 * i]) if low_ok else None,
                float(values[2 + 2 * i]) if high_ok else None,
                text,
            )
        )
    # sorted by swing, stable for ties; a bar with no swing goes last
    bars.sort(key=lambda bar: (bar.swing is None, -(bar.swing or 0.0)))
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
        The target, yuan; NaN where the pair fails a cross-field check (``valid`` False),
        the one value the table shows "n/a" for.
    valid : ndarray of bool, shape (rows, columns)
        Where the pair passes the model's checks and ``values`` holds the target.
    """

    model: str
    target: str
    row_field: str
    column_field: str
    rows: tuple[float, ...]
    columns: tuple[float, ...]
    values: FloatArray
    valid: BoolArray

    def to_table(self, fmt: str = "simple", lang: Lang = "en") -> str:
        """The matrix as a table (tabulate format ``fmt``).

        The headers are the fields' names and values, alike in both languages; ``lang``
        ("en" or "zh") is checked so that every result takes it.
        """
        check_lang(lang)
        corner = f"{self.row_field} \\ {self.column_field}"
        headers = [corner, *(_number(c) for c in self.columns)]
        body = [
            [_number(r), *(money(float(v)) for v in row)]
            for r, row in zip(self.rows, self.values, strict=True)
        ]
        align = ("left", *("right" for _ in self.columns))
        return tabulate(body, headers=headers, tablefmt=fmt, colalign=align, disable_numparse=True)

    def __str__(self) -> str:
        return f"{self.model}: {self.target}\n{self.to_table()}"

    def to_pandas(self, money: Money = "yuan") -> Any:
        """The matrix as a DataFrame: index the row field's values, columns the column field's.

        Parameters
        ----------
        money : {"yuan", "fen", "decimal"}
            The unit of the target: float64 yuan (the default), float64 fen or Decimal to the
            fen. A pair that fails a check is missing (NaN, or None for Decimal).

        Returns
        -------
        pandas.DataFrame
            The index is named after the row field, the columns after the column field.
        """
        money = _frames.check_money(money)
        pd = _frames.pandas()
        data = {
            c: _frames.yuan_column(
                [float(v) if ok else None for v, ok in zip(col, valid, strict=True)], money
            )
            for c, col, valid in zip(self.columns, self.values.T, self.valid.T, strict=True)
        }
        df = pd.DataFrame(data, index=pd.Index(list(self.rows), name=self.row_field))
        df.columns.name = self.column_field
        return df

    def to_html(self, lang: Lang = "en") -> str:
        """The matrix as an HTML table, its caption in ``lang`` ("en" or "zh")."""
        lang = check_lang(lang)
        corner = f"{self.row_field} \\ {self.column_field}"
        sep = "：" if lang == "zh" else ": "
        headers = [corner, *(_number(c) for c in self.columns)]
        body = [
            [_number(r), *(money(float(v)) for v in row)]
            for r, row in zip(self.rows, self.values, strict=True)
        ]
        return _html.table(
            headers,
            body,
            numeric=set(range(1, len(headers))),
            caption=f"{self.model}{sep}{target_label(self.target, lang)}",
            lang=lang,
            more="to_table()",
        )

    def _repr_html_(self) -> str:
        return self.to_html()


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
        An unknown field or step, the same field twice, a value outside a field's range
        (naming it), or values that are not a sequence of finite numbers (a string, a
        masked array, a 2-d array).
    bizmodels._limits.SizeError
        More pairs than the memory holds.

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
    rows = _values(model.key, "row_values", row_values).reshape(-1, 1)
    cols = _values(model.key, "column_values", column_values).reshape(1, -1)
    require_memory(
        f"row_values × column_values = {rows.size:,} × {cols.size:,}",
        8.0 * rows.size * cols.size * (ARRAYS_PER_SCENARIO + 4),
    )
    result = evaluate(model, {row_field: rows, column_field: cols}, target)
    return TwoWayTable(
        model.key,
        target,
        row_field,
        column_field,
        tuple(float(r) for r in rows.ravel()),
        tuple(float(c) for c in cols.ravel()),
        result.values,
        np.broadcast_to(result.ok, result.values.shape).copy(),
    )


# -- Sobol indices ----------------------------------------------------------------------------


def _salib(module: str) -> ModuleType:
    try:
        return importlib.import_module(module)
    except ImportError:
        raise ImportError(f"Sobol indices need SALib: {INSTALL_SENSITIVITY}") from None


_SOBOL_HEADERS: dict[Lang, list[str]] = {
    "en": ["Field", "Range", "First order", "Total order"],
    "zh": ["字段", "范围", "一阶指数", "总效应指数"],
}


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

    def to_table(self, fmt: str = "simple", lang: Lang = "en") -> str:
        """The indices as a table (tabulate format ``fmt``), headers in ``lang`` ("en", "zh")."""
        headers = _SOBOL_HEADERS[check_lang(lang)]
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
            headers=headers,
            tablefmt=fmt,
            colalign=("left", "right", "right", "right"),
            disable_numparse=True,
        )

    def __str__(self) -> str:
        return f"{self.model}: Sobol indices of {self.target}\n{self.to_table()}"

    def to_pandas(self) -> Any:
        """One row per field, largest total-order index first (float64 throughout).

        Returns
        -------
        pandas.DataFrame
            ``field``, ``low``, ``high`` (its range), ``first``, ``first_conf``, ``total``,
            ``total_conf`` (indices and the half-widths of their 95% intervals).
        """
        out: dict[str, Any] = {
            "field": list(self.fields),
            "low": [lo for lo, _ in self.ranges],
            "high": [hi for _, hi in self.ranges],
            "first": list(self.first),
            "first_conf": list(self.first_conf),
            "total": list(self.total),
            "total_conf": list(self.total_conf),
        }
        return _frames.frame(
            {k: v if k == "field" else _frames.yuan_column(v, "yuan") for k, v in out.items()}
        )

    def to_html(self, lang: Lang = "en") -> str:
        """The indices as an HTML table that reads like `to_table`, labels in ``lang``."""
        headers = _SOBOL_HEADERS[check_lang(lang)]
        caption = (
            f"{self.model}：{target_label(self.target, lang)}的 Sobol 指数"
            if lang == "zh"
            else f"{self.model}: Sobol indices of {self.target}"
        )
        rows = [
            [name, f"{lo:.6g} – {hi:.6g}", f"{s1:.3f} ± {c1:.3f}", f"{st:.3f} ± {ct:.3f}"]
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
        return _html.table(
            headers,
            rows,
            numeric={1, 2, 3},
            caption=caption,
            lang=lang,
            more="to_table()",
        )

    def _repr_html_(self) -> str:
        return self.to_html()


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
        Base sample size N, a power of two from 2 to `MAX_SOBOL_SAMPLES` (2^18); Saltelli's
        scheme evaluates N × (fields + 2) scenarios.
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
        power of two or is above `MAX_SOBOL_SAMPLES`, scenarios that fail a cross-field
        check (narrow the ranges), or a target that does not vary at all over the ranges
        (no variance to apportion: every field's index would be 0/0).
    bizmodels._limits.SizeError
        A design and bootstrap larger than the memory holds.

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
    if (
        isinstance(samples, bool)
        or not isinstance(samples, (int, np.integer))
        or samples < 2
        or samples & (samples - 1)
    ):
        raise ValueError(f"samples must be a power of two ≥ 2 (Sobol sequence), got {samples!r}")
    if samples > MAX_SOBOL_SAMPLES:
        raise SizeError(
            f"samples = {samples}: at most {MAX_SOBOL_SAMPLES:,} (2^18, "
            "bizmodels.risk.MAX_SOBOL_SAMPLES)"
        )
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a whole number ≥ 0, got {seed!r}")
    bounds = _ranges(model, ranges, change)
    names = list(bounds)
    k = len(names)
    require_memory(
        f"samples = {samples}",
        8.0 * samples * ((k + 2) * (k + 1 + ARRAYS_PER_SCENARIO) + _BOOTSTRAP * (k + 3)),
    )
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
    spread = float(np.ptp(result.values))
    if spread == 0:
        raise ValueError(
            f"{model.key}: {target} does not vary over these ranges (all "
            f"{result.values.size:,} scenarios give {float(result.values[0]):,.2f}): there is "
            f"no variance to apportion among {', '.join(names)}"
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        indices = analyze_mod.analyze(
            problem,
            result.values,
            calc_second_order=False,
            print_to_console=False,
            num_resamples=_BOOTSTRAP,
            seed=seed,
        )
    for key in ("S1", "S1_conf", "ST", "ST_conf"):
        undefined = [names[j] for j in range(k) if not np.isfinite(indices[key][j])]
        if undefined:  # pragma: no cover - a varying target gives finite estimates
            raise ValueError(
                f"{model.key}: SALib's {key} for {', '.join(undefined)} is not a number "
                f"(variance {spread:.3g} across the scenarios); widen the ranges"
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
    _check_change(change)
    out: dict[str, tuple[float, float]] = {}
    if isinstance(ranges, Mapping):
        for name, pair in ranges.items():
            info = field_info(model, name)
            lo, hi = _pair(name, pair)
            if not lo < hi:
                raise ValueError(f"{name}: range must have low < high, got ({lo:g}, {hi:g})")
            if lo < info.lower or hi > info.upper:
                raise ValueError(
                    f"{name}: range ({lo:g}, {hi:g}) leaves the valid range "
                    f"[{info.lower:g}, {info.upper:g}]"
                )
            out[name] = (lo, hi)
    else:
        names = numeric_fields(model) if ranges is None else _names(model.key, "ranges", ranges)
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

    def to_table(self, fmt: str = "simple", lang: Lang = "en") -> str:
        """Models as rows, scenarios as columns (tabulate format ``fmt``), labels in ``lang``."""
        corner = "模型" if check_lang(lang) == "zh" else "Model"
        body = [[m, *(money(self.values[m, s]) for s in self.scenarios)] for m in self.models]
        align = ("left", *("right" for _ in self.scenarios))
        return tabulate(
            body,
            headers=[corner, *self.scenarios],
            tablefmt=fmt,
            colalign=align,
            disable_numparse=True,
        )

    def __str__(self) -> str:
        return f"{self.target} by scenario\n{self.to_table()}"

    def to_pandas(self, money: Money = "yuan") -> Any:
        """Models as the index, scenarios as columns, the target in `money`.

        Parameters
        ----------
        money : {"yuan", "fen", "decimal"}
            float64 yuan (the default), int64 fen (nullable ``Int64`` where a scenario is not
            valid for a model), or the exact Decimal; a missing value is where `problems`
            says why.
        """
        money = _frames.check_money(money)
        pd = _frames.pandas()
        data = {
            s: _frames.yuan_column([self.values[m, s] for m in self.models], money)
            for s in self.scenarios
        }
        df = pd.DataFrame(data, index=pd.Index(list(self.models), name="model"))
        df.columns.name = "scenario"
        return df

    def to_html(self, lang: Lang = "en") -> str:
        """Models as rows, scenarios as columns, as an HTML table; labels in ``lang``."""
        zh = check_lang(lang) == "zh"
        body = [[m, *(money(self.values[m, s]) for s in self.scenarios)] for m in self.models]
        return _html.table(
            ["模型" if zh else "Model", *self.scenarios],
            body,
            numeric=set(range(1, len(self.scenarios) + 1)),
            caption=f"各情景下的{target_label(self.target, lang)}"
            if zh
            else f"{self.target} by scenario",
            lang=lang,
            more="to_table()",
        )

    def _repr_html_(self) -> str:
        return self.to_html()


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
    if not isinstance(sets, Mapping):
        raise ValueError(f"sets must map scenario names to overrides, got {sets!r:.60}")
    for name, overrides in sets.items():
        if not isinstance(overrides, Mapping):
            raise ValueError(
                f"scenario {name!r}: overrides must map fields to values, got {overrides!r:.60}"
            )
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
