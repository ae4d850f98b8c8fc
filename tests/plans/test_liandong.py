from decimal import Decimal

import pytest
from pydantic import ValidationError

import bizmodels as bm
from bizmodels.plans import Rank


def amounts(wf):
    return [s.amount for s in wf.deductions]


def test_seed_breakdown_699_to_289():
    # seed 001: 收入699元-100-200-50-30-30=289元; then VAT 699 × 0.13 / 1.13 = 80.4159… →
    # 80.42 and the payment fee 699 × 0.006 = 4.194 → 4.19: 289 − 80.42 − 4.19 = 204.39
    wf = bm.plans.liandong_699().order_waterfall()
    assert amounts(wf) == [
        Decimal(200),
        Decimal(100),
        Decimal(50),
        Decimal(30),
        Decimal(30),
        Decimal("80.42"),
        Decimal("4.19"),
    ]
    assert [s.key for s in wf.deductions] == [
        "direct",
        "see_point",
        "differential",
        "peer",
        "pools",
        "vat",
        "payment_fee",
    ]
    assert wf.start == Decimal(699)
    assert wf["platform_kept"].amount == Decimal(289)
    assert wf["platform_kept"].label_zh == "平台留存"
    assert wf.end == Decimal("204.39")


def test_agent_sponsor_third_position_is_also_289():
    # spec: position 3 under an AGENT sponsor: 699 − 300 − 0 − 50 − 30 − 30 = 289
    wf = bm.plans.liandong_699().order_waterfall(sponsor="agent", slid=False)
    assert amounts(wf)[:5] == [300, 0, 50, 30, 30]
    assert wf["platform_kept"].amount == 289


def test_slid_repurchase_under_an_agent_sponsor_pays_the_most():
    # 300 direct + 100 see-point + 50 + peer (30 + 10) + 30 pools = 520 → 699 − 520 = 179
    plan = bm.plans.liandong_699()
    wf = plan.order_waterfall(sponsor=Rank.AGENT, slid=True)
    assert amounts(wf)[:5] == [300, 100, 50, 40, 30]
    assert wf["platform_kept"].amount == 179
    assert plan.max_order_payout() == Decimal(520)


def test_root_buyer_pays_no_direct_reward():
    # a root's order: 699 − 0 − 0 − 50 − 0 − 30 = 619
    wf = bm.plans.liandong_699().order_waterfall(sponsor=None, slid=False)
    assert amounts(wf)[:5] == [0, 0, 50, 0, 30]
    assert wf["platform_kept"].amount == 619
    assert "root" in wf["direct"].note


@pytest.mark.parametrize(
    ("upline", "paid", "split"),
    [
        ([], 0, []),
        (["V1"], 20, [(Rank.V1, 2000)]),
        (["V1", "V3"], 50, [(Rank.V1, 2000), (Rank.V3, 3000)]),
        (["V2", "V1"], 30, [(Rank.V2, 3000)]),  # a V1 above a V2 is entitled to nothing more
        (["V1", "V1", "V2"], 30, [(Rank.V1, 2000), (Rank.V2, 1000)]),
    ],
)
def test_differential_walks_the_regional_upline(upline, paid, split):
    plan = bm.plans.liandong_699()
    payouts = plan.order_payouts(regional_upline=upline)
    assert payouts.differential == tuple(split)
    assert payouts.differential_kept == 5000 - paid * 100
    wf = plan.order_waterfall(regional_upline=upline)
    assert wf["differential"].amount == paid
    # what no regional dealer takes stays with the platform: 289 + (50 − paid)
    assert wf["platform_kept"].amount == 289 + 50 - paid
    if paid < 50:
        assert "kept by the platform" in wf["differential"].note
        assert wf["platform_kept"].note == f"includes {50 - paid}.00 unclaimed"


def test_peer_without_same_rank_upline_is_kept():
    wf = bm.plans.liandong_699().order_waterfall(peer_on_direct=False, peer_on_see_point=False)
    assert wf["peer"].amount == 0
    assert wf["platform_kept"].amount == 289 + 30
    assert wf["platform_kept"].note == "includes 30.00 unclaimed"
    only_see_point = bm.plans.liandong_699().order_waterfall(peer_on_direct=False)
    assert only_see_point["peer"].amount == 10


