"""bizmodels: compare the business models of Chinese private-domain (私域) e-commerce.

The public surface is small: the GMV engine (`gmv`, `GMVInputs`), the exact margin
`Waterfall`, the ten business models (`MODELS`, `get_model`, `bizmodels.models`) on a shared
`Market`, their vectorised `sweep` and side-by-side `compare`, the `PRESETS` of seeds
001-004, scenario files (`load_scenario`, `dump_scenario`), commission plans in
`bizmodels.plans` and their network simulation (`simulate`, `read_events`), random growth
(`generate_growth`, `simulate_growth`, `simulate_ensemble`) and `compare_plans`.

Examples
--------
>>> import bizmodels as bm
>>> wf = bm.plans.liandong_699().order_waterfall()
>>> wf["platform_kept"].amount, wf.end  # 699 − 200 − 100 − 50 − 30 − 30, then VAT and fee
(Decimal('289.00'), Decimal('204.39'))
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError as _PackageNotFoundError
from importlib.metadata import version as _version

from bizmodels import compliance, models, plans
from bizmodels.compare import Comparison, compare
from bizmodels.design import Design, GamingAudit, PlanEnsemble, audit_plan, design_plan
from bizmodels.engine import GMV, GMVInputs, gmv
from bizmodels.finance import (
    annual_to_monthly,
    batch_irr,
    discounted_payback,
    irr,
    monthly_to_annual,
    npv,
    payback_period,
    xirr,
    xnpv,
)
from bizmodels.fit import OrderFit, OrderLog, fit_orders, read_orders, simulate_orders
from bizmodels.io import Scenario, dump_scenario, load_scenario
from bizmodels.market import Market
from bizmodels.models import MODELS, BusinessModel, get_model
from bizmodels.plans import (
    compare_plans,
    fit_growth,
    generate_growth,
    read_events,
    simulate,
    simulate_ensemble,
    simulate_growth,
)
from bizmodels.presets import PRESETS
from bizmodels.risk import break_even, monte_carlo
from bizmodels.staged import StagedPlan
from bizmodels.sweep import SweepResult, sweep
from bizmodels.waterfall import Line, Step, StepKind, Subtotal, Waterfall

try:
    __version__ = _version("bizmodels")
except _PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [
    "GMV",
    "MODELS",
    "PRESETS",
    "BusinessModel",
    "Comparison",
    "Design",
    "GMVInputs",
    "GamingAudit",
    "Line",
    "Market",
    "OrderFit",
    "OrderLog",
    "PlanEnsemble",
    "Scenario",
    "StagedPlan",
    "Step",
    "StepKind",
    "Subtotal",
    "SweepResult",
    "Waterfall",
    "__version__",
    "annual_to_monthly",
    "audit_plan",
    "batch_irr",
    "break_even",
    "compare",
    "compare_plans",
    "compliance",
    "design_plan",
    "discounted_payback",
    "dump_scenario",
    "fit_growth",
    "fit_orders",
    "generate_growth",
    "get_model",
    "gmv",
    "irr",
    "load_scenario",
    "models",
    "monte_carlo",
    "monthly_to_annual",
    "npv",
    "payback_period",
    "plans",
    "read_events",
    "read_orders",
    "simulate",
    "simulate_ensemble",
    "simulate_growth",
    "simulate_orders",
    "sweep",
    "xirr",
    "xnpv",
]
