"""Progress bars of long runs: a bar when asked or in a terminal, never printing otherwise."""

from __future__ import annotations

import io
import sys
import types
from concurrent.futures import ThreadPoolExecutor
from typing import ClassVar

import pytest

from bizmodels import _progress
from bizmodels.plans import generate_growth, liandong_699, simulate
from bizmodels.plans.growth import simulate_ensemble, simulate_growth
from bizmodels.risk import Uniform, monte_carlo

pytest.importorskip("tqdm")

WORKED = [("R", None, 0), ("A", "R", 0), ("B", "R", 0), ("C", "R", 0), ("D", "A", 0)]
SMALL = {"members": 300, "days": 40, "seed": 2}


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class _FakeTqdm:
    """Records what a bar was asked to show."""

    made: ClassVar[list[_FakeTqdm]] = []

    def __init__(self, **kwargs):
        self.kwargs = kwargs
        self.steps: list[int] = []
        self.notes: list[str] = []
        self.closed = False
        _FakeTqdm.made.append(self)

    def update(self, n):
        self.steps.append(n)

    def set_postfix_str(self, text, refresh=True):
        self.notes.append(text)

    def close(self):
        self.closed = True


@pytest.fixture
def fake_tqdm(monkeypatch):
    _FakeTqdm.made = []
    module = types.ModuleType("tqdm")
    module.tqdm = _FakeTqdm
    monkeypatch.setitem(sys.modules, "tqdm", module)
    return _FakeTqdm.made


@pytest.fixture
def no_tqdm(monkeypatch):
    monkeypatch.setitem(sys.modules, "tqdm", None)  # import tqdm raises ImportError


# -- what is printed --------------------------------------------------------------------


def test_default_prints_nothing_when_stderr_is_not_a_terminal(capsys):
    simulate_growth(liandong_699(), **SMALL)
    simulate_ensemble(liandong_699(), seeds=[0, 1], members=200, days=30)
    simulate(liandong_699(), [*WORKED, ("D", 30)]).member_cash_flows(period=30)
    monte_carlo(["toc_membership"], {"price": Uniform(low=150, high=250)}, samples=500)
    captured = capsys.readouterr()
    assert captured.err == "" and captured.out == ""


def test_true_draws_a_real_tqdm_bar_on_stderr(capsys):
    simulate_growth(liandong_699(), progress=True, **SMALL)
    err = capsys.readouterr().err
    assert "growing the network" in err and "day" in err


def test_default_draws_a_bar_in_a_terminal(monkeypatch, fake_tqdm):
    monkeypatch.setattr(sys, "stderr", _Terminal())
    simulate_growth(liandong_699(), **SMALL)
    (bar,) = fake_tqdm
    assert bar.kwargs["total"] == 40 and bar.kwargs["desc"] == "growing the network"
    assert bar.kwargs["file"] is sys.stderr
    assert bar.closed


def test_false_never_draws_even_in_a_terminal(monkeypatch, fake_tqdm):
    monkeypatch.setattr(sys, "stderr", _Terminal())
    simulate_growth(liandong_699(), progress=False, **SMALL)
    simulate_ensemble(liandong_699(), seeds=[0, 1], members=200, days=30, progress=False)
    assert fake_tqdm == [] and sys.stderr.getvalue() == ""


# -- what the bars count ----------------------------------------------------------------


def test_growth_bar_reaches_the_days_and_names_the_simulation(fake_tqdm):
    run = simulate_growth(liandong_699(), progress=True, **SMALL)
    (bar,) = fake_tqdm
    assert sum(bar.steps) == 40  # every day of days=40, whether or not the stream ended early
    assert bar.notes == [f"simulating {len(run.events):,} events"]


def test_ensemble_bar_counts_paths(fake_tqdm):
    paths = simulate_ensemble(liandong_699(), seeds=[4, 5, 6], members=200, days=30, progress=True)
    (bar,) = fake_tqdm  # one bar of paths; no bar of days inside each path
    assert bar.kwargs["total"] == 3 and bar.steps == [1, 1, 1] and bar.closed
    assert len(paths) == 3


def test_ensemble_bar_with_an_executor(fake_tqdm):
    with ThreadPoolExecutor(2) as pool:
        simulate_ensemble(
            liandong_699(), seeds=[0, 1], executor=pool, members=200, days=30, progress=True
        )
    (bar,) = fake_tqdm
    assert bar.steps == [1, 1]


