"""The table view for people: nothing that makes an answer is ever cut, at any width.

Renders real search results over the bundled facts at every width from 40 to
220 columns, styles stripped, and checks that each fact's id, value text and
period appear whole.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from vnecon.output.render import Look, human_value, render, short_list, value_cell
from vnecon.search.query import search
from vnecon.search.refresh import open_index

FACTS_DIR = Path(__file__).parent.parent / "facts"

QUERIES = [
    "vietnam pmi july 2024", "ha noi exports", "iip year-on-year", "semiconductor", "hanoi fdi",
    "us vietnam partnership", "intel", "amkor", "google", "binh duong", "ninh binh", "trade",
    "exports 2024", "chip training centre", "hcmc", "investment", "grdp", "viet nam news", "abac", "electronics",
]
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@pytest.fixture(scope="module")
def bundled():
    index = open_index([("bundled", [FACTS_DIR])], use_cache=False)
    results = {}
    for q in QUERIES:
        facts, _ = search(index, q, limit=10)
        assert facts, q
        refs = {r: x for f in facts for r in (*f.get("sources", []), *f.get("parties", []))
                if (x := index.get(r)) is not None}
        results[q] = (facts, refs)
    return results


def table(facts, refs, width, kind=None, color=False) -> str:
    out = io.StringIO()
    render(facts, "table", out, kind, refs, Look(color=color, width=width))
    return ANSI.sub("", out.getvalue())


def test_ids_values_and_periods_are_whole_at_every_width(bundled):
    for q, (facts, refs) in bundled.items():
        for width in range(40, 221, 4):
            text = table(facts, refs, width)
            for f in facts:
                value = value_cell(f, refs, short=True)
                for part in [f.id, str(f.get("period") or f.get("date") or ""), *value.split("\n")]:
                    assert part in text, f"{q!r} at {width} columns: {part!r} is cut\n{text}"
            # Only a single part too long for the terminal (a 48-letter id) may pass its edge.
            assert all(len(line) <= width for line in text.splitlines() if " · " in line or "  " in line.strip()
                       ), f"{q!r} at {width}: a line is wider than the terminal\n{text}"


def test_wide_terminal_keeps_every_column(bundled):
    facts, refs = bundled["ha noi exports"]
    text = table(facts, refs, 200)
    header = text.splitlines()[0].split()
    assert header[:2] == ["What", "Value"] or header[:2] == ["Indicator", "Value"]
    assert "Source" in header and ("Region" in header or "Where" in header)
    assert "Hà Nội" in text


def test_long_party_lists_are_shortened_in_tables_only(bundled, tmp_path):
    facts, refs = bundled["chip training centre"]
    chip = next(f for f in facts if len(f.get("parties", [])) == 5)
    assert value_cell(chip, refs, short=True) == "Intel, Amkor, Marvell +2 more"
    assert value_cell(chip, refs).count(",") == 4  # CSV and markdown: all of them
    out = io.StringIO()
    render([chip], "csv", out, "partnership")
    assert '""intel"", ""amkor"", ""marvell"", ""globalfoundries"", ""sia""' in out.getvalue()  # all, as JSON
    assert short_list(["A"] * 20).endswith("+" + str(20 - short_list(["A"] * 20).count("A")) + " more")


def test_narrow_terminal_stacks_instead_of_cutting(bundled):
    facts, refs = bundled["ha noi exports"]
    text = table(facts, refs, 50)
    assert "────" not in text  # no table rule: one fact per few lines
    first = facts[0]
    assert f"  {human_value(first)} · {first.get('period')}" in text


@pytest.mark.parametrize("env", [{"NO_COLOR": "1"}, {"TERM": "dumb"}, {}])
def test_no_color_means_no_escape_codes_at_all(bundled, monkeypatch, env):
    monkeypatch.setenv("FORCE_COLOR", "1")  # as if on a terminal
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    facts, refs = bundled["hanoi fdi"]
    for width in (50, 150):
        out = io.StringIO()
        render(facts, "table", out, None, refs, Look(color=False if not env else None, width=width))
        assert "\x1b" not in out.getvalue()
        assert facts[0].id in out.getvalue()


def test_colour_stays_when_asked_for(bundled, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm-256color")
    facts, refs = bundled["hanoi fdi"]
    out = io.StringIO()
    render(facts, "table", out, None, refs, Look(width=150))
    assert "\x1b[" in out.getvalue()


def test_show_respects_no_color(cli, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("NO_COLOR", "1")
    code, out, _ = cli("show", "vn-pmi-2024-07")
    assert code == 0 and "\x1b" not in out and "54.7" in out


@pytest.mark.parametrize("how", [("--no-color",), ("NO_COLOR",), ("TERM",)])
def test_search_table_from_the_command_line_has_no_escape_codes(cli, monkeypatch, how):
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("TERM", "xterm-256color")
    args = ["search", "pmi", "--format", "table"]
    if how[0] == "--no-color":
        args.append("--no-color")
    elif how[0] == "NO_COLOR":
        monkeypatch.setenv("NO_COLOR", "1")
    else:
        monkeypatch.setenv("TERM", "dumb")
    code, out, err = cli(*args)
    assert code == 0 and "vn-pmi-2024-07" in out and "\x1b" not in out + err
