"""Event ingest by whole columns gives what the per-event reading gives, stream or message.

`EventStream.of` on tuples and `read_events` on a CSV first try a columnar path
(`events._coded`, `events._read_whole`) and fall back to the per-event reading, which is
the reference here: on near-valid streams (valid ones with one thing changed) both must
return the same arrays, labels and lines, or raise the same message.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bizmodels.plans import events as ev
from bizmodels.plans import read_events
from bizmodels.plans.events import EventStream, Refund, Withdrawal

_DIR = Path(tempfile.mkdtemp(prefix="events_ingest_"))
FIELDS = ("kind", "member", "sponsor", "day", "labels", "lines", "source", "_identity")


def outcome(build):
    try:
        return build(), None
    except ValueError as exc:
        return None, str(exc)


def per_event(monkeypatch, build):
    with monkeypatch.context() as m:
        m.setattr(ev, "_coded", lambda items: None)
        m.setattr(ev, "_read_whole", lambda raw, name: None)
        return outcome(build)


def assert_same(fast, slow):
    (a, message_a), (b, message_b) = fast, slow
    assert message_a == message_b
    if a is None:
        return
    for name in FIELDS:
        x, y = getattr(a, name), getattr(b, name)
        if isinstance(x, np.ndarray) or isinstance(y, np.ndarray):
            assert x.dtype == y.dtype, name
            assert x.tolist() == y.tolist(), name
        else:
            assert x == y, name
    for label in b.labels.tolist():
        assert a.row(label) == b.row(label)


@st.composite
def network(draw):
    """A valid log of joins and orders (labels ``u0``..), then at most one change."""
    n = draw(st.integers(1, 12))
    events = [("u0", None, 0)]
    day = 0
    for i in range(1, n):
        day += draw(st.integers(0, 2))
        events.append((f"u{i}", draw(st.sampled_from([None] + [f"u{j}" for j in range(i)])), day))
        if draw(st.booleans()):
            events.append((f"u{draw(st.integers(0, i))}", day))
    change = draw(st.integers(0, 9))
    k = draw(st.integers(0, len(events) - 1))
    if change == 1:  # a day going back
        events[k] = (*events[k][:-1], draw(st.integers(-1, 3)))
    elif change == 2:  # a sponsor who never joins, or joins later
        events[k] = (events[k][0], draw(st.sampled_from(["zz", f"u{n - 1}", events[k][0]])), 0)
    elif change == 3:  # a member joining twice, an order before the join
        events.insert(k, draw(st.sampled_from([("u0", None, 0), (f"u{n - 1}", 0)])))
    elif change == 4:  # odd values
        events[k] = draw(st.sampled_from([("u0", 1.5), (None, 0), (["x"], 0), ("u0",), True]))
    elif change == 5:  # integer labels
        events = [
            (*(int(x[1:]) if isinstance(x, str) else x for x in e[:-1]), e[-1]) for e in events
        ]
    elif change == 6 and len(events) > 1:  # settlement events
        events.append(draw(st.sampled_from([Refund(0, day), Withdrawal("u0", "0.5", day)])))
    return events


def fuzz(n):
    return settings(
        max_examples=n,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


@fuzz(400)
@given(events=network())
def test_tuples_columnar_equals_per_event(monkeypatch, events):
    assert_same(
        outcome(lambda: EventStream.of(events)),
        per_event(monkeypatch, lambda: EventStream.of(events)),
    )


def to_csv(events, draw_style):
    rows = []
    for e in events:
        if isinstance(e, Refund):
            rows.append(f"refund,,,{e.day},{e.order},")
        elif isinstance(e, Withdrawal):
            rows.append(f"withdrawal,{e.member},,{e.day},,{e.amount}")
        elif isinstance(e, tuple) and len(e) == 3:
            rows.append(f"join,{e[0]},{'' if e[1] is None else e[1]},{e[2]},,")
        elif isinstance(e, tuple) and len(e) == 2:
            rows.append(f"order,{e[0]},,{e[1]},,")
    if draw_style == 1 and rows:
        rows[0] = rows[0].replace("join", " Join ", 1)  # spaces: read line by line
    if draw_style == 5 and rows:
        rows[-1] = rows[-1].replace("join", "JOIN").replace("order,u0,,", "order,u0,u0,")
    if draw_style == 6:
        rows.append("order,u0,,+3,," if len(rows) % 2 else "order,u0,,99999999999999999999,,")
    text = "kind,member,sponsor,day,order,amount\n" + "\n".join(rows) + "\n"
    if draw_style == 2:
        text = text.replace("\n", "\r\n")
    if draw_style == 3:
        text = "\ufeff" + text.replace("u", "用")
    if draw_style == 4 and rows:
        text = text + "\n"  # a blank line at the end
    return text


@fuzz(300)
@given(events=network(), style=st.integers(0, 6), arrow=st.booleans())
def test_csv_columnar_equals_per_line(monkeypatch, events, style, arrow):
    # pyarrow parses plain ASCII logs when installed, numpy and str.split otherwise
    if arrow:
        pytest.importorskip("pyarrow")
    monkeypatch.setattr(ev, "_has_arrow", lambda: arrow)
    path = _DIR / "log.csv"
    path.write_text(to_csv(events, style), encoding="utf-8")
    assert_same(
        outcome(lambda: read_events(path)), per_event(monkeypatch, lambda: read_events(path))
    )


def test_columnar_paths_are_taken():
    # A plain log and plain tuples go by columns (else the speed-up is lost silently).
    events = [("R", None, 0), ("A", "R", 0), ("A", 1), ("B", "A", 2)]
    assert ev._coded(events) is not None
    path = _DIR / "plain.csv"
    path.write_text("kind,member,sponsor,day\njoin,R,,0\njoin,A,R,0\norder,A,,1\n")
    with path.open("rb") as raw:
        stream = ev._read_whole(raw, str(path))  # type: ignore[arg-type]
    assert stream is not None and stream.lines.tolist() == [2, 3, 4]


def test_refund_naming_another_buyer_is_refused_by_line():
    path = _DIR / "refund.csv"
    path.write_text(
        "kind,member,sponsor,day,order,amount\njoin,R,,0,,\njoin,A,R,0,,\nrefund,R,,1,1,\n"
    )
    with pytest.raises(ValueError, match=r"refund.csv, line 4: refund of event 1, bought by 'A'"):
        read_events(path)


LOG = [("R", None, 0), ("A", "R", 0), ("A", 1), ("B", "A", 2), ("C", None, 2), ("B", 3)]


def frame_of(events):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    rows = [
        ("join", e[0], e[1], e[2]) if len(e) == 3 else ("order", e[0], None, e[1]) for e in events
    ]
    return pd.DataFrame(rows, columns=["kind", "member", "sponsor", "day"])


def assert_stream(stream, events, source):
    reference = EventStream.of(events)
    for name in ("kind", "member", "sponsor", "day", "labels"):
        assert getattr(stream, name).tolist() == getattr(reference, name).tolist(), name
    assert stream.source == source and stream.lines is None


def test_dataframe_parquet_and_duckdb_give_the_stream_of_the_tuples(tmp_path):
    frame = frame_of(LOG)
    assert_stream(EventStream.of(frame), LOG, "pandas DataFrame")
    path = tmp_path / "log.parquet"
    frame.to_parquet(path)
    assert_stream(read_events(path), LOG, str(path))
    duckdb = pytest.importorskip("duckdb")
    connection = duckdb.connect()
    connection.register("log", frame)
    stream = read_events(connection, query="select * from log")
    assert_stream(stream, LOG, "query 'select * from log'")


def test_integer_labels_stay_integers():
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    # pandas holds a sponsor column with roots as floats (NaN): read back as the ids
    frame = pd.DataFrame(
        {"kind": [0, 0, 1], "member": [7, 5, 5], "sponsor": [None, 7, None], "day": [0, 1, 1]}
    )
    stream = EventStream.of(frame)
    assert stream.labels.dtype == np.int64 and stream.labels.tolist() == [7, 5]
    assert stream.sponsor.tolist() == [-1, 0, -1] and stream.row(5) == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {3: ("join", "B", "X", 2)},
            "pandas DataFrame, event 3: unknown sponsor 'X' of member 'B'",
        ),
        ({2: ("order", "A", None, -1)}, "pandas DataFrame, event 2: day -1 is out of range"),
        ({2: ("buy", "A", None, 1)}, "pandas DataFrame, event 2: kind must be 'join', 'order'"),
        ({5: ("order", "Z", None, 3)}, "event 5: order by member 'Z', who never joins"),
        ({1: ("join", "R", None, 0)}, r"event 1: member 'R' joins twice \(first at event 0\)"),
        ({2: ("order", "A", "R", 1)}, "event 2: an order names no sponsor, got 'R'"),
    ],
)
def test_table_errors_name_the_event(change, message):
    frame = frame_of(LOG)
    for i, row in change.items():
        frame.loc[i] = row
    with pytest.raises(ValueError, match=message):
        EventStream.of(frame)


def test_table_settlement_and_missing_columns():
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    frame = pd.DataFrame(
        {
            "kind": ["join", "join", "refund", "withdrawal"],
            "member": ["R", "A", None, "R"],
            "sponsor": [None, "R", None, None],
            "day": [0, 0, 1, 2],
            "order": [None, None, 1, None],
            "amount": [None, None, None, "0.5"],
        }
    )
    stream = EventStream.of(frame)
    assert stream.kind.tolist() == [0, 0, 2, 3]
    assert stream.member.tolist() == [0, 1, 1, 0] and stream.sponsor.tolist() == [-1, 0, 1, 50]
    frame.loc[2, "member"] = "R"
    with pytest.raises(ValueError, match="event 2: refund of event 1, bought by 'A', names"):
        EventStream.of(frame)
    with pytest.raises(ValueError, match="the table lacks the column day"):
        EventStream.of(frame.drop(columns="day"))


def test_duckdb_errors_are_named():
    duckdb = pytest.importorskip("duckdb")
    pytest.importorskip("pyarrow")
    with pytest.raises(ValueError, match="query 'select \\* from nowhere': Catalog Error"):
        read_events(duckdb.connect(), query="select * from nowhere")


def test_table_columns_of_mixed_or_wrong_types_are_refused():
    pd = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    mixed = pd.DataFrame(
        {"kind": ["join"] * 2, "member": ["a", 1], "sponsor": [None] * 2, "day": [0, 1]}
    )
    with pytest.raises(
        ValueError, match=r"pandas DataFrame: .*give each column values of one type"
    ):
        EventStream.of(mixed)
    days = pd.DataFrame(
        {"kind": ["join"] * 2, "member": ["a", "b"], "sponsor": [None] * 2, "day": ["0", "x"]}
    )
    with pytest.raises(
        ValueError, match="event 1: day must be a whole number from 0 to 10,000,000, got 'x'"
    ):
        EventStream.of(days)
    halves = pd.DataFrame({"kind": ["join"], "member": ["a"], "sponsor": [None], "day": [0.5]})
    with pytest.raises(ValueError, match=r"event 0: day must be a whole number .* got 0\.5"):
        EventStream.of(halves)