def test_goods_cost_adds_gross_profit():
    wf = bm.plans.liandong_699().order_waterfall(goods_cost=150)
    assert wf["platform_kept"].amount == 289
    assert wf["goods_cost"].amount == 150
    assert wf["gross_profit"].amount == 139
    # 139.00 − 80.42 VAT − 4.19 payment fee = 54.39
    assert wf.end == Decimal("54.39")
    assert wf.steps[-1].key == "after_tax"
    with pytest.raises(ValueError, match="goods_cost"):
        bm.plans.liandong_699().order_waterfall(goods_cost=-1)
    with pytest.raises(ValueError, match="goods_cost must be a number"):
        bm.plans.liandong_699().order_waterfall(goods_cost="abc")


def test_payback_recruits():
    plan = bm.plans.liandong_699()
    # seed 001: 200 + 200 + 300 = 700 ≥ 699 (推荐3个人后就可以回本)
    assert plan.payback_recruits() == 3
    # 20% frozen: 160 + 160 + 240 = 560 < 699; + 240 = 800 ≥ 699
    assert plan.payback_recruits(available_only=True) == 4


def test_payback_edge_cases():
    # no member reward: 0 + 0 + 300 + 300 + 300 = 900 ≥ 699 at five, 600 at four
    assert bm.plans.liandong_699(direct_member=0).payback_recruits() == 5
    assert bm.plans.liandong_699(direct_member=0, direct_agent=0).payback_recruits() is None
    # 400 each: two recruits make 800
    assert (
        bm.plans.liandong_699(
            direct_member=400, direct_agent=0, see_point=0, peer_rate=0
        ).payback_recruits()
        == 2
    )


def test_integer_fen_inside():
    fen = bm.plans.liandong_699(package_price="699.5").fen
    assert fen.package_price == 69950
    assert fen.differential == (2000, 3000, 5000)
    assert fen.peer(2000 + 1) == 200  # floor(0.1 × 2001 fen)
    assert fen.frozen(20000) == 4000


def test_plan_parameters_match_the_spec():
    plan = bm.plans.liandong_699()
    assert plan.package_price == 699
    assert (plan.direct_member, plan.direct_agent, plan.see_point) == (200, 300, 100)
    assert plan.differential == (20, 30, 50)
    assert plan.peer_rate == Decimal("0.1")
    assert plan.pool_contribution == (10, 10, 10)
    assert plan.upgrade_price == (999, 1980, 5000)
    assert (plan.slide_positions, plan.agent_recruits, plan.legs_required) == (2, 2, 3)
    assert (plan.freeze_rate, plan.unlock_orders) == (Decimal("0.2"), 10)
    assert plan.pool_share == "exact" and plan.upgrade_pays_rewards is False


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"package_price": 499}, "less than what one order can pay out: 520"),
        ({"package_price": -1}, "greater than or equal to 0"),
        ({"package_price": "inf"}, "finite"),
        ({"see_point": "1.001"}, "2 decimal places"),
        ({"peer_rate": 1.2}, "less than or equal to 1"),
        ({"differential": [30, 20, 50]}, "cumulative"),
        ({"unknown": 1}, "Extra inputs are not permitted"),
        ({"agent_recruits": "two"}, "valid integer"),
        ({"upgrade_pays_rewards": True}, "Input should be False"),
    ],
)
def test_bad_parameters_are_refused_by_name(overrides, message):
    with pytest.raises(ValidationError, match=message) as info:
        bm.plans.liandong_699(**overrides)
    assert info.value.errors()[0]["loc"] in {(next(iter(overrides)),), ()}


def test_rank_parsing():
    assert Rank.parse("agent") is Rank.AGENT
    assert Rank.parse("v3") is Rank.V3
    assert Rank.parse(2) is Rank.V1
    with pytest.raises(ValueError, match="unknown rank 'boss'"):
        Rank.parse("boss")


def test_get_plan():
    assert bm.plans.get_plan("liandong_699", package_price=999).package_price == 999
    with pytest.raises(KeyError, match="valid: liandong_699"):
        bm.plans.get_plan("nope")


def test_other_plans_per_order():
    # distribution 10% / 5% / 2% of 699: 69.90 + 34.95 + 13.98 → 699 − 118.83 = 580.17
    wf = bm.plans.distribution(rates=["0.1", "0.05", "0.02"]).order_waterfall()
    assert [s.amount for s in wf.deductions] == [
        Decimal("69.90"),
        Decimal("34.95"),
        Decimal("13.98"),
    ]
    assert wf.end == Decimal("580.17")
    # 推三返一: at most a third of 699 per recruit's order: 233 → 466 kept
    refund = bm.plans.recruit_three_refund_one().order_waterfall()
    assert refund["refund_reserve"].amount == 233 and refund.end == 466
