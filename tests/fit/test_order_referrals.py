"""Channels and referrers of an order log: worked out by hand on tiny logs, and a round trip
of a grown referral network through an order log and back."""

from __future__ import annotations

import pytest

duckdb = pytest.importorskip("duckdb")
pd = pytest.importorskip("pandas")

from bizmodels.fit import read_orders  # noqa: E402
from bizmodels.plans import EventStream, generate_growth, liandong_699, simulate  # noqa: E402

# a refers b; c was referred by z, who never ordered; c refers d, who buys before c does
ROWS = [
    ("a", None, "wx", "2024-01-01", 699.0),
    ("b", "a", "dy", "2024-01-03", 699.0),
    ("b", None, "wx", "2024-01-09", 99.0),
    ("d", "c", "wx", "2024-01-05", 5.0),
    ("c", "z", None, "2024-01-10", 10.0),
]


def read(rows=ROWS, **options):
    frame = pd.DataFrame(rows, columns=["id", "ref", "ch", "day", "paid"])
    return read_orders(
        frame, customer="id", date="day", amount="paid", referrer="ref", channel="ch", **options
    )


def test_channels_by_the_first_order_by_hand():
    table = read().channels
    rows = {r["channel"]: r for r in table.to_dict("records")}
    # wx: a (699) and d (5) came by wx; b came by dy (699 + 99 over two days); c by none
    assert list(table["channel"]) == ["wx", "(none)", "dy"]
    assert (rows["wx"]["customers"], rows["wx"]["orders"], rows["wx"]["amount"]) == (2, 2, 704.0)
    assert (rows["dy"]["customers"], rows["dy"]["orders"], rows["dy"]["amount"]) == (1, 2, 798.0)
    assert rows["dy"]["repeat_customers"] == 1 and rows["dy"]["repeat_share"] == 1.0
    assert rows["dy"]["order_value"] == 399.0 and rows["(none)"]["customers"] == 1


def test_the_referral_log_by_hand():
    log = read()
    got = [
        (r["member"], r["sponsor"], r["join_day"], r["ordered"])
        for r in log.referrals.to_dict("records")
    ]
    # z never ordered: a root on day 0; c joins on 5 January (day 4), when d, whom c
    # referred, first buys: before d, a sponsor before its recruit on the same day
    assert got == [
        ("a", None, 0, True),
        ("z", None, 0, False),
        ("b", "a", 2, True),
        ("c", "z", 4, True),
        ("d", "c", 4, True),
    ]
    # repurchases: b on 9 January (day 8); c's first order (day 9) comes after its join
    repeats = list(log.referral_orders.itertuples(index=False, name=None))
    assert repeats == [("b", 8), ("c", 9)]


def test_the_referral_events_replay_through_a_plan():
    stream = read().referral_events()
    events = [
        (int(k), stream.labels[m], None if s < 0 else stream.labels[s], int(d))
        for k, m, s, d in zip(stream.kind, stream.member, stream.sponsor, stream.day, strict=True)
    ]
    assert events == [
        (0, "a", None, 0),
        (0, "z", None, 0),
        (0, "b", "a", 2),
        (0, "c", "z", 4),
        (0, "d", "c", 4),
        (1, "b", None, 8),
        (1, "c", None, 9),
    ]
    # the plan sells a 699 package at each of the 5 joins and 2 repurchases (its own price,
    # not the log's amounts)
    run = simulate(liandong_699(), stream)
    assert run.summary().packages == 7 * 69900


def test_integer_ids_with_missing_referrers_stay_integers():
    rows = [(1, None, "2024-01-01", 1.0), (2, 1, "2024-01-01", 1.0), (3, 2, "2024-01-02", 1.0)]
    frame = pd.DataFrame(rows, columns=["id", "ref", "day", "paid"])  # ref: 1.0, 2.0, NaN
    log = read_orders(frame, customer="id", date="day", amount="paid", referrer="ref")
    assert log.referrals["member"].tolist() == [1, 2, 3]
    assert log.referrals["sponsor"].tolist() == [None, 1, 2]


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [("a", "a", None, "2024-01-01", 1.0)],
            "referrer: customer 'a' names itself as its referrer",
        ),
        (
            [("a", "b", None, "2024-01-01", 1.0), ("b", "a", None, "2024-01-02", 1.0)],
            "referrer: customer 'a' is in a referral cycle: following its referrers leads back",
        ),
    ],
)
def test_a_referral_log_that_cannot_be_is_refused(rows, message):
    with pytest.raises(ValueError, match=message):
        read(rows)


def test_referral_events_need_the_referrer_column():
    frame = pd.DataFrame({"id": ["a"], "day": ["2024-01-01"], "paid": [1.0]})
    log = read_orders(frame, customer="id", date="day", amount="paid")
    assert log.referrals is None and log.channels is None
    with pytest.raises(ValueError, match="read the log with referrer="):
        log.referral_events()


def test_a_grown_network_comes_back_from_its_order_log():
    # a network written as the orders a shop would export (each join a first order naming
    # its sponsor, each repurchase an order), read back: the same joins, sponsors and days
    grown = EventStream.of(generate_growth(members=3000, days=120, seed=4))
    start = pd.Timestamp("2024-01-01")
    rows = []
    for k, m, s, d in zip(grown.kind, grown.member, grown.sponsor, grown.day, strict=True):
        label = f"m{int(grown.labels[m])}"
        sponsor = f"m{int(grown.labels[s])}" if k == 0 and s >= 0 else None
        rows.append((label, sponsor, None, start + pd.Timedelta(days=int(d)), 699.0))
    log = read(rows)
    back = log.referral_events()
    assert back.n_members == grown.n_members
    joins_back = back.kind == 0
    joins = grown.kind == 0
    assert list(back.member[joins_back]) == list(grown.member[joins])
    assert list(back.sponsor[joins_back]) == list(grown.sponsor[joins])
    assert list(back.day[joins_back]) == list(grown.day[joins])
    # repurchases: one per member and day, none on the day the member joined
    join_day = dict(zip(grown.member[joins].tolist(), grown.day[joins].tolist(), strict=True))
    expected = sorted(
        {
            (m, d)
            for m, d in zip(grown.member[~joins].tolist(), grown.day[~joins].tolist(), strict=True)
            if d != join_day[m]
        },
        key=lambda md: (md[1], md[0]),
    )
    got = sorted(
        zip(back.member[~joins_back].tolist(), back.day[~joins_back].tolist(), strict=True),
        key=lambda md: (md[1], md[0]),
    )
    assert got == expected
