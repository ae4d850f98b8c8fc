"""Properties of the risk tools over random models, distributions, seeds and executors.

- Monte Carlo: the same seed gives the same numbers, bit for bit, whatever runs the chunks
  (here, a thread pool, a process pool of two workers) and whatever the chunk size, and the
  first ``n`` samples of a longer run are those of a run of ``n``.
- Break-even: what it returns is checked by substitution in the exact waterfall, for models
  drawn across their fields' ranges; when nothing is found it says so, with no number.
- Tornado: no bar is NaN; a side that fails a check is None and the note names the check.
"""

from __future__ import annotations

import math
import multiprocessing
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from test_cashflow_properties import models as valid_models

import bizmodels as bm
from bizmodels.risk import (
    BLOCK,
    IN_FLIGHT,
    Beta,
    Empirical,
    LogNormal,
    Normal,
    Triangular,
    Uniform,
    break_even,
    monte_carlo,
    tornado,
)
from bizmodels.risk._fields import field_info, numeric_fields

FEN = Decimal("0.01")
SLUGS = list(bm.MODELS)


@pytest.fixture(scope="module")
def process_pool():
    # spawn: fresh interpreters, so every chunk's arguments must pickle; one pool for the
    # module, so that its start-up is paid once
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        yield pool


@pytest.fixture(scope="module")
def thread_pool():
    with ThreadPoolExecutor(3) as pool:
        yield pool


def _positive(lo: float, hi: float) -> st.SearchStrategy[float]:
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


@st.composite
def distributions(draw: st.DrawFn) -> dict[str, object]:
    """Uncertain market and model fields, each from one of the six distributions."""
    price = draw(_positive(100, 400))
    out: dict[str, object] = {}
    kind = draw(st.sampled_from(["uniform", "triangular", "normal", "lognormal"]))
    if kind == "uniform":
        out["price"] = Uniform(low=price * 0.8, high=price * 1.2)
    elif kind == "triangular":
        out["price"] = Triangular(low=price * 0.7, mode=price, high=price * 1.1)
    elif kind == "normal":
        out["price"] = Normal(mean=price, sd=price * draw(_positive(0, 0.5)))
    else:
        out["price"] = LogNormal.from_mean_sd(price, price * draw(_positive(0, 0.5)))
    if draw(st.booleans()):
        out["refund_rate"] = Beta(a=draw(_positive(0.5, 5)), b=draw(_positive(5, 50)))
    if draw(st.booleans()):
        # goods cost around the price: some samples fail the unit-cost check
        out["unit_cost"] = Uniform(low=price * 0.2, high=price * draw(_positive(0.3, 1.5)))
    if draw(st.booleans()):
        out["lifetime"] = Empirical(values=draw(st.lists(_positive(1, 36), min_size=1, max_size=5)))
    return out


runs = st.fixed_dictionaries(
    {
        "models": st.lists(st.sampled_from(SLUGS), min_size=1, max_size=3, unique=True),
        "distributions": distributions(),
        "samples": st.integers(1, 2 * BLOCK + 100),
        "seed": st.integers(0, 2**63),
    }
)


def _run(spec, **kwargs):
    try:
        result = monte_carlo(
            spec["models"],
            spec["distributions"],
            samples=spec["samples"],
            seed=spec["seed"],
            **kwargs,
        )
    except ValueError as exc:
        # a run whose every sample fails a model's check is refused, whoever runs it
        return str(exc)
    return result


def _same(a, b):
    if isinstance(a, str) or isinstance(b, str):
        assert a == b
        return
    assert np.array_equal(a.values, b.values, equal_nan=True)
    assert np.array_equal(a.rank_counts, b.rank_counts)
    assert a.clipped == b.clipped and a.failures == b.failures and a.seed == b.seed
    assert a.to_records() == b.to_records()


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=runs, data=st.data())
def test_monte_carlo_same_numbers_whatever_the_chunks_and_threads(thread_pool, spec, data):
    reference = _run(spec)
    # a chunk size small enough that more chunks than IN_FLIGHT are under way at times
    chunk = data.draw(st.integers(max(1, spec["samples"] // (3 * IN_FLIGHT)), spec["samples"]))
    _same(_run(spec, chunk_size=chunk), reference)
    _same(_run(spec, chunk_size=chunk, executor=thread_pool), reference)
    if not isinstance(reference, str):
        n = data.draw(st.integers(1, spec["samples"]))
        shorter = _run({**spec, "samples": n})
        if not isinstance(shorter, str):
            assert np.array_equal(shorter.values, reference.values[:, :n], equal_nan=True)


@settings(max_examples=5, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=runs, data=st.data())
def test_monte_carlo_same_numbers_on_a_process_pool(process_pool, spec, data):
    reference = _run(spec)
    chunk = data.draw(st.integers(max(1, spec["samples"] // 8), spec["samples"]))
    _same(_run(spec, chunk_size=chunk, executor=process_pool), reference)


def _no_nan(x: object) -> None:
    assert not (isinstance(x, float) and math.isnan(x)), x


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_break_even_answers_are_checked_by_substitution(data):
    slug = data.draw(st.sampled_from(SLUGS), label="slug")
    model = data.draw(valid_models(slug), label="model")
    field = data.draw(st.sampled_from(numeric_fields(model)), label="field")
    answer = break_even(model, field)
    event(f"found: {answer.found}")
    info = field_info(model, field)
    for x in (*answer.search_range, *answer.crossings):
        assert math.isfinite(x)
    if not answer.found:
        assert answer.value is None and answer.reached is None
        assert "no break-even" in answer.message or "passes the model's checks" in answer.message
        return
    assert answer.value is not None and answer.reached is not None
    assert info.lower <= float(answer.value) <= info.upper
    owner = "market" if info.owner == "market" else "model"
    if owner == "model":
        moved = type(model)(**{**dict(model), field: answer.value})
    else:
        moved = model.with_market(bm.Market(**{**dict(model.market), field: answer.value}))
    # the answer's own claim, checked on the exact waterfall
    assert moved.waterfall().to_dict()["operating_profit"] == answer.reached
    if not answer.within_fen:
        assert "nearest" in answer.message


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_tornado_has_no_nan(data):
    slug = data.draw(st.sampled_from(SLUGS), label="slug")
    model = data.draw(valid_models(slug), label="model")
    change = data.draw(_positive(0.01, 0.9), label="change")
    result = tornado(model, change=change)
    _no_nan(result.base)
    for bar in result.bars:
        for x in (bar.low, bar.high, bar.target_low, bar.target_high, bar.swing):
            _no_nan(x)
        if bar.target_low is None or bar.target_high is None:
            assert "check failed" in bar.note
    swings = [bar.swing for bar in result.bars if bar.swing is not None]
    assert swings == sorted(swings, reverse=True)


def test_empirical_distributions_compare_by_their_values():
    from bizmodels.risk.distributions import Empirical

    assert Empirical(values=[1, 2, 3]) == Empirical(values=[1, 2, 3])
    assert Empirical(values=[1, 2, 3]) != Empirical(values=[1, 2, 4])
    assert len({Empirical(values=[1, 2]), Empirical(values=[1, 2])}) == 1
