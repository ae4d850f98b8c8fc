"""Charts of waterfalls, comparisons, simulations, cash flows and risk (the ``plot`` extra).

Every chart builds a `matplotlib.figure.Figure` of its own, never through ``pyplot``, and
returns it: the caller's backend, current figure and pyplot figure list are left exactly as
they were, and a returned Figure shows itself inline in Jupyter. Pass ``ax=`` to draw on an
axes of your own instead; the chart then returns that axes' figure.

Labels are in English (``lang="en"``) or Chinese (``lang="zh"``). Chinese labels need a CJK
font: the first installed one of `CJK_FONTS` (Debian: ``apt-get install fonts-noto-cjk``)
is set on the chart's own texts, never in the global ``rcParams``; without one a
`UserWarning` is issued, once, and the Chinese shows as empty boxes.

`to_svg` turns a figure into inline SVG for the docs site.
"""

from __future__ import annotations

import functools
import io
import sys
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from bizmodels.finance import payback_period

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    from bizmodels.cashflow import CashFlows
    from bizmodels.compare import Comparison
    from bizmodels.plans.simulation import SimulationResult
    from bizmodels.risk.montecarlo import MonteCarloResult
    from bizmodels.risk.sensitivity import Tornado
    from bizmodels.waterfall import Waterfall

Lang = Literal["en", "zh"]

CJK_FONTS = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Noto Sans CJK",  # a .ttc's first face (JP, TC, …): the same Han glyphs
    "Source Han Sans",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
    "Noto Serif CJK SC",
    "AR PL UMing CN",
)
"""CJK font families looked for, in order of preference (a prefix matches a family)."""

NO_CJK_FONT = (
    "no CJK font found; Chinese labels will show as boxes; install fonts-noto-cjk "
    "(Debian/Ubuntu: apt-get install fonts-noto-cjk) or any of bizmodels.plotting.CJK_FONTS"
)

_RED, _GREEN, _BLUE, _GREY = "#c8553d", "#4c9f70", "#1f3b73", "#8a8a8a"
_warned_no_cjk = False


@functools.lru_cache(maxsize=1)
def _chart_class() -> type[Figure]:
    try:
        from matplotlib.figure import Figure
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError("charts need matplotlib: pip install 'bizmodels[plot]'") from None

    class Chart(Figure):
        """A Figure that shows itself in Jupyter as a PNG, with or without pyplot.

        Where pyplot's inline backend has registered its own display of figures, IPython
        uses that one (it is looked up by type first); this one serves the notebook that
        never imported pyplot, where a bare Figure would show as ``<Figure size …>``.
        """

        def _repr_png_(self) -> bytes:
            buffer = io.BytesIO()
            self.savefig(buffer, format="png", dpi=100, bbox_inches="tight")
            return buffer.getvalue()

    Chart.__module__ = __name__
    return Chart


def _canvas(size: tuple[float, float], ax: Axes | None) -> tuple[Figure, Axes]:
    """The figure and axes to draw on: the caller's, or a new Figure outside pyplot."""
    if ax is not None:
        return ax.figure, ax  # type: ignore[return-value]
    figure = _chart_class()(figsize=size, layout="constrained")
    return figure, figure.add_subplot()


def _lang(lang: str) -> Lang:
    if lang not in ("en", "zh"):
        raise ValueError(f"lang = {lang!r}: must be 'en' or 'zh'")
    return lang  # type: ignore[return-value]


@functools.lru_cache(maxsize=1)
def _find_cjk_font() -> str | None:
    """The family name of the first installed font of `CJK_FONTS`, or None.

    A family name, not a file: one ``.ttc`` file holds several faces (Noto Sans CJK JP, SC,
    TC, …) and matplotlib (3.10 and later) lists each, so the name picks the SC face.
    """
    from matplotlib import font_manager

    installed = [f.name for f in font_manager.fontManager.ttflist]
    for wanted in CJK_FONTS:
        for name in installed:
            if name.startswith(wanted):
                return str(name)
    return None


