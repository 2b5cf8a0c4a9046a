"""Find fact files, parse them, validate them into Facts.

Nothing here raises on bad input: every problem becomes a Diagnostic and
the other files still load.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vnecon.core.diagnostics import Diagnostic
from vnecon.load.files import layer_files
from vnecon.load.model import COMPACT_TABLES, KINDS, Fact
from vnecon.load.tomlread import ERRORS, toml_error, tomllib

# Non-fact tables that may appear in any facts file (see docs/schema.md).
ALIAS_TABLES = ("alias", "merger")
CALENDAR_TABLES = ("headline", "release")  # load/schedule.py
KNOWN_TABLES = frozenset(KINDS + ALIAS_TABLES + CALENDAR_TABLES + COMPACT_TABLES)



@dataclass
class FileResult:
    """What one file contributed: facts, alias tables and problems."""

    path: str
    facts: list[Fact] = field(default_factory=list)
    aliases: list[list[str]] = field(default_factory=list)
    mergers: list[dict] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    invalid: list[Fact] = field(default_factory=list)  # facts with errors: checked further, never served
    calendar: list[dict] = field(default_factory=list)  # [[headline]] and [[release]] records (load/schedule.py)
    readable: bool = True  # False: the cache must try this file again even if it looks unchanged

    def add(self, other: FileResult) -> FileResult:
        """Take in the next part of the same file."""
        self.facts.extend(other.facts)
        self.aliases.extend(other.aliases)
        self.mergers.extend(other.mergers)
        self.calendar.extend(other.calendar)
        self.diagnostics.extend(other.diagnostics)
        self.invalid.extend(other.invalid)
        self.readable = self.readable and other.readable
        return self


@dataclass
class Part:
    """One part of a file (see load.parts), parsed: ``result`` is its FileResult, or what a
    worker process made of it.  ``whole`` says the part could not be read on its own (a
    TOML or UTF-8 error, or a cut in the wrong place): the file must then be read whole.
    ``shape`` maps each top-level name to True when it is an array of tables made only
    by this part's own ``[[name]]`` headers."""

    result: Any
    line: int = 1
    whole: bool = False
    shape: dict[str, bool] = field(default_factory=dict)


@dataclass
class LoadResult:
    facts: list[Fact] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    aliases: list[list[str]] = field(default_factory=list)
    mergers: list[dict] = field(default_factory=list)
    calendar: list[dict] = field(default_factory=list)
    invalid: list[Fact] = field(default_factory=list)
    read: list[Fact] = field(default_factory=list)  # every fact read, valid or not, duplicates included

    @property
    def by_id(self) -> dict[str, Fact]:
        return {f.id: f for f in self.facts}


def _decode(path: str, raw: bytes, result: FileResult, first_line: int = 1) -> str | None:
    if first_line == 1 and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a BOM from a Windows editor is harmless
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + first_line
        col = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        result.diagnostics.append(Diagnostic(
            path, line, col, "error", f"not UTF-8: byte 0x{raw[e.start]:02x} cannot be decoded; save the file as UTF-8",
        ))
        return None


