"""The multi-tier price ladder (品牌 → 省代 → 市代 → 代理), figures worked out by hand.

Lifetime 1 throughout: one period, so the figures hold under any retention curve.
"""

from decimal import Decimal

import pytest
from pydantic import ValidationError

from bizmodels.compliance import assess
from bizmodels.models import MODELS, VARIANTS, BusinessModel
from bizmodels.models.price_ladder import PriceLadder


@pytest.fixture
def ladder():
    return PriceLadder(lifetime=1)


def test_is_a_variant():
    assert VARIANTS["price_ladder"] is PriceLadder
    assert "price_ladder" not in MODELS


def test_the_brand_sells_to_provincial_agents(ladder):
    w = ladder.waterfall()
    # 10 provincial agents × 200 orders' worth × 199 × 0.4 (4折) = 159,200
    assert w.start == Decimal("159200.00")
    # 2,000 units × 60 goods cost, 5% refunded: 1,900 × 60 = 114,000
    assert w["cogs"].amount == Decimal("114000.00")
    # 10 × 2,000 to recruit each provincial agent
    assert w["acquisition"].amount == Decimal("20000.00")


def test_each_tier_buys_from_the_one_above(ladder):
    provincial, city, agent = ladder.tiers()
    # prices: 199 × 0.40 = 79.60, × 0.50 = 99.50, × 0.65 = 129.35, list 199
    assert [(t.buy_price, t.sell_price) for t in (provincial, city, agent)] == [
        (Decimal("79.60"), Decimal("99.50")),
        (Decimal("99.50"), Decimal("129.35")),
        (Decimal("129.35"), Decimal(199)),
    ]
    assert [t.margin_per_unit for t in (provincial, city, agent)] == [
        Decimal("19.90"),
        Decimal("29.85"),
        Decimal("69.65"),
    ]
    # units: 2,000 × 0.95 kept = 1,900 bought; 80% on: 1,520 sold, 380 held; then 80% of
    # 1,520 = 1,216 sold, 304 held; then 70% of 1,216 = 851.2 sold, 364.8 held
    assert [(t.units_bought, t.units_sold, t.units_held) for t in (provincial, city, agent)] == [
        (Decimal(1900), Decimal(1520), Decimal(380)),
        (Decimal(1520), Decimal(1216), Decimal(304)),
        (Decimal(1216), Decimal("851.2"), Decimal("364.8")),
    ]


def test_margins_and_stock_per_tier(ladder):
    provincial, city, agent = ladder.tiers()
    # margin on what it sold on: 1,520 × 19.90 = 30,248; 1,216 × 29.85 = 36,297.60;
    # 851.2 × 69.65 = 59,286.08
    assert [t.margin for t in (provincial, city, agent)] == [
        Decimal("30248"),
        Decimal("36297.60"),
        Decimal("59286.08"),
    ]
    # stock at the price it paid: 380 × 79.60 = 30,248; 304 × 99.50 = 30,248;
    # 364.8 × 129.35 = 47,186.88
    assert [t.stock_held for t in (provincial, city, agent)] == [
        Decimal("30248"),
        Decimal("30248"),
        Decimal("47186.88"),
    ]
    # sales less purchases = margin − stock: 0; 6,049.60; 12,099.20
    assert [t.cash_result for t in (provincial, city, agent)] == [
        Decimal(0),
        Decimal("6049.60"),
        Decimal("12099.20"),
    ]


def test_what_the_brand_booked_that_no_consumer_bought(ladder):
    # the brand's net sales 1,900 × 79.60 = 151,240; consumers got 0.8 × 0.8 × 0.7 = 44.8%
    assert ladder.channel_sell_through() == Decimal("0.448")
    assert ladder.dealer_purchases() == Decimal("151240")
    # 151,240 × 0.552 = 83,484.48, at the brand's price; the tiers hold 380 + 304 + 364.8 =
    # 1,048.8 units, 1,048.8 × 79.60 = 83,484.48
    assert ladder.channel_stock() == Decimal("83484.48")
    assert sum(t.units_held for t in ladder.tiers()) * Decimal("79.60") == Decimal("83484.48")


def test_ladder_waterfall_shows_each_tiers_margin():
    w = PriceLadder().ladder_waterfall()
    # 199 − 69.65 − 29.85 − 19.90 = 79.60 the brand's price; − 60 goods = 19.60
    assert w.to_dict() == {
        "list_price": Decimal("199.00"),
        "agent_margin": Decimal("69.65"),
        "city_margin": Decimal("29.85"),
        "provincial_margin": Decimal("19.90"),
        "brand_price": Decimal("79.60"),
        "goods_cost": Decimal("60.00"),
        "brand_gross_margin": Decimal("19.60"),
    }


def test_tier_table_in_both_languages(ladder):
    en, zh = ladder.tier_table(), ladder.tier_table(lang="zh")
    assert "Provincial agents (省代)" in en and "30,248.00" in en
    assert "拿货价" in zh and "库存金额" in zh


def test_memo_lines_in_the_brands_prices(ladder):
    memo = {m.key: m.amounts for m in ladder.cash_flows().memo}
    assert memo["dealer_purchases"][0] == Decimal("151240.00")
    assert memo["channel_stock"][0] == Decimal("83484.48")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"city_discount": Decimal("0.7")}, "city_discount above provincial_discount"),
        ({"agent_discount": Decimal("0.55")}, "agent_discount above city_discount"),
        ({"provincial_discount": Decimal("0.8")}, "provincial agents' price below unit cost"),
    ],
)
def test_a_ladder_out_of_order_is_refused(fields, message):
    with pytest.raises(ValidationError, match=message):
        PriceLadder(**fields)


def test_compliance_reads_free_stock_low_and_a_threshold_as_a_fee():
    assert assess(PriceLadder()).level == "low"
    bought = PriceLadder(tier_minimum_orders=10)
    profile = bought.compliance_profile()
    # 10 orders' worth at 79.60 = 796 yuan must be bought to take a tier
    assert (profile.resale_stock, profile.entry_fee) == ("required", Decimal("796.00"))
    # a fee that rewards nobody for recruiting: the wording of Art. 7(2) alone, a warning
    assert assess(bought).level == "warning"


def test_every_default_cites_a_seed_or_says_assumption():
    schema = PriceLadder.model_json_schema()["properties"]
    own = set(PriceLadder.model_fields) - set(BusinessModel.model_fields)
    for name in own:
        source = schema[name].get("source", "")
        assert source.startswith(("seed 0", "assumption")), name
