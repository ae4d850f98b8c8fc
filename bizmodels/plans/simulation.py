"""Simulate a commission plan over a whole referral network, exact to the fen.

`simulate` runs a plan (`LiandongPlan`, `DistributionPlan`, `RefundPlan`) over an event
stream of joins and repurchases (see `bizmodels.plans.events`) and returns a
`SimulationResult`: a per-member ledger as numpy columns, platform totals, a daily
series, and `SimulationResult.explain` for why each fen of one event went where it did.

Money is integer fen (int64) everywhere; the ``yuan`` methods give views for reading.
Conservation, ``received = retained + available + frozen + pending + pool balances +
(withdrawn − withdrawal fees) − debt`` (received net of refunds; see the settlement rules,
docs/concepts/settlement-rules.md), is checked after every event, and once more after the
run in Python's unbounded integers; a violation raises `ConservationError` (it would be a
bug: it never happens on a valid stream). The
plans' limits (`bizmodels.plans.limits`) keep every product and sum of the engine inside
int64 for every value they accept.

The loop is compiled with numba (`bizmodels.plans._kernel`) and cached on disk, so the
first call in a new process loads machine code instead of compiling.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

from bizmodels import _frames, _html
from bizmodels._format import count, fen_text, money
from bizmodels._limits import require_memory
from bizmodels.plans.base import KINDS, Plan, Tally, plan_classes
from bizmodels.plans.events import EventStream, _check_counts
from bizmodels.plans.limits import MAX_GROWTH_DAYS, SIM_BYTES_PER_MEMBER

if TYPE_CHECKING:
    # the readings of a run, for the convenience methods' annotations only: they sit above
    # this module and are imported inside the methods
    from bizmodels.plans.explain import Explanation
    from bizmodels.plans.participants import MemberCashFlows
    from bizmodels.plans.summary import Summary

__all__ = [
    "BREAKAGE_KINDS",
    "KINDS",
    "ConservationError",
    "Daily",
    "Ledger",
    "Plan",
    "SimulationResult",
    "Totals",
    "simulate",
]

BREAKAGE_KINDS = ("differential", "peer_on_direct", "peer_on_see_point", "level", "cap")
"""Keys of `Totals.breakage_by`: rewards due that found no recipient and stayed with the
platform: differential no one above was entitled to, a peer reward whose earner had no
ancestor of its rank or above (on a direct or a see-point reward), a distribution level
with no sponsor, and what a cap per member (`Settlement.cap_per_day`, ``cap_per_month``)
did not credit."""

Int64s = npt.NDArray[np.int64]
Lang = Literal["zh", "en"]

_RANKS = ("MEMBER", "AGENT", "V1", "V2", "V3")
"""The ranks' names in order (`bizmodels.plans.liandong.Rank`), the categories of a rank
column: plans without ranks have every member at MEMBER."""


def _money_column(fen: Int64s, unit: _frames.Money) -> Any:
    # Vectorised: a million-member column is not walked in Python, but for Decimal.
    if unit == "yuan":
        return fen / 100  # the float64 nearest the yuan amount, for any int64 fen
    if unit == "fen":
        return np.array(fen, dtype=np.int64)
    return _frames.fen_column(fen.tolist(), "decimal")


def _row_or_missing(rows: npt.NDArray[np.int32]) -> Any:
    # A sponsor or parent row, missing (<NA>) for none rather than -1, so that no sum or
    # lookup reads "none" as a row.
    pd = _frames.pandas()
    return pd.arrays.IntegerArray(np.array(rows, dtype=np.int32), rows < 0)


class _FirstRows(Sequence[Sequence[str]]):
    """The rows a table shows, standing for all ``total`` (only the shown are written)."""

    def __init__(self, shown: list[list[str]], total: int) -> None:
        self.shown = shown
        self.total = total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, i: Any) -> Any:
        # the table asks for the first max_rows rows: exactly those written
        if isinstance(i, slice) and not i.start and i.step is None:
            return self.shown[i]
        raise IndexError("only the first rows are written")


def _check_lang(lang: str) -> None:
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")


def _yuan_cell(fen: int) -> str:
    return money(Decimal(int(fen)) / 100)


class ConservationError(RuntimeError):
    """Money was created or lost: received ≠ retained + available + frozen + pools."""


@dataclass(frozen=True, eq=False)
class Ledger:
    """Every member's position after the last event, one numpy column per field.

    Rows are members in the order they joined; ``label`` gives back their labels and
    `SimulationResult.row` finds a row. Money columns are int64 fen; `yuan` reads them in
    yuan. Columns may be read-only views of the engine's tables (copy one to change it).

    Attributes
    ----------
    label : ndarray
        The member's label in the event stream.
    join_event, join_day : int64 ndarray
        Index of the member's join event, and its day.
    rank : int8 ndarray
        Final `Rank` (always MEMBER in plans without ranks).
    sponsor, parent : int32 ndarray
        Row of the sponsor (推荐人) and of the placement parent, -1 for none.
    depth : int32 ndarray
        Depth in the placement tree, 0 for a root.
    recruits : int32 ndarray
        Members who named this one as sponsor.
    slid : bool ndarray
        Placed under the sponsor's upline (滑落) rather than under the sponsor.
    qualified : bool ndarray
        Released from the help fund (帮扶基金); True throughout in plans without one.
    orders : int32 ndarray
        Packages bought and kept: the join and each repurchase, less those refunded.
    spent : int64 ndarray
        Fen paid: packages and identity packages (身份礼包), less what refunds paid back.
    direct, see_point, differential, peer, pool, indirect, refund : int64 ndarray
        Fen earned by kind (see `KINDS`), frozen parts included, less what refunds clawed
        back.
    available, frozen : int64 ndarray
        Fen the member can withdraw, and fen held by the help fund.
    refunds : int32 ndarray
        The member's orders refunded.
    refunded, clawed_back : int64 ndarray
        Fen paid back to the member for its refunded orders; fen of its rewards that
        refunds reversed (docs/concepts/settlement-rules.md).
    pending, debt : int64 ndarray
        Fen credited but not yet withdrawable (frozen days, 冻结期); fen clawed back that
        the member no longer held and owes.
    withdrawn, withdrawal_fees, tax_withheld : int64 ndarray
        Fen withdrawn (gross), the fees kept by the platform, and the income tax withheld
        (代扣代缴); the member received ``withdrawn − withdrawal_fees − tax_withheld``.
    capped : int64 ndarray
        Fen of rewards beyond a cap per member, never credited.
    net : int64 ndarray
        The member's result: ``available + frozen + pending + withdrawn −
        withdrawal_fees − tax_withheld − debt − spent`` (``available + frozen − spent``
        when nothing settles).
    """

    label: npt.NDArray[Any]
    join_event: Int64s
    join_day: Int64s
    rank: npt.NDArray[np.int8]
    sponsor: npt.NDArray[np.int32]
    parent: npt.NDArray[np.int32]
    depth: npt.NDArray[np.int32]
    recruits: npt.NDArray[np.int32]
    slid: npt.NDArray[np.bool_]
    qualified: npt.NDArray[np.bool_]
    orders: npt.NDArray[np.int32]
    spent: Int64s
    direct: Int64s
    see_point: Int64s
    differential: Int64s
    peer: Int64s
    pool: Int64s
    indirect: Int64s
    refund: Int64s
    available: Int64s
    frozen: Int64s
    refunds: npt.NDArray[np.int32]
    refunded: Int64s
    clawed_back: Int64s
    pending: Int64s
    debt: Int64s
    withdrawn: Int64s
    withdrawal_fees: Int64s
    tax_withheld: Int64s
    capped: Int64s
    net: Int64s

    MONEY = (
        "spent",
        *KINDS,
        "available",
        "frozen",
        "refunded",
        "clawed_back",
        "pending",
        "debt",
        "withdrawn",
        "withdrawal_fees",
        "tax_withheld",
        "capped",
        "net",
    )
    """The columns in fen."""

    def __len__(self) -> int:
        return int(self.rank.shape[0])

    @property
    def earned(self) -> Int64s:
        """Fen earned, all kinds, net of clawbacks.

        ``available + frozen + pending + withdrawn − debt`` (``available + frozen`` when
        nothing settles).
        """
        return self.available + self.frozen + self.pending + self.withdrawn - self.debt

    def yuan(self, column: str) -> npt.NDArray[np.float64]:
        """A money column in yuan (float64, for reading and plotting; sums stay in fen).

        Examples
        --------
        >>> from bizmodels.plans import liandong_699, simulate
        >>> run = simulate(liandong_699(), [("R", None, 0), ("A", "R", 0)])
        >>> run.ledger.yuan("available").tolist()
        [160.0, 0.0]
        """
        if column not in self.MONEY:
            raise KeyError(f"{column!r} is not a money column; valid: {', '.join(self.MONEY)}")
        values: Int64s = getattr(self, column)
        return values / 100

    def columns(self) -> dict[str, npt.NDArray[Any]]:
        """Every column by name, in order (the raw arrays; `to_pandas` for a DataFrame)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def to_pandas(self, money: _frames.Money = "yuan") -> Any:
        """The ledger as a pandas DataFrame: one row per member, in join order.

        Parameters
        ----------
        money : {"yuan", "fen", "decimal"}
            The unit of the money columns (``spent``, the kinds, ``available``, ``frozen``,
            ``net``): float64 yuan (the default), int64 fen (the columns are then named
            ``spent_fen`` …), or exact Decimal yuan (object dtype).

        Returns
        -------
        pandas.DataFrame
            Indexed by ledger row (``row``); the columns of the ledger in order, with
            ``rank`` an ordered categorical of the rank names MEMBER, AGENT, V1, V2, V3
            (every rank a category, so counts show the empty ones), ``sponsor`` and
            ``parent`` nullable Int32 rows (<NA> for none, not -1), ``label`` as given
            (pandas' string dtype for text labels).

        Raises
        ------
        ImportError
            pandas is not installed (``pip install 'bizmodels[pandas]'``).

        Examples
        --------
        The spec's worked example: R's withdrawable 746 yuan, frozen 144, rank V1.

        >>> from bizmodels.plans import liandong_699, simulate
        >>> events = [("R", None, 0), ("A", "R", 0), ("B", "R", 0), ("C", "R", 0), ("D", "A", 0)]
        >>> df = simulate(liandong_699(), events).ledger.to_pandas()
        >>> r = df.iloc[0]
        >>> r["label"], r["rank"], r["available"], r["frozen"]
        ('R', 'V1', np.float64(746.0), np.float64(144.0))
        >>> df["rank"].value_counts(sort=False).to_dict()
        {'MEMBER': 4, 'AGENT': 0, 'V1': 1, 'V2': 0, 'V3': 0}
        """
        unit = _frames.check_money(money)
        pd = _frames.pandas()
        data: dict[str, Any] = {}
        for f in fields(self):
            values = getattr(self, f.name)
            if f.name in self.MONEY:
                data[_frames.money_name(f.name, unit)] = _money_column(values, unit)
            elif f.name == "rank":
                data["rank"] = pd.Categorical.from_codes(
                    np.asarray(values, dtype=np.int64), categories=list(_RANKS), ordered=True
                )
            elif f.name in ("sponsor", "parent"):
                data[f.name] = _row_or_missing(values)
            elif f.name == "label":
                # integer labels (a grown network's) stay an int64 column, walked by no loop
                text = values.dtype.kind in "OUS" and all(isinstance(v, str) for v in values)
                data["label"] = pd.array(values, dtype="string") if text else np.array(values)
            else:
                data[f.name] = np.array(values)  # a copy: the frame never shares the engine's
        return pd.DataFrame(data, index=pd.RangeIndex(len(self), name="row"))

    def to_html(self, lang: Lang = "en", max_rows: int = _html.MAX_ROWS) -> str:
        """The first members as an HTML table: rank, recruits, what they paid and earned.

        Parameters
        ----------
        lang : {"en", "zh"}
            Language of the headers.
        max_rows : int
            The most members shown before "… N more rows" (`to_pandas` gives them all).
        """
        _check_lang(lang)
        head = (
            (
                "会员",
                "身份",
                "直推",
                "深度",
                "所付（元）",
                "可提现（元）",
                "冻结（元）",
                "净收益（元）",
            )
            if lang == "zh"
            else (
                "Member",
                "Rank",
                "Recruits",
                "Depth",
                "Paid (yuan)",
                "Available (yuan)",
                "Frozen (yuan)",
                "Net (yuan)",
            )
        )
        rows = []
        for i in range(min(len(self), max(max_rows, 0))):
            rows.append(
                [
                    str(self.label[i]),
                    _RANKS[int(self.rank[i])],
                    count(int(self.recruits[i])),
                    count(int(self.depth[i])),
                    _yuan_cell(self.spent[i]),
                    _yuan_cell(self.available[i]),
                    _yuan_cell(self.frozen[i]),
                    _yuan_cell(self.net[i]),
                ]
            )
        caption = f"{len(self):,} 名会员" if lang == "zh" else f"Ledger: {len(self):,} members"
        return _html.table(
            head,
            _FirstRows(rows, len(self)),
            numeric=range(2, 8),
            caption=caption,
            lang=lang,
            max_rows=max_rows,
            more="to_pandas()",
        )

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        return f"<Ledger: {len(self):,} members; to_pandas() for the table>"


