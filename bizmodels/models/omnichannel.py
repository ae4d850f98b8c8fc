"""线上线下相结合: store shopping guides and community group leaders sell online and offline."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from typing_extensions import override

from bizmodels._compliance_profile import ComplianceProfile, share_text
from bizmodels._types import Rate, param
from bizmodels.engine import Commission, Cost, Segment, SegmentResult
from bizmodels.models._base import BusinessModel, Check

_GUIDES = (
    "assumption: half as often again as a customer of the pool (0.20); seed 001 "
    "(001_07a435858c0348ea.txt) reports 月复购率超50% for 百果园's fruit groups, a weekly "
    "purchase, not a 199-yuan order"
)
_LEADERS = (
    "assumption: within the 5-10% group leaders are paid in community group buying (Rest of "
    "World, 2021; GGV Capital on 十荟团: up to 10% on average); docs: Are the defaults sensible?"
)


class Omnichannel(BusinessModel):
    """线上线下相结合: online and offline sales run as one, by shopping guides and group leaders.

    Seed 000 (000_446469964f142a4d.txt, model 8: 线上线下相结合) runs online and offline
    sales as one: store shopping guides (导购) build WeChat groups with their customers, and
    community group buying (社区团购) works the same way; a deal closes online or in the
    store, and the guide or group leader (团长) keeps up the customer relationship online and
    posts the activities. It fits brands with stores or neighbourhood leaders; the seed
    states no warning, but what is left depends on what guides and leaders are paid.

    Segments: guide-served customers, who buy at the list price online or in the store (an
    in-store order is not delivered), and community group-buying customers, who buy at the
    group price and are delivered in bulk to their leader. Channel lines: guide commission
    on the net sales of guide-served customers, group-leader commission on group-buying net
    sales.
    """

    key = "omnichannel"
    name_zh = "线上线下相结合"
    name_en = "Online and offline combined"

    reach: Rate = param(
        Decimal("0.30"),
        "Share of the market's customers won into guides' and leaders' groups (私域触达率).",
        "assumption",
    )
    group_share: Rate = param(
        Decimal("0.40"),
        "Share of those customers who buy through community group buying (社区团购占比).",
        "assumption",
    )
    guide_conversion: Rate = param(
        Decimal("0.30"),
        "Share of active guide-served customers who buy in a period (导购社群复购率).",
        _GUIDES,
    )
    group_conversion: Rate = param(
        Decimal("0.25"),
        "Share of active group-buying customers who buy in a period (团购复购率).",
        "assumption: a group order of the brand's goods one month in four; 百果园's 50% is "
        "for fruit, bought weekly",
    )
    in_store_share: Rate = param(
        Decimal("0.30"),
        "Share of guide-served orders closed and collected in the store, not delivered "
        "(线下成交占比).",
        "assumption",
    )
    group_discount: Rate = param(
        Decimal("0.10"),
        "Discount of the group price off the list price (团购价折扣).",
        "assumption",
    )
    group_fulfilment_share: Rate = param(
        Decimal("0.40"),
        "Fulfilment cost of a group-buying order, as a share of the market's cost per order "
        "shipped: orders go in bulk to the leader (团购集中配送).",
        "assumption",
    )
    guide_commission: Rate = param(
        Decimal("0.05"),
        "Commission to shopping guides, share of their customers' net sales (导购提成).",
        "assumption",
    )
    leader_commission: Rate = param(
        Decimal("0.10"),
        "Commission to group leaders, share of group-buying net sales (团长佣金).",
        _LEADERS,
    )

    @override
    def segments(self) -> list[Segment]:
        m = self.market
        pool = m.customers * self.reach
        grouped = pool * self.group_share
        return [
            self.segment(
                "guided",
                "导购顾客",
                "Guide-served customers",
                customers=pool - grouped,
                conversion=self.guide_conversion,
                fulfilment_cost=m.fulfilment_cost * (1 - self.in_store_share),
            ),
            self.segment(
                "group_buying",
                "社区团购顾客",
                "Community group-buying customers",
                customers=grouped,
                conversion=self.group_conversion,
                unit_price=m.price * (1 - self.group_discount),
                fulfilment_cost=m.fulfilment_cost * self.group_fulfilment_share,
            ),
        ]

    @override
    def channel_costs(self, results: Mapping[str, SegmentResult]) -> list[Cost | Commission]:
        return [
            Commission(
                "guide_commissions",
                "导购提成",
                "Shopping-guide commissions",
                rate=self.guide_commission,
                on="guided",
            ),
            Commission(
                "leader_commissions",
                "团长佣金",
                "Group-leader commissions",
                rate=self.leader_commission,
                on="group_buying",
            ),
        ]

    @override
    def checks(self) -> list[Check]:
        return [
            *super().checks(),
            self.price_check("group_discount", "group price"),
        ]

    @override
    def compliance_profile(self) -> ComplianceProfile:
        """What the compliance checks read: guides and leaders paid on their own customers.

        Examples
        --------
        >>> Omnichannel().compliance_profile().own_sales_rate
        Decimal('0.10')
        """
        return ComplianceProfile(
            own_sales_rate=max(self.guide_commission, self.leader_commission),
            evidence={
                "entry_fee": "guides and group leaders pay no fee for a right to earn",
                "own_sales": (
                    f"shopping guides (导购) are paid guide_commission = "
                    f"{share_text(self.guide_commission)} and group leaders (团长) "
                    f"leader_commission = {share_text(self.leader_commission)} of their own "
                    "customers' net sales, one level only"
                ),
            },
        )


__all__ = ["Omnichannel"]
