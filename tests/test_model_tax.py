"""VAT by kind of income in the models (issue 15): the same `Tax` the plans use."""

from decimal import Decimal

import pytest

import bizmodels as bm
from bizmodels.tax import Tax

D = Decimal


def _membership(tax: Tax, **fields):
    # 100 members only, no churn, one month: 100 orders at 100 yuan (goods), and a month's
    # twelfth of a 1,440-yuan yearly fee (a service): 100 × 1,440 / 12 = 12,000; no refunds
    market = bm.Market(customers=1000, price=100, unit_cost=40, refund_rate=0, tax=tax)
    return bm.get_model(
        "toc_membership",
        market=market,
        lifetime=1,
        retention=1,
        reach=D("0.1"),
        member_share=1,
        member_conversion=1,
        member_discount=0,
        membership_fee=1440,
        **fields,
    )


def test_goods_and_fees_are_taxed_at_their_own_rates_by_hand():
    # goods 10,000 × 0.13 / 1.13 = 1,150.442…; fees 12,000 × 0.06 / 1.06 = 679.245…
    # VAT 1,829.69
    wf = _membership(Tax()).waterfall()
    assert wf["gmv"].amount == 22_000
    assert wf["vat"].amount == D("1829.69")


def test_a_small_scale_taxpayer_pays_the_levy_rate_on_everything():
    # 22,000 × 0.03 / 1.03 = 640.776…
    wf = _membership(Tax(vat="small_scale")).waterfall()
    assert wf["vat"].amount == D("640.78")
    # the reduced 1% in force to 2027-12-31: 22,000 × 0.01 / 1.01 = 217.821…
    reduced = _membership(Tax(vat="small_scale", small_scale_rate=D("0.01"))).waterfall()
    assert reduced["vat"].amount == D("217.82")


def test_input_vat_on_the_goods_is_credited_by_a_general_taxpayer_only():
    # goods bought with a 13% special invoice: 100 × 40 = 4,000 × 0.13 / 1.13 = 460.176…
    # credited: 1,829.69 − 460.18 = 1,369.51 (1,829.687… − 460.177… = 1,369.510…)
    credited = _membership(Tax(input_vat_rate=D("0.13"))).waterfall()
    assert credited["vat"].amount == D("1369.51")
    # a small-scale taxpayer credits nothing (增值税法 第十四条 credits a general taxpayer)
    small = _membership(Tax(vat="small_scale", input_vat_rate=D("0.13"))).waterfall()
    assert small["vat"].amount == D("640.78")


def test_the_payment_fee_is_the_taxs_too():
    # 22,000 × 0.6% = 132; at 0.38%: 83.60
    assert _membership(Tax()).waterfall()["payment_fees"].amount == 132
    fee = _membership(Tax(payment_fee_rate=D("0.0038"))).waterfall()["payment_fees"]
    assert fee.amount == D("83.60")


def test_large_orders_of_a_course_or_treatment_are_services():
    # online_to_offline: its large orders are 6% unless said to be goods
    model = bm.get_model("online_to_offline")
    goods = bm.get_model("online_to_offline", large_order_kind="goods")
    assert model.waterfall()["vat"].amount < goods.waterfall()["vat"].amount
    with pytest.raises(ValueError, match="large_order_kind"):
        bm.get_model("online_to_offline", large_order_kind="food")


def test_the_sweep_applies_the_same_rates():
    import numpy as np

    model = _membership(Tax(vat="small_scale"))
    swept = bm.sweep(model, price=np.array([100.0]))
    assert swept["vat"][0] == pytest.approx(22_000 * 0.03 / 1.03, rel=1e-12)
