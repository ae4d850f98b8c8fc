from decimal import Decimal

import pytest

from bizmodels.market import Market
from bizmodels.tax import Tax


@pytest.fixture
def round_market() -> Market:
    """A small, round market for hand computation.

    1,000 reachable customers, price 100, goods 40 per order, VAT 25% on goods and services
    alike (so VAT is a fifth of net sales), 10% refunds, 1% payment fee, 10 yuan fulfilment
    per order.
    """
    return Market(
        customers=1000,
        price=100,
        unit_cost=40,
        tax=Tax(
            goods_rate=Decimal("0.25"),
            service_rate=Decimal("0.25"),
            payment_fee_rate=Decimal("0.01"),
        ),
        refund_rate=Decimal("0.1"),
        fulfilment_cost=10,
    )


@pytest.fixture
def round_overheads() -> dict[str, int]:
    """Base fields for hand computation: 12 periods, no churn, CAC 10, overheads 1,200, 12,000."""
    return {
        "lifetime": 12,
        "retention": 1,  # flat: every customer buys in every period (hand computation)
        "acquisition_cost": 10,
        "marketing_per_period": 100,
        "fixed_per_period": 1000,
    }


@pytest.fixture
def round_membership(round_market, round_overheads):
    """The round toc_membership scenario, as a factory taking field overrides.

    Pool 1000 × 0.5 = 500 customers: 100 paid members (20%) and 400 ordinary buyers;
    ordinary conversion 0.2, members 0.5 at 10% off, fee 120 per 12 periods, perks 1 per
    member per period; the hand computation is in tests/models/test_toc_membership.py.
    """
    from bizmodels.models.toc_membership import TocMembership

    def build(**overrides):
        fields = {
            "market": round_market,
            "reach": Decimal("0.5"),
            "conversion": Decimal("0.2"),
            "member_share": Decimal("0.2"),
            "member_conversion": Decimal("0.5"),
            "member_discount": Decimal("0.1"),
            "membership_fee": 120,
            "member_benefits": 1,
            **round_overheads,
        }
        return TocMembership(**{**fields, **overrides})

    return build
