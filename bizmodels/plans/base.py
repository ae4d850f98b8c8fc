"""`Plan`, the base of every commission plan, and `PLANS`, the registry of plans by key.

A plan is data (a frozen pydantic model of its parameters) that declares, through the
methods below, everything the rest of `bizmodels.plans` and `bizmodels.compliance` need
from it: its price, the kinds of earnings it pays, its parameters as the simulation
engine reads them, how one order splits, the rules its rewards must meet, the wording of
an event's explanation and its features for the legal indicators. So nothing outside a
plan's own module asks which kind of plan it is.

A subclass sets the class variables ``key`` (the registry key, also the name of its
preset: ``"liandong_699"``), ``name_en``, ``name_zh`` and ``kinds``, and implements the
abstract methods. Defining the class registers it in `PLANS`; a second class claiming the
same key is refused with `DuplicatePlanError`.

This module sits below the simulation: of `bizmodels.plans` it imports only the event
streams a plan runs over, and the engine (`bizmodels.plans._kernel`, which loads numba)
only inside the methods that drive it, when a simulation runs.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Hashable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar, Protocol

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, model_validator

from bizmodels._compliance_profile import ComplianceProfile
from bizmodels._types import param
from bizmodels.plans.events import EventStream
from bizmodels.plans.settlement import Settlement
from bizmodels.tax import Tax
from bizmodels.waterfall import Waterfall

__all__ = [
    "KINDS",
    "PLANS",
    "DuplicatePlanError",
    "EventView",
    "Plan",
    "Tally",
    "Upgrades",
    "plan_classes",
]

Int64s = npt.NDArray[np.int64]

KINDS = ("direct", "see_point", "differential", "peer", "pool", "indirect", "refund")
"""Kinds of earnings, as ledger columns and keys of `Totals.payouts`.

``direct`` 直推奖 (the sponsor; level 1 of a distribution), ``see_point`` 见点奖,
``differential`` 极差, ``peer`` 平级奖, ``pool`` 分红池 dividends, ``indirect`` (levels 2 and
up of a distribution, 间推), ``refund`` (推三返一). A plan earns only some of them
(`Plan.kinds`); the others are zero.
"""

PLANS: dict[str, type[Plan]] = {}
"""Plan key → plan class, in the order the classes were defined; calling a class with
field overrides builds that plan (``PLANS["distribution"](price=99)``)."""

Upgrades = tuple[npt.NDArray[np.int32], npt.NDArray[np.int32], npt.NDArray[np.int8], int]
"""The rank changes of the engine's first pass: event, member row and new rank of each
(buffers sized for the most there could be), and how many of them there are."""


class DuplicatePlanError(ValueError):
    """Raised when two plan classes claim the same key."""


def plan_classes() -> str:
    """The registered plan classes, as messages name them: ``"A, B or C"``.

    Examples
    --------
    >>> import bizmodels.plans
    >>> plan_classes()
    'LiandongPlan, DistributionPlan or RefundPlan'
    """
    names = [cls.__name__ for cls in PLANS.values()]
    return " or ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else "".join(names)


@dataclass(frozen=True)
class Tally:
    """What a finished run adds up to, in Python's unbounded integers: what `Plan.audit` checks.

    Attributes
    ----------
    orders : int
        Packages sold: joins and repurchases.
    earned : mapping of str to int
        Fen members earned by kind (`Plan.kinds`), frozen parts included.
    frozen, released : int
        Fen still frozen in the help fund, and fen it released on qualifying.
    breakage_by : mapping of str to int
        Fen of rewards due that found no recipient, by `BREAKAGE_KINDS`.
    pools : tuple of int
        Balances of the V1, V2, V3 dividend pools.
    sponsored, slid : int
        Orders whose buyer has a sponsor; orders whose buyer was slid (滑落).
    recruits : int32 ndarray
        Each member's recruits.
    """

    orders: int
    earned: Mapping[str, int]
    frozen: int
    released: int
    breakage_by: Mapping[str, int]
    pools: tuple[int, int, int]
    sponsored: int
    slid: int
    recruits: npt.NDArray[np.int32]


class EventView(Protocol):
    """The network when one event starts, as a plan's explanation reads it, and its record.

    `SimulationResult.explain` hands one to `Plan.explain_order`; members are ledger rows.
    """

    def label(self, x: int) -> Hashable:
        """The member's label in the event stream."""

    def sponsor(self, x: int) -> int:
        """The member's sponsor (推荐人), -1 for a root."""

    def parent(self, x: int) -> int:
        """The member's placement parent, -1 for a root."""

    def position(self, x: int) -> int:
        """The member's position (k-号位) among its sponsor's recruits, 0 for a root."""

    def slid(self, x: int) -> bool:
        """Whether the member was placed under its sponsor's upline (滑落)."""

    def rank(self, x: int) -> int:
        """The member's `Rank` when the event starts."""

    def qualified(self, x: int) -> bool:
        """Whether the member is released from the help fund when the event starts."""

    def ancestors(self, x: int) -> Iterator[int]:
        """The member's placement ancestors, nearest first."""

    def reward(self, kind: str, x: int, amount: int, frozen: int, rule: str) -> None:
        """Record a reward of ``amount`` fen (``frozen`` of it frozen) to member ``x``."""

    def unclaimed(self, kind: str, amount: int, reason: str) -> None:
        """Record a reward due that found no recipient: it stays with the platform."""

    def note(self, text: str) -> None:
        """Record why a reward was not due."""


