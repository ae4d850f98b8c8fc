"""How fast and how lean is the plan simulation on a million-member network?

Prints, for the preset `liandong_699` on a generated stream of 1,000,000 joins and
1,000,000 repurchases (seeded numpy RNG; sponsors by preferential attachment mixed with
uniform choice among earlier members; 365 days):

- the simulation once warm (validation and coding of the array included), best of 3;
- the same with the settlement on: refunds of 5% of the orders (each within 7 days), daily
  withdrawals (the withdrawal policy) and caps per member per day and month, and again
  with 7 frozen days;
- peak memory of a fresh process that builds the stream and simulates it (tracemalloc
  peak of the simulation, the process's maximum resident set, and the bytes the result
  itself holds: the floor of any run that returns it);
- import plus the first call in a fresh process (numba's cache warm);
- events per second against the pure-Python reference (tests/plans/reference_liandong.py)
  on the same first 100,000 events, with the ledgers checked equal entry by entry;
- the floor: the placement depth of each event's buyer (average, largest), and the time
  of a compiled loop that only walks each buyer's ancestors once, against the engine's;
- the worst case: a chain of 100,000 members each recruiting the next, plus 100,000
  repurchases.

Run: ``python benchmarks/simulate.py`` (add ``--quick`` for a 100,000-join stream).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import bizmodels.plans as bp

ROOT = Path(__file__).resolve().parent.parent


def generate(
    joins: int, orders: int, seed: int, roots: int = 10, days: int = 365, preferential: float = 0.5
) -> np.ndarray:
    """A stream of ``joins`` joins and ``orders`` repurchases as an EVENT_DTYPE array.

    Member ids are 0..joins-1 in join order; the first ``roots`` have no sponsor. Join i
    picks, with probability ``preferential``, the sponsor of a uniformly chosen earlier
    non-root member (so a sponsor is chosen in proportion to its recruits: preferential
    attachment), else a uniformly chosen earlier member. Repurchases are spread at random
    among the joins, each by a member chosen uniformly among those joined so far; days
    split the stream evenly.
    """
    rng = np.random.default_rng(seed)
    idx = np.arange(joins)
    pick = (rng.random(joins) * idx).astype(np.int64)  # uniform in [0, i)
    copy = (rng.random(joins) < preferential) & (pick >= roots)
    # sponsor[i] = sponsor[pick[i]] where copying, else pick[i]: pointer jumping resolves
    # the chains of copies in a few vectorised rounds.
    sponsor = np.where(copy, -2, pick)
    sponsor[:roots] = -1
    ptr = pick.copy()
    todo = np.flatnonzero(sponsor == -2)
    while todo.size:
        target = ptr[todo]
        value = sponsor[target]
        done = value != -2
        sponsor[todo[done]] = value[done]
        todo = todo[~done]
        ptr[todo] = ptr[ptr[todo]]
    n_events = joins + orders
    is_join = np.zeros(n_events, bool)
    is_join[:roots] = True
    rest = rng.permutation(n_events - roots) < joins - roots
    is_join[roots:] = rest
    joined = np.cumsum(is_join)  # members joined up to and including each event
    events = np.zeros(n_events, bp.EVENT_DTYPE)
    events["kind"] = np.where(is_join, bp.JOIN, bp.ORDER)
    events["member"][is_join] = idx
    o = np.flatnonzero(~is_join)
    events["member"][o] = (rng.random(o.size) * joined[o]).astype(np.int64)
    events["sponsor"] = -1
    events["sponsor"][is_join] = sponsor
    events["day"] = np.arange(n_events) * days // n_events
    return events


def with_refunds(events: np.ndarray, share: float, within: int, seed: int) -> np.ndarray:
    """``events`` with ``share`` of its orders refunded, each 0..within−1 days later.

    Each refund comes after the events of its day, in the order of the orders it refunds;
    its ``sponsor`` field is the refunded order's index in the returned array.
    """
    rng = np.random.default_rng(seed)
    n = len(events)
    chosen = np.flatnonzero(rng.random(n) < share)
    refund_day = events["day"][chosen] + rng.integers(0, within, chosen.size)
    days = np.concatenate([events["day"], refund_day])
    late = np.concatenate([np.zeros(n, np.int8), np.ones(chosen.size, np.int8)])
    order = np.lexsort((np.arange(days.size), late, days))
    position = np.empty(days.size, np.int64)
    position[order] = np.arange(days.size)
    out = np.zeros(days.size, bp.EVENT_DTYPE)
    out[position[:n]] = events
    refunds = out[position[n:]]
    refunds["kind"] = bp.REFUND
    refunds["member"] = events["member"][chosen]
    refunds["sponsor"] = position[chosen]
    refunds["day"] = refund_day
    out[position[n:]] = refunds
    return out


def chain(n: int, orders: int, seed: int) -> np.ndarray:
    """The worst case: member i sponsors i+1 (depth n), then repurchases at random."""
    rng = np.random.default_rng(seed)
    events = np.zeros(n + orders, bp.EVENT_DTYPE)
    events["kind"][n:] = bp.ORDER
    events["member"][:n] = np.arange(n)
    events["sponsor"][:n] = np.arange(n) - 1
    events["sponsor"][n:] = -1
    events["member"][n:] = rng.integers(0, n, orders)
    events["day"] = np.arange(n + orders) // 1000
    return events


def best_of(runs: int, fn) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def fresh(code: str, env: dict | None = None) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=env,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


FIRST_CALL = """
import json, time
t0 = time.perf_counter()
import bizmodels.plans as bp
run = bp.simulate(bp.liandong_699(), [("R", None, 0), ("A", "R", 0), ("A", 1)])
print(json.dumps({"seconds": time.perf_counter() - t0}))
"""

MEMORY = """
import json, sys, tracemalloc
sys.path.insert(0, "benchmarks")
from simulate import generate, kept
import bizmodels.plans as bp