@dataclass(frozen=True)
class Totals:
    """Platform totals after the last event, in fen (counts where said).

    ``received = retained + available + frozen + sum(pools)`` to the fen.

    Attributes
    ----------
    members, orders, repurchases : int
        Counts: members who joined, packages sold (joins and repurchases) and kept, and
        repurchases kept (refunded ones are left out).
    packages, identity_packages, received : int
        Fen received for packages (less refunds), for identity packages, and both.
    payouts : dict of str to int
        Fen paid to members by kind (`KINDS`), frozen parts included, less clawbacks.
    paid : int
        All of them.
    breakage : int
        Rewards due that found no recipient and stayed with the platform (in `retained`).
    breakage_by : dict of str to int
        The same by `BREAKAGE_KINDS`.
    retained : int
        What the platform keeps, breakage included.
    available, frozen : int
        Members' withdrawable balances, and the help fund (帮扶基金) still frozen.
    released : int
        Help-fund money released to members on qualifying.
    pools : tuple of int
        Balances of the V1, V2, V3 dividend pools (分红池) still undistributed.
    rewards_on_joins, rewards_on_repurchases : int
        Fen the orders paid out (rewards and pool contributions), by what triggered them:
        a member joining, or a repurchase (复购). Together they are
        ``received − retained``: everything that left the platform's hands.
    refunds : int
        Orders refunded (counted in neither ``orders`` nor ``repurchases``).
    refunded, clawed_back, absorbed : int
        Fen paid back to buyers; fen of rewards refunds reversed; fen refunds could not
        take back (already withdrawn under ``clawback="absorb"``, or pool contributions
        already split) and the platform bore.
    pending, debt : int
        Members' money not yet withdrawable (frozen days); clawbacks members owe.
    withdrawn, withdrawal_fees, tax_withheld : int
        Fen withdrawn (gross); the fees, kept by the platform (in ``retained``); the
        income tax withheld for the state.
    """

    members: int
    orders: int
    repurchases: int
    packages: int
    identity_packages: int
    received: int
    payouts: dict[str, int]
    paid: int
    breakage: int
    breakage_by: dict[str, int]
    retained: int
    available: int
    frozen: int
    released: int
    pools: tuple[int, int, int]
    rewards_on_joins: int
    rewards_on_repurchases: int
    refunds: int = 0
    refunded: int = 0
    clawed_back: int = 0
    absorbed: int = 0
    pending: int = 0
    debt: int = 0
    withdrawn: int = 0
    withdrawal_fees: int = 0
    tax_withheld: int = 0

    @property
    def conserved(self) -> bool:
        """Whether the money adds up (always, by the engine's checks).

        received = retained + available + frozen + pending + pools + (withdrawn −
        withdrawal fees) − debt.
        """
        held = self.retained + self.available + self.frozen + self.pending + sum(self.pools)
        return self.received == held + self.withdrawn - self.withdrawal_fees - self.debt

    @property
    def payout_ratio(self) -> Decimal:
        """Paid to members over packages received (0 when nothing was received)."""
        return Decimal(self.paid) / Decimal(self.packages) if self.packages else Decimal(0)

    @property
    def recruitment_dependence(self) -> Decimal:
        """Share of what orders paid out that joins triggered (0 when nothing was paid).

        1 means every reward came from recruiting; a plan living on repurchases is near 0.
        """
        out = self.rewards_on_joins + self.rewards_on_repurchases
        return Decimal(self.rewards_on_joins) / Decimal(out) if out else Decimal(0)

    def yuan(self, name: str) -> Decimal:
        """A money total in yuan, exact (``yuan("retained")``, ``yuan("direct")``)."""
        value = self.payouts.get(name, self.breakage_by.get(name))
        if value is None:
            value = getattr(self, name, None)
        if not isinstance(value, int) or name in ("members", "orders", "repurchases", "refunds"):
            raise KeyError(f"{name!r} is not a money total")
        return Decimal(value) / 100


