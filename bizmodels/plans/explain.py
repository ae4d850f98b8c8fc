"""Why each fen of one event went where it did: `SimulationResult.explain`.

The explanation recomputes the event in plain Python from the run's timelines (the event
after which each member held each rank, and the event at which it qualified for the help
fund): ranks and qualification "when the event starts" are exactly those the engine used,
and the rules below walk ancestors one by one, as the spec words them. Tests check that
the explanations of all events add up to the engine's ledger.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np

from bizmodels.plans.distribution import DistributionPlan
from bizmodels.plans.liandong import LiandongPlan, Rank
from bizmodels.plans.refund import RefundPlan

if TYPE_CHECKING:
    from bizmodels.plans.simulation import SimulationResult

# Columns of the engine's member table (see bizmodels.plans._kernel; repeated here so that
# explaining does not import numba).
_PARENT, _SPONSOR, _POS, _RT, _SLID, _QUAL = 0, 2, 3, 4, 12, 14
_NEVER = 2**31 - 1


def _yuan(fen: int) -> str:
    return f"{Decimal(fen) / 100:.2f}"


def _pct(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f}%"


@dataclass(frozen=True)
class Reward:
    """One reward of the event: who got it, how much (fen), what froze, and why them."""

    kind: str
    """Kind of earnings (`bizmodels.plans.KINDS`)."""
    recipient: Hashable
    """The recipient's label."""
    row: int
    """The recipient's ledger row."""
    amount: int
    """Fen, frozen part included."""
    frozen: int
    """Fen of it frozen in the help fund (帮扶基金)."""
    rule: str
    """The rule that chose the recipient."""

    @property
    def available(self) -> int:
        """Fen the recipient can withdraw now."""
        return self.amount - self.frozen


@dataclass(frozen=True)
class Unclaimed:
    """A reward due that found no recipient: it stays with the platform (breakage)."""

    kind: str
    amount: int
    reason: str


@dataclass(frozen=True)
class Upgrade:
    """A rank the event made a member reach, and the identity package it bought (fen)."""

    member: Hashable
    row: int
    rank: Rank
    identity_package: int


@dataclass(frozen=True)
class Release:
    """A member the event qualified for the help fund, and the frozen fen released."""

    member: Hashable
    row: int
    amount: int


@dataclass(frozen=True)
class PoolSplit:
    """The day's split of one pool, done after the day's last event."""

    pool: Rank
    holders: int
    per_holder: int
    balance: int
    """Fen left in the pool after the split (remainder, or all of it with no holders)."""


@dataclass(frozen=True)
class Explanation:
    """One event, fen by fen (see `SimulationResult.explain`).

    ``price = sum of rewards + pools + kept``, where ``kept`` (what the platform keeps
    of the order) includes every `Unclaimed` amount.
    """

    event: int
    where: str
    kind: str
    """``"join"`` or ``"order"``."""
    member: Hashable
    day: int
    price: int
    placement: str
    """Where a joining member was placed and why; empty for an order."""
    rewards: tuple[Reward, ...]
    unclaimed: tuple[Unclaimed, ...]
    pools: tuple[int, int, int]
    """Fen paid into the V1, V2, V3 dividend pools."""
    notes: tuple[str, ...]
    upgrades: tuple[Upgrade, ...]
    releases: tuple[Release, ...]
    splits: tuple[PoolSplit, ...]
    """The day's pool splits, when this is the day's last event."""

    @property
    def paid(self) -> int:
        """Fen of the order paid to members and pools."""
        return sum(r.amount for r in self.rewards) + sum(self.pools)

    @property
    def kept(self) -> int:
        """Fen of the order the platform keeps, unclaimed rewards included."""
        return self.price - self.paid

    def __str__(self) -> str:
        what = "joins" if self.kind == "join" else "repurchases"
        out = [f"{self.where} (day {self.day}): {self.member} {what}, price {_yuan(self.price)}"]
        if self.placement:
            out.append(f"  placement: {self.placement}")
        for r in self.rewards:
            frozen = f" ({_yuan(r.frozen)} frozen)" if r.frozen else ""
            out.append(f"  {r.kind} {_yuan(r.amount)}{frozen} to {r.recipient}: {r.rule}")
        for u in self.unclaimed:
            out.append(f"  {u.kind} {_yuan(u.amount)} kept by the platform: {u.reason}")
        if any(self.pools):
            pools = " + ".join(f"V{i + 1} {_yuan(x)}" for i, x in enumerate(self.pools))
            out.append(f"  pools: {pools}")
        out.extend(f"  note: {n}" for n in self.notes)
        out.append(f"  kept by the platform: {_yuan(self.kept)}")
        for g in self.upgrades:
            package = f", buys the {_yuan(g.identity_package)} identity package" * bool(
                g.identity_package
            )
            out.append(f"  upgrade: {g.member} becomes {g.rank.name}{package}")
        for rel in self.releases:
            out.append(f"  help fund: {rel.member} qualifies, {_yuan(rel.amount)} released")
        for s in self.splits:
            if s.holders:
                out.append(
                    f"  day end: pool {s.pool.name} pays {_yuan(s.per_holder)} to each of "
                    f"{s.holders} holder{'s' * (s.holders != 1)}, {_yuan(s.balance)} carried"
                )
            else:
                out.append(
                    f"  day end: pool {s.pool.name} has no holder, {_yuan(s.balance)} carried"
                )
        return "\n".join(out)


