import csv
import io
import json
import math
from decimal import Decimal

import numpy as np
import pytest

from bizmodels.plans import (
    MemberCashFlows,
    PlanComparison,
    compare_plans,
    distribution,
    generate_growth,
    liandong_699,
    simulate,
)
from bizmodels.plans.summary import gini, quantiles, top_share

# spec liandong-2plus1.md, "Worked example"
WORKED = [("R", None, 0), ("A", "R", 0), ("B", "R", 0), ("C", "R", 0), ("D", "A", 0)]


# -- the measures on known distributions --------------------------------------------------


def test_gini_of_known_distributions():
    assert gini([5, 5, 5, 5]) == 0
    assert gini([0, 0, 0, 100]) == 0.75  # one of n takes all: (n − 1) / n
    # (−3·1 − 1·2 + 1·3 + 3·4) / (4 · 10) = 10 / 40
    assert gini([4, 1, 3, 2]) == 0.25
    assert gini([0, 0]) is None and gini([]) is None  # undefined: no NaN leaves the library


def test_top_shares_and_quantiles():
    assert top_share([1, 1, 2, 6], 0.25) == 0.6  # the top ⌈0.25 · 4⌉ = 1 member
    assert top_share([1, 1, 2, 6], 0.5) == 0.8
    assert top_share([1, 1, 2, 6], 0.01) == 0.6  # ⌈0.04⌉ = 1
    assert top_share(list(range(1, 101)), 0.10) == sum(range(91, 101)) / sum(range(1, 101))
    assert top_share([0, 0], 0.1) is None
    # ⌈0.1 · 30⌉ is 3 members, though 0.1 × 30 is 3.0000000000000004 in floating point
    assert top_share(list(range(1, 31)), 0.1) == (28 + 29 + 30) / sum(range(1, 31))
    assert quantiles(np.arange(1, 31), (0.1,)) == (3,)
    # the smallest value with at least q of the members at or below it
    x = np.array([40, 10, 30, 20])
    assert quantiles(x, (0, 0.25, 0.26, 0.5, 0.75, 1)) == (10, 10, 20, 20, 30, 40)


# -- the worked example, by hand -----------------------------------------------------------


def test_summary_of_the_worked_example():
    s = simulate(liandong_699(), WORKED).summary(cohorts=5)
    # R, the root, is the company's: available 746 + frozen 144 = 890 earned, apart.
    # Participants: A: 200 earned (40 frozen), paid 699 → −499; B, C, D: nothing, −699
    assert (s.members, s.roots, s.participants) == (5, 1, 4)
    assert (s.orders, s.repurchases, s.active) == (5, 0, None)
    assert s.roots_earned == 89000 and s.roots_share == 890 / 1090
    assert s.by_rank == (4, 0, 0, 0, 0)  # R's V1 is the root's
    assert (s.depth_max, s.depth_mean) == (1, 0.8)  # D sits under R, slid; all members
    assert (s.earned_back, s.earned_back_available, s.earned_nothing) == (0, 0, 0.75)
    # sorted: −699, −699, −699, −499; F(−699) = 3/4, so every quantile to 0.75 is −699
    assert s.net_quantiles == (-69900, -69900, -69900, -69900, -69900, -49900, -49900, -49900)
    assert s.net_mean == (-49900 - 3 * 69900) / 4
    # earnings 200, 0, 0, 0: the top ⌈0.04⌉ = ⌈0.4⌉ = 1 participant, A, takes it all
    assert s.top1_share == s.top10_share == 1.0
    assert s.gini == 0.75  # one of four takes all: (n − 1) / n
    assert (s.received, s.packages, s.identity_packages) == (449400, 349500, 99900)
    assert s.paid == 109000 and s.payout_ratio == 1090 / 3495
    # breakage: 50 (R) + 50 + 20 (A) + 50 + 20 (B) + 50 + 30 (C) + 30 + 10 (D) = 310
    assert s.breakage == 31000 and s.breakage_share == 310 / 3495
    assert s.retained == 330400
    assert s.recruitment_dependence == 1.0  # no repurchase
    assert (s.help_fund, s.help_fund_peak, s.help_fund_peak_day) == (18400, 18400, 0)
    assert s.pools == (0, 5000, 5000) and s.pool_dividends == 5000
    assert [c.members for c in s.cohorts] == [1] * 4  # five asked for, four participants
    a = s.cohorts[0]
    assert (a.earned_back, a.earned_nothing, a.net_median, a.spent_mean) == (0, 0, -49900, 69900)
    bands = {b.key: (b.members, b.net_total) for b in s.bands}
    assert bands == {
        "earned_nothing": (3, -209700),
        "lost_most": (1, -49900),  # A: 200 < 699 / 2
        "lost_some": (0, 0),
        "ahead_lt_1": (0, 0),
        "ahead_1_10": (0, 0),
        "ahead_10": (0, 0),
    }
    assert sum(b.share for b in s.bands) == 1


