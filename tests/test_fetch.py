"""vnecon fetch against the recorded World Bank and IMF answers, served over real HTTP on 127.0.0.1.

The server (tests/fetchserver.py) starts on a free port for each test and stops after it; every body
it sends comes from shared/fixtures/apis/.  No test measures time: a slow answer is one the server
holds until the client has given up.
"""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest
from fetchserver import APIS, FixtureServer

from vnecon.core.errors import FetchFailed, UsageError
from vnecon.fetch import imf, worldbank
from vnecon.fetch.http import USER_AGENT, Client
from vnecon.load.tomlread import tomllib

pytestmark = pytest.mark.skipif(not APIS.is_dir(), reason="shared/fixtures/apis is not beside the checkout")

GDP = "NY.GDP.MKTP.KD.ZG"
PROXIES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "all_proxy",
           "no_proxy")


@pytest.fixture
def server(monkeypatch):
    for var in PROXIES:
        monkeypatch.delenv(var, raising=False)
    with FixtureServer() as s:
        monkeypatch.setenv("VNECON_WORLDBANK_URL", s.worldbank)
        monkeypatch.setenv("VNECON_IMF_URL", s.imf)
        monkeypatch.setenv("VNECON_NSDP_URL", s.nsdp)
        yield s


@pytest.fixture
def client(tmp_path):
    return Client(backoff=0, cache_dir=tmp_path / "raw")


def one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert "Traceback" not in err and lines, err
    assert lines[-1].startswith("vnecon: error: "), err
    return lines[-1]


def doc_of(text: str) -> dict:
    return tomllib.loads(text)


# ---- the World Bank ------------------------------------------------------------------------------------


def test_a_series_becomes_cited_checked_facts(server, cli, tmp_path):
    code, out, err = cli("fetch", "worldbank", GDP)
    assert code == 0, err
    doc = doc_of(out)
    [source] = doc["source"]
    assert source["publisher"] == "World Bank"
    assert source["title"] == "World Development Indicators: GDP growth (annual %)"
    assert source["date"] == "2026-07-13"  # the release's lastupdated, not today
    assert source["url"].startswith(server.worldbank + f"/country/VNM/indicator/{GDP}")
    assert "The World Bank: World Development Indicators" in source["note"] and GDP in source["note"]
    values = {f["period"]: f["value"] for f in doc["indicator"]}
    assert values["2024"] == 7.03955197123018 and values["2020"] == 2.86541320912272 and len(values) == 10
    assert {(f["unit"], f["basis"], f["region"]) for f in doc["indicator"]} == {("%", "yoy", "Vietnam")}
    assert "10 new, 0 revised, 0 unchanged" in err
    (tmp_path / "wb.toml").write_text(out, encoding="utf-8")
    code, _, err = cli("check", str(tmp_path / "wb.toml"))
    assert code == 0 and "0 errors, 0 warnings" in err


def test_every_page_of_a_paged_answer_is_read(server, client, monkeypatch):
    monkeypatch.setattr(worldbank, "PER_PAGE", 3)
    series = worldbank.fetch_series(client, GDP)
    assert [p for p, _, _ in series.points] == [str(y) for y in range(2015, 2025)]
    pages = [r["query"].get("page") for r in server.requests if "/indicator/" in r["path"]]
    assert pages == ["1", "2", "3", "4"]


def test_null_values_are_skipped_never_zero(server, cli):
    code, out, err = cli("fetch", "worldbank", "NY.GDP.MKTP.CD", "--country", "JPN", "--since", "2015")
    assert code == 0, err
    facts = doc_of(out)["indicator"]
    assert "2020" not in {f["period"] for f in facts}  # "value": null in the recording
    assert {f["period"] for f in facts} == {"2015", "2016", "2017", "2018", "2019"}
    assert {(f["unit"], f["basis"], f["region"]) for f in facts} == {("USD", "level", "Japan")}
    assert "1 missing value skipped" in err
    assert facts[-1]["value"] == 5081769542379.77


