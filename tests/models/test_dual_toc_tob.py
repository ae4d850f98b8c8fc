from decimal import Decimal

import numpy as np
import pytest
from pydantic import ValidationError

import bizmodels as bm
from bizmodels.models.dual_toc_tob import DualTocTob

ROUND = {
    "dealer_share": Decimal("0.1"),
    "package_price": 400,
    "package_cost": 100,
    "b_payout_rate": Decimal("0.5"),
    "mall_reach": Decimal("0.5"),
    "mall_conversion": Decimal("0.2"),
    "b_repeat_conversion": Decimal("0.5"),
    "c_rebate_rate": Decimal("0.1"),
    "old_product_price_ratio": Decimal("0.5"),
    "old_product_conversion": Decimal("0.1"),
}


def test_round_scenario_by_hand(round_market, round_overheads):
    model = DualTocTob(market=round_market, **ROUND, **round_overheads)
    # dealers 1000 × 0.1 = 100; mall customers 1000 × 0.5 = 500
    # entry packages: 100 × 1 × 1 = 100 orders × 400 = 40,000
    # mall: 500 × 12 × 0.2 = 1,200 orders × 100 = 120,000
    # B repeat in the mall: 100 × 12 × 0.5 = 600 orders × 100 = 60,000
    # old products: 500 × 12 × 0.1 = 600 orders × (400 × 0.5 = 200) = 120,000
    # GMV 340,000; refunds 34,000; net sales 306,000; VAT 306,000 / 5 = 61,200
    # net revenue 244,800
    # goods on net orders: 90 × 100 + 1,080 × 40 + 540 × 40 + 540 × 100
    #   = 9,000 + 43,200 + 21,600 + 54,000 = 127,800; gross profit 117,000
    # B payouts 36,000 × 0.5 = 18,000; C rebates 54,000 × 0.1 = 5,400
    # payment 306,000 × 0.01 = 3,060; fulfilment (90 + 1,080 + 540 + 540) × 10 = 22,500
    # contribution 117,000 − 18,000 − 5,400 − 3,060 − 22,500 = 68,040
    # acquisition (100 + 500) × 10 = 6,000; marketing 1,200; fixed 12,000
    # operating profit 68,040 − 19,200 = 48,840
    expected = {
        "gmv": 340_000,
        "refunds": 34_000,
        "net_sales": 306_000,
        "vat": 61_200,
        "net_revenue": 244_800,
        "cogs": 127_800,
        "gross_profit": 117_000,
        "b_payouts": 18_000,
        "c_rebates": 5_400,
        "payment_fees": 3_060,
        "fulfilment": 22_500,
        "contribution_margin": 68_040,
        "acquisition": 6_000,
        "marketing": 1_200,
        "fixed_costs": 12_000,
        "operating_profit": 48_840,
    }
    assert model.waterfall().to_dict() == {k: Decimal(v) for k, v in expected.items()}
    assert model.customers() == 600  # dealers and mall customers; the rest are the same people
    assert model.orders() == 2_500  # 100 + 1,200 + 600 + 600
    assert model.gmv_by_segment() == {
        "entry_packages": 40_000,
        "mall": 120_000,
        "b_repeat": 60_000,
        "old_products": 120_000,
    }


def test_sweep_runs_the_same_declarations(round_market, round_overheads):
    model = DualTocTob(market=round_market, **ROUND, **round_overheads)
    swept = bm.sweep(model, c_rebate_rate=np.array([0.1, 0.2]))
    # a rebate of 0.2 doubles the 5,400 line: operating profit 48,840 − 5,400 = 43,440
    assert swept["operating_profit"] == pytest.approx([48_840, 43_440], rel=1e-12)


def test_seed_figures():
    schema = DualTocTob.model_json_schema()["properties"]
    # seed 000, model 5: 因为不再返佣,价格可以降到一半 (the old product at half price)
    assert DualTocTob().old_product_price_ratio == Decimal(1) / 2
    assert schema["old_product_price_ratio"]["source"].endswith("價格可以降到一半")
    # seed 001: 购买一个699礼包, the entry package price
    assert DualTocTob().package_price == 699
    assert "seed 001" in schema["package_price"]["source"]
    assert schema["b_payout_rate"]["source"] == "assumption"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("c_rebate_rate", 1.5, "less than or equal to 1"),
        ("package_cost", -1, "greater than or equal to 0"),
        ("bogus", 1, "Extra inputs are not permitted"),
    ],
)
def test_bad_fields(field, value, message):
    with pytest.raises(ValidationError, match=message) as info:
        DualTocTob(**{field: value})
    assert info.value.title == "DualTocTob"
    assert info.value.errors()[0]["loc"] == (field,)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"dealer_share": Decimal("0.6"), "mall_reach": Decimal("0.5")},
            (
                "dual_toc_tob: dealers and mall customers exceed the market "
                "(dealer_share = 0.6, mall_reach = 0.5)"
            ),
        ),
        (
            {
                "package_price": 400,
                "package_cost": 300,
                "b_payout_rate": Decimal("0.5"),
                "old_product_price_ratio": Decimal("0.8"),
            },
            # 300 + 400 × 0.5 = 500 > 400
            (
                "dual_toc_tob: B-line payouts and goods exceed the entry package price "
                "(package_cost = 300, package_price = 400, b_payout_rate = 0.5)"
            ),
        ),
        (
            {
                "package_price": 400,
                "package_cost": 250,
                "b_payout_rate": Decimal("0.3"),
                "old_product_price_ratio": Decimal("0.5"),
            },
            # 250 > 400 × 0.5 = 200
            (
                "dual_toc_tob: old entry product below cost at its mall price "
                "(package_cost = 250, package_price = 400, old_product_price_ratio = 0.5)"
            ),
        ),
    ],
)
def test_cross_field_checks(values, message):
    with pytest.raises(ValidationError) as info:
        DualTocTob(**values)
    assert info.value.errors()[0]["msg"] == f"Value error, {message}"


def test_cross_field_check_in_a_sweep_names_the_scenario():
    with pytest.raises(
        ValueError,
        match=r"B-line payouts and goods exceed the entry package price at index 1 "
        r"\(package_cost = 210.0, package_price = 699.0, b_payout_rate = 0.9\)",
    ):
        bm.sweep(DualTocTob(), b_payout_rate=np.array([0.5, 0.9]))


def test_unit_cost_above_price_is_refused(round_market):
    market = round_market.model_copy(update={"unit_cost": Decimal(120)})
    with pytest.raises(ValidationError, match=r"unit cost above price \(market.unit_cost = 120"):
        DualTocTob(market=market)


# -- stock held by dealers (issue 15)


def test_channel_stock_is_the_unsold_entry_packages():
    m = DualTocTob(lifetime=1)
    # 10,000 × 0.05 = 500 dealers × 699 × 0.95 (refunds) = 332,025; the repeat purchases in
    # the mall are the dealers' own, not stock
    assert m.dealer_purchases() == Decimal("332025")
    assert m.channel_stock() == Decimal("99607.50")  # 332,025 × 0.3
