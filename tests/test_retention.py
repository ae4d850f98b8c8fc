"""Retention curves (issue 15): the lifetime is the expected active periods, by hand."""

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import bizmodels as bm
from bizmodels.models.toc_membership import TocMembership
from bizmodels.retention import expected_periods, period_weights, survival

D = Decimal


def test_geometric_by_hand():
    # 1 + 0.5 + 0.25 = 1.75; a half period more: + 0.5 × 0.125 = 1.8125
    assert expected_periods(D(3), D("0.5")) == D("1.75")
    assert expected_periods(D("3.5"), D("0.5")) == D("1.8125")
    # no churn: the horizon itself; all gone after the first month: one month (or less)
    assert expected_periods(D(12), D(1)) == 12
    assert expected_periods(D(12), D(0)) == 1
    assert expected_periods(D("0.5"), D(0)) == D("0.5")
    assert expected_periods(D(0), D("0.9")) == 0


def test_start_and_every_by_hand():
    # repeat orders from month 1: 0.5 + 0.25 + 0.125 = 0.875
    assert expected_periods(D(3), D("0.5"), start=1) == D("0.875")
    # a yearly fee over 2.5 years at 0.9 a month: 1 + 0.9^12 + 0.5 × 0.9^24
    assert (
        expected_periods(D("2.5"), D("0.9"), every=12)
        == 1 + D("0.9") ** 12 + D("0.5") * D("0.9") ** 24
    )
    assert [m for m, _ in period_weights(D("2.5"), D("0.9"), every=12)] == [0, 12, 24]


def test_a_curve_then_its_tail_by_hand():
    curve = (D(1), D("0.6"), D("0.5"))
    # 1 + 0.6 + 0.5, then 0.5 × 0.9 = 0.45 and 0.45 × 0.9 = 0.405
    assert expected_periods(D(5), D("0.9"), curve) == D("2.955")
    assert survival(4, D("0.9"), curve) == D("0.405")
    # within the curve only: 1 + 0.6 × 0.5 (half of month 1)
    assert expected_periods(D("1.5"), D("0.9"), curve) == D("1.3")


@settings(max_examples=200, deadline=None)
@given(
    lifetime=st.decimals(min_value=0, max_value=1200, places=2),
    rate=st.decimals(min_value=0, max_value=1, places=4),
)
def test_closed_form_equals_the_sum_of_its_terms_and_the_float_sweep(lifetime, rate):
    exact = expected_periods(lifetime, rate)
    terms = sum((w for _, w in period_weights(lifetime, rate)), D(0))
    assert abs(exact - terms) <= D("1e-20") * max(1, terms)
    swept = expected_periods(np.array([float(lifetime)]), np.array([float(rate)]))
    assert swept[0] == pytest.approx(float(exact), rel=1e-9, abs=1e-12)
    assert 0 <= exact <= lifetime


def test_the_waterfall_and_the_cash_flows_agree_under_a_decaying_curve_by_hand():
    # 100 customers (1000 × 0.1), no members, 3 months at 50% retention: active
    # 1 + 0.5 + 0.25 = 1.75 months; conversion 0.4: 100 × 1.75 × 0.4 = 70 orders × 100 =
    # GMV 7,000; refunds 5%: net sales 6,650, laid 4/7, 2/7, 1/7: 3,800, 1,900, 950
    model = bm.get_model(
        "toc_membership",
        lifetime=3,
        retention=D("0.5"),
        member_share=0,
        membership_fee=0,
        market=bm.Market(customers=1000, price=100),
        reach=D("0.1"),
        conversion=D("0.4"),
    )
    assert model.active_periods() == D("1.75")
    wf = model.waterfall()
    assert wf["gmv"].amount == 7000
    assert wf["net_sales"].amount == 6650
    flows = model.cash_flows(commission_lag=0, vat_lag=0)
    assert flows["net_sales"].amounts == (D("3800.00"), D("1900.00"), D("950.00"))
    # goods: 70 × 0.95 = 66.5 net orders × 60 = 3,990, laid alike: 2,280, 1,140, 570
    assert flows["cogs"].amounts == (D("2280.00"), D("1140.00"), D("570.00"))
    assert flows.totals() == {k: v for k, v in wf.to_dict().items() if k in flows.totals()}


def test_a_yearly_fee_is_paid_by_those_still_active_in_its_month():
    # 10 members paying 99 a year over 24 months at 0.9 monthly retention: year 1 by all,
    # year 2 by 0.9^12 of them, in month 12
    model = TocMembership(
        lifetime=24,
        retention=D("0.9"),
        market=bm.Market(customers=100),
        reach=D("0.5"),
        member_share=D("0.2"),
    )
    fees = model.waterfall()["gmv"].amount  # all segments: check the fee segment alone
    fee = model.gmv_by_segment()["membership_fees"]
    assert fee == 10 * 99 * (1 + D("0.9") ** 12)
    assert fees > fee
    flows = TocMembership(
        **{**dict(model), "member_share": 1, "membership_fee": 99, "conversion": 0}
    )
    assert flows.gmv_by_segment()["buyers"] == 0


@pytest.mark.parametrize(
    ("curve", "message"),
    [
        ((D("0.9"), D("0.5")), "starts at 1"),
        ((D(1), D("0.5"), D("0.6")), "never rises .*: period 2 is 0.6"),
        ((D(1), D("1.5")), "less than or equal to 1"),
        ((), "at least one period"),
    ],
)
def test_a_bad_curve_is_refused_naming_the_field(curve, message):
    with pytest.raises(ValidationError, match=message) as caught:
        TocMembership(retention_curve=curve)
    assert caught.value.errors()[0]["loc"][0] == "retention_curve"


def test_a_curve_drives_the_model_and_its_sweep():
    curve = (D(1), D("0.6"), D("0.5"))
    model = TocMembership(lifetime=5, retention=D("0.9"), retention_curve=curve)
    assert model.active_periods() == D("2.955")
    swept = bm.sweep(model, lifetime=np.array([5.0, 3.0]))
    exact = TocMembership(lifetime=3, retention=D("0.9"), retention_curve=curve)
    assert swept["gmv"][0] == pytest.approx(float(model.waterfall()["gmv"].amount), abs=0.01)
    assert swept["gmv"][1] == pytest.approx(float(exact.waterfall()["gmv"].amount), abs=0.01)


def test_retention_is_a_numeric_field_for_sweeps():
    model = TocMembership()
    swept = bm.sweep(model, retention=np.array([0.5, 1.0]))
    for i, rate in enumerate(("0.5", "1")):
        exact = TocMembership(retention=D(rate)).waterfall()
        assert swept["operating_profit"][i] == pytest.approx(float(exact.end), abs=0.01)
