import random
from collections import defaultdict
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError
from reference_liandong import simulate_reference

import bizmodels.plans as bp
from bizmodels.plans import (
    EVENT_DTYPE,
    KINDS,
    DistributionPlan,
    EventStream,
    LiandongPlan,
    Rank,
    RefundPlan,
    distribution,
    liandong_699,
    read_events,
    recruit_three_refund_one,
    simulate,
)

WORKED = [("R", None, 0), ("A", "R", 0), ("B", "R", 0), ("C", "R", 0), ("D", "A", 0)]


def yuan(fen):
    return Decimal(int(fen)) / 100


# -- the spec's worked example --------------------------------------------------------


def test_worked_example_entry_by_entry():
    # spec liandong-2plus1.md, "Worked example"
    run = simulate(liandong_699(), WORKED)
    led, tot = run.ledger, run.totals
    r, a = run.row("R"), run.row("A")
    assert yuan(led.available[r]) == 746  # 160+160+240+100+20+16+50
    assert yuan(led.frozen[r]) == 144  # 40+40+60+4
    assert yuan(led.available[a]) == 160
    assert yuan(led.frozen[a]) == 40
    assert [yuan(x) for x in (led.direct[r], led.see_point[r], led.differential[r])] == [
        700,
        100,
        20,
    ]
    assert yuan(led.peer[r]) == 20 and yuan(led.pool[r]) == 50
    assert yuan(led.direct[a]) == 200
    for m in "BCD":
        row = run.row(m)
        assert led.available[row] == led.frozen[row] == 0
        assert yuan(led.spent[row]) == 699
    assert yuan(led.spent[r]) == 699 + 999  # the V1 identity package
    assert Rank(led.rank[r]) == Rank.V1 and Rank(led.rank[a]) == Rank.MEMBER
    assert led.parent[run.row("D")] == r and led.slid[run.row("D")]
    assert not led.slid[run.row("C")]
    assert led.recruits.tolist() == [3, 1, 0, 0, 0]
    assert tot.yuan("retained") == 3304  # 669+469+469+(369+999)+329
    assert tot.pools == (0, 5000, 5000)  # V2 and V3 carry 50 each
    assert tot.yuan("received") == 4494  # 5 × 699 + 999
    assert tot.received == tot.retained + tot.available + tot.frozen + sum(tot.pools)
    assert (yuan(tot.available), yuan(tot.frozen)) == (906, 184)
    assert tot.identity_packages == 99900
    assert led.net.tolist() == (led.available + led.frozen - led.spent).tolist()


def test_worked_example_retained_per_event_and_daily_row():
    run = simulate(liandong_699(), WORKED)
    kept = [run.explain(i).kept for i in range(5)]
    assert [yuan(k) for k in kept] == [669, 469, 469, 369, 329]
    d = run.daily
    assert len(d) == 1
    assert d.members.tolist() == [5] and d.orders.tolist() == [5]
    assert d.received.tolist() == [449400]
    assert d.dividend.tolist() == [[5000, 0, 0]] and d.holders.tolist() == [[1, 0, 0]]
    assert d.pool.tolist() == [[0, 5000, 5000]]
    assert d.help_fund.tolist() == [18400]
    assert d.retained.tolist() == [330400]


def test_worked_example_explained():
    e = simulate(liandong_699(), WORKED).explain(4)
    got = [(r.kind, r.recipient, yuan(r.amount), yuan(r.frozen)) for r in e.rewards]
    assert got == [
        ("direct", "A", 200, 40),
        ("see_point", "R", 100, 0),
        ("differential", "R", 20, 0),
        ("peer", "R", 20, 4),
    ]
    assert [(u.kind, yuan(u.amount)) for u in e.unclaimed] == [
        ("differential", 30),
        ("peer", 10),
    ]
    assert "no ancestor" in e.unclaimed[1].reason
    assert "slid" in e.placement
    assert next((s.pool, s.holders, s.per_holder) for s in e.splits) == (Rank.V1, 1, 5000)
    up = simulate(liandong_699(), WORKED).explain(3).upgrades
    assert [(u.member, u.rank, u.identity_package) for u in up] == [("R", Rank.V1, 99900)]
    assert "R becomes V1" in str(simulate(liandong_699(), WORKED).explain(3))


