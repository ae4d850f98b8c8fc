"""The legal rules, one module per legal text, and the legal findings on a profile.

- `bizmodels.compliance.rules.regulation_444`: 《禁止传销条例》 Art. 7, the entry fee, stock
  bought for resale, head-count and team remuneration;
- `bizmodels.compliance.rules.direct_selling_443`: 《直销管理条例》 Art. 24, the
  direct-selling baseline;
- `bizmodels.compliance.rules.opinion_2013`: the 2013 opinion's 30 participants over 3
  levels, on a simulated network.

A rule is a function from what it reads (a `ComplianceProfile`, or a network's shape) to
one `Finding`; the texts it cites are in `bizmodels.compliance.law`.

Examples
--------
>>> from bizmodels.plans import liandong_699
>>> [f.indicator for f in legal_findings(liandong_699().compliance_profile())]
['entry_fee', 'recruit_reward', 'team_pay', 'own_sales', 'network_thresholds']
"""

from __future__ import annotations

from bizmodels._compliance_profile import ComplianceProfile
from bizmodels.compliance.findings import Finding
from bizmodels.compliance.rules.direct_selling_443 import own_sales
from bizmodels.compliance.rules.opinion_2013 import not_measured
from bizmodels.compliance.rules.regulation_444 import (
    entry_fee,
    pays_for_recruits,
    pays_uplines,
    recruit_reward,
    resale_stock,
    team_pay,
)

__all__ = ["legal_findings"]


def legal_findings(profile: ComplianceProfile) -> list[Finding]:
    """The legal findings on a model's or a plan's profile, in `INDICATORS` order.

    Stock bought for resale is listed where the profile declares it (``resale_stock`` not
    ``"none"``), read one way for every model. The network thresholds are listed (as not
    measured) wherever a fee, a reward for recruits or pay up a chain could grow a network
    to them.
    """
    findings = [entry_fee(profile)]
    if profile.resale_stock != "none":
        # stock bought to resell is read one way for every model (Reg. Art. 7(2))
        findings.append(resale_stock(profile))
    findings += [recruit_reward(profile), team_pay(profile), own_sales(profile)]
    if profile.entry_fee > 0 or pays_for_recruits(profile) or pays_uplines(profile):
        findings.append(not_measured())
    return findings
