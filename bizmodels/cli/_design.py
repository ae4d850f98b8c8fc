"""The plan designer: ``design`` (search a plan's numbers) and ``audit`` (gaming audit)."""

from __future__ import annotations

import argparse
from concurrent.futures import Executor, ProcessPoolExecutor
from decimal import Decimal, InvalidOperation
from typing import Any

from pydantic import ValidationError

from bizmodels import plans
from bizmodels.cli._common import (
    UsageError,
    add_command,
    describe_validation_error,
    plan,
    set_option,
)

__all__ = ["add_audit", "add_design", "parse_vary"]

_INSTALL = "pip install 'bizmodels[design]'"


def parse_vary(pairs: list[str]) -> dict[str, tuple[Decimal, Decimal]]:
    """The ``--vary FIELD=LOW:HIGH`` options as a mapping of field to range.

    Examples
    --------
    >>> parse_vary(["see_point=0:100"])
    {'see_point': (Decimal('0'), Decimal('100'))}
    """
    out: dict[str, tuple[Decimal, Decimal]] = {}
    for pair in pairs:
        name, eq, rng = pair.partition("=")
        low, colon, high = rng.partition(":")
        if not eq or not colon or not name.strip():
            raise UsageError(f"--vary {pair}: expects FIELD=LOW:HIGH, e.g. see_point=0:100")
        try:
            out[name.strip()] = (Decimal(low.strip()), Decimal(high.strip()))
        except InvalidOperation:
            raise UsageError(f"--vary {pair}: LOW and HIGH are numbers") from None
    return out


def _design_module() -> Any:
    try:
        import optuna  # noqa: F401

        from bizmodels.design import designer
    except ImportError:
        raise UsageError(f"the plan designer needs Optuna: {_INSTALL}") from None
    return designer


def _cmd_design(args: argparse.Namespace) -> str:
    designer = _design_module()
    from bizmodels.design.ensemble import PlanEnsemble

    built = plan(args.name, args.set)
    if not args.vary:
        raise UsageError("design: give at least one --vary FIELD=LOW:HIGH")
    vary = parse_vary(args.vary)
    constraints: dict[str, tuple[str, float]] = {}
    for option, figure, op in (
        ("max_payout", "payout_ratio", "<="),
        ("min_earned_back", "earned_back", ">="),
        ("max_top_share", "top_member_share", "<="),
    ):
        value = getattr(args, option)
        if value is not None:
            constraints[figure] = (op, value)
    for given in args.constraint:
        for op in ("<=", ">="):
            name, found, limit = given.partition(op)
            if found:
                try:
                    constraints[name.strip()] = (op, float(limit))
                except ValueError:
                    raise UsageError(f"--constraint {given}: the limit is a number") from None
                break
        else:
            raise UsageError(f"--constraint {given}: expects FIGURE<=LIMIT or FIGURE>=LIMIT")
    if args.networks < 1:
        raise UsageError(f"--networks {args.networks}: at least 1")
    if args.workers < 1:
        raise UsageError(f"--workers {args.workers}: at least 1")
    try:
        ensemble = PlanEnsemble(
            seeds=range(args.seed, args.seed + args.networks), members=args.members, days=args.days
        )
    except ValidationError as exc:
        raise UsageError(describe_validation_error(exc)) from None
    options = {
        "objective": args.objective,
        "maximize": not args.minimize,
        "constraints": constraints,
        "max_risk": args.max_risk,
        "no_recruitment_reward": args.no_recruitment_reward,
        "max_gaming_gain": args.max_gaming_gain,
        "trials": args.trials,
        "seed": args.seed,
        "batch": args.batch,
    }
    executor: Executor | None = None
    try:
        if args.workers > 1:
            executor = ProcessPoolExecutor(args.workers)
        design = designer.design_plan(built, vary, ensemble=ensemble, executor=executor, **options)
    finally:
        if executor is not None:
            executor.shutdown()
    text: str = design.render()
    if args.trials_csv:
        design.trials.to_csv(args.trials_csv)
        text += f"\n\nwrote the trials to {args.trials_csv}"
    if args.chart:
        design.chart().savefig(args.chart, dpi=120)
        text += f"\nwrote the chart to {args.chart}"
    return text


