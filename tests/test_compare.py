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
