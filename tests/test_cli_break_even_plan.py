"""``bizmodels break-even PLAN FIELD``: a plan's goal seek from the command line."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bizmodels.cli import main
from bizmodels.design.ensemble import PlanEnsemble
from bizmodels.plans import liandong_699

pytest.importorskip("scipy")

SIZE = ["--members", "400", "--days", "60", "--seeds", "2"]


def test_plan_break_even_prints_the_answer(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["break-even", "liandong_699", "direct_member", "--target", "payout_ratio"]
    assert main([*argv, "--value", "0.55", *SIZE]) == 0
    out = capsys.readouterr().out.strip()
    assert out.startswith("liandong_699: payout ratio rises to 0.55 at direct_member = ")
    assert "over 2 networks" in out and len(out.splitlines()) == 1
    # checked by substitution: at the printed value the mean has reached 0.55, a fen below not
    value = Decimal(out.split("direct_member = ")[1].split(" yuan")[0])
    ens = PlanEnsemble(seeds=range(2), members=400, days=60)
    assert ens.evaluate(liandong_699(direct_member=value)).mean("payout_ratio") >= 0.55
    below = liandong_699(direct_member=value - Decimal("0.01"))
    assert ens.evaluate(below).mean("payout_ratio") < 0.55


def test_plan_set_overrides_apply(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["break-even", "liandong_699", "see_point", "--target", "payout_ratio"]
    assert main([*argv, "--value", "2", "--set", "peer_rate=0", *SIZE]) == 0
    assert "does not reach 2" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["liandong_699", "price"], "'price' is not a numeric field of the plan; valid: "),
        (["liandong_699", "see_point", "--target", "profit"], "figure 'profit' is unknown"),
        (["liandong_699", "see_point", "--days", "0"], "--days: must be at least 1, got 0"),
        (["liandong_699", "see_point", "--members", "3"], "roots = 10 is more than members = 3"),
        (["toc_membership", "price", "--seeds", "3"], "--seeds: the ensemble of grown networks"),
        (["liandong_699", "see_point", "--scenario", "x.yaml"], "a scenario file applies to"),
        (["no_such_plan", "x"], "no_such_plan"),
    ],
)
def test_mistakes_are_status_2_and_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    try:
        status = main(["break-even", *argv])
    except SystemExit as exit_:  # argparse's own refusals exit
        status = exit_.code
    assert status == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1, err
