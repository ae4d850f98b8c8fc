"""`BusinessModel`: the contract every private-domain model declares itself on.

A model states its parameters (typed pydantic fields), its customer segments (each an input
of the GMV engine, `BusinessModel.segment`), its lines (commissions as data,
`bizmodels.engine.Commission`, and other costs), its checks and its compliance profile; the
base derives the rest: the exact lifetime waterfall, the per-order waterfall, the vectorised
sweep, cash flows, and the checks that run before any work (`bizmodels.models._derive`). A
model's declarations are plain arithmetic on ``self`` and ``self.market``, so the same methods
run on `Decimal` fields (exact) and on float64 arrays (sweeps).
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping, Sequence
from decimal import Decimal, localcontext
from typing import Any, ClassVar, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bizmodels import engine
from bizmodels._compliance_profile import NEUTRAL_PROFILE, ComplianceProfile
from bizmodels._types import MONEY_CONTEXT, Customers, Periods, Rate, Yuan, param
from bizmodels.cashflow import CashFlows, MemoLine, Timing, model_cash_flows
from bizmodels.engine import Commission, Cost, PnLLine, Segment, SegmentResult
from bizmodels.market import Market
from bizmodels.models import _derive
from bizmodels.models._derive import (  # the derivations lived here: importable from here
    CheckFailed,
    check_lines,
    float_view,
    run_checks_vectorised,
    sweep_lines,
)
from bizmodels.models._derive import evaluate as _evaluate  # noqa: F401  (tests read it)
from bizmodels.retention import RetentionCurve, expected_periods
from bizmodels.waterfall import Waterfall

_DEFAULT_RETENTION = Decimal("0.92")
_RETENTION_SOURCE = (
    "assumption: 0.92^12 = 37% of a cohort still buying after a year, inside the 0-40% "
    "annual repurchase where Croll & Yoskovitz (Lean Analytics, 2013) place about 70% of "
    "e-commerce sites; docs: Are the defaults sensible?"
)
_CAC_SOURCE = (
    "assumption: between the few yuan an added follower costs and the USD 10-20 (about "
    "70-140 yuan) GGV Capital gives for winning an e-commerce customer; docs: Are the "
    "defaults sensible?"
)

MODELS: dict[str, type[BusinessModel]] = {}
"""Registry of the ten model classes of seed 000 by slug, in the seed's order."""

VARIANTS: dict[str, type[BusinessModel]] = {}
"""Registry of the other model classes (variants the presets of the seeds build on)."""


class DuplicateModelError(ValueError):
    """Raised when two different model classes claim the same slug."""


def _redefinition(old: type, new: type) -> bool:
    return old.__module__ == new.__module__ and old.__qualname__ == new.__qualname__


class Check(NamedTuple):
    """A condition a model's values must meet; ``ok`` is a bool or a boolean array."""

    fields: tuple[str, ...]
    message: str
    ok: Any