def test_explain_index_out_of_range():
    run = simulate(liandong_699(), WORKED)
    assert run.explain(-1).event == 4
    with pytest.raises(IndexError, match="event 5 is out of range"):
        run.explain(5)


def test_seed_checks_289_on_a_full_network():
    # seed 001: 699-100-200-50-30-30=289 once every recipient is there. Build a network
    # where a slid buyer has a MEMBER sponsor, a V1, V2, V3 chain above, and peers.
    plan = liandong_699(legs_required=1, agent_recruits=1)
    events = [("T", None, 0), ("S", "T", 0), ("Q", "S", 0), ("P", "Q", 0), ("X", "P", 0)]
    events += [("Y", "X", 0)]
    run = simulate(plan, events)
    assert run.totals.conserved


# -- random streams against the reference ------------------------------------------------


def make_stream(seed, n, roots=2, repurchase=0.5, days=5, style="uniform"):
    rng = random.Random(seed)
    events, joined, recruits = [], [], []
    day = 0
    per_day = max(1, n // max(days, 1))
    for i in range(n):
        while joined and rng.random() < repurchase:
            events.append((rng.choice(joined), day))
        if i < roots:
            sponsor = None
        elif style == "chain":
            sponsor = joined[-1] if rng.random() < 0.8 else rng.choice(joined)
        elif style == "preferential":
            weights = [c + 1 for c in recruits]
            sponsor = rng.choices(joined, weights)[0]
        else:
            sponsor = rng.choice(joined)
        events.append((i, sponsor, day))
        joined.append(i)
        recruits.append(0)
        if sponsor is not None:
            recruits[sponsor] += 1
        if (i + 1) % per_day == 0 and rng.random() < 0.8:
            day += 1
    return events


def assert_matches_reference(plan, events):
    run = simulate(plan, events)
    members, totals = simulate_reference(plan, events)
    led = run.ledger
    assert list(led.label) == list(members)
    label = led.label
    for row, m in enumerate(members):
        want = members[m]
        got = {
            "rank": int(led.rank[row]),
            "sponsor": None if led.sponsor[row] < 0 else label[led.sponsor[row]],
            "parent": None if led.parent[row] < 0 else label[led.parent[row]],
            "recruits": int(led.recruits[row]),
            "slid": bool(led.slid[row]),
            "qualified": bool(led.qualified[row]),
            "spent": int(led.spent[row]),
            **{k: int(getattr(led, k)[row]) for k in KINDS[:5]},
            "available": int(led.available[row]),
            "frozen": int(led.frozen[row]),
            "net": int(led.net[row]),
        }
        assert got == want, f"member {m}"
    t = run.totals
    assert t.received == totals["received"]
    assert t.packages == totals["packages"]
    assert t.identity_packages == totals["identity"]
    assert t.retained == totals["retained"]
    assert t.released == totals["released"]
    assert t.rewards_on_joins == totals["on_joins"]
    assert t.rewards_on_repurchases == totals["on_repurchases"]
    assert t.rewards_on_joins + t.rewards_on_repurchases == t.received - t.retained
    assert t.available == totals["available"]
    assert t.frozen == totals["frozen"]
    assert t.pools == totals["pools"]
    assert {k: t.payouts[k] for k in KINDS[:5]} == totals["payouts"]
    assert {k: t.breakage_by[k] for k in totals["breakage"]} == totals["breakage"]
    assert t.conserved
    return run


def assert_explanations_add_up(run):
    earned = defaultdict(int)
    frozen_parts = defaultdict(int)
    unclaimed = released = identity = 0
    for i in range(len(run.events)):
        e = run.explain(i)
        assert e.kept >= 0
        for r in e.rewards:
            earned[r.row, r.kind] += r.amount
            frozen_parts[r.row] += r.frozen
        unclaimed += sum(u.amount for u in e.unclaimed)
        released += sum(x.amount for x in e.releases)
        identity += sum(u.identity_package for u in e.upgrades)
    led = run.ledger
    for row in range(len(led)):
        for kind in KINDS:
            if kind != "pool":
                assert earned[row, kind] == getattr(led, kind)[row], (row, kind)
        if not led.qualified[row]:
            assert frozen_parts[row] == led.frozen[row]
    assert unclaimed == run.totals.breakage
    assert released == run.totals.released
    assert identity == run.totals.identity_packages


@st.composite
def liandong_plans(draw):
    ent = sorted(draw(st.lists(st.sampled_from([0, 10, 20, 30, 50]), min_size=3, max_size=3)))
    return LiandongPlan(
        direct_member=draw(st.sampled_from([0, 150, 200])),
        direct_agent=draw(st.sampled_from([200, 300])),
        see_point=draw(st.sampled_from([0, 55.55, 100])),
        differential=tuple(ent),
        peer_rate=draw(st.sampled_from(["0", "0.1", "0.15", "0.333"])),
        freeze_rate=draw(st.sampled_from(["0", "0.2", "0.37", "1"])),
        pool_contribution=(10, draw(st.sampled_from([0, 10, 3.33])), 10),
        pool_share=draw(st.sampled_from(["exact", "at_least"])),
        slide_positions=draw(st.integers(0, 3)),
        agent_recruits=draw(st.integers(1, 3)),
        legs_required=draw(st.integers(1, 3)),
        unlock_orders=draw(st.integers(0, 8)),
    )


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    plan=liandong_plans(),
    seed=st.integers(0, 2**32),
    n=st.integers(1, 80),
    roots=st.integers(1, 3),
    repurchase=st.sampled_from([0.0, 0.3, 0.6]),
    days=st.integers(1, 8),
    style=st.sampled_from(["uniform", "preferential", "chain"]),
)
def test_random_streams_match_the_reference(plan, seed, n, roots, repurchase, days, style):
    events = make_stream(seed, n, roots, repurchase, days, style)
    run = assert_matches_reference(plan, events)
    assert_explanations_add_up(run)


