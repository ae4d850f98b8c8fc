"""What every command shares: the parser, ``--set``, the one-line errors, the output options.

A command module (`bizmodels.cli._models`, ``_plans``, ``_risk``, ``_files``) adds its
commands with `add_command` and builds what the user named with `model`, `plan` or
`model_or_plan`, which turn the library's errors into a `UsageError` of one line.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NoReturn

from pydantic import ValidationError

from bizmodels import _resolve, plans
from bizmodels._errors import field_error, pydantic_message
from bizmodels._output import FORMATS
from bizmodels.io import Scenario, ScenarioError, load_scenario
from bizmodels.models import BusinessModel
from bizmodels.models._base import CheckFailed

__all__ = [
    "Command",
    "Parser",
    "UsageError",
    "add_command",
    "describe_validation_error",
    "load",
    "model",
    "model_or_plan",
    "one_line",
    "output_options",
    "parse_set",
    "parse_value",
    "plan",
    "require_model",
    "scenario_option",
    "set_option",
]

Command = Callable[[argparse.Namespace], str]
"""A command's handler: the parsed arguments in, the text to print out."""


class UsageError(ValueError):
    """A mistake in what the user typed, already in the command line's words.

    Reported in one line with status 2, as every `ValueError` is.
    """


class Parser(argparse.ArgumentParser):
    """An argument parser whose mistakes end with status 2 and one line, no usage block."""

    def error(self, message: str) -> NoReturn:
        """Exit with status 2 and ``<prog>: error: <message>``."""
        self.exit(2, f"{self.prog}: error: {message}\n")


def add_command(
    sub: Any, name: str, run: Command, *, summary: str, description: str
) -> argparse.ArgumentParser:
    """Add the command ``name``, run by ``run``, and return its parser for its options.

    ``sub`` is the parser's subparsers action; ``summary`` is the command's line in
    ``bizmodels --help``, ``description`` the first paragraph of its own ``--help``.
    """
    parser: argparse.ArgumentParser = sub.add_parser(name, help=summary, description=description)
    parser.set_defaults(func=run)
    return parser


def output_options(parser: argparse.ArgumentParser, *, xlsx: bool = False) -> None:
    """``--format`` (table, markdown, json, csv), ``--lang`` (en, zh) and ``--wide``.

    With ``xlsx``, the format ``xlsx`` too and ``-o/--output PATH`` (which it requires).
    """
    formats = (*FORMATS, "xlsx") if xlsx else FORMATS
    parser.add_argument("--format", choices=formats, default="table", help="output format")
    parser.add_argument("--lang", choices=("zh", "en"), default="en", help="label language")
    parser.add_argument(
        "--wide",
        action="store_true",
        help="every column, long lines unwrapped (default: fit 120 columns)",
    )
    if xlsx:
        parser.add_argument(
            "-o",
            "--output",
            metavar="PATH",
            help="write to this file (required by --format xlsx; '-' for a pipe)",
        )


def set_option(parser: argparse.ArgumentParser, help_text: str) -> None:
    """The repeatable ``--set KEY=VALUE`` option."""
    parser.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help=help_text)


def scenario_option(parser: argparse.ArgumentParser) -> None:
    """The ``--scenario FILE`` option: the market and overrides of a scenario file."""
    parser.add_argument(
        "--scenario", metavar="FILE", help="take the market and overrides from a scenario file"
    )


def parse_value(text: str) -> Any:
    """Read a ``--set`` value: JSON where it parses (``0.1``, ``[1,2]``), a comma list, or text.

    Examples
    --------
    >>> parse_value("0.1"), parse_value("a, b"), parse_value("V1")
    (0.1, ['a', 'b'], 'V1')
    """
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        pass
    if "," in text:
        return [part.strip() for part in text.split(",")]
    return text


def parse_set(pairs: Sequence[str]) -> dict[str, Any]:
    """The ``--set`` pairs as a mapping of field to value.

    Raises
    ------
    UsageError
        A pair with no ``=`` or no key.
    """
    result: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--set expects key=value, got {pair!r}")
        result[key.strip()] = parse_value(value.strip())
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
        message = pydantic_message(item)
        cause = (item.get("ctx") or {}).get("error")
        if isinstance(cause, CheckFailed):
            # the check names the model's key, which the caller has named already
            message = str(cause).split(": ", 1)[-1]
        if item["loc"]:
            parts.append(field_error(field, repr(item["input"]), message))
        else:
            parts.append(message)
    return "; ".join(parts)


def one_line(text: str) -> str:
    """A message on one line: pydantic's and others' extra lines joined with "; "."""
    lines = [ln.strip() for ln in str(text).splitlines() if ln.strip()]
    return "; ".join(ln for ln in lines if not ln.startswith("For further information"))


def _built(build: Callable[..., Any], slug: str, fields: Mapping[str, Any]) -> Any:
    """``build(slug, **fields)``, its errors as one `UsageError` naming the model or plan."""
    try:
        return build(slug, **fields)
    except KeyError as exc:
        raise UsageError(str(exc.args[0])) from None
    except ValidationError as exc:
        kind = "plan" if slug in plans.PLANS else "model"
        detail = describe_validation_error(exc, _resolve.parameters(slug))
        raise UsageError(f"{kind} {slug}: {detail}") from None


def model(slug: str, pairs: Sequence[str], scenario: Scenario | None = None) -> BusinessModel:
    """A model or preset by slug, with ``--set`` overrides, on the scenario's market if any.

    The scenario's overrides of that slug come first, then ``--set``; ``--set
    market.<field>=`` changes one field of the scenario's market (or the preset's own).
    """
    fields = parse_set(pairs)
    if scenario is not None:
        fields = {**scenario.overrides.get(slug, {}), "market": scenario.market, **fields}
    built: BusinessModel = _built(_resolve.resolve, slug, fields)
    return built


def plan(name: str, pairs: Sequence[str]) -> plans.Plan:
    """A commission plan by name, with ``--set`` overrides."""
    built: plans.Plan = _built(plans.get_plan, name, parse_set(pairs))
    return built


def model_or_plan(slug: str, fields: Mapping[str, Any]) -> BusinessModel | plans.Plan:
    """A model, preset or plan by slug, with overrides already parsed."""
    built: BusinessModel | plans.Plan = _built(_resolve.resolve_target, slug, fields)
    return built


def require_model(slug: str) -> None:
    """Refuse an unknown model or preset slug, before anything else is read or built."""
    if slug not in _resolve.model_slugs():
        raise UsageError(_resolve.unknown("model or preset", slug, _resolve.model_slugs()).args[0])


def load(path: str | None) -> Scenario | None:
    """The scenario file at ``path``, or None for none; its error as a `UsageError`."""
    if path is None:
        return None
    try:
        return load_scenario(path)
    except ScenarioError as exc:
        raise UsageError(str(exc)) from None
