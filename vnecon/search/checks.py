"""`check` read from the index: the problems between files found in SQL, facts built only where
one is reported.

Each file's own problems are kept with the file when the index reads it (Index.diagnostics),
so a file that has not changed is not parsed again.  What needs more than one file is found
here, with the same rules and words as load.validate and load.schedule, which check every
fact in memory: duplicate ids and replaced facts, references that name nothing or the wrong
kind, undated and unfollowable sources, ids in `parties` that name nothing, `revises` and the
vintages of each observation (load.resolve), places in a non-standard spelling and figures
out before their scheduled release.  A fact with errors of its own still has its references
checked, as in memory; it takes no part in the vintages of an observation until it is valid.
SQL narrows each check to its candidates and only they become Facts, one observation or one
id at a time, so memory stays flat in the number of facts; a key's line and column are read
from the file only for a fact with a problem.

This module reads every row, valid or not, of every layer: it is the one reader besides
index.py that does not go through a command's scope (`index.seen`), as `check` concerns
what is written, not what a query sees.
"""

from __future__ import annotations

import bisect
import json
from collections import Counter
from functools import lru_cache
from itertools import groupby

from vnecon.core.diagnostics import Diagnostic
from vnecon.load.model import Fact

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from vnecon.load.session import Options

# The same order of reading as load.loader: layer by layer, then file and line.
_READ_ORDER = "rank, path, line"


@lru_cache(maxsize=4)
def _tables(path: str) -> tuple[list[int], list]:
    """Header lines and positions.TablePos of every [[table]] of a file, in line order."""
    from vnecon.load.positions import scan

    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            text = fh.read().removeprefix("\ufeff")
    except OSError:
        return [], []
    found = sorted((t.line, t) for ts in scan(text).tables.values() for t in ts)
    return [line for line, _ in found], [t for _, t in found]


class _Where:
    """A fact's key positions, read from its file only when a problem asks for them (the index
    keeps a fact's line, not where each of its keys is)."""

    __slots__ = ("_keys", "line", "path", "period")

    def __init__(self, path: str, line: int, period: object) -> None:
        self.path, self.line, self.period, self._keys = path, line, period, None

    @property
    def keys(self) -> dict[str, tuple[int, int]]:
        if self._keys is None:
            self._keys = _keys_at(self.path, self.line, str(self.period or ""))
        return self._keys


def _keys_at(path: str, line: int, period: str) -> dict[str, tuple[int, int]]:
    """The key positions of the table at line, or of the [[series]] point there (its period's)."""
    lines, tables = _tables(path)
    i = bisect.bisect_right(lines, line) - 1
    if i < 0:
        return {}
    table = tables[i]
    if table.line == line:
        return table.keys
    # A point of a [[series]]: its period and value where the point is, the rest at the series' keys.
    from vnecon.load.compact import PointPos, point_positions

    here = [c for at, c in point_positions(table) if at == line]
    col = here[0] if here else 1
    if len(here) > 1:  # several points on one line: the one that starts with this period
        first, body = table.body()
        text = body[line - first] if 0 <= line - first < len(body) else ""
        col = next((c for c in here if text[c:].lstrip(" [").lstrip("\"'").startswith(period)), col)
    return PointPos(line, col, table).keys


class _Rows:
    """Facts built from index rows, their layer from the file's, their positions found lazily."""

    COLUMNS = "rowid, id, kind, path, line, rank, bad, data, vdate, okey"

    def __init__(self, index, only: bool = False) -> None:
        self.index = index
        self.layer = dict(index.db.execute("SELECT DISTINCT rank, layer FROM files"))
        self.only = only  # only the facts of the files in temp.wanted are checked

    def plain(self, column: str) -> str:
        """A column the planner must not look up by when some files are asked about: their rows,
        found by path, are far fewer than a kind's or a name's."""
        return f"+{column}" if self.only else column

    def mine(self, alias: str = "") -> str:
        """The condition that keeps the facts checked (all, or those of the files asked about)."""
        return f" AND {alias}path IN (SELECT path FROM temp.wanted)" if self.only else ""

    def fact(self, row: tuple) -> Fact:
        _rowid, fid, kind, path, line, rank, _bad, data, _vdate, _okey = row
        fields = json.loads(data or "{}").get("data", {})
        real = self.index.real(path)
        return Fact(kind, fid, fields, real, line, self.layer.get(rank, ""), _Where(real, line, fields.get("period")))

    def select(self, where: str, params: tuple = (), order: str = _READ_ORDER) -> list:
        return self.stream(where, params, order).fetchall()

    def stream(self, where: str, params: tuple = (), order: str = _READ_ORDER):
        """The rows as the database gives them, one at a time."""
        return self.index.db.execute(f"SELECT {self.COLUMNS} FROM facts WHERE {where} ORDER BY {order}", params)

    def one(self, rowid: int) -> Fact:
        return self.fact(self.select("rowid = ?", (rowid,), "rowid")[0])


