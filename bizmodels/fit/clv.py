r"""Fit how often customers buy, when they stop, and what they spend, from an order log.

Two "buy till you die" models, fitted with pymc-marketing (the optional extra ``fit``):

BG/NBD (Fader, Hardie & Lee 2005)
    While active, a customer buys at rate λ (a Poisson process); after each purchase they
    drop out for good with probability p. Across customers λ ~ Gamma(r, α) (shape r, rate
    α) and p ~ Beta(a, b). A customer's calibration history enters only through
    frequency x (repeat purchases), recency t_x (time of the last) and age T (time since
    the first), and the log-likelihood of one customer is

    .. math::

        \ell = \ln\frac{\Gamma(r+x)\,\alpha^r}{\Gamma(r)}
            + \ln\frac{B(a, b+x)}{B(a, b)}
            + \ln\Big[(\alpha+T)^{-(r+x)}
            + \delta_{x>0}\,\frac{a}{b+x-1}\,(\alpha+t_x)^{-(r+x)}\Big]

Gamma-Gamma (Fader & Hardie 2013)
    Each order's value is Gamma(p, ν), and ν ~ Gamma(q, v) across customers, independent of
    the purchase process; fitted on the mean repeat spend z̄ of customers with x > 0. The
    expected spend per order of a new customer is ``p v / (q − 1)``.

The fit is the maximum of the likelihood (pymc-marketing's MAP under flat priors, which is
the maximum-likelihood estimate; ``method="mcmc"`` samples the posterior instead). Standard
errors come from the inverse of the observed information: the Hessian of the log-likelihood
above, by central differences on the log parameters, at the estimate; they are carried to
the parameters by the delta method (``se(θ) = θ · se(log θ)``).

A calibration / holdout split checks the fit on data it has not seen: each customer's
expected repeat purchases after the calibration end (Fader, Hardie & Lee 2005, eq. 10)
against the purchases they made.

References
----------
Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). "Counting your customers" the easy way:
an alternative to the Pareto/NBD model. Marketing Science 24(2), 275-284.

Fader, P. S. & Hardie, B. G. S. (2013). The Gamma-Gamma model of monetary value.
http://www.brucehardie.com/notes/025/gamma_gamma.pdf
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from bizmodels.risk._fields import FloatArray

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from bizmodels.io import Scenario
    from bizmodels.market import Market
    from bizmodels.risk.distributions import Distribution

# pandas is typed as Any: optional (the fit extra), and its stubs are not required
DataFrame = Any
Series = Any

__all__ = [
    "DAYS_PER_MONTH",
    "FIT_EXTRA",
    "HoldoutTotal",
    "OrderFit",
    "bgnbd_expected_purchases",
    "bgnbd_log_likelihood",
    "conditional_expected_purchases",
    "conversion_field_of",
    "fit_orders",
    "fit_summary",
    "gamma_gamma_log_likelihood",
    "probability_alive",
]

FIT_EXTRA = "fitting needs pymc-marketing: pip install 'bizmodels[fit]'"

DAYS_PER_MONTH = 365.25 / 12
"""Days in the average month of the Julian year (30.4375): months ↔ days and weeks."""

_UNIT_DAYS = {"D": 1.0, "W": 7.0, "M": DAYS_PER_MONTH}
_UNIT_NAMES = {"D": "days", "W": "weeks", "M": "months"}

PURCHASE_PARAMS = ("r", "alpha", "a", "b")
SPEND_PARAMS = ("p", "q", "v")


# -- the models' formulas (numpy and scipy.special: no pymc needed) ---------------------


def _special() -> Any:
    try:
        from scipy import special  # type: ignore[import-untyped,unused-ignore]
    except ImportError:  # pragma: no cover - scipy comes with the fit extra
        raise ImportError(FIT_EXTRA) from None
    return special


def bgnbd_log_likelihood(
    r: float, alpha: float, a: float, b: float, frequency: Any, recency: Any, T: Any
) -> FloatArray:
    """Each customer's BG/NBD log-likelihood (Fader, Hardie & Lee 2005, eq. 6).

    Parameters
    ----------
    r, alpha, a, b : float
        The purchase-rate Gamma (shape r, rate α) and the dropout Beta (a, b), all > 0.
    frequency, recency, T : array_like
        Repeat purchases x, time of the last purchase t_x and age T, in the fit's time unit.

    Returns
    -------
    float64 ndarray
        One log-likelihood per customer.

    Examples
    --------
    A customer who never came back after the first order, observed for 10 weeks: the
    likelihood is ``(α / (α + T))^r``, with r = 1 and α = 10 one half.

    >>> round(float(np.exp(bgnbd_log_likelihood(1, 10, 1, 1, [0], [0], [10])[0])), 12)
    0.5
    """
    sp = _special()
    x = np.asarray(frequency, dtype=np.float64)
    t_x = np.asarray(recency, dtype=np.float64)
    age = np.asarray(T, dtype=np.float64)
    head = (
        sp.gammaln(r + x)
        - sp.gammaln(r)
        + r * math.log(alpha)
        + sp.gammaln(a + b)
        + sp.gammaln(b + x)
        - sp.gammaln(b)
        - sp.gammaln(a + b + x)
    )
    alive = -(r + x) * np.log(alpha + age)
    with np.errstate(divide="ignore", invalid="ignore"):
        # the second term exists only for x > 0 (a customer who dropped out after a repeat)
        gone = np.where(
            x > 0, np.log(a) - np.log(b + x - 1) - (r + x) * np.log(alpha + t_x), -np.inf
        )
    return np.asarray(head + np.logaddexp(alive, gone), dtype=np.float64)


def gamma_gamma_log_likelihood(
    p: float, q: float, v: float, frequency: Any, monetary_value: Any
) -> FloatArray:
    """Each customer's log-density of their mean repeat spend (Fader & Hardie 2013, eq. 1a).

    Parameters
    ----------
    p, q, v : float
        Order values Gamma(p, ν), ν ~ Gamma(q, v); all > 0.
    frequency, monetary_value : array_like
        Repeat purchases x > 0 and their mean value z̄.

    Returns
    -------
    float64 ndarray
        One log-density per customer.

    Examples
    --------
    One repeat order (x = 1) with p = 1, q = 1, v = 1: the value's density is
    ``1 / (1 + z)²``, a quarter at z = 1.

    >>> round(float(np.exp(gamma_gamma_log_likelihood(1, 1, 1, [1], [1.0])[0])), 12)
    0.25
    """
    sp = _special()
    x = np.asarray(frequency, dtype=np.float64)
    z = np.asarray(monetary_value, dtype=np.float64)
    px = p * x
    return np.asarray(
        sp.gammaln(px + q)
        - sp.gammaln(px)
        - sp.gammaln(q)
        + q * math.log(v)
        + (px - 1) * np.log(z)
        + px * np.log(x)
        - (px + q) * np.log(x * z + v),
        dtype=np.float64,
    )


def bgnbd_expected_purchases(t: Any, r: float, alpha: float, a: float, b: float) -> Any:
    r"""Expected repeat purchases of a new customer in their first ``t`` periods (eq. 9).

    .. math::

        E[X(t)] = \frac{a+b-1}{a-1}\Big[1 - \Big(\frac{\alpha}{\alpha+t}\Big)^r
            {}_2F_1\Big(r, b; a+b-1; \frac{t}{\alpha+t}\Big)\Big]

    Examples
    --------
    How many repeat purchases does a new customer make in a year, with Fader, Hardie & Lee
    (2005)'s CDNOW estimates (in weeks)?

    >>> round(float(bgnbd_expected_purchases(52, 0.243, 4.414, 0.793, 2.426)), 2)
    1.45
    """
    sp = _special()
    t = np.asarray(t, dtype=np.float64)
    value = (
        (a + b - 1)
        / (a - 1)
        * (1 - (alpha / (alpha + t)) ** r * sp.hyp2f1(r, b, a + b - 1, t / (alpha + t)))
    )
    return value


def probability_alive(
    r: float, alpha: float, a: float, b: float, frequency: Any, recency: Any, T: Any
) -> FloatArray:
    """The probability that each customer is still active at the end of calibration.

    ``1 / (1 + δ_{x>0} a/(b+x−1) ((α+T)/(α+t_x))^{r+x})`` (Fader, Hardie & Lee 2008).

    Examples
    --------
    >>> probability_alive(1, 1, 1, 1, [0], [0], [10]).tolist()
    [1.0]
    """
    x = np.asarray(frequency, dtype=np.float64)
    t_x = np.asarray(recency, dtype=np.float64)
    age = np.asarray(T, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        odds = np.where(
            x > 0,
            np.exp(
                np.log(a)
                - np.log(np.maximum(b + x - 1, 1e-300))
                + (r + x) * (np.log(alpha + age) - np.log(alpha + t_x))
            ),
            0.0,
        )
    return np.asarray(1 / (1 + odds), dtype=np.float64)


def conditional_expected_purchases(
    t: float, r: float, alpha: float, a: float, b: float, frequency: Any, recency: Any, T: Any
) -> FloatArray:
    """Each customer's expected repeat purchases in the ``t`` periods after calibration (eq. 10).

    Examples
    --------
    Two CDNOW customers over the next 39 weeks: one who has not come back in 30 weeks, one
    who bought 4 more times, the last a week ago:

    >>> conditional_expected_purchases(39, 0.243, 4.414, 0.793, 2.426,
    ...                                [0, 4], [0, 29], [30, 30]).round(2).tolist()
    [0.24, 3.21]
    """
    sp = _special()
    x = np.asarray(frequency, dtype=np.float64)
    age = np.asarray(T, dtype=np.float64)
    ratio = (alpha + age) / (alpha + age + t)
    bracket = 1 - ratio ** (r + x) * sp.hyp2f1(r + x, b + x, a + b + x - 1, t / (alpha + age + t))
    expected = (a + b + x - 1) / (a - 1) * bracket
    return np.asarray(expected * probability_alive(r, alpha, a, b, x, recency, T), np.float64)


def _hessian(f: Callable[[FloatArray], float], theta: FloatArray) -> FloatArray:
    """The Hessian of ``f`` at ``theta`` by central differences (step ∝ |θ|, ε^(1/4))."""
    k = theta.size
    h = 1e-4 * np.maximum(np.abs(theta), 1.0)
    hess = np.empty((k, k))
    for i in range(k):
        for j in range(i, k):
            ei, ej = np.zeros(k), np.zeros(k)
            ei[i], ej[j] = h[i], h[j]
            value = (
                f(theta + ei + ej) - f(theta + ei - ej) - f(theta - ei + ej) + f(theta - ei - ej)
            ) / (4 * h[i] * h[j])
            hess[i, j] = hess[j, i] = value
    return hess


def _log_covariance(log_likelihood: Callable[[FloatArray], float], log_theta: FloatArray) -> Any:
    """Covariance of the log parameters: the inverse of the observed information."""
    information = -_hessian(log_likelihood, log_theta)
    try:
        covariance = np.linalg.inv(information)
    except np.linalg.LinAlgError:
        raise ValueError(
            "the fit's information matrix is singular: the data do not identify the "
            "parameters (too few customers, or too few repeat purchases)"
        ) from None
    if not np.all(np.diag(covariance) > 0):
        raise ValueError(
            "the fit did not reach a maximum of the likelihood (its information matrix is "
            "not positive definite); too few customers or repeat purchases to fit"
        )
    return covariance


# -- fitting with pymc-marketing ---------------------------------------------------------


def _clv_module() -> Any:
    try:
        with warnings.catch_warnings():
            # arviz and pymc announce refactors on import; they say nothing about the fit
            warnings.simplefilter("ignore")
            from pymc_extras.prior import Prior  # type: ignore[import-untyped,unused-ignore]
            from pymc_marketing import clv  # type: ignore[import-untyped,unused-ignore]
    except ImportError:
        raise ImportError(FIT_EXTRA) from None
    return clv, Prior


def _run(model: Any, data: Any, method: str, draws: int, seed: int) -> dict[str, FloatArray]:
    """Fit a pymc-marketing model; the posterior draws of each parameter (one for MAP)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if method == "map":
            idata = model.fit(data, method="map", progressbar=False)
        else:
            idata = model.fit(
                data,
                method="mcmc",
                draws=draws,
                tune=draws,
                chains=2,
                cores=1,
                progressbar=False,
                random_seed=seed,
            )
    posterior = idata.posterior
    return {
        name: np.asarray(posterior[name].values, dtype=np.float64).ravel()
        for name in posterior.data_vars
    }


