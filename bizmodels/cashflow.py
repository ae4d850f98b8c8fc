"""Monthly cash flows: a lifetime P&L laid out over time.

The lifetime waterfall says how much; a cash-flow schedule says when. Customers are won
over an acquisition schedule; each cohort buys over its lifetime following a profile (flat,
or shaped by a monthly retention rate); cash moves with lags (commissions paid a settlement
period after the order, VAT remitted the month after, a help fund's frozen share released
later). The schedule moves money in time and never changes the totals, so the lines summed
over a horizon that covers every lag equal the lifetime waterfall.

Amounts are exact `Decimal` yuan (unrounded); `CashFlows.net` gives float64 for the finance
functions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
from tabulate import tabulate

from bizmodels.engine import PnLLine

Timing = tuple[tuple[Decimal, int], ...]
"""How a line's cash moves relative to the orders: (share, lag in months) pairs."""

SALES = "sales"
ACQUISITION = "acquisition"
SPREAD = "spread"


@dataclass(frozen=True)
class CashLine:
    """One line of the schedule: its key, labels, sign and monthly amounts.

    Attributes
    ----------
    key, zh, en : str
        As in the waterfall (``"cogs"``, ``"商品成本"``, ``"Cost of goods"``).
    sign : int
        +1 for cash in, −1 for cash out.
    amounts : tuple of Decimal
        Yuan per month (positive), month 0 first.
    """

    key: str
    zh: str
    en: str
    sign: int
    amounts: tuple[Decimal, ...]

    @property
    def total(self) -> Decimal:
        """The line summed over the horizon."""
        return sum(self.amounts, Decimal(0))


