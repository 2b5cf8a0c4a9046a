"""Queries in the words people type: periods in English and Vietnamese, typos,
ranking that keeps the period, and what a search that finds nothing says."""

from __future__ import annotations

import csv
import io
import json

import pytest

from vnecon.core.periods import find_periods, parse_user_period

SPANS = [
    ("2024-07", ("2024-07-01", "2024-07-31")),
    ("07/2024", ("2024-07-01", "2024-07-31")),
    ("7/2024", ("2024-07-01", "2024-07-31")),
    ("July 2024", ("2024-07-01", "2024-07-31")),
    ("Jul 2024", ("2024-07-01", "2024-07-31")),
    ("2024 july", ("2024-07-01", "2024-07-31")),
    ("first half 2024", ("2024-01-01", "2024-06-30")),
    ("H1 2024", ("2024-01-01", "2024-06-30")),
    ("second half of 2024", ("2024-07-01", "2024-12-31")),
    ("Q3 2024", ("2024-07-01", "2024-09-30")),
    ("2024 Q3", ("2024-07-01", "2024-09-30")),
    ("third quarter 2024", ("2024-07-01", "2024-09-30")),
    ("11 months 2024", ("2024-01-01", "2024-11-30")),
    ("first 11 months of 2024", ("2024-01-01", "2024-11-30")),
    ("Jan–Nov 2024", ("2024-01-01", "2024-11-30")),
    ("January to November 2024", ("2024-01-01", "2024-11-30")),
    ("2023-2024", ("2023-01-01", "2024-12-31")),
    ("2024-01/2024-11", ("2024-01-01", "2024-11-30")),
    ("tháng 7 năm 2024", ("2024-07-01", "2024-07-31")),
    ("tháng 7/2024", ("2024-07-01", "2024-07-31")),
    ("THÁNG 7/2024", ("2024-07-01", "2024-07-31")),
    ("6 tháng đầu năm 2024", ("2024-01-01", "2024-06-30")),
    ("11 tháng năm 2024", ("2024-01-01", "2024-11-30")),
    ("quý 3/2024", ("2024-07-01", "2024-09-30")),
    ("quý III năm 2024", ("2024-07-01", "2024-09-30")),
    ("năm 2024", ("2024-01-01", "2024-12-31")),
    ("2024", ("2024-01-01", "2024-12-31")),
]


@pytest.mark.parametrize("text,span", SPANS)
def test_periods_in_words_people_type(text, span):
    assert parse_user_period(text) == span  # --period/--since/--until
    (found,), rest = find_periods(f"hanoi exports {text}")  # search words: the same parser
    assert found.span == span and rest == "hanoi exports"


@pytest.mark.parametrize("text,months", [("second half", (7, 12)), ("Q3", (7, 9)), ("H1", (1, 6)),
                                         ("6 tháng đầu năm", (1, 6)), ("quý 2", (4, 6))])
def test_periods_without_a_year_are_months_of_any_year(text, months):
    (found,), rest = find_periods(text)
    assert found.span is None and found.months == months and rest == ""


def test_place_names_with_nam_stay_words():
    found, rest = find_periods("Viet Nam 2024 exports")
    assert rest == "viet nam exports" and [p.span for p in found] == [("2024-01-01", "2024-12-31")]
    found, rest = find_periods("Hà Nam năm 2024")
    assert rest == "ha nam" and len(found) == 1


@pytest.mark.parametrize("bad", ["q3", "first half", "exports 2024", "2024-13", "July"])
def test_user_period_needs_one_whole_period_with_a_year(bad):
    with pytest.raises(ValueError):
        parse_user_period(bad)


@pytest.mark.parametrize("period", ["July 2024", "7/2024", "tháng 7/2024", "2024-07"])
def test_period_options_take_words(cli, period):
    code, out, _ = cli("indicators", "--period", period, "--format", "csv")
    ids = {line.split(",")[0] for line in out.splitlines()[1:]}
    assert code == 0 and ids == {"vn-pmi-2024-07", "vn-iip-2024-07-mom", "vn-iip-2024-07-yoy"}


def test_since_after_until_is_a_usage_error(cli):
    code, _, err = cli("indicators", "--since", "2025", "--until", "2024")
    assert code == 2 and "--since" in err and err.count("\n") == 1
    code, _, _ = cli("indicators", "--since", "first half 2024", "--until", "2024-07")
    assert code == 0


def ids(out: str) -> list[str]:
    return [row["id"] for row in csv.DictReader(io.StringIO(out))]


def periods(out: str) -> list[str]:
    return [row["period"] for row in csv.DictReader(io.StringIO(out))]


