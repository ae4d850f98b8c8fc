"""The limits of every model and market field: accepted at the limit, refused one step past.

The limits and their derivation are in `bizmodels._types` and docs/concepts/limits.md. The
figures here are computed by hand from them, never read off the code's output.
"""

from __future__ import annotations

import importlib
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext

import annotated_types as at
import numpy as np
import pytest
from pydantic import ValidationError

import bizmodels as bm
from bizmodels import _types
from bizmodels._limits import SizeError
from bizmodels._types import MAX_COUNT, MAX_CUSTOMERS, MAX_LINE, MAX_PERIODS, MAX_YUAN
from bizmodels._validation import check_array, check_scalar
from bizmodels.market import Market
from bizmodels.models import MODELS, VARIANTS, TocMembership
from bizmodels.waterfall import Line, Subtotal, Waterfall, to_fen

CLASSES = [Market, *MODELS.values(), *VARIANTS.values()]


def _decimal_fields(cls):
    for name, info in cls.model_fields.items():
        if info.annotation is Decimal:
            yield name, info


def _upper(info) -> Decimal | None:
    for meta in info.metadata:
        if isinstance(meta, at.Le):
            return Decimal(str(meta.le))
    return None


def _places(info) -> int | None:
    for meta in info.metadata:
        places = getattr(meta, "decimal_places", None)
        if places is not None:
            return int(places)
    return None


FIELDS = [(cls, name, info) for cls in CLASSES for name, info in _decimal_fields(cls)]
IDS = [f"{cls.__name__}.{name}" for cls, name, _ in FIELDS]


def test_the_limits_are_the_documented_numbers():
    assert MAX_CUSTOMERS == 10_000_000_000
    assert MAX_PERIODS == 1200
    assert MAX_COUNT == 1_000_000
    assert MAX_YUAN == 10_000_000_000
    assert MAX_LINE == 10**18


def test_the_line_limit_leaves_eight_guard_digits_of_the_28():
    # 18 digits of yuan (up to 10^18 itself, whose 19th digit is its leading 1) + 2 of fen
    assert _types.MONEY_CONTEXT.prec == 28
    assert len(str(MAX_LINE - 1)) + 2 + 8 == 28
    # the largest share a waterfall shows, a line over a start of one fen, to six places
    share = MAX_LINE / Decimal("0.01")
    quantized = share.quantize(Decimal("0.000001"), context=_types.MONEY_CONTEXT)
    assert len(quantized.as_tuple().digits) <= 28


def test_the_largest_product_of_field_limits_is_finite_in_float64():
    # the longest product a model forms: people × periods × two counts × yuan
    product = float(MAX_CUSTOMERS) * float(MAX_PERIODS) * float(MAX_COUNT) ** 2 * float(MAX_YUAN)
    assert np.isfinite(product) and product < 1e40


def test_every_numeric_field_has_an_upper_limit():
    missing = [i for (_, _, info), i in zip(FIELDS, IDS, strict=True) if _upper(info) is None]
    assert missing == []


@pytest.mark.parametrize(("cls", "name", "info"), FIELDS, ids=IDS)
def test_at_the_limit_and_one_step_past(cls, name, info):
    limit = _upper(info)
    step = Decimal("0.01") if _places(info) == 2 else Decimal("0.000001")
    assert check_scalar(cls, name, limit) == limit
    with pytest.raises(ValidationError, match=rf"{name}\n  Input should be less than or equal"):
        check_scalar(cls, name, limit + step)
    # the float sweep applies the same bounds, element by element
    assert check_array(cls, name, [float(limit)]).tolist() == [float(limit)]
    with pytest.raises(ValueError, match=rf"{cls.__name__}.{name}\[1\] = .*: must be <= "):
        check_array(cls, name, [float(limit), float(limit + step)])


@pytest.mark.parametrize("value", ["1e30", 1e30, 10**30, "1e300"])
def test_a_huge_lifetime_is_refused_by_name(value):
    with pytest.raises(
        ValidationError, match=r"lifetime\n  Input should be less than or equal to 1200"
    ):
        TocMembership(lifetime=value)


def test_a_huge_market_is_refused_by_name():
    with pytest.raises(
        ValidationError, match=r"customers\n  Input should be less than or equal to 10000000000"
    ):
        Market(customers=Decimal("1e30"))


