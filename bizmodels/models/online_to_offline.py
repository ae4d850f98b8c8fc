"""线上赋能线下: small online orders bring customers into the store, where staff upsell."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Literal

from typing_extensions import override

from bizmodels import engine
from bizmodels._compliance_profile import ComplianceProfile, share_text, yuan_text
from bizmodels._types import Rate, Yuan, param
from bizmodels.engine import Commission, Cost, Segment, SegmentResult
from bizmodels.models._base import BusinessModel, Check


class OnlineToOffline(BusinessModel):
    """线上赋能线下: online trial orders win customers, in-store redemption upsells them.

    Seed 000 (000_446469964f142a4d.txt), model 6, reaches and attracts people online and
    closes the deal in the store. It suits businesses with physical stores (offline
    courses, shops, beauty salons) that win customers with online promotions, small orders
    or trial products; when the customer comes to redeem (核销) in the store, sales staff
    upgrade the small order into a large one (升级成大单). The same play serves the store's
    membership operations: waking dormant members or rewarding old ones. The seed gives no
    warning; the model shows the dependence on it: the trial is priced to attract, often
    below its cost, so the P&L rests on the redemption and upsell rates.

    Segments: online trial orders (``market.customers × reach`` buyers, one each, at
    ``trial_price``; the trial's goods cost ``trial_unit_cost`` only when redeemed, so each
    order carries ``trial_unit_cost × redemption_rate``); large orders upsold in the store
    to ``upsell_rate`` of the redemptions (redemptions are the trial orders kept after
    refunds times ``redemption_rate``; same people, so not distinct). Nothing ships:
    everything is collected in the store, so the market's fulfilment cost, price and unit
    cost are not used. Channel lines: sales staff commission on the large orders' net sales,
    and the store's variable cost per redemption visit (consumables, per-service staff pay;
    rent and salaries are in the fixed costs).
    """

    key = "online_to_offline"
    name_zh = "线上赋能线下"
    name_en = "Online driving offline stores"
    goods_below_cost_allowed = True  # the trial may sell below its cost; it has its own

    reach: Rate = param(
        Decimal("0.20"),
        "Share of the market's customers who buy the online trial order (线上小单), 0 to 1.",
        "assumption",
    )
    trial_price: Yuan = param(
        Decimal("9.90"),
        "Price of the online trial order or trial product (体验产品), yuan.",
        "assumption",
    )
    trial_unit_cost: Yuan = param(
        Decimal(30),
        "Cost of the goods and service of one redeemed trial (体验成本), yuan; may exceed "
        "the trial price.",
        "assumption",
    )
    redemption_rate: Rate = param(
        Decimal("0.60"),
        "Share of trial orders kept after refunds that are redeemed in the store (核销率).",
        "assumption",
    )
    store_visit_cost: Yuan = param(
        Decimal(20),
        "Store's variable cost per redemption visit (门店接待成本: consumables, per-service "
        "staff pay), yuan.",
        "assumption",
    )
    upsell_rate: Rate = param(
        Decimal("0.30"),
        "Share of redemptions upgraded to a large order in the store (升级大单率).",
        "assumption",
    )
    large_order_value: Yuan = param(
        Decimal(2_980),
        "Value of one large order (大单: a course, a prepaid card, a treatment package), yuan.",
        "assumption",
    )
    large_order_kind: Literal["goods", "service"] = param(
        "service",
        "What a large order sells, for VAT: a service (a course, a treatment: 6%) or goods.",
        "seed 000 (000_446469964f142a4d.txt): 线下的课程、店铺、美容院 — courses and salon "
        "treatments are services (增值税法 第十条)",
    )
    large_order_cost_ratio: Rate = param(
        Decimal("0.30"),
        "Cost of the goods and service of a large order, share of its value (成本率).",
        "assumption",
    )
    upsell_commission_rate: Rate = param(
        Decimal("0.10"),
        "Sales staff commission (销售提成) on large orders, share of their net sales.",
        "assumption",
    )

    def _trial_orders(self) -> Segment:
        return self.segment(
            "trial_orders",
            "线上小单",
            "Online trial orders",
            customers=self.market.customers * self.reach,
            lifetime=1,
            conversion=1,
            unit_price=self.trial_price,
            unit_cost=self.trial_unit_cost * self.redemption_rate,
            fulfilment_cost=0,
        )

    def _redemptions(self, trial: SegmentResult) -> Any:
        """Trial orders redeemed in the store: the trial orders kept after refunds × redemption."""
        return trial.net_orders * self.redemption_rate

    @override
    def segments(self) -> list[Segment]:
        trial = self._trial_orders()
        redemptions = self._redemptions(engine.segment_result(trial, self.market.refund_rate))
        return [
            trial,
            self.segment(
                "large_orders",
                "到店核销升级大单",
                "Large orders upsold in store",
                customers=redemptions * self.upsell_rate,
                lifetime=1,
                conversion=1,
                unit_price=self.large_order_value,
                unit_cost=self.large_order_value * self.large_order_cost_ratio,
                fulfilment_cost=0,
                distinct=False,
                vat=self.large_order_kind,
            ),
        ]

    @override
    def channel_costs(self, results: Mapping[str, SegmentResult]) -> list[Cost | Commission]:
        return [
            Commission(
                "upsell_commissions",
                "销售人员大单提成",
                "Sales staff commissions",
                rate=self.upsell_commission_rate,
                on="large_orders",
            ),
            Cost(
                "store_visits",
                "门店核销接待成本",
                "Store redemption visits",
                self._redemptions(results["trial_orders"]) * self.store_visit_cost,
            ),
        ]

    @override
    def checks(self) -> list[Check]:
        return [
            *super().checks(),
            Check(
                ("large_order_cost_ratio", "upsell_commission_rate"),
                "large-order cost and sales commission exceed the order value",
                self.large_order_cost_ratio + self.upsell_commission_rate <= 1,
            ),
        ]

    @override
    def compliance_profile(self) -> ComplianceProfile:
        """What the compliance checks read: sales staff paid on the orders they upsell.

        Examples
        --------
        >>> OnlineToOffline().compliance_profile().own_sales_rate
        Decimal('0.10')
        """
        return ComplianceProfile(
            own_sales_rate=self.upsell_commission_rate,
            evidence={
                "entry_fee": (
                    f"the online trial order (线上小单, trial_price = "
                    f"{yuan_text(self.trial_price)} yuan) buys a product or service, not a "
                    "right to earn"
                ),
                "own_sales": (
                    f"sales staff (销售人员) are paid upsell_commission_rate = "
                    f"{share_text(self.upsell_commission_rate)} of the large orders they sell"
                ),
            },
        )


__all__ = ["OnlineToOffline"]
