"""Find where tables and keys sit in a TOML text.

tomllib returns values without positions.  A light pre-scan of the text
finds each ``[[kind]]`` header and the keys under it, so schema errors can
point at ``path:line:col``.  It only needs to be right for well-formed
files (tomllib has accepted the text before we look up a position).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_ARRAY_HEADER = re.compile(r"^\s*\[\[\s*([^\[\]]+?)\s*\]\]")
_TABLE_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]")
_KEY = re.compile(r"""^(\s*)("[^"]*"|'[^']*'|[A-Za-z0-9_\-]+)\s*(?:\.|=)""")


@dataclass
class TablePos:
    line: int
    keys: dict[str, tuple[int, int]] = field(default_factory=dict)  # key -> (line, col)


@dataclass
class Positions:
    """Header and key positions of each array-of-tables element, by name and index."""

    tables: dict[str, list[TablePos]] = field(default_factory=dict)
    top_keys: dict[str, tuple[int, int]] = field(default_factory=dict)

    def table(self, name: str, index: int) -> TablePos | None:
        items = self.tables.get(name, [])
        return items[index] if index < len(items) else None

    def key(self, name: str, index: int, key: str) -> tuple[int, int]:
        """Line and column of a key in the index-th [[name]], or of its header."""
        t = self.table(name, index)
        if t is None:
            return self.top_keys.get(name, (1, 1))
        return t.keys.get(key, (t.line, 1))


def scan(text: str) -> Positions:
    pos = Positions()
    current: TablePos | None = None
    in_multiline: str | None = None
    for lineno, line in enumerate(text.splitlines(), start=1):
        if in_multiline:
            if line.count(in_multiline) % 2 == 1:
                in_multiline = None
            continue
        if m := _ARRAY_HEADER.match(line):
            name = m[1].strip().strip('"')
            if "." in name:  # [[project.investments]] belongs to the current project
                continue
            current = TablePos(lineno)
            pos.tables.setdefault(name, []).append(current)
        elif m := _TABLE_HEADER.match(line):
            name = m[1].strip()
            if "." not in name:
                current = None
                pos.top_keys.setdefault(name, (lineno, 1))
        elif m := _KEY.match(line):
            key = m[2].strip("\"'")
            target = current.keys if current else pos.top_keys
            target.setdefault(key, (lineno, len(m[1]) + 1))
        for quote in ('"""', "'''"):
            if line.count(quote) % 2 == 1:
                in_multiline = quote
                break
    return pos
