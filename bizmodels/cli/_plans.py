"""Plans and simulation: ``plan`` (one order's payouts) and ``simulate`` (a network run)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from pydantic import ValidationError

from bizmodels import plans
from bizmodels._errors import pydantic_message
from bizmodels.cli._common import UsageError, add_command, output_options, plan, set_option
from bizmodels.cli._fit import narrow_headers, text_or_file, write_xlsx
from bizmodels.plans.limits import MAX_GROWTH_DAYS
from bizmodels.plans.summary import check_cohorts
from bizmodels.waterfall import Waterfall

__all__ = ["add_plan", "add_simulate"]

_GROWTH_OPTIONS = (
    "members",
    "days",
    "market_size",
    "recruit_rate",
    "repurchase_rate",
    "attrition",
    "roots",
    "preference",
    "refund_rate",
    "refund_within",
)


def _order_waterfall(built: plans.Plan, args: argparse.Namespace) -> Waterfall:
    """One order of the plan, in the case the options describe (for a plan that has cases)."""
    case = {
        "sponsor": None if args.sponsor == "none" else args.sponsor,
        "slid": not args.not_slid,
        "regional_upline": [r for r in args.upline.split(",") if r.strip()],
        "peer_on_direct": not args.no_peer,
        "peer_on_see_point": not args.no_peer,
        "goods_cost": args.goods_cost,
    }
    try:
        return built.order_waterfall(
            **{k: v for k, v in case.items() if k in type(built).order_options}
        )
    except (ValueError, ArithmeticError) as exc:
        raise UsageError(f"plan {args.name}: {exc}") from None


def _cmd_plan(args: argparse.Namespace) -> str:
    built = plan(args.name, args.set)
    steps = _order_waterfall(built, args).steps
    order = Waterfall(f"{args.name} order", steps)
    if args.format == "xlsx":
        return write_xlsx(args, order.to_excel)
    text = order.render(args.format, args.lang)
    notes = built.order_notes(args.lang)
    if notes and args.format in ("table", "markdown"):
        text += "\n\n" + "\n".join(notes)
    return text_or_file(args, text)


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
        message = pydantic_message(item)
        if item["loc"]:
            option = "--" + str(item["loc"][0]).replace("_", "-")
            parts.append(f"{option} {item['input']}: {message[0].lower()}{message[1:]}")
        else:
            parts.append(message)
    return "; ".join(parts)


def _events(args: argparse.Namespace, progress: _Progress) -> plans.EventStream:
    """The events to simulate: the log of ``--events``, or a network grown at random."""
    growth = {k: getattr(args, k) for k in _GROWTH_OPTIONS if getattr(args, k) is not None}
    if args.events is None:
        try:
            return plans.generate_growth(
                progress=progress, seed=0 if args.seed is None else args.seed, **growth
            )
        except ValidationError as exc:
            raise UsageError(_growth_error(exc)) from None
    given = [*growth, *(["seed"] if args.seed is not None else [])]
    if given:
        options = ", ".join(f"--{k.replace('_', '-')}" for k in given)
        raise UsageError(f"--events replays a log; {options} do not apply to it")
    progress.say(f"reading {args.events}")
    try:
        # read_events names the file (and row) in its own errors
        return plans.read_events(args.events)
    except OSError as exc:
        raise UsageError(f"cannot read {args.events}: {exc.strerror}") from None


def _cmd_simulate(args: argparse.Namespace) -> str:
    if args.explain is not None and args.format == "xlsx":
        raise UsageError(
            "--explain prints one event's payouts as text; --format xlsx writes a summary"
        )
    built = plan(args.name, args.set)
    check_cohorts(args.cohorts)  # before the network is grown, not after
    _check_withdraw_every(args.withdraw_every)
    progress = _Progress()
    try:
        events = _events(args, progress)
        progress.say(f"simulating {len(events):,} events")
        try:
            run = plans.simulate(built, events, withdraw_every=args.withdraw_every)
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
    if args.format == "xlsx":
        return write_xlsx(args, summary.to_excel)
    text = summary.render(args.format, args.lang)
    if args.format == "table" and not args.wide:
        # The income disclosure's tables fit 120 columns with their headers on two lines,
        # ranks by name and without their share of members, cohorts without the mean net
        # (the median and the deciles stay); --wide shows every column.
        if summary.ranks:
            wide = summary.rank_table("simple", args.lang)
            tsv = _drop_column(summary.rank_table("tsv", args.lang), 2, name_only=True)
            text = text.replace(wide, narrow_headers(tsv), 1)
        if summary.cohorts:
            wide = summary.cohort_table("simple", args.lang)
            tsv = _drop_column(summary.cohort_table("tsv", args.lang), -3)
            text = text.replace(wide, narrow_headers(tsv), 1)
    return text_or_file(args, text)


def _drop_column(tsv: str, index: int, *, name_only: bool = False) -> str:
    """A tab-separated table without the column at ``index``.

    With ``name_only``, the first cell of each row is cut to its first word (a rank's
    name without its label).
    """
    rows = []
    for i, line in enumerate(tsv.split("\n")):
        cells = line.split("\t")
        del cells[index]
        if name_only and i:
            cells[0] = cells[0].strip().split(" ", 1)[0]
        rows.append("\t".join(cells))
    return "\n".join(rows)


def _check_withdraw_every(days: int | None) -> None:
    """``--withdraw-every`` is a number of days, 1 to 36,500, refused before anything runs."""
    if days is not None and not 1 <= days <= MAX_GROWTH_DAYS:
        raise UsageError(f"--withdraw-every {days}: must be 1 to {MAX_GROWTH_DAYS:,} days")


def add_plan(sub: Any) -> None:
    """``bizmodels plan NAME``: where one order of a commission plan goes."""
    cmd = add_command(
        sub,
        "plan",
        _cmd_plan,
        summary="where one order of a commission plan goes (e.g. liandong_699)",
        description="Print the per-order breakdown of a commission plan.",
    )
    cmd.add_argument("name", help=f"plan name: {', '.join(plans.PLANS)}")
    set_option(cmd, "override a plan parameter, e.g. --set direct_agent=280 (repeatable)")
    cmd.add_argument(
        "--sponsor",
        choices=("member", "agent", "none"),
        default="member",
        help="rank of the buyer's sponsor; none for a root buyer (default member)",
    )
    cmd.add_argument(
        "--not-slid",
        action="store_true",
        help="the buyer was not slid to the sponsor's upline: no see-point reward",
    )
    cmd.add_argument(
        "--upline",
        default="V1,V2,V3",
        metavar="RANKS",
        help="regional dealers above the buyer, nearest first (default V1,V2,V3; '' for none)",
    )
    cmd.add_argument(
        "--no-peer", action="store_true", help="no same-rank upline takes the peer reward"
    )
    cmd.add_argument(
        "--goods-cost",
        default=None,
        metavar="YUAN",
        help="cost of the goods in the package: adds gross profit after goods",
    )
    output_options(cmd, xlsx=True)


def add_simulate(sub: Any) -> None:
    """``bizmodels simulate PLAN``: a plan run over a growing network, or a log."""
    sim = add_command(
        sub,
        "simulate",
        _cmd_simulate,
        summary="run a commission plan over a growing network, or a log, and summarise",
        description=(
            "Grow a referral network at random (or replay a log with --events), run a "
            "commission plan over it exactly, and print what it means for the members and "
            "the platform: who earned back, the distribution of net results, concentration, "
            "payout ratio, help fund and pools, and an income disclosure by rank and by join "
            "cohort, net of refunds, fees and tax, with the company's seeded roots apart. "
            "Settlement rules come with --set settlement.frozen_days=7 and the like."
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
        "--refund-rate",
        type=float,
        help="share of orders refunded, each independently (0)",
    )
    sim.add_argument(
        "--refund-within",
        type=int,
        metavar="DAYS",
        help="a refund comes within this many days of its order (7: 七天无理由)",
    )
    sim.add_argument(
        "--withdraw-every",
        type=int,
        metavar="DAYS",
        help="every member withdraws its available balance every DAYS days (default: never)",
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
    set_option(sim, "override a plan parameter, e.g. --set package_price=499 (repeatable)")
    output_options(sim, xlsx=True)