@dataclass(frozen=True, eq=False)
class Daily:
    """The run day by day: one row per distinct day of the stream, in order.

    Flows are for the day; stocks are at its end, after the pool split.

    Attributes
    ----------
    day : int64 ndarray
        The day number.
    joins, members, orders : int64 ndarray
        Joins that day, members at its end, packages sold that day (joins included).
    received, payouts, breakage : int64 ndarray
        Fen received (packages and identity packages), paid to members (pool dividends
        included), and left unclaimed that day.
    help_fund : int64 ndarray
        Fen frozen in the help fund (帮扶基金) at the end of the day.
    retained : int64 ndarray
        Fen kept by the platform so far.
    pool : int64 ndarray, shape (days, 3)
        V1, V2, V3 pool balances after the day's split (the remainders, or all of it when
        a pool has no holders).
    dividend : int64 ndarray, shape (days, 3)
        Fen each holder of pool V1, V2, V3 got that day.
    holders : int64 ndarray, shape (days, 3)
        Holders of each pool that day.
    refunds, refunded, withdrawn : int64 ndarray
        Orders refunded that day, fen paid back for them (``received`` is net of it), and
        fen withdrawn that day.
    """

    day: Int64s
    joins: Int64s
    members: Int64s
    orders: Int64s
    received: Int64s
    payouts: Int64s
    breakage: Int64s
    help_fund: Int64s
    retained: Int64s
    pool: Int64s
    dividend: Int64s
    holders: Int64s
    refunds: Int64s
    refunded: Int64s
    withdrawn: Int64s

    def __len__(self) -> int:
        return int(self.day.shape[0])

    POOLS = ("v1", "v2", "v3")
    """The pools' column suffixes in `to_pandas`, in the order of the 2-D columns."""

    def to_pandas(self, money: _frames.Money = "yuan") -> Any:
        """The series as a pandas DataFrame: one row per day, a column per pool.

        Parameters
        ----------
        money : {"yuan", "fen", "decimal"}
            The unit of the money columns (``received``, ``payouts``, ``breakage``,
            ``help_fund``, ``retained``, the pools and dividends): float64 yuan (the
            default), int64 fen (named ``received_fen`` …), or exact Decimal yuan.

        Returns
        -------
        pandas.DataFrame
            Indexed by ``day``; columns ``joins``, ``members``, ``orders`` (int64), the
            money columns, then the 2-D series split by pool: ``pool_v1`` … ``pool_v3``
            (balances), ``dividend_v1`` … (per holder), ``holders_v1`` … (counts).

        Examples
        --------
        >>> from bizmodels.plans import liandong_699, simulate
        >>> events = [("R", None, 0), ("A", "R", 0), ("B", "R", 0), ("C", "R", 0), ("D", "A", 0)]
        >>> df = simulate(liandong_699(), events).daily.to_pandas()
        >>> df.loc[0, ["retained", "help_fund", "pool_v1", "pool_v2", "dividend_v1"]].tolist()
        [3304.0, 184.0, 0.0, 50.0, 50.0]
        """
        unit = _frames.check_money(money)
        pd = _frames.pandas()
        data: dict[str, Any] = {
            k: np.array(getattr(self, k)) for k in ("joins", "members", "orders", "refunds")
        }
        for k in ("received", "payouts", "breakage", "help_fund", "retained", "refunded"):
            data[_frames.money_name(k, unit)] = _money_column(getattr(self, k), unit)
        for k in ("withdrawn",):
            data[_frames.money_name(k, unit)] = _money_column(getattr(self, k), unit)
        for name in ("pool", "dividend"):
            table = getattr(self, name)
            for j, pool in enumerate(self.POOLS):
                column = _frames.money_name(f"{name}_{pool}", unit)
                data[column] = _money_column(np.ascontiguousarray(table[:, j]), unit)
        for j, pool in enumerate(self.POOLS):
            data[f"holders_{pool}"] = np.array(self.holders[:, j])
        return pd.DataFrame(data, index=pd.Index(np.array(self.day), name="day"))

    def to_html(self, lang: Lang = "en", max_rows: int = _html.MAX_ROWS) -> str:
        """The first days as an HTML table: joins, members, money in and out, help fund.

        Parameters
        ----------
        lang : {"en", "zh"}
            Language of the headers.
        max_rows : int
            The most days shown before "… N more rows" (`to_pandas` gives them all).
        """
        _check_lang(lang)
        head = (
            (
                "天",
                "入会",
                "会员",
                "订单",
                "收款（元）",
                "支付（元）",
                "帮扶基金（元）",
                "平台留存（元）",
            )
            if lang == "zh"
            else (
                "Day",
                "Joins",
                "Members",
                "Orders",
                "Received (yuan)",
                "Paid (yuan)",
                "Help fund (yuan)",
                "Retained (yuan)",
            )
        )
        rows = [
            [
                str(int(self.day[i])),
                count(int(self.joins[i])),
                count(int(self.members[i])),
                count(int(self.orders[i])),
                _yuan_cell(self.received[i]),
                _yuan_cell(self.payouts[i]),
                _yuan_cell(self.help_fund[i]),
                _yuan_cell(self.retained[i]),
            ]
            for i in range(min(len(self), max(max_rows, 0)))
        ]
        caption = f"逐日：{len(self):,} 天" if lang == "zh" else f"Day by day: {len(self):,} days"
        return _html.table(
            head,
            _FirstRows(rows, len(self)),
            numeric=range(8),
            caption=caption,
            lang=lang,
            max_rows=max_rows,
            more="to_pandas()",
        )

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        if not len(self):
            return "<Daily: no days>"
        first, last = int(self.day[0]), int(self.day[-1])
        days = f"{len(self):,} day{'s' * (len(self) != 1)}"
        return f"<Daily: {days} ({first}–{last}); to_pandas() for the table>"


