"""The SQLite/FTS5 index: its storage (index), files turned into rows (build),
keeping it fresh and cached (refresh), aliases, and the queries themselves.

May import vnecon.core and vnecon.load, never output, authoring or cli.
The query path stays free of Typer, Rich and tomllib (tests/test_fast.py).
"""
