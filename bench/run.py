#!/usr/bin/env python3
"""Benchmark vnecon the way people run it: whole processes, timed from outside.

Run from the repository root after ``pip install -e '.[bench]'``::

    python bench/run.py                       # bundled + 1k, 10k, 100k synthetic facts, 7 runs
    python bench/run.py --quick               # bundled + 1k, 3 runs: CI's proof that the harness works
    python bench/run.py --sizes 1000,10000 --runs 11 --json results.json
    python bench/run.py --check-trees         # also run `vnecon check` on every generated tree (slow at 100k)
    python bench/run.py --sizes '' --one-file 1000000   # memory: a million facts in one file (~6 min)

What it measures
----------------
1. Synthetic fact trees (seeded, so every run writes the same files) of each
   size, in the schema of docs/schema.md, spread over about 100 files:
   ~90% indicators, plus sources, companies, projects, partnerships and an
   aliases.toml.  The bundled facts are measured too, as the size "bundled".
2. Warm runs, index already cached (the warm-up run builds it), of
   ``vnecon search pmi`` (csv, and table with FORCE_COLOR=0 COLUMNS=120),
   ``vnecon indicators --region "Hà Nội" --since 2020`` and ``vnecon show ID``,
   against baselines over the same facts: ``python -c pass``, a minimal
   two-command Typer app, ``sqlite-utils search`` over the facts exported to
   an SQLite FTS table, ``jq`` and a plain-Python scan over the facts exported
   as one JSON array, and ``grep -ri pmi``.
3. Cold runs (a fresh, empty cache directory every run) against the time
   tomllib alone needs to parse the same files.
4. With --one-file N: the same kind of tree, all N facts in one file, and
   the first run's (index build), a warm search's and `vnecon check`'s time
   and peak RSS, one timed run each: the memory a huge file costs.

Every command is a whole process (start-up included).  Commands are run
round-robin (run 1 of every command, then run 2 of every command, ...) after
a warm-up round, so machine noise hits every command alike.  Reported: median,
min-max and interquartile range in ms, ratios to the baselines, and the peak
RSS of the child process (ru_maxrss from wait4).  Then the project's targets
with PASS/MISS.  A missed target is reported, not a failure: the script exits
non-zero only when a command fails.

All caches, config and user data live in a private temporary directory
(XDG_CACHE_HOME, XDG_CONFIG_HOME and XDG_DATA_HOME point there), so nothing
of the user's is read or written.  "Cold" means no vnecon index cache; the
operating system's file cache is warm (the files were just written).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: vnecon depends on tomli there
    import tomli as tomllib

BIN = Path(sys.executable).parent
VNECON = str(BIN / "vnecon")
SQLITE_UTILS = str(BIN / "sqlite-utils")
PY = sys.executable
SEED = 20240805

# ---------------------------------------------------------------------------
# Vocabulary for the synthetic facts
# ---------------------------------------------------------------------------

REGIONS = [
    "Vietnam", "Hà Nội", "Thành phố Hồ Chí Minh", "Đà Nẵng", "Hải Phòng", "Cần Thơ", "Bình Dương",
    "Đồng Nai", "Bắc Ninh", "Bắc Giang", "Thái Nguyên", "Vĩnh Phúc", "Hải Dương", "Hưng Yên",
    "Quảng Ninh", "Bà Rịa-Vũng Tàu", "Long An", "Nghệ An", "Thanh Hóa", "Hà Nam", "Nam Định",
    "Ninh Bình", "Quảng Nam", "Quảng Ngãi", "Khánh Hòa", "Lâm Đồng", "Đắk Lắk", "Gia Lai",
    "Bình Định", "Thừa Thiên Huế", "Tây Ninh", "Bình Phước", "An Giang", "Kiên Giang", "Đồng Tháp",
    "Lạng Sơn", "Lào Cai", "Phú Thọ", "Thái Bình", "Hà Tĩnh", "Quảng Trị",
]
PROVINCES = REGIONS[1:]


@dataclass(frozen=True)
class Spec:
    """One indicator: its names, level unit and range, and the bases it is reported on."""

    name: str
    name_vi: str
    slug: str
    sector: str
    tags: tuple[str, ...]
    unit: str
    lo: float
    hi: float
    bases: tuple[str, ...]
    national: bool = False


SPECS = [
    Spec("Index of Industrial Production", "Chỉ số sản xuất công nghiệp", "iip", "industry", ("IIP",), "points", 85, 135, ("level", "yoy", "mom")),
    Spec("Purchasing Managers' Index (manufacturing)", "Chỉ số Nhà quản trị mua hàng", "pmi", "manufacturing", ("PMI",), "points", 44, 57, ("level",)),
    Spec("PMI new orders", "Chỉ số đơn đặt hàng mới (PMI)", "pmi-new-orders", "manufacturing", ("PMI",), "points", 40, 60, ("level",)),
    Spec("PMI output", "Chỉ số sản lượng (PMI)", "pmi-output", "manufacturing", ("PMI",), "points", 40, 60, ("level",)),
    Spec("Export turnover", "Kim ngạch xuất khẩu", "exports", "trade", ("exports",), "USD", 5e7, 4.5e10, ("level", "yoy", "mom")),
    Spec("Import turnover", "Kim ngạch nhập khẩu", "imports", "trade", ("imports",), "USD", 5e7, 4e10, ("level", "yoy", "mom")),
    Spec("Trade balance", "Cán cân thương mại", "trade-balance", "trade", ("trade",), "USD", -3e9, 6e9, ("level",)),
    Spec("Foreign direct investment (registered)", "Vốn đầu tư trực tiếp nước ngoài đăng ký", "fdi-registered", "investment", ("FDI",), "USD", 1e7, 4e10, ("level", "yoy")),
    Spec("Foreign direct investment (disbursed)", "Vốn FDI thực hiện", "fdi-disbursed", "investment", ("FDI",), "USD", 1e7, 2.5e10, ("level", "yoy")),
    Spec("GRDP", "Tổng sản phẩm trên địa bàn", "grdp", "economy", ("GRDP",), "VND", 1e13, 1.6e15, ("level", "yoy", "share")),
    Spec("Gross domestic product", "Tổng sản phẩm trong nước", "gdp", "economy", ("GDP",), "VND", 5e14, 1.2e16, ("level", "yoy"), national=True),
    Spec("Consumer price index", "Chỉ số giá tiêu dùng", "cpi", "prices", ("CPI", "inflation"), "points", 95, 130, ("level", "yoy", "mom")),
    Spec("Retail sales of goods and services", "Tổng mức bán lẻ hàng hóa và doanh thu dịch vụ tiêu dùng", "retail-sales", "retail", ("retail",), "VND", 1e12, 6.5e15, ("level", "yoy", "mom")),
    Spec("State budget revenue", "Thu ngân sách nhà nước", "budget-revenue", "public finance", ("budget",), "VND", 1e12, 2e15, ("level", "yoy")),
    Spec("Public investment disbursement", "Giải ngân vốn đầu tư công", "public-investment", "public investment", ("public investment",), "VND", 1e11, 7e14, ("level", "yoy", "share")),
    Spec("Newly established enterprises", "Số doanh nghiệp thành lập mới", "new-enterprises", "business", ("enterprises",), "count", 50, 160_000, ("level", "yoy")),
    Spec("International visitor arrivals", "Khách quốc tế đến", "visitor-arrivals", "tourism", ("tourism",), "count", 1000, 18e6, ("level", "yoy", "mom")),
    Spec("Industrial park occupancy rate", "Tỷ lệ lấp đầy khu công nghiệp", "ip-occupancy", "industrial parks", ("industrial parks",), "%", 30, 100, ("level",)),
    Spec("Electronics exports", "Xuất khẩu điện tử, máy tính và linh kiện", "electronics-exports", "electronics", ("exports", "electronics"), "USD", 1e7, 7e10, ("level", "yoy")),
    Spec("Rice exports", "Xuất khẩu gạo", "rice-exports", "agriculture", ("exports", "rice"), "tonnes", 1000, 8e6, ("level", "yoy")),
    Spec("Unemployment rate", "Tỷ lệ thất nghiệp", "unemployment", "labour", ("labour",), "%", 1, 5, ("level",)),
]
MAX_BASES = max(len(s.bases) for s in SPECS)


def _periods(first_year: int = 2015) -> list[str]:
    years = range(first_year, 2026)
    out = [str(y) for y in years]
    out += [f"{y}-{m:02d}" for y in years for m in range(1, 13)]
    out += [f"{y}-Q{q}" for y in years for q in range(1, 5)]
    out += [f"{y}-H{h}" for y in years for h in (1, 2)]
    out += [f"{y}-01/{y}-{m:02d}" for y in years for m in range(2, 12)]  # cumulative from January
    return out


PERIODS = _periods()

PUBLISHERS = [
    ("General Statistics Office", "gso.gov.vn"), ("Viet Nam News", "vietnamnews.vn"),
    ("VnExpress International", "e.vnexpress.net"), ("Vietnam Investment Review", "vir.com.vn"),
    ("Vietnam News Agency", "en.vietnamplus.vn"), ("Tuổi Trẻ", "tuoitre.vn"),
    ("Ministry of Industry and Trade", "moit.gov.vn"), ("S&P Global", "pmi.spglobal.com"),
    ("Hanoi Times", "hanoitimes.vn"), ("Saigon Giải Phóng", "sggp.org.vn"), ("unknown", ""),
]
TOPICS = [
    "industrial production rises", "exports hit a record", "FDI inflows surge", "PMI returns to growth",
    "GRDP growth tops the region", "retail sales recover", "public investment disbursement lags",
    "new enterprises jump", "tourist arrivals climb", "industrial parks fill up", "manufacturing orders slow",
    "trade surplus widens", "budget revenue beats plan", "consumer prices edge up",
]
BRANDS = [
    ("Samsung", "South Korea", "electronics"), ("LG", "South Korea", "electronics"),
    ("Foxconn", "Taiwan", "electronics assembly"), ("Luxshare", "China", "electronics"),
    ("Goertek", "China", "acoustic components"), ("Intel", "United States", "semiconductors"),
    ("Amkor", "United States", "semiconductor packaging"), ("Hana Micron", "South Korea", "semiconductors"),
    ("Viettel", "Vietnam", "telecommunications"), ("FPT", "Vietnam", "software"),
    ("VinFast", "Vietnam", "automobiles"), ("Hòa Phát", "Vietnam", "steel"),
    ("Vinamilk", "Vietnam", "dairy"), ("Masan", "Vietnam", "consumer goods"),
    ("Canon", "Japan", "office equipment"), ("Pegatron", "Taiwan", "electronics assembly"),
    ("Wistron", "Taiwan", "electronics"), ("Compal", "Taiwan", "laptops"), ("Jabil", "United States", "electronics"),
    ("Nidec", "Japan", "motors"), ("Kyocera", "Japan", "electronics"), ("Toyota", "Japan", "automobiles"),
    ("Honda", "Japan", "motorcycles"), ("Bosch", "Germany", "engineering"), ("Siemens", "Germany", "engineering"),
    ("LEGO", "Denmark", "toys"), ("Pandora", "Denmark", "jewellery"), ("Hyosung", "South Korea", "textiles"),
    ("Thaco", "Vietnam", "automobiles"), ("Điện Quang", "Vietnam", "lighting"),
]
SUFFIXES = ["Vietnam", "Electronics Vietnam", "Vina", "Technology Vietnam", "Manufacturing Vietnam",
            "Industrial", "Precision Vietnam", "Display Vietnam", "Components", "Holdings"]
INDUSTRIAL_PARKS = ["VSIP", "Yên Phong", "Quế Võ", "Đồng Văn III", "Deep C", "Nomura", "Tân Tạo", "Amata",
                    "Long Hậu", "Phố Nối A", "Thăng Long", "Quang Châu", "Điềm Thụy", "Becamex"]
FACILITIES = ["factory", "plant", "R&D centre", "logistics centre", "assembly plant", "expansion"]
COUNTRIES = ["Japan", "South Korea", "United States", "Singapore", "Taiwan", "China", "Germany", "Australia", "India"]
PARTNERSHIP_KINDS = ["agreement", "mou", "meeting", "conference", "programme", "recognition"]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ"]
GIVEN = ["Văn An", "Thị Bình", "Minh Châu", "Quốc Dũng", "Thu Hà", "Đức Long", "Thanh Mai", "Hữu Phúc"]
ROLES = ["general director", "chairman", "deputy director", "director"]
NOTES = [
    "Cumulative from January, as given in the report.",
    "Preliminary estimate from the provincial statistics office.",
    "Reported at the provincial People's Committee's monthly meeting.",
    "Figure rounded in the source; we keep the rounded value.",
]

ALIASES_TOML = """# Search aliases for the synthetic facts.
[[alias]]
names = ["PMI", "Purchasing Managers' Index", "purchasing managers index"]