def cjk_font() -> FontProperties | None:
    """A `FontProperties` of the installed CJK font, or None (with a warning, once).

    Examples
    --------
    >>> font = cjk_font()  # doctest: +SKIP
    >>> font.get_family()  # doctest: +SKIP
    ['Noto Sans CJK SC']
    """
    global _warned_no_cjk
    family = _find_cjk_font()
    if family is None:
        if not _warned_no_cjk:
            _warned_no_cjk = True
            warnings.warn(NO_CJK_FONT, UserWarning, stacklevel=3)
        return None
    from matplotlib.font_manager import FontProperties

    return FontProperties(family=family)


def _has_cjk(text: str) -> bool:
    return any("\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" for ch in text)


def _finish(figure: Figure, lang: Lang) -> Figure:
    """Give the figure's own texts with Chinese in them the CJK font (no global setting).

    Any text with Chinese in it, whatever ``lang`` (a model named in Chinese in an English
    chart); a chart with none asks for no font and never warns.
    """
    from matplotlib.text import Text

    chinese = [t for t in figure.findobj(Text) if isinstance(t, Text) and _has_cjk(t.get_text())]
    if not chinese:
        return figure
    font = cjk_font()
    if font is None:
        return figure
    for text in chinese:
        own = font.copy()
        own.set_size(text.get_fontsize())
        own.set_weight(text.get_fontweight())
        text.set_fontproperties(own)
    return figure


def _t(lang: Lang, en: str, zh: str) -> str:
    return zh if lang == "zh" else en


def _scale(largest: float, lang: Lang) -> tuple[float, str, int]:
    """Divisor, unit and decimals for amounts whose largest magnitude is ``largest``."""
    if largest >= 1e6 and lang == "zh":
        return 1e4, "万元", 1
    if largest >= 1e4:
        return 1e3, _t(lang, "thousand yuan", "千元"), 1
    return 1.0, _t(lang, "yuan", "元"), 2


def _number(value: float, places: int) -> str:
    text = f"{abs(value):,.{places}f}"
    return f"−{text}" if value < 0 and float(text.replace(",", "")) != 0 else text


# -- waterfall -----------------------------------------------------------------------------


def bridge_bars(waterfall: Waterfall) -> list[tuple[str, float, float]]:
    """The bridge chart's bars: (kind, bottom, height) per step, in yuan.

    The start, subtotals and end stand on zero; a deduction floats from the running amount
    before it, its height negative (a deduction of 200 from 699 is bottom 699, height −200,
    ending at 499), so every bar ends where the next begins.

    Examples
    --------
    >>> from bizmodels.plans import liandong_699
    >>> bridge_bars(liandong_699().order_waterfall())[:2]
    [('start', 0.0, 699.0), ('deduction', 699.0, -200.0)]
    """
    bars: list[tuple[str, float, float]] = []
    running = 0.0
    for step in waterfall.steps:
        amount = float(step.amount)
        if step.kind.value == "deduction":
            bars.append(("deduction", running, -amount))
            running -= amount
        else:
            bars.append((step.kind.value, 0.0, amount))
            running = amount
    return bars


