"""三级分销: two-level distribution with a third level of commission (seed 002)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal

from typing_extensions import override

from bizmodels._compliance_profile import ComplianceProfile, share_text
from bizmodels._types import Rate, param
from bizmodels.engine import Commission, Cost, SegmentResult
from bizmodels.models._base import Check
from bizmodels.models.toc_two_level_distribution import TocTwoLevelDistribution


class ThreeLevelDistribution(TocTwoLevelDistribution):
    """三级分销: referred orders pay a commission to three levels of referrers.

    Seed 002 (002_f13a0cfa10d43761.txt) counts distribution (分銷) among the newer
    e-commerce models: the marketing budget once spread wide is paid to fans as commission,
    so that every buyer becomes a seller. Its example is soiree奢瑞小黑裙, which spread
    through WeChat Moments (紅遍朋友圈) on a three-level model and went from nothing to over
    a hundred million yuan of revenue in a year (從零做到上億). The seed gives no rates.
    Seed 000's warning on two-level distribution holds here with one more level (too little
    commission does not motivate, too much makes customers doubt the price), and each level
    paid to an upline on a downline's sales deepens the pyramid-selling risk (涉传风险): that
    is the team-remuneration form (团队计酬) 《禁止传销条例》 article 7 names.

    Segments: as `TocTwoLevelDistribution` (direct and referred orders from one pool of
    buyers). Channel lines: its level-1 and level-2 commissions, and a level-3 commission
    (三级分佣) on the net sales of the referred orders whose distributor has a referrer two
    levels up, at the same cost per yuan of commission (non-cash rewards cost less).
    """

    key = "three_level_distribution"
    name_zh = "三级分销"
    name_en = "Three-level distribution"
    seed = "002"
    listed = False

    level3_share: Rate = param(
        Decimal("0.25"),
        "Share of referred orders whose distributor has a referrer two levels up too "
        "(有三级分销员), 0 to 1; at most level2_share.",
        "assumption",
    )
    level3_rate: Rate = param(
        Decimal("0.03"),
        "Level-3 commission (三级分佣), share of a referred order's net sales.",
        "assumption",
    )

    @override
    def channel_costs(self, results: Mapping[str, SegmentResult]) -> list[Cost | Commission]:
        return [
            *super().channel_costs(results),
            self._commission(
                "level3_commission",
                "三级分佣",
                "Level-3 commission",
                self.level3_rate,
                share=self.level3_share,
            ),
        ]

    @override
    def checks(self) -> list[Check]:
        return [
            *super().checks(),
            Check(
                ("level1_rate", "level2_rate", "level3_rate"),
                "level-1, level-2 and level-3 commission rates add up to more than 1",
                self.level1_rate + self.level2_rate + self.level3_rate <= 1,
            ),
            Check(
                ("level3_share", "level2_share"),
                "more referred orders with a level-3 referrer than with a level-2 one",
                self.level3_share <= self.level2_share,
            ),
        ]

    @override
    def compliance_profile(self) -> ComplianceProfile:
        """What the compliance checks read: three levels paid on one referred order.

        Examples
        --------
        >>> ThreeLevelDistribution().compliance_profile().pay_levels
        3
        """
        base = super().compliance_profile()
        level3 = (
            f"; the referrer two levels up is paid the level-3 commission (三级分佣, "
            f"level3_rate = {share_text(self.level3_rate)})"
        )
        return replace(
            base,
            upline_rates=(self.level2_rate, self.level3_rate),
            evidence={**base.evidence, "team_pay": self._team_pay_evidence() + level3},
        )


__all__ = ["ThreeLevelDistribution"]