# A root S above the worked example: R is a participant who reaches V1.
ROOTED = [("S", None, 0), ("R", "S", 0), ("A", "R", 0), ("B", "R", 0), ("C", "R", 0), ("D", "A", 0)]


def test_the_income_disclosure_by_rank_and_the_roots_apart():
    s = simulate(liandong_699(), ROOTED).summary()
    # S: direct 200 on R's join, peer 20 + 20 on R's directs for A and B (R then MEMBER;
    # on C, R is AGENT and S is not) = 240. R: directs 200 + 200 + 300, see-point 100 and
    # differential 20 on D (slid under R, a V1 by then), peer 20 on A's direct, the whole
    # V1 pool, 6 orders × 10 = 60: 900 earned, paid 699 + 999 → −798. A: 200 → −499.
    assert (s.roots, s.participants, s.roots_earned) == (1, 5, 24000)
    assert s.roots_share == 240 / (240 + 900 + 200)
    member, agent, v1, v2, v3 = s.ranks
    assert [g.rank for g in s.ranks] == ["MEMBER", "AGENT", "V1", "V2", "V3"]
    assert (member.members, member.share, member.earned_nothing) == (4, 0.8, 0.75)
    assert (member.earned_back, member.net_median, member.net_mean) == (0, -69900, -64900)
    assert (member.earned, member.earned_share) == (20000, 200 / 1100)
    assert (v1.members, v1.share, v1.earned_back, v1.net_median, v1.net_mean) == (
        1,
        0.2,
        0,
        -79800,
        -79800,
    )
    assert (v1.earned, v1.earned_share) == (90000, 900 / 1100)
    assert agent.members == v2.members == v3.members == 0 and agent.earned == 0
    assert s.by_rank == (4, 0, 1, 0, 0)
    assert s.top1_share == 900 / 1100  # R, among participants; S is not counted
    values = s.values()
    assert values["rank_v1_net_median"] == Decimal("-798")
    assert values["rank_member_earned_back"] == 0 and values["rank_v2_earned_back"] is None
    assert "earned 240.00 yuan, 17.9% of all earnings" in s.roots_line()
    assert "other 5 participants" in s.roots_line()
    assert "种子账户" in s.roots_line("zh") and "17.9%" in s.roots_line("zh")
    assert s.roots_line() in s.to_html() and s.roots_line("zh") in s.to_html("zh")
    table = s.to_table()
    assert "Income disclosure by rank" in table and "V1 (regional dealer)" in table
    assert "按身份的收入披露" in s.to_table(lang="zh")
    data = json.loads(s.render("json"))
    assert data["roots"] == s.roots_line() and len(data["ranks"]) == 5
    assert data["ranks"][2]["earned"] == 900 and data["ranks"][2]["net_median"] == -798
    rows = list(csv.DictReader(io.StringIO(s.render("csv"))))
    assert {"section": "rank V1", "key": "members", "value": "1"}.items() <= next(
        r for r in rows if r["section"] == "rank V1"
    ).items()


