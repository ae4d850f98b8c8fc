"""内容电商: content wins the buyers, as on 小红书; KOLs (种草达人) are paid on theirs."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from typing_extensions import override

from bizmodels._compliance_profile import ComplianceProfile, share_text, yuan_text
from bizmodels._types import Count, Rate, Yuan, param
from bizmodels.engine import Commission, Cost, Segment, SegmentResult
from bizmodels.models._base import Check, PoolModel

_SEED = "seed 002 (002_f13a0cfa10d43761.txt): "


class ContentEcommerce(PoolModel):
    """内容电商: content wins the buyers; KOLs (种草达人) are paid on the followers they bring.

    Seed 002 (002_f13a0cfa10d43761.txt) takes 小紅書 as its example: buyers hear what the
    种草达人 say before they buy, and content both draws users and lifts their stickiness
    and conversion (提升用戶粘度,提升轉化率). Content is made two ways: by the operator
    itself or commissioned from KOLs and 大V (平臺運營者生產或約稿; 在內容電商前期,大部分的內容
    都需要自己生產), and by users, for rewards: a red packet for a post that more than ten
    people like or comment on (內容點贊評論超過10人,就進行紅包獎勵), and points earned by
    interacting, exchanged for gifts (互動積累積分,積分兌換禮品). KOLs and stars also
    recommend the goods to their own followers (ip引流: 種草推薦).

    The pool (``market.customers × reach``) are the followers of the content; ``kol_share``
    of them were won by KOL recommendations, and the KOLs are paid ``kol_commission`` of
    their followers' net sales. The brand's own and commissioned content is paid per period
    of the horizon and counted as acquisition (it is what wins the followers, so CAC holds
    it; in cash flows it follows the acquisition schedule); red packets and points are paid
    per active follower per period (`active_periods`).

    Segments: followers of the brand's own content and followers won by KOLs, buying at
    the list price. Channel lines: the KOLs' commission. Acquisition: the base's cost per
    follower, the brand's own content and the commissioned posts (约稿). Marketing: the red
    packets for user posts and the gifts bought with points (the base's
    ``marketing_per_period`` is 0 by default: the content is the marketing).
    """

    key = "content_ecommerce"
    name_zh = "内容电商"
    name_en = "Content e-commerce"
    seed = "002"
    listed = False  # a variant: the registry of the ten (MODELS) stays the ten

    acquisition_cost: Yuan = param(
        Decimal(10),
        "Cost of winning one follower beside the content and the KOLs (投流: promoting the "
        "posts), yuan.",
        "assumption: the content and the KOLs win the followers (own_content, "
        "commissioned_content and kol_commission are their cost); a fifth of the base's 50 "
        "yuan is left for promoting the posts",
    )
    marketing_per_period: Yuan = param(
        Decimal(0),
        "Marketing spend per period beside the content (营销费用), yuan.",
        "assumption: the content is the marketing (its own lines), not counted twice",
    )
    kol_share: Rate = param(
        Decimal("0.40"),
        "Share of the followers won by KOL and star recommendations (达人分享、ip引流), 0 to 1.",
        "assumption: seed 002 names KOLs, 大V and stars as a source of followers but gives no "
        "share; under half, the brand's own content making most of it early on "
        "(在內容電商前期,大部分的內容都需要自己生產)",
    )
    kol_commission: Rate = param(
        Decimal("0.20"),
        "KOL commission (达人佣金), share of the net sales of the followers they bring.",
        "assumption: seed 002 gives no rate; the same as a live streamer's commission "
        "(toc_leaders_streamers.streamer_commission: the 20% KrASIA reports, 2024-09)",
    )
    own_content_per_period: Yuan = param(
        Decimal(5_000),
        "The brand's own content per period (平台运营者生产: topics, lists, reviews), yuan.",
        "assumption: seed 002 says the operator makes most content early on but gives no "
        "cost; one content editor's part-time work a month",
    )
    commissioned_posts: Count = param(
        Decimal(4),
        "Posts commissioned from KOLs and 大V per period (约稿), posts.",
        "assumption: seed 002 names 約稿 (kol、大v約稿) but gives no number; one a week",
    )
    post_fee: Yuan = param(
        Decimal(1_000),
        "Fee per commissioned post (约稿费), yuan.",
        "assumption: seed 002 gives no fee; a small creator's price for one post",
    )
    rewarded_post_rate: Rate = param(
        Decimal("0.02"),
        "Posts per active follower per period that more than ten people like or comment on, "
        "each paid a red packet (红包奖励), 0 to 1.",
        _SEED + "內容點贊評論超過10人,就進行紅包獎勵; the rate is an assumption: one follower "
        "in fifty writes such a post a month",
    )
    red_packet: Yuan = param(
        Decimal(5),
        "Red packet per rewarded post (红包), yuan.",
        "assumption: seed 002 gives no amount; a token red packet",
    )
    points_cost: Yuan = param(
        Decimal("0.50"),
        "Gifts exchanged for interaction points per active follower per period (积分兑换礼品), "
        "yuan.",
        _SEED + "結合積分會員等形式,互動積累積分,積分兌換禮品; the amount is an assumption: "
        "a gift worth 6 yuan a year per follower",
    )

    def _followers(self) -> Any:
        return self.pool()

    @override
    def segments(self) -> list[Segment]:
        followers = self._followers()
        return [
            self.segment(
                "own_followers",
                "自有内容读者",
                "Followers of the brand's content",
                customers=followers * (1 - self.kol_share),
                conversion=self.conversion,
            ),
            self.segment(
                "kol_followers",
                "达人种草读者",
                "Followers won by KOLs",
                customers=followers * self.kol_share,
                conversion=self.conversion,
            ),
        ]

    @override
    def channel_costs(self, results: Mapping[str, SegmentResult]) -> list[Cost | Commission]:
        return [
            Commission(
                "kol_commission",
                "达人佣金",
                "KOL commission",
                rate=self.kol_commission,
                on="kol_followers",
            ),
        ]

    @override
    def overhead_costs(self) -> list[Cost]:
        # the content wins the followers (内容既能自媒体传播吸引用户): an acquisition cost,
        # made every period of the horizon whoever reads it; red packets and points go to
        # the followers still active
        active = self._followers() * self.active_periods()
        return [
            *super().overhead_costs(),
            Cost(
                "own_content",
                "自产内容",
                "The brand's own content",
                self.own_content_per_period * self.lifetime,
                "acquisition",
            ),
            Cost(
                "commissioned_content",
                "约稿费",
                "Commissioned posts (KOLs, 大V)",
                self.commissioned_posts * self.post_fee * self.lifetime,
                "acquisition",
            ),
            Cost(
                "ugc_red_packets",
                "内容红包奖励",
                "Red packets for user posts",
                active * self.rewarded_post_rate * self.red_packet,
                "marketing",
            ),
            Cost(
                "points_gifts",
                "积分兑换礼品",
                "Gifts for interaction points",
                active * self.points_cost,
                "marketing",
            ),
        ]

    @override
    def checks(self) -> list[Check]:
        m = self.market
        return [
            *super().checks(),
            Check(
                ("kol_commission", "market.unit_cost", "market.price"),
                "KOL commission and goods cost above the price",
                m.unit_cost + m.price * self.kol_commission <= m.price,
            ),
        ]

    @override
    def compliance_profile(self) -> ComplianceProfile:
        """What the compliance checks read: KOLs paid on their own followers' sales, one level.

        Examples
        --------
        >>> ContentEcommerce().compliance_profile().pay_levels
        1
        """
        rewards = (
            "a follower's red packet (red_packet = "
            f"{yuan_text(self.red_packet)} yuan) pays for a post liked by more than ten "
            "people and points pay for interaction, not for a sale or a recruit"
        )
        if not (self.kol_share and self.kol_commission):
            return ComplianceProfile(
                evidence={
                    "entry_fee": "followers pay only for goods",
                    "own_sales": f"no KOL is paid on sales; {rewards}",
                }
            )
        return ComplianceProfile(
            own_sales_rate=self.kol_commission,
            evidence={
                "entry_fee": "followers and KOLs pay nothing to take part",
                "own_sales": (
                    f"KOLs (种草达人) are paid kol_commission = "
                    f"{share_text(self.kol_commission)} of their own followers' net sales, one "
                    f"level only; {rewards}"
                ),
            },
        )


__all__ = ["ContentEcommerce"]
