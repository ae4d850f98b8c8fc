"""直营微商: salaried customer-service staff add fans on WeChat and sell for commission."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import numpy as np
from typing_extensions import override

from bizmodels._compliance_profile import ComplianceProfile, share_text, yuan_text
from bizmodels._types import Count, Rate, Yuan, param
from bizmodels.engine import Commission, Cost, Segment, SegmentResult
from bizmodels.models._base import BusinessModel


class CompanyRunWeishang(BusinessModel):
    """直营微商: the company's own staff add fans and sell; it keeps the margin and the channel.

    Seed 003 (003_e213b8fe3b9defb8.txt) describes company-run 微商 as profit maximisation:
    buy at the lowest price and sell everything at retail, run by a team or studio that
    hires customer-service staff, pays them a base salary and a commission, and has them add
    fans and sell (招募一批客服,給底薪,給提成,加粉), with one uniform sales process and
    script. It is telephone sales with one more channel: simple and blunt, with costs
    concentrated on staff and their training (成本大多集中在人員成長), but the profit and the
    channel stay in the company's own hands (但利潤和渠道掌握在自己手上).

    Customers are the fans the staff add: ``staff × fans_per_staff``, at most the market's
    customers; each fan costs ``acquisition_cost`` to add (加粉成本). Salaries are a fixed
    cost per period beside ``fixed_per_period`` (rent, systems, management).

    Segments: fans buying at the list price. Channel lines: staff commission (提成) on net
    sales. Overheads: the base's marketing and fixed costs, and the staff's base salaries
    (底薪) over the lifetime.
    """

    key = "company_run_weishang"
    name_zh = "直营微商"
    name_en = "Company-run 微商"
    seed = "003"
    listed = False

    acquisition_cost: Yuan = param(
        Decimal(15),
        "Cost of adding one fan to a staff member's WeChat (加粉成本), yuan per fan.",
        "assumption",
    )
    staff: Count = param(
        Decimal(4), "Customer-service staff who sell (客服), people.", "assumption"
    )
    fans_per_staff: Count = param(
        Decimal(1_000),
        "Fans each staff member adds and serves on WeChat (每人加粉数), people.",
        "assumption",
    )
    conversion: Rate = param(
        Decimal("0.15"), "Share of fans who buy in a period (转化率).", "assumption"
    )
    base_salary: Yuan = param(
        Decimal(4_000),
        "Base salary per staff member per period (底薪), yuan.",
        "assumption",
    )
    commission_rate: Rate = param(
        Decimal("0.05"),
        "Staff commission (提成), share of net sales.",
        "assumption",
    )

    def _fans(self) -> Any:
        # the fans the staff add, at most the market; Any: numpy's stubs do not take Decimal
        wanted: Any = self.staff * self.fans_per_staff
        available: Any = self.market.customers
        return np.minimum(wanted, available)

    @override
    def segments(self) -> list[Segment]:
        return [
            self.segment(
                "fans",
                "客服粉丝顾客",
                "Fans served by staff",
                customers=self._fans(),
                conversion=self.conversion,
            ),
        ]

    @override
    def channel_costs(self, results: Mapping[str, SegmentResult]) -> list[Cost | Commission]:
        return [
            Commission(
                "staff_commission",
                "客服提成",
                "Staff commission",
                rate=self.commission_rate,
                on="fans",
            ),
        ]

    @override
    def overhead_costs(self) -> list[Cost]:
        return [
            *super().overhead_costs(),
            Cost(
                "staff_salaries",
                "客服底薪",
                "Staff base salaries",
                self.staff * self.base_salary * self.lifetime,
                "fixed",
            ),
        ]

    @override
    def compliance_profile(self) -> ComplianceProfile:
        """What the compliance checks read: salaried staff paid a commission on their sales.

        Examples
        --------
        >>> CompanyRunWeishang().compliance_profile().own_sales_rate
        Decimal('0.05')
        """
        return ComplianceProfile(
            own_sales_rate=self.commission_rate,
            evidence={
                "entry_fee": "staff are hired, not recruited: they pay nothing",
                "own_sales": (
                    f"customer-service staff (客服) are paid commission_rate = "
                    f"{share_text(self.commission_rate)} of their fans' net sales on top of a "
                    f"base salary (底薪, base_salary = {yuan_text(self.base_salary)} yuan per "
                    "period)"
                ),
            },
        )


__all__ = ["CompanyRunWeishang"]