def test_the_rank_table_as_a_frame():
    pd = pytest.importorskip("pandas")
    df = simulate(liandong_699(), ROOTED).summary().to_pandas("ranks")
    assert df.index.tolist() == ["MEMBER", "AGENT", "V1", "V2", "V3"]
    assert df.loc["V1", "net_median"] == -798.0 and df.loc["V1", "earned"] == 900.0
    assert df.loc["MEMBER", "net_mean"] == -649.0
    assert df["members"].sum() == 5 and df["earned_share"].dtype == pd.Float64Dtype()
    fen = simulate(liandong_699(), ROOTED).summary().to_pandas("ranks", money="fen")
    assert fen.loc["V1", "earned_fen"] == 90000


def test_take_home_in_the_tables_and_frames():
    pd = pytest.importorskip("pandas")
    s = simulate(liandong_699(), ROOTED).summary()
    # No withdrawal, no fee; R's 756 available is below 800: no tax. A: 160. B, C, D: 0.
    assert s.take_home == 75600 + 16000 and s.take_home_median == 0
    cohorts = s.to_pandas("cohorts")
    assert cohorts["take_home_mean"].tolist() == [756.0, 160.0, 0.0, 0.0, 0.0]
    assert cohorts["earned_back_cash"].tolist() == [0.0] * 5
    bands = s.to_pandas("bands", money="fen")
    assert bands.loc["lost_some", "take_home_total_fen"] == 75600  # R: 900 ≥ 1,698 / 2
    assert bands.loc["lost_most", "take_home_total_fen"] == 16000  # A
    ranks = s.to_pandas("ranks")
    assert (
        ranks.loc["V1", "take_home_mean"] == 756.0 and ranks.loc["MEMBER", "take_home_mean"] == 40.0
    )
    assert ranks["earned_back_cash"].tolist() == [0.0] * 5  # nobody's cash covers the package
    assert "Take-home mean" in s.rank_table() and "到手平均" in s.cohort_table(lang="zh")
    assert "Take-home, all of them" in s.band_table()
    assert s.to_pandas().loc["roots_share", "value"] == pytest.approx(240 / 1340)
    assert not pd.isna(s.to_pandas().loc["platform_result", "value"])


def test_every_root_and_no_participant():
    s = simulate(liandong_699(), [("R", None, 0), ("Q", None, 0)]).summary()
    assert (s.roots, s.participants, s.roots_earned, s.roots_share) == (2, 0, 0, None)
    assert s.earned_back == 0 and s.cohorts == () and s.gini is None
    assert all(g.members == 0 for g in s.ranks)
    assert "—" in s.roots_line()


def test_recruitment_dependence_and_help_fund_over_time():
    # D repurchases on day 1: direct 200 to A, see-point 100, differential 20 and peer 20
    # to R, pools 30: 370 paid. The joins paid 30 + 230 + 230 + 330 + 370 = 1,190.
    s = simulate(liandong_699(), [*WORKED, ("D", 1)]).summary()
    assert s.recruitment_dependence == 1190 / 1560
    # the help fund froze 40 of A's direct and 4 of R's peer reward on day 1
    assert s.daily.help_fund.tolist() == [18400, 22800]
    assert (s.help_fund_peak, s.help_fund_peak_day) == (22800, 1)


def test_earned_back_counting_the_help_fund_or_not():
    # R, under a root S, recruits three (no V1: legs_required 10): 200 + 200 + 300 = 700
    # ≥ 699 earned, but 20% frozen: 560 available < 699 (seed 001: 推荐3个人后就可以回本,
    # before freezing). R, A, B, C are the participants.
    events = [("S", None, 0), ("R", "S", 0), ("A", "R", 0), ("B", "R", 0), ("C", "R", 0)]
    s = simulate(liandong_699(legs_required=10), events).summary()
    assert s.earned_back == 0.25 and s.earned_back_available == 0
    assert s.net_quantiles[-1] == 100  # R is one yuan ahead
    assert {b.key: b.members for b in s.bands}["ahead_lt_1"] == 1


