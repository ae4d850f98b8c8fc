"""A plan's figures on an ensemble of grown networks, with common random numbers.

Designing a plan means comparing candidates: is 180 yuan of direct reward (直推奖) better
for the platform than 200, and does it keep the payout ratio under a half? A difference
between two candidates should be the plans' and not the networks'. So a `PlanEnsemble`
grows its networks once, one `GrowthStream` per seed (`bizmodels.plans.generate_growth`),
and runs every candidate plan over the same streams: the same members join on the same
days under the same sponsors, and repurchase the same packages (common random numbers, the
variance-reduction technique of simulation studies that compare alternatives).

`PlanEnsemble.evaluate` gives a `PlanFigures`: each figure of `FIGURES` per seed, its mean
and standard error across seeds, the run summaries and the plan's compliance level.
`plan_figure` reads one figure of one run or summary.

Determinism: a stream depends on its seed and the growth only, and a simulation on the
plan and the stream only, so the figures are identical whatever executor runs them
(None, a `concurrent.futures.ProcessPoolExecutor`, a dask.distributed cluster's
``Client.get_executor()``) and however many workers it has. ``PlanEnsemble(seeds=[s],
**g).evaluate(plan)`` holds the same `Summary` as ``simulate_ensemble(plan, seeds=[s],
**g)``.
"""

from __future__ import annotations

import math
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass
from functools import partial
from types import MappingProxyType
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from bizmodels._limits import require_memory
from bizmodels.compliance import risk_level
from bizmodels.compliance.findings import Level
from bizmodels.plans import Growth, GrowthStream, Plan, SimulationResult, Summary, simulate
from bizmodels.plans.base import plan_classes
from bizmodels.plans.events import EVENT_DTYPE
from bizmodels.plans.simulation import _withdraw_every
from bizmodels.plans.summary import check_cohorts

__all__ = [
    "DEFAULT_MEMBERS",
    "FIGURES",
    "FigureSpec",
    "PlanEnsemble",
    "PlanFigures",
    "plan_figure",
]

FloatArray = npt.NDArray[np.float64]

STREAM_BYTES_PER_EVENT = EVENT_DTYPE.itemsize + 8
"""Memory a cached stream keeps per event: the coded event row and its index columns."""
STREAM_BYTES_PER_MEMBER = 8
"""Memory a cached stream keeps per member: its dropout day."""
DEFAULT_MEMBERS = 20_000
"""Members a `PlanEnsemble`'s networks reach unless told: the designer's benchmark size."""
WORKER_CACHE = 16
"""Streams a worker process keeps (the most recently used), so that the plans of a search
sent to one worker reuse the networks it has grown."""


@dataclass(frozen=True)
class FigureSpec:
    """One figure a target, an objective or a constraint can name.

    Attributes
    ----------
    key : str
        The name (``"payout_ratio"``).
    zh, en : str
        Labels.
    unit : {"share", "yuan", "count"}
        A share from 0 to 1 (a ratio), float yuan, or a count.
    meaning : str
        What it is, and what it is when its denominator is empty.
    """

    key: str
    zh: str
    en: str
    unit: Literal["share", "yuan", "count"]
    meaning: str


def _spec(key: str, zh: str, en: str, unit: Any, meaning: str) -> tuple[str, FigureSpec]:
    return key, FigureSpec(key, zh, en, unit, meaning)


