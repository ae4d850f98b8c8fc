"""公域平台店铺: a Tmall/JD/Douyin shop, the public-marketplace baseline (seed 002).

The reference a private-domain model is held against: the same market (price, goods cost,
fulfilment, refunds), sold through a platform that owns the shoppers. Every order pays the
platform's commission and fees, and every order is bought again with paid traffic, since
the brand has no private pool (私域) to reach its buyers through.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from typing_extensions import override

from bizmodels._compliance_profile import ComplianceProfile
from bizmodels._types import Rate, Yuan, param
from bizmodels.engine import Commission, Cost, Segment, SegmentResult
from bizmodels.models._base import BusinessModel, Check

_SEED_PAID_TRAFFIC = (
    "seed 002 (002_f13a0cfa10d43761.txt): 平臺的紅利期已經過去 … 新企業想要獲取排名、曝光，"
    "只能花錢做推廣，這樣成本又非常高"
)
_SAME_REACH = (
    "assumption: the private-domain models' default reach (0.30), so that the baseline and "
    "the models reach the same shoppers and the comparison isolates what the channel costs"
)
_REPURCHASE = (
    "assumption: half the private-domain models' default conversion (0.20): with no pool to "
    "message, a shopper buys again only when the platform shows the shop again"
)
_COMMISSION = (
    "assumption: within the category commission (类目佣金 / 软件服务费) of the large "
    "platforms, a few percent of net sales by category (not checked against a published "
    "rate card here)"
)
_PLATFORM_FEES = (
    "assumption: the platform's other per-order charges (积分、运费险、营销活动服务费) "
    "beside the commission and the payment fee, about 1% of net sales (not checked)"
)
_FIRST_ORDER_TRAFFIC = (
    f"{_SEED_PAID_TRAFFIC}; the amount is an assumption: a quarter of the default 199-yuan "
    "order, a return of 4 yuan of GMV per yuan of paid traffic (ROI 4) on new shoppers"
)
_REMARKETING = (
    f"{_SEED_PAID_TRAFFIC}; the share is an assumption: 10% of the repeat orders' GMV (ROI "
    "10), below the cost of a first order because re-targeting known buyers is cheaper"
)
_ANNUAL_FEE = (
    "assumption: a store's annual software fee (年费) of tens of thousands of yuan (not "
    "checked against a published rate card); the refundable deposit (保证金) is cash held, "
    "not a cost, and goes in cash_flows(setup=...)"
)


class MarketplaceShop(BusinessModel):
    """公域平台店铺: a Tmall/JD/Douyin shop, the public-marketplace baseline.

    Seed 002 (002_f13a0cfa10d43761.txt) describes the early e-commerce model of 淘宝、天貓、
    京東 (merchants open a shop on a platform and sell) and advises a company that has not
    done it yet not to put its effort there: 平臺的紅利期已經過去 … 新企業想要獲取排名、
    曝光，只能花錢做推廣，這樣成本又非常高. This model prices that warning, as the reference
    `bizmodels.compare` holds the private-domain models against (``compare(baseline=True)``).

    Shoppers (``market.customers × reach``) are reached through the platform's search,
    recommendation and paid traffic. The brand owns no pool: every order, first and repeat,
    pays the platform's commission (类目佣金) and other fees on its net sales, and each is
    bought with paid traffic (直通车 / 千川), the first order at ``acquisition_cost`` per new
    shopper, each repeat order at ``remarketing_share`` of its GMV. The store's annual fee
    (年费) is a fixed cost. Price, goods, fulfilment, refunds, VAT and payment fees are the
    market's, as for every model, so the comparison is fair.

    Segments: first orders (one per shopper, in the first period) and repeat orders (the
    same shoppers, ``repurchase_rate`` per period over the remaining ``lifetime − 1``
    periods). Channel lines: platform commission, platform fees and re-marketing traffic;
    acquisition: the paid traffic of first orders; fixed: the annual fee beside the base's.

    Examples
    --------
    What does a marketplace shop keep of 199 yuan of GMV, on the default market?

    >>> from bizmodels.models.marketplace_shop import MarketplaceShop
    >>> waterfall = MarketplaceShop().waterfall().to_dict()
    >>> waterfall["platform_commission"] / waterfall["net_sales"]
    Decimal('0.05')

    Five fen of each yuan of net sales go to the platform as commission, before its fees
    and the paid traffic.
    """

    key = "marketplace_shop"
    name_zh = "公域平台店铺（天猫/京东/抖音）"
    name_en = "Marketplace shop (Tmall/JD/Douyin), the baseline"
    seed = "002"
    listed = False

    acquisition_cost: Yuan = param(
        Decimal(50),
        "Paid traffic (直通车 / 千川) spent to win one new shopper's first order (拉新推广费), "
        "yuan per new shopper.",
        _FIRST_ORDER_TRAFFIC,
    )
    reach: Rate = param(
        Decimal("0.30"),
        "Share of the market's customers who buy from the shop at least once, reached "
        "through the platform's search, recommendation and paid traffic (平台顾客).",
        _SAME_REACH,
    )
    repurchase_rate: Rate = param(
        Decimal("0.10"),
        "Share of the shop's shoppers who buy again in each period after the first (复购率).",
        _REPURCHASE,
    )
    commission_rate: Rate = param(
        Decimal("0.05"),
        "Platform commission (类目佣金 / 技术服务费), share of net sales, every order.",
        _COMMISSION,
    )
    platform_fee_rate: Rate = param(
        Decimal("0.01"),
        "The platform's other per-order fees (平台费用: 积分、运费险、活动服务费), share of "
        "net sales, every order.",
        _PLATFORM_FEES,
    )
    remarketing_share: Rate = param(
        Decimal("0.10"),
        "Paid traffic spent to win each repeat order again (老客召回推广费), share of the "
        "repeat orders' GMV.",
        _REMARKETING,
    )
    annual_fee: Yuan = param(
        Decimal(30_000),
        "The store's annual fee (年费 / 软件服务年费), yuan per 12 periods.",
        _ANNUAL_FEE,
    )

    def _shoppers(self) -> Any:
        return self.market.customers * self.reach

    @override
    def segments(self) -> list[Segment]:
        shoppers = self._shoppers()
        return [
            self.segment(
                "first_orders",
                "首单",
                "First orders",
                customers=shoppers,
                lifetime=1,
                conversion=1,
            ),
            self.segment(
                "repeat_orders",
                "复购订单",
                "Repeat orders",
                customers=shoppers,
                lifetime=self.lifetime - 1,
                conversion=self.repurchase_rate,
                distinct=False,
            ),
        ]

    @override
    def channel_costs(self, results: Mapping[str, SegmentResult]) -> list[Cost | Commission]:
        orders = ("first_orders", "repeat_orders")
        return [
            Commission(
                "platform_commission",
                "平台佣金",
                "Platform commission",
                self.commission_rate,
                orders,
            ),
            Commission(
                "platform_fees",
                "平台费用",
                "Platform fees",
                self.platform_fee_rate,
                orders,
            ),
            Cost(
                "remarketing_traffic",
                "老客召回推广费",
                "Re-marketing traffic (repeat orders)",
                # paid per click, refunded order or not: a share of GMV, not of net sales
                results["repeat_orders"].gmv * self.remarketing_share,
                follows="repeat_orders",
            ),
        ]

    @override
    def acquisition_costs(self, customers: Any) -> list[Cost]:
        return [
            Cost(
                "first_order_traffic",
                "拉新推广费",
                "Paid traffic (first orders)",
                customers * self.acquisition_cost,
                "acquisition",
            )
        ]

    @override
    def overhead_costs(self) -> list[Cost]:
        return [
            *super().overhead_costs(),
            Cost(
                "annual_fee",
                "店铺年费",
                "Store annual fee",
                self.annual_fee * self.lifetime / 12,
                "fixed",
            ),
        ]

    @override
    def checks(self) -> list[Check]:
        return [
            *super().checks(),
            Check(
                ("lifetime",),
                "lifetime shorter than the first order's period",
                self.lifetime >= 1,
            ),
        ]

    @override
    def compliance_profile(self) -> ComplianceProfile:
        """What the compliance checks read: nobody is paid to sell or to recruit.

        The platform's commission is the price of a sales service (the platform's
        traffic, payment and rules), paid by the brand on its own sales; no participant
        earns on anyone's orders.

        Examples
        --------
        >>> from bizmodels.models.marketplace_shop import MarketplaceShop
        >>> MarketplaceShop().compliance_profile().pay_levels
        0
        """
        return ComplianceProfile(
            evidence={
                "entry_fee": "shoppers pay only for goods",
                "own_sales": (
                    "no one is paid a commission on referrals: the platform's commission "
                    f"(commission_rate = {self.commission_rate}) is the brand's fee for "
                    "selling on it"
                ),
            }
        )


__all__ = ["MarketplaceShop"]
