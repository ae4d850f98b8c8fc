"""导购返佣 (CPS): the brand earns a platform's affiliate commission on its users' coupon orders."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from typing_extensions import override

from bizmodels._compliance_profile import ComplianceProfile, share_text
from bizmodels._types import Rate, param
from bizmodels.engine import Commission, Cost, Segment, SegmentResult
from bizmodels.models._base import BusinessModel


class CouponRebate(BusinessModel):
    """导购返佣 (CPS): its users buy on Taobao or Pinduoduo with its coupons; it earns commission.

    Seed 002 (002_f13a0cfa10d43761.txt) describes the coupon-guide mall (導購商城): every
    product comes from platforms such as Taobao and Pinduoduo (淘寶、拼多多), so the brand
    does not source goods, serve customers, handle after-sales or ship anything
    (不需要自己找商品、做客服、做售后). Users take a coupon from the brand and buy cheaper than
    directly; they can share the coupon, and when a friend buys, the sharer earns commission
    (就能獲取傭金), and the brand, as operator, has commission income too (你也有傭金收入).
    The seed gives no rates.

    The P&L is the brand's own: GMV here is the commission it earns, not the GMV of the
    goods (that is the platform's; it is this GMV / (platform_commission_rate × (1 −
    coupon_discount))). ``market.price`` is read as the value of a goods order at list
    price; ``market.unit_cost`` and ``market.fulfilment_cost`` are not used. A refunded goods
    order loses its commission, so the market's refund rate applies to the commission.
    The commission is service income (服务), so its VAT is at ``market.tax.service_rate``
    (6%, 增值税法 第十条). One limitation of the shared market: the engine charges
    ``market.tax.payment_fee_rate`` on it, though platforms settle commission by transfer;
    run the model on ``Market(tax=Tax(payment_fee_rate=0))`` to leave it out.

    Segments: coupon orders, each worth its commission ``market.price × (1 −
    coupon_discount) × platform_commission_rate``, with no goods cost and nothing shipped;
    every coupon order counts as an order. Channel lines: rebates to sharing users (返佣), a
    share of the commission on the orders placed through a shared coupon.
    """

    key = "coupon_rebate"
    name_zh = "导购返佣"
    name_en = "Coupon rebate (CPS)"
    seed = "002"
    listed = False

    reach: Rate = param(
        Decimal("0.30"),
        "Share of the market's customers who use the brand's coupons (导购用户), 0 to 1.",
        "assumption",
    )
    conversion: Rate = param(
        Decimal("0.50"),
        "Share of users who buy with one of the brand's coupons in a period (转化率).",
        "assumption",
    )
    coupon_discount: Rate = param(
        Decimal("0.10"),
        "Coupon discount off the goods' list price (优惠券), 0 to 1; the merchant funds it, "
        "and the commission is paid on the price after it.",
        "assumption",
    )
    platform_commission_rate: Rate = param(
        Decimal("0.20"),
        "Affiliate commission the platform pays the brand (平台佣金比例), share of the price "
        "the buyer pays.",
        "assumption",
    )
    shared_share: Rate = param(
        Decimal("0.40"),
        "Share of coupon orders placed by friends a user shared the coupon with (分享订单占比).",
        "assumption",
    )
    rebate_rate: Rate = param(
        Decimal("0.50"),
        "Share of the commission on a shared order passed back to the sharing user (返佣比例).",
        "assumption",
    )

    @override
    def segments(self) -> list[Segment]:
        m = self.market
        return [
            self.segment(
                "commissions",
                "导购佣金",
                "Commission on coupon orders",
                customers=m.customers * self.reach,
                conversion=self.conversion,
                unit_price=m.price * (1 - self.coupon_discount) * self.platform_commission_rate,
                unit_cost=0,
                fulfilment_cost=0,
                vat="service",
            ),
        ]

    @override
    def channel_costs(self, results: Mapping[str, SegmentResult]) -> list[Cost | Commission]:
        return [
            Commission(
                "sharer_rebates",
                "分享返佣",
                "Rebates to sharers",
                rate=self.rebate_rate,
                on="commissions",
                share=self.shared_share,
            ),
        ]

    @override
    def compliance_profile(self) -> ComplianceProfile:
        """What the compliance checks read: one level of rebate to the user who shared.

        Examples
        --------
        >>> CouponRebate().compliance_profile().own_sales_rate
        Decimal('0.1000')
        """
        rate = self.rebate_rate * self.platform_commission_rate
        return ComplianceProfile(
            own_sales_rate=rate,
            evidence={
                "entry_fee": "users take coupons free: no fee for a right to earn",
                "own_sales": (
                    f"a user whose shared coupon a friend uses gets rebate_rate = "
                    f"{share_text(self.rebate_rate)} of the brand's platform commission "
                    f"(platform_commission_rate = {share_text(self.platform_commission_rate)})"
                    f": {share_text(rate)} of the price the friend pays, one level only"
                ),
            },
        )


__all__ = ["CouponRebate"]
