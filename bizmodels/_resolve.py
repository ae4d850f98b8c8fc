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
from bizmodels.market import Market
from bizmodels.models import MODELS, BusinessModel
from bizmodels.presets import PRESETS
from bizmodels.tax import Tax

__all__ = [
    "build",
    "model_class",
    "model_slugs",
    "parameters",
    "resolve",
    "resolve_target",
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
        nested: dict[str, type[BaseModel]] = {"settlement": plans.Settlement, "tax": Tax}
        own = [name for name in fields if name not in nested]
        return [*own, *(f"{part}.{f}" for part, cls in nested.items() for f in cls.model_fields)]
    if slug not in MODELS and slug not in PRESETS:
        raise unknown("model, preset or plan", slug, target_slugs())
    return [*model_class(slug).model_fields, *(_MARKET + f for f in Market.model_fields)]


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
        fields["market"] = {**(base or {}), **market}
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
