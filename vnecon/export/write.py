"""Choose the format, check what --force may replace, write beside the target, then rename it into place."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from vnecon.core.errors import UsageError, VneconError, WriteRefused
from vnecon.core.safefile import (
    FileLock,
    remove_stale_temporaries,
    resolve_target,
    what_it_is,
    write_atomic,
    write_bytes_atomic,
)
from vnecon.export.tables import Export, column_help, table_name
from vnecon.load.model import KINDS, PLURALS

EXPORT_FORMATS = ("sqlite", "duckdb", "parquet")
_SUFFIXES = {".db": "sqlite", ".sqlite": "sqlite", ".sqlite3": "sqlite", ".duckdb": "duckdb", ".ddb": "duckdb",
             ".parquet": "parquet"}


_TABLES = ("facts", "fact_sources", *(table_name(k) for k in KINDS))


def export_format(target: Path, fmt: str | None) -> str:
    """--format, or the target's suffix (.db .sqlite .sqlite3, .duckdb, .parquet)."""
    if not target.name or target.name in (".", ".."):
        raise UsageError(f"export needs a file name, not {str(target)!r}")
    if fmt:
        if fmt.lower() not in EXPORT_FORMATS:
            raise UsageError(f"--format: export writes {', '.join(EXPORT_FORMATS)}, not {fmt!r}")
        return fmt.lower()
    found = _SUFFIXES.get(target.suffix.lower())
    if found is None:
        raise UsageError(f"cannot tell the format from {target.name!r}; name it .db, .duckdb or .parquet, "
                         "or add --format sqlite|duckdb|parquet")
    return found


def _earlier_export(path: Path) -> bool:
    """Whether what is at path is an export of ours (or an empty file), which --force may replace.

    An SQLite or DuckDB database with the facts and fact_sources tables, or a
    directory holding only the Parquet files an export writes.  Anything else
    (a directory of the user's, some other database, a text file) is never replaced.
    """
    try:
        st = os.lstat(path)
    except OSError:
        return False
    if stat.S_ISDIR(st.st_mode):
        expected = {f"{t}.parquet" for t in _TABLES}
        try:
            names = {e.name for e in os.scandir(path) if e.is_file(follow_symlinks=False)}
            everything = {e.name for e in os.scandir(path)}
        except OSError:
            return False
        return "facts.parquet" in names and everything == names and names <= expected
    if not stat.S_ISREG(st.st_mode):
        return False
    if st.st_size == 0:
        return True
    with open(path, "rb") as fh:
        head = fh.read(16)
    if head == b"SQLite format 3\x00":
        import sqlite3

        try:
            db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            finally:
                db.close()
        except sqlite3.Error:
            return False
        return {"facts", "fact_sources"} <= names
    if head[8:12] == b"DUCK":
        try:
            import duckdb
        except ImportError:
            return False
        try:
            con = duckdb.connect(str(path), read_only=True)
            try:
                names = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
            finally:
                con.close()
        except duckdb.Error:
            return False
        return {"facts", "fact_sources"} <= names
    return False


def _io_error(e: BaseException) -> str | None:
    """The reason, if e is the disk failing us (full, read-only, I/O) rather than a bug."""
    if isinstance(e, OSError):
        return e.strerror or str(e)
    text = str(e)
    words = ("disk is full", "No space left", "disk I/O error", "Could not write", "Read-only file system",
             "unable to open database file", "File too large", "Disk quota")
    if type(e).__name__ == "IOException" or any(w in text for w in words):  # sqlite3's and DuckDB's wording
        return text.split("\n")[0]
    return None


def write_export(target: Path, build, force: bool) -> None:
    """build(temporary path) writes everything; only then does it replace target (which needs force).

    Under a lock beside the target (concurrent exports to one name take turns, and
    temporaries a killed export left are removed).  A symlink is followed; only an
    earlier export (or nothing) is replaced; a full disk is WriteRefused (exit 74)
    with the old file kept.
    """
    real = Path(os.path.realpath(target))
    if not real.parent.is_dir():
        raise UsageError(f"{target.parent} is not a directory")
    if os.path.lexists(real):
        if not force:
            raise UsageError(f"{target} already exists; add --force to replace it")
        _refuse_unless_export(target, real)
    with FileLock(real.with_name(f".{real.name}.lock"), unlink=True):
        remove_stale_temporaries(real)
        if os.path.lexists(real):  # again, under the lock: another export may have made it meanwhile
            if not force:
                raise UsageError(f"{target} already exists; add --force to replace it")
            _refuse_unless_export(target, real)
        try:
            write_atomic(real, build)
        except (VneconError, KeyboardInterrupt):
            raise
        except Exception as e:
            why = _io_error(e)
            if why is None:
                raise
            raise WriteRefused(f"cannot write {target}: {why}; nothing was changed") from None


def _refuse_unless_export(target: Path, real: Path) -> None:
    st = os.stat(real)
    if not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)):
        raise WriteRefused(f"cannot write {target}: it is {what_it_is(st.st_mode)}, not a regular file; "
                           "nothing was changed")
    if not _earlier_export(real):
        what = "a directory" if stat.S_ISDIR(st.st_mode) else "a file"
        raise WriteRefused(f"{target} is {what} that vnecon did not export; --force replaces only an earlier "
                           "export; nothing was changed")


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
    tables["indicators_latest"] = {"title": "Indicators, latest vintage", "description": "Each figure as last "
                                   "published; the indicators table keeps every vintage", "source": source}
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
    write_export(target, lambda tmp: writer(export, tmp), force)
    if metadata:
        text = json.dumps(datasette_metadata(export, target.stem, layers or []), indent=2, ensure_ascii=False)
        real, st = resolve_target(meta_path)
        with FileLock(real.with_name(f".{real.name}.lock"), unlink=True):
            write_bytes_atomic(real, (text + "\n").encode("utf-8"), st.st_mode & 0o7777 if st else None)
    return fmt, export
