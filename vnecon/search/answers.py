"""What a search asks for, and whether the data has it (issue 38).

``read_want`` reads from a parsed query what its answer must be (the places named, the period
and its length, the basis, headline or core, the vintage) for order.py; ``month_pairs`` reads
two month names ('January October') as that range of the latest year that has it; ``judge``
marks each result exact or nearest and says first what is missing ('no figure for CPI, y/y,
2025-09 in the data'), or that nothing at all is about the subject ('nothing about hospital
beds in the data').
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from vnecon.load.model import Fact
    from vnecon.search.aliases import Aliases
    from vnecon.search.index import Index

from vnecon.core.periods import period_of_span
from vnecon.search.order import NATIONAL, Want, fts_alt, places_of

_BASIS_TERMS = {"yoy": "y/y", "mom": "m/m"}
# Words that say what kind of figure, not what it is about: with only these left of a
# question, nothing in the data is about its subject.
GENERIC = frozenset(["rate", "rates", "number", "numbers", "total", "index", "value", "level", "figure", "figures", "data", "statistics", "stats", "amount", "share", "ratio", "price", "prices", "cost", "costs", "growth", "change", "percent", "average", "annual", "monthly", "quarterly", "year", "years", "month", "months", "quarter", "quarters", "vietnam", "viet", "nam", "vietnamese", "economy", "economic", "country", "national", "nationwide", "people", "new", "ti", "le", "so", "luong", "tong", "chi", "so", "gia", "tri", "muc", "ty", "trong", "binh", "quan", "nam", "thang", "quy", "kinh", "te", "ca", "nuoc"])
# A string, compiled (and cached by re) only when a query has a yearless period (0.2 ms).
_MONTH_PAIR = r"^(?:[a-z]+\.?\s+(?:and\s+|&\s+)?[a-z]+\.?|thang\s+[0-9]{1,2}\s+(?:va\s+)?thang\s+[0-9]{1,2})$"


def known_places(index: Index) -> frozenset[str]:
    return index.places()


def place_terms(index: Index, terms: list[list[str]]) -> list[int]:
    """Indexes of the terms that name a place some fact is of (a region, partner or country);
    Vietnam is where every figure is, so it is no filter."""
    places = known_places(index)
    return [i for i, alts in enumerate(terms)
            if any(a in places for a in alts if a not in NATIONAL) and len(alts[0]) > 1 and not alts[0].isdigit()]


def join_places(index: Index, pq) -> None:
    """Words that together name a place with no alias ('bac ninh'): one term, so it is a place."""
    places = known_places(index)
    i = 0
    while i < len(pq.terms):
        for size in (3, 2):
            window = pq.terms[i:i + size]
            if len(window) == size and all(len(t) == 1 for t in window):
                joined = " ".join(t[0] for t in window)
                if joined in places:
                    pq.terms[i:i + size] = [[joined]]
                    pq.direct[i:i + size] = [[joined]]
                    break
        i += 1


def basis_typed(terms: list[list[str]]) -> str:
    """'yoy' or 'mom' when a term spells a basis (y/y, year-on-year, m/m...), else ''."""
    for alts in terms:
        for basis in _BASIS_TERMS:
            if basis in alts:
                return basis
    return ""


def read_want(index: Index, pq) -> Want:
    q = pq.question
    join_places(index, pq)
    places = place_terms(index, pq.terms)
    pq.place_terms = places
    named = {w for t in pq.terms for a in t for w in a.split()}
    span = next((p.span for p in pq.periods if p.span), None)
    basis = basis_typed(pq.terms) or q.basis
    nouns = set(q.answer_words.split())  # 'which province' searched for want of other words: not the subject
    own = [fts_alt(t) for i, t in enumerate(pq.direct) if i not in places and t[0] not in nouns]
    return Want(tuple(frozenset(a for a in pq.terms[i] if a not in NATIONAL) for i in places), span, q.length,
                basis, q.headline, frozenset(named), q.revision, tuple(own), q.superlative, bool(pq.context))


def month_pairs(index: Index, pq) -> None:
    """'retail sales January October': the range January-October of the latest year whose facts
    (matching the words) have it, else of the latest year any fact has it; said in pq.notes."""
    for p in pq.periods:
        if p.span is not None or not p.months or not re.match(_MONTH_PAIR, p.text):
            continue
        first, last = p.months
        match = " AND ".join(fts_alt(t) for t in pq.terms)
        cond = "substr(pstart, 6, 5) = ? AND substr(pend, 6, 2) = ? AND substr(pstart, 1, 4) = substr(pend, 1, 4)"
        params = [f"{first:02d}-01", f"{last:02d}"]
        row = None
        if match:
            row = index.db.execute(
                f"SELECT max(substr(pstart, 1, 4)) FROM {index.seen} AS facts WHERE {cond} AND rowid IN "
                "(SELECT rowid FROM fts WHERE fts MATCH ?)", [*params, match]).fetchone()
        if not row or not row[0]:
            row = index.db.execute(f"SELECT max(substr(pstart, 1, 4)) FROM {index.seen} AS facts WHERE {cond}",
                                   params).fetchone()
        if not row or not row[0]:
            continue
        from vnecon.core.periods import parse_period

        year = row[0]
        p.span = (parse_period(f"{year}-{first:02d}")[0], parse_period(f"{year}-{last:02d}")[1])
        p.months = None
        shown = period_of_span(*p.span)
        pq.notes.append(f'"{p.text}" read as {shown}, the latest year that has it (add a year for another)')


def _label(term: list[str]) -> str:
    word = term[0]
    return word.upper() if len(word) <= 4 and word.isalpha() and word not in ("rate", "gold", "rice", "oil") else word


def judge(index: Index, pq, facts: list[Fact], want: Want, aliases: Aliases) -> None:
    """Mark each fact exact or nearest (Fact.match) and set pq.missing, the line to say first when
    the observation asked for is not in the data."""
    basis = basis_typed(pq.terms)
    span = want.span
    for f in facts:
        ok = f.id not in pq.weak
        if ok and span is not None:
            p = _span_of(f)
            ok = p is not None and span[0] <= p[0] and p[1] <= span[1]
        if ok and want.places:
            mine = _fact_places(f)
            ok = all(place & mine for place in want.places)
        if ok and basis and f.kind == "indicator":
            ok = f.get("basis") == basis
        if ok and want.headline and f.kind == "indicator":  # 'CPI' asked: core inflation is not it
            title = f.title.lower()
            ok = not any(c in title for c in ("core", "cơ bản", "underlying"))
        f.match = "exact" if ok else "nearest"
    asked = span is not None or want.places or basis
    if facts and asked and not any(f.match == "exact" for f in facts):
        subject = [_label(t) for i, t in enumerate(pq.terms) if i not in pq.place_terms
                   and not (set(t) & set(_BASIS_TERMS))]
        parts = [" ".join(subject) or "that"]
        if basis:
            parts.append(_BASIS_TERMS[basis])
        parts += [aliases.display(pq.terms[i][0]) for i in pq.place_terms]
        if span is not None:
            parts.append(period_of_span(*span))
        pq.missing = f"no figure for {', '.join(parts)} in the data; the nearest facts follow, marked as nearest"


def _span_of(f: Fact):
    from vnecon.core.periods import parse_date, parse_period

    for key, parse in (("period", parse_period), ("date", parse_date), ("started", parse_date)):
        value = f.get(key)
        if isinstance(value, str):
            try:
                return parse(value)
            except ValueError:
                return None
    return None


def _fact_places(f: Fact) -> set[str]:
    from vnecon.core.text import phrase
    from vnecon.search.order import Row

    parties = f.get("parties")
    import json

    row = Row(0, f.kind, "", phrase(str(f.get("region") or f.get("location") or "")),
              phrase(str(f.get("partner") or "")), product="", sector="", country=phrase(str(f.get("country") or "")),
              basis="", unit="", pstart="", pend="", parties=json.dumps(parties) if isinstance(parties, list) else None,
              first=1, latest=1)
    return places_of(row)


def nothing_about(index: Index, pq, typed_terms: list[list[str]]) -> str:
    """'hospital beds' when no word about the question's subject is in the data (only places,
    periods and generic words like 'rate' or 'number' would match), else ''."""
    unknown = [t[0] for t in typed_terms if t[0] in pq.ignored or (len(t) == 1 and not t[0].isdigit()
                                                                     and not index.has_word(fts_alt(t)))]
    if not unknown:
        return ""
    places = set(place_terms(index, typed_terms))
    rest = [t for i, t in enumerate(typed_terms) if i not in places and t[0] not in unknown
            and not (set(t) & set(_BASIS_TERMS)) and not t[0].isdigit()]
    specific = [t for t in rest if not all(w in GENERIC for w in t[0].split())]
    if not rest and not places and not pq.periods:
        return ""  # nothing else was typed: 'no facts match', with close words (no_match_hint)
    if specific and not (len(unknown) >= 2 and len(unknown) > len(specific)):
        return ""  # a word about the subject is there ('vốn FDI Hà Nội': FDI)
    return " ".join(unknown)


def where_to_look(index: Index, pq) -> str:
    """Where a reader might look instead: what the data has about the place named, else the
    listings and the official series vnecon can fetch."""
    if pq.place_terms or any(t for t in pq.terms if t):
        places = place_terms(index, pq.terms)
        if places:
            from vnecon.search.aliases import Aliases

            name = Aliases(*index.alias_tables()).display(pq.terms[places[0]][0])
            return f"'vnecon indicators --region \"{name}\"' lists what there is about {name}"
    return ("'vnecon indicators' lists the measures there are; 'vnecon fetch worldbank CODE' brings an official "
            "series in (see 'vnecon help')")
