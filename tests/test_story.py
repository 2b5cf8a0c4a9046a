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
    assert out.splitlines() == ["id," + SOURCE_FIELDS, "vn-pmi-2024-07,VNA,Industrial production on the mend,"
                                "2024-08-05,https://example.org/src-briefing"]


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
