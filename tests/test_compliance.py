"""Compliance findings: legal indicators from parameters, thresholds and health from runs."""

import json
from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest

from bizmodels import compliance as c
from bizmodels._compliance_profile import EVIDENCE_KEYS
from bizmodels.cli import AssessError, assess_command
from bizmodels.compliance import (
    HEALTH_LINES,
    LEGAL_TEXTS,
    NEUTRAL_PROFILE,
    Assessment,
    ComplianceProfile,
    Finding,
    Measure,
    assess,
    network_shape,
    plan_profile,
    profile_of,
    random_network,
    recruitment_dependence,
    risk_level,
)
from bizmodels.compliance.network import _rerun_dependence
from bizmodels.models import MODELS, BusinessModel, TobRecruitment, get_model
from bizmodels.plans import (
    EVENT_DTYPE,
    PLANS,
    distribution,
    liandong_699,
    recruit_three_refund_one,
    simulate,
)
from bizmodels.plans.earnings import earnings_stats, rounded_gini
from bizmodels.presets import PRESETS, resolve

LAW = Path("/work/shared/law/README.md")


def severities(assessment):
    return {f.indicator: f.severity for f in assessment.findings}


# -- the cases -------------------------------------------------------------------


@pytest.mark.parametrize("target", ["liandong_699", liandong_699()], ids=["slug", "plan"])
def test_699_plan_is_high_on_fee_recruiting_and_team_pay(target):
    a = assess(target)
    assert a.level == "high"
    s = severities(a)
    assert s["entry_fee"] == s["recruit_reward"] == s["team_pay"] == "high"
    # seed 001: the package is 699, the direct reward 200 (300 once an agent)
    assert a.finding("entry_fee").value == Decimal(699)
    assert a.finding("recruit_reward").value == Decimal(200)
    # the differential and peer rewards reach any depth
    assert a.finding("team_pay").value is None
    assert "unlimited placement depth" in a.finding("team_pay").evidence
    assert "a 699 yuan package" in a.finding("entry_fee").evidence
    assert "paid for each recruit who buys" in a.finding("recruit_reward").evidence


def test_toc_membership_defaults_have_no_warning():
    a = assess(get_model("toc_membership"))
    assert a.level == "low"
    assert all(f.severity == "info" for f in a.findings)
    # the 99 membership fee is named, and is not a fee for a right to earn
    fee = a.finding("entry_fee")
    assert fee.value == 0 and "membership_fee = 99" in fee.evidence


def test_two_level_distribution_without_entry_fee_is_below_high():
    a = assess("toc_two_level_distribution")
    assert a.level == "warning"
    s = severities(a)
    assert s["entry_fee"] == s["recruit_reward"] == "info"
    assert s["team_pay"] == "warning"
    assert a.finding("team_pay").value == 2


def test_three_level_distribution_preset_is_flagged():
    a = assess("three_level_distribution")
    assert a.level == "high"
    team = a.finding("team_pay")
    assert team.severity == "high" and team.value == 3 and team.threshold == 3
    assert "level3_rate = 3%" in team.evidence


def test_model_with_a_plan_inherits_the_plan_findings():
    model = TobRecruitment(plan=liandong_699())
    a = assess(model)
    assert a.level == "high"
    team = a.finding("team_pay")
    assert team.via == "plan" and team.severity == "high"
    assert team.evidence.startswith("through its plan: rewards reach unlimited")
    # the model's own reading of the package stays when it is as severe
    assert a.finding("recruit_reward").via == "plan"
    assert a.finding("recruit_reward").value == Decimal(200)


# -- evidence and values follow the parameters ---------------------------------------------


