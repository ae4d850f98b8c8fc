"""read_orders: the per-customer summary, worked out by hand on tiny logs.

The definitions (bizmodels.fit.orders): orders on the same day are one purchase, whatever
the time unit; frequency = purchase days - 1; recency = last purchase day - first, T = the
last day (of calibration or observation) - first purchase day, both in the time unit
(weeks = days / 7, months = days / 30.4375); monetary_value = mean spend of the repeat
days (a day's orders summed), 0 without. In days this is pymc-marketing's rfm_summary.
The cohort table is by calendar period: weeks are ISO weeks (Monday to Sunday).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

duckdb = pytest.importorskip("duckdb")
pd = pytest.importorskip("pandas")
pytest.importorskip("pyarrow")

from bizmodels.fit import BadOrderRows, read_orders  # noqa: E402

# January 2024: Monday 1 starts the ISO week W1; W2 starts the 8th, W3 the 15th, W4 the
# 22nd, W5 the 29th. observation_end 2024-02-04 is the Sunday ending W5.
ROWS = [
    ("a", "2024-01-01", 10.0),  # W1
    ("a", "2024-01-03", 5.0),  # W1 again: one purchase period of 15
    ("a", "2024-01-15", 30.0),  # W3
    ("a", "2024-01-19", 6.0),  # W3 again: 36
    ("a", "2024-01-24", 12.0),  # W4
    ("b", "2024-01-10", 20.0),  # W2 only
    ("c", "2024-01-28", 8.0),  # Sunday: still W4
    ("c", "2024-01-29", 9.0),  # Monday: W5
    ("d", "2024-01-02", 7.0),  # W1 only
]
END = "2024-02-04"


def frame(rows=ROWS, **extra):
    data = pd.DataFrame(rows, columns=["id", "day", "paid"])
    for name, values in extra.items():
        data[name] = values
    return data


def records(log):
    return {r["customer_id"]: r for r in log.summary.to_dict("records")}


def summary_of(log):
    return {
        k: (v["frequency"], v["recency"], v["T"], v["monetary_value"])
        for k, v in records(log).items()
    }


def read(source=None, **options):
    options.setdefault("observation_end", END)
    return read_orders(
        frame() if source is None else source, customer="id", date="day", amount="paid", **options
    )


def test_weekly_summary_by_hand():
    log = read()
    assert summary_of(log) == {
        # days 1, 3, 15, 19, 24: 4 repeats (two in W1 and two in W3 count apart), 23 days
        # = 23/7 weeks, 34 days to 4 February, (5 + 30 + 6 + 12) / 4
        "a": pytest.approx((4.0, 23 / 7, 34 / 7, 13.25), rel=1e-12),
        "b": pytest.approx((0.0, 0.0, 25 / 7, 0.0), rel=1e-12),  # 10 January
        "c": pytest.approx((1.0, 1 / 7, 1.0, 9.0), rel=1e-12),  # Sunday 28, Monday 29
        "d": pytest.approx((0.0, 0.0, 33 / 7, 0.0), rel=1e-12),
    }
    assert log.customers == 4 and log.orders == 9 and log.bad_rows == {}
    assert log.observation_end == dt.date(2024, 2, 4) and log.source == "pandas DataFrame"
    columns = ["customer_id", "frequency", "recency", "T", "monetary_value"]
    assert list(log.summary.columns) == columns


def test_daily_summary_by_hand():
    log = read(time_unit="D")
    assert summary_of(log) == {
        # days 1, 3, 15, 19, 24: 4 repeats, 23 days, 34 days to 4 February, (5+30+6+12)/4
        "a": (4.0, 23.0, 34.0, 13.25),
        "b": (0.0, 0.0, 25.0, 0.0),
        "c": (1.0, 1.0, 7.0, 9.0),
        "d": (0.0, 0.0, 33.0, 0.0),
    }


def test_monthly_summary_by_hand():
    log = read(time_unit="M")
    month = 365.25 / 12  # 30.4375 days
    assert summary_of(log) == {
        "a": pytest.approx((4.0, 23 / month, 34 / month, 13.25), rel=1e-12),
        "b": pytest.approx((0.0, 0.0, 25 / month, 0.0), rel=1e-12),
        "c": pytest.approx((1.0, 1 / month, 7 / month, 9.0), rel=1e-12),
        "d": pytest.approx((0.0, 0.0, 33 / month, 0.0), rel=1e-12),
    }


def test_every_order_is_a_purchase_also_on_one_day():
    rows = [
        ("a", "2024-01-01", 10.0),
        ("a", "2024-01-01", 6.0),  # the same day: a second purchase, at recency 0
        ("a", "2024-01-15", 30.0),
        ("b", "2024-01-08", 4.0),
        ("b", "2024-01-08", 4.0),
    ]
    log = read(frame(rows), observation_end="2024-01-29")
    # a: 3 orders, 2 repeats; 1 -> 15 January = 2 weeks; 28 days to the end; the first
    # day's two orders count at its mean 8: repeats 8 and 30, mean 19
    # b: 2 orders on 8 January, one repeat at recency 0, 21 days observed, mean 4
    assert summary_of(log) == {
        "a": pytest.approx((2.0, 2.0, 4.0, 19.0), rel=1e-12),
        "b": pytest.approx((1.0, 0.0, 3.0, 4.0), rel=1e-12),
    }


def test_the_weekly_summary_is_the_daily_one_in_sevenths():
    daily, weekly = summary_of(read(time_unit="D")), summary_of(read())
    for key, (x, t_x, age, spend) in daily.items():
        assert weekly[key] == pytest.approx((x, t_x / 7, age / 7, spend), rel=1e-12)


def test_the_observation_end_defaults_to_the_latest_order():
    log = read(observation_end=None)
    assert log.observation_end == dt.date(2024, 1, 29)
    assert records(log)["a"]["T"] == 4.0  # 1 to 29 January: 28 days


def test_calibration_split_and_holdout_by_hand():
    log = read(calibration_end="2024-01-17")  # a Wednesday of W3
    # calibration: a bought 1, 3 and 15 January (5 and 30 on the repeat days); b on the
    # 10th, d on the 2nd; c only later. T runs to the 17th: 16, 7 and 15 days.
    assert summary_of(log) == {
        "a": pytest.approx((2.0, 2.0, 16 / 7, 17.5), rel=1e-12),
        "b": pytest.approx((0.0, 0.0, 1.0, 0.0), rel=1e-12),
        "d": pytest.approx((0.0, 0.0, 15 / 7, 0.0), rel=1e-12),
    }
    holdout = dict(log.holdout_counts.itertuples(index=False, name=None))
    # a's orders of 19 and 24 January: 2 holdout purchase days
    assert holdout == {"a": 2.0, "b": 0.0, "d": 0.0}
    assert log.holdout_periods == pytest.approx(18 / 7, rel=1e-12)  # 17 January -> 4 February
    assert log.calibration_end == dt.date(2024, 1, 17)


def test_cohort_table_by_hand():
    cohorts = read().cohorts
    rows = [
        (str(r["cohort"])[:10], r["age"], r["customers"], r["active"], r["retention"])
        for r in cohorts.to_dict("records")
    ]
    assert rows == [
        # a and d start in W1; a buys again in W3 (age 2) and W4 (age 3)
        ("2024-01-01", 0, 2, 2, 1.0),
        ("2024-01-01", 2, 2, 1, 0.5),
        ("2024-01-01", 3, 2, 1, 0.5),
        ("2024-01-08", 0, 1, 1, 1.0),
        ("2024-01-22", 0, 1, 1, 1.0),
        ("2024-01-22", 1, 1, 1, 1.0),
    ]


REFUNDS = [
    *ROWS,
    ("a", "2024-01-20", -4.0),  # refunds 4 of the 19 January order: 6 -> 2
    ("a", "2024-01-25", 12.0),  # the sign is ignored: refunds all of 24 January, gone
]


def test_refunds_reduce_the_spend_and_a_full_refund_is_no_purchase():
    flags = [False] * len(ROWS) + [True, True]
    log = read(frame(REFUNDS, back=flags), refund="back")
    # a: days 1, 3 (5), 15 (30), 19 (2); 24 refunded in full: 3 repeats, 18 days, of 37 / 3
    assert summary_of(log)["a"] == pytest.approx((3.0, 18 / 7, 34 / 7, 37 / 3), rel=1e-12)
    assert summary_of(log)["c"] == pytest.approx((1.0, 1 / 7, 1.0, 9.0), rel=1e-12)
    assert log.orders == 9 and log.refunds == 2 and log.bad_rows == {}
    assert ("2024-01-01", 3) not in {
        (str(c)[:10], a) for c, a in zip(log.cohorts["cohort"], log.cohorts["age"], strict=True)
    }


CSV = """id,day,paid,back
a,2024-01-01,10,0
,2024-01-02,5,0
b,2024-13-01,5,0
b,2024-01-10,-3,0
b,2024-01-10,abc,false
b,2024-01-10,3,maybe
c,2024-03-01,3,0
d,2024-01-05,2,1
b,2024-01-10,20,no
"""

MESSAGE = (
    "o.csv: 7 bad rows left out of the summary: 1 missing customer (line 3: empty); "
    "1 unreadable date (line 4: '2024-13-01'); "
    "1 negative amount on an order that is not a refund (line 5: '-3'); "
    "1 unreadable amount (line 6: 'abc'); 1 unreadable refund flag (line 7: 'maybe'); "
    "1 date after observation_end (line 8: '2024-03-01'); "
    "1 refund before any order of its customer (line 9: 'd')"
)


def test_bad_rows_are_counted_by_csv_line_and_reported(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("o.csv").write_text(CSV, encoding="utf-8")
    with pytest.warns(BadOrderRows) as seen:
        log = read_orders(
            "o.csv", customer="id", date="day", amount="paid", refund="back", observation_end=END
        )
    assert str(seen[0].message) == MESSAGE == log.bad_rows_message()
    assert log.bad_row_count == 7 and log.position == "line"
    assert log.bad_rows["unreadable date"].positions == (4,)
    # a bought on 1 January, b on the 10th, observed to 4 February: 34 and 25 days
    assert summary_of(log) == {
        "a": pytest.approx((0.0, 0.0, 34 / 7, 0.0), rel=1e-12),
        "b": pytest.approx((0.0, 0.0, 25 / 7, 0.0), rel=1e-12),
    }
    assert log.orders == 2 and log.refunds == 0
    with pytest.raises(ValueError) as raised:
        read_orders(
            "o.csv",
            customer="id",
            date="day",
            amount="paid",
            refund="back",
            observation_end=END,
            bad_rows="raise",
        )
    assert str(raised.value) == MESSAGE


def test_many_bad_rows_show_ten_and_count_the_rest():
    rows = [("a", "2024-01-01", 1.0)] + [("a", f"not a date {i}", 1.0) for i in range(12)]
    with pytest.warns(BadOrderRows, match=r"12 unreadable date \(rows 2: 'not a date 0'"):
        log = read(frame(rows))
    assert log.bad_rows["unreadable date"].count == 12
    assert log.bad_rows_message().endswith("11: 'not a date 9' and 2 more)")


def test_an_unknown_column_is_refused_naming_the_file_and_its_columns(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text("id,day,paid\na,2024-01-01,3\n", encoding="utf-8")
    with pytest.raises(
        ValueError,
        match=r"^orders.csv: no column 'amount' \(amount=\); its "
        "columns are: id, day, paid$",
    ):
        read_orders(path, customer="id", date="day", amount="amount")
    with pytest.raises(ValueError, match=r"^pandas DataFrame: no column 'ch' \(channel=\)"):
        read(channel="ch")


def test_every_source_gives_the_same_summary(tmp_path):
    expected = summary_of(read())
    data = frame()
    data.to_csv(tmp_path / "o.csv", index=False)
    data.to_parquet(tmp_path / "o.parquet", index=False)
    assert summary_of(read(tmp_path / "o.csv")) == expected
    assert summary_of(read(str(tmp_path / "o.parquet"))) == expected
    con = duckdb.connect()
    con.execute(f"CREATE TABLE orders AS SELECT * FROM read_parquet('{tmp_path / 'o.parquet'}')")
    log = read(con, query="SELECT * FROM orders")
    assert summary_of(log) == expected and log.source == "DuckDB query"
    # the temporary objects are gone from the user's connection
    assert [t[0] for t in con.execute("SHOW TABLES").fetchall()] == ["orders"]
    typed = data.assign(day=pd.to_datetime(data["day"]))
    assert summary_of(read(typed)) == expected


def test_a_polars_frame():
    pl = pytest.importorskip("polars")
    log = read(pl.from_pandas(frame()))
    assert log.source == "polars DataFrame" and summary_of(log) == summary_of(read())


def test_positions_of_parquet_and_query_rows_count_from_one(tmp_path):
    rows = [("a", "2024-01-01", 1.0), ("", "2024-01-02", 1.0)]
    frame(rows).to_parquet(tmp_path / "o.parquet", index=False)
    with pytest.warns(
        BadOrderRows,
        match=r"^o.parquet: 1 bad row left out of the summary: "
        r"1 missing customer \(row 2: ''\)$",
    ):
        read(tmp_path / "o.parquet")


def test_a_date_format():
    rows = [("a", "19970101", 1.0), ("a", "19970108", 2.0)]
    log = read(frame(rows), date_format="%Y%m%d", observation_end="1997-01-31")
    # 1 and 8 January 1997: one repeat a week later, observed for 30 days
    assert summary_of(log) == {"a": pytest.approx((1.0, 1.0, 30 / 7, 2.0), rel=1e-12)}


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"time_unit": "Q"}, "time_unit = 'Q': must be one of D, W, M"),
        (
            {"calibration_end": "2024-02-04"},
            "calibration_end = 2024-02-04: must be before observation_end = 2024-02-04",
        ),
        (
            {"calibration_end": "2023-12-31"},
            "calibration_end = 2023-12-31: before the first order (2024-01-01)",
        ),
        ({"observation_end": "4 Feb"}, "observation_end = '4 Feb': not a day as YYYY-MM-DD"),
        (
            {"observation_end": None, "calibration_end": "2024-01-29"},
            (
                "calibration_end = 2024-01-29: must be before the last order (2024-01-29), "
                "or the holdout is empty"
            ),
        ),
        ({"query": "SELECT 1"}, "query= is for a DuckDB connection only"),
        ({"bad_rows": "drop"}, "bad_rows = 'drop': must be 'report' or 'raise'"),
    ],
)
def test_refusals(options, message):
    with pytest.raises(ValueError) as raised:
        read(**options)
    assert str(raised.value) == message


def test_a_connection_needs_a_query_and_a_list_is_no_source(tmp_path):
    with pytest.raises(ValueError, match="a DuckDB connection needs query="):
        read(duckdb.connect())
    with pytest.raises(ValueError, match="source = list: give a CSV or Parquet path"):
        read([1, 2])
    with pytest.raises(FileNotFoundError):
        read(tmp_path / "missing.csv")


def test_the_shipped_log_reads_whole():
    path = Path(__file__).parents[2] / "bizmodels" / "data" / "orders_example.csv"
    log = read_orders(
        path,
        customer="customer_id",
        date="date",
        amount="amount",
        calibration_end="1997-09-30",
        observation_end="1998-06-30",
    )
    assert log.bad_rows == {} and log.customers == 2357 and log.source == "orders_example.csv"
    # every customer's first purchase is in the first 12 weeks: T of 27 to 39 weeks
    assert log.summary["T"].between(26, 39).all()
    assert log.holdout_periods == 39.0  # 30 September 1997 to 30 June 1998: 273 days


@pytest.mark.parametrize("unit", ["D", "W"])
def test_the_summary_is_pymc_marketings_rfm_summary(unit):
    # the reference definitions, computed by pymc-marketing on the same simulated log, in
    # days: weeks are the same days / 7 (purchases counted by day)
    utils = pytest.importorskip("pymc_marketing.clv.utils")
    from bizmodels.fit import simulate_orders

    cdnow = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426, "p": 6.25, "q": 3.74, "v": 15.44}
    log = simulate_orders(3000, **cdnow, periods=52, seed=5, start="2024-01-01")
    # rfm_summary counts a day's orders once, bizmodels each order: on a log with at most
    # one order per customer and day the two agree
    log = log.drop_duplicates(["customer_id", "date"], ignore_index=True)
    options = {"customer": "customer_id", "date": "date", "amount": "amount", "time_unit": unit}
    scale = {"D": 1.0, "W": 7.0}[unit]
    times = ["recency", "T"]

    def measured(frame):
        frame = frame.copy()
        frame[times] = frame[times] / scale
        return frame

    ref = measured(
        utils.rfm_summary(
            log,
            "customer_id",
            "date",
            monetary_value_col="amount",
            observation_period_end="2024-12-29",
            time_unit="D",
        ).sort_values("customer_id", ignore_index=True)
    )
    ours = read_orders(log, observation_end="2024-12-29", **options).summary
    assert (ref["customer_id"].to_numpy() == ours["customer_id"].to_numpy()).all()
    columns = ["frequency", "recency", "T", "monetary_value"]
    for column in columns:
        assert ours[column].to_numpy() == pytest.approx(ref[column].to_numpy(), abs=1e-9)
    split = measured(
        utils.rfm_train_test_split(
            log,
            "customer_id",
            "date",
            train_period_end="2024-06-30",
            test_period_end="2024-12-29",
            time_unit="D",
            monetary_value_col="amount",
        ).sort_values("customer_id", ignore_index=True)
    )
    ours = read_orders(log, calibration_end="2024-06-30", observation_end="2024-12-29", **options)
    for column in columns:
        assert ours.summary[column].to_numpy() == pytest.approx(split[column].to_numpy(), abs=1e-9)
    assert (ours.holdout_counts["holdout_frequency"] == split["test_frequency"]).all()
    assert ours.holdout_periods == pytest.approx(split["test_T"].iloc[0] / scale, rel=1e-12)


def test_csv_lines_are_exact_in_a_file_read_in_parallel(tmp_path):
    # 600,000 data lines (about 14 MB): DuckDB reads them in parallel chunks, in file order
    lines = [f"c{i % 50_000},2024-01-{1 + i % 28:02d},{i % 97}" for i in range(600_000)]
    for i in (3, 314_159, 599_999):
        lines[i] = f"c1,bad {i},1"
    path = tmp_path / "big.csv"
    path.write_text("id,day,paid\n" + "\n".join(lines) + "\n", encoding="utf-8")
    with pytest.warns(BadOrderRows):
        log = read(path, observation_end="2024-01-31")
    # data line i is file line i + 2: the header is line 1
    assert log.bad_rows["unreadable date"].positions == (5, 314_161, 600_001)


def test_a_messy_pandas_frame_gives_bad_rows_not_a_conversion_error():
    # as a spreadsheet gives: text among numbers, a missing id, unrelated odd columns
    data = pd.DataFrame(
        {
            "id": ["a", "a", None, "b"],
            "day": ["2024-01-01", pd.Timestamp("2024-01-09"), "2024-01-02", "x"],
            "paid": [1.0, "abc", 3, 4],
            "note": [{"x": 1}, [1], None, set()],
        }
    )
    with pytest.warns(BadOrderRows) as seen:
        log = read_orders(data, customer="id", date="day", amount="paid")
    assert str(seen[0].message) == (
        "pandas DataFrame: 3 bad rows left out of the summary: 1 unreadable amount "
        "(row 2: 'abc'); 1 missing customer (row 3: empty); 1 unreadable date (row 4: 'x')"
    )
    assert summary_of(log) == {"a": (0.0, 0.0, 0.0, 0.0)}


def test_a_refund_after_the_calibration_end_counts_against_the_order_it_refunds():
    rows = [*ROWS, ("a", "2024-01-18", 30.0)]  # refunds all of 15 January (W3, calibration)
    log = read(
        frame(rows, back=[False] * len(ROWS) + [True]), refund="back", calibration_end="2024-01-17"
    )
    # a's calibration purchases: 1 and 3 January (the 15th refunded in full); holdout the
    # 19th and 24th
    assert summary_of(log)["a"] == pytest.approx((1.0, 2 / 7, 16 / 7, 5.0), rel=1e-12)
    holdout = dict(log.holdout_counts.itertuples(index=False, name=None))
    assert holdout["a"] == 2.0
