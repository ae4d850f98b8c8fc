"""社群电商: the brand's own groups are the channel, run by paid operators (seed 002)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
from typing_extensions import override

from bizmodels._compliance_profile import ComplianceProfile, yuan_text
from bizmodels._types import Count, Rate, Yuan, param
from bizmodels.engine import Cost, Segment
from bizmodels.models._base import BusinessModel, Check

_SEED = "seed 002 (002_f13a0cfa10d43761.txt): "


class CommunityEcommerce(BusinessModel):
    """社群电商: groups of like-minded buyers are the channel; operators keep them alive.

    Seed 002 (002_f13a0cfa10d43761.txt) calls 社群电商 e-commerce with community operations
    added (在電商平臺方面,增加了社群運營): a group is the simplest way for a brand to reach its
    users, with a low threshold for them (社群的心理門檻低). Its tactics: interaction from
    the brand's own alternate accounts to start a herd effect (社群內通過小號互動,非常容易出現
    羊群效應,帶動粉絲參與); rewarding the fans who interact often (獎勵經常互動的粉絲); daily
    news, topics and red packets to keep a group active (促活); core fans made the soul of a
    group (打造核心粉絲); and big names invited to speak (大咖站臺). It warns that a group
    without value turns into an advertising or zombie group (廣告群、殭屍群).

    Members are ``groups × members_per_group``, at most the market's customers; each costs
    ``acquisition_cost`` to bring into a group. Operators (社群运营) are paid a salary, one per
    ``groups_per_operator`` groups (a fraction: part of one person's time).

    Segments: core fans (核心粉丝), who buy more often, and the other members, at the list
    price. No channel lines: nobody is paid on sales. Marketing: the alternate accounts, the
    groups' red packets, the core fans' rewards and the guest speakers (the base's
    ``marketing_per_period`` is 0 by default). Fixed: the operators' salaries, beside the
    base's fixed costs (systems, office, management).
    """

    key = "community_ecommerce"
    name_zh = "社群电商"
    name_en = "Community e-commerce"
    seed = "002"
    listed = False  # a variant: the registry of the ten (MODELS) stays the ten

    marketing_per_period: Yuan = param(
        Decimal(0),
        "Marketing spend per period beside the groups' own (营销费用), yuan.",
        "assumption: the groups' red packets, alternate accounts and guests are the "
        "marketing, not counted twice",
    )
    fixed_per_period: Yuan = param(
        Decimal(8_000),
        "Fixed operating cost per period beside the operators (固定运营成本: systems, office, "
        "management), yuan.",
        "assumption: the team that runs the groups is the operators (operator_salaries), so "
        "less than the base's 20,000 for a team and systems",
    )
    groups: Count = param(
        Decimal(15),
        "Groups the brand runs (社群), groups.",
        "assumption: seed 002 gives no count; 15 groups of 200 hold 3,000 members, the pool "
        "the pool models reach on the default market (reach 0.30 of 10,000)",
    )
    members_per_group: Count = param(
        Decimal(200),
        "Members per group (群成员), people.",
        "assumption: seed 002 gives no size; below a WeChat group's 500-member limit",
    )
    core_fan_share: Rate = param(
        Decimal("0.05"),
        "Share of members made core fans (核心粉丝), 0 to 1.",
        _SEED + "打造核心粉絲:打造社群的靈魂人物,形成焦點; the share is an assumption: ten "
        "people in a group of 200",
    )
    core_fan_conversion: Rate = param(
        Decimal("0.60"),
        "Share of core fans who buy in a period (核心粉丝转化率).",
        "assumption: the fans closest to the group buy in most months; seed 002 gives no rate",
    )
    member_conversion: Rate = param(
        Decimal("0.15"),
        "Share of the other members who buy in a period (群成员转化率).",
        "assumption: seed 002 gives no rate; a group member buys about twice a year",
    )
    alt_accounts_per_group: Count = param(
        Decimal(2),
        "The brand's alternate accounts interacting in each group (小号), accounts.",
        _SEED + "社群內通過小號互動,非常容易出現羊群效應; the number is an assumption",
    )
    alt_account_cost: Yuan = param(
        Decimal(100),
        "Running one alternate account per period (a phone number, a device, the operator's "
        "time), yuan.",
        "assumption: seed 002 gives no cost",
    )
    red_packets_per_group: Yuan = param(
        Decimal(100),
        "Red packets and activities to keep a group active per period (促活红包), yuan per group.",
        _SEED + "促活:發佈每日資訊、帶頭發起熱門話題...發紅包獎勵等; the amount is an assumption",
    )
    core_fan_reward: Yuan = param(
        Decimal(10),
        "Reward per active core fan per period (奖励经常互动的粉丝), yuan.",
        _SEED + "既要獎勵經常互動的粉絲; the amount is an assumption",
    )
    guest_fee_per_period: Yuan = param(
        Decimal(1_000),
        "Guest speakers who endorse the groups per period (大咖站台), yuan.",
        _SEED + "大咖站臺:找大咖來為社群站臺; the fee is an assumption",
    )
    groups_per_operator: Count = param(
        Decimal(10),
        "Groups one operator runs (每个社群运营负责的群), groups, at least 1.",
        "assumption: seed 002 lists an operator's work (定位, 規矩, 促活, 核心粉絲) but gives no "
        "load; ten groups of 200 a person, with a group-management tool",
    )
    operator_salary: Yuan = param(
        Decimal(6_000),
        "Salary of one community operator per period (社群运营薪资), yuan.",
        "assumption: seed 002 gives no salary",
    )

    def _members(self) -> Any:
        # the groups' members, at most the market; Any: numpy's stubs do not take Decimal
        wanted: Any = self.groups * self.members_per_group
        available: Any = self.market.customers
        return np.minimum(wanted, available)

    def operators(self) -> Any:
        """Community operators the groups need, ``groups / groups_per_operator``, people.

        Examples
        --------
        >>> CommunityEcommerce().operators()
        Decimal('1.5')
        """
        return self.groups / self.groups_per_operator

    @override
    def segments(self) -> list[Segment]:
        members = self._members()
        return [
            self.segment(
                "core_fans",
                "核心粉丝",
                "Core fans",
                customers=members * self.core_fan_share,
                conversion=self.core_fan_conversion,
            ),
            self.segment(
                "members",
                "群成员",
                "Group members",
                customers=members * (1 - self.core_fan_share),
                conversion=self.member_conversion,
            ),
        ]

    @override
    def overhead_costs(self) -> list[Cost]:
        return [
            *super().overhead_costs(),
            Cost(
                "alt_accounts",
                "小号运营",
                "Alternate accounts",
                self.groups * self.alt_accounts_per_group * self.alt_account_cost * self.lifetime,
                "marketing",
            ),
            Cost(
                "group_red_packets",
                "促活红包",
                "Red packets to keep groups active",
                self.groups * self.red_packets_per_group * self.lifetime,
                "marketing",
            ),
            Cost(
                "core_fan_rewards",
                "核心粉丝奖励",
                "Core fans' rewards",
                # paid to the core fans still active, period by period
                self._members()
                * self.core_fan_share
                * self.core_fan_reward
                * self.active_periods(),
                "marketing",
            ),
            Cost(
                "guest_speakers",
                "大咖站台",
                "Guest speakers",
                self.guest_fee_per_period * self.lifetime,
                "marketing",
            ),
            Cost(
                "operator_salaries",
                "社群运营薪资",
                "Community operators' salaries",
                self.operators() * self.operator_salary * self.lifetime,
                "fixed",
            ),
        ]

    @override
    def checks(self) -> list[Check]:
        return [
            *super().checks(),
            Check(
                ("groups_per_operator",),
                "an operator runs less than one group",
                self.groups_per_operator >= 1,
            ),
        ]

    @override
    def compliance_profile(self) -> ComplianceProfile:
        """What the compliance checks read: salaried operators, nobody paid on sales.

        Examples
        --------
        >>> CommunityEcommerce().compliance_profile().pay_levels
        0
        """
        return ComplianceProfile(
            evidence={
                "entry_fee": "joining a group is free: members pay only for goods",
                "recruit_reward": (
                    "no reward for bringing a member in: the groups' growth (社群裂变) is "
                    "paid as acquisition, per member"
                ),
                "own_sales": (
                    "no one is paid on sales: operators are salaried (operator_salary = "
                    f"{yuan_text(self.operator_salary)} yuan per period), and core fans' rewards "
                    f"(core_fan_reward = {yuan_text(self.core_fan_reward)} yuan) and red packets "
                    "pay for interaction, not for orders"
                ),
            },
        )


__all__ = ["CommunityEcommerce"]
