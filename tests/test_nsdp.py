"""vnecon fetch nsdp, the SDMX reader and the compact [[series]] record, against the recorded National
Summary Data Page files served over real HTTP on 127.0.0.1 (tests/fetchserver.py, tests/fixtures/nsdp/).

Expectations are read from the served files with a plain ElementTree parse, not with vnecon's reader.
No test measures time (bench/fetch.py times `fetch nsdp trade`).
"""

from __future__ import annotations

import gzip
import json
import re
import socket
import xml.etree.ElementTree as ET
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import run_main
from fetchserver import APIS, NSDP_COPIES, FixtureServer, nsdp_file

from vnecon.core.errors import FetchFailed
from vnecon.fetch import nsdp, sdmx
from vnecon.load.tomlread import tomllib

ROOT = Path(__file__).resolve().parent.parent
PROXIES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "all_proxy",
           "no_proxy")


@pytest.fixture
def server(monkeypatch):
    for var in PROXIES:
        monkeypatch.delenv(var, raising=False)
    with FixtureServer() as s:
        monkeypatch.setenv("VNECON_NSDP_URL", s.nsdp)
        yield s


@pytest.fixture
def run(capsys, tmp_path):
    """vnecon on an empty facts directory (plus what a test fetches into it), never the bundled facts."""
    facts = tmp_path / "mine"
    facts.mkdir()

    def go(*argv: str, where: bool = True) -> tuple[int, str, str]:
        return run_main([*argv, *(("--no-bundled", "--facts", str(facts)) if where else ())], capsys)

    go.facts = facts
    return go


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert "Traceback" not in err and lines, err
    assert lines[-1].startswith("vnecon: error: "), err
    return lines[-1]


def expected(body: bytes) -> dict[tuple[str, str], float]:
    """(indicator, vnecon period) -> value times 10**UNIT_MULT (rates, ending _PT, unscaled), for every
    observation printed as a plain number: the figures `indicators --format json` must give back."""
    out = {}
    for series in ET.fromstring(body).iter():
        if not series.tag.endswith("Series"):
            continue
        code = series.get("INDICATOR").strip()
        power = 0 if code.endswith("_PT") else int(series.get("UNIT_MULT") or 0)
        if code == "VNM_GGO_GGBOB_GDP_PT":  # a share of GDP printed as a fraction (-0.0512): in percent
            power = 2
        for obs in series:
            text = (obs.get("OBS_VALUE") or "").strip()
            if re.fullmatch(r"\d{1,3}(\.\d{3})*,\d+", text):  # 1.067.817,12: a decimal comma (GGO, EXD)
                text = text.replace(".", "").replace(",", ".")
            elif re.fullmatch(r"\d{1,3}( \d{3})+\.\d+|\d+\. \d+", text):  # 7 347.0, 1336167. 72
                text = text.replace(" ", "")
            if re.fullmatch(r"-?\d+(\.\d+)?(E-?\d+)?", text):
                period = obs.get("TIME_PERIOD").replace("-S", "-H")
                value = Decimal(text).scaleb(power)
                out[(code, period)] = int(value) if value == value.to_integral_value() else float(value)
    return out


def loaded(run) -> dict[tuple[str, str], float]:
    code, out, err = run("indicators", "--tag", "nsdp", "--format", "json")
    assert code == 0, err
    return {(f["tags"][1], f["period"]): f["value"] for f in json.loads(out)}


# ---- the reader ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "period"), [("2024", "2024"), ("2024-07", "2024-07"), ("2024-Q3", "2024-Q3"),
                                              ("2019-S1", "2019-H1"), ("2024-M07", "2024-07"), ("2024-13", None),
                                              ("July 2024", None)])
def test_periods_in_vnecon_forms(text, period):
    assert sdmx.period_of(text) == period


