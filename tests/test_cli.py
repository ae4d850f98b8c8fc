import json
import subprocess
import sys

import pytest

from bizmodels.cli import main


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_plan_prints_the_seed_breakdown(capsys):
    status, out, err = run(capsys, "plan", "liandong_699")
    assert status == 0 and err == ""
    assert "289.00" in out and "−200.00" in out and "Direct reward (直推奖)" in out
    assert "Recruits to earn back the package from direct rewards: 3 (4 counting" in out


def test_plan_in_chinese_markdown(capsys):
    status, out, _ = run(capsys, "plan", "liandong_699", "--lang", "zh", "--format", "markdown")
    assert status == 0
    assert out.startswith("| 项目")
    assert "回本所需直推人数：3" in out


def test_plan_json_and_csv(capsys):
    _, out, _ = run(capsys, "plan", "liandong_699", "--format", "json")
    steps = json.loads(out)["steps"]
    # 699 − 200 − 100 − 50 − 30 − 30 = 289; − 80.42 VAT (699 × 13 / 113) − 4.19 fee = 204.39
    assert [s["amount"] for s in steps] == [
        699,
        -200,
        -100,
        -50,
        -30,
        -30,
        289,
        -80.42,
        -4.19,
        204.39,
    ]
    _, out, _ = run(
        capsys, "plan", "liandong_699", "--format", "csv", "--sponsor", "agent", "--not-slid"
    )
    assert "direct,deduction,直推奖,Direct reward,-300.00" in out
    assert "platform_kept,subtotal,平台留存,Kept by the platform,289.00" in out
    assert (
        out.strip()
        .splitlines()[-1]
        .startswith("after_tax,end,扣除增值税和手续费后剩余,Left after VAT and fees,204.39")
    )


def test_plan_set_overrides(capsys):
    # 999 − 200 − 100 − 50 − 30 − 30 = 589; VAT 999 × 13 / 113 = 114.929… → 114.93, fee
    # 999 × 0.006 = 5.994 → 5.99: 589 − 114.93 − 5.99 = 468.08
    _, out, _ = run(
        capsys, "plan", "liandong_699", "--set", "package_price=999", "--format", "json"
    )
    steps = {s["key"]: s["amount"] for s in json.loads(out)["steps"]}
    assert steps["platform_kept"] == 589 and steps["after_tax"] == 468.08
    _, out, _ = run(
        capsys, "plan", "liandong_699", "--set", "differential=10,20,40", "--format", "json"
    )
    # 699 − 200 − 100 − 40 − 30 − 30 = 299; − 80.42 − 4.19 = 214.39
    steps = {s["key"]: s["amount"] for s in json.loads(out)["steps"]}
    assert steps["platform_kept"] == 299 and steps["after_tax"] == 214.39


def test_goods_cost_and_upline(capsys):
    _, out, _ = run(
        capsys, "plan", "liandong_699", "--upline", "V1", "--goods-cost", "150", "--format", "json"
    )
    steps = {s["key"]: s["amount"] for s in json.loads(out)["steps"]}
    # 699 − 200 − 100 − 20 − 30 − 30 = 319; − 150 = 169
    assert steps["platform_kept"] == 319 and steps["gross_profit"] == 169


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["plan", "liandong_699", "--set", "package_price=-5"], "package_price = -5"),
        (["plan", "liandong_699", "--set", "package_price=499"], "520"),
        (
            ["plan", "liandong_699", "--set", "bogus=1"],
            "unknown parameter 'bogus'; valid: package_price",
        ),
        (["plan", "liandong_699", "--set", "novalue"], "--set expects key=value"),
        (["plan", "nope"], "unknown plan 'nope'; valid: liandong_699"),
        (["plan", "liandong_699", "--upline", "V7"], "unknown rank 'V7'"),
        (["plan", "liandong_699", "--goods-cost", "x"], "goods_cost must be a number"),
    ],
)
def test_bad_input_is_one_line_and_status_2(capsys, argv, message):
    status, out, err = run(capsys, *argv)
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1 and message in err
    assert "Traceback" not in err


def test_argparse_errors_are_status_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["plan", "liandong_699", "--format", "xml"])
    assert info.value.code == 2
    assert "invalid choice: 'xml'" in capsys.readouterr().err


def test_console_script_version_and_help():
    out = subprocess.run(
        [sys.executable, "-m", "bizmodels.cli", "--version"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.startswith("bizmodels ")
    help_text = subprocess.run(
        [sys.executable, "-m", "bizmodels.cli", "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "plan" in help_text


# -- compare --baseline ----------------------------------------------------------------


def test_compare_baseline_json_equals_python(capsys):
    import bizmodels as bm

    status, out, err = run(capsys, "compare", "--baseline", "--format", "json")
    assert status == 0, err
    data = json.loads(out)
    python = bm.compare(baseline=True).to_records()
    assert data["baseline"] == "marketplace_shop"
    assert [m["model"] for m in data["models"]] == [r["model"] for r in python]
    for got, want in zip(data["models"], python, strict=True):
        assert got["baseline"] == want["baseline"]
        assert got["operating_profit_vs_baseline"] == float(want["operating_profit_vs_baseline"])


def test_compare_baseline_table_marks_the_reference_and_fits(capsys):
    status, out, _ = run(capsys, "compare", "--baseline")
    assert status == 0
    head = out.splitlines()[0]
    assert "vs baseline" in head and "Operating profit" in head and "Risk level" in head
    assert "marketplace_shop (baseline)" in out and "Note: marketplace_shop is the baseline" in out
    assert max(len(line) for line in out.splitlines()) <= 120
    status, wide, _ = run(capsys, "compare", "--baseline", "--wide")
    assert "Margin vs baseline" in wide.splitlines()[0]


def test_compare_baseline_slug(capsys):
    status, out, _ = run(capsys, "compare", "toc_membership", "--baseline", "tob_online")
    assert status == 0
    assert "tob_online (baseline)" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["compare", "--baseline", "nope"],
            "bizmodels: error: unknown baseline model or preset 'nope'; valid: marketplace_shop",
        ),
        (
            ["compare", "toc_membership", "--baseline", "toc_membership"],
            "bizmodels: error: compare: baseline = 'toc_membership' is also among the models",
        ),
    ],
)
def test_compare_bad_baseline(capsys, argv, message):
    status, _, err = run(capsys, *argv)
    assert status == 2 and err.startswith(message) and err.count("\n") == 1
