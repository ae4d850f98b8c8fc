"""Charts build Figures of their own: the user's backend and pyplot state stay as they were."""

from __future__ import annotations

import warnings
from decimal import Decimal

import pytest

matplotlib = pytest.importorskip("matplotlib")

import bizmodels as bm  # noqa: E402
from bizmodels import plotting  # noqa: E402
from bizmodels.plans import liandong_699, simulate  # noqa: E402
from bizmodels.waterfall import Line, Subtotal, Waterfall  # noqa: E402

# a small network: R recruits A, B, C; A recruits D and E (slid to R), then D repurchases
EVENTS = [
    ("R", None, 0),
    ("A", "R", 1),
    ("B", "R", 1),
    ("C", "R", 2),
    ("D", "A", 3),
    ("E", "A", 3),
    ("F", "A", 4),
]


@pytest.fixture(scope="module")
def run():
    return simulate(liandong_699(), EVENTS)


def _charts(run):
    """Every chart, each as a thunk (built lazily, inside the state check)."""
    order = liandong_699().order_waterfall()
    model = bm.get_model("toc_membership")
    tornado_result = bm.risk.tornado(model, fields=["price", "unit_cost"], change=0.1)
    mc = bm.monte_carlo(
        ["toc_membership"], {"price": bm.risk.Uniform(low=80, high=120)}, samples=200, seed=1
    )
    return {
        "waterfall.plot": lambda: order.plot(),
        "waterfall.plot zh": lambda: order.plot(lang="zh"),
        "model waterfall": lambda: model.waterfall().plot(),
        "comparison": lambda: plotting.comparison_chart(bm.compare()),
        "net results": lambda: plotting.net_result_chart(run),
        "lorenz": lambda: plotting.lorenz_chart(run),
        "daily": lambda: plotting.daily_chart(run, ["members", "payouts"]),
        "cash flows": lambda: plotting.cash_flow_chart(model.cash_flows(setup=300_000)),
        "tornado": lambda: plotting.tornado_chart(tornado_result),
        "profit distribution": lambda: plotting.profit_distribution_chart(mc),
        "histogram": lambda: plotting.histogram_chart(mc),
    }


def test_no_chart_touches_the_backend_or_pyplot(run):
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    # the user's own state: a backend, an open pyplot figure, and rcParams they set
    plt.switch_backend("svg")  # not the Agg a chart would force, so a switch would show
    own = plt.figure()
    backend = matplotlib.get_backend()
    rc_family = list(matplotlib.rcParams["font.family"])
    rc_sans = list(matplotlib.rcParams["font.sans-serif"])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # no CJK font here: tested below
            for name, chart in _charts(run).items():
                figure = chart()
                assert isinstance(figure, Figure), name
                assert matplotlib.get_backend() == backend, name
                assert plt.get_fignums() == [own.number], name
                assert plt.gcf() is own, name
                assert list(matplotlib.rcParams["font.family"]) == rc_family, name
                assert list(matplotlib.rcParams["font.sans-serif"]) == rc_sans, name
                svg = plotting.to_svg(figure)
                assert svg.startswith("<svg"), name
                assert plt.get_fignums() == [own.number], name
    finally:
        plt.close(own)


def test_a_chart_draws_on_the_axes_it_is_given():
    from matplotlib.figure import Figure

    figure = Figure()
    left, right = figure.subplots(1, 2)
    assert liandong_699().order_waterfall().plot(ax=right) is figure
    assert len(right.patches) == 10 and not left.patches  # 7 bars to 289, then VAT, fee, end


