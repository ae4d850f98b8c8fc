import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal

import numpy as np
import pytest
from pydantic import ValidationError

import bizmodels as bm
from bizmodels._limits import SizeError
from bizmodels.risk import (
    BLOCK,
    Beta,
    Empirical,
    LogNormal,
    Normal,
    Triangular,
    Uniform,
    break_even,
    distribution_from_dict,
    draw_inputs,
    monte_carlo,
    scenario_sets,
    sobol,
    tornado,
    two_way,
)
from bizmodels.risk import sensitivity as sensitivity_module

FEN = Decimal("0.01")


def exact(model, field, value, target="operating_profit"):
    """The target of the exact waterfall with one field (of the model or market) set."""
    if field in type(model).model_fields:
        changed = type(model)(**{**dict(model), field: value})
    else:
        changed = model.with_market(bm.Market(**{**dict(model.market), field: value}))
    return changed.waterfall().to_dict()[target]


# -- break-even ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("slug", "field"),
    [
        ("toc_membership", "customers"),
        ("toc_membership", "conversion"),
        ("omnichannel", "refund_rate"),
        ("tob_recruitment", "dealer_share"),
        ("toc_two_level_distribution", "retention"),
    ],
)
def test_break_even_checks_by_substitution(slug, field):
    model = bm.get_model(slug)
    answer = break_even(model, field)
    assert answer.found, answer.message
    # the exact Decimal waterfall at the returned value is within a fen of zero
    reached = exact(model, field, answer.value)
    assert reached == answer.reached
    assert abs(reached) <= FEN


@pytest.mark.parametrize(
    ("slug", "field"),
    [("toc_membership", "price"), ("online_to_offline", "fixed_per_period")],
)
def test_break_even_of_a_money_field_is_the_nearest_fen(slug, field):
    # one fen of price moves profit by more than a fen, so the answer is the fen value
    # whose exact profit is nearest zero, and the crossing lies within a fen of it
    model = bm.get_model(slug)
    answer = break_even(model, field)
    assert answer.found and answer.value == answer.value.quantize(FEN)
    reached = exact(model, field, answer.value)
    below, above = (exact(model, field, answer.value + d) for d in (-FEN, FEN))
    assert abs(reached) <= min(abs(below), abs(above))
    assert min(below, reached, above) <= 0 <= max(below, reached, above)


def test_break_even_reaches_another_level_and_another_step():
    model = bm.get_model("toc_membership")
    answer = break_even(model, "reach", target="contribution_margin", value=500_000)
    assert answer.found
    assert abs(exact(model, "reach", answer.value, "contribution_margin") - 500_000) <= FEN


def test_break_even_says_plainly_when_there_is_none():
    # orders collected in the store only save fulfilment: profit rises with the share, so
    # it stays between its values at 0 and at 1, both above zero
    model = bm.get_model("omnichannel")
    answer = break_even(model, "in_store_share")
    assert not answer.found and answer.value is None and answer.reached is None
    assert answer.search_range == (0.0, 1.0)
    low = bm.get_model("omnichannel", in_store_share=0).waterfall().end
    high = bm.get_model("omnichannel", in_store_share=1).waterfall().end
    assert 0 < low < high
    assert "no break-even" in answer.message and f"{low:,.2f} and {high:,.2f}" in str(answer)


def test_break_even_searches_the_whole_valid_range_of_a_wide_field():
    # fixed costs per period go up to 10^10 yuan (bizmodels._types.MAX_YUAN): the crossing
    # near 20,000 lies far below the even steps of that range (10^7 apart), and the
    # geometric points of the scan find it
    model = bm.get_model("toc_membership")
    answer = break_even(model, "fixed_per_period")
    assert answer.search_range == (0.0, 1e10)
    # by hand: profit falls by lifetime (12) per yuan of fixed cost per period
    profit = {line.key: line.value for line in model.pnl_lines()}["operating_profit"]
    assert abs(answer.value - (20_000 + profit / 12)) <= FEN
    assert 20_000 < answer.value < 30_000
    narrow = break_even(model, "fixed_per_period", search=(0, 20_000))
    assert not narrow.found and narrow.search_range == (0.0, 20_000.0)


