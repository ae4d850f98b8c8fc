"""线下赋能线上: ground promotion, events and alliances turn offline people into online buyers."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from typing_extensions import override

from bizmodels._compliance_profile import ComplianceProfile, share_text
from bizmodels._types import Rate, Yuan, param
from bizmodels.engine import Commission, Cost, Segment, SegmentResult
from bizmodels.models._base import BusinessModel, Check


class OfflineToOnline(BusinessModel):
    """线下赋能线上: offline leads, won by ground promotion and alliances, buy in the online mall.

    Seed 000 (000_446469964f142a4d.txt), model 7, moves offline traffic online: ground
    promotion (地推), trade fairs, offline events and cross-industry alliances (异业联盟). It
    fits when the target people can be reached precisely offline and won on the spot, for
    example by adding WeChat for a mall coupon (加微信送商城优惠券) or by following the
    mall; the customers then settle and convert online. The seed gives no warning; the
    model makes the cost side explicit: every lead costs money whether or not it buys, and
    the coupon and the alliance partners' commission come out of the first and later orders.

    Segments: leads are ``market.customers × lead_share``, customers are ``leads ×
    lead_conversion``; each customer places a first order at list price, then buys again
    at ``repurchase_rate`` in each of the remaining ``lifetime − 1`` periods (same people,
    so not distinct). Acquisition: cost per lead on the leads not brought by alliance
    partners (ground promotion, fairs, events); it replaces the per-customer
    ``acquisition_cost``, which this model does not use. Channel lines: mall coupons
    redeemed on first orders, and the alliance partners' commission on every order of the
    customers they bring (``alliance_share`` of the customers).
    """

    key = "offline_to_online"
    name_zh = "线下赋能线上"
    name_en = "Offline driving online"

    lead_share: Rate = param(
        Decimal("0.30"),
        "Share of the market's customers captured offline as leads (线下获客: add WeChat, "
        "follow the mall), 0 to 1.",
        "assumption",
    )
    lead_conversion: Rate = param(
        Decimal("0.40"),
        "Share of leads who become customers and place a first order online (转化率).",
        "assumption",
    )
    cost_per_lead: Yuan = param(
        Decimal(10),
        "Cost per lead of ground promotion, fairs and events (地推获客成本: gift, staff, "
        "venue), yuan.",
        "assumption",
    )
    repurchase_rate: Rate = param(
        Decimal("0.25"),
        "Share of customers who buy again in each period after the first (复购率).",
        "assumption",
    )
    coupon_value: Yuan = param(
        Decimal(20),
        "Value of the mall coupon given for adding WeChat (商城优惠券), yuan off a first order.",
        "assumption",
    )
    coupon_redemption: Rate = param(
        Decimal("0.70"),
        "Share of first orders that use the mall coupon (优惠券核销率).",
        "assumption",
    )
    alliance_share: Rate = param(
        Decimal("0.30"),
        "Share of leads, and so of customers, brought by cross-industry alliance partners "
        "(异业联盟), 0 to 1.",
        "assumption",
    )
    alliance_commission_rate: Rate = param(
        Decimal("0.10"),
        "Commission to alliance partners (异业联盟分佣) on the orders of the customers they "
        "bring, share of net sales.",
        "assumption",
    )

    def _leads(self) -> Any:
        return self.market.customers * self.lead_share

    def _customers(self) -> Any:
        return self._leads() * self.lead_conversion

    @override
    def segments(self) -> list[Segment]:
        customers = self._customers()
        return [
            self.segment(
                "first_orders",
                "线上首单",
                "First orders online",
                customers=customers,
                lifetime=1,
                conversion=1,
            ),
            self.segment(
                "repeat_orders",
                "线上复购",
                "Repeat orders online",
                customers=customers,
                lifetime=self.lifetime - 1,
                conversion=self.repurchase_rate,
                distinct=False,
            ),
        ]

    @override
    def channel_costs(self, results: Mapping[str, SegmentResult]) -> list[Cost | Commission]:
        return [
            Cost(
                "coupons",
                "商城优惠券",
                "Mall coupons",
                results["first_orders"].net_orders * self.coupon_redemption * self.coupon_value,
            ),
            Commission(
                "alliance_commissions",
                "异业联盟分佣",
                "Alliance partner commissions",
                rate=self.alliance_commission_rate,
                on=("first_orders", "repeat_orders"),
                share=self.alliance_share,
            ),
        ]

    @override
    def acquisition_costs(self, customers: Any) -> list[Cost]:
        return [
            Cost(
                "lead_costs",
                "地推获客成本",
                "Ground promotion leads",
                self._leads() * (1 - self.alliance_share) * self.cost_per_lead,
                "acquisition",
            )
        ]

    @override
    def checks(self) -> list[Check]:
        return [
            *super().checks(),
            Check(
                ("coupon_value", "market.price"),
                "coupon worth more than the list price",
                self.coupon_value <= self.market.price,
            ),
            self.first_order_check(),
        ]

    @override
    def compliance_profile(self) -> ComplianceProfile:
        """What the compliance checks read: alliance partners paid on the customers they bring.

        Examples
        --------
        >>> OfflineToOnline().compliance_profile().own_sales_rate
        Decimal('0.10')
        """
        return ComplianceProfile(
            own_sales_rate=self.alliance_commission_rate,
            evidence={
                "entry_fee": "partners and customers pay no fee for a right to earn",
                "own_sales": (
                    f"cross-industry alliance partners (异业联盟) are paid "
                    f"alliance_commission_rate = {share_text(self.alliance_commission_rate)} "
                    "of the orders of the customers they bring, one level only"
                ),
            },
        )


__all__ = ["OfflineToOnline"]
