"""The gaming audit: what a member gains by false-name manipulation of a plan (作弊审计).

A commission plan is a game. A member who opens accounts of their own (false names: fake
accounts bought with their own money) can recruit themselves, sit fake accounts where
slides (滑落) and see-point rewards (见点奖) land, split their own repurchases across
accounts, or buy the accounts that trigger a rank before honest recruiting would.
`audit_plan` runs each manipulation against honest play on the same network: the same
event stream, once as it is and once with the manipulation, so the only difference
between the two runs is the manipulation. The manipulator's gain counts the fake
accounts as theirs: what the accounts paid is paid by the manipulator, what they earned
is earned by the manipulator.

The audit also reads, on this network, which desirable properties of a reward mechanism
the plan keeps (after Emek, Karidi, Tennenholtz & Zohar, "Mechanisms for Multi-Level
Marketing", EC 2011): sybil-proofness, no reward for recruiting itself, budget balance and
continuing investment. A simulation on one network can show that a property is broken;
it cannot prove that it holds on every network, so a property kept is reported as "not
broken on this network". docs/concepts/gaming.md states the manipulations and the
properties.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from tabulate import tabulate

from bizmodels import _frames
from bizmodels._errors import field_error, shorten
from bizmodels._format import money, percent
from bizmodels._output import render
from bizmodels.plans import (
    EVENT_DTYPE,
    JOIN,
    ORDER,
    REFUND,
    WITHDRAWAL,
    EventStream,
    Growth,
    Plan,
    Rank,
    SimulationResult,
    simulate,
)
from bizmodels.plans.base import plan_classes

__all__ = [
    "MANIPULATIONS",
    "MAX_ACCOUNTS",
    "PROPERTIES",
    "GamingAudit",
    "GamingRow",
    "PropertyCheck",
    "audit_plan",
]

Lang = Literal["zh", "en"]

MAX_ACCOUNTS = 1000
"""The most fake accounts one manipulation may open (``accounts``, and the search of
``early_rank``): more is not a strategy one person runs, and every account is a member row."""

MANIPULATIONS = ("self_recruit", "slide_harvest", "split_orders", "early_rank")
"""The manipulations `audit_plan` runs, in the order of `GamingAudit.rows`."""

PROPERTIES = ("sybil_proof", "no_recruitment_reward", "budget_balance", "continuing_investment")
"""The properties `GamingAudit.properties` reads, in order (docs/concepts/gaming.md)."""

_NAMES_ZH = {
    "self_recruit": "自我推荐",
    "slide_harvest": "卡位收割滑落",
    "split_orders": "拆单",
    "early_rank": "提前买身份",
    "sybil_proof": "抗虚假账户",
    "no_recruitment_reward": "不奖励拉人头",
    "budget_balance": "预算平衡",
    "continuing_investment": "持续投入激励",
}

_DESCRIPTIONS = {
    "self_recruit": (
        (
            "buys {k} extra package(s) for fake accounts of their own, sponsored by "
            "themselves, right after joining"
        ),
        "入会后立即以自己为推荐人为 {k} 个自有虚假账户各买一份礼包",
    ),
    "slide_harvest": (
        (
            "opens {k} fake account(s) under themselves once their slide positions are "
            "filled, and signs their later real recruits up under the fake accounts, so "
            "that the recruits slide (滑落) to them and pay them the see-point reward (见点奖)"
        ),
        (
            "占满滑落位后在自己名下开 {k} 个虚假账户，之后的真实下级改挂虚假账户名下，"
            "使其滑落到自己并向自己支付见点奖"
        ),
    ),
    "split_orders": (
        (
            "makes {k} of their own repurchases as the joins of fake accounts they sponsor, "
            "then spreads the rest over themselves and the accounts"
        ),
        (
            "把自己的 {k} 次复购改为自有虚假账户（以自己为推荐人）的入会单，"
            "其余复购在自己与这些账户间轮流下单"
        ),
    ),
    "early_rank": (
        (
            "buys, right after joining, the {k} fake account(s) that reach {rank} at once, "
            "and the identity package (身份礼包) that comes with it"
        ),
        "入会后立即买下直接达到 {rank} 所需的 {k} 个虚假账户，以及随之购买的身份礼包",
    ),
}


@dataclass(frozen=True)
class GamingRow:
    """One manipulation against honest play on the same network.

    Attributes
    ----------
    name : str
        The manipulation (`MANIPULATIONS`).
    manipulator : hashable
        The label of the member who manipulates: the one given, or the candidate this
        manipulation gains most for (see `audit_plan`).
    description : str
        What the manipulator does, in English (``render(lang="zh")`` gives the Chinese).
    accounts : int
        Fake accounts it opened (0 when it did not apply).
    gain : Decimal
        Yuan, to the fen: the net of the manipulator and their fake accounts together
        with the manipulation, less the manipulator's net in honest play. What the fake
        accounts paid counts as paid by the manipulator, what they earned as earned.
    platform_cost : Decimal
        Yuan: the platform's result (after VAT and payment fees) in honest play less its
        result with the manipulation. Positive: the manipulation costs the platform;
        negative: the platform gains by it (the fake accounts' packages are sales).
    others_change : Decimal
        Yuan: the change of the total net of every other member.
    profitable : bool
        Whether the gain is above zero.
    honest_net : Decimal
        The manipulator's net in honest play, yuan.
    applicable : bool
        Whether the manipulation could be run here (a plan without ranks has no rank to
        buy early; a manipulator who never repurchases has no order to split).
    note : str
        Why it did not apply, or what the accounts reached.
    description_zh : str
        The description in Chinese.
    """

    name: str
    manipulator: Hashable
    description: str
    accounts: int
    gain: Decimal
    platform_cost: Decimal
    others_change: Decimal
    profitable: bool
    honest_net: Decimal
    applicable: bool = True
    note: str = ""
    description_zh: str = ""


@dataclass(frozen=True)
class PropertyCheck:
    """Whether the plan keeps a property on the audited network, and why it says so.

    Attributes
    ----------
    name : str
        The property (`PROPERTIES`).
    kept : bool
        False: the network shows the property broken. True: not broken on this network,
        which is no proof that it holds on every network.
    evidence : str
        The figures behind the verdict, in English.
    evidence_zh : str
        The same in Chinese.
    """

    name: str
    kept: bool
    evidence: str
    evidence_zh: str = ""


@dataclass(frozen=True, eq=False)
class GamingAudit:
    """What false-name manipulation gains under a plan on one network: `audit_plan`'s result.

    Attributes
    ----------
    plan : Plan
        The plan audited.
    manipulators : tuple
        The labels of the members tried as manipulator, in join order: the one given, or
        the candidates `audit_plan` chose.
    members : int
        Members of the honest network.
    rows : tuple of GamingRow
        One per manipulation, in the order of `MANIPULATIONS`.
    properties : mapping of str to PropertyCheck
        The properties of `PROPERTIES`, in order.
    """

    plan: Plan
    manipulators: tuple[Hashable, ...]
    members: int
    rows: tuple[GamingRow, ...]
    properties: Mapping[str, PropertyCheck]

    @property
    def max_gain(self) -> Decimal:
        """The largest gain of any manipulation, yuan; 0 when none gains."""
        return max([Decimal("0.00"), *(r.gain for r in self.rows)])

    def row(self, name: str) -> GamingRow:
        """The row of one manipulation by name (``"self_recruit"``)."""
        for r in self.rows:
            if r.name == name:
                return r
        raise KeyError(f"no manipulation {name!r}; valid: {', '.join(MANIPULATIONS)}")

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per manipulation: its fields, money as Decimal yuan."""
        return [
            {
                "manipulation": r.name,
                "manipulator": r.manipulator
                if isinstance(r.manipulator, int | str)
                else str(r.manipulator),
                "description": r.description,
                "accounts": r.accounts,
                "gain": r.gain,
                "platform_cost": r.platform_cost,
                "others_change": r.others_change,
                "profitable": r.profitable,
                "honest_net": r.honest_net,
                "applicable": r.applicable,
                "note": r.note,
            }
            for r in self.rows
        ]

    def to_pandas(self) -> Any:
        """The rows as a pandas DataFrame, money in float64 yuan, indexed by manipulation.

        Raises
        ------
        ImportError
            pandas is not installed (``pip install 'bizmodels[pandas]'``).
        """
        pd = _frames.pandas()
        records = self.to_records()
        columns: dict[str, Any] = {
            "manipulator": [str(r["manipulator"]) for r in records],
            "description": [r["description"] for r in records],
            "accounts": np.array([r["accounts"] for r in records], np.int64),
        }
        for key in ("gain", "platform_cost", "others_change", "honest_net"):
            columns[key] = _frames.yuan_column([r[key] for r in records])
        for key in ("profitable", "applicable"):
            columns[key] = np.array([r[key] for r in records], np.bool_)
        columns["note"] = [r["note"] for r in records]
        index = pd.Index([r["manipulation"] for r in records], name="manipulation")
        return _frames.frame(columns, index=index)

    def to_table(self, fmt: str = "simple", lang: Lang = "en") -> str:
        """The manipulations, then the properties, as text tables (tabulate's ``fmt``)."""
        if lang not in ("zh", "en"):
            raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
        zh = lang == "zh"
        tried = len(self.manipulators)
        title = (
            f"{self.plan.short_name} 作弊审计：网络 {self.members:,} 人，试过 {tried} 位操纵者"
            if zh
            else f"Gaming audit of {self.plan.short_name}: a network of {self.members:,}, "
            f"{tried} manipulator{'s' * (tried != 1)} tried"
        )
        head = (
            (
                "操纵",
                "操纵者",
                "诚实净收益（元）",
                "虚假账户",
                "操纵者收益（元）",
                "平台成本（元）",
                "其他会员变化（元）",
                "有利可图",
            )
            if zh
            else (
                "Manipulation",
                "Manipulator",
                "Honest net (yuan)",
                "Accounts",
                "Gain (yuan)",
                "Platform cost (yuan)",
                "Others' change (yuan)",
                "Profitable",
            )
        )
        yes, no = ("是", "否") if zh else ("yes", "no")
        body = []
        for r in self.rows:
            body.append(
                (
                    _NAMES_ZH[r.name] if zh else r.name,
                    shorten(str(r.manipulator), 24),
                    money(r.honest_net),
                    str(r.accounts) if r.applicable else "—",
                    money(r.gain),
                    money(r.platform_cost),
                    money(r.others_change),
                    (yes if r.profitable else no) if r.applicable else "—",
                )
            )
        table = tabulate(
            body,
            headers=head,
            tablefmt=fmt,
            colalign=("left", "left", "right", "right", "right", "right", "right", "left"),
            disable_numparse=True,
        )
        props = tabulate(
            [
                (
                    _NAMES_ZH[p.name] if zh else p.name,
                    ("保持（本网络未见破坏）" if zh else "not broken on this network")
                    if p.kept
                    else ("被破坏" if zh else "broken"),
                    p.evidence_zh if zh else p.evidence,
                )
                for p in self.properties.values()
            ],
            headers=("性质", "结论", "依据") if zh else ("Property", "Verdict", "Evidence"),
            tablefmt=fmt,
            disable_numparse=True,
        )
        most = (
            f"最大收益 {money(self.max_gain)} 元" if zh else f"Max gain {money(self.max_gain)} yuan"
        )
        return f"{title}\n\n{table}\n\n{most}\n\n{props}"

    def render(self, fmt: str = "table", lang: Lang = "en") -> str:
        """As a terminal table, markdown, JSON or CSV (one row per manipulation)."""
        return render(
            fmt,
            table=lambda tablefmt: self.to_table(tablefmt, lang),
            records=self.to_records,
            payload=lambda rows: {
                "plan": self.plan.short_name,
                "manipulators": [str(m) for m in self.manipulators],
                "max_gain": self.max_gain,
                "manipulations": rows,
                "properties": {
                    p.name: {"kept": p.kept, "evidence": p.evidence}
                    for p in self.properties.values()
                },
            },
        )

    def __str__(self) -> str:
        return self.to_table()

    def __repr__(self) -> str:
        return (
            f"<GamingAudit {self.plan.short_name}: {len(self.rows)} manipulations, max gain "
            f"{money(self.max_gain)} yuan; render() for the table>"
        )


# -- the audit ---------------------------------------------------------------------------

Event = tuple[int, int, int, int]
"""(kind, member id, sponsor id or the field's other meaning, day), as in `EVENT_DTYPE`."""


def audit_plan(
    plan: Plan,
    *,
    network: EventStream | npt.NDArray[Any] | Iterable[Sequence[Any]] | None = None,
    seed: int = 0,
    accounts: int = 2,
    manipulator: Hashable | None = None,
    members: int = 2000,
    days: int = 365,
    candidates: int = 16,
) -> GamingAudit:
    """Run every manipulation of `MANIPULATIONS` against honest play on one network.

    Parameters
    ----------
    plan : LiandongPlan, DistributionPlan or RefundPlan
        The plan audited.
    network : event stream or None
        The honest network: joins and repurchases as `bizmodels.plans.simulate` takes
        them (tuples, an `EVENT_DTYPE` array, an `EventStream`); refunds may be mixed
        in, withdrawals may not (their amounts were sized for honest balances). None (the
        default) grows one with `bizmodels.plans.generate_growth` (``seed``, ``members``,
        ``days``, the other growth assumptions at their defaults).
    seed : int
        The grown network's seed (unused with ``network``).
    accounts : int
        Fake accounts of ``self_recruit``, ``slide_harvest`` and ``split_orders``: 1 to
        1,000. ``early_rank`` opens as many as its rank needs.
    manipulator : hashable or None
        The label of the member who manipulates. None (the default): ``candidates``
        members spread evenly over the join order of the participants (members with a
        sponsor) who joined in the first half of the network's days, the first of them
        included, are each tried, and each manipulation is reported for the candidate it
        gains most (the earliest joiner among equals): a mechanism is gameable when some
        member can game it, and what one gains depends on how well they recruit.
    members, days : int
        Size of the grown network (unused with ``network``).
    candidates : int
        How many members are tried when no manipulator is given: 1 to 1,000.

    Returns
    -------
    GamingAudit
        One row per manipulation and the properties the plan keeps on this network.

    Raises
    ------
    TypeError
        ``plan`` is not a plan.
    ValueError
        ``accounts`` not a whole number from 1 to 1,000; a manipulator not in the network;
        a network with withdrawals or with no member; a bad growth argument (a pydantic
        ``ValidationError``): all before any simulation.

    Notes
    -----
    The manipulations, for manipulator M with ``accounts`` = k (fake accounts join on the
    day of the event they follow; every other event is the honest one):

    - ``self_recruit``: k fake accounts join sponsored by M right after M's join.
    - ``slide_harvest``: k fake accounts join sponsored by M right after M's recruit
      number ``slide_positions`` (2 in 链动2+1; right after M's join if M has fewer), so
      they sit past M's slide positions; M's later real recruits name fake account 1 as
      sponsor for its first ``slide_positions`` recruits, then account 2, …, the rest stay
      with M. In 链动2+1 each re-routed recruit slides (滑落) to M, an AGENT by then, and
      pays M the see-point reward (见点奖) on every order, while the fake account takes the
      direct reward (直推奖) M would have had.
    - ``split_orders``: M's first k repurchases become the joins of k fake accounts
      sponsored by M (the same packages bought on the same days); M's later repurchases
      go in turn to M, account 1, …, account k. As many accounts as M has repurchases.
    - ``early_rank`` (plans with ranks): the fewest fake accounts sponsored by M right
      after M's join that bring M at once to the lowest rank with an identity package (身份
      礼包; AGENT if there is none), found by doubling then bisection over runs of the
      stream up to those accounts.

    Gain = Σ net (M and the fake accounts, manipulated) − net (M, honest), each net as the
    ledger's (help-fund money frozen counts as the member's). Cost: one simulation per
    manipulation and property check, and about 20 short ones for ``early_rank``.

    Examples
    --------
    Does buying two packages for two accounts of one's own pay under 链动2+1?

    >>> from bizmodels.plans import liandong_699
    >>> audit = audit_plan(liandong_699(), members=500, days=120, seed=1)
    >>> audit.row("self_recruit").accounts, audit.max_gain > 0
    (2, True)
    >>> audit.properties["sybil_proof"].kept
    False

    At least one manipulation gains the manipulator money, so the plan is not sybil-proof.
    """
    if not isinstance(plan, Plan):
        raise TypeError(
            f"plan: needs a {plan_classes()} (e.g. bizmodels.plans.liandong_699()), got "
            f"{type(plan).__name__}"
        )
    if isinstance(accounts, bool) or not isinstance(accounts, int | np.integer):
        raise ValueError(field_error("accounts", shorten(repr(accounts), 40), "must be an integer"))
    if not 1 <= int(accounts) <= MAX_ACCOUNTS:
        raise ValueError(
            field_error("accounts", str(int(accounts)), f"must be from 1 to {MAX_ACCOUNTS:,}")
        )
    k = int(accounts)
    if isinstance(candidates, bool) or not isinstance(candidates, int | np.integer):
        raise ValueError(
            field_error("candidates", shorten(repr(candidates), 40), "must be an integer")
        )
    if not 1 <= int(candidates) <= MAX_ACCOUNTS:
        raise ValueError(
            field_error("candidates", str(int(candidates)), f"must be from 1 to {MAX_ACCOUNTS:,}")
        )
    if network is None:
        stream: EventStream = Growth(members=members, days=days, seed=seed).generate(progress=False)
    else:
        stream = EventStream.of(network)
    if stream.n_members == 0:
        raise ValueError("network: no member joins; the audit needs a network")
    if np.any(stream.kind == WITHDRAWAL):
        at = int(np.flatnonzero(stream.kind == WITHDRAWAL)[0])
        raise ValueError(
            f"network: {stream.where(at)} is a withdrawal; a manipulation changes the "
            "balances its amount was sized for, so leave withdrawals out of an audited network"
        )
    if manipulator is None:
        chosen = _candidates(stream, int(candidates))
    else:
        try:
            chosen = [stream.row(manipulator)]
        except KeyError:
            raise ValueError(
                field_error(
                    "manipulator",
                    shorten(repr(manipulator), 40),
                    f"no such member in the network of {stream.n_members:,}",
                )
            ) from None
    network_ = _Network(plan, stream)
    outcomes = [_Audit(network_, m, k).run() for m in chosen]
    rows = []
    for i in range(len(MANIPULATIONS)):
        tried = [o.rows[i] for o in outcomes]
        ran = [r for r in tried if r.applicable] or tried
        # the candidate it pays best; the earliest joiner among equals
        rows.append(max(ran, key=lambda r: r.gain))
    runs = [network_.honest, *(run for o in outcomes for run in o.runs)]
    recruits = [(o.label, o.first, o.last) for o in outcomes]
    return GamingAudit(
        plan=plan,
        manipulators=tuple(o.label for o in outcomes),
        members=stream.n_members,
        rows=tuple(rows),
        properties=_properties(rows, runs, recruits),
    )


def _candidates(stream: EventStream, n: int) -> list[int]:
    """Rows of ``n`` members spread evenly over the join order of the early participants.

    The participants (members with a sponsor) who joined in the first half of the
    network's days; all participants if none did; every member if none has a sponsor.
    """
    joins = np.flatnonzero(stream.kind == JOIN)
    rows = stream.member[joins]  # in join order: rows 0, 1, …
    days = stream.day[joins]
    sponsored = stream.sponsor[joins] >= 0
    half = int(stream.day[-1]) // 2
    for pick in (sponsored & (days <= half), sponsored, np.ones_like(sponsored)):
        found = rows[pick]
        if found.size:
            at = np.unique(np.linspace(0, found.size - 1, min(n, found.size)).round())
            return [int(found[int(i)]) for i in at]
    raise AssertionError("a stream with members has a join")  # pragma: no cover


@dataclass
class _Run:
    """One simulated stream and the rows of the accounts M controls in it."""

    result: SimulationResult
    controlled: list[int]
    platform_result: int


class _Network:
    """The honest stream as events, and its run: shared by every candidate manipulator."""

    def __init__(self, plan: Plan, stream: EventStream) -> None:
        self.plan = plan
        self.stream = stream
        self.base: list[Event] = list(
            zip(
                stream.kind.tolist(),
                stream.member.tolist(),
                stream.sponsor.tolist(),
                stream.day.tolist(),
                strict=True,
            )
        )
        self.events = np.empty(len(stream), EVENT_DTYPE)
        for name in EVENT_DTYPE.names or ():
            self.events[name] = getattr(stream, name)
        self.honest = _simulate_events(plan, self.events, [])


def _simulate_events(plan: Plan, events: npt.NDArray[Any], controlled: list[int]) -> _Run:
    """Run ``events`` (member ids as labels); ``controlled`` ids become rows."""
    stream = EventStream.of(events)
    result = simulate(plan, stream)
    rows = [stream.row(i) for i in controlled]
    return _Run(result, rows, result.summary(cohorts=1).platform_result)


@dataclass
class _Outcome:
    label: Hashable
    rows: list[GamingRow]
    runs: list[_Run]
    first: int
    last: int


class _Audit:
    """One manipulator: every manipulation as edits of the honest stream."""

    def __init__(self, network: _Network, m: int, k: int) -> None:
        self.plan = network.plan
        self.base = network.base
        self.events = network.events
        self.honest = network.honest
        stream = network.stream
        self.m = m
        self.k = k
        label = stream.labels[m]
        self.label: Hashable = label.item() if isinstance(label, np.generic) else label
        self.next_id = stream.n_members
        kind, member, sponsor = stream.kind, stream.member, stream.sponsor
        self.m_join = int(np.flatnonzero((kind == JOIN) & (member == m))[0])
        self.m_recruits = np.flatnonzero((kind == JOIN) & (sponsor == m)).tolist()
        self.m_orders = np.flatnonzero((kind == ORDER) & (member == m)).tolist()
        self.honest_net = int(self.honest.result.ledger.net[m])

    # -- streams ---------------------------------------------------------------------

    def _fakes(self, n: int) -> list[int]:
        # ids after every honest member's: each manipulated stream is built afresh
        return list(range(self.next_id, self.next_id + n))

    def _edit(
        self,
        replace: Mapping[int, Event],
        insert: Mapping[int, list[Event]],
        prefix: int | None = None,
    ) -> npt.NDArray[Any]:
        # Each event of the honest stream, replaced or not, then what is inserted after it;
        # a refund names its order by event index, so the indices are mapped to the new ones.
        out: npt.NDArray[Any] = self.events[: len(self.events) if prefix is None else prefix].copy()
        for i, event in replace.items():
            out[i] = event
        if not insert:
            return out
        after = sorted(insert)
        # events inserted before old event j: those inserted after events 0 … j − 1
        shift = np.zeros(len(out) + 1, np.int64)
        for i in after:
            shift[i + 1] += len(insert[i])
        shift = np.cumsum(shift)
        refunds = out["kind"] == REFUND
        out["sponsor"][refunds] += shift[out["sponsor"][refunds]]
        at = [i + 1 for i in after for _ in insert[i]]
        added = np.array([e for i in after for e in insert[i]], dtype=EVENT_DTYPE)
        edited: npt.NDArray[Any] = np.insert(out, at, added)
        return edited

    def _simulate(self, events: npt.NDArray[Any], fakes: list[int]) -> _Run:
        # the manipulator's row first, then its fake accounts'
        return _simulate_events(self.plan, events, [self.m, *fakes])

    def _row(
        self, name: str, run: _Run, accounts: int, note: str = "", rank: str = ""
    ) -> GamingRow:
        net = run.result.ledger.net
        ours = int(sum(int(net[r]) for r in run.controlled))
        before = self.honest_net
        gain = ours - before
        others = (int(net.sum()) - ours) - (int(self.honest.result.ledger.net.sum()) - before)
        en, zh = _DESCRIPTIONS[name]
        return GamingRow(
            name=name,
            manipulator=self.label,
            honest_net=_yuan(before),
            description=en.format(k=accounts, rank=rank),
            accounts=accounts,
            gain=_yuan(gain),
            platform_cost=_yuan(self.honest.platform_result - run.platform_result),
            others_change=_yuan(others),
            profitable=gain > 0,
            note=note,
            description_zh=zh.format(k=accounts, rank=rank),
        )

    def _not_applicable(self, name: str, note: str) -> GamingRow:
        zero = Decimal("0.00")
        en, zh = _DESCRIPTIONS[name]
        return GamingRow(
            name=name,
            manipulator=self.label,
            description=en.format(k=0, rank="the rank"),
            accounts=0,
            gain=zero,
            platform_cost=zero,
            others_change=zero,
            profitable=False,
            honest_net=_yuan(self.honest_net),
            applicable=False,
            note=note,
            description_zh=zh.format(k=0, rank="身份"),
        )

    def _join(self, fake: int, sponsor: int, day: int) -> Event:
        return (JOIN, fake, sponsor, day)

    # -- the manipulations -------------------------------------------------------------

    def self_recruit(self) -> tuple[GamingRow, _Run]:
        fakes = self._fakes(self.k)
        day = self.base[self.m_join][3]
        events = self._edit({}, {self.m_join: [self._join(f, self.m, day) for f in fakes]})
        run = self._simulate(events, fakes)
        return self._row("self_recruit", run, self.k), run

    def slide_harvest(self) -> tuple[GamingRow, _Run]:
        positions = int(getattr(self.plan, "slide_positions", 2))
        filled = self.m_recruits[:positions]
        after = filled[-1] if len(filled) == positions and positions else self.m_join
        fakes = self._fakes(self.k)
        day = self.base[after][3]
        later = [i for i in self.m_recruits if i > after]
        replace: dict[int, Event] = {}
        for j, i in enumerate(later):
            slot = j // positions if positions else self.k
            if slot < self.k:
                kind, member, _, d = self.base[i]
                replace[i] = (kind, member, fakes[slot], d)
        events = self._edit(replace, {after: [self._join(f, self.m, day) for f in fakes]})
        run = self._simulate(events, fakes)
        routed = len(replace)
        note = f"{routed} real recruit(s) signed up under the fake accounts"
        return self._row("slide_harvest", run, self.k, note), run

    def split_orders(self) -> tuple[GamingRow, _Run] | GamingRow:
        orders = self.m_orders
        if not orders:
            return self._not_applicable(
                "split_orders", "the manipulator never repurchases: no order to split"
            )
        n = min(self.k, len(orders))
        fakes = self._fakes(n)
        replace: dict[int, Event] = {}
        for fake, i in zip(fakes, orders[:n], strict=False):
            replace[i] = self._join(fake, self.m, self.base[i][3])
        turn = [self.m, *fakes]
        for j, i in enumerate(orders[n:]):
            buyer = turn[j % len(turn)]
            if buyer != self.m:
                replace[i] = (ORDER, buyer, -1, self.base[i][3])
        events = self._edit(replace, {})
        run = self._simulate(events, fakes)
        note = f"{len(orders)} repurchase(s) of the manipulator split over {n + 1} accounts"
        return self._row("split_orders", run, n, note), run

    def early_rank(self) -> tuple[GamingRow, _Run] | GamingRow:
        if not self.plan.ranked:
            return self._not_applicable("early_rank", "the plan has no ranks to buy early")
        target = next(
            (r for r in Rank if r > Rank.MEMBER and self.plan.identity_package(int(r)) > 0),
            Rank.AGENT,
        )
        day = self.base[self.m_join][3]

        def reaches(n: int) -> bool:
            fakes = self._fakes(n)
            events = self._edit(
                {},
                {self.m_join: [self._join(f, self.m, day) for f in fakes]},
                prefix=self.m_join + 1,
            )
            run = self._simulate(events, [])
            return int(run.result.ledger.rank[run.controlled[0]]) >= target

        name = target.name
        if reaches(0):
            return self._not_applicable("early_rank", f"the manipulator is {name} on joining")
        low, high = 0, 1  # reaches(low) is False
        while not reaches(high):
            if high >= MAX_ACCOUNTS:
                return self._not_applicable(
                    "early_rank", f"{MAX_ACCOUNTS:,} fake accounts do not reach {name}"
                )
            low, high = high, min(2 * high, MAX_ACCOUNTS)
        while high - low > 1:
            mid = (low + high) // 2
            if reaches(mid):
                high = mid
            else:
                low = mid
        fakes = self._fakes(high)
        events = self._edit({}, {self.m_join: [self._join(f, self.m, day) for f in fakes]})
        run = self._simulate(events, fakes)
        note = f"{high} fake account(s) make the manipulator {name} on joining"
        return self._row("early_rank", run, high, note, rank=name), run

    # -- the properties ------------------------------------------------------------------

    def recruit_gains(self) -> tuple[int, int]:
        # M recruits one real buyer more: right after joining, and on the last day
        buyer = self.next_id
        day = self.base[self.m_join][3]
        first = self._edit({}, {self.m_join: [self._join(buyer, self.m, day)]})
        last = self._edit({}, {len(self.base) - 1: [self._join(buyer, self.m, self.base[-1][3])]})
        before = self.honest_net
        gains = []
        for events in (first, last):
            run = self._simulate(events, [])
            gains.append(int(run.result.ledger.net[run.controlled[0]]) - before)
        return gains[0], gains[1]

    def run(self) -> _Outcome:
        rows: list[GamingRow] = []
        runs: list[_Run] = []
        for step in (self.self_recruit, self.slide_harvest, self.split_orders, self.early_rank):
            outcome = step()
            if isinstance(outcome, GamingRow):
                rows.append(outcome)
            else:
                rows.append(outcome[0])
                runs.append(outcome[1])
        first, last = self.recruit_gains()
        return _Outcome(self.label, rows, runs, first, last)


def _yuan(fen: int) -> Decimal:
    # to the fen always: 422.00, not 422
    return Decimal(int(fen)).scaleb(-2)


def _properties(
    rows: list[GamingRow], runs: list[_Run], recruits: list[tuple[Hashable, int, int]]
) -> dict[str, PropertyCheck]:
    gaining = [r for r in rows if r.profitable]
    if gaining:
        best = max(gaining, key=lambda r: r.gain)
        sybil = PropertyCheck(
            "sybil_proof",
            False,
            f"{', '.join(r.name for r in gaining)} gain(s) the manipulator money; the most, "
            f"{best.name}, {money(best.gain)} yuan with {best.accounts} fake account(s)",
            f"{'、'.join(_NAMES_ZH[r.name] for r in gaining)}使操纵者获利；最多为"
            f"{_NAMES_ZH[best.name]}，{best.accounts} 个虚假账户获利 {money(best.gain)} 元",
        )
    else:
        sybil = PropertyCheck(
            "sybil_proof",
            True,
            "no manipulation gains the manipulator money: not broken on this network",
            "没有操纵使操纵者获利：本网络未见破坏",
        )
    honest = runs[0].result.totals
    on_joins = honest.rewards_on_joins
    recruitment = PropertyCheck(
        "no_recruitment_reward",
        on_joins == 0,
        f"joins paid {money(_yuan(on_joins))} yuan of rewards in honest play "
        f"({percent(honest.recruitment_dependence)} of what orders paid out)"
        + ("" if on_joins else ": not broken on this network"),
        f"诚实参与中入会订单支付奖励 {money(_yuan(on_joins))} 元"
        f"（占订单支出的 {percent(honest.recruitment_dependence)}）"
        + ("" if on_joins else "：本网络未见破坏"),
    )
    ratios = [
        (run.result.totals.paid / run.result.totals.packages) if run.result.totals.packages else 0.0
        for run in runs
    ]
    highest = max(ratios)
    budget = PropertyCheck(
        "budget_balance",
        highest <= 1,
        f"the highest payout ratio over the honest and manipulated runs is {percent(highest)} "
        "of packages received" + (": not broken on this network" if highest <= 1 else ""),
        f"诚实与操纵各次模拟中最高拨出率为礼包收入的 {percent(highest)}"
        + ("：本网络未见破坏" if highest <= 1 else ""),
    )
    # the member for whom one more real recruit does least
    who, first, last = min(recruits, key=lambda r: min(r[1], r[2]))
    kept = min(first, last) > 0
    tried = len(recruits)
    investment = PropertyCheck(
        "continuing_investment",
        kept,
        f"one more real recruit changes the net of member {shorten(str(who), 24)} (the least "
        f"of {tried} tried) by {money(_yuan(first))} yuan right after joining and by "
        f"{money(_yuan(last))} yuan on the last day"
        + (": not broken on this network" if kept else ""),
        f"多推荐一位真实买家：试过的 {tried} 位中收益最少的会员 {shorten(str(who), 24)}，"
        f"入会后立即推荐净收益变化 {money(_yuan(first))} 元，最后一天推荐变化 "
        f"{money(_yuan(last))} 元" + ("：本网络未见破坏" if kept else ""),
    )
    return {p.name: p for p in (sybil, recruitment, budget, investment)}
