"""Which of the ten models wins most often when price, cost and refunds are uncertain?

A Monte Carlo ranking on paired draws: every sample is one possible market, seen by all ten
models, so the models are compared on the same luck. Run it twice with the same seed and on
two processes: the numbers do not change.
"""

from concurrent.futures import ProcessPoolExecutor

import numpy as np

import bizmodels as bm
from bizmodels.risk import Normal, Triangular, Uniform

uncertainty = {  # assumption: the analyst's view of the market
    "price": Normal(mean=199, sd=20),
    "unit_cost": Triangular(low=54, mode=60, high=78),
    "refund_rate": Uniform(low=0.03, high=0.10),
    "customers": Triangular(low=6_000, mode=10_000, high=12_000),
}

if __name__ == "__main__":
    serial = bm.monte_carlo(None, uncertainty, samples=200_000, seed=42)
    print(serial)
    with ProcessPoolExecutor(2) as pool:
        parallel = bm.monte_carlo(None, uncertainty, samples=200_000, seed=42, executor=pool)
    # NaN marks a sample that fails a model's checks (e.g. a cost drawn above the price)
    same = np.array_equal(serial.values, parallel.values, equal_nan=True)
    print(f"\nSame numbers on two processes: {same}")
    best = max(serial.win_rates, key=serial.win_rates.get)
    print(
        f"{best} wins in {serial.win_rates[best]:.1%} of the samples; "
        f"tob_recruitment loses money in {serial.probability_of_loss['tob_recruitment']:.1%}."
    )
