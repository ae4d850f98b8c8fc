"""The staged plan of seed 000: to C first, to B from a chosen month."""

from decimal import Decimal

import pytest

import bizmodels as bm


@pytest.fixture
def plan():
    return bm.StagedPlan(bm.get_model("toc_membership"), bm.get_model("tob_recruitment"), 4)


def test_the_waterfall_adds_the_two_line_by_line(plan):
    first = plan.first.waterfall().to_dict()
    then = plan.then.waterfall().to_dict()
    staged = plan.waterfall().to_dict()
    assert set(staged) == set(first) | set(then)
    for key, amount in staged.items():
        assert amount == first.get(key, 0) + then.get(key, 0), key
    wf = plan.waterfall()
    assert wf.end == wf.start - sum((s.amount for s in wf.deductions), Decimal(0))


def test_a_line_of_the_second_model_stays_in_its_section(plan):
    keys = list(plan.waterfall().to_dict())
    # the to-B model's rewards are channel payouts: after gross profit, before payment fees
    for key in ("referral_rewards", "recruit_three_refund_one"):
        if key in keys:
            assert keys.index("gross_profit") < keys.index(key) < keys.index("payment_fees")


def test_the_cash_flows_switch_models_at_the_month_chosen(plan):
    flows = plan.cash_flows(first_acquisition=[1, 1, 1, 1])
    then = plan.then.cash_flows()
    first = plan.first.cash_flows(acquisition=[1, 1, 1, 1])
    # every line: the first model's month m plus the second's month m − 4 (none before 4)
    for line in flows.lines:
        for m, amount in enumerate(line.amounts):
            a = b = 0
            if line.key in first.totals() and m < first.months:
                a = first[line.key].amounts[m]
            if line.key in then.totals() and 0 <= m - 4 < then.months:
                b = then[line.key].amounts[m - 4]
            assert amount == a + b, (line.key, m)
    # and the lines add up to the staged waterfall, to the fen
    steps = plan.waterfall().to_dict()
    assert flows.totals() == {k: steps[k] for k in flows.totals()}
    assert sum(flows.net) == pytest.approx(float(steps["operating_profit"]), abs=0.005)


def test_nothing_of_the_second_model_before_the_switch():
    # to B from month 3, a to-B model whose dealers are all won in its month 0: the entry
    # packages are paid in month 3 and not before
    staged = bm.StagedPlan(bm.get_model("toc_membership"), bm.get_model("tob_recruitment"), 3)
    only_first = staged.first.cash_flows()
    flows = staged.cash_flows()
    for m in range(3):
        assert flows["net_sales"].amounts[m] == only_first["net_sales"].amounts[m]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((bm.get_model("toc_membership"), "tob_recruitment", 3), "then must be a business model"),
        ((bm.get_model("toc_membership"), bm.get_model("tob_online"), 0), "got 0"),
        ((bm.get_model("toc_membership"), bm.get_model("tob_online"), 1201), "from 1 to 1,200"),
        ((bm.get_model("toc_membership"), bm.get_model("tob_online"), 2.5), "got 2.5"),
        ((bm.get_model("toc_membership"), bm.get_model("tob_online"), True), "got True"),
    ],
)
def test_bad_plans_are_refused(args, message):
    with pytest.raises(ValueError, match=message):
        bm.StagedPlan(*args)


def test_a_first_acquisition_past_the_switch_is_refused(plan):
    with pytest.raises(ValueError, match=r"first_acquisition has 5 months; .* at most 4"):
        plan.cash_flows(first_acquisition=[1] * 5)
    with pytest.raises(ValueError, match="months is not taken"):
        plan.cash_flows(months=10)
