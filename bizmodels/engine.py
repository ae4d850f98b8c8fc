"""The common GMV engine (seed 004): 私域GMV = 客户数量 × 总生命周期 × 转化率 × 客单价.

Every formula here is written once, with plain ``+ - * /`` and no literals but integers, so
that the same function gives an exact `Decimal` for `Decimal` inputs and broadcasts over
numpy float64 arrays for sweeps. Rounding to the fen happens only in `bizmodels.Waterfall`.

What a model declares is data here: its segments (`Segment`), its commissions
(`Commission`: a rate of a segment's net sales, priced by `commission_cost`) and its other
cost lines (`Cost`); `pnl` turns them into the P&L. The engine knows no model.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, localcontext
from typing import Any, Literal, NamedTuple, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from bizmodels._types import MONEY_CONTEXT, Amount, Customers, Periods, Rate
from bizmodels._validation import check_values
from bizmodels.retention import expected_periods
from bizmodels.tax import Tax, vat_included

N = TypeVar("N")


class GMVInputs(BaseModel):
    """The four inputs of the GMV formula for one scenario (seed 004).

    Attributes
    ----------
    customers : Decimal
        Private-domain customers (客户数量), people.
    lifetime : Decimal
        Purchase periods in a customer's life with the brand (总生命周期), periods.
    conversion : Decimal
        Share of customers who buy in a period (转化率), 0 to 1.
    unit_price : Decimal
        Average order value (客单价), yuan per order.

    Examples
    --------
    >>> GMVInputs(customers=1000, lifetime=12, conversion=0.3, unit_price=199).gmv()
    GMV(gmv=Decimal('716400.0'), orders=Decimal('3600.0'))
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    customers: Customers = Field(description="Private-domain customers (客户数量), people.")
    lifetime: Periods = Field(description="Purchase periods in a customer's life (总生命周期).")
    conversion: Rate = Field(description="Share of customers who buy in a period (转化率).")
    unit_price: Amount = Field(description="Average order value (客单价), yuan per order.")

    def gmv(self) -> GMV:
        """Evaluate the GMV formula exactly for these inputs (in `MONEY_CONTEXT`)."""
        with localcontext(MONEY_CONTEXT):
            return gmv_formula(self.customers, self.lifetime, self.conversion, self.unit_price)


class GMV(NamedTuple):
    """GMV and the order count behind it (orders = customers × lifetime × conversion)."""

    gmv: Any
    orders: Any


def gmv_formula(customers: N, lifetime: N, conversion: N, unit_price: N) -> GMV:
    """Evaluate the GMV formula without checks; the one place its arithmetic lives."""
    orders = customers * lifetime * conversion  # type: ignore[operator]
    return GMV(gmv=orders * unit_price, orders=orders)