def test_a_distribution_plan_summary_has_no_ranks():
    # 10% and 5% of 699: R gets 69.90 from A, B, C and 34.95 from D; A 69.90 from D
    s = simulate(distribution(rates=[0.1, 0.05]), WORKED).summary()
    assert s.by_rank is None and "rank_member" not in s.values()
    assert s.paid == 3 * 6990 + 3495 + 6990
    assert s.payout_ratio == pytest.approx(0.09)
    assert s.breakage == 4 * 3495 + 6990  # R's order pays no level; A, B, C no level 2


def test_summary_of_an_empty_stream():
    s = simulate(liandong_699(), []).summary()
    assert s.members == 0 and s.cohorts == () and s.gini is None
    assert "0 members" in s.to_table()


def test_cohorts_must_be_positive():
    run = simulate(liandong_699(), WORKED)
    with pytest.raises(ValueError, match="cohorts = 0"):
        run.summary(cohorts=0)


# -- presentation --------------------------------------------------------------------------


def test_table_markdown_json_csv():
    s = simulate(liandong_699(), [*WORKED, ("D", 1)]).summary(cohorts=5)
    table = s.render("table")
    assert table.startswith("liandong 699: 5 members, days 0–1")
    assert "Gini coefficient of earnings" in table and "0.727" not in table
    assert "Income disclosure by join cohort" in table and "earned nothing: lost all" in table
    assert s.render("markdown").startswith("**liandong 699")
    zh = s.to_table(lang="zh")
    assert "已回本（净收益 ≥ 0）" in zh and "按入会批次的收入披露" in zh
    data = json.loads(s.render("json"))
    figures = {f["key"]: f["value"] for f in data["figures"]}
    assert figures["members"] == 5 and figures["retained"] == 3633  # 3,304 + 699 − 370
    assert figures["net_min"] == -1398  # D paid twice and earned nothing
    assert figures["gini"] == pytest.approx(s.gini)
    assert len(data["cohorts"]) == 4 and len(data["distribution"]) == 6  # 4 participants
    rows = list(csv.DictReader(io.StringIO(s.render("csv"))))
    assert rows[0] == {
        "section": "figures",
        "key": "members",
        "label_en": "Members, roots included",
        "label_zh": "会员人数（含种子账户）",
        "value": "5",
        "unit": "count",
    }
    assert {r["section"] for r in rows} >= {"figures", "cohort 1", "distribution"}
    with pytest.raises(ValueError, match="format"):
        s.render("xml")
    with pytest.raises(ValueError, match="lang"):
        s.to_table(lang="fr")


def test_undefined_figures_show_as_a_dash_and_null():
    s = simulate(liandong_699(), [("R", None, 0)]).summary()  # nobody earns anything
    assert s.values()["gini"] is None
    assert json.loads(s.render("json"))["figures"][-1]["value"] == 0
    gini_row = next(line for line in s.to_table().splitlines() if line.startswith("Gini"))
    assert gini_row.endswith("—")


# -- several plans on one stream -----------------------------------------------------------


def test_compare_plans_on_one_stream():
    stream = generate_growth(members=1500, days=150, seed=4)
    cheap = liandong_699(
        package_price=499,
        direct_member=140,
        direct_agent=210,
        see_point=70,
        differential=(14, 21, 35),
        pool_contribution=(7, 7, 7),
        upgrade_price=(699, 1386, 3500),
    )
    side = compare_plans({"699": liandong_699(), "499": cheap}, stream)
    assert isinstance(side, PlanComparison) and list(side.summaries) == ["699", "499"]
    for name, plan in (("699", liandong_699()), ("499", cheap)):
        alone = simulate(plan, stream).summary()
        assert side.summaries[name].to_records() == alone.to_records()
    a, b = side.summaries["699"], side.summaries["499"]
    # the same people and orders; the same ranks (they depend on the network alone)
    assert (a.members, a.orders, a.by_rank) == (b.members, b.orders, b.by_rank)
    assert b.packages * 699 == a.packages * 499
    (record,) = side.to_records(keys=["orders"])
    assert record["699"] == record["499"] == a.orders
    table = side.to_table()
    assert table.startswith("2 plans on one event stream") and "Cohort 10: earned back" in table
    data = json.loads(side.render("json"))
    assert data["plans"] == ["699", "499"] and data["figures"][0]["key"] == "members"
    assert side.to_table(keys=["gini", "members"]).splitlines()[-1].startswith("Members")
    with pytest.raises(KeyError, match="no figure 'nope'"):
        side.to_table(keys=["nope"])
    assert side.render("csv").splitlines()[0] == "key,label_zh,label_en,unit,699,499"


