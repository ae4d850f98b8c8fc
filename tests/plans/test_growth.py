import math
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest
from pydantic import ValidationError

import bizmodels as bm
from bizmodels.plans import (
    EVENT_DTYPE,
    JOIN,
    ORDER,
    REFUND,
    EventStream,
    Growth,
    GrowthStream,
    daily_probability,
    generate_growth,
    liandong_699,
    simulate,
    simulate_ensemble,
    simulate_growth,
)
from bizmodels.plans._growth import refund_generator, with_refunds
from bizmodels.plans.summary import gini


def join_day(stream):
    days = np.empty(stream.n_members, np.int64)
    joins = stream.kind == JOIN
    days[stream.member[joins]] = stream.day[joins]
    return days


# -- determinism -------------------------------------------------------------------------


def test_same_seed_same_stream_different_seed_different():
    a = generate_growth(members=3000, days=200, seed=5)
    b = generate_growth(members=3000, days=200, seed=5)
    c = generate_growth(members=3000, days=200, seed=6)
    for name in ("kind", "member", "sponsor", "day", "labels", "dropout_day"):
        assert np.array_equal(getattr(a, name), getattr(b, name)), name
    assert len(a) != len(c) or not np.array_equal(a.sponsor, c.sponsor)
    ra, rb = simulate(liandong_699(), a), simulate(liandong_699(), b)
    assert ra.totals == rb.totals
    assert ra.summary().to_records() == rb.summary().to_records()


def test_a_growth_stream_is_an_event_stream_with_dropouts():
    stream = generate_growth(members=500, days=120, seed=1)
    assert isinstance(stream, GrowthStream) and isinstance(stream, EventStream)
    assert EventStream.of(stream) is stream
    assert stream.labels.tolist() == list(range(stream.n_members))
    assert stream.dropout_day.shape == (stream.n_members,)
    assert stream.growth == Growth(members=500, days=120, seed=1)
    # replayable against several plans: the same stream, two runs
    one = simulate(liandong_699(), stream)
    two = simulate(bm.plans.distribution(), stream)
    assert one.totals.orders == two.totals.orders == len(stream)


def test_top_level_exports():
    run = bm.simulate_growth(liandong_699(), members=300, days=90, seed=2)
    assert run.totals.conserved and run.totals.members <= 300
    assert bm.generate_growth is generate_growth and bm.simulate_ensemble is simulate_ensemble


# -- the process -------------------------------------------------------------------------


def test_roots_join_on_day_zero_and_members_act_from_the_next_day():
    stream = generate_growth(members=4000, days=150, roots=7, seed=3)
    assert stream.kind[:7].tolist() == [JOIN] * 7
    assert stream.sponsor[:7].tolist() == [-1] * 7 and stream.day[:7].tolist() == [0] * 7
    assert (stream.sponsor[7:][stream.kind[7:] == JOIN] >= 0).all()
    joined = join_day(stream)
    orders = stream.kind == ORDER
    assert (joined[stream.member[orders]] < stream.day[orders]).all()
    joins = (stream.kind == JOIN) & (stream.sponsor >= 0)
    assert (joined[stream.sponsor[joins]] < stream.day[joins]).all()


def test_dropped_out_members_neither_recruit_nor_repurchase():
    stream = generate_growth(members=3000, days=200, attrition=0.01, seed=4)
    out = stream.dropout_day
    assert (out >= 0).any() and (out < 0).any()
    orders = stream.kind == ORDER
    by = stream.member[orders]
    assert ((out[by] < 0) | (out[by] > stream.day[orders])).all()
    joins = (stream.kind == JOIN) & (stream.sponsor >= 0)
    sp = stream.sponsor[joins]
    assert ((out[sp] < 0) | (out[sp] > stream.day[joins])).all()


def test_attrition_zero_versus_high():
    kept = generate_growth(members=2000, days=150, attrition=0, seed=1)
    assert (kept.dropout_day < 0).all() and kept.active.all()
    gone = generate_growth(members=2000, days=150, attrition=0.2, seed=1)
    # at 20% a day an average member stays 5 days: the network dies out early
    assert gone.n_members < kept.n_members
    assert gone.active.sum() == 0 and gone.day[-1] < 149


def test_half_drop_out_within_a_year_by_default():
    # (1 − p)^365 = 1/2: AARP 2018, about half quit within their first year
    p = daily_probability(0.5)
    assert math.isclose((1 - p) ** 365, 0.5)
    assert Growth().attrition == p
    # 2,000 roots who never recruit (members one more, so that the cap is not reached)
    stream = generate_growth(members=2001, days=366, recruit_rate=0, roots=2000, seed=9)
    share_gone = (stream.dropout_day >= 0).mean()
    assert 0.47 < share_gone < 0.53  # 2,000 draws of a 50% chance


