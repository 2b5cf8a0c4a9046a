"""From the terminal to the story (issue 35): citations, source fields, links, Markdown for people,
compare's units, series order, provinces, the pager, query-like commands, check's summary, chart files."""

from __future__ import annotations

import json

import pytest

# ---- cite --------------------------------------------------------------------------------------


def test_cite_plain_line(cli):
    code, out, err = cli("cite", "vn-pmi-2024-07")
    assert code == 0, err
    assert out == ('Source: VNA, "Industrial production on the mend", 2024-08-05, '
                   "https://example.org/src-briefing\n")


def test_cite_several_facts_one_line_each_and_no_repeats(cli):
    code, out, _ = cli("cite", "vn-pmi-2024-07", "vn-iip-2024-07-yoy", "hn-exports-2024-h1")
    assert code == 0
    assert out.splitlines() == [
        'Source: VNA, "Industrial production on the mend", 2024-08-05, https://example.org/src-briefing',
        'Source: Viet Nam News, "Hanoi semiconductor investment day", 2024-07-29, https://example.org/src-hanoi']


def test_cite_markdown_links_the_headline(cli):
    code, out, _ = cli("cite", "vn-pmi-2024-07", "--format", "markdown")
    assert code == 0
    assert out == ('Source: VNA, ["Industrial production on the mend"](<https://example.org/src-briefing>), '
                   "2024-08-05\n")


def test_cite_csl_json_for_reference_managers(cli):
    code, out, _ = cli("cite", "vn-pmi-2024-07", "hn-exports-2024-h1", "src-briefing", "--format", "csl-json")
    assert code == 0
    items = json.loads(out)
    assert [i["id"] for i in items] == ["src-briefing", "src-hanoi"]
    assert items[0] == {"id": "src-briefing", "type": "article-newspaper",
                        "title": "Industrial production on the mend", "container-title": "VNA",
                        "publisher": "VNA", "issued": {"date-parts": [[2024, 8, 5]]},
                        "URL": "https://example.org/src-briefing"}


def test_cite_unknown_id_says_so(cli):
    code, out, err = cli("cite", "vn-pmi-2024-7")
    assert code == 1 and out == ""
    assert "no fact with id 'vn-pmi-2024-7'" in err


def test_cite_leaves_out_what_a_source_lacks():
    from vnecon.load.model import Fact
    from vnecon.output.cite import csl_item, markdown, plain

    s = Fact("source", "s", {"publisher": "unknown", "title": "A [b] c", "date": "2025-03"})
    assert plain(s) == '"A [b] c", 2025-03'
    assert markdown(s) == '"A \\[b\\] c", 2025-03'
    assert csl_item(s) == {"id": "s", "type": "article-newspaper", "title": "A [b] c",
                           "issued": {"date-parts": [[2025, 3]]}}


# ---- the source as fields ----------------------------------------------------------------------

SOURCE_FIELDS = "source_publisher,source_title,source_date,source_url"


@pytest.mark.parametrize("command", [["search", "pmi"], ["indicators", "--name", "pmi"]])
def test_source_fields_in_search_and_listings(cli, command):
    code, out, _ = cli(*command, "--format", "csv", "--fields", "id," + SOURCE_FIELDS)
    assert code == 0
    assert out.splitlines() == ["id," + SOURCE_FIELDS, ("vn-pmi-2024-07,VNA,Industrial production on the mend,"
                                "2024-08-05,https://example.org/src-briefing")]


def test_source_fields_in_every_listing_csv(cli):
    _, out, _ = cli("indicators", "--format", "csv")
    assert "source_publisher,source_title,source_url,source_date" in out.splitlines()[0]


def test_source_fields_in_series_output(cli):
    code, out, _ = cli("series", "pmi", "--format", "json")
    assert code == 0
    row = json.loads(out)[0]
    assert (row["source_publisher"], row["source_title"], row["source_date"], row["source_url"]) == (
        "VNA", "Industrial production on the mend", "2024-08-05", "https://example.org/src-briefing")
    code, out, _ = cli("series", "pmi", "--format", "csv", "--fields", "period,value," + SOURCE_FIELDS)
    assert out.splitlines()[1] == ("2024-07,54.7,VNA,Industrial production on the mend,2024-08-05,"
                                   "https://example.org/src-briefing")


