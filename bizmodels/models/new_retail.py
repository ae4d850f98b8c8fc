"""新零售: a store and an app together, the app widening the store's radius (seed 002)."""

from __future__ import annotations

from decimal import Decimal, localcontext
from typing import Annotated, Any

from pydantic import Field
from typing_extensions import override

from bizmodels._compliance_profile import ComplianceProfile
from bizmodels._types import MAX_COUNT, MONEY_CONTEXT, Count, Rate, Yuan, _AsNumber, param
from bizmodels.engine import Segment
from bizmodels.models._base import BusinessModel, Check

_RADIUS = "seed 002 (002_f13a0cfa10d43761.txt): 從之前的兩公里延伸至十公里"


_DeliveryRadius = Annotated[
    Decimal, Field(ge=Decimal("0.001"), le=MAX_COUNT, allow_inf_nan=False), _AsNumber
]
"""A delivery radius in km, a metre to `MAX_COUNT`: the store's share (r/R)² stays finite."""


class NewRetail(BusinessModel):
    """新零售: a 盒马-like store and app, the app delivering beyond the store's walking radius.

    Seed 002 (002_f13a0cfa10d43761.txt) takes 盒馬鮮生 as the model of new retail: online
    and offline together, which it says grew a single store's revenue three times or more
    (3倍以上). Customers try the store, then order through the app at any time and have it
    delivered; for the business, the app widens the customer range from about two kilometres
    to ten (從之前的兩公里延伸至十公里) and lifts the limit on the range of goods. The seed
    gives no warning; the model shows the cost of the widening: every app order pays an
    instant delivery (即时配送).

    ``market.customers`` are the people within the app's radius, spread evenly (assumption),
    so the store's radius holds ``(store_radius_km / app_radius_km)²`` of them. With the
    defaults the app's orders are three times the store's, so the store's revenue grows to
    four times its own (`store_revenue_multiple`).

    Segments: store customers (the people within the store radius × ``store_reach``), who
    buy in the store with nothing delivered; app customers (the people in the ring between
    the two radii × ``app_reach``), whose orders each cost ``delivery_cost`` to deliver in
    place of the market's fulfilment cost. No channel lines: store rent and staff are in
    the fixed costs.
    """

    key = "new_retail"
    name_zh = "新零售"
    name_en = "New retail (store plus app)"
    seed = "002"
    listed = False

    store_radius_km: Count = param(
        Decimal(2), "Radius the store draws walk-in customers from (门店辐射半径), km.", _RADIUS
    )
    app_radius_km: _DeliveryRadius = param(
        Decimal(10),
        "Radius the app delivers to (配送半径), km, at least 0.001 (a metre, so that the "
        "store's share of it stays finite in a float sweep); market.customers live within it.",
        _RADIUS,
    )
    store_reach: Rate = param(
        Decimal("0.50"),
        "Share of the people within the store radius who shop in the store (到店顾客), 0 to 1.",
        "assumption: half of the people within walking distance shop at a fresh-food store "
        "near them; seed 002 gives no share",
    )
    store_conversion: Rate = param(
        Decimal("0.80"),
        "Share of store customers who buy in the store in a period (到店转化率).",
        "assumption: fresh food is bought most months by a store's own shoppers; seed 002 "
        "gives no rate",
    )
    app_reach: Rate = param(
        Decimal("0.10"),
        "Share of the people between the store and app radii who order through the app "
        "(App用户), 0 to 1.",
        "assumption: one in ten people of the ring uses the app (seed 002 gives no "
        "penetration); with the other defaults the app's orders are three times the store's, "
        "so store_revenue_multiple is 4, above seed 002's 3倍以上",
    )
    app_conversion: Rate = param(
        Decimal("0.50"),
        "Share of app customers who order in a period (线上转化率).",
        "assumption: an app user, farther from the store, orders in half the months, less "
        "often than a store shopper (store_conversion 0.80)",
    )
    delivery_cost: Yuan = param(
        Decimal(10),
        "Instant delivery per app order (即时配送成本), yuan; replaces the market's "
        "fulfilment cost for app orders.",
        "assumption: a courier's fee for one instant delivery within 10 km; seed 002 gives no cost",
    )

    def _store_area_share(self) -> Any:
        return (
            self.store_radius_km * self.store_radius_km / (self.app_radius_km * self.app_radius_km)
        )

    @override
    def segments(self) -> list[Segment]:
        m = self.market
        store_share = self._store_area_share()
        return [
            self.segment(
                "store",
                "门店顾客",
                "Store customers",
                customers=m.customers * store_share * self.store_reach,
                conversion=self.store_conversion,
                fulfilment_cost=0,
            ),
            self.segment(
                "app",
                "App配送顾客",
                "App customers (delivered)",
                customers=m.customers * (1 - store_share) * self.app_reach,
                conversion=self.app_conversion,
                fulfilment_cost=self.delivery_cost,
            ),
        ]

    def store_revenue_multiple(self) -> Decimal:
        """The store's revenue with the app, as a multiple of the store's own: seed 002's 3倍.

        Returns
        -------
        Decimal
            ``(store GMV + app GMV) / store GMV``, unrounded: what the store sells together
            with what its app delivers, over what the store alone sells. Refunds, VAT and
            the retention curve take the same share of both segments, so the multiple of net
            sales or net revenue is the same.

        Raises
        ------
        ValueError
            If the store sells nothing (``store_reach``, ``store_conversion`` or
            ``store_radius_km`` 0): there is no store revenue to multiply.

        Notes
        -----
        Seed 002 (002_f13a0cfa10d43761.txt) says of 盒馬鮮生: 通過線上線下聯動的模式,將的單店
        營收擴大3倍以上. With the people spread evenly over the app's radius (assumption), the
        store's walk-in radius ``r`` holds ``(r / R)²`` of them, so with the defaults the
        multiple is ``1 + (1 − (r/R)²) × app_reach × app_conversion / ((r/R)² × store_reach ×
        store_conversion)`` = 1 + 24 × 0.1 × 0.5 / (0.5 × 0.8) = 4.

        References
        ----------
        seed 002 (002_f13a0cfa10d43761.txt): the 3× and the radii 兩公里 → 十公里; every
        share is an assumption, labelled on its field.

        Examples
        --------
        Does the app make the store's revenue three times what it was, as seed 002 says?

        >>> NewRetail().store_revenue_multiple()
        Decimal('4')

        Yes, with one person in ten of the ring using the app: four times the store's own.
        """
        gmv = self.gmv_by_segment()
        if gmv["store"] == 0:
            raise ValueError(
                f"{self.key}: the store sells nothing (store_reach = {self.store_reach}, "
                f"store_conversion = {self.store_conversion}, store_radius_km = "
                f"{self.store_radius_km}): no store revenue to take a multiple of"
            )
        with localcontext(MONEY_CONTEXT):
            return (gmv["store"] + gmv["app"]) / gmv["store"]

    @override
    def checks(self) -> list[Check]:
        return [
            *super().checks(),
            Check(
                ("store_radius_km", "app_radius_km"),
                "store radius beyond the app's delivery radius",
                self.store_radius_km <= self.app_radius_km,
            ),
        ]

    @override
    def compliance_profile(self) -> ComplianceProfile:
        """What the compliance checks read: nobody is paid to sell or to recruit.

        Examples
        --------
        >>> NewRetail().compliance_profile().pay_levels
        0
        """
        return ComplianceProfile(
            evidence={
                "entry_fee": "customers pay only for goods",
                "own_sales": "no one is paid a commission: the store and the app sell directly",
            }
        )


__all__ = ["NewRetail"]
