"""`bizmodels assess`: the command line of the compliance findings, moved out of the library."""

import json

import pytest

from bizmodels.cli import AssessError, UsageError, assess_command, main


def test_assess_command_is_the_cli_handler():
    assert AssessError is UsageError and issubclass(UsageError, ValueError)
    text = assess_command("liandong_699")
    assert text.splitlines()[0] == "liandong_699: risk level HIGH"


def test_a_plan_with_an_override(capsys):
    assert main(["assess", "liandong_699", "--set", "package_price=999", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    # the entry fee finding reads the package price that was set
    assert out["findings"][0]["indicator"] == "entry_fee"
    assert out["findings"][0]["value"] == 999


def test_a_random_network_is_named_by_its_size(capsys):
    argv = ["assess", "distribution", "--members", "40", "--repurchases", "10", "--format", "json"]
    assert main(argv) == 0
    out = json.loads(capsys.readouterr().out)
    # 40 joins (each an order) and 10 repurchases
    assert out["subject"] == "distribution, simulated: 40 members, 50 orders"
    indicators = [f["indicator"] for f in out["findings"]]
    assert "network_thresholds" in indicators and "gini" in indicators


def test_a_preset_market_field_changes_the_presets_own_market(capsys):
    # baiguoyuan_like carries its own (fruit) market; --set market.price=50 changes its price
    # only, as `bizmodels waterfall` does, rather than putting the preset on the default market
    assert main(["assess", "baiguoyuan_like", "--set", "market.price=50"]) == 0
    assert capsys.readouterr().out.startswith("baiguoyuan_like: risk level")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["nope"], "unknown model, preset or plan 'nope'; valid: toc_membership, "),
        (
            ["liandong_699", "--set", "package_price=-1"],
            "plan liandong_699: package_price = -1: Input should be greater than or equal to 0",
        ),
        (["toc_membership", "--members", "30"], "toc_membership has no commission plan"),
        (["liandong_699", "--members", "30", "--simulate", "x.csv"], "not both"),
        (["liandong_699", "--repurchases", "3"], "give --members too"),
        (["liandong_699", "--simulate", "/no/such/file.csv"], "cannot read /no/such/file.csv"),
        (["liandong_699", "--members", "0"], "--members = 0: must be ≥ 1"),
    ],
)
def test_mistakes_are_status_2_and_one_line(capsys, argv, message):
    assert main(["assess", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("bizmodels: error: ") and err.count("\n") == 1
    assert message in err


def test_the_same_override_mistake_reads_the_same_in_every_command(capsys):
    main(["assess", "toc_membership", "--set", "lifetime=-1"])
    assessed = capsys.readouterr().err
    main(["waterfall", "toc_membership", "--set", "lifetime=-1"])
    assert assessed == capsys.readouterr().err