@dataclass(frozen=True, eq=False)
class SimulationResult:
    """What a plan did over an event stream: ledger, totals, daily series, explanations.

    Attributes
    ----------
    plan : LiandongPlan, DistributionPlan or RefundPlan
        The plan simulated.
    events : EventStream
        The checked stream.
    ledger : Ledger
        Every member, by row.
    totals : Totals
        The platform's totals.
    daily : Daily
        The series by day.
    upgrades : structured ndarray
        Every rank change in order: ``event``, ``member`` (row), ``rank`` (the new rank).
    """

    plan: Plan
    events: EventStream
    ledger: Ledger
    totals: Totals
    daily: Daily
    upgrades: npt.NDArray[Any]
    _tree: npt.NDArray[np.int32] = field(repr=False)
    _released: _Released = field(repr=False)
    withdraw_every: int | None = None
    """The withdrawal policy the run used (`simulate`'s argument)."""
    _trace: npt.NDArray[np.int64] | None = field(default=None, repr=False)

    def row(self, label: Hashable) -> int:
        """Ledger row of the member with this label."""
        return self.events.row(label)

    @property
    def settles(self) -> bool:
        """Whether the settlement ran.

        It runs for a rule of ``plan.settlement``, a refund or a withdrawal in the stream,
        or a withdrawal policy.
        """
        return self.plan.settlement.active or self.events.settles or bool(self.withdraw_every)

    def to_html(self, lang: Lang = "en") -> str:
        """The platform's totals as a short HTML table (``summary()`` reads the run)."""
        _check_lang(lang)
        t = self.totals
        zh = lang == "zh"
        rows = [
            ("会员" if zh else "Members", count(t.members)),
            ("订单（含复购）" if zh else "Orders (repurchases included)", count(t.orders)),
            ("平台收款（元）" if zh else "Received (yuan)", _yuan_cell(t.received)),
            ("支付给会员（元）" if zh else "Paid to members (yuan)", _yuan_cell(t.paid)),
            ("无人领取（元）" if zh else "Breakage (yuan)", _yuan_cell(t.breakage)),
            ("平台留存（元）" if zh else "Kept by the platform (yuan)", _yuan_cell(t.retained)),
            ("帮扶基金冻结（元）" if zh else "Help fund frozen (yuan)", _yuan_cell(t.frozen)),
            ("分红池余额（元）" if zh else "Pools' balances (yuan)", _yuan_cell(sum(t.pools))),
        ]
        name = self.plan.short_name
        caption = f"{name} 的模拟" if zh else f"Simulation of {name}"
        table = _html.table(
            ("项目", "数值") if zh else ("Figure", "Value"),
            [list(r) for r in rows],
            numeric={1},
            subtotals={5},
            caption=caption,
            lang=lang,
        )
        more = (
            "全部数字：summary()；会员：ledger.to_pandas()；逐日：daily.to_pandas()"
            if zh
            else "All figures: summary(); members: ledger.to_pandas(); days: daily.to_pandas()"
        )
        return f'{table}\n<p style="font-style:italic">{more}</p>'

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        # the dataclass's repr would print every column of the ledger and the series
        t = self.totals
        return (
            f"<SimulationResult {self.plan.short_name}: {t.members:,} members, "
            f"{len(self.events):,} events, kept by the platform {_yuan_cell(t.retained)} "
            "yuan; summary() reads it>"
        )

    def explain(self, event_index: int) -> Explanation:
        """Why each fen of one event went where it did.

        Lists every reward with its recipient, the rule that chose the recipient and the
        frozen part; every reward that found no recipient and stayed with the platform,
        with the reason; the upgrades (and identity packages) the event triggered; help-fund
        releases; and the day's pool split when the event is the day's last.

        It recomputes the event in plain Python from the run's rank and qualification
        timelines (the same rules as the engine, walking ancestors one by one), so it also
        checks the engine.

        Parameters
        ----------
        event_index : int
            Index of the event in the stream (negative counts from the end).

        Examples
        --------
        >>> from bizmodels.plans import liandong_699, simulate
        >>> run = simulate(liandong_699(), [("R", None, 0), ("A", "R", 0)])
        >>> [(r.kind, r.recipient, r.amount, r.frozen) for r in run.explain(1).rewards]
        [('direct', 'R', 20000, 4000)]
        >>> [(u.kind, u.amount) for u in run.explain(1).unclaimed]
        [('differential', 5000), ('peer', 2000)]
        """
        from bizmodels.plans.explain import explain_event

        return explain_event(self, event_index)

    def summary(self, cohorts: int = 10) -> Summary:
        """What the run means for the members and the platform: a typed `Summary`.

        Members by rank; the share who earned back what they paid; net results by
        quantile; the share of earnings taken by the top 1% and 10%, and the Gini
        coefficient; payout ratio and breakage; recruitment dependence; the depth of the
        placement tree; the help fund and pools over time; and an income disclosure by
        rank, by join cohort and by band of net result, zero earners included. Every
        member figure is of the participants (members with a sponsor); the company's
        seeded roots are reported apart (see `bizmodels.plans.summary` for the
        conventions).

        Parameters
        ----------
        cohorts : int
            Groups of equal size, in join order, for the income disclosure: 1 to 10,000
            (groups beyond the number of members are empty and left out).

        Examples
        --------
        >>> from bizmodels.plans import liandong_699, simulate
        >>> events = [("R", None, 0), ("A", "R", 0), ("B", "R", 0), ("C", "R", 0), ("D", "A", 0)]
        >>> s = simulate(liandong_699(), events).summary()
        >>> s.roots, s.participants  # R is the company's root, reported apart
        (1, 4)
        >>> s.earned_back, s.earned_nothing, s.by_rank  # of A, B, C, D: B, C, D earned nothing
        (0.0, 0.75, (4, 0, 0, 0, 0))
        >>> print(s.to_table().splitlines()[0])
        liandong 699: 5 members, days 0–0
        """
        from bizmodels.plans.summary import summarise

        return summarise(self, cohorts)

    def member_cash_flows(
        self, period: int = 30, *, progress: bool | None = None
    ) -> MemberCashFlows:
        """Each member's cash position period by period: the participant's view.

        See `bizmodels.plans.participants.MemberCashFlows`: IRR and payback per member.

        Parameters
        ----------
        period : int
            Days per period (30: months of 30 days); the run may span at most 10,000
            periods, each read by replaying the stream up to its end.
        progress : bool or None
            A progress bar of the periods replayed (tqdm): True always, False never, None
            (the default) only when stderr is a terminal.
        """
        from bizmodels.plans.participants import member_cash_flows

        return member_cash_flows(self, period, progress=progress)