@pytest.mark.parametrize(
    ("build", "indicator", "value", "evidence"),
    [
        (lambda: liandong_699(package_price=999), "entry_fee", Decimal(999), "a 999 yuan"),
        (lambda: liandong_699(direct_member=250), "recruit_reward", 250, "direct_member = 250"),
        (lambda: liandong_699(agent_recruits=4), "recruit_reward", 200, "agent_recruits = 4"),
        (lambda: distribution(rates=[0.1, 0.05, 0.02]), "team_pay", 4, "pays 3 levels"),
        (lambda: distribution(price=100), "recruit_reward", Decimal(10), "10 yuan per recruit"),
        (
            lambda: recruit_three_refund_one(price=300),
            "recruit_reward",
            Decimal(100),
            "(300 yuan, 推三返一)",
        ),
        (lambda: get_model("tob_recruitment", package_price=899), "entry_fee", 899, "= 899"),
        (
            lambda: get_model("tob_recruitment", referral_rate=Decimal("0.2")),
            "recruit_reward",
            Decimal("139.8"),
            "referral_rate = 20%",
        ),
        (
            lambda: get_model("toc_two_level_distribution", level2_rate=Decimal("0.08")),
            "team_pay",
            2,
            "level2_rate = 8%",
        ),
        (
            lambda: get_model("toc_two_level_distribution", level2_rate=0),
            "team_pay",
            1,
            "level2_rate = 0%",
        ),
        (lambda: resolve("three_level_distribution", level3_rate=0), "team_pay", 2, "= 0%"),
        (lambda: resolve("tiered_agency_referral", rebate_levels=5), "team_pay", 6, "= 5 uplines"),
        (lambda: get_model("tob_offline", entry_package=1280), "entry_fee", 1280, "= 1,280"),
        (lambda: resolve("c_to_b_chain", package_price=1999), "entry_fee", 1999, "= 1,999"),
    ],
)
def test_evidence_and_value_follow_the_parameter(build, indicator, value, evidence):
    finding = assess(build()).finding(indicator)
    assert finding.value == value
    assert evidence in finding.evidence


def test_changing_a_parameter_moves_value_and_distance():
    base = assess(get_model("tob_recruitment")).finding("entry_fee")
    cheaper = assess(get_model("tob_recruitment", package_price=399)).finding("entry_fee")
    assert (base.value, cheaper.value) == (699, 399)
    assert base.measures[0].margin == 699 and cheaper.measures[0].margin == 399
    assert cheaper.measures[0].distance() == "399 yuan over"


def test_zero_rewards_bring_a_recruitment_model_down():
    model = get_model("tob_recruitment", referral_rate=0, recruit_three_share=0)
    a = assess(model)
    # the entry package remains, but funds no reward: a warning, not high
    assert severities(a)["recruit_reward"] == "info"
    assert severities(a)["entry_fee"] == "warning"
    assert a.level == "warning"


def test_team_pay_lines():
    def team(rates):
        return assess(distribution(rates=rates)).finding("team_pay")

    # the buyer plus one upline: 2 levels (Reg. Art. 7(3) wording); plus two: 3 (the
    # project's own line, not 意见 一's)
    assert team([0.1]).severity == "warning" and team([0.1]).value == 2
    assert team([0.1, 0.05]).severity == "high" and team([0.1, 0.05]).value == 3


def test_high_team_pay_says_its_line_is_the_projects_and_the_opinion_counts_the_organisation():
    # the buyer plus two uplines: 3 paid levels, high by the project's line
    high = assess(distribution(rates=[0.1, 0.05])).finding("team_pay")
    assert high.severity == "high"
    en, zh = high.explanation, high.explanation_zh
    assert "project's own threshold, not the 2013 opinion's" in en
    assert "counts the levels of the organisation (层级在三级以上)" in en
    assert "participants (30 or more), not paid levels" in en
    assert "because a pay chain of 3 levels runs on a network at least 3 levels deep" in en
    assert "本项目自定的界线，并非2013年意见的标准" in zh
    assert "计算的是传销组织的层级（层级在三级以上）及参与人员（三十人以上），而非计酬层级" in zh
    # the old wording, which read the opinion's levels as paid levels, is gone
    assert "spans" not in en and "3 levels the 2013 opinion counts" not in en
    # the statuses it gives are the law notes' (意见 一 Verified (4), 意见 五 Verified (2)),
    # and the text it sets its line against is cited with its wording
    assert "section 1 (Verified (4))" in en and "section 5 (Verified (2))" in en
    assert "第一部分（已核实（4处））" in zh and "第五部分（已核实（2处））" in zh
    assert c.OPINION_1.status == "Verified (4)" and c.OPINION_5.status == "Verified (2)"
    assert "层级在三级以上" in c.OPINION_1.wording
    assert c.OPINION_1 in high.basis and c.OPINION_5 in high.basis
    # a warning (one upline level) makes no claim about the opinion's levels
    warning = assess(distribution(rates=[0.1])).finding("team_pay")
    assert warning.severity == "warning" and c.OPINION_1 not in warning.basis


