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