def parse_part_text(path: str, text: str, layer: str = "", first_line: int = 1,
                    where: tuple[int, int] | None = None) -> Part:
    """Parse and validate a file's text, or the part of it that starts at first_line.
    ``where`` (byte offset, byte count) says where the text lies in its file, so the
    facts need not keep the text itself (positions.Lines)."""
    from vnecon.load.positions import preamble_keys, scan
    from vnecon.load.validate import validate_table

    result = FileResult(path)
    part = Part(result, first_line)

    def diag(line: int, col: int, severity: str, msg: str, kind: str = "", fid: str = "") -> None:
        result.diagnostics.append(Diagnostic(path, line, col, severity, msg, kind, fid, layer))

    try:
        doc = tomllib.loads(text)
    except ERRORS as e:
        line, col, msg = toml_error(e, text)
        diag(line + first_line - 1, col, "error", f"TOML syntax: {msg}")
        part.whole = True
        return part
    if not doc:  # only a first part can be empty: every other part starts with a header
        diag(1, 1, "warning", "file holds no facts")
        return part

    positions = scan(text, {name: len(v) for name, v in doc.items() if isinstance(v, list)}, first_line)
    # A name later parts may add to: a known kind whose value is made only by this part's own
    # [[name]] headers.  Anything else (a static array, an empty one, a [table], an unknown
    # name, which must be reported once per file) makes a later part that has it a misfit.
    static = preamble_keys(text) if first_line == 1 else set()
    part.shape = {name: isinstance(v, list) and len(v) > 0 and len(positions.tables.get(name, ())) == len(v)
                  and name in KNOWN_TABLES and name not in static for name, v in doc.items()}
    for name, tables in doc.items():
        if positions.tables.get(name):
            line, col = positions.tables[name][0].line, 1
        else:  # not an array of tables: look for `[name]` or `name =` (rare, so computed only now)
            line, col = positions.top_keys.get(name, (1, 1))
        if name not in KNOWN_TABLES:
            diag(line, col, "error", f"unknown table {name!r}; expected [[kind]] with kind one of: "
                 f"{', '.join(KINDS + ALIAS_TABLES + CALENDAR_TABLES + COMPACT_TABLES)}")
            continue
        if not isinstance(tables, list):
            diag(line, col, "error", f"write [[{name}]] (an array of tables), not [{name}] or {name} = ...")
            continue
        for index, table in enumerate(tables):
            tpos = positions.table(name, index)
            tline = tpos.line if tpos else line
            if name in ALIAS_TABLES:
                _alias_table(name, table, result, lambda msg, tl=tline: diag(tl, 1, "error", msg, name))  # noqa: B023 - called only within this iteration
                continue
            if name in CALENDAR_TABLES:
                _calendar_table(name, table, result, positions.table(name, index), (path, tline, layer), diag)
                continue
            if name in COMPACT_TABLES:  # a [[series]]: one ordinary indicator per point (load.compact)
                from vnecon.load.compact import expand

                good, bad = expand(table, tpos, tline, diag)
                for fact in good + bad:
                    fact.path, fact.layer = path, layer
                result.facts.extend(good)
                result.invalid.extend(bad)
                continue
            label = table.get("id", "") if isinstance(table, dict) and isinstance(table.get("id"), str) else ""

            errors = [0]

            def report(key: str, severity: str, msg: str, i: int = index, lab: str = label) -> None:
                errors[0] += severity == "error"  # noqa: B023 - called only within this iteration
                kl, kc = positions.key(name, i, key) if key else (tline, 1)  # noqa: B023 - called only within this iteration
                diag(kl, kc, severity, msg, name, lab)  # noqa: B023 - called only within this iteration

            fact = validate_table(name, table, report, partial=True)
            if fact is not None:
                fact.path, fact.line, fact.layer = path, tline, layer
                fact._pos = tpos
                (result.invalid if errors[0] else result.facts).append(fact)
    # In file order, not grouped by kind as the parser returns them: the first of two facts
    # with one id is the one nearer the top, whether the file is read whole or in parts.
    result.facts.sort(key=lambda f: f.line)
    result.invalid.sort(key=lambda f: f.line)
    if where is not None:
        positions.release(path, *where)
    return part


def _calendar_table(name: str, table: Any, result: FileResult, tpos: Any, where: tuple[str, int, str],
                    diag: Callable) -> None:
    """A [[headline]] or [[release]] record, its problems at file:line:col (load/schedule.py)."""
    from vnecon.load.schedule import validate

    path, tline, layer = where
    label = table.get("id", "") if isinstance(table, dict) and isinstance(table.get("id"), str) else ""

    def key_at(key: str) -> tuple[int, int]:
        return (tpos.keys.get(key) or (tline, 1)) if key and tpos is not None else (tline, 1)

    rec = validate(name, table, lambda key, msg: diag(*key_at(key), "error", msg, name, label))
    if rec is not None:
        keys = {k: list(key_at(k)) for k in table} if tpos is not None else {}
        result.calendar.append({**rec, "_path": path, "_line": tline, "_layer": layer, "_keys": keys})


