"""Search and filters over an Index: plain functions, no Typer, no Rich."""

from __future__ import annotations

from collections import namedtuple

TYPE_CHECKING = False  # typing costs ~5 ms at start-up; annotations are strings anyway
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any


from vnecon.core.errors import UsageError
from vnecon.core.periods import PERIOD_FORMS, Span, find_periods, parse_user_period
from vnecon.core.text import close_to, phrase, words
from vnecon.load.model import FILTERS as FILTER_SPECS
from vnecon.load.model import SQL_FILTERS, TRUST_LEVELS, Fact, column_of, order_sql
from vnecon.search.aliases import Aliases
from vnecon.search.index import Index, visible_sql
from vnecon.search.order import (  # noqa: F401  (by_preference, stem: the old names)
    answer_order,
    answers_first,
    by_preference,
    by_rank,
    by_value,
    latest_first,
    soft_hits,
    stem,
    why_first,
)
from vnecon.search.order import fts_alt as _fts_alt
from vnecon.search.questions import FILLER_EN as STOPWORDS  # noqa: F401  (the old name)


class PeriodTerm:
    """A period typed in a search: a span, or a quarter/half/month of any year."""

    def __init__(self, text: str, span: Span | None = None, months: tuple[int, int] | None = None) -> None:
        self.text, self.span, self.months = text, span, months  # months: (first, last) of any year

    def sql(self, overlap: bool = False) -> tuple[str, list[Any]]:
        """Facts inside the period; with ``overlap``, facts that share part of it too
        ('November 2024' reaches the January-November figure)."""
        if self.span:
            if overlap:
                return "(pstart <= ? AND pend >= ?)", [self.span[1], self.span[0]]
            return "(pstart >= ? AND pend <= ?)", [self.span[0], self.span[1]]
        first, last = self.months
        if overlap:
            return (("(substr(pstart, 1, 4) = substr(pend, 1, 4) AND substr(pstart, 6, 2) <= ? "
                     "AND substr(pend, 6, 2) >= ?)"), [f"{last:02d}", f"{first:02d}"])
        return (
            "(substr(pstart, 1, 4) = substr(pend, 1, 4) AND substr(pstart, 6, 2) >= ? AND substr(pend, 6, 2) <= ?)",
            [f"{first:02d}", f"{last:02d}"],
        )


class ParsedQuery:
    def __init__(self, terms: list[list[str]], periods: list[PeriodTerm]) -> None:
        self.terms = terms  # each term: alternative folded phrases
        self.periods = periods
        self.context: list[PeriodTerm] = []  # 'since November 2018': compared with, not asked for
        self.question = None  # questions.Question: filler, intent, superlative, ranking-only words
        self.filler: list[str] = []  # question and filler words left out
        self.marked: set[str] = set()  # words typed with Vietnamese marks: spelt on purpose, never corrected
        self.soft: list[tuple[str, list[str]]] = []  # (label, phrases): rank facts saying them first
        self.stage_of: dict[int, str] = {}  # rowid -> the ranking stage that found it (for --explain)
        self.value_rank: dict[int, tuple[int, int, str]] = {}  # rowid -> (place, of, stem) for 'highest'
        self.corrections: dict[str, str] = {}  # typed word -> what was searched instead
        self.ignored: list[str] = []  # words no fact has, left out
        self.dropped = 0  # distinct words past MAX_WORDS, not searched
        self.cut = False  # text past MAX_CHARS, not read
        self.direct: list[list[str]] = terms
        self.weak: set[str] = set()  # ids of facts that match only some of the words (see strong_first)
        self.notes: list[str] = []  # how the query was read, said on stderr ('January October' read as ...)
        self.missing = ""  # the observation asked for is not in the data: said first (search.answers)
        self.nothing = ""  # no word about the subject is in the data: 'hospital beds'
        self.place_terms: list[int] = []  # indexes of the terms that name a place
        self.want = None  # order.Want: what the answer must be
        self.keys: dict[int, tuple] = {}  # rowid -> its order.RANKS key (for --explain)
        self.why = ""  # what put the first row first (for --explain)


def extract_periods(text: str) -> tuple[list[str], list[PeriodTerm]]:
    """Pull periods out of typed text ('first half 2024', 'tháng 7/2024', 'Q3'): the other
    words, folded, and the periods (those compared with, 'since 2018', have ``context`` set)."""
    found, rest = find_periods(text)
    out = []
    for p in found:
        term = PeriodTerm(p.text, p.span, p.months)
        term.context = p.context
        out.append(term)
    return words(rest), out