def gmv(customers: Any, lifetime: Any, conversion: Any, unit_price: Any) -> GMV:
    """Private-domain GMV and orders: customers × lifetime × conversion × unit price.

    Parameters
    ----------
    customers : Decimal, int, float, str or float64 array_like
        Private-domain customers (客户数量), people; ≥ 0.
    lifetime : same
        Purchase periods in a customer's life with the brand (总生命周期); ≥ 0.
    conversion : same
        Share of customers who buy in a period (转化率); in [0, 1].
    unit_price : same
        Average order value (客单价), yuan per order; ≥ 0.

    Returns
    -------
    GMV
        ``(gmv, orders)``. Scalars give exact `Decimal` results (floats are read by their
        shortest repr, so ``0.3`` is three tenths). If any input is an array, every input
        is taken as float64 and the result broadcasts: a million scenarios are one call.

    Raises
    ------
    pydantic.ValidationError
        A scalar that is negative, not finite, not a number, above its limit (customers
        10^10, lifetime 1200 periods, unit price 10^10 yuan: `bizmodels._types`), or a
        conversion outside [0, 1].
    ValueError
        The same for an array, naming the field and the index of the first bad element.

    Notes
    -----
    GMV = customers × lifetime × conversion × unit_price, before refunds (seed 004:
    私域GMV=私有域客户数量x总生命周期时间x转化率x客户单价). orders = customers × lifetime ×
    conversion.

    Examples
    --------
    How much does a pool of 1,000 customers buy over 12 months, if 30% buy each month at
    199 yuan?

    >>> import bizmodels as bm
    >>> bm.gmv(customers=1000, lifetime=12, conversion=0.3, unit_price=199)
    GMV(gmv=Decimal('716400.0'), orders=Decimal('3600.0'))

    716,400 yuan from 3,600 orders. The same call sweeps arrays:

    >>> import numpy as np
    >>> bm.gmv(customers=np.array([1000, 2000]), lifetime=12, conversion=0.3, unit_price=199).gmv
    array([ 716400., 1432800.])
    """
    values = check_values(
        GMVInputs,
        {
            "customers": customers,
            "lifetime": lifetime,
            "conversion": conversion,
            "unit_price": unit_price,
        },
    )
    with localcontext(MONEY_CONTEXT):
        return gmv_formula(**values)


class Segment(NamedTuple):
    """A group of buyers the GMV formula applies to, as a model declares it.

    Every amount may be a `Decimal` or a float64 array; all of one segment are of one kind.
    A model builds its segments with `bizmodels.models.BusinessModel.segment`, which takes
    the model's lifetime and the market's price and costs for what it does not say.

    Attributes
    ----------
    key, zh, en : str
        Identifier and labels (``"members"``, ``"付费会员"``, ``"Paid members"``).
    customers, conversion, unit_price
        Three GMV inputs (people; share of active customers buying per period; yuan per
        order).
    lifetime
        The horizon, in the segment's own periods: how long a customer could buy. The GMV
        formula's lifetime (总生命周期) is the expected active periods within it under the
        retention curve (`periods`).
    unit_cost : Decimal or array
        Cost of goods per order, yuan (0 for a fee or a service).
    fulfilment_cost : Decimal or array
        Picking, packing and delivery per order shipped, yuan (0 if nothing ships).
    distinct : bool
        Whether the segment's customers are new people (counted in the customer total
        behind LTV and CAC) or people already counted in another segment.
    fee : bool
        Whether the segment sells a fee (membership, a service) rather than orders of goods:
        fees are not counted as orders in per-order figures.
    retention : Decimal or array
        Monthly retention rate of its customers (1: nobody leaves), `bizmodels.retention`.
    curve : tuple, optional
        A per-month retention curve replacing the geometric one, continued at ``retention``.
    start, every : int
        Months after a customer is won of the segment's first period, and months between
        its periods (12 for a yearly fee).
    vat : {"goods", "service"}
        What the segment sells, for VAT (`bizmodels.tax.Tax.vat_rate`).
    """

    key: str
    zh: str
    en: str
    customers: Any
    lifetime: Any
    conversion: Any
    unit_price: Any
    unit_cost: Any
    fulfilment_cost: Any
    distinct: bool = True
    fee: bool = False
    retention: Any = 1
    curve: tuple[Any, ...] | None = None
    start: Any = 0
    every: int = 1
    vat: Literal["goods", "service"] = "goods"

    def periods(self) -> Any:
        """Expected active periods of a customer within the horizon (seed 004's lifetime)."""
        return expected_periods(
            self.lifetime, self.retention, self.curve, start=self.start, every=self.every
        )


class SegmentResult(NamedTuple):
    """What one segment yields: GMV, orders, refunds and what is left after them."""

    gmv: Any
    orders: Any
    refunds: Any
    net_sales: Any
    net_orders: Any


Section = Literal["channel", "fulfilment", "acquisition", "marketing", "fixed"]