def test_compare_plans_names_and_errors():
    side = compare_plans([liandong_699(), distribution()], WORKED)
    assert list(side.summaries) == ["liandong 699", "distribution 699 (2 levels)"]
    twice = compare_plans([liandong_699(), liandong_699()], WORKED)
    assert list(twice.summaries) == ["liandong 699", "2. liandong 699"]
    with pytest.raises(ValueError, match="two or more plans, got 1"):
        compare_plans([liandong_699()], WORKED)
    with pytest.raises(ValueError, match="event 1: unknown sponsor 'Q'"):
        compare_plans([liandong_699(), distribution()], [("R", None, 0), ("A", "Q", 0)])


# -- the participant's view ----------------------------------------------------------------


def test_member_cash_flows_of_the_worked_example():
    # D repurchases on day 30: A earns 200 (40 frozen), R 100 + 20 + 20 (4 frozen) and
    # the V1 pool's 10 that day.
    run = simulate(liandong_699(), [*WORKED, ("D", 30)])
    cash = run.member_cash_flows(period=30)
    assert cash.periods == 2 and cash.join_period.tolist() == [0] * 5
    r, a = run.row("R"), run.row("A")
    assert cash.position[r].tolist() == [74600 - 169800, 74600 + 14600 - 169800]
    assert cash.position[a].tolist() == [16000 - 69900, 32000 - 69900]
    assert cash.position[run.row("D")].tolist() == [-69900, -139800]
    assert cash.flows[r].tolist() == [-95200, 14600]
    assert cash.frozen.tolist() == run.ledger.frozen.tolist()
    assert cash.payback().tolist() == [0] * 5  # nobody is back at zero
    irr = cash.irr(annual=False)
    # −952 + 146 / (1 + r) = 0: 1 + r = 146 / 952 a month
    assert irr[r] == pytest.approx(146 / 952 - 1, rel=1e-12)
    assert irr[run.row("B")] == -1  # nothing came back: −100%
    year = cash.irr()
    assert year[r] == pytest.approx((146 / 952) ** (365 / 30) - 1, rel=1e-12)


def test_payback_and_irr_of_a_member_who_earns_back():
    # R recruits three on day 0 (560 available, 140 frozen), a fourth on day 30 (300,
    # 60 frozen): −139 at the end of period 0, +101 at the end of period 1.
    events = [("R", None, 0), ("A", "R", 0), ("B", "R", 0), ("C", "R", 0), ("E", "R", 30)]
    run = simulate(liandong_699(legs_required=10), events)
    cash = run.member_cash_flows(period=30)
    assert cash.position[0].tolist() == [-13900, 10100]
    assert cash.payback()[0] == 2  # by the end of its second period
    # −139 + 240 / (1 + r) = 0: 1 + r = 240 / 139
    assert cash.irr(annual=False)[0] == pytest.approx(240 / 139 - 1, rel=1e-12)
    assert cash.join_period.tolist() == [0, 0, 0, 0, 1]
    assert cash.position[4].tolist() == [0, -69900]  # E joins in period 1
    records = cash.to_records()
    assert [r["joined"] for r in records] == [0, 1, "all"]
    assert records[0]["paid_back"] == 0.25 and records[0]["payback_median"] == 2
    assert records[-1]["members"] == 5
    assert "Paid back" in cash.to_table() and "已回本" in cash.to_table(lang="zh")


