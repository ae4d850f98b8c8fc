"""The settlement rules (docs/concepts/settlement-rules.md) on cases worked by hand.

Each case runs on the plain reference (`reference_settlement`) and on the engine
(`bizmodels.plans.simulate`), which must agree entry by entry (`assert_matches`); the
figures asserted are worked out by hand in the comments, from the spec's worked example
(specs/liandong-2plus1.md): R roots the network, A, B, C join under R, D under A, all on
day 0. Before any settlement rule, R ends day 0 with 746 available (160 + 160 + 240 + 100
+ 20 + 16 + the V1 pool's 50) and 144 frozen (40 + 40 + 60 + 4), A with 160 and 40; the
platform keeps 3304 of the 4494 received, the V2 and V3 pools carry 50 each.
"""

from __future__ import annotations

from dataclasses import fields

import pytest
from pydantic import ValidationError
from reference_liandong import simulate_reference
from reference_settlement import simulate_settlement_reference
from test_settlement_reference import assert_matches

from bizmodels.plans import (
    Rank,
    Refund,
    Settlement,
    Withdrawal,
    distribution,
    get_plan,
    liandong_699,
    recruit_three_refund_one,
    simulate,
)
from bizmodels.tax import Tax

WORKED = [("R", None, 0), ("A", "R", 0), ("B", "R", 0), ("C", "R", 0), ("D", "A", 0)]
NO_TAX = Tax(income_tax="none")


def plan(tax=NO_TAX, **settlement):
    return liandong_699(settlement=Settlement(**settlement), tax=tax)


def settle(p, events, withdraw_every=None):
    """Run the engine and the reference, check they agree; the reference's members and totals."""
    _, (members, totals) = assert_matches(p, events, withdraw_every)
    return members, totals


def fen(yuan):
    return round(yuan * 100)


def conserved(t):
    # the page, "The platform's money"
    right = t["retained"] + t["available"] + t["frozen"] + t["pending"] + sum(t["pools"])
    return t["received"] == right + t["withdrawn"] - t["withdrawal_fees"] - t["debt"]


# -- (a) a refund of D's join ------------------------------------------------------------


@pytest.mark.parametrize("clawback", ["debt", "absorb"])
def test_refund_of_ds_join_on_its_day(clawback):
    m, t = settle(plan(clawback=clawback), [*WORKED, Refund(4, 0)])
    r, a, d = m["R"], m["A"], m["D"]
    # D's order paid A 200 (40 frozen, A unqualified), R the see-point 100, the
    # differential 20 and the peer 20 (4 frozen): all reversed, R and A still hold them.
    # R before the split: available 696 − 100 − 20 − 16 = 560; frozen 144 − 4 = 140; then
    # the V1 pool, 50 − D's 10 = 40, goes to R: available 600.
    assert (r["available"], r["frozen"]) == (fen(600), fen(140))
    assert (r["direct"], r["see_point"], r["differential"], r["peer"], r["pool"]) == (
        fen(700),
        0,
        0,
        0,
        fen(40),
    )
    assert r["clawed_back"] == fen(100 + 20 + 20)
    assert (a["available"], a["frozen"], a["direct"], a["clawed_back"]) == (0, 0, 0, fen(200))
    # D is paid back 699 and stays a member: placed under R, slid, A's position 1
    assert (d["refunds"], d["refunded"], d["spent"], d["orders"]) == (1, fen(699), 0, 0)
    assert d["net"] == 0 and d["parent"] == "R" and d["slid"]
    assert (a["recruits"], r["recruits"], r["rank"]) == (1, 3, Rank.V1)
    for x in m.values():
        assert x["debt"] == x["pending"] == x["withdrawn"] == 0
    # platform: 3304 − 699 + (200 + 100 + 20 + 20 + 30 from the pools) = 2975;
    # received 4494 − 699 = 3795 = 2975 + 600 + 140 + 0 + 40 + 40
    assert (t["received"], t["refunded"], t["refunds"]) == (fen(3795), fen(699), 1)
    assert t["retained"] == fen(2975) and t["pools"] == (0, fen(40), fen(40))
    assert (t["clawed_back"], t["absorbed"], t["orders"]) == (fen(340), 0, 4)
    # D's breakage is no longer breakage: the differential's 50 − 20 = 30 and the peer on
    # R's see-point, 10 (R has no ancestor); 230 − 30 and 10 − 10 are left
    assert t["breakage_by"]["differential"] == fen(200)
    assert t["breakage_by"]["peer_on_see_point"] == 0
    assert t["breakage_by"]["peer_on_direct"] == fen(70)  # 20 + 20 + 30, A's, B's, C's joins
    assert conserved(t)


