"""The shared market: the assumptions every business model sees alike.

A comparison is fair by construction when each model takes the same `Market`.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, ConfigDict

from bizmodels._types import Customers, Rate, Yuan, param

_ASSUMPTION = "assumption"


class Market(BaseModel):
    """What the brand sells and to how many people: the assumptions shared by every model.

    Attributes
    ----------
    customers : Decimal
        Reachable customers in the target market, people.
    price : Decimal
        List price of one order, yuan, VAT included.
    unit_cost : Decimal
        Cost of the goods in one order at list price, yuan.
    vat_rate, refund_rate, payment_fee_rate : Decimal
        Shares (0.13 is 13%).
    fulfilment_cost : Decimal
        Picking, packing and delivery per order shipped, yuan.

    Examples
    --------
    >>> Market(price=99).price
    Decimal('99')
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    customers: Customers = param(
        Decimal(10_000), "Reachable customers in the target market, people.", _ASSUMPTION
    )
    price: Yuan = param(
        Decimal(199), "List price of one order (客单价), yuan, VAT included.", _ASSUMPTION
    )
    unit_cost: Yuan = param(
        Decimal(60), "Cost of the goods in one order at list price, yuan.", _ASSUMPTION
    )
    vat_rate: Rate = param(
        Decimal("0.13"),
        "VAT rate (增值税) included in prices.",
        "assumption: China's standard VAT rate on goods",
    )
    refund_rate: Rate = param(
        Decimal("0.05"), "Share of GMV refunded (退款率); goods come back.", _ASSUMPTION
    )
    payment_fee_rate: Rate = param(
        Decimal("0.006"),
        "Payment processing fee (支付手续费), share of net sales.",
        "assumption: WeChat Pay's standard 0.6%",
    )
    fulfilment_cost: Yuan = param(
        Decimal(12),
        "Picking, packing and delivery per order shipped (履约成本), yuan.",
        _ASSUMPTION,
    )


__all__ = ["Market"]