class _Context:
    """The state of the run when event ``t`` starts, read from the run's timelines."""

    def __init__(self, run: SimulationResult, t: int) -> None:
        self.run = run
        self.t = t
        self.tree = run._tree
        self.labels = run.ledger.label

    def label(self, x: int) -> Any:
        return self.labels[x].item() if isinstance(self.labels[x], np.generic) else self.labels[x]

    def rank(self, x: int) -> Rank:
        return Rank(int(np.count_nonzero(self.tree[x, _RT : _RT + 4] < self.t)))

    def qualified(self, x: int) -> bool:
        return bool(self.tree[x, _QUAL] < self.t)

    def ancestors(self, x: int) -> Iterator[int]:
        y = int(self.tree[x, _PARENT])
        while y >= 0:
            yield y
            y = int(self.tree[y, _PARENT])


def explain_event(run: SimulationResult, event_index: int) -> Explanation:
    """Build the `Explanation` of one event of a run (see `SimulationResult.explain`)."""
    n_events = len(run.events)
    if not -n_events <= event_index < n_events:
        raise IndexError(f"event {event_index} is out of range: the run has {n_events} events")
    t = event_index % n_events
    ctx = _Context(run, t)
    stream = run.events
    b = int(stream.member[t])
    is_join = int(stream.kind[t]) == 0
    rewards: list[Reward] = []
    unclaimed: list[Unclaimed] = []
    notes: list[str] = []
    placement = ""
    pools = (0, 0, 0)
    plan = run.plan
    if isinstance(plan, LiandongPlan):
        placement = _placement(ctx, plan, b) if is_join else ""
        pools = plan.fen.pool_contribution
        _liandong(ctx, plan, b, rewards, unclaimed, notes)
        price = plan.fen.package_price
    elif isinstance(plan, DistributionPlan):
        price = int(plan.price * 100)
        _distribution(ctx, plan, b, rewards, unclaimed)
    else:
        assert isinstance(plan, RefundPlan)
        price = int(plan.price * 100)
        _refund(ctx, plan, b, is_join, rewards, notes)

    upgrades = []
    for _, x, r in run.upgrades[run.upgrades["event"] == t].tolist():
        rank = Rank(r)
        cost = 0
        if isinstance(plan, LiandongPlan) and rank >= Rank.V1:
            cost = plan.fen.upgrade_price[rank - Rank.V1]
        upgrades.append(Upgrade(ctx.label(x), x, rank, cost))
    releases = [
        Release(ctx.label(int(x)), int(x), int(run._released[x]))
        for x in np.flatnonzero(run._tree[:, _QUAL] == t)
    ]
    splits = []
    day = stream.day
    if t == n_events - 1 or day[t + 1] != day[t]:
        d = int(np.count_nonzero(np.diff(day[: t + 1])))
        series = run.daily
        for k, pool in enumerate((Rank.V1, Rank.V2, Rank.V3)):
            splits.append(
                PoolSplit(
                    pool,
                    int(series.holders[d, k]),
                    int(series.dividend[d, k]),
                    int(series.pool[d, k]),
                )
            )
    return Explanation(
        event=t,
        where=stream.where(t),
        kind="join" if is_join else "order",
        member=ctx.label(b),
        day=int(day[t]),
        price=price,
        placement=placement,
        rewards=tuple(rewards),
        unclaimed=tuple(unclaimed),
        pools=pools,
        notes=tuple(notes),
        upgrades=tuple(upgrades),
        releases=tuple(releases),
        splits=tuple(splits) if isinstance(plan, LiandongPlan) else (),
    )


def _placement(ctx: _Context, plan: LiandongPlan, j: int) -> str:
    tree = ctx.tree
    s = int(tree[j, _SPONSOR])
    if s < 0:
        return "a root: no sponsor, no placement parent"
    k = int(tree[j, _POS])
    p = int(tree[j, _PARENT])
    who = f"position {k} of {ctx.label(s)}"
    if tree[j, _SLID]:
        return (
            f"{who}: slid (滑落) under {ctx.label(p)}, the nearest ancestor of "
            f"{ctx.label(s)} of rank AGENT or above"
        )
    if k <= plan.slide_positions:
        return (
            f"{who}: {ctx.label(s)} has no ancestor of rank AGENT or above, so placed under "
            f"{ctx.label(s)}, not slid"
        )
    return f"{who}: placed under {ctx.label(s)} (only positions 1 to {plan.slide_positions} slide)"


