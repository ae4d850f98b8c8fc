"""Event streams for the plan simulation: joins and repurchase orders, checked and coded.

An event stream is what happened in a referral network, in order: members joining (each
buys the entry package and names a sponsor, or none) and members repurchasing (复购). It
can be given three ways:

- a list of tuples: ``(member, sponsor_or_None, day)`` for a join, ``(member, day)`` for a
  repurchase order; member labels are any hashable values but None;
- a structured numpy array of dtype `EVENT_DTYPE`: ``kind`` (`JOIN` 0 or `ORDER` 1),
  ``member`` and ``sponsor`` (non-negative integer ids; sponsor -1 for a root, ignored for
  an order), ``day``;
- a CSV file read by `read_events`.

Every stream is checked in full before anything is simulated: a problem raises a
`ValueError` naming the event index (or the CSV file and line) and what is wrong, so a run
either completes or raises and never leaves a partial ledger.

Limits: days are whole numbers from 0 to 10,000,000; a stream holds at most
2,147,483,645 events and 2,147,483,646 members (the engine's rows and event indices are
32-bit); a CSV label is at most 256 characters and a CSV is read up to 2 GiB (see
`bizmodels.plans.limits`).
"""

from __future__ import annotations

import codecs
import csv
import importlib.util
import io
import operator
import os
import re
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property
from itertools import compress, count, repeat
from os import PathLike
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from bizmodels._errors import shorten
from bizmodels._files import NotRegularFile, open_regular
from bizmodels._limits import memory_limit, require_memory
from bizmodels.plans.limits import (
    MAX_DAY,
    MAX_EVENT_FILE_BYTES,
    MAX_EVENTS,
    MAX_FEN,
    MAX_LABEL,
    MAX_MEMBERS,
)

__all__ = [
    "CSV_COLUMNS",
    "EVENT_DTYPE",
    "JOIN",
    "ORDER",
    "REFUND",
    "WITHDRAWAL",
    "EventStream",
    "Refund",
    "Withdrawal",
    "read_events",
]


JOIN = 0
"""``kind`` of a join event in `EVENT_DTYPE`."""
ORDER = 1
"""``kind`` of a repurchase order in `EVENT_DTYPE`."""
REFUND = 2
"""``kind`` of a refund in `EVENT_DTYPE`: ``sponsor`` holds the refunded order's event index."""
WITHDRAWAL = 3
"""``kind`` of a withdrawal in `EVENT_DTYPE`: ``sponsor`` holds the amount in fen."""


class Refund(NamedTuple):
    """A refund event: the order at event index ``order`` is refunded on ``day``.

    The rules are those of docs/concepts/settlement-rules.md: the buyer is paid back and
    every reward the order paid is reversed; nothing in the network is undone.

    Examples
    --------
    >>> from bizmodels.plans import liandong_699, simulate
    >>> run = simulate(liandong_699(), [("R", None, 0), ("A", "R", 0), Refund(1, 0)])
    >>> run.totals.refunds, int(run.ledger.direct[0])
    (1, 0)
    """

    order: int
    """Event index of the refunded join or repurchase (earlier in the stream)."""
    day: int


class Withdrawal(NamedTuple):
    """A withdrawal event: ``member`` withdraws ``amount`` yuan (whole fen) on ``day``.

    Examples
    --------
    >>> from bizmodels.plans import liandong_699, simulate
    >>> run = simulate(liandong_699(), [("R", None, 0), ("A", "R", 0), Withdrawal("R", 100, 0)])
    >>> int(run.ledger.withdrawn[0]), int(run.ledger.available[0])
    (10000, 6000)
    """

    member: Hashable
    amount: Any
    """Yuan: an int, a Decimal or a string such as ``"99.50"`` (at most 1,000,000)."""
    day: int


EVENT_DTYPE = np.dtype([("kind", "i1"), ("member", "i8"), ("sponsor", "i8"), ("day", "i8")])
"""Structured dtype of an event array.

``kind``: `JOIN` (0), `ORDER` (1), `REFUND` (2) or `WITHDRAWAL` (3); ``member``: the
member's id, an integer ≥ 0 (for a refund, ignored: the refunded order's buyer);
``sponsor``: the sponsor's id for a join, -1 for a root (no sponsor), ignored for an order,
the refunded order's event index for a refund, the amount in fen for a withdrawal;
``day``: the day number, 0 to 10,000,000, never decreasing along the array. Any integer
field types work.
"""

CSV_COLUMNS = ("kind", "member", "sponsor", "day")
"""Columns `read_events` needs, in any order; other columns are ignored."""
CSV_SETTLEMENT_COLUMNS = ("order", "amount")
"""Columns a CSV with refunds (``order``: the event index) or withdrawals (``amount``,
yuan) needs besides `CSV_COLUMNS`."""

_SHAPE = (
    "a join is (member, sponsor or None, day), an order is (member, day), a refund "
    "Refund(order, day), a withdrawal Withdrawal(member, amount, day)"
)


@dataclass(frozen=True, eq=False)
class EventStream:
    """A checked event stream, coded for the simulation engine.

    Members are numbered by row, in the order they join; ``labels[row]`` gives back the
    label the input used. Build one with `EventStream.of` or `read_events`.

    Attributes
    ----------
    kind : int8 ndarray, shape (events,)
        `JOIN`, `ORDER`, `REFUND` or `WITHDRAWAL`.
    member : int32 ndarray, shape (events,)
        Row of the member who joins, orders or withdraws; for a refund, the buyer's.
    sponsor : int32 ndarray, shape (events,)
        Row of the sponsor of a join; -1 for a root and for every order; the refunded
        order's event index for a refund; the amount in fen for a withdrawal.
    day : int64 ndarray, shape (events,)
        Day of each event, never decreasing.
    labels : ndarray, shape (members,)
        Label of each row: int64 when every label is an integer, else objects.
    lines : int64 ndarray or None
        The CSV line of each event when read by `read_events`, for messages.

    Examples
    --------
    >>> stream = EventStream.of([("R", None, 0), ("A", "R", 0), ("A", 1)])
    >>> len(stream), stream.n_members, stream.row("A")
    (3, 2, 1)
    """

    kind: npt.NDArray[np.int8]
    member: npt.NDArray[np.int32]
    sponsor: npt.NDArray[np.int32]
    day: npt.NDArray[np.int64]
    labels: npt.NDArray[Any]
    lines: npt.NDArray[np.int64] | None = None
    _identity: bool = field(default=False, repr=False)
    source: str | None = None
    """The CSV file the stream was read from, for messages."""

    def __len__(self) -> int:
        return int(self.kind.shape[0])

    @property
    def n_members(self) -> int:
        """Number of members who join."""
        return int(self.labels.shape[0])

    @property
    def active(self) -> npt.NDArray[np.bool_] | None:
        """Members still active when the stream ends; None when the stream does not say.

        A stream of joins and orders says nothing of who stopped; a `GrowthStream` does.
        """
        return None

    @cached_property
    def settles(self) -> bool:
        """Whether the stream holds any refund or withdrawal."""
        return bool(np.any(self.kind >= REFUND)) if len(self) else False

    def where(self, index: int) -> str:
        """How messages name event ``index``: ``"event 3"``, or ``"line 5"`` from a CSV."""
        if self.lines is None:
            return f"event {index}"
        line = f"line {int(self.lines[index])}"
        return f"{self.source}, {line}" if self.source else line

    @cached_property
    def _rows(self) -> dict[Hashable, int]:
        return {label: row for row, label in enumerate(self.labels.tolist())}

    def row(self, label: Hashable) -> int:
        """Row of the member with this label.

        Raises
        ------
        KeyError
            No member has this label.
        """
        if self._identity and isinstance(label, int | np.integer) and not isinstance(label, bool):
            if 0 <= int(label) < self.n_members:
                return int(label)
        else:
            try:
                return self._rows[label]
            except (KeyError, TypeError):
                pass
        raise KeyError(f"no member {label!r} in this stream")

    @classmethod
    def of(cls, events: EventStream | npt.NDArray[Any] | Iterable[Sequence[Any]]) -> EventStream:
        """Check and code an event stream given as tuples, an array or a table.

        Parameters
        ----------
        events : list of tuples, structured ndarray, DataFrame or EventStream
            ``(member, sponsor_or_None, day)`` joins and ``(member, day)`` orders in day
            order, or an array of dtype `EVENT_DTYPE`, or a pandas or polars DataFrame or
            a pyarrow Table with the columns of `read_events` (pyarrow, in the extra
            ``fit``). An `EventStream` is returned as is.

        Raises
        ------
        ValueError
            The first bad event, by index: a malformed tuple, an unknown sponsor, a sponsor
            who joins after the member, a member joining twice, an order by a member who
            has not joined, a day going back.
        """
        if isinstance(events, EventStream):
            return events
        if isinstance(events, np.ndarray):
            return _from_array(events)
        if _is_table(events):
            return _from_table(*_table_of(events, None))
        items = events if isinstance(events, list | tuple) else list(events)
        return _coded(items) or _from_tuples(items, None)


