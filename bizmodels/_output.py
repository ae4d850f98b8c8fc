"""One way to print every result: a terminal table, markdown, JSON or CSV.

Waterfalls, comparisons, listings and summaries all render through `render`, so the four
formats behave alike everywhere: tables through tabulate, JSON with `Decimal` money written
as numbers, CSV with one row per record.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

FORMATS = ("table", "markdown", "json", "csv")
"""The output formats every result supports."""

_TABLEFMT = {"table": "simple", "markdown": "github"}


def decimal_json(value: Decimal) -> int | float | str:
    """The one JSON encoding of a `Decimal`: exact, as a number wherever JSON can hold it.

    A whole number is an integer (699, not 699.0); any other value is the float whose
    shortest repr is the same decimal (every amount in fen and every rate of up to 15
    significant digits); a value no float carries exactly is its decimal text, rather
    than a number rounded without a word.

    Examples
    --------
    >>> decimal_json(Decimal("699.00")), decimal_json(Decimal("0.13"))
    (699, 0.13)
    >>> decimal_json(Decimal("0.12345678901234567891"))
    '0.12345678901234567891'
    """
    if value == value.to_integral_value():
        return int(value)
    as_float = float(value)
    return as_float if Decimal(repr(as_float)) == value else str(value)


def json_number(value: object) -> int | float | str:
    """JSON encoder hook: a `Decimal` through `decimal_json`; anything else is refused."""
    if isinstance(value, Decimal):
        return decimal_json(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def to_json(payload: Any) -> str:
    """Indented UTF-8 JSON, Decimals as numbers."""
    return json.dumps(payload, ensure_ascii=False, indent=2, default=json_number)


def to_csv(records: Sequence[dict[str, Any]]) -> str:
    """One CSV row per record, the keys of the first as the header."""
    if not records:
        return ""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(records[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return buffer.getvalue().rstrip("\n")


def render(
    fmt: str,
    *,
    table: Callable[[str], str],
    records: Callable[[], Sequence[dict[str, Any]]],
    payload: Callable[[list[dict[str, Any]]], Any] = lambda rows: rows,
) -> str:
    """Render a result in ``fmt``.

    Parameters
    ----------
    fmt : {"table", "markdown", "json", "csv"}
        The format.
    table : callable
        Takes a tabulate format (``"simple"`` or ``"github"``) and returns the table.
    records : callable
        Returns one dict per row, for JSON and CSV.
    payload : callable
        Wraps the records for JSON (e.g. ``{"title": …, "steps": rows}``).

    Raises
    ------
    ValueError
        An unknown format, listing the valid ones.
    """
    if fmt in _TABLEFMT:
        return table(_TABLEFMT[fmt])
    if fmt == "json":
        return to_json(payload(list(records())))
    if fmt == "csv":
        return to_csv(records())
    raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {fmt!r}")
