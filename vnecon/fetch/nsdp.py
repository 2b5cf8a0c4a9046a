"""Vietnam's National Summary Data Page: the official SDMX files of the statistics office, the State Bank
and the Ministry of Finance, as cited [[series]] records (docs/schema.md, "Compact series").

One file per data domain (``DOMAINS``: ``cpi`` is CPIVNM.xml...), read by ``sdmx.read``, named by
``nsdp_names.describe``; each file release is one [[source]] (the owner as publisher, the file's
``Prepared`` day as its date, the official URL), each series one [[series]] block of its points.
``VNECON_NSDP_URL`` replaces every domain's base URL (files by their published names).

    python -m vnecon.fetch.nsdp --bundle DIR OUT_DIR

converts every recorded file of DIR into OUT_DIR/<domain>.toml: how facts/official/ is made.
"""

from __future__ import annotations

import os
import re
import sys
from collections import defaultdict, namedtuple
from pathlib import Path

from vnecon.core.errors import UsageError
from vnecon.fetch import sdmx
from vnecon.fetch.facts import in_span, slug
from vnecon.fetch.nsdp_names import describe

GSO_BASE = "https://nsdp.nso.gov.vn/GSO-chung/SDMXFiles/GSO/"
SBV_BASE = "https://sbv.gov.vn/webcenter/ShowProperty?nodeId=/UCMServer/"
MOF_BASE = "https://ckns.mof.gov.vn/Lists/GDDSManager/Attachments/"

# key -> (published file name, DATA_DOMAIN, what it holds, official URL).  The statistics office's files
# moved from nsdp.gso.gov.vn (gone) to nsdp.nso.gov.vn; the others are as dsbb_database.csv lists them.
Domain = namedtuple("Domain", "key file code title url")
DOMAINS = {d.key: d for d in (
    Domain("cpi", "CPIVNM.xml", "CPI", "consumer prices", GSO_BASE + "CPIVNM.xml"),
    Domain("iip", "IIPVNM.xml", "IND", "industrial production", GSO_BASE + "IIPVNM.xml"),
    Domain("trade", "METVNM.xml", "MET", "merchandise trade", GSO_BASE + "METVNM.xml"),
    Domain("gdp", "GDPVNM.xml", "NAG", "national accounts", GSO_BASE + "GDPVNM.xml"),
    Domain("labour", "LMIVNM.xml", "LMI", "labour market", GSO_BASE + "LMIVNM.xml"),
    Domain("ppi", "PPIVNM.xml", "PPI", "producer prices", GSO_BASE + "PPIVNM.xml"),
    Domain("population", "POPVNM.xml", "POP", "population", GSO_BASE + "POPVNM.xml"),
    Domain("exchange-rate", "SBV.EXR_Vietnam.xml", "EXR", "exchange rates",
           SBV_BASE + "SBV471014//idcPrimaryFile&revision=latestreleased"),
    Domain("interest-rate", "SBV.INR_VNM.xml", "INR", "interest rates",
           SBV_BASE + "SBV471011//idcPrimaryFile&revision=latestreleased"),
    Domain("bop", "SBV.BOP_Vietnam.xml", "BOP6", "balance of payments",
           SBV_BASE + "SBV471017//idcPrimaryFile&revision=latestreleased"),
    Domain("government-debt", "MOF_CGD_Vietnam.xml", "CGD", "central government debt",
           MOF_BASE + "17/MOF_CGD_Vietnam.xml"),
    Domain("government-finance", "MoF_GGO_Vietnam.xml", "GGO", "general government operations",
           MOF_BASE + "19/MoF%20GGO_Vietnam.xml"),
    Domain("external-debt", "Z_EXDVNM.xml", "EXD", "external debt", MOF_BASE + "15/MOF_EXD%20_Vietnam.xml"),
    Domain("stock-prices", "MOF_SPI01.xml", "SPI", "stock price indices", MOF_BASE + "16/MOF%20SPI032025%20(1).xml"),
)}
BY_CODE = {d.code: d for d in DOMAINS.values()}
BY_FILE = {d.file.lower(): d for d in DOMAINS.values()}
OWNERS = {**dict.fromkeys(("CPI", "IND", "MET", "NAG", "LMI", "PPI", "POP"), "GSO"),
          **dict.fromkeys(("EXR", "INR", "BOP6"), "State Bank of Vietnam"),
          **dict.fromkeys(("CGD", "GGO", "EXD", "SPI"), "Ministry of Finance of Vietnam")}
ACCEPT = "application/vnd.sdmx.structurespecificdata+xml;version=2.1, application/xml;q=0.9, */*;q=0.5"

# One series of one release, ready to write: its block id, its fields (name... tags, note), its points
# [(period, value)] already scaled, and how many periods had no value.
Block = namedtuple("Block", "id fields points missing")
# One file release: the [[source]] it is cited as, its series, and where it came from.
Release = namedtuple("Release", "source blocks domain where")


