"""How long does turning a log into an event stream take, against the simulation itself?

Prints, for 200,000 events (100,000 joins and 100,000 repurchases of the stream
`benchmarks/simulate.py` generates, member labels ``"u17"``-style text and, for the list,
also plain integers), the best of several runs of:

- the kernel: `simulate` of the preset `liandong_699` on the coded stream (warm);
- ingest from a list of tuples (`EventStream.of`), a CSV file (`read_events`), and, when
  pyarrow, pandas and duckdb are installed (the extra ``fit``), a Parquet file, a pandas
  DataFrame and a DuckDB query;
- for each, ingest + kernel over the kernel alone (the two timed in turns, best of 7
  each, so that a busy machine slows both alike): the target is 2 or less.

Run: ``python benchmarks/event_ingest.py``.
"""

from __future__ import annotations

import importlib.util
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

import bizmodels.plans as bp

sys.path.insert(0, str(Path(__file__).resolve().parent))
from simulate import generate  # the benchmark's own stream


def best(run: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def tuples(events: np.ndarray, label: Callable[[int], object]) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = []
    for kind, member, sponsor, day in events.tolist():
        if kind == bp.JOIN:
            out.append((label(member), None if sponsor < 0 else label(sponsor), day))
        else:
            out.append((label(member), day))
    return out


def main() -> None:
    events = generate(100_000, 100_000, seed=1)
    plan = bp.liandong_699()
    stream = bp.EventStream.of(events)

    def run() -> object:
        return bp.simulate(plan, stream)

    run()  # compiled and warm
    kernel = best(run)
    print(f"{len(events):,} events; kernel (simulate on the coded stream): {kernel:.3f} s")
    texts = tuples(events, lambda m: f"u{m}")
    numbers = tuples(events, int)
    sources: dict[str, Callable[[], object]] = {
        "list of tuples, text labels": lambda: bp.EventStream.of(texts),
        "list of tuples, int labels": lambda: bp.EventStream.of(numbers),
    }
    folder = Path(tempfile.mkdtemp(prefix="event_ingest_"))
    csv = folder / "events.csv"
    with csv.open("w", encoding="utf-8") as out:
        out.write("kind,member,sponsor,day\n")
        for event in texts:
            if len(event) == 3:
                out.write(f"join,{event[0]},{event[1] or ''},{event[2]}\n")
            else:
                out.write(f"order,{event[0]},,{event[1]}\n")
    sources["CSV file"] = lambda: bp.read_events(csv)
    if all(importlib.util.find_spec(m) for m in ("pyarrow", "pandas", "duckdb")):
        import duckdb
        import pandas as pd

        frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
        parquet = folder / "events.parquet"
        frame.to_parquet(parquet)
        connection = duckdb.connect()
        connection.execute(f"create table events as select * from read_parquet('{parquet}')")
        sources["Parquet file"] = lambda: bp.read_events(parquet)
        sources["pandas DataFrame"] = lambda: bp.EventStream.of(frame)
        sources["DuckDB query"] = lambda: bp.read_events(connection, query="select * from events")
    else:
        print("(pyarrow, pandas or duckdb missing: pip install 'bizmodels[fit]' for the rest)")
    for name, ingest in sources.items():
        coded = ingest()
        assert isinstance(coded, bp.EventStream) and len(coded) == len(events)
        assert np.array_equal(coded.member, stream.member), name
        # ingest and kernel timed in turns, so that a busy machine slows both alike
        turns = [(best(ingest, 1), best(run, 1)) for _ in range(7)]
        took, kernel = min(t for t, _ in turns), min(k for _, k in turns)
        ratio = (took + kernel) / kernel
        print(
            f"{name:28s} ingest {took:.3f} s, kernel {kernel:.3f} s; "
            f"end to end {ratio:.2f} x the kernel"
        )


if __name__ == "__main__":
    main()
