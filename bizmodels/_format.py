"""How the library writes money, shares and counts in its tables: one place for every layer.

A private leaf: it imports nothing from bizmodels, so the engine, the plans, the risk tools,
compliance and the CLI all use it. Money is shown in yuan to the fen with thousands
separators and the minus sign "−" (U+2212, which lines up with the digits in a table);
integer fen become exact Decimal yuan; shares become percents; a value that is undefined
(None, NaN, infinite) is shown by the word the caller chooses ("n/a", "—" or nothing).
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

MINUS = "−"
"""The minus sign of a table (U+2212), not the hyphen."""

__all__ = [
    "MINUS",
    "count",
    "fen_text",
    "money",
    "percent",
    "share_text",
    "undefined",
    "yuan",
    "yuan_text",
]


def undefined(value: Any) -> bool:
    """Whether a value has no number to show: None, NaN or infinite.

    Examples
    --------
    >>> undefined(None), undefined(float("nan")), undefined(Decimal("1.5")), undefined(0)
    (True, True, False, False)
    """
    if value is None:
        return True
    if isinstance(value, Decimal):
        return not value.is_finite()
    return not math.isfinite(value)


def _signed(text: str) -> str:
    return text.replace("-", MINUS)


def money(value: Any, places: int = 2, missing: str = "n/a") -> str:
    """An amount of yuan with thousands separators, to `places` decimals, minus as "−".

    Parameters
    ----------
    value : Decimal, float or int, or None
        The amount in yuan.
    places : int
        Decimals shown: 2 (to the fen) or 0 (whole yuan, for sampled figures).
    missing : str
        What an undefined value (None, NaN, infinite) is shown as.

    Returns
    -------
    str
        The amount as text, e.g. ``"−1,234.50"``.

    Examples
    --------
    >>> money(Decimal("-1234.5")), money(452152.067, places=0), money(None, missing="—")
    ('−1,234.50', '452,152', '—')
    """
    if undefined(value):
        return missing
    return _signed(f"{value:,.{places}f}")


def percent(share: Any, places: int = 1, missing: str = "n/a") -> str:
    """A share (0.25 for a quarter) as a percent to `places` decimals, minus as "−".

    Parameters
    ----------
    share : Decimal, float, Fraction-valued float or None
        The share as a fraction of one.
    places : int
        Decimals of the percent.
    missing : str
        What an undefined share (None, NaN, infinite) is shown as.

    Returns
    -------
    str
        The percent, e.g. ``"12.5%"``.

    Examples
    --------
    >>> percent(Decimal("0.125")), percent(-0.04, places=2), percent(0.5, places=0)
    ('12.5%', '−4.00%', '50%')
    """
    if undefined(share):
        return missing
    return _signed(f"{share * 100:.{places}f}%")


def count(n: Any) -> str:
    """A count with thousands separators; a float count is rounded to a whole number.

    Examples
    --------
    >>> count(12345), count(1234.6)
    ('12,345', '1,235')
    """
    return f"{n:,}" if isinstance(n, int) else f"{n:,.0f}"


def yuan(fen: int) -> Decimal:
    """Integer fen as exact Decimal yuan.

    Examples
    --------
    >>> yuan(69900), yuan(-5)
    (Decimal('699'), Decimal('-0.05'))
    """
    return Decimal(fen) / 100


def fen_text(fen: int) -> str:
    """Integer fen as yuan text to the fen, without separators, as prose quotes amounts.

    Examples
    --------
    >>> fen_text(69900), fen_text(12345678)
    ('699.00', '123456.78')
    """
    return f"{yuan(fen):.2f}"


def yuan_text(amount: Decimal) -> str:
    """An amount of yuan as evidence shows it: ``699``, ``69.9``, ``1,980``.

    Examples
    --------
    >>> yuan_text(Decimal("699.00")), yuan_text(Decimal("69.90")), yuan_text(Decimal(5000))
    ('699', '69.9', '5,000')
    """
    value = Decimal(amount).normalize()
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value:,f}"


def share_text(rate: Decimal) -> str:
    """A rate as a percentage, without trailing zeros: ``10%``, ``2.5%``.

    Examples
    --------
    >>> share_text(Decimal("0.10")), share_text(Decimal("0.025"))
    ('10%', '2.5%')
    """
    return f"{(Decimal(rate) * 100).normalize():f}%"
