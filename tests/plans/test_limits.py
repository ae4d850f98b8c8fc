"""Every limit of the plan simulation (bizmodels.plans.limits), at the limit and one step past.

Values at a limit are accepted (and, where a run can be afforded, simulated exactly); one
step past, they are refused before any work, naming the field and the value.
"""

from __future__ import annotations

import os
from decimal import Decimal

import numpy as np
import pytest
from pydantic import ValidationError

import bizmodels.plans.events as events_module
from bizmodels._limits import SizeError
from bizmodels.plans import (
    EVENT_DTYPE,
    ConservationError,
    EventStream,
    Growth,
    LiandongPlan,
    distribution,
    liandong_699,
    read_events,
    recruit_three_refund_one,
    simulate,
)
from bizmodels.plans.limits import (
    INT64_MAX,
    MAX_COHORTS,
    MAX_COUNT,
    MAX_DAY,
    MAX_EVENTS,
    MAX_FEN,
    MAX_GROWTH_DAYS,
    MAX_LABEL,
    MAX_MEMBERS,
    MAX_PERIODS,
    MAX_RECEIVED,
    RATE_PLACES,
)

WORKED = [("R", None, 0), ("A", "R", 0), ("B", "R", 0), ("C", "R", 0), ("D", "A", 0)]
HEADER = "kind,member,sponsor,day\n"

# A plan with room for any single amount at the limit: nothing else pays out.
EMPTY = dict(
    package_price=1_000_000,
    direct_member=0,
    direct_agent=0,
    see_point=0,
    differential=(0, 0, 0),
    pool_contribution=(0, 0, 0),
    peer_rate=0,
)


def refused(call, field, text):
    """The pydantic error of ``call`` is on ``field`` and says ``text``."""
    with pytest.raises(ValidationError) as info:
        call()
    errors = info.value.errors()
    assert len(errors) == 1, errors
    assert errors[0]["loc"][0] == field, errors
    assert text in errors[0]["msg"], errors


# -- the derivation ----------------------------------------------------------------------


def test_the_limits_are_the_largest_the_int64_arithmetic_allows():
    # the largest product: an amount at the limit times a 10-place numerator
    assert MAX_FEN * 10**RATE_PLACES <= INT64_MAX < MAX_FEN * 10 ** (RATE_PLACES + 1)
    # the largest sum: every event a package, every member three identity packages
    assert MAX_RECEIVED == (MAX_EVENTS + 3 * MAX_MEMBERS) * MAX_FEN
    assert 2 * MAX_RECEIVED < INT64_MAX
    assert MAX_EVENTS == 2**31 - 3 and MAX_MEMBERS == 2**31 - 2


# -- amounts -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "at", "past"),
    [
        ("package_price", 1_000_000, "1000000.01"),
        ("direct_member", 1_000_000, "1000000.01"),
        ("direct_agent", 1_000_000, "1000000.01"),
        ("see_point", 1_000_000, "1000000.01"),
        ("differential", (0, 0, 1_000_000), (0, 0, "1000000.01")),
        ("pool_contribution", (1_000_000, 0, 0), ("1000000.01", 0, 0)),
        ("upgrade_price", (1_000_000,) * 3, (1_000_000, 1_000_000, "1000000.01")),
    ],
)
def test_liandong_amounts_up_to_a_million_yuan(field, at, past):
    plan = liandong_699(**{**EMPTY, field: at})
    assert getattr(plan, field) == (tuple(map(Decimal, at)) if isinstance(at, tuple) else at)
    refused(lambda: liandong_699(**{**EMPTY, field: past}), field, "less than or equal to 1000000")


def test_a_huge_package_price_is_refused_not_wrapped():
    # issue 11: liandong_699(package_price=10**15) gave negative totals
    refused(lambda: liandong_699(package_price=10**15), "package_price", "less than or equal")


@pytest.mark.parametrize(
    ("make", "field", "at", "past"),
    [
        (distribution, "price", 1_000_000, "1000000.01"),
        (recruit_three_refund_one, "price", 1_000_000, "1000000.01"),
    ],
)
def test_other_plans_prices_up_to_a_million_yuan(make, field, at, past):
    assert getattr(make(**{field: at}), field) == at
    refused(lambda: make(**{field: past}), field, "less than or equal to 1000000")