def _marked_forms(text: str) -> dict[str, set[str]]:
    """Folded word -> the forms typed with diacritics ('có' -> {'có'}): Vietnamese filler is told
    from meaning by its marks."""
    if text.isascii():
        return {}
    import unicodedata

    from vnecon.core.text import fold

    out: dict[str, set[str]] = {}
    for w in unicodedata.normalize("NFC", text).lower().split():
        w = w.strip(".,;:!?()\"'“”‘’")
        if w and not w.isascii():
            out.setdefault(fold(w), set()).add(w)
    return out


MAX_WORDS = 32  # distinct words searched; each adds FTS work, so a pasted page must not take minutes
MAX_CHARS = 2000  # of typed text looked at for periods and words

_MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
                "october", "november", "december"]


def _month_phrase(p: PeriodTerm) -> list[str]:
    """What a report writes for a compared period: 'thang 11/2018' is also 'november 2018'."""
    out = [p.text]
    if p.span and p.span[0][:7] == p.span[1][:7]:
        english = f"{_MONTH_NAMES[int(p.span[0][5:7]) - 1]} {p.span[0][:4]}"
        if english != p.text:
            out.append(english)
    return out


def parse_query(text: str, aliases: Aliases, index: Index | None = None) -> ParsedQuery:
    """Terms, periods and what a question asks for.  Question and filler words (what, how much,
    bao nhiêu, của...) are left out; superlatives, 'growth' or 'which sector' only rank (see
    questions.py); a period after 'since' or 'so với' is compared with, not asked for.  With
    ``index``, a Vietnamese filler syllable typed without marks stays when the index has it
    with a neighbour ('co ban', of 'lạm phát cơ bản')."""
    from vnecon.search.questions import (
        FILLER_EN,
        HEADLINE_CONCEPTS,
        find_concepts,
        read_question,
    )

    cut = len(text) > MAX_CHARS
    typed = text[:MAX_CHARS].rsplit(" ", 1)[0] if cut else text
    rest, found = extract_periods(typed)
    periods = [p for p in found if not p.context]
    context = [p for p in found if p.context]
    marked = _marked_forms(typed)
    rest, concepts = find_concepts(rest)
    q = read_question(rest, marked)
    q.concepts = concepts
    q.headline = q.headline or any(search in HEADLINE_CONCEPTS for _, search, _ in concepts)
    if concepts and not q.basis:
        q.basis, q.basis_words = concepts[0][2], concepts[0][0]
    if not q.basis and "%" in typed:
        q.basis, q.basis_words = "yoy", "%"
    keep = list(q.keep)
    # Names made of filler stay names: "us" is the United States, "so với cùng kỳ năm trước" is y/y.
    i = 0
    for term in aliases.split(rest):
        size = len(term[0].split())
        if len(term) > 1:
            keep[i:i + size] = [True] * size
        i += size
    if index is not None:
        for i, k in enumerate(keep):
            if k or not q.plain[i] or rest[i] in FILLER_EN:
                continue
            for j in (i - 1, i + 1):
                if 0 <= j < len(rest) and (keep[j] or q.plain[j]) and rest[j] not in FILLER_EN:
                    pair = " ".join(rest[min(i, j):max(i, j) + 1])
                    if index.has_word(f'"{pair}"'):
                        keep[i] = keep[j] = True
    kept = [w for w, k in zip(rest, keep) if k]
    soft = list(q.soft)
    if not kept:
        # Nothing but question words: search the noun of 'which industry', else (with no period)
        # the ranking words, else every word, as typed.
        # ('which province grew fastest in 2025': with a period, every fact of it, provinces first)
        kept = [] if periods else [w for w in q.answer_words.split() if w not in FILLER_EN and w != "nao"]
        if not kept and not periods:
            kept = [w for w in rest if w not in q.filler or any(w in s.split() for s, _ in q.soft)] or rest
            soft = [(s, look) for s, look in soft if not set(s.split()) & set(kept)]
    if q.superlative:
        from vnecon.search.questions import SUPERLATIVE_TEXT

        soft.append((q.superlative_words, SUPERLATIVE_TEXT[q.superlative]))
    for p in context:
        soft.append((f"{p.context} {p.text}", _month_phrase(p)))
    terms = aliases.split(kept)  # before dropping stopwords: "year on year" is one term
    for _, names, _ in concepts:  # 'size of the economy': GDP; 'economic growth': GDP or GRDP
        terms.append(list(dict.fromkeys(a for n in names.split() for a in aliases.alternatives(n))))
    # A lone letter ("vietnam's" leaves an "s") is noise, unless an alias made a phrase of it ("y/y").
    terms = [t for t in terms if len(t) > 1 or len(t[0]) > 1 or t[0].isdigit()]
    terms = [t for i, t in enumerate(terms) if t not in terms[:i]]  # "pmi pmi pmi" is one word
    pq = ParsedQuery(terms[:MAX_WORDS], periods)
    pq.context, pq.question, pq.soft = context, q, soft
    pq.filler = [w for w, k, f in zip(rest, keep, q.is_filler) if f and w not in kept]
    pq.marked = set(marked)
    pq.dropped, pq.cut = max(len(terms) - MAX_WORDS, 0), cut
    terms = pq.terms
    # The same terms without old province names from mergers: direct matches rank first.
    pq.direct = [[a for a in t if a in aliases.alternatives(t[0], with_mergers=False)] for t in terms]
    for i in range(len(terms) - len(concepts), len(terms)):
        pq.direct[i] = terms[i]  # 'lạm phát' is the CPI too
    return pq


