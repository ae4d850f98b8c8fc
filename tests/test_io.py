import decimal
import json
import os
import socket
import stat
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import bizmodels as bm
import bizmodels.io as scenario_io
from bizmodels.cli import main
from bizmodels.io import (
    MAX_BYTES,
    MAX_DEPTH,
    MAX_DIGITS,
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


# -- trust: what a file may be, how deep, how large, and how YAML is read (issue 11) ------

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs, sockets and /dev")


@pytest.fixture(params=["libyaml", "pure-python"])
def yaml_parser(request, monkeypatch):
    """Run a test with libyaml's parser and with PyYAML's own: the rules are the same."""
    if request.param == "pure-python":
        monkeypatch.setattr(scenario_io, "_Parser", None)
    elif scenario_io._Parser is None:  # pragma: no cover - PyYAML without libyaml
        pytest.skip("PyYAML without libyaml")
    return request.param


def refusal(path: Path) -> str:
    """The one-line message load_scenario refuses ``path`` with, relative to its folder."""
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(str(path))
    return message.replace(str(path.parent) + os.sep, "")


def test_a_directory_is_refused_by_name(tmp_path):
    folder = tmp_path / "scenario.yaml"
    folder.mkdir()
    assert refusal(folder) == (
        "scenario.yaml: not a regular file but a directory; give the path of a .yaml or .json file"
    )


@posix_only
def test_a_fifo_is_refused_without_opening_it(tmp_path):
    # opening a FIFO for reading waits for a writer: the loader must not open it at all
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    assert refusal(fifo) == (
        "pipe.yaml: not a regular file but a named pipe (FIFO); "
        "give the path of a .yaml or .json file"
    )


@posix_only
def test_a_socket_and_a_link_to_dev_zero_are_refused(tmp_path, monkeypatch):
    zero = tmp_path / "zero.yaml"
    zero.symlink_to("/dev/zero")
    assert refusal(zero) == (
        f"zero.yaml: not a regular file but a character device (a link to "
        f"{os.path.realpath('/dev/zero')}); give the path of a .yaml or .json file"
    )
    # AF_UNIX paths are limited to about 100 bytes: bind in a short relative name
    monkeypatch.chdir(tmp_path)
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind("s.yaml")
        assert refusal(tmp_path / "s.yaml") == (
            "s.yaml: not a regular file but a socket; give the path of a .yaml or .json file"
        )


def test_a_link_to_a_regular_file_is_read(tmp_path):
    target = write(tmp_path, "real.yaml", "market: {price: 88}\nmodels: {toc_membership: }\n")
    link = tmp_path / "link.yaml"
    link.symlink_to(target)
    assert load_scenario(link).market.price == 88


def test_the_size_cap_counts_bytes_read_not_st_size(tmp_path, monkeypatch):
    at_limit = "market: {price: 77}\nmodels: {toc_membership: }\n"
    at_limit += "#" * (MAX_BYTES - len(at_limit) - 1) + "\n"
    assert len(at_limit.encode()) == MAX_BYTES
    assert load_scenario(write(tmp_path, "at.yaml", at_limit)).market.price == 77
    past = write(tmp_path, "past.yaml", at_limit + "#")
    assert refusal(past) == "past.yaml: file is 1,048,577 bytes, over the 1,048,576-byte limit"

    # a file whose size the file system misreports (as /proc does: st_size 0)
    real_fstat = os.fstat

    def zero_size(fd: int) -> os.stat_result:
        st = list(real_fstat(fd))
        st[stat.ST_SIZE] = 0
        return os.stat_result(st)

    monkeypatch.setattr(scenario_io.os, "fstat", zero_size)
    assert refusal(past) == "past.yaml: file is larger, over the 1,048,576-byte limit"


def nested(depth: int) -> str:
    """A scenario whose market is nested ``depth`` levels deep, the file's mapping included."""
    return "market: " + "[" * (depth - 1) + "]" * (depth - 1) + "\n"


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_nesting_is_bounded_with_file_and_line(tmp_path, yaml_parser, suffix):
    def text(depth: int) -> str:
        body = nested(depth)
        if suffix == ".json":
            return '{\n"market": ' + body.removeprefix("market: ").strip() + "}\n"
        return "\n" + body

    # at the limit: read, then refused for what it is (a list, not the market's fields)
    at = write(tmp_path, f"at{suffix}", text(MAX_DEPTH))
    assert refusal(at).startswith(f"at{suffix}:2: market: expected a mapping of fields, got [[[")
    past = write(tmp_path, f"past{suffix}", text(MAX_DEPTH + 1))
    assert refusal(past) == (
        f"past{suffix}:2: lists and mappings nested more than 50 deep "
        "(the limit for a scenario file)"
    )
    # the issue's 5,000-deep brackets: refused by depth, never a RecursionError
    deep = write(tmp_path, f"deep{suffix}", text(5000))
    assert refusal(deep).startswith(f"deep{suffix}:2: lists and mappings nested more than 50")


def test_block_style_nesting_and_aliases_count_toward_depth(tmp_path, yaml_parser):
    block = "".join(f"{'  ' * i}- \n" for i in range(MAX_DEPTH - 1))  # 49 lists under market
    assert refusal(write(tmp_path, "block.yaml", "market:\n" + block)).startswith(
        "block.yaml:1: market: expected a mapping of fields"
    )
    # an anchor 30 deep used where 20 collections are open: 20 + 30 = 50 levels, the limit
    # (the file's mapping and 19 brackets)
    anchor = "[" * 30 + "]" * 30
    fits = f"a: &a {anchor}\nmarket: " + "[" * 19 + "*a" + "]" * 19 + "\n"
    assert "nested" not in refusal(write(tmp_path, "fits.yaml", fits))
    over = f"a: &a {anchor}\nmarket: " + "[" * 20 + "*a" + "]" * 20 + "\n"
    assert refusal(write(tmp_path, "over.yaml", over)) == (
        "over.yaml:2: lists and mappings nested more than 50 deep (the limit for a scenario file)"
    )


def test_values_are_counted_with_aliases_expanded(tmp_path, yaml_parser):
    # by hand: the document's list (1) + the anchored list and its 999 zeros (1,000)
    # + 98 aliases of it (98 × 1,000) + r zeros (r) = 99,001 + r values
    def text(r: int) -> str:
        thousand = "&a [" + ", ".join(["0"] * 999) + "]"
        return "[" + ", ".join([thousand, *["*a"] * 98, *["0"] * r]) + "]\n"

    at = write(tmp_path, "at.yaml", text(999))  # 100,000 values: the limit
    assert (
        refusal(at)
        == "at.yaml:1: expected a mapping with keys market, models, distributions, got list"
    )
    past = write(tmp_path, "past.yaml", text(1000))
    assert refusal(past) == (
        "past.yaml:1: more than 100,000 values once aliases are expanded "
        "(the limit for a scenario file)"
    )


def billion_laughs() -> str:
    """Nine keys each naming the previous mapping nine times: 9**10 values in 800 bytes."""
    keys = "qrstuvwxy"
    lines = ["a0: &a0 {" + ", ".join(f"{k}: 1" for k in keys) + "}"]
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} {{" + ", ".join(f"{k}: *a{i - 1}" for k in keys) + "}")
    return "\n".join([*lines, "market: *a9", ""])


def test_a_billion_laughs_is_refused_with_its_line(tmp_path, yaml_parser):
    text = billion_laughs()
    assert len(text) < 900
    # a0 holds 19 values, a1 1 + 9 × (1 + 19) = 181, a2 1 + 9 × 182 = 1,639, a3 14,761,
    # a4 1 + 9 × 14,762 = 132,859: the running count passes 100,000 on a4's line (5)
    assert refusal(write(tmp_path, "laughs.yaml", text)) == (
        "laughs.yaml:5: more than 100,000 values once aliases are expanded "
        "(the limit for a scenario file)"
    )


def test_an_alias_inside_its_own_node_is_refused(tmp_path, yaml_parser):
    assert refusal(write(tmp_path, "loop.yaml", "market: &m\n  price: *m\n")) == (
        "loop.yaml:2: the alias *m is inside the node it names"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("market:\n  [price, unit_cost]: 99\n", "k.yaml:2: a list as a mapping key"),
        ("market: {? {price: 1} : 99}\n", "k.yaml:1: a mapping as a mapping key"),
        ("market:\n  ? - price\n  : 99\n", "k.yaml:2: a list as a mapping key"),
        ("models:\n  {toc_membership: 1}: {}\n", "k.yaml:2: a mapping as a mapping key"),
    ],
)
def test_mapping_keys_must_be_scalars(tmp_path, yaml_parser, text, message):
    assert refusal(write(tmp_path, "k.yaml", text)) == message + "; keys are names or numbers"


