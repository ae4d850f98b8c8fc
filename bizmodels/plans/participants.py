"""The participant's view: each member's cash over time, its IRR and payback.

A member pays 699 to join (and more for repurchases and identity packages) and is paid
rewards over time, part of them frozen until it qualifies. `member_cash_flows` reads each
member's *cash position* at the end of every period of a run: what it can withdraw
(``available``: rewards, pool dividends and released help fund) less what it has paid
(``spent``). Frozen help-fund money is not cash until released, so it is left out; what is
still frozen at the end is reported beside.

How it is measured
------------------
The ledger holds each member's totals at the end of a run only. The engine's state at the
end of a day is exactly the ledger of the same stream cut after that day (every rule looks
only backwards, and the day's pool split happens on its last event), so the position at
the end of each period is read by simulating the stream's prefixes, one per period:
exact to the fen, at the cost of one run per period (about ``periods / 2`` runs of the
whole stream). A kernel keeping per-member daily cash would do it in one run, at the
memory cost of members × days.

IRR and payback
---------------
A member's cash flow in a period is the change of its position (the join period's flow
is the first period's earnings less the package). Its IRR is the rate ``r`` per period
with ``Σ_i flow_i / (1 + r)^i = 0``, ``i`` counted from the member's join period,
annualised as ``(1 + r)^(365 / period) − 1``. It is `bizmodels.finance.batch_irr_result`'s
rate, numpy-financial's root, found for all members at once. Conventions:

- a member paid nothing back (every flow ≤ 0, one of them < 0) has an IRR of −100% (−1):
  the limit of the rate as the money returned goes to zero (no rate solves the equation);
- a member with no negative flow (paid back within its join period, and never paying more
  than it earned in a later period) has no IRR (NaN): no money was at risk at a period end;
- flows that change sign once (pay, then get paid) have exactly one rate; flows that
  change sign more than once (a repurchase after rewards) can have several, and the one
  closest to zero is returned (numpy-financial's choice); where the NPV has no zero at
  any rate above −100%, NaN;
- the horizon is the run's: a member who joined late has had little time, and its IRR and
  payback say what happened by the end of the run, not what may come after.

Payback is the number of periods, the join period counted as 1, until the position first
reaches zero or more; 0 if never within the run.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from tabulate import tabulate

from bizmodels import _frames, _html
from bizmodels._format import count, percent
from bizmodels._limits import require_memory
from bizmodels._output import render
from bizmodels._progress import bar, check_progress
from bizmodels._stats import quantiles
from bizmodels.finance import batch_irr_result
from bizmodels.plans.events import JOIN, EventStream, _short
from bizmodels.plans.limits import MAX_PERIODS
from bizmodels.plans.simulation import SimulationResult, simulate
from bizmodels.plans.summary import _show

__all__ = ["MemberCashFlows", "member_cash_flows"]

Lang = Literal["zh", "en"]
Int64s = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]


@dataclass(frozen=True, eq=False)
class MemberCashFlows:
    """Every member's cash position period by period (`SimulationResult.member_cash_flows`).

    Attributes
    ----------
    period : int
        Days per period.
    start_day, end_day : int
        First day of period 0 (the day of the run's first event), and the run's last day.
    position : int64 ndarray, shape (members, periods)
        Fen the member could have withdrawn less fen it had paid, at the end of each
        period; 0 before it joined.
    join_period : int64 ndarray, shape (members,)
        Period in which each member joined.
    frozen : int64 ndarray, shape (members,)
        Fen still frozen in the help fund at the end (not in ``position``).
    """

    period: int
    start_day: int
    end_day: int
    position: Int64s
    join_period: Int64s
    frozen: Int64s

    @property
    def periods(self) -> int:
        """Number of periods."""
        return int(self.position.shape[1])

    @property
    def flows(self) -> Int64s:
        """Cash flows, fen: the change of ``position`` in each period (0 before joining)."""
        return np.diff(self.position, axis=1, prepend=0)

    def payback(self) -> Int64s:
        """Periods until each member's position first reaches zero; 0 if never.

        The join period counts as 1: a member paid back within the period it joined has
        payback 1.
        """
        if self.periods == 0:  # an empty run: nobody joined, nobody paid back
            return np.zeros(self.position.shape[0], np.int64)
        p = np.arange(self.periods)
        ok = (self.position >= 0) & (p[None, :] >= self.join_period[:, None])
        first = np.argmax(ok, axis=1)
        return np.where(ok.any(axis=1), first - self.join_period + 1, 0).astype(np.int64)

    def irr(self, annual: bool = True) -> Floats:
        """Each member's internal rate of return, per year (or per period).

        The rate per period is `bizmodels.finance.batch_irr_result`'s on the member's flows
        from its join period: where there are several (flows changing sign more than
        once), numpy-financial's choice, the one closest to zero; NaN where there is none.
        −1 for a member paid nothing back (all flows ≤ 0, one < 0), NaN for one with no
        negative flow (see `bizmodels.plans.participants` for the conventions). Per year:
        ``(1 + r)^(365 / period) − 1``.
        """
        flows = self.flows
        if flows.size == 0:
            return np.full(flows.shape[0], np.nan)
        rate = batch_irr_result(_aligned(flows, self.join_period)).rate
        # batch_irr has no rate for flows of one sign; nothing came back is −100%.
        rate[(flows <= 0).all(axis=1) & (flows < 0).any(axis=1)] = -1.0
        if not annual:
            return rate
        # expm1/log1p: exact for small rates; log1p(−1) = −inf gives −1
        with np.errstate(divide="ignore", over="ignore"):
            year: Floats = np.expm1(np.log1p(rate) * (365 / self.period))
        return year

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per join period, then one for all members (``joined`` = ``"all"``).

        Keys: ``joined`` (period), ``first_day``, ``last_day``, ``members``,
        ``paid_back`` (share), ``payback_median`` (periods, among those paid back),
        ``irr_p25``, ``irr_median``, ``irr_p75`` (per year), ``position_median`` (yuan).
        """
        irr = self.irr()
        payback = self.payback()
        position = self.position[:, -1] if self.periods else np.zeros(0, np.int64)
        groups: list[tuple[Any, npt.NDArray[np.bool_]]] = [
            (int(p), self.join_period == p) for p in np.unique(self.join_period)
        ]
        groups.append(("all", np.ones(self.join_period.shape[0], bool)))
        out = []
        for key, mask in groups:
            m = int(mask.sum())
            back = payback[mask]
            rates = irr[mask]
            rates = rates[~np.isnan(rates)]
            q = np.quantile(rates, (0.25, 0.5, 0.75)) if rates.size else [math.nan] * 3
            first = int(key) if key != "all" else 0
            last = int(key) if key != "all" else self.periods - 1
            out.append(
                {
                    "joined": key,
                    "first_day": self.start_day + first * self.period,
                    "last_day": min(self.start_day + (last + 1) * self.period - 1, self.end_day),
                    "members": m,
                    "paid_back": float((back > 0).sum()) / m if m else 0.0,
                    "payback_median": (
                        float(np.median(back[back > 0])) if (back > 0).any() else None
                    ),
                    "irr_p25": _none(float(q[0])),
                    "irr_median": _none(float(q[1])),
                    "irr_p75": _none(float(q[2])),
                    # a member's actual position, as the summary's quantiles are
                    "position_median": (
                        Decimal(quantiles(position[mask], (0.5,))[0]) / 100 if m else None
                    ),
                }
            )
        return out

    def to_table(self, fmt: str = "simple", lang: Lang = "en") -> str:
        """The participant's view by join period: paid back, payback, IRR, cash at the end."""
        if lang not in ("zh", "en"):
            raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
        head = (
            (
                "入会期",
                "入会（天）",
                "人数",
                "已回本",
                "回本期数中位数",
                "年化 IRR 25%",
                "年化 IRR 中位数",
                "年化 IRR 75%",
                "期末现金中位数",
            )
            if lang == "zh"
            else (
                "Joined in period",
                "Days",
                "Members",
                "Paid back",
                "Payback, median periods",
                "IRR/year p25",
                "IRR/year median",
                "IRR/year p75",
                "Cash position at the end, median",
            )
        )
        rows = []
        for r in self.to_records():
            label = (
                ("全部" if lang == "zh" else "all") if r["joined"] == "all" else str(r["joined"])
            )
            rows.append(
                (
                    label,
                    f"{r['first_day']}–{r['last_day']}",
                    count(r["members"]),
                    percent(r["paid_back"]),
                    "—" if r["payback_median"] is None else f"{r['payback_median']:g}",
                    _rate(r["irr_p25"]),
                    _rate(r["irr_median"]),
                    _rate(r["irr_p75"]),
                    _show(r["position_median"], "yuan"),
                )
            )
        return tabulate(
            rows,
            headers=head,
            tablefmt=fmt,
            colalign=("left", "left", *["right"] * 7),
            disable_numparse=True,
        )

    def to_pandas(
        self,
        table: Literal["joined", "members", "positions"] = "joined",
        money: _frames.Money = "yuan",
    ) -> Any:
        """The participant's view as a pandas DataFrame.

        Parameters
        ----------
        table : {"joined", "members", "positions"}
            ``"joined"`` (the default): one row per join period, indexed by ``joined``,
            the columns of `to_records` (the row for all members is left out: it is the
            ``"members"`` table taken together). ``"members"``: one row per member
            (ledger row): ``join_period``, ``payback`` (periods; 0 never), ``irr`` (per
            year, nullable Float64: <NA> where there is none), ``position`` (cash at the
            end) and ``frozen``. ``"positions"``: the cash position of each member (rows)
            at the end of each period (a column per period).
        money : {"yuan", "fen", "decimal"}
            The unit of money: float yuan (the default), int64 fen (columns named
            ``position_fen`` …; in ``"positions"`` the values), or exact Decimal.

        Examples
        --------
        >>> from bizmodels.plans import liandong_699, simulate
        >>> events = [("R", None, 0), ("A", "R", 0), ("B", "R", 0), ("C", "R", 0), ("D", "A", 0)]
        >>> cash = simulate(liandong_699(), [*events, ("D", 30)]).member_cash_flows()
        >>> cash.to_pandas("positions").loc[1].tolist()  # A: 160 − 699, then 160 more
        [-539.0, -379.0]
        """
        unit = _frames.check_money(money)
        pd = _frames.pandas()

        def cash(fen: Int64s) -> Any:
            if unit == "yuan":
                return fen / 100
            if unit == "fen":
                return np.array(fen, dtype=np.int64)
            return _frames.fen_column(fen.tolist(), "decimal")

        if table == "joined":
            records = [r for r in self.to_records() if r["joined"] != "all"]
            position = _frames.money_name("position_median", unit)
            return pd.DataFrame(
                {
                    "first_day": np.array([r["first_day"] for r in records], dtype=np.int64),
                    "last_day": np.array([r["last_day"] for r in records], dtype=np.int64),
                    "members": np.array([r["members"] for r in records], dtype=np.int64),
                    "paid_back": np.array([r["paid_back"] for r in records], dtype=np.float64),
                    **{
                        key: pd.array([r[key] for r in records], dtype="Float64")
                        for key in ("payback_median", "irr_p25", "irr_median", "irr_p75")
                    },
                    position: _frames.yuan_column([r["position_median"] for r in records], unit),
                },
                index=pd.Index([r["joined"] for r in records], name="joined", dtype="int64"),
            )
        if table == "members":
            irr = self.irr()
            last = self.position[:, -1] if self.periods else np.zeros(0, np.int64)
            return pd.DataFrame(
                {
                    "join_period": np.array(self.join_period),
                    "payback": self.payback(),
                    "irr": pd.arrays.FloatingArray(irr, np.isnan(irr)),
                    _frames.money_name("position", unit): cash(last),
                    _frames.money_name("frozen", unit): cash(self.frozen),
                },
                index=pd.RangeIndex(self.position.shape[0], name="row"),
            )
        if table == "positions":
            columns = {
                p: cash(np.ascontiguousarray(self.position[:, p])) for p in range(self.periods)
            }
            frame = pd.DataFrame(columns, index=pd.RangeIndex(self.position.shape[0], name="row"))
            frame.columns.name = "period"
            return frame
        raise ValueError(f"table = {table!r}: must be 'joined', 'members' or 'positions'")

    def to_html(self, lang: Lang = "en") -> str:
        """The view by join period as an HTML table, all members first."""
        if lang not in ("zh", "en"):
            raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
        head = (
            ("入会期", "人数", "已回本", "回本期数中位数", "年化 IRR 中位数", "期末现金中位数")
            if lang == "zh"
            else (
                "Joined in period",
                "Members",
                "Paid back",
                "Payback, median periods",
                "IRR/year median",
                "Cash at the end, median",
            )
        )
        records = self.to_records()
        records = records[-1:] + records[:-1]  # all members first: what a reader wants
        rows = [
            [
                (("全部" if lang == "zh" else "all") if r["joined"] == "all" else str(r["joined"])),
                count(r["members"]),
                percent(r["paid_back"]),
                "—" if r["payback_median"] is None else f"{r['payback_median']:g}",
                _rate(r["irr_median"]),
                _show(r["position_median"], "yuan"),
            ]
            for r in records
        ]
        caption = (
            f"会员现金流：每期 {self.period} 天"
            if lang == "zh"
            else f"Members' cash, periods of {self.period} days"
        )
        return _html.table(
            head,
            rows,
            numeric=range(1, 6),
            subtotals={0},
            caption=caption,
            lang=lang,
            more="to_pandas()",
        )

    def _repr_html_(self) -> str:
        return self.to_html()

    def render(self, fmt: str = "table", lang: Lang = "en") -> str:
        """As a terminal table, markdown, JSON or CSV (one row per join period, then all)."""
        return render(
            fmt,
            table=lambda tablefmt: self.to_table(tablefmt, lang),
            records=self.to_records,
            payload=lambda rows: {"period": self.period, "joined": rows},
        )


def member_cash_flows(
    result: SimulationResult, period: int = 30, *, progress: bool | None = None
) -> MemberCashFlows:
    """Each member's cash position at the end of every period of a run.

    Parameters
    ----------
    result : SimulationResult
        The run.
    period : int
        Days per period (30 by default). The run's days must span at most
        `bizmodels.plans.limits.MAX_PERIODS` (10,000) periods: each is one replay of the
        stream's prefix. The positions and the IRR's work arrays must fit in memory
        (48 bytes per member and period), checked before they are made.
    progress : bool or None
        A progress bar of the periods replayed on stderr (tqdm, the ``progress`` extra):
        True always, False never, None (the default) only when stderr is a terminal.

    Returns
    -------
    MemberCashFlows
        Positions, flows, payback and IRR per member.

    Examples
    --------
    The spec's worked example, then A's recruit repurchasing a month later:

    >>> from bizmodels.plans import liandong_699, simulate
    >>> events = [("R", None, 0), ("A", "R", 0), ("B", "R", 0), ("C", "R", 0), ("D", "A", 0)]
    >>> run = simulate(liandong_699(), [*events, ("D", 30)])
    >>> cash = run.member_cash_flows(period=30)
    >>> cash.position[run.row("A")].tolist()  # 160 − 699, then 160 more
    [-53900, -37900]
    >>> cash.payback().tolist()
    [0, 0, 0, 0, 0]
    """
    if isinstance(period, bool) or not isinstance(period, int) or period < 1:
        raise ValueError(f"period = {_short(period)}: must be a whole number of days ≥ 1")
    check_progress(progress)
    stream = result.events
    n = stream.n_members
    if len(stream) == 0:
        empty = np.zeros((0, 0), np.int64)
        none = np.zeros(0, np.int64)
        return MemberCashFlows(period, 0, 0, empty, none, none)
    start = int(stream.day[0])
    periods = (int(stream.day[-1]) - start) // period + 1
    if periods > MAX_PERIODS:
        raise ValueError(
            f"period = {period}: days {start}–{int(stream.day[-1])} make {periods:,} periods; "
            f"at most {MAX_PERIODS:,} (each replays the stream up to its end)"
        )
    # the positions, then the flows, aligned flows and their masks that irr() makes
    require_memory(f"period = {period} ({periods} periods × {n} members)", 48 * n * periods)
    position = np.zeros((n, periods), np.int64)
    joined = np.cumsum(stream.kind == JOIN)
    done = -1
    with bar(progress, periods, "replaying periods", "period") as replayed:
        for p in range(periods):
            replayed.to(p)
            end = int(np.searchsorted(stream.day, start + (p + 1) * period, side="left"))
            if p == periods - 1:
                led = result.ledger  # the whole stream: the run itself
            elif end == done:
                position[:, p] = position[:, p - 1]
                continue
            else:
                prefix = _prefix(stream, end, int(joined[end - 1]))
                led = simulate(result.plan, prefix, withdraw_every=result.withdraw_every).ledger
            m = len(led)
            # what the member holds or has received, less what it paid and owes
            received = led.withdrawn - led.withdrawal_fees - led.tax_withheld
            position[:m, p] = led.available + received - led.debt - led.spent
            done = end
        replayed.to(periods)
    join_period = (result.ledger.join_day - start) // period
    last_day = int(stream.day[-1])
    frozen = result.ledger.frozen.copy()
    return MemberCashFlows(period, start, last_day, position, join_period, frozen)


def _prefix(stream: EventStream, end: int, members: int) -> EventStream:
    # The first ``end`` events: rows are join order, so their members are the first rows.
    return EventStream(
        stream.kind[:end],
        stream.member[:end],
        stream.sponsor[:end],
        stream.day[:end],
        stream.labels[:members],
        None if stream.lines is None else stream.lines[:end],
        source=stream.source,
    )


def _aligned(flows: Int64s, join_period: Int64s) -> Floats:
    # Each member's flows from its own join period, as floats, zero-padded on the right.
    periods = flows.shape[1]
    idx = join_period[:, None] + np.arange(periods)[None, :]
    inside = idx < periods
    rows = np.arange(flows.shape[0])[:, None]
    return np.where(inside, flows[rows, np.minimum(idx, periods - 1)], 0).astype(np.float64)


def _none(value: float) -> float | None:
    return None if math.isnan(value) else value


def _rate(value: float | None) -> str:
    if value is None:
        return "—"
    if value > 10:
        return "> 1,000%"
    return percent(value, places=0)
