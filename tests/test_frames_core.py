"""to_pandas() and _repr_html_ of the core results (issue 13): values worked out by hand."""

from decimal import Decimal

import pytest

pd = pytest.importorskip("pandas")

from bizmodels import Line, Subtotal, Waterfall, _frames, _html, plans  # noqa: E402

# -- the leaves -----------------------------------------------------------------------------


def test_money_units():
    amounts = [Decimal("699.00"), Decimal("-0.05"), None]
    assert _frames.yuan_column(amounts).dtype == "float64"
    fen = _frames.yuan_column(amounts, "fen")
    assert str(fen.dtype) == "Int64" and fen[0] == 69900 and fen[1] == -5 and fen[2] is pd.NA
    assert _frames.yuan_column(amounts[:2], "fen").dtype == "int64"
    assert _frames.yuan_column(amounts, "decimal") == amounts
    assert _frames.fen_column([69900, -5], "yuan").tolist() == [699.0, -0.05]
    with pytest.raises(ValueError, match=r"money = 'cents': must be 'yuan', 'fen' or 'decimal'"):
        _frames.check_money("cents")
    # a rate of 0.005 yuan is half a fen: refused in fen rather than rounded
    with pytest.raises(ValueError, match="not a whole number of fen"):
        _frames.yuan_column([Decimal("0.005")], "fen")


def test_categorical_labels():
    c = _frames.categorical(["V1", "V0"], ["V0", "V1", "V2"])
    assert list(c.categories) == ["V0", "V1", "V2"] and c.max() == "V1"
    with pytest.raises(ValueError, match="V9"):
        _frames.categorical(["V9"], ["V0"])


def test_html_table_right_aligned_bold_escaped_and_cut():
    rows = [[f"<b>{i}</b>", f"-{i}.00"] for i in range(1, 26)]
    out = _html.table(["a&b", "amount"], rows, numeric={1}, subtotals={0}, more="to_table()")
    assert "text-align:right" in out
    assert out.count('class="num neg"') == 20  # 20 rows shown, each negative
    assert "−1.00" in out and "-1.00" not in out
    assert '<tr class="subtotal" style="font-weight:bold">' in out
    assert "<b>" not in out and "&lt;b&gt;1&lt;/b&gt;" in out and "a&amp;b" in out
    assert "… 5 more rows (all of them: to_table())" in out
    zh = _html.table(["x"], [["1"]] * 21, lang="zh", max_rows=20)
    assert "… 还有 1 行" in zh


# -- waterfall ------------------------------------------------------------------------------


def test_289_waterfall_frame_sums_to_the_end():
    wf = plans.liandong_699().order_waterfall()
    df = wf.to_pandas()
    assert df["amount"].dtype == "float64" and df["share"].dtype == "float64"
    steps = df[df["kind"].isin(["start", "deduction"])]
    # 699 − 200 − 100 − 50 − 30 − 30 = 289 kept, then VAT 80.42 (699 × 0.13 / 1.13) and
    # the payment fee 4.19 (0.6% of 699): 289 − 80.42 − 4.19 = 204.39
    amounts = [699.0, -200.0, -100.0, -50.0, -30.0, -30.0, -80.42, -4.19]
    assert steps["amount"].tolist() == amounts
    assert round(steps["amount"].sum(), 2) == 204.39
    assert df["amount"].iloc[-1] == 204.39 and df["kind"].iloc[-1] == "end"
    assert df.loc[df["key"] == "platform_kept", "amount"].tolist() == [289.0]
    assert list(df["kind"].cat.categories) == ["start", "deduction", "subtotal", "end"]
    assert all(str(dtype) != "object" for dtype in df.dtypes)
    assert list(df.select_dtypes("number").columns) == ["amount", "share"]
    fen = wf.to_pandas(money="fen")
    assert fen["amount_fen"].dtype == "int64"
    assert fen.loc[fen["kind"].isin(["start", "deduction"]), "amount_fen"].sum() == 20439
    exact = wf.to_pandas(money="decimal")
    assert sum(exact.loc[exact["kind"].isin(["start", "deduction"]), "amount"]) == Decimal("204.39")


