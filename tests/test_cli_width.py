"""The CLI fits 120 columns by default, ``--wide`` shows every column, xlsx goes to a file."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from bizmodels.cli import main
from bizmodels.cli._fit import fit, narrow_headers


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def width(text: str) -> int:
    # display columns, counted independently of the code's own measure: a wide (W) or
    # full-width (F) character takes two
    return max(
        sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
        for line in text.splitlines()
    )


@pytest.mark.parametrize(
    "argv",
    [
        ("compare",),
        ("compare", "--lang", "zh"),
        ("compare", "--sort", "cac"),
        ("assess", "liandong_699"),
        ("assess", "liandong_699", "--lang", "zh"),
        ("assess", "toc_membership"),
        ("plan", "liandong_699"),
        ("simulate", "liandong_699", "--members", "300", "--days", "40"),
        ("simulate", "liandong_699", "--members", "300", "--days", "40", "--lang", "zh"),
        ("models",),
        ("presets",),
    ],
)
def test_the_default_output_fits_120_columns(capsys, argv):
    status, out, err = run(capsys, *argv)
    assert status == 0, err
    assert width(out) <= 120


def test_compare_keeps_the_ranking_key_and_wide_shows_every_column(capsys):
    _, narrow, _ = run(capsys, "compare")
    head = narrow.splitlines()[0]
    assert "Operating profit" in head and "Op. margin" in head
    assert "Net revenue" not in head and "CAC payback" not in head
    _, wide, _ = run(capsys, "compare", "--wide")
    head = wide.splitlines()[0]
    for label in ("Name", "Net revenue", "Gross margin", "Customers", "CAC payback"):
        assert label in head
    assert width(wide) > 200  # the table of before: every column, on one line
    # the same models in the same order either way
    assert [ln.split()[1] for ln in narrow.splitlines()[2:12]] == [
        ln.split()[1] for ln in wide.splitlines()[2:12]
    ]


def test_compare_sorted_by_another_column_shows_it(capsys):
    _, out, _ = run(capsys, "compare", "--sort", "cac")
    head = out.splitlines()[0].split()
    assert "CAC" in head and "Operating" in head


def test_assess_wide_keeps_the_citations_column(capsys):
    _, narrow, _ = run(capsys, "assess", "liandong_699")
    _, wide, _ = run(capsys, "assess", "liandong_699", "--wide")
    assert "legal basis" not in narrow.splitlines()[2]
    assert "legal basis" in wide.splitlines()[2]
    assert narrow.splitlines()[0] == wide.splitlines()[0] == "liandong_699: risk level HIGH"


def test_json_and_csv_are_never_cut(capsys):
    _, out, _ = run(capsys, "compare", "--format", "csv")
    assert out.splitlines()[0].split(",")[:5] == ["rank", "model", "name", "name_zh", "gmv"]
    assert "cac_payback" in out.splitlines()[0]


def test_fit_wraps_prose_at_words_and_leaves_tables():
    line = "- " + " ".join(["word"] * 40)  # 2 + 40 * 5 - 1 = 201 columns
    wrapped = fit(line, 50).splitlines()
    assert all(len(x) <= 50 for x in wrapped)
    assert wrapped[0].startswith("- word") and wrapped[1].startswith("  word")
    assert " ".join(x.strip(" -") for x in wrapped) == " ".join(["word"] * 40)
    table = "a" * 30 + "  " + "b" * 30
    assert fit(table, 40) == table
    chinese = "汉" * 30  # 60 columns
    assert [len(x) for x in fit(chinese, 40).splitlines()] == [20, 10]


def test_narrow_headers_breaks_long_headers_on_two_lines():
    text = narrow_headers("Cohort\tEarned nothing\n1\t27.3%\n")
    first, second, _rule, row = text.splitlines()
    assert first.split() == ["Cohort", "Earned"] and second.split() == ["nothing"]
    assert row.split() == ["1", "27.3%"]


# -- xlsx -----------------------------------------------------------------------------------


def test_xlsx_needs_an_output_file(capsys):
    status, out, err = run(capsys, "compare", "--format", "xlsx")
    assert status == 2 and out == ""
    assert err == "bizmodels: error: --format xlsx writes a workbook: give -o FILE.xlsx\n"


def test_xlsx_refuses_a_name_that_is_not_xlsx(capsys, tmp_path):
    target = tmp_path / "out.csv"
    status, _, err = run(capsys, "plan", "liandong_699", "--format", "xlsx", "-o", str(target))
    assert status == 2
    assert err == f"bizmodels: error: -o {target}: a workbook's name ends in .xlsx\n"
    assert not target.exists()


def test_xlsx_refuses_a_terminal(capsys, monkeypatch):
    import sys

    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    status, _, err = run(capsys, "plan", "liandong_699", "--format", "xlsx", "-o", "-")
    assert status == 2
    assert err.startswith("bizmodels: error: -o -: will not write a workbook to a terminal")


@pytest.mark.parametrize(
    ("argv", "sheet"),
    [
        (("plan", "liandong_699"), None),
        (("waterfall", "toc_membership"), None),
        (("compare",), "Comparison"),
        (("simulate", "liandong_699", "--members", "200", "--days", "30"), "Bands"),
    ],
)
def test_xlsx_writes_a_workbook(capsys, tmp_path, argv, sheet):
    openpyxl = pytest.importorskip("openpyxl")
    target = tmp_path / "out.xlsx"
    status, out, err = run(capsys, *argv, "--format", "xlsx", "-o", str(target))
    assert status == 0, err
    assert out == f"wrote {target}\n"
    book = openpyxl.load_workbook(target)
    if sheet is not None:
        assert sheet in book.sheetnames


def test_the_plan_workbook_ends_in_a_formula(capsys, tmp_path: Path):
    openpyxl = pytest.importorskip("openpyxl")
    target = tmp_path / "order.xlsx"
    run(capsys, "plan", "liandong_699", "--format", "xlsx", "-o", str(target))
    sheet = openpyxl.load_workbook(target).worksheets[0]
    assert sheet["B8"].value == "Kept by the platform"
    assert sheet["C8"].value == "=C2+SUM(C3:C7)"  # 699 − 200 − 100 − 50 − 30 − 30, live


def test_text_formats_can_go_to_a_file_too(capsys, tmp_path):
    target = tmp_path / "order.md"
    status, out, _ = run(capsys, "plan", "liandong_699", "--format", "markdown", "-o", str(target))
    assert status == 0 and out == f"wrote {target}\n"
    text = target.read_text(encoding="utf-8")
    table = [line.strip("|").split("|") for line in text.splitlines() if line.startswith("|")]
    amount = {cells[0].strip(): cells[1].strip() for cells in table}
    # kept 699 − 200 − 100 − 50 − 30 − 30 = 289; the VAT in the price 699 × 13% / 1.13 =
    # 80.415… → 80.42 and the payment fee 0.6% × 699 = 4.194 → 4.19 leave
    # 289 − 80.42 − 4.19 = 204.39
    assert amount["Kept by the platform (平台留存)"] == "289.00"
    assert amount["VAT (增值税)"] == "−80.42"
    assert amount["Payment fee (支付手续费)"] == "−4.19"
    assert amount["Left after VAT and fees (扣除增值税和手续费后剩余)"] == "204.39"
