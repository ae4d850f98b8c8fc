"""Scenario files: round trips over the accepted ranges, and bounded fuzzing of the loader.

Round trip (issue 11, deliverable 8): a scenario of random models, presets and overrides,
each field drawn from its own pydantic constraints (bounds, decimal places, tuple and
literal types, plans by name or by fields) and random distributions, is written by
`dump_scenario` to YAML and to JSON and read back by `load_scenario` equal, digit for digit.

Fuzzing (deliverable 9): `load_scenario` gets random bytes, random text, random YAML-ish
documents built from the tokens that trip loaders up (YAML 1.1 numbers, tags, anchors and
aliases, odd keys, deep brackets) and random edits of a valid scenario. Whatever the file,
it either loads or raises `ScenarioError` with one line that starts with the file's name.
About 25 seconds in all; the examples are derandomised so that CI runs the same ones.
"""

from __future__ import annotations

import tempfile
import typing
from decimal import Decimal
from pathlib import Path
from typing import Any

import annotated_types as at
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

import bizmodels as bm
from bizmodels.io import Scenario, ScenarioError, build, dump_scenario, load_scenario, scenario_data
from bizmodels.market import Market
from bizmodels.plans import PLANS, LiandongPlan
from bizmodels.presets import PRESETS
from bizmodels.risk.distributions import distribution_from_dict

_DIR = Path(tempfile.mkdtemp(prefix="fuzz_scenarios_"))
SLUGS = [*bm.MODELS, *PRESETS]


def fuzz(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )


# -- values drawn from each field's own constraints -------------------------------------


def _bounds(metadata: list[Any]) -> tuple[Decimal, Decimal | None, int | None]:
    low, high, places = Decimal(0), None, None
    for meta in metadata:
        if isinstance(meta, at.Ge):
            low = Decimal(str(meta.ge))
        elif isinstance(meta, at.Gt):
            low = Decimal(str(meta.gt)) + Decimal("1e-6")
        elif isinstance(meta, at.Le):
            high = Decimal(str(meta.le))
        elif isinstance(meta, at.Lt):
            high = Decimal(str(meta.lt)) - Decimal("1e-6")
        elif getattr(meta, "decimal_places", None) is not None:
            places = int(meta.decimal_places)
    return low, high, places


def _decimal(metadata: list[Any]) -> st.SearchStrategy[Decimal]:
    """A Decimal anywhere in the field's range, its bounds, or many-digit values in it."""
    low, high, places = _bounds(metadata)
    top = high if high is not None else Decimal(10**15)  # unbounded: far past any business
    digits = st.integers(0, places if places is not None else 28)
    anywhere = digits.flatmap(
        lambda p: st.decimals(low, top, places=p, allow_nan=False, allow_infinity=False)
    )
    # magnitudes spread over the decades, not crowded near the top of a wide range
    spread = st.builds(
        lambda m, e: min(top, max(low, Decimal(m).scaleb(e))),
        st.integers(0, 10**6),
        st.integers(-(places if places is not None else 12), max(0, top.adjusted() - 5)),
    )
    # every digit a Decimal can carry, and more: 28 places of a rate, 38 digits of a count
    p = places if places is not None else 28
    fine = st.integers(int(low.scaleb(p)), int(top.scaleb(p))).map(lambda n: Decimal(n).scaleb(-p))
    return st.one_of(st.sampled_from([low, top]), anywhere, spread, fine)


def _value(annotation: Any, metadata: list[Any]) -> st.SearchStrategy[Any]:
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        base, *extra = typing.get_args(annotation)
        inner = [m for e in extra for m in (e.metadata if isinstance(e, FieldInfo) else [e])]
        return _value(base, [*metadata, *inner])
    if annotation is Decimal:
        return _decimal(metadata)
    if annotation is int:
        low, high, _ = _bounds(metadata)
        return st.integers(int(low), int(high) if high is not None else int(low) + 10**6)
    if origin is typing.Literal:
        return st.sampled_from(typing.get_args(annotation))
    if origin is tuple:
        return st.tuples(*(_value(a, []) for a in typing.get_args(annotation)))
    if origin in (typing.Union, type(int | None)):
        # an optional value (a cap per member, say): None or a value of the type
        options = [a for a in typing.get_args(annotation) if a is not type(None)]
        return st.one_of(st.none(), *(_value(a, metadata) for a in options))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        # a nested part of a plan (its settlement, its tax): a few of its fields
        parts = {n: _value(i.annotation, i.metadata) for n, i in annotation.model_fields.items()}
        return st.dictionaries(st.sampled_from(list(parts)), st.none(), max_size=2).flatmap(
            lambda chosen: st.fixed_dictionaries({k: parts[k] for k in chosen})
        )
    raise AssertionError(f"no strategy for {annotation!r}")


