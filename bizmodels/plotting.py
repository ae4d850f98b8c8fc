"""Charts of cash flows, sensitivity and risk (needs the ``plot`` extra: matplotlib).

Each function draws on a matplotlib ``Axes`` (a new figure when none is given) and returns
it; `to_svg` turns a figure into inline SVG for the docs site.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Any

import numpy as np

from bizmodels.finance import payback_period

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from bizmodels.cashflow import CashFlows
    from bizmodels.risk.montecarlo import MonteCarloResult
    from bizmodels.risk.sensitivity import Tornado


def _pyplot() -> Any:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError("charts need matplotlib: pip install 'bizmodels[plot]'") from None
    return plt


def _axes(ax: Axes | None, size: tuple[float, float] = (7.0, 3.6)) -> Axes:
    if ax is not None:
        return ax
    plt = _pyplot()
    _, new = plt.subplots(figsize=size)
    return new  # type: ignore[no-any-return]


def cash_flow_chart(flows: CashFlows, ax: Axes | None = None) -> Axes:
    """Net cash per month (bars) and cumulative cash (line), the payback month marked.

    Examples
    --------
    >>> import bizmodels as bm
    >>> ax = cash_flow_chart(bm.get_model("toc_membership").cash_flows(setup=300_000))
    >>> ax.get_title()
    'toc_membership: cash flows'
    """
    ax = _axes(ax)
    months = np.arange(flows.months)
    net, cumulative = flows.net, flows.cumulative
    ax.bar(months, net / 1e3, color=np.where(net >= 0, "#4c9f70", "#c8553d"), label="net")
    ax.plot(months, cumulative / 1e3, color="#1f3b73", marker="o", ms=3, label="cumulative")
    ax.axhline(0, color="grey", lw=0.8)
    payback = payback_period(net)
    if payback:  # None never pays back; 0 never needed to
        ax.axvline(float(payback), color="#1f3b73", ls="--", lw=1)
        ax.annotate(
            f"payback: {float(payback):.1f} months",
            (float(payback), 0),
            xytext=(4, 8),
            textcoords="offset points",
            fontsize=8,
        )
    ax.set_xlabel("month")
    ax.set_ylabel("thousand yuan")
    ax.set_title(f"{flows.model}: cash flows")
    ax.legend(fontsize=8, loc="best")
    return ax


def tornado_chart(result: Tornado, ax: Axes | None = None) -> Axes:
    """Horizontal bars: the target at each field's low and high value around the base."""
    bars = list(result.bars)[::-1]
    ax = _axes(ax, (7.0, 0.3 * len(bars) + 1.2))
    y = np.arange(len(bars))
    base = result.base / 1e3
    # a side whose scenario fails a model check has no value (None): no bar is drawn for it
    low = np.array([0.0 if b.target_low is None else b.target_low / 1e3 - base for b in bars])
    high = np.array([0.0 if b.target_high is None else b.target_high / 1e3 - base for b in bars])
    ax.barh(y, low, left=base, color="#c8553d", label=f"field −{result.change:.0%}")
    ax.barh(y, high, left=base, color="#4c9f70", label=f"field +{result.change:.0%}")
    ax.axvline(base, color="grey", lw=0.8)
    ax.set_yticks(y, [b.field for b in bars], fontsize=8)
    ax.set_xlabel(f"{result.target.replace('_', ' ')}, thousand yuan")
    ax.set_title(f"{result.model}: which assumption matters")
    ax.legend(fontsize=8, loc="lower right")
    return ax


def histogram_chart(
    result: MonteCarloResult,
    models: list[str] | None = None,
    ax: Axes | None = None,
    bins: int = 60,
) -> Axes:
    """Distribution of the target across samples for some models, loss marked at zero."""
    ax = _axes(ax)
    chosen = models or list(result.models)[:3]
    for label in chosen:
        row = result.values[list(result.models).index(label)]
        row = row[~np.isnan(row)]
        ax.hist(row / 1e3, bins=bins, alpha=0.5, label=label)
    ax.axvline(0, color="black", lw=1)
    ax.set_xlabel(f"{result.target.replace('_', ' ')}, thousand yuan")
    ax.set_ylabel("samples")
    ax.set_title("Monte Carlo: distribution across samples")
    ax.legend(fontsize=8)
    return ax


def to_svg(figure: Figure) -> str:
    """The figure as an inline SVG string (for markdown-exec pages), then closed."""
    buffer = io.StringIO()
    figure.tight_layout()
    figure.savefig(buffer, format="svg")
    _pyplot().close(figure)
    text = buffer.getvalue()
    return text[text.index("<svg") :]


__all__ = ["cash_flow_chart", "histogram_chart", "to_svg", "tornado_chart"]
