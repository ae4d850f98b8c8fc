"""to B 线上: online dealers who stock goods, or who only share links for a commission."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal, localcontext
from typing import Any, ClassVar

from typing_extensions import override

from bizmodels._compliance_profile import ComplianceProfile, share_text, yuan_text
from bizmodels._types import MONEY_CONTEXT, Count, Rate, Yuan, param
from bizmodels.cashflow import MemoLine
from bizmodels.channel_stock import DealerStock, purchases
from bizmodels.engine import Commission, Cost, Segment, SegmentResult
from bizmodels.models._base import BusinessModel, Check
from bizmodels.waterfall import to_fen


class TobOnline(DealerStock, BusinessModel):
    """to B 线上: online dealers who stock and resell, or who share links for a commission.

    Seed 000 (000_446469964f142a4d.txt, model 9: toB模式线上) names two kinds. Stocking
    dealers (屯货, in their own warehouse or as cloud inventory, 云库存) order from the
    brand, ship to their own customers and serve them after the sale; 微商 and brands with
    a sales team use it. Link-sharing dealers hold no stock: they share the mall's product
    links, posters or live room, the customer buys on the company's platform, the company
    ships and then settles the commission (结算佣金); the seed says this fits simple
    products that need little education or trust to sell. ``stocking_share`` mixes the two
    (1: all dealers stock). A stocking dealer's first order fills its shelves; the share
    of the stock on hand that does not sell through in a period stays there, and later
    restocking replaces only what sold. So the brand sells its stocking dealers what their
    customers buy, plus, once, the stock they hold: sales into the channel, not to people.

    Segments, counted in end customers and end orders: the customers of stocking dealers
    (the brand sells their dealers the stock they sell through, at the wholesale price,
    shipped in bulk), the stock those dealers hold (bought once, not counted as customers),
    and the customers of link-sharing dealers (who buy at the list price from the brand,
    which ships every order). Channel lines: the commission settled to link-sharing
    dealers on their customers' net sales. Acquisition is the recruitment of the dealers.

    Stock held by dealers: the stocking dealers' purchases (``stocking`` and
    ``dealer_stock``) are the brand's sales; their customers buy the first, so the
    sell-through (`channel_sell_through`) follows from ``unsold_share`` and the stock held
    by the channel (`channel_stock`) is the stock bought once: `channel_stock_waterfall`
    and the cash flows' memo lines as in `bizmodels.channel_stock.DealerStock`.
    Link-sharing dealers hold none.
    """

    key = "tob_online"
    name_zh = "to B 线上"
    name_en = "Online dealers (to B online)"
    dealer_segments: ClassVar[tuple[str, ...]] = ("stocking", "dealer_stock")

    acquisition_cost: Yuan = param(
        Decimal(300),
        "Cost of recruiting one dealer (招商成本), yuan; the model's only acquisition line.",
        "assumption",
    )
    stocking_share: Rate = param(
        Decimal("0.50"),
        "Share of dealers who stock goods (屯货经销商占比); the rest only share links.",
        "assumption",
    )
    dealer_share: Rate = param(
        Decimal("0.01"),
        "Share of the market's customers who become dealers (经销商占比).",
        "assumption",
    )
    end_customers_per_dealer: Count = param(
        Decimal(30),
        "End customers each dealer serves (每个经销商服务的终端客户数), people.",
        "assumption",
    )
    conversion: Rate = param(
        Decimal("0.20"), "Share of end customers who buy in a period (转化率).", "assumption"
    )
    price_differential: Rate = param(
        Decimal("0.35"),
        "Discount of the wholesale price off the list price, the stocking dealer's margin "
        "(拿货价差).",
        "assumption",
    )
    unsold_share: Rate = param(
        Decimal("0.15"),
        "Share of a stocking dealer's stock on hand that does not sell through in a period "
        "and stays with the dealer (经销商库存占比); restocking replaces only what sold, so "
        "this stock is bought once; below 1.",
        "assumption",
    )
    bulk_fulfilment_share: Rate = param(
        Decimal("0.25"),
        "Fulfilment cost per end order's worth shipped in bulk to a stocking dealer, as a "
        "share of the market's cost per order shipped (批量发货).",
        "assumption",
    )
    settled_commission: Rate = param(
        Decimal("0.15"),
        "Commission settled to link-sharing dealers, share of their customers' net sales "
        "(结算佣金).",
        "assumption",
    )

    def _dealers(self) -> Any:
        return self.market.customers * self.dealer_share

    @override
    def segments(self) -> list[Segment]:
        m = self.market
        end_customers = self._dealers() * self.end_customers_per_dealer
        stocked = end_customers * self.stocking_share
        wholesale = m.price * (1 - self.price_differential)
        bulk = m.fulfilment_cost * self.bulk_fulfilment_share
        return [
            self.segment(
                "stocking",
                "屯货经销商的客户",
                "Customers of stocking dealers",
                customers=stocked,
                conversion=self.conversion,
                unit_price=wholesale,
                fulfilment_cost=bulk,
            ),
            self.segment(
                "dealer_stock",
                "经销商库存",
                "Stock held by stocking dealers",
                customers=stocked,
                lifetime=1,
                # on hand = a period's sales / (1 - unsold share); held = on hand × unsold share
                conversion=self.conversion * self.unsold_share / (1 - self.unsold_share),
                unit_price=wholesale,
                fulfilment_cost=bulk,
                distinct=False,
            ),
            self.segment(
                "link_sharing",
                "分享型经销商的客户",
                "Customers of link-sharing dealers",
                customers=end_customers - stocked,
                conversion=self.conversion,
            ),
        ]

    @override
    def channel_sell_through(self) -> Any:
        """Share of the stocking dealers' purchases that their customers buy (动销率).

        ``stocking / (stocking + dealer_stock)``, net sales: the stock held is the part of
        the purchases that is never sold through, so one reading of sell-through serves
        every to-B model.

        Examples
        --------
        >>> m = TobOnline(lifetime=1, unsold_share=Decimal("0.2"))
        >>> m.channel_sell_through(), m.channel_stock() == m.gmv_by_segment()["dealer_stock"] * (
        ...     1 - m.market.refund_rate)
        (Decimal('0.8'), True)

        In one period a dealer holds 1 / (1 − 0.2) of its sales on hand and 0.2 of that
        stays: it sells through 80% of what it bought.
        """
        with localcontext(MONEY_CONTEXT):
            segments = self.segments()
            refund = self.market.refund_rate
            bought = purchases(segments, self.dealer_segments, refund)
            # no stocking dealers: nothing bought, nothing held
            return purchases(segments, ("stocking",), refund) / bought if bought else Decimal(1)

    @override
    def memo_flows(self, flows: Mapping[str, Sequence[Decimal]]) -> list[MemoLine]:
        """Dealers' purchases, sell-through and stock held, month by month.

        The stock a stocking dealer keeps on hand is bought once, when the dealer is won:
        its months follow the acquisition schedule (the ``acquisition`` line), and it stays
        there. What the stocking dealers' customers buy is their share of the rest of each
        month's net sales (the link-sharing dealers' customers, buying from the brand over
        the same lifetime, take theirs). With no acquisition cost to time it by, the months
        are read as in `bizmodels.channel_stock.DealerStock.memo_flows`.
        """
        recruited = flows.get("acquisition", ())
        won = sum(recruited, Decimal(0))
        if not won:
            return super().memo_flows(flows)
        with localcontext(MONEY_CONTEXT):
            segments = self.segments()
            refund = self.market.refund_rate
            stock = purchases(segments, ("dealer_stock",), refund)
            stocking = purchases(segments, ("stocking",), refund)
            linked = purchases(segments, ("link_sharing",), refund)
            share = stocking / (stocking + linked) if stocking + linked else Decimal(0)
            bought, sold, held = [], [], []
            so_far, before = Decimal(0), Decimal(0)
            for month, sales in enumerate(flows["net_sales"]):
                so_far += recruited[month] if month < len(recruited) else 0
                level = to_fen(stock * so_far / won)
                kept = level - before
                through = to_fen((sales - kept) * share)
                bought.append(through + kept)
                sold.append(through)
                held.append(level)
                before = level
        return [
            MemoLine("dealer_purchases", "经销商进货", "Dealers' purchases", tuple(bought)),
            MemoLine("sold_through", "终端动销", "Sold through to consumers", tuple(sold)),
            MemoLine("channel_stock", "渠道库存", "Stock held by the channel", tuple(held)),
        ]

    @override
    def channel_costs(self, results: Mapping[str, SegmentResult]) -> list[Cost | Commission]:
        return [
            Commission(
                "settled_commissions",
                "结算佣金",
                "Commissions settled to link-sharing dealers",
                rate=self.settled_commission,
                on="link_sharing",
            ),
        ]

    @override
    def acquisition_costs(self, customers: Any) -> list[Cost]:
        return [
            Cost(
                "acquisition",
                "经销商招募成本",
                "Dealer recruitment",
                self._dealers() * self.acquisition_cost,
                "acquisition",
            )
        ]

    @override
    def checks(self) -> list[Check]:
        return [
            *super().checks(),
            self.price_check("price_differential", "wholesale price"),
            Check(
                ("unsold_share",),
                "unsold share must be below 1: dealers would never sell through",
                self.unsold_share < 1,
            ),
            Check(
                ("dealer_share", "end_customers_per_dealer"),
                "dealers and their end customers exceed the market's customers",
                self.dealer_share * (1 + self.end_customers_per_dealer) <= 1,
            ),
        ]

    @override
    def compliance_profile(self) -> ComplianceProfile:
        """What the compliance checks read: link-sharing dealers paid on their own customers.

        Examples
        --------
        >>> TobOnline().compliance_profile().own_sales_rate
        Decimal('0.15')
        """
        return ComplianceProfile(
            own_sales_rate=self.settled_commission,
            resale_stock="free" if self.stocking_share > 0 else "none",
            evidence={
                "resale_stock": (
                    f"stocking dealers (stocking_share = {share_text(self.stocking_share)}) "
                    "buy stock (屯货) to resell as their customers buy, at their own risk; no "
                    "purchase is required to become a dealer or to keep one's place, and "
                    "link-sharing dealers hold none"
                ),
                "entry_fee": (
                    f"dealers are recruited at the brand's cost (acquisition_cost = "
                    f"{yuan_text(self.acquisition_cost)} yuan per dealer) and pay no fee; "
                    "stocking dealers buy goods to resell at the price differential (拿货价差, "
                    f"price_differential = {share_text(self.price_differential)})"
                ),
                "own_sales": (
                    f"link-sharing dealers are paid settled_commission = "
                    f"{share_text(self.settled_commission)} of their own customers' net "
                    "sales, one level only"
                ),
            },
        )


__all__ = ["TobOnline"]
