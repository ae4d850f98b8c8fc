"""The plan designer: search a plan's numbers for an objective under the limits that matter.

`design_plan` varies some numeric fields of a plan within ranges, evaluates each candidate
on one `PlanEnsemble` (the same grown networks for every candidate: common random numbers)
and lets Optuna's seeded TPE sampler propose the next candidates, knowing which of the
earlier ones met the constraints (a figure's ensemble mean against a limit, the static
compliance level, no reward for recruiting, the largest gain of a gaming manipulation).

Determinism: Optuna is asked for a fixed batch of ``batch`` candidates, the batch is
evaluated (on ``executor`` if one is given, one task per candidate) and told back in the
order asked. What the sampler sees never depends on which worker finished first, so the
trials are the same for any executor and any number of workers.

A constraint is met when the ensemble mean meets its limit; the trials also keep each
figure's standard error across the networks, so that `Design.render` can say whether a
limit is met clear of the sampling error (by more than 2 standard errors) or within it.
"""

from __future__ import annotations

import math
import warnings
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

from tabulate import tabulate

from bizmodels.compliance import Assessment, assess
from bizmodels.compliance.findings import LEVELS
from bizmodels.design.ensemble import FIGURES, PlanEnsemble, PlanFigures
from bizmodels.plans import Plan
from bizmodels.plans.base import plan_classes
from bizmodels.waterfall import Waterfall

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["LEVELS", "Design", "Limit", "design_plan"]

RATE_STEP_PLACES = 4
"""A rate is searched on a grid of 0.01% (four decimal places, or the field's own if
fewer); money on the fen, counts on whole numbers."""

NO_DESIGN_EXTRA = "the plan designer needs Optuna: pip install 'bizmodels[design]'"

Op = Literal["<=", ">="]


@dataclass(frozen=True)
class Limit:
    """One constraint of a design.

    Attributes
    ----------
    key : str
        Its name in the trials (``slack_<key>``): a figure of `FIGURES`, ``"risk_level"``,
        ``"no_recruitment_reward"`` or ``"gaming_gain"``.
    figure : str
        The column it reads: a figure of `FIGURES`, ``"risk_level"`` or ``"gaming_gain"``
        (yuan: the largest gain of a manipulation, `bizmodels.design.gaming.audit_plan`).
    op : {"<=", ">="}
    limit : float
        The limit; for ``risk_level`` the index of the level in `LEVELS`.
    """

    key: str
    figure: str
    op: Op
    limit: float

    def slack(self, value: float) -> float:
        """How far the value is inside the limit (negative: by how much it is outside)."""
        return self.limit - value if self.op == "<=" else value - self.limit

    def text(self) -> str:
        """The constraint in words: ``payout_ratio ≤ 0.5``."""
        sign = "≤" if self.op == "<=" else "≥"
        if self.figure == "risk_level":
            return f"risk level ≤ {LEVELS[int(self.limit)]}"
        if self.key == "no_recruitment_reward":
            return "no reward for recruiting (recruitment_dependence = 0)"
        if self.figure == "gaming_gain":
            return f"largest gaming gain ≤ {self.limit:,.2f} yuan"
        return f"{self.figure} {sign} {self.limit:g}"


@dataclass(frozen=True)
class _Field:
    name: str
    kind: Literal["int", "decimal"]
    places: int  # the search grid: 10^-places (0 for counts)
    low: Decimal
    high: Decimal

    def units(self) -> tuple[int, int]:
        scale = Decimal(10) ** self.places
        return int(self.low * scale), int(self.high * scale)

    def value(self, units: int) -> int | Decimal:
        if self.kind == "int":
            return units
        return (Decimal(units) / Decimal(10) ** self.places).quantize(
            Decimal(1).scaleb(-self.places)
        )


# -- checks before any work ---------------------------------------------------------------


def _numeric_fields(model: type[Any], prefix: str = "") -> dict[str, tuple[str, Any]]:
    from pydantic import BaseModel

    out: dict[str, tuple[str, Any]] = {}
    for name, info in model.model_fields.items():
        ann = info.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            out.update(_numeric_fields(ann, f"{prefix}{name}."))
        elif ann is int or ann is Decimal:
            out[prefix + name] = ("int" if ann is int else "decimal", info.metadata)
    return out


