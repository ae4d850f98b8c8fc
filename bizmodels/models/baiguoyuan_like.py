"""百果园式会员运营: a membership business with community groups and online acquisition."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal
from typing import Any

from typing_extensions import override

from bizmodels._compliance_profile import ComplianceProfile, share_text
from bizmodels._types import Count, Rate, Yuan, param
from bizmodels.engine import Commission, Cost, Segment, SegmentResult
from bizmodels.models._base import Check
from bizmodels.models.toc_membership import TocMembership

_SEED = "seed 001 (001_07a435858c0348ea.txt)"


class BaiguoyuanLike(TocMembership):
    """百果园式会员运营: members, paid members and community groups, mostly won online.

    Seed 001 (001_07a435858c0348ea.txt) gives 百果园 as its example of running private-domain
    traffic: "在线上、线下会员总数超8000万,其中付费会员数累计110万+"; "App月活用户200万";
    "在企微体系内,有 16000 个社群,600多万社群成员,月复购率超50%"; and "百果园的线上获客比近
    70%", through the official account, video account and mini program.

    The 80 million and the 1.1 million are cumulative (累计: everyone ever registered), not
    the people buying now, so the preset does not buy with them: its active pool is the 6
    million group members and the 2 million monthly app users the seed names (taken as
    different people, an assumption) already there (``existing_customers``, charged no
    acquisition), and the members won during the year (``market.customers × reach``, the only
    ones charged acquisition). Paid members now are half the cumulative 1.1 million (an
    assumption: the seed gives no current count). Group members buy in half the months (the
    seed's 50%, a floor), and 70% of customers are won online. `groups` gives the seed's
    16,000 groups back from the group members and ``members_per_group`` (600万 / 16000 =
    375). Everything else (the order value, the cost of goods, the CACs, the commission, how
    often ordinary members buy) is an assumption. Paid members and group members are taken as
    different people (the seed does not say how they overlap).

    Segments: those of `TocMembership` (ordinary buyers, paid members, membership fees),
    with the ordinary buyers reduced by the group members, and community-group members
    (社群成员) buying at the list price. Channel lines: member benefits, and a commission to
    the group's leader or operator (团长/社群运营) on the group's net sales. Acquisition is
    split by channel: ``customers × (online_share × online_cac + (1 − online_share) ×
    offline_cac)``, shown as an online and an offline line; the inherited
    ``acquisition_cost`` is not used and must stay 0.
    """

    key = "baiguoyuan_like"
    name_zh = "百果园式会员运营"
    name_en = "Baiguoyuan-like membership"
    seed = "001"
    listed = False

    acquisition_cost: Yuan = param(
        Decimal(0),
        "Not used: online_cac and offline_cac give the cost of winning a customer (获客成本); "
        "must be 0.",
        "assumption",
    )
    member_conversion: Rate = param(
        Decimal("0.50"),
        "Share of paid members who buy in a period (复购率); seed 001's 月复购率超50% is the "
        "community groups' rate, so this one is not from the seed.",
        "assumption",
    )
    group_share: Rate = param(
        Decimal("0.3"),
        "Share of the active private pool in the brand's community groups (社群成员), 0 to 1.",
        f"{_SEED}: 600多万社群成员, of an active pool of 20 million (the preset's: 6 million "
        "group members and 2 million app users there, 12 million won in the year)",
    )
    members_per_group: Count = param(
        Decimal(6_000_000) / Decimal(16_000),
        "Members of one community group (每个社群人数), people.",
        f"{_SEED}: 16000 个社群,600多万社群成员 (6,000,000 / 16,000 = 375)",
    )
    group_conversion: Rate = param(
        Decimal("0.50"),
        "Share of group members who buy in a period (社群月复购率).",
        f"{_SEED}: 月复购率超50%",
    )
    group_commission_rate: Rate = param(
        Decimal("0.05"),
        "Commission to the group's leader or operator (团长/社群运营佣金), share of the group "
        "members' net sales.",
        "assumption",
    )
    online_share: Rate = param(
        Decimal("0.70"),
        "Share of customers won online (线上获客比), 0 to 1; the rest are won offline.",
        f"{_SEED}: 百果园的线上获客比近70%",
    )
    online_cac: Yuan = param(
        Decimal(15),
        "Cost of winning one customer online (线上获客成本: official account, video, mini "
        "program), yuan.",
        "assumption",
    )
    offline_cac: Yuan = param(
        Decimal(30),
        "Cost of winning one customer offline (线下获客成本: in store), yuan.",
        "assumption",
    )

    def _group_members(self) -> Any:
        return self.pool() * self.group_share

    def groups(self) -> Any:
        """Community groups (社群) the group members fill, ``members_per_group`` each.

        Examples
        --------
        The preset's 6 million group members in groups of 375: seed 001's 16,000 groups.

        >>> from bizmodels.presets import resolve
        >>> f"{resolve('baiguoyuan_like').groups():,.0f}"
        '16,000'
        """
        return self._group_members() / self.members_per_group

    @override
    def segments(self) -> list[Segment]:
        group = self._group_members()
        buyers, *rest = super().segments()
        return [
            buyers._replace(customers=buyers.customers - group),
            *rest,
            self.segment(
                "group_members",
                "社群成员",
                "Community-group members",
                customers=group,
                conversion=self.group_conversion,
            ),
        ]

    @override
    def channel_costs(self, results: Mapping[str, SegmentResult]) -> list[Cost | Commission]:
        return [
            *super().channel_costs(results),
            Commission(
                "group_commission",
                "团长/社群运营佣金",
                "Group leader commission",
                rate=self.group_commission_rate,
                on="group_members",
            ),
        ]

    @override
    def acquisition_costs(self, customers: Any) -> list[Cost]:
        return [
            Cost(
                "acquisition_online",
                "线上获客成本",
                "Online acquisition",
                customers * self.online_share * self.online_cac,
                "acquisition",
            ),
            Cost(
                "acquisition_offline",
                "线下获客成本",
                "Offline acquisition",
                customers * (1 - self.online_share) * self.offline_cac,
                "acquisition",
            ),
        ]

    @override
    def checks(self) -> list[Check]:
        return [
            *super().checks(),
            Check(
                ("member_share", "group_share"),
                "paid members and group members together exceed the private pool",
                self.member_share + self.group_share <= 1,
            ),
            Check(
                ("acquisition_cost",),
                "acquisition_cost is not used: set online_cac and offline_cac",
                self.acquisition_cost == 0,
            ),
        ]

    @override
    def compliance_profile(self) -> ComplianceProfile:
        """What the compliance checks read: `TocMembership`'s, plus the group commission.

        Examples
        --------
        >>> BaiguoyuanLike().compliance_profile().own_sales_rate
        Decimal('0.05')
        """
        base = super().compliance_profile()
        own = (
            f"the group's leader or operator (团长/社群运营) is paid group_commission_rate = "
            f"{share_text(self.group_commission_rate)} of the group members' net sales, one "
            "level only"
        )
        return replace(
            base,
            own_sales_rate=self.group_commission_rate,
            evidence={**base.evidence, "own_sales": own},
        )


__all__ = ["BaiguoyuanLike"]
