"""The search index: SQLite with an FTS5 table, in memory or cached on disk.

Rows hold each fact as JSON plus folded columns for filters; the FTS5 table
holds folded text in three weighted columns (name, body, source).  The index
is refreshed per file: a file whose path, size or mtime changed is parsed
again and only its rows are replaced.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs ~5 ms at start-up; annotations are strings anyway
if TYPE_CHECKING:
    from typing import Any, Callable, Iterable

import json
import os
import sqlite3
from collections import namedtuple
from pathlib import Path

from vnecon.diagnostics import Diagnostic
from vnecon.errors import FtsUnavailable
from vnecon.model import Fact
from vnecon.periods import parse_date, parse_period
from vnecon.text import fold, phrase

SCHEMA_VERSION = 4

_DDL = """
CREATE TABLE IF NOT EXISTS files(
    path TEXT PRIMARY KEY, layer TEXT, rank INTEGER, size INTEGER, mtime_ns INTEGER,
    diags TEXT, aliases TEXT, mergers TEXT, defines TEXT);
CREATE TABLE IF NOT EXISTS facts(
    rowid INTEGER PRIMARY KEY, id TEXT, kind TEXT, path TEXT, line INTEGER, rank INTEGER,
    live INTEGER DEFAULT 1, data TEXT, refs TEXT,
    name_f TEXT, region_f TEXT, sector_f TEXT, basis TEXT, tags_f TEXT, country_f TEXT,
    type_f TEXT, owner_f TEXT, location_f TEXT, parties_f TEXT, kind2 TEXT,
    pstart TEXT, pend TEXT, title_f TEXT);
