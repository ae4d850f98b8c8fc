"""Commission plans as data: their parameters and per-order breakdowns.

Plans stand alone: they know no business model, no file and no screen.

==================  ===============================================================
`liandong_699`      the 链动2+1 "699 member package" of seed 001 (`LiandongPlan`)
==================  ===============================================================
"""

from __future__ import annotations

from collections.abc import Callable

from bizmodels.plans.liandong import (
    REGIONAL,
    LiandongPlan,
    OrderPayouts,
    PlanFen,
    Rank,
    liandong_699,
)

PLANS: dict[str, Callable[..., LiandongPlan]] = {"liandong_699": liandong_699}
"""Plan name → factory taking field overrides."""


def get_plan(name: str, **overrides: object) -> LiandongPlan:
    """Build a plan by name, with field overrides.

    Raises
    ------
    KeyError
        An unknown name, listing the valid ones.
    pydantic.ValidationError
        An unknown parameter or a bad value, naming it.
    """
    try:
        factory = PLANS[name]
    except KeyError:
        raise KeyError(f"unknown plan {name!r}; valid: {', '.join(PLANS)}") from None
    return factory(**overrides)


__all__ = [
    "PLANS",
    "REGIONAL",
    "LiandongPlan",
    "OrderPayouts",
    "PlanFen",
    "Rank",
    "get_plan",
    "liandong_699",
]
