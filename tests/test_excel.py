"""The Excel export: numbers with formats, and live formulas that recompute when edited.

Each workbook is written, reopened with openpyxl, edited the way an analyst would (a value
typed into a cell), saved, and recalculated with the `formulas` engine; the new figures are
worked out by hand below.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

openpyxl = pytest.importorskip("openpyxl")
formulas = pytest.importorskip("formulas")

import bizmodels as bm  # noqa: E402
from bizmodels.excel import PERCENT_FORMAT, YUAN_FORMAT  # noqa: E402
from bizmodels.waterfall import Line, Subtotal, Waterfall  # noqa: E402


def _edit(path: Path, sheet: str, cells: dict[str, Any]) -> None:
    book = openpyxl.load_workbook(path)
    for ref, value in cells.items():
        book[sheet][ref] = value
    book.save(path)


def _recalculate(path: Path) -> dict[str, Any]:
    """Every cell's value after a full recalculation: 'SHEET'!A1 (upper case) → value."""
    model = formulas.ExcelModel().loads(str(path)).finish()
    solution = model.calculate()
    out = {}
    for ref, ranges in solution.items():
        name = ref.split("]", 1)[1] if "]" in ref else ref
        value = getattr(ranges, "value", ranges)
        if hasattr(value, "shape") and value.shape == (1, 1):
            out[name] = value[0][0]
    return out


def _sheet_ref(sheet: str, cell: str) -> str:
    return f"{sheet.upper()}'!{cell}"


def _value(values: dict[str, Any], sheet: str, cell: str) -> Any:
    return values[_sheet_ref(sheet, cell)]


# -- a waterfall -----------------------------------------------------------------------------


def test_699_end_recomputes_after_a_deduction_is_edited(tmp_path: Path) -> None:
    waterfall = bm.plans.liandong_699().order_waterfall()
    path = waterfall.to_excel(tmp_path / "order.xlsx")
    assert path == tmp_path / "order.xlsx"

    book = openpyxl.load_workbook(path)
    (sheet,) = book.worksheets
    # rows: header, price, direct, see-point, differential, peer, pools, kept
    assert [sheet.cell(r, 2).value for r in range(2, 9)] == [
        "Package price",
        "Direct reward",
        "See-point reward",
        "Differential",
        "Peer reward",
        "Dividend pools",
        "Kept by the platform",
    ]
    assert sheet["A3"].value == "直推奖"
    # the start and the deductions are numbers (deductions negative, as tables show them)
    assert [sheet.cell(r, 3).value for r in range(2, 8)] == [699, -200, -100, -50, -30, -30]
    assert all(isinstance(sheet.cell(r, 3).value, (int, float)) for r in range(2, 8))
    # the end is a formula, not a value
    assert sheet["C8"].value == "=C2+SUM(C3:C7)"
    assert sheet["C2"].number_format == YUAN_FORMAT
    assert sheet["C8"].number_format == YUAN_FORMAT
    assert sheet["D8"].number_format == PERCENT_FORMAT
    assert sheet["C8"].font.b

    name = sheet.title
    before = _recalculate(path)
    assert _value(before, name, "C8") == pytest.approx(289)  # 699 − 200 − 100 − 50 − 30 − 30
    assert _value(before, name, "D8") == pytest.approx(289 / 699)

    # the direct reward raised from 200 to 250: 699 − 250 − 100 − 50 − 30 − 30 = 239
    _edit(path, name, {"C3": -250})
    after = _recalculate(path)
    assert _value(after, name, "C8") == pytest.approx(239)
    assert _value(after, name, "D8") == pytest.approx(239 / 699)
    assert _value(after, name, "D3") == pytest.approx(-250 / 699)


def test_each_subtotal_follows_the_previous_one(tmp_path: Path) -> None:
    # 100 − 30 = 70 (margin), 70 − 12.5 − 7.5 = 50 (end)
    waterfall = Waterfall.build(
        Line("price", "售价", "Price", 100),
        [
            Line("commission", "佣金", "Commission", 30),
            Subtotal("margin", "毛利", "Margin"),
            Line("goods", "商品成本", "Goods", Decimal("12.5")),
            Line("freight", "运费", "Freight", Decimal("7.5")),
        ],
        Subtotal("left", "剩余", "Left"),
        title="a/b: [test]",
    )
    path = waterfall.to_excel(tmp_path / "w.xlsx")
    sheet = openpyxl.load_workbook(path).worksheets[0]
    assert sheet.title == "a b test"  # the characters Excel refuses in a sheet's name removed
    assert sheet["C4"].value == "=C2+SUM(C3:C3)"
    assert sheet["C7"].value == "=C4+SUM(C5:C6)"
    # the commission to 40 and the freight to 10: margin 60, end 60 − 12.5 − 10 = 37.5
    _edit(path, sheet.title, {"C3": -40, "C6": -10})
    values = _recalculate(path)
    assert _value(values, sheet.title, "C4") == pytest.approx(60)
    assert _value(values, sheet.title, "C7") == pytest.approx(37.5)