def test_refund_of_the_join_that_made_r_v1_undoes_no_rank():
    m, t = settle(plan(), [*WORKED, Refund(3, 0)])
    r, c = m["R"], m["C"]
    # C's join paid R the direct 300 [AGENT] (60 frozen) and 30 into the pools; then R
    # became V1 and bought the 999 identity package: R stays V1, the package stays bought.
    assert r["rank"] == Rank.V1 and r["spent"] == fen(699 + 999)
    assert (r["direct"], r["frozen"]) == (fen(400), fen(84))
    # 696 − 240 before the split, then the V1 pool's 50 − 10 = 40
    assert r["available"] == fen(496)
    assert (c["parent"], c["refunded"], c["spent"]) == ("R", fen(699), 0)
    # 3304 − 699 + 300 + 30 = 2935; 3795 = 2935 + 656 available + 124 frozen + 80 pools
    assert (t["retained"], t["received"], t["identity"]) == (fen(2935), fen(3795), fen(999))
    # C's breakage, the differential's 50 (R an AGENT then) and the peer on R's 300: 30
    assert t["breakage_by"]["differential"] == fen(180)
    assert t["breakage_by"]["peer_on_direct"] == fen(40)
    assert conserved(t)


def test_refund_of_ds_join_a_day_later_absorbs_the_split_pool():
    m, t = settle(plan(), [*WORKED, Refund(4, 1)])
    # The V1 pool was split on day 0 (R took 50): nothing of D's 10 is left in it, so the
    # platform absorbs 10; the V2 and V3 pools give back 10 each (50 − 10 = 40 left).
    assert t["pools"] == (0, fen(40), fen(40)) and t["absorbed"] == fen(10)
    r = m["R"]
    assert (r["available"], r["frozen"], r["pool"]) == (fen(746 - 136), fen(140), fen(50))
    # 3304 − 699 + 340 from the rewards + 20 from the pools = 2965
    assert t["retained"] == fen(2965)
    assert conserved(t)


# -- (b) frozen days ---------------------------------------------------------------------


def test_frozen_days_keep_rewards_pending_until_day_d_plus_n():
    p = plan(frozen_days=7)
    m, t = settle(p, WORKED)
    # Every reward of day 0 is pending until the start of day 7, less its help-fund part;
    # the V1 pool's 50 is available at the split: R 696 pending, 50 available; A 160.
    assert (m["R"]["pending"], m["R"]["available"], m["R"]["frozen"]) == (
        fen(696),
        fen(50),
        fen(144),
    )
    assert (m["A"]["pending"], m["A"]["available"]) == (fen(160), 0)
    assert t["pending"] == fen(856) and conserved(t)
    # R withdraws the pool's 50 on day 6, the 696 once it matures, on day 8
    m, t = settle(p, [*WORKED, Withdrawal("R", 50, 6), Withdrawal("R", 696, 8)])
    assert (m["R"]["available"], m["R"]["pending"], m["R"]["withdrawn"]) == (0, 0, fen(746))
    assert (m["A"]["available"], m["A"]["pending"]) == (fen(160), 0)  # matured on day 8
    # 4494 = 3304 + 160 available + 184 frozen + 100 pools + 746 withdrawn
    assert t["withdrawn"] == fen(746) and t["pending"] == 0 and conserved(t)
    assert m["R"]["net"] == fen(144 + 746 - 1698)  # the spec's net, −808
    # day 7 = 0 + 7 is the first day the rewards are withdrawable
    m, _ = settle(p, [*WORKED, Withdrawal("R", 746, 7)])
    assert m["R"]["withdrawn"] == fen(746)


def test_a_withdrawal_of_pending_money_is_refused_when_the_run_reaches_it():
    events = [*WORKED, Withdrawal("R", "50.01", 6)]  # 50 available, 696 pending
    for run in (simulate, simulate_settlement_reference):
        with pytest.raises(ValueError, match=r"event 5\b.*50\.01.*\b50\b"):
            run(plan(frozen_days=7), events)


# -- (c) a withdrawal above the available balance ----------------------------------------


def test_a_withdrawal_above_available_names_the_event_amount_and_balance():
    events = [*WORKED, ("E", "R", 1), Withdrawal("A", "160.01", 1)]
    for run in (simulate, simulate_settlement_reference):
        with pytest.raises(ValueError, match=r"event 6\b.*160\.01.*\b160\b"):
            run(plan(), events)


