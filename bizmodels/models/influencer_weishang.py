"""网红微商: an influencer brings the traffic, but the fame fades (seed 003)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import numpy as np
from typing_extensions import override

from bizmodels._compliance_profile import ComplianceProfile, share_text, yuan_text
from bizmodels._types import Periods, Rate, Yuan, param
from bizmodels.engine import Commission, Cost, Segment, SegmentResult
from bizmodels.models._base import BusinessModel, Check
from bizmodels.retention import survival

_LIFECYCLE = "seed 003 (003_e213b8fe3b9defb8.txt): 每個網紅都有生命週期,火,只有那麼一瞬間"


class InfluencerWeishang(BusinessModel):
    """网红微商: an influencer's fans buy while the fame lasts; the brand keeps a few of them.

    Seed 003 (003_e213b8fe3b9defb8.txt) is sceptical of 网红微商, entertainment streamers
    turned sellers: an influencer does bring traffic (網紅確實是自帶流量), but also a label
    that takes long to change, and above all every influencer has a lifecycle: the fame
    lasts only a moment (每個網紅都有生命週期,火,只有那麼一瞬間). Most of the audience watch to
    pass the time (大多看直播都是為了打發時間), so they buy seldom.

    The influencer's reach decays: of the fans reached in the first period, only
    ``popularity_retention**t`` are still reached ``t`` periods on (`reach_in_period`), and
    the fans buy through the influencer only while reached, so that segment follows that
    curve instead of the model's retention. The brand pays the influencer a commission on
    the fans' net sales and a fee for every period of the contract, whether the fame lasts
    or not. ``retained_share`` of the fans are added to the brand's own WeChat (私域沉淀) and
    keep buying at the model's retention, however the influencer fares; only they cost
    ``acquisition_cost``.

    Segments: the influencer's fans, at the list price; the retained fans' repurchases in
    the brand's pool (the same people, not counted again). Channel lines: the influencer's
    commission on the fans' orders and the influencer's fees.
    """

    key = "influencer_weishang"
    name_zh = "网红微商"
    name_en = "Influencer 微商"
    seed = "003"
    listed = False  # a variant: the registry of the ten (MODELS) stays the ten

    marketing_per_period: Yuan = param(
        Decimal(0),
        "Marketing spend per period beside the influencer (营销费用), yuan.",
        "assumption: the influencer's fees and commission are the marketing, not counted twice",
    )
    fan_reach: Rate = param(
        Decimal("0.30"),
        "Share of the market's customers the influencer reaches at the start (网红自带流量), "
        "0 to 1.",
        "seed 003 (003_e213b8fe3b9defb8.txt): 網紅確實是自帶流量; the share is an assumption: "
        "the same as a pool's reach (reach of the pool models)",
    )
    fan_conversion: Rate = param(
        Decimal("0.10"),
        "Share of the fans still reached who buy through the influencer in a period (转化率).",
        "seed 003 (003_e213b8fe3b9defb8.txt): 大多看直播都是為了打發時間; the rate is an "
        "assumption: half the pool models' 0.20, for an audience that watches to pass the time",
    )
    popularity_retention: Rate = param(
        Decimal("0.70"),
        "Share of the influencer's reach kept from one period to the next (热度留存), 0 to 1: "
        "the fans still reached t periods on are popularity_retention**t of the first.",
        _LIFECYCLE + "; 0.70 is an assumption: the reach halves in two months (0.7² = 0.49)",
    )
    influencer_commission: Rate = param(
        Decimal("0.20"),
        "The influencer's commission (网红佣金), share of the fans' net sales through them.",
        "assumption: seed 003 gives no rate; the same as a live streamer's commission "
        "(toc_leaders_streamers.streamer_commission: the 20% KrASIA reports, 2024-09)",
    )
    influencer_fee: Yuan = param(
        Decimal(5_000),
        "The influencer's fixed fee per period of the contract (坑位费、签约费), yuan.",
        "assumption: seed 003 gives no fee; a small influencer's monthly fee",
    )
    contract_periods: Periods = param(
        Decimal(6),
        "Periods the influencer's fee is paid for (合作期), at most the lifetime.",
        "assumption: a half-year contract, signed while the influencer is popular",
    )
    retained_share: Rate = param(
        Decimal("0.10"),
        "Share of the fans added to the brand's own WeChat (私域沉淀), 0 to 1.",
        "assumption: seed 003 gives none; seed 000's (000_446469964f142a4d.txt) 私域沉淀池 "
        "applied to an influencer's fans, few of whom follow a brand for itself",
    )
    repurchase_rate: Rate = param(
        Decimal("0.15"),
        "Share of the retained fans who buy in the brand's pool in a period (复购率).",
        "assumption: below the pool models' 0.20 conversion, for fans won by the influencer",
    )

    def _fans(self) -> Any:
        return self.market.customers * self.fan_reach

    def _retained(self) -> Any:
        return self._fans() * self.retained_share

    def reach_in_period(self, t: int) -> Any:
        """Fans the influencer still reaches ``t`` periods after the start, people.

        Examples
        --------
        How many of the 3,000 fans does the influencer still reach after two months?

        >>> f"{InfluencerWeishang().reach_in_period(2):,.0f}"
        '1,470'

        3,000 × 0.7² = 1,470: about half.
        """
        return self._fans() * survival(t, self.popularity_retention)

    @override
    def segments(self) -> list[Segment]:
        return [
            self.segment(
                "influencer_fans",
                "网红粉丝",
                "The influencer's fans",
                customers=self._fans(),
                conversion=self.fan_conversion,
                # the fans buy through the influencer only while reached: the fame's curve
                retention=self.popularity_retention,
            ),
            self.segment(
                "retained",
                "沉淀私域复购",
                "Retained fans' repurchases",
                customers=self._retained(),
                conversion=self.repurchase_rate,
                distinct=False,
            ),
        ]

    @override
    def channel_costs(self, results: Mapping[str, SegmentResult]) -> list[Cost | Commission]:
        # Any: numpy's stubs do not take Decimal
        periods: Any = self.contract_periods
        horizon: Any = self.lifetime
        return [
            Commission(
                "influencer_commission",
                "网红佣金",
                "Influencer commission",
                rate=self.influencer_commission,
                on="influencer_fans",
            ),
            Cost(
                "influencer_fees",
                "网红坑位费",
                "Influencer fees",
                self.influencer_fee * np.minimum(periods, horizon),
            ),
        ]

    @override
    def acquisition_costs(self, customers: Any) -> list[Cost]:
        # only the retained fans are the brand's own customers to win; the influencer's
        # fans are paid for through the commission and the fees
        return super().acquisition_costs(self._retained())

    @override
    def checks(self) -> list[Check]:
        m = self.market
        return [
            *super().checks(),
            Check(
                ("influencer_commission", "market.unit_cost", "market.price"),
                "influencer commission and goods cost above the price",
                m.unit_cost + m.price * self.influencer_commission <= m.price,
            ),
        ]

    @override
    def compliance_profile(self) -> ComplianceProfile:
        """What the compliance checks read: the influencer paid on the fans' sales, one level.

        Examples
        --------
        >>> InfluencerWeishang().compliance_profile().pay_levels
        1
        """
        return ComplianceProfile(
            own_sales_rate=self.influencer_commission,
            evidence={
                "entry_fee": "the influencer and the fans pay nothing to take part",
                "own_sales": (
                    "the influencer (网红) is paid influencer_commission = "
                    f"{share_text(self.influencer_commission)} of their own fans' net sales, one "
                    f"level only, and a fixed fee (influencer_fee = "
                    f"{yuan_text(self.influencer_fee)} yuan × contract_periods = "
                    f"{yuan_text(self.contract_periods)})"
                ),
            },
        )


__all__ = ["InfluencerWeishang"]
