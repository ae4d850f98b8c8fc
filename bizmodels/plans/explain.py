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
    "Clawback",
    "Explanation",
    "Payout",
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
    pending: int = 0
    """Fen of it pending for the plan's frozen days (冻结期) before it can be withdrawn."""
    repaid: int = 0
    """Fen of it that repaid the recipient's debt (a clawback it owed)."""

    @property
    def available(self) -> int:
        """Fen the recipient can withdraw now."""
        return self.amount - self.frozen - self.pending - self.repaid


@dataclass(frozen=True)
class Clawback:
    """One reward a refund reversed, and where the money came back from (fen).

    ``amount = from_frozen + from_pending + from_available + shortfall``; the shortfall
    (what the member no longer held) is ``owed`` by the member, or absorbed by the
    platform (docs/concepts/settlement-rules.md).
    """

    kind: str
    member: Hashable
    row: int
    amount: int
    from_frozen: int
    from_pending: int
    from_available: int
    shortfall: int
    owed: bool


@dataclass(frozen=True)
class Payout:
    """A withdrawal: the amount, the fee kept by the platform, the income tax withheld."""

    member: Hashable
    row: int
    amount: int
    fee: int
    tax: int

    @property
    def received(self) -> int:
        """Fen the member received."""
        return self.amount - self.fee - self.tax


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


_FLOWS = (
    "reward",
    "pool",
    "unclaimed",
    "kept",
    "refund",
    "clawback",
    "pool_back",
    "fee",
    "tax",
    "received",
)
"""The flows `Explanation.flows` names: an order's, a refund's, a withdrawal's."""

_HEADERS_EN = ("Flow", "To", "Kind", "Amount (yuan)", "Frozen (yuan)", "Why")
_HEADERS_ZH = ("流向", "收款方", "类型", "金额（元）", "冻结（元）", "依据")
_FLOW_ZH = {
    "reward": "奖励",
    "pool": "分红池",
    "unclaimed": "无人领取",
    "kept": "平台留存",
    "refund": "退款",
    "clawback": "追回",
    "pool_back": "分红池退回",
    "fee": "提现手续费",
    "tax": "代扣个税",
    "received": "到账",
}
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
    """``"join"``, ``"order"``, ``"refund"`` or ``"withdrawal"``."""
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
    refund_of: int | None = None
    """For a refund: the event index of the refunded order (``price`` is paid back)."""
    clawbacks: tuple[Clawback, ...] = ()
    """For a refund: each reward of the refunded order, reversed."""
    pools_back: tuple[int, int, int] = (0, 0, 0)
    """For a refund: fen taken back from the V1, V2, V3 pools (the rest was split)."""
    withdrawal: Payout | None = None
    """For a withdrawal: what it paid out."""

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
        if self.withdrawal is not None:
            w = self.withdrawal
            return [
                _flow("fee", "platform", "withdrawal", w.fee, 0, "withdrawal fee"),
                _flow("tax", "state", "withdrawal", w.tax, 0, "income tax withheld"),
                _flow("received", w.member, "withdrawal", w.received, 0, "paid out"),
            ]
        if self.kind == "refund":
            out.append(_flow("refund", self.member, "refund", self.price, 0, "paid back"))
            for c in self.clawbacks:
                why = "owed by the member" if c.owed else "absorbed by the platform"
                why = f"{why}: {fen_text(c.shortfall)}" if c.shortfall else "taken back in full"
                out.append(_flow("clawback", c.member, c.kind, c.amount, c.from_frozen, why))
            for i, back in enumerate(self.pools_back):
                if back:
                    out.append(_flow("pool_back", f"V{i + 1}", "pool", back, 0, "taken back"))
            return out
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
                "flow": _frames.categorical([r["flow"] for r in rows], _FLOWS, False),
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
        if self.kind in ("refund", "withdrawal"):
            caption = self._settlement_text().splitlines()[0]
        elif zh:
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

    def _settlement_text(self) -> str:
        head = f"{self.where} (day {self.day}): "
        if self.withdrawal is not None:
            w = self.withdrawal
            return "\n".join(
                [
                    f"{head}{self.member} withdraws {fen_text(w.amount)}",
                    f"  fee kept by the platform: {fen_text(w.fee)}",
                    f"  income tax withheld: {fen_text(w.tax)}",
                    f"  received: {fen_text(w.received)}",
                    *self._split_lines(),
                ]
            )
        out = [
            f"{head}refund of {self.refund_of}: {self.member} is paid back {fen_text(self.price)}"
        ]
        for c in self.clawbacks:
            parts = _amounts(
                (c.from_frozen, "from frozen"),
                (c.from_pending, "from pending"),
                (c.from_available, "from available"),
                (c.shortfall, "owed" if c.owed else "absorbed by the platform"),
            )
            out.append(
                f"  {c.kind} {fen_text(c.amount)} clawed back from {c.member}: " + ", ".join(parts)
            )
        for i, back in enumerate(self.pools_back):
            if back:
                out.append(f"  pool V{i + 1}: {fen_text(back)} taken back")
        out.extend(f"  note: {n}" for n in self.notes)
        out.extend(self._split_lines())
        return "\n".join(out)

    def __str__(self) -> str:
        if self.kind in ("refund", "withdrawal"):
            return self._settlement_text()
        what = "joins" if self.kind == "join" else "repurchases"
        out = [f"{self.where} (day {self.day}): {self.member} {what}, price {fen_text(self.price)}"]
        if self.placement:
            out.append(f"  placement: {self.placement}")
        for r in self.rewards:
            held = _amounts((r.frozen, "frozen"), (r.pending, "pending"), (r.repaid, "repays debt"))
            frozen = f" ({', '.join(held)})" if held else ""
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
        out.extend(self._split_lines())
        return "\n".join(out)

    def _split_lines(self) -> list[str]:
        out = []
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
        return out


