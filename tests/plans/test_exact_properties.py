"""Property tests: the simulation equals the plain reference for plans drawn across the
whole accepted range (rates to 10 decimal places, amounts up to 1,000,000 yuan, counts up to
2^31 − 2, days up to 10,000,000), and the other plans equal a walk up the sponsor chain."""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from fractions import Fraction

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from test_simulate import assert_matches_reference, make_stream

from bizmodels.plans import (
    LiandongPlan,
    distribution,
    liandong_699,
    recruit_three_refund_one,
    simulate,
    simulate_ensemble,
)
from bizmodels.plans.limits import MAX_COUNT, MAX_DAY, MAX_FEN, RATE_PLACES

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def rates(draw):
    """A rate of 0 to 10 decimal places: its digits drawn, so every precision is reached."""
    edge = draw(st.sampled_from([None, None, None, "0", "1", "1E-10", "0.9999999999"]))
    if edge is not None:
        return Decimal(edge)
    places = draw(st.integers(0, RATE_PLACES))
    return Decimal(draw(st.integers(0, 10**places))).scaleb(-places)


@st.composite
def fen(draw, most=MAX_FEN):
    """An amount in fen, from a few fen to the limit: the scale first, then the amount."""
    scale = draw(st.sampled_from([100, 10**4, 10**6, most]))
    return draw(st.integers(0, min(scale, most)))


def yuan(amount):
    return Decimal(amount).scaleb(-2)


@st.composite
def liandong_plans(draw):
    peer_rate = draw(rates())
    direct_member, direct_agent, see_point = draw(fen()), draw(fen()), draw(fen())
    differential = sorted(draw(st.lists(fen(), min_size=3, max_size=3)))
    pools = draw(st.lists(fen(), min_size=3, max_size=3))
    top = max(direct_member, direct_agent)
    worst = top + see_point + differential[2] + sum(pools)
    worst += math.floor(Fraction(peer_rate) * top) + math.floor(Fraction(peer_rate) * see_point)
    assume(worst <= MAX_FEN)
    price = draw(st.integers(worst, MAX_FEN))
    return LiandongPlan(
        package_price=yuan(price),
        direct_member=yuan(direct_member),
        direct_agent=yuan(direct_agent),
        see_point=yuan(see_point),
        differential=tuple(yuan(x) for x in differential),
        peer_rate=peer_rate,
        freeze_rate=draw(rates()),
        pool_contribution=tuple(yuan(x) for x in pools),
        upgrade_price=tuple(yuan(draw(fen())) for _ in range(3)),
        pool_share=draw(st.sampled_from(["exact", "at_least"])),
        slide_positions=draw(st.sampled_from([0, 1, 2, 3, MAX_COUNT])),
        agent_recruits=draw(st.sampled_from([1, 2, 3, MAX_COUNT])),
        legs_required=draw(st.sampled_from([1, 2, 3, MAX_COUNT])),
        unlock_orders=draw(st.sampled_from([0, 1, 3, 8, MAX_COUNT])),
    )


def shifted(events, start):
    # The same stream on days ``start + day``: day numbers near the limit change nothing.
    return [(*ev[:-1], start + ev[-1]) for ev in events]


def at_the_last_day(events):
    # The stream moved so that its last day is the last one accepted (make_stream may run
    # a day or two past the days it is asked for).
    return shifted(events, MAX_DAY - max(ev[-1] for ev in events))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    plan=liandong_plans(),
    seed=st.integers(0, 2**32),
    n=st.integers(1, 60),
    repurchase=st.sampled_from([0.0, 0.4]),
    style=st.sampled_from(["uniform", "preferential", "chain"]),
    late=st.booleans(),
)
def test_any_accepted_plan_matches_the_reference(plan, seed, n, repurchase, style, late):
    events = make_stream(seed, n, roots=2, repurchase=repurchase, days=6, style=style)
    if late:
        events = at_the_last_day(events)
    run = assert_matches_reference(plan, events)
    # every total is exact and far from the int64 range
    assert run.totals.received < 2**62


