"""Whole questions, in English and Vietnamese: which typed words are filler, what kind of
answer is asked for, and which words only rank (superlatives, 'growth', 'which sector').

Plain data and one function, ``read_question``; query.py turns what it finds into SQL.
Words are folded (text.fold) except where a Vietnamese word's diacritics tell filler from
meaning: 'có' (has) is filler, 'cơ' (as in 'lạm phát cơ bản', core inflation) is not.
"""

from __future__ import annotations

# Question and filler words, folded.  They neither filter nor draw "no fact mentions" notices.
_FILLER_EN = """
what which how much many when where who whom whose why did does do done was were is are be been being
the of a an in on at to for by with from and or will would could can should shall may might must
has have had there that this these those it its their they them we our you your i me my us
tell show give find please about as than since compared versus vs against according s get got
any some ever during over between into out per happened happen become became same
latest newest recent current currently now
"""
FILLER_EN = frozenset(_FILLER_EN.split())

# Vietnamese filler as typed with diacritics (NFC, lower case): exact, so 'cơ' and 'có' differ.
_FILLER_VI = """
là gì nào đâu bao nhiêu mấy của được có không và với cho trong tại này đó đã sẽ đang thì mà
như thế sao hay hoặc bị về những các ở khi bằng kể từ so hỏi cùng kỳ mới nhất gần hiện nay phần trăm
"""
FILLER_VI = frozenset(_FILLER_VI.split())
# The same, typed without diacritics: filler unless the index has the word with a neighbour as a
# phrase ('co ban' in 'Lạm phát cơ bản'), which query.py checks.
_FILLER_VI_PLAIN = """
la gi nao dau bao nhieu may cua duoc co khong va voi cho trong tai nay do da se dang thi ma
nhu the sao hay hoac bi ve nhung cac o khi bang ke tu so hoi cung ky moi nhat gan hien nay phan tram
"""
FILLER_VI_PLAIN = frozenset(_FILLER_VI_PLAIN.split())

# Phrases that say what kind of answer is wanted (folded words) -> intent.
INTENTS = {
    ("how", "much"): "value", ("how", "many"): "value", ("what", "was"): "value", ("what", "is"): "value",
    ("what", "were"): "value", ("what", "are"): "value", ("how", "fast"): "value", ("how", "high"): "value",
    ("how", "big"): "value", ("how", "large"): "value", ("what", "percentage"): "value",
    ("bao", "nhieu"): "value", ("may",): "value",
    ("when",): "when", ("what", "year"): "when", ("which", "year"): "when", ("what", "date"): "when",
    ("khi", "nao"): "when", ("bao", "gio"): "when", ("luc", "nao"): "when", ("nam", "nao"): "when",
    ("ngay", "nao"): "when",
    ("who",): "who", ("whom",): "who", ("whose",): "who", ("la", "ai"): "who", ("ai", "la"): "who",
    ("which", "company"): "who", ("which", "companies"): "who", ("which", "firm"): "who",
    ("cong", "ty", "nao"): "who",
    ("where",): "where", ("o", "dau"): "where", ("tai", "dau"): "where",
}
# Vietnamese intent words typed with diacritics must be these to count ('mấy', not 'máy').
INTENT_MARKED = {"may": "mấy", "ai": "ai", "dau": "đâu", "nao": "nào", "gio": "giờ"}

# Superlatives: words (folded, one or two) -> direction.  "highest" ranks by value, high first.
SUPERLATIVES = {
    ("highest",): 1, ("largest",): 1, ("biggest",): 1, ("fastest",): 1, ("most",): 1, ("greatest",): 1,
    ("strongest",): 1, ("top",): 1, ("best",): 1, ("record",): 1, ("peak",): 1, ("maximum",): 1,
    ("cao", "nhat"): 1, ("lon", "nhat"): 1, ("nhanh", "nhat"): 1, ("nhieu", "nhat"): 1, ("manh", "nhat"): 1,
    ("lowest",): -1, ("smallest",): -1, ("slowest",): -1, ("least",): -1, ("weakest",): -1, ("worst",): -1,
    ("minimum",): -1, ("thap", "nhat"): -1, ("nho", "nhat"): -1, ("cham", "nhat"): -1, ("it", "nhat"): -1,
}
# What a report says of such a figure, for ranking: 'the best reading since', 'fastest-growing'.
SUPERLATIVE_TEXT = {
    1: ["highest", "largest", "biggest", "fastest", "best", "strongest", "record", "peak", "top", "most",
        "cao nhat", "lon nhat", "nhanh nhat"],
    -1: ["lowest", "smallest", "slowest", "weakest", "worst", "least", "thap nhat", "nho nhat"],
}

