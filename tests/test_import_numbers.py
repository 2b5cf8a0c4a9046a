"""Import reads numbers as written: the decimal mark, spreadsheets, World Bank files and units."""

from __future__ import annotations

import json
import random

import pytest

from vnecon.load.tomlread import tomllib

WB_GROWTH = ('"Data Source","World Development Indicators",\n\n"Last Updated Date","2025-01-28",\n\n'
             '"Country Name","Country Code","Indicator Name","Indicator Code","2019","2020",\n'
             '"Viet Nam","VNM","GDP growth (annual %)","NY.GDP.MKTP.KD.ZG","7.36","2.865",\n')
DATABANK = ('Country Name,Country Code,Series Name,Series Code,2021 [YR2021],2022 [YR2022],2023 [YR2023]\n'
            'Viet Nam,VNM,GDP growth (annual %),NY.GDP.MKTP.KD.ZG,2.55,8.12,5.05\n'
            'Viet Nam,VNM,"Exports of goods and services (% of GDP)",NE.EXP.GNFS.ZS,93.3,93.8,..\n'
            '\n\n'
            'Data from database: World Development Indicators\n'
            'Last Updated: 01/28/2025\n')


def imported(cli, path, *args):
    code, out, err = cli("import", str(path), "--new-source", "--dry-run", *args)
    return code, (tomllib.loads(out) if code == 0 else None), err


def values(doc):
    return {f["period"]: f["value"] for f in doc["indicator"]}


def test_a_world_bank_three_decimal_growth_rate_is_not_a_thousand(tmp_path, cli):
    (tmp_path / "wb.csv").write_text(WB_GROWTH)
    code, doc, err = imported(cli, tmp_path / "wb.csv", "--layout", "worldbank")
    assert code == 0, err
    assert values(doc) == {"2019": 7.36, "2020": 2.865}
    f = doc["indicator"][1]
    assert f["region"] == "Vietnam" and "Viet Nam" not in err  # the standard spelling, no warnings
    assert f["basis"] == "yoy" and f["tags"] == ["NY.GDP.MKTP.KD.ZG"]


def test_the_world_bank_writes_a_decimal_point_even_when_no_cell_shows_it(tmp_path, cli):
    (tmp_path / "wb.csv").write_text(WB_GROWTH.replace('"7.36"', '"7.362"'))
    code, doc, err = imported(cli, tmp_path / "wb.csv")  # recognised from its preamble, too
    assert code == 0, err
    assert values(doc) == {"2019": 7.362, "2020": 2.865}


def test_an_english_table_in_billions_keeps_its_decimals(tmp_path, cli):
    (tmp_path / "fdi.csv").write_text("name,2023,2024\nFDI (billion USD),2.9,1.165\n")
    code, doc, err = imported(cli, tmp_path / "fdi.csv", "--set", "basis=level")
    assert code == 0, err
    assert values(doc) == {"2023": 2_900_000_000, "2024": 1_165_000_000}
    assert "decimal point" in err


def test_a_vietnamese_table_with_a_decimal_comma(tmp_path, cli):
    (tmp_path / "vi.csv").write_text("Chỉ tiêu;2023;2024\nXuất khẩu (tỷ đồng);1.234,5;2.345\n", encoding="utf-8")
    code, doc, err = imported(cli, tmp_path / "vi.csv", "--set", "basis=level")
    assert code == 0, err
    assert values(doc) == {"2023": 1_234_500_000_000, "2024": 2_345_000_000_000}
    assert {f["unit"] for f in doc["indicator"]} == {"VND"} and "decimal comma" in err


def test_a_table_that_reads_two_ways_is_refused_naming_the_cell_and_the_option(tmp_path, cli):
    (tmp_path / "amb.csv").write_text("name,2023,2024\nFDI (billion USD),1.165,2.865\n")
    code, _, err = imported(cli, tmp_path / "amb.csv", "--set", "basis=level")
    assert code == 2 and "Traceback" not in err
    assert "'2023', row 2: '1.165' could be 1.165 or 1165" in err and "--decimal ." in err
    assert "--decimal ," in err and len(err.strip().splitlines()[-1]) < 300
    code, doc, err = imported(cli, tmp_path / "amb.csv", "--set", "basis=level", "--decimal", ".")
    assert code == 0 and values(doc) == {"2023": 1_165_000_000, "2024": 2_865_000_000}
    code, doc, err = imported(cli, tmp_path / "amb.csv", "--set", "basis=level", "--decimal", ",")
    assert code == 0 and values(doc) == {"2023": 1_165_000_000_000, "2024": 2_865_000_000_000}
    code, _, err = imported(cli, tmp_path / "amb.csv", "--set", "basis=level", "--decimal", "x")
    assert code == 2 and "--decimal: give . " in err


def test_a_column_mixing_both_marks_is_refused(tmp_path, cli):
    (tmp_path / "mix.csv").write_text("name,value,unit,period,basis\nA,2.5,USD,2023,level\nB,1.234,5,USD\n"
                                      .replace("1.234,5,USD", '"1.234,5",USD,2023,level'))
    code, _, err = imported(cli, tmp_path / "mix.csv")
    assert code == 2 and "'2.5' (decimal point)" in err and "'1.234,5' (decimal comma)" in err


def test_a_spreadsheet_is_recognised_with_advice_that_works(tmp_path, cli):
    (tmp_path / "t.xlsx").write_bytes(b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)) * 4)
    code, _, err = cli("import", str(tmp_path / "t.xlsx"), "--new-source")
    assert code == 2 and "spreadsheet" in err and "CSV" in err and "--encoding" not in err
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    code, _, err = cli("import", str(tmp_path / "old.xls"), "--new-source")
    assert code == 2 and "Excel" in err and "--encoding" not in err


