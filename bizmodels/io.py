"""Scenario files: the analyst's own assumptions in YAML or JSON, checked line by line.

A scenario file has two top-level keys:

``market``
    The shared assumptions (`bizmodels.Market` fields); omitted fields keep their defaults.
``models``
    Slug of a model or preset → field overrides (a mapping, possibly empty). The ones listed
    are the ones compared; all ten models with their defaults when the key is absent.
``distributions`` (optional)
    Field → a distribution for Monte Carlo (``{kind: normal, mean: 199, sd: 20}``): a market
    field (``price``, shared by every model), a field of every model that has it, or one
    model's field (``toc_membership.member_conversion``). See `bizmodels.risk`.

Files are read as YAML 1.2 (core schema) or JSON, into plain data only, from regular files
only, within limits (`MAX_BYTES`, `MAX_DEPTH`, `MAX_NODES`, `MAX_DIGITS`) checked as the
file is read, before anything is built; every error is one line naming the file, the line
where it is known, the model and field, the value, and the valid choices.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any, cast

import yaml
from pydantic import BaseModel, ValidationError

from bizmodels import _resolve
from bizmodels._errors import field_error, pydantic_message, shorten
from bizmodels._files import NotRegularFile, open_regular
from bizmodels.market import Market
from bizmodels.models import MODELS, BusinessModel
from bizmodels.models._base import CheckFailed
from bizmodels.presets import PRESETS
from bizmodels.risk._fields import route
from bizmodels.risk.distributions import Distribution, distribution_from_dict

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "MAX_DIGITS",
    "MAX_NODES",
    "TOP_LEVEL",
    "Scenario",
    "ScenarioError",
    "build",
    "default_scenario_path",
    "default_scenario_text",
    "dump_scenario",
    "load_scenario",
    "scenario_data",
    "scenario_template",
]

MAX_BYTES = 1_048_576
"""Largest scenario file read, in bytes (1 MiB); a larger one is refused before parsing.

Counted on the bytes read, never taken from the file system's size: at most one byte more
than this is ever read. A scenario of every model and preset with every field set is
8 kB; the commented template `bizmodels init` writes is 19 kB.
"""

MAX_DEPTH = 50
"""Deepest nesting of lists and mappings in a scenario file, aliases expanded.

The top-level mapping is level 1; a valid scenario nests at most five deep (the file →
``models`` → slug → ``plan`` → a tuple field). 50 leaves room for any mistake to be
reported by name, and stays far below the depth at which the composer and the validators,
which recurse, would exhaust Python's stack (libyaml itself stops at 1,000).
"""

MAX_NODES = 100_000
"""Most values (scalars, lists and mappings) a scenario file may hold, aliases expanded.

Every key, value, list and mapping counts one. A scenario of every model and preset with
every field set holds about 600; the limit leaves room for empirical distributions of
tens of thousands of observations, and bounds what an alias-laden file of a few hundred
bytes ("billion laughs", 10**9 values) can expand to: the count is kept while the file is
composed, so such a file is refused in a millisecond, and a file at the limit reads in
about two seconds and 100 MB.
"""

MAX_DIGITS = 100
"""Longest number, in characters, read from a scenario file.

