"""Why each search result ranked where it did (``vnecon search ... --explain``).

Lines of plain text: first how the query was read (words searched, filler left out, periods
asked and compared with, what the question prefers, typo corrections), then one line per
result: the stage that found it, each word and the columns it matched in, the period, and the
boosts it got.  Only run with --explain: it asks the index a few questions per result.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from vnecon.load.model import Fact
    from vnecon.search.index import Index
    from vnecon.search.query import ParsedQuery

COLUMNS = ("name", "body", "notes", "source")  # the FTS columns, as build.own_text fills them
_COLUMN_WORDS = {"name": "name", "body": "fields", "notes": "note", "source": "source or owner"}
_INTENT_WORDS = {"value": "has a value", "when": "has a date", "who": "is an organisation or names people",
                 "where": "is a project or has a place"}
_INTENT_PLURAL = {"value": "facts with a value", "when": "facts with a date (partnerships, projects, sources)",
                  "who": "organisations and people", "where": "projects and facts with a place"}
_ANSWER_WORDS = {"sector": "has a sector", "region": "is of a province or city", "country": "names a country",
                 "company": "is a company"}


def query_lines(pq: ParsedQuery) -> list[str]:
    q = pq.question
    out = ["searched: " + (", ".join(t[0] + (f" (= {', '.join(t[1:4])}{'...' if len(t) > 4 else ''})"
                                             if len(t) > 1 else "") for t in pq.terms) or "no words")]
    if pq.periods:
        out.append("period asked: " + ", ".join(p.text for p in pq.periods))
    if pq.context:
        out.append("compared with, not asked: " + ", ".join(f"{p.context} {p.text}" for p in pq.context)
                   + " (ranks facts that say it)")
    if pq.filler:
        out.append("question and filler words, not searched: " + ", ".join(dict.fromkeys(pq.filler)))
    if q is not None and q.intent:
        out.append(f"the question asks {q.intent}: {_INTENT_PLURAL[q.intent]} first")
    if q is not None and q.answer_type in _ANSWER_WORDS:
        out.append(f"'{q.answer_words}': the answer is a {q.answer_type}, facts that "
                   f"{_ANSWER_WORDS[q.answer_type].replace('has', 'have').replace('is ', 'are ')} first")
    if q is not None and q.superlative:
        out.append(f"'{q.superlative_words}': figures of one measure, unit, basis and period ranked by value, "
                   + ("highest" if q.superlative > 0 else "lowest") + " first")
    out += intent_lines(pq)
    soft = [label for label, _ in pq.soft]
    if soft:
        out.append("ranking words (rank, never filter): " + ", ".join(soft))
    for typed, meant in pq.corrections.items():
        out.append(f'typo: "{typed}" searched as "{meant}"')
    if pq.ignored:
        out.append("no fact has: " + ", ".join(pq.ignored) + " (left out)")
    return out


_BASIS_WORDS = {"level": "the level (an amount, an index)", "yoy": "the change on a year earlier",
                "mom": "the change on the month before"}


def intent_lines(pq: ParsedQuery) -> list[str]:
    """The intent read (issue 38): basis, period length, vintage, headline, places, concepts."""
    q, want, out = pq.question, pq.want, []
    if q is None or want is None:
        return out
    for typed, search, _ in q.concepts:
        out.append(f"'{typed}' read as " + " or ".join(w.upper() if len(w) <= 4 else w for w in search.split()))
    if want.basis:
        said = f" ('{q.basis_words}')" if q.basis_words else " (typed)"
        out.append(f"intent: {_BASIS_WORDS.get(want.basis, want.basis)}{said} first; month-on-month only when asked")
    if want.length:
        out.append(f"intent: the {want.length} ranked within the period asked ('{q.answer_words or want.length}')")
    if want.revision:
        out.append(f"intent: '{q.revision_words}': every vintage searched, the "
                   + ("first published" if want.revision == "first" else "latest revised") + " first")
    if want.headline:
        out.append("intent: inflation is the headline consumer price index, before core inflation")
    if want.places:
        out.append("place named (a filter: another place's figure never first): "
                   + ", ".join(pq.terms[i][0] for i in pq.place_terms))
    if want.span is not None:
        out.append("intent: the figure for exactly the period asked first, then its parts; totals before breakdowns "
                   "(partner, product, province) not named")
    out += list(pq.notes)
    if pq.missing:
        out.append(pq.missing)
    return out


def result_lines(index: Index, pq: ParsedQuery, facts: list[Fact]) -> list[str]:
    from vnecon.search.query import ANSWER_SQL, INTENT_SQL, _fts_alt, _with_refs

    q = pq.question
    out = []
    db = index.db
    for n, f in enumerate(facts, 1):
        row = db.execute(f"SELECT rowid FROM {index.seen} AS facts WHERE id = ?", [f.id]).fetchone()
        if row is None:
            continue
        rowid = row[0]

        def matches(expr: str, rowid: int = rowid) -> bool:
            return db.execute("SELECT 1 FROM fts WHERE fts MATCH ? AND rowid = ?", [expr, rowid]).fetchone() is not None

        parts = [f"found by {pq.stage_of.get(rowid, 'the id or the whole name')}"]
        words = []
        for term, with_refs in zip(pq.terms, _with_refs(index, pq.terms)):
            cols = [_COLUMN_WORDS[c] for c in COLUMNS[:3] if matches(f"{{{c}}} : {_fts_alt(term)}")]
            if "xr" in with_refs and matches(f"{{source}} : {with_refs}") and not cols:
                cols.append(_COLUMN_WORDS["source"])
            words.append(f"{term[0]} ({', '.join(cols) or 'not matched'})")
        if words:
            parts.append("words: " + "; ".join(words))
        period = f.get("period") or f.get("date")
        for p in pq.periods:
            inside_sql, inside_params = p.sql()
            over_sql, over_params = p.sql(overlap=True)
            if db.execute(f"SELECT 1 FROM {index.seen} AS facts WHERE rowid = ? AND {inside_sql}", [rowid, *inside_params]).fetchone():
                parts.append(f"period {period} inside {p.text}")
            elif db.execute(f"SELECT 1 FROM {index.seen} AS facts WHERE rowid = ? AND {over_sql}", [rowid, *over_params]).fetchone():
                parts.append(f"period {period} overlaps {p.text}")
            else:
                parts.append(f"period {period or 'none'} outside {p.text}")
        said = [label for label, look in pq.soft if matches(_fts_alt(look))]
        if said:
            parts.append("says " + ", ".join(f"'{s}'" for s in said))
        if q is not None:
            for sql, words_of in ((INTENT_SQL.get(q.intent), _INTENT_WORDS.get(q.intent)),
                                  (ANSWER_SQL.get(q.answer_type), _ANSWER_WORDS.get(q.answer_type))):
                if sql and db.execute(f"SELECT 1 FROM {index.seen} AS facts WHERE rowid = ? AND ({sql})", [rowid]).fetchone():
                    parts.append(words_of)
            if q.superlative and rowid in pq.value_rank:
                place, size, name = pq.value_rank[rowid]
                parts.append(f"{'highest' if q.superlative > 0 else 'lowest'}: {place} of {size} '{name}' figures "
                             f"for {f.get('period')} found")
        if n == 1 and pq.why and len(facts) > 1:
            parts.append(f"first, before {facts[1].id}, by {pq.why}")
        if f.match:
            parts.append(f"match: {f.match}")
        out.append(f"{n}. {f.id}: " + "; ".join(parts))
    return out