def _fit_purchases(
    summary: DataFrame, method: str, draws: int, seed: int
) -> tuple[dict[str, float], FloatArray, FloatArray | None]:
    clv, Prior = _clv_module()
    # flat priors on a and b themselves: the MAP is then the maximum-likelihood estimate
    config = {name: Prior("HalfFlat") for name in PURCHASE_PARAMS}
    data = summary[["customer_id", "frequency", "recency", "T"]]
    post = _run(clv.BetaGeoModel(model_config=config), data, method, draws, seed)
    params = {name: float(np.mean(post[name])) for name in PURCHASE_PARAMS}
    x, t_x, age = (summary[c].to_numpy(np.float64) for c in ("frequency", "recency", "T"))

    def log_likelihood(log_theta: FloatArray) -> float:
        r, alpha, a, b = np.exp(log_theta)
        return float(bgnbd_log_likelihood(r, alpha, a, b, x, t_x, age).sum())

    log_theta = np.log([params[n] for n in PURCHASE_PARAMS])
    samples = (
        None if method == "map" else np.log(np.column_stack([post[n] for n in PURCHASE_PARAMS]))
    )
    covariance = (
        _log_covariance(log_likelihood, log_theta) if samples is None else np.cov(samples.T)
    )
    return params, covariance, samples


