"""Network health from a simulated run: its sponsor tree, what recruiting pays, who earns.

- `network_shape`: participants, levels, trees (what the 2013 opinion's thresholds read,
  in `bizmodels.compliance.rules.opinion_2013`);
- `recruitment_dependence`: the share of payouts that joins triggered;
- `health_findings`: recruitment dependence, members who lose money, zero earners, payout
  ratio and concentration of earnings, each against its `HEALTH_LINES` (the earnings
  statistics are `bizmodels.plans.earnings.earnings_stats`, shared with the run summary);
- `random_network`: a random referral network to try a plan on.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

import numpy as np
import numpy.typing as npt

from bizmodels._compliance_profile import share_text, yuan_text
from bizmodels._format import yuan
from bizmodels.compliance.findings import INDICATORS, Finding, HealthSeverity, Measure, Unit
from bizmodels.plans import EVENT_DTYPE, JOIN, ORDER, SimulationResult, simulate
from bizmodels.plans.earnings import EarningsStats, earnings_stats, rounded_share

__all__ = [
    "HEALTH_LINES",
    "EarningsStats",
    "NetworkShape",
    "earnings_stats",
    "health_findings",
    "network_shape",
    "random_network",
    "recruitment_dependence",
]

HEALTH_LINES: dict[str, tuple[Decimal, Decimal, Decimal]] = {
    "recruitment_dependence": (Decimal("0.50"), Decimal("0.70"), Decimal("0.90")),
    "losing_share": (Decimal("0.50"), Decimal("0.70"), Decimal("0.90")),
    "zero_earners": (Decimal("0.30"), Decimal("0.50"), Decimal("0.70")),
    "payout_ratio": (Decimal("0.30"), Decimal("0.50"), Decimal("0.70")),
    "top1_share": (Decimal("0.20"), Decimal("0.35"), Decimal("0.50")),
    "top10_share": (Decimal("0.50"), Decimal("0.70"), Decimal("0.85")),
    "gini": (Decimal("0.50"), Decimal("0.70"), Decimal("0.85")),
}
"""Watch, warning and critical lines of each health indicator (value at or above a line
reaches it). They are the project's analytical choices, not legal thresholds; the docs
page gives the reason for each."""


@dataclass(frozen=True)
class NetworkShape:
    """The sponsor tree of a run: who counts, and how many levels deep it goes.

    Attributes
    ----------
    participants : int
        Members in the network (every tree: one platform organises them all).
    levels : int
        Levels of the deepest sponsor chain, the root's own level included.
    trees : int
        Sponsor trees (members with no sponsor root one each).
    largest_tree : int
        Members in the largest tree.
    placement_levels : int
        Levels of the deepest placement chain (differs from the sponsor tree only where
        the plan places members away from their sponsor, as 链动2+1 slides them).
    """

    participants: int
    levels: int
    trees: int
    largest_tree: int
    placement_levels: int


def _tree_depths(parent: npt.NDArray[Any]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Depth (root 0) and root of every row of a forest given by parent rows (-1: root).

    Pointer jumping: O(n log depth), so a chain of a million members takes ~20 rounds.
    """
    n = parent.shape[0]
    rows = np.arange(n, dtype=np.int64)
    up = np.where(parent >= 0, parent, rows).astype(np.int64)
    depth = (parent >= 0).astype(np.int64)
    while True:
        nxt = up[up]
        if np.array_equal(nxt, up):
            return depth, up
        depth = depth + depth[up]
        up = nxt


def network_shape(run: SimulationResult) -> NetworkShape:
    """The size and depth of a simulated network's sponsor tree.

    Levels count the root's own level, as the 2013 opinion counts the organiser's (意见 七):
    root → A → B is three levels.

    Examples
    --------
    >>> from bizmodels.plans import distribution, simulate
    >>> run = simulate(distribution(), [("R", None, 0), ("A", "R", 0), ("B", "A", 0)])
    >>> network_shape(run).levels
    3
    """
    ledger = run.ledger
    n = len(ledger)
    if n == 0:
        return NetworkShape(0, 0, 0, 0, 0)
    depth, root = _tree_depths(ledger.sponsor)
    placement, _ = _tree_depths(ledger.parent)
    sizes = np.bincount(root, minlength=n)
    return NetworkShape(
        participants=n,
        levels=int(depth.max()) + 1,
        trees=int(np.count_nonzero(ledger.sponsor < 0)),
        largest_tree=int(sizes.max()),
        placement_levels=int(placement.max()) + 1,
    )


