"""``bizmodels assess``: what the command line asks of `assess`, and its one-line errors.

It belongs to the command line (`bizmodels.cli`), which is to take it over; until then
`bizmodels.compliance` re-exports `assess_command` and `AssessError` from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from bizmodels.compliance.assessing import Assessable, assess
from bizmodels.compliance.findings import Assessment
from bizmodels.compliance.network import random_network
from bizmodels.models import MODELS, BusinessModel
from bizmodels.plans import PLANS, Plan, SimulationResult, get_plan, read_events, simulate
from bizmodels.presets import PRESETS, resolve

__all__ = ["AssessError", "assess_command"]


class AssessError(ValueError):
    """A mistake in what was asked of `assess_command`; its message is one line."""


def _validation_text(error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        where = ".".join(str(x) for x in item["loc"]) or error.title
        parts.append(f"{where}: {item['msg'].removeprefix('Value error, ')}")
    return "; ".join(parts)


def _build(target: str, overrides: Mapping[str, Any]) -> BusinessModel | Plan:
    try:
        if target in PLANS:
            return get_plan(target, **overrides)
        market = {k.removeprefix("market."): v for k, v in overrides.items() if "." in k}
        fields = {k: v for k, v in overrides.items() if "." not in k}
        if market:
            fields["market"] = market
        return resolve(target, **fields)
    except KeyError:
        valid = ", ".join([*MODELS, *PRESETS, *PLANS])
        raise AssessError(f"unknown model, preset or plan {target!r}; valid: {valid}") from None
    except ValidationError as exc:
        raise AssessError(f"{target}: {_validation_text(exc)}") from None


def assess_command(
    target: str,
    *,
    overrides: Mapping[str, Any] | None = None,
    events: str | None = None,
    members: int | None = None,
    repurchases: int = 0,
    seed: int = 0,
    fmt: str = "table",
    lang: str = "en",
) -> str:
    """The text of ``bizmodels assess TARGET [--simulate FILE | --members N]``.

    Parameters
    ----------
    target : str
        A model, preset or plan slug.
    overrides : mapping, optional
        Field overrides, already parsed (``{"package_price": 999}``; ``market.price`` for
        the market of a model).
    events : str, optional
        A CSV file of events (`bizmodels.plans.read_events`) to simulate the plan on.
    members : int, optional
        Simulate the plan on a `random_network` of this many members instead.
    repurchases, seed : int
        Repurchases and seed of the random network.
    fmt : str
        ``table``, ``markdown``, ``json`` or ``csv``.
    lang : str
        ``en`` or ``zh``.

    Returns
    -------
    str

    Raises
    ------
    AssessError
        An unknown target, a bad override, a bad events file, or a simulation asked of a
        model without a plan; the message is one line.

    Examples
    --------
    >>> print(assess_command("liandong_699").splitlines()[0])
    liandong_699: risk level HIGH
    """
    built = _build(target, overrides or {})
    if events is not None and members is not None:
        raise AssessError("give an events file or a number of members, not both")
    if repurchases and members is None:
        raise AssessError("--repurchases applies to a random network: give --members too")
    subject: Assessable = built
    if events is not None or members is not None:
        plan = built if not isinstance(built, BusinessModel) else getattr(built, "plan", None)
        if not isinstance(plan, Plan):
            raise AssessError(
                f"{target} has no commission plan to simulate; give a plan "
                f"({', '.join(PLANS)}) or a model with one (tob_recruitment --set plan=...)"
            )
        try:
            if events is not None:
                stream: Any = read_events(events)
            else:
                stream = random_network(members or 0, repurchases=repurchases, seed=seed)
        except OSError as exc:
            raise AssessError(f"cannot read {events}: {exc.strerror}") from None
        except ValueError as exc:
            where = f"{events}: " if events is not None else "--"
            raise AssessError(where + str(exc).splitlines()[0]) from None
        subject = simulate(plan, stream)
    found = assess(subject)
    # name the result by what was asked for, not by the class that answered
    if isinstance(subject, SimulationResult):
        name = f"{target}, simulated: {subject.totals.members} members, "
        name += f"{subject.totals.orders} orders"
    else:
        name = target
    try:
        return Assessment(name, found.findings).render(fmt, lang)
    except ValueError as exc:
        raise AssessError(str(exc)) from None