def test_break_even_bad_input_names_it():
    model = bm.get_model("toc_membership")
    with pytest.raises(ValueError, match="'colour' is not a numeric field"):
        break_even(model, "colour")
    with pytest.raises(ValueError, match="'ebitda' is not a waterfall step"):
        break_even(model, "price", target="ebitda")
    with pytest.raises(ValueError, match="empty or unbounded search range"):
        break_even(model, "reach", search=(2, 3))


# -- tornado, two-way table, Sobol --------------------------------------------------------


def test_tornado_order_by_hand():
    # GMV of toc_membership: customers scale all of it (swing 20% of GMV); conversion only
    # the ordinary buyers' part; the member discount a small part; fixed costs none of it
    model = bm.get_model("toc_membership")
    gmv = float(model.pnl_lines()[0].value)  # unrounded, as the tornado's floats
    fields = ["fixed_per_period", "member_discount", "customers", "conversion"]
    result = tornado(model, fields, target="gmv")
    assert result.order == ["customers", "conversion", "member_discount", "fixed_per_period"]
    bars = {bar.field: bar for bar in result.bars}
    assert bars["customers"].swing == pytest.approx(0.2 * gmv, rel=1e-12)
    assert bars["fixed_per_period"].swing == 0
    assert result.base == pytest.approx(gmv, rel=1e-12)
    assert "customers" in result.to_table()


def test_tornado_clips_to_the_valid_range_and_says_so():
    model = bm.get_model("toc_membership", member_conversion=1, member_benefits=0)
    bars = {bar.field: bar for bar in tornado(model, change=0.2).bars}
    assert bars["member_conversion"].high == 1.0
    assert "high clipped to 1" in bars["member_conversion"].note
    assert "zero" in bars["member_benefits"].note and bars["member_benefits"].swing == 0


def test_tornado_reports_a_failed_check_and_puts_it_last():
    model = bm.get_model("toc_membership", market=bm.Market(unit_cost=195))
    result = tornado(model, ["unit_cost", "customers"])
    assert result.order == ["customers", "unit_cost"]
    bar = result.bars[-1]
    assert bar.target_high is None and bar.swing is None and "unit cost above price" in bar.note
    assert bar.target_low is not None  # 90% of 195 is below the price of 199
    assert "n/a" in result.to_table()


def test_two_way_table_matches_the_sweep():
    model = bm.get_model("omnichannel")
    prices, rates = [150.0, 199.0, 250.0], [0.02, 0.1]
    table = two_way(model, "price", prices, "refund_rate", rates)
    assert table.values.shape == (3, 2)
    for i, p in enumerate(prices):
        for j, r in enumerate(rates):
            one = bm.sweep(model, price=p, refund_rate=r)["operating_profit"]
            assert table.values[i, j] == pytest.approx(float(one), rel=1e-12)
    assert "price \\ refund_rate" in table.to_table()


def test_two_way_table_leaves_failing_pairs_empty():
    table = two_way(bm.get_model("omnichannel"), "price", [50, 199], "unit_cost", [60, 100])
    assert np.isnan(table.values[0]).all() and np.isfinite(table.values[1]).all()
    assert table.valid.tolist() == [[False, False], [True, True]]
    assert "n/a" in table.to_table()


def test_sobol_indices_by_hand():
    pytest.importorskip("SALib")
    # GMV does not depend on fixed costs at all, and is linear in customers
    model = bm.get_model("toc_membership")
    ranges = {"fixed_per_period": (10_000, 30_000), "customers": (5_000, 15_000)}
    result = sobol(model, ranges, target="gmv", samples=256)
    assert result.fields == ("customers", "fixed_per_period")
    assert result.total[0] == pytest.approx(1, abs=0.05)
    assert result.total[1] == pytest.approx(0, abs=1e-9)
    assert result.evaluations == 256 * 4
    assert "Total order" in result.to_table()