CREATE INDEX IF NOT EXISTS facts_id ON facts(id);
CREATE INDEX IF NOT EXISTS facts_path ON facts(path);
CREATE INDEX IF NOT EXISTS facts_kind ON facts(kind, live);
CREATE TABLE IF NOT EXISTS refs(rowid INTEGER, ref TEXT);
CREATE INDEX IF NOT EXISTS refs_ref ON refs(ref);
CREATE TABLE IF NOT EXISTS words(word TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS facts_title ON facts(title_f);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(name, body, notes, source, tokenize='porter unicode61');
"""



def check_fts5() -> None:
    try:
        sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE t USING fts5(a)")
    except sqlite3.OperationalError:
        raise FtsUnavailable(
            f"this Python's SQLite ({sqlite3.sqlite_version}) was built without FTS5, which vnecon "
            "needs for search; use a Python from python.org, your OS packages or pyenv"
        ) from None


def _pad(*parts: Any) -> str:
    """Folded words with a leading space, so LIKE '% word%' matches word starts."""
    text = " ".join(phrase(str(p)) for p in parts if p)
    return f" {text} " if text else ""


def _bars(items: Iterable[str]) -> str:
    items = [phrase(i) for i in items if i]
    return "|" + "|".join(items) + "|" if items else ""


def span_of(f: Fact) -> tuple[str | None, str | None]:
    try:
        if f.kind == "indicator":
            return parse_period(f.data["period"])
        when = f.get("date") or f.get("started")
        return parse_date(when) if when else (None, None)
    except (KeyError, ValueError):
        return None, None


def _refs(f: Fact) -> list[str]:
    refs = list(f.get("sources", []))
    for key in ("owner", "parent"):
        if f.get(key):
            refs.append(f.get(key))
    refs.extend(f.get("parties", []))
    return refs


_PROSE = ("note", "description", "scope", "capacity")


def _flatten(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(_flatten(v) for v in value)
    if isinstance(value, dict):
        return " ".join(_flatten(v) for v in value.values())
    return str(value)


FileState = namedtuple("FileState", "path layer rank size mtime_ns")


class Index:
    """An open index.  Use ``open_index`` to get one that is up to date."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self._names: dict[str, tuple[str, str]] | None = None

    # ---- building -------------------------------------------------------

    def create(self) -> None:
        # Statement by statement: executescript() would commit the caller's transaction.
        for statement in _DDL.split(";"):
            if statement.strip():
                self.db.execute(statement)
        self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def stored_files(self) -> dict[str, tuple[int, int, str, int]]:
        return {p: (s, m, layer, r) for p, s, m, layer, r in
                self.db.execute("SELECT path, size, mtime_ns, layer, rank FROM files")}

    def stale(self, current: list[FileState]) -> tuple[list[FileState], list[str]]:
        """Files to (re)parse and stored paths that are gone."""
        stored = self.stored_files()
        changed = [f for f in current
                   if stored.get(f.path) != (f.size, f.mtime_ns, f.layer, f.rank)]
        names = {f.path for f in current}
        gone = [p for p in stored if p not in names]
        return changed, gone

    def apply(self, changed: list[tuple[FileState, Any]], gone: list[str]) -> None:
        """Replace the rows of changed files and drop gone ones (caller holds a transaction)."""
        db = self.db
        touched_ids: set[str] = set()
        for path in gone + [st.path for st, _ in changed]:
            row = db.execute("SELECT defines FROM files WHERE path = ?", (path,)).fetchone()
            if row and row[0]:
                touched_ids.update(json.loads(row[0]))
            rowids = [r for (r,) in db.execute("SELECT rowid FROM facts WHERE path = ?", (path,))]
            self._delete_rows(rowids)
            db.execute("DELETE FROM files WHERE path = ?", (path,))
        new_rows: list[int] = []
        for st, result in changed:
            defines = [f.id for f in result.facts]
            touched_ids.update(defines)
            db.execute(
                "INSERT INTO files VALUES (?,?,?,?,?,?,?,?,?)",
                (st.path, st.layer, st.rank, st.size, st.mtime_ns,
                 json.dumps([d.to_tuple() for d in result.diagnostics]),
                 json.dumps(result.aliases), json.dumps(result.mergers), json.dumps(defines)),
            )
            for f in result.facts:
                new_rows.append(self._insert_fact(f, st.rank))
        self._recompute_live(touched_ids)
        self._names = None
        # Facts whose text names a changed fact (owner, party, source) need new text.
        dependants = set(new_rows)
        for fid in touched_ids:
            dependants.update(r for (r,) in db.execute("SELECT rowid FROM refs WHERE ref = ?", (fid,)))
        self._index_text(sorted(dependants))

    def _delete_rows(self, rowids: list[int]) -> None:
        for r in rowids:
            self.db.execute("DELETE FROM fts WHERE rowid = ?", (r,))
            self.db.execute("DELETE FROM refs WHERE rowid = ?", (r,))
            self.db.execute("DELETE FROM facts WHERE rowid = ?", (r,))

    def _insert_fact(self, f: Fact, rank: int) -> int:
        d = f.data
        pstart, pend = span_of(f)
        refs = _refs(f)
        names = [d.get("name"), d.get("title"), d.get("name_vi"), *d.get("aliases", [])]
        cur = self.db.execute(
            "INSERT INTO facts(id, kind, path, line, rank, data, refs, name_f, region_f, sector_f, basis,"
            " tags_f, country_f, type_f, owner_f, location_f, parties_f, kind2, pstart, pend, title_f)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                f.id, f.kind, f.path, f.line, rank,
                json.dumps({"data": d, "keys": f.key_lines, "layer": f.layer}, ensure_ascii=False),
                json.dumps(refs),
                _pad(f.id.replace("-", " "), *names),
                phrase(d.get("region") or d.get("location") or ""),
                _pad(d.get("sector")),
                phrase(d.get("basis") or ""),
                _bars(d.get("tags", [])),
                phrase(d.get("country") or ""),
                phrase(d.get("type") or ""),
                _pad(d.get("owner")),
                phrase(d.get("location") or d.get("region") or ""),
                _pad(*d.get("parties", [])),
                phrase(d.get("kind") or d.get("status") or ""),
                pstart, pend,
                phrase(f.title),
            ),
        )
        rowid = cur.lastrowid
        self.db.executemany("INSERT INTO refs VALUES (?, ?)", [(rowid, r) for r in set(refs)])
        return rowid

    def _recompute_live(self, ids: set[str]) -> None:
        """The winner for an id is the latest layer; within a layer, the first row."""
        for fid in ids:
            rows = self.db.execute("SELECT rowid FROM facts WHERE id = ? ORDER BY rank DESC, rowid", (fid,)).fetchall()
            for i, (r,) in enumerate(rows):
                self.db.execute("UPDATE facts SET live = ? WHERE rowid = ?", (int(i == 0), r))

    def names(self) -> dict[str, tuple[str, str]]:
        """id -> (kind, display name) for every live fact, for resolving references."""
        if self._names is None:
            self._names = {}
            for fid, kind, name, data in self.db.execute(
                "SELECT id, kind, name_f, data FROM facts WHERE live AND kind IN ('company', 'source')"
            ):
                d = json.loads(data)["data"]
                label = d.get("name") or f"{d.get('title', '')} {d.get('publisher', '')}"
                self._names[fid] = (kind, f"{label} {' '.join(d.get('aliases', []))}")
        return self._names

    def _index_text(self, rowids: list[int]) -> None:
        names = self.names()
        db = self.db
        words: set[str] = set()
        for r in rowids:
            row = db.execute("SELECT kind, id, data, refs FROM facts WHERE rowid = ?", (r,)).fetchone()
            if row is None:
                continue
            kind, fid, data, refs = row
            d = json.loads(data)["data"]
            name = " ".join(fold(str(d[k])) for k in ("name", "title", "name_vi") if d.get(k))
            name += " " + fold(" ".join(d.get("aliases", []))) + " " + fid.replace("-", " ")
            body_parts = [kind]
            note_parts = []
            source_parts = []
            for key, value in d.items():
                if key in ("name", "title", "name_vi", "aliases", "sources", "url", "document"):
                    continue
                # Long prose gets a column of its own, weighted low, so a long
                # note cannot push a fact below others that merely have none.
                (note_parts if key in _PROSE else body_parts).append(_flatten(value))
            for ref in json.loads(refs):
                target = names.get(ref)
                if target is None:
                    continue
                (source_parts if target[0] == "source" else body_parts).append(target[1])
            body = fold(" ".join(body_parts))
            notes = fold(" ".join(note_parts))
            source = fold(" ".join(source_parts))
            db.execute("DELETE FROM fts WHERE rowid = ?", (r,))
            db.execute("INSERT INTO fts(rowid, name, body, notes, source) VALUES (?,?,?,?,?)",
                       (r, name, body, notes, source))
            words.update(phrase(f"{name} {body} {notes} {source}").split())
        db.executemany("INSERT OR IGNORE INTO words VALUES (?)", ((w,) for w in words if len(w) > 2))

    # ---- reading --------------------------------------------------------

    def diagnostics(self) -> list[Diagnostic]:
        out = []
        for (diags,) in self.db.execute("SELECT diags FROM files ORDER BY rank, path"):
            out.extend(Diagnostic(*t) for t in json.loads(diags))
        return out

    def alias_tables(self) -> tuple[list[list[str]], list[dict[str, str]]]:
        groups: list[list[str]] = []
        mergers: list[dict[str, str]] = []
        for a, m in self.db.execute("SELECT aliases, mergers FROM files ORDER BY rank, path"):
            groups.extend(json.loads(a))
            mergers.extend(json.loads(m))
        return groups, mergers

    def layer_counts(self) -> dict[str, tuple[int, int, int]]:
        """layer -> (files, facts defined, facts in effect after replacement)."""
        out: dict[str, tuple[int, int, int]] = {}
        for layer, files in self.db.execute("SELECT layer, count(*) FROM files GROUP BY layer"):
            out[layer] = (files, 0, 0)
        for layer, n, live in self.db.execute(
            "SELECT files.layer, count(*), sum(facts.live) FROM facts JOIN files ON facts.path = files.path GROUP BY files.layer"
        ):
            out[layer] = (out.get(layer, (0, 0, 0))[0], n, live or 0)
        return out

    def count(self) -> int:
        return self.db.execute("SELECT count(*) FROM facts WHERE live").fetchone()[0]

    def fact_from_row(self, row: tuple) -> Fact:
        fid, kind, path, line, data = row
        payload = json.loads(data)
        keys = {k: tuple(v) for k, v in payload.get("keys", {}).items()}
        return Fact(kind, fid, payload["data"], path, line, payload.get("layer", ""), keys)

    def facts(self, where: str = "1", params: Iterable[Any] = (), order: str = "rowid") -> list[Fact]:
        sql = f"SELECT id, kind, path, line, data FROM facts WHERE live AND ({where}) ORDER BY {order}"
        return [self.fact_from_row(r) for r in self.db.execute(sql, tuple(params))]

    def get(self, fact_id: str) -> Fact | None:
        found = self.facts("id = ?", (fact_id,))
        return found[0] if found else None

    def ids(self) -> list[str]:
        return [r for (r,) in self.db.execute("SELECT id FROM facts WHERE live ORDER BY id")]

    def has_word(self, fts_query: str) -> bool:
        return self.db.execute("SELECT 1 FROM fts WHERE fts MATCH ? LIMIT 1", (fts_query,)).fetchone() is not None

    def vocabulary(self) -> list[str]:
        return [w for (w,) in self.db.execute("SELECT word FROM words")]

    def referencing(self, fact_id: str) -> list[Fact]:
        return self.facts("rowid IN (SELECT rowid FROM refs WHERE ref = ?)", (fact_id,), "kind, id")


