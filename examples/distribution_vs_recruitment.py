"""Two-level distribution or dealer recruitment: which should a 199-yuan brand choose?

A channel consultant's question: the brand can pay its customers to refer friends (to C +
二级分销, seed 000 model 3) or recruit dealers who buy a 699-yuan entry package (完全 to B
招商, model 4), possibly on the 链动2+1 plan of seed 001. Compare them on the same market,
per order and over the lifetime, and find the referral rate at which distribution stops
beating recruitment.
"""

from decimal import Decimal

import numpy as np

import bizmodels as bm

market = bm.Market(customers=20_000, price=199, unit_cost=55)  # assumption: the brand's market

distribution = bm.get_model("toc_two_level_distribution", market=market)
recruitment = bm.get_model("tob_recruitment", market=market)
recruitment_699 = bm.get_model("tob_recruitment", market=market, plan=bm.plans.liandong_699())

table = bm.compare([distribution, recruitment], sort="operating_profit")
print(table)

print("\nPer order, two-level distribution:\n")
print(distribution.unit_waterfall())
print("\nPer order, dealer recruitment on the 链动2+1 699 plan:\n")
print(recruitment_699.unit_waterfall())

# How high can the level-1 commission go before distribution falls behind recruitment?
rates = np.linspace(0.0, 0.5, 51)
profit = bm.sweep(distribution, level1_rate=rates)["operating_profit"]
target = float(recruitment.waterfall().end)
behind = rates[profit < target]
if behind.size:
    print(f"\nDistribution earns less than recruitment once level 1 pays {behind[0]:.0%} or more.")
else:
    print("\nDistribution beats recruitment at every level-1 rate up to 50%.")

plain = recruitment.waterfall().end
on_plan = recruitment_699.waterfall().end
print(
    f"Recruitment's operating profit: {plain:,} yuan plain, {on_plan:,} yuan on the 699 plan "
    f"({on_plan - plain:+,} yuan)."
)
assert isinstance(on_plan, Decimal)
