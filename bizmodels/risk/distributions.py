"""Probability distributions over a field's value, as typed, validated objects.

Each distribution is a frozen pydantic model with a ``kind`` tag, so that a scenario file can
carry it (`distribution_from_dict`) and a bad parameter is refused on construction with an
error naming it (a negative scale, ``low > high``, a beta shape ≤ 0). ``sample(rng, size)``
draws float64 values from a `numpy.random.Generator`.
"""

from __future__ import annotations

import itertools
import math
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, TypeAdapter, model_validator

from bizmodels.risk._fields import FloatArray

Finite = Annotated[float, Field(allow_inf_nan=False)]
"""A finite float parameter."""


class Distribution(BaseModel):
    """Base of the distributions: frozen, no unknown parameters, finite numbers."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        """Draw ``size`` values."""
        raise NotImplementedError


def _ordered(name: str, *pairs: tuple[str, float]) -> None:
    for (a, x), (b, y) in itertools.pairwise(pairs):
        if x > y:
            raise ValueError(f"{name}: {a} ({x:g}) > {b} ({y:g})")
    (first, low), (last, high) = pairs[0], pairs[-1]
    if not math.isfinite(high - low):
        # numpy draws low + (high − low) × u: a width beyond float64 cannot be drawn
        raise ValueError(
            f"{name}: {last} − {first} ({high:g} − {low:g}) overflows float64; "
            "give a narrower range"
        )


class Uniform(Distribution):
    """Every value between ``low`` and ``high`` equally likely (``low == high``: a constant).

    Examples
    --------
    >>> Uniform(low=150, high=250)
    Uniform(kind='uniform', low=150.0, high=250.0)
    """

    kind: Literal["uniform"] = "uniform"
    low: Finite
    high: Finite

    @model_validator(mode="after")
    def _check(self) -> Uniform:
        _ordered("Uniform", ("low", self.low), ("high", self.high))
        return self

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        """Draw ``size`` values."""
        return rng.uniform(self.low, self.high, size)


class Triangular(Distribution):
    """The triangular distribution from ``low`` through the most likely ``mode`` to ``high``.

    Examples
    --------
    >>> Triangular(low=5_000, mode=10_000, high=20_000).mode
    10000.0
    """

    kind: Literal["triangular"] = "triangular"
    low: Finite
    mode: Finite
    high: Finite

    @model_validator(mode="after")
    def _check(self) -> Triangular:
        _ordered("Triangular", ("low", self.low), ("mode", self.mode), ("high", self.high))
        return self

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        """Draw ``size`` values."""
        if self.low == self.high:  # numpy refuses a triangle of zero width
            return np.full(size, self.low)
        return rng.triangular(self.low, self.mode, self.high, size)


class Normal(Distribution):
    """The normal distribution (``sd`` ≥ 0; 0 gives the constant ``mean``).

    A normal is unbounded: draws outside the field's valid range are clipped to it and
    counted (`MonteCarloResult.clipped`).

    Examples
    --------
    >>> Normal(mean=60, sd=5).sd
    5.0
    """

    kind: Literal["normal"] = "normal"
    mean: Finite
    sd: Finite = Field(ge=0, description="Standard deviation (the scale), ≥ 0.")

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        """Draw ``size`` values."""
        return rng.normal(self.mean, self.sd, size)


class LogNormal(Distribution):
    """A positive value whose logarithm is normal, with mean ``mu`` and scale ``sigma`` ≥ 0.

    `LogNormal.from_mean_sd` builds one from the mean and standard deviation of the value
    itself.

    Examples
    --------
    >>> d = LogNormal.from_mean_sd(100, 20)
    >>> round(d.mu, 4), round(d.sigma, 4)
    (4.5856, 0.198)
    """

    kind: Literal["lognormal"] = "lognormal"
    mu: Finite
    sigma: Finite = Field(ge=0, description="Standard deviation of the logarithm, ≥ 0.")

    @classmethod
    def from_mean_sd(cls, mean: float, sd: float) -> LogNormal:
        """The lognormal whose values have this mean (> 0) and standard deviation (≥ 0).

        Raises
        ------
        ValueError
            A mean ≤ 0 or a negative standard deviation.
        """
        if not mean > 0:
            raise ValueError(f"LogNormal: mean must be > 0, got {mean!r}")
        if not sd >= 0:
            raise ValueError(f"LogNormal: sd must be ≥ 0, got {sd!r}")
        sigma2 = math.log1p((sd / mean) ** 2)
        return cls(mu=math.log(mean) - sigma2 / 2, sigma=math.sqrt(sigma2))

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        """Draw ``size`` values."""
        return rng.lognormal(self.mu, self.sigma, size)


class Beta(Distribution):
    """The beta distribution with shapes ``a``, ``b`` > 0, stretched onto [``low``, ``high``].

    On [0, 1] by default: a natural prior for a rate.

    Examples
    --------
    >>> Beta(a=2, b=30).high
    1.0
    """

    kind: Literal["beta"] = "beta"
    a: Finite = Field(gt=0, description="First shape parameter, > 0.")
    b: Finite = Field(gt=0, description="Second shape parameter, > 0.")
    low: Finite = 0.0
    high: Finite = 1.0

    @model_validator(mode="after")
    def _check(self) -> Beta:
        _ordered("Beta", ("low", self.low), ("high", self.high))
        return self

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        """Draw ``size`` values."""
        return self.low + (self.high - self.low) * rng.beta(self.a, self.b, size)


class Empirical(Distribution):
    """Values drawn with replacement from an observed sample, each equally likely.

    Examples
    --------
    >>> Empirical(values=[0.42, 0.51, 0.55]).values
    (0.42, 0.51, 0.55)
    """

    kind: Literal["empirical"] = "empirical"
    values: tuple[Finite, ...] = Field(min_length=1, description="The observed values.")
    _array: FloatArray = PrivateAttr()

    def model_post_init(self, context: Any, /) -> None:
        """Keep the values as an array once, not per draw."""
        self._array = np.asarray(self.values, dtype=np.float64)

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        """Draw ``size`` values."""
        return self._array[rng.integers(0, self._array.size, size)]

    # pydantic's equality would also compare the private array, element-wise and ambiguous;
    # the values say everything the array does
    def __eq__(self, other: object) -> bool:
        return isinstance(other, Empirical) and self.values == other.values

    def __hash__(self) -> int:
        return hash((self.kind, self.values))


AnyDistribution = Annotated[
    Uniform | Triangular | Normal | LogNormal | Beta | Empirical, Field(discriminator="kind")
]
"""Any of the distributions, told apart by ``kind`` (for scenario files)."""

_ADAPTER: TypeAdapter[Any] = TypeAdapter(AnyDistribution)


def distribution_from_dict(data: dict[str, Any]) -> Distribution:
    """Build a distribution from a dict with its ``kind`` and parameters.

    Raises
    ------
    pydantic.ValidationError
        An unknown kind, a missing or bad parameter, naming it.

    Examples
    --------
    >>> distribution_from_dict({"kind": "normal", "mean": 60, "sd": 5})
    Normal(kind='normal', mean=60.0, sd=5.0)
    """
    result: Distribution = _ADAPTER.validate_python(data)
    return result


def market_uncertainty(market: Any) -> dict[str, Distribution]:
    """A default uncertainty around a market, for a first Monte Carlo run (assumption).

    Price normal with a 10% standard deviation; unit cost triangular from 90% to 130% of
    its value (costs overrun more often than they undershoot); refund rate uniform from
    half to double its value (within [0, 1]); reachable customers triangular from 50% to
    120% (a target market is easier to overestimate). Every figure here is an assumption:
    put your own in a scenario file's ``distributions``.

    Examples
    --------
    >>> from bizmodels.market import Market
    >>> sorted(market_uncertainty(Market()))
    ['customers', 'price', 'refund_rate', 'unit_cost']
    """
    price, cost = float(market.price), float(market.unit_cost)
    refund, customers = float(market.refund_rate), float(market.customers)
    return {
        "price": Normal(mean=price, sd=price / 10),
        "unit_cost": Triangular(low=cost * 0.9, mode=cost, high=cost * 1.3),
        "refund_rate": Uniform(low=refund / 2, high=min(1.0, refund * 2)),
        "customers": Triangular(low=customers / 2, mode=customers, high=customers * 1.2),
    }


__all__ = [
    "AnyDistribution",
    "Beta",
    "Distribution",
    "Empirical",
    "LogNormal",
    "Normal",
    "Triangular",
    "Uniform",
    "distribution_from_dict",
    "market_uncertainty",
]