def test_waterfall_frame_with_subtotals_and_fen_rounding():
    wf = Waterfall.build(
        Line("price", "售价", "Price", 100),
        [
            Line("commission", "佣金", "Commission", Decimal("30.004")),
            Subtotal("after_commission", "扣佣后", "After commission"),
            Line("goods", "商品成本", "Goods", Decimal("12.125")),
        ],
        Subtotal("margin", "毛利", "Margin"),
    )
    df = wf.to_pandas(money="fen")
    # 10000 − 3000 − 1213 = 5787 fen; the subtotal 7000 is its own kind, not in the sum
    assert df["amount_fen"].tolist() == [10000, -3000, 7000, -1213, 5787]
    assert df.loc[df["kind"].isin(["start", "deduction"]), "amount_fen"].sum() == 5787
    assert df["share"].tolist() == [1.0, -0.3, 0.7, -0.1213, 0.5787]


def test_waterfall_html():
    wf = plans.liandong_699().order_waterfall()
    out = wf._repr_html_()
    assert "text-align:right" in out and "−200.00" in out and 'class="num neg"' in out
    # the end row (289.00) is bold
    end = next(line for line in out.splitlines() if "289.00" in line and "<tr" in line)
    assert "font-weight:bold" in end
    zh = wf.to_html(lang="zh")
    assert "金额（元）" in zh and "平台留存" in zh
    odd = Waterfall.build(
        Line("p", "价", "<script>", 1), [], Subtotal("e", "余", "End & more"), title="a<b"
    )
    text = odd._repr_html_()
    assert "<script>" not in text and "&lt;script&gt;" in text and "End &amp; more" in text
    assert "a&lt;b" in text


# -- comparison -----------------------------------------------------------------------------


def test_comparison_frame_reads_each_models_waterfall():
    import bizmodels as bm
    from bizmodels._resolve import resolve

    table = bm.compare()
    df = table.to_pandas()
    assert len(df) == len(table) and df["rank"].tolist() == list(range(1, len(table) + 1))
    for slug, profit in zip(df["model"], df["operating_profit"], strict=True):
        assert profit == float(resolve(slug).waterfall()["operating_profit"].amount)
    # ranked by operating profit, largest first
    assert df["operating_profit"].is_monotonic_decreasing
    money_columns = ["gmv", "net_revenue", "contribution_margin", "operating_profit", "ltv", "cac"]
    assert all(df[c].dtype == "float64" for c in money_columns)
    assert all(str(dtype) != "object" for dtype in df.dtypes)
    assert list(df["risk_level"].cat.categories) == ["low", "warning", "high"]
    fen = table.to_pandas(money="fen")
    first = resolve(fen["model"][0]).waterfall()
    assert fen["operating_profit_fen"][0] == int(first["operating_profit"].amount * 100)
    exact = table.to_pandas(money="decimal")
    assert exact["operating_profit"][0] == first["operating_profit"].amount


def test_comparison_frame_shares_by_hand():
    import bizmodels as bm

    row = bm.compare(["toc_membership"]).to_pandas().iloc[0]
    wf = bm.compare(["toc_membership"])["toc_membership"]
    # operating margin = operating profit / net revenue
    assert abs(row["operating_margin"] - float(wf["operating_profit"] / wf["net_revenue"])) < 1e-4


def test_comparison_html_brief_columns():
    import bizmodels as bm

    out = bm.compare()._repr_html_()
    assert "Operating profit" in out and "Ranked by Operating profit" in out
    assert "Channel / GMV" not in out  # a brief table by default
    assert "Channel / GMV" in bm.compare().to_html(wide=True)
    header = out.split("</thead>")[0]
    assert header.count("<th ") == 9  # '#' and the eight brief columns
    assert "text-align:right" in out
    assert "营业利润" in bm.compare().to_html(lang="zh")


# -- sweep ----------------------------------------------------------------------------------


