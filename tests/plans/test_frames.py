"""to_pandas() and _repr_html_ of the plans' results, on the spec's worked example.

The figures are worked out by hand in specs/liandong-2plus1.md ("Worked example"): R takes
746 yuan withdrawable and 144 frozen and becomes V1; A takes 160 and 40; the platform keeps
669 + 469 + 469 + (369 + 999) + 329 = 3304 of 5 × 699 + 999 = 4494 received. R is the
company's root (no sponsor): the summary reports it apart, and its member figures are of
the participants A, B, C and D.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bizmodels.plans import compare_plans, liandong_699, simulate
from bizmodels.plans.growth import simulate_ensemble, simulate_growth

pd = pytest.importorskip("pandas")

WORKED = [("R", None, 0), ("A", "R", 0), ("B", "R", 0), ("C", "R", 0), ("D", "A", 0)]
# nets by hand: R 746 + 144 − (699 + 999) = −808; A 160 + 40 − 699 = −499; B, C, D −699


@pytest.fixture(scope="module")
def run():
    return simulate(liandong_699(), WORKED)


# -- the ledger -------------------------------------------------------------------------


def test_ledger_in_yuan(run):
    df = run.ledger.to_pandas()
    assert len(df) == 5 and df.index.name == "row"
    r = df[df["label"] == "R"].iloc[0]
    assert r["available"] == 746.00 and r["frozen"] == 144.00
    assert r["spent"] == 1698.00 and r["net"] == -808.00
    assert r["direct"] == 700 and r["see_point"] == 100 and r["pool"] == 50
    a = df[df["label"] == "A"].iloc[0]
    assert (a["available"], a["frozen"], a["net"]) == (160.0, 40.0, -499.0)
    assert df["net"].tolist() == [-808.0, -499.0, -699.0, -699.0, -699.0]
    # the spec's check: members hold 906 withdrawable and 184 frozen
    assert df["available"].sum() == 906.0 and df["frozen"].sum() == 184.0
    assert df["available"].dtype == np.float64


def test_ledger_ranks_are_labelled_categories_in_order(run):
    rank = run.ledger.to_pandas()["rank"]
    assert isinstance(rank.dtype, pd.CategoricalDtype) and rank.cat.ordered
    assert list(rank.cat.categories) == ["MEMBER", "AGENT", "V1", "V2", "V3"]
    assert rank.tolist() == ["V1", "MEMBER", "MEMBER", "MEMBER", "MEMBER"]
    assert rank.value_counts(sort=False).tolist() == [4, 0, 1, 0, 0]
    assert (rank > "AGENT").tolist() == [True, False, False, False, False]


def test_ledger_sponsor_and_parent_are_rows_or_missing(run):
    df = run.ledger.to_pandas()
    d = df[df["label"] == "D"].iloc[0]
    assert d["sponsor"] == 1  # A's row
    assert d["parent"] == 0 and bool(d["slid"])  # slid under R
    assert df["sponsor"].isna().tolist() == [True, False, False, False, False]
    assert str(df["sponsor"].dtype) == "Int32"


def test_ledger_in_fen_and_decimal(run):
    fen = run.ledger.to_pandas(money="fen")
    assert "available" not in fen and fen["available_fen"].dtype == np.int64
    assert fen["available_fen"].tolist()[:2] == [74600, 16000]
    assert fen["frozen_fen"].tolist()[:2] == [14400, 4000]
    exact = run.ledger.to_pandas(money="decimal")
    assert exact["available"].iloc[0] == Decimal("746.00")
    with pytest.raises(ValueError, match="money = 'cents'"):
        run.ledger.to_pandas(money="cents")


def test_ledger_frame_is_a_copy(run):
    df = run.ledger.to_pandas()
    df.loc[0, "recruits"] = 99
    assert int(run.ledger.recruits[0]) == 3


def test_growth_ledger_labels_are_integers():
    grown = simulate_growth(liandong_699(), members=300, days=40, seed=2)
    df = grown.ledger.to_pandas()
    assert df["label"].tolist() == list(range(len(df)))
    assert df["rank"].notna().all()


# -- the daily series -------------------------------------------------------------------


def test_daily_has_a_column_per_pool(run):
    df = run.daily.to_pandas()
    assert df.index.name == "day" and df.index.tolist() == [0]
    row = df.loc[0]
    assert row["retained"] == 3304.0 and row["received"] == 4494.0
    assert row["help_fund"] == 184.0  # 40 + 40 + 60 + 4 (R) + 40 (A)
    # R alone holds V1 and takes its 50; V2 and V3 carry 50 each
    assert [row["pool_v1"], row["pool_v2"], row["pool_v3"]] == [0.0, 50.0, 50.0]
    assert [row["dividend_v1"], row["holders_v1"], row["holders_v2"]] == [50.0, 1, 0]
    fen = run.daily.to_pandas("fen")
    assert fen.loc[0, "pool_v2_fen"] == 5000 and fen["retained_fen"].dtype == np.int64


# -- the summary ------------------------------------------------------------------------


def test_summary_figures(run):
    df = run.summary().to_pandas()
    assert df.index.name == "key"
    assert df.loc["retained", "value"] == 3304.0 and df.loc["received", "value"] == 4494.0
    # members count the root R; every other member figure is of the participants A, B,
    # C, D (R, the company's root, is reported apart): none of them is V1, and B, C, D
    # earned nothing, 3 of 4; their nets sorted −699, −699, −699, −499: the median −699
    assert df.loc["members", "value"] == 5 and df.loc["rank_v1", "value"] == 0
    assert df.loc["roots", "value"] == 1 and df.loc["participants", "value"] == 4
    assert df.loc["earned_nothing", "value"] == 0.75  # B, C, D of A, B, C, D
    assert df.loc["net_median", "value"] == -699.0
    assert df.loc["retained", "unit"] == "yuan"
    fen = run.summary().to_pandas(money="fen")
    assert fen.loc["retained", "value"] == 330400 and fen.loc["retained", "unit"] == "fen"
    assert fen.loc["members", "value"] == 5  # counts are not scaled
    assert run.summary().to_pandas(money="decimal").loc["retained", "value"] == Decimal(3304)


def test_summary_missing_figure_is_na_not_nan():
    alone = simulate(liandong_699(), WORKED[:1]).summary()  # R alone earns nothing
    df = alone.to_pandas()
    assert df.loc["gini", "value"] is pd.NA
    assert str(df["value"].dtype) == "Float64"


def test_summary_cohorts(run):
    df = run.summary().to_pandas("cohorts")
    # ten cohorts asked for, four participants (R, the root, is apart): four cohorts of
    # one, in join order A, B, C, D; A nets 160 + 40 − 699 = −499, the others −699
    assert df.index.tolist() == [1, 2, 3, 4] and df.index.name == "cohort"
    assert df["net_median"].tolist() == [-499.0, -699.0, -699.0, -699.0]
    assert df["spent_mean"].tolist() == [699.0] * 4
    assert df["earned_nothing"].tolist() == [0.0, 1.0, 1.0, 1.0]
    assert df["active"].isna().all()  # not a growth stream
    assert run.summary().to_pandas("cohorts", money="fen")["net_median_fen"].iloc[0] == -49900


def test_summary_bands_sum_to_everyone(run):
    df = run.summary().to_pandas("bands")
    # participants only (R, the root, is apart): B, C, D earned nothing (3 × −699); A
    # earned 200 < 699 / 2; nobody is left to earn half or more without earning back
    assert df.loc["earned_nothing", "members"] == 3
    assert df.loc["earned_nothing", "net_total"] == -2097.0
    assert df.loc["lost_most", "net_total"] == -499.0
    assert df.loc["lost_some", "members"] == 0 and df.loc["lost_some", "net_total"] == 0.0
    assert df["members"].sum() == 4 and df["share"].sum() == pytest.approx(1.0)
    assert df["net_total"].sum() == -2596.0  # the participants' nets: −499 − 3 × 699


def test_summary_unknown_table(run):
    with pytest.raises(ValueError, match="table = 'cohort': must be"):
        run.summary().to_pandas("cohort")


def test_summary_html_is_compact_and_marks_negatives(run):
    html = run.summary()._repr_html_()
    assert "3,304.00" in html and "4,494.00" in html
    assert 'class="num neg"' in html and "−699.00" in html  # the median net
    assert "to_pandas('cohorts')" in html
    grown = simulate_growth(liandong_699(), members=3000, days=150, seed=1).summary()
    assert len(grown._repr_html_()) < 4000 < len(str(grown))
    zh = run.summary().to_html("zh")
    assert "平台留存" in zh and "会员" in zh


# -- comparisons and ensembles ----------------------------------------------------------


def test_comparison_a_column_per_plan(run):
    side = compare_plans({"a": liandong_699(), "b": liandong_699()}, WORKED)
    df = side.to_pandas()
    assert list(df.columns) == ["label_zh", "label_en", "unit", "a", "b"]
    assert df.loc["retained", "a"] == df.loc["retained", "b"] == 3304.0
    assert df.loc["cohort1_net_median", "a"] == -499.0  # A: the first participant
    html = side._repr_html_()
    assert "3,304.00" in html and html.count("<tr") < 20


def test_ensemble_frames():
    paths = simulate_ensemble(liandong_699(), seeds=[3, 4, 5], members=200, days=30)
    per_path = paths.to_pandas("paths")
    assert per_path.index.tolist() == [3, 4, 5]
    members = [s.members for s in paths.summaries]
    assert per_path["members"].tolist() == members
    stats = paths.to_pandas()
    assert stats.loc["members", "min"] == min(members)
    assert stats.loc["members", "max"] == max(members)
    assert stats.loc["members", "mean"] == pytest.approx(sum(members) / 3)
    assert "Median" in paths._repr_html_()


# -- the run ----------------------------------------------------------------------------


def test_run_html_shows_the_totals(run):
    html = run._repr_html_()
    assert "3,304.00" in html and "4,494.00" in html and "184.00" in html
    assert "ledger.to_pandas()" in html


def test_ledger_and_daily_html_show_the_first_rows():
    grown = simulate_growth(liandong_699(), members=300, days=40, seed=2)
    n = len(grown.ledger)
    html = grown.ledger._repr_html_()
    assert f"… {n - 20:,} more rows (all of them: to_pandas())" in html
    assert html.count("<tr") == 1 + 20 + 1  # header, 20 members, the "more" line
    days = grown.daily.to_html(max_rows=5)
    assert f"… {len(grown.daily) - 5:,} more rows" in days


# -- one event explained ----------------------------------------------------------------


def test_explanation_flows_sum_to_the_price(run):
    # event 4, D joins under A and slides under R (spec step 5): direct 200 to A (40
    # frozen), see-point 100, differential 20 and peer 20 (4 frozen) to R, 10 to each pool;
    # unclaimed differential 30 and peer 10; the rest 699 − 200 − 100 − 20 − 20 − 30 − 40
    e = run.explain(4)
    df = e.to_pandas()
    assert df["to"].tolist() == ["A", "R", "R", "R", "V1", "V2", "V3"] + ["platform"] * 3
    assert df["amount"].tolist() == [200, 100, 20, 20, 10, 10, 10, 30, 10, 289]
    assert df["frozen"].tolist() == [40, 0, 0, 4, 0, 0, 0, 0, 0, 0]
    assert df["amount"].sum() == 699.0
    kept = df.loc[df["flow"].isin(["unclaimed", "kept"]), "amount"].sum()
    assert kept == 329.0  # what the platform keeps of the order
    fen = e.to_pandas("fen")
    assert fen["amount_fen"].sum() == 69900 and fen["amount_fen"].dtype == np.int64
    assert "289.00" in e._repr_html_()


# -- the participant's view -------------------------------------------------------------


def test_cash_flow_frames():
    # the worked example, then D repurchases on day 30: period 1 pays A 160 more (200, 40
    # frozen) and R its see-point, differential and peer on the repurchase
    run = simulate(liandong_699(), [*WORKED, ("D", 30)])
    cash = run.member_cash_flows(period=30)
    positions = cash.to_pandas("positions")
    assert positions.loc[1].tolist() == [-539.0, -379.0]  # A: 160 − 699, then + 160
    assert positions.loc[3].tolist() == [-699.0, -699.0]  # C never earns
    assert positions.loc[4].tolist() == [-699.0, -1398.0]  # D pays 699 again
    members = cash.to_pandas("members")
    assert members["frozen"].tolist()[1] == 80.0  # A: 40 + 40 frozen
    assert members["payback"].tolist() == [0, 0, 0, 0, 0]
    assert members.loc[3, "irr"] == -1.0  # nothing came back: −100%
    joined = cash.to_pandas()
    assert joined.index.tolist() == [0] and joined.loc[0, "members"] == 5
    assert joined.loc[0, "paid_back"] == 0.0
    assert cash.to_pandas("positions", money="fen").loc[1].tolist() == [-53900, -37900]
    html = cash._repr_html_()
    assert "all" in html and "−" in html


# -- assessments ------------------------------------------------------------------------


def test_assessment_frame():
    from bizmodels.compliance import assess

    a = assess("tob_recruitment")
    df = a.to_pandas()
    assert df.index.name == "indicator" and df.index[0] == "entry_fee"
    fee = df.loc["entry_fee"]
    # a dealer pays 699 to join; the line is any fee above 0 yuan
    assert (fee["severity"], fee["value"], fee["threshold"], fee["margin"]) == (
        "high",
        699.0,
        0.0,
        699.0,
    )
    assert fee["severity_rank"] == 3 and fee["group"] == "legal"
    assert list(df["severity"].cat.categories) == list(a.SEVERITIES)
    assert df["severity"].cat.ordered
    fen = a.to_pandas(money="fen").loc["entry_fee"]
    assert fen["value"] == 69900 and fen["unit"] == "fen"
    assert a.to_pandas(money="decimal").loc["entry_fee", "value"] == Decimal(699)
    html = a._repr_html_()
    assert "risk level HIGH" in html and "render()" in html
    assert len(html) < len(str(a))
    assert "风险等级" in a.to_html("zh")


def test_without_pandas_a_one_line_error_names_the_extra(run, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "pandas", None)
    for call in (
        run.ledger.to_pandas,
        run.daily.to_pandas,
        run.summary().to_pandas,
        run.explain(0).to_pandas,
    ):
        with pytest.raises(ImportError) as e:
            call()
        assert "pip install 'bizmodels[pandas]'" in str(e.value)
        assert "\n" not in str(e.value)
    assert "3,304.00" in run.summary()._repr_html_()  # HTML needs no pandas


# -- the frames add up, on random networks ------------------------------------------------


@settings(max_examples=15, deadline=None)
@given(
    members=st.integers(1, 400),
    days=st.integers(1, 60),
    recruit_rate=st.floats(0, 1),
    repurchase_rate=st.floats(0, 1),
    seed=st.integers(0, 2**32),
)
def test_frames_add_up_to_the_totals(members, days, recruit_rate, repurchase_rate, seed):
    run = simulate_growth(
        liandong_699(),
        members=members,
        days=days,
        recruit_rate=recruit_rate,
        repurchase_rate=repurchase_rate,
        roots=1,
        seed=seed,
        progress=False,
    )
    t = run.totals
    led = run.ledger.to_pandas("fen")
    assert int(led["available_fen"].sum()) == t.available
    assert int(led["frozen_fen"].sum()) == t.frozen
    assert int(led["spent_fen"].sum()) == t.received
    assert led["rank"].value_counts(sort=False).sum() == t.members
    daily = run.daily.to_pandas("fen")
    assert int(daily["retained_fen"].iloc[-1]) == t.retained
    pools = [int(daily[f"pool_{p}_fen"].iloc[-1]) for p in ("v1", "v2", "v3")]
    assert tuple(pools) == t.pools
    last = run.explain(-1).to_pandas("fen")
    assert int(last["amount_fen"].sum()) == run.plan.price_fen
    # the bands hold the participants: everyone but the one root (sponsor missing)
    bands = run.summary().to_pandas("bands", money="fen")
    assert int(bands["members"].sum()) == t.members - 1
    participants = led["sponsor"].notna()
    assert int(bands["net_total_fen"].sum()) == int(led.loc[participants, "net_fen"].sum())


def test_reprs_are_one_short_line():
    # the dataclasses' own reprs printed every ledger column and the daily series
    grown = simulate_growth(liandong_699(), members=3000, days=150, seed=1, progress=False)
    summary = grown.summary()
    for thing in (grown, summary, grown.ledger, grown.daily):
        text = repr(thing)
        assert "\n" not in text and len(text) < 200, text
    assert repr(grown.daily).startswith(f"<Daily: {len(grown.daily)} days (0–")
    assert "kept by the platform 3,304.00 yuan" in repr(simulate(liandong_699(), WORKED))


def test_an_empty_run_gives_empty_frames_and_tables():
    run = simulate(liandong_699(), [])
    assert run.ledger.to_pandas().shape[0] == 0 and run.daily.to_pandas().shape[0] == 0
    assert run.summary().to_pandas("cohorts").shape[0] == 0
    assert "<table" in run.ledger._repr_html_() and "<table" in run.daily._repr_html_()
    assert repr(run.daily) == "<Daily: no days>"
    cash = run.member_cash_flows()  # payback() used to fail on an empty run (argmax of [])
    assert cash.payback().tolist() == [] and cash.to_pandas("members").shape[0] == 0
    assert "<table" in cash._repr_html_()


def test_chinese_headers_everywhere(run):
    side = compare_plans([liandong_699(), liandong_699(package_price=999)], WORKED)
    assert "项目" in side.to_html("zh") and "平台留存" in side.to_html("zh")
    paths = simulate_ensemble(liandong_699(), seeds=[0, 1], members=200, days=30)
    assert "中位数" in paths.to_html("zh")
    assert "可提现（元）" in run.ledger.to_html("zh") and "746.00" in run.ledger.to_html("zh")
    assert "帮扶基金（元）" in run.daily.to_html("zh")
    assert "平台留存（元）" in run.to_html("zh")
    with pytest.raises(ValueError, match="lang must be 'zh' or 'en', not 'fr'"):
        run.ledger.to_html("fr")
