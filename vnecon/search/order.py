"""The order of the answers: which of the facts a search found comes first (issue 38).

query.py finds candidates in stages (the id, every word in the name, every word, some of them);
this module orders them as a reader wants the answer: a place named in the query is a filter
(another place's fact never comes first), then the stage, then words in the fact's own name
and fields before words found only in its source's title or owner, then what the question
asks (the period typed and its length, the basis: level for 'how much', the change on a year
earlier for 'growth'; headline before core; totals before breakdowns; a value before a rank).
Each of those is a small record, ``Rank``, so --explain can say which one put the first row
first.  Then a series' latest point first, superlatives by value, and rank facts by rank.
"""

from __future__ import annotations

from collections import namedtuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from vnecon.search.index import Index

from vnecon.core.text import phrase
from vnecon.load.model import column_of


def fts_alt(alternatives: list[str], refs: list[str] = ()) -> str:
    """One term for FTS5: any of its spellings, or a reference to a company or source it names."""
    return "(" + " OR ".join([f'"{a}"' for a in alternatives] + list(refs)) + ")"


def answers_first(index: Index, rowids: list[int]) -> list[int]:
    """Sources after the facts that hold answers: a source matches a typed period by the day it
    was published, which is not the period asked about ("cpi october 2024" wants October's CPI,
    not an article of that month)."""
    sources = {r for (r,) in index.for_rowids("rowid", rowids, where="kind = 'source'")}
    return [r for r in rowids if r not in sources] + [r for r in rowids if r in sources]


def soft_hits(index: Index, rowids: list[int], exprs: list[str]) -> dict[int, int]:
    """rowid -> how many of the ranking-only FTS expressions its text matches."""
    hits: dict[int, int] = {}
    for expr in exprs:
        for (r,) in index.for_rowids("rowid", rowids, "fts", "fts MATCH ?", [expr]):
            hits[r] = hits.get(r, 0) + 1
    return hits


def latest_first(index: Index, rowids: list[int], evidence: dict[int, int] | None = None) -> list[int]:
    """Within each series (one name, region, basis, unit and sector), the latest period first.

    With no period typed, relevance alone would order a series' points by the length of their
    notes; the reader wants the newest figure.  Each series keeps the slots its points won, so
    the ranking between series and other facts is unchanged.  ``evidence`` (rowid -> ranking
    words matched) keeps a point that says what a question asks ('highest since November 2018')
    where it ranked: only points with as much evidence trade places."""
    series: dict[int, tuple] = {}
    ends: dict[int, str] = {}
    for r, kind, title, region, basis, unit, sector, partner, product, pend in index.for_rowids(
            f"rowid, kind, title_f, {column_of('region')}, {column_of('basis')}, json_extract(data, '$.data.unit'), "
            f"{column_of('sector')}, {column_of('partner')}, {column_of('product')}, pend", rowids):
        if kind == "indicator":
            series[r] = (title, region, basis, unit, sector, partner, product, evidence.get(r, 0) if evidence else 0)
            ends[r] = pend or ""
    members: dict[tuple, list[int]] = {}
    for r in rowids:
        if r in series:
            members.setdefault(series[r], []).append(r)
    queues = {key: sorted(rs, key=lambda r: ends[r], reverse=True) for key, rs in members.items()}
    # A long series may have had its newest points cut by the candidate cap ("what is the latest
    # pmi" among six years of months): its slots go to its newest visible points (--as-of holds).
    for key, queue in queues.items():
        if key[-1] or len(queue) < 10:
            continue
        title, region, basis, unit, sector, partner, product, _ = key
        newer = [r for (r,) in index.db.execute(
            f"SELECT rowid FROM {index.seen} AS facts WHERE kind = 'indicator' AND title_f = ? AND pend > ? "
            f"AND {column_of('region')} IS ? AND {column_of('basis')} IS ? AND json_extract(data, '$.data.unit') IS ? "
            f"AND {column_of('sector')} IS ? AND {column_of('partner')} IS ? AND {column_of('product')} IS ? "
            "ORDER BY pend DESC, id LIMIT ?",
            [title, ends[queue[0]], region, basis, unit, sector, partner, product, len(queue)]) if r not in series]
        if newer:
            queues[key] = (newer + queue)[:len(queue)]
    return [queues[series[r]].pop(0) if r in series else r for r in rowids]


def by_preference(index: Index, rowids: list[int], exprs: list[str], params: list,
                  tier: Callable[[int], int]) -> list[int]:
    """Stable re-sort by (tier, the question's preferences): ``exprs`` are the SQL expressions
    that ordered each stage (higher first), ``params`` their parameters."""
    key: dict[int, tuple] = {}
    for r, *values in index.for_rowids(f"facts.rowid, {', '.join(exprs)}", rowids, params=params):
        key[r] = tuple(-(v or 0) for v in values)
    return sorted(rowids, key=lambda r: (tier(r), key.get(r, ())))


