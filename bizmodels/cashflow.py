"""Monthly cash flows: a lifetime P&L laid out over time.

The lifetime waterfall says how much; a cash-flow schedule says when. Customers are won
over an acquisition schedule; each cohort buys over its lifetime following the model's own
retention curve (the same terms the waterfall sums, `bizmodels.retention.period_weights`,
so the two agree); cash moves with lags (commissions paid a settlement
period after the order, VAT remitted the month after, a help fund's frozen share released
later). The schedule moves money in time and never changes the totals, so the lines summed
over a horizon that covers every lag equal the lifetime waterfall, line by line.

Amounts are `Decimal` yuan in whole fen: each line's waterfall amount is laid over the months
by cumulative rounding, so that the months of a line add up to the waterfall's line exactly,
to the fen, and each month is within a fen of its exact share. `CashFlows.net` gives float64
for the finance functions.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal, localcontext
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
from tabulate import tabulate

from bizmodels import _frames, _html, engine
from bizmodels._errors import shorten
from bizmodels._format import money
from bizmodels._frames import Money
from bizmodels._limits import SizeError, require_memory
from bizmodels._types import MONEY_CONTEXT
from bizmodels._validation import as_decimal
from bizmodels.engine import PnLLine, Segment
from bizmodels.retention import period_weights
from bizmodels.waterfall import to_fen

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
        Yuan per month in whole fen (positive for a positive line), month 0 first; they add
        up to the line's amount in the lifetime waterfall when the horizon holds the line.
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


class MemoLine(NamedTuple):
    """A monthly figure shown beside the cash flows that is not the brand's cash.

    Stock held by the channel (渠道库存), for instance: yuan at the end of each month, not
    part of ``net``.
    """

    key: str
    zh: str
    en: str
    amounts: tuple[Decimal, ...]


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
    memo : tuple of MemoLine
        Monthly figures that are not cash (stock held by dealers), from the model's
        ``memo_flows``; empty for most models.
    """

    model: str
    lines: tuple[CashLine, ...]
    months: int
    memo: tuple[MemoLine, ...] = ()

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

    def to_excel(self, path: str | os.PathLike[str]) -> Path:
        """Write an Excel workbook, a month a row, net and totals live (`bizmodels.excel`)."""
        from bizmodels.excel import write_cash_flows

        return write_cash_flows(self, path)

    def to_pandas(self, money: Money = "yuan") -> Any:
        """One row per month: every line signed (cash out negative), net and cumulative.

        Parameters
        ----------
        money : {"yuan", "fen", "decimal"}
            float64 yuan (the default), int64 fen (every money column then ends in ``_fen``),
            or exact Decimal yuan. The lines are whole fen, so every unit is exact.

        Returns
        -------
        pandas.DataFrame
            Index ``month`` (from 0); a column per line in waterfall order, cash in positive
            and cash out negative, so that the lines of a month add up to its ``net``; then
            ``cumulative``, the running sum of ``net``; then each memo figure (not cash,
            not in ``net``), e.g. ``channel_stock``.

        Examples
        --------
        >>> import bizmodels as bm
        >>> df = bm.get_model("toc_membership").cash_flows(months=30).to_pandas(money="fen")
        >>> lines = df.drop(columns=["net_fen", "cumulative_fen"])
        >>> bool((lines.sum(axis=1) == df["net_fen"]).all())
        True
        """
        money = _frames.check_money(money)
        columns: dict[str, Any] = {}
        net = [Decimal(0)] * self.months
        for line in self.lines:
            signed = [line.sign * a for a in line.amounts[: self.months]]
            net = [n + a for n, a in zip(net, signed, strict=True)]
            columns[_frames.money_name(line.key, money)] = _frames.yuan_column(signed, money)
        cumulative, running = [], Decimal(0)
        for n in net:
            running += n
            cumulative.append(running)
        columns[_frames.money_name("net", money)] = _frames.yuan_column(net, money)
        columns[_frames.money_name("cumulative", money)] = _frames.yuan_column(cumulative, money)
        for memo in self.memo:
            columns[_frames.money_name(memo.key, money)] = _frames.yuan_column(
                list(memo.amounts[: self.months]), money
            )
        pd = _frames.pandas()
        return _frames.frame(columns, index=pd.RangeIndex(self.months, name="month"))

    def _table_rows(self) -> list[tuple[int, str, str, str, str]]:
        net, cumulative = self.net, self.cumulative
        rows = []
        for m in range(self.months):
            cash_in = sum((line.amounts[m] for line in self.lines if line.sign > 0), Decimal(0))
            cash_out = sum((line.amounts[m] for line in self.lines if line.sign < 0), Decimal(0))
            rows.append(
                (
                    m,
                    f"{cash_in:,.2f}",
                    money(-cash_out),
                    money(net[m]),
                    money(cumulative[m]),
                )
            )
        return rows

    def to_html(self, lang: str = "en", max_rows: int = _html.MAX_ROWS) -> str:
        """An HTML table that reads like `to_table`: the first `max_rows` months."""
        headers = (
            ["月", "流入", "流出", "净现金流", "累计"]
            if lang == "zh"
            else ["month", "cash in", "cash out", "net", "cumulative"]
        )
        return _html.table(
            headers,
            [[str(c) for c in row] for row in self._table_rows()],
            numeric={0, 1, 2, 3, 4},
            caption=f"{self.model}: {self.months} months",
            lang="zh" if lang == "zh" else "en",
            max_rows=max_rows,
            more="to_table()",
        )

    def _repr_html_(self) -> str:
        return self.to_html()

    def to_table(self, fmt: str = "simple", lang: str = "en") -> str:
        """Months as rows: cash in, cash out, net and cumulative net (yuan)."""
        rows = self._table_rows()
        headers = (
            ("月", "流入", "流出", "净现金流", "累计")
            if lang == "zh"
            else ("month", "cash in", "cash out", "net", "cumulative")
        )
        return tabulate(
            rows, headers=headers, tablefmt=fmt, disable_numparse=True, colalign=("right",) * 5
        )


