"""Series: the same measure over periods, and the change from one point to the next.

A series is every indicator with the same name, region, basis, unit and sector,
ordered by period start.  Plain functions over Facts: no Typer, no Rich.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs ~5 ms at start-up; annotations are strings anyway
if TYPE_CHECKING:
    from typing import Any

    from vnecon.search.index import Index

from vnecon.core.periods import parse_period
from vnecon.core.text import phrase
from vnecon.load.model import Fact, column_of

DEFAULT_REGION = "Vietnam"  # the schema's default for an indicator's region
CANDIDATES = 200  # ranked facts read to choose the best series; their members are fetched whole


def status_of(fact: Fact) -> str:
    """reported, derived, inferred, doubtful or draft (facts without the field are reported)."""
    return str(fact.get("trust") or "reported")


def series_key(fact: Fact, place: Any = None) -> tuple[str, ...]:
    """What makes two indicators one measure: name, region, basis, unit, sector, partner, product
    (folded; load.model.MEASURE_FIELDS).

    ``place`` gives a region its standard spelling (Aliases.display), so
    'Viet Nam' and 'Vietnam' are one series, not two."""
    region = str(fact.get("region") or DEFAULT_REGION)
    return (phrase(spelled(fact.title)), phrase(place(region) if place else region),
            str(fact.get("basis") or ""), str(fact.get("unit") or ""), phrase(spelled(str(fact.get("sector") or ""))),
            phrase(spelled(str(fact.get("partner") or ""))), phrase(spelled(str(fact.get("product") or ""))))


# Punctuation that does not change what a name means ('Exports, goods' is 'Exports goods');
# any other symbol does ('C++ output' is not 'C output'), so it is spelled as a word.
_QUIET = frozenset(" \t-\u2010\u2011\u2012\u2013\u2014,.;:'\u2018\u2019\"\u201c\u201d()[]{}/\\!?_\u00b7")
_SYMBOL_WORDS = {"+": "plus", "%": "percent", "&": "and", "$": "dollar", "\u20ac": "euro", "\u00a3": "pound",
                 "\u00a5": "yen", "\u20ab": "dong", "#": "number", "*": "star", "@": "at", "=": "equals",
                 "<": "less", ">": "greater", "~": "tilde", "^": "caret", "\u00b0": "degree", "\u2030": "permille"}


def spelled(text: str) -> str:
    """Symbols as words, so names that differ only by a symbol stay apart: 'C++ output' ->
    'C plus plus output'; '€' -> 'euro'.  Letters, digits and ordinary punctuation are kept."""
    if all(c.isalnum() or c in _QUIET for c in text):
        return text
    import unicodedata

    out = []
    for c in text:
        if c.isalnum() or c in _QUIET or unicodedata.category(c)[0] == "M":
            out.append(c)
        elif c.isspace():
            out.append(" ")
        else:
            out.append(f" {_SYMBOL_WORDS.get(c) or unicodedata.name(c, f'u{ord(c):04x}').lower()} ")
    return "".join(out)


def _slug(text: str) -> str:
    return "-".join(phrase(spelled(text)).split()) or "none"


_UNIT_SLUGS = {"%": "pct", "pp": "pp", "US$": "usd"}


def span_of(fact: Fact) -> tuple[str, str]:
    try:
        return parse_period(str(fact.get("period")))
    except ValueError:
        return ("", "")


def span_length(span: tuple[str, str]) -> str:
    """'month', 'quarter', 'half-year', 'year', '11 months', '2 years', '1 day', '4 days'."""
    start, end = span
    if not start:
        return "unknown"
    y1, m1, d1 = int(start[:4]), int(start[5:7]), int(start[8:10])
    y2, m2, d2 = int(end[:4]), int(end[5:7]), int(end[8:10])
    last = parse_period(end[:7])[1]
    if d1 == 1 and end == last:
        months = (y2 - y1) * 12 + m2 - m1 + 1
        named = {1: "month", 3: "quarter", 6: "half-year", 12: "year"}
        if months in named and (months == 1 or (m1 - 1) % months == 0):
            return named[months]
        if months % 12 == 0 and m1 == 1:
            return f"{months // 12} years"
        return f"{months} months"
    from datetime import date

    days = (date(y2, m2, d2) - date(y1, m1, d1)).days + 1
    return "1 day" if days == 1 else f"{days} days"


class Series:
    """One measure's points, ordered by period; ``facts`` holds them."""

    __slots__ = ("_region", "facts", "id", "key")

    def __init__(self, key: tuple, facts: list[Fact], region: str | None = None) -> None:
        self.key = key
        self.facts = sorted(facts, key=lambda f: (span_of(f), f.id))
        self._region = region
        first = self.facts[0]
        parts = [_slug(first.title), _slug(self.region), first.get("basis") or "none",
                 _UNIT_SLUGS.get(self.unit, _slug(self.unit))]
        for extra in ("sector", "partner", "product"):
            if first.get(extra):
                parts.append(_slug(str(first.get(extra))))
        self.id = ".".join(parts)

    @property
    def name(self) -> str:
        return self.facts[0].title

    @property
    def region(self) -> str:
        return self._region or str(self.facts[0].get("region") or DEFAULT_REGION)

    @property
    def unit(self) -> str:
        return str(self.facts[0].get("unit") or "")

    @property
    def basis(self) -> str:
        return str(self.facts[0].get("basis") or "")

    @property
    def sector(self) -> str:
        return str(self.facts[0].get("sector") or "")

    def by_length(self) -> dict[str, list[Fact]]:
        """The points grouped by period length, in order of first appearance: what a chart may join."""
        out: dict[str, list[Fact]] = {}
        for f in self.facts:
            out.setdefault(span_length(span_of(f)), []).append(f)
        return out

    def points(self) -> list[tuple[Fact, Change | None]]:
        """The points with their changes, grouped by period length for reading: months, then
        quarters, half-years, nine months, years (shorter first), each in period order.  The one
        order of every table, CSV and JSON of a series; a chart joins each group (by_length)."""
        pairs = list(zip(self.facts, self.changes()))
        return sorted(pairs, key=lambda p: length_order(span_of(p[0])))  # stable: period order within

    def changes(self) -> list[Change | None]:
        """The change into each point from the previous point of the same length (None for the first).

        A half-year is compared with the half-year before, even with the
        whole year listed between them; a point with no earlier one of its
        length but other points before it says why there is no change.
        """
        out: list[Change | None] = []
        last: dict[str, Fact] = {}
        for i, f in enumerate(self.facts):
            n = span_length(span_of(f))
            if n in last:
                out.append(change(last[n], f))
            elif i:
                out.append(change(self.facts[i - 1], f))  # says "11 months vs month"
            else:
                out.append(None)
            last[n] = f
        return out

    def __len__(self) -> int:
        return len(self.facts)


