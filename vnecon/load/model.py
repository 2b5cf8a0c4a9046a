"""Fact records and the schema they are validated against.

The schema is data: one ``Field`` per key per kind.  Validation
(``vnecon.load.validate``), templates (``vnecon new``), CSV columns and the
documentation all read from here, so adding a field is a one-line change.
"""

from __future__ import annotations

from collections import namedtuple

# Plain classes and namedtuples rather than dataclasses: importing dataclasses
# (and the inspect module it pulls in) costs ~15 ms at every start-up.

FORMATS = ("table", "csv", "tsv", "json", "jsonl", "markdown")

# How far a figure can be trusted: level -> (mark in tables, legend words).  `reported` has no mark.
TRUST = {
    "reported": ("", "printed in the source as it stands"),
    "derived": ("=", "derived by the curator from printed figures"),
    "inferred": ("~", "period, date or reading inferred, not stated"),
    "doubtful": ("?", "the sources disagree"),
    "draft": ("!", "a draft or proposal, not in force"),
}
TRUST_LEVELS = tuple(TRUST)

# A listing filter: which fields of a fact it reads and how it matches a folded spelling.
#   eq: the first non-empty field equals it; word: a word of the fields starts with it;
#   bars: one item of a list field is it; units, trust: checked in Python after the query.
# The index keeps one folded column per SQL filter (search.build.filter_cell), named column_of(name).
Filter = namedtuple("Filter", "name fields how help metavar", defaults=("TEXT",))

FILTERS = {f.name: f for f in (
    Filter("name", ("id", "name", "title", "name_vi", "aliases"), "word",
           "Name contains this (folded, aliases: 'IIP' finds the full name)."),
    Filter("region", ("region", "location"), "eq", "Region is this place (any spelling: 'Hanoi', 'ha noi', 'Hà Nội')."),
    Filter("sector", ("sector",), "word", "Sector contains this."),
    Filter("basis", ("basis",), "eq", "Basis: level, yoy, mom, share, contribution, ..."),
    Filter("unit", ("unit",), "units", "Unit is one of these: %, USD, points, count, ... (comma-separated).", "UNITS"),
    Filter("tag", ("tags",), "bars", "Has this tag."),
    Filter("trust", ("trust",), "trust", "How far the figure can be trusted: reported, derived, inferred, doubtful, "
           "draft (comma-separated; 'not-reported' for all but reported).", "TRUST"),
    Filter("country", ("country",), "eq", "Country is this (any spelling: US, USA, United States)."),
    Filter("type", ("type",), "eq", "Type: company, agency, ministry, association, ..."),
    Filter("owner", ("owner",), "word", "Owner id or name starts with this."),
    Filter("location", ("location", "region"), "eq", "Location is this place (new provinces include merged old ones)."),
    Filter("party", ("parties",), "word", "A party's id or name starts with this."),
    Filter("kind", ("kind", "status"), "eq", "Kind: agreement, mou, meeting, ..."),
    Filter("partner", ("partner",), "eq", "Trade or investment partner is this (any spelling: US, Mỹ, Hoa Kỳ)."),
    Filter("product", ("product",), "word", "Product or group measured contains this (coffee, phones, HS 0901)."),
    Filter("qualifier", ("qualifier",), "eq", "How exact the figure is: about, over, under, estimate, target, "
           "forecast, ..."),
)}
SQL_FILTERS = tuple(name for name, f in FILTERS.items() if f.how in ("eq", "word", "bars"))


def column_of(filter_name: str) -> str:
    """The index column a filter matches against."""
    return f"f_{filter_name}"


# What a kind is, once: its plural (the listing command), its filters, the period options its
# listing takes, and its default order (filter names or the index's pstart, pend, id).
Kind = namedtuple("Kind", "name plural filters periods order")

KIND_INFO = {k.name: k for k in (
    Kind("indicator", "indicators", ("name", "region", "sector", "partner", "product", "basis", "unit", "qualifier", "tag",
                       "trust"),
         ("period", "since", "until"), ("name", "region", "pstart", "pend", "id")),
    Kind("company", "companies", ("name", "country", "type", "sector", "location", "tag", "trust"),
         (), ("name", "id")),
    Kind("project", "projects", ("name", "owner", "location", "region", "sector", "tag", "trust"),
         ("since", "until"), ("name", "id")),
    Kind("partnership", "partnerships", ("name", "party", "kind", "tag", "trust"),
         ("period", "since", "until"), ("pstart", "id")),
    Kind("source", "sources", ("name", "tag"), ("period", "since", "until"), ("pstart", "id")),
)}
KINDS = tuple(KIND_INFO)
PLURALS = {k.name: k.plural for k in KIND_INFO.values()}
KIND_OF_PLURAL = {k.plural: k.name for k in KIND_INFO.values()}


def order_sql(kind: str) -> str:
    """The default ORDER BY of a kind's listing."""
    return ", ".join(column_of(t) if t in FILTERS else t for t in KIND_INFO[kind].order)


# type is one of: str, number, date, period, list, investments, people
Field = namedtuple("Field", "name type required help choices default", defaults=(False, "", (), None))


