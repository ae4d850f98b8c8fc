"""Annotated field types shared by every typed input: yuan, rates, counts, and their limits.

Money and rates are `Decimal` so that a waterfall is exact to the fen; a float given by a
user (``0.1``) is read through its shortest repr, so it becomes ``Decimal("0.1")``, not the
binary fraction behind it. In JSON they are written as numbers.

Limits
------
Every field has an upper bound, wide enough for any real business and narrow enough that
the arithmetic holds (docs/concepts/limits.md derives them):

- `MAX_CUSTOMERS` = 10^10 people (everyone alive is 8.2 × 10^9);
- `MAX_PERIODS` = 1200 periods (a century of months);
- `MAX_COUNT` = 10^6 for every other count (staff, slots, meetings, orders per purchase,
  people per meeting or per dealer, rebate levels, kilometres);
- `MAX_YUAN` = 10^10 yuan for every amount of money a field holds (a price, a cost per
  order, a fee, a cost per period);
- rates between 0 and 1.

Products of these bounds can still exceed what 28 significant digits hold to the fen
(10^10 customers × 1200 periods × 10^10 yuan is 1.2 × 10^23), so a model also refuses, when
it is built, any line of its waterfall above `MAX_LINE` = 10^18 yuan: 18 digits of yuan
and 2 of fen leave 8 of the 28 as guard digits, so no rounding inside a line moves it by
more than 10^-8 yuan, and the largest share a waterfall shows (10^18 over a start of one
fen, to six places) still fits in 27 digits. 10^18 yuan is more than the world's output
over a century.

All model arithmetic runs in `MONEY_CONTEXT` (28 digits, Python's default), whatever
context the caller has set.
"""

from __future__ import annotations

from decimal import (
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
)
from typing import Annotated, Any

from pydantic import BaseModel, Field, PlainSerializer
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from bizmodels._output import decimal_json

_AsNumber = PlainSerializer(decimal_json, return_type=Any, when_used="json")

MAX_CUSTOMERS = Decimal(10**10)
"""Most people a market or a model counts: 10^10, above everyone alive (8.2 × 10^9)."""

MAX_PERIODS = Decimal(1200)
"""Most periods (months) a lifetime or a phase of it lasts: 1200, a century of months."""

MAX_COUNT = Decimal(10**6)
"""Most of any other count: staff, slots, meetings, orders per purchase, people per meeting
or per dealer, rebate levels, kilometres of radius (a million of each)."""

MAX_YUAN = Decimal(10**10)
"""Most yuan one money field holds (a price, a cost per order, a fee, a cost per period):
ten billion yuan."""

MAX_LINE = Decimal(10**18)
"""Largest line of a model's waterfall, yuan: 18 digits of yuan + 2 of fen + 8 guard digits
= the 28 significant digits of `MONEY_CONTEXT` (see the module docstring)."""

MONEY_CONTEXT = Context(
    prec=28,
    rounding=ROUND_HALF_EVEN,
    Emin=-999_999,
    Emax=999_999,
    traps=[InvalidOperation, DivisionByZero, Overflow],
)
"""The decimal context of all model arithmetic: Python's default, fixed so that a caller's
``decimal.getcontext().prec = 6`` cannot change the money."""

Yuan = Annotated[
    Decimal, Field(ge=0, le=MAX_YUAN, allow_inf_nan=False, decimal_places=2), _AsNumber
]
"""An amount of money in yuan, 0 to `MAX_YUAN`, whole fen at most (two decimal places)."""

Amount = Annotated[Decimal, Field(ge=0, le=MAX_YUAN, allow_inf_nan=False), _AsNumber]
"""A non-negative amount in yuan not limited to the fen (an average order value), at most
`MAX_YUAN`."""

Customers = Annotated[Decimal, Field(ge=0, le=MAX_CUSTOMERS, allow_inf_nan=False), _AsNumber]
"""A number of people in a market or a pool, 0 to `MAX_CUSTOMERS`."""

Periods = Annotated[Decimal, Field(ge=0, le=MAX_PERIODS, allow_inf_nan=False), _AsNumber]
"""A number of purchase periods (months), 0 to `MAX_PERIODS`."""

Count = Annotated[Decimal, Field(ge=0, le=MAX_COUNT, allow_inf_nan=False), _AsNumber]
"""Any other count (staff, slots, meetings, orders, levels, km), 0 to `MAX_COUNT`."""

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
                result[name] = decimal_json(Decimal(str(limit)))
        return result

    def encode_default(self, dft: Any) -> Any:
        if isinstance(dft, Decimal):
            return decimal_json(dft)
        if isinstance(dft, tuple):
            return [self.encode_default(v) for v in dft]
        return super().encode_default(dft)


def json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """A model's JSON schema with money and rates as numbers and each field's ``source``."""
    return model.model_json_schema(schema_generator=_NumberSchema)