@pytest.mark.parametrize(
    ("plan", "style"),
    [
        (liandong_699(), "preferential"),
        (liandong_699(), "uniform"),
        (liandong_699(legs_required=2, unlock_orders=3), "preferential"),
        (liandong_699(legs_required=2, pool_share="at_least"), "chain"),
    ],
)
def test_larger_streams_match_the_reference(plan, style):
    events = make_stream(7, 1500, roots=3, repurchase=0.5, days=12, style=style)
    run = assert_matches_reference(plan, events)
    assert run.ledger.rank.max() >= Rank.V1


def test_v3_reached_and_matches():
    plan = liandong_699(legs_required=2, agent_recruits=2)
    events = make_stream(3, 2500, roots=1, repurchase=0.3, days=20, style="preferential")
    run = assert_matches_reference(plan, events)
    assert (run.ledger.rank == Rank.V3).any()
    assert run.totals.payouts["pool"] > 0 and run.totals.released > 0


def test_array_input_gives_the_same_ledger():
    events = make_stream(11, 300, roots=2, repurchase=0.5, days=6, style="preferential")
    arr = np.zeros(len(events), EVENT_DTYPE)
    for i, ev in enumerate(events):
        if len(ev) == 3:
            arr[i] = (bp.JOIN, ev[0], -1 if ev[1] is None else ev[1], ev[2])
        else:
            arr[i] = (bp.ORDER, ev[0], -1, ev[1])
    a = simulate(liandong_699(), events)
    b = simulate(liandong_699(), arr)
    for name, col in a.ledger.columns().items():
        assert np.array_equal(col, getattr(b.ledger, name)), name
    # ids need not be 0..n-1 in join order
    arr2 = arr.copy()
    arr2["member"] = arr["member"] * 7 + 1000
    arr2["sponsor"] = np.where(arr["sponsor"] >= 0, arr["sponsor"] * 7 + 1000, -1)
    c = simulate(liandong_699(), arr2)
    assert np.array_equal(c.ledger.available, a.ledger.available)
    assert c.row(1000 + 7 * 5) == 5
    assert a.totals == b.totals == c.totals


def test_empty_stream():
    run = simulate(liandong_699(), [])
    assert len(run.ledger) == 0 and len(run.daily) == 0 and run.totals.received == 0


def test_deep_chain_is_fast_and_exact():
    events = [(0, None, 0)] + [(i, i - 1, 0) for i in range(1, 3000)]
    events += [(i, 1) for i in range(0, 3000, 3)]
    assert_matches_reference(liandong_699(), events)


