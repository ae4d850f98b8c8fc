"""What an assessment is made of: indicators, measures, findings and the assessment itself.

An `Indicator` is one question the assessment asks (`INDICATORS` lists them, legal first,
then health); a `Finding` is one indicator's answer, with its severity, its evidence, the
`Measure` of each value against its lines and the legal texts it rests on; an `Assessment`
holds the findings on one subject and derives its overall level. The rules that make the
findings are in `bizmodels.compliance.rules` (legal) and `bizmodels.compliance.network`
(health); `bizmodels.compliance.assess` is the entry point.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from tabulate import tabulate

from bizmodels import _frames, _html
from bizmodels._compliance_profile import yuan_text
from bizmodels._output import render, to_csv
from bizmodels.compliance import law
from bizmodels.compliance.law import DISCLAIMER, DISCLAIMER_ZH, LegalBasis

__all__ = [
    "INDICATORS",
    "LEVELS",
    "Assessment",
    "Finding",
    "HealthSeverity",
    "Indicator",
    "LegalSeverity",
    "Level",
    "Measure",
    "Severity",
    "Unit",
    "level_text",
    "rank",
    "severity_text",
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
"""Unit of a `Measure`'s value."""


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
            (law.REG_7_2, law.DS_14),
        ),
        Indicator(
            "resale_stock",
            "囤货进货",
            "Stock bought for resale",
            "legal",
            "Must stock be bought to join or to keep a rank, or is it bought freely to resell?",
            (law.REG_7_2, law.DS_14),
        ),
        Indicator(
            "recruit_reward",
            "拉人头",
            "Recruitment rewards",
            "legal",
            "Is anyone paid for the people it recruits, or ranked by how many?",
            (law.REG_7_1, law.CRIMINAL_224_1, law.WECHAT_2016),
        ),
        Indicator(
            "team_pay",
            "团队计酬",
            "Team pay (downline sales)",
            "legal",
            "Are uplines paid on their downline's sales, and over how many levels?",
            (law.REG_7_3, law.OPINION_5, law.WECHAT_2016),
        ),
        Indicator(
            "own_sales",
            "直销计酬基准",
            "Direct-selling baseline",
            "legal",
            "Is pay based only on the seller's own sales to consumers, within 30% of them?",
            (law.DS_24,),
        ),
        Indicator(
            "network_thresholds",
            "刑事立案人数层级",
            "Criminal-case thresholds",
            "legal",
            "Does the simulated network reach 30 participants over 3 levels?",
            (law.OPINION_1, law.OPINION_7, law.CRIMINAL_224_1),
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
_CSV_COLUMNS = (
    "indicator",
    "group",
    "severity",
    "value",
    "threshold",
    "unit",
    "margin",
    "evidence",
    "basis",
)


def severity_text(severity: str, lang: str = "en") -> str:
    """A severity as a reader sees it: ``warning``, or ``警示`` in Chinese."""
    return _SEVERITY_ZH[severity] if lang == "zh" else severity


def level_text(level: str, lang: str = "en") -> str:
    """An overall level as a reader sees it: ``high``, or ``高`` in Chinese."""
    return _LEVEL_ZH[level] if lang == "zh" else level


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

    >>> from bizmodels.compliance import assess
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

    def cells(self, lang: str = "en") -> dict[str, str]:
        """The finding's cells as every table shows them, by column.

        Keys: ``indicator`` (with "(via …)" for an inherited finding), ``severity``,
        ``value``, ``line``, ``distance``, ``evidence``, ``basis``; "—" where empty.
        """
        zh = lang == "zh"
        via = ("（经计划）" if zh else f" (via {self.via})") if self.via else ""
        ms = self.measures
        return {
            "indicator": self.label(lang) + via,
            "severity": severity_text(self.severity, lang),
            "value": "; ".join(m.show(m.value, lang) for m in ms) or "—",
            "line": "; ".join(m.line_text(lang) for m in ms) or "—",
            "distance": "; ".join(m.distance(lang) for m in ms) or "—",
            "evidence": self.evidence,
            "basis": "; ".join(b.cite(lang) for b in self.basis) or "—",
        }

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


def rank(severity: str) -> int:
    """Severity on one scale for comparisons: info/ok 0, watch 1, warning 2, high/critical 3."""
    return {"info": 0, "ok": 0, "watch": 1, "warning": 2, "high": 3, "critical": 3}[severity]


#: The overall levels, lowest first.
LEVELS: tuple[Level, ...] = ("low", "warning", "high")


def _sets(finding: Finding) -> Level:
    # the overall level one finding alone sets: only a legal finding makes it high
    r = rank(finding.severity)
    if finding.group == "legal" and r >= rank("high"):
        return "high"
    return "warning" if r >= rank("warning") else "low"


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
    >>> from bizmodels.compliance import assess
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
        return max((_sets(f) for f in self.findings), key=LEVELS.index, default="low")

    def above(self, level: Level) -> tuple[Finding, ...]:
        """The findings that set the overall level above `level` (none if it is not above).

        Examples
        --------
        >>> from bizmodels.compliance import assess
        >>> [f.indicator for f in assess("toc_membership").above("low")]
        []
        """
        return tuple(f for f in self.findings if LEVELS.index(_sets(f)) > LEVELS.index(level))

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
        columns = ("indicator", "severity", "value", "line", "distance", "evidence", "basis")
        rows = [tuple(f.cells(lang)[c] for c in columns) for f in self.findings]
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
                status = f"{b.status_text('zh')}；{b.nature_text('zh')}"
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
        if fmt == "csv":
            return to_csv(self._csv_rows()) or ",".join(_CSV_COLUMNS)
        return render(
            fmt,
            table=lambda tablefmt: self._text(lang, markdown=tablefmt == "github"),
            records=self.to_records,
            payload=lambda rows: {
                "subject": self.subject,
                "level": self.level,
                "disclaimer": DISCLAIMER,
                "findings": rows,
            },
        )

    def _csv_rows(self) -> list[dict[str, Any]]:
        # flat: the record's scalar columns, the evidence and the short citations
        rows = []
        for f, record in zip(self.findings, self.to_records(), strict=True):
            row = {c: record[c] for c in _CSV_COLUMNS[:-2]}
            row["evidence"] = f.evidence
            row["basis"] = "; ".join(b.cite() for b in f.basis)
            rows.append(row)
        return rows

    def _text(self, lang: str, markdown: bool) -> str:
        zh = lang == "zh"
        level = level_text(self.level, lang) if zh else self.level.upper()
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
                DISCLAIMER_ZH if zh else DISCLAIMER,
            ]
        )

    SEVERITIES = ("info", "ok", "watch", "warning", "high", "critical")
    """The categories of `to_pandas`'s ``severity``, in order (`rank` orders them)."""

    def to_pandas(self, money: _frames.Money = "yuan") -> Any:
        """The findings as a pandas DataFrame: one row per finding, legal first.

        Parameters
        ----------
        money : {"yuan", "fen", "decimal"}
            The unit of values measured in yuan (an entry fee): float yuan (the default),
            fen (their ``unit`` then says ``fen``), or exact Decimal (object dtype: every
            value is then the exact Decimal of `Finding.value`).

        Returns
        -------
        pandas.DataFrame
            Indexed by ``indicator``; ``label``, ``label_zh``, ``group`` (categorical:
            legal, health), ``severity`` (ordered categorical, `SEVERITIES`),
            ``severity_rank`` (0 info/ok to 3 high/critical, as `rank`), ``value``,
            ``threshold``, ``margin`` (the first measure's, nullable Float64: <NA> where
            unlimited or not measured; ``margin`` above 0 past the line), ``unit``,
            ``evidence``, ``basis`` (short citations), ``via``.

        Examples
        --------
        >>> from bizmodels.compliance import assess
        >>> df = assess("tob_recruitment").to_pandas()
        >>> fee = df.loc["entry_fee"]
        >>> fee["severity"], float(fee["value"]), float(fee["margin"]), fee["unit"]
        ('high', 699.0, 699.0, 'yuan')
        """
        unit = _frames.check_money(money)
        pd = _frames.pandas()
        fs = self.findings

        def numbers(values: Sequence[Decimal | None], units: Sequence[str | None]) -> Any:
            if unit == "decimal":
                return list(values)
            scaled = [
                None if v is None else float(v) * (100 if unit == "fen" and u == "yuan" else 1)
                for v, u in zip(values, units, strict=True)
            ]
            return pd.array(scaled, dtype="Float64")

        units = [f.measures[0].unit if f.measures else None for f in fs]
        margins = [f.measures[0].margin if f.measures else None for f in fs]
        return _frames.frame(
            {
                "label": [f.label("en") for f in fs],
                "label_zh": [f.label("zh") for f in fs],
                "group": _frames.categorical([f.group for f in fs], ["legal", "health"], False),
                "severity": _frames.categorical([f.severity for f in fs], self.SEVERITIES),
                "severity_rank": [rank(f.severity) for f in fs],
                "value": numbers([f.value for f in fs], units),
                "threshold": numbers([f.threshold for f in fs], units),
                "margin": numbers(margins, units),
                "unit": pd.array(
                    [("fen" if unit == "fen" and u == "yuan" else u) for u in units],
                    dtype="string",
                ),
                "evidence": [f.evidence for f in fs],
                "basis": pd.array(
                    ["; ".join(b.cite() for b in f.basis) for f in fs], dtype="string"
                ),
                "via": pd.array([f.via for f in fs], dtype="string"),
            },
            index=pd.Index([f.indicator for f in fs], name="indicator"),
        )

    def to_html(self, lang: str = "en") -> str:
        """The findings as a short HTML table: severity, value, line, distance.

        Findings at warning or above are bold. The evidence, the explanations and the
        legal texts are `render` (or `to_table`); the frame is `to_pandas`.
        """
        if lang not in ("zh", "en"):
            raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
        zh = lang == "zh"
        head = (
            ("指标", "级别", "数值", "界线", "距离")
            if zh
            else ("Indicator", "Severity", "Value", "Line", "Distance")
        )
        columns = ("indicator", "severity", "value", "line", "distance")
        rows = [[f.cells(lang)[c] for c in columns] for f in self.findings]
        level = level_text(self.level, lang) if zh else self.level.upper()
        table = _html.table(
            head,
            rows,
            numeric={2},
            subtotals={i for i, f in enumerate(self.findings) if rank(f.severity) >= 2},
            caption=f"{self.subject}: {'风险等级' if zh else 'risk level'} {level}",
            lang="zh" if zh else "en",
            max_rows=len(rows),
        )
        more = (
            "依据事实、解释与法律依据：render()；表格：to_pandas()"
            if zh
            else "Evidence, explanations and legal basis: render(); as a frame: to_pandas()"
        )
        return f'{table}\n<p style="font-style:italic">{more}</p>'

    def _repr_html_(self) -> str:
        return self.to_html()

    def __str__(self) -> str:
        return self.render()