def by_value(index: Index, rowids: list[int], direction: int,
             record: dict[int, tuple[int, int, str]] | None = None, want: Want | None = None) -> list[int]:
    """For 'highest' (direction 1) or 'lowest' (-1): indicators that share a name stem (the name
    before ':'), unit, basis and period are one ranking; its members swap slots so that they
    run by value, best first, and the best takes the slot of the best-placed member.  Facts of
    different periods or units are never ranked against each other, except where the question
    asks for the period ('which month of 2024': months of one length) or names none ('the
    highest PMI ever': the whole series, periods of one length; not 'highest since November
    2018', where the reading that says so leads).  Ranks are by_rank's."""
    across = want is not None and (bool(want.length) or (want.span is None and not want.compared))
    key_of: dict[int, tuple] = {}
    value_of: dict[int, float] = {}
    for r, kind, name, unit, basis, pstart, pend, value in index.for_rowids(
            "rowid, kind, json_extract(data, '$.data.name'), json_extract(data, '$.data.unit'), "
            "json_extract(data, '$.data.basis'), pstart, pend, json_extract(data, '$.data.value')", rowids):
        if kind == "indicator" and isinstance(value, (int, float)) and name and unit != "rank":
            when = (_length_class(pstart, pend),) if across else (pstart, pend)
            key_of[r] = (stem(name), unit, basis, *when)
            value_of[r] = value
    groups: dict[tuple, list[int]] = {}
    for r in rowids:
        if r in key_of:
            groups.setdefault(key_of[r], []).append(r)
    queues = {k: sorted(rs, key=lambda r: -direction * value_of[r]) for k, rs in groups.items() if len(rs) > 1}
    if record is not None:
        for k, rs in queues.items():
            record.update((r, (i + 1, len(rs), k[0])) for i, r in enumerate(rs))
    return [queues[key_of[r]].pop(0) if key_of.get(r) in queues else r for r in rowids]


def _length_class(pstart: str | None, pend: str | None) -> str:
    """'month', 'quarter', 'year' or the span's length in days: periods of one length rank together."""
    if not pstart or not pend:
        return ""
    from datetime import date

    days = (date.fromisoformat(pend) - date.fromisoformat(pstart)).days + 1
    for name, (lo, hi) in _LENGTH_DAYS.items():
        if lo <= days <= hi:
            return name
    return str(days)


def by_rank(index: Index, rowids: list[int], superlative: int = 0) -> list[int]:
    """Rank facts ('GRDP growth rank among provinces') of one name and period in the order of
    their rank, first first ('slowest', 'lowest': last first), each group in the slots it won."""
    key_of: dict[int, tuple] = {}
    value_of: dict[int, float] = {}
    # Filtered here, not in SQL: a condition on kind makes SQLite walk the kind index over every
    # indicator instead of looking up these few rowids.
    for r, kind, unit, title, pstart, pend, value in index.for_rowids(
            "rowid, kind, json_extract(data, '$.data.unit'), title_f, pstart, pend, "
            "json_extract(data, '$.data.value')", rowids):
        if kind == "indicator" and unit == "rank" and isinstance(value, (int, float)):
            key_of[r], value_of[r] = (title, pstart, pend), value
    if not key_of:
        return rowids
    groups: dict[tuple, list[int]] = {}
    for r in rowids:
        if r in key_of:
            groups.setdefault(key_of[r], []).append(r)
    sign = -1 if superlative < 0 else 1
    queues = {k: sorted(rs, key=lambda r: sign * value_of[r]) for k, rs in groups.items()}
    return [queues[key_of[r]].pop(0) if r in key_of else r for r in rowids]


def stem(name: str) -> str:
    """The part of an indicator's name shared by its breakdowns: 'Index of Industrial Production:
    furniture' -> 'index of industrial production'."""
    for sep in (":", " – ", " - ", " — "):
        name = name.split(sep, 1)[0]
    return phrase(name)


# ---- what the question wants, and the ranks that order by it -----------------------------

# What a query asks of its answer, read once per search (query.read_want): the places it names
# (each a set of folded spellings; Vietnam is the default place, not a filter), the period
# asked, the length of period asked for ('which month'), the basis, headline before core, the
# words typed (to tell a breakdown that was named from one that was not), and the vintage.
Want = namedtuple("Want", "places span length basis headline named revision own_exprs superlative compared totals",
                  defaults=((), None, "", "", False, frozenset(), "", (), 0, False, frozenset()))