def status(key):
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(key):
                return int(line.split()[1]) * 1024
    return 0


bp.simulate(bp.liandong_699(), [("R", None, 0)])  # load the compiled code first
runtime = status("VmRSS")
events = generate({joins}, {orders}, seed=1)
before = status("VmRSS")
traced = {traced}
if traced:
    tracemalloc.start()
run = bp.simulate(bp.liandong_699(), events)
peak = tracemalloc.get_traced_memory()[1] if traced else 0
print(json.dumps({{
    "traced_peak": peak, "runtime": runtime, "before": before, "hwm": status("VmHWM"),
    "after": status("VmRSS"), "kept": kept(run),
}}))
"""


def kept(run: bp.SimulationResult) -> int:
    """Bytes of the arrays a result holds (each buffer once; views count nothing extra)."""
    arrays = [*run.ledger.columns().values(), run.upgrades, run._tree]
    arrays += [getattr(run.events, f) for f in ("kind", "member", "sponsor", "day", "labels")]
    arrays += [run._released.rows, run._released.amounts]
    arrays += [getattr(run.daily, f) for f in run.daily.__dataclass_fields__]
    buffers = {}
    for a in arrays:
        while isinstance(a.base, np.ndarray):
            a = a.base
        buffers[id(a)] = a.nbytes
    return sum(buffers.values())


def reference_rows(events: np.ndarray) -> list[tuple]:
    rows = []
    for kind, member, sponsor, day in events.tolist():
        if kind == bp.JOIN:
            rows.append((member, None if sponsor < 0 else sponsor, day))
        else:
            rows.append((member, day))
    return rows


def same_ledger(run: bp.SimulationResult, members: dict, totals: dict) -> bool:
    led = run.ledger
    fields = (
        "rank",
        "recruits",
        "slid",
        "qualified",
        "spent",
        "direct",
        "see_point",
        "differential",
        "peer",
        "pool",
        "available",
        "frozen",
        "net",
    )
    for name in fields:
        want = np.array([m[name] for m in members.values()])
        if not np.array_equal(getattr(led, name), want):
            return False
    parent = np.array([-1 if m["parent"] is None else m["parent"] for m in members.values()])
    t = run.totals
    return (
        np.array_equal(led.parent, parent)
        and list(led.label) == list(members)
        and t.retained == totals["retained"]
        and t.received == totals["received"]
        and t.pools == totals["pools"]
        and {k: t.payouts[k] for k in totals["payouts"]} == totals["payouts"]
    )


def main() -> None:
    quick = "--quick" in sys.argv
    joins = orders = 100_000 if quick else 1_000_000
    plan = bp.liandong_699()
    from bizmodels.plans import _kernel

    t0 = time.perf_counter()
    events = generate(joins, orders, seed=1)
    gen = time.perf_counter() - t0
    bp.simulate(plan, events[:1000])  # load (or compile, the first time ever) the engine
    print(
        f"stream: {joins:,} joins + {orders:,} repurchases over 365 days (generated in {gen:.2f} s)"
    )

    run = bp.simulate(plan, events)
    warm = best_of(3, lambda: bp.simulate(plan, events))
    n_events = len(events)
    print(f"simulation, warm: {warm:.3f} s = {n_events / warm:,.0f} events/s (target ≤ 1 s)")
    led = run.ledger
    ranks = np.bincount(led.rank, minlength=5)
    print("  members by rank: " + ", ".join(f"{r.name} {ranks[r]:,}" for r in bp.Rank))
    print(
        f"  payout ratio {float(run.totals.payout_ratio):.3f}, "
        f"breakage {run.totals.breakage / 100:,.2f} yuan, "
        f"help fund {run.totals.frozen / 100:,.2f} yuan, "
        f"qualified {int(led.qualified.sum()):,}"
    )

    settling = with_refunds(events, 0.05, 7, seed=3)
    rules = {"cap_per_day": 2000, "cap_per_month": 20000, "withdrawal_fee_rate": "0.006"}
    capped = bp.liandong_699(settlement=rules)
    settled = bp.simulate(capped, settling, withdraw_every=1)
    t_settle = best_of(3, lambda: bp.simulate(capped, settling, withdraw_every=1))
    frozen = bp.liandong_699(settlement={**rules, "frozen_days": 7})
    t_frozen = best_of(3, lambda: bp.simulate(frozen, settling, withdraw_every=1))
    tot = settled.totals
    t_nopolicy = best_of(3, lambda: bp.simulate(capped, settling))
    least = bp.liandong_699(settlement={**rules, "withdrawal_minimum": 100})
    t_least = best_of(3, lambda: bp.simulate(least, settling, withdraw_every=1))
    print(
        f"with refunds of 5% of the orders ({tot.refunds:,}), daily withdrawals and caps of "
        f"2,000 yuan a day and 20,000 a month: {t_settle:.3f} s (target ≤ 1.5 s); "
        f"with 7 frozen days as well: {t_frozen:.3f} s; refunds and caps without the "
        f"withdrawals: {t_nopolicy:.3f} s; daily withdrawals of at least 100 yuan: "
        f"{t_least:.3f} s"
    )
    print(
        f"  refunded {tot.refunded / 100:,.2f} yuan, clawed back {tot.clawed_back / 100:,.2f}, "
        f"owed {tot.debt / 100:,.2f}; withdrawn {tot.withdrawn / 100:,.2f}, of it fees "
        f"{tot.withdrawal_fees / 100:,.2f} and tax withheld {tot.tax_withheld / 100:,.2f}; "
        f"beyond the caps {tot.breakage_by['cap'] / 100:,.2f}"
    )

    traced = fresh(MEMORY.format(joins=joins, orders=orders, traced=True))
    mem = fresh(MEMORY.format(joins=joins, orders=orders, traced=False))
    mb = 1 / 2**20
    print(
        f"peak memory of the simulation: {traced['traced_peak'] * mb:,.0f} MB allocated "
        f"(tracemalloc; {(mem['after'] - mem['before']) * mb:,.0f} MB resident growth, "
        "numba's own allocations included) (target ≤ 400 MB); the result itself holds "
        f"{mem['kept'] * mb:,.0f} MB (stream, member tables, ledger columns, upgrades)"
    )
    print(
        f"  whole process (getrusage-like peak resident): {mem['hwm'] * mb:,.0f} MB = "
        f"{mem['runtime'] * mb:,.0f} MB interpreter, numpy, pydantic, numba runtime + "
        f"{(mem['before'] - mem['runtime']) * mb:,.0f} MB the input array + the simulation"
    )

    first = min(fresh(FIRST_CALL)["seconds"] for _ in range(3))
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", FIRST_CALL], check=True, capture_output=True)
    whole = time.perf_counter() - t0
    print(
        f"import + first call, fresh process: {first:.2f} s "
        f"({whole:.2f} s with the interpreter's start) (target ≤ 2 s)"
    )
    with tempfile.TemporaryDirectory() as empty:
        # numba compiles once per machine and caches; an empty cache shows that one cost
        cold = fresh(FIRST_CALL, env={**os.environ, "NUMBA_CACHE_DIR": empty})["seconds"]
    print(f"  the very first call on a machine, compiling into an empty cache: {cold:.2f} s")

    sys.path.insert(0, str(ROOT / "tests" / "plans"))
    from reference_liandong import simulate_reference

    head = events[:100_000]
    rows = reference_rows(head)
    t0 = time.perf_counter()
    members, totals = simulate_reference(plan, rows)
    ref = time.perf_counter() - t0
    head_run = bp.simulate(plan, head)
    engine = best_of(3, lambda: bp.simulate(plan, head))
    match = same_ledger(head_run, members, totals)
    print(
        f"reference on the first {len(head):,} events: {ref:.2f} s = "
        f"{len(head) / ref:,.0f} events/s; engine {engine * 1e3:.1f} ms = "
        f"{len(head) / engine:,.0f} events/s: {ref / engine:,.0f}x (target ≥ 40x); "
        f"ledgers {'identical' if match else 'DIFFER'}"
    )
    if not match:
        raise SystemExit("the engine and the reference disagree")

    depth = led.depth[run.events.member]
    touched = 0
    floor = best_of(3, lambda: _kernel.ancestor_touch(run.events.member, run._tree))
    touched = _kernel.ancestor_touch(run.events.member, run._tree)
    print(
        f"floor: buyers' placement depth {depth.mean():.1f} on average, "
        f"{depth.max()} at most; walking every buyer's ancestors once "
        f"({touched:,} visits) takes {floor * 1e3:.0f} ms, the whole engine "
        f"{warm * 1e3:.0f} ms = {warm / floor:.1f}x the walk"
    )

    worst = chain(100_000, 100_000, seed=2)
    worst_run = bp.simulate(plan, worst)
    t_worst = best_of(3, lambda: bp.simulate(plan, worst))
    wd = worst_run.ledger.depth[worst_run.events.member]
    walk = int(wd.sum())
    print(
        f"worst case, a chain of 100,000 + 100,000 repurchases: {t_worst:.3f} s "
        f"(target ≤ 10 s); depth {wd.max():,} at most, {wd.mean():,.0f} on average: "
        f"walking every buyer's ancestors would visit {walk:,} members, the engine "
        f"searches O(log depth) per event instead"
    )


if __name__ == "__main__":
    main()
