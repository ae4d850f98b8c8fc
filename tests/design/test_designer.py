"""The plan designer: its choice holds on fresh networks, its trials on any executor, refusals."""

from __future__ import annotations

import math
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal

import pytest

pytest.importorskip("optuna")
pytest.importorskip("pandas")

from bizmodels.design.designer import LEVELS, Design, Limit, design_plan
from bizmodels.design.ensemble import PlanEnsemble
from bizmodels.plans import liandong_699

GROWTH = {"members": 1500, "days": 120}
VARY = {"direct_member": (100, 250), "see_point": (0, 100)}
LIMITS = {"payout_ratio": ("<=", 0.5), "earned_back": (">=", 0.05)}


@pytest.fixture(scope="module")
def ensemble():
    return PlanEnsemble(seeds=range(6), **GROWTH)


@pytest.fixture(scope="module")
def design(ensemble):
    return design_plan(liandong_699(), VARY, constraints=LIMITS, trials=24, ensemble=ensemble)


def test_the_chosen_plan_meets_every_constraint_on_fresh_networks(design, ensemble):
    assert design.chosen is not None
    fresh = PlanEnsemble(seeds=range(100, 106), **GROWTH).evaluate(design.chosen)
    chosen = design.figures
    for name, (op, limit) in LIMITS.items():
        # the design's mean and the fresh mean are independent estimates of the same figure
        se = math.hypot(chosen.standard_error(name), fresh.standard_error(name))
        assert se > 0
        sign = 1 if op == "<=" else -1
        assert sign * (fresh.mean(name) - limit) <= 3 * se, (name, fresh.mean(name), se)
        # and on the design's own networks the mean meets the limit outright
        assert sign * (chosen.mean(name) - limit) <= 0


def test_the_chosen_plan_is_the_best_feasible_trial(design):
    trials = design.trials
    feasible = trials[trials["feasible"]]
    best = feasible["platform_result"].idxmax()
    assert design.chosen_trial == best
    assert float(design.chosen.direct_member) == trials.loc[best, "direct_member"]
    # feasible means every slack ≥ 0: payout_ratio ≤ 0.5 and earned_back ≥ 0.05 on the mean
    assert (feasible["payout_ratio"] <= 0.5).all() and (feasible["earned_back"] >= 0.05).all()
    infeasible = trials[~trials["feasible"]]
    assert ((infeasible["payout_ratio"] > 0.5) | (infeasible["earned_back"] < 0.05)).all()


def test_money_is_searched_on_the_fen_within_the_range(design):
    for name, (low, high) in VARY.items():
        for value in design.trials[name]:
            assert low <= value <= high
            assert Decimal(repr(value)) == Decimal(repr(value)).quantize(Decimal("0.01"))


def test_a_trials_figures_are_the_ensembles_figures_of_its_plan(design, ensemble):
    figures = design.evaluations[3]
    again = ensemble.evaluate(figures.plan)
    row = design.trials.loc[3]
    assert row["payout_ratio"] == again.mean("payout_ratio")
    assert row["payout_ratio_se"] == again.standard_error("payout_ratio")
    assert row["slack_payout_ratio"] == 0.5 - again.mean("payout_ratio")


def test_the_report_the_pareto_front_and_the_chart(design):
    text = design.render()
    assert f"Chosen (trial {design.chosen_trial})" in text
    assert "payout_ratio ≤ 0.5" in text and "Compliance risk level: high" in text
    pareto = design.pareto
    assert len(pareto) >= 1
    # the chosen plan is on the front: no trial meeting the same constraints beats it
    assert design.chosen_trial in pareto.index or design.binding
    assert design.waterfall()["direct"].amount == design.chosen.direct_member
    assert design.assessment.level == "high"
    assert "By join cohort" in design.disclosure()
    pytest.importorskip("matplotlib")
    figure = design.chart()
    assert figure.axes[0].get_ylabel() == "platform_result (yuan)"


def test_the_trials_are_the_same_on_a_process_pool(ensemble):
    small = PlanEnsemble(seeds=range(3), members=800, days=90)
    kwargs = {"constraints": LIMITS, "trials": 10, "batch": 4, "ensemble": small, "seed": 5}
    here = design_plan(liandong_699(), VARY, **kwargs)
    with ProcessPoolExecutor(2) as pool:
        there = design_plan(liandong_699(), VARY, executor=pool, **kwargs)
    assert here.trials.equals(there.trials)
    assert here.chosen == there.chosen


