"""Revisions and vintages: two values for one observation are a revision when their sources'
dates order them, a conflict when nothing does (docs/schema.md, "Revisions and vintages")."""

from __future__ import annotations

from tests.conftest import write
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