def _one_line_gmv(customers, lifetime, price) -> TocMembership:
    """GMV = customers × lifetime × price: everyone buys every period, no members."""
    market = Market(customers=customers, price=price, unit_cost=0)
    return TocMembership(
        market=market,
        lifetime=lifetime,
        retention=1,
        reach=1,
        conversion=1,
        member_share=0,
        membership_fee=0,
        member_benefits=0,
        acquisition_cost=0,
        marketing_per_period=0,
        fixed_per_period=0,
    )


def test_a_line_of_exactly_the_limit_is_held_to_the_fen():
    # 10^10 people × 1000 periods × 100,000 yuan = 10^18 yuan
    model = _one_line_gmv(MAX_CUSTOMERS, 1000, 100_000)
    wf = model.waterfall()
    assert wf["gmv"].amount == Decimal("1000000000000000000.00")
    # refunds 5%, VAT 13/113 of net sales, payment fees 0.6%, fulfilment 12 per net order
    net_sales = Decimal("950000000000000000")
    with localcontext(Context(prec=60)):
        vat = (net_sales * Decimal("0.13") / Decimal("1.13")).quantize(
            Decimal("0.01"), ROUND_HALF_UP
        )
    assert vat == Decimal("109292035398230088.50")
    assert wf["vat"].amount == vat
    assert wf["payment_fees"].amount == Decimal("5700000000000000.00")
    assert wf["fulfilment"].amount == Decimal("114000000000000.00")  # 9.5e12 net orders × 12
    assert wf.end == wf.start - sum(s.amount for s in wf.deductions)


def test_a_fen_past_the_line_limit_is_refused_naming_the_line():
    # 10^10 × 1000 × 100,000.01 = 10^18 + 10^11 yuan
    with pytest.raises(
        ValidationError, match=r"GMV \(gmv\) comes to 1\.000e\+18 yuan, above the 1e\+18"
    ):
        _one_line_gmv(MAX_CUSTOMERS, 1000, Decimal("100000.01"))


def test_every_field_at_its_limit_is_refused_with_one_line_not_a_traceback():
    market = Market(customers=MAX_CUSTOMERS, price=MAX_YUAN, unit_cost=MAX_YUAN)
    with pytest.raises(ValidationError, match=r"toc_membership: GMV \(gmv\) comes to "):
        TocMembership(market=market, lifetime=MAX_PERIODS, reach=1, conversion=1)


def test_the_waterfall_ignores_the_callers_decimal_context(round_membership):
    # 6 digits could not even hold the GMV of 1,000 × 12 × … to the fen: before, this raised
    # InvalidOperation or rounded every product to 6 digits
    model = round_membership()
    expected, lines = model.waterfall(), model.pnl_lines()
    with localcontext(Context(prec=6)):
        assert model.pnl_lines() == lines
        assert model.waterfall() == expected
        assert bm.compare([model])["toc_membership"]["gmv"] == expected.start


def test_a_per_order_waterfall_over_too_few_orders_is_refused():
    # 10^-15 customers buying 12 times: 1.2e-14 orders; marketing of 12 × 5,000 = 60,000
    # yuan comes to 5e18 yuan per order
    market = Market(customers=Decimal("0.000000000000001"))
    model = TocMembership(market=market, reach=1, conversion=1, member_share=0, retention=1)
    message = r"Marketing \(marketing\) per order \(over 1\.20e-14 orders\) comes to 5\.000e\+18"
    with pytest.raises(ValueError, match=message):
        model.unit_waterfall()


def test_to_fen_rounds_any_finite_amount_without_invalid_operation():
    # 31 digits of yuan: more than the 28 the context holds, so the rounding widens it
    amount = Decimal("1234567890123456789012345678901.005")
    assert to_fen(amount) == Decimal("1234567890123456789012345678901.01")
    wf = Waterfall.build(
        Line("a", "甲", "A", Decimal("1e30")),
        [Line("b", "乙", "B", Decimal("0.01"))],
        Subtotal("c", "丙", "C"),
    )
    assert wf.end == Decimal("999999999999999999999999999999.99")


# -- the sweep ----------------------------------------------------------------------------