def test_own_sales_baseline_is_a_comparison_not_a_high_flag():
    over = get_model("toc_leaders_streamers", streamer_commission=Decimal("0.35"))
    finding = assess(over).finding("own_sales")
    assert finding.severity == "warning"
    assert finding.value == Decimal("0.35") and finding.threshold == Decimal("0.30")
    inside = assess(get_model("toc_leaders_streamers")).finding("own_sales")
    assert inside.severity == "info" and inside.measures[0].distance() == "10.0% short"
    assert all(f.severity != "high" for slug in MODELS for f in [assess(slug).finding("own_sales")])


# -- every model, preset and plan -----------------------------------------------------------

EXPECTED_LEVELS = {
    "toc_membership": "low",
    "toc_leaders_streamers": "low",
    "toc_two_level_distribution": "warning",
    "tob_recruitment": "high",
    "dual_toc_tob": "high",
    "online_to_offline": "low",
    "offline_to_online": "low",
    "omnichannel": "low",
    "tob_online": "low",
    "tob_offline": "high",
    "three_level_distribution": "high",
    "coupon_rebate": "low",
    "new_retail": "low",
    "community_weishang": "low",
    "company_run_weishang": "low",
    "tiered_agency_referral": "high",
    "channel_outsourced": "low",
    "channel_outsourced_then_self_run": "low",
    "channel_self_run": "low",
    "c_to_b_chain": "warning",
    "baiguoyuan_like": "low",
    # issue 15's shapes: no fee, no reward for recruiting, at most one level paid
    "content_ecommerce": "low",
    "community_ecommerce": "low",
    "influencer_weishang": "low",
    # the price ladder: stock bought freely reads as free resale stock; with a purchase
    # threshold to hold a rank (10 orders at the provincial price), a disguised entry fee
    "price_ladder": "low",
    "price_ladder_threshold": "warning",
    # the marketplace shop pays nobody for recruiting or on anyone's sales
    "marketplace_shop": "low",
    "self_media_weishang": "low",
    "liandong_699": "high",
    "distribution": "high",
    "recruit_three_refund_one": "high",
}


def test_every_model_preset_and_plan_has_its_level():
    assert set(EXPECTED_LEVELS) == {*MODELS, *PRESETS, *PLANS}
    assert {slug: risk_level(slug) for slug in EXPECTED_LEVELS} == EXPECTED_LEVELS


@pytest.mark.parametrize("slug", [*MODELS, *PRESETS])
def test_every_model_declares_a_profile_with_known_evidence(slug):
    profile = profile_of(resolve(slug))
    assert profile.declared
    assert set(profile.evidence) <= set(EVIDENCE_KEYS)
    for finding in assess(slug).legal:
        assert finding.evidence and finding.explanation and finding.explanation_zh
        assert finding.basis


def test_a_model_without_a_declaration_reads_neutral():
    class Bare(BusinessModel):  # no key: not registered
        def segments(self):
            return []

    model = Bare()
    assert profile_of(model) is NEUTRAL_PROFILE
    a = assess(model)
    assert a.subject == "Bare" and a.level == "low"
    assert "declares no compliance profile" in a.finding("entry_fee").evidence


