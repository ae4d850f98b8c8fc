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

from collections.abc import Callable, Iterable
from concurrent.futures import Executor
from dataclasses import dataclass, fields
from functools import partial
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, model_validator

from bizmodels._limits import memory_limit, require_memory
from bizmodels._types import param
from bizmodels.plans.events import EVENT_DTYPE, JOIN, ORDER, EventStream
from bizmodels.plans.limits import MAX_GROWTH_DAYS, SIM_BYTES_PER_MEMBER
from bizmodels.plans.limits import MAX_MEMBERS as MAX_MEMBERS

if TYPE_CHECKING:
    from bizmodels.plans.base import Plan
    from bizmodels.plans.simulation import SimulationResult
    from bizmodels.plans.summary import Ensemble, Summary

GROWTH_BYTES_PER_MEMBER = 32 + SIM_BYTES_PER_MEMBER
"""Memory per member to grow a network and simulate a plan over it: the generator's
recruit counts and dropout days (16 bytes, twice while their tables double), then the
simulation's tables (`bizmodels.plans.limits.SIM_BYTES_PER_MEMBER`)."""
GROWTH_BYTES_PER_EVENT = 100
"""Memory per event: the day's chunks and the array they are joined into (25 bytes each,
with the joining's temporaries), then the checked, coded stream (25)."""


def daily_probability(share: float, days: int = 365) -> float:
    """The chance per day that makes ``share`` of a group experience an event within ``days``.

    A constant daily chance ``p`` leaves ``(1 − p)^days`` untouched after ``days``, so
    ``p = 1 − (1 − share)^(1 / days)``.

    Parameters
    ----------
    share : float
        Share of the group, 0 to 1 (``0.5``: half of the members drop out).
    days : int
        Over how many days (``365``: within a year).

    Examples
    --------
    What daily attrition makes half of the members drop out within their first year?

    >>> round(daily_probability(0.5), 6)
    0.001897

    About 0.19% a day: after 365 days, (1 − 0.001897)^365 = 0.5 of them are still active.
    """
    if not 0 <= share <= 1 or isinstance(share, bool):
        raise ValueError(f"share = {share!r}: must be between 0 and 1")
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise ValueError(f"days = {days!r}: must be an integer ≥ 1")
    return float(1 - (1 - share) ** (1 / days))


_AARP = (
    "assumption, after published MLM figures: AARP Foundation 2018 (DeLiema et al., AARP "
    "Study of Multilevel Marketing) found about half of participants quit within a year"
)


