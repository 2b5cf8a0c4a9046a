"""Series and charts never join what must not be joined: period lengths, spellings of a place, measures."""

from __future__ import annotations

import csv
import io
import re

import pytest

SOURCE = '[[source]]\nid = "s"\npublisher = "VNA"\ntitle = "t"\ndate = "2024-12-01"\n'


def ind(fid, name, period, value, unit="%", basis="yoy", region=None, note=None):
    extra = (f'region = "{region}"\n' if region else "") + (f'note = "{note}"\n' if note else "")
    return (f'\n[[indicator]]\nid = "{fid}"\nname = "{name}"\nperiod = "{period}"\nvalue = {value}\n'
            f'unit = "{unit}"\nbasis = "{basis}"\nsources = ["s"]\n{extra}')


@pytest.fixture
def run(tmp_path, capsys, monkeypatch):
    from conftest import run_main

    monkeypatch.setenv("COLUMNS", "70")

    def go(facts: str, *args: str):
        (tmp_path / "f.toml").write_text(SOURCE + facts, encoding="utf-8")
        return run_main([*args, "--no-bundled", "--facts", str(tmp_path / "f.toml")], capsys)
    return go


IIP = (ind("iip-11m", "Index of Industrial Production", "2024-01/2024-11", 8.4)
       + ind("iip-07", "Index of Industrial Production", "2024-07", 11.2)
       + ind("iip-08", "Index of Industrial Production", "2024-08", 9.5))


def plot_area(out: str) -> list[str]:
    rows = out.split("\n\n")[-1].splitlines()  # the chart follows the table after a blank line
    top = next(i for i, r in enumerate(rows) if "┌" in r or "+--" in r)
    bottom = next(i for i, r in enumerate(rows) if i > top and ("└" in r or "+--" in r))
    return rows[top + 1:bottom]


def test_a_chart_never_joins_an_eleven_month_total_to_a_month(run, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "dumb")
    code, out, _ = run(IIP, "series", "iip", "--chart")
    assert code == 0
    legend = [r.strip() for r in out.splitlines() if r.strip().startswith(("* ", "o "))]
    assert legend == ["* Index of Industrial Production, Vietnam, 11 months",
                      "o Index of Industrial Production, Vietnam, month"]
    stars = sum(re.sub(r"^\s*[\d.-]*[+|]", "", r).count("*") for r in plot_area(out))
    assert stars == 1  # the 11-month figure is one point: no line runs from it to July
    assert "never joined" in out


def test_one_chart_per_measure_and_the_legend_under_the_plot(run, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    facts = (ind("gdp-23", "GDP growth", "2023", 5.05) + ind("gdp-24", "GDP growth", "2024", 7.09)
             + ind("de-25", "GDP growth digital economy share", "2025", 20, basis="target")
             + ind("de-30", "GDP growth digital economy share", "2030", 30, basis="target")
             + ind("hn-gdp-23", "GDP growth", "2023", 6.3, region="Hà Nội")
             + ind("hn-gdp-24", "GDP growth", "2024", 6.5, region="Hà Nội"))
    code, out, _ = run(facts, "series", "gdp", "growth", "--chart")
    assert code == 0 and out.count("┌") == 2  # growth (both regions) and the target: two charts
    rows = out.splitlines()
    legend = [i for i, r in enumerate(rows) if r.strip().startswith(("* ", "o "))]
    assert [rows[i].split()[1] for i in legend] == ["Vietnam", "Hà"]
    assert all(i > max(j for j, r in enumerate(rows[:i]) if "└" in r) for i in legend)  # under the plot
    assert "\x1b" not in out


def test_one_place_spelled_two_ways_is_one_series_even_without_bundled_facts(run):
    facts = (ind("w-22", "Widget exports", "2022", 10, unit="USD", basis="level", region="Vietnam")
             + ind("w-23", "Widget exports", "2023", 12, unit="USD", basis="level", region="Viet Nam"))
    code, out, _ = run(facts, "series", "widget", "exports", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and len({r["series_id"] for r in rows}) == 1 and len(rows) == 2
    assert float(rows[1]["change"]) == 20
    code, out, err = run(facts, "compare", "widget exports", "2022", "2023")
    assert code == 0, err
    assert "+20%" in out


def test_series_lists_only_measures_the_words_name(run):
    facts = (ind("pmi-07", "Purchasing Managers' Index", "2024-07", 54.7, unit="points", basis="level")
             + ind("pmi-08", "Purchasing Managers' Index", "2024-08", 52.4, unit="points", basis="level")
             + '\n[[alias]]\nnames = ["PMI", "Purchasing Managers\' Index"]\n'
             + ind("iip-07", "Index of Industrial Production", "2024-07", 11.2,
                   note="The PMI rose in the same month."))
    code, out, _ = run(facts, "series", "pmi", "--format", "csv")
    assert code == 0 and {r["measure"] for r in csv.DictReader(io.StringIO(out))} == {
        "Purchasing Managers' Index"}
