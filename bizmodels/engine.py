"""The common GMV engine (seed 004): 私域GMV = 客户数量 × 总生命周期 × 转化率 × 客单价.

Every formula here is written once, with plain ``+ - * /`` and no literals but integers, so
that the same function gives an exact `Decimal` for `Decimal` inputs and broadcasts over
numpy float64 arrays for sweeps. Rounding to the fen happens only in `bizmodels.Waterfall`.
"""

from __future__ import annotations

from typing import Any, NamedTuple, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from bizmodels._types import Amount, Rate
from bizmodels._validation import check_values

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

    customers: Amount = Field(description="Private-domain customers (客户数量), people.")
    lifetime: Amount = Field(description="Purchase periods in a customer's life (总生命周期).")
    conversion: Rate = Field(description="Share of customers who buy in a period (转化率).")
    unit_price: Amount = Field(description="Average order value (客单价), yuan per order.")

    def gmv(self) -> GMV:
        """Evaluate the GMV formula exactly for these inputs."""
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
        A scalar that is negative, not finite, not a number, or a conversion outside [0, 1].
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
    return gmv_formula(**values)


__all__ = ["GMV", "GMVInputs", "gmv", "gmv_formula"]
