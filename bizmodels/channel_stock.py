"""Stock held by the channel (渠道库存): what dealers bought that end consumers have not.

A to-B brand books its dealers' purchases (sell-in, 拿货) as its own sales; end consumers
buy from the dealers only a share of them, the sell-through rate (动销率): the rest stays
with the dealers as stock (囤货), sales the brand has booked that no consumer has bought.
Seed 000 (000_446469964f142a4d.txt) warns of it: "微商的拿货差价等。但这种目前有一定的涉传
风险".

The arithmetic is written once and knows no model:

- `held` and `sold_through` split dealers' purchases in two; one formula for `Decimal`
  (the exact lifetime figure) and float64 arrays (a sweep), as in `bizmodels.engine`;
- `ladder` passes goods down a chain of tiers (品牌 → 省代 → 市代 → 代理 → consumer), each
  selling on its own sell-through share of what it bought;
- `monthly` lays the split over months, in whole fen, for the memo lines beside the
  cash flows (`bizmodels.models.BusinessModel.memo_flows`).

Examples
--------
Dealers bought 100,000 yuan of goods and consumers bought 70% of it: how much did the
brand book that no consumer has bought?

>>> held(Decimal(100_000), Decimal("0.7"))
Decimal('30000.0')

30,000 yuan sits in the dealers' stock.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, localcontext
from typing import Any, TypeVar

from bizmodels._types import MONEY_CONTEXT
from bizmodels.waterfall import to_fen

__all__ = ["SELL_THROUGH_SOURCE", "held", "ladder", "monthly", "sold_through"]

N = TypeVar("N")

SELL_THROUGH_SOURCE = (
    "assumption: no published sell-through of 微商 or dealer channels was found; below 1 "
    "because seed 000 (000_446469964f142a4d.txt) warns that stock bought for the price "
    "differential is a risk (微商的拿货差价等。但这种目前有一定的涉传风险): 1 would hide the "
    "stock dealers hold (囤货)"
)
"""The source every default sell-through rate cites (none was found: an assumption)."""


def sold_through(bought: N, sell_through: Any) -> N:
    """The part of the dealers' purchases that end consumers bought from them.

    Parameters
    ----------
    bought : Decimal or float64 ndarray
        Dealers' purchases from the brand (the brand's sales to them), yuan at the price
        the dealers paid, or units.
    sell_through : Decimal or float64 ndarray
        Sell-through rate (动销率), 0 to 1: the share of what dealers bought that end
        consumers bought from them within the horizon.

    Returns
    -------
    Decimal or float64 ndarray
        ``bought × sell_through``, in the unit of ``bought``.

    Examples
    --------
    >>> sold_through(Decimal(1_000), Decimal("0.8"))
    Decimal('800.0')
    """
    return bought * sell_through  # type: ignore[no-any-return]


def held(bought: N, sell_through: Any) -> N:
    """Stock held by the channel (渠道库存): the dealers' purchases not sold through.

    Parameters
    ----------
    bought : Decimal or float64 ndarray
        Dealers' purchases from the brand, yuan at the price they paid, or units.
    sell_through : Decimal or float64 ndarray
        Sell-through rate (动销率), 0 to 1.

    Returns
    -------
    Decimal or float64 ndarray
        ``bought × (1 − sell_through)``: sales the brand booked that no end consumer has
        bought. ``held + sold_through == bought``.

    Notes
    -----
    The sell-through is a share of the purchases over the horizon, not of the stock on
    hand in a month: a dealer that sells through 70% holds 30% of everything it bought
    at the end, whatever the pattern of its orders.

    References
    ----------
    Seed 000 (000_446469964f142a4d.txt): 微商的拿货差价等。但这种目前有一定的涉传风险.

    Examples
    --------
    The same formula on a sweep's float64 arrays, two sell-through rates at once:

    >>> import numpy as np
    >>> held(np.array([1_000.0, 1_000.0]), np.array([0.5, 0.9])).round(2).tolist()
    [500.0, 100.0]
    """
    return bought * (1 - sell_through)  # type: ignore[no-any-return]


def ladder(bought: N, sell_throughs: Sequence[Any]) -> list[tuple[N, N, N]]:
    """Goods passed down a chain of tiers, each selling on a share of what it bought.

    The first tier buys ``bought`` from the brand; each tier sells its ``sell_through``
    share of what it bought to the next tier (the last, to end consumers) and holds the
    rest (拿货差价: each tier buys from the tier above).

    Parameters
    ----------
    bought : Decimal or float64 ndarray
        What the first tier (省代) buys from the brand, units (orders' worth at list price).
    sell_throughs : sequence of Decimal or float64 ndarray
        Each tier's sell-through rate, first tier first.

    Returns
    -------
    list of (bought, sold, held)
        Per tier, in units: what it bought, what it sold on, what it holds; a tier's
        ``sold`` is the next tier's ``bought``.

    Examples
    --------
    A provincial agent sells on 80% of what it buys, a city agent 75%, an agent 50%:

    >>> [tuple(str(x) for x in tier)
    ...  for tier in ladder(Decimal(100), [Decimal("0.8"), Decimal("0.75"), Decimal("0.5")])]
    [('100', '80.0', '20.0'), ('80.0', '60.000', '20.000'), ('60.000', '30.0000', '30.0000')]

    Of 100 units the brand sold, 30 reached consumers and 70 sit in the three tiers.
    """
    tiers: list[tuple[N, N, N]] = []
    for rate in sell_throughs:
        sold = sold_through(bought, rate)
        tiers.append((bought, sold, held(bought, rate)))
        bought = sold
    return tiers


def monthly(
    bought: Sequence[Decimal], sell_through: Decimal
) -> tuple[tuple[Decimal, ...], tuple[Decimal, ...]]:
    """Each month's sell-through, and the stock held at each month's end, in whole fen.

    Parameters
    ----------
    bought : sequence of Decimal
        Dealers' purchases per month, yuan (a cash-flow line, whole fen), month 0 first.
    sell_through : Decimal
        Sell-through rate (动销率), 0 to 1, as in `held`.

    Returns
    -------
    (sold, stock) : two tuples of Decimal, one amount per month
        ``sold``: what end consumers bought from the dealers in the month; ``stock``: the
        stock held by the channel at the month's end (a level, not a flow). Cumulative
        rounding to the fen: the stock at a month's end is the cumulative purchases held,
        ``to_fen(held(Σ bought, sell_through))``, so the last month's stock is the lifetime
        figure within a fen, and ``sold + change in stock == bought`` each month.

    Raises
    ------
    ValueError
        A sell-through outside 0 to 1, naming the value.

    Examples
    --------
    Dealers buy 100 yuan in each of two months and sell through 70%:

    >>> sold, stock = monthly([Decimal(100), Decimal(100)], Decimal("0.7"))
    >>> [str(x) for x in sold], [str(x) for x in stock]
    (['70.00', '70.00'], ['30.00', '60.00'])
    """
    if not Decimal(0) <= sell_through <= 1:
        raise ValueError(f"sell_through = {sell_through}: a sell-through rate is 0 to 1")
    sold: list[Decimal] = []
    stock: list[Decimal] = []
    with localcontext(MONEY_CONTEXT):
        total, before = Decimal(0), Decimal(0)
        for amount in bought:
            total += amount
            level = to_fen(held(total, sell_through))
            sold.append(to_fen(amount - (level - before)))
            stock.append(level)
            before = level
    return tuple(sold), tuple(stock)
