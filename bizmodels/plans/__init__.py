"""Commission plans as data, and their simulation over a whole referral network.

Plans stand alone: they know no business model, no file and no screen.

============================  ===========================================================
`liandong_699`                the 链动2+1 "699 member package" of seed 001 (`LiandongPlan`)
`distribution`                plain multi-level distribution up the sponsor chain
                              (`DistributionPlan`)
`recruit_three_refund_one`    推三返一: three recruits refund one's own price (`RefundPlan`)
============================  ===========================================================

Every plan is a `Plan` (`bizmodels.plans.base`), registered in `PLANS` by its key when its
class is defined; `get_plan` builds one by key. `simulate` runs any of them over an event
stream of joins, repurchases, refunds (`Refund`) and withdrawals (`Withdrawal`) (a list of
tuples, an `EVENT_DTYPE` array, or `read_events` of a CSV), exact to the fen; every plan
settles as its `Settlement` says (frozen days, withdrawal minimum and fee, caps,
clawback) and withholds the income tax its `bizmodels.tax.Tax` says.
`generate_growth` grows a network at random (saturation, attrition, preferential
attachment), `simulate_growth` runs a plan over it and `simulate_ensemble` over many
paths; `SimulationResult.summary` says what a run means for the people who join, and
`compare_plans` puts several plans side by side on one stream.

Every value a plan, a stream or a growth accepts is simulated exactly; the limits (amounts
to 1,000,000 yuan, rates to 10 decimal places, 2^31 − 3 events, days to 10,000,000, and
the memory a run needs) are derived in `bizmodels.plans.limits`.
"""

from __future__ import annotations

# The plans register in `PLANS` in the order their modules are first imported: seed 001's
# 链动2+1 first, then the plans of seed 000 (the order `get_plan` lists them in).
from bizmodels.plans.liandong import (  # isort: skip
    REGIONAL,
    LiandongPlan,
    OrderPayouts,
    PlanFen,
    Rank,
    liandong_699,
)
from bizmodels.plans.distribution import DistributionPlan, distribution  # isort: skip
from bizmodels.plans.refund import RefundPlan, recruit_three_refund_one  # isort: skip

# isort: split
from bizmodels.plans.base import KINDS, PLANS, DuplicatePlanError, Plan
from bizmodels.plans.events import (
    EVENT_DTYPE,
    JOIN,
    ORDER,
    REFUND,
    WITHDRAWAL,
    EventStream,
    Refund,
    Withdrawal,
    read_events,
)
from bizmodels.plans.explain import (
    Clawback,
    Explanation,
    Payout,
    PoolSplit,
    Release,
    Reward,
    Unclaimed,
    Upgrade,
)
from bizmodels.plans.growth import (
    Growth,
    GrowthStream,
    daily_probability,
    generate_growth,
    simulate_ensemble,
    simulate_growth,
)
from bizmodels.plans.participants import MemberCashFlows
from bizmodels.plans.referrals import fit_growth
from bizmodels.plans.settlement import Settlement
from bizmodels.plans.simulation import (
    BREAKAGE_KINDS,
    ConservationError,
    Daily,
    Ledger,
    SimulationResult,
    Totals,
    simulate,
)
from bizmodels.plans.summary import (
    Band,
    CashOut,
    Cohort,
    Ensemble,
    Figure,
    PlanComparison,
    RankGroup,
    Summary,
    cash_out,
    compare_plans,
)


def get_plan(name: str, **overrides: object) -> Plan:
    """Build a plan by name, with field overrides.

    Raises
    ------
    KeyError
        An unknown name, listing the valid ones.
    pydantic.ValidationError
        An unknown parameter or a bad value, naming it.
    """
    try:
        cls = PLANS[name]
    except KeyError:
        raise KeyError(f"unknown plan {name!r}; valid: {', '.join(PLANS)}") from None
    return cls.model_validate(_nest(overrides))


def _nest(overrides: dict[str, object]) -> dict[str, object]:
    # ``settlement.frozen_days=7`` (the command line's --set) sets a field of a nested part
    nested: dict[str, object] = {}
    for key, value in overrides.items():
        head, dot, rest = key.partition(".")
        if not dot:
            nested[key] = value
            continue
        part = nested.setdefault(head, {})
        if isinstance(part, dict):
            part[rest] = value
        else:
            nested[key] = value  # refused by the plan, naming the key as given
    return nested


__all__ = [
    "BREAKAGE_KINDS",
    "EVENT_DTYPE",
    "JOIN",
    "KINDS",
    "ORDER",
    "PLANS",
    "REFUND",
    "REGIONAL",
    "WITHDRAWAL",
    "Band",
    "CashOut",
    "Clawback",
    "Cohort",
    "ConservationError",
    "Daily",
    "DistributionPlan",
    "DuplicatePlanError",
    "Ensemble",
    "EventStream",
    "Explanation",
    "Figure",
    "Growth",
    "GrowthStream",
    "Ledger",
    "LiandongPlan",
    "MemberCashFlows",
    "OrderPayouts",
    "Payout",
    "Plan",
    "PlanComparison",
    "PlanFen",
    "PoolSplit",
    "Rank",
    "RankGroup",
    "Refund",
    "RefundPlan",
    "Release",
    "Reward",
    "Settlement",
    "SimulationResult",
    "Summary",
    "Totals",
    "Unclaimed",
    "Upgrade",
    "Withdrawal",
    "cash_out",
    "compare_plans",
    "daily_probability",
    "distribution",
    "fit_growth",
    "generate_growth",
    "get_plan",
    "liandong_699",
    "read_events",
    "recruit_three_refund_one",
    "simulate",
    "simulate_ensemble",
    "simulate_growth",
]
