"""The 2025 provincial mergers as records: which province became part of which, when, citing what.

Read from the loaded ``[[merger]]`` tables (facts/aliases.toml), the same
ones that let a new province's name find facts recorded under its old parts.
Plain functions; no Typer, no Rich.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from vnecon.search.index import Index

from vnecon.core.text import phrase

# One row per old province, in CSV, TSV and JSON; the first cited source named as in listings.
MERGER_COLUMNS = ["old_name", "new_name", "effective", "sources", "source_publisher", "source_title",
                  "source_url", "source_date", "note"]


def merger_rows(index: Index, name: str | None = None) -> list[dict[str, Any]]:
    """Every merger (old name, new name, effective day, sources), by new province then old name;
    ``name``: only those whose old or new province it names (any spelling)."""
    from vnecon.search.aliases import place_aliases

    groups, mergers = index.alias_tables()
    places = place_aliases(groups, mergers)
    wanted = set(places.alternatives(name, with_mergers=False)) if name else None
    rows = []
    for m in mergers:
        old, new = places.display(m["from"]), places.display(m["into"])
        if wanted is not None and not wanted & (set(places.alternatives(old, with_mergers=False))
                                                | set(places.alternatives(new, with_mergers=False))):
            continue
        cited = list(m.get("sources") or [])
        first = next((s for s in (index.get(c) for c in cited) if s is not None), None)
        row = {"old_name": old, "new_name": new, "effective": str(m["effective"]), "sources": cited}
        for col in ("source_publisher", "source_title", "source_url", "source_date"):
            value = first.get(col.removeprefix("source_")) if first is not None else None
            if value is not None:
                row[col] = value
        if m.get("note"):
            row["note"] = m["note"]
        rows.append(row)
    return sorted(rows, key=lambda r: (phrase(r["new_name"]), phrase(r["old_name"])))


def merged_into(index: Index, name: str) -> dict[str, Any] | None:
    """The merger row when ``name`` (any spelling) is a province that merged into another; else None."""
    from vnecon.search.aliases import place_aliases

    key = phrase(name)
    if not key:
        return None
    places = place_aliases(*index.alias_tables())
    return next((row for row in merger_rows(index, name)
                 if key in places.alternatives(row["old_name"], with_mergers=False)), None)
