"""Issue 28, import: tables whose cells were dropped, misread or mixed silently (W2-W5, O10).

Each test is the issue's reproduction, made in tmp_path; each failed before its fix.
"""

from __future__ import annotations

import pytest

from vnecon.authoring.tables import header_period, scale_of
from vnecon.load.tomlread import tomllib

SOURCE = ("--new-source", "--set-source", "publisher=GSO", "--set-source", "title=Table")


def imported(cli, tmp_path, text: str | bytes, *args: str):
    path = tmp_path / "t.csv"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return cli("import", str(path), *SOURCE, *args)


def facts(out: str) -> list[dict]:
    return tomllib.loads(out)["indicator"]


# ---- W2: scale words -----------------------------------------------------------

def test_scale_words_in_a_row_multiply():
    assert scale_of("nghìn tỷ đồng") == (1e12, "VND")
    assert scale_of("trăm triệu USD") == (1e8, "USD")
    assert scale_of("hundred million USD") == (1e8, "USD")
    assert scale_of("million USD per thousand people") == (1e6, "USD")  # only the first run scales
    assert scale_of("tỷ lệ %") == (1.0, "%")  # a ratio, not a billion
    assert scale_of("số trạm") == (1.0, None)  # 'trạm' (a station) folds like 'trăm'


def test_units_with_scale_words_are_scaled_once(tmp_path, cli):
    code, out, err = imported(cli, tmp_path, "name,region,unit,2022,2023\n"
                                             "GDP,Vietnam,nghìn tỷ đồng,9.5,10.2\n"
                                             "FDI,Vietnam,trăm triệu USD,1.5,2\n"
                                             "Population,Vietnam,triệu người,99.5,100.3\n", "--set", "basis=level")
    assert code == 0, err
    got = {(f["name"], f["period"]): (f["value"], f["unit"]) for f in facts(out)}
    assert got[("GDP", "2022")] == (9_500_000_000_000, "VND")
    assert got[("FDI", "2022")] == (150_000_000, "USD")
    # the value is in people now, so the unit must not say "million" again (check would advise x1e6 again)
    assert got[("Population", "2023")] == (100_300_000, "người")
    (tmp_path / "out.toml").write_text(out)
    code, _, err = cli("check", str(tmp_path / "out.toml"))
    assert "holds a scale word" not in err


def test_a_scale_in_the_name_counts_when_the_unit_cell_has_none(tmp_path, cli):
    code, out, err = imported(cli, tmp_path, "name,region,unit,2022,2023\nExports (million USD),Vietnam,USD,5,6\n",
                              "--set", "basis=level")
    assert code == 0, err
    assert [(f["name"], f["value"], f["unit"]) for f in facts(out)] == [
        ("Exports", 5_000_000, "USD"), ("Exports", 6_000_000, "USD")]


def test_two_scales_for_one_row_are_an_error(tmp_path, cli):
    code, _, err = imported(cli, tmp_path, "name,region,unit,2022,2023\nExports (million USD),Vietnam,tỷ USD,5,6\n",
                            "--set", "basis=level")
    assert code == 1 and "which scale is meant" in err and "nothing was written" in err


# ---- W3: every cell is used or reported ------------------------------------------

@pytest.mark.parametrize("header", ["2024e", "T13/2024", "2024-13", "Q5 2024", "H3 2024", "2024*", "1799"])
def test_a_header_that_looks_like_a_period_but_is_not_is_refused(tmp_path, cli, header):
    code, out, err = imported(cli, tmp_path, f"name,region,2022,{header},2023\nGDP,Vietnam,1,2,3\n",
                              "--set", "basis=level", "--set", "unit=USD")
    assert code == 2 and f"column {header!r} looks like a period" in err and f"--map '{header}=skip'" in err
    assert out == ""
    code, out, err = imported(cli, tmp_path, f"name,region,2022,{header},2023\nGDP,Vietnam,1,2,3\n",
                              "--set", "basis=level", "--set", "unit=USD", "--map", f"{header}=skip")
    assert code == 0, err
    assert [f["value"] for f in facts(out)] == [1, 3]