def test_an_unknown_code_is_one_line_exit_2_and_nothing_written(server, cli, tmp_path):
    code, out, err = cli("fetch", "worldbank", "NOT.A.CODE", "--out", str(tmp_path / "x.toml"))
    assert code == 2 and out == ""
    line = one_error_line(err)
    assert "does not know indicator 'NOT.A.CODE'" in line and "Invalid value" in line
    assert not (tmp_path / "x.toml").exists()


def test_one_bad_code_among_several_writes_nothing(server, cli, tmp_path):
    code, _, err = cli("fetch", "worldbank", GDP, "NOT.A.CODE", "--out", str(tmp_path / "x.toml"))
    assert code == 2
    one_error_line(err)
    assert not (tmp_path / "x.toml").exists()


def test_the_http_400_page_is_one_line_exit_69(server, cli, tmp_path):
    server.fail("html400")
    code, out, err = cli("fetch", "worldbank", GDP, "--append", str(tmp_path / "x.toml"))
    assert code == 69 and out == ""
    assert "HTTP 400 (Request Error)" in one_error_line(err)
    assert not (tmp_path / "x.toml").exists()


def test_a_5xx_is_tried_again_then_succeeds(server, cli):
    server.fail("status", 2, (503, {"Retry-After": "0"}))
    code, out, err = cli("fetch", "worldbank", GDP)
    assert code == 0, err
    assert len(doc_of(out)["indicator"]) == 10
    assert "HTTP 503 (Service Unavailable); trying again in 0 s (2 of 4)" in err
    assert "(3 of 4)" in err and "(4 of 4)" not in err


def test_429_and_500_back_off_then_succeed(server, tmp_path):
    waits: list[float] = []
    server.fail("status", 1, (429, {}))
    server.fail("status", 1, (500, {}))
    client = Client(backoff=0.5, cache_dir=tmp_path / "raw", sleep=waits.append)
    series = worldbank.fetch_series(client, GDP)
    assert len(series.points) == 10
    assert waits == [0.5, 1.0]  # backoff * 2**n


def test_5xx_every_time_gives_up_after_the_retries(server, cli):
    server.fail("status", 5, (502, {"Retry-After": "0"}))
    code, out, err = cli("fetch", "worldbank", GDP, "--retries", "1")
    assert code == 69 and out == ""
    assert "HTTP 502" in one_error_line(err) and "tried 2 times" in err


def test_a_timeout(server, tmp_path, cli):
    server.fail("slow", 1, 60)  # held until the server stops: the client has long given up
    with pytest.raises(FetchFailed, match=r"no answer within 0.2 s"):
        worldbank.fetch_series(Client(timeout=0.2, retries=0, cache_dir=tmp_path / "raw"), GDP)
    server.fail("slow", 1, 60)
    code, out, err = cli("fetch", "worldbank", GDP, "--timeout", "0.2", "--retries", "0")
    assert code == 69 and out == "" and "no answer within 0.2 s" in one_error_line(err)


def test_a_truncated_body(server, cli, client):
    server.fail("truncated", 2)
    code, out, err = cli("fetch", "worldbank", GDP, "--retries", "1")
    assert code == 69 and out == ""
    assert "cut short" in one_error_line(err)
    server.fail("notjson")  # the whole of a body that is cut JSON
    with pytest.raises(FetchFailed, match="not JSON"):
        worldbank.fetch_series(client, GDP)