[[alias]]
names = ["IIP", "Index of Industrial Production", "industrial production index"]

[[alias]]
names = ["FDI", "foreign direct investment"]

[[alias]]
names = ["CPI", "Consumer price index"]

[[alias]]
names = ["Hà Nội", "Hanoi", "Ha Noi"]

[[alias]]
names = ["Thành phố Hồ Chí Minh", "Ho Chi Minh City", "HCM City", "HCMC", "Saigon"]

[[alias]]
names = ["Đà Nẵng", "Da Nang", "Danang"]

[[alias]]
names = ["Bình Dương", "Binh Duong"]

[[merger]]
from = "Hà Nam"
into = "Ninh Bình"
effective = "2025-07-01"
"""

# ---------------------------------------------------------------------------
# Generating fact trees
# ---------------------------------------------------------------------------


def slug(text: str) -> str:
    """'Thành phố Hồ Chí Minh' -> 'thanh-pho-ho-chi-minh' (a valid fact id)."""
    text = text.replace("đ", "d").replace("Đ", "D").replace("&", " and ")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return "-".join("".join(c if c.isalnum() else " " for c in ascii_text).split())


def toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return f"{v:_}" if abs(v) >= 10_000 else str(v)
    if isinstance(v, float):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)  # a JSON string is a valid TOML basic string
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(x)}" for k, x in v.items()) + " }"
    return "[" + ", ".join(toml_value(x) for x in v) + "]"


def toml_table(kind: str, fact: dict) -> str:
    lines = [f"[[{kind}]]"] + [f"{k} = {toml_value(v)}" for k, v in fact.items() if v is not None]
    return "\n".join(lines) + "\n"


class IdPool:
    """Unique ids across the whole tree: a clash gets -2, -3, ..."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def take(self, base: str) -> str:
        fid, n = base, 1
        while fid in self.used:
            n += 1
            fid = f"{base}-{n}"
        self.used.add(fid)
        return fid