# What a fact names by id: its references and the figure it revises.
_NAMING = ("sources", "owner", "parent", "parties", "revises")


def _winners(db, only: bool) -> None:
    """temp.win: the fact each id stands for, valid or not (load.validate.resolve_layers' choice);
    when only some files are checked, for the ids their facts have or name."""
    from vnecon.load.validate import WINNER_ORDER_SQL

    db.execute("CREATE TEMP TABLE IF NOT EXISTS win(id TEXT PRIMARY KEY, rid INTEGER, kind TEXT, bad INTEGER) "
               "WITHOUT ROWID")
    db.execute("DELETE FROM temp.win")
    needed = ""
    if only:
        db.execute("CREATE TEMP TABLE IF NOT EXISTS need(id TEXT PRIMARY KEY) WITHOUT ROWID")
        db.execute("DELETE FROM temp.need")
        db.execute("INSERT OR IGNORE INTO temp.need SELECT id FROM facts WHERE path IN (SELECT path FROM temp.wanted)")
        for key in _NAMING:
            db.execute(f"INSERT OR IGNORE INTO temp.need SELECT j.value FROM facts f JOIN json_each(f.data, "
                       f"'$.data.{key}') j WHERE f.path IN (SELECT path FROM temp.wanted) AND j.type = 'text'")
        needed = " AND id IN (SELECT id FROM temp.need)"
    db.execute(f"INSERT OR IGNORE INTO temp.win SELECT id, rowid, kind, bad FROM facts WHERE live{needed}")
    order = ", ".join(f"f2.{t}" for t in WINNER_ORDER_SQL.split(", "))
    db.execute(f"INSERT OR IGNORE INTO temp.win SELECT id, rowid, kind, bad FROM facts f WHERE bad{needed} AND "
               f"rowid = (SELECT f2.rowid FROM facts f2 WHERE f2.id = f.id ORDER BY {order} LIMIT 1)")


def _duplicates(rows: _Rows) -> list[Diagnostic]:
    """Each id defined twice: replaced by a later layer (a note) or twice in one (an error)."""
    from vnecon.load.validate import _diag, _shown, within_layer_key

    out: list[Diagnostic] = []
    mine = f"WHERE id IN (SELECT id FROM facts WHERE 1{rows.mine()})" if rows.only else ""
    ids = [i for (i,) in rows.index.db.execute(f"SELECT id FROM facts {mine} GROUP BY id HAVING count(*) > 1")]
    for fid in ids:
        prev, prev_rank = None, 0
        for row in rows.select("id = ?", (fid,)):
            f, rank = rows.fact(row), row[5]
            if prev is None:
                prev, prev_rank = f, rank
            elif rank > prev_rank:
                out.append(_diag(f, "note", f"replaces {prev.kind} {f.id!r} from {_shown(prev)} ({prev.layer} layer)"))
                prev, prev_rank = f, rank
            elif rank == prev_rank and within_layer_key(f) < within_layer_key(prev):
                out.append(_diag(prev, "error", f"duplicate id {f.id!r}: already defined at {_shown(f)}", "id"))
                prev = f
            else:
                out.append(_diag(f, "error", f"duplicate id {f.id!r}: already defined at {_shown(prev)}", "id"))
    return out


# What each reference must name (load.validate.cross_check).
_REFERENCES = (("sources", "source"), ("owner", "company"), ("parent", "company"))