def _from_tuples(events: Iterable[Sequence[Any]], lines: Sequence[int] | None) -> EventStream:
    items = events if isinstance(events, list | tuple) else list(events)

    def where(i: int) -> str:
        return f"line {lines[i]}" if lines is not None else f"event {i}"

    # First pass: shape and types, and where each member first joins (for messages that
    # say "joins later, at event k").
    first_join: dict[Hashable, int] = {}
    parsed: list[tuple[bool, Hashable, Hashable, int]] = []
    settling: dict[int, tuple[int, int]] = {}  # event → (kind, order index or fen)
    for i, ev in enumerate(items):
        if isinstance(ev, Refund | Withdrawal):
            day = _day(ev.day, where(i), ev)
            if isinstance(ev, Refund):
                settling[i] = (REFUND, _order_index(ev.order, where(i), i))
                parsed.append((False, None, None, day))
                continue
            m = ev.member
            try:
                hash(m)
            except TypeError:
                raise ValueError(f"{where(i)}: member {m!r} is not hashable; {_SHAPE}") from None
            settling[i] = (WITHDRAWAL, _withdrawal_fen(ev.amount, where(i), m))
            parsed.append((False, m, None, day))
            continue
        if not isinstance(ev, tuple | list) or len(ev) not in (2, 3):
            raise ValueError(f"{where(i)}: malformed event {ev!r}; {_SHAPE}")
        is_join = len(ev) == 3
        m = ev[0]
        s = ev[1] if is_join else None
        day = _day(ev[-1], where(i), ev)
        for role, label in (("member", m), ("sponsor", s)):
            try:
                hash(label)
            except TypeError:
                raise ValueError(
                    f"{where(i)}: {role} {label!r} is not hashable; {_SHAPE}"
                ) from None
        if m is None:
            raise ValueError(f"{where(i)}: member is None in {ev!r}; {_SHAPE}")
        if is_join:
            first_join.setdefault(m, i)
        parsed.append((is_join, m, s, day))

    n_events = len(parsed)
    _check_counts(n_events, len(first_join))
    kind = np.empty(n_events, np.int8)
    member = np.empty(n_events, np.int32)
    sponsor = np.full(n_events, -1, np.int32)
    day_arr = np.empty(n_events, np.int64)
    rows: dict[Hashable, int] = {}
    labels: list[Hashable] = []
    prev_day = 0
    for i, (is_join, m, s, day) in enumerate(parsed):
        if i and day < prev_day:
            raise ValueError(
                f"{where(i)}: day {day} goes back from day {prev_day} of {where(i - 1)}; "
                "events must be in day order"
            )
        prev_day = day
        day_arr[i] = day
        if i in settling:
            code, value = settling[i]
            kind[i] = code
            sponsor[i] = value
            if code == REFUND:
                member[i] = -1  # the buyer's row, filled in by the check of refunds
                continue
            if m not in rows:
                if m in first_join:
                    raise ValueError(
                        f"{where(i)}: withdrawal by member {m!r} before it joins "
                        f"(at {where(first_join[m])})"
                    )
                raise ValueError(f"{where(i)}: withdrawal by member {m!r}, who never joins")
            member[i] = rows[m]
            continue
        if is_join:
            if m in rows:
                raise ValueError(
                    f"{where(i)}: member {m!r} joins twice (first at {where(first_join[m])})"
                )
            if s is not None:
                if s == m:
                    raise ValueError(f"{where(i)}: member {m!r} names itself as sponsor")
                if s not in rows:
                    if s in first_join:
                        raise ValueError(
                            f"{where(i)}: sponsor {s!r} of member {m!r} joins later, "
                            f"at {where(first_join[s])}"
                        )
                    raise ValueError(
                        f"{where(i)}: unknown sponsor {s!r} of member {m!r}: no event joins it"
                    )
                sponsor[i] = rows[s]
            kind[i] = JOIN
            rows[m] = len(labels)
            labels.append(m)
        else:
            if m not in rows:
                if m in first_join:
                    raise ValueError(
                        f"{where(i)}: order by member {m!r} before it joins "
                        f"(at {where(first_join[m])})"
                    )
                raise ValueError(f"{where(i)}: order by member {m!r}, who never joins")
            kind[i] = ORDER
        member[i] = rows[m]
    if settling:
        _check_refunds(kind, member, sponsor, where)
    ints = all(type(x) is int or isinstance(x, np.integer) for x in labels)
    label_arr = np.array(labels, dtype=np.int64) if ints and labels else _objects(labels)
    stream = EventStream(
        kind,
        member,
        sponsor,
        day_arr,
        label_arr,
        None if lines is None else np.asarray(lines, np.int64),
    )
    stream.__dict__["_rows"] = rows  # already built; saves rebuilding it on lookup
    return stream


def _coded(items: Sequence[Any]) -> EventStream | None:
    """The stream of well-formed tuples, coded by whole columns; None for anything else.

    Each label is numbered by the event where it first appears, in one pass of
    ``dict.setdefault`` in C (the same equality as the per-event check's dict); in a valid
    stream that event is the member's join, so its row is the rank of that join. The
    columns are then checked by `_from_array`. Any doubt (a Refund, an odd type, a failed
    check) returns None: the per-event `_from_tuples` then codes the stream or raises its
    exact message, so both paths give one result.
    """
    n = len(items)
    if not n or not set(map(type, items)) <= {tuple, list}:
        return None
    try:
        lengths = np.array(list(map(len, items)), np.int64)
        if not np.all((lengths == 2) | (lengths == 3)):
            return None
        days = list(map(operator.itemgetter(-1), items))
        if not all(t is int or issubclass(t, np.integer) for t in set(map(type, days))):
            return None
        first: dict[Any, int] = {}
        seen = np.array(
            list(map(first.setdefault, map(operator.itemgetter(0), items), count())), np.int64
        )
        if None in first:
            return None
        first[None] = -1
        is_join = lengths == 3
        joins = compress(items, is_join.tolist())
        sponsor_at = np.full(n, -1, np.int64)
        sponsor_at[is_join] = list(map(first.get, map(operator.itemgetter(1), joins), repeat(-2)))
        row_of = np.cumsum(is_join) - 1  # an event's rank among the joins, at the joins
        starts = np.zeros(n, bool)
        starts[seen] = True  # the events where a label first appears
        if not np.array_equal(starts, is_join):
            return None  # a label first seen in an order, or joining twice: per event
        arr = np.empty(n, EVENT_DTYPE)
        arr["kind"] = np.where(is_join, JOIN, ORDER)
        arr["member"] = row_of[seen]
        arr["sponsor"] = np.where(
            is_join & (sponsor_at >= 0), row_of[np.maximum(sponsor_at, 0)], sponsor_at
        )
        arr["day"] = np.array(days, np.int64)
        coded = _from_array(arr)
    except (ValueError, TypeError, OverflowError, KeyError):
        return None
    del first[None]
    labels = list(first)
    if not coded._identity or len(labels) != coded.n_members:
        return None
    ints = all(t is int or issubclass(t, np.integer) for t in set(map(type, labels)))
    label_arr = np.array(labels, dtype=np.int64) if ints else _objects(labels)
    return EventStream(coded.kind, coded.member, coded.sponsor, coded.day, label_arr)


