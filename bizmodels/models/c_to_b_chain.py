"""流量 → 小C → 大C → 小B → 大B: seed 004's chain from traffic to loyal dealers, as a funnel."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar

from typing_extensions import override

from bizmodels._compliance_profile import ComplianceProfile, share_text, yuan_text
from bizmodels._types import Count, Rate, Yuan, param
from bizmodels.channel_stock import SELL_THROUGH_SOURCE, DealerStock
from bizmodels.engine import Commission, Cost, Segment, SegmentResult
from bizmodels.models._base import BusinessModel, Check
from bizmodels.models.tob_recruitment import TobRecruitment


class CToBChain(DealerStock, BusinessModel):
    """从C到B转化链: traffic → small C → big C → small B → big B, a rate per conversion gap.

    Seed 004 (004_fa64250602f99480.txt) describes the life of traffic as "一个从C到B,从流量到
    小C,再到大C,再到小B,最后到大B的完整转换环节": "五个角色中,有四个转型缺口", and the brand
    builds the chain across the four gaps, "完成了从流量到忠诚经销商的转变". It adds that the
    brand trains the small B ("小B经过培训学习SOP后积极卖货"; "培训是用来提高人才门槛和忠诚度的").
    The seed gives only the chain's structure: every rate, price and cost here is an
    assumption.

    The funnel: traffic is ``market.customers × traffic_share``; each gap converts a share of
    the role before it (traffic → small C → big C → small B → big B). Everyone is counted
    once, in the furthest role reached, and keeps it over the whole lifetime (no time is
    spent in the earlier roles). Small C buy occasionally, big C repurchase often, both at
    the list price; every small B (big B included, each was a small B first) buys one entry
    package, then small B restock one unit at a time and big B in larger orders, both at the
    wholesale price ``market.price × (1 − price_differential)``. A larger order ships as one
    parcel.

    Segments: small C, big C, entry packages (one per small B), small-B restocking and big-B
    restocking (the dealers counted once, in the entry packages). Channel lines: training
    per new small B (培训). No commission is paid to small or big B on their own resales:
    they earn the price differential on them, and their resales to their own customers are
    not the brand's sales. `to_b_model` gives the B side as a `TobRecruitment`.

    Stock held by small and big B: the brand books their purchases (entry packages and
    restocking) as its sales; end
    consumers buy ``sell_through`` of them and the rest stays with the small and big B (囤货):
    `channel_stock`, `channel_stock_waterfall` and the cash flows' memo lines
    (`bizmodels.channel_stock.DealerStock`).
    """

    key = "c_to_b_chain"
    name_zh = "从C到B转化链"
    name_en = "Traffic to small C, big C, small B and big B chain"
    seed = "004"
    listed = False
    dealer_segments: ClassVar[tuple[str, ...]] = (
        "entry_packages",
        "small_b_restock",
        "big_b_restock",
    )

    traffic_share: Rate = param(
        Decimal("0.50"),
        "Share of the market's customers reached as traffic (流量), 0 to 1.",
        "assumption",
    )
    small_c_rate: Rate = param(
        Decimal("0.30"),
        "Gap 1: share of traffic that becomes a small C (流量→小C, buys at least once).",
        "assumption",
    )
    big_c_rate: Rate = param(
        Decimal("0.30"),
        "Gap 2: share of small C who become big C (小C→大C, repeat buyers).",
        "assumption",
    )
    small_b_rate: Rate = param(
        Decimal("0.10"),
        "Gap 3: share of big C who become small B (大C→小B, dealers who resell).",
        "assumption",
    )
    big_b_rate: Rate = param(
        Decimal("0.20"),
        "Gap 4: share of small B who become big B (小B→大B, loyal large dealers).",
        "assumption",
    )
    small_c_conversion: Rate = param(
        Decimal("0.10"),
        "Share of small C who buy in a period (小C购买率): they buy occasionally.",
        "assumption",
    )
    big_c_conversion: Rate = param(
        Decimal("0.50"),
        "Share of big C who buy in a period (大C复购率): they repurchase often.",
        "assumption",
    )
    package_price: Yuan = param(
        Decimal(999),
        "Price of the entry package a new small B buys (入门套餐), yuan.",
        "assumption",
    )
    package_cost: Yuan = param(
        Decimal(300), "Cost of the goods in one entry package (商品成本), yuan.", "assumption"
    )
    price_differential: Rate = param(
        Decimal("0.30"),
        "Dealer margin (拿货价差): wholesale price = list price × (1 − this), 0 to 1.",
        "assumption",
    )
    small_b_restock_rate: Rate = param(
        Decimal("0.50"),
        "Share of small B who restock one unit at the wholesale price in a period (补货率).",
        "assumption",
    )
    big_b_restock_rate: Rate = param(
        Decimal("0.50"),
        "Share of big B who restock in a period (大B补货率).",
        "assumption",
    )
    big_b_order_size: Count = param(
        Decimal(10),
        "Units in one big-B restock order (大B单次拿货量), units of the list-price order.",
        "assumption",
    )
    sell_through: Rate = param(
        Decimal("0.70"),
        "Sell-through rate (动销率): share of what small and big B buy from the brand (entry "
        "packages and restocking) that end consumers buy from them; the rest is stock held "
        "by the channel (渠道库存, 囤货), 0 to 1.",
        SELL_THROUGH_SOURCE,
    )
    training_per_small_b: Yuan = param(
        Decimal(300),
        "Cost of training one new small B (培训: SOP, materials, coaching), yuan.",
        "assumption",
    )

    def _small_b_share(self) -> Any:
        """Small B (big B included) as a share of the market's customers."""
        return self.traffic_share * self.small_c_rate * self.big_c_rate * self.small_b_rate

    def _small_c(self) -> Any:
        return self.market.customers * self.traffic_share * self.small_c_rate

    def _big_c(self) -> Any:
        return self._small_c() * self.big_c_rate

    def _small_b(self) -> Any:
        """Every small B, big B included."""
        return self.market.customers * self._small_b_share()

    def _big_b(self) -> Any:
        return self._small_b() * self.big_b_rate

    def _wholesale(self) -> Any:
        return self.market.price * (1 - self.price_differential)

    @override
    def segments(self) -> list[Segment]:
        small_b, big_b = self._small_b(), self._big_b()
        return [
            self.segment(
                "small_c",
                "小C",
                "Small C (occasional buyers)",
                customers=self._small_c() - self._big_c(),
                conversion=self.small_c_conversion,
            ),
            self.segment(
                "big_c",
                "大C",
                "Big C (repeat buyers)",
                customers=self._big_c() - small_b,
                conversion=self.big_c_conversion,
            ),
            self.entry_packages(
                small_b,
                price=self.package_price,
                cost=self.package_cost,
                zh="小B入门套餐",
                en="Small-B entry packages",
            ),
            self.segment(
                "small_b_restock",
                "小B补货",
                "Small-B restocking",
                customers=small_b - big_b,
                conversion=self.small_b_restock_rate,
                unit_price=self._wholesale(),
                distinct=False,
            ),
            self.segment(
                "big_b_restock",
                "大B补货",
                "Big-B restocking",
                customers=big_b,
                conversion=self.big_b_restock_rate,
                unit_price=self._wholesale() * self.big_b_order_size,
                unit_cost=self.market.unit_cost * self.big_b_order_size,
                distinct=False,
            ),
        ]

    @override
    def channel_costs(self, results: Mapping[str, SegmentResult]) -> list[Cost | Commission]:
        return [
            Cost(
                "small_b_training",
                "小B培训",
                "Small-B training",
                self._small_b() * self.training_per_small_b,
            ),
        ]

    @override
    def checks(self) -> list[Check]:
        m = self.market
        return [
            *super().checks(),
            Check(
                ("package_cost", "package_price"),
                "entry package goods cost above its price",
                self.package_cost <= self.package_price,
            ),
            Check(
                ("market.unit_cost", "market.price", "price_differential"),
                "wholesale price below unit cost",
                m.unit_cost <= m.price * (1 - self.price_differential),
            ),
        ]

    def to_b_model(self, **overrides: Any) -> TobRecruitment:
        """The B side of the chain as a `TobRecruitment` (完全 to B 招商) on the same market.

        Its ``dealer_share`` is the funnel's small-B count (every small B, big B included)
        over ``market.customers``, that is ``traffic_share × small_c_rate × big_c_rate ×
        small_b_rate``, so its dealers are the chain's small B. It takes the chain's
        lifetime and retention curve, entry package, price differential, small-B restock
        rate and sell-through; its acquisition cost per dealer is the chain's training per
        small B (the big C it converts are already won); it pays no 推三返一 refunds or
        referral rewards, which the chain does not have. Big B's larger orders are not in
        it (it has one restock rate). Its marketing and fixed costs are `TobRecruitment`'s
        own defaults: do not add its P&L to the chain's.

        Use it on the exact model only: it builds and validates a new model from `Decimal`
        values, so it is not part of the vectorised sweep.

        Parameters
        ----------
        **overrides
            Fields of `TobRecruitment` to set instead (``marketing_per_period``, ``plan``, …).

        Returns
        -------
        TobRecruitment
        """
        fields: dict[str, Any] = {
            "market": self.market,
            "lifetime": self.lifetime,
            "retention": self.retention,
            "retention_curve": self.retention_curve,
            "dealer_share": self._small_b_share(),
            "package_price": self.package_price,
            "package_cost": self.package_cost,
            "price_differential": self.price_differential,
            "restock_rate": self.small_b_restock_rate,
            "sell_through": self.sell_through,
            "acquisition_cost": self.training_per_small_b,
            "recruit_three_share": 0,
            "referral_rate": 0,
        }
        return TobRecruitment(**{**fields, **overrides})

    @override
    def compliance_profile(self) -> ComplianceProfile:
        """What the compliance checks read: a small B's entry package, and resale margins only.

        Examples
        --------
        >>> CToBChain().compliance_profile().entry_fee
        Decimal('999')
        """
        return ComplianceProfile(
            entry_fee=self.package_price,
            resale_stock="required",
            evidence={
                "resale_stock": (
                    f"the entry package is goods a big C must buy to become a small B and resell "
                    f"({yuan_text(self.package_price)} yuan); restocking after it is the small "
                    "or big B's own, at its own risk"
                ),
                "entry_fee": (
                    f"a big C becomes a small B (小B), with the right to resell at the "
                    f"wholesale price, by buying the entry package (入门套餐, package_price = "
                    f"{yuan_text(self.package_price)} yuan)"
                ),
                "recruit_reward": "no reward for bringing in another small B",
                "team_pay": (
                    f"small and big B earn only the price differential (拿货价差, "
                    f"price_differential = {share_text(self.price_differential)}) on their "
                    "own resales; no one is paid on another's orders"
                ),
            },
        )


__all__ = ["CToBChain"]