def _alias_table(name: str, table: Any, result: FileResult, error) -> None:
    if not isinstance(table, dict):
        return error(f"[[{name}]] entries must be tables")
    if name == "alias":
        names = table.get("names")
        extra = set(table) - {"names", "note"}
        if extra:
            return error(f"unknown field {min(extra)!r} in [[alias]] (known: names, note)")
        if not isinstance(names, list) or len(names) < 2 or not all(isinstance(n, str) and n.strip() for n in names):
            return error("[[alias]] needs names = [two or more non-empty strings]")
        result.aliases.append(names)
    else:
        keys = {"from", "into", "effective"}
        if set(table) - keys - {"note", "sources"} or not keys <= set(table) or not all(isinstance(table[k], str) for k in keys):
            return error('[[merger]] needs exactly from = "...", into = "...", effective = "YYYY-MM-DD" (and an optional note and sources)')
        cited = table.get("sources", [])
        if not isinstance(cited, list) or not all(isinstance(c, str) and c for c in cited):
            return error('[[merger]] sources must be a list of source ids: sources = ["..."]')
        from vnecon.core.periods import parse_date
        from vnecon.core.text import phrase

        try:
            parse_date(table["effective"])
        except ValueError:
            return error(f"[[merger]] effective {table['effective']!r} is not a date (YYYY-MM-DD)")
        if phrase(table["from"]) == phrase(table["into"]):
            return error(f"[[merger]] merges {table['from']!r} into itself")
        result.mergers.append({**{k: table[k] for k in keys}, **({"sources": list(cited)} if cited else {})})


def max_file_bytes() -> int:
    """The largest fact file read (1 GiB unless VNECON_MAX_FILE_MB says otherwise)."""
    try:
        return int(float(os.environ.get("VNECON_MAX_FILE_MB", "1024")) * 2**20)
    except ValueError:
        return 1024 * 2**20


# A file that cannot be read in parts is read whole, up to this size.
WHOLE_BYTES = 64 * 2**20


