"""Annotated field types shared by every typed input: yuan, rates, counts.

Money and rates are `Decimal` so that a waterfall is exact to the fen; a float given by a
user (``0.1``) is read through its shortest repr, so it becomes ``Decimal("0.1")``, not the
binary fraction behind it. In JSON they are written as numbers.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import Field, PlainSerializer


def _decimal_to_json(value: Decimal) -> int | float:
    # Whole numbers stay integers in files and JSON; the rest go through float, whose
    # shortest repr gives back the same decimal for the ≤ 15 significant digits money has.
    return int(value) if value == value.to_integral_value() else float(value)


_AsNumber = PlainSerializer(_decimal_to_json, return_type=Any, when_used="json")

Yuan = Annotated[Decimal, Field(ge=0, allow_inf_nan=False, decimal_places=2), _AsNumber]
"""A non-negative amount of money in yuan, whole fen at most (two decimal places)."""

Amount = Annotated[Decimal, Field(ge=0, allow_inf_nan=False), _AsNumber]
"""A non-negative finite quantity (customers, periods, yuan averages)."""

Rate = Annotated[Decimal, Field(ge=0, le=1, allow_inf_nan=False), _AsNumber]
"""A share between 0 and 1 inclusive (0.3 means 30%)."""


def param(default: Any, description: str, source: str, **constraints: Any) -> Any:
    """Declare a field with its unit-bearing description and the source of its default.

    ``source`` names the seed file the default comes from (``"seed 001"``, with the sentence
    where it helps) or says ``"assumption"``; the JSON schema carries it as ``source`` so that
    the docs can show it.
    """
    return Field(
        default, description=description, json_schema_extra={"source": source}, **constraints
    )
