"""Properties of every model over its whole accepted range (issue 11, deliverable 8).

Parameters are drawn from the pydantic constraints of each field (its lower and upper
bounds, its decimal places), with the bounds themselves and values near them drawn often:
the waterfall reconciles to the fen and rounds the exact value; `sweep` equals the exact
waterfall within the documented float64 error; `compare` shows each model's own figures.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, ROUND_HALF_UP, Context, Decimal, localcontext

import annotated_types as at
import numpy as np
import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import bizmodels as bm
from bizmodels.market import Market
from bizmodels.models import MODELS
from bizmodels.models._base import _evaluate, float_view
from bizmodels.sweep import RELATIVE_ERROR
from bizmodels.waterfall import StepKind

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)
FEN = Decimal("0.01")
WIDE = Context(prec=80)  # far more digits than any product of accepted values needs


def _constraints(info) -> tuple[Decimal, Decimal, int | None]:
    low, high, places = Decimal(0), Decimal(0), None
    for meta in info.metadata:
        if isinstance(meta, at.Ge):
            low = max(low, Decimal(str(meta.ge)))
        if isinstance(meta, at.Le):
            high = Decimal(str(meta.le))
        if getattr(meta, "decimal_places", None) is not None:
            places = int(meta.decimal_places)
    assert high > low, info
    return low, high, places


def _value(info, default: Decimal) -> st.SearchStrategy[Decimal]:
    """A value of one field: its bounds, near them, its default, or anywhere between."""
    low, high, places = _constraints(info)
    step = Decimal(1).scaleb(-(places if places is not None else 6))
    digits = places if places is not None else 12
    anywhere = st.decimals(low, high, places=digits, allow_nan=False, allow_infinity=False)
    # magnitudes spread evenly over the decades up to the bound, not crowded near it
    decades = int(high.adjusted())
    spread = st.builds(
        lambda e, m: min(high, max(low, (Decimal(m) / 1000).scaleb(e).quantize(step))),
        st.integers(-3, decades),
        st.integers(0, 9999),
    )
    return st.one_of(
        st.sampled_from([low, high, high - step, default]),
        anywhere,
        spread,
    )


def _fields(cls) -> dict[str, st.SearchStrategy[Decimal]]:
    return {
        name: _value(info, info.default)
        for name, info in cls.model_fields.items()
        if info.annotation is Decimal
    }


@st.composite
def models(draw, cls):
    """A model of ``cls`` on a market, every numeric field drawn; invalid mixes rejected."""
    market = {name: draw(s) for name, s in _fields(Market).items() if draw(st.booleans())}
    fields = {name: draw(s) for name, s in _fields(cls).items() if draw(st.booleans())}
    try:
        return cls(market=Market(**market), **fields)
    except ValidationError:  # a cross-field check, or a line past MAX_LINE
        reject()


def _exact_lines(model) -> dict[str, Decimal]:
    """The model's lines with 80 digits: the exact value the fen must be the rounding of."""
    with localcontext(WIDE):
        return {line.key: line.value for line in _evaluate(model)}


def _near_half_fen(value: Decimal) -> bool:
    with localcontext(WIDE):
        return abs((value * 100) % 1 - Decimal("0.5")) < Decimal("1e-6")


@pytest.mark.parametrize("slug", list(MODELS))
@SETTINGS
@given(data=st.data())
def test_the_waterfall_reconciles_and_rounds_the_exact_value(slug, data):
    model = data.draw(models(MODELS[slug]))
    wf = model.waterfall()
    running = wf.start
    for step in wf.steps[1:]:
        assert step.amount == step.amount.quantize(FEN)
        if step.kind is StepKind.DEDUCTION:
            running -= step.amount
        else:
            assert step.amount == running, step.key
    assert wf.end == wf.start - sum((s.amount for s in wf.deductions), Decimal(0))
    # the start and every deduction are the exact value rounded half up to the fen
    exact = _exact_lines(model)
    for step in (wf.steps[0], *wf.deductions):
        if not _near_half_fen(exact[step.key]):
            with localcontext(WIDE):
                expected = exact[step.key].quantize(FEN, ROUND_HALF_UP)
            assert step.amount == expected, step.key