def test_series_bare_fields_lists_them(cli):
    code, out, _ = cli("series", "pmi", "--fields")
    assert code == 0 and "source_url" in out.splitlines()


def test_source_fields_in_the_export(cli, tmp_path):
    import sqlite3

    code, _, err = cli("export", str(tmp_path / "f.db"))
    assert code == 0, err
    db = sqlite3.connect(tmp_path / "f.db")
    assert db.execute("SELECT source_publisher, source_title, source_date, source_url FROM "
                      "indicators_with_source WHERE id = 'vn-pmi-2024-07'").fetchone() == (
        "VNA", "Industrial production on the mend", "2024-08-05", "https://example.org/src-briefing")


# ---- links: whole, and clickable where the terminal can ----------------------------------------

LONG_URL = ("https://en.vneconomy.vn/vietnams-purchasing-managers-index-pmi-for-january-2026-reached-525-points"
            "-in-the-first-month.htm")
OSC8 = f"\x1b]8;;{LONG_URL}\x1b\\{LONG_URL}\x1b]8;;\x1b\\"


@pytest.fixture
def long_url_facts(tmp_path):
    from conftest import write

    d = tmp_path / "links"
    write(d / "facts.toml", f'''
        [[source]]
        id = "src-long"
        publisher = "VnEconomy"
        title = "Vietnam's purchasing managers' index for January 2026 reached 52.5 points"
        date = "2026-02-02"
        url = "{LONG_URL}"

        [[indicator]]
        id = "vn-pmi-2026-01"
        name = "Purchasing Managers' Index"
        period = "2026-01"
        value = 52.5
        unit = "points"
        basis = "level"
        sources = ["src-long"]
        note = "Read from {LONG_URL} on the day it was published."
        ''')
    return ["--no-bundled", "--facts", str(d)]


@pytest.mark.parametrize("no_color", ["1", ""])  # plain text, and Rich's coloured path
@pytest.mark.parametrize("cols", [60, 80, 120])
def test_show_never_breaks_a_url_and_links_it_where_supported(long_url_facts, cols, no_color):
    from test_screens import screen

    shown = screen(["show", "vn-pmi-2026-01", *long_url_facts], cols=cols, FORCE_HYPERLINK="1", NO_COLOR=no_color)
    lines = shown.splitlines()
    url_lines = [line for line in lines if LONG_URL in line]
    assert len(url_lines) == 2, shown  # the note's and the source's, each whole
    assert all(OSC8 in line for line in url_lines)
    source_line = next(line for line in lines if line.strip() == OSC8)  # the source's URL: a line of its own
    assert source_line


@pytest.mark.parametrize("cols", [60, 80, 120])
def test_no_links_when_turned_off_or_unknown(long_url_facts, cols):
    from test_screens import screen

    for env in ({"VNECON_NO_LINKS": "1", "FORCE_HYPERLINK": "1"}, {"FORCE_HYPERLINK": "0"}, {"TERM": "dumb"}, {}):
        shown = screen(["show", "vn-pmi-2026-01", *long_url_facts], cols=cols, **env)
        assert "\x1b]8" not in shown
        assert any(line.strip() == LONG_URL for line in shown.splitlines()), shown


def test_no_links_in_a_pipe(long_url_facts):
    from test_screens import piped

    out = piped(["show", "vn-pmi-2026-01", *long_url_facts], FORCE_HYPERLINK="1")
    assert "\x1b" not in out and LONG_URL in out


def test_when_to_link():
    from vnecon.output.links import hyperlinks

    assert not hyperlinks(False, {"FORCE_HYPERLINK": "1"})
    assert hyperlinks(True, {"FORCE_HYPERLINK": "1"})
    assert not hyperlinks(True, {"FORCE_HYPERLINK": "1", "VNECON_NO_LINKS": "1"})
    assert hyperlinks(True, {"TERM_PROGRAM": "WezTerm"}) and hyperlinks(True, {"VTE_VERSION": "7600"})
    assert not hyperlinks(True, {"TERM": "xterm"}) and not hyperlinks(True, {"TERM_PROGRAM": "iTerm.app",
                                                                               "TMUX": "/tmp/x"})
    assert not hyperlinks(True, {"TERM": "dumb", "FORCE_HYPERLINK": "1"})


# ---- Markdown for people -----------------------------------------------------------------------


