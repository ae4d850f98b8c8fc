"""The limits of the plan simulation, derived from the engine's integer types.

The engine keeps money in int64 fen and member rows, event indices and counts in int32
(`bizmodels.plans._kernel`). Every limit below is chosen so that, for every value a plan,
an event stream or a growth accepts, no integer the engine forms can leave its type; a
value beyond a limit is refused when the object is built (or, for a stream, before
anything runs), naming the field and the value.

Derivation
----------
``2^63 − 1 = 9.22 × 10^18`` is the largest int64, ``2^31 − 1`` the largest int32.

- **Events and members.** An event index is int32 and ``2^31 − 1`` means "never" in the
  rank and help-fund timelines, and the last event's index must stay below ``2^31 − 2``:
  at most `MAX_EVENTS` = ``2^31 − 3`` events. Member rows are int32 and −1 means "none":
  at most `MAX_MEMBERS` = ``2^31 − 2`` members.
- **Amounts.** Every price, reward, pool contribution and identity package is at most
  `MAX_YUAN` = 1,000,000 yuan = ``10^8`` fen. The largest sum the engine forms is what
  the platform received: every event buys one package and every member at most the three
  identity packages, so ``received ≤ (MAX_EVENTS + 3 × MAX_MEMBERS) × 10^8 < 4 × 2^31 ×
  10^8 = 8.6 × 10^17``. Every other total, balance and per-member figure (available,
  frozen, retained, pools, breakage, the running pool dividend per holder, a member's
  earnings and spending) is a part of what was received, and a net result is the
  difference of two such parts, so none exceeds ``8.6 × 10^17`` in magnitude; the
  summary's sums of net results and doubled earnings stay below ``2 × 8.6 × 10^17 =
  1.7 × 10^18``, a fifth of the int64 range.
- **Rates.** ``floor(rate × amount)`` in fen is computed as ``amount × num // den`` with
  ``rate = num / den`` exactly. A rate of at most `RATE_PLACES` = 10 decimal places has
  ``den`` dividing ``10^10`` and ``num ≤ den`` (a rate is at most 1), so ``amount × num ≤
  10^8 × 10^10 = 10^18 < 9.22 × 10^18``: exact. Eleven places would allow ``10^19``,
  which does not fit. A fine rate such as 1/3 is written to the places allowed
  (``0.3333333333``) and then applied exactly; ``0.3333333333333333`` (the float 1/3) is
  refused, not rounded.
- **Counts in a plan** (slide positions, recruits, legs, orders to unlock the help fund,
  recruits for a refund) are at most `MAX_COUNT` = ``2^31 − 2``: a threshold above the
  number of members or events is never reached, and the engine compares them with
  32-bit counts.
- **Days** are whole numbers from 0 to `MAX_DAY` = 10,000,000 (27,000 years; room for
  day numbers such as ``date.toordinal()``, at most 3,652,059). A generated growth runs
  at most `MAX_GROWTH_DAYS` = 36,500 days (100 years of daily steps): each day costs a
  pass over the active members, so a longer run would take minutes for nothing.
- **Distribution levels**: at most `MAX_LEVELS` = 100 (each order walks them all).
- **Labels** in an event CSV: at most `MAX_LABEL` = 256 characters; an event CSV is read
  up to `MAX_EVENT_FILE_BYTES` = 2 GiB.
- **Summaries**: at most `MAX_COHORTS` = 10,000 join cohorts in an income disclosure;
  `SimulationResult.member_cash_flows` at most `MAX_PERIODS` = 10,000 periods (each
  period replays the stream up to its end).

Sizes are checked against memory as well (`bizmodels._limits.require_memory`), with the
per-member and per-event costs below.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import Field

from bizmodels._types import _AsNumber

__all__ = [
    "INT32_MAX",
    "INT64_MAX",
    "MAX_COHORTS",
    "MAX_COUNT",
    "MAX_DAY",
    "MAX_EVENTS",
    "MAX_EVENT_FILE_BYTES",
    "MAX_FEN",
    "MAX_GROWTH_DAYS",
    "MAX_LABEL",
    "MAX_LEVELS",
    "MAX_MEMBERS",
    "MAX_PERIODS",
    "MAX_RECEIVED",
    "MAX_YUAN",
    "RATE_PLACES",
    "SIM_BYTES_PER_EVENT",
    "SIM_BYTES_PER_MEMBER",
    "PlanCount",
    "PlanRate",
    "PlanYuan",
]


INT64_MAX = 2**63 - 1
INT32_MAX = 2**31 - 1

MAX_EVENTS = INT32_MAX - 2
"""Most events in one stream: event indices are int32, ``2^31 − 1`` means never."""
MAX_MEMBERS = INT32_MAX - 1
"""Most members in one stream: member rows are int32, −1 means none."""
MAX_COUNT = MAX_MEMBERS
"""Largest count threshold in a plan (positions, recruits, legs, orders)."""

MAX_YUAN = Decimal(1_000_000)
"""Largest price, reward, pool contribution or identity package, yuan."""
MAX_FEN = int(MAX_YUAN * 100)
"""The same in fen: ``10^8``."""
RATE_PLACES = 10
"""Most decimal places of a rate: the largest ``k`` with ``MAX_FEN × 10^k < 2^63``."""

MAX_RECEIVED = (MAX_EVENTS + 3 * MAX_MEMBERS) * MAX_FEN
"""Bound on the largest sum the engine forms (what the platform received), fen."""

MAX_DAY = 10_000_000
"""Largest day number in an event stream (the smallest is 0)."""
MAX_GROWTH_DAYS = 36_500
"""Most days of a generated growth (100 years of daily steps)."""
MAX_LEVELS = 100
"""Most levels of a distribution plan."""
MAX_LABEL = 256
"""Most characters of a member label in an event CSV."""
MAX_EVENT_FILE_BYTES = 2**31
"""Most bytes read from an event CSV."""
MAX_COHORTS = 10_000
"""Most join cohorts in a summary's income disclosure."""
MAX_PERIODS = 10_000
"""Most periods of `SimulationResult.member_cash_flows`."""

SIM_BYTES_PER_MEMBER = 200
"""Memory a simulation needs per member: two 64-byte tables, the ledger columns of its
own, the label, the room for upgrades and pass 1's walk stack (rounded up)."""
SIM_BYTES_PER_EVENT = 40
"""Memory a simulation needs per event: the coded stream (17 bytes) and, for an array
given by the caller, the checked copy of its day column and the block temporaries."""

assert MAX_FEN * 10**RATE_PLACES <= INT64_MAX < MAX_FEN * 10 ** (RATE_PLACES + 1)
assert 2 * MAX_RECEIVED < INT64_MAX // 4

PlanYuan = Annotated[
    Decimal,
    Field(ge=0, le=MAX_YUAN, allow_inf_nan=False, decimal_places=2),
    _AsNumber,
]
"""An amount of a plan, yuan: 0 to 1,000,000 in whole fen (two decimal places at most)."""

PlanRate = Annotated[
    Decimal,
    Field(ge=0, le=1, allow_inf_nan=False, decimal_places=RATE_PLACES),
    _AsNumber,
]
"""A rate of a plan: 0 to 1 with at most 10 decimal places, applied exactly."""

PlanCount = Annotated[int, Field(le=MAX_COUNT)]
"""A count threshold of a plan: at most ``2^31 − 2`` (the lower bound is the field's)."""
