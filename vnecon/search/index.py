"""The search index: SQLite with an FTS5 table, in memory or cached on disk.

Rows hold each fact as JSON plus folded columns for filters; the FTS5 table
holds folded text in weighted columns (name, body, notes) and, in `source`, a
token for each fact it refers to (build.ref_token).  This module stores and
reads; ``refresh`` brings an index up to date with the files and ``build``
turns files into rows, so the index never calls back into either.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs ~5 ms at start-up; annotations are strings anyway
if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import Any

import json
import os
import sqlite3
import zlib
from collections import namedtuple
from pathlib import Path

from vnecon.core.diagnostics import Diagnostic
from vnecon.core.errors import FtsUnavailable
from vnecon.load.model import SQL_FILTERS, Fact, column_of
from vnecon.load.resolve import Vintage, known_from, resolve

_DDL = """
CREATE TABLE IF NOT EXISTS files(
    path TEXT PRIMARY KEY, layer TEXT, rank INTEGER, size INTEGER, mtime_ns INTEGER, ctime_ns INTEGER, ino INTEGER,
    diags TEXT, aliases TEXT, mergers TEXT, calendar TEXT);
CREATE TABLE IF NOT EXISTS facts(
    rowid INTEGER PRIMARY KEY, id TEXT, kind TEXT, path TEXT, line INTEGER, rank INTEGER,
    live INTEGER DEFAULT 1, bad INTEGER DEFAULT 0, data TEXT,
    {filter_columns}, pstart TEXT, pend TEXT, title_f TEXT,
    okey INTEGER, vdate TEXT, known TEXT, vlevel TEXT, latest INTEGER DEFAULT 1, revised INTEGER DEFAULT 0);
