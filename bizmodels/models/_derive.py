"""What `BusinessModel` derives from a model's declarations, kept apart from the contract.

The exact P&L lines (`evaluate`), the checks on them (`run_checks`, `check_lines`), the
waterfall built from them (`waterfall_of`), and the same declarations run on float64 views
for the sweep (`float_view`, `sweep_lines`, `run_checks_vectorised`). Every function takes a
model, or a float view of one, and reads it only through its declarations (``segments``,
``channel_costs``, ``acquisition_costs``, ``overhead_costs``, ``checks``) and its
``market``; the arithmetic itself is `bizmodels.engine`'s.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import numpy as np
from pydantic import BaseModel

from bizmodels import engine
from bizmodels._types import MAX_LINE
from bizmodels.engine import PnLLine
from bizmodels.waterfall import Line, Subtotal, Waterfall


class CheckFailed(ValueError):
    """A cross-field check that failed; ``fields`` names the fields it involves."""

    def __init__(self, message: str, fields: tuple[str, ...]) -> None:
        super().__init__(message)
        self.fields = fields


def key_of(model: Any) -> str:
    """The model's slug; a model class not (yet) registered is named by its class."""
    return str(getattr(type(model), "key", type(model).__name__))


def evaluate(values: Any) -> list[PnLLine]:
    """Run a model's declarations on ``values`` (the model itself, or a float view)."""
    segments = values.segments()
    market = values.market
    results = [engine.segment_result(s, market.refund_rate) for s in segments]
    by_key = {s.key: r for s, r in zip(segments, results, strict=True)}
    customers = engine.total(s.customers for s in segments if s.distinct)
    costs = [
        *values.channel_costs(by_key),
        # acquisition is charged on the customers won, not on those the pool already had
        *values.acquisition_costs(values.new_customers(customers)),
        *values.overhead_costs(),
    ]
    return engine.pnl(segments, results, costs, tax=market.tax)


def customers(model: Any) -> Decimal:
    """Distinct customers of a model: those of its segments of new people."""
    return as_decimal(engine.total(s.customers for s in model.segments() if s.distinct))


def orders(model: Any) -> Decimal:
    """Orders of goods of a model over the lifetime (a fee is not an order)."""
    refund = model.market.refund_rate
    return as_decimal(
        engine.total(engine.segment_result(s, refund).orders for s in model.segments() if not s.fee)
    )


def gmv_by_segment(model: Any) -> dict[str, Decimal]:
    """GMV of each segment of a model, yuan, unrounded."""
    refund = model.market.refund_rate
    return {s.key: engine.segment_result(s, refund).gmv for s in model.segments()}


def per_order_lines(model: Any) -> list[PnLLine]:
    """A model's P&L lines, each divided by its orders.

    Raises
    ------
    ValueError
        No orders; or a line per order above `bizmodels._types.MAX_LINE` yuan
        (`CheckFailed`).
    """
    key = key_of(model)
    count = orders(model)
    if count == 0:
        raise ValueError(f"{key}: no orders, so there is no per-order waterfall")
    per_order = [line._replace(value=line.value / count) for line in model.pnl_lines()]
    check_lines(key, per_order, f" per order (over {count:.3g} orders)")
    return per_order


def run_checks(model: Any) -> None:
    """Run a model's checks on its exact values, then refuse a line too large to hold.

    Raises
    ------
    CheckFailed
        The first check that fails, with the values of its fields; or the first line above
        `bizmodels._types.MAX_LINE` yuan (`check_lines`).
    """
    key = key_of(model)
    for check in model.checks():
        if not check.ok:
            values = ", ".join(f"{f} = {lookup(model, f)}" for f in check.fields)
            raise CheckFailed(f"{key}: {check.message} ({values})", check.fields)
    # every field is within its bounds, but their product may not be: refuse a line
    # too large for 28 digits to hold to the fen here, before anyone reads a number
    check_lines(key, model.pnl_lines(), "")


