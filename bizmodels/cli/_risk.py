"""Finance and risk: ``montecarlo``, ``break-even`` and ``assess`` (传销 risk findings)."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from pydantic import ValidationError

from bizmodels import plans
from bizmodels.cli._common import (
    UsageError,
    add_command,
    load,
    model,
    model_or_plan,
    output_options,
    parse_set,
    plan,
    require_model,
    scenario_option,
    set_option,
)
from bizmodels.cli._fit import assessment_text, text_or_file
from bizmodels.compliance import Assessment, assess, random_network
from bizmodels.market import Market
from bizmodels.models import BusinessModel
from bizmodels.risk import break_even, monte_carlo
from bizmodels.risk.distributions import market_uncertainty

__all__ = ["AssessError", "add_assess", "add_break_even", "add_montecarlo", "assess_command"]

AssessError = UsageError
"""What `assess_command` raises (the name it had in `bizmodels.compliance`)."""


def _decimal(text: str) -> Decimal:
    """An argparse type: a finite decimal number."""
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value.is_finite():
        raise argparse.ArgumentTypeError(f"not a finite number: {text!r}")
    return value


def _cmd_montecarlo(args: argparse.Namespace) -> str:
    scenario = load(args.scenario)
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
    lang: Literal["en", "zh"] = "zh" if getattr(args, "lang", "en") == "zh" else "en"
    text = result.render(args.format, lang=lang)
    if args.format not in ("table", "markdown"):
        return text_or_file(args, text)
    given = bool(scenario and scenario.distributions)
    if lang == "zh":
        source = (
            "情景文件的分布"
            if given
            else "市场周围的默认不确定性（bizmodels.risk.market_uncertainty）"
        )
        heading = f"{result.caption(lang)}，{source}"
    else:
        source = (
            "the scenario's distributions"
            if given
            else ("the default uncertainty around the market (bizmodels.risk.market_uncertainty)")
        )
        heading = f"{args.target}: {result.samples:,} samples, seed {result.seed}, {source}"
    return text_or_file(args, f"{heading}\n\n{text}")


def _cmd_break_even(args: argparse.Namespace) -> str:
    sizes = {"--members": args.members, "--days": args.days, "--seeds": args.seeds}
    if args.model in plans.PLANS:
        if args.scenario is not None:
            raise UsageError(f"{args.model} is a plan: a scenario file applies to a model")
        built_plan = plan(args.model, args.set)
        growth = {"members": args.members, "days": args.days}
        try:
            from bizmodels.design.ensemble import PlanEnsemble

            ensemble = PlanEnsemble(
                range(8 if args.seeds is None else args.seeds),
                **{k: v for k, v in growth.items() if v is not None},
            )
            answer = break_even(
                built_plan, args.field, target=args.target, value=args.value, ensemble=ensemble
            )
        except ValidationError as exc:
            raise UsageError(_first_error(exc)) from None
        except ValueError as exc:
            raise UsageError(str(exc).splitlines()[0]) from None
        return answer.message
    given = [name for name, v in sizes.items() if v is not None]
    if given:
        require_model(args.model)
        raise UsageError(
            f"{', '.join(given)}: the ensemble of grown networks applies to a plan "
            f"({', '.join(plans.PLANS)}), not to a model"
        )
    require_model(args.model)
    built = model(args.model, args.set, load(args.scenario))
    try:
        result = break_even(built, args.field, target=args.target, value=args.value)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    return result.message


def _first_error(exc: ValidationError) -> str:
    # one line: the first bad argument and what is wrong with it
    err = exc.errors()[0]
    where = ".".join(str(x) for x in err["loc"]) or exc.title
    return f"{where}: {err['msg'].removeprefix('Value error, ')}"


def _positive(text: str) -> int:
    """An argparse type: a whole number ≥ 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


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
    wide: bool = False,
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
        Simulate the plan on a `bizmodels.compliance.random_network` of this many members
        instead.
    repurchases, seed : int
        Repurchases and seed of the random network.
    fmt : str
        ``table``, ``markdown``, ``json`` or ``csv``.
    lang : str
        ``en`` or ``zh``.
    wide : bool
        Every column of the findings table (by default the columns that fit 120).

    Returns
    -------
    str

    Raises
    ------
    UsageError
        An unknown target, a bad override, a bad events file, or a simulation asked of a
        model without a plan; the message is one line.

    Examples
    --------
    >>> print(assess_command("liandong_699").splitlines()[0])
    liandong_699: risk level HIGH
    """
    built = model_or_plan(target, overrides or {})
    if events is not None and members is not None:
        raise UsageError("give an events file or a number of members, not both")
    if repurchases and members is None:
        raise UsageError("--repurchases applies to a random network: give --members too")
    name = target  # the result is named by what was asked for, not by the class
    if events is None and members is None:
        found = assess(built)
    else:
        plan = built if not isinstance(built, BusinessModel) else getattr(built, "plan", None)
        if not isinstance(plan, plans.Plan):
            raise UsageError(
                f"{target} has no commission plan to simulate; give a plan "
                f"({', '.join(plans.PLANS)}) or a model with one (tob_recruitment --set plan=...)"
            )
        try:
            if events is not None:
                stream: Any = plans.read_events(events)
            else:
                stream = random_network(members or 0, repurchases=repurchases, seed=seed)
        except OSError as exc:
            raise UsageError(f"cannot read {events}: {exc.strerror}") from None
        except ValueError as exc:
            where = f"{events}: " if events is not None else "--"
            raise UsageError(where + str(exc).splitlines()[0]) from None
        run = plans.simulate(plan, stream)
        found = assess(run)
        name += f", simulated: {run.totals.members} members, {run.totals.orders} orders"
    try:
        return assessment_text(Assessment(name, found.findings), fmt, lang, wide)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _cmd_assess(args: argparse.Namespace) -> str:
    text = assess_command(
        args.target,
        overrides=parse_set(args.set),
        events=args.simulate,
        members=args.members,
        repurchases=args.repurchases,
        seed=args.seed,
        fmt=args.format,
        lang=args.lang,
        wide=args.wide,
    )
    return text_or_file(args, text)


def add_assess(sub: Any) -> None:
    """``bizmodels assess TARGET``: 传销 risk findings with their legal basis."""
    cmd = add_command(
        sub,
        "assess",
        _cmd_assess,
        summary="pyramid-selling (传销) risk findings with their legal basis",
        description="Assess a model, preset or plan against the legal and health indicators "
        "of bizmodels.compliance: an analytical aid, not legal advice.",
    )
    cmd.add_argument("target", help="model, preset or plan slug (e.g. liandong_699)")
    set_option(cmd, "override a field (repeatable)")
    cmd.add_argument(
        "--simulate",
        metavar="EVENTS.csv",
        help="also assess a plan's network simulated on this event log",
    )
    cmd.add_argument(
        "--members",
        type=int,
        metavar="N",
        help="also assess a plan's network simulated on N random members",
    )
    cmd.add_argument(
        "--repurchases",
        type=int,
        default=0,
        metavar="N",
        help="repurchases in that random network (default 0)",
    )
    cmd.add_argument("--seed", type=int, default=0, help="seed of the random network")
    output_options(cmd)


def add_montecarlo(sub: Any) -> None:
    """``bizmodels montecarlo [SCENARIO]``: loss probability and how often each model wins."""
    mc = add_command(
        sub,
        "montecarlo",
        _cmd_montecarlo,
        summary="Monte Carlo: loss probability and how often each model wins",
        description="Draw the uncertain fields (a scenario file's distributions, or a default "
        "uncertainty around the market) and evaluate every model on every draw.",
    )
    mc.add_argument("scenario", nargs="?", metavar="SCENARIO", help="a scenario file")
    mc.add_argument("--samples", type=int, default=100_000, help="draws (default 100,000)")
    mc.add_argument("--seed", type=int, default=0, help="seed (default 0)")
    mc.add_argument("--target", default="operating_profit", help="waterfall step simulated")
    output_options(mc)


def add_break_even(sub: Any) -> None:
    """``bizmodels break-even MODEL FIELD``: the value at which a model or plan breaks even."""
    be = add_command(
        sub,
        "break-even",
        _cmd_break_even,
        summary="the value of a field at which a model breaks even (goal seek)",
        description="Find the value of FIELD at which the target step reaches the value. For "
        "a plan, the target is a figure's mean over an ensemble of grown networks "
        "(bizmodels.design).",
    )
    be.add_argument("model", help="model, preset or plan slug (e.g. liandong_699)")
    be.add_argument("field", help="a numeric field of the model, the market or the plan")
    be.add_argument(
        "--target",
        default=None,
        help="waterfall step of a model (default operating_profit), or figure of a plan "
        "(default platform_result; payout_ratio, earned_back, ...)",
    )
    be.add_argument("--value", type=_decimal, default=Decimal(0), help="value to reach (default 0)")
    be.add_argument(
        "--members",
        type=_positive,
        metavar="N",
        help="a plan's networks grow to at most N members (default 20,000)",
    )
    be.add_argument(
        "--days", type=_positive, metavar="D", help="days each network grows (default 365)"
    )
    be.add_argument(
        "--seeds",
        type=_positive,
        metavar="K",
        help="networks in a plan's ensemble, seeds 0 to K-1 (default 8)",
    )
    scenario_option(be)
    set_option(be, "override a field (repeatable)")