def test_listing_markdown_is_the_table_a_person_reads(cli):
    code, out, _ = cli("indicators", "--name", "pmi", "--format", "markdown")
    assert code == 0
    assert out.splitlines() == [
        "| Indicator | Value | Period | Region | Source | ID |", "|---|---|---|---|---|---|",
        ("| Purchasing Managers' Index | 54.7 pts | 2024-07 | Vietnam | "
        "[VNA](<https://example.org/src-briefing>) 2024-08-05 | vn-pmi-2024-07 |")]


def test_series_markdown_in_a_pipe_is_for_people(demo):

    code, out, _ = demo("series", "export", "turnover", "--region", "hanoi", "--basis", "level", "--format",
                        "markdown")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("**Export turnover · Hà Nội · USD, level")
    assert lines[2] == "| Period | Value | Change | Source | ID |"
    assert "US$7.8 bn" in out and "7800000000" not in out and "series_id" not in out


def test_series_markdown_through_a_real_pipe(long_url_facts):
    from test_screens import piped

    out = piped(["series", "pmi", "--format", "markdown", *long_url_facts])
    assert "| 2026-01 | 52.5 pts |  | [VnEconomy](<" + LONG_URL + ">) 2026-02-02 | vn-pmi-2026-01 |" in out


def test_series_csv_stays_the_machine_form(demo):
    _, out, _ = demo("series", "export", "turnover", "--region", "hanoi", "--basis", "level", "--format", "csv")
    assert out.startswith("series_id,measure,") and "7800000000" in out


# ---- compare: percentage points for rates, a relative change only between levels ----------------


def test_compare_two_rates_gives_percentage_points_only(demo):
    code, out, _ = demo("compare", "iip", "2024-06", "2024-07")
    assert code == 0
    assert out.splitlines()[3] == "  B - A: +0.3 pp" and "relative" not in out
    _, out, _ = demo("compare", "iip", "2024-06", "2024-07", "--format", "json")
    data = json.loads(out)
    assert data["compared_as"] == "percentage points" and data["difference_unit"] == "pp"
    assert "relative_percent" not in data and "relative_undefined" not in data


def test_compare_two_index_readings_gives_points_only(demo):
    _, out, _ = demo("compare", "pmi", "2024-06", "2024-07", "--region", "hanoi", "--format", "json")
    data = json.loads(out)
    assert data["compared_as"] == "index points" and "relative_percent" not in data


def test_compare_two_levels_gives_the_relative_change_too(demo):
    _, out, _ = demo("compare", "demo-hn-exports-2023-h1", "demo-hn-exports-2024-h1", "--format", "json")
    data = json.loads(out)
    assert data["compared_as"] == "levels" and data["relative_percent"] == pytest.approx(14.102564, abs=1e-5)


# ---- series: rows grouped by period length; --vintages --chart one length at a time -------------


@pytest.fixture
def gdp_facts(tmp_path):
    from conftest import write

    def gdp(fid, period, value, src):
        return (f'[[indicator]]\nid = "{fid}"\nname = "Gross Domestic Product"\nperiod = "{period}"\n'
                f'value = {value}\nunit = "%"\nbasis = "yoy"\nsources = ["{src}"]\n\n')

    d = tmp_path / "gdp"
    write(d / "gdp.toml", '[[source]]\nid = "a"\npublisher = "GSO"\ntitle = "Q2"\ndate = "2024-06-29"\n\n'
          '[[source]]\nid = "b"\npublisher = "GSO"\ntitle = "Year"\ndate = "2025-01-06"\n\n'
          + gdp("q1", "2024-Q1", 5.66, "a") + gdp("h1", "2024-H1", 6.42, "a") + gdp("q2", "2024-Q2", 6.93, "a")
          + gdp("q2-rev", "2024-Q2", 7.25, "b") + gdp("m9", "2024-01/2024-09", 6.82, "b")
          + gdp("q3", "2024-Q3", 7.4, "b") + gdp("y", "2024", 7.09, "b") + gdp("q4", "2024-Q4", 7.55, "b"))
    return ["--no-bundled", "--facts", str(d), "--no-cache"]


def test_series_csv_and_vintages_group_quarters_then_halves_nine_months_years(gdp_facts, capsys):
    from conftest import run_main

    _, out, _ = run_main(["series", "gross", "domestic", "product", "--format", "csv", "--fields", "period",
                          *gdp_facts], capsys)
    assert out.split() == ["period", "2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2024-H1", "2024-01/2024-09",
                           "2024"]
    _, out, _ = run_main(["series", "gross", "domestic", "product", "--vintages", "--format", "csv", "--fields",
                          "period", *gdp_facts], capsys)
    assert out.split() == ["period", "2024-Q1", "2024-Q2", "2024-Q3", "2024-Q4", "2024-H1", "2024-01/2024-09",
                           "2024"]