def test_member_irr_conventions_and_the_root_closest_to_zero():
    # positions in fen at the end of periods 0, 1, 2; flows are their changes
    position = np.array(
        [
            [-10000, 13000, -200],  # flows −100, 230, −132: two IRRs, 10% and 20%
            [0, -10000, 1000],  # joins in period 1: flows −100, 110 from there, 10%
            [-10000, -10000, -12000],  # never paid anything back: −100%
            [5000, 5000, 6000],  # no negative flow: no money at risk, no IRR
            [-10000, 15000, -1000],  # flows −100, 250, −160: NPV has no zero, no IRR
        ],
        dtype=np.int64,
    )
    cash = MemberCashFlows(30, 0, 89, position, np.array([0, 1, 0, 0, 0]), np.zeros(5, np.int64))
    irr = cash.irr(annual=False)
    # −100 + 230x − 132x² = 0 at x = 1/(1 + r) = 10/11 and 5/6: 10% and 20% a month;
    # numpy-financial's root, and so this one, is the one closest to zero
    assert irr[0] == pytest.approx(0.10, rel=1e-12)
    assert irr[1] == pytest.approx(0.10, rel=1e-12)  # 1 + r = 110 / 100
    assert irr[2] == -1
    assert math.isnan(irr[3]) and math.isnan(irr[4])  # −100 + 250x − 160x²: 62500 < 64000
    year = cash.irr()
    assert year[0] == pytest.approx(1.1 ** (365 / 30) - 1, rel=1e-12)
    assert year[1] == pytest.approx(year[0], rel=1e-12) and year[2] == -1
    assert math.isnan(year[3]) and math.isnan(year[4])


def test_member_cash_flows_read_the_run_at_each_period_end():
    run = simulate(liandong_699(), generate_growth(members=800, days=120, seed=2))
    cash = run.member_cash_flows(period=20)
    assert cash.periods == 6
    led = run.ledger
    assert np.array_equal(cash.position[:, -1], led.available - led.spent)
    # a period's position is the run of the events up to its end
    cut = int(np.searchsorted(run.events.day, 60))
    rows = [ev for ev in _tuples(run.events)[:cut]]
    head = simulate(liandong_699(), rows).ledger
    assert np.array_equal(cash.position[: len(head), 2], head.available - head.spent)
    irr = cash.irr()
    paid_back = cash.payback() > 0
    # paid back: a rate above −100%, or none when never below zero at a period end
    assert ((irr[paid_back] > -1) | np.isnan(irr[paid_back])).all()
    assert (irr[cash.flows.max(axis=1) <= 0] == -1).all()
    with pytest.raises(ValueError, match="period = 0"):
        run.member_cash_flows(period=0)


def _tuples(stream):
    out = []
    for kind, m, s, d in zip(stream.kind, stream.member, stream.sponsor, stream.day, strict=True):
        label = int(stream.labels[m])
        if kind == 0:
            out.append((label, None if s < 0 else int(stream.labels[s]), int(d)))
        else:
            out.append((label, int(d)))
    return out


def test_yuan_values_are_exact_decimals():
    s = simulate(liandong_699(), WORKED).summary()
    values = s.values()
    assert values["retained"] == Decimal("3304") and values["net_min"] == Decimal("-699")


def test_member_cash_flows_render_and_empty():
    events = [("R", None, 0), ("A", "R", 0), ("B", "R", 0), ("C", "R", 0), ("E", "R", 30)]
    cash = simulate(liandong_699(legs_required=10), events).member_cash_flows(period=30)
    data = json.loads(cash.render("json"))
    assert data["period"] == 30 and data["joined"][-1]["joined"] == "all"
    assert data["joined"][0]["position_median"] == -699
    rows = list(csv.DictReader(io.StringIO(cash.render("csv"))))
    assert [r["joined"] for r in rows] == ["0", "1", "all"]
    assert cash.render("markdown").startswith("| Joined in period")
    empty = simulate(liandong_699(), []).member_cash_flows()
    assert empty.position.shape == (0, 0) and empty.irr().shape == (0,)
