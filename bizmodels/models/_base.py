"""`BusinessModel`: the base every private-domain model declares itself on.

A model states its parameters (typed pydantic fields), its customer segments (each an input
of the GMV engine) and its cost lines; the base derives the rest: the exact lifetime
waterfall, the per-order waterfall, the vectorised sweep, and the checks that run before any
work. A model's declarations are plain arithmetic on ``self`` and ``self.market``, so the same
methods run on `Decimal` fields (exact) and on float64 arrays (sweeps).
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping, Sequence
from decimal import Decimal, localcontext
from typing import Any, ClassVar, NamedTuple

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, model_validator

from bizmodels import engine
from bizmodels._types import MAX_LINE, MONEY_CONTEXT, Periods, Yuan, param
from bizmodels.cashflow import CashFlows, Timing, model_cash_flows
from bizmodels.engine import Cost, PnLLine, Segment, SegmentResult
from bizmodels.market import Market
from bizmodels.waterfall import Line, Subtotal, Waterfall

MODELS: dict[str, type[BusinessModel]] = {}
"""Registry of the ten model classes of seed 000 by slug, in the seed's order."""

VARIANTS: dict[str, type[BusinessModel]] = {}
"""Registry of the other model classes (variants the presets of seeds 001-004 build on)."""


class DuplicateModelError(ValueError):
    """Raised when two model classes claim the same slug."""


class CheckFailed(ValueError):
    """A cross-field check that failed; ``fields`` names the fields it involves."""

    def __init__(self, message: str, fields: tuple[str, ...]) -> None:
        super().__init__(message)
        self.fields = fields


class Check(NamedTuple):
    """A condition a model's values must meet; ``ok`` is a bool or a boolean array."""

    fields: tuple[str, ...]
    message: str
    ok: Any


