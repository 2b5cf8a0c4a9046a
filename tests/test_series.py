"""`vnecon series`: grouping, ordering, changes, formats, wide pivots and charts on demonstration data."""

from __future__ import annotations

import csv
import io
import json

import pytest

from vnecon.load.model import Fact
from vnecon.search.series import change, group, span_length, wide_rows


def ind(fid, period, value, unit="%", basis="yoy", **kw) -> Fact:
    return Fact("indicator", fid, {"name": kw.pop("name", "X"), "period": period, "value": value, "unit": unit,
                                   "basis": basis, "sources": ["s"], **kw})


def rows(out: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(out)))


# ---- grouping, ordering, changes ------------------------------------------

def test_group_keeps_measures_apart_by_region_basis_unit_and_sector():
    facts = [ind("a", "2024-02", 1), ind("b", "2024-01", 2), ind("c", "2024-01", 3, region="Hà Nội"),
             ind("d", "2024-01", 4, basis="mom"), ind("e", "2024-01", 5, unit="USD", basis="level"),
             ind("f", "2024-01", 6, sector="steel"), ind("g", "2024-03", 7, region="Vietnam")]
    series = group(facts)
    assert [[f.id for f in s.facts] for s in series] == [["b", "a", "g"], ["c"], ["d"], ["e"], ["f"]]
    # region left out means Vietnam, the schema's default


@pytest.mark.parametrize("unit, basis, a, b, text", [
    ("%", "yoy", 8.4, 9.7, "+1.3 pp"),          # growth rates: percentage points, never a relative change
    ("points", "level", 54.7, 52.0, "-2.7 pts"),  # an index: points
    ("USD", "level", 8e9, 8.9e9, "+11.3%"),      # a level: relative change
    ("count", "level", 120, 90, "-25%"),
    ("rank", "level", 1, 2, "down 1"),
])
def test_change_follows_unit_and_basis(unit, basis, a, b, text):
    from vnecon.output.series import human_change

    assert human_change(change(ind("a", "2024-01", a, unit, basis), ind("b", "2024-02", b, unit, basis))) == text


def test_no_change_across_different_lengths_ranges_or_from_zero():
    month, eleven = ind("a", "2024-07", 11.2), ind("b", "2024-01/2024-11", 8.4)
    assert change(eleven, month).amount is None and change(eleven, month).why == "11 months vs month"
    assert change(ind("a", "2023", 17, value_max=18), ind("b", "2024", 19)).why == "a range"
    assert change(ind("a", "2023", 0, "USD", "level"), ind("b", "2024", 5, "USD", "level")).why == "from zero"


@pytest.mark.parametrize("period, length", [("2024-07", "month"), ("2024-Q3", "quarter"), ("2024-H1", "half-year"),
                                            ("2024", "year"), ("2024-01/2024-11", "11 months"),
                                            ("2022/2023", "2 years"), ("2024-07-05", "1 day")])
def test_span_length(period, length):
    from vnecon.core.periods import parse_period

    assert span_length(parse_period(period)) == length


# ---- the command -----------------------------------------------------------

def test_series_table_orders_by_period_with_changes_and_sparkline(demo):
    code, out, err = demo("series", "pmi", "--region", "vietnam", "--format", "table")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("Purchasing Managers' Index (manufacturing) · Vietnam · points, level · 12 points  ")
    assert lines[0].endswith("▄▄▃▄▄█▆▁▅▄▃▄")  # 54.7 highest, 47.3 lowest
    body = [line.split()[:4] for line in lines[3:]]
    assert body[0][:2] == ["2024-01", "50.3"] and body[5][:4] == ["2024-06", "54.7", "pts", "+4.4"]
    assert [b[0] for b in body] == [f"2024-{m:02d}" for m in range(1, 13)]