def _order_index(value: Any, where: str, i: int) -> int:
    index = None if isinstance(value, bool) else getattr(value, "__index__", None)
    if index is None:
        raise ValueError(
            f"{where}: a refund names an order by its event index (an integer), got {_short(value)}"
        )
    ref = int(index())
    if not 0 <= ref < i:
        raise ValueError(f"{where}: refund of event {ref}, which is not an earlier event")
    return ref


def _withdrawal_fen(value: Any, where: str, member: Hashable) -> int:
    # Yuan as given, exactly: an int, a Decimal, a string (a float by its shortest repr).
    what = f"{where}: withdrawal of {_short(value)} by member {member!r}"
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise ValueError(f"{what}: the amount must be a number of yuan")
    try:
        amount = Decimal(repr(value) if isinstance(value, float) else str(value).strip())
    except InvalidOperation:
        raise ValueError(f"{what}: the amount must be a number of yuan") from None
    if not amount.is_finite():
        raise ValueError(f"{what}: the amount must be a finite number of yuan")
    if amount <= 0:
        raise ValueError(f"{what}: the amount must be more than 0 yuan")
    fen = amount * 100
    if fen != fen.to_integral_value():
        raise ValueError(f"{what}: the amount must be whole fen (at most 2 decimal places)")
    if fen > MAX_FEN:
        raise ValueError(f"{what}: at most {MAX_FEN // 100:,} yuan in one withdrawal")
    return int(fen)


def _check_refunds(
    kind: npt.NDArray[np.int8],
    member: npt.NDArray[np.int32],
    sponsor: npt.NDArray[np.int32],
    where: Callable[[int], str],
) -> None:
    """Check every refund against the stream and fill in its buyer's row, vectorised.

    A refund names an earlier join or order (``sponsor`` holds its index) that no earlier
    refund named; ``member`` becomes that order's buyer.
    """
    at = np.flatnonzero(kind == REFUND)
    ref = sponsor[at].astype(np.int64)
    bad = (ref < 0) | (ref >= at)
    problems: list[tuple[int, str]] = []
    if bad.any():
        i = int(at[np.argmax(bad)])
        problems.append((i, f"refund of event {int(sponsor[i])}, which is not an earlier event"))
    safe = np.where(bad, 0, ref)
    settles = ~bad & (kind[safe] >= REFUND)
    if settles.any():
        i = int(at[np.argmax(settles)])
        what = "a refund" if kind[sponsor[i]] == REFUND else "a withdrawal"
        problems.append(
            (i, f"refund of event {int(sponsor[i])}, which is {what}, not a join or an order")
        )
    order = np.argsort(ref, kind="stable")
    twice = np.flatnonzero((ref[order][1:] == ref[order][:-1]) & ~bad[order][1:]) + 1
    if twice.size:
        second = at[order[twice]]
        j = int(np.argmin(second))
        first_at = int(at[order[twice[j] - 1]])
        i = int(second[j])
        problems.append(
            (i, f"refund of event {int(sponsor[i])}, already refunded at {where(first_at)}")
        )
    if problems:
        i, message = min(problems)
        raise ValueError(f"{where(i)}: {message}")
    member[at] = member[ref]


def _objects(labels: list[Hashable]) -> npt.NDArray[Any]:
    out = np.empty(len(labels), dtype=object)
    out[:] = labels
    return out


def _day(value: Any, where: str, ev: object) -> int:
    if isinstance(value, bool):
        raise ValueError(f"{where}: day must be an integer, got {value!r} in {ev!r}")
    try:
        day = operator.index(value)
    except TypeError:
        raise ValueError(
            f"{where}: day must be an integer, got {_short(value)} in {_short(ev)}; {_SHAPE}"
        ) from None
    if not 0 <= day <= MAX_DAY:
        raise ValueError(f"{where}: day {_short(day)} is out of range; {_DAYS}")
    return day


_DAYS = f"days are whole numbers from 0 to {MAX_DAY:,}"


def _short(value: object, width: int = 40) -> str:
    # A value as messages show it: its repr, cut short, so that one line stays one line.
    return shorten(repr(value), width, say_length=True)


def _check_counts(n_events: int, n_members: int) -> None:
    # Rows and event indices are int32 in the engine (`bizmodels.plans.limits`).
    if n_events > MAX_EVENTS:
        raise ValueError(
            f"events = {n_events:,}: a stream holds at most {MAX_EVENTS:,} events "
            "(event indices are 32-bit in the engine)"
        )
    if n_members > MAX_MEMBERS:
        raise ValueError(
            f"members = {n_members:,}: a stream holds at most {MAX_MEMBERS:,} members "
            "(member rows are 32-bit in the engine)"
        )


_BLOCK = 1 << 16
"""Events checked and coded at a time: the temporaries of a check stay small (a few hundred
kB) however long the stream, so checking a million events costs no more memory than the
coded stream itself."""


def _blocks(n_events: int) -> Iterator[tuple[int, int]]:
    for lo in range(0, n_events, _BLOCK):
        yield lo, min(lo + _BLOCK, n_events)


