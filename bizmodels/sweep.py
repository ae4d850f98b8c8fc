"""The vectorised sweep: every waterfall step of a model over many scenarios in one call.

The sweep runs the model's own declarations (the same methods that give its exact
waterfall) on float64 arrays, so there is one formula and two evaluations. Values are
float64 and are not rounded to the fen; the exact `Decimal` waterfall rounds each step.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel

from bizmodels import _frames, _html
from bizmodels._format import money as money_text
from bizmodels._frames import Money
from bizmodels._limits import require_memory
from bizmodels._validation import check_array, check_scalar, is_array
from bizmodels.market import Market
from bizmodels.models._base import BusinessModel, run_checks_vectorised, sweep_lines

__all__ = ["ARRAYS_PER_SCENARIO", "RELATIVE_ERROR", "SweepResult", "sweep"]

FloatArray = np.ndarray[Any, np.dtype[np.float64]]

ARRAYS_PER_SCENARIO = 64
"""Float64 arrays of the broadcast shape a sweep may hold at once, for the memory check
(measured: at most 24 for any model with one field swept; 64 leaves room for many)."""

RELATIVE_ERROR = 1e-12
"""How far a sweep's value may be from the exact waterfall's unrounded line, relative to the
line's scale: the same formula evaluated on absolute values, every subtraction made an
addition (a running error bound). Float64 rounds each operation and each input by at most
2^-53 ≈ 1.1e-16 of that scale, and a line takes fewer than a hundred, so 1e-12 bounds it with
a margin of a hundred. The scale, not the value, is what counts: net orders at a refund rate
of 0.999999 are the small difference of two large numbers, and keep their error."""


class SweepResult(Mapping[str, FloatArray]):
    """Every step of a model's lifetime waterfall as a float64 array over the scenarios.

    A read-only mapping from step key (``"gmv"``, …, ``"operating_profit"``) to an array of
    the broadcast shape of the swept fields. ``labels`` maps each key to its (Chinese,
    English) labels; ``kinds`` to start, deduction, subtotal or end; ``inputs`` each swept
    field to its values, broadcast to the same shape.

    As in the waterfall, the arrays hold a deduction positive (what it takes away), and
    `to_pandas` shows it negative, so that there the start and deduction columns add up to
    the end column.
    """

    def __init__(
        self,
        model: str,
        values: dict[str, FloatArray],
        labels: dict[str, tuple[str, str]],
        kinds: dict[str, str],
        inputs: dict[str, FloatArray] | None = None,
    ) -> None:
        self.model = model
        self._values = values
        self.labels = labels
        self.kinds = kinds
        self.inputs = inputs or {}

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

    def to_pandas(self, money: Money = "yuan") -> Any:
        """One row per scenario (in C order over the shape): the swept fields, then every step.

        Parameters
        ----------
        money : {"yuan", "fen", "decimal"}
            The unit of the steps: float64 yuan (the default); float64 fen (the columns then
            end in ``_fen``; sweep values are unrounded, so not whole fen); or Decimal
            rounded to the fen.

        Returns
        -------
        pandas.DataFrame
            A column per swept field (float64, its values in that scenario), then a column
            per step in waterfall order, deductions negative: the start and deduction columns
            add up to the end column (within `RELATIVE_ERROR`).

        Examples
        --------
        >>> import numpy as np
        >>> import bizmodels as bm
        >>> r = bm.sweep(bm.get_model("toc_membership"), member_conversion=np.array([0.3, 0.6]))
        >>> df = r.to_pandas()
        >>> df["member_conversion"].tolist(), df["refunds"].iloc[0] < 0
        ([0.3, 0.6], np.True_)
        """
        money = _frames.check_money(money)
        columns: dict[str, Any] = {}
        shape = self.shape
        for name, values in self.inputs.items():
            columns[name] = np.broadcast_to(np.asarray(values, dtype=np.float64), shape).ravel()
        for key, values in self._values.items():
            signed = -values if self.kinds[key] == "deduction" else values
            flat = np.asarray(signed, dtype=np.float64).ravel()
            columns[_frames.money_name(key, money)] = _frames.yuan_column(flat.tolist(), money)
        return _frames.frame(columns)

    def to_html(self, lang: Literal["zh", "en"] = "en") -> str:
        """Every step over the scenarios: its smallest, median and largest value.

        Deductions are shown negative, subtotals and the end bold, as in a waterfall.
        """
        headers = (
            ["项目", "最小", "中位数", "最大"]
            if lang == "zh"
            else ["Item", "Min (yuan)", "Median (yuan)", "Max (yuan)"]
        )
        rows, bold = [], set()
        for i, (key, values) in enumerate(self._values.items()):
            signed = -values if self.kinds[key] == "deduction" else values
            zh, en = self.labels[key]
            label = zh if lang == "zh" else (f"{en} ({zh})" if zh else en)
            rows.append([label, *(money_text(v) for v in np.percentile(signed, [0, 50, 100]))])
            if self.kinds[key] in ("subtotal", "end"):
                bold.add(i)
        scenarios = int(np.prod(self.shape)) if self.shape else 1
        fields = ", ".join(self.inputs)
        caption = (
            f"{self.model}：{scenarios:,} 个情景（{fields}）"
            if lang == "zh"
            else f"{self.model}: {scenarios:,} scenarios ({fields})"
        )
        return _html.table(
            headers,
            rows,
            numeric={1, 2, 3},
            subtotals=bold,
            caption=caption,
            lang=lang,
            max_rows=len(rows),
        )

    def _repr_html_(self) -> str:
        return self.to_html()


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
        scenario). Values are unrounded floats: each is within `RELATIVE_ERROR` × the line's
        scale (see `RELATIVE_ERROR`) of the exact waterfall's unrounded line, and so within
        that plus half a fen per rounded step before it of the exact waterfall's amount.
        Every value is finite (checked before it is returned).

    Raises
    ------
    ValueError
        An unknown field (listing the valid ones), or a bad element (outside the field's
        bounds, not a number, a masked array), naming the model, the field and the index of
        the first bad element; a cross-field check (unit cost above price, commission rates
        over 100%) naming the first failing scenario. Raised before anything is computed.
    bizmodels._limits.SizeError
        Swept arrays whose broadcast shape needs more memory than the machine has.

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
        if isinstance(value, (str, bytes)):
            raise ValueError(
                f"{model.key}: {name} = {value!r:.40}: expected a number or an array of "
                "numbers, not a string"
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
    scenarios = int(np.prod(shape, dtype=np.float64)) if shape else 1
    require_memory(
        f"sweep of shape {shape} ({scenarios:,} scenarios)",
        float(scenarios) * 8 * ARRAYS_PER_SCENARIO,
    )
    run_checks_vectorised(model, model_values, market_values)
    with np.errstate(all="ignore"):  # any overflow or 0/0 is caught below, by name
        lines = sweep_lines(model, model_values, market_values)
    values = {
        line.key: np.broadcast_to(np.asarray(line.value, dtype=np.float64), shape) for line in lines
    }
    _require_finite(model.key, values, {**model_values, **market_values}, shape)
    return SweepResult(
        model.key,
        values,
        {line.key: (line.zh, line.en) for line in lines},
        {line.key: line.kind for line in lines},
        {
            name: np.broadcast_to(np.asarray(v, dtype=np.float64), shape)
            for name, v in {**model_values, **market_values}.items()
        },
    )


def _require_finite(
    key: str, values: Mapping[str, FloatArray], swept: Mapping[str, Any], shape: tuple[int, ...]
) -> None:
    # the field bounds keep every product far inside float64's range; this is the proof
    for step, array in values.items():
        bad = ~np.isfinite(array)
        if bad.any():
            index = np.unravel_index(int(np.argmax(bad)), shape) if shape else ()
            at = ", ".join(
                f"{name} = {float(np.broadcast_to(v, shape)[index])!r}" for name, v in swept.items()
            )
            raise ValueError(
                f"{key}: the sweep's {step} is {float(array[index])} at scenario "
                f"{tuple(int(i) for i in index)} ({at}); this is a bug, please report it"
            )


def _numeric_fields(model: Any) -> list[str]:
    names = []
    for name, info in type(model).model_fields.items():
        if info.annotation in (int, float) or "Decimal" in str(info.annotation):
            if "tuple" not in str(info.annotation):
                names.append(name)
    return names
