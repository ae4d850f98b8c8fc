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
from typing import Any

import numpy as np

from bizmodels import _frames, _html
from bizmodels._format import fen_text, money
from bizmodels.plans.liandong import REGIONAL, Rank
from bizmodels.plans.simulation import SimulationResult

__all__ = [
    "Explanation",
    "PoolSplit",
    "Release",
    "Reward",
    "Unclaimed",
    "Upgrade",
    "explain_event",
]


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


_HEADERS_EN = ("Flow", "To", "Kind", "Amount (yuan)", "Frozen (yuan)", "Why")
_HEADERS_ZH = ("流向", "收款方", "类型", "金额（元）", "冻结（元）", "依据")
_FLOW_ZH = {"reward": "奖励", "pool": "分红池", "unclaimed": "无人领取", "kept": "平台留存"}
"""The flows in Chinese; an unclaimed reward is kept by the platform (平台)."""
_KIND_ZH = {
    "direct": "直推奖",
    "see_point": "见点奖",
    "differential": "极差",
    "peer": "平级奖",
    "pool": "分红池",
    "kept": "留存",
}
"""The reward kinds as the glossary names them."""


def _check_lang(lang: object) -> _html.Lang:
    if lang == "zh":
        return "zh"
    if lang == "en":
        return "en"
    raise ValueError(f"lang = {lang!r}: must be 'en' or 'zh'")


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

    def flows(self) -> list[dict[str, Any]]:
        """Where each fen of the order went, one dict per amount; the amounts sum to ``price``.

        Rows, in order: each reward (``flow`` ``"reward"``, ``to`` the recipient), each
        pool's share (``"pool"``, to ``V1`` …), each reward that found no recipient
        (``"unclaimed"``, to ``platform``), and what the platform keeps beyond those
        (``"kept"``). Keys: ``flow``, ``to``, ``kind``, ``amount`` and ``frozen`` (fen),
        ``why`` (the rule or the reason).
        """
        out: list[dict[str, Any]] = []
        for r in self.rewards:
            out.append(_flow("reward", r.recipient, r.kind, r.amount, r.frozen, r.rule))
        for i, amount in enumerate(self.pools):
            if amount:
                out.append(_flow("pool", f"V{i + 1}", "pool", amount, 0, "dividend pool"))
        for u in self.unclaimed:
            out.append(_flow("unclaimed", "platform", u.kind, u.amount, 0, u.reason))
        rest = self.kept - sum(u.amount for u in self.unclaimed)
        out.append(_flow("kept", "platform", "kept", rest, 0, "the rest of the price"))
        return out

    def to_pandas(self, money: _frames.Money = "yuan") -> Any:
        """Where each fen of the order went (`flows`), as a pandas DataFrame.

        ``amount`` (and ``frozen``) in the unit ``money`` asks for; the amounts sum to the
        price, so nothing is counted twice: the platform's part is split into the rewards
        that found no recipient and the rest.

        Examples
        --------
        The spec's fifth event, D joining under A and sliding under R:

        >>> from bizmodels.plans import liandong_699, simulate
        >>> events = [("R", None, 0), ("A", "R", 0), ("B", "R", 0), ("C", "R", 0), ("D", "A", 0)]
        >>> df = simulate(liandong_699(), events).explain(4).to_pandas()
        >>> df["amount"].tolist()
        [200.0, 100.0, 20.0, 20.0, 10.0, 10.0, 10.0, 30.0, 10.0, 289.0]
        >>> float(df["amount"].sum())
        699.0
        """
        unit = _frames.check_money(money)
        rows = self.flows()
        return _frames.frame(
            {
                "flow": _frames.categorical(
                    [r["flow"] for r in rows], ["reward", "pool", "unclaimed", "kept"], False
                ),
                "to": [str(r["to"]) for r in rows],
                "kind": [r["kind"] for r in rows],
                _frames.money_name("amount", unit): _frames.fen_column(
                    [r["amount"] for r in rows], unit
                ),
                _frames.money_name("frozen", unit): _frames.fen_column(
                    [r["frozen"] for r in rows], unit
                ),
                "why": [r["why"] for r in rows],
            }
        )

    def to_html(self, max_rows: int = _html.MAX_ROWS, lang: _html.Lang = "en") -> str:
        """The flows as an HTML table.

        ``lang`` ("en" or "zh") is the language of the headers, the flows, the kinds and the
        caption; the "Why" column quotes the rules as the engine words them, in English.
        """
        zh = _check_lang(lang) == "zh"
        rows = [
            [
                _FLOW_ZH.get(r["flow"], r["flow"]) if zh else r["flow"],
                ("平台" if r["to"] == "platform" else str(r["to"])) if zh else str(r["to"]),
                _KIND_ZH.get(r["kind"], r["kind"]) if zh else r["kind"],
                money(Decimal(r["amount"]) / 100),
                money(Decimal(r["frozen"]) / 100) if r["frozen"] else "",
                r["why"],
            ]
            for r in self.flows()
        ]
        if zh:
            what = "加入" if self.kind == "join" else "复购"
            caption = f"{self.where}（第 {self.day} 天）：{self.member} {what}，"
            caption += f"价格 {fen_text(self.price)}"
        else:
            what = "joins" if self.kind == "join" else "repurchases"
            caption = (
                f"{self.where} (day {self.day}): {self.member} {what}, price {fen_text(self.price)}"
            )
        return _html.table(
            _HEADERS_ZH if zh else _HEADERS_EN,
            rows,
            numeric={3, 4},
            subtotals={len(rows) - 1},
            caption=caption,
            lang=lang,
            max_rows=max_rows,
            more="str(explanation)",
        )

    def _repr_html_(self) -> str:
        return self.to_html()

    def __str__(self) -> str:
        what = "joins" if self.kind == "join" else "repurchases"
        out = [f"{self.where} (day {self.day}): {self.member} {what}, price {fen_text(self.price)}"]
        if self.placement:
            out.append(f"  placement: {self.placement}")
        for r in self.rewards:
            frozen = f" ({fen_text(r.frozen)} frozen)" if r.frozen else ""
            out.append(f"  {r.kind} {fen_text(r.amount)}{frozen} to {r.recipient}: {r.rule}")
        for u in self.unclaimed:
            out.append(f"  {u.kind} {fen_text(u.amount)} kept by the platform: {u.reason}")
        if any(self.pools):
            pools = " + ".join(f"V{i + 1} {fen_text(x)}" for i, x in enumerate(self.pools))
            out.append(f"  pools: {pools}")
        out.extend(f"  note: {n}" for n in self.notes)
        out.append(f"  kept by the platform: {fen_text(self.kept)}")
        for g in self.upgrades:
            package = f", buys the {fen_text(g.identity_package)} identity package" * bool(
                g.identity_package
            )
            out.append(f"  upgrade: {g.member} becomes {g.rank.name}{package}")
        for rel in self.releases:
            out.append(f"  help fund: {rel.member} qualifies, {fen_text(rel.amount)} released")
        for s in self.splits:
            if s.holders:
                out.append(
                    f"  day end: pool {s.pool.name} pays {fen_text(s.per_holder)} to each of "
                    f"{s.holders} holder{'s' * (s.holders != 1)}, {fen_text(s.balance)} carried"
                )
            else:
                out.append(
                    f"  day end: pool {s.pool.name} has no holder, {fen_text(s.balance)} carried"
                )
        return "\n".join(out)