def test_the_289_bridge_has_the_hand_computed_bars():
    # 699 − 200 − 100 − 50 − 30 − 30 = 289 (seed 001): each deduction floats from the
    # running amount before it, downwards; start and end stand on zero
    expected = [
        (0, 699),  # package price
        (699, -200),  # direct: 699 → 499
        (499, -100),  # see-point: 499 → 399
        (399, -50),  # differential: 399 → 349
        (349, -30),  # peer: 349 → 319
        (319, -30),  # pools: 319 → 289
        (0, 289),  # kept by the platform (a subtotal)
        (289, -80.42),  # VAT: 699 × 0.13 / 1.13 = 80.4159… → 80.42; 289 → 208.58
        (208.58, -4.19),  # payment fee: 0.6% × 699 = 4.194 → 4.19; 208.58 → 204.39
        (0, 204.39),  # left after VAT and fees
    ]
    figure = liandong_699().order_waterfall().plot()
    bars = [(round(p.get_y(), 9), round(p.get_height(), 9)) for p in figure.axes[0].patches]
    assert bars == expected
    assert [kind for kind, _, _ in plotting.bridge_bars(liandong_699().order_waterfall())] == [
        "start",
        *["deduction"] * 5,
        "subtotal",
        "deduction",
        "deduction",
        "end",
    ]
    texts = [t.get_text() for t in figure.axes[0].texts]
    assert texts == [
        "699.00",
        "−200.00",
        "−100.00",
        "−50.00",
        "−30.00",
        "−30.00",
        "289.00",
        "−80.42",
        "−4.19",
        "204.39",
    ]
    labels = [t.get_text() for t in figure.axes[0].get_xticklabels()]
    assert labels[0] == "Package price" and labels[6] == "Kept by the platform"
    assert labels[-1] == "Left after VAT and fees"


def test_subtotals_stand_on_zero_and_a_negative_deduction_rises():
    wf = Waterfall.build(
        Line("price", "售价", "Price", 100),
        [
            Line("goods", "商品成本", "Goods", 40),
            Subtotal("gross", "毛利", "Gross"),
            Line("rebate", "返利", "Rebate received", Decimal("-10")),  # adds 10
            Line("fees", "费用", "Fees", 90),
        ],
        Subtotal("profit", "利润", "Profit"),
    )
    # 100 − 40 = 60 (subtotal from zero); 60 + 10 = 70; 70 − 90 = −20 (end below zero)
    bars = plotting.bridge_bars(wf)
    assert [(b, h) for _, b, h in bars] == [
        (0, 100),
        (100, -40),
        (0, 60),
        (60, 10),
        (70, -90),
        (0, -20),
    ]
    figure = wf.plot()
    drawn = [(round(p.get_y(), 9), round(p.get_height(), 9)) for p in figure.axes[0].patches]
    assert drawn == [(b, h) for _, b, h in bars]
    assert [t.get_text() for t in figure.axes[0].texts] == [
        "100.00",
        "−40.00",
        "60.00",
        "10.00",
        "−90.00",
        "−20.00",
    ]


def test_zh_labels_are_the_chinese_ones():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        figure = liandong_699().order_waterfall().plot(lang="zh")
    labels = [t.get_text() for t in figure.axes[0].get_xticklabels()]
    assert labels[:7] == ["礼包价", "直推奖", "见点奖", "极差", "平级奖", "分红池", "平台留存"]
    assert labels[7:9] == ["增值税", "支付手续费"]
    assert figure.axes[0].get_ylabel() == "元"


def test_zh_labels_use_a_cjk_font_when_one_is_installed():
    family = plotting._find_cjk_font()
    if family is None:
        pytest.skip("no CJK font installed (apt-get install fonts-noto-cjk)")
    from matplotlib.font_manager import findfont, fontManager, get_font

    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)  # a font is there: no warning
        figure = liandong_699().order_waterfall().plot(lang="zh")
    texts = [*figure.axes[0].get_xticklabels(), figure.axes[0].yaxis.label]
    for text in texts:
        font = text.get_fontproperties()
        assert font.get_family() == [family], text.get_text()
        file = findfont(font, fallback_to_default=False)
        # matplotlib 3.11 names a face of a .ttc by (path, face_index); older ones by path
        where = (str(getattr(file, "path", file)), int(getattr(file, "face_index", 0)))
        faces = {(f.fname, getattr(f, "index", 0)) for f in fontManager.ttflist}
        assert where in faces
        face = get_font(file)
        assert face.family_name == family
        assert all(face.get_char_index(ord(ch)) for ch in text.get_text())  # no box
    # the global defaults are untouched: English charts keep the default font
    import matplotlib

    assert family not in matplotlib.rcParams["font.sans-serif"][:1]
    plotting.to_svg(figure)  # draws