@pytest.mark.parametrize(("text", "number"), [("35587.417147", "35587.417147"), ("1.067.817,12", "1067817.12"),
                                              ("164,25", "164.25"), ("7 347.0", "7347.0"),
                                              ("1336167. 72", "1336167.72"), ("91.50 ", "91.50"),
                                              ("519.4sb", None), ("NaN", None)])
def test_numbers_as_the_sheets_printed_them(text, number):
    assert sdmx.number(text) == number


def test_missing_values_are_gaps():
    assert all(sdmx.missing(v) for v in (None, "", "na", "NaN", "ERROR:  #N/A", " .. "))
    assert not sdmx.missing("0")


def test_observations_out_of_order_come_out_in_order():
    message = sdmx.read(nsdp_file("GDPVNM.xml"), "GDPVNM.xml")
    for s in message.series:
        periods = [p for p, _ in s.points]
        assert periods == sorted(periods)
    assert message.prepared == "2024-10-24T03:08:13Z"


def test_labour_rates_are_not_scaled_but_counts_are():
    release = nsdp.convert(sdmx.read(nsdp_file("LMIVNM.xml"), "LMIVNM.xml"), "u", "LMIVNM.xml")
    blocks = {b.fields["tags"][1]: b for b in release.blocks}
    rate, force = blocks["LUR_PT"], blocks["LLF_PE_NUM"]
    assert rate.fields["unit"] == "%" and all(0 < v < 10 for _, v in rate.points)  # 2.2%, never 2,200
    assert force.fields["unit"] == "persons" and all(v > 40_000_000 for _, v in force.points)
    assert "UNIT_MULT 3 not applied" in rate.fields["note"] and "note" not in force.fields
    assert "UNIT_MULT" in release.source["note"]  # the scaling rule, said once for the release
    earnings = dict(blocks["LME_AVG_XDC"].points)  # thousands of VND a month; the latest quarters na
    assert earnings["2011-Q1"] == 3_144_000 and "2024-Q3" not in earnings and blocks["LME_AVG_XDC"].missing == 6
    male = blocks["LUM_PE_NUM"]  # 2023-Q2 printed '519.4sb': named in the note, never guessed
    assert "2023-Q2" not in dict(male.points) and "Skipped, not a number: 2023-Q2 '519.4sb'." in male.fields["note"]


def test_index_base_in_the_unit_and_names_people_use():
    release = nsdp.convert(sdmx.read(nsdp_file("CPIVNM.xml"), "CPIVNM.xml"), "u", "CPIVNM.xml")
    by_code = {b.fields["tags"][1]: b.fields for b in release.blocks}
    assert by_code["PCPI_IX"]["unit"] == "index, 2019=100" and "sector" not in by_code["PCPI_IX"]
    housing = by_code["PCPI_CP_04_IX"]
    assert housing["name"] == "Consumer Price Index" and housing["sector"].startswith("housing")
    assert housing["name_vi"] == "Chỉ số giá tiêu dùng nhóm nhà ở, điện nước, chất đốt và vật liệu xây dựng"
    assert by_code["PCPI_CP_04_WT"]["name"] == "Consumer basket weight" and by_code["PCPI_CP_04_WT"]["unit"] == "%"
    exr = nsdp.convert(sdmx.read(nsdp_file("SBV.EXR_Vietnam.xml"), "x"), "u", "SBV.EXR_Vietnam.xml")
    assert sorted(b.fields["name"] for b in exr.blocks) == ["Exchange rate, VND per USD, end of period",
                                                           "Exchange rate, VND per USD, period average"]
    assert exr.source["publisher"] == "State Bank of Vietnam" and exr.source["date"] == "2024-09-27"


