from decimal import Decimal

import numpy as np
import pytest
from pydantic import ValidationError

import bizmodels as bm
from bizmodels.engine import (
    Commission,
    SegmentResult,
    commission_amount,
    commission_cost,
    gmv_formula,
)


def test_gmv_decimal_is_exact():
    # seed 004: GMV = customers × lifetime × conversion × unit price
    # 1000 × 12 × 0.3 × 199 = 3600 orders × 199 = 716400
    result = bm.gmv(Decimal(1000), Decimal(12), Decimal("0.3"), Decimal(199))
    assert result.gmv == Decimal("716400")
    assert result.orders == Decimal("3600")
    assert isinstance(result.gmv, Decimal)


def test_gmv_reads_floats_by_their_decimal_repr():
    # 0.1 as a float is not one tenth; read by its repr it is: 10 × 1 × 0.1 × 3 = 3 exactly
    result = bm.gmv(customers=10, lifetime=1, conversion=0.1, unit_price=3)
    assert result.gmv == Decimal(3)
    assert result.orders == Decimal(1)


def test_gmv_broadcasts_a_million_scenarios():
    customers = np.full(1_000_000, 1000)
    result = bm.gmv(customers=customers, lifetime=12, conversion=0.3, unit_price=199)
    assert result.gmv.shape == (1_000_000,)
    assert result.gmv.dtype == np.float64
    assert result.gmv[0] == pytest.approx(716_400, rel=1e-12)
    assert result.orders[-1] == pytest.approx(3_600, rel=1e-12)


def test_gmv_arrays_broadcast_against_each_other():
    result = bm.gmv(customers=[100, 200], lifetime=[[1], [2]], conversion=0.5, unit_price=10)
    # 100×1×0.5×10 = 500, 200×1×0.5×10 = 1000, doubled for lifetime 2
    np.testing.assert_allclose(result.gmv, [[500, 1000], [1000, 2000]])


def test_formula_is_one_function_for_both_number_types():
    exact = gmv_formula(Decimal(7), Decimal(3), Decimal("0.25"), Decimal("9.9"))
    vector = gmv_formula(np.array([7.0]), 3.0, 0.25, 9.9)
    assert exact.gmv == Decimal("51.975")
    assert vector.gmv[0] == pytest.approx(51.975, rel=1e-12)


def test_gmv_inputs_model():
    inputs = bm.GMVInputs(customers=1000, lifetime=12, conversion="0.3", unit_price=199)
    assert inputs.gmv().gmv == Decimal(716400)
    with pytest.raises(ValidationError, match="unknown_field"):
        bm.GMVInputs(customers=1, lifetime=1, conversion=0, unit_price=1, unknown_field=2)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("customers", -1, "greater than or equal to 0"),
        ("conversion", 1.5, "less than or equal to 1"),
        ("conversion", -0.1, "greater than or equal to 0"),
        ("unit_price", float("nan"), "finite number"),
        ("lifetime", float("inf"), "finite number"),
        ("unit_price", "abc", "valid decimal"),
    ],
)
def test_gmv_rejects_bad_scalars_naming_the_field(field, value, message):
    args = {"customers": 1000, "lifetime": 12, "conversion": 0.3, "unit_price": 199}
    args[field] = value
    with pytest.raises(ValidationError, match=message) as info:
        bm.gmv(**args)
    assert info.value.errors()[0]["loc"] == (field,)


@pytest.mark.parametrize(
    ("field", "values", "message"),
    [
        ("conversion", [0.1, 0.2, 1.01], r"conversion\[2\] = 1.01: must be <= 1"),
        ("customers", [5, -2], r"customers\[1\] = -2.0: must be >= 0"),
        ("unit_price", [1.0, np.nan], r"unit_price\[1\] = nan\b.*finite"),
        ("lifetime", ["x"], "expected numbers"),
    ],
)
def test_gmv_rejects_bad_arrays_naming_field_and_index(field, values, message):
    args = {"customers": 1000, "lifetime": 12, "conversion": 0.3, "unit_price": 199}
    args[field] = np.array(values) if field != "lifetime" else values
    with pytest.raises(ValueError, match=message):
        bm.gmv(**args)


def test_a_bad_scalar_beside_an_array_is_still_caught():
    with pytest.raises(ValidationError, match="conversion"):
        bm.gmv(customers=np.ones(3), lifetime=1, conversion=2, unit_price=1)


def test_arrays_of_booleans_or_strings_are_refused():
    with pytest.raises(
        ValueError, match=r"GMVInputs.customers: expected numbers, got an array of bool"
    ):
        bm.gmv(customers=np.array([True, False]), lifetime=1, conversion=1, unit_price=1)
    with pytest.raises(ValueError, match="expected numbers, got an array of <U4"):
        bm.gmv(customers=["1000", "2"], lifetime=1, conversion=1, unit_price=1)


# -- commissions declared as data ----------------------------------------------------------


def _results(**net_sales):
    return {k: SegmentResult(v, 0, 0, v, 0) for k, v in net_sales.items()}


@pytest.mark.parametrize("number_type", [Decimal, float])
def test_commission_formula_is_one_function_for_both_number_types(number_type):
    n = number_type
    # 10% of 2,000 yuan on half of it = 100 yuan; 40% of that paid as travel costing 0.5
    # per yuan: 60 in cash + 40 × 0.5 = 80 yuan
    amount = commission_amount(n("2000"), n("0.1"), n("0.5"), n("0.4"), n("0.5"))
    assert amount == n("80")
    assert commission_amount(n("2000"), n("0.1")) == n("200")
    swept = commission_amount(np.array([1000.0, 2000.0]), np.array([0.1, 0.2]))
    np.testing.assert_allclose(swept, [100.0, 400.0])


def test_commission_on_two_segments_adds_their_net_sales():
    cost = commission_cost(
        Commission("meeting", "会销提成", "Meeting commission", rate=Decimal("0.1"), on=("a", "b")),
        _results(a=Decimal(300), b=Decimal(700), c=Decimal(5000)),
    )
    assert cost.amount == Decimal("100.0")  # (300 + 700) × 10%, c not counted
    assert (cost.key, cost.section, cost.follows) == ("meeting", "channel", None)


def test_a_commission_keeps_its_notes_and_timing():
    line = Commission(
        "referral", "直推奖", "Referral", rate=Decimal("0.1"), on="a", follows="a", note="n"
    )
    cost = commission_cost(line, _results(a=Decimal(699)))
    assert (cost.amount, cost.follows, cost.note) == (Decimal("69.9"), "a", "n")


def test_a_commission_on_an_unknown_segment_is_refused_naming_it():
    line = Commission("level1", "一级", "Level 1", rate=Decimal("0.1"), on="referred")
    with pytest.raises(
        ValueError,
        match=r"level1: on = 'referred' is not a segment of the "
        r"model; segments: direct, buyers",
    ):
        commission_cost(line, _results(direct=Decimal(1), buyers=Decimal(1)))


def test_paid_in_kind_needs_its_cost():
    line = Commission("l1", "一级", "Level 1", rate=Decimal("0.1"), on="a", in_kind_share=0)
    with pytest.raises(ValueError, match="l1: in_kind_share and in_kind_cost go together"):
        commission_cost(line, _results(a=Decimal(1)))