def _references(rows: _Rows) -> list[Diagnostic]:
    """References that name nothing or another kind, and sources cited that have no date."""
    from vnecon.core.text import close_to
    from vnecon.load.validate import _diag

    db = rows.index.db
    out: list[Diagnostic] = []
    ids_of: dict[str, list[str]] = {}
    for key, kind in _REFERENCES:
        # json_each over a string (owner, parent) gives the string once.
        found = db.execute(
            f"SELECT f.rowid, j.value, w.kind FROM temp.win w0 JOIN facts f ON f.rowid = w0.rid "
            f"JOIN json_each(f.data, '$.data.{key}') j "
            f"LEFT JOIN temp.win w ON w.id = j.value WHERE 1{rows.mine('f.')} AND (w.id IS NULL OR w.kind != ? OR "
            "(? = 'sources' AND coalesce((SELECT json_extract(s.data, '$.data.date') FROM facts s "
            "WHERE s.rowid = w.rid), '') IN ('', 0))) ORDER BY f.rowid, j.key", (kind, key)).fetchall()
        for rowid, ref, got in found:
            f = rows.one(rowid)
            if got is None:
                if kind not in ids_of:  # every id of the kind, whether or not the files asked about name it
                    ids_of[kind] = [i for (i,) in db.execute(
                        "SELECT id FROM facts WHERE kind = ? AND live UNION SELECT id FROM facts f WHERE kind = ? "
                        "AND bad AND NOT EXISTS (SELECT 1 FROM facts l WHERE l.id = f.id AND l.live)", (kind, kind))]
                close = close_to(ref, ids_of[kind])
                hint = f' (did you mean "{close[0]}"?)' if close else ""
                out.append(_diag(f, "error", f"{key}: no {kind} with id {ref!r}{hint}", key))
            elif got != kind:
                out.append(_diag(f, "error", f"{key}: {ref!r} is a {got}, not a {kind}", key))
            else:
                out.append(_diag(f, "warning", f"source {ref!r} has no date", "sources"))
    return out


def _sources_and_parties(rows: _Rows) -> list[Diagnostic]:
    """Sources a reader cannot follow (no url, no publisher), and ids in `parties` that name nothing."""
    from vnecon.load.validate import ID_RE, _citation_gaps, _diag

    out: list[Diagnostic] = []
    for row in rows.select(f"rowid IN (SELECT rid FROM temp.win){rows.mine()} AND kind = 'source' AND (coalesce(json_extract(data, '$.data.url'), '') IN ('', 0) "
                           "OR length(trim(coalesce(json_extract(data, '$.data.publisher'), ''), ' \t\r\n')) <= 7)"):
        out.extend(_citation_gaps(rows.fact(row)))
    for rowid, party in rows.index.db.execute(
            "SELECT f.rowid, j.value FROM temp.win w0 JOIN facts f ON f.rowid = w0.rid "
            "JOIN json_each(f.data, '$.data.parties') j "
            f"LEFT JOIN temp.win w ON w.id = j.value WHERE w.id IS NULL{rows.mine('f.')} ORDER BY f.rowid, j.key"):
        if isinstance(party, str) and ID_RE.fullmatch(party) and "-" in party:
            out.append(_diag(rows.one(rowid), "warning", f"parties: {party!r} looks like an id but names no fact",
                             "parties"))
    return out


def _observations(rows: _Rows) -> list[Diagnostic]:
    """`revises` and the vintages of each observation (load.validate._observation_check's rules)."""
    from vnecon.load.resolve import Vintage, orderable, resolve
    from vnecon.load.validate import _conflicts, _diag

    db = rows.index.db
    out: list[Diagnostic] = []
    revising = "coalesce(json_extract(data, '$.data.revises'), '') NOT IN ('', 0)"
    for row in rows.select(f"{rows.plain('live')} AND {rows.plain('kind')} = 'indicator' AND {revising}{rows.mine()}"):
        f, mine, key = rows.fact(row), row[8] or "", row[9]
        target = str(f.get("revises"))
        hit = db.execute("SELECT w.rid, w.kind FROM temp.win w WHERE w.id = ?", (target,)).fetchone()
        if hit is None or hit[1] != "indicator":
            out.append(_diag(f, "error", f"revises: no indicator with id {target!r}", "revises"))
            continue
        if target == f.id:
            continue
        other = rows.select("rowid = ?", (hit[0],), "rowid")[0]
        if other[9] != key or other[6]:
            out.append(_diag(f, "warning", f"revises: {target!r} measures another name, region, period, "
                              "basis, unit, sector, partner or product", "revises"))
            continue
        theirs = other[8] or ""
        if orderable(mine, theirs) and theirs > mine:
            out.append(_diag(f, "error", f"revises: {target!r} was published later ({theirs}) than "
                              f"this figure ({mine}); a revision comes after what it revises", "revises"))
    # Observations with two vintages or more, or a revision: one at a time, in reading order.
    if rows.only:  # those the files asked about measure, each looked up by its number
        db.execute("CREATE TEMP TABLE IF NOT EXISTS obs(okey INTEGER PRIMARY KEY)")
        db.execute("DELETE FROM temp.obs")
        db.execute(f"INSERT OR IGNORE INTO temp.obs SELECT okey FROM facts WHERE okey IS NOT NULL{rows.mine()}")
        shared = ("SELECT o.okey FROM temp.obs o WHERE (SELECT count(*) FROM facts f WHERE f.okey = o.okey AND "
                  f"f.live) > 1 OR EXISTS (SELECT 1 FROM facts f WHERE f.okey = o.okey AND f.live AND {revising})")
    else:
        shared = (f"SELECT okey FROM facts WHERE live AND okey IS NOT NULL GROUP BY okey HAVING count(*) > 1 "
                  f"OR max({revising})")
    members = rows.stream(f"live AND okey IN ({shared})", order=f"okey, {_READ_ORDER}")
    for _, group_rows in groupby(members, key=lambda r: r[9]):
        group_rows = list(group_rows)
        group = [rows.fact(r) for r in group_rows]
        dates = {f.id: r[8] or "" for f, r in zip(group, group_rows)}
        got = resolve([Vintage(f.id, dates[f.id], str(f.get("revises") or ""), f.get("value")) for f in group])
        by_id = {f.id: f for f in group}
        for loop in got.loops:
            what = (f"revises itself ({loop[0]!r})" if len(loop) == 1 else
                    f"revises loop: {' -> '.join(repr(i) for i in loop)} each revise another of the loop")
            out.append(_diag(by_id[loop[0]], "error", f"{what}; a revision names the earlier figure it replaces, "
                             "so nothing is ordered by a loop", "revises"))
        out.extend(_conflicts(group, got, dates))
    return out