MAX_SPAN = 1_200
"""The longest any one part of a schedule lasts, in months: a lifetime, the acquisition, a
lag (a century of months, the bound of every model's lifetime)."""

MAX_MONTHS = 4 * MAX_SPAN
"""The longest horizon, in months (4,800): the acquisition, a lifetime and two lags of
`MAX_SPAN` each (a help fund's release follows the commission lag), so that the default
horizon of any accepted input fits. Not memory but time sets it: a schedule is built month
by month in exact `Decimal`, and a cohort's profile is convolved with the acquisition months,
so the work grows with the square of the span (measured: 1.2 s on one core for the worst
case, 1,200 months of acquisition of cohorts that buy over 1,200 months)."""

MAX_WEIGHT = Decimal(10) ** 15
"""The largest acquisition weight (relative, so customers per month fit: 10^15)."""

MAX_INDEX = Decimal(1000)
"""The largest price or conversion multiplier of a month (a thousandfold)."""

MAX_SETUP = Decimal(10) ** 13
"""The largest set-up investment, yuan (10 trillion). ``CashFlows.net`` is float64, which holds
every fen exactly below 2^53 fen (about 9.0 × 10^13 yuan); this leaves room for the lines."""

CELL_BYTES = 256
"""Memory of one line in one month while a schedule is built (two `Decimal` and three slots)."""


@dataclass(frozen=True)
class ScheduleInputs:
    """The arguments of `BusinessModel.cash_flows`, checked and read as exact `Decimal`."""

    months: int | None
    acquisition: tuple[Decimal, ...]
    commission_lag: int
    vat_lag: int
    release_lag: int
    setup: Decimal
    price_index: tuple[Decimal, ...]
    conversion_index: tuple[Decimal, ...]