def base_url() -> str | None:
    base = os.environ.get("VNECON_NSDP_URL")
    return base.rstrip("/") + "/" if base else None


def url_of(domain: Domain) -> str:
    base = base_url()
    return base + domain.file if base else domain.url


def domain_of(word: str) -> Domain | None:
    return DOMAINS.get(word.lower().replace("_", "-"))


def publisher(owner: str, day: str) -> str:
    """The statistics office was the General Statistics Office until it became the National Statistics
    Office on 1 March 2025; a release is cited under the name it was published under."""
    if owner != "GSO":
        return owner
    return "National Statistics Office of Vietnam" if day >= "2025-03-01" else "General Statistics Office of Vietnam"


def convert(message: sdmx.Message, url: str, file: str, since: int | None = None,
            until: int | None = None) -> Release:
    """A read file as one source and its series blocks (values scaled, names given)."""
    codes = [s.attrs.get("DATA_DOMAIN", "").strip().upper() for s in message.series]
    code = max(set(codes), key=codes.count) if codes else ""
    domain = BY_CODE.get(code) or BY_FILE.get(Path(file).name.lower())
    day = message.prepared[:10] if re.fullmatch(r"\d{4}-\d{2}-\d{2}.*", message.prepared) else ""
    area = message.series[0].attrs.get("REF_AREA", "VN") if message.series else "VN"
    owner = OWNERS.get(code, "") if area == "VN" else ""
    stem = "nsdp" + ("" if area == "VN" else f"-{slug(area)}")
    source_id = f"{stem}-{slug(domain.key if domain else code or 'file')}-release" + (f"-{day}" if day else "")
    title = domain.title if domain else f"{code or 'SDMX'} data"
    source = {"id": source_id, "publisher": publisher(owner, day) if owner else "unknown",
              "title": f"National Summary Data Page: {title} ({Path(file).name})"}
    if day:
        source["date"] = day
    source["url"] = url
    source["note"] = (f"SDMX-ML 2.1 file of the IMF e-GDDS template (ECOFIN_DSD), prepared {message.prepared or '(not given)'}"
                      f"; the platform that carries it is IMF SDMX Central, the figures are the owner's. {SCALING}")
    return Release(source, _blocks(message, Path(file).name, stem, code, since, until), domain, url)


# Said once, in each release's source, rather than in every figure.
SCALING = ("Each figure is its series' value times 10 to the power of the series' UNIT_MULT, in whole "
           "units (USD, VND, persons); rates and indices are not scaled. A figure's tags name its indicator code.")


def _blocks(message: sdmx.Message, file: str, stem: str, dataset: str, since: int | None,
            until: int | None) -> list[Block]:
    freqs = defaultdict(set)
    for s in message.series:
        freqs[s.attrs.get("INDICATOR", "").strip()].add(s.attrs.get("FREQ", ""))
    metas = [describe(s.attrs, file) for s in message.series]
    # Two series that would read as one measure (the descriptions repeat "Banks", "Grants"...): each name
    # says its code, so no two series share an observation.
    seen = defaultdict(set)
    for s, m in zip(message.series, metas):
        seen[_measure(m.fields, s.attrs.get("FREQ", ""))].add(s.attrs.get("INDICATOR", "").strip())
    out = []
    for s, meta in zip(message.series, metas):
        code, freq = s.attrs.get("INDICATOR", "").strip(), s.attrs.get("FREQ", "")
        fields = dict(meta.fields)
        if len(seen[_measure(meta.fields, freq)]) > 1:
            fields["name"] = f"{fields['name']} ({code})"
        block_id = f"{stem}-{slug(code)}" + (f"-{slug(freq)}" if len(freqs[code]) > 1 else "")
        # The dataset's code is in the source and the note, not the tags: a tag "CPI" on 1,683 official
        # figures would rank them above the news' headline CPI for `search cpi`.
        fields["tags"] = ["nsdp", code]
        bad = [(p, t) for p, t in s.unreadable if in_span(p, since, until)]
        note = " ".join(filter(None, [meta.note, "Skipped, not a number: " + ", ".join(
            f"{p} {t.strip()!r}" for p, t in bad) + "." if bad else ""]))
        if note:
            fields["note"] = note
        points = [(p, scaled(v, meta.power)) for p, v in s.points if in_span(p, since, until)]
        out.append(Block(block_id, fields, points, sum(1 for p in s.missing if in_span(p, since, until))))
    return out


def scaled(text: str, power: int) -> int | float:
    """The printed value times 10**power, exactly (decimal arithmetic): 2219.299417 at UNIT_MULT 6 is
    2_219_299_417, not 2219299417.0000002; whole numbers as integers."""
    from decimal import Decimal

    value = Decimal(text).scaleb(power)
    if value == value.to_integral_value() and abs(value) < 10**18:
        return int(value)
    return float(value)


