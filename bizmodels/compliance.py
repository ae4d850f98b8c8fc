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
  rewards for recruiting (拉人头), pay from downline sales across levels (团队计酬), the
  licensed direct-selling baseline (直销 Art. 24) and, on a simulated network, the criminal
  case thresholds of the 2013 opinion (30 participants, 3 levels);
- health, from a simulation only (``ok``, ``watch``, ``warning``, ``critical``): recruitment
  dependence, members who lose money, zero earners, payout ratio, concentration of
  earnings (top 1%, top 10%, Gini).

A model declares what the legal indicators read through a ``compliance_profile()`` method
returning a `ComplianceProfile`; a model without one is read as `NEUTRAL_PROFILE`. Plans are
read from their own parameters here (`plan_profile`). A model with a ``plan`` inherits the
plan's findings.

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

import csv
import io
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal, cast

import numpy as np
import numpy.typing as npt
from pydantic import ValidationError
from tabulate import tabulate

from bizmodels._compliance_profile import (
    NEUTRAL_PROFILE,
    ComplianceProfile,
    share_text,
    yuan_text,
)
from bizmodels.models import MODELS, BusinessModel
from bizmodels.plans import (
    EVENT_DTYPE,
    JOIN,
    ORDER,
    PLANS,
    DistributionPlan,
    LiandongPlan,
    Plan,
    RefundPlan,
    SimulationResult,
    get_plan,
    read_events,
    simulate,
)
from bizmodels.presets import PRESETS, resolve

