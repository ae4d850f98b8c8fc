"""层级代理 + 推荐返利: tiered agents buy stock at a discount and earn referral rebates."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_CEILING, Decimal
from typing import ClassVar

from typing_extensions import override

from bizmodels._compliance_profile import ComplianceProfile, share_text, yuan_text
from bizmodels._types import Count, Rate, Yuan, param
from bizmodels.channel_stock import SELL_THROUGH_SOURCE, DealerStock
from bizmodels.engine import Commission, Cost, Segment, SegmentResult
from bizmodels.models._base import BusinessModel, Check, dealer_acquisition_cost


class TieredAgency(DealerStock, BusinessModel):
    """层级代理 + 推荐返利: agents buy stock at a tier discount; referrals pay rebates up levels.

    Seed 003 (003_e213b8fe3b9defb8.txt) calls it the "dual innovation" 微商 (雙創模式微商):
    on top of the tiered agency system it adds referral rebates
    (在原有的層級代理制上面,再加上推薦返利制), distribution-style commission paid on
    same-level referrals, at least three levels deep (最低3級返利) and sometimes more. Its
    warning: 風險太大,變相拉人更明顯!不建議做 (the risk is too great, it is more plainly
    recruiting people in disguise; not recommended), to be studied only for how a
    same-level referral rebate is set. Rebates paid up several levels on the purchases of
    the agents one recruited take the shape 《禁止传销条例》 article 7 names as paying an
    upline on a downline's sales (团队计酬), or, when they are in substance paid per
    recruit, as head-count recruiting (拉人头): the pyramid-selling risk (涉传风险) seed 000
    warns of for dealer recruitment, here with more levels.

    The brand's customers are the agents (``market.customers × agent_share``). An agent
    purchase is a batch of ``batch_orders`` orders' worth of goods at ``market.price × (1 −
    tier_discount)`` each (the discount averaged over the tiers), shipped as one order. A
    referred purchase pays ``rebate_rate`` of the list price of its goods to each of
    ``rebate_levels`` uplines, so it gives away ``tier_discount + rebate_rate ×
    rebate_levels`` of the list price in all (checked to stay at most 1).

    Segments: agents' stock purchases. Channel lines: referral rebates (推荐返利) on the
    referred purchases kept after refunds.

    Stock held by agents: the brand books their purchases (stock purchases) as its sales; end
    consumers buy ``sell_through`` of them and the rest stays with the agents (囤货):
    `channel_stock`, `channel_stock_waterfall` and the cash flows' memo lines
    (`bizmodels.channel_stock.DealerStock`).
    """

    key = "tiered_agency_referral"
    name_zh = "层级代理 + 推荐返利"
    name_en = "Tiered agency with referral rebates"
    seed = "003"
    listed = False
    dealer_segments: ClassVar[tuple[str, ...]] = ("agent_purchases",)

    acquisition_cost: Yuan = dealer_acquisition_cost()
    agent_share: Rate = param(
        Decimal("0.05"),
        "Share of the market's customers who become agents (代理), 0 to 1.",
        "assumption",
    )
    tier_discount: Rate = param(
        Decimal("0.30"),
        "Discount off the list price at which agents buy, averaged over the tiers "
        "(层级拿货折扣), 0 to 1.",
        "assumption",
    )
    restock_rate: Rate = param(
        Decimal("0.50"),
        "Share of agents who buy a batch of stock in a period (进货率).",
        "assumption",
    )
    batch_orders: Count = param(
        Decimal(5),
        "Orders' worth of goods in one agent purchase (每次进货量), orders.",
        "assumption",
    )
    sell_through: Rate = param(
        Decimal("0.70"),
        "Sell-through rate (动销率): share of the stock agents buy from the brand that end "
        "consumers buy from them; the rest is stock held by the channel (渠道库存, 囤货), 0 "
        "to 1.",
        SELL_THROUGH_SOURCE,
    )
    referred_share: Rate = param(
        Decimal("0.50"),
        "Share of agent purchases made by agents another agent referred (推荐进货占比), 0 to 1.",
        "assumption",
    )
    rebate_rate: Rate = param(
        Decimal("0.05"),
        "Referral rebate per level paid (推荐返利), share of the list price of a referred "
        "purchase's goods.",
        "assumption",
    )
    rebate_levels: Count = param(
        Decimal(3),
        "Upline levels paid a rebate on a referred purchase (返利层级), levels.",
        "seed 003 (003_e213b8fe3b9defb8.txt): 最低3級返利",
    )

    @override
    def segments(self) -> list[Segment]:
        m = self.market
        return [
            self.segment(
                "agent_purchases",
                "代理进货",
                "Agents' stock purchases",
                customers=m.customers * self.agent_share,
                conversion=self.restock_rate,
                unit_price=m.price * (1 - self.tier_discount) * self.batch_orders,
                unit_cost=m.unit_cost * self.batch_orders,
            ),
        ]

    @override
    def channel_costs(self, results: Mapping[str, SegmentResult]) -> list[Cost | Commission]:
        referred = results["agent_purchases"].net_orders * self.referred_share
        list_value = referred * self.batch_orders * self.market.price
        return [
            Cost(
                "referral_rebates",
                "推荐返利",
                "Referral rebates",
                list_value * self.rebate_rate * self.rebate_levels,
            ),
        ]

    @override
    def checks(self) -> list[Check]:
        return [
            *super().checks(),
            Check(
                ("tier_discount", "rebate_rate", "rebate_levels"),
                "tier discount and referral rebates add up to more than the list price",
                self.tier_discount + self.rebate_rate * self.rebate_levels <= 1,
            ),
        ]

    @override
    def compliance_profile(self) -> ComplianceProfile:
        """What the compliance checks read: a tier bought with stock, rebates up the levels.

        Examples
        --------
        >>> p = TieredAgency().compliance_profile()
        >>> p.entry_fee, p.pay_levels
        (Decimal('696.50'), 4)
        """
        batch_list = self.market.price * self.batch_orders
        entry = batch_list * (1 - self.tier_discount)
        reward = self.rebate_rate * batch_list
        levels = int(self.rebate_levels.to_integral_value(ROUND_CEILING))
        return ComplianceProfile(
            entry_fee=entry,
            resale_stock="required",
            recruit_reward=reward,
            upline_rates=(self.rebate_rate,) * levels if self.rebate_rate else (),
            evidence={
                "entry_fee": (
                    f"an agent (代理) holds its tier by buying stock: one batch of batch_orders "
                    f"= {yuan_text(self.batch_orders)} orders at the tier price (tier_discount "
                    f"= {share_text(self.tier_discount)} off market.price = "
                    f"{yuan_text(self.market.price)}), {yuan_text(entry)} yuan (reading: in the "
                    "层级代理制 the tier is bought with the purchase)"
                ),
                "resale_stock": (
                    f"an agent takes and holds its tier (层级代理制) by buying stock, a batch of "
                    f"{yuan_text(entry)} yuan at the tier price: the tier is bought with the "
                    "purchase"
                ),
                "recruit_reward": (
                    f"a referred agent's first batch pays its recruiter the referral rebate "
                    f"(推荐返利, rebate_rate = {share_text(self.rebate_rate)} of the batch's list "
                    f"value: {yuan_text(reward)} yuan)"
                ),
                "team_pay": (
                    f"every referred purchase pays rebate_rate = "
                    f"{share_text(self.rebate_rate)} of its list value to each of rebate_levels "
                    f"= {yuan_text(self.rebate_levels)} uplines (返利层级; seed 003: 最低3級返利)"
                ),
            },
        )


__all__ = ["TieredAgency"]
