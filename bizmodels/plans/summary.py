"""What an analyst reads from a run: the summary, the income disclosure, comparisons.

`SimulationResult.summary` condenses a run into a typed `Summary`: who earned back what
they paid, the distribution of net results, how concentrated earnings are, what the
platform kept and why, the help fund and pools over time, and an honest income disclosure
by rank, by join cohort and by band of net result, with the company's own seeded accounts
reported apart. `compare_plans` runs several plans on one event stream
side by side; `Ensemble` (from `simulate_ensemble`) gives each figure as a distribution
across random growth paths.

Each result is a table in a terminal (``print``), a short table of the `KEY_FIGURES` in a
notebook (``_repr_html_``, ``to_html(lang)``), and DataFrames: ``summary.to_pandas()`` (the
figures), ``to_pandas("ranks")`` and ``to_pandas("cohorts")`` (the income disclosure),
``to_pandas("bands")``;
``comparison.to_pandas()`` (a column per plan); ``ensemble.to_pandas()`` (statistics across
paths) and ``to_pandas("paths")`` (a row per path). Money is in yuan unless
``money="fen"`` or ``"decimal"`` is asked for (`bizmodels._frames`).

Conventions
-----------
- The company's seeded *roots* (members who joined with no sponsor: the accounts a
  company opens itself to start the network) are reported apart, in one line: how many,
  what they earned and their share of all earnings. Every other figure about members (who
  earned back, net results, concentration, ranks, cohorts, bands) is of the
  *participants*, everyone else, so that the company's own accounts do not pass for
  members who did well.
- Every participant counts: those who earned nothing included. A member's *net* result
  is the ledger's ``net``: what the plan paid it (help fund included, less what refunds
  clawed back) less what it paid (packages, repurchases and identity packages, less
  refunds), the withdrawal fees and the income tax withheld (``available + frozen −
  spent`` when nothing settles).
- A participant *earned back* when its net result is ≥ 0; one whose every order was
  refunded and who earned nothing is whole again (net 0) but did not earn back: it is
  counted in the band of its own (``"refunded"``), never as earned back.
- A member's *take-home* is what it actually got or could get in cash (`cash_out`): what
  it withdrew, less fees and tax withheld, plus what it would receive if it withdrew all
  it can now (available, and pending when due, above the withdrawal minimum, after the
  fee and the income tax). It *earned back in cash* when its take-home covers what it
  paid and what it still owes.
- The platform's result is what it received less what it paid, the VAT included in what
  it sold (packages as goods, identity packages as the plan's tax says), the payment
  fees, plus the withdrawal fees it kept (`bizmodels.tax`); the income tax withheld is
  shown apart, as money held for the state.
- Quantiles are members' actual results (the "inverted CDF" rule: the smallest value with
  at least that share of members at or below it), so they are exact fen.
- Shares of earnings: the *top p* are the ``⌈p · members⌉`` members who earned most.
- The Gini coefficient is of earnings (``available + frozen``, never negative) over all
  participants: ``Σ (2i − n − 1) x_i / (n Σ x)`` with ``x`` sorted ascending, ``i`` = 1…n;
  0 when all earn alike, ``(n − 1)/n`` when one member earns everything.
"""

from __future__ import annotations

import html
import math
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal, NamedTuple

import numpy as np
import numpy.typing as npt
from tabulate import tabulate

from bizmodels import _frames, _html, _stats
from bizmodels._format import count, money, percent, yuan
from bizmodels._output import render
from bizmodels.plans._growth import Growth
from bizmodels.plans.base import Plan
from bizmodels.plans.events import EventStream, _short
from bizmodels.plans.liandong import Rank
from bizmodels.plans.limits import MAX_COHORTS
from bizmodels.plans.simulation import Daily, SimulationResult, Totals, simulate
from bizmodels.tax import (
    apply_rate,
    labour_withholding_array,
    payment_fee_fen,
    vat_in_price_fen,
)

__all__ = [
    "KEY_FIGURES",
    "NET_QUANTILES",
    "Band",
    "CashOut",
    "Cohort",
    "Ensemble",
    "Figure",
    "PlanComparison",
    "RankGroup",
    "Summary",
    "cash_out",
    "check_cohorts",
    "compare_plans",
    "gini",
    "plan_name",
    "quantiles",
    "summarise",
    "top_share",
]

Lang = Literal["zh", "en"]
Int64s = npt.NDArray[np.int64]
Unit = Literal["count", "share", "yuan", "ratio", "day", "depth"]
SummaryTable = Literal["figures", "ranks", "cohorts", "bands"]

KEY_FIGURES = (
    "members",
    "earned_back",
    "earned_back_cash",
    "earned_nothing",
    "net_median",
    "net_p90",
    "take_home_mean",
    "top10_share",
    "gini",
    "roots_share",
    "received",
    "paid",
    "payout_ratio",
    "retained",
    "platform_result",
    "recruitment_dependence",
    "help_fund",
)
"""The figures a notebook shows of a summary, a comparison or an ensemble (``_repr_html_``);
`Summary.figures` has them all."""

NET_QUANTILES = (0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1.0)
"""The quantiles of net results a `Summary` reports (0 is the worst member, 1 the best)."""

_Q_KEYS = (
    "net_min",
    "net_p10",
    "net_p25",
    "net_median",
    "net_p75",
    "net_p90",
    "net_p99",
    "net_max",
)
_Q_ZH = ("最差", "10% 分位", "25% 分位", "中位数", "75% 分位", "90% 分位", "99% 分位", "最好")
_Q_EN = (
    "worst",
    "10th percentile",
    "25th percentile",
    "median",
    "75th percentile",
    "90th percentile",
    "99th percentile",
    "best",
)


# -- measures ---------------------------------------------------------------------------


def gini(values: npt.ArrayLike) -> float | None:
    """The Gini coefficient of non-negative amounts; None when there are none or all are 0.

    ``Σ (2i − n − 1) x_i / (n Σ x)`` over ``x`` sorted ascending, ``i`` = 1…n, computed
    exactly (`bizmodels._stats.gini`) and given as the nearest float.

    Amounts are whole numbers (fen, counts) below 2^63 in size, as ints or as floats with
    no fraction; any other value raises ValueError (here and in `top_share`, `quantiles`)
    rather than being truncated.

    Examples
    --------
    Three members earn nothing and one earns everything:

    >>> gini([0, 0, 0, 100])
    0.75
    >>> gini([5, 5, 5, 5])
    0.0
    """
    return _optional(_stats.gini(_whole(values)))


def top_share(values: npt.ArrayLike, p: float) -> float | None:
    """Share of the total taken by the ``⌈p · n⌉`` largest amounts; None when the total is 0.

    Examples
    --------
    >>> top_share([1, 1, 2, 6], 0.25)
    0.6
    """
    return _optional(_stats.top_share(_whole(values), p))


def quantiles(values: npt.NDArray[np.int64], qs: Sequence[float]) -> tuple[int, ...]:
    """Members' actual values at quantiles ``qs``: the smallest with ``F(x) ≥ q``.

    See `bizmodels._stats.quantiles`.

    Examples
    --------
    >>> quantiles(np.array([40, 10, 30, 20]), (0, 0.5, 0.75, 1))
    (10, 20, 30, 40)
    """
    return _stats.quantiles(_whole(values), qs)


def _whole(values: npt.ArrayLike) -> npt.NDArray[np.int64]:
    # The statistics are exact on integer amounts (fen); a fraction of a fen or a number
    # past int64 is refused, never truncated into another value.
    x = np.asarray(values)
    if x.dtype.kind in "bi":
        return x.astype(np.int64, copy=False)
    if x.dtype.kind == "f":
        bad = x[~(np.isfinite(x) & (x == np.trunc(x)) & (np.abs(x) < 2.0**63))]
    else:
        bad = np.array(
            [v for v in x.ravel().tolist() if type(v) is not int or not -(2**63) <= v < 2**63],
            dtype=object,
        )
    if bad.size:
        value = bad.flat[0]
        raise ValueError(
            "values: amounts are whole numbers (fen) below 2^63 in size, got "
            f"{value.item() if isinstance(value, np.generic) else value!r}"
        )
    return x.astype(np.int64, copy=False)


