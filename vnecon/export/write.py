"""Choose the format, write to a temporary path beside the target, then rename it into place."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from vnecon.core.errors import UsageError
from vnecon.export.tables import Export, column_help, table_name
from vnecon.load.model import KINDS, PLURALS

EXPORT_FORMATS = ("sqlite", "duckdb", "parquet")
_SUFFIXES = {".db": "sqlite", ".sqlite": "sqlite", ".sqlite3": "sqlite", ".duckdb": "duckdb", ".ddb": "duckdb",
             ".parquet": "parquet"}


def export_format(target: Path, fmt: str | None) -> str:
    """--format, or the target's suffix (.db .sqlite .sqlite3, .duckdb, .parquet)."""
    if fmt:
        if fmt.lower() not in EXPORT_FORMATS:
            raise UsageError(f"--format: export writes {', '.join(EXPORT_FORMATS)}, not {fmt!r}")
        return fmt.lower()
    found = _SUFFIXES.get(target.suffix.lower())
    if found is None:
        raise UsageError(f"cannot tell the format from {target.name!r}; name it .db, .duckdb or .parquet, "
                         "or add --format sqlite|duckdb|parquet")
    return found


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            path.unlink()
        except FileNotFoundError:
            pass


def write_atomic(target: Path, build, force: bool) -> None:
    """build(temporary path) writes everything; only then does it replace target (which needs force)."""
    if target.exists() and not force:
        raise UsageError(f"{target} already exists; add --force to replace it")
    if not target.parent.is_dir():
        raise UsageError(f"{target.parent} is not a directory")
    tmp = target.with_name(f".{target.name}.tmp-{os.getpid()}")
    _remove(tmp)
    try:
        build(str(tmp))
        if target.is_dir() and not target.is_symlink():  # a Parquet directory: move the old one aside first
            old = target.with_name(f".{target.name}.old-{os.getpid()}")
            os.replace(target, old)
            os.replace(tmp, target)
            _remove(old)
        else:
            if tmp.is_dir() and target.exists():
                target.unlink()
            os.replace(tmp, target)
    finally:
        _remove(tmp)  # an interrupted or failed export leaves no half file


def datasette_metadata(export: Export, db_name: str, layers: list[str]) -> dict:
    """metadata.json for `datasette DB -m metadata.json`: titles, descriptions, each table's source."""
    source = "vnecon fact files, layers: " + ", ".join(layers) if layers else "vnecon fact files"
    tables: dict[str, dict] = {
        "facts": {"title": "Every fact", "description": "One row per fact of any kind; full-text search over "
                  "every field's words, folded as vnecon folds them (search_text: 'dong van', 'hanoi')", "source": source, "fts_table": "facts_fts", "fts_pk": "rowid"},
        "fact_sources": {"title": "Citations", "description": "Which sources each fact cites, in order "
                         "(position 0 is the first cited)", "source": source},
    }
    for kind in KINDS:
        tables[table_name(kind)] = {
            "title": PLURALS[kind].capitalize(),
            "description": f"One row per {kind}, typed: numbers as REAL, periods and dates with ISO "
                           "_start/_end days, lists as JSON text",
            "source": source, "columns": {c: h for c, h in column_help(kind).items() if h},
        }
        if kind != "source":
            tables[f"{table_name(kind)}_with_source"] = {
                "title": f"{PLURALS[kind].capitalize()} with their first source", "source": source}
    return {"title": "vnecon: cited facts about Vietnam's economy",
            "description": "Exported by vnecon export; every fact cites its sources.",
            "source": source, "databases": {db_name: {"tables": tables}}}


def export_facts(index, target: Path, fmt: str | None = None, force: bool = False,
                 metadata: bool = False, layers: list[str] | None = None) -> tuple[str, Export]:
    """Write every live fact of the index to target in the chosen format; return (format, what was written)."""
    fmt = export_format(target, fmt)
    if metadata and fmt != "sqlite":
        raise UsageError("--datasette-metadata goes with an SQLite export (datasette reads SQLite)")
    meta_path = target.with_name("metadata.json")
    if metadata and meta_path.exists() and not force:
        raise UsageError(f"{meta_path} already exists; add --force to replace it")
    if fmt != "sqlite":  # say which extra is missing before any work
        from vnecon.export.arrow import _need

        _need("pyarrow")
        if fmt == "duckdb":
            _need("duckdb")
    export = Export(index)
    if fmt == "sqlite":
        from vnecon.export.sqlite import write_sqlite as writer
    elif fmt == "duckdb":
        from vnecon.export.arrow import write_duckdb as writer
    else:
        from vnecon.export.arrow import write_parquet as writer
    write_atomic(target, lambda tmp: writer(export, tmp), force)
    if metadata:
        text = json.dumps(datasette_metadata(export, target.stem, layers or []), indent=2, ensure_ascii=False)
        write_atomic(meta_path, lambda tmp: Path(tmp).write_text(text + "\n", encoding="utf-8"), True)
    return fmt, export
