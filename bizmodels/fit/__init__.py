"""Fit the engine's assumptions from the analyst's own order log (issue 16).

Needs the ``fit`` extra: ``pip install 'bizmodels[fit]'`` (DuckDB, pyarrow, pandas).
`read_orders` summarises a log per customer (`OrderLog`); `fit_orders` fits BG/NBD and
Gamma-Gamma to it (pymc-marketing, the same extra) and gives the engine's inputs
(`OrderFit`); `simulate_orders` draws a log from known BG/NBD and Gamma-Gamma parameters.
"""

from __future__ import annotations

from bizmodels.fit.clv import OrderFit, fit_orders
from bizmodels.fit.orders import BadOrderRows, BadRows, OrderLog, read_orders
from bizmodels.fit.synthetic import simulate_orders

__all__ = [
    "BadOrderRows",
    "BadRows",
    "OrderFit",
    "OrderLog",
    "fit_orders",
    "read_orders",
    "simulate_orders",
]