# A row's features, read in one query: see _ROW_SQL.
Row = namedtuple("Row", "rowid kind title region partner product sector country basis unit pstart pend parties first "
                        "latest own weak", defaults=(0, False))

_ROW_SQL = (f"facts.rowid, facts.kind, facts.title_f, {column_of('region')}, {column_of('partner')}, "
            f"{column_of('product')}, {column_of('sector')}, {column_of('country')}, {column_of('basis')}, "
            "json_extract(facts.data, '$.data.unit'), facts.pstart, facts.pend, "
            "json_extract(facts.data, '$.data.parties'), "
            "facts.okey IS NULL OR facts.vlevel = (SELECT min(b.vlevel) FROM {seen} AS b WHERE b.okey = facts.okey), "
            "facts.latest")

NATIONAL = frozenset({"vietnam", "viet nam", "vn", "ca nuoc", "nationwide", ""})
_LENGTH_DAYS = {"month": (28, 31), "quarter": (89, 92), "year": (365, 366)}
_CORE = ("core", "co ban", "underlying")
_HEADLINE = ("consumer price index", "cpi", "chi so gia tieu dung", "inflation", "lam phat")
_NAME_FILLER = frozenset(["of", "the", "and", "in", "on", "at", "to", "for", "by", "from", "a", "an", "s"])


def _days(row: Row) -> int:
    from datetime import date

    if not row.pstart or not row.pend:
        return -1
    return (date.fromisoformat(row.pend) - date.fromisoformat(row.pstart)).days + 1


def places_of(row: Row) -> set[str]:
    """The folded places a fact is of: its region or location, partner, country, parties."""
    import json

    out = {p for p in (row.region, row.partner, row.country) if p}
    if row.parties:
        try:
            out |= {phrase(str(p)) for p in json.loads(row.parties)}
        except ValueError:
            pass
    return out


def _place(row: Row, want: Want) -> int:
    """Another place's fact after the rest, the place named first.  Only among facts matching every word: of
    facts matching some, the nearest is the same measure elsewhere, not another measure here."""
    if row.weak or not want.places or row.kind != "indicator":  # a meeting's venue is not its subject
        return (0, 0)
    named = any(row.region in p or row.partner in p for p in want.places)
    other = bool(row.region) and row.region not in NATIONAL and not named  # another place's figure
    return (int(other), -sum(1 for p in want.places if row.region in p))


def _period(row: Row, want: Want) -> int:
    if want.length:
        lo, hi = _LENGTH_DAYS[want.length]
        return 0 if lo <= _days(row) <= hi else 1
    if want.span is None or not row.pstart:
        return 0
    if (row.pstart, row.pend) == tuple(want.span):
        return 0
    return 1 if want.span[0] <= row.pstart and row.pend <= want.span[1] else 2


def _vintage(row: Row, want: Want) -> int:
    if want.revision == "first":
        return 0 if row.first else 1
    if want.revision == "latest":
        return 0 if row.latest else 1
    return 0


def _basis(row: Row, want: Want) -> int:
    if row.kind != "indicator":
        return 1
    if want.basis and row.basis == want.basis:
        return 0
    return 2 if row.basis == "mom" else 1


def _headline(row: Row, want: Want) -> int:
    if not want.headline or row.kind != "indicator":
        return 0
    title = row.title or ""
    return 1 if any(c in title for c in _CORE) or not any(h in title for h in _HEADLINE) else 0


def _rank_unit(row: Row, want: Want) -> int:
    return 1 if row.unit == "rank" and "rank" not in want.named and "xep hang" not in want.named else 0


def _total(row: Row, want: Want) -> int:
    """How much of a breakdown the fact is that the query did not name: a partner, a product, a
    sector (a CPI group, an industry), a province (when no place is named)."""
    n = 0
    # A sector breaks a figure down only where the same name is found without one (CPI and its
    # groups); the PMI's "manufacturing" and a company's line of business are what they are.
    sector = row.sector if row.kind == "indicator" and row.title in want.totals else None
    for value in (row.partner, row.product, sector):
        if value and value.strip() and not (set(value.split()) & want.named):
            n += 1
    if row.region and row.region not in NATIONAL and not want.places and row.kind == "indicator":
        n += 1
    if row.title and ("per capita" in row.title or "dau nguoi" in row.title) and "capita" not in want.named \
            and "nguoi" not in want.named:
        n += 1  # a ratio to the population is not the total
    return n


