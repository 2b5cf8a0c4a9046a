"""`vnecon provinces`: the 2025 provincial mergers, a row per old province for machines, a row per
new province for people (table and Markdown)."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TextIO

from vnecon.core.text import one_line, visible

PEOPLE_HEADS = ["Province", "Took in", "Since", "Source"]


def by_new_province(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One record per new province: the old provinces it took in, the day, its sources."""
    out: dict[str, dict[str, Any]] = {}
    for r in rows:
        rec = out.setdefault(r["new_name"], {"new_name": r["new_name"], "old": [], "effective": r["effective"],
                                             "first": r})
        rec["old"].append(r["old_name"])
    return list(out.values())


def _source(r: dict[str, Any], markdown: bool) -> str:
    from vnecon.output.render import _markdown_escape

    publisher = str(r.get("source_publisher") or (r["sources"][0] if r["sources"] else ""))
    date = str(r.get("source_date") or "")
    if markdown:
        publisher = _markdown_escape(publisher).replace("[", "\\[").replace("]", "\\]")
        if r.get("source_url"):
            publisher = f"[{publisher}](<{r['source_url']}>)"
        return f"{publisher} {_markdown_escape(date)}".strip()
    return f"{publisher} {date}".strip()


def write_provinces(rows: list[dict[str, Any]], cols: list[str], fmt: str, out: TextIO, color: bool | None = None,
                    bom: bool = False, safe: bool = False) -> None:
    """The mergers in one of the listing formats: ``cols`` of each row (one per old province) in
    CSV, TSV and JSON; a row per new province in a table or Markdown."""
    from vnecon.output.render import _markdown_escape, markdown_table

    if fmt in ("csv", "tsv", "json", "jsonl"):
        from vnecon.output.series import write_rows

        write_rows(rows, cols, out, fmt, bom, safe)
        return
    groups = by_new_province(rows)
    if fmt == "markdown":
        out.write(markdown_table(PEOPLE_HEADS, [[_markdown_escape(g["new_name"]),
                                                 _markdown_escape(", ".join(g["old"])),
                                                 _markdown_escape(g["effective"]), _source(g["first"], True)]
                                                for g in groups]))
        return
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from vnecon.output.render import make_console

    console = make_console(out, color)
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False, show_edge=False)
    table.add_column("Province", no_wrap=True, style="bold")
    table.add_column("Took in", overflow="fold")
    table.add_column("Since", no_wrap=True)
    table.add_column("Source", overflow="fold")
    for g in groups:
        table.add_row(*(Text(visible(one_line(c))) for c in (g["new_name"], ", ".join(g["old"]), g["effective"],
                                                             _source(g["first"], False))))
    console.print(table)
