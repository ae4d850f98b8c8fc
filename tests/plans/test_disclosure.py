"""The honest disclosure after everything: take-home after fee and tax, the platform's
result after VAT and fees, refunds and the company's roots apart, worked out by hand."""

from decimal import Decimal

import numpy as np
import pytest

from bizmodels.plans import (
    Refund,
    Withdrawal,
    compare_plans,
    generate_growth,
    liandong_699,
    simulate,
    simulate_ensemble,
    simulate_growth,
)
from bizmodels.plans.summary import cash_out
from bizmodels.tax import payment_fee_fen, vat_in_price_fen

# A root S, then R, who recruits 20 (no V1: legs_required 100). R's directs: 200 + 200
# at MEMBER, then 18 × 300 as an AGENT = 5,800 yuan, 20% frozen (never qualified: its
# positions 1 and 2 stay MEMBERs): 4,640 available, 1,160 frozen.
RECRUITER = [("S", None, 0), ("R", "S", 0), *[(f"M{i}", "R", 0) for i in range(20)]]


def recruiter(**settlement_and_tax):
    return liandong_699(legs_required=100, **settlement_and_tax)


def test_take_home_after_the_fee_and_labour_remuneration_tax():
    run = simulate(recruiter(settlement={"withdrawal_fee_rate": "0.01"}), RECRUITER)
    r = run.row("R")
    assert int(run.ledger.available[r]) == 464_000 and int(run.ledger.frozen[r]) == 116_000
    out = cash_out(run)
    # 劳务报酬 on 4,640 yuan as one payment: above 4,000, so 20% deducted; 3,712 × 20%
    # = 742.40 yuan. The fee: floor(1% × 464,000 fen) = 4,640 fen.
    assert (int(out.amount[r]), int(out.fee[r]), int(out.tax[r])) == (464_000, 4_640, 74_240)
    assert int(out.take_home[r]) == 464_000 - 4_640 - 74_240  # 3,851.20 yuan
    assert int(out.net[r]) == 385_120 - 69_900  # less the package R paid
    # The recruits earned nothing and can withdraw nothing.
    m = run.row("M0")
    assert (int(out.amount[m]), int(out.take_home[m]), int(out.net[m])) == (0, 0, -69_900)
    s = run.summary()
    # Participants: R and its 20 recruits; R's take-home is the whole of theirs.
    assert s.participants == 21 and s.take_home == 385_120
    assert s.take_home_mean == 385_120 / 21 and s.take_home_median == 0
    assert s.earned_back == s.earned_back_cash == 1 / 21  # R: 5,800 − 699 ≥ 0 either way
    agent = s.ranks[1]
    assert (agent.members, agent.take_home_mean, agent.earned_back_cash) == (1, 385_120, 1.0)


def test_take_home_with_a_flat_tax_no_tax_and_a_minimum():
    flat = recruiter(
        settlement={"withdrawal_fee_rate": "0.01"},
        tax={"income_tax": "flat", "income_tax_rate": "0.05"},
    )
    r = 1
    out = cash_out(simulate(flat, RECRUITER))
    assert int(out.tax[r]) == 23_200  # 5% of 464,000 fen
    assert int(out.take_home[r]) == 464_000 - 4_640 - 23_200
    none = recruiter(settlement={"withdrawal_fee_rate": "0.01"}, tax={"income_tax": "none"})
    assert int(cash_out(simulate(none, RECRUITER)).take_home[r]) == 464_000 - 4_640
    # A minimum of 5,000 yuan: R's 4,640 cannot be withdrawn at all.
    high = recruiter(settlement={"withdrawal_minimum": 5000})
    run = simulate(high, RECRUITER)
    out = cash_out(run)
    assert (int(out.amount[r]), int(out.take_home[r]), int(out.net[r])) == (0, 0, -69_900)
    s = run.summary()
    assert s.earned_back == 1 / 21 and s.earned_back_cash == 0  # ahead only on paper


def test_take_home_adds_what_was_withdrawn_net_of_fee_and_tax():
    plan = recruiter(settlement={"withdrawal_fee_rate": "0.01"})
    run = simulate(plan, [*RECRUITER, Withdrawal("R", 4000, 1)])
    led, r = run.ledger, 1
    # Withdrawn 4,000 yuan: fee 40; tax (4,000 − 800) × 20% = 640, the first payment of
    # the month. 640 yuan are left, below 800: no tax on them, a fee of 6.40.
    assert (int(led.withdrawn[r]), int(led.withdrawal_fees[r]), int(led.tax_withheld[r])) == (
        400_000,
        4_000,
        64_000,
    )
    out = cash_out(run)
    assert (int(out.amount[r]), int(out.fee[r]), int(out.tax[r])) == (64_000, 640, 0)
    assert int(out.take_home[r]) == (400_000 - 4_000 - 64_000) + (64_000 - 640)
    # the ledger's net already nets the fee and the tax withheld: 5,800 − 40 − 640 − 699
    assert int(led.net[r]) == 580_000 - 4_000 - 64_000 - 69_900