CREATE INDEX IF NOT EXISTS facts_id ON facts(id);
CREATE INDEX IF NOT EXISTS facts_path ON facts(path);
CREATE INDEX IF NOT EXISTS facts_kind ON facts(kind, live);
CREATE TABLE IF NOT EXISTS refs(rowid INTEGER, ref TEXT);
CREATE INDEX IF NOT EXISTS refs_ref ON refs(ref);
CREATE INDEX IF NOT EXISTS refs_rowid ON refs(rowid);
-- Each file's own words, so a word leaves the vocabulary with the last file that had it.  No index
-- by path: a file's words are deleted only when it is read again, and the scan costs less than the
-- index's megabytes in every cache and in the prebuilt index.
CREATE TABLE IF NOT EXISTS words(word TEXT, path TEXT, PRIMARY KEY(word, path)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS facts_title ON facts(title_f);
-- The places figures are of (Index.places), read from this index alone, not the wide rows (country
-- first: no search condition starts with it, so the planner keeps title_f for series).
CREATE INDEX IF NOT EXISTS facts_places ON facts(f_country, f_partner, f_region, kind, live);
-- Vintages: okey numbers the observation an indicator measures (build.observation_cell), vdate
-- the day its latest source was published. latest and revised are kept by Index.recompute_vintages.
CREATE INDEX IF NOT EXISTS facts_okey ON facts(okey);
-- What is read whole by every query, kept when the facts change (Index.note_places).
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(name, body, notes, source, tokenize='porter unicode61');
""".replace("{filter_columns}", ", ".join(f"{column_of(name)} TEXT" for name in SQL_FILTERS))

# A cache whose version differs is rebuilt.  The table shapes count in it, so a filter added in
# load/model.py (a new index column) needs no bump by hand; bump SCHEMA_BASE when rows change
# meaning but not shape (a schema default that changes what a fact holds).
SCHEMA_BASE = 15
SCHEMA_VERSION = (SCHEMA_BASE << 16) | (zlib.crc32(_DDL.encode()) & 0xFFFF)



def check_fts5() -> None:
    try:
        sqlite3.connect(":memory:").execute("CREATE VIRTUAL TABLE t USING fts5(a)")
    except sqlite3.OperationalError:
        raise FtsUnavailable(
            f"this Python's SQLite ({sqlite3.sqlite_version}) was built without FTS5, which vnecon "
            "needs for search; use a Python from python.org, your OS packages or pyenv"
        ) from None


# size and mtime alone miss an edit whose mtime was set back (touch -d); the inode change time
# cannot be set back, and a replaced file has a new inode.
FileState = namedtuple("FileState", "path layer rank size mtime_ns ctime_ns ino")

# Paths under the bundled directory are stored from it (Index.key): "@bundled/series/pmi.toml".
BUNDLED = "@bundled/"


def visible_sql(as_of: str | None = None, all_vintages: bool = False) -> str:
    """The condition on `facts` for the facts a query sees: the latest vintage of each observation
    (the default), every vintage, or what had been published by the day as_of (ISO, checked by
    the caller: it is written into the SQL).  Which vintage is later is load.resolve's answer,
    kept in the vlevel column; known is the day a fact's sources were out (load.resolve.known_from)."""
    if as_of is None:
        return "facts.live" if all_vintages else "facts.live AND facts.latest"
    assert all(c.isdigit() or c == "-" for c in as_of), as_of
    known = f"facts.live AND facts.known <= '{as_of}'"
    if all_vintages:
        return known
    return (f"{known} AND (facts.okey IS NULL OR facts.vlevel = (SELECT max(b.vlevel) FROM facts b "
            f"WHERE b.okey = facts.okey AND b.live AND b.known <= '{as_of}'))")


class Index:
    """An open index.  Use ``open_index`` to get one that is up to date.

    ``visible`` is the SQL condition of the facts queries see (see visible_sql); ``scope``
    sets it for a command's --as-of and --all-vintages."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.visible = visible_sql()
        self._seen: str | None = None
        self._fresh_from = 1 << 62  # rows from here on were written by the change in progress (begin_changes)
        self._places: frozenset[str] | None = None  # places(), read once
        self._base = ""  # the bundled directory, stored as BUNDLED (see key)

    # ---- where files are -------------------------------------------------

    def bundle(self, layers: list[tuple[str, list[Path]]]) -> None:
        """Store paths under the bundled directory (the first layer, when it is the bundled one) as
        BUNDLED + their relative path: an index of the bundled facts then means the same wherever
        the package is installed, so the one built with the package serves as it is (prebuilt.py).
        A cache file belongs to one list of layers (cache_file), so its base never changes."""
        if layers and layers[0][0] == "bundled" and len(layers[0][1]) == 1:
            self._base = os.path.join(os.path.realpath(layers[0][1][0]), "")

    def key(self, path: str) -> str:
        """How the index stores a file's path."""
        base = self._base
        return BUNDLED + path[len(base):] if base and path.startswith(base) else path

    def real(self, key: str) -> str:
        """The path a stored key stands for (what facts, diagnostics and definitions carry)."""
        return self._base + key[len(BUNDLED):] if self._base and key.startswith(BUNDLED) else key

    def scope(self, as_of: str | None = None, all_vintages: bool = False) -> None:
        self.visible = visible_sql(as_of, all_vintages)
        self._seen = None

    @property
    def seen(self) -> str:
        """The facts the command's scope sees (latest, every vintage, or as of a day), as a
        temporary view every query outside this module reads: `FROM {index.seen} AS facts`.
        One scope per command, so no query can see more or less than another."""
        if self._seen is None:
            self.db.execute("DROP VIEW IF EXISTS temp.seen")
            self.db.execute(f"CREATE TEMP VIEW seen AS SELECT * FROM main.facts AS facts WHERE {self.visible}")
            self._seen = "temp.seen"
        return self._seen

    # ---- building -------------------------------------------------------

    def create(self) -> None:
        # Statement by statement: executescript() would commit the caller's transaction.
        for statement in _DDL.split(";"):
            if statement.strip():
                self.db.execute(statement)
        self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    # The columns build.fact_row fills, after the rowid.
    FACT_COLUMNS = ", ".join(["rowid", "id", "kind", "path", "line", "rank", "data",
                              *map(column_of, SQL_FILTERS), "pstart", "pend", "title_f", "okey"])

    # The columns a row's vintage and winner state live in, kept for an unchanged fact re-read.
    _KEPT = "live, vdate, known, vlevel, latest, revised"
    # A row re-read unchanged: the same id, file, layer rank and data as a row dropped before it.
    _SAME = "d.id = facts.id AND d.path = facts.path AND d.rank = facts.rank AND d.data = facts.data"

    def begin_changes(self) -> None:
        """Start noting the ids whose fact in effect may change (temp.touched) and the
        observations whose vintages may (temp.touched_obs).  Rows of re-read files are kept in
        temp.dropped first: a fact read again unchanged keeps its state and touches nothing, so
        one fact appended to a file of a million recomputes one observation, not the file's."""
        db = self.db
        db.execute("CREATE TEMP TABLE IF NOT EXISTS touched(id TEXT PRIMARY KEY) WITHOUT ROWID")
        db.execute("CREATE TEMP TABLE IF NOT EXISTS touched_obs(okey INTEGER PRIMARY KEY) WITHOUT ROWID")
        db.execute("CREATE TEMP TABLE IF NOT EXISTS dropped(id TEXT, path TEXT, rank INTEGER, data TEXT, "
                   f"okey INTEGER, {self._KEPT})")
        db.execute("CREATE INDEX IF NOT EXISTS temp.dropped_id ON dropped(id)")
        for table in ("touched", "touched_obs", "dropped"):
            db.execute(f"DELETE FROM temp.{table}")
        self._fresh_from = self.next_rowid()  # rows from here on were written by this change

    def drop_file(self, path: str) -> None:
        """Remove a file's rows, keeping what they were (temp.dropped)."""
        path = self.key(path)
        self.db.execute(f"INSERT INTO temp.dropped SELECT id, path, rank, data, okey, {self._KEPT} FROM facts "
                        "WHERE path = ? AND rowid < ?", (path, self._fresh_from))
        for sql in ("DELETE FROM fts WHERE rowid IN (SELECT rowid FROM facts WHERE path = ?)",
                    "DELETE FROM refs WHERE rowid IN (SELECT rowid FROM facts WHERE path = ?)",
                    "DELETE FROM facts WHERE path = ?",
                    "DELETE FROM words WHERE path = ?"):
            self.db.execute(sql, (path,))

    def forget_file(self, path: str) -> None:
        self.db.execute("DELETE FROM files WHERE path = ?", (self.key(path),))

    def next_rowid(self) -> int:
        return (self.db.execute("SELECT max(rowid) FROM facts").fetchone()[0] or 0) + 1

    def add_file(self, st: FileState, diags: list, aliases: list, mergers: list, calendar: list = ()) -> None:
        """Record a file read whole (its state, diagnostics, aliases, mergers, headlines and releases)."""
        st = st._replace(path=self.key(st.path))
        diags = [[self.key(d[0]), *d[1:]] for d in diags]
        calendar = [{**rec, "_path": self.key(rec["_path"])} if rec.get("_path") else rec for rec in calendar]
        self.db.execute("INSERT INTO files VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                        (st.path, st.layer, st.rank, st.size, st.mtime_ns, st.ctime_ns, st.ino,
                         json.dumps(diags), json.dumps(aliases), json.dumps(mergers), json.dumps(list(calendar))))
        kept = ", ".join(f"d.{c}" for c in self._KEPT.split(", "))
        self.db.execute(f"UPDATE facts SET ({self._KEPT}) = (SELECT {kept} FROM temp.dropped d WHERE {self._SAME}) "
                        f"WHERE path = ? AND EXISTS (SELECT 1 FROM temp.dropped d WHERE {self._SAME})", (st.path,))
        self.db.execute("INSERT OR IGNORE INTO temp.touched SELECT id FROM facts WHERE path = ? AND NOT EXISTS "
                        f"(SELECT 1 FROM temp.dropped d WHERE {self._SAME})", (st.path,))

    def add_rows(self, path: str, rows: list, texts: list, refs: list, words) -> None:
        """A part of a file: its facts (FACT_COLUMNS), FTS texts, references and words."""
        n = len(self.FACT_COLUMNS.split(", "))
        key = self.key(path)
        if key != path:  # the path is the fourth column (FACT_COLUMNS)
            rows = [(*r[:3], key, *r[4:]) for r in rows]
            path = key
        self.db.executemany(f"INSERT INTO facts({self.FACT_COLUMNS}) VALUES ({','.join('?' * n)})", rows)
        self.db.executemany("INSERT INTO fts(rowid, name, body, notes, source) VALUES (?,?,?,?,?)", texts)
        self.db.executemany("INSERT INTO refs VALUES (?, ?)", refs)
        self.db.executemany("INSERT OR IGNORE INTO words VALUES (?, ?)", ((w, path) for w in words))

    def add_invalid(self, rows: list) -> None:
        """Facts with errors: never served, but holding their id where they stand, and what they
        do say (check reports their references too: search/checks.py)."""
        rows = [(*r[:3], self.key(r[3]), *r[4:]) for r in rows]
        self.db.executemany("INSERT INTO facts(rowid, id, kind, path, line, rank, bad, data) "
                            "VALUES (?, ?, ?, ?, ?, ?, 1, ?)", rows)

    def recompute_live(self) -> None:
        """The fact in effect for each touched id: the latest layer's; within a layer, the first by
        file and line, as check decides (load.validate.WINNER_ORDER_SQL)."""
        from vnecon.load.validate import WINNER_ORDER_SQL

        # What was dropped and not read back unchanged (a fact edited, moved or gone) is touched,
        # and so is the observation it measured.
        # Looked up by id: the unary + keeps the planner off facts_path, which would compare a
        # re-read file's every dropped row with every row of that file (10k x 10k in a big tree).
        same = "d.id = f.id AND d.path = +f.path AND d.rank = +f.rank AND d.data = +f.data"  # _SAME, by id
        self.db.execute("INSERT OR IGNORE INTO temp.touched SELECT d.id FROM temp.dropped d WHERE NOT EXISTS "
                        f"(SELECT 1 FROM main.facts f WHERE {same})")
        self.db.execute("INSERT OR IGNORE INTO temp.touched_obs SELECT d.okey FROM temp.dropped d WHERE d.okey IS "
                        "NOT NULL AND d.id IN (SELECT id FROM temp.touched)")
        order = ", ".join(f"f2.{term}" for term in WINNER_ORDER_SQL.split(", "))
        self.db.execute(
            "UPDATE facts SET live = (NOT bad AND rowid = (SELECT f2.rowid FROM facts f2 WHERE f2.id = facts.id "
            f"ORDER BY {order} LIMIT 1)) WHERE id IN (SELECT id FROM temp.touched)")

    def recompute_vintages(self) -> None:
        """Each fact's vintage date (its latest source's date; a source's own date), then which
        vintage of each observation is the latest and whether earlier ones gave another value;
        only for what the touched ids can change: their facts, the facts citing them, and the
        observations of both (a whole first build touches everything)."""
        db = self.db
        near = ("(id IN (SELECT id FROM temp.touched) OR rowid IN (SELECT r.rowid FROM refs r "
                "WHERE r.ref IN (SELECT id FROM temp.touched)))")
        db.execute("CREATE TEMP TABLE IF NOT EXISTS source_dates(id TEXT PRIMARY KEY, d TEXT) WITHOUT ROWID")
        db.execute("DELETE FROM temp.source_dates")
        db.execute("INSERT OR IGNORE INTO temp.source_dates SELECT id, json_extract(data, '$.data.date') "
                   "FROM facts WHERE live AND kind = 'source'")
        db.execute("UPDATE facts SET vdate = CASE kind WHEN 'source' THEN (SELECT d FROM temp.source_dates s "
                   "WHERE s.id = facts.id) ELSE (SELECT max(s.d) FROM refs r JOIN temp.source_dates s "
                   f"ON s.id = r.ref WHERE r.rowid = facts.rowid) END WHERE live AND {near}")
        db.create_function("known_from", 1, known_from, deterministic=True)
        db.execute(f"UPDATE facts SET known = known_from(vdate) WHERE live AND {near}")
        db.execute("INSERT OR IGNORE INTO temp.touched_obs SELECT okey FROM facts WHERE okey IS NOT NULL "
                   f"AND {near}")
        # The order of each touched observation's vintages: load.resolve decides, the rows keep it.
        # One observation at a time, its answers gathered in a temporary table and written in one
        # statement: a first build of a million figures never holds them all in memory.
        from itertools import groupby

        db.execute("CREATE TEMP TABLE IF NOT EXISTS vnew(rid INTEGER PRIMARY KEY, vlevel TEXT, latest INTEGER, "
                   "revised INTEGER)")
        db.execute("DELETE FROM temp.vnew")
        batch: list[tuple] = []
        rows = db.execute(
            "SELECT rowid, okey, id, vdate, json_extract(data, '$.data.revises'), "
            "json_extract(data, '$.data.value') FROM facts WHERE live AND okey IN "
            "(SELECT okey FROM temp.touched_obs) ORDER BY okey")
        for _, group in groupby(rows, key=lambda r: r[1]):
            members = [(r[0], Vintage(r[2], r[3] or "", r[4] or "", r[5])) for r in group]
            got = resolve([v for _, v in members])
            batch.extend((rowid, got.level[v.id], v.id in got.latest, v.id in got.revised) for rowid, v in members)
            if len(batch) >= 20000:
                db.executemany("INSERT INTO temp.vnew VALUES (?, ?, ?, ?)", batch)
                batch.clear()
        db.executemany("INSERT INTO temp.vnew VALUES (?, ?, ?, ?)", batch)
        db.execute("UPDATE facts SET (vlevel, latest, revised) = (SELECT v.vlevel, v.latest, v.revised FROM temp.vnew v "
                   "WHERE v.rid = facts.rowid) WHERE rowid IN (SELECT rid FROM temp.vnew)")
        db.execute("DELETE FROM temp.vnew")

    def stored_files(self) -> dict[str, tuple[int, int, int, int, str, int]]:
        return {self.real(p): (s, m, c, i, layer, r) for p, s, m, c, i, layer, r in
                self.db.execute("SELECT path, size, mtime_ns, ctime_ns, ino, layer, rank FROM files")}

    def stale(self, current: list[FileState]) -> tuple[list[FileState], list[str]]:
        """Files to (re)parse and stored paths that are gone."""
        stored = self.stored_files()
        changed = [f for f in current
                   if stored.get(f.path) != (f.size, f.mtime_ns, f.ctime_ns, f.ino, f.layer, f.rank)]
        names = {f.path for f in current}
        gone = [p for p in stored if p not in names]
        return changed, gone

    # ---- reading --------------------------------------------------------

    def diagnostics(self, paths: Iterable[str] | None = None) -> list[Diagnostic]:
        """Each file's own problems, as kept when it was read: of every file, or of these."""
        if paths is None:
            stored = self.db.execute("SELECT diags FROM files ORDER BY rank, path").fetchall()
        else:
            stored = [r for p in sorted(paths) for r in self.db.execute(
                "SELECT diags FROM files WHERE path = ?", (self.key(p),))]
        out = []
        for (diags,) in stored:
            out.extend(Diagnostic(self.real(t[0]), *t[1:]) for t in json.loads(diags))
        return out

    def alias_tables(self) -> tuple[list[list[str]], list[dict[str, str]]]:
        groups: list[list[str]] = []
        mergers: list[dict[str, str]] = []
        for a, m in self.db.execute("SELECT aliases, mergers FROM files ORDER BY rank, path"):
            groups.extend(json.loads(a))
            mergers.extend(json.loads(m))
        return groups, mergers

    def calendar_tables(self) -> list[dict]:
        """Every [[headline]] and [[release]] record (load/schedule.py), earliest layer first."""
        out: list[dict] = []
        for (c,) in self.db.execute("SELECT calendar FROM files ORDER BY rank, path"):
            out.extend({**rec, "_path": self.real(rec["_path"])} if rec.get("_path") else rec
                       for rec in json.loads(c or "[]"))
        return out

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

    # The columns fact_from_row reads, in its order.
    ROW = "id, kind, path, line, data, revised, vdate, vlevel"

    def fact_from_row(self, row: tuple) -> Fact:
        fid, kind, path, line, data, revised, vdate, vlevel = row
        payload = json.loads(data)
        fact = Fact(kind, fid, payload["data"], self.real(path), line, payload.get("layer", ""))
        if kind == "indicator":
            fact.revised = bool(revised)
            fact.vintage_date = vdate
            fact.vintage_level = vlevel
        return fact

    def facts(self, where: str = "1", params: Iterable[Any] = (), order: str = "path, line, id",
              every_vintage: bool = False) -> list[Fact]:
        """Facts matching where, among those visible (or every live one: every_vintage)."""
        scope = "facts.live" if every_vintage else self.visible
        sql = f"SELECT {self.ROW} FROM facts WHERE {scope} AND ({where}) ORDER BY {order}"
        return [self.fact_from_row(r) for r in self.db.execute(sql, tuple(params))]

    def for_rowids(self, columns: str, rowids: list[int], table: str = "facts", where: str = "1",
                   params: Iterable[Any] = ()) -> Iterable[tuple]:
        """Rows of ``columns`` for these rowids of ``table`` (where also ``where`` holds, its
        ``params`` first), read in chunks: SQLite caps the parameters of one statement."""
        params = list(params)
        for start in range(0, len(rowids), 400):
            chunk = rowids[start:start + 400]
            yield from self.db.execute(f"SELECT {columns} FROM {table} WHERE ({where}) AND {table}.rowid IN "
                                       f"({','.join('?' * len(chunk))})", [*params, *chunk])

    def get(self, fact_id: str) -> Fact | None:
        """The fact with this id, whichever vintage it is."""
        found = self.facts("id = ?", (fact_id,), every_vintage=True)
        return found[0] if found else None

    def vintages(self, fact_id: str) -> list[tuple[Fact, str]]:
        """Every vintage of the observation fact_id measures, with its publication day, first
        published first; [] for a fact that is not an indicator."""
        rows = self.db.execute(
            f"SELECT {', '.join('b.' + c for c in self.ROW.split(', '))}, b.vdate FROM facts a JOIN facts b "
            "ON b.okey = a.okey AND b.live WHERE a.id = ? AND a.live AND a.okey IS NOT NULL "
            "ORDER BY coalesce(b.vlevel, ''), b.id", (fact_id,)).fetchall()
        return [(self.fact_from_row(r[:-1]), r[-1] or "") for r in rows]

    def definitions(self, fact_id: str) -> list[tuple[str, int]]:
        """Every (path, line) that defines an id, valid or not, earliest layer first."""
        return [(self.real(p), line) for p, line in self.db.execute(
            "SELECT path, line FROM facts WHERE id = ? ORDER BY rank, path, line", (fact_id,))]

    def ids(self) -> list[str]:
        return [r for (r,) in self.db.execute("SELECT id FROM facts WHERE live ORDER BY id")]

    def has_word(self, fts_query: str) -> bool:
        return self.db.execute("SELECT 1 FROM fts WHERE fts MATCH ? LIMIT 1", (fts_query,)).fetchone() is not None

    def referenced_by_text(self, fts_query: str, limit: int = 50) -> list[str]:
        """Ids of companies and sources whose own text matches: what a word can reach through references."""
        return [r for (r,) in self.db.execute(
            "SELECT facts.id FROM fts JOIN facts ON facts.rowid = fts.rowid WHERE fts MATCH ? AND facts.live "
            "AND facts.kind IN ('company', 'source') ORDER BY fts.rank LIMIT ?",
            (f"{{name body notes}} : {fts_query}", limit))]

    def places(self) -> frozenset[str]:
        """Every folded place a figure is of: an indicator's region, a partner, a company's country
        (not an organisation's address); every vintage, since a place stays a place.  Kept in the
        index when the facts change (note_places): a query reads one row, not every fact."""
        cached = self._places
        if cached is None:
            row = self.db.execute("SELECT value FROM meta WHERE key = 'places'").fetchone()
            self._places = cached = frozenset(json.loads(row[0]) if row else self._find_places())
        return cached

    def _find_places(self) -> set[str]:
        found: set[str] = set()
        for kind, region, partner, country in self.db.execute(
                "SELECT DISTINCT kind, f_region, f_partner, f_country FROM facts WHERE live"):
            found.update(p for p in ((region if kind == "indicator" else None), partner,
                                     (country if kind == "company" else None)) if p)
        return found

    def note_places(self) -> None:
        """Keep the places (see places) for the queries to come; the caller holds a transaction."""
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('places', ?)", (json.dumps(sorted(self._find_places())),))
        self._places = None

    def vocabulary(self) -> list[str]:
        return [w for (w,) in self.db.execute("SELECT DISTINCT word FROM words")]

    def referencing(self, fact_id: str) -> list[Fact]:
        return self.facts("rowid IN (SELECT rowid FROM refs WHERE ref = ?)", (fact_id,), "kind, id",
                          every_vintage=True)


