"""The bundled facts in facts/ load cleanly and hold the key figures.

These tests pin the curated data: if a figure, period or citation of one of
the central facts changes, or a validation error creeps in, they fail.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from vnecon.cli.entry import main
from vnecon.load.loader import load_paths

REPO = Path(__file__).resolve().parent.parent
FACTS_DIR = REPO / "facts"


def _seeds_dir() -> Path | None:
    """The seed documents: ../shared/seeds next to the checkout, or next to the
    main checkout when this is a git worktree (its .git is a file naming it)."""
    roots = [REPO]
    git = REPO / ".git"
    if git.is_file():  # "gitdir: <main>/.git/worktrees/<name>"
        line = git.read_text(encoding="utf-8").strip()
        if line.startswith("gitdir:"):
            roots.append(Path(line[len("gitdir:"):].strip()).parent.parent.parent)
    for root in roots:
        seeds = root.parent / "shared" / "seeds"
        if seeds.is_dir():
            return seeds
    return None


SEEDS_DIR = _seeds_dir()


@pytest.fixture(scope="module")
def result():
    return load_paths([FACTS_DIR])


@pytest.fixture(scope="module")
def by_id(result):
    return {f.id: f for f in result.facts}


def test_no_error_diagnostics(result):
    errors = [str(d) for d in result.diagnostics if d.severity == "error"]
    assert errors == [], "\n".join(errors)


def test_no_warning_diagnostics(result, by_id):
    """No warning is left unexplained: the only ones allowed are seed documents' sources
    whose note says the article was looked for and not found (no URL, no publisher to give)."""

    def explained(d) -> bool:
        f = by_id.get(d.id)
        return (f is not None and f.kind == "source" and "Not found in the stored pages" in (f.get("note") or "")
                and ("no url" in d.message or "publisher" in d.message))

    warnings = [str(d) for d in result.diagnostics if d.severity == "warning" and not explained(d)]
    assert warnings == [], "\n".join(warnings)


def test_minimum_counts(result):
    counts = Counter(f.kind for f in result.facts)
    assert counts["indicator"] >= 100
    assert counts["company"] >= 20
    assert counts["project"] >= 3
    assert counts["partnership"] >= 8
    assert counts["source"] >= 5


def test_every_seed_document_is_cited(result):
    documents = {f.data.get("document") for f in result.facts if f.kind == "source"}
    assert {
        "000_63fa5d1c59a609fb.txt",
        "001_3e12ae496066dd7b.txt",
        "002_8e9e6a8ddc17fc4d.txt",
        "003_df1f600e963f704c.txt",
        "004_5fa73454c6ad3d25.txt",
    } <= documents


def test_every_fact_cites_an_existing_source(result, by_id):
    for f in result.facts:
        if f.kind == "source":
            continue
        assert f.data.get("sources"), f.id
        for s in f.data["sources"]:
            assert s in by_id and by_id[s].kind == "source", (f.id, s)


# id -> (value, unit, period, basis, a source id it must cite, region or None)
KEY_INDICATORS = {
    "vn-pmi-2024-07": (54.7, "points", "2024-07", "level", "thang-press-briefing-2024-08", "Vietnam"),
    "vn-iip-2024-07-mom": (0.7, "%", "2024-07", "mom", "thang-press-briefing-2024-08", "Vietnam"),
    "vn-iip-2024-07-yoy": (11.2, "%", "2024-07", "yoy", "thang-press-briefing-2024-08", "Vietnam"),
    "vn-iip-2024-01-11-yoy": (8.4, "%", "2024-01/2024-11", "yoy", "vna-iip-11m-2024", "Vietnam"),
    "vn-iip-manufacturing-contribution-2024-01-11": (8.5, "pp", "2024-01/2024-11", "contribution", "vna-iip-11m-2024", "Vietnam"),
    "vn-iip-crude-oil-gas-2024-01-11-yoy": (-12.2, "%", "2024-01/2024-11", "yoy", "vna-iip-11m-2024", "Vietnam"),
    "hanoi-grdp-2024-h1-yoy": (6, "%", "2024-H1", "yoy", "vns-hanoi-semiconductor-2024", "Hà Nội"),
    "hanoi-exports-2024-h1": (8_900_000_000, "USD", "2024-H1", "level", "vns-hanoi-semiconductor-2024", "Hà Nội"),
    "hanoi-fdi-2024-h1": (1_165_000_000, "USD", "2024-H1", "level", "vns-hanoi-semiconductor-2024", "Hà Nội"),
    "hanoi-fdi-new-projects-2024-h1": (120, "count", "2024-H1", "level", "vns-hanoi-semiconductor-2024", "Hà Nội"),
    "vn-ict-revenue-2020": (120_000_000_000, "USD", "2020", "level", "vna-made-in-vietnam-2022", "Vietnam"),
    "lang-son-trucks-2025-06-19": (2005, "trucks", "2025-06-19", "level", "teaser-lang-son-trucks-2025", "Lạng Sơn"),
    "vn-cambodia-trade-2025-01-04": (3_000_000_000, "USD", "2025-01/2025-04", "level", "teaser-vn-cambodia-trade-2025", "Vietnam"),
    "vn-cyber-incidents-2024": (659_000, "count", "2024", "level", "teaser-cyber-incidents-2024", "Vietnam"),
    "binh-duong-industrial-parks-2025": (30, "count", "2025", "level", "teaser-binh-duong-hightech-2025", "Bình Dương"),
    "vn-us-trade-2022": (124_000_000_000, "USD", "2022", "level", "vn-us-new-pillars-2023", "Vietnam"),
    "vn-us-trade-2024": (150_000_000_000, "USD", "2024", "level", "moit-dien-greer-2025-03", "Vietnam"),
    "us-firms-at-pm-forum-2025-03": (38, "count", "2025-03-01", "level", "wnc-extra-30m-2025", "Vietnam"),
    # Year-counts are figures too: "275-fold ... over 27 years" (the span is the period), "three decades".
    "vn-us-trade-multiple-1995-2022": (275, "times", "1995/2022", "multiple", "vn-us-new-pillars-2023", "Vietnam"),
    "binh-duong-industrial-hub-decades-2025": (3, "decades", "1995/2025", "level", "teaser-binh-duong-hightech-2025", "Bình Dương"),
    "vn-iip-coal-2024-01-11-yoy": (-5.3, "%", "2024-01/2024-11", "yoy", "vna-iip-11m-2024", "Vietnam"),
    "vn-output-natural-gas-2024-01-11-yoy": (-17.8, "%", "2024-01/2024-11", "yoy", "vna-iip-11m-2024", "Vietnam"),
    "lang-son-import-trucks-2025-06-19": (1371, "trucks", "2025-06-19", "level", "teaser-lang-son-trucks-2025", "Lạng Sơn"),
    "gold-bank-transfer-threshold-vnd-2025": (20_000_000, "VND", "2025", "level", "teaser-gold-bank-transfer-2025", "Vietnam"),
}


@pytest.mark.parametrize("fact_id", sorted(KEY_INDICATORS))
def test_key_indicator(by_id, fact_id):
    value, unit, period, basis, source, region = KEY_INDICATORS[fact_id]
    f = by_id.get(fact_id)
    assert f is not None, f"missing indicator {fact_id}"
    assert f.kind == "indicator"
    assert f.data["value"] == value
    assert f.data["unit"] == unit
    assert f.data["period"] == period
    assert f.data["basis"] == basis
    assert source in f.data["sources"]
    assert f.data.get("region") == region


# id -> expected qualifier ("nearly", "over", "about", ...)
QUALIFIERS = {
    "vn-us-trade-2022": "nearly",
    "vn-us-trade-2024": "nearly",
    "vn-cambodia-trade-2025-01-04": "over",
    "vn-cyber-incidents-2024": "about",
    "binh-duong-industrial-park-area-2025": "over",
    "vn-ict-revenue-2021-h1": "nearly",
}


@pytest.mark.parametrize("fact_id", sorted(QUALIFIERS))
def test_qualifiers(by_id, fact_id):
    assert by_id[fact_id].data.get("qualifier") == QUALIFIERS[fact_id]


def test_range_is_value_and_value_max(by_id):
    f = by_id["vn-electronics-growth-2016-2020"]
    assert (f.data["value"], f.data["value_max"], f.data["period"]) == (17, 18, "2016/2020")


def test_main_indicators_have_vietnamese_names(by_id):
    assert by_id["vn-iip-2024-07-yoy"].data["name_vi"] == "Chỉ số sản xuất công nghiệp"
    assert by_id["vn-pmi-2024-07"].data["name_vi"] == "Chỉ số Nhà quản trị mua hàng"
    assert by_id["hanoi-grdp-2024-h1-yoy"].data["name_vi"] == "Tổng sản phẩm trên địa bàn"
    assert by_id["hanoi-exports-2024-h1"].data["name_vi"] == "Kim ngạch xuất khẩu"
    assert by_id["hanoi-fdi-2024-h1"].data["name_vi"] == "Đầu tư trực tiếp nước ngoài"


def test_neweb_plant(by_id):
    p = by_id["neweb-vietnam-ha-nam-plant"]
    assert p.kind == "project"
    assert p.data["owner"] == "neweb-vietnam"
    assert p.data["location"] == "Hà Nam"
    assert p.data["site"] == "Đồng Văn III Industrial Park"
    assert p.data["area_ha"] == 11.3
    amounts = sorted((i["amount"], i["currency"], i.get("kind")) for i in p.data["investments"])
    assert amounts == [(30_000_000, "USD", "additional"), (60_000_000, "USD", "initial")]
    assert "64.3" in p.data["note"]  # the conflicting first-phase area is named
    assert by_id["neweb-vietnam"].data["parent"] == "wistron-neweb"


def test_key_companies(by_id):
    moit = by_id["moit"]
    assert moit.data["name_vi"] == "Bộ Công Thương"
    people = {p["name"]: p.get("role", "") for p in moit.data["people"]}
    assert "Deputy Minister" in people["Phan Thi Thang"]
    hpa = by_id["hpa"]
    assert {"name": "Nguyễn Trần Quang", "role": "deputy director"} in hpa.data["people"]
    assert hpa.data["parent"] == "hanoi-peoples-committee"
    assert by_id["gso"].data["name_vi"] == "Tổng cục Thống kê"
    assert by_id["thu-do-multimedia"].kind == "company"


# id -> (kind, date, parties that must be present)
KEY_PARTNERSHIPS = {
    "dien-quang-xelex-made-in-vietnam": ("agreement", "2022-07-05", {"dien-quang", "xelex"}),
    "vn-us-comprehensive-strategic-partnership-2023": ("comprehensive-strategic-partnership", "2023-09-10", {"Vietnam", "United States"}),
    "vn-us-diplomatic-relations-1995": ("diplomatic-relations", "1995", {"Vietnam", "United States"}),
    "vn-us-normalisation-1995-07": ("normalisation", "1995-07", {"Vietnam", "United States"}),
    "vn-us-comprehensive-partnership-2013": ("comprehensive-partnership", "2013-07", {"Vietnam", "United States"}),
    "dien-greer-meeting-2025-03-13": ("meeting", "2025-03-13", {"moit", "ustr"}),
    "sigma-ott-mip-recognition-2024": ("recognition", "2024-12-13", {"hanoi-peoples-committee", "thu-do-multimedia"}),
    "nic-google-startup-programmes": ("programme", "2022", {"nic", "google"}),
    "vn-us-innovation-investment-conference-2023": ("conference", "2023-09-11", {"vietnam-government", "us-government"}),
    "pm-chinh-kth-visit-2025-06-13": ("visit", "2025-06-13", {"vietnam-government", "kth"}),
    "biden-state-visit-2023": ("state-visit", "2023-09-10", {"us-government", "vietnam-government"}),
    "vn-us-trade-barriers-pledge-2025-03-13": ("pledge", "2025-03-13", {"moit", "ustr"}),
    "govt-press-conference-2024-08-05": ("press-conference", "2024-08-05", {"vietnam-government", "moit"}),
    "vietnam-goods-week-2025": ("trade-promotion-event", "2025-06-19", {"Vietnam"}),
}


@pytest.mark.parametrize("fact_id", sorted(KEY_PARTNERSHIPS))
def test_key_partnerships(by_id, fact_id):
    kind, date, parties = KEY_PARTNERSHIPS[fact_id]
    f = by_id[fact_id]
    assert f.kind == "partnership"
    assert f.data["kind"] == kind
    assert f.data["date"] == date
    assert parties <= set(f.data["parties"])


def test_party_ids_resolve(result, by_id):
    """Parties written as ids (lowercase, with '-') must name a company."""
    for f in result.facts:
        if f.kind != "partnership":
            continue
        for party in f.data["parties"]:
            if party == party.lower() and " " not in party:
                assert party in by_id and by_id[party].kind == "company", (f.id, party)


def test_contradictions_are_noted(by_id):
    # Conference date: 5 July in the text, 5 June in a caption.
    assert "June" in by_id["vna-made-in-vietnam-2022"].data["note"]
    # US export-market rank: largest (2023 article) vs second-largest (2025 article).
    assert by_id["vn-us-export-market-rank-2022"].data["value"] == 1
    assert by_id["vn-us-export-market-rank-2024"].data["value"] == 2
    assert "conflict" in by_id["vn-us-export-market-rank-2024"].data["note"]


def test_sources_are_dated(result):
    for f in result.facts:
        if f.kind == "source":
            assert f.data.get("date"), f.id


def test_aliases_and_mergers(result):
    flat = {name for group in result.aliases for name in group}
    for name in ("Hanoi", "HCMC", "U.S.", "Viet Nam", "IIP", "PMI", "GRDP", "FDI", "ITC", "GSO", "year-on-year", "m/m",
                 "Made in Vietnam", "Dong Van", "cyber security", "trade balance", "start-ups"):
        assert name in flat, name
    mergers = {(m["from"], m["into"], m["effective"]) for m in result.mergers}
    # The 2025 reorganisation: 63 provinces into 34, each new one named after one of its parts,
    # so 63 - 34 = 29 old provinces were merged into another; every merger cites its source.
    assert len(mergers) == 29
    assert all(m.get("sources") for m in result.mergers)
    assert {m[0] for m in mergers}.isdisjoint({m[1] for m in mergers})
    assert mergers >= {
        ("Hà Nam", "Ninh Bình", "2025-07-01"),
        ("Nam Định", "Ninh Bình", "2025-07-01"),
        ("Bình Dương", "Thành phố Hồ Chí Minh", "2025-07-01"),
        ("Bà Rịa-Vũng Tàu", "Thành phố Hồ Chí Minh", "2025-07-01"),
        ("Hải Dương", "Hải Phòng", "2025-07-01"),
    }


# ---- own words ----------------------------------------------------------

def _norm_words(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text).lower().replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"[^\w']+", " ", text).replace("'", "").split()


def _prose(value, key=""):
    """Every note, description and scope string, however deeply nested."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _prose(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _prose(v, key)
    elif isinstance(value, str) and key in ("note", "description", "scope"):
        yield value


