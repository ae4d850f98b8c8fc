"""Monte Carlo over the models: distributions in, percentiles, losses and rankings out.

The random numbers are drawn in fixed blocks of `BLOCK` samples, each block of each input
from its own generator, seeded by ``SeedSequence(seed, spawn_key=(stream, block))``: sample
``i`` of an input depends on the seed, the input's name and ``i`` only. A chunk of samples
draws the blocks it overlaps and keeps its slice, so that the numbers are the same whatever
the chunk size and whichever executor (serial, a process pool, a dask cluster) runs the
chunks, and the first ``n`` samples of a longer run are those of a run of ``n``.
"""

from __future__ import annotations

import hashlib
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from typing import Any

import numpy as np
from tabulate import tabulate

from bizmodels import _frames, _html
from bizmodels._format import money, percent
from bizmodels._frames import Money
from bizmodels._html import Lang
from bizmodels._limits import SizeError, require_memory
from bizmodels._output import render
from bizmodels._progress import bar, check_progress
from bizmodels.market import Market
from bizmodels.models import BusinessModel
from bizmodels.risk._fields import (
    FloatArray,
    check_target,
    evaluate,
    field_info,
    resolve_models,
    route,
)
from bizmodels.risk.distributions import Distribution, distribution_from_dict
from bizmodels.sweep import ARRAYS_PER_SCENARIO

__all__ = [
    "BLOCK",
    "DEFAULT_CHUNK",
    "IN_FLIGHT",
    "MAX_SAMPLES",
    "MonteCarloResult",
    "draw_inputs",
    "monte_carlo",
    "no_valid_sample",
]

IntArray = np.ndarray[Any, np.dtype[np.int64]]

BLOCK = 8_192
"""Samples per block of random numbers; fixed, so the stream never depends on chunking."""

DEFAULT_CHUNK = 4 * BLOCK
"""Samples per chunk by default (32,768): each array of a chunk (256 KiB) stays in a core's
cache, and the overhead of a sweep call stays small (measured best among 8,192 to 262,144)."""

MAX_SAMPLES = 10**9
"""The most samples a run draws. Time, not memory, sets it: ten models take about 1.6 s per
million samples on one core, so 10^9 is half an hour; and no answer needs more (the standard
error of a probability over 10^9 samples is below 1.6 × 10^-5). Below it, `monte_carlo`
checks the memory the run needs (`bizmodels._limits.require_memory`)."""

IN_FLIGHT = 64
"""Chunks an executor holds at once: more are submitted only as the oldest come back, so that
the results waiting to be copied stay a bounded share of memory, whatever the chunk count."""

_CHUNK_OVERHEAD = 4_096  # bytes of bookkeeping per chunk: its span, future, counts, clip tally


@dataclass(frozen=True)
class _Stream:
    """One input drawn at random: a field, its distribution, its valid range, its stream."""

    name: str  # "market.price" (shared by every model) or "toc_membership.lifetime"
    field: str
    key: int
    distribution: Distribution
    lower: float
    upper: float


@dataclass(frozen=True)
class _Plan:
    """Everything a chunk needs, picklable for any executor."""

    labels: tuple[str, ...]
    models: tuple[BusinessModel, ...]
    target: str
    entropy: int
    shared: tuple[_Stream, ...]
    own: tuple[tuple[_Stream, ...], ...]


@dataclass(frozen=True)
class _Chunk:
    values: FloatArray  # (models, samples of the chunk), NaN where a check fails
    clipped: dict[str, int]
    ranks: IntArray  # (models, ranks): samples at each rank, over samples valid for all
    failures: tuple[dict[str, int], ...]  # per model: check message → samples failing it


def _stream_key(name: str) -> int:
    # a stable 64-bit number per input name (Python's hash() is salted per process)
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "little")