def _bounds(metadata: Sequence[Any]) -> tuple[Decimal | None, Decimal | None, int | None]:
    low = high = places = None
    for m in metadata:
        for attr, kind in (("ge", "low"), ("gt", "low"), ("le", "high"), ("lt", "high")):
            v = getattr(m, attr, None)
            if v is not None:
                if kind == "low":
                    low = Decimal(str(v))
                else:
                    high = Decimal(str(v))
        dp = getattr(m, "decimal_places", None)
        if dp is not None:
            places = int(dp)
    return low, high, places


def _number(field: str, value: object) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(f"vary {field}: {value!r} is not a number")
    try:
        out = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"vary {field}: {value!r} is not a number") from None
    if not out.is_finite():
        raise ValueError(f"vary {field}: {value!r} is not a finite number")
    return out


def _check_vary(plan: Plan, vary: Mapping[str, Sequence[object]]) -> tuple[_Field, ...]:
    if not isinstance(vary, Mapping) or not vary:
        raise ValueError(
            "vary: give at least one field and its range, e.g. {'see_point': (0, 100)}"
        )
    numeric = _numeric_fields(type(plan))
    out = []
    for name, rng in vary.items():
        if name not in numeric:
            raise ValueError(
                f"vary {name!r}: not a numeric field of {type(plan).__name__}; "
                f"valid: {', '.join(numeric)}"
            )
        if isinstance(rng, str) or not isinstance(rng, Sequence) or len(rng) != 2:
            raise ValueError(f"vary {name}: a range is (low, high), got {rng!r}")
        kind, metadata = numeric[name]
        low, high = _number(name, rng[0]), _number(name, rng[1])
        if low >= high:
            raise ValueError(f"vary {name} = {rng[0]}:{rng[1]}: the range is empty (low ≥ high)")
        lo_bound, hi_bound, dp = _bounds(metadata)
        if lo_bound is not None and low < lo_bound:
            raise ValueError(f"vary {name} = {rng[0]}: below the field's least value, {lo_bound}")
        if hi_bound is not None and high > hi_bound:
            raise ValueError(f"vary {name} = {rng[1]}: above the field's largest value, {hi_bound}")
        places = 0 if kind == "int" else min(dp if dp is not None else 2, RATE_STEP_PLACES)
        if dp == 2:
            places = 2  # money: the fen grid
        for bound, given in ((low, rng[0]), (high, rng[1])):
            if bound != bound.quantize(Decimal(1).scaleb(-places)):
                step = (
                    "a whole number"
                    if places == 0
                    else f"a multiple of {Decimal(1).scaleb(-places)}"
                )
                raise ValueError(f"vary {name} = {given}: the search grid needs {step}")
        out.append(_Field(name, "int" if kind == "int" else "decimal", places, low, high))
    return tuple(out)


def _reason(exc: ValueError) -> str:
    from pydantic import ValidationError

    if isinstance(exc, ValidationError):
        return "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
    return " ".join(str(exc).split())


def _with(plan: Plan, values: Mapping[str, object]) -> Plan:
    data = plan.model_dump()
    for name, value in values.items():
        head, dot, rest = name.partition(".")
        if dot:
            data[head] = {**data[head], rest: value}
        else:
            data[name] = value
    built: Plan = type(plan).model_validate(data)
    return built