def _plan() -> st.SearchStrategy[Any]:
    fields = {
        name: _value(info.annotation, info.metadata)
        for name, info in LiandongPlan.model_fields.items()
    }
    return st.one_of(
        st.sampled_from(list(PLANS)),
        st.dictionaries(st.sampled_from(list(fields)), st.none(), max_size=4).flatmap(
            lambda chosen: st.fixed_dictionaries({k: fields[k] for k in chosen})
        ),
    )


def _field(info: FieldInfo) -> st.SearchStrategy[Any]:
    if typing.get_origin(info.annotation) in (typing.Union, type(int | None)):
        return _plan()  # the one optional field: a commission plan
    return _value(info.annotation, info.metadata)


@st.composite
def overrides(draw: st.DrawFn, cls: type[Any]) -> dict[str, Any]:
    names = [n for n in cls.model_fields if n not in ("market", "plan")]
    chosen = draw(st.lists(st.sampled_from(names), max_size=4, unique=True))
    if "plan" in cls.model_fields and draw(st.booleans()):
        chosen.append("plan")  # often enough to matter, though one field of many
    return {name: draw(_field(cls.model_fields[name])) for name in chosen}


def _model_class(slug: str) -> type[Any]:
    return type(PRESETS[slug].model) if slug in PRESETS else bm.MODELS[slug]


finite = st.floats(allow_nan=False, allow_infinity=False)
positive = st.floats(min_value=1e-300, max_value=1e300)
distributions = st.one_of(
    st.builds(lambda m, s: {"kind": "normal", "mean": m, "sd": s}, finite, positive),
    st.builds(
        lambda a, b: {"kind": "uniform", "low": min(a, b), "high": max(a, b)}, finite, finite
    ),
    st.builds(lambda a, b: {"kind": "beta", "a": a, "b": b}, positive, positive),
    st.builds(
        lambda v: {"kind": "empirical", "values": v}, st.lists(finite, min_size=1, max_size=5)
    ),
)


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    market_fields = draw(overrides(Market))
    try:
        market = Market(**market_fields)
    except ValidationError:
        reject()
    scenario = Scenario(market=market)
    for slug in draw(st.lists(st.sampled_from(SLUGS), min_size=1, max_size=3, unique=True)):
        written = draw(overrides(_model_class(slug)))
        try:
            scenario.models[slug] = build(slug, market, written)
        except ValidationError:
            reject()  # a mix the model's own checks refuse (unit cost above price, ...)
        scenario.overrides[slug] = written
    if "tob_recruitment" not in scenario.models and draw(st.integers(0, 2)) == 0:
        # a plan replaces the package fields: drawn alone so that most draws are accepted
        written = {"plan": draw(_plan())}
        try:
            scenario.models["tob_recruitment"] = build("tob_recruitment", market, written)
        except ValidationError:
            reject()
        scenario.overrides["tob_recruitment"] = written
    for name in draw(st.lists(st.sampled_from(["price", "unit_cost"]), max_size=2, unique=True)):
        try:
            scenario.distributions[name] = distribution_from_dict(draw(distributions))
        except ValidationError:
            reject()
    return scenario


@fuzz(100)
@given(scenario=scenarios(), suffix=st.sampled_from([".yaml", ".json"]))
def test_scenario_files_round_trip(scenario, suffix):
    path = _DIR / f"round{suffix}"
    dump_scenario(scenario, path)
    loaded = load_scenario(path)
    assert loaded == scenario
    # every override comes back as the same number, not one rounded through a float
    assert scenario_data(loaded, exact=True) == scenario_data(scenario, exact=True)


def test_the_round_trip_strategy_reaches_the_bounds():
    # the strategy is only as good as the range it draws from: the field's own bounds
    info = Market.model_fields["customers"]
    low, high, _ = _bounds(info.metadata)
    assert (low, high) == (0, Market.model_fields["customers"].metadata[1].le)
    rate = bm.MODELS["toc_membership"].model_fields["reach"]
    assert _bounds(rate.metadata)[:2] == (0, 1)


