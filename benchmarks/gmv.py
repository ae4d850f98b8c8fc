"""How fast is the vectorised GMV engine against a loop of exact scalar calls?

Prints scenarios per second for one vectorised call over 1,000,000 scenarios (float64,
validation included) and for a Python loop of exact `Decimal` calls over 10,000 of them,
measured in the same run. Run: ``python benchmarks/gmv.py``.
"""

from __future__ import annotations

import time

import numpy as np

import bizmodels as bm


def best_of(runs: int, fn) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    rng = np.random.default_rng(0)
    n = 1_000_000
    customers = rng.uniform(100, 10_000, n)
    conversion = rng.uniform(0, 1, n)
    vector = best_of(5, lambda: bm.gmv(customers, 12, conversion, 199))

    m = 10_000
    loop = best_of(
        1,
        lambda: [
            bm.gmv(float(c), 12, float(v), 199)
            for c, v in zip(customers[:m], conversion[:m], strict=True)
        ],
    )
    v_rate, l_rate = n / vector, m / loop
    print(f"vectorised: {n:,} scenarios in {vector * 1e3:.1f} ms = {v_rate:,.0f} per s")
    print(f"scalar loop: {m:,} scenarios in {loop * 1e3:.1f} ms = {l_rate:,.0f} per s")
    print(f"ratio: {v_rate / l_rate:,.0f}x")


if __name__ == "__main__":
    main()
