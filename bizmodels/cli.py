"""The ``bizmodels`` command: parse, call the library, print.

A user's mistake (an unknown name, a bad value, a file or size that cannot be had) ends with
status 2 and one line on stderr that names what is wrong; an internal error with status 1 and
a one-line request to report it; a traceback only with ``--debug``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, NoReturn

from pydantic import ValidationError
from tabulate import tabulate

from bizmodels import __version__, compliance, plans
from bizmodels._output import FORMATS, render
from bizmodels._types import json_schema
from bizmodels.compare import SORTABLE, compare
from bizmodels.io import Scenario, ScenarioError, default_scenario_text, load_scenario
from bizmodels.market import Market
from bizmodels.models import MODELS, BusinessModel
from bizmodels.models._base import CheckFailed
from bizmodels.plans.summary import check_cohorts
from bizmodels.presets import PRESETS, resolve
from bizmodels.risk import break_even, monte_carlo
from bizmodels.risk.distributions import market_uncertainty
from bizmodels.waterfall import Waterfall


class UsageError(Exception):
    """A mistake in what the user typed; reported in one line with status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def _parse_value(text: str) -> Any:
    """Read a ``--set`` value: JSON where it parses (``0.1``, ``[1,2]``), a comma list, or text."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        pass
    if "," in text:
        return [part.strip() for part in text.split(",")]
    return text


def _overrides(pairs: Sequence[str]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--set expects key=value, got {pair!r}")
        result[key.strip()] = _parse_value(value.strip())
    return result


def describe_validation_error(error: ValidationError, valid: Sequence[str] = ()) -> str:
    """One line naming each offending field and its value, and the valid names if unknown."""
    parts = []
    for item in error.errors():
        field = ".".join(str(x) for x in item["loc"]) or error.title
        if item["type"] == "extra_forbidden":
            hint = f"; valid: {', '.join(valid)}" if valid else ""
            parts.append(f"unknown parameter {field!r}{hint}")
            continue
        message = item["msg"].removeprefix("Value error, ")
        cause = (item.get("ctx") or {}).get("error")
        if isinstance(cause, CheckFailed):
            # the check names the model's key, which the caller has named already
            message = str(cause).split(": ", 1)[-1]
        if item["loc"]:
            parts.append(f"{field} = {item['input']!r}: {message}")
        else:
            parts.append(message)
    return "; ".join(parts)


def _plan(name: str, pairs: Sequence[str]) -> plans.Plan:
    """A plan by name with ``--set`` overrides, or a one-line UsageError."""
    try:
        return plans.get_plan(name, **_overrides(pairs))
    except KeyError as exc:
        raise UsageError(str(exc.args[0])) from None
    except ValidationError as exc:
        valid = list(type(plans.PLANS[name]()).model_fields)
        raise UsageError(f"plan {name}: {describe_validation_error(exc, valid)}") from None


def _cmd_plan(args: argparse.Namespace) -> str:
    plan = _plan(args.name, args.set)
    if not isinstance(plan, plans.LiandongPlan):
        text = Waterfall(f"{args.name} order", plan.order_waterfall().steps).render(
            args.format, args.lang
        )
        return text
    sponsor = None if args.sponsor == "none" else args.sponsor
    try:
        waterfall = plan.order_waterfall(
            sponsor=sponsor,
            slid=not args.not_slid,
            regional_upline=[r for r in args.upline.split(",") if r.strip()],
            peer_on_direct=not args.no_peer,
            peer_on_see_point=not args.no_peer,
            goods_cost=args.goods_cost,
        )
    except (ValueError, ArithmeticError) as exc:
        raise UsageError(f"plan {args.name}: {exc}") from None
    text = Waterfall(f"{args.name} order", waterfall.steps).render(args.format, args.lang)
    if args.format in ("table", "markdown"):
        text += "\n\n" + _payback_line(plan, args.lang)
    return text


def _payback_line(plan: plans.LiandongPlan, lang: str) -> str:
    gross, net = plan.payback_recruits(), plan.payback_recruits(available_only=True)
    rate = f"{float(plan.freeze_rate) * 100:g}%"
    if lang == "zh":
        return (
            f"回本所需直推人数：{gross if gross is not None else '永不回本'}"
            f"（帮扶基金冻结 {rate} 时按可提现计：{net if net is not None else '永不回本'}）"
        )
    return (
        f"Recruits to earn back the package from direct rewards: "
        f"{gross if gross is not None else 'never'} "
        f"({net if net is not None else 'never'} counting only what is available while "
        f"the help fund freezes {rate})"
    )


def _model(slug: str, pairs: Sequence[str], scenario: Scenario | None = None) -> BusinessModel:
    """A model or preset by slug, with ``--set`` overrides, on the scenario's market."""
    overrides = _overrides(pairs)
    market = {k.removeprefix("market."): v for k, v in overrides.items() if k.startswith("market.")}
    fields = {k: v for k, v in overrides.items() if not k.startswith("market.")}
    if scenario is not None:
        fields = {**scenario.overrides.get(slug, {}), **fields}
        market = {**scenario.market.model_dump(), **market}
    elif market and slug in PRESETS:
        # a preset may carry its own market: --set market.x changes that one, field by field
        market = {**PRESETS[slug].model.market.model_dump(), **market}
    if market:
        fields["market"] = market
    try:
        return resolve(slug, **fields)
    except KeyError as exc:
        raise UsageError(str(exc.args[0])) from None
    except ValidationError as exc:
        cls = type(PRESETS[slug].model) if slug in PRESETS else MODELS[slug]
        valid = [*cls.model_fields, *(f"market.{f}" for f in Market.model_fields)]
        raise UsageError(f"model {slug}: {describe_validation_error(exc, valid)}") from None


