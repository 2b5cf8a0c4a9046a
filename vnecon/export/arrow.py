"""Write an Export as Parquet files (one per table) or a DuckDB database, through pyarrow.

Both need the optional `export` extra; without it the user gets one line
naming the extra (MissingExtra), never an ImportError.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from vnecon.core.errors import MissingExtra
from vnecon.export.tables import (
    FACT_COLUMNS,
    LINK_COLUMNS,
    Export,
    kind_columns,
    latest_view_sql,
    table_name,
)
from vnecon.load.model import KINDS


def _need(module: str):
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtra(f"this export needs {module.split('.')[0]}: pip install 'vnecon[export]' (in a checkout: pip install '.[export]')") from None


def _arrow_type(pa, t: str):
    return {"text": pa.string(), "real": pa.float64(), "day": pa.date32(), "list": pa.list_(pa.string()),
            "json": pa.string(), "integer": pa.int64()}[t]


def _cell(v: object, t: str) -> object:
    if v is None:
        return None
    if t == "day":
        return date.fromisoformat(str(v))
    if t == "json":
        return json.dumps(v, ensure_ascii=False)
    if t == "real":
        return float(v)  # type: ignore[arg-type]
    if t == "list":
        return [str(x) for x in v]  # type: ignore[union-attr]
    if t == "integer":
        return int(v)  # type: ignore[call-overload]
    return v


def arrow_tables(export: Export) -> dict[str, object]:
    """table name -> pyarrow.Table, typed: REAL as float64, ISO days as date32, lists as list<string>."""
    pa = _need("pyarrow")
    out = {}

    def table(cols: list[tuple[str, str]], rows: list) -> object:
        schema = pa.schema([(c, _arrow_type(pa, t)) for c, t in cols])
        data = {c: [_cell(r[i], t) for r in rows] for i, (c, t) in enumerate(cols)}
        return pa.Table.from_pydict(data, schema=schema)

    facts: list = []
    links: list = []
    rows: dict[str, list] = {k: [] for k in KINDS}
    for batch in export.batches():  # columnar files are built whole: the batches only bound the Fact objects
        facts += batch.facts
        links += batch.links
        for kind in KINDS:
            cols = kind_columns(kind)
            rows[kind] += [[r.get(c) for c, _ in cols] for r in batch.rows[kind]]
    out["facts"] = table(FACT_COLUMNS, facts)
    for kind in KINDS:
        out[table_name(kind)] = table(kind_columns(kind), rows[kind])
    out["fact_sources"] = table(LINK_COLUMNS, links)
    return out


def write_parquet(export: Export, directory: str) -> None:
    """One Parquet file per table in directory (created here)."""
    tables = arrow_tables(export)
    pq = _need("pyarrow.parquet")
    Path(directory).mkdir()
    for name, t in tables.items():
        pq.write_table(t, str(Path(directory) / f"{name}.parquet"))


_DUCK = {"text": "VARCHAR", "real": "DOUBLE", "day": "DATE", "list": "VARCHAR[]", "json": "VARCHAR",
         "integer": "BIGINT"}


def write_duckdb(export: Export, path: str) -> None:
    """A DuckDB database with the same tables, keys and views as the SQLite export (no full-text index)."""
    duckdb = _need("duckdb")
    tables = arrow_tables(export)
    con = duckdb.connect(path)
    try:
        def create(name: str, cols: list[tuple[str, str]], extra: str = "") -> None:
            spec = ", ".join(f'"{c}" {_DUCK[t]}' + (" PRIMARY KEY" if c == "id" else "") for c, t in cols)
            con.execute(f"CREATE TABLE {name} ({spec}{extra})")
            con.register("incoming", tables[name])
            con.execute(f"INSERT INTO {name} SELECT * FROM incoming")
            con.unregister("incoming")

        create("facts", FACT_COLUMNS)
        for kind in ("source",) + tuple(k for k in KINDS if k != "source"):
            create(table_name(kind), kind_columns(kind), ", FOREIGN KEY (id) REFERENCES facts(id)")
        create("fact_sources", LINK_COLUMNS, ", PRIMARY KEY (fact_id, position), "
               "FOREIGN KEY (fact_id) REFERENCES facts(id), FOREIGN KEY (source_id) REFERENCES sources(id)")
        for kind in KINDS:
            if kind == "source":
                continue
            t = table_name(kind)
            con.execute(
                f"CREATE VIEW {t}_with_source AS SELECT {t}.*, s.id AS source_id, s.publisher AS source_publisher, "
                f"s.title AS source_title, s.date AS source_date, s.url AS source_url FROM {t} "
                f"LEFT JOIN fact_sources fs ON fs.fact_id = {t}.id AND fs.position = "
                f"(SELECT min(position) FROM fact_sources WHERE fact_id = {t}.id) "
                f"LEFT JOIN sources s ON s.id = fs.source_id")
        con.execute(latest_view_sql())
        # Into the database file now, where a full disk raises; DuckDB's close() would leave it in the WAL.
        con.execute("CHECKPOINT")
    finally:
        con.close()
    wal = Path(f"{path}.wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise OSError(28, "the database could not be completed (its write-ahead log was not merged)")
