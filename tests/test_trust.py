"""Issue 11: how far a figure can be trusted is visible wherever the figure is."""

from __future__ import annotations

import csv
import io
import json
import re

from tests.conftest import write

SOURCE = '[[source]]\nid = "s"\npublisher = "VNA"\ntitle = "T"\ndate = "2024-01-01"\nurl = "https://example.org/t"\n\n'


def ind(fid: str, trust: str | None = None, note: str | None = None, value: float = 5.5) -> str:
    return (f'[[indicator]]\nid = "{fid}"\nname = "Widget output {fid}"\nperiod = "2024"\nvalue = {value}\n'
            f'unit = "%"\nbasis = "yoy"\nsources = ["s"]\n'
            + (f'trust = "{trust}"\n' if trust else "") + (f'note = "{note}"\n' if note else "") + "\n")


def tree(tmp_path, *facts: str):
    d = tmp_path / "t"
    write(d / "a.toml", SOURCE + "".join(facts))
    return d


def run(cli, d, *args):
    return cli(*args, "--no-bundled", "--facts", str(d), bundled=True)


def test_table_marks_figures_that_are_not_plainly_reported_and_explains_the_marks(tmp_path, cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    d = tree(tmp_path, ind("a1"), ind("a2", "derived", value=7.25), ind("a3", "doubtful", value=9.5))
    code, out, _ = run(cli, d, "indicators", "--format", "table")
    assert code == 0
    assert "+7.25% =" in out and "+9.5% ?" in out
    assert re.search(r"\+5\.5%   2024", out)  # a reported figure has no mark
    assert out.rstrip().splitlines()[-1].startswith("Marks: = derived") and "? the sources disagree" in out
    assert "inferred" not in out.splitlines()[-1]  # the legend names only the marks shown
    code, md, _ = run(cli, d, "indicators", "--format", "markdown")
    assert "+7.25% =" in md and "Marks:" in md


def test_no_legend_when_every_figure_is_reported(tmp_path, cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "120")
    d = tree(tmp_path, ind("a1"), ind("a2"))
    _, out, _ = run(cli, d, "indicators", "--format", "table")
    assert "Marks:" not in out


def test_machine_formats_carry_the_trust_word(tmp_path, cli):
    d = tree(tmp_path, ind("a1"), ind("a2", "inferred"))
    _, out, _ = run(cli, d, "indicators", "--format", "csv")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(out))}
    assert rows["a1"]["trust"] == "reported" and rows["a2"]["trust"] == "inferred"
    _, out, _ = run(cli, d, "search", "widget", "--format", "json")
    assert {o["id"]: o["trust"] for o in json.loads(out)} == {"a1": "reported", "a2": "inferred"}


def test_trust_filter(tmp_path, cli):
    d = tree(tmp_path, ind("a1"), ind("a2", "inferred"), ind("a3", "draft"))
    _, out, _ = run(cli, d, "indicators", "--trust", "draft,inferred", "--format", "csv", "--fields", "id")
    assert out.split() == ["id", "a2", "a3"]
    _, out, _ = run(cli, d, "indicators", "--trust", "not-reported", "--format", "csv", "--fields", "id")
    assert out.split() == ["id", "a2", "a3"]
    code, _, err = run(cli, d, "indicators", "--trust", "shaky")
    assert code == 2 and "unknown level 'shaky'" in err


def test_check_validates_trust_and_warns_when_the_note_says_otherwise(tmp_path, cli):
    d = tree(tmp_path, ind("a1", "maybe"), ind("a2", note="Derived from the two half-years."),
             ind("a3", "derived", note="Derived from the two half-years."))
    code, _, err = cli("check", str(d))
    assert code == 1
    assert "a1" in err and "maybe" in err
    assert '[indicator a2] the note says "derived" but trust is reported; set trust = "derived"' in err
    assert "[indicator a3]" not in err


def test_a_sum_of_investments_never_looks_printed(tmp_path, cli, monkeypatch):
    monkeypatch.setenv("COLUMNS", "140")
    d = tmp_path / "p"
    write(d / "a.toml", SOURCE + '[[company]]\nid = "c"\nname = "C"\ntype = "company"\nsources = ["s"]\n\n'
          '[[project]]\nid = "p1"\nname = "Plant"\nowner = "c"\nlocation = "Hà Nam"\nsources = ["s"]\n'
          'investments = [{ amount = 60_000_000, currency = "USD", date = "2020" },'
          ' { amount = 30_000_000, currency = "USD", date = "2025" }]\n')
    _, out, _ = run(cli, d, "projects", "--format", "table")
    assert "US$60 mn (2020) + US$30 mn (2025)" in out and "US$90" not in out
    _, out, _ = run(cli, d, "projects", "--format", "csv")
    row = next(csv.DictReader(io.StringIO(out)))
    assert row["investment_total"] == "90000000" and row["investment_total_status"] == "sum of 2 amounts"


def test_bundled_known_cases_carry_their_trust(cli):
    _, out, _ = cli("indicators", "--trust", "not-reported", "--format", "csv", "--fields", "id,trust", bundled=True)
    got = dict(line.split(",") for line in out.split()[1:])
    for fid, trust in {"neweb-vietnam-phase1-area": "doubtful", "vn-output-oil-gas-products-2024-01-11-yoy": "doubtful",
                       "vn-us-export-market-rank-2024": "doubtful", "neweb-vietnam-phase2-capacity-smart-devices":
                       "derived", "binh-duong-industrial-hub-decades-2025": "inferred",
                       "hanoi-key-industrial-firms-exports-2024": "inferred",
                       "gold-bank-transfer-threshold-vnd-2025": "draft",
                       "vn-us-trading-partner-rank-2022": "inferred"}.items():
        assert got.get(fid) == trust, fid


