"""`vnecon export`: facts as a typed SQLite database, a DuckDB database or Parquet files.

May import vnecon.core, vnecon.load and vnecon.search; never the CLI, Typer
or Rich.  duckdb and pyarrow (the `export` extra) are imported only inside
the functions that write those formats.
"""
