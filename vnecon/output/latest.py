"""Tables for people of `vnecon latest` and `vnecon calendar` (machines get rows: output/series.write_rows).

Rich is imported only to draw.  Values, periods and dates are never cut; the
names and sources wrap.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TextIO

from vnecon.core.text import visible
from vnecon.output.render import human_value, legend_lines, make_console

_GAP = 3  # between two columns of a SIMPLE_HEAD table
_FIRST = ("Value", "Previous", "Status", "Period", "Date", "Series", "Released", "Release")


def _widths(heads: list[tuple[str, str]], rows: list[list[str]], width: int) -> list[int] | None:
    """Column widths that cut nothing: each column as wide as its longest line, except the wrap
    columns, which share what is left (each at least as wide as its longest word); None when even
    that does not fit."""
    need = [max([len(h)] + [max((len(x) for x in r[i].split("\n")), default=0) for r in rows])
            for i, (h, _) in enumerate(heads)]
    floor = [max([len(h)] + [len(w) for r in rows for w in r[i].split()]) if how == "wrap" else need[i]
             for i, (h, how) in enumerate(heads)]
    room = width - _GAP * (len(heads) - 1)
    if sum(floor) > room:
        return None
    out = list(need)
    spare = room - sum(floor)
    wraps = [i for i, (_, how) in enumerate(heads) if how == "wrap"]
    for i in wraps:
        out[i] = floor[i]
    # Figures first, then periods and dates, then names; sources take what is left.
    for i in sorted(wraps, key=lambda i: _FIRST.index(heads[i][0]) if heads[i][0] in _FIRST else len(_FIRST)):
        give = min(need[i] - floor[i], spare)
        out[i] += give
        spare -= give
    return out


def _draw(console: Any, heads: list[tuple[str, str]], rows: list[list[str]], ascii: bool = False,
          styles: dict | None = None) -> None:
    """A SIMPLE_HEAD table of text rows (heads: (name, how), how one of wrap, keep, right); a cell's
    second line (after a newline) is dim, or cyan in the first column (the id).  On a terminal too
    narrow for it, each row becomes a block of lines."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    widths = _widths(heads, rows, console.width)
    if widths is None:
        for n, r in enumerate(rows):
            if n:
                console.print()
            for (h, _), c in zip(heads, r):
                if c:
                    console.print(Text(f"{h}: " + visible(c.replace("\n", " "))), overflow="fold")
        return
    table = Table(box=box.ASCII if ascii else box.SIMPLE_HEAD, header_style="bold", pad_edge=False, show_edge=False)
    for (name, how), w in zip(heads, widths):
        table.add_column(name, justify="right" if how == "right" else "left", no_wrap=how != "wrap", width=w)
    for r in rows:
        cells = []
        for i, c in enumerate(r):
            first, _, under = c.partition("\n")
            t = Text(visible(first), style=(styles or {}).get(first, "bold" if heads[i][0] == "Value" else ""))
            if under:
                t.append("\n" + visible(under), style="cyan" if i == 0 else "dim")
            cells.append(t)
        table.add_row(*cells)
    console.print(table)


def write_latest_table(rows: list[Any], out: TextIO, sources: dict[str, Any], color: bool | None = None,
                       width: int | None = None, ascii: bool = False) -> None:
    """A row per headline figure: the series (its fact id under it, where the terminal has room), the
    period, the value, the previous figure (its period under it), the change, and the day it was
    published (the source under it); a legend for the marks."""
    from vnecon.output.markers import fact_legend, fact_marker
    from vnecon.output.series import human_change

    console = make_console(out, color, width)
    heads = [("Series", "wrap"), ("Period", "wrap"), ("Value", "wrap"), ("Previous", "wrap"), ("Change", "right"),
             ("Released", "wrap")]
    cells = []
    for r in rows:
        f, p = r.fact, r.previous
        mark = fact_marker(f)
        publishers = "; ".join(dict.fromkeys(str(sources[s].get("publisher") or s) for s in f.get("sources", [])
                                             if s in sources))
        cells.append([f"{r.headline['label']}\n{f.id}", str(f.get("period")).replace("/", "/ "),
                      human_value(f) + (f" {mark}" if mark else ""),
                      f"{human_value(p)}\n{p.get('period')}" if p is not None else "",
                      human_change(r.change) if r.change is not None else "",
                      f"{f.vintage_date or ''}\n{publishers}"])
    if _widths(heads, cells, console.width) is None:  # no room for the ids: the rest still fits on a screen
        cells = [[c[0].split("\n")[0], *c[1:]] for c in cells]
    _draw(console, heads, cells, ascii)
    for line in legend_lines(fact_legend(r.fact for r in rows), console.width):
        console.print(line, no_wrap=True, overflow="ignore", crop=False)


def write_calendar_table(dues: list[Any], out: TextIO, color: bool | None = None, width: int | None = None,
                         ascii: bool = False) -> None:
    """A row per release of a headline series: day, series, period, whether the data has it, the release
    and the rule that sets its day."""
    from vnecon.load.schedule import rule_text

    console = make_console(out, color, width)
    heads = [("Date", "wrap"), ("Release", "wrap"), ("Period", "wrap"), ("Series", "wrap"), ("Status", "wrap")]
    cells = []
    last = None
    for d in dues:
        group = (d.day, d.rule["id"], d.period)
        first = group != last  # one release, several series: its date, name and rule once
        last = group
        cells.append([d.day.isoformat() + (f"\n{d.rule['time']} UTC" if d.rule.get("time") else "") if first else "",
                      f"{d.rule['name']}\n{rule_text(d.rule)}" if first else "",
                      d.period.replace("/", "/ ") if first else "", d.headline["label"], d.status])
    _draw(console, heads, cells, ascii, {"not in the data": "bold"})
