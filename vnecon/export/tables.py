"""The exported tables: one per kind, typed from the schema, plus facts and citations.

Every format (SQLite, DuckDB, Parquet) writes these same tables and columns;
only the column types are spelled differently.
"""

from __future__ import annotations

from vnecon.load.columns import SOURCE_COMPANIONS, column_type, machine_columns, machine_row
from vnecon.load.model import KINDS, PLURALS, Fact, fields_for, output_name

# Our column types: text, real, day (ISO YYYY-MM-DD), list (of text), json (tables as JSON text).
_TYPES = {"str": "text", "number": "real", "period": "text", "date": "text", "day": "day",
          "list": "list", "people": "json", "investments": "json"}


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
        if c.endswith("_start") or c.endswith("_end"):
            base, _, edge = c.rpartition("_")
            out[c] = f"first day of {base}" if edge == "start" else f"last day of {base}"
    out.update(investment_total="sum of the investments, only where every amount is in one currency",
               investment_currency="the currency of investment_total",
               investment_total_status="how investment_total was made, or why there is none")
    return {c: out.get(c, "") for c, _ in kind_columns(kind)}


FACT_COLUMNS = [("id", "text"), ("kind", "text"), ("name", "text"), ("name_vi", "text"), ("note", "text"),
                ("layer", "text"), ("path", "text"), ("line", "integer")]
LINK_COLUMNS = [("fact_id", "text"), ("source_id", "text"), ("position", "integer")]


class Export:
    """Rows for every table, built once and written by any format."""

    def __init__(self, facts: list[Fact]) -> None:
        by_id: dict[str, Fact] = {}
        for f in facts:
            by_id[f.id] = f  # a later layer's fact replaces an earlier one with the same id
        self.duplicates = len(facts) - len(by_id)
        self.facts = sorted(by_id.values(), key=lambda f: (KINDS.index(f.kind), f.id))
        self.rows: dict[str, list[dict]] = {k: [] for k in KINDS}
        self.fact_rows: list[tuple] = []
        self.links: list[tuple] = []
        self.dangling = 0
        source_ids = {f.id for f in self.facts if f.kind == "source"}
        for f in self.facts:
            self.rows[f.kind].append(machine_row(f))
            self.fact_rows.append((f.id, f.kind, f.title, f.get("name_vi"), f.get("note"), f.layer, f.path, f.line))
            if f.kind == "source":
                continue
            for pos, sid in enumerate(f.get("sources", []) or []):
                if sid in source_ids:
                    self.links.append((f.id, sid, pos))
                else:
                    self.dangling += 1

    def counts(self) -> dict[str, int]:
        return {k: len(v) for k, v in self.rows.items()}
