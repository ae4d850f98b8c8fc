"""The ten private-domain business models of seed 000, and the registry that lists them.

`MODELS` maps each slug to its class, in seed 000's order; `get_model` builds one by slug.
Adding an eleventh model is one new module declaring a `BusinessModel` subclass with a new
``key``, and one import line below (docs/how-to/add-a-model.md shows one).
"""

from __future__ import annotations

from typing import Any

# the field types a model declares its parameters with
from bizmodels._types import Amount, Count, Customers, Periods, Rate, Yuan, param
from bizmodels.models._base import (
    MODELS,
    VARIANTS,
    BusinessModel,
    Check,
    DuplicateModelError,
    PoolModel,
)

# The ten of seed 000, in the seed's order: the registry keeps the order of these imports.
from bizmodels.models.toc_membership import TocMembership  # isort: skip
from bizmodels.models.toc_leaders_streamers import TocLeadersStreamers  # isort: skip
from bizmodels.models.toc_two_level_distribution import TocTwoLevelDistribution  # isort: skip
from bizmodels.models.tob_recruitment import TobRecruitment  # isort: skip
from bizmodels.models.dual_toc_tob import DualTocTob  # isort: skip
from bizmodels.models.online_to_offline import OnlineToOffline  # isort: skip
from bizmodels.models.offline_to_online import OfflineToOnline  # isort: skip
from bizmodels.models.omnichannel import Omnichannel  # isort: skip
from bizmodels.models.tob_online import TobOnline  # isort: skip
from bizmodels.models.tob_offline import TobOffline  # isort: skip
from bizmodels.models.marketplace_shop import MarketplaceShop  # noqa: F401  (variant) # isort: skip
from bizmodels.models.price_ladder import PriceLadder  # noqa: F401  (variant) # isort: skip


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
    "VARIANTS",
    "Amount",
    "BusinessModel",
    "Check",
    "Count",
    "Customers",
    "DualTocTob",
    "DuplicateModelError",
    "OfflineToOnline",
    "Omnichannel",
    "OnlineToOffline",
    "Periods",
    "PoolModel",
    "Rate",
    "TobOffline",
    "TobOnline",
    "TobRecruitment",
    "TocLeadersStreamers",
    "TocMembership",
    "TocTwoLevelDistribution",
    "Yuan",
    "get_model",
    "param",
]
