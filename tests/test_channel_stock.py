"""The sell-through arithmetic (bizmodels.channel_stock), by hand, on both number types."""

from decimal import Decimal

import numpy as np
import pytest

from bizmodels.channel_stock import held, ladder, memo_lines, monthly, sold_through, stock_waterfall


@pytest.mark.parametrize("number_type", [Decimal, float])
def test_held_and_sold_through_split_the_purchases(number_type):
    bought, rate = number_type(1_000), number_type("0.7")
    # 1,000 × 0.7 = 700 sold through; 1,000 × 0.3 = 300 held
    assert sold_through(bought, rate) == pytest.approx(number_type(700))
    assert held(bought, rate) == pytest.approx(number_type(300))


def test_held_is_exact_on_decimal():
    assert held(Decimal("699.00"), Decimal("0.85")) == Decimal("104.85")  # 699 × 0.15


def test_held_on_arrays():
    got = held(np.array([1_000.0, 500.0]), np.array([0.5, 1.0]))
    np.testing.assert_allclose(got, [500.0, 0.0])


def test_ladder_passes_what_each_tier_sells_on():
    tiers = ladder(Decimal(100), [Decimal("0.8"), Decimal("0.75"), Decimal("0.5")])
    # 100 → 80 sold, 20 held; 80 → 60 sold, 20 held; 60 → 30 sold, 30 held
    assert [(b, s, h) for b, s, h in tiers] == [
        (Decimal(100), Decimal(80), Decimal(20)),
        (Decimal(80), Decimal(60), Decimal(20)),
        (Decimal(60), Decimal(30), Decimal(30)),
    ]
    # held in all tiers + reaching consumers = what the brand sold: 20 + 20 + 30 + 30 = 100
    assert sum(h for _, _, h in tiers) + tiers[-1][1] == 100


def test_monthly_cumulative_rounding_and_identity():
    bought = [Decimal("0.01"), Decimal("0.01"), Decimal("0.01")]
    purchases, sold, stock = monthly(bought, Decimal("0.5"))
    assert purchases == tuple(bought)
    # cumulative bought 0.01, 0.02, 0.03; held half: 0.005 → 0.01 (half up), 0.01, 0.015 → 0.02
    assert stock == (Decimal("0.01"), Decimal("0.01"), Decimal("0.02"))
    # sold = bought − change in stock: 0.01 − 0.01, 0.01 − 0, 0.01 − 0.01
    assert sold == (Decimal("0.00"), Decimal("0.01"), Decimal("0.00"))


def test_monthly_ends_at_the_lifetime_figure():
    bought = [Decimal("1000.00"), Decimal("250.50"), Decimal("0.00")]
    _, sold, stock = monthly(bought, Decimal("0.8"))
    # held(1,250.50, 0.8) = 250.10
    assert stock[-1] == Decimal("250.10")
    assert sum(sold) + stock[-1] == sum(bought)


def test_monthly_takes_the_dealers_share_of_net_sales():
    sales = [Decimal("100.00"), Decimal("100.01")]
    bought, sold, stock = monthly(sales, Decimal("0.5"), share=Decimal("0.5"))
    # purchases to date: 50.00, then 200.01 × 0.5 = 100.005 → 100.01, so month 1 is 50.01
    assert bought == (Decimal("50.00"), Decimal("50.01"))
    # stock to date: 25.00, then 100.005 × 0.5 = 50.0025 → 50.00
    assert stock == (Decimal("25.00"), Decimal("50.00"))
    # sold = bought − change in stock: 50.00 − 25.00, 50.01 − 25.00
    assert sold == (Decimal("25.00"), Decimal("25.01"))


def test_memo_lines_name_the_three_figures():
    lines = memo_lines([Decimal(100)], Decimal("0.7"))
    assert [(m.key, m.amounts) for m in lines] == [
        ("dealer_purchases", (Decimal("100.00"),)),
        ("sold_through", (Decimal("70.00"),)),
        ("channel_stock", (Decimal("30.00"),)),
    ]


def test_stock_waterfall_reconciles():
    w = stock_waterfall(Decimal("1166448"), Decimal("0.7"), "t")
    # 1,166,448 × 0.7 = 816,513.60 sold; 1,166,448 − 816,513.60 = 349,934.40 held
    assert w.to_dict() == {
        "dealer_purchases": Decimal("1166448.00"),
        "sold_through": Decimal("816513.60"),
        "channel_stock": Decimal("349934.40"),
    }


def test_monthly_refuses_a_rate_outside_0_to_1():
    with pytest.raises(ValueError, match=r"sell_through = 1\.5"):
        monthly([Decimal(1)], Decimal("1.5"))
    with pytest.raises(ValueError, match=r"share = -0\.1"):
        monthly([Decimal(1)], Decimal("0.5"), share=Decimal("-0.1"))
