"""Fit the engine's assumptions from the analyst's own order log (issue 16).

Needs the ``fit`` extra: ``pip install 'bizmodels[fit]'`` (DuckDB, pyarrow, pandas).
`read_orders` summarises a log per customer (`OrderLog`); `simulate_orders` draws a log
from known BG/NBD and Gamma-Gamma parameters.
"""

from __future__ import annotations

from bizmodels.fit.orders import BadOrderRows, BadRows, OrderLog, read_orders
from bizmodels.fit.synthetic import simulate_orders

__all__ = ["BadOrderRows", "BadRows", "OrderLog", "read_orders", "simulate_orders"]
