"""Speed and accuracy of `bizmodels.finance.irr` and `batch_irr`.

1. **Long series**: `irr` on 3,000 monthly and 20,000 daily flows (an opening investment,
   then a noisy ramp-up to a margin), timed (best of 5), and the relative error of the root
   against the root computed in 40-digit Decimal arithmetic (Newton from the float root,
   to convergence). numpy-financial finds the roots of a degree-3,000 polynomial for the
   first (116 s) and runs out of memory on the second: not run here.
2. **Mixed lengths**: 100,000 series of 6 to 60 months padded with zeros to 60 (and to
   600), against the same series solved length by length: padding must cost (almost)
   nothing and change no rate.
3. **Realistic batch**: 100,000 random monthly cash-flow series of 60 months (month 0's
   opening investment, then a ramp-up to a noisy monthly margin; a fifth with a mid-life
   refit, some with a closing cost, some that never pay back, so a good share change sign
   more than once). One `batch_irr` call over all of them (validation included; the first
   call and the best of three), against `numpy_financial.irr` called per series on the
   first 1,000 and, when it is installed (``pip install pyxirr``; not a dependency),
   `pyxirr.irr` per series on the first 10,000, each extrapolated to series per second.
   Targets: ≥ 200× numpy-financial, ≥ 5× pyxirr. Also printed: agreement with
   numpy-financial where it finds a rate (max absolute difference, and series where one
   finds a rate and the other not), and the reasons for missing rates.

Run: ``python benchmarks/irr.py`` (``--series N``, ``--months N``, ``--npf N``,
``--pyxirr N`` to change sizes). No timing is asserted anywhere.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from decimal import Decimal, localcontext
from typing import Any

import numpy as np
import numpy_financial as npf

from bizmodels.finance import IRRStatus, batch_irr, batch_irr_result, irr


def realistic_series(n: int, months: int, seed: int = 2026) -> Any:
    """Monthly net cash flows of ``n`` private-domain shops, yuan, shape (n, months).

    Month 0 is the opening investment; months 1 to ``months − 1`` ramp up to a noisy
    margin, early ones losing money to fixed costs.
    """
    rng = np.random.default_rng(seed)
    t = np.arange(1, months)
    investment = rng.uniform(20_000, 200_000, n)
    margin = investment * rng.uniform(0.01, 0.08, n)  # steady monthly margin
    ramp = rng.uniform(2, 12, n)  # months to ramp up
    noise = rng.normal(0, 0.35, (n, months - 1)) * margin[:, None]
    flows = margin[:, None] * (1 - np.exp(-t / ramp[:, None])) + noise
    flows -= (rng.uniform(0, 0.3, n) * margin)[:, None]  # fixed costs: early months lose
    refit = rng.random(n) < 0.2  # a mid-life refit costing a fraction of the opening
    month = rng.integers(12, months - 6, n)
    flows[refit, month[refit] - 1] -= investment[refit] * rng.uniform(0.2, 0.8, refit.sum())
    closing = rng.random(n) < 0.1  # closing costs in the last month
    flows[closing, -1] -= investment[closing] * rng.uniform(0.1, 0.5, closing.sum())
    return np.round(np.column_stack([-investment, flows]), 2)


def best_of(times: int, call: Callable[[], Any]) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(times):
        t0 = time.perf_counter()
        result = call()
        best = min(best, time.perf_counter() - t0)
    return best, result


def decimal_root(values: Any, rate: float) -> Decimal:
    """The root of NPV near ``rate`` by Newton's method in 40-digit Decimal arithmetic."""
    flows = [Decimal(float(v)) for v in values]
    with localcontext() as context:
        context.prec = 40
        x = 1 / (1 + Decimal(rate))
        for _ in range(20):
            value, slope, power = Decimal(0), Decimal(0), Decimal(1)
            for t, v in enumerate(flows):  # Σ v x^t and its derivative, powers by products
                if t:
                    slope += t * v * power
                    power *= x
                value += v * power
            step = value / slope
            x -= step
            if abs(step) < Decimal("1e-35") * x:
                break
        return 1 / x - 1


