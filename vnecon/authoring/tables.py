"""Reading tables of figures for `vnecon import`: bytes to rows, headers to periods and scales.

Plain functions over plain data; no Typer, no Rich.  Errors are ImportProblem
with the place (FILE:ROW:COLUMN) in the message.
"""

from __future__ import annotations

import csv
import io
import re
from typing import NamedTuple

from vnecon.core.errors import UsageError
from vnecon.core.text import fold


class Table(NamedTuple):
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (line number in the file, cells)
    encoding: str
    meta: dict[str, str]  # from a preamble: Data Source, Last Updated Date, ...


def decode(raw: bytes, name: str, encoding: str | None = None) -> tuple[str, str]:
    """Text and the encoding used: UTF-8 with or without BOM, or what --encoding says."""
    if encoding:
        try:
            return raw.decode(encoding), encoding
        except (LookupError, UnicodeDecodeError) as e:
            raise UsageError(f"{name}: cannot read as {encoding}: {e}") from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        line = raw[:e.start].count(b"\n") + 1
        raise UsageError(f"{name}:{line}: not UTF-8 (byte {raw[e.start]:#04x}); if it was saved by Excel on "
                         "Windows, it is probably Windows-1258 (Vietnamese) or Windows-1252: try "
                         "--encoding cp1258 or --encoding cp1252") from None


def read_table(raw: bytes, name: str, delimiter: str | None = None, encoding: str | None = None,
               layout: str | None = None) -> Table:
    text, used = decode(raw, name, encoding)
    lines = text.splitlines()
    meta: dict[str, str] = {}
    start = 0
    if layout == "worldbank":
        # "Data Source","World Development Indicators", ... then a blank line, then the header.
        for i, line in enumerate(lines):
            cells = next(csv.reader([line])) if line.strip() else []
            if cells and cells[0].strip() == "Country Name":
                start = i
                break
            if len(cells) >= 2 and cells[0].strip():
                meta[cells[0].strip()] = cells[1].strip()
        else:
            raise UsageError(f"{name}: no 'Country Name' header row: not the World Bank layout")
    body = "\n".join(lines[start:])
    if delimiter is None:
        sample = "\n".join(lines[start:start + 20])
        counts = {d: sample.count(d) for d in (",", "\t", ";")}
        delimiter = max(counts, key=counts.get) if any(counts.values()) else ","
    reader = csv.reader(io.StringIO(body), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as e:
        raise UsageError(f"{name}:{start + reader.line_num}: {e}") from None
    rows = [(start + i + 1, r) for i, r in enumerate(rows)]
    rows = [(n, r) for n, r in rows if any(c.strip() for c in r)]
    if not rows:
        raise UsageError(f"{name}: no rows")
    (_, headers), data = rows[0], rows[1:]
    headers = [h.strip() for h in headers]
    while headers and not headers[-1]:  # the World Bank ends each row with a comma
        headers.pop()
    return Table(headers, data, used, meta)


# ---- headers ------------------------------------------------------------------

_MONTH = re.compile(r"^(?:t|thang|m)\s*0?(1[0-2]|[1-9])\s*[/.-]\s*(\d{4})$")  # T1/2024, tháng 7/2024
_MONTH_NUM = re.compile(r"^0?(1[0-2]|[1-9])\s*/\s*(\d{4})$|^(\d{4})-(0[1-9]|1[0-2])$")  # 7/2024, 2024-07
_QUARTER = re.compile(r"^(?:q|quy)\s*([1-4])\s*[/ -]?\s*(\d{4})$|^(\d{4})\s*-?\s*q([1-4])$")
_HALF = re.compile(r"^h([12])\s*[/ -]?\s*(\d{4})$|^(\d{4})\s*-?\s*h([12])$")
_YEAR = re.compile(r"^(\d{4})(?:\s*\[yr\d{4}\])?$")  # 2019, and the World Bank's "2019 [YR2019]"


def header_period(header: str) -> str | None:
    """The schema period a column header names, or None: '2019', 'T1/2024', 'Q1 2024', 'H1 2024'."""
    h = fold(header.strip())
    if m := _YEAR.match(h):
        return m[1] if 1800 <= int(m[1]) <= 2200 else None
    if m := _MONTH.match(h):
        return f"{m[2]}-{int(m[1]):02d}"
    if m := _MONTH_NUM.match(h):
        return f"{m[2]}-{int(m[1]):02d}" if m[1] else f"{m[3]}-{m[4]}"
    if m := _QUARTER.match(h):
        return f"{m[2]}-Q{m[1]}" if m[1] else f"{m[3]}-Q{m[4]}"
    if m := _HALF.match(h):
        return f"{m[2]}-H{m[1]}" if m[1] else f"{m[3]}-H{m[4]}"
    return None


_SCALES = [("billion", 1e9), ("bn", 1e9), ("ty", 1e9), ("million", 1e6), ("mn", 1e6), ("trieu", 1e6),
           ("thousand", 1e3), ("nghin", 1e3), ("ngan", 1e3)]
_UNITS = [("us$", "USD"), ("usd", "USD"), ("dong", "VND"), ("vnd", "VND"), ("tan", "tonnes"),
          ("tonnes", "tonnes"), ("%", "%"), ("percent", "%")]


def scale_of(text: str) -> tuple[float, str | None]:
    """('billion USD') -> (1e9, 'USD'); ('tỷ đồng') -> (1e9, 'VND'); ('nghìn tấn') -> (1e3, 'tonnes')."""
    words = re.findall(r"[a-z$%]+", fold(text).replace("us$", "usd"))
    factor = next((f for w, f in _SCALES if w in words), 1.0)
    unit = next((u for w, u in _UNITS if w.replace("us$", "usd") in words), None)
    return factor, unit


_MISSING = {"", "..", "-", "–", "n/a", "na", "nan", "null", "x", ":"}


def number(cell: str) -> float | None:
    """A cell as a number; None for an empty or missing-value marker ('..', '-', 'n/a').

    Raises ValueError for anything else that is not a number."""
    c = cell.strip().replace("\u00a0", "").replace(" ", "")
    if c.lower() in _MISSING:
        return None
    if re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", c):  # 1,234,567.8
        c = c.replace(",", "")
    elif re.fullmatch(r"-?\d{1,3}(\.\d{3})+(,\d+)?", c):  # 1.234.567,8 (Vietnamese style)
        c = c.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"-?\d+,\d+", c):  # 5,5
        c = c.replace(",", ".")
    return float(c)