def test_trade_products_are_named_after_the_goods_with_the_hs_code_kept():
    release = nsdp.convert(sdmx.read(nsdp_file("METVNM.xml"), "METVNM.xml"), "u", "METVNM.xml")
    by_code = {b.fields["tags"][1]: b for b in release.blocks}
    coffee = by_code["TXG_H5_0901_FOB_USD"].fields
    assert (coffee["name"], coffee["product"], coffee["hs_code"]) == ("Export turnover", "coffee", "0901")
    phones = by_code["TMG_H5_8517_CIF_USD"].fields
    assert (phones["name"], phones["product"], phones["hs_code"]) == ("Import turnover", "phones and parts", "8517")
    assert "product" not in by_code["TXG_FOB_USD"].fields and by_code["TXG_FOB_USD"].fields["name"] == "Export turnover"
    months = [p for p, _ in by_code["TXG_FOB_USD"].points]
    assert "2022-12" in months and "2023-10" in months
    assert not [m for m in months if "2023-01" <= m <= "2023-09"]  # the gap stays a gap


@pytest.mark.parametrize(("body", "says"), [
    (b"<!DOCTYPE html><html><head><title>Trang chu</title></head></html>", "is an HTML page (Trang chu)"),
    (b"", "is empty"),
    (b"<?xml version='1.0'?><message:GenericData xmlns:message='m'/>", "not SDMX-ML 2.1 StructureSpecificData"),
])
def test_what_is_not_such_a_file_is_refused_in_one_line(body, says):
    with pytest.raises(FetchFailed, match=re.escape(says)):
        sdmx.read(body, "f.xml")