# -- rates -------------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["peer_rate", "freeze_rate"])
def test_liandong_rates_to_ten_decimal_places(field):
    assert getattr(liandong_699(**{field: "0.3333333333"}), field) == Decimal("0.3333333333")
    assert getattr(liandong_699(**{field: "1E-10"}), field) == Decimal("1E-10")
    refused(lambda: liandong_699(**{field: "0.33333333333"}), field, "no more than 10 decimal")
    refused(lambda: liandong_699(**{field: "1E-11"}), field, "no more than 10 decimal")
    room = {"package_price": 1000}  # a peer rate of 1 pays 300 + 100 more per order
    assert getattr(liandong_699(**room, **{field: 1}), field) == 1
    refused(lambda: liandong_699(**{field: "1.0000000001"}), field, "less than or equal to 1")


def test_the_float_one_third_is_refused_by_name():
    # issue 11: freeze_rate=0.3333333333333333 froze 5,207.27 yuan instead of ~405,893
    refused(
        lambda: liandong_699(freeze_rate=0.3333333333333333), "freeze_rate", "10 decimal places"
    )
    refused(lambda: liandong_699(peer_rate=0.12345678901234568), "peer_rate", "10 decimal places")


def test_other_plans_rates_to_ten_decimal_places():
    assert distribution(rates=["0.3333333333"]).level_rewards == (23299,)  # 69900 × 0.333…
    with pytest.raises(ValidationError, match="no more than 10 decimal places"):
        distribution(rates=["0.1", "0.33333333333"])
    assert recruit_three_refund_one(refund_rate="0.3333333333").refund == 23299
    refused(
        lambda: recruit_three_refund_one(refund_rate="0.33333333333"),
        "refund_rate",
        "no more than 10 decimal places",
    )


def test_a_fine_rate_gives_the_floor_the_spec_defines():
    # The worked example with freeze_rate 0.333333: R's frozen parts are
    # floor(0.333333 × 20000) twice (A, B), floor(0.333333 × 30000) (C) and the peer
    # reward floor(0.333333 × 2000): 6666 + 6666 + 9999 + 666 = 23997 fen; A's 6666.
    run = simulate(liandong_699(freeze_rate="0.333333"), WORKED)
    assert int(run.ledger.frozen[run.row("R")]) == 23997
    assert int(run.ledger.frozen[run.row("A")]) == 6666
    assert run.totals.frozen == 23997 + 6666


def test_distribution_levels_up_to_one_hundred():
    assert len(distribution(rates=["0.01"] * 100).level_rewards) == 100
    with pytest.raises(ValidationError, match="at most 100 items"):
        distribution(rates=["0.001"] * 101)


# -- counts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "field", ["slide_positions", "agent_recruits", "legs_required", "unlock_orders"]
)
def test_liandong_counts_up_to_two_to_the_31_minus_2(field):
    plan = liandong_699(**{field: MAX_COUNT})
    assert simulate(plan, WORKED).totals.conserved
    refused(lambda: liandong_699(**{field: MAX_COUNT + 1}), field, "less than or equal")
    refused(lambda: liandong_699(**{field: 10**30}), field, "less than or equal")


def test_refund_recruits_up_to_two_to_the_31_minus_2():
    plan = recruit_three_refund_one(recruits_required=MAX_COUNT)
    assert simulate(plan, WORKED).totals.paid == 0
    refused(
        lambda: recruit_three_refund_one(recruits_required=MAX_COUNT + 1),
        "recruits_required",
        "less than or equal",
    )


# -- days --------------------------------------------------------------------------------


def test_days_from_zero_to_ten_million_in_tuples_and_arrays():
    run = simulate(liandong_699(), [("R", None, 0), ("A", "R", MAX_DAY)])
    assert run.daily.day.tolist() == [0, MAX_DAY]
    for day in (MAX_DAY + 1, -1, 10**30):
        with pytest.raises(ValueError, match=r"event 1: day .* is out of range; days are whole"):
            simulate(liandong_699(), [("R", None, 0), ("A", "R", day)])
    arr = np.zeros(2, EVENT_DTYPE)
    arr["sponsor"] = [-1, 0]
    arr["member"] = [0, 1]
    arr["day"] = [0, MAX_DAY]
    assert len(simulate(liandong_699(), arr).daily) == 2
    arr["day"][1] = MAX_DAY + 1
    with pytest.raises(ValueError, match="event 1: day 10000001 is out of range"):
        simulate(liandong_699(), arr)
    arr["day"] = [-1, 0]
    with pytest.raises(ValueError, match="event 0: day -1 is out of range"):
        simulate(liandong_699(), arr)


def test_growth_days_up_to_a_hundred_years():
    assert Growth(days=MAX_GROWTH_DAYS).days == MAX_GROWTH_DAYS
    with pytest.raises(ValidationError, match="days = 36501: at most 36,500"):
        Growth(days=MAX_GROWTH_DAYS + 1)
    # issue 11: --days 10**9 ran past a minute; its repurchases alone need terabytes
    with pytest.raises(ValidationError, match=r"days = 1000000000 \(with members = 10000.*TB"):
        Growth(days=10**9)
    with pytest.raises(ValidationError, match="days = 1000000000: at most 36,500"):
        Growth(days=10**9, repurchase_rate=0)