def _from_array(arr: npt.NDArray[Any]) -> EventStream:
    names = arr.dtype.names or ()
    missing = [c for c in CSV_COLUMNS if c not in names]
    if missing:
        raise ValueError(
            f"an event array needs the fields {', '.join(CSV_COLUMNS)} (EVENT_DTYPE); "
            f"missing: {', '.join(missing)}"
        )
    if arr.ndim != 1:
        raise ValueError(f"an event array is one-dimensional, got shape {arr.shape}")
    for c in CSV_COLUMNS:
        if not np.issubdtype(arr.dtype[c], np.integer):
            raise ValueError(f"event field {c!r} must be integers, got {arr.dtype[c]}")
    if arr.shape[0] > MAX_EVENTS:
        _check_counts(int(arr.shape[0]), 0)
    # The coded stream, the checked day column and the block temporaries (more when the
    # ids are not 0..n-1 in join order: a sort of the joins' ids).
    require_memory(f"events = {arr.shape[0]}", arr.shape[0] * _ARRAY_BYTES_PER_EVENT)
    # Field views, not copies: a million-event array is checked without duplicating it.
    kind = arr["kind"]
    member = arr["member"]
    sponsor = arr["sponsor"]
    day = np.ascontiguousarray(arr["day"], dtype=np.int64)
    n_events = kind.shape[0]
    problems: dict[str, tuple[int, str]] = {}

    def first(
        problem: str, hits: npt.NDArray[np.intp], lo: int, message: Callable[[int], str]
    ) -> None:
        # Record the earliest offending event of one kind of problem (blocks come in order).
        if hits.size and problem not in problems:
            i = lo + int(hits[0])
            problems[problem] = (i, message(i))

    # Checks of each event alone, the number of joins, and whether the joins' ids are
    # 0..n-1 in join order (a generated stream: then the id is the row).
    n = 0
    identity = True
    for lo, hi in _blocks(n_events):
        k = kind[lo:hi]
        m = member[lo:hi]
        is_join = k == JOIN
        first(
            "kind",
            np.flatnonzero((k < JOIN) | (k > WITHDRAWAL)),
            lo,
            lambda i: f"kind {kind[i]} is none of JOIN (0), ORDER (1), REFUND (2), WITHDRAWAL (3)",
        )
        first(
            "member",
            np.flatnonzero((m < 0) & (k != REFUND)),
            lo,
            lambda i: f"member id {member[i]} is negative; ids are integers ≥ 0",
        )
        first(
            "refund",
            np.flatnonzero(
                (k == REFUND) & ((sponsor[lo:hi] < 0) | (sponsor[lo:hi] >= np.arange(lo, hi)))
            ),
            lo,
            lambda i: f"refund of event {sponsor[i]}, which is not an earlier event",
        )
        first(
            "withdrawal",
            np.flatnonzero((k == WITHDRAWAL) & ((sponsor[lo:hi] < 1) | (sponsor[lo:hi] > MAX_FEN))),
            lo,
            lambda i: (
                f"withdrawal of {sponsor[i]} fen by member {member[i]}: the amount must be "
                f"1 to {MAX_FEN:,} fen"
            ),
        )
        first(
            "sponsor",
            np.flatnonzero(is_join & (sponsor[lo:hi] < -1)),
            lo,
            lambda i: f"sponsor id {sponsor[i]} is negative; ids are integers ≥ 0, -1 for none",
        )
        start = max(lo, 1)
        first(
            "day range",
            np.flatnonzero((day[lo:hi] < 0) | (day[lo:hi] > MAX_DAY)),
            lo,
            lambda i: f"day {day[i]} is out of range; {_DAYS}",
        )
        first(
            "day",
            np.flatnonzero(day[start:hi] < day[start - 1 : hi - 1]) + (start - lo),
            lo,
            lambda i: (
                f"day {day[i]} goes back from day {day[i - 1]} of event {i - 1}; "
                "events must be in day order"
            ),
        )
        ids = m[is_join]
        if identity:
            identity = bool(np.array_equal(ids, np.arange(n, n + ids.shape[0])))
        n += int(ids.shape[0])
    if n > MAX_MEMBERS:
        _check_counts(0, n)

    # Other ids: the joins' ids sorted (``uid``), with the event (``ujoin``) and the row
    # (``urow``, the rank of the join among the joins) of each.
    labels: npt.NDArray[Any] = np.arange(n, dtype=member.dtype)
    uid: npt.NDArray[Any] = labels
    ujoin: npt.NDArray[np.intp] = np.zeros(0, np.intp)
    urow: npt.NDArray[np.intp] = np.zeros(0, np.intp)
    if not identity:
        joins = np.flatnonzero(kind == JOIN)
        labels = member[joins]
        order = np.argsort(labels, kind="stable")
        sid = labels[order]
        repeat = np.flatnonzero(sid[1:] == sid[:-1]) + 1
        if repeat.size:
            second = joins[order[repeat]]
            j = int(np.argmin(second))
            i = int(second[j])
            first_at = int(joins[order[np.searchsorted(sid, sid[repeat[j]])]])
            problems["twice"] = (i, f"member {member[i]} joins twice (first at event {first_at})")
        keep = np.ones(sid.shape[0], bool)
        keep[repeat] = False
        uid = sid[keep]
        urow = order[keep]
        ujoin = joins[urow]
        del joins, order, sid, keep

    def lookup(x: npt.NDArray[Any]) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.intp]]:
        """Whether each id ever joins, and at which event (meaningless where not)."""
        pos = np.minimum(np.searchsorted(uid, x), max(uid.shape[0] - 1, 0))
        found = uid[pos] == x if uid.shape[0] else np.zeros(x.shape, bool)
        return found, ujoin[pos] if uid.shape[0] else np.zeros(x.shape, np.intp)

    def joins_at(i: int) -> int:
        """The event at which the id of ``sponsor[i]`` or ``member[i]`` (as asked) joins."""
        x = int(sponsor[i]) if kind[i] == JOIN else int(member[i])
        if identity:
            return int(np.flatnonzero(kind == JOIN)[x])
        return int(lookup(np.array([x]))[1][0])

    # Checks against the joins: each sponsor and each ordering member must have joined
    # before. With ids 0..n-1 in join order, id x is the x-th join: no lookup needed.
    n_before = 0  # joins before the block
    for lo, hi in _blocks(n_events):
        k = kind[lo:hi]
        m = member[lo:hi]
        is_join = k == JOIN
        js = np.flatnonzero(is_join & (sponsor[lo:hi] >= 0))
        sp = sponsor[lo:hi][js]
        mj = m[js]
        if identity:
            found = sp < n
            later = found & (sp > mj)
        else:
            found, at = lookup(sp)
            later = found & (at > js + lo)
        first(
            "unknown sponsor",
            js[~found],
            lo,
            lambda i: f"unknown sponsor {sponsor[i]} of member {member[i]}: no event joins it",
        )
        first(
            "self",
            js[found & (sp == mj)],
            lo,
            lambda i: f"member {member[i]} names itself as sponsor",
        )
        first(
            "later",
            js[later],
            lo,
            lambda i: (
                f"sponsor {sponsor[i]} of member {member[i]} joins later, at event {joins_at(i)}"
            ),
        )
        os_ = np.flatnonzero((k == ORDER) | (k == WITHDRAWAL))
        mo = m[os_]
        if identity:
            found = (mo >= 0) & (mo < n)
            # joins before each order: the order itself is not one
            early = found & (mo >= n_before + np.cumsum(is_join)[os_])
        else:
            found, at = lookup(mo)
            early = found & (at > os_ + lo)
        first("never", os_[~found], lo, lambda i: f"{_what(kind[i])} {member[i]}, who never joins")
        first(
            "early",
            os_[early],
            lo,
            lambda i: f"{_what(kind[i])} {member[i]} before it joins (at event {joins_at(i)})",
        )
        n_before += int(np.count_nonzero(is_join))
    if problems:
        i, message = min(problems.values())
        raise ValueError(f"event {i}: {message}")

    # Rows are join order: the row of an id is the rank of its join among the joins.
    kind_out = np.empty(n_events, np.int8)
    member_row = np.empty(n_events, np.int32)
    sponsor_row = np.empty(n_events, np.int32)
    settles = False
    for lo, hi in _blocks(n_events):
        k = kind[lo:hi]
        is_join = k == JOIN
        kind_out[lo:hi] = k
        refund = k == REFUND
        # a refund's member field is ignored (the buyer's row comes from its order)
        m = member[lo:hi]
        s = sponsor[lo:hi]
        has = is_join & (s >= 0)
        carried = refund | (k == WITHDRAWAL)  # the order's index, or the amount in fen
        settles = settles or bool(carried.any())
        if identity:
            member_row[lo:hi] = np.where(refund, -1, m)
            sponsor_row[lo:hi] = np.where(has | carried, s, -1)
        else:
            rows = member_row[lo:hi]
            rows[:] = -1
            rows[~refund] = urow[np.searchsorted(uid, m[~refund])]
            rows = sponsor_row[lo:hi]
            rows[:] = -1
            rows[has] = urow[np.searchsorted(uid, s[has])]
            rows[carried] = s[carried]
    if settles:
        _check_refunds(kind_out, member_row, sponsor_row, lambda i: f"event {i}")
    return EventStream(kind_out, member_row, sponsor_row, day, labels, None, identity)


def _what(kind: Any) -> str:
    return "withdrawal by member" if kind == WITHDRAWAL else "order by member"