def make_sources(rng: random.Random, n: int, ids: IdPool) -> list[dict]:
    out = []
    for i in range(n):
        publisher, domain = rng.choice(PUBLISHERS)
        day = f"{rng.randint(2015, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        title = f"{rng.choice(PROVINCES)}: {rng.choice(TOPICS)}"
        fid = ids.take(f"{slug(publisher)}-{day}-{i:05d}")
        out.append({
            "id": fid, "publisher": publisher, "title": title, "date": day,
            "url": f"https://{domain}/{fid}" if domain else None,
            "note": "Date taken from the article's dateline." if rng.random() < 0.1 else None,
        })
    return out


def make_companies(rng: random.Random, n: int, ids: IdPool, sources: list[str]) -> list[dict]:
    out = []
    for i in range(n):
        province = rng.choice(PROVINCES)
        if rng.random() < 0.75:
            brand, country, sector = rng.choice(BRANDS)
            name, ctype = f"{brand} {rng.choice(SUFFIXES)}", "company"
        else:
            name, ctype = rng.choice([
                (f"Department of Industry and Trade of {province}", "agency"),
                (f"{province} Provincial People's Committee", "committee"),
                (f"Management Board of {province} Industrial Parks", "agency"),
            ])
            country, sector = "Vietnam", "public administration"
        people = [{"name": f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}", "role": rng.choice(ROLES)}] if rng.random() < 0.3 else None
        out.append({
            "id": ids.take(slug(name)), "name": name, "type": ctype, "country": country, "location": province,
            "sector": sector, "founded": str(rng.randint(1990, 2023)), "people": people,
            "description": f"{name}: {sector} in {province}.", "sources": [rng.choice(sources)],
        })
    return out


def make_projects(rng: random.Random, n: int, ids: IdPool, sources: list[str], companies: list[dict]) -> list[dict]:
    owners = [c for c in companies if c["type"] == "company"] or companies
    out = []
    for _ in range(n):
        owner = rng.choice(owners)
        province = rng.choice(PROVINCES)
        name = f"{owner['name']} {province} {rng.choice(FACILITIES)}"
        year = rng.randint(2015, 2025)
        investments = [{"amount": rng.randint(1, 500) * 1_000_000, "currency": "USD", "date": str(year + k),
                        "kind": "initial" if k == 0 else "additional"} for k in range(rng.randint(1, 3))]
        out.append({
            "id": ids.take(slug(name)), "name": name, "owner": owner["id"], "location": province,
            "site": f"{rng.choice(INDUSTRIAL_PARKS)} Industrial Park", "investments": investments,
            "area_ha": round(rng.uniform(2, 120), 1), "status": rng.choice(["planned", "licensed", "operating", "expanding"]),
            "started": f"{year}-{rng.randint(1, 12):02d}", "sector": owner["sector"], "sources": [rng.choice(sources)],
        })
    return out


def make_partnerships(rng: random.Random, n: int, ids: IdPool, sources: list[str], companies: list[dict]) -> list[dict]:
    out = []
    for _ in range(n):
        if rng.random() < 0.6 and len(companies) > 1:
            a, b = rng.sample(companies, 2)
            parties, label = [a["id"], b["id"]], f"{a['name']} - {b['name']}"
        else:
            a, b = "Vietnam", rng.choice(COUNTRIES)
            parties, label = [a, b], f"{a} - {b}"
        kind = rng.choice(PARTNERSHIP_KINDS)
        day = f"{rng.randint(2015, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        out.append({
            "id": ids.take(slug(f"{label} {kind} {day}")), "name": f"{label} {kind}", "parties": parties,
            "kind": kind, "date": day, "location": rng.choice(PROVINCES),
            "scope": "Cooperation on investment, supply chains and training.", "sources": [rng.choice(sources)],
        })
    return out


def indicator_keys(rng: random.Random, n: int) -> list[tuple[Spec, str, str, str]]:
    """n distinct (spec, region, period, basis), so no two facts conflict.

    Periods run from 2015 to 2025; only a tree too big for that (over about
    200,000 facts) reaches further back, so smaller trees keep their bytes."""
    first = 2015
    while first > 1000:
        out = _draw_keys(random.Random(rng.random()) if first < 2015 else rng, n, _periods(first))
        if out is not None:
            return out
        first -= 20
    raise ValueError(f"cannot draw {n} distinct indicators")


def _draw_keys(rng: random.Random, n: int, periods: list[str]) -> list[tuple[Spec, str, str, str]] | None:
    space = len(SPECS) * len(REGIONS) * len(periods) * MAX_BASES
    out = []
    for x in rng.sample(range(space), min(space, 4 * n + 100)):
        x, b = divmod(x, MAX_BASES)
        x, p = divmod(x, len(periods))
        s, r = divmod(x, len(REGIONS))
        spec, region, period = SPECS[s], REGIONS[r], periods[p]
        if b >= len(spec.bases) or (spec.national and r != 0):
            continue
        basis = spec.bases[b]
        if basis == "mom" and not (len(period) == 7 and period[5:].isdigit()):  # only single months: 2024-07
            continue
        out.append((spec, region, period, basis))
        if len(out) == n:
            return out
    return None


def indicator_value(rng: random.Random, spec: Spec, basis: str) -> tuple[float | int, str]:
    if basis == "yoy":
        return round(rng.uniform(-12, 25), 1), "%"
    if basis == "mom":
        return round(rng.uniform(-6, 6), 1), "%"
    if basis == "share":
        return round(rng.uniform(0.5, 60), 1), "%"
    v = rng.uniform(spec.lo, spec.hi)
    if spec.unit in ("USD", "VND", "count", "tonnes"):
        return int(round(v, -3 if abs(v) > 1e6 else 0)), spec.unit
    return round(v, 1), spec.unit