# Words that only rank: a fact saying them comes first, one that does not still matches.
# Each: folded words -> what to look for.
SOFT = {
    ("growth",): ["growth", "grow", "growing", "grew"], ("grow",): ["grow", "growth", "growing"],
    ("growing",): ["growing", "growth"], ("grew",): ["grew", "growth"],
    ("increase",): ["increase", "rise", "growth"], ("increased",): ["increase", "rise", "growth"],
    ("rise",): ["rise", "increase"], ("rose",): ["rose", "rise"], ("up",): ["up"], ("rate",): ["rate"],
    ("change",): ["change"], ("reach",): ["reach"], ("reached",): ["reach"], ("level",): ["level"],
    ("figure",): ["figure"], ("value",): ["value"], ("number",): ["number"], ("total",): ["total"],
    ("more",): ["more", "additional", "further", "extra"], ("additional",): ["additional", "more"],
    ("further",): ["further", "additional"], ("extra",): ["extra", "additional"],
    ("tang", "truong"): ["tang truong", "growth"], ("tang",): ["tang", "growth", "increase"],
    ("dat",): ["dat", "reach"], ("them",): ["them", "additional"], ("muc",): ["muc", "level"],
    ("bo", "sung"): ["bo sung", "additional"], ("first",): ["first", "initial"], ("initial",): ["initial", "first"],
    ("ban", "dau"): ["ban dau", "initial"], ("revised",): ["revised", "revision"], ("dieu", "chinh"): ["revised"],
    # How people ask about ties ('upgrade relations to a ...'): the partnership's own name says the rest.
    ("upgrade",): ["upgrade", "elevate", "raise"], ("upgraded",): ["upgrade", "elevate"],
    ("elevate",): ["elevate", "upgrade"], ("relations",): ["relations", "ties"], ("ties",): ["ties", "relations"],
    ("nang", "cap"): ["nang cap", "upgrade"], ("quan", "he"): ["quan he", "relations"],
}
SOFT_MARKED = {"tang": "tăng", "dat": "đạt", "them": "thêm", "muc": "mức"}  # 'đất' (land) is a word

# Nouns that, after 'which' or before 'nào', name the kind of answer: facts that have that
# field rank first, and the noun itself is not searched ('which sector' -> facts with a sector).
ANSWER_TYPES = {
    "sector": "sector", "sectors": "sector", "industry": "sector", "industries": "sector", "branch": "sector",
    "nganh": "sector", "province": "region", "provinces": "region", "city": "region", "cities": "region",
    "region": "region", "locality": "region", "tinh": "region", "dia phuong": "region",
    "country": "country", "countries": "country", "nuoc": "country", "quoc gia": "country",
    "market": "market", "markets": "market", "thi truong": "market",
    "company": "company", "companies": "company", "firm": "company", "cong ty": "company",
    "doanh nghiep": "company", "month": "when", "thang": "when", "quarter": "when", "quy": "when",
}
_ASKING = {"which", "what"}

# The basis a question asks for (folded words, one or more): growth and change words ask for the
# change on a year earlier, amounts and currencies for the level; the month-on-month change only
# when it is asked for.  Growth words win over 'how much' ('how much did exports grow').
BASIS_WORDS = {
    "yoy": [("growth",), ("grow",), ("grew",), ("growing",), ("rise",), ("rose",), ("increase",), ("increased",),
            ("fall",), ("fell",), ("decline",), ("declined",), ("percent",), ("%",), ("how", "fast"), ("tang",),
            ("giam",), ("toc", "do"), ("percentage",), ("phan", "tram"), ("inflation",), ("lam", "phat")],
    "level": [("how", "much"), ("how", "many"), ("bao", "nhieu"), ("usd",), ("us$",), ("dollars",), ("dollar",),
              ("billion",), ("million",), ("bn",), ("trillion",), ("vnd",), ("dong",), ("trieu",),
              ("size",), ("quy", "mo"), ("amount",), ("total",), ("worth",), ("value",), ("turnover",),
              ("kim", "ngach"), ("gia", "tri")],
    "mom": [("month", "on", "month"), ("mom",), ("m/m",), ("thang", "truoc"), ("previous", "month"),
            ("prior", "month"), ("from", "a", "month", "earlier")],
}
# 'which month', 'quý nào': the answer is a period of this length, ranked within the year asked.
LENGTH_NOUNS = {"month": "month", "months": "month", "thang": "month", "quarter": "quarter", "quarters": "quarter",
                "quy": "quarter", "year": "year", "nam": "year"}