# -- fuzzing ----------------------------------------------------------------------------


def load(data: str | bytes, suffix: str) -> Scenario | None:
    path = _DIR / f"fuzz{suffix}"
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_bytes(data.encode("utf-8", "surrogatepass"))
    try:
        return load_scenario(path)
    except ScenarioError as exc:
        message = str(exc)
        assert message.startswith(f"{path}"), message
        assert message.strip() and "\n" not in message and "\r" not in message, message
        return None


suffixes = st.sampled_from([".yaml", ".json", ".yml"])


@fuzz(800)
@given(data=st.binary(max_size=400), suffix=suffixes)
def test_random_bytes(data, suffix):
    load(data, suffix)


@fuzz(800)
@given(data=st.text(max_size=300), suffix=suffixes)
def test_random_text(data, suffix):
    load(data, suffix)


# tokens that trip loaders up, written raw into the document
TRICKY = [
    "010000",
    "0o17",
    "0x1F",
    "1:30",
    "190:20:30",
    "yes",
    "No",
    "on",
    "OFF",
    "y",
    "~",
    "null",
    "1e30",
    "-1e30",
    "1e999999999",
    "1e9999999999999999999",
    ".inf",
    "-.inf",
    ".nan",
    "-0",
    "1_000",
    "0.1",
    "0.12345678901234567890123456789",
    "9" * 120,
    "2024-01-01",
    "=",
    "<<",
    "!!binary aGk=",
    "!!int x",
    "!!float y",
    "!!bool maybe",
    "!!null 1",
    "!!str 010",
    "!!timestamp z",
    "!!set {a}",
    "!!python/object/apply:os.system ['true']",
    "!foo bar",
    "!!map [1]",
    "!!seq {a: 1}",
    "'quoted'",
    '"\\u0000"',
    '"\\x07"',
    "|\n  text",
    "''",
    '""',
    "[",
    "]",
    "{",
    "}",
    "[[[[[[[[[[",
    "- ",
    "? ",
    ": ",
    "&",
    "*",
    "%YAML 1.1",
    "---",
    "...",
    "\t",
    "#",
    "\x00",
    "\x85",
    "\u2028",
    "\ufeff",
    "é",
    "价格",
]
NAMES = [*bm.MODELS, *PRESETS, "market", "models", "distributions", "plan", "kind", "values"]
FIELDS = sorted({f for c in [Market, *map(_model_class, SLUGS)] for f in c.model_fields})

printable = st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs"))
scalars = st.one_of(
    st.sampled_from(TRICKY),
    st.sampled_from(NAMES + FIELDS),
    st.integers(-(10**30), 10**30).map(str),
    st.decimals(allow_nan=False, allow_infinity=False).map(str),
    st.text(printable, max_size=8),
)
keys = st.one_of(st.sampled_from(NAMES + FIELDS), scalars)
ANCHORS = ["&a", "&b", "*a", "*b", "! ", "!!map ", "!!seq ", "!!str "]


def documents(leaves: int = 25) -> st.SearchStrategy[Any]:
    """Trees of lists and mappings over tricky scalars, with anchors, aliases and tags."""
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=5),
            st.dictionaries(keys, inner, max_size=5),
            st.tuples(st.sampled_from(ANCHORS), inner),
        ),
        max_leaves=leaves,
    )


def render(node: Any, indent: int, flow: bool, draw: st.DrawFn, anchors: set[str]) -> str:
    """The tree as YAML text, tokens raw: in flow or block style, chosen at each level.

    An alias names an anchor written before it where there is one (otherwise it becomes
    that anchor), so that aliases are expanded rather than all refused as undefined.
    """
    pad = "  " * indent
    if isinstance(node, tuple):  # an anchor, alias or tag before a node
        mark, inner = node
        if mark.startswith("*"):
            if mark[1:] in anchors:
                return mark
            mark = "&" + mark[1:]
        if mark.startswith("&"):
            anchors.add(mark[1:])
        return f"{mark} {render(inner, indent, flow, draw, anchors)}"
    if isinstance(node, list):
        if flow or not node or draw(st.booleans()):
            items = (render(n, indent + 1, True, draw, anchors) for n in node)
            return "[" + ", ".join(items) + "]"
        return "".join(f"\n{pad}- {render(n, indent + 1, False, draw, anchors)}" for n in node)
    if isinstance(node, dict):
        if flow or not node or draw(st.booleans()):
            items = (f"{k}: {render(v, indent + 1, True, draw, anchors)}" for k, v in node.items())
            return "{" + ", ".join(items) + "}"
        return "".join(
            f"\n{pad}{k}: {render(v, indent + 1, False, draw, anchors)}" for k, v in node.items()
        )
    return str(node)


