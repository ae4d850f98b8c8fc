import json
from decimal import Decimal

import pytest

import bizmodels as bm
from bizmodels.cli import main
from bizmodels.compare import SORTABLE


def test_compare_defaults_to_all_ten_ranked_by_operating_profit():
    table = bm.compare()
    assert len(table) == 10 and set(table.ranking) == set(bm.MODELS)
    profits = [row["operating_profit"] for row in table.rows]
    assert profits == sorted(profits, reverse=True)


def test_figures_come_from_each_waterfall():
    model = bm.get_model("toc_membership")
    row = bm.compare([model])["toc_membership"]
    wf = model.waterfall().to_dict()
    assert row["gmv"] == wf["gmv"] and row["operating_profit"] == wf["operating_profit"]
    # gross margin = gross profit / net revenue, to four places
    assert row["gross_margin"] == (wf["gross_profit"] / wf["net_revenue"]).quantize(
        Decimal("0.0001")
    )
    # channel payouts of toc_membership: member benefits only
    assert row["channel_payout_share"] == (wf["member_benefits"] / wf["gmv"]).quantize(
        Decimal("0.0001")
    )


def test_unit_economics_by_hand(round_membership):
    # the round toc_membership scenario of tests/models/test_toc_membership.py:
    # contribution 43,782 over 500 customers → LTV 87.564 → 87.56; CAC 5,000 / 500 = 10
    # LTV:CAC 8.756; CAC payback 10 / (87.56 / 12) = 1.3704… periods
    model = round_membership()
    row = bm.compare([model])["toc_membership"]
    assert row["customers"] == 500
    assert row["ltv"] == Decimal("87.56")
    assert row["cac"] == Decimal("10.00")
    assert row["ltv_cac"] == Decimal("8.7560")
    assert row["cac_payback"] == Decimal("1.3705")
    # 25,582 / 116,640 = 0.21932…
    assert row["operating_margin"] == Decimal("0.2193")


def test_market_is_shared(round_market):
    table = bm.compare(["toc_membership", "omnichannel"], market=round_market)
    for slug in ("toc_membership", "omnichannel"):
        model = bm.get_model(slug).with_market(round_market)
        assert table[slug]["gmv"] == model.waterfall().start


def test_sort_and_errors():
    table = bm.compare(sort="cac", descending=False)
    cacs = [r["cac"] for r in table.rows if r["cac"] is not None]
    assert cacs == sorted(cacs)
    with pytest.raises(ValueError, match="unknown sort column 'x'; valid: gmv"):
        bm.compare(sort="x")
    with pytest.raises(KeyError, match="unknown model or preset 'nope'"):
        bm.compare(["nope"])


def test_records_and_renderings():
    table = bm.compare()
    records = table.to_records()
    assert records[0]["rank"] == 1 and set(SORTABLE) <= set(records[0])
    assert table.to_table("github").startswith("|   # | Model")
    assert "营业利润" in table.to_table(lang="zh")
    csv_text = table.render("csv")
    assert csv_text.splitlines()[0].startswith("rank,model,name")