def test_sobol_without_salib_names_the_extra(monkeypatch):
    def missing(name):
        raise ImportError(name)

    monkeypatch.setattr(sensitivity_module.importlib, "import_module", missing)
    with pytest.raises(ImportError, match=r"pip install 'bizmodels\[sensitivity\]'"):
        sobol(bm.get_model("toc_membership"))


def test_sobol_wants_a_power_of_two():
    pytest.importorskip("SALib")
    with pytest.raises(ValueError, match="power of two"):
        sobol(bm.get_model("toc_membership"), samples=1000)


# -- scenario sets ------------------------------------------------------------------------


def test_scenario_sets_side_by_side():
    sets = {
        "base": {},
        "worst": {"price": 169, "toc_membership.reach": "0.2"},
        "broken": {"unit_cost": 250},
    }
    summary = scenario_sets(sets, ["toc_membership", "omnichannel"])
    assert summary.models == ("toc_membership", "omnichannel")
    assert summary.scenarios == ("base", "worst", "broken")
    for slug in summary.models:
        assert summary.values[slug, "base"] == bm.get_model(slug).waterfall().end
    assert summary.values["omnichannel", "worst"] == exact(
        bm.get_model("omnichannel"), "price", 169
    )
    membership = bm.get_model("toc_membership", reach=Decimal("0.2"))
    assert summary.values["toc_membership", "worst"] == exact(membership, "price", 169)
    # goods above the price: refused by the model's check, shown as n/a with the reason
    assert summary.values["omnichannel", "broken"] is None
    assert "unit cost above price" in summary.problems["omnichannel", "broken"]
    table = summary.to_table()
    assert "n/a" in table and "worst" in table


def test_scenario_sets_refuse_an_unknown_field():
    with pytest.raises(ValueError, match="'colour' is not a numeric field"):
        scenario_sets({"x": {"colour": 1}}, ["toc_membership"])
    with pytest.raises(ValueError, match="has no numeric field 'dealer_share'"):
        scenario_sets({"x": {"toc_membership.dealer_share": 1}}, ["toc_membership"])


# -- distributions ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "match"),
    [
        (lambda: Uniform(low=5, high=3), r"low \(5\) > high \(3\)"),
        (lambda: Triangular(low=1, mode=5, high=3), r"mode \(5\) > high \(3\)"),
        (lambda: Normal(mean=1, sd=-1), "sd"),
        (lambda: LogNormal(mu=0, sigma=-0.1), "sigma"),
        (lambda: Beta(a=0, b=2), "a\n"),
        (lambda: Beta(a=2, b=-1), "b\n"),
        (lambda: Beta(a=2, b=2, low=1, high=0), r"low \(1\) > high \(0\)"),
        (lambda: Empirical(values=[]), "values"),
        (lambda: Normal(mean=float("nan"), sd=1), "mean"),
        (lambda: Uniform(low=0, high=1, width=2), "width"),
        (lambda: distribution_from_dict({"kind": "cauchy"}), "cauchy"),
    ],
)
def test_distributions_refuse_bad_parameters_naming_them(build, match):
    with pytest.raises(ValidationError, match=match):
        build()


def test_lognormal_from_mean_and_sd():
    d = LogNormal.from_mean_sd(100, 20)
    x = d.sample(np.random.default_rng(0), 200_000)
    assert x.mean() == pytest.approx(100, rel=0.01) and x.std() == pytest.approx(20, rel=0.02)
    with pytest.raises(ValueError, match="mean must be > 0"):
        LogNormal.from_mean_sd(0, 1)


# -- Monte Carlo --------------------------------------------------------------------------

MODELS = ["toc_membership", "omnichannel", "tob_recruitment"]
DISTRIBUTIONS = {
    "customers": Triangular(low=5_000, mode=10_000, high=20_000),
    "price": Uniform(low=150, high=250),
    "unit_cost": Normal(mean=60, sd=5),
    "refund_rate": Beta(a=2, b=30),
    "lifetime": LogNormal.from_mean_sd(12, 3),
    "toc_membership.member_conversion": Empirical(values=[0.42, 0.51, 0.55, 0.6]),
}
SAMPLES = 20_000  # three blocks of 8,192, the last one partly used


