"""Reading a model or a plan into the `ComplianceProfile` the legal rules read.

A model declares its profile through ``compliance_profile()``, part of the model contract
(`bizmodels.models.BusinessModel`, whose default is `NEUTRAL_PROFILE`). A plan declares its
own, from its parameters (`bizmodels.plans.Plan.compliance_profile`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bizmodels._compliance_profile import ComplianceProfile
from bizmodels.plans import Plan

if TYPE_CHECKING:
    from bizmodels.models import BusinessModel

__all__ = ["plan_profile", "profile_of"]


def profile_of(model: BusinessModel) -> ComplianceProfile:
    """The model's `ComplianceProfile` (`NEUTRAL_PROFILE`, the base's, if it declares none).

    Raises
    ------
    TypeError
        The model's ``compliance_profile()`` returned something else.

    Examples
    --------
    >>> from bizmodels.presets import resolve
    >>> profile_of(resolve("three_level_distribution")).pay_levels
    3
    """
    profile = model.compliance_profile()
    if not isinstance(profile, ComplianceProfile):
        raise TypeError(
            f"{type(model).__name__}.compliance_profile() returned {type(profile).__name__}, "
            "not a ComplianceProfile"
        )
    return profile


def plan_profile(plan: Plan) -> ComplianceProfile:
    """A commission plan's features, as the plan declares them from its own parameters.

    A member of every plan joins by buying the plan's package (the join is an order), and
    only members earn: that purchase is the entry fee.

    Parameters
    ----------
    plan : Plan
        Any plan of `bizmodels.plans.PLANS` (`LiandongPlan`, `DistributionPlan`,
        `RefundPlan`).

    Returns
    -------
    ComplianceProfile

    Raises
    ------
    TypeError
        Not a plan.

    Examples
    --------
    >>> from bizmodels.plans import liandong_699
    >>> p = plan_profile(liandong_699())
    >>> p.entry_fee, p.recruit_reward, p.pay_levels
    (Decimal('699'), Decimal('200'), None)
    """
    if not isinstance(plan, Plan):
        raise TypeError(f"not a plan: {type(plan).__name__}")
    return plan.compliance_profile()