@pytest.mark.parametrize("query", ["hanoi fdi first half 2024", "vốn FDI Hà Nội 6 tháng đầu năm 2024",
                                   "hanoi fdi xyzzy H1 2024"])
def test_fallback_keeps_the_period_typed(cli, query):
    code, out, err = cli("search", *query.split(), "--format", "csv", seed=True)
    assert code == 0 and ids(out)[0] == "hanoi-fdi-2024-h1"
    from vnecon.core.periods import parse_period

    spans = [parse_period(p) for p in periods(out) if p]
    assert all(a <= "2024-06-30" and b >= "2024-01-01" for a, b in spans)  # every one shares the period
    inside = [a >= "2024-01-01" and b <= "2024-06-30" for a, b in spans]
    assert inside == sorted(inside, reverse=True)  # those inside it first


def test_a_word_no_fact_has_is_left_out_and_said(cli):
    code, out, err = cli("search", "hanoi", "fdi", "xyzzy", "H1", "2024", "--format", "csv", seed=True)
    assert 'no fact mentions "xyzzy"' in err


def test_overlapping_period_is_found_after_the_ones_inside(cli, tmp_path):
    from tests.conftest import write

    code, out, err = cli("search", "November", "2024", "--format", "csv", seed=True)
    assert code == 0 and "vn-iip-2024-01-11-yoy" in ids(out)
    write(tmp_path / "nov" / "n.toml", '''
        [[source]]
        id = "s"
        publisher = "GSO"
        title = "t"
        date = "2024-12-01"

        [[indicator]]
        id = "a-jan-nov"
        name = "Exports"
        period = "2024-01/2024-11"
        value = 1
        unit = "%"
        basis = "yoy"
        sources = ["s"]

        [[indicator]]
        id = "b-nov"
        name = "Exports"
        period = "2024-11"
        value = 2
        unit = "%"
        basis = "yoy"
        sources = ["s"]

        [[indicator]]
        id = "c-oct"
        name = "Exports"
        period = "2024-10"
        value = 3
        unit = "%"
        basis = "yoy"
        sources = ["s"]
    ''')
    code, out, _ = cli("search", "exports", "nov", "2024", "--format", "csv", "--facts", str(tmp_path / "nov"))
    assert ids(out) == ["b-nov", "a-jan-nov"]


@pytest.mark.parametrize("typed,meant,first", [
    ("exprots hanoi", "exports hanoi", "hanoi-exports-2024-h1"),
    ("vietnam us trde", "vietnam us trade", None),
    ("wistorn", "wistron", "wistron-neweb"),
    ("Hanio exports", "exports", "hanoi-exports-2024-h1"),
    ("fdii hanoi", "fdi hanoi", "hanoi-fdi-2024-h1"),
    ("pmii", "pmi", "vn-pmi-2024-07"),
    ("TPHCM", "tp hcm", None),
])
def test_typos_people_make_are_corrected_and_said(cli, typed, meant, first):
    code, out, err = cli("search", *typed.split(), "--format", "csv", seed=True)
    assert code == 0 and "showing results for" in err and meant in err
    if first:
        assert ids(out)[0] == first


def test_trade_typo_finds_trade_figures(cli):
    _, out, _ = cli("search", "vietnam", "us", "trde", "--format", "csv", "--limit", "5", seed=True)
    assert any("trade" in i for i in ids(out))


def test_alias_written_without_spaces_reaches_the_place(cli):
    _, out1, _ = cli("search", "TPHCM", "--format", "csv", seed=True)
    _, out2, _ = cli("search", "Ho", "Chi", "Minh", "City", "--format", "csv", seed=True)
    assert ids(out1) and set(ids(out1)) == set(ids(out2))


@pytest.mark.parametrize("fmt", ["csv", "json", "table", "tsv"])
def test_no_results_says_so_on_stderr_in_every_format(cli, fmt):
    code, out, err = cli("search", "pmi", "2019", "--format", fmt, seed=True)
    assert code == 1
    (line,) = err.splitlines()
    assert 'no facts match "pmi 2019"' in line and "vn-pmi-2024-07" in line
    if fmt == "json":
        assert json.loads(out) == []
    if fmt == "table":
        assert out == ""  # no empty box: the message is the answer


def test_no_results_suggests_close_words(cli):
    code, _, err = cli("search", "trrdde", seed=True)
    assert code == 1 and "did you mean" in err and "trade" in err


def test_show_suggests_ids_through_aliases_and_search(cli):
    code, _, err = cli("show", "pmi", seed=True)
    assert code == 1 and "vn-pmi-2024-07" in err.split("did you mean:")[1].split(",")[0]
    code, _, err = cli("show", "purchasing managers index", seed=True)
    assert "vn-pmi-2024-07" in err