def test_cli_compare_json_equals_python(capsys):
    assert main(["compare", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    python = bm.compare().to_records()
    assert [m["model"] for m in data["models"]] == [r["model"] for r in python]
    for got, want in zip(data["models"], python, strict=True):
        for key in ("gmv", "operating_profit", "ltv_cac"):
            assert got[key] == (None if want[key] is None else float(want[key]))


def test_cli_models_waterfall_schema(capsys):
    assert main(["models"]) == 0
    out = capsys.readouterr().out
    assert "toc_membership" in out and "纯to C + 会员运营" in out
    assert (
        main(
            [
                "waterfall",
                "toc_membership",
                "--set",
                "market.price=99",
                "--unit",
                "--format",
                "json",
            ]
        )
        == 0
    )
    steps = json.loads(capsys.readouterr().out)["steps"]
    model = bm.get_model("toc_membership", market={"price": 99})
    assert steps[-1]["amount"] == float(model.unit_waterfall().end)
    assert main(["schema", "toc_membership"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["properties"]["reach"]["type"] == "number"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["waterfall", "nope"], "unknown model or preset 'nope'; valid: toc_membership"),
        (["schema", "nope"], "unknown model, preset or plan 'nope'"),
        (["compare", "toc_membership", "nope"], "unknown model or preset 'nope'"),
        (["waterfall", "toc_membership", "--set", "reach=2"], "reach = 2"),
        (["waterfall", "toc_membership", "--set", "bogus=2"], "unknown parameter 'bogus'"),
        (["waterfall", "toc_membership", "--set", "market.price=-1"], "market.price = -1"),
        (["waterfall", "toc_membership", "--set", "market.unit_cost=500"], "unit cost above price"),
    ],
)
def test_cli_model_errors(capsys, argv, message):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1


def test_lower_is_better_columns_rank_smallest_first():
    table = bm.compare(sort="cac")
    cacs = [r["cac"] for r in table.rows if r["cac"] is not None]
    assert cacs == sorted(cacs)
    assert bm.compare(sort="cac", descending=True).rows[0]["cac"] == max(cacs)


def test_csv_customers_are_plain_numbers(capsys):
    assert main(["compare", "toc_membership", "--format", "csv"]) == 0
    row = capsys.readouterr().out.splitlines()[1].split(",")
    header = [c for c in bm.compare(["toc_membership"]).render("csv").splitlines()[0].split(",")]
    # toc_membership: 10,000 × 0.3 = 3,000 customers
    assert row[header.index("customers")] == "3000.00"


def test_schema_of_a_preset(capsys):
    assert main(["schema", "baiguoyuan_like"]) == 0
    assert "online_cac" in json.loads(capsys.readouterr().out)["properties"]


def test_risk_level_in_chinese():
    table = bm.compare(["toc_membership", "tob_recruitment"]).to_table(lang="zh")
    # toc_membership is low (低), tob_recruitment high (高): see tests/test_compliance.py
    assert "低" in table and "高" in table and "high" not in table


# -- the public-marketplace baseline -----------------------------------------------------


@pytest.fixture
def round_shop(round_market, round_overheads):
    """The round marketplace shop of tests/models/test_marketplace_shop.py: profit 2,720."""
    from bizmodels.models.marketplace_shop import MarketplaceShop

    return MarketplaceShop(
        market=round_market,
        reach=Decimal("0.5"),
        repurchase_rate=Decimal("0.2"),
        commission_rate=Decimal("0.05"),
        platform_fee_rate=Decimal("0.01"),
        remarketing_share=Decimal("0.1"),
        annual_fee=1_200,
        **round_overheads,
    )


def test_baseline_differences_by_hand(round_membership, round_shop):
    # round toc_membership: operating profit 25,582 on net revenue 116,640 (margin 0.2193);
    # round shop: 2,720 on 115,200 (2,720 / 115,200 = 0.023611… → 0.0236)
    table = bm.compare([round_membership()], baseline=round_shop)
    assert table.baseline == "marketplace_shop"
    assert table.ranking == ["toc_membership", "marketplace_shop"]
    member, shop = table["toc_membership"], table["marketplace_shop"]
    assert shop["operating_profit"] == Decimal("2720.00")
    # 25,582 − 2,720 = 22,862; 0.2193 − 0.0236 = 0.1957 (points of margin)
    assert member["operating_profit_vs_baseline"] == Decimal("22862.00")
    assert member["operating_margin_vs_baseline"] == Decimal("0.1957")
    assert shop["operating_profit_vs_baseline"] == 0
    assert shop["operating_margin_vs_baseline"] == 0
    assert (member["baseline"], shop["baseline"]) == (False, True)
    # the shop's customers are its 500 shoppers, CAC its 10 yuan of first-order traffic;
    # LTV 22,120 / 500 = 44.24; LTV:CAC 4.424
    assert (shop["customers"], shop["cac"], shop["ltv"]) == (500, 10, Decimal("44.24"))
    assert shop["ltv_cac"] == Decimal("4.4240")


def test_baseline_true_is_the_marketplace_shop_on_the_models_market(round_market):
    from bizmodels.compare import model_row
    from bizmodels.models.marketplace_shop import MarketplaceShop

    model = bm.get_model("toc_membership").with_market(round_market)
    # no market= given: the baseline sells on the market the models are on
    table = bm.compare([model], baseline=True)
    want = model_row(MarketplaceShop(market=round_market))
    assert {k: table["marketplace_shop"][k] for k in want} == want
    # market= given: the models and the baseline on it
    table = bm.compare(["toc_membership"], market=round_market, baseline="marketplace_shop")
    assert {k: table["marketplace_shop"][k] for k in want} == want
    assert not table.notes[:-1]  # one market: the baseline's note only
    assert "marketplace_shop is the baseline" in table.notes[-1]


def test_any_model_or_preset_can_be_the_baseline():
    table = bm.compare(["toc_membership"], baseline="tob_online")
    assert table.baseline == "tob_online" and table["tob_online"]["baseline"]
    profit = bm.get_model("toc_membership").waterfall().to_dict()["operating_profit"]
    other = bm.get_model("tob_online").waterfall().to_dict()["operating_profit"]
    assert table["toc_membership"]["operating_profit_vs_baseline"] == profit - other


def test_without_a_baseline_nothing_changes():
    from bizmodels.compare import COLUMNS

    table = bm.compare(["toc_membership"])
    assert table.baseline is None and table.columns == COLUMNS
    assert "baseline" not in table.rows[0] and "operating_profit_vs_baseline" not in table.rows[0]
    assert "baseline" not in json.loads(table.render("json"))


@pytest.mark.parametrize(
    ("baseline", "error", "message"),
    [
        (3, ValueError, "compare: baseline = 3: expected True, a model or preset slug"),
        ("nope", KeyError, "unknown baseline model or preset 'nope'; valid: marketplace_shop"),
        ("toc_membership", ValueError, "baseline = 'toc_membership' is also among the models"),
    ],
)
def test_bad_baselines_are_refused(baseline, error, message):
    with pytest.raises(error, match=message):
        bm.compare(["toc_membership"], baseline=baseline)


def test_baseline_renderings():
    table = bm.compare(["toc_membership"], baseline=True)
    text = table.to_table()
    assert "marketplace_shop (baseline)" in text and "Margin vs baseline" in text
    assert "marketplace_shop（基准）" in table.to_table(lang="zh")
    assert "marketplace_shop (baseline)" in table.to_html()
    df = table.to_pandas()
    assert df["baseline"].tolist() == [r["baseline"] for r in table.rows]
    assert list(df.columns[-2:]) == ["operating_profit_vs_baseline", "operating_margin_vs_baseline"]
    payload = json.loads(table.render("json"))
    assert payload["baseline"] == "marketplace_shop"
    assert [m["baseline"] for m in payload["models"]] == [r["baseline"] for r in table.rows]


def test_cac_payback_counts_active_periods_by_hand(round_shop):
    # the round shop over 3 periods at 50% retention (tests/models/test_marketplace_shop.py):
    # 500 first orders (50,000) and 75 repeat orders (7,500); net sales 51,750,
    # VAT 10,350, goods 517.5 × 40 = 20,700: gross profit 20,700; commission 2,587.50,
    # fees 517.50, re-marketing 750, payment 517.50, fulfilment 5,175: contribution 11,152.50
    # LTV 11,152.50 / 500 = 22.305 → 22.31; CAC 5,000 / 500 = 10; LTV:CAC 2.231
    # a shopper is active 1 + 0.5 + 0.25 = 1.75 periods, not 3: LTV per active period
    # 22.31 / 1.75 = 12.7486; payback 10 / 12.7486 = 0.78440… periods
    shop = type(round_shop)(**{**dict(round_shop), "lifetime": 3, "retention": Decimal("0.5")})
    row = bm.compare([shop])["marketplace_shop"]
    assert row["contribution_margin"] == Decimal("11152.50")
    assert (row["ltv"], row["cac"]) == (Decimal("22.31"), Decimal("10.00"))
    assert row["ltv_cac"] == Decimal("2.2310")
    assert row["cac_payback"] == Decimal("0.7844")