def recruitment_dependence(run: SimulationResult) -> tuple[int, int]:
    """Fen the orders paid out that joins triggered, and fen the orders paid out in all.

    Paid out is everything that left the platform's hands: rewards and pool contributions
    (``received − retained``), each counted on the order that paid it, so a pool
    contribution counts on the order that made it, not on the day the pool is split.

    When the simulation reports the split (``Totals.rewards_on_joins`` and
    ``rewards_on_repurchases``) it is read from there. Otherwise the run is repeated on its
    joins alone: in every plan here a join's rewards depend only on the joins before it
    (ranks come from recruits and legs, never from orders), so what the joins-only run pays
    out is exactly what the joins triggered in the full run.

    Examples
    --------
    >>> from bizmodels.plans import distribution, simulate
    >>> run = simulate(distribution(), [("R", None, 0), ("A", "R", 0), ("A", 1)])
    >>> recruitment_dependence(run)
    (6990, 13980)

    A's join paid its sponsor 69.90 yuan; A's repurchase paid the same again.
    """
    totals = run.totals
    # the simulation in progress adds the split by trigger; older results lack it
    on_joins = getattr(totals, "rewards_on_joins", None)
    on_repurchases = getattr(totals, "rewards_on_repurchases", None)
    if isinstance(on_joins, int) and isinstance(on_repurchases, int):
        return on_joins, on_joins + on_repurchases
    return _rerun_dependence(run)


def _rerun_dependence(run: SimulationResult) -> tuple[int, int]:
    """`recruitment_dependence` by repeating the run on its joins alone."""
    out = run.totals.received - run.totals.retained
    joins = run.events.kind == JOIN
    if out == 0 or bool(joins.all()):
        return out, out
    stream = run.events
    only = np.zeros(int(joins.sum()), dtype=EVENT_DTYPE)
    only["kind"] = JOIN
    only["member"] = stream.member[joins]
    only["sponsor"] = stream.sponsor[joins]
    only["day"] = stream.day[joins]
    rerun = simulate(run.plan, only).totals
    return rerun.received - rerun.retained, out


def _health(key: str, value: Decimal, unit: Unit, evidence: str, why: tuple[str, str]) -> Finding:
    watch, warning, critical = HEALTH_LINES[key]
    measure = Measure(
        INDICATORS[key].en,
        INDICATORS[key].zh,
        value,
        unit,
        (("watch", watch), ("warning", warning), ("critical", critical)),
    )
    severity = cast(HealthSeverity, measure.reached or "ok")
    return Finding(key, severity, evidence, (measure,), (), *why)


def health_findings(run: SimulationResult) -> list[Finding]:
    """The health findings on a run, in `INDICATORS` order: each value against `HEALTH_LINES`."""
    totals = run.totals
    stats = earnings_stats(run)
    n = stats.members
    joined, paid = recruitment_dependence(run)
    repurchases = totals.repurchases
    return [
        _health(
            "recruitment_dependence",
            rounded_share(joined, paid),
            "share",
            f"{yuan_text(yuan(joined))} of the {yuan_text(yuan(paid))} yuan "
            f"the orders paid out (rewards and pool contributions) was triggered by "
            f"{totals.members} joins rather than {repurchases} repurchases",
            (
                (
                    "When most pay comes from newcomers' entry purchases, earnings last only while "
                    "recruiting does: what 意见 五 calls head-count in substance (that sentence "
                    "found once)."
                ),
                "报酬主要来自新人入门购买时，收益依赖持续拉新，实质接近以人头计酬。",
            ),
        ),
        _health(
            "losing_share",
            rounded_share(stats.losing, n),
            "share",
            f"{stats.losing} of {n} members paid in more than they earned (net < 0; the goods "
            "in the packages are not valued)",
            (
                (
                    "Most members ending below what they paid means the plan moves money from the "
                    "many to the few."
                ),
                "多数参与者收益低于投入，说明资金由多数人流向少数人。",
            ),
        ),
        _health(
            "zero_earners",
            rounded_share(stats.zero, n),
            "share",
            f"{stats.zero} of {n} members earned nothing",
            (
                (
                    "Members who earn nothing hold the bottom of the network: typically those "
                    "recruited last."
                ),
                "零收益者处于网络底层，通常是最后加入的人。",
            ),
        ),
        _health(
            "payout_ratio",
            rounded_share(totals.paid, totals.packages),
            "share",
            f"{yuan_text(yuan(totals.paid))} yuan paid to members out of "
            f"{yuan_text(yuan(totals.packages))} yuan of packages",
            (
                (
                    "The larger the share of a package's price paid back out as rewards, the "
                    "less of it is the goods: 30% is the direct-selling cap's figure, used here "
                    "only as a magnitude."
                ),
                "礼包价中作为奖励拨出的比例越高，商品所占越少；30%借用直销上限的数字作量级参照。",
            ),
        ),
        _health(
            "top1_share",
            stats.top1_share,
            "share",
            f"the top {stats.top1} of {n} members (1%) earned {share_text(stats.top1_share)} "
            f"of the {yuan_text(yuan(stats.earned))} yuan earned",
            (
                "Earnings gathered in a few hands at the top of the network.",
                "收益集中于网络顶端的少数人。",
            ),
        ),
        _health(
            "top10_share",
            stats.top10_share,
            "share",
            f"the top {stats.top10} of {n} members (10%) earned "
            f"{share_text(stats.top10_share)} of all earnings",
            (
                (
                    "The share of the top tenth; in a retail-driven plan earnings follow sales "
                    "more evenly."
                ),
                "前10%的收益占比；以零售为主的方案收益分布更均匀。",
            ),
        ),
        _health(
            "gini",
            stats.gini,
            "index",
            f"Gini of earnings over all {n} members, zero earners included",
            (
                (
                    "Inequality of earnings: 0 if every member earns alike, 1 if one takes "
                    "everything; the lines are the project's choice."
                ),
                "收益不平等程度：人人相同为0，一人独得为1；界线为本项目自定。",
            ),
        ),
    ]