def _fit_spend(
    summary: DataFrame, method: str, draws: int, seed: int
) -> tuple[dict[str, float], FloatArray, FloatArray | None, int]:
    repeat = summary[summary["frequency"] > 0]
    if len(repeat) < 10:
        raise ValueError(
            f"the spend model needs customers with repeat purchases: {len(repeat)} of "
            f"{len(summary):,} have one (at least 10 are needed)"
        )
    clv, Prior = _clv_module()
    config = {name: Prior("HalfFlat") for name in SPEND_PARAMS}
    data = repeat[["customer_id", "frequency", "monetary_value"]]
    post = _run(clv.GammaGammaModel(model_config=config), data, method, draws, seed)
    params = {name: float(np.mean(post[name])) for name in SPEND_PARAMS}
    x = repeat["frequency"].to_numpy(np.float64)
    z = repeat["monetary_value"].to_numpy(np.float64)

    def log_likelihood(log_theta: FloatArray) -> float:
        p, q, v = np.exp(log_theta)
        return float(gamma_gamma_log_likelihood(p, q, v, x, z).sum())

    log_theta = np.log([params[n] for n in SPEND_PARAMS])
    samples = None if method == "map" else np.log(np.column_stack([post[n] for n in SPEND_PARAMS]))
    covariance = (
        _log_covariance(log_likelihood, log_theta) if samples is None else np.cov(samples.T)
    )
    return params, covariance, samples, len(repeat)


# -- the result --------------------------------------------------------------------------


@dataclass(frozen=True)
class HoldoutTotal:
    """Repeat purchases of all customers after the calibration end: predicted and actual.

    ``sd`` is the standard deviation of the actual total about the prediction if the model
    is right: the purchases' own chance (each customer's holdout simulated from their
    posterior, given their history) and the parameters' uncertainty (the predicted total's
    spread over them), added in quadrature; ``z = (actual − predicted) / sd`` beyond ±2 says
    the model misses the holdout.
    """

    predicted: float
    actual: float
    sd: float
    customers: int
    periods: float

    @property
    def z(self) -> float:
        """How many sampling standard deviations the actual total is from the prediction."""
        return (self.actual - self.predicted) / self.sd if self.sd > 0 else 0.0


