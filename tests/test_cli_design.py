"""``bizmodels design`` and ``bizmodels audit``: a small run, its files, mistakes in one line."""

from __future__ import annotations

import sys

import pytest

from bizmodels import cli

pytest.importorskip("optuna")
pytest.importorskip("pandas")

SMALL = ["--members", "800", "--networks", "3", "--days", "90", "--trials", "8"]
VARY = ["--vary", "direct_member=100:250", "--vary", "see_point=0:100"]


def _error(capsys, argv):
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    return err.strip()


def test_a_design_prints_its_report_and_writes_its_files(capsys, tmp_path):
    pytest.importorskip("matplotlib")
    chart, csv = tmp_path / "design.png", tmp_path / "trials.csv"
    argv = ["design", "liandong_699", *VARY, "--max-payout", "0.55", *SMALL]
    assert cli.main([*argv, "--chart", str(chart), "--trials-csv", str(csv)]) == 0
    out = capsys.readouterr().out
    assert "Design of liandong 699: 8 trials on 3 networks" in out
    assert "payout_ratio ≤ 0.55" in out and "Chosen (trial" in out
    assert chart.stat().st_size > 0
    lines = csv.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 9 and lines[0].startswith("trial,direct_member,see_point,")


def test_the_issues_command_says_no_plan_meets_a_warning_level(capsys):
    argv = ["design", "liandong_699", *VARY, "--max-payout", "0.5", "--max-risk", "warning"]
    assert cli.main([*argv, *SMALL]) == 0
    out = capsys.readouterr().out
    assert "never held: risk level ≤ warning" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--vary", "see_point=0-100"], "--vary see_point=0-100: expects FIELD=LOW:HIGH"),
        (["--vary", "see_point=a:b"], "--vary see_point=a:b: LOW and HIGH are numbers"),
        (["--vary", "nope=0:1"], "vary 'nope': not a numeric field of LiandongPlan"),
        (["--vary", "see_point=100:0"], "vary see_point = 100:0: the range is empty"),
        (["--vary", "see_point=0:1", "--objective", "x"], "objective 'x': unknown figure"),
        (["--vary", "see_point=0:1", "--constraint", "gini=1"], "--constraint gini=1: expects"),
        (["--vary", "see_point=0:1", "--networks", "0"], "--networks 0: at least 1"),
        ([], "design: give at least one --vary FIELD=LOW:HIGH"),
    ],
)
def test_mistakes_are_one_line(capsys, argv, message):
    err = _error(capsys, ["design", "liandong_699", *argv])
    assert message in err


def test_an_unknown_plan_is_one_line(capsys):
    err = _error(capsys, ["design", "nope", "--vary", "see_point=0:1"])
    assert "unknown plan 'nope'" in err


def test_without_the_design_extra_one_line_names_it(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "optuna", None)
    err = _error(capsys, ["design", "liandong_699", "--vary", "see_point=0:1"])
    assert err == (
        "bizmodels: error: the plan designer needs Optuna: pip install 'bizmodels[design]'"
    )


def test_an_audit_prints_the_gain_of_self_recruiting(capsys):
    pytest.importorskip("bizmodels.design.gaming")
    assert cli.main(["audit", "liandong_699", "--members", "600", "--days", "90"]) == 0
    out = capsys.readouterr().out
    assert "self_recruit" in out and "yuan" in out