@dataclass(frozen=True)
class CashFlows:
    """A model's monthly cash flows: every line, and the net cash per month.

    Attributes
    ----------
    model : str
        The model's key.
    lines : tuple of CashLine
        Net sales in, then every cost out, in waterfall order, plus ``setup`` when given.
    months : int
        The horizon.
    """

    model: str
    lines: tuple[CashLine, ...]
    months: int

    def __getitem__(self, key: str) -> CashLine:
        for line in self.lines:
            if line.key == key:
                return line
        raise KeyError(f"{key!r} is not a line; lines: {', '.join(x.key for x in self.lines)}")

    @property
    def net(self) -> np.ndarray[Any, np.dtype[np.float64]]:
        """Net cash per month (in − out), float64, month 0 first."""
        total = [
            sum((line.sign * line.amounts[m] for line in self.lines), Decimal(0))
            for m in range(self.months)
        ]
        return np.array([float(v) for v in total], dtype=np.float64)

    @property
    def cumulative(self) -> np.ndarray[Any, np.dtype[np.float64]]:
        """Cumulative net cash, float64."""
        return np.cumsum(self.net)

    def totals(self) -> dict[str, Decimal]:
        """Each line summed over the horizon (equal to the waterfall when it covers all)."""
        return {line.key: line.total for line in self.lines}

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per month: month, every line (signed, float) and net."""
        net = self.net
        return [
            {
                "month": m,
                **{line.key: float(line.sign * line.amounts[m]) for line in self.lines},
                "net": float(net[m]),
            }
            for m in range(self.months)
        ]

    def to_table(self, fmt: str = "simple", lang: str = "en") -> str:
        """Months as rows: cash in, cash out, net and cumulative net (yuan)."""
        net, cumulative = self.net, self.cumulative
        rows = []
        for m in range(self.months):
            cash_in = sum((line.amounts[m] for line in self.lines if line.sign > 0), Decimal(0))
            cash_out = sum((line.amounts[m] for line in self.lines if line.sign < 0), Decimal(0))
            rows.append(
                (
                    m,
                    f"{cash_in:,.2f}",
                    f"{-cash_out:,.2f}".replace("-", "−"),
                    f"{net[m]:,.2f}".replace("-", "−"),
                    f"{cumulative[m]:,.2f}".replace("-", "−"),
                )
            )
        headers = (
            ("月", "流入", "流出", "净现金流", "累计")
            if lang == "zh"
            else ("month", "cash in", "cash out", "net", "cumulative")
        )
        return tabulate(
            rows, headers=headers, tablefmt=fmt, disable_numparse=True, colalign=("right",) * 5
        )


def _weights(values: Sequence[Decimal]) -> list[Decimal]:
    total = sum(values, Decimal(0))
    if total <= 0:
        raise ValueError("a schedule must have a positive total")
    return [v / total for v in values]


def life_profile(lifetime: Decimal, retention: Decimal | None = None) -> list[Decimal]:
    """Share of a cohort's lifetime orders that falls in each month of its life.

    Flat over ``lifetime`` months (a last partial month gets its fraction) or, with a
    monthly ``retention`` rate, proportional to retention**t: early months weigh more. The
    shares sum to 1, so the profile moves orders in time without changing how many.

    Examples
    --------
    >>> life_profile(Decimal(4))
    [Decimal('0.25'), Decimal('0.25'), Decimal('0.25'), Decimal('0.25')]
    >>> [round(float(x), 4) for x in life_profile(Decimal(3), Decimal("0.5"))]
    [0.5714, 0.2857, 0.1429]
    """
    if lifetime <= 0:
        raise ValueError(f"lifetime must be positive to lay orders over time, got {lifetime}")
    whole = int(lifetime)
    raw = [Decimal(1)] * whole + ([lifetime - whole] if lifetime > whole else [])
    if retention is not None:
        if not 0 < retention <= 1:
            raise ValueError(f"retention must be in (0, 1], got {retention}")
        raw = [w * retention**t for t, w in enumerate(raw)]
    return _weights(raw)


def cohort_shape(acquisition: Sequence[Decimal], profile: Sequence[Decimal]) -> list[Decimal]:
    """Share of orders in each month when cohorts won per ``acquisition`` each follow ``profile``.

    Examples
    --------
    >>> cohort_shape([Decimal("0.5"), Decimal("0.5")], [Decimal("0.5"), Decimal("0.5")])
    [Decimal('0.25'), Decimal('0.50'), Decimal('0.25')]
    """
    orders = [Decimal(0)] * (len(acquisition) + len(profile) - 1)
    for i, a in enumerate(acquisition):
        for j, p in enumerate(profile):
            orders[i + j] += a * p
    return orders


def mixture(parts: Sequence[tuple[Decimal, Sequence[Decimal]]]) -> list[Decimal]:
    """Shapes averaged with weights (the amount each part contributes to a line)."""
    total = sum((w for w, _ in parts), Decimal(0))
    if total == 0:
        return [Decimal(1)]
    length = max(len(shape) for _, shape in parts)
    out = [Decimal(0)] * length
    for weight, shape in parts:
        for t, value in enumerate(shape):
            out[t] += weight / total * value
    return out


def schedule(
    lines: Sequence[PnLLine],
    timing: Mapping[str, Timing],
    *,
    shapes: Mapping[str, Sequence[Decimal]],
    acquisition: Sequence[Decimal],
    spread_months: int,
    months: int,
    setup: Decimal = Decimal(0),
    price_index: Sequence[Decimal] = (),
    conversion_index: Sequence[Decimal] = (),
) -> tuple[CashLine, ...]:
    """Lay the P&L lines over months.

    Parameters
    ----------
    lines : sequence of PnLLine
        The exact lifetime P&L (deductions are cash out; net sales is the cash in).
    timing : mapping
        Line key → ((share, lag), ...) relative to the orders; a key absent here moves with
        the orders (lag 0). The special timings ``"acquisition"`` and ``"spread"`` (marketing,
        fixed costs) are given by the section of the line.
    shapes : mapping
        Line key → share of that line's orders in each month (sums to 1); the key
        ``"sales"`` is the shape of every order-linked line not given its own.
    acquisition : sequence of Decimal
        Share of the customers won in each month (sums to 1): acquisition lines follow it.
    spread_months : int
        Months over which marketing and fixed costs are spread evenly.
    months : int
        The horizon; what falls beyond it is cut off (the totals then fall short).
    setup : Decimal
        One-off set-up investment paid in month 0 (not part of the lifetime waterfall).
    price_index, conversion_index : sequence of Decimal
        Multipliers of the price and of the conversion in each month of orders (1 = as
        modelled; months past the end keep 1). Conversion moves every order-linked line;
        price moves the lines that follow sales value (sales, VAT, payment fees, channel
        payouts), not goods and fulfilment. With either set the totals leave the waterfall.
    """
    volume = list(conversion_index)
    one = Decimal(1)
    value = [
        (price_index[t] if t < len(price_index) else one) * (volume[t] if t < len(volume) else one)
        for t in range(max(len(price_index), len(volume)))
    ]
    orders = _indexed(shapes[SALES], value)
    by_key = {line.key: line for line in lines}
    out: list[CashLine] = []
    if setup:
        out.append(
            CashLine(
                "setup",
                "初始投入",
                "Set-up investment",
                -1,
                _place([(Decimal(1), 0)], [Decimal(1)], setup, months),
            )
        )
    cash_in = by_key["net_sales"]
    out.append(
        CashLine(
            cash_in.key,
            cash_in.zh,
            cash_in.en,
            1,
            _place(timing.get("net_sales", ((Decimal(1), 0),)), orders, cash_in.value, months),
        )
    )
    for line in lines:
        if line.kind != "deduction" or line.key == "refunds":
            continue  # refunds are already out of net sales: cash in is net of them
        shape: Sequence[Decimal]
        moves: Timing
        if line.section == "acquisition":
            shape, moves = list(acquisition), ((Decimal(1), 0),)
        elif line.section in ("marketing", "fixed"):
            shape = [Decimal(1) / spread_months] * spread_months
            moves = ((Decimal(1), 0),)
        else:
            index = volume if line.key in ("cogs", "fulfilment") else value
            shape = _indexed(shapes.get(line.key, shapes[SALES]), index)
            moves = timing.get(line.key, ((Decimal(1), 0),))
        out.append(
            CashLine(line.key, line.zh, line.en, -1, _place(moves, shape, line.value, months))
        )
    return tuple(out)


def _indexed(shape: Sequence[Decimal], index: Sequence[Decimal]) -> list[Decimal]:
    """A month shape scaled by a monthly index (1 past its end)."""
    return [w * (index[t] if t < len(index) else 1) for t, w in enumerate(shape)]


def _place(
    moves: Sequence[tuple[Decimal, int]], shape: Sequence[Decimal], amount: Decimal, months: int
) -> tuple[Decimal, ...]:
    cells = [Decimal(0)] * months
    for share, lag in moves:
        for t, weight in enumerate(shape):
            if t + lag < months:
                cells[t + lag] += amount * share * weight
    return tuple(cells)


__all__ = ["CashFlows", "CashLine", "cohort_shape", "life_profile", "mixture", "schedule"]