@dataclass(frozen=True, eq=False)
class OrderFit:
    """A BG/NBD purchase model and a Gamma-Gamma spend model fitted to one order log.

    Attributes
    ----------
    purchase_params : dict
        BG/NBD ``{"r", "alpha", "a", "b"}``, in the fit's time unit.
    spend_params : dict
        Gamma-Gamma ``{"p", "q", "v"}``, in the log's currency (yuan).
    standard_errors : dict
        Parameter → standard error (observed information, delta method; the posterior
        standard deviation with ``method="mcmc"``).
    customers : int
        Customers in the calibration period.
    repeat_customers : int
        Of them, those with a repeat purchase (the spend model's data).
    time_unit : {"D", "W", "M"}
        The unit of recency, age and the purchase rate.
    calibration_end : str or None
        The last date of the calibration period.
    source : str
        Where the orders came from (a file's name, "a DataFrame", a query).
    holdout : pandas.DataFrame or None
        Per customer: ``frequency``, ``recency``, ``T``, ``p_alive``, ``predicted`` and
        ``actual`` repeat purchases in the holdout; None without a holdout.
    holdout_total : HoldoutTotal or None
        The totals, with the sampling error of the actual total.
    method : {"map", "mcmc"}
        How the parameters were estimated.
    """

    purchase_params: dict[str, float]
    spend_params: dict[str, float]
    standard_errors: dict[str, float]
    customers: int
    repeat_customers: int
    time_unit: str
    calibration_end: str | None
    source: str
    holdout: DataFrame | None
    holdout_total: HoldoutTotal | None
    method: str
    _purchase_cov: FloatArray = field(repr=False)
    _spend_cov: FloatArray = field(repr=False)

    # -- predictions ---------------------------------------------------------------------

    @property
    def expected_spend(self) -> float:
        """Expected value of an order of a new customer, ``p v / (q − 1)`` (yuan)."""
        p, q, v = (self.spend_params[n] for n in SPEND_PARAMS)
        if q <= 1:
            raise ValueError(
                f"the spend model's q = {q:.3g} ≤ 1: the mean order value is infinite "
                "(a few very large orders); check the amounts"
            )
        return p * v / (q - 1)

    def expected_purchases(self, horizon: float) -> float:
        """Expected repeat purchases of a new customer within ``horizon`` periods.

        ``horizon`` is in the fit's time unit (weeks with ``time_unit="W"``).

        Examples
        --------
        >>> fit.expected_purchases(52)  # doctest: +SKIP
        1.1
        """
        if not horizon >= 0:
            raise ValueError(f"horizon = {horizon!r}: must be ≥ 0 periods")
        return float(bgnbd_expected_purchases(horizon, **self.purchase_params))

    def _monthly_purchases(self, months: int, params: Mapping[str, float]) -> FloatArray:
        edges = np.arange(months + 1) * (DAYS_PER_MONTH / _UNIT_DAYS[self.time_unit])
        cumulative = np.asarray(bgnbd_expected_purchases(edges, **params), dtype=np.float64)
        return np.diff(cumulative)

    def retention_curve(self, months: int) -> tuple[Decimal, ...]:
        """A new cohort's expected repeat purchases per month, relative to its first month.

        S(k) = (E[X(k+1 months)] − E[X(k months)]) / E[X(1 month)]: 1 in month 0 and never
        rising (a BG/NBD cohort's purchase rate falls as customers drop out), for a model's
        ``retention_curve``. Rounded to four decimals.

        Examples
        --------
        >>> fit.retention_curve(3)  # doctest: +SKIP
        (Decimal('1'), Decimal('0.8170'), Decimal('0.7104'))
        """
        if not (isinstance(months, int) and 1 <= months <= 1200):
            raise ValueError(f"months = {months!r}: must be a whole number from 1 to 1,200")
        per_month = self._monthly_purchases(months, self.purchase_params)
        relative = np.minimum.accumulate(per_month / per_month[0])
        curve = [Decimal(1)] + [Decimal(f"{value:.4f}").min(Decimal(1)) for value in relative[1:]]
        return tuple(curve)

    # -- into the engine -------------------------------------------------------------------

    def _inputs(self, params: Mapping[str, float]) -> tuple[float, float]:
        """(purchases in a customer's first month, the factor on price when above one)."""
        first = float(self._monthly_purchases(1, params)[0])
        return (first, 1.0) if first <= 1 else (1.0, first)

    def sources(self) -> str:
        """Where the fitted values come from, in one line.

        Examples
        --------
        >>> fit.sources()  # doctest: +SKIP
        'fitted from orders.csv, 2,357 customers, calibration to 1997-09-30'
        """
        where = f", calibration to {self.calibration_end}" if self.calibration_end else ""
        return f"fitted from {self.source}, {self.customers:,} customers{where}"

    def scenario(
        self,
        model_slug: str,
        *,
        market: Market | None = None,
        conversion_field: str | None = None,
        uncertainty: bool = True,
    ) -> Scenario:
        """A scenario of one model or preset with the fitted customers, price and retention.

        GMV = customers × lifetime × conversion × unit price (seed 004), from the fit:
        ``customers`` the customers fitted; ``price`` the expected order value (Gamma-Gamma);
        the model's ``retention_curve`` the fitted monthly curve over its horizon
        (`retention_curve`), continued at the curve's last monthly ratio (``retention``);
        its conversion field (``conversion``, or the first ``…_conversion``) the expected
        repeat purchases of a customer in their first month, so that lifetime × conversion
        is the expected repeat purchases over the horizon. Where a month holds more than one
        purchase, conversion is 1 and the price is a month's spend. With ``uncertainty``
        the fitted parameters' uncertainty goes into the scenario's ``distributions``
        (`distributions`).

        The costs are not in an order log: they are ``market``'s (its customers and price
        replaced by the fitted ones); without one, the default market's costs scaled to the
        fitted price, so that its shares of the price (unit cost 60 and fulfilment 12 of
        199 yuan) stay as they are (`sources` says so).

        Examples
        --------
        >>> scenario = fit.scenario("toc_membership")  # doctest: +SKIP
        >>> scenario.models["toc_membership"].retention_curve[0]  # doctest: +SKIP
        Decimal('1')
        """
        from bizmodels import io

        horizon = int(_resolve_lifetime(model_slug))
        target = conversion_field_of(model_slug, conversion_field)
        conversion, price_factor = self._inputs(self.purchase_params)
        curve = self.retention_curve(max(horizon, 2))
        tail = curve[-1] / curve[-2] if curve[-2] > 0 else Decimal(0)
        overrides: dict[str, Any] = {
            target: Decimal(f"{conversion:.4f}"),
            "retention_curve": curve,
            "retention": tail.quantize(Decimal("0.0001")).min(Decimal(1)),
        }
        market = _fitted_market(
            market, self.customers, Decimal(f"{self.expected_spend * price_factor:.2f}")
        )
        model = io.build(model_slug, market, overrides)
        scenario = io.Scenario(
            market=market, models={model_slug: model}, overrides={model_slug: overrides}
        )
        if uncertainty:
            scenario.distributions.update(self.distributions(model_slug, conversion_field))
        return scenario

    def distributions(
        self,
        model_slug: str,
        conversion_field: str | None = None,
        *,
        draws: int = 2000,
        seed: int = 0,
    ) -> dict[str, Distribution]:
        """The fitted parameters' uncertainty, as distributions of the fields they set.

        The parameters are drawn from their asymptotic normal distribution on the log scale
        (mean the estimate, covariance the inverse observed information; the posterior's
        with ``method="mcmc"``), and each draw gives the first month's purchases and the
        expected order value; their mean and standard deviation make a `Normal` for the
        model's conversion field (``slug.field``) and for ``price``, for
        `bizmodels.risk.monte_carlo`. The retention curve's shape is kept at the estimate.

        Examples
        --------
        >>> sorted(fit.distributions("toc_membership"))  # doctest: +SKIP
        ['price', 'toc_membership.conversion']
        """
        from bizmodels.risk.distributions import Normal

        _resolve_lifetime(model_slug)  # an unknown slug refused in one line
        rng = np.random.default_rng(seed)
        target = conversion_field_of(model_slug, conversion_field)
        log_purchase = np.log([self.purchase_params[n] for n in PURCHASE_PARAMS])
        log_spend = np.log([self.spend_params[n] for n in SPEND_PARAMS])
        purchase = np.exp(rng.multivariate_normal(log_purchase, self._purchase_cov, draws))
        spend = np.exp(rng.multivariate_normal(log_spend, self._spend_cov, draws))
        conversions, prices = [], []
        for (r, alpha, a, b), (p, q, v) in zip(purchase, spend, strict=True):
            if a <= 1e-9 or q <= 1:  # an infinite mean spend: not a draw the engine can use
                continue
            conversion, factor = self._inputs({"r": r, "alpha": alpha, "a": a, "b": b})
            conversions.append(conversion)
            prices.append(p * v / (q - 1) * factor)
        return {
            "price": Normal(mean=float(np.mean(prices)), sd=float(np.std(prices))),
            f"{model_slug}.{target}": Normal(
                mean=float(np.mean(conversions)), sd=float(np.std(conversions))
            ),
        }

    # -- the holdout check -----------------------------------------------------------------

    def holdout_table(self) -> DataFrame:
        """Mean holdout purchases, predicted and actual, by calibration frequency (0 … 7+).

        The table the holdout chart draws; the last row groups 7 repeat purchases or more.
        """
        holdout = self._require_holdout()
        group = holdout["frequency"].clip(upper=7).astype(int)
        table = holdout.groupby(group)[["predicted", "actual"]].mean()
        table["customers"] = holdout.groupby(group).size()
        table.index = [str(k) if k < 7 else "7+" for k in table.index]
        table.index.name = "calibration repeat purchases"
        return table

    def holdout_chart(self, ax: Axes | None = None) -> Figure:
        """Predicted against actual holdout purchases, by calibration frequency.

        Each pair of points is the mean holdout repeat purchases of the customers with that
        many calibration repeat purchases: the model's (eq. 10) and what they did. Lines
        that lie together say the model sorts customers right; the title gives the totals
        and how many sampling standard deviations apart they are. A Figure outside pyplot,
        like `bizmodels.plotting`.
        """
        from bizmodels.plotting import _BLUE, _RED, _canvas

        table = self.holdout_table()
        total = self.holdout_total
        assert total is not None  # set whenever the holdout is
        figure, axes = _canvas((7.0, 4.2), ax)
        positions = np.arange(len(table))
        axes.plot(positions, table["actual"], "o-", color=_BLUE, label="actual")
        axes.plot(positions, table["predicted"], "s--", color=_RED, label="predicted (BG/NBD)")
        axes.set_xticks(positions, list(table.index))
        axes.set_xlabel("repeat purchases in the calibration period")
        unit = _UNIT_NAMES[self.time_unit]
        axes.set_ylabel(f"mean repeat purchases in the {total.periods:g} holdout {unit}")
        axes.set_title(
            f"Holdout: {total.actual:,.0f} purchases actual, {total.predicted:,.0f} predicted "
            f"(z = {total.z:+.2f})",
            fontsize=10,
        )
        axes.legend(frameon=False)
        axes.grid(axis="y", alpha=0.3)
        return figure

    def _require_holdout(self) -> DataFrame:
        if self.holdout is None:
            raise ValueError(
                "this fit has no holdout: give a calibration_end before the log's last order"
            )
        return self.holdout

    def parameter_table(self) -> list[tuple[str, str, float, float]]:
        """(model, parameter, estimate, standard error) rows, for printing."""
        rows = [
            ("BG/NBD", n, self.purchase_params[n], self.standard_errors[n]) for n in PURCHASE_PARAMS
        ]
        rows += [
            ("Gamma-Gamma", n, self.spend_params[n], self.standard_errors[n]) for n in SPEND_PARAMS
        ]
        return rows


