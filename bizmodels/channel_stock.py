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

from collections.abc import Mapping, Sequence
from decimal import Decimal, localcontext
from typing import Any, ClassVar, Protocol, TypeVar

from bizmodels import engine
from bizmodels._types import MONEY_CONTEXT
from bizmodels.cashflow import MemoLine
from bizmodels.engine import Segment
from bizmodels.waterfall import Line, Subtotal, Waterfall, to_fen

__all__ = [
    "SELL_THROUGH_SOURCE",
    "DealerStock",
    "held",
    "ladder",
    "memo_lines",
    "monthly",
    "named_lines",
    "purchases",
    "sold_through",
    "stock_waterfall",
    "to_months",
]

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
    sales: Sequence[Decimal], sell_through: Decimal, share: Decimal = Decimal(1)
) -> tuple[tuple[Decimal, ...], tuple[Decimal, ...], tuple[Decimal, ...]]:
    """Dealers' purchases, their sell-through and the stock they hold, month by month.

    Parameters
    ----------
    sales : sequence of Decimal
        The brand's net sales per month, yuan (a cash-flow line, whole fen), month 0 first.
    sell_through : Decimal
        Sell-through rate (动销率), 0 to 1, as in `held`.
    share : Decimal
        Share of the net sales that are dealers' purchases (1 when the brand sells to
        dealers only), 0 to 1.

    Returns
    -------
    (bought, sold, stock) : three tuples of Decimal, one amount per month
        ``bought``: dealers' purchases in the month (``sales × share``); ``sold``: what end
        consumers bought from the dealers in the month; ``stock``: the stock held by the
        channel at the month's end (a level, not a flow). Cumulative rounding to the fen:
        the purchases and the stock to a month's end are ``to_fen(Σ sales × share)`` and
        ``to_fen(held(Σ sales × share, sell_through))``, so the last month's stock is the
        lifetime figure within a fen, and ``bought − sold == change in stock`` each month.

    Raises
    ------
    ValueError
        A sell-through or a share outside 0 to 1, naming the value.

    Examples
    --------
    Dealers buy 100 yuan in each of two months and sell through 70%:

    >>> bought, sold, stock = monthly([Decimal(100), Decimal(100)], Decimal("0.7"))
    >>> [str(x) for x in sold], [str(x) for x in stock]
    (['70.00', '70.00'], ['30.00', '60.00'])
    """
    if not Decimal(0) <= share <= 1:
        raise ValueError(f"share = {share}: a share from 0 to 1")
    with localcontext(MONEY_CONTEXT):
        to_date, total = [], Decimal(0)
        for amount in sales:
            total += amount
            to_date.append(total * share)
    return to_months(to_date, sell_through)


def to_months(
    bought_to_date: Sequence[Decimal], sell_through: Decimal
) -> tuple[tuple[Decimal, ...], tuple[Decimal, ...], tuple[Decimal, ...]]:
    """`monthly` from the dealers' cumulative purchases (unrounded yuan to each month's end).

    Rounds the purchases and the stock to date to the fen, and takes each month's as the
    difference: ``(bought, sold, stock)`` per month, ``bought − sold == change in stock``.

    Examples
    --------
    >>> [[str(x) for x in part] for part in to_months([Decimal(100), Decimal(150)], Decimal("0.5"))]
    [['100.00', '50.00'], ['50.00', '25.00'], ['50.00', '75.00']]
    """
    if not Decimal(0) <= sell_through <= 1:
        raise ValueError(f"sell_through = {sell_through}: a share from 0 to 1")
    bought: list[Decimal] = []
    sold: list[Decimal] = []
    stock: list[Decimal] = []
    with localcontext(MONEY_CONTEXT):
        bought_before, held_before = Decimal(0), Decimal(0)
        for total in bought_to_date:
            so_far = to_fen(total)
            level = to_fen(held(total, sell_through))
            month = so_far - bought_before
            bought.append(month)
            sold.append(month - (level - held_before))
            stock.append(level)
            bought_before, held_before = so_far, level
    return tuple(bought), tuple(sold), tuple(stock)