def test_a_missing_cjk_font_warns_once(monkeypatch):
    monkeypatch.setattr(plotting, "_find_cjk_font", lambda: None)
    monkeypatch.setattr(plotting, "_warned_no_cjk", False)
    order = liandong_699().order_waterfall()
    with pytest.warns(UserWarning, match="no CJK font found; Chinese labels will show as boxes"):
        order.plot(lang="zh")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the second chart: no second warning
        order.plot(lang="zh")
        order.plot(lang="en")


def test_english_charts_never_warn_about_fonts(monkeypatch):
    monkeypatch.setattr(plotting, "_find_cjk_font", lambda: None)
    monkeypatch.setattr(plotting, "_warned_no_cjk", False)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        liandong_699().order_waterfall().plot(lang="en")


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="lang = 'fr': must be 'en' or 'zh'"):
        liandong_699().order_waterfall().plot(lang="fr")  # type: ignore[arg-type]


def test_comparison_chart_bars_are_operating_profit_best_on_top():
    comparison = bm.compare()
    figure = plotting.comparison_chart(comparison)
    ax = figure.axes[0]
    widths = [p.get_width() for p in ax.patches]
    # best is drawn last (on top); thousands of yuan, as the axis says
    best = comparison.rows[0]
    assert widths[-1] == pytest.approx(float(best["operating_profit"]) / 1e3)
    assert [t.get_text() for t in ax.get_yticklabels()][-1] == best["model"]
    margin = float(best["operating_margin"]) * 100
    assert ax.texts[-1].get_text().endswith(f"({margin:.1f}%)")
    assert "thousand yuan" in ax.get_xlabel()


def test_simulation_charts_show_the_run(run):
    net = run.ledger.yuan("net")
    figure = plotting.net_result_chart(run)
    down = round(float((net < 0).mean() * 100))
    assert figure.axes[0].get_title() == f"Members' net results: {down}% are down"

    figure = plotting.lorenz_chart(run)
    curve = figure.axes[0].lines[0]
    x, y = curve.get_xdata(), curve.get_ydata()
    assert (x[0], y[0]) == (0, 0) and x[-1] == 100 and y[-1] == pytest.approx(100)

    figure = plotting.daily_chart(run, ["members"])
    line = figure.axes[0].lines[0]
    assert list(line.get_xdata()) == [0, 1, 2, 3, 4]
    assert list(line.get_ydata()) == [1, 3, 4, 6, 7]  # members at each day's end, by hand


def test_daily_chart_refuses_an_unknown_column(run):
    with pytest.raises(ValueError, match=r"columns = \['joinz'\]"):
        plotting.daily_chart(run, ["joinz"])
    with pytest.raises(ValueError, match="columns = 'members'"):
        plotting.daily_chart(run, "members")  # type: ignore[arg-type]


def test_every_model_page_embeds_its_bridge_chart():
    import re

    from bizmodels._report import model_markdown

    for slug in bm.MODELS:
        page = model_markdown(slug)
        found = re.findall(r'<div class="bridge-chart".*?</div>', page, re.S)
        assert len(found) == 1, slug
        block = found[0]
        assert "<svg" in block and block.count("</svg>") == 1, slug
        assert "\n\n" not in block, slug  # a blank line would end markdown's raw HTML block
        assert 'width="100%"' in block, slug  # scales with the page


def test_a_chart_shows_itself_in_a_notebook_without_pyplot():
    formatters = pytest.importorskip("IPython.core.formatters")
    figure = liandong_699().order_waterfall().plot()
    png = formatters.PNGFormatter()(figure)  # what IPython displays, no backend set up
    assert png is not None and png.startswith(b"\x89PNG\r\n\x1a\n")
    assert formatters.PlainTextFormatter()(figure).startswith("<")  # the text form remains