class BusinessModel(BaseModel):
    """A private-domain business model: parameters, customer segments and cost lines.

    Subclasses set the class variables ``key`` (the slug), ``name_zh``, ``name_en`` and
    ``seed``, declare their fields, and implement `segments` (and, as needed,
    `channel_costs`, `acquisition_costs`, `checks`). Every model also has the fields below.

    Attributes
    ----------
    market : Market
        The shared assumptions (customers, price, unit cost, VAT, refunds, fees).
    lifetime : Decimal
        Purchase periods (months) in a customer's life with the brand; also the horizon over
        which marketing and fixed costs are counted.
    acquisition_cost : Decimal
        Cost of winning one private-domain customer (or dealer), yuan.
    marketing_per_period, fixed_per_period : Decimal
        Marketing spend and fixed operating cost (team, systems) per period, yuan.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: ClassVar[str]
    name_zh: ClassVar[str]
    name_en: ClassVar[str]
    seed: ClassVar[str] = "000"
    listed: ClassVar[bool] = True
    """True for the ten models of seed 000 (`MODELS`); False for variants (`VARIANTS`)."""
    goods_below_cost_allowed: ClassVar[bool] = False

    market: Market = Field(default_factory=Market, description="The shared market assumptions.")
    lifetime: Periods = param(
        Decimal(12),
        "Purchase periods (months) in a customer's life with the brand (总生命周期); also the "
        "horizon of marketing and fixed costs.",
        "assumption",
    )
    acquisition_cost: Yuan = param(
        Decimal(20), "Cost of winning one private-domain customer (获客成本), yuan.", "assumption"
    )
    marketing_per_period: Yuan = param(
        Decimal(5_000), "Marketing spend per period (营销费用), yuan.", "assumption"
    )
    fixed_per_period: Yuan = param(
        Decimal(20_000), "Fixed operating cost per period (固定运营成本), yuan.", "assumption"
    )

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        key = cls.__dict__.get("key")
        if key is None:
            return
        taken = MODELS.get(key) or VARIANTS.get(key)
        if taken is not None:
            raise DuplicateModelError(
                f"model key {key!r} is taken by {taken.__name__}; {cls.__name__} needs another"
            )
        (MODELS if cls.__dict__.get("listed", True) else VARIANTS)[key] = cls

    # -- declarations (subclasses) ------------------------------------------------------

    def segments(self) -> list[Segment]:
        """The customer segments, each an input of the GMV engine."""
        raise NotImplementedError

    def channel_costs(self, results: Mapping[str, SegmentResult]) -> list[Cost]:
        """The model's channel payouts (commissions, fees, rebates), itemized."""
        return []

    def acquisition_costs(self, customers: Any) -> list[Cost]:
        """Costs of winning the customers: ``customers × acquisition_cost`` by default."""
        return [
            Cost(
                "acquisition",
                "获客成本",
                "Customer acquisition",
                customers * self.acquisition_cost,
                "acquisition",
            )
        ]

    def overhead_costs(self) -> list[Cost]:
        """Marketing and fixed operating costs over the lifetime."""
        return [
            Cost(
                "marketing",
                "营销费用",
                "Marketing",
                self.marketing_per_period * self.lifetime,
                "marketing",
            ),
            Cost(
                "fixed_costs",
                "固定运营成本",
                "Fixed operating costs",
                self.fixed_per_period * self.lifetime,
                "fixed",
            ),
        ]

    def checks(self) -> list[Check]:
        """Conditions across fields; the base forbids goods costing more than their price."""
        if self.goods_below_cost_allowed:
            return []
        m = self.market
        return [
            Check(
                ("market.unit_cost", "market.price"),
                "unit cost above price",
                m.unit_cost <= m.price,
            )
        ]

    # -- derived -------------------------------------------------------------------------

    @model_validator(mode="after")
    def _run_checks(self) -> BusinessModel:
        # a model class not (yet) registered has no key: its class name stands for it
        key = getattr(type(self), "key", type(self).__name__)
        with localcontext(MONEY_CONTEXT):
            for check in self.checks():
                if not check.ok:
                    values = ", ".join(f"{f} = {_lookup(self, f)}" for f in check.fields)
                    raise CheckFailed(f"{key}: {check.message} ({values})", check.fields)
        # every field is within its bounds, but their product may not be: refuse a line
        # too large for 28 digits to hold to the fen here, before anyone reads a number
        check_lines(key, self.pnl_lines(), "")
        return self

    def pnl_lines(self) -> list[PnLLine]:
        """The exact P&L lines (`Decimal`, unrounded), from GMV to operating profit.

        Computed in `bizmodels._types.MONEY_CONTEXT` (28 significant digits), whatever the
        caller's decimal context; every line is at most `bizmodels._types.MAX_LINE` yuan.
        """
        with localcontext(MONEY_CONTEXT):
            return _evaluate(self)

    def customers(self) -> Decimal:
        """Distinct private-domain customers (or dealers) the model wins."""
        with localcontext(MONEY_CONTEXT):
            return _as_decimal(engine.total(s.customers for s in self.segments() if s.distinct))

    def orders(self) -> Decimal:
        """Orders of goods over the lifetime, all segments (fees are not orders)."""
        with localcontext(MONEY_CONTEXT):
            return _as_decimal(
                engine.total(
                    engine.segment_result(s, self.market.refund_rate).orders
                    for s in self.segments()
                    if not s.fee
                )
            )

    def gmv_by_segment(self) -> dict[str, Decimal]:
        """GMV of each segment, yuan, unrounded."""
        refund = self.market.refund_rate
        with localcontext(MONEY_CONTEXT):
            return {s.key: engine.segment_result(s, refund).gmv for s in self.segments()}

    def waterfall(self) -> Waterfall:
        """The lifetime P&L as an exact waterfall, GMV to operating profit."""
        return _waterfall(self.pnl_lines(), f"{self.key} lifetime P&L", divisor=None)

    def unit_waterfall(self) -> Waterfall:
        """The same P&L per order: each line divided by the orders, then rounded.

        Raises
        ------
        ValueError
            If the model has no orders, or so few that a line per order would exceed
            `bizmodels._types.MAX_LINE` yuan.
        """
        orders = self.orders()
        if orders == 0:
            raise ValueError(f"{self.key}: no orders, so there is no per-order waterfall")
        lines = self.pnl_lines()
        with localcontext(MONEY_CONTEXT):
            per_order = [line._replace(value=line.value / orders) for line in lines]
        check_lines(self.key, per_order, f" per order (over {orders:.3g} orders)")
        return _waterfall(per_order, f"{self.key} per order", divisor=None)

    def cash_timing(self, commission_lag: int, release_lag: int) -> dict[str, Timing]:
        """How each line's cash moves relative to its orders: ((share, lag in months), ...).

        By default every channel payout is paid ``commission_lag`` months after the order
        (commission settles after the return window). A model whose plan freezes part of a
        reward (帮扶基金) splits that line, the frozen share paid ``release_lag`` later.
        """
        return {
            line.key: ((Decimal(1), commission_lag),)
            for line in self.pnl_lines()
            if line.section == "channel"
        }

    def cash_flows(
        self,
        months: int | None = None,
        *,
        acquisition: Sequence[Any] = (1,),
        retention: Any = None,
        commission_lag: int = 1,
        vat_lag: int = 1,
        release_lag: int = 6,
        setup: Any = 0,
        price_index: Sequence[Any] = (),
        conversion_index: Sequence[Any] = (),
    ) -> CashFlows:
        """Monthly cash flows of the model's customers over their lifetime, in whole fen.

        Parameters
        ----------
        months : int, optional
            Horizon in months, 1 to `bizmodels.cashflow.MAX_MONTHS` (4,800); by default long
            enough for every order and lag, so that the lines sum back to the lifetime
            waterfall.
        acquisition : sequence of numbers
            Customers won per month, as weights from 0 to 10^15, at most 1,200 months
            (``[1]``: all in month 0;
            ``[1, 2, 1]``: a quarter, half, a quarter over three months). The count is the
            model's own; the schedule sets only when.
        retention : number, optional
            Monthly retention rate in (0, 1] shaping each cohort's orders over its life
            (more early, fewer late; seed 001 cites 百果园's monthly repurchase above 50%).
            The total stays the lifetime waterfall's: the curve moves orders in time.
        commission_lag : int
            Months between an order and the payment of its channel payouts (assumption: one
            settlement period). Every lag is 0 to 1,200 months.
        vat_lag : int
            Months between an order and the VAT remitted on it (assumption: monthly filing).
        release_lag : int
            For plans with a help fund (帮扶基金): months between a frozen reward and its
            release (assumption).
        setup : number
            One-off set-up investment in month 0, yuan in whole fen, up to 10^13 (not part of
            the lifetime P&L).
        price_index, conversion_index : sequence of numbers
            The price and the conversion per calendar month, as multipliers from 0 to 1,000
            of the model's values (``[1, 1, 0.9]``: a 10% price cut from month 2; months past
            the end keep 1). They change the totals: the lifetime waterfall assumes constant
            values.

        Returns
        -------
        CashFlows
            Net sales in and every cost out, per month, `Decimal` yuan in whole fen. Each
            line's months add up to its amount in `waterfall` exactly, to the fen, when the
            horizon holds all of the line's months and no index moves it; each month is
            within a fen of its exact share (cumulative rounding, see
            `bizmodels.cashflow.schedule`).

        Raises
        ------
        ValueError
            Naming the argument and the value: a horizon outside 1 to 4,800 months, a lag,
            a lifetime or an acquisition longer than 1,200 months; acquisition
            weights that are negative or all zero; a retention outside (0, 1]; a set-up not
            in whole fen; an index outside 0 to 1,000; a string, mapping, set or masked
            array where a sequence is expected.
        bizmodels._limits.SizeError
            (a ValueError) A horizon, lag, lifetime or acquisition beyond its maximum
            (``months=10**8``), or a schedule that would not fit in memory.

        Examples
        --------
        When is the money of a membership business in, month by month?

        >>> from bizmodels.models import TocMembership
        >>> model = TocMembership()
        >>> flows = model.cash_flows(acquisition=[1, 1, 1], retention=0.9)
        >>> flows.months
        15
        >>> flows.totals() == {k: v for k, v in model.waterfall().to_dict().items()
        ...                    if k in flows.totals()}
        True

        Customers won over three months, each buying over twelve, commissions and VAT a
        month late: fifteen months, and every line sums back to the lifetime waterfall.
        """
        return model_cash_flows(
            self,
            months=months,
            acquisition=acquisition,
            retention=retention,
            commission_lag=commission_lag,
            vat_lag=vat_lag,
            release_lag=release_lag,
            setup=setup,
            price_index=price_index,
            conversion_index=conversion_index,
        )

    def with_market(self, market: Market) -> BusinessModel:
        """The same model on another market, validated again."""
        return type(self)(**{**dict(self), "market": market})

    @classmethod
    def describe(cls) -> str:
        """The first paragraph of the class docstring."""
        doc = inspect.getdoc(cls) or ""
        return doc.split("\n\n")[0].replace("\n", " ")