def _check_limits(
    objective: str,
    constraints: Mapping[str, tuple[str, float]] | None,
    max_risk: str | None,
    no_recruitment_reward: bool,
    max_gaming_gain: float | Decimal | None,
) -> tuple[Limit, ...]:
    if objective not in FIGURES:
        raise ValueError(f"objective {objective!r}: unknown figure; valid: {', '.join(FIGURES)}")
    out = []
    for name, rule in (constraints or {}).items():
        if name not in FIGURES:
            raise ValueError(f"constraint {name!r}: unknown figure; valid: {', '.join(FIGURES)}")
        if isinstance(rule, str) or not isinstance(rule, Sequence) or len(rule) != 2:
            raise ValueError(
                f"constraint {name}: give (op, limit) such as ('<=', 0.5), got {rule!r}"
            )
        op, limit = rule
        if op not in ("<=", ">="):
            raise ValueError(f"constraint {name}: op {op!r} must be '<=' or '>='")
        if isinstance(limit, bool) or not isinstance(limit, int | float | Decimal):
            raise ValueError(f"constraint {name}: limit {limit!r} is not a number")
        if not math.isfinite(float(limit)):
            raise ValueError(f"constraint {name}: limit {limit!r} is not finite")
        out.append(Limit(name, name, "<=" if op == "<=" else ">=", float(limit)))
    if max_risk is not None:
        if max_risk not in LEVELS:
            raise ValueError(f"max_risk {max_risk!r}: must be one of {', '.join(LEVELS)}")
        out.append(Limit("risk_level", "risk_level", "<=", float(LEVELS.index(max_risk))))
    if no_recruitment_reward:
        out.append(Limit("no_recruitment_reward", "recruitment_dependence", "<=", 0.0))
    if max_gaming_gain is not None:
        z = float(max_gaming_gain)
        if isinstance(max_gaming_gain, bool) or not math.isfinite(z) or z < 0:
            raise ValueError(f"max_gaming_gain {max_gaming_gain!r}: a number of yuan ≥ 0")
        out.append(Limit("gaming_gain", "gaming_gain", "<=", z))
    return tuple(out)


