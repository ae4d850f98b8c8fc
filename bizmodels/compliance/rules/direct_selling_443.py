"""The rule of 《直销管理条例》 (Order No. 443, rev. 2017) Art. 24: the direct-selling baseline.

Licensed direct selling may pay a seller only on its own sales to consumers, at most 30%
of them: `own_sales` holds a plan against that baseline (a comparison, as the rule binds
licensed direct-selling firms). The regulation's Art. 14 (no fee to become a seller) is
cited by the entry-fee rule, in `bizmodels.compliance.rules.regulation_444`.

Examples
--------
>>> from bizmodels._compliance_profile import ComplianceProfile
>>> own_sales(ComplianceProfile(own_sales_rate=Decimal("0.2"))).severity
'info'
"""

from __future__ import annotations

from decimal import Decimal

from bizmodels._compliance_profile import ComplianceProfile, share_text
from bizmodels.compliance.findings import INDICATORS, Finding, LegalSeverity, Measure
from bizmodels.compliance.rules._evidence import evidence
from bizmodels.compliance.rules.regulation_444 import pays_for_recruits

__all__ = ["DIRECT_SELLING_CAP", "own_sales"]

DIRECT_SELLING_CAP = Decimal("0.30")
"""直销 Art. 24: pay at most 30% of the seller's own sales to consumers."""


def own_sales(profile: ComplianceProfile) -> Finding:
    """Art. 24: pay based only on the seller's own sales to consumers, within 30%.

    ``warning`` when a plan pays on others' sales or on recruits, or more than
    `DIRECT_SELLING_CAP` of own sales; else ``info``.
    """
    levels = profile.pay_levels
    beyond = None if levels is None else Decimal(max(levels - 1, 0))
    own = profile.own_sales_rate
    levels_beyond = Measure(
        "levels paid beyond the seller",
        "销售者以上的计酬层级",
        beyond,
        "levels",
        (("warning", Decimal(0)),),
        True,
    )
    # with no pay on own sales there is nothing to hold against the 30% cap: showing 0%
    # "short of 30%" would read as inside the baseline, so only the levels are measured
    measures: tuple[Measure, ...] = (
        (levels_beyond,)
        if own is None
        else (
            Measure(
                "pay on own sales to consumers",
                "按本人零售额计酬比例",
                own,
                "share",
                (("warning", DIRECT_SELLING_CAP),),
                True,
            ),
            levels_beyond,
        )
    )
    others = pays_for_recruits(profile) or beyond is None or beyond > 0
    over_cap = own is not None and own > DIRECT_SELLING_CAP
    severity: LegalSeverity = "warning" if others or over_cap else "info"
    if severity == "warning":
        reasons = []
        if others:
            reasons.append("pays on others' sales or on recruits")
        if over_cap:
            reasons.append(f"pays {share_text(own or Decimal(0))} of own sales")
        why = (
            (
                "Licensed direct selling may pay only on a seller's own sales to consumers, at "
                f"most 30% of them (直销 Art. 24); this plan {' and '.join(reasons)}. A comparison "
                "baseline: the rule binds licensed direct-selling firms."
            ),
            (
                "持牌直销只能按直销员本人向消费者的销售收入计酬且不超过30%（《直销管理条例》第二十四条）；"
                "本方案超出该基准。此为对照基准，该条约束的是直销企业。"
            ),
        )
    else:
        why = (
            (
                "Pay, if any, rests only on the seller's own sales, within 30% of them: inside the "
                "licensed direct-selling baseline (直销 Art. 24)."
            ),
            "报酬仅按本人销售计算且不超过30%：在直销计酬基准之内。",
        )
    default = (
        f"sellers are paid {share_text(own)} of their own sales"
        if own
        else "no seller is paid on sales"
    )
    return Finding(
        "own_sales",
        severity,
        evidence(profile, "own_sales", default),
        measures,
        INDICATORS["own_sales"].basis,
        *why,
    )
