"""Compliance and sustainability: 传销 (pyramid-selling) risk flags with their legal basis.

`assess` reads a business model, a preset, a commission plan or a simulated network and
returns an `Assessment`: one `Finding` per indicator, each with its evidence (from the
parameters or the run), the value measured against its line and how far it is from it,
the legal basis (document, article, the key Chinese wording with an English gloss, and how
far the text was verified), and a one-line explanation. Its ``level`` is ``low``,
``warning`` or ``high``.

**An analytical aid, not legal advice.** A flag says a feature matches the wording of a
rule, or a simulated network crosses a number a rule names; never that a business is
illegal or "has been ruled" pyramid selling. Only texts verified in at least two
independent copies are quoted, except where a finding says "found once". None of the
copies was an official portal (flk.npc.gov.cn, gov.cn): check the official text before
relying on a quotation.

Two groups of indicators:

- legal (severity ``info``, ``warning``, ``high``): entry fee for the right to earn (入门费),
  stock bought for resale (囤货: required to join or keep a rank, a disguised entry fee;
  bought freely, none), rewards for recruiting (拉人头), pay from downline sales across
  levels (团队计酬), the licensed direct-selling baseline (直销 Art. 24) and, on a simulated
  network, the criminal case thresholds of the 2013 opinion (30 participants, 3 levels);
- health, from a simulation only (``ok``, ``watch``, ``warning``, ``critical``): recruitment
  dependence, members who lose money, zero earners, payout ratio, concentration of
  earnings (top 1%, top 10%, Gini).

A model declares what the legal indicators read through a ``compliance_profile()`` method
returning a `ComplianceProfile`; a model without one is read as `NEUTRAL_PROFILE`. A plan
declares its own from its parameters (`plan_profile`). A model with a ``plan`` inherits the
plan's findings.

The package, by concept (every name below is importable from `bizmodels.compliance`):

- `bizmodels.compliance.law`: the legal texts as data, with their verification status;
- `bizmodels.compliance.findings`: indicators, measures, findings and assessments;
- `bizmodels.compliance.rules`: the legal rules, one module per legal text;
- `bizmodels.compliance.profiles`: reading a model or a plan into a profile;
- `bizmodels.compliance.network`: network health from a simulated run;
- `bizmodels.compliance.assessing`: `assess`, the one entry point, and its views.

Examples
--------
Which lines does the 699 package of seed 001 cross?

>>> a = assess("liandong_699")
>>> a.level
'high'
>>> [f.indicator for f in a.findings if f.severity == "high"]
['entry_fee', 'recruit_reward', 'team_pay']

The fee, the reward per recruit and the unlimited depth of team pay each reach a high flag.
"""

from __future__ import annotations

import importlib
import warnings
from typing import Any

from bizmodels._compliance_profile import NEUTRAL_PROFILE, ComplianceProfile
from bizmodels.compliance.assessing import (
    Assessable,
    assess,
    assessment_markdown,
    levels_table,
    risk_level,
)
from bizmodels.compliance.findings import (
    INDICATORS,
    Assessment,
    Finding,
    HealthSeverity,
    Indicator,
    LegalSeverity,
    Level,
    Measure,
    Severity,
    Unit,
)
from bizmodels.compliance.law import DISCLAIMER, DISCLAIMER_ZH, LEGAL_TEXTS, LegalBasis
from bizmodels.compliance.network import (
    HEALTH_LINES,
    NetworkShape,
    network_shape,
    random_network,
    recruitment_dependence,
)
from bizmodels.compliance.profiles import plan_profile, profile_of
from bizmodels.compliance.rules.direct_selling_443 import DIRECT_SELLING_CAP
from bizmodels.compliance.rules.opinion_2013 import CRIMINAL_LEVELS, CRIMINAL_PARTICIPANTS
from bizmodels.compliance.rules.regulation_444 import TEAM_PAY_HIGH_LEVELS, TEAM_PAY_WARNING_LEVELS
from bizmodels.plans.earnings import EarningsStats, earnings_stats

# each legal text by name too, as `bizmodels.compliance.law` holds them (__all__ lists them
# once, as LEGAL_TEXTS)
from bizmodels.compliance.law import (  # isort: skip
    CRIMINAL_224_1 as CRIMINAL_224_1,
    DS_14 as DS_14,
    DS_24 as DS_24,
    OPINION_1 as OPINION_1,
    OPINION_5 as OPINION_5,
    OPINION_7 as OPINION_7,
    REG_7_1 as REG_7_1,
    REG_7_2 as REG_7_2,
    REG_7_3 as REG_7_3,
    WECHAT_2016 as WECHAT_2016,
)

__all__ = [
    "CRIMINAL_LEVELS",
    "CRIMINAL_PARTICIPANTS",
    "DIRECT_SELLING_CAP",
    "DISCLAIMER",
    "DISCLAIMER_ZH",
    "HEALTH_LINES",
    "INDICATORS",
    "LEGAL_TEXTS",
    "NEUTRAL_PROFILE",
    "TEAM_PAY_HIGH_LEVELS",
    "TEAM_PAY_WARNING_LEVELS",
    "Assessable",
    "Assessment",
    "ComplianceProfile",
    "EarningsStats",
    "Finding",
    "HealthSeverity",
    "Indicator",
    "LegalBasis",
    "LegalSeverity",
    "Level",
    "Measure",
    "NetworkShape",
    "Severity",
    "Unit",
    "assess",
    "assessment_markdown",
    "earnings_stats",
    "levels_table",
    "network_shape",
    "plan_profile",
    "profile_of",
    "random_network",
    "recruitment_dependence",
    "risk_level",
]

_MOVED_TO_CLI = ("AssessError", "assess_command")


def __getattr__(name: str) -> Any:
    # `bizmodels assess`'s handler and its error lived here and moved to the command line.
    # A deprecated forward for one release, looked up only when the old name is asked for:
    # the library itself never imports the CLI.
    if name in _MOVED_TO_CLI:
        warnings.warn(
            f"bizmodels.compliance.{name} moved to bizmodels.cli.{name}; "
            "the old name will be removed in the next release",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(importlib.import_module("bizmodels.cli"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