def _regions(rows: _Rows, alias_groups: list[list[str]]) -> list[Diagnostic]:
    """Places written another way than their standard spelling (load.validate.region_notes)."""
    from vnecon.core.text import phrase
    from vnecon.load.validate import region_notes

    standard: dict[str, str] = {}
    for names in alias_groups:
        for n in names:
            standard.setdefault(phrase(n), names[0])
    written = [r for (r,) in rows.index.db.execute(
        "SELECT DISTINCT json_extract(data, '$.data.region') FROM facts WHERE live AND "
        f"json_type(data, '$.data.region') = 'text'{rows.mine()}")]
    odd = [r for r in written if standard.get(phrase(r), r) != r]
    out: list[Diagnostic] = []
    for start in range(0, len(odd), 400):
        chunk = odd[start:start + 400]
        found = rows.select(f"live{rows.mine()} AND json_extract(data, '$.data.region') IN "
                            f"({','.join('?' * len(chunk))})", tuple(chunk))
        out.extend(region_notes([rows.fact(r) for r in found], alias_groups))
    return out


def _schedule(rows: _Rows, calendar: list[dict]) -> list[Diagnostic]:
    """The calendar's own cross-checks (load.schedule.cross_check) over the facts they can concern:
    the indicators named as a headline is and known by the end of their period, and the sources
    they and the releases cite."""
    from vnecon.core.text import phrase
    from vnecon.load.schedule import cross_check

    names = sorted({phrase(str(r.get("name") or "")) for r in calendar if r.get("table") == "headline"} - {""})
    picked: dict[int, tuple] = {}
    for start in range(0, len(names), 400):
        chunk = names[start:start + 400]
        # Only a figure known by the end of its period can be early (load.schedule._early).
        title = rows.plain("title_f")
        for row in rows.select(f"{rows.plain('live')}{rows.mine()} AND {rows.plain('kind')} = 'indicator' AND "
                               f"known <= pend AND {title} IN "
                               f"({','.join('?' * len(chunk))})", tuple(chunk)):
            picked[row[0]] = row
    wanted = {s for r in calendar if r.get("table") == "release" for s in r.get("sources", [])}
    for row in list(picked.values()):
        wanted.update(json.loads(row[7]).get("data", {}).get("sources", []))
    wanted_ids = sorted(wanted)
    for start in range(0, len(wanted_ids), 400):
        chunk = wanted_ids[start:start + 400]
        for row in rows.select(f"live AND id IN ({','.join('?' * len(chunk))})",
                               tuple(chunk)):
            picked[row[0]] = row
    facts = [rows.fact(r) for r in sorted(picked.values(), key=lambda r: (r[5], r[3], r[4]))]
    return cross_check(calendar, facts)


def cross_file(index, paths: set[str] | None = None) -> list[Diagnostic]:
    """Every problem between files, as load.loader.collect finds them over facts in memory; with
    paths, those of the facts in these files (a one-file check of a million facts reads the
    file's facts and what they name, not the million)."""
    from vnecon.load.loader import _once

    rows = _Rows(index, only=paths is not None)
    if paths is not None:
        index.db.execute("CREATE TEMP TABLE IF NOT EXISTS wanted(path TEXT PRIMARY KEY) WITHOUT ROWID")
        index.db.execute("DELETE FROM temp.wanted")
        index.db.executemany("INSERT OR IGNORE INTO temp.wanted VALUES (?)", ((index.key(p),) for p in paths))
    _winners(index.db, paths is not None)
    try:
        out = _duplicates(rows)
        out += _once(_references(rows) + _sources_and_parties(rows) + _observations(rows))
        out += _regions(rows, index.alias_tables()[0])
        calendar = index.calendar_tables()
        if calendar:
            out += _schedule(rows, calendar)
    finally:
        index.db.execute("DROP TABLE IF EXISTS temp.win")
        index.db.execute("DROP TABLE IF EXISTS temp.need")
        index.db.execute("DROP TABLE IF EXISTS temp.obs")
        _tables.cache_clear()
    return out


