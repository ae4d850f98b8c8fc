from decimal import Decimal

import pytest

from bizmodels.market import Market


@pytest.fixture
def round_market() -> Market:
    """A small, round market for hand computation.

    1,000 reachable customers, price 100, goods 40 per order, VAT 25% (so VAT is a fifth of
    net sales), 10% refunds, 1% payment fee, 10 yuan fulfilment per order.
    """
    return Market(
        customers=1000,
        price=100,
        unit_cost=40,
        vat_rate=Decimal("0.25"),
        refund_rate=Decimal("0.1"),
        payment_fee_rate=Decimal("0.01"),
        fulfilment_cost=10,
    )


@pytest.fixture
def round_overheads() -> dict[str, int]:
    """Base fields for hand computation: 12 periods, CAC 10, marketing 1,200, fixed 12,000."""
    return {
        "lifetime": 12,
        "acquisition_cost": 10,
        "marketing_per_period": 100,
        "fixed_per_period": 1000,
    }