def read_inputs(
    where: str,
    *,
    months: Any,
    acquisition: Any,
    commission_lag: Any,
    vat_lag: Any,
    release_lag: Any,
    setup: Any,
    price_index: Any,
    conversion_index: Any,
) -> ScheduleInputs:
    """Check the arguments of a cash-flow schedule before any work, naming the bad one.

    ``where`` (the model's key) starts every message. Numbers may be int, float (read by
    its shortest repr), `Decimal` or decimal text; a sequence (``acquisition``, the indices)
    must be a list, tuple, range or 1-d array: a string, a mapping, a set, a generator or a
    masked array is refused rather than read element by element.

    Raises
    ------
    ValueError
        Naming the argument (and the month, for an element of a sequence) and the value.
    bizmodels._limits.SizeError
        A horizon above `MAX_MONTHS`, a lag or an acquisition above `MAX_SPAN` months, an
        index above `MAX_MONTHS` months, or a horizon whose schedule would not fit in memory
        (a ValueError too).

    Examples
    --------
    >>> read_inputs("m", months=None, acquisition=[1, 1], commission_lag=1,
    ...             vat_lag=1, release_lag=6, setup=0, price_index="123",
    ...             conversion_index=())
    Traceback (most recent call last):
    ...
    ValueError: m: price_index must be a sequence of numbers, one per month, got the string '123'
    """
    horizon = None if months is None else _whole(where, "months", months, 1)
    if horizon is not None:
        _at_most(where, "months", horizon, MAX_MONTHS)
        # the lines are not known yet: a model has at most a few dozen
        require_memory(f"months = {months!r}", 32 * CELL_BYTES * horizon)
    lags = {}
    for name, lag in (
        ("commission_lag", commission_lag),
        ("vat_lag", vat_lag),
        ("release_lag", release_lag),
    ):
        lags[name] = _at_most(where, name, _whole(where, name, lag, 0), MAX_SPAN)
    weights = _numbers(where, "acquisition", acquisition, MAX_WEIGHT, MAX_SPAN)
    if not weights or sum(weights) == 0:
        raise ValueError(
            f"{where}: acquisition must be non-negative weights with a positive sum, "
            f"got {_short(acquisition)}"
        )
    investment = _number(where, "setup", setup)
    if not 0 <= investment <= MAX_SETUP or investment != investment.quantize(Decimal("0.01")):
        raise ValueError(
            f"{where}: setup must be an amount of yuan from 0 to {MAX_SETUP:,.0f}, "
            f"in whole fen (at most 2 decimal places), got {setup!r}"
        )
    return ScheduleInputs(
        horizon,
        weights,
        lags["commission_lag"],
        lags["vat_lag"],
        lags["release_lag"],
        investment,
        _numbers(where, "price_index", price_index, MAX_INDEX, MAX_MONTHS),
        _numbers(where, "conversion_index", conversion_index, MAX_INDEX, MAX_MONTHS),
    )


def check_horizon(where: str, months: int, lines: int, because: str) -> None:
    """Refuse a horizon that exceeds the memory or `MAX_MONTHS`, saying what made it.

    ``because`` says where the horizon comes from (``"months = 100000"`` or the lifetime,
    acquisition and lags of the default horizon); ``lines`` is the number of lines laid.
    """
    if months > MAX_MONTHS:
        raise SizeError(
            f"{where}: {because}: a cash-flow schedule has at most {MAX_MONTHS:,} months "
            "(bizmodels.cashflow.MAX_MONTHS)"
        )
    require_memory(because, (lines + 2) * CELL_BYTES * months)


def model_cash_flows(model: Any, **arguments: Any) -> CashFlows:
    """A model's monthly cash flows: `BusinessModel.cash_flows` (documented there).

    The arguments are checked by `read_inputs`, and the horizon by `check_horizon`, before any
    schedule is made; all arithmetic runs in `bizmodels._types.MONEY_CONTEXT`.
    """
    with localcontext(MONEY_CONTEXT):
        return _model_cash_flows(model, read_inputs(model.key, **arguments))


