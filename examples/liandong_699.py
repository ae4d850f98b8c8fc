"""Where do the 699 yuan of one 链动2+1 package go, under three assumptions?

An analyst's first look at seed 001's plan: the seed's own case, a sponsor who is already an
agent, and a network with no regional dealers above the buyer; then what is left once the
goods in the package are paid for.
"""

from decimal import Decimal

import bizmodels as bm

plan = bm.plans.liandong_699()
GOODS_COST = Decimal(150)  # assumption: the goods in the package cost the brand 150 yuan

cases = {
    "The seed's case: slid buyer, MEMBER sponsor, every recipient present": {},
    "Sponsor already an agent (the buyer is its third recruit, not slid)": {
        "sponsor": "agent",
        "slid": False,
    },
    "No regional dealers above the buyer": {"regional_upline": ()},
}

for title, case in cases.items():
    waterfall = plan.order_waterfall(**case)
    print(f"\n{title}\n")
    print(waterfall)
    after_goods = plan.order_waterfall(**case, goods_cost=GOODS_COST)
    print(
        f"\nMargin after {GOODS_COST} yuan of goods: {after_goods.end} yuan "
        f"({after_goods.steps[-1].share:.1%} of the package price)"
    )

print(
    f"\nA new member earns the package back after {plan.payback_recruits()} recruits, "
    f"or {plan.payback_recruits(available_only=True)} counting only what the help fund "
    "(帮扶基金) leaves available."
)
