"""Bounded fuzzing of the event readers: nothing but the documented errors escapes.

`read_events` gets random bytes and random near-CSV text (odd kinds, labels with commas,
quotes, NULs and newlines, days that are not numbers or out of range, bytes that are not
UTF-8); `EventStream.of` gets random tuples and random event arrays. Each either returns a
stream or raises a ValueError with a one-line message (naming the file for a CSV). About
20 seconds in all.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bizmodels.plans import EVENT_DTYPE, EventStream, read_events


def fuzz(examples: int) -> settings:
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        database=None,
    )


HEADER = b"kind,member,sponsor,day\n"
_DIR = Path(tempfile.mkdtemp(prefix="fuzz_events_"))


def read_bytes(data: bytes) -> EventStream | None:
    path = _DIR / "events.csv"
    path.write_bytes(data)
    try:
        return read_events(path)
    except ValueError as exc:
        message = str(exc)
        assert message.startswith(str(path)), message
        assert message.strip() and "\n" not in message and "\r" not in message, message
        return None


@fuzz(1500)
@given(
    body=st.binary(max_size=600), header=st.sampled_from([b"", HEADER, b"\xef\xbb\xbf" + HEADER])
)
def test_random_bytes(body, header):
    stream = read_bytes(header + body)
    if stream is not None:
        assert len(stream.day) == len(stream) and (np.diff(stream.day) >= 0).all()


kinds = st.sampled_from(["join", "order", " JOIN ", "Order", "buy", "", "join\n", '"join"'])
labels = st.one_of(
    st.sampled_from(["R", "A", "B", "C", "", " ", "R,A", '"R"', "a\x00b"]),
    st.text(max_size=12),
    st.integers(250, 300).map(lambda n: "x" * n),  # about the 256-character limit
)
days = st.one_of(
    st.integers(0, 30).map(str),
    st.sampled_from(["-1", "10000000", "10000001", "1e3", "1_0", "٣", "", " 7 ", "+3", "0x1"]),
    st.integers(-(10**30), 10**30).map(str),
    st.text(max_size=8),
)


def cell(text: str, quote: bool) -> str:
    return '"' + text.replace('"', '""') + '"' if quote else text


@st.composite
def near_csv(draw):
    columns = draw(st.permutations(["kind", "member", "sponsor", "day", "note"]))
    columns = columns[: draw(st.integers(3, 5))]
    rows = [",".join(columns)]
    for _ in range(draw(st.integers(0, 12))):
        values = {"kind": draw(kinds), "member": draw(labels), "sponsor": draw(labels)}
        values |= {"day": draw(days), "note": draw(st.text(max_size=5))}
        quote = draw(st.booleans())
        row = [cell(values[c], quote) for c in columns]
        rows.append(",".join(row[: draw(st.integers(len(row) - 1, len(row)))]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    data = newline.join(rows).encode("utf-8", "surrogatepass")
    if draw(st.booleans()):  # a byte that is not UTF-8 somewhere
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from([b"\xff", b"\xc3", b"\xed\xa0\x80"])) + data[at:]
    return data


@fuzz(1000)
@given(data=near_csv())
def test_near_csv_text(data):
    read_bytes(data)


values = st.one_of(
    st.none(),
    st.integers(-3, 6),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True),
    st.text(max_size=3),
    st.booleans(),
    st.lists(st.integers(), max_size=2),
    st.tuples(st.integers()),
)


@fuzz(1000)
@given(events=st.lists(st.one_of(st.lists(values, max_size=4).map(tuple), values), max_size=12))
def test_random_tuples(events):
    try:
        stream = EventStream.of(events)
    except ValueError as exc:
        assert str(exc).strip() and "\n" not in str(exc), str(exc)
    else:
        assert len(stream) == len(events)


@fuzz(500)
@given(
    rows=st.lists(
        st.tuples(
            st.integers(-1, 2),
            st.integers(-2, 8),
            st.integers(-3, 8),
            st.one_of(st.integers(-2, 12), st.integers(-(2**63), 2**63 - 1)),
        ),
        max_size=15,
    )
)
def test_random_arrays(rows):
    arr = np.array(rows, dtype=EVENT_DTYPE)
    try:
        stream = EventStream.of(arr)
    except ValueError as exc:
        assert str(exc).strip() and "\n" not in str(exc), str(exc)
    else:
        assert len(stream) == len(rows)