No field accepts a value anywhere near 10**100; the limit keeps every number exact and
cheap to read (Python refuses to read integers of over 4,300 digits at all).
"""

TOP_LEVEL = ("market", "models", "distributions")


class ScenarioError(ValueError):
    """A scenario file that cannot be used, with where and why in one message.

    Attributes
    ----------
    path : str
        The file.
    line : int or None
        1-based line where the problem is, when known.
    """

    def __init__(self, path: str | Path, message: str, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {' '.join(message.splitlines())}")


@dataclass
class Scenario:
    """A market and the models to run on it, each a validated model instance.

    Attributes
    ----------
    market : Market
        The shared assumptions.
    models : dict of str to BusinessModel
        Slug (of a model or a preset) → the configured model, on ``market``.
    overrides : dict of str to dict
        Slug → the fields the file set, as written (what `dump_scenario` writes back).
    distributions : dict of str to Distribution
        Field name → its distribution, for `bizmodels.risk.monte_carlo`.
    """

    market: Market = field(default_factory=Market)
    models: dict[str, BusinessModel] = field(default_factory=dict)
    overrides: dict[str, dict[str, Any]] = field(default_factory=dict)
    distributions: dict[str, Distribution] = field(default_factory=dict)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Scenario):
            return NotImplemented
        return (
            self.market == other.market
            and self.models == other.models
            # by their parameters: a distribution's == may compare arrays it keeps
            and {k: d.model_dump() for k, d in self.distributions.items()}
            == {k: d.model_dump() for k, d in other.distributions.items()}
        )


# -- reading ----------------------------------------------------------------------------


def _read_bytes(path: Path) -> bytes:
    """The file's bytes, at most `MAX_BYTES`, from a regular file only (`open_regular`).

    The size cap applies to the bytes actually read: a file whose ``st_size`` is wrong (a
    growing file, ``/proc``) cannot slip past it.
    """
    try:
        with open_regular(path) as file:
            raw = file.read(MAX_BYTES + 1)
            size = os.fstat(file.fileno()).st_size
    except NotRegularFile as exc:
        raise ScenarioError(
            path, f"not a regular file but {exc.kind}; give the path of a .yaml or .json file"
        ) from None
    except OSError as exc:
        raise ScenarioError(path, f"cannot read the file: {exc.strerror or exc}") from None
    except ValueError as exc:  # a NUL character in the name
        raise ScenarioError(path, f"cannot read the file: {exc}") from None
    if len(raw) > MAX_BYTES:
        shown = f"{size:,} bytes" if size > MAX_BYTES else "larger"
        raise ScenarioError(path, f"file is {shown}, over the {MAX_BYTES:,}-byte limit")
    return raw


def _read_text(path: Path) -> str:
    raw = _read_bytes(path)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ScenarioError(path, "file is not UTF-8 text", line) from None
    if not text.strip():
        raise ScenarioError(path, "file is empty; expected the keys market and models")
    return text.removeprefix("\ufeff")


class _Refusal(yaml.MarkedYAMLError):
    """A limit or rule of scenario files, reported as written (no "invalid YAML" prefix)."""

    def __init__(self, problem: str, mark: Any) -> None:
        super().__init__(None, None, problem, mark)


# YAML 1.2 core schema (https://yaml.org/spec/1.2.2/#1032-tag-resolution): what a plain
# scalar means. Unlike YAML 1.1 (PyYAML's default), 010000 is ten thousand, 1:30 is text,
# and yes/no/on/off are words; a number is read exactly, as a Decimal, never via a float.
_CORE_NULL = re.compile(r"(?:~|null|Null|NULL|)\Z")
_CORE_BOOL = re.compile(r"(?:true|True|TRUE|false|False|FALSE)\Z")
_CORE_INT = re.compile(r"(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)\Z")
_CORE_FLOAT = re.compile(
    r"(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))\Z"
)
_TAG = "tag:yaml.org,2002:"
_TOO_DEEP = f"lists and mappings nested more than {MAX_DEPTH} deep (the limit for a scenario file)"


class _CoreResolver(yaml.resolver.BaseResolver):
    """Implicit tags of the YAML 1.2 core schema, for reading and writing alike."""


for _tag, _pattern, _first in (
    ("null", _CORE_NULL, ["~", "n", "N", ""]),
    ("bool", _CORE_BOOL, list("tTfF")),
    ("int", _CORE_INT, list("-+0123456789")),  # before float: 10 is an int
    ("float", _CORE_FLOAT, list("-+.0123456789")),
):
    _CoreResolver.add_implicit_resolver(_TAG + _tag, _pattern, _first)


class _Composer(yaml.composer.Composer):
    """Composes the node graph while counting what it would expand to.

    An alias is a reference to a node composed earlier, so a few hundred bytes can describe
    billions of nodes ("billion laughs"). Each node records its size and nesting height
    after expansion; an alias adds its node's, so the whole document's are known, in
    integers no larger than the limits, before anything is constructed.
    """

    def __init__(self, parser: Any) -> None:
        super().__init__()
        self._parser = parser  # libyaml's or PyYAML's: anything that gives events
        self._expanded: dict[yaml.Node, tuple[int, int]] = {}  # node → (size, height)
        self._nodes = 0
        self._depth = 0  # collections open around the node being composed
        self._deepest = [0]  # per open collection: the deepest level reached inside it

    def check_event(self, *choices: Any) -> bool:
        return bool(self._parser.check_event(*choices))

    def peek_event(self) -> Any:
        return self._parser.peek_event()

    def get_event(self) -> Any:
        return self._parser.get_event()

    def dispose(self) -> None:
        self._parser.dispose()

    def _count(self, n: int, mark: Any) -> None:
        self._nodes += n
        if self._nodes > MAX_NODES:
            raise _Refusal(
                f"more than {MAX_NODES:,} values once aliases are expanded "
                "(the limit for a scenario file)",
                mark,
            )

    def _reach(self, level: int, mark: Any) -> None:
        if level > MAX_DEPTH:
            raise _Refusal(_TOO_DEEP, mark)
        self._deepest[-1] = max(self._deepest[-1], level)

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            node = super().compose_node(parent, index)
            if node not in self._expanded:
                raise _Refusal(
                    f"the alias *{event.anchor} is inside the node it names", event.start_mark
                )
            size, height = self._expanded[node]
            self._count(size, event.start_mark)
            self._reach(self._depth + height, event.start_mark)
            return node
        before = self._nodes
        self._count(1, event.start_mark)
        if isinstance(event, yaml.ScalarEvent):
            node = cast(yaml.Node, super().compose_node(parent, index))
            self._expanded[node] = (1, 0)
            return node
        self._depth += 1
        self._reach(self._depth, event.start_mark)
        self._deepest.append(self._depth)
        node = cast(yaml.Node, super().compose_node(parent, index))
        deepest = self._deepest.pop()
        self._depth -= 1
        self._deepest[-1] = max(self._deepest[-1], deepest)
        self._expanded[node] = (self._nodes - before, deepest - self._depth)
        return node


class _Constructor(yaml.constructor.BaseConstructor):
    """Builds plain data only: mappings, lists, strings, exact numbers, booleans and null.

    Mapping keys must be scalars and appear once; numbers are `Decimal` or `int` read from
    the text (``0.1`` is ``Decimal("0.1")``); any other tag is refused.
    """

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, ArithmeticError) as exc:  # a safety net: constructors refuse
            raise _Refusal(f"cannot read {_shown(node.value)}: {exc}", node.start_mark) from None

    def _scalar(
        self, node: yaml.Node, pattern: re.Pattern[str], kind: str, number: bool = False
    ) -> str:
        value = self.construct_scalar(node)  # type: ignore[arg-type]
        if not isinstance(value, str) or not pattern.match(value):
            raise _Refusal(f"{_shown(value)} is not {kind}", node.start_mark)
        if number and len(value) > MAX_DIGITS:
            raise _Refusal(
                f"a number of {len(value):,} characters; numbers have at most {MAX_DIGITS}",
                node.start_mark,
            )
        return value

    def construct_null(self, node: yaml.Node) -> None:
        self._scalar(node, _CORE_NULL, "null")

    def construct_bool(self, node: yaml.Node) -> bool:
        return self._scalar(node, _CORE_BOOL, "true or false").lower() == "true"

    def construct_int(self, node: yaml.Node) -> int:
        text = self._scalar(node, _CORE_INT, "a whole number", number=True)
        if text.startswith(("0o", "0x")):
            return int(text[2:], 8 if text[1] == "o" else 16)
        return int(text)

    def construct_float(self, node: yaml.Node) -> Decimal | float:
        text = self._scalar(node, _CORE_FLOAT, "a number", number=True)
        if text.lstrip("+-").lower() in (".inf", ".nan"):
            return float(text.replace(".", ""))  # refused by the fields, which are finite
        try:
            return Decimal(text)
        except ArithmeticError:  # an exponent past what Decimal can hold
            raise _Refusal(f"the number {_shown(text)} is out of range", node.start_mark) from None

    def construct_str(self, node: yaml.Node) -> str:
        value = self.construct_scalar(node)  # type: ignore[arg-type]
        if not isinstance(value, str):
            raise _Refusal("expected text", node.start_mark)
        return value

    def construct_seq(self, node: yaml.Node) -> Iterator[list[Any]]:
        data: list[Any] = []
        yield data
        if not isinstance(node, yaml.SequenceNode):
            raise _Refusal("expected a list", node.start_mark)
        data.extend(self.construct_object(child) for child in node.value)

    def construct_map(self, node: yaml.Node) -> dict[Any, Any]:
        if not isinstance(node, yaml.MappingNode):
            raise _Refusal("expected a mapping", node.start_mark)
        data: dict[Any, Any] = {}
        first: dict[Any, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                kind = "list" if isinstance(key_node, yaml.SequenceNode) else "mapping"
                raise _Refusal(
                    f"a {kind} as a mapping key; keys are names or numbers", key_node.start_mark
                )
            key = self.construct_object(key_node)
            if key in first:
                raise _Refusal(
                    f"duplicate key {_shown(key)} (first on line {first[key] + 1})",
                    key_node.start_mark,
                )
            first[key] = key_node.start_mark.line
            data[key] = self.construct_object(value_node)
        return data

    def construct_undefined(self, node: yaml.Node) -> None:
        tag = node.tag.replace(_TAG, "!!")
        raise _Refusal(
            f"the tag {tag} is not allowed: files are read with a safe loader", node.start_mark
        )


for _tag, _build in (
    ("null", _Constructor.construct_null),
    ("bool", _Constructor.construct_bool),
    ("int", _Constructor.construct_int),
    ("float", _Constructor.construct_float),
    ("str", _Constructor.construct_str),
    ("seq", _Constructor.construct_seq),
    ("map", _Constructor.construct_map),
):
    _Constructor.add_constructor(_TAG + _tag, _build)  # type: ignore[type-var]
_Constructor.add_constructor(None, _Constructor.construct_undefined)  # type: ignore[type-var]

_Parser: Any
try:  # libyaml's parser when PyYAML has it (four times faster); the same rules either way
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover - PyYAML without libyaml
    _Parser = None


class _Loader(_Composer, _Constructor, _CoreResolver):
    """Events from libyaml (or PyYAML's parser), composed, counted and built by the above."""

    def __init__(self, text: str) -> None:
        _Composer.__init__(self, _PurePythonParser(text) if _Parser is None else _Parser(text))
        _Constructor.__init__(self)
        _CoreResolver.__init__(self)


class _PurePythonParser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
    def __init__(self, text: str) -> None:
        yaml.reader.Reader.__init__(self, text)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)


