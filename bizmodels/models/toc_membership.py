"""纯 to C + 会员运营: selling straight to consumers, with a paid membership."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from typing_extensions import override

from bizmodels._compliance_profile import ComplianceProfile, yuan_text
from bizmodels._types import Rate, Yuan, param
from bizmodels.engine import Commission, Cost, Segment, SegmentResult
from bizmodels.models._base import PoolModel

_SEED_FITS = "seed 000 (000_446469964f142a4d.txt), model 1"
_MEMBERS = (
    "assumption: half as often again as an ordinary customer; seed 001 "
    "(001_07a435858c0348ea.txt) reports 月复购率超50% for 百果园's fruit groups, a weekly "
    "purchase, not a 199-yuan order"
)


class TocMembership(PoolModel):
    """纯 to C + 会员运营: the brand sells to consumers and runs a paid membership.

    Seed 000 (000_446469964f142a4d.txt) says it fits a low order value, a short decision
    chain, a well-known product or category that needs no market education or trial, and
    promotions or referral pushes that convert directly. Its warning is implicit: everything
    rests on retention and repurchase (the AARRR funnel), so the whole lifetime value must
    come from the brand's own operations.

    Segments: ordinary buyers, and paid members who buy more often at a member discount and
    pay a membership fee. Channel lines: member benefits (perks beyond the discount).
    """

    key = "toc_membership"
    name_zh = "纯to C + 会员运营"
    name_en = "Direct to consumer with membership"

    conversion: Rate = param(
        Decimal("0.20"), "Share of ordinary customers who buy in a period (转化率).", "assumption"
    )
    member_share: Rate = param(
        Decimal("0.10"), "Share of private-domain customers who pay for membership.", "assumption"
    )
    member_conversion: Rate = param(
        Decimal("0.30"), "Share of active members who buy in a period (复购率).", _MEMBERS
    )
    member_discount: Rate = param(
        Decimal("0.05"), "Discount off the list price for members (会员折扣).", "assumption"
    )
    membership_fee: Yuan = param(
        Decimal(99), "Membership fee per member per 12 periods (会员费), yuan.", "assumption"
    )
    member_benefits: Yuan = param(
        Decimal(2),
        "Cost of member perks per active member per period (会员权益), yuan.",
        "assumption",
    )

    def _members(self) -> Any:
        return self.pool() * self.member_share

    @override
    def segments(self) -> list[Segment]:
        pool, members = self.pool(), self._members()
        return [
            self.segment(
                "buyers",
                "普通顾客",
                "Ordinary buyers",
                customers=pool - members,
                conversion=self.conversion,
            ),
            self.segment(
                "members",
                "付费会员",
                "Paid members",
                customers=members,
                conversion=self.member_conversion,
                unit_price=self.market.price * (1 - self.member_discount),
            ),
            self.segment(
                "membership_fees",
                "会员费",
                "Membership fees",
                customers=members,
                lifetime=self.lifetime / 12,  # one fee a year, paid by the members still active
                every=12,
                conversion=1,
                unit_price=self.membership_fee,
                unit_cost=0,
                fulfilment_cost=0,
                distinct=False,
                fee=True,
                vat="service",  # a membership sells a service, not goods (增值税法 第十条)
            ),
        ]

    @override
    def channel_costs(self, results: Mapping[str, SegmentResult]) -> list[Cost | Commission]:
        return [
            Cost(
                "member_benefits",
                "会员权益成本",
                "Member benefits",
                self._members() * self.member_benefits * self.active_periods(),
            ),
        ]

    @override
    def compliance_profile(self) -> ComplianceProfile:
        """What the compliance checks read: no fee for a right to earn, no pay to anyone.

        The membership fee (会员费) buys member prices and perks, not a right to earn or to
        recruit, so it is not an entry fee (入门费).

        Examples
        --------
        >>> TocMembership().compliance_profile().entry_fee
        Decimal('0')
        """
        return ComplianceProfile(
            evidence={
                "entry_fee": (
                    f"the membership fee (会员费, membership_fee = "
                    f"{yuan_text(self.membership_fee)} yuan per 12 periods) buys member prices "
                    "and perks, not a right to earn or to recruit"
                ),
                "own_sales": "no one is paid a commission: the brand sells to its own customers",
            }
        )


__all__ = ["TocMembership"]
