import json
from decimal import Decimal
from pathlib import Path

import pytest

import bizmodels as bm
from bizmodels.cli import main
from bizmodels.io import (
    MAX_BYTES,
    Scenario,
    ScenarioError,
    default_scenario_path,
    default_scenario_text,
    dump_scenario,
    load_scenario,
    scenario_data,
    scenario_template,
)


def write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_default_scenario_is_all_ten_on_the_default_market():
    scenario = load_scenario(default_scenario_path())
    assert list(scenario.models) == list(bm.MODELS)
    assert scenario.market == bm.Market()
    assert all(m == bm.get_model(slug) for slug, m in scenario.models.items())


def test_shipped_file_is_the_generated_template():
    # regenerate with: python -c "from bizmodels.io import scenario_template as t; \
    #   open('bizmodels/data/default_scenario.yaml', 'w').write(t())"
    assert default_scenario_text() == scenario_template()


def test_a_scenario_sets_market_and_overrides(tmp_path):
    path = write(
        tmp_path,
        "s.yaml",
        """
market:
  customers: 2000
  price: 99
models:
  toc_membership:
    reach: 0.5
  tob_recruitment: {}
""",
    )
    scenario = load_scenario(path)
    assert list(scenario.models) == ["toc_membership", "tob_recruitment"]
    assert scenario.market.price == 99 and scenario.market.unit_cost == 60
    member = scenario.models["toc_membership"]
    assert member.reach == Decimal("0.5") and member.market.customers == 2000
    expected = bm.get_model("toc_membership", reach="0.5", market={"customers": 2000, "price": 99})
    assert member.waterfall() == expected.waterfall()


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_load_dump_load_round_trips(tmp_path, suffix):
    source = write(
        tmp_path,
        "s.yaml",
        """
market: {price: 129.9, refund_rate: 0.07}
models:
  toc_two_level_distribution: {level1_rate: 0.12}
  omnichannel:
""",
    )
    first = load_scenario(source)
    out = tmp_path / f"copy{suffix}"
    dump_scenario(first, out)
    second = load_scenario(out)
    assert second == first
    assert scenario_data(second) == scenario_data(first)
    assert scenario_data(second)["models"] == {
        "toc_two_level_distribution": {"level1_rate": 0.12},
        "omnichannel": {},
    }


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        (
            "range.yaml",
            "models:\n  toc_membership:\n    reach: 2\n",
            (
                "range.yaml:3: models.toc_membership: reach = 2: "
                "Input should be less than or equal to 1"
            ),
        ),
        (
            "type.yaml",
            "market:\n  price: cheap\n",
            "type.yaml:2: market: price = 'cheap': Input should be a valid decimal",
        ),
        (
            "model.yaml",
            "models:\n  tob_recruitmnet: {}\n",
            "model.yaml:2: unknown model or preset 'tob_recruitmnet'; valid: toc_membership, ",
        ),
        (
            "field.yaml",
            "models:\n  omnichannel:\n    reech: 0.2\n",
            "field.yaml:3: models.omnichannel: unknown field 'reech'; valid: lifetime, ",
        ),
        (
            "dup.yaml",
            "market:\n  price: 99\n  price: 98\n",
            "dup.yaml:3: duplicate key 'price' (first on line 2)",
        ),
        (
            "tab.yaml",
            "market:\n\tprice: 99\n",
            "tab.yaml:2: a tab character: YAML indents with spaces only",
        ),
        ("empty.yaml", "  \n", "empty.yaml: file is empty; expected the keys market and models"),
        (
            "top.yaml",
            "market: {}\nmodel: {}\n",
            "top.yaml:2: unknown top-level key 'model'; valid: market, models",
        ),
        (
            "tag.yaml",
            "market: !!python/object/apply:os.system ['true']\n",
            (
                "tag.yaml:1: the tag !!python/object/apply:os.system is not allowed: files are "
                "read with a safe loader"
            ),
        ),
        ("list.yaml", "- 1\n- 2\n", "list.yaml:1: expected a mapping with keys market, models"),
        ("dup.json", '{"market": {"price": 1, "price": 2}}', "dup.json:1: duplicate key 'price'"),
        ("bad.json", '{"market": {"price": 1,}}', "bad.json:1: invalid JSON"),
        (
            "nested.yaml",
            "models:\n  toc_membership:\n    market: {price: 1}\n",
            "nested.yaml:3: models.toc_membership: the market is set once, at the top level",
        ),
        (
            "check.yaml",
            "market:\n  unit_cost: 300\n",
            (
                "check.yaml:2: models.toc_membership: unit cost above price "
                "(market.unit_cost = 300, market.price = 199)"
            ),
        ),
    ],
)
def test_errors_say_what_to_fix(tmp_path, name, text, message):
    path = write(tmp_path, name, text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert str(info.value).startswith(str(tmp_path / message))


def test_unit_cost_above_price_names_the_model(tmp_path):
    path = write(tmp_path, "cost.yaml", "market:\n  unit_cost: 300\nmodels:\n  omnichannel:\n")
    with pytest.raises(
        ScenarioError,
        match=r"cost.yaml:2: models.omnichannel: "
        r"unit cost above price \(market.unit_cost = 300, market.price = 199\)",
    ):
        load_scenario(path)


def test_non_utf8_and_oversize_files_are_refused_before_parsing(tmp_path):
    path = write(tmp_path, "latin.yaml", "market:\n  price: 9\n# caf\xe9\n".encode("latin-1"))
    with pytest.raises(ScenarioError, match=r"latin\.yaml:3: file is not UTF-8 text"):
        load_scenario(path)
    big = write(tmp_path, "big.yaml", "#" * (MAX_BYTES + 1))
    with pytest.raises(
        ScenarioError,
        match=r"big.yaml: file is 1,048,577 bytes, over the "
        r"1,048,576-byte limit",
    ):
        load_scenario(big)
    with pytest.raises(ScenarioError, match=r"missing\.yaml: cannot read the file"):
        load_scenario(tmp_path / "missing.yaml")


def test_cli_compare_scenario_equals_python(tmp_path, capsys):
    path = write(
        tmp_path,
        "s.yaml",
        "market: {price: 149}\nmodels:\n  toc_membership:\n  omnichannel: {reach: 0.2}\n",
    )
    assert main(["compare", str(path), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    python = bm.compare(load_scenario(path).models).to_records()
    assert [m["model"] for m in data["models"]] == [r["model"] for r in python]
    assert [m["gmv"] for m in data["models"]] == [float(r["gmv"]) for r in python]


def test_cli_init_and_errors(tmp_path, capsys):
    target = tmp_path / "mine.yaml"
    assert main(["init", str(target)]) == 0
    assert target.read_text(encoding="utf-8") == default_scenario_text()
    capsys.readouterr()
    assert main(["init", str(target)]) == 2
    assert "exists; use --force" in capsys.readouterr().err
    bad = write(tmp_path, "bad.yaml", "market:\n  price: -1\n")
    assert main(["compare", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bad.yaml:2: market: price = -1" in err
    assert main(["waterfall", "toc_membership", "--scenario", str(bad)]) == 2


def test_scenario_equality_ignores_how_it_was_written():
    assert Scenario() == Scenario()


def test_distributions_in_scenario_files(tmp_path):
    path = write(
        tmp_path,
        "mc.yaml",
        "models:\n  toc_membership:\n  omnichannel:\ndistributions:\n"
        "  price: {kind: normal, mean: 150, sd: 15}\n"
        "  toc_membership.member_conversion: {kind: uniform, low: 0.3, high: 0.6}\n",
    )
    scenario = load_scenario(path)
    assert scenario.distributions["price"].model_dump() == {
        "kind": "normal",
        "mean": 150.0,
        "sd": 15.0,
    }
    out = tmp_path / "copy.yaml"
    dump_scenario(scenario, out)
    assert load_scenario(out) == scenario


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "  price: {kind: uniform, low: 5, high: 3}\n",
            "bad.yaml:4: distributions.price: Uniform: low (5) > high (3)",
        ),
        (
            "  zzz: {kind: normal, mean: 1, sd: 1}\n",
            "bad.yaml:4: distributions: 'zzz' is not a numeric field of the market or of any",
        ),
        ("  price: {kind: gamma}\n", "bad.yaml:4: distributions.price: Input tag 'gamma'"),
        ("  price: 3\n", "bad.yaml:4: distributions.price: expected a mapping with a kind"),
    ],
)
def test_bad_distributions(tmp_path, text, message):
    path = write(tmp_path, "bad.yaml", "models:\n  toc_membership:\ndistributions:\n" + text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert str(info.value).startswith(str(tmp_path / message))