class Cost(NamedTuple):
    """A cost line a model declares: a channel payout or an overhead.

    ``section`` places it in the P&L: ``"channel"`` between gross profit and payment and
    fulfilment; ``"acquisition"``, ``"marketing"`` and ``"fixed"`` below the contribution
    margin (acquisition lines make up CAC). ``follows`` names the segment whose orders the
    line is paid on, for its timing in cash flows (by default, all sales).
    """

    key: str
    zh: str
    en: str
    amount: Any
    section: Section = "channel"
    note: str = ""
    follows: str | None = None
    note_zh: str = ""


class Commission(NamedTuple):
    """A commission a model declares as data: ``rate`` of the net sales of segment ``on``.

    The engine prices it (`commission_cost`) into a channel `Cost` of
    ``net sales × share × rate × (1 − in_kind_share + in_kind_share × in_kind_cost)``,
    one formula for `Decimal` amounts and float64 arrays (`commission_amount`).

    Attributes
    ----------
    key, zh, en : str
        Identifier and labels of the line (``"level1_commission"``, ``"一级分佣"``, …).
    rate : Decimal or array
        Commission as a share of the net sales it is paid on (0.1 is 10%).
    on : str or tuple of str
        The segment (or segments, their net sales added) whose net sales it is paid on.
    share : Decimal or array, optional
        Share of those net sales that pay it (the referred orders with a level-2
        referrer, the orders through a shared coupon); all of them when omitted.
    in_kind_share : Decimal or array, optional
        Share of the commission's value paid in kind (旅游、产品兑换) rather than cash;
        none when omitted.
    in_kind_cost : Decimal or array, optional
        What one yuan of value paid in kind costs the brand, yuan per yuan; given with
        ``in_kind_share``.
    follows, note, note_zh
        As for `Cost`: the segment whose orders the line's cash follows (by default, all
        sales), and notes shown with the line.
    """

    key: str
    zh: str
    en: str
    rate: Any
    on: str | tuple[str, ...]
    share: Any = None
    in_kind_share: Any = None
    in_kind_cost: Any = None
    follows: str | None = None
    note: str = ""
    note_zh: str = ""


class PnLLine(NamedTuple):
    """One line of a P&L: its key, labels, kind and value (`Decimal` or float64 array)."""

    key: str
    zh: str
    en: str
    kind: Literal["start", "deduction", "subtotal", "end"]
    value: Any
    section: str = ""
    note: str = ""
    follows: str | None = None
    note_zh: str = ""


def segment_result(segment: Segment, refund_rate: Any) -> SegmentResult:
    """GMV, orders and refunds of one segment; refunds take the same share of orders.

    The lifetime of the GMV formula is the segment's expected active periods under its
    retention curve (`Segment.periods`), so a decaying curve lowers GMV, orders and every
    line that follows them.
    """
    gross = gmv_formula(
        segment.customers, segment.periods(), segment.conversion, segment.unit_price
    )
    refunds = gross.gmv * refund_rate
    return SegmentResult(
        gmv=gross.gmv,
        orders=gross.orders,
        refunds=refunds,
        net_sales=gross.gmv - refunds,
        net_orders=gross.orders - gross.orders * refund_rate,
    )


def total(values: Iterable[Any]) -> Any:
    """Sum Decimals or arrays alike (an empty sum is the integer 0)."""
    return sum(values, 0)


