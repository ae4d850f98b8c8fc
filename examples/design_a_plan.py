"""Which direct and see-point rewards should a 699-yuan package launch with?

A consultant's design: vary the direct reward (直推奖) to a MEMBER sponsor and the see-point
reward (见点奖), keep the payout ratio at most one half and let at least 5% of the
participants earn back what they paid, every candidate run over the same grown networks.
Then check the chosen plan on networks it was not chosen on, and audit it for members who
game it under false names.
"""

import bizmodels as bm
from bizmodels.design import PlanEnsemble

# small networks keep the example quick; the default is 8 networks of 20,000 members
ensemble = PlanEnsemble(seeds=range(6), members=2_000, days=180)
limits = {"payout_ratio": ("<=", 0.5), "earned_back": (">=", 0.05)}
design = bm.design_plan(
    bm.plans.liandong_699(),
    vary={"direct_member": (100, 250), "see_point": (0, 100)},
    constraints=limits,
    trials=24,
    ensemble=ensemble,
)
print(design.render())

# the same figures on six networks grown from other seeds
fresh = PlanEnsemble(seeds=range(100, 106), members=2_000, days=180).evaluate(design.chosen)
for name, (sign, limit) in limits.items():
    mean, se = fresh.mean(name), fresh.standard_error(name)
    print(f"on fresh networks: {name} {mean:.4f} ± {2 * se:.4f} (limit {sign} {limit})")

print()
print(bm.audit_plan(design.chosen, members=2_000, days=180).render())