def test_profile_rejects_unknown_evidence_keys():
    with pytest.raises(ValueError, match="unknown evidence keys"):
        ComplianceProfile(evidence={"fee": "x"})


def test_plan_profiles():
    assert plan_profile(liandong_699()).unlimited_levels
    assert plan_profile(distribution(rates=[0.2])).pay_levels == 2
    refund = plan_profile(recruit_three_refund_one())
    assert refund.recruits_counted == 3 and refund.pay_levels == 0
    with pytest.raises(TypeError):
        plan_profile("liandong_699")


def test_unknown_targets():
    with pytest.raises(KeyError, match="unknown model, preset or plan 'nope'"):
        assess("nope")
    with pytest.raises(TypeError, match="not int"):
        assess(3)


# -- the criminal-case thresholds on a simulated network ---------------------------------


def star_under(members, root="R", hub="A"):
    """R sponsors A, A sponsors everyone else: three levels counting R's own."""
    events = [(root, None, 0), (hub, root, 0)]
    events += [(f"m{i}", hub, 0) for i in range(members - 2)]
    return events


@pytest.mark.parametrize("plan", [distribution(), liandong_699(), recruit_three_refund_one()])
def test_thirty_members_over_three_levels_trip_the_thresholds(plan):
    run = simulate(plan, star_under(30))
    finding = assess(run).finding("network_thresholds")
    assert finding.severity == "high"
    people, levels = finding.measures
    assert (people.value, levels.value) == (30, 3)
    assert people.distance() == "at the line" and levels.distance() == "at the line"
    assert "30 members in one sponsor tree" in finding.evidence
    assert any(b.status == "Found once" for b in finding.basis)  # 意见 七, said so


@pytest.mark.parametrize("plan", [distribution(), liandong_699()])
def test_twenty_nine_members_do_not(plan):
    finding = assess(simulate(plan, star_under(29))).finding("network_thresholds")
    assert finding.severity == "info"
    assert finding.value == 29 and finding.measures[0].distance() == "1 person short"


def test_thirty_members_on_two_levels_do_not():
    events = [("R", None, 0)] + [(f"m{i}", "R", 0) for i in range(29)]
    finding = assess(simulate(distribution(), events)).finding("network_thresholds")
    assert finding.severity == "info"
    assert finding.measures[1].value == 2 and finding.measures[1].distance() == "1 level short"


def test_trees_are_counted_together():
    # two organisations of 15 over 3 levels each: 意见 一 lets the headcounts be added
    events = star_under(15, "R1", "A1") + star_under(15, "R2", "A2")
    events = [e if e[0].startswith(("R", "A")) else (e[0] + e[1], *e[1:]) for e in events]
    run = simulate(distribution(), events)
    shape = network_shape(run)
    assert (shape.participants, shape.levels, shape.trees, shape.largest_tree) == (30, 3, 2, 15)
    assert assess(run).finding("network_thresholds").severity == "high"


def test_levels_are_counted_on_the_sponsor_tree():
    # a chain of 1,000: pointer jumping gives the same depth as walking the chain
    events = [("0", None, 0)] + [(str(i), str(i - 1), 0) for i in range(1, 1000)]
    shape = network_shape(simulate(distribution(), events))
    assert shape.levels == 1000 and shape.trees == 1


def test_sponsor_depths_match_a_walk():
    run = simulate(distribution(), random_network(500, roots=3, seed=7))
    sponsor = run.ledger.sponsor
    depth = np.zeros(len(sponsor), dtype=np.int64)
    for i, s in enumerate(sponsor):  # sponsors join first
        depth[i] = 0 if s < 0 else depth[s] + 1
    assert network_shape(run).levels == int(depth.max()) + 1


# -- health indicators ---------------------------------------------------------------------


