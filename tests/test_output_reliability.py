"""Issue 28: answers that were silently wrong or could be forged (W6, W7, W9).

Each test is the issue's reproduction on a fact file made in tmp_path; each failed before its fix.
"""

from __future__ import annotations

import csv
import io
import json

import pytest

SOURCE = '[[source]]\nid = "s"\npublisher = "VNA"\ntitle = "t"\ndate = "2024-12-01"\nurl = "https://x.vn"\n'


def ind(fid, name, period, value, unit="USD", basis="level", **extra):
    text = "".join(f"{k} = {json.dumps(v)}\n" for k, v in extra.items())
    return (f'\n[[indicator]]\nid = "{fid}"\nname = {json.dumps(name)}\nperiod = "{period}"\nvalue = {value}\n'
            f'unit = {json.dumps(unit)}\nbasis = "{basis}"\nsources = ["s"]\n{text}')


@pytest.fixture
def run(tmp_path, capsys, monkeypatch):
    from conftest import run_main

    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("NO_COLOR", "1")

    def go(facts: str, *args: str):
        (tmp_path / "f.toml").write_text(SOURCE + facts, encoding="utf-8")
        return run_main([*args, "--no-bundled", "--facts", str(tmp_path / "f.toml")], capsys)
    return go


def csv_rows(out: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(out)))


# ---- W6: relative changes where they are undefined --------------------------------

def test_a_change_across_zero_has_no_percentage(run):
    facts = ind("t1", "Trade balance", "2023", -10) + ind("t2", "Trade balance", "2024", 10)
    code, out, _ = run(facts, "series", "trade balance", "--format", "table")
    assert code == 0 and "-200" not in out and "(sign change)" in out
    code, out, _ = run(facts, "compare", "t1", "t2")
    assert code == 0 and "-200" not in out and "relative change undefined (sign change)" in out
    code, out, _ = run(facts, "compare", "t1", "t2", "--format", "json")
    doc = json.loads(out)
    assert "relative_percent" not in doc and doc["relative_undefined"] == "sign change"


def test_a_change_too_large_for_a_number_is_not_infinite(run):
    facts = ind("x1", "Tiny thing", "2023", "1e-300") + ind("x2", "Tiny thing", "2024", "1e18")
    code, out, _ = run(facts, "series", "tiny thing", "--format", "table")
    assert code == 0 and "inf" not in out and "(too large to show)" in out
    code, out, _ = run(facts, "compare", "x1", "x2")
    assert code == 0 and "inf" not in out and "relative change undefined (too large to show)" in out


def test_from_one_negative_value_to_another_the_change_is_on_its_size(run):
    facts = ind("t1", "Trade balance", "2023", -10) + ind("t2", "Trade balance", "2024", -5)
    code, out, _ = run(facts, "series", "trade balance", "--format", "csv")
    assert code == 0 and [r["change"] for r in csv_rows(out)] == ["", "50"]  # it rose by half its size


# ---- W7: series ids ------------------------------------------------------------------

def test_units_and_names_that_differ_only_by_a_symbol_are_different_series(run):
    facts = (ind("e", "Output", "2023", 1, unit="€") + ind("p", "Output", "2023", 2, unit="£")
             + ind("pc1", "Output", "2023", 3, unit="%", basis="share")
             + ind("pc2", "Output", "2023", 4, unit="pct", basis="share"))
    code, out, _ = run(facts, "series", "output", "--format", "csv")
    assert code == 0
    ids = {r["id"]: r["series_id"] for r in csv_rows(out)}
    assert len(set(ids.values())) == 4, ids
    assert ids["e"] == "output.vietnam.level.euro" and ids["p"] == "output.vietnam.level.pound"


