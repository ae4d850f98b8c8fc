"""`assess`, the one entry point: a model, a preset, a plan or a simulated network, assessed.

`assess` reads what it is given into a profile (`bizmodels.compliance.profiles`), applies
the legal rules (`bizmodels.compliance.rules`) and, on a simulated network, the criminal
thresholds and the health findings (`bizmodels.compliance.network`), and returns an
`Assessment`. `risk_level`, `levels_table` and `assessment_markdown` are views of it.
"""

from __future__ import annotations

from tabulate import tabulate

from bizmodels._resolve import resolve_target
from bizmodels.compliance.findings import (
    INDICATORS,
    Assessment,
    Finding,
    Level,
    level_text,
    rank,
    severity_text,
)
from bizmodels.compliance.network import health_findings, network_shape
from bizmodels.compliance.profiles import plan_profile, profile_of
from bizmodels.compliance.rules import legal_findings
from bizmodels.compliance.rules.opinion_2013 import network_thresholds
from bizmodels.models import MODELS, BusinessModel
from bizmodels.plans import PLANS, Plan, SimulationResult
from bizmodels.presets import PRESETS

__all__ = ["Assessable", "assess", "assessment_markdown", "levels_table", "risk_level"]

Assessable = BusinessModel | Plan | SimulationResult | str
"""What `assess` takes: a model, a plan, a simulated run, or the slug of a model, preset
or plan."""


def _plan_name(plan: Plan) -> str:
    return f"{plan.name_en} ({type(plan).__name__})"


def _merge(own: list[Finding], inherited: list[Finding]) -> list[Finding]:
    """Per indicator, the more severe of the model's and its plan's findings.

    The plan's wins a tie: it is the more specific.
    """
    by_key = {f.indicator: f for f in own}
    for f in inherited:
        mine = by_key.get(f.indicator)
        if mine is None or rank(f.severity) >= rank(mine.severity):
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
    chain of three levels is high by the project's own line (the 2013 opinion counts the
    organisation's levels and participants, not paid levels).
    """
    if isinstance(target, str):
        built = resolve_target(target)
        return Assessment(target, assess(built).findings)
    if isinstance(target, SimulationResult):
        findings = legal_findings(plan_profile(target.plan))
        findings = [f for f in findings if f.indicator != "network_thresholds"]
        findings += [network_thresholds(network_shape(target)), *health_findings(target)]
        subject = (
            f"simulation of the {_plan_name(target.plan)}: {target.totals.members} members, "
            f"{target.totals.orders} orders"
        )
        return Assessment(subject, tuple(findings))
    if isinstance(target, Plan):
        return Assessment(_plan_name(target), tuple(legal_findings(plan_profile(target))))
    if isinstance(target, BusinessModel):
        findings = legal_findings(profile_of(target))
        plan = getattr(target, "plan", None)
        if isinstance(plan, Plan):
            findings = _merge(findings, legal_findings(plan_profile(plan)))
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
    entries += [("plan", key, cls.name_zh, cls()) for key, cls in PLANS.items()]
    zh = lang == "zh"
    rows = []
    for kind, slug, name, target in entries:
        a = assess(target)
        flagged = [
            f"{f.label(lang)} ({severity_text(f.severity, lang)})"
            for f in a.findings
            if rank(f.severity) >= rank("warning")
        ]
        rows.append((kind, slug, name, level_text(a.level, lang), ", ".join(flagged) or "—"))
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
