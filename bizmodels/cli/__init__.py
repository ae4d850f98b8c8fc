"""The ``bizmodels`` command: parse, call the library, print.

A user's mistake (an unknown name, a bad value, a file or size that cannot be had) ends with
status 2 and one line on stderr that names what is wrong; an internal error with status 1 and
a one-line request to report it; a traceback only with ``--debug``.

The commands live by group, each only parsing, calling the library and rendering:
`bizmodels.cli._models` (models, presets, compare, waterfall, schema), ``_plans`` (plan,
simulate), ``_risk`` (montecarlo, break-even, assess), ``_design`` (design, audit) and
``_files`` (init); ``_common`` holds the parser, ``--set``, the error formatter and the
output options. Nothing in the library imports this package.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from pydantic import ValidationError

from bizmodels import __version__
from bizmodels.cli import _design, _files, _fitcmd, _models, _plans, _risk
from bizmodels.cli._common import Parser, UsageError, describe_validation_error, one_line
from bizmodels.cli._risk import AssessError, assess_command

__all__ = [
    "AssessError",
    "UsageError",
    "assess_command",
    "build_parser",
    "describe_validation_error",
    "main",
]

# the order `bizmodels --help` lists the commands in
_COMMANDS = (
    _plans.add_plan,
    _models.add_models,
    _models.add_compare,
    _models.add_waterfall,
    _models.add_presets,
    _files.add_init,
    _models.add_schema,
    _plans.add_simulate,
    _risk.add_assess,
    _risk.add_montecarlo,
    _risk.add_break_even,
    _fitcmd.add_fit,
    _design.add_design,
    _design.add_audit,
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``bizmodels`` command."""
    parser = Parser(
        prog="bizmodels",
        description="Compare private-domain (私域) e-commerce business models and their P&L.",
    )
    parser.add_argument("--version", action="version", version=f"bizmodels {__version__}")
    parser.add_argument(
        "--debug",
        action="store_true",
        help="show the traceback of an error (the option may stand anywhere on the line)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    sub.required = True
    for add in _COMMANDS:
        add(sub)
    return parser


_BUG = (
    "this is a bug in bizmodels, please report it with the command you ran "
    "(run it again with --debug for the traceback)"
)


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
        text = args.func(args)
        if text:  # nothing when a workbook went to standard output
            print(text)
    except BrokenPipeError:  # pragma: no cover - e.g. piped into head
        return 0
    except (UsageError, ValidationError, ValueError) as exc:
        if debug:
            raise
        if isinstance(exc, ValidationError):
            message = describe_validation_error(exc)
        else:
            message = str(exc)
        print(f"bizmodels: error: {one_line(message)}", file=sys.stderr)
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
        detail = one_line(str(exc))[:200]
        print(
            f"bizmodels: internal error: {type(exc).__name__}"
            + (f" ({detail})" if detail else "")
            + f"; {_BUG}",
            file=sys.stderr,
        )
        return 1
    return 0
