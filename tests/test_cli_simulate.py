import csv
import io
import json

import pytest

from bizmodels.cli import main

WORKED_CSV = "kind,member,sponsor,day\njoin,R,,0\njoin,A,R,0\njoin,B,R,0\njoin,C,R,0\njoin,D,A,0\n"


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


SMALL = ("--members", "600", "--days", "120", "--seed", "3")


def test_simulate_prints_the_summary(capsys):
    status, out, err = run(capsys, "simulate", "liandong_699", *SMALL)
    assert status == 0 and err == ""  # no progress bar: stderr is not a terminal here
    assert out.startswith("liandong 699: ")
    for text in ("Earned back (net ≥ 0)", "Gini coefficient", "Income disclosure", "Cohort"):
        assert text in out


def test_simulate_is_deterministic_and_follows_the_seed(capsys):
    _, one, _ = run(capsys, "simulate", "liandong_699", *SMALL, "--format", "json")
    _, two, _ = run(capsys, "simulate", "liandong_699", *SMALL, "--format", "json")
    _, other, _ = run(
        capsys, "simulate", "liandong_699", "--members", "600", "--days", "120", "--seed", "4"
    )
    assert one == two and one != other


def test_simulate_json_csv_markdown_and_chinese(capsys):
    _, out, _ = run(capsys, "simulate", "liandong_699", *SMALL, "--format", "json")
    data = json.loads(out)
    figures = {f["key"]: f["value"] for f in data["figures"]}
    assert 0 < figures["members"] <= 600 and len(data["cohorts"]) == 10
    _, out, _ = run(capsys, "simulate", "liandong_699", *SMALL, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["key"] == "members" and rows[0]["section"] == "figures"
    _, out, _ = run(capsys, "simulate", "liandong_699", *SMALL, "--format", "markdown")
    assert out.startswith("**liandong 699") and "| Figure" in out
    _, out, _ = run(capsys, "simulate", "liandong_699", *SMALL, "--lang", "zh", "--cohorts", "4")
    assert "已回本（净收益 ≥ 0）" in out and "分为 4 等份" in out


def test_simulate_growth_options_and_plan_overrides(capsys):
    _, out, _ = run(
        capsys,
        "simulate",
        "distribution",
        "--members",
        "400",
        "--market-size",
        "300",
        "--days",
        "400",
        "--recruit-rate",
        "0.1",
        "--repurchase-rate",
        "0",
        "--attrition",
        "0",
        "--roots",
        "3",
        "--preference",
        "uniform",
        "--set",
        "rates=[0.2]",
        "--format",
        "json",
    )
    figures = {f["key"]: f["value"] for f in json.loads(out)["figures"]}
    assert figures["members"] <= 300 and figures["repurchases"] == 0
    assert figures["active"] == figures["participants"] == figures["members"] - 3  # no attrition
    assert json.loads(out)["title"].startswith("distribution 699 (1 levels)")


def test_simulate_replays_a_log(capsys, tmp_path):
    # spec liandong-2plus1.md, worked example: the platform keeps 3,304
    path = tmp_path / "log.csv"
    path.write_text(WORKED_CSV, encoding="utf-8")
    status, out, _ = run(
        capsys, "simulate", "liandong_699", "--events", str(path), "--format", "json"
    )
    assert status == 0
    figures = {f["key"]: f["value"] for f in json.loads(out)["figures"]}
    assert figures["members"] == 5 and figures["retained"] == 3304 and "active" not in figures


def test_simulate_with_refunds_prints_the_disclosure_after_everything(capsys):
    # the command: by rank and by cohort, net of tax and fees, the roots apart
    argv = ("simulate", "liandong_699", "--members", "20000", "--days", "180", "--seed", "1")
    status, out, err = run(capsys, *argv, "--refund-rate", "0.05")
    assert status == 0 and err == ""
    assert "The company's seeded roots (no sponsor), reported apart: 10, who earned" in out
    for text in (
        "Income disclosure by rank",
        "Income disclosure by join cohort",
        "V3 (provincial dealer)",
        "Take-home, mean",
        "Earned back in cash",
        "Orders refunded",
        "VAT on what it sold",
        "Platform's result",
        "Income tax withheld (for the state",
        "every order refunded, nothing earned",
    ):
        assert text in out, text
    assert max(len(line) for line in out.splitlines()) <= 120  # headers on two lines
    _, out, _ = run(capsys, *argv, "--refund-rate", "0.05", "--format", "json")
    data = json.loads(out)
    figures = {f["key"]: f["value"] for f in data["figures"]}
    assert figures["roots"] == 10 and figures["participants"] == figures["members"] - 10
    assert figures["refunds"] > 0 and figures["refunded"] == figures["refunds"] * 699
    assert [r["rank"] for r in data["ranks"]] == ["MEMBER", "AGENT", "V1", "V2", "V3"]
    assert sum(r["members"] for r in data["ranks"]) == figures["participants"]
    _, plain, _ = run(capsys, *argv, "--format", "json")
    plain_figures = {f["key"]: f["value"] for f in json.loads(plain)["figures"]}
    assert plain_figures["refunds"] == 0 and plain_figures["members"] == figures["members"]
    _, zh, _ = run(capsys, *argv, "--refund-rate", "0.05", "--lang", "zh")
    assert "按身份的收入披露" in zh and "公司种子账户" in zh and "平台结果" in zh


def test_simulate_withdrawals_and_settlement_overrides(capsys):
    argv = ("simulate", "liandong_699", *SMALL, "--format", "json")
    _, out, _ = run(
        capsys,
        *argv,
        "--withdraw-every",
        "7",
        "--set",
        "settlement.withdrawal_fee_rate=0.01",
        "--refund-rate",
        "0.1",
        "--refund-within",
        "1",
    )
    figures = {f["key"]: f["value"] for f in json.loads(out)["figures"]}
    assert figures["withdrawn"] > 0 and figures["withdrawal_fees"] > 0
    assert figures["refunds"] > 0
    _, out, _ = run(capsys, *argv, "--set", "settlement.frozen_days=7")
    figures = {f["key"]: f["value"] for f in json.loads(out)["figures"]}
    assert figures["pending"] > 0  # the last week's rewards are not withdrawable yet


def test_simulate_withdraw_every_on_a_log(capsys, tmp_path):
    # the worked example, every member withdrawing at the end of each day: R withdraws its
    # 746 yuan (spec), no tax below 800 yuan, no fee by default
    path = tmp_path / "log.csv"
    path.write_text(WORKED_CSV, encoding="utf-8")
    argv = ("simulate", "liandong_699", "--events", str(path), "--format", "json")
    status, out, _ = run(capsys, *argv, "--withdraw-every", "1")
    assert status == 0
    figures = {f["key"]: f["value"] for f in json.loads(out)["figures"]}
    assert figures["withdrawn"] == 746 + 160  # R, and A's 160 available
    assert figures["tax_withheld"] == 0 and figures["withdrawal_fees"] == 0


def test_progress_bar_only_on_a_terminal(capsys, monkeypatch):
    import sys

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    status, out, err = run(capsys, "simulate", "liandong_699", *SMALL)
    assert status == 0 and "growing the network [" in err and "day 120/120" in err
    assert err.endswith("\r\033[K") and "growing" not in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--members", "0"], "--members 0: input should be greater than or equal to 1"),
        (["--recruit-rate", "1.5"], "--recruit-rate 1.5: input should be less than or equal to 1"),
        (["--attrition", "-0.1"], "--attrition -0.1"),
        (["--members", "5", "--roots", "6"], "roots = 6 is more than members = 5"),
        (["--cohorts", "0"], "cohorts = 0"),
        (["--set", "package_price=100"], "plan liandong_699: package_price 100 is less"),
        (["--set", "bogus=1"], "unknown parameter 'bogus'"),
        (["--events", "/no/such/file.csv"], "cannot read /no/such/file.csv"),
        (["--events", "x.csv", "--members", "5"], "--events replays a log; --members do not"),
        (["--withdraw-every", "0"], "--withdraw-every 0: must be 1 to 36,500 days"),
        (["--refund-rate", "1.5"], "--refund-rate 1.5: input should be less than or equal to 1"),
        (["--refund-within", "0"], "--refund-within 0: input should be greater than or equal"),
        (["--events", "x.csv", "--refund-rate", "0.1"], "--refund-rate do not apply"),
        (["--set", "settlement.frozen_days=-1"], "settlement.frozen_days = -1: Input should"),
    ],
)
def test_bad_input_is_one_line_and_status_2(capsys, argv, message):
    status, out, err = run(capsys, "simulate", "liandong_699", *argv)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and message in err and "Traceback" not in err


