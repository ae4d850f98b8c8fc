"""How long does summarising a 10,000,000-order log take, and how much memory?

Draws a CDNOW-like log (benchmarks/make_orders.py's parameters) of exactly 10,000,000
orders to a temporary Parquet file, then, in a fresh process, reads it with
`bizmodels.fit.read_orders` (weekly summary with a calibration split, holdout counts and the
cohort table, all in DuckDB) and prints the time and the peak resident memory of that
process. Target (issue 16): under 10 s and under 2 GB.

Run: ``python benchmarks/order_summary.py`` (``--orders N`` for another size, ``--csv`` to
read a CSV file instead).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CDNOW = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426, "p": 6.25, "q": 3.74, "v": 15.44}
ORDERS_PER_CUSTOMER = 2.6  # CDNOW-like customers place about 2.7 orders in 78 weeks

CHILD = """
import json, os, resource, sys, time
from bizmodels.fit import read_orders
t0, c0 = time.perf_counter(), os.times()
log = read_orders(sys.argv[1], customer="customer_id", date="date", amount="amount",
                  calibration_end="1997-09-30")
seconds, c1 = time.perf_counter() - t0, os.times()
cpu = c1.user + c1.system - c0.user - c0.system
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": seconds, "cpu": cpu, "peak": peak, "customers": log.customers,
                  "orders": log.orders, "cohort_rows": len(log.cohorts),
                  "end": str(log.observation_end)}))
"""


def draw(orders: int, path: Path) -> float:
    from bizmodels.fit import simulate_orders

    t0 = time.perf_counter()
    customers = int(orders / ORDERS_PER_CUSTOMER)
    log = simulate_orders(customers, **CDNOW, start="1997-01-01", periods=78, seed=16)
    if len(log) < orders:
        raise SystemExit(f"drew {len(log):,} orders, fewer than {orders:,}: raise the customers")
    # the first `orders` orders in date order: the log simply ends a little earlier
    if path.suffix == ".csv":
        log.head(orders).to_csv(path, index=False, date_format="%Y-%m-%d", float_format="%.2f")
    else:
        log.head(orders).to_parquet(path, index=False)
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=10_000_000)
    parser.add_argument("--csv", action="store_true", help="a CSV file instead of Parquet")
    parser.add_argument("--draw-to", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.draw_to is not None:  # the drawing process
        print(f"{draw(args.orders, args.draw_to):.1f}")
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / ("orders.csv" if args.csv else "orders.parquet")
        # each step in its own process: the summary's peak memory is its own, not the
        # drawing's (a high-water mark survives fork and exec)
        drawing = subprocess.run(
            [sys.executable, __file__, "--orders", str(args.orders), "--draw-to", str(path)],
            capture_output=True,
            text=True,
            check=True,
        )
        size = path.stat().st_size
        print(
            f"log: {args.orders:,} orders drawn in {float(drawing.stdout)} s, "
            f"{path.suffix[1:]} {size / 1e6:.0f} MB"
        )
        child = subprocess.run(
            [sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, check=True
        )
        result = json.loads(child.stdout.strip().splitlines()[-1])
    print(
        f"summary: {result['orders']:,} orders -> {result['customers']:,} customers, "
        f"{result['cohort_rows']:,} cohort rows, to {result['end']}"
    )
    # CPU time too: on a shared machine the wall time also counts the other processes
    load = os.getloadavg()[0]
    print(
        f"time: {result['seconds']:.2f} s (target < 10 s); CPU {result['cpu']:.2f} s on "
        f"{os.cpu_count()} cores, load average {load:.1f}"
    )
    print(f"peak memory: {result['peak'] / 2**30:.2f} GB (target < 2 GB)")


if __name__ == "__main__":
    main()
