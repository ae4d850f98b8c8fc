"""What happens to 100,000 people who join the 699 plan over a year?

Grows a referral network at random (10 roots, saturation as it nears 100,000 people,
half of the members dropping out within a year, sponsors by preferential attachment),
runs seed 001's 链动2+1 preset over it exactly, and prints the summary: members by rank,
who earned back what they paid, the distribution of net results, how concentrated the
earnings are, what the platform kept, the help fund and pools, and an income disclosure
by join cohort. Then the participant's view: payback and IRR by month of joining.
"""

import time

import bizmodels as bm

plan = bm.plans.liandong_699()

t0 = time.perf_counter()
stream = bm.generate_growth(members=100_000, days=365, seed=1)
t1 = time.perf_counter()
run = bm.simulate(plan, stream)
t2 = time.perf_counter()
summary = run.summary()
t3 = time.perf_counter()

print(summary)
print(
    f"\nGrowth {t1 - t0:.2f} s ({len(stream):,} events), simulation {t2 - t1:.2f} s, "
    f"summary {t3 - t2:.2f} s."
)

print("\nThe participant's view: each member's cash, month by month (30-day periods)\n")
print(run.member_cash_flows(period=30).to_table())

last = summary.cohorts[-1]
print(
    f"\nOf the last {last.members:,} to join (days {last.first_day}–{last.last_day}), "
    f"{last.earned_nothing:.0%} earned nothing and {last.earned_back:.1%} earned back "
    "what they paid."
)