def check_lines(key: str, lines: Sequence[PnLLine], what: str) -> None:
    """Refuse lines above `bizmodels._types.MAX_LINE` yuan, naming the first one.

    Raises
    ------
    CheckFailed
        ``"toc_membership: GMV (gmv) comes to 1.2e+21 yuan, above the 1e+18 yuan ..."``.
    """
    for line in lines:
        value = line.value
        if isinstance(value, Decimal) and not abs(value) <= MAX_LINE:
            raise CheckFailed(
                f"{key}: {line.en} ({line.key}){what} comes to {value:.3e} yuan, above the "
                f"{MAX_LINE:.0e} yuan a waterfall holds exact to the fen (see Limits in the "
                "docs); lower the customers, periods, prices or counts that multiply into it",
                (),
            )


def waterfall_of(lines: Sequence[PnLLine], title: str) -> Waterfall:
    """The `Waterfall` of P&L lines: deductions as lines, subtotals recomputed from them."""
    start, *rest = lines
    items: list[Line | Subtotal] = []
    for line in rest[:-1]:
        if line.kind == "deduction":
            items.append(Line(line.key, line.zh, line.en, line.value, line.note, line.note_zh))
        else:
            items.append(Subtotal(line.key, line.zh, line.en, line.note, line.note_zh))
    end = rest[-1]
    return Waterfall.build(
        Line(start.key, start.zh, start.en, start.value, start.note),
        items,
        Subtotal(end.key, end.zh, end.en, end.note),
        title=title,
    )


def lookup(model: Any, dotted: str) -> Any:
    """The value of a field by its dotted name (``"market.price"``)."""
    value = model
    for part in dotted.split("."):
        value = getattr(value, part)
    return value


def as_decimal(value: Any) -> Decimal:
    """A `Decimal` as it is; an integer sum (of nothing) as a `Decimal`."""
    return value if isinstance(value, Decimal) else Decimal(value)


# -- the same declarations on float64 views (the sweep) ----------------------------------


def float_view(
    model: BaseModel, overrides: Mapping[str, Any], nested: Mapping[str, BaseModel] | None = None
) -> Any:
    """The same model with float (or float64 array) values, built without validation.

    Fields become floats, or the override arrays given (already validated by the caller);
    nested models (the market) are given as views of their own; other values (a plan) stay
    as they are. The view is an instance of the model's class, so its declarations (methods,
    properties, ``super()``) run on it exactly as written.
    """
    values = {name: _to_float(getattr(model, name)) for name in type(model).model_fields}
    values.update(nested or {})
    values.update(overrides)
    return type(model).model_construct(**values)


def _to_float(value: Any) -> Any:
    if isinstance(value, bool) or isinstance(value, BaseModel):
        return value
    if isinstance(value, (Decimal, int, float)):
        return float(value)
    if isinstance(value, tuple):
        return tuple(_to_float(v) for v in value)
    return value


def _views(model: Any, model_values: Mapping[str, Any], market_values: Mapping[str, Any]) -> Any:
    market_view = float_view(model.market, market_values)
    return float_view(model, model_values, {"market": market_view})


def sweep_lines(
    model: Any, model_values: Mapping[str, Any], market_values: Mapping[str, Any]
) -> list[PnLLine]:
    """Evaluate a model's P&L on float views with overrides (already validated)."""
    return evaluate(_views(model, model_values, market_values))


def run_checks_vectorised(
    model: Any, model_values: Mapping[str, Any], market_values: Mapping[str, Any]
) -> None:
    """Run a model's checks on float views; raise naming the first failing scenario."""
    view = _views(model, model_values, market_values)
    for check in view.checks():
        ok = np.asarray(check.ok)
        if not ok.all():
            index = int(np.argmax(~ok.ravel()))
            position = np.unravel_index(index, ok.shape) if ok.shape else ()
            values = ", ".join(
                f"{f} = {_at(lookup(view, f), ok.shape, position)}" for f in check.fields
            )
            where = f" at index {', '.join(map(str, position))}" if ok.shape else ""
            raise ValueError(f"{model.key}: {check.message}{where} ({values})")


def _at(value: Any, shape: tuple[int, ...], position: tuple[Any, ...]) -> Any:
    if isinstance(value, np.ndarray):
        return float(np.broadcast_to(value, shape)[position])
    return value


__all__ = [
    "CheckFailed",
    "as_decimal",
    "check_lines",
    "customers",
    "evaluate",
    "float_view",
    "gmv_by_segment",
    "key_of",
    "lookup",
    "orders",
    "per_order_lines",
    "run_checks",
    "run_checks_vectorised",
    "sweep_lines",
    "waterfall_of",
]