def _listing(rows: list[tuple[Any, ...]], headers: tuple[str, ...], fmt: str) -> str:
    """A listing (models, presets) as a table, markdown, JSON or CSV."""
    return render(
        fmt,
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
    return _listing(rows, ("n", "model", "name_zh", "name_en", "source"), args.format)


def _cmd_presets(args: argparse.Namespace) -> str:
    rows = [(p.slug, p.name_zh, p.name_en, p.source, p.summary) for p in PRESETS.values()]
    return _listing(rows, ("preset", "name_zh", "name_en", "source", "summary"), args.format)


def _load(path: str | None) -> Scenario | None:
    if path is None:
        return None
    try:
        return load_scenario(path)
    except ScenarioError as exc:
        raise UsageError(str(exc)) from None


def _cmd_compare(args: argparse.Namespace) -> str:
    files = [a for a in args.items if _looks_like_file(a)]
    slugs = [a for a in args.items if not _looks_like_file(a)]
    if len(files) > 1:
        raise UsageError(f"compare takes one scenario file, got {len(files)}: {', '.join(files)}")
    scenario = _load(files[0] if files else None)
    unknown = [s for s in slugs if s not in MODELS and s not in PRESETS]
    if unknown:
        valid = ", ".join([*MODELS, *PRESETS])
        raise UsageError(f"unknown model or preset {unknown[0]!r}; valid: {valid}")
    if scenario is None:
        chosen: Any = slugs or None
    elif slugs:
        chosen = {s: scenario.models.get(s) or _model(s, [], scenario) for s in slugs}
    else:
        chosen = scenario.models
    table = compare(
        chosen,
        sort=args.sort,
        descending=None if args.order is None else args.order == "descending",
    )
    text = table.render(args.format, args.lang)
    if table.notes and args.format in ("table", "markdown"):
        text += "\n\n" + "\n".join(f"Note: {note}" for note in table.notes)
    return text


def _looks_like_file(item: str) -> bool:
    if item in MODELS or item in PRESETS:
        return False
    # an existing path of any kind is meant as a file: the loader says what is wrong with it
    return item.lower().endswith((".yaml", ".yml", ".json")) or "/" in item or Path(item).exists()


def _cmd_waterfall(args: argparse.Namespace) -> str:
    if args.model not in MODELS and args.model not in PRESETS:
        valid = ", ".join([*MODELS, *PRESETS])
        raise UsageError(f"unknown model or preset {args.model!r}; valid: {valid}")
    model = _model(args.model, args.set, _load(args.scenario))
    try:
        waterfall = model.unit_waterfall() if args.unit else model.waterfall()
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return waterfall.render(args.format, args.lang)


def _cmd_init(args: argparse.Namespace) -> str:
    path = Path(args.path)
    if path.exists() and not args.force:
        raise UsageError(f"{path} exists; use --force to overwrite it")
    try:
        path.write_text(default_scenario_text(), encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror}") from None
    return f"wrote {path}: edit it, then run `bizmodels compare {path}`"


def _cmd_schema(args: argparse.Namespace) -> str:
    if args.model in PRESETS:
        cls: type[BusinessModel] = type(PRESETS[args.model].model)
    elif args.model in MODELS:
        cls = MODELS[args.model]
    else:
        valid = ", ".join([*MODELS, *PRESETS])
        raise UsageError(f"unknown model or preset {args.model!r}; valid: {valid}")
    return json.dumps(json_schema(cls), ensure_ascii=False, indent=2)


_GROWTH_OPTIONS = (
    "members",
    "days",
    "market_size",
    "recruit_rate",
    "repurchase_rate",
    "attrition",
    "roots",
    "preference",
)


class _Progress:
    """A progress bar on stderr, drawn only when stderr is a terminal (never in pipes)."""

    def __init__(self) -> None:
        self.on = sys.stderr.isatty()
        self.shown = -1

    def __call__(self, day: int, days: int) -> None:
        if not self.on:
            return
        width = 30
        filled = width * day // max(days, 1)
        if filled == self.shown and day < days:
            return  # redraw only when the bar moves
        self.shown = filled
        bar = "#" * filled + "." * (width - filled)
        sys.stderr.write(f"\rgrowing the network [{bar}] day {day:,}/{days:,}")
        sys.stderr.flush()

    def say(self, text: str) -> None:
        if self.on:
            sys.stderr.write(f"\r\033[K{text}")
            sys.stderr.flush()

    def done(self) -> None:
        if self.on:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def _growth_error(error: ValidationError) -> str:
    """A growth option's error in the command line's words: ``--members 0: ...``."""
    parts = []
    for item in error.errors():
        message = item["msg"].removeprefix("Value error, ")
        if item["loc"]:
            option = "--" + str(item["loc"][0]).replace("_", "-")
            parts.append(f"{option} {item['input']}: {message[0].lower()}{message[1:]}")
        else:
            parts.append(message)
    return "; ".join(parts)


def _cmd_simulate(args: argparse.Namespace) -> str:
    plan = _plan(args.name, args.set)
    growth = {k: getattr(args, k) for k in _GROWTH_OPTIONS if getattr(args, k) is not None}
    check_cohorts(args.cohorts)  # before the network is grown, not after
    progress = _Progress()
    try:
        if args.events is not None:
            given = [*growth, *(["seed"] if args.seed is not None else [])]
            if given:
                options = ", ".join(f"--{k.replace('_', '-')}" for k in given)
                raise UsageError(f"--events replays a log; {options} do not apply to it")
            progress.say(f"reading {args.events}")
            try:
                # read_events names the file (and row) in its own errors
                events: plans.EventStream = plans.read_events(args.events)
            except OSError as exc:
                raise UsageError(f"cannot read {args.events}: {exc.strerror}") from None
        else:
            try:
                events = plans.generate_growth(
                    progress=progress, seed=0 if args.seed is None else args.seed, **growth
                )
            except ValidationError as exc:
                raise UsageError(_growth_error(exc)) from None
        progress.say(f"simulating {len(events):,} events")
        try:
            run = plans.simulate(plan, events)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        if args.explain is not None:
            if not 0 <= args.explain < len(events):
                raise UsageError(
                    f"--explain {args.explain}: events are numbered 0 to {len(events) - 1}"
                )
            return str(run.explain(args.explain))
        try:
            summary = run.summary(cohorts=args.cohorts)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    finally:
        progress.done()
    return summary.render(args.format, args.lang)


def _cmd_assess(args: argparse.Namespace) -> str:
    try:
        return compliance.assess_command(
            args.target,
            overrides=_overrides(args.set),
            events=args.simulate,
            members=args.members,
            repurchases=args.repurchases,
            seed=args.seed,
            fmt=args.format,
            lang=args.lang,
        )
    except compliance.AssessError as exc:
        raise UsageError(str(exc)) from None


def _cmd_montecarlo(args: argparse.Namespace) -> str:
    scenario = _load(args.scenario)
    if scenario is None:
        chosen: Any = None
        market = Market()
        distributions: dict[str, Any] = dict(market_uncertainty(market))
    else:
        chosen, market = scenario.models, scenario.market
        distributions = dict(scenario.distributions) or dict(market_uncertainty(market))
    try:
        result = monte_carlo(
            chosen, distributions, samples=args.samples, seed=args.seed, target=args.target
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    text = result.render(args.format)
    if args.format not in ("table", "markdown"):
        return text
    source = (
        "the scenario's distributions"
        if scenario and scenario.distributions
        else ("the default uncertainty around the market (bizmodels.risk.market_uncertainty)")
    )
    return f"{args.target}: {result.samples:,} samples, seed {result.seed}, {source}\n\n{text}"


def _cmd_break_even(args: argparse.Namespace) -> str:
    if args.model not in MODELS and args.model not in PRESETS:
        valid = ", ".join([*MODELS, *PRESETS])
        raise UsageError(f"unknown model or preset {args.model!r}; valid: {valid}")
    model = _model(args.model, args.set, _load(args.scenario))
    try:
        result = break_even(model, args.field, target=args.target, value=args.value)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return result.message


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``bizmodels`` command."""
    parser = _Parser(
        prog="bizmodels",
        description="Compare private-domain (私域) e-commerce business models and their P&L.",
    )
    parser.add_argument("--version", action="version", version=f"bizmodels {__version__}")
    parser.add_argument(
        "--debug",
        action="store_true",
        help="show the traceback of an error (the option may stand anywhere on the line)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    plan = sub.add_parser(
        "plan",
        help="where one order of a commission plan goes (e.g. liandong_699)",
        description="Print the per-order breakdown of a commission plan.",
    )
    plan.add_argument("name", help=f"plan name: {', '.join(plans.PLANS)}")
    _set_option(plan, "override a plan parameter, e.g. --set direct_agent=280 (repeatable)")
    plan.add_argument(
        "--sponsor",
        choices=("member", "agent", "none"),
        default="member",
        help="rank of the buyer's sponsor; none for a root buyer (default member)",
    )
    plan.add_argument(
        "--not-slid",
        action="store_true",
        help="the buyer was not slid to the sponsor's upline: no see-point reward",
    )
    plan.add_argument(
        "--upline",
        default="V1,V2,V3",
        metavar="RANKS",
        help="regional dealers above the buyer, nearest first (default V1,V2,V3; '' for none)",
    )
    plan.add_argument(
        "--no-peer", action="store_true", help="no same-rank upline takes the peer reward"
    )
    plan.add_argument(
        "--goods-cost",
        default=None,
        metavar="YUAN",
        help="cost of the goods in the package: adds gross profit after goods",
    )
    _output_options(plan)
    plan.set_defaults(func=_cmd_plan)

    models = sub.add_parser(
        "models",
        help="list the ten business models",
        description="List the business models, in seed 000's order.",
    )
    _output_options(models)
    models.set_defaults(func=_cmd_models)

    comp = sub.add_parser(
        "compare",
        help="compare business models side by side, ranked",
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
    _output_options(comp)
    comp.set_defaults(func=_cmd_compare)

    water = sub.add_parser(
        "waterfall",
        help="a model's P&L waterfall, lifetime or per order",
        description="Print a business model's waterfall: GMV down to operating profit.",
    )
    water.add_argument("model", help="model or preset slug (see `bizmodels models`, `presets`)")
    _scenario_option(water)
    water.add_argument("--unit", action="store_true", help="per order instead of lifetime")
    _set_option(water, "override a field, e.g. --set reach=0.4 or --set market.price=99")
    _output_options(water)
    water.set_defaults(func=_cmd_waterfall)

    presets = sub.add_parser(
        "presets",
        help="list the presets of seeds 001-004",
        description="List the presets: configured models from the seeds.",
    )
    _output_options(presets)
    presets.set_defaults(func=_cmd_presets)

    init = sub.add_parser(
        "init",
        help="write the default scenario file, commented",
        description="Write the built-in default scenario as a starting point.",
    )
    init.add_argument("path", nargs="?", default="scenario.yaml", help="default scenario.yaml")
    init.add_argument("--force", action="store_true", help="overwrite an existing file")
    init.set_defaults(func=_cmd_init)

    schema = sub.add_parser(
        "schema",
        help="a model's JSON schema (fields, units, sources)",
        description="Print a business model's JSON schema.",
    )
    schema.add_argument("model", help="model slug (see `bizmodels models`)")
    schema.set_defaults(func=_cmd_schema)

    sim = sub.add_parser(
        "simulate",
        help="run a commission plan over a growing network, or a log, and summarise",
        description=(
            "Grow a referral network at random (or replay a log with --events), run a "
            "commission plan over it exactly, and print what it means for the members and "
            "the platform: who earned back, the distribution of net results, concentration, "
            "payout ratio, help fund and pools, and an income disclosure by join cohort."
        ),
    )
    sim.add_argument("name", metavar="PLAN", help=f"plan name: {', '.join(plans.PLANS)}")
    sim.add_argument("--members", type=int, help="most members the network reaches (10000)")
    sim.add_argument("--days", type=int, help="days simulated, day 0 included (365)")
    sim.add_argument("--seed", type=int, help="seed of the random growth (0): same seed, same run")
    sim.add_argument(
        "--events",
        metavar="FILE.csv",
        help="replay a log of joins and orders (columns kind,member,sponsor,day) instead",
    )
    sim.add_argument(
        "--market-size", type=int, help="people who could ever join (default: --members)"
    )
    sim.add_argument(
        "--recruit-rate", type=float, help="chance a day that an active member recruits (0.05)"
    )
    sim.add_argument(
        "--repurchase-rate",
        type=float,
        help="chance a day that an active member repurchases (0.01)",
    )
    sim.add_argument(
        "--attrition",
        type=float,
        help="chance a day that an active member drops out (0.0019: half within a year)",
    )
    sim.add_argument("--roots", type=int, help="members seeded by the company on day 0 (10)")
    sim.add_argument(
        "--preference",
        choices=("preferential", "uniform"),
        help="how sponsors are chosen: by recruits + 1 (preferential, default) or uniformly",
    )
    sim.add_argument(
        "--cohorts", type=int, default=10, help="join cohorts in the income disclosure (10)"
    )
    sim.add_argument(
        "--explain",
        type=int,
        metavar="EVENT",
        help="instead of the summary, explain where each fen of one event went (0-based)",
    )
    _set_option(sim, "override a plan parameter, e.g. --set package_price=499 (repeatable)")
    _output_options(sim)
    sim.set_defaults(func=_cmd_simulate)

    assess = sub.add_parser(
        "assess",
        help="pyramid-selling (传销) risk findings with their legal basis",
        description="Assess a model, preset or plan against the legal and health indicators "
        "of bizmodels.compliance: an analytical aid, not legal advice.",
    )
    assess.add_argument("target", help="model, preset or plan slug (e.g. liandong_699)")
    _set_option(assess, "override a field (repeatable)")
    assess.add_argument(
        "--simulate",
        metavar="EVENTS.csv",
        help="also assess a plan's network simulated on this event log",
    )
    assess.add_argument(
        "--members",
        type=int,
        metavar="N",
        help="also assess a plan's network simulated on N random members",
    )
    assess.add_argument(
        "--repurchases",
        type=int,
        default=0,
        metavar="N",
        help="repurchases in that random network (default 0)",
    )
    assess.add_argument("--seed", type=int, default=0, help="seed of the random network")
    _output_options(assess)
    assess.set_defaults(func=_cmd_assess)

    mc = sub.add_parser(
        "montecarlo",
        help="Monte Carlo: loss probability and how often each model wins",
        description="Draw the uncertain fields (a scenario file's distributions, or a default "
        "uncertainty around the market) and evaluate every model on every draw.",
    )
    mc.add_argument("scenario", nargs="?", metavar="SCENARIO", help="a scenario file")
    mc.add_argument("--samples", type=int, default=100_000, help="draws (default 100,000)")
    mc.add_argument("--seed", type=int, default=0, help="seed (default 0)")
    mc.add_argument("--target", default="operating_profit", help="waterfall step simulated")
    _output_options(mc)
    mc.set_defaults(func=_cmd_montecarlo)

    be = sub.add_parser(
        "break-even",
        help="the value of a field at which a model breaks even (goal seek)",
        description="Find the value of FIELD at which the target step reaches the value.",
    )
    be.add_argument("model", help="model or preset slug")
    be.add_argument("field", help="a numeric field of the model or the market")
    be.add_argument("--target", default="operating_profit", help="waterfall step")
    be.add_argument("--value", type=_decimal, default=Decimal(0), help="value to reach (default 0)")
    _scenario_option(be)
    _set_option(be, "override a field (repeatable)")
    be.set_defaults(func=_cmd_break_even)
    return parser


def _decimal(text: str) -> Decimal:
    """An argparse type: a finite decimal number."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value.is_finite():
        raise argparse.ArgumentTypeError(f"not a finite number: {text!r}")
    return value


def _set_option(parser: argparse.ArgumentParser, help_text: str) -> None:
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help=help_text)


def _scenario_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--scenario", metavar="FILE", help="take the market and overrides from a scenario file"
    )