def waterfall_chart(waterfall: Waterfall, lang: Lang = "en", ax: Axes | None = None) -> Figure:
    """A bridge chart: the start, floating deductions, subtotals and the end, annotated.

    Parameters
    ----------
    waterfall : Waterfall
        Any waterfall (a plan's order, a model's P&L).
    lang : {"en", "zh"}
        Language of the labels; ``"zh"`` uses an installed CJK font (see `cjk_font`).
    ax : matplotlib Axes, optional
        Draw there instead of on a new figure.

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn on (``ax.figure`` when ``ax`` is given).

    Examples
    --------
    >>> from bizmodels.plans import liandong_699
    >>> figure = waterfall_chart(liandong_699().order_waterfall())
    >>> [float(p.get_height()) for p in figure.axes[0].patches][:3]
    [699.0, -200.0, -100.0]
    """
    lang = _lang(lang)
    bars = bridge_bars(waterfall)
    steps = waterfall.steps
    figure, ax = _canvas((min(9.0, max(6.0, 0.45 * len(steps) + 2.5)), 4.2), ax)
    largest = max([abs(b) for _, b, _ in bars] + [abs(b + h) for _, b, h in bars] + [1.0])
    divisor, unit, places = _scale(largest, lang)
    x = np.arange(len(bars))
    colours = [(_RED if h < 0 else _GREEN) if kind == "deduction" else _BLUE for kind, _, h in bars]
    ax.bar(
        x,
        [h / divisor for _, _, h in bars],
        bottom=[b / divisor for _, b, _ in bars],
        color=colours,
        width=0.66,
        edgecolor="white",
        linewidth=0.5,
    )
    for i in range(len(bars) - 1):  # the connector: where one bar ends, the next begins
        level = (bars[i][1] + bars[i][2]) / divisor
        ax.plot([i + 0.33, i + 0.67], [level, level], color=_GREY, lw=0.7)
    span = largest / divisor
    for i, ((kind, bottom, height), step) in enumerate(zip(bars, steps, strict=True)):
        shown = -float(step.amount) if kind == "deduction" else height
        top = max(bottom, bottom + height) / divisor
        ax.annotate(
            _number(shown / divisor, places),
            (i, top + span * 0.01),
            ha="center",
            va="bottom",
            fontsize=7.5,
            fontweight="normal" if kind == "deduction" else "bold",
        )
    ax.axhline(0, color=_GREY, lw=0.8)
    labels = [s.label_zh if lang == "zh" else s.label_en for s in steps]
    ax.set_xticks(x, labels, rotation=35 if len(steps) > 4 else 0, ha="right", fontsize=8)
    if len(steps) <= 4:
        for label in ax.get_xticklabels():
            label.set_horizontalalignment("center")
    ax.set_ylabel(unit)
    ax.set_ylim(min(0.0, ax.get_ylim()[0]), ax.get_ylim()[1] + span * 0.06)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(waterfall.title, fontsize=10)
    return _finish(figure, lang)


# -- comparison ----------------------------------------------------------------------------


def comparison_chart(comparison: Comparison, lang: Lang = "en", ax: Axes | None = None) -> Figure:
    """Operating profit (bars) and operating margin (labels) per model, in ranking order."""
    lang = _lang(lang)
    rows = list(comparison.rows)[::-1]  # best at the top
    figure, ax = _canvas((7.5, 0.38 * len(rows) + 1.3), ax)
    profit = np.array([float(r["operating_profit"]) for r in rows])
    divisor, unit, places = _scale(float(np.max(np.abs(profit), initial=1.0)), lang)
    y = np.arange(len(rows))
    ax.barh(y, profit / divisor, color=np.where(profit >= 0, _GREEN, _RED), height=0.62)
    for i, row in enumerate(rows):
        margin = row.get("operating_margin")
        text = _number(profit[i] / divisor, places)
        if margin is not None:
            text += f"  ({_number(float(margin) * 100, 1)}%)"
        ax.annotate(
            text,
            (profit[i] / divisor, i),
            xytext=(4 if profit[i] >= 0 else -4, 0),
            textcoords="offset points",
            ha="left" if profit[i] >= 0 else "right",
            va="center",
            fontsize=7.5,
        )
    names = [r["name_zh"] if lang == "zh" else r["model"] for r in rows]
    ax.set_yticks(y, names, fontsize=8)
    ax.axvline(0, color=_GREY, lw=0.8)
    low, high = ax.get_xlim()
    ax.set_xlim(low - (high - low) * 0.05 * (low < 0), high + (high - low) * 0.25)
    ax.set_xlabel(_t(lang, f"operating profit (margin), {unit}", f"营业利润（营业利润率），{unit}"))
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(_t(lang, "Operating profit by model", "各模式营业利润"), fontsize=10)
    return _finish(figure, lang)


