"""Periods and dates: parse them into (first day, last day) spans.

Every period a fact can carry (2024, 2024-07, 2024-Q3, 2024-H1, 2024-07-05,
and ranges A/B) becomes an inclusive span of ISO dates, so filters compare
strings: ``start <= other_end and end >= other_start``.
"""

from __future__ import annotations

import re
from functools import lru_cache

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

Span = tuple[str, str]  # (first day, last day), ISO strings

# The forms are read by their shape, without regular expressions: compiling the five patterns
# cost ~0.15 ms of every command that prints a period.  Digits are ASCII ([0-9], not \d:
# fullwidth digits are not dates).


def _digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _days_in(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _month_span(year: int, first: int, last: int) -> Span:
    if year < 1:  # there is no year 0: Python's dates (and Parquet/DuckDB exports) cannot hold it
        raise ValueError("year 0000 is not a year of the calendar")
    end_day = _days_in(year, last)
    return f"{year:04d}-{first:02d}-01", f"{year:04d}-{last:02d}-{end_day:02d}"


def _single(text: str, allow_parts: bool) -> Span:
    """YYYY, YYYY-MM, YYYY-MM-DD, and with ``allow_parts`` YYYY-Qn (n 1-4) and YYYY-Hn (n 1-2)."""
    size = len(text)
    if size == 4 and _digits(text):
        return _month_span(int(text), 1, 12)
    if size == 7 and text[4] == "-" and _digits(text[:4]):
        y, tail = int(text[:4]), text[5:]
        if _digits(tail):
            mo = int(tail)
            if not 1 <= mo <= 12:
                raise ValueError(f"month {mo:02d} is not 01-12")
            return _month_span(y, mo, mo)
        if allow_parts and tail[0] in "Qq" and tail[1] in "1234":
            q = int(tail[1])
            return _month_span(y, 3 * q - 2, 3 * q)
        if allow_parts and tail[0] in "Hh" and tail[1] in "12":
            h = int(tail[1])
            return _month_span(y, 6 * h - 5, 6 * h)
    if size == 10 and text[4] == "-" and text[7] == "-" and _digits(text[:4]) and _digits(text[5:7]) \
            and _digits(text[8:]):
        y, mo, d = int(text[:4]), int(text[5:7]), int(text[8:])
        if y < 1:
            raise ValueError("year 0000 is not a year of the calendar")
        if not 1 <= mo <= 12:
            raise ValueError(f"month {mo:02d} is not 01-12")
        if not 1 <= d <= _days_in(y, mo):
            raise ValueError(f"{text} is not a day of the calendar")
        return text, text
    raise ValueError("")


PERIOD_FORMS = "2024, 2024-07, 2024-Q3, 2024-H1, 2024-07-05 or a range like 2024-01/2024-11"
DATE_FORMS = "YYYY-MM-DD (or YYYY-MM, YYYY where only that is known)"


@lru_cache(maxsize=4096)  # a few hundred distinct periods serve 100,000 facts
def parse_period(text: str) -> Span:
    """Parse a fact period into its span; ValueError says what is wrong."""
    text = text.strip()
    parts = text.split("/")
    if len(parts) > 2:
        raise ValueError(f"bad period {text!r}: a range has one '/'; expected {PERIOD_FORMS}")
    try:
        spans = [_single(p.strip(), allow_parts=True) for p in parts]
    except ValueError as e:
        detail = f" ({e})" if str(e) else ""
        raise ValueError(f"bad period {text!r}{detail}; expected {PERIOD_FORMS}") from None
    start, end = spans[0][0], spans[-1][1]
    if start > end:
        raise ValueError(f"bad period {text!r}: the range ends before it starts")
    return start, end


@lru_cache(maxsize=4096)
def parse_date(text: str) -> Span:
    """Parse an ISO date, or a month or year where only that is known."""
    try:
        return _single(text.strip(), allow_parts=False)
    except ValueError as e:
        detail = f" ({e})" if str(e) else ""
        raise ValueError(f"bad date {text!r}{detail}; expected {DATE_FORMS}") from None


MONTHS = {
    name: i
    for i, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"), ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}


class PeriodMatch(tuple):
    """A period found in typed words: its text, and either a span (the year is
    known) or (first, last) months of any year ('Q3', 'first half')."""

    __slots__ = ()

    def __new__(cls, text: str, span: Span | None = None, months: tuple[int, int] | None = None,
                context: str = ""):
        return tuple.__new__(cls, (text, span, months, context))

    text = property(lambda self: self[0])
    span = property(lambda self: self[1])
    months = property(lambda self: self[2])
    # The words that make it a point of comparison, not the period asked about: 'since' in
    # 'highest since November 2018', 'so voi' in 'so với cùng kỳ năm 2023'; '' for none.
    context = property(lambda self: self[3])

    def __repr__(self) -> str:
        extra = f", context={self.context!r}" if self.context else ""
        return f"PeriodMatch({self.text!r}, span={self.span}, months={self.months}{extra})"


# ---- periods in the words people type, English and Vietnamese --------------
# Text is folded first (case, diacritics, đ: 'tháng' -> 'thang', 'quý' -> 'quy',
# 'đầu' -> 'dau', 'năm' -> 'nam'), dashes become '-'.

_MON = (r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
        r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_Y = r"((?:19|20)[0-9]{2})"
_FACT = r"([0-9]{4}(?:-(?:[0-9]{2}(?:-[0-9]{2})?|[qh][1-4]))?)"
_TO = r"\s*(?:-|to|through|until|den)\s*"
_OF_Y = r"(?:,?\s+(?:of\s+|nam\s+)?|\s*[/-]\s*)" + _Y  # ' 2024', ' of 2024', '/2024', ' nam 2024'
_NTH = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "last": 0}
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_ORD = r"(first|1st|second|2nd|third|3rd|fourth|4th|last)"
_NUM_WORDS = {"three": 3, "six": 6, "nine": 9, "eleven": 11, "ten": 10, "eight": 8, "seven": 7, "five": 5,
              "four": 4, "two": 2}
_N = r"([0-9]{1,2}|three|six|nine|eleven|ten|eight|seven|five|four|two)"
# A word before 'nam' that makes it part of a place, not 'năm' (year): Việt Nam, Hà Nam, Quảng Nam.
_NAM_PLACES = {"viet", "ha", "quang", "ninh", "hai"}
# Months by their Vietnamese names, folded: tháng Giêng/Một ... tháng Mười Hai/Chạp.
_VI_MONTHS = {"gieng": 1, "mot": 1, "hai": 2, "ba": 3, "tu": 4, "nam": 5, "sau": 6, "bay": 7, "tam": 8, "chin": 9,
              "muoi": 10, "muoi mot": 11, "muoi hai": 12, "chap": 12}
_VI_MON = r"(muoi\s+mot|muoi\s+hai|gieng|mot|hai|ba|tu|nam|sau|bay|tam|chin|muoi|chap)"
# early-, mid-, late-2024: thirds of the year (January-April, May-August, September-December).
_PART = {"early": (1, 4), "mid": (5, 8), "late": (9, 12), "end": (9, 12), "dau": (1, 4), "giua": (5, 8),
         "cuoi": (9, 12)}


def _month_no(name: str) -> int:
    return MONTHS[name.rstrip(".")[:4] if name.startswith("sept") else name.rstrip(".")]


def _n(text: str) -> int:
    return int(text) if text.isdigit() else _NUM_WORDS[text]


def _months(first: int, last: int, year: str | None) -> tuple[Span | None, tuple[int, int] | None]:
    if not (1 <= first <= last <= 12):
        raise ValueError("")
    return (_month_span(int(year), first, last), None) if year else (None, (first, last))


def _day(year: str, month: int, day: int) -> tuple[Span, None]:
    text = f"{int(year):04d}-{month:02d}-{day:02d}"
    return parse_period(text), None  # ValueError for 31/2: not a day, so not this rule's match


def _quarter(q: int, year: str | None):
    return _months(3 * q - 2, 3 * q, year)


def _half(h: int, year: str | None):
    return _months(6 * h - 5, 6 * h, year)


def _ordinal(word: str, of: int):
    n = _NTH[word]
    return n if n else of  # 'last quarter' is the fourth, 'last half' the second


# (pattern, handler): the handler returns (span, months), or raises ValueError to skip the match.
# Tried in this order; each match blanks its words so later patterns cannot reuse them.
_RULES: list[tuple[str, Callable[..., tuple[Span | None, tuple[int, int] | None]]]] = [
    # fact forms and ranges of them: 2024-01/2024-11, 2016/2020, 2024-07-05, 2024-q3
    (_FACT + r"\s*/\s*" + _FACT, lambda a, b: (parse_period(f"{a}/{b}"), None)),
    (r"([0-9]{4}-[0-9]{2}-[0-9]{2})", lambda d: (parse_period(d), None)),
    # Days: 5/7/2024 (day/month/year, the Vietnamese order: see day_month_notes), July 5, 2024,
    # 5 July 2024, ngày 5 tháng 7 năm 2024
    # (one separator, '/' or '.', twice: 'tháng 1-11/2024' is a range of months, not 1 November)
    (r"(?:ngay\s+)?([0-9]{1,2})\s*([/.])\s*([0-9]{1,2})\s*\2\s*" + _Y,
     lambda d, _, m, y: _day(y, int(m), int(d))),
    (_MON + r"\s+([0-9]{1,2})(?:st|nd|rd|th)?,?\s+" + _Y, lambda m, d, y: _day(y, _month_no(m), int(d))),
    (r"([0-9]{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MON + r",?\s+" + _Y,
     lambda d, m, y: _day(y, _month_no(m), int(d))),
    (r"ngay\s+([0-9]{1,2})\s+thang\s+([0-9]{1,2})" + _OF_Y, lambda d, m, y: _day(y, int(m), int(d))),
    # Jan-Nov 2024, January to November 2024, tháng 1-11/2024
    (_MON + _TO + _MON + r"(?:" + _OF_Y + r")?", lambda a, b, y: _months(_month_no(a), _month_no(b), y)),
    (r"thang\s+([0-9]{1,2})" + _TO + r"(?:thang\s+)?([0-9]{1,2})(?:" + _OF_Y + r")?",
     lambda a, b, y: _months(int(a), int(b), y)),
    # Two month names side by side, as people type a range: 'January October', 'tháng 1 tháng 10'
    # (search reads a yearless one as the latest year that has it, and says so)
    (_MON + r"\s+(?:and\s+|&\s+)?" + _MON + r"(?:" + _OF_Y + r")?",
     lambda a, b, y: _months(_month_no(a), _month_no(b), y)),
    (r"thang\s+([0-9]{1,2})\s+(?:va\s+)?thang\s+([0-9]{1,2})(?:" + _OF_Y + r")?",
     lambda a, b, y: _months(int(a), int(b), y)),
    # 2023-2024, 2023 to 2024
    (_Y + _TO + _Y, lambda a, b: (parse_period(f"{a}/{b}"), None)),
    # first half 2024, H1 2024, 2024 H1, 2024-H1, nửa đầu năm 2024, second half
    (r"(first|1st|second|2nd|last)\s+half(?:" + _OF_Y + r")?", lambda w, y: _half(_ordinal(w, 2), y)),
    (_Y + r"\s*-?\s*h([12])", lambda y, h: _half(int(h), y)),
    (r"h([12])(?:" + _OF_Y + r")?", lambda h, y: _half(int(h), y)),
    (r"nua\s+(dau|cuoi|sau)(?:\s+nam)?(?:" + _OF_Y + r")?", lambda w, y: _half(1 if w == "dau" else 2, y)),
    # Q3 2024, 2024 Q3, third quarter of 2024, quý 3/2024, quý III năm 2024
    (_ORD + r"\s+quarter(?:" + _OF_Y + r")?", lambda w, y: _quarter(_ordinal(w, 4), y)),
    (_Y + r"\s*-?\s*q([1-4])", lambda y, q: _quarter(int(q), y)),
    (r"q([1-4])(?:" + _OF_Y + r")?", lambda q, y: _quarter(int(q), y)),
    (r"quy\s+([1-4]|iv|i{1,3})(?:" + _OF_Y + r")?", lambda q, y: _quarter(_ROMAN.get(q) or int(q), y)),
    (r"quarter\s+([1-4]|iv|i{1,3})(?:" + _OF_Y + r")?", lambda q, y: _quarter(_ROMAN.get(q) or int(q), y)),
    (r"half\s+([12])(?:" + _OF_Y + r")?", lambda h, y: _half(int(h), y)),
    # 9M 2024, 9M2024, 9m/2024: the first nine months
    (r"([0-9]{1,2})m\s*[/-]?\s*" + _Y, lambda n, y: _months(1, int(n), y)),
    # 11 months 2024, first 11 months of 2024, 6 tháng đầu năm 2024, 6 tháng cuối năm
    (r"(?:(?:the\s+)?first\s+)?" + _N + r"\s+months?(?:" + _OF_Y + r")?", lambda n, y: _months(1, _n(n), y)),
    (r"([0-9]{1,2})\s+thang\s+(dau|cuoi)(?:\s+nam)?(?:" + _OF_Y + r")?",
     lambda n, w, y: _months(1, int(n), y) if w == "dau" else _months(13 - int(n), 12, y)),
    (r"([0-9]{1,2})\s+thang(?:\s+nam)?\s+" + _Y, lambda n, y: _months(1, int(n), y)),
    # July 2024, Jul 2024, 2024 July, tháng 7 năm 2024, tháng 7/2024, 07/2024, 7/2024, 2024-07
    (_MON + r"(?:,?\s+|\s*[-/'’]\s*)" + _Y, lambda m, y: _months(_month_no(m), _month_no(m), y)),
    # T7/2024, T7 2024, T07-2024 (Vietnamese tables), tháng Bảy 2024
    (r"t\s*([0-9]{1,2})\s*[/.-]\s*" + _Y, lambda m, y: _months(int(m), int(m), y)),
    (r"t([0-9]{1,2})\s+" + _Y, lambda m, y: _months(int(m), int(m), y)),
    (r"thang\s+" + _VI_MON + _OF_Y, lambda m, y: _months(_VI_MONTHS[" ".join(m.split())],
                                                          _VI_MONTHS[" ".join(m.split())], y)),
    (_Y + r"\s+" + _MON, lambda y, m: _months(_month_no(m), _month_no(m), y)),
    (r"thang\s+([0-9]{1,2})(?:" + _OF_Y + r"|\s*\.\s*" + _Y + r")",
     lambda m, y, y2: _months(int(m), int(m), y or y2)),
    (r"([0-9]{1,2})\s*/\s*" + _Y, lambda m, y: _months(int(m), int(m), y)),
    (_Y + r"-([0-9]{2})", lambda y, m: _months(int(m), int(m), y)),
    # mid-2024, early 2024, late 2024, giữa năm 2024: a third of the year
    (r"(early|mid|late|end|(?:the\s+)?middle\s+of)\s*[-]?\s*(?:of\s+)?" + _Y,
     lambda w, y: _months(*_PART["mid" if w.endswith("of") else w], y)),
    (r"(dau|giua|cuoi)\s+nam\s+" + _Y, lambda w, y: _months(*_PART[w], y)),
    # FY2024, FY 2024, FY24, fiscal year 2024, năm tài chính 2024: Vietnam's fiscal year is the calendar year
    (r"(?:fy\s*|fiscal\s+(?:year\s+)?|nam\s+tai\s+chinh\s+)" + _Y, lambda y: (parse_period(y), None)),
    (r"fy\s*'?([0-9]{2})", lambda y: (parse_period(f"20{y}"), None)),
    # năm 2024, 2024
    (r"nam\s+" + _Y, lambda y: (parse_period(y), None)),  # not after Viet, Ha, Quang: see find_periods
    (_Y, lambda y: (parse_period(y), None)),
]
_COMPILED: list = []

# Words before a period that make it a point of comparison ('highest since November 2018',
# 'up 5% compared with the same period of 2023', 'so với cùng kỳ năm 2023', 'kể từ tháng 11/2018'),
# folded, longest first; words between them and the period that do not change that.
_CONTEXT = (("compared", "with"), ("compared", "to"), ("in", "comparison", "with"), ("relative", "to"),
            ("so", "voi"), ("ke", "tu"), ("since",), ("than",), ("vs",), ("versus",), ("against",))
_BETWEEN = {"the", "same", "period", "time", "month", "quarter", "of", "in", "a", "that", "cung", "ky", "thoi",
            "diem", "nay", "luc", "thang", "quy"}


def _context_before(words: list[str]) -> tuple[str, int]:
    """The comparison words that end ``words`` (the text before a period), or '', and how many
    words they take with those between them and the period ('compared with the same month of')."""
    i = len(words)
    while i and words[i - 1] in _BETWEEN and len(words) - i < 5:
        i -= 1
    for marker in _CONTEXT:
        if tuple(words[max(i - len(marker), 0):i]) == marker:
            return " ".join(marker), len(words) - i + len(marker)
    return "", 0


# What every text find_periods' test matches holds: a digit, one of these words, or a month's name
# (its first three letters).
_PERIOD_HINTS = ("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "half", "quarter", "nua", "quy", "month",
                 "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _may_hold_period(work: str) -> bool:
    return any(hint in work for hint in _PERIOD_HINTS)


def find_periods(text: str) -> tuple[list[PeriodMatch], str]:
    """Periods in free words, and the words left over.

    'hanoi fdi first half 2024' -> ([PeriodMatch('first half 2024', span=('2024-01-01', '2024-06-30'))], 'hanoi fdi')
    English and Vietnamese: 'July 2024', '7/2024', 'H1 2024', 'second half', 'Q3 2024',
    'third quarter 2024', '11 months 2024', 'Jan-Nov 2024', '2023-2024', 'tháng 7 năm 2024',
    '6 tháng đầu năm 2024', 'quý 3/2024', 'năm 2024'.  The leftover text is folded.
    A period after 'since', 'compared with', 'than', 'so với', 'kể từ'... is found with its
    ``context`` set: it is what the figure is compared with, not the period asked about.
    """
    from vnecon.core.text import fold

    work = fold(text)
    if not work.isascii():  # the dashes are not ASCII: an ASCII query needs no regex compiled for them
        work = re.sub(r"[\u2010-\u2015\u2212]", "-", work)
    # Most queries hold no period: skip compiling the rules (3 ms) for them, and the test below
    # too (0.5 ms) when the text has none of the digits and words it looks for.
    if not _may_hold_period(work) or not re.search(
            r"[0-9]|half|quarter|nua\s|quy\s|month|" + _MON + r"(?:" + _TO + r"|\s+(?:and\s+|&\s+)?)" + _MON,
            work):  # every rule has one
        return [], " ".join(work.split())
    if not _COMPILED:
        _COMPILED.extend((re.compile(r"(?<![a-z0-9])" + p + r"(?![a-z0-9])"), h) for p, h in _RULES)
    found: list[tuple[int, PeriodMatch]] = []
    for pattern, handler in _COMPILED:
        pos = 0
        while m := pattern.search(work, pos):
            try:
                span, months = handler(*m.groups())
            except (ValueError, KeyError):
                pos = m.start() + 1
                continue
            start = m.start()
            if m.group(0).startswith("nam") and work[:start].split()[-1:] in ([p] for p in _NAM_PLACES):
                start = m.start(1)  # 'Viet Nam 2024' is the year 2024 in Vietnam
            text_of = " ".join(work[start:m.end()].split())
            context, size = _context_before(work[:start].split())
            if context:  # the comparison words go with the period: they are not search words
                kept = work[:start].split()[:-size]
                start = len(re.match(r"\s*" + r"\s+".join(map(re.escape, kept)), work)[0]) if kept else 0
            found.append((start, PeriodMatch(text_of, span, months, context)))
            work = work[:start] + " " * (m.end() - start) + work[m.end():]
            pos = m.end()
    found.sort(key=lambda pair: pair[0])
    return [p for _, p in found], " ".join(work.split())


def day_month_notes(text: str) -> list[str]:
    """What a reader should be told about dates read one way of two: '5/7/2024' is 5 July 2024
    (day/month/year, as Vietnamese write it), not May 7."""
    from vnecon.core.text import fold

    notes: list[str] = []
    folded = fold(text)
    if "/" not in folded and "." not in folded:  # the date needs one of them: no regex to compile
        return notes
    for d, sep, m, y in re.findall(r"(?<![0-9/])([0-9]{1,2})\s*([/.])\s*([0-9]{1,2})\s*\2\s*" + _Y, folded):
        if int(d) <= 12 and int(m) <= 12 and int(d) != int(m):
            notes.append(f"{d}{sep}{m}{sep}{y} read as {int(d)} {_MONTH_NAMES[int(m)]} {y} (day/month/year, the "
                         f"Vietnamese order); for {_MONTH_NAMES[int(d)]} {int(m)} type {y}-{int(d):02d}-{int(m):02d}")
    return notes


_MONTH_NAMES = {i: n.capitalize() for n, i in MONTHS.items() if len(n) > 3 or n == "may"}
_SCHEMA_PARTS = {(1, 3): "Q1", (4, 6): "Q2", (7, 9): "Q3", (10, 12): "Q4", (1, 6): "H1", (7, 12): "H2"}


def schema_period(text: str) -> str | None:
    """A period typed in any form people use, as the schema writes it: 'T7/2024' -> '2024-07',
    '9M 2024' -> '2024-01/2024-09', 'quarter 3 2024' -> '2024-Q3', 'FY2024' -> '2024'; None when
    the text is not one period.  The one reading for --period, search and import."""
    try:
        start, end = parse_user_period(text)
    except ValueError:
        return None
    return period_of_span(start, end)


def period_of_span(start: str, end: str) -> str:
    """('2024-07-01', '2024-09-30') -> '2024-Q3': the shortest schema form of a span."""
    if start == end:
        return start
    y1, m1, d1 = (int(x) for x in start.split("-"))
    y2, m2, d2 = (int(x) for x in end.split("-"))
    whole_months = d1 == 1 and d2 == _days_in(y2, m2)
    if not whole_months:
        return f"{start}/{end}"
    if y1 == y2:
        if (m1, m2) == (1, 12):
            return f"{y1:04d}"
        if m1 == m2:
            return f"{y1:04d}-{m1:02d}"
        if (m1, m2) in _SCHEMA_PARTS:
            return f"{y1:04d}-{_SCHEMA_PARTS[m1, m2]}"
    if (m1, m2) == (1, 12):
        return f"{y1:04d}/{y2:04d}"
    return f"{y1:04d}-{m1:02d}/{y2:04d}-{m2:02d}"


def parse_user_period(text: str) -> Span:
    """Parse a period typed on the command line: the fact forms, or one period in
    words ('July 2024', 'H1 2024', '2024 Q3', 'tháng 7/2024', 'Jan-Nov 2024')."""
    try:
        return parse_period(text)
    except ValueError as e:
        error = e
    found, rest = find_periods(text)
    if len(found) == 1 and found[0].span and not rest.strip(" ,.;"):
        return found[0].span
    raise error