# -- bad input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("events", "message"),
    [
        ([("R", None, 0), ("A", "X", 0)], "event 1: unknown sponsor 'X' of member 'A'"),
        (
            [("A", "R", 0), ("R", None, 0)],
            "event 0: sponsor 'R' of member 'A' joins later, at event 1",
        ),
        ([("R", None, 0), ("R", None, 0)], r"event 1: member 'R' joins twice \(first at event 0\)"),
        ([("R", None, 0), ("A", 0), ("A", "R", 0)], "event 1: order by member 'A' before it joins"),
        ([("R", None, 0), ("Z", 0)], "event 1: order by member 'Z', who never joins"),
        ([("R", None, 1), ("A", "R", 0)], "event 1: day 0 goes back from day 1 of event 0"),
        ([("R", None, 0), ("A",)], "event 1: malformed event"),
        ([("R", None, 0), "A"], "event 1: malformed event"),
        ([("R", None, 0.5)], "event 0: day must be an integer"),
        ([("R", None, True)], "event 0: day must be an integer"),
        ([(None, None, 0)], "event 0: member is None"),
        ([(["R"], None, 0)], "event 0: member .* is not hashable"),
        ([("R", "R", 0)], "event 0: member 'R' names itself as sponsor"),
    ],
)
def test_bad_tuples(events, message):
    with pytest.raises(ValueError, match=message):
        simulate(liandong_699(), events)


def arr(rows):
    return np.array(rows, dtype=EVENT_DTYPE)


@pytest.mark.parametrize(
    ("events", "message"),
    [
        (arr([(0, 0, -1, 0), (0, 1, 5, 0)]), "event 1: unknown sponsor 5 of member 1"),
        (
            arr([(0, 0, 1, 0), (0, 1, -1, 0)]),
            "event 0: sponsor 1 of member 0 joins later, at event 1",
        ),
        (
            arr([(0, 0, -1, 0), (0, 0, -1, 0)]),
            r"event 1: member 0 joins twice \(first at event 0\)",
        ),
        (
            arr([(0, 0, -1, 0), (1, 1, -1, 0), (0, 1, 0, 0)]),
            "event 1: order by member 1 before it joins",
        ),
        (arr([(0, 0, -1, 0), (1, 9, -1, 0)]), "event 1: order by member 9, who never joins"),
        (arr([(0, 0, -1, 3), (0, 1, 0, 2)]), "event 1: day 2 goes back from day 3 of event 0"),
        (arr([(0, 0, -1, 0), (5, 0, -1, 0)]), "event 1: kind 5 is none of JOIN"),
        (arr([(0, -4, -1, 0)]), "event 0: member id -4 is negative"),
        (arr([(0, 3, 3, 0)]), "event 0: member 3 names itself as sponsor"),
        (np.zeros(2, [("kind", "i1"), ("member", "i8")]), "missing: sponsor, day"),
        (arr([(0, 10, -1, 0), (0, 20, 10, 0), (0, 20, 10, 1)]), "event 2: member 20 joins twice"),
    ],
)
def test_bad_arrays(events, message):
    with pytest.raises(ValueError, match=message):
        simulate(liandong_699(), events)


def test_the_earliest_bad_event_is_named():
    events = arr([(0, 0, -1, 0), (1, 7, -1, 0), (0, 1, 9, 0)])
    with pytest.raises(ValueError, match=r"^event 1: "):
        simulate(liandong_699(), events)


def test_bad_event_at_the_end_raises_before_anything_runs():
    events = [*make_stream(1, 200), ("nobody", 99)]
    with pytest.raises(ValueError, match=f"event {len(events) - 1}: order by member 'nobody'"):
        simulate(liandong_699(), events)


def test_not_a_plan():
    with pytest.raises(TypeError, match="LiandongPlan, DistributionPlan or RefundPlan"):
        simulate("liandong_699", WORKED)  # type: ignore[arg-type]


# -- CSV ---------------------------------------------------------------------------------