def _flow(flow: str, to: Any, kind: str, amount: int, frozen: int, why: str) -> dict[str, Any]:
    return {"flow": flow, "to": to, "kind": kind, "amount": amount, "frozen": frozen, "why": why}


class _Context:
    """The state of the run when event ``t`` starts, read from the run's timelines.

    The `bizmodels.plans.base.EventView` a plan's `explain_order` reads and records into.
    """

    def __init__(self, run: SimulationResult, t: int) -> None:
        # A run exists only once `simulate` has loaded the engine, so reading its column
        # layout here loads nothing new.
        from bizmodels.plans import _kernel as k

        self.k = k
        self.t = t
        self.tree = run._tree
        self.labels = run.ledger.label
        self.rewards: list[Reward] = []
        self.unclaimed_rewards: list[Unclaimed] = []
        self.notes: list[str] = []

    def label(self, x: int) -> Any:
        return self.labels[x].item() if isinstance(self.labels[x], np.generic) else self.labels[x]

    def sponsor(self, x: int) -> int:
        return int(self.tree[x, self.k.SPONSOR])

    def parent(self, x: int) -> int:
        return int(self.tree[x, self.k.PARENT])

    def position(self, x: int) -> int:
        return int(self.tree[x, self.k.POS])

    def slid(self, x: int) -> bool:
        return bool(self.tree[x, self.k.SLID])

    def rank(self, x: int) -> Rank:
        rt = self.k.RT
        return Rank(int(np.count_nonzero(self.tree[x, rt : rt + 4] < self.t)))

    def qualified(self, x: int) -> bool:
        return bool(self.tree[x, self.k.QUAL] < self.t)

    def ancestors(self, x: int) -> Iterator[int]:
        y = self.parent(x)
        while y >= 0:
            yield y
            y = self.parent(y)

    def reward(self, kind: str, x: int, amount: int, frozen: int, rule: str) -> None:
        self.rewards.append(Reward(kind, self.label(x), x, amount, frozen, rule))

    def unclaimed(self, kind: str, amount: int, reason: str) -> None:
        self.unclaimed_rewards.append(Unclaimed(kind, amount, reason))

    def note(self, text: str) -> None:
        self.notes.append(text)


