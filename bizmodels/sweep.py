"""The vectorised sweep: every waterfall step of a model over many scenarios in one call.

The sweep runs the model's own declarations (the same methods that give its exact
waterfall) on float64 arrays, so there is one formula and two evaluations. Values are
float64 and are not rounded to the fen; the exact `Decimal` waterfall rounds each step.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np
from pydantic import BaseModel

from bizmodels._validation import check_array, check_scalar, is_array
from bizmodels.market import Market
from bizmodels.models._base import BusinessModel, run_checks_vectorised, sweep_lines

FloatArray = np.ndarray[Any, np.dtype[np.float64]]


class SweepResult(Mapping[str, FloatArray]):
    """Every step of a model's lifetime waterfall as a float64 array over the scenarios.

    A read-only mapping from step key (``"gmv"``, …, ``"operating_profit"``) to an array of
    the broadcast shape of the swept fields. ``labels`` maps each key to its (Chinese,
    English) labels; ``kinds`` to start, deduction, subtotal or end.
    """

    def __init__(
        self,
        model: str,
        values: dict[str, FloatArray],
        labels: dict[str, tuple[str, str]],
        kinds: dict[str, str],
    ) -> None:
        self.model = model
        self._values = values
        self.labels = labels
        self.kinds = kinds

    def __getitem__(self, key: str) -> FloatArray:
        try:
            return self._values[key]
        except KeyError:
            raise KeyError(f"{key!r} is not a step; steps: {', '.join(self._values)}") from None

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    @property
    def shape(self) -> tuple[int, ...]:
        """Shape of every array (the broadcast shape of the swept fields)."""
        shape: tuple[int, ...] = next(iter(self._values.values())).shape
        return shape

    def __repr__(self) -> str:
        return f"<SweepResult {self.model}: {len(self)} steps, shape {self.shape}>"


def sweep(model: BusinessModel, market: Market | None = None, **fields: Any) -> SweepResult:
    """Evaluate a model's waterfall over arrays of any of its fields or the market's.

    Parameters
    ----------
    model : BusinessModel
        The model; fields not swept keep its values.
    market : Market, optional
        The market; by default the model's own.
    **fields : float or array_like
        Any numeric field of the model or of the market, as a scalar or an array; arrays
        broadcast against each other (numpy rules).

    Returns
    -------
    SweepResult
        Every waterfall step as a float64 array, in one vectorised pass (no Python loop per
        scenario). Values are unrounded floats: they agree with the exact waterfall to
        floating-point precision, not to the fen.

    Raises
    ------
    ValueError
        An unknown field (listing the valid ones), or a bad element, naming the model, the
        field and the index of the first bad element; a cross-field check (unit cost above
        price, commission rates over 100%) naming the first failing scenario. Raised before
        anything is computed.

    Examples
    --------
    How does operating profit move with the member repurchase rate?

    >>> import numpy as np
    >>> import bizmodels as bm
    >>> model = bm.get_model("toc_membership")
    >>> result = bm.sweep(model, member_conversion=np.array([0.3, 0.6]))
    >>> result["operating_profit"].shape
    (2,)
    """
    market = model.market if market is None else market
    if market is not model.market:
        model = model.with_market(market)
    cls = type(model)
    model_values: dict[str, Any] = {}
    market_values: dict[str, Any] = {}
    numeric_model = _numeric_fields(model)
    numeric_market = _numeric_fields(market)
    for name, value in fields.items():
        owner: type[BaseModel]
        if name in numeric_model:
            target, owner = model_values, cls
        elif name in numeric_market:
            target, owner = market_values, Market
        else:
            valid = ", ".join([*numeric_model, *numeric_market])
            raise ValueError(
                f"{model.key}: {name!r} is not a numeric field of the model or "
                f"the market; valid: {valid}"
            )
        if is_array(value):
            target[name] = check_array(owner, name, value)
        else:
            target[name] = float(check_scalar(owner, name, value))
    shapes = [np.shape(v) for v in (*model_values.values(), *market_values.values())]
    try:
        shape = np.broadcast_shapes(*shapes)
    except ValueError as exc:
        raise ValueError(f"{model.key}: swept arrays do not broadcast together: {exc}") from None
    run_checks_vectorised(model, model_values, market_values)
    lines = sweep_lines(model, model_values, market_values)
    values = {
        line.key: np.broadcast_to(np.asarray(line.value, dtype=np.float64), shape) for line in lines
    }
    return SweepResult(
        model.key,
        values,
        {line.key: (line.zh, line.en) for line in lines},
        {line.key: line.kind for line in lines},
    )


def _numeric_fields(model: Any) -> list[str]:
    names = []
    for name, info in type(model).model_fields.items():
        if info.annotation in (int, float) or "Decimal" in str(info.annotation):
            if "tuple" not in str(info.annotation):
                names.append(name)
    return names