# -- (d) clawback after a withdrawal: debt or absorbed -----------------------------------

AFTER_WITHDRAWAL = [*WORKED, Withdrawal("A", 160, 0), Refund(4, 0)]


def test_clawback_after_a_withdrawal_becomes_debt():
    m, t = settle(plan(clawback="debt"), AFTER_WITHDRAWAL)
    a = m["A"]
    # A's direct 200 on D: its 40 from frozen; the other 160 was withdrawn, so available
    # (0) covers none of it: A owes 160 and the direct reward loses all 200.
    assert (a["available"], a["frozen"], a["withdrawn"], a["debt"]) == (0, 0, fen(160), fen(160))
    assert (a["direct"], a["clawed_back"]) == (0, fen(200))
    assert a["net"] == fen(160 - 160 - 699)
    # what was taken back, 40 + 140 + 30, and the 160 owed: 3304 − 699 + 370 = 2975
    assert (t["retained"], t["debt"], t["absorbed"]) == (fen(2975), fen(160), 0)
    # 3795 = 2975 + 600 + 140 + 80 + 160 withdrawn − 160 debt
    assert conserved(t)


def test_clawback_after_a_withdrawal_absorbed():
    m, t = settle(plan(clawback="absorb"), AFTER_WITHDRAWAL)
    a = m["A"]
    # the platform bears the 160 A no longer holds: A keeps it, the kind loses 40
    assert (a["available"], a["frozen"], a["withdrawn"], a["debt"]) == (0, 0, fen(160), 0)
    assert (a["direct"], a["clawed_back"]) == (fen(160), fen(40))
    assert a["net"] == fen(160 - 699)
    # 3304 − 699 + 40 + 140 + 30 = 2815; 3795 = 2815 + 600 + 140 + 80 + 160
    assert (t["retained"], t["debt"], t["absorbed"]) == (fen(2815), 0, fen(160))
    assert t["clawed_back"] == fen(40 + 140)
    assert conserved(t)


def test_a_released_frozen_part_is_clawed_back_from_available():
    # AGENT at 1 recruit, no order count: R qualifies once its positions A and B are
    # AGENTs. R: A's join 200 [MEMBER] (40 frozen), B's 300 [AGENT] (60 frozen); C (A's
    # position 1, slid to R): see-point 100, peer 20 (4 frozen), R becomes V1; D (B's
    # position 1, slid to R): see-point 100, differential 20, peer 20 (4 frozen); B
    # becomes AGENT and R qualifies: 40 + 60 + 4 + 4 = 108 released. R withdraws all 760.
    p = liandong_699(agent_recruits=1, unlock_orders=0, tax=NO_TAX)
    events = [
        ("R", None, 0),
        ("A", "R", 0),
        ("B", "R", 0),
        ("C", "A", 0),
        ("D", "B", 0),
        Withdrawal("R", 760, 0),
        Refund(2, 0),
    ]
    m, t = settle(p, events)
    r = m["R"]
    # Refund of B's join: R's 300, its 60 released, so all of it from available (0): R
    # owes 300. The day's split: the V1 pool's 50 − 10 = 40 repays 40 of it.
    assert r["qualified"] and r["rank"] == Rank.V1
    assert (r["debt"], r["available"], r["frozen"], r["withdrawn"]) == (fen(260), 0, 0, fen(760))
    assert (r["direct"], r["clawed_back"], r["pool"]) == (fen(200), fen(300), fen(40))
    # B keeps its place, its rank and its 200 from D's join (40 frozen)
    b = m["B"]
    assert (b["rank"], b["available"], b["frozen"], b["spent"]) == (
        Rank.AGENT,
        fen(160),
        fen(40),
        0,
    )
    # kept: 669 + 469 + 369 + (349 + 999) + 329 = 3184; the refund: − 699 + 300 + 30
    assert (t["retained"], t["received"], t["debt"]) == (fen(2815), fen(3795), fen(260))
    assert conserved(t)


def test_debt_is_repaid_first_from_what_becomes_available():
    m, t = settle(plan(clawback="debt"), [*AFTER_WITHDRAWAL, ("E", "A", 1)])
    a = m["A"]
    # E is A's position 2 (slid to R): A's direct 200 [MEMBER], 40 frozen, the 160 repays
    # the debt of 160 first: nothing becomes available. Then A becomes AGENT.
    assert (a["debt"], a["available"], a["frozen"], a["direct"]) == (0, 0, fen(40), fen(200))
    assert a["rank"] == Rank.AGENT and t["debt"] == 0
    assert conserved(t)