def explain_event(run: SimulationResult, event_index: int) -> Explanation:
    """Build the `Explanation` of one event of a run (see `SimulationResult.explain`)."""
    n_events = len(run.events)
    if not -n_events <= event_index < n_events:
        raise IndexError(f"event {event_index} is out of range: the run has {n_events} events")
    t = event_index % n_events
    ctx = _Context(run, t)
    stream = run.events
    plan = run.plan
    b = int(stream.member[t])
    is_join = int(stream.kind[t]) == 0
    placement = plan.explain_placement(ctx, b) if is_join else ""
    plan.explain_order(ctx, b, is_join)
    upgrades = [
        Upgrade(ctx.label(x), x, Rank(r), plan.identity_package(r))
        for _, x, r in run.upgrades[run.upgrades["event"] == t].tolist()
    ]
    releases = [
        Release(ctx.label(int(x)), int(x), int(run._released[x]))
        for x in np.flatnonzero(run._tree[:, ctx.k.QUAL] == t)
    ]
    splits = []
    day = stream.day
    if plan.ranked and (t == n_events - 1 or day[t + 1] != day[t]):
        d = int(np.count_nonzero(np.diff(day[: t + 1])))
        series = run.daily
        for i, pool in enumerate(REGIONAL):
            splits.append(
                PoolSplit(
                    pool,
                    int(series.holders[d, i]),
                    int(series.dividend[d, i]),
                    int(series.pool[d, i]),
                )
            )
    return Explanation(
        event=t,
        where=stream.where(t),
        kind="join" if is_join else "order",
        member=ctx.label(b),
        day=int(day[t]),
        price=plan.price_fen,
        placement=placement,
        rewards=tuple(ctx.rewards),
        unclaimed=tuple(ctx.unclaimed_rewards),
        pools=plan.order_pools(),
        notes=tuple(ctx.notes),
        upgrades=tuple(upgrades),
        releases=tuple(releases),
        splits=tuple(splits),
    )
