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
from bizmodels.models._base import BusinessModel, Check, PoolModel

_SEED_PAID_TRAFFIC = (
    "seed 002 (002_f13a0cfa10d43761.txt): 平臺的紅利期已經過去 … 新企業想要獲取排名、曝光，"
    "只能花錢做推廣，這樣成本又非常高"
)
_SAME_OVERHEADS = (
    "assumption: the private-domain models' own default (BusinessModel), so that the "
    "comparison isolates what the channel costs: a shop also runs a team (运营、美工、客服) "
    "and spends on content and events beyond its paid traffic"
)
_SAME_REACH = (
    "assumption: the private-domain models' default reach (PoolModel.reach), so that the "
    "baseline and the models reach the same shoppers and the comparison isolates what the "
    "channel costs"
)
_REPURCHASE = (
    "assumption: half the private-domain models' default conversion (0.20), so that with "
    "its first order a shopper buys about as many orders over the lifetime as a pool's "
    "customer (over 12 periods with no churn 1 + 11 × 0.10 = 2.1 against 12 × 0.20 = 2.4; "
    "at the default retention 0.92, 7.90 active periods, 1 + 6.90 × 0.10 = 1.69 against "
    "7.90 × 0.20 = 1.58): the comparison is then of what the channel costs"
)
_COMMISSION = (
    "assumption: 0.05, the top of Tmall's published range, for a brand store. The rate "
    "cards, read second-hand: Tmall Global's commission is 'generally between 2% and 5% "
    "depending on the category' (pltfrm.com.cn, an agency's page, undated); 爱逛's "
    "promotion service fee 2.00%-6.00% by category (its rules of 2023-01-11, quoted by "
    "api-evangelist/aiguang); Douyin's technical service fee 'generally between 2% and 10%' "
    "(hb2b.com Q&A, undated, weak)"
)
_PLATFORM_FEES = (
    "assumption: the platform's other per-order charges (积分、运费险、营销活动服务费) "
    "beside the commission and the market's payment fee, about 1% of net sales (no "
    "published figure found)"
)
_FIRST_ORDER_TRAFFIC = (
    f"{_SEED_PAID_TRAFFIC}; the amount is an assumption: the private-domain models' own "
    "default cost of winning a customer (BusinessModel.acquisition_cost), since either way "
    "a first order is bought from the same public traffic"
)
_REMARKETING = (
    f"{_SEED_PAID_TRAFFIC}; the share is an assumption: 0.15 of GMV, between the "
    "platform-wide floor of Alibaba's customer-management revenue, about 2.5% of its China "
    "retail GMV in FY2019 (RMB145,684m, Alibaba 20-F FY2019 segment note; the GMV from "
    "memory) and branded snack makers' whole selling expense, about 20% of revenue "
    "(Bestore FY2023 19.55%, a broker's note); no published 直通车/千川 spend per merchant "
    "was found"
)
_ANNUAL_FEE = (
    "assumption: the lower of the two annual technical service fees (年费) of Tmall's fee "
    "schedule, RMB30,000 or 60,000 by category (about.tmall.com/tmall/fee_schedule, c. "
    "2013, the fee read in a copy of the schedule: it may have changed since); the security "
    "deposit (保证金, RMB50,000-150,000) is refundable cash held, not a cost: pass it as "
    "cash_flows(setup=...)"
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
    shopper (the private-domain models' own cost of winning a customer), each repeat order
    at ``remarketing_share`` of its GMV. The store's annual fee
    (年费) is a fixed cost. Price, goods, fulfilment, refunds, VAT and payment fees are the
    market's, as for every model, so the comparison is fair.

    Segments: first orders (one per shopper, in the first period) and repeat orders (the
    same shoppers, ``repurchase_rate`` per period while still active over the remaining
    ``lifetime − 1`` periods, on the model's retention curve: ``active_periods() − 1``
    expected periods each). Channel lines: platform commission, platform fees and
    re-marketing traffic; acquisition: the paid traffic of first orders; fixed: the annual
    fee beside the base's.

    Examples
    --------
    What does a marketplace shop keep of 199 yuan of GMV, on the default market?

    >>> from bizmodels.models.marketplace_shop import MarketplaceShop
    >>> waterfall = MarketplaceShop().waterfall().to_dict()
    >>> f"{waterfall['platform_commission'] / waterfall['net_sales']:.1%}"
    '5.0%'

    Five fen of each yuan of net sales go to the platform as commission, before its fees
    and the paid traffic.
    """

    key = "marketplace_shop"
    name_zh = "公域平台店铺（天猫/京东/抖音）"
    name_en = "Marketplace shop (Tmall/JD/Douyin)"
    seed = "002"
    listed = False

    acquisition_cost: Yuan = param(
        BusinessModel.model_fields["acquisition_cost"].default,
        "Paid traffic (直通车 / 千川) spent to win one new shopper's first order (拉新推广费), "
        "yuan per new shopper.",
        _FIRST_ORDER_TRAFFIC,
    )
    marketing_per_period: Yuan = param(
        BusinessModel.model_fields["marketing_per_period"].default,
        "Marketing beyond the paid traffic (content, events; 营销费用) per period, yuan.",
        _SAME_OVERHEADS,
    )
    fixed_per_period: Yuan = param(
        BusinessModel.model_fields["fixed_per_period"].default,
        "Fixed operating cost of the shop's team and systems (固定运营成本) per period, yuan.",
        _SAME_OVERHEADS,
    )
    reach: Rate = param(
        PoolModel.model_fields["reach"].default,
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
        Decimal("0.15"),
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
                start=1,  # the periods after the first order's, on the model's retention curve
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
            self.first_order_check(),
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
