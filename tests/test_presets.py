from decimal import Decimal

import pytest
from pydantic import ValidationError

import bizmodels as bm
from bizmodels.cli import main
from bizmodels.presets import PRESETS, SEEDS, resolve

SLUGS = list(PRESETS)


def test_every_seed_beyond_000_has_presets():
    # and seed 000's own: the price ladder of its 微商的拿货差价 (the ten are its models)
    assert {p.seed for p in PRESETS.values()} == {"000", "001", "002", "003", "004"}
    assert {p.slug for p in PRESETS.values() if p.seed == "000"} == {
        "price_ladder",
        "price_ladder_threshold",
    }
    # the presets of issue 15's other tasks may join: these must be there
    assert {
        "three_level_distribution",
        "coupon_rebate",
        "new_retail",
        "content_ecommerce",
        "community_ecommerce",
        "community_weishang",
        "influencer_weishang",
        "self_media_weishang",
        "company_run_weishang",
        "tiered_agency_referral",
        "channel_outsourced",
        "channel_outsourced_then_self_run",
        "channel_self_run",
        "c_to_b_chain",
        "baiguoyuan_like",
    } <= set(SLUGS)
    assert not set(SLUGS) & set(bm.MODELS)


@pytest.mark.parametrize("slug", SLUGS)
def test_preset_waterfalls_reconcile_and_cite_their_seed(slug):
    preset = PRESETS[slug]
    model = preset.model
    for wf in (model.waterfall(), model.unit_waterfall()):
        assert wf.end == wf.start - sum((s.amount for s in wf.deductions), Decimal(0))
    assert preset.source == f"seed {preset.seed} ({SEEDS[preset.seed]})"
    assert preset.summary and preset.name_zh and preset.name_en
    # the class the preset builds on cites a seed file in its docstring
    assert any(name in (type(model).__doc__ or "") for name in SEEDS.values())


def test_seed_figures_in_presets():
    # seed 001: 600多万社群成员 and App月活用户200万 already active: 8,000,000, beside the
    # 12,000,000 won in the year (an assumption; the 8000万 are cumulative): a pool of 20 million
    bgy = PRESETS["baiguoyuan_like"].model
    assert bgy.existing_customers == 8_000_000 and bgy.pool() == 20_000_000
    # 600多万社群成员: 20,000,000 × 0.3 = 6,000,000 in 16,000 groups of 375
    assert bgy.pool() * bgy.group_share == 6_000_000 and bgy.groups() == 16_000
    # half the 付费会员数累计110万+ still paying (an assumption): 20,000,000 × 0.0275 = 550,000
    assert bgy.pool() * bgy.member_share == 550_000
    # 线上获客比近70%
    assert bgy.online_share == Decimal("0.7") and bgy.group_conversion == Decimal("0.5")
    # seed 002: 從之前的兩公里延伸至十公里
    retail = PRESETS["new_retail"].model
    assert (retail.store_radius_km, retail.app_radius_km) == (2, 10)
    # seed 002: 盒馬鮮生 ... 將的單店營收擴大3倍以上; (1,920 + 5,760) / 1,920 store and app
    # orders (tests/models/test_new_retail.py) = 4
    assert retail.store_revenue_multiple() == 4
    # seed 003: 最低3級返利
    assert PRESETS["tiered_agency_referral"].model.rebate_levels == 3
    # seed 003: 每個網紅都有生命週期 — 3,000 fans reached, 3,000 × 0.7 = 2,100 a month on
    assert PRESETS["influencer_weishang"].model.reach_in_period(1) == 2_100


def test_resolve_presets_with_overrides_and_markets():
    model = resolve("three_level_distribution", level3_rate="0.05")
    assert model.level3_rate == Decimal("0.05") and model.level3_share == Decimal("0.25")
    market = bm.Market(customers=1000)
    assert resolve("channel_self_run", market=market).market == market
    with pytest.raises(ValidationError, match="level3_rate"):
        resolve("three_level_distribution", level3_rate=2)
    with pytest.raises(KeyError, match="unknown model or preset 'x'; valid: toc_membership"):
        resolve("x")


def test_compare_mixes_models_and_presets():
    table = bm.compare(["toc_two_level_distribution", "three_level_distribution"])
    assert set(table.ranking) == {"toc_two_level_distribution", "three_level_distribution"}
    row = table["three_level_distribution"]
    assert row["name"] == "Three-level distribution" and row["name_zh"] == "三级分销"
    assert row["gmv"] == PRESETS["three_level_distribution"].model.waterfall().start


def test_channel_presets_differ_only_in_cost_structure():
    table = bm.compare(
        ["channel_outsourced", "channel_outsourced_then_self_run", "channel_self_run"]
    )
    gmvs = {table[s]["gmv"] for s in table.ranking}
    assert len(gmvs) == 1 and len(table) == 3


def test_cli_presets_and_waterfall(capsys):
    assert main(["presets"]) == 0
    out = capsys.readouterr().out
    assert "baiguoyuan_like" in out and "seed 001" in out
    assert main(["presets", "--wide"]) == 0
    assert "seed 001 (001_07a435858c0348ea.txt)" in capsys.readouterr().out
    assert main(["waterfall", "new_retail", "--set", "app_reach=0.2"]) == 0
    assert "Operating profit" in capsys.readouterr().out
    assert main(["waterfall", "new_retail", "--set", "app_radius_km=1"]) == 2
    assert "store radius beyond the app's delivery radius" in capsys.readouterr().err


def test_a_comparison_says_when_models_are_not_on_one_market(capsys):
    table = bm.compare(["baiguoyuan_like", "toc_membership"])
    assert table.notes and "baiguoyuan_like" in table.notes[0]
    assert not bm.compare(["baiguoyuan_like", "toc_membership"], market=bm.Market()).notes
    assert main(["compare", "baiguoyuan_like", "toc_membership"]) == 0
    assert "Note: the models are not on one market" in capsys.readouterr().out
