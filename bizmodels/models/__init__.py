"""The ten private-domain business models of seed 000, and the registry that lists them.

`MODELS` maps each slug to its class, in seed 000's order; `get_model` builds one by slug.
Adding an eleventh model is one new module declaring a `BusinessModel` subclass with a new
``key``, and one import line below.
"""

from __future__ import annotations

from typing import Any

from bizmodels.models._base import MODELS, BusinessModel, Check, DuplicateModelError
from bizmodels.models.toc_membership import TocMembership


def get_model(slug: str, **fields: Any) -> BusinessModel:
    """Build a model by its slug, with field overrides.

    Raises
    ------
    KeyError
        An unknown slug, listing the valid ones.
    pydantic.ValidationError
        An unknown field or a bad value, naming the model and the field.

    Examples
    --------
    >>> get_model("toc_membership").key
    'toc_membership'
    """
    try:
        cls = MODELS[slug]
    except KeyError:
        raise KeyError(f"unknown model {slug!r}; valid: {', '.join(MODELS)}") from None
    return cls(**fields)


__all__ = [
    "MODELS",
    "BusinessModel",
    "Check",
    "DuplicateModelError",
    "TocMembership",
    "get_model",
]