# -- events and members ------------------------------------------------------------------


def broadcast_stream(n_events, n_members):
    """A stream of any length that costs no memory: every column a broadcast scalar."""

    def column(dtype, n):
        return np.broadcast_to(np.zeros(1, dtype), (n,))

    return EventStream(
        column(np.int8, n_events),
        column(np.int32, n_events),
        column(np.int32, n_events),
        column(np.int64, n_events),
        column(np.int64, n_members),
    )


@pytest.fixture
def small_memory(monkeypatch):
    monkeypatch.setenv("BIZMODELS_MEMORY_LIMIT", str(10**9))


def test_events_up_to_two_to_the_31_minus_3(small_memory):
    # at the limit the count is accepted and the memory check comes next
    with pytest.raises(SizeError, match=r"members = 1000000000 \(2147483645 events\) needs"):
        simulate(liandong_699(), broadcast_stream(MAX_EVENTS, 10**9))
    with pytest.raises(ValueError, match="events = 2,147,483,646: a stream holds at most"):
        simulate(liandong_699(), broadcast_stream(MAX_EVENTS + 1, 1))
    arr = np.broadcast_to(np.zeros(1, EVENT_DTYPE), (MAX_EVENTS,))
    with pytest.raises(SizeError, match="events = 2147483645 needs about 172 GB"):
        simulate(liandong_699(), arr)
    arr = np.broadcast_to(np.zeros(1, EVENT_DTYPE), (MAX_EVENTS + 1,))
    with pytest.raises(ValueError, match="events = 2,147,483,646: a stream holds at most"):
        simulate(liandong_699(), arr)


def test_members_up_to_two_to_the_31_minus_2(small_memory):
    with pytest.raises(SizeError, match=r"members = 2147483646 \(1 events\) needs about 429 GB"):
        simulate(liandong_699(), broadcast_stream(1, MAX_MEMBERS))
    with pytest.raises(ValueError, match="members = 2,147,483,647: a stream holds at most"):
        simulate(liandong_699(), broadcast_stream(1, MAX_MEMBERS + 1))


def test_simulation_memory_is_checked_at_200_bytes_a_member(monkeypatch):
    monkeypatch.setenv("BIZMODELS_MEMORY_LIMIT", "1000")  # 5 members × 200 bytes
    assert simulate(liandong_699(), WORKED).totals.conserved
    monkeypatch.setenv("BIZMODELS_MEMORY_LIMIT", "999")
    with pytest.raises(SizeError, match=r"members = 5 \(5 events\) needs about 1 kB"):
        simulate(liandong_699(), WORKED)


def test_growth_members_up_to_two_to_the_31_minus_2(monkeypatch):
    monkeypatch.setenv("BIZMODELS_MEMORY_LIMIT", str(10**18))
    assert Growth(members=MAX_MEMBERS).members == MAX_MEMBERS
    with pytest.raises(ValidationError, match="members = 2147483647: at most 2,147,483,646"):
        Growth(members=MAX_MEMBERS + 1)


def test_growth_memory_is_checked_before_anything_runs(monkeypatch):
    # 1,000 members over one day: 1,000 × 232 + 1,000 joins × 100 = 332,000 bytes
    monkeypatch.setenv("BIZMODELS_MEMORY_LIMIT", "332000")
    assert Growth(members=1000, days=1).memory_estimate() == 332_000
    monkeypatch.setenv("BIZMODELS_MEMORY_LIMIT", "331999")
    with pytest.raises(ValidationError, match="members = 1000 needs about 332 kB of memory"):
        Growth(members=1000, days=1)
    # issue 11: --members 10**12: 10^12 × 232 + (10^12 + 10^12 × 364 × 0.01) × 100 = 696 TB
    monkeypatch.setenv("BIZMODELS_MEMORY_LIMIT", str(10**9))
    with pytest.raises(
        ValidationError,
        match="members = 1000000000000 needs about 696 TB of memory; this machine has 1 GB",
    ):
        Growth(members=10**12)


# -- summaries ---------------------------------------------------------------------------


def test_cohorts_up_to_ten_thousand():
    run = simulate(liandong_699(), WORKED)
    # one participant each: A, B, C, D (R, the company's root, is reported apart)
    assert len(run.summary(cohorts=MAX_COHORTS).cohorts) == 4
    with pytest.raises(ValueError, match="cohorts = 10001: at most 10,000"):
        run.summary(cohorts=MAX_COHORTS + 1)
    with pytest.raises(ValueError, match="cohorts = 1000000000: at most 10,000"):
        run.summary(cohorts=10**9)