def _lookup(model: Any, dotted: str) -> Any:
    value = model
    for part in dotted.split("."):
        value = getattr(value, part)
    return value


def _as_decimal(value: Any) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(value)


def _evaluate(values: Any) -> list[PnLLine]:
    """Run a model's declarations on ``values`` (the model itself, or a float view)."""
    segments = values.segments()
    market = values.market
    results = [engine.segment_result(s, market.refund_rate) for s in segments]
    by_key = {s.key: r for s, r in zip(segments, results, strict=True)}
    customers = engine.total(s.customers for s in segments if s.distinct)
    costs = [
        *values.channel_costs(by_key),
        *values.acquisition_costs(customers),
        *values.overhead_costs(),
    ]
    return engine.pnl(
        segments,
        results,
        costs,
        vat_rate=market.vat_rate,
        payment_fee_rate=market.payment_fee_rate,
    )


def check_lines(key: str, lines: Sequence[PnLLine], what: str) -> None:
    """Refuse lines above `bizmodels._types.MAX_LINE` yuan, naming the first one.

    Raises
    ------
    ValueError
        ``"toc_membership: GMV (gmv) comes to 1.2e+21 yuan, above the 1e+18 yuan ..."``.
    """
    for line in lines:
        value = line.value
        if isinstance(value, Decimal) and not abs(value) <= MAX_LINE:
            raise CheckFailed(
                f"{key}: {line.en} ({line.key}){what} comes to {value:.3e} yuan, above the "
                f"{MAX_LINE:.0e} yuan a waterfall holds exact to the fen (see Limits in the "
                "docs); lower the customers, periods, prices or counts that multiply into it",
                (),
            )


