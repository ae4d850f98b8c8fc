"""Monte Carlo speed: 1,000,000 samples of all ten models' operating profit.

Inputs: the market's customers (triangular), price (uniform), unit cost (normal) and refund
rate (beta), drawn once per sample and shared by the ten models, and each model's lifetime
(triangular), drawn per model: fourteen random inputs. Printed, in one run:

- ``bizmodels.risk.monte_carlo`` serially (first call, best of three) and on a warm
  ``ProcessPoolExecutor(2)`` (best of three; and once with the pool's start-up counted),
  the results checked identical;
- the time spent drawing the random numbers (``draw_inputs``, same seed) and its share;
- the evaluation after drawing against a per-sample loop over the pydantic models (build
  the market and each model, take its exact waterfall) on 2,000 of the samples;
- a profile of one serial run, by stage.

Targets (issue 7): serial ≤ 1.5 s, both cores ≤ 1 s, evaluation ≥ 100× the loop. No
assertion on time: figures vary with the machine.

Run: ``python benchmarks/montecarlo.py`` (``--samples``, ``--loop``, ``--workers`` to change).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal
from typing import Any

import numpy as np

import bizmodels as bm
from bizmodels.risk import Beta, Normal, Triangular, Uniform, draw_inputs, monte_carlo

DISTRIBUTIONS = {
    "customers": Triangular(low=5_000, mode=10_000, high=20_000),
    "price": Uniform(low=150, high=250),
    "unit_cost": Normal(mean=60, sd=5),
    "refund_rate": Beta(a=2, b=30),
    "lifetime": Triangular(low=6, mode=12, high=24),
}
SEED = 2026


def best_of(n: int, run: Callable[[], Any]) -> tuple[float, float, Any]:
    """First and best wall time of ``n`` runs, and the last result."""
    times, result = [], None
    for _ in range(n):
        t0 = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - t0)
    return times[0], min(times), result


def loop(inputs: dict[str, np.ndarray], m: int) -> tuple[float, np.ndarray]:
    """The per-sample loop: pydantic market and models, exact waterfall, per sample."""
    slugs = list(bm.MODELS)
    out = np.empty((len(slugs), m))

    def fen(x: float) -> Decimal:  # money fields take whole fen
        return Decimal(repr(round(float(x), 2)))

    t0 = time.perf_counter()
    for i in range(m):
        market = bm.Market(
            customers=Decimal(repr(float(inputs["market.customers"][i]))),
            price=fen(inputs["market.price"][i]),
            unit_cost=fen(inputs["market.unit_cost"][i]),
            refund_rate=Decimal(repr(float(inputs["market.refund_rate"][i]))),
        )
        for j, slug in enumerate(slugs):
            model = bm.get_model(slug, market=market, lifetime=fen(inputs[f"{slug}.lifetime"][i]))
            out[j, i] = float(model.waterfall().end)
    return time.perf_counter() - t0, out


def profile(samples: int) -> None:
    """Where the time of one serial run goes, by stage (cumulative seconds)."""
    profiler = cProfile.Profile()
    profiler.enable()
    monte_carlo(None, DISTRIBUTIONS, samples=samples, seed=SEED)
    profiler.disable()
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    total = sum(tt for (_, _, tt, _, _) in stats.values())
    stages = [
        ("drawing (montecarlo._draw)", "montecarlo.py", "_draw"),
        ("ranking (montecarlo._rank_counts)", "montecarlo.py", "_rank_counts"),
        ("risk._fields.evaluate (checks mask + sweep)", "_fields.py", "evaluate"),
        ("  bizmodels.sweep.sweep", "sweep.py", "sweep"),
        ("    sweep: field validation (check_array)", "_validation.py", "check_array"),
        ("    sweep: cross-field checks", "_derive.py", "run_checks_vectorised"),
        ("    sweep: the P&L arithmetic (sweep_lines)", "_derive.py", "sweep_lines"),
        ("      engine.segment_result", "engine.py", "segment_result"),
        ("      engine.pnl", "engine.py", "pnl"),
    ]
    print(f"\nprofile of one serial run ({samples:,} samples; cProfile adds overhead):")
    print(f"  {'total (profiled)':48} {total:7.3f} s")
    for label, file, func in stages:
        cum = sum(
            ct
            for (f, _, name), (_, _, _, ct, _) in stats.items()
            if f.endswith(file) and name == func
        )
        print(f"  {label:48} {cum:7.3f} s  {cum / total:6.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=1_000_000)
    parser.add_argument("--loop", type=int, default=2_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    n, models = args.samples, len(bm.MODELS)
    print(f"{n:,} samples × {models} models, 14 random inputs, seed {SEED}\n")

    def serial() -> Any:
        return monte_carlo(None, DISTRIBUTIONS, samples=n, seed=SEED)

    first, serial_time, result = best_of(3, serial)
    print(
        f"serial monte_carlo:          first {first:6.3f} s   best {serial_time:6.3f} s"
        "   (target ≤ 1.5 s)"
    )

    t0 = time.perf_counter()
    with ProcessPoolExecutor(args.workers) as pool:
        monte_carlo(None, DISTRIBUTIONS, samples=n, seed=SEED, executor=pool)
        cold = time.perf_counter() - t0

        def pooled() -> Any:
            return monte_carlo(None, DISTRIBUTIONS, samples=n, seed=SEED, executor=pool)

        _, pool_time, pooled_result = best_of(3, pooled)
    same = np.array_equal(result.values, pooled_result.values) and np.array_equal(
        result.rank_counts, pooled_result.rank_counts
    )
    print(
        f"ProcessPoolExecutor({args.workers}):      warm best {pool_time:6.3f} s"
        f"   with pool start-up {cold:6.3f} s   (target ≤ 1 s)   identical: {same}"
    )

    _, draw_time, inputs = best_of(
        3, lambda: draw_inputs(None, DISTRIBUTIONS, samples=n, seed=SEED)
    )
    evaluation = serial_time - draw_time
    print(
        f"drawing the random numbers:  {draw_time:6.3f} s = {draw_time / serial_time:.0%} "
        "of the serial run"
    )

    m = args.loop
    loop_time, looped = loop(inputs, m)
    sweep_rate = n * models / evaluation
    loop_rate = m * models / loop_time
    print(f"evaluation after drawing:    {evaluation:6.3f} s = {sweep_rate:,.0f} model-samples/s")
    print(
        f"per-sample pydantic loop:    {loop_time:6.3f} s for {m:,} samples = "
        f"{loop_rate:,.0f} model-samples/s"
    )
    print(f"evaluation / loop:           {sweep_rate / loop_rate:,.0f}x   (target ≥ 100x)")
    # the loop rounds money to the fen (what the fields accept); the sweep on the same
    # rounded inputs agrees with its exact waterfalls to a few fen (each step is rounded)
    fen = {k: np.round(v[:m], 2) for k, v in inputs.items()}
    gap = 0.0
    for j, slug in enumerate(bm.MODELS):
        swept = bm.sweep(
            bm.get_model(slug),
            customers=inputs["market.customers"][:m],
            price=fen["market.price"],
            unit_cost=fen["market.unit_cost"],
            refund_rate=inputs["market.refund_rate"][:m],
            lifetime=fen[f"{slug}.lifetime"],
        )["operating_profit"]
        gap = max(gap, float(np.abs(swept - looped[j]).max()))
    print(f"loop vs sweep, same inputs:  largest gap {gap:.3f} yuan")

    r = result
    print(f"\n{r}\n")
    print(
        "paired ranking: the market draw is shared, so every sample has one winner; "
        f"samples ranked: {r.ranked:,}"
    )
    profile(n)


if __name__ == "__main__":
    main()
