"""Properties of the cash-flow schedule over every model and variant, parameters across their
whole range.

The parameters of each model (and of its market) are drawn across each field's accepted range:
its bounds, its default, uniformly, and log-uniformly for ranges spanning many orders of
magnitude, in the field's precision (whole fen for money). A draw that the model refuses
(a cross-field check, or a line above `MAX_LINE`) is pulled towards the model's defaults,
geometrically, until the model accepts it; the defaults themselves are valid, so every draw
ends in a model, and the draws still reach the bounds of every field.
"""

from __future__ import annotations

import math
from decimal import ROUND_FLOOR, Decimal
from typing import Any

import pytest
from hypothesis import given, reject, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import bizmodels as bm
from bizmodels._validation import _bounds
from bizmodels.market import Market
from bizmodels.models import VARIANTS
from bizmodels.models._base import CheckFailed
from bizmodels.risk._fields import FieldInfo
from bizmodels.sweep import _numeric_fields

FEN = Decimal("0.01")
_PULLS = (1.0, 0.5, 0.25, 0.1, 0.0)


def _place(info: FieldInfo, x: float, places: int) -> Any:
    """``x`` in the field's precision, inside its bounds."""
    x = min(max(x, info.lower), info.upper)
    unit = Decimal(1).scaleb(-places)
    value = Decimal(repr(x)).quantize(unit, rounding=ROUND_FLOOR)
    if value < Decimal(repr(info.lower)):
        value += unit
    return int(value) if info.decimals == 0 else value


@st.composite
def _raw(draw: st.DrawFn, info: FieldInfo) -> float:
    lo, hi, base = info.lower, info.upper, float(info.current)
    kind = draw(st.sampled_from(["low", "high", "near", "uniform", "log"]))
    u = draw(st.floats(0, 1))
    if kind == "low":
        return lo
    if kind == "high":
        return hi
    if kind == "near":
        return base * (0.5 + u)
    if kind == "log" and hi > 100 * max(lo, 1e-2):
        a, b = math.log10(max(lo, 1e-2)), math.log10(hi)
        return 10 ** (a + u * (b - a))
    return lo + u * (hi - lo)


def _pulled(info: FieldInfo, x: float, t: float, places: int) -> Any:
    base = float(info.current)
    if t == 0:
        return int(info.current) if info.decimals == 0 else info.current
    if x > 0 and base > 0:
        y = base ** (1 - t) * x**t  # geometric: a huge draw comes down by orders of magnitude
    else:
        y = base + t * (x - base)
    return _place(info, y, places)


def _check_fields(exc: Exception) -> tuple[str, ...]:
    """The fields of the model's cross-field check that refused a draw, if one did."""
    if isinstance(exc, ValidationError):
        for error in exc.errors():
            cause = (error.get("ctx") or {}).get("error")
            if isinstance(cause, CheckFailed):
                return cause.fields
    return ()


def _info(owner: Any, name: str) -> FieldInfo:
    """A numeric field of a model or of a market: bounds, precision and current value."""
    cls = type(owner)
    lower, upper = -math.inf, math.inf
    for op, limit in _bounds(cls, name):
        if op in (">=", ">"):
            lower = max(lower, limit if op == ">=" else math.nextafter(limit, math.inf))
        else:
            upper = min(upper, limit if op == "<=" else math.nextafter(limit, -math.inf))
    field = cls.model_fields[name]
    decimals = 0 if field.annotation is int else None
    for meta in field.metadata:
        if getattr(meta, "decimal_places", None) is not None:
            decimals = int(meta.decimal_places)
    owner_kind = "market" if isinstance(owner, Market) else "model"
    return FieldInfo(name, owner_kind, lower, upper, decimals, Decimal(getattr(owner, name)))