# The worked example under a root S, then R withdraws 500 yuan on day 1 and D's join
# (event 5) is refunded the same day.
REFUNDED = [
    ("S", None, 0),
    ("R", "S", 0),
    ("A", "R", 0),
    ("B", "R", 0),
    ("C", "R", 0),
    ("D", "A", 0),
    Withdrawal("R", 500, 1),
    Refund(5, 1),
]


def test_the_platform_after_refunds_vat_and_fees():
    plan = liandong_699(settlement={"withdrawal_fee_rate": "0.01", "withdrawal_minimum": 100})
    run = simulate(plan, REFUNDED)
    s = run.summary()
    # Day 0: S earns 200 + 20 + 20 (R's directs for R, A, B); R 200 + 200 + 300, the
    # see-point 100, differential 20 and peer 20 on D, the V1 pool's 60: 900, 144 frozen,
    # 756 available; A 200 (40 frozen). R withdraws 500: fee 5, no tax (≤ 800).
    # D's refund: A's direct 200 (40 from frozen, 160 from available), R's see-point 100,
    # differential 20 and peer 20 (4 from frozen) come back: 340 clawed back; V2 and V3
    # take back their 10, the V1 pool's 10 was split on day 0: 10 absorbed.
    assert (s.refunds, s.refunded, s.clawed_back, s.absorbed) == (1, 69_900, 34_000, 1_000)
    assert s.received == 5 * 69_900 + 99_900  # six packages, one refunded, R's identity
    assert s.paid == 24_000 + 76_000  # S 240; R 900 − 140
    # VAT inside the prices: packages as goods, 3,495 × 13 / 113 = 402.0796 → 402.08;
    # the identity package as a service, 999 × 6 / 106 = 56.547 → 56.55
    assert s.vat == 40_208 + 5_655
    assert s.payment_fees == 2_696  # 0.6% of 4,494 = 26.964
    assert s.withdrawal_fees == 500 and s.tax_withheld == 0 and s.withdrawn == 50_000
    # 4,494 − 1,000 − 458.63 − 26.96 + 5 = 3,013.41
    assert s.platform_result == 449_400 - 100_000 - 45_863 - 2_696 + 500 == 301_341
    # the same identity as the engine's: received − paid + withdrawal fees = kept + pools
    assert s.received - s.paid + s.withdrawal_fees == s.retained + sum(s.pools)
    values = s.values()
    assert values["platform_result"] == Decimal("3013.41") and values["vat"] == Decimal("458.63")


def test_members_after_a_refund_and_a_withdrawal():
    plan = liandong_699(settlement={"withdrawal_fee_rate": "0.01", "withdrawal_minimum": 100})
    s = simulate(plan, REFUNDED).summary()
    # S, the root, kept 240 (48 frozen): apart. R: 120 available, 140 frozen, 500
    # withdrawn less 5, paid 1,698: net −943; take-home 495 + (120 − 1.20) = 613.80.
    # A: everything clawed back, −699. D: refunded, paid and earned nothing: net 0,
    # whole again but not earned back.
    assert (s.roots_earned, s.participants) == (24_000, 5)
    assert s.roots_share == 240 / (240 + 760)
    assert s.net_quantiles[0] == -94_300 and s.net_quantiles[-1] == 0
    assert s.take_home == 61_380
    assert s.earned_back == 0 and s.earned_back_cash == 0
    bands = {b.key: (b.members, b.net_total, b.take_home_total) for b in s.bands}
    assert bands["refunded"] == (1, 0, 0)  # D
    assert bands["earned_nothing"] == (3, -3 * 69_900, 0)  # A, B, C
    assert bands["lost_most"] == (1, -94_300, 61_380)  # R: 760 < 1,698 / 2
    assert sum(b.members for b in s.bands) == 5
    v1 = s.ranks[2]
    assert (v1.members, v1.net_median, v1.take_home_mean, v1.earned) == (1, -94_300, 61_380, 76_000)