__all__ = [
    "DISCLAIMER",
    "HEALTH_LINES",
    "INDICATORS",
    "LEGAL_TEXTS",
    "NEUTRAL_PROFILE",
    "AssessError",
    "Assessment",
    "ComplianceProfile",
    "Finding",
    "Indicator",
    "LegalBasis",
    "Measure",
    "assess",
    "assess_command",
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

Level = Literal["low", "warning", "high"]
"""Overall level of an assessment."""
LegalSeverity = Literal["info", "warning", "high"]
"""Severity of a legal finding."""
HealthSeverity = Literal["ok", "watch", "warning", "critical"]
"""Severity of a health finding."""
Severity = Literal["info", "ok", "watch", "warning", "high", "critical"]
"""Either scale, as a `Finding` carries it."""
Unit = Literal["yuan", "share", "levels", "people", "recruits", "index"]


DISCLAIMER = (
    "Analytical aid, not legal advice: a flag says a feature matches the wording of a rule "
    "or a simulated network crosses a number a rule names, not that a business is illegal. "
    "Quotations come from unofficial copies; check the official text."
)
_DISCLAIMER_ZH = (
    "本结果仅为分析辅助，不构成法律意见：标记表示某一特征与规定的文字相符，或模拟网络达到规定中的数字，"
    "并不表示业务违法。引文来自非官方文本，使用前请核对官方发布版本。"
)

# -- the legal texts -------------------------------------------------------------------

_REG = "《禁止传销条例》(国务院令第444号)"
_REG_EN = "Regulations on the Prohibition of Pyramid Selling (State Council Order No. 444)"
_DS = "《直销管理条例》(国务院令第443号，2017年修订)"
_DS_EN = "Regulations on the Administration of Direct Selling (Order No. 443, rev. 2017)"
_OPINION = "《关于办理组织领导传销活动刑事案件适用法律若干问题的意见》(公通字〔2013〕37号)"
_OPINION_EN = (
    "Opinions of the SPC, SPP and Ministry of Public Security on Criminal Cases of "
    "Organising and Leading Pyramid Selling (2013)"
)


@dataclass(frozen=True)
class LegalBasis:
    """One legal text a finding cites: where it is, its key wording, how far it was verified.

    Attributes
    ----------
    document, document_en : str
        The document, in Chinese and in English.
    article, article_en : str
        The article or section (``第七条第（二）项``, ``Art. 7(2)``).
    wording : str
        The key Chinese wording, verbatim from the copies consulted; ``……`` marks a cut.
    gloss : str
        An English gloss written for the project, not an official translation.
    status : str
        How it was verified (``Verified (4)``: verbatim in four independent copies;
        ``Found once``: in one), as the project's law notes record it.
    nature : str
        What kind of text it is (administrative regulation, criminal law, judicial
        opinion, platform rule).
    """

    document: str
    document_en: str
    article: str
    article_en: str
    wording: str
    gloss: str
    status: str
    nature: str

    def status_text(self, lang: str = "en") -> str:
        """The verification status in ``lang``: ``Verified (4)`` or ``已核实（4处）``."""
        if lang != "zh":
            return self.status
        if self.verified:
            count = self.status.removeprefix("Verified (").rstrip(")")
            return f"已核实（{count}处）"
        return "仅见一处" if self.status == "Found once" else self.status

    @property
    def verified(self) -> bool:
        """Whether the text was found verbatim in at least two independent copies."""
        return self.status.startswith("Verified")

    def cite(self, lang: str = "en") -> str:
        """A short citation with the verification status.

        Examples
        --------
        >>> REG_7_2.cite()
        'Reg. Prohibition of Pyramid Selling Art. 7(2) [Verified (4)]'
        """
        if lang == "zh":
            short = self.document.split("(")[0]
            return f"{short}{self.article}［{self.status_text('zh')}］"
        short = _SHORT_EN.get(self.document_en, self.document_en)
        return f"{short} {self.article_en} [{self.status}]"


_SHORT_EN = {
    _REG_EN: "Reg. Prohibition of Pyramid Selling",
    _DS_EN: "Reg. Direct Selling",
    _OPINION_EN: "2013 Opinion",
    "Criminal Law of the PRC": "Criminal Law",
}
_NATURE_ZH = {
    "administrative regulation": "行政法规",
    "criminal law": "刑法",
    "judicial opinion": "司法解释性文件",
    "platform rule": "平台规则",
}

REG_7_1 = LegalBasis(
    _REG,
    _REG_EN,
    "第七条第（一）项",
    "Art. 7(1)",
    "组织者或者经营者通过发展人员，要求被发展人员发展其他人员加入，"
    "对发展的人员以其直接或者间接滚动发展的人员数量为依据计算和给付报酬",
    "Head-count (拉人头): recruits must recruit others and are paid by the number of people "
    "recruited, directly or indirectly, in a rolling chain (pay includes material rewards "
    "and other economic benefits).",
    "Verified (4)",
    "administrative regulation",
)
REG_7_2 = LegalBasis(
    _REG,
    _REG_EN,
    "第七条第（二）项",
    "Art. 7(2)",
    "要求被发展人员交纳费用或者以认购商品等方式变相交纳费用，取得加入或者发展其他人员加入的资格",
    "Entry fee (入门费): recruits must pay a fee, or a disguised fee such as buying goods, "
    "to qualify to join or to recruit.",
    "Verified (4)",
    "administrative regulation",
)
REG_7_3 = LegalBasis(
    _REG,
    _REG_EN,
    "第七条第（三）项",
    "Art. 7(3)",
    "要求被发展人员发展其他人员加入，形成上下线关系，并以下线的销售业绩为依据计算和给付上线报酬",
    "Team remuneration (团队计酬): recruits must recruit others, forming upline-downline "
    "relationships, and the upline is paid on the downline's sales performance.",
    "Verified (4)",
    "administrative regulation",
)
DS_14 = LegalBasis(
    _DS,
    _DS_EN,
    "第十四条",
    "Art. 14",
    "不得以缴纳费用或者购买商品作为成为直销员的条件",
    "A direct-selling enterprise may not make paying a fee or buying goods a condition of "
    "becoming a direct seller.",
    "Verified (2)",
    "administrative regulation",
)
DS_24 = LegalBasis(
    _DS,
    _DS_EN,
    "第二十四条",
    "Art. 24",
    "直销企业支付给直销员的报酬只能按照直销员本人直接向消费者销售产品的收入计算，"
    "报酬总额（包括佣金、奖金、各种形式的奖励以及其他经济利益等）"
    "不得超过直销员本人直接向消费者销售产品收入的30%",
    "A direct seller's pay may be calculated only on the income from products the seller "
    "personally sells directly to consumers; total pay, of every kind, may not exceed 30% of "
    "that income.",
    "Verified (3)",
    "administrative regulation",
)
CRIMINAL_224_1 = LegalBasis(
    "《中华人民共和国刑法》",
    "Criminal Law of the PRC",
    "第二百二十四条之一",
    "Art. 224-1",
    "要求参加者以缴纳费用或者购买商品、服务等方式获得加入资格，并按照一定顺序组成层级，"
    "直接或者间接以发展人员的数量作为计酬或者返利依据",
    "The offence of organising or leading pyramid selling: participants gain membership by "
    "paying fees or buying goods or services, are arranged in tiers in a set order, and pay "
    "or rebates are based on the number of people recruited (it also requires luring "
    "participants to keep recruiting and defrauding property).",
    "Verified (5)",
    "criminal law",
)
OPINION_1 = LegalBasis(
    _OPINION,
    _OPINION_EN,
    "一、关于传销组织层级及人数的认定问题",
    "Section 1",
    "其组织内部参与传销活动人员在三十人以上且层级在三级以上的，应当对组织者、领导者追究刑事责任"
    "……组织、领导多个传销组织，单个或者多个组织中的层级已达三级以上的，"
    "可将在各个组织中发展的人数合并计算",
    "An organisation with 30 or more participants and 3 or more levels: its organisers and "
    "leaders are criminally liable. For someone leading several organisations, headcounts "
    "may be added together once one or more of them reach 3 levels.",
    "Verified (4)",
    "judicial opinion",
)
OPINION_7 = LegalBasis(
    _OPINION,
    _OPINION_EN,
    "七、其他问题",
    "Section 7",
    '本意见所称"以上"、"以内"，包括本数。……'
    "对传销组织内部人数和层级数的计算，以及对组织者、领导者直接或者间接发展参与传销活动人员"
    "人数和层级数的计算，包括组织者、领导者本人及其本层级在内",
    '"Or more" includes the stated number; headcount and levels are counted including the '
    "organiser or leader and the organiser's own level, so organiser → A → B is three "
    "levels.",
    "Found once",
    "judicial opinion",
)
OPINION_5 = LegalBasis(
    _OPINION,
    _OPINION_EN,
    "五、关于“团队计酬”行为的处理问题",
    "Section 5",
    '以销售商品为目的、以销售业绩为计酬依据的单纯的"团队计酬"式传销活动，不作为犯罪处理',
    "Pure team remuneration, aimed at selling goods and paid on sales performance, is not "
    "prosecuted as a crime (it remains an administrative violation under the Regulations).",
    "Verified (2)",
    "judicial opinion",
)
WECHAT_2016 = LegalBasis(
    "微信公众平台公告（2016-09-12，整顿多级分销欺诈）",
    "WeChat Official Accounts Platform announcement of 2016-09-12 (multi-level distribution)",
    "所列违规行为第1项",
    "listed violation 1",
    "通过发展人员形成上下线关系，依据下线人数、销售业绩等为依据计算和给付上线报酬",
    "Forming upline-downline relationships and paying uplines by downline headcount or "
    "sales (a platform rule, not law; it names no number of levels).",
    "Verified (2)",
    "platform rule",
)

LEGAL_TEXTS: tuple[LegalBasis, ...] = (
    REG_7_1,
    REG_7_2,
    REG_7_3,
    DS_14,
    DS_24,
    CRIMINAL_224_1,
    OPINION_1,
    OPINION_7,
    OPINION_5,
    WECHAT_2016,
)
"""Every text the findings cite, in the order the docs list them."""

# -- indicators and their lines -------------------------------------------------------

CRIMINAL_PARTICIPANTS = 30
"""意见 一: participants, 30 or more (以上 includes the number, 意见 七)."""
CRIMINAL_LEVELS = 3
"""意见 一: levels, 3 or more, counted including the organiser's own level (意见 七)."""
TEAM_PAY_WARNING_LEVELS = 2
"""Levels in a pay chain (the seller's own included) from which an upline is paid on a
downline's sales: the wording of Reg. Art. 7(3), which names no number of levels."""
TEAM_PAY_HIGH_LEVELS = 3
"""Levels in a pay chain from which the chain itself spans the 3 levels 意见 一 counts
(a project threshold: no text sets a number of levels for pay)."""
DIRECT_SELLING_CAP = Decimal("0.30")
"""直销 Art. 24: pay at most 30% of the seller's own sales to consumers."""

HEALTH_LINES: dict[str, tuple[Decimal, Decimal, Decimal]] = {
    "recruitment_dependence": (Decimal("0.50"), Decimal("0.70"), Decimal("0.90")),
    "losing_share": (Decimal("0.50"), Decimal("0.70"), Decimal("0.90")),
    "zero_earners": (Decimal("0.30"), Decimal("0.50"), Decimal("0.70")),
    "payout_ratio": (Decimal("0.30"), Decimal("0.50"), Decimal("0.70")),
    "top1_share": (Decimal("0.20"), Decimal("0.35"), Decimal("0.50")),
    "top10_share": (Decimal("0.50"), Decimal("0.70"), Decimal("0.85")),
    "gini": (Decimal("0.50"), Decimal("0.70"), Decimal("0.85")),
}
"""Watch, warning and critical lines of each health indicator (value at or above a line
reaches it). They are the project's analytical choices, not legal thresholds; the docs
page gives the reason for each."""


@dataclass(frozen=True)
class Indicator:
    """What one indicator checks: its key, names, group and the texts it rests on."""

    key: str
    zh: str
    en: str
    group: Literal["legal", "health"]
    question: str
    basis: tuple[LegalBasis, ...] = ()

    def label(self, lang: str = "en") -> str:
        """The indicator's name in ``lang`` (``zh`` or ``en``)."""
        return self.zh if lang == "zh" else self.en


INDICATORS: dict[str, Indicator] = {
    i.key: i
    for i in (
        Indicator(
            "entry_fee",
            "入门费",
            "Entry fee",
            "legal",
            "Must a person pay, or buy goods, to get the right to earn or to recruit?",
            (REG_7_2, DS_14),
        ),
        Indicator(
            "recruit_reward",
            "拉人头",
            "Recruitment rewards",
            "legal",
            "Is anyone paid for the people it recruits, or ranked by how many?",
            (REG_7_1, CRIMINAL_224_1, WECHAT_2016),
        ),
        Indicator(
            "team_pay",
            "团队计酬",
            "Team pay (downline sales)",
            "legal",
            "Are uplines paid on their downline's sales, and over how many levels?",
            (REG_7_3, OPINION_5, WECHAT_2016),
        ),
        Indicator(
            "own_sales",
            "直销计酬基准",
            "Direct-selling baseline",
            "legal",
            "Is pay based only on the seller's own sales to consumers, within 30% of them?",
            (DS_24,),
        ),
        Indicator(
            "network_thresholds",
            "刑事立案人数层级",
            "Criminal-case thresholds",
            "legal",
            "Does the simulated network reach 30 participants over 3 levels?",
            (OPINION_1, OPINION_7, CRIMINAL_224_1),
        ),
        Indicator(
            "recruitment_dependence",
            "拉新依赖度",
            "Recruitment dependence",
            "health",
            "What share of the payouts did joins trigger, rather than repurchases?",
        ),
        Indicator(
            "losing_share",
            "亏损参与者占比",
            "Members losing money",
            "health",
            "What share of members paid in more than they earned?",
        ),
        Indicator(
            "zero_earners",
            "零收益参与者占比",
            "Zero earners",
            "health",
            "What share of members earned nothing?",
        ),
        Indicator(
            "payout_ratio",
            "拨出比例",
            "Payout ratio",
            "health",
            "What share of the package money was paid back out as rewards?",
        ),
        Indicator(
            "top1_share",
            "前1%收益占比",
            "Top 1% share",
            "health",
            "What share of all earnings went to the top 1% of members?",
        ),
        Indicator(
            "top10_share",
            "前10%收益占比",
            "Top 10% share",
            "health",
            "What share of all earnings went to the top 10% of members?",
        ),
        Indicator(
            "gini",
            "收益基尼系数",
            "Gini of earnings",
            "health",
            "How unequal are earnings over all members (0 equal, 1 one takes all)?",
        ),
    )
}
"""Every indicator by key, legal first, in the order findings are listed."""

_SEVERITY_ZH = {
    "info": "提示",
    "ok": "正常",
    "watch": "关注",
    "warning": "警示",
    "high": "高",
    "critical": "严重",
}
_LEVEL_ZH = {"low": "低", "warning": "警示", "high": "高"}

# -- measures, findings, assessments ---------------------------------------------------


@dataclass(frozen=True)
class Measure:
    """A value measured against the lines of its indicator.

    Attributes
    ----------
    name, name_zh : str
        What is measured, in English and Chinese.
    value : Decimal or None
        The value; None means unlimited (pay that reaches any depth).
    unit : str
        ``yuan``, ``share`` (0.3 is 30%), ``levels``, ``people``, ``recruits`` or ``index``.
    lines : tuple of (severity, Decimal)
        Each severity and the threshold that reaches it, lowest first.
    strict : bool
        True when a line is crossed only above it (``> 0``); else at it (``≥ 30``: the
        2013 opinion's "以上" includes the number).

    Examples
    --------
    >>> m = Measure("participants", "参与人数", Decimal(29), "people", (("high", Decimal(30)),))
    >>> m.reached, m.margin, m.distance()
    (None, Decimal('-1'), '1 person short')
    """

    name: str
    name_zh: str
    value: Decimal | None
    unit: Unit
    lines: tuple[tuple[str, Decimal], ...]
    strict: bool = False

    def _over(self, threshold: Decimal) -> bool:
        if self.value is None:
            return True
        return self.value > threshold if self.strict else self.value >= threshold

    @property
    def reached(self) -> str | None:
        """The highest severity whose line the value reaches, or None."""
        hit = [severity for severity, threshold in self.lines if self._over(threshold)]
        return hit[-1] if hit else None

    @property
    def threshold(self) -> Decimal:
        """The line that decides: the highest one reached, else the lowest."""
        hit = [threshold for _, threshold in self.lines if self._over(threshold)]
        return hit[-1] if hit else self.lines[0][1]

    @property
    def margin(self) -> Decimal | None:
        """``value − threshold``: above 0 past the line, below 0 short of it; None unlimited."""
        return None if self.value is None else self.value - self.threshold

    def show(self, value: Decimal | None, lang: str = "en") -> str:
        """A value in this measure's unit (``699 yuan``, ``74.4%``, ``unlimited``)."""
        if value is None:
            return "无限" if lang == "zh" else "unlimited"
        if self.unit == "yuan":
            return f"{yuan_text(value)} {'元' if lang == 'zh' else 'yuan'}"
        if self.unit == "share":
            return f"{value * 100:.1f}%"
        if self.unit == "index":
            return f"{value:.2f}"
        one, many, zh = {
            "levels": ("level", "levels", "级"),
            "people": ("person", "people", "人"),
            "recruits": ("recruit", "recruits", "人"),
        }[self.unit]
        number = yuan_text(value)
        if lang == "zh":
            return f"{number}{zh}"
        return f"{number} {one if value == 1 else many}"

    def line_text(self, lang: str = "en") -> str:
        """The deciding line, with its comparison: ``≥ 30 people``, ``> 0 yuan``."""
        return f"{'>' if self.strict else '≥'} {self.show(self.threshold, lang)}"

    def distance(self, lang: str = "en") -> str:
        """How far the value is from the deciding line: ``11 over``, ``1 short``."""
        margin = self.margin
        if margin is None:
            return "无上限" if lang == "zh" else "no limit"
        if margin == 0:
            crossed = self._over(self.threshold)
            if lang == "zh":
                return "达到" if crossed else "未越过"
            return "at the line" if crossed else "not over"
        amount = self.show(abs(margin), lang)
        if lang == "zh":
            return f"超出 {amount}" if margin > 0 else f"差 {amount}"
        return f"{amount} {'over' if margin > 0 else 'short'}"

    def to_record(self) -> dict[str, Any]:
        """The measure as plain values (numbers as Decimal, None for unlimited)."""
        return {
            "name": self.name,
            "value": self.value,
            "unit": self.unit,
            "threshold": self.threshold,
            "comparison": ">" if self.strict else ">=",
            "margin": self.margin,
            "lines": {severity: threshold for severity, threshold in self.lines},
        }


@dataclass(frozen=True)
class Finding:
    """One indicator's result: severity, evidence, measures, legal basis, explanation.

    Attributes
    ----------
    indicator : str
        Key in `INDICATORS`.
    severity : str
        Legal indicators: ``info``, ``warning``, ``high``. Health indicators: ``ok``,
        ``watch``, ``warning``, ``critical``.
    evidence : str
        What in the parameters or the run caused it, naming the parameters and values.
    measures : tuple of Measure
        The values measured and their lines (the first is ``value``/``threshold``).
    basis : tuple of LegalBasis
        The texts cited; empty for health indicators.
    explanation, explanation_zh : str
        One line on what the result means, in English and Chinese.
    via : str
        Where the finding was inherited from (``plan``), else empty.

    Examples
    --------
    What does a dealer pay to join `tob_recruitment`, and how far is that from the line?

    >>> f = assess("tob_recruitment").finding("entry_fee")
    >>> f.severity, f.value, f.measures[0].distance()
    ('high', Decimal('699'), '699 yuan over')
    """

    indicator: str
    severity: Severity
    evidence: str
    measures: tuple[Measure, ...]
    basis: tuple[LegalBasis, ...]
    explanation: str
    explanation_zh: str
    via: str = ""

    @property
    def group(self) -> Literal["legal", "health"]:
        """``legal`` or ``health``."""
        return INDICATORS[self.indicator].group

    @property
    def value(self) -> Decimal | None:
        """The first measure's value (None if unlimited or not measured)."""
        return self.measures[0].value if self.measures else None

    @property
    def threshold(self) -> Decimal | None:
        """The first measure's deciding line (None if not measured)."""
        return self.measures[0].threshold if self.measures else None

    def label(self, lang: str = "en") -> str:
        """The indicator's name in ``lang``."""
        return INDICATORS[self.indicator].label(lang)

    def to_record(self) -> dict[str, Any]:
        """The finding as plain values, its measures and legal basis included."""
        first = self.measures[0] if self.measures else None
        return {
            "indicator": self.indicator,
            "label": self.label("en"),
            "label_zh": self.label("zh"),
            "group": self.group,
            "severity": self.severity,
            "value": self.value,
            "threshold": self.threshold,
            "unit": first.unit if first else None,
            "margin": first.margin if first else None,
            "evidence": self.evidence,
            "explanation": self.explanation,
            "explanation_zh": self.explanation_zh,
            "via": self.via,
            "measures": [m.to_record() for m in self.measures],
            "basis": [
                {
                    "document": b.document,
                    "document_en": b.document_en,
                    "article": b.article,
                    "article_en": b.article_en,
                    "wording": b.wording,
                    "gloss": b.gloss,
                    "status": b.status,
                }
                for b in self.basis
            ],
        }


def _rank(severity: str) -> int:
    """Severity on one scale for comparisons: info/ok 0, watch 1, warning 2, high/critical 3."""
    return {"info": 0, "ok": 0, "watch": 1, "warning": 2, "high": 3, "critical": 3}[severity]


@dataclass(frozen=True)
class Assessment:
    """The findings on one model, preset, plan or simulated network, and their overall level.

    Attributes
    ----------
    subject : str
        What was assessed (a slug, a plan, a simulation).
    findings : tuple of Finding
        Legal findings first, then health findings, in `INDICATORS` order.

    Examples
    --------
    >>> a = assess("toc_membership")
    >>> a.level, a.finding("entry_fee").severity
    ('low', 'info')
    """

    subject: str
    findings: tuple[Finding, ...]

    @property
    def level(self) -> Level:
        """The overall level: ``low``, ``warning`` or ``high``.

        ``high`` if a legal finding is high; ``warning`` if one is a warning, or if a health
        finding is a warning or critical; else ``low``.
        """
        legal = max((_rank(f.severity) for f in self.legal), default=0)
        health = max((_rank(f.severity) for f in self.health), default=0)
        if legal >= _rank("high"):
            return "high"
        if legal >= _rank("warning") or health >= _rank("warning"):
            return "warning"
        return "low"

    @property
    def legal(self) -> tuple[Finding, ...]:
        """The legal findings."""
        return tuple(f for f in self.findings if f.group == "legal")

    @property
    def health(self) -> tuple[Finding, ...]:
        """The health findings (a simulation only)."""
        return tuple(f for f in self.findings if f.group == "health")

    def finding(self, indicator: str) -> Finding:
        """The finding of one indicator.

        Raises
        ------
        KeyError
            No finding for it, listing those present.
        """
        for f in self.findings:
            if f.indicator == indicator:
                return f
        present = ", ".join(f.indicator for f in self.findings)
        raise KeyError(f"no finding {indicator!r} in this assessment; present: {present}")

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per finding (see `Finding.to_record`)."""
        return [f.to_record() for f in self.findings]

    def to_table(self, lang: str = "en", fmt: str = "simple") -> str:
        """The findings as a table through tabulate (``fmt`` a tabulate format).

        Columns: indicator, severity, value, line, distance from it, evidence, legal basis
        (short citations with their verification status). In the ``simple`` format the
        long columns are wrapped.
        """
        zh = lang == "zh"
        headers = (
            ("指标", "级别", "数值", "界线", "距离", "依据事实", "法律依据")
            if zh
            else ("indicator", "severity", "value", "line", "distance", "evidence", "legal basis")
        )
        rows = []
        for f in self.findings:
            via = ("（经计划）" if zh else f" (via {f.via})") if f.via else ""
            rows.append(
                (
                    f.label(lang) + via,
                    _SEVERITY_ZH[f.severity] if zh else f.severity,
                    "; ".join(m.show(m.value, lang) for m in f.measures) or "—",
                    "; ".join(m.line_text(lang) for m in f.measures) or "—",
                    "; ".join(m.distance(lang) for m in f.measures) or "—",
                    f.evidence,
                    "; ".join(b.cite(lang) for b in f.basis) or "—",
                )
            )
        wrap = fmt in ("simple", "plain", "grid")
        widths = [18, 9, 14, 14, 14, 56, 30] if wrap else None
        return tabulate(
            rows, headers=headers, tablefmt=fmt, disable_numparse=True, maxcolwidths=widths
        )

    def basis_text(self, lang: str = "en", markdown: bool = False) -> str:
        """Every text cited, once: document, article, verification, wording and gloss."""
        cited: list[LegalBasis] = []
        for f in self.findings:
            cited += [b for b in f.basis if b not in cited]
        out = []
        for i, b in enumerate(cited, start=1):
            if lang == "zh":
                head = f"{b.document}{b.article}"
                status = f"{b.status_text('zh')}；{_NATURE_ZH[b.nature]}"
            else:
                head = f"{b.document_en}, {b.article_en}"
                status = f"{b.status}; {b.nature}"
            if markdown:
                # blank lines keep the quotation and the gloss inside the list item
                out += [f"{i}. **{head}** ({status})", "", f"    > {b.wording}", ""]
                out += [f"    *{b.gloss}*", ""]
            else:
                out += [f"[{i}] {head} ({status})", f"    {b.wording}", f"    {b.gloss}"]
        return "\n".join(out)

    def render(self, fmt: str = "table", lang: str = "en") -> str:
        """The assessment as text (``table``), ``markdown``, ``json`` or ``csv``.

        Text and markdown show the level, the findings table, the explanations, every
        legal text cited and the disclaimer; JSON and CSV the records.

        Raises
        ------
        ValueError
            An unknown format.
        """
        if fmt == "json":
            return json.dumps(
                {
                    "subject": self.subject,
                    "level": self.level,
                    "disclaimer": DISCLAIMER,
                    "findings": self.to_records(),
                },
                ensure_ascii=False,
                indent=2,
                default=_json_value,
            )
        if fmt == "csv":
            buffer = io.StringIO()
            columns = ("indicator", "group", "severity", "value", "threshold", "unit", "margin")
            writer = csv.writer(buffer, lineterminator="\n")
            writer.writerow([*columns, "evidence", "basis"])
            for f, record in zip(self.findings, self.to_records(), strict=True):
                basis = "; ".join(b.cite() for b in f.basis)
                writer.writerow([*(record[c] for c in columns), f.evidence, basis])
            return buffer.getvalue().rstrip("\n")
        if fmt not in ("table", "markdown"):
            raise ValueError(f"format must be table, markdown, json or csv, not {fmt!r}")
        markdown = fmt == "markdown"
        zh = lang == "zh"
        level = _LEVEL_ZH[self.level] if zh else self.level.upper()
        title = f"{self.subject}: {'风险等级' if zh else 'risk level'} {level}"
        why = [
            f"- {f.label(lang)}: {f.explanation_zh if zh else f.explanation}" for f in self.findings
        ]
        heading = "法律依据" if zh else "Legal basis"
        return "\n".join(
            [
                f"**{title}**" if markdown else title,
                "",
                self.to_table(lang, "github" if markdown else "simple"),
                "",
                *why,
                "",
                f"**{heading}**" if markdown else heading,
                "",
                self.basis_text(lang, markdown),
                "",
                _DISCLAIMER_ZH if zh else DISCLAIMER,
            ]
        )

    def __str__(self) -> str:
        return self.render()


def _json_value(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


# -- reading models and plans ------------------------------------------------------------


def profile_of(model: BusinessModel) -> ComplianceProfile:
    """The model's `ComplianceProfile`, or `NEUTRAL_PROFILE` if it declares none.

    Examples
    --------
    >>> from bizmodels.presets import resolve
    >>> profile_of(resolve("three_level_distribution")).pay_levels
    3
    """
    declare = getattr(model, "compliance_profile", None)
    if declare is None:
        return NEUTRAL_PROFILE
    profile = declare()
    if not isinstance(profile, ComplianceProfile):
        raise TypeError(
            f"{type(model).__name__}.compliance_profile() returned {type(profile).__name__}, "
            "not a ComplianceProfile"
        )
    return profile


def _yuan_of_fen(fen: int) -> Decimal:
    return Decimal(fen) / 100


def _triple(values: tuple[Decimal, Decimal, Decimal]) -> str:
    return "/".join(yuan_text(v) for v in values)


def plan_profile(plan: Plan) -> ComplianceProfile:
    """Read a commission plan's features from its own parameters.

    A member of every plan joins by buying the plan's package (the join is an order), and
    only members earn: that purchase is the entry fee.

    Parameters
    ----------
    plan : LiandongPlan, DistributionPlan or RefundPlan

    Returns
    -------
    ComplianceProfile

    Examples
    --------
    >>> from bizmodels.plans import liandong_699
    >>> p = plan_profile(liandong_699())
    >>> p.entry_fee, p.recruit_reward, p.pay_levels
    (Decimal('699'), Decimal('200'), None)
    """
    if isinstance(plan, LiandongPlan):
        return _liandong_profile(plan)
    if isinstance(plan, DistributionPlan):
        return _distribution_profile(plan)
    if isinstance(plan, RefundPlan):
        return _refund_profile(plan)
    raise TypeError(f"not a plan: {type(plan).__name__}")


def _liandong_profile(plan: LiandongPlan) -> ComplianceProfile:
    price = plan.package_price
    most = plan.max_order_payout()
    payback = plan.payback_recruits()
    back = (
        f"{payback} recruits earn the package back (payback_recruits)"
        if payback is not None
        else "no number of recruits earns the package back"
    )
    return ComplianceProfile(
        entry_fee=price,
        recruit_reward=plan.direct_member,
        recruits_counted=plan.agent_recruits,
        unlimited_levels=True,
        evidence={
            "entry_fee": (
                f"a {yuan_text(price)} yuan package (礼包价, package_price) must be bought to "
                "join, and only members earn rewards; reaching V1, V2, V3 also means buying "
                f"identity packages (身份礼包, upgrade_price = {_triple(plan.upgrade_price)} "
                "yuan)"
            ),
            "recruit_reward": (
                f"a direct reward (直推奖, direct_member = {yuan_text(plan.direct_member)} yuan; "
                f"direct_agent = {yuan_text(plan.direct_agent)} once the sponsor is an agent) "
                "is paid for each recruit who buys the package, and a see-point reward (见点奖, "
                f"see_point = {yuan_text(plan.see_point)} yuan) for each recruit slid to an "
                f"upline; recruiting agent_recruits = {plan.agent_recruits} makes a member an "
                f"AGENT, a rank counted on recruits; {back}"
            ),
            "team_pay": (
                "rewards reach unlimited placement depth: the differential (极差, "
                f"differential = {_triple(plan.differential)} yuan) goes to the nearest "
                "regional dealers among the buyer's placement ancestors at any depth, the "
                f"peer reward (平级奖, peer_rate = {share_text(plan.peer_rate)}) to the nearest "
                "same-rank ancestor at any depth, the see-point to a slid buyer's placement "
                f"parent, and pool_contribution = {_triple(plan.pool_contribution)} yuan per "
                "order into pools split among the V1-V3 dealers; every repurchase pays them "
                f"again; freeze_rate = {share_text(plan.freeze_rate)} of direct and peer rewards "
                f"stays frozen until unlock_orders = {plan.unlock_orders} orders are placed "
                "under positions 1 and 2"
            ),
            "own_sales": (
                "members are paid only on other members' packages, never on their own sales "
                f"to consumers; one package pays out up to {yuan_text(most)} yuan "
                f"({share_text(_share(most, price))} of its price, max_order_payout)"
            ),
        },
    )


def _distribution_profile(plan: DistributionPlan) -> ComplianceProfile:
    rewards = [_yuan_of_fen(f) for f in plan.level_rewards]
    levels = ", ".join(
        f"level {i} {share_text(r)} ({yuan_text(y)} yuan)"
        for i, (r, y) in enumerate(zip(plan.rates, rewards, strict=True), start=1)
    )
    return ComplianceProfile(
        entry_fee=plan.price,
        recruit_reward=rewards[0],
        upline_rates=tuple(plan.rates),
        evidence={
            "entry_fee": (
                f"a member joins by placing an order of price = {yuan_text(plan.price)} yuan "
                "(the join is a purchase), and only members earn commission"
            ),
            "recruit_reward": (
                f"the sponsor earns rates[0] = {share_text(plan.rates[0])} of each recruit's "
                f"joining order: {yuan_text(rewards[0])} yuan per recruit"
            ),
            "team_pay": (
                f"every order (the join and each repurchase) pays {len(plan.rates)} levels up "
                f"the sponsor chain: {levels}"
            ),
            "own_sales": "members are paid only on other members' orders, never on their own "
            "sales to consumers",
        },
    )


def _refund_profile(plan: RefundPlan) -> ComplianceProfile:
    refund = _yuan_of_fen(plan.refund)
    per_recruit = (refund / plan.recruits_required).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return ComplianceProfile(
        entry_fee=plan.price,
        recruit_reward=per_recruit,
        recruits_counted=plan.recruits_required,
        evidence={
            "entry_fee": (
                f"a member joins by buying the package (price = {yuan_text(plan.price)} yuan); "
                "only members can earn the refund"
            ),
            "recruit_reward": (
                f"a member whose recruits reach recruits_required = {plan.recruits_required} "
                f"gets refund_rate = {share_text(plan.refund_rate)} of its own price back "
                f"({yuan_text(refund)} yuan, 推三返一), once: {yuan_text(per_recruit)} yuan per "
                "recruit"
            ),
            "team_pay": "no reward is paid on repurchases or beyond the recruiter",
            "own_sales": "the only reward is counted on recruits, not on sales",
        },
    )


def _share(numerator: Decimal, denominator: Decimal) -> Decimal:
    if not denominator:
        return Decimal(0)
    return (numerator / denominator).quantize(Decimal("0.0001"), ROUND_HALF_UP)


# -- legal findings from a profile -----------------------------------------------------

_UNDECLARED = (
    "the model declares no compliance profile (no compliance_profile method): read as "
    "having no fee, no reward for recruiting and no pay on others' sales"
)


def _evidence(profile: ComplianceProfile, key: str, default: str) -> str:
    if not profile.declared:
        return _UNDECLARED
    return profile.evidence.get(key) or default


def _recruits(profile: ComplianceProfile) -> bool:
    return profile.recruit_reward > 0 or profile.recruits_counted > 0


def _team_levels(profile: ComplianceProfile) -> bool:
    levels = profile.pay_levels
    return levels is None or levels >= TEAM_PAY_WARNING_LEVELS


def _entry_fee(profile: ComplianceProfile) -> Finding:
    fee = profile.entry_fee
    # A fee that funds pay for recruits or a downline is the 入门费 form in full; a fee for
    # the right to resell alone matches the wording of 7(2) and 直销 14 but rewards nobody
    # for bringing the payer in.
    funds_others = _recruits(profile) or _team_levels(profile)
    if_over: LegalSeverity = "high" if funds_others else "warning"
    severity: LegalSeverity = if_over if fee > 0 else "info"
    measure = Measure(
        "entry fee for the right to earn", "入门费", fee, "yuan", ((if_over, Decimal(0)),), True
    )
    default = (
        f"{yuan_text(fee)} yuan must be paid for the right to earn"
        if fee > 0
        else "no payment is required for a right to earn"
    )
    if severity == "high":
        why = (
            (
                "A payment or purchase is the condition of joining and earning, and it funds pay "
                "for recruits or uplines: the 入门费 form of Reg. Art. 7(2)."
            ),
            (
                "以缴费或购买商品为加入和获得收益的条件，且该款项用于发放拉人或上线报酬：符合《禁止传销条例》"
                "第七条第（二）项“入门费”的表述。"
            ),
        )
    elif severity == "warning":
        why = (
            (
                "A purchase is the condition of the right to resell or earn; nothing rewards "
                "recruiting, but the wording of Reg. Art. 7(2) (认购商品…取得加入…的资格) and "
                "直销 Art. 14 covers it."
            ),
            (
                "以购买商品为取得经销或收益资格的条件；虽无拉人奖励，但符合第七条第（二）项及《直销管理条例》"
                "第十四条的文字。"
            ),
        )
    else:
        why = (
            "No payment is required for a right to earn or to recruit.",
            "取得收益或发展他人的资格无需缴费。",
        )
    return Finding(
        "entry_fee",
        severity,
        _evidence(profile, "entry_fee", default),
        (measure,),
        INDICATORS["entry_fee"].basis,
        *why,
    )


def _recruit_reward(profile: ComplianceProfile) -> Finding:
    severity: LegalSeverity = "high" if _recruits(profile) else "info"
    measures = [
        Measure(
            "reward per recruit",
            "每发展一人的奖励",
            profile.recruit_reward,
            "yuan",
            (("high", Decimal(0)),),
            True,
        )
    ]
    if profile.recruits_counted:
        measures.append(
            Measure(
                "recruits a reward or rank is counted on",
                "计酬或晋级所需人数",
                Decimal(profile.recruits_counted),
                "recruits",
                (("high", Decimal(1)),),
            )
        )
    basis: tuple[LegalBasis, ...] = (REG_7_1, WECHAT_2016)
    if severity == "high":
        why = (
            "Pay is counted on the people a member recruits: the 拉人头 form of Reg. Art. 7(1).",
            "以发展人员数量计算报酬：符合《禁止传销条例》第七条第（一）项“拉人头”的表述。",
        )
        if profile.entry_fee > 0:
            # 224-1 also needs tiers, luring to keep recruiting and defrauding property;
            # cite it only with the fee, and say what it adds.
            basis = (REG_7_1, CRIMINAL_224_1, WECHAT_2016)
            why = (
                why[0] + " With the paid entry, two elements of Criminal Law Art. 224-1 are "
                "present (it also requires tiers and defrauding property).",
                why[1] + "加上缴费入门，已具备《刑法》第二百二十四条之一的两项要件"
                "（该条另要求层级及骗取财物）。",
            )
    else:
        why = ("No one is paid for recruiting.", "无发展人员奖励。")
    return Finding(
        "recruit_reward",
        severity,
        _evidence(profile, "recruit_reward", "no reward is paid for a recruit"),
        tuple(measures),
        basis,
        *why,
    )


def _rates_text(profile: ComplianceProfile) -> str:
    parts = []
    if profile.own_sales_rate:
        parts.append(f"own {share_text(profile.own_sales_rate)}")
    parts += [share_text(r) for r in profile.upline_rates]
    if profile.unlimited_levels:
        parts.append("then any depth")
    return f" (rates up the chain: {', '.join(parts)})" if len(parts) > 1 else ""


def _team_pay(profile: ComplianceProfile) -> Finding:
    levels = profile.pay_levels
    if levels is None or levels >= TEAM_PAY_HIGH_LEVELS:
        severity: LegalSeverity = "high"
    elif levels >= TEAM_PAY_WARNING_LEVELS:
        severity = "warning"
    else:
        severity = "info"
    measure = Measure(
        "levels in the pay chain, the seller's own included",
        "计酬层级（含销售者本级）",
        None if levels is None else Decimal(levels),
        "levels",
        (
            ("warning", Decimal(TEAM_PAY_WARNING_LEVELS)),
            ("high", Decimal(TEAM_PAY_HIGH_LEVELS)),
        ),
    )
    depth = "at any depth" if levels is None else f"across {levels} levels"
    if severity == "high":
        why = (
            (
                f"Uplines are paid on their downline's sales {depth}: the 团队计酬 form of Reg. "
                "Art. 7(3); a chain of 3 or more paid levels spans the 3 levels the 2013 opinion "
                "counts. Under its section 5, pure team pay on genuine sales is not prosecuted as "
                "a crime, but remains an administrative matter."
            ),
            (
                "上线按下线销售业绩计酬且达三级或以上：符合第七条第（三）项“团队计酬”的表述；"
                "依2013年意见第五部分，单纯团队计酬不作为犯罪处理，但仍属行政违法范畴。"
            ),
        )
    elif severity == "warning":
        why = (
            (
                "An upline is paid on a downline's sales, one level up: this matches the wording "
                "of Reg. Art. 7(3), which names no minimum number of levels."
            ),
            "上线按下线的销售业绩获得报酬（一级）：符合第七条第（三）项的文字，该项未规定最低层级数。",
        )
    else:
        why = ("No one is paid on another participant's sales.", "无人按他人的销售业绩获得报酬。")
    default = (
        "no one is paid on another participant's sales"
        if severity == "info"
        else f"uplines are paid on a downline's sales {depth}"
    )
    return Finding(
        "team_pay",
        severity,
        _evidence(profile, "team_pay", default) + _rates_text(profile),
        (measure,),
        INDICATORS["team_pay"].basis,
        *why,
    )


def _own_sales(profile: ComplianceProfile) -> Finding:
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
    others = _recruits(profile) or beyond is None or beyond > 0
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
        _evidence(profile, "own_sales", default),
        measures,
        INDICATORS["own_sales"].basis,
        *why,
    )


def _not_measured() -> Finding:
    return Finding(
        "network_thresholds",
        "info",
        "not measured: the thresholds are about an actual network; assess a simulation "
        "(assess(simulate(plan, events)), or `bizmodels assess NAME --simulate FILE`)",
        (),
        INDICATORS["network_thresholds"].basis,
        "The 2013 opinion's 30 participants over 3 levels are checked on a simulated network.",
        "2013年意见的30人、三级标准需在模拟网络上检验。",
    )


def _legal_findings(profile: ComplianceProfile) -> list[Finding]:
    findings = [
        _entry_fee(profile),
        _recruit_reward(profile),
        _team_pay(profile),
        _own_sales(profile),
    ]
    if profile.entry_fee > 0 or _recruits(profile) or _team_levels(profile):
        findings.append(_not_measured())
    return findings


# -- simulated networks ----------------------------------------------------------------


@dataclass(frozen=True)
class NetworkShape:
    """The sponsor tree of a run: who counts, and how many levels deep it goes.

    Attributes
    ----------
    participants : int
        Members in the network (every tree: one platform organises them all).
    levels : int
        Levels of the deepest sponsor chain, the root's own level included.
    trees : int
        Sponsor trees (members with no sponsor root one each).
    largest_tree : int
        Members in the largest tree.
    placement_levels : int
        Levels of the deepest placement chain (differs from the sponsor tree only where
        the plan places members away from their sponsor, as 链动2+1 slides them).
    """

    participants: int
    levels: int
    trees: int
    largest_tree: int
    placement_levels: int


def _tree_depths(parent: npt.NDArray[Any]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Depth (root 0) and root of every row of a forest given by parent rows (-1: root).

    Pointer jumping: O(n log depth), so a chain of a million members takes ~20 rounds.
    """
    n = parent.shape[0]
    rows = np.arange(n, dtype=np.int64)
    up = np.where(parent >= 0, parent, rows).astype(np.int64)
    depth = (parent >= 0).astype(np.int64)
    while True:
        nxt = up[up]
        if np.array_equal(nxt, up):
            return depth, up
        depth = depth + depth[up]
        up = nxt


def network_shape(run: SimulationResult) -> NetworkShape:
    """The size and depth of a simulated network's sponsor tree.

    Levels count the root's own level, as the 2013 opinion counts the organiser's (意见 七):
    root → A → B is three levels.

    Examples
    --------
    >>> from bizmodels.plans import distribution, simulate
    >>> run = simulate(distribution(), [("R", None, 0), ("A", "R", 0), ("B", "A", 0)])
    >>> network_shape(run).levels
    3
    """
    ledger = run.ledger
    n = len(ledger)
    if n == 0:
        return NetworkShape(0, 0, 0, 0, 0)
    depth, root = _tree_depths(ledger.sponsor)
    placement, _ = _tree_depths(ledger.parent)
    sizes = np.bincount(root, minlength=n)
    return NetworkShape(
        participants=n,
        levels=int(depth.max()) + 1,
        trees=int(np.count_nonzero(ledger.sponsor < 0)),
        largest_tree=int(sizes.max()),
        placement_levels=int(placement.max()) + 1,
    )


def _network_finding(run: SimulationResult) -> Finding:
    shape = network_shape(run)
    measures = (
        Measure(
            "participants",
            "参与人数",
            Decimal(shape.participants),
            "people",
            (("high", Decimal(CRIMINAL_PARTICIPANTS)),),
        ),
        Measure(
            "levels, the root's own included",
            "层级（含根节点本级）",
            Decimal(shape.levels),
            "levels",
            (("high", Decimal(CRIMINAL_LEVELS)),),
        ),
    )
    both = all(m.reached == "high" for m in measures)
    trees = (
        f"{shape.trees} sponsor trees (largest {shape.largest_tree}), counted together as one "
        "platform organises them all (意见 一, second paragraph)"
        if shape.trees > 1
        else "one sponsor tree"
    )
    evidence = (
        f"{shape.participants} members in {trees}; the deepest sponsor chain runs "
        f"{shape.levels} levels counting the root's own (placement tree: "
        f"{shape.placement_levels} levels)"
    )
    if both:
        why = (
            (
                "The network reaches the 2013 opinion's 30 participants over 3 levels (section 7, "
                "found once: counted with the organiser's level): if the other elements of "
                "Criminal Law Art. 224-1 were found, its size would not keep it below the line."
            ),
            (
                "网络达到2013年意见三十人以上、三级以上的标准（第七部分仅见一处：含组织者本级）；"
                "如其他要件成立，规模不能使其免于刑事追诉标准。"
            ),
        )
    else:
        why = (
            (
                "The network is below the 2013 opinion's 30 participants over 3 levels; a plan "
                "that keeps recruiting will not stay there."
            ),
            "网络未达2013年意见三十人、三级的标准；持续发展人员的方案不会一直停留在线下。",
        )
    return Finding(
        "network_thresholds",
        "high" if both else "info",
        evidence,
        measures,
        INDICATORS["network_thresholds"].basis,
        *why,
    )


def recruitment_dependence(run: SimulationResult) -> tuple[int, int]:
    """Fen the orders paid out that joins triggered, and fen the orders paid out in all.

    Paid out is everything that left the platform's hands: rewards and pool contributions
    (``received − retained``), each counted on the order that paid it, so a pool
    contribution counts on the order that made it, not on the day the pool is split.

    When the simulation reports the split (``Totals.rewards_on_joins`` and
    ``rewards_on_repurchases``) it is read from there. Otherwise the run is repeated on its
    joins alone: in every plan here a join's rewards depend only on the joins before it
    (ranks come from recruits and legs, never from orders), so what the joins-only run pays
    out is exactly what the joins triggered in the full run.

    Examples
    --------
    >>> from bizmodels.plans import distribution, simulate
    >>> run = simulate(distribution(), [("R", None, 0), ("A", "R", 0), ("A", 1)])
    >>> recruitment_dependence(run)
    (6990, 13980)

    A's join paid its sponsor 69.90 yuan; A's repurchase paid the same again.
    """
    totals = run.totals
    # the simulation in progress adds the split by trigger; older results lack it
    on_joins = getattr(totals, "rewards_on_joins", None)
    on_repurchases = getattr(totals, "rewards_on_repurchases", None)
    if isinstance(on_joins, int) and isinstance(on_repurchases, int):
        return on_joins, on_joins + on_repurchases
    return _rerun_dependence(run)


def _rerun_dependence(run: SimulationResult) -> tuple[int, int]:
    """`recruitment_dependence` by repeating the run on its joins alone."""
    out = run.totals.received - run.totals.retained
    joins = run.events.kind == JOIN
    if out == 0 or bool(joins.all()):
        return out, out
    stream = run.events
    only = np.zeros(int(joins.sum()), dtype=EVENT_DTYPE)
    only["kind"] = JOIN
    only["member"] = stream.member[joins]
    only["sponsor"] = stream.sponsor[joins]
    only["day"] = stream.day[joins]
    rerun = simulate(run.plan, only).totals
    return rerun.received - rerun.retained, out


@dataclass(frozen=True)
class EarningsStats:
    """What members got out of a run, as the health indicators read it.

    Attributes
    ----------
    members : int
        Members in the run.
    losing, zero : int
        Members whose net (earned − spent) is below 0, and members who earned nothing.
    top1, top10 : int
        Members in the top 1% and top 10% (at least one each).
    top1_share, top10_share : Decimal
        Their share of all earnings (0 when nobody earned).
    gini : Decimal
        Gini coefficient of earnings over all members, zero earners included.
    earned : int
        Fen earned by all members.
    """

    members: int
    losing: int
    zero: int
    top1: int
    top10: int
    top1_share: Decimal
    top10_share: Decimal
    gini: Decimal
    earned: int


def earnings_stats(run: SimulationResult) -> EarningsStats:
    """Losers, zero earners and concentration of earnings in a run's ledger.

    Earnings are what a member was paid, frozen parts included (``available + frozen``);
    net is earnings less what it spent on packages, so the goods a package holds are not
    valued.

    Examples
    --------
    >>> from bizmodels.plans import distribution, simulate
    >>> run = simulate(distribution(), [("R", None, 0), ("A", "R", 0), ("B", "A", 0)])
    >>> s = earnings_stats(run)
    >>> s.losing, s.zero, s.top1_share
    (3, 1, Decimal('0.6000'))

    Everyone paid 699 and earned less; B earned nothing; R, the top member, took 104.85 of
    the 174.75 yuan paid out.
    """
    ledger = run.ledger
    n = len(ledger)
    earned = np.asarray(ledger.earned, dtype=np.int64)
    total = int(earned.sum())
    top1, top10 = max(1, math.ceil(n / 100)), max(1, math.ceil(n / 10))
    ordered = np.sort(earned)[::-1]
    return EarningsStats(
        members=n,
        losing=int(np.count_nonzero(ledger.net < 0)),
        zero=int(np.count_nonzero(earned == 0)),
        top1=top1,
        top10=top10,
        top1_share=_ratio(int(ordered[:top1].sum()), total),
        top10_share=_ratio(int(ordered[:top10].sum()), total),
        gini=_gini(earned),
        earned=total,
    )


def _ratio(numerator: int, denominator: int) -> Decimal:
    if denominator == 0:
        return Decimal(0)
    return (Decimal(numerator) / Decimal(denominator)).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def _gini(values: npt.NDArray[np.int64]) -> Decimal:
    """Gini over non-negative values: ``Σ (2i − n − 1) xᵢ / (n Σ x)``, x ascending, i from 1."""
    n = values.shape[0]
    total = int(values.sum())
    if n == 0 or total == 0:
        return Decimal(0)
    ordered = np.sort(values)
    weights = 2 * np.arange(1, n + 1, dtype=np.int64) - n - 1
    # exact in Python integers: the weighted sum can pass int64 on a large run
    weighted = sum(int(w) * int(x) for w, x in zip(weights, ordered, strict=True) if x)
    return _ratio(weighted, n * total)


def _health(key: str, value: Decimal, unit: Unit, evidence: str, why: tuple[str, str]) -> Finding:
    watch, warning, critical = HEALTH_LINES[key]
    measure = Measure(
        INDICATORS[key].en,
        INDICATORS[key].zh,
        value,
        unit,
        (("watch", watch), ("warning", warning), ("critical", critical)),
    )
    severity = cast(HealthSeverity, measure.reached or "ok")
    return Finding(key, severity, evidence, (measure,), (), *why)


def _health_findings(run: SimulationResult) -> list[Finding]:
    totals = run.totals
    stats = earnings_stats(run)
    n = stats.members
    joined, paid = recruitment_dependence(run)
    repurchases = totals.repurchases
    return [
        _health(
            "recruitment_dependence",
            _ratio(joined, paid),
            "share",
            f"{yuan_text(_yuan_of_fen(joined))} of the {yuan_text(_yuan_of_fen(paid))} yuan "
            f"the orders paid out (rewards and pool contributions) was triggered by "
            f"{totals.members} joins rather than {repurchases} repurchases",
            (
                (
                    "When most pay comes from newcomers' entry purchases, earnings last only while "
                    "recruiting does: what 意见 五 calls head-count in substance (that sentence "
                    "found once)."
                ),
                "报酬主要来自新人入门购买时，收益依赖持续拉新，实质接近以人头计酬。",
            ),
        ),
        _health(
            "losing_share",
            _ratio(stats.losing, n),
            "share",
            f"{stats.losing} of {n} members paid in more than they earned (net < 0; the goods "
            "in the packages are not valued)",
            (
                (
                    "Most members ending below what they paid means the plan moves money from the "
                    "many to the few."
                ),
                "多数参与者收益低于投入，说明资金由多数人流向少数人。",
            ),
        ),
        _health(
            "zero_earners",
            _ratio(stats.zero, n),
            "share",
            f"{stats.zero} of {n} members earned nothing",
            (
                (
                    "Members who earn nothing hold the bottom of the network: typically those "
                    "recruited last."
                ),
                "零收益者处于网络底层，通常是最后加入的人。",
            ),
        ),
        _health(
            "payout_ratio",
            _ratio(totals.paid, totals.packages),
            "share",
            f"{yuan_text(_yuan_of_fen(totals.paid))} yuan paid to members out of "
            f"{yuan_text(_yuan_of_fen(totals.packages))} yuan of packages",
            (
                (
                    "The larger the share of a package's price paid back out as rewards, the "
                    "less of it is the goods: 30% is the direct-selling cap's figure, used here "
                    "only as a magnitude."
                ),
                "礼包价中作为奖励拨出的比例越高，商品所占越少；30%借用直销上限的数字作量级参照。",
            ),
        ),
        _health(
            "top1_share",
            stats.top1_share,
            "share",
            f"the top {stats.top1} of {n} members (1%) earned {share_text(stats.top1_share)} "
            f"of the {yuan_text(_yuan_of_fen(stats.earned))} yuan earned",
            (
                "Earnings gathered in a few hands at the top of the network.",
                "收益集中于网络顶端的少数人。",
            ),
        ),
        _health(
            "top10_share",
            stats.top10_share,
            "share",
            f"the top {stats.top10} of {n} members (10%) earned "
            f"{share_text(stats.top10_share)} of all earnings",
            (
                (
                    "The share of the top tenth; in a retail-driven plan earnings follow sales "
                    "more evenly."
                ),
                "前10%的收益占比；以零售为主的方案收益分布更均匀。",
            ),
        ),
        _health(
            "gini",
            stats.gini,
            "index",
            f"Gini of earnings over all {n} members, zero earners included",
            (
                (
                    "Inequality of earnings: 0 if every member earns alike, 1 if one takes "
                    "everything; the lines are the project's choice."
                ),
                "收益不平等程度：人人相同为0，一人独得为1；界线为本项目自定。",
            ),
        ),
    ]


# -- assess ----------------------------------------------------------------------------

Assessable = BusinessModel | LiandongPlan | DistributionPlan | RefundPlan | SimulationResult | str


_PLAN_ZH = {
    "liandong_699": "链动2+1 699会员礼包",
    "distribution": "多级分销",
    "recruit_three_refund_one": "推三返一",
}


def _plan_name(plan: Plan) -> str:
    return {
        LiandongPlan: "链动2+1 plan (LiandongPlan)",
        DistributionPlan: "distribution plan (DistributionPlan)",
        RefundPlan: "推三返一 plan (RefundPlan)",
    }[type(plan)]


def _merge(own: list[Finding], inherited: list[Finding]) -> list[Finding]:
    """Per indicator, the more severe of the model's and its plan's findings.

    The plan's wins a tie: it is the more specific.
    """
    by_key = {f.indicator: f for f in own}
    for f in inherited:
        mine = by_key.get(f.indicator)
        if mine is None or _rank(f.severity) >= _rank(mine.severity):
            by_key[f.indicator] = Finding(
                f.indicator,
                f.severity,
                f"through its plan: {f.evidence}",
                f.measures,
                f.basis,
                f.explanation,
                f.explanation_zh,
                via="plan",
            )
    return [by_key[k] for k in INDICATORS if k in by_key]


def _target(name: str) -> BusinessModel | Plan:
    if name in PLANS:
        return get_plan(name)
    return resolve(name)


def assess(target: Assessable) -> Assessment:
    """Assess a model, a preset, a commission plan or a simulated network.

    Parameters
    ----------
    target : BusinessModel, plan, SimulationResult or str
        A model instance (its ``compliance_profile()`` is read; a model with a ``plan``
        inherits the plan's findings), a plan (`LiandongPlan`, `DistributionPlan`,
        `RefundPlan`, read from its parameters), a `SimulationResult` (its plan's findings,
        the criminal-case thresholds on its network, and the health indicators), or the
        slug of a model, preset or plan.

    Returns
    -------
    Assessment

    Raises
    ------
    KeyError
        An unknown slug.
    TypeError
        Something that cannot be assessed.

    Examples
    --------
    Is a two-level distribution without an entry fee as risky as three levels?

    >>> assess("toc_two_level_distribution").level, assess("three_level_distribution").level
    ('warning', 'high')

    One upline level paid on a downline's sales matches Reg. Art. 7(3) (a warning); a pay
    chain of three levels spans the three the 2013 opinion counts (high).
    """
    if isinstance(target, str):
        try:
            built = _target(target)
        except KeyError:
            valid = ", ".join([*MODELS, *PRESETS, *PLANS])
            raise KeyError(f"unknown model, preset or plan {target!r}; valid: {valid}") from None
        return Assessment(target, assess(built).findings)
    if isinstance(target, SimulationResult):
        findings = _legal_findings(plan_profile(target.plan))
        findings = [f for f in findings if f.indicator != "network_thresholds"]
        findings += [_network_finding(target), *_health_findings(target)]
        subject = (
            f"simulation of the {_plan_name(target.plan)}: {target.totals.members} members, "
            f"{target.totals.orders} orders"
        )
        return Assessment(subject, tuple(findings))
    if isinstance(target, LiandongPlan | DistributionPlan | RefundPlan):
        return Assessment(_plan_name(target), tuple(_legal_findings(plan_profile(target))))
    if isinstance(target, BusinessModel):
        findings = _legal_findings(profile_of(target))
        plan = getattr(target, "plan", None)
        if isinstance(plan, LiandongPlan | DistributionPlan | RefundPlan):
            findings = _merge(findings, _legal_findings(plan_profile(plan)))
        # a model class that is not registered has no key
        return Assessment(getattr(target, "key", type(target).__name__), tuple(findings))
    raise TypeError(
        f"assess takes a model, a plan, a simulation or a slug, not {type(target).__name__}"
    )


def risk_level(target: Assessable) -> Level:
    """The overall level (``low``, ``warning``, ``high``) of a model, preset, plan or run.

    The value of the risk-level column of a comparison.

    Examples
    --------
    >>> risk_level("toc_membership"), risk_level("tob_recruitment")
    ('low', 'high')
    """
    return assess(target).level


def levels_table(fmt: str = "github", lang: str = "en") -> str:
    """Every model, preset and plan with its level and the indicators that set it.

    Examples
    --------
    >>> row = levels_table().splitlines()[2]
    >>> [cell.strip() for cell in row.split("|")[1:5]]
    ['model', 'toc_membership', '纯to C + 会员运营', 'low']
    """
    entries: list[tuple[str, str, str, BusinessModel | Plan]] = []
    entries += [("model", slug, cls.name_zh, cls()) for slug, cls in MODELS.items()]
    entries += [("preset", slug, p.name_zh, p.model) for slug, p in PRESETS.items()]
    entries += [("plan", name, _PLAN_ZH.get(name, name), f()) for name, f in PLANS.items()]
    zh = lang == "zh"
    rows = []
    for kind, slug, name, target in entries:
        a = assess(target)
        flagged = [
            f"{f.label(lang)} ({_SEVERITY_ZH[f.severity] if zh else f.severity})"
            for f in a.findings
            if _rank(f.severity) >= _rank("warning")
        ]
        level = _LEVEL_ZH[a.level] if zh else a.level
        rows.append((kind, slug, name, level, ", ".join(flagged) or "—"))
    headers = (
        ("类别", "名称", "中文", "风险等级", "触发的指标")
        if zh
        else ("kind", "slug", "中文", "level", "flagged indicators")
    )
    return tabulate(rows, headers=headers, tablefmt=fmt, disable_numparse=True)


def assessment_markdown(target: Assessable, lang: str = "en") -> str:
    """An assessment as markdown (findings table, explanations, legal texts, disclaimer).

    For a docs page: ``print(assessment_markdown("liandong_699"))`` in a markdown-exec block.

    Examples
    --------
    >>> assessment_markdown("toc_membership").splitlines()[0]
    '**toc_membership: risk level LOW**'
    """
    return assess(target).render("markdown", lang)


# -- networks to simulate, and the command line ----------------------------------------


def random_network(
    members: int, *, repurchases: int = 0, roots: int = 1, days: int = 30, seed: int = 0
) -> npt.NDArray[Any]:
    """A random referral network as an event array, for trying a plan on a network.

    Member ``i`` (ids in join order) joins on day ``i × days // members``; the first
    ``roots`` have no sponsor, every later member names an earlier one chosen uniformly
    (a random recursive tree, whose depth grows like the logarithm of its size). Each
    repurchase is by a member chosen uniformly, on a day from its join to the last. An
    illustration, not a forecast: real networks grow by their own rules.

    Parameters
    ----------
    members : int
        Joins, at least 1.
    repurchases : int
        Repurchase orders.
    roots : int
        Members with no sponsor, 1 to ``members``.
    days : int
        Days the joins are spread over, at least 1.
    seed : int
        Seed of numpy's generator: the same seed gives the same network.

    Returns
    -------
    ndarray of dtype `bizmodels.plans.EVENT_DTYPE`

    Examples
    --------
    >>> from bizmodels.plans import liandong_699, simulate
    >>> run = simulate(liandong_699(), random_network(40, repurchases=20, seed=1))
    >>> run.totals.members, run.totals.repurchases
    (40, 20)
    """
    for name, value, ok in (
        ("members", members, members >= 1),
        ("roots", roots, 1 <= roots <= members),
        ("days", days, days >= 1),
        ("repurchases", repurchases, repurchases >= 0),
    ):
        if not ok:
            limits = {
                "members": "≥ 1",
                "roots": f"from 1 to members ({members})",
                "days": "≥ 1",
                "repurchases": "≥ 0",
            }[name]
            raise ValueError(f"{name} = {value}: must be {limits}")
    rng = np.random.default_rng(seed)
    ids = np.arange(members, dtype=np.int64)
    sponsor = np.full(members, -1, dtype=np.int64)
    later = ids[roots:]
    sponsor[roots:] = (rng.random(later.shape[0]) * later).astype(np.int64)
    join_day = ids * days // members
    buyer = rng.integers(0, members, repurchases)
    order_day = join_day[buyer] + (rng.random(repurchases) * (days - join_day[buyer])).astype(
        np.int64
    )
    events = np.zeros(members + repurchases, dtype=EVENT_DTYPE)
    events["kind"][members:] = ORDER
    events["member"] = np.concatenate([ids, buyer])
    events["sponsor"] = np.concatenate([sponsor, np.full(repurchases, -1)])
    events["day"] = np.concatenate([join_day, order_day])
    # by day, joins before orders within a day, so an order never precedes its buyer's join
    order = np.lexsort((np.arange(events.shape[0]), events["kind"], events["day"]))
    return events[order]


class AssessError(ValueError):
    """A mistake in what was asked of `assess_command`; its message is one line."""


def _validation_text(error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        where = ".".join(str(x) for x in item["loc"]) or error.title
        parts.append(f"{where}: {item['msg'].removeprefix('Value error, ')}")
    return "; ".join(parts)


def _build(target: str, overrides: Mapping[str, Any]) -> BusinessModel | Plan:
    try:
        if target in PLANS:
            return get_plan(target, **overrides)
        market = {k.removeprefix("market."): v for k, v in overrides.items() if "." in k}
        fields = {k: v for k, v in overrides.items() if "." not in k}
        if market:
            fields["market"] = market
        return resolve(target, **fields)
    except KeyError:
        valid = ", ".join([*MODELS, *PRESETS, *PLANS])
        raise AssessError(f"unknown model, preset or plan {target!r}; valid: {valid}") from None
    except ValidationError as exc:
        raise AssessError(f"{target}: {_validation_text(exc)}") from None


def assess_command(
    target: str,
    *,
    overrides: Mapping[str, Any] | None = None,
    events: str | None = None,
    members: int | None = None,
    repurchases: int = 0,
    seed: int = 0,
    fmt: str = "table",
    lang: str = "en",
) -> str:
    """The text of ``bizmodels assess TARGET [--simulate FILE | --members N]``.

    Parameters
    ----------
    target : str
        A model, preset or plan slug.
    overrides : mapping, optional
        Field overrides, already parsed (``{"package_price": 999}``; ``market.price`` for
        the market of a model).
    events : str, optional
        A CSV file of events (`bizmodels.plans.read_events`) to simulate the plan on.
    members : int, optional
        Simulate the plan on a `random_network` of this many members instead.
    repurchases, seed : int
        Repurchases and seed of the random network.
    fmt : str
        ``table``, ``markdown``, ``json`` or ``csv``.
    lang : str
        ``en`` or ``zh``.

    Returns
    -------
    str

    Raises
    ------
    AssessError
        An unknown target, a bad override, a bad events file, or a simulation asked of a
        model without a plan; the message is one line.

    Examples
    --------
    >>> print(assess_command("liandong_699").splitlines()[0])
    liandong_699: risk level HIGH
    """
    built = _build(target, overrides or {})
    if events is not None and members is not None:
        raise AssessError("give an events file or a number of members, not both")
    if repurchases and members is None:
        raise AssessError("--repurchases applies to a random network: give --members too")
    subject: Assessable = built
    if events is not None or members is not None:
        plan = built if not isinstance(built, BusinessModel) else getattr(built, "plan", None)
        if not isinstance(plan, LiandongPlan | DistributionPlan | RefundPlan):
            raise AssessError(
                f"{target} has no commission plan to simulate; give a plan "
                f"({', '.join(PLANS)}) or a model with one (tob_recruitment --set plan=...)"
            )
        try:
            if events is not None:
                stream: Any = read_events(events)
            else:
                stream = random_network(members or 0, repurchases=repurchases, seed=seed)
        except OSError as exc:
            raise AssessError(f"cannot read {events}: {exc.strerror}") from None
        except ValueError as exc:
            where = f"{events}: " if events is not None else "--"
            raise AssessError(where + str(exc).splitlines()[0]) from None
        subject = simulate(plan, stream)
    found = assess(subject)
    # name the result by what was asked for, not by the class that answered
    if isinstance(subject, SimulationResult):
        name = f"{target}, simulated: {subject.totals.members} members, "
        name += f"{subject.totals.orders} orders"
    else:
        name = target
    try:
        return Assessment(name, found.findings).render(fmt, lang)
    except ValueError as exc:
        raise AssessError(str(exc)) from None
