"""How results become pandas DataFrames: one place for the dtypes, the money unit and ranks.

A private leaf: it imports nothing from bizmodels, and pandas only when a frame is built
(pandas is the optional extra ``pandas``: ``pip install 'bizmodels[pandas]'``), so the core
never needs it.

Every ``to_pandas(money=...)`` in the library takes the same `money` argument:

``"yuan"`` (the default)
    float64 yuan. Exact Decimal amounts keep their fen: a float64 holds any amount below
    about 90 trillion yuan to the fen, and ``round(x, 2)`` gives it back.
``"fen"``
    int64 fen, exact; a Decimal amount that is not a whole number of fen (a per-unit rate)
    is refused rather than rounded.
``"decimal"``
    exact Decimal yuan, as the waterfalls hold them (object dtype: the one case where a
    money column is not numeric).

Sampled figures (Monte Carlo, sweeps) are float64 yuan already: ``"fen"`` gives them times
100 as float64 (a sample is not a whole number of fen), ``"decimal"`` as Decimal to the fen.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from types import ModuleType
from typing import Any, Literal

# pandas is typed as Any: it is optional, and its stubs (pandas-stubs) are not required

__all__ = [
    "MONEY_UNITS",
    "Money",
    "categorical",
    "check_money",
    "fen_column",
    "frame",
    "money_name",
    "pandas",
    "yuan_column",
]

Money = Literal["yuan", "fen", "decimal"]
MONEY_UNITS: tuple[str, ...] = ("yuan", "fen", "decimal")

_FEN = Decimal("0.01")


def pandas() -> ModuleType:
    """The pandas module, or a one-line ImportError naming the extra that installs it.

    Examples
    --------
    >>> pandas().__name__
    'pandas'
    """
    try:
        import pandas as pd  # type: ignore[import-untyped,unused-ignore]
    except ImportError:  # pragma: no cover - the test extra installs pandas
        raise ImportError(
            "to_pandas() needs pandas, which is not installed: pip install 'bizmodels[pandas]'"
        ) from None
    module: ModuleType = pd
    return module


def check_money(money: object) -> Money:
    """`money` if it is one of the units, else a ValueError naming it and the units.

    Examples
    --------
    >>> check_money("fen")
    'fen'
    >>> check_money("cents")
    Traceback (most recent call last):
    ...
    ValueError: money = 'cents': must be 'yuan', 'fen' or 'decimal'
    """
    if not isinstance(money, str) or money not in MONEY_UNITS:
        raise ValueError(f"money = {money!r}: must be 'yuan', 'fen' or 'decimal'")
    return money  # type: ignore[return-value]


def money_name(name: str, money: Money) -> str:
    """A money column's name: unchanged in yuan or Decimal, with ``_fen`` in fen.

    Examples
    --------
    >>> money_name("amount", "yuan"), money_name("amount", "fen")
    ('amount', 'amount_fen')
    """
    return f"{name}_fen" if money == "fen" else name


def _finite(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, Decimal):
        return value.is_finite()
    return math.isfinite(value)


def yuan_column(values: Sequence[Any], money: Money = "yuan") -> Any:
    """Amounts in yuan (Decimal, float or int) as the column `money` asks for.

    Parameters
    ----------
    values : sequence of Decimal, float, int or None
        The amounts in yuan; None (or NaN) where there is none.
    money : {"yuan", "fen", "decimal"}
        The unit of the column (see the module's docstring).

    Returns
    -------
    numpy.ndarray or list
        float64 yuan; int64 fen (nullable ``Int64`` where an amount is missing; float64
        for float amounts); or a list of Decimal yuan.

    Examples
    --------
    >>> yuan_column([Decimal("699.00"), Decimal("-0.05")]).tolist()
    [699.0, -0.05]
    >>> yuan_column([Decimal("699.00"), Decimal("-0.05")], "fen").tolist()
    [69900, -5]
    >>> yuan_column([1.234], "decimal")
    [Decimal('1.23')]
    """
    import numpy as np

    money = check_money(money)
    if money == "yuan":
        return np.array([float(v) if _finite(v) else math.nan for v in values], dtype=np.float64)
    if money == "decimal":
        return [
            (v if isinstance(v, Decimal) else Decimal(repr(float(v))).quantize(_FEN))
            if _finite(v)
            else None
            for v in values
        ]
    if any(_finite(v) and not isinstance(v, (Decimal, int)) for v in values):
        return np.array(
            [float(v) * 100 if _finite(v) else math.nan for v in values], dtype=np.float64
        )
    fen: list[int | None] = []
    for v in values:
        if not _finite(v):
            fen.append(None)
            continue
        scaled = Decimal(v) * 100
        if scaled != scaled.to_integral_value():
            raise ValueError(
                f"money = 'fen': {v} yuan is not a whole number of fen; "
                "use money='yuan' or money='decimal'"
            )
        fen.append(int(scaled))
    return _ints(fen)


def _ints(fen: Sequence[int | None]) -> Any:
    import numpy as np

    if any(v is None for v in fen):
        return pandas().array(list(fen), dtype="Int64")
    return np.array(fen, dtype=np.int64)


def fen_column(values: Sequence[int | None], money: Money = "yuan") -> Any:
    """Integer fen (as the simulation keeps money) as the column `money` asks for.

    Examples
    --------
    >>> fen_column([69900, -5]).tolist()
    [699.0, -0.05]
    >>> fen_column([69900, -5], "fen").tolist()
    [69900, -5]
    >>> fen_column([69900], "decimal")
    [Decimal('699.00')]
    """
    import numpy as np

    money = check_money(money)
    if money == "fen":
        return _ints([None if v is None else int(v) for v in values])
    if money == "decimal":
        return [None if v is None else (Decimal(int(v)) / 100).quantize(_FEN) for v in values]
    # fen / 100 in float64 is the float nearest the yuan amount for any int64 fen
    return np.array([math.nan if v is None else int(v) / 100 for v in values], dtype=np.float64)


def categorical(values: Sequence[Any], categories: Sequence[Any], ordered: bool = True) -> Any:
    """A categorical column whose categories are labels (ranks by name, not int codes).

    Parameters
    ----------
    values : sequence
        The label of each row (each one of `categories`).
    categories : sequence
        Every label, in their order (a rank's order, low to high), so that a category with
        no row still shows in counts and an ordered comparison reads as the rank's order.
    ordered : bool
        Whether the categories have an order.

    Examples
    --------
    >>> c = categorical(["VIP", "member"], ["member", "VIP", "partner"])
    >>> list(c), list(c.categories), c.max()
    (['VIP', 'member'], ['member', 'VIP', 'partner'], 'VIP')
    """
    unknown = sorted({str(v) for v in values} - {str(c) for c in categories})
    if unknown:
        raise ValueError(f"categories: {', '.join(unknown)} not among {list(categories)}")
    pd = pandas()
    return pd.Categorical(list(values), categories=list(categories), ordered=ordered)


def frame(columns: Mapping[str, Any], index: Any = None) -> Any:
    """A DataFrame of `columns` (name to values), in their order.

    Strings become pandas' string dtype, never object; money and categories keep the dtype
    the helpers above gave them.

    Examples
    --------
    >>> df = frame({"label": ["a", "b"], "amount": yuan_column([Decimal(1), Decimal(2)])})
    >>> df["amount"].dtype.kind, df["amount"].sum()
    ('f', np.float64(3.0))
    """
    pd = pandas()
    data: dict[str, Any] = {}
    for name, values in columns.items():
        if isinstance(values, list) and values and all(isinstance(v, str) for v in values):
            values = pd.array(values, dtype="string")
        data[name] = values
    return pd.DataFrame(data, index=index)
