"""The BG/NBD and Gamma-Gamma fit: formulas by hand, recovery of simulated parameters.

The simulator below is written from the models' definitions (Fader, Hardie & Lee 2005,
section 3; Fader & Hardie 2013), in continuous time: a customer's first purchase at a
random day of the first 12 weeks, then purchases at Poisson rate λ ~ Gamma(r, α), and after
each repeat purchase a dropout with probability p ~ Beta(a, b); each order's value is
Gamma(p_spend, ν) with ν ~ Gamma(q, v). The fit must recover the parameters within three
of its standard errors, and predict the holdout within three sampling standard deviations.
"""

from __future__ import annotations

import importlib.util
import itertools
import math
import sys
from decimal import Decimal

import numpy as np
import pytest

pd = pytest.importorskip("pandas")
pytest.importorskip("scipy")

from bizmodels.fit import clv  # noqa: E402

needs_pymc = pytest.mark.skipif(
    importlib.util.find_spec("pymc_marketing") is None,
    reason="the fit extra (pymc-marketing) is not installed",
)

# CDNOW's estimates (Fader, Hardie & Lee 2005, weeks) and lifetimes' Gamma-Gamma fit
TRUE = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426, "p": 6.25, "q": 3.74, "v": 15.44}
WEEKS_PER_MONTH = clv.DAYS_PER_MONTH / 7


def simulate(n, *, calibration=39.0, holdout=39.0, seed=0, births=12.0, params=TRUE):
    """Calibration summary and holdout purchases of ``n`` simulated customers."""
    rng = np.random.default_rng(seed)
    birth = rng.uniform(0, births, n)
    rate = rng.gamma(params["r"], 1 / params["alpha"], n)
    dropout = rng.beta(params["a"], params["b"], n)
    nu = rng.gamma(params["q"], 1 / params["v"], n)
    age = calibration - birth
    end = age + holdout
    x, t_x, spend, later = np.zeros(n), np.zeros(n), np.zeros(n), np.zeros(n)
    clock = np.zeros(n)
    alive = np.ones(n, dtype=bool)
    while alive.any():
        idx = np.flatnonzero(alive)
        clock[idx] += rng.exponential(1 / rate[idx])
        over = clock[idx] > end[idx]
        alive[idx[over]] = False
        buy = idx[~over]
        calib = buy[clock[buy] <= age[buy]]
        x[calib] += 1
        t_x[calib] = clock[calib]
        spend[calib] += rng.gamma(params["p"], 1 / nu[calib])
        later[buy[clock[buy] > age[buy]]] += 1
        gone = rng.random(buy.size) < dropout[buy]
        alive[buy[gone]] = False
    summary = pd.DataFrame(
        {
            "customer_id": np.arange(n),
            "frequency": x,
            "recency": t_x,
            "T": age,
            "monetary_value": np.where(x > 0, spend / np.maximum(x, 1), 0.0),
        }
    )
    return summary, pd.Series(later, index=np.arange(n))


def fit_with(params, covariance=None):
    """An OrderFit with the given parameters (no fitting): for the formulas alone."""
    eye = np.eye(4) * 1e-4 if covariance is None else covariance
    return clv.OrderFit(
        purchase_params={k: params[k] for k in clv.PURCHASE_PARAMS},
        spend_params={k: params[k] for k in clv.SPEND_PARAMS},
        standard_errors=dict.fromkeys(params, 0.0),
        customers=1000,
        repeat_customers=400,
        time_unit="W",
        calibration_end="1997-09-30",
        source="orders.csv",
        holdout=None,
        holdout_total=None,
        method="map",
        _purchase_cov=eye,
        _spend_cov=np.eye(3) * 1e-4,
    )


# -- the formulas, by hand ----------------------------------------------------------------


def test_bgnbd_likelihood_by_hand():
    # r = α = a = b = 1, x = 1, t_x = 1, T = 2 (FHL 2005 eq. 6):
    # B(1,2)/B(1,1) · 1/3² + B(2,1)/B(1,1) · 1/2² = 1/18 + 1/8 = 13/72
    value = clv.bgnbd_log_likelihood(1, 1, 1, 1, [1], [1], [2])[0]
    assert math.exp(value) == pytest.approx(13 / 72, rel=1e-12)
    # no repeat purchase: (α / (α + T))^r, 0.5 ** 0.5 for α = T, r = 1/2
    assert math.exp(clv.bgnbd_log_likelihood(0.5, 3, 2, 2, [0], [0], [3])[0]) == pytest.approx(
        math.sqrt(0.5), rel=1e-12
    )


