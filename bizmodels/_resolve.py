"""One way from a slug to the thing it names: a model, a preset or a plan, with overrides.

The command line, scenario files, `bizmodels.compare` and the compliance checks all take a
slug and field overrides from a user; they all build through `resolve` (models and
presets) or `resolve_target` (models, presets and plans), so a slug means the same thing
everywhere and an unknown one is refused with the same words: ``unknown model or preset
'x'; valid: …``.

A model's market is set in one of two ways, or both: ``market=`` (a `Market` or a mapping
of its fields) replaces the whole market, and ``market.<field>=`` keys change it field by
field, on top of the market given, else the preset's own market (a preset may carry one),
else the default one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel

from bizmodels import plans
from bizmodels._types import json_schema
from bizmodels.market import Market
from bizmodels.models import MODELS, BusinessModel
from bizmodels.presets import PRESETS

__all__ = [
    "build",
    "model_class",
    "model_slugs",
    "parameters",
    "resolve",
    "resolve_target",
    "schema",
    "split_market",
    "target_slugs",
    "unknown",
]

_MARKET = "market."


def model_slugs() -> list[str]:
    """The slugs `resolve` knows: the models, then the presets."""
    return [*MODELS, *PRESETS]


def target_slugs() -> list[str]:
    """The slugs `resolve_target` knows: the models, the presets, then the plans."""
    return [*MODELS, *PRESETS, *plans.PLANS]


def unknown(what: str, slug: object, valid: Iterable[str]) -> KeyError:
    """The error for a slug that names nothing: ``unknown <what> 'x'; valid: a, b``.

    Examples
    --------
    >>> unknown("model or preset", "nope", ["a", "b"]).args[0]
    "unknown model or preset 'nope'; valid: a, b"
    """
    return KeyError(f"unknown {what} {slug!r}; valid: {', '.join(valid)}")


def model_class(slug: str) -> type[BusinessModel]:
    """The class of the model or preset ``slug`` (a preset's is the class it configures).

    Raises
    ------
    KeyError
        An unknown slug, listing the valid ones.

    Examples
    --------
    >>> model_class("three_level_distribution").__name__
    'ThreeLevelDistribution'
    """
    if slug in PRESETS:
        return type(PRESETS[slug].model)
    if slug in MODELS:
        return MODELS[slug]
    raise unknown("model or preset", slug, model_slugs())


def parameters(slug: str) -> list[str]:
    """The names an override of ``slug`` may take: its fields, and ``market.<field>``.

    A plan's are its fields. These are the valid names an unknown override is told about.

    Raises
    ------
    KeyError
        An unknown slug, listing the valid models, presets and plans.

    Examples
    --------
    >>> parameters("distribution")[:2]
    ['price', 'rates']
    >>> parameters("distribution")[2]
    'settlement.frozen_days'
    """
    if slug in plans.PLANS:
        # the plan's own fields first, then those of its nested parts as --set writes them
        fields = type(plans.get_plan(slug)).model_fields
        own = [name for name, f in fields.items() if not _nested(f.annotation)]
        return [*own, *(_dotted("", fields, nested_only=True))]
    if slug not in MODELS and slug not in PRESETS:
        raise unknown("model, preset or plan", slug, target_slugs())
    return [*model_class(slug).model_fields, *_dotted(_MARKET, Market.model_fields)]


def _dotted(prefix: str, fields: Mapping[str, Any], *, nested_only: bool = False) -> list[str]:
    """Field names as ``--set`` writes them: a nested part's fields as ``part.field``."""
    names = []
    for name, info in fields.items():
        inner = _nested(info.annotation)
        if inner:
            names += [f"{prefix}{name}.{f}" for f in inner]
        elif not nested_only:
            names.append(prefix + name)
    return names


def _nested(annotation: Any) -> list[str]:
    """The fields of a nested part (the market's ``tax``), as ``--set`` names them."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return list(annotation.model_fields)
    return []


def schema(slug: str) -> dict[str, Any]:
    """The JSON schema of a model, a preset or a plan, with the values it uses and their sources.

    Each field's ``default`` is the value ``slug`` is built with, nested parts (a model's
    ``market``, a plan's ``settlement`` and ``tax``) included, and ``source`` says where that
    value comes from, the field's source text kept whole. A value a preset sets is the
    preset's: its ``source`` names the preset and the seed the preset cites (a preset cites
    one seed as a whole, not a source per value), and ``model_default`` and
    ``model_source`` keep what the model's class would use without the preset. The schema
    also says its ``slug`` and ``kind`` (model, preset or plan); a preset's adds its
    ``source`` and ``summary``.

    Raises
    ------
    KeyError
        An unknown slug, listing the valid models, presets and plans.

    Examples
    --------
    >>> setup = schema("channel_self_run")["properties"]["setup_cost"]
    >>> setup["default"], setup["model_default"], setup["model_source"]
    (150000, 60000, 'assumption')
    >>> setup["source"]
    'set by preset channel_self_run, which cites seed 004 (004_fa64250602f99480.txt) as a whole'
    >>> plan = schema("liandong_699")
    >>> plan["kind"], plan["properties"]["package_price"]["default"]
    ('plan', 699)
    >>> plan["$defs"]["Settlement"]["properties"]["frozen_days"]["default"]
    0
    """
    if slug in plans.PLANS:
        kind, built = "plan", resolve_target(slug)
    elif slug in PRESETS:
        kind, built = "preset", resolve(slug)
    elif slug in MODELS:
        kind, built = "model", resolve(slug)
    else:
        raise unknown("model, preset or plan", slug, target_slugs())
    result = json_schema(type(built))
    preset = PRESETS.get(slug) if kind == "preset" else None
    # the preset records its seed, not a source per value: say so rather than cite the seed
    # for a figure it may not give
    set_by = None
    if preset is not None:
        set_by = f"set by preset {slug}, which cites {preset.source} as a whole"
    _values_used(result["properties"], built, result.get("$defs", {}), set_by)
    head: dict[str, Any] = {"slug": slug, "kind": kind}
    if preset is not None:
        head |= {"source": preset.source, "summary": preset.summary}
    return head | result


def _values_used(
    properties: dict[str, Any],
    built: BaseModel,
    defs: dict[str, Any],
    set_by: str | None,
) -> None:
    """Write ``built``'s values into its schema's ``properties`` (and the nested parts' defs).

    ``set_by``: the source of the fields ``built`` was given (a preset's), else None.
    """
    values = built.model_dump(mode="json")
    for name in type(built).model_fields:
        prop = properties[name]
        given = set_by is not None and name in built.model_fields_set
        part = getattr(built, name)
        ref = _ref(prop)
        if isinstance(part, BaseModel) and ref in defs:
            # the part's own fields carry the sources; its def is filled once, as every
            # nested part today is of a type no other field of the same model has
            _values_used(defs[ref]["properties"], part, defs, set_by if given else None)
            if "default" in prop:
                prop["default"] = values[name]
            continue
        if given:
            if "default" in prop:
                prop["model_default"] = prop["default"]
            if "source" in prop:
                prop["model_source"] = prop["source"]
            prop["source"] = set_by
        prop["default"] = values[name]


def _ref(prop: dict[str, Any]) -> str | None:
    """The name of the def a property refers to (``Market``), directly or as an option."""
    for option in [prop, *prop.get("anyOf", ())]:
        if "$ref" in option:
            return str(option["$ref"]).rsplit("/", 1)[-1]
    return None


def split_market(overrides: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The overrides of the model itself, and the ``market.<field>`` ones without the prefix.

    Examples
    --------
    >>> split_market({"reach": 0.4, "market.price": 99})
    ({'reach': 0.4}, {'price': 99})
    """
    fields = {k: v for k, v in overrides.items() if not k.startswith(_MARKET)}
    market = {k.removeprefix(_MARKET): v for k, v in overrides.items() if k.startswith(_MARKET)}
    return fields, market


def build(slug: str, /, **fields: Any) -> BusinessModel:
    """A model or a preset by slug, with its fields taken as they are (validated).

    `resolve` is this with the command line's ``market.<field>`` overrides; here a key is a
    field of the model, or an unknown field.

    Raises
    ------
    KeyError
        An unknown slug, listing the valid models and presets.
    pydantic.ValidationError
        A bad field or value, naming it.

    Examples
    --------
    >>> build("three_level_distribution", level3_rate=0.05).level3_rate
    Decimal('0.05')
    """
    if slug in PRESETS:
        return PRESETS[slug].build(**fields)
    if slug in MODELS:
        return MODELS[slug](**fields)
    raise unknown("model or preset", slug, model_slugs())


def resolve(slug: str, /, **overrides: Any) -> BusinessModel:
    """A model or a preset by slug, with field overrides (validated).

    Parameters
    ----------
    slug : str
        A model (`bizmodels.models.MODELS`) or a preset (`bizmodels.presets.PRESETS`).
    **overrides
        Field values. ``market`` (a `Market` or a mapping of its fields; ``None`` is the
        model's own) replaces the market; ``market.<field>`` changes one field of it, on top
        of ``market`` if given, else of the preset's own market, else of the default.

    Returns
    -------
    BusinessModel

    Raises
    ------
    KeyError
        An unknown slug, listing the valid models and presets.
    pydantic.ValidationError
        A bad field or value, naming it (a market field as ``market.<field>``).

    Examples
    --------
    >>> resolve("toc_membership", **{"market.price": 99}).market.price
    Decimal('99')
    >>> resolve("nope")
    Traceback (most recent call last):
    ...
    KeyError: "unknown model or preset 'nope'; valid: toc_membership, ..."
    """
    if slug not in MODELS and slug not in PRESETS:
        raise unknown("model or preset", slug, model_slugs())
    fields, market = split_market(overrides)
    base = fields.get("market")
    if market:
        if base is None and slug in PRESETS:
            base = PRESETS[slug].model.market
        if isinstance(base, Market):
            base = base.model_dump()
        # a mapping, not a Market: the model validates it, so an error names market.<field>
        merged = dict(base or {})
        for key, value in market.items():
            head, dot, rest = key.partition(".")
            if dot:  # market.tax.goods_rate: one field of a nested part, the rest kept
                part = merged.get(head)
                merged[head] = {**(dict(part) if part is not None else {}), rest: value}
            else:
                merged[key] = value
        fields["market"] = merged
    elif base is None:
        fields.pop("market", None)
    return build(slug, **fields)


def resolve_target(slug: str, /, **overrides: Any) -> BusinessModel | plans.Plan:
    """A model, a preset or a commission plan by slug, with overrides (validated).

    A plan (`bizmodels.plans.PLANS`) takes its own fields; a model or a preset is built by
    `resolve`, ``market.<field>`` overrides included.

    Raises
    ------
    KeyError
        An unknown slug, listing the valid models, presets and plans.
    pydantic.ValidationError
        A bad field or value, naming it.

    Examples
    --------
    >>> resolve_target("liandong_699", package_price=999).package_price
    Decimal('999')
    >>> resolve_target("toc_membership").key
    'toc_membership'
    """
    if slug in plans.PLANS:
        return plans.get_plan(slug, **overrides)
    if slug not in MODELS and slug not in PRESETS:
        raise unknown("model, preset or plan", slug, target_slugs())
    return resolve(slug, **overrides)
