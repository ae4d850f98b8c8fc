import json

import pytest

import bizmodels as bm
from bizmodels.cli import main
from bizmodels.risk import market_uncertainty


def test_montecarlo_default_uncertainty_matches_python(capsys):
    assert main(["montecarlo", "--samples", "3000", "--seed", "7", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    python = bm.monte_carlo(None, market_uncertainty(bm.Market()), samples=3000, seed=7)
    assert data["samples"] == 3000 and data["seed"] == 7
    assert {m["model"]: m["mean"] for m in data["models"]} == pytest.approx(python.mean())


def test_montecarlo_scenario_distributions(tmp_path, capsys):
    path = tmp_path / "mc.yaml"
    path.write_text(
        "models:\n  toc_membership:\n  tob_recruitment:\n"
        "distributions:\n  price: {kind: uniform, low: 190, high: 210}\n",
        encoding="utf-8",
    )
    assert main(["montecarlo", str(path), "--samples", "2000"]) == 0
    out = capsys.readouterr().out
    assert "the scenario's distributions" in out
    assert "toc_membership" in out and "omnichannel" not in out


def test_break_even_cli_checks_by_substitution(capsys):
    assert main(["break-even", "tob_recruitment", "dealer_share"]) == 0
    out = capsys.readouterr().out
    result = bm.break_even(bm.get_model("tob_recruitment"), "dealer_share")
    assert out.strip() == result.message and result.found
    model = bm.get_model("tob_recruitment", dealer_share=result.value)
    assert abs(model.waterfall().end) <= 1  # within a yuan: dealers come in whole fractions


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["break-even", "tob_recruitment", "nope"], "'nope' is not a numeric field"),
        (["break-even", "nope", "price"], "unknown model or preset 'nope'"),
        (["montecarlo", "--samples", "0"], "samples must be a whole number ≥ 1, got 0"),
        (
            ["montecarlo", "--samples", "1000000000000"],
            "samples = 1000000000000: at most 1,000,000,000 (bizmodels.risk.MAX_SAMPLES",
        ),
        (["break-even", "toc_membership", "price", "--value", "1e19"], "within ±1e+18"),
        (["assess", "nope"], "unknown model, preset or plan 'nope'"),
    ],
)
def test_risk_cli_errors(capsys, argv, message):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_assess_cli_prints_the_legal_basis(capsys):
    assert main(["assess", "liandong_699"]) == 0
    out = capsys.readouterr().out
    assert "risk level HIGH" in out and "Art. 7(2)" in out


def test_montecarlo_cli_with_no_valid_sample(tmp_path, capsys):
    # goods from 300 to 400 yuan against a price of 199: no sample passes the model's check
    path = tmp_path / "mc.yaml"
    path.write_text(
        "models:\n  toc_membership:\n"
        "distributions:\n  unit_cost: {kind: uniform, low: 300, high: 400}\n",
        encoding="utf-8",
    )
    assert main(["montecarlo", str(path), "--samples", "500"]) == 2
    err = capsys.readouterr().err
    assert err == (
        "bizmodels: error: toc_membership: no valid sample: all 500 samples failed its checks "
        "(unit cost above price: 500); narrow the distributions so that the model can be "
        "evaluated\n"
    )
