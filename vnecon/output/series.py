"""Series output: a block per series for people, long or wide rows for machines.

Rich is imported only to draw the table; CSV and JSON carry fact text as is.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs ~5 ms at start-up; annotations are strings anyway
if TYPE_CHECKING:
    from typing import Any, TextIO


import json

from vnecon.core.text import has_control, one_line, visible
from vnecon.load.model import Fact
from vnecon.output.render import (
    _cell,
    _markdown_escape,
    _safe_cell,
    _tsv,
    human_number,
    human_value,
    make_console,
    source_label,
)

BARS = "▁▂▃▄▅▆▇█"
ASCII_BARS = "_.-=+*#@"


def sparkline(values: list[float], ascii: bool = False) -> str:
    """▁▃▆█ for the values, lowest to highest; '' below 3 points."""
    nums = [v for v in values if isinstance(v, (int, float))]
    if len(nums) < 3:
        return ""
    bars = ASCII_BARS if ascii else BARS
    lo, hi = min(nums), max(nums)
    if hi == lo:
        return bars[len(bars) // 2] * len(nums)
    return "".join(bars[round((v - lo) / (hi - lo) * (len(bars) - 1))] for v in nums)


def human_change(ch: Any) -> str:
    """+0.3 pp, -2.7 pts, +21%, +1; or the reason there is none, in brackets."""
    if ch is None:
        return ""
    if ch.amount is None:
        return f"({ch.why})"
    a = round(ch.amount, 1 if ch.kind in ("rel", "pp", "pts") else 3)
    if ch.kind == "diff":  # ranks: a higher number is a lower place
        return "same" if a == 0 else f"{'down' if a > 0 else 'up'} {human_number(abs(float(a)))}"
    sign = "+" if a > 0 else ""
    text = f"{sign}{human_number(float(a))}"
    return {"pp": text + " pp", "pts": text + " pts", "rel": text + "%"}.get(ch.kind, text)


def status_mark(f: Fact) -> str:
    """The listings' marks for a point not plainly reported, or revised ('' when neither)."""
    from vnecon.output.markers import fact_marker

    return fact_marker(f)


def header(s: Any, ascii: bool = False) -> str:
    """'Export turnover · Hà Nội · USD, level · 3 points  ▁▄█'."""
    first = s.facts[0] if s.facts else None
    parts = [str(first.get(k) or "") for k in ("sector", "product", "partner")] if first is not None else [s.sector]
    parts = [p for p in parts if p and p.lower() not in s.name.lower()]
    what = s.name + (f" ({', '.join(parts)})" if parts else "")  # coffee's line and the phones' told apart
    n = len(s)
    dot = " - " if ascii else " · "
    line = dot.join([what, s.region, f"{s.unit or 'no unit'}, {s.basis}", f"{n} point{'s' if n != 1 else ''}"])
    spark = sparkline([f.get("value") for f in s.facts], ascii)
    return line + (f"  {spark}" if spark else "")


def block_rows(s: Any, sources: dict[str, Fact]) -> list[list[str]]:
    rows = []
    for f, ch in s.points():
        mark = status_mark(f)
        rows.append([str(f.get("period")), human_value(f) + (f" {mark}" if mark else ""), human_change(ch),
                     source_label(f, sources), f.id])
    return rows


def write_series_table(series: list[Any], out: TextIO, sources: dict[str, Fact], color: bool | None = None,
                       width: int | None = None, ascii: bool = False) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    console = make_console(out, color, width)
    blocks = [block_rows(s, sources) for s in series]
    # Values, periods and ids are never cut: the source wraps, the id moves under it when
    # the two would not fit side by side, and below that each point takes a few lines.  One
    # layout for every block, from all their rows: the columns line up from block to block.
    layout = _layout([r for rows in blocks for r in rows], console.width)
    for i, (s, rows) in enumerate(zip(series, blocks)):
        if i:
            console.print()
        console.print(Text(visible(header(s, ascii)), style="bold"))
        if layout is None:
            _write_points(console, rows)
            continue
        narrow, (period_w, value_w, change_w, source_w, id_w) = layout
        table = Table(box=box.ASCII if ascii else box.SIMPLE_HEAD, header_style="bold", pad_edge=False,
                      show_edge=False)
        table.add_column("Period", no_wrap=True, width=period_w)
        table.add_column("Value", justify="right", no_wrap=True, style="bold", width=value_w)
        table.add_column("Change", justify="right", no_wrap=True, width=change_w)
        table.add_column("Source", overflow="fold", width=source_w)
        if not narrow:
            table.add_column("ID", no_wrap=True, style="cyan", width=id_w)
        for period, value, ch, src, fid in rows:
            cells = [Text(visible(c)) for c in (period, value, ch, src.replace("\n", " "))]
            if narrow:  # the id under the source
                cells[3].append("\n" + visible(fid), style="cyan")
            else:
                cells.append(Text(visible(fid)))
            table.add_row(*cells)
        console.print(table)
    from vnecon.output.markers import fact_legend
    from vnecon.output.render import legend_lines

    for line in legend_lines(fact_legend(f for s in series for f in s.facts), console.width):
        console.print(Text(line), no_wrap=True, overflow="ignore", crop=False)