def memo_lines(
    sales: Sequence[Decimal], sell_through: Decimal, share: Decimal = Decimal(1)
) -> list[MemoLine]:
    """The memo lines beside a to-B model's cash flows: purchases, sell-through, stock.

    `monthly` as `bizmodels.cashflow.MemoLine` lines: ``dealer_purchases`` (经销商进货),
    ``sold_through`` (终端动销) and ``channel_stock`` (渠道库存, at each month's end).

    Examples
    --------
    >>> [m.key for m in memo_lines([Decimal(100)], Decimal("0.7"))]
    ['dealer_purchases', 'sold_through', 'channel_stock']
    """
    return named_lines(*monthly(sales, sell_through, share))


def named_lines(
    bought: tuple[Decimal, ...], sold: tuple[Decimal, ...], stock: tuple[Decimal, ...]
) -> list[MemoLine]:
    """The three monthly series of `monthly` as the memo lines of `memo_lines`."""
    return [
        MemoLine("dealer_purchases", "经销商进货", "Dealers' purchases", bought),
        MemoLine("sold_through", "终端动销", "Sold through to consumers", sold),
        MemoLine("channel_stock", "渠道库存", "Stock held by the channel", stock),
    ]


def purchases(segments: Sequence[Segment], keys: Sequence[str], refund_rate: Any) -> Any:
    """Net sales of the segments named by ``keys``: the dealers' purchases, after refunds.

    The price the dealers paid (VAT included) times the orders they kept; `Decimal` or
    float64 arrays as the segments are.

    Examples
    --------
    >>> restock = Segment("restock", "补货", "Restock", Decimal(10), Decimal(2), Decimal(1),
    ...                   Decimal(100), Decimal(30), Decimal(0))
    >>> purchases([restock], ["restock"], Decimal("0.1"))
    Decimal('1800.0')
    """
    named = [s for s in segments if s.key in keys]
    return engine.total(engine.segment_result(s, refund_rate).net_sales for s in named)


def stock_waterfall(bought: Decimal, sell_through: Decimal, title: str) -> Waterfall:
    """What dealers bought, split into what consumers bought and the stock left with them.

    Starts at the dealers' purchases (the brand's net sales to them), deducts what end
    consumers bought from the dealers, ends at the stock held by the channel (渠道库存):
    sales the brand booked that no end consumer has bought.

    Examples
    --------
    >>> stock_waterfall(Decimal(1_000), Decimal("0.7"), "stock").to_dict()
    {'dealer_purchases': Decimal('1000.00'), 'sold_through': Decimal('700.00'), \
'channel_stock': Decimal('300.00')}
    """
    with localcontext(MONEY_CONTEXT):
        return Waterfall.build(
            Line(
                "dealer_purchases",
                "经销商进货",
                "Dealers' purchases",
                bought,
                "booked as the brand's net sales",
                "计入品牌净销售额",
            ),
            [
                Line(
                    "sold_through",
                    "终端动销",
                    "Sold through to consumers",
                    sold_through(bought, sell_through),
                )
            ],
            Subtotal(
                "channel_stock",
                "渠道库存",
                "Stock held by the channel",
                "booked by the brand, not bought by a consumer",
                "品牌已入账、终端未购买",
            ),
            title=title,
        )


class _Model(Protocol):
    """What `DealerStock` reads of the model it is mixed into."""

    key: ClassVar[str]
    dealer_segments: ClassVar[tuple[str, ...]]

    @property
    def market(self) -> Any: ...

    def segments(self) -> list[Segment]: ...

    def channel_sell_through(self) -> Any: ...

    def dealer_purchases(self) -> Any: ...