@pytest.mark.parametrize("plan", [distribution(), liandong_699(), recruit_three_refund_one()])
def test_recruitment_dependence_matches_the_event_explanations(plan):
    run = simulate(plan, random_network(150, repurchases=120, seed=2))
    joined, out = recruitment_dependence(run)
    # each join's rewards, plus what it paid into the pools (链动2+1: 10 + 10 + 10 yuan)
    by_join = 0
    for i in range(len(run.events)):
        e = run.explain(i)
        if e.kind == "join":
            by_join += e.paid
    assert joined == by_join
    assert out == run.totals.received - run.totals.retained


@pytest.mark.parametrize("plan", [distribution(), liandong_699(), recruit_three_refund_one()])
def test_rerunning_on_joins_gives_the_reported_split(plan):
    run = simulate(plan, random_network(200, repurchases=200, seed=4))
    assert _rerun_dependence(run) == recruitment_dependence(run)
    if hasattr(run.totals, "rewards_on_joins"):
        assert _rerun_dependence(run)[0] == run.totals.rewards_on_joins


def test_refund_plan_depends_wholly_on_joins():
    run = simulate(recruit_three_refund_one(), random_network(60, repurchases=60, seed=5))
    finding = assess(run).finding("recruitment_dependence")
    assert finding.value == 1 and finding.severity == "critical"


def test_earnings_stats_by_hand():
    # R ← A ← B under 10% / 5% of 699: R earns 69.90 + 34.95, A 69.90, B nothing
    run = simulate(distribution(), [("R", None, 0), ("A", "R", 0), ("B", "A", 0)])
    s = earnings_stats(run)
    assert (s.members, s.losing, s.zero, s.earned) == (3, 3, 1, 17475)
    assert s.top1_share == Decimal("0.6000") and s.top10_share == Decimal("0.6000")
    # Gini of (0, 6990, 10485): Σ|xi − xj| / (2 n² mean)
    x = [0, 6990, 10485]
    gini = sum(abs(a - b) for a in x for b in x) / (2 * 3 * sum(x))
    assert s.gini == Decimal(str(round(gini, 4)))


def test_gini_against_the_pairwise_formula():
    rng = np.random.default_rng(0)
    values = rng.integers(0, 10_000, 200).astype(np.int64)
    values[:50] = 0
    pairwise = np.abs(values[:, None] - values[None, :]).sum() / (2 * 200 * values.sum())
    assert rounded_gini(values) == Decimal(str(round(float(pairwise), 4)))
    assert rounded_gini(np.full(10, 5, dtype=np.int64)) == 0
    assert rounded_gini(np.zeros(4, dtype=np.int64)) == 0


def test_health_findings_of_a_run_and_their_lines():
    run = simulate(liandong_699(), random_network(300, repurchases=300, seed=3))
    a = assess(run)
    assert [f.indicator for f in a.health] == list(HEALTH_LINES)
    for f in a.health:
        watch, warning, critical = HEALTH_LINES[f.indicator]
        value = f.value
        expected = (
            "critical"
            if value >= critical
            else "warning"
            if value >= warning
            else "watch"
            if value >= watch
            else "ok"
        )
        assert f.severity == expected, f.indicator
        assert f.basis == ()
    losing = a.finding("losing_share")
    losers = int((run.ledger.net < 0).sum())
    assert losing.value == (Decimal(losers) / 300).quantize(Decimal("0.0001"))
    assert f"{int((run.ledger.net < 0).sum())} of 300 members" in losing.evidence
    payout = a.finding("payout_ratio")
    assert payout.value == (Decimal(run.totals.paid) / run.totals.packages).quantize(
        Decimal("0.0001")
    )


def test_health_alone_raises_the_level_to_warning_not_high():
    info = Finding("entry_fee", "info", "e", (), (), "x", "x")
    critical = Finding("gini", "critical", "e", (), (), "x", "x")
    watch = Finding("gini", "watch", "e", (), (), "x", "x")
    assert Assessment("s", (info, critical)).level == "warning"
    assert Assessment("s", (info, watch)).level == "low"