# what YAML refuses to read (PyYAML's Reader.NON_PRINTABLE), checked up front for a line
_NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)
_LINE_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # what YAML counts as a new line


def _yaml_error(path: Path, text: str, exc: yaml.YAMLError) -> ScenarioError:
    if not isinstance(exc, yaml.MarkedYAMLError):
        return ScenarioError(path, f"invalid YAML: {exc}")
    mark = exc.problem_mark or exc.context_mark
    line = None if mark is None else mark.line + 1
    if isinstance(exc, _Refusal):
        return ScenarioError(path, str(exc.problem), line)
    problem = exc.problem or "invalid YAML"
    found = None
    if mark is not None:
        lines = _LINE_BREAKS.split(text)
        if mark.line < len(lines) and mark.column < len(lines[mark.line]):
            found = lines[mark.line][mark.column]
    if found == "\t" or "'\\t'" in problem:
        return ScenarioError(path, "a tab character: YAML indents with spaces only", line)
    if problem == "exceeded maximum nesting depth":  # libyaml's own limit, at 1,000 levels
        return ScenarioError(path, _TOO_DEEP, line)
    if problem == "found character that cannot start any token" and found:
        problem = f"found character {found!r} that cannot start any token"  # as PyYAML says
    if exc.context:
        problem = f"{exc.context}, {problem}"
    return ScenarioError(path, f"invalid YAML: {problem}", line)