FIGURES: Mapping[str, FigureSpec] = MappingProxyType(
    dict(
        [
            _spec(
                "payout_ratio",
                "拨出率",
                "Payout ratio",
                "share",
                "paid to members (pool dividends included) / packages received; 0 when no "
                "package was sold",
            ),
            _spec(
                "platform_result",
                "平台结果",
                "Platform's result",
                "yuan",
                "received − paid − VAT − payment fees + withdrawal fees, float yuan",
            ),
            _spec(
                "platform_margin",
                "平台利润率",
                "Platform's margin",
                "share",
                "platform_result / packages received; 0 when no package was sold",
            ),
            _spec(
                "earned_back",
                "已回本比例",
                "Earned back",
                "share",
                "share of participants whose net (earned − spent) is ≥ 0; 0 with no participant",
            ),
            _spec(
                "earned_back_cash",
                "按到手现金已回本",
                "Earned back in cash",
                "share",
                "share of participants whose take-home covers what they paid and owe; 0 "
                "with no participant",
            ),
            _spec(
                "top1_share",
                "前 1% 收入份额",
                "Top 1% share of earnings",
                "share",
                "share of participants' earnings taken by the top 1% of them; 0 when no "
                "participant earned (no concentration to measure)",
            ),
            _spec(
                "top_member_share",
                "单个参与者最大收入份额",
                "Largest single participant's share of earnings",
                "share",
                "the largest participant's earnings / all participants' earnings; 0 when no "
                "participant earned",
            ),
            _spec(
                "gini",
                "收入基尼系数",
                "Gini coefficient of earnings",
                "share",
                "Gini coefficient of participants' earnings, zero earners included; 0 when no "
                "participant earned",
            ),
            _spec(
                "recruitment_dependence",
                "招募依赖度",
                "Recruitment dependence",
                "share",
                "share of what orders paid out that joins triggered; 0 when nothing was paid",
            ),
            _spec(
                "breakage_share",
                "无人领取比例",
                "Breakage share",
                "share",
                "rewards with no recipient / packages received; 0 when no package was sold",
            ),
            _spec(
                "members",
                "会员人数",
                "Members",
                "count",
                "members at the end of the run, the company's roots included",
            ),
        ]
    )
)
"""The figures of a plan's run, by name: what `plan_figure`, `PlanFigures` and the designer's
objectives and constraints read. Every one is a finite float for every run: where its
denominator is empty, the value its ``meaning`` states (0)."""


def _check_name(name: object) -> str:
    if not isinstance(name, str) or name not in FIGURES:
        raise ValueError(f"figure {name!r}: unknown; valid: {', '.join(FIGURES)}")
    return name


def plan_figure(run_or_summary: SimulationResult | Summary, name: str) -> float:
    """One figure of one run (see `FIGURES`), as a finite float.

    Parameters
    ----------
    run_or_summary : SimulationResult or Summary
        A run (`bizmodels.plans.simulate`), or its summary. ``top_member_share`` needs the
        run: a summary keeps no participant's earnings.
    name : str
        A key of `FIGURES`.

    Returns
    -------
    float
        Shares from 0 to 1, ``platform_result`` in yuan, ``members`` as a count.

    Raises
    ------
    ValueError
        An unknown figure (listing `FIGURES`), or ``top_member_share`` of a summary.

    Examples
    --------
    A root R sponsors A, who sponsors B, in the 699 plan: A earns a direct reward (直推奖)
    of 200 on B, B nothing; R, the company's root, is no participant:

    >>> from bizmodels.plans import liandong_699, simulate
    >>> run = simulate(liandong_699(), [("R", None, 0), ("A", "R", 0), ("B", "A", 0)])
    >>> plan_figure(run, "members"), plan_figure(run, "top_member_share")
    (3.0, 1.0)
    """
    key = _check_name(name)
    if isinstance(run_or_summary, SimulationResult):
        if key == "top_member_share":
            return _top_member_share(run_or_summary)
        summary = run_or_summary.summary(cohorts=1)
    elif isinstance(run_or_summary, Summary):
        if key == "top_member_share":
            raise ValueError(
                "top_member_share: needs the run (a SimulationResult); a Summary keeps no "
                "participant's earnings"
            )
        summary = run_or_summary
    else:
        raise TypeError(
            f"run_or_summary: needs a SimulationResult or a Summary, got "
            f"{type(run_or_summary).__name__}"
        )
    return _from_summary(summary, key)


def _from_summary(s: Summary, key: str) -> float:
    if key == "platform_result":
        return s.platform_result / 100
    if key == "platform_margin":
        return s.platform_result / s.packages if s.packages else 0.0
    value = getattr(s, key)
    return 0.0 if value is None else float(value)


def _top_member_share(run: SimulationResult) -> float:
    # Participants only (the company's roots apart), as top1_share reads them.
    led = run.ledger
    earned = np.asarray(led.earned, dtype=np.int64)[np.asarray(led.sponsor) >= 0]
    total = int(earned.sum())
    if total <= 0 or earned.size == 0:
        return 0.0
    return int(earned.max()) / total


def _row(run: SimulationResult, summary: Summary) -> tuple[float, ...]:
    return tuple(
        _top_member_share(run) if key == "top_member_share" else _from_summary(summary, key)
        for key in FIGURES
    )