def test_field_names_must_be_text(tmp_path):
    assert refusal(write(tmp_path, "n.yaml", "market:\n  1: 99\n")).startswith(
        "n.yaml:2: market: unknown field 1; valid: customers, price,"
    )
    assert refusal(write(tmp_path, "m.yaml", "models:\n  omnichannel:\n    ~: 1\n")).startswith(
        "m.yaml:3: models.omnichannel: unknown field None; valid: lifetime,"
    )


def one_market_value(tmp_path: Path, value: str) -> Any:
    path = write(
        tmp_path, "v.yaml", f"market:\n  customers: {value}\nmodels: {{toc_membership: }}\n"
    )
    return load_scenario(path).market.customers


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("010000", 10000),  # YAML 1.1: 4096, octal
        ("0o17", 15),  # YAML 1.2's octal
        ("0x10", 16),
        ("+12", 12),
        ("1e3", 1000),  # YAML 1.1: the text "1e3"
        ("1.5e3", 1500),
        ("12.", 12),
        ("1234.5678", Decimal("1234.5678")),
    ],
)
def test_numbers_are_read_as_yaml_1_2_reads_them(tmp_path, yaml_parser, written, read):
    value = one_market_value(tmp_path, written)
    assert value == read and isinstance(value, Decimal)


def test_numbers_are_exact_never_through_a_float(tmp_path):
    # a float would keep 17 significant digits: 0.33333333333333331
    path = write(
        tmp_path,
        "r.yaml",
        "models:\n  toc_membership:\n    reach: 0.333333333333333333333333\n",
    )
    assert load_scenario(path).models["toc_membership"].reach == Decimal(
        "0.333333333333333333333333"
    )


