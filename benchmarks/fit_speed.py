"""How long does fitting BG/NBD and Gamma-Gamma to 100,000 customers take?

Draws a CDNOW-like log of 100,000 customers over 78 weeks (`bizmodels.fit.simulate_orders`,
benchmarks/make_orders.py's parameters), summarises it with `bizmodels.fit.read_orders` in
weeks with a calibration to week 39, then times `bizmodels.fit.clv.fit_orders`:
both maximum-likelihood fits through pymc-marketing, the standard errors from the observed
information, and the holdout check (its simulated sampling error included).
Target (issue 16): under 30 s.

The first fit on a machine compiles pytensor's C code for the two models (cached in
``~/.pytensor``); the script prints that first fit and a second one, which is what every
fit after it takes.

Run: ``python benchmarks/fit_speed.py`` (``--customers N`` for another size).
"""

from __future__ import annotations

import argparse
import time

CDNOW = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426, "p": 6.25, "q": 3.74, "v": 15.44}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    args = parser.parse_args()

    from bizmodels.fit import read_orders, simulate_orders
    from bizmodels.fit.clv import fit_orders

    start = time.perf_counter()
    orders = simulate_orders(args.customers, **CDNOW, periods=78, time_unit="W", seed=16)
    log = read_orders(
        orders,
        customer="customer_id",
        date="date",
        amount="amount",
        calibration_end="1997-09-30",
        time_unit="W",
    )
    prepared = time.perf_counter() - start
    print(
        f"log: {len(orders):,} orders of {log.customers:,} customers, drawn and summarised "
        f"in {prepared:.1f} s"
    )
    for label in ("first fit (compiles the models, once per machine)", "fit"):
        start = time.perf_counter()
        fit = fit_orders(log)
        seconds = time.perf_counter() - start
        print(f"{label}: {seconds:.1f} s for {fit.customers:,} customers (target < 30 s)")
    total = fit.holdout_total
    assert total is not None
    params = ", ".join(
        f"{name} = {value:.3g} ± {fit.standard_errors[name]:.2g}"
        for name, value in {**fit.purchase_params, **fit.spend_params}.items()
    )
    print(f"parameters: {params}")
    print(
        f"holdout: {total.actual:,.0f} repeat purchases actual, {total.predicted:,.0f} "
        f"predicted (z = {total.z:+.2f})"
    )


if __name__ == "__main__":
    main()