def length_order(span: tuple[str, str]) -> int:
    """Where a period's length sorts: its days, with every month, quarter, half-year or year of one
    length counted as the same (a 28-day February is a month, before any two-month span)."""
    from datetime import date

    name = span_length(span)
    typical = {"month": 30, "quarter": 91, "half-year": 182, "year": 365}
    if name in typical:
        return typical[name]
    if name.endswith(" months"):
        return int(name.split()[0]) * 30 + 1  # after the named length of as many months, if any
    if name.endswith(" years"):
        return int(name.split()[0]) * 365 + 1
    if not span[0]:
        return 10**9  # periods that cannot be read come last
    return (date.fromisoformat(span[1]) - date.fromisoformat(span[0])).days + 1


class Change:
    """A change between two points: ``amount`` in ``kind`` ('pp', 'pts', 'rel', 'diff'), or why there is none."""

    __slots__ = ("amount", "kind", "why")

    def __init__(self, amount: float | None, kind: str = "", why: str = "") -> None:
        self.amount, self.kind, self.why = amount, kind, why

    def __repr__(self) -> str:
        return f"Change({self.amount!r}, {self.kind!r}, {self.why!r})"


def change_kind(unit: str, basis: str) -> str:
    """How a change is measured for this unit and basis.

    pp for percentages (a growth rate from 8.4% to 9.7% rose 1.3 points, not
    15%), pts for index points (PMI), diff for ranks (places), rel (relative,
    in %) for levels: money, counts, areas, multiples.
    """
    if unit in ("%", "pp"):
        return "pp"
    if unit == "points":
        return "pts"
    if basis == "rank" or unit == "rank":
        return "diff"
    return "rel"


def change(prev: Fact, cur: Fact) -> Change:
    """The change from prev to cur, or a Change whose ``why`` says why there is none."""
    a, b = prev.get("value"), cur.get("value")
    if not isinstance(a, (int, float)) or not isinstance(b, (int, float)):
        return Change(None, why="no value")
    if prev.get("value_max") is not None or cur.get("value_max") is not None:
        return Change(None, why="a range")
    la, lb = span_length(span_of(prev)), span_length(span_of(cur))
    if la != lb:
        return Change(None, why=f"{la} vs {lb}")
    kind = change_kind(str(cur.get("unit") or ""), str(cur.get("basis") or ""))
    if kind == "rel":
        amount, why = relative_change(a, b)
        return Change(amount, "rel") if why is None else Change(None, why=why)
    return Change(b - a, kind)