def test_a_cut_file_and_another_template_are_refused():
    cpi = nsdp_file("CPIVNM.xml")
    with pytest.raises(FetchFailed, match="not a whole XML file"):
        sdmx.read(cpi[: len(cpi) // 2], "CPIVNM.xml")
    other = cpi.replace(b"ECOFIN_DSD", b"DSD_WEO")
    with pytest.raises(FetchFailed, match="not IMF:ECOFIN_DSD"):
        sdmx.read(other, "CPIVNM.xml")


# ---- vnecon fetch nsdp over HTTP ---------------------------------------------------------------------------


def test_every_observation_of_every_file_reads_back_exactly(server, run):
    for domain in sorted(nsdp.DOMAINS, key=lambda d: d == "trade"):  # the big one last: fewer facts to compare
        code, _, err = run("fetch", "nsdp", domain, "--append", str(run.facts / f"{domain}.toml"))
        assert code == 0, (domain, err)
    got = loaded(run)
    want: dict = {}
    for domain in nsdp.DOMAINS.values():
        want.update(expected(nsdp_file(domain.file)))
    assert got == want  # every observation, nothing more: no fact for a missing month
    assert ("LUR_PT", "2024-Q3") in got and ("LME_AVG_XDC", "2023-Q2") not in got
    code, _, err = run("check")
    assert code == 0 and " 0 errors, 0 warnings" in err, err


def test_citations_name_the_owner_the_release_and_the_official_url(server, run):
    code, out, err = run("fetch", "nsdp", "exchange-rate", "--since", "2024")
    assert code == 0, err
    doc = tomllib.loads(out)
    [source] = doc["source"]
    assert source == {**source, "publisher": "State Bank of Vietnam", "date": "2024-09-27",
                      "url": f"{server.nsdp}/SBV.EXR_Vietnam.xml"}
    assert "exchange rates" in source["title"]
    assert {tuple(s["tags"]) for s in doc["series"]} == {("nsdp", "ENDE_MID_XDC_USD_RATE"),
                                                        ("nsdp", "ENDA_MID_XDC_USD_RATE")}
    assert all(p[0].startswith("2024") for s in doc["series"] for p in s["points"])
    assert "2 series, 16 new, 0 revised, 0 unchanged" in err


def test_official_series_answer_the_questions_of_the_issue(server, run):
    for domain in ("cpi", "exchange-rate", "labour", "trade"):
        assert run("fetch", "nsdp", domain, "--out", str(run.facts / f"{domain}.toml"))[0] == 0
    code, out, _ = run("series", "exports", "--product", "coffee", "--since", "2024", "--format", "csv")
    assert code == 0 and "nsdp-txg-h5-0901-fob-usd-2024-10" in out and "259748875" in out
    code, out, _ = run("search", "coffee", "exports", "october", "2024", "--format", "csv")
    assert code == 0 and out.splitlines()[1].startswith("nsdp-txg-h5-0901-fob-usd-2024-10,")
    code, out, _ = run("search", "exchange", "rate", "august", "2024", "--format", "csv")
    assert code == 0 and "nsdp-ende-mid-xdc-usd-rate-2024-08" in out
    code, out, _ = run("search", "unemployment", "rate", "Q3", "2024", "--format", "csv")
    assert code == 0 and "nsdp-lur-pt-2024-q3" in out
    code, out, _ = run("search", "chỉ", "số", "giá", "nhóm", "nhà", "ở", "tháng", "10/2024", "--format", "csv")
    assert code == 0 and "nsdp-pcpi-cp-04-ix-2024-10" in out


def test_a_second_fetch_of_a_changed_file_writes_only_the_changed_point(server, run):
    target = run.facts / "official.toml"
    code, _, err = run("fetch", "nsdp", "cpi", "--append", str(target))
    assert code == 0 and "1683 new, 0 revised, 0 unchanged" in err
    before = target.read_text(encoding="utf-8")
    code, out, err = run("fetch", "nsdp", "cpi", "--append", str(target))
    assert code == 0 and out == "" and "nothing to write: 0 new, 0 revised, 1683 unchanged" in err
    assert target.read_text(encoding="utf-8") == before

    server.nsdp_revise("CPIVNM.xml", "PCPI_IX", "2024-10", "117.0", "2024-12-12T02:00:00Z")
    code, _, err = run("fetch", "nsdp", "cpi", "--append", str(target))
    assert code == 0 and "0 new, 1 revised, 1682 unchanged" in err, err
    added = target.read_text(encoding="utf-8")[len(before):]
    doc = tomllib.loads(added)
    assert doc["source"][0]["date"] == "2024-12-12"
    [block] = doc["series"]
    assert block["id"] == "nsdp-pcpi-ix-rev-2024-12-12" and block["points"] == [["2024-10", 117.0]]
    code, _, err = run("check")
    assert code == 0 and " 0 errors, 0 warnings" in err, err  # two vintages of one observation, not a conflict
    code, out, _ = run("indicators", "--tag", "PCPI_IX", "--period", "2024-10", "--format", "json")
    [latest] = json.loads(out)
    assert latest["value"] == 117.0 and latest["revised"] is True and latest["vintage_date"] == "2024-12-12"


@pytest.mark.parametrize(("failure", "says"), [
    ("page200", "is an HTML page (Trang thong tin - Cong thong tin), not an SDMX file"),
    ("cutxml", "is not a whole XML file (cut short?)"),
    ("otherxml", "not IMF:ECOFIN_DSD (e-GDDS)"),
])
def test_a_bad_answer_is_one_line_exit_69_and_nothing_written(server, run, failure, says):
    target = run.facts / "official.toml"
    server.fail(failure)
    code, out, err = run("fetch", "nsdp", "cpi", "--append", str(target))
    assert code == 69 and out == "" and says in one_error_line(err), err
    assert not target.exists()
    assert not list((Path.cwd() / "xdg_cache_home").rglob("*.body"))  # a useless answer is never kept


def test_a_dead_server_is_one_line_exit_69(monkeypatch, run):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nothing listens there
    monkeypatch.setenv("VNECON_NSDP_URL", f"http://127.0.0.1:{port}/nsdp")
    code, _, err = run("fetch", "nsdp", "cpi", "--retries", "0", "--out", str(run.facts / "x.toml"))
    assert code == 69 and "127.0.0.1" in one_error_line(err) and "connection refused" in err
    assert not (run.facts / "x.toml").exists()


def test_one_bad_domain_among_several_writes_nothing(server, run):
    server.fail("page200")  # the first file asked for
    code, _, err = run("fetch", "nsdp", "iip", "cpi", "--append", str(run.facts / "x.toml"))
    assert code == 69 and not (run.facts / "x.toml").exists()


def test_a_local_file_or_a_url_of_the_template(server, run, tmp_path):
    local = tmp_path / "IIPVNM.xml"
    local.write_bytes(nsdp_file("IIPVNM.xml"))
    code, out, err = run("fetch", "nsdp", str(local), "--since", "2024")
    assert code == 0, err
    [source] = tomllib.loads(out)["source"]
    assert source["document"] == "IIPVNM.xml" and source["url"] == nsdp.DOMAINS["iip"].url
    code, out, err = run("fetch", "nsdp", f"{server.nsdp}/POPVNM.xml")
    assert code == 0 and "11 series, 165 new" in err
    code, _, err = run("fetch", "nsdp", str(tmp_path / "missing.xml"))
    assert code == 2 and "no such file" in one_error_line(err)


def test_offline_reads_the_kept_file(server, run, monkeypatch):
    assert run("fetch", "nsdp", "iip")[0] == 0
    sent = len(server.requests)
    code, out, err = run("fetch", "nsdp", "iip", "--offline")
    assert code == 0 and "5 series, 470 new" in err and len(server.requests) == sent


@pytest.mark.parametrize(("argv", "says"), [
    (["fetch", "nsdp"], "name a domain"),
    (["fetch", "nsdp", "cpii"], "unknown National Summary Data Page domain 'cpii'"),
    (["fetch", "nsdp", "cpi", "--set", "unit=x"], "--set is not for nsdp"),
])
def test_usage_errors(run, argv, says):
    code, _, err = run(*argv)
    assert code == 2 and says in one_error_line(err)


# ---- the compact [[series]] record ---------------------------------------------------------------------


SERIES = '''[[source]]
id = "s"
publisher = "General Statistics Office of Vietnam"
title = "t"
date = "2024-11-13"
url = "https://example.org/t"

[[series]]
id = "my-coffee"
name = "Export turnover"
product = "coffee"
unit = "USD"
basis = "level"
sources = ["s"]
points = [
  ["2024-09", 1],
  ["2024-13", 2],
  ["2024-11", "x"], ["2024-12", 4],
]
'''


def test_a_series_loads_as_indicators_and_check_points_at_each_point(run):
    (run.facts / "s.toml").write_text(SERIES, encoding="utf-8")
    code, _, err = run("check")
    lines = [line for line in err.splitlines() if ": error:" in line]
    assert lines[0].endswith("s.toml:17:3: error: [indicator my-coffee-2024-13] bad period '2024-13' (month 13 is "
                             "not 01-12); expected 2024, 2024-07, 2024-Q3, 2024-H1, 2024-07-05 or a range like "
                             "2024-01/2024-11 (cli layer)")
    assert "s.toml:18:3: error: [indicator my-coffee-2024-11] value must be a number" in lines[1]
    code, out, _ = run("indicators", "--product", "coffee", "--format", "csv")
    assert [row.split(",")[0] for row in out.splitlines()[1:]] == ["my-coffee-2024-09", "my-coffee-2024-12"]
    (run.facts / "s.toml").write_text(SERIES.replace('product = "coffee"', 'product = "coffee"\nvlaue = 1'),
                                      encoding="utf-8")
    code, _, err = run("check")
    assert "s.toml:12:1: error: [series my-coffee] unknown field 'vlaue' in [[series]]" in err


# ---- the bundled official layer ------------------------------------------------------------------------


def test_the_bundled_official_layer_is_what_the_command_makes(tmp_path):
    """facts/official/ is `python -m vnecon.fetch.nsdp --bundle shared/fixtures/apis/nsdp facts/official`."""
    committed = ROOT / "facts" / "official"
    if not committed.is_dir():
        pytest.skip("facts/official/ is not in this checkout (its commit is held back)")
    source = tmp_path / "files"
    source.mkdir()
    for copy in NSDP_COPIES.glob("*.xml.gz"):
        (source / copy.name[:-3]).write_bytes(gzip.decompress(copy.read_bytes()))
    whole_trade = APIS / "nsdp" / "METVNM.xml"
    if whole_trade.is_file():
        (source / "METVNM.xml").write_bytes(whole_trade.read_bytes())
    made = tmp_path / "official"
    done = nsdp.bundle(source, made)
    names = {p.name for p, _, _ in done}
    assert names >= {f"{d.key}.toml" for d in nsdp.DOMAINS.values() if d.key != "trade"}
    for path, _, _ in done:
        assert path.read_text(encoding="utf-8") == (committed / path.name).read_text(encoding="utf-8"), path.name
    assert {p.name for p in committed.glob("*.toml")} == {f"{d.key}.toml" for d in nsdp.DOMAINS.values()}


def _bundled_series() -> list[dict]:
    committed = ROOT / "facts" / "official"
    if not committed.is_dir():
        pytest.skip("facts/official/ is not in this checkout (its commit is held back)")
    return [s for path in sorted(committed.glob("*.toml"))
            for s in tomllib.loads(path.read_text(encoding="utf-8")).get("series", [])]


# What the office's Vietnamese sheets print after a row's name: a unit ("(Nghìn người)", "(Tỷ đồng)",
# "(Triệu USD)", "(%)") or a footnote mark ("(*)").
UNIT_NOTE_VI = re.compile(r"\((?:[^()]*\b(?:nghìn|triệu|tỷ|usd|đồng|người)\b[^()]*|\s*%\s*|\s*\*\s*)\)", re.IGNORECASE)


def test_bundled_vietnamese_names_say_the_measure_not_the_sheets_unit():
    series = _bundled_series()
    noted = [(s["id"], s["name_vi"]) for s in series if UNIT_NOTE_VI.search(s.get("name_vi", ""))]
    assert noted == []  # the unit is the figure's own (persons, VND, USD), after scaling
    by_id = {s["id"]: s for s in series}
    assert by_id["nsdp-llf-pe-num"]["name_vi"] == "Lực lượng lao động"  # was "Tổng số (Nghìn người)"
    assert by_id["nsdp-lum-pe-num"]["name_vi"] == "Số người thất nghiệp: nam"  # was "Nam (Nghìn người)"
    assert by_id["nsdp-lur15o-pt"]["name_vi"] == "Tỷ lệ thất nghiệp của thanh niên 15-24 tuổi"  # 7.3%, not 15+
    assert by_id["nsdp-nx-xdc"]["name_vi"].startswith("Xuất khẩu")  # the description says "Nhập khẩu"
    assert by_id["nsdp-vnm-lp-rrd-pe-num"]["name_vi"] == "Dân số: Đồng bằng sông Hồng"
    # The budget file's "Overall Balance" is expenditure less revenue: the deficit, as the news name it.
    deficit, share = by_id["nsdp-vnm-ggo-ggbob-xdc"], by_id["nsdp-vnm-ggo-ggbob-gdp-pt"]
    assert deficit["name"] == share["name"] == "State budget deficit" and "surplus" in deficit["note"]
    assert dict(share["points"])["2022-Q1"] == -5.12 and share["unit"] == "% of GDP"  # printed -0.0512
    # Two series the English tells apart, the Vietnamese tells apart too: no bare "Nam", "Chính phủ", "Ngắn
    # hạn" shared by rows of different tables.  The one pair left is one measure the office describes twice
    # (total budget spending, in its two budget tables).
    english = defaultdict(set)
    for s in series:
        if s.get("name_vi"):
            english[s["name_vi"]].add((re.sub(r" \([A-Z0-9_]+\)$", "", s["name"]).lower(), s.get("sector", ""),
                                       s.get("product", "")))
    shared = {vi: sorted(en) for vi, en in english.items() if len(en) > 1}
    assert shared == {"Tổng chi ngân sách nhà nước": [("state budget: total state budget expenditures", "", ""),
                                                     ("state budget: total state expenditures", "", "")]}
