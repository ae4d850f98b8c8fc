"""plan_break_even: a crossing computed by hand, to the fen, and refusals before any work."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

pytest.importorskip("scipy")

from bizmodels import break_even, get_model
from bizmodels.design.ensemble import PlanEnsemble
from bizmodels.design.goal import PlanBreakEven, plan_break_even
from bizmodels.plans import JOIN, ORDER, distribution, liandong_699

# Nobody ever becomes an AGENT (2^31 − 2 recruits needed), and every reward but the direct
# reward to a MEMBER sponsor (直推奖) is 0: each order whose buyer has a sponsor pays
# exactly direct_member, and nothing else is paid.
ONLY_DIRECT = {
    "see_point": 0,
    "differential": (0, 0, 0),
    "peer_rate": 0,
    "pool_contribution": (0, 0, 0),
    "agent_recruits": 2**31 - 2,
}


NOT_A_FIELD = (
    r"liandong_699: 'price' is not a numeric field of the plan; valid: package_price, "
    r"direct_member, direct_agent, see_point"
)


@pytest.fixture(scope="module")
def ens() -> PlanEnsemble:
    return PlanEnsemble(seeds=range(3), members=300, days=60)


def _sponsored_share(ens: PlanEnsemble) -> Fraction:
    # By hand from the streams, no simulation: the share of orders (joins and repurchases)
    # whose buyer has a sponsor, averaged over the networks.
    shares = []
    for s in ens.streams():
        kind, member, sponsor = s.kind, s.member, s.sponsor
        joins = kind == JOIN
        has_sponsor = np.zeros(int(member.max()) + 1, dtype=bool)
        has_sponsor[member[joins]] = sponsor[joins] >= 0
        orders = joins | (kind == ORDER)
        shares.append(Fraction(int(has_sponsor[member[orders]].sum()), int(orders.sum())))
    return sum(shares, Fraction(0)) / len(shares)


def test_payout_ratio_crosses_a_half_at_the_fen_worked_by_hand(ens: PlanEnsemble) -> None:
    plan = liandong_699(**ONLY_DIRECT)
    m = _sponsored_share(ens)
    # payout ratio of a network = direct_member × sponsored orders / (699 × orders), so the
    # mean is d × m / 699, and it reaches 1/2 at d = 699 / (2 m) yuan: the first fen at or
    # above that is ceil(69,900 / (2 m)) fen.
    fen = math.ceil(Fraction(69_900) / (2 * m))
    answer = plan_break_even(plan, "direct_member", "payout_ratio", 0.5, ensemble=ens)
    assert isinstance(answer, PlanBreakEven) and answer.found
    assert answer.value == Decimal(fen) / 100
    assert answer.reached == pytest.approx(float(Fraction(fen, 100) * m / 699), rel=1e-12)
    assert answer.reached is not None and answer.reached >= 0.5
    assert answer.before is not None and answer.before < 0.5
    # one fen below, evaluated afresh, does not reach
    below = ens.evaluate(liandong_699(**ONLY_DIRECT, direct_member=Decimal(fen - 1) / 100))
    assert below.mean("payout_ratio") < 0.5
    assert "rises to 0.5 at direct_member = " in answer.message
    assert str(answer.value) in str(answer) and "networks" in answer.render()


def test_a_level_out_of_reach_is_not_found(ens: PlanEnsemble) -> None:
    plan = liandong_699(**ONLY_DIRECT)
    # the direct reward is at most the package price less nothing else: d ≤ 699, so the
    # payout ratio stays below 699 × m / 699 = m < 1
    answer = plan_break_even(plan, "direct_member", "payout_ratio", 1.0, ensemble=ens)
    assert not answer.found and answer.value is None and answer.reached is None
    assert "does not reach 1" in answer.message
    assert answer.search_range == (0.0, 699.0)  # narrowed to what the plan's checks accept


def test_search_is_cut_to_the_valid_range(ens: PlanEnsemble) -> None:
    plan = liandong_699(**ONLY_DIRECT)
    answer = plan_break_even(
        plan, "direct_member", "payout_ratio", 0.5, ensemble=ens, search=(-50, 380)
    )
    assert answer.search_range == (0.0, 380.0)


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        (("price",), {}, NOT_A_FIELD),
        (("pool_share",), {}, "'pool_share' is not a numeric field"),
        (("see_point", "profit"), {}, r"figure 'profit' is unknown; valid: payout_ratio, "),
        (("see_point", "payout_ratio", math.inf), {}, "the level to reach must be finite, got inf"),
        (("see_point", "payout_ratio", "half"), {}, "must be a number, got 'half'"),
        (("see_point",), {"search": (50, 50)}, r"empty or unbounded search range for see_point"),
        (("see_point",), {"search": (0, math.nan)}, "search must be a pair"),
    ],
)  # fmt: skip
def test_refusals_name_field_and_value(
    args: tuple[object, ...], kwargs: dict[str, object], message: str
) -> None:
    class Exploding(PlanEnsemble):
        __slots__ = ()

        def evaluate(self, *a: object, **k: object) -> object:  # type: ignore[override]
            raise AssertionError("simulated before refusing")

    ens = Exploding(seeds=[0], members=50, days=5)
    with pytest.raises(ValueError, match=message):
        plan_break_even(liandong_699(), *args, ensemble=ens, **kwargs)  # type: ignore[arg-type]


def test_not_a_plan() -> None:
    with pytest.raises(TypeError, match="plan: needs a LiandongPlan"):
        plan_break_even("liandong_699", "see_point")  # type: ignore[arg-type]


def test_a_count_field_falls_to_the_level(ens: PlanEnsemble) -> None:
    # Two recruits make an AGENT, who earns direct_agent (300) instead of 200 on each later
    # recruit: needing more recruits pays less. The answer is a whole number of recruits.
    answer = plan_break_even(
        liandong_699(), "agent_recruits", "payout_ratio", 0.35, ensemble=ens, search=(1, 20)
    )
    assert answer.found and answer.value == answer.value.to_integral_value()
    assert answer.reached is not None and answer.before is not None
    assert answer.reached <= 0.35 < answer.before
    assert "falls to 0.35 at agent_recruits = " in answer.message


def test_a_level_met_at_the_ranges_end(ens: PlanEnsemble) -> None:
    # at a price of 0 nothing is received, nothing paid: the platform's result is exactly 0
    answer = plan_break_even(distribution(), "price", ensemble=ens, search=(0, 100))
    assert answer.found and answer.value == 0 and answer.reached == 0.0
    assert answer.before is None and "reaches 0 at price = 0.00 yuan" in answer.message


def test_risk_break_even_dispatches_a_plan(ens: PlanEnsemble) -> None:
    plan = liandong_699(**ONLY_DIRECT)
    ours = break_even(plan, "direct_member", "payout_ratio", 0.5, ensemble=ens)
    assert ours == plan_break_even(plan, "direct_member", "payout_ratio", 0.5, ensemble=ens)
    # a plan's default target is the platform's result
    assert break_even(distribution(), "price", ensemble=ens, search=(0, 100)).target == (
        "platform_result"
    )
    with pytest.raises(ValueError, match="ensemble: only a plan's break-even"):
        break_even(get_model("toc_membership"), "price", ensemble=ens)  # type: ignore[call-overload]