def simulate(
    plan: Plan,
    events: EventStream | npt.NDArray[Any] | Iterable[Sequence[Any]],
    *,
    withdraw_every: int | None = None,
    _trace: int | None = None,
) -> SimulationResult:
    """Run a commission plan over a stream of joins and repurchases, exact to the fen.

    Parameters
    ----------
    plan : LiandongPlan, DistributionPlan or RefundPlan
        The plan, e.g. `liandong_699`, `distribution`, `recruit_three_refund_one`.
    events : list of tuples, structured ndarray, or EventStream
        Joins ``(member, sponsor_or_None, day)`` and repurchase orders ``(member, day)``,
        in day order; or an array of dtype `EVENT_DTYPE`; or the result of `read_events`.
        Labels are any hashable values (or integer ids ≥ 0 in an array). Refunds
        (`Refund`) and withdrawals (`Withdrawal`) may be mixed in.
    withdraw_every : int or None
        The withdrawal policy: every this many days (at the end of each day ``d`` with
        ``d % withdraw_every == withdraw_every − 1``) every member withdraws its whole
        available balance if it is at least the plan's ``settlement.withdrawal_minimum``;
        1 to 36,500, or None (the default) for no policy.

    Returns
    -------
    SimulationResult
        Ledger, totals, daily series; ``explain(i)`` for any event.

    Raises
    ------
    ValueError
        A bad event, named by its index (see `EventStream.of`), or a stream beyond the
        engine's limits (2,147,483,645 events, 2,147,483,646 members), before anything runs;
        a withdrawal below the plan's minimum, before anything runs; a withdrawal above the
        member's available balance, when the run reaches it (nothing is returned).
    bizmodels._limits.SizeError
        A ValueError: the member tables (about 200 bytes a member) would not fit in memory.
    TypeError
        Not a plan this engine knows.
    ConservationError
        Money created or lost (a bug; never on a valid stream). Besides the engine's check
        after every event, the finished run is checked in Python's unbounded integers, so
        an integer overflow inside the engine would be caught here, not repeated.

    Notes
    -----
    The 链动2+1 rules are those of the spec ``specs/liandong-2plus1.md``: slide, ranks and
    identity packages, direct, see-point, differential and peer rewards, pools split each
    day, the help fund, in the spec's order of processing. Cost: O(log depth) per event
    for the nearest-ancestor searches, plus O(``unlock_orders``) per member over the run
    for the help-fund counts; never a walk over all of an event's ancestors. A chain of
    100,000 members each recruiting the next (depth 100,000) plus 100,000 repurchases
    runs in about 0.1 s; a 1,000,000-member network with 1,000,000 repurchases in about
    1 s on a shared 2-core machine (``benchmarks/simulate.py``, which also times the
    settlement: with refunds of 5% of the orders and caps about 2.4 s; daily withdrawals by
    everyone cost one withdrawal per member and day with a balance, about 6 s).

    Examples
    --------
    The spec's worked example: R roots the network, A, B, C join under R, D under A.

    >>> from bizmodels.plans import liandong_699, simulate
    >>> events = [("R", None, 0), ("A", "R", 0), ("B", "R", 0), ("C", "R", 0), ("D", "A", 0)]
    >>> run = simulate(liandong_699(), events)
    >>> r = run.row("R")
    >>> int(run.ledger.available[r]), int(run.ledger.frozen[r])
    (74600, 14400)
    >>> run.totals.yuan("retained"), run.totals.yuan("received")
    (Decimal('3304'), Decimal('4494'))
    """
    if not isinstance(plan, Plan):
        raise TypeError(f"simulate needs a {plan_classes()}, got {type(plan).__name__}")
    stream = EventStream.of(events)
    every = _withdraw_every(withdraw_every)
    # The compiled engine is imported only when a simulation runs, so that importing
    # bizmodels does not import numba.
    from bizmodels.plans import _kernel as k

    n = stream.n_members
    n_events = len(stream)
    _check_counts(n_events, n)
    prm = plan.kernel_params(n_events)
    settle = bool(prm[k.P_SETTLE]) or stream.settles or every > 0
    _check_minimum(plan, stream)
    sizes = _settlement_sizes(stream, prm, settle, every)
    need = n * SIM_BYTES_PER_MEMBER
    if settle:
        need += sum(8 * int(np.prod(shape)) for shape in sizes.values())
    require_memory(f"members = {n} ({n_events} events)", need)
    # Memory: the two member tables are the bulk of a run (a million members: 61 MiB each)
    # and every phase works in them (pass 1's scratch is the money table), so no other
    # per-member array comes and goes; in the end they hold most of the ledger's columns
    # (see `_kernel`). The settlement's tables exist only when it runs.
    tree = np.empty((n, k.TREE_COLUMNS), np.int32)
    money = np.zeros((n, k.MONEY_COLUMNS), np.int64)
    status = np.zeros(3, np.int64)
    k.init_tree(tree, n)
    upg_t, upg_x, upg_r, n_upg = plan.build_structure(stream, tree, money, status)
    if status[0] != k.OK:
        raise ConservationError(f"inconsistent rank timeline at event {int(status[1])}")
    prm[k.P_SETTLE] = int(settle)
    prm[k.P_WEVERY] = every
    tot = np.zeros(k.TOTAL_COLUMNS, np.int64)
    day = stream.day
    n_days = int(np.count_nonzero(day[1:] != day[:-1])) + 1 if n_events else 0
    daily = np.zeros((n_days, k.DAILY_COLUMNS), np.int64)
    st = np.zeros(sizes["st"], np.int64)
    # Buffers sized for the worst case, of which only the part used becomes resident.
    q = np.empty(sizes["q"], np.int64)
    cl = np.empty(sizes["cl"], np.int64)
    hdr = np.zeros(sizes["hdr"], np.int64)
    mark = np.full(n_events if settle else 1, -1, np.int32)
    if settle:
        refunded = stream.sponsor[stream.kind == k.REFUND_EVENT]
        mark[refunded] = np.arange(refunded.shape[0], dtype=np.int32)
    dirty = np.zeros(sizes["dirty"], np.int32)
    holders = np.empty(sizes["holders"], np.int32)
    sv = np.zeros(k.SV_COLUMNS, np.int64)
    # what one order owes, credited after its rules have decided it (settlement only)
    due = np.empty((max(k.CREDITS_PER_ORDER, int(prm[k.P_LEVELS])) if settle else 1, 4), np.int64)
    sv[k.SV_TRACE] = -1 if _trace is None else _trace
    sv[k.SV_TRACE_AT] = cl.shape[0] - k.TRACE_ROWS
    # one compiled loop each: without the settlement its rules compile away
    (k.run_money_settled if settle else k.run_money)(
        stream.kind,
        stream.member,
        stream.sponsor,
        day,
        tree,
        upg_t,
        upg_x,
        upg_r,
        n_upg,
        prm,
        money,
        tot,
        daily,
        st,
        q,
        cl,
        sv,
        hdr,
        mark,
        dirty,
        holders,
        due,
        status,
    )
    trace = cl[int(sv[k.SV_TRACE_AT]) :][: int(sv[k.SV_TRACED])].copy()
    del q, cl, hdr, mark, dirty, holders
    if status[0] == k.E_WITHDRAW:
        raise ValueError(
            f"{_withdrawal(stream, int(status[1]))} is more than its available balance "
            f"{fen_text(int(status[2]))} yuan then; nothing was simulated"
        )
    if status[0] != k.OK:
        raise ConservationError(
            f"{stream.where(int(status[1]))}: received ≠ retained + available + frozen + "
            "pending + pools + paid out − debt; this is a bug in the engine, please report "
            "it with the event stream"
        )
    # Room was made for the most upgrades there could be; only the part used was touched.
    upgrades = np.empty(n_upg, dtype=[("event", "i8"), ("member", "i4"), ("rank", "i1")])
    upgrades["event"] = upg_t[:n_upg]
    upgrades["member"] = upg_x[:n_upg]
    upgrades["rank"] = upg_r[:n_upg]
    del upg_t, upg_x, upg_r
    # The ledger's int64 join columns are views of two int32 columns each of the tree.
    join_event = tree[:, k.JOIN_EVENT : k.JOIN_EVENT + 2].view(np.int64)[:, 0]
    join_day = tree[:, k.JOIN_DAY : k.JOIN_DAY + 2].view(np.int64)[:, 0]
    net = np.empty(n, np.int64)
    rank = np.empty(n, np.int8)
    slid = np.empty(n, np.bool_)
    qualified = np.empty(n, np.bool_)
    n_qualified = int(tot[k.T_QUALIFIED])
    released = _Released(np.empty(n_qualified, np.int32), np.empty(n_qualified, np.int64))
    k.finish(
        stream.kind,
        stream.member,
        day,
        tree,
        prm,
        money,
        tot,
        st,
        net,
        rank,
        slid,
        qualified,
        join_event,
        join_day,
        released.rows,
        released.amounts,
        status,
    )
    if status[0] != k.OK:
        raise ConservationError(
            "members' balances do not add up to the totals; this is a bug in the engine, "
            "please report it with the event stream"
        )
    ledger = _ledger(
        plan,
        stream,
        tree,
        money,
        st if settle else None,
        net,
        rank,
        slid,
        qualified,
        join_event,
        join_day,
    )
    result = _result(
        plan,
        stream,
        ledger,
        tree,
        tot,
        daily,
        released,
        upgrades,
        every,
        trace if _trace is not None else None,
    )
    _audit(result, money)
    return result