# ---- opening, refreshing, caching --------------------------------------


def scan_layers(layers: list[tuple[str, list[Path]]]) -> list[FileState]:
    """Every fact file with its layer, rank, size and mtime (no parsing)."""
    from vnecon.files import display_path, find_files

    states: list[FileState] = []
    seen: set[str] = set()
    for rank, (layer, paths) in enumerate(layers):
        for p in paths:
            for f in find_files(p):
                try:
                    st = f.stat()
                except OSError:
                    st = None
                key = display_path(f)
                if key in seen:
                    continue
                seen.add(key)
                states.append(FileState(key, layer, rank, st.st_size if st else -1, st.st_mtime_ns if st else -1))
    return states


def _parse_many(states: list[FileState], progress: Callable[[int, int], None] | None) -> list[tuple[FileState, Any]]:
    from vnecon.load import parse_file

    out = []
    for i, st in enumerate(states, start=1):
        out.append((st, parse_file(st.path, st.layer)))
        if progress:
            progress(i, len(states))
    return out


def refresh(index: Index, layers: list[tuple[str, list[Path]]], progress: Callable[[int, int], None] | None = None) -> int:
    """Bring the index up to date with the files; return how many files were parsed."""
    states = scan_layers(layers)
    changed, gone = index.stale(states)
    if not changed and not gone:
        return 0
    index.db.execute("BEGIN IMMEDIATE")
    try:
        # Another process may have refreshed while we waited for the lock.
        changed, gone = index.stale(states)
        parsed = _parse_many(changed, progress)
        index.apply(parsed, gone)
        index.db.execute("COMMIT")
    except BaseException:
        index.db.execute("ROLLBACK")
        raise
    return len(changed)