def _draw(entropy: int, stream: _Stream, start: int, stop: int) -> tuple[FloatArray, int]:
    """Samples ``start`` to ``stop`` of one input, clipped to its range; and how many were."""
    first, last = start // BLOCK, (stop - 1) // BLOCK
    try:
        with np.errstate(over="ignore", invalid="ignore"):  # a non-finite draw is named below
            blocks = [
                stream.distribution.sample(
                    np.random.default_rng(
                        np.random.SeedSequence(entropy, spawn_key=(stream.key, b))
                    ),
                    BLOCK,
                )
                for b in range(first, last + 1)
            ]
    except OverflowError:
        raise ValueError(
            f"{stream.name}: {stream.distribution!r}: its parameters overflow float64; "
            "give a narrower distribution"
        ) from None
    offset = first * BLOCK
    x = np.concatenate(blocks)[start - offset : stop - offset]
    if not np.isfinite(x).all():
        index = start + int(np.argmax(~np.isfinite(x)))
        raise ValueError(
            f"{stream.name}: {stream.distribution!r} drew {x[index - start]} at sample "
            f"{index:,}: its parameters overflow float64; give a narrower distribution"
        )
    outside = int(np.count_nonzero((x < stream.lower) | (x > stream.upper)))
    if outside:
        np.clip(x, stream.lower, stream.upper, out=x)
    return x, outside


_allocator_ready = False


def _prepare_allocator() -> None:
    """Free one 8 MiB block, once per process, before the first chunk.

    Until glibc has seen a large block freed, it hands memory back to the system whenever
    more than 128 KiB is free at the top of its heap; the sweep's many short-lived arrays
    then cost a page fault every 4 KiB, which made a chunk three times slower than its
    arithmetic (measured: 1.6 s against 0.55 s for 1,000,000 samples of ten models).
    Freeing one large block raises glibc's thresholds (to 8 MiB and 16 MiB), as the first
    large array a program frees does anyway; with another allocator it costs a microsecond.
    """
    global _allocator_ready
    if not _allocator_ready:
        np.empty(1 << 20)  # 8 MiB, allocated and freed at once
        _allocator_ready = True


def _run_chunk(plan: _Plan, start: int, stop: int) -> _Chunk:
    """Evaluate samples ``start`` to ``stop`` of every model: one sweep call per model."""
    _prepare_allocator()
    n = stop - start
    clipped: dict[str, int] = {}
    shared: dict[str, FloatArray] = {}
    for stream in plan.shared:
        shared[stream.field], clipped[stream.name] = _draw(plan.entropy, stream, start, stop)
    values = np.empty((len(plan.models), n))
    failures: list[dict[str, int]] = []
    for i, (model, streams) in enumerate(zip(plan.models, plan.own, strict=True)):
        inputs = dict(shared)
        for stream in streams:
            inputs[stream.field], clipped[stream.name] = _draw(plan.entropy, stream, start, stop)
        result = evaluate(model, inputs, plan.target)
        values[i] = result.values
        failures.append(
            {message: int(np.count_nonzero(~passed)) for message, passed in result.failures}
        )
    return _Chunk(values, clipped, _rank_counts(values), tuple(failures))


def _rank_counts(values: FloatArray) -> IntArray:
    """How many samples put each model at each rank (1st = largest target)."""
    m = values.shape[0]
    valid = np.isfinite(values).all(axis=0)
    # sort each sample's models, largest first; the stable sort puts ties in listed order
    order = np.argsort(-values[:, valid].T, axis=1, kind="stable")
    counts = np.zeros((m, m), dtype=np.int64)
    for rank in range(m):
        counts[:, rank] = np.bincount(order[:, rank], minlength=m)
    return counts