# What each kind of question prefers (facts.* columns; see questions.INTENTS and ANSWER_TYPES).
INTENT_SQL = {
    "value": "json_extract(facts.data, '$.data.value') IS NOT NULL "
             "OR json_extract(facts.data, '$.data.investments') IS NOT NULL",
    "when": "CASE WHEN facts.kind IN ('partnership', 'project') THEN 2 WHEN json_extract(facts.data, '$.data.date') "
            "IS NOT NULL OR json_extract(facts.data, '$.data.started') IS NOT NULL THEN 1 ELSE 0 END",
    "who": "CASE WHEN facts.kind = 'company' THEN 2 WHEN json_extract(facts.data, '$.data.people') IS NOT NULL "
           "THEN 1 ELSE 0 END",
    "where": "CASE WHEN facts.kind = 'project' THEN 2 WHEN json_extract(facts.data, '$.data.location') IS NOT NULL "
             "OR json_extract(facts.data, '$.data.site') IS NOT NULL THEN 1 ELSE 0 END",
}
ANSWER_SQL = {
    "sector": "json_extract(facts.data, '$.data.sector') IS NOT NULL",
    "region": f"COALESCE(facts.{column_of('region')}, '') NOT IN ('', 'vietnam', 'viet nam')",
    "country": "json_extract(facts.data, '$.data.country') IS NOT NULL OR facts.kind = 'partnership'",
    "company": "facts.kind = 'company'",
}


def _with_refs(index: Index, terms: list[list[str]]) -> list[str]:
    from vnecon.search.build import ref_token

    return [_fts_alt(t, [ref_token(i) for i in index.referenced_by_text(_fts_alt(t))]) for t in terms]


