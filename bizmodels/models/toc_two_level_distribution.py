"""to C + 二级分销: customers share the brand's goods for a two-level commission."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from typing_extensions import override

from bizmodels._compliance_profile import ComplianceProfile, share_text
from bizmodels._types import Rate, param
from bizmodels.engine import Commission, Cost, Segment, SegmentResult
from bizmodels.models._base import Check, PoolModel


class TocTwoLevelDistribution(PoolModel):
    """to C + 二级分销 (轻 to B): referred orders pay a commission to two levels of referrers.

    Seed 000 (000_446469964f142a4d.txt, model 3) likens it to Youzan's two-level distribution
    (有赞二级分销): the distributors are not dealers in the strict sense. The seed recommends
    it as a short-term promotion, not a long-term model: too little commission does not
    motivate the distributors, too much makes customers doubt the price, and the mini
    program's own referral games (group buying, bargaining, chain orders) often work better.
    It adds that the commission can be paid as other rewards instead, such as travel or
    product exchange (旅游、产品兑换), which cost the brand less than their face value.

    Segments: the brand's buyers at the list price, split into direct orders and orders
    referred by a distributor (the same people, counted once). Channel lines: level-1 and
    level-2 commissions (一级、二级分佣) on the net sales of referred orders, each costing
    ``commission × (1 − noncash_share + noncash_share × noncash_cost_ratio)``.
    """

    key = "toc_two_level_distribution"
    name_zh = "to C + 二级分销 (轻 to B)"
    name_en = "To C with two-level distribution"

    referred_share: Rate = param(
        Decimal("0.30"),
        "Share of orders that come through a distributor's referral (分销订单占比), 0 to 1.",
        "assumption",
    )
    level2_share: Rate = param(
        Decimal("0.50"),
        "Share of referred orders whose distributor has a referrer too (有二级分销员), 0 to 1.",
        "assumption",
    )
    level1_rate: Rate = param(
        Decimal("0.10"),
        "Level-1 commission (一级分佣), share of a referred order's net sales.",
        "assumption",
    )
    level2_rate: Rate = param(
        Decimal("0.05"),
        "Level-2 commission (二级分佣), share of a referred order's net sales.",
        "assumption",
    )
    noncash_share: Rate = param(
        Decimal("0.30"),
        "Share of commission value paid as non-cash rewards such as travel or product "
        "exchange (旅游、产品兑换), 0 to 1.",
        "assumption",
    )
    noncash_cost_ratio: Rate = param(
        Decimal("0.50"),
        "What one yuan of non-cash reward costs the brand (奖励成本率), yuan per yuan.",
        "assumption",
    )

    @override
    def segments(self) -> list[Segment]:
        pool = self.pool()
        return [
            self.segment(
                "direct_orders",
                "直接下单",
                "Direct orders",
                customers=pool,
                conversion=self.conversion * (1 - self.referred_share),
            ),
            self.segment(
                "referred_orders",
                "分销员推荐订单",
                "Orders referred by distributors",
                customers=pool,
                conversion=self.conversion * self.referred_share,
                distinct=False,
            ),
        ]

    @override
    def channel_costs(self, results: Mapping[str, SegmentResult]) -> list[Cost | Commission]:
        return [
            self._commission(
                "level1_commission", "一级分佣", "Level-1 commission", self.level1_rate
            ),
            self._commission(
                "level2_commission",
                "二级分佣",
                "Level-2 commission",
                self.level2_rate,
                share=self.level2_share,
            ),
        ]

    def _commission(self, key: str, zh: str, en: str, rate: Any, share: Any = None) -> Commission:
        """A commission on the referred orders, part of it paid in kind (旅游、产品兑换)."""
        return Commission(
            key,
            zh,
            en,
            rate=rate,
            on="referred_orders",
            share=share,
            in_kind_share=self.noncash_share,
            in_kind_cost=self.noncash_cost_ratio,
        )

    @override
    def checks(self) -> list[Check]:
        return [
            *super().checks(),
            Check(
                ("level1_rate", "level2_rate"),
                "level-1 and level-2 commission rates add up to more than 1",
                self.level1_rate + self.level2_rate <= 1,
            ),
        ]

    @override
    def compliance_profile(self) -> ComplianceProfile:
        """What the compliance checks read: a distributor and its referrer paid on one order.

        Examples
        --------
        >>> p = TocTwoLevelDistribution().compliance_profile()
        >>> p.pay_levels, p.upline_rates
        (2, (Decimal('0.05'),))
        """
        return ComplianceProfile(
            own_sales_rate=self.level1_rate,
            upline_rates=(self.level2_rate,) if self.level2_rate else (),
            evidence={
                "entry_fee": "the model charges distributors (分销员) no fee to join or to earn",
                "own_sales": (
                    f"a distributor is paid the level-1 commission (一级分佣, level1_rate = "
                    f"{share_text(self.level1_rate)}) of the orders it refers"
                ),
                "team_pay": self._team_pay_evidence(),
            },
        )

    def _team_pay_evidence(self) -> str:
        in_kind = (
            f"; noncash_share = {share_text(self.noncash_share)} of it is paid in kind "
            "(旅游、产品兑换), which is still pay (物质奖励)"
            if self.noncash_share
            else ""
        )
        return (
            f"the distributor's own referrer is paid the level-2 commission (二级分佣, "
            f"level2_rate = {share_text(self.level2_rate)}) of the same orders: an upline paid "
            f"on its downline's sales{in_kind}"
        )


__all__ = ["TocTwoLevelDistribution"]