def same(a, b):
    assert np.array_equal(a.values, b.values, equal_nan=True)
    assert np.array_equal(a.rank_counts, b.rank_counts)
    assert a.clipped == b.clipped and a.seed == b.seed


@pytest.fixture(scope="module")
def reference():
    return monte_carlo(MODELS, DISTRIBUTIONS, samples=SAMPLES, seed=42)


@pytest.mark.parametrize("chunk_size", [1_000, 3_333, SAMPLES])
def test_monte_carlo_same_numbers_whatever_the_chunk_size(reference, chunk_size):
    assert SAMPLES > 2 * BLOCK
    same(
        monte_carlo(MODELS, DISTRIBUTIONS, samples=SAMPLES, seed=42, chunk_size=chunk_size),
        reference,
    )


def test_monte_carlo_same_numbers_on_a_process_pool(reference):
    # spawn: fresh interpreters, so the chunks' arguments must pickle (and no fork of a
    # process that runs threads, which Python 3.12+ warns about)
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
        result = monte_carlo(
            MODELS, DISTRIBUTIONS, samples=SAMPLES, seed=42, executor=pool, chunk_size=3_333
        )
    same(result, reference)


def test_monte_carlo_same_numbers_on_a_dask_cluster(reference):
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0"
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        result = monte_carlo(
            MODELS,
            DISTRIBUTIONS,
            samples=SAMPLES,
            seed=42,
            executor=client.get_executor(),
            chunk_size=5_000,
        )
    same(result, reference)


def test_monte_carlo_prefix_and_seed(reference):
    shorter = monte_carlo(MODELS, DISTRIBUTIONS, samples=1_234, seed=42)
    assert np.array_equal(shorter.values, reference.values[:, :1_234])
    other = monte_carlo(MODELS, DISTRIBUTIONS, samples=1_234, seed=43)
    assert not np.array_equal(other.values, shorter.values)


def test_monte_carlo_is_paired_on_the_market(reference):
    # every model sees the same market draw; model fields are drawn per model
    inputs = draw_inputs(MODELS, DISTRIBUTIONS, samples=SAMPLES, seed=42)
    assert not np.array_equal(inputs["toc_membership.lifetime"], inputs["omnichannel.lifetime"])
    market = {k.split(".")[1]: v for k, v in inputs.items() if k.startswith("market.")}
    for i, slug in enumerate(MODELS):
        own = {k.split(".")[1]: v for k, v in inputs.items() if k.startswith(f"{slug}.")}
        swept = bm.sweep(bm.get_model(slug), **market, **own)["operating_profit"]
        assert np.array_equal(swept, reference.values[i])


def test_monte_carlo_summaries(reference):
    wins = reference.win_rates
    assert sum(wins.values()) == pytest.approx(1) and reference.ranked == SAMPLES
    shares = reference.rank_shares
    assert all(sum(s) == pytest.approx(1) for s in shares.values())
    p = reference.percentiles((5, 50, 95))
    assert all(p[m][5] <= p[m][50] <= p[m][95] for m in MODELS)
    text = str(reference)
    assert "P(loss)" in text and "omnichannel" in text


def test_degenerate_distribution_gives_the_exact_waterfall():
    model = bm.get_model("toc_membership")
    result = monte_carlo(
        [model],
        {"price": Uniform(low=199, high=199), "lifetime": Triangular(low=12, mode=12, high=12)},
        samples=1_000,
        seed=0,
    )
    exact_profit = {line.key: line.value for line in model.pnl_lines()}["operating_profit"]
    for value in result.percentiles((1, 50, 99))["toc_membership"].values():
        assert value == pytest.approx(float(exact_profit), rel=1e-12)
        assert abs(Decimal(value) - model.waterfall().end) <= FEN
    assert result.probability_of_loss == {"toc_membership": 0.0}