# -- simulation ----------------------------------------------------------------------------


def net_result_chart(run: SimulationResult, lang: Lang = "en", ax: Axes | None = None) -> Figure:
    """Each member's net result (earned − spent), members sorted from worst to best."""
    lang = _lang(lang)
    figure, ax = _canvas((7.0, 3.6), ax)
    net = np.sort(run.ledger.yuan("net"))
    share = np.arange(1, net.size + 1) / max(net.size, 1) * 100
    ax.fill_between(share, net, 0, where=net < 0, color=_RED, alpha=0.6, step="pre", lw=0)
    ax.fill_between(share, net, 0, where=net >= 0, color=_GREEN, alpha=0.6, step="pre", lw=0)
    ax.axhline(0, color=_GREY, lw=0.8)
    # linear within one package price, logarithmic past it: the few large earners would
    # otherwise flatten the many small losses to nothing
    price = float(getattr(run.plan, "package_price", 0) or 0)
    if price > 0 and net.size and float(np.max(np.abs(net))) > 10 * price:
        first = int(np.ceil(np.log10(price)))
        ax.set_yscale("symlog", linthresh=10.0**first)
        ticks = [0.0]
        for side, end in ((-1, -float(net[0])), (1, float(net[-1]))):
            ticks += [side * 10.0**k for k in range(first, int(np.ceil(np.log10(max(end, 1)))) + 1)]
        ax.set_yticks(sorted(ticks))  # 0 and ±10^k past the linear part, no crowding at 0
    down = float(np.mean(net < 0) * 100) if net.size else 0.0
    ax.set_xlim(0, 100)
    ax.set_xlabel(_t(lang, "members, worst first, %", "会员（由亏到赚），%"))
    ax.set_ylabel(_t(lang, "net result, yuan", "净收益，元"))
    ax.set_title(
        _t(lang, f"Members' net results: {down:.0f}% are down", f"会员净收益：{down:.0f}% 亏损"),
        fontsize=10,
    )
    ax.spines[["top", "right"]].set_visible(False)
    return _finish(figure, lang)


def lorenz_chart(run: SimulationResult, lang: Lang = "en", ax: Axes | None = None) -> Figure:
    """The Lorenz curve of members' earnings against the line of equal shares."""
    from bizmodels._stats import gini  # exact; the plans' summary reads it the same way

    lang = _lang(lang)
    figure, ax = _canvas((4.8, 4.4), ax)
    earned = np.sort(run.ledger.earned)
    total = float(earned.sum())
    share = np.concatenate([[0.0], np.cumsum(earned)]) / total if total else None
    people = np.linspace(0, 100, earned.size + 1)
    if share is not None:
        pick = np.unique(np.linspace(0, earned.size, min(earned.size + 1, 1001)).astype(int))
        ax.plot(people[pick], share[pick] * 100, color=_RED, label=_t(lang, "earnings", "收入"))
    ax.plot([0, 100], [0, 100], color=_GREY, lw=0.8, ls="--", label=_t(lang, "equal", "平均"))
    g = gini(earned)
    suffix = "" if g is None else f" (Gini {float(g):.3f})"
    ax.set(xlim=(0, 100), ylim=(0, 100))
    ax.set_xlabel(_t(lang, "members, least earning first, %", "会员（收入由低到高），%"))
    ax.set_ylabel(_t(lang, "share of all earnings, %", "占全部收入，%"))
    ax.set_title(_t(lang, "Lorenz curve of earnings", "收入洛伦兹曲线") + suffix, fontsize=10)
    ax.legend(loc="upper left", frameon=False, fontsize=8)
    return _finish(figure, lang)