@dataclass(frozen=True)
class PlanFigures:
    """One plan on every network of an ensemble: each figure per seed, mean, standard error.

    Attributes
    ----------
    plan : Plan
        The plan evaluated.
    seeds : tuple of int
        The networks' seeds, in order.
    summaries : tuple of Summary
        Each network's run summary, in the order of ``seeds``.
    risk_level : {"low", "warning", "high"}
        The plan's static compliance level (`bizmodels.compliance.risk_level` of the plan).
    table : mapping of str to float64 ndarray
        Every figure of `FIGURES`, one value per seed (`values` gives a copy).
    """

    plan: Plan
    seeds: tuple[int, ...]
    summaries: tuple[Summary, ...]
    risk_level: Level
    table: Mapping[str, FloatArray]

    def values(self, name: str) -> FloatArray:
        """One figure per seed, float64, in the order of ``seeds``."""
        out: FloatArray = np.array(self.table[_check_name(name)], dtype=np.float64)
        return out

    def mean(self, name: str) -> float:
        """The figure's mean across seeds."""
        return float(np.mean(self.table[_check_name(name)]))

    def standard_error(self, name: str) -> float:
        """The standard error of the mean: sample standard deviation / √n (0 for one seed).

        The sample standard deviation divides by ``n − 1``; with one seed there is no
        spread to measure and the error is 0.
        """
        x = self.table[_check_name(name)]
        if x.size < 2:
            return 0.0
        return float(np.std(x, ddof=1) / math.sqrt(x.size))

    def to_records(self) -> list[dict[str, Any]]:
        """One dict per figure: key, labels, unit, mean, standard error, min, max."""
        return [
            {
                "key": key,
                "label_zh": spec.zh,
                "label_en": spec.en,
                "unit": spec.unit,
                "mean": self.mean(key),
                "standard_error": self.standard_error(key),
                "min": float(np.min(self.table[key])),
                "max": float(np.max(self.table[key])),
            }
            for key, spec in FIGURES.items()
        ]

    def to_table(self, fmt: str = "simple") -> str:
        """The figures in rows: mean ± standard error, min and max across seeds."""
        from tabulate import tabulate

        rows = [
            [
                r["label_en"],
                *(_shown(r[k], r["unit"]) for k in ("mean", "standard_error", "min", "max")),
            ]
            for r in self.to_records()
        ]
        head = (
            f"{self.plan.short_name} on {len(self.seeds)} networks (risk level {self.risk_level})"
        )
        table = tabulate(
            rows,
            headers=["Figure", "Mean", "Std. error", "Min", "Max"],
            tablefmt=fmt,
            colalign=("left", "right", "right", "right", "right"),
            disable_numparse=True,
        )
        return f"{head}\n\n{table}"

    def __str__(self) -> str:
        return self.to_table()


def _shown(value: float, unit: str) -> str:
    if unit == "yuan":
        return f"{value:,.2f}"
    if unit == "count":
        return f"{value:,.1f}"
    return f"{value:.4f}"