@st.composite
def models(draw: st.DrawFn, slug: str) -> bm.BusinessModel:
    """A valid model of ``slug`` with every numeric field (its own, its market's) drawn."""
    base = VARIANTS[slug]() if slug in VARIANTS else bm.get_model(slug)
    own = {name: _info(base, name) for name in _numeric_fields(base)}
    market = {name: _info(base.market, name) for name in _numeric_fields(base.market)}
    fields = {("model", n): i for n, i in own.items()} | {
        ("market", n): i for n, i in market.items()
    }
    raw = {key: draw(_raw(info), label=".".join(key)) for key, info in fields.items()}
    places = {
        key: info.decimals if info.decimals is not None else draw(st.integers(0, 6))
        for key, info in fields.items()
    }
    for t in _PULLS:
        values = {key: _pulled(info, raw[key], t, places[key]) for key, info in fields.items()}
        for _ in range(4):
            mine = {n: v for (kind, n), v in values.items() if kind == "model"}
            theirs = {n: v for (kind, n), v in values.items() if kind == "market"}
            try:
                on = Market(**{**dict(base.market), **theirs})
                return type(base)(**{**dict(base), **mine, "market": on})
            except (ValidationError, ValueError) as exc:
                failed = _check_fields(exc)
                if not failed:
                    break
                # put the fields of the failing cross-field check back to their defaults,
                # keep the rest of the draw
                for name in failed:
                    kind, _, field = name.rpartition(".")
                    key = ("market" if kind == "market" else "model", field)
                    if key in fields:
                        values[key] = _pulled(fields[key], raw[key], 0, places[key])
    raise AssertionError("the defaults are valid")  # pragma: no cover


schedules = st.fixed_dictionaries(
    {
        "acquisition": st.lists(
            st.decimals(min_value=0, max_value=10**6, places=2), min_size=1, max_size=6
        ).filter(lambda w: sum(w) > 0),
        "commission_lag": st.integers(0, 3),
        "vat_lag": st.integers(0, 3),
        "release_lag": st.integers(0, 12),
    }
)


def _check_line_by_line(model: bm.BusinessModel, schedule: dict[str, Any]) -> bm.cashflow.CashFlows:
    flows = model.cash_flows(**schedule)
    steps = model.waterfall().to_dict()
    for line in flows.lines:
        assert line.total == steps[line.key], (line.key, line.total, steps[line.key])
        assert all(a == a.quantize(FEN) for a in line.amounts), line.key
        assert all(a >= 0 for a in line.amounts) or steps[line.key] < 0, line.key
    net = sum((line.sign * line.total for line in flows.lines), Decimal(0))
    assert net == steps["operating_profit"]
    return flows


@pytest.mark.parametrize("slug", [*bm.MODELS, *VARIANTS])
@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_cash_flows_equal_the_waterfall_line_by_line(slug, data):
    model = data.draw(models(slug), label="model")
    retention = data.draw(st.decimals(min_value=0, max_value=1, places=4), label="retention")
    try:
        model = type(model)(**{**dict(model), "retention": retention})
    except ValidationError:
        reject()  # a model at its limits may refuse a longer-lived customer: a line too large
    schedule = data.draw(schedules, label="schedule")
    flows = _check_line_by_line(model, schedule)
    # a shorter horizon shows the same months, the last one shown within a fen
    cut = data.draw(st.integers(1, flows.months), label="months")
    short = model.cash_flows(months=cut, **schedule)
    for line, whole in zip(short.lines, flows.lines, strict=True):
        assert line.amounts[: cut - 1] == whole.amounts[: cut - 1], line.key
        assert abs(line.amounts[cut - 1] - whole.amounts[cut - 1]) <= FEN, line.key
        assert abs(line.total) <= abs(whole.total), line.key


@settings(max_examples=40, deadline=None)
@given(
    fixed=st.decimals(min_value=0, max_value=10**7, places=2),
    lifetime=st.decimals(min_value="0.1", max_value=1200, places=1),
)
def test_fixed_costs_are_a_period_a_month(fixed, lifetime):
    # issue 11's example: fixed_per_period = 6,022.35 and lifetime = 13.9 summed to another fen.
    # The waterfall's T = to_fen(fixed × L) differs from fixed × L by at most half a fen, so
    # T × k / L, the running total after k whole months, is within half a fen × k / L ≤ half a
    # fen of fixed × k, which is whole fen: it rounds to fixed × k. Every whole month gets
    # exactly a period's cost; the last, partial month the rest of T.
    model = bm.get_model("toc_membership", fixed_per_period=fixed, lifetime=lifetime)
    line = model.cash_flows()["fixed_costs"]
    total = model.waterfall().to_dict()["fixed_costs"]
    whole = int(lifetime)
    assert line.amounts[:whole] == (fixed,) * whole
    assert line.total == total
    assert sum(line.amounts[whole:]) == total - fixed * whole