def test_c_plus_plus_is_not_c(run):
    facts = ind("c1", "C output", "2023", 10) + ind("c2", "C++ output", "2024", 10000)
    code, out, _ = run(facts, "series", "c output", "--format", "csv")
    assert code == 0
    rows = csv_rows(out)
    assert {r["id"]: r["series_id"] for r in rows} == {"c1": "c-output.vietnam.level.usd",
                                                      "c2": "c-plus-plus-output.vietnam.level.usd"}
    assert all(r["change"] == "" for r in rows)  # never +99900%


def test_series_ids_are_unique_in_one_answer_and_do_not_depend_on_order(run):
    from vnecon.load.model import Fact
    from vnecon.search.series import group, unique_ids

    def fact(fid, unit):
        return Fact("indicator", fid, {"name": "Output", "period": "2023", "value": 1, "unit": unit,
                                       "basis": "level", "sources": ["s"]})
    one = unique_ids(group([fact("a", "USD"), fact("b", "usd"), fact("c", "US$")]))
    two = unique_ids(group([fact("c", "US$"), fact("b", "usd"), fact("a", "USD")]))
    assert len({s.id for s in one}) == 3
    assert {s.unit: s.id for s in one} == {s.unit: s.id for s in two}


# ---- W9: a newline in a field cannot forge a line -------------------------------------

FORGED = (ind("g1", "GDP growth\nfake-id-line", "2023", 5, unit="%\nforged", basis="yoy",
              note="fine.\n\nSources\n  s  FAKE publisher")
          + ind("g2", "GDP growth\nfake-id-line", "2024", 7, unit="%\nforged", basis="yoy",
                region="Hanoi\n  B  2024  Fake  99%"))


def no_forged_lines(out: str) -> None:
    """No text that follows a newline in a field starts a line of the output (a table may still wrap
    a long cell at a space, as it wraps any text)."""
    starts = [line.strip() for line in out.splitlines()]
    assert not any(s.startswith(("fake-id-line", "forged", "s  FAKE")) for s in starts), out


def test_a_newline_in_a_field_is_escaped_in_tables(run):
    code, out, _ = run(FORGED, "search", "gdp", "--format", "table")
    assert code == 0 and "GDP growth\\x0afake-id-line" in out
    no_forged_lines(out)
    code, out, _ = run(FORGED, "search", "gdp", "--format", "csv")  # CSV keeps the data as it is
    assert "GDP growth\nfake-id-line" in out


def test_a_newline_in_a_note_cannot_add_a_sources_section_to_show(run):
    code, out, _ = run(FORGED, "show", "g1")
    assert code == 0 and out.count("\nSources\n") == 1 and "FAKE publisher" in out
    no_forged_lines(out)


def test_a_newline_in_a_region_cannot_add_a_row_to_compare(run):
    code, out, _ = run(FORGED, "compare", "g1", "g2")
    assert code == 0 and sum(line.lstrip().startswith("B  ") for line in out.splitlines()) == 1
    no_forged_lines(out)


@pytest.mark.parametrize("args", [("--format", "table"), ("--wide", "--format", "table"), ("--chart",)])
def test_a_newline_in_a_field_is_escaped_in_series(run, args):
    code, out, _ = run(FORGED + ind("g3", "GDP growth\nfake-id-line", "2022", 6, unit="%\nforged", basis="yoy"),
                       "series", "gdp", *args)
    assert code == 0 and "\\x0a" in out
    no_forged_lines(out)


@pytest.mark.parametrize(("char", "what"), [("\x00", "a control character"), ("\x1b", "a control character"),
                                            ("\x07", "a control character"), ("\x9b", "a control character"),
                                            ("\n", "a line break"), ("\u2028", "a line break"), ("\t", "a tab")])
def test_check_warns_on_control_characters_and_line_breaks(run, char, what):
    code, _, err = run(ind("n1", f"Bell{char}name", "2024", 7), "check")
    assert code == 0 and f"name holds {what}" in err
    assert len([line for line in err.splitlines() if "holds" in line]) == 1  # one line per diagnostic
