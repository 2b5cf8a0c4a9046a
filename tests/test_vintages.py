"""Revisions and vintages: two values for one observation are a revision when their sources'
dates order them, a conflict when nothing does (docs/schema.md, "Revisions and vintages")."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.conftest import run_main, write
from vnecon.load.loader import load_paths


def src(sid: str, date: str, url: bool = True) -> str:
    return (f'[[source]]\nid = "{sid}"\npublisher = "VNA"\ntitle = "T {sid}"\ndate = "{date}"\n'
            + (f'url = "https://example.org/{sid}"\n' if url else "") + "\n")


def gdp(fid: str, value: float, source: str, extra: str = "", unit: str = "%") -> str:
    return (f'[[indicator]]\nid = "{fid}"\nname = "Gross Domestic Product"\nperiod = "2024-Q2"\nvalue = {value}\n'
            f'unit = "{unit}"\nbasis = "yoy"\nsources = ["{source}"]\n{extra}\n')


def diagnostics(tmp_path, text: str) -> list[tuple[str, str]]:
    write(tmp_path / "d" / "f.toml", text)
    return [(d.severity, d.message) for d in load_paths([tmp_path / "d"]).diagnostics]


def test_a_later_source_makes_a_revision_not_a_conflict(tmp_path):
    text = src("a", "2024-06-29") + src("b", "2025-01-06") + gdp("q2", 6.93, "a") + gdp("q2-rev", 7.25, "b")
    assert diagnostics(tmp_path, text) == []


def test_two_values_published_the_same_day_are_a_conflict(tmp_path):
    text = src("a", "2024-06-29") + src("b", "2024-06-29") + gdp("q2", 6.93, "a") + gdp("q2-b", 7.25, "b")
    (diag,) = diagnostics(tmp_path, text)
    assert diag[0] == "warning" and "'q2'" in diag[1] and 'revises = \'q2\'' in diag[1]


def test_a_month_and_a_day_of_that_month_cannot_be_ordered(tmp_path):
    text = src("a", "2019-12") + src("b", "2019-12-13") + gdp("x", 7.9, "a") + gdp("y", 7.8, "b")
    assert [s for s, _ in diagnostics(tmp_path, text)] == ["warning"]


def test_revises_settles_what_the_dates_cannot(tmp_path):
    text = (src("a", "2024-06-29") + src("b", "2024-06-29") + gdp("q2", 6.93, "a")
            + gdp("q2-rev", 7.25, "b", 'revises = "q2"'))
    assert diagnostics(tmp_path, text) == []


def test_a_kept_disagreement_explained_in_a_note_is_a_note(tmp_path):
    text = (src("a", "2024-06-29") + src("b", "2024-06-29") + gdp("q2", 6.93, "a")
            + gdp("q2-b", 7.25, "b", 'note = "Customs tally; differs from the GSO figure (q2)."'))
    assert [s for s, _ in diagnostics(tmp_path, text)] == ["note"]


def test_revises_must_name_the_same_observation(tmp_path):
    text = src("a", "2024-06-29") + gdp("q2", 6.93, "a", 'revises = "nope"')
    assert diagnostics(tmp_path, text) == [("error", "revises: no indicator with id 'nope'")]
    text = src("a", "2024-06-29") + gdp("q2", 6.93, "a") + gdp("usd", 1e9, "a", 'revises = "q2"', unit="USD")
    assert [s for s, _ in diagnostics(tmp_path, text)] == ["warning"]


def test_different_units_are_different_observations(tmp_path):
    """GDP in VND and in USD share a name, period and basis but are not a conflict."""
    text = src("a", "2025-01-06") + gdp("vnd", 1.15e16, "a", unit="VND") + gdp("usd", 4.76e11, "a", unit="USD")
    assert diagnostics(tmp_path, text) == []


def test_a_source_a_reader_cannot_follow_is_a_warning(tmp_path):
    text = src("a", "2025-01-06", url=False).replace('publisher = "VNA"', 'publisher = "unknown"')
    assert diagnostics(tmp_path, text) == [
        ("warning", "source has no url: a reader cannot follow it to the page"),
        ("warning", "source has an unknown publisher: name the outlet")]


# ---- what queries see ---------------------------------------------------------------------------

THREE = (src("first", "2024-06-29") + src("second", "2024-09-29") + src("third", "2025-01-06")
         + gdp("q2", 6.93, "first") + gdp("q2-rev", 7.09, "second") + gdp("q2-rev2", 7.25, "third"))


@pytest.fixture
def vq(tmp_path, capsys):
    write(tmp_path / "v" / "gdp.toml", THREE)

    def run(*args):
        return run_main([*args, "--no-bundled", "--facts", str(tmp_path / "v"), "--no-cache"], capsys)
    return run


def rows(out: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(out)))


def test_listings_and_search_show_the_latest_vintage_marked_revised(vq):
    code, out, _ = vq("indicators", "--format", "csv", "--fields", "id,value,vintage_date,revised")
    assert code == 0 and rows(out) == [{"id": "q2-rev2", "value": "7.25", "vintage_date": "2025-01-06",
                                        "revised": "true"}]
    code, out, _ = vq("search", "gross", "domestic", "product", "--format", "csv", "--fields", "id")
    assert [r["id"] for r in rows(out)] == ["q2-rev2"]


def test_all_vintages_lists_every_one(vq):
    _, out, _ = vq("indicators", "--all-vintages", "--format", "csv", "--fields", "id,revised")
    assert {r["id"]: r["revised"] for r in rows(out)} == {"q2": "false", "q2-rev": "false", "q2-rev2": "true"}


@pytest.mark.parametrize("as_of,expected", [
    ("2024-05-31", []),              # before the first estimate: nothing was known
    ("2024-07", ["q2"]),             # a month: its last day; only the first estimate
    ("October 2024", ["q2-rev"]),    # between the second and third
    ("2025-12-31", ["q2-rev2"]),     # after all of them
])
def test_as_of_answers_with_what_was_published_by_then(vq, as_of, expected):
    code, out, _ = vq("indicators", "--as-of", as_of, "--format", "csv", "--fields", "id")
    assert [r["id"] for r in rows(out)] == expected and code == (0 if expected else 1)


def test_as_of_that_is_not_a_date_is_a_usage_error(vq):
    code, _, err = vq("indicators", "--as-of", "someday")
    assert code == 2 and "--as-of" in err


def test_a_table_marks_the_revised_figure_and_explains_the_mark(vq):
    _, out, _ = vq("indicators", "--format", "table")
    assert "+7.25% r" in out and "r revised: an earlier published value differs" in out


def test_show_lists_every_vintage_with_its_revision(vq):
    code, out, _ = vq("show", "q2", "--no-color")
    history = out.split("Vintages (first published first)")[1]
    assert code == 0 and [line.split()[0] for line in history.strip().splitlines()] == ["q2", "q2-rev", "q2-rev2"]
    assert "published 2024-09-29  (revised +0.16 pp)" in history
    _, out, _ = vq("show", "q2-rev2", "--format", "json")
    assert [v["id"] for v in json.loads(out)["vintages"]] == ["q2", "q2-rev", "q2-rev2"]


def test_a_same_day_disagreement_shows_both(tmp_path, capsys):
    write(tmp_path / "c" / "f.toml", src("a", "2024-06-29") + src("b", "2024-06-29") + gdp("x", 6.93, "a")
          + gdp("y", 7.25, "b"))
    _, out, _ = run_main(["indicators", "--format", "csv", "--no-bundled", "--facts", str(tmp_path / "c"),
                          "--no-cache"], capsys)
    assert sorted(r["id"] for r in rows(out)) == ["x", "y"]


def test_a_revision_dated_before_what_it_revises_is_an_error(tmp_path):
    text = (src("a", "2024-06-29") + src("b", "2025-01-06") + gdp("q2", 6.93, "b")
            + gdp("q2-rev", 7.25, "a", 'revises = "q2"'))
    assert [s for s, m in diagnostics(tmp_path, text) if "published later" in m] == ["error"]


def test_export_keeps_every_vintage_and_a_view_of_the_latest(vq, tmp_path):
    import sqlite3

    code, _, _ = vq("export", str(tmp_path / "v.db"))
    db = sqlite3.connect(tmp_path / "v.db")
    assert code == 0 and db.execute("SELECT count(*) FROM indicators").fetchone() == (3,)
    assert db.execute("SELECT id, vintage_date, revised FROM indicators_latest").fetchall() == [
        ("q2-rev2", "2025-01-06", 1)]
    code, _, _ = vq("export", str(tmp_path / "old.db"), "--as-of", "2024-10-31")
    db = sqlite3.connect(tmp_path / "old.db")
    assert sorted(r[0] for r in db.execute("SELECT id FROM indicators")) == ["q2", "q2-rev"]
    assert db.execute("SELECT id FROM indicators_latest").fetchall() == [("q2-rev",)]


def test_series_vintages_sets_the_first_estimate_against_the_latest(vq):
    code, out, _ = vq("series", "gross", "domestic", "product", "--vintages", "--format", "csv")
    (row,) = rows(out)
    assert code == 0 and (row["period"], row["first"], row["first_date"], row["latest"], row["latest_date"],
                          row["revision"], row["revision_unit"], row["vintages"]) == (
        "2024-Q2", "6.93", "2024-06-29", "7.25", "2025-01-06", "0.32", "pp", "3")
    _, out, _ = vq("series", "gross", "domestic", "product", "--vintages", "--format", "table")
    assert "+6.93% (2024-06-29)" in out and "+7.25% (2025-01-06)" in out and "+0.32 pp" in out
    code, _, err = vq("series", "gross", "domestic", "product", "--vintages", "--wide")
    assert code == 2 and "--vintages" in err


def test_the_cached_index_follows_vintages_added_removed_and_redated(tmp_path, capsys, monkeypatch):
    """An edit recomputes only what it can change, and that must be enough: a new vintage in
    another file supersedes, its removal restores, a source re-dated reorders."""
    import os

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    d = tmp_path / "inc"
    write(d / "a.toml", src("first", "2024-06-29") + gdp("q2", 6.93, "first"))

    def latest() -> list[tuple[str, str]]:
        code, out, _ = run_main(["indicators", "--format", "csv", "--fields", "id,revised", "--no-bundled",
                                 "--facts", str(d)], capsys)
        return [(r["id"], r["revised"]) for r in rows(out)]

    assert latest() == [("q2", "false")]
    write(d / "b.toml", src("second", "2025-01-06") + gdp("q2-rev", 7.25, "second"))
    assert latest() == [("q2-rev", "true")]
    # the first source re-dated after the second: the first figure is now the later one
    write(d / "a.toml", src("first", "2025-06-30") + gdp("q2", 6.93, "first"))
    os.utime(d / "a.toml", ns=(1, 1))  # a changed inode time is enough for the cache to notice
    assert latest() == [("q2", "true")]
    (d / "b.toml").unlink()
    assert latest() == [("q2", "false")]


def test_series_vintages_chart_draws_first_and_latest_as_two_lines(tmp_path, capsys):
    pytest.importorskip("plotext")
    write(tmp_path / "c" / "g.toml", src("a", "2024-06-29") + src("b", "2025-01-06")
          + gdp("q2", 6.93, "a") + gdp("q2-rev", 7.25, "b")
          + gdp("q3", 7.4, "a").replace('"2024-Q2"', '"2024-Q3"')
          + gdp("q3-rev", 7.43, "b").replace('"2024-Q2"', '"2024-Q3"'))
    code, out, _ = run_main(["series", "gross", "domestic", "product", "--vintages", "--chart", "--no-bundled",
                             "--facts", str(tmp_path / "c"), "--no-cache"], capsys)
    assert code == 0 and "Vietnam, first published" in out and "Vietnam, latest" in out
