"""Random growth of a referral network: event streams to simulate, one path or many.

A plan's outcome depends on how the network grows, so the library grows one at random,
under stated assumptions (`Growth`), and runs the plan over it:

- `generate_growth` makes the event stream (joins and repurchases), seeded: the same
  arguments give the same stream, so an analyst can replay one path against several plans
  (`compare_plans`);
- `simulate_growth` generates and simulates in one call;
- `simulate_ensemble` runs many paths, one per seed, on any `concurrent.futures.Executor`,
  and returns the figures of each path's summary as distributions across paths.

The process, day by day
-----------------------
Day 0: ``roots`` members join with no sponsor (the people the company seeds itself).
Then on each day ``d`` = 1, 2, …, in this order:

1. **Attrition.** Each active member drops out with probability ``attrition``. A member
   who dropped out stays in the network and keeps what the plan pays it for others'
   orders (the plan does not know who is active), but never recruits or repurchases again.
2. **Recruitment, with saturation.** Each active member recruits one new member with
   probability ``recruit_rate × (1 − joined / market_size)``: the chance falls as the
   network nears the market. The day's number of recruits is drawn as that many
   independent chances would give (binomial), and never takes the network past
   ``min(members, market_size)``.
3. **Sponsors.** Each recruit's sponsor is drawn among the active members in proportion to
   ``recruits + 1`` (``preference="preferential"``: preferential attachment, the
   Barabási–Albert rule: members who already recruit well recruit more) or uniformly
   (``"uniform"``). Draws are independent, so one sponsor can recruit several in a day.
4. **Repurchases.** Each active member who joined before the day repurchases (复购) one
   package with probability ``repurchase_rate``.
5. The day's joins and repurchases are shuffled together (joins keep their order).
   Members who joined that day act from the next day.

Refunds (``refund_rate``, ``refund_within``): once the stream is grown, each order (a
join's package or a repurchase) is refunded with probability ``refund_rate``, on the
order's day plus a whole number of days drawn uniformly from 0 to ``refund_within − 1``
(default 7, the window of 七天无理由退货; an assumption). A refund comes after every event
of its day; one that would come after the stream's last day is left out. The member who
asked for it stays in the network (a refund returns money, it does not undo the network:
docs/concepts/settlement-rules.md). Refunds draw their random numbers apart
from the growth's, so the joins and repurchases of a seed are the same with or without
refunds.

Withdrawals (``withdraw_every`` of `simulate_growth`, `simulate_ensemble` and
`compare_plans`): every ``withdraw_every`` days, at the end of the day, each member
withdraws its whole available balance if it is at least the plan's withdrawal minimum, with
the plan's fee and the income tax withheld (`simulate`'s withdrawal policy). None: nobody
withdraws, and what members could take home is read from their balances
(`bizmodels.plans.summary.cash_out`).

The stream ends after day ``days − 1``, or at the end of the day on which ``members``
have joined, or when no active member is left. Each day costs O(active members) numpy
work, so 100,000 members over a year take well under a second.

Attrition
---------
Published figures on multi-level marketing put dropping out near half of the members in
their first year: the AARP Foundation's 2018 survey of US participants (DeLiema, Shadel,
Nofziger and Pak, *AARP Study of Multilevel Marketing*) found about half had quit within
a year (cited from memory, not checked against the published text here). The default,
``daily_probability(0.5)`` = 0.18973% a day, makes half of a cohort drop out within 365
days.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import Executor
from functools import partial
from typing import Any

import numpy as np

from bizmodels._progress import bar, check_progress
from bizmodels.plans._growth import (
    GROWTH_BYTES_PER_EVENT,
    GROWTH_BYTES_PER_MEMBER,
    DayCallback,
    Growth,
    GrowthStream,
    daily_probability,
    generate_growth,
)
from bizmodels.plans.base import Plan, plan_classes
from bizmodels.plans.limits import MAX_MEMBERS as MAX_MEMBERS
from bizmodels.plans.simulation import SimulationResult, _withdraw_every, simulate
from bizmodels.plans.summary import Ensemble, Summary, check_cohorts

__all__ = [
    "GROWTH_BYTES_PER_EVENT",
    "GROWTH_BYTES_PER_MEMBER",
    "MAX_MEMBERS",
    "Growth",
    "GrowthStream",
    "daily_probability",
    "generate_growth",
    "simulate_ensemble",
    "simulate_growth",
]


def simulate_growth(
    plan: Plan,
    *,
    progress: bool | DayCallback | None = None,
    withdraw_every: int | None = None,
    **growth: Any,
) -> SimulationResult:
    """Grow a network at random (`generate_growth`) and run a plan over it.

    Parameters
    ----------
    plan : LiandongPlan, DistributionPlan or RefundPlan
        The plan.
    progress : bool, None or callable
        A progress bar on stderr (tqdm, the ``progress`` extra) of the days grown, then
        of the simulation: True always, False never, None (the default) only when stderr
        is a terminal. A callable is called as ``progress(day, days)`` while the stream is
        generated instead.
    withdraw_every : int or None
        The members' withdrawal behaviour: every this many days each member withdraws
        its whole available balance, if at least the plan's withdrawal minimum (`simulate`'s
        withdrawal policy, 1 to 36,500); None (the default): nobody withdraws.
    **growth
        The fields of `Growth` (``members``, ``days``, ``market_size``, ``recruit_rate``,
        ``repurchase_rate``, ``attrition``, ``roots``, ``preference``, ``refund_rate``,
        ``refund_within``, ``seed``).

    Returns
    -------
    SimulationResult
        Its ``events`` is the `GrowthStream`; ``summary()`` reads the run.

    Examples
    --------
    >>> from bizmodels.plans import liandong_699
    >>> run = simulate_growth(liandong_699(), members=2000, days=120, seed=3)
    >>> run.totals.members, run.totals.conserved
    (1229, True)

    The same path with 5% of orders refunded and weekly withdrawals:

    >>> run = simulate_growth(
    ...     liandong_699(), members=2000, days=120, seed=3, refund_rate=0.05, withdraw_every=7
    ... )
    >>> run.totals.members, run.totals.refunds > 0, run.totals.withdrawn > 0
    (1229, True, True)
    """
    _check_plan(plan)
    _withdraw_every(withdraw_every)  # refused before the network is grown
    if callable(progress):
        stream = generate_growth(progress=progress, **growth)
        return simulate(plan, stream, withdraw_every=withdraw_every)
    check_progress(progress)
    spec = Growth(**growth)  # a bad argument is refused before a bar is drawn
    with bar(progress, spec.days, "growing the network", "day") as days:
        stream = spec.generate((lambda day, _: days.to(day)) if days.shown else False)
        days.note(f"simulating {len(stream):,} events")
        return simulate(plan, stream, withdraw_every=withdraw_every)


def _path(
    plan: Plan, growth: Growth, cohorts: int, withdraw_every: int | None, seed: int
) -> Summary:
    # One path of an ensemble: a top-level function, so that any executor can pickle it.
    stream = growth.model_copy(update={"seed": seed}).generate(progress=False)
    return simulate(plan, stream, withdraw_every=withdraw_every).summary(cohorts=cohorts)


def simulate_ensemble(
    plan: Plan,
    seeds: Iterable[int] = range(8),
    executor: Executor | None = None,
    *,
    cohorts: int = 10,
    progress: bool | None = None,
    withdraw_every: int | None = None,
    **growth: Any,
) -> Ensemble:
    """Many random growth paths of one plan, one per seed, summarised across paths.

    Parameters
    ----------
    plan : LiandongPlan, DistributionPlan or RefundPlan
        The plan.
    seeds : iterable of int
        One path per seed (default ``range(8)``).
    executor : concurrent.futures.Executor, optional
        Where the paths run: None runs them one after the other here; a
        `concurrent.futures.ProcessPoolExecutor` spreads them over local cores; a
        dask.distributed cluster's ``Client.get_executor()`` over a cluster. Each path
        depends on its seed only, so every executor gives identical results, in the order
        of ``seeds``.
    cohorts : int
        Join cohorts in each path's summary (see `SimulationResult.summary`).
    progress : bool or None
        A progress bar of the paths done on stderr (tqdm, the ``progress`` extra): True
        always, False never, None (the default) only when stderr is a terminal.
    withdraw_every : int or None
        The members' withdrawal behaviour in every path (see `simulate_growth`).
    **growth
        The fields of `Growth` but ``seed`` (``refund_rate`` and ``refund_within`` among
        them).

    Returns
    -------
    Ensemble
        Each path's `Summary`, and every figure as a distribution across paths.

    Raises
    ------
    pydantic.ValidationError
        A bad growth argument, raised before any path runs.
    ValueError
        No seeds, a seed given twice, ``seed`` among the growth arguments, a bad
        ``withdraw_every``, or a ``progress`` that is not True, False or None.
    ImportError
        ``progress=True`` without tqdm, naming the extra that installs it.

    Examples
    --------
    >>> from bizmodels.plans import liandong_699
    >>> paths = simulate_ensemble(liandong_699(), seeds=range(3), members=1000, days=90)
    >>> len(paths), paths.values("members").tolist()
    (3, [380.0, 380.0, 427.0])
    """
    _check_plan(plan)
    if "seed" in growth:
        raise ValueError("seed: give the paths' seeds as seeds=[...], not seed=")
    chosen = [_seed(s) for s in seeds]
    if not chosen:
        raise ValueError("seeds: give at least one seed")
    if len(set(chosen)) < len(chosen):
        raise ValueError(f"seeds: each path needs its own seed, got {chosen}")
    check_cohorts(cohorts)
    check_progress(progress)
    _withdraw_every(withdraw_every)  # refused before any path runs
    spec = Growth(**growth, seed=chosen[0])
    run = partial(_path, plan, spec, cohorts, withdraw_every)
    summaries = []
    with bar(progress, len(chosen), "growth paths", "path") as paths:
        # executor.map gives the paths back in the order of the seeds, as they finish
        for summary in map(run, chosen) if executor is None else executor.map(run, chosen):
            summaries.append(summary)
            paths.update()
    return Ensemble(plan, spec, tuple(chosen), tuple(summaries))


def _check_plan(plan: object) -> None:
    # Before growing anything: a wrong plan would otherwise fail only after the stream is
    # made, or in every worker of an ensemble.
    if not isinstance(plan, Plan):
        raise TypeError(
            f"plan: needs a {plan_classes()} (e.g. bizmodels.plans.liandong_699()), "
            f"got {type(plan).__name__}"
        )


def _seed(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or int(value) < 0:
        raise ValueError(f"seeds: each seed is an integer ≥ 0, got {value!r}")
    return int(value)
