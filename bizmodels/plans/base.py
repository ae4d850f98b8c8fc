"""`Plan`, the base of every commission plan, and `PLANS`, the registry of plans by key.

A plan is data (a frozen pydantic model of its parameters) that declares, through the
methods below, everything the rest of `bizmodels.plans` and `bizmodels.compliance` need
from it: nothing outside a plan's own module asks which kind of plan it is.

A subclass sets the class variables ``key`` (the registry key, also the name of its
preset: ``"liandong_699"``) and ``name_en`` / ``name_zh``, and implements the abstract
methods. Defining the class registers it in `PLANS`; a second class claiming the same key
is refused with `DuplicatePlanError`.
"""

from __future__ import annotations

from abc import abstractmethod
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict

from bizmodels._compliance_profile import ComplianceProfile
from bizmodels.waterfall import Waterfall

__all__ = ["PLANS", "DuplicatePlanError", "Plan"]

PLANS: dict[str, type[Plan]] = {}
"""Plan key → plan class; calling a class with field overrides builds that plan."""


class DuplicatePlanError(ValueError):
    """Raised when two plan classes claim the same key."""


class Plan(BaseModel):
    """A commission plan the simulation engine runs: its parameters and what it declares.

    Subclasses set ``key``, ``name_en`` and ``name_zh`` and implement the abstract
    methods; the fields are the plan's parameters.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    key: ClassVar[str]
    """Registry key in `PLANS`, and the name of the plan's preset (``"distribution"``)."""
    name_en: ClassVar[str]
    """What the plan is, in English: ``"distribution plan"``."""
    name_zh: ClassVar[str]
    """What the plan is, in Chinese: ``"多级分销"``."""

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        key = cls.__dict__.get("key")
        if key is None:
            return
        taken = PLANS.get(key)
        if taken is not None:
            raise DuplicatePlanError(
                f"plan key {key!r} is taken by {taken.__name__}; {cls.__name__} needs another"
            )
        PLANS[key] = cls

    @abstractmethod
    def order_waterfall(self) -> Waterfall:
        """Where one order's price goes: each reward, then what the platform keeps."""

    @abstractmethod
    def compliance_profile(self) -> ComplianceProfile:
        """The plan's features in the terms of the legal indicators (`bizmodels.compliance`).

        A member of every plan joins by buying the plan's package (the join is an order),
        and only members earn: that purchase is the entry fee.
        """