def test_the_limits_themselves_match_the_reference():
    # Every amount at its largest that the price allows, rates at 10 places: the biggest
    # products the engine forms (10^8 fen × a 10-digit numerator).
    plan = liandong_699(
        package_price=1_000_000,
        direct_member="299999.99",
        direct_agent="333333.33",
        see_point="111111.11",
        differential=("55555.55", "77777.77", "99999.99"),
        peer_rate="0.3333333333",
        freeze_rate="0.9999999999",
        pool_contribution=("11111.11", "11111.11", "11111.11"),
        upgrade_price=(1_000_000, 1_000_000, 1_000_000),
        legs_required=2,
    )
    assert plan.max_order_payout() <= plan.package_price
    events = at_the_last_day(make_stream(4, 400, roots=2, repurchase=0.5, days=8))
    run = assert_matches_reference(plan, events)
    assert run.ledger.rank.max() >= 3
    # floor(0.3333333333 × 33333333 fen) = floor(11111111 − 0.0011) = 11111110: the peer
    # reward on an AGENT sponsor's direct reward, worked by hand
    assert plan.fen.peer(33333333) == 11111110


@st.composite
def distribution_plans(draw):
    price = draw(fen())
    levels = draw(st.lists(rates(), min_size=1, max_size=6))
    assume(sum(math.floor(Fraction(r) * price) for r in levels) <= price)
    return distribution(price=yuan(price), rates=levels)


def distribution_reference(plan, events):
    # Walk the sponsor chain of each buyer, level by level.
    price = int(plan.price * 100)
    rewards = [math.floor(Fraction(r) * price) for r in plan.rates]
    sponsor, earned = {}, {}
    for ev in events:
        if len(ev) == 3:
            sponsor[ev[0]] = ev[1]
            earned[ev[0]] = [0, 0]
        y = sponsor[ev[0]]
        for level, reward in enumerate(rewards):
            if y is None:
                break
            earned[y][min(level, 1)] += reward
            y = sponsor[y]
    return earned


@FAST
@given(plan=distribution_plans(), seed=st.integers(0, 2**32), n=st.integers(1, 60))
def test_any_distribution_plan_matches_a_walk_up_the_sponsors(plan, seed, n):
    events = make_stream(seed, n, roots=1, repurchase=0.4, days=4, style="chain")
    run = simulate(plan, events)
    want = distribution_reference(plan, events)
    led = run.ledger
    assert [[int(led.direct[r]), int(led.indirect[r])] for r in range(len(led))] == list(
        want.values()
    )
    assert run.totals.conserved


@FAST
@given(
    price=fen(),
    rate=rates(),
    required=st.sampled_from([1, 2, 3, MAX_COUNT]),
    seed=st.integers(0, 2**32),
    n=st.integers(1, 60),
)
def test_any_refund_plan_refunds_floor_rate_times_price_once(price, rate, required, seed, n):
    plan = recruit_three_refund_one(price=yuan(price), refund_rate=rate, recruits_required=required)
    events = make_stream(seed, n, roots=1, repurchase=0.4, days=4, style="preferential")
    run = simulate(plan, events)
    recruits: dict[int, int] = {}
    for ev in events:
        if len(ev) == 3 and ev[1] is not None:
            recruits[ev[1]] = recruits.get(ev[1], 0) + 1
    refund = math.floor(Fraction(rate) * price)
    want = [refund if recruits.get(m, 0) >= required else 0 for m in run.ledger.label]
    assert run.ledger.refund.tolist() == want
    assert run.totals.retained == len(events) * price - sum(want)


def test_an_ensemble_is_the_same_whatever_the_executor():
    plan = liandong_699(peer_rate="0.1234567891", freeze_rate="0.3333333333")
    grow = dict(members=800, days=90)
    serial = simulate_ensemble(plan, seeds=[5, 2], **grow)
    with ThreadPoolExecutor(2) as pool:
        threads = simulate_ensemble(plan, seeds=[5, 2], executor=pool, **grow)
    assert serial.to_records() == threads.to_records()
    for a, b in zip(serial.summaries, threads.summaries, strict=True):
        assert a.cohort_records() == b.cohort_records()
