"""The contract of `BusinessModel`: what a model may leave out, and what the base refuses."""

from decimal import Decimal

import pytest
from pydantic import ValidationError

from bizmodels._compliance_profile import NEUTRAL_PROFILE
from bizmodels.engine import Commission, Segment
from bizmodels.market import Market
from bizmodels.models import (
    MODELS,
    VARIANTS,
    BusinessModel,
    DuplicateModelError,
    PoolModel,
    TocMembership,
)


@pytest.fixture
def registries():
    """Put MODELS and VARIANTS back as they were after a test that defines models."""
    models, variants = dict(MODELS), dict(VARIANTS)
    yield
    MODELS.clear()
    MODELS.update(models)
    VARIANTS.clear()
    VARIANTS.update(variants)


def test_a_segment_takes_the_market_and_the_lifetime_unless_told():
    model = TocMembership(lifetime=6, market=Market(price=99, unit_cost=30, fulfilment_cost=8))
    plain = model.segment("a", "甲", "A", customers=100, conversion=Decimal("0.5"))
    # and the model's retention curve (0.92 a month by default), goods, monthly
    assert plain == Segment(
        "a", "甲", "A", 100, 6, Decimal("0.5"), 99, 30, 8, True, False, Decimal("0.92")
    )
    told = model.segment(
        "b",
        "乙",
        "B",
        customers=5,
        conversion=1,
        lifetime=1,
        unit_price=0,
        unit_cost=0,
        fulfilment_cost=0,
        distinct=False,
        fee=True,
        retention=1,
        every=12,
        vat="service",
    )
    # 0 is a value said, not a value left out; a retention said drops the model's curve
    assert told == Segment("b", "乙", "B", 5, 1, 1, 0, 0, 0, False, True, 1, None, 0, 12, "service")


def test_entry_packages_are_one_per_dealer():
    model = TocMembership()
    packages = model.entry_packages(40, price=Decimal(699), cost=Decimal(210))
    assert packages == Segment(
        "entry_packages",
        "报单产品",
        "Entry packages",
        40,
        1,
        1,
        699,
        210,
        12,
        True,
        False,
        Decimal("0.92"),
    )


def test_price_check_names_the_discount_and_the_market():
    market = Market(price=100, unit_cost=70)

    def check(discount):
        return TocMembership(member_discount=discount, market=market).price_check(
            "member_discount", "member price"
        )

    assert check(Decimal("0.05")).fields == ("member_discount", "market.price", "market.unit_cost")
    assert check(Decimal("0.05")).message == "member price below unit cost"
    # 100 × (1 − d) ≥ 70 holds up to d = 0.3 and no further
    assert check(Decimal("0.05")).ok and check(Decimal("0.3")).ok
    assert not check(Decimal("0.31")).ok


def test_a_pool_model_declares_reach_and_conversion():
    assert list(PoolModel.model_fields)[-3:] == ["reach", "existing_customers", "conversion"]
    # 10,000 customers × 30%
    assert TocMembership().pool() == Decimal(3000)


def test_a_model_without_a_profile_reads_neutral():
    class Bare(BusinessModel):  # no key: not registered
        def segments(self):
            return []

    assert Bare().compliance_profile() is NEUTRAL_PROFILE


def test_a_key_taken_is_refused(registries):
    class First(BusinessModel):
        key = "base_test_first"
        listed = False

        def segments(self):
            return []

    assert VARIANTS["base_test_first"] is First
    with pytest.raises(DuplicateModelError, match="'base_test_first' is taken by First"):

        class Second(BusinessModel):
            key = "base_test_first"

            def segments(self):
                return []


def test_a_commission_on_a_segment_the_model_lacks_is_refused_when_built():
    class Wrong(BusinessModel):
        def segments(self):
            return [self.segment("buyers", "顾客", "Buyers", customers=10, conversion=1)]

        def channel_costs(self, results):
            return [Commission("c", "佣金", "Commission", rate=Decimal("0.1"), on="buyer")]

    with pytest.raises(ValueError, match="c: on = 'buyer' is not a segment of the model"):
        Wrong()


def _define():
    class Redefined(BusinessModel):
        key = "base_test_redefined"
        listed = False

        def segments(self):
            return []

    return Redefined


def test_the_same_class_defined_again_replaces_the_first(registries):
    """A notebook cell run twice: same module, same qualified name, one registry entry."""
    first = _define()
    second = _define()
    assert first is not second
    assert VARIANTS["base_test_redefined"] is second
    assert "base_test_redefined" not in MODELS


def test_existing_customers_a_pool_model_does_not_count_are_refused():
    # a pool model whose only segment counts half its pool: 100 existing customers of a
    # pool of 1000 × 0.1 + 100 = 200 fit in the 100 counted; 150 would be acquisition < 0
    class HalfPool(PoolModel):  # no key: not registered
        def segments(self):
            return [self.segment("s", "半", "Half", customers=self.pool() / 2, conversion=1)]

    market = Market(customers=1000)
    assert HalfPool(market=market, reach=Decimal("0.1"), existing_customers=100).customers() == 100
    with pytest.raises(ValidationError, match="existing customers exceed the customers"):
        HalfPool(market=market, reach=Decimal("0.1"), existing_customers=150)