def test_read_events_replays_the_worked_example(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text(
        "day,kind,member,sponsor,note\n"
        "0,join,R,,seeded\n0,JOIN,A,R,\n\n0,join,B,R,\n0,join,C,R,\n0, join ,D,A,\n1,order,D,,\n"
    )
    stream = read_events(path)
    assert len(stream) == 6 and stream.n_members == 5
    run = simulate(liandong_699(), stream)
    first = simulate(liandong_699(), WORKED)
    assert run.ledger.available[run.row("A")] == first.ledger.available[first.row("A")] + 16000
    assert run.explain(5).where == f"{path}, line 8"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("kind,member,day\n", "line 1: the header lacks sponsor"),
        ("", "line 1: empty file"),
        (
            "kind,member,sponsor,day\njoin,R,,0\nbuy,A,R,0\n",
            "line 3: kind must be 'join', 'order', 'refund' or 'withdrawal'",
        ),
        (
            "kind,member,sponsor,day\njoin,R,,x\n",
            "line 2: day must be a whole number from 0 to 10,000,000, got 'x'",
        ),
        ("kind,member,sponsor,day\njoin,R,,0\njoin,A,X,0\n", "line 3: unknown sponsor 'X'"),
        (
            "kind,member,sponsor,day\njoin,R,,1\n\njoin,A,R,0\n",
            "line 4: day 0 goes back from day 1 of line 2",
        ),
        (
            "kind,member,sponsor,day\norder,A,,0\njoin,A,,0\n",
            r"line 2: order by member 'A' before it joins \(at line 3\)",
        ),
        ("kind,member,sponsor,day\njoin,R,,0\norder,R,Q,0\n", "line 3: an order names no sponsor"),
        ("kind,member,sponsor,day\njoin,,,0\n", "line 2: empty member"),
        ("kind,member,sponsor,day\njoin,R\n", "line 2: 2 fields"),
    ],
)
def test_read_events_errors_name_the_line(tmp_path, text, message):
    path = tmp_path / "bad.csv"
    path.write_text(text)
    with pytest.raises(ValueError, match=message):
        read_events(path)


def test_event_stream_lookup():
    s = EventStream.of(WORKED)
    assert EventStream.of(s) is s
    assert s.row("D") == 4
    with pytest.raises(KeyError, match="no member 'Q'"):
        s.row("Q")
    ints = EventStream.of([(5, None, 0), (9, 5, 0)])
    assert ints.labels.dtype == np.int64 and ints.row(9) == 1


# -- the other plans -----------------------------------------------------------------------


def test_distribution_by_hand():
    # price 100 yuan, 10% then 5%: R ← A ← B, B repurchases once.
    plan = distribution(rates=[0.1, 0.05], price=100)
    run = simulate(plan, [("R", None, 0), ("A", "R", 0), ("B", "A", 1), ("B", 2)])
    led = run.ledger
    assert led.direct.tolist() == [1000, 2000, 0]  # R: A's join; A: B's join and order
    assert led.indirect.tolist() == [1000, 0, 0]  # R: level 2 of B's two orders
    assert led.available.tolist() == [2000, 2000, 0]
    assert led.spent.tolist() == [10000, 10000, 20000]
    assert led.qualified.all() and not led.frozen.any()
    assert led.parent.tolist() == led.sponsor.tolist() == [-1, 0, 1]
    t = run.totals
    assert t.received == 40000 and t.paid == 4000
    assert t.breakage_by["level"] == 1500 + 500  # R's join pays no one, A's only level 1
    assert t.retained == 36000 and t.conserved
    assert run.daily.payouts.tolist() == [1000, 1500, 1500]
    e = run.explain(1)
    assert [(r.kind, r.recipient, r.amount) for r in e.rewards] == [("direct", "R", 1000)]
    assert [(u.kind, u.amount) for u in e.unclaimed] == [("indirect", 500)]
    assert_explanations_add_up(run)


def test_distribution_floors_to_the_fen():
    # 15% of 9.99 yuan = 1.4985 yuan → 149 fen; 3.3% → 32.967 → 32 fen
    plan = distribution(rates=[0.15, 0.033], price="9.99")
    assert plan.level_rewards == (149, 32)
    run = simulate(plan, [(0, None, 0), (1, 0, 0), (2, 1, 0)])
    assert run.ledger.direct.tolist() == [149, 149, 0]
    assert run.ledger.indirect.tolist() == [32, 0, 0]
    assert run.totals.retained == 3 * 999 - 149 * 2 - 32


