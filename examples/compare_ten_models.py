"""Which of the ten private-domain models pays best for a 129-yuan skincare product?

A brand strategist's first pass: put all ten models of seed 000 on the brand's own market,
rank them by operating profit and by LTV:CAC, and see how sensitive the winner is to price.
"""

from decimal import Decimal

import numpy as np

import bizmodels as bm

# assumption: the brand's market, not a seed figure
market = bm.Market(
    customers=50_000, price=129, unit_cost=38, refund_rate=Decimal("0.06"), fulfilment_cost=10
)

by_profit = bm.compare(market=market)
print("Ranked by operating profit\n")
print(by_profit)

by_ltv_cac = bm.compare(market=market, sort="ltv_cac")
print("\nRanked by LTV:CAC:", ", ".join(by_ltv_cac.ranking[:3]), "…")

winner = bm.get_model(by_profit.ranking[0]).with_market(market)
print(f"\nThe winner, {winner.name_en} ({winner.name_zh}), per order:\n")
print(winner.unit_waterfall())

prices = np.array([99.0, 129.0, 159.0, 199.0])
profit = bm.sweep(winner, price=prices)["operating_profit"]
print("\nIts operating profit at other prices:")
for price, value in zip(prices, profit, strict=True):
    print(f"  {price:>5.0f} yuan: {value:>14,.0f}")
