"""自媒体微商: a personal IP on self-media; fans buy from a person they trust (seed 003)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from typing_extensions import override

from bizmodels._compliance_profile import ComplianceProfile
from bizmodels._types import Rate, Yuan, param
from bizmodels.engine import Cost, Segment
from bizmodels.models._base import BusinessModel

_SEED = "seed 003 (003_e213b8fe3b9defb8.txt): "


class SelfMediaWeishang(BusinessModel):
    """自媒体微商: a personal IP built post by post; fewer fans, who stay and trust.

    Seed 003 (003_e213b8fe3b9defb8.txt) calls using self-media only to draw traffic the
    simplest and most meaningless way (最單純最沒有意義的做法); one step further is to build
    a personal IP on the platforms, a brand of the person rather than of the product
    (借助平臺打造個人ip,建立人的品牌而不是產品的品牌). That is the fan relationship, the third
    and most advanced relationship of 微商 buying (微商消費關係進階的第三種關係,粉絲關係): content
    is king, service comes first, fans are the core (內容為王,服務為主,粉絲主核心). And 微商
    converts better than ordinary e-commerce because "a friend shared it" is trusted more
    (微商的轉化效率較傳統電商更高,也正是因為"我的朋友分享"我更信賴).

    Slower: the IP reaches fewer people than an influencer (``fan_reach``) and pays for
    content every period of the horizon, before and after the fans come. Stickier: the
    fans stay (``retention``, the model's own curve, higher than the base's) and convert
    well. The model is the IP's own business, one person's rather than a company's (its
    fixed costs are a studio's): it sells its own goods, so no one is paid a commission.

    Segments: the IP's fans, at the list price. No channel lines. Acquisition: the cost
    per fan and the content (内容生产), which is what wins the fans (the base's
    ``marketing_per_period`` is 0 by default).
    """

    key = "self_media_weishang"
    name_zh = "自媒体微商"
    name_en = "Self-media 微商 (personal IP)"
    seed = "003"
    listed = False  # a variant: the registry of the ten (MODELS) stays the ten

    retention: Rate = param(
        Decimal("0.95"),
        "Monthly retention of the fans (粉丝留存): share of the fans active in a period who "
        "are still active in the next; 1 means nobody leaves.",
        _SEED + "粉絲關係 ... 粉絲主核心的時代來臨了; 0.95 is an assumption: a twentieth of the "
        "fans lost a month, for a relationship the seed calls the most advanced",
    )
    acquisition_cost: Yuan = param(
        Decimal(5),
        "Cost of winning one fan (涨粉成本: promoting the posts on the platform), yuan.",
        "assumption: the content wins the fans (its cost is content_per_period); a tenth "
        "of the base's 50 yuan is left for promotion",
    )
    marketing_per_period: Yuan = param(
        Decimal(0),
        "Marketing spend per period beside the content (营销费用), yuan.",
        "assumption: the content is the IP's marketing (content_per_period)",
    )
    fixed_per_period: Yuan = param(
        Decimal(3_000),
        "Fixed operating cost per period (固定运营成本: the IP's studio, tools, an assistant), "
        "yuan.",
        "assumption: one person's business, not a company's team (the base's 20,000)",
    )
    fan_reach: Rate = param(
        Decimal("0.10"),
        "Share of the market's customers who become the IP's fans over the horizon (粉丝), 0 to 1.",
        "assumption: an IP is built post by post, so it reaches a third of what an "
        "influencer brings at once (influencer_weishang.fan_reach 0.30)",
    )
    conversion: Rate = param(
        Decimal("0.25"),
        "Share of the fans who buy in a period (转化率).",
        _SEED + '微商的轉化效率較傳統電商更高,也正是因為"我的朋友分享"我更信賴; 0.25 is an '
        "assumption: above the pool models' 0.20",
    )
    content_per_period: Yuan = param(
        Decimal(3_000),
        "Content production per period (内容生产: writing, filming, editing), yuan.",
        _SEED + "內容為王; the cost is an assumption: a part-time editor beside the IP's own work",
    )

    def _fans(self) -> Any:
        return self.market.customers * self.fan_reach

    @override
    def segments(self) -> list[Segment]:
        return [
            self.segment(
                "fans",
                "个人IP粉丝",
                "The IP's fans",
                customers=self._fans(),
                conversion=self.conversion,
            ),
        ]

    @override
    def overhead_costs(self) -> list[Cost]:
        return [
            *super().overhead_costs(),
            Cost(
                "content",
                "内容生产",
                "Content production",
                self.content_per_period * self.lifetime,
                # the content wins the fans: CAC holds it, and in cash flows it is paid as
                # the fans come (the acquisition schedule)
                "acquisition",
            ),
        ]

    @override
    def compliance_profile(self) -> ComplianceProfile:
        """What the compliance checks read: the IP sells its own goods, nobody is paid.

        Examples
        --------
        >>> SelfMediaWeishang().compliance_profile().pay_levels
        0
        """
        return ComplianceProfile(
            evidence={
                "entry_fee": "fans pay only for goods",
                "own_sales": "no one is paid a commission: the IP sells its own goods to its fans",
            }
        )


__all__ = ["SelfMediaWeishang"]