def draw_inputs(
    models: Iterable[BusinessModel | str] | Mapping[str, BusinessModel] | None,
    distributions: Mapping[str, Distribution | Mapping[str, Any]],
    *,
    samples: int,
    seed: int,
    start: int = 0,
) -> dict[str, FloatArray]:
    """The random inputs `monte_carlo` uses, by input name, clipped to each field's range.

    Parameters
    ----------
    models, distributions
        As for `monte_carlo`.
    samples : int
        Number of samples.
    seed : int
        The seed of the `monte_carlo` run to reproduce.
    start : int
        Index of the first sample (≥ 0): ``start=1000`` gives samples 1,000 onwards.

    Returns
    -------
    dict of str to float64 ndarray
        Market inputs named ``"market.<field>"`` (one draw per sample, shared by every
        model); model inputs ``"<model label>.<field>"`` (drawn per model).

    Examples
    --------
    What prices did a run draw?

    >>> from bizmodels.risk import Uniform, draw_inputs
    >>> x = draw_inputs(["toc_membership"], {"price": Uniform(low=150, high=250)},
    ...                 samples=3, seed=1)
    >>> list(x), x["market.price"].shape
    (['market.price'], (3,))
    """
    plan = _plan(models, distributions, seed=seed, target="operating_profit", market=None)
    n = _check_samples(samples)
    if isinstance(start, bool) or not isinstance(start, (int, np.integer)) or start < 0:
        raise ValueError(f"start must be a whole number ≥ 0, got {start!r}")
    if start > MAX_SAMPLES:
        raise SizeError(f"start = {start}: at most {MAX_SAMPLES:,} (bizmodels.risk.MAX_SAMPLES)")
    inputs = len(plan.shared) + sum(len(own) for own in plan.own)
    # each input: its samples, and the blocks drawn around them while it is cut out
    require_memory(f"samples = {samples!r}", 8.0 * (inputs * n + 2 * (n + 2 * BLOCK)))
    stop = start + n
    out = {s.name: _draw(plan.entropy, s, start, stop)[0] for s in plan.shared}
    for streams in plan.own:
        out.update({s.name: _draw(plan.entropy, s, start, stop)[0] for s in streams})
    return out