def _withdraw_every(value: int | None) -> int:
    # The withdrawal policy's period, checked before anything runs (0: no policy).
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int | np.integer):
        raise ValueError(f"withdraw_every = {value!r}: must be a whole number of days or None")
    if not 1 <= int(value) <= MAX_GROWTH_DAYS:
        raise ValueError(f"withdraw_every = {value!r}: must be 1 to {MAX_GROWTH_DAYS:,} days")
    return int(value)


def _check_minimum(plan: Plan, stream: EventStream) -> None:
    # A withdrawal below the plan's minimum is refused before anything runs.
    least = int(plan.settlement.withdrawal_minimum * 100)
    if not least or not stream.settles:
        return
    from bizmodels.plans import _kernel as k

    low = np.flatnonzero((stream.kind == k.WITHDRAWAL_EVENT) & (stream.sponsor < least))
    if low.size:
        raise ValueError(
            f"{_withdrawal(stream, int(low[0]))} is below settlement.withdrawal_minimum = "
            f"{fen_text(least)} yuan"
        )


def _withdrawal(stream: EventStream, t: int) -> str:
    # How a refused withdrawal event is named: where, how much, by whom.
    who = stream.labels[int(stream.member[t])]
    amount = fen_text(int(stream.sponsor[t]))
    return f"{stream.where(t)}: withdrawal of {amount} yuan by member {who!r}"


