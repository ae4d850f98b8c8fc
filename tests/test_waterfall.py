from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bizmodels import Line, StepKind, Subtotal, Waterfall
from bizmodels.waterfall import to_fen


def small():
    return Waterfall.build(
        Line("price", "售价", "Price", 100),
        [
            Line("commission", "佣金", "Commission", Decimal("30.004")),
            Subtotal("after_commission", "扣佣后", "After commission"),
            Line("goods", "商品成本", "Goods", Decimal("12.125")),
        ],
        Subtotal("margin", "毛利", "Margin"),
        title="one order",
    )


def test_rounds_each_step_then_subtracts():
    wf = small()
    # 30.004 → 30.00; 12.125 → 12.13 (half away from zero); 100 − 30 − 12.13 = 57.87
    assert [s.amount for s in wf.deductions] == [Decimal("30.00"), Decimal("12.13")]
    assert wf["after_commission"].amount == Decimal("70.00")
    assert wf.end == Decimal("57.87")
    assert wf.start == Decimal("100.00")
    assert [s.kind for s in wf] == [
        StepKind.START,
        StepKind.DEDUCTION,
        StepKind.SUBTOTAL,
        StepKind.DEDUCTION,
        StepKind.END,
    ]


def test_share_of_start():
    wf = small()
    assert wf["commission"].share == Decimal("0.300000")
    assert wf["margin"].share == Decimal("0.578700")


def test_zero_start_has_no_share():
    wf = Waterfall.build(Line("s", "s", "s", 0), [], Subtotal("e", "e", "e"))
    assert wf["s"].share is None
    assert wf.end == 0


def test_half_rounds_away_from_zero():
    assert to_fen(Decimal("0.005")) == Decimal("0.01")
    assert to_fen(Decimal("-0.005")) == Decimal("-0.01")
    assert to_fen(Decimal("2.675")) == Decimal("2.68")


def test_floats_are_refused():
    with pytest.raises(TypeError, match=r"'goods'.*float"):
        Waterfall.build(
            Line("p", "p", "p", 1),
            [Line("goods", "g", "g", 0.1)],  # type: ignore[arg-type]
            Subtotal("e", "e", "e"),
        )


def test_non_finite_and_duplicate_keys_are_refused():
    with pytest.raises(ValueError, match="finite"):
        Waterfall.build(Line("p", "p", "p", Decimal("NaN")), [], Subtotal("e", "e", "e"))
    with pytest.raises(ValueError, match=r"repeated: \['p'\]"):
        Waterfall.build(Line("p", "p", "p", 1), [Line("p", "x", "x", 1)], Subtotal("e", "e", "e"))


def test_unknown_key_names_the_steps():
    with pytest.raises(KeyError, match="steps: price, commission"):
        small()["nope"]


def test_tables_in_both_languages():
    wf = small()
    en = wf.to_table(lang="en")
    zh = wf.to_table(lang="zh")
    assert "Commission (佣金)" in en and "−30.00" in en and "57.87" in en
    assert "佣金" in zh and "金额（元）" in zh and "Commission" not in zh
    assert str(wf) == en
    assert "| Item" in wf.to_table("github")
    with pytest.raises(ValueError, match="lang"):
        wf.to_table(lang="fr")  # type: ignore[arg-type]


def test_records_dict_json_csv():
    wf = small()
    records = wf.to_records()
    # deductions negative in records, CSV and JSON (issue 13): 100 − 30 − 12.13 = 57.87
    assert records[1]["key"] == "commission" and records[1]["amount"] == Decimal("-30.00")
    assert records[1]["share"] == Decimal("-0.3")
    assert sum(r["amount"] for r in records if r["kind"] in ("start", "deduction")) == Decimal(
        "57.87"
    )
    assert records[-1]["kind"] == "end"
    assert wf.to_dict() == {
        "price": Decimal("100.00"),
        "commission": Decimal("30.00"),
        "after_commission": Decimal("70.00"),
        "goods": Decimal("12.13"),
        "margin": Decimal("57.87"),
    }
    import json

    data = json.loads(wf.render("json"))
    assert data["title"] == "one order"
    assert [s["amount"] for s in data["steps"]] == [100.0, -30.0, 70.0, -12.13, 57.87]
    csv_text = wf.render("csv")
    assert csv_text.splitlines()[0].startswith("key,kind,label_zh,label_en,amount")
    assert "margin,end,毛利,Margin,57.87" in csv_text
    assert "goods,deduction,商品成本,Goods,-12.13" in csv_text


amounts = st.decimals(min_value=-(10**9), max_value=10**9, places=4, allow_nan=False)


@given(start=amounts, deductions=st.lists(amounts, max_size=12))
def test_every_waterfall_reconciles_to_the_fen(start, deductions):
    wf = Waterfall.build(
        Line("s", "s", "s", start),
        [Line(f"d{i}", "d", "d", d) for i, d in enumerate(deductions)],
        Subtotal("e", "e", "e"),
    )
    assert wf.end == wf.start - sum((s.amount for s in wf.deductions), Decimal(0))
    assert all(s.amount == s.amount.quantize(Decimal("0.01")) for s in wf)


@settings(max_examples=60, deadline=None)
@given(
    start=amounts,
    items=st.lists(st.one_of(amounts, st.none()), max_size=12),
)
def test_records_and_frames_sum_to_the_end(start, items):
    # deductions negative in records and frames (issue 13): start + deductions = end
    pd = pytest.importorskip("pandas")
    wf = Waterfall.build(
        Line("s", "s", "s", start),
        [
            Subtotal(f"t{i}", "t", "t") if d is None else Line(f"d{i}", "d", "d", d)
            for i, d in enumerate(items)
        ],
        Subtotal("e", "e", "e"),
    )
    records = wf.to_records()
    steps = [r["amount"] for r in records if r["kind"] in ("start", "deduction")]
    assert sum(steps, Decimal(0)) == wf.end
    fen = wf.to_pandas(money="fen")
    assert fen["amount_fen"].dtype == "int64"
    in_sum = fen["kind"].isin(["start", "deduction"])
    assert int(fen.loc[in_sum, "amount_fen"].sum()) == int(wf.end * 100)
    yuan = wf.to_pandas()
    assert round(float(yuan.loc[in_sum, "amount"].sum()), 2) == float(wf.end)
    exact = wf.to_pandas(money="decimal")
    assert sum(exact.loc[in_sum, "amount"], Decimal(0)) == wf.end
    assert isinstance(yuan, pd.DataFrame) and len(yuan) == len(wf)
