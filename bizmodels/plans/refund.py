"""推三返一 (recruit three, refund one): recruit three buyers and get one's own price back.

Seed 000 names it among the mini-program referral schemes that start a market fast and
carry a risk of being judged pyramid selling (涉传风险). The plan runs on the simulation
engine of `bizmodels.plans.simulate`.

The reading adopted
-------------------
A member's *recruits* are the members who name it as sponsor. When a member's recruits
reach ``recruits_required`` (3), it is paid ``floor(refund_rate × price)`` (the whole
price by default) once, as a reward of kind ``refund``, at the end of the join event of
that recruit (after the recruit's own order). That is the only reward: the recruit's
order, the 4th and later recruits and every repurchase pay nobody. A refund is never
frozen. Roots can earn it too. The refund is at most one order's price, so the event that
triggers it never pays out more than it takes in.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import ClassVar

import numpy as np
import numpy.typing as npt

from bizmodels._compliance_profile import ComplianceProfile, share_text, yuan_text
from bizmodels._types import param
from bizmodels.plans.base import EventView, Plan, Tally
from bizmodels.plans.limits import PlanCount, PlanRate, PlanYuan
from bizmodels.waterfall import Line, Subtotal, Waterfall

__all__ = [
    "RefundPlan",
    "recruit_three_refund_one",
]


_SEED = "seed 000 (000_446469964f142a4d.txt): 推三返一"


class RefundPlan(Plan):
    """推三返一: a member whose recruits reach three is refunded its own package price once.

    Limits
    ------
    ``price`` 0 to 1,000,000 yuan in whole fen; ``refund_rate`` 0 to 1 with at most 10
    decimal places (applied exactly); ``recruits_required`` 1 to 2,147,483,646 (see
    `bizmodels.plans.limits`). Others are refused when the plan is built, naming the field.

    Examples
    --------
    >>> RefundPlan(price=699).refund
    69900
    """

    key: ClassVar[str] = "recruit_three_refund_one"
    name_en: ClassVar[str] = "推三返一 plan"
    name_zh: ClassVar[str] = "推三返一"
    kinds: ClassVar[tuple[str, ...]] = ("refund",)

    price: PlanYuan = param(Decimal(699), "Price of one order (package), yuan.", "assumption")
    recruits_required: PlanCount = param(
        3, "Recruits that earn the refund: the 三 of 推三返一.", _SEED, ge=1
    )
    refund_rate: PlanRate = param(
        Decimal(1), "Share of the member's own price refunded, once: the 一 of 推三返一.", _SEED
    )

    @cached_property
    def refund(self) -> int:
        """The refund, integer fen: ``floor(refund_rate × price)``."""
        price = Decimal(int(self.price * 100))
        return int((self.refund_rate * price).to_integral_value(ROUND_FLOOR))

    @property
    def price_fen(self) -> int:
        """The price of one order, integer fen."""
        return int(self.price * 100)

    @property
    def short_name(self) -> str:
        """``"recruit-three-refund-one 699"``: the kind and the price."""
        return f"recruit-three-refund-one {self._price_text()}"

    def order_waterfall(self) -> Waterfall:
        """One order's price less the most the refund can cost per recruit's order.

        The refund is paid once to a member whose recruits reach ``recruits_required``, so
        each recruit's order carries at most ``refund / recruits_required`` of it (when every
        sponsor reaches the count); the rest stays with the platform.

        Examples
        --------
        >>> recruit_three_refund_one(price=699).order_waterfall().end
        Decimal('466.00')
        """
        reserve = Decimal(self.refund) / 100 / self.recruits_required
        return Waterfall.build(
            Line("price", "订单价", "Order price", self.price),
            [
                Line(
                    "refund_reserve",
                    "返还准备（推三返一）",
                    "Refund reserve (recruit-three-refund-one)",
                    reserve,
                    f"the refund of {Decimal(self.refund) / 100} yuan, paid once per "
                    f"member whose recruits reach {self.recruits_required}, at most 1/"
                    f"{self.recruits_required} per recruit",
                    f"推荐满{self.recruits_required}人返还 {Decimal(self.refund) / 100} 元，"
                    f"每位被推荐人最多分摊 1/{self.recruits_required}",
                )
            ],
            Subtotal("platform_kept", "平台留存", "Kept by the platform (at least)"),
            title="recruit-three-refund-one order",
        )

    def compliance_profile(self) -> ComplianceProfile:
        """The plan's features for the legal indicators of `bizmodels.compliance`.

        The package is the entry fee; the refund is counted on recruits, and each recruit
        carries ``refund / recruits_required`` of it (to the fen, half up).

        Examples
        --------
        >>> recruit_three_refund_one(price=699).compliance_profile().recruit_reward
        Decimal('233.00')
        """
        refund = Decimal(self.refund) / 100
        per_recruit = (refund / self.recruits_required).quantize(Decimal("0.01"), ROUND_HALF_UP)
        return ComplianceProfile(
            entry_fee=self.price,
            recruit_reward=per_recruit,
            recruits_counted=self.recruits_required,
            evidence={
                "entry_fee": (
                    "a member joins by buying the package (price = "
                    f"{yuan_text(self.price)} yuan); only members can earn the refund"
                ),
                "recruit_reward": (
                    "a member whose recruits reach recruits_required = "
                    f"{self.recruits_required} gets refund_rate = "
                    f"{share_text(self.refund_rate)} of its own price back "
                    f"({yuan_text(refund)} yuan, 推三返一), once: {yuan_text(per_recruit)} "
                    "yuan per recruit"
                ),
                "team_pay": "no reward is paid on repurchases or beyond the recruiter",
                "own_sales": "the only reward is counted on recruits, not on sales",
            },
        )

    # -- the engine ----------------------------------------------------------------------

    def _set_kernel_params(self, prm: npt.NDArray[np.int64], n_events: int) -> tuple[int, ...]:
        from bizmodels.plans import _kernel as k

        prm[k.P_KIND] = k.PLAN_REFUND
        prm[k.P_REQUIRED] = self.recruits_required
        prm[k.P_REFUND] = self.refund
        return ()

    def audit(self, tally: Tally) -> dict[str, bool]:
        """One refund per member whose recruits reached the count."""
        refunded = int(np.count_nonzero(tally.recruits >= self.recruits_required))
        return {"refunds": tally.earned["refund"] == refunded * self.refund}

    def explain_order(self, view: EventView, buyer: int, is_join: bool) -> None:
        """The refund comes with the sponsor's ``recruits_required``-th recruit only."""
        s = view.sponsor(buyer)
        if not is_join:
            view.note("a repurchase pays no reward in 推三返一")
            return
        if s < 0:
            view.note(f"{view.label(buyer)} is a root: no sponsor to count it")
            return
        k = view.position(buyer)
        if k == self.recruits_required:
            view.reward(
                "refund",
                s,
                self.refund,
                0,
                f"{view.label(buyer)} is recruit no. {k} of {view.label(s)}: its own package "
                "price is refunded once (推三返一)",
            )
        else:
            view.note(
                f"{view.label(buyer)} is recruit no. {k} of {view.label(s)}; the refund comes "
                f"with recruit no. {self.recruits_required} only"
            )


def recruit_three_refund_one(**overrides: object) -> RefundPlan:
    """The 推三返一 plan (default: 699 yuan, three recruits, the whole price back).

    Parameters
    ----------
    **overrides
        Any `RefundPlan` field: ``price=399``, ``recruits_required=5``.

    Examples
    --------
    >>> recruit_three_refund_one(price=100, refund_rate=0.5).refund
    5000
    """
    return RefundPlan.model_validate(overrides)