def test_no_feasible_trial_says_which_constraint_never_held(ensemble):
    # every 链动2+1 plan charges an entry fee and pays for recruiting: its level is high
    d = design_plan(
        liandong_699(), {"see_point": (0, 100)}, max_risk="warning", trials=4, ensemble=ensemble
    )
    assert d.chosen is None and d.figures is None and d.assessment is None
    assert (d.trials["risk_level"] == LEVELS.index("high")).all()
    text = d.render()
    assert "never held: risk level ≤ warning" in text and "Nearest trial" in text
    # the report names what sets the level: the 699 package as an entry fee (入门费), the
    # direct reward on each join, the pay chain; the warning-level findings are allowed
    assert "Risk level above warning: the findings entry_fee (entry fee for the right" in text
    assert "recruit_reward (reward per recruit" in text and "team_pay (" in text
    assert "own_sales" not in text
    with pytest.raises(ValueError, match="never held: risk level ≤ warning"):
        d.waterfall()


def test_no_recruitment_reward_reads_recruitment_dependence(ensemble):
    d = design_plan(
        liandong_699(),
        {"see_point": (0, 100)},
        no_recruitment_reward=True,
        trials=3,
        ensemble=ensemble,
    )
    # the direct reward (直推奖) is paid on every join: joins trigger rewards in every trial
    assert (d.trials["recruitment_dependence"] > 0).all() and d.chosen is None
    assert "never held: no reward for recruiting" in d.render()


def test_the_gaming_constraint_is_the_audits_largest_gain(ensemble):
    gaming = pytest.importorskip("bizmodels.design.gaming")
    d = design_plan(
        liandong_699(), {"see_point": (0, 100)}, max_gaming_gain=0, trials=2, ensemble=ensemble
    )
    for i, figures in enumerate(d.evaluations):
        gain = float(gaming.audit_plan(figures.plan, seed=0).max_gain)
        assert d.trials.loc[i, "gaming_gain"] == gain
        assert d.trials.loc[i, "slack_gaming_gain"] == -gain
    # self-recruiting two accounts gains in 链动2+1: no trial keeps every gain at 0
    assert d.chosen is None


def test_a_limits_slack_by_hand():
    assert Limit("payout_ratio", "payout_ratio", "<=", 0.5).slack(0.4) == pytest.approx(0.1)
    assert Limit("earned_back", "earned_back", ">=", 0.1).slack(0.04) == pytest.approx(-0.06)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"vary": {"pool_share": (0, 1)}},
            r"vary 'pool_share': not a numeric field of LiandongPlan; valid: .*see_point",
        ),
        ({"vary": {"nope": (0, 1)}}, r"vary 'nope': not a numeric field"),
        ({"vary": {"see_point": (100, 0)}}, r"vary see_point = 100:0: the range is empty"),
        (
            {"vary": {"see_point": (-5, 10)}},
            r"vary see_point = -5: below the field's least value, 0",
        ),
        (
            {"vary": {"peer_rate": (0, 2)}},
            r"vary peer_rate = 2: above the field's largest value, 1",
        ),
        (
            {"vary": {"see_point": (0, 10.005)}},
            r"vary see_point = 10.005: the search grid needs a multiple of 0.01",
        ),
        (
            {"vary": {"package_price": (100, 800)}},
            r"vary: the plan with package_price = 100.00.* is refused: package_price 100.00",
        ),
        ({"vary": {}}, r"vary: give at least one field"),
        (
            {"objective": "profit"},
            r"objective 'profit': unknown figure; valid: payout_ratio, platform_result",
        ),
        (
            {"constraints": {"payout": ("<=", 0.5)}},
            r"constraint 'payout': unknown figure; valid: payout_ratio",
        ),
        ({"constraints": {"payout_ratio": ("<", 0.5)}}, r"constraint payout_ratio: op '<' must be"),
        ({"max_risk": "medium"}, r"max_risk 'medium': must be one of low, warning, high"),
        ({"max_gaming_gain": -1}, r"max_gaming_gain -1: a number of yuan ≥ 0"),
        ({"trials": 0}, r"trials = 0: an integer ≥ 1"),
        ({"batch": 0}, r"batch = 0: an integer ≥ 1"),
    ],
)
def test_refusals_come_before_any_network_is_grown(monkeypatch, kwargs, message):
    def never(*args, **kw):
        raise AssertionError("a network was simulated")

    monkeypatch.setattr(PlanEnsemble, "evaluate", never)
    monkeypatch.setattr(PlanEnsemble, "streams", never)
    args = {"vary": {"see_point": (0, 100)}, "ensemble": PlanEnsemble(seeds=[0], **GROWTH)}
    with pytest.raises(ValueError, match=message):
        design_plan(liandong_699(), **{**args, **kwargs})


def test_a_design_is_a_design(design):
    assert isinstance(design, Design) and "Design of liandong 699" in repr(design)