def test_a_name_not_ending_in_xlsx_is_refused(tmp_path: Path) -> None:
    waterfall = bm.plans.liandong_699().order_waterfall()
    with pytest.raises(ValueError, match=r"^path = '.*order\.csv': an Excel workbook's name"):
        waterfall.to_excel(tmp_path / "order.csv")
    assert not (tmp_path / "order.csv").exists()


def test_without_openpyxl_one_line_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "openpyxl", None)  # import openpyxl now fails
    waterfall = bm.plans.liandong_699().order_waterfall()
    with pytest.raises(
        ImportError, match=r"^writing Excel needs openpyxl: pip install 'bizmodels\[excel\]'$"
    ):
        waterfall.to_excel(tmp_path / "order.xlsx")


# -- a comparison ----------------------------------------------------------------------------


def test_comparison_numbers_formats_and_a_live_margin(tmp_path: Path) -> None:
    from bizmodels.compare import COLUMNS

    comparison = bm.compare(["toc_membership", "omnichannel"])
    path = comparison.to_excel(tmp_path / "compare.xlsx")
    book = openpyxl.load_workbook(path)
    sheet = book["Comparison"]
    english = [cell.value for cell in sheet[1]]
    chinese = [cell.value for cell in sheet[2]]
    column = {label: i + 1 for i, label in enumerate(english)}
    assert english[0] == "#"
    assert "Operating profit" in english and chinese[column["Operating profit"] - 1] == "营业利润"
    assert [sheet.cell(r, 1).value for r in (3, 4)] == [1, 2]
    assert sheet.max_row == 4  # two header rows, one row per model
    for r, row in ((3, comparison.rows[0]), (4, comparison.rows[1])):
        assert sheet.cell(r, column["Model"]).value == row["model"]
        gmv = sheet.cell(r, column["GMV"])
        assert isinstance(gmv.value, (int, float)) and gmv.value == float(row["gmv"])
        assert gmv.number_format == YUAN_FORMAT
        assert sheet.cell(r, column["Gross margin"]).number_format == PERCENT_FORMAT
        assert sheet.cell(r, column["Customers"]).number_format == "#,##0"
    assert len(COLUMNS) + 2 == len(english)  # rank, every column, the Chinese name

    # an analyst's own figures in row 3: net revenue 1,000, operating profit 250 → 25%
    letter = openpyxl.utils.get_column_letter
    net, profit, margin = (
        letter(column[k]) for k in ("Net revenue", "Operating profit", "Op. margin")
    )
    _edit(path, "Comparison", {f"{net}3": 1000, f"{profit}3": 250})
    values = _recalculate(path)
    assert _value(values, "Comparison", f"{margin}3") == pytest.approx(0.25)


# -- cash flows ------------------------------------------------------------------------------


def _flows() -> Any:
    from bizmodels.cashflow import CashFlows, CashLine

    money = [Decimal(v) for v in ("100", "200", "300")]
    cost = [Decimal(v) for v in ("30", "60", "90")]
    return CashFlows(
        "hand",
        (
            CashLine("net_sales", "净销售额", "Net sales", 1, tuple(money)),
            CashLine("cogs", "商品成本", "Cost of goods", -1, tuple(cost)),
        ),
        3,
    )


def test_cash_flows_net_cumulative_and_totals_recompute(tmp_path: Path) -> None:
    path = _flows().to_excel(tmp_path / "flows.xlsx")
    sheet = openpyxl.load_workbook(path).worksheets[0]
    name = sheet.title
    # header rows, then months 0..2 in rows 3..5, totals in row 6; cash out is negative
    assert [sheet.cell(r, 3).value for r in (3, 4, 5)] == [-30, -60, -90]
    assert sheet["B3"].number_format == YUAN_FORMAT
    assert sheet["D3"].value == "=SUM(B3:C3)"
    assert sheet["B6"].value == "=SUM(B3:B5)"
    before = _recalculate(path)
    # net 70, 140, 210; cumulative 70, 210, 420; totals 600 in, −180 out, 420 net
    assert [_value(before, name, f"D{r}") for r in (3, 4, 5)] == pytest.approx([70, 140, 210])
    assert [_value(before, name, f"E{r}") for r in (3, 4, 5)] == pytest.approx([70, 210, 420])
    assert [_value(before, name, f"{c}6") for c in "BCD"] == pytest.approx([600, -180, 420])
    # month 1's sales raised from 200 to 500: net 440, cumulative 70, 510, 720, sales 900
    _edit(path, name, {"B4": 500})
    after = _recalculate(path)
    assert _value(after, name, "D4") == pytest.approx(440)
    assert _value(after, name, "E5") == pytest.approx(720)
    assert [_value(after, name, f"{c}6") for c in "BCD"] == pytest.approx([900, -180, 720])


# -- a run summary ---------------------------------------------------------------------------


