"""Find where tables and keys sit in a TOML text.

tomllib returns values without positions.  A pre-scan of the text finds
each ``[[kind]]`` header (one regex pass over the whole text, cheap enough
for 100,000 facts) and, only when a problem has to be reported, the keys
under a header.  It only needs to be right for text tomllib has accepted.
"""

from __future__ import annotations

import re

_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*([^\[\]\n]+?)[ \t]*\]\]", re.M)
_ARRAY_HEADER = re.compile(r"^\s*\[\[\s*([^\[\]]+?)\s*\]\]")
_TABLE_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]")
_KEY = re.compile(r"""^(\s*)("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_\-]+)\s*(?:\.|=)""")


def _key_name(written: str) -> str:
    """The key a TOML key token names: quotes removed and escapes decoded ("a\\nb" -> 'a\nb')."""
    if written.startswith('"'):
        from vnecon.load.tomlread import tomllib

        try:
            return next(iter(tomllib.loads(f"{written} = 0")))
        except Exception:  # noqa: BLE001 - only text tomllib accepted comes here; stay safe anyway
            return written.strip('"')
    return written.strip("'")


def _multiline_quote(line: str) -> str | None:
    for quote in ('"""', "'''"):
        if line.count(quote) % 2 == 1:
            return quote
    return None


def _scan_keys(lines: list[str], first_lineno: int) -> dict[str, tuple[int, int]]:
    """key -> (line, col) for the keys in these lines, skipping multi-line strings."""
    keys: dict[str, tuple[int, int]] = {}
    in_multiline: str | None = None
    for lineno, line in enumerate(lines, start=first_lineno):
        if in_multiline:
            if line.count(in_multiline) % 2 == 1:
                in_multiline = None
            continue
        if m := _KEY.match(line):
            keys.setdefault(_key_name(m[2]), (lineno, len(m[1]) + 1))
        in_multiline = _multiline_quote(line)
    return keys


class TablePos:
    """Where one [[kind]] table starts; its keys are found when first asked for."""

    __slots__ = ("line", "_lines", "_end", "_keys")

    def __init__(self, line: int, lines: list[str], end: int) -> None:
        self.line = line
        self._lines, self._end = lines, end  # the file's lines; this table ends before line `end`
        self._keys: dict[str, tuple[int, int]] | None = None

    @property
    def keys(self) -> dict[str, tuple[int, int]]:
        if self._keys is None:
            self._keys = _scan_keys(self._lines[self.line:self._end - 1], self.line + 1)
        return self._keys


class Positions:
    """Header and key positions of each array-of-tables element, by name and index."""

    def __init__(self, text: str, tables: dict[str, list[TablePos]]) -> None:
        self.text = text
        self.tables = tables
        self._top: dict[str, tuple[int, int]] | None = None

    @property
    def top_keys(self) -> dict[str, tuple[int, int]]:
        """Top-level keys and [table] headers: needed only to report misplaced tables."""
        if self._top is None:
            self._top = {}
            in_table = False
            in_multiline: str | None = None
            for lineno, line in enumerate(self.text.splitlines(), start=1):
                if in_multiline:
                    if line.count(in_multiline) % 2 == 1:
                        in_multiline = None
                    continue
                if _ARRAY_HEADER.match(line):
                    in_table = True
                elif m := _TABLE_HEADER.match(line):
                    in_table = "." in m[1]
                    if not in_table:
                        self._top.setdefault(m[1].strip(), (lineno, 1))
                elif not in_table and (m := _KEY.match(line)):
                    self._top.setdefault(_key_name(m[2]), (lineno, len(m[1]) + 1))
                in_multiline = _multiline_quote(line)
        return self._top

    def table(self, name: str, index: int) -> TablePos | None:
        items = self.tables.get(name, [])
        return items[index] if index < len(items) else None

    def key(self, name: str, index: int, key: str) -> tuple[int, int]:
        """Line and column of a key in the index-th [[name]], or of its header."""
        t = self.table(name, index)
        if t is None:
            return self.top_keys.get(name, (1, 1))
        return t.keys.get(key, (t.line, 1))


def scan(text: str, expected: dict[str, int] | None = None) -> Positions:
    """Positions of the [[kind]] tables.  ``expected`` (name -> count, from the
    parsed document) lets the fast regex pass be checked; a header-like line
    inside a multi-line string makes it fall back to a line-by-line scan."""
    lines = text.splitlines()
    found: dict[str, list[int]] = {}
    lineno, last = 1, 0
    for m in _HEADER.finditer(text):
        lineno += text.count("\n", last, m.start())
        last = m.start()
        name = m[1].strip().strip('"')
        if "." not in name:  # [[project.investments]] belongs to the current project
            found.setdefault(name, []).append(lineno)
    if expected is not None and any(len(found.get(n, ())) != c for n, c in expected.items() if c):
        found = _careful_headers(lines)
    starts = sorted(line for ls in found.values() for line in ls)
    next_start = {a: b for a, b in zip(starts, starts[1:] + [len(lines) + 1])}
    tables = {
        name: [TablePos(line, lines, next_start[line]) for line in ls]
        for name, ls in found.items()
    }
    return Positions(text, tables)


def _careful_headers(lines: list[str]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    in_multiline: str | None = None
    for lineno, line in enumerate(lines, start=1):
        if in_multiline:
            if line.count(in_multiline) % 2 == 1:
                in_multiline = None
            continue
        if m := _ARRAY_HEADER.match(line):
            name = m[1].strip().strip('"')
            if "." not in name:
                found.setdefault(name, []).append(lineno)
        in_multiline = _multiline_quote(line)
    return found