def test_debt_is_repaid_first_from_maturing_pending_and_pool_dividends():
    p = plan(frozen_days=2, clawback="debt")
    events = [*WORKED, Withdrawal("R", 746, 2), Refund(4, 2), ("E", "R", 3)]
    m, t = settle(p, events)
    r = m["R"]
    # Day 2 starts: R's day-0 rewards (696) mature, besides the pool's 50; R withdraws all
    # 746. Refund of D: R's see-point 100, differential 20 and peer 16 matured and were
    # withdrawn: available covers none, R owes 136; the peer's 4 from frozen. A's 160 is
    # in its available. D's V1 contribution was split on day 0: 10 absorbed.
    # Day 3: E (R's position 4, under R) pays R 300 [V1] (60 frozen, 240 pending) and the
    # differential 20 (pending, due day 5); the V1 pool's 10 repays 10 of the debt.
    assert (r["debt"], r["available"], r["withdrawn"]) == (fen(126), 0, fen(746))
    assert (r["pending"], r["frozen"]) == (fen(260), fen(140 + 60))
    assert (r["clawed_back"], t["absorbed"]) == (fen(140), fen(10))
    assert conserved(t)
    m, t = settle(p, [*events, ("A", 5)])
    r = m["R"]
    # Day 5 starts: E's 260 mature and repay the 126 first: 134 available. A's repurchase
    # pays R 300 (60 frozen, 240 pending) and the differential 20 (pending); the V1
    # pool's 10 is available at the split.
    assert (r["debt"], r["available"]) == (0, fen(134 + 10))
    assert (r["pending"], r["frozen"]) == (fen(260), fen(200 + 60))
    assert t["debt"] == 0 and conserved(t)


# -- (e) caps ----------------------------------------------------------------------------


def test_a_daily_cap_of_250_on_r():
    m, t = settle(plan(cap_per_day=250), [*WORKED, ("E", "R", 1)])
    r, a = m["R"], m["A"]
    # Day 0, R's room 250: A's join pays 200 (40 frozen); B's 200 → 50 credited (10
    # frozen), 150 over; C's 300 → 0, 300 over; D's see-point 100, differential 20 and
    # peer 20 (10% of A's 200) → 0, 140 over. The V1 pool's 50 is never capped.
    # A's 200 on D is within A's own room. Day 1, a new room of 250: E (R's position 4,
    # under R) pays R 300 [V1] → 250 credited (50 frozen), 50 over; its differential 20 →
    # 0, 20 over; the peer on R's direct has no recipient (30 of peer breakage, on the
    # 300 due); the V1 pool's 10 to R.
    assert (r["direct"], r["see_point"], r["differential"], r["peer"]) == (fen(500), 0, 0, 0)
    assert r["pool"] == fen(60)
    assert r["capped"] == fen(150 + 300 + 140 + 50 + 20)
    assert r["available"] == fen(160 + 40 + 50 + 200 + 10)
    assert r["frozen"] == fen(40 + 10 + 50)
    assert (a["available"], a["frozen"], a["capped"]) == (fen(160), fen(40), 0)
    assert t["breakage_by"]["cap"] == fen(660)
    # 3304 + 590 over on day 0 = 3894 retained after day 0; day 1: 699 − 250 − 30 = 419
    assert t["retained"] == fen(3894 + 419)
    assert conserved(t)


def test_the_peer_reward_on_a_capped_direct_reward_is_on_the_reward_due():
    m, t = settle(plan(cap_per_day=150), [("R", None, 0), ("A", "R", 0), ("D", "A", 1)])
    # Day 0: A's join pays R 200 → 150 (30 frozen), 50 over. Day 1: D (A's position 1; R
    # is a MEMBER, so no slide) pays A 200 → 150 (30 frozen), 50 over; the peer to R is
    # 10% of the 200 due, 20 (4 frozen), within R's new room of 150.
    r, a = m["R"], m["A"]
    assert (r["direct"], r["peer"], r["available"], r["frozen"]) == (
        fen(150),
        fen(20),
        fen(136),
        fen(34),
    )
    assert (a["direct"], a["available"], a["frozen"]) == (fen(150), fen(120), fen(30))
    assert (r["capped"], a["capped"]) == (fen(50), fen(50))
    assert t["breakage_by"]["cap"] == fen(100)
    # 2097 received − 150 − 20 − 150 − 90 into the pools = 1687
    assert t["retained"] == fen(1687) and t["pools"] == (fen(30),) * 3  # 3 orders × 10