class BusinessModel(BaseModel):
    """A private-domain business model: parameters, customer segments and cost lines.

    Subclasses set the class variables ``key`` (the slug), ``name_zh``, ``name_en`` and
    ``seed``, declare their fields, and implement `segments` (and, as needed,
    `channel_costs`, `acquisition_costs`, `overhead_costs`, `checks`,
    `compliance_profile`). Every model also has the fields below.

    Attributes
    ----------
    market : Market
        The shared assumptions (customers, price, unit cost, VAT, refunds, fees).
    lifetime : Decimal
        The horizon, in periods (months): how long a customer could buy from the brand, and
        the periods over which marketing and fixed costs are counted.
    retention : Decimal
        Monthly retention rate: the share of the customers active in a month who are still
        active the next (geometric curve ``S(t) = retention**t``; 1: nobody leaves).
    retention_curve : tuple of Decimal, optional
        A per-month curve ``S(0) = 1, S(1), …`` (from a fit) replacing the geometric one,
        continued at ``retention`` past its end. The engine's lifetime (总生命周期) is the
        expected active periods within the horizon, `active_periods`.
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
        "Horizon in periods (months): how long a customer could buy from the brand; also the "
        "horizon of marketing and fixed costs. The GMV formula's lifetime (总生命周期) is the "
        "expected active periods within it under the retention curve.",
        "assumption",
    )
    retention: Rate = param(
        _DEFAULT_RETENTION,
        "Monthly retention (留存率): share of the customers active in a period who are still "
        "active in the next; 1 means nobody leaves.",
        _RETENTION_SOURCE,
    )
    retention_curve: RetentionCurve = param(
        None,
        "Per-period retention curve S(0) = 1, S(1), ... (a fitted one), replacing the "
        "geometric curve; continued at `retention` per period past its end.",
        "assumption: no fitted curve, the geometric one",
    )
    acquisition_cost: Yuan = param(
        Decimal(50), "Cost of winning one private-domain customer (获客成本), yuan.", _CAC_SOURCE
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
        if taken is not None and _redefinition(taken, cls):
            # the same class defined again (a notebook cell run twice, a docs page rebuilt):
            # the new definition replaces the old one
            MODELS.pop(key, None)
            VARIANTS.pop(key, None)
        elif taken is not None:
            raise DuplicateModelError(
                f"model key {key!r} is taken by {taken.__name__}; {cls.__name__} needs another"
            )
        (MODELS if cls.__dict__.get("listed", True) else VARIANTS)[key] = cls

    # -- declarations (subclasses) ------------------------------------------------------

    def segments(self) -> list[Segment]:
        """The customer segments, each an input of the GMV engine (see `segment`)."""
        raise NotImplementedError

    def segment(
        self,
        key: str,
        zh: str,
        en: str,
        *,
        customers: Any,
        conversion: Any,
        lifetime: Any = None,
        unit_price: Any = None,
        unit_cost: Any = None,
        fulfilment_cost: Any = None,
        distinct: bool = True,
        fee: bool = False,
        retention: Any = None,
        start: Any = 0,
        every: int = 1,
        vat: str = "goods",
    ) -> Segment:
        """A segment of this model: what differs from the market is said by keyword.

        Parameters
        ----------
        key, zh, en : str
            Identifier and labels (``"members"``, ``"付费会员"``, ``"Paid members"``).
        customers : Decimal or array
            People in the segment.
        conversion : Decimal or array
            Share of them who buy in a period (1 with ``lifetime=1``: one order each).
        lifetime : Decimal or array, optional
            Periods they buy over; the model's ``lifetime`` when omitted.
        unit_price, unit_cost, fulfilment_cost : Decimal or array, optional
            Price, cost of goods and fulfilment per order, yuan; the market's ``price``,
            ``unit_cost`` and ``fulfilment_cost`` when omitted (say 0 for the goods of a fee
            or a service, and for the fulfilment of what is not shipped).
        distinct, fee : bool
            As in `bizmodels.engine.Segment`: new people or people counted in another
            segment; a fee rather than orders of goods.
        retention : Decimal or array, optional
            The segment's monthly retention rate; the model's curve (``retention`` and
            ``retention_curve``) when omitted; 1 for customers who do not leave.
        start, every : int
            Months after a customer is won of the segment's first period (1 for repeat
            orders after a first one), and months between its periods (12 for a yearly
            fee, whose ``lifetime`` is then in years).
        vat : {"goods", "service"}
            What the segment sells, for its VAT rate (a membership fee, commission income:
            "service").

        Examples
        --------
        >>> from bizmodels.models import TocMembership
        >>> buyers = TocMembership().segment("buyers", "顾客", "Buyers", customers=100,
        ...                                  conversion=Decimal("0.2"))
        >>> buyers.lifetime, buyers.unit_price, buyers.unit_cost, buyers.fulfilment_cost
        (Decimal('12'), Decimal('199'), Decimal('60'), Decimal('12'))
        """
        m = self.market
        own = retention is None
        return Segment(
            key,
            zh,
            en,
            customers,
            self.lifetime if lifetime is None else lifetime,
            conversion,
            m.price if unit_price is None else unit_price,
            m.unit_cost if unit_cost is None else unit_cost,
            m.fulfilment_cost if fulfilment_cost is None else fulfilment_cost,
            distinct,
            fee,
            self.retention if own else retention,
            self.retention_curve if own else None,
            start,
            every,
            vat,  # type: ignore[arg-type]  # refused by the engine unless goods or service
        )

    def active_periods(self, lifetime: Any = None) -> Any:
        """Expected periods a customer is active within the horizon (seed 004's 总生命周期).

        The sum of the model's retention curve over ``lifetime`` periods (the model's
        horizon when omitted): what a cost per active customer per period is multiplied by.

        Examples
        --------
        >>> from bizmodels.models import TocMembership
        >>> TocMembership(lifetime=3, retention=Decimal("0.5")).active_periods()
        Decimal('1.750')
        """
        horizon = self.lifetime if lifetime is None else lifetime
        return expected_periods(horizon, self.retention, self.retention_curve)

    def new_customers(self, customers: Any) -> Any:
        """The customers won during the horizon, of the model's ``customers``: all of them.

        Acquisition is charged on these only (`PoolModel` keeps its existing customers out).
        """
        return customers

    def memo_flows(self, flows: Mapping[str, Sequence[Any]]) -> list[MemoLine]:
        """Monthly figures laid beside the cash flows that are not the brand's cash.

        ``flows`` maps each cash-flow line's key to its monthly amounts (whole-fen `Decimal`,
        cash out positive). A model whose dealers hold stock returns the stock held by the
        channel here; by default there is none.
        """
        return []

    def entry_packages(
        self,
        dealers: Any,
        price: Any,
        cost: Any,
        zh: str = "报单产品",
        en: str = "Entry packages",
    ) -> Segment:
        """The segment ``"entry_packages"``: one entry package (报单产品) per new dealer.

        Each dealer buys it once (one period, every dealer) at ``price`` with goods costing
        ``cost``, shipped at the market's fulfilment cost.
        """
        return self.segment(
            "entry_packages",
            zh,
            en,
            customers=dealers,
            lifetime=1,
            conversion=1,
            unit_price=price,
            unit_cost=cost,
        )

    def channel_costs(self, results: Mapping[str, SegmentResult]) -> list[Cost | Commission]:
        """The model's channel payouts (commissions, fees, rebates), itemized, in order.

        A commission on a segment's net sales is declared as a `bizmodels.engine.Commission`
        (the engine prices it); any other line as a `bizmodels.engine.Cost`, its amount
        computed from ``results`` (each segment's `bizmodels.engine.SegmentResult`, by key)
        where it depends on them.
        """
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

    def price_check(self, discount: str, price: str) -> Check:
        """The check that goods sold at ``market.price × (1 − discount)`` cover their cost.

        ``discount`` names the field (``"price_differential"``), ``price`` the price it
        gives (``"wholesale price"``, refused as ``"wholesale price below unit cost"``).
        """
        m = self.market
        return Check(
            (discount, "market.price", "market.unit_cost"),
            f"{price} below unit cost",
            m.price * (1 - getattr(self, discount)) >= m.unit_cost,
        )

    def first_order_check(self) -> Check:
        """The check of a model whose customers buy once in their first period, then repeat.

        Its lifetime must hold that first period: ``lifetime ≥ 1``.
        """
        return Check(
            ("lifetime",), "lifetime shorter than the first order's period", self.lifetime >= 1
        )

    def compliance_profile(self) -> ComplianceProfile:
        """What the compliance checks of `bizmodels.compliance` read of the model's pay plan.

        A model that pays anyone (a commission, a reward for recruiting, a fee for the right
        to earn) states it here, with one evidence sentence per feature naming its
        parameters. By default `bizmodels._compliance_profile.NEUTRAL_PROFILE`: no fee, no
        reward for recruiting, no pay on anyone's sales, and findings that say nothing was
        declared.
        """
        return NEUTRAL_PROFILE

    # -- derived -------------------------------------------------------------------------

    @model_validator(mode="after")
    def _run_checks(self) -> BusinessModel:
        with localcontext(MONEY_CONTEXT):
            _derive.run_checks(self)
        return self

    def pnl_lines(self) -> list[PnLLine]:
        """The exact P&L lines (`Decimal`, unrounded), from GMV to operating profit.

        Computed in `bizmodels._types.MONEY_CONTEXT` (28 significant digits), whatever the
        caller's decimal context; every line is at most `bizmodels._types.MAX_LINE` yuan.
        """
        with localcontext(MONEY_CONTEXT):
            return _derive.evaluate(self)

    def customers(self) -> Decimal:
        """Distinct private-domain customers (or dealers) the model wins."""
        with localcontext(MONEY_CONTEXT):
            return _derive.customers(self)

    def orders(self) -> Decimal:
        """Orders of goods over the lifetime, all segments (fees are not orders)."""
        with localcontext(MONEY_CONTEXT):
            return _derive.orders(self)

    def gmv_by_segment(self) -> dict[str, Decimal]:
        """GMV of each segment, yuan, unrounded."""
        with localcontext(MONEY_CONTEXT):
            return _derive.gmv_by_segment(self)

    def waterfall(self) -> Waterfall:
        """The lifetime P&L as an exact waterfall, GMV to operating profit."""
        return _derive.waterfall_of(self.pnl_lines(), f"{self.key} lifetime P&L")

    def unit_waterfall(self) -> Waterfall:
        """The same P&L per order: each line divided by the orders, then rounded.

        Raises
        ------
        ValueError
            If the model has no orders, or so few that a line per order would exceed
            `bizmodels._types.MAX_LINE` yuan.
        """
        with localcontext(MONEY_CONTEXT):
            per_order = _derive.per_order_lines(self)
        return _derive.waterfall_of(per_order, f"{self.key} per order")

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
            The cash flows of the same model built with this monthly retention rate (0 to
            1) instead of its own curve; its waterfall changes with it. By default each
            cohort's orders follow the model's own curve (``retention`` and
            ``retention_curve``): the same terms its lifetime waterfall sums, so the two
            agree to the fen.
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
            a lifetime or an acquisition longer than 1,200 months; acquisition weights that
            are negative or all zero; a set-up not in whole fen; an index outside 0 to
            1,000; a string, mapping, set or masked array where a sequence is expected.
        pydantic.ValidationError
            A retention outside 0 to 1 (the model built with it refuses it).
        bizmodels._limits.SizeError
            (a ValueError) A horizon, lag, lifetime or acquisition beyond its maximum
            (``months=10**8``), or a schedule that would not fit in memory.

        Examples
        --------
        When is the money of a membership business in, month by month?

        >>> from bizmodels.models import TocMembership
        >>> model = TocMembership(retention=Decimal("0.9"))
        >>> flows = model.cash_flows(acquisition=[1, 1, 1])
        >>> flows.months
        15
        >>> flows.totals() == {k: v for k, v in model.waterfall().to_dict().items()
        ...                    if k in flows.totals()}
        True

        Customers won over three months, each buying over twelve, commissions and VAT a
        month late: fifteen months, and every line sums back to the lifetime waterfall.
        """
        model = self
        if retention is not None:
            # the curve is the model's: the same model with this retention, validated again,
            # so that its waterfall and its cash flows still come from one curve
            model = type(self)(**{**dict(self), "retention": retention, "retention_curve": None})
        return model_cash_flows(
            model,
            months=months,
            acquisition=acquisition,
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


def dealer_acquisition_cost() -> Any:
    """The ``acquisition_cost`` field of a model whose customers are dealers or agents.

    Recruiting a dealer (招商) costs more than winning a consumer: samples, a briefing, the
    recruiter's time. The rewards a plan pays for recruiting are lines of their own.
    """
    return param(
        Decimal(200),
        "Cost of recruiting one dealer or agent (招商成本: samples, briefings, the recruiter's "
        "time; rewards the plan pays for recruiting are their own lines), yuan.",
        "assumption: four times the 50 yuan of winning a consumer, for a sale made face to "
        "face; no published figure was found",
    )


class PoolModel(BusinessModel):
    """A model selling to its own private pool: ``reach`` of the market's customers.

    The shared start of models whose customers are won into the brand's private domain
    (私域) and buy at a ``conversion`` per period: `pool` is seed 004's 私有域客户数量, the
    new customers won (``market.customers × reach``, each charged acquisition) and the
    active customers the pool already holds (``existing_customers``, charged none).
    """

    reach: Rate = param(
        Decimal("0.30"),
        "Share of the market's customers won into the private pool during the horizon (new "
        "customers, each charged acquisition).",
        "assumption",
    )
    existing_customers: Customers = param(
        Decimal(0),
        "Customers already active in the private pool at the start (存量活跃客户), people: "
        "they buy like the new ones and cost no acquisition. Not the cumulative count of "
        "everyone ever registered (累计会员), most of whom no longer buy.",
        "assumption: a new private pool",
    )
    conversion: Rate = param(
        Decimal("0.20"),
        "Share of private-domain customers who buy in a period (转化率).",
        "assumption",
    )

    def pool(self) -> Any:
        """Private-domain customers: ``market.customers × reach + existing_customers``."""
        return self.market.customers * self.reach + self.existing_customers

    def new_customers(self, customers: Any) -> Any:
        """Customers won during the horizon: the model's customers less the existing ones."""
        return customers - self.existing_customers

    def checks(self) -> list[Check]:
        """The base's checks, and existing customers within the model's customers."""
        counted = engine.total(s.customers for s in self.segments() if s.distinct)
        return [
            *super().checks(),
            Check(
                ("existing_customers",),
                "existing customers exceed the customers the model counts",
                self.existing_customers <= counted,
            ),
        ]


__all__ = [
    "MODELS",
    "VARIANTS",
    "BusinessModel",
    "Check",
    "CheckFailed",
    "DuplicateModelError",
    "PoolModel",
    "check_lines",
    "dealer_acquisition_cost",
    "float_view",
    "run_checks_vectorised",
    "sweep_lines",
]