def _measure(fields: dict, freq: str) -> tuple:
    return tuple(fields.get(k, "") for k in ("name", "region", "basis", "unit", "sector", "partner", "product")) + (freq,)


# ---- fetching -----------------------------------------------------------------------------------------


def is_location(word: str) -> bool:
    """A URL or a file rather than a domain name."""
    return word.startswith(("http://", "https://")) or "/" in word or "\\" in word or word.lower().endswith(".xml")


def check_words(words: list[str]) -> None:
    """Every word a domain, a URL or an existing file: refused before anything is fetched."""
    for word in words:
        if is_location(word):
            if not word.startswith(("http://", "https://")) and not Path(word).is_file():
                raise UsageError(f"no such file: {word}")
        elif domain_of(word) is None:
            raise UsageError(f"unknown National Summary Data Page domain {word!r}; vnecon fetches: "
                             f"{', '.join(DOMAINS)}; or give a file or URL of an e-GDDS SDMX file")


def fetch_release(client, word: str, since: int | None = None, until: int | None = None) -> Release:
    """One release: a domain from its official URL (or VNECON_NSDP_URL), a URL, or a local file."""
    domain = None if is_location(word) else domain_of(word)
    if domain is not None or word.startswith(("http://", "https://")):
        url = url_of(domain) if domain is not None else word
        message = client.get(url, lambda body: sdmx.read(body, url), accept=ACCEPT)
        name = domain.file if domain is not None else Path(url.split("?", 1)[0]).name
        return convert(message, url, name, since, until)
    path = Path(word)
    try:
        body = path.read_bytes()
    except OSError as e:
        raise UsageError(f"cannot read {word}: {e.strerror}") from None
    release = convert(sdmx.read(body, word), "", path.name, since, until)
    known = BY_FILE.get(path.name.lower())
    source = dict(release.source)
    del source["url"]
    if known is not None:  # a copy of a published file: cite where it is published
        source["url"] = known.url
    source["document"] = path.name
    return release._replace(source=source)


# ---- writing [[series]] TOML ------------------------------------------------------------------------

FIELD_ORDER = ("id", "name", "name_vi", "region", "unit", "basis", "qualifier", "sector", "partner", "product",
               "hs_code", "sources", "tags", "trust", "note")


def series_toml(block_id: str, fields: dict, source_id: str, points: list[tuple[str, float]]) -> str:
    from vnecon.authoring.newfact import toml_value

    record = {"id": block_id, **fields, "sources": [source_id]}
    lines = ["[[series]]"] + [f"{k} = {toml_value(record[k])}" for k in FIELD_ORDER if record.get(k)]
    lines.append("points = [")
    lines += [f"  [{toml_value(p)}, {toml_value(v)}]," for p, v in points]
    lines.append("]")
    return "\n".join(lines) + "\n"


def source_toml(source: dict) -> str:
    from vnecon.authoring.newfact import toml_key, toml_value

    return "[[source]]\n" + "".join(f"{toml_key(k)} = {toml_value(v)}\n" for k, v in source.items())


def release_toml(release: Release) -> str:
    """A whole release, every point new: what the bundle holds."""
    parts = [source_toml(release.source)]
    parts += [series_toml(b.id, b.fields, release.source["id"], b.points) for b in release.blocks if b.points]
    return "\n".join(parts)


# ---- the bundled layer ------------------------------------------------------------------------------


def bundle(folder: Path, out: Path) -> list[tuple[Path, int, int]]:
    """Every known file in folder converted to out/<domain>.toml, cited to its official URL: (path, series,
    points) per file written."""
    out.mkdir(parents=True, exist_ok=True)
    done = []
    for domain in DOMAINS.values():
        path = folder / domain.file
        if not path.exists():
            continue
        release = convert(sdmx.read(path.read_bytes(), str(path)), domain.url, domain.file)
        text = (f"# Generated from {domain.file} by: python -m vnecon.fetch.nsdp --bundle DIR facts/official\n"
                "# Do not edit: run the command again (tests/test_nsdp.py checks the two agree).\n\n"
                + release_toml(release))
        target = out / f"{domain.key}.toml"
        target.write_text(text, encoding="utf-8")
        done.append((target, sum(1 for b in release.blocks if b.points), sum(len(b.points) for b in release.blocks)))
    return done


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[0] != "--bundle":
        sys.stderr.write("usage: python -m vnecon.fetch.nsdp --bundle DIR OUT_DIR\n")
        return 2
    try:
        done = bundle(Path(argv[1]), Path(argv[2]))
    except UsageError as e:
        sys.stderr.write(f"error: {e}\n")
        return 2
    for path, series, points in done:
        sys.stderr.write(f"{path}: {series} series, {points} points\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
