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

import numpy as np
import numpy.typing as npt
from pydantic import Field, model_validator

from bizmodels._compliance_profile import ComplianceProfile, share_text, yuan_text
from bizmodels._types import param
from bizmodels.plans.base import EventView, Plan, Tally
from bizmodels.plans.limits import MAX_LEVELS, PlanRate, PlanYuan
from bizmodels.waterfall import Line, Subtotal, Waterfall

__all__ = [
    "DistributionPlan",
    "distribution",
]


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
    kinds: ClassVar[tuple[str, ...]] = ("direct", "indirect")

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

    @property
    def price_fen(self) -> int:
        """The price of one order, integer fen."""
        return int(self.price * 100)

    @property
    def short_name(self) -> str:
        """``"distribution 699 (2 levels)"``: the kind, the price and the levels."""
        return f"distribution {self._price_text()} ({len(self.rates)} levels)"

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

    # -- the engine ----------------------------------------------------------------------

    def _set_kernel_params(self, prm: npt.NDArray[np.int64], n_events: int) -> tuple[int, ...]:
        from bizmodels.plans import _kernel as k

        prm[k.P_KIND] = k.PLAN_DISTRIBUTION
        prm[k.P_LEVELS] = len(self.level_rewards)
        return self.level_rewards

    def audit(self, tally: Tally) -> dict[str, bool]:
        """Every order pays or leaves each level's reward."""
        paid = sum(tally.earned.values()) + tally.breakage_by["level"]
        return {"level rewards": paid == tally.orders * sum(self.level_rewards)}

    def explain_order(self, view: EventView, buyer: int, is_join: bool) -> None:
        """Each level up the sponsor chain, or the level no sponsor is there for."""
        y = view.sponsor(buyer)
        top = buyer
        for level, (rate, amount) in enumerate(zip(self.rates, self.level_rewards, strict=True)):
            kind = "direct" if level == 0 else "indirect"
            if y < 0:
                view.unclaimed(
                    kind,
                    amount,
                    f"no level-{level + 1} sponsor: the sponsor chain of {view.label(buyer)} "
                    f"ends at {view.label(top)}",
                )
                continue
            view.reward(
                kind,
                y,
                amount,
                0,
                f"level {level + 1} up the sponsor chain of {view.label(buyer)}: "
                f"{share_text(rate)} of the price",
            )
            top = y
            y = view.sponsor(y)


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