def _fitted_market(market: Market | None, customers: int, price: Decimal) -> Market:
    """The market with the fitted customers and price (costs scaled when none is given)."""
    from bizmodels.market import Market

    if market is not None:
        return market.model_copy(update={"customers": Decimal(customers), "price": price})
    default = Market()
    share = price / default.price
    return Market(
        customers=Decimal(customers),
        price=price,
        unit_cost=(default.unit_cost * share).quantize(Decimal("0.01")),
        fulfilment_cost=(default.fulfilment_cost * share).quantize(Decimal("0.01")),
    )


def conversion_field_of(slug: str, conversion_field: str | None = None) -> str:
    """The field of a model or preset that takes the fitted first month's purchases.

    ``conversion_field`` when given (checked), else ``conversion``, else the model's first
    ``…_conversion`` field.

    Examples
    --------
    >>> conversion_field_of("omnichannel")
    'guide_conversion'
    """
    from bizmodels import _resolve

    fields = _resolve.model_class(slug).model_fields
    if conversion_field is not None:
        if conversion_field not in fields:
            raise ValueError(
                f"{slug} has no field {conversion_field!r}; its fields: {', '.join(fields)}"
            )
        return conversion_field
    if "conversion" in fields:
        return "conversion"
    candidates = [name for name in fields if name.endswith("conversion")]
    if not candidates:
        raise ValueError(
            f"{slug} has no conversion field to take the fitted repeat purchases; "
            "name one with conversion_field= (--conversion-field)"
        )
    return candidates[0]