COMMON = (
    Field("id", "str", True, "unique across all kinds; lowercase a-z, 0-9 and '-'"),
    Field("sources", "list", True, "one or more source ids"),
    Field("tags", "list", False, "free keywords"),
    Field("note", "str", False, "remarks in our own words; name conflicts and readings here"),
    Field("trust", "str", False, "reported (printed in the source), derived (computed by the curator: say how in "
          "note), inferred (a period, date or reading the source does not state), doubtful (the sources disagree), "
          "draft (a proposal, not in force)", choices=TRUST_LEVELS,
          default="reported"),
)

# The usual bases; others are allowed but `check` warns, since a typo ("levle")
# would hide a fact from --basis filters.
BASES = ("level", "yoy", "mom", "qoq", "share", "contribution", "growth", "change", "target", "multiple", "rank")

# What an indicator measures, apart from its period: two indicators alike in these fields are one
# series; alike in these and the period, one observation (its vintages).  Every such rule reads this.
MEASURE_FIELDS = ("name", "region", "basis", "unit", "sector", "partner", "product")

QUALIFIERS = ("about", "nearly", "over", "under", "at-least", "up-to", "estimate", "target", "forecast")

SCHEMA: dict[str, tuple[Field, ...]] = {
    "indicator": (
        Field("name", "str", True, 'what is measured, e.g. "Index of Industrial Production"'),
        Field("name_vi", "str", False, "the Vietnamese name"),
        Field("region", "str", False, "a country, province or city", default="Vietnam"),
        Field("period", "period", True, "the period the figure covers"),
        Field("value", "number", True, "the number; money in whole units, e.g. 8_900_000_000"),
        Field("value_max", "number", False, "upper end when the source gives a range (17-18%)"),
        Field("unit", "str", True, "%, pp, points, USD, VND, count, ha, ..."),
        Field("basis", "str", True, "level, yoy, mom, share, contribution, target, ..."),
        Field("qualifier", "str", False, "how exact the figure is", choices=QUALIFIERS),
        Field("sector", "str", False, "the sector or industry measured (FDI by sector, IIP branch, CPI group)"),
        Field("partner", "str", False, "the partner country or bloc of a trade or investment figure "
              "(exports to, imports from, FDI from): United States, China, EU, ASEAN, ..."),
        Field("product", "str", False, "the good or product group measured (phones and parts, coffee, rice); "
              "an HS code in hs_code"),
        Field("hs_code", "str", False, "the HS code of the product, where the source gives one"),
        Field("revises", "str", False, "id of the earlier figure for the same observation that this one revises, "
              "where the sources' dates cannot tell which came later"),
    ),
    "company": (
        Field("name", "str", True, "name as the source gives it"),
        Field("name_vi", "str", False, "the Vietnamese name"),
        Field("aliases", "list", False, "other spellings and abbreviations"),
        Field("type", "str", True, "company, agency, ministry, association, government, ..."),
        Field("country", "str", False, "country of registration or of the government"),
        Field("location", "str", False, "city or province of the head office"),
        Field("sector", "str", False, "main line of business"),
        Field("parent", "str", False, "id of the parent company or organisation"),
        Field("founded", "date", False, "year or date founded"),
        Field("people", "people", False, 'people named in a role: [{ name = "...", role = "..." }]'),
        Field("description", "str", False, "what it is and does, in our own words"),
    ),
    "project": (
        Field("name", "str", True, "name of the project, plant or programme"),
        Field("owner", "str", True, "id of the company that owns it"),
        Field("location", "str", True, "province or city"),
        Field("site", "str", False, "industrial park or exact site"),
        Field("investments", "investments", False, "[{ amount = 60_000_000, currency = \"USD\", date = \"2020\", kind = \"initial\" }]"),
        Field("area_ha", "number", False, "area in hectares"),
        Field("capacity", "str", False, "output capacity, in our own words"),
        Field("status", "str", False, "planned, licensed, operating, expanding, ..."),
        Field("started", "date", False, "when operation started"),
        Field("sector", "str", False, "what it makes or does"),
    ),
    "partnership": (
        Field("name", "str", True, "short name of the agreement or event"),
        Field("parties", "list", True, "company ids, or country / organisation names"),
        Field("kind", "str", True, "agreement, mou, comprehensive-strategic-partnership, meeting, recognition, ..."),
        Field("date", "date", True, "when it was signed or held"),
        Field("location", "str", False, "where it was signed or held"),
        Field("scope", "str", False, "what it covers, in our own words"),
    ),
    "source": (
        Field("publisher", "str", True, "as the document shows it (VNA, Viet Nam News, ...); unknown if not shown"),
        Field("title", "str", True, "the headline"),
        Field("date", "date", False, "publication date, ISO YYYY-MM-DD"),
        Field("url", "str", False, "where it can be read"),
        Field("document", "str", False, "file name of the source document"),
    ),
}