@pytest.mark.parametrize(
    ("field", "written", "was"),
    [
        ("lifetime", "1:30", "90"),  # base 60 in YAML 1.1
        ("reach", "yes", "true"),
        ("reach", "no", "false"),
        ("reach", "on", "true"),
        ("reach", "off", "false"),
        ("reach", "Yes", "true"),
    ],
)
def test_yaml_1_1_surprises_are_text_and_refused_by_name(
    tmp_path, yaml_parser, field, written, was
):
    path = write(tmp_path, "s.yaml", f"models:\n  toc_membership:\n    {field}: {written}\n")
    assert refusal(path) == (
        f"s.yaml:3: models.toc_membership: {field} = '{written}': Input should be a valid "
        f"decimal (scenario files are YAML 1.2, where {written} is text, not {was} as in "
        "YAML 1.1)"
    )


def test_null_true_false_and_quoted_text_follow_yaml_1_2(tmp_path):
    loader_data = scenario_io._compose_yaml(
        Path("x.yaml"),
        "[~, null, Null, NULL, '', true, True, FALSE, yes, 'o10', !!str 010, 2024-01-01, =,"
        " .inf, -.Inf, .nan]",
    )[0]
    assert loader_data[:9] == [None, None, None, None, "", True, True, False, "yes"]
    assert loader_data[9:13] == ["o10", "010", "2024-01-01", "="]
    assert loader_data[13] == float("inf") and loader_data[14] == float("-inf")
    assert loader_data[15] != loader_data[15]  # NaN, which every field then refuses


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("market:\n  customers: !!binary aGk=\n", "t.yaml:2: the tag !!binary is not allowed"),
        ("market:\n  customers: !!timestamp 2024-01-01\n", "t.yaml:2: the tag !!timestamp is"),
        ("market: !!set {price}\n", "t.yaml:1: the tag !!set is not allowed"),
        ("market: !!omap [price: 1]\n", "t.yaml:1: the tag !!omap is not allowed"),
        ("market:\n  price: !money 99\n", "t.yaml:2: the tag !money is not allowed"),
        ("market:\n  price: !!int ninety\n", "t.yaml:2: 'ninety' is not a whole number"),
        ("market:\n  price: !!float 1:30\n", "t.yaml:2: '1:30' is not a number"),
        ("market:\n  price: !!bool yes\n", "t.yaml:2: 'yes' is not true or false"),
        ("market:\n  price: !!null 0\n", "t.yaml:2: '0' is not null"),
        ("market:\n  price: !!str [1]\n", "t.yaml:2: invalid YAML: expected a scalar node"),
        ("market: !!seq {price: 1}\n", "t.yaml:1: expected a list"),
        ("market: !!map [1]\n", "t.yaml:1: expected a mapping"),
        ("market:\n  price: 99\x07\n", "t.yaml:2: the control character U+0007 is not allowed"),
        ("market:\n  price: *nowhere\n", "t.yaml:2: invalid YAML: found undefined alias"),
        (
            "market:\n  price: 99\n---\nmodels: {}\n",
            "t.yaml:3: invalid YAML: expected a single document in the stream, but found another",
        ),
    ],
)
def test_tags_and_characters_outside_plain_data_are_refused(tmp_path, yaml_parser, text, message):
    assert refusal(write(tmp_path, "t.yaml", text)).startswith(message)