def _resolve_lifetime(slug: str) -> Decimal:
    from bizmodels.presets import resolve

    try:
        return resolve(slug).lifetime
    except KeyError as exc:
        raise ValueError(str(exc.args[0])) from None


# -- the holdout simulation --------------------------------------------------------------


def _simulated_total_sd(
    params: Mapping[str, float],
    frequency: FloatArray,
    alive: FloatArray,
    T: FloatArray,
    periods: float,
    *,
    replicates: int = 40,
    seed: int = 0,
) -> float:
    """Sampling sd of the holdout total if the fitted model is true, by simulation.

    Given a customer's history, they are alive with probability `probability_alive`; an
    active customer's rate is Gamma(r + x, α + T) and their dropout probability
    Beta(a, b + x), independently (the posterior of the BG/NBD given survival to T); each
    replicate then runs their purchases over the holdout.
    """
    rng = np.random.default_rng(seed)
    r, alpha, a, b = (params[n] for n in PURCHASE_PARAMS)
    totals = np.zeros(replicates)
    n = frequency.size
    for k in range(replicates):
        active = rng.random(n) < alive
        idx = np.flatnonzero(active)
        rate = rng.gamma(r + frequency[idx], 1 / (alpha + T[idx]))
        dropout = rng.beta(a, b + frequency[idx])
        clock = np.zeros(idx.size)
        count = 0
        while idx.size:
            clock += rng.exponential(1 / rate)
            bought = clock < periods
            count += int(bought.sum())
            stay = bought & (rng.random(idx.size) >= dropout)
            idx, rate, dropout, clock = idx[stay], rate[stay], dropout[stay], clock[stay]
        totals[k] = count
    return float(np.std(totals, ddof=1))


# -- entry points ------------------------------------------------------------------------


_SUMMARY_COLUMNS = ("frequency", "recency", "T", "monetary_value")