def _fields_of(names: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    values = st.one_of(scalars, scalars, documents(6))
    return st.dictionaries(st.sampled_from(names) | keys, values, max_size=5)


@st.composite
def yamlish(draw: st.DrawFn) -> str:
    """A document shaped like a scenario (market fields, model slugs, their fields) whose
    values are tricky tokens or small trees, or a free-form tree."""
    top: dict[str, Any] = {}
    if draw(st.booleans()):
        top["market"] = draw(_fields_of(list(Market.model_fields)))
    if draw(st.booleans()):
        slugs = draw(st.lists(st.sampled_from(SLUGS) | keys, max_size=3, unique=True))
        top["models"] = {
            slug: draw(st.none() | _fields_of(FIELDS) | documents(4)) for slug in slugs
        }
    if draw(st.booleans()):
        top["distributions"] = draw(
            st.dictionaries(
                st.sampled_from(["price", "toc_membership.reach", "zzz"]) | keys,
                st.fixed_dictionaries(
                    {"kind": st.sampled_from(["normal", "uniform", "empirical", "gamma"])},
                    optional={
                        "mean": scalars,
                        "sd": scalars,
                        "low": scalars,
                        "values": documents(6),
                    },
                )
                | documents(6),
                max_size=2,
            )
        )
    if not top or draw(st.integers(0, 4)) == 0:
        top.update(draw(st.dictionaries(keys, documents(), max_size=3)))
    anchors: set[str] = set()
    body = "".join(f"{k}: {render(v, 1, False, draw, anchors)}\n" for k, v in top.items())
    return draw(st.sampled_from(["", "%YAML 1.1\n---\n", "---\n"])) + body


@fuzz(200)
@given(text=yamlish(), suffix=st.sampled_from([".yaml", ".yaml", ".json"]))
def test_random_yaml_like_documents(text, suffix):
    load(text, suffix)


VALID = (
    "market:\n  customers: 50000\n  price: 129\n  unit_cost: 38\n"
    "models:\n  toc_membership:\n    reach: 0.25\n  toc_two_level_distribution:\n"
    "    level1_rate: 0.12\n  tob_recruitment:\n    plan: {package_price: 999, "
    "differential: [20, 30, 50]}\n  three_level_distribution:\n"
    "distributions:\n  price: {kind: normal, mean: 129, sd: 10}\n"
    "  toc_membership.reach: {kind: empirical, values: [0.2, 0.3]}\n"
)
VALID_JSON = (
    '{"market": {"customers": 50000, "price": 129},\n "models": {"toc_membership": '
    '{"reach": 0.25}, "tob_recruitment": {"plan": "liandong_699"}},\n "distributions": '
    '{"price": {"kind": "uniform", "low": 100, "high": 150}}}\n'
)


@st.composite
def edited(draw: st.DrawFn) -> tuple[str, str]:
    """A valid scenario with a few random insertions, deletions and replacements."""
    suffix = draw(st.sampled_from([".yaml", ".json"]))
    text = VALID if suffix == ".yaml" else VALID_JSON
    for _ in range(draw(st.integers(1, 4))):
        at_ = draw(st.integers(0, len(text)))
        cut = draw(st.integers(0, 6))
        new = draw(st.one_of(st.sampled_from(TRICKY), st.text(max_size=4), st.just("")))
        text = text[:at_] + new + text[at_ + cut :]
    return text, suffix


@fuzz(800)
@given(case=edited())
def test_edits_of_a_valid_scenario(case):
    text, suffix = case
    load(text, suffix)


def test_the_valid_scenarios_the_edits_start_from_load():
    assert load(VALID, ".yaml") is not None
    assert load(VALID_JSON, ".json") is not None
