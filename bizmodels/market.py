"""The shared market: the assumptions every business model sees alike.

A comparison is fair by construction when each model takes the same `Market`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from bizmodels._types import Customers, Rate, Yuan, param
from bizmodels.tax import Tax

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
    refund_rate : Decimal
        Share of GMV refunded (0.05 is 5%).
    tax : bizmodels.tax.Tax
        The tax rules, the same the plans use: VAT by kind of income (goods 13%, services
        6%), the small-scale regime, the input VAT credited, and the payment fee (0.6%).
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
    refund_rate: Rate = param(
        Decimal("0.05"), "Share of GMV refunded (退款率); goods come back.", _ASSUMPTION
    )
    tax: Tax = Field(
        default_factory=Tax,
        description="Tax rules (VAT by kind, small-scale regime, payment fee): bizmodels.tax.",
    )
    fulfilment_cost: Yuan = param(
        Decimal(12),
        "Picking, packing and delivery per order shipped (履约成本), yuan.",
        _ASSUMPTION,
    )

    @model_validator(mode="before")
    @classmethod
    def _moved_fields(cls, data: Any) -> Any:
        # the two rates moved into the one place for tax rules: say where, not just "extra"
        if isinstance(data, dict):
            moved = {
                "vat_rate": "market.tax.goods_rate (goods) and market.tax.service_rate "
                "(services), or market.tax.vat = 'small_scale'",
                "payment_fee_rate": "market.tax.payment_fee_rate",
            }
            for name, where in moved.items():
                if name in data:
                    raise ValueError(
                        f"market.{name} = {data[name]!r}: this rate is now set in {where} "
                        "(bizmodels.tax.Tax, shared with the plans)"
                    )
        return data


__all__ = ["Market"]