def test_cash_flow_periods_up_to_ten_thousand(monkeypatch):
    run = simulate(liandong_699(), [("R", None, 0), ("R", MAX_PERIODS - 1)])
    assert run.member_cash_flows(period=1).periods == MAX_PERIODS
    run = simulate(liandong_699(), [("R", None, 0), ("R", MAX_PERIODS)])
    with pytest.raises(ValueError, match="period = 1: days 0–10000 make 10,001 periods"):
        run.member_cash_flows(period=1)
    monkeypatch.setenv("BIZMODELS_MEMORY_LIMIT", "1000")
    with pytest.raises(SizeError, match=r"period = 2 \(5001 periods × 1 members\) needs about"):
        run.member_cash_flows(period=2)


# -- event files -------------------------------------------------------------------------


def test_labels_up_to_256_characters(tmp_path):
    path = tmp_path / "log.csv"
    long = "m" * MAX_LABEL
    path.write_text(f"{HEADER}join,{long},,0\njoin,A,{long},0\n")
    assert read_events(path).labels.tolist() == [long, "A"]
    path.write_text(f"{HEADER}join,R,,0\njoin,A{long},R,0\n")
    with pytest.raises(ValueError, match=r"log\.csv, line 3: member label of 257 characters"):
        read_events(path)
    path.write_text(f"{HEADER}join,R,,0\njoin,A,R{long},0\n")
    with pytest.raises(ValueError, match="line 3: sponsor label of 257 characters; at most 256"):
        read_events(path)


def test_a_csv_is_read_up_to_its_cap_and_not_one_byte_more(tmp_path, monkeypatch):
    path = tmp_path / "log.csv"
    text = f"{HEADER}join,R,,0\n"
    path.write_text(text)
    monkeypatch.setattr(events_module, "MAX_EVENT_FILE_BYTES", len(text))
    assert len(read_events(path)) == 1
    monkeypatch.setattr(events_module, "MAX_EVENT_FILE_BYTES", len(text) - 1)
    with pytest.raises(ValueError, match=f"log.csv: more than {len(text) - 1} bytes"):
        read_events(path)


def test_csv_days_are_digits_from_zero_to_ten_million(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text(f"{HEADER}join,R,,{MAX_DAY}\n")
    assert read_events(path).day.tolist() == [MAX_DAY]
    for day in (MAX_DAY + 1, -1, "1_000", "٣", "9" * 5000):
        path.write_text(f"{HEADER}join,R,,{day}\n")
        with pytest.raises(ValueError, match="line 2: day must be a whole number from 0 to"):
            read_events(path)


def test_only_regular_files_are_read(tmp_path):
    with pytest.raises(ValueError, match="a directory, not a regular file"):
        read_events(tmp_path)
    fifo = tmp_path / "fifo.csv"
    os.mkfifo(fifo)
    with pytest.raises(ValueError, match=r"fifo\.csv: a named pipe \(FIFO\)"):
        read_events(fifo)  # refused at once: no writer is waited for
    if os.path.exists("/dev/zero"):
        link = tmp_path / "zero.csv"
        link.symlink_to("/dev/zero")
        with pytest.raises(ValueError, match=r"zero\.csv: a character device"):
            read_events(link)
    real = tmp_path / "real.csv"
    real.write_text(f"{HEADER}join,R,,0\n")
    (tmp_path / "link.csv").symlink_to(real)
    assert len(read_events(tmp_path / "link.csv")) == 1


# -- the audit catches what the limits prevent -------------------------------------------


@pytest.mark.parametrize(
    "unchecked",
    [
        {"freeze_rate": Decimal("0.3333333333333333")},
        {"peer_rate": Decimal("0.12345678901234568")},
        {"package_price": Decimal(10**15)},
        # 5 × 10^18 fen fits int64, two of them do not
        {
            "upgrade_price": (Decimal(5 * 10**16),) * 3,
            **{"legs_required": 1, "agent_recruits": 1, "slide_positions": 0},
        },
    ],
)
def test_an_overflow_past_the_limits_is_caught_not_shared(unchecked):
    # Built without validation, these are the inputs of issue 11 that overflowed int64 in
    # the engine while its own conservation check, overflowing alike, passed.
    plan = LiandongPlan.model_construct(**unchecked)
    events = [("R", None, 0), *[(i, "R" if i < 3 else i - 3, i // 50) for i in range(600)]]
    events += [(i, 12 + i // 100) for i in range(0, 600, 3)]
    with pytest.raises(ConservationError, match="does not add up in exact integers"):
        simulate(plan, events)
