"""Periods in the words people type (issue 23): one reading for --period, search and import."""

from __future__ import annotations

import pytest
import tomllib
from conftest import write

from vnecon.core.periods import day_month_notes, schema_period

WORDS = [
    ("T7/2024", "2024-07"), ("T07-2024", "2024-07"), ("T7 2024", "2024-07"),
    ("9M 2024", "2024-01/2024-09"), ("9M2024", "2024-01/2024-09"),
    ("quarter 3 2024", "2024-Q3"), ("quarter III/2024", "2024-Q3"), ("half 2 2024", "2024-H2"),
    ("Jul-2024", "2024-07"), ("July-2024", "2024-07"), ("Sept 2024", "2024-09"),
    ("tháng Bảy 2024", "2024-07"), ("tháng Mười Một năm 2024", "2024-11"), ("tháng 7.2024", "2024-07"),
    ("July 5, 2024", "2024-07-05"), ("5 July 2024", "2024-07-05"), ("ngày 5 tháng 7 năm 2024", "2024-07-05"),
    ("5/7/2024", "2024-07-05"), ("31/12/2024", "2024-12-31"),
    ("mid-2024", "2024-05/2024-08"), ("early 2024", "2024-01/2024-04"), ("late 2024", "2024-09/2024-12"),
    ("giữa năm 2024", "2024-05/2024-08"),
    ("FY2024", "2024"), ("FY 2024", "2024"), ("FY24", "2024"), ("fiscal year 2024", "2024"),
    ("năm tài chính 2024", "2024"),
    # the forms read before stay as they were
    ("2024", "2024"), ("2024-07", "2024-07"), ("7/2024", "2024-07"), ("Q3 2024", "2024-Q3"),
    ("quý 3/2024", "2024-Q3"), ("H1 2024", "2024-H1"), ("Jan-Nov 2024", "2024-01/2024-11"),
    ("tháng 7/2024", "2024-07"),
]


@pytest.mark.parametrize(("text", "period"), WORDS)
def test_words_read_as_one_period(text, period):
    assert schema_period(text) == period


@pytest.mark.parametrize("text", ["Value", "Q1", "Viet Nam 2024", "31/2/2024", "T13/2024", "2024 target"])
def test_not_one_period(text):
    assert schema_period(text) is None


def test_a_day_that_reads_two_ways_is_read_the_vietnamese_way_and_said_so():
    assert day_month_notes("5/7/2024") == [
        "5/7/2024 read as 5 July 2024 (day/month/year, the Vietnamese order); for May 7 type 2024-05-07"]
    assert day_month_notes("13/7/2024 7/7/2024 7/2024") == []  # only one reading each


@pytest.fixture
def months(tmp_path):
    d = tmp_path / "months"
    write(d / "facts.toml", '[[source]]\nid = "s"\npublisher = "GSO"\ntitle = "t"\ndate = "2025-01-06"\n\n' + "".join(
        f'[[indicator]]\nid = "cpi-{p.replace("/", "-")}"\nname = "Consumer Price Index"\nperiod = "{p}"\nvalue = {i + 1}\n'
        f'unit = "%"\nbasis = "yoy"\nsources = ["s"]\n\n'
        for i, p in enumerate(["2024-06", "2024-07", "2024-09", "2024-01/2024-09", "2024-07-05", "2024"])))
    return ["--no-bundled", "--facts", str(d)]


@pytest.mark.parametrize(("text", "ids"), [
    ("T7/2024", ["cpi-2024-07", "cpi-2024-07-05"]),
    ("tháng Bảy 2024", ["cpi-2024-07", "cpi-2024-07-05"]),
    ("Jul-2024", ["cpi-2024-07", "cpi-2024-07-05"]),
    ("quarter 3 2024", ["cpi-2024-07", "cpi-2024-07-05", "cpi-2024-09"]),
    ("9M 2024", ["cpi-2024-01-2024-09", "cpi-2024-06", "cpi-2024-07", "cpi-2024-07-05", "cpi-2024-09"]),
    ("mid-2024", ["cpi-2024-06", "cpi-2024-07", "cpi-2024-07-05"]),
    ("July 5, 2024", ["cpi-2024-07-05"]),
    ("FY2024", ["cpi-2024", "cpi-2024-01-2024-09", "cpi-2024-06", "cpi-2024-07", "cpi-2024-07-05",
                "cpi-2024-09"]),
])
def test_period_option_takes_the_words(capsys, months, text, ids):
    from conftest import run_main

    code, out, err = run_main(["indicators", "--period", text, "--fields", "id", "--format", "csv", *months], capsys)
    assert code == 0, err
    assert sorted(out.split()[1:]) == ids


def test_period_option_says_how_it_read_a_day(capsys, months):
    from conftest import run_main

    code, out, err = run_main(["indicators", "--period", "5/7/2024", "--fields", "id", *months], capsys)
    assert code == 0 and out.split()[1:] == ["cpi-2024-07-05"]
    assert "vnecon: note: 5/7/2024 read as 5 July 2024 (day/month/year, the Vietnamese order)" in err


@pytest.mark.parametrize("words", [["cpi", "T7/2024"], ["cpi", "tháng", "Bảy", "2024"], ["cpi", "Jul-2024"]])
def test_search_takes_the_words(capsys, months, words):
    from conftest import run_main

    code, out, err = run_main(["search", *words, "--fields", "id", "--format", "csv", *months], capsys)
    assert code == 0, err
    assert out.split()[1] == "cpi-2024-07"


def test_import_takes_the_words_in_headers_and_cells(tmp_path, cli):
    write(tmp_path / "wide.csv", """
        name,T7/2024,9M 2024,quarter 3 2024,FY2024
        Exports,1,2,3,4
        """)
    code, _, err = cli("import", str(tmp_path / "wide.csv"), "--source", "src-briefing", "--set", "unit=USD",
                       "--set", "basis=level", "--out", str(tmp_path / "wide.toml"))
    assert code == 0, err
    periods = [f["period"] for f in tomllib.loads((tmp_path / "wide.toml").read_text())["indicator"]]
    assert periods == ["2024-07", "2024-01/2024-09", "2024-Q3", "2024"]
    write(tmp_path / "long.csv", """
        name,period,value
        Exports,tháng Bảy 2024,5
        Exports,Jul-2023,6
        """)
    code, _, err = cli("import", str(tmp_path / "long.csv"), "--source", "src-briefing", "--set", "unit=USD",
                       "--set", "basis=level", "--out", str(tmp_path / "long.toml"))
    assert code == 0, err
    periods = [f["period"] for f in tomllib.loads((tmp_path / "long.toml").read_text())["indicator"]]
    assert periods == ["2024-07", "2023-07"]


def test_a_range_of_months_is_not_read_as_a_day():
    assert schema_period("tháng 1-11/2024") == "2024-01/2024-11"
    assert day_month_notes("tháng 1-11/2024") == []