def _liandong(
    ctx: _Context,
    plan: LiandongPlan,
    b: int,
    rewards: list[Reward],
    unclaimed: list[Unclaimed],
    notes: list[str],
) -> None:
    f = plan.fen
    tree = ctx.tree
    freeze_pct = _pct(plan.freeze_rate)

    def reward(kind: str, x: int, amount: int, freezable: bool, rule: str) -> None:
        frozen = f.frozen(amount) if freezable and not ctx.qualified(x) else 0
        if frozen:
            rule += (
                f"; {freeze_pct} frozen in the help fund (帮扶基金): {ctx.label(x)} is not "
                "qualified yet"
            )
        rewards.append(Reward(kind, ctx.label(x), x, amount, frozen, rule))

    def peer(earner: int, amount: int, what: str) -> None:
        rank = ctx.rank(earner)
        share = f.peer(amount)
        for q in ctx.ancestors(earner):
            if ctx.rank(q) >= rank:
                reward(
                    "peer",
                    q,
                    share,
                    True,
                    f"nearest ancestor of {ctx.label(earner)} (earner of the {what} reward, "
                    f"{rank.name}) of rank {rank.name} or above: {_pct(plan.peer_rate)} "
                    f"of {_yuan(amount)}",
                )
                return
        unclaimed.append(
            Unclaimed(
                "peer",
                share,
                f"peer reward on {ctx.label(earner)}'s {what} reward: no ancestor of "
                f"{ctx.label(earner)} is of rank {rank.name} or above",
            )
        )

    buyer = ctx.label(b)
    s = int(tree[b, _SPONSOR])
    if s >= 0:
        rank = ctx.rank(s)
        amount = f.direct(rank)
        level = "MEMBER" if rank == Rank.MEMBER else "AGENT and above"
        reward(
            "direct",
            s,
            amount,
            True,
            f"sponsor (推荐人) of {buyer}, of rank {rank.name}: the direct reward of {level}",
        )
    else:
        notes.append(f"{buyer} is a root: no sponsor, no direct reward")
    slid = bool(tree[b, _SLID])
    p = int(tree[b, _PARENT])
    if slid:
        reward(
            "see_point",
            p,
            f.see_point,
            False,
            f"placement parent of {buyer}, who slid (滑落) from its sponsor {ctx.label(s)}",
        )
    else:
        notes.append(f"{buyer} did not slide: no see-point reward")
    given = 0
    last = b
    for a in ctx.ancestors(b):
        e = f.entitlement(ctx.rank(a))
        if e > given:
            first = "nearest" if given == 0 else "next"
            reward(
                "differential",
                a,
                e - given,
                False,
                f"{first} ancestor of {buyer} entitled to more than {_yuan(given)}: of rank "
                f"{ctx.rank(a).name}, entitled to {_yuan(e)}, gets {_yuan(e)} − {_yuan(given)}",
            )
            given = e
            last = a
    top = f.differential[2]
    if given < top:
        reason = (
            f"no ancestor of {buyer} of rank V1 or above"
            if given == 0
            else f"no ancestor above {ctx.label(last)} entitled to more than {_yuan(given)}"
        )
        unclaimed.append(Unclaimed("differential", top - given, reason))
    if s >= 0:
        peer(s, f.direct(ctx.rank(s)), "direct")
    if slid:
        peer(p, f.see_point, "see-point")


def _distribution(
    ctx: _Context,
    plan: DistributionPlan,
    b: int,
    rewards: list[Reward],
    unclaimed: list[Unclaimed],
) -> None:
    y = int(ctx.tree[b, _SPONSOR])
    top = b
    for level, (rate, amount) in enumerate(zip(plan.rates, plan.level_rewards, strict=True)):
        kind = "direct" if level == 0 else "indirect"
        if y < 0:
            unclaimed.append(
                Unclaimed(
                    kind,
                    amount,
                    f"no level-{level + 1} sponsor: the sponsor chain of {ctx.label(b)} ends "
                    f"at {ctx.label(top)}",
                )
            )
            continue
        rewards.append(
            Reward(
                kind,
                ctx.label(y),
                y,
                amount,
                0,
                f"level {level + 1} up the sponsor chain of {ctx.label(b)}: {_pct(rate)} "
                "of the price",
            )
        )
        top = y
        y = int(ctx.tree[y, _SPONSOR])


def _refund(
    ctx: _Context,
    plan: RefundPlan,
    b: int,
    is_join: bool,
    rewards: list[Reward],
    notes: list[str],
) -> None:
    s = int(ctx.tree[b, _SPONSOR])
    if not is_join:
        notes.append("a repurchase pays no reward in 推三返一")
        return
    if s < 0:
        notes.append(f"{ctx.label(b)} is a root: no sponsor to count it")
        return
    k = int(ctx.tree[b, _POS])
    if k == plan.recruits_required:
        rewards.append(
            Reward(
                "refund",
                ctx.label(s),
                s,
                plan.refund,
                0,
                f"{ctx.label(b)} is recruit no. {k} of {ctx.label(s)}: its own package "
                "price is refunded once (推三返一)",
            )
        )
    else:
        notes.append(
            f"{ctx.label(b)} is recruit no. {k} of {ctx.label(s)}; the refund comes with "
            f"recruit no. {plan.recruits_required} only"
        )
