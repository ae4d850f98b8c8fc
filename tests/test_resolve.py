"""One way from a slug to a model, preset or plan (`bizmodels._resolve`), the same everywhere."""

from decimal import Decimal

import pytest
from pydantic import ValidationError

from bizmodels import _resolve, io
from bizmodels.cli import main
from bizmodels.compare import compare
from bizmodels.market import Market
from bizmodels.models import MODELS
from bizmodels.plans import PLANS
from bizmodels.presets import PRESETS
from bizmodels.presets import resolve as preset_resolve
from bizmodels.tax import Tax

# baiguoyuan_like's own market, as seed 001 gives it (bizmodels/presets.py)
FRUIT = {"customers": 12_000_000, "price": 60, "unit_cost": 36, "fulfilment_cost": 5}


def test_a_market_field_changes_the_default_market_of_a_model():
    model = _resolve.resolve("toc_membership", **{"market.price": 99})
    assert model.market == Market(price=99)


def test_a_market_field_changes_a_presets_own_market_field_by_field():
    model = _resolve.resolve("baiguoyuan_like", **{"market.price": 50})
    assert model.market.price == 50
    assert model.market.unit_cost == FRUIT["unit_cost"]
    assert model.market.customers == FRUIT["customers"]
    assert model.market.tax.goods_rate == Decimal("0.09")
    # one field of the market's tax, the preset's others kept
    taxed = _resolve.resolve("baiguoyuan_like", **{"market.tax.service_rate": 0.05})
    assert taxed.market.tax.service_rate == Decimal("0.05")
    assert taxed.market.tax.goods_rate == Decimal("0.09")


def test_a_market_replaces_the_presets_and_market_fields_change_it():
    given = Market(price=300, unit_cost=100)
    assert _resolve.resolve("baiguoyuan_like", market=given).market == given
    moved = _resolve.resolve("baiguoyuan_like", market=given, **{"market.unit_cost": 120})
    assert moved.market == Market(price=300, unit_cost=120)
    # a mapping is a whole market: the fields it leaves out take their defaults
    assert _resolve.resolve("baiguoyuan_like", market={"price": 70}).market == Market(price=70)


def test_no_market_is_the_models_own():
    assert _resolve.resolve("baiguoyuan_like", market=None) == PRESETS["baiguoyuan_like"].model
    assert _resolve.resolve("toc_membership", market=None) == MODELS["toc_membership"]()


def test_build_takes_the_fields_as_they_are():
    with pytest.raises(ValidationError, match=r"market\.price"):
        _resolve.build("toc_membership", **{"market.price": 99})


def test_a_bad_market_field_is_named_with_its_prefix():
    with pytest.raises(ValidationError) as info:
        _resolve.resolve("toc_membership", **{"market.price": -1})
    assert [e["loc"] for e in info.value.errors()] == [("market", "price")]


def test_unknown_slugs_list_what_is_valid():
    with pytest.raises(KeyError) as info:
        _resolve.resolve("nope")
    assert info.value.args[0] == (
        f"unknown model or preset 'nope'; valid: {', '.join([*MODELS, *PRESETS])}"
    )
    with pytest.raises(KeyError) as info:
        _resolve.resolve_target("nope")
    assert info.value.args[0] == (
        f"unknown model, preset or plan 'nope'; valid: {', '.join([*MODELS, *PRESETS, *PLANS])}"
    )
    # a plan is not a model
    with pytest.raises(KeyError, match="unknown model or preset 'liandong_699'"):
        _resolve.resolve("liandong_699")


def test_resolve_target_builds_plans_with_their_fields():
    plan = _resolve.resolve_target("liandong_699", package_price=999)
    assert plan.package_price == 999
    with pytest.raises(ValidationError, match="package_price"):
        _resolve.resolve_target("liandong_699", package_price=-1)


def test_parameters_are_the_fields_and_the_market_fields():
    names = _resolve.parameters("toc_membership")
    assert "lifetime" in names and "market.price" in names and "market.customers" in names
    assert _resolve.parameters("three_level_distribution")[-14:] == [
        "market.customers",
        "market.price",
        "market.unit_cost",
        "market.refund_rate",
        *(f"market.tax.{f}" for f in Tax.model_fields),
        "market.fulfilment_cost",
    ]
    assert "market.price" not in _resolve.parameters("liandong_699")
    with pytest.raises(KeyError, match="unknown model, preset or plan"):
        _resolve.parameters("nope")


def test_model_class_of_a_preset_is_the_class_it_configures():
    assert _resolve.model_class("toc_membership") is MODELS["toc_membership"]
    assert _resolve.model_class("baiguoyuan_like") is type(PRESETS["baiguoyuan_like"].model)
    with pytest.raises(KeyError, match="unknown model or preset"):
        _resolve.model_class("liandong_699")


@pytest.mark.parametrize("slug", ["toc_membership", "three_level_distribution", "baiguoyuan_like"])
def test_every_entry_point_builds_the_same_model(slug):
    market = Market(price=120)
    one = _resolve.resolve(slug, market=market, reach=Decimal("0.5"))
    assert io.build(slug, market, {"reach": Decimal("0.5")}) == one
    assert preset_resolve(slug, market=market, reach=Decimal("0.5")) == one
    # compare labels a slug with itself and builds it with its defaults
    assert compare([slug]).to_records() == compare({slug: _resolve.resolve(slug)}).to_records()


def test_the_cli_reads_a_market_field_of_a_preset_as_the_library_does(capsys):
    assert (
        main(["waterfall", "baiguoyuan_like", "--set", "market.price=50", "--format", "json"]) == 0
    )
    from_cli = capsys.readouterr().out
    model = _resolve.resolve("baiguoyuan_like", **{"market.price": 50})
    assert from_cli.strip() == model.waterfall().render("json").strip()