# -- measures, rendering, legal texts ---------------------------------------------------------


def test_measure_lines_and_distance():
    m = Measure(
        "x",
        "x",
        Decimal("0.75"),
        "share",
        (("watch", Decimal("0.5")), ("warning", Decimal("0.7")), ("critical", Decimal("0.9"))),
    )
    assert m.reached == "warning" and m.threshold == Decimal("0.7")
    assert m.distance() == "5.0% over" and m.line_text() == "≥ 70.0%"
    strict = Measure("fee", "费", Decimal(0), "yuan", (("high", Decimal(0)),), strict=True)
    assert strict.reached is None and strict.distance() == "not over"
    unlimited = Measure("levels", "层级", None, "levels", (("high", Decimal(3)),))
    assert unlimited.reached == "high" and unlimited.margin is None
    assert unlimited.show(None) == "unlimited" and unlimited.distance("zh") == "无上限"


def test_renderings():
    a = assess("liandong_699")
    text = a.render()
    assert text.startswith("liandong_699: risk level HIGH")
    assert "Art. 7(2) (Verified (4); administrative regulation)" in text
    assert "not legal advice" in text
    assert "要求被发展人员交纳费用" in text
    zh = a.render(lang="zh")
    assert "风险等级 高" in zh and "已核实（4处）" in zh and "不构成法律意见" in zh
    md = a.render("markdown")
    assert md.startswith("**liandong_699: risk level HIGH**") and "| indicator" in md
    data = json.loads(a.render("json"))
    assert data["level"] == "high" and data["findings"][0]["value"] == 699
    assert data["findings"][0]["basis"][0]["status"] == "Verified (4)"
    rows = a.render("csv").splitlines()
    assert rows[0].startswith("indicator,group,severity") and len(rows) == len(a.findings) + 1
    with pytest.raises(ValueError, match="format must be"):
        a.render("html")
    records = a.to_records()
    assert records[0]["indicator"] == "entry_fee" and records[0]["threshold"] == 0
    assert "指标" in a.to_table(lang="zh")


# Each cited text, the status the law notes give it, and the notes' line recording it
# (for 意见 五 the notes give each sentence its own status: the one cited is 不作为犯罪处理).
RECORDED_STATUS = [
    (c.REG_7_1, "Verified (4)", "**第七条** (the three forms). Verified (4)."),
    (c.REG_7_2, "Verified (4)", "**第七条** (the three forms). Verified (4)."),
    (c.REG_7_3, "Verified (4)", "**第七条** (the three forms). Verified (4)."),
    (c.DS_14, "Verified (2)", "**第十四条**. Verified (2)."),
    (c.DS_24, "Verified (3)", "**第二十四条**. Verified (3) in Chinese;"),
    (c.CRIMINAL_224_1, "Verified (5)", "Verified (5). The consolidated Criminal Law text"),
    (
        c.OPINION_1,
        "Verified (4)",
        "**一、关于传销组织层级及人数的认定问题** (thresholds). Verified (4).",
    ),
    (c.OPINION_7, "Found once", "**七、其他问题** (how levels are counted). Found once, verbatim."),
    (c.OPINION_5, "Verified (2)", '"不作为犯罪处理" sentence: Verified (2).'),
    (
        c.WECHAT_2016,
        "Verified (2)",
        "- 2016-09-12 announcement (微信公众平台, 整顿多级分销欺诈). Verified (2):",
    ),
]


