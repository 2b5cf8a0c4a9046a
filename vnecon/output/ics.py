"""An iCalendar file (RFC 5545) of the releases `vnecon calendar` lists, for a calendar app.

One event per release and period (a monthly report brings several headline
series: one event lists them all).  Its UID is made of the rule and the period,
so the same release has the same UID in every run and an app that imports the
file again updates the event rather than adding a second.  An all-day event,
or a half-hour one at the rule's time (UTC) where the publisher gives a time.
Written by hand: the format is small, and no dependency is needed to write it
(the tests read it back with the icalendar library).
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TextIO

import datetime as dt

PRODID = "-//vnecon//release calendar//EN"


def escape(text: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newline escaped."""
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n"))


def fold(line: str) -> str:
    """A content line folded at 75 octets (RFC 5545 3.1), never inside a UTF-8 character, CRLF-ended."""
    data = line.encode("utf-8")
    parts = []
    limit = 75
    while len(data) > limit:
        cut = limit
        while cut and (data[cut] & 0xC0) == 0x80:  # a continuation byte: cut before its character
            cut -= 1
        parts.append(data[:cut])
        data = data[cut:]
        limit = 74  # a continuation line starts with one space
    parts.append(data)
    return "\r\n ".join(p.decode("utf-8") for p in parts) + "\r\n"


def uid(rule_id: str, period: str) -> str:
    return f"{rule_id}.{period.replace('/', '_')}@vnecon"


def events(dues: list[Any]) -> list[list[Any]]:
    """The dues grouped into events: one per rule, period and day, in order of day."""
    groups: dict[tuple, list[Any]] = {}
    for d in dues:
        groups.setdefault((d.day, d.rule["id"], d.period), []).append(d)
    return [groups[k] for k in sorted(groups)]


def write_ics(dues: list[Any], out: TextIO, sources: dict[str, Any], stamp: dt.datetime | None = None) -> int:
    """Write the calendar; return the number of events.  ``stamp`` is DTSTAMP (default: now, UTC)."""
    from vnecon.load.schedule import rule_text

    stamp = stamp or dt.datetime.now(dt.timezone.utc)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             "X-WR-CALNAME:Vietnam economic releases (vnecon)"]
    grouped = events(dues)
    for group in grouped:
        d = group[0]
        rule = d.rule
        summary = f"{rule['name']}, {d.period} ({rule['publisher']})"
        series = "; ".join(f"{g.headline['label']}: {g.status}" for g in group)
        cited = [sources[s] for s in rule["sources"] if s in sources]
        basis = "; ".join(f"{s.get('publisher')}, {s.get('title')}" + (f" <{s.get('url')}>" if s.get("url") else "")
                          for s in cited)
        description = f"{series}.\nRule: {rule_text(rule)} ({rule['id']}).\nSource: {basis or ', '.join(rule['sources'])}"
        lines += ["BEGIN:VEVENT", f"UID:{uid(rule['id'], d.period)}", f"DTSTAMP:{stamp:%Y%m%dT%H%M%SZ}"]
        if rule.get("time"):
            hour, minute = map(int, rule["time"].split(":"))
            start = dt.datetime(d.day.year, d.day.month, d.day.day, hour, minute)
            lines += [f"DTSTART:{start:%Y%m%dT%H%M%SZ}", f"DTEND:{start + dt.timedelta(minutes=30):%Y%m%dT%H%M%SZ}"]
        else:
            lines += [f"DTSTART;VALUE=DATE:{d.day:%Y%m%d}",
                      f"DTEND;VALUE=DATE:{d.day + dt.timedelta(days=1):%Y%m%d}"]
        lines += [f"SUMMARY:{escape(summary)}", f"DESCRIPTION:{escape(description)}", "TRANSP:TRANSPARENT",
                  "END:VEVENT"]
    lines.append("END:VCALENDAR")
    out.write("".join(fold(line) for line in lines))
    return len(grouped)