def test_gamma_gamma_density_integrates_to_one():
    # the density of the mean of x orders, over z: 1 whatever the parameters
    z = np.linspace(1e-6, 400, 400_001)
    for p, q, v, x in ((6.25, 3.74, 15.44, 1), (6.25, 3.74, 15.44, 4), (2.0, 5.0, 40.0, 2)):
        density = np.exp(clv.gamma_gamma_log_likelihood(p, q, v, np.full(z.size, x), z))
        assert np.trapezoid(density, z) == pytest.approx(1, abs=2e-3)


def test_probability_alive_by_hand():
    # x = 1, t_x = 1, T = 2, r = α = a = b = 1: 1 / (1 + a/(b+x−1) ((α+T)/(α+t_x))^{r+x})
    # = 1 / (1 + 1 · (3/2)²) = 4/13
    assert clv.probability_alive(1, 1, 1, 1, [1], [1], [2])[0] == pytest.approx(4 / 13)
    assert clv.probability_alive(1, 1, 1, 1, [0], [0], [50])[0] == 1


def test_expected_purchases_match_a_simulated_cohort():
    # 60,000 customers born at 0, observed 39 weeks: mean repeat purchases vs eq. 9
    summary, _ = simulate(60_000, calibration=39, holdout=0, births=0, seed=11)
    mean = summary["frequency"].mean()
    se = summary["frequency"].std() / math.sqrt(len(summary))
    expected = clv.bgnbd_expected_purchases(39, *(TRUE[k] for k in clv.PURCHASE_PARAMS))
    assert abs(mean - expected) < 3 * se


def test_conditional_expectation_matches_simulation():
    # the customers' holdout purchases, on average, given their history: eq. 10 summed
    summary, later = simulate(60_000, seed=12)
    predicted = clv.conditional_expected_purchases(
        39,
        *(TRUE[k] for k in clv.PURCHASE_PARAMS),
        summary["frequency"],
        summary["recency"],
        summary["T"],
    )
    sd = clv._simulated_total_sd(
        TRUE,
        summary["frequency"].to_numpy(),
        clv.probability_alive(
            *(TRUE[k] for k in clv.PURCHASE_PARAMS),
            summary["frequency"],
            summary["recency"],
            summary["T"],
        ),
        summary["T"].to_numpy(),
        39.0,
    )
    assert abs(later.sum() - predicted.sum()) < 3 * sd


