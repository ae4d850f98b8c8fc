"""Models and comparison: ``models``, ``presets``, ``compare``, ``waterfall``, ``schema``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from tabulate import tabulate

from bizmodels import _resolve
from bizmodels._output import render
from bizmodels.cli._common import (
    UsageError,
    add_command,
    load,
    model,
    output_options,
    require_model,
    scenario_option,
    set_option,
)
from bizmodels.cli._fit import (
    BRIEF_COMPARISON,
    comparison_text,
    listing,
    text_or_file,
    write_xlsx,
)
from bizmodels.compare import BASELINE_COLUMNS, BASELINE_SLUG, SORTABLE, Comparison, compare
from bizmodels.models import MODELS
from bizmodels.plans import PLANS
from bizmodels.presets import PRESETS

__all__ = ["add_compare", "add_models", "add_presets", "add_schema", "add_waterfall"]


def _listing(
    rows: list[tuple[Any, ...]],
    headers: tuple[str, ...],
    args: argparse.Namespace,
    widths: tuple[int | None, ...],
) -> str:
    """A listing (models, presets) as a table, markdown, JSON or CSV; long columns wrapped."""
    if args.format == "table" and not args.wide:
        return listing(rows, headers, widths)
    return render(
        args.format,
        table=lambda tablefmt: tabulate(
            rows, headers=headers, tablefmt=tablefmt, disable_numparse=True
        ),
        records=lambda: [dict(zip(headers, r, strict=True)) for r in rows],
    )


def _cmd_models(args: argparse.Namespace) -> str:
    rows = [
        (i, slug, cls.name_zh, cls.name_en, f"seed {cls.seed}")
        for i, (slug, cls) in enumerate(MODELS.items(), start=1)
    ]
    headers = ("n", "model", "name_zh", "name_en", "source")
    return _listing(rows, headers, args, (None, None, 30, 36, None))


def _cmd_presets(args: argparse.Namespace) -> str:
    def source(text: str) -> str:
        # "seed 001 (001_07a435858c0348ea.txt)" reads "seed 001" in the narrow table: a
        # file name wrapped across lines helps nobody (--wide and JSON keep it whole)
        return text if args.wide or args.format != "table" else text.split(" (", 1)[0]

    rows = [(p.slug, p.name_zh, p.name_en, source(p.source), p.summary) for p in PRESETS.values()]
    headers = ("preset", "name_zh", "name_en", "source", "summary")
    return _listing(rows, headers, args, (None, 10, 18, 10, 38))


def _looks_like_file(item: str) -> bool:
    if item in MODELS or item in PRESETS:
        return False
    # an existing path of any kind is meant as a file: the loader says what is wrong with it
    return item.lower().endswith((".yaml", ".yml", ".json")) or "/" in item or Path(item).exists()


def _cmd_compare(args: argparse.Namespace) -> str:
    files = [a for a in args.items if _looks_like_file(a)]
    slugs = [a for a in args.items if not _looks_like_file(a)]
    if len(files) > 1:
        raise UsageError(f"compare takes one scenario file, got {len(files)}: {', '.join(files)}")
    scenario = load(files[0] if files else None)
    for slug in slugs:
        require_model(slug)
    if scenario is None:
        chosen: Any = slugs or None
    elif slugs:
        chosen = {s: scenario.models.get(s) or model(s, [], scenario) for s in slugs}
    else:
        chosen = scenario.models
    try:
        table = compare(
            chosen,
            sort=args.sort,
            descending=None if args.order is None else args.order == "descending",
            baseline=args.baseline or False,
        )
    except KeyError as exc:  # an unknown baseline slug (the models' were checked above)
        raise UsageError(str(exc.args[0])) from None
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.format == "xlsx":
        return write_xlsx(args, table.to_excel)
    if table.baseline is not None and args.format in ("table", "markdown") and not args.wide:
        text = _against_baseline_text(table, args.format, args.lang)
    else:
        text = comparison_text(table, args.format, args.lang, args.wide)
    if table.notes and args.format in ("table", "markdown"):
        text += "\n\n" + "\n".join(f"Note: {note}" for note in table.notes)
    return text_or_file(args, text)


def _against_baseline_text(table: Comparison, fmt: str, lang: str) -> str:
    """The narrow comparison with a baseline: the brief columns, then the profit's difference.

    The brief columns of `comparison_text` less GMV and the contribution (the sort column
    added when it is another), then the operating profit's difference from the baseline,
    within the 120 columns; ``--wide`` shows every column, the margin's difference too.
    """
    keys = (set(BRIEF_COMPARISON) - {"gmv", "contribution_margin"}) | {table.sort}
    keys.add(BASELINE_COLUMNS[0].key)
    tablefmt = "github" if fmt == "markdown" else "simple"
    return table.to_table(tablefmt, "zh" if lang == "zh" else "en", keys=keys)


def _cmd_waterfall(args: argparse.Namespace) -> str:
    require_model(args.model)
    built = model(args.model, args.set, load(args.scenario))
    try:
        waterfall = built.unit_waterfall() if args.unit else built.waterfall()
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if args.format == "xlsx":
        return write_xlsx(args, waterfall.to_excel)
    return text_or_file(args, waterfall.render(args.format, args.lang))


def _cmd_schema(args: argparse.Namespace) -> str:
    try:
        schema = _resolve.schema(args.slug)
    except KeyError as exc:
        raise UsageError(str(exc.args[0])) from None
    return json.dumps(schema, ensure_ascii=False, indent=2)


def add_models(sub: Any) -> None:
    """``bizmodels models``: the registered models."""
    models = add_command(
        sub,
        "models",
        _cmd_models,
        summary="list the ten business models",
        description="List the business models, in seed 000's order.",
    )
    output_options(models)


def add_compare(sub: Any) -> None:
    """``bizmodels compare [SCENARIO] [MODEL...]``: models side by side, ranked."""
    comp = add_command(
        sub,
        "compare",
        _cmd_compare,
        summary="compare business models side by side, ranked",
        description="Compare business models on the default market, ranked by a column.",
    )
    comp.add_argument(
        "items",
        nargs="*",
        metavar="SCENARIO|MODEL",
        help="a scenario file (.yaml/.json) and/or model or preset slugs (default: all ten)",
    )
    comp.add_argument(
        "--sort",
        choices=SORTABLE,
        default="operating_profit",
        metavar="COLUMN",
        help=f"column to rank by: {', '.join(SORTABLE)} (default operating_profit)",
    )
    comp.add_argument(
        "--order",
        choices=("ascending", "descending"),
        default=None,
        help="ranking order (default: descending, ascending for cac and cac_payback)",
    )
    comp.add_argument(
        "--baseline",
        nargs="?",
        const=BASELINE_SLUG,
        default=None,
        metavar="SLUG",
        help=(
            f"add a reference row and each model's difference from it: the marketplace "
            f"shop ({BASELINE_SLUG}) when no slug is given, else the model or preset named"
        ),
    )
    output_options(comp, xlsx=True)


def add_waterfall(sub: Any) -> None:
    """``bizmodels waterfall MODEL``: a model's P&L, lifetime or per order."""
    water = add_command(
        sub,
        "waterfall",
        _cmd_waterfall,
        summary="a model's P&L waterfall, lifetime or per order",
        description="Print a business model's waterfall: GMV down to operating profit.",
    )
    water.add_argument("model", help="model or preset slug (see `bizmodels models`, `presets`)")
    scenario_option(water)
    water.add_argument("--unit", action="store_true", help="per order instead of lifetime")
    set_option(water, "override a field, e.g. --set reach=0.4 or --set market.price=99")
    output_options(water, xlsx=True)


def add_presets(sub: Any) -> None:
    """``bizmodels presets``: the configured models of the seeds (000-004)."""
    presets = add_command(
        sub,
        "presets",
        _cmd_presets,
        summary="list the presets of the seeds (000-004)",
        description="List the presets: configured models from the seeds.",
    )
    output_options(presets)


def add_schema(sub: Any) -> None:
    """``bizmodels schema SLUG``: a model's, preset's or plan's JSON schema, values used."""
    plans = ", ".join(PLANS)
    schema = add_command(
        sub,
        "schema",
        _cmd_schema,
        summary="a model's, preset's or plan's JSON schema (values used, units, sources)",
        description=(
            "Print the JSON schema of a business model, a preset or a commission plan: each "
            "field's unit, limits, the value the slug uses and its source."
        ),
    )
    schema.add_argument(
        "slug",
        help=f"model or preset slug (see `bizmodels models`, `presets`) or plan: {plans}",
    )