def relative_change(a: float, b: float) -> tuple[float | None, str | None]:
    """(b - a) / |a| in percent, or (None, why) where it is undefined: from zero, across zero
    (-10 to +10 is not -200%), or too large for a number (1e-300 to 1e18 is not '+inf%').
    From one negative value to another it is measured on the size of the first: -10 to -5 is +50%."""
    import math

    if a == 0:
        return None, "from zero"
    if (a < 0 < b) or (b < 0 < a):
        return None, "sign change"
    try:
        amount = (b / a - 1) * 100 if a > 0 else (1 - b / a) * 100  # (b - a) / |a|, rounded as before
    except (OverflowError, ZeroDivisionError):
        amount = math.inf
    if not math.isfinite(amount) or abs(amount) >= 1e15:
        return None, "too large to show"
    return amount, None


def group(facts: list[Fact], place: Any = None) -> list[Series]:
    """Group indicators into series, in the order their first fact appears; ``place`` as for series_key."""
    groups: dict[tuple, list[Fact]] = {}
    for f in facts:
        if f.kind == "indicator":
            groups.setdefault(series_key(f, place), []).append(f)
    return [Series(k, v, place(str(v[0].get("region") or DEFAULT_REGION)) if place else None)
            for k, v in groups.items()]


def unique_ids(series: list[Series]) -> list[Series]:
    """Two series whose ids would be the same ('%' and 'pct', 'USD' and 'usd'): each gets a
    suffix made from its own key, so a row never names the wrong series and the suffix does
    not depend on the order the series came in."""
    import hashlib

    count: dict[str, int] = {}
    for s in series:
        count[s.id] = count.get(s.id, 0) + 1
    for s in series:
        if count[s.id] > 1:
            s.id = f"{s.id}~{hashlib.blake2s(repr(s.key).encode('utf-8'), digest_size=3).hexdigest()}"
    return series


def measure_text(fact: Fact) -> str:
    """What names a fact's measure, folded: name, Vietnamese name, region, sector, basis, unit, tags."""
    parts = [fact.title, fact.get("name_vi"), fact.get("region") or DEFAULT_REGION, fact.get("sector"),
             fact.get("partner"), fact.get("product"), fact.get("basis"), fact.get("unit"), " ".join(fact.get("tags") or [])]
    return " " + phrase(" ".join(str(p) for p in parts if p)) + " "


def names_measure(terms: list[list[str]], text: str) -> bool:
    """Every query term (any of its spellings) is in the measure's text, as whole words or a word's start
    ('export' names 'Export turnover'; 'exports' names it too, one letter past a stem)."""
    def has(alt: str) -> bool:
        if f" {alt} " in text or f" {alt}" in text:
            return True
        return len(alt) > 4 and alt.endswith("s") and f" {alt[:-1]}" in text
    return all(any(has(a) for a in t if a) for t in terms)


