"""Side-by-side comparison of business models on one market.

Every figure is read off each model's own exact waterfall (and its customer count); nothing
is computed a second way.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, localcontext
from html import escape
from pathlib import Path
from typing import Any, Literal

from tabulate import tabulate

from bizmodels import _frames, _html
from bizmodels._format import count, money, percent
from bizmodels._frames import Money
from bizmodels._output import render
from bizmodels._resolve import model_slugs, resolve, unknown
from bizmodels._types import MONEY_CONTEXT
from bizmodels.compliance import risk_level
from bizmodels.market import Market
from bizmodels.models import MODELS, VARIANTS, BusinessModel
from bizmodels.models.marketplace_shop import MarketplaceShop
from bizmodels.presets import name_of
from bizmodels.waterfall import FEN, _quantize

__all__ = [
    "BASELINE_COLUMNS",
    "BASELINE_SLUG",
    "BRIEF_COLUMNS",
    "COLUMNS",
    "LOWER_IS_BETTER",
    "SORTABLE",
    "Column",
    "Comparison",
    "cell_text",
    "compare",
    "model_row",
]

_RATIO = Decimal("0.0001")


@dataclass(frozen=True)
class Column:
    """A comparison column: key, labels, and how to show it."""

    key: str
    zh: str
    en: str
    kind: Literal["text", "yuan", "percent", "ratio", "count", "periods"]


COLUMNS: tuple[Column, ...] = (
    Column("model", "模式", "Model", "text"),
    Column("name", "名称", "Name", "text"),
    Column("gmv", "GMV", "GMV", "yuan"),
    Column("net_revenue", "净收入", "Net revenue", "yuan"),
    Column("gross_margin", "毛利率", "Gross margin", "percent"),
    Column("channel_payout_share", "渠道支出/GMV", "Channel / GMV", "percent"),
    Column("contribution_margin", "贡献毛利", "Contribution", "yuan"),
    Column("operating_profit", "营业利润", "Operating profit", "yuan"),
    Column("operating_margin", "营业利润率", "Op. margin", "percent"),
    Column("customers", "客户数", "Customers", "count"),
    Column("ltv", "客户终身价值", "LTV", "yuan"),
    Column("cac", "获客成本", "CAC", "yuan"),
    Column("ltv_cac", "LTV:CAC", "LTV:CAC", "ratio"),
    Column("cac_payback", "获客回收期", "CAC payback", "periods"),
    Column("risk_level", "涉传风险", "Risk level", "text"),
)
"""The columns of a comparison, in order."""

BRIEF_COLUMNS: tuple[str, ...] = (
    "model",
    "name",
    "gmv",
    "net_revenue",
    "operating_profit",
    "operating_margin",
    "ltv_cac",
    "risk_level",
)
"""The columns a notebook shows by default: the ranking key (operating profit) among them;
``to_html(wide=True)`` or `Comparison.to_table` shows all of `COLUMNS`."""

BASELINE_COLUMNS: tuple[Column, ...] = (
    Column("operating_profit_vs_baseline", "利润差(对基准)", "vs baseline", "yuan"),
    Column("operating_margin_vs_baseline", "利润率差(对基准)", "Margin vs baseline", "percent"),
)
"""The columns a comparison with a baseline adds after `COLUMNS` (and after `BRIEF_COLUMNS`
in a notebook): each model's operating profit and operating margin minus the baseline's,
the baseline's own row 0. A margin's difference is in percentage points (0.05 is 5 points).
"""

BASELINE_SLUG = MarketplaceShop.key
"""The baseline ``compare(baseline=True)`` adds: the public-marketplace shop
(`bizmodels.models.marketplace_shop.MarketplaceShop`)."""

_BASELINE_MARK = {"en": " (baseline)", "zh": "（基准）"}

_LEVEL_ZH = {"low": "低", "warning": "警示", "high": "高"}
_LEVELS = ("low", "warning", "high")

SORTABLE = tuple(c.key for c in COLUMNS if c.kind not in ("text",))

LOWER_IS_BETTER = ("cac", "cac_payback")
"""Columns ranked smallest first unless told otherwise."""


def _ratio(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    if denominator == 0:
        return None
    return _quantize(MONEY_CONTEXT.divide(numerator, denominator), _RATIO)


def _money(value: Decimal) -> Decimal:
    return _quantize(value, FEN)


def model_row(model: BusinessModel, slug: str | None = None) -> dict[str, Any]:
    """The comparison figures of one model, read off its waterfall.

    ``slug`` labels the row (a preset's slug); by default the model's key.

    LTV per customer is the contribution margin (before acquisition, marketing and fixed
    costs) per distinct customer; CAC is the acquisition lines per customer; CAC payback is
    CAC over LTV per active period (LTV over `BusinessModel.active_periods`, the periods a
    customer is expected to be active under the retention curve), in active periods.
    """
    with localcontext(MONEY_CONTEXT):
        return _model_row(model, slug)


def _model_row(model: BusinessModel, slug: str | None) -> dict[str, Any]:
    waterfall = model.waterfall()
    steps = waterfall.to_dict()
    sections = {line.key: line.section for line in model.pnl_lines()}
    channel = sum((steps[k] for k, s in sections.items() if s == "channel"), Decimal(0))
    acquisition = sum((steps[k] for k, s in sections.items() if s == "acquisition"), Decimal(0))
    customers = model.customers()
    ltv = None if customers == 0 else _money(steps["contribution_margin"] / customers)
    cac = None if customers == 0 else _money(acquisition / customers)
    # LTV per period a customer is active (seed 004's lifetime under the retention curve),
    # not per period of the horizon: a customer who has left earns nothing toward its CAC
    active = model.active_periods()
    per_period = None if ltv is None or active == 0 else ltv / active
    # a model's own slug (a variant's too, which no preset names) gives the model's names
    if slug is not None and slug != model.key:
        name_zh, name_en = name_of(slug)
    else:
        name_zh, name_en = model.name_zh, model.name_en
    return {
        "model": slug or model.key,
        "name": name_en,
        "name_zh": name_zh,
        "gmv": steps["gmv"],
        "net_revenue": steps["net_revenue"],
        "gross_margin": _ratio(steps["gross_profit"], steps["net_revenue"]),
        "channel_payout_share": _ratio(channel, steps["gmv"]),
        "contribution_margin": steps["contribution_margin"],
        "operating_profit": steps["operating_profit"],
        "operating_margin": _ratio(steps["operating_profit"], steps["net_revenue"]),
        "customers": _money(customers),
        "ltv": ltv,
        "cac": cac,
        "ltv_cac": None if ltv is None or not cac else _ratio(ltv, cac),
        "cac_payback": None if cac is None or not per_period else _ratio(cac, per_period),
        "risk_level": risk_level(model),
    }


class Comparison:
    """Models side by side, ranked by one column.

    Attributes
    ----------
    rows : list of dict
        One dict per model (keys: `COLUMNS`, plus ``name_zh``), best first.
    sort : str
        The column ranked by.
    notes : list of str
        What a reader must know to read the ranking fairly (e.g. models on different
        markets).
    baseline : str or None
        The slug of the reference row (``"marketplace_shop"`` for ``compare(baseline=True)``),
        ranked among the models; None without a baseline. With one, every row also has
        ``baseline`` (True on the reference row only) and the `BASELINE_COLUMNS`.
    """

    def __init__(
        self,
        rows: list[dict[str, Any]],
        sort: str,
        notes: list[str] | None = None,
        baseline: str | None = None,
    ) -> None:
        self.rows = rows
        self.sort = sort
        self.notes = notes or []
        self.baseline = baseline

    @property
    def columns(self) -> tuple[Column, ...]:
        """The columns of this comparison: `COLUMNS`, then `BASELINE_COLUMNS` with a baseline."""
        return COLUMNS if self.baseline is None else COLUMNS + BASELINE_COLUMNS

    def _cells(self, row: dict[str, Any], shown: Iterable[Column], lang: str) -> list[str]:
        """A row's cells as the tables show them, the reference row's model marked."""
        cells = []
        for column in shown:
            value = row["name_zh"] if column.key == "name" and lang == "zh" else row[column.key]
            if column.key == "risk_level" and lang == "zh":
                value = _LEVEL_ZH.get(value, value)
            text = cell_text(value, column.kind)
            if column.key == "model" and row.get("baseline"):
                text += _BASELINE_MARK[lang]
            cells.append(text)
        return cells

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, model: str) -> dict[str, Any]:
        for row in self.rows:
            if row["model"] == model:
                return row
        raise KeyError(f"{model!r} is not in the comparison")

    @property
    def ranking(self) -> list[str]:
        """Model slugs, best first."""
        return [row["model"] for row in self.rows]

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per model, best first, with a ``rank`` from 1."""
        return [{"rank": i, **row} for i, row in enumerate(self.rows, start=1)]

    def to_table(
        self,
        fmt: str = "simple",
        lang: Literal["zh", "en"] = "en",
        keys: Iterable[str] | None = None,
    ) -> str:
        """Render through tabulate, labels in ``lang``.

        ``keys`` picks columns (in the order of `columns`); all of them when omitted. The
        baseline's row, if any, reads ``marketplace_shop (baseline)`` in the model column.
        """
        chosen = None if keys is None else set(keys)
        shown = [c for c in self.columns if chosen is None or c.key in chosen]
        headers = ["#"] + [c.zh if lang == "zh" else c.en for c in shown]
        body = [
            [str(rank), *self._cells(row, shown, lang)]
            for rank, row in enumerate(self.rows, start=1)
        ]
        align = ["right"] + ["left" if c.kind == "text" else "right" for c in shown]
        return tabulate(body, headers=headers, tablefmt=fmt, colalign=align, disable_numparse=True)

    def to_pandas(self, money: Money = "yuan") -> Any:
        """The comparison as a pandas DataFrame, one row per model, best first.

        Parameters
        ----------
        money : {"yuan", "fen", "decimal"}
            The unit of the money columns (gmv, net_revenue, contribution_margin,
            operating_profit, ltv, cac): float64 yuan by default, int64 fen (the columns
            then end in ``_fen``) or exact Decimal yuan.

        Returns
        -------
        pandas.DataFrame
            Columns ``rank`` (int64, from 1), ``model``, ``name``, ``name_zh``, then every
            column of `COLUMNS` in order: shares and ratios as float64 fractions
            (``gross_margin`` 0.25 for 25 %), missing (NaN) where a figure is undefined;
            ``risk_level`` an ordered categorical low < warning < high. With a baseline,
            a bool column ``baseline`` (after ``name_zh``) and the `BASELINE_COLUMNS` last.

        Examples
        --------
        >>> import bizmodels as bm
        >>> df = bm.compare(["toc_membership"]).to_pandas()
        >>> df["operating_profit"].dtype, str(df["risk_level"].dtype)
        (dtype('float64'), 'category')
        """
        money = _frames.check_money(money)
        records = self.to_records()
        columns: dict[str, Any] = {
            "rank": [r["rank"] for r in records],
            "model": [r["model"] for r in records],
            "name": [r["name"] for r in records],
            "name_zh": [r["name_zh"] for r in records],
        }
        if self.baseline is not None:
            columns["baseline"] = [bool(r["baseline"]) for r in records]
        for column in self.columns:
            values = [r[column.key] for r in records]
            if column.key in ("model", "name"):
                continue
            if column.key == "risk_level":
                columns[column.key] = _frames.categorical(values, _LEVELS)
            elif column.kind == "yuan":
                columns[_frames.money_name(column.key, money)] = _frames.yuan_column(values, money)
            else:
                columns[column.key] = _frames.yuan_column(values, "yuan")
        return _frames.frame(columns)

    def to_html(
        self,
        lang: Literal["zh", "en"] = "en",
        wide: bool = False,
        max_rows: int = _html.MAX_ROWS,
    ) -> str:
        """An HTML table that reads like `to_table`, in fewer columns unless `wide`.

        Parameters
        ----------
        lang : {"en", "zh"}
            Language of the labels.
        wide : bool
            Every column of `columns`; by default `BRIEF_COLUMNS`, which include the
            ranking key, operating profit (and, with a baseline, `BASELINE_COLUMNS`).
        max_rows : int
            The most models shown before "… N more rows".
        """
        keys = {c.key for c in self.columns}
        if not wide:
            keys = set(BRIEF_COLUMNS) | {c.key for c in BASELINE_COLUMNS}
        shown = [c for c in self.columns if c.key in keys]
        headers = ["#"] + [c.zh if lang == "zh" else c.en for c in shown]
        body = [
            [str(rank), *self._cells(row, shown, lang)]
            for rank, row in enumerate(self.rows, start=1)
        ]
        sort = next((c for c in COLUMNS if c.key == self.sort), None)
        label = self.sort if sort is None else (sort.zh if lang == "zh" else sort.en)
        caption = f"按{label}排序" if lang == "zh" else f"Ranked by {label}"
        table = _html.table(
            headers,
            body,
            numeric={0} | {i for i, c in enumerate(shown, start=1) if c.kind != "text"},
            caption=caption,
            lang=lang,
            max_rows=max_rows,
            more="to_table()",
        )
        notes = "".join(f"<p><em>{escape(note)}</em></p>" for note in self.notes)
        return table + notes

    def _repr_html_(self) -> str:
        return self.to_html()

    def to_excel(self, path: str | os.PathLike[str]) -> Path:
        """Write an Excel workbook, one row per model, numbers formatted (`bizmodels.excel`)."""
        from bizmodels.excel import write_comparison

        return write_comparison(self, path, self.columns)

    def render(self, fmt: str = "table", lang: Literal["zh", "en"] = "en") -> str:
        """Render as a table, markdown, JSON (numbers) or CSV."""
        return render(
            fmt,
            table=lambda tablefmt: self.to_table(tablefmt, lang),
            records=self.to_records,
            payload=lambda rows: (
                {"sort": self.sort, "models": rows}
                if self.baseline is None
                else {"sort": self.sort, "baseline": self.baseline, "models": rows}
            ),
        )

    def __str__(self) -> str:
        return self.to_table()


def cell_text(value: Any, kind: str) -> str:
    """A comparison cell as the tables show it, by its column's kind (yuan, percent, …)."""
    if value is None:
        return "n/a"
    if kind == "yuan":
        return money(value)
    if kind == "percent":
        return percent(value)
    if kind == "ratio":
        return f"{value:.2f}"
    if kind == "periods":
        return f"{value:.1f}"
    if kind == "count":
        return count(value)
    return str(value)


def _entries(
    models: Iterable[BusinessModel | str] | Mapping[str, BusinessModel] | None,
) -> list[tuple[str | None, BusinessModel]]:
    if models is None:
        return [(slug, resolve(slug)) for slug in MODELS]
    if isinstance(models, (str, BusinessModel)):
        models = [models]  # one slug is one model, not an iterable of its letters
    if isinstance(models, Mapping):
        entries: list[tuple[str | None, BusinessModel]] = []
        for label, model in models.items():
            if not isinstance(label, str) or not isinstance(model, BusinessModel):
                raise ValueError(
                    f"compare: models[{label!r:.40}] = {model!r:.60}: expected a slug "
                    "mapped to a BusinessModel"
                )
            entries.append((label, model))
    elif isinstance(models, (bytes, bytearray)) or not isinstance(models, Iterable):
        raise ValueError(
            f"compare: models = {models!r:.60}: expected a slug, a model, or a list or "
            "mapping of them"
        )
    else:
        entries = []
        for index, item in enumerate(models):
            if isinstance(item, str):
                entries.append((item, resolve(item)))
            elif isinstance(item, BusinessModel):
                entries.append((None, item))
            else:
                raise ValueError(
                    f"compare: models[{index}] = {item!r:.60}: expected a model slug or a "
                    "BusinessModel"
                )
    if not entries:
        raise ValueError("compare: no models to compare; give at least one, or None for all")
    return entries


def compare(
    models: Iterable[BusinessModel | str] | Mapping[str, BusinessModel] | None = None,
    *,
    market: Market | None = None,
    sort: str = "operating_profit",
    descending: bool | None = None,
    baseline: bool | str | BusinessModel = False,
) -> Comparison:
    """Compare models on one market, ranked by a column, optionally against a baseline.

    Parameters
    ----------
    models : iterable of BusinessModel or slug, or mapping of slug to BusinessModel, optional
        The models: instances, slugs of models or presets (`bizmodels.presets.PRESETS`), or
        a scenario's ``models`` mapping; all ten with their defaults when omitted. A single
        slug or model is a comparison of one (``compare("toc_membership")`` is
        ``compare(["toc_membership"])``, never a comparison of its letters).
    market : Market, optional
        The shared market every model is put on; by default each model keeps its own (the
        default `Market` unless it was given another).
    sort : str
        Column to rank by (see `SORTABLE`); models with no value for it come last.
    descending : bool, optional
        Largest first; by default yes, except for the columns where less is better (CAC and
        CAC payback), which rank smallest first.
    baseline : bool, str or BusinessModel
        A reference row to hold the models against: True for the public-marketplace shop
        (`BASELINE_SLUG`, a Tmall/JD/Douyin shop paying commission, fees and paid traffic
        on every order); a slug (``"marketplace_shop"``, or any model or preset) for that
        one; a `BusinessModel` for that instance. A baseline given by True or a slug is
        built on ``market`` or, without it, on the market most of the models are on, so it
        sells what they sell; an instance keeps its own unless ``market`` is given. The
        reference row is ranked among the models, marked (``row["baseline"]``), and every
        row gains `BASELINE_COLUMNS`: its operating profit and margin minus the baseline's.
        False (the default): no baseline.

    Returns
    -------
    Comparison

    Raises
    ------
    ValueError
        An unknown sort column, listing the valid ones; no models; an entry that is neither
        a model nor a slug, naming its position; a baseline that is none of the above, or
        whose slug is also among the models.
    KeyError
        An unknown model slug (of a model or of the baseline), listing the valid ones.

    Examples
    --------
    >>> import bizmodels as bm
    >>> table = bm.compare(["toc_membership"], sort="operating_margin")
    >>> table.ranking
    ['toc_membership']

    Is private domain better than the marketplace for us?

    >>> table = bm.compare(["toc_membership"], baseline=True)
    >>> table.baseline, sorted(table.ranking)
    ('marketplace_shop', ['marketplace_shop', 'toc_membership'])
    >>> row = table["toc_membership"]
    >>> row["operating_profit_vs_baseline"] == (
    ...     row["operating_profit"] - table["marketplace_shop"]["operating_profit"]
    ... )
    True

    The membership business's operating profit less the marketplace shop's, selling the
    same goods on the same market: above zero, private domain earns more.
    """
    if sort not in SORTABLE:
        raise ValueError(f"unknown sort column {sort!r}; valid: {', '.join(SORTABLE)}")
    entries = _entries(models)
    if market is not None:
        entries = [(slug, m.with_market(market)) for slug, m in entries]
    reference = _baseline_entry(baseline, entries, market)
    if reference is not None:
        entries = [*entries, reference]
    rows = [model_row(m, slug) for slug, m in entries]
    if reference is not None:
        _against(rows, rows[-1])
    present = [r for r in rows if r[sort] is not None]
    missing = [r for r in rows if r[sort] is None]
    if descending is None:
        descending = sort not in LOWER_IS_BETTER
    present.sort(key=lambda r: r[sort], reverse=descending)
    notes = []
    markets = {m.market for _, m in entries}
    if len(markets) > 1:
        usual = _usual_market(entries)
        own = [slug or m.key for slug, m in entries if m.market != usual]
        notes.append(
            "the models are not on one market (a preset may carry its own, e.g. "
            f"{', '.join(own)}): pass market=... to compare them on the same assumptions"
        )
    label = None if reference is None else rows[-1]["model"]
    if label is not None:
        notes.append(
            f"{label} is the baseline (the reference row): 'vs baseline' is each model's "
            "operating profit, and operating margin in points, minus the baseline's"
        )
    return Comparison(present + missing, sort, notes, label)


def _usual_market(entries: list[tuple[str | None, BusinessModel]]) -> Market:
    """The market most of the models are on (the default one among equals)."""
    counts = Counter(m.market for _, m in entries)
    return max(counts, key=lambda market: (counts[market], market == Market()))


def _baseline_entry(
    baseline: object,
    entries: list[tuple[str | None, BusinessModel]],
    market: Market | None,
) -> tuple[str | None, BusinessModel] | None:
    """The baseline's entry, on the comparison's market; None for no baseline."""
    if baseline is False or baseline is None:
        return None
    shared = market if market is not None else _usual_market(entries)
    if baseline is True:
        baseline = BASELINE_SLUG
    if isinstance(baseline, BusinessModel):
        entry: tuple[str | None, BusinessModel] = (
            None,
            baseline if market is None else baseline.with_market(market),
        )
    elif isinstance(baseline, str):
        if baseline in VARIANTS:
            built: BusinessModel = VARIANTS[baseline](market=shared)
        else:
            try:
                built = resolve(baseline).with_market(shared)
            except KeyError:
                valid = [BASELINE_SLUG, *(s for s in model_slugs() if s != BASELINE_SLUG)]
                raise unknown("baseline model or preset", baseline, valid) from None
        entry = (baseline, built)
    else:
        raise ValueError(
            f"compare: baseline = {baseline!r:.60}: expected True, a model or preset slug, "
            "or a BusinessModel"
        )
    label = entry[0] or entry[1].key
    if any((slug or m.key) == label for slug, m in entries):
        raise ValueError(
            f"compare: baseline = {label!r} is also among the models compared; compare "
            "the others against it, or give another baseline"
        )
    return entry


def _against(rows: list[dict[str, Any]], reference: dict[str, Any]) -> None:
    """Mark the reference row and give every row its difference from it (in place)."""
    margin = reference["operating_margin"]
    for row in rows:
        row["baseline"] = row is reference
        row["operating_profit_vs_baseline"] = (
            row["operating_profit"] - reference["operating_profit"]
        )
        row["operating_margin_vs_baseline"] = (
            None
            if margin is None or row["operating_margin"] is None
            else row["operating_margin"] - margin
        )
