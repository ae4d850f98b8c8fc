"""The random growth of a referral network, as an event stream: `Growth`, `generate_growth`.

The process is described in `bizmodels.plans.growth`, which is where to import these from.
It sits with the event streams, below the simulation: a stream to run plans over, made
without any plan, so that the readings of a run (`bizmodels.plans.summary`) can name the
growth behind an ensemble of paths.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, model_validator

from bizmodels._limits import memory_limit, require_memory
from bizmodels._progress import bar, check_progress
from bizmodels._types import param
from bizmodels.plans.events import EVENT_DTYPE, JOIN, ORDER, REFUND, EventStream
from bizmodels.plans.limits import MAX_GROWTH_DAYS, MAX_MEMBERS, SIM_BYTES_PER_MEMBER

__all__ = [
    "GROWTH_BYTES_PER_EVENT",
    "GROWTH_BYTES_PER_MEMBER",
    "Growth",
    "GrowthStream",
    "daily_probability",
    "generate_growth",
]

DayCallback = Callable[[int, int], None]
"""``progress(day, days)``: called as each day of a growth is generated."""

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


REFUND_WITHIN_DAYS = 7
"""The default of `Growth.refund_within`: the seven days of 七天无理由退货."""

_SEVEN_DAYS = (
    "assumption: the seven days in which online shoppers may return goods without giving a "
    "reason (七天无理由退货, 消费者权益保护法 第二十五条), the window in which refunds come"
)

_AARP = (
    "assumption, after published MLM figures: AARP Foundation 2018 (DeLiema et al., AARP "
    "Study of Multilevel Marketing) found about half of participants quit within a year "
    "(cited from memory, not checked against the published text)"
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
    on average, and ``refund_rate`` refunds per order. A growth that does not fit is
    refused with the estimate, when it is built.

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
    refund_rate: float = param(
        0.0,
        "Share of orders refunded: each order, a join's package or a repurchase, is "
        "refunded with this chance, independently (0: no refunds).",
        "assumption: off",
        ge=0,
        le=1,
        allow_inf_nan=False,
    )
    refund_within: int = param(
        REFUND_WITHIN_DAYS,
        "Days after an order within which its refund comes: on the order's day plus a "
        "whole number of days drawn uniformly from 0 to refund_within − 1.",
        _SEVEN_DAYS,
        ge=1,
        le=MAX_GROWTH_DAYS,
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
        # every order may bring a refund event: refund_rate more events on average
        events = (cap + repurchases) * (1 + self.refund_rate)
        return cap * GROWTH_BYTES_PER_MEMBER + events * GROWTH_BYTES_PER_EVENT

    def _check_size(self) -> None:
        need = self.memory_estimate()
        if need <= memory_limit():
            return
        cap = self.capacity
        size = f"market_size = {cap}" if cap < self.members else f"members = {self.members}"
        joins = cap * (GROWTH_BYTES_PER_MEMBER + GROWTH_BYTES_PER_EVENT)
        if joins <= memory_limit():  # the repurchases make it too large: say what makes them
            size = f"days = {self.days} (with {size}, repurchase_rate = {self.repurchase_rate:g})"
            if self.refund_rate:
                size = f"{size[:-1]}, refund_rate = {self.refund_rate:g})"
        require_memory(size, need)

    @property
    def capacity(self) -> int:
        """Most members the stream can hold: ``min(members, market_size)``."""
        return self.members if self.market_size is None else min(self.members, self.market_size)

    def generate(self, progress: bool | DayCallback | None = None) -> GrowthStream:
        """The event stream of this growth (see `generate_growth` for ``progress``)."""
        if callable(progress):
            return _generate(self, progress)
        with bar(progress, self.days, "growing the network", "day") as days:
            return _generate(self, (lambda day, _: days.to(day)) if days.shown else None)


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
    def active(self) -> npt.NDArray[np.bool_] | None:
        """Members still active when the stream ends (None without ``dropout_day``)."""
        return None if self.dropout_day is None else self.dropout_day < 0


def generate_growth(*, progress: bool | DayCallback | None = None, **growth: Any) -> GrowthStream:
    """A random event stream of a growing referral network, seeded.

    Parameters
    ----------
    progress : bool, None or callable
        A progress bar of the days on stderr (tqdm, the ``progress`` extra): True always,
        False never, None (the default) only when stderr is a terminal (see
        `bizmodels._progress`). A callable is called as ``progress(day, days)`` after each
        day is generated instead, to draw a bar of one's own.
    **growth
        The fields of `Growth`: ``members``, ``days``, ``market_size``, ``recruit_rate``,
        ``repurchase_rate``, ``attrition``, ``roots``, ``preference``, ``refund_rate``,
        ``refund_within``, ``seed``.

    Returns
    -------
    GrowthStream
        Joins, repurchases and refunds in day order, member labels 0 … n−1, ready for
        `simulate` against any number of plans; ``dropout_day`` says who stopped when.

    Raises
    ------
    pydantic.ValidationError
        An unknown argument or a bad value, naming it.

    Notes
    -----
    The process is described in `bizmodels.plans.growth`. Everything after the seed is
    deterministic: the same arguments always give the same stream, on any machine with
    the same numpy (the generator is ``numpy.random.default_rng(seed)``, PCG64; refunds
    draw from a child of the seed, `refund_generator`, so that they change no other draw).

    Examples
    --------
    How big does a network of 10 roots get in 60 days, and how many are still active?

    >>> stream = generate_growth(members=5000, days=60, seed=1)
    >>> stream.n_members, int(stream.active.sum()), int(stream.day[-1])
    (165, 163, 59)
    """
    if not callable(progress):
        check_progress(progress)  # before the growth is checked and generated
    return Growth(**growth).generate(progress)


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
    del kinds, members, sponsors, day_of  # freed before the refunds make a longer copy
    if g.refund_rate > 0:
        events = with_refunds(events, g.refund_rate, g.refund_within, refund_generator(g.seed))
    if progress is not None:
        progress(g.days, g.days)
    stream = EventStream.of(events)
    base = {f.name: getattr(stream, f.name) for f in fields(EventStream)}
    return GrowthStream(**base, growth=g, dropout_day=dropout[:n])


_DRAW_BLOCK = 1 << 20
"""Orders drawn for refunds at a time: the uniform draws take 8 MiB, whatever the stream."""


def refund_generator(seed: int) -> np.random.Generator:
    """The random numbers of a growth's refunds: a child of its seed, apart from the rest.

    The growth itself draws from ``default_rng(seed)``; the refunds draw from the first
    child of ``SeedSequence(seed)`` (`numpy.random.SeedSequence.spawn`), an independent
    stream. So a stream with refunds holds exactly the joins and repurchases of the same
    seed without them, and ``refund_rate=0`` leaves every earlier stream as it was.
    """
    return np.random.default_rng(np.random.SeedSequence(seed).spawn(1)[0])


def with_refunds(
    events: npt.NDArray[Any], rate: float, within: int, rng: np.random.Generator
) -> npt.NDArray[Any]:
    """The events with refunds of a random share of their orders inserted, in day order.

    Parameters
    ----------
    events : ndarray of EVENT_DTYPE
        Joins and repurchase orders in day order (every event is an order).
    rate : float
        Chance that an order is refunded, each independently.
    within : int
        A refunded order comes back on its day plus a whole number of days drawn
        uniformly from 0 to ``within − 1``; a refund that would come after the last day of
        the stream is left out (the stream ends before it is asked for).
    rng : numpy.random.Generator
        Where the draws come from (`refund_generator`): first one uniform number per
        order, in order, then one delay per refunded order.

    Returns
    -------
    ndarray of EVENT_DTYPE
        A new array: each refund (`REFUND`, ``sponsor`` = the event index of the refunded
        order in the new array, ``member`` = its buyer) after every event of its day, the
        refunds of one day in the order of the orders they refund.

    Examples
    --------
    Every order refunded, on its own day (``within=1``):

    >>> ev = np.zeros(3, EVENT_DTYPE)
    >>> ev["member"], ev["sponsor"], ev["day"] = [0, 1, 0], [-1, 0, -1], [0, 0, 1]
    >>> ev["kind"][2] = ORDER
    >>> out = with_refunds(ev, 1.0, 1, np.random.default_rng(0))
    >>> out["kind"].tolist(), out["sponsor"].tolist(), out["day"].tolist()
    ([0, 0, 2, 2, 1, 2], [-1, 0, 0, 1, -1, 4], [0, 0, 0, 0, 1, 1])
    """
    n = events.shape[0]
    day = events["day"]
    # One uniform number per order, block by block (the same numbers as one long draw).
    picked = [
        lo + np.flatnonzero(rng.random(min(_DRAW_BLOCK, n - lo)) < rate)
        for lo in range(0, n, _DRAW_BLOCK)
    ]
    order = np.concatenate(picked) if picked else np.empty(0, np.int64)
    when = day[order] + rng.integers(0, within, order.shape[0])
    kept = when <= day[-1] if n else np.empty(0, np.bool_)
    order, when = order[kept], when[kept]
    # Refunds by day, each day's in the order of the orders they refund (already ascending).
    by_day = np.argsort(when, kind="stable")
    order, when = order[by_day], when[by_day]
    refunds = np.empty(order.shape[0], EVENT_DTYPE)
    refunds["kind"] = REFUND
    refunds["member"] = events["member"][order]
    refunds["day"] = when
    # An order's index in the new array: its old index plus the refunds of earlier days,
    # which all come before it; the refunds of its own day come after the day's events.
    refunds["sponsor"] = order + np.searchsorted(when, day[order], side="left")
    # Each refund goes after the last event of its day (np.insert keeps the given order
    # of refunds inserted at one place).
    return np.insert(events, np.searchsorted(day, when, side="right"), refunds)