def commission_amount(
    net_sales: Any,
    rate: Any,
    share: Any = None,
    in_kind_share: Any = None,
    in_kind_cost: Any = None,
) -> Any:
    """What a commission costs the brand: net sales × share × rate × cost of a yuan paid.

    Parameters
    ----------
    net_sales : Decimal or float64 array
        Net sales the commission is paid on, yuan.
    rate : same
        Commission, share of those net sales.
    share : same, optional
        Share of the net sales that pay it; all when omitted.
    in_kind_share, in_kind_cost : same, optional
        Share of the commission paid in kind, and what one yuan paid in kind costs; a
        commission paid all in cash when omitted.

    Returns
    -------
    Decimal or float64 array
        ``net_sales × share × rate × (1 − in_kind_share + in_kind_share × in_kind_cost)``,
        each factor left out when omitted (so that an exact amount keeps its digits).

    Examples
    --------
    A 10% commission on 1,000 yuan of referred orders, 30% of it paid as travel that costs
    the brand half its face value:

    >>> commission_amount(Decimal(1000), Decimal("0.1"), None, Decimal("0.3"), Decimal("0.5"))
    Decimal('85.000')

    100 yuan of commission cost the brand 70 in cash and 30 × 0.5 = 15 in kind.
    """
    paid_on = net_sales if share is None else net_sales * share
    amount = paid_on * rate
    if in_kind_share is None:
        return amount
    return amount * (1 - in_kind_share + in_kind_share * in_kind_cost)


def commission_cost(commission: Commission, results: Mapping[str, SegmentResult]) -> Cost:
    """The channel `Cost` of a declared `Commission`, from the results of the segments.

    Raises
    ------
    ValueError
        A commission on a segment the model does not have, or paid in kind at no stated
        cost, naming the line.
    """
    on = (commission.on,) if isinstance(commission.on, str) else tuple(commission.on)
    unknown = [key for key in on if key not in results] if on else [""]
    if unknown:
        raise ValueError(
            f"{commission.key}: on = {unknown[0]!r} is not a segment of the model; "
            f"segments: {', '.join(results)}"
        )
    if (commission.in_kind_share is None) != (commission.in_kind_cost is None):
        raise ValueError(
            f"{commission.key}: in_kind_share and in_kind_cost go together (the share paid "
            "in kind and what one yuan of it costs)"
        )
    net_sales = results[on[0]].net_sales
    for key in on[1:]:
        net_sales = net_sales + results[key].net_sales
    amount = commission_amount(
        net_sales,
        commission.rate,
        commission.share,
        commission.in_kind_share,
        commission.in_kind_cost,
    )
    return Cost(
        commission.key,
        commission.zh,
        commission.en,
        amount,
        "channel",
        commission.note,
        commission.follows,
        commission.note_zh,
    )