def _check_count(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be a whole number ≥ 1, got {value!r}")
    return int(value)


def _check_samples(value: Any) -> int:
    n = _check_count("samples", value)
    if n > MAX_SAMPLES:
        raise SizeError(
            f"samples = {value!r}: at most {MAX_SAMPLES:,} (bizmodels.risk.MAX_SAMPLES; "
            "ten models take half an hour at that)"
        )
    return n


def _run_bytes(n: int, chunk: int, models: int, streams: int, pooled: bool) -> float:
    """Memory a run needs: its values, the chunks under way, and their bookkeeping."""
    size = min(chunk, n)
    # a chunk holds its inputs, one sweep's arrays, its values and the blocks it draws
    one = 8.0 * (size * (streams + ARRAYS_PER_SCENARIO + 2 * models) + 2 * (size + 2 * BLOCK))
    chunks = -(-n // chunk)
    under_way = min(chunks, IN_FLIGHT) if pooled else 1
    return 8.0 * models * n + under_way * one + chunks * _CHUNK_OVERHEAD


def _plan(
    models: Iterable[BusinessModel | str] | Mapping[str, BusinessModel] | None,
    distributions: Mapping[str, Distribution | Mapping[str, Any]],
    *,
    seed: int | None,
    target: str,
    market: Market | None,
) -> _Plan:
    entries = resolve_models(models, market)
    for _, model in entries:
        check_target(model, target)
    if seed is None:
        entropy = int(np.random.SeedSequence().entropy)  # type: ignore[arg-type]
    elif isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a whole number ≥ 0 or None, got {seed!r}")
    else:
        entropy = int(seed)
    dists = {
        name: d if isinstance(d, Distribution) else distribution_from_dict(dict(d))
        for name, d in distributions.items()
    }
    shared: list[_Stream] = []
    own: dict[str, dict[str, _Stream]] = {label: {} for label, _ in entries}
    by_label = dict(entries)
    for r in route(dists, entries):
        if r.market is not None:
            info = field_info(entries[0][1], r.market)
            name = f"market.{r.market}"
            if any(s.name == name for s in shared):
                raise ValueError(f"two distributions for the market's {r.market!r}")
            shared.append(
                _Stream(name, r.market, _stream_key(name), dists[r.name], info.lower, info.upper)
            )
        for label, field in r.models:
            info = field_info(by_label[label], field)
            name = f"{label}.{field}"
            if field in own[label]:
                raise ValueError(f"two distributions for {name!r}: name it once")
            own[label][field] = _Stream(
                name, field, _stream_key(name), dists[r.name], info.lower, info.upper
            )
    return _Plan(
        tuple(label for label, _ in entries),
        tuple(model for _, model in entries),
        target,
        entropy,
        tuple(shared),
        tuple(tuple(own[label].values()) for label, _ in entries),
    )


class MonteCarloResult:
    """The target of every model over every sample, and what it says about risk.

    Attributes
    ----------
    models : tuple of str
        Model labels, in the order given.
    target : str
        The waterfall step simulated.
    seed : int
        The seed (the entropy drawn, if none was given): the same seed, the same numbers.
    values : ndarray of float64, shape (models, samples)
        The target, yuan, per model and sample; NaN where the sample fails one of the
        model's cross-field checks.
    clipped : dict of str to int
        Per input (``"market.price"``, ``"<model>.<field>"``), draws outside the field's
        valid range, clipped to it.
    rank_counts : ndarray of int64, shape (models, models)
        ``[i, r]``: samples in which model ``i`` ranks ``r + 1`` (largest target first),
        over the samples valid for every model; ties go to the model listed first.
    failures : dict of str to dict of str to int
        Per model, each of its checks that some samples failed, and how many failed it.
    """

    def __init__(
        self,
        models: tuple[str, ...],
        target: str,
        seed: int,
        values: FloatArray,
        clipped: dict[str, int],
        rank_counts: IntArray,
        failures: dict[str, dict[str, int]] | None = None,
    ) -> None:
        self.models = models
        self.target = target
        self.seed = seed
        self.values = values
        self.clipped = clipped
        self.rank_counts = rank_counts
        self.failures = failures if failures is not None else {m: {} for m in models}

    @property
    def samples(self) -> int:
        """Samples drawn."""
        return int(self.values.shape[1])

    @property
    def ranked(self) -> int:
        """Samples valid for every model (those the ranking counts)."""
        return int(self.rank_counts[:, 0].sum())

    @property
    def valid(self) -> np.ndarray[Any, np.dtype[np.bool_]]:
        """Per model and sample, whether it passes the model's checks (else NaN in values)."""
        return ~np.isnan(self.values)

    @property
    def invalid(self) -> dict[str, int]:
        """Per model, samples that fail one of its checks (left out of its statistics)."""
        bad = np.isnan(self.values).sum(axis=1)
        return {m: int(b) for m, b in zip(self.models, bad, strict=True)}

    def _valid(self, i: int) -> FloatArray:
        row: FloatArray = self.values[i]
        valid: FloatArray = row[np.isfinite(row)]
        if not valid.size:
            # monte_carlo refuses such a run; a result built by hand says so here
            raise ValueError(no_valid_sample(self.models[i], row.size, self.failures))
        return valid

    def percentiles(self, q: Sequence[float] = (5, 50, 95)) -> dict[str, dict[float, float]]:
        """Percentiles of the target per model, yuan (linear interpolation, valid samples).

        Raises
        ------
        ValueError
            ``q`` not a sequence of numbers from 0 to 100.
        """
        points_wanted = _percentile_points(q)
        out: dict[str, dict[float, float]] = {}
        for i, model in enumerate(self.models):
            points = np.percentile(self._valid(i), points_wanted)
            out[model] = {k: float(v) for k, v in zip(points_wanted, points, strict=True)}
        return out

    def mean(self) -> dict[str, float]:
        """Mean of the target per model, yuan (valid samples)."""
        return {m: float(np.mean(self._valid(i))) for i, m in enumerate(self.models)}

    def probability_below(self, threshold: float = 0.0) -> dict[str, float]:
        """Per model, the share of its valid samples with the target below ``threshold``.

        Raises
        ------
        ValueError
            A threshold that is not a finite number.
        """
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float, np.number)):
            raise ValueError(f"threshold must be a number of yuan, got {threshold!r}")
        if not np.isfinite(threshold):
            raise ValueError(f"threshold must be a finite number of yuan, got {threshold!r}")
        level = float(threshold)
        return {m: float(np.mean(self._valid(i) < level)) for i, m in enumerate(self.models)}

    @property
    def probability_of_loss(self) -> dict[str, float]:
        """Per model, the share of its valid samples with the target below zero."""
        return self.probability_below(0.0)

    @property
    def win_rates(self) -> dict[str, float]:
        """Per model, the share of ranked samples in which it has the largest target."""
        return {m: share[0] for m, share in self.rank_shares.items()}

    @property
    def rank_shares(self) -> dict[str, tuple[float, ...]]:
        """Per model, the share of ranked samples at each rank (1st first)."""
        total = max(self.ranked, 1)
        return {
            m: tuple(float(c) / total for c in row)
            for m, row in zip(self.models, self.rank_counts, strict=True)
        }

    def to_records(self, q: Sequence[float] = (5, 50, 95)) -> list[dict[str, Any]]:
        """One dict per model, best mean rank first: mean, percentiles, P(loss), P(win)."""
        percentiles, means = self.percentiles(q), self.mean()
        loss, wins = self.probability_of_loss, self.win_rates
        ranks = np.arange(1, len(self.models) + 1)
        records = [
            {
                "model": m,
                "mean": means[m],
                **{f"p{k:g}": v for k, v in percentiles[m].items()},
                "p_loss": loss[m],
                "p_win": wins[m],
                "mean_rank": float(np.dot(shares, ranks)),
            }
            for m, shares in self.rank_shares.items()
        ]
        return sorted(records, key=lambda r: (r["mean_rank"], -r["p_win"]))

    def to_table(
        self, fmt: str = "simple", q: Sequence[float] = (5, 50, 95), lang: Lang = "en"
    ) -> str:
        """The records as a table (tabulate format ``fmt``), yuan and shares.

        ``lang`` ("en" or "zh") is the language of the headers.
        """
        headers = self._headers(q, check_lang(lang))
        records = self.to_records(q)
        body = [
            [
                r["model"],
                *(money(r[k], places=0) for k in ("mean", *(f"p{k:g}" for k in q))),
                percent(r["p_loss"]),
                percent(r["p_win"]),
                f"{r['mean_rank']:.2f}",
            ]
            for r in records
        ]
        align = ("left", *("right" for _ in headers[1:]))
        return tabulate(body, headers=headers, tablefmt=fmt, colalign=align, disable_numparse=True)

    def to_pandas(
        self, money: Money = "yuan", q: Sequence[float] = (5, 50, 95), samples: bool = False
    ) -> Any:
        """The run as a pandas DataFrame: the summary per model, or every sample.

        Parameters
        ----------
        money : {"yuan", "fen", "decimal"}
            The unit of the target: float64 yuan (the default), float64 fen (the columns then
            end in ``_fen``; sampled figures are not whole fen) or Decimal to the fen.
        q : sequence of float
            The percentiles of the summary (columns ``p5``, ``p50``, …).
        samples : bool
            Every sample instead: index ``sample``, a column per model, the target in each
            sample (missing where the sample fails the model's checks).

        Returns
        -------
        pandas.DataFrame
            By default `to_records` as a frame, best mean rank first: ``model``, ``mean``,
            the percentiles (money), ``p_loss``, ``p_win`` (shares, float64) and
            ``mean_rank``; then ``rank_1`` … ``rank_<n>``, the share of ranked samples in
            which the model came at each rank.

        Examples
        --------
        >>> from bizmodels.risk import Uniform, monte_carlo
        >>> run = monte_carlo(["toc_membership"], {"price": Uniform(low=150, high=250)},
        ...                   samples=200, seed=1)
        >>> run.to_pandas().columns.tolist()[:5]
        ['model', 'mean', 'p5', 'p50', 'p95']
        >>> run.to_pandas(samples=True).shape
        (200, 1)
        """
        money = _frames.check_money(money)
        if samples:
            columns = {
                _frames.money_name(m, money): _frames.yuan_column(self.values[i].tolist(), money)
                for i, m in enumerate(self.models)
            }
            pd = _frames.pandas()
            return _frames.frame(columns, index=pd.RangeIndex(self.samples, name="sample"))
        records = self.to_records(q)
        shares = self.rank_shares
        money_keys = ("mean", *(f"p{k:g}" for k in q))
        out: dict[str, Any] = {"model": [r["model"] for r in records]}
        for key in records[0]:
            if key == "model":
                continue
            values = [r[key] for r in records]
            if key in money_keys:
                out[_frames.money_name(key, money)] = _frames.yuan_column(values, money)
            else:
                out[key] = _frames.yuan_column(values, "yuan")
        for rank in range(len(self.models)):
            out[f"rank_{rank + 1}"] = _frames.yuan_column(
                [shares[r["model"]][rank] for r in records], "yuan"
            )
        return _frames.frame(out)

    def _headers(self, q: Sequence[float], lang: Lang) -> list[str]:
        if lang == "zh":
            return [
                "模型",
                "平均",
                *(f"{k:g}% 分位" for k in q),
                "亏损概率",
                "胜出概率",
                "平均排名",
            ]
        return ["Model", "Mean", *(f"P{k:g}" for k in q), "P(loss)", "P(win)", "Mean rank"]

    def caption(self, lang: Lang = "en") -> str:
        """The run in a line: target, samples and seed, in ``lang`` ("en" or "zh")."""
        if check_lang(lang) == "zh":
            return f"{target_label(self.target, lang)}：{self.samples:,} 个样本，种子 {self.seed}"
        return f"{self.target}: {self.samples:,} samples, seed {self.seed}"

    def to_html(self, q: Sequence[float] = (5, 50, 95), lang: Lang = "en") -> str:
        """An HTML table that reads like `to_table`, with the run in its caption."""
        headers = self._headers(q, check_lang(lang))
        records = self.to_records(q)
        body = [
            [
                r["model"],
                *(money(r[k], places=0) for k in ("mean", *(f"p{k:g}" for k in q))),
                percent(r["p_loss"]),
                percent(r["p_win"]),
                f"{r['mean_rank']:.2f}",
            ]
            for r in records
        ]
        return _html.table(
            headers,
            body,
            numeric=set(range(1, len(headers))),
            caption=self.caption(lang),
            lang=lang,
            more="to_table()",
        )

    def _repr_html_(self) -> str:
        return self.to_html()

    def render(self, fmt: str = "table", lang: Lang = "en") -> str:
        """As a table, markdown, JSON (with the run's target, samples and seed) or CSV.

        ``lang`` ("en" or "zh") is the language of the table's headers; JSON and CSV keep
        their English keys.
        """
        check_lang(lang)
        return render(
            fmt,
            table=lambda tablefmt: self.to_table(tablefmt, lang=lang),
            records=self.to_records,
            payload=lambda rows: {
                "target": self.target,
                "samples": self.samples,
                "seed": self.seed,
                "models": rows,
            },
        )

    def __str__(self) -> str:
        return f"{self.target}: {self.samples:,} samples, seed {self.seed}\n{self.to_table()}"

    def __repr__(self) -> str:
        return (
            f"<MonteCarloResult {self.target}: {len(self.models)} models × "
            f"{self.samples:,} samples, seed {self.seed}>"
        )