def long_series(rate_per_period: float, periods: int, seed: int = 2026) -> Any:
    """An opening investment, then a noisy ramp-up to a margin, over ``periods`` periods."""
    rng = np.random.default_rng(seed)
    t = np.arange(1, periods)
    margin = 1_000 * (1 - np.exp(-t / (periods / 20))) * (1 + 0.3 * rng.normal(size=t.size))
    # an investment that the margins repay at about the given rate
    investment = float(np.sum(margin / (1 + rate_per_period) ** t))
    return np.round(np.concatenate([[-investment], margin]), 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=100_000)
    parser.add_argument("--months", type=int, default=60)
    parser.add_argument("--npf", type=int, default=1_000)
    parser.add_argument("--pyxirr", type=int, default=10_000)
    args = parser.parse_args()

    # 1. long series
    for periods, rate, unit in ((3_000, 0.008, "monthly"), (20_000, 0.0003, "daily")):
        values = long_series(rate, periods)
        elapsed, found = best_of(5, lambda values=values: irr(values))
        exact = decimal_root(values, found)
        error = abs(Decimal(found) - exact) / abs(exact)
        print(
            f"irr of {periods:,} {unit} flows: {elapsed * 1e3:.1f} ms (best of 5), rate "
            f"{found:.6%}, relative error {float(error):.1e} against a 40-digit root "
            "(target 1e-12)"
        )

    # 2. mixed lengths, padded with zeros
    months = args.months
    rng = np.random.default_rng(7)
    lengths = rng.integers(6, months + 1, args.series)
    full = realistic_series(args.series, months, seed=7)
    padded = np.where(np.arange(months)[None, :] < lengths[:, None], full, 0.0)
    t_padded, rates = best_of(3, lambda: batch_irr(padded))
    wide = np.zeros((args.series, 10 * months))
    wide[:, :months] = padded
    t_wide, rates_wide = best_of(3, lambda: batch_irr(wide))

    def by_length() -> Any:
        out = np.empty(args.series)
        for n in np.unique(lengths):
            rows = lengths == n
            out[rows] = batch_irr(full[rows, :n])
        return out

    t_own, own = best_of(3, by_length)
    same = np.allclose(rates, own, rtol=1e-12, atol=1e-15, equal_nan=True) and np.allclose(
        rates_wide, own, rtol=1e-12, atol=1e-15, equal_nan=True
    )
    print(
        f"batch_irr of {args.series:,} series of 6 to {months} months padded with zeros to "
        f"{months}: {t_padded:.3f} s, to {10 * months}: {t_wide:.3f} s; each length on its "
        f"own: {t_own:.3f} s; same rates: {same}"
    )

    # 3. the realistic batch against numpy-financial and pyxirr
    values = realistic_series(args.series, months)
    m = values.shape[0]
    print(f"{m:,} series of {values.shape[1]} monthly flows (months 0 to {months - 1})")
    signs = np.count_nonzero(np.diff(np.sign(values), axis=1) != 0, axis=1)
    print(f"series whose flows change sign more than once: {np.mean(signs > 1):.1%}")

    t0 = time.perf_counter()
    result = batch_irr_result(values)
    first = time.perf_counter() - t0
    best, result = best_of(3, lambda: batch_irr_result(values))
    best = min(best, first)
    batch_rate = m / best
    print(f"batch_irr: {best:.3f} s best of 3 (first {first:.3f} s): {batch_rate:,.0f} series/s")

    k = min(args.npf, m)
    t0 = time.perf_counter()
    reference = np.array([npf.irr(v) for v in values[:k]])
    npf_rate = k / (time.perf_counter() - t0)
    print(
        f"numpy_financial.irr per series on {k:,}: {npf_rate:,.0f} series/s; "
        f"batch is {batch_rate / npf_rate:,.0f}x (target >= 200x)"
    )

    try:
        import pyxirr  # optional: measured only when installed
    except ImportError:
        print("pyxirr not installed (pip install pyxirr): comparison skipped")
    else:
        k2 = min(args.pyxirr, m)
        rows = [row for row in values[:k2]]  # pyxirr takes any sequence; ndarray rows
        t0 = time.perf_counter()
        for row in rows:
            pyxirr.irr(row)
        pyxirr_rate = k2 / (time.perf_counter() - t0)
        print(
            f"pyxirr.irr {pyxirr.__version__} per series on {k2:,}: {pyxirr_rate:,.0f} "
            f"series/s; batch is {batch_rate / pyxirr_rate:,.1f}x (target >= 5x)"
        )

    ours = result.rate[:k]
    both = np.isfinite(reference) & np.isfinite(ours)
    print(
        f"agreement with numpy_financial.irr on {k:,}: max |difference| "
        f"{np.max(np.abs(ours[both] - reference[both]), initial=0.0):.2e} over {both.sum():,} "
        f"rates; rate in one only: {np.count_nonzero(np.isfinite(reference) != np.isfinite(ours))}"
    )
    counts = np.bincount(result.status.ravel(), minlength=len(IRRStatus))
    print("status: " + ", ".join(f"{s.name} {counts[s]:,}" for s in IRRStatus))


if __name__ == "__main__":
    main()
