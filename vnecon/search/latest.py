"""`vnecon latest`: the newest figure of every headline series, beside the one before it.

Which series are headline is data (`[[headline]]`, load/schedule.py); a series'
points are the indicators of its measure that the command's scope sees
(`Index.facts`), of the headline's length where it names one.  The previous
figure is the series' point of the same length before it and the change is
search.series.change, as `vnecon series` computes it.  No Typer, no Rich.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from vnecon.search.index import Index

from collections import namedtuple

from vnecon.core.text import phrase
from vnecon.load.model import Fact
from vnecon.load.schedule import effective, measures
from vnecon.search.series import Change, change, span_length, span_of, status_of

# One row of `latest`: the headline record, its figure, the figure before it (None: no earlier point
# of the same length) and the change between them.
Latest = namedtuple("Latest", "headline fact previous change")


def headlines(index: Index) -> list[dict]:
    """The headline records in effect, in their order."""
    return effective(index.calendar_tables())[0]


def fits(fact: Fact, length: str | None) -> bool:
    """Whether a point has the headline's length: month, quarter, year, or ytd (from 1 January to
    a day of the same year); any length when the headline names none."""
    start, end = span_of(fact)
    if not start:
        return False
    if length is None:
        return True
    if length == "ytd":
        return start[5:] == "01-01" and end[:4] == start[:4]
    return span_length((start, end)) == length


def points(index: Index, headline: dict, place: Any = None) -> list[Fact]:
    """The series' points the scope sees, of the headline's length, oldest first (by end, then start)."""
    found = index.facts("kind = 'indicator' AND title_f = ?", (phrase(headline["name"]),), "pend, pstart, id")
    return [f for f in found if measures(f, headline, place) and fits(f, headline.get("length"))]


def with_previous(series: list[Fact]) -> list[tuple[Fact, Fact | None, Change | None]]:
    """Each point with the point of the same length before it and the change between them."""
    out = []
    last: dict[str, Fact] = {}
    for f in sorted(series, key=lambda f: (span_of(f)[0], span_of(f)[1], f.id)):
        n = span_length(span_of(f))
        prev = last.get(n)
        out.append((f, prev, change(prev, f) if prev is not None else None))
        last[n] = f
    return out


def latest(index: Index, since: str | None = None, place: Any = None) -> tuple[list[Latest], list[dict]]:
    """(rows, headlines with no point in the scope).  Without ``since``: each headline's newest point
    (latest end; of two ending together, the shorter: the month beside its year to date).  With
    ``since`` (an ISO day): every point published on or after that day (a figure dated to the month
    or year counts from its last day, as --as-of reads it), newest release first."""
    from vnecon.load.resolve import known_from

    rows: list[Latest] = []
    missing: list[dict] = []
    for h in headlines(index):
        series = points(index, h, place)
        if not series:
            missing.append(h)
            continue
        chained = with_previous(series)
        if since is None:
            newest = max(chained, key=lambda t: (span_of(t[0])[1], span_of(t[0])[0], t[0].vintage_date or "",
                                                 t[0].id))
            rows.append(Latest(h, *newest))
        else:
            rows.extend(Latest(h, *t) for t in chained if known_from(t[0].vintage_date) >= since)
    if since is not None:
        rows.sort(key=lambda r: (known_from(r.fact.vintage_date), -r.headline["order"]), reverse=True)
    return rows, missing


def latest_rows(rows: list[Latest], sources: dict[str, Fact]) -> list[dict[str, Any]]:
    """Plain rows for CSV, JSON and Markdown (LATEST_COLUMNS)."""
    out = []
    for r in rows:
        f, p, ch = r.fact, r.previous, r.change
        srcs = [sources[s] for s in f.get("sources", []) if s in sources]
        out.append({
            "headline": r.headline["id"], "label": r.headline["label"], "measure": f.title,
            "region": f.get("region") or "Vietnam", "unit": f.get("unit"), "basis": f.get("basis"),
            "period": f.get("period"), "value": f.get("value"), "value_max": f.get("value_max"),
            "previous_period": p.get("period") if p else None, "previous_value": p.get("value") if p else None,
            "change": None if ch is None or ch.amount is None else round(ch.amount, 6),
            "change_unit": None if ch is None or ch.amount is None else {"rel": "%"}.get(ch.kind, ch.kind),
            "released": f.vintage_date, "revised": bool(f.revised), "trust": status_of(f),
            "source": ";".join(f.get("sources", [])),
            "source_publisher": "; ".join(str(s.get("publisher") or "") for s in srcs) or None,
            "id": f.id, "previous_id": p.id if p else None,
        })
    return out


LATEST_COLUMNS = ["headline", "label", "measure", "region", "unit", "basis", "period", "value", "value_max",
                  "previous_period", "previous_value", "change", "change_unit", "released", "revised", "trust",
                  "source", "source_publisher", "id", "previous_id"]