def _settlement_sizes(
    stream: EventStream, prm: Int64s, settle: bool, every: int
) -> dict[str, tuple[int, ...]]:
    """Shapes of the settlement's tables: full when it runs, one dummy row when not.

    The pending queue and the credit log are sized for the worst case (every reward an
    order can pay: `_kernel.CREDITS_PER_ORDER`, or one per distribution level), of which
    only the part used becomes resident.
    """
    from bizmodels.plans import _kernel as k

    if not settle:
        return {
            "st": (1, k.S_COLUMNS),
            "q": (1, k.Q_COLUMNS),
            "cl": (k.TRACE_ROWS, k.C_COLUMNS),
            "hdr": (1, k.H_COLUMNS),
            "dirty": (2,),
            "holders": (1,),
        }
    per_order = max(k.CREDITS_PER_ORDER, int(prm[k.P_LEVELS]))
    n_refunds = int(np.count_nonzero(stream.kind == k.REFUND_EVENT))
    n_orders = int(np.count_nonzero(stream.kind <= k.ORDER))
    queued = n_orders * per_order if prm[k.P_FROZEN_DAYS] > 0 else 1
    n = stream.n_members
    return {
        "st": (n, k.S_COLUMNS),
        "q": (max(queued, 1), k.Q_COLUMNS),
        "cl": (n_refunds * per_order + k.TRACE_ROWS, k.C_COLUMNS),
        "hdr": (max(n_refunds, 1), k.H_COLUMNS),
        "dirty": (2 * n if every else 2,),
        "holders": (n if every else 1,),
    }


def _audit(run: SimulationResult, money: Int64s) -> None:
    """Check the run again in Python integers, from the stream, the plan and the ledger.

    The engine checks conservation in int64 after every event; were one of its sums or
    products ever to overflow, that check would overflow the same way. Here what was
    received is worked out again from the number of orders and upgrades, every money
    column is summed exactly (`_kernel.audit`), and each kind of reward is held to what
    the rules allow for the orders there were: a wrapped-around integer breaks at least
    one of these.
    """
    from bizmodels.plans import _kernel as k

    plan, stream, tot, ledger = run.plan, run.events, run.totals, run.ledger
    orders = int(np.count_nonzero(stream.kind <= k.ORDER)) if stream.settles else len(stream)
    out = np.zeros(k.AUDIT_COLUMNS, np.int64)
    k.audit(run._tree, money, out)

    def exact(column: int) -> int:
        return (int(out[k.AUDIT_HIGH + column]) << 32) + int(out[k.AUDIT_LOW + column])

    problems: list[str] = []

    def check(ok: bool, what: str) -> None:
        if not ok:
            problems.append(what)

    earned = {kind: exact(k.K0 + i) for i, kind in enumerate(plan.kinds)}
    available, frozen, spent = exact(k.AVAIL), exact(k.FROZEN), exact(k.SPENT)
    tally = Tally(
        orders=orders,
        earned=earned,
        frozen=frozen,
        released=tot.released,
        breakage_by=tot.breakage_by,
        pools=tot.pools,
        sponsored=int(out[k.AUDIT_SPONSORED]),
        slid=int(out[k.AUDIT_SLID]),
        recruits=run.ledger.recruits,
    )
    # The plan's own rules hold each kind to what the orders paid; refunds (which take
    # rewards back) and caps (which leave some uncredited) make them bounds, which the exact
    # conservation and the signs below still hold.
    rules = plan.settlement.cap_per_day is None and plan.settlement.cap_per_month is None
    rules = rules and plan.settlement.withdrawal_fee_pool is None  # fees fund the pool
    if rules and not tot.refunds:
        for rule, holds in plan.audit(tally).items():
            check(holds, rule)
    ranks = np.bincount(run.upgrades["rank"])
    identity = sum(int(count) * plan.identity_package(r) for r, count in enumerate(ranks))
    # Without the settlement its ledger columns are one shared zero, not the engine's: only
    # a settled run has them to sum.
    settled = [ledger.refunded, ledger.pending, ledger.debt, ledger.withdrawn]
    settled += [ledger.withdrawal_fees, ledger.tax_withheld]
    sums = [_exact_sum(c) for c in settled] if run.settles else [0] * len(settled)
    refunded, pending, debt, withdrawn, fees, taxes = sums
    received = orders * plan.price_fen + identity - refunded
    check(refunded == tot.refunded == tot.refunds * plan.price_fen, "refunds")
    check(tot.received == received == spent, "received")
    check(tot.identity_packages == identity, "identity packages")
    held = available + frozen + pending + withdrawn - debt
    check(held == sum(earned.values()), "members' balances")
    check(tot.available == available and tot.frozen == frozen, "totals of the balances")
    check(
        (pending, debt, withdrawn, fees, taxes)
        == (tot.pending, tot.debt, tot.withdrawn, tot.withdrawal_fees, tot.tax_withheld),
        "totals of the settlement",
    )
    kept = tot.retained + available + frozen + pending + sum(tot.pools)
    check(received == kept + withdrawn - fees - debt, "conservation")
    check(fees + taxes <= withdrawn and min(pending, debt, fees, taxes) >= 0, "withdrawals")
    columns = {"available": k.AVAIL, "frozen": k.FROZEN, "spent": k.SPENT}
    columns |= {kind: k.K0 + i for i, kind in enumerate(plan.kinds)}
    for name, column in columns.items():
        check(int(out[k.AUDIT_MIN + column]) >= 0, f"negative {name}")
    check(min(tot.retained, *tot.pools) >= 0, "negative platform totals")
    if problems:
        raise ConservationError(
            f"the run does not add up in exact integers ({', '.join(problems)}); this is a "
            "bug in the engine, please report it with the plan and the event stream"
        )


def _exact_sum(column: npt.NDArray[Any]) -> int:
    # A column's exact sum: its high and low 32 bits summed apart cannot overflow int64
    # with fewer than 2^31 rows, whatever the values (as `_kernel.audit` does).
    values = np.asarray(column, np.int64)
    return (int((values >> 32).sum()) << 32) + int((values & 0xFFFFFFFF).sum())