def test_monte_carlo_bar_counts_samples_by_chunk(fake_tqdm):
    # 1,000 samples in chunks of 300: 300, 300, 300, then the last 100
    monte_carlo(
        ["toc_membership"],
        {"price": Uniform(low=150, high=250)},
        samples=1000,
        chunk_size=300,
        progress=True,
    )
    (bar,) = fake_tqdm
    assert bar.kwargs["total"] == 1000 and bar.steps == [300, 300, 300, 100]


def test_monte_carlo_bar_with_an_executor(fake_tqdm):
    with ThreadPoolExecutor(2) as pool:
        monte_carlo(
            ["toc_membership"],
            {"price": Uniform(low=150, high=250)},
            samples=1000,
            chunk_size=400,
            executor=pool,
            progress=True,
        )
    (bar,) = fake_tqdm
    assert bar.steps == [400, 400, 200]


def test_cash_flow_bar_counts_periods(fake_tqdm):
    # days 0 to 61 in periods of 30 days: periods 0, 1 and 2
    run = simulate(liandong_699(), [*WORKED, ("D", 30), ("A", 61)])
    cash = run.member_cash_flows(period=30, progress=True)
    (bar,) = fake_tqdm
    assert cash.periods == 3 and bar.kwargs["total"] == 3 and sum(bar.steps) == 3


def test_a_bar_changes_no_number():
    quiet = simulate_growth(liandong_699(), progress=False, **SMALL)
    with pytest.MonkeyPatch.context() as m:
        m.setattr(sys, "stderr", io.StringIO())
        shown = simulate_growth(liandong_699(), progress=True, **SMALL)
    assert (shown.ledger.net == quiet.ledger.net).all()
    assert shown.totals == quiet.totals


def test_a_callable_still_gets_each_day():
    seen = []
    generate_growth(progress=lambda day, days: seen.append((day, days)), members=50, days=5)
    assert seen[0] == (0, 5) and seen[-1] == (5, 5)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_bar_closes_when_the_run_fails(fake_tqdm, monkeypatch):
    import bizmodels.plans.growth as growth

    def broken(plan, stream, **_):  # simulate is called with withdraw_every too
        raise RuntimeError("boom")

    monkeypatch.setattr(growth, "simulate", broken)
    with pytest.raises(RuntimeError, match="boom"):
        simulate_growth(liandong_699(), progress=True, **SMALL)
    assert fake_tqdm[0].closed


# -- refusals ---------------------------------------------------------------------------


def test_true_without_tqdm_names_the_extra(no_tqdm):
    with pytest.raises(ImportError) as e:
        simulate_growth(liandong_699(), progress=True, **SMALL)
    assert str(e.value) == (
        "progress=True needs tqdm, which is not installed: pip install 'bizmodels[progress]'"
    )
    with pytest.raises(ImportError, match=r"bizmodels\[progress\]"):
        monte_carlo(
            ["toc_membership"], {"price": Uniform(low=150, high=250)}, samples=10, progress=True
        )


def test_default_without_tqdm_in_a_terminal_is_silent(no_tqdm, monkeypatch):
    monkeypatch.setattr(sys, "stderr", _Terminal())
    run = simulate_growth(liandong_699(), **SMALL)
    assert run.totals.conserved and sys.stderr.getvalue() == ""


@pytest.mark.parametrize("bad", ["yes", 1, 0.5])
def test_bad_progress_is_refused_before_any_work(bad, fake_tqdm):
    message = rf"progress = {bad!r}: must be True, False or None"
    with pytest.raises(ValueError, match=message):
        simulate_growth(liandong_699(), progress=bad, **SMALL)
    with pytest.raises(ValueError, match=message):
        simulate_ensemble(liandong_699(), seeds=[0], progress=bad, members=300, days=40)
    with pytest.raises(ValueError, match=message):
        monte_carlo(["toc_membership"], {"price": Uniform(low=1, high=2)}, progress=bad)
    with pytest.raises(ValueError, match=message):
        simulate(liandong_699(), WORKED).member_cash_flows(progress=bad)
    with pytest.raises(ValueError, match=message):
        generate_growth(progress=bad, members=10)
    assert fake_tqdm == []


def test_bar_helper_off_is_inert():
    with _progress.bar(False, 5, "x") as b:
        b.update(2)
        b.to(4)
        b.note("n")
    assert not b.shown