def make_indicators(rng: random.Random, n: int, ids: IdPool, sources: list[str]) -> list[dict]:
    out = []
    for spec, region, period, basis in sorted(indicator_keys(rng, n), key=lambda k: (REGIONS.index(k[1]), k[0].slug, k[2], k[3])):
        value, unit = indicator_value(rng, spec, basis)
        out.append({
            "id": ids.take(f"{slug(region)}-{spec.slug}-{period.lower().replace('/', '-to-')}-{basis}"),
            "name": spec.name, "name_vi": spec.name_vi, "region": region, "period": period,
            "value": value, "value_max": round(value + 1, 1) if basis == "yoy" and rng.random() < 0.03 else None,
            "unit": unit, "basis": basis,
            "qualifier": rng.choice(["about", "over", "estimate"]) if rng.random() < 0.1 else None,
            "sector": spec.sector, "sources": rng.sample(sources, 2 if rng.random() < 0.1 else 1),
            "tags": list(spec.tags), "note": NOTES[0] if "/" in period else rng.choice(NOTES[1:]) if rng.random() < 0.1 else None,
        })
    return out


def write_kind(root: Path, folder: str, kind: str, facts: list[dict], n_files: int, name_of: Callable[[int, dict], str]) -> int:
    """Split facts (in order) into n_files files under root/folder; return the file count."""
    if not facts:
        return 0
    (root / folder).mkdir(parents=True, exist_ok=True)
    n_files = max(1, min(n_files, len(facts)))
    per = -(-len(facts) // n_files)
    count = 0
    for i in range(0, len(facts), per):
        chunk = facts[i:i + per]
        header = f"# Synthetic {kind} facts for the vnecon benchmark (generated; do not edit).\n\n"
        text = header + "\n".join(toml_table(kind, f) for f in chunk)
        (root / folder / name_of(count, chunk[0])).write_text(text, encoding="utf-8")
        count += 1
    return count


@dataclass
class Tree:
    label: str
    path: Path
    facts: int
    files: int
    show_id: str


def generate_tree(root: Path, n: int, seed: int = SEED) -> Tree:
    """Write n facts (about 90% indicators) over about 100 files; same seed, same bytes."""
    rng = random.Random(f"{seed}-{n}")
    ids = IdPool()
    n_src, n_co = max(5, n * 5 // 100), max(4, n * 2 // 100)
    n_proj, n_part = max(3, n * 15 // 1000), max(3, n * 15 // 1000)
    sources = make_sources(rng, n_src, ids)
    source_ids = [s["id"] for s in sources]
    companies = make_companies(rng, n_co, ids, source_ids)
    projects = make_projects(rng, n_proj, ids, source_ids, companies)
    partnerships = make_partnerships(rng, n_part, ids, source_ids, companies)
    indicators = make_indicators(rng, n - n_src - n_co - n_proj - n_part, ids, source_ids)
    root.mkdir(parents=True, exist_ok=True)
    files = write_kind(root, "indicators", "indicator", indicators, 80, lambda i, f: f"{i:02d}-{slug(f['region'])}.toml")
    files += write_kind(root, "sources", "source", sources, 10, lambda i, f: f"sources-{i:02d}.toml")
    files += write_kind(root, "companies", "company", companies, 4, lambda i, f: f"companies-{i:02d}.toml")
    files += write_kind(root, "projects", "project", projects, 3, lambda i, f: f"projects-{i:02d}.toml")
    files += write_kind(root, "partnerships", "partnership", partnerships, 3, lambda i, f: f"partnerships-{i:02d}.toml")
    (root / "aliases.toml").write_text(ALIASES_TOML, encoding="utf-8")
    hanoi_pmi = [f["id"] for f in indicators if f["region"] == "Hà Nội" and "PMI" in f["tags"]]
    total = len(sources) + len(companies) + len(projects) + len(partnerships) + len(indicators)
    return Tree(str(n), root, total, files + 1, (hanoi_pmi or [indicators[0]["id"]])[0])


def generate_one_file(root: Path, n: int, seed: int = SEED) -> Tree:
    """The tree of generate_tree, all in root/all.toml (aliases first, then every kind)."""
    tree = generate_tree(root / "parts", n, seed)
    with open(root / "all.toml", "w", encoding="utf-8") as out:
        for f in sorted((root / "parts").rglob("*.toml"), key=lambda p: (p.name != "aliases.toml", str(p))):
            out.write(f.read_text(encoding="utf-8") + "\n")
    shutil.rmtree(root / "parts")
    return Tree(f"{n} in one file", root / "all.toml", tree.facts, 1, tree.show_id)


# ---------------------------------------------------------------------------
# Exporting the same facts for the baselines (JSON array, SQLite + FTS)
# ---------------------------------------------------------------------------


def read_facts(root: Path) -> list[dict]:
    """Every fact under root as a flat dict with its kind (aliases left out)."""
    out = []
    for path in sorted(root.rglob("*.toml")):
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
        for kind, tables in doc.items():
            if kind in ("alias", "merger") or not isinstance(tables, list):
                continue
            out.extend({"kind": kind, **t} for t in tables)
    return out


def export_json(facts: list[dict], path: Path) -> None:
    path.write_text(json.dumps(facts, ensure_ascii=False, default=str), encoding="utf-8")


def export_sqlite(facts: list[dict], path: Path) -> None:
    import sqlite_utils

    def row(f: dict) -> dict:
        return {
            "id": f["id"], "kind": f["kind"], "name": f.get("name") or f.get("title"), "name_vi": f.get("name_vi"),
            "region": f.get("region") or f.get("location") or f.get("country"),
            "period": str(f.get("period") or f.get("date") or f.get("started") or "") or None,
            "value": f.get("value"), "unit": f.get("unit"), "basis": f.get("basis"), "sector": f.get("sector"),
            "tags": " ".join(f.get("tags", [])) or None,
            "note": f.get("note") or f.get("description") or f.get("scope"),
            "sources": " ".join(f.get("sources", [])) or None,
        }

    if path.exists():
        path.unlink()
    db = sqlite_utils.Database(path)
    db["facts"].insert_all((row(f) for f in facts), pk="id", replace=True, batch_size=5000)
    db["facts"].enable_fts(["name", "name_vi", "region", "sector", "tags", "note"])
    db.close()


# ---------------------------------------------------------------------------
# Running and timing processes
# ---------------------------------------------------------------------------


@dataclass
class Sample:
    seconds: float
    rss_bytes: int
    code: int
    out: bytes
    err: bytes
    cpu_seconds: float = 0.0  # user + system, known only from peak_rss()


def run_once(argv: list[str], env: dict[str, str], cwd: Path) -> Sample:
    """Run one whole process, stdout to a pipe; its wall time and exit code."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err, env=env, cwd=cwd)
        out = proc.stdout.read()
        _, status, _ = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - t0
        proc.stdout.close()
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, so Popen must not wait again
        err.seek(0)
        err_text = err.read()
    return Sample(elapsed, 0, proc.returncode, out, err_text)


# Peak RSS.  wait4's ru_maxrss for a child of this process is useless: at exec
# Linux records the peak of the memory the child had before, which after fork
# or vfork is this (large) process's.  So a small process starts the command
# and reports its peak: GNU time if installed (floor ~2 MB), else this
# launcher under `python -I -S` (floor ~7 MB, shown in the table header).
GNU_TIME = "/usr/bin/time" if os.access("/usr/bin/time", os.X_OK) else None
LAUNCHER = ("import os,sys\n"
            "pid = os.fork()\n"
            "if pid == 0:\n"
            "    try:\n        os.execvp(sys.argv[2], sys.argv[2:])\n    finally:\n        os._exit(127)\n"
            "_, status, ru = os.wait4(pid, 0)\n"
            "open(sys.argv[1], 'w').write(f'{ru.ru_maxrss} {ru.ru_utime} {ru.ru_stime}')\n"
            "os._exit(os.waitstatus_to_exitcode(status) & 255)\n")


def peak_rss(argv: list[str], env: dict[str, str], cwd: Path) -> Sample:
    """Run once under a small launcher: the command's peak RSS and CPU time (its children's included)."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as report:
        if GNU_TIME:
            wrapped = [GNU_TIME, "-f", "%M %U %S", "-o", report.name, "--", *argv]
        else:
            wrapped = [PY, "-I", "-S", "-c", LAUNCHER, report.name, *argv]
        s = run_once(wrapped, env, cwd)
        lines = report.read().strip().splitlines()  # GNU time may put "Command exited with ..." first
    try:
        kb, user, system = lines[-1].split()
        s.rss_bytes = int(kb) * (1 if sys.platform == "darwin" and not GNU_TIME else 1024)
        s.cpu_seconds = float(user) + float(system)
    except (IndexError, ValueError):
        pass
    return s


@dataclass
class Bench:
    """One command to time; env_for(run) may give each run its own environment."""

    size: str
    label: str
    argv: list[str]
    env_for: Callable[[int], dict[str, str]]
    ok_codes: tuple[int, ...] = (0,)
    needs_output: bool = True
    role: str = "baseline"  # "vnecon", "baseline", "cold" or "export"
    times: list[float] = field(default_factory=list)
    rss: list[int] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    failed: str = ""

    @property
    def key(self) -> str:
        return f"{self.size}: {self.label}"


def run_bench(b: Bench, run: int, cwd: Path, record: bool, memory: bool = False) -> None:
    """One run: timed (recorded or warm-up), or under the RSS launcher when memory is true."""
    s = (peak_rss if memory else run_once)(b.argv, b.env_for(run), cwd)
    problem = ""
    if s.code not in b.ok_codes:
        problem = f"exit code {s.code}"
    elif b.needs_output and not s.out.strip():
        problem = "no output"
    if problem:
        b.failed = f"{problem}; stderr: {s.err.decode('utf-8', 'replace').strip()[-800:]}"
        print(f"FAILED {b.key}: {' '.join(b.argv)}\n  {b.failed}", file=sys.stderr)
        return
    if memory:
        b.rss.append(s.rss_bytes)
        b.cpu.append(s.cpu_seconds)
    elif record:
        b.times.append(s.seconds)


def round_robin(benches: list[Bench], runs: int, warmup: int, cwd: Path, title: str) -> None:
    """Run 1 of every command, then run 2 of every command, ...; warm-up rounds are not recorded."""
    total = warmup + runs
    for r in range(total):
        t0 = time.perf_counter()
        for b in benches:
            if not b.failed:
                run_bench(b, r, cwd, record=r >= warmup)
        tag = "warm-up" if r < warmup else f"run {r - warmup + 1}/{runs}"
        print(f"  {title}: {tag} ({time.perf_counter() - t0:.1f} s)", file=sys.stderr, flush=True)
    for b in benches:  # then, untimed, one run each under the RSS launcher
        if not b.failed:
            run_bench(b, total, cwd, record=False, memory=True)
    print(f"  {title}: peak RSS measured", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------
# The commands
# ---------------------------------------------------------------------------

TYPER_APP = '''import typer

app = typer.Typer()


@app.command()
def hello(name: str) -> None:
    print(f"hello {name}")


@app.command()
def bye() -> None:
    print("bye")


if __name__ == "__main__":
    app()
'''

JSON_SCAN = ("import json,sys\n"
             "facts = json.load(open(sys.argv[1], encoding='utf-8'))\n"
             "hits = [f for f in facts if 'pmi' in (f.get('name') or f.get('title') or '').lower()]\n"
             "json.dump(hits, sys.stdout, ensure_ascii=False)\n")
TOMLLIB_PARSE = ("import pathlib,sys\n"
                 "try:\n    import tomllib\nexcept ImportError:\n    import tomli as tomllib\n"
                 "for p in sorted(pathlib.Path(sys.argv[1]).rglob('*.toml')):\n"
                 "    tomllib.loads(p.read_text(encoding='utf-8'))\n")
JQ_FILTER = '[.[] | select((.name // .title // "") | test("pmi"; "i"))]'


def base_env(work: Path) -> dict[str, str]:
    """The environment of every command: private XDG directories, no VNECON_* settings.

    PYTHONDONTWRITEBYTECODE is dropped too: an installed vnecon has its .pyc
    files, and without them every run would compile vnecon's modules again.
    """
    dropped = ("FORCE_COLOR", "NO_COLOR", "PYTHONDONTWRITEBYTECODE", "PYTHONPROFILEIMPORTTIME")
    env = {k: v for k, v in os.environ.items() if not k.startswith("VNECON_") and k not in dropped}
    env.update(XDG_CACHE_HOME=str(work / "cache"), XDG_CONFIG_HOME=str(work / "config"),
               XDG_DATA_HOME=str(work / "data"), COLUMNS="120")
    return env


def bundled_dir(env: dict[str, str], cwd: Path) -> Path:
    s = run_once([VNECON, "paths", "--format", "json"], env, cwd)
    if s.code != 0:
        raise SystemExit(f"vnecon paths failed: {s.err.decode(errors='replace')}")
    layer = next(layer for layer in json.loads(s.out)["layers"] if layer["layer"] == "bundled")
    return Path(layer["paths"][0]["path"])


def shared_baselines(work: Path, env: dict[str, str]) -> list[Bench]:
    app = work / "typer_app.py"
    app.write_text(TYPER_APP, encoding="utf-8")
    same = lambda run: env  # noqa: E731
    return [
        Bench("-", "python -c pass", [PY, "-c", "pass"], same, needs_output=False),
        Bench("-", "typer app (2 commands)", [PY, str(app), "hello", "world"], same),
    ]


def size_benches(label: str, facts_dir: Path, where: list[str], show_id: str, data: Path, env: dict[str, str]) -> list[Bench]:
    """vnecon's commands and the per-size baselines over the same facts."""
    same = lambda run: env  # noqa: E731
    table_env = {**env, "FORCE_COLOR": "0", "COLUMNS": "120"}
    v = lambda *args: [VNECON, *args, *where]  # noqa: E731
    ok = (0, 1)  # 1 = no match: a data question, not a failure
    return [
        Bench(label, "vnecon search pmi --format csv", v("search", "pmi", "--format", "csv"), same, ok, role="vnecon"),
        Bench(label, "vnecon search pmi --format table", v("search", "pmi", "--format", "table"), lambda run: table_env, ok, role="vnecon"),
        Bench(label, "vnecon search pmi --as-of 2024-06-30 --format csv",
              v("search", "pmi", "--as-of", "2024-06-30", "--format", "csv"), same, ok, role="vnecon"),
        Bench(label, 'vnecon indicators --region "Hà Nội" --since 2020 --format csv',
              v("indicators", "--region", "Hà Nội", "--since", "2020", "--format", "csv"), same, ok, role="vnecon"),
        Bench(label, f"vnecon show {show_id}", v("show", show_id), same, role="vnecon"),
        Bench(label, "vnecon series pmi --format csv", v("series", "pmi", "--format", "csv"), same, ok, role="vnecon"),
        *([Bench(label, "vnecon series us trade --format table", v("series", "us", "trade", "--format", "table"),
                 lambda run: table_env, ok, role="vnecon"),
           Bench(label, "vnecon series us trade --chart", v("series", "us", "trade", "--chart"),
                 lambda run: table_env, ok, role="vnecon")] if label == "bundled" else []),
        Bench(label, "vnecon export DB.db --force (SQLite, warm cache)",
              v("export", str(data / "vnecon-export.db"), "--force"), same, needs_output=False, role="export"),
        *([Bench(label, "vnecon import wide.csv --out (a fact per cell)",
                 [VNECON, "import", str(data / "wide.csv"), "--new-source", "--set", "basis=level", "--out",
                  str(data / "imported-run.toml"), "--force", "--no-bundled"], same, needs_output=False, role="export"),
           Bench(label, "vnecon check of the imported TOML", [VNECON, "check", str(data / "imported.toml"), "--no-bundled"],
                 same, needs_output=False, role="export")] if (data / "imported.toml").exists() else []),
        Bench(label, "sqlite-utils search facts.db facts pmi --limit 20 --csv",
              [SQLITE_UTILS, "search", str(data / "facts.db"), "facts", "pmi", "--limit", "20", "--csv"], same),
        *([Bench(label, "jq (name matches pmi) facts.json", ["jq", JQ_FILTER, str(data / "facts.json")], same)]
          if shutil.which("jq") else []),
        Bench(label, "python json scan facts.json", [PY, "-c", JSON_SCAN, str(data / "facts.json")], same),
        *([Bench(label, "grep -ri pmi DIR", ["grep", "-ri", "pmi", str(facts_dir)], same)]
          if shutil.which("grep") else []),
    ]


def cold_benches(label: str, facts_dir: Path, where: list[str], work: Path, env: dict[str, str]) -> list[Bench]:
    """First run with an empty cache directory each time, against tomllib parsing the same files."""
    def fresh_cache(run: int) -> dict[str, str]:
        shutil.rmtree(work / "cold-cache" / label, ignore_errors=True)  # earlier runs' caches go too
        return {**env, "XDG_CACHE_HOME": str(work / "cold-cache" / label / str(run))}

    return [
        Bench(label, "vnecon search pmi --format csv, no cache (cold)", [VNECON, "search", "pmi", "--format", "csv", *where],
              fresh_cache, (0, 1), role="cold"),
        Bench(label, "python tomllib parse of every file", [PY, "-c", TOMLLIB_PARSE, str(facts_dir)],
              lambda run: env, needs_output=False),
    ]


# ---------------------------------------------------------------------------
# Results: summary, table, targets
# ---------------------------------------------------------------------------


def one_file_benches(tree: Tree, work: Path, env: dict[str, str]) -> list[Bench]:
    """First run (index build), a warm search and check, on one huge file."""
    where = ["--no-bundled", "--facts", str(tree.path)]
    cache = work / "one-file-cache" / tree.label.split()[0]

    def fresh_cache(run: int) -> dict[str, str]:
        shutil.rmtree(cache, ignore_errors=True)
        return {**env, "XDG_CACHE_HOME": str(cache)}

    warm = {**env, "XDG_CACHE_HOME": str(cache)}
    return [
        Bench(tree.label, "vnecon search pmi --format csv, no cache (first run: builds the index)",
              [VNECON, "search", "pmi", "--format", "csv", *where], fresh_cache, (0, 1), role="cold"),
        Bench(tree.label, "vnecon search pmi --format csv (warm)", [VNECON, "search", "pmi", "--format", "csv", *where],
              lambda run: warm, (0, 1), role="vnecon"),
        Bench(tree.label, "vnecon check --quiet", [VNECON, "check", "--quiet", *where], lambda run: env,
              needs_output=False, role="vnecon"),
    ]


def summary(b: Bench) -> dict:
    t = sorted(x * 1000 for x in b.times)
    if not t:
        return {"key": b.key, "size": b.size, "command": b.label, "failed": b.failed or "no runs"}
    q = statistics.quantiles(t, n=4) if len(t) > 1 else [t[0], t[0], t[0]]
    return {
        "key": b.key, "size": b.size, "command": b.label, "role": b.role, "argv": b.argv,
        "runs": len(t), "median_ms": statistics.median(t), "min_ms": t[0], "max_ms": t[-1],
        "q1_ms": q[0], "q3_ms": q[2], "times_ms": [x * 1000 for x in b.times],
        "peak_rss_mb": max(b.rss, default=0) / 2**20, "cpu_ms": max(b.cpu, default=0) * 1000, "failed": b.failed,
    }


def find(results: dict[str, dict], size: str, prefix: str) -> dict | None:
    for r in results.values():
        if r["size"] == size and r["command"].startswith(prefix) and "median_ms" in r:
            return r
    return None


RATIO_COLUMNS = [  # column header, size ("" = same size as the row), command prefix
    ("× python", "-", "python -c pass"),
    ("× typer app", "-", "typer app"),
    ("× sqlite-utils", "", "sqlite-utils search"),
    ("× jq", "", "jq "),
    ("× py json", "", "python json scan"),
    ("× grep", "", "grep "),
    ("× tomllib", "", "python tomllib"),
]


RELEVANT = {  # which ratio columns each kind of row fills
    "vnecon": {"× python", "× typer app", "× sqlite-utils", "× jq", "× py json", "× grep"},
    "cold": {"× python", "× tomllib"},
    "export": {"× python", "× tomllib"},
    "baseline": {"× python"},
}


def ratio_cells(r: dict, results: dict[str, dict]) -> list[str]:
    cells = []
    for head, size, prefix in RATIO_COLUMNS:
        base = find(results, size or r["size"], prefix)
        relevant = base is not None and base["key"] != r["key"] and head in RELEVANT[r["role"]]
        cells.append(f"{r['median_ms'] / base['median_ms']:.2f}" if relevant else "")
    return cells


def print_table(results: dict[str, dict]) -> None:
    heads = ["size", "command", "median ms", "min–max ms", "IQR ms", *[h for h, _, _ in RATIO_COLUMNS], "peak RSS MB", "CPU ms"]
    print("| " + " | ".join(heads) + " |")
    print("|" + "|".join("---:" if i >= 2 else "---" for i in range(len(heads))) + "|")
    for r in results.values():
        if "median_ms" not in r:
            print(f"| {r['size']} | {r['command']} | FAILED: {r['failed'][:60]} |" + " |" * (len(heads) - 3))
            continue
        row = [r["size"], r["command"], f"{r['median_ms']:.1f}", f"{r['min_ms']:.1f}–{r['max_ms']:.1f}",
               f"{r['q3_ms'] - r['q1_ms']:.1f}", *ratio_cells(r, results), f"{r['peak_rss_mb']:.1f}", f"{r['cpu_ms']:.0f}"]
        print("| " + " | ".join(row) + " |")


def targets(results: dict[str, dict], big: str) -> list[tuple[str, str, str]]:
    """(status, target, numbers) for each of the project's performance targets."""
    def med(size: str, prefix: str) -> float | None:
        r = find(results, size, prefix)
        return r["median_ms"] if r else None

    out = []

    def ratio_target(name: str, a: float | None, b: float | None, limit: float, what: str) -> None:
        if a is None or b is None:
            out.append(("SKIP", name, "not measured"))
            return
        ratio = a / b
        out.append(("PASS" if ratio <= limit else "MISS", name, f"{a:.1f} ms / {b:.1f} ms = {ratio:.2f}× {what} (limit {limit}×)"))

    py = med("-", "python -c pass")
    csv_b, table_b = med("bundled", "vnecon search pmi --format csv"), med("bundled", "vnecon search pmi --format table")
    ratio_target("bundled search csv ≤ 7× python -c pass", csv_b, py, 7, "python")
    ratio_target("bundled search csv ≤ 0.5× sqlite-utils search", csv_b, med("bundled", "sqlite-utils search"), 0.5, "sqlite-utils")
    ratio_target("bundled search table ≤ 9× python -c pass", table_b, py, 9, "python")
    csv_big = med(big, "vnecon search pmi --format csv")
    ratio_target(f"{big} cached search ≤ 1.5× bundled search", csv_big, csv_b, 1.5, "bundled")
    jq = med(big, "jq ")
    if csv_big is None or jq is None:
        out.append(("SKIP", f"{big} cached search ≥ 5× faster than jq scan", "not measured"))
    else:
        speedup = jq / csv_big
        out.append(("PASS" if speedup >= 5 else "MISS", f"{big} cached search ≥ 5× faster than jq scan",
                    f"jq {jq:.1f} ms / search {csv_big:.1f} ms = {speedup:.2f}× faster (need ≥ 5×)"))
    r = find(results, big, "vnecon search pmi --format csv")
    if r is None:
        out.append(("SKIP", f"{big} cached search peak RSS < 150 MB", "not measured"))
    else:
        out.append(("PASS" if r["peak_rss_mb"] < 150 else "MISS", f"{big} cached search peak RSS < 150 MB",
                    f"{r['peak_rss_mb']:.1f} MB"))
    for size in ("bundled", big):
        ratio_target(f"{size} series ≤ 1.5× search (warm)", med(size, "vnecon series pmi --format csv"),
                     med(size, "vnecon search pmi --format csv"), 1.5, "search")
    table_s, chart_s = med("bundled", "vnecon series us trade --format table"), med("bundled", "vnecon series us trade --chart")
    if table_s is None or chart_s is None:
        out.append(("SKIP", "bundled series --chart adds ≤ 60 ms over the table", "not measured"))
    else:
        out.append(("PASS" if chart_s - table_s <= 60 else "MISS", "bundled series --chart adds ≤ 60 ms over the table",
                    f"{chart_s:.1f} ms - {table_s:.1f} ms = {chart_s - table_s:+.1f} ms (limit 60 ms)"))
    ratio_target(f"{big} export to SQLite ≤ 1.5× cold index build", med(big, "vnecon export DB.db"),
                 med(big, "vnecon search pmi --format csv, no cache"), 1.5, "cold build")
    r = find(results, big, "vnecon export DB.db")
    if r is None:
        out.append(("SKIP", f"{big} export peak RSS < 300 MB", "not measured"))
    else:
        out.append(("PASS" if r["peak_rss_mb"] < 300 else "MISS", f"{big} export peak RSS < 300 MB",
                    f"{r['peak_rss_mb']:.1f} MB"))
    ratio_target(f"{big} import of a wide CSV ≤ 2× check of its output", med(big, "vnecon import wide.csv"),
                 med(big, "vnecon check of the imported"), 2.0, "check")
    ratio_target(f"{big} cold ≤ 1.3× tomllib-alone parse", med(big, "vnecon search pmi --format csv, no cache"),
                 med(big, "python tomllib"), 1.3, "tomllib")
    for r in results.values():
        if r["size"].endswith("in one file") and r["command"].startswith("vnecon search pmi --format csv, no cache"):
            name = f"{r['size']}: first run peak RSS ≤ 500 MB"
            if "peak_rss_mb" not in r:
                out.append(("SKIP", name, "not measured"))
            else:
                out.append(("PASS" if r["peak_rss_mb"] <= 500 else "MISS", name,
                            f"{r['peak_rss_mb']:.1f} MB in {r['median_ms'] / 1000:.1f} s"))
    return out


# ---------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="bundled facts and 1,000 facts only, 3 runs (CI)")
    p.add_argument("--sizes", default="1000,10000,100000", help="synthetic tree sizes, comma-separated")
    p.add_argument("--runs", type=int, help="timed runs per command (default 7; 3 with --quick)")
    p.add_argument("--warmup", type=int, default=1, help="untimed warm-up rounds (default 1)")
    p.add_argument("--cold-runs", type=int, default=3, help="cold-cache runs per size (default 3)")
    p.add_argument("--json", metavar="FILE", type=Path, help="write raw results (every run) to FILE")
    p.add_argument("--check-trees", action="store_true", help="run `vnecon check` on every generated tree (slow at 100k)")
    p.add_argument("--one-file", default="", metavar="SIZES",
                   help="also time and measure memory on trees of these sizes written as one file (e.g. 1000000)")
    p.add_argument("--keep", action="store_true", help="keep the temporary directory and print where it is")
    p.add_argument("--seed", type=int, default=SEED, help="seed for the synthetic facts")
    args = p.parse_args(argv)
    args.sizes = [1000] if args.quick else [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    args.one_file = [int(s.replace("_", "")) for s in args.one_file.split(",") if s.strip()]
    args.runs = args.runs or (3 if args.quick else 7)
    return args


def prepare(label: str, facts_dir: Path, work: Path) -> tuple[Path, list[dict]]:
    """Export the facts as facts.json and facts.db (SQLite + FTS) for the baselines."""
    data = work / f"data-{label}"
    data.mkdir(parents=True, exist_ok=True)
    facts = read_facts(facts_dir)
    export_json(facts, data / "facts.json")
    export_sqlite(facts, data / "facts.db")
    if label != "bundled":
        write_wide_csv(data / "wide.csv", max(len(facts) // 10, 1))
        env = {**os.environ, **{v: str(work / "prep" / v.lower()) for v in
                                ("XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME")}}
        subprocess.run([VNECON, "import", str(data / "wide.csv"), "--new-source", "--set", "basis=level", "--out",
                        str(data / "imported.toml"), "--force", "--no-bundled"], capture_output=True, check=False,
                       env=env)
    return data, facts


def write_wide_csv(path: Path, rows: int) -> None:
    """A statistics-office style wide table: a row per measure and province, a column per year."""
    rnd = random.Random(14)
    years = list(range(2015, 2025))
    with path.open("w", encoding="utf-8") as fh:
        fh.write("Chỉ tiêu,Tỉnh/Thành phố,Đơn vị," + ",".join(map(str, years)) + "\n")
        for i in range(rows):
            cells = ",".join(".." if rnd.random() < 0.02 else f"{rnd.random() * 100:.2f}" for _ in years)
            fh.write(f"Measure {i},Province {i % 63},tỷ đồng,{cells}\n")


def bundled_show_id(facts: list[dict]) -> str:
    """The July 2024 PMI if the bundled facts still have it, else their first indicator."""
    ids = [f["id"] for f in facts if f["kind"] == "indicator"]
    return "vn-pmi-2024-07" if "vn-pmi-2024-07" in ids else (ids or [facts[0]["id"]])[0]


def fingerprint(bundled: Path) -> str:
    """A hash of vnecon's code and the bundled facts, to notice edits during a run."""
    import hashlib
    import importlib.util

    spec = importlib.util.find_spec("vnecon")
    dirs = [Path(d) for d in (spec.submodule_search_locations or [])] if spec else []
    h = hashlib.sha1()
    for p in sorted(f for d in dirs for f in d.rglob("*.py")) + sorted(bundled.rglob("*.toml")):
        h.update(str(p).encode() + b"\0" + p.read_bytes())
    return h.hexdigest()[:12]


def load_average() -> str:
    try:
        return f"{os.getloadavg()[0]:.2f}"
    except (AttributeError, OSError):
        return "unknown"


def git_describe() -> str:
    repo = Path(__file__).resolve().parent.parent
    try:
        head = subprocess.run(["git", "-C", str(repo), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(repo), "status", "--porcelain", "--", "vnecon", "facts"], capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"
    return f"git {head}{' + local changes' if dirty else ''}"


def check_tree(tree: Tree, env: dict[str, str], cwd: Path) -> bool:
    s = run_once([VNECON, "check", "--quiet", "--no-bundled", "--facts", str(tree.path)], env, cwd)
    print(f"  vnecon check {tree.label}: {s.err.decode(errors='replace').strip()}", file=sys.stderr)
    return s.code == 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    for exe in (VNECON, SQLITE_UTILS):
        if not Path(exe).exists():
            raise SystemExit(f"{exe} not found: run `pip install -e '.[bench]'` in this Python's environment")
    for tool in ("jq", "grep"):
        if shutil.which(tool) is None:  # a fresh CI machine may lack jq: measure the rest
            print(f"note: {tool} is not on PATH; its baseline is left out", file=sys.stderr)
    work = Path(tempfile.mkdtemp(prefix="vnecon-bench-"))
    started = time.perf_counter()
    try:
        env = base_env(work)
        benches = shared_baselines(work, env)
        cold: list[Bench] = []
        trees: list[dict] = []
        bundled = bundled_dir(env, work)
        code_before = fingerprint(bundled)
        load_before = load_average()
        data, facts = prepare("bundled", bundled, work)
        benches += size_benches("bundled", bundled, [], bundled_show_id(facts), data, env)
        checks_ok = True
        for n in args.sizes:
            t0 = time.perf_counter()
            tree = generate_tree(work / f"facts-{n}", n, args.seed)
            data, _ = prepare(tree.label, tree.path, work)
            print(f"generated {tree.facts} facts in {tree.files} files ({time.perf_counter() - t0:.1f} s)", file=sys.stderr)
            trees.append({"size": tree.label, "facts": tree.facts, "files": tree.files, "show_id": tree.show_id})
            if args.check_trees:
                checks_ok &= check_tree(tree, env, work)
            where = ["--no-bundled", "--facts", str(tree.path)]
            benches += size_benches(tree.label, tree.path, where, tree.show_id, data, env)
            cold += cold_benches(tree.label, tree.path, where, work, env)
        huge: list[Bench] = []
        for n in args.one_file:
            t0 = time.perf_counter()
            tree = generate_one_file(work / f"one-file-{n}", n, args.seed)
            print(f"generated {tree.facts} facts in one file of {tree.path.stat().st_size / 2**20:.0f} MiB "
                  f"({time.perf_counter() - t0:.1f} s)", file=sys.stderr)
            trees.append({"size": tree.label, "facts": tree.facts, "files": 1, "show_id": tree.show_id})
            huge += one_file_benches(tree, work, env)
        print(f"timing {len(benches)} commands, round-robin, {args.warmup} warm-up + {args.runs} runs", file=sys.stderr)
        round_robin(benches, args.runs, args.warmup, work, "warm")
        if cold:
            print(f"timing {len(cold)} cold commands, round-robin, {args.cold_runs} runs", file=sys.stderr)
            round_robin(cold, args.cold_runs, 0, work, "cold")
        if huge:
            print(f"timing {len(huge)} commands on one huge file, 1 run each", file=sys.stderr)
            round_robin(huge, 1, 0, work, "one file")
        results = {b.key: summary(b) for b in benches + cold + huge}
        code_after = fingerprint(bundled)
        floor = "GNU time, floor ~2 MB" if GNU_TIME else "python launcher, floor ~7 MB"
        described = ", ".join(f"{t['size']} = {t['facts']} facts in {t['files']} files" for t in trees) or "none"
        print(f"\nvnecon benchmark: Python {sys.version.split()[0]}, {os.cpu_count()} CPUs; "
              f"vnecon {git_describe()} (code+facts hash {code_before})")
        print(f"runs: {args.runs} timed per command after {args.warmup} warm-up, round-robin; cold: {args.cold_runs} runs; "
              f"peak RSS and CPU ms (user+sys, child processes included): one extra run ({floor})")
        print(f"synthetic trees: {described}")
        print(f"1-minute load average: {load_before} at the start, {load_average()} at the end "
              f"(the benchmark adds about 1; more means other processes shared the CPUs)\n")
        print_table(results)
        print("\nTargets:")
        checks = targets(results, "100000")
        for status, name, numbers in checks:
            print(f"  {status:4}  {name}: {numbers}")
        if code_after != code_before:
            print(f"\nWARNING: vnecon's code or bundled facts changed during the run (hash {code_before} -> "
                  f"{code_after}): these numbers mix versions and may include index rebuilds; run again.")
        print(f"\n(total {time.perf_counter() - started:.0f} s)")
        if args.json:
            args.json.write_text(json.dumps({
                "python": sys.version, "cpus": os.cpu_count(), "runs": args.runs, "warmup": args.warmup,
                "vnecon": git_describe(), "hash_before": code_before, "hash_after": code_after,
                "trees": trees, "results": list(results.values()),
                "targets": [{"status": s, "target": n, "numbers": x} for s, n, x in checks],
            }, indent=2, ensure_ascii=False), encoding="utf-8")
        failed = [b for b in benches + cold + huge if b.failed] or ([] if checks_ok else ["check"])
        return 1 if failed else 0
    finally:
        if args.keep:
            print(f"kept {work}", file=sys.stderr)
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
