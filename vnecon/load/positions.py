"""Find where tables and keys sit in a TOML text.

tomllib returns values without positions.  A pre-scan of the text finds
each ``[[kind]]`` header (one regex pass over the whole text, cheap enough
for 100,000 facts) and, only when a problem has to be reported, the keys
under a header.  It only needs to be right for text tomllib has accepted.
"""

from __future__ import annotations

import re

_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*([^\[\]\n]+?)[ \t]*\]\]", re.MULTILINE)
_ARRAY_HEADER = re.compile(r"^\s*\[\[\s*([^\[\]]+?)\s*\]\]")
_TABLE_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]")
_ANY_HEADER = re.compile(r"[ \t]*\[")  # [table] or [[array]]: the end of the top-level keys
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


# Outside a string: a comment, a multi-line string's opening, or a whole one-line string.
_OUTSIDE = re.compile(r"""#|\"\"\"|'''|"(?:[^"\\]|\\.)*"|'[^']*'""")
# Inside a multi-line string: up to its closing quotes (3 to 5; up to two belong to the text).
_BASIC_END = re.compile(r'(?:[^"\\]|\\.|"(?!""))*"""(?:"{1,2}(?!"))?')
_LITERAL_END = re.compile(r"(?:[^']|'(?!''))*'''(?:'{1,2}(?!'))?")


def line_state(line: str, inside: str | None = None) -> str | None:
    """The multi-line string open at the end of a line (the quotes that opened it, or None),
    given the one open at its start: a small TOML string lexer, so escapes, one-line strings
    and comments holding triple quotes are not taken for openings or closings."""
    pos = 0
    while True:
        if inside is not None:
            m = (_BASIC_END if inside == '"""' else _LITERAL_END).match(line, pos)
            if m is None:
                return inside
            inside, pos = None, m.end()
        m = _OUTSIDE.search(line, pos)
        if m is None or m[0] == "#":
            return None
        if m[0] in ('"""', "'''"):
            inside = m[0]
        pos = m.end()


def _scan_keys(lines: list[str], first_lineno: int) -> dict[str, tuple[int, int]]:
    """key -> (line, col) for the keys in these lines, skipping multi-line strings."""
    keys: dict[str, tuple[int, int]] = {}
    inside: str | None = None
    for lineno, line in enumerate(lines, start=first_lineno):
        if inside is None and (m := _KEY.match(line)):
            keys.setdefault(_key_name(m[2]), (lineno, len(m[1]) + 1))
        inside = line_state(line, inside)
    return keys


def preamble_keys(text: str) -> set[str]:
    """The top-level keys set before a text's first table header (`alias = [...]`):
    a later [[name]] can never add to such a name."""
    import io

    keys: set[str] = set()
    inside: str | None = None
    for line in io.StringIO(text):  # lazily: only the lines before the first header are wanted
        line = line.rstrip("\n")
        if inside is None:
            if _ANY_HEADER.match(line):
                break
            if m := _KEY.match(line):
                keys.add(_key_name(m[2]))
        inside = line_state(line, inside)
    return keys


def _header_name(written: str) -> str:
    return written.strip().strip("\"'")


class Lines:
    """The lines of a scanned text, whose first is line base + 1 of its file.

    Held while the text is parsed; after ``release`` only where the text lies
    in its file is kept, and the lines are read again if a late check (a
    reference to nothing, a duplicate) needs a key's line.  So facts kept
    after parsing (`check` keeps them all) do not keep their file's text alive.
    """

    __slots__ = ("base", "lines", "where")

    def __init__(self, lines: list[str], base: int) -> None:
        self.lines: list[str] | None = lines
        self.base = base
        self.where: tuple[str, int, int] | None = None  # (path, byte offset, byte count)

    def release(self, path: str, offset: int, size: int) -> None:
        self.lines, self.where = None, (path, offset, size)

    def get(self) -> list[str]:
        if self.lines is not None:
            return self.lines
        if self.where is None:
            return []
        got = _recent.get(self)
        if got is None:
            got = _read_lines(*self.where)
            _recent[self] = got
            while len(_recent) > 4:  # a few parts' lines, however many of them have problems
                _recent.pop(next(iter(_recent)))
        return got


# Keyed by the Lines themselves, not by path and offset, so a file read again after
# it changed never gets the lines of its earlier version.
_recent: dict[Lines, list[str]] = {}