def _model_cash_flows(model: Any, given: ScheduleInputs) -> CashFlows:
    key = model.key
    segments = [s for s in model.segments() if s.lifetime > 0]
    for part in [*segments, model]:
        if part.lifetime > MAX_SPAN:
            raise SizeError(
                f"{key}: lifetime = {part.lifetime}: a cash-flow schedule lays at most "
                f"{MAX_SPAN:,} months of a lifetime (bizmodels.cashflow.MAX_SPAN)"
            )
    for segment in segments:
        if _span(segment) > MAX_SPAN:
            raise SizeError(
                f"{key}: segment {segment.key} spans {_span(segment):,} months (lifetime "
                f"{segment.lifetime} periods of {segment.every} months from month "
                f"{segment.start}); a cash-flow schedule lays at most {MAX_SPAN:,} "
                "(bizmodels.cashflow.MAX_SPAN)"
            )
    lines = model.pnl_lines()
    timing = {
        **model.cash_timing(given.commission_lag, given.release_lag),
        "vat": ((Decimal(1), given.vat_lag),),
    }
    longest = max(lag for moves in timing.values() for _, lag in moves)
    life = max([_span(s) for s in segments], default=1)
    acquired = len(given.acquisition)
    if given.months is not None:
        horizon, because = given.months, f"months = {given.months}"
    else:
        horizon = max(acquired + life - 1 + longest, months_of(model.lifetime), acquired)
        because = (
            f"the default horizon of {_months(horizon)} (lifetimes up to {_months(life)}, "
            f"acquisition over {_months(acquired)}, lags up to {_months(longest)})"
        )
    check_horizon(key, horizon, len(lines), because)
    total = sum(given.acquisition)
    shares = [w / total for w in given.acquisition]
    # each segment's orders follow its own lifetime; a line made of several segments
    # (sales, goods, fulfilment) follows their mixture, weighted by what each contributes
    parts: dict[str, list[tuple[Decimal, list[Decimal]]]] = {
        "net_sales": [],
        "cogs": [],
        "fulfilment": [],
    }
    refund = model.market.refund_rate
    by_segment: dict[str, list[Decimal]] = {}
    for segment in segments:
        result = engine.segment_result(segment, refund)
        if result.orders == 0:
            continue
        shape = cohort_shape(shares, segment_profile(segment))
        by_segment[segment.key] = shape
        parts["net_sales"].append((result.net_sales, shape))
        parts["cogs"].append((result.net_orders * segment.unit_cost, shape))
        parts["fulfilment"].append((result.net_orders * segment.fulfilment_cost, shape))
    shapes = {k: mixture(p) for k, p in parts.items()}
    shapes[SALES] = shapes["net_sales"]
    for line in lines:
        if line.follows is not None and line.follows in by_segment:
            shapes[line.key] = by_segment[line.follows]
    # marketing and fixed costs are per period: a month each, a last partial month its part
    overheads = life_profile(model.lifetime) if model.lifetime > 0 else [Decimal(1)]
    laid = schedule(
        lines,
        timing,
        totals=model.waterfall().to_dict(),
        shapes=shapes,
        acquisition=shares,
        overheads=overheads,
        months=horizon,
        setup=given.setup,
        price_index=given.price_index,
        conversion_index=given.conversion_index,
    )
    memo = model.memo_flows({line.key: line.amounts for line in laid})
    return CashFlows(key, laid, horizon, tuple(memo))


def _months(n: int) -> str:
    return f"{n:,} month" if n == 1 else f"{n:,} months"


def _short(value: Any) -> str:
    return shorten(repr(value), 60, ellipsis="...")


