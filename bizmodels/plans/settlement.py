"""How a plan's money settles: frozen days, withdrawals, caps and clawback (`Settlement`).

The rules are written out in the docs page "Settlement" (docs/concepts/settlement-rules.md);
the engine (`bizmodels.plans._kernel`) applies them. Every field is off by default, and with
all of them off a run is exactly the spec's.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from bizmodels._types import param
from bizmodels.plans.limits import PlanYuan
from bizmodels.tax import FeeRate

__all__ = ["MAX_FROZEN_DAYS", "Settlement"]

MAX_FROZEN_DAYS = 3650
"""Most frozen days (ten years): a reward credited on the last day a stream may hold still
matures on a day an int64 holds, and longer holds are not a settlement any platform uses."""

_OFF = "assumption: off, as the spec (specs/liandong-2plus1.md) pays at once and uncapped"


class Settlement(BaseModel):
    """Frozen days, withdrawal minimum and fee, caps per member, and what a clawback does.

    Examples
    --------
    >>> Settlement().active
    False
    >>> Settlement(frozen_days=7, cap_per_day=500).active
    True
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    frozen_days: Annotated[int, Field(ge=0, le=MAX_FROZEN_DAYS)] = param(
        0, "Days a reward stays pending (冻结期) before it can be withdrawn.", _OFF
    )
    withdrawal_minimum: PlanYuan = param(
        Decimal(0), "Smallest withdrawal (最低提现金额), yuan.", _OFF
    )
    withdrawal_fee_rate: FeeRate = param(
        Decimal(0), "Share of each withdrawal kept by the platform (提现手续费).", _OFF
    )
    withdrawal_fee_pool: Literal["V1", "V2", "V3"] | None = param(
        None,
        "The dividend pool (分红池) the withdrawal fees go to, split among its holders each day; "
        "None: the platform keeps them.",
        _OFF,
    )
    cap_per_day: PlanYuan | None = param(
        None, "Most a member is credited from orders in one day (日封顶), yuan; None: no cap.", _OFF
    )
    cap_per_month: PlanYuan | None = param(
        None,
        "Most a member is credited from orders in one 30-day month (月封顶), yuan; None: no cap.",
        _OFF,
    )
    clawback: Literal["debt", "absorb"] = param(
        "debt",
        "A clawed-back amount the member no longer holds: the member owes it (debt), or the "
        "platform bears it (absorb).",
        "assumption: the platforms' brokerage ledgers record a negative balance",
    )

    @property
    def active(self) -> bool:
        """Whether any rule is on: frozen days, a minimum, a fee or a cap."""
        return bool(
            self.frozen_days
            or self.withdrawal_minimum
            or self.withdrawal_fee_rate
            or self.cap_per_day is not None
            or self.cap_per_month is not None
        )