_HEADS = ("Period", "Value", "Change", "Source", "ID")
_GAP = 3  # between two columns of a SIMPLE_HEAD table: padding, the blank divider, padding


def _layout(rows: list[list[str]], width: int) -> tuple[bool, list[int]] | None:
    """Column widths that never cut a period, value, change or id: the id beside the source,
    else under it (narrow), else None (a point per line).  Only the source wraps."""
    need = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(_HEADS)]
    for narrow in (False, True):
        fixed = need[0] + need[1] + need[2] + (0 if narrow else need[4])
        gaps = _GAP * (3 if narrow else 4)
        floor = max(need[4], len("Source")) if narrow else 10  # the id sits under the source when narrow
        room = width - fixed - gaps
        if room >= floor:
            return narrow, [need[0], need[1], need[2], min(max(need[3], floor), room), need[4]]
    return None


def _write_points(console, rows: list[list[str]]) -> None:
    """Very narrow terminals: a point per line (period, value, change), its source and id under it."""
    from rich.text import Text

    pw = max(len(r[0]) for r in rows)
    vw = max(len(r[1]) for r in rows)
    for period, value, ch, src, fid in rows:
        if pw + 2 + vw > console.width:  # the widest period and value do not fit side by side: a line each
            console.print(Text(visible(period)), no_wrap=True, overflow="ignore", crop=False)
            line = Text("  ")
            line.append(visible(value), style="bold")
        else:
            line = Text(visible(period.ljust(pw)) + "  ")
            line.append(visible(value.rjust(vw)), style="bold")
        if ch and line.cell_len + 2 + len(ch) <= console.width:
            line.append("  " + visible(ch))
            ch = ""
        console.print(line, no_wrap=True, overflow="ignore", crop=False)
        if ch:  # a change such as "(year vs half-year)" gets a line rather than break in two
            console.print(Text("  " + visible(ch)))
        console.print(Text("  " + visible(src.replace("\n", " ")), style="dim"))
        # The id on a line of its own, never folded: an id longer than the terminal runs past
        # the edge rather than break where a copy would pick up half of it.
        console.print(Text("  " + visible(fid), style="cyan"), no_wrap=True, overflow="ignore", crop=False)


def write_rows(rows: list[dict[str, Any]], cols: list[str], out: TextIO, fmt: str, bom: bool = False,
               safe: bool = False) -> None:
    """Plain rows in csv, tsv, json or jsonl; absent values are empty cells, or left out of JSON."""
    if fmt in ("json", "jsonl"):
        objs = [{c: r[c] for c in cols if r.get(c) is not None} for r in rows]
        if fmt == "jsonl":
            out.writelines(json.dumps(o, ensure_ascii=False, allow_nan=False) + "\n" for o in objs)
        else:
            out.write(json.dumps(objs, ensure_ascii=False, allow_nan=False, indent=2) + "\n")
        return
    if bom:
        out.write("\ufeff")
    cell = _safe_cell if safe else _cell
    if fmt == "tsv":
        out.write("\t".join(cols) + "\n")
        out.writelines("\t".join(_tsv(cell(r.get(c))) for c in cols) + "\n" for r in rows)
        return
    if fmt == "markdown":
        out.write("| " + " | ".join(cols) + " |\n|" + "|".join("---" for _ in cols) + "|\n")
        out.writelines("| " + " | ".join(_markdown_escape(cell(r.get(c))) for c in cols) + " |\n" for r in rows)
        return
    # csv.writer itself, without the csv module (see render.write_delimited)
    from _csv import writer

    w = writer(out, lineterminator="\n")
    w.writerow(cols)
    for r in rows:
        w.writerow([cell(r.get(c)) for c in cols])


def write_field_table(rows: list[dict[str, Any]], cols: list[str], out: TextIO, color: bool | None = None,
                      width: int | None = None) -> None:
    """--fields on a terminal: the chosen raw columns as a table (values as in CSV)."""
    from rich.text import Text

    from vnecon.output.render import field_table

    cells = [[one_line(_cell(r.get(c))) for c in cols] for r in rows]
    table, console = field_table(cols, cells, out, color, width)
    for row in cells:
        table.add_row(*(Text(visible(c)) for c in row))
    console.print(table)


def _title(r: dict[str, Any]) -> str:
    return f"{r['measure']} · {r['region']} · {r['unit']}, {r['basis']}"


