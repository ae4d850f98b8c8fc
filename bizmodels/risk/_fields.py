"""The fields of a model and its market as the risk tools see them.

Every tool in `bizmodels.risk` names fields the way `bizmodels.sweep` does (a numeric field
of the model, or of its market, by its bare name), needs each field's valid range and
precision, and evaluates one target step over arrays of scenarios where some may fail the
model's cross-field checks. This module does those three things once.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel

from bizmodels._resolve import resolve
from bizmodels._validation import _bounds, as_decimal
from bizmodels.market import Market
from bizmodels.models import MODELS, BusinessModel
from bizmodels.models._base import float_view
from bizmodels.sweep import _numeric_fields, sweep

FloatArray = np.ndarray[Any, np.dtype[np.float64]]
BoolArray = np.ndarray[Any, np.dtype[np.bool_]]


@dataclass(frozen=True)
class FieldInfo:
    """A numeric field of a model or its market: where it lives, its range and precision.

    Attributes
    ----------
    name : str
        The bare field name (``"price"``, ``"member_conversion"``).
    owner : {"model", "market"}
        Whether it is a field of the model or of its market.
    lower, upper : float
        The valid range from the field's ``ge``/``le`` constraints (``-inf``/``inf`` where
        there is none).
    decimals : int or None
        Decimal places the field accepts (2 for money, whole fen); None if any.
    current : Decimal
        The field's value in the model.
    """

    name: str
    owner: Literal["model", "market"]
    lower: float
    upper: float
    decimals: int | None
    current: Decimal

    def clip(self, value: float) -> float:
        """The value moved into the valid range."""
        return min(max(value, self.lower), self.upper)


def numeric_fields(model: BusinessModel) -> list[str]:
    """Names of the numeric fields of the model, then of its market (as `sweep` takes them)."""
    own = _numeric_fields(model)
    return [*own, *(n for n in _numeric_fields(model.market) if n not in own)]


def field_info(model: BusinessModel, name: str) -> FieldInfo:
    """Describe one numeric field of the model or its market.

    Raises
    ------
    ValueError
        If neither the model nor the market has a numeric field of that name, listing the
        valid ones.
    """
    owner: Literal["model", "market"]
    cls: type[BaseModel]
    if name in _numeric_fields(model):
        owner, cls, current = "model", type(model), getattr(model, name)
    elif name in _numeric_fields(model.market):
        owner, cls, current = "market", Market, getattr(model.market, name)
    else:
        valid = ", ".join(numeric_fields(model))
        raise ValueError(
            f"{model.key}: {name!r} is not a numeric field of the model or the market; "
            f"valid: {valid}"
        )
    lower, upper = -math.inf, math.inf
    for op, limit in _bounds(cls, name):
        # a strict bound (gt/lt) is met by the nearest float inside it
        if op == ">=":
            lower = max(lower, limit)
        elif op == ">":
            lower = max(lower, math.nextafter(limit, math.inf))
        elif op == "<=":
            upper = min(upper, limit)
        else:
            upper = min(upper, math.nextafter(limit, -math.inf))
    info = cls.model_fields[name]
    decimals: int | None = 0 if info.annotation is int else None
    for meta in info.metadata:
        places = getattr(meta, "decimal_places", None)
        if places is not None:
            decimals = int(places)
    return FieldInfo(name, owner, lower, upper, decimals, as_decimal(current))


def with_value(model: BusinessModel, info: FieldInfo, value: Decimal) -> BusinessModel:
    """The model with one field set, validated again (field constraints and checks)."""
    return with_values(model, {info.name: value})


def with_values(model: BusinessModel, values: Mapping[str, Any]) -> BusinessModel:
    """The model with fields of its own or of its market set, validated again."""
    own = {k: v for k, v in values.items() if k in type(model).model_fields}
    market = {k: v for k, v in values.items() if k not in own}
    if market:
        model = model.with_market(Market(**{**dict(model.market), **market}))
    if own:
        model = type(model)(**{**dict(model), **own})
    return model


def exact_target(model: BusinessModel, target: str) -> Decimal:
    """The target step of the model's exact waterfall, yuan to the fen."""
    return model.waterfall().to_dict()[target]


def check_target(model: BusinessModel, target: str) -> None:
    """Raise a ValueError naming the valid steps if ``target`` is not one of the model's."""
    steps = [line.key for line in model.pnl_lines()]
    if target not in steps:
        raise ValueError(
            f"{model.key}: {target!r} is not a waterfall step; steps: {', '.join(steps)}"
        )


@dataclass(frozen=True)
class Evaluation:
    """A target over scenarios: values, NaN where a scenario fails a check, and why.

    ``failures`` holds each check that failed somewhere: its message and where it passed.
    """

    values: FloatArray
    ok: BoolArray
    failures: tuple[tuple[str, BoolArray], ...]

    def failed_at(self, index: Any) -> list[str]:
        """The messages of the checks that scenario ``index`` fails."""
        return [message for message, passed in self.failures if not passed[index]]