def test_market_size_is_reached_and_never_exceeded():
    stream = generate_growth(members=100_000, market_size=800, days=400, seed=2)
    assert stream.n_members <= 800
    assert stream.n_members > 780  # saturation slows growth, but a year nearly fills it


def test_saturation_slows_growth_as_the_market_fills():
    # Logistic growth takes as long from 50% to 90% of the market as from 10% to 50%;
    # unchecked exponential growth takes ln 1.8 / ln 5 ≈ 0.37 of it.
    def days_between(stream, low, high):
        joined = join_day(stream)
        return int(joined[high - 1] - joined[low - 1])

    full = generate_growth(members=2000, market_size=2000, days=2000, seed=2)
    free = generate_growth(members=2000, market_size=10**9, days=2000, seed=2)
    assert free.n_members == 2000 and full.n_members >= 1800
    saturated, unchecked = days_between(full, 1000, 1800), days_between(free, 1000, 1800)
    assert saturated > 2 * unchecked
    assert days_between(full, 1000, 1800) > 0.7 * days_between(full, 200, 1000)


def test_members_caps_the_stream_on_the_day_it_is_reached():
    stream = generate_growth(members=300, market_size=10**9, days=1000, seed=3)
    assert stream.n_members == 300
    assert stream.day[-1] == join_day(stream)[-1]  # the stream ends that day


def test_no_recruiting_without_recruit_rate_and_no_orders_without_repurchase_rate():
    quiet = generate_growth(members=100, roots=5, recruit_rate=0, days=50, seed=1)
    assert quiet.n_members == 5
    none = generate_growth(members=500, repurchase_rate=0, days=100, seed=1)
    assert (none.kind == JOIN).all()


def test_repurchases_follow_the_rate():
    g = dict(members=3000, days=300, repurchase_rate=0.02, attrition=0.001, seed=8)
    stream = generate_growth(**g)
    joined = join_day(stream)
    last = stream.day[-1]
    out = np.where(stream.dropout_day < 0, last + 1, stream.dropout_day)
    # active member-days on which a member could repurchase: from the day after joining
    exposure = int(np.clip(out - joined - 1, 0, None).sum())
    orders = int((stream.kind == ORDER).sum())
    assert abs(orders / exposure - 0.02) < 0.002


def test_preferential_attachment_concentrates_recruits():
    pref = generate_growth(members=5000, days=300, preference="preferential", seed=1)
    unif = generate_growth(members=5000, days=300, preference="uniform", seed=1)

    def recruits(stream):
        sp = stream.sponsor[(stream.kind == JOIN) & (stream.sponsor >= 0)]
        return np.bincount(sp, minlength=stream.n_members)

    assert gini(recruits(pref)) > gini(recruits(unif)) + 0.1
    assert recruits(pref).max() > 2 * recruits(unif).max()


def test_progress_is_called_each_day():
    calls = []
    generate_growth(members=200, days=30, seed=1, progress=lambda d, n: calls.append((d, n)))
    assert calls[0] == (0, 30) and calls[-1] == (30, 30)
    assert [d for d, _ in calls[1:-1]] == list(range(1, len(calls) - 1))


def test_one_hundred_thousand_members_are_quick():
    # the issue: seconds, not minutes (about 0.2 s here); a loose bound against a loop
    import time

    t0 = time.perf_counter()
    stream = generate_growth(members=100_000, market_size=10**9, days=365, seed=1)
    assert stream.n_members == 100_000
    assert time.perf_counter() - t0 < 10


# -- refunds -----------------------------------------------------------------------------


class _Drawn:
    """A generator that hands out fixed numbers, to place refunds by hand."""

    def __init__(self, uniform, delays):
        self.uniform, self.delays = np.array(uniform), np.array(delays)

    def random(self, n):
        out, self.uniform = self.uniform[:n], self.uniform[n:]
        return out

    def integers(self, low, high, n):
        assert (low, n) == (0, len(self.delays)) and (self.delays < high).all()
        return self.delays


