"""The plan designer (issue 17): which plan to launch, and how it can be gamed.

A plan's figures on an ensemble of grown networks (`PlanEnsemble`, common random numbers:
every plan on the same networks), goal seek on any plan field (`plan_break_even`, also
reached by `bizmodels.risk.break_even`), a search of a plan's numbers under the limits that
matter (`design_plan`: Optuna, the ``design`` extra), and an audit of the plan against
false-name gaming (`audit_plan`).

Layering: this package sits above the plans, the models and compliance (none of them imports
it); it never imports `bizmodels.risk`, which reaches it for a plan's break-even.
"""

from __future__ import annotations

from bizmodels.design.designer import LEVELS, Design, Limit, design_plan
from bizmodels.design.ensemble import FIGURES, FigureSpec, PlanEnsemble, PlanFigures, plan_figure
from bizmodels.design.gaming import (
    MANIPULATIONS,
    PROPERTIES,
    GamingAudit,
    GamingRow,
    PropertyCheck,
    audit_plan,
)
from bizmodels.design.goal import PlanBreakEven, plan_break_even

__all__ = [
    "FIGURES",
    "LEVELS",
    "MANIPULATIONS",
    "PROPERTIES",
    "Design",
    "FigureSpec",
    "GamingAudit",
    "GamingRow",
    "Limit",
    "PlanBreakEven",
    "PlanEnsemble",
    "PlanFigures",
    "PropertyCheck",
    "audit_plan",
    "design_plan",
    "plan_break_even",
    "plan_figure",
]