def write_series_markdown(series: list[Any], out: TextIO, sources: dict[str, Fact]) -> None:
    """series --format markdown: what the terminal shows, to paste: a bold title per series, then
    its points (period, value with unit, change, source linked to its page, id)."""
    from vnecon.output.markers import fact_legend
    from vnecon.output.render import legend_lines, markdown_sources, markdown_table

    for i, s in enumerate(one_line_series(x) for x in series):
        rows = [[_markdown_escape(c) for c in (period, value, ch)] + [markdown_sources(f, sources),
                                                                      _markdown_escape(fid)]
                for (period, value, ch, _src, fid), (f, _) in zip(block_rows(s, sources), s.points())]
        out.write(("\n" if i else "") + f"**{_markdown_escape(header(s).split('  ')[0])}**\n\n")
        out.write(markdown_table(list(_HEADS), rows))
    legend = legend_lines(fact_legend(f for s in series for f in s.facts), None)
    if legend:
        out.write("\n" + "".join(line + "\n" for line in legend))


def write_vintage_markdown(rows: list[dict[str, Any]], out: TextIO) -> None:
    """series --vintages --format markdown: per series, first published against latest."""
    from vnecon.output.render import markdown_table

    done: list[str] = []
    for r in rows:
        if r["series_id"] in done:
            continue
        done.append(r["series_id"])
        mine = [x for x in rows if x["series_id"] == r["series_id"]]
        cells = [[_markdown_escape(c) for c in vintage_cells(x)] for x in mine]
        out.write(("\n" if len(done) > 1 else "") + f"**{_markdown_escape(_title(r))}**\n\n")
        out.write(markdown_table(["Period", "First published", "Latest", "Revision"], cells))


def vintage_cells(r: dict[str, Any]) -> list[str]:
    """Period, first published (value and day), latest (when revised) and the revision, for people."""
    def shown(value: Any, day: Any) -> str:
        v = human_value(Fact("indicator", "", {"value": value, "unit": r["unit"], "basis": r["basis"]}))
        return f"{v} ({day or 'undated'})"

    revision = "" if r["revision"] is None else f"{r['revision']:+.4g} {r['revision_unit'] or ''}".strip()
    latest = shown(r["latest"], r["latest_date"]) if r["vintages"] > 1 else ""
    return [one_line(str(r["period"])), one_line(shown(r["first"], r["first_date"])), one_line(latest), revision]


def write_wide_markdown(periods: list[str], rows: list[dict[str, Any]], out: TextIO) -> None:
    """series --wide --format markdown: a row per series and period length, values with units."""
    from vnecon.output.render import markdown_table, one_line_rows

    cells = []
    for r in one_line_rows(rows):
        values = ["" if r.get(p) is None else human_value(Fact("indicator", "", {
            "value": r[p], "unit": r["unit"], "basis": r["basis"]})) for p in periods]
        cells.append([_markdown_escape(c) for c in (_title(r), r["length"], *values)])
    out.write(markdown_table(["Series", "Length", *map(_markdown_escape, periods)], cells))


def render_series(series: list[Any], fmt: str, out: TextIO, sources: dict[str, Fact] | None = None,
                  color: bool | None = None, width: int | None = None, ascii: bool = False) -> None:
    """A block per series, for people."""
    write_series_table([one_line_series(s) for s in series], out, sources or {}, color, width, ascii)


def one_line_series(s: Any) -> Any:
    """A series as people see it: its facts with every text field on one line (render.on_one_line)."""
    import copy

    from vnecon.output.render import on_one_line

    facts = [on_one_line(f) for f in s.facts]
    if all(a is b for a, b in zip(facts, s.facts)) and not (s._region and has_control(s._region)):
        return s
    shown = copy.copy(s)  # the same id, key and order; only what is shown changes
    shown.facts = facts
    shown._region = one_line(s._region) if s._region else None
    return shown