def _whole(where: str, name: str, value: Any, lowest: int) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < lowest:
        raise ValueError(f"{where}: {name} must be a whole number ≥ {lowest}, got {value!r}")
    return int(value)


def _at_most(where: str, name: str, value: int, most: int) -> int:
    if value > most:
        const = "MAX_MONTHS" if most == MAX_MONTHS else "MAX_SPAN"
        raise SizeError(
            f"{where}: {name} = {value}: at most {most:,} months (bizmodels.cashflow.{const})"
        )
    return value


def _number(where: str, name: str, value: Any) -> Decimal:
    if isinstance(value, np.generic) and not isinstance(value, np.bool_):
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise ValueError(f"{where}: {name} must be a number, got {_short(value)}")
    try:
        number = as_decimal(value.strip() if isinstance(value, str) else value)
    except ArithmeticError:  # decimal.InvalidOperation: text that is not a number
        raise ValueError(f"{where}: {name} must be a number, got {value!r}") from None
    if not number.is_finite():
        raise ValueError(f"{where}: {name} must be a finite number, got {value!r}")
    return number


def _numbers(where: str, name: str, raw: Any, upper: Decimal, longest: int) -> tuple[Decimal, ...]:
    if isinstance(raw, (str, bytes)):
        raise ValueError(
            f"{where}: {name} must be a sequence of numbers, one per month, "
            f"got the string {_short(raw)}"
        )
    if isinstance(raw, np.ma.MaskedArray):
        raise ValueError(
            f"{where}: {name} is a masked array: a masked month has no value to use; "
            "pass the values (np.ma.filled, or .compressed() to drop the masked months)"
        )
    items: Sequence[Any]
    if isinstance(raw, np.ndarray) and raw.ndim == 1:
        items = raw.tolist()
    elif isinstance(raw, (list, tuple, range)):
        items = raw
    else:
        raise ValueError(
            f"{where}: {name} must be a sequence of numbers, one per month (a list, a tuple "
            f"or a 1-d array), got {type(raw).__name__} {_short(raw)}"
        )
    if len(items) > longest:
        const = "MAX_MONTHS" if longest == MAX_MONTHS else "MAX_SPAN"
        raise SizeError(
            f"{where}: {name} has {len(items):,} months; at most {longest:,} "
            f"(bizmodels.cashflow.{const})"
        )
    out = []
    for month, item in enumerate(items):
        number = _number(where, f"{name}[{month}]", item)
        if not 0 <= number <= upper:
            raise ValueError(
                f"{where}: {name}[{month}] = {item!r}: "
                f"must be a finite number from 0 to {float(upper):g}"
            )
        out.append(number)
    return tuple(out)


def months_of(lifetime: Decimal) -> int:
    """Months a lifetime spans: its whole months and a last partial one (as `life_profile`).

    >>> months_of(Decimal("13.9")), months_of(Decimal(12))
    (14, 12)
    """
    return max(1, int(as_decimal(lifetime).to_integral_value(ROUND_CEILING)))


def _span(segment: Segment) -> int:
    """Months from a customer's win to the last month of the segment's periods, inclusive."""
    return int(segment.start) + (months_of(segment.lifetime) - 1) * int(segment.every) + 1