def _extra(row: Row, want: Want) -> int:
    """Words in the fact's name the query did not type: the shorter, broader name first
    ('Unemployment rate' before 'Unemployment rate (youth 15-24, rural)')."""
    if row.kind != "indicator":
        return 0
    return min(sum(1 for w in (row.title or "").split() if w not in want.named and w not in _NAME_FILLER), 6)


def _own(row: Row, want: Want) -> int:
    return -row.own


# A rank: its name, what it says when it decides (for --explain), and its key (lower first).
Rank = namedtuple("Rank", "name why key")
RANKS = (
    Rank("place", "of the place named", _place),
    Rank("stage", "found by a stronger match", None),  # the stage of query.search, given as ``tier``
    Rank("own words", "the words are in its own name and fields, not only its source's title or owner", _own),
    Rank("headline", "the headline figure, not core or a part", _headline),
    Rank("period", "its period is the one asked", _period),
    Rank("vintage", "the vintage asked", _vintage),
    Rank("question", "what the question prefers", None),  # query.py's SQL preferences (answer type, intent)
    Rank("basis", "the basis asked", _basis),
    Rank("value before rank", "a value, not a rank", _rank_unit),
    Rank("total", "a total, not a breakdown the query did not name", _total),
    Rank("ranking words", "says the ranking words", None),  # the soft words (query.py)
    Rank("found by", "found by a stronger stage (the whole name before words anywhere)", None),  # ``stage``
    Rank("broader name", "the broader name", _extra),
)


def read_rows(index: Index, rowids: list[int], want: Want, weak: set[int]) -> dict[int, Row]:
    """Each rowid's Row, with how many of the terms its own name, fields and notes match, and
    whether a search stage found it by only some of the words (``weak``)."""
    own: dict[int, int] = {}
    wanted = set(rowids)
    for expr in want.own_exprs:
        # One MATCH, intersected here: FTS5 with 'rowid IN (...)' runs the match once per rowid.
        for (r,) in index.db.execute("SELECT rowid FROM fts WHERE fts MATCH ?", [f"{{name body notes}} : {expr}"]):
            if r in wanted:
                own[r] = own.get(r, 0) + 1
    sql = _ROW_SQL.replace("{seen}", index.seen)
    if not want.revision:  # which vintage is first matters only when a vintage is asked for
        sql = sql.replace(f"facts.okey IS NULL OR facts.vlevel = (SELECT min(b.vlevel) FROM {index.seen} AS b "
                          "WHERE b.okey = facts.okey)", "1")
    return {r[0]: Row(*r, own.get(r[0], 0), r[0] in weak) for r in index.for_rowids(sql, rowids)}


def answer_order(index: Index, rowids: list[int], want: Want, tiers: tuple[Callable[[int], int], Callable[[int], int]],
                 prefer: tuple[list[str], list, int], weak: set[int] = frozenset()) -> tuple[list[int], dict[int, tuple]]:
    """Stable sort of rowids by RANKS; ``tiers`` are the strength of the stage that found a row
    (strong stages one tier) and the stage itself; ``prefer`` is (SQL expressions, their
    parameters, how many of them come before the ranking words) from query.py.  Returns the
    order and each row's key (for --explain)."""
    tier, stage = tiers
    exprs, params, before = prefer
    pref: dict[int, tuple] = {}
    if exprs:
        for r, *values in index.for_rowids(f"facts.rowid, {', '.join(exprs)}", rowids, params=params):
            pref[r] = tuple(-(v or 0) for v in values)
    rows = read_rows(index, rowids, want, weak)
    # The names found as a whole (no sector): beside them, a sector is a breakdown (see _total).
    want = want._replace(totals=frozenset(r.title for r in rows.values()
                                          if r.kind == "indicator" and not (r.sector or "").strip()))
    keys: dict[int, tuple] = {}
    for r in rowids:
        row = rows.get(r)
        p = pref.get(r, (0,) * len(exprs))
        key = []
        for rank in RANKS:
            if rank.name == "stage":
                key.append(tier(r))
            elif rank.name == "question":
                key.append(p[:before])
            elif rank.name == "ranking words":
                key.append(p[before:])
            elif rank.name == "found by":
                key.append(stage(r))
            else:
                key.append(rank.key(row, want) if row else (0, 0) if rank.name == "place" else 0)
        keys[r] = tuple(key)
    return sorted(rowids, key=lambda r: keys[r]), keys


def why_first(keys: dict[int, tuple], order: list[int]) -> str:
    """What put the first row before the second: the first rank where their keys differ."""
    if len(order) < 2 or order[0] not in keys or order[1] not in keys:
        return ""
    for rank, a, b in zip(RANKS, keys[order[0]], keys[order[1]]):
        if a != b:
            return f"{rank.name}: {rank.why}"
    return "the full-text relevance of its words (name words count most)"