def test_a_fiscal_year_header_is_used_as_the_calendar_year(tmp_path, cli):
    """Vietnam's fiscal year is the calendar year: FY2025 is read (issue 23), not dropped (W3)."""
    code, out, err = imported(cli, tmp_path, "name,region,2024,FY2025\nGDP,Vietnam,1,2\n",
                              "--set", "basis=level", "--set", "unit=USD")
    assert code == 0, err
    assert [(f["period"], f["value"]) for f in facts(out)] == [("2024", 1), ("2025", 2)]


def test_a_pandas_year_header_is_a_year():
    assert header_period("2019.0") == "2019"


def test_extra_cells_in_a_ragged_row_are_reported(tmp_path, cli):
    code, out, err = imported(cli, tmp_path, "name,region,2022,2023\nGDP,Vietnam,1,2,3\nCPI,Vietnam,4,5\n",
                              "--set", "basis=level", "--set", "unit=USD")
    assert code == 1 and "t.csv:2:(cell 5): error" in err and "'3' in cell 5 has no column" in err
    code, out, err = imported(cli, tmp_path, "name,region,2022,2023\nGDP,Vietnam,1,2,3\nCPI,Vietnam,4,5\n",
                              "--set", "basis=level", "--set", "unit=USD", "--skip-bad")
    assert code == 0 and [f["name"] for f in facts(out)] == ["CPI", "CPI"]  # the ragged row left out whole


@pytest.mark.parametrize("table", ["name,region,Region,period,value\nGDP,Vietnam,Hanoi,2022,1\n",
                                   "name,region,period,Value,value\nGDP,Vietnam,2022,1,2\n"])
def test_two_columns_for_one_field_are_refused(tmp_path, cli, table):
    code, out, err = imported(cli, tmp_path, table, "--set", "basis=level", "--set", "unit=USD")
    assert code == 2 and "both give the" in err and out == ""


def test_a_wide_table_with_one_year_is_wide_and_unused_columns_are_named(tmp_path, cli):
    code, out, err = imported(cli, tmp_path, "name,region,Notes,2022\nGDP,Vietnam,revised,5\n",
                              "--set", "basis=level", "--set", "unit=USD")
    assert code == 0, err
    assert [(f["period"], f["value"]) for f in facts(out)] == [("2022", 5)]
    assert "column 'Notes' is not imported (1 cell)" in err


# ---- W4: a truncated file --------------------------------------------------------

def test_a_file_cut_inside_a_quoted_value_is_an_error(tmp_path, cli):
    cut = ('"Data Source","World Development Indicators",\n\n'
           '"Country Name","Country Code","Indicator Name","Indicator Code","2021","2022",\n'
           '"Viet Nam","VNM","Population, total","SP.POP.TOTL","98000000","33181846')
    code, out, err = imported(cli, tmp_path, cut)
    assert code == 2 and "t.csv:4: the file ends inside a quoted value" in err and out == ""


# ---- W5: line separators inside a quoted cell ------------------------------------

@pytest.mark.parametrize("sep", ["\u2028", "\u2029", "\x85", "\x0c", "\x1c", "\x1d", "\x1e", "\x0b"])
def test_a_line_separator_inside_a_quoted_name_stays_in_the_name(tmp_path, cli, sep):
    code, out, err = imported(cli, tmp_path, f'name,region,unit,basis,2022,2023\n"Goods{sep}and services",'
                                             'Vietnam,USD,level,5,6\nCPI,Vietnam,%,yoy,3,4\n')
    assert code == 0, err
    assert [f["name"] for f in facts(out)] == [f"Goods{sep}and services"] * 2 + ["CPI"] * 2


# ---- O10: places in the file ------------------------------------------------------

def test_rows_are_named_by_their_line_after_a_multi_line_cell(tmp_path, cli):
    code, _, err = imported(cli, tmp_path, 'name,region,unit,basis,2021,2022\n"Goods\nand\nservices",Vietnam,USD,'
                                           'level,1,2\nCPI,Vietnam,%,yoy,3,abc\n')
    assert code == 1 and "t.csv:5:2022: error: 'abc' is not a number" in err


def test_a_bad_value_in_a_wide_table_names_its_column(tmp_path, cli):
    code, _, err = imported(cli, tmp_path, "name,region,unit,basis,2021,2022\nGDP,Vietnam,USD,level,1," + "9" * 400
                            + "\n")
    assert code == 1 and "t.csv:2:2022: error: value must be a finite number" in err
