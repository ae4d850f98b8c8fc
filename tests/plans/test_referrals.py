"""`fit_growth` recovers the rates of networks grown with known rates, within their errors.

Networks come from `generate_growth`, sponsors chosen preferentially or uniformly; each
rate must come back within 3 of its reported standard errors, and the standard errors
must be the size of the spread of the estimates over seeds.
"""

from __future__ import annotations

import numpy as np
import pytest

from bizmodels.plans import liandong_699, simulate
from bizmodels.plans.growth import Growth, generate_growth
from bizmodels.plans.referrals import FittedGrowth, fit_growth, referral_events

RATES = {"recruit_rate": 0.03, "repurchase_rate": 0.02, "attrition": 0.005}


def grown(seed: int, **changes):
    growth = dict(members=100_000, days=200, roots=100, preference="uniform", seed=seed)
    return generate_growth(**{**growth, **RATES, **changes})


@pytest.mark.parametrize(
    ("grown_by", "fitted_as"),
    [("uniform", "uniform"), ("preferential", "preferential"), ("uniform", "preferential")],
)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_rates_recovered_within_three_standard_errors(seed, grown_by, fitted_as):
    log = grown(seed, preference=grown_by)
    fit = fit_growth(log, market_size=100_000, preference=fitted_as)
    assert fit.preference == fitted_as
    assert isinstance(fit, FittedGrowth) and isinstance(fit, Growth)
    for name, true in RATES.items():
        error = fit.standard_errors[name]
        assert 0 < error < true / 10
        assert abs(getattr(fit, name) - true) < 3 * error, (name, getattr(fit, name), error)


@pytest.mark.parametrize("preference", ["uniform", "preferential"])
def test_standard_errors_match_the_spread_over_seeds(preference):
    fits = [
        fit_growth(grown(seed, preference=preference), market_size=100_000, preference=preference)
        for seed in range(10, 22)
    ]
    for name in RATES:
        values = np.array([getattr(f, name) for f in fits])
        reported = np.mean([f.standard_errors[name] for f in fits])
        # 12 draws: the sample sd is within a factor of 2 of the true one (chi-square, 11 df);
        # the delta-method error of a preferential recruit rate may only be larger
        low = (
            reported / 3 if (preference, name) == ("preferential", "recruit_rate") else reported / 2
        )
        assert low < values.std(ddof=1) < reported * 2, name


def test_saturation_is_taken_out_of_the_recruit_rate():
    # A market of 3,000 slows recruiting to near nothing: the rate per free slot remains.
    fit = fit_growth(grown(5, members=3_000, days=300), market_size=3_000)
    assert abs(fit.recruit_rate - RATES["recruit_rate"]) < 3 * fit.standard_errors["recruit_rate"]


def test_fitted_growth_grows_networks_like_the_log():
    log = grown(7)
    fit = fit_growth(log, market_size=100_000)
    assert (fit.members, fit.days, fit.roots) == (log.n_members, 200, 100)
    again = fit.model_copy(update={"seed": 8}).generate()
    refit = fit_growth(again, market_size=fit.market_size)
    for name in RATES:
        both = np.hypot(fit.standard_errors[name], refit.standard_errors[name])
        assert abs(getattr(refit, name) - getattr(fit, name)) < 3 * both, name


def test_refund_rate_is_refunds_per_order():
    log = grown(9, refund_rate=0.1)
    fit = fit_growth(log, market_size=100_000)
    orders = int(np.count_nonzero(log.kind <= 1))
    # binomial: 3 standard errors of a share 0.1 of the orders
    assert abs(fit.refund_rate - 0.1) < 3 * (0.1 * 0.9 / orders) ** 0.5


def test_sources_name_the_file_and_members(tmp_path):
    path = tmp_path / "referrals.csv"
    rows = ["join,R,,0", "join,A,R,1", "join,B,R,2", "order,A,,3", "join,C,A,4", "order,B,,5"]
    path.write_text("kind,member,sponsor,day\n" + "\n".join(rows) + "\n")
    fit = fit_growth(path)
    assert fit.sources["recruit_rate"].startswith("fitted from referrals.csv, 4 members: ")
    assert fit.market_size == 2_147_483_646 and fit.preference == "preferential"
    # 3 recruits and 2 orders in a log of 6 days: rates between the naive bounds
    assert 0 < fit.repurchase_rate < 1 and 0 < fit.recruit_rate < 1


def test_referral_log_replays_through_a_plan():
    members = [("R", None, 0), ("A", "R", 1), ("B", "A", 2), ("C", "A", 2)]
    stream = referral_events(members, [("B", 3), ("A", 2)])
    assert stream.kind.tolist() == [0, 0, 0, 0, 1, 1] and stream.day.tolist() == [0, 1, 2, 2, 2, 3]
    run = simulate(liandong_699(), stream)
    assert run.summary().members == 4 and run.totals.conserved


def test_bad_logs_are_refused():
    with pytest.raises(ValueError, match="no root"):
        fit_growth([("R", None, 1)])
    with pytest.raises(ValueError, match="observation_end = 3: before the log's last event"):
        fit_growth([("R", None, 0), ("R", 5)], observation_end=3)
    with pytest.raises(ValueError, match="event 1: order by member 'X', who never joins"):
        fit_growth([("R", None, 0), ("X", 1)])
    with pytest.raises(ValueError, match="market_size = 1: fewer than the 2 members"):
        fit_growth([("R", None, 0), ("A", "R", 1)], market_size=1)
    with pytest.raises(ValueError, match="no repurchase: with preference='preferential'"):
        fit_growth([("R", None, 0), ("A", "R", 1)])
    assert fit_growth([("R", None, 0), ("A", "R", 1)], preference="uniform").recruit_rate > 0
    with pytest.raises(ValueError, match="preference = 'random': 'preferential' or 'uniform'"):
        fit_growth([("R", None, 0), ("R", 1)], preference="random")  # type: ignore[arg-type]