def test_distribution_three_levels_on_random_streams():
    plan = distribution(rates=[0.1, 0.05, 0.02])
    run = simulate(plan, make_stream(5, 400, style="preferential"))
    assert run.totals.conserved
    assert run.totals.payouts["direct"] > run.totals.payouts["indirect"] > 0
    assert_explanations_add_up(run)


def test_distribution_bad_parameters():
    with pytest.raises(ValidationError, match="more than the price"):
        distribution(rates=[0.6, 0.5])
    with pytest.raises(ValidationError):
        distribution(rates=[-0.1])
    with pytest.raises(ValidationError):
        distribution(rates=[])
    with pytest.raises(ValidationError, match="extra"):
        DistributionPlan(levels=2)


def test_recruit_three_refund_one_by_hand():
    plan = recruit_three_refund_one(price=100)
    events = [("R", None, 0), ("A", "R", 0), ("B", "R", 0), ("C", "R", 1), ("D", "R", 1)]
    events += [("E", "A", 2), ("F", "A", 2), ("A", 2), ("G", "A", 3), ("R", 3)]
    run = simulate(plan, events)
    led = run.ledger
    assert led.refund[run.row("R")] == 10000  # at C, its 3rd recruit; D pays nothing more
    assert led.refund[run.row("A")] == 10000  # at G
    assert led.refund.sum() == 20000
    assert led.net[run.row("R")] == 10000 - 20000
    t = run.totals
    assert t.received == 10 * 10000 and t.paid == 20000 and t.retained == 80000
    e = run.explain(3)
    assert [(r.kind, r.recipient, r.amount) for r in e.rewards] == [("refund", "R", 10000)]
    assert "recruit no. 3" in e.rewards[0].rule
    assert run.explain(4).rewards == ()
    assert_explanations_add_up(run)


def test_refund_rate_and_bad_parameters():
    run = simulate(
        recruit_three_refund_one(price=100, refund_rate=0.5, recruits_required=1),
        [(0, None, 0), (1, 0, 0), (2, 1, 0)],
    )
    assert run.ledger.refund.tolist() == [5000, 5000, 0]
    with pytest.raises(ValidationError):
        RefundPlan(recruits_required=0)
    with pytest.raises(ValidationError):
        RefundPlan(refund_rate=1.5)


def test_registry_builds_every_plan():
    assert set(bp.PLANS) == {"liandong_699", "distribution", "recruit_three_refund_one"}
    for name in bp.PLANS:
        plan = bp.get_plan(name)
        assert simulate(plan, WORKED).totals.conserved


def test_ledger_views():
    run = simulate(liandong_699(), WORKED)
    assert run.ledger.yuan("available").tolist() == [746.0, 160.0, 0.0, 0.0, 0.0]
    with pytest.raises(KeyError, match="not a money column"):
        run.ledger.yuan("rank")
    assert run.totals.yuan("direct") == 900
    assert run.totals.yuan("peer_on_direct") == 70
    with pytest.raises(KeyError):
        run.totals.yuan("members")
    assert list(run.ledger.columns())[:3] == ["label", "join_event", "join_day"]
    assert run.ledger.earned.tolist() == (run.ledger.available + run.ledger.frozen).tolist()


def test_a_grown_network_keeps_the_seeds_289_where_every_recipient_is_there():
    # seed 001: 699 − 200 − 100 − 50 − 30 − 30 = 289, for a slid buyer under a MEMBER
    # sponsor with regional dealers and same-rank uplines above. Find such orders in a
    # grown network and check each keeps exactly 289 yuan.
    import collections

    import bizmodels as bm

    run = bm.simulate_growth(bm.plans.liandong_699(), members=3000, days=200, seed=3)
    full = []
    for i in range(len(run.events)):
        explained = run.explain(i)
        paid = collections.Counter()
        for reward in explained.rewards:
            paid[reward.kind] += reward.amount
        if paid == {"direct": 20000, "see_point": 10000, "differential": 5000, "peer": 3000}:
            full.append(explained.kept)
    assert full, "the grown network has no order with every recipient present"
    assert set(full) == {28900}
