"""PlanEnsemble, PlanFigures, plan_figure: common random numbers and figures by hand."""

from __future__ import annotations

import math
import pickle
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from types import MappingProxyType

import numpy as np
import pytest

from bizmodels.design.ensemble import FIGURES, PlanEnsemble, PlanFigures, plan_figure
from bizmodels.plans import distribution, liandong_699, simulate, simulate_ensemble
from bizmodels.tax import Tax

SMALL = {"members": 600, "days": 60}


@pytest.fixture(scope="module")
def ens() -> PlanEnsemble:
    return PlanEnsemble(seeds=range(3), **SMALL)


# -- common random numbers ----------------------------------------------------------------


def test_two_plans_run_over_the_same_streams(ens: PlanEnsemble) -> None:
    assert ens.streams() is ens.streams()  # grown once, kept
    low, high = liandong_699(direct_member=150), liandong_699()
    a, b = ens.evaluate(low), ens.evaluate(high)
    for i, stream in enumerate(ens.streams()):
        # the evaluation is the plan run over the ensemble's own stream of that seed
        run_a, run_b = simulate(low, stream), simulate(high, stream)
        assert plan_figure(run_a, "payout_ratio") == a.values("payout_ratio")[i]
        assert plan_figure(run_b, "payout_ratio") == b.values("payout_ratio")[i]
        # the same people joined under the same sponsors and bought the same packages
        assert run_a.ledger.label.tolist() == run_b.ledger.label.tolist()
        assert run_a.ledger.sponsor.tolist() == run_b.ledger.sponsor.tolist()
        assert a.summaries[i].orders == b.summaries[i].orders
    # 50 yuan less on each direct reward to a MEMBER sponsor: the plans differ, not the networks
    assert a.values("members").tolist() == b.values("members").tolist()
    assert (a.values("payout_ratio") < b.values("payout_ratio")).all()


def test_one_seed_is_simulate_ensembles_path() -> None:
    plan = liandong_699()
    for seed in (4, 11):
        ours = PlanEnsemble(seeds=[seed], **SMALL).evaluate(plan).summaries[0]
        theirs = simulate_ensemble(plan, seeds=[seed], **SMALL).summaries[0]
        assert ours.values() == theirs.values()


def test_any_executor_gives_the_same_figures(ens: PlanEnsemble) -> None:
    plan = liandong_699(see_point=60)
    here = ens.evaluate(plan)
    with ThreadPoolExecutor(2) as pool:
        there = ens.evaluate(plan, executor=pool)
        many = ens.evaluate_many([liandong_699(), plan], executor=pool)
    for key in FIGURES:
        assert here.values(key).tolist() == there.values(key).tolist()
        assert many[1].values(key).tolist() == here.values(key).tolist()
    assert many[0].values("payout_ratio").tolist() == (
        ens.evaluate(liandong_699()).values("payout_ratio").tolist()
    )


def test_pickles_without_its_streams(ens: PlanEnsemble) -> None:
    ens.streams()
    data = pickle.dumps(ens)
    assert len(data) < 2_000  # the seeds and growth, not 3 streams of events
    back = pickle.loads(data)
    assert back == ens and hash(back) == hash(ens)
    assert back.growth.seed == 0 and back.seeds == (0, 1, 2)


def test_frozen(ens: PlanEnsemble) -> None:
    with pytest.raises(AttributeError, match="frozen"):
        ens.seeds = (9,)  # type: ignore[misc]


# -- figures by hand ------------------------------------------------------------------------


def test_figures_of_a_root_and_three_recruits() -> None:
    # R (root) sponsors A, B, C on day 0. Direct rewards to R: 200 (A), 200 (B, then R is an
    # AGENT), 300 (C, then R has three placement children: V1, buying the 999 package).
    # Pools take 3 × 10 per order; after the day R alone holds V1: the V1 pool's 4 × 10.
    # Paid 200 + 200 + 300 + 40 = 740 yuan on 4 × 699 = 2,796 yuan of packages.
    run = simulate(liandong_699(), [("R", None, 0), ("A", "R", 0), ("B", "R", 0), ("C", "R", 0)])
    assert plan_figure(run, "payout_ratio") == 740 / 2796
    # received 3,795 yuan; VAT 279,600 × 13/113 = 32,166.4 → 32,166 fen on the packages
    # (goods), 99,900 × 6/106 = 5,654.7 → 5,655 on the identity package (a service);
    # payment fees 379,500 × 0.6% = 2,277 fen.
    result_fen = 379_500 - 74_000 - 32_166 - 5_655 - 2_277
    assert plan_figure(run, "platform_result") == result_fen / 100 == 2654.02
    assert plan_figure(run, "platform_margin") == result_fen / 279_600
    assert plan_figure(run, "members") == 4.0
    assert plan_figure(run, "recruitment_dependence") == 1.0  # every order was a join
    # the participants A, B, C earned nothing: no concentration, nobody earned back
    for key in ("top_member_share", "top1_share", "gini", "earned_back"):
        assert plan_figure(run, key) == 0.0
    # rewards due with no recipient: each order's differential (极差) of 50 (no V1 above
    # the buyer when it starts), and the peer reward (平级奖) on each of R's direct rewards
    # (R has no ancestor): 4 × 50 + 20 + 20 + 30 = 270 yuan
    assert plan_figure(run, "breakage_share") == 270 / 2796