def _compose_yaml(path: Path, text: str, construct: bool = True) -> tuple[Any, yaml.Node | None]:
    bad = _NON_PRINTABLE.search(text)
    if bad is not None:
        line = len(_LINE_BREAKS.findall(text, 0, bad.start())) + 1
        code = f"U+{ord(bad.group()):04X}"
        raise ScenarioError(path, f"the control character {code} is not allowed in YAML", line)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = None if node is None or not construct else loader.construct_document(node)
    except yaml.YAMLError as exc:
        raise _yaml_error(path, text, exc) from None
    finally:
        loader.dispose()
    return data, node


def _key_text(node: yaml.Node) -> str:
    """A key as `str` gives the key built from it (``~`` is ``None``, ``010`` is ``10``)."""
    text = str(node.value)
    try:
        if node.tag == _TAG + "null":
            return "None"
        if node.tag == _TAG + "bool":
            return str(text.lower() == "true")
        if node.tag == _TAG + "int":
            return str(
                int(text[2:], 8 if text[1] == "o" else 16)
                if text[:2] in ("0o", "0x")
                else int(text)
            )
        if node.tag == _TAG + "float" and _CORE_FLOAT.match(text) and "." != text.lstrip("+-")[:1]:
            return str(Decimal(text))
    except (ValueError, ArithmeticError, IndexError):
        pass
    return text


