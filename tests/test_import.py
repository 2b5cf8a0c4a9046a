"""vnecon import: tables of figures in, cited and checked TOML out (fixtures made here)."""

from __future__ import annotations

import csv
import io

from vnecon.authoring.tables import header_period, number, scale_of
from vnecon.load.tomlread import tomllib

WIDE = ("Chỉ tiêu,Tỉnh/Thành phố,2021,2022,2023\n"
        "Xuất khẩu (tỷ USD),Hà Nội,15.1,17.5,..\n"
        "Xuất khẩu (tỷ USD),Đà Nẵng,1.2,1.4,1.6\n")
LONG = ("name\tregion\tperiod\tvalue\tunit\tbasis\n"
        "Index of Industrial Production\tVietnam\t2024-07\t11.2\t%\tyoy\n"
        "Index of Industrial Production\tVietnam\t2024-08\t9.5\t%\tyoy\n")
WB = ('"Data Source","World Development Indicators",\n\n"Last Updated Date","2025-07-01",\n\n'
      '"Country Name","Country Code","Indicator Name","Indicator Code","2021","2022","2023",\n'
      '"Thailand","THA","GDP (current US$)","NY.GDP.MKTP.CD","505000000000","495000000000","514000000000",\n'
      '"Viet Nam","VNM","GDP (current US$)","NY.GDP.MKTP.CD","366000000000","413000000000","430000000000",\n')


def test_header_periods_scales_and_numbers():
    assert [header_period(h) for h in ("2019", "T1/2024", "Tháng 7/2024", "Q1 2024", "2024-Q3", "H2 2024",
                                       "7/2024", "2019 [YR2019]", "Region")] == [
        "2019", "2024-01", "2024-07", "2024-Q1", "2024-Q3", "2024-H2", "2024-07", "2019", None]
    assert scale_of("billion USD") == (1e9, "USD") and scale_of("tỷ đồng") == (1e9, "VND")
    assert scale_of("nghìn tấn") == (1e3, "tonnes")
    assert [number(c) for c in ("1,234.5", "1.234,5", "5,5", "..", "-", "n/a", "")] == [
        1234.5, 1234.5, 5.5, None, None, None, None]


def test_wide_table_to_checked_facts_and_back(tmp_path, cli):
    (tmp_path / "wide.csv").write_text(WIDE, encoding="utf-8")
    code, _, err = cli("import", str(tmp_path / "wide.csv"), "--new-source", "--set-source", "publisher=GSO",
                       "--set-source", "title=Exports by province", "--set", "basis=level",
                       "--out", str(tmp_path / "out.toml"))
    assert code == 0, err
    doc = tomllib.loads((tmp_path / "out.toml").read_text())
    assert doc["source"][0]["publisher"] == "GSO"
    values = {(f["region"], f["period"]): f["value"] for f in doc["indicator"]}
    assert values == {("Hà Nội", "2021"): 15_100_000_000, ("Hà Nội", "2022"): 17_500_000_000,
                      ("Đà Nẵng", "2021"): 1_200_000_000, ("Đà Nẵng", "2022"): 1_400_000_000,
                      ("Đà Nẵng", "2023"): 1_600_000_000}  # '..' skipped, not zero
    assert {f["unit"] for f in doc["indicator"]} == {"USD"}
    assert "1 empty or missing cell skipped" in err
    code, _, err = cli("check", str(tmp_path / "out.toml"))
    assert code == 0 and "0 errors" in err
    _, out, _ = cli("indicators", "--region", "da nang", "--format", "csv", "--fields", "period,value",
                    "--facts", str(tmp_path / "out.toml"))
    assert out.split() == ["period,value", "2021,1200000000", "2022,1400000000", "2023,1600000000"]


def test_long_tsv_with_bom_and_crlf_to_stdout(tmp_path, cli):
    (tmp_path / "long.tsv").write_bytes(b"\xef\xbb\xbf" + LONG.replace("\n", "\r\n").encode())
    code, out, err = cli("import", str(tmp_path / "long.tsv"), "--source", "src-briefing")
    assert code == 0, err
    doc = tomllib.loads(out)
    assert [(f["period"], f["value"], f["basis"]) for f in doc["indicator"]] == [("2024-07", 11.2, "yoy"),
                                                                                 ("2024-08", 9.5, "yoy")]
    assert "source" not in doc and doc["indicator"][0]["sources"] == ["src-briefing"]


def test_world_bank_layout_keeps_vietnam_and_reads_the_preamble(tmp_path, cli):
    (tmp_path / "API_GDP.csv").write_text(WB)
    code, out, err = cli("import", str(tmp_path / "API_GDP.csv"), "--layout", "worldbank", "--new-source")
    assert code == 0, err
    doc = tomllib.loads(out)
    assert doc["source"][0]["title"] == "World Development Indicators" and doc["source"][0]["date"] == "2025-07-01"
    assert "from the file's preamble" in err
    assert {(f["region"], f["period"], f["value"], f["unit"]) for f in doc["indicator"]} == {
        ("Vietnam", "2021", 366_000_000_000, "USD"), ("Vietnam", "2022", 413_000_000_000, "USD"),
        ("Vietnam", "2023", 430_000_000_000, "USD")}