def test_a_bad_log_names_its_line(capsys, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("kind,member,sponsor,day\njoin,R,,0\njoin,A,Q,0\n", encoding="utf-8")
    status, _, err = run(capsys, "simulate", "liandong_699", "--events", str(path))
    assert status == 2
    assert err.strip().endswith("line 3: unknown sponsor 'Q' of member 'A': no event joins it")


def test_unknown_plan_and_argparse_errors(capsys):
    status, _, err = run(capsys, "simulate", "nope")
    assert status == 2 and "unknown plan 'nope'; valid: liandong_699" in err
    with pytest.raises(SystemExit) as info:
        main(["simulate", "liandong_699", "--members", "many"])
    assert info.value.code == 2
    assert "invalid int value: 'many'" in capsys.readouterr().err


def test_explain_one_event_from_the_cli(tmp_path, capsys):
    # the spec's worked example: D joins under A, slides to R (spec event 5)
    log = tmp_path / "example.csv"
    log.write_text(
        "kind,member,sponsor,day\njoin,R,,0\njoin,A,R,0\njoin,B,R,0\njoin,C,R,0\njoin,D,A,0\n",
        encoding="utf-8",
    )
    assert main(["simulate", "liandong_699", "--events", str(log), "--explain", "4"]) == 0
    out = capsys.readouterr().out
    # spec: direct 200 to A (40 frozen), see-point 100 to R, differential 20 to R, peer 20
    # to R (4 frozen); platform keeps 699 − 200 − 100 − 20 − 20 − 30 = 329
    assert "direct 200.00 (40.00 frozen) to A" in out
    assert "see_point 100.00 to R" in out and "differential 20.00 to R" in out
    assert "peer 20.00 (4.00 frozen) to R" in out and "kept by the platform: 329.00" in out
    assert main(["simulate", "liandong_699", "--events", str(log), "--explain", "9"]) == 2
    assert "--explain 9: events are numbered 0 to 4" in capsys.readouterr().err


def test_break_even_value_must_be_a_number(capsys):
    with pytest.raises(SystemExit) as info:
        main(["break-even", "toc_membership", "price", "--value", "abc"])
    assert info.value.code == 2
    assert "argument --value: not a number: 'abc'" in capsys.readouterr().err