def _key_lines(node: yaml.Node | None, prefix: tuple[str, ...] = ()) -> dict[tuple[str, ...], int]:
    """Map each key path (``("models", "tob_recruitment", "reach")``) to its 1-based line."""
    lines: dict[tuple[str, ...], int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            path = (*prefix, _key_text(key_node))
            lines.setdefault(path, key_node.start_mark.line + 1)
            lines.update(_key_lines(value_node, path))
    return lines


_JSON_TOKENS = re.compile(r'"(?:[^"\\\n]|\\.)*"?|[\[\]{}]')


def _json_depth(path: Path, text: str) -> None:
    """Refuse JSON nested deeper than `MAX_DEPTH` before the decoder recurses into it."""
    depth = 0
    for token in _JSON_TOKENS.finditer(text):
        char = token.group()
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line = text.count("\n", 0, token.start()) + 1
                raise ScenarioError(path, _TOO_DEEP, line)
        elif char in "]}":
            depth -= 1


class _JsonRefusal(ValueError):
    """A refusal from a JSON decoder hook, with the text to find its line by."""

    def __init__(self, message: str, text: str, occurrence: int = 1) -> None:
        super().__init__(message)
        self.text = text
        self.occurrence = occurrence


def _parse_json(path: Path, text: str) -> tuple[Any, dict[tuple[str, ...], int]]:
    _json_depth(path, text)

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for key, value in items:
            if key in data:
                raise _JsonRefusal(f"duplicate key {_shown(key)}", json.dumps(key), 2)
            data[key] = value
        return data

    def constant(name: str) -> Any:
        raise _JsonRefusal(f"{name} is not a JSON number", name)

    def number(kind: type[int] | type[Decimal]) -> Any:
        def read(text: str) -> int | Decimal:
            if len(text) > MAX_DIGITS:
                raise _JsonRefusal(
                    f"a number of {len(text):,} characters; numbers have at most {MAX_DIGITS}",
                    text,
                )
            return kind(text)

        return read

    try:
        data = json.loads(
            text,
            object_pairs_hook=pairs,
            parse_float=number(Decimal),
            parse_int=number(int),
            parse_constant=constant,
        )
    except json.JSONDecodeError as exc:
        raise ScenarioError(path, f"invalid JSON: {exc.msg}", exc.lineno) from None
    except _JsonRefusal as exc:
        at = -1
        for _ in range(exc.occurrence):
            at = text.find(exc.text, at + 1)
        line = None if at < 0 else text.count("\n", 0, at) + 1
        raise ScenarioError(path, str(exc), line) from None
    except (ValueError, ArithmeticError) as exc:  # a hook's refusal
        raise ScenarioError(path, f"invalid JSON: {exc}") from None
    try:  # JSON is YAML 1.2: the composer finds each key's line
        lines = _key_lines(_compose_yaml(path, text, construct=False)[1])
    except ScenarioError:
        lines = {}
    return data, lines


def _parse(path: Path, text: str) -> tuple[Any, dict[tuple[str, ...], int]]:
    if path.suffix.lower() == ".json":
        return _parse_json(path, text)
    data, node = _compose_yaml(path, text)
    return data, _key_lines(node)


def _shown(value: Any, limit: int = 60) -> str:
    """A value as a message shows it: text quoted, numbers as written, long ones cut."""
    return shorten(str(value) if isinstance(value, (Decimal, int, float)) else repr(value), limit)


def _describe(
    error: ValidationError, fields: list[str]
) -> tuple[tuple[str, ...], str, tuple[str, ...]]:
    """The first error: its field path, a message, and the fields a failed check involves."""
    item = error.errors()[0]
    loc = tuple(str(x) for x in item["loc"])
    if item["type"] in ("extra_forbidden", "invalid_key"):
        return loc, f"unknown field {_shown(item['loc'][-1])}; valid: {', '.join(fields)}", ()
    cause = (item.get("ctx") or {}).get("error")
    if isinstance(cause, CheckFailed):
        # the check's message starts with the model's key, which the caller names already
        return loc, str(cause).split(": ", 1)[-1], cause.fields
    message = pydantic_message(item) + _yaml_1_1_hint(item["input"])
    return loc, (field_error(".".join(loc), _shown(item["input"]), message) if loc else message), ()


def _yaml_1_1_hint(value: Any) -> str:
    """Why text such as ``1:30`` or ``yes`` is not the number or boolean YAML 1.1 made it."""
    if not isinstance(value, str) or len(value) > MAX_DIGITS:
        return ""
    resolver: Any = yaml.resolver.Resolver()  # YAML 1.1's, as PyYAML reads by default
    old = resolver.resolve(yaml.ScalarNode, value, (True, False))
    if str(old).removeprefix(_TAG) not in ("bool", "int", "float"):
        return ""
    try:
        was = yaml.safe_load(value)
    except (yaml.YAMLError, ValueError):  # pragma: no cover - whatever 1.1 resolved it to
        return ""
    if isinstance(was, bool):
        was = str(was).lower()
    return f" (scenario files are YAML 1.2, where {value} is text, not {was} as in YAML 1.1)"


def _line(lines: dict[tuple[str, ...], int], *path: str) -> int | None:
    """The line of the deepest key of ``path`` that the file writes."""
    for end in range(len(path), 0, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


def _check_line(
    lines: dict[tuple[str, ...], int], slug: str | None, involved: tuple[str, ...]
) -> int | None:
    """The line of the first field a failed check involves that the file sets."""
    for name in involved:
        parts = tuple(name.split("."))
        path = parts if parts[0] == "market" else ("models", str(slug), *parts)
        if path in lines:
            return lines[path]
    return None


def _fields(
    path: Path,
    value: Any,
    what: str,
    valid: list[str],
    lines: dict[tuple[str, ...], int],
    *where: str,
) -> dict[str, Any]:
    """A mapping of field names to values (nothing written is no fields)."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ScenarioError(
            path, f"{what}: expected a mapping of fields, got {_shown(value)}", _line(lines, *where)
        )
    for name in value:
        if not isinstance(name, str):
            raise ScenarioError(
                path,
                f"{what}: unknown field {_shown(name)}; valid: {', '.join(valid)}",
                _line(lines, *where, str(name)),
            )
    return dict(value)


def _too_large(name: str, value: Any, exc: ArithmeticError) -> str:
    return f"{name} = {_shown(value)}: too large to compute with ({type(exc).__name__})"


def _arithmetic_culprit(slug: str, market: Market, overrides: dict[str, Any]) -> tuple[str, Any]:
    """The field whose value alone makes building the model fail in decimal arithmetic."""
    for name, value in overrides.items():
        try:
            build(slug, market, {name: value})
        except ArithmeticError:
            return name, value
        except ValueError:  # refused for another reason with this value alone
            continue
    default = Market()
    for name in Market.model_fields:
        value = getattr(market, name)
        if value != getattr(default, name):
            try:
                build(slug, default.model_copy(update={name: value}), {})
            except ArithmeticError:
                return f"market.{name}", value
            except ValueError:
                continue
    return "the fields set", "(together)"


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file (``.yaml``, ``.yml`` or ``.json``).

    YAML is read as YAML 1.2 reads it (the core schema): ``010000`` is ten thousand, ``1:30``
    and ``yes``/``no``/``on``/``off`` are text, and numbers are read exactly as `Decimal`.

    Parameters
    ----------
    path : str or Path
        The file: a regular file, or a link to one.

    Returns
    -------
    Scenario
        The market and the models, each validated (all ten defaults if ``models`` is absent).

    Raises
    ------
    ScenarioError
        One line naming the file, the line, the model and field path, the value and the
        valid choices: unknown model or field, wrong type, value out of range, duplicate key,
        a list or mapping as a key, a tab in YAML, an empty or non-UTF-8 file, a file that is
        not a regular file, a file over `MAX_BYTES`, nested deeper than `MAX_DEPTH`, over
        `MAX_NODES` values once aliases are expanded, a number over `MAX_DIGITS`
        characters, an unsafe tag. Nothing else is raised for any content of the file.

    Examples
    --------
    >>> from bizmodels.io import default_scenario_path
    >>> scenario = load_scenario(default_scenario_path())
    >>> sorted(scenario.models)[:2]
    ['dual_toc_tob', 'offline_to_online']
    """
    path = Path(path)
    text = _read_text(path)
    data, lines = _parse(path, text)
    if not isinstance(data, Mapping):
        got = "nothing" if data is None else type(data).__name__
        raise ScenarioError(
            path, f"expected a mapping with keys {', '.join(TOP_LEVEL)}, got {got}", 1
        )
    for key in data:
        if key not in TOP_LEVEL:
            raise ScenarioError(
                path,
                f"unknown top-level key {_shown(key)}; valid: {', '.join(TOP_LEVEL)}",
                lines.get((str(key),)),
            )
    market_fields = list(Market.model_fields)
    market_data = _fields(path, data.get("market"), "market", market_fields, lines, "market")
    try:
        market = Market.model_validate(market_data)
    except ValidationError as exc:
        loc, message, _ = _describe(exc, market_fields)
        raise ScenarioError(path, f"market: {message}", _line(lines, "market", *loc)) from None

    models_data = data.get("models")
    if models_data is None:
        models_data = {slug: {} for slug in MODELS}
    if not isinstance(models_data, Mapping) or not models_data:
        raise ScenarioError(
            path, "models must map model or preset slugs to field overrides", lines.get(("models",))
        )
    scenario = Scenario(market=market)
    valid = ", ".join(_resolve.model_slugs())
    for slug, written in models_data.items():
        where = lines.get(("models", str(slug)))
        if slug not in MODELS and slug not in PRESETS:
            raise ScenarioError(
                path, f"unknown model or preset {_shown(slug)}; valid: {valid}", where
            )
        fields = [f for f in _resolve.model_class(slug).model_fields if f != "market"]
        overrides = _fields(path, written, f"models.{slug}", fields, lines, "models", slug)
        if "market" in overrides:
            raise ScenarioError(
                path,
                f"models.{slug}: the market is set once, at the top level",
                lines.get(("models", str(slug), "market")),
            )
        try:
            model = build(slug, market, overrides)
        except ValidationError as exc:
            loc, message, involved = _describe(exc, fields)
            line = (
                _check_line(lines, str(slug), involved)
                or _line(lines, "models", slug, *loc)
                or where
            )
            raise ScenarioError(path, f"models.{slug}: {message}", line) from None
        except ArithmeticError as exc:  # a value the fields accept but arithmetic cannot hold
            name, value = _arithmetic_culprit(slug, market, overrides)
            parts = name.split(".") if name.startswith("market.") else ["models", slug, name]
            raise ScenarioError(
                path, f"models.{slug}: {_too_large(name, value, exc)}", _line(lines, *parts)
            ) from None
        scenario.models[str(slug)] = model
        scenario.overrides[str(slug)] = overrides
    scenario.distributions = _distributions(path, data.get("distributions"), scenario, lines)
    return scenario


def _distributions(
    path: Path, data: Any, scenario: Scenario, lines: dict[tuple[str, ...], int]
) -> dict[str, Distribution]:
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise ScenarioError(
            path,
            "distributions must map field names to distributions",
            lines.get(("distributions",)),
        )
    entries = list(scenario.models.items())
    result: dict[str, Distribution] = {}
    for name, spec in data.items():
        where = lines.get(("distributions", str(name)))
        try:
            route([str(name)], entries)
        except ValueError as exc:
            raise ScenarioError(path, f"distributions: {exc}", where) from None
        if not isinstance(spec, Mapping) or not all(isinstance(k, str) for k in spec):
            raise ScenarioError(
                path,
                f"distributions.{name}: expected a mapping with a kind and its parameters",
                where,
            )
        try:
            result[str(name)] = distribution_from_dict(dict(spec))
        except ValidationError as exc:
            item = exc.errors()[0]
            loc = ".".join(str(x) for x in item["loc"][1:])  # [0] is the kind's tag
            message = pydantic_message(item)
            detail = f"{loc}: {message}" if loc else message
            line = _line(lines, "distributions", str(name), *map(str, item["loc"][1:]))
            raise ScenarioError(path, f"distributions.{name}: {detail}", line) from None
        except (ValueError, ArithmeticError) as exc:
            raise ScenarioError(path, f"distributions.{name}: {exc}", where) from None
    return result


def build(slug: str, market: Market, overrides: Mapping[str, Any]) -> BusinessModel:
    """A model or preset by slug, on ``market``, with field overrides (validated).

    The fields are taken as written: a scenario file sets the market once, at the top level.
    """
    return _resolve.build(slug, **{**overrides, "market": market})


# -- writing ----------------------------------------------------------------------------


def _plain(value: Any, exact: bool = False) -> Any:
    if isinstance(value, Decimal):
        if exact:
            return value
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, BaseModel):
        return {k: _plain(v, exact) for k, v in value.model_dump().items()}
    if isinstance(value, Mapping):
        return {str(k): _plain(v, exact) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v, exact) for v in value]
    return value


