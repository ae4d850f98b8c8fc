"""完全 to C + 完全 to B: a consumer mall and a dealer-recruitment line, run side by side."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import ClassVar

from typing_extensions import override

from bizmodels._compliance_profile import ComplianceProfile, share_text, yuan_text
from bizmodels._types import Rate, Yuan, param
from bizmodels.channel_stock import SELL_THROUGH_SOURCE, DealerStock
from bizmodels.engine import Commission, Cost, Segment, SegmentResult
from bizmodels.models._base import BusinessModel, Check

_PACKAGE = (
    "assumption: borrowed from seed 001's 链动2+1 plan (001_07a435858c0348ea.txt: "
    "购买一个699礼包); seed 000 names no price for this model's entry package"
)
_HALF_PRICE = "seed 000 (000_446469964f142a4d.txt): 價格可以降到一半"


class DualTocTob(DealerStock, BusinessModel):
    """完全 to C + 完全 to B: two product lines, a B line recruiting dealers that feeds a C mall.

    Seed 000 (000_446469964f142a4d.txt), model 5, runs two product systems and two operating
    teams: the C line is operated purely to consumers, the B line recruits dealers with
    entry-package products (报单产品) and keeps little or no profit, handing most of it to
    the market, so it starts fast and competes well. The B line exists to feed traffic to
    the C mall and to educate the market for new products: B-side repeat consumption is
    diverted to the mall, where repeat purchases pay only a small rebate (少量返佣) and win
    by volume; when a new product replaces the entry product, the old one moves to the mall
    and, paying no more commission, sells at half the price. The seed calls it a relatively
    good model but a demanding one: it needs a rich product line that can supply different
    channels, and a team able both to run C operations and to recruit and maintain dealers.

    Segments: B-line dealers (``market.customers × dealer_share``) buy one entry package
    each; C-line mall customers (``market.customers × mall_reach``) buy at list price; the
    dealers' repeat purchases, diverted to the mall, at list price (same people, so not
    distinct); the old entry product sold to mall customers at ``package_price ×
    old_product_price_ratio``. Channel lines: B-line payouts to the market (a share of the
    entry packages' net sales) and the C-line rebate on the diverted repeat purchases (the
    mall's own customers and the old product pay none).

    Stock held by B-line dealers: the brand books their entry packages as its sales (their
    repeat purchases in the mall are their own); end consumers buy ``sell_through`` of them
    and the rest stays with the dealers (囤货): `channel_stock`, `channel_stock_waterfall`
    and the cash flows' memo lines (`bizmodels.channel_stock.DealerStock`).
    """

    key = "dual_toc_tob"
    name_zh = "完全 to C + 完全 to B"
    name_en = "Full to C plus full to B (two lines)"
    dealer_segments: ClassVar[tuple[str, ...]] = ("entry_packages",)

    dealer_share: Rate = param(
        Decimal("0.05"),
        "Share of the market's customers recruited as B-line dealers (经销商), each buying "
        "one entry package, 0 to 1.",
        "assumption",
    )
    package_price: Yuan = param(
        Decimal(699),
        "Price of the B-line entry-package product (报单产品), yuan per package.",
        _PACKAGE,
    )
    package_cost: Yuan = param(
        Decimal(210),
        "Cost of the goods in one entry package (商品成本), yuan; also the old product's cost "
        "in the mall.",
        "assumption",
    )
    b_payout_rate: Rate = param(
        Decimal("0.55"),
        "B-line payouts to the market (大部分分给市场: dealer rewards), share of the entry "
        "packages' net sales, 0 to 1.",
        "assumption",
    )
    sell_through: Rate = param(
        Decimal("0.70"),
        "Sell-through rate (动销率): share of the entry packages B-line dealers buy that end "
        "consumers buy from them; the rest is stock held by the channel (渠道库存, 囤货), 0 "
        "to 1.",
        SELL_THROUGH_SOURCE,
    )
    mall_reach: Rate = param(
        Decimal("0.20"),
        "Share of the market's customers won as C-line mall customers (商城顾客), 0 to 1.",
        "assumption",
    )
    mall_conversion: Rate = param(
        Decimal("0.20"),
        "Share of mall customers who buy at list price in a period (转化率).",
        "assumption",
    )
    b_repeat_conversion: Rate = param(
        Decimal("0.30"),
        "Share of dealers who buy again in the C mall in a period (B端重复消费引流到商城).",
        "assumption",
    )
    c_rebate_rate: Rate = param(
        Decimal("0.05"),
        "Small rebate (少量返佣) on the dealers' repeat purchases in the mall, share of their "
        "net sales, 0 to 1.",
        "assumption",
    )
    old_product_price_ratio: Rate = param(
        Decimal("0.5"),
        "Mall price of a replaced entry product as a share of its package price (价格可以降到"
        "一半), 0 to 1.",
        _HALF_PRICE,
    )
    old_product_conversion: Rate = param(
        Decimal("0.03"),
        "Share of mall customers who buy the old entry product in a period (转化率).",
        "assumption",
    )

    @override
    def segments(self) -> list[Segment]:
        m = self.market
        dealers = m.customers * self.dealer_share
        mall = m.customers * self.mall_reach
        return [
            self.entry_packages(
                dealers,
                price=self.package_price,
                cost=self.package_cost,
                zh="B端报单产品",
                en="B-line entry packages",
            ),
            self.segment(
                "mall",
                "C端商城顾客",
                "C-line mall customers",
                customers=mall,
                conversion=self.mall_conversion,
            ),
            self.segment(
                "b_repeat",
                "B端复购引流到商城",
                "B-side repeat purchases in the mall",
                customers=dealers,
                conversion=self.b_repeat_conversion,
                distinct=False,
            ),
            self.segment(
                "old_products",
                "原报单产品进入商城",
                "Old entry products in the mall",
                customers=mall,
                conversion=self.old_product_conversion,
                unit_price=self.package_price * self.old_product_price_ratio,
                unit_cost=self.package_cost,
                distinct=False,
            ),
        ]

    @override
    def channel_costs(self, results: Mapping[str, SegmentResult]) -> list[Cost | Commission]:
        return [
            Commission(
                "b_payouts",
                "B端分给市场",
                "B-line payouts",
                rate=self.b_payout_rate,
                on="entry_packages",
            ),
            Commission(
                "c_rebates",
                "C端商城少量返佣",
                "C-line rebates",
                rate=self.c_rebate_rate,
                on="b_repeat",
            ),
        ]

    @override
    def checks(self) -> list[Check]:
        return [
            *super().checks(),
            Check(
                ("dealer_share", "mall_reach"),
                "dealers and mall customers exceed the market",
                self.dealer_share + self.mall_reach <= 1,
            ),
            Check(
                ("package_cost", "package_price", "b_payout_rate"),
                "B-line payouts and goods exceed the entry package price",
                self.package_cost + self.package_price * self.b_payout_rate <= self.package_price,
            ),
            Check(
                ("package_cost", "package_price", "old_product_price_ratio"),
                "old entry product below cost at its mall price",
                self.package_cost <= self.package_price * self.old_product_price_ratio,
            ),
        ]

    @override
    def compliance_profile(self) -> ComplianceProfile:
        """What the compliance checks read: the B line's entry package and its payouts.

        Examples
        --------
        >>> p = DualTocTob().compliance_profile()
        >>> p.entry_fee, p.recruit_reward
        (Decimal('699'), Decimal('384.45'))
        """
        reward = self.b_payout_rate * self.package_price
        return ComplianceProfile(
            entry_fee=self.package_price,
            resale_stock="required",
            recruit_reward=reward,
            upline_rates=(self.c_rebate_rate,) if self.c_rebate_rate else (),
            evidence={
                "entry_fee": (
                    f"B-line dealers join by buying the entry package (报单产品, package_price "
                    f"= {yuan_text(self.package_price)} yuan)"
                ),
                "resale_stock": (
                    f"the entry package is goods a B-line dealer must buy to join "
                    f"({yuan_text(self.package_price)} yuan)"
                ),
                "recruit_reward": (
                    f"b_payout_rate = {share_text(self.b_payout_rate)} of each entry package "
                    f"({yuan_text(reward)} yuan) is paid out to the market (大部分分给市场) when a "
                    "dealer joins; the model does not say how it is split between the recruiter "
                    "and its uplines"
                ),
                "team_pay": (
                    f"the small rebate (少量返佣, c_rebate_rate = "
                    f"{share_text(self.c_rebate_rate)}) on dealers' repeat purchases in the "
                    "mall, read as paid to the dealer's recruiter (the seed does not name the "
                    "recipient)"
                ),
            },
        )


__all__ = ["DualTocTob"]