def test_listing_with_nothing_says_so_on_stderr(cli):
    code, out, err = cli("indicators", "--region", "mars", "--format", "json")
    assert code == 1 and json.loads(out) == [] and err == "vnecon: no indicators match --region 'mars'\n"


def test_nothing_found_on_a_terminal_is_one_line(cli, monkeypatch):
    monkeypatch.setattr("vnecon.cli.support.stdout_is_terminal", lambda: True)
    code, out, err = cli("search", "xyzzy")
    assert code == 1 and out == "" and err == 'vnecon: no facts match "xyzzy"\n'


def test_a_series_shows_its_latest_point_first_and_sources_come_after_answers(tmp_path, capsys):
    """With no period typed, the newest figure of a series leads, whatever the length of each
    point's note; an article that mentions the words ranks after the facts holding answers."""
    from tests.conftest import run_main, write

    text = ('[[source]]\nid = "widget-report-2024"\npublisher = "VNA"\ntitle = "Widget index news"\n'
            'date = "2024-08-01"\nurl = "https://example.org/w"\n\n')
    for month, note in (("2024-05", "widget index " * 3), ("2024-07", "a much longer note " * 20),
                        ("2024-06", "short")):
        text += (f'[[indicator]]\nid = "widget-{month}"\nname = "Widget index"\nperiod = "{month}"\nvalue = 50\n'
                 f'unit = "points"\nbasis = "level"\nsources = ["widget-report-2024"]\nnote = "{note}"\n\n')
    write(tmp_path / "f" / "w.toml", text)
    code, out, _ = run_main(["search", "widget", "index", "--no-bundled", "--facts", str(tmp_path / "f"),
                             "--format", "csv", "--no-cache"], capsys)
    assert code == 0 and ids(out) == ["widget-2024-07", "widget-2024-06", "widget-2024-05", "widget-report-2024"]


def test_latest_first_keeps_series_of_different_units_apart(tmp_path):
    """GDP in USD and GDP in VND are two series: the newest VND point must not take the slot
    a USD point won (the unit was read from the wrong place and every unit looked alike)."""
    from tests.conftest import write
    from vnecon.search.index import memory_index
    from vnecon.search.query import latest_first
    from vnecon.search.refresh import refresh

    src = '[[source]]\nid = "s"\npublisher = "P"\ntitle = "T"\ndate = "2026-01-06"\nurl = "https://e.org"\n\n'
    text = src + "".join(
        f'[[indicator]]\nid = "{fid}"\nname = "GDP"\nperiod = "{p}"\nvalue = 1\nunit = "{u}"\nbasis = "level"\n'
        f'sources = ["s"]\n\n' for fid, p, u in (("usd-2024", "2024", "USD"), ("vnd-2023", "2023", "VND"),
                                                 ("vnd-2025", "2025", "VND")))
    write(tmp_path / "f" / "g.toml", text)
    index = memory_index()
    refresh(index, [("cli", [tmp_path / "f"])])
    rowid = {i: r for r, i in index.db.execute("SELECT rowid, id FROM facts WHERE live")}
    order = [rowid["usd-2024"], rowid["vnd-2023"], rowid["vnd-2025"]]
    by_row = {r: i for i, r in rowid.items()}
    assert [by_row[r] for r in latest_first(index, order)] == ["usd-2024", "vnd-2025", "vnd-2023"]


def test_a_sector_is_a_breakdown_only_beside_the_same_name_without_one():
    """An industry's IIP counts as a part of the IIP when the IIP itself was found (so the total
    ranks first: on the bundled facts 'iip october 2024' gave mining's 67.6 before the total's
    171.9); the PMI's 'manufacturing' or a company's sector, with no such total, counts for nothing."""
    from vnecon.search.order import Row, Want, _total

    def row(kind, title, sector):
        return Row(1, kind, title, "vietnam", "", "", sector, "", "level", "index", "", "", None, 1, 1)

    want = Want(totals=frozenset({"index of industrial production"}))
    assert _total(row("indicator", "index of industrial production", "mining and quarrying"), want) == 1
    assert _total(row("indicator", "index of industrial production", ""), want) == 0
    assert _total(row("indicator", "purchasing managers index", "manufacturing"), want) == 0
    assert _total(row("company", "index of industrial production", "mining"), want) == 0
    assert _total(row("indicator", "index of industrial production", "mining and quarrying"),
                  want._replace(named=frozenset({"mining"}))) == 0