def scenario_data(scenario: Scenario, exact: bool = False) -> dict[str, Any]:
    """The scenario as plain data: the market's fields and each model's overrides.

    Numbers are `int` or `float` for display, or with ``exact`` kept as `Decimal` (what
    `dump_scenario` writes, digit for digit).
    """
    data: dict[str, Any] = {
        "market": _plain(scenario.market.model_dump(), exact),
        "models": {
            slug: _plain(scenario.overrides.get(slug, {}), exact) for slug in scenario.models
        },
    }
    if scenario.distributions:
        data["distributions"] = {
            name: _plain(d.model_dump(), exact) for name, d in scenario.distributions.items()
        }
    return data


class _Dumper(yaml.SafeDumper):
    """Writes what `load_scenario` reads back equal: YAML 1.2 plain scalars, exact numbers."""


_Dumper.yaml_implicit_resolvers = _CoreResolver.yaml_implicit_resolvers


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    if value == value.to_integral_value() and value.adjusted() < MAX_DIGITS:
        return dumper.represent_int(int(value))
    # str() is exact and reads back as a YAML 1.2 float: 0.1, 1.5E-7, 1E+30
    return dumper.represent_scalar(_TAG + "float", str(value))


_Dumper.add_representer(Decimal, _represent_decimal)


