"""Annotated field types shared by every typed input: yuan, rates, counts.

Money and rates are `Decimal` so that a waterfall is exact to the fen; a float given by a
user (``0.1``) is read through its shortest repr, so it becomes ``Decimal("0.1")``, not the
binary fraction behind it. In JSON they are written as numbers.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import BaseModel, Field, PlainSerializer
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema


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


class _NumberSchema(GenerateJsonSchema):
    """JSON schema with Decimal fields as numbers, the way scenario files write them."""

    def decimal_schema(self, schema: core_schema.DecimalSchema) -> JsonSchemaValue:
        result: JsonSchemaValue = {"type": "number"}
        for key, name in (
            ("ge", "minimum"),
            ("le", "maximum"),
            ("gt", "exclusiveMinimum"),
            ("lt", "exclusiveMaximum"),
        ):
            limit = schema.get(key)
            if limit is not None:
                result[name] = _decimal_to_json(Decimal(str(limit)))
        return result

    def encode_default(self, dft: Any) -> Any:
        if isinstance(dft, Decimal):
            return _decimal_to_json(dft)
        if isinstance(dft, tuple):
            return [self.encode_default(v) for v in dft]
        return super().encode_default(dft)


def json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """A model's JSON schema with money and rates as numbers and each field's ``source``."""
    return model.model_json_schema(schema_generator=_NumberSchema)