def _count(name: str, value: object, least: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < least:
        raise ValueError(f"{name} = {value!r}: an integer ≥ {least}")
    return value


# -- evaluation (top-level, so that any executor can pickle it) ------------------------------

_WORKER_ENSEMBLES: OrderedDict[PlanEnsemble, PlanEnsemble] = OrderedDict()


def _evaluate(
    ensemble: PlanEnsemble, gaming_seed: int | None, plan: Plan
) -> tuple[tuple[Any, ...], float | None]:
    # A worker keeps the ensemble it was sent (an ensemble pickles without its streams), so
    # it grows each network once for all the candidates it evaluates.
    kept = _WORKER_ENSEMBLES.get(ensemble)
    if kept is None:
        _WORKER_ENSEMBLES[ensemble] = kept = ensemble
        while len(_WORKER_ENSEMBLES) > 2:
            _WORKER_ENSEMBLES.popitem(last=False)
    f = kept.evaluate(plan)
    # sent back as plain parts: the figures' read-only table does not pickle
    figures = (f.plan, f.seeds, f.summaries, f.risk_level, {k: f.values(k) for k in f.table})
    gain = None
    if gaming_seed is not None:
        from bizmodels.design.gaming import audit_plan

        gain = float(audit_plan(plan, seed=gaming_seed).max_gain)
    return figures, gain


# -- the search ----------------------------------------------------------------------------


def design_plan(
    plan: Plan,
    vary: Mapping[str, Sequence[object]],
    objective: str = "platform_result",
    maximize: bool = True,
    constraints: Mapping[str, tuple[str, float]] | None = None,
    max_risk: str | None = None,
    no_recruitment_reward: bool = False,
    max_gaming_gain: float | Decimal | None = None,
    trials: int = 100,
    ensemble: PlanEnsemble | None = None,
    seed: int = 0,
    batch: int = 8,
    executor: Executor | None = None,
) -> Design:
    """Search a plan's fields for the best objective under constraints (Optuna, seeded).

    Parameters
    ----------
    plan : Plan
        The plan whose other fields stay as they are (`bizmodels.plans.liandong_699()`).
    vary : mapping of str to (low, high)
        Numeric fields of the plan and their ranges, within the field's bounds; a nested
        field as ``"settlement.frozen_days"``. Money is searched on the fen, rates on
        0.01%, counts on whole numbers.
    objective : str
        A figure of `FIGURES`, its ensemble mean maximised (or minimised).
    maximize : bool
        False to minimise.
    constraints : mapping of str to (op, limit)
        Figures of `FIGURES` with ``"<="`` or ``">="`` and a limit, met on the ensemble mean:
        ``{"payout_ratio": ("<=", 0.5), "earned_back": (">=", 0.1)}``.
    max_risk : {"low", "warning", "high"} or None
        The highest compliance level allowed (the plan's static assessment).
    no_recruitment_reward : bool
        Require that joins trigger no reward: ``recruitment_dependence`` 0 on every network.
    max_gaming_gain : float or None
        Yuan: no manipulation of `bizmodels.design.gaming.audit_plan` (on its network grown
        with ``seed``) may gain the manipulator more.
    trials : int
        Candidates evaluated.
    ensemble : PlanEnsemble or None
        The networks (default ``PlanEnsemble()``: 8 networks of up to 20,000 members).
    seed : int
        The sampler's seed.
    batch : int
        Candidates asked of the sampler at a time, and evaluated together.
    executor : concurrent.futures.Executor or None
        Where the candidates of a batch run (one task each); the trials are identical for
        any executor.

    Returns
    -------
    Design

    Raises
    ------
    ValueError
        A field that is not a numeric field of the plan, an empty range or one outside the
        field's bounds, an unknown figure (listing the valid ones), a bad limit, level or
        count; all before any network is grown.
    ImportError
        Without Optuna, naming ``pip install 'bizmodels[design]'``.

    Examples
    --------
    How large a see-point reward (见点奖) keeps the payout ratio under 0.6?

    >>> from bizmodels.plans import liandong_699
    >>> ens = PlanEnsemble(seeds=range(3), members=500, days=90)
    >>> d = design_plan(liandong_699(), {"see_point": (0, 100)},
    ...     constraints={"payout_ratio": ("<=", 0.6)}, trials=8, ensemble=ens)
    >>> len(d.trials), d.chosen is not None
    (8, True)
    >>> bool(d.figures.mean("payout_ratio") <= 0.6)
    True
    """
    if not isinstance(plan, Plan):
        raise TypeError(f"plan: needs a {plan_classes()}, got {type(plan).__name__}")
    fields = _check_vary(plan, vary)
    limits = _check_limits(objective, constraints, max_risk, no_recruitment_reward, max_gaming_gain)
    trials = _count("trials", trials, 1)
    batch = _count("batch", batch, 1)
    seed = _count("seed", seed, 0)
    if not isinstance(maximize, bool):
        raise ValueError(f"maximize = {maximize!r}: True or False")
    for corner in range(2 ** min(len(fields), 10)):
        values = {f.name: f.value(f.units()[(corner >> i) & 1]) for i, f in enumerate(fields)}
        try:
            _with(plan, values)
        except ValueError as exc:
            shown = ", ".join(f"{k} = {v}" for k, v in values.items())
            raise ValueError(f"vary: the plan with {shown} is refused: {_reason(exc)}") from None
    if ensemble is None:
        ensemble = PlanEnsemble()
    elif not isinstance(ensemble, PlanEnsemble):
        raise TypeError(f"ensemble: needs a PlanEnsemble, got {type(ensemble).__name__}")
    try:
        import optuna
    except ImportError:
        raise ImportError(NO_DESIGN_EXTRA) from None

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    with warnings.catch_warnings():
        # the sampler's options are Optuna's experimental features; the user chose none
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        # Optuna 5 takes each trial's constraints from the trial; 4 from a function
        native = hasattr(optuna.trial.Trial, "set_constraint")
        options: dict[str, Any] = {} if native else {"constraints_func": _constraints_of}
        sampler = optuna.samplers.TPESampler(
            seed=seed,
            n_startup_trials=min(10, trials),
            multivariate=True,
            constant_liar=True,
            **options,
        )
        study = optuna.create_study(
            sampler=sampler, direction="maximize" if maximize else "minimize"
        )
        rows: list[dict[str, Any]] = []
        evaluated: list[PlanFigures | None] = []
        gaming_seed = seed if max_gaming_gain is not None else None
        done = 0
        while done < trials:
            asked = [study.ask() for _ in range(min(batch, trials - done))]
            candidates: list[Plan | None] = []
            notes: list[str] = []
            for t in asked:
                values = {f.name: f.value(t.suggest_int(f.name, *f.units())) for f in fields}
                try:
                    candidates.append(_with(plan, values))
                    notes.append("")
                except ValueError as exc:
                    candidates.append(None)
                    notes.append(_reason(exc))
            good = [c for c in candidates if c is not None]
            if executor is None:
                results = [_evaluate(ensemble, gaming_seed, c) for c in good]
            else:
                results = list(
                    executor.map(_evaluate, [ensemble] * len(good), [gaming_seed] * len(good), good)
                )
            it = iter(results)
            for t, cand, note in zip(asked, candidates, notes, strict=True):
                row: dict[str, Any] = {"trial": t.number}
                row.update({f.name: _shown_value(f, t.params[f.name]) for f in fields})
                if cand is None:
                    study.tell(t, state=optuna.trial.TrialState.FAIL)
                    row.update({"feasible": False, "note": note})
                    rows.append(row)
                    evaluated.append(None)
                    continue
                parts, gain = next(it)
                figures = _figures(*parts)
                row.update(_figure_columns(figures, objective, limits, gain))
                slacks = [lim.slack(row[lim.figure]) for lim in limits]
                for lim, s in zip(limits, slacks, strict=True):
                    row[f"slack_{lim.key}"] = s
                row["feasible"] = all(s >= 0 for s in slacks)
                row["note"] = note
                if native:
                    for lim, s in zip(limits, slacks, strict=True):
                        t.set_constraint(lim.key, -s)
                else:  # pragma: no cover - Optuna 4
                    t.set_user_attr("constraints", [-s for s in slacks])
                study.tell(t, row[objective])
                rows.append(row)
                evaluated.append(figures)
            done += len(asked)
    return Design(plan, fields, objective, maximize, limits, ensemble, seed, rows, tuple(evaluated))


def _figures(
    plan: Plan, seeds: tuple[int, ...], summaries: Any, level: Any, table: dict[str, Any]
) -> PlanFigures:
    for x in table.values():
        x.flags.writeable = False
    return PlanFigures(plan, seeds, summaries, level, MappingProxyType(table))


def _constraints_of(trial: Any) -> list[float]:  # pragma: no cover - Optuna 4
    return list(trial.user_attrs.get("constraints", []))


def _shown_value(field: _Field, units: int) -> int | float:
    if field.kind == "int":
        return int(units)
    return float(Decimal(units).scaleb(-field.places))


def _figure_columns(
    figures: PlanFigures, objective: str, limits: Sequence[Limit], gain: float | None
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    names = [objective, *(lim.figure for lim in limits if lim.figure in FIGURES)]
    for name in dict.fromkeys(names):
        out[name] = figures.mean(name)
        out[f"{name}_se"] = figures.standard_error(name)
    out["risk_level"] = float(LEVELS.index(figures.risk_level))
    if gain is not None:
        out["gaming_gain"] = gain
    return out


# -- the result ----------------------------------------------------------------------------


class Design:
    """The result of `design_plan`: every trial, the Pareto front, the chosen plan.

    Attributes
    ----------
    plan : Plan
        The plan searched around.
    objective : str
    maximize : bool
    limits : tuple of Limit
        The constraints, in the order given (figures, then risk, recruitment, gaming).
    ensemble : PlanEnsemble
    seed : int
    evaluations : tuple of PlanFigures or None
        Each trial's figures, in trial order (None for a candidate the plan refused).
    """

    def __init__(
        self,
        plan: Plan,
        fields: tuple[_Field, ...],
        objective: str,
        maximize: bool,
        limits: tuple[Limit, ...],
        ensemble: PlanEnsemble,
        seed: int,
        rows: list[dict[str, Any]],
        evaluations: tuple[PlanFigures | None, ...],
    ) -> None:
        self.plan = plan
        self._fields = fields
        self.objective = objective
        self.maximize = maximize
        self.limits = limits
        self.ensemble = ensemble
        self.seed = seed
        self._rows = rows
        self.evaluations = evaluations
        feasible = [i for i, r in enumerate(rows) if r["feasible"]]
        sign = 1 if maximize else -1
        # the best feasible mean; the earliest trial among equals
        self._chosen = max(feasible, key=lambda i: (sign * rows[i][objective], -i), default=None)

    @property
    def varied(self) -> tuple[str, ...]:
        """The fields varied, in order."""
        return tuple(f.name for f in self._fields)

    @property
    def trials(self) -> Any:
        """Every trial as a pandas DataFrame, indexed by trial number.

        Columns: the varied fields (money in float yuan), the objective's and each figure
        constraint's ensemble mean and its standard error (``<figure>_se``), ``risk_level``
        (0 low, 1 warning, 2 high), ``gaming_gain`` (yuan) if audited, ``slack_<key>`` of
        each constraint (≥ 0: met), ``feasible`` and ``note`` (why a candidate was refused).
        """
        from bizmodels import _frames

        pd = _frames.pandas()
        return pd.DataFrame(self._rows).set_index("trial")

    @property
    def chosen_trial(self) -> int | None:
        """The number of the chosen trial, or None when no trial met every constraint."""
        return self._chosen

    @property
    def chosen(self) -> Plan | None:
        """The best feasible plan (None when no trial met every constraint)."""
        figures = self.figures
        return None if figures is None else figures.plan

    @property
    def figures(self) -> PlanFigures | None:
        """The chosen plan's figures on the ensemble."""
        return None if self._chosen is None else self.evaluations[self._chosen]

    @property
    def binding(self) -> tuple[str, ...]:
        """Keys of the numeric constraints that bind, the most binding first.

        A constraint binds when some trial with a better objective than the chosen one's
        fails it (with none chosen: when any trial fails it).
        """
        sign = 1 if self.maximize else -1
        best = None if self._chosen is None else self._rows[self._chosen][self.objective]
        counts: dict[str, int] = {}
        for r in self._valid_rows():
            if best is not None and sign * r[self.objective] <= sign * best:
                continue
            for lim in self.limits:
                if lim.figure != "risk_level" and r[f"slack_{lim.key}"] < 0:
                    counts[lim.key] = counts.get(lim.key, 0) + 1
        order = [lim.key for lim in self.limits if lim.key in counts]
        return tuple(sorted(order, key=lambda k: -counts[k]))

    def _valid_rows(self) -> list[dict[str, Any]]:
        return [r for r, f in zip(self._rows, self.evaluations, strict=True) if f is not None]

    @property
    def pareto(self) -> Any:
        """The trials on the Pareto front of the objective against the binding constraints.

        Among the trials that meet every other constraint, those no other trial beats on
        the objective and on the slack of every binding constraint at once (a DataFrame,
        rows of `trials`).
        """
        binding = self.binding
        others = [lim for lim in self.limits if lim.key not in binding]
        sign = 1 if self.maximize else -1
        pool = [r for r in self._valid_rows() if all(r[f"slack_{lim.key}"] >= 0 for lim in others)]
        points = [(sign * r[self.objective], *(r[f"slack_{k}"] for k in binding)) for r in pool]
        front = [
            r["trial"]
            for r, p in zip(pool, points, strict=True)
            if not any(all(a >= b for a, b in zip(q, p, strict=True)) and q != p for q in points)
        ]
        table = self.trials
        return table.loc[front]

    def waterfall(self) -> Waterfall:
        """Where one order of the chosen plan goes (its `order_waterfall`)."""
        return self._require().order_waterfall()

    @property
    def assessment(self) -> Assessment | None:
        """The chosen plan's compliance assessment (`bizmodels.compliance.assess`)."""
        return None if self.chosen is None else assess(self.chosen)

    def disclosure(self, network: int = 0, fmt: str = "simple", lang: str = "en") -> str:
        """The income disclosure of the chosen plan on one network of the ensemble.

        By rank, by join cohort and by band of net result, with the company's roots apart
        (`bizmodels.plans.Summary`); ``network`` is the index of the network (0: the
        first seed's).
        """
        self._require()
        figures = self.figures
        assert figures is not None
        if not 0 <= network < len(figures.summaries):
            raise ValueError(
                f"network = {network!r}: 0 to {len(figures.summaries) - 1} (one per seed)"
            )
        s = figures.summaries[network]
        lang_: Literal["zh", "en"] = "zh" if lang == "zh" else "en"
        parts = [s.title(lang_), s.roots_line(lang_)]
        if s.ranks:
            parts += ["By final rank", s.rank_table(fmt, lang_)]
        parts += [
            "By join cohort",
            s.cohort_table(fmt, lang_),
            "By net result",
            s.band_table(fmt, lang_),
        ]
        return "\n\n".join(parts)

    def _require(self) -> Plan:
        chosen = self.chosen
        if chosen is None:
            raise ValueError(f"no trial met every constraint; {self._never_held()}")
        return chosen

    def _never_held(self) -> str:
        valid = self._valid_rows()
        never = [
            lim.text() for lim in self.limits if not any(r[f"slack_{lim.key}"] >= 0 for r in valid)
        ]
        if never:
            return "never held: " + "; ".join(never)
        return "each constraint held in some trial, never all together"

    def _risk_blockers(self, trial: int) -> list[str]:
        # A risk limit that never held is the plan's static assessment: name the findings
        # above the limit, so that the user sees which rule, not which amount, blocks it.
        lim = next((x for x in self.limits if x.figure == "risk_level"), None)
        figures = self.evaluations[trial]
        if lim is None or figures is None or self._rows[trial][f"slack_{lim.key}"] >= 0:
            return []
        allowed = LEVELS[int(lim.limit)]
        above = [
            f.indicator
            + (f" ({f.measures[0].name}, {f.measures[0].name_zh})" if f.measures else "")
            for f in assess(figures.plan).above(allowed)
        ]
        line = (
            f"Risk level above {allowed}: the findings {'; '.join(above)} hold in this trial "
            f"(bizmodels.compliance.assess); vary the fields that set them, or allow a higher "
            f"level."
        )
        return [line]

    def _status(self, lim: Limit, row: Mapping[str, Any]) -> str:
        slack = row[f"slack_{lim.key}"]
        se = row.get(f"{lim.figure}_se", 0.0)
        if slack >= 0:
            return "met" if slack > 2 * se or se == 0 else "met, within 2 s.e. of the limit"
        return "not met" if -slack > 2 * se or se == 0 else "not met, within 2 s.e. of the limit"

    def _value(self, lim: Limit, row: Mapping[str, Any]) -> str:
        value = row[lim.figure]
        if lim.figure == "risk_level":
            return LEVELS[int(value)]
        if lim.figure == "gaming_gain":
            return f"{value:,.2f} yuan"
        return f"{_fmt(lim.figure, value)} ± {_fmt(lim.figure, 2 * row[f'{lim.figure}_se'])}"

    def constraint_table(self, trial: int | None = None, fmt: str = "simple") -> str:
        """Each constraint for one trial (default the chosen): figure ± 2 s.e., limit, met."""
        index = self._chosen if trial is None else trial
        if index is None:
            raise ValueError(f"no trial met every constraint; {self._never_held()}")
        row = self._rows[index]
        body = [[lim.text(), self._value(lim, row), self._status(lim, row)] for lim in self.limits]
        return tabulate(
            body,
            headers=["Constraint", "Mean ± 2 s.e.", "Met"],
            tablefmt=fmt,
            disable_numparse=True,
        )

    def _nearest(self) -> int | None:
        # the trial with the smallest violation, each relative to its limit's size
        best: tuple[float, int] | None = None
        for i, r in enumerate(self._rows):
            if self.evaluations[i] is None:
                continue
            v = sum(
                max(0.0, -r[f"slack_{lim.key}"]) / max(abs(lim.limit), 1e-9 if lim.limit else 1.0)
                for lim in self.limits
            )
            if best is None or v < best[0]:
                best = (v, i)
        return None if best is None else best[1]

    def title(self) -> str:
        """One line: the plan, the trials, the networks."""
        g = self.ensemble.growth
        seeds = self.ensemble.seeds
        return (
            f"Design of {self.plan.short_name}: {len(self._rows)} trials on {len(seeds)} networks "
            f"of up to {g.members:,} members over {g.days} days (seeds {seeds[0]}…{seeds[-1]}), "
            f"sampler seed {self.seed}"
        )

    def render(self, fmt: str = "simple") -> str:
        """A text report: the chosen values, objective, each constraint, waterfall, risk."""
        ranges = ", ".join(
            f"{f.name} {f.low}–{f.high}" + (" yuan" if f.places == 2 else "") for f in self._fields
        )
        feasible = sum(1 for r in self._rows if r["feasible"])
        goal = "maximise" if self.maximize else "minimise"
        lines = [
            self.title(),
            f"Varied: {ranges}",
            f"Objective: {goal} {FIGURES[self.objective].en} ({self.objective}), the ensemble mean",
            f"Feasible: {feasible} of {len(self._rows)} trials",
            "",
        ]
        if self._chosen is None:
            lines.append(f"No trial met every constraint; {self._never_held()}.")
            near = self._nearest()
            if near is not None:
                row = self._rows[near]
                values = ", ".join(f"{f.name} = {row[f.name]}" for f in self._fields)
                lines.append(
                    f"Nearest trial: {near} ({values}), {self.objective} "
                    f"{_fmt(self.objective, row[self.objective])}"
                )
                lines += self._risk_blockers(near)
                lines += ["", self.constraint_table(near, fmt)]
            return "\n".join(lines)
        row = self._rows[self._chosen]
        chosen = self.chosen
        assert chosen is not None
        values = ", ".join(f"{f.name} = {_plan_value(chosen, f.name)}" for f in self._fields)
        se = row[f"{self.objective}_se"]
        lines += [
            f"Chosen (trial {self._chosen}): {values}",
            (
                f"{FIGURES[self.objective].en}: {_fmt(self.objective, row[self.objective])} "
                f"± {_fmt(self.objective, 2 * se)} (2 s.e.)"
            ),
        ]
        if self.limits:
            lines += ["", self.constraint_table(None, fmt)]
        binding = self.binding
        if binding:
            them = "it" if len(binding) == 1 else "them"
            lines += [
                "",
                f"Binding: {', '.join(binding)} (a trial with a better objective fails {them})",
            ]
        assessment = self.assessment
        assert assessment is not None
        flags = [f.indicator for f in assessment.findings if f.severity == "high"]
        lines += [
            "",
            self.waterfall().to_table(fmt),
            "",
            f"Compliance risk level: {assessment.level}"
            + (f" (high: {', '.join(flags)})" if flags else ""),
        ]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        return f"<Design {self.title()}; render() for the report>"

    def chart(self, ax: Axes | None = None) -> Figure:
        """The objective against the most binding constraint's figure, trial by trial.

        Feasible trials in green, the others in grey, the Pareto front as a line, the
        chosen plan as a star and the limit as a dashed line. With no numeric constraint
        the x axis is the first varied field. A Figure outside pyplot (`bizmodels.plotting`).
        """
        from bizmodels.plotting import _BLUE, _GREEN, _GREY, _RED, _canvas

        figure, axes = _canvas((7.0, 4.4), ax)
        numeric = [lim for lim in self.limits if lim.figure != "risk_level"]
        binding = self.binding
        lim = next((x for x in numeric if x.key in binding), numeric[0] if numeric else None)
        xname = self._fields[0].name if lim is None else lim.figure
        rows = self._valid_rows()
        for ok, color, marker, label in (
            (True, _GREEN, "o", "feasible"),
            (False, _GREY, "x", "infeasible"),
        ):
            pts = [(r[xname], r[self.objective]) for r in rows if r["feasible"] is ok]
            if pts:
                xs, ys = zip(*pts, strict=True)
                axes.scatter(xs, ys, c=color, marker=marker, s=22, label=label)
        front = self.pareto
        if len(front):
            f = front.sort_values(xname)
            axes.plot(f[xname], f[self.objective], "-", color=_BLUE, lw=1.2, label="Pareto front")
        if lim is not None:
            axes.axvline(lim.limit, ls="--", color=_RED, lw=1, label=f"limit {lim.limit:g}")
        if self._chosen is not None:
            r = self._rows[self._chosen]
            axes.scatter([r[xname]], [r[self.objective]], marker="*", s=160, c=_RED, label="chosen")
        axes.set_xlabel(xname)
        axes.set_ylabel(
            f"{self.objective} (yuan)" if FIGURES[self.objective].unit == "yuan" else self.objective
        )
        axes.set_title(self.title().split(":")[0], fontsize=10)
        axes.legend(frameon=False, fontsize=8)
        axes.grid(alpha=0.3)
        return figure


def _fmt(name: str, value: float) -> str:
    spec = FIGURES.get(name)
    if spec is not None and spec.unit == "yuan":
        return f"{value:,.2f} yuan"
    if spec is not None and spec.unit == "count":
        return f"{value:,.1f}"
    return f"{value:.4f}"


def _plan_value(plan: Plan, name: str) -> object:
    obj: Any = plan
    for part in name.split("."):
        obj = getattr(obj, part)
    return obj