def test_figures_without_tax_are_received_less_paid() -> None:
    plan = liandong_699(tax=Tax(goods_rate=0, service_rate=0, payment_fee_rate=0))
    run = simulate(plan, [("R", None, 0), ("A", "R", 0), ("B", "R", 0), ("C", "R", 0)])
    assert plan_figure(run, "platform_result") == 3795 - 740


def test_top_member_share_by_hand() -> None:
    # R sponsors A and B (R becomes an AGENT). C joins under A and D under B: each is its
    # sponsor's position 1, slid (滑落) to R, the nearest AGENT. A and B earn a direct reward
    # of 200 each; R's see-point, peer and differential rewards are a root's, not a
    # participant's. Participants A, B, C, D earned 200, 200, 0, 0.
    events = [("R", None, 0), ("A", "R", 0), ("B", "R", 0), ("C", "A", 0), ("D", "B", 0)]
    run = simulate(liandong_699(), events)
    assert plan_figure(run, "top_member_share") == 200 / 400
    # Gini of (0, 0, 200, 200): Σ (2i − n − 1) x_i / (n Σ x) = (1 × 200 + 3 × 200) / (4 × 400)
    assert plan_figure(run, "gini") == pytest.approx(0.5, abs=1e-15)
    assert plan_figure(run, "top1_share") == 0.5  # ⌈4 / 100⌉ = 1 member: 200 of 400


def test_plan_figure_of_a_summary_matches_the_run() -> None:
    run = simulate(distribution(), [("R", None, 0), ("A", "R", 0), ("B", "A", 0)])
    summary = run.summary()
    for key in FIGURES:
        if key != "top_member_share":
            assert plan_figure(summary, key) == plan_figure(run, key)
    with pytest.raises(ValueError, match="top_member_share: needs the run"):
        plan_figure(summary, "top_member_share")


def test_every_figure_is_finite_on_a_lone_root() -> None:
    # one seeded root, nobody else: no participant, nothing paid
    figures = PlanEnsemble(seeds=[0], members=1, roots=1, days=5).evaluate(liandong_699())
    for key in FIGURES:
        assert np.isfinite(figures.values(key)).all(), key
    assert figures.mean("payout_ratio") == 0.0 and figures.mean("members") == 1.0


# -- statistics ---------------------------------------------------------------------------


def _figures(values: list[float]) -> PlanFigures:
    table = MappingProxyType({key: np.array(values, dtype=np.float64) for key in FIGURES})
    seeds = tuple(range(len(values)))
    return PlanFigures(liandong_699(), seeds, (), "high", table)


def test_standard_error_is_sample_sd_over_root_n() -> None:
    f = _figures([1.0, 2.0, 3.0, 4.0])
    # mean 2.5; squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5; sd = √(5 / 3); se = sd / 2
    assert f.mean("gini") == 2.5
    assert f.standard_error("gini") == pytest.approx(math.sqrt(5 / 3) / 2, rel=1e-15)
    assert _figures([7.0]).standard_error("gini") == 0.0


def test_values_are_a_copy() -> None:
    f = _figures([1.0, 2.0])
    f.values("members")[0] = 99.0
    assert f.values("members").tolist() == [1.0, 2.0]


def test_to_table_lists_every_figure(ens: PlanEnsemble) -> None:
    text = str(ens.evaluate(liandong_699()))
    assert "3 networks" in text and "risk level high" in text
    assert all(spec.en in text for spec in FIGURES.values())


# -- refusals, before any work --------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"seed": 3}, "seed: give the networks' seeds"),
        ({"seeds": []}, "seeds: give at least one seed"),
        ({"seeds": [1, 1]}, r"seeds: each network needs its own seed, got \[1, 1\]"),
        ({"seeds": [-1]}, "seeds: each seed is an integer ≥ 0, got -1"),
        ({"seeds": "01"}, "seeds: an iterable of integers"),
        ({"withdraw_every": 0}, "withdraw_every = 0"),
        ({"cohorts": 0}, "cohorts = 0"),
        ({"members": 0}, "members"),
        ({"recruit_rate": 2}, "recruit_rate"),
    ],
)
def test_refusals_name_the_argument(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        PlanEnsemble(**kwargs)  # type: ignore[arg-type]


def test_too_many_networks_for_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BIZMODELS_MEMORY_LIMIT", str(50_000_000))
    PlanEnsemble(seeds=[0], members=20_000)  # one network fits
    with pytest.raises(ValueError, match="seeds = 100 networks of members = 20000 needs about"):
        PlanEnsemble(seeds=range(100), members=20_000)


def test_unknown_figure_lists_the_figures(ens: PlanEnsemble) -> None:
    with pytest.raises(ValueError, match="figure 'profit': unknown; valid: payout_ratio, "):
        plan_figure(simulate(liandong_699(), [("R", None, 0)]), "profit")
    with pytest.raises(ValueError, match="top_member_share, gini"):
        _figures([1.0]).mean("profit")


def test_not_a_plan(ens: PlanEnsemble) -> None:
    with pytest.raises(TypeError, match="plan: needs a LiandongPlan"):
        ens.evaluate("liandong_699")  # type: ignore[arg-type]
    assert Decimal(liandong_699().direct_member) == 200  # the preset the tests vary


def test_default_networks_are_the_benchmarks_size() -> None:
    ens = PlanEnsemble()  # nothing is grown until used
    assert ens.seeds == tuple(range(8)) and ens.growth.members == 20_000
    assert ens.growth.days == 365