def write_wide_table(periods: list[str], rows: list[dict[str, Any]], out: TextIO, color: bool | None = None,
                     width: int | None = None, ascii: bool = False) -> None:
    """The wide pivot for people: one row per series and period length, one column per period."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from vnecon.output.render import one_line_rows

    rows = one_line_rows(rows)  # no field can print a line of its own

    console = make_console(out, color, width)
    table = Table(box=box.ASCII if ascii else box.SIMPLE_HEAD, header_style="bold", pad_edge=False, show_edge=False)
    table.add_column("Series", overflow="fold", min_width=16)
    table.add_column("Length", no_wrap=True)
    for p in periods:
        table.add_column(p, justify="right", no_wrap=True)
    for r in rows:
        cells = []
        for p in periods:
            v = r.get(p)
            cells.append("" if v is None else human_value(Fact("indicator", "", {"value": v, "unit": r["unit"],
                                                                                    "basis": r["basis"]})))
        name = f"{r['measure']} · {r['region']} · {r['unit']}, {r['basis']}"
        table.add_row(Text(visible(name)), r["length"], *(Text(visible(c)) for c in cells))
    console.print(table)


def write_vintage_table(rows: list[dict[str, Any]], out: TextIO, color: bool | None = None,
                        width: int | None = None, ascii: bool = False) -> None:
    """series --vintages for people: per period, the first and the latest published value."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    console = make_console(out, color, width)
    current = None
    table = None
    for r in rows + [None]:
        key = None if r is None else r["series_id"]
        if key != current and table is not None:
            console.print(table)
        if r is None:
            break
        if key != current:
            if current is not None:
                console.print()
            current = key
            console.print(Text(visible(f"{r['measure']} · {r['region']} · {r['unit']}, {r['basis']}"), style="bold"))
            table = Table(box=box.ASCII if ascii else box.SIMPLE_HEAD, header_style="bold", pad_edge=False,
                          show_edge=False)
            for head in ("Period", "First published", "Latest", "Revision"):
                table.add_column(head, justify="left" if head == "Period" else "right", no_wrap=head != "Latest")

        table.add_row(*(Text(visible(c)) for c in vintage_cells(r)))


def write_comparison(cmp: Any, out: TextIO, sources: dict[str, Fact], width: int = 80) -> None:
    """Two figures with their sources, then the difference (cmp: a vnecon.search.compare.Comparison)."""
    from vnecon.output.render import on_one_line

    a, b = on_one_line(cmp.a), on_one_line(cmp.b)  # no field can print a line of its own (a fake B row)
    unit = one_line(cmp.unit)
    title = a.title if a.title == b.title else f"{a.title} / {b.title}"
    basis = {"yoy": "y/y", "mom": "m/m", "level": ""}.get(str(a.get("basis")), str(a.get("basis")))
    import textwrap

    heading = title + (f" ({basis})" if basis else "")
    out.write(visible("\n".join(textwrap.wrap(heading, max(width, 20), break_long_words=False)) or heading) + "\n")
    rows = [[label, str(f.get("period")), str(f.get("region") or "Vietnam"), human_value(f),
             source_label(f, sources), f.id] for label, f in (("A", a), ("B", b))]
    widths = [max(len(r[i]) for r in rows) for i in range(6)]
    room = width
    lines = []
    for r in rows:
        cells = [r[0], r[1].ljust(widths[1]), r[2].ljust(widths[2]), r[3].rjust(widths[3]),
                 r[4].replace("\n", " ").ljust(widths[4]), r[5]]
        lines.append((cells, "  " + "  ".join(cells).rstrip()))
    single = all(len(line) <= room for _, line in lines)  # A and B in the same layout, always
    for r, (cells, line) in zip(rows, lines):
        if single:
            out.write(visible(line) + "\n")
        else:  # narrow: the figure on one line, its source and id under it, never broken mid-word
            out.write(visible("  " + "  ".join(cells[:4]).rstrip()) + "\n")
            out.write(visible("     " + r[4].replace("\n", " ")) + "\n")
            out.write(visible("     " + r[5]) + "\n")
    d = round(cmp.difference, 3)
    sign = "+" if d > 0 else ""
    if unit in ("pp", "points"):
        diff = f"{sign}{human_number(float(d))} {'pts' if unit == 'points' else 'pp'}"
    elif unit == "rank":  # a higher number is a lower place
        n = human_number(abs(float(d)))
        diff = "same place" if d == 0 else f"{'down' if d > 0 else 'up'} {n} place{'s' * (abs(d) != 1)}"
    else:
        fake = Fact("indicator", "", {"value": abs(cmp.difference), "unit": unit, "basis": "level"})
        diff = ("-" if d < 0 else "+" if d > 0 else "") + human_value(fake)
    why = getattr(cmp, "relative_why", None)
    rel = (f"; relative change undefined ({why})" if why else "" if cmp.relative is None else
           f"; relative {'+' if cmp.relative > 0 else ''}{human_number(round(cmp.relative, 1))}%")
    about = getattr(cmp, "approx", None)
    if about:  # "nearly US$2 bn" against "US$2.4 bn": the difference is no more exact than its parts
        diff = f"{about} {diff}"
        rel = rel if why else rel.replace("; relative ", f"; relative {about} ")
    line = f"  B - A: {diff}{rel}"
    if rel and len(line) > width:  # narrow: the relative change on a line of its own
        line = f"  B - A: {diff}\n         {rel[2:]}"
    out.write(visible(line) + "\n")
    if getattr(cmp, "measures", None):
        out.write(one_line(f"  note: {cmp.measures}") + "\n")