def read_events(source: Any, *, query: str | None = None) -> EventStream:
    r"""Read a log of joins and orders: a CSV, a Parquet file, a DataFrame, a DuckDB query.

    The file has a header naming the columns ``kind,member,sponsor,day`` (in any order;
    other columns are ignored). Each row is one event, in day order:

    - ``kind``: ``join``, ``order`` (a repurchase), ``refund`` or ``withdrawal`` (case and
      spaces ignored); a refund names the refunded order's event index (counted from 0
      over the data rows) in a column ``order``, and may name its buyer as ``member``; a
      withdrawal its yuan in a column ``amount`` (docs/concepts/settlement-rules.md);
    - ``member``: the member's label (text; ``"17"`` and ``"u17"`` alike), at most 256
      characters;
    - ``sponsor``: the sponsor's label for a join, empty for a root; empty for an order;
    - ``day``: a whole day number from 0 to 10,000,000 (digits only), never decreasing.

    The other sources hold the same columns (``kind`` as text or as the codes 0-3,
    labels of any one type, kept as they are: integers stay integers; a null or empty
    sponsor for none); their events are named by row, counted from 0 (the event index).
    They need pyarrow (and duckdb for a query), in the extra ``fit``. Every source is
    checked and coded by whole columns (labels numbered by a hash table in C, in Arrow or
    a dict); when a check fails, the log is read again event by event for the message.

    Parameters
    ----------
    source : str or path-like, DataFrame, pyarrow Table, or DuckDB connection
        The CSV file (UTF-8, a BOM is allowed): a regular file, or a link to one. At most
        2 GiB is read, whatever the file system says its size is. A path ending in
        ``.parquet`` or ``.pq`` is read as Parquet. With ``query``, a DuckDB connection.
    query : str, optional
        The SQL whose result is the log, run on the connection ``source``.

    Returns
    -------
    EventStream
        Labels are the text of the ``member`` column.

    Raises
    ------
    ValueError
        Naming the file and, for a bad row, its line number (the header is line 1), with
        the problem: not a regular file (a directory, a FIFO, a device), too large, not
        UTF-8, a missing column, an unknown kind, a day that is not a whole number in
        range, a label too long, or any of the stream errors of `EventStream.of`.
        `bizmodels._limits.SizeError` (a ValueError) when the events would not fit in
        memory.
    OSError
        The file cannot be opened (missing, no permission).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "log.csv"
    >>> _ = path.write_text("kind,member,sponsor,day\njoin,R,,0\njoin,A,R,0\norder,A,,1\n")
    >>> stream = read_events(path)
    >>> len(stream), list(stream.labels)
    (3, ['R', 'A'])
    """
    if query is not None or _is_table(source):
        return _from_table(*_table_of(source, query))
    name = os.fsdecode(os.fspath(source))
    if name.lower().endswith((".parquet", ".pq")):
        return _from_table(*_table_of(source, None))
    try:
        opened = open_regular(name)
    except NotRegularFile as exc:
        raise ValueError(
            f"{name}: {exc.kind}, not a regular file; give the path of an event CSV"
        ) from None
    with opened as raw:
        try:
            stream = _read_whole(raw, name)
            if stream is not None:
                _check_buyers(stream, stream.__dict__.pop("_named"), stream.lines)
                stream.__dict__["source"] = name
                return stream
        except ValueError as exc:
            raise ValueError(f"{name}, {exc}") from None
        raw.seek(0)
        # Bytes that are not UTF-8 become lone surrogates, found in the row they are in.
        text = io.TextIOWrapper(
            io.BufferedReader(_Capped(raw, name)),
            encoding="utf-8-sig",
            errors="surrogateescape",
            newline="",
        )
        reader = csv.reader(text)
        try:
            events, lines, named = _read_rows(reader)
        except csv.Error as exc:
            raise ValueError(f"{name}, line {reader.line_num}: {exc}") from None
        except ValueError as exc:
            raise ValueError(f"{name}, {exc}") from None
    try:
        stream = _from_tuples(events, lines)
        _check_buyers(stream, named, lines)
    except ValueError as exc:
        raise ValueError(f"{name}, {exc}") from None
    stream.__dict__["source"] = name
    return stream


def _check_buyers(stream: EventStream, named: dict[int, str], lines: Any) -> None:
    # A refund row may name the buyer of the order it refunds (else its member is empty):
    # a name that is not that buyer is a mistake in the log, not something to ignore.
    for i, member in named.items():
        buyer = stream.labels[int(stream.member[i])]
        if member != buyer:
            raise ValueError(
                f"line {lines[i]}: refund of event {int(stream.sponsor[i])}, bought by "
                f"{buyer!r}, names member {_short(member)}; leave the member empty or name "
                "the buyer"
            )


_WHOLE_BYTES_PER_BYTE = 40
"""Memory per byte of a CSV read whole by `_read_whole`: the bytes, their text, and the
cells (a str of about 50 bytes per cell of a few characters, and its list slot)."""

_SPACE = np.zeros(256, bool)
"""Which bytes are ASCII spaces `str.strip` removes (besides the line ends), by value."""
_SPACE[[9, 11, 12, 28, 29, 30, 31, 32]] = True
_SPACE_BYTES = bytes(np.flatnonzero(_SPACE).tolist())


