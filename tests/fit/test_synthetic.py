"""simulate_orders: the drawn log agrees with the BG/NBD and Gamma-Gamma it was drawn from.

Expected values are the models' own closed forms (Fader, Hardie & Lee 2005, eq. 8: the
probability of x repeat purchases in t), worked with the math module; a draw is accepted
within 4 standard errors.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pytest

pd = pytest.importorskip("pandas")

from bizmodels.fit import simulate_orders  # noqa: E402

# CDNOW: BG/NBD in weeks (Fader, Hardie & Lee 2005), Gamma-Gamma (lifetimes' CDNOW fit)
CDNOW = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426, "p": 6.25, "q": 3.74, "v": 15.44}


def repeat_counts(log):
    return log.groupby("customer_id").size().to_numpy() - 1


def p_repeats(x, t, r, alpha, a, b):
    """Fader, Hardie & Lee (2005) eq. 8 for x = 0, 1, 2 (B ratios written out)."""
    stay = (alpha / (alpha + t)) ** r
    z = t / (alpha + t)
    if x == 0:
        return stay  # no purchase in t: dropout only follows a repeat purchase
    if x == 1:
        # B(a, b+1)/B(a, b) = b/(a+b); Γ(r+1)/Γ(r) = r; B(a+1, b)/B(a, b) = a/(a+b)
        return b / (a + b) * r * stay * z + a / (a + b) * (1 - stay)
    # x = 2: B(a, b+2)/B(a, b) = b(b+1)/((a+b)(a+b+1)); Γ(r+2)/(Γ(r) 2!) = r(r+1)/2;
    # B(a+1, b+1)/B(a, b) = ab/((a+b)(a+b+1)); the sum over j < 2 is 1 + r z
    ab = (a + b) * (a + b + 1)
    return b * (b + 1) / ab * r * (r + 1) / 2 * stay * z**2 + a * b / ab * (1 - stay * (1 + r * z))


@pytest.fixture(scope="module")
def born_together():
    # 40,000 customers all acquired on the first day, observed 78 weeks
    return simulate_orders(40_000, **CDNOW, periods=78, seed=7, acquisition_periods=0)


@pytest.mark.parametrize("x", [0, 1, 2])
def test_repeat_purchase_shares_follow_the_bgnbd(born_together, x):
    counts = repeat_counts(born_together)
    expected = p_repeats(x, 78, CDNOW["r"], CDNOW["alpha"], CDNOW["a"], CDNOW["b"])
    # by hand: (4.414 / 82.414) ** 0.243 = 0.4910 customers without a repeat purchase
    if x == 0:
        assert expected == pytest.approx(0.4910, abs=1e-4)
    share = float(np.mean(counts == x))
    se = math.sqrt(expected * (1 - expected) / counts.size)
    assert abs(share - expected) < 4 * se


def test_mean_spend_follows_the_gamma_gamma(born_together):
    # first purchases: one value per customer, E[z] = p v / (q - 1) = 6.25 * 15.44 / 2.74
    first = born_together.groupby("customer_id")["amount"].first().to_numpy()
    expected = CDNOW["p"] * CDNOW["v"] / (CDNOW["q"] - 1)
    assert expected == pytest.approx(35.2190, abs=1e-4)
    se = first.std(ddof=1) / math.sqrt(first.size)
    assert abs(first.mean() - expected) < 4 * se


def test_the_log_spans_its_window_and_the_seed_repeats_it():
    log = simulate_orders(3000, **CDNOW, start="2024-01-01", periods=52, seed=3)
    again = simulate_orders(3000, **CDNOW, start="2024-01-01", periods=52, seed=3)
    pd.testing.assert_frame_equal(log, again)
    assert log["customer_id"].nunique() == 3000
    first = log.groupby("customer_id")["date"].min()
    # first purchases in the first 12/78 of 52 weeks = 8 weeks = 56 days
    assert first.min() >= pd.Timestamp("2024-01-01") and first.max() < pd.Timestamp("2024-02-26")
    assert log["date"].max() < pd.Timestamp("2024-01-01") + pd.Timedelta(days=7 * 52)
    assert (log["amount"] >= 0).all() and list(log.columns) == ["customer_id", "date", "amount"]
    assert log["date"].is_monotonic_increasing


def test_daily_units():
    start = dt.date(2024, 1, 1)
    log = simulate_orders(500, **CDNOW, start=start, periods=30, time_unit="D", seed=1)
    assert log["date"].max() <= pd.Timestamp("2024-01-30")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"customers": 0}, "customers = 0: must be a whole number of at least 1"),
        ({"r": -1}, "r = -1: must be a positive number"),
        ({"q": float("nan")}, "q = nan: must be a positive number"),
        ({"periods": 0}, "periods = 0: must be a whole number of at least 1"),
        ({"time_unit": "M"}, "time_unit = 'M': must be D or W"),
        ({"acquisition_periods": 78}, "acquisition_periods = 78: must be from 0 to below 78"),
    ],
)
def test_refusals(change, message):
    options = {"customers": 10, **CDNOW, "seed": 1} | change
    with pytest.raises(ValueError) as raised:
        simulate_orders(**options)
    assert str(raised.value) == message


def test_the_shipped_log_matches_its_parameters():
    yaml = pytest.importorskip("yaml")
    folder = Path(__file__).parents[2] / "bizmodels" / "data"
    side = yaml.safe_load((folder / "orders_example.yaml").read_text(encoding="utf-8"))
    log = pd.read_csv(folder / "orders_example.csv", parse_dates=["date"])
    assert side["purchase_params"] == {k: CDNOW[k] for k in ("r", "alpha", "a", "b")}
    assert side["spend_params"] == {k: CDNOW[k] for k in ("p", "q", "v")}
    assert log["customer_id"].nunique() == side["customers"] == 2357
    assert len(log) == side["orders"]
    assert log["date"].min() >= pd.Timestamp("1997-01-01")
    assert log["date"].max() <= pd.Timestamp("1998-06-30")  # 78 weeks
    assert log.groupby("customer_id")["date"].min().max() < pd.Timestamp("1997-03-26")  # 12 weeks
