"""Compare the models a brand's own scenario file lists, then stress one assumption.

The analyst keeps assumptions in `examples/scenario.yaml` (reviewed and versioned with the
rest of the work), loads it, compares the models it lists, and checks how the ranking holds
if refunds double.
"""

from pathlib import Path

import bizmodels as bm
from bizmodels.io import load_scenario

scenario = load_scenario(Path(__file__).with_name("scenario.yaml"))
print(bm.compare(scenario.models))

stressed = scenario.market.model_copy(update={"refund_rate": scenario.market.refund_rate * 2})
table = bm.compare(scenario.models, market=bm.Market(**dict(stressed)))
print(f"\nWith refunds at {stressed.refund_rate:.0%}: {' > '.join(table.ranking)}")