def test_daily_chart_puts_counts_on_their_own_axis(run):
    figure = plotting.daily_chart(run, ["payouts", "members"])
    money_ax, count_ax = figure.axes
    assert money_ax.get_ylabel() == "yuan" and count_ax.get_ylabel() == "members"
    # fen to yuan, the division the chart makes (a small run: no thousands)
    assert list(money_ax.lines[0].get_ydata()) == list(run.daily.payouts / 100)
    assert list(count_ax.lines[0].get_ydata()) == [1, 3, 4, 6, 7]


def test_charts_never_import_pyplot():
    import subprocess
    import sys

    code = (
        "import sys, warnings\n"
        "warnings.simplefilter('ignore', UserWarning)\n"
        "import bizmodels as bm\n"
        "from bizmodels import plotting\n"
        "order = bm.plans.liandong_699().order_waterfall()\n"
        "plotting.to_svg(order.plot()); plotting.to_svg(order.plot(lang='zh'))\n"
        "plotting.comparison_chart(bm.compare())._repr_png_()\n"
        "assert 'matplotlib.pyplot' not in sys.modules, 'pyplot imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_the_simplified_chinese_face_is_preferred(monkeypatch):
    from types import SimpleNamespace

    from matplotlib import font_manager

    # fonts-noto-cjk: one .ttc, its faces listed one by one, JP first
    faces = ["DejaVu Sans", "Noto Sans CJK JP", "Noto Sans CJK KR", "Noto Sans CJK SC"]
    listed = [SimpleNamespace(name=n, fname=f"/fonts/{n}.ttc") for n in faces]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", listed)
    plotting._find_cjk_font.cache_clear()
    try:
        assert plotting._find_cjk_font() == "Noto Sans CJK SC"
        listed.pop()  # an older matplotlib lists a .ttc's first face only: that one serves
        plotting._find_cjk_font.cache_clear()
        assert plotting._find_cjk_font() == "Noto Sans CJK JP"
        listed[1:] = []
        plotting._find_cjk_font.cache_clear()
        assert plotting._find_cjk_font() is None
    finally:
        monkeypatch.undo()
        plotting._find_cjk_font.cache_clear()


def test_in_a_notebook_the_chart_and_the_users_next_plot_both_show():
    # the report, replayed in a real kernel: a chart, then the user's own plt.plot
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    cell = nbformat.v4.new_code_cell
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        cell("import matplotlib\nbackend = matplotlib.get_backend()"),
        cell("import bizmodels as bm\nbm.plans.liandong_699().order_waterfall().plot()"),
        cell("import matplotlib.pyplot as plt\nplt.plot([1, 2, 3]);"),
        cell("print(matplotlib.get_backend() == backend, 'inline' in backend)"),
    ]
    nbclient.NotebookClient(nb, timeout=120, kernel_name="python3").execute()

    def images(i):
        return [o for o in nb.cells[i].outputs if "image/png" in o.get("data", {})]

    assert len(images(1)) == 1  # the bridge chart, inline
    assert len(images(2)) == 1  # and the user's own plot after it
    assert nb.cells[3].outputs[0]["text"].strip() == "True True"


def test_chinese_in_an_english_chart_gets_the_font_too():
    family = plotting._find_cjk_font()
    if family is None:
        pytest.skip("no CJK font installed (apt-get install fonts-noto-cjk)")
    wf = Waterfall.build(
        Line("price", "售价", "售价", 100),
        [Line("goods", "商品", "Goods", 40)],
        Subtotal("margin", "毛利", "Margin"),
    )
    ax = wf.plot(lang="en").axes[0]
    first, second, _ = ax.get_xticklabels()
    assert first.get_text() == "售价" and first.get_fontproperties().get_family() == [family]
    assert second.get_fontproperties().get_family() != [family]  # Latin: the default font
