"""Check scalar or array inputs against a pydantic model's field constraints.

The pydantic model states each constraint once (``ge``, ``le``, ...). A scalar is validated by
pydantic itself, so the user sees an ordinary `ValidationError`; an array is checked element
by element against the same constraints, and the first bad element is named by its index.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from decimal import Decimal
from typing import Annotated, Any

import annotated_types as at
import numpy as np
from pydantic import BaseModel, TypeAdapter, ValidationError

FloatArray = np.ndarray[Any, np.dtype[np.float64]]


def is_array(value: object) -> bool:
    """Tell whether a value is to be treated as a vector (ndarray, list or tuple of numbers)."""
    return isinstance(value, (np.ndarray, list, tuple)) or isinstance(value, np.generic)


def _bounds(model: type[BaseModel], name: str) -> list[tuple[str, float]]:
    bounds: list[tuple[str, float]] = []
    for meta in model.model_fields[name].metadata:
        for attr, op in (("ge", ">="), ("gt", ">"), ("le", "<="), ("lt", "<")):
            value = getattr(meta, attr, None)
            if isinstance(meta, (at.Ge, at.Gt, at.Le, at.Lt, at.Interval)) and value is not None:
                bounds.append((op, float(value)))
    return bounds


def check_array(model: type[BaseModel], name: str, value: Any) -> FloatArray:
    """Return ``value`` as a float64 array after checking every element against the field.

    The bounds are the field's own pydantic constraints (``ge``, ``le``, ...), so an array
    element is refused exactly where the same value given alone would be. Masked arrays are
    refused (their masked values would be used silently), and so are strings, booleans and
    any element that is not a number.

    Raises
    ------
    ValueError
        Naming the model, the field, the index of the first bad element and its value.
    """
    where = f"{model.__name__}.{name}"
    if isinstance(value, np.ma.MaskedArray):
        raise ValueError(
            f"{where}: masked arrays are not accepted (their masked values would be used); "
            "pass x.filled(value) or x.compressed()"
        )
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError):
        raise ValueError(
            f"{where}: expected numbers in a regular array (rows of one length), got {value!r:.80}"
        ) from None
    if raw.dtype.kind == "O":
        raw = _object_numbers(where, raw)
    if raw.dtype.kind not in "iuf":
        # strings, booleans and objects would be coerced silently: refuse them instead
        raise ValueError(f"{where}: expected numbers, got an array of {raw.dtype} ({value!r:.80})")
    with np.errstate(over="ignore"):
        array = np.asarray(raw, dtype=np.float64)
    bad = ~np.isfinite(array)
    if bad.any():
        index = _first(bad)
        raise ValueError(f"{where}{_at(index)} = {float(array[index])!r}: must be a finite number")
    for op, limit in _bounds(model, name):
        ok = {
            ">=": array >= limit,
            ">": array > limit,
            "<=": array <= limit,
            "<": array < limit,
        }[op]
        if not ok.all():
            index = _first(~ok)
            raise ValueError(
                f"{where}{_at(index)} = {float(array[index])!r}: must be {op} {limit:g}"
            )
    return array


def _object_numbers(where: str, raw: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    # a list of Decimals (or mixed ints and floats) is numbers; anything else is refused
    out = np.empty(raw.shape, dtype=np.float64)
    for index, item in np.ndenumerate(raw):
        at = _at(tuple(index))
        if isinstance(item, bool) or not isinstance(item, (int, float, Decimal, np.number)):
            raise ValueError(
                f"{where}{at} = {item!r:.40}: expected a number, got {type(item).__name__}"
            )
        try:
            out[index] = float(item)
        except OverflowError:
            raise ValueError(f"{where}{at} = {item!r:.40}: too large for a float64") from None
    return out


def _first(mask: np.ndarray[Any, np.dtype[np.bool_]]) -> tuple[int, ...]:
    return tuple(int(i) for i in np.unravel_index(int(np.argmax(mask)), mask.shape))


def _at(index: tuple[int, ...]) -> str:
    return "[" + ", ".join(map(str, index)) + "]" if index else ""


def check_scalar(model: type[BaseModel], name: str, value: Any) -> Any:
    """Validate one scalar against the field's own constraints; return it converted.

    Only the field is checked (its type and bounds), not the model's cross-field checks:
    the other fields' values are the caller's, and the caller checks them together.

    Raises
    ------
    pydantic.ValidationError
        Naming the model, the field and the offending value.
    """
    try:
        return _adapter(model, name).validate_python(value)
    except ValidationError as exc:
        errors: list[Any] = [{**e, "loc": (name, *e["loc"])} for e in exc.errors()]
        raise ValidationError.from_exception_data(model.__name__, errors) from None


@functools.cache
def _adapter(model: type[BaseModel], name: str) -> TypeAdapter[Any]:
    info = model.model_fields[name]
    # Annotated[t, *metadata] is Python 3.11 syntax; this spelling works on 3.10
    annotated: Any = Annotated.__class_getitem__((info.annotation, *info.metadata))  # type: ignore[attr-defined]
    return TypeAdapter(annotated)


def check_values(model: type[BaseModel], values: Mapping[str, Any]) -> dict[str, Any]:
    """Check every value: arrays element-wise, scalars through pydantic.

    If any value is an array, every value is returned as float64 (arrays broadcast with
    scalars); otherwise scalars come back as the field's type (`Decimal` for money).
    """
    vectorised = any(is_array(v) for v in values.values())
    checked: dict[str, Any] = {}
    for name, value in values.items():
        if name not in model.model_fields:
            valid = ", ".join(model.model_fields)
            raise ValueError(f"{model.__name__}: unknown field {name!r}; valid: {valid}")
        if is_array(value):
            checked[name] = check_array(model, name, value)
        else:
            scalar = check_scalar(model, name, value)
            checked[name] = float(scalar) if vectorised else scalar
    return checked


def as_decimal(value: Any) -> Decimal:
    """Read an int, a float (by its shortest repr) or a string as an exact `Decimal`."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)