def _waterfall(lines: Sequence[PnLLine], title: str, divisor: Decimal | None) -> Waterfall:
    def amount(value: Decimal) -> Decimal:
        return value if divisor is None else value / divisor

    start, *rest = lines
    items: list[Line | Subtotal] = []
    for line in rest[:-1]:
        if line.kind == "deduction":
            items.append(
                Line(line.key, line.zh, line.en, amount(line.value), line.note, line.note_zh)
            )
        else:
            items.append(Subtotal(line.key, line.zh, line.en, line.note, line.note_zh))
    end = rest[-1]
    return Waterfall.build(
        Line(start.key, start.zh, start.en, amount(start.value), start.note),
        items,
        Subtotal(end.key, end.zh, end.en, end.note),
        title=title,
    )


def float_view(
    model: BaseModel, overrides: Mapping[str, Any], nested: Mapping[str, BaseModel] | None = None
) -> Any:
    """The same model with float (or float64 array) values, built without validation.

    Fields become floats, or the override arrays given (already validated by the caller);
    nested models (the market) are given as views of their own; other values (a plan) stay
    as they are. The view is an instance of the model's class, so its declarations (methods,
    properties, ``super()``) run on it exactly as written.
    """
    values = {name: _to_float(getattr(model, name)) for name in type(model).model_fields}
    values.update(nested or {})
    values.update(overrides)
    return type(model).model_construct(**values)


def _to_float(value: Any) -> Any:
    if isinstance(value, bool) or isinstance(value, BaseModel):
        return value
    if isinstance(value, (Decimal, int, float)):
        return float(value)
    if isinstance(value, tuple):
        return tuple(_to_float(v) for v in value)
    return value


def _views(
    model: BusinessModel, model_values: Mapping[str, Any], market_values: Mapping[str, Any]
) -> Any:
    market_view = float_view(model.market, market_values)
    return float_view(model, model_values, {"market": market_view})


def sweep_lines(
    model: BusinessModel, model_values: Mapping[str, Any], market_values: Mapping[str, Any]
) -> list[PnLLine]:
    """Evaluate a model's P&L on float views with overrides (already validated)."""
    return _evaluate(_views(model, model_values, market_values))


def run_checks_vectorised(
    model: BusinessModel, model_values: Mapping[str, Any], market_values: Mapping[str, Any]
) -> None:
    """Run a model's checks on float views; raise naming the first failing scenario."""
    view = _views(model, model_values, market_values)
    for check in view.checks():
        ok = np.asarray(check.ok)
        if not ok.all():
            index = int(np.argmax(~ok.ravel()))
            position = np.unravel_index(index, ok.shape) if ok.shape else ()
            values = ", ".join(
                f"{f} = {_at(_lookup(view, f), ok.shape, position)}" for f in check.fields
            )
            where = f" at index {', '.join(map(str, position))}" if ok.shape else ""
            raise ValueError(f"{model.key}: {check.message}{where} ({values})")


def _at(value: Any, shape: tuple[int, ...], position: tuple[Any, ...]) -> Any:
    if isinstance(value, np.ndarray):
        return float(np.broadcast_to(value, shape)[position])
    return value