def _json_text(value: Any, indent: str = "") -> str:
    """JSON with every Decimal written digit for digit (the json module would round it)."""
    inner = indent + "  "
    if isinstance(value, Mapping):
        items = [
            f"{inner}{json.dumps(str(k), ensure_ascii=False)}: {_json_text(v, inner)}"
            for k, v in value.items()
        ]
        return "{\n" + ",\n".join(items) + f"\n{indent}}}" if items else "{}"
    if isinstance(value, (list, tuple)):
        items = [inner + _json_text(v, inner) for v in value]
        return "[\n" + ",\n".join(items) + f"\n{indent}]" if items else "[]"
    if isinstance(value, Decimal):
        if value == value.to_integral_value() and value.adjusted() < MAX_DIGITS:
            return str(int(value))
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def dump_scenario(scenario: Scenario, path: str | Path) -> None:
    """Write a scenario to YAML (or JSON for a ``.json`` path) that loads back equal.

    Every number is written exactly (a rate of ``0.12345678901234567890`` keeps all its
    digits), as YAML 1.2 or JSON numbers.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from bizmodels.io import default_scenario_path
    >>> scenario = load_scenario(default_scenario_path())
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "copy.yaml"
    >>> dump_scenario(scenario, out)
    >>> load_scenario(out) == scenario
    True
    """
    path = Path(path)
    data = scenario_data(scenario, exact=True)
    if path.suffix.lower() == ".json":
        text = _json_text(data) + "\n"
    else:
        text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")