def test_refunds_are_placed_after_their_day_with_the_final_indices():
    # day 0: joins 0, 1, 2; day 1: an order by 1, the join of 3; day 2: an order by 0
    ev = np.zeros(6, EVENT_DTYPE)
    ev["kind"] = [JOIN, JOIN, JOIN, ORDER, JOIN, ORDER]
    ev["member"] = [0, 1, 2, 1, 3, 0]
    ev["sponsor"] = [-1, 0, 0, -1, 1, -1]
    ev["day"] = [0, 0, 0, 1, 1, 2]
    # below 0.5: orders 0, 2, 3 and 5 are refunded, after 1, 0, 0 and 1 days: on days
    # 1, 0, 1 and 3; day 3 is past the stream's last day (2), so order 5's is left out
    rng = _Drawn([0.1, 0.9, 0.2, 0.3, 0.6, 0.4], [1, 0, 0, 1])
    out = with_refunds(ev, 0.5, 7, rng)
    # day 0: J0 J1 J2 R(2); day 1: O1 J3 R(0) R(3), the order 3 now at index 4; day 2: O0
    assert out["kind"].tolist() == [0, 0, 0, REFUND, 1, 0, REFUND, REFUND, 1]
    assert out["day"].tolist() == [0, 0, 0, 0, 1, 1, 1, 1, 2]
    assert out["sponsor"].tolist() == [-1, 0, 0, 2, -1, 1, 0, 4, -1]
    assert out["member"].tolist() == [0, 1, 2, 2, 1, 3, 0, 1, 0]  # a refund's buyer
    refunded = out["sponsor"][out["kind"] == REFUND]
    assert (out["kind"][refunded] != REFUND).all()


def test_refunds_leave_the_joins_and_repurchases_of_the_seed_as_they_were():
    plain = generate_growth(members=3000, days=150, seed=5)
    assert np.array_equal(
        plain.kind, generate_growth(members=3000, days=150, seed=5, refund_rate=0).kind
    )
    with_r = generate_growth(members=3000, days=150, seed=5, refund_rate=0.2, refund_within=3)
    rest = with_r.kind != REFUND
    for name in ("kind", "member", "sponsor", "day"):
        assert np.array_equal(getattr(with_r, name)[rest], getattr(plain, name)), name
    assert np.array_equal(with_r.dropout_day, plain.dropout_day)
    again = generate_growth(members=3000, days=150, seed=5, refund_rate=0.2, refund_within=3)
    assert np.array_equal(again.sponsor, with_r.sponsor)  # the same seed, the same refunds


def test_refunds_follow_the_rate_and_the_window():
    stream = generate_growth(members=20_000, days=200, seed=2, refund_rate=0.1)
    at = np.flatnonzero(stream.kind == REFUND)
    order = stream.sponsor[at]
    assert (stream.kind[order] != REFUND).all() and np.unique(order).size == order.size
    assert (stream.member[at] == stream.member[order]).all()
    delay = stream.day[at] - stream.day[order]
    assert delay.min() == 0 and delay.max() == 6  # 0 … refund_within − 1 = 6
    # orders a week or more before the last day all had their chance: about 10% each
    early = (stream.kind != REFUND) & (stream.day <= stream.day[-1] - 7)
    share = np.isin(np.flatnonzero(early), order).mean()
    assert abs(share - 0.1) < 0.01
    # the refunds come after the events of their day, in day order
    assert (np.diff(stream.day) >= 0).all()
    # what follows a refund is another refund or the next day
    last_of_day = np.r_[stream.day[1:] != stream.day[:-1], True]
    nxt = at[at + 1 < len(stream)]
    assert ((stream.kind[nxt + 1] == REFUND) | last_of_day[nxt]).all()


def test_the_refund_generator_is_a_child_of_the_seed():
    a, b = refund_generator(3).random(4), refund_generator(3).random(4)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, np.random.default_rng(3).random(4))


def test_refunds_count_in_the_memory_estimate():
    # 1,000 members, 101 days at 1%: 1,000 + 1,000 events of repurchases; 20% refunds
    # make 2,400 events: 1,000 × 232 + 2,400 × 100
    g = Growth(members=1000, days=101, repurchase_rate=0.01, refund_rate=0.2)
    assert g.memory_estimate() == pytest.approx(1000 * 232 + 2400 * 100)


