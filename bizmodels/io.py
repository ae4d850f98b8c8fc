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

Files are read with safe loaders only, refused above `MAX_BYTES` before parsing, and every
error names the file, the line where the parser knows it, the model and field, the value,
and the valid choices.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from bizmodels.market import Market
from bizmodels.models import MODELS, BusinessModel
from bizmodels.models._base import CheckFailed
from bizmodels.presets import PRESETS
from bizmodels.risk._fields import route
from bizmodels.risk.distributions import Distribution, distribution_from_dict

MAX_BYTES = 1_048_576
"""Largest scenario file read, in bytes (1 MiB); a larger one is refused before parsing."""

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
        super().__init__(f"{where}: {message}")


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
            and self.distributions == other.distributions
        )


# -- reading ----------------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """A safe YAML loader that refuses duplicate keys and remembers each key's line."""


def _mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"duplicate key {key!r} (first on line {seen[key] + 1})",
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line
    return loader.construct_mapping(node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def _key_lines(node: yaml.Node | None, prefix: tuple[str, ...] = ()) -> dict[tuple[str, ...], int]:
    """Map each key path (``("models", "tob_recruitment", "reach")``) to its 1-based line."""
    lines: dict[tuple[str, ...], int] = {}
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            path = (*prefix, str(key_node.value))
            lines[path] = key_node.start_mark.line + 1
            lines.update(_key_lines(value_node, path))
    return lines


def _read_text(path: Path) -> str:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ScenarioError(path, f"cannot read the file: {exc.strerror}") from None
    if size > MAX_BYTES:
        raise ScenarioError(path, f"file is {size:,} bytes, over the {MAX_BYTES:,}-byte limit")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ScenarioError(path, "file is not UTF-8 text", line) from None
    if not text.strip():
        raise ScenarioError(path, "file is empty; expected the keys market and models")
    return text.removeprefix("\ufeff")


def _parse(path: Path, text: str) -> tuple[Any, dict[tuple[str, ...], int]]:
    if path.suffix.lower() == ".json":

        def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
            keys = [k for k, _ in items]
            repeated = next((k for k in keys if keys.count(k) > 1), None)
            if repeated is not None:
                raise ValueError(f"duplicate key {repeated!r}")
            return dict(items)

        try:
            data = json.loads(text, object_pairs_hook=pairs, parse_float=Decimal)
        except json.JSONDecodeError as exc:
            raise ScenarioError(path, f"invalid JSON: {exc.msg}", exc.lineno) from None
        except ValueError as exc:
            raise ScenarioError(path, str(exc)) from None
        try:  # JSON is YAML: the composer finds each key's line
            lines = _key_lines(yaml.compose(text, Loader=yaml.SafeLoader))
        except yaml.YAMLError:
            lines = {}
        return data, lines
    try:
        node = yaml.compose(text, Loader=_Loader)
        data = _Loader(text).get_single_data() if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = None if mark is None else mark.line + 1
        problem = exc.problem or "invalid YAML"
        if "\t" in problem or "'\\t'" in problem:
            problem = "a tab character: YAML indents with spaces only"
        elif "could not determine a constructor" in problem:
            tag = problem.split(" for the tag ")[-1].strip("'").replace("tag:yaml.org,2002:", "!!")
            problem = f"the tag {tag} is not allowed: files are read with a safe loader"
        raise ScenarioError(path, problem, line) from None
    except yaml.YAMLError as exc:
        raise ScenarioError(path, f"invalid YAML: {exc}") from None
    return data, _key_lines(node)


def _describe(
    error: ValidationError, fields: list[str]
) -> tuple[tuple[str, ...], str, tuple[str, ...]]:
    """The first error: its field path, a message, and the fields a failed check involves."""
    item = error.errors()[0]
    loc = tuple(str(x) for x in item["loc"])
    if item["type"] == "extra_forbidden":
        return loc, f"unknown field {loc[-1]!r}; valid: {', '.join(fields)}", ()
    cause = (item.get("ctx") or {}).get("error")
    if isinstance(cause, CheckFailed):
        # the check's message starts with the model's key, which the caller names already
        return loc, str(cause).split(": ", 1)[-1], cause.fields
    message = item["msg"].removeprefix("Value error, ")
    return loc, (f"{'.'.join(loc)} = {item['input']!r}: {message}" if loc else message), ()


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


def _model_class(slug: str) -> type[BusinessModel]:
    if slug in PRESETS:
        return type(PRESETS[slug].model)
    return MODELS[slug]


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a scenario file (``.yaml``, ``.yml`` or ``.json``).

    Parameters
    ----------
    path : str or Path
        The file.

    Returns
    -------
    Scenario
        The market and the models, each validated (all ten defaults if ``models`` is absent).

    Raises
    ------
    ScenarioError
        One message naming the file, the line, the model and field path, the value and the
        valid choices: unknown model or field, wrong type, value out of range, duplicate key,
        a tab in YAML, an empty or non-UTF-8 file, a file over `MAX_BYTES`, an unsafe tag.

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
        raise ScenarioError(
            path,
            f"expected a mapping with keys {', '.join(TOP_LEVEL)}, got {type(data).__name__}",
            1,
        )
    for key in data:
        if key not in TOP_LEVEL:
            raise ScenarioError(
                path,
                f"unknown top-level key {key!r}; valid: {', '.join(TOP_LEVEL)}",
                lines.get((str(key),)),
            )
    market_data = data.get("market") or {}
    if not isinstance(market_data, Mapping):
        raise ScenarioError(
            path, "market must be a mapping of Market fields", lines.get(("market",))
        )
    try:
        market = Market.model_validate(dict(market_data))
    except ValidationError as exc:
        loc, message, _ = _describe(exc, list(Market.model_fields))
        raise ScenarioError(path, f"market: {message}", lines.get(("market", *loc[:1]))) from None

    models_data = data.get("models")
    if models_data is None:
        models_data = {slug: {} for slug in MODELS}
    if not isinstance(models_data, Mapping) or not models_data:
        raise ScenarioError(
            path, "models must map model or preset slugs to field overrides", lines.get(("models",))
        )
    scenario = Scenario(market=market)
    valid = ", ".join([*MODELS, *PRESETS])
    for slug, overrides in models_data.items():
        where = lines.get(("models", str(slug)))
        if slug not in MODELS and slug not in PRESETS:
            raise ScenarioError(path, f"unknown model or preset {slug!r}; valid: {valid}", where)
        overrides = overrides or {}
        if not isinstance(overrides, Mapping):
            raise ScenarioError(
                path, f"models.{slug}: expected a mapping of fields, got {overrides!r}", where
            )
        if "market" in overrides:
            raise ScenarioError(
                path,
                f"models.{slug}: the market is set once, at the top level",
                lines.get(("models", str(slug), "market")),
            )
        try:
            model = build(slug, market, dict(overrides))
        except ValidationError as exc:
            fields = [f for f in _model_class(slug).model_fields if f != "market"]
            loc, message, involved = _describe(exc, fields)
            line = (
                _check_line(lines, str(slug), involved)
                or lines.get(("models", str(slug), *loc[:1]))
                or where
            )
            raise ScenarioError(path, f"models.{slug}: {message}", line) from None
        scenario.models[str(slug)] = model
        scenario.overrides[str(slug)] = dict(overrides)
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
        if not isinstance(spec, Mapping):
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
            message = item["msg"].removeprefix("Value error, ")
            detail = f"{loc}: {message}" if loc else message
            raise ScenarioError(path, f"distributions.{name}: {detail}", where) from None
    return result


def build(slug: str, market: Market, overrides: Mapping[str, Any]) -> BusinessModel:
    """A model or preset by slug, on ``market``, with field overrides (validated)."""
    if slug in PRESETS:
        base = PRESETS[slug].model
        fields = {**dict(base), **overrides, "market": market}
        return type(base)(**fields)
    return MODELS[slug](**overrides, market=market)


# -- writing ----------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, BaseModel):
        return {k: _plain(v) for k, v in value.model_dump().items()}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def scenario_data(scenario: Scenario) -> dict[str, Any]:
    """The scenario as plain data: the market's fields and each model's overrides."""
    data: dict[str, Any] = {
        "market": _plain(scenario.market.model_dump()),
        "models": {slug: _plain(scenario.overrides.get(slug, {})) for slug in scenario.models},
    }
    if scenario.distributions:
        data["distributions"] = {
            name: _plain(d.model_dump()) for name, d in scenario.distributions.items()
        }
    return data


def dump_scenario(scenario: Scenario, path: str | Path) -> None:
    """Write a scenario to YAML (or JSON for a ``.json`` path) that loads back equal.

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
    data = scenario_data(scenario)
    if path.suffix.lower() == ".json":
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    else:
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
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
    for name, prop in json_schema(Market)["properties"].items():
        out.append(
            f"  {name}: {_yaml_value(prop.get('default'))}"
            f"  # {prop.get('description', '')} [{prop.get('source', '')}]"
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


def _yaml_value(value: Any) -> str:
    return yaml.safe_dump(value, default_flow_style=True).strip().removesuffix("...").strip()