_DAILY = {
    "members": ("members", "会员数", False),
    "received": ("received, yuan", "收款，元", True),
    "payouts": ("paid to members, yuan", "支付会员，元", True),
    "retained": ("kept by the platform, yuan", "平台留存，元", True),
    "help_fund": ("help fund, yuan", "帮扶基金，元", True),
}


def daily_chart(
    run: SimulationResult,
    columns: Sequence[str] = ("retained", "help_fund"),
    lang: Lang = "en",
    ax: Axes | None = None,
) -> Figure:
    """Series of ``run.daily`` over the days (money in yuan; ``columns`` from `_DAILY`)."""
    lang = _lang(lang)
    if isinstance(columns, str) or not columns:
        raise ValueError(f"columns = {columns!r}: must be a non-empty list of {list(_DAILY)}")
    unknown = [c for c in columns if c not in _DAILY]
    if unknown:
        raise ValueError(f"columns = {list(columns)!r}: {unknown} not in {list(_DAILY)}")
    figure, ax = _canvas((7.5, 3.4), ax)
    daily = run.daily
    money = [c for c in columns if _DAILY[c][2]]
    counts = [c for c in columns if not _DAILY[c][2]]
    largest = max([float(np.max(np.abs(getattr(daily, c)), initial=0)) / 100 for c in money] + [0])
    divisor, unit, _ = _scale(largest, lang)
    # money on the left axis; counts on their own axis (right) when both are asked for
    count_ax = ax.twinx() if money and counts else ax
    lines = []
    for i, column in enumerate(columns):
        en, zh, is_money = _DAILY[column]
        values = getattr(daily, column) / (100 * divisor if is_money else 1)
        name = _t(lang, en, zh).split(",")[0].split("，")[0]
        target = ax if is_money else count_ax
        lines += target.plot(daily.day, values, lw=1.3, color=f"C{i}", label=name)
    if money:
        ax.set_ylabel(unit)
    if counts:
        count_ax.set_ylabel(_t(lang, "members", "人数"))
    ax.set_xlabel(_t(lang, "day", "天"))
    ax.set_title(_t(lang, "The run over time", "逐日变化"), fontsize=10)
    ax.legend(lines, [str(line.get_label()) for line in lines], frameon=False, fontsize=8)
    ax.spines[["top"]].set_visible(False)
    if count_ax is ax:
        ax.spines[["right"]].set_visible(False)
    return _finish(figure, lang)


# -- cash flows and risk -------------------------------------------------------------------


def cash_flow_chart(flows: CashFlows, ax: Axes | None = None, lang: Lang = "en") -> Figure:
    """Net cash per month (bars) and cumulative cash (line), the payback month marked.

    Examples
    --------
    >>> import bizmodels as bm
    >>> figure = cash_flow_chart(bm.get_model("toc_membership").cash_flows(setup=300_000))
    >>> figure.axes[0].get_title()
    'toc_membership: cash flows'
    """
    lang = _lang(lang)
    figure, ax = _canvas((7.0, 3.6), ax)
    months = np.arange(flows.months)
    net, cumulative = flows.net, flows.cumulative
    ax.bar(months, net / 1e3, color=np.where(net >= 0, _GREEN, _RED), label=_t(lang, "net", "净额"))
    ax.plot(
        months,
        cumulative / 1e3,
        color=_BLUE,
        marker="o",
        ms=3,
        label=_t(lang, "cumulative", "累计"),
    )
    ax.axhline(0, color="grey", lw=0.8)
    payback = payback_period(net)
    if payback:  # None never pays back; 0 never needed to
        ax.axvline(float(payback), color=_BLUE, ls="--", lw=1)
        ax.annotate(
            _t(lang, f"payback: {float(payback):.1f} months", f"回本：{float(payback):.1f} 个月"),
            (float(payback), 0),
            xytext=(4, 8),
            textcoords="offset points",
            fontsize=8,
        )
    ax.set_xlabel(_t(lang, "month", "月"))
    ax.set_ylabel(_t(lang, "thousand yuan", "千元"))
    ax.set_title(f"{flows.model}: " + _t(lang, "cash flows", "现金流"))
    ax.legend(fontsize=8, loc="best")
    return _finish(figure, lang)


