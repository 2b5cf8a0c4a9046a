"""Write an Export as a typed SQLite database: tables, foreign keys, views, FTS5."""

from __future__ import annotations

import json
import sqlite3

from vnecon.export.tables import (
    FACT_COLUMNS,
    Export,
    kind_columns,
    latest_view_sql,
    table_name,
)
from vnecon.load.model import KINDS

_SQL_TYPES = {"text": "TEXT", "real": "REAL", "day": "TEXT", "list": "TEXT", "json": "TEXT", "integer": "INTEGER"}


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _value(v: object, type_: str) -> object:
    if v is None:
        return None
    if type_ in ("list", "json"):
        return json.dumps(v, ensure_ascii=False)
    if type_ == "real":
        return float(v)  # type: ignore[arg-type]
    return v


def ddl() -> list[str]:
    """The statements that create every table, view and index (FTS5 is filled afterwards)."""
    out = [
        "CREATE TABLE facts (" + ", ".join(
            f"{_q(c)} {_SQL_TYPES[t]}" + (" PRIMARY KEY" if c == "id" else " NOT NULL" if c == "kind" else "")
            for c, t in FACT_COLUMNS) + ")",
    ]
    for kind in ("source",) + tuple(k for k in KINDS if k != "source"):
        cols = [f"{_q(c)} {_SQL_TYPES[t]}" + (" PRIMARY KEY REFERENCES facts(id)" if c == "id" else "")
                for c, t in kind_columns(kind)]
        out.append(f"CREATE TABLE {table_name(kind)} ({', '.join(cols)})")
    out.append("CREATE TABLE fact_sources (fact_id TEXT NOT NULL REFERENCES facts(id), "
               "source_id TEXT NOT NULL REFERENCES sources(id), position INTEGER NOT NULL, "
               "PRIMARY KEY (fact_id, position))")
    out.append("CREATE INDEX fact_sources_source ON fact_sources(source_id)")
    for kind in KINDS:
        if kind == "source":
            continue
        t = table_name(kind)
        out.append(
            f"CREATE VIEW {t}_with_source AS SELECT {t}.*, s.id AS source_id, s.publisher AS source_publisher, "
            f"s.title AS source_title, s.date AS source_date, s.url AS source_url FROM {t} "
            f"LEFT JOIN fact_sources fs ON fs.fact_id = {t}.id AND fs.position = "
            f"(SELECT min(position) FROM fact_sources WHERE fact_id = {t}.id) "
            f"LEFT JOIN sources s ON s.id = fs.source_id")
    out.append(latest_view_sql())
    # search_text holds the folded words vnecon itself searches ('dong van', 'hanoi' for Hà Nội):
    # remove_diacritics alone keeps đ, and knows no other spellings.  porter: 'exports' finds 'export'.
    out.append("CREATE VIRTUAL TABLE facts_fts USING fts5(name, name_vi, note, search_text, content=\"facts\", "
               "tokenize='porter unicode61 remove_diacritics 2')")
    return out


def write_sqlite(export: Export, path: str) -> None:
    """Write the whole export into a new SQLite file at path (which must not exist)."""
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("PRAGMA journal_mode = OFF")  # a temporary file: renamed into place only when complete
        db.execute("PRAGMA synchronous = OFF")
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("BEGIN")
        for stmt in ddl():
            db.execute(stmt)
        inserts = {kind: ((f"INSERT INTO {table_name(kind)} ({', '.join(_q(c) for c, _ in kind_columns(kind))}) "
                           f"VALUES ({','.join('?' * len(kind_columns(kind)))})"), kind_columns(kind))
                   for kind in KINDS}
        for batch in export.batches():
            db.executemany(f"INSERT INTO facts VALUES ({','.join('?' * len(FACT_COLUMNS))})", batch.facts)
            for kind, (sql, cols) in inserts.items():
                if batch.rows[kind]:
                    db.executemany(sql, ([_value(r.get(c), t) for c, t in cols] for r in batch.rows[kind]))
            db.executemany("INSERT INTO fact_sources VALUES (?, ?, ?)", batch.links)
        db.execute("INSERT INTO facts_fts(facts_fts) VALUES ('rebuild')")
        db.execute("COMMIT")
        db.execute("PRAGMA journal_mode = DELETE")
    finally:
        db.close()