_TARGET_ZH = {
    "gmv": "商品交易总额",
    "net_sales": "净销售额",
    "net_revenue": "净收入",
    "gross_profit": "毛利",
    "contribution_margin": "贡献毛利",
    "operating_profit": "营业利润",
}
"""The Chinese names of the waterfall's subtotals (as `bizmodels.engine` labels them)."""


def check_lang(lang: object) -> Lang:
    """``lang`` if it is "en" or "zh", else a ValueError naming it (as `Waterfall.plot`)."""
    if lang == "zh":
        return "zh"
    if lang == "en":
        return "en"
    raise ValueError(f"lang = {lang!r}: must be 'en' or 'zh'")


def target_label(target: str, lang: Lang) -> str:
    """The waterfall step ``target`` as a label in ``lang`` (its key where it has no name)."""
    return _TARGET_ZH.get(target, target) if lang == "zh" else target


def _percentile_points(q: Any) -> list[float]:
    if isinstance(q, (str, bytes)) or not isinstance(q, (Sequence, np.ndarray)):
        raise ValueError(f"q must be a sequence of percentiles from 0 to 100, got {q!r}")
    points = []
    for item in q:
        if isinstance(item, bool) or not isinstance(item, (int, float, np.number)):
            raise ValueError(f"q must be percentiles from 0 to 100, got {item!r} in {q!r}")
        if not 0 <= float(item) <= 100:
            raise ValueError(f"q must be percentiles from 0 to 100, got {item!r}")
        points.append(float(item))
    if not points:
        raise ValueError("q must name at least one percentile")
    return points


