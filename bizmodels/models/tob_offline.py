"""to B 线下: dealers recruited face to face and at briefings and recruitment meetings."""

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

_PACKAGE_699 = (
    "assumption: borrowed from seed 001's 链动2+1 plan (001_07a435858c0348ea.txt: "
    "会员体验官:购买一个699礼包); seed 000 names no price for this model's entry package"
)


class TobOffline(DealerStock, BusinessModel):
    """to B 线下: dealers signed at meetings buy an entry package, then restock wholesale.

    Seed 000 (000_446469964f142a4d.txt, model 10: toB模式线下) sells or recruits face to
    face, one on one, or at product briefings (产品说明会) and project or recruitment
    meetings (项目说明会、招商会); it relies on acquaintance networks, or on products that
    need an offline close. Seed 000 (model 4) warns that recruitment schemes such as
    recruit-three-refund-one (推三返一) and dealer price differentials carry a
    pyramid-selling risk (涉传风险); here a commission on the entry packages sold at a
    meeting pays for signing people up.

    Segments: attendees who sign as dealers by buying the entry package (报单产品), the same
    dealers restocking at the wholesale price over the whole lifetime (in orders' worth at
    list price, shipped in bulk), and attendees who buy products at the meeting without
    signing. Channel lines: the rebate on dealers' restocking and the commission on meeting
    sales (entry packages and products). Acquisition adds the meetings (venue, speaker,
    gifts) to the cost per customer won.

    Stock held by dealers: the brand books the dealers' purchases (entry packages and
    restocking) as its sales; end consumers buy ``sell_through`` of them from the dealers
    and the rest stays with the dealers (囤货): `channel_stock`, `channel_stock_waterfall`
    and the cash flows' memo lines (`bizmodels.channel_stock.DealerStock`).
    """

    key = "tob_offline"
    name_zh = "to B 线下"
    name_en = "Offline dealer recruitment (to B offline)"
    dealer_segments: ClassVar[tuple[str, ...]] = ("entry_packages", "restocking")

    meetings: Count = param(
        Decimal(12),
        "Briefings and recruitment meetings held over the lifetime (说明会、招商会场次).",
        "assumption",
    )
    meeting_cost: Yuan = param(
        Decimal(8_000),
        "Cost of one meeting: venue, speaker and gifts (会议成本), yuan.",
        "assumption",
    )
    attendees_per_meeting: Count = param(
        Decimal(60), "People attending one meeting (到场人数), people.", "assumption"
    )
    signing_rate: Rate = param(
        Decimal("0.15"),
        "Share of attendees who sign as dealers by buying the entry package (签约率).",
        "assumption",
    )
    buying_rate: Rate = param(
        Decimal("0.25"),
        "Share of attendees who buy products at the meeting without signing (现场成交率).",
        "assumption",
    )
    entry_package: Yuan = param(
        Decimal(699),
        "Price of the entry package a new dealer buys (报单产品), yuan.",
        _PACKAGE_699,
    )
    package_cost_share: Rate = param(
        Decimal("0.25"),
        "Cost of the goods in the entry package, share of its price (礼包成本占比).",
        "assumption",
    )
    price_differential: Rate = param(
        Decimal("0.40"),
        "Discount of the wholesale price off the list price, the dealer's margin (拿货价差).",
        "assumption",
    )
    restock_orders: Count = param(
        Decimal(10),
        "Goods a dealer restocks per period, in orders at list price (补货量), orders.",
        "assumption",
    )
    sell_through: Rate = param(
        Decimal("0.70"),
        "Sell-through rate (动销率): share of what dealers buy from the brand (entry packages "
        "and restocking) that end consumers buy from them; the rest is stock held by the "
        "channel (渠道库存, 囤货), 0 to 1.",
        SELL_THROUGH_SOURCE,
    )
    bulk_fulfilment_share: Rate = param(
        Decimal("0.25"),
        "Fulfilment cost per order's worth restocked in bulk, as a share of the market's cost "
        "per order shipped (批量发货).",
        "assumption",
    )
    dealer_rebate: Rate = param(
        Decimal("0.05"),
        "Rebate to dealers, share of their restocking net sales (经销商返利).",
        "assumption",
    )
    meeting_commission: Rate = param(
        Decimal("0.10"),
        "Commission to speakers and inviting dealers, share of meeting net sales (会销提成).",
        "assumption",
    )

    def _attendees(self) -> Any:
        return self.meetings * self.attendees_per_meeting

    @override
    def segments(self) -> list[Segment]:
        m = self.market
        dealers = self._attendees() * self.signing_rate
        return [
            self.entry_packages(
                dealers,
                price=self.entry_package,
                cost=self.entry_package * self.package_cost_share,
            ),
            self.segment(
                "restocking",
                "经销商补货",
                "Dealer restocking",
                customers=dealers,
                conversion=self.restock_orders,
                unit_price=m.price * (1 - self.price_differential),
                fulfilment_cost=m.fulfilment_cost * self.bulk_fulfilment_share,
                distinct=False,
            ),
            self.segment(
                "meeting_buyers",
                "会场购买顾客",
                "Meeting buyers",
                customers=self._attendees() * self.buying_rate,
                lifetime=1,
                conversion=1,
            ),
        ]

    @override
    def channel_costs(self, results: Mapping[str, SegmentResult]) -> list[Cost | Commission]:
        return [
            Commission(
                "dealer_rebates",
                "经销商返利",
                "Dealer rebates",
                rate=self.dealer_rebate,
                on="restocking",
            ),
            Commission(
                "meeting_commissions",
                "会销提成",
                "Meeting-sales commissions",
                rate=self.meeting_commission,
                on=("entry_packages", "meeting_buyers"),
            ),
        ]

    @override
    def acquisition_costs(self, customers: Any) -> list[Cost]:
        return [
            *super().acquisition_costs(customers),
            Cost(
                "meeting_costs",
                "会议成本",
                "Briefings and recruitment meetings",
                self.meetings * self.meeting_cost,
                "acquisition",
            ),
        ]

    @override
    def checks(self) -> list[Check]:
        m = self.market
        return [
            *super().checks(),
            Check(
                ("signing_rate", "buying_rate"),
                "attendees who sign and who buy add up to more than 100%",
                self.signing_rate + self.buying_rate <= 1,
            ),
            self.price_check("price_differential", "wholesale price"),
            Check(
                ("meetings", "attendees_per_meeting", "market.customers"),
                "meeting attendees exceed the market's customers",
                self._attendees() <= m.customers,
            ),
        ]

    @override
    def compliance_profile(self) -> ComplianceProfile:
        """What the compliance checks read: the entry package and the meeting commission.

        Examples
        --------
        >>> p = TobOffline().compliance_profile()
        >>> p.entry_fee, p.recruit_reward
        (Decimal('699'), Decimal('69.90'))
        """
        reward = self.meeting_commission * self.entry_package
        return ComplianceProfile(
            entry_fee=self.entry_package,
            resale_stock="required",
            recruit_reward=reward,
            own_sales_rate=self.meeting_commission,
            evidence={
                "entry_fee": (
                    f"attendees sign as dealers by buying the entry package (报单产品, "
                    f"entry_package = {yuan_text(self.entry_package)} yuan)"
                ),
                "resale_stock": (
                    f"the entry package is goods an attendee must buy to sign as a dealer "
                    f"({yuan_text(self.entry_package)} yuan); restocking after it "
                    f"(restock_orders = {yuan_text(self.restock_orders)} a period) is the "
                    "dealer's own, at its own risk"
                ),
                "recruit_reward": (
                    f"the meeting-sales commission (会销提成, meeting_commission = "
                    f"{share_text(self.meeting_commission)}) on each entry package sold at a "
                    f"meeting ({yuan_text(reward)} yuan per dealer signed) goes to the "
                    "speakers and the dealers who invited the signer"
                ),
                "team_pay": (
                    f"dealer rebates (经销商返利, dealer_rebate = "
                    f"{share_text(self.dealer_rebate)}) are paid on a dealer's own restocking, "
                    "not on others' orders"
                ),
                "own_sales": (
                    "the same commission on products sold at the meeting to buyers who do not sign"
                ),
            },
        )


__all__ = ["TobOffline"]
