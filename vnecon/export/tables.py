"""The exported tables: one per kind, typed from the schema, plus facts and citations.

Every format (SQLite, DuckDB, Parquet) writes these same tables and columns;
only the column types are spelled differently.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

from vnecon.load.columns import (
    SOURCE_COMPANIONS,
    column_type,
    machine_columns,
    machine_row,
)
from vnecon.load.model import KINDS, MEASURE_FIELDS, PLURALS, Fact, fields_for, output_name

# Our column types: text, real, day (ISO YYYY-MM-DD), list (of text), json (tables as JSON text).
_TYPES = {"str": "text", "number": "real", "period": "text", "date": "text", "day": "day",
          "list": "list", "people": "json", "investments": "json", "bool": "integer"}


def table_name(kind: str) -> str:
    return PLURALS[kind]


def kind_columns(kind: str) -> list[tuple[str, str]]:
    """(column, type) for a kind's table: every field and companion but 'kind' and the first source's
    (the *_with_source views give those)."""
    return [(c, _TYPES.get(column_type(kind, c), "text")) for c in machine_columns(kind)
            if c != "kind" and c not in SOURCE_COMPANIONS]


def column_help(kind: str) -> dict[str, str]:
    """What each column of a kind's table holds (datasette metadata)."""
    out = {output_name(kind, f.name): f.help for f in fields_for(kind)}
    for c, _ in kind_columns(kind):
        if c.endswith(("_start", "_end")):
            base, _, edge = c.rpartition("_")
            out[c] = f"first day of {base}" if edge == "start" else f"last day of {base}"
    out.update(investment_total="sum of the investments, only where every amount is in one currency",
               investment_currency="the currency of investment_total",
               investment_total_status="how investment_total was made, or why there is none")
    return {c: out.get(c, "") for c, _ in kind_columns(kind)}


FACT_COLUMNS = [("id", "text"), ("kind", "text"), ("name", "text"), ("name_vi", "text"), ("note", "text"),
                ("layer", "text"), ("path", "text"), ("line", "integer"), ("search_text", "text")]


def search_text(f: Fact, aliases=None) -> str:
    """The folded words vnecon searches a fact by, for the export's full-text search.

    Accents and đ folded ('Đồng Văn' -> 'dong van'), every field's words
    but links and files, and each known place in all its spellings ('Hà Nội'
    also as 'hanoi'), so sqlite-utils and datasette find what vnecon finds.
    """
    from vnecon.core.text import phrase

    parts: list[str] = []

    def add(value: object) -> None:
        if isinstance(value, dict):
            for v in value.values():
                add(v)
        elif isinstance(value, list):
            for v in value:
                add(v)
        elif isinstance(value, str) or isinstance(value, (int, float)) and not isinstance(value, bool):
            p = phrase(str(value))
            parts.append(p)
            if aliases is not None and aliases.known(p):
                parts.extend(aliases.alternatives(p, with_mergers=False))

    for key, value in f.data.items():
        if key not in ("sources", "url", "document"):
            add(value)
    parts.append(f.id.replace("-", " "))
    return " ".join(dict.fromkeys(p for p in parts if p))
LINK_COLUMNS = [("fact_id", "text"), ("source_id", "text"), ("position", "integer")]


class Batch:
    """Rows for a few thousand facts, of one or several kinds."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict]] = {k: [] for k in KINDS}
        self.facts: list[tuple] = []
        self.links: list[tuple] = []


class Export:
    """Every live fact of an index, read in batches so a large tree never sits in memory whole.

    The index holds one live fact per id (a later layer's replaces an
    earlier one's); sources come first so citations can point at them.
    """

    def __init__(self, index, batch_size: int = 2000) -> None:
        self.index, self.batch_size = index, batch_size
        self.source_ids = {i for (i,) in index.db.execute(f"SELECT id FROM facts WHERE {index.visible} AND kind = 'source'")}
        self.counts: dict[str, int] = {k: 0 for k in KINDS}
        self.n_links = 0
        self.dangling = 0
        from vnecon.search.aliases import place_aliases

        self.aliases = place_aliases(*index.alias_tables())

    @property
    def n_facts(self) -> int:
        return sum(self.counts.values())

    def batches(self) -> Iterator[Batch]:
        order = " ".join(f"WHEN '{k}' THEN {i}" for i, k in enumerate(("source",) + tuple(k for k in KINDS
                                                                                           if k != "source")))
        cur = self.index.db.execute(
            f"SELECT {self.index.ROW} FROM facts WHERE {self.index.visible} ORDER BY CASE kind {order} END, id")
        seen: set[str] = set()
        while chunk := cur.fetchmany(self.batch_size):
            batch = Batch()
            for row in chunk:
                f: Fact = self.index.fact_from_row(row)
                if f.id in seen:  # never two live facts with one id; kept safe all the same
                    continue
                seen.add(f.id)
                self.counts[f.kind] += 1
                batch.rows[f.kind].append(machine_row(f))
                batch.facts.append((f.id, f.kind, f.title, f.get("name_vi"), f.get("note"), f.layer, f.path, f.line,
                                    search_text(f, self.aliases)))
                if f.kind == "source":
                    continue
                for pos, sid in enumerate(f.get("sources", []) or []):
                    if sid in self.source_ids:
                        batch.links.append((f.id, sid, pos))
                    else:
                        self.dangling += 1
            self.n_links += len(batch.links)
            yield batch


def latest_view_sql() -> str:
    """A view of each indicator's latest vintage: no other row measures the same thing (name,
    region, period, basis, unit, sector) with a later vintage_date.  The indicators table keeps
    every vintage (docs/schema.md, "Revisions and vintages")."""
    same = " AND ".join(f"coalesce(j.{c}, '') = coalesce(i.{c}, '')"
                        for c in ("period", *MEASURE_FIELDS))
    return ("CREATE VIEW indicators_latest AS SELECT * FROM indicators i WHERE NOT EXISTS "
            f"(SELECT 1 FROM indicators j WHERE {same} AND j.vintage_date > i.vintage_date)")
