"""Write a synthetic order log drawn from known BG/NBD and Gamma-Gamma parameters.

The shipped log ``bizmodels/data/orders_example.csv`` is this script's default run:
2,357 customers (the size of Fader, Hardie & Lee's CDNOW cohort) over 78 weeks from
1997-01-01, first purchases in the first 12 weeks, with CDNOW-like parameters: BG/NBD
r = 0.243, alpha = 4.414, a = 0.793, b = 2.426 (Fader, Hardie & Lee 2005, weeks) and
Gamma-Gamma p = 6.25, q = 3.74, v = 15.44 (lifetimes' CDNOW fit), seed 16. The
parameters are written beside the log in ``<name>.yaml``.

Run: ``python benchmarks/make_orders.py`` (rewrites the shipped log), or with
``--customers 100000 --out big.parquet`` for a larger log (CSV or Parquet by suffix).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from bizmodels.fit import simulate_orders

CDNOW = {
    "r": 0.243,
    "alpha": 4.414,
    "a": 0.793,
    "b": 2.426,
    "p": 6.25,
    "q": 3.74,
    "v": 15.44,
}
SHIPPED = Path(__file__).parents[1] / "bizmodels" / "data" / "orders_example.csv"


def sidecar(path: Path, customers: int, periods: int, start: str, seed: int, rows: int) -> str:
    lines = [
        f"# The parameters {path.name} was drawn from, by benchmarks/make_orders.py",
        "# (bizmodels.fit.simulate_orders). BG/NBD: Fader, Hardie & Lee (2005), CDNOW,",
        "# weeks; Gamma-Gamma: lifetimes' CDNOW fit.",
        f"customers: {customers}",
        f"orders: {rows}",
        f"start: '{start}'",
        f"periods: {periods}",
        "time_unit: W",
        f"acquisition_periods: {periods * 12 / 78:g}",
        f"seed: {seed}",
        "purchase_params: {"
        + ", ".join(f"{k}: {CDNOW[k]}" for k in ("r", "alpha", "a", "b"))
        + "}",
        "spend_params: {" + ", ".join(f"{k}: {CDNOW[k]}" for k in ("p", "q", "v")) + "}",
        "columns: {customer_id: customer, date: day of the order, amount: yuan paid}",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=2357)
    parser.add_argument("--periods", type=int, default=78, help="weeks")
    parser.add_argument("--start", default="1997-01-01")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--out", type=Path, default=SHIPPED)
    args = parser.parse_args()
    t0 = time.perf_counter()
    log = simulate_orders(
        args.customers,
        **CDNOW,
        start=args.start,
        periods=args.periods,
        time_unit="W",
        seed=args.seed,
    )
    drawn = time.perf_counter() - t0
    out: Path = args.out
    if out.suffix == ".parquet":
        log.to_parquet(out, index=False)
    else:
        log.to_csv(out, index=False, date_format="%Y-%m-%d", float_format="%.2f")
    side = out.with_suffix(".yaml")
    side.write_text(
        sidecar(out, args.customers, args.periods, args.start, args.seed, len(log)),
        encoding="utf-8",
    )
    print(f"{len(log):,} orders of {args.customers:,} customers drawn in {drawn:.2f} s: {out}")
    print(f"parameters: {side}")


if __name__ == "__main__":
    main()