def test_retention_curve_matches_a_simulated_cohort():
    # a cohort of 200,000 born at 0: repeat purchases per month relative to the first month
    months = 6
    rng = np.random.default_rng(14)
    n = 200_000
    rate = rng.gamma(TRUE["r"], 1 / TRUE["alpha"], n)
    dropout = rng.beta(TRUE["a"], TRUE["b"], n)
    end = months * WEEKS_PER_MONTH
    per_month = np.zeros(months)
    clock, alive = np.zeros(n), np.ones(n, dtype=bool)
    while alive.any():
        idx = np.flatnonzero(alive)
        clock[idx] += rng.exponential(1 / rate[idx])
        over = clock[idx] > end
        alive[idx[over]] = False
        buy = idx[~over]
        np.add.at(per_month, (clock[buy] // WEEKS_PER_MONTH).astype(int), 1)
        alive[buy[rng.random(buy.size) < dropout[buy]]] = False
    observed = per_month / per_month[0]
    curve = fit_with(TRUE).retention_curve(months)
    assert curve[0] == 1 and all(b <= a for a, b in itertools.pairwise(curve))
    assert np.allclose([float(c) for c in curve], observed, atol=0.03)


def test_retention_curve_refuses_a_bad_length():
    with pytest.raises(ValueError, match="months = 0: must be a whole number from 1 to 1,200"):
        fit_with(TRUE).retention_curve(0)


# -- bad input, refused before any fitting ------------------------------------------------


def test_a_summary_without_its_columns_is_refused():
    with pytest.raises(ValueError, match=r"lacks the column\(s\) recency, T"):
        clv.fit_summary(pd.DataFrame({"frequency": [0] * 20, "monetary_value": [0] * 20}))


def test_a_recency_beyond_the_age_is_refused_naming_the_customer():
    summary, _ = simulate(50, seed=1)
    summary.loc[7, "recency"] = summary.loc[7, "T"] + 1
    with pytest.raises(ValueError, match=r"customer 7: recency = .* 1 customer\(s\) like it"):
        clv.fit_summary(summary)


def test_bad_options_are_refused():
    summary, _ = simulate(50, seed=1)
    with pytest.raises(ValueError, match="time_unit = 'Y': must be one of D, W, M"):
        clv.fit_summary(summary, time_unit="Y")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="method = 'ols'"):
        clv.fit_summary(summary, method="ols")  # type: ignore[arg-type]


def test_scenario_of_an_unknown_model_is_refused():
    with pytest.raises(ValueError, match="unknown model or preset 'nope'"):
        fit_with(TRUE).scenario("nope")
    with pytest.raises(ValueError, match="toc_membership has no field 'upsell'"):
        fit_with(TRUE).scenario("toc_membership", conversion_field="upsell")


# -- the fit -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fitted():
    if importlib.util.find_spec("pymc_marketing") is None:
        pytest.skip("the fit extra (pymc-marketing) is not installed")
    summary, later = simulate(20_000, seed=5)
    fit = clv.fit_summary(
        summary,
        holdout_counts=later,
        holdout_periods=39.0,
        calibration_end="1997-09-30",
        source="simulated.csv",
    )
    return fit, summary, later


@needs_pymc
@pytest.mark.parametrize("name", list(TRUE))
def test_the_fit_recovers_the_simulated_parameters(fitted, name):
    fit, _, _ = fitted
    estimate = {**fit.purchase_params, **fit.spend_params}[name]
    se = fit.standard_errors[name]
    assert 0 < se < 0.5 * TRUE[name]
    assert abs(estimate - TRUE[name]) < 3 * se, (name, estimate, se)


@needs_pymc
def test_the_fit_is_the_maximum_of_the_likelihood(fitted):
    # no step along any parameter raises the log-likelihood written in bizmodels
    fit, summary, _ = fitted
    cols = [summary[c].to_numpy() for c in ("frequency", "recency", "T")]
    params = fit.purchase_params
    best = clv.bgnbd_log_likelihood(*params.values(), *cols).sum()
    for name in params:
        for factor in (0.99, 1.01):
            moved = {**params, name: params[name] * factor}
            assert clv.bgnbd_log_likelihood(*moved.values(), *cols).sum() < best


@needs_pymc
def test_the_holdout_is_predicted_within_sampling_error(fitted):
    fit, _, later = fitted
    total = fit.holdout_total
    assert total.actual == later.sum() and total.customers == 20_000 and total.periods == 39
    assert total.sd > math.sqrt(total.predicted)  # overdispersed, beyond a Poisson count
    assert abs(total.z) < 3
    table = fit.holdout
    assert list(table.columns) == ["frequency", "recency", "T", "p_alive", "predicted", "actual"]
    assert table["predicted"].sum() == pytest.approx(total.predicted)
    by_frequency = fit.holdout_table()
    assert by_frequency["customers"].sum() == 20_000
    assert list(by_frequency.index)[-1] == "7+"


@needs_pymc
def test_the_holdout_chart_leaves_pyplot_alone(fitted):
    fit, _, _ = fitted
    before = sys.modules.get("matplotlib.pyplot")
    figures = before.get_fignums() if before is not None else None
    figure = fit.holdout_chart()
    assert type(figure).__name__ == "Chart" and figure.axes[0].get_title().startswith("Holdout")
    after = sys.modules.get("matplotlib.pyplot")
    assert (after is None) == (before is None)
    if after is not None:
        assert after.get_fignums() == figures


@needs_pymc
def test_the_scenario_carries_the_fit_into_the_engine(fitted, tmp_path):
    from bizmodels.io import dump_scenario, load_scenario

    fit, _, _ = fitted
    scenario = fit.scenario("toc_membership")
    model = scenario.models["toc_membership"]
    assert scenario.market.customers == 20_000
    assert scenario.market.price == Decimal(f"{fit.expected_spend:.2f}")
    spend = TRUE["p"] * TRUE["v"] / (TRUE["q"] - 1)
    assert abs(fit.expected_spend - spend) < 0.05 * spend
    assert model.retention_curve == fit.retention_curve(12)
    # lifetime × conversion = the expected repeat purchases over the 12-month horizon
    over_horizon = model.active_periods() * model.conversion
    expected = fit.expected_purchases(12 * WEEKS_PER_MONTH)
    assert float(over_horizon) == pytest.approx(expected, rel=2e-3)
    # the costs keep the default market's shares of the price (60 and 12 of 199)
    assert float(scenario.market.unit_cost / scenario.market.price) == pytest.approx(
        60 / 199, abs=1e-3
    )
    assert set(scenario.distributions) == {"price", "toc_membership.conversion"}
    path = tmp_path / "fitted.yaml"
    dump_scenario(scenario, path)
    assert load_scenario(path) == scenario
    assert fit.sources() == "fitted from simulated.csv, 20,000 customers, calibration to 1997-09-30"


@needs_pymc
def test_a_preset_and_a_model_without_plain_conversion(fitted):
    fit, _, _ = fitted
    scenario = fit.scenario("omnichannel")
    assert "guide_conversion" in scenario.overrides["omnichannel"]


@needs_pymc
def test_the_distributions_feed_monte_carlo(fitted):
    from bizmodels.risk import monte_carlo
    from bizmodels.risk.distributions import Normal

    fit, _, _ = fitted
    distributions = fit.distributions("toc_membership")
    price, conversion = distributions["price"], distributions["toc_membership.conversion"]
    assert isinstance(price, Normal) and isinstance(conversion, Normal)
    assert price.mean == pytest.approx(fit.expected_spend, rel=0.02)
    assert 0 < conversion.sd < 0.1 * conversion.mean and 0 < price.sd < 0.1 * price.mean
    scenario = fit.scenario("toc_membership", uncertainty=False)
    result = monte_carlo(
        scenario.models, distributions, samples=200, market=scenario.market, progress=False
    )
    assert result.models == ("toc_membership",) and result.values.shape == (1, 200)


@needs_pymc
def test_fit_orders_reads_a_log_with_read_orders(tmp_path):
    pytest.importorskip("duckdb")
    from bizmodels.fit import simulate_orders

    log = simulate_orders(1500, 0.243, 4.414, 0.793, 2.426, 6.25, 3.74, 15.44, seed=3)
    path = tmp_path / "orders.csv"
    log.to_csv(path, index=False)
    fit = clv.fit_orders(
        path, customer="customer_id", date="date", amount="amount", calibration_end="1997-09-30"
    )
    assert fit.customers == log["customer_id"].nunique()
    assert fit.source == "orders.csv" and fit.calibration_end == "1997-09-30"
    assert fit.holdout_total is not None and fit.holdout_total.periods == 39
    assert abs(fit.holdout_total.z) < 3


@needs_pymc
@pytest.mark.parametrize("unit", ["W", "D"])
def test_an_order_log_drawn_by_day_recovers_its_weekly_parameters(unit):
    # the whole path a user takes: dated orders (simulate_orders, purchases on whole days)
    # read by read_orders and fitted, in weeks or in days (α in days is 7 × α in weeks)
    pytest.importorskip("duckdb")
    from bizmodels.fit import simulate_orders

    log = simulate_orders(20_000, **TRUE, seed=11)
    fit = clv.fit_orders(
        log,
        customer="customer_id",
        date="date",
        amount="amount",
        calibration_end="1997-09-30",
        time_unit=unit,
    )
    scale = {"W": 1.0, "D": 7.0}[unit]
    for name, value in {**fit.purchase_params, **fit.spend_params}.items():
        true = TRUE[name] * (scale if name == "alpha" else 1.0)
        assert abs(value - true) < 3 * fit.standard_errors[name], (name, value, true)
    assert fit.holdout_total is not None and abs(fit.holdout_total.z) < 3


@needs_pymc
def test_the_posterior_on_request_covers_the_simulated_parameters():
    summary, later = simulate(3000, seed=2)
    fit = clv.fit_summary(
        summary, holdout_counts=later, holdout_periods=39.0, method="mcmc", draws=200
    )
    assert fit.method == "mcmc"
    for name, value in {**fit.purchase_params, **fit.spend_params}.items():
        # posterior mean within three posterior standard deviations of the truth
        assert abs(value - TRUE[name]) < 3 * fit.standard_errors[name], name
    assert abs(fit.holdout_total.z) < 3
    assert set(fit.distributions("toc_membership")) == {"price", "toc_membership.conversion"}
