"""bizmodels: compare the business models of Chinese private-domain (私域) e-commerce.

The public surface is small: the GMV engine (`gmv`, `GMVInputs`), the exact margin
`Waterfall`, and commission plans in `bizmodels.plans`.

Examples
--------
>>> import bizmodels as bm
>>> bm.plans.liandong_699().order_waterfall().end
Decimal('289.00')
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError as _PackageNotFoundError
from importlib.metadata import version as _version

from bizmodels import plans
from bizmodels.engine import GMV, GMVInputs, gmv
from bizmodels.waterfall import Line, Step, StepKind, Subtotal, Waterfall

try:
    __version__ = _version("bizmodels")
except _PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [
    "GMV",
    "GMVInputs",
    "Line",
    "Step",
    "StepKind",
    "Subtotal",
    "Waterfall",
    "__version__",
    "gmv",
    "plans",
]