def _output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=FORMATS, default="table", help="output format")
    parser.add_argument("--lang", choices=("zh", "en"), default="en", help="label language")


_BUG = (
    "this is a bug in bizmodels, please report it with the command you ran "
    "(run it again with --debug for the traceback)"
)


def _one_line(text: str) -> str:
    """A message on one line: pydantic's and others' extra lines joined with "; "."""
    lines = [ln.strip() for ln in str(text).splitlines() if ln.strip()]
    return "; ".join(ln for ln in lines if not ln.startswith("For further information"))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status.

    0 on success; 2 with one line on stderr for a user's mistake (a bad name, value, file
    or size: every `ValueError` the library raises names what is wrong); 1 with a short
    "this is a bug" line for anything else. ``--debug``, anywhere on the line, shows the
    traceback instead.
    """
    arguments = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in arguments
    arguments = [a for a in arguments if a != "--debug"]
    args = build_parser().parse_args(arguments)
    try:
        print(args.func(args))
    except BrokenPipeError:  # pragma: no cover - e.g. piped into head
        return 0
    except (UsageError, ValidationError, ValueError) as exc:
        if debug:
            raise
        if isinstance(exc, ValidationError):
            message = describe_validation_error(exc)
        else:
            message = str(exc)
        print(f"bizmodels: error: {_one_line(message)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("bizmodels: interrupted", file=sys.stderr)
        return 130
    except MemoryError:
        if debug:
            raise
        print(
            "bizmodels: error: ran out of memory; the sizes were checked beforehand, so " + _BUG,
            file=sys.stderr,
        )
        return 1
    except Exception as exc:
        if debug:
            raise
        detail = _one_line(str(exc))[:200]
        print(
            f"bizmodels: internal error: {type(exc).__name__}"
            + (f" ({detail})" if detail else "")
            + f"; {_BUG}",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
