"""Periods and dates: parse them into (first day, last day) spans.

Every period a fact can carry (2024, 2024-07, 2024-Q3, 2024-H1, 2024-07-05,
and ranges A/B) becomes an inclusive span of ISO dates, so filters compare
strings: ``start <= other_end and end >= other_start``.
"""

from __future__ import annotations

import re
from functools import lru_cache

Span = tuple[str, str]  # (first day, last day), ISO strings

# Patterns as strings: re compiles (and caches) them on first use, not at import.
_YEAR = r"^([0-9]{4})\Z"  # [0-9], not \d: fullwidth digits are not dates
_MONTH = r"^([0-9]{4})-([0-9]{2})\Z"
_DAY = r"^([0-9]{4})-([0-9]{2})-([0-9]{2})\Z"
_QUARTER = r"^([0-9]{4})-[Qq]([1-4])\Z"
_HALF = r"^([0-9]{4})-[Hh]([12])\Z"


def _days_in(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _month_span(year: int, first: int, last: int) -> Span:
    end_day = _days_in(year, last)
    return f"{year:04d}-{first:02d}-01", f"{year:04d}-{last:02d}-{end_day:02d}"


def _single(text: str, allow_parts: bool) -> Span:
    if m := re.match(_YEAR, text):
        y = int(m[1])
        return _month_span(y, 1, 12)
    if m := re.match(_MONTH, text):
        y, mo = int(m[1]), int(m[2])
        if not 1 <= mo <= 12:
            raise ValueError(f"month {mo:02d} is not 01-12")
        return _month_span(y, mo, mo)
    if m := re.match(_DAY, text):
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
        if not 1 <= mo <= 12:
            raise ValueError(f"month {mo:02d} is not 01-12")
        if not 1 <= d <= _days_in(y, mo):
            raise ValueError(f"{text} is not a day of the calendar")
        return text, text
    if allow_parts:
        if m := re.match(_QUARTER, text):
            y, q = int(m[1]), int(m[2])
            return _month_span(y, 3 * q - 2, 3 * q)
        if m := re.match(_HALF, text):
            y, h = int(m[1]), int(m[2])
            return _month_span(y, 6 * h - 5, 6 * h)
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


def parse_user_period(text: str) -> Span:
    """Parse a period typed on the command line: fact forms plus 'July 2024', 'H1 2024', 'Q3 2024'."""
    t = text.strip().lower().replace(",", " ")
    words = t.split()
    if len(words) == 2:
        a, b = words
        if re.match(_YEAR, b):
            a, b = b, a
        if re.match(_YEAR, a):
            if b in MONTHS:
                return parse_period(f"{a}-{MONTHS[b]:02d}")
            if re.fullmatch(r"[qh][1-4]", b):
                return parse_period(f"{a}-{b}")
    return parse_period(t.replace(" ", ""))
