"""Plain multi-level distribution (二级分销 / 三级分销): a commission up the sponsor chain.

Seed 000 names two-level distribution (有赞二级分销) among the light to-B models; the
commission rates are assumptions. The plan runs on the same simulation engine as 链动2+1
(`bizmodels.plans.simulate`): the placement tree is the sponsor tree, nobody ranks up,
nothing is frozen, and there are no pools.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal
from functools import cached_property
from typing import ClassVar

from pydantic import Field, model_validator

from bizmodels._compliance_profile import ComplianceProfile, share_text, yuan_text
from bizmodels._types import param
from bizmodels.plans.base import Plan
from bizmodels.plans.limits import MAX_LEVELS, PlanRate, PlanYuan
from bizmodels.waterfall import Line, Subtotal, Waterfall

_SEED = "seed 000 (000_446469964f142a4d.txt), rates: assumption"


class DistributionPlan(Plan):
    """A multi-level distribution plan: every order pays a share of its price to each level.

    Level 1 is the buyer's sponsor (推荐人), level 2 the sponsor's sponsor, and so on. Each
    level gets ``floor(rate × price)`` fen of every order the buyer places (the join and each
    repurchase); a level with no sponsor (the chain ends at a root) pays no one and the
    reward stays with the platform as breakage.

    Limits
    ------
    ``price`` 0 to 1,000,000 yuan in whole fen; each rate 0 to 1 with at most 10 decimal
    places (applied exactly, see `bizmodels.plans.limits`); 1 to 100 levels. Others are
    refused when the plan is built, naming the field.

    Examples
    --------
    What does each level earn on a 699-yuan order at 10% and 5%?

    >>> plan = DistributionPlan(rates=(0.10, 0.05), price=699)
    >>> plan.level_rewards
    (6990, 3495)

    69.90 and 34.95 yuan, in fen.
    """

    key: ClassVar[str] = "distribution"
    name_en: ClassVar[str] = "distribution plan"
    name_zh: ClassVar[str] = "多级分销"

    price: PlanYuan = param(Decimal(699), "Price of one order (package), yuan.", "assumption")
    rates: tuple[PlanRate, ...] = Field(
        (Decimal("0.10"), Decimal("0.05")),
        min_length=1,
        max_length=MAX_LEVELS,
        description="Commission (分佣) of each level up the sponsor chain, share of the price; "
        "level 1 first.",
        json_schema_extra={"source": _SEED},
    )

    @model_validator(mode="after")
    def _within_price(self) -> DistributionPlan:
        total = sum(self.level_rewards)
        price = int(self.price * 100)
        if total > price:
            raise ValueError(
                f"rates {', '.join(str(r) for r in self.rates)} pay {Decimal(total) / 100} "
                f"yuan per order, more than the price {self.price}"
            )
        return self

    @cached_property
    def level_rewards(self) -> tuple[int, ...]:
        """Reward of each level on one order, integer fen: ``floor(rate × price)``."""
        price = Decimal(int(self.price * 100))
        return tuple(int((r * price).to_integral_value(ROUND_FLOOR)) for r in self.rates)

    def order_waterfall(self) -> Waterfall:
        """Where one order's price goes when every level has a sponsor: price − levels = kept.

        Examples
        --------
        >>> distribution(rates=[0.1, 0.05], price=100).order_waterfall().end
        Decimal('85.00')
        """
        lines = [
            Line(
                f"level_{i}",
                f"{i}级分佣",
                f"Level-{i} commission",
                Decimal(fen) / 100,
                f"kept by the platform when the chain has no level-{i} sponsor",
                f"无第{i}级推荐人时归平台",
            )
            for i, fen in enumerate(self.level_rewards, start=1)
        ]
        return Waterfall.build(
            Line("price", "订单价", "Order price", self.price),
            lines,
            Subtotal("platform_kept", "平台留存", "Kept by the platform"),
            title="distribution order",
        )

    def compliance_profile(self) -> ComplianceProfile:
        """The plan's features for the legal indicators of `bizmodels.compliance`.

        The joining order is the entry fee, level 1 is paid on each recruit's order, and
        every order pays each level up the sponsor chain.

        Examples
        --------
        >>> distribution(rates=[0.1, 0.05, 0.02]).compliance_profile().pay_levels
        4
        """
        rewards = [Decimal(f) / 100 for f in self.level_rewards]
        levels = ", ".join(
            f"level {i} {share_text(r)} ({yuan_text(y)} yuan)"
            for i, (r, y) in enumerate(zip(self.rates, rewards, strict=True), start=1)
        )
        return ComplianceProfile(
            entry_fee=self.price,
            recruit_reward=rewards[0],
            upline_rates=tuple(self.rates),
            evidence={
                "entry_fee": (
                    f"a member joins by placing an order of price = {yuan_text(self.price)} "
                    "yuan (the join is a purchase), and only members earn commission"
                ),
                "recruit_reward": (
                    f"the sponsor earns rates[0] = {share_text(self.rates[0])} of each "
                    f"recruit's joining order: {yuan_text(rewards[0])} yuan per recruit"
                ),
                "team_pay": (
                    f"every order (the join and each repurchase) pays {len(self.rates)} levels "
                    f"up the sponsor chain: {levels}"
                ),
                "own_sales": "members are paid only on other members' orders, never on their "
                "own sales to consumers",
            },
        )


def distribution(**overrides: object) -> DistributionPlan:
    """A plain multi-level distribution plan (default: two levels, 10% and 5% of 699 yuan).

    Parameters
    ----------
    **overrides
        Any `DistributionPlan` field: ``rates=[0.1, 0.05, 0.02]`` for three levels,
        ``price=99``.

    Examples
    --------
    >>> distribution(rates=[0.2, 0.1, 0.05], price=100).level_rewards
    (2000, 1000, 500)
    """
    return DistributionPlan.model_validate(overrides)