def test_windows_1252_is_named_and_readable_with_encoding(tmp_path, cli):
    (tmp_path / "w.csv").write_bytes("name,region,2021,2022\nCafé output,Vietnam,1,2\n".encode("cp1252"))
    code, _, err = cli("import", str(tmp_path / "w.csv"), "--new-source", "--set", "unit=count",
                       "--set", "basis=level")
    assert code == 2 and "not UTF-8" in err and "--encoding cp1252" in err
    code, out, _ = cli("import", str(tmp_path / "w.csv"), "--new-source", "--set", "unit=count",
                       "--set", "basis=level", "--encoding", "cp1252")
    assert code == 0 and "Café output" in out


def test_one_bad_row_writes_nothing_unless_skip_bad(tmp_path, cli):
    (tmp_path / "bad.csv").write_text("name,region,2021,2022\nExports,Vietnam,1,abc\n")
    args = ("import", str(tmp_path / "bad.csv"), "--new-source", "--set", "unit=USD", "--set", "basis=level",
            "--out", str(tmp_path / "o.toml"))
    code, _, err = cli(*args)
    assert code == 1 and not (tmp_path / "o.toml").exists()
    assert f"{tmp_path / 'bad.csv'}:2:2022: error: 'abc' is not a number" in err
    code, _, err = cli(*args, "--skip-bad")
    assert code == 0 and len(tomllib.loads((tmp_path / "o.toml").read_text())["indicator"]) == 1
    code, _, err = cli(*args, "--skip-bad")
    assert code == 2 and "exists; use --force" in err


def test_ids_never_collide_with_existing_facts(tmp_path, cli):
    (tmp_path / "l.csv").write_text("id,name,period,value,unit,basis\nvn-pmi-2024-07,PMI,2024-07,55,points,level\n")
    code, _, err = cli("import", str(tmp_path / "l.csv"), "--source", "src-briefing")
    assert code == 1 and "already exist" in err and "vn-pmi-2024-07" in err
    code, out, _ = cli("import", str(tmp_path / "l.csv"), "--source", "src-briefing", "--replace")
    assert code == 0 and 'id = "vn-pmi-2024-07"' in out


def test_a_source_must_be_cited_and_exist(tmp_path, cli):
    (tmp_path / "l.csv").write_text(LONG.replace("\t", ","))
    code, _, err = cli("import", str(tmp_path / "l.csv"))
    assert code == 2 and "--source ID" in err
    code, _, err = cli("import", str(tmp_path / "l.csv"), "--source", "no-such-source")
    assert code == 2 and "no source with id 'no-such-source'" in err


def test_dry_run_writes_nothing(tmp_path, cli):
    (tmp_path / "wide.csv").write_text(WIDE)
    target = tmp_path / "mine.toml"
    code, out, err = cli("import", str(tmp_path / "wide.csv"), "--new-source", "--set", "basis=level",
                         "--append", str(target), "--dry-run")
    assert code == 0 and not target.exists() and "[[indicator]]" in out and "dry run" in err


def test_a_mapping_file_names_the_columns(tmp_path, cli):
    (tmp_path / "t.csv").write_text("Series,Place,When,Amount\nPMI,Vietnam,2024-07,54.7\n")
    (tmp_path / "map.toml").write_text('Series = "name"\nPlace = "region"\nWhen = "period"\nAmount = "value"\n')
    code, out, err = cli("import", str(tmp_path / "t.csv"), "--map-file", str(tmp_path / "map.toml"),
                         "--source", "src-briefing", "--set", "unit=points", "--set", "basis=level")
    assert code == 0, err
    f = tomllib.loads(out)["indicator"][0]
    assert (f["name"], f["region"], f["period"], f["value"]) == ("PMI", "Vietnam", "2024-07", 54.7)


def test_a_scale_in_the_name_moves_to_the_value_and_unit(tmp_path, cli):
    (tmp_path / "wide.csv").write_text(WIDE)
    code, out, _ = cli("import", str(tmp_path / "wide.csv"), "--new-source", "--set", "basis=level")
    names = {f["name"] for f in tomllib.loads(out)["indicator"]}
    ids = {f["id"] for f in tomllib.loads(out)["indicator"]}
    assert names == {"Xuất khẩu"} and "xuat-khau-ha-noi-2021" in ids


def test_new_source_on_stdin_must_be_described(tmp_path, cli, monkeypatch):
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(WIDE.encode())))
    code, _, err = cli("import", "-", "--new-source", "--set", "basis=level")
    assert code == 2 and "--set-source publisher=" in err