@pytest.fixture
def membership():
    return bm.get_model("toc_membership")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"price": np.array([1e300])}, r"Market.price\[0\] = 1e\+300: must be <= 1e\+10"),
        ({"customers": [1e30]}, r"Market.customers\[0\] = 1e\+30: must be <= 1e\+10"),
        (
            {"lifetime": np.array([12, 1200.5])},
            r"TocMembership.lifetime\[1\] = 1200.5: must be <= 1200",
        ),
        ({"price": [10**400]}, r"Market.price\[0\] = 1000.*: too large for a float64"),
        (
            {"price": [[1, 2], [3]]},
            r"Market.price: expected numbers in a regular array \(rows of one length\)",
        ),
        ({"price": [True, False]}, r"Market.price: expected numbers, got an array of bool"),
        ({"price": ["199"]}, r"Market.price: expected numbers, got an array of <U3"),
        ({"price": "199"}, r"price = '199': expected a number or an array of numbers, not a"),
        ({"price": [Decimal(199), "x"]}, r"Market.price\[1\] = 'x': expected a number, got str"),
    ],
)
def test_the_sweep_refuses_by_name(membership, fields, message):
    with pytest.raises(ValueError, match=message):
        bm.sweep(membership, **fields)


def test_the_sweep_refuses_masked_arrays(membership):
    # today's masked values were used: the 1e300 behind the mask gave 6.8e303
    price = np.ma.masked_array([199.0, 1e300], mask=[False, True])
    with pytest.raises(ValueError, match=r"Market.price: masked arrays are not accepted"):
        bm.sweep(membership, price=price)
    kept = bm.sweep(membership, price=price.compressed())
    assert kept.shape == (1,)


def test_the_sweep_takes_a_list_of_decimals(membership):
    swept = bm.sweep(membership, price=[Decimal(199), 199])
    exact = float(membership.pnl_lines()[0].value)  # unrounded, as the sweep's floats
    assert swept["gmv"].tolist() == pytest.approx([exact, exact], rel=1e-12)


def test_the_sweep_at_every_limit_together_is_finite(membership):
    # each field at its limit: the exact waterfall refuses the product, the float one holds it
    swept = bm.sweep(
        membership,
        customers=np.array([float(MAX_CUSTOMERS)]),
        price=np.array([float(MAX_YUAN)]),
        fulfilment_cost=np.array([float(MAX_YUAN)]),
        lifetime=np.array([float(MAX_PERIODS)]),
        member_benefits=np.array([float(MAX_YUAN)]),
        reach=np.array([1.0]),
    )
    assert all(np.isfinite(v).all() for v in swept.values())


def test_the_sweep_checks_memory_before_allocating(membership):
    with pytest.raises(SizeError, match=r"1,000,000,000,000 scenarios\) needs about 512 TB"):
        bm.sweep(membership, customers=np.ones((10**6, 1)), price=np.full((1, 10**6), 199.0))


def test_the_sweep_refuses_a_result_that_is_not_finite(membership, monkeypatch):
    # the bounds make this impossible; the final check is what proves it, so test the check
    sweep_module = importlib.import_module("bizmodels.sweep")

    real = sweep_module.sweep_lines

    def broken(model, model_values, market_values):
        lines = real(model, model_values, market_values)
        return [lines[0]._replace(value=np.array([np.nan])), *lines[1:]]

    monkeypatch.setattr(sweep_module, "sweep_lines", broken)
    with pytest.raises(
        ValueError, match=r"the sweep's gmv is nan at scenario \(0,\) \(price = 199.0\)"
    ):
        bm.sweep(membership, price=np.array([199.0]))


# -- compare ------------------------------------------------------------------------------


def test_compare_reads_one_slug_as_one_model():
    one = bm.compare("toc_membership")
    assert one.ranking == ["toc_membership"]
    assert one.rows == bm.compare(["toc_membership"]).rows


def test_compare_reads_one_model_as_one_model(membership):
    assert bm.compare(membership).ranking == ["toc_membership"]


@pytest.mark.parametrize(
    ("models", "message"),
    [
        ([], r"compare: no models to compare"),
        ([1], r"compare: models\[0\] = 1: expected a model slug or a BusinessModel"),
        (123, r"compare: models = 123: expected a slug, a model, or a list"),
        (b"toc_membership", r"compare: models = b'toc_membership': expected a slug"),
        ({"a": "toc_membership"}, r"compare: models\['a'\] = 'toc_membership': expected a slug"),
    ],
)
def test_compare_refuses_what_is_not_models(models, message):
    with pytest.raises(ValueError, match=message):
        bm.compare(models)