class PlanEnsemble:
    """Networks grown once, one per seed, that every candidate plan runs over.

    Parameters
    ----------
    seeds : iterable of int
        One network per seed (default ``range(8)``), each an integer ≥ 0, none twice.
    cohorts : int
        Join cohorts in each run's summary (see `SimulationResult.summary`).
    withdraw_every : int or None
        The members' withdrawal behaviour in every run (see
        `bizmodels.plans.simulate_growth`); None: nobody withdraws.
    **growth
        The fields of `bizmodels.plans.Growth` but ``seed`` (``members``, ``days``,
        ``recruit_rate``, …): ``members`` defaults to `DEFAULT_MEMBERS` (20,000, the size
        the designer's benchmark runs), the others to `Growth`'s defaults.

    Attributes
    ----------
    seeds : tuple of int
        The seeds, in order.
    growth : Growth
        The growth assumptions (its ``seed`` is the first network's).
    cohorts : int
    withdraw_every : int or None

    Raises
    ------
    ValueError
        No seeds, a seed given twice or not an integer ≥ 0, ``seed`` among the growth
        arguments, a bad growth argument (`pydantic.ValidationError`), ``cohorts`` or
        ``withdraw_every``; `bizmodels._limits.SizeError` when the cached streams and one
        run do not fit in memory. All before any network is grown.

    Notes
    -----
    The streams are grown on first use (`streams`) and kept: ``len(seeds)`` streams of
    about ``members × (1 + (days − 1) × repurchase_rate)`` events, 33 bytes each, are held
    as long as the ensemble is. With an executor, each worker grows the streams of the
    seeds it is sent once and keeps the last `WORKER_CACHE`; the ensemble itself travels
    without its streams (it pickles as its seeds and growth).

    Examples
    --------
    Two direct rewards on the same three networks:

    >>> from bizmodels.plans import liandong_699
    >>> ens = PlanEnsemble(seeds=range(3), members=500, days=60)
    >>> low = ens.evaluate(liandong_699(direct_member=150))
    >>> high = ens.evaluate(liandong_699())
    >>> bool(low.mean("payout_ratio") < high.mean("payout_ratio"))
    True
    >>> low.values("members").tolist() == high.values("members").tolist()
    True
    """

    __slots__ = ("_streams", "cohorts", "growth", "seeds", "withdraw_every")

    seeds: tuple[int, ...]
    growth: Growth
    cohorts: int
    withdraw_every: int | None
    _streams: tuple[GrowthStream, ...] | None

    def __init__(
        self,
        seeds: Iterable[int] = range(8),
        *,
        cohorts: int = 10,
        withdraw_every: int | None = None,
        **growth: Any,
    ) -> None:
        if "seed" in growth:
            raise ValueError("seed: give the networks' seeds as seeds=[...], not seed=")
        if isinstance(seeds, (str, bytes)) or not isinstance(seeds, Iterable):
            raise ValueError(f"seeds: an iterable of integers ≥ 0, got {seeds!r}")
        chosen = tuple(_seed(s) for s in seeds)
        if not chosen:
            raise ValueError("seeds: give at least one seed")
        if len(set(chosen)) < len(chosen):
            raise ValueError(f"seeds: each network needs its own seed, got {list(chosen)}")
        check_cohorts(cohorts)
        _withdraw_every(withdraw_every)
        growth.setdefault("members", DEFAULT_MEMBERS)
        spec = Growth(**growth, seed=chosen[0])  # one run's memory is checked here
        _check_cache(spec, len(chosen))
        set_ = object.__setattr__
        set_(self, "seeds", chosen)
        set_(self, "growth", spec)
        set_(self, "cohorts", cohorts)
        set_(self, "withdraw_every", withdraw_every)
        set_(self, "_streams", None)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"PlanEnsemble is frozen: cannot set {name!r}")

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled as what defines it: a worker gets the seeds and growth, not the streams.
        growth = self.growth.model_dump(exclude={"seed"})
        return (_rebuild, (self.seeds, self.cohorts, self.withdraw_every, growth))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PlanEnsemble):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def _key(self) -> tuple[Any, ...]:
        return (self.seeds, self.growth, self.cohorts, self.withdraw_every)

    def __repr__(self) -> str:
        g = self.growth
        return (
            f"PlanEnsemble(seeds={list(self.seeds)}, members={g.members}, days={g.days}, "
            f"cohorts={self.cohorts}, withdraw_every={self.withdraw_every})"
        )

    def __len__(self) -> int:
        return len(self.seeds)

    def growth_of(self, seed: int) -> Growth:
        """The growth of one network: `growth` with its seed."""
        return self.growth.model_copy(update={"seed": seed})

    def streams(self) -> tuple[GrowthStream, ...]:
        """The networks' event streams, one per seed, grown on the first call and kept."""
        cached: tuple[GrowthStream, ...] | None = self._streams
        if cached is None:
            cached = tuple(self.growth_of(s).generate(progress=False) for s in self.seeds)
            object.__setattr__(self, "_streams", cached)
        return cached

    def evaluate(self, plan: Plan, *, executor: Executor | None = None) -> PlanFigures:
        """Run a plan over every network of the ensemble.

        Parameters
        ----------
        plan : Plan
            The plan (`bizmodels.plans.liandong_699`, `get_plan`, …).
        executor : concurrent.futures.Executor, optional
            None runs the networks here, over the cached `streams`; an executor maps the
            seeds over its workers (each grows its seeds' streams once). The figures are
            identical either way, in the order of `seeds`.

        Returns
        -------
        PlanFigures
        """
        _check_plan(plan)
        level = risk_level(plan)  # before any simulation: a plan the assessment refuses
        if executor is None:
            results = [self._run_local(plan, stream) for stream in self.streams()]
        else:
            task = partial(_run_seed, self.growth, self.cohorts, self.withdraw_every, plan)
            results = list(executor.map(task, self.seeds))
        return self._figures(plan, level, results)

    def evaluate_many(
        self, plans: Iterable[Plan], *, executor: Executor | None = None
    ) -> tuple[PlanFigures, ...]:
        """`evaluate` for several plans, every (plan, seed) run mapped over one executor.

        A batch of candidates keeps every worker busy; the figures are those of `evaluate`
        plan by plan, whatever the executor.
        """
        chosen = list(plans)
        for p in chosen:
            _check_plan(p)
        levels = [risk_level(p) for p in chosen]
        n = len(self.seeds)
        if executor is None:
            flat = [self._run_local(p, s) for p in chosen for s in self.streams()]
        else:
            task = partial(_run_pair, self.growth, self.cohorts, self.withdraw_every)
            pairs = [(p, s) for p in chosen for s in self.seeds]
            flat = list(executor.map(task, pairs))
        return tuple(
            self._figures(p, level, flat[i * n : (i + 1) * n])
            for i, (p, level) in enumerate(zip(chosen, levels, strict=True))
        )

    def _run_local(self, plan: Plan, stream: GrowthStream) -> tuple[Summary, tuple[float, ...]]:
        return _simulate(plan, stream, self.cohorts, self.withdraw_every)

    def _figures(
        self, plan: Plan, level: Level, results: list[tuple[Summary, tuple[float, ...]]]
    ) -> PlanFigures:
        columns = np.array([row for _, row in results], dtype=np.float64).reshape(
            len(results), len(FIGURES)
        )
        table = MappingProxyType({key: columns[:, i].copy() for i, key in enumerate(FIGURES)})
        for key, x in table.items():
            x.flags.writeable = False
            if not np.isfinite(x).all():  # pragma: no cover - every figure is defined
                raise ArithmeticError(f"{key}: a non-finite figure, {x.tolist()}")
        return PlanFigures(plan, self.seeds, tuple(s for s, _ in results), level, table)