def segment_profile(segment: Segment) -> list[Decimal]:
    """Share of a segment's orders in each month of a customer's life, from its curve.

    The terms of the waterfall's expected active periods (`period_weights`), each in the
    month it falls in, divided by their sum: so a segment's months add up to its lifetime
    total, and the early months of a decaying curve weigh more.

    Examples
    --------
    Three months at 50% monthly retention: a customer is active 1 + 0.5 + 0.25 = 1.75
    months, four sevenths of them in the first.

    >>> from bizmodels.engine import Segment
    >>> s = Segment("s", "", "", 1, Decimal(3), 1, 1, 0, 0, retention=Decimal("0.5"))
    >>> [round(float(x), 4) for x in segment_profile(s)]
    [0.5714, 0.2857, 0.1429]
    """
    terms = period_weights(
        as_decimal(segment.lifetime),
        as_decimal(segment.retention),
        segment.curve,
        start=int(segment.start),
        every=int(segment.every),
    )
    cells = [Decimal(0)] * _span(segment)
    for month, weight in terms:
        cells[month] += weight
    return _weights(cells)


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
    totals: Mapping[str, Decimal],
    shapes: Mapping[str, Sequence[Decimal]],
    acquisition: Sequence[Decimal],
    overheads: Sequence[Decimal],
    months: int,
    setup: Decimal = Decimal(0),
    price_index: Sequence[Decimal] = (),
    conversion_index: Sequence[Decimal] = (),
) -> tuple[CashLine, ...]:
    """Lay the P&L lines over months, in whole fen.

    Parameters
    ----------
    lines : sequence of PnLLine
        The exact lifetime P&L (deductions are cash out; net sales is the cash in).
    timing : mapping
        Line key → ((share, lag), ...) relative to the orders; a key absent here moves with
        the orders (lag 0). Acquisition lines follow ``acquisition`` and marketing and fixed
        costs follow ``overheads``, both without lag.
    totals : mapping
        Line key → the line's amount in the lifetime waterfall, yuan to the fen (the
        waterfall's ``to_dict()``): what the months of a line add up to.
    shapes : mapping
        Line key → share of that line's orders in each month (sums to 1); the key
        ``"sales"`` is the shape of every order-linked line not given its own.
    acquisition : sequence of Decimal
        Share of the customers won in each month (sums to 1): acquisition lines follow it.
    overheads : sequence of Decimal
        Share of marketing and fixed costs in each month (sums to 1): the lifetime's months,
        a last partial month its fraction.
    months : int
        The horizon; what falls beyond it is cut off (the totals then fall short).
    setup : Decimal
        One-off set-up investment paid in month 0, whole fen (not part of the lifetime
        waterfall).
    price_index, conversion_index : sequence of Decimal
        Multipliers of the price and of the conversion in each month of orders (1 = as
        modelled; months past the end keep 1). Conversion moves every order-linked line;
        price moves the lines that follow sales value (sales, VAT, payment fees, channel
        payouts), not goods and fulfilment. With either set the totals leave the waterfall.

    Notes
    -----
    Each line's waterfall amount ``T`` is laid over months by cumulative rounding: with
    ``W[k]`` the line's share of cash in months 0 to ``k``, the months 0 to ``k`` together
    get ``to_fen(T × W[k])``, and month ``k`` the difference from month ``k − 1``. So every
    month is whole fen, within a fen of its exact share, and no rounding error accumulates:
    when the horizon holds every month of the line and no index moves it, its months sum to
    ``T`` exactly (the line's total is ``T`` by definition, not by the arithmetic of the
    shares). Otherwise the line sums to ``to_fen(T × W)``, ``W`` the share within the
    horizon, scaled by the index.
    """
    volume = list(conversion_index)
    one = Decimal(1)
    value = [
        (price_index[t] if t < len(price_index) else one) * (volume[t] if t < len(volume) else one)
        for t in range(max(len(price_index), len(volume)))
    ]
    by_key = {line.key: line for line in lines}
    out: list[CashLine] = []
    if setup:
        out.append(
            CashLine(
                "setup",
                "初始投入",
                "Set-up investment",
                -1,
                _allocate(setup, *_weights_in([(one, 0)], [one], months), unmoved=True),
            )
        )
    cash_in = by_key["net_sales"]
    sales_shape, sales_moved = _indexed(shapes[SALES], value)
    weights, inside = _weights_in(timing.get("net_sales", ((one, 0),)), sales_shape, months)
    out.append(
        CashLine(
            cash_in.key,
            cash_in.zh,
            cash_in.en,
            1,
            _allocate(totals[cash_in.key], weights, inside, unmoved=not sales_moved),
        )
    )
    for line in lines:
        if line.kind != "deduction" or line.key == "refunds":
            continue  # refunds are already out of net sales: cash in is net of them
        shape: Sequence[Decimal]
        moves: Timing
        moved = False
        if line.section == "acquisition":
            shape, moves = list(acquisition), ((one, 0),)
        elif line.section in ("marketing", "fixed"):
            shape, moves = list(overheads), ((one, 0),)
        else:
            index = volume if line.key in ("cogs", "fulfilment") else value
            shape, moved = _indexed(shapes.get(line.key, shapes[SALES]), index)
            moves = timing.get(line.key, ((one, 0),))
        weights, inside = _weights_in(moves, shape, months)
        out.append(
            CashLine(
                line.key,
                line.zh,
                line.en,
                -1,
                _allocate(totals[line.key], weights, inside, unmoved=not moved),
            )
        )
    return tuple(out)


