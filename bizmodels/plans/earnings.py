"""What members got out of a run: losers, zero earners and how concentrated earnings are.

One reading of a run's ledger, used by the run's summary and by compliance's health
findings alike. The statistics themselves (Gini, the top's share) are computed exactly in
`bizmodels._stats`; here they are applied to a ledger and given as shares to four
decimals, the precision a finding shows.

Conventions
-----------
- A member's *earnings* are what the plan paid it, frozen parts included
  (``available + frozen``); its *net* is earnings less what it spent on packages, so the
  goods a package holds are not valued.
- Every member counts, zero earners included.
- The *top 1%* and *top 10%* are the ``⌈members / 100⌉`` and ``⌈members / 10⌉`` members
  who earned most, at least one each.
- When nobody earned, the top shares and the Gini are 0: with no earnings there is no
  concentration to flag (`bizmodels._stats` leaves them undefined; 0 is this reading's
  choice, and a health finding reads it as ``ok``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from bizmodels import _stats

if TYPE_CHECKING:
    from bizmodels.plans.simulation import SimulationResult

__all__ = ["EarningsStats", "earnings_stats", "rounded_gini", "rounded_share"]

PLACES = 4
"""Decimals of the shares and Gini given here."""


@dataclass(frozen=True)
class EarningsStats:
    """What members got out of a run, as the health indicators read it.

    Attributes
    ----------
    members : int
        Members in the run.
    losing, zero : int
        Members whose net (earned − spent) is below 0, and members who earned nothing.
    top1, top10 : int
        Members in the top 1% and top 10% (at least one each).
    top1_share, top10_share : Decimal
        Their share of all earnings (0 when nobody earned).
    gini : Decimal
        Gini coefficient of earnings over all members, zero earners included (0 when
        nobody earned).
    earned : int
        Fen earned by all members.
    """

    members: int
    losing: int
    zero: int
    top1: int
    top10: int
    top1_share: Decimal
    top10_share: Decimal
    gini: Decimal
    earned: int


def earnings_stats(run: SimulationResult) -> EarningsStats:
    """Losers, zero earners and concentration of earnings in a run's ledger.

    Examples
    --------
    >>> from bizmodels.plans import distribution, simulate
    >>> run = simulate(distribution(), [("R", None, 0), ("A", "R", 0), ("B", "A", 0)])
    >>> s = earnings_stats(run)
    >>> s.losing, s.zero, s.top1_share
    (3, 1, Decimal('0.6000'))

    Everyone paid 699 and earned less; B earned nothing; R, the top member, took 104.85 of
    the 174.75 yuan paid out.
    """
    ledger = run.ledger
    n = len(ledger)
    earned = np.asarray(ledger.earned, dtype=np.int64)
    return EarningsStats(
        members=n,
        losing=int(np.count_nonzero(ledger.net < 0)),
        zero=int(np.count_nonzero(earned == 0)),
        top1=_stats.top_count(n, 0.01),
        top10=_stats.top_count(n, 0.10),
        top1_share=_rounded(_stats.top_share(earned, 0.01)),
        top10_share=_rounded(_stats.top_share(earned, 0.10)),
        gini=rounded_gini(earned),
        earned=_stats.total(earned),
    )


def rounded_share(numerator: int, denominator: int) -> Decimal:
    """``numerator / denominator`` to four decimals (half up); 0 when the denominator is 0.

    Examples
    --------
    >>> rounded_share(2, 3), rounded_share(0, 0)
    (Decimal('0.6667'), Decimal('0'))
    """
    return _rounded(_stats.ratio(numerator, denominator))


def rounded_gini(values: npt.NDArray[np.int64]) -> Decimal:
    """The Gini coefficient of non-negative amounts to four decimals; 0 when all are 0.

    Examples
    --------
    >>> rounded_gini(np.array([0, 0, 0, 100]))
    Decimal('0.7500')
    """
    return _rounded(_stats.gini(values))


def _rounded(value: Fraction | None) -> Decimal:
    return Decimal(0) if value is None else _stats.rounded(value, PLACES)