def test_a_refused_connection(monkeypatch, cli, tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    for var in PROXIES:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("VNECON_WORLDBANK_URL", f"http://127.0.0.1:{port}/v2")
    code, out, err = cli("fetch", "worldbank", GDP, "--retries", "0", "--user")
    assert code == 69 and out == ""
    assert "connection refused" in one_error_line(err)
    assert not list(tmp_path.rglob("fetched.toml"))


def test_offline_reads_the_kept_answers_and_says_when_there_are_none(server, cli, monkeypatch):
    code, first, err = cli("fetch", "worldbank", GDP, "--offline")
    assert code == 69 and first == "" and "--offline: no saved answer" in one_error_line(err)
    code, online, _ = cli("fetch", "worldbank", GDP)
    assert code == 0
    monkeypatch.setenv("VNECON_WORLDBANK_URL", server.worldbank)
    sent = len(server.requests)
    code, offline, err = cli("fetch", "worldbank", GDP, "--offline")
    assert code == 0, err
    assert offline == online and len(server.requests) == sent  # the same facts, no request


def test_a_second_fetch_writes_only_what_changed(server, cli, tmp_path):
    mine = tmp_path / "mine"
    mine.mkdir()
    target = mine / "wb.toml"
    where = ("--facts", str(mine))
    code, _, err = cli("fetch", "worldbank", GDP, "--append", str(target), *where)
    assert code == 0 and "10 new, 0 revised, 0 unchanged" in err
    before = target.read_text(encoding="utf-8")
    code, out, err = cli("fetch", "worldbank", GDP, "--append", str(target), *where)
    assert code == 0 and out == ""
    assert "nothing to write: 0 new, 0 revised, 10 unchanged" in err
    assert target.read_text(encoding="utf-8") == before

    server.revise("2024", 7.09, release="2027-07-01")  # a later release restates 2024
    code, _, err = cli("fetch", "worldbank", GDP, "--append", str(target), *where)
    assert code == 0 and "0 new, 1 revised, 9 unchanged" in err
    doc = doc_of(target.read_text(encoding="utf-8"))
    [revised] = [f for f in doc["indicator"] if f["value"] == 7.09]
    [new_source] = [s for s in doc["source"] if s["id"] in revised["sources"]]
    assert new_source["date"] == "2027-07-01"
    assert revised["period"] == "2024" and revised["id"] != "wb-ny-gdp-mktp-kd-zg-vnm-2024"
    assert "wb-ny-gdp-mktp-kd-zg-vnm-2024" in revised["note"]
    assert len({f["id"] for f in doc["indicator"]}) == 11  # ids never collide
    code, _, err = cli("check", *where)  # two vintages of one observation: a revision, not a conflict
    # the one warning is the fixture's hostile note (an ESC), which check warns on (issue 28 W9)
    assert code == 0 and "0 errors, 1 warning" in err and "note holds a control character (\\x1b)" in err
    _, out, _ = cli("series", "gdp growth", "--format", "csv", *where)
    assert "7.09" in out


def test_set_overrides_what_the_metadata_says(server, cli):
    code, out, err = cli("fetch", "worldbank", GDP, "--since", "2023", "--set", 'name="GDP growth"',
                         "--set", "sector=economy")
    assert code == 0, err
    assert {(f["name"], f["sector"], f["period"]) for f in doc_of(out)["indicator"]} == {
        ("GDP growth", "economy", "2023"), ("GDP growth", "economy", "2024")}
    code, _, err = cli("fetch", "worldbank", GDP, "--set", "id=x")
    assert code == 2 and "--set cannot give id" in one_error_line(err)


def test_dry_run_and_user_write_as_import_does(server, cli, tmp_path):
    code, out, err = cli("fetch", "worldbank", GDP, "--user", "--dry-run")
    assert code == 0 and "[[indicator]]" in out and "dry run, nothing written" in err
    assert not list(tmp_path.rglob("fetched.toml"))
    code, out, err = cli("fetch", "worldbank", GDP, "--user")
    assert code == 0 and out == ""
    [written] = list(tmp_path.rglob("fetched.toml"))
    assert len(doc_of(written.read_text(encoding="utf-8"))["indicator"]) == 10
    code, _, err = cli("fetch", "worldbank", GDP, "--out", str(written))
    assert code == 2 and "exists" in one_error_line(err)


def test_search_lists_codes_and_names(server, cli):
    code, out, err = cli("fetch", "worldbank", "--search", "poverty", "2.50")
    assert code == 0, err
    assert out.splitlines() == ["code\tname\tsource", "1.0.HCount.2.5usd\tPoverty Headcount ($2.50 a day)\t"
                                "LAC Equity Lab"]
    code, out, err = cli("fetch", "worldbank", "--search", "no such words")
    assert code == 1 and out == ""


def test_requests_carry_our_user_agent_and_go_through_a_proxy(server, client, monkeypatch):
    worldbank.fetch_series(client, GDP)
    assert {r["headers"]["User-Agent"] for r in server.requests} == {USER_AGENT}
    assert USER_AGENT.startswith("vnecon/")
    # A host that does not exist, reached only through the proxy the environment names.
    monkeypatch.setenv("VNECON_WORLDBANK_URL", "http://api.worldbank.invalid/v2")
    monkeypatch.setenv("HTTP_PROXY", server.base)
    series = worldbank.fetch_series(Client(backoff=0), GDP)
    assert len(series.points) == 10 and server.requests[-1]["proxied"]


# ---- the IMF -------------------------------------------------------------------------------------------


def test_imf_weo_projections_are_forecasts(server, cli, tmp_path):
    code, out, err = cli("fetch", "imf", "weo", "NGDP_RPCH", "PCPIPCH", "--since", "2020")
    assert code == 0, err
    doc = doc_of(out)
    gdp = {f["period"]: f for f in doc["indicator"] if f["name"].startswith("Gross domestic product")}
    assert gdp["2025"]["value"] == 8.01883 and "qualifier" not in gdp["2025"]  # the latest actual year
    assert gdp["2026"]["value"] == 7.1 and gdp["2026"]["qualifier"] == "forecast"
    assert {f["qualifier"] for p, f in gdp.items() if p > "2025"} == {"forecast"}
    assert {(f["unit"], f["basis"]) for f in doc["indicator"]} == {("%", "yoy")}
    sources = {s["id"]: s for s in doc["source"]}
    assert len(sources) == 2  # one per series and release
    s = sources[gdp["2024"]["sources"][0]]
    assert s["publisher"] == "International Monetary Fund" and s["date"] == "2026-04-14"
    assert s["title"].startswith("World Economic Outlook, April 2026: Gross domestic product (GDP)")
    assert s["note"].startswith("International Monetary Fund. World Economic Outlook (WEO), https://data.imf.org")
    assert "Values after 2025 are IMF staff projections." in s["note"]
    (tmp_path / "imf.toml").write_text(out, encoding="utf-8")
    code, _, err = cli("check", str(tmp_path / "imf.toml"))
    assert code == 0 and "0 errors, 0 warnings" in err


def test_imf_recorded_years_only(server, client):
    series = imf.fetch_series(client, "weo", "PCPIPCH", since=2015, until=2024)
    assert [p for p, _, _ in series.points] == [str(y) for y in range(2015, 2025)]
    assert series.points[0][1] == 0.631201 and not any(f for _, _, f in series.points)


def test_imf_unknown_code_or_dataset(server, cli):
    code, out, err = cli("fetch", "imf", "weo", "NOPE")
    assert code == 2 and out == "" and "has no series 'NOPE'" in one_error_line(err)
    code, _, err = cli("fetch", "imf", "ifs", "NGDP_RPCH")
    assert code == 2 and "unknown IMF dataset 'ifs'" in one_error_line(err)


def test_imf_html_page_instead_of_xml(server, client):
    server.fail("html400")
    with pytest.raises(FetchFailed, match=r"HTTP 400 \(Request Error\)"):
        imf.fetch_series(client, "weo", "NGDP_RPCH")


# ---- the command line and the query path ------------------------------------------------------------


@pytest.mark.parametrize(("argv", "says"), [
    (["fetch"], "vnecon: error: missing argument"),  # one style for every usage error (issue 23)
    (["fetch", "oecd", "X"], "not 'oecd'"),
    (["fetch", "worldbank"], "name at least one series code"),
    (["fetch", "imf"], "name the IMF dataset"),
    (["fetch", "worldbank", GDP, "--since", "last year"], "--since: a year"),
    (["fetch", "worldbank", GDP, "--timeout", "0"], "--timeout"),
    (["fetch", "worldbank", GDP, "--out", "a.toml", "--user"], "choose one of"),
    (["fetch", "imf", "weo", "--search", "gdp"], "--search looks through the World Bank"),
])
def test_usage_errors(cli, argv, says):
    code, out, err = cli(*argv)
    assert code == 2 and out == "" and "Traceback" not in err
    assert says in (err if argv == ["fetch"] else one_error_line(err))


def test_unknown_codes_raise_usage_errors_from_the_functions_too(server, client):
    with pytest.raises(UsageError):
        worldbank.fetch_series(client, "NOT.A.CODE")


def test_the_query_path_does_not_import_fetch(facts_dir, tmp_path):
    code = (
        "import sys, runpy\n"
        f"sys.argv = ['vnecon', 'search', 'gdp', '--format', 'csv', '--no-bundled', '--facts', {str(facts_dir)!r}]\n"
        "try:\n    runpy.run_module('vnecon', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "sys.stderr.write(repr(sorted(m for m in sys.modules if m.startswith('vnecon.fetch') or m in "
        "('urllib.request', 'xml.etree.ElementTree', 'http.client'))))\n"
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert result.stderr.strip().endswith("[]")


# ---- the help's examples and docs/fetch.md run as shown ---------------------------------------------


def test_every_fetch_help_example_runs_against_the_fixture_server(server, cli):
    """The examples in `vnecon fetch --help`, in order (the --offline one reads what the first one kept)."""
    import re
    import shlex

    from vnecon.cli.spec import COMMANDS

    lines = [line.strip() for line in COMMANDS["fetch"].doc.splitlines() if line.strip().startswith("vnecon ")]
    assert len(lines) >= 4
    for line in lines:
        argv = shlex.split(re.split(r"\s[|>]\s|\s#", line)[0])[1:]
        code, _, err = cli(*argv)
        assert code in (0, 1) and "error:" not in err, (line, err)  # the fixtures have no "gdp growth" search hit


def test_docs_fetch_md_shows_a_real_run(server, tmp_path):
    """Each `$ vnecon` line of docs/fetch.md prints what the page shows (stdout and stderr as one stream),
    run in order on the bundled facts; only the port, the data directory and today's date differ."""
    import os
    import re
    from pathlib import Path

    from test_docs import console_blocks

    page = (Path(__file__).resolve().parent.parent / "docs" / "fetch.md").read_text(encoding="utf-8")
    env = {**os.environ, "COLUMNS": "80", "NO_COLOR": "1", "XDG_CACHE_HOME": str(tmp_path / "cache"),
           "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")}
    env.pop("VNECON_FACTS", None)

    def same(text: str) -> list[str]:
        text = re.sub(r"127\.0\.0\.1:\d+", "HOST", text)
        text = re.sub(r"Accessed on \d{4}-\d{2}-\d{2}", "Accessed on DATE", text)
        text = text.replace(str(tmp_path / "data"), "DATA").replace("/tmp/fx/data", "DATA")
        return [line.rstrip() for line in text.strip().splitlines()]

    blocks = console_blocks(page)
    assert len(blocks) >= 6
    for command, expected in blocks:
        r = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=120)
        assert same(r.stdout) == same("\n".join(expected)), command


def test_unchanged_means_the_latest_vintage_has_the_value():
    from vnecon.fetch.facts import Known, Series, outcome

    def known() -> Known:
        k = Known(source_dates={"old": "2025-01-01", "new": "2026-01-01"})
        for fid, value, source in (("a", 1.0, "old"), ("b", 2.0, "new")):
            k.add({"id": fid, "name": "X (annual %)", "region": "Vietnam", "period": "2024", "value": value,
                   "unit": "%", "basis": "yoy", "sources": [source]})
        return k

    def release(date: str, value: float) -> Series:
        return Series("wb", "X", "VNM", "Vietnam", "X (annual %)", "WDI", "World Bank", date, "http://x", "",
                      "%", "yoy", [("2024", value, False)], 0)

    assert outcome(release("2027-01-01", 2.0), known()).unchanged == 1  # what the latest release says
    back = outcome(release("2027-01-01", 1.0), known())  # back to the first value: a new vintage
    assert back.revised == 1 and back.facts[0]["note"].startswith("2027-01-01 release of X; b has 2.0")
    assert outcome(release("2025-01-01", 1.0), known()).unchanged == 1  # that release is loaded already