def test_probability_of_loss_by_hand():
    # profit falls by 12 (the lifetime) per yuan of fixed cost per period, so it breaks even
    # at F* = 20,000 + profit / 12; with fixed costs uniform on [20,000, 30,000],
    # P(loss) = (30,000 − F*) / 10,000
    model = bm.get_model("toc_membership")
    profit = {line.key: line.value for line in model.pnl_lines()}["operating_profit"]
    f_star = 20_000 + float(profit) / 12
    expected = (30_000 - f_star) / 10_000
    assert 0.1 < expected < 0.9
    result = monte_carlo(
        [model], {"fixed_per_period": Uniform(low=20_000, high=30_000)}, samples=40_000, seed=3
    )
    # four standard errors of a share over 40,000 samples
    assert result.probability_of_loss["toc_membership"] == pytest.approx(expected, abs=0.01)
    assert float(break_even(model, "fixed_per_period").value) == pytest.approx(f_star, abs=0.01)


def test_monte_carlo_clips_draws_to_the_valid_range_and_counts_them():
    result = monte_carlo(
        ["toc_membership"], {"conversion": Normal(mean=0.9, sd=0.2)}, samples=5_000, seed=1
    )
    inputs = draw_inputs(
        ["toc_membership"], {"conversion": Normal(mean=0.9, sd=0.2)}, samples=5_000, seed=1
    )
    x = inputs["toc_membership.conversion"]
    clipped = np.sum((x == 0) | (x == 1))
    assert x.max() == 1.0 and result.clipped["toc_membership.conversion"] == clipped > 1_000


def test_monte_carlo_leaves_out_samples_that_fail_a_check():
    # unit cost drawn around the price: where it is above, the model refuses the scenario
    result = monte_carlo(
        ["toc_membership", "omnichannel"],
        {"unit_cost": Uniform(low=150, high=250)},
        samples=4_000,
        seed=5,
    )
    invalid = result.invalid["toc_membership"]
    assert 0 < invalid < 4_000 and np.isnan(result.values[0]).sum() == invalid
    assert (~result.valid[0]).sum() == invalid
    assert result.ranked == 4_000 - max(result.invalid.values())


def test_monte_carlo_bad_input_names_it():
    with pytest.raises(ValueError, match="'colour' is not a numeric field"):
        monte_carlo(["toc_membership"], {"colour": Uniform(low=0, high=1)}, samples=10)
    with pytest.raises(ValueError, match="no model labelled 'omnichannel'"):
        monte_carlo(["toc_membership"], {"omnichannel.reach": Uniform(low=0, high=1)}, samples=10)
    with pytest.raises(ValueError, match="samples must be a whole number"):
        monte_carlo(["toc_membership"], {}, samples=0)
    with pytest.raises(ValueError, match="chunk_size must be a whole number"):
        monte_carlo(["toc_membership"], {}, samples=10, chunk_size=-5)
    with pytest.raises(ValidationError, match="sd"):
        monte_carlo(["toc_membership"], {"price": {"kind": "normal", "mean": 1, "sd": -1}})
    with pytest.raises(ValueError, match="two distributions"):
        monte_carlo(
            ["toc_membership"],
            {"reach": Uniform(low=0, high=1), "toc_membership.reach": Uniform(low=0, high=1)},
            samples=10,
        )


# -- refusals: no valid sample, sizes, strings, NaN ----------------------------------------


def test_monte_carlo_with_no_valid_sample_says_so_plainly():
    # goods from 300 to 400 yuan against the market's price of 199: every sample fails
    with pytest.raises(ValueError) as caught:
        monte_carlo(["toc_membership"], {"unit_cost": Uniform(low=300, high=400)}, samples=1_000)
    assert str(caught.value) == (
        "toc_membership: no valid sample: all 1,000 samples failed its checks (unit cost "
        "above price: 1,000); narrow the distributions so that the model can be evaluated"
    )


