"""The risk results and an event's explanation labelled in Chinese or English (issue 13).

English stays the default and unchanged: the expected headers below are written by hand
from the tables as they read before ``lang`` existed. Chinese labels use the glossary's
words (营业利润, 分位, 亏损概率, 盈亏平衡, 直推奖 …).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

import bizmodels as bm
from bizmodels.cli import main
from bizmodels.plans import liandong_699, simulate
from bizmodels.risk import (
    Uniform,
    break_even,
    monte_carlo,
    scenario_sets,
    tornado,
    two_way,
)

MC_EN = ["Model", "Mean", "P5", "P50", "P95", "P(loss)", "P(win)", "Mean rank"]
MC_ZH = ["模型", "平均", "5% 分位", "50% 分位", "95% 分位", "亏损概率", "胜出概率", "平均排名"]
TORNADO_EN = ["Field", "Low", "High", "Target at low", "Target at high", "Swing", "Note"]
TORNADO_ZH = ["字段", "低值", "高值", "低值时营业利润", "高值时营业利润", "波动幅度", "备注"]
EXPLAIN_EN = ["Flow", "To", "Kind", "Amount (yuan)", "Frozen (yuan)", "Why"]
EXPLAIN_ZH = ["流向", "收款方", "类型", "金额（元）", "冻结（元）", "依据"]
BAD = "lang = 'fr': must be 'en' or 'zh'"


def _cells(table: str) -> list[str]:
    """The header cells of a tab-separated table."""
    return [cell.strip() for cell in table.splitlines()[0].split("\t")]


def _th(html: str) -> list[str]:
    return re.findall(r"<th[^>]*>([^<]*)</th>", html)


def _caption(html: str) -> str:
    found = re.search(r"<caption[^>]*>([^<]*)</caption>", html)
    assert found is not None
    return found.group(1)


@pytest.fixture(scope="module")
def run() -> Any:
    return monte_carlo(
        ["toc_membership", "omnichannel"],
        {"price": Uniform(low=150, high=250)},
        samples=200,
        seed=1,
    )


@pytest.fixture(scope="module")
def bars() -> Any:
    return tornado(bm.get_model("toc_membership"), ["customers", "price"])


@pytest.fixture(scope="module")
def explanation() -> Any:
    # the spec's fifth event: D joins under A and slides under R
    events = [("R", None, 0), ("A", "R", 0), ("B", "R", 0), ("C", "R", 0), ("D", "A", 0)]
    return simulate(liandong_699(), events).explain(4)


def test_monte_carlo_headers(run):
    assert _cells(run.to_table("tsv")) == MC_EN
    assert _cells(run.to_table("tsv", lang="zh")) == MC_ZH
    assert run.to_table() == run.to_table(lang="en")
    assert _th(run.to_html()) == MC_EN
    assert _th(run.to_html(lang="zh")) == MC_ZH
    assert run._repr_html_() == run.to_html(lang="en")


def test_monte_carlo_captions(run):
    assert _caption(run.to_html()) == "operating_profit: 200 samples, seed 1"
    assert _caption(run.to_html(lang="zh")) == "营业利润：200 个样本，种子 1"


def test_monte_carlo_render_lang(run):
    assert run.render("table") == run.to_table("simple")
    head = run.render("markdown", lang="zh").splitlines()[0]
    assert [cell.strip() for cell in head.strip("|").split("|")] == MC_ZH
    # JSON and CSV keep their English keys whatever the language
    assert run.render("csv", lang="zh") == run.render("csv")
    assert "P(loss)" in str(run)


def test_percentile_labels_follow_q(run):
    cells = _cells(run.to_table("tsv", q=(10, 90), lang="zh"))
    assert cells[2:4] == ["10% 分位", "90% 分位"]


def test_tornado_headers_and_caption(bars):
    assert _cells(bars.to_table("tsv")) == TORNADO_EN
    assert _cells(bars.to_table("tsv", lang="zh")) == TORNADO_ZH
    assert _th(bars.to_html()) == TORNADO_EN
    assert _th(bars.to_html(lang="zh")) == TORNADO_ZH
    assert bars._repr_html_() == bars.to_html()
    assert _caption(bars.to_html()).endswith(", each field ±10%")
    zh = _caption(bars.to_html(lang="zh"))
    assert zh.startswith("toc_membership：营业利润 ") and zh.endswith("，各字段 ±10%")


def test_two_way_caption():
    table = two_way(
        bm.get_model("toc_membership"), "price", [150, 199], "member_conversion", [0.3, 0.6]
    )
    assert _caption(table.to_html()) == "toc_membership: operating_profit"
    assert _caption(table.to_html(lang="zh")) == "toc_membership：营业利润"
    assert _th(table.to_html(lang="zh"))[0] == "price \\ member_conversion"
    assert table.to_table(lang="zh") == table.to_table()
    assert table._repr_html_() == table.to_html()


def test_scenario_summary_labels():
    summary = scenario_sets({"base": {}, "worst": {"price": 169}}, ["toc_membership"])
    assert _cells(summary.to_table("tsv")) == ["Model", "base", "worst"]
    assert _cells(summary.to_table("tsv", lang="zh")) == ["模型", "base", "worst"]
    assert _caption(summary.to_html()) == "operating_profit by scenario"
    assert _caption(summary.to_html(lang="zh")) == "各情景下的营业利润"
    assert summary._repr_html_() == summary.to_html()


def test_sobol_headers():
    pytest.importorskip("SALib")
    from bizmodels.risk import sobol

    result = sobol(bm.get_model("toc_membership"), {"price": (150, 250)}, samples=64)
    assert _cells(result.to_table("tsv")) == ["Field", "Range", "First order", "Total order"]
    assert _cells(result.to_table("tsv", lang="zh")) == ["字段", "范围", "一阶指数", "总效应指数"]
    assert _caption(result.to_html()) == "toc_membership: Sobol indices of operating_profit"
    assert _caption(result.to_html(lang="zh")) == "toc_membership：营业利润的 Sobol 指数"


def test_break_even_labels():
    found = break_even(bm.get_model("toc_membership"), "price")
    assert found.found
    html = found.to_html()
    assert _caption(html) == found.message.replace("'", "&#x27;")
    assert found._repr_html_() == html
    rows = re.findall(r"<tr[^>]*><td[^>]*>([^<]*)</td>", found.to_html(lang="zh"))
    assert rows == ["字段", "取值", "营业利润", "目标值", "误差在一分以内"]
    zh = _caption(found.to_html(lang="zh"))
    assert zh == f"toc_membership：price = {found.value} 时营业利润为 0（盈亏平衡）"
    assert "营业利润" in found.to_table(lang="zh") and "operating_profit" in found.to_table()
    # a range where the membership model always makes money: no break-even there
    missing = break_even(bm.get_model("toc_membership"), "price", search=(500, 600))
    assert not missing.found
    assert _caption(missing.to_html(lang="zh")) == (
        "toc_membership：price 在 [500, 600] 内营业利润达不到 0（无盈亏平衡点）"
    )


def test_explanation_labels(explanation):
    assert _th(explanation.to_html()) == EXPLAIN_EN
    html = explanation.to_html(lang="zh")
    assert _th(html) == EXPLAIN_ZH
    assert _caption(html) == "event 4（第 0 天）：D 加入，价格 699.00"
    assert _caption(explanation.to_html()) == "event 4 (day 0): D joins, price 699.00"
    first = re.search(r"<tbody>\s*<tr[^>]*>(.*?)</tr>", html, re.S)
    assert first is not None
    assert re.findall(r"<td[^>]*>([^<]*)</td>", first.group(1))[:3] == ["奖励", "A", "直推奖"]
    assert "平台留存" in html and "无人领取" in html
    assert explanation._repr_html_() == explanation.to_html()


def _calls(run, bars, explanation):
    table = two_way(bm.get_model("toc_membership"), "price", [150, 199], "customers", [1000])
    summary = scenario_sets({"base": {}}, ["toc_membership"])
    found = break_even(bm.get_model("toc_membership"), "price")
    return [
        lambda lang: run.to_table(lang=lang),
        lambda lang: run.to_html(lang=lang),
        lambda lang: run.render("table", lang=lang),
        lambda lang: run.render("json", lang=lang),
        lambda lang: bars.to_table(lang=lang),
        lambda lang: bars.to_html(lang=lang),
        lambda lang: table.to_table(lang=lang),
        lambda lang: table.to_html(lang=lang),
        lambda lang: summary.to_table(lang=lang),
        lambda lang: summary.to_html(lang=lang),
        lambda lang: found.to_table(lang=lang),
        lambda lang: found.to_html(lang=lang),
        lambda lang: explanation.to_html(lang=lang),
    ]


def test_bad_lang_refused(run, bars, explanation):
    for call in _calls(run, bars, explanation):
        with pytest.raises(ValueError) as info:
            call("fr")
        assert str(info.value) == BAD
        with pytest.raises(ValueError, match="lang = 'ZH': must be 'en' or 'zh'"):
            call("ZH")


def _columns(line: str) -> list[str]:
    """The header cells of a "simple" table: separated by two spaces or more."""
    return re.split(r"\s{2,}", line.strip())


def test_cli_montecarlo_lang(capsys):
    assert main(["montecarlo", "--samples", "500", "--seed", "3", "--lang", "zh"]) == 0
    heading, _, table = capsys.readouterr().out.partition("\n\n")
    assert heading.startswith("营业利润：500 个样本，种子 3，市场周围的默认不确定性")
    assert _columns(table.splitlines()[0]) == MC_ZH
    assert main(["montecarlo", "--samples", "500", "--seed", "3"]) == 0
    heading, _, table = capsys.readouterr().out.partition("\n\n")
    assert heading == (
        "operating_profit: 500 samples, seed 3, "
        "the default uncertainty around the market (bizmodels.risk.market_uncertainty)"
    )
    assert _columns(table.splitlines()[0]) == MC_EN