def pnl(
    segments: Sequence[Segment],
    results: Sequence[SegmentResult],
    costs: Sequence[Cost | Commission],
    *,
    tax: Tax,
) -> list[PnLLine]:
    """The P&L of a set of segments and cost lines, from GMV to operating profit.

    Parameters
    ----------
    segments, results : sequences of the same length
        The declared segments and their `segment_result`.
    costs : sequence of Cost or Commission
        The model's channel payouts and overheads, in the order to show them; each
        `Commission` is priced on its segments' results (`commission_cost`).
    tax : bizmodels.tax.Tax
        The tax rules (the market's): VAT by kind of what each segment sells, the
        small-scale regime, the input VAT credited on goods, and the payment fee.

    Returns
    -------
    list of PnLLine
        GMV → refunds → net sales → VAT → net revenue → cost of goods → gross profit →
        channel payouts → payment fees → fulfilment → contribution margin → acquisition,
        marketing and fixed costs → operating profit. Subtotals are computed here from the
        unrounded values; `bizmodels.Waterfall` recomputes them from the rounded steps.

    Notes
    -----
    Refunded orders return their goods: cost of goods and fulfilment are charged on net
    orders (assumption). Prices include VAT: the VAT line is the VAT inside each segment's
    net sales at the rate of its kind (``net × rate / (1 + rate)``, `vat_included`), less,
    for a general taxpayer, the input VAT inside the cost of goods at ``tax.input_vat_rate``
    (0 by default: no special invoice assumed). Payment fees are ``tax.payment_fee_rate`` of
    net sales.
    """
    by_key = {s.key: r for s, r in zip(segments, results, strict=True)}
    priced = [commission_cost(c, by_key) if isinstance(c, Commission) else c for c in costs]
    gmv_total = total(r.gmv for r in results)
    refunds = total(r.refunds for r in results)
    net_sales = gmv_total - refunds
    vat = _vat(segments, results, tax)
    net_revenue = net_sales - vat
    cogs = total(r.net_orders * s.unit_cost for s, r in zip(segments, results, strict=True))
    gross_profit = net_revenue - cogs
    lines = [
        PnLLine("gmv", "商品交易总额", "GMV", "start", gmv_total),
        PnLLine("refunds", "退款", "Refunds", "deduction", refunds),
        PnLLine("net_sales", "净销售额", "Net sales", "subtotal", net_sales),
        PnLLine("vat", "增值税", "VAT", "deduction", vat),
        PnLLine("net_revenue", "净收入", "Net revenue", "subtotal", net_revenue),
        PnLLine("cogs", "商品成本", "Cost of goods", "deduction", cogs),
        PnLLine("gross_profit", "毛利", "Gross profit", "subtotal", gross_profit),
    ]
    running = gross_profit

    def deduct(cost: Cost) -> None:
        nonlocal running
        running = running - cost.amount
        lines.append(
            PnLLine(
                cost.key,
                cost.zh,
                cost.en,
                "deduction",
                cost.amount,
                cost.section,
                cost.note,
                cost.follows,
                cost.note_zh,
            )
        )

    for cost in priced:
        if cost.section == "channel":
            deduct(cost)
    deduct(
        Cost(
            "payment_fees",
            "支付手续费",
            "Payment fees",
            net_sales * like(tax.payment_fee_rate, net_sales),
            "fulfilment",
        )
    )
    fulfilment = total(
        r.net_orders * s.fulfilment_cost for s, r in zip(segments, results, strict=True)
    )
    deduct(Cost("fulfilment", "履约成本", "Fulfilment", fulfilment, "fulfilment"))
    lines.append(
        PnLLine("contribution_margin", "贡献毛利", "Contribution margin", "subtotal", running)
    )
    for section in ("acquisition", "marketing", "fixed"):
        for cost in priced:
            if cost.section == section:
                deduct(cost)
    lines.append(PnLLine("operating_profit", "营业利润", "Operating profit", "end", running))
    return lines


def _vat(segments: Sequence[Segment], results: Sequence[SegmentResult], tax: Tax) -> Any:
    """VAT payable: the VAT in each kind's net sales, less the input VAT credited on goods."""
    pairs = list(zip(segments, results, strict=True))
    for segment, _ in pairs:
        if segment.vat not in ("goods", "service"):
            raise ValueError(
                f"segment {segment.key}: vat = {segment.vat!r}; must be 'goods' or 'service'"
            )
    vat: Any = 0
    for kind in ("goods", "service"):
        sold = [r.net_sales for s, r in pairs if s.vat == kind]
        if sold:
            net = total(sold)
            vat = vat + vat_included(net, like(tax.vat_rate(kind), net))  # bizmodels.tax
    if tax.credits_input_vat and tax.input_vat_rate:
        goods = total(r.net_orders * s.unit_cost for s, r in pairs)
        vat = vat - vat_included(goods, like(tax.input_vat_rate, goods))
    return vat


def like(value: Decimal, template: Any) -> Any:
    """A `Decimal` constant in the number type of ``template`` (float for arrays).

    Lets a formula mix a fixed amount (a plan's reward per order) with values that may be
    float64 arrays, without writing the formula twice.
    """
    # an int is the exact sum of nothing (`total([])`), not a float view
    return value if isinstance(template, (Decimal, int)) else float(value)


__all__ = [
    "GMV",
    "Commission",
    "Cost",
    "GMVInputs",
    "PnLLine",
    "Segment",
    "SegmentResult",
    "commission_amount",
    "commission_cost",
    "gmv",
    "gmv_formula",
    "like",
    "pnl",
    "segment_result",
    "total",
]