@dataclass(frozen=True, eq=False)
class _Released:
    """What the help fund released to each member on qualifying, by ledger row.

    Only the members who qualified during the run are kept (a few thousand of a million in
    a grown network), in row order; any other member had nothing released.
    """

    rows: npt.NDArray[np.int32]
    amounts: Int64s

    def __getitem__(self, row: int | np.integer[Any]) -> int:
        i = int(np.searchsorted(self.rows, row))
        if i < self.rows.shape[0] and self.rows[i] == row:
            return int(self.amounts[i])
        return 0


def _ledger(
    plan: Plan,
    stream: EventStream,
    tree: npt.NDArray[np.int32],
    money: Int64s,
    st: Int64s | None,
    net: Int64s,
    rank: npt.NDArray[np.int8],
    slid: npt.NDArray[np.bool_],
    qualified: npt.NDArray[np.bool_],
    join_event: Int64s,
    join_day: Int64s,
) -> Ledger:
    from bizmodels.plans import _kernel as k

    n = stream.n_members
    # Columns are views of the engine's tables where they can be (no copies of a
    # million-row table); kinds a plan never pays are one shared read-only zero, and so
    # are the settlement's columns when it did not run.
    zero: Int64s = np.broadcast_to(np.int64(0), (n,))
    earned: dict[str, Any] = dict.fromkeys(KINDS, zero)
    for i, kind in enumerate(plan.kinds):
        earned[kind] = money[:, k.K0 + i]
    columns = {
        "refunded": k.S_REFD,
        "clawed_back": k.S_CLAW,
        "pending": k.S_PEND,
        "debt": k.S_DEBT,
        "withdrawn": k.S_WDR,
        "withdrawal_fees": k.S_FEE,
        "tax_withheld": k.S_TAX,
        "capped": k.S_CAPPED,
    }
    settled: dict[str, Any] = dict.fromkeys(columns, zero)
    settled["refunds"] = np.broadcast_to(np.int32(0), (n,))
    orders = tree[:, k.ORDERS]
    if st is not None:
        settled = {name: st[:, column] for name, column in columns.items()}
        settled["refunds"] = st[:, k.S_NREF].astype(np.int32)
        orders = (orders - settled["refunds"]).astype(np.int32)
    return Ledger(
        **settled,
        label=stream.labels,
        join_event=join_event,
        join_day=join_day,
        rank=rank,
        sponsor=tree[:, k.SPONSOR],
        parent=tree[:, k.PARENT],
        depth=tree[:, k.DEPTH],
        recruits=tree[:, k.RECRUITS],
        slid=slid,
        qualified=qualified,
        orders=orders,
        spent=money[:, k.SPENT],
        available=money[:, k.AVAIL],
        frozen=money[:, k.FROZEN],
        net=net,
        **earned,
    )


def _result(
    plan: Plan,
    stream: EventStream,
    ledger: Ledger,
    tree: npt.NDArray[np.int32],
    tot: Int64s,
    daily: Int64s,
    released: _Released,
    upgrades: npt.NDArray[Any],
    every: int,
    trace: npt.NDArray[np.int64] | None,
) -> SimulationResult:
    from bizmodels.plans import _kernel as k

    n = stream.n_members
    payouts = {kind: 0 for kind in KINDS}
    for i, kind in enumerate(plan.kinds):
        payouts[kind] = int(tot[k.T_PAY + i])
    breakage_by = {
        "differential": int(tot[k.T_BRK_DIFF]),
        "peer_on_direct": int(tot[k.T_BRK_PEER_DIRECT]),
        "peer_on_see_point": int(tot[k.T_BRK_PEER_SEE]),
        "level": int(tot[k.T_BRK_LEVEL]),
        "cap": int(tot[k.T_BRK_CAP]),
    }
    refunds = int(tot[k.T_REFUNDS])
    refunded = int(tot[k.T_REFUNDED])
    totals = Totals(
        members=n,
        orders=int(tot[k.T_ORDERS]) - refunds,
        repurchases=int(tot[k.T_ORDERS] - tot[k.T_JOINS]) - (refunds - int(tot[k.T_REF_JOINS])),
        packages=int(tot[k.T_PACKAGES]) - refunded,
        identity_packages=int(tot[k.T_IDENTITY]),
        received=int(tot[k.T_RECEIVED]) - refunded,
        payouts=payouts,
        paid=sum(payouts.values()),
        breakage=sum(breakage_by.values()),
        breakage_by=breakage_by,
        retained=int(tot[k.T_RETAINED]),
        available=int(tot[k.T_AVAIL]),
        frozen=int(tot[k.T_FROZEN]),
        released=int(tot[k.T_RELEASED]),
        pools=(int(tot[k.T_POOL]), int(tot[k.T_POOL + 1]), int(tot[k.T_POOL + 2])),
        rewards_on_joins=int(tot[k.T_ON_JOINS]),
        rewards_on_repurchases=int(tot[k.T_ON_REPURCHASES]),
        refunds=refunds,
        refunded=refunded,
        clawed_back=int(tot[k.T_CLAWED]),
        absorbed=int(tot[k.T_ABSORBED]),
        pending=int(tot[k.T_PENDING]),
        debt=int(tot[k.T_DEBT]),
        withdrawn=int(tot[k.T_WITHDRAWN]),
        withdrawal_fees=int(tot[k.T_WFEES]),
        tax_withheld=int(tot[k.T_TAXW]),
    )
    series = Daily(
        day=daily[:, k.D_DAY].copy(),
        joins=daily[:, k.D_JOINS].copy(),
        members=daily[:, k.D_MEMBERS].copy(),
        orders=daily[:, k.D_ORDERS].copy(),
        received=daily[:, k.D_RECEIVED].copy(),
        payouts=daily[:, k.D_PAYOUTS].copy(),
        breakage=daily[:, k.D_BREAKAGE].copy(),
        help_fund=daily[:, k.D_FROZEN].copy(),
        retained=daily[:, k.D_RETAINED].copy(),
        pool=daily[:, k.D_POOL : k.D_POOL + 3].copy(),
        dividend=daily[:, k.D_DIVIDEND : k.D_DIVIDEND + 3].copy(),
        holders=daily[:, k.D_HOLDERS : k.D_HOLDERS + 3].copy(),
        refunds=daily[:, k.D_REFUNDS].copy(),
        refunded=daily[:, k.D_REFUNDED].copy(),
        withdrawn=daily[:, k.D_WITHDRAWN].copy(),
    )
    return SimulationResult(
        plan, stream, ledger, totals, series, upgrades, tree, released, every or None, trace
    )