def find_series(index: Index, text: str, filters: dict[str, str | None], period: str | None = None,
                since: str | None = None, until: str | None = None, limit: int | None = 10,
                aliases: Any = None) -> tuple[list[Series], Any]:
    """The series a query finds, best-ranked first, each with every point that passes the filters.

    The search ranks indicators; the series of the best ones are then read
    whole (same name), so a series is complete even when only its latest
    point ranked high.  Periods typed in the query and --period/--since/--until
    narrow the points.
    """
    from vnecon.search.aliases import Aliases, place_aliases
    from vnecon.search.query import filter_sql, period_filters, search, unit_filter

    aliases = aliases or Aliases(*index.alias_tables())
    places_al = place_aliases(*index.alias_tables())
    place = places_al.display
    filters = {k: v for k, v in filters.items() if v}
    regions = filters.pop("region", None)
    unit = filters.pop("unit", None)
    clauses, params = filter_sql(filters, aliases)
    if regions:  # --region may be given several times: any of them
        ors = [filter_sql({"region": r}, aliases) for r in ([regions] if isinstance(regions, str) else regions)]
        clauses.append("(" + " OR ".join(c[0][0] for c in ors) + ")")
        params.extend(v for c in ors for v in c[1])
    pc, pp = period_filters(period, since, until)
    # Ranked facts of every kind, indicators kept: on a large tree the kind filter makes SQLite
    # scan every indicator for the exact-name stage (60 ms at 100k facts against 8 ms).
    # Each series is then read whole, so the candidates only need to name enough series.
    cap: int | None = CANDIDATES
    while True:
        ranked, pq = search(index, text, None, cap, aliases)
        indicators = [f for f in ranked if f.kind == "indicator"]
        if unit is not None:
            indicators = unit_filter(indicators, unit)
        if (clauses or pc) and indicators:  # only candidates the filters keep (by id: cheap)
            ids = [f.id for f in indicators]
            kept = {i for (i,) in index.db.execute(
                f"SELECT id FROM {index.seen} AS facts WHERE id IN ({','.join('?' * len(ids))}) AND "
                + " AND ".join([*clauses, *pc]), [*ids, *params, *pp])}
            indicators = [f for f in indicators if f.id in kept]
        # Only measures the query words name ("pmi" is not the IIP, whose note mentions the PMI);
        # when no measure's own words have them all, the ranking alone decides, as before.
        terms = [t for t in pq.terms if t]
        named = [f for f in indicators if names_measure(terms, measure_text(f))] if terms else indicators
        indicators = named or indicators
        keys = list(dict.fromkeys(series_key(f, place) for f in indicators))  # best-ranked first
        title_f: dict[tuple, set[str]] = {}  # the index's folded titles of each series ('C++' folds to 'c')
        for f in indicators:
            title_f.setdefault(series_key(f, place), set()).add(phrase(f.title))
        if cap is None or len(ranked) < cap or (limit and len(keys) >= limit):
            break
        # More series wanted than these name: look further once (all the way for --limit 0, and while a
        # filter such as --product coffee has kept none of the words' best matches: among 17,000 official
        # trade figures that all say "exports", the filtered ones need not rank near the top).
        if limit and cap > CANDIDATES and (keys or not (clauses or pc)):
            break
        cap = cap * 8 if limit else None
    period_parts = [p.sql() for p in pq.periods]
    found: list[Series] = []
    # Read the members of the best series a batch at a time (only those series, through the
    # title index), until there are enough: filters may leave some series empty.
    step = limit or len(keys)
    for start in range(0, len(keys), max(step, 1)):
        batch = keys[start:start + step]
        titles = sorted({t for k in batch for t in title_f[k]})
        bases = sorted({phrase(k[2]) for k in batch})  # the column holds the folded basis
        spellings = {a for k in batch for a in places_al.alternatives(k[1], with_mergers=False)}
        places = sorted(spellings | ({""} if spellings & set(places_al.alternatives(DEFAULT_REGION)) else set()))
        where = " AND ".join(["kind = 'indicator'", f"title_f IN ({','.join('?' * len(titles))})",
                              f"{column_of('basis')} IN ({','.join('?' * len(bases))})",
                              f"{column_of('region')} IN ({','.join('?' * len(places))})", *clauses, *pc,
                              *(sql for sql, _ in period_parts)])
        members = index.facts(where, [*titles, *bases, *places, *params, *pp,
                                      *(v for _, ps in period_parts for v in ps)], "pstart, id")
        wanted = set(batch)
        by_key = {s.key: s for s in group([f for f in members if series_key(f, place) in wanted], place)}
        found.extend(by_key[k] for k in batch if k in by_key)
        if limit and len(found) >= limit:
            break
    return unique_ids(found[:limit] if limit else found), pq


def long_rows(series: list[Series], sources: dict[str, Fact] | None = None) -> list[dict[str, Any]]:
    """One row per point: the long format for CSV, JSON and friends; ``sources`` (id -> source fact)
    fills the first cited source's publisher, headline, URL and date."""
    rows = []
    for s in series:
        for f, ch in s.points():
            start, end = span_of(f)
            first = next((sources[i] for i in f.get("sources", []) if i in sources), None) if sources else None
            rows.append({
                "series_id": s.id, "measure": s.name, "region": s.region, "sector": s.sector or None,
                "unit": s.unit, "basis": s.basis, "period": f.get("period"),
                "period_start": start, "period_end": end, "value": f.get("value"),
                "value_max": f.get("value_max"), "qualifier": f.get("qualifier"),
                "change": None if ch is None or ch.amount is None else round(ch.amount, 6),
                "change_unit": None if ch is None or ch.amount is None else {"rel": "%"}.get(ch.kind, ch.kind),
                "trust": status_of(f), "source": ";".join(f.get("sources", [])),
                **{c: first.get(c.removeprefix("source_")) if first else None for c in SOURCE_FIELDS}, "id": f.id,
            })
    return rows