def memory_index() -> Index:
    check_fts5()
    db = sqlite3.connect(":memory:", isolation_level=None)
    index = Index(db)
    index.create()
    return index


def cache_dir() -> Path:
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("vnecon", appauthor=False))


def cache_file(layers: list[tuple[str, list[Path]]]) -> Path:
    import zlib  # hashlib would cost ~4 ms of start-up; a crc is enough to name a file

    key = f"{SCHEMA_VERSION}:" + json.dumps([[name, [str(p.resolve()) for p in paths]] for name, paths in layers])
    digest = f"{zlib.crc32(key.encode()):08x}{len(key):04x}"
    return cache_dir() / f"index-{digest}.sqlite"


def _open_file(path: Path) -> Index:
    db = sqlite3.connect(path, isolation_level=None, timeout=30)
    # Inspect and create under one write lock, so two first runs don't both create.
    db.execute("BEGIN IMMEDIATE")
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        tables = {t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        index = Index(db)
        if version == 0 and not tables:
            index.create()
        elif version != SCHEMA_VERSION or not {"facts", "files", "fts"} <= tables:
            raise sqlite3.DatabaseError("not a vnecon index of this version")
        db.execute("COMMIT")
    except BaseException:
        db.close()
        raise
    return index


def open_index(
    layers: list[tuple[str, list[Path]]],
    use_cache: bool = True,
    progress: Callable[[int, int], None] | None = None,
    warn: Callable[[str], None] | None = None,
) -> Index:
    """An up-to-date index over the layers, cached on disk unless use_cache is false."""
    if not use_cache:
        index = memory_index()
        refresh(index, layers, progress)
        return index
    check_fts5()
    path = cache_file(layers)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        index = _open_file(path)
    except sqlite3.DatabaseError as e:
        if warn:
            warn(f"cache {path} is unreadable ({e}); rebuilding it")
        _remove(path)
        try:
            index = _open_file(path)
        except (sqlite3.Error, OSError):
            index = memory_index()
    except OSError as e:
        if warn:
            warn(f"cannot use cache directory {path.parent} ({e.strerror}); working without a cache")
        index = memory_index()
    try:
        refresh(index, layers, progress)
    except sqlite3.DatabaseError as e:
        if warn:
            warn(f"cache {path} is damaged ({e}); rebuilding it")
        index.db.close()
        _remove(path)
        index = memory_index()
        refresh(index, layers, progress)
    return index


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        try:
            os.unlink(f"{path}{suffix}")
        except OSError:
            pass


def clear_cache() -> list[Path]:
    """Delete every cached index; return what was removed."""
    removed = []
    d = cache_dir()
    if d.is_dir():
        for p in sorted(d.glob("index-*.sqlite*")):
            try:
                p.unlink()
                removed.append(p)
            except OSError:
                pass
    return removed