def _indexed(shape: Sequence[Decimal], index: Sequence[Decimal]) -> tuple[list[Decimal], bool]:
    """A month shape scaled by a monthly index (1 past its end); and whether it moved."""
    scaled = [w * (index[t] if t < len(index) else 1) for t, w in enumerate(shape)]
    return scaled, any(w != 0 and index[t] != 1 for t, w in enumerate(shape[: len(index)]))


def _weights_in(
    moves: Sequence[tuple[Decimal, int]], shape: Sequence[Decimal], months: int
) -> tuple[list[Decimal], bool]:
    """A line's share of cash in each month of the horizon; and whether all of it falls there."""
    cells = [Decimal(0)] * months
    inside = True
    for share, lag in moves:
        for t, weight in enumerate(shape):
            if t + lag < months:
                cells[t + lag] += share * weight
            elif share and weight:
                inside = False
    return cells, inside


_NO_CASH = Decimal("0.00")


def _allocate(
    amount: Decimal, weights: Sequence[Decimal], inside: bool, *, unmoved: bool
) -> tuple[Decimal, ...]:
    """Lay a whole-fen amount over months in proportion to ``weights``, by cumulative rounding.

    With every share inside the horizon and no index (``inside`` and ``unmoved``) the months
    sum to ``amount`` exactly; otherwise to ``to_fen(amount × sum(weights))``.

    Examples
    --------
    A hundred yuan over three equal months: the fen the thirds cannot share goes where the
    running total crosses it.

    >>> third = Decimal(1) / 3
    >>> _allocate(Decimal("100.00"), [third] * 3, True, unmoved=True)
    (Decimal('33.33'), Decimal('33.34'), Decimal('33.33'))
    """
    sign = -1 if amount < 0 else 1
    size = abs(amount)
    total = size if inside and unmoved else to_fen(size * sum(weights, Decimal(0)))
    cells: list[Decimal] = []
    placed = _NO_CASH
    running = Decimal(0)
    last = None
    for month, weight in enumerate(weights):
        if weight == 0:
            cells.append(_NO_CASH)
            continue
        running += weight
        reached = min(to_fen(size * running), total)
        cells.append(sign * (reached - placed))
        placed, last = reached, month
    if placed != total:
        # the shares' own rounding (1/3 + 1/3 + 1/3 is 0.999… in Decimal) leaves at most a
        # fen; the line's last month of cash takes it, so that the line sums to its total
        where = 0 if last is None else last
        cells[where] += sign * (total - placed)
    return tuple(cells)


__all__ = [
    "MAX_INDEX",
    "MAX_MONTHS",
    "MAX_SETUP",
    "MAX_SPAN",
    "MAX_WEIGHT",
    "CashFlows",
    "CashLine",
    "ScheduleInputs",
    "check_horizon",
    "cohort_shape",
    "life_profile",
    "mixture",
    "model_cash_flows",
    "months_of",
    "read_inputs",
    "schedule",
]