def _strings(value, key=""):
    """(field name, text) for every string in a fact, however deeply nested."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, key)
    elif isinstance(value, str):
        yield key, value


def _seed_grams(n: int) -> set[tuple[str, ...]]:
    grams = set()
    for path in sorted(SEEDS_DIR.glob("*.txt")):
        w = _norm_words(path.read_text(encoding="utf-8"))
        grams.update(tuple(w[i:i + n]) for i in range(len(w) - n + 1))
    return grams


def _copied_runs(facts, fields, n: int) -> list[tuple[str, str, str]]:
    grams = _seed_grams(n)
    copied = []
    for f in facts:
        for key, text in fields(f):
            w = _norm_words(text)
            runs = [" ".join(w[i:i + n]) for i in range(len(w) - n + 1) if tuple(w[i:i + n]) in grams]
            if runs:
                copied.append((f.id, key, runs[0]))
    return copied


@pytest.mark.skipif(SEEDS_DIR is None, reason="seed documents not available (../shared/seeds)")
def test_prose_is_in_our_own_words(result):
    """No run of 7 or more words in a note/description/scope is copied from a seed document."""
    copied = _copied_runs(result.facts, lambda f: (("", t) for t in _prose(f.data)), 7)
    assert copied == [], copied


# (fact id, field) holding a proper name printed in a seed document, which carries over as printed
PROPER_NAMES = {
    ("hp-inc", "role"),  # Antoine Colin's job title
    ("vn-us-innovation-investment-conference-2023", "name"),  # the conference's name
    ("vn-us-conference-companies-2023-09-11", "name"),  # names the same conference
}


@pytest.mark.skipif(SEEDS_DIR is None, reason="seed documents not available (../shared/seeds)")
def test_no_field_copies_a_seed_document(result):
    """No field of a bundled fact shares a run of 8 or more words with a seed document.

    Capacities, names and the like are in our own words too. What may carry over:
    a source's `title` (the headline as printed), `url` and `document`, and the
    proper names listed in PROPER_NAMES (an event's or a post's own name)."""
    def fields(f):
        for k, t in _strings(f.data):
            if k in ("url", "document") or (f.kind == "source" and k == "title"):
                continue
            if (f.id, k) in PROPER_NAMES:
                continue
            yield k, t
    copied = _copied_runs(result.facts, fields, 8)
    assert copied == [], copied


# ---- trust ----------------------------------------------------------------

READING_WORDS = ("our reading", "read as", "by our reading")


def test_readings_are_not_reported(result):
    """A note that calls the period, date or figure our reading rules out `reported`:
    what the document does not print is at least `inferred`."""
    flagged = [f.id for f in result.facts
               if f.kind != "source" and f.data.get("trust", "reported") == "reported"
               and any(w in f.data.get("note", "").lower() for w in READING_WORDS)]
    assert flagged == [], flagged


# ---- searchability --------------------------------------------------------

def _search_ids(capsys, *words: str) -> list[str]:
    try:
        # The bundled layer itself, so the test's fresh cache adopts the session's prebuilt index.
        main(["search", *words, "--format", "json"])
    except SystemExit as e:
        assert not e.code, e.code
    return [r["id"] for r in json.loads(capsys.readouterr().out)]


# query -> an id that must be among the first five results (it depends on tags,
# aliases or mergers in facts/, which is why it is pinned here)
SEARCHES = {
    "ha noi exports": "hanoi-exports-2024-h1",
    "pmi july 2024": "vn-pmi-2024-07",
    "neweb": "neweb-vietnam",
    "starlink": "starlink-vietnam-pilot",
    "dong van": "neweb-vietnam-ha-nam-plant",
    "lang son trucks": "lang-son-trucks-2025-06-19",
    "cambodia trade": "vn-cambodia-trade-2025-01-04",
    "gold transactions": "gold-bank-transfer-threshold-vnd-2025",
    "cyber security": "vn-cyber-incidents-2024",
    "an ninh mang": "nca",
    "dien quang xelex": "dien-quang-xelex-made-in-vietnam",
    "made in vietnam": "made-in-vietnam-conference-2022",
    "sweden nuclear": "pm-chinh-kth-visit-2025-06-13",
    "state visit": "biden-state-visit-2023",
    "grdp hanoi": "hanoi-grdp-2024-h1-yoy",
    "ninh binh --kind project": "neweb-vietnam-ha-nam-plant",  # a merged province's old part (Hà Nam)
    "hai phong passenger car --kind project": "ford-hai-duong-plant",  # a merged province's old part
    "market economy status": "dien-greer-meeting-2025-03-13",
}


@pytest.mark.parametrize("query", sorted(SEARCHES))
def test_searches_find_the_fact(capsys, query):
    ids = _search_ids(capsys, *query.split())
    assert SEARCHES[query] in ids[:5], ids[:5]


def test_dong_van_is_one_phrase(capsys):
    """'dong van' must not match 'dong' alone (as in 'Xe có động cơ', motor vehicles)."""
    ids = _search_ids(capsys, "dong", "van")
    assert "vn-iip-motor-vehicles-2024-01-11-yoy" not in ids


# Issue 25's questions, typed whole: the answer comes first on the bundled facts, and no
# question word draws a "no fact mentions" notice.
QUESTIONS_FIRST = {
    "how much more will wistron neweb invest in vietnam": "neweb-vietnam-additional-investment-2025",
    "vn pmi highest since november 2018": "vn-pmi-2024-07",
    "which sector had the highest industrial production growth in the first eleven months of 2024":
        "vn-iip-rubber-plastic-2024-01-11-yoy",
    "when did vietnam and the us upgrade relations to a comprehensive strategic partnership":
        "vn-us-comprehensive-strategic-partnership-2023",
}


@pytest.mark.parametrize("question", sorted(QUESTIONS_FIRST))
def test_questions_put_the_answer_first(capsys, question):
    try:
        main(["search", *question.split(), "--format", "json", "--limit", "3"])
    except SystemExit as e:
        assert not e.code, e.code
    out, err = capsys.readouterr()
    assert [r["id"] for r in json.loads(out)][:1] == [QUESTIONS_FIRST[question]]
    assert "no fact mentions" not in err and "showing results for" not in err, err
