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
