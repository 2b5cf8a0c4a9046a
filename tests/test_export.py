"""`vnecon export`: typed SQLite, DuckDB and Parquet, opened with their own libraries."""

from __future__ import annotations

import json
import sqlite3
import sys

import pytest

from conftest import write

TRICKY = 'He said "yes", then \'no\';\nsecond line\r\nbell \x07 esc \x1b[31m tab\t=HYPERLINK("http://x","y")'

EXTRA = '''
[[indicator]]
id = "tricky"
name = "=HYPERLINK(\\"http://x\\",\\"y\\")"
period = "2024-Q3"
value = 3
unit = "%"
basis = "yoy"
sources = ["src-hanoi", "src-briefing"]
note = {note}
'''


@pytest.fixture
def tricky(facts_dir):
    write(facts_dir / "tricky.toml", EXTRA.format(note=json.dumps(TRICKY)))
    return facts_dir


COUNTS = {"indicators": 8, "companies": 2, "projects": 1, "partnerships": 1, "sources": 2}


def test_sqlite_export_is_typed_linked_and_searchable(cli, tricky, tmp_path):
    code, out, err = cli("export", "out.db")
    assert code == 0 and out == "" and "wrote out.db (sqlite): 14 facts" in err
    db = sqlite3.connect(tmp_path / "out.db")
    for table, n in COUNTS.items():
        assert db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == n
    assert db.execute("SELECT count(*) FROM facts").fetchone()[0] == 14
    row = db.execute("SELECT value, typeof(value), period, period_start, period_end, note, name FROM indicators "
                     "WHERE id = 'tricky'").fetchone()
    assert row == (3.0, "real", "2024-Q3", "2024-07-01", "2024-09-30", TRICKY, '=HYPERLINK("http://x","y")')
    assert db.execute("SELECT typeof(value) FROM indicators WHERE id = 'hn-exports-2024-h1'").fetchone() == ("real",)
    assert json.loads(db.execute("SELECT investments FROM projects").fetchone()[0])[0]["amount"] == 60_000_000
    assert db.execute("SELECT investment_total, investment_currency FROM projects").fetchone() == (9e7, "USD")
    # citations: in order, with foreign keys that hold
    assert db.execute("SELECT source_id FROM fact_sources WHERE fact_id = 'tricky' ORDER BY position").fetchall() \
        == [("src-hanoi",), ("src-briefing",)]
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    fks = {(r[2], r[3]) for r in db.execute("PRAGMA foreign_key_list(fact_sources)")}
    assert fks == {("facts", "fact_id"), ("sources", "source_id")}
    db.execute("PRAGMA foreign_keys = ON")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO fact_sources VALUES ('tricky', 'no-such-source', 9)")
    # a view joins each fact to its first source; FTS5 finds names and notes, diacritics folded
    assert db.execute("SELECT source_publisher, source_date FROM indicators_with_source WHERE id = 'tricky'"
                      ).fetchone() == ("Viet Nam News", "2024-07-29")
    found = db.execute("SELECT facts.id FROM facts_fts JOIN facts ON facts.rowid = facts_fts.rowid "
                       "WHERE facts_fts MATCH 'chi so nha quan tri'").fetchall()
    assert found == [("vn-pmi-2024-07",)]


def test_export_honours_layers(cli, facts_dir, tmp_path):
    other = tmp_path / "other"
    write(other / "x.toml", '[[source]]\nid = "only-here"\npublisher = "P"\ntitle = "T"\ndate = "2025"\n')
    code, _, _ = cli("export", "a.db", "--facts", str(other))
    db = sqlite3.connect(tmp_path / "a.db")
    assert db.execute("SELECT count(*) FROM facts").fetchone()[0] == 14
    assert db.execute("SELECT date_start, date_end FROM sources WHERE id = 'only-here'").fetchone() == \
        ("2025-01-01", "2025-12-31")


def test_existing_file_needs_force_and_a_failed_export_leaves_nothing(cli, tmp_path, monkeypatch):
    assert cli("export", "out.db")[0] == 0
    before = (tmp_path / "out.db").read_bytes()
    code, _, err = cli("export", "out.db")
    assert code == 2 and "already exists; add --force" in err and (tmp_path / "out.db").read_bytes() == before

    import vnecon.export.sqlite as s

    def broken(export, path):
        open(path, "w").write("half")
        raise KeyboardInterrupt

    with monkeypatch.context() as m:
        m.setattr(s, "write_sqlite", broken)
        code, _, _ = cli("export", "out.db", "--force")
    assert code == 130 and (tmp_path / "out.db").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".out")) == []
    code, _, _ = cli("export", "out.db", "--force")
    assert code == 0 and sqlite3.connect(tmp_path / "out.db").execute("SELECT count(*) FROM facts").fetchone() == (13,)


def test_bad_target_or_format_is_a_usage_error(cli):
    assert cli("export", "facts.csv")[0] == 2
    code, _, err = cli("export", "x.db", "--format", "xlsx")
    assert code == 2 and "sqlite, duckdb, parquet" in err
    code, _, err = cli("export", "x.parquet", "--datasette-metadata")
    assert code == 2 and "SQLite" in err