def _check_summary(summary: DataFrame) -> DataFrame:
    import pandas as pd  # type: ignore[import-untyped,unused-ignore]

    missing = [c for c in _SUMMARY_COLUMNS if c not in summary.columns]
    if missing:
        raise ValueError(
            f"the customer summary lacks the column(s) {', '.join(missing)}; it needs "
            f"{', '.join(_SUMMARY_COLUMNS)} (one row per customer)"
        )
    if len(summary) < 10:
        raise ValueError(f"{len(summary)} customers: at least 10 are needed to fit")
    frame = pd.DataFrame(
        {
            "customer_id": summary["customer_id"].to_numpy()
            if "customer_id" in summary.columns
            else summary.index.to_numpy(),
            **{c: summary[c].to_numpy(np.float64) for c in _SUMMARY_COLUMNS},
        }
    )
    checks = {
        "frequency": frame["frequency"] >= 0,
        "recency": (frame["recency"] >= 0) & (frame["recency"] <= frame["T"]),
        "T": frame["T"] >= 0,
        "monetary_value": (frame["frequency"] == 0) | (frame["monetary_value"] > 0),
    }
    for column, ok in checks.items():
        bad = np.flatnonzero(~ok.to_numpy())
        if bad.size:
            first = bad[0]
            who = frame["customer_id"].iloc[first]
            who = who.item() if hasattr(who, "item") else who
            value = float(frame[column].iloc[first])
            age = float(frame["T"].iloc[first])
            raise ValueError(
                f"customer {who!r}: {column} = {value:g} (T = {age:g}) is not valid "
                f"(frequency ≥ 0, 0 ≤ recency ≤ T, a repeat buyer's mean spend > 0); "
                f"{bad.size:,} customer(s) like it"
            )
    return frame


def fit_summary(
    summary: DataFrame,
    *,
    holdout_counts: Series | DataFrame | None = None,
    holdout_periods: float | None = None,
    time_unit: Literal["D", "W", "M"] = "W",
    calibration_end: str | None = None,
    source: str = "a customer summary",
    method: Literal["map", "mcmc"] = "map",
    draws: int = 1000,
    seed: int = 0,
) -> OrderFit:
    """Fit BG/NBD and Gamma-Gamma to a per-customer summary (one row per customer).

    Parameters
    ----------
    summary : pandas.DataFrame
        Columns ``frequency`` (repeat purchases), ``recency`` and ``T`` (in ``time_unit``),
        ``monetary_value`` (mean repeat spend); the customer in ``customer_id`` or the
        index.
    holdout_counts : pandas.Series or DataFrame, optional
        Repeat purchases per customer (same ids) after the calibration end: a Series by
        customer, or `OrderLog.holdout_counts` (``customer_id``, ``holdout_frequency``).
    holdout_periods : float, optional
        Length of the holdout, in ``time_unit``; needed with ``holdout_counts``.
    time_unit : {"D", "W", "M"}
        Days, weeks or months.
    calibration_end, source : str
        For the fit's sources line.
    method : {"map", "mcmc"}
        Maximum likelihood (pymc-marketing's MAP under flat priors) or posterior sampling
        (NUTS, two chains of ``draws`` after as many tuning steps).

    Examples
    --------
    >>> fit = fit_summary(summary, time_unit="W")  # doctest: +SKIP
    """
    if time_unit not in _UNIT_DAYS:
        raise ValueError(f"time_unit = {time_unit!r}: must be one of D, W, M")
    if method not in ("map", "mcmc"):
        raise ValueError(f"method = {method!r}: must be 'map' or 'mcmc'")
    frame = _check_summary(summary)
    purchase, purchase_cov, purchase_draws = _fit_purchases(frame, method, draws, seed)
    spend, spend_cov, _, repeat = _fit_spend(frame, method, draws, seed)
    standard_errors = {
        name: float(value * math.sqrt(purchase_cov[i, i]))
        for i, (name, value) in enumerate(purchase.items())
    }
    standard_errors |= {
        name: float(value * math.sqrt(spend_cov[i, i]))
        for i, (name, value) in enumerate(spend.items())
    }
    holdout, total = None, None
    if holdout_counts is not None:
        if holdout_periods is None or not holdout_periods > 0:
            raise ValueError(
                f"holdout_periods = {holdout_periods!r}: the holdout needs a length > 0"
            )
        holdout, total = _holdout(
            frame, purchase, holdout_counts, holdout_periods, seed, purchase_cov, purchase_draws
        )
    return OrderFit(
        purchase_params=purchase,
        spend_params=spend,
        standard_errors=standard_errors,
        customers=len(frame),
        repeat_customers=repeat,
        time_unit=time_unit,
        calibration_end=calibration_end,
        source=source,
        holdout=holdout,
        holdout_total=total,
        method=method,
        _purchase_cov=purchase_cov,
        _spend_cov=spend_cov,
    )