def no_valid_sample(model: str, samples: int, failures: Mapping[str, Mapping[str, int]]) -> str:
    """The message for a model whose every sample fails one of its checks."""
    checks = failures.get(model) or {}
    why = "; ".join(f"{message}: {count:,}" for message, count in checks.items())
    return (
        f"{model}: no valid sample: all {samples:,} samples failed "
        + (f"its checks ({why})" if why else "its checks")
        + "; narrow the distributions so that the model can be evaluated"
    )


def monte_carlo(
    models: Iterable[BusinessModel | str] | Mapping[str, BusinessModel] | None,
    distributions: Mapping[str, Distribution | Mapping[str, Any]],
    *,
    samples: int = 100_000,
    seed: int | None = 0,
    target: str = "operating_profit",
    market: Market | None = None,
    executor: Executor | None = None,
    chunk_size: int | None = None,
    progress: bool | None = None,
) -> MonteCarloResult:
    """Draw the uncertain fields at random and evaluate every model on every draw.

    Parameters
    ----------
    models : iterable of BusinessModel or slug, or mapping of label to model, or None
        As for `bizmodels.compare`: all ten with their defaults when None.
    distributions : mapping of field name to Distribution (or its dict)
        What is uncertain. A market field (``"price"`` or ``"market.price"``) is drawn once
        per sample and shared by every model, so that the comparison is paired. A model
        field (``"lifetime"``) is drawn for each model that has it, independently; name it
        ``"toc_membership.lifetime"`` for one model only. Draws outside a field's valid
        range are clipped to it and counted (``clipped``).
    samples : int
        Number of samples, 1 to `MAX_SAMPLES` (10^9), and no more than the memory holds
        (8 bytes per model and sample, and the chunks under way).
    seed : int or None
        The seed (0 by default, so that a run repeats); None draws fresh entropy, recorded
        in the result.
    target : str
        The waterfall step simulated, yuan.
    market : Market, optional
        A market every model is put on before drawing.
    executor : concurrent.futures.Executor, optional
        Runs the chunks: a `concurrent.futures.ProcessPoolExecutor`, or a dask.distributed
        ``Client.get_executor()``; None runs them here, one after another. At most
        `IN_FLIGHT` (64) chunks are under way at once.
    chunk_size : int, optional
        Samples per chunk (default `DEFAULT_CHUNK`); it changes the speed, not the numbers.
    progress : bool or None
        A progress bar of the samples done on stderr (tqdm, the ``progress`` extra): True
        always, False never, None (the default) only when stderr is a terminal.

    Returns
    -------
    MonteCarloResult
        Values per model and sample, percentiles, probability of loss, win rates.

    Raises
    ------
    ValueError
        A field that the market and the models (or the named model) do not have, naming
        it; two distributions for one field; a bad sample count, chunk size or seed; an
        unknown step; a distribution whose draws overflow float64, naming it; a
        ``progress`` that is not True, False or None. After the
        run: a model none of whose samples passes its checks ("toc_membership: no valid
        sample: all 1,000 samples failed its checks (unit cost above price: 1,000)"), or
        several models with no sample valid for all of them, which cannot be ranked.
    bizmodels._limits.SizeError
        More than `MAX_SAMPLES` samples, or more than the memory holds (a ValueError too).
    pydantic.ValidationError
        A distribution given as a dict with a bad parameter, naming it.

    Notes
    -----
    Each chunk is evaluated with one `bizmodels.sweep` call per model: there is no Python
    loop per sample. A sample that fails one of a model's cross-field checks (say a drawn
    unit cost above the drawn price) is NaN for that model, left out of its statistics and
    of the ranking; every statistic of the result is over valid samples, of which each
    model has at least one (or the run is refused, as above), so none is NaN. The result is
    the same, bit for bit, for any chunk size and executor.

    Examples
    --------
    Which of two models makes the most money when price and market size are uncertain,
    and how likely is each to lose money?

    >>> from bizmodels.risk import Triangular, Uniform, monte_carlo
    >>> result = monte_carlo(
    ...     ["toc_membership", "omnichannel"],
    ...     {"price": Uniform(low=150, high=250),
    ...      "customers": Triangular(low=5_000, mode=10_000, high=20_000)},
    ...     samples=10_000,
    ...     seed=7,
    ... )
    >>> sorted(result.win_rates) == ["omnichannel", "toc_membership"]
    True
    >>> sum(result.win_rates.values())
    1.0

    Every sample has one winner; ``print(result)`` shows the table of percentiles, the
    probability of loss and the win rates.
    """
    n = _check_samples(samples)
    check_progress(progress)
    chunk = DEFAULT_CHUNK if chunk_size is None else _check_count("chunk_size", chunk_size)
    plan = _plan(models, distributions, seed=seed, target=target, market=market)
    streams = len(plan.shared) + sum(len(own) for own in plan.own)
    require_memory(
        f"samples = {samples!r}",
        _run_bytes(n, chunk, len(plan.models), streams, executor is not None),
    )
    m = len(plan.models)
    values = np.empty((m, n))
    clipped = {s.name: 0 for s in plan.shared} | {s.name: 0 for own in plan.own for s in own}
    ranks = np.zeros((m, m), dtype=np.int64)
    failures: list[dict[str, int]] = [{} for _ in plan.models]

    def keep(a: int, b: int, part: _Chunk) -> None:
        values[:, a:b] = part.values
        ranks[...] += part.ranks
        for name, count in part.clipped.items():
            clipped[name] += count
        for tally, counts in zip(failures, part.failures, strict=True):
            for message, count in counts.items():
                tally[message] = tally.get(message, 0) + count

    spans = ((a, min(a + chunk, n)) for a in range(0, n, chunk))
    with bar(progress, n, "Monte Carlo", "sample", scale=True) as done:
        if executor is None:
            for a, b in spans:
                keep(a, b, _run_chunk(plan, a, b))
                done.update(b - a)
        else:
            # a bounded window of chunks under way: results are copied as the oldest come back
            window: deque[tuple[int, int, Future[_Chunk]]] = deque()
            for a, b in spans:
                window.append((a, b, executor.submit(_run_chunk, plan, a, b)))
                if len(window) >= IN_FLIGHT:
                    a0, b0, oldest = window.popleft()
                    keep(a0, b0, oldest.result())
                    done.update(b0 - a0)
            while window:
                a0, b0, oldest = window.popleft()
                keep(a0, b0, oldest.result())
                done.update(b0 - a0)
    by_model = dict(zip(plan.labels, failures, strict=True))
    invalid = np.isnan(values).sum(axis=1)
    for label, bad in zip(plan.labels, invalid, strict=True):
        if bad == n:
            raise ValueError(no_valid_sample(label, n, by_model))
    if m > 1 and not ranks[:, 0].sum():
        counts = ", ".join(
            f"{label} {n - int(bad):,}" for label, bad in zip(plan.labels, invalid, strict=True)
        )
        raise ValueError(
            f"no sample is valid for every model, so the models cannot be ranked (valid "
            f"samples: {counts}); run them apart, or narrow the distributions"
        )
    return MonteCarloResult(plan.labels, target, plan.entropy, values, clipped, ranks, by_model)