def tornado_chart(result: Tornado, ax: Axes | None = None, lang: Lang = "en") -> Figure:
    """Horizontal bars: the target at each field's low and high value around the base."""
    lang = _lang(lang)
    bars = list(result.bars)[::-1]
    figure, ax = _canvas((7.0, 0.3 * len(bars) + 1.2), ax)
    y = np.arange(len(bars))
    base = result.base / 1e3
    # a side whose scenario fails a model check has no value (None): no bar is drawn for it
    low = np.array([0.0 if b.target_low is None else b.target_low / 1e3 - base for b in bars])
    high = np.array([0.0 if b.target_high is None else b.target_high / 1e3 - base for b in bars])
    field = _t(lang, "field", "参数")
    ax.barh(y, low, left=base, color=_RED, label=f"{field} −{result.change:.0%}")
    ax.barh(y, high, left=base, color=_GREEN, label=f"{field} +{result.change:.0%}")
    ax.axvline(base, color="grey", lw=0.8)
    ax.set_yticks(y, [b.field for b in bars], fontsize=8)
    target = result.target.replace("_", " ")
    ax.set_xlabel(_t(lang, f"{target}, thousand yuan", f"{result.target}，千元"))
    ax.set_title(f"{result.model}: " + _t(lang, "which assumption matters", "哪个假设要紧"))
    ax.legend(fontsize=8, loc="lower right")
    return _finish(figure, lang)


def histogram_chart(
    result: MonteCarloResult,
    models: list[str] | None = None,
    ax: Axes | None = None,
    bins: int = 60,
    lang: Lang = "en",
) -> Figure:
    """Distribution of the target across samples for some models, loss marked at zero."""
    lang = _lang(lang)
    figure, ax = _canvas((7.0, 3.6), ax)
    chosen = models or list(result.models)[:3]
    for label in chosen:
        row = result.values[list(result.models).index(label)]
        row = row[~np.isnan(row)]
        ax.hist(row / 1e3, bins=bins, alpha=0.5, label=label)
    ax.axvline(0, color="black", lw=1)
    target = result.target.replace("_", " ")
    ax.set_xlabel(_t(lang, f"{target}, thousand yuan", f"{result.target}，千元"))
    ax.set_ylabel(_t(lang, "samples", "样本数"))
    ax.set_title(_t(lang, "Monte Carlo: distribution across samples", "蒙特卡洛：各样本的分布"))
    ax.legend(fontsize=8)
    return _finish(figure, lang)


profit_distribution_chart = histogram_chart
"""The profit distribution of a Monte Carlo run (the same chart as `histogram_chart`)."""


def to_svg(figure: Any) -> str:
    """The figure as an inline SVG string (for markdown-exec pages).

    A figure made through pyplot is closed afterwards (removed from pyplot's list); pyplot
    is never imported for it.
    """
    figure = getattr(figure, "figure", figure)  # an Axes gives its figure
    buffer = io.StringIO()
    if figure.get_layout_engine() is None:
        figure.tight_layout()
    figure.savefig(buffer, format="svg")
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close(figure)
    text = buffer.getvalue()
    return text[text.index("<svg") :]


__all__ = [
    "CJK_FONTS",
    "NO_CJK_FONT",
    "bridge_bars",
    "cash_flow_chart",
    "cjk_font",
    "comparison_chart",
    "daily_chart",
    "histogram_chart",
    "lorenz_chart",
    "net_result_chart",
    "profit_distribution_chart",
    "to_svg",
    "tornado_chart",
    "waterfall_chart",
]