class Plan(BaseModel):
    """A commission plan the simulation engine runs: its parameters and what it declares.

    Subclasses set the class variables below and implement the abstract methods; their
    fields are the plan's parameters. Every plan sells one package per order at
    `price_fen`, and a member joins by buying it.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: ClassVar[str]
    """Registry key in `PLANS`, and the name of the plan's preset (``"distribution"``)."""
    name_en: ClassVar[str]
    """What the plan is, in English: ``"distribution plan"``."""
    name_zh: ClassVar[str]
    """What the plan is, in Chinese: ``"多级分销"``."""
    kinds: ClassVar[tuple[str, ...]]
    """The kinds of earnings (`KINDS`) the plan pays, in the order of the engine's money
    columns."""
    ranked: ClassVar[bool] = False
    """Whether members rank up (`Rank`): only then are there identity packages and the V1,
    V2, V3 dividend pools split each day."""
    order_options: ClassVar[tuple[str, ...]] = ()
    """Keyword arguments `order_waterfall` takes to pose other cases of one order."""

    settlement: Settlement = param(
        Settlement(),
        "How rewards settle: frozen days, withdrawal minimum and fee, caps, clawback "
        "(docs/concepts/settlement-rules.md).",
        "assumption: every rule off, as the spec pays",
    )
    tax: Tax = param(
        Tax(),
        "VAT by kind, the payment fee, and the income tax withheld on withdrawals "
        "(docs/concepts/tax.md).",
        "增值税法; 个人所得税法; 国家税务总局公告2018年第61号",
    )

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        unknown = [kind for kind in cls.__dict__.get("kinds", ()) if kind not in KINDS]
        if unknown:
            raise ValueError(f"{cls.__name__}.kinds: unknown {unknown}; valid: {', '.join(KINDS)}")
        key = cls.__dict__.get("key")
        if key is None:
            return
        taken = PLANS.get(key)
        if taken is not None:
            raise DuplicatePlanError(
                f"plan key {key!r} is taken by {taken.__name__}; {cls.__name__} needs another"
            )
        PLANS[key] = cls

    @model_validator(mode="after")
    def _fee_pool_needs_pools(self) -> Plan:
        # a plan without ranks has no dividend pools to pay the withdrawal fees into
        if self.settlement.withdrawal_fee_pool is not None and not self.ranked:
            raise ValueError(
                f"settlement.withdrawal_fee_pool = {self.settlement.withdrawal_fee_pool!r}: "
                f"{type(self).__name__} has no dividend pools; leave it None"
            )
        return self

    # -- what every plan declares -------------------------------------------------------

    @property
    @abstractmethod
    def price_fen(self) -> int:
        """Price of one order (the package), integer fen."""

    @property
    @abstractmethod
    def short_name(self) -> str:
        """A short name for titles and columns: the plan's kind and price (``"liandong 699"``)."""

    @abstractmethod
    def order_waterfall(self) -> Waterfall:
        """Where one order's price goes: each reward, then what the platform keeps."""

    @abstractmethod
    def compliance_profile(self) -> ComplianceProfile:
        """The plan's features in the terms of the legal indicators (`bizmodels.compliance`).

        A member of every plan joins by buying the plan's package (the join is an order),
        and only members earn: that purchase is the entry fee.
        """

    @abstractmethod
    def _set_kernel_params(self, prm: Int64s, n_events: int) -> tuple[int, ...]:
        """Write the plan's kind code and parameters into ``prm`` (layout `_kernel.P_*`).

        Returns the per-level rewards the engine reads after ``prm`` (distribution).
        """

    @abstractmethod
    def audit(self, tally: Tally) -> dict[str, bool]:
        """The rules a finished run's rewards must meet, by name, and whether each holds.

        Each kind of reward is held to what the rules allow for the orders there were, in
        exact integers: an integer that wrapped around inside the engine breaks one.
        """

    @abstractmethod
    def explain_order(self, view: EventView, buyer: int, is_join: bool) -> None:
        """Record the rewards (and rewards with no recipient) of one order of ``buyer``."""

    # -- what a plan may declare ---------------------------------------------------------

    def order_pools(self) -> tuple[int, int, int]:
        """Fen one order pays into the V1, V2, V3 dividend pools (none by default)."""
        return (0, 0, 0)

    def identity_package(self, rank: int) -> int:
        """Fen a member pays for the identity package (身份礼包) of a rank (none by default)."""
        return 0

    def explain_placement(self, view: EventView, member: int) -> str:
        """Where a joining member was placed and why (nothing to say by default)."""
        return ""

    def order_notes(self, lang: str = "en") -> tuple[str, ...]:
        """Sentences that go with the order waterfall in ``lang`` (none by default)."""
        return ()

    # -- the engine ---------------------------------------------------------------------

    def kernel_params(self, n_events: int) -> Int64s:
        """The plan as the engine reads it: the int64 vector ``prm`` of `_kernel.run_money`.

        Parameters
        ----------
        n_events : int
            Events in the stream (a count threshold above it is never reached).
        """
        from bizmodels.plans import _kernel as k

        prm = np.zeros(k.P_LEVEL, np.int64)
        prm[k.P_PRICE] = self.price_fen
        # a plan without a rate has none to apply: a denominator of 1 keeps it exact
        prm[k.P_PEER_DEN] = prm[k.P_FREEZE_DEN] = 1
        levels = self._set_kernel_params(prm, n_events)
        self._set_settlement_params(prm)
        return np.concatenate([prm, np.asarray(levels, np.int64)])

    def _set_settlement_params(self, prm: Int64s) -> None:
        # The settlement's rules as the engine reads them (docs/concepts/settlement-rules.md).
        from bizmodels.plans import _kernel as k

        rules = self.settlement

        def fen(yuan: Decimal | None) -> int:
            return -1 if yuan is None else int(yuan * 100)

        prm[k.P_SETTLE] = int(rules.active)
        prm[k.P_FROZEN_DAYS] = rules.frozen_days
        prm[k.P_CAP_DAY] = fen(rules.cap_per_day)
        prm[k.P_CAP_MONTH] = fen(rules.cap_per_month)
        prm[k.P_ABSORB] = int(rules.clawback == "absorb")
        prm[k.P_WFEE_NUM], prm[k.P_WFEE_DEN] = rules.withdrawal_fee_rate.as_integer_ratio()
        pool = rules.withdrawal_fee_pool
        prm[k.P_WFEE_POOL] = -1 if pool is None else ("V1", "V2", "V3").index(pool)
        prm[k.P_WMIN] = fen(rules.withdrawal_minimum)
        prm[k.P_IIT] = {"none": k.IIT_NONE, "labour_remuneration": k.IIT_LABOUR}.get(
            self.tax.income_tax, k.IIT_FLAT
        )
        prm[k.P_IIT_NUM], prm[k.P_IIT_DEN] = self.tax.income_tax_rate.as_integer_ratio()

    def build_structure(
        self, stream: EventStream, tree: npt.NDArray[np.int32], money: Int64s, status: Int64s
    ) -> Upgrades:
        """The engine's first pass: place every member and find every rank change.

        By default the placement tree is the sponsor tree and nobody ranks up. The failure
        code, if any, is left in ``status`` (`_kernel.OK` when none).
        """
        from bizmodels.plans import _kernel as k

        k.sponsor_structure(stream.kind, stream.member, stream.sponsor, tree, money)
        return np.empty(0, np.int32), np.empty(0, np.int32), np.empty(0, np.int8), 0

    def _price_text(self) -> str:
        # the price as a short name shows it: 699, 699.5, 1980 (no separators)
        return f"{(Decimal(self.price_fen) / 100).normalize():f}"
