"""`ComplianceProfile`: what a model's pay plan does, in the terms the compliance checks read.

It sits in its own module, importing only the leaf `bizmodels._format`, so that every
model module can import it without a cycle; `bizmodels.compliance` re-exports it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from bizmodels._format import share_text, yuan_text

__all__ = [
    "EVIDENCE_KEYS",
    "NEUTRAL_PROFILE",
    "ComplianceProfile",
    "ResaleStock",
    "share_text",  # re-exported: the wording lives in bizmodels._format
    "yuan_text",
]

EVIDENCE_KEYS = ("entry_fee", "resale_stock", "recruit_reward", "team_pay", "own_sales")
"""Keys of `ComplianceProfile.evidence`, one per feature the legal indicators read."""

ResaleStock = Literal["none", "free", "required"]
"""How participants buy goods to resell (囤货, 拿货), as `ComplianceProfile.resale_stock`."""


@dataclass(frozen=True)
class ComplianceProfile:
    """The features of a model's pay plan that the legal indicators of `bizmodels.compliance` read.

    A model declares it through a ``compliance_profile()`` method; a model that does not is
    read as `NEUTRAL_PROFILE` (no fee, no reward for recruiting, no pay on others' sales),
    and its findings say that nothing was declared. Amounts are yuan, rates are shares
    (0.1 means 10%).

    Attributes
    ----------
    entry_fee : Decimal
        Yuan a person must pay, or spend on goods, to get the right to earn rewards or to
        recruit others (入门费); 0 for none. A fee that buys only discounts or perks (a
        paid membership) is not one. Stock that must be bought to join, or to take or keep
        a rank, is counted here (``resale_stock = "required"``).
    resale_stock : {"none", "free", "required"}
        How participants buy goods to resell (囤货, 拿货), read the same way in every model:
        ``"none"``, they buy none to resell; ``"free"``, they buy stock when and as much as
        they choose, at their own risk, and nothing depends on the purchase but their
        resale margin; ``"required"``, a purchase of stock is the condition of joining, or
        of taking or keeping a rank (an entry package, a first batch, a threshold to hold a
        tier): a disguised entry fee (变相入门费), whose yuan are in ``entry_fee``.
    recruit_reward : Decimal
        Yuan paid for one recruit who joins, to the recruiter (to the recruiter and its
        uplines where the model does not split it) (拉人头); 0 for none.
    recruits_counted : int
        Recruits a reward or a rank is counted on (推三返一: 3; a rank reached by
        recruiting two: 2); 0 when no pay depends on a head count.
    own_sales_rate : Decimal or None
        Pay to a seller on its own sales to consumers, as a share of them; None when no
        one is paid on its own sales.
    upline_rates : tuple of Decimal
        Share of a participant's sale (or purchase) paid to each upline above it, nearest
        first (团队计酬); empty when no upline is paid on it.
    unlimited_levels : bool
        Whether pay on a participant's orders reaches uplines at any depth; then
        ``upline_rates`` lists only the levels whose rate is fixed.
    evidence : dict of str to str
        For each feature present (keys `EVIDENCE_KEYS`), one sentence saying where it comes
        from, naming the parameters and their values.
    declared : bool
        False only for `NEUTRAL_PROFILE`, the reading of a model that declares nothing.

    Examples
    --------
    A two-level distribution: 10% to the distributor who referred the order, 5% to its
    referrer.

    >>> p = ComplianceProfile(own_sales_rate=Decimal("0.10"), upline_rates=(Decimal("0.05"),))
    >>> p.pay_levels, p.payout_share
    (2, Decimal('0.15'))
    """

    entry_fee: Decimal = Decimal(0)
    resale_stock: ResaleStock = "none"
    recruit_reward: Decimal = Decimal(0)
    recruits_counted: int = 0
    own_sales_rate: Decimal | None = None
    upline_rates: tuple[Decimal, ...] = ()
    unlimited_levels: bool = False
    evidence: dict[str, str] = field(default_factory=dict)
    declared: bool = True

    def __post_init__(self) -> None:
        unknown = set(self.evidence) - set(EVIDENCE_KEYS)
        if unknown:
            raise ValueError(
                f"unknown evidence keys {sorted(unknown)}; valid: {', '.join(EVIDENCE_KEYS)}"
            )
        if self.resale_stock not in ("none", "free", "required"):
            raise ValueError(
                f"resale_stock = {self.resale_stock!r}: one of 'none', 'free', 'required'"
            )
        if self.resale_stock == "required" and self.entry_fee <= 0:
            # one reading: the stock a member must buy is the (disguised) fee it pays; a
            # required purchase of nothing (a package priced 0) is no purchase at all
            object.__setattr__(self, "resale_stock", "none")

    @property
    def pay_levels(self) -> int | None:
        """Participants in the longest chain paid on one sale, the seller's own level included.

        None when the chain has no fixed end (``unlimited_levels``); 1 when only the seller
        is paid on its own sales; 0 when no one is paid on sales at all. Two-level
        distribution (二级分销) is 2, three-level 3.
        """
        if self.unlimited_levels:
            return None
        # a level paid nothing is no level: count up to the last upline paid
        paid = [i for i, rate in enumerate(self.upline_rates, start=1) if rate]
        if paid:
            return paid[-1] + 1
        return 1 if self.own_sales_rate else 0

    @property
    def payout_share(self) -> Decimal:
        """Share of one sale paid out at all the fixed levels: own rate plus upline rates."""
        return (self.own_sales_rate or Decimal(0)) + sum(self.upline_rates, Decimal(0))


NEUTRAL_PROFILE = ComplianceProfile(declared=False)
"""The reading of a model with no ``compliance_profile()``: none of the features present."""