def evaluate(model: BusinessModel, values: Mapping[str, Any], target: str) -> Evaluation:
    """Evaluate one target step over arrays of fields, in one `sweep` call.

    Scenarios that fail one of the model's cross-field checks (unit cost above price, …)
    are evaluated at the model's own values instead, so that `sweep` accepts the batch, and
    come back as NaN; ``failures`` names the checks that failed. Field bounds are the
    caller's to respect: `sweep` raises on a value outside them, naming it.
    """
    own = {k: v for k, v in values.items() if k in type(model).model_fields}
    market = {k: v for k, v in values.items() if k not in own}
    market_view = float_view(model.market, market)
    view = float_view(model, own, {"market": market_view})
    shape = np.broadcast_shapes(*(np.shape(v) for v in values.values()))
    ok = np.ones(shape, dtype=np.bool_)
    failures: list[tuple[str, BoolArray]] = []
    for check in view.checks():
        passed = np.broadcast_to(np.asarray(check.ok, dtype=np.bool_), shape)
        if not passed.all():
            failures.append((check.message, passed))
            ok &= passed
    arrays = dict(values)
    if failures:
        # the model itself passes its checks, so its own values make any scenario valid
        for name, value in values.items():
            base = float(getattr(model if name in own else model.market, name))
            arrays[name] = np.where(ok, value, base)
    result = sweep(model, **arrays)
    out = np.asarray(result[target], dtype=np.float64)
    if failures:
        out = np.where(ok, out, np.nan)
    return Evaluation(out, ok, tuple(failures))


def resolve_models(
    models: Iterable[BusinessModel | str] | Mapping[str, BusinessModel] | None,
    market: Market | None = None,
) -> list[tuple[str, BusinessModel]]:
    """Label and build the models as `bizmodels.compare` does; labels must be unique.

    ``None`` is all ten with their defaults; a string is a model or preset slug (one string
    alone is that one model); a mapping gives the labels; an instance is labelled by its
    key.
    """
    entries: list[tuple[str, BusinessModel]]
    if isinstance(models, (str, BusinessModel)):
        models = [models]  # one slug is one model, not an iterable of its letters
    if models is None:
        entries = [(slug, resolve(slug)) for slug in MODELS]
    elif isinstance(models, Mapping):
        entries = list(models.items())
        for label, model in entries:
            if not isinstance(label, str) or not isinstance(model, BusinessModel):
                raise ValueError(
                    f"a mapping of models must map labels to models, got {label!r}: "
                    f"{type(model).__name__}"
                )
    else:
        entries = []
        for m in models:
            if isinstance(m, str):
                entries.append((m, resolve(m)))
            elif isinstance(m, BusinessModel):
                entries.append((m.key, m))
            else:
                raise ValueError(f"models must be slugs or models, got {m!r:.60}")
    if not entries:
        raise ValueError("no models given")
    labels = [label for label, _ in entries]
    repeated = sorted({label for label in labels if labels.count(label) > 1})
    if repeated:
        raise ValueError(
            f"model labels must be unique; repeated: {', '.join(repeated)} (pass a mapping "
            "of label to model to tell them apart)"
        )
    if market is not None:
        entries = [(label, m.with_market(market)) for label, m in entries]
    return entries


@dataclass(frozen=True)
class Route:
    """Where an override or a distribution named by the user goes.

    ``market`` is the market field's name (shared by every model), else None; ``models``
    maps each model label it applies to onto the model's field name.
    """

    name: str
    market: str | None
    models: tuple[tuple[str, str], ...]


def route(names: Iterable[str], entries: Sequence[tuple[str, BusinessModel]]) -> list[Route]:
    """Resolve field names for a set of models.

    A bare name is a market field (shared by every model) if the market has it, else a
    field of every model that has it; ``"market.price"`` is the market's;
    ``"toc_membership.lifetime"`` is one model's (by its label).

    Raises
    ------
    ValueError
        A name that no model (or the named model) and not the market has, naming it.
    """
    market_fields = _numeric_fields(entries[0][1].market)
    fields = {label: _numeric_fields(model) for label, model in entries}
    routes: list[Route] = []
    for name in names:
        head, dot, tail = name.rpartition(".")
        if dot and head == "market":
            if tail not in market_fields:
                raise ValueError(
                    f"{name!r}: the market has no numeric field {tail!r}; "
                    f"valid: {', '.join(market_fields)}"
                )
            routes.append(Route(name, tail, ()))
        elif dot:
            if head not in fields:
                raise ValueError(
                    f"{name!r}: no model labelled {head!r}; models: {', '.join(fields)}"
                )
            if tail not in fields[head]:
                raise ValueError(
                    f"{name!r}: model {head!r} has no numeric field {tail!r}; "
                    f"valid: {', '.join(fields[head])}"
                )
            routes.append(Route(name, None, ((head, tail),)))
        elif name in market_fields:
            routes.append(Route(name, name, ()))
        else:
            having = tuple((label, name) for label, own in fields.items() if name in own)
            if not having:
                raise ValueError(
                    f"{name!r} is not a numeric field of the market or of any of the models "
                    f"({', '.join(fields)}); market fields: {', '.join(market_fields)}"
                )
            routes.append(Route(name, None, having))
    return routes