def correct_typos(index: Index, pq: ParsedQuery, aliases: Aliases | None = None) -> None:
    """Replace single-word terms that match nothing by the nearest indexed word or alias.

    Optimal string alignment distance: a transposition ("exprots", "Hanio") is
    one edit.  Words of 4 letters may be one edit away ("trde" -> "trade"),
    longer ones one edit per five letters; shorter words are left alone.  An
    alias written without its spaces is found too ("TPHCM" -> "tp hcm").
    A word that still matches nothing is left out, if other words remain.
    """
    vocab: list[str] | None = None
    spelled: dict[str, str] = {}
    for i, term in enumerate(pq.terms):
        word = term[0]
        if (len(term) != 1 or " " in word or len(word) < 4 or word.isdigit() or word in pq.marked
                or index.has_word(_fts_alt(term))):
            continue
        from vnecon.search.words import KNOWN

        if word in KNOWN:  # a real word the data lacks ('unemployment') is missing, not a typo
            continue
        if vocab is None:
            spelled = {n.replace(" ", ""): n for n in (aliases.names() if aliases else ()) if " " in n}
            vocab = list(spelled) + index.vocabulary()
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        # "semicondutor" -> "semiconductor", "wistorn" -> "wistron", but never
        # "inflation" -> "information" (three edits).
        best = process.extractOne(word, vocab, scorer=OSA.distance, score_cutoff=max(1, len(word) // 5))
        if not best:
            continue
        if best[0] in spelled:
            name = spelled[best[0]]
            pq.corrections[word] = name
            pq.terms[i] = aliases.alternatives(name)
            pq.direct[i] = aliases.alternatives(name, with_mergers=False)
        else:
            pq.corrections[word] = best[0]
            pq.terms[i] = aliases.alternatives(best[0]) if aliases else [best[0]]
            pq.direct[i] = aliases.alternatives(best[0], with_mergers=False) if aliases else [best[0]]
    # "vốn FDI Hà Nội": no fact has "von"; the other words still make an answer.
    keep = [i for i, t in enumerate(pq.terms) if t[0] in pq.corrections.values() or len(t) > 1
            or index.has_word(_fts_alt(t))]
    if keep and len(keep) < len(pq.terms):
        pq.ignored = [pq.terms[i][0] for i in range(len(pq.terms)) if i not in keep]
        pq.terms = [pq.terms[i] for i in keep]
        pq.direct = [pq.direct[i] for i in keep]


def search(index: Index, text: str, kind: str | None = None, limit: int | None = 20,
           aliases: Aliases | None = None) -> tuple[list[Fact], ParsedQuery]:
    """Ranked search: exact id or name first, then facts matching every word, then some."""
    aliases = aliases or Aliases(*index.alias_tables())
    pq = parse_query(text, aliases, index)
    correct_typos(index, pq, aliases)
    from vnecon.search.answers import judge, month_pairs, nothing_about, read_want

    pq.nothing = nothing_about(index, pq, pq.terms + [[w] for w in pq.ignored])
    if pq.nothing:
        return [], pq
    month_pairs(index, pq)
    pq.want = want = read_want(index, pq)
    scoped = pq.question.revision and index.visible == visible_sql()
    if scoped:  # 'first estimate', 'revised': every vintage is a candidate
        index.scope(all_vintages=True)
    try:
        facts = _search(index, text, pq, (kind, limit), aliases)
    finally:
        if scoped:
            index.scope()
    judge(index, pq, facts, want, aliases)
    return facts, pq


def _search(index: Index, text: str, pq: ParsedQuery, asked: tuple[str | None, int | None],
            aliases: Aliases) -> list[Fact]:
    kind, limit = asked
    # What a question prefers, within each stage and before relevance: facts saying its
    # ranking-only words ('fastest', 'since november 2018'), then facts of the kind of answer
    # asked for ('which sector': a sector; 'how much': a value).
    soft_exprs = [_fts_alt(look) for _, look in pq.soft]
    # The period asked for itself before the months inside it ('first 11 months of 2024': the
    # January-November figure, then January's).
    exact = [p.span for p in pq.periods if p.span]
    prefer_exprs = ["(" + " + ".join("(facts.pstart = ? AND facts.pend = ?)" for _ in exact) + ")"] if exact else []
    if soft_exprs:
        prefer_exprs.append("(" + " + ".join("(facts.rowid IN (SELECT rowid FROM fts WHERE fts MATCH ?))"
                                             for _ in soft_exprs) + ")")
    for sql in (ANSWER_SQL.get(pq.question.answer_type), INTENT_SQL.get(pq.question.intent)):
        if sql:
            prefer_exprs.append(f"({sql})")
    prefer = "".join(f"{e} DESC, " for e in prefer_exprs)
    exact_params = [d for span in exact for d in span]
    kind_sql, kind_params = ("kind = ?", [kind]) if kind else ("1", [])
    period_parts = [p.sql() for p in pq.periods]
    period_sql = " AND ".join(sql for sql, _ in period_parts) or "1"
    period_params = [v for _, params in period_parts for v in params]
    # Facts that share part of the typed period rank after those inside it, but are found.
    overlap_parts = [p.sql(overlap=True) for p in pq.periods]
    overlap_sql = " AND ".join(sql for sql, _ in overlap_parts) or "1"
    overlap_params = [v for _, params in overlap_parts for v in params]
    weights = "bm25(fts, 10.0, 3.0, 0.5, 1.0)"  # name, body, notes, source
    found: list[int] = []
    seen: set[int] = set()
    labels: list[str] = []  # what each stage is, for --explain

    def add(rows: list[tuple], label: str) -> None:
        for (r, *_rest) in rows:
            if r not in seen:
                seen.add(r)
                found.append(r)
                pq.stage_of[r] = label

    # Room beyond the limit, so that reordering (answers before sources, a series' latest point
    # first) sees the candidates the limit would cut.  SQLite integers are 64-bit.
    room = 500 if pq.question.superlative and not pq.periods else 50  # 'highest ever': the whole series
    cap = min(limit + room, 1 << 62) if limit is not None else -1
    lowered = text.strip().lower()

    def sql_rows(sql: str, params: list) -> list[tuple]:
        return index.db.execute(sql, params).fetchall()

    def run(match: str, periods: str = "inside", most: list[str] = ()) -> list[tuple]:
        """Facts for an FTS match; periods: "inside", "overlap" or "any";
        ``most``: terms to count, facts matching more of them first."""
        cond, params = {"inside": (period_sql, period_params), "overlap": (overlap_sql, overlap_params),
                        "any": ("1", [])}[periods]
        count = " + ".join("(facts.rowid IN (SELECT rowid FROM fts WHERE fts MATCH ?))" for _ in most)
        # A name that is exactly one of the words ("iip") before names that contain it.
        exact = f"facts.title_f IN ({','.join('?' * len(names))}) DESC, " if names else ""
        # Ties broken by id: the order must not depend on edit history (rowids are reused).
        order = (f"{count} DESC, " if count else "") + prefer + exact + weights + ", facts.id"
        sql = (f"SELECT facts.rowid FROM fts JOIN {index.seen} AS facts ON facts.rowid = fts.rowid "
               f"WHERE fts MATCH ? AND {kind_sql} AND {cond} ORDER BY {order} LIMIT ?")
        lim = -1 if cap < 0 else cap + len(found)  # room for rows already found
        return sql_rows(sql, [match, *kind_params, *params, *most, *exact_params, *soft_exprs, *names, lim])

    names = [a for t in pq.direct for a in t]

    memo: dict[str, list[str]] = {}

    def refs(terms: list[list[str]]) -> list[str]:
        key = repr(terms)
        if key not in memo:
            memo[key] = _with_refs(index, terms)
        return memo[key]

    # Stages, best first; later ones run only while there is room for more.
    labels.append("the id or the whole name")
    stages = [
        # 1. The exact id, or a name equal to the whole query.
        lambda: sql_rows(
            f"SELECT rowid FROM {index.seen} AS facts WHERE {kind_sql} AND (id = ? OR title_f = ?) "
            "ORDER BY id != ?, kind = 'indicator', id", [*kind_params, lowered, phrase(text), lowered]),
    ]
    for i, alts in enumerate(pq.direct):
        # 2. A name that is exactly one of the words or its spellings ("iip" -> "Index
        #    of Industrial Production"), the other words matching anywhere: the
        #    broadest, latest period first (the headline before its sub-indices).
        others = " AND ".join(_fts_alt(t) for j, t in enumerate(pq.direct) if j != i)
        labels.append(f'a name that is "{alts[0]}"' + (", the other words anywhere" if others else ""))
        stages.append(lambda alts=alts, others=others: sql_rows(
            f"SELECT rowid FROM {index.seen} AS facts WHERE {kind_sql} AND {period_sql} AND title_f IN "
            f"({','.join('?' * len(alts))})"
            + (" AND rowid IN (SELECT rowid FROM fts WHERE fts MATCH ?)" if others else "")
            + f" ORDER BY {prefer}julianday(pend) - julianday(pstart) DESC, pstart DESC, id LIMIT ?",
            [*kind_params, *period_params, *alts, *([others] if others else []), *exact_params, *soft_exprs, cap]))
    if pq.terms:
        merging = pq.terms != pq.direct
        labels += ["every word in the name", "every word"]
        stages += [
            # 3. Every word in the name itself (and every period).
            lambda: run("{name} : (" + " AND ".join(_fts_alt(t) for t in pq.direct) + ")"),
            # 4. Every word (and period) anywhere, its source or owner included;
            #    then through merged provinces' old names.
            lambda: run(" AND ".join(refs(pq.direct))),
        ]
        if merging:
            labels.append("every word, through merged provinces")
            stages.append(lambda: run(" AND ".join(refs(pq.terms))))
        if pq.periods:
            labels.append("every word, in a period overlapping the one asked")
            # 5. Every word, in a period that overlaps the one typed ("iip november
            #    2024" reaches the January-November figure).
            stages.append(lambda: run(" AND ".join(refs(pq.terms)), "overlap"))
        if len(pq.terms) > 1 or pq.periods:
            # 7. Some of the words ("vốn" or a typo matches nothing): facts matching
            #    more of them first, inside the period typed, then overlapping it;
            #    any period only when none was typed (else the no-match hint offers
            #    other periods).
            def some(periods: str) -> list[tuple]:
                return run(" OR ".join(refs(pq.terms)), periods, refs(pq.terms) if len(pq.terms) > 1 else [])

            stages += [lambda: some("inside"), lambda: some("overlap")] if pq.periods else [lambda: some("any")]
            labels += ["some of the words", "some of the words, in an overlapping period"] if pq.periods else [
                "some of the words"]
    elif pq.periods:
        labels += ["the period asked", "a period overlapping the one asked"]
        for cond, params in ((period_sql, period_params), (overlap_sql, overlap_params)):
            stages.append(lambda cond=cond, params=params: sql_rows(
                f"SELECT rowid FROM {index.seen} AS facts WHERE {kind_sql} AND {cond} "
                f"ORDER BY {prefer}kind = 'source', julianday(pend) - julianday(pstart), pstart, id LIMIT ?",
                [*kind_params, *params, *exact_params, *soft_exprs, cap]))
    for i, stage in enumerate(stages):
        add(stage(), labels[i])
        if i == 0:  # an id typed whole stays first
            pinned = int(bool(found) and index.db.execute(f"SELECT id = ? FROM {index.seen} AS facts WHERE rowid = ?",
                                                          [lowered, found[0]]).fetchone()[0])
        if cap >= 0 and len(found) >= cap:
            break
    rest = found[pinned:]
    # A question's preferences hold across the stages that match every word: "how much will
    # Wistron NeWeb invest" wants the investment before the company named exactly.
    tiers = {label: i for i, label in enumerate(labels)}
    for label in labels:
        if label.startswith(("a name that is", "every word in the name", "every word")) \
                and "overlapping" not in label:
            tiers[label] = 1
    question_exprs = [f"({sql})" for sql in (ANSWER_SQL.get(pq.question.answer_type),
                                              INTENT_SQL.get(pq.question.intent)) if sql]
    soft_sql = prefer_exprs[1:] if exact and soft_exprs else prefer_exprs[:1] if soft_exprs else []
    stage_no = {label: i for i, label in enumerate(labels)}
    rest, pq.keys = answer_order(index, rest, pq.want, (lambda r: tiers.get(pq.stage_of.get(r), 0),
                                                        lambda r: stage_no.get(pq.stage_of.get(r), 0)),
                                 (question_exprs + soft_sql[:1], list(soft_exprs), len(question_exprs)),
                                 {r for r in rest if pq.stage_of.get(r) in WEAK_STAGES})
    rest = answers_first(index, rest)
    evidence = soft_hits(index, rest, soft_exprs) if soft_exprs else None
    if not pq.periods:
        rest = latest_first(index, rest, evidence)
    if pq.question.superlative:
        rest = by_value(index, rest, pq.question.superlative, pq.value_rank, pq.want)
    rest = by_rank(index, rest, pq.question.superlative)
    pq.why = why_first(pq.keys, rest)
    found = found[:pinned] + rest
    shown = found[:limit] if limit is not None else found
    facts = _fetch(index, shown)
    pq.weak = {f.id for r, f in zip(shown, facts) if pq.stage_of.get(r, "") in WEAK_STAGES}
    return facts


# Stages whose facts match only some of the words typed: shown to people folded (see strong_first).
WEAK_STAGES = ("some of the words", "some of the words, in an overlapping period")


def strong_first(results: list[Fact], pq: ParsedQuery) -> tuple[list[Fact], list[Fact]]:
    """(strong, weak): facts matching every word, the id or the name, and facts matching only some.

    When nothing matches every word, the weak ones are all there is and are the answer."""
    strong = [f for f in results if f.id not in pq.weak]
    weak = [f for f in results if f.id in pq.weak]
    return (strong, weak) if strong else (weak, [])


def _fetch(index: Index, rowids: list[int]) -> list[Fact]:
    """The facts for rowids, in the same order."""
    rows = {r[0]: r[1:] for r in index.for_rowids(f"rowid, {index.ROW}", rowids)}
    return [index.fact_from_row(rows[r]) for r in rowids]


# ---- listings -----------------------------------------------------------

# filter option -> (index column, how it matches): see load.model.FILTERS.
FILTERS = {name: (column_of(name), FILTER_SPECS[name].how) for name in SQL_FILTERS}


def filter_sql(filters: dict[str, str], aliases: Aliases) -> tuple[list[str], list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    for key, value in filters.items():
        if value is None:
            continue
        if not phrase(value):
            raise UsageError(f"--{key}: {value!r} has no letters or digits to match")
        column, how = FILTERS[key]
        alts = aliases.alternatives(value)
        ors = []
        for a in alts:
            if how == "eq":
                ors.append(f"{column} = ?")
                params.append(a)
            elif how == "word":
                ors.append(f"{column} LIKE ?")
                params.append(f"% {a}%")
            else:
                ors.append(f"{column} LIKE ?")
                params.append(f"%|{a}|%")
        clauses.append("(" + " OR ".join(ors) + ")")
    return clauses, params


def period_filters(period: str | None, since: str | None, until: str | None) -> tuple[list[str], list[Any]]:
    """SQL for --period (within), --since (starts on or after) and --until (ends on or before)."""
    clauses: list[str] = []
    params: list[Any] = []
    spans: dict[str, Span] = {}
    for opt, value in (("--period", period), ("--since", since), ("--until", until)):
        if value is None:
            continue
        try:
            start, end = spans[opt] = parse_user_period(value)
        except ValueError:
            raise UsageError(f"{opt}: {value!r} is not a period; expected {PERIOD_FORMS}, "
                             "or words: 'July 2024', '7/2024', 'H1 2024', 'first half 2024', 'Q3 2024', "
                             "'Jan-Nov 2024', 'tháng 7/2024', 'quý 3/2024'") from None
        if opt in ("--period", "--since"):
            clauses.append("pstart >= ?")
            params.append(start)
        if opt in ("--period", "--until"):
            clauses.append("pend <= ?")
            params.append(end)
    if "--since" in spans and "--until" in spans and spans["--since"][0] > spans["--until"][1]:
        raise UsageError(f"--since {since!r} is after --until {until!r}: no fact could match; swap them?")
    return clauses, params


# What a listing (or series) asks for: filters by name (load.model.FILTERS), period options, order, limit.
ListQuery = namedtuple("ListQuery", "kind filters period since until sort limit",
                       defaults=(None, None, None, None, None))


def listing(index: Index, q: ListQuery, aliases: Aliases | None = None,
            warn: Callable[[str], None] | None = None) -> list[Fact]:
    """Facts of one kind matching the filters; ``filters["unit"]`` (indicators) is a comma list of units."""
    kind, filters, period, since, until, sort, limit = q
    limit = limit or None  # 0: all
    aliases = aliases or Aliases(*index.alias_tables())
    filters = dict(filters)
    unit = filters.pop("unit", None)
    trust = filters.pop("trust", None)
    clauses, params = filter_sql({k: v for k, v in filters.items() if v is not None}, aliases)
    pc, pp = period_filters(period, since, until)
    where = " AND ".join(["kind = ?", *clauses, *pc])
    facts = index.facts(where, [kind, *params, *pp], order_sql(kind))
    if unit is not None:
        facts = unit_filter(facts, unit)
    if trust is not None:
        facts = trust_filter(facts, trust)
    if sort:
        facts = sort_facts(facts, kind, sort, warn)
        units = {str(f.get("unit", "")) for f in facts}
        if warn and limit is not None and len(facts) > limit and len(units) > 1 and any(
                n in ("value", "value_max") for n, _ in parse_sort(kind, sort)):
            cut = facts[:limit]
            kept = sorted({str(f.get("unit", "")) for f in cut})
            warn(f"--limit {limit}: the first {len(cut)} in that order are in {', '.join(kept)} only, not the "
                 f"largest of all {len(units)} units; add --unit to rank one unit")
    return facts[:limit] if limit is not None else facts  # slicing is safe for any size


def trust_filter(facts: list[Fact], levels: str) -> list[Fact]:
    """--trust doubtful,draft (or not-reported): facts whose trust is one of these."""
    wanted = {t.strip().lower() for t in levels.split(",") if t.strip()}
    if "not-reported" in wanted:
        wanted = (wanted - {"not-reported"}) | set(TRUST_LEVELS[1:])
    unknown = sorted(wanted - set(TRUST_LEVELS))
    if unknown or not wanted:
        raise UsageError(f"--trust: unknown level {unknown[0]!r}; choose from {', '.join(TRUST_LEVELS)}, not-reported"
                         if unknown else "--trust: name a level, such as doubtful or not-reported")
    return [f for f in facts if (f.get("trust") or "reported") in wanted]


UNIT_ALIASES = {"us$": "usd", "$": "usd", "percent": "%", "pts": "points", "point": "points"}


def unit_filter(facts: list[Fact], units: str) -> list[Fact]:
    """--unit %,USD: facts whose unit is one of these (case does not matter; US$ = USD)."""
    wanted = {UNIT_ALIASES.get(u.strip().lower(), u.strip().lower()) for u in units.split(",") if u.strip()}
    if not wanted:
        raise UsageError("--unit: name a unit, such as %, USD, points or count")
    return [f for f in facts if UNIT_ALIASES.get(str(f.get("unit", "")).lower(), str(f.get("unit", "")).lower())
            in wanted]


def distinct_values(index: Index, field: str, kind: str | None, prefix: str = "", limit: int = 200) -> list[str]:
    """Values a field takes in the index whose folded form starts with the folded prefix (for completion)."""
    where, params = ("kind = ?", [kind]) if kind else ("1", [])
    rows = index.db.execute(
        f"SELECT DISTINCT json_extract(data, '$.data.{field}') FROM {index.seen} AS facts WHERE {where}", params)
    want = phrase(prefix)
    found = sorted({v for (v,) in rows if isinstance(v, str) and phrase(v).startswith(want)}, key=phrase)
    return found[:limit]


def sortable_fields(kind: str) -> list[str]:
    """Every column of the kind, companions included (not the first source's, which a listing does not load)."""
    from vnecon.load.columns import SOURCE_COMPANIONS, machine_columns

    return [c for c in machine_columns(kind) if c not in SOURCE_COMPANIONS and c != "kind"]


def parse_sort(kind: str, sort: str) -> list[tuple[str, bool]]:
    """'region,-value' -> [('region', False), ('value', True)]; unknown fields are usage errors."""

    allowed = sortable_fields(kind)
    keys = []
    for part in sort.split(","):
        part = part.strip()
        name = part.lstrip("-+").strip()
        if not name:
            raise UsageError(f"--sort: {sort!r} has an empty key; write e.g. --sort region,-value")
        if name not in allowed:
            close = close_to(name, allowed, n=3)
            hint = f"did you mean {' or '.join(close)}? " if close else ""
            raise UsageError(f"--sort: {kind} has no field {name!r}; {hint}choose from: {', '.join(allowed)}")
        keys.append((name, part.startswith("-")))
    return keys


def sort_facts(facts: list[Fact], kind: str, sort: str, warn: Callable[[str], None] | None = None) -> list[Fact]:
    """Sort by several keys ('region,-value'); facts without a key's field go last either way.

    Periods and dates sort by start, then by end (so 2024 comes after 2024-H1
    ascending: same start, longer).  Values in different units are never
    compared: the sort is by value within each unit, and ``warn`` says so.
    """
    from vnecon.load.columns import column_type, machine_row

    keys = parse_sort(kind, sort)
    names = [n for n, _ in keys]
    for i, name in enumerate(names):
        if name in ("value", "value_max") and "unit" not in names[:i]:
            units = sorted({str(f.get("unit", "")) for f in facts if f.get(name) is not None})
            if len(units) > 1:
                keys.insert(i, ("unit", False))
                if warn:
                    warn(f"--sort {name}: {len(units)} units ({', '.join(units)}); sorted by {name} within each "
                         "unit (--unit picks one)")
            break
    rows = {id(f): machine_row(f) for f in facts}

    def key_of(name: str):
        t = column_type(kind, name)
        if t in ("period", "date"):
            return lambda r: (r.get(f"{name}_start") or "", r.get(f"{name}_end") or "")
        if t == "number":
            return lambda r: float(r[name])
        if t in ("list", "people", "investments"):
            return lambda r: phrase(" ".join(str(v) for v in r[name]))
        return lambda r: phrase(str(r[name]))

    items = list(facts)
    for name, desc in reversed(keys):
        k = key_of(name)
        present = [f for f in items if rows[id(f)].get(name) is not None]
        missing = [f for f in items if rows[id(f)].get(name) is None]
        present.sort(key=lambda f: k(rows[id(f)]), reverse=desc)
        items = present + missing
    return items


def related(index: Index, fact: Fact) -> dict[str, list[Fact]]:
    """Facts linked to this one, by relation, for `show`."""
    out: dict[str, list[Fact]] = {}
    refs = fact.get("sources", [])
    out["sources"] = [f for f in (index.get(r) for r in refs) if f]
    if fact.get("owner"):
        out["owner"] = [f for f in [index.get(fact.get("owner"))] if f]
    if fact.get("parent"):
        out["parent"] = [f for f in [index.get(fact.get("parent"))] if f]
    out["parties"] = [f for f in (index.get(p) for p in fact.get("parties", [])) if f]
    back = index.referencing(fact.id)
    if fact.kind == "source":
        out["facts citing this source"] = back
    else:
        out["projects"] = [f for f in back if f.kind == "project" and f.get("owner") == fact.id]
        out["partnerships"] = [f for f in back if f.kind == "partnership"]
        out["subsidiaries"] = [f for f in back if f.get("parent") == fact.id]
        same = index.facts(
            f"id != ? AND rowid IN (SELECT rowid FROM refs WHERE ref IN ({','.join('?' * len(refs))}))",
            [fact.id, *refs], "kind, id") if refs else []
        out["same source"] = same
    return {k: v for k, v in out.items() if v}


def no_match_hint(index: Index, text: str, kind: str | None = None, aliases: Aliases | None = None) -> str:
    """Where to look when a search finds nothing: the same words in other periods
    or kinds, else indexed words close to the typed ones.  '' when there is none."""
    aliases = aliases or Aliases(*index.alias_tables())
    pq = parse_query(text, aliases)
    if pq.periods and pq.terms:
        words_only = " ".join(t[0] for t in pq.terms)
        facts, _ = search(index, words_only, kind, 3, aliases)
        if facts:
            shown = ", ".join(f"{f.id} ({f.get('period') or f.get('date')})" if f.get("period") or f.get("date")
                              else f.id for f in facts)
            return f"nothing in that period; other periods: {shown}"
    if kind:
        facts, _ = search(index, text, None, 3, aliases)
        if facts:
            return f"other kinds match: {', '.join(f'{f.id} ({f.kind})' for f in facts)}"
    unknown = [t[0] for t in pq.terms if len(t) == 1 and not t[0].isdigit() and not index.has_word(_fts_alt(t))]
    if unknown:
        from rapidfuzz import process
        from rapidfuzz.distance import OSA

        vocab = index.vocabulary()
        close = []
        for w in unknown:
            close += [c for c, d, _ in process.extract(w, vocab, scorer=OSA.distance, limit=3,
                                                       score_cutoff=max(2, len(w) // 3)) if c not in close]
        if close:
            return f"did you mean: {', '.join(close[:5])}?"
    return ""


def suggest_ids(index: Index, name: str, n: int = 3) -> list[str]:
    """Ids for a name that is not one: through aliases and search ('pmi' -> 'vn-pmi-2024-07'),
    else ids spelled alike."""
    if phrase(name):
        facts, _ = search(index, name, None, n)
        if facts:
            return [f.id for f in facts]
    return closest_ids(index, name, n)


def closest_ids(index: Index, fact_id: str, n: int = 3) -> list[str]:

    ids = index.ids()
    close = close_to(fact_id.lower(), ids, n=n, cutoff=0.5)
    if not close:
        close = [i for i in ids if fact_id.lower() in i][:n]
    return close
