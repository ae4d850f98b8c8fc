"""A brand's referral log, fitted into the growth driver: `fit_growth`, `referral_events`.

A referral log says who joined when and through whom, and when each member ordered again:
exactly the joins and repurchases of an event stream (`bizmodels.plans.events`), so it is
replayed through any plan with `simulate` as it stands. `fit_growth` reads the same log
as a sample of the process `generate_growth` draws (`bizmodels.plans.growth`) and
estimates that process's rates, so that a plan can be tried on networks grown like the
brand's own (``fit.model_copy(update={"seed": s}).generate()``).

The model, per member, in days: a member who joins on day ``j`` is active from day
``j + 1``; on each day it stays with chance ``1 − attrition`` (a geometric lifetime, never
observed: a member who stops simply falls silent), and while active it repurchases with
chance ``repurchase_rate`` and recruits ``recruit_rate × (1 − joined / market_size)``
members on average (Poisson). The three rates are estimated together by maximum
likelihood, the last day of activity standing for the unobserved end of each lifetime
(see `fit_growth`, Notes).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from os import PathLike
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from pydantic import Field

from bizmodels.plans._growth import Growth
from bizmodels.plans.events import JOIN, ORDER, REFUND, EventStream, read_events
from bizmodels.plans.limits import MAX_MEMBERS

__all__ = ["FittedGrowth", "fit_growth", "referral_events"]


class FittedGrowth(Growth):
    """A `Growth` whose rates were fitted from a referral log, with their sources.

    It is a `Growth`: ``generate()`` grows a network like the brand's, and
    ``model_copy(update={"seed": s})`` gives the next one of an ensemble.

    Attributes
    ----------
    sources : dict of str to str
        For each fitted field, where it comes from: ``"fitted from referrals.csv, 1,000
        members: ..."``.
    standard_errors : dict of str to float
        Standard error of each fitted rate, from the observed information (the inverse of
        the negative Hessian of the log-likelihood at the estimate).
    """

    sources: dict[str, str] = Field(default_factory=dict)
    standard_errors: dict[str, float] = Field(default_factory=dict)


def referral_events(
    members: Iterable[Sequence[Any]], orders: Iterable[Sequence[Any]] = ()
) -> EventStream:
    """The event stream of a referral log: members with their sponsor and join day, orders.

    Parameters
    ----------
    members : iterable of (member, sponsor or None, join_day)
        One row per member, sponsors before the members they recruit on the same day.
    orders : iterable of (member, day)
        Repurchases (复购), in any order.

    Returns
    -------
    EventStream
        Joins and orders in day order (on one day, the joins first), checked as by
        `EventStream.of`: replay it with `simulate`, fit it with `fit_growth`.

    Raises
    ------
    ValueError
        As `EventStream.of`, naming the event by its index in the merged stream (the
        members and orders in day order).

    Examples
    --------
    >>> stream = referral_events([("R", None, 0), ("A", "R", 1)], [("A", 3), ("R", 2)])
    >>> [(int(k), int(d)) for k, d in zip(stream.kind, stream.day)]
    [(0, 0), (0, 1), (1, 2), (1, 3)]
    """
    events: list[tuple[Any, ...]] = [tuple(m) for m in members]
    events += [tuple(o) for o in orders]
    day = [e[-1] if isinstance(e[-1], int) else -1 for e in events]
    # stable: a day's joins keep the log's order and come before its orders
    events = [events[i] for i in np.argsort(np.array(day, np.int64), kind="stable")]
    return EventStream.of(events)


def fit_growth(
    referrals: EventStream | str | PathLike[str] | Iterable[Sequence[Any]],
    *,
    market_size: int | None = None,
    observation_end: int | None = None,
    preference: Literal["preferential", "uniform"] = "preferential",
    tolerance: float = 1e-10,
) -> FittedGrowth:
    """The growth rates of a referral log, by maximum likelihood.

    Parameters
    ----------
    referrals : EventStream, path of an event CSV, or event tuples
        The log: joins (member, sponsor, day) and repurchases (member, day), as
        `read_events` or `EventStream.of` take them. Refunds are counted into
        ``refund_rate``; withdrawals are ignored.
    market_size : int, optional
        People who could ever join, if known: recruiting slows as ``1 − joined /
        market_size``. None: the market is taken as unbounded (the fitted growth's
        ``market_size`` is then 2,147,483,646).
    observation_end : int, optional
        The last day the log covers; the day of its last event by default. A member
        silent since its last activity may still be active then.
    preference : "preferential" or "uniform"
        How the brand's members come to their sponsors, as in `Growth` (the fitted growth
        keeps it). ``"preferential"`` (the default, as `Growth`'s): a member's recruits
        depend on how many it already has, so attrition is read from the repurchases
        alone. ``"uniform"``: recruits are a Poisson rate alike for every member and
        count as activity too, which narrows the errors.
    tolerance : float
        The fit stops when no rate moves by more than this share of itself.

    Returns
    -------
    FittedGrowth
        ``recruit_rate``, ``repurchase_rate``, ``attrition`` (per day) fitted, with
        ``standard_errors`` and ``sources``; ``members`` = the members in the log (the
        cap of a network grown like it), ``days`` = ``observation_end + 1``, ``roots`` =
        the members joining on day 0 without a sponsor, ``refund_rate`` = refunds per
        order.

    Raises
    ------
    ValueError
        The log is not a valid event stream (naming the event or line), has no root on
        day 0, ends before its last event, or (``"preferential"``) has no repurchase.

    Notes
    -----
    Member ``i`` joins on day ``j``, orders ``x`` times and recruits ``k`` members, its last
    activity (order or recruit, else its join) on day ``t``; ``D`` is the observation end.
    Its unobserved last active day ``L ≥ t`` has ``P(L = l) = (1 − a)^(l − j) a`` for
    ``l < D`` and ``(1 − a)^(D − j)`` for ``l = D``. With ``c_d = 1 − n_d / market_size``
    (``n_d`` members joined before day ``d``) and ``C(l) = Σ_{d ≤ l} c_d``, the likelihood
    of the member, up to factors free of the rates, is

        ``p^x (1 − p)^(−j − x) r^k e^(r C(j)) (1 − a)^(−j)
        Σ_{l = t}^{D} [(1 − a)(1 − p)]^l e^(−r C(l)) (a if l < D else 1)``

    (a repurchase is a Bernoulli draw per active day, recruits are Poisson). It is
    maximised by expectation–maximisation on ``L``: given the posterior of each ``L``,
    ``a`` = expected dropouts / expected survival draws, ``p`` = orders / expected
    active days, ``r`` = recruits / expected ``Σ c_d`` over active days; each step raises
    the likelihood. Standard errors come from a numerical Hessian at the optimum.

    That is the model of ``preference="uniform"``. Under preferential choice a member's
    recruits depend on how many it already has, and a member without recruits falls
    silent sooner than that model expects: fitted so, ``attrition`` comes out a quarter
    too high on the example's network grown preferentially. So with ``"preferential"``
    the likelihood holds the repurchases alone (``k = 0`` and ``r = 0`` above, ``t`` the
    last repurchase), which every member makes alike whatever the choice of sponsors,
    and ``recruit_rate`` = recruits / the expected ``Σ c_d`` over active days under the
    posterior of each ``L`` given the repurchases; its error adds the Poisson error of
    the recruits to that of the lifetimes (delta method).

    References
    ----------
    The same construction as the Pareto/NBD's individual likelihood (Schmittlein, Morrison
    & Colombo 1987; Fader, Hardie & Lee 2005), without the heterogeneity: one rate for all.

    Examples
    --------
    A network grown with known rates (uniform choice of sponsors), fitted back:

    >>> from bizmodels.plans.growth import generate_growth
    >>> log = generate_growth(members=100_000, days=200, recruit_rate=0.03,
    ...                       repurchase_rate=0.02, attrition=0.005, roots=100,
    ...                       preference="uniform", seed=3)
    >>> fit = fit_growth(log, market_size=100_000, preference="uniform")
    >>> round(fit.recruit_rate, 3), round(fit.repurchase_rate, 3), round(fit.attrition, 3)
    (0.03, 0.02, 0.005)
    >>> fit.sources["recruit_rate"].split(":")[0]
    'fitted from event stream, 10,194 members'
    """
    if isinstance(referrals, str | os.PathLike):
        stream = read_events(referrals)
    else:
        stream = EventStream.of(referrals)
    n = stream.n_members
    kind = stream.kind
    member = stream.member.astype(np.int64)
    day = stream.day
    if not n:
        raise ValueError("the referral log has no member: nothing to fit")
    last = int(day[-1])
    end = last if observation_end is None else int(observation_end)
    if end < last:
        raise ValueError(
            f"observation_end = {observation_end}: before the log's last event, on day {last}"
        )
    if market_size is not None and market_size < n:
        raise ValueError(f"market_size = {market_size}: fewer than the {n:,} members in the log")
    is_join = kind == JOIN
    joined = day[is_join]  # row order is join order
    roots = int(np.count_nonzero(joined[stream.sponsor[is_join] < 0] == 0))
    if not roots:
        raise ValueError("the referral log has no root: no member joins on day 0 without a sponsor")
    is_order = kind == ORDER
    orders = np.bincount(member[is_order], minlength=n)
    recruiting = is_join & (stream.sponsor >= 0)
    sponsor = stream.sponsor[recruiting].astype(np.int64)
    recruits = np.bincount(sponsor, minlength=n)
    t = joined.copy()
    np.maximum.at(t, member[is_order], day[is_order])
    np.maximum.at(t, sponsor, day[recruiting])

    # c_d for d = 0..end: the market left when day d starts (joins before d).
    market = MAX_MEMBERS if market_size is None else market_size
    before = np.searchsorted(joined, np.arange(end + 1), side="left")
    c = 1 - before / market
    c[0] = 0.0  # no one is active on day 0
    cum_c = np.cumsum(c)  # C(l)
    if preference == "uniform":
        fit = _Fit(joined, t, orders, recruits, cum_c, end)
        rates = fit.solve(tolerance)
        errors = np.sqrt(np.maximum(np.diag(fit.covariance(rates)), 0.0))
    elif preference == "preferential":
        if not orders.any():
            raise ValueError(
                "the referral log has no repurchase: with preference='preferential' attrition "
                "is read from the repurchases; give preference='uniform' to read it from the "
                "recruits"
            )
        last_order = joined.copy()
        np.maximum.at(last_order, member[is_order], day[is_order])
        fit = _Fit(joined, last_order, orders, np.zeros(n, np.int64), cum_c, end, recruits=False)
        rates = fit.solve(tolerance)
        rates[2], errors = fit.recruit_rate(rates, int(recruits.sum()))
    else:
        raise ValueError(f"preference = {preference!r}: 'preferential' or 'uniform'")
    refunds = int(np.count_nonzero(kind == REFUND))
    purchases = int(np.count_nonzero(is_join | is_order))
    where = f"fitted from {os.path.basename(stream.source) if stream.source else 'event stream'}"
    where = f"{where}, {n:,} members"
    activity = "activity" if preference == "uniform" else "repurchase"
    how = {
        "recruit_rate": "recruits per active member-day (Poisson), maximum likelihood",
        "repurchase_rate": "repurchases per active member-day, maximum likelihood",
        "attrition": f"daily dropout from the silence after each member's last {activity}, "
        "maximum likelihood",
    }
    names = ("attrition", "repurchase_rate", "recruit_rate")
    sources = {
        k: f"{where}: {how[k]} (standard error {errors[i]:.2g})" for i, k in enumerate(names)
    }
    sources["refund_rate"] = f"{where}: {refunds:,} refunds of {purchases:,} orders"
    sources["roots"] = f"{where}: members joining on day 0 without a sponsor"
    sources["members"] = f"{where}: the members of the log (a network grown like it stops there)"
    sources["market_size"] = (
        "given" if market_size is not None else "assumption: unbounded (not fitted)"
    )
    return FittedGrowth(
        members=n,
        days=end + 1,
        market_size=market,
        recruit_rate=float(rates[2]),
        repurchase_rate=float(rates[1]),
        attrition=float(rates[0]),
        roots=roots,
        preference=preference,
        refund_rate=refunds / purchases if purchases else 0.0,
        sources=sources,
        standard_errors={k: float(errors[i]) for i, k in enumerate(names)},
    )


def _xlog(count: npt.NDArray[Any] | float, x: float) -> float:
    # count × log x, with 0 × log 0 = 0 (a rate fitted at 0 from no events)
    total = float(np.sum(count))
    return 0.0 if total == 0 else total * float(np.log(x))


class _Fit:
    """The likelihood of `fit_growth` and its EM steps, over members and days at once."""

    def __init__(
        self,
        joined: npt.NDArray[np.int64],
        last: npt.NDArray[np.int64],
        orders: npt.NDArray[np.int64],
        recruits_of: npt.NDArray[np.int64],
        cum_c: npt.NDArray[np.float64],
        end: int,
        recruits: bool = True,
    ) -> None:
        self.j, self.t, self.x, self.k = joined, last, orders, recruits_of
        self.cum_c, self.end = cum_c, end
        self.days = np.arange(end + 1, dtype=np.float64)
        self.dims = 3 if recruits else 2  # without recruits, r = 0: (a, p) alone

    def _tails(self, a: float, p: float, r: float) -> tuple[npt.NDArray[np.float64], ...]:
        """Per member: log Σ_{l≥t} w(l), and E[L], E[C(L)], P(L = D) under L's posterior."""
        with np.errstate(divide="ignore"):
            logw = self.days * (np.log1p(-a) + np.log1p(-p)) - r * self.cum_c
            logw[:-1] += np.log(a)
            ratio = np.log(self.days), np.log(self.cum_c)

        def tail(x: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
            return np.logaddexp.accumulate(x[::-1])[::-1]

        r0 = tail(logw)
        r1 = tail(logw + ratio[0])
        rc = tail(logw + ratio[1])
        t = self.t
        z = r0[t]
        return z, np.exp(r1[t] - z), np.exp(rc[t] - z), np.exp(logw[-1] - z)

    def loglik(self, rates: npt.NDArray[np.float64]) -> float:
        a, p, r = (float(v) for v in rates)
        z = self._tails(a, p, r)[0]
        j = self.j
        return (
            _xlog(self.x, p)
            - float(np.sum(j + self.x)) * float(np.log1p(-p))
            + _xlog(self.k, r)
            + r * float(np.sum(self.cum_c[j]))
            - float(np.sum(j)) * float(np.log1p(-a))
            + float(np.sum(z))
        )

    def solve(self, tolerance: float) -> npt.NDArray[np.float64]:
        j = self.j.astype(np.float64)
        exposure = float(np.sum(self.end - j))
        c_exposure = float(np.sum(self.cum_c[-1] - self.cum_c[self.j]))
        x, k = float(np.sum(self.x)), float(np.sum(self.k))
        # start: everyone active to the end (rates of events), a small attrition
        r0 = min(k / c_exposure, 0.5) if self.dims == 3 else 0.0
        rates = np.array([0.01, min(x / exposure, 0.5), r0])
        tiny = 1e-12
        for _ in range(10_000):
            a, p, r = rates
            _, life, c_life, at_end = self._tails(a, p, r)
            active = float(np.sum(life - j))
            dropped = float(np.sum(1 - at_end))
            new = np.array(
                [
                    dropped / max(active + dropped, tiny),
                    x / max(active, tiny),
                    k / max(float(np.sum(c_life - self.cum_c[self.j])), tiny),
                ]
            )
            new = np.clip(new, tiny, 1 - 1e-9)
            new[self.dims :] = 0.0  # r fixed at 0 when recruits are left out
            done = np.all(np.abs(new - rates) <= tolerance * np.maximum(rates, tiny))
            rates = new
            if done:
                break
        return rates

    def covariance(self, rates: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """The inverse of the negative Hessian of the log-likelihood (numerical), 3 × 3.

        Without recruits, the rows and columns of ``r`` are NaN.
        """
        d = self.dims
        h = np.minimum(rates, 1 - rates) * 1e-4  # inside (0, 1) whatever the rate
        hess = np.empty((d, d))
        for i in range(d):
            for m in range(d):
                ei, em = np.eye(3)[i] * h[i], np.eye(3)[m] * h[m]
                hess[i, m] = (
                    self.loglik(rates + ei + em)
                    - self.loglik(rates + ei - em)
                    - self.loglik(rates - ei + em)
                    + self.loglik(rates - ei - em)
                ) / (4 * h[i] * h[m])
        out = np.full((3, 3), np.nan)
        try:
            out[:d, :d] = np.linalg.inv(-hess)
        except np.linalg.LinAlgError:
            pass
        return out

    def recruit_rate(
        self, rates: npt.NDArray[np.float64], recruits: int
    ) -> tuple[float, npt.NDArray[np.float64]]:
        """Recruits per expected ``Σ c_d`` of active days given (a, p), and the 3 errors."""

        def rate(a: float, p: float) -> float:
            _, _, c_life, _ = self._tails(a, p, 0.0)
            return recruits / max(float(np.sum(c_life - self.cum_c[self.j])), 1e-12)

        a, p = float(rates[0]), float(rates[1])
        r = rate(a, p)
        cov = self.covariance(rates)[:2, :2]
        h = np.minimum(rates[:2], 1 - rates[:2]) * 1e-4
        grad = np.array(
            [
                (rate(a + h[0], p) - rate(a - h[0], p)) / (2 * h[0]),
                (rate(a, p + h[1]) - rate(a, p - h[1])) / (2 * h[1]),
            ]
        )
        # Poisson count over its exposure, plus the exposure's own error (delta method)
        var_r = (r * r / recruits if recruits else 0.0) + float(grad @ cov @ grad)
        errors = np.sqrt(np.maximum([cov[0, 0], cov[1, 1], var_r], 0.0))
        return r, errors