def random_network(
    members: int, *, repurchases: int = 0, roots: int = 1, days: int = 30, seed: int = 0
) -> npt.NDArray[Any]:
    """A random referral network as an event array, for trying a plan on a network.

    Member ``i`` (ids in join order) joins on day ``i × days // members``; the first
    ``roots`` have no sponsor, every later member names an earlier one chosen uniformly
    (a random recursive tree, whose depth grows like the logarithm of its size). Each
    repurchase is by a member chosen uniformly, on a day from its join to the last. An
    illustration, not a forecast: real networks grow by their own rules.

    Parameters
    ----------
    members : int
        Joins, at least 1.
    repurchases : int
        Repurchase orders.
    roots : int
        Members with no sponsor, 1 to ``members``.
    days : int
        Days the joins are spread over, at least 1.
    seed : int
        Seed of numpy's generator: the same seed gives the same network.

    Returns
    -------
    ndarray of dtype `bizmodels.plans.EVENT_DTYPE`

    Examples
    --------
    >>> from bizmodels.plans import liandong_699, simulate
    >>> run = simulate(liandong_699(), random_network(40, repurchases=20, seed=1))
    >>> run.totals.members, run.totals.repurchases
    (40, 20)
    """
    for name, value, ok in (
        ("members", members, members >= 1),
        ("roots", roots, 1 <= roots <= members),
        ("days", days, days >= 1),
        ("repurchases", repurchases, repurchases >= 0),
    ):
        if not ok:
            limits = {
                "members": "≥ 1",
                "roots": f"from 1 to members ({members})",
                "days": "≥ 1",
                "repurchases": "≥ 0",
            }[name]
            raise ValueError(f"{name} = {value}: must be {limits}")
    rng = np.random.default_rng(seed)
    ids = np.arange(members, dtype=np.int64)
    sponsor = np.full(members, -1, dtype=np.int64)
    later = ids[roots:]
    sponsor[roots:] = (rng.random(later.shape[0]) * later).astype(np.int64)
    join_day = ids * days // members
    buyer = rng.integers(0, members, repurchases)
    order_day = join_day[buyer] + (rng.random(repurchases) * (days - join_day[buyer])).astype(
        np.int64
    )
    events = np.zeros(members + repurchases, dtype=EVENT_DTYPE)
    events["kind"][members:] = ORDER
    events["member"] = np.concatenate([ids, buyer])
    events["sponsor"] = np.concatenate([sponsor, np.full(repurchases, -1)])
    events["day"] = np.concatenate([join_day, order_day])
    # by day, joins before orders within a day, so an order never precedes its buyer's join
    order = np.lexsort((np.arange(events.shape[0]), events["kind"], events["day"]))
    return events[order]