def test_an_order_credits_in_the_pages_order_under_a_cap():
    # The page (a refund's step 2) gives the order an order pays its rewards in: direct,
    # peer on the direct, see-point, peer on the see-point, differential. With a daily cap
    # of 730, R has 730 − 200 − 200 − 300 = 30 of room when D joins: the peer on A's
    # direct (20, 4 frozen) first, then 10 of the see-point's 100, none of the
    # differential's 20.
    m, t = settle(plan(cap_per_day=730), WORKED)
    r = m["R"]
    assert (r["direct"], r["peer"], r["see_point"], r["differential"]) == (
        fen(700),
        fen(20),
        fen(10),
        0,
    )
    assert r["capped"] == t["breakage_by"]["cap"] == fen(90 + 20)
    assert r["available"] == fen(160 + 160 + 240 + 16 + 10 + 50)
    assert r["frozen"] == fen(144)


def test_a_monthly_cap_of_400_on_r():
    m, t = settle(plan(cap_per_month=400), [*WORKED, ("E", "R", 30)])
    r = m["R"]
    # Month 0: 200 (40 frozen) + 200 (40 frozen), then C's 300 and D's 100 + 20 + 20 over
    # (440). Day 30 is month 1, a new room of 400: E pays R 300 [V1] (60 frozen) and the
    # differential 20; the V1 pool's 10 to R, besides day 0's 50.
    assert (r["direct"], r["see_point"], r["differential"], r["peer"]) == (
        fen(700),
        0,
        fen(20),
        0,
    )
    assert r["capped"] == fen(440) and t["breakage_by"]["cap"] == fen(440)
    assert r["available"] == fen(160 + 160 + 50 + 240 + 20 + 10)
    assert r["frozen"] == fen(40 + 40 + 60)


def test_a_refund_gives_no_room_back_and_takes_the_cap_excess_out_of_breakage():
    events = [("R", None, 0), ("A", "R", 0), ("B", "R", 0), Refund(1, 0), ("C", "R", 0)]
    m, t = settle(plan(cap_per_day=250), events)
    # A's join: 200 credited; B's: 50 credited, 150 over; refund of A's join takes the 200
    # back (160 available, 40 frozen) but not the room: C's 300 [R is AGENT] is all over.
    r = m["R"]
    assert (r["direct"], r["capped"]) == (fen(50), fen(150 + 300))
    assert t["breakage_by"]["cap"] == fen(450)
    # B's refunded instead: its 150 over is no longer breakage
    events = [("R", None, 0), ("A", "R", 0), ("B", "R", 0), Refund(2, 0)]
    m, t = settle(plan(cap_per_day=250), events)
    assert (m["R"]["direct"], m["R"]["capped"], t["breakage_by"]["cap"]) == (fen(200), 0, 0)


def test_refunding_the_third_recruit_takes_back_the_refund_it_earned():
    # 推三返一 at 699: C, R's third recruit, earns R its 699 back, a reward of C's join;
    # refunding C's join reverses it, and D, the fourth recruit, pays nothing (once only,
    # and recruits stand: R has 4).
    p = recruit_three_refund_one(tax=NO_TAX)
    events = [("R", None, 0), ("A", "R", 0), ("B", "R", 0), ("C", "R", 0)]
    m, t = settle(p, [*events, Refund(3, 0), ("D", "R", 1)])
    r = m["R"]
    assert (r["refund"], r["available"], r["clawed_back"], r["recruits"]) == (0, 0, fen(699), 4)
    # received 5 × 699 − 699 = 2796, all kept
    assert (t["received"], t["retained"]) == (fen(2796), fen(2796))
    # a daily cap of 100: R is credited 100 of the 699 (599 over)
    m, t = settle(recruit_three_refund_one(settlement=Settlement(cap_per_day=100)), events)
    assert (m["R"]["refund"], m["R"]["capped"], t["breakage_by"]["cap"]) == (
        fen(100),
        fen(599),
        fen(599),
    )


# -- (f) withdrawal fee and income tax ---------------------------------------------------


def rich(**settlement):
    # distribution at 10,000 yuan with half to the sponsor: R earns 5,000 a recruit
    return dict(price=10_000, rates=["0.5"], settlement=Settlement(**settlement))


TWO_RECRUITS = [("R", None, 0), ("A", "R", 0), ("B", "R", 0)]  # R: 10,000 available