def test_cited_texts_are_verbatim_and_their_status_as_recorded():
    assert [basis for basis, _, _ in RECORDED_STATUS] == list(LEGAL_TEXTS)
    for basis, status, _ in RECORDED_STATUS:
        assert basis.status == status, basis.article_en
        assert basis.verified == status.startswith("Verified")
    # the one text cited on a single copy is 意见 七, and the docs and findings say so
    assert [b.article_en for b in LEGAL_TEXTS if not b.verified] == ["Section 7"]
    assert c.OPINION_7.status_text("zh") == "仅见一处"
    assert c.CRIMINAL_224_1.status_text("zh") == "已核实（5处）"
    if not LAW.exists():
        pytest.skip("the project's law notes are not available here")
    notes = LAW.read_text(encoding="utf-8")
    for basis, status, record in RECORDED_STATUS:
        for part in basis.wording.split("……"):
            assert part.strip("。") in notes, (basis.article_en, part[:20])
        # the record is in the notes once, gives this status, and belongs to the quoted
        # text: no other article or section heading comes between them
        assert notes.count(record) == 1 and status in record, (basis.article_en, record)
        start = notes.index(record)
        quoted = notes.index(basis.wording.split("……")[0].strip("。"), start)
        between = notes[start + len(record) : quoted]
        assert "\n**" not in between and "\n#" not in between, basis.article_en


# -- the command-line handler and the random network -------------------------------------


def test_assess_command():
    text = assess_command("liandong_699")
    assert "risk level HIGH" in text and "Legal basis" in text
    raised = assess_command("liandong_699", overrides={"package_price": 999}, fmt="json")
    assert json.loads(raised)["findings"][0]["value"] == 999
    run = assess_command("distribution", members=40, repurchases=10, seed=1, fmt="json")
    indicators = [f["indicator"] for f in json.loads(run)["findings"]]
    assert "network_thresholds" in indicators and "gini" in indicators
    model = assess_command("tob_recruitment", overrides={"market.price": 299}, fmt="csv")
    assert model.splitlines()[1].startswith("entry_fee,legal,high,699")


def test_assess_command_with_an_events_file(tmp_path):
    path = tmp_path / "log.csv"
    rows = ["kind,member,sponsor,day", "join,R,,0", "join,A,R,0"]
    rows += [f"join,m{i},A,{i // 10}" for i in range(28)] + ["order,A,,3"]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = json.loads(assess_command("liandong_699", events=str(path), fmt="json"))
    threshold = next(f for f in out["findings"] if f["indicator"] == "network_thresholds")
    assert threshold["severity"] == "high"


@pytest.mark.parametrize(
    ("target", "kwargs", "message"),
    [
        ("nope", {}, "unknown model, preset or plan 'nope'"),
        ("liandong_699", {"overrides": {"package_price": -1}}, "package_price"),
        ("toc_membership", {"members": 30}, "has no commission plan to simulate"),
        ("liandong_699", {"members": 30, "events": "x.csv"}, "not both"),
        ("liandong_699", {"events": "/no/such/file.csv"}, "No such file"),
        ("liandong_699", {"fmt": "html"}, "format must be"),
    ],
)
def test_assess_command_errors_are_one_line(target, kwargs, message):
    with pytest.raises(AssessError, match=message) as info:
        assess_command(target, **kwargs)
    assert "\n" not in str(info.value)


def test_random_network_is_reproducible_and_valid():
    a = random_network(200, repurchases=100, roots=2, seed=9)
    b = random_network(200, repurchases=100, roots=2, seed=9)
    assert np.array_equal(a, b) and a.dtype == EVENT_DTYPE
    assert (np.diff(a["day"]) >= 0).all()
    run = simulate(distribution(), a)
    assert run.totals.members == 200 and run.totals.repurchases == 100
    with pytest.raises(ValueError, match="members = 0: must be ≥ 1"):
        random_network(0)
    with pytest.raises(ValueError, match=r"roots = 5: must be from 1 to members \(3\)"):
        random_network(3, roots=5)


def test_the_findings_above_a_level_are_those_that_set_it():
    # the 699 package is an entry fee (Art. 7(2)), the direct reward is paid per recruit and
    # the pay chain is multi-level: the three high legal findings; own sales is a warning
    a = assess(liandong_699())
    assert [f.indicator for f in a.above("warning")] == ["entry_fee", "recruit_reward", "team_pay"]
    assert "own_sales" in [f.indicator for f in a.above("low")]
    assert a.above("high") == ()
