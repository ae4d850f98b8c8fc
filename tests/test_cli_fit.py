"""``bizmodels fit``: the shipped log fitted, its scenario compared, the mistakes in one line."""

from __future__ import annotations

import importlib.util
from importlib import resources
from pathlib import Path

import pytest

from bizmodels import cli
from bizmodels.cli import _fitcmd
from bizmodels.io import load_scenario

LOG = str(Path(str(resources.files("bizmodels") / "data" / "orders_example.csv")))
COLUMNS = ["--customer", "customer_id", "--date", "date", "--amount", "amount"]

needs_fit = pytest.mark.skipif(
    any(importlib.util.find_spec(m) is None for m in ("pymc_marketing", "duckdb", "pandas")),
    reason="the fit extra is not installed",
)


@pytest.fixture(autouse=True)
def _registered(monkeypatch):
    """The command as `bizmodels.cli` lists it (added here until the list names it)."""
    if _fitcmd.add_fit not in cli._COMMANDS:
        monkeypatch.setattr(cli, "_COMMANDS", (*cli._COMMANDS, _fitcmd.add_fit))


def _error(capsys, argv):
    assert cli.main(argv) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    return err.strip()


def test_an_unknown_model_is_refused_before_the_log_is_read(capsys):
    err = _error(capsys, ["fit", "no-such.csv", *COLUMNS, "--model", "nope"])
    assert err.startswith("bizmodels: error: unknown model or preset 'nope'; valid: ")


def test_a_missing_log_is_one_line(capsys):
    err = _error(capsys, ["fit", "no-such.csv", *COLUMNS])
    assert err == "bizmodels: error: no-such.csv: no such file"


def test_an_existing_scenario_file_is_kept_without_force(capsys, tmp_path):
    target = tmp_path / "s.yaml"
    target.write_text("market: {}\n", encoding="utf-8")
    err = _error(capsys, ["fit", LOG, *COLUMNS, "--write-scenario", str(target)])
    assert err == f"bizmodels: error: --write-scenario {target} exists; use --force to overwrite it"
    assert target.read_text(encoding="utf-8") == "market: {}\n"


def test_a_scenario_file_of_another_kind_is_refused(capsys, tmp_path):
    err = _error(capsys, ["fit", LOG, *COLUMNS, "--write-scenario", str(tmp_path / "s.txt")])
    assert err.endswith("s.txt: a scenario file ends in .yaml or .json")


def test_a_missing_column_option_is_argparse_status_2(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["fit", LOG, "--customer", "customer_id"])
    assert exit_.value.code == 2


@needs_fit
def test_the_shipped_log_fits_and_its_scenario_compares(capsys, tmp_path):
    scenario = tmp_path / "fitted.yaml"
    chart = tmp_path / "holdout.png"
    argv = ["fit", LOG, *COLUMNS, "--calibration-end", "1997-09-30"]
    assert cli.main([*argv, "--write-scenario", str(scenario), "--chart", str(chart)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(
        "fitted from orders_example.csv, 2,357 customers, calibration to 1997-09-30"
    )
    for name in ("r", "alpha", "a", "b", "p", "q", "v"):
        assert any(line.split()[1:2] == [name] for line in out.splitlines() if line.strip())
    assert "holdout (39 weeks after the calibration end)" in out
    assert chart.stat().st_size > 1000
    text = scenario.read_text(encoding="utf-8")
    assert text.startswith("# toc_membership: fitted from orders_example.csv, 2,357 customers")
    loaded = load_scenario(scenario)
    assert loaded.market.customers == 2357
    assert loaded.models["toc_membership"].retention_curve[0] == 1
    assert cli.main(["compare", str(scenario)]) == 0
    assert "toc_membership" in capsys.readouterr().out


def test_a_model_without_a_conversion_field_is_refused_before_fitting(capsys, tmp_path):
    target = str(tmp_path / "s.yaml")
    err = _error(
        capsys, ["fit", LOG, *COLUMNS, "--model", "tob_recruitment", "--write-scenario", target]
    )
    assert err == (
        "bizmodels: error: tob_recruitment has no conversion field to take the fitted repeat "
        "purchases; name one with conversion_field= (--conversion-field)"
    )


def test_write_referrals_needs_the_referrer_column(capsys, tmp_path):
    err = _error(capsys, ["fit", LOG, *COLUMNS, "--write-referrals", str(tmp_path / "r.csv")])
    assert err == (
        "bizmodels: error: --write-referrals needs --referrer, the column naming the referrer"
    )


@needs_fit
def test_channels_and_referrals_from_an_order_log(capsys, tmp_path):
    # the shipped log with a channel and a referrer added: every third customer (3, 6, ...)
    # referred by the customer before it, channels by customer id
    import pandas as pd

    frame = pd.read_csv(LOG)
    frame["channel"] = frame["customer_id"].map(lambda c: "wechat" if c % 2 else "douyin")
    frame["referrer"] = frame["customer_id"].map(lambda c: c - 1 if c % 3 == 0 else None)
    orders = tmp_path / "orders.csv"
    frame.to_csv(orders, index=False)
    events = tmp_path / "referrals.csv"
    argv = ["fit", str(orders), *COLUMNS, "--calibration-end", "1997-09-30"]
    argv += ["--channel", "channel", "--referrer", "referrer", "--write-referrals", str(events)]
    assert cli.main(argv) == 0
    out = capsys.readouterr().out
    odd = frame.drop_duplicates("customer_id")["customer_id"] % 2 == 1
    # the channel is the customer's: the counts are the odd and even ids
    rows = {line.split()[0]: line.split()[1] for line in out.splitlines()[-12:] if line}
    assert rows["wechat"] == f"{int(odd.sum()):,}" and rows["douyin"] == f"{int((~odd).sum()):,}"
    assert "customers by the channel of their first order" in out
    assert f"wrote {events}: 2,357 members ({2357 - 2357 // 3:,} without a referrer, 0 " in out
    assert cli.main(["simulate", "liandong_699", "--events", str(events)]) == 0
