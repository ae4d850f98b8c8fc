"""Money under uncertainty: break-even, sensitivity and Monte Carlo over the models.

Every tool here evaluates models through the vectorised `bizmodels.sweep` (one call for a
whole scan, table or batch of samples) and names fields as `sweep` does: any numeric field
of the model or of its market, by its bare name.

- `break_even`: the value of a field at which a waterfall step reaches a level (goal seek),
  checked on the exact `Decimal` waterfall.
- `tornado`, `two_way`, `sobol`: which assumption matters, one at a time, two at a time,
  and globally (Sobol indices through SALib, the optional extra ``sensitivity``).
- `scenario_sets`: named sets of overrides (base, best, worst, …) for every model, side by
  side.
- `monte_carlo`: distributions (`Uniform`, `Triangular`, `Normal`, `LogNormal`, `Beta`,
  `Empirical`) over any fields, the market's drawn once per sample for every model, run in
  chunks on any `concurrent.futures.Executor`, the same numbers for the same seed.

Examples
--------
>>> import bizmodels as bm
>>> from bizmodels.risk import break_even
>>> break_even(bm.get_model("toc_membership"), "price").found
True
"""

from bizmodels.risk.break_even import UNBOUNDED_SPAN, BreakEven, break_even
from bizmodels.risk.distributions import (
    AnyDistribution,
    Beta,
    Distribution,
    Empirical,
    LogNormal,
    Normal,
    Triangular,
    Uniform,
    distribution_from_dict,
    market_uncertainty,
)
from bizmodels.risk.montecarlo import (
    BLOCK,
    DEFAULT_CHUNK,
    IN_FLIGHT,
    MAX_SAMPLES,
    MonteCarloResult,
    draw_inputs,
    monte_carlo,
)
from bizmodels.risk.sensitivity import (
    INSTALL_SENSITIVITY,
    MAX_SOBOL_SAMPLES,
    ScenarioSummary,
    SobolIndices,
    Tornado,
    TornadoBar,
    TwoWayTable,
    scenario_sets,
    sobol,
    tornado,
    two_way,
)

__all__ = [
    "BLOCK",
    "DEFAULT_CHUNK",
    "INSTALL_SENSITIVITY",
    "IN_FLIGHT",
    "MAX_SAMPLES",
    "MAX_SOBOL_SAMPLES",
    "UNBOUNDED_SPAN",
    "AnyDistribution",
    "Beta",
    "BreakEven",
    "Distribution",
    "Empirical",
    "LogNormal",
    "MonteCarloResult",
    "Normal",
    "ScenarioSummary",
    "SobolIndices",
    "Tornado",
    "TornadoBar",
    "Triangular",
    "TwoWayTable",
    "Uniform",
    "break_even",
    "distribution_from_dict",
    "draw_inputs",
    "market_uncertainty",
    "monte_carlo",
    "scenario_sets",
    "sobol",
    "tornado",
    "two_way",
]