def test_labour_remuneration_on_a_withdrawal_of_5000_with_a_fee():
    p = distribution(**rich(withdrawal_fee_rate="0.01"))  # income tax: labour, the default
    m, t = settle(p, [*TWO_RECRUITS, Withdrawal("R", 5000, 0)])
    r = m["R"]
    # above 4,000 yuan, 20% is deducted: 5000 × 0.8 × 20% = 800; the fee 5000 × 1% = 50
    assert (r["withdrawn"], r["tax_withheld"], r["withdrawal_fees"]) == (
        fen(5000),
        fen(800),
        fen(50),
    )
    assert r["available"] == fen(5000)
    assert r["net"] == fen(5000 + 5000 - 50 - 800 - 10_000)
    # 30,000 received = 20,000 retained + 50 fee + 5,000 available + 5,000 − 50 withdrawn
    assert t["retained"] == fen(20_050) and conserved(t)


def test_labour_remuneration_one_months_withdrawals_are_one_payment():
    p = distribution(**rich())
    events = [
        *TWO_RECRUITS,
        Withdrawal("R", 3000, 0),
        Withdrawal("R", 3000, 29),
        Withdrawal("R", 3000, 30),
    ]
    m, t = settle(p, events)
    # T(3000) = (3000 − 800) × 20% = 440; day 29 is still month 0: T(6000) − T(3000) =
    # 6000 × 0.8 × 20% − 440 = 520 (440 alone); day 30 starts month 1: T(3000) = 440
    assert m["R"]["tax_withheld"] == fen(440 + 520 + 440)
    assert (m["R"]["withdrawn"], m["R"]["available"]) == (fen(9000), fen(1000))
    assert t["tax_withheld"] == fen(1400) and conserved(t)


def test_the_policy_withdraws_all_at_the_top_withholding_rate():
    p = distribution(price=1_000_000, rates=["0.5"])
    m, _ = settle(p, [("R", None, 0), ("A", "R", 0), ("B", "R", 0), ("C", "R", 0)], 1)
    # R earns 3 × 500,000 and withdraws all of it at the end of day 0, one payment above
    # 50,000 yuan taxable: 1,500,000 × 0.8 × 40% − 7,000 = 473,000
    assert (m["R"]["withdrawn"], m["R"]["tax_withheld"]) == (fen(1_500_000), fen(473_000))


def test_flat_income_tax_rounds_half_up_and_the_fee_floors():
    tax = Tax(income_tax="flat", income_tax_rate="0.01")
    p = distribution(**rich(withdrawal_fee_rate="0.0015"), tax=tax)
    events = [*TWO_RECRUITS, Withdrawal("R", "1.50", 0), Withdrawal("R", "0.49", 0)]
    m, _ = settle(p, events)
    # 1% of 150 fen = 1.5 → 2 fen; of 49 fen = 0.49 → 0; fee 0.15% of 150 = 0.225 → 0
    assert (m["R"]["tax_withheld"], m["R"]["withdrawal_fees"]) == (2, 0)
    m, _ = settle(p, [*TWO_RECRUITS, Withdrawal("R", 1000, 0)])
    # 1% of 1000 = 10 yuan; the fee floor(0.0015 × 100000 fen) = 150 fen
    assert (m["R"]["tax_withheld"], m["R"]["withdrawal_fees"]) == (fen(10), 150)


def test_no_income_tax_withholds_nothing():
    p = distribution(**rich(), tax=Tax(income_tax="none"))
    m, _ = settle(p, [*TWO_RECRUITS, Withdrawal("R", 10_000, 0)])
    assert (m["R"]["tax_withheld"], m["R"]["withdrawn"], m["R"]["available"]) == (
        0,
        fen(10_000),
        0,
    )


def test_the_withdrawal_policy_at_the_end_of_every_kth_day():
    p = plan(tax=Tax(), withdrawal_minimum=200)
    events = [*WORKED, ("E", "R", 1), ("F", "B", 2)]
    m, t = settle(p, events, withdraw_every=2)
    # k = 2: at the end of day 1 (1 % 2 == 1), after its split, every member with at least
    # 200 available withdraws it all. Day 1: E (R's position 4, under R) pays R 300 [V1]
    # (60 frozen), the differential 20, V1 pool 10: R has 746 + 240 + 20 + 10 = 1016, A has
    # 160 (< 200, stays). Day 2 is not a policy day: F (B's position 1, slid to R) pays B
    # 200 (40 frozen), R 100 + 20 + peer 20 (4 frozen), V1 pool 10.
    r = m["R"]
    assert r["withdrawn"] == fen(1016)
    assert r["available"] == fen(100 + 20 + 16 + 10)
    # labour remuneration: (1016 − 800) × 20% = 43.20
    assert r["tax_withheld"] == fen(43.2)
    assert (m["A"]["withdrawn"], m["A"]["available"]) == (0, fen(160))
    assert (m["B"]["withdrawn"], m["B"]["available"]) == (0, fen(160))
    assert conserved(t)


