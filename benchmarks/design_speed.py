"""Plan designer speed: 200 candidate plans × 8 networks of 20,000 members (issue 17).

`bizmodels.design.design_plan` on `liandong_699`, varying the direct reward (直推奖) and the
see-point reward (见点奖) under a payout-ratio limit, every candidate run over the same 8
networks grown for 365 days (common random numbers). Printed, in one run:

- the time to grow the 8 networks once (`PlanEnsemble.streams`);
- the design here (``executor=None``): total wall time, and time per simulation (wall time
  / (candidates × networks), Optuna's own time included);
- the same design on a ``ProcessPoolExecutor(2)`` (each worker grows the networks once and
  keeps them; the pool's start-up counted), its trials checked identical.

Target (issue 17): under 60 s on this 2-core machine. No assertion on time: figures vary
with the machine.

Run: ``python benchmarks/design_speed.py`` (``--trials``, ``--networks``, ``--members``,
``--days``, ``--workers`` to change).
"""

from __future__ import annotations

import argparse
import time
from concurrent.futures import ProcessPoolExecutor

from bizmodels.design.designer import design_plan
from bizmodels.design.ensemble import PlanEnsemble
from bizmodels.plans import liandong_699

VARY = {"direct_member": (100, 250), "see_point": (0, 100)}
LIMITS = {"payout_ratio": ("<=", 0.5), "earned_back": (">=", 0.05)}


def main() -> None:
    """Run the benchmark and print its lines."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--networks", type=int, default=8)
    parser.add_argument("--members", type=int, default=20_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    sims = args.trials * args.networks

    ensemble = PlanEnsemble(seeds=range(args.networks), members=args.members, days=args.days)
    t0 = time.perf_counter()
    ensemble.streams()
    grow = time.perf_counter() - t0
    events = sum(len(s) for s in ensemble.streams())
    print(
        f"networks: {args.networks} × up to {args.members:,} members over {args.days} days, "
        f"{events:,} events in all, grown once in {grow:.2f} s"
    )
    # the engine compiles on first use: one run before the clock starts
    ensemble.evaluate(liandong_699())

    def run(executor: ProcessPoolExecutor | None) -> tuple[float, object]:
        t = time.perf_counter()
        d = design_plan(
            liandong_699(),
            VARY,
            constraints=LIMITS,
            trials=args.trials,
            ensemble=ensemble,
            executor=executor,
        )
        return time.perf_counter() - t, d

    here, design = run(None)
    print(
        f"design here: {args.trials} candidates × {args.networks} networks = {sims:,} "
        f"simulations in {here:.1f} s ({1000 * here / sims:.1f} ms per simulation)"
    )
    t = time.perf_counter()
    with ProcessPoolExecutor(args.workers) as pool:
        _, there = run(pool)
    pooled = time.perf_counter() - t
    same = design.trials.equals(there.trials)  # type: ignore[attr-defined]
    print(
        f"design on ProcessPoolExecutor({args.workers}): {pooled:.1f} s with the pool's "
        f"start-up and each worker growing the networks ({1000 * pooled / sims:.1f} ms per "
        f"simulation); trials identical: {same}"
    )
    print(f"target < 60 s: {'met' if min(here, pooled) < 60 else 'missed'}")
    chosen = design.chosen  # type: ignore[attr-defined]
    if chosen is not None:
        print(
            f"chosen: direct_member {chosen.direct_member}, see_point {chosen.see_point}, "
            f"platform_result {design.figures.mean('platform_result'):,.2f} yuan"  # type: ignore[attr-defined]
        )


if __name__ == "__main__":
    main()