def _holdout(
    frame: DataFrame,
    params: Mapping[str, float],
    holdout_counts: Series | DataFrame,
    periods: float,
    seed: int,
    log_covariance: FloatArray,
    log_draws: FloatArray | None = None,
) -> tuple[DataFrame, HoldoutTotal]:
    """The per-customer holdout table and its totals.

    With posterior draws (``method="mcmc"``) the predictions are averaged over up to 200
    of them (the posterior predictive mean), not computed at the posterior mean: the
    posterior of a and b is skewed, and the prediction is not linear in them. The total's
    standard deviation adds, in quadrature, the spread of the predicted total over the
    parameters' uncertainty (those draws, or 50 from the asymptotic normal of the MLE) to
    the simulated spread of the purchases themselves.
    """
    x, t_x, age = (frame[c].to_numpy(np.float64) for c in ("frequency", "recency", "T"))
    ids = frame["customer_id"]
    counts = holdout_counts
    if hasattr(counts, "columns"):  # an OrderLog's table: customer_id, holdout_frequency
        counts = counts.set_index("customer_id")["holdout_frequency"]
    actual = counts.reindex(ids.to_numpy()).fillna(0).to_numpy(np.float64)
    point = np.log([params[n] for n in PURCHASE_PARAMS])
    if log_draws is None:
        r, alpha, a, b = np.exp(point)
        alive = probability_alive(r, alpha, a, b, x, t_x, age)
        predicted = conditional_expected_purchases(periods, r, alpha, a, b, x, t_x, age)
        rng = np.random.default_rng(seed)
        spread = rng.multivariate_normal(point, log_covariance, 50)
    else:
        spread = log_draws[:: max(1, len(log_draws) // 200)]
    totals = []
    alive_sum, predicted_sum = np.zeros(len(frame)), np.zeros(len(frame))
    for r, alpha, a, b in np.exp(spread):
        each = conditional_expected_purchases(periods, r, alpha, a, b, x, t_x, age)
        totals.append(float(each.sum()))
        predicted_sum += each
        alive_sum += probability_alive(r, alpha, a, b, x, t_x, age)
    if log_draws is not None:
        alive, predicted = alive_sum / len(spread), predicted_sum / len(spread)
    table = (
        frame[["customer_id", "frequency", "recency", "T"]]
        .assign(p_alive=alive, predicted=predicted, actual=actual)
        .set_index("customer_id")
    )
    process = _simulated_total_sd(params, x, alive, age, periods, seed=seed)
    sd = math.hypot(process, float(np.std(totals, ddof=1)))
    total = HoldoutTotal(
        predicted=float(predicted.sum()),
        actual=float(actual.sum()),
        sd=sd,
        customers=len(frame),
        periods=periods,
    )
    return table, total


def fit_orders(
    source_or_log: Any,
    *,
    customer: str | None = None,
    date: str | None = None,
    amount: str | None = None,
    calibration_end: str | None = None,
    observation_end: str | None = None,
    time_unit: Literal["D", "W", "M"] = "W",
    method: Literal["map", "mcmc"] = "map",
    draws: int = 1000,
    seed: int = 0,
    **read_options: Any,
) -> OrderFit:
    """Fit how often the customers of an order log buy, when they stop, and what they spend.

    Parameters
    ----------
    source_or_log : path, DataFrame, DuckDB connection or OrderLog
        The orders (read with `bizmodels.fit.orders.read_orders`), or a log already read.
    customer, date, amount : str
        The columns holding the customer, the order date and the amount paid.
    calibration_end : str, optional
        Last date of the calibration period (``"1997-09-30"``); the orders after it are the
        holdout the fit is checked on.
    observation_end : str, optional
        Last date of the holdout (the log's last order date when omitted).
    time_unit : {"D", "W", "M"}
        Unit of recency, age and the purchase rate.
    method : {"map", "mcmc"}
        Maximum likelihood (the default) or the full posterior (NUTS).
    **read_options
        Passed to `read_orders` (``refund=``, ``channel=``, ``query=``, ...).

    Returns
    -------
    OrderFit

    Examples
    --------
    >>> fit = fit_orders("orders.csv", customer="customer_id", date="date",
    ...                  amount="amount", calibration_end="1997-09-30")  # doctest: +SKIP
    >>> fit.purchase_params  # doctest: +SKIP
    {'r': 0.24, 'alpha': 4.4, 'a': 0.79, 'b': 2.4}
    """
    log = source_or_log
    if not hasattr(log, "summary"):
        from bizmodels.fit.orders import read_orders

        if customer is None or date is None or amount is None:
            raise ValueError(
                "fit_orders needs the log's columns: customer=, date= and amount= "
                "(or an OrderLog already read)"
            )

        log = read_orders(
            source_or_log,
            customer=customer,
            date=date,
            amount=amount,
            time_unit=time_unit,
            calibration_end=calibration_end,
            observation_end=observation_end,
            **read_options,
        )
    summary = log.summary
    holdout_counts = getattr(log, "holdout_counts", None)
    periods = _holdout_periods(log, time_unit) if holdout_counts is not None else None
    if periods is not None and periods <= 0:
        holdout_counts, periods = None, None
    source = getattr(log, "source", None) or (
        Path(source_or_log).name if isinstance(source_or_log, (str, Path)) else "a DataFrame"
    )
    end = getattr(log, "calibration_end", None) or calibration_end
    return fit_summary(
        summary,
        holdout_counts=holdout_counts,
        holdout_periods=periods,
        time_unit=getattr(log, "time_unit", None) or time_unit,
        calibration_end=None if end is None else str(end)[:10],
        source=str(source),
        method=method,
        draws=draws,
        seed=seed,
    )


def _holdout_periods(log: Any, time_unit: str) -> float | None:
    """The holdout's length in time units, from the log's calibration and observation ends."""
    length = getattr(log, "holdout_periods", None)
    if length is not None:
        return float(length)
    start, end = getattr(log, "calibration_end", None), getattr(log, "observation_end", None)
    if start is None or end is None:
        return None
    import pandas as pd  # type: ignore[import-untyped,unused-ignore]

    days = (pd.Timestamp(end) - pd.Timestamp(start)).days
    return float(days) / _UNIT_DAYS[getattr(log, "time_unit", None) or time_unit]