def test_sweep_frame_steps_sum_to_the_end():
    import numpy as np

    import bizmodels as bm

    model = bm.get_model("toc_membership")
    rates = np.array([0.3, float(model.member_conversion), 0.6])
    result = bm.sweep(model, member_conversion=rates)
    df = result.to_pandas()
    assert df["member_conversion"].tolist() == rates.tolist()
    steps = [k for k in result if result.kinds[k] in ("start", "deduction")]
    assert np.allclose(df[steps].sum(axis=1), df["operating_profit"], rtol=0, atol=1e-6)
    # the middle scenario is the model itself: each step within a fen of its waterfall
    wf = model.waterfall().to_pandas().set_index("key")["amount"]
    for key in result:
        assert abs(df[key].iloc[1] - wf[key]) <= 0.01 * len(steps)
    assert all(df[c].dtype == "float64" for c in df.columns)
    fen = result.to_pandas(money="fen")
    assert np.allclose(fen["operating_profit_fen"], df["operating_profit"] * 100)
    exact = result.to_pandas(money="decimal")
    assert exact["gmv"][0] == Decimal(str(round(df["gmv"][0], 2)))
    html = result._repr_html_()
    assert "font-weight:bold" in html and "Operating profit" in html and "−" in html
    assert "3 scenarios (member_conversion)" in html


# -- cash flows -----------------------------------------------------------------------------


def test_cash_flow_frame_lines_add_up():
    import bizmodels as bm

    model = bm.get_model("toc_membership")
    flows = model.cash_flows()
    df = flows.to_pandas()
    assert df.index.name == "month" and len(df) == flows.months
    lines = df.drop(columns=["net", "cumulative"])
    assert all(dtype == "float64" for dtype in df.dtypes)
    fen = flows.to_pandas(money="fen")
    assert all(dtype == "int64" for dtype in fen.dtypes)
    assert (fen.drop(columns=["net_fen", "cumulative_fen"]).sum(axis=1) == fen["net_fen"]).all()
    # the horizon holds every lag: each line sums to its waterfall line, cash out negative
    wf = model.waterfall()
    assert fen["cogs_fen"].sum() == -int(wf["cogs"].amount * 100)
    assert fen["net_fen"].sum() == int(wf.end * 100) == fen["cumulative_fen"].iloc[-1]
    assert round(lines.sum().sum(), 2) == float(wf.end)
    html = flows._repr_html_()
    assert flows.months == 13 and "more rows" not in html and "text-align:right" in html
    long = model.cash_flows(months=60)._repr_html_()
    assert "… 40 more rows (all of them: to_table())" in long


# -- risk -----------------------------------------------------------------------------------


def test_monte_carlo_frames_and_html():
    import numpy as np

    from bizmodels.risk import Uniform, monte_carlo

    run = monte_carlo(
        ["toc_membership", "omnichannel"],
        {"price": Uniform(low=150, high=250)},
        samples=400,
        seed=3,
    )
    df = run.to_pandas()
    assert set(df["model"]) == {"toc_membership", "omnichannel"}
    assert all(df[c].dtype == "float64" for c in ("mean", "p5", "p50", "p95", "p_loss", "p_win"))
    for _, row in df.iterrows():
        i = run.models.index(row["model"])
        assert row["mean"] == np.nanmean(run.values[i])
    # the rank shares of a model add up to one; each rank is shared out among the models
    assert np.allclose(df[["rank_1", "rank_2"]].sum(axis=1), 1)
    assert np.allclose(df[["rank_1", "rank_2"]].sum(axis=0), 1)
    every = run.to_pandas(samples=True)
    assert every.index.name == "sample" and list(every.columns) == list(run.models)
    assert np.array_equal(every.to_numpy().T, run.values, equal_nan=True)
    assert np.allclose(run.to_pandas(money="fen")["mean_fen"], df["mean"] * 100)
    html = run._repr_html_()
    assert "400 samples, seed 3" in html and "text-align:right" in html