def kinds_by_file(index, paths: set[str] | None = None) -> dict[str, Counter]:
    """Facts read from each file (valid or not), by kind: of every file, or of these."""
    out: dict[str, Counter] = {}
    if paths is None:
        rows = index.db.execute("SELECT path, kind, count(*) FROM facts GROUP BY path, kind").fetchall()
    else:
        rows = [r for p in sorted(paths) for r in index.db.execute(
            "SELECT path, kind, count(*) FROM facts WHERE path = ? GROUP BY kind", (index.key(p),))]
    for path, kind, n in rows:
        out.setdefault(index.real(path), Counter())[kind] += n
    return out


def files_of(index) -> list[str]:
    return sorted(index.real(p) for (p,) in index.db.execute("SELECT path FROM files"))


class Gathered:
    """What `check` reports on: diagnostics, the files checked, and the facts read from each
    file (valid or not) by kind."""

    def __init__(self, diagnostics: list, files: list[str], kinds: dict[str, Counter]) -> None:
        self.diagnostics, self.files, self.kinds = diagnostics, files, kinds

    def count(self, keep: Callable[[str], bool] = lambda path: True) -> Counter:
        out: Counter = Counter()
        for path in self.files:
            if keep(path):
                out.update(self.kinds.get(path, ()))
        return out


def gather(paths: list[Path], opts: Options, progress: Callable[[int, int], None] | None = None,
           warn: Callable[[str], None] | None = None) -> Gathered:
    """Check the given paths, or every layer when none is given, through the index (cached as for
    search: a file not changed since it was last read is not parsed again): each file's own
    problems as the index keeps them, and the problems between files (search.checks).

    References are resolved against everything (a fact in your file may cite a bundled source),
    but problems and counts are those of the paths asked about."""
    from vnecon.core.diagnostics import Diagnostic
    from vnecon.load.files import find_files, layer_files
    from vnecon.load.session import setup
    from vnecon.search.refresh import open_index

    s = setup(opts)
    diags: list[Diagnostic] = list(s.diagnostics)
    layers = [(layer.name, list(layer.paths)) for layer in s.layers]
    wanted: set[str] | None = None
    asked: list[Diagnostic] = []  # about the paths given themselves: always said
    if paths:
        targets: list[Path] = []
        for p in paths:
            if not p.exists():
                asked.append(Diagnostic(str(p), 0, 0, "error", "no such file or directory"))
                continue
            found = list(find_files(p))
            if not found:
                asked.append(Diagnostic(str(p), 0, 0, "warning", "no *.toml files here"))
            targets.extend(found)
        wanted = {str(t) for t in targets}  # canonical paths, as facts and diagnostics carry them
        inside = {str(f) for _, _, f in layer_files(layers)}
        extra = [t for t in targets if str(t) not in inside]
        if extra:
            layers.append(("checked", extra))
    unreadable: list[tuple[str, str]] = []
    layer_files(layers, unreadable)
    diags += [Diagnostic(str(p), 0, 0, "error", "no such file or directory", layer=name)
              for name, ps in layers for p in ps if not p.exists()]
    diags += [Diagnostic(d, 0, 0, "warning", f"{why}; skipped") for d, why in unreadable]

    def cache_news(message: str) -> None:  # an unreadable file is a diagnostic above, not news
        if warn and not message.endswith("; skipped"):
            warn(message)

    index = open_index(layers, use_cache=not opts.no_cache, progress=progress, warn=cache_news)
    try:
        # A build's big page cache (refresh.py) is not needed for the checks: give it back.
        index.db.execute("PRAGMA cache_size = -8192")
        index.db.execute("PRAGMA shrink_memory")
        diags += index.diagnostics(wanted) + cross_file(index, wanted)
        files = files_of(index) if wanted is None else sorted(wanted)
        kinds = kinds_by_file(index, wanted)
    finally:
        index.db.close()
    if wanted is not None:
        diags = asked + [d for d in diags if d.path in wanted]
    return Gathered(diags, files, kinds)