def _rebuild(
    seeds: tuple[int, ...], cohorts: int, withdraw_every: int | None, growth: dict[str, Any]
) -> PlanEnsemble:
    return PlanEnsemble(seeds, cohorts=cohorts, withdraw_every=withdraw_every, **growth)


def _simulate(
    plan: Plan, stream: GrowthStream, cohorts: int, withdraw_every: int | None
) -> tuple[Summary, tuple[float, ...]]:
    # simulate_ensemble's path: simulate, then summary(cohorts)
    run = simulate(plan, stream, withdraw_every=withdraw_every)
    summary = run.summary(cohorts=cohorts)
    return summary, _row(run, summary)


_WORKER_STREAMS: OrderedDict[Growth, GrowthStream] = OrderedDict()


def _worker_stream(growth: Growth) -> GrowthStream:
    # A worker grows each network once and keeps the most recent WORKER_CACHE of them.
    stream = _WORKER_STREAMS.get(growth)
    if stream is None:
        stream = growth.generate(progress=False)
        _WORKER_STREAMS[growth] = stream
        while len(_WORKER_STREAMS) > WORKER_CACHE:
            _WORKER_STREAMS.popitem(last=False)
    else:
        _WORKER_STREAMS.move_to_end(growth)
    return stream


def _run_seed(
    growth: Growth, cohorts: int, withdraw_every: int | None, plan: Plan, seed: int
) -> tuple[Summary, tuple[float, ...]]:
    # top-level, so that any executor can pickle it
    stream = _worker_stream(growth.model_copy(update={"seed": seed}))
    return _simulate(plan, stream, cohorts, withdraw_every)


def _run_pair(
    growth: Growth, cohorts: int, withdraw_every: int | None, pair: tuple[Plan, int]
) -> tuple[Summary, tuple[float, ...]]:
    plan, seed = pair
    return _run_seed(growth, cohorts, withdraw_every, plan, seed)


def _check_cache(spec: Growth, n: int) -> None:
    # The kept streams beside one run's own memory (Growth checked that alone).
    cap = spec.capacity
    events = (cap + cap * (spec.days - 1) * spec.repurchase_rate) * (1 + spec.refund_rate)
    kept = n * (events * STREAM_BYTES_PER_EVENT + cap * STREAM_BYTES_PER_MEMBER)
    require_memory(
        f"seeds = {n} networks of members = {spec.members}", kept + spec.memory_estimate()
    )


def _check_plan(plan: object) -> None:
    if not isinstance(plan, Plan):
        raise TypeError(
            f"plan: needs a {plan_classes()} (e.g. bizmodels.plans.liandong_699()), "
            f"got {type(plan).__name__}"
        )


def _seed(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or int(value) < 0:
        raise ValueError(f"seeds: each seed is an integer ≥ 0, got {value!r}")
    return int(value)