def test_huge_numbers_end_in_a_named_refusal(tmp_path, yaml_parser):
    refused = refusal(write(tmp_path, "big.yaml", "market:\n  customers: 1e30\n"))
    assert refused.startswith("big.yaml:2: market: customers = 1E+30: ")
    digits = "9" * (MAX_DIGITS + 1)
    assert refusal(write(tmp_path, "long.yaml", f"market:\n  customers: {digits}\n")) == (
        "long.yaml:2: a number of 101 characters; numbers have at most 100"
    )
    at = "9" * MAX_DIGITS  # read, then refused by the field's own bound
    assert refusal(write(tmp_path, "at.yaml", f"market:\n  customers: {at}\n")).startswith(
        f"at.yaml:2: market: customers = {at[:59]}…: "
    )
    assert refusal(write(tmp_path, "e.yaml", "market:\n  customers: 1e9999999999999999999\n")) == (
        "e.yaml:2: the number '1e9999999999999999999' is out of range"
    )
    assert refusal(write(tmp_path, "j.json", '{"market":\n {"customers": ' + digits + "}}")) == (
        "j.json:2: a number of 101 characters; numbers have at most 100"
    )
    assert refusal(write(tmp_path, "n.json", '{"market": {"price": NaN}}')) == (
        "n.json:1: NaN is not a JSON number"
    )


def test_decimal_failures_while_building_name_the_field(tmp_path, monkeypatch):
    # no accepted value should reach one, but if a check's arithmetic fails, the file's
    # field is named rather than a bare decimal.InvalidOperation
    real = scenario_io.build

    def fragile(slug, market, overrides):
        if overrides.get("lifetime") == 999:
            raise decimal.InvalidOperation([decimal.InvalidOperation])
        return real(slug, market, overrides)

    monkeypatch.setattr(scenario_io, "build", fragile)
    path = write(
        tmp_path,
        "f.yaml",
        "models:\n  toc_membership:\n    reach: 0.2\n    lifetime: 999\n",
    )
    assert refusal(path) == (
        "f.yaml:4: models.toc_membership: lifetime = 999: too large to compute with "
        "(InvalidOperation)"
    )


def test_falsy_values_are_not_taken_for_no_fields(tmp_path):
    assert refusal(write(tmp_path, "z.yaml", "market: 0\n")) == (
        "z.yaml:1: market: expected a mapping of fields, got 0"
    )
    assert refusal(write(tmp_path, "l.yaml", "models:\n  toc_membership: []\n")) == (
        "l.yaml:2: models.toc_membership: expected a mapping of fields, got []"
    )


def test_nested_plan_errors_point_at_the_plan_field(tmp_path):
    path = write(
        tmp_path,
        "p.yaml",
        "models:\n  tob_recruitment:\n    plan:\n"
        "      direct_agent: 280\n      package_price: -5\n",
    )
    assert refusal(path).startswith(
        "p.yaml:5: models.tob_recruitment: plan.package_price = -5: Input should be greater"
    )


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_dump_keeps_every_digit(tmp_path, suffix):
    source = write(
        tmp_path,
        "s.yaml",
        "market: {customers: 12345.678901234567890123, price: 199.99}\n"
        "models:\n  toc_membership: {reach: 0.12345678901234567890123}\n"
        "  tob_recruitment: {plan: liandong_699}\n",
    )
    first = load_scenario(source)
    out = tmp_path / f"copy{suffix}"
    dump_scenario(first, out)
    second = load_scenario(out)
    assert second == first
    assert second.models["toc_membership"].reach == Decimal("0.12345678901234567890123")
    assert second.market.customers == Decimal("12345.678901234567890123")
    assert second.overrides["tob_recruitment"] == {"plan": "liandong_699"}


def test_odd_paths_are_refused_by_name(tmp_path):
    with pytest.raises(ScenarioError, match=r"^a\x00b\.yaml: cannot read the file: embedded null"):
        load_scenario("a\x00b.yaml")
    with pytest.raises(ScenarioError, match=r"^\.: not a regular file but a directory"):
        load_scenario("")
    inside = tmp_path / "file.yaml" / "inner.yaml"  # a file used as a folder
    write(tmp_path, "file.yaml", "market: {}\n")
    with pytest.raises(ScenarioError, match=r"inner\.yaml: cannot read the file: Not a directory"):
        load_scenario(inside)
