"""The evidence sentence of a legal finding: the model's own, or what the rule would say."""

from __future__ import annotations

from bizmodels._compliance_profile import ComplianceProfile

__all__ = ["UNDECLARED", "evidence"]

UNDECLARED = (
    "the model declares no compliance profile (its compliance_profile() is the base's "
    "neutral one): read as "
    "having no fee, no reward for recruiting and no pay on others' sales"
)
"""The evidence of every legal finding on a model that declares no profile."""


def evidence(profile: ComplianceProfile, key: str, default: str) -> str:
    """The profile's evidence for ``key``, else ``default``; `UNDECLARED` if nothing is declared."""
    if not profile.declared:
        return UNDECLARED
    return profile.evidence.get(key) or default
