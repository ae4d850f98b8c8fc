import re
from decimal import Decimal

import numpy as np
import pytest
from pydantic import ValidationError

import bizmodels as bm
from bizmodels.models.tob_offline import TobOffline


def round_model(round_market, round_overheads, **fields):
    values = {
        "meetings": 4,
        "meeting_cost": 1000,
        "attendees_per_meeting": 50,
        "signing_rate": Decimal("0.1"),
        "buying_rate": Decimal("0.2"),
        "entry_package": 500,
        "package_cost_share": Decimal("0.3"),
        "price_differential": Decimal("0.4"),
        "restock_orders": 5,
        "bulk_fulfilment_share": Decimal("0.2"),
        "dealer_rebate": Decimal("0.05"),
        "meeting_commission": Decimal("0.1"),
        **fields,
    }
    return TobOffline(market=round_market, **round_overheads, **values)


def test_round_scenario_by_hand(round_market, round_overheads):
    model = round_model(round_market, round_overheads)
    # attendees 4 × 50 = 200: 20 sign as dealers (× 0.1), 40 buy at the meeting (× 0.2)
    # entry packages: 20 × 500 = 10,000 (20 orders, goods 500 × 0.3 = 150 each)
    # restocking: 20 × 12 × 5 = 1,200 orders' worth × (100 × 0.6 = 60) = 72,000
    # meeting buyers: 40 × 100 = 4,000 (40 orders)
    # GMV 86,000; refunds 8,600; net sales 77,400; VAT 77,400 / 5 = 15,480
    # net revenue 61,920; goods 18 × 150 + 1,080 × 40 + 36 × 40 = 2,700 + 43,200 + 1,440
    #   = 47,340; gross 14,580
    # dealer rebates 64,800 × 0.05 = 3,240; meeting commissions (9,000 + 3,600) × 0.1 = 1,260
    # payment fees 774; fulfilment 18 × 10 + 1,080 × 10 × 0.2 + 36 × 10 = 180 + 2,160 + 360
    #   = 2,700
    # contribution 14,580 − 3,240 − 1,260 − 774 − 2,700 = 6,606
    # acquisition (20 + 40) × 10 = 600; meetings 4 × 1,000 = 4,000; marketing 1,200;
    # fixed 12,000; operating profit 6,606 − 17,800 = −11,194
    expected = {
        "gmv": 86_000,
        "refunds": 8_600,
        "net_sales": 77_400,
        "vat": 15_480,
        "net_revenue": 61_920,
        "cogs": 47_340,
        "gross_profit": 14_580,
        "dealer_rebates": 3_240,
        "meeting_commissions": 1_260,
        "payment_fees": 774,
        "fulfilment": 2_700,
        "contribution_margin": 6_606,
        "acquisition": 600,
        "meeting_costs": 4_000,
        "marketing": 1_200,
        "fixed_costs": 12_000,
        "operating_profit": -11_194,
    }
    assert model.waterfall().to_dict() == {k: Decimal(v) for k, v in expected.items()}
    assert model.customers() == 60  # 20 dealers + 40 meeting buyers
    assert model.orders() == 1260  # 20 + 1,200 + 40
    assert model.gmv_by_segment() == {
        "entry_packages": 10_000,
        "restocking": 72_000,
        "meeting_buyers": 4_000,
    }
    unit = model.unit_waterfall()
    assert unit["gmv"].amount == Decimal("68.25")  # 86,000 / 1,260 = 68.253…
    assert unit.end == unit.start - sum(s.amount for s in unit.deductions)


def test_sweep_equals_exact_models(round_market, round_overheads):
    model = round_model(round_market, round_overheads)
    meetings = [Decimal(0), Decimal(4), Decimal(10)]
    swept = bm.sweep(model, meetings=np.array([float(m) for m in meetings]))
    for i, count in enumerate(meetings):
        exact = round_model(round_market, round_overheads, meetings=count)
        for line in exact.pnl_lines():
            assert swept[line.key][i] == pytest.approx(float(line.value), rel=1e-12, abs=1e-9)


