"""Tax and payment fees: the one place for tax rules, shared by plans and models.

VAT (增值税) by kind of income, the payment channel's fee, and the individual income tax a
payer withholds on members' rewards (劳务报酬所得). Every rate is a field of `Tax` with its
legal basis; the texts, and how far each was verified, are in the docs page "Tax"
(docs/concepts/tax.md).

Each formula is written once. `vat_included` is plain arithmetic, so the models' P&L
applies it to a `Decimal` or to float arrays unrounded; `vat_in_price` and `payment_fee`
apply it exactly (rational arithmetic) and round half up to the fen, for waterfalls; the
``_fen`` versions do the same on integer fen. The withholding formula `labour_withholding`
uses integer arithmetic only and no branch, so the very same function serves exact Python
integers, the simulation engine (which compiles it with numba) and int64 numpy arrays
(`labour_withholding_array`).
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Any, Literal, TypeVar, cast

import numpy as np
import numpy.typing as npt
from pydantic import BaseModel, ConfigDict, Field

from bizmodels._types import _AsNumber, param

__all__ = [
    "LABOUR_MAX",
    "FeeRate",
    "Tax",
    "TaxRate",
    "apply_rate",
    "labour_withholding",
    "labour_withholding_array",
    "payment_fee",
    "payment_fee_fen",
    "vat_in_price",
    "vat_in_price_fen",
    "vat_included",
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

TaxRate = Annotated[
    Decimal, Field(ge=0, le=1, allow_inf_nan=False, decimal_places=FEE_PLACES), _AsNumber
]
"""A VAT rate or levy rate: 0 to 1 with at most 4 decimal places."""

LABOUR_MAX = 2**61 - 1
"""Largest payment `labour_withholding` takes in int64, fen (2.3 × 10^18): ``4 × income``
stays below 2^63. Any balance a run can hold is below 8.6 × 10^17 fen
(`bizmodels.plans.limits`); Python integers have no limit."""

_LABOUR = "个人所得税扣缴申报管理办法（试行）第八条 (国家税务总局公告2018年第61号), 预扣率表二"

_N = TypeVar("_N")


def vat_included(gross: _N, rate: Any) -> _N:
    """The VAT inside a price that includes it: ``gross × rate / (1 + rate)``, unrounded.

    The one formula of VAT included in a price (价税合计 → 税额): the sales amount is
    ``gross / (1 + rate)`` (增值税法 第七条, 第十七条: VAT is not part of the sales amount)
    and the tax is that amount times the rate (第十四条, 第十六条). Plain arithmetic, so it
    works on `Decimal`, `Fraction`, float and numpy arrays alike.

    Examples
    --------
    >>> vat_included(Decimal(113), Decimal("0.13"))
    Decimal('13')
    """
    return cast(_N, gross * rate / (1 + rate))


def _half_up(value: Fraction) -> int:
    """``value`` rounded to the nearest integer, halves away from zero (四舍五入)."""
    whole = (2 * abs(value) + 1) // 2
    return int(whole) if value >= 0 else -int(whole)


def _exact(value: Decimal | int, name: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        raise TypeError(
            f"{name} must be a Decimal or an int, not {type(value).__name__} ({value!r})"
        )
    if isinstance(value, Decimal) and not value.is_finite():
        raise ValueError(f"{name} must be finite, got {value}")
    return Fraction(value)


def _rate(rate: Decimal | int, name: str = "rate") -> Fraction:
    exact = _exact(rate, name)
    if not 0 <= exact <= 1:
        raise ValueError(f"{name} must be between 0 and 1, got {rate}")
    return exact


def vat_in_price_fen(gross: int, rate: Decimal | int) -> int:
    """The VAT included in a price of ``gross`` fen, half up to the fen.

    Examples
    --------
    >>> vat_in_price_fen(69_900, Decimal("0.13"))  # 69,900 × 13 / 113 = 8,041.59… fen
    8042
    """
    return _half_up(vat_included(_exact(gross, "gross"), _rate(rate)))


def vat_in_price(gross: Decimal | int, rate: Decimal | int) -> Decimal:
    """The VAT included in a price of ``gross`` yuan, half up to the fen (0.01).

    Exact: the formula `vat_included` in rational arithmetic, one rounding at the end.

    Examples
    --------
    >>> vat_in_price(Decimal(699), Decimal("0.13"))  # 699 × 0.13 / 1.13 = 80.4159…
    Decimal('80.42')
    >>> vat_in_price(Decimal(699), Decimal("0.03"))  # 699 × 0.03 / 1.03 = 20.3592…
    Decimal('20.36')
    """
    fen = _half_up(vat_included(_exact(gross, "gross") * 100, _rate(rate)))
    return Decimal(fen).scaleb(-2)


def payment_fee_fen(amount: int, rate: Decimal | int) -> int:
    """The payment channel's fee on ``amount`` fen paid: ``amount × rate``, half up.

    Examples
    --------
    >>> payment_fee_fen(69_900, Decimal("0.006"))  # 419.4 fen
    419
    """
    return _half_up(_exact(amount, "amount") * _rate(rate, "payment_fee_rate"))


def payment_fee(amount: Decimal | int, rate: Decimal | int) -> Decimal:
    """The payment channel's fee (支付手续费) on ``amount`` yuan paid, half up to the fen.

    Examples
    --------
    >>> payment_fee(Decimal(699), Decimal("0.006"))  # 4.194
    Decimal('4.19')
    """
    fen = _half_up(_exact(amount, "amount") * 100 * _rate(rate, "payment_fee_rate"))
    return Decimal(fen).scaleb(-2)


def labour_withholding(income: int) -> int:
    """Income tax withheld on one payment of labour remuneration (劳务报酬所得), fen.

    The payer's withholding (预扣预缴) of 国家税务总局公告2018年第61号 第八条: a payment of
    at most 4,000 yuan has 800 yuan deducted, a larger one 20%; the rest is taxed at the
    rates of 预扣率表二: 20% up to 20,000 yuan, 30% less 2,000 up to 50,000, 40% less
    7,000 above; rounded half up to the fen.

    Parameters
    ----------
    income : int
        The payment, fen (0 to `LABOUR_MAX` in int64; any size as a Python int). An int64
        numpy array works too, element by element (`labour_withholding_array`).

    Examples
    --------
    >>> labour_withholding(100_000)  # 1,000 yuan: (1000 − 800) × 20% = 40 yuan
    4000
    >>> labour_withholding(3_000_000)  # 30,000 yuan: 24,000 × 30% − 2,000 = 5,200 yuan
    520000
    """
    # Integer steps only (no Decimal, no float) and no branch: a comparison is a 0/1
    # factor, so this same function runs on Python ints, in numba (the engine compiles
    # it) and on int64 arrays. Every product stays below 2^63 for incomes ≤ LABOUR_MAX.
    small = income <= 400_000  # at most 4,000 yuan: 800 yuan deducted
    large = income > 400_000  # above: 20% deducted
    over = (income - 80_000) * small  # the excess over 800 yuan, counted only when small
    # five times the taxable amount, fen: 5 × (income − 800 yuan) or 5 × 80% of the income
    taxable_5 = 5 * over * (over > 0) + 4 * income * large
    mid = taxable_5 > 5 * 2_000_000  # taxable above 20,000 yuan: 30% less 2,000
    top = taxable_5 > 5 * 5_000_000  # taxable above 50,000 yuan: 40% less 7,000
    pct = 20 + 10 * mid + 10 * top
    quick = 200_000 * mid + 500_000 * top
    # tax = taxable × pct / 100 − quick = taxable_5 × pct / 500 − quick, rounded half up
    q = taxable_5 // 500
    r = taxable_5 % 500
    return q * pct + (r * pct + 250) // 500 - quick


def apply_rate(amount: Any, num: int, den: int, half_up: bool) -> Any:
    """``amount × num / den`` to the fen: floored, or rounded half up; exact in int64.

    The one formula of a fee or a flat tax on a balance (``num / den`` the rate, ``den``
    at most 10^4: `FeeRate`). The amount is split into whole multiples of ``den`` and the
    rest, so no product leaves int64 for any balance below 2^63 / 10^4 · den. Integer steps
    only: the same function runs on Python ints, in the engine (compiled by numba) and on
    int64 numpy arrays.

    Examples
    --------
    >>> apply_rate(69900, 6, 1000, True)  # 0.6% of 699.00 yuan: 4.194 → 4.19
    419
    >>> apply_rate(99, 1, 2, False)  # half of 0.99 yuan, floored
    49
    """
    whole = amount // den
    part = amount - whole * den
    if half_up:
        return whole * num + (2 * part * num + den) // (2 * den)
    return whole * num + part * num // den


def labour_withholding_array(incomes: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """`labour_withholding` of each payment of an array, int64 fen (the same function).

    Examples
    --------
    >>> labour_withholding_array([0, 100_000, 3_000_000]).tolist()
    [0, 4000, 520000]
    """
    values = np.asarray(incomes)
    if values.dtype.kind not in "iub":
        raise TypeError(f"incomes must be integer fen, got an array of {values.dtype}")
    if values.size and values.dtype.kind == "u" and values.max() > LABOUR_MAX:
        raise ValueError(f"incomes must be at most {LABOUR_MAX} fen, got {values.max()}")
    values = values.astype(np.int64)
    if values.size and (values.min() < 0 or values.max() > LABOUR_MAX):
        bad = values.min() if values.min() < 0 else values.max()
        raise ValueError(f"incomes must be 0 to {LABOUR_MAX} fen, got {bad}")
    return np.asarray(cast(Any, labour_withholding)(values), np.int64)


class Tax(BaseModel):
    """How tax and payment fees are charged: VAT by kind, the payment fee, income tax.

    Examples
    --------
    >>> Tax().goods_rate, Tax().income_tax
    (Decimal('0.13'), 'labour_remuneration')
    >>> Tax().vat_rate("goods"), Tax(vat="small_scale").vat_rate("goods")
    (Decimal('0.13'), Decimal('0.03'))
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    vat: Literal["general", "small_scale"] = param(
        "general",
        "VAT regime of the seller: a general taxpayer (一般纳税人) at the rates by kind, or a "
        "small-scale taxpayer (小规模纳税人) at the levy rate on all its sales.",
        "assumption: a brand running such a plan is usually a general taxpayer",
    )
    goods_rate: TaxRate = param(
        Decimal("0.13"), "VAT rate on goods (货物), included in prices.", "增值税法 第十条"
    )
    service_rate: TaxRate = param(
        Decimal("0.06"),
        "VAT rate on services (服务) such as membership fees and commission income.",
        "增值税法 第十条",
    )
    small_scale_rate: TaxRate = param(
        Decimal("0.03"),
        "VAT levy rate (征收率) of a small-scale taxpayer, on all its sales; 0.01 for the "
        "reduced rate in force to 2027-12-31.",
        "增值税法 第十一条",
    )
    input_vat_rate: TaxRate = param(
        Decimal(0),
        "VAT rate on the invoice for the goods bought (进项税额), credited against the VAT "
        "on sales by a general taxpayer; 0 for no credit.",
        "assumption: no special VAT invoice (增值税专用发票) for the goods, so no credit "
        "(增值税法 第十六条)",
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

    def vat_rate(self, kind: Literal["goods", "service"]) -> Decimal:
        """The VAT rate on a sale of ``kind``: the levy rate for a small-scale taxpayer.

        Examples
        --------
        >>> Tax().vat_rate("service")
        Decimal('0.06')
        """
        if kind not in ("goods", "service"):
            raise ValueError(f"kind must be 'goods' or 'service', got {kind!r}")
        if self.vat == "small_scale":
            return self.small_scale_rate
        return self.goods_rate if kind == "goods" else self.service_rate

    @property
    def credits_input_vat(self) -> bool:
        """Whether input VAT is credited: a general taxpayer only (增值税法 第十四条)."""
        return self.vat == "general"