def _read_whole(raw: io.FileIO, name: str) -> EventStream | None:
    r"""The events of a plain CSV, checked and coded by whole columns; None for any other.

    Plain: no quotes, NUL bytes or blank lines, strict UTF-8, ``\n`` or ``\r\n`` line
    ends, the header's number of fields on every line, no cell with spaces around it, and
    small enough to read whole. Then each line is one event (line = row + 2) and the cells
    are one ``str.split``; kinds and days are read once per distinct text, labels are
    numbered in one ``dict.setdefault`` pass and the stream is checked by `_from_array`.
    Any doubt returns None, and `read_events` reads the file line by line instead, which
    gives the same stream or raises its exact message.
    """
    if os.fstat(raw.fileno()).st_size * _WHOLE_BYTES_PER_BYTE > memory_limit():
        return None
    data = _Capped(raw, name).readall()
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    if b'"' in data or b"\0" in data:
        return None
    if b"\r" in data:
        if data.count(b"\r") != data.count(b"\r\n"):
            return None
        data = data.replace(b"\r\n", b"\n")
    if data.endswith(b"\n"):
        data = data[:-1]
    if not data or b"\n\n" in data or data.startswith(b"\n"):
        return None
    buf = np.frombuffer(data, np.uint8)
    cut = (buf == 44) | (buf == 10)
    # a cell with spaces around it: looked for byte by byte only where a space is at all
    # (one pass of bytes.translate; most logs have none)
    if len(data.translate(None, _SPACE_BYTES)) != len(data):
        space = _SPACE[buf]
        if space[0] or space[-1] or np.any(space[1:] & cut[:-1]) or np.any(space[:-1] & cut[1:]):
            return None
    else:
        space = np.zeros(0, bool)
    if data.isascii() and _has_arrow():
        n = data.count(b"\n")  # data rows: every line after the header
        return _csv_by_arrow(data, name, n) if 0 < n <= MAX_EVENTS else None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    del space
    header, _, _ = text.partition("\n")
    names = [h.strip().lower() for h in header.split(",")]
    width = len(names)
    if any(c not in names for c in CSV_COLUMNS):
        return None
    ends = np.flatnonzero(buf == 10)
    n = int(ends.shape[0])  # data rows: every line after the header
    if not n or n > MAX_EVENTS:
        return None
    commas = np.flatnonzero(buf == 44)
    bounds = np.concatenate([ends, [buf.shape[0]]])
    if not np.all(np.diff(np.searchsorted(commas, bounds), prepend=0) == width - 1):
        return None
    # No cell has more bytes than characters: a label can only be too long if a cell is.
    long = bool(np.max(np.diff(np.concatenate([[-1], np.flatnonzero(cut)]))) > MAX_LABEL + 1)
    del buf, ends, commas, bounds, cut
    plain = text.isascii()  # else a label may carry spaces other than ASCII ones
    del data
    cells = text.replace("\n", ",").split(",")
    del text

    def column(c: str) -> list[str]:
        return cells[width + names.index(c) :: width]

    kind_text = column("kind")
    codes = {k: _KIND_CODES.get(k.lower(), -1) for k in dict.fromkeys(kind_text)}
    if -1 in codes.values():
        return None
    kind = np.array(list(map(codes.__getitem__, kind_text)), np.int8)
    day_text = column("day")
    days = {d: int(d) for d in dict.fromkeys(day_text) if _DIGITS.fullmatch(d)}
    if len(days) != len(set(day_text)) or max(days.values()) > MAX_DAY:
        return None
    first: dict[str, int] = {}
    member_text = column("member")
    seen = np.array(list(map(first.setdefault, member_text, count())), np.int64)
    sponsor_text = column("sponsor")
    for labels in (first, dict.fromkeys(sponsor_text) if not plain or long else ()):
        if long and max(map(len, labels)) > MAX_LABEL:
            return None
        if not plain and any(label != label.strip() for label in labels):
            return None
    refund = kind == REFUND
    empty = seen == first.get("", -1)
    if np.any(empty & ~refund):
        return None
    first[""] = -1
    sponsor_at = np.array(list(map(first.get, sponsor_text, repeat(-2))), np.int64)
    is_join = kind == JOIN
    if np.any(~is_join & (sponsor_at != -1)):
        return None
    starts = np.zeros(n, bool)
    starts[seen[~empty]] = True
    if not np.array_equal(starts, is_join):
        return None
    row_of = np.cumsum(is_join) - 1
    arr = np.empty(n, EVENT_DTYPE)
    arr["kind"] = kind
    arr["member"] = np.where(empty, 0, row_of[seen])
    # an unknown sponsor stays -2: refused below, and read line by line for the message
    arr["sponsor"] = np.where(sponsor_at >= 0, row_of[np.maximum(sponsor_at, 0)], sponsor_at)
    arr["day"] = np.array(list(map(days.__getitem__, day_text)), np.int64)
    named: dict[int, str] = {}
    settling = np.flatnonzero(kind >= REFUND)
    if settling.size:
        extra = {c: names.index(c) for c in CSV_SETTLEMENT_COLUMNS if c in names}
        try:  # a bad order or amount: the line-by-line reading says which comes first
            for i in settling.tolist():
                row = cells[width * (i + 1) : width * (i + 2)]
                label = member_text[i]
                ev = _settling_row(_KINDS[kind[i]], row, extra, label, 0, i + 2)
                if isinstance(ev, Refund):
                    arr["sponsor"][i] = ev.order
                    if label:
                        named[i] = label
                else:
                    arr["sponsor"][i] = _withdrawal_fen(ev.amount, f"line {i + 2}", label)
        except ValueError:
            return None
    try:
        coded = _from_array(arr)
    except ValueError:
        return None
    del first[""]
    if not coded._identity or len(first) != coded.n_members:
        return None
    stream = EventStream(
        coded.kind,
        coded.member,
        coded.sponsor,
        coded.day,
        _objects(list(first)),
        np.arange(2, n + 2, dtype=np.int64),
    )
    stream.__dict__["_named"] = named
    return stream


def _has_arrow() -> bool:
    """Whether pyarrow is installed (the extra ``fit``): it parses plain CSVs faster."""
    return importlib.util.find_spec("pyarrow") is not None