# ---- opening, refreshing, caching --------------------------------------


def memory_index() -> Index:
    check_fts5()
    db = sqlite3.connect(":memory:", isolation_level=None)
    index = Index(db)
    index.create()
    return index


def cache_dir() -> Path:
    from vnecon.core.dirs import user_dir

    return user_dir("cache")


def cache_file(layers: list[tuple[str, list[Path]]]) -> Path:
    import zlib  # hashlib would cost ~4 ms of start-up; a crc is enough to name a file

    key = f"{SCHEMA_VERSION}:" + json.dumps([[name, [str(p.resolve()) for p in paths]] for name, paths in layers])
    digest = f"{zlib.crc32(key.encode()):08x}{len(key):04x}"
    return cache_dir() / f"index-{digest}.sqlite"


LOCK_TIMEOUT = 10.0  # seconds to wait for another process's write before working without the cache


class CacheBusy(Exception):
    """Another process holds the cache's write lock for longer than we wait."""


def is_busy(e: sqlite3.Error) -> bool:
    return isinstance(e, sqlite3.OperationalError) and ("locked" in str(e) or "busy" in str(e))


def _state(db: sqlite3.Connection) -> tuple[int, set[str]]:
    version = db.execute("PRAGMA user_version").fetchone()[0]
    return version, {t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def open_file(path: Path) -> Index:
    db = sqlite3.connect(path, isolation_level=None, timeout=LOCK_TIMEOUT)
    try:
        index = Index(db)
        version, tables = _state(db)  # a plain read: a writer elsewhere doesn't block it for long
        if version == 0 and not tables:
            # Create under the write lock, so two first runs don't both create.
            db.execute("BEGIN IMMEDIATE")
            version, tables = _state(db)
            if version == 0 and not tables:
                index.create()
            db.execute("COMMIT")
            version, tables = _state(db)
        if version != SCHEMA_VERSION or not {"facts", "files", "fts"} <= tables:
            raise sqlite3.DatabaseError("not a vnecon index of this version")
    except sqlite3.Error as e:
        db.close()
        if is_busy(e):
            raise CacheBusy(str(e)) from None
        raise
    return index


def remove_cache_file(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal", ".ok"):
        try:
            os.unlink(f"{path}{suffix}")
        except OSError:
            pass


def clear_cache(failed: list[tuple[Path, str]] | None = None) -> list[Path]:
    """Delete every cached index; return what was removed (what could not be, into ``failed``)."""
    removed = []
    d = cache_dir()
    if d.is_dir():
        for p in sorted(d.glob("index-*.sqlite*")):
            try:
                p.unlink()
                removed.append(p)
            except FileNotFoundError:
                pass
            except OSError as e:
                if failed is not None:
                    failed.append((p, e.strerror or type(e).__name__))
    return removed


KEEP_CACHES = 8  # one cache file per set of fact directories; the least recently used beyond this go


def prune_caches(keep: int = KEEP_CACHES) -> None:
    """Remove the least recently used cache files beyond ``keep`` (each set of --facts dirs makes one)."""
    try:
        files = sorted(cache_dir().glob("index-*.sqlite"), key=lambda p: p.stat().st_mtime, reverse=True)
    except OSError:
        return
    for old in files[keep:]:
        remove_cache_file(old)
        try:
            os.unlink(f"{old}.lock")
        except OSError:
            pass
