"""`bizmodels schema SLUG`: any model, preset or plan, with the values it uses and their sources."""

import json

import pytest

from bizmodels._resolve import schema
from bizmodels.cli import main
from bizmodels.models.sales_channel_build import SalesChannelBuild

SEED_004 = "seed 004 (004_fa64250602f99480.txt)"


def printed(capsys, slug):
    assert main(["schema", slug]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return json.loads(out)


def test_a_preset_shows_its_own_values(capsys):
    got = printed(capsys, "channel_self_run")
    setup = got["properties"]["setup_cost"]
    # presets.py: channel_self_run sets setup_cost=150_000; SalesChannelBuild's default is
    # Decimal(60_000), an assumption
    assert setup["default"] == 150000
    assert setup["model_default"] == 60000 and setup["model_source"] == "assumption"
    # outsourced_periods=0 in the preset, Decimal(6) in the class
    assert got["properties"]["outsourced_periods"]["default"] == 0
    assert got["properties"]["outsourced_periods"]["model_default"] == 6


def test_a_preset_shows_its_source(capsys):
    got = printed(capsys, "channel_self_run")
    assert (got["slug"], got["kind"], got["source"]) == ("channel_self_run", "preset", SEED_004)
    # a value the preset sets names the preset and the seed it cites as a whole
    assert got["properties"]["setup_cost"]["source"] == (
        f"set by preset channel_self_run, which cites {SEED_004} as a whole"
    )
    # a field the preset leaves keeps its class's default and source, whole
    reach = got["properties"]["reach"]
    field = SalesChannelBuild.model_fields["reach"]
    assert field.json_schema_extra is not None
    assert reach["source"] == field.json_schema_extra["source"]
    assert "model_source" not in reach and "model_default" not in reach


def test_a_preset_market_shows_its_values(capsys):
    market = printed(capsys, "baiguoyuan_like")["$defs"]["Market"]["properties"]
    # presets.py: Market(customers=12_000_000, price=60, ...); Market's defaults 10,000 and 199
    assert market["customers"]["default"] == 12_000_000
    assert market["customers"]["model_default"] == 10_000
    assert market["price"]["default"] == 60 and market["price"]["model_default"] == 199
    assert market["customers"]["source"].startswith("set by preset baiguoyuan_like")
    # refund_rate is not set by the preset: Market's own 0.05, its own source
    assert market["refund_rate"]["default"] == 0.05
    assert market["refund_rate"]["source"] == "assumption"


def test_a_model_shows_its_class_values(capsys):
    got = printed(capsys, "toc_membership")
    assert (got["slug"], got["kind"]) == ("toc_membership", "model")
    assert got["properties"]["reach"]["type"] == "number"
    # Market's default price is 199 yuan, an assumption
    assert got["$defs"]["Market"]["properties"]["price"]["default"] == 199
    assert not any("model_default" in p for p in got["properties"].values())


def test_liandong_699(capsys):
    got = printed(capsys, "liandong_699")
    assert (got["slug"], got["kind"]) == ("liandong_699", "plan")
    price = got["properties"]["package_price"]
    assert price["default"] == 699
    assert price["source"] == "seed 001 (001_07a435858c0348ea.txt)"
    # the settlement: every rule off by default, frozen_days 0, in its def and in the
    # plan's own default of the part
    frozen = got["$defs"]["Settlement"]["properties"]["frozen_days"]
    assert frozen["default"] == 0 and frozen["source"].startswith("assumption: off")
    assert got["properties"]["settlement"]["default"]["frozen_days"] == 0
    # the tax: goods at 13%, 增值税法 第十条
    goods = got["$defs"]["Tax"]["properties"]["goods_rate"]
    assert (goods["default"], goods["source"]) == (0.13, "增值税法 第十条")


@pytest.mark.parametrize(
    ("slug", "field", "value"),
    [
        # DistributionPlan: 10% then 5% up the sponsor chain, 699 a package
        ("distribution", "rates", [0.1, 0.05]),
        ("distribution", "price", 699),
        # RefundPlan: three recruits (推三) refund the whole price once (返一)
        ("recruit_three_refund_one", "recruits_required", 3),
        ("recruit_three_refund_one", "refund_rate", 1),
    ],
)
def test_every_plan(capsys, slug, field, value):
    prop = printed(capsys, slug)["properties"][field]
    assert prop["default"] == value and prop["source"]


def test_the_library_and_the_command_agree(capsys):
    assert printed(capsys, "recruit_three_refund_one") == schema("recruit_three_refund_one")


def test_an_unknown_slug(capsys):
    assert main(["schema", "nope"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    assert "unknown model, preset or plan 'nope'; valid: toc_membership," in err
    assert "channel_self_run" in err and "liandong_699" in err
    assert err.rstrip().endswith("recruit_three_refund_one")
