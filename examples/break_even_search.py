"""How many dealers must a 699-yuan entry package recruit before dealer recruitment pays?

A channel consultant's goal seek: for seed 000's 完全 to B 招商 on the default market, find
the dealer share, the dealer price differential and the restock rate at which operating
profit is zero, each checked by substitution in the exact waterfall.
"""

import bizmodels as bm

model = bm.get_model("tob_recruitment")
print(f"At the defaults, operating profit is {model.waterfall().end:,} yuan.\n")

for field in ("dealer_share", "price_differential", "restock_rate", "acquisition_cost"):
    result = bm.break_even(model, field)
    print(result.message)
    if result.found:
        check = bm.get_model("tob_recruitment", **{field: result.value}).waterfall().end
        print(f"  check: the exact waterfall at {field} = {result.value} ends at {check:,}")
