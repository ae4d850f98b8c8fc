"""Excel workbooks of results, with live formulas (the ``excel`` extra: openpyxl).

Amounts are written as numbers with a yuan number format, shares with a percent format, never
as text. What the library computes from other cells is written as a formula over them, so that
an analyst who edits a line in Excel sees what follows recompute:

- a waterfall's subtotals and its end are the previous subtotal (or the start) plus the
  deductions since (deductions are negative, as every table shows them, so that the amount
  column's steps add up to the end), and each share is the amount over the start;
- a comparison's margins are its profits over its net revenue;
- a cash-flow schedule's net per month is the sum of its lines, the cumulative net adds the
  months up, and each line's total is the sum of its months;
- a run summary's bands show their share as members over all members, with totals.

The functions take the result objects (`Waterfall`, `Comparison`, `CashFlows`, the plans'
`Summary`) and are what their ``to_excel(path)`` methods call. openpyxl is optional: without it
a call raises a one-line ImportError naming the extra (``pip install 'bizmodels[excel]'``).
This module imports no other part of bizmodels at run time, so every layer may call it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bizmodels._errors import field_error, shorten

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from bizmodels.cashflow import CashFlows
    from bizmodels.compare import Column, Comparison
    from bizmodels.plans.summary import Summary
    from bizmodels.waterfall import Waterfall

__all__ = [
    "COUNT_FORMAT",
    "PERCENT_FORMAT",
    "YUAN_FORMAT",
    "cash_flow_sheet",
    "comparison_sheet",
    "summary_sheets",
    "waterfall_sheet",
    "write_cash_flows",
    "write_comparison",
    "write_summary",
    "write_waterfall",
]

YUAN_FORMAT = '"¥"#,##0.00;-"¥"#,##0.00'
"""The number format of money: yuan to the fen, with thousands separators."""

PERCENT_FORMAT = "0.00%"
"""The number format of shares and margins."""

COUNT_FORMAT = "#,##0"
"""The number format of counts (members, customers, days)."""

_RATIO_FORMAT = "0.00"
_PERIODS_FORMAT = "0.0"
_FORMATS = {
    "yuan": YUAN_FORMAT,
    "percent": PERCENT_FORMAT,
    "share": PERCENT_FORMAT,
    "ratio": _RATIO_FORMAT,
    "periods": _PERIODS_FORMAT,
    "count": COUNT_FORMAT,
    "day": COUNT_FORMAT,
    "depth": "0.00",
}
_SHEET_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})
_SHEET_NAME_MAX = 31  # Excel's limit on a sheet's name


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError:
        raise ImportError("writing Excel needs openpyxl: pip install 'bizmodels[excel]'") from None
    return openpyxl


def _target(path: str | os.PathLike[str]) -> Path:
    if not isinstance(path, (str, os.PathLike)):
        raise ValueError(
            field_error("path", shorten(repr(path), 60), "expected a file name ending in .xlsx")
        )
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise ValueError(
            field_error(
                "path", shorten(repr(str(path)), 160), "an Excel workbook's name ends in .xlsx"
            )
        )
    return target


def _sheet_name(title: str, fallback: str) -> str:
    name = " ".join(title.translate(_SHEET_FORBIDDEN).split()).strip("'")
    return (name or fallback)[:_SHEET_NAME_MAX]


def _new_workbook() -> Workbook:
    workbook: Workbook = _openpyxl().Workbook()
    for sheet in list(workbook.worksheets):  # the default empty sheet: each writer adds its own
        workbook.remove(sheet)
    return workbook


def _save(workbook: Workbook, path: str | os.PathLike[str]) -> Path:
    target = _target(path)
    try:
        workbook.save(target)
    except OSError as exc:
        raise ValueError(
            field_error("path", shorten(repr(str(path)), 160), exc.strerror or str(exc))
        ) from None
    return target


def _number(value: Any) -> Any:
    # Excel has no Decimal: a float is what it stores anyway, and every fen amount below
    # 2^53 fen is exact in one; None stays an empty cell
    if isinstance(value, Decimal):
        return float(value)
    return value


def _header(sheet: Worksheet, rows: Sequence[Sequence[str]]) -> None:
    bold = _openpyxl().styles.Font(bold=True)
    for r, labels in enumerate(rows, start=1):
        for c, label in enumerate(labels, start=1):
            sheet.cell(r, c, label).font = bold
    sheet.freeze_panes = f"A{len(rows) + 1}"


def _widths(sheet: Worksheet, widths: Sequence[int]) -> None:
    from openpyxl.utils import get_column_letter

    for c, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = width


# -- a waterfall -------------------------------------------------------------------------


def waterfall_sheet(workbook: Workbook, waterfall: Waterfall, *, name: str | None = None) -> None:
    """Add ``waterfall`` to ``workbook`` as one sheet (see `write_waterfall`)."""
    sheet = workbook.create_sheet(_sheet_name(name or waterfall.title, "Waterfall"))
    _header(sheet, [("项目", "Item", "Amount (yuan) 金额（元）", "Share 占比", "Note", "说明")])
    bold = _openpyxl().styles.Font(bold=True)
    first = 2  # the start's row
    anchor = first  # the row of the last start or subtotal
    for r, step in enumerate(waterfall.steps, start=first):
        kind = step.kind.value
        sheet.cell(r, 1, step.label_zh)
        sheet.cell(r, 2, step.label_en)
        amount = sheet.cell(r, 3)
        if kind == "start":
            amount.value = _number(step.amount)
        elif kind == "deduction":
            amount.value = _number(-step.amount)
        else:
            # a subtotal or the end is what it follows plus the (negative) deductions since:
            # a formula, so that an edited deduction recomputes everything below it
            since = f"+SUM(C{anchor + 1}:C{r - 1})" if r - 1 > anchor else ""
            amount.value = f"=C{anchor}{since}"
            anchor = r
        amount.number_format = YUAN_FORMAT
        share = sheet.cell(r, 4, f'=IF($C${first}=0,"",C{r}/$C${first})')
        share.number_format = PERCENT_FORMAT
        sheet.cell(r, 5, step.note)
        sheet.cell(r, 6, step.note_zh)
        if kind in ("start", "subtotal", "end"):
            for c in range(1, 5):
                sheet.cell(r, c).font = bold
    _widths(sheet, (22, 32, 22, 12, 40, 30))


def write_waterfall(waterfall: Waterfall, path: str | os.PathLike[str]) -> Path:
    """Write a waterfall to an Excel workbook, its subtotals and end as live formulas.

    One sheet, named after the waterfall's title: the Chinese and English label of each step,
    its amount in yuan (a number with a yuan format; deductions negative, as every table shows
    them), its share of the start (a formula) and its note. The start and each deduction are
    values; each subtotal and the end are a formula (the previous subtotal or the start plus
    the deductions since), so that editing a deduction in Excel recomputes the end.

    Parameters
    ----------
    waterfall : Waterfall
        What to write.
    path : str or path-like
        The workbook's file name, ending in ``.xlsx``; an existing file is replaced.

    Returns
    -------
    pathlib.Path
        Where the workbook was written.

    Raises
    ------
    ImportError
        openpyxl is not installed (``pip install 'bizmodels[excel]'``).
    ValueError
        A path that does not end in ``.xlsx``, or that cannot be written.
    """
    _target(path)
    workbook = _new_workbook()
    waterfall_sheet(workbook, waterfall)
    return _save(workbook, path)


# -- a comparison ------------------------------------------------------------------------

# margins written as formulas over the row's own cells: margin key → (numerator, denominator)
# (gross profit is not a column, so the gross margin stays a value)
_MARGINS = {"operating_margin": ("operating_profit", "net_revenue")}


def comparison_sheet(workbook: Workbook, comparison: Comparison, columns: Sequence[Column]) -> None:
    """Add ``comparison`` to ``workbook`` as a sheet (and its notes as another)."""
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet("Comparison")
    _header(
        sheet,
        [
            ["#", *(c.en for c in columns), "Name (zh)"],
            ["排名", *(c.zh for c in columns), "名称"],
        ],
    )
    letter = {c.key: get_column_letter(i) for i, c in enumerate(columns, start=2)}
    for r, row in enumerate(comparison.rows, start=3):
        sheet.cell(r, 1, r - 2)
        for i, column in enumerate(columns, start=2):
            cell = sheet.cell(r, i)
            value = row.get(column.key)
            parts = _MARGINS.get(column.key)
            if parts is not None and value is not None:
                top, bottom = (f"{letter[k]}{r}" for k in parts)
                cell.value = f'=IF({bottom}=0,"",{top}/{bottom})'
            else:
                cell.value = _number(value)
            if column.kind in _FORMATS:
                cell.number_format = _FORMATS[column.kind]
        sheet.cell(r, len(columns) + 2, row.get("name_zh", ""))
    _widths(sheet, (6, 26, 30, *[16] * (len(columns) - 2), 24))
    if comparison.notes:
        notes = workbook.create_sheet("Notes")
        _header(notes, [("Note",)])
        for r, note in enumerate(comparison.notes, start=2):
            notes.cell(r, 1, note)
        _widths(notes, (120,))


def write_comparison(
    comparison: Comparison, path: str | os.PathLike[str], columns: Sequence[Column]
) -> Path:
    """Write a comparison to an Excel workbook: one row per model, best first.

    Every figure is a number with its format (yuan, percent, ratio, count); a missing figure
    is an empty cell. The operating margin is a formula over the row's operating profit and
    net revenue, so that an edited profit recomputes it. Headers in English, then Chinese.
    The notes, when there are any, go to a second sheet.

    Parameters
    ----------
    comparison : Comparison
        What to write.
    path : str or path-like
        The workbook's file name, ending in ``.xlsx``.
    columns : sequence of Column
        The columns, in order (`bizmodels.compare.COLUMNS`).

    Returns
    -------
    pathlib.Path
    """
    _target(path)
    workbook = _new_workbook()
    comparison_sheet(workbook, comparison, columns)
    return _save(workbook, path)


# -- cash flows --------------------------------------------------------------------------


def cash_flow_sheet(workbook: Workbook, flows: CashFlows) -> None:
    """Add ``flows`` to ``workbook`` as one sheet (see `write_cash_flows`)."""
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(_sheet_name(f"Cash flows {flows.model}", "Cash flows"))
    lines = flows.lines
    net_col = len(lines) + 2
    cum_col = net_col + 1
    _header(
        sheet,
        [
            ["Month", *(line.en for line in lines), "Net", "Cumulative"],
            ["月", *(line.zh for line in lines), "净现金流", "累计"],
        ],
    )
    first_line, last_line = get_column_letter(2), get_column_letter(len(lines) + 1)
    net, cum = get_column_letter(net_col), get_column_letter(cum_col)
    top = 3
    for m in range(flows.months):
        r = top + m
        sheet.cell(r, 1, m).number_format = COUNT_FORMAT
        for c, line in enumerate(lines, start=2):
            cell = sheet.cell(r, c, _number(line.sign * line.amounts[m]))
            cell.number_format = YUAN_FORMAT
        sheet.cell(r, net_col, f"=SUM({first_line}{r}:{last_line}{r})").number_format = YUAN_FORMAT
        running = f"={net}{r}" if m == 0 else f"={cum}{r - 1}+{net}{r}"
        sheet.cell(r, cum_col, running).number_format = YUAN_FORMAT
    total = top + flows.months
    bold = _openpyxl().styles.Font(bold=True)
    sheet.cell(total, 1, "Total 合计").font = bold
    if flows.months:
        for c in range(2, net_col + 1):
            col = get_column_letter(c)
            cell = sheet.cell(total, c, f"=SUM({col}{top}:{col}{total - 1})")
            cell.number_format = YUAN_FORMAT
            cell.font = bold
    _widths(sheet, (10, *[16] * (len(lines) + 2)))


def write_cash_flows(flows: CashFlows, path: str | os.PathLike[str]) -> Path:
    """Write monthly cash flows to an Excel workbook: a month per row, a line per column.

    Cash in is positive and cash out negative (numbers with a yuan format); the net of each
    month is a ``SUM`` of its lines, the cumulative net adds the months up, and the last row
    holds each line's total as a ``SUM`` over the months: all live formulas.

    Parameters
    ----------
    flows : CashFlows
        What to write.
    path : str or path-like
        The workbook's file name, ending in ``.xlsx``.

    Returns
    -------
    pathlib.Path
    """
    _target(path)
    workbook = _new_workbook()
    cash_flow_sheet(workbook, flows)
    return _save(workbook, path)


# -- a run summary -----------------------------------------------------------------------


def _records_sheet(
    workbook: Workbook,
    name: str,
    records: Sequence[Mapping[str, Any]],
    formats: Mapping[str, str],
) -> None:
    sheet = workbook.create_sheet(name)
    keys = list(records[0]) if records else []
    _header(sheet, [keys])
    for r, record in enumerate(records, start=2):
        for c, key in enumerate(keys, start=1):
            cell = sheet.cell(r, c, _number(record[key]))
            if key in formats:
                cell.number_format = formats[key]
    _widths(sheet, [16] * len(keys))


def summary_sheets(workbook: Workbook, summary: Summary) -> None:
    """Add a run summary's figures, ranks, cohorts and bands to ``workbook``, a sheet each.

    The Ranks sheet (the income disclosure by final rank) is added only for a plan with
    ranks (`Summary.ranks`); ranks, cohorts and bands are of the participants, the
    company's seeded roots apart (`Summary.roots_line`, written under the title).
    """
    bold = _openpyxl().styles.Font(bold=True)
    figures = workbook.create_sheet("Figures")
    figures.cell(1, 1, summary.title("en")).font = bold
    figures.cell(2, 1, summary.title("zh"))
    figures.cell(3, 1, summary.roots_line("en"))
    head = ("key", "项目", "Figure", "Value 数值", "unit")
    for c, label in enumerate(head, start=1):
        figures.cell(4, c, label).font = bold
    figures.freeze_panes = "A5"
    for r, figure in enumerate(summary.figures(), start=5):
        figures.cell(r, 1, figure.key)
        figures.cell(r, 2, figure.zh)
        figures.cell(r, 3, figure.en)
        cell = figures.cell(r, 4, _number(figure.value))
        cell.number_format = _FORMATS.get(figure.unit, "General")
        figures.cell(r, 5, figure.unit)
    _widths(figures, (24, 30, 44, 18, 8))

    shares = ("share", "earned_nothing", "earned_back", "earned_share", "earned_back_cash")
    money = ("net_p10", "net_median", "net_p90", "net_mean", "spent_mean", "take_home_mean")
    formats = dict.fromkeys((*money, "earned"), YUAN_FORMAT)
    formats |= dict.fromkeys(shares, PERCENT_FORMAT)
    formats |= {"members": COUNT_FORMAT, "active": COUNT_FORMAT}
    if summary.ranks:
        _records_sheet(workbook, "Ranks", summary.rank_records(), formats)
    _records_sheet(workbook, "Cohorts", summary.cohort_records(), formats)

    bands = workbook.create_sheet("Bands")
    _header(
        bands,
        [("band", "净收益区间", "Net result", "Members 人数", "Share 占比", "Net total 合计")],
    )
    records = summary.band_records()
    last = 1 + len(records)
    for r, band in enumerate(records, start=2):
        bands.cell(r, 1, band["band"])
        bands.cell(r, 2, band["label_zh"])
        bands.cell(r, 3, band["label_en"])
        bands.cell(r, 4, band["members"]).number_format = COUNT_FORMAT
        # a band's share of all members, live: an edited count recomputes every share
        share = bands.cell(r, 5, f'=IF(SUM($D$2:$D${last})=0,"",D{r}/SUM($D$2:$D${last}))')
        share.number_format = PERCENT_FORMAT
        bands.cell(r, 6, _number(band["net_total"])).number_format = YUAN_FORMAT
    if records:
        total = last + 1
        bands.cell(total, 1, "total").font = bold
        bands.cell(total, 3, "All participants 全部参与者").font = bold
        for c, col, fmt in (
            (4, "D", COUNT_FORMAT),
            (5, "E", PERCENT_FORMAT),
            (6, "F", YUAN_FORMAT),
        ):
            cell = bands.cell(total, c, f"=SUM({col}2:{col}{last})")
            cell.number_format = fmt
            cell.font = bold
    _widths(bands, (16, 24, 30, 14, 12, 18))


def write_summary(summary: Summary, path: str | os.PathLike[str]) -> Path:
    """Write a run summary to an Excel workbook: figures, ranks, cohorts and bands, a sheet each.

    Money is in yuan (numbers with a yuan format), shares with a percent format. In the
    bands' sheet each share is a formula (the band's members over all members) and the last
    row holds the totals as ``SUM`` formulas.

    Parameters
    ----------
    summary : Summary
        What to write (`SimulationResult.summary`).
    path : str or path-like
        The workbook's file name, ending in ``.xlsx``.

    Returns
    -------
    pathlib.Path
    """
    _target(path)
    workbook = _new_workbook()
    summary_sheets(workbook, summary)
    return _save(workbook, path)