def test_vintages_chart_draws_one_period_length_at_a_time(gdp_facts, capsys):
    pytest.importorskip("plotext")
    from conftest import run_main

    code, out, _ = run_main(["series", "gross", "domestic", "product", "--vintages", "--chart", *gdp_facts], capsys)
    assert code == 0
    heads = [line for line in out.splitlines() if line.endswith("first published and latest")]
    assert heads == ["Gross Domestic Product · quarters · first published and latest"]
    assert out.count("  * Vietnam, first published") == 1 and "  o Vietnam, latest" in out and "  + " not in out
    assert "(not charted, one period each: half-years, 9 months, years)" in out


# ---- provinces ---------------------------------------------------------------------------------


def test_provinces_lists_the_mergers_in_every_format(cli):
    code, out, _ = cli("provinces", "--format", "csv")
    assert code == 0
    assert out.splitlines() == [("old_name,new_name,effective,sources,source_publisher,source_title,source_url,"
                                "source_date,note"), "Hà Nam,Ninh Bình,2025-07-01,[],,,,,"]
    _, out, _ = cli("provinces", "--format", "json")
    assert json.loads(out) == [{"old_name": "Hà Nam", "new_name": "Ninh Bình", "effective": "2025-07-01",
                                "sources": []}]
    _, out, _ = cli("provinces", "--format", "markdown")
    assert out.splitlines()[2] == "| Ninh Bình | Hà Nam | 2025-07-01 |  |"
    _, out, _ = cli("provinces", "--format", "table")
    assert "Ninh Bình" in out and "Hà Nam" in out and "2025-07-01" in out
    for fmt in ("tsv", "jsonl"):
        code, out, _ = cli("provinces", "--format", fmt)
        assert code == 0 and "Hà Nam" in out


def test_provinces_bundled_has_the_2025_mergers_with_sources(cli):
    code, out, _ = cli("provinces", "hai duong", "--format", "json", bundled=True)
    assert code == 0
    (row,) = json.loads(out)
    assert (row["old_name"], row["new_name"], row["effective"]) == ("Hải Dương", "Hải Phòng", "2025-07-01")
    assert row["source_url"].startswith("https://") and row["source_publisher"]
    _, out, _ = cli("provinces", "--format", "csv", bundled=True)
    assert len(out.splitlines()) == 1 + 29  # 63 provinces and cities became 34


def test_an_old_province_says_it_merged_and_shows_its_facts(cli):
    code, out, err = cli("projects", "--location", "Ha Nam", "--format", "csv")
    assert code == 0 and "neweb-plant" in out
    assert ('note: Hà Nam merged into Ninh Bình on 2025-07-01 (vnecon provinces "Ninh Bình"); these are the '
            'projects recorded under Hà Nam') in err


def test_an_old_province_with_nothing_recorded_says_where_to_look(cli):
    code, _, err = cli("indicators", "--region", "hai duong", bundled=True)
    assert code == 1
    assert ('Hải Dương merged into Hải Phòng on 2025-07-01 (vnecon provinces "Hải Phòng"); no indicators are '
            'recorded under Hải Dương: try --region "Hải Phòng"') in err


# ---- the pager, as git and gh have it ----------------------------------------------------------


@pytest.fixture
def many(tmp_path):
    from conftest import write
    from test_screens import SOURCE, fact

    d = tmp_path / "many"
    write(d / "facts.toml", SOURCE + "".join(fact(i, f"Export turnover of product group {i:02d}") for i in range(30)))
    return ["--no-bundled", "--facts", str(d)]


def test_no_pager_set_pages_through_less_when_it_exists(many, tmp_path):
    import os

    from test_screens import screen

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "less").write_text('#!/bin/sh\necho "args: $*"\nsed "s/^/less:/"\n')
    (bin_dir / "less").chmod(0o755)
    shown = screen(["indicators", *many], rows=20, PATH=f"{bin_dir}{os.pathsep}/usr/bin:/bin")
    assert "args: -FRX" in shown
    assert sum(1 for line in shown.splitlines() if line.startswith("less:f-")) == 30
    assert "shown, as many as fit" not in shown


