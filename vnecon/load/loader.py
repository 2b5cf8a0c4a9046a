"""Find fact files, parse them, validate them into Facts.

Nothing here raises on bad input: every problem becomes a Diagnostic and
the other files still load.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vnecon.core.diagnostics import Diagnostic
from vnecon.load.model import KINDS, Fact

from vnecon.load.files import display_path, layer_files

from vnecon.load.tomlread import ERRORS, toml_error, tomllib  # noqa: F401 - tomllib re-exported

# Non-fact tables that may appear in any facts file (see docs/schema.md).
ALIAS_TABLES = ("alias", "merger")



@dataclass
class FileResult:
    """What one file contributed: facts, alias tables and problems."""

    path: str
    facts: list[Fact] = field(default_factory=list)
    aliases: list[list[str]] = field(default_factory=list)
    mergers: list[dict[str, str]] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    invalid: list[Fact] = field(default_factory=list)  # facts with errors: checked further, never served
    readable: bool = True  # False: the cache must try this file again even if it looks unchanged


@dataclass
class LoadResult:
    facts: list[Fact] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    aliases: list[list[str]] = field(default_factory=list)
    mergers: list[dict[str, str]] = field(default_factory=list)
    invalid: list[Fact] = field(default_factory=list)
    read: list[Fact] = field(default_factory=list)  # every fact read, valid or not, duplicates included

    @property
    def by_id(self) -> dict[str, Fact]:
        return {f.id: f for f in self.facts}


def _decode(path: str, raw: bytes, result: FileResult) -> str | None:
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a BOM from a Windows editor is harmless
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        col = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        result.diagnostics.append(Diagnostic(
            path, line, col, "error", f"not UTF-8: byte 0x{raw[e.start]:02x} cannot be decoded; save the file as UTF-8",
        ))
        return None


def parse_text(path: str, text: str, layer: str = "") -> FileResult:
    """Parse and validate one file's text."""
    from vnecon.load.positions import scan
    from vnecon.load.validate import validate_table

    result = FileResult(path)

    def diag(line: int, col: int, severity: str, msg: str, kind: str = "", fid: str = "") -> None:
        result.diagnostics.append(Diagnostic(path, line, col, severity, msg, kind, fid, layer))

    try:
        doc = tomllib.loads(text)
    except ERRORS as e:
        line, col, msg = toml_error(e, text)
        diag(line, col, "error", f"TOML syntax: {msg}")
        return result
    if not doc:
        diag(1, 1, "warning", "file holds no facts")
        return result

    positions = scan(text, {name: len(v) for name, v in doc.items() if isinstance(v, list)})
    for name, tables in doc.items():
        if positions.tables.get(name):
            line, col = positions.tables[name][0].line, 1
        else:  # not an array of tables: look for `[name]` or `name =` (rare, so computed only now)
            line, col = positions.top_keys.get(name, (1, 1))
        if name not in KINDS and name not in ALIAS_TABLES:
            diag(line, col, "error", f"unknown table {name!r}; expected [[kind]] with kind one of: {', '.join(KINDS + ALIAS_TABLES)}")
            continue
        if not isinstance(tables, list):
            diag(line, col, "error", f"write [[{name}]] (an array of tables), not [{name}] or {name} = ...")
            continue
        for index, table in enumerate(tables):
            tpos = positions.table(name, index)
            tline = tpos.line if tpos else line
            if name in ALIAS_TABLES:
                _alias_table(name, table, result, lambda msg, tl=tline: diag(tl, 1, "error", msg, name))
                continue
            label = table.get("id", "") if isinstance(table, dict) and isinstance(table.get("id"), str) else ""

            errors = [0]

            def report(key: str, severity: str, msg: str, i: int = index, lab: str = label) -> None:
                errors[0] += severity == "error"
                kl, kc = positions.key(name, i, key) if key else (tline, 1)
                diag(kl, kc, severity, msg, name, lab)

            fact = validate_table(name, table, report, partial=True)
            if fact is not None:
                fact.path, fact.line, fact.layer = path, tline, layer
                fact._pos = tpos
                (result.invalid if errors[0] else result.facts).append(fact)
    return result