def test_series_lists_several_series_best_first_and_limit_counts_series(demo):
    code, out, _ = demo("series", "pmi", "--format", "csv")
    assert code == 0
    ids = list(dict.fromkeys(r["series_id"] for r in rows(out)))
    assert len(ids) == 2 and all(i.startswith("purchasing-managers-index.") for i in ids)
    code, out, _ = demo("series", "pmi", "--format", "csv", "--limit", "1")
    assert len({r["series_id"] for r in rows(out)}) == 1


def test_series_long_csv_columns_and_values(demo):
    code, out, _ = demo("series", "export", "turnover", "--region", "hanoi", "--basis", "level", "--format", "csv")
    assert code == 0
    r = rows(out)
    assert list(r[0]) == ["series_id", "measure", "region", "sector", "unit", "basis", "period", "period_start",
                          "period_end", "value", "value_max", "qualifier", "change", "change_unit", "trust",
                          "source", "source_publisher", "source_title", "source_url", "source_date", "id"]
    assert [(x["period"], x["period_start"], x["period_end"], x["value"], x["change"]) for x in r] == [
        ("2023-H1", "2023-01-01", "2023-06-30", "7800000000", ""),
        ("2023-H2", "2023-07-01", "2023-12-31", "8300000000", "6.410256"),
        ("2024-H1", "2024-01-01", "2024-06-30", "8900000000", "7.228916"),
        ("2024-H2", "2024-07-01", "2024-12-31", "9400000000", "5.617978"),  # from the half-year before
        ("2024", "2024-01-01", "2024-12-31", "18300000000", ""),  # grouped after the half-years: no change
    ]
    assert {x["trust"] for x in r} == {"reported"} and r[1]["change_unit"] == "%"


def test_series_json_leaves_out_empty_fields(demo):
    code, out, _ = demo("series", "iip", "--basis", "yoy", "--format", "json")
    data = json.loads(out)
    assert data[0]["series_id"] == "index-of-industrial-production.vietnam.yoy.pct.industry"
    assert "change" not in data[0] and data[1]["change"] == pytest.approx(1.2) and data[1]["change_unit"] == "pp"
    assert "change" not in data[-1]  # eleven months after months: no change
    # grouped by period length (issue 35): the months, then the eleven-month total
    assert [d["period"] for d in data][::7] == ["2024-01", "2024-01/2024-11"]


def test_series_period_filters_and_query_periods_narrow_points(demo):
    _, out, _ = demo("series", "pmi", "--region", "vietnam", "--since", "2024-10", "--format", "csv")
    assert [r["period"] for r in rows(out)] == ["2024-10", "2024-11", "2024-12"]
    _, out, _ = demo("series", "pmi", "H1", "2024", "--region", "vietnam", "--format", "csv")
    assert [r["period"] for r in rows(out)] == [f"2024-0{m}" for m in range(1, 7)]


def test_series_nothing_found_exits_1(demo):
    code, out, _ = demo("series", "tourism", "--format", "csv")
    assert code == 1


# ---- wide -------------------------------------------------------------------

def test_wide_keeps_lengths_apart_and_says_so(demo):
    code, out, err = demo("series", "export", "turnover", "--region", "hanoi", "--basis", "level", "--wide",
                          "--format", "csv")
    assert code == 0
    r = rows(out)
    assert list(r[0])[:7] == ["series_id", "measure", "region", "sector", "unit", "basis", "length"]
    assert [(x["length"], x["2023-H1"], x["2024"]) for x in r] == [("half-year", "7800000000", ""),
                                                                   ("year", "", "18300000000")]
    assert "mixes periods of different lengths (half-year, year)" in err


def test_wide_rows_one_row_per_series_when_lengths_agree():
    periods, rows_, notes = wide_rows(group([ind("a", "2024-02", 1), ind("b", "2024-01", 2),
                                             ind("c", "2024-01", 3, region="Hà Nội")]))
    assert periods == ["2024-01", "2024-02"] and notes == []
    assert [(r["region"], r.get("2024-01"), r.get("2024-02")) for r in rows_] == [("Vietnam", 2, 1),
                                                                                  ("Hà Nội", 3, None)]