def test_a_databank_export_is_read_with_its_footer(tmp_path, cli):
    (tmp_path / "Data.csv").write_text(DATABANK)
    code, doc, err = imported(cli, tmp_path / "Data.csv")
    assert code == 0, err
    assert "error" not in err
    got = {(f["name"], f["period"]): (f["value"], f["basis"], f["unit"], f["tags"][0]) for f in doc["indicator"]}
    assert got == {
        ("GDP growth (annual %)", "2021"): (2.55, "yoy", "%", "NY.GDP.MKTP.KD.ZG"),
        ("GDP growth (annual %)", "2022"): (8.12, "yoy", "%", "NY.GDP.MKTP.KD.ZG"),
        ("GDP growth (annual %)", "2023"): (5.05, "yoy", "%", "NY.GDP.MKTP.KD.ZG"),
        ("Exports of goods and services (% of GDP)", "2021"): (93.3, "share", "%", "NE.EXP.GNFS.ZS"),
        ("Exports of goods and services (% of GDP)", "2022"): (93.8, "share", "%", "NE.EXP.GNFS.ZS")}
    assert doc["source"][0]["title"] == "World Development Indicators"
    assert doc["source"][0]["date"] == "2025-01-28"


def test_vietnamese_units_become_the_bundled_units(tmp_path, cli):
    (tmp_path / "u.csv").write_text("Chỉ tiêu,Đơn vị,2023,2024\nPMI,điểm,50.3,54.7\n"
                                    "Doanh thu,tỷ đồng,12,13\nSản lượng,nghìn tấn,5,6\n", encoding="utf-8")
    code, doc, err = imported(cli, tmp_path / "u.csv", "--set", "basis=level")
    assert code == 0, err
    got = {(f["name"], f["period"]): (f["value"], f["unit"]) for f in doc["indicator"]}
    assert got[("PMI", "2024")] == (54.7, "points")
    assert got[("Doanh thu", "2023")] == (12_000_000_000, "VND")
    assert got[("Sản lượng", "2024")] == (6_000, "tonnes")


def test_each_cell_proves_at_most_one_mark():
    from vnecon.authoring.tables import decide_decimal, evidence, number

    assert [evidence(c) for c in ("2.9", "1,234.5", "1,234,567", "5,5", "1.234,5", "1.234.567", "2.865",
                                  "1,165", "0.125", "12", "..")] == [
        ".", ".", ".", ",", ",", ",", None, None, ".", None, None]
    assert decide_decimal([(2, "2.865")], None)[0] is None and "could be" in decide_decimal([(2, "2.865")], None)[1]
    assert decide_decimal([(2, "2.865"), (3, "7.36")], None) == (".", None)
    assert number("2.865", ".") == number("2,865", ",") and float(number("1.234,5", ",")) == 1234.5
    with pytest.raises(ValueError):
        number("2.865")  # without a mark it reads two ways


def _write(x: float, mark: str, group: bool, decimals: int) -> str:
    """x written in a convention: 1234.5 -> '1,234.5' or '1.234,5' (grouped) or '1234,5'."""
    text = f"{abs(x):,.{decimals}f}" if group else f"{abs(x):.{decimals}f}"
    if mark == ",":
        text = text.translate(str.maketrans(",.", ".,"))
    return ("-" if x < 0 else "") + text


@pytest.mark.parametrize("seed", range(12))
def test_property_random_tables_come_back_exactly_or_are_refused(tmp_path, cli, seed):
    """For random tables written in each convention: import, then `indicators --format json` gives back
    exactly the numbers written; a table whose cells read two ways is refused, never misread."""
    rng = random.Random(seed)
    mark = "." if seed % 2 else ","
    group = rng.random() < 0.5
    periods = [str(2010 + i) for i in range(rng.randint(2, 5))]
    rows, want = [], {}
    for r in range(rng.randint(1, 5)):
        cells = []
        for p in periods:
            decimals = rng.choice([0, 1, 2, 3])
            x = round(rng.uniform(-5000, 5000) if rng.random() < 0.7 else rng.uniform(0, 10), decimals)
            cells.append(_write(x, mark, group, decimals))
            want[(f"m{r}", p)] = x
        rows.append([f"m{r}", *cells])
    delim = ";" if mark == "," else ","
    text = delim.join(["name", *periods]) + "\n" + "\n".join(
        delim.join(f'"{c}"' for c in row) for row in rows) + "\n"
    (tmp_path / "t.csv").write_text(text)
    facts = tmp_path / "imported.toml"
    base = ("import", str(tmp_path / "t.csv"), "--new-source", "--set", "unit=count", "--set", "basis=level",
            "--delimiter", delim, "--out", str(facts))
    for extra in ((), ("--decimal", mark)):
        facts.unlink(missing_ok=True)
        code, _, err = cli(*base, *extra)
        if code == 2 and not extra:
            assert "could be" in err and "--decimal" in err  # refused, and says how to settle it
            continue
        assert code == 0, err
        code, out, err = cli("indicators", "--format", "json", "--limit", "0", "--facts", str(facts))
        assert code == 0, err
        got = {(f["name"], f["period"]): f["value"] for f in json.loads(out) if f["name"].startswith("m")}
        assert got == pytest.approx(want, abs=0) and got == want