class DealerStock:
    """Mixed into a to-B model: its dealers' purchases, their sell-through, the stock held.

    The model names the segments that are dealers' purchases from the brand
    (``dealer_segments``, their net sales booked as the brand's) and its sell-through rate
    (`channel_sell_through`: the field ``sell_through`` unless it derives one); this mixin
    gives the stock held by the channel as a figure (`channel_stock`), as a waterfall
    (`channel_stock_waterfall`) and month by month beside the cash flows (`memo_flows`).
    The brand's own P&L is unchanged: it books the dealers' purchases as its sales, sold
    through or not.
    """

    dealer_segments: ClassVar[tuple[str, ...]] = ()
    """Keys of the segments whose net sales are dealers' purchases for resale."""

    def channel_sell_through(self: _Model) -> Any:
        """The share of the dealers' purchases that end consumers buy from them (动销率)."""
        return getattr(self, "sell_through")  # noqa: B009  (a field of the model)

    def dealer_purchases(self: _Model) -> Any:
        """Dealers' purchases from the brand over the lifetime, yuan at the price they paid.

        The net sales (after refunds) of ``dealer_segments``: what the brand booked as
        sales to its dealers.
        """
        with localcontext(MONEY_CONTEXT):
            return purchases(self.segments(), self.dealer_segments, self.market.refund_rate)

    def channel_stock(self: _Model) -> Any:
        """Stock held by the channel (渠道库存) at the end of the lifetime, yuan.

        ``dealer_purchases × (1 − sell-through)``, at the price the dealers paid: sales
        the brand booked that no end consumer has bought (`bizmodels.channel_stock.held`).
        """
        with localcontext(MONEY_CONTEXT):
            return held(self.dealer_purchases(), self.channel_sell_through())

    def channel_stock_waterfall(self: _Model) -> Waterfall:
        """The dealers' purchases, what consumers bought of them and the stock left, exact."""
        return stock_waterfall(
            self.dealer_purchases(), self.channel_sell_through(), f"{self.key} channel stock"
        )

    def memo_flows(self: _Model, flows: Mapping[str, Sequence[Decimal]]) -> list[MemoLine]:
        """Dealers' purchases, sell-through and stock held, month by month (`memo_lines`).

        Which part of each month's net sales the dealers bought: the orders placed once,
        when a customer is won (entry packages: one period, from the first month), follow
        the acquisition schedule (the ``acquisition`` line's months); the rest of the month
        is split by the lifetime's shares of the other segments, exact when they buy over
        the same periods. With no acquisition cost to time them by, or nothing bought once,
        the whole month is split by the lifetime's shares. The months add up to the
        lifetime figures; a month can be a few fen off its exact share, as the acquisition
        line that times the orders placed once is itself in whole fen.
        """
        with localcontext(MONEY_CONTEXT):
            segments = self.segments()
            refund = self.market.refund_rate
            once = [s.key for s in segments if s.lifetime == 1 and s.start == 0]
            later = [s.key for s in segments if s.key not in once]
            recruited = flows.get("acquisition", ())
            won = sum(recruited, Decimal(0))
            sell = self.channel_sell_through()
            if not once or not won:
                total = purchases(segments, [s.key for s in segments], refund)
                dealers = purchases(segments, self.dealer_segments, refund)
                share = dealers / total if total else Decimal(0)
                return memo_lines(flows["net_sales"], sell, share)
            dealer_keys = set(self.dealer_segments)
            once_all = purchases(segments, once, refund)
            once_dealers = purchases(segments, [k for k in once if k in dealer_keys], refund)
            later_all = purchases(segments, later, refund)
            later_dealers = purchases(segments, [k for k in later if k in dealer_keys], refund)
            later_share = later_dealers / later_all if later_all else Decimal(0)
            to_date: list[Decimal] = []
            sales, share_won = Decimal(0), Decimal(0)
            for month, amount in enumerate(flows["net_sales"]):
                sales += amount
                share_won += recruited[month] if month < len(recruited) else 0
                bought_once = share_won / won
                to_date.append(
                    once_dealers * bought_once + (sales - once_all * bought_once) * later_share
                )
            return named_lines(*to_months(to_date, sell))