def test_tornado_two_way_scenarios_frames():
    import numpy as np

    from bizmodels.risk import scenario_sets, tornado, two_way

    model = bm_model("toc_membership")
    gmv = float(model.waterfall()["gmv"].amount)
    t = tornado(model, ["customers", "fixed_per_period"], target="gmv")
    df = t.to_pandas()
    # customers ±10% moves GMV by 20% of it; fixed costs not at all
    assert df["field"].tolist() == ["customers", "fixed_per_period"]
    assert abs(df["swing"][0] - 0.2 * gmv) < 1e-6 * gmv and df["swing"][1] == 0
    assert df["low"].dtype == "float64" and "Target at low" in t._repr_html_()

    table = two_way(bm_model("omnichannel"), "price", [50, 199], "unit_cost", [60, 100])
    frame = table.to_pandas()
    assert frame.index.name == "price" and frame.columns.name == "unit_cost"
    assert frame.loc[50].isna().all() and np.array_equal(frame.loc[199], table.values[1])
    assert "n/a" in table._repr_html_()

    summary = scenario_sets({"base": {}, "broken": {"unit_cost": 250}}, ["omnichannel"])
    s = summary.to_pandas(money="fen")
    assert str(s["broken"].dtype) == "Int64" and s["broken"].isna().all()
    assert s.loc["omnichannel", "base"] == int(bm_model("omnichannel").waterfall().end * 100)
    assert "by scenario" in summary._repr_html_()


def test_break_even_frame():
    from bizmodels.risk import break_even

    model = bm_model("toc_membership")
    answer = break_even(model, "fixed_per_period")
    df = answer.to_pandas()
    assert len(df) == 1 and bool(df["found"][0]) is answer.found
    assert df["value"][0] == float(answer.value)
    assert df["reached"][0] == float(answer.reached) == df["residual"][0]  # the goal is 0
    assert df["goal"][0] == 0.0 and str(df["found"].dtype) == "bool"
    assert answer.message in answer._repr_html_().replace("&#x27;", "'")


def test_sobol_frame():
    pytest.importorskip("SALib")
    from bizmodels.risk import sobol

    ranges = {"fixed_per_period": (10_000, 30_000), "customers": (5_000, 15_000)}
    result = sobol(bm_model("toc_membership"), ranges, target="gmv", samples=256)
    df = result.to_pandas()
    # GMV does not depend on fixed costs at all
    assert df["field"].tolist() == ["customers", "fixed_per_period"]
    assert abs(df["total"][1]) < 1e-9 and df["low"][0] == 5_000
    assert "Total order" in result._repr_html_()


def bm_model(slug):
    import bizmodels as bm

    return bm.get_model(slug)


def test_every_models_waterfall_sums_to_its_operating_profit():
    # the defect: positive deductions summed to 6,886,025.17 for a profit of 300,532.43
    from bizmodels.models import MODELS

    for slug in MODELS:
        wf = bm_model(slug).waterfall()
        df = wf.to_pandas(money="fen")
        steps = df.loc[df["kind"].isin(["start", "deduction"]), "amount_fen"]
        assert int(steps.sum()) == int(wf["operating_profit"].amount * 100), slug


def test_missing_pandas_names_the_extra(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "pandas", None)
    wf = plans.liandong_699().order_waterfall()
    with pytest.raises(ImportError, match=r"pip install 'bizmodels\[pandas\]'") as caught:
        wf.to_pandas()
    assert "\n" not in str(caught.value)
    # the core works without it: records, tables and HTML need no pandas
    assert wf.to_records()[-1]["amount"] == Decimal("204.39") and "289.00" in wf._repr_html_()


def test_two_dimensional_sweep_frame():
    import numpy as np

    import bizmodels as bm

    model = bm.get_model("toc_membership")
    prices = np.array([[150.0], [250.0]])
    rates = np.array([0.3, 0.45, 0.6])
    result = bm.sweep(model, price=prices, member_conversion=rates)
    df = result.to_pandas()
    # one row per scenario in C order: price varies slowest
    assert df["price"].tolist() == [150.0] * 3 + [250.0] * 3
    assert df["member_conversion"].tolist() == rates.tolist() * 2
    assert np.array_equal(df["operating_profit"], result["operating_profit"].ravel())
    assert "6 scenarios (member_conversion, price)" in result._repr_html_()