def test_seed_given_default():
    # seed 001: 会员体验官:购买一个699礼包
    assert TobOffline().entry_package == 699
    schema = TobOffline.model_json_schema()
    assert "699礼包" in schema["properties"]["entry_package"]["source"]
    assert schema["properties"]["meeting_cost"]["source"] == "assumption"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("signing_rate", 1.5, "less than or equal to 1"),
        ("meeting_cost", -1, "greater than or equal to 0"),
        ("bogus", 1, "Extra inputs are not permitted"),
    ],
)
def test_bad_fields(field, value, message):
    with pytest.raises(ValidationError, match=message) as info:
        TobOffline(**{field: value})
    assert info.value.title == "TobOffline"
    assert info.value.errors()[0]["loc"] == (field,)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {"signing_rate": Decimal("0.6"), "buying_rate": Decimal("0.5")},
            (
                "tob_offline: attendees who sign and who buy add up to more than 100% "
                "(signing_rate = 0.6, buying_rate = 0.5)"
            ),
        ),
        (
            {"price_differential": Decimal("0.7")},
            (
                "tob_offline: wholesale price below unit cost "
                "(price_differential = 0.7, market.price = 100, market.unit_cost = 40)"
            ),
        ),
        (
            {"meetings": 30, "attendees_per_meeting": 50},
            (
                "tob_offline: meeting attendees exceed the market's customers "
                "(meetings = 30, attendees_per_meeting = 50, market.customers = 1000)"
            ),
        ),
    ],
)
def test_cross_field_checks(round_market, fields, message):
    with pytest.raises(ValidationError, match=re.escape(message)):
        TobOffline(market=round_market, **fields)


# -- stock held by dealers (issue 15): lifetime 1, so the figures hold under any retention


def test_channel_stock_by_hand():
    m = TobOffline(lifetime=1)
    # 12 meetings × 60 × 0.15 = 108 dealers; packages 108 × 699 = 75,492; restocking
    # 108 × 10 × 199 × 0.6 = 128,952; net of 5% refunds 204,444 × 0.95 = 194,221.80
    assert m.dealer_purchases() == Decimal("194221.80")
    assert m.channel_stock() == Decimal("58266.54")  # 194,221.80 × 0.3


def test_memo_takes_the_dealers_share_of_net_sales():
    flows = TobOffline(lifetime=1).cash_flows()
    memo = {line.key: line.amounts for line in flows.memo}
    # net sales in month 0 also hold the meeting buyers' 720 × 0.25 × 199 × 0.95 = 34,029;
    # bought once like the entry packages, they are left out: 194,221.80 of 228,250.80
    assert flows["net_sales"].amounts[0] == Decimal("228250.80")
    assert memo["dealer_purchases"][0] == Decimal("194221.80")
    assert memo["channel_stock"][0] == Decimal("58266.54")


def test_memo_months_leave_the_meeting_buyers_out():
    # dealers signed over three months, each buying once (lifetime 1): a third a month
    flows = TobOffline(lifetime=1).cash_flows(acquisition=[1, 1, 1])
    memo = {line.key: line.amounts for line in flows.memo}
    # net sales a month: (75,492 + 128,952 + 35,820) × 0.95 / 3 = 76,083.60; the dealers'
    # part leaves out the meeting buyers' 35,820: 204,444 × 0.95 / 3 = 64,740.60
    assert flows["net_sales"].amounts[:3] == (Decimal("76083.60"),) * 3
    assert memo["dealer_purchases"][:4] == (Decimal("64740.60"),) * 3 + (Decimal(0),)
    # 30% of it stays each month: 19,422.18, 38,844.36, 58,266.54
    assert memo["channel_stock"][:3] == (
        Decimal("19422.18"),
        Decimal("38844.36"),
        Decimal("58266.54"),
    )