def test_units_with_a_scale_word_are_warned(tmp_path, cli):
    d = tree(tmp_path, ind("a1").replace('unit = "%"', 'unit = "USD bn"'),
             ind("a2").replace('unit = "%"', 'unit = "tỷ đồng"'), ind("a3"))
    _, _, err = cli("check", str(d))
    assert "[indicator a1] unit 'USD bn' holds a scale word ('bn')" in err and "unit = 'USD'" in err
    assert "[indicator a2] unit 'tỷ đồng' holds a scale word ('ty')" in err
    assert "[indicator a3]" not in err


def test_new_refuses_wrong_given_values_and_writes_nothing(tmp_path, cli):
    target = tmp_path / "mine.toml"
    code, _, err = cli("new", "indicator", "--id", "x-1", "--set", "value=abc", "--set", "period=July",
                       "--append", str(target))
    assert code == 2 and not target.exists()  # bad values are usage errors (README exit table)
    assert "period: bad period 'July'" in err and "value: value must be a number" in err
    assert "nothing was written" in err


def test_new_template_shows_numbers_as_numbers(cli):
    _, out, _ = cli("new", "indicator")
    assert "\nvalue = 0.0  # required" in out


def test_new_user_fact_says_which_fact_it_replaces(tmp_path, cli):
    code, _, err = cli("new", "indicator", "--user", "--id", "vn-pmi-2024-07", "--set", "value=55",
                       "--set", "period=2024-07")
    assert code == 0
    assert "vn-pmi-2024-07 is also defined at" in err and "facts/indicators.toml" in err and "replaces it" in err


def test_known_places_are_output_in_their_standard_spelling(tmp_path, cli):
    d = tree(tmp_path, ind("a1").replace('period = "2024"', 'period = "2024"\nregion = "Ha Noi"'),
             ind("a2").replace('period = "2024"', 'period = "2024"\nregion = "Atlantis"'))
    _, out, _ = run(cli, d, "indicators", "--format", "csv", "--fields", "id,region")
    rows = dict(line.split(",") for line in out.split("\n")[1:] if line)
    assert rows == {"a1": "Ha Noi", "a2": "Atlantis"}  # no aliases loaded here: as typed
    write(d / "aliases.toml", '[[alias]]\nnames = ["Hà Nội", "Hanoi", "Ha Noi"]\n')
    _, out, _ = run(cli, d, "indicators", "--format", "csv", "--fields", "id,region")
    rows = dict(line.split(",") for line in out.split("\n")[1:] if line)
    assert rows == {"a1": "Hà Nội", "a2": "Atlantis"}
    code, _, err = cli("check", str(d))
    assert "[indicator a1] region 'Ha Noi' is output as 'Hà Nội', its standard spelling" in err


def test_check_reports_every_problem_of_a_fact_at_once_and_counts_every_fact_read(tmp_path, cli):
    d = tmp_path / "lint"
    write(d / "a.toml", SOURCE.replace('date = "2024-01-01"\n', "") + '''
[[indicator]]
id = "x1"
name = "N"
period = "July"
value = "abc"
unit = "%"
basis = "yoy"
sources = ["s2"]

[[indicator]]
id = "x1"
name = "N"
period = "2024"
value = 1
unit = "%"
basis = "yoy"
sources = ["s"]
''')
    code, _, err = cli("check", str(d))
    assert code == 1
    assert "bad period 'July'" in err and "value must be a number" in err
    assert """sources: no source with id 's2' (did you mean "s"?)""" in err
    assert "duplicate id 'x1'" in err
    assert err.strip().splitlines()[-1].startswith("3 facts in 1 file (2 indicators, 1 source): 4 errors")
    # neither the fact with errors nor its duplicate (an error too) is served
    _, out, _ = run(cli, d, "indicators", "--format", "csv", "--fields", "id,period")
    assert out.split() == ["id,period"]


def test_a_query_on_broken_files_gives_checks_numbers_and_command(tmp_path, cli):
    d = tmp_path / "lint"
    write(d / "a.toml", SOURCE + '[[indicator]]\nid = "x1"\nname = "N"\nperiod = "July"\nvalue = 1\nunit = "%"\n'
          'basis = "yoy"\nsources = ["s2"]\n\n' + ind("x2"))
    _, _, check_err = run(cli, d, "check")
    _, out, err = run(cli, d, "indicators", "--format", "csv", "--fields", "id")
    assert check_err.strip().splitlines()[-1].endswith("2 errors, 0 warnings")
    assert "fact files have 2 errors and 0 warnings" in err
    assert f"See them all: vnecon check --facts {d} --no-bundled" in err
    assert out.split() == ["id", "x2"]  # the invalid fact is left out


def test_a_duplicate_of_a_fact_with_errors_is_not_served_in_its_place(tmp_path, cli):
    d = tmp_path / "dup"
    write(d / "a.toml", SOURCE + ind("x-one").replace('period = "2024"', 'period = "July"') + ind("x-one")
          + ind("x-two"))
    _, _, check_err = run(cli, d, "check")
    assert "duplicate id 'x-one'" in check_err
    for cached in (True, False):
        _, out, err = run(cli, d, "indicators", "--format", "csv", "--fields", "id", *([] if cached else ["--no-cache"]))
        assert out.split() == ["id", "x-two"], (cached, out)
    _, out, _ = run(cli, d, "search", "widget", "--format", "csv", "--fields", "id")
    assert out.split() == ["id", "x-two"]