def _csv_by_arrow(data: bytes, name: str, n: int) -> EventStream | None:
    """A plain ASCII CSV (`_read_whole`'s checks passed) parsed and coded by Arrow, or None.

    Every column is read as text, without quoting or nulls, so each cell is what the
    line-by-line reading sees (Arrow refuses a line of another number of fields); days
    must be digits only, labels at most 256 characters. Any problem returns None, for
    the line-by-line reading to name its line.
    """
    import pyarrow as pa  # type: ignore[import-untyped,unused-ignore]
    import pyarrow.compute as pc  # type: ignore[import-untyped,unused-ignore]
    import pyarrow.csv as pv  # type: ignore[import-untyped,unused-ignore]

    header = data[: data.find(b"\n")].decode().split(",") if b"\n" in data else []
    try:
        table = pv.read_csv(
            pa.py_buffer(data),
            parse_options=pv.ParseOptions(quote_char=False, newlines_in_values=False),
            convert_options=pv.ConvertOptions(
                column_types=dict.fromkeys(header, pa.string()),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        if table.num_rows != n:
            return None
        names = [c.strip().lower() for c in table.column_names]
        for c in ("member", "sponsor"):
            if c in names and pc.max(pc.utf8_length(table.column(names.index(c)))).as_py() > (
                MAX_LABEL
            ):
                return None
        # days: each distinct text read once, digits only, as the line-by-line reading
        at = names.index("day")
        days = pc.dictionary_encode(table.column(at).combine_chunks())
        texts = days.dictionary.to_pylist()
        if not all(map(_DIGITS.fullmatch, texts)):
            return None
        day = np.array(list(map(int, texts)), np.int64)[days.indices.to_numpy()]
        table = table.set_column(at, table.column_names[at], pa.array(day))
        stream = _from_table(table, name)
    except (ValueError, OverflowError, pa.ArrowException):
        return None
    stream.__dict__["lines"] = np.arange(2, n + 2, dtype=np.int64)
    stream.__dict__["_named"] = {}  # refunds naming their buyer: checked by the table
    return stream


def _is_table(source: object) -> bool:
    """Whether ``source`` is a table of events: a pandas or polars DataFrame, an Arrow table."""
    kind = type(source)
    return kind.__name__ in ("DataFrame", "Table") and kind.__module__.split(".")[0] in (
        "pandas",
        "polars",
        "pyarrow",
    )


def _arrow(why: str) -> Any:
    try:
        import pyarrow  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        raise ImportError(
            f"{why} needs pyarrow, in the extra `fit`: pip install 'bizmodels[fit]'"
        ) from None
    return pyarrow


def _table_of(source: Any, query: str | None) -> tuple[Any, str]:
    """The Arrow table of a Parquet file, a DataFrame or a DuckDB query, and its name."""
    if query is not None:
        pa = _arrow("reading events from DuckDB")
        name = f"query {shorten(query, 60)!r}"
        try:
            result = source.sql(query)  # a relation: its rows go to Arrow without a copy
            if result is None:
                raise ValueError("the query returns no rows (it is not a SELECT)")
            method = next(
                m for m in ("to_arrow_table", "fetch_arrow_table", "arrow") if hasattr(result, m)
            )
            table = getattr(result, method)()
        except Exception as exc:  # duckdb's own errors: named, one line
            raise ValueError(f"{name}: {shorten(str(exc).splitlines()[0], 200)}") from None
        if isinstance(table, pa.RecordBatchReader):
            table = table.read_all()
        return table, name
    if isinstance(source, str | PathLike):
        name = os.fsdecode(os.fspath(source))
        _arrow("reading a Parquet file of events")
        import pyarrow.parquet as pq  # type: ignore[import-untyped,unused-ignore]

        try:
            return pq.read_table(name), name
        except OSError:
            raise
        except Exception as exc:  # not Parquet, or damaged
            raise ValueError(f"{name}: not a Parquet file of events ({exc})") from None
    pa = _arrow("reading a DataFrame of events")
    name = f"{type(source).__module__.split('.')[0]} {type(source).__name__}"
    try:
        if type(source).__module__.startswith("pandas"):
            return pa.Table.from_pandas(source, preserve_index=False), name
        if type(source).__module__.startswith("polars"):
            return source.to_arrow(), name
    except pa.ArrowException as exc:  # a column of mixed types: Arrow says which
        message = shorten(str(exc).replace("\n", " "), 200)
        raise ValueError(f"{name}: {message}; give each column values of one type") from None
    return source, name


def _from_table(table: Any, name: str) -> EventStream:
    """Check and code an Arrow table of events: by whole columns, else event by event.

    Labels keep the table's type (integers stay integers); a null or empty sponsor is a
    root; events are named by their row, counted from 0 (the event index).
    """
    import pyarrow as pa  # type: ignore[import-untyped,unused-ignore]
    import pyarrow.compute as pc  # type: ignore[import-untyped,unused-ignore]

    names = [str(c).strip().lower() for c in table.column_names]
    missing = [c for c in CSV_COLUMNS if c not in names]
    if missing:
        raise ValueError(
            f"{name}: the table lacks the column {', '.join(missing)}; it needs "
            f"{','.join(CSV_COLUMNS)} (got {_short(','.join(map(str, table.column_names)), 80)})"
        )
    n = table.num_rows
    if n > MAX_EVENTS:
        _check_counts(n, 0)
    require_memory(f"events = {n:,}", n * _ARRAY_BYTES_PER_EVENT)

    def column(c: str) -> Any:
        return table.column(names.index(c)).combine_chunks()

    def where(i: int) -> str:
        return f"{name}, event {i}"

    kind_col = column("kind")
    if pa.types.is_integer(kind_col.type):
        kind = kind_col.fill_null(-1).to_numpy().astype(np.int64)
        bad = np.flatnonzero((kind < JOIN) | (kind > WITHDRAWAL))
    else:
        if not pa.types.is_string(kind_col.type) and not pa.types.is_large_string(kind_col.type):
            kind_col = kind_col.cast(pa.string())
        # each distinct text read once, as a CSV's: spaces and case ignored
        encoded = pc.dictionary_encode(kind_col)
        texts = encoded.dictionary.to_pylist()
        values = [_KIND_CODES.get(v.strip().lower(), -1) for v in texts] + [-1]  # -1: null
        at = encoded.indices.fill_null(len(texts)).to_numpy()
        kind = np.array(values, np.int64)[at] if n else np.zeros(0, np.int64)
        bad = np.flatnonzero(kind < 0)
    if bad.size:
        i = int(bad[0])
        raise ValueError(
            f"{where(i)}: kind must be 'join', 'order', 'refund' or 'withdrawal' (or 0-3), "
            f"got {_short(kind_col[i].as_py())}"
        )
    day_col = column("day")
    if not pa.types.is_integer(day_col.type):
        try:
            day_col = day_col.cast(pa.int64())  # digits, or whole floats (pandas' NaN ints)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            for i, value in enumerate(day_col.to_pylist()):  # the first that is not a day
                if not (isinstance(value, int) or _DIGITS.fullmatch(str(value).strip())):
                    raise ValueError(
                        f"{where(i)}: day must be a whole number from 0 to {MAX_DAY:,}, got "
                        f"{_short(value)}"
                    ) from None
            raise ValueError(
                f"{name}: day must be whole numbers from 0 to {MAX_DAY:,}, got the column "
                f"type {day_col.type}"
            ) from None
    if day_col.null_count:
        i = int(np.flatnonzero(day_col.is_null().to_numpy(zero_copy_only=False))[0])
        raise ValueError(f"{where(i)}: no day; {_DAYS}")
    day = day_col.to_numpy().astype(np.int64)
    out = np.flatnonzero((day < 0) | (day > MAX_DAY))
    if out.size:
        raise ValueError(f"{where(int(out[0]))}: day {int(day[out[0]])} is out of range; {_DAYS}")
    member_col = column("member")
    sponsor_col = column("sponsor")
    if pa.types.is_string(member_col.type) or pa.types.is_large_string(member_col.type):
        member_col = pc.if_else(pc.equal(member_col, ""), None, member_col)
        sponsor_col = pc.if_else(pc.equal(sponsor_col.cast(member_col.type), ""), None, sponsor_col)
    elif pa.types.is_floating(sponsor_col.type) and pa.types.is_integer(member_col.type):
        sponsor_col = sponsor_col.cast(member_col.type)  # pandas' ints with NaN for roots
    named_sponsor = np.flatnonzero(
        ~sponsor_col.is_null().to_numpy(zero_copy_only=False) & (kind != JOIN)
    )
    if named_sponsor.size:
        i = int(named_sponsor[0])
        raise ValueError(
            f"{where(i)}: {'an order' if kind[i] == ORDER else 'a ' + _KINDS[kind[i]]} names "
            f"no sponsor, got {_short(sponsor_col[i].as_py())} (the sponsor is fixed when the "
            "member joins)"
        )
    settle_value = np.full(n, -1, np.int64)
    settling = np.flatnonzero(kind >= REFUND)
    if settling.size:
        order_col = column("order") if "order" in names else None
        amount_col = column("amount") if "amount" in names else None
        for i in settling.tolist():
            if kind[i] == REFUND:
                value = None if order_col is None else order_col[i].as_py()
                if isinstance(value, str) and _DIGITS.fullmatch(value.strip()):
                    value = int(value)  # a text column of event indices (a CSV's)
                elif isinstance(value, float) and value.is_integer():
                    value = int(value)  # pandas' integers with NaN for the other rows
                settle_value[i] = _order_index(value, where(i), i)
            else:
                value = None if amount_col is None else amount_col[i].as_py()
                label = member_col[i].as_py()
                settle_value[i] = _withdrawal_fen(value, where(i), label)
    encoded = pc.dictionary_encode(member_col)
    code = encoded.indices.fill_null(-1).to_numpy().astype(np.int64)
    labels = encoded.dictionary
    try:
        sponsor_code = pc.index_in(sponsor_col.cast(labels.type), value_set=labels)
        sponsor_at = sponsor_code.fill_null(-2).to_numpy().astype(np.int64)
        sponsor_at[sponsor_col.is_null().to_numpy(zero_copy_only=False)] = -1
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        sponsor_at = None
    stream = None
    if sponsor_at is not None:
        values = labels.to_numpy(zero_copy_only=False)  # objects for text, else numbers
        stream = _assembled(kind, code, sponsor_at, day, settle_value, values)
    if stream is None:
        # event by event, for the message (or a stream the columns could not code)
        events: list[Any] = []
        for i, (k, m, sp, d) in enumerate(
            zip(
                kind.tolist(),
                member_col.to_pylist(),
                sponsor_col.to_pylist(),
                day.tolist(),
                strict=True,
            )
        ):
            if k == JOIN:
                events.append((m, sp, d))
            elif k == ORDER:
                events.append((m, d))
            elif k == REFUND:
                events.append(Refund(int(settle_value[i]), d))
            else:
                events.append(Withdrawal(m, Decimal(int(settle_value[i])) / 100, d))
        try:
            stream = _from_tuples(events, None)
        except ValueError as exc:
            raise ValueError(f"{name}, {exc}") from None
        for i in np.flatnonzero((kind == REFUND) & (code >= 0)).tolist():
            buyer = stream.labels[int(stream.member[i])]
            if labels[int(code[i])].as_py() != buyer:
                raise ValueError(
                    f"{where(i)}: refund of event {int(stream.sponsor[i])}, bought by "
                    f"{buyer!r}, names member {_short(labels[int(code[i])].as_py())}; leave "
                    "the member empty or name the buyer"
                )
    stream.__dict__["source"] = name
    return stream


def _assembled(
    kind: npt.NDArray[np.int64],
    code: npt.NDArray[np.int64],
    sponsor_at: npt.NDArray[np.int64],
    day: npt.NDArray[np.int64],
    settle_value: npt.NDArray[np.int64],
    labels: npt.NDArray[Any],
) -> EventStream | None:
    """The stream of label codes numbered in order of first appearance; None if in doubt.

    ``code`` is -1 for a refund that names no buyer, ``sponsor_at`` the sponsor's code
    (-1 none, -2 unknown); a valid stream's labels first appear at their joins, in order.
    """
    n = kind.shape[0]
    if not n:
        return None
    is_join = kind == JOIN
    refund = kind == REFUND
    if np.any((code < 0) & ~refund) or np.any(~is_join & (sponsor_at != -1)):
        return None
    named = code >= 0
    joins_so_far = np.cumsum(is_join)
    # the k-th join is label k's first appearance, every other row names an earlier join
    if (
        not np.array_equal(code[is_join], np.arange(joins_so_far[-1]))
        or np.any(named & ~is_join & (code >= joins_so_far))
        or len(labels) != int(joins_so_far[-1])
    ):
        return None
    arr = np.empty(n, EVENT_DTYPE)
    arr["kind"] = kind
    arr["member"] = np.where(named, code, 0)  # codes are rows: first seen at the joins
    arr["sponsor"] = np.where(kind >= REFUND, settle_value, sponsor_at)
    arr["day"] = day
    try:
        coded = _from_array(arr)
    except ValueError:
        return None
    buyers = np.flatnonzero(refund & named)
    if buyers.size and not np.array_equal(code[buyers], coded.member[buyers]):
        return None  # a refund naming someone other than its buyer: said event by event
    if labels.dtype.kind == "i" or (labels.dtype.kind == "u" and labels.max() < 2**63):
        label_arr = labels.astype(np.int64)
    elif labels.dtype.kind == "O":
        label_arr = labels
    else:  # floats, booleans, dates: Python objects, as the tuples' own labels
        label_arr = _objects(labels.tolist())
    return EventStream(coded.kind, coded.member, coded.sponsor, coded.day, label_arr)


_KIND_CODES = {"join": JOIN, "order": ORDER, "refund": REFUND, "withdrawal": WITHDRAWAL}
_KINDS = {code: kind for kind, code in _KIND_CODES.items()}


_ARRAY_BYTES_PER_EVENT = 80
"""Memory `EventStream.of` needs per event of an array: the coded stream (17 bytes), the
checked day column (8) and, for ids not 0..n-1 in join order, the sort of the joins' ids."""

_ROW_BYTES = 400
"""Memory per event read from a CSV, until it is coded: the row's tuple and labels, its
line number, and the checks' own tuple and label dictionaries (measured: 365 at the peak)."""

_DIGITS = re.compile(r"[0-9]{1,20}")


class _Capped(io.RawIOBase):
    """A binary file read up to `MAX_EVENT_FILE_BYTES`; one byte more is an error.

    The cap is on what is read, so a file whose size the file system misreports (or that
    grows while it is read) is refused all the same.
    """

    def __init__(self, raw: io.FileIO, name: str) -> None:
        self.raw = raw
        self.name = name
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = self.raw.readinto(buffer)
        if n:
            self.count += n
            if self.count > MAX_EVENT_FILE_BYTES:
                raise ValueError(
                    f"{self.name}: more than {MAX_EVENT_FILE_BYTES} bytes; an event CSV is "
                    "read up to that size"
                )
        return n or 0


_NOT_UTF8 = re.compile("[\udc80-\udcff]")


def _settling_row(
    kind: str, row: list[str], extra: dict[str, int], member: str, day: int, line: int
) -> Refund | Withdrawal:
    # A refund names its order in the ``order`` column, a withdrawal its yuan in ``amount``.
    column = "order" if kind == "refund" else "amount"
    if column not in extra:
        raise ValueError(f"line {line}: a {kind} needs the column {column!r} in the header")
    cell = row[extra[column]].strip() if extra[column] < len(row) else ""
    if kind == "withdrawal":
        return Withdrawal(member, cell, day)
    if not _DIGITS.fullmatch(cell):
        raise ValueError(
            f"line {line}: a refund's order is the event index of the refunded order (a "
            f"whole number, counted from 0 over the data rows), got {_short(cell)}"
        )
    return Refund(int(cell), day)


def _utf8(row: list[str], line: int) -> None:
    for cell in row:
        if _NOT_UTF8.search(cell):
            raise ValueError(f"line {line}: not UTF-8 text")


def _read_rows(reader: Any) -> tuple[list[tuple[Any, ...]], list[int], dict[int, str]]:
    events: list[tuple[Any, ...]] = []
    lines: list[int] = []
    named: dict[int, str] = {}  # refund rows that name a member: the buyer, checked later
    header = next(reader, None)
    if header is None:
        raise ValueError(f"line 1: empty file; the header needs {','.join(CSV_COLUMNS)}")
    _utf8(header, reader.line_num)
    names = [h.strip().lower() for h in header]
    missing = [c for c in CSV_COLUMNS if c not in names]
    if missing:
        got = _short(",".join(header), 80)
        raise ValueError(
            f"line 1: the header lacks {', '.join(missing)}; it needs "
            f"{','.join(CSV_COLUMNS)} (got {got})"
        )
    col = {c: names.index(c) for c in CSV_COLUMNS}
    width = max(col.values()) + 1
    extra = {c: names.index(c) for c in CSV_SETTLEMENT_COLUMNS if c in names}
    for row in reader:
        line = reader.line_num
        if not row or all(not cell.strip() for cell in row):
            continue
        _utf8(row, line)
        if len(row) < width:
            raise ValueError(f"line {line}: {len(row)} fields, the header has {len(names)}")
        kind = row[col["kind"]].strip().lower()
        member = row[col["member"]].strip()
        sponsor = row[col["sponsor"]].strip()
        text = row[col["day"]].strip()
        if not member and kind != "refund":
            raise ValueError(f"line {line}: empty member")
        for role, label in (("member", member), ("sponsor", sponsor)):
            if len(label) > MAX_LABEL:
                raise ValueError(
                    f"line {line}: {role} label of {len(label):,} characters; at most {MAX_LABEL}"
                )
        if not _DIGITS.fullmatch(text) or int(text) > MAX_DAY:
            raise ValueError(
                f"line {line}: day must be a whole number from 0 to {MAX_DAY:,}, got {_short(text)}"
            )
        day = int(text)
        if kind == "join":
            events.append((member, sponsor or None, day))
        elif kind == "order":
            if sponsor:
                raise ValueError(
                    f"line {line}: an order names no sponsor, got {_short(sponsor)} "
                    "(the sponsor is fixed when the member joins)"
                )
            events.append((member, day))
        elif kind in ("refund", "withdrawal"):
            if sponsor:
                raise ValueError(f"line {line}: a {kind} names no sponsor, got {_short(sponsor)}")
            if kind == "refund" and member:
                named[len(events)] = member
            events.append(_settling_row(kind, row, extra, member, day, line))
        else:
            raise ValueError(
                f"line {line}: kind must be 'join', 'order', 'refund' or 'withdrawal', got "
                f"{_short(kind)}"
            )
        lines.append(line)
        if len(lines) & 0xFFFF == 0:
            # the file's size is not trusted: the rows read so far are what costs memory
            if len(lines) > MAX_EVENTS:
                _check_counts(len(lines), 0)
            require_memory(f"events = {len(lines):,} read so far", len(lines) * _ROW_BYTES)
    return events, lines, named