def test_monte_carlo_refuses_to_rank_models_with_no_common_valid_sample():
    # level-1 commission drawn on [0.9, 1] with level-2 at 0.05: a sample above 0.95 fails
    # the check that the rates add up to at most 1. Seed 8 draws a = (0.985, 0.949) and
    # b = (0.901, 0.969): a fails sample 0, b sample 1, so each has one valid sample, and
    # no sample is valid for both
    model = bm.get_model("toc_two_level_distribution")
    models = {"a": model, "b": model}
    rates = {"a.level1_rate": Uniform(low=0.9, high=1), "b.level1_rate": Uniform(low=0.9, high=1)}
    drawn = draw_inputs(models, rates, samples=2, seed=8)
    assert (drawn["a.level1_rate"] > 0.95).tolist() == [True, False]
    assert (drawn["b.level1_rate"] > 0.95).tolist() == [False, True]
    with pytest.raises(ValueError, match=r"cannot be ranked \(valid samples: a 1, b 1\)"):
        monte_carlo(models, rates, samples=2, seed=8)


def test_monte_carlo_counts_the_checks_that_failed():
    result = monte_carlo(
        ["toc_membership"], {"unit_cost": Uniform(low=150, high=250)}, samples=4_000, seed=5
    )
    failed = result.failures["toc_membership"]
    assert failed == {"unit cost above price": result.invalid["toc_membership"]}


def test_monte_carlo_samples_at_and_past_their_limits(monkeypatch):
    from bizmodels.risk import MAX_SAMPLES

    assert MAX_SAMPLES == 10**9
    with pytest.raises(SizeError, match=r"samples = 1000000001: at most 1,000,000,000"):
        monte_carlo(["toc_membership"], {}, samples=MAX_SAMPLES + 1)
    # at the limit the run is refused only by memory: 10^9 samples × 8 bytes is 8 GB
    monkeypatch.setenv("BIZMODELS_MEMORY_LIMIT", str(4 * 10**9))
    with pytest.raises(SizeError, match=r"samples = 1000000000 needs about 8\.\d GB of memory"):
        monte_carlo(["toc_membership"], {}, samples=MAX_SAMPLES)
    with pytest.raises(SizeError, match=r"samples = 1000000000 needs about"):
        draw_inputs(
            ["toc_membership"], {"price": Uniform(low=1, high=2)}, samples=MAX_SAMPLES, seed=0
        )
    with pytest.raises(SizeError, match="at most 1,000,000,000"):
        draw_inputs(["toc_membership"], {}, samples=10**12, seed=0)


def test_monte_carlo_refuses_a_distribution_that_overflows():
    with pytest.raises(ValidationError, match=r"high − low \(1e\+308 − -1e\+308\) overflows"):
        Uniform(low=-1e308, high=1e308)
    with pytest.raises(ValueError, match=r"market.price: LogNormal\(.*\) drew inf at sample"):
        monte_carlo(["toc_membership"], {"price": LogNormal(mu=700, sigma=100)}, samples=10)


def test_monte_carlo_takes_one_slug_as_one_model():
    result = monte_carlo("toc_membership", {"price": Uniform(low=190, high=210)}, samples=100)
    assert result.models == ("toc_membership",)
    with pytest.raises(ValueError, match="models must be slugs or models, got 3"):
        monte_carlo([3], {}, samples=10)


def test_monte_carlo_statistics_refuse_bad_arguments(reference):
    with pytest.raises(ValueError, match="threshold must be a finite number of yuan, got nan"):
        reference.probability_below(float("nan"))
    with pytest.raises(ValueError, match="threshold must be a number of yuan, got '0'"):
        reference.probability_below("0")
    with pytest.raises(ValueError, match=r"q must be a sequence of percentiles .* got '50'"):
        reference.percentiles("50")
    with pytest.raises(ValueError, match="q must be percentiles from 0 to 100, got 101"):
        reference.percentiles([5, 101])


def test_sobol_refuses_a_target_that_does_not_vary():
    pytest.importorskip("SALib")
    # GMV does not depend on fixed costs: nothing to apportion, every index would be 0/0
    model = bm.get_model("toc_membership")
    with pytest.raises(ValueError, match="gmv does not vary over these ranges"):
        sobol(model, {"fixed_per_period": (10_000, 30_000)}, target="gmv", samples=64)