def _read_lines(path: str, offset: int, size: int) -> list[str]:
    try:
        with open(path, "rb") as fh:
            fh.seek(offset)
            raw = fh.read(size)
    except OSError:
        return []
    if offset == 0 and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    return raw.decode("utf-8", "replace").split("\n")  # TOML lines end at \n only, not at U+2028


class TablePos:
    """Where one [[kind]] table starts; its keys are found when first asked for."""

    __slots__ = ("_end", "_keys", "_text", "line")

    def __init__(self, line: int, text: Lines, end: int) -> None:
        self.line = line
        self._text, self._end = text, end  # this table ends before line `end`
        self._keys: dict[str, tuple[int, int]] | None = None

    def body(self) -> tuple[int, list[str]]:
        """The table's lines after its header, and the line number of the first of them."""
        base = self._text.base
        return self.line + 1, self._text.get()[self.line - base:self._end - 1 - base]

    @property
    def keys(self) -> dict[str, tuple[int, int]]:
        if self._keys is None:
            base = self._text.base
            self._keys = _scan_keys(self._text.get()[self.line - base:self._end - 1 - base], self.line + 1)
        return self._keys


class Positions:
    """Header and key positions of each array-of-tables element, by name and index."""

    def __init__(self, text: str, tables: dict[str, list[TablePos]], first_line: int = 1,
                 lines: Lines | None = None) -> None:
        self.text = text
        self.tables = tables
        self.first_line = first_line
        self.lines = lines
        self._top: dict[str, tuple[int, int]] | None = None

    def release(self, path: str, offset: int, size: int) -> None:
        """Parsing is done: let go of the text (see Lines)."""
        self.text = ""
        if self.lines is not None:
            self.lines.release(path, offset, size)

    @property
    def top_keys(self) -> dict[str, tuple[int, int]]:
        """Top-level keys and [table] headers: needed only to report misplaced tables."""
        if self._top is None:
            self._top = {}
            in_table = False
            inside: str | None = None
            for lineno, line in enumerate(self.text.split("\n"), start=self.first_line):
                if inside is not None:
                    inside = line_state(line, inside)
                    continue
                if _ARRAY_HEADER.match(line):
                    in_table = True
                elif m := _TABLE_HEADER.match(line):
                    in_table = "." in m[1]
                    if not in_table:
                        self._top.setdefault(m[1].strip(), (lineno, 1))
                elif not in_table and (m := _KEY.match(line)):
                    self._top.setdefault(_key_name(m[2]), (lineno, len(m[1]) + 1))
                inside = line_state(line, inside)
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


def scan(text: str, expected: dict[str, int] | None = None, first_line: int = 1) -> Positions:
    """Positions of the [[kind]] tables in a text whose first line is the file's first_line.
    ``expected`` (name -> count, from the parsed document) lets the fast regex pass be
    checked; a header-like line inside a multi-line string makes it fall back to a
    line-by-line scan."""
    lines = text.split("\n")  # TOML lines end at \n only (splitlines would also cut at U+2028)
    found: dict[str, list[int]] = {}
    lineno, last = first_line, 0
    for m in _HEADER.finditer(text):
        lineno += text.count("\n", last, m.start())
        last = m.start()
        name = _header_name(m[1])
        if "." not in name:  # [[project.investments]] belongs to the current project
            found.setdefault(name, []).append(lineno)
    if expected is not None and any(len(found.get(n, ())) != expected.get(n, 0) for n in {*found, *expected}):
        found = _careful_headers(lines, first_line)
    starts = sorted(line for ls in found.values() for line in ls)
    next_start = {a: b for a, b in zip(starts, starts[1:] + [len(lines) + first_line])}
    held = Lines(lines, first_line - 1)
    tables = {
        name: [TablePos(line, held, next_start[line]) for line in ls]
        for name, ls in found.items()
    }
    return Positions(text, tables, first_line, held)


def _careful_headers(lines: list[str], first_line: int = 1) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    inside: str | None = None
    for lineno, line in enumerate(lines, start=first_line):
        if inside is None and (m := _ARRAY_HEADER.match(line)):
            name = _header_name(m[1])
            if "." not in name:
                found.setdefault(name, []).append(lineno)
        inside = line_state(line, inside)
    return found
