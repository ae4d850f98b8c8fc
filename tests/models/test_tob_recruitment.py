from decimal import Decimal

import numpy as np
import pytest
from pydantic import ValidationError

import bizmodels as bm
from bizmodels.models.tob_recruitment import TobRecruitment
from bizmodels.plans import LiandongPlan


@pytest.fixture
def fields(round_market, round_overheads):
    return {
        "market": round_market,
        "dealer_share": Decimal("0.1"),
        "package_price": 500,
        "package_cost": 150,
        "price_differential": Decimal("0.3"),
        "restock_rate": Decimal("0.5"),
        "recruit_three_share": Decimal("0.2"),
        "referral_rate": Decimal("0.1"),
        **round_overheads,
    }


def test_round_scenario_by_hand(fields):
    model = TobRecruitment(**fields)
    # dealers 1000 × 0.1 = 100, one entry package each: 100 × 500 = 50,000
    # restock at 100 × (1 − 0.3) = 70: 100 × 12 × 0.5 = 600 orders × 70 = 42,000
    # GMV 92,000; refunds 9,200; net sales 82,800; VAT 82,800 / 5 = 16,560
    # net revenue 66,240; goods on net orders: packages 90 × 150 = 13,500, restock
    # 540 × 40 = 21,600, together 35,100; gross 31,140
    # 推三返一: 100 × 0.2 × 500 = 10,000; referral: packages' net sales 45,000 × 0.1 = 4,500
    # payment 828; fulfilment (90 + 540) × 10 = 6,300
    # contribution 31,140 − 10,000 − 4,500 − 828 − 6,300 = 9,512
    # acquisition 100 dealers × 10 = 1,000; marketing 1,200; fixed 12,000
    # operating profit 9,512 − 14,200 = −4,688
    expected = {
        "gmv": 92_000,
        "refunds": 9_200,
        "net_sales": 82_800,
        "vat": 16_560,
        "net_revenue": 66_240,
        "cogs": 35_100,
        "gross_profit": 31_140,
        "recruit_three_refunds": 10_000,
        "referral_rewards": 4_500,
        "payment_fees": 828,
        "fulfilment": 6_300,
        "contribution_margin": 9_512,
        "acquisition": 1_000,
        "marketing": 1_200,
        "fixed_costs": 12_000,
        "operating_profit": -4_688,
    }
    assert model.waterfall().to_dict() == {k: Decimal(v) for k, v in expected.items()}
    assert model.customers() == 100
    assert model.orders() == 700  # 100 packages + 600 restock orders


def with_plan(fields):
    # with a plan, the plan's package and payouts replace these three fields
    replaced = {"package_price", "recruit_three_share", "referral_rate"}
    return {k: v for k, v in fields.items() if k not in replaced}


def test_plan_scenario_by_hand(fields):
    model = TobRecruitment(**with_plan(fields), plan=LiandongPlan())
    # the plan's package replaces package_price: 100 × 699 = 69,900; restock 42,000 as above
    # GMV 111,900; refunds 11,190; net sales 100,710; VAT 100,710 / 5 = 20,142
    # net revenue 80,568; goods 13,500 + 21,600 = 35,100; gross 45,468
    # the plan pays per package kept (100 − 10 refunded = 90), seed 001's default case:
    # direct 90 × 200 = 18,000; see-point 90 × 100 = 9,000; differential 90 × 50 = 4,500;
    # peer 90 × 30 = 2,700; pools 90 × 30 = 2,700 (together 36,900)
    # payment 1,007.10; fulfilment 6,300
    # contribution 45,468 − 36,900 − 1,007.10 − 6,300 = 1,260.90
    # acquisition 1,000; marketing 1,200; fixed 12,000; operating profit −12,939.10
    expected = {
        "gmv": "111900",
        "refunds": "11190",
        "net_sales": "100710",
        "vat": "20142",
        "net_revenue": "80568",
        "cogs": "35100",
        "gross_profit": "45468",
        "direct": "18000",
        "see_point": "9000",
        "differential": "4500",
        "peer": "2700",
        "pools": "2700",
        "payment_fees": "1007.10",
        "fulfilment": "6300",
        "contribution_margin": "1260.90",
        "acquisition": "1000",
        "marketing": "1200",
        "fixed_costs": "12000",
        "operating_profit": "-12939.10",
    }
    wf = model.waterfall()
    assert wf.to_dict() == {k: Decimal(v) for k, v in expected.items()}
    # seed 001: 699 − 200 − 100 − 50 − 30 − 30 = 289 kept per package
    payouts = sum(wf[k].amount for k in ("direct", "see_point", "differential", "peer", "pools"))
    assert payouts == 90 * (699 - 289)
    assert (wf["direct"].label_zh, wf["pools"].label_en) == ("直推奖", "Dividend pools")
    assert model.customers() == 100
    assert model.orders() == 700