class _Magnitude:
    """A value with its running error scale: the formula on absolute values, no cancelling.

    Float64 evaluation of a formula of +, -, ×, ÷ has an error of at most n × 2^-53 times
    this scale (Wilkinson's running error bound), where n counts the operations and the
    inputs rounded to binary; a subtraction of nearly equal terms (net orders at a refund
    rate near 1) keeps the scale of the terms, not of their small difference.
    """

    __slots__ = ("scale", "value")

    def __init__(self, value: Decimal, scale: Decimal) -> None:
        self.value, self.scale = value, scale

    @staticmethod
    def of(x):
        if isinstance(x, _Magnitude):
            return x
        d = Decimal(x) if not isinstance(x, float) else Decimal(repr(x))
        return _Magnitude(d, abs(d))

    def __add__(self, other):
        o = _Magnitude.of(other)
        return _Magnitude(self.value + o.value, self.scale + o.scale)

    __radd__ = __add__

    def __sub__(self, other):
        o = _Magnitude.of(other)
        return _Magnitude(self.value - o.value, self.scale + o.scale)

    def __rsub__(self, other):
        return _Magnitude.of(other) - self

    def __mul__(self, other):
        o = _Magnitude.of(other)
        return _Magnitude(self.value * o.value, self.scale * o.scale)

    __rmul__ = __mul__

    def __truediv__(self, other):
        o = _Magnitude.of(other)
        quotient = self.value / o.value
        # a divisor near 0 (1 - unsold share near 1) carries its own error into the quotient
        return _Magnitude(quotient, (self.scale + abs(quotient) * o.scale) / abs(o.value))

    def __rtruediv__(self, other):
        return _Magnitude.of(other) / self

    def __neg__(self):
        return _Magnitude(-self.value, self.scale)

    def __pow__(self, exponent):
        # q^n: the rounding of q is amplified n times (a retention curve's tail)
        e = exponent.value if isinstance(exponent, _Magnitude) else Decimal(exponent)
        if e == 0:
            return _Magnitude(Decimal(1), Decimal(1))
        value = self.value**e
        return _Magnitude(value, abs(value) * max(Decimal(1), abs(e)) + self.scale * abs(e))

    def __floor__(self):
        whole = self.value.to_integral_value(ROUND_FLOOR)
        return _Magnitude(whole, abs(whole))

    def __eq__(self, other):
        return self.value == _Magnitude.of(other).value

    __hash__ = None

    def __lt__(self, other):
        return self.value < _Magnitude.of(other).value

    def __gt__(self, other):
        return self.value > _Magnitude.of(other).value

    def __le__(self, other):
        return self.value <= _Magnitude.of(other).value

    def __ge__(self, other):
        return self.value >= _Magnitude.of(other).value

    def __float__(self):
        return float(self.value)

    def __bool__(self):
        return bool(self.value)


def _scales(model) -> dict[str, float]:
    """Each line's running error scale, from the model's own formulas."""
    mag = {n: _Magnitude.of(v) for n, v in _numeric_values(model).items()}
    market = float_view(model.market, {n: mag[n] for n in Market.model_fields if n in mag})
    own = {n: mag[n] for n in type(model).model_fields if n in mag and n not in Market.model_fields}
    view = float_view(model, own, {"market": market})
    with localcontext(WIDE):
        return {line.key: float(_Magnitude.of(line.value).scale) for line in _evaluate(view)}


def _numeric_values(model) -> dict[str, Decimal]:
    fields = type(model).model_fields
    own = {n: getattr(model, n) for n, i in fields.items() if i.annotation is Decimal}
    market = Market.model_fields
    return {
        **own,
        **{n: getattr(model.market, n) for n, i in market.items() if i.annotation is Decimal},
    }


@pytest.mark.parametrize("slug", list(MODELS))
@SETTINGS
@given(data=st.data())
def test_the_sweep_equals_the_exact_waterfall(slug, data):
    model = data.draw(models(MODELS[slug]))
    # every field swept, as one-element float arrays: the array path, bounds and all
    arrays = {n: np.array([float(v)]) for n, v in _numeric_values(model).items()}
    swept = bm.sweep(model, **arrays)
    wf = model.waterfall()
    exact, scales = _exact_lines(model), _scales(model)
    assert list(swept) == [step.key for step in wf.steps]
    fen_drift = Decimal(0)
    for step in wf.steps:
        value = float(swept[step.key][0])
        assert np.isfinite(value)
        # within the documented relative error of the line's scale, before the fen ...
        bound = RELATIVE_ERROR * scales[step.key]
        assert abs(value - float(exact[step.key])) <= bound, step.key
        # ... and so within that plus the waterfall's rounding of the steps before it
        if step.kind in (StepKind.START, StepKind.DEDUCTION):
            fen_drift += Decimal("0.005")
        assert abs(value - float(step.amount)) <= bound + float(fen_drift) + 1e-9, step.key


@SETTINGS
@given(data=st.data())
def test_compare_shows_each_models_own_figures(data):
    slugs = data.draw(st.lists(st.sampled_from(list(MODELS)), min_size=1, max_size=3, unique=True))
    chosen = [data.draw(models(MODELS[slug])) for slug in slugs]
    table = bm.compare(chosen)
    assert sorted(table.ranking) == sorted(slugs)
    for model in chosen:
        row, wf = table[model.key], model.waterfall()
        for key in ("gmv", "net_revenue", "contribution_margin", "operating_profit"):
            assert row[key] == wf[key].amount, key
        with localcontext(WIDE):
            customers = model.customers()
            assert row["customers"] == customers.quantize(FEN, ROUND_HALF_UP)
            revenue = wf["net_revenue"].amount
            if revenue:
                margin = (wf["gross_profit"].amount / revenue).quantize(
                    Decimal("0.0001"), ROUND_HALF_UP
                )
                assert row["gross_margin"] == margin
            if customers:
                ltv = (wf["contribution_margin"].amount / customers).quantize(FEN, ROUND_HALF_UP)
                assert row["ltv"] == ltv
