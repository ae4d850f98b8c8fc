"""The gaming audit: gains of false-name manipulation, worked out by hand from the spec.

Amounts are those of specs/liandong-2plus1.md (the preset liandong_699): package 699,
direct 200 to a MEMBER sponsor and 300 to an AGENT-or-above, see-point 100 to a slid
buyer's placement parent, peer 10%, AGENT after 2 recruits, V1 at 3 placement children.
A member's net is the ledger's: everything earned (help-fund money frozen included) less
what it paid, so the help fund does not enter these sums.
"""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from bizmodels.design import gaming
from bizmodels.design.gaming import MANIPULATIONS, PROPERTIES, GamingAudit, audit_plan
from bizmodels.plans import (
    DistributionPlan,
    LiandongPlan,
    Refund,
    Withdrawal,
    distribution,
    liandong_699,
)

# R roots the network; X and Y make R an AGENT, so M (R's position 3, placed under R)
# has an AGENT-or-above ancestor and M's own positions 1 and 2 slide up to R.
TOP = [("R", None, 0), ("X", "R", 0), ("Y", "R", 0), ("M", "R", 0)]


def test_self_recruiting_two_accounts_by_hand():
    # M recruits A, A recruits A1, who repurchases ten times.
    events = [*TOP, ("A", "M", 0), ("A1", "A", 0)] + [("A1", d) for d in range(1, 11)]
    # Honest: A is M's position 1 and slides to R; M earns the direct 200 on A's join
    # and nothing else (A1 is A's recruit and slides to R too): net 200 - 699 = -499.
    # With two fake accounts F1, F2 right after M joins: both are M's positions 1 and 2,
    # slide to R and pay M 200 + 200 (M a MEMBER), then M is an AGENT. A is position 3,
    # placed under M: direct 300. A1, A's position 1, slides to M (its nearest AGENT-or-
    # above ancestor): each of its 11 orders pays M the see-point 100 and the peer reward
    # 10% x 200 on A's direct reward (M is A's nearest ancestor of rank >= MEMBER) = 120.
    # M's placement children are A and A1: two, no V1. Together: 200 + 200 + 300 +
    # 11 x 120 = 2,020 earned, 3 x 699 = 2,097 paid: net -77; gain -77 - (-499) = 422.
    audit = audit_plan(liandong_699(), network=events, manipulator="M")
    row = audit.row("self_recruit")
    assert row.accounts == 2
    assert row.honest_net == Decimal("-499.00")
    assert row.gain == Decimal("422.00")
    assert str(row.gain) == "422.00"  # to the fen
    assert row.profitable
    assert audit.properties["sybil_proof"].kept is False


def test_the_audit_of_liandong_699_finds_self_recruiting_profitable():
    audit = audit_plan(liandong_699())
    row = audit.row("self_recruit")
    assert row.accounts == 2 and row.profitable and row.gain > 0
    assert row.gain == row.gain.quantize(Decimal("0.01"))
    assert audit.max_gain >= row.gain
    text = audit.render()
    assert "Gain (yuan)" in text and "self_recruit" in text
    assert audit.properties["sybil_proof"].kept is False


def test_split_orders_by_hand_distribution():
    # Levels 10% and 5% of 699: 69.90 and 34.95. M (under S, under R) repurchases 3 times.
    events = [("R", None, 0), ("S", "R", 0), ("M", "S", 0), ("M", 1), ("M", 2), ("M", 3)]
    # Honest: every one of M's 4 orders pays S 69.90 and R 34.95; M earns nothing.
    # Split over one account F: repurchase 1 is F's join (sponsor M), repurchase 2 stays
    # M's, repurchase 3 is F's. F's 2 orders pay M level 1 (69.90) and S level 2: M gains
    # 2 x 69.90 = 139.80, what S and R lose; the same packages are sold, so the platform's
    # result does not move.
    audit = audit_plan(
        distribution(rates=[0.10, 0.05], price=699), network=events, manipulator="M", accounts=1
    )
    row = audit.row("split_orders")
    assert row.accounts == 1
    assert row.gain == Decimal("139.80")
    assert row.others_change == Decimal("-139.80")
    assert row.platform_cost == Decimal("0.00")