# Words that ask for a vintage: the first published value, or the revised one.
REVISION_WORDS = {("first", "estimate"): "first", ("initial", "estimate"): "first", ("preliminary",): "first",
                  ("flash",): "first", ("advance", "estimate"): "first", ("first", "published"): "first",
                  ("uoc", "tinh"): "first", ("so", "bo"): "first", ("revised",): "latest", ("revision",): "latest",
                  ("revisions",): "latest", ("dieu", "chinh"): "latest", ("final",): "latest"}
# Phrases that name a measure in other words: (folded words) -> (what to search, the basis asked).
CONCEPTS = {
    ("size", "of", "the", "economy"): ("gdp", "level"), ("economy", "size"): ("gdp", "level"),
    ("size", "of", "the", "vietnamese", "economy"): ("gdp", "level"), ("economic", "size"): ("gdp", "level"),
    ("quy", "mo", "nen", "kinh", "te"): ("gdp", "level"), ("quy", "mo", "kinh", "te"): ("gdp", "level"),
    ("how", "big", "is", "the", "economy"): ("gdp", "level"), ("gdp", "size"): ("gdp", "level"),
    ("economic", "growth"): ("gdp grdp", "yoy"), ("economy", "grow"): ("gdp grdp", "yoy"),
    ("economy", "grew"): ("gdp grdp", "yoy"), ("tang", "truong", "kinh", "te"): ("gdp grdp", "yoy"),
    ("kinh", "te", "tang", "truong"): ("gdp grdp", "yoy"),
    # 'inflation' is what people call the CPI's change on a year earlier: the headline first
    ("inflation",): ("inflation cpi", "yoy"), ("lam", "phat"): ("lam phat cpi", "yoy"),
    ("inflation", "rate"): ("inflation cpi", "yoy"), ("ty", "le", "lam", "phat"): ("lam phat cpi", "yoy"),
}
HEADLINE_CONCEPTS = {"inflation cpi", "lam phat cpi"}
_CONCEPTS_LONGEST_FIRST = sorted(CONCEPTS.items(), key=lambda kv: -len(kv[0]))
# Headline before core: 'inflation' asks for the consumer price index unless 'core' is said.
HEADLINE_WORDS = {"inflation", "lam phat", "cpi", "consumer price index", "chi so gia tieu dung"}
CORE_WORDS = {"core", "co ban", "underlying"}


def find_concepts(tokens: list[str]) -> tuple[list[str], list[tuple[str, str, str]]]:
    """Tokens without the phrases of CONCEPTS, and what each found phrase names: (typed, search, basis)."""
    out: list[str] = []
    found: list[tuple[str, str, str]] = []
    joined = f" {' '.join(tokens)} "
    core = any(f" {w} " in joined for w in CORE_WORDS)
    i = 0
    while i < len(tokens):
        for phrase, (search, basis) in _CONCEPTS_LONGEST_FIRST:
            if core and search in HEADLINE_CONCEPTS:
                continue
            if tuple(tokens[i:i + len(phrase)]) == phrase:
                found.append((" ".join(phrase), search, basis))
                i += len(phrase)
                break
        else:
            out.append(tokens[i])
            i += 1
    return out, found


def _phrases_in(tokens: list[str], phrases) -> list[tuple[str, ...]]:
    return [p for p in phrases if any(tuple(tokens[i:i + len(p)]) == p for i in range(len(tokens)))]


def read_wants(q: Question, tokens: list[str], text: str) -> None:
    """The basis, period length, vintage and headline a question asks for (see BASIS_WORDS...)."""
    if _phrases_in(tokens, BASIS_WORDS["mom"]):
        q.basis, q.basis_words = "mom", " ".join(_phrases_in(tokens, BASIS_WORDS["mom"])[0])
    else:
        for basis in ("yoy", "level"):
            hit = _phrases_in(tokens, BASIS_WORDS[basis]) or ([("%",)] if basis == "yoy" and "%" in text else [])
            if hit:
                q.basis, q.basis_words = basis, " ".join(hit[0])
                break
    for i, t in enumerate(tokens):
        if t in LENGTH_NOUNS and ((i and tokens[i - 1] in _ASKING) or (i + 1 < len(tokens) and tokens[i + 1] == "nao")):
            q.length = LENGTH_NOUNS[t]
            break
    rev = _phrases_in(tokens, REVISION_WORDS)
    if rev:
        q.revision, q.revision_words = REVISION_WORDS[rev[0]], " ".join(rev[0])
        for i in range(len(tokens)):  # asks for a vintage: not searched ('ước tính', 'sơ bộ')
            for p in rev:
                if tuple(tokens[i:i + len(p)]) == p:
                    q.keep[i:i + len(p)] = [False] * len(p)
    joined = f" {' '.join(tokens)} "
    q.headline = any(f" {w} " in joined for w in HEADLINE_WORDS) and not any(f" {w} " in joined for w in CORE_WORDS)