def test_no_refunded_band_without_refunds():
    s = simulate(liandong_699(), REFUNDED[:6]).summary()
    assert s.bands[0].key == "earned_nothing" and len(s.bands) == 6


def test_vat_by_regime_and_by_what_an_identity_package_sells():
    events = REFUNDED[:6]  # six packages of 699 and R's identity package of 999
    small = simulate(liandong_699(tax={"vat": "small_scale"}), events).summary()
    # the levy rate on everything: 4,194 × 3 / 103 = 122.155… and 999 × 3 / 103 = 29.097…
    assert small.vat == 12_216 + 2_910
    goods = simulate(liandong_699(tax={"identity_packages": "goods"}), events).summary()
    # 4,194 × 13 / 113 = 482.4956 → 482.50; 999 × 13 / 113 = 114.929 → 114.93
    assert goods.vat == 48_250 + 11_493
    no_fee = simulate(liandong_699(tax={"payment_fee_rate": 0}), events).summary()
    assert no_fee.payment_fees == 0


def test_the_roots_apart_on_a_grown_network():
    run = simulate_growth(liandong_699(), members=3000, days=150, seed=2, refund_rate=0.05)
    s, led = run.summary(), run.ledger
    roots = led.sponsor < 0
    assert s.roots == int(roots.sum()) == 10 and s.participants == s.members - 10
    assert s.roots_earned == int(led.earned[roots].sum())
    assert s.roots_share == s.roots_earned / int(led.earned.sum())
    assert sum(g.members for g in s.ranks) == sum(b.members for b in s.bands) == s.participants
    assert sum(c.members for c in s.cohorts) == s.participants
    out = cash_out(run)
    assert s.take_home == int(out.take_home[~roots].sum())
    assert sum(b.take_home_total for b in s.bands) == s.take_home
    assert s.refunds == run.totals.refunds > 0


def test_withdrawals_every_week_on_a_grown_network():
    run = simulate_growth(
        liandong_699(settlement={"withdrawal_fee_rate": "0.005"}),
        members=3000,
        days=150,
        seed=2,
        refund_rate=0.05,
        withdraw_every=7,
    )
    t, led = run.totals, run.ledger
    assert t.withdrawn > 0 and t.withdrawal_fees == int(led.withdrawal_fees.sum()) > 0
    out = cash_out(run)
    paid_out = led.withdrawn - led.withdrawal_fees - led.tax_withheld
    assert np.array_equal(out.take_home, paid_out + out.amount - out.fee - out.tax)
    s = run.summary()
    tax = run.plan.tax
    vat = vat_in_price_fen(t.packages, tax.goods_rate) + vat_in_price_fen(
        t.identity_packages, tax.service_rate
    )
    fees = payment_fee_fen(t.received, tax.payment_fee_rate)
    assert s.platform_result == t.received - t.paid - vat - fees + t.withdrawal_fees


def test_bad_withdraw_every_is_refused_before_growing():
    with pytest.raises(ValueError, match="withdraw_every = 0"):
        simulate_growth(liandong_699(), members=10**9, withdraw_every=0)
    with pytest.raises(ValueError, match="withdraw_every"):
        simulate_ensemble(liandong_699(), seeds=[1], members=100, withdraw_every=-1)


def test_compare_plans_with_refunds_tax_and_fees():
    stream = generate_growth(members=1500, days=150, seed=4, refund_rate=0.05)
    fee = liandong_699(settlement={"withdrawal_fee_rate": "0.02"})
    side = compare_plans({"A": liandong_699(), "B": fee}, stream, withdraw_every=7)
    for name, plan in (("A", liandong_699()), ("B", fee)):
        alone = simulate(plan, stream, withdraw_every=7).summary()
        assert side.summaries[name].to_records() == alone.to_records()
    a, b = side.summaries["A"], side.summaries["B"]
    assert a.refunds == b.refunds > 0 and a.refunded == b.refunded  # one stream
    assert a.withdrawal_fees == 0 < b.withdrawal_fees
    # the same payouts; B keeps its fees: its result is higher by exactly them
    assert a.paid == b.paid and b.platform_result - a.platform_result == b.withdrawal_fees
    assert b.take_home < a.take_home
    keys = ["refunds", "platform_result", "tax_withheld", "take_home_mean", "earned_back_cash"]
    table = side.to_table(keys=keys)
    for label in ("Orders refunded", "Platform's result", "Income tax withheld", "Take-home"):
        assert label in table
    assert "平台结果" in side.to_table(lang="zh", keys=keys)
    html = side.to_html()
    assert "Platform&#x27;s result" in html or "Platform's result" in html