# -- the summary ------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One figure of a summary: key, Chinese and English labels, value and unit.

    ``value`` is an int for counts and days, a `Decimal` in yuan for money, a float for
    shares, ratios and means of counts; None where undefined (a Gini with no earnings).
    """

    key: str
    zh: str
    en: str
    value: int | float | Decimal | None
    unit: Unit

    def label(self, lang: Lang) -> str:
        """The label in ``lang``."""
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Cohort:
    """Members who joined in one slice of the run, in join order: the income disclosure.

    Money is fen. Net results are members' actual values (see the module's conventions).
    """

    index: int
    """1 for the first members to join."""
    first_day: int
    last_day: int
    members: int
    active: int | None
    """Still active at the end (growth streams only)."""
    earned_nothing: float
    """Share who earned nothing at all."""
    earned_back: float
    """Share whose net result is ≥ 0 (see the module's conventions)."""
    net_p10: int
    net_median: int
    net_p90: int
    net_mean: float
    spent_mean: float
    take_home_mean: float
    """Fen: what they received and could withdraw, on average (`CashOut.take_home`)."""
    earned_back_cash: float
    """Share whose take-home covers what they paid and owe (`CashOut.net` ≥ 0)."""


@dataclass(frozen=True)
class RankGroup:
    """Participants of one final rank (MEMBER to V3): the income disclosure by rank.

    Money is fen. Net results are members' actual values (see the module's conventions).
    """

    rank: str
    """The `Rank`'s name: ``"MEMBER"`` … ``"V3"``."""
    zh: str
    en: str
    members: int
    share: float
    """Of all participants."""
    earned_nothing: float
    earned_back: float
    """Share whose net result is ≥ 0 (see the module's conventions)."""
    net_median: int
    """0 when the rank is empty."""
    net_mean: float
    earned: int
    """Fen: what the plan paid them all (help fund included)."""
    earned_share: float | None
    """Their share of all participants' earnings; None when no participant earned."""
    take_home_mean: float
    """Fen: what they received and could withdraw, on average (`CashOut.take_home`)."""
    earned_back_cash: float
    """Share whose take-home covers what they paid and owe (`CashOut.net` ≥ 0)."""


@dataclass(frozen=True)
class Band:
    """Participants whose net result falls in one band, all together summing to 100%."""

    key: str
    zh: str
    en: str
    members: int
    share: float
    net_total: int
    """Fen: the band's net results added up."""
    take_home_total: int
    """Fen: what the band received and could withdraw (`CashOut.take_home`), added up."""


@dataclass(frozen=True, eq=False)
class Summary:
    """What a run means for the members and for the platform (`SimulationResult.summary`).

    Money is integer fen unless said; shares are floats from 0 to 1. `figures` lists
    every figure with labels; `to_table`, `render` and `to_records` present them.

    Attributes
    ----------
    plan : str
        A short name of the plan (``"liandong 699"``).
    members, active, orders, repurchases : int
        Members, roots included; participants still active at the end (None unless the
        stream is a growth stream); packages sold; repurchases among them.
    roots, participants : int
        The company's seeded roots (members with no sponsor), and everyone else.
    roots_earned : int
        Fen the roots earned (help fund included).
    roots_share : float or None
        Their share of all members' earnings (None when nobody earned).
    first_day, last_day : int
        The days of the first and last event.
    by_rank : tuple of int or None
        Participants by final `Rank`, MEMBER to V3 (None for plans without ranks).
    ranks : tuple of RankGroup
        The income disclosure by rank, MEMBER to V3 (empty for plans without ranks).
    depth_max, depth_mean : int, float
        Depth of the placement tree (0 for a root), over all members.
    earned_back, earned_back_available, earned_nothing : float
        Shares of participants whose net result is ≥ 0; whose net result is ≥ 0 without
        the help fund (counting only money they can withdraw or have withdrawn); who
        earned nothing.
    net_quantiles : tuple of int
        Participants' net results at `NET_QUANTILES`, fen.
    net_mean : float
        Participants' mean net result, fen.
    take_home, take_home_median : int
        Fen participants received and could withdraw (`CashOut.take_home`): all of
        them, and the median participant's.
    take_home_mean : float
        The mean, fen.
    earned_back_cash : float
        Share of participants whose take-home covers what they paid and still owe.
    top1_share, top10_share, gini : float or None
        Share of participants' earnings taken by the top 1% and 10% of them; Gini
        coefficient of their earnings. None when no participant earned anything (no share
        of nothing is defined).
    received, packages, identity_packages, paid, retained, breakage : int
        The platform's totals (`Totals`), net of refunds and clawbacks.
    refunds : int
        Orders refunded.
    refunded, clawed_back, absorbed : int
        Fen paid back to buyers; rewards refunds took back; what refunds could not take
        back and the platform bore (`Totals`).
    vat, payment_fees : int
        The VAT included in what the platform sold (packages as goods, identity packages
        as ``plan.tax.identity_packages`` says), and the payment channel's fee on what it
        received, both net of refunds (`bizmodels.tax`).
    withdrawal_fees, tax_withheld, withdrawn, pending, debt : int
        Fees kept on withdrawals; income tax withheld for the state (not the platform's
        money); withdrawn by members (gross); members' money not yet withdrawable; what
        members owe after clawbacks (counted in the result as owed to the platform).
    platform_result : int
        The platform's result after everything: received − paid − VAT − payment fees +
        withdrawal fees.
    payout_ratio : float
        Paid to members (pool dividends included) over packages received.
    breakage_share : float
        Breakage over packages received.
    recruitment_dependence : float
        Share of what orders paid out that joins triggered (`Totals.recruitment_dependence`).
    help_fund, help_fund_peak, help_fund_peak_day, released : int
        The help fund (帮扶基金) at the end, at its highest and the day of it; fen released.
    pools : tuple of int
        V1, V2, V3 pool balances at the end.
    pool_dividends : int
        Pool dividends paid.
    daily : Daily
        The run's daily series (help fund and pools over time).
    cohorts : tuple of Cohort
        The income disclosure by join cohort, participants in join order.
    bands : tuple of Band
        Participants by band of net result.
    """

    plan: str
    members: int
    roots: int
    participants: int
    roots_earned: int
    roots_share: float | None
    active: int | None
    orders: int
    repurchases: int
    first_day: int
    last_day: int
    by_rank: tuple[int, ...] | None
    ranks: tuple[RankGroup, ...]
    depth_max: int
    depth_mean: float
    earned_back: float
    earned_back_available: float
    earned_nothing: float
    net_quantiles: tuple[int, ...]
    net_mean: float
    take_home: int
    take_home_mean: float
    take_home_median: int
    earned_back_cash: float
    top1_share: float | None
    top10_share: float | None
    gini: float | None
    received: int
    packages: int
    identity_packages: int
    paid: int
    retained: int
    breakage: int
    refunds: int
    refunded: int
    clawed_back: int
    absorbed: int
    vat: int
    payment_fees: int
    withdrawal_fees: int
    platform_result: int
    tax_withheld: int
    withdrawn: int
    pending: int
    debt: int
    payout_ratio: float
    breakage_share: float
    recruitment_dependence: float
    help_fund: int
    help_fund_peak: int
    help_fund_peak_day: int
    released: int
    pools: tuple[int, int, int]
    pool_dividends: int
    daily: Daily
    cohorts: tuple[Cohort, ...]
    bands: tuple[Band, ...]

    def figures(self, *, cohorts: bool = False) -> tuple[Figure, ...]:
        """Every figure in reading order; with ``cohorts``, each rank's and cohort's too.

        Rank figures are keyed ``rank_v1_earned_back`` (and ``_net_median``), cohort
        figures ``cohort3_earned_back`` (and ``_net_median``, ``_earned_nothing``), so that
        paths and plans line up by rank and by cohort number.
        """
        out = list(_figures(self))
        if cohorts:
            for g in self.ranks:
                zh, en = f"身份 {g.zh}", f"Rank {g.rank}"
                out.append(
                    Figure(
                        f"rank_{g.rank.lower()}_earned_back",
                        f"{zh}：回本比例",
                        f"{en}: earned back",
                        g.earned_back if g.members else None,
                        "share",
                    )
                )
                median = yuan(g.net_median) if g.members else None
                out.append(
                    Figure(
                        f"rank_{g.rank.lower()}_net_median",
                        f"{zh}：净收益中位数",
                        f"{en}: median net",
                        median,
                        "yuan",
                    )
                )
            for c in self.cohorts:
                rows: tuple[tuple[str, str, str, float | Decimal, Unit], ...] = (
                    ("earned_back", "回本比例", "earned back", c.earned_back, "share"),
                    ("earned_nothing", "零收入比例", "earned nothing", c.earned_nothing, "share"),
                    ("net_median", "净收益中位数", "median net", yuan(c.net_median), "yuan"),
                )
                for what, zh, en, value, unit in rows:
                    zh, en = f"第 {c.index} 批：{zh}", f"Cohort {c.index}: {en}"
                    out.append(Figure(f"cohort{c.index}_{what}", zh, en, value, unit))
        return tuple(out)

    def values(self, *, cohorts: bool = True) -> dict[str, int | float | Decimal | None]:
        """Figure key → value (cohort figures included unless ``cohorts=False``)."""
        return {f.key: f.value for f in self.figures(cohorts=cohorts)}

    def title(self, lang: Lang = "en") -> str:
        """One line naming the plan, the members and the days."""
        if lang == "zh":
            return f"{self.plan}：{self.members:,} 名会员，第 {self.first_day}–{self.last_day} 天"
        return f"{self.plan}: {self.members:,} members, days {self.first_day}–{self.last_day}"

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per figure: ``key``, ``label_zh``, ``label_en``, ``value``, ``unit``."""
        return [_record(f) for f in self.figures()]

    def rank_records(self) -> list[dict[str, Any]]:
        """One dict per rank, MEMBER to V3, money in yuan (`Decimal`)."""
        return [
            {
                "rank": g.rank,
                "label_zh": g.zh,
                "label_en": g.en,
                "members": g.members,
                "share": g.share,
                "earned_nothing": g.earned_nothing,
                "earned_back": g.earned_back,
                "net_median": yuan(g.net_median),
                "net_mean": _yuan_mean(g.net_mean),
                "earned": yuan(g.earned),
                "earned_share": g.earned_share,
                "take_home_mean": _yuan_mean(g.take_home_mean),
                "earned_back_cash": g.earned_back_cash,
            }
            for g in self.ranks
        ]

    def roots_line(self, lang: Lang = "en") -> str:
        """The one line on the company's seeded roots, reported apart from participants."""
        _check_lang(lang)
        took = "—" if self.roots_share is None else percent(self.roots_share)
        earned = money(yuan(self.roots_earned))
        if lang == "zh":
            return (
                f"公司种子账户（无推荐人）{self.roots:,} 个，单列不计入会员数字：所得 {earned} 元，"
                f"占全部收入 {took}；以下会员数字均为其余 {self.participants:,} 名参与者。"
            )
        return (
            f"The company's seeded roots (no sponsor), reported apart: {self.roots:,}, who "
            f"earned {earned} yuan, {took} of all earnings; every member figure below is of "
            f"the other {self.participants:,} participants."
        )

    def cohort_records(self) -> list[dict[str, Any]]:
        """One dict per join cohort, money in yuan (`Decimal`)."""
        return [
            {
                "cohort": c.index,
                "first_day": c.first_day,
                "last_day": c.last_day,
                "members": c.members,
                "active": c.active,
                "earned_nothing": c.earned_nothing,
                "earned_back": c.earned_back,
                "net_p10": yuan(c.net_p10),
                "net_median": yuan(c.net_median),
                "net_p90": yuan(c.net_p90),
                "net_mean": _yuan_mean(c.net_mean),
                "spent_mean": _yuan_mean(c.spent_mean),
                "take_home_mean": _yuan_mean(c.take_home_mean),
                "earned_back_cash": c.earned_back_cash,
            }
            for c in self.cohorts
        ]

    def band_records(self) -> list[dict[str, Any]]:
        """One dict per band of net result, money in yuan (`Decimal`)."""
        return [
            {
                "band": b.key,
                "label_zh": b.zh,
                "label_en": b.en,
                "members": b.members,
                "share": b.share,
                "net_total": yuan(b.net_total),
                "take_home_total": yuan(b.take_home_total),
            }
            for b in self.bands
        ]

    def to_table(self, fmt: str = "simple", lang: Lang = "en") -> str:
        """The figures, the income disclosure by rank and cohort, the bands, as tables.

        Parameters
        ----------
        fmt : str
            Any tabulate format (``"simple"`` for a terminal, ``"github"`` for markdown).
        lang : {"en", "zh"}
            Language of the labels.
        """
        _check_lang(lang)
        head = ("项目", "数值") if lang == "zh" else ("Figure", "Value")
        rows = [(f.label(lang), _show(f.value, f.unit)) for f in self.figures()]
        parts = [
            _heading(self.title(lang), fmt),
            self.roots_line(lang),
            tabulate(
                rows, headers=head, tablefmt=fmt, colalign=("left", "right"), disable_numparse=True
            ),
        ]
        if self.ranks:
            parts += [_heading(_RANK_TITLE[lang], fmt), self.rank_table(fmt, lang)]
        parts += [
            _heading(_COHORT_TITLE[lang].format(n=len(self.cohorts)), fmt),
            self.cohort_table(fmt, lang),
            _heading(_BAND_TITLE[lang], fmt),
            self.band_table(fmt, lang),
        ]
        return "\n\n".join(parts)

    def rank_table(self, fmt: str = "simple", lang: Lang = "en") -> str:
        """The income disclosure by final rank, MEMBER to V3 (participants only)."""
        _check_lang(lang)
        rows = []
        for g in self.ranks:
            empty = not g.members
            rows.append(
                [
                    f"{g.rank} {g.zh}" if lang == "zh" else f"{g.rank} ({g.en})",
                    count(g.members),
                    _show(g.share, "share"),
                    _show(None if empty else g.earned_nothing, "share"),
                    _show(None if empty else g.earned_back, "share"),
                    _show(None if empty else yuan(g.net_median), "yuan"),
                    _show(None if empty else _yuan_mean(g.net_mean), "yuan"),
                    _show(yuan(g.earned), "yuan"),
                    _show(g.earned_share, "share"),
                    _show(None if empty else _yuan_mean(g.take_home_mean), "yuan"),
                    _show(None if empty else g.earned_back_cash, "share"),
                ]
            )
        headers = _RANK_HEAD[lang]
        align = ["left", *["right"] * (len(headers) - 1)]
        return tabulate(rows, headers=headers, tablefmt=fmt, colalign=align, disable_numparse=True)

    def cohort_table(self, fmt: str = "simple", lang: Lang = "en") -> str:
        """The income disclosure by join cohort (do late joiners earn back?)."""
        _check_lang(lang)
        with_active = any(c.active is not None for c in self.cohorts)
        headers = list(_COHORT_HEAD[lang])
        if not with_active:
            del headers[3]
        rows = []
        for c in self.cohorts:
            row = [
                str(c.index),
                f"{c.first_day}–{c.last_day}",
                count(c.members),
                _show(None if c.active is None else c.active / c.members, "share"),
                _show(c.earned_nothing, "share"),
                _show(c.earned_back, "share"),
                _show(yuan(c.net_p10), "yuan"),
                _show(yuan(c.net_median), "yuan"),
                _show(yuan(c.net_p90), "yuan"),
                _show(_yuan_mean(c.net_mean), "yuan"),
                _show(_yuan_mean(c.take_home_mean), "yuan"),
                _show(c.earned_back_cash, "share"),
            ]
            if not with_active:
                del row[3]
            rows.append(row)
        align = ["right", "left", *["right"] * (len(headers) - 2)]
        return tabulate(rows, headers=headers, tablefmt=fmt, colalign=align, disable_numparse=True)

    def band_table(self, fmt: str = "simple", lang: Lang = "en") -> str:
        """Members by band of net result: the whole distribution, zero earners included."""
        _check_lang(lang)
        headers = (
            ("净收益区间", "人数", "占比", "净收益合计", "到手合计")
            if lang == "zh"
            else ("Net result", "Members", "Share", "Net, all of them", "Take-home, all of them")
        )
        rows = [
            (
                b.zh if lang == "zh" else b.en,
                count(b.members),
                _show(b.share, "share"),
                _show(yuan(b.net_total), "yuan"),
                _show(yuan(b.take_home_total), "yuan"),
            )
            for b in self.bands
        ]
        return tabulate(
            rows,
            headers=headers,
            tablefmt=fmt,
            colalign=("left", "right", "right", "right", "right"),
            disable_numparse=True,
        )

    def to_excel(self, path: str | os.PathLike[str]) -> Path:
        """Write an Excel workbook: figures, cohorts and bands, a sheet each (`bizmodels.excel`)."""
        from bizmodels.excel import write_summary

        return write_summary(self, path)

    def render(self, fmt: str = "table", lang: Lang = "en") -> str:
        """As a terminal table, markdown, JSON or CSV (what the CLI prints).

        JSON holds ``title``, ``roots`` (the line on the company's roots), ``figures``,
        ``ranks``, ``cohorts`` and ``distribution`` (money in yuan as numbers, undefined
        values as null). CSV is long: one row per figure, rank field, cohort field and
        band, with a ``section`` column.
        """
        return render(
            fmt,
            table=lambda tablefmt: self.to_table(tablefmt, lang),
            records=self.long_records,
            payload=lambda _: {
                "title": self.title(lang),
                "roots": self.roots_line(lang),
                "figures": self.to_records(),
                "ranks": self.rank_records(),
                "cohorts": self.cohort_records(),
                "distribution": self.band_records(),
            },
        )

    def long_records(self) -> list[dict[str, Any]]:
        """Every figure, rank and cohort field and band as one long list (``section``, …)."""
        rows = [{"section": "figures", **r} for r in self.to_records()]
        for g in self.rank_records():
            for key, value in g.items():
                if key not in ("rank", "label_zh", "label_en"):
                    label = key.replace("_", " ")
                    rows.append(
                        {
                            "section": f"rank {g['rank']}",
                            "key": key,
                            "label_zh": label,
                            "label_en": label,
                            "value": value,
                            "unit": "share" if key.startswith(("earned_", "share")) else "",
                        }
                    )
        for c in self.cohort_records():
            for key, value in c.items():
                if key != "cohort":
                    label = key.replace("_", " ")
                    rows.append(
                        {
                            "section": f"cohort {c['cohort']}",
                            "key": key,
                            "label_zh": label,
                            "label_en": label,
                            "value": value,
                            "unit": "share" if key.startswith("earned") else "",
                        }
                    )
        for b in self.band_records():
            rows.append(
                {
                    "section": "distribution",
                    "key": b["band"],
                    "label_zh": b["label_zh"],
                    "label_en": b["label_en"],
                    "value": b["share"],
                    "unit": "share",
                }
            )
        return rows

    def to_pandas(self, table: SummaryTable = "figures", money: _frames.Money = "yuan") -> Any:
        """One of the summary's tables as a pandas DataFrame.

        Parameters
        ----------
        table : {"figures", "ranks", "cohorts", "bands"}
            ``"figures"`` (the default): one row per figure, indexed by its key (see
            `figures`), with ``label_zh``, ``label_en``, ``value`` and ``unit``;
            ``"ranks"``: the income disclosure by final rank, indexed by ``rank`` (MEMBER
            to V3; empty for plans without ranks); ``"cohorts"``: the income disclosure,
            one row per join cohort, indexed by ``cohort`` (1 for the first to join);
            ``"bands"``: participants by band of net result, indexed by ``band``, the
            shares summing to 1.
        money : {"yuan", "fen", "decimal"}
            The unit of money: float yuan (the default), fen (money columns named
            ``net_median_fen`` …; in the figures, money rows' unit says ``fen``), or exact
            Decimal yuan (object dtype).

        Returns
        -------
        pandas.DataFrame
            Numeric columns: ``value`` is nullable Float64 (a figure with no value, a Gini
            where nobody earned, is <NA>, never NaN); counts are int64, shares float64
            from 0 to 1; ``active`` in the cohorts nullable Int64 (<NA> for a stream that
            is not a growth stream).

        Raises
        ------
        ValueError
            An unknown table or money unit.
        ImportError
            pandas is not installed (``pip install 'bizmodels[pandas]'``).

        Examples
        --------
        >>> from bizmodels.plans import liandong_699, simulate
        >>> events = [("R", None, 0), ("A", "R", 0), ("B", "R", 0), ("C", "R", 0), ("D", "A", 0)]
        >>> s = simulate(liandong_699(), events).summary()
        >>> s.to_pandas().loc["retained", "value"]
        np.float64(3304.0)
        >>> s.to_pandas("bands")["members"].sum()  # the participants: R is the company's
        np.int64(4)
        """
        unit = _frames.check_money(money)
        if table == "figures":
            return _figure_frame(self.figures(), unit)
        if table == "ranks":
            return self._rank_frame(unit)
        if table == "cohorts":
            return self._cohort_frame(unit)
        if table == "bands":
            pd = _frames.pandas()
            bands = self.bands
            return _frames.frame(
                {
                    "label_zh": [b.zh for b in bands],
                    "label_en": [b.en for b in bands],
                    "members": np.array([b.members for b in bands], dtype=np.int64),
                    "share": np.array([b.share for b in bands], dtype=np.float64),
                    _frames.money_name("net_total", unit): _frames.fen_column(
                        [b.net_total for b in bands], unit
                    ),
                    _frames.money_name("take_home_total", unit): _frames.fen_column(
                        [b.take_home_total for b in bands], unit
                    ),
                },
                index=pd.Index([b.key for b in bands], name="band"),
            )
        raise ValueError(f"table = {table!r}: must be 'figures', 'ranks', 'cohorts' or 'bands'")

    def _rank_frame(self, unit: _frames.Money) -> Any:
        pd = _frames.pandas()
        gs = self.ranks
        data: dict[str, Any] = {
            "label_zh": [g.zh for g in gs],
            "label_en": [g.en for g in gs],
            "members": np.array([g.members for g in gs], dtype=np.int64),
            "share": np.array([g.share for g in gs], dtype=np.float64),
            "earned_nothing": np.array([g.earned_nothing for g in gs], dtype=np.float64),
            "earned_back": np.array([g.earned_back for g in gs], dtype=np.float64),
            _frames.money_name("net_median", unit): _frames.fen_column(
                [g.net_median for g in gs], unit
            ),
            _frames.money_name("net_mean", unit): _means([g.net_mean for g in gs], unit),
            _frames.money_name("earned", unit): _frames.fen_column([g.earned for g in gs], unit),
            "earned_share": pd.array([g.earned_share for g in gs], dtype="Float64"),
            _frames.money_name("take_home_mean", unit): _means(
                [g.take_home_mean for g in gs], unit
            ),
            "earned_back_cash": np.array([g.earned_back_cash for g in gs], dtype=np.float64),
        }
        return pd.DataFrame(data, index=pd.Index([g.rank for g in gs], name="rank"))

    def _cohort_frame(self, unit: _frames.Money) -> Any:
        pd = _frames.pandas()
        cs = self.cohorts

        def ints(values: list[int]) -> npt.NDArray[np.int64]:
            return np.array(values, dtype=np.int64)

        data: dict[str, Any] = {
            "first_day": ints([c.first_day for c in cs]),
            "last_day": ints([c.last_day for c in cs]),
            "members": ints([c.members for c in cs]),
            "active": pd.array([c.active for c in cs], dtype="Int64"),
            "earned_nothing": np.array([c.earned_nothing for c in cs], dtype=np.float64),
            "earned_back": np.array([c.earned_back for c in cs], dtype=np.float64),
        }
        for key in ("net_p10", "net_median", "net_p90"):
            fen = [getattr(c, key) for c in cs]
            data[_frames.money_name(key, unit)] = _frames.fen_column(fen, unit)
        for key in ("net_mean", "spent_mean", "take_home_mean"):
            data[_frames.money_name(key, unit)] = _means([getattr(c, key) for c in cs], unit)
        data["earned_back_cash"] = np.array([c.earned_back_cash for c in cs], dtype=np.float64)
        return pd.DataFrame(data, index=pd.Index([c.index for c in cs], name="cohort"))

    def to_html(self, lang: Lang = "en", keys: Sequence[str] | None = None) -> str:
        """The key figures as a short HTML table (`KEY_FIGURES`, or ``keys``).

        The line on the company's roots (`roots_line`) comes under it. The whole summary
        (every figure, the ranks, the cohorts, the bands) is `to_table`; each of its
        tables as a DataFrame is `to_pandas`.
        """
        _check_lang(lang)
        figures = {f.key: f for f in self.figures()}
        chosen = [figures[k] for k in (KEY_FIGURES if keys is None else keys) if k in figures]
        rows = [[f.label(lang), _show(f.value, f.unit)] for f in chosen]
        table = _html.table(
            ("项目", "数值") if lang == "zh" else ("Figure", "Value"),
            rows,
            numeric={1},
            caption=self.title(lang),
            lang=lang,
            max_rows=len(rows),
        )
        roots = html.escape(self.roots_line(lang), quote=False)
        return f"{table}\n<p>{roots}</p>" + _more_line(
            lang,
            f"全部 {len(figures)} 项：to_table()；to_pandas()、to_pandas('ranks')、"
            "to_pandas('cohorts')、to_pandas('bands')",
            f"All {len(figures)} figures: to_table(); as frames: to_pandas(), "
            "to_pandas('ranks'), to_pandas('cohorts'), to_pandas('bands')",
        )

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        # the dataclass's repr would print every field in fen and the whole daily series
        return (
            f"<Summary {self.title()}: earned back {percent(self.earned_back)}, kept by the "
            f"platform {money(yuan(self.retained))} yuan; print() for the tables>"
        )

    def __str__(self) -> str:
        return self.to_table()


def _means(values: list[float], unit: _frames.Money) -> Any:
    # means of fen are not whole fen: float in yuan or fen, Decimal to the fen
    if unit == "decimal":
        return [_yuan_mean(v) for v in values]
    x = np.array(values, dtype=np.float64)
    return x if unit == "fen" else x / 100


def _more_line(lang: Lang, zh: str, en: str) -> str:
    text = zh if lang == "zh" else en
    return f'\n<p style="font-style:italic">{html.escape(text, quote=False)}</p>'


def _figure_values(
    values: Sequence[int | float | Decimal | None], units: Sequence[str], money: _frames.Money
) -> Any:
    # One column of mixed figures: money rows in the unit asked for, the rest as they are;
    # nullable Float64, so that a figure with no value is <NA> (never NaN).
    if money == "decimal":
        return list(values)  # money is exact Decimal yuan already
    pd = _frames.pandas()
    scale = 100 if money == "fen" else 1
    out = [
        None if v is None else float(v) * (scale if u == "yuan" else 1)
        for v, u in zip(values, units, strict=True)
    ]
    return pd.array(out, dtype="Float64")


def _units(units: Sequence[str], money: _frames.Money) -> list[str]:
    return [("fen" if money == "fen" and u == "yuan" else u) for u in units]


def _figure_frame(figures: Sequence[Figure], money: _frames.Money) -> Any:
    pd = _frames.pandas()
    units = [f.unit for f in figures]
    return _frames.frame(
        {
            "label_zh": [f.zh for f in figures],
            "label_en": [f.en for f in figures],
            "value": _figure_values([f.value for f in figures], units, money),
            "unit": _units(units, money),
        },
        index=pd.Index([f.key for f in figures], name="key"),
    )


def plan_name(plan: Plan) -> str:
    """A short name of a plan for titles and columns: its kind and price (`Plan.short_name`).

    Examples
    --------
    >>> from bizmodels.plans import liandong_699
    >>> plan_name(liandong_699()), plan_name(liandong_699(package_price=999))
    ('liandong 699', 'liandong 999')
    """
    return plan.short_name


class CashOut(NamedTuple):
    """What each member could actually withdraw, after the fee and the tax, fen by row.

    See `cash_out`. Every column is an int64 array over the ledger's rows.
    """

    amount: Int64s
    """What it would withdraw now: its available balance and pending money (when due),
    less what it owes, if at least ``settlement.withdrawal_minimum``; else 0."""
    fee: Int64s
    """The withdrawal fee on it: ``floor(withdrawal_fee_rate × amount)``."""
    tax: Int64s
    """The income tax withheld on it, as ``plan.tax.income_tax`` says (one payment)."""
    take_home: Int64s
    """Received so far (withdrawn less fees and tax withheld) plus ``amount − fee − tax``."""
    net: Int64s
    """``take_home − spent`` less any debt still owed: its result in cash, the help fund
    and withdrawals below the minimum left out."""


def cash_out(result: SimulationResult) -> CashOut:
    """What every member would take home if it withdrew everything it can now.

    A member's withdrawable money is its available balance and its pending money (冻结期,
    withdrawable when due), less any debt (which money becoming available repays first,
    docs/concepts/settlement-rules.md). Withdrawn in one go: nothing below the plan's
    ``settlement.withdrawal_minimum``; the fee ``floor(withdrawal_fee_rate × amount)``; the
    income tax ``plan.tax.income_tax`` says, on the amount as one payment (劳务报酬:
    `bizmodels.tax.labour_withholding_array`; a flat rate, rounded half up; or none). The
    help fund (帮扶基金) is not withdrawable and is left out.

    Parameters
    ----------
    result : SimulationResult
        The run.

    Returns
    -------
    CashOut
        Per member: the amount, its fee and tax, the take-home and the cash result.

    Examples
    --------
    R recruits A (200 yuan direct, 40 frozen); at a 1% fee, R could take home 158.40:
    160 less 1.60, no tax below 800 yuan (劳务报酬's deduction).

    >>> from bizmodels.plans import liandong_699, simulate
    >>> plan = liandong_699(settlement={"withdrawal_fee_rate": "0.01"})
    >>> out = cash_out(simulate(plan, [("R", None, 0), ("A", "R", 0)]))
    >>> out.amount.tolist(), out.fee.tolist(), out.tax.tolist(), out.take_home.tolist()
    ([16000, 0], [160, 0], [0, 0], [15840, 0])
    """
    led, plan = result.ledger, result.plan
    rules, tax = plan.settlement, plan.tax
    owed = led.debt - led.available - led.pending
    amount = np.maximum(-owed, 0)
    amount[amount < int(rules.withdrawal_minimum * 100)] = 0
    fee = _times(amount, rules.withdrawal_fee_rate, half_up=False)
    if tax.income_tax == "labour_remuneration":
        withheld = labour_withholding_array(amount)
    elif tax.income_tax == "flat":
        withheld = _times(amount, tax.income_tax_rate, half_up=True)
    else:
        withheld = np.zeros_like(amount)
    take_home = led.withdrawn - led.withdrawal_fees - led.tax_withheld + amount - fee - withheld
    return CashOut(amount, fee, withheld, take_home, take_home - led.spent - np.maximum(owed, 0))


def _times(amount: Int64s, rate: Decimal, *, half_up: bool) -> Int64s:
    # rate × amount to the fen, exactly: floor (the withdrawal fee) or half up (a flat tax).
    # A fee or flat rate has at most 4 decimal places, so amount × num stays in int64 for
    # any balance a run can hold (bizmodels.tax.FEE_PLACES).
    num, den = Fraction(rate).as_integer_ratio()
    out: Int64s = apply_rate(np.asarray(amount, np.int64), num, den, half_up)
    return out


@dataclass(frozen=True)
class _People:
    # The participants' columns the disclosure reads, in join order.
    join_day: Int64s
    rank: npt.NDArray[np.int8]
    net: Int64s
    earned: Int64s
    spent: Int64s
    take_home: Int64s
    cash_net: Int64s
    active: npt.NDArray[np.bool_] | None

    @property
    def refunded_out(self) -> npt.NDArray[np.bool_]:
        # Every order refunded and nothing earned: whole again, but not "earned back".
        whole: npt.NDArray[np.bool_] = (self.spent == 0) & (self.earned == 0)
        return whole

    @property
    def back(self) -> npt.NDArray[np.bool_]:
        return (self.net >= 0) & ~self.refunded_out

    @property
    def back_in_cash(self) -> npt.NDArray[np.bool_]:
        return (self.cash_net >= 0) & ~self.refunded_out

    def rows(self, mask: Any) -> _People:
        return _People(
            self.join_day[mask],
            self.rank[mask],
            self.net[mask],
            self.earned[mask],
            self.spent[mask],
            self.take_home[mask],
            self.cash_net[mask],
            None if self.active is None else self.active[mask],
        )


def summarise(result: SimulationResult, cohorts: int = 10) -> Summary:
    """The `Summary` of a run (`SimulationResult.summary` calls this)."""
    check_cohorts(cohorts)
    led, tot, daily = result.ledger, result.totals, result.daily
    plan, stream = result.plan, result.events
    n = len(led)
    all_earned = led.earned
    cash = cash_out(result)
    # The company's seeded roots apart: every member figure is of the participants.
    part = led.sponsor >= 0
    people = _People(
        led.join_day,
        led.rank,
        led.net,
        all_earned,
        led.spent,
        cash.take_home,
        cash.net,
        stream.active,
    ).rows(part)
    n_part = int(people.net.shape[0])
    net, earned = people.net, people.earned
    withdrawable = net - led.frozen[part]  # the help fund left out
    roots_earned = int(all_earned.sum() - earned.sum())
    everyone = int(all_earned.sum())

    def share(count: int) -> float:
        return count / n_part if n_part else 0.0

    help_fund = daily.help_fund
    peak = int(np.argmax(help_fund)) if len(daily) else 0
    vat, payment_fees = _vat(plan, tot), payment_fee_fen(tot.received, plan.tax.payment_fee_rate)
    return Summary(
        plan=plan_name(plan),
        members=n,
        roots=n - n_part,
        participants=n_part,
        roots_earned=roots_earned,
        roots_share=roots_earned / everyone if everyone else None,
        active=None if people.active is None else int(people.active.sum()),
        orders=tot.orders,
        repurchases=tot.repurchases,
        first_day=int(stream.day[0]) if len(stream) else 0,
        last_day=int(stream.day[-1]) if len(stream) else 0,
        by_rank=(
            tuple(int(c) for c in np.bincount(people.rank, minlength=len(Rank)))
            if plan.ranked
            else None
        ),
        ranks=_ranks(people) if plan.ranked else (),
        depth_max=int(led.depth.max()) if n else 0,
        depth_mean=float(led.depth.mean()) if n else 0.0,
        earned_back=share(int(np.count_nonzero(people.back))),
        earned_back_available=share(
            int(np.count_nonzero((withdrawable >= 0) & ~people.refunded_out))
        ),
        earned_nothing=share(int(np.count_nonzero(earned == 0))),
        net_quantiles=quantiles(net, NET_QUANTILES),
        net_mean=float(net.sum()) / n_part if n_part else 0.0,
        take_home=int(people.take_home.sum()),
        take_home_mean=float(people.take_home.sum()) / n_part if n_part else 0.0,
        take_home_median=quantiles(people.take_home, (0.5,))[0] if n_part else 0,
        earned_back_cash=share(int(np.count_nonzero(people.back_in_cash))),
        top1_share=top_share(earned, 0.01),
        top10_share=top_share(earned, 0.10),
        gini=gini(earned),
        received=tot.received,
        packages=tot.packages,
        identity_packages=tot.identity_packages,
        paid=tot.paid,
        retained=tot.retained,
        breakage=tot.breakage,
        refunds=tot.refunds,
        refunded=tot.refunded,
        clawed_back=tot.clawed_back,
        absorbed=tot.absorbed,
        vat=vat,
        payment_fees=payment_fees,
        withdrawal_fees=tot.withdrawal_fees,
        platform_result=tot.received - tot.paid - vat - payment_fees + tot.withdrawal_fees,
        tax_withheld=tot.tax_withheld,
        withdrawn=tot.withdrawn,
        pending=tot.pending,
        debt=tot.debt,
        payout_ratio=tot.paid / tot.packages if tot.packages else 0.0,
        breakage_share=tot.breakage / tot.packages if tot.packages else 0.0,
        recruitment_dependence=float(tot.recruitment_dependence),
        help_fund=tot.frozen,
        help_fund_peak=int(help_fund[peak]) if len(daily) else 0,
        help_fund_peak_day=int(daily.day[peak]) if len(daily) else 0,
        released=tot.released,
        pools=tot.pools,
        pool_dividends=tot.payouts["pool"],
        daily=daily,
        cohorts=_cohorts(people, cohorts),
        bands=_bands(people, plan.price_fen),
    )


def _vat(plan: Plan, tot: Totals) -> int:
    # VAT included in the prices of what was sold and kept (增值税法: see bizmodels.tax):
    # packages are goods; identity packages what plan.tax.identity_packages says. Each
    # kind on its total for the run, as a period's sales are declared.
    tax = plan.tax
    goods = vat_in_price_fen(tot.packages, tax.vat_rate("goods"))
    return goods + vat_in_price_fen(tot.identity_packages, tax.vat_rate(tax.identity_packages))


def _ranks(people: _People) -> tuple[RankGroup, ...]:
    n = people.rank.shape[0]
    everyone = int(people.earned.sum())
    out = []
    for r in Rank:
        g = people.rows(people.rank == r)
        m = int(g.net.shape[0])
        total = int(g.earned.sum())
        out.append(
            RankGroup(
                rank=r.name,
                zh=r.label_zh,
                en=r.label_en,
                members=m,
                share=m / n if n else 0.0,
                earned_nothing=int(np.count_nonzero(g.earned == 0)) / m if m else 0.0,
                earned_back=int(np.count_nonzero(g.back)) / m if m else 0.0,
                net_median=quantiles(g.net, (0.5,))[0] if m else 0,
                net_mean=float(g.net.sum()) / m if m else 0.0,
                earned=total,
                earned_share=total / everyone if everyone else None,
                take_home_mean=float(g.take_home.sum()) / m if m else 0.0,
                earned_back_cash=int(np.count_nonzero(g.back_in_cash)) / m if m else 0.0,
            )
        )
    return tuple(out)


def check_cohorts(cohorts: object) -> None:
    """Refuse a number of join cohorts that is not an integer from 1 to 10,000, naming it.

    An income disclosure has one row per cohort; past `MAX_COHORTS` it is no longer a
    table anyone reads (and a cohort of fewer than one member is empty).
    """
    if isinstance(cohorts, bool) or not isinstance(cohorts, int) or cohorts < 1:
        raise ValueError(f"cohorts = {_short(cohorts)}: must be an integer ≥ 1")
    if cohorts > MAX_COHORTS:
        raise ValueError(
            f"cohorts = {cohorts}: at most {MAX_COHORTS:,} (one row of the income disclosure each)"
        )


def _cohorts(people: _People, k: int) -> tuple[Cohort, ...]:
    # Equal numbers of members in join order: with fast growth, most members join late,
    # so cohorts of equal days would leave the early ones nearly empty.
    out = []
    for i, rows in enumerate(np.array_split(np.arange(people.net.shape[0]), k), start=1):
        if rows.size == 0:
            continue
        c = people.rows(rows)
        q10, q50, q90 = quantiles(c.net, (0.1, 0.5, 0.9))
        m = int(rows.size)
        out.append(
            Cohort(
                index=i,
                first_day=int(c.join_day[0]),
                last_day=int(c.join_day[-1]),
                members=m,
                active=None if c.active is None else int(c.active.sum()),
                earned_nothing=int(np.count_nonzero(c.earned == 0)) / m,
                earned_back=int(np.count_nonzero(c.back)) / m,
                net_p10=q10,
                net_median=q50,
                net_p90=q90,
                net_mean=float(c.net.sum()) / m,
                spent_mean=float(c.spent.sum()) / m,
                take_home_mean=float(c.take_home.sum()) / m,
                earned_back_cash=int(np.count_nonzero(c.back_in_cash)) / m,
            )
        )
    return tuple(out)


_BANDS = (
    ("refunded", "全部订单已退款，未得收入", "every order refunded, nothing earned"),
    ("earned_nothing", "零收入（所付全部损失）", "earned nothing: lost all they paid"),
    ("lost_most", "收入不足所付一半", "earned less than half of what they paid"),
    ("lost_some", "收入达所付一半但未回本", "earned half or more, but not all they paid"),
    ("ahead_lt_1", "回本，净赚不足一个礼包价", "earned back, ahead by less than one package"),
    ("ahead_1_10", "净赚 1–10 个礼包价", "ahead by 1 to 10 package prices"),
    ("ahead_10", "净赚 10 个礼包价以上", "ahead by 10 package prices or more"),
)
"""Bands of net result: ``key``, Chinese and English labels, in order. The first,
members whose every order was refunded and who earned nothing (whole again, neither
ahead nor behind), is left out of a run where there is none."""


def _bands(people: _People, price: int) -> tuple[Band, ...]:
    net, earned, spent = people.net, people.earned, people.spent
    n = net.shape[0]
    whole = people.refunded_out  # in a band of their own, in no other
    masks = (
        whole,
        (earned == 0) & ~whole,
        (earned > 0) & (2 * earned < spent),
        (2 * earned >= spent) & (earned > 0) & (net < 0),
        (net >= 0) & (net < price) & ~whole,
        (net >= price) & (net < 10 * price),
        net >= 10 * price,
    )
    out = []
    for (key, zh, en), mask in zip(_BANDS, masks, strict=True):
        count = int(np.count_nonzero(mask))
        if key == "refunded" and not count:
            continue  # only where refunds made someone whole: no empty row otherwise
        out.append(
            Band(
                key,
                zh,
                en,
                count,
                count / n if n else 0.0,
                int(net[mask].sum()),
                int(people.take_home[mask].sum()),
            )
        )
    return tuple(out)


_LABELS: dict[str, tuple[str, str, Unit]] = {
    "members": ("会员人数（含种子账户）", "Members, roots included", "count"),
    "roots": ("公司种子账户（单列）", "Company's seeded roots (apart)", "count"),
    "participants": ("参与者（不含种子账户）", "Participants (roots excluded)", "count"),
    "roots_earned": ("种子账户所得", "Earned by the company's roots", "yuan"),
    "roots_share": ("种子账户所得占全部收入", "Roots' share of all earnings", "share"),
    "active": ("期末仍活跃的参与者", "Participants still active at the end", "count"),
    "orders": ("礼包订单（含复购）", "Packages sold (repurchases included)", "count"),
    "repurchases": ("复购订单", "Repurchases", "count"),
    "depth_max": ("安置树最大深度", "Placement tree depth, deepest", "depth"),
    "depth_mean": ("安置树平均深度", "Placement tree depth, mean", "depth"),
    "earned_back": ("已回本（净收益 ≥ 0）", "Earned back (net ≥ 0)", "share"),
    "earned_back_available": (
        "不计帮扶基金已回本",
        "Earned back without the help fund (withdrawable or withdrawn money only)",
        "share",
    ),
    "earned_nothing": ("零收入", "Earned nothing", "share"),
    "net_mean": ("净收益：平均", "Net result, mean", "yuan"),
    "take_home": (
        "到手合计（已提现及现可提现，扣手续费和个税）",
        "Take-home, all participants (withdrawn and withdrawable, after fees and tax)",
        "yuan",
    ),
    "take_home_mean": ("到手：平均", "Take-home, mean", "yuan"),
    "take_home_median": ("到手：中位数", "Take-home, median", "yuan"),
    "earned_back_cash": (
        "按到手现金已回本（到手 ≥ 所付及欠款）",
        "Earned back in cash (take-home ≥ paid and owed)",
        "share",
    ),
    "top1_share": ("收入前 1% 参与者所占份额", "Earnings taken by the top 1%", "share"),
    "top10_share": ("收入前 10% 参与者所占份额", "Earnings taken by the top 10%", "share"),
    "gini": ("收入基尼系数", "Gini coefficient of earnings", "ratio"),
    "received": ("平台收款（扣除退款）", "Platform received, net of refunds", "yuan"),
    "identity_packages": ("其中身份礼包", "of which identity packages", "yuan"),
    "paid": ("支付给会员（扣除追回）", "Paid to members, net of clawbacks", "yuan"),
    "payout_ratio": ("拨出率（支付 / 礼包收入）", "Payout ratio (paid / packages)", "share"),
    "breakage": ("无人领取留归平台", "Breakage (rewards with no recipient)", "yuan"),
    "breakage_share": ("无人领取 / 礼包收入", "Breakage / packages", "share"),
    "retained": ("平台留存", "Kept by the platform", "yuan"),
    "refunds": ("退款订单", "Orders refunded", "count"),
    "refunded": ("退还买家", "Refunded to buyers", "yuan"),
    "clawed_back": ("退款追回的奖励", "Rewards clawed back by refunds", "yuan"),
    "absorbed": ("退款未能追回、平台承担", "Not recovered, borne by the platform", "yuan"),
    "vat": ("销项增值税（价内）", "VAT on what it sold (included in prices)", "yuan"),
    "payment_fees": ("支付手续费", "Payment channel's fees", "yuan"),
    "withdrawal_fees": ("提现手续费收入", "Withdrawal fees kept", "yuan"),
    "platform_result": (
        "平台结果（收款 − 支付 − 增值税 − 支付手续费 + 提现手续费）",
        "Platform's result (received − paid − VAT − payment fees + withdrawal fees)",
        "yuan",
    ),
    "tax_withheld": (
        "代扣个税（代国家扣缴，非平台收入）",
        "Income tax withheld (for the state, not the platform's money)",
        "yuan",
    ),
    "withdrawn": ("会员已提现（含手续费和个税）", "Withdrawn by members, gross", "yuan"),
    "pending": ("待结算（冻结期内）", "Pending (frozen days, not yet withdrawable)", "yuan"),
    "debt": (
        "会员欠款（已计入平台结果）",
        "Owed by members after clawbacks (counted in the result)",
        "yuan",
    ),
    "recruitment_dependence": (
        "拉新依赖度（新人入会触发的支出占比）",
        "Recruitment dependence (payouts triggered by joins)",
        "share",
    ),
    "help_fund": ("帮扶基金期末冻结", "Help fund frozen at the end", "yuan"),
    "help_fund_peak": ("帮扶基金最高冻结", "Help fund at its highest", "yuan"),
    "help_fund_peak_day": ("帮扶基金最高之日", "Day of the help fund's highest", "day"),
    "released": ("帮扶基金已释放", "Help fund released", "yuan"),
    "pool_dividends": ("分红池已分配", "Pool dividends paid", "yuan"),
}
"""Figure key → Chinese label, English label, unit (the figures that are not generated)."""


def _fig(key: str, value: int | float | Decimal | None) -> Figure:
    zh, en, unit = _LABELS[key]
    if isinstance(value, float) and math.isnan(value):
        value = None
    return Figure(key, zh, en, value, unit)


def _figures(s: Summary) -> Iterator[Figure]:
    yield _fig("members", s.members)
    yield _fig("roots", s.roots)
    yield _fig("participants", s.participants)
    if s.active is not None:
        yield _fig("active", s.active)
    yield _fig("orders", s.orders)
    yield _fig("repurchases", s.repurchases)
    if s.by_rank is not None:
        for rank, count in zip(Rank, s.by_rank, strict=True):
            zh, en = f"身份：{rank.label_zh}", f"Rank {rank.name} ({rank.label_en})"
            yield Figure(f"rank_{rank.name.lower()}", zh, en, count, "count")
    yield _fig("depth_max", s.depth_max)
    yield _fig("depth_mean", s.depth_mean)
    yield _fig("earned_back", s.earned_back)
    yield _fig("earned_back_available", s.earned_back_available)
    yield _fig("earned_nothing", s.earned_nothing)
    for key, zh, en, fen in zip(_Q_KEYS, _Q_ZH, _Q_EN, s.net_quantiles, strict=True):
        yield Figure(key, f"净收益：{zh}", f"Net result, {en}", yuan(fen), "yuan")
    yield _fig("net_mean", _yuan_mean(s.net_mean))
    yield _fig("take_home", yuan(s.take_home))
    yield _fig("take_home_mean", _yuan_mean(s.take_home_mean))
    yield _fig("take_home_median", yuan(s.take_home_median))
    yield _fig("earned_back_cash", s.earned_back_cash)
    yield _fig("top1_share", s.top1_share)
    yield _fig("top10_share", s.top10_share)
    yield _fig("gini", s.gini)
    yield _fig("roots_earned", yuan(s.roots_earned))
    yield _fig("roots_share", s.roots_share)
    yield _fig("received", yuan(s.received))
    yield _fig("identity_packages", yuan(s.identity_packages))
    yield _fig("paid", yuan(s.paid))
    yield _fig("payout_ratio", s.payout_ratio)
    yield _fig("breakage", yuan(s.breakage))
    yield _fig("breakage_share", s.breakage_share)
    yield _fig("retained", yuan(s.retained))
    yield _fig("refunds", s.refunds)
    for key in ("refunded", "clawed_back", "absorbed", "vat", "payment_fees", "withdrawal_fees"):
        yield _fig(key, yuan(getattr(s, key)))
    yield _fig("platform_result", yuan(s.platform_result))
    for key in ("tax_withheld", "withdrawn", "pending", "debt"):
        yield _fig(key, yuan(getattr(s, key)))
    yield _fig("recruitment_dependence", s.recruitment_dependence)
    yield _fig("help_fund", yuan(s.help_fund))
    yield _fig("help_fund_peak", yuan(s.help_fund_peak))
    yield _fig("help_fund_peak_day", s.help_fund_peak_day)
    yield _fig("released", yuan(s.released))
    for k, balance in enumerate(s.pools, start=1):
        zh, en = f"V{k} 分红池期末余额", f"Pool V{k} balance at the end"
        yield Figure(f"pool_v{k}", zh, en, yuan(balance), "yuan")
    yield _fig("pool_dividends", yuan(s.pool_dividends))


_RANK_TITLE = {
    "en": (
        "Income disclosure by rank: participants by final rank (net = earned, help fund "
        "included, − paid − fees and tax withheld; take-home: cash after fees and tax)"
    ),
    "zh": (
        "按身份的收入披露：参与者按期末身份（净收益 = 所得（含帮扶基金）− 所付 − 手续费和个税；"
        "到手：扣手续费和个税后的现金）"
    ),
}
_RANK_HEAD = {
    "en": (
        "Rank",
        "Members",
        "Share",
        "Earned nothing",
        "Earned back",
        "Net median",
        "Net mean",
        "Earned, all of them",
        "Share of earnings",
        "Take-home mean",
        "Earned back in cash",
    ),
    "zh": (
        "身份",
        "人数",
        "占比",
        "零收入",
        "已回本",
        "净收益中位数",
        "净收益平均",
        "所得合计",
        "占全部收入",
        "到手平均",
        "按到手已回本",
    ),
}
_COHORT_TITLE = {
    "en": (
        "Income disclosure by join cohort: participants in join order, in {n} equal groups "
        "(net = earned, help fund included, − paid − fees and tax withheld)"
    ),
    "zh": (
        "按入会批次的收入披露：参与者按入会先后分为 {n} 等份（净收益 = 所得（含帮扶基金）− 所付 − "
        "手续费和个税）"
    ),
}
_COHORT_HEAD = {
    "en": (
        "Cohort",
        "Joined (days)",
        "Members",
        "Still active",
        "Earned nothing",
        "Earned back",
        "Net p10",
        "Net median",
        "Net p90",
        "Net mean",
        "Take-home mean",
        "Earned back in cash",
    ),
    "zh": (
        "批次",
        "入会（天）",
        "人数",
        "仍活跃",
        "零收入",
        "已回本",
        "净收益 10% 分位",
        "净收益中位数",
        "净收益 90% 分位",
        "净收益平均",
        "到手平均",
        "按到手已回本",
    ),
}
_BAND_TITLE = {
    "en": "Net results of all participants, zero earners included",
    "zh": "全部参与者的净收益分布（含零收入者）",
}


# -- several plans, several paths --------------------------------------------------------


@dataclass(frozen=True, eq=False)
class PlanComparison:
    """Several plans run on one event stream (`compare_plans`).

    Attributes
    ----------
    results : dict of str to SimulationResult
        Each plan's run, by name.
    summaries : dict of str to Summary
        Each run's summary, by name.
    """

    results: dict[str, SimulationResult]
    summaries: dict[str, Summary]

    def to_records(self, keys: Sequence[str] | None = None) -> list[dict[str, Any]]:
        """One dict per figure: key, labels, unit, then a value per plan.

        Parameters
        ----------
        keys : sequence of str, optional
            Only these figures, in this order (default: all, cohort figures included).
        """
        names = list(self.summaries)
        rows = _aligned([s.figures(cohorts=True) for s in self.summaries.values()], keys)
        return [
            {
                "key": f.key,
                "label_zh": f.zh,
                "label_en": f.en,
                "unit": f.unit,
                **dict(zip(names, values, strict=True)),
            }
            for f, values in rows
        ]

    def to_table(
        self, fmt: str = "simple", lang: Lang = "en", keys: Sequence[str] | None = None
    ) -> str:
        """Figures in rows (cohort figures last), plans in columns.

        ``keys`` picks figures by key, in order (see `Summary.figures`).
        """
        _check_lang(lang)
        names = list(self.summaries)
        rows = _aligned([s.figures(cohorts=True) for s in self.summaries.values()], keys)
        body = [[f.label(lang), *(_show(v, f.unit) for v in values)] for f, values in rows]
        head = ["项目" if lang == "zh" else "Figure", *names]
        first = next(iter(self.summaries.values()))
        title = (
            f"同一事件流（{first.members:,} 名会员）上的 {len(names)} 个方案"
            if lang == "zh"
            else f"{len(names)} plans on one event stream ({first.members:,} members)"
        )
        table = tabulate(
            body,
            headers=head,
            tablefmt=fmt,
            colalign=("left", *["right"] * len(names)),
            disable_numparse=True,
        )
        return f"{_heading(title, fmt)}\n\n{table}"

    def render(self, fmt: str = "table", lang: Lang = "en") -> str:
        """As a terminal table, markdown, JSON or CSV."""
        return render(
            fmt,
            table=lambda tablefmt: self.to_table(tablefmt, lang),
            records=self.to_records,
            payload=lambda rows: {"plans": list(self.summaries), "figures": rows},
        )

    def to_pandas(self, money: _frames.Money = "yuan", keys: Sequence[str] | None = None) -> Any:
        """Figures in rows, plans in columns, as a pandas DataFrame.

        Parameters
        ----------
        money : {"yuan", "fen", "decimal"}
            The unit of the money rows (their ``unit`` says ``fen`` in fen).
        keys : sequence of str, optional
            Only these figures, in this order (default: all, cohort figures included).

        Returns
        -------
        pandas.DataFrame
            Indexed by figure key; ``label_zh``, ``label_en``, ``unit``, then one nullable
            Float64 column per plan, named as in `summaries` (<NA> where a plan lacks the
            figure, a cohort it never filled).
        """
        unit = _frames.check_money(money)
        pd = _frames.pandas()
        rows = _aligned([s.figures(cohorts=True) for s in self.summaries.values()], keys)
        units = [f.unit for f, _ in rows]
        data: dict[str, Any] = {
            "label_zh": [f.zh for f, _ in rows],
            "label_en": [f.en for f, _ in rows],
            "unit": _units(units, unit),
        }
        for j, name in enumerate(self.summaries):
            data[name] = _figure_values([values[j] for _, values in rows], units, unit)
        return _frames.frame(data, index=pd.Index([f.key for f, _ in rows], name="key"))

    def to_html(self, lang: Lang = "en", keys: Sequence[str] | None = None) -> str:
        """The key figures (`KEY_FIGURES`, or ``keys``) of each plan, side by side."""
        _check_lang(lang)
        names = list(self.summaries)
        rows = _aligned(
            [s.figures(cohorts=True) for s in self.summaries.values()],
            KEY_FIGURES if keys is None else keys,
        )
        body = [[f.label(lang), *(_show(v, f.unit) for v in values)] for f, values in rows]
        first = next(iter(self.summaries.values()))
        caption = (
            f"同一事件流（{first.members:,} 名会员）上的 {len(names)} 个方案"
            if lang == "zh"
            else f"{len(names)} plans on one event stream ({first.members:,} members)"
        )
        table = _html.table(
            ["项目" if lang == "zh" else "Figure", *names],
            body,
            numeric=range(1, len(names) + 1),
            caption=caption,
            lang=lang,
            max_rows=len(body),
        )
        return table + _more_line(
            lang,
            "全部数字：to_table()、to_pandas()；每个方案：summaries[名称]",
            "All figures: to_table(), to_pandas(); each plan: summaries[name]",
        )

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        return f"<PlanComparison of {', '.join(self.summaries)}; print() for the table>"

    def __str__(self) -> str:
        return self.to_table()


def compare_plans(
    plans: Mapping[str, Plan] | Sequence[Plan],
    events: EventStream | npt.NDArray[Any] | Sequence[Sequence[Any]],
    *,
    cohorts: int = 10,
    withdraw_every: int | None = None,
) -> PlanComparison:
    """Run two or more plans on the same event stream and summarise them side by side.

    Each plan settles by its own rules (``plan.settlement``, ``plan.tax``), so the table
    shows side by side what refunds, fees and tax do to each: refunds and clawbacks, the
    platform's result after VAT and fees, the income tax withheld, and what members take
    home.

    Parameters
    ----------
    plans : mapping of name to plan, or sequence of plans
        The plans; unnamed ones are named by `plan_name` (numbered if two names clash).
    events : EventStream, structured ndarray or list of tuples
        One stream for all, e.g. from `generate_growth` or `read_events`; checked once.
    cohorts : int
        Join cohorts in each summary.
    withdraw_every : int or None
        The members' withdrawal policy in every run (see `simulate`): every this many
        days each member withdraws its available balance; None: nobody withdraws.

    Returns
    -------
    PlanComparison
        The runs and their summaries, by name.

    Raises
    ------
    ValueError
        Fewer than two plans, or a bad event stream (named by its event index).

    Examples
    --------
    The 699 plan against a 499 version with smaller rewards, on one growth path:

    >>> from bizmodels.plans import generate_growth, liandong_699
    >>> cheap = liandong_699(
    ...     package_price=499, direct_member=140, direct_agent=210, see_point=70,
    ...     differential=(14, 21, 35), pool_contribution=(7, 7, 7),
    ... )
    >>> side = compare_plans([liandong_699(), cheap], generate_growth(members=3000, days=150))
    >>> list(side.summaries)
    ['liandong 699', 'liandong 499']
    >>> [round(s.payout_ratio, 3) for s in side.summaries.values()]
    [0.562, 0.552]

    After refunds (5% of orders), tax and fees: members withdraw every week, and plan B
    keeps a 1% withdrawal fee.

    >>> stream = generate_growth(members=3000, days=150, refund_rate=0.05)
    >>> fee = liandong_699(settlement={"withdrawal_fee_rate": "0.01"})
    >>> side = compare_plans({"A": liandong_699(), "B": fee}, stream, withdraw_every=7)
    >>> keys = ["refunds", "withdrawal_fees", "tax_withheld", "platform_result", "take_home_mean"]
    >>> for r in side.to_records(keys=keys):
    ...     print(r["key"], r["A"], r["B"])
    refunds 168 168
    withdrawal_fees 0 10569.51
    tax_withheld 104946.34 104946.34
    platform_result 873668.3 884237.81
    take_home_mean 320.15 316.70

    B's result is higher by exactly the fees it kept, and its members take home less.
    """
    if isinstance(plans, Mapping):
        named = {str(k): v for k, v in plans.items()}
    else:
        named = {}
        for i, plan in enumerate(plans, start=1):
            name = plan_name(plan)
            named[name if name not in named else f"{i}. {name}"] = plan
    if len(named) < 2:
        raise ValueError(
            f"plans: compare_plans needs two or more plans, got {len(named)}; "
            "use simulate(plan, events).summary() for one"
        )
    stream = EventStream.of(events)
    results = {
        name: simulate(plan, stream, withdraw_every=withdraw_every) for name, plan in named.items()
    }
    return PlanComparison(results, {k: r.summary(cohorts=cohorts) for k, r in results.items()})


@dataclass(frozen=True, eq=False)
class Ensemble:
    """Many random growth paths of one plan (`simulate_ensemble`), figure by figure.

    Attributes
    ----------
    plan : LiandongPlan, DistributionPlan or RefundPlan
        The plan.
    growth : Growth
        The growth assumptions (its ``seed`` is the first path's).
    seeds : tuple of int
        One seed per path, in order.
    summaries : tuple of Summary
        Each path's summary, in the order of ``seeds``.
    """

    plan: Plan
    growth: Growth
    seeds: tuple[int, ...]
    summaries: tuple[Summary, ...]

    QUANTILES = (0.05, 0.5, 0.95)
    """Quantiles across paths shown beside the mean (linear interpolation)."""

    def __len__(self) -> int:
        return len(self.summaries)

    def values(self, key: str) -> npt.NDArray[np.float64]:
        """One figure across paths, as floats (NaN where a path lacks or leaves it undefined).

        Raises
        ------
        KeyError
            No path has this figure; the message lists the keys.
        """
        per_path = [s.values() for s in self.summaries]
        if not any(key in v for v in per_path):
            keys = ", ".join(self.summaries[0].values()) if self.summaries else ""
            raise KeyError(f"no figure {key!r}; valid: {keys}")
        return np.array([_float(v.get(key)) for v in per_path], dtype=np.float64)

    def to_records(self, keys: Sequence[str] | None = None) -> list[dict[str, Any]]:
        """One dict per figure: key, labels, unit, mean, p5, median, p95, min, max.

        Parameters
        ----------
        keys : sequence of str, optional
            Only these figures, in this order (default: all, cohort figures included).
        """
        out = []
        for f, values in _aligned([s.figures(cohorts=True) for s in self.summaries], keys):
            x = np.array([_float(v) for v in values], dtype=np.float64)
            stats = _across(x)
            out.append({"key": f.key, "label_zh": f.zh, "label_en": f.en, "unit": f.unit, **stats})
        return out

    def title(self, lang: Lang = "en") -> str:
        """One line naming the plan, the paths and the growth."""
        g = self.growth
        seeds = f"{self.seeds[0]}…{self.seeds[-1]}" if len(self.seeds) > 1 else str(self.seeds[0])
        if lang == "zh":
            return (
                f"{self.plan.short_name}：{len(self)} 条随机增长路径（种子 {seeds}），"
                f"最多 {g.members:,} 名会员、{g.days} 天"
            )
        return (
            f"{self.plan.short_name}: {len(self)} random growth paths (seeds {seeds}), up to "
            f"{g.members:,} members over {g.days} days"
        )

    def to_table(
        self, fmt: str = "simple", lang: Lang = "en", keys: Sequence[str] | None = None
    ) -> str:
        """Figures in rows; mean, 5th percentile, median and 95th percentile across paths.

        ``keys`` picks figures by key, in order (see `Summary.figures`).
        """
        _check_lang(lang)
        head = (
            ("项目", "平均", "5% 分位", "中位数", "95% 分位")
            if lang == "zh"
            else ("Figure", "Mean", "5%", "Median", "95%")
        )
        body = []
        for r in self.to_records(keys):
            unit = r["unit"]
            shown = [_show(_unfloat(r[k], unit), unit) for k in ("mean", "p5", "median", "p95")]
            body.append([r["label_zh"] if lang == "zh" else r["label_en"], *shown])
        table = tabulate(
            body,
            headers=head,
            tablefmt=fmt,
            colalign=("left", "right", "right", "right", "right"),
            disable_numparse=True,
        )
        return f"{_heading(self.title(lang), fmt)}\n\n{table}"

    def render(self, fmt: str = "table", lang: Lang = "en") -> str:
        """As a terminal table, markdown, JSON or CSV."""
        return render(
            fmt,
            table=lambda tablefmt: self.to_table(tablefmt, lang),
            records=self.to_records,
            payload=lambda rows: {"title": self.title(lang), "figures": rows},
        )

    def to_pandas(
        self, table: Literal["figures", "paths"] = "figures", money: _frames.Money = "yuan"
    ) -> Any:
        """The ensemble as a pandas DataFrame: statistics by figure, or one row per path.

        Parameters
        ----------
        table : {"figures", "paths"}
            ``"figures"`` (the default): one row per figure, indexed by key, with
            ``label_zh``, ``label_en``, ``unit`` and ``mean``, ``p5``, ``median``, ``p95``,
            ``min``, ``max`` across paths (nullable Float64: <NA> where no path defines
            the figure). ``"paths"``: one row per path, indexed by ``seed``, a nullable
            Float64 column per figure key (cohort figures included).
        money : {"yuan", "fen", "decimal"}
            The unit of money figures: float yuan (the default), or fen (their ``unit``
            then says ``fen``); ``"decimal"`` gives Decimal yuan to the fen (object dtype).
        """
        unit = _frames.check_money(money)
        pd = _frames.pandas()
        if table == "figures":
            records = self.to_records()
            units = [r["unit"] for r in records]
            data: dict[str, Any] = {
                "label_zh": [r["label_zh"] for r in records],
                "label_en": [r["label_en"] for r in records],
                "unit": _units(units, unit),
            }
            for stat in ("mean", "p5", "median", "p95", "min", "max"):
                values = [_unfloat(r[stat], u) for r, u in zip(records, units, strict=True)]
                data[stat] = _figure_values(values, units, unit)
            return _frames.frame(data, index=pd.Index([r["key"] for r in records], name="key"))
        if table == "paths":
            rows = _aligned([s.figures(cohorts=True) for s in self.summaries])
            columns = {
                f.key: _figure_values(values, [f.unit] * len(values), unit) for f, values in rows
            }
            return pd.DataFrame(columns, index=pd.Index(list(self.seeds), name="seed"))
        raise ValueError(f"table = {table!r}: must be 'figures' or 'paths'")

    def to_html(self, lang: Lang = "en", keys: Sequence[str] | None = None) -> str:
        """The key figures (`KEY_FIGURES`, or ``keys``) across paths: mean, 5%, median, 95%."""
        _check_lang(lang)
        present = {r["key"] for r in self.to_records()}
        chosen = [k for k in (KEY_FIGURES if keys is None else keys) if k in present]
        head = (
            ("项目", "平均", "5% 分位", "中位数", "95% 分位")
            if lang == "zh"
            else ("Figure", "Mean", "5%", "Median", "95%")
        )
        body = []
        for r in self.to_records(chosen):
            u = r["unit"]
            shown = [_show(_unfloat(r[k], u), u) for k in ("mean", "p5", "median", "p95")]
            body.append([r["label_zh"] if lang == "zh" else r["label_en"], *shown])
        table = _html.table(
            head,
            body,
            numeric={1, 2, 3, 4},
            caption=self.title(lang),
            lang=lang,
            max_rows=len(body),
        )
        return table + _more_line(
            lang,
            "全部数字：to_table()、to_pandas()；每条路径：to_pandas('paths')",
            "All figures: to_table(), to_pandas(); each path: to_pandas('paths')",
        )

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:
        return f"<Ensemble {self.title()}; print() for the table>"

    def __str__(self) -> str:
        return self.to_table()


def _across(x: npt.NDArray[np.float64]) -> dict[str, float | None]:
    ok = x[~np.isnan(x)]
    if ok.size == 0:
        return dict.fromkeys(("mean", "p5", "median", "p95", "min", "max"), None)
    q = np.quantile(ok, Ensemble.QUANTILES)
    return {
        "mean": float(ok.mean()),
        "p5": float(q[0]),
        "median": float(q[1]),
        "p95": float(q[2]),
        "min": float(ok.min()),
        "max": float(ok.max()),
    }


def _aligned(
    per_item: Sequence[Sequence[Figure]], keys: Sequence[str] | None = None
) -> list[tuple[Figure, list[int | float | Decimal | None]]]:
    # Figures by key, in first-seen order (or in the order of ``keys``); an item lacking a
    # figure (a cohort a short path never filled) shows None.
    order: dict[str, Figure] = {}
    for figs in per_item:
        for f in figs:
            order.setdefault(f.key, f)
    if keys is not None:
        unknown = [k for k in keys if k not in order]
        if unknown:
            raise KeyError(f"no figure {unknown[0]!r}; valid: {', '.join(order)}")
        order = {k: order[k] for k in keys}
    maps = [{f.key: f.value for f in figs} for figs in per_item]
    return [(f, [m.get(key) for m in maps]) for key, f in order.items()]


# -- presentation -----------------------------------------------------------------------


def _heading(text: str, fmt: str) -> str:
    return f"**{text}**" if fmt in ("github", "pipe") else text


def _check_lang(lang: str) -> None:
    if lang not in ("zh", "en"):
        raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")


def _yuan_mean(fen: float) -> Decimal:
    # A mean of fen, shown in yuan to the fen.
    return (Decimal(repr(fen)) / 100).quantize(Decimal("0.01"))


def _float(value: int | float | Decimal | Fraction | None) -> float:
    # inside the ensemble's float arrays only: NaN marks a path where a figure is undefined
    return math.nan if value is None else float(value)


def _optional(value: int | float | Decimal | Fraction | None) -> float | None:
    return None if value is None else float(value)


def _unfloat(value: float | None, unit: str) -> int | float | Decimal | None:
    # Statistics across paths come back as floats; show money in yuan to the fen.
    if value is None:
        return None
    if unit == "yuan":
        return Decimal(repr(value)).quantize(Decimal("0.01"))
    return value


def _show(value: int | float | Decimal | None, unit: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if unit == "share":
        return percent(float(value))
    if unit == "yuan":
        return money(Decimal(value))
    if unit == "ratio":
        return f"{float(value):.3f}"
    if unit == "depth" and isinstance(value, float):
        return f"{value:,.1f}"
    return count(value)


def _record(f: Figure) -> dict[str, Any]:
    return {"key": f.key, "label_zh": f.zh, "label_en": f.en, "value": f.value, "unit": f.unit}