class Question:
    """What a typed question asks for, beside its search words."""

    def __init__(self) -> None:
        self.keep: list[bool] = []  # per token: searched (True) or filler/ranking only (False)
        self.intent = ""  # value, when, who, where, or ''
        self.superlative = 0  # 1 highest, -1 lowest, 0 none
        self.superlative_words = ""  # as typed (folded), for --explain
        self.soft: list[tuple[str, list[str]]] = []  # (typed words, phrases to look for)
        self.answer_type = ""  # sector, region, country, market, company, when
        self.filler: list[str] = []  # tokens left out as filler
        self.is_filler: list[bool] = []  # per token
        self.answer_words = ""  # 'which sector', as typed (folded)
        self.plain: list[bool] = []  # per token: Vietnamese filler typed without marks
        self.basis = ""  # level, yoy, mom: the basis asked for ('how much', 'growth', 'm/m'), or ''
        self.basis_words = ""  # the words that asked it, for --explain
        self.length = ""  # month, quarter, year: 'which month' asks for a period of that length
        self.revision = ""  # first, latest: 'first estimate', 'revised' search the vintages
        self.revision_words = ""
        self.headline = False  # 'inflation' without 'core': the headline CPI first
        self.concepts: list[tuple[str, str, str]] = []  # ('size of the economy', 'gdp', 'level')


def read_question(tokens: list[str], marked: dict[str, set[str]]) -> Question:
    """Read folded ``tokens``; ``marked`` maps a folded token to the forms typed with diacritics.

    A token typed with diacritics is Vietnamese filler only as spelt in FILLER_VI; typed plain,
    it is a candidate (query.py keeps it if it makes an indexed phrase with a neighbour)."""
    q = Question()
    n = len(tokens)
    keep = [True] * n
    filler = [False] * n  # left out as a question or filler word (not a ranking word)
    plain = [False] * n  # Vietnamese filler typed without marks: query.py may yet keep it

    def typed_as(i: int, spelt: str) -> bool:
        forms = marked.get(tokens[i])
        return not forms or spelt in forms

    def at(i: int, phrase: tuple[str, ...]) -> bool:
        return tuple(tokens[i:i + len(phrase)]) == phrase

    for i in range(n):
        for phrase, intent in INTENTS.items():
            if at(i, phrase) and all(w not in INTENT_MARKED or (INTENT_MARKED[w] in marked.get(w, ())
                                     if len(phrase) == 1 else typed_as(i + k, INTENT_MARKED[w]))
                                     for k, w in enumerate(phrase)):
                q.intent = q.intent or intent
                for k in range(len(phrase)):
                    keep[i + k] = False
                    filler[i + k] = True
        for phrase, direction in SUPERLATIVES.items():
            if at(i, phrase):
                if not q.superlative:
                    q.superlative, q.superlative_words = direction, " ".join(phrase)
                for k in range(len(phrase)):
                    keep[i + k] = False
        for phrase, look in SOFT.items():
            if at(i, phrase) and keep[i] and (len(phrase) > 1 or typed_as(i, SOFT_MARKED.get(phrase[0], phrase[0]))):
                q.soft.append((" ".join(phrase), look))
                for k in range(len(phrase)):
                    keep[i + k] = False
        # 'which sector', 'what province', 'ngành nào', 'tỉnh nào'
        for size in (2, 1):
            noun = " ".join(tokens[i:i + size])
            if len(tokens[i:i + size]) == size and noun in ANSWER_TYPES and (
                    (i and tokens[i - 1] in _ASKING) or (i + size < n and tokens[i + size] == "nao")):
                q.answer_type = q.answer_type or ANSWER_TYPES[noun]
                if ANSWER_TYPES[noun] in ("when", "company") and not q.intent:
                    q.intent = "when" if ANSWER_TYPES[noun] == "when" else "who"
                asked = tokens[i - 1:i + size] if i and tokens[i - 1] in _ASKING else tokens[i:i + size + 1]
                q.answer_words = q.answer_words or " ".join(asked)
                for k in range(size):
                    keep[i + k] = False
                break
    for i, t in enumerate(tokens):
        if not keep[i]:
            continue
        forms = marked.get(t)
        if forms:
            if forms <= FILLER_VI:
                keep[i] = False
                filler[i] = True
        elif t in FILLER_EN or t in FILLER_VI_PLAIN:
            keep[i] = False
            filler[i] = True
            plain[i] = t in FILLER_VI_PLAIN and t not in FILLER_EN
    q.keep = keep
    q.is_filler = filler
    q.filler = [t for t, f in zip(tokens, filler) if f]
    q.plain = plain
    read_wants(q, tokens, "")
    return q