def default_scenario_path() -> Path:
    """The built-in default scenario shipped with the package (a commented YAML file)."""
    return Path(str(resources.files("bizmodels") / "data" / "default_scenario.yaml"))


def default_scenario_text() -> str:
    """The text of the built-in default scenario, comments included."""
    return default_scenario_path().read_text(encoding="utf-8")


def scenario_template() -> str:
    """The commented YAML of the built-in default scenario (what ``bizmodels init`` writes).

    Every market field with its default, unit and source; every model with its fields as
    comments, ready to uncomment and change.
    """
    from bizmodels._types import json_schema

    out = [
        "# bizmodels scenario file: the shared market and the models to compare.",
        "# Run it with: bizmodels compare THIS_FILE",
        "#",
        "# market: the assumptions every model sees alike; a field left out keeps its default.",
        "# models: slug of a model or preset -> field overrides; only the models listed are",
        "#   compared (all ten when the key is absent). Uncomment a field to change it.",
        "#   Presets (bizmodels presets): " + ", ".join(PRESETS),
        "",
        "market:",
    ]
    schema = json_schema(Market)
    for name, prop in schema["properties"].items():
        part = _nested_part(schema, prop)
        if part is None:
            out.append(
                f"  {name}: {_yaml_value(prop.get('default'))}"
                f"  # {prop.get('description', '')} [{prop.get('source', '')}]"
            )
            continue
        # a nested part (the market's tax rules): its fields, each with its own source
        out.append(f"  {name}:  # {prop.get('description', '')}")
        for inner, inner_prop in part["properties"].items():
            out.append(
                f"    {inner}: {_yaml_value(inner_prop.get('default'))}"
                f"  # {inner_prop.get('description', '')} [{inner_prop.get('source', '')}]"
            )
    out += ["", "models:"]
    for slug, cls in MODELS.items():
        out.append(f"  {slug}:  # {cls.name_zh} / {cls.name_en}")
        for name, prop in json_schema(cls)["properties"].items():
            if name == "market":
                continue
            out.append(
                f"    # {name}: {_yaml_value(prop.get('default'))}"
                f"  # {prop.get('description', '')} [{prop.get('source', '')}]"
            )
    return "\n".join(out) + "\n"


def _nested_part(schema: dict[str, Any], prop: dict[str, Any]) -> dict[str, Any] | None:
    """The schema of a field that is a model of its own (``$ref`` into ``$defs``), if it is."""
    ref = prop.get("$ref") or next(
        (o.get("$ref") for o in prop.get("allOf", []) if "$ref" in o), None
    )
    if not ref:
        return None
    part: dict[str, Any] = schema.get("$defs", {})[str(ref).rsplit("/", 1)[-1]]
    return part


def _yaml_value(value: Any) -> str:
    return yaml.safe_dump(value, default_flow_style=True).strip().removesuffix("...").strip()
