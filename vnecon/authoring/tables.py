"""Reading tables of figures for `vnecon import`: bytes to rows, headers to periods and scales.

Plain functions over plain data; no Typer, no Rich.  Errors are UsageError
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
    layout: str | None = None  # "worldbank" when the file shows it is one (its preamble or DataBank header)


# Files that are not text at all, by their first bytes: saying "try --encoding cp1258" for these would fail again.
_BINARY = [
    (b"PK\x03\x04", "a spreadsheet (.xlsx or .ods, a zip file)"),
    (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls)"),
    (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "a gzip-compressed file"),
]
_CONVERT = ("save it as CSV first: in Excel or LibreOffice, File > Save As > 'CSV UTF-8'; or "
            "`libreoffice --headless --convert-to csv FILE`; or in Python, "
            "pandas.read_excel('FILE').to_csv('table.csv', index=False)")


def binary_kind(raw: bytes) -> str | None:
    """What a binary file is ('a spreadsheet ...'), or None for anything that may be text."""
    for magic, what in _BINARY:
        if raw.startswith(magic):
            return what
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "a binary file, not a text table"
    return None


def decode(raw: bytes, name: str, encoding: str | None = None) -> tuple[str, str]:
    """Text and the encoding used: UTF-8 with or without BOM, UTF-16 with BOM, or what --encoding says."""
    what = binary_kind(raw)
    if what:
        tail = _CONVERT.replace("FILE", name) if "spreadsheet" in what or "Excel" in what else (
            "vnecon imports CSV or TSV text")
        raise UsageError(f"{name}: this is {what}, not CSV; {tail}")
    if encoding:
        try:
            return raw.decode(encoding), encoding
        except (LookupError, UnicodeDecodeError) as e:
            raise UsageError(f"{name}: cannot read as {encoding}: {e}") from None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text" is UTF-16
        return raw.decode("utf-16"), "utf-16"
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as e:
        line = raw[:e.start].count(b"\n") + 1
        raise UsageError(f"{name}:{line}: not UTF-8 (byte {raw[e.start]:#04x}); if it was saved by Excel on "
                         "Windows, it is probably Windows-1258 (Vietnamese) or Windows-1252: try "
                         "--encoding cp1258 or --encoding cp1252") from None


def _cells(line: str) -> list[str]:
    return [c.strip() for c in next(csv.reader([line]))] if line.strip() else []


def looks_worldbank(lines: list[str]) -> bool:
    """The World Bank's CSV: its "Data Source" preamble, or a DataBank export's header."""
    head = _cells(lines[0].lstrip("\ufeff")) if lines else []
    return bool(head) and (head[0] == "Data Source" or (
        "Country Code" in head and ("Series Code" in head or "Indicator Code" in head)))


_DATABANK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})$")


def records(text: str, name: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """Every CSV record with the line of the file it starts on, read by the csv module itself.

    Only \\n, \\r and \\r\\n end a record: U+2028, U+2029, \\x85 or \\x0c inside a
    quoted name stay in the name (str.splitlines would cut the record there).
    A file that ends inside a quoted value was cut short: an error, not a number.
    """
    def read(strict: bool) -> list[tuple[int, list[str]]]:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=strict)
        out, line = [], 1
        try:
            for row in reader:
                out.append((line, row))
                line = reader.line_num + 1
        except csv.Error as e:
            if "unexpected end of data" in str(e):
                raise UsageError(f"{name}:{line}: the file ends inside a quoted value (a quote opened on line "
                                 f"{line} is never closed): it looks cut short; nothing was read") from None
            if strict:
                raise _Lenient from None
            raise UsageError(f"{name}:{line}: {e}") from None
        return out

    try:
        return read(strict=True)
    except _Lenient:  # a stray quote inside a value ('5"'): read it as the spreadsheet would
        return read(strict=False)


class _Lenient(Exception):
    pass


def read_table(raw: bytes, name: str, delimiter: str | None = None, encoding: str | None = None,
               layout: str | None = None) -> Table:
    text, used = decode(raw, name, encoding)
    text = text.lstrip("\ufeff")
    head = text.split("\n", 40)[:40]  # a sample, to guess the layout and the delimiter
    meta: dict[str, str] = {}
    if layout is None and looks_worldbank(head[:1]):
        layout = "worldbank"
    if delimiter is None:
        if layout == "worldbank":
            delimiter = ","
        else:
            sample = "\n".join(head[:20])
            counts = {d: sample.count(d) for d in (",", "\t", ";")}
            delimiter = max(counts, key=counts.get) if any(counts.values()) else ","
    rows = records(text, name, delimiter)
    start = 0
    if layout == "worldbank":
        # The download: "Data Source","World Development Indicators", ... then a blank line, then the
        # header.  A DataBank export: the header first, and "Data from database: ..." lines at the end.
        for i, (_, row) in enumerate(rows):
            cells = [c.strip() for c in row]
            if "Country Name" in cells:
                start = i
                break
            if len(cells) >= 2 and cells[0]:
                meta[cells[0]] = cells[1]
        else:
            raise UsageError(f"{name}: no 'Country Name' header row: not the World Bank layout")
        for _, row in rows[start + 1:]:
            cells = [c.strip() for c in row if c.strip()]
            if len(cells) == 1 and ":" in cells[0]:
                key, _, value = cells[0].partition(":")
                if key.strip() == "Data from database":
                    meta.setdefault("Data Source", value.strip())
                elif key.strip() == "Last Updated" and (m := _DATABANK_DATE.search(value.strip())):
                    meta.setdefault("Last Updated Date", f"{m[3]}-{int(m[1]):02d}-{int(m[2]):02d}")
    rows = [(n, r) for n, r in rows[start:] if any(c.strip() for c in r)]
    if not rows:
        raise UsageError(f"{name}: no rows")
    (_, headers), data = rows[0], rows[1:]
    headers = [h.strip() for h in headers]
    while headers and not headers[-1]:  # the World Bank ends each row with a comma
        headers.pop()
    return Table(headers, data, used, meta, layout)


# ---- headers ------------------------------------------------------------------

_YEAR = re.compile(r"^(\d{4})(?:\.0|\s*\[yr\d{4}\])?$")  # 2019, the World Bank's "2019 [YR2019]", pandas' 2019.0


def header_period(header: str) -> str | None:
    """The schema period a column header names, or None: '2019', 'T1/2024', 'Q1 2024', 'H1 2024',
    '9M 2024', 'Jul-2024'... read by the parser --period and search use (core/periods.py)."""
    h = fold(header.strip())
    if m := _YEAR.match(h):
        return m[1] if 1800 <= int(m[1]) <= 2200 else None
    return table_period(header)


def table_period(text: str) -> str | None:
    """A period cell or header as the schema writes it; a schema period stays as written."""
    from vnecon.core.periods import parse_period, schema_period

    try:
        parse_period(text.strip())
        return text.strip()
    except ValueError:
        return schema_period(text)


_SCALES = {"trillion": 1e12, "billion": 1e9, "bn": 1e9, "ty": 1e9, "million": 1e6, "mn": 1e6, "mln": 1e6,
           "trieu": 1e6, "thousand": 1e3, "nghin": 1e3, "ngan": 1e3, "hundred": 1e2, "tram": 1e2, "chuc": 1e1}
# Units in the spelling the bundled facts use, so imported and bundled figures form one series.
_UNITS = [("us$", "USD"), ("usd", "USD"), ("dong", "VND"), ("vnd", "VND"), ("tan", "tonnes"),
          ("tonnes", "tonnes"), ("tons", "tonnes"), ("%", "%"), ("percent", "%"), ("diem", "points"),
          ("points", "points"), ("pts", "points")]
_WORDS = re.compile(r"[a-z$%]+")


def _scale_words(text: str) -> tuple[float, list[str]]:
    """The scale of a text and its words: the scale words in a row multiply ('nghìn tỷ' is 1e3 x 1e9,
    'trăm triệu' 1e2 x 1e6); scale words apart from the first run ('million USD per thousand
    people') are not a scale of the figure, so the run that comes first is the scale."""
    words = _WORDS.findall(fold(text).replace("us$", "usd"))
    factor, run = 1.0, False
    for i, w in enumerate(words):
        after = words[i + 1] if i + 1 < len(words) else ""
        if w in _SCALES and not _not_scale(w, after):
            factor, run = factor * _SCALES[w], True
        elif run:
            break
    return factor, words


def _not_scale(word: str, after: str) -> bool:
    """'tỷ lệ' is a ratio, not a billion; 'trăm' and 'chục' fold like 'trạm' (a station) and
    'chúc', so they scale only before another scale word ('trăm triệu')."""
    return (word == "ty" and after == "le") or (word in ("tram", "chuc", "hundred") and after not in _SCALES)


def scale_of(text: str) -> tuple[float, str | None]:
    """('billion USD') -> (1e9, 'USD'); ('tỷ đồng') -> (1e9, 'VND'); ('nghìn tỷ đồng') -> (1e12, 'VND');
    ('nghìn tấn') -> (1e3, 'tonnes'); ('điểm') -> (1, 'points')."""
    factor, words = _scale_words(text)
    unit = next((u for w, u in _UNITS if w.replace("us$", "usd") in words), None)
    return factor, unit


def without_scale(text: str) -> str:
    """A unit with its scale words taken out, for a unit vnecon has no spelling of:
    'triệu người' -> 'người' (the value was multiplied by a million, so the unit must not say it again)."""
    tokens = text.split()
    folded = [fold(t).strip(".,()") for t in tokens]
    kept = [t for i, t in enumerate(tokens)
            if not (folded[i] in _SCALES and not _not_scale(folded[i], folded[i + 1] if i + 1 < len(folded) else ""))]
    return " ".join(kept).strip()


_MISSING = {"", "..", "-", "–", "n/a", "na", "nan", "null", "x", ":"}

# The decimal mark: "." (World Bank, English tables: 1,234.5) or "," (Vietnamese statistics: 1.234,5).
POINT, COMMA = ".", ","
_SHAPE = re.compile(r"[-+]?[\d.,]*\d")


def _clean(cell: str) -> str:
    return cell.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("'", "")


def is_missing(cell: str) -> bool:
    return _clean(cell).lower() in _MISSING


def evidence(cell: str) -> str | None:
    """The decimal mark a cell proves ('.' or ','), or None when it proves nothing.

    '2.9', '1,234.5', '1,234,567' prove '.'; '5,5', '1.234,5', '1.234.567' prove ','.
    '2.865' and '1,165' prove nothing: three digits after one mark read either way.
    """
    c = _clean(cell).lstrip("+-")
    if not _SHAPE.fullmatch(c):
        return None
    dots, commas = c.count("."), c.count(",")
    if dots and commas:
        return POINT if c.rfind(".") > c.rfind(",") else COMMA
    if dots > 1:
        return COMMA  # 1.234.567: dots group thousands
    if commas > 1:
        return POINT
    mark = "." if dots else "," if commas else None
    if mark is None:
        return None
    whole, frac = c.split(mark)
    if len(frac) == 3 and 1 <= len(whole) <= 3 and whole != "0":
        return None  # 2.865 or 2865?
    return POINT if mark == "." else COMMA


def ambiguous(cell: str) -> bool:
    """A cell that reads as two different numbers: one mark followed by three digits ('2.865', '1,165')."""
    c = _clean(cell).lstrip("+-")
    return bool(_SHAPE.fullmatch(c)) and (c.count(".") + c.count(",")) == 1 and evidence(cell) is None


def proved_marks(cells: list[tuple[int, str]]) -> dict[str, tuple[int, str]]:
    """Each decimal mark some cell proves, with the first such cell (row, text)."""
    out: dict[str, tuple[int, str]] = {}
    for row, c in cells:
        if (m := evidence(c)) and m not in out:
            out[m] = (row, c.strip())
    return out


def decide_decimal(cells: list[tuple[int, str]], fallback: str | None) -> tuple[str | None, str | None]:
    """(decimal mark, None) for one column from all of its cells, or (None, why) when nothing decides.

    What the cells prove wins; else ``fallback`` (the rest of the file, or the
    layout: the World Bank writes '.'); a column of whole numbers needs no
    mark.  ``why`` names the cell that reads two ways, or the two cells that
    prove different marks.
    """
    proved = proved_marks(cells)
    if len(proved) == 2:
        (r1, c1), (r2, c2) = proved[POINT], proved[COMMA]
        return None, (f"row {r1} writes {c1!r} (decimal point) but row {r2} writes {c2!r} (decimal comma)")
    if proved:
        return next(iter(proved)), None
    if fallback:
        return fallback, None
    first = next(((n, c) for n, c in cells if ambiguous(c)), None)
    if first is None:
        return None, None
    n, c = first
    whole, frac = re.split(r"[.,]", _clean(c))
    return None, (f"row {n}: {c.strip()!r} could be {whole}.{frac} or {whole}{frac}, and no other cell "
                  "tells which mark is the decimal")


def number(cell: str, decimal: str | None = None):
    """A cell as a number (an exact Decimal); None for an empty or missing-value marker ('..', '-', 'n/a').

    ``decimal`` is the column's decimal mark, '.' or ','; without it a cell
    that reads two ways ('2.865') raises ValueError, as does anything that is
    not a number or does not fit the mark.
    """
    from decimal import Decimal

    c = _clean(cell)
    if c.lower() in _MISSING:
        return None
    if not _SHAPE.fullmatch(c):
        raise ValueError(f"{cell.strip()!r} is not a number")
    mark = decimal or evidence(c)
    if mark is None and ambiguous(c):
        raise ValueError(f"{cell.strip()!r} reads two ways; give --decimal . or --decimal ,")
    sep = "," if mark == POINT else "."  # the thousands separator
    body = c.lstrip("+-")
    if mark and body.count(mark) > 1:
        raise ValueError(f"{cell.strip()!r} has two decimal marks {mark!r}")
    whole, _, frac = body.partition(mark) if mark else (body, "", "")
    if sep in frac or (sep in whole and not re.fullmatch(r"\d{1,3}(" + re.escape(sep) + r"\d{3})+", whole)):
        shown = "point" if mark == POINT else "comma"
        raise ValueError(f"{cell.strip()!r} does not fit the decimal {shown} ({mark!r}) of its column")
    text = whole.replace(sep, "") + ("." + frac if frac else "")
    return Decimal(("-" if c.startswith("-") else "") + text)