def _amounts(*parts: tuple[int, str]) -> list[str]:
    # The parts of an amount that are not zero, as the text says them: "40.00 frozen".
    return [f"{fen_text(v)} {what}" for v, what in parts if v]


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
    trace = None
    if run.settles:
        # the settlement's part of the event, as the engine did it, from a traced rerun
        from bizmodels.plans.simulation import simulate

        traced = simulate(plan, stream, withdraw_every=run.withdraw_every, _trace=t)
        trace = traced._trace
    if int(stream.kind[t]) > ctx.k.ORDER:
        return _explain_settling(run, t, ctx, trace)
    is_join = int(stream.kind[t]) == 0
    placement = plan.explain_placement(ctx, b) if is_join else ""
    plan.explain_order(ctx, b, is_join)
    if trace is not None:
        _settle_rewards(run, ctx, trace)
    upgrades = [
        Upgrade(ctx.label(x), x, Rank(r), plan.identity_package(r))
        for _, x, r in run.upgrades[run.upgrades["event"] == t].tolist()
    ]
    releases = [
        Release(ctx.label(int(x)), int(x), int(run._released[x]))
        for x in np.flatnonzero(run._tree[:, ctx.k.QUAL] == t)
    ]
    splits = _splits(run, t)
    day = stream.day
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


def _splits(run: SimulationResult, t: int) -> tuple[PoolSplit, ...]:
    # The day's pool splits, when event t is the day's last.
    day = run.events.day
    if not run.plan.ranked or (t != len(day) - 1 and day[t + 1] == day[t]):
        return ()
    d = int(np.count_nonzero(np.diff(day[: t + 1])))
    series = run.daily
    return tuple(
        PoolSplit(
            pool, int(series.holders[d, i]), int(series.dividend[d, i]), int(series.pool[d, i])
        )
        for i, pool in enumerate(REGIONAL)
    )


def _settle_rewards(run: SimulationResult, ctx: _Context, trace: Any) -> None:
    # Each reward as the engine credited it: a cap may have kept some of it back, and
    # frozen days, a debt or the help fund hold parts of what it credited.
    k = ctx.k
    # The plan's explanation and the engine may visit the rewards in different orders
    # (the engine pays peer rewards right after the reward they are on): match each reward
    # to the engine's credit of the same kind to the same member, in order.
    kinds = run.plan.kinds
    entries: dict[tuple[str, int], list[list[int]]] = {}
    for row in trace.tolist():
        if row[0] == k.TR_CREDIT:
            entries.setdefault((kinds[row[2]], row[1]), []).append(row)
    matched = [entries.get((r.kind, r.row), []) for r in ctx.rewards]
    if sum(len(v) for v in entries.values()) != len(ctx.rewards) or not all(matched):
        raise RuntimeError(
            f"event {ctx.t}: the explanation's rewards and the engine's credits differ; this "
            "is a bug, please report it with the plan and the event stream"
        )
    rules = run.plan.settlement
    caps = [
        f"{fen_text(int(cap * 100))} a {period}"
        for cap, period in ((rules.cap_per_day, "day"), (rules.cap_per_month, "month"))
        if cap is not None
    ]
    settled = []
    for r in ctx.rewards:
        _, _, _, due, credited, frozen, pending, repaid = entries[(r.kind, r.row)].pop(0)
        settled.append(
            Reward(r.kind, r.recipient, r.row, credited, frozen, r.rule, pending, repaid)
        )
        if credited < due:
            ctx.unclaimed(
                r.kind,
                due - credited,
                f"beyond {r.recipient}'s cap ({' and '.join(caps)}): stays with the platform",
            )
    ctx.rewards[:] = settled


def _explain_settling(run: SimulationResult, t: int, ctx: _Context, trace: Any) -> Explanation:
    # A refund or a withdrawal, from the engine's trace of the event.
    k = ctx.k
    stream = run.events
    plan = run.plan
    b = int(stream.member[t])
    rows = trace.tolist() if trace is not None else []
    common = {
        "event": t,
        "where": stream.where(t),
        "member": ctx.label(b),
        "day": int(stream.day[t]),
        "placement": "",
        "rewards": (),
        "unclaimed": (),
        "pools": (0, 0, 0),
        "upgrades": (),
        "releases": (),
        "splits": _splits(run, t),
    }
    if int(stream.kind[t]) == k.WITHDRAWAL_EVENT:
        _, x, w, fee, tax, *_ = next(row for row in rows if row[0] == k.TR_WITHDRAW)
        payout = Payout(ctx.label(x), x, w, fee, tax)
        return Explanation(kind="withdrawal", price=0, notes=(), withdrawal=payout, **common)
    owed = plan.settlement.clawback == "debt"
    clawbacks = tuple(
        Clawback(plan.kinds[slot], ctx.label(x), x, a, fz, pd, av, short, owed)
        for kind, x, slot, a, fz, pd, av, short in rows
        if kind == k.TR_CLAW
    )
    back = [0, 0, 0]
    for kind, pool, _, taken, *_ in rows:
        if kind == k.TR_POOL:
            back[pool] = taken
    note = (
        "a refund returns money and reverses money; nothing in the network is undone "
        "(placement, positions, ranks, counts and qualification stand)"
    )
    return Explanation(
        kind="refund",
        price=plan.price_fen,
        notes=(note,),
        refund_of=int(stream.sponsor[t]),
        clawbacks=clawbacks,
        pools_back=(back[0], back[1], back[2]),
        **common,
    )