# The first cited source, named as in listings (load.columns.SOURCE_COMPANIONS).
SOURCE_FIELDS = ["source_publisher", "source_title", "source_url", "source_date"]
LONG_COLUMNS = ["series_id", "measure", "region", "sector", "unit", "basis", "period", "period_start",
                "period_end", "value", "value_max", "qualifier", "change", "change_unit", "trust", "source",
                *SOURCE_FIELDS, "id"]


def wide_rows(series: list[Series]) -> tuple[list[str], list[dict[str, Any]], list[str]]:
    """One row per series and period length, one column per period.

    Returns (period columns, rows, notes).  A series mixing lengths (a month
    and an eleven-month total) gives one row per length and a note: the
    columns of one row are always comparable.
    """
    rows: list[dict[str, Any]] = []
    notes: list[str] = []
    spans: dict[str, tuple[str, str]] = {}
    for s in series:
        by_length: dict[str, dict[str, Any]] = {}
        for f in s.facts:
            span = span_of(f)
            p = str(f.get("period"))
            spans[p] = span
            row = by_length.setdefault(span_length(span), {
                "series_id": s.id, "measure": s.name, "region": s.region, "sector": s.sector or None,
                "unit": s.unit, "basis": s.basis, "length": span_length(span)})
            row[p] = f.get("value")
        if len(by_length) > 1:
            notes.append(f"{s.id} mixes periods of different lengths ({', '.join(by_length)}); "
                         "each length has its own row")
        rows.extend(by_length.values())
    periods = sorted(spans, key=lambda p: (spans[p], p))
    return periods, rows, notes


# The wide layout's columns before its periods.
WIDE_COLUMNS = ["series_id", "measure", "region", "sector", "unit", "basis", "length"]


def vintage_rows(series: list[Series]) -> list[dict[str, Any]]:
    """Per series and period: the first and the latest published value and the revision between
    them (for series built over every vintage).  A period published once has no revision."""
    rows = []
    for s in series:
        by_period: dict[str, list] = {}
        for f in s.facts:
            by_period.setdefault(str(f.get("period")), []).append(f)
        for period, facts in sorted(by_period.items(), key=lambda p: length_order(span_of(p[1][0]))):
            facts.sort(key=lambda f: (f.vintage_level or "", f.id))
            first, latest = facts[0], facts[-1]
            a, b = first.get("value"), latest.get("value")
            revision = round(b - a, 6) if len(facts) > 1 and isinstance(a, (int, float)) and isinstance(
                b, (int, float)) else None
            rows.append({
                "series_id": s.id, "measure": s.name, "region": s.region, "unit": s.unit, "basis": s.basis,
                "period": period, "first": a, "first_date": first.vintage_date, "first_id": first.id,
                "latest": b, "latest_date": latest.vintage_date, "latest_id": latest.id,
                "revision": revision, "revision_unit": None if revision is None else
                ("pp" if s.unit == "%" else s.unit), "vintages": len(facts),
            })
    return rows


def vintage_lines(series: list[Series]) -> list[tuple[str, list[Series]]]:
    """For --vintages --chart: per series and period length (quarters, then half-years, nine months,
    years), a line of first-published values and one of the latest, labelled in place of the
    region: (length, [first, latest]) pairs, one chart each, never eight lines on one."""
    out = []
    for s in series:
        by_period: dict[str, list[Fact]] = {}
        for f in s.facts:
            by_period.setdefault(str(f.get("period")), []).append(f)
        ordered = [sorted(fs, key=lambda f: (f.vintage_level or "", f.id)) for fs in by_period.values()]
        lengths: dict[str, list[list[Fact]]] = {}
        for fs in sorted(ordered, key=lambda fs: length_order(span_of(fs[0]))):
            lengths.setdefault(span_length(span_of(fs[0])), []).append(fs)
        for length, groups in lengths.items():
            out.append((length, [Series((*s.key, length, which), [fs[pick] for fs in groups],
                                        region=f"{s.region}, {which}")
                                 for which, pick in (("first published", 0), ("latest", -1))]))
    return out


VINTAGE_ROW_COLUMNS = ["series_id", "measure", "region", "unit", "basis", "period", "first", "first_date",
                       "first_id", "latest", "latest_date", "latest_id", "revision", "revision_unit", "vintages"]
