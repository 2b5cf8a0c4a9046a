"""`vnecon calendar`: the releases due in a window, from the schedules, and what the data lacks.

Dates come from the `[[release]]` rules in force (load/schedule.py); whether a
release is in the data is whether the headline series has a point for the
period it brings (search/latest.py reads the points).  No Typer, no Rich.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from vnecon.search.index import Index

import datetime as dt
from collections import namedtuple

from vnecon.core.periods import period_of_span
from vnecon.load.schedule import (
    effective,
    expected_span,
    release_of,
    rule_text,
    rules_for,
)

# One release of one headline series: the day, the headline and rule records, the period it brings
# (its label and ISO span) and its status: upcoming, in the data, or not in the data.
Due = namedtuple("Due", "day headline rule period span status")
UPCOMING, PRESENT, MISSING = "upcoming", "in the data", "not in the data"
# Behind: a headline whose latest release due by today is not in the data, and the newest period it has.
Behind = namedtuple("Behind", "headline due newest")

LOOKBACK_MONTHS = 14  # period ends before a window that a rule may still release in it (up to a year later)


def _month_ends(first: dt.date, last: dt.date) -> list[dt.date]:
    out = []
    y, m = first.year, first.month
    while (y, m) <= (last.year, last.month):
        nxt = dt.date(y + m // 12, m % 12 + 1, 1)
        out.append(nxt - dt.timedelta(days=1))
        y, m = nxt.year, nxt.month
    return out


def _back(d: dt.date, months: int) -> dt.date:
    n = d.year * 12 + d.month - 1 - months
    return dt.date(n // 12, n % 12 + 1, 1)


class Calendar:
    """The schedules and the data's periods, read once: ``dues`` for a window, ``behind`` for a day."""

    def __init__(self, index: Index, place: Any = None) -> None:
        from vnecon.search.latest import points

        self.headlines, self.releases = effective(index.calendar_tables())
        self.rules = {h["id"]: rules_for(self.releases, h["id"]) for h in self.headlines}
        self.spans: dict[str, set[tuple[str, str]]] = {}
        self.newest: dict[str, str] = {}
        for h in self.headlines:
            if self.rules[h["id"]]:
                pts = points(index, h, place)
                self.spans[h["id"]] = {_span(f) for f in pts}
                self.newest[h["id"]] = str(pts[-1].get("period")) if pts else ""

    def _due(self, h: dict, period_end: dt.date, today: dt.date) -> Due | None:
        got = release_of(self.rules[h["id"]], period_end)
        if got is None:
            return None
        rule, day = got
        span = expected_span(h, rule["every"], period_end)
        status = UPCOMING if day > today else PRESENT if span in self.spans[h["id"]] else MISSING
        return Due(day, h, rule, period_of_span(*span), span, status)

    def dues(self, start: dt.date, end: dt.date, today: dt.date) -> list[Due]:
        """Every release due from start to end (both included), by day, then the headlines' order."""
        out = []
        for h in self.headlines:
            if not self.rules[h["id"]]:
                continue
            for period_end in _month_ends(_back(start, LOOKBACK_MONTHS), end):
                d = self._due(h, period_end, today)
                if d is not None and start <= d.day <= end:
                    out.append(d)
        return sorted(out, key=lambda d: (d.day, d.headline["order"], d.headline["id"]))

    def behind(self, today: dt.date) -> list[Behind]:
        """The headlines whose latest release due by today is not in the data."""
        out = []
        for h in self.headlines:
            if not self.rules[h["id"]]:
                continue
            last = None
            for period_end in _month_ends(_back(today, LOOKBACK_MONTHS), today):
                d = self._due(h, period_end, today)
                if d is not None and d.day <= today and (last is None or d.day >= last.day):
                    last = d
            if last is not None and last.status == MISSING:
                out.append(Behind(h, last, self.newest.get(h["id"], "")))
        return out

    def unscheduled(self) -> list[dict]:
        """Headlines no rule covers (the exchange rate, credit growth): the calendar cannot say."""
        return [h for h in self.headlines if not self.rules[h["id"]]]

    def pending(self, shown: set[str]) -> list[dict]:
        """Drafts and rules in force from a day no page gives, for the headlines shown."""
        return [r for r in self.releases if r.get("status", "in-force") != "in-force"
                and shown.intersection(r["series"])]


def _span(f: Any) -> tuple[str, str]:
    from vnecon.search.series import span_of

    return span_of(f)


def due_rows(dues: list[Due], sources: dict[str, Any]) -> list[dict[str, Any]]:
    """Plain rows for CSV, JSON and Markdown (CALENDAR_COLUMNS)."""
    out = []
    for d in dues:
        cited = [sources[s] for s in d.rule["sources"] if s in sources]
        out.append({
            "date": d.day.isoformat(), "time_utc": d.rule.get("time"), "headline": d.headline["id"],
            "label": d.headline["label"], "period": d.period, "period_start": d.span[0], "period_end": d.span[1],
            "status": d.status, "release": d.rule["name"], "publisher": d.rule["publisher"],
            "rule": rule_text(d.rule), "rule_id": d.rule["id"], "source": ";".join(d.rule["sources"]),
            "source_url": ";".join(str(s.get("url") or "") for s in cited) or None,
        })
    return out


CALENDAR_COLUMNS = ["date", "time_utc", "headline", "label", "period", "period_start", "period_end", "status",
                    "release", "publisher", "rule", "rule_id", "source", "source_url"]
