"""An order log drawn from known BG/NBD and Gamma-Gamma parameters.

The log a fit should recover its parameters from: each customer makes a first purchase at a
time drawn uniformly over the acquisition window, then buys as a Poisson process of rate
λ ~ Gamma(r, α) and, after each repeat purchase, drops out for good with probability
p ~ Beta(a, b) (BG/NBD, Fader, Hardie & Lee 2005). Each purchase's value is
Gamma(p_spend, ν) with ν ~ Gamma(q, v) per customer (Gamma-Gamma, Fader, Hardie & Lee
2005b; Colombo & Jiang 1999). Everything is drawn vectorised with numpy.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

import numpy as np

# pandas is typed as Any: optional (the fit extra), and its stubs are not required
DataFrame = Any

__all__ = ["simulate_orders"]

_DAYS = {"D": 1.0, "W": 7.0}


def _positive(name: str, value: float) -> float:
    number = float(value)
    if not np.isfinite(number) or number <= 0:
        raise ValueError(f"{name} = {value!r}: must be a positive number")
    return number


def simulate_orders(
    customers: int,
    r: float,
    alpha: float,
    a: float,
    b: float,
    p: float,
    q: float,
    v: float,
    *,
    start: str | dt.date = "1997-01-01",
    periods: int = 78,
    time_unit: Literal["D", "W"] = "W",
    seed: int | None = None,
    acquisition_periods: float | None = None,
) -> DataFrame:
    """Draw an order log of `customers` customers over `periods` time units.

    Parameters
    ----------
    customers : int
        Customers to draw; each makes at least its first purchase.
    r, alpha : float
        BG/NBD: the purchase rate per time unit is Gamma with shape `r` and rate `alpha`.
    a, b : float
        BG/NBD: the dropout probability after each repeat purchase is Beta(`a`, `b`).
    p, q, v : float
        Gamma-Gamma: a purchase's value is Gamma with shape `p` and rate ν, ν Gamma with
        shape `q` and rate `v` per customer; the mean value is p·v / (q − 1) for q > 1.
    start : str or date
        The log's first day.
    periods : int
        The log's length in time units; the last day is ``start + periods`` units − 1 day.
    time_unit : {"W", "D"}
        The unit of `periods`, `alpha` and `acquisition_periods`.
    seed : int, optional
        The seed of numpy's random generator: the same seed gives the same log.
    acquisition_periods : float, optional
        The window of first purchases, from `start`. Default: 12 of every 78 periods, as
        in CDNOW's cohort (first purchases in the first 12 of 78 weeks). 0: all at `start`.

    Returns
    -------
    pandas.DataFrame
        ``customer_id`` (1, 2, ...), ``date`` (a day) and ``amount`` (rounded to the fen),
        sorted by date and customer.

    References
    ----------
    Fader, Hardie & Lee (2005), "Counting your customers the easy way", Marketing Science
    24(2): BG/NBD, CDNOW estimates r = 0.243, α = 4.414, a = 0.793, b = 2.426 (weeks).
    Fader, Hardie & Lee (2005b), "RFM and CLV: using iso-value curves for customer base
    analysis", Journal of Marketing Research 42(4): Gamma-Gamma; lifetimes' CDNOW fit gives
    p = 6.25, q = 3.74, v = 15.44.

    Examples
    --------
    How many orders do 1,000 CDNOW-like customers place in 78 weeks?

    >>> log = simulate_orders(1000, 0.243, 4.414, 0.793, 2.426, 6.25, 3.74, 15.44, seed=1)
    >>> log["customer_id"].nunique(), bool(len(log) > 1000)
    (1000, True)

    Every customer buys once; the repeat purchases come on top.
    """
    import pandas as pd  # type: ignore[import-untyped,unused-ignore]

    if int(customers) != customers or customers < 1:
        raise ValueError(f"customers = {customers!r}: must be a whole number of at least 1")
    if time_unit not in _DAYS:
        raise ValueError(f"time_unit = {time_unit!r}: must be D or W")
    if int(periods) != periods or periods < 1:
        raise ValueError(f"periods = {periods!r}: must be a whole number of at least 1")
    r, alpha, a, b = (_positive(n, x) for n, x in (("r", r), ("alpha", alpha), ("a", a), ("b", b)))
    p, q, v = (_positive(n, x) for n, x in (("p", p), ("q", q), ("v", v)))
    horizon = float(periods)
    window = horizon * 12 / 78 if acquisition_periods is None else float(acquisition_periods)
    if not 0 <= window < horizon:
        raise ValueError(
            f"acquisition_periods = {acquisition_periods!r}: must be from 0 to below {periods}"
        )
    first_day = dt.date.fromisoformat(start) if isinstance(start, str) else start
    rng = np.random.default_rng(seed)
    n = int(customers)

    birth = rng.uniform(0, window, n) if window > 0 else np.zeros(n)
    rate = rng.gamma(r, 1 / alpha, n)
    dropout = rng.beta(a, b, n)
    # the repeat purchases made before dropping out: the customer may leave only right
    # after a repeat purchase (never after the first, FHL 2005 §3), with probability
    # `dropout`, so their number is geometric from 1
    alive = rng.geometric(np.clip(dropout, 1e-300, 1))
    # the Poisson process's events in the remaining time, as sorted uniforms given their
    # count: exact, and bounded by λ·(horizon − birth) however small the dropout
    remaining = horizon - birth
    events = rng.poisson(rate * remaining)
    owner = np.repeat(np.arange(n), events)
    times = rng.uniform(0, 1, owner.size) * remaining[owner]
    order = np.lexsort((times, owner))
    owner, times = owner[order], times[order]
    offsets = np.cumsum(events) - events
    rank = np.arange(owner.size) - offsets[owner]
    keep = rank < alive[owner]
    owner = np.concatenate([np.arange(n), owner[keep]])
    when = np.concatenate([birth, birth[owner[n:]] + times[keep]])

    scale = 1 / rng.gamma(q, 1 / v, n)  # 1/ν: a customer's Gamma-Gamma scale
    amount = np.round(rng.gamma(p, scale[owner]), 2)
    days = np.floor(when * _DAYS[time_unit]).astype("int64")
    date = np.datetime64(first_day, "D") + days.astype("timedelta64[D]")
    frame = pd.DataFrame({"customer_id": owner + 1, "date": date, "amount": amount})
    frame = frame.sort_values(["date", "customer_id"], kind="stable").reset_index(drop=True)
    return frame