# -- (g) refunding the last order of a stream --------------------------------------------

RECORDS = ("refunds", "refunded", "clawed_back")
SETTINGS = [
    {},
    {"frozen_days": 7},
    {"cap_per_day": 250, "cap_per_month": 600},
    {"clawback": "absorb", "withdrawal_fee_rate": "0.05"},
]


def withdrawn_by_day(totals):
    return {day: row["withdrawn"] for day, row in totals["daily"].items()}


def without_records(rows):
    return {m: {k: v for k, v in row.items() if k not in RECORDS} for m, row in rows.items()}


@pytest.mark.parametrize("fields", SETTINGS)
def test_refunding_a_last_repurchase_on_its_day_is_the_stream_without_it(fields):
    p = plan(**fields)
    before = [*WORKED, ("E", "R", 1), Withdrawal("R", 50, 1)]  # day 0's V1 dividend
    m0, t0 = settle(p, before)
    # A's repurchase pays R the direct 300 [V1] and the differential 20, 30 into pools
    m1, t1 = settle(p, [*before, ("A", 1), Refund(len(before), 1)])
    assert without_records(m1) == without_records(m0)
    assert m1["A"]["refunds"] == 1 and m1["A"]["refunded"] == fen(699)
    for name in t0:
        if name not in (*RECORDS, "absorbed", "daily"):
            assert t1[name] == t0[name], name
    assert t1["absorbed"] == t0["absorbed"] == 0
    assert withdrawn_by_day(t1) == withdrawn_by_day(t0)


@pytest.mark.parametrize("fields", SETTINGS)
def test_refunding_a_last_join_that_changed_nothing_is_the_stream_without_it(fields):
    p = plan(**fields)
    before = [*WORKED, ("E", "R", 1)]
    m0, t0 = settle(p, before)
    # F joins under C (C's position 1, slid to R): no rank changes (C has 1 recruit), no
    # one qualifies (R's positions A and B are MEMBERs)
    m1, t1 = settle(p, [*before, ("F", "C", 1), Refund(len(before), 1)])
    f = m1.pop("F")
    assert (f["spent"], f["orders"], f["net"], f["refunded"]) == (0, 0, 0, fen(699))
    m1["C"]["recruits"] -= 1  # F still counts as C's recruit
    assert without_records(m1) == without_records(m0)
    for name in t0:
        if name not in (*RECORDS, "members", "daily"):
            assert t1[name] == t0[name], name
    assert withdrawn_by_day(t1) == withdrawn_by_day(t0)


# -- (h) every rule off ------------------------------------------------------------------


def test_with_every_rule_off_the_run_is_the_spec_run():
    off = Settlement(
        frozen_days=0,
        withdrawal_minimum=0,
        withdrawal_fee_rate=0,
        cap_per_day=None,
        cap_per_month=None,
        clawback="absorb",
    )
    events = [*WORKED, ("E", "R", 1), ("A", 1), ("F", "B", 2), ("B", 2)]
    plain = simulate(liandong_699(), events)
    for tax in (Tax(), Tax(income_tax="flat", income_tax_rate="0.2")):
        run = simulate(liandong_699(settlement=off, tax=tax), events)
        for name, column in plain.ledger.columns().items():
            assert column.tolist() == run.ledger.columns()[name].tolist(), name
        for f in fields(plain.totals):
            assert getattr(run.totals, f.name) == getattr(plain.totals, f.name), f.name
    # and the settlement reference equals the spec's reference there
    old, old_totals = simulate_reference(liandong_699(), events)
    new, totals = settle(liandong_699(settlement=off), events)
    for m in old:
        assert {k: new[m][k] for k in old[m]} == old[m]
    assert totals["retained"] == old_totals["retained"]
    assert totals["breakage"] == sum(old_totals["breakage"].values())
    for x in new.values():
        assert x["pending"] == x["debt"] == x["withdrawn"] == x["capped"] == x["refunds"] == 0