class Growth(BaseModel):
    """The assumptions of a random network growth (see the module's description).

    Every rate is a probability per day. Build it from keyword arguments; a bad value
    raises a `pydantic.ValidationError` (a `ValueError`) naming the argument.

    Limits
    ------
    ``members`` at most 2,147,483,646 (member rows are 32-bit in the engine) and ``days``
    at most 36,500 (100 years of daily steps; each costs a pass over the active members).
    Before either bound, the memory a run needs to grow the network and simulate a plan
    over it is checked against this machine's (`bizmodels._limits.require_memory`):
    232 bytes per member (``min(members, market_size)``) and 100 per event, counting
    ``members × (days − 1) × repurchase_rate`` repurchases, the most the rate can give
    on average. A growth that does not fit is refused with the estimate, when it is built.

    Examples
    --------
    >>> g = Growth(members=1000, days=90, seed=7)
    >>> g.capacity, round(g.attrition, 6)
    (1000, 0.001897)
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    # The upper bounds of members and days are checked after the memory they need
    # (`_consistent`), so that a run too large for this machine gets its estimate.
    members: int = param(
        10_000,
        "Most members the network reaches: the stream ends on the day this many have joined "
        f"(at most {MAX_MEMBERS:,}).",
        "assumption",
        ge=1,
    )
    days: int = param(
        365,
        f"Days simulated, day 0 (the roots join) included (at most {MAX_GROWTH_DAYS:,}).",
        "assumption",
        ge=1,
    )
    market_size: int | None = param(
        None,
        "People who could ever join. A member's chance to recruit is recruit_rate × (1 − "
        "joined / market_size). None: the same as members.",
        "assumption",
        ge=1,
    )
    recruit_rate: float = param(
        0.05,
        "Chance per day that an active member recruits one member, in an empty market.",
        "assumption",
        ge=0,
        le=1,
        allow_inf_nan=False,
    )
    repurchase_rate: float = param(
        0.01,
        "Chance per day that an active member repurchases (复购) one package: 0.01 is "
        "about 3.65 repurchases a year.",
        "assumption",
        ge=0,
        le=1,
        allow_inf_nan=False,
    )
    attrition: float = param(
        daily_probability(0.5),
        "Chance per day that an active member drops out for good (half within a year).",
        _AARP,
        ge=0,
        le=1,
        allow_inf_nan=False,
    )
    roots: int = param(
        10, "Members who join on day 0 with no sponsor (seeded by the company).", "assumption", ge=1
    )
    preference: Literal["preferential", "uniform"] = param(
        "preferential",
        "How sponsors are chosen among active members: in proportion to recruits + 1, or "
        "uniformly.",
        "assumption",
    )
    seed: int = param(
        0, "Seed of the random numbers: the same seed, the same stream.", "assumption", ge=0
    )

    @model_validator(mode="after")
    def _consistent(self) -> Growth:
        self._check_size()
        if self.members > MAX_MEMBERS:
            raise ValueError(
                f"members = {self.members}: at most {MAX_MEMBERS:,} (member rows are 32-bit "
                "in the engine)"
            )
        if self.days > MAX_GROWTH_DAYS:
            raise ValueError(
                f"days = {self.days}: at most {MAX_GROWTH_DAYS:,} (100 years of daily steps)"
            )
        if self.roots > self.members:
            raise ValueError(f"roots = {self.roots} is more than members = {self.members}")
        if self.market_size is not None and self.market_size < self.roots:
            raise ValueError(
                f"market_size = {self.market_size} is less than roots = {self.roots}: the "
                "seeded members alone would exceed the market"
            )
        return self

    def memory_estimate(self) -> float:
        """Bytes a run of this growth needs, generated and simulated (see Limits)."""
        cap = self.capacity
        repurchases = cap * (self.days - 1) * self.repurchase_rate
        return cap * GROWTH_BYTES_PER_MEMBER + (cap + repurchases) * GROWTH_BYTES_PER_EVENT

    def _check_size(self) -> None:
        need = self.memory_estimate()
        if need <= memory_limit():
            return
        cap = self.capacity
        size = f"market_size = {cap}" if cap < self.members else f"members = {self.members}"
        joins = cap * (GROWTH_BYTES_PER_MEMBER + GROWTH_BYTES_PER_EVENT)
        if joins <= memory_limit():  # the repurchases make it too large: say what makes them
            size = f"days = {self.days} (with {size}, repurchase_rate = {self.repurchase_rate:g})"
        require_memory(size, need)

    @property
    def capacity(self) -> int:
        """Most members the stream can hold: ``min(members, market_size)``."""
        return self.members if self.market_size is None else min(self.members, self.market_size)

    def generate(self, progress: Callable[[int, int], None] | None = None) -> GrowthStream:
        """The event stream of this growth (see `generate_growth`)."""
        return _generate(self, progress)


@dataclass(frozen=True, eq=False)
class GrowthStream(EventStream):
    """An `EventStream` made by `generate_growth`, with who dropped out and when.

    Member labels are the integers 0 … n−1 in join order (the row is the label).

    Attributes
    ----------
    growth : Growth
        The assumptions that made it, seed included.
    dropout_day : int64 ndarray, shape (members,)
        Day each member dropped out, -1 for a member still active at the end.
    """

    growth: Growth | None = None
    dropout_day: npt.NDArray[np.int64] | None = None

    @property
    def active(self) -> npt.NDArray[np.bool_]:
        """Members still active when the stream ends."""
        assert self.dropout_day is not None
        return self.dropout_day < 0


def generate_growth(
    *, progress: Callable[[int, int], None] | None = None, **growth: Any
) -> GrowthStream:
    """A random event stream of a growing referral network, seeded.

    Parameters
    ----------
    progress : callable, optional
        Called as ``progress(day, days)`` after each day is generated (for a progress bar).
    **growth
        The fields of `Growth`: ``members``, ``days``, ``market_size``, ``recruit_rate``,
        ``repurchase_rate``, ``attrition``, ``roots``, ``preference``, ``seed``.

    Returns
    -------
    GrowthStream
        Joins and repurchases in day order, member labels 0 … n−1, ready for `simulate`
        against any number of plans; ``dropout_day`` says who stopped when.

    Raises
    ------
    pydantic.ValidationError
        An unknown argument or a bad value, naming it.

    Notes
    -----
    The process is described in `bizmodels.plans.growth`. Everything after the seed is
    deterministic: the same arguments always give the same stream, on any machine with
    the same numpy (the generator is ``numpy.random.default_rng(seed)``, PCG64).

    Examples
    --------
    How big does a network of 10 roots get in 60 days, and how many are still active?

    >>> stream = generate_growth(members=5000, days=60, seed=1)
    >>> stream.n_members, int(stream.active.sum()), int(stream.day[-1])
    (165, 163, 59)
    """
    return Growth(**growth).generate(progress)


def simulate_growth(
    plan: Plan, *, progress: Callable[[int, int], None] | None = None, **growth: Any
) -> SimulationResult:
    """Grow a network at random (`generate_growth`) and run a plan over it.

    Parameters
    ----------
    plan : LiandongPlan, DistributionPlan or RefundPlan
        The plan.
    progress : callable, optional
        Called as ``progress(day, days)`` while the stream is generated.
    **growth
        The fields of `Growth` (``members``, ``days``, ``market_size``, ``recruit_rate``,
        ``repurchase_rate``, ``attrition``, ``roots``, ``preference``, ``seed``).

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
    """
    from bizmodels.plans.simulation import simulate

    _check_plan(plan)
    return simulate(plan, generate_growth(progress=progress, **growth))


def _path(plan: Plan, growth: Growth, cohorts: int, seed: int) -> Summary:
    # One path of an ensemble: a top-level function, so that any executor can pickle it.
    from bizmodels.plans.simulation import simulate

    stream = growth.model_copy(update={"seed": seed}).generate()
    return simulate(plan, stream).summary(cohorts=cohorts)


def simulate_ensemble(
    plan: Plan,
    seeds: Iterable[int] = range(8),
    executor: Executor | None = None,
    *,
    cohorts: int = 10,
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
    **growth
        The fields of `Growth` but ``seed``.

    Returns
    -------
    Ensemble
        Each path's `Summary`, and every figure as a distribution across paths.

    Raises
    ------
    pydantic.ValidationError
        A bad growth argument, raised before any path runs.
    ValueError
        No seeds, a seed given twice, or ``seed`` among the growth arguments.

    Examples
    --------
    >>> from bizmodels.plans import liandong_699
    >>> paths = simulate_ensemble(liandong_699(), seeds=range(3), members=1000, days=90)
    >>> len(paths), paths.values("members").tolist()
    (3, [380.0, 380.0, 427.0])
    """
    from bizmodels.plans.summary import Ensemble, check_cohorts

    _check_plan(plan)
    if "seed" in growth:
        raise ValueError("seed: give the paths' seeds as seeds=[...], not seed=")
    chosen = [_seed(s) for s in seeds]
    if not chosen:
        raise ValueError("seeds: give at least one seed")
    if len(set(chosen)) < len(chosen):
        raise ValueError(f"seeds: each path needs its own seed, got {chosen}")
    check_cohorts(cohorts)
    spec = Growth(**growth, seed=chosen[0])
    run = partial(_path, plan, spec, cohorts)
    summaries = list(map(run, chosen) if executor is None else executor.map(run, chosen))
    return Ensemble(plan, spec, tuple(chosen), tuple(summaries))