def test_cut_only_with_no_pager_at_all_saying_so(many):
    from test_screens import screen

    shown = screen(["indicators", *many], rows=20, PATH="/nonexistent")
    assert "(no pager: PAGER is not set and less is not installed): --all shows every one" in shown


def test_pager_command_is_less_when_nothing_is_set(tmp_path):
    from vnecon.output.screen import pager_command

    (tmp_path / "less").write_text("")
    (tmp_path / "less").chmod(0o755)
    assert pager_command({"PATH": str(tmp_path)}) == "less -FRX"
    assert pager_command({"PATH": "/nonexistent"}) is None
    assert pager_command({"PATH": str(tmp_path), "PAGER": "cat"}) == ""


# ---- an unknown command that reads as a query ---------------------------------------------------


def test_unknown_command_that_looks_like_a_query_suggests_search(cli):
    code, out, err = cli("pmi", "2025", bundled=True)
    assert code == 2 and out == ""
    assert err == ("vnecon: error: no such command 'pmi'; did you mean: vnecon search pmi 2025 "
                   "(see 'vnecon --help')\n")
    _, _, err = cli("ha", "noi", "exports 2024", bundled=True)
    assert "did you mean: vnecon search ha noi 'exports 2024'" in err


def test_a_misspelt_command_still_suggests_the_command(cli):
    _, _, err = cli("serach", "pmi", bundled=True)
    assert "did you mean 'search'?" in err and "vnecon search serach" not in err


# ---- check: your files first, the bundled facts summed up -------------------------------------


@pytest.fixture
def my_fact(cli):
    code, _, err = cli("new", "source", "--user", "--id", "my-src", "--set", "publisher=Me", "--set", "title=Mine",
                       "--set", "date=2025-01-01")
    assert code == 0, err


def test_check_lists_your_files_and_sums_up_the_bundled_ones(cli, my_fact):
    code, out, err = cli("check", bundled=True)
    assert code == 0 and out == ""
    lines = err.splitlines()
    assert lines[0].endswith("warning: [source my-src] source has no url: a reader cannot follow it to the page "
                             "(user layer)")
    assert "(bundled layer)" not in err
    assert lines[-3].startswith("bundled facts: ") and lines[-3].endswith("not listed ('vnecon check --all' "
                                                                           "lists them)")
    assert lines[-2] == "your facts: 1 fact in 1 file (1 source): 0 errors, 1 warning"
    assert lines[-1].startswith("all facts: ")


def test_check_all_lists_the_bundled_warnings_after_yours(cli, my_fact):
    _, _, err = cli("check", "--all", bundled=True)
    lines = err.splitlines()
    assert "(user layer)" in lines[0] and "(bundled layer)" in err and "not listed" not in err


def test_check_user_checks_your_directory_alone(cli, my_fact):
    code, _, err = cli("check", "--user", bundled=True)
    assert code == 0
    assert err.splitlines()[-1] == "1 fact in 1 file (1 source): 0 errors, 1 warning" and "bundled" not in err


# ---- charts for publication ---------------------------------------------------------------------


def test_chart_svg_has_title_unit_periods_and_source_line(demo, tmp_path):
    pytest.importorskip("matplotlib")
    import datetime

    target = tmp_path / "pmi.svg"
    code, out, err = demo("series", "pmi", "--region", "vietnam", "--chart", str(target), "--format", "csv")
    assert code == 0, err
    assert out.startswith("series_id,")  # the answer still goes to stdout, in the format asked
    assert f"wrote {target} (1 chart, " in err
    svg = target.read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert "Purchasing Managers" in svg and "points" in svg and "2024-01" in svg
    assert "Source: " in svg and f"drawn {datetime.date.today().isoformat()}" in svg


def test_chart_png_opens(demo, tmp_path):
    pytest.importorskip("matplotlib")
    from PIL import Image

    target = tmp_path / "pmi.png"
    code, _, err = demo("series", "pmi", "--chart", str(target))
    assert code == 0, err
    with Image.open(target) as img:
        img.verify()
    with Image.open(target) as img:
        assert img.format == "PNG" and img.size[0] >= 1000


