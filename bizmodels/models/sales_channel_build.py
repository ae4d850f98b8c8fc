"""私域销售渠道搭建: outsourced, outsourced then self-run, or self-run, as cost structures."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from typing_extensions import override

from bizmodels._compliance_profile import ComplianceProfile, share_text
from bizmodels._types import Periods, Rate, Yuan, param
from bizmodels.engine import Commission, Cost, Segment, SegmentResult
from bizmodels.models._base import Check, PoolModel


class SalesChannelBuild(PoolModel):
    """私域销售渠道搭建: the three ways seed 004 builds a private sales channel, as costs.

    Seed 004 (004_fa64250602f99480.txt) names three ways leading brands build a private sales
    channel (搭建私域销售渠道). "1、纯外包型,由外包公司运营": an outsourcing company runs it,
    which is not dangerous to the brand, but "成功与否完全取决于外包公司". "2、外包是自营" (the
    seed's wording for 外包转自营): outsourcing first builds a ready team and a distribution
    community, which the brand then takes over (通过总验收的方式); the risk is "相对可控". "3、纯
    自营": the brand builds its own sales team; "前期投入大,品牌本身就有很大的危险,但一旦打通,
    就是最有耐心的". The seed gives no figures: every default here is an assumption.

    One class covers the three: the channel is outsourced for the first
    ``outsourced_periods`` of the lifetime and self-run for the rest (``outsourced_periods``
    = lifetime is pure outsourcing, 0 is pure self-running). While outsourced, the brand
    pays the outsourcer a share of the margin, a fee on the net sales of those periods; once
    self-run, it pays its own team every period. The seed's risk and durability are not
    priced: reach and conversion are the same whoever runs the channel, so the three differ
    only in cost structure (set reach, conversion or lifetime to express a view on them).
    On cost alone, a longer lifetime favours the two that end self-run (the fee grows with
    the sales, the team does not), but between those two the order is the same at every
    lifetime: self-run saves the fee of the outsourced periods and pays its team and a
    larger set-up instead.

    Segments: the private pool (``market.customers × reach``) buying at the list price,
    split by time into sales while outsourced (``outsourced_periods`` periods) and sales
    while self-run (the remaining periods; the same people, counted once). Channel lines:
    the outsourcer's fee on the net sales while outsourced. Below the contribution margin,
    in the fixed section: the set-up cost (a one-off investment in the channel, not a cost
    per customer, so it is not part of CAC) and the own team's cost over the self-run
    periods.
    """

    key = "sales_channel_build"
    name_zh = "私域销售渠道搭建"
    name_en = "Building a private sales channel"
    seed = "004"
    listed = False

    outsourced_periods: Periods = param(
        Decimal(6),
        "Periods at the start of the lifetime in which an outsourcing company runs the "
        "channel (外包期), periods; the lifetime for pure outsourcing, 0 for pure self-run; "
        "at most the lifetime.",
        "assumption",
    )
    outsourcer_fee_rate: Rate = param(
        Decimal("0.20"),
        "The outsourcer's share of the margin (外包服务费), share of the net sales of the "
        "outsourced periods.",
        "assumption",
    )
    setup_cost: Yuan = param(
        Decimal(60_000),
        "One-off cost of setting up the channel (前期投入: systems, contracts, the takeover), "
        "yuan; small when outsourced, large when self-run.",
        "assumption",
    )
    own_team_per_period: Yuan = param(
        Decimal(15_000),
        "Cost of the brand's own sales team per self-run period (自营团队成本), yuan.",
        "assumption",
    )

    def _self_run_periods(self) -> Any:
        return self.lifetime - self.outsourced_periods

    @override
    def segments(self) -> list[Segment]:
        pool = self.pool()
        return [
            self.segment(
                "sales_outsourced",
                "外包期销售",
                "Sales while outsourced",
                customers=pool,
                lifetime=self.outsourced_periods,
                conversion=self.conversion,
            ),
            self.segment(
                "sales_self_run",
                "自营期销售",
                "Sales while self-run",
                customers=pool,
                lifetime=self._self_run_periods(),
                # the same customers, later in their lives: their curve goes on from there
                start=self.outsourced_periods,
                conversion=self.conversion,
                distinct=False,
            ),
        ]

    @override
    def channel_costs(self, results: Mapping[str, SegmentResult]) -> list[Cost | Commission]:
        return [
            Commission(
                "outsourcer_fees",
                "外包服务费",
                "Outsourcer fees",
                rate=self.outsourcer_fee_rate,
                on="sales_outsourced",
            ),
        ]

    @override
    def overhead_costs(self) -> list[Cost]:
        return [
            *super().overhead_costs(),
            Cost("channel_setup", "渠道搭建投入", "Channel set-up", self.setup_cost, "fixed"),
            Cost(
                "own_team",
                "自营团队成本",
                "Own sales team",
                self.own_team_per_period * self._self_run_periods(),
                "fixed",
            ),
        ]

    @override
    def checks(self) -> list[Check]:
        return [
            *super().checks(),
            Check(
                ("outsourced_periods", "lifetime"),
                "outsourced periods exceed the lifetime",
                self.outsourced_periods <= self.lifetime,
            ),
            Check(
                ("outsourced_periods",),
                "outsourced periods must be a whole number of periods (the hand-over is at the "
                "start of a period)",
                self.outsourced_periods % 1 == 0,
            ),
        ]

    @override
    def compliance_profile(self) -> ComplianceProfile:
        """What the compliance checks read: an outsourcer's fee on the sales it runs.

        Examples
        --------
        >>> SalesChannelBuild().compliance_profile().own_sales_rate
        Decimal('0.20')
        """
        return ComplianceProfile(
            own_sales_rate=self.outsourcer_fee_rate,
            evidence={
                "entry_fee": "no one pays for a right to earn",
                "own_sales": (
                    f"the outsourcing company (外包) is paid outsourcer_fee_rate = "
                    f"{share_text(self.outsourcer_fee_rate)} of the net sales of the periods "
                    "it runs the channel; the brand's own team is salaried"
                ),
            },
        )


__all__ = ["SalesChannelBuild"]
