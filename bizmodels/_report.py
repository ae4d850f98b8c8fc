"""Markdown reports of models and comparisons, for the docs site (built at build time)."""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any, Literal

from tabulate import tabulate

from bizmodels._format import money
from bizmodels._types import json_schema
from bizmodels.compare import COLUMNS, compare
from bizmodels.compliance import assess, risk_level
from bizmodels.models import MODELS, VARIANTS

if TYPE_CHECKING:  # pragma: no cover
    from bizmodels.waterfall import Waterfall


def _default(prop: dict[str, Any]) -> str:
    value = prop.get("default")
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return "" if value is None else str(value)


def _range(prop: dict[str, Any]) -> str:
    low, high = prop.get("minimum"), prop.get("maximum")
    if low is not None and high is not None:
        return f"{low} to {high}"
    if low is not None:
        return f"≥ {low}"
    return ""


def parameters_table(cls: type[Any], skip: tuple[str, ...] = ("market",)) -> str:
    """A markdown table of a model's fields: description with unit, default, range, source."""
    schema = json_schema(cls)
    rows = []
    for name, prop in schema["properties"].items():
        if name in skip:
            continue
        rows.append(
            (
                f"`{name}`",
                prop.get("description", ""),
                _default(prop),
                _range(prop),
                prop.get("source", ""),
            )
        )
    return tabulate(
        rows,
        headers=("field", "meaning and unit", "default", "range", "source"),
        tablefmt="github",
        disable_numparse=True,
    )


def bridge_chart_html(waterfall: Waterfall, lang: Literal["en", "zh"] = "en") -> str:
    """A waterfall's bridge chart as an inline SVG in a ``<div class="bridge-chart">``.

    A raw HTML block, so it passes through a markdown page unchanged (the SVG draws its
    text as paths: the page needs no CJK font).
    """
    from bizmodels.plotting import to_svg

    svg = to_svg(waterfall.plot(lang=lang))
    start, end = money(waterfall.start), money(waterfall.end)
    label = html.escape(f"Bridge chart: {waterfall.title}, {start} to {end} yuan")
    # scale with the page (the viewBox keeps the proportions) rather than overflow it
    svg = re.sub(r'width="[\d.]+pt" height="[\d.]+pt"', 'width="100%"', svg, count=1)
    # no blank line inside: markdown would end the raw HTML block there
    body = "\n".join(line for line in svg.splitlines() if line.strip())
    return f'<div class="bridge-chart" role="img" aria-label="{label}">\n{body}\n</div>'


def model_markdown(slug: str) -> str:
    """The body of a model's docs page: what it is, its parameters, its default waterfalls."""
    cls = MODELS.get(slug) or VARIANTS[slug]
    model = cls()
    doc = (cls.__doc__ or "").strip().split("\n\n")
    lines = [
        f"**{cls.name_zh}** · `{slug}` · `bizmodels.models.{cls.__name__}`",
        "",
        *(" ".join(p.split()) + "\n" for p in doc),
        "## Parameters",
        "",
        (
            "Besides the shared `market` (see [Comparing models](../comparing.md)). Defaults "
            "are a worked illustration; each names its source."
        ),
        "",
        parameters_table(cls),
        "",
        "## Default lifetime waterfall",
        "",
        model.waterfall().to_table("github"),
        "",
        (
            "As a bridge chart (`model.waterfall().plot()`): full bars from zero for GMV, the "
            "subtotals and operating profit, floating bars for what each deduction takes "
            "away ([Reading a waterfall](../concepts/waterfall.md))."
        ),
        "",
        bridge_chart_html(model.waterfall()),
        "",
        "## Per order",
        "",
        model.unit_waterfall().to_table("github"),
        "",
        "## Compliance",
        "",
        (
            f"Overall level: **{risk_level(model)}** (see [Compliance](../compliance.md); an "
            "analytical aid, not legal advice)."
        ),
        "",
        assess(model).to_table(fmt="github"),
    ]
    return "\n".join(lines)


def comparison_markdown(**kwargs: Any) -> str:
    """The default comparison of all ten models as a markdown table."""
    return compare(**kwargs).to_table("github")


def columns_markdown() -> str:
    """What each comparison column means."""
    meaning = {
        "model": "the model's slug",
        "name": "its English name (Chinese with `--lang zh`)",
        "gmv": "GMV over the lifetime, yuan (seed 004's formula, summed over the segments)",
        "net_revenue": "net sales less VAT, yuan",
        "gross_margin": "gross profit / net revenue",
        "channel_payout_share": "the model's channel payouts (commissions, rebates, fees) / GMV",
        "contribution_margin": "gross profit less channel payouts, payment and fulfilment, yuan",
        "operating_profit": "contribution margin less acquisition, marketing and fixed costs",
        "operating_margin": "operating profit / net revenue",
        "customers": "distinct customers (or dealers) the model wins",
        "ltv": "contribution margin per customer, yuan",
        "cac": "acquisition costs per customer, yuan",
        "ltv_cac": "LTV / CAC",
        "cac_payback": (
            "CAC / (LTV per active period): periods of a customer's activity until it pays "
            "back its CAC"
        ),
        "risk_level": "overall pyramid-selling risk level from `bizmodels.compliance.assess`",
    }
    rows = [(f"`{c.key}`", c.en, c.zh, meaning[c.key]) for c in COLUMNS]
    return tabulate(
        rows,
        headers=("column", "English", "中文", "meaning"),
        tablefmt="github",
        disable_numparse=True,
    )


def presets_markdown() -> str:
    """Every preset: its names, source seed, summary, class, and default waterfall."""
    from bizmodels.presets import PRESETS

    parts = []
    for preset in PRESETS.values():
        model = preset.model
        cls = type(model)
        parts += [
            f"## {preset.name_zh} · {preset.name_en}",
            "",
            (
                f"`{preset.slug}` · source: {preset.source} · built on "
                f"`bizmodels.models.{cls.__name__}`"
            ),
            "",
            preset.summary,
            "",
            model.waterfall().to_table("github"),
            "",
        ]
    return "\n".join(parts)