def test_chart_file_from_the_bundled_pmi(cli, tmp_path):
    pytest.importorskip("matplotlib")
    target = tmp_path / "bundled-pmi.svg"
    code, _, err = cli("series", "pmi", "--since", "2025", "--limit", "1", "--chart", str(target), bundled=True)
    assert code == 0, err
    svg = target.read_text(encoding="utf-8")
    assert "Purchasing Managers" in svg and "VnEconomy" in svg and "2025-01" in svg


def test_vintages_chart_file_one_panel_per_length(gdp_facts, tmp_path, capsys):
    pytest.importorskip("matplotlib")
    from conftest import run_main

    target = tmp_path / "gdp.svg"
    code, _, err = run_main(["series", "gross", "domestic", "product", "--vintages", "--chart", str(target),
                             *gdp_facts], capsys)
    assert code == 0, err
    svg = target.read_text(encoding="utf-8")
    assert "quarters: first published and latest" in svg and "half-years" not in svg


def test_chart_alone_still_draws_on_the_terminal_and_a_bad_suffix_is_refused(demo):
    pytest.importorskip("plotext")
    code, out, _ = demo("series", "--chart", "pmi", "--region", "vietnam")
    assert code == 0 and "┤" in out
    code, _, err = demo("series", "pmi", "--chart", "pmi.pdf")
    assert code == 2 and "a chart file ends in .svg or .png" in err
    code, _, err = demo("series", "pmi", "--chart=pmi.jpg")
    assert code == 2 and "a chart file ends in .svg or .png" in err


def test_the_query_path_never_imports_the_plotting_library(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "c")}
    for args in (["search", "pmi", "--format", "csv"], ["series", "pmi", "--format", "csv"],
                 ["show", "vn-pmi-2025-10"], ["cite", "vn-pmi-2025-10"]):
        r = subprocess.run([sys.executable, "-X", "importtime", "-m", "vnecon", *args], check=False, capture_output=True,
                           text=True, env=env, timeout=120)
        assert r.returncode == 0, r.stderr[-500:]
        assert "matplotlib" not in r.stderr and "plotext" not in r.stderr, args


def test_chart_values_are_spelled_whole_for_both_parsers():
    from vnecon.cli.fast import optional_values

    assert optional_values(["series", "pmi", "--chart"]) == ["series", "pmi", "--chart="]
    assert optional_values(["series", "--chart", "pmi"]) == ["series", "--chart=", "pmi"]
    assert optional_values(["series", "pmi", "--chart", "a.SVG"]) == ["series", "pmi", "--chart=a.SVG"]
    assert optional_values(["search", "--chart", "a.svg"]) == ["search", "--chart", "a.svg"]


# ---- README says exactly what holds for sources -------------------------------------------------


def test_readme_counts_the_sources_without_a_page(cli):
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    said = int(re.search(r"every source its page where one was\s+found \((\d+) bundled sources", readme).group(1))
    _, out, _ = cli("sources", "--format", "json", bundled=True)
    assert said == sum(1 for s in json.loads(out) if not s.get("url"))


@pytest.mark.parametrize("cols", [60, 80, 120])
def test_a_url_field_in_a_terminal_table_is_never_folded(long_url_facts, cols):
    from test_screens import screen

    for args in (["indicators", "--fields", "id,source_url"], ["series", "pmi", "--fields", "period,source_url"]):
        shown = screen([*args, *long_url_facts], cols=cols)
        assert any(LONG_URL in line for line in shown.splitlines()), (args, shown)


def test_series_by_an_old_province_says_it_merged(cli):
    code, out, err = cli("series", "exports", "--region", "binh duong", "--limit", "1", "--format", "csv", bundled=True)
    assert code == 0 and "Bình Dương" in out
    assert "note: Bình Dương merged into Thành phố Hồ Chí Minh on 2025-07-01" in err


@pytest.mark.parametrize("cols", [60, 80, 120])
def test_cite_on_a_terminal_is_one_line_with_a_clickable_url(long_url_facts, cols):
    from test_screens import screen

    shown = screen(["cite", "vn-pmi-2026-01", *long_url_facts], cols=cols, FORCE_HYPERLINK="1")
    (line,) = [x for x in shown.splitlines() if x.startswith("Source: ")]
    assert line.endswith(", 2026-02-02, " + OSC8)
    shown = screen(["cite", "vn-pmi-2026-01", *long_url_facts], cols=cols)
    assert "\x1b]8" not in shown and shown.splitlines()[0].endswith(", 2026-02-02, " + LONG_URL)
