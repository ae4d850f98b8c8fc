"""微商价格体系: a multi-tier price ladder, 品牌 → 省代 → 市代 → 代理 → consumer (拿货差价)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, localcontext
from typing import Any, ClassVar, NamedTuple

from tabulate import tabulate
from typing_extensions import override

from bizmodels import channel_stock, engine
from bizmodels._compliance_profile import ComplianceProfile, share_text, yuan_text
from bizmodels._format import money
from bizmodels._types import MONEY_CONTEXT, Count, Rate, Yuan, param
from bizmodels.channel_stock import SELL_THROUGH_SOURCE, DealerStock
from bizmodels.engine import Commission, Cost, Segment, SegmentResult
from bizmodels.models._base import BusinessModel, Check
from bizmodels.waterfall import Line, Subtotal, Waterfall

_LADDER = (
    "assumption: seed 000 (000_446469964f142a4d.txt) names the 微商 price differential "
    "(微商的拿货差价) and seed 003 (003_e213b8fe3b9defb8.txt) the tiered agency system "
    "(層級代理制) but neither gives a discount; a ladder of 4折 / 5折 / 6.5折 off the list "
    "price leaves each tier a margin on the one below"
)
_TIERS = (
    ("provincial", "省代", "Provincial agents"),
    ("city", "市代", "City agents"),
    ("agent", "代理", "Agents"),
)


class Tier(NamedTuple):
    """One tier of the ladder over the lifetime: its prices, margin, units and stock.

    Amounts are yuan, units are orders' worth of goods at list price; ``Decimal``, unrounded.
    """

    key: str
    zh: str
    en: str
    buy_price: Decimal
    """What the tier pays the tier above (the brand, for 省代), per unit."""
    sell_price: Decimal
    """What the tier below pays it (the list price, for 代理 selling to consumers), per unit."""
    margin_per_unit: Decimal
    """``sell_price − buy_price``: the price differential it earns (拿货差价)."""
    units_bought: Decimal
    units_sold: Decimal
    units_held: Decimal
    margin: Decimal
    """``units_sold × margin_per_unit``: its margin on what it sold on."""
    stock_held: Decimal
    """``units_held × buy_price``: its stock, at the price it paid (囤货)."""
    cash_result: Decimal
    """``units_sold × sell_price − units_bought × buy_price``: its sales less its purchases,
    negative when the stock it holds cost more than its margin earned."""


class PriceLadder(DealerStock, BusinessModel):
    """微商价格体系: tiers of agents, each buying from the tier above at its discount.

    Seed 000 (000_446469964f142a4d.txt, model 4) warns that the 微商 price differential
    (微商的拿货差价) of dealer recruitment carries a pyramid-selling risk (涉传风险); seed 003
    (003_e213b8fe3b9defb8.txt) calls the tiered agency system (層級代理制) the traditional
    half of its "dual innovation" 微商, to which that model adds referral rebates
    (`bizmodels.models.tiered_agency_referral`). Here the ladder alone: the brand sells to
    provincial agents (省代) at ``market.price × (1 − provincial_discount)``; they sell to
    city agents (市代) at ``(1 − city_discount)``, city agents to agents (代理) at ``(1 −
    agent_discount)``, and agents to consumers at the list price. Each tier's margin is the
    difference between its two prices (拿货差价); no one is paid by the brand on another's
    sales and no one for recruiting.

    Each tier sells on its sell-through share of what it buys and holds the rest
    (`bizmodels.channel_stock.ladder`): the brand books what provincial agents buy, and
    only ``provincial_sell_through × city_sell_through × agent_sell_through`` of it reaches
    consumers. Segment: the provincial agents' purchases (``provincial_agents`` buying
    ``provincial_orders`` orders' worth a period, shipped in bulk). `tiers` gives each
    tier's prices, margin and stock; `ladder_waterfall` where one list-price order's money
    goes; `channel_stock` the stock the brand booked that no consumer has bought.
    """

    key = "price_ladder"
    name_zh = "微商价格体系（层级拿货差价）"
    name_en = "Multi-tier price ladder (微商 price differentials)"
    seed = "000"
    listed = False
    dealer_segments: ClassVar[tuple[str, ...]] = ("provincial_purchases",)

    acquisition_cost: Yuan = param(
        Decimal(2_000),
        "Cost of recruiting one provincial agent (招商成本: briefings, samples), yuan; lower "
        "tiers are recruited by the tiers above, at no cost to the brand.",
        "assumption",
    )
    provincial_agents: Count = param(
        Decimal(10), "Provincial agents (省代) buying from the brand, people.", "assumption"
    )
    provincial_orders: Count = param(
        Decimal(200),
        "Goods a provincial agent buys in a period (拿货量), in orders' worth at list price.",
        "assumption",
    )
    provincial_discount: Rate = param(
        Decimal("0.60"),
        "Discount off the list price at which provincial agents buy from the brand (省代拿货价: "
        "4折 at 0.60).",
        _LADDER,
    )
    city_discount: Rate = param(
        Decimal("0.50"),
        "Discount off the list price at which city agents buy from provincial agents (市代).",
        _LADDER,
    )
    agent_discount: Rate = param(
        Decimal("0.35"),
        "Discount off the list price at which agents buy from city agents (代理).",
        _LADDER,
    )
    provincial_sell_through: Rate = param(
        Decimal("0.80"),
        "Share of what provincial agents buy that city agents buy from them (省代动销率).",
        SELL_THROUGH_SOURCE,
    )
    city_sell_through: Rate = param(
        Decimal("0.80"),
        "Share of what city agents buy that agents buy from them (市代动销率).",
        SELL_THROUGH_SOURCE,
    )
    agent_sell_through: Rate = param(
        Decimal("0.70"),
        "Share of what agents buy that consumers buy from them (代理动销率).",
        SELL_THROUGH_SOURCE,
    )
    tier_minimum_orders: Count = param(
        Decimal(0),
        "Goods a member must buy to take or keep its tier (拿货门槛), orders' worth at its tier "
        "price; 0: each tier buys what it chooses.",
        "assumption: the seeds name no threshold; a ladder that sets one reads as a "
        "disguised entry fee (bizmodels.compliance)",
    )
    bulk_fulfilment_share: Rate = param(
        Decimal("0.25"),
        "Fulfilment cost per order's worth shipped in bulk to a provincial agent, share of the "
        "market's cost per order shipped (批量发货).",
        "assumption",
    )

    def _prices(self) -> list[Any]:
        """Each tier's buy price, then the consumer's: 省代, 市代, 代理, list price."""
        p = self.market.price
        return [
            p * (1 - self.provincial_discount),
            p * (1 - self.city_discount),
            p * (1 - self.agent_discount),
            p,
        ]

    def _sell_throughs(self) -> list[Any]:
        return [self.provincial_sell_through, self.city_sell_through, self.agent_sell_through]

    @override
    def segments(self) -> list[Segment]:
        m = self.market
        return [
            self.segment(
                "provincial_purchases",
                "省代拿货",
                "Provincial agents' purchases",
                customers=self.provincial_agents,
                conversion=self.provincial_orders,
                unit_price=self._prices()[0],
                fulfilment_cost=m.fulfilment_cost * self.bulk_fulfilment_share,
            ),
        ]

    @override
    def channel_costs(self, results: Mapping[str, SegmentResult]) -> list[Cost | Commission]:
        # the tiers' margins are paid by the tier below, not by the brand
        return []

    @override
    def channel_sell_through(self) -> Any:
        """Share of what the brand sold that reached consumers: the three tiers' product."""
        first, second, third = self._sell_throughs()
        return first * second * third

    def tiers(self) -> list[Tier]:
        """Each tier's prices, margin per unit and in total, and the stock it holds.

        Units are the provincial agents' purchases kept after refunds, passed down the
        ladder by each tier's sell-through (`bizmodels.channel_stock.ladder`).

        Examples
        --------
        How much does each tier make, and hold, on the default ladder?

        >>> for t in PriceLadder(lifetime=1).tiers():
        ...     print(t.zh, t.buy_price, t.sell_price, round(t.margin), round(t.stock_held))
        省代 79.60 99.50 30248 30248
        市代 99.50 129.35 36298 30248
        代理 129.35 199 59286 47187

        Provincial agents buying at 79.60 and selling at 99.50 earn 19.90 a unit on the
        1,520 units they sold on (10 agents × 200 × 95% kept × 80%) and hold the other 380:
        their stock cost as much as their margin earned.
        """
        with localcontext(MONEY_CONTEXT):
            bought = engine.segment_result(self.segments()[0], self.market.refund_rate)
            prices = self._prices()
            flows = channel_stock.ladder(bought.net_orders, self._sell_throughs())
            rows = []
            for (key, zh, en), buy, sell, (units, sold, kept) in zip(
                _TIERS, prices[:-1], prices[1:], flows, strict=True
            ):
                rows.append(
                    Tier(
                        key,
                        zh,
                        en,
                        buy,
                        sell,
                        sell - buy,
                        units,
                        sold,
                        kept,
                        sold * (sell - buy),
                        kept * buy,
                        sold * sell - units * buy,
                    )
                )
            return rows

    def tier_table(self, fmt: str = "github", lang: str = "en") -> str:
        """`tiers` as a table: prices, margin per unit, units, margin and stock per tier.

        The last column is a tier's sales less its purchases: its margin less the stock it
        holds, at the price it paid.
        """
        zh = lang == "zh"
        headers = (
            (
                "层级",
                "拿货价",
                "出货价",
                "单位差价",
                "进货量",
                "出货量",
                "库存量",
                "差价合计",
                "库存金额",
                "出货减进货",
            )
            if zh
            else (
                "tier",
                "buys at",
                "sells at",
                "margin per unit",
                "units bought",
                "units sold",
                "units held",
                "margin",
                "stock held (yuan)",
                "sales less purchases",
            )
        )
        rows = [
            (
                t.zh if zh else f"{t.en} ({t.zh})",
                money(t.buy_price),
                money(t.sell_price),
                money(t.margin_per_unit),
                money(t.units_bought),
                money(t.units_sold),
                money(t.units_held),
                money(t.margin),
                money(t.stock_held),
                money(t.cash_result),
            )
            for t in self.tiers()
        ]
        return tabulate(rows, headers=headers, tablefmt=fmt, disable_numparse=True)

    def ladder_waterfall(self) -> Waterfall:
        """Where a consumer's list-price order goes: each tier's margin, then the brand's.

        Starts at the list price, deducts the agent's, city agent's and provincial agent's
        price differentials (拿货差价), reaching the brand's price, then the goods cost: the
        brand's gross margin per unit before VAT, fulfilment and overheads (its P&L, in
        `waterfall`, has those).

        Examples
        --------
        >>> PriceLadder().ladder_waterfall().to_dict()["brand_gross_margin"]
        Decimal('19.60')
        """
        prices = self._prices()
        tiers = list(zip(_TIERS, prices[:-1], prices[1:], strict=True))
        # from the consumer up: the agent's margin first, the provincial agent's last
        steps = [
            Line(f"{key}_margin", f"{zh}差价", f"{en}' margin", sell - buy)
            for (key, zh, en), buy, sell in reversed(tiers)
        ]
        with localcontext(MONEY_CONTEXT):
            return Waterfall.build(
                Line("list_price", "零售价", "List price (consumer pays)", self.market.price),
                [
                    *steps,
                    Subtotal("brand_price", "品牌出货价", "Brand's price to provincial agents"),
                    Line("goods_cost", "商品成本", "Cost of goods", self.market.unit_cost),
                ],
                Subtotal("brand_gross_margin", "品牌毛利", "Brand's gross margin per unit"),
                title=f"{self.key} per list-price order",
            )

    @override
    def checks(self) -> list[Check]:
        return [
            *super().checks(),
            self.price_check("provincial_discount", "provincial agents' price"),
            Check(
                ("city_discount", "provincial_discount"),
                "city_discount above provincial_discount: city agents would buy below their "
                "supplier's price",
                self.city_discount <= self.provincial_discount,
            ),
            Check(
                ("agent_discount", "city_discount"),
                "agent_discount above city_discount: agents would buy below their supplier's price",
                self.agent_discount <= self.city_discount,
            ),
        ]

    @override
    def compliance_profile(self) -> ComplianceProfile:
        """What the compliance checks read: stock bought to resell, a threshold if any.

        Examples
        --------
        >>> PriceLadder().compliance_profile().resale_stock
        'free'
        >>> p = PriceLadder(tier_minimum_orders=10).compliance_profile()
        >>> p.resale_stock, p.entry_fee
        ('required', Decimal('796.00'))
        """
        minimum = self.tier_minimum_orders * self._prices()[0]
        ladder = (
            f"provincial, city and local agents buy at provincial_discount = "
            f"{share_text(self.provincial_discount)}, city_discount = "
            f"{share_text(self.city_discount)} and agent_discount = "
            f"{share_text(self.agent_discount)} off the list price, each from the tier above"
        )
        if minimum > 0:
            stock = (
                f"a tier is taken and kept by buying tier_minimum_orders = "
                f"{yuan_text(self.tier_minimum_orders)} orders' worth of stock "
                f"({yuan_text(minimum)} yuan at the provincial price): {ladder}"
            )
        else:
            stock = f"{ladder}, as much as each chooses, at its own risk; no threshold"
        return ComplianceProfile(
            entry_fee=minimum,
            resale_stock="required" if minimum > 0 else "free",
            evidence={
                "entry_fee": (
                    stock if minimum > 0 else "no payment or purchase is required to take a tier"
                ),
                "recruit_reward": "the brand pays no one for recruiting a lower tier",
                "team_pay": (
                    "the brand pays no one on another tier's sales: each tier earns the price "
                    "differential (拿货差价) on what it resells, though what a tier sells is what "
                    "the tier below it buys"
                ),
                "resale_stock": stock,
            },
        )


__all__ = ["PriceLadder", "Tier"]
