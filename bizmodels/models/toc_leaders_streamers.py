"""to C + 第三方社群团长、直播主播: group leaders and live streamers bring the buyers."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from typing_extensions import override

from bizmodels._compliance_profile import ComplianceProfile, share_text, yuan_text
from bizmodels._types import Count, Rate, Yuan, param
from bizmodels.engine import Commission, Cost, Segment, SegmentResult
from bizmodels.models._base import BusinessModel, Check


class TocLeadersStreamers(BusinessModel):
    """to C + 第三方社群团长、直播主播 (tobtoc): leaders and streamers sell; the brand keeps some.

    Seed 000 (000_446469964f142a4d.txt, model 2, "tobtoc") says it fits a brand that has
    group leaders (团长) and live streamers (主播) to work with and a supply-chain advantage:
    they bring the traffic, and the buyers are later moved into the brand's own private pool
    (私域沉淀池) for nurturing, retention and repurchase. The brand pays for the traffic on
    every order the leaders and streamers sell, so what it earns beyond them rests on how
    many of their buyers it keeps.

    Segments: buyers brought by group leaders and buyers brought by streamers, both buying at
    a campaign discount; and the retained buyers, some of both, who repurchase at the list
    price in the private pool. Channel lines: leader and streamer commissions on the net
    sales of their buyers, and the streamers' slot fees (坑位费). Acquisition: only retained
    buyers cost ``acquisition_cost`` (adding them to the brand's WeChat); the others are
    paid for through commission.
    """

    key = "toc_leaders_streamers"
    name_zh = "to C + 第三方社群团长、直播主播 (tobtoc)"
    name_en = "To C through group leaders and live streamers"

    leader_reach: Rate = param(
        Decimal("0.20"),
        "Share of the market's customers who buy through group leaders (团长), 0 to 1.",
        "assumption",
    )
    streamer_reach: Rate = param(
        Decimal("0.20"),
        "Share of the market's customers who buy through live streamers (主播), 0 to 1.",
        "assumption",
    )
    campaign_discount: Rate = param(
        Decimal("0.20"),
        "Discount off the list price on leader and streamer orders (团购价、直播价), 0 to 1.",
        "assumption",
    )
    campaign_conversion: Rate = param(
        Decimal("0.15"),
        "Share of leader and streamer buyers who buy through them in a period (转化率).",
        "assumption",
    )
    leader_commission: Rate = param(
        Decimal("0.15"),
        "Group leaders' commission (团长佣金), share of their buyers' net sales.",
        "assumption: within the 5-20% of the sale price reported for community group leaders "
        "(ChinaTalk), above the 5-10% of groceries (Rest of World, 2021) for a third-party "
        "leader who brings their own group; docs: Are the defaults sensible?",
    )
    streamer_commission: Rate = param(
        Decimal("0.20"),
        "Streamers' commission (主播佣金), share of their buyers' net sales.",
        "assumption: live-streamers 'typically charge a 20% commission on direct sales, along "
        "with a service fee' (KrASIA, 2024-09); docs: Are the defaults sensible?",
    )
    slot_fee: Yuan = param(
        Decimal(3_000), "Fixed fee per live-stream slot (坑位费), yuan per slot.", "assumption"
    )
    slots: Count = param(
        Decimal(6), "Live-stream slots bought over the lifetime (直播场次), slots.", "assumption"
    )
    retained_share: Rate = param(
        Decimal("0.30"),
        "Share of leader and streamer buyers moved into the private pool (私域沉淀), 0 to 1.",
        "assumption",
    )
    repurchase_rate: Rate = param(
        Decimal("0.20"),
        "Share of retained buyers who repurchase at the list price in a period (复购率).",
        "assumption",
    )

    def _retained(self) -> Any:
        reached = self.market.customers * (self.leader_reach + self.streamer_reach)
        return reached * self.retained_share

    @override
    def segments(self) -> list[Segment]:
        m = self.market
        campaign_price = m.price * (1 - self.campaign_discount)
        return [
            self.segment(
                "leader_buyers",
                "团长带来的顾客",
                "Buyers through group leaders",
                customers=m.customers * self.leader_reach,
                conversion=self.campaign_conversion,
                unit_price=campaign_price,
            ),
            self.segment(
                "streamer_buyers",
                "主播带来的顾客",
                "Buyers through streamers",
                customers=m.customers * self.streamer_reach,
                conversion=self.campaign_conversion,
                unit_price=campaign_price,
            ),
            self.segment(
                "retained",
                "沉淀私域复购",
                "Retained buyers' repurchases",
                customers=self._retained(),
                conversion=self.repurchase_rate,
                distinct=False,
            ),
        ]

    @override
    def channel_costs(self, results: Mapping[str, SegmentResult]) -> list[Cost | Commission]:
        return [
            Commission(
                "leader_commission",
                "团长佣金",
                "Group leader commission",
                rate=self.leader_commission,
                on="leader_buyers",
            ),
            Commission(
                "streamer_commission",
                "主播佣金",
                "Streamer commission",
                rate=self.streamer_commission,
                on="streamer_buyers",
            ),
            Cost("slot_fees", "坑位费", "Streamer slot fees", self.slot_fee * self.slots),
        ]

    @override
    def acquisition_costs(self, customers: Any) -> list[Cost]:
        # only the retained buyers are the brand's own customers to win
        return super().acquisition_costs(self._retained())

    @override
    def checks(self) -> list[Check]:
        return [
            *super().checks(),
            Check(
                ("leader_reach", "streamer_reach"),
                "leader and streamer reach add up to more than the market",
                self.leader_reach + self.streamer_reach <= 1,
            ),
        ]

    @override
    def compliance_profile(self) -> ComplianceProfile:
        """What the compliance checks read: leaders and streamers paid on their own buyers.

        Examples
        --------
        >>> TocLeadersStreamers().compliance_profile().own_sales_rate
        Decimal('0.20')
        """
        # a channel that reaches no one pays no one (the community 微商 preset has no streamers)
        paid = []
        if self.leader_reach:
            paid.append(
                (
                    self.leader_commission,
                    (
                        f"group leaders (团长) are paid leader_commission = "
                        f"{share_text(self.leader_commission)}"
                    ),
                )
            )
        if self.streamer_reach:
            paid.append(
                (
                    self.streamer_commission,
                    (
                        f"streamers (主播) streamer_commission = "
                        f"{share_text(self.streamer_commission)}"
                    ),
                )
            )
        if not paid:
            return ComplianceProfile(evidence={"own_sales": "no leader or streamer reaches anyone"})
        slots = (
            f"; streamers also get a fixed slot fee (坑位费, slot_fee = "
            f"{yuan_text(self.slot_fee)} yuan × slots = {yuan_text(self.slots)})"
            if self.streamer_reach and self.slots
            else ""
        )
        return ComplianceProfile(
            own_sales_rate=max(rate for rate, _ in paid),
            evidence={
                "entry_fee": "leaders and streamers pay nothing to work with the brand",
                "own_sales": (
                    " and ".join(text for _, text in paid)
                    + f" of their own buyers' net sales, one level only{slots}"
                ),
            },
        )


__all__ = ["TocLeadersStreamers"]