def test_sweep_with_a_plan_runs_the_same_formulas(fields):
    model = TobRecruitment(**with_plan(fields), plan=LiandongPlan())
    exact = TobRecruitment(
        **{**with_plan(fields), "dealer_share": Decimal("0.2")}, plan=LiandongPlan()
    )
    swept = bm.sweep(model, dealer_share=np.array([0.1, 0.2]))
    assert swept["direct"] == pytest.approx([18_000, 36_000])
    for line in exact.pnl_lines():
        assert swept[line.key][1] == pytest.approx(float(line.value), rel=1e-12), line.key


def test_package_default_is_the_seed_001_package():
    # seed 001: 会员体验官:购买一个699礼包
    assert TobRecruitment().package_price == Decimal(699) == LiandongPlan().package_price
    source = TobRecruitment.model_json_schema()["properties"]["package_price"]["source"]
    # borrowed from seed 001's plan, so an assumption for this model (issue 15)
    assert source.startswith("assumption") and "seed 001" in source and "699" in source


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("restock_rate", 1.5, "less than or equal to 1"),
        ("package_cost", -1, "greater than or equal to 0"),
        ("bogus", 1, "Extra inputs are not permitted"),
    ],
)
def test_bad_fields(field, value, message):
    with pytest.raises(ValidationError, match=message) as info:
        TobRecruitment(**{field: value})
    assert info.value.title == "TobRecruitment"
    assert info.value.errors()[0]["loc"] == (field,)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"package_cost": 800},
            (
                r"entry package goods cost above its price \(package_cost = 800, "
                r"package_price = 699\)"
            ),
        ),
        (
            {"package_cost": 800, "plan": LiandongPlan()},
            (
                r"entry package goods cost above its price \(package_cost = 800, "
                r"plan.package_price = 699\)"
            ),
        ),
        (
            {"price_differential": 0.8},  # 199 × 0.2 = 39.80 < 60
            (
                r"wholesale price below unit cost \(market.unit_cost = 60, market.price = 199, "
                r"price_differential = 0.8\)"
            ),
        ),
        (
            {"recruit_three_share": 0.4},
            (
                r"more than a third of dealers recruit three: each needs three recruits among the "
                r"dealers \(recruit_three_share = 0.4\)"
            ),
        ),
    ],
)
def test_cross_field_checks(fields, message):
    with pytest.raises(ValidationError, match=f"tob_recruitment: {message}"):
        TobRecruitment(**fields)


def test_a_plan_by_name_and_the_fields_it_replaces():
    assert TobRecruitment(plan="liandong_699").plan == LiandongPlan()
    with pytest.raises(ValidationError, match="unknown plan 'nope'; valid: liandong_699"):
        TobRecruitment(plan="nope")
    with pytest.raises(
        ValidationError,
        match="package_price, referral_rate do not apply with a plan: the plan's package "
        "price and payouts replace them",
    ):
        TobRecruitment(plan=LiandongPlan(), package_price=900, referral_rate=0.2)


# -- stock held by dealers (issue 15): lifetime 1, so the figures hold under any retention


def test_channel_stock_by_hand():
    m = TobRecruitment(lifetime=1)
    # 10,000 × 0.08 = 800 dealers; packages 800 × 699 = 559,200; restock 800 × 0.5 × 199 ×
    # 0.7 = 55,720; net of 5% refunds (559,200 + 55,720) × 0.95 = 584,174
    assert m.dealer_purchases() == Decimal("584174")
    # 70% sold through by default: 584,174 × 0.3 = 175,252.20 held
    assert m.channel_stock() == Decimal("175252.20")
    w = m.channel_stock_waterfall()
    assert w["sold_through"].amount == Decimal("408921.80")  # 584,174 × 0.7
    assert w.end == Decimal("175252.20")


def test_sell_through_does_not_move_the_brands_pnl():
    # the brand books the dealers' purchases whether consumers buy them or not
    assert TobRecruitment(sell_through=Decimal("0.2")).waterfall() == TobRecruitment().waterfall()
    assert TobRecruitment(sell_through=1).channel_stock() == 0


def test_memo_lines_beside_the_cash_flows():
    flows = TobRecruitment(lifetime=1).cash_flows()
    memo = {line.key: line.amounts for line in flows.memo}
    # every order in month 0: the month's purchases are the lifetime's, 584,174.00
    assert memo["dealer_purchases"][0] == Decimal("584174.00")
    assert memo["channel_stock"][0] == Decimal("175252.20")
    assert memo["channel_stock"][-1] == Decimal("175252.20")  # a level: it stays


def test_sell_through_refused_above_1():
    with pytest.raises(ValidationError, match="sell_through"):
        TobRecruitment(sell_through=Decimal("1.1"))
