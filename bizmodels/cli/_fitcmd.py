"""``bizmodels fit ORDERS``: fit the purchase and spend models to an order log.

Prints the BG/NBD and Gamma-Gamma parameters with their standard errors and the holdout
check (predicted against actual repeat purchases after ``--calibration-end``), and with
``--write-scenario`` writes a scenario file of one model with the fitted customers, price,
conversion and retention curve, for ``bizmodels compare``. Needs the ``fit`` extra.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from tabulate import tabulate

from bizmodels.cli._common import UsageError, add_command, require_model

__all__ = ["add_fit"]


def _check_before_work(args: argparse.Namespace) -> None:
    """The mistakes that need no reading: refused before the log is read or fitted."""
    require_model(args.model)
    if args.write_scenario is not None:
        from bizmodels.fit.clv import conversion_field_of

        conversion_field_of(args.model, args.conversion_field)
    if args.write_scenario is not None:
        path = Path(args.write_scenario)
        if path.suffix.lower() not in (".yaml", ".yml", ".json"):
            raise UsageError(f"--write-scenario {path}: a scenario file ends in .yaml or .json")
        if path.exists() and not args.force:
            raise UsageError(f"--write-scenario {path} exists; use --force to overwrite it")
        if not path.parent.is_dir():
            raise UsageError(f"--write-scenario {path}: no folder {path.parent}")
    if args.chart is not None and Path(args.chart).suffix.lower() not in (".png", ".svg", ".pdf"):
        raise UsageError(f"--chart {args.chart}: the chart is written as .png, .svg or .pdf")
    if not Path(args.orders).is_file():
        raise UsageError(f"{args.orders}: no such file")
    if args.write_referrals is not None:
        if args.referrer is None:
            raise UsageError("--write-referrals needs --referrer, the column naming the referrer")
        path = Path(args.write_referrals)
        if path.suffix.lower() != ".csv":
            raise UsageError(f"--write-referrals {path}: the referral log is written as .csv")
        if path.exists() and not args.force:
            raise UsageError(f"--write-referrals {path} exists; use --force to overwrite it")
        if not path.parent.is_dir():
            raise UsageError(f"--write-referrals {path}: no folder {path.parent}")


def _channels_text(table: Any) -> str:
    rows = [
        (
            r["channel"],
            f"{r['customers']:,}",
            f"{r['orders']:,}",
            f"{r['amount']:,.2f}",
            f"{r['repeat_share']:.1%}",
            f"{r['order_value']:,.2f}",
        )
        for r in table.to_dict("records")
    ]
    return "customers by the channel of their first order:\n\n" + tabulate(
        rows,
        headers=("channel", "customers", "orders", "amount", "buy again", "order value"),
        colalign=("left", "right", "right", "right", "right", "right"),
        disable_numparse=True,
    )


def _write_referrals(log: Any, path: Path) -> str:
    import csv

    stream = log.referral_events()
    names = ("join", "order")
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(("kind", "member", "sponsor", "day"))
        for k, m, sp, d in zip(
            stream.kind.tolist(),
            stream.member.tolist(),
            stream.sponsor.tolist(),
            stream.day.tolist(),
            strict=True,
        ):
            sponsor = stream.labels[sp] if k == 0 and sp >= 0 else ""
            writer.writerow((names[k], stream.labels[m], sponsor, d))
    joined = log.referrals
    roots = int(joined["sponsor"].isna().sum())
    outside = int((~joined["ordered"]).sum())
    return (
        f"wrote {path}: {len(joined):,} members ({roots:,} without a referrer, {outside:,} "
        f"referrers who never ordered, as roots on day 0) and "
        f"{len(log.referral_orders):,} repurchases: run "
        f"`bizmodels simulate liandong_699 --events {path}`"
    )


def _header(fit: Any, model: str, scaled_costs: bool) -> str:
    lines = [
        f"# {model}: {fit.sources()}",
        "# market.customers: the customers fitted; market.price: the Gamma-Gamma expected order",
        "# value; conversion: the BG/NBD expected repeat purchases in a customer's first month;",
        "# retention_curve: the BG/NBD cohort's purchases per month relative to its first month",
    ]
    if scaled_costs:
        lines.append(
            "# market.unit_cost and fulfilment_cost: the default market's shares of the price "
            "(assumption; an order log has no costs)"
        )
    return "\n".join(lines) + "\n"


def _report(fit: Any) -> str:
    from bizmodels.fit import clv

    rows = [
        (model, name, f"{value:.4g}", f"{se:.2g}", f"{value - 2 * se:.4g} … {value + 2 * se:.4g}")
        for model, name, value, se in fit.parameter_table()
    ]
    unit = {"D": "days", "W": "weeks", "M": "months"}[fit.time_unit]
    how = "maximum likelihood" if fit.method == "map" else "posterior mean (NUTS)"
    year = 12 * clv.DAYS_PER_MONTH / {"D": 1, "W": 7, "M": clv.DAYS_PER_MONTH}[fit.time_unit]
    out = [
        (
            f"{fit.sources()} ({fit.repeat_customers:,} with a repeat purchase); "
            f"time unit: {unit}; {how}"
        ),
        "",
        tabulate(rows, headers=("model", "parameter", "estimate", "std. error", "± 2 s.e.")),
        "",
        (
            f"expected order value {fit.expected_spend:,.2f}; a new customer's expected "
            f"repeat purchases in their first year: {fit.expected_purchases(year):.3g}"
        ),
    ]
    total = fit.holdout_total
    if total is None:
        out += [
            "",
            "no holdout: give --calibration-end before the log's last order to check the fit",
        ]
    else:
        verdict = "within" if abs(total.z) <= 2 else "OUTSIDE"
        out += [
            "",
            (
                f"holdout ({total.periods:g} {unit} after the calibration end): "
                f"{total.actual:,.0f} repeat purchases actual, {total.predicted:,.1f} "
                f"predicted, sampling s.d. {total.sd:,.1f}: z = {total.z:+.2f}, "
                f"{verdict} 2 s.d."
            ),
            "",
            tabulate(
                fit.holdout_table().reset_index().to_numpy().tolist(),
                headers=("calibration repeats", "predicted", "actual", "customers"),
                floatfmt=".3f",
            ),
        ]
    return "\n".join(out)


def _cmd_fit(args: argparse.Namespace) -> str:
    _check_before_work(args)
    try:
        from bizmodels.fit import clv
    except ImportError as exc:
        raise UsageError(f"{exc}") from None
    try:
        from bizmodels.fit import read_orders

        log = read_orders(
            args.orders,
            customer=args.customer,
            date=args.date,
            amount=args.amount,
            refund=args.refund,
            channel=args.channel,
            referrer=args.referrer,
            calibration_end=args.calibration_end,
            observation_end=args.observation_end,
            time_unit=args.time_unit,
            date_format=args.date_format,
        )
        fit = clv.fit_orders(log, method=args.method)
    except ImportError as exc:
        raise UsageError(str(exc)) from None
    text = _report(fit)
    if log.channels is not None:
        text += "\n\n" + _channels_text(log.channels)
    if args.write_referrals is not None:
        text += "\n\n" + _write_referrals(log, Path(args.write_referrals))
    if args.chart is not None:
        if fit.holdout is None:
            raise UsageError("--chart needs a holdout: give --calibration-end")
        fit.holdout_chart().savefig(args.chart, dpi=120)
        text += f"\n\nwrote the holdout chart to {args.chart}"
    if args.write_scenario is not None:
        from bizmodels.io import dump_scenario

        path = Path(args.write_scenario)
        scenario = fit.scenario(args.model, conversion_field=args.conversion_field)
        dump_scenario(scenario, path)
        if path.suffix.lower() != ".json":  # JSON has no comments
            path.write_text(
                _header(fit, args.model, True) + path.read_text(encoding="utf-8"),
                encoding="utf-8",
            )
        text += f"\n\nwrote {path}: run `bizmodels compare {path}`"
    return text


def add_fit(sub: Any) -> None:
    """``bizmodels fit ORDERS --customer C --date D --amount A``: fit an order log."""
    fit = add_command(
        sub,
        "fit",
        _cmd_fit,
        summary="fit purchase, dropout and spend models to an order log (the fit extra)",
        description=(
            "Fit BG/NBD (how often customers buy and when they stop) and Gamma-Gamma (what "
            "they spend) to an order log (CSV or Parquet), print the parameters with their "
            "standard errors and the holdout check, and optionally write a scenario file."
        ),
    )
    fit.add_argument("orders", help="the order log, .csv or .parquet")
    fit.add_argument("--customer", required=True, help="column of the customer id")
    fit.add_argument("--date", required=True, help="column of the order date")
    fit.add_argument("--amount", required=True, help="column of the amount paid")
    fit.add_argument("--refund", help="column flagging refund rows (optional)")
    fit.add_argument(
        "--channel", help="column of the sales channel: prints the customers by channel"
    )
    fit.add_argument("--referrer", help="column naming who referred the customer (推荐人)")
    fit.add_argument(
        "--write-referrals",
        metavar="FILE",
        help="write the referral log as an event CSV for `bizmodels simulate --events`",
    )
    fit.add_argument("--date-format", help="strptime format of the dates, e.g. %%Y%%m%%d")
    fit.add_argument(
        "--calibration-end", metavar="DAY", help="last day fitted; the rest is the holdout"
    )
    fit.add_argument("--observation-end", metavar="DAY", help="last day of the log")
    fit.add_argument(
        "--time-unit", choices=("D", "W", "M"), default="W", help="days, weeks (default), months"
    )
    fit.add_argument(
        "--method", choices=("map", "mcmc"), default="map", help="maximum likelihood or NUTS"
    )
    fit.add_argument(
        "--write-scenario", metavar="FILE", help="write a scenario file (.yaml or .json)"
    )
    fit.add_argument(
        "--model",
        default="toc_membership",
        help="the model or preset of the scenario (default toc_membership)",
    )
    fit.add_argument(
        "--conversion-field",
        metavar="FIELD",
        help="the model's field for the first month's repeat purchases (default: conversion)",
    )
    fit.add_argument("--chart", metavar="FILE", help="write the holdout chart (.png, .svg, .pdf)")
    fit.add_argument("--force", action="store_true", help="overwrite the scenario or referral file")