def _alias_table(name: str, table: Any, result: FileResult, error) -> None:
    if not isinstance(table, dict):
        return error(f"[[{name}]] entries must be tables")
    if name == "alias":
        names = table.get("names")
        extra = set(table) - {"names", "note"}
        if extra:
            return error(f"unknown field {sorted(extra)[0]!r} in [[alias]] (known: names, note)")
        if not isinstance(names, list) or len(names) < 2 or not all(isinstance(n, str) and n.strip() for n in names):
            return error("[[alias]] needs names = [two or more non-empty strings]")
        result.aliases.append(names)
    else:
        keys = {"from", "into", "effective"}
        if set(table) - keys - {"note"} or not keys <= set(table) or not all(isinstance(table[k], str) for k in keys):
            return error('[[merger]] needs exactly from = "...", into = "...", effective = "YYYY-MM-DD" (and an optional note)')
        from vnecon.core.periods import parse_date
        from vnecon.core.text import phrase

        try:
            parse_date(table["effective"])
        except ValueError:
            return error(f"[[merger]] effective {table['effective']!r} is not a date (YYYY-MM-DD)")
        if phrase(table["from"]) == phrase(table["into"]):
            return error(f"[[merger]] merges {table['from']!r} into itself")
        result.mergers.append({k: table[k] for k in keys})


def max_file_bytes() -> int:
    """The largest fact file read (64 MiB unless VNECON_MAX_FILE_MB says otherwise)."""
    try:
        return int(float(os.environ.get("VNECON_MAX_FILE_MB", "64")) * 2**20)
    except ValueError:
        return 64 * 2**20


def parse_file(path: str, layer: str = "") -> FileResult:
    """Read, decode, parse and validate one file; never raises for bad input."""
    result = FileResult(path)
    try:
        # O_NONBLOCK: a FIFO named *.toml must not hang us; only regular files are read.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode):
                result.diagnostics.append(Diagnostic(path, 0, 0, "warning", "not a regular file (a FIFO, device or "
                                                     "socket); skipped", layer=layer))
                return result
            limit = max_file_bytes()
            if st.st_size > limit:
                result.diagnostics.append(Diagnostic(
                    path, 0, 0, "error", f"file is {st.st_size / 2**20:.0f} MiB, over the limit of "
                    f"{limit / 2**20:.0f} MiB (set VNECON_MAX_FILE_MB to change it); skipped", layer=layer))
                return result
            raw = fh.read(limit + 1)
    except OSError as e:
        reason = e.strerror or e.__class__.__name__
        # An error: a fact file that cannot be read is facts lost, and `check` must say so.
        result.diagnostics.append(Diagnostic(path, 0, 0, "error", f"cannot read: {reason}; skipped", layer=layer))
        result.readable = False
        return result
    text = _decode(path, raw, result)
    if text is None:
        return result
    if not text.strip():
        result.diagnostics.append(Diagnostic(path, 1, 1, "warning", "file is empty", layer=layer))
        return result
    return parse_text(path, text, layer)


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
        all_facts.extend(sorted(r.facts + r.invalid, key=lambda f: f.line) if r.invalid else r.facts)
        out.invalid.extend(r.invalid)
    # Facts with errors still take part in the duplicate and reference checks, so one run
    # reports everything; they are never among the facts served.
    bad = {id(f) for f in out.invalid}
    out.read = all_facts
    resolved, dups = resolve_layers(all_facts, layer_order)
    out.diagnostics.extend(dups)
    out.diagnostics.extend(cross_check(resolved))
    out.facts = [f for f in resolved if id(f) not in bad]
    out.diagnostics.extend(region_notes(out.facts, out.aliases))
    return out


def load_layers(layers: list[tuple[str, list[Path]]]) -> LoadResult:
    """Load (layer name, paths) pairs in order; later layers replace earlier ids."""
    missing = [Diagnostic(str(p), 0, 0, "error", "no such file or directory", layer=layer)
               for layer, paths in layers for p in paths if not p.exists()]
    unreadable: list[tuple[str, str]] = []
    results = [parse_file(display_path(f), layer) for layer, _, f in layer_files(layers, unreadable)]
    missing.extend(Diagnostic(d, 0, 0, "warning", f"{why}; skipped") for d, why in unreadable)
    out = collect(results, [name for name, _ in layers])
    out.diagnostics[:0] = missing
    return out


def load_paths(paths: list[Path], layer: str = "") -> LoadResult:
    """Load fact files or directories as one layer."""
    return load_layers([(layer, list(paths))])