def _cmd_audit(args: argparse.Namespace) -> str:
    try:
        from bizmodels.design.gaming import audit_plan
    except ImportError:
        raise UsageError(f"the gaming audit needs the design extra: {_INSTALL}") from None
    built = plan(args.name, args.set)
    audit = audit_plan(
        built, seed=args.seed, accounts=args.accounts, members=args.members, days=args.days
    )
    text: str = audit.render()
    return text


def add_design(sub: Any) -> None:
    """``bizmodels design PLAN --vary FIELD=LOW:HIGH ...``: search a plan's numbers."""
    cmd = add_command(
        sub,
        "design",
        _cmd_design,
        summary="search a plan's numbers for an objective under limits (the design extra)",
        description=(
            "Vary fields of a commission plan within ranges, evaluate each candidate on the "
            "same grown networks, and choose the best under the limits given (Optuna's "
            "seeded TPE sampler): payout ratio, share who earn back, the largest member's "
            "share of earnings, the compliance level, no reward for recruiting, gaming gain."
        ),
    )
    cmd.add_argument("name", metavar="PLAN", help=f"plan name: {', '.join(plans.PLANS)}")
    cmd.add_argument(
        "--vary",
        action="append",
        default=[],
        metavar="FIELD=LOW:HIGH",
        help="a field and its range, e.g. --vary see_point=0:100 (repeatable)",
    )
    cmd.add_argument(
        "--objective", default="platform_result", help="the figure to maximise (platform_result)"
    )
    cmd.add_argument("--minimize", action="store_true", help="minimise the objective instead")
    cmd.add_argument("--max-payout", type=float, help="payout ratio at most this (e.g. 0.5)")
    cmd.add_argument(
        "--min-earned-back", type=float, help="share of participants who earn back, at least"
    )
    cmd.add_argument(
        "--max-top-share", type=float, help="the largest participant's share of earnings, at most"
    )
    cmd.add_argument(
        "--constraint",
        action="append",
        default=[],
        metavar="FIGURE<=LIMIT",
        help="any figure against a limit, e.g. --constraint 'gini<=0.8' (repeatable)",
    )
    cmd.add_argument(
        "--max-risk", choices=("low", "warning", "high"), help="highest compliance level allowed"
    )
    cmd.add_argument(
        "--no-recruitment-reward", action="store_true", help="joins may trigger no reward"
    )
    cmd.add_argument(
        "--max-gaming-gain", type=float, metavar="YUAN", help="no manipulation may gain more"
    )
    cmd.add_argument("--trials", type=int, default=100, help="candidates evaluated (100)")
    cmd.add_argument("--batch", type=int, default=8, help="candidates asked at a time (8)")
    cmd.add_argument("--members", type=int, default=20_000, help="members per network (20000)")
    cmd.add_argument("--networks", type=int, default=8, help="networks grown (8)")
    cmd.add_argument("--days", type=int, default=365, help="days grown (365)")
    cmd.add_argument(
        "--seed", type=int, default=0, help="sampler seed; networks S … S+networks−1 (0)"
    )
    cmd.add_argument("--workers", type=int, default=1, help="processes evaluating candidates (1)")
    cmd.add_argument("--chart", metavar="PATH", help="write the chart (PNG, SVG, PDF)")
    cmd.add_argument("--trials-csv", metavar="PATH", help="write every trial as CSV")
    set_option(cmd, "fix a plan parameter, e.g. --set package_price=499 (repeatable)")


def add_audit(sub: Any) -> None:
    """``bizmodels audit PLAN``: what false-name manipulations gain against honest play."""
    cmd = add_command(
        sub,
        "audit",
        _cmd_audit,
        summary="what gaming a plan gains (self-recruiting, split orders, ...), in yuan",
        description=(
            "Run each false-name manipulation (self-recruiting fake accounts, harvesting "
            "slides and see-point rewards, splitting orders, buying ranks early) against "
            "honest play on the same grown network, and report the manipulator's gain and "
            "the platform's cost in yuan."
        ),
    )
    cmd.add_argument("name", metavar="PLAN", help=f"plan name: {', '.join(plans.PLANS)}")
    cmd.add_argument("--accounts", type=int, default=2, help="fake accounts (2)")
    cmd.add_argument("--members", type=int, default=2000, help="members of the network (2000)")
    cmd.add_argument("--days", type=int, default=365, help="days grown (365)")
    cmd.add_argument("--seed", type=int, default=0, help="seed of the network (0)")
    set_option(cmd, "override a plan parameter, e.g. --set see_point=0 (repeatable)")