def test_summary_sheets_figures_cohorts_and_live_band_shares(tmp_path: Path) -> None:
    run = bm.simulate_growth(bm.plans.liandong_699(), members=200, days=60, seed=1)
    summary = run.summary()
    path = summary.to_excel(tmp_path / "run.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["Figures", "Ranks", "Cohorts", "Bands"]

    figures = book["Figures"]
    by_key = {figures.cell(r, 1).value: figures.cell(r, 4) for r in range(5, figures.max_row + 1)}
    assert by_key["members"].value == summary.members
    assert isinstance(by_key["received"].value, (int, float))
    assert by_key["received"].value == summary.received / 100  # fen → yuan
    assert by_key["received"].number_format == YUAN_FORMAT
    assert by_key["payout_ratio"].number_format == PERCENT_FORMAT

    cohorts = book["Cohorts"]
    assert cohorts.max_row == 1 + len(summary.cohorts)
    head = [cell.value for cell in cohorts[1]]
    median = head.index("net_median") + 1
    assert cohorts.cell(2, median).number_format == YUAN_FORMAT
    assert isinstance(cohorts.cell(2, median).value, (int, float))

    bands = book["Bands"]
    counts = [bands.cell(r, 4).value for r in range(2, 2 + len(summary.bands))]
    total_row = 2 + len(summary.bands)
    assert sum(counts) == summary.participants  # the roots are reported apart
    # the first band's members set to 0: each share is its count over the rest
    _edit(path, "Bands", {"D2": 0})
    values = _recalculate(path)
    rest = sum(counts[1:])
    for r, n in enumerate(counts[1:], start=3):
        assert _value(values, "Bands", f"E{r}") == pytest.approx(n / rest)
    assert _value(values, "Bands", f"D{total_row}") == rest
    assert _value(values, "Bands", f"E{total_row}") == pytest.approx(1)


def test_the_ranks_sheet_is_the_disclosure_by_rank_of_the_participants(tmp_path: Path) -> None:
    # the spec's worked example: R, the company's root, is apart (the line under the
    # titles); the participants A, B, C, D are all MEMBER: A nets 160 + 40 − 699 = −499,
    # B, C, D −699 and earned nothing (3 of 4); the median of −699, −699, −699, −499 is −699
    events = [("R", None, 0), ("A", "R", 0), ("B", "R", 0), ("C", "R", 0), ("D", "A", 0)]
    summary = bm.simulate(bm.plans.liandong_699(), events).summary()
    book = openpyxl.load_workbook(summary.to_excel(tmp_path / "run.xlsx"))
    assert "reported apart: 1" in book["Figures"]["A3"].value
    ranks = book["Ranks"]
    head = [cell.value for cell in ranks[1]]
    rows = {ranks.cell(r, 1).value: r for r in range(2, ranks.max_row + 1)}
    assert list(rows) == ["MEMBER", "AGENT", "V1", "V2", "V3"]

    def cell(rank: str, key: str) -> Any:
        return ranks.cell(rows[rank], head.index(key) + 1)

    assert [cell(r, "members").value for r in rows] == [4, 0, 0, 0, 0]
    assert cell("MEMBER", "earned_nothing").value == 0.75
    assert cell("MEMBER", "net_median").value == -699
    assert cell("MEMBER", "net_median").number_format == YUAN_FORMAT
    assert cell("MEMBER", "earned").value == 200  # A's direct reward, all they earned
    assert cell("MEMBER", "earned_share").number_format == PERCENT_FORMAT
    assert book["Bands"].cell(2 + len(summary.bands), 3).value == "All participants 全部参与者"
    # a plan without ranks has no Ranks sheet
    flat = bm.simulate(bm.plans.distribution(), events).summary()
    names = openpyxl.load_workbook(flat.to_excel(tmp_path / "flat.xlsx")).sheetnames
    assert names == ["Figures", "Cohorts", "Bands"]


def test_a_models_cash_flows_add_up_to_its_waterfall_in_the_workbook(tmp_path: Path) -> None:
    # the schedule moves money in time and never changes the totals: the cells of every
    # line and month, added up as the total row's SUM formulas add them, give the operating
    # profit of the lifetime waterfall
    model = bm.get_model("toc_membership", retention=0.9)
    flows = model.cash_flows(acquisition=[1, 2, 1])
    sheet = openpyxl.load_workbook(flows.to_excel(tmp_path / "flows.xlsx")).worksheets[0]
    lines = len(flows.lines)
    months = range(3, 3 + flows.months)
    assert (
        sheet.cell(3 + flows.months, 2 + lines).value
        == f"=SUM({_col(2 + lines)}3:{_col(2 + lines)}{2 + flows.months})"
    )
    cells = [sheet.cell(r, c).value for r in months for c in range(2, 2 + lines)]
    assert all(isinstance(v, (int, float)) for v in cells)
    assert sum(Decimal(str(v)) for v in cells) == model.waterfall().end


def _col(index: int) -> str:
    return openpyxl.utils.get_column_letter(index)