def _open(path: str, layer: str) -> tuple[Any, Any, FileResult | None]:
    """An open regular file within the size limit and its stat, or (None, None, why not)."""
    result = FileResult(path)
    try:
        # O_NONBLOCK: a FIFO named *.toml must not hang us; only regular files are read.
        fh = os.fdopen(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb")
    except OSError as e:
        return None, None, _unreadable(result, e, layer)
    try:
        st = os.fstat(fh.fileno())
    except OSError as e:
        fh.close()
        return None, None, _unreadable(result, e, layer)
    why = ""
    if not stat.S_ISREG(st.st_mode):
        result.diagnostics.append(Diagnostic(path, 0, 0, "warning", "not a regular file (a FIFO, device or "
                                             "socket); skipped", layer=layer))
        why = "special"
    elif st.st_size > max_file_bytes():
        limit = max_file_bytes()
        result.diagnostics.append(Diagnostic(
            path, 0, 0, "error", f"file is {st.st_size / 2**20:.0f} MiB, over the limit of "
            f"{limit / 2**20:.0f} MiB (set VNECON_MAX_FILE_MB to change it); skipped", layer=layer))
        why = "big"
    if why:
        fh.close()
        return None, None, result
    return fh, st, None


def _version(st: os.stat_result) -> tuple[int, int, int, int]:
    return st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino


def _unreadable(result: FileResult, e: OSError, layer: str) -> FileResult:
    reason = e.strerror or e.__class__.__name__
    # An error: a fact file that cannot be read is facts lost, and `check` must say so.
    result.diagnostics.append(Diagnostic(result.path, 0, 0, "error", f"cannot read: {reason}; skipped", layer=layer))
    result.readable = False
    return result


def raw_parts(path: str, layer: str = "") -> Iterator[tuple[int, bytes, int] | Part]:
    """One file cut into parts (load.parts): (first line, bytes, byte offset) to be parsed
    by parse_part, or a finished Part when the file cannot be read (never raises for bad input)."""
    from vnecon.load.parts import PART_BYTES, PartTooBig, split

    fh, st, why = _open(path, layer)
    if fh is None:
        yield Part(why)
        return
    line, offset = 1, 0
    with fh:
        try:
            for line, data in split(fh, PART_BYTES, WHOLE_BYTES):
                yield line, data, offset
                offset += len(data)
            if _version(os.fstat(fh.fileno())) != _version(st):
                # Written to while we read it: its parts may come from two versions. Read it whole
                # (one read); too big for that, it is tried again next time (readable=False).
                result = FileResult(path, readable=False)
                result.diagnostics.append(Diagnostic(path, 0, 0, "error", "changed while being read; run again",
                                                     layer=layer))
                yield Part(result, line, whole=True)
        except OSError as e:  # a read that fails halfway: the file is tried whole, and fails there
            yield Part(_unreadable(FileResult(path), e, layer), line, whole=True)
        except PartTooBig as e:
            result = FileResult(path)
            result.diagnostics.append(Diagnostic(path, line, 1, "error", f"cannot read in parts: {e}", layer=layer))
            yield Part(result, line, whole=True)


def parse_part(path: str, layer: str, first_line: int, data: bytes, offset: int = 0) -> Part:
    """Decode, parse and validate one part of a file (offset: where its bytes start)."""
    result = FileResult(path)
    text = _decode(path, data, result, first_line)
    if text is None:
        return Part(result, first_line, whole=True)
    if not text.strip():  # only a first part can be blank
        result.diagnostics.append(Diagnostic(path, 1, 1, "warning", "file is empty", layer=layer))
        return Part(result, first_line)
    return parse_part_text(path, text, layer, first_line, (offset, len(data)))


def parse_whole(path: str, layer: str = "") -> FileResult | None:
    """Read, decode, parse and validate one file at once (None: it is over WHOLE_BYTES)."""
    fh, st, why = _open(path, layer)
    if fh is None:
        return why
    with fh:
        if st.st_size > WHOLE_BYTES:
            return None
        try:
            raw = fh.read(WHOLE_BYTES + 1)
        except OSError as e:
            return _unreadable(FileResult(path), e, layer)
    return parse_part(path, layer, 1, raw).result


def assemble(parts: Iterable[Part], whole: Callable[[], Any]) -> Iterator[tuple[Any, bool]]:
    """(result, restart) for each part of one file, in order.

    Parts that fit together are passed on as they come.  When one cannot be read on
    its own, or adds to a table an earlier part began (which a reading of the whole
    file would call a duplicate), the file is read whole instead: the last item then
    has restart set and replaces every item before it.  ``whole()`` gives that reading,
    or None for a file too big to read whole, whose failing part is then all it gives.
    """
    fixed: set[str] = set()  # the first part's names that later parts may not add to
    for i, part in enumerate(parts):
        misfit = part.whole or (i > 0 and any(not array or name in fixed for name, array in part.shape.items()))
        if misfit:
            result = whole()
            yield (part.result if result is None else result), True
            return
        if i == 0:
            fixed = {name for name, array in part.shape.items() if not array}
        yield part.result, False


def file_parts(path: str, layer: str = "") -> Iterator[tuple[FileResult, bool]]:
    """(FileResult, restart) for each part of one file: see assemble()."""
    parts = (p if isinstance(p, Part) else parse_part(path, layer, *p) for p in raw_parts(path, layer))
    return assemble(parts, lambda: parse_whole(path, layer))


def parse_file(path: str, layer: str = "", tick: Callable[[], None] | None = None) -> FileResult:
    """Read, decode, parse and validate one file, a part at a time (tick() after each);
    never raises for bad input."""
    merged: FileResult | None = None
    for result, restart in file_parts(path, layer):
        merged = result if merged is None or restart else merged.add(result)
        if tick:
            tick()
    return merged if merged is not None else FileResult(path)


def ticker(sizes: Iterable[int], progress: Callable[[int, int], None] | None) -> Callable[[], None]:
    """A tick() to call after each part read, telling progress(done, total) with the
    total estimated from the files' sizes (see load.parts)."""
    from vnecon.load.parts import PART_BYTES

    total, done = sum(max(size, 0) // PART_BYTES + 1 for size in sizes), 0

    def tick() -> None:
        nonlocal done
        done += 1
        if progress:
            progress(min(done, total), total)

    return tick


def _size(p: Path) -> int:
    try:
        return p.stat().st_size
    except OSError:
        return 0


def collect(results: list[FileResult], layer_order: list[str]) -> LoadResult:
    """Merge per-file results: layer replacement, duplicates, cross-checks."""
    from vnecon.load.validate import cross_check, region_notes, resolve_layers

    out = LoadResult()
    all_facts: list[Fact] = []
    for r in results:
        out.files.append(r.path)
        out.diagnostics.extend(r.diagnostics)
        out.aliases.extend(r.aliases)
        out.mergers.extend(r.mergers)
        out.calendar.extend(r.calendar)
        all_facts.extend(sorted(r.facts + r.invalid, key=lambda f: f.line) if r.invalid else r.facts)
        out.invalid.extend(r.invalid)
    # Facts with errors still take part in the duplicate and reference checks, so one run
    # reports everything; they are never among the facts served.
    bad = {id(f) for f in out.invalid}
    out.read = all_facts
    resolved, dups = resolve_layers(all_facts, layer_order)
    out.diagnostics.extend(dups)
    out.diagnostics.extend(_once(cross_check(resolved)))
    out.facts = [f for f in resolved if id(f) not in bad]
    out.diagnostics.extend(region_notes(out.facts, out.aliases))
    if out.calendar:
        from vnecon.load.schedule import cross_check as schedule_check

        out.diagnostics.extend(schedule_check(out.calendar, out.facts))
    return out


def _once(diags: list[Diagnostic]) -> list[Diagnostic]:
    """One diagnostic per place and message: the points of a [[series]] share their fields' lines, so a
    source id that names nothing is said once for the series, with how many points it concerns."""
    seen: dict[tuple, list] = {}
    for d in diags:
        seen.setdefault((d.path, d.line, d.col, d.severity, d.message), []).append(d)
    out = []
    for group in seen.values():
        d = group[0]
        if len(group) > 1 and d.kind == "indicator":
            d = d._replace(message=f"{d.message} (and {len(group) - 1} more point{'s' * (len(group) > 2)} of "
                                   "this series)")
        out.append(d)
    return out


def load_layers(layers: list[tuple[str, list[Path]]],
                progress: Callable[[int, int], None] | None = None) -> LoadResult:
    """Load (layer name, paths) pairs in order; later layers replace earlier ids.
    ``progress(done, total)`` is told of each part read (see load.parts)."""
    missing = [Diagnostic(str(p), 0, 0, "error", "no such file or directory", layer=layer)
               for layer, paths in layers for p in paths if not p.exists()]
    unreadable: list[tuple[str, str]] = []
    files = list(layer_files(layers, unreadable))
    tick = ticker((_size(f) for _, _, f in files), progress) if progress else None
    # Facts and diagnostics carry the canonical (absolute) path, as the index does, so duplicates
    # are decided the same way from any working directory; the printed path is made when printed.
    results = [parse_file(str(f), layer, tick) for layer, _, f in files]
    missing.extend(Diagnostic(d, 0, 0, "warning", f"{why}; skipped") for d, why in unreadable)
    out = collect(results, [name for name, _ in layers])
    out.diagnostics[:0] = missing
    return out


def load_paths(paths: list[Path], layer: str = "") -> LoadResult:
    """Load fact files or directories as one layer."""
    return load_layers([(layer, list(paths))])
