"""What does a 百果园-like membership business look like in the library's P&L?

Seed 001 gives 百果园's private-domain figures: over 80 million members, 1.1 million paid,
16,000 WeChat groups with over 6 million members repurchasing monthly above 50%, and about
70% of customers won online. The preset `baiguoyuan_like` builds a membership business from
them, labelling every other figure an assumption. How much of its profit rests on the
community groups' repurchase rate?
"""

import numpy as np

import bizmodels as bm
from bizmodels.presets import PRESETS

preset = PRESETS["baiguoyuan_like"]
model = preset.model
print(f"{preset.name_zh} · {preset.name_en} ({preset.source})\n{preset.summary}\n")
print(model.waterfall())
print("\nPer order:\n")
print(model.unit_waterfall())

repurchase = np.array([0.3, 0.4, 0.5, 0.6])
profit = bm.sweep(model, group_conversion=repurchase)["operating_profit"]
print("\nOperating profit by the groups' monthly repurchase rate:")
for rate, value in zip(repurchase, profit, strict=True):
    print(f"  {rate:.0%}: {value / 1e6:>10,.1f} million yuan")