# ---- charts -------------------------------------------------------------------

@pytest.mark.parametrize("width", [40, 80, 160])
def test_chart_fits_the_width_with_period_labels_unit_and_legend(demo, monkeypatch, width):
    monkeypatch.setenv("COLUMNS", str(width))
    code, out, _ = demo("series", "pmi", "--chart", "--no-color")
    assert code == 0

    lines = [line for line in out.splitlines() if "┤" in line or "└" in line]
    assert lines and all(len(line) <= width for line in lines)
    assert "\x1b" not in out
    rows_ = out.splitlines()
    y_label = next(i for i, line in enumerate(rows_) if line.strip() == "points")
    assert "2024-01" in rows_[y_label - 1] and "2024-12" in rows_[y_label - 1]  # x labels, first and last
    legend = rows_[y_label + 1:]  # under the plot, never over its data
    assert sorted(line.split()[1] for line in legend) == ["Hà", "Vietnam"] and len({line.split()[0] for line in legend}) == 2
    assert "54.7┤" in out and "45.8┤" in out  # y axis spans the data


def test_chart_ascii_on_dumb_terminal_and_message_for_one_point(demo, monkeypatch):
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.setenv("COLUMNS", "60")
    code, out, _ = demo("series", "pmi", "--region", "vietnam", "--chart")
    assert code == 0 and out.isascii() and "+--" in out and "*" in out
    code, out, _ = demo("series", "export", "turnover", "--region", "vietnam", "--chart")
    assert "(no chart: Export turnover, Vietnam has fewer than 2 points)" in out


def test_chart_on_a_tiny_terminal_says_so(demo, monkeypatch):
    monkeypatch.setenv("COLUMNS", "20")
    code, out, err = demo("series", "pmi", "--chart")
    assert code == 0 and "(no chart: the terminal is 20 columns wide; a chart needs 30)" in out


def test_chart_refuses_pipe_formats(demo):
    code, _, err = demo("series", "pmi", "--chart", "--format", "csv")
    assert code == 2 and "--chart draws on the terminal" in err


def test_chart_without_plotext_names_the_extra(demo, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "plotext", None)
    code, _, err = demo("series", "pmi", "--chart")
    assert code == 2 and "pip install 'vnecon[chart]'" in err and "Traceback" not in err


def test_series_unit_filter(demo):
    code, out, _ = demo("series", "export", "turnover", "--unit", "%", "--format", "csv")
    assert code == 0 and {r["unit"] for r in rows(out)} == {"%"}
    code, out, _ = demo("series", "export", "turnover", "--unit", "us$", "--format", "csv")
    assert {r["unit"] for r in rows(out)} == {"USD"} and len({r["series_id"] for r in rows(out)}) == 2


def test_chart_colour_follows_no_color_and_force_color(demo, monkeypatch):
    monkeypatch.setenv("COLUMNS", "60")
    monkeypatch.setenv("FORCE_COLOR", "1")
    _, out, _ = demo("series", "pmi", "--region", "vietnam", "--chart")
    chart = out.split("\n\n")[-1]  # the chart follows the table after a blank line
    assert "54.7" in chart
    assert "\x1b[" in chart  # coloured lines when forced
    assert "48;5;" not in chart  # but never a painted background
    monkeypatch.setenv("NO_COLOR", "1")
    _, out, _ = demo("series", "pmi", "--region", "vietnam", "--chart")
    chart = out.split("\n\n")[-1]
    assert "54.7┤" in chart and "\x1b" not in chart