# -- bad input, refused before anything runs --------------------------------------------


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ([Refund(9, 0)], r"event 5: refund of event 9, which is not an earlier event"),
        ([Refund(-1, 0)], r"event 5: refund of event -1"),
        ([Refund(4, 0), Refund(5, 0)], r"event 6: refund of event 5, which is a refund"),
        ([Withdrawal("R", 1, 0), Refund(5, 0)], r"event 6: refund of event 5, which is a withdr"),
        ([Refund(4, 0), Refund(4, 0)], r"event 6: refund of event 4, already refunded"),
        ([Withdrawal("R", 0, 0)], r"event 5: withdrawal of '?0'? .*more than 0"),
        ([Withdrawal("R", -5, 0)], r"event 5: withdrawal of '?-5'? .*more than 0"),
        ([Withdrawal("R", "0.001", 0)], r"event 5: withdrawal of '?0\.001'? .*whole fen"),
        ([Withdrawal("Z", 1, 0)], r"event 5: withdrawal by member 'Z'"),
        ([Withdrawal("E", 1, 0), ("E", "R", 0)], r"event 5: withdrawal by member 'E' before"),
        # refused before running: the overdrawn withdrawal (event 5) is never reached
        ([Withdrawal("R", 10_000, 0), Refund(9, 0)], r"event 6: refund of event 9"),
    ],
)
def test_bad_settlement_events_are_refused_naming_the_event(extra, message):
    with pytest.raises(ValueError, match=message):
        simulate(plan(), [*WORKED, *extra])
    with pytest.raises(ValueError, match=r"event \d"):
        simulate_settlement_reference(plan(), [*WORKED, *extra])


def test_a_withdrawal_below_the_minimum_is_refused_before_running():
    events = [*WORKED, Withdrawal("R", "99.99", 0), Withdrawal("A", 10_000, 0)]
    with pytest.raises(ValueError, match=r"event 5\b.*99\.99.*minimum"):
        simulate(plan(withdrawal_minimum=100), events)
    with pytest.raises(ValueError, match=r"event 5\b"):
        simulate_settlement_reference(plan(withdrawal_minimum=100), events)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("withdrawal_fee_rate", "-0.01"),
        ("withdrawal_fee_rate", "0.5001"),
        ("withdrawal_fee_rate", "0.00001"),
        ("cap_per_day", -1),
        ("cap_per_month", "-0.01"),
        ("withdrawal_minimum", -1),
        ("frozen_days", -1),
        ("frozen_days", 3651),
    ],
)
def test_bad_settlement_fields_are_refused_naming_the_field(field, value):
    with pytest.raises(ValidationError, match=field):
        Settlement(**{field: value})
    with pytest.raises(ValidationError, match=field):
        get_plan("liandong_699", **{f"settlement.{field}": value})


def test_withdrawal_fees_can_fund_a_dividend_pool():
    # Day 0 is the spec's worked example: R, the only V1, takes the V1 pool's 50 at the
    # day's end, so R holds 746 available. Day 1: R withdraws 500; the 1% fee, 5, goes to
    # the V1 pool instead of the platform, and at day 1's end R, its only holder, takes it.
    events = [*WORKED, Withdrawal("R", 500, 1)]
    m, t = settle(plan(withdrawal_fee_rate="0.01", withdrawal_fee_pool="V1"), events)
    r = m["R"]
    assert (r["available"], r["withdrawn"], r["withdrawal_fees"]) == (
        fen(746 - 500 + 5),
        fen(500),
        fen(5),
    )
    assert r["pool"] == fen(50 + 5)
    # the platform keeps what it kept on day 0, nothing of the fee; V2, V3 carry 50 each
    assert t["retained"] == fen(3304) and tuple(t["pools"]) == (0, fen(50), fen(50))
    # 4494 = 3304 + (251 + 160) + 184 + 100 + (500 − 5)
    assert conserved(t)


def test_a_fee_pool_needs_a_plan_with_pools():
    with pytest.raises(ValidationError, match=r"settlement.withdrawal_fee_pool = 'V1'"):
        distribution(settlement={"withdrawal_fee_rate": "0.01", "withdrawal_fee_pool": "V1"})


@pytest.mark.parametrize(
    ("amount", "message"),
    [(float("nan"), "a finite number of yuan"), (float("inf"), "a finite number of yuan")],
)
def test_a_withdrawal_of_no_number_is_refused_by_name(amount, message):
    with pytest.raises(ValueError, match=rf"event 2: withdrawal of .* by member 'R': .*{message}"):
        simulate(liandong_699(), [("R", None, 0), ("A", "R", 0), Withdrawal("R", amount, 1)])