def test_datasette_metadata(cli, tmp_path):
    code, _, err = cli("export", "facts.db", "--datasette-metadata")
    meta = json.loads((tmp_path / "metadata.json").read_text())
    tables = meta["databases"]["facts"]["tables"]
    assert set(COUNTS) <= set(tables) and tables["facts"]["fts_table"] == "facts_fts"
    assert "vnecon fact files" in tables["indicators"]["source"]
    assert tables["indicators"]["columns"]["period_start"] == "first day of period"


def test_duckdb_export(cli, tricky, tmp_path):
    duckdb = pytest.importorskip("duckdb")
    code, _, err = cli("export", "out.duckdb")
    assert code == 0, err
    con = duckdb.connect(str(tmp_path / "out.duckdb"), read_only=True)
    for table, n in COUNTS.items():
        assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == n
    types = dict(con.execute("SELECT column_name, data_type FROM information_schema.columns "
                             "WHERE table_name = 'indicators'").fetchall())
    assert types["value"] == "DOUBLE" and types["period_start"] == "DATE" and types["sources"] == "VARCHAR[]"
    note, start, sources = con.execute("SELECT note, period_start, sources FROM indicators WHERE id = 'tricky'"
                                       ).fetchone()
    assert note == TRICKY and str(start) == "2024-07-01" and sources == ["src-hanoi", "src-briefing"]
    assert con.execute("SELECT source_publisher FROM indicators_with_source WHERE id = 'tricky'").fetchone() == \
        ("Viet Nam News",)
    with pytest.raises(duckdb.ConstraintException):
        con.close()
        con = duckdb.connect(str(tmp_path / "out.duckdb"))
        con.execute("INSERT INTO fact_sources VALUES ('tricky', 'no-such-source', 9)")


def test_parquet_export(cli, tricky, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    code, _, err = cli("export", "out.parquet")
    assert code == 0, err
    files = sorted(p.name for p in (tmp_path / "out.parquet").iterdir())
    assert files == sorted(f"{t}.parquet" for t in [*COUNTS, "facts", "fact_sources"])
    t = pq.read_table(tmp_path / "out.parquet" / "indicators.parquet")
    assert t.num_rows == 8
    assert str(t.schema.field("value").type) == "double" and str(t.schema.field("period_end").type) == "date32[day]"
    row = [r for r in t.to_pylist() if r["id"] == "tricky"][0]
    assert row["note"] == TRICKY and row["sources"] == ["src-hanoi", "src-briefing"]
    code, _, _ = cli("export", "out.parquet", "--force")  # a directory is replaced whole
    assert code == 0 and sorted(p.name for p in (tmp_path / "out.parquet").iterdir()) == files


def test_missing_extra_is_one_line_naming_it(cli, monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "duckdb", None)  # import duckdb now raises ImportError
    code, out, err = cli("export", "out.duckdb")
    assert code == 2 and err.strip() == "vnecon: error: this export needs duckdb: pip install 'vnecon[export]' (in a checkout: pip install '.[export]')"
    assert not (tmp_path / "out.duckdb").exists()


def test_a_citation_of_a_missing_source_is_left_out_and_said(cli, facts_dir, tmp_path):
    write(facts_dir / "bad.toml", '[[indicator]]\nid = "orphan"\nname = "X"\nperiod = "2024"\nvalue = 1\n'
                                  'unit = "%"\nbasis = "yoy"\nsources = ["no-such-source", "src-hanoi"]\n')
    code, _, err = cli("export", "out.db")
    assert code == 0 and "1 citation(s) name sources that do not exist" in err
    db = sqlite3.connect(tmp_path / "out.db")
    assert db.execute("SELECT source_id, position FROM fact_sources WHERE fact_id = 'orphan'").fetchall() == \
        [("src-hanoi", 1)]
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("SELECT source_publisher FROM indicators_with_source WHERE id = 'orphan'").fetchone() == \
        ("Viet Nam News",)  # the first source that exists


def test_the_export_search_finds_what_vnecon_finds(tmp_path, cli):
    """sqlite-utils and datasette search facts_fts: 'dong van' (đ folded) and 'hanoi exports' (another
    spelling of Hà Nội, a plural) find what `vnecon search` finds."""
    import sqlite3

    code, _, err = cli("export", str(tmp_path / "f.db"))
    assert code == 0, err
    db = sqlite3.connect(tmp_path / "f.db")

    def search(q):
        return {i for (i,) in db.execute("SELECT facts.id FROM facts_fts JOIN facts ON facts.rowid = "
                                         "facts_fts.rowid WHERE facts_fts MATCH ?", (q,))}

    assert search("dong van") == {"neweb-plant"}  # site "Đồng Văn III Industrial Park"
    assert "hn-exports-2024-h1" in search("hanoi exports")
    _, out, _ = cli("search", "hanoi", "exports", "--format", "csv", "--fields", "id")
    assert "hn-exports-2024-h1" in out.split()