# A compact series ([[series]], docs/schema.md "Compact series"): an indicator's fields written once and its
# points as [period, value] pairs.  It is not a kind: vnecon.load.compact expands it into one ordinary
# indicator per point, with the id "<series id>-<period>", before anything else sees it.
COMPACT_TABLES = ("series",)
SERIES_POINT_FIELDS = ("period", "value")  # what each point gives; every other indicator field is the series'
SERIES_FIELDS: tuple[Field, ...] = (
    Field("id", "str", True, "the series' id; each point's fact is <id>-<period> (2024-q3, 2024-07)"),
    *(f for f in SCHEMA["indicator"] if f.name not in (*SERIES_POINT_FIELDS, "value_max", "revises")),
    *(f for f in COMMON if f.name != "id"),
    Field("points", "points", True, 'the figures: [["2024-01", 123.4], ["2024-02", 125.0], ...]'),
)

INVESTMENT_FIELDS = (
    Field("amount", "number", True, "amount in whole currency units"),
    Field("currency", "str", True, "USD, VND, ..."),
    Field("date", "date", False, "when committed or licensed"),
    Field("kind", "str", False, "initial, additional, share-purchase, ..."),
    Field("note", "str", False, "remarks"),
)

PEOPLE_FIELDS = (
    Field("name", "str", True, "the person's name"),
    Field("role", "str", False, "their role or title"),
)


def fields_for(kind: str) -> tuple[Field, ...]:
    """All fields of a kind, common ones first (sources omitted for sources)."""
    return _FIELDS[kind]


def _fields(kind: str) -> tuple[Field, ...]:
    common = tuple(f for f in COMMON if not (kind == "source" and f.name in ("sources", "trust")))
    return common[:1] + SCHEMA[kind] + common[1:]


_FIELDS = {kind: _fields(kind) for kind in SCHEMA}


def columns_for(kind: str) -> list[str]:
    """Column order for CSV output of one kind (mixed kinds: load.columns.MIXED_COLUMNS)."""
    names = [output_name(kind, f.name) for f in fields_for(kind)]
    return ["id", "kind"] + [n for n in names if n != "id"]


def output_name(kind: str, field_name: str) -> str:
    """A partnership's own `kind` (agreement, mou...) is output as partnership_kind,
    because `kind` in CSV and JSON always names the kind of fact."""
    return "partnership_kind" if kind == "partnership" and field_name == "kind" else field_name


class Fact:
    """One validated fact: its kind, its fields, and where it came from."""

    __slots__ = (
        "_pos",
        "data",
        "id",
        "kind",
        "layer",
        "line",
        "match",
        "path",
        "revised",
        "vintage_date",
        "vintage_level",
    )

    def __init__(self, kind: str, id: str, data: dict, path: str = "", line: int = 0, layer: str = "",
                 pos: object = None) -> None:
        self.kind, self.id, self.data = kind, id, data
        self.path, self.line, self.layer = path, line, layer
        self._pos = pos  # a positions.TablePos: key lines are found only if a problem needs them
        # An indicator read from the index: True when an earlier published value of the same
        # observation differs (see docs/schema.md, "Revisions and vintages"); None: not known.
        self.revised: bool | None = None
        self.vintage_date: str | None = None  # its latest source's date, as the index keeps it
        self.vintage_level: str | None = None  # its place among its observation's vintages (load.resolve)
        self.match: str | None = None  # a search result: 'exact' (what was asked) or 'nearest' (search.answers)

    def copy(self, **data_changes: object) -> Fact:
        """The same fact, every field kept (vintage marks and position included), with these data
        fields changed: the one way a Fact is copied."""
        twin = Fact(self.kind, self.id, {**self.data, **data_changes}, self.path, self.line, self.layer, self._pos)
        twin.revised, twin.vintage_date, twin.vintage_level = self.revised, self.vintage_date, self.vintage_level
        twin.match = self.match
        return twin

    @property
    def key_lines(self) -> dict:
        """key -> (line, col) in the fact's file."""
        return self._pos.keys if self._pos is not None else {}

    def __repr__(self) -> str:
        return f"Fact({self.kind!r}, {self.id!r}, {self.data!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Fact) and (self.kind, self.id, self.data) == (other.kind, other.id, other.data)

    def get(self, key: str, default: object = None) -> object:
        return self.data.get(key, default)

    @property
    def title(self) -> str:
        """The human name of the fact: name, or title for sources."""
        return str(self.data.get("name") or self.data.get("title") or self.id)

    def to_dict(self) -> dict[str, object]:
        """Every field, id and kind first, in schema order."""
        out: dict[str, object] = {"id": self.id, "kind": self.kind}
        for f in fields_for(self.kind):
            if f.name != "id" and f.name in self.data:
                out[output_name(self.kind, f.name)] = self.data[f.name]
        return out


def published(f: Fact, sources: dict[str, Fact]) -> str:
    """When a figure was published: the latest date among its cited sources ('' if none is dated).
    The vintage date of docs/schema.md; the index keeps the same in its vdate column."""
    dates = [str(sources[s].get("date")) for s in f.get("sources", []) or [] if s in sources and sources[s].get("date")]
    return max(dates, default="")