# -- bad arguments -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"members": 0}, "members"),
        ({"members": 2.5}, "members"),
        ({"days": 0}, "days"),
        ({"market_size": 0}, "market_size"),
        ({"recruit_rate": 1.5}, "recruit_rate"),
        ({"repurchase_rate": -0.1}, "repurchase_rate"),
        ({"attrition": float("nan")}, "attrition"),
        ({"roots": 0}, "roots"),
        ({"preference": "random"}, "preference"),
        ({"seed": -1}, "seed"),
        ({"refund_rate": 1.5}, "refund_rate"),
        ({"refund_rate": -0.01}, "refund_rate"),
        ({"refund_within": 0}, "refund_within"),
        ({"refund_within": 2.5}, "refund_within"),
        ({"recruit_rte": 0.1}, "recruit_rte"),
        ({"members": 5, "roots": 6}, "roots = 6 is more than members = 5"),
        ({"market_size": 3, "roots": 6}, "market_size = 3 is less than roots = 6"),
    ],
)
def test_bad_arguments_name_the_argument(kwargs, message):
    with pytest.raises(ValidationError, match=message):
        generate_growth(**kwargs)
    with pytest.raises(ValueError, match=message):  # a ValidationError is a ValueError
        simulate_growth(liandong_699(), **kwargs)


def test_a_plan_that_is_not_a_plan_is_refused_first():
    for call in (simulate_growth, simulate_ensemble):
        with pytest.raises(TypeError, match=r"plan: needs a LiandongPlan.*got str"):
            call("liandong_699", members=10)


@pytest.mark.parametrize(("share", "days"), [(1.5, 365), (-0.1, 365), (0.5, 0), (0.5, 1.5)])
def test_daily_probability_refuses_bad_input(share, days):
    with pytest.raises(ValueError, match=r"share|days"):
        daily_probability(share, days)


# -- ensembles ---------------------------------------------------------------------------

SMALL = dict(members=1500, days=150)


def test_ensemble_is_identical_serial_and_on_a_process_pool():
    serial = simulate_ensemble(liandong_699(), seeds=[3, 1, 2], **SMALL)
    with ProcessPoolExecutor(2) as pool:
        spread = simulate_ensemble(liandong_699(), seeds=[3, 1, 2], executor=pool, **SMALL)
    assert serial.seeds == spread.seeds == (3, 1, 2)
    assert serial.to_records() == spread.to_records()
    for a, b in zip(serial.summaries, spread.summaries, strict=True):
        assert a.to_records() == b.to_records() and a.cohort_records() == b.cohort_records()
    # each path is the single run of its seed
    alone = simulate_growth(liandong_699(), seed=1, **SMALL).summary()
    assert serial.summaries[1].to_records() == alone.to_records()


def test_an_ensemble_with_refunds_and_withdrawals_is_each_path_alone():
    settle = dict(SMALL, refund_rate=0.05, withdraw_every=7)
    paths = simulate_ensemble(liandong_699(), seeds=[2, 5], **settle)
    alone = simulate_growth(liandong_699(), seed=5, **settle).summary()
    assert paths.summaries[1].to_records() == alone.to_records()
    assert (paths.values("refunds") > 0).all() and (paths.values("withdrawn") > 0).all()
    assert "rank_v1_earned_back" in {r["key"] for r in paths.to_records()}


def test_ensemble_figures_across_paths():
    paths = simulate_ensemble(liandong_699(), seeds=range(4), **SMALL)
    members = paths.values("members")
    assert members.shape == (4,)
    assert members.tolist() == [float(s.members) for s in paths.summaries]
    record = next(r for r in paths.to_records() if r["key"] == "earned_back")
    shares = paths.values("earned_back")
    assert record["mean"] == pytest.approx(shares.mean())
    assert record["min"] <= record["p5"] <= record["median"] <= record["p95"] <= record["max"]
    assert "cohort10_earned_back" in {r["key"] for r in paths.to_records()}
    assert "4 random growth paths (seeds 0…3)" in paths.to_table()
    assert paths.render("json").startswith("{")
    with pytest.raises(KeyError, match="no figure 'nope'"):
        paths.values("nope")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"seeds": []}, "at least one seed"),
        ({"seeds": [1, 1]}, "its own seed"),
        ({"seeds": [-1]}, "integer ≥ 0"),
        ({"seeds": [1], "seed": 3}, "seeds=\\[...\\]"),
        ({"seeds": [1], "cohorts": 0}, "cohorts"),
        ({"seeds": [1], "days": 0}, "days"),
    ],
)
def test_ensemble_refuses_bad_input_before_running(kwargs, message):
    with pytest.raises(ValueError, match=message):
        simulate_ensemble(liandong_699(), **kwargs)


def test_ensemble_on_a_dask_client_executor():
    distributed = pytest.importorskip("distributed")
    serial = simulate_ensemble(liandong_699(), seeds=[0, 1], **SMALL)
    with distributed.Client(
        processes=False, n_workers=1, threads_per_worker=2, dashboard_address=":0"
    ) as client:
        spread = simulate_ensemble(
            liandong_699(), seeds=[0, 1], executor=client.get_executor(), **SMALL
        )
    assert serial.to_records() == spread.to_records()