def test_split_orders_by_hand_liandong_triggers_the_agent_rank():
    # M repurchases on days 1-4. Honest: each order pays the direct 300 to R (V1 by then),
    # M earns nothing. Split over 2 accounts: repurchases 1 and 2 become the joins of F1,
    # F2 (M's positions 1 and 2, slid to R), paying M 200 + 200, and M becomes an AGENT;
    # repurchase 3 stays M's (its direct goes to R); repurchase 4 is F1's and pays M, its
    # sponsor, now an AGENT, 300. The packages bought are the same: gain 700.
    events = [*TOP] + [("M", d) for d in range(1, 5)]
    row = audit_plan(liandong_699(), network=events, manipulator="M").row("split_orders")
    assert row.accounts == 2
    assert row.gain == Decimal("700.00")
    assert row.profitable


def test_slide_harvest_by_hand():
    # M recruits A, B (positions 1 and 2, slid to R), then C, who repurchases twice.
    events = [*TOP, ("A", "M", 0), ("B", "M", 0), ("C", "M", 0), ("C", 1), ("C", 2)]
    # Honest: M earns 200 + 200 (A, B) + 300 on each of C's 3 orders (C is position 3,
    # under M, M an AGENT): 1,300; net 601.
    # Harvest with one account F after B: F is M's position 3 (under M): 300 to M. C names
    # F as sponsor: F's position 1 slides to M (AGENT), so each of C's 3 orders pays F 200
    # and M the see-point 100 plus the peer 20 on F's direct: 3 x 320 = 960 instead of
    # 900. M's children F and C: no V1. Together 400 + 300 + 960 = 1,660 earned, 1,398
    # paid: 262; gain 262 - 601 = -339.
    row = audit_plan(liandong_699(), network=events, manipulator="M", accounts=1).row(
        "slide_harvest"
    )
    assert row.honest_net == Decimal("601.00")
    assert row.gain == Decimal("-339.00")
    assert not row.profitable


@pytest.mark.parametrize(
    "plan",
    [
        LiandongPlan(
            direct_member=0,
            direct_agent=0,
            see_point=0,
            differential=(0, 0, 0),
            peer_rate=0,
            pool_contribution=(0, 0, 0),
        ),
        DistributionPlan(rates=(0,)),
    ],
    ids=["liandong-without-rewards", "distribution-0"],
)
def test_a_plan_without_reward_on_recruitment_reports_none(plan):
    audit = audit_plan(plan, members=300, days=120, seed=2)
    assert audit.max_gain == 0
    # two packages bought and nothing earned for them, whoever buys them
    assert audit.row("self_recruit").gain == Decimal("-1398.00")
    assert audit.properties["no_recruitment_reward"].kept
    assert audit.properties["sybil_proof"].kept
    assert "not broken on this network" in audit.properties["sybil_proof"].evidence
    # recruiting pays nothing either: no continuing investment
    assert not audit.properties["continuing_investment"].kept


def test_no_direct_reward_makes_self_recruiting_worthless():
    # Level 1 pays nothing, level 2 5%: the fake accounts' orders pay M's sponsor, not M.
    audit = audit_plan(distribution(rates=[0, 0.05]), members=300, days=120, seed=2)
    row = audit.row("self_recruit")
    assert row.gain == Decimal("-1398.00") and not row.profitable


def test_refunds_follow_their_orders():
    # A, M's recruit, is refunded. Honest: M's 200 on A is clawed back: net -699.
    # One account F after M's join: F is position 1 (R is a MEMBER: no slide), 200 to M;
    # A is position 2, 200 to M, clawed back by the refund, which must still name A's
    # join. Together 200 - 2 x 699: gain -1,198 - (-699) = -499.
    events = [("R", None, 0), ("M", "R", 0), ("A", "M", 0), Refund(2, 1)]
    row = audit_plan(liandong_699(), network=events, manipulator="M", accounts=1).row(
        "self_recruit"
    )
    assert row.gain == Decimal("-499.00")


def test_not_applicable_rows():
    events = [("R", None, 0), ("M", "R", 0)]
    audit = audit_plan(distribution(), network=events, manipulator="M")
    split, early = audit.row("split_orders"), audit.row("early_rank")
    assert not split.applicable and "never repurchases" in split.note
    assert not early.applicable and "no ranks" in early.note
    assert split.gain == early.gain == Decimal("0.00")