def _cells(facts_dir, query: str) -> list[list[str]]:
    """(period, value, change, source, id) of every point the table shows, from the series code itself."""
    from vnecon.load.session import Options
    from vnecon.output.series import block_rows
    from vnecon.search.refresh import open_index
    from vnecon.search.series import find_series

    layers = [("cli", [facts_dir])] if facts_dir else None
    if layers is None:
        from vnecon.load.layers import bundled_dir

        layers = [("bundled", [bundled_dir()])]
    index = open_index(layers)  # the test's own cache: the bundled facts' from the session's prebuilt index
    found, _ = find_series(index, query, {}, None, None, None, None)
    srcs = {f.id: f for f in index.facts("kind = 'source'")}
    return [r for s in found for r in block_rows(s, srcs)]


@pytest.mark.parametrize("bundled,query", [(False, "export turnover"), (False, "pmi"), (True, "trade"),
                                           (True, "us rank")])
def test_series_table_never_cuts_periods_values_changes_or_ids(demo, cli, monkeypatch, tmp_path, bundled, query):
    """Every width from 40 to 220: each point's period, value, change and id appear whole."""
    facts_dir = None if bundled else tmp_path / "demo"
    points = _cells(facts_dir, query)
    # The widest first: what it shows, every width must show whole.  The bundled facts' series are
    # many and long (the official layer): a few widths of them, every fourth of the demo's.
    for width in (220, 160, 120, 100, 80, 60, 40) if bundled else range(220, 39, -4):
        monkeypatch.setenv("COLUMNS", str(width))
        if bundled:
            code, out, _ = cli("series", *query.split(), "--format", "table", "--limit", "0", bundled=True)
        else:
            code, out, _ = demo("series", *query.split(), "--format", "table", "--limit", "0")
        assert code == 0 and "…" not in out, width
        if width == 220:
            points = [p for p in points if p[4] in out]
            assert len(points) >= 2
        ids = {fid for *_, fid in points}
        assert all(len(line) <= width or line.strip() in ids for line in out.splitlines()), width
        assert "Chang\n" not in out and "Chang " not in out.replace("Change", ""), width  # no split header
        for period, value, change, _, fid in points:
            assert fid in out and period in out and value in out and change in out, (width, fid)


@pytest.mark.parametrize("command", ["series", "compare"])
def test_help_has_examples(capsys, command):
    from vnecon.cli.entry import main

    with pytest.raises(SystemExit) as e:
        main([command, "--help"])
    out = capsys.readouterr().out
    assert e.value.code == 0 and "Examples:" in out and f"vnecon {command} " in out


def test_bundled_facts_form_series(cli):
    """The curated trade figures make a two-point series with its change; IIP keeps its lengths apart."""
    code, out, _ = cli("series", "bilateral", "trade", "--limit", "1", "--format", "csv", bundled=True)
    r = rows(out)
    assert code == 0 and [(x["period"], x["id"], x["change"]) for x in r] == [
        ("2022", "vn-us-trade-2022", ""), ("2024", "vn-us-trade-2024", "20.967742")]
    code, out, err = cli("series", "iip", "--basis", "yoy", "--limit", "1", "--wide", "--format", "csv", bundled=True)
    lengths = [x["length"] for x in rows(out)]
    assert {"11 months", "month", "year"} <= set(lengths) and len(lengths) == len(set(lengths)) and "mixes periods" in err


def test_compare_of_two_ranks_says_places(cli):
    code, out, _ = cli("compare", "vn-us-export-market-rank-2022", "vn-us-export-market-rank-2024", bundled=True)
    assert code == 0 and "B - A: down 1 place" in out and "+No." not in out


@pytest.mark.parametrize("width", [40, 80, 160])
def test_compare_fits_the_terminal_and_keeps_ids_whole(cli, monkeypatch, width):
    monkeypatch.setenv("COLUMNS", str(width))
    code, out, _ = cli("compare", "vietnam us trade", "2022", "2024", bundled=True)
    assert code == 0 and all(len(line) <= width for line in out.splitlines()), out
    assert "vn-us-trade-2022" in out and "vn-us-trade-2024" in out and "nearly US$150 bn" in out