def test_sobol_sizes_and_names():
    pytest.importorskip("SALib")
    from bizmodels.risk import MAX_SOBOL_SAMPLES

    model = bm.get_model("toc_membership")
    assert MAX_SOBOL_SAMPLES == 2**18
    with pytest.raises(SizeError, match=r"samples = 524288: at most 262,144"):
        sobol(model, ["price"], samples=2 * MAX_SOBOL_SAMPLES)
    with pytest.raises(ValueError, match=r"power of two ≥ 2 .* got 64\.0"):
        sobol(model, ["price"], samples=64.0)
    with pytest.raises(ValueError, match="ranges must be a list of field names, got the string"):
        sobol(model, "price")
    with pytest.raises(ValueError, match=r"price: range must be a pair \(low, high\) of numbers"):
        sobol(model, {"price": "150-250"})
    with pytest.raises(ValueError, match="seed must be a whole number ≥ 0, got -1"):
        sobol(model, ["price"], seed=-1)


def test_tornado_refuses_a_lone_string_and_an_infinite_change():
    model = bm.get_model("toc_membership")
    with pytest.raises(ValueError, match="fields must be a list of field names, got the string"):
        tornado(model, "price")
    with pytest.raises(ValueError, match=r"change must be a finite number > 0 .* got inf"):
        tornado(model, ["price"], change=float("inf"))


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ("123", "row_values must be a sequence of numbers, got the string '123'"),
        (np.ma.masked_array([1.0, 2.0], mask=[0, 1]), "row_values is a masked array"),
        (np.ones((2, 2)), "row_values must be a non-empty 1-d sequence"),
        ([], "row_values must be a non-empty 1-d sequence"),
        ([150, float("nan")], r"row_values\[1\] = nan: must be a finite number"),
        ([150, "199"], r"row_values\[1\] = '199': must be a number"),
    ],
)
def test_two_way_refuses_what_is_not_a_sequence_of_numbers(values, message):
    model = bm.get_model("toc_membership")
    with pytest.raises(ValueError, match=message):
        two_way(model, "price", values, "conversion", [0.2])


def test_two_way_checks_the_memory_of_its_pairs(monkeypatch):
    monkeypatch.setenv("BIZMODELS_MEMORY_LIMIT", str(10**6))
    with pytest.raises(SizeError, match=r"row_values × column_values = 1,000 × 1,000 needs"):
        two_way(
            bm.get_model("toc_membership"),
            "price",
            np.linspace(100, 200, 1_000),
            "conversion",
            np.linspace(0, 1, 1_000),
        )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"value": float("nan")}, "level to reach must be a finite number of yuan within ±1e"),
        ({"value": 10**19}, r"within ±1e\+18 \(the largest waterfall line\), got 10000000000000"),
        ({"value": "abc"}, "level to reach must be a number of yuan, got 'abc'"),
        ({"value": [0]}, r"level to reach must be a number of yuan, got \[0\]"),
        ({"search": "09"}, "search must be a pair .* got '09'"),
        ({"search": (0, float("nan"))}, r"search must be finite, got \(0, nan\)"),
        ({"search": (0, 1, 2)}, r"search must be a pair \(low, high\) of numbers"),
    ],
)
def test_break_even_refuses_a_bad_level_or_search(kwargs, message):
    with pytest.raises(ValueError, match=message):
        break_even(bm.get_model("toc_membership"), "price", **kwargs)


def test_break_even_at_the_largest_level():
    # a level of 10^18 yuan is accepted and, out of reach, reported as not found
    answer = break_even(bm.get_model("toc_membership"), "reach", value=10**18)
    assert not answer.found and "does not reach 1000000000000000000" in answer.message


def test_scenario_sets_refuse_overrides_that_are_not_a_mapping():
    with pytest.raises(ValueError, match="scenario 'worst': overrides must map fields"):
        scenario_sets({"worst": "price=169"}, ["toc_membership"])