def _check_plan(plan: object) -> None:
    # Before growing anything: a wrong plan would otherwise fail only after the stream is
    # made, or in every worker of an ensemble.
    from bizmodels.plans.base import Plan

    if not isinstance(plan, Plan):
        raise TypeError(
            "plan: needs a LiandongPlan, DistributionPlan or RefundPlan (e.g. "
            f"bizmodels.plans.liandong_699()), got {type(plan).__name__}"
        )


def _seed(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or int(value) < 0:
        raise ValueError(f"seeds: each seed is an integer ≥ 0, got {value!r}")
    return int(value)


def _generate(g: Growth, progress: Callable[[int, int], None] | None) -> GrowthStream:
    rng = np.random.default_rng(g.seed)
    cap = g.capacity
    market = cap if g.market_size is None else g.market_size
    # Member tables grow by doubling: a cap of millions costs nothing until reached.
    size = min(cap, max(1 << 16, g.roots))
    recruits = np.zeros(size, np.int64)
    dropout = np.full(size, -1, np.int64)
    # The day's events, kept as (kind, member, sponsor, day) column chunks.
    kinds: list[npt.NDArray[np.int8]] = [np.zeros(g.roots, np.int8)]
    members: list[npt.NDArray[np.int64]] = [np.arange(g.roots, dtype=np.int64)]
    sponsors: list[npt.NDArray[np.int64]] = [np.full(g.roots, -1, np.int64)]
    day_of: list[npt.NDArray[np.int64]] = [np.zeros(g.roots, np.int64)]
    active = np.arange(g.roots, dtype=np.int64)  # rows, ascending
    n = g.roots
    if progress is not None:
        progress(0, g.days)
    for day in range(1, g.days):
        if n >= cap or active.size == 0:
            break
        if g.attrition > 0:
            gone = rng.random(active.size) < g.attrition
            dropout[active[gone]] = day
            active = active[~gone]
        chance = g.recruit_rate * (1 - n / market)
        k = min(int(rng.binomial(active.size, chance)), cap - n) if chance > 0 else 0
        if n + k > size:
            size = min(cap, max(2 * size, n + k))
            recruits = np.concatenate([recruits, np.zeros(size - recruits.size, np.int64)])
            dropout = np.concatenate([dropout, np.full(size - dropout.size, -1, np.int64)])
        if k:
            if g.preference == "preferential":
                weight = np.cumsum(recruits[active] + 1)
                pick = np.searchsorted(weight, rng.random(k) * weight[-1], side="right")
            else:
                pick = rng.integers(0, active.size, k)
            by = active[pick]
            np.add.at(recruits, by, 1)
        else:
            by = np.empty(0, np.int64)
        buyers = active[rng.random(active.size) < g.repurchase_rate]
        total = k + buyers.size
        if total:
            is_join = rng.permutation(total) < k
            kind = np.where(is_join, JOIN, ORDER).astype(np.int8)
            member = np.empty(total, np.int64)
            sponsor = np.full(total, -1, np.int64)
            member[is_join] = np.arange(n, n + k)
            sponsor[is_join] = by
            member[~is_join] = rng.permutation(buyers)
            kinds.append(kind)
            members.append(member)
            sponsors.append(sponsor)
            day_of.append(np.full(total, day, np.int64))
        # Today's recruits act from tomorrow; rows stay ascending.
        active = np.concatenate([active, np.arange(n, n + k, dtype=np.int64)])
        n += k
        if progress is not None:
            progress(day, g.days)
    events = np.empty(sum(c.size for c in kinds), EVENT_DTYPE)
    events["kind"] = np.concatenate(kinds)
    events["member"] = np.concatenate(members)
    events["sponsor"] = np.concatenate(sponsors)
    events["day"] = np.concatenate(day_of)
    if progress is not None:
        progress(g.days, g.days)
    stream = EventStream.of(events)
    base = {f.name: getattr(stream, f.name) for f in fields(EventStream)}
    return GrowthStream(**base, growth=g, dropout_day=dropout[:n])


__all__ = [
    "MAX_MEMBERS",
    "Growth",
    "GrowthStream",
    "daily_probability",
    "generate_growth",
    "simulate_ensemble",
    "simulate_growth",
]
