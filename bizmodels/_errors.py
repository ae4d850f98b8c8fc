"""How the library words a refusal: "field = value: message", with the value cut short.

A private leaf: it imports nothing from bizmodels, so models, plans, io and the CLI all
use it. A message names the field as the user wrote it, the value as the user gave it
(cut so that one message stays one short line) and what is wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["field_error", "pydantic_message", "shorten"]


def shorten(text: str, width: int, ellipsis: str = "…", say_length: bool = False) -> str:
    """``text`` cut to at most `width` characters, ending in `ellipsis` where it was cut.

    Parameters
    ----------
    text : str
        The text of a value, as the message shows it (often its ``repr``).
    width : int
        The most characters kept, the ellipsis included.
    ellipsis : str
        What marks the cut.
    say_length : bool
        Whether a cut text also says how long the whole was, ``"… (1,000 characters)"``.

    Examples
    --------
    >>> shorten("'abcdef'", 6), shorten("abc", 6)
    ("'abcd…", 'abc')
    >>> shorten("x" * 1000, 8, say_length=True)
    'xxxxxxx… (1,000 characters)'
    >>> shorten("y" * 100, 10, ellipsis="...")
    'yyyyyyy...'
    """
    if len(text) <= width:
        return text
    cut = text[: width - len(ellipsis)] + ellipsis
    return f"{cut} ({len(text):,} characters)" if say_length else cut


def field_error(field: str, value: str, message: str) -> str:
    """The one shape of a refusal naming a field: ``"field = value: message"``.

    Parameters
    ----------
    field : str
        The field as the user wrote it (``market.price``, ``--members``).
    value : str
        The offending value as the message shows it (see `shorten`).
    message : str
        What is wrong, or what is allowed.

    Examples
    --------
    >>> field_error("reach", "7", "Input should be less than or equal to 1")
    'reach = 7: Input should be less than or equal to 1'
    """
    return f"{field} = {value}: {message}"


def pydantic_message(item: Mapping[str, Any]) -> str:
    """The message of one of pydantic's error items, without its "Value error, " prefix.

    Examples
    --------
    >>> pydantic_message({"msg": "Value error, price must be positive"})
    'price must be positive'
    """
    return str(item["msg"]).removeprefix("Value error, ")
