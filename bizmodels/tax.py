"""Tax and payment fees: the one place for tax rules, shared by plans and models.

VAT (增值税) by kind of income, the payment channel's fee, and the individual income tax a
payer withholds on members' rewards (劳务报酬所得). Every rate is a field of `Tax` with its
legal basis; the texts, and how far each was verified, are in the docs page "Tax"
(docs/concepts/tax.md).

Money is integer fen. The withholding formula `labour_withholding` uses integer arithmetic
only, so the very same function serves exact Python integers, the simulation engine (which
compiles it with numba) and numpy arrays.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from bizmodels._types import _AsNumber, param

__all__ = [
    "FeeRate",
    "Tax",
    "labour_withholding",
]

FEE_PLACES = 4
"""Most decimal places of a fee or flat tax rate: ``amount × num`` stays exact in int64
for any balance a run can hold (see `bizmodels.plans.limits`)."""

FeeRate = Annotated[
    Decimal,
    Field(ge=0, le=Decimal("0.5"), allow_inf_nan=False, decimal_places=FEE_PLACES),
    _AsNumber,
]
"""A fee or flat tax rate: 0 to 0.5 with at most 4 decimal places, applied exactly."""

_LABOUR = "个人所得税扣缴申报管理办法（试行）第八条 (国家税务总局公告2018年第61号), 预扣率表二"


def labour_withholding(income: int) -> int:
    """Income tax withheld on one payment of labour remuneration (劳务报酬所得), fen.

    The payer's withholding (预扣预缴) of 国家税务总局公告2018年第61号 第八条: a payment of
    at most 4,000 yuan has 800 yuan deducted, a larger one 20%; the rest is taxed at the
    rates of 预扣率表二: 20% up to 20,000 yuan, 30% less 2,000 up to 50,000, 40% less
    7,000 above; rounded half up to the fen.

    Parameters
    ----------
    income : int
        The payment, fen (≥ 0).

    Examples
    --------
    >>> labour_withholding(100_000)  # 1,000 yuan: (1000 − 800) × 20% = 40 yuan
    4000
    >>> labour_withholding(3_000_000)  # 30,000 yuan: 24,000 × 30% − 2,000 = 5,200 yuan
    520000
    """
    # Integer steps only (no Decimal, no float): numba compiles this same function for the
    # engine. Every product is split so that none exceeds int64 for incomes below 2^62.
    if income <= 400_000:
        taxable_5 = 5 * max(income - 80_000, 0)  # five times the taxable amount, fen
    else:
        taxable_5 = 4 * income  # 80% of the income, times five
    if taxable_5 <= 5 * 2_000_000:
        pct, quick = 20, 0
    elif taxable_5 <= 5 * 5_000_000:
        pct, quick = 30, 200_000
    else:
        pct, quick = 40, 700_000
    # tax = taxable × pct / 100 − quick = taxable_5 × pct / 500 − quick, rounded half up
    q, r = divmod(taxable_5, 500)
    return q * pct + (r * pct + 250) // 500 - quick


class Tax(BaseModel):
    """How tax and payment fees are charged: VAT by kind, the payment fee, income tax.

    Examples
    --------
    >>> Tax().goods_rate, Tax().income_tax
    (Decimal('0.13'), 'labour_remuneration')
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    vat: Literal["general", "small_scale"] = param(
        "general",
        "VAT regime of the seller: a general taxpayer (一般纳税人) at the rates by kind, or a "
        "small-scale taxpayer (小规模纳税人) at the levy rate on all its sales.",
        "assumption: a brand running such a plan is usually a general taxpayer",
    )
    goods_rate: Annotated[Decimal, Field(ge=0, le=1, decimal_places=4), _AsNumber] = param(
        Decimal("0.13"), "VAT rate on goods (货物), included in prices.", "增值税法 第十条"
    )
    service_rate: Annotated[Decimal, Field(ge=0, le=1, decimal_places=4), _AsNumber] = param(
        Decimal("0.06"),
        "VAT rate on services (服务) such as membership fees and commission income.",
        "增值税法 第十条",
    )
    small_scale_rate: Annotated[Decimal, Field(ge=0, le=1, decimal_places=4), _AsNumber] = param(
        Decimal("0.03"),
        "VAT levy rate (征收率) of a small-scale taxpayer, on all its sales.",
        "增值税法 第十一条",
    )
    identity_packages: Literal["goods", "service"] = param(
        "service",
        "What an identity package (身份礼包) sells for VAT: a rank, a service, or goods.",
        "assumption: the package buys a rank and its rights, not goods",
    )
    payment_fee_rate: FeeRate = param(
        Decimal("0.006"),
        "Payment channel's fee (支付手续费), share of what is paid.",
        "assumption: WeChat Pay's and Alipay's standard rate for goods, 0.6%",
    )
    income_tax: Literal["labour_remuneration", "flat", "none"] = param(
        "labour_remuneration",
        "Income tax the payer withholds on members' rewards at withdrawal: as labour "
        "remuneration (劳务报酬, one month's withdrawals one payment), at a flat rate, or none "
        "(the member declares it).",
        _LABOUR,
    )
    income_tax_rate: FeeRate = param(
        Decimal(0), "The flat rate when income_tax is 'flat'.", "assumption: off"
    )