def test_early_rank_buys_the_accounts_to_v1():
    # R is a MEMBER when M joins, so nothing slides: 3 fake accounts make M an AGENT with
    # 3 placement children, a V1, who buys the 999 identity package. M earns 200 + 200 +
    # 300, and, the only V1 when day 0 ends, the whole V1 pool: 10 from each of the day's
    # 5 orders, 50. It pays 3 x 699 + 999 more than honest play, where it earns nothing:
    # gain 750 - 3,096 = -2,346.
    events = [("R", None, 0), ("M", "R", 0)]
    row = audit_plan(liandong_699(), network=events, manipulator="M").row("early_rank")
    assert row.accounts == 3
    assert "V1" in row.description
    assert row.gain == Decimal("-2346.00")


def test_rows_properties_and_renders():
    audit = audit_plan(liandong_699(), members=300, days=120, seed=5, candidates=4)
    assert isinstance(audit, GamingAudit)
    assert [r.name for r in audit.rows] == list(MANIPULATIONS)
    assert list(audit.properties) == list(PROPERTIES)
    assert len(audit.manipulators) == 4
    assert audit.max_gain == max([Decimal(0), *(r.gain for r in audit.rows)])
    for fmt in ("table", "markdown"):
        for lang in ("en", "zh"):
            assert audit.render(fmt, lang)
    assert "自我推荐" in audit.render(lang="zh")
    payload = json.loads(audit.render("json"))
    assert [m["manipulation"] for m in payload["manipulations"]] == list(MANIPULATIONS)
    assert audit.render("csv").splitlines()[0].startswith("manipulation,")
    assert str(audit) == audit.render()
    df = audit.to_pandas()
    assert list(df.index) == list(MANIPULATIONS)
    assert df.loc["self_recruit", "gain"] == float(audit.row("self_recruit").gain)
    with pytest.raises(KeyError, match="no manipulation 'x'"):
        audit.row("x")
    with pytest.raises(ValueError, match="lang"):
        audit.render(lang="fr")


def test_deterministic():
    a = audit_plan(liandong_699(), members=300, days=120, seed=7, candidates=3)
    b = audit_plan(liandong_699(), members=300, days=120, seed=7, candidates=3)
    assert a.rows == b.rows and a.properties == b.properties


@pytest.fixture
def no_simulation(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("simulated before refusing")

    monkeypatch.setattr(gaming, "simulate", refuse)


@pytest.mark.usefixtures("no_simulation")
@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"accounts": 0}, "accounts = 0: must be from 1 to 1,000"),
        ({"accounts": 1001}, "accounts = 1001"),
        ({"accounts": True}, "accounts = True: must be an integer"),
        ({"accounts": 2.5}, "accounts = 2.5"),
        ({"candidates": 0}, "candidates = 0"),
        ({"manipulator": "Z", "network": [("R", None, 0)]}, "manipulator = 'Z'"),
        (
            {"network": [("R", None, 0), ("A", "R", 0), Withdrawal("R", 10, 0)]},
            "network: event 2 is a withdrawal",
        ),
        ({"members": 0}, "members"),
    ],
)
def test_refusals_before_any_simulation(kwargs, message):
    with pytest.raises(ValueError, match=message):
        audit_plan(liandong_699(), **kwargs)


@pytest.mark.usefixtures("no_simulation")
def test_refuses_a_non_plan():
    with pytest.raises(TypeError, match="plan: needs a LiandongPlan"):
        audit_plan("liandong_699")  # type: ignore[arg-type]


def test_continuing_investment_broken_by_the_identity_package():
    # R is a MEMBER (one recruit), so nothing slides: A and B are placed under M, an AGENT.
    # One more real recruit C on the last day is M's position 3, placed under M: 300 to M,
    # and M, an AGENT with 3 placement children, becomes V1 and buys the 999 package; as
    # the only V1 at the day's end it takes the V1 pool, 10 from each of the 5 orders: 50.
    # Change 300 + 50 - 999 = -649. Signed up right after M joins, the recruit is position
    # 1 (200), A and B positions 2 and 3 (200, 300 instead of 200, 200), V1 all the same:
    # 200 + 200 + 300 + 50 - 999 - (200 + 200) = -649.
    events = [("R", None, 0), ("M", "R", 0), ("A", "M", 0), ("B", "M", 0)]
    audit = audit_plan(liandong_699(), network=events, manipulator="M")
    check = audit.properties["continuing_investment"]
    assert not check.kept
    assert "by −649.00 yuan right after joining and by −649.00 yuan on the last day" in (
        check.evidence
    )
