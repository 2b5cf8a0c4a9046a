"""One output path for every listing: table, csv, tsv, json, jsonl, markdown.

Only ``table`` and ``show`` import Rich, inside the function that draws.
CSV and JSON carry fact text byte-for-byte; tables make control characters
visible and never read fact text as markup.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs ~5 ms at start-up; annotations are strings anyway
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TextIO

import json
from collections import namedtuple

from vnecon.core.text import has_control, one_line, phrase, visible
from vnecon.load.columns import MIXED_COLUMNS, machine_columns, machine_row  # noqa: F401 - MIXED_COLUMNS re-exported
from vnecon.load.model import FORMATS, Fact  # noqa: F401 - FORMATS is re-exported for the CLI

# ---- cells for machines ---------------------------------------------------


def cell(value: Any) -> str:
    """A raw CSV cell: numbers as typed; lists and tables as JSON text, so json.loads reads them back."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))  # 8.9e9 written as a float in TOML is still 8900000000
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    return str(value)


def _one_line_value(v: Any) -> Any:
    if isinstance(v, str):
        return one_line(v) if has_control(v) else v
    if isinstance(v, list):
        return [_one_line_value(x) for x in v]
    if isinstance(v, dict):
        return {k: _one_line_value(x) for k, x in v.items()}
    return v


def on_one_line(fact: Fact) -> Fact:
    """The fact as people see it (tables, show, series, compare, Markdown): every text field on
    one line, a newline shown as \\x0a, so no name, unit or note can print a line of its own
    (a fake id under a value, a fake Sources section).  CSV and JSON keep the data as it is."""
    data = _one_line_value(fact.data)
    if data == fact.data:
        return fact
    return fact.copy(**data)


def one_line_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of plain values (series' wide table) with every text on one line, as on_one_line."""
    return [{k: _one_line_value(v) for k, v in r.items()} for r in rows]


def cell_item(v: Any) -> str:
    """One item of a list for people (vnecon show): a table as 'k=v' pairs."""
    if isinstance(v, dict):
        return " ".join(f"{k}={v[k]}" for k in v)
    return str(v)


def columns(kind: str | None) -> tuple[list[str], bool]:
    """The columns of one kind, or the mixed set: fixed by the command, never by the results."""
    return machine_columns(kind), kind is None


def _tsv(text: str) -> str:
    """TSV cannot quote: tabs, newlines and backslashes are escaped (\\t, \\n, \\\\)."""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(text: str) -> str:
    """A cell a spreadsheet will not run: ' before = + - @ (and tab, CR) unless the cell is a number."""
    if text.startswith(_FORMULA_START):
        try:
            float(text)
        except ValueError:
            return "'" + text
    return text


def _cell(value: Any) -> str:
    return cell(value)


def _safe_cell(value: Any) -> str:
    return formula_safe(cell(value))


def write_delimited(facts: list[Fact], out: TextIO, kind: str | None, delimiter: str, bom: bool = False,
                    sources: dict[str, Fact] | None = None, fields: list[str] | None = None,
                    safe: bool = False) -> None:
    """Raw cells by default, so the data round-trips; ``safe`` defuses spreadsheet formulas."""
    cols, mixed = columns(kind)
    cols = fields or cols
    cell = _safe_cell if safe else _cell
    if bom:
        out.write("\ufeff")
    rows = (machine_row(f, sources or {}, mixed) for f in facts)
    if delimiter == "\t":
        out.write("\t".join(cols) + "\n")
        out.writelines("\t".join(_tsv(cell(r.get(c))) for c in cols) + "\n" for r in rows)
        return
    # csv.writer is _csv.writer, and its defaults are the excel dialect's: the csv module itself
    # (readers, DictWriter, Sniffer: ~0.3 ms to import) is not needed to write.
    from _csv import QUOTE_MINIMAL, writer

    w = writer(out, lineterminator="\n", quoting=QUOTE_MINIMAL)
    w.writerow(cols)
    for r in rows:
        w.writerow([cell(r.get(c)) for c in cols])


def write_json(facts: list[Fact], out: TextIO, lines: bool, sources: dict[str, Fact] | None = None,
               fields: list[str] | None = None, mixed: bool = False) -> None:
    """Objects with every field the fact sets and its companions; with fields, only those (absent stays absent)."""
    def obj(f: Fact) -> dict:
        r = machine_row(f, sources or {}, mixed and fields is not None)
        return {c: r[c] for c in fields if c in r} if fields else r

    if lines:
        out.writelines(json.dumps(obj(f), ensure_ascii=False, allow_nan=False) + "\n" for f in facts)
        return
    out.write(json.dumps([obj(f) for f in facts], ensure_ascii=False, allow_nan=False, indent=2) + "\n")


# ---- cells for people -----------------------------------------------------


def human_number(value: float) -> str:
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.3f}".rstrip("0").rstrip(".")
    return f"{int(value):,}"


def _scaled(value: float) -> str:
    for size, suffix in ((1e12, "tn"), (1e9, "bn"), (1e6, "mn")):
        if abs(value) >= size:
            return f"{value / size:,.3f}".rstrip("0").rstrip(".") + f" {suffix}"
    return human_number(value)


SIGNED_BASES = {"yoy", "mom", "qoq", "growth", "change", "contribution"}
QUALIFIER_WORDS = {"about": "about ", "nearly": "nearly ", "over": "over ", "under": "under ",
                   "at-least": "at least ", "up-to": "up to ", "estimate": "est. ",
                   "target": "target ", "forecast": "forecast "}


def human_value(fact: Fact) -> str:
    """54.7 pts, +11.2%, US$8.9 bn, 1,165 count, 17-18%."""
    value = fact.get("value")
    if value is None:
        return ""
    unit = fact.get("unit", "")
    basis = fact.get("basis", "")
    hi = fact.get("value_max")
    sign = "+" if basis in SIGNED_BASES and value > 0 and hi is None else ""
    if unit in ("USD", "US$"):
        text = f"US${_scaled(value)}" + (f"-{_scaled(hi)}" if hi is not None else "")
    elif unit == "%":
        text = f"{sign}{human_number(value)}" + (f"-{human_number(hi)}" if hi is not None else "") + "%"
    elif unit == "pp":
        text = f"{sign}{human_number(value)}" + (f"-{human_number(hi)}" if hi is not None else "") + " pp"
    elif unit == "points":
        text = human_number(value) + (f"-{human_number(hi)}" if hi is not None else "") + " pts"
    elif unit == "rank":  # "No. 2", not "2 rank"
        text = "No. " + human_number(value) + (f"-{human_number(hi)}" if hi is not None else "")
    elif unit in ("count", ""):
        text = human_number(value) + (f"-{human_number(hi)}" if hi is not None else "")
    elif len(unit) == 3 and unit.isupper():  # other currencies
        text = _scaled(value) + (f"-{_scaled(hi)}" if hi is not None else "") + f" {unit}"
    else:
        text = f"{sign}{human_number(value)}" + (f"-{human_number(hi)}" if hi is not None else "") + f" {unit}"
    return QUALIFIER_WORDS.get(fact.get("qualifier", ""), "") + text


def source_label(fact: Fact, sources: dict[str, Fact], sep: str = " ") -> str:
    labels = []
    for sid in fact.get("sources", []) if fact.kind != "source" else []:
        s = sources.get(sid)
        labels.append(f"{s.get('publisher', '')}{sep}{s.get('date', '')}".strip() if s else sid)
    return "; ".join(labels)


def _when(fact: Fact) -> str:
    return str(fact.get("period") or fact.get("date") or fact.get("started") or fact.get("founded") or "")


def _place(fact: Fact) -> str:
    return str(fact.get("region") or fact.get("location") or fact.get("country") or "")


def _what(fact: Fact, mixed: bool = False) -> str:
    if fact.kind == "indicator":
        # The breakdown (a sector, a product, a partner) unless the name says it already: "PMI
        # (manufacturing)" needs no second "(manufacturing)"; "Export turnover (coffee)" tells the
        # coffee figure from the total.
        breakdown = [x for x in (fact.get(k) for k in ("sector", "product", "partner"))
                     if x and phrase(x) not in phrase(fact.title)]
        basis = {"yoy": "y/y", "mom": "m/m", "level": ""}.get(fact.get("basis"), fact.get("basis"))
        extra = [x for x in (*breakdown, basis) if x]
        return fact.title + (f" ({', '.join(extra)})" if extra else "")
    if mixed and fact.kind == "project":
        return f"{fact.title} (project)"
    if fact.kind == "company":
        return fact.title if fact.get("type") == "company" else f"{fact.title} ({fact.get('type')})"
    if fact.kind == "partnership":
        return f"{fact.title} ({fact.get('kind')})"
    if fact.kind == "source":
        return f"{fact.title} ({fact.get('publisher')})"
    return fact.title


def _detail(fact: Fact) -> str:
    if fact.kind == "indicator":
        return human_value(fact)
    if fact.kind == "project":
        # The amounts as given, never a sum that looks printed (US$60 mn in 2020 plus US$30 mn
        # in 2025 is not "US$90 mn"); CSV has investment_total, marked as a sum.
        return " + ".join(_amount(i) for i in fact.get("investments", []) if i.get("amount") is not None)
    if fact.kind == "partnership":
        return ", ".join(fact.get("parties", []))
    if fact.kind == "company":
        return str(fact.get("sector") or "")
    return ""


def _amount(inv: dict) -> str:
    cur, amount = inv.get("currency", ""), inv["amount"]
    text = f"US${_scaled(amount)}" if cur in ("USD", "US$") else f"{_scaled(amount)} {cur}".strip()
    return text + (f" ({str(inv['date'])[:4]})" if inv.get("date") else "")


def short_list(names: list[str], room: int = 32) -> str:
    """'Intel, Amkor, Marvell +2 more': as many names as fit in about ``room`` cells, at least one.

    For tables only: CSV and JSON always carry the whole list."""
    shown: list[str] = []
    for i, n in enumerate(names):
        rest = len(names) - i - 1
        tail = f" +{rest} more" if rest else ""
        if shown and len(", ".join(shown + [n]) + tail) > room:
            break
        shown.append(n)
    more = len(names) - len(shown)
    return ", ".join(shown) + (f" +{more} more" if more else "")


def _party_names(fact: Fact, refs: dict[str, Fact]) -> list[str]:
    """Parties by name where they are facts ('intel' -> 'Intel'), as written otherwise."""
    return [refs[p].title if p in refs else p for p in fact.get("parties", [])]


def value_cell(fact: Fact, refs: dict[str, Fact], short: bool = False) -> str:
    """The answer cell of a row: a value with unit and qualifier, an amount, the parties, a sector.

    ``short`` (terminal tables): a long list becomes 'A, B, C +2 more' and a
    sector is broken into lines, since the column never wraps or cuts.  A figure
    that is not plainly reported carries its trust mark (see output.markers)."""
    from vnecon.output.markers import fact_marker

    mark = fact_marker(fact)
    text = _answer(fact, refs, short)
    return f"{text} {mark}" if mark and text else (mark or text)


def _answer(fact: Fact, refs: dict[str, Fact], short: bool) -> str:
    if fact.kind == "indicator":
        return human_value(fact)
    if fact.kind == "partnership":
        names = _party_names(fact, refs)
        return short_list(names) if short else ", ".join(names)
    if fact.kind == "company":
        sector = str(fact.get("sector") or "")
        if short:
            import textwrap

            return "\n".join(textwrap.wrap(sector, 26, break_long_words=False))
        return sector
    return _detail(fact)


TABLE_COLUMNS = {
    None: ("ID", "What", "Value", "When", "Where", "Source"),
    "indicator": ("ID", "Indicator", "Value", "Period", "Region", "Source"),
    "company": ("ID", "Name", "Sector", "Country", "Source"),
    "project": ("ID", "Project", "Investment", "Location", "Started", "Source"),
    "partnership": ("ID", "Partnership", "Parties", "Date", "Source"),
    "source": ("ID", "Title", "Publisher", "Date", "Document"),
}


def table_row(fact: Fact, kind: str | None, sources: dict[str, Fact], sep: str = " ",
              short: bool = False) -> list[str]:
    """[id, name, cells...] in the order of TABLE_COLUMNS[kind]; ``sources`` also maps party ids to facts."""
    src = source_label(fact, sources, sep)
    value = value_cell(fact, sources, short)
    if kind is None:
        what = _what(fact, mixed=True)
        if short and fact.kind in ("company", "partnership") and value:
            # A terminal's Value column holds figures only: a sector or the parties go under the name.
            label = "parties" if fact.kind == "partnership" else "sector"
            what, value = f"{what}\n{label}: {value.replace(chr(10), ' ')}", ""
        return [fact.id, what, value, _when(fact), _place(fact), src]
    if kind == "indicator":
        return [fact.id, _what(fact), value, _when(fact), _place(fact), src]
    if kind == "company":
        return [fact.id, _what(fact), value, str(fact.get("country") or ""), src]
    if kind == "project":
        return [fact.id, fact.title, value, _place(fact), str(fact.get("started") or ""), src]
    if kind == "partnership":
        return [fact.id, _what(fact), value, _when(fact), src]
    return [fact.id, fact.title, str(fact.get("publisher") or ""), _when(fact), str(fact.get("document") or "")]


def _markdown_escape(text: str) -> str:
    return visible(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def markdown_table(heads: list[str], rows: list[list[str]]) -> str:
    """A pipe table of cells already in Markdown (escaped, links made)."""
    return "".join(["| " + " | ".join(heads) + " |\n", "|" + "|".join("---" for _ in heads) + "|\n",
                    *("| " + " | ".join(r) + " |\n" for r in rows)])


def markdown_sources(fact: Fact, sources: dict[str, Fact]) -> str:
    """The Source cell of a Markdown table: 'publisher date', the publisher linked to the page."""
    cells = []
    for sid in fact.get("sources", []) if fact.kind != "source" else []:
        s = sources.get(sid)
        if s is None:
            cells.append(_markdown_escape(sid))
            continue
        publisher = _markdown_escape(str(s.get("publisher") or "unknown")).replace("[", "\\[").replace("]", "\\]")
        url = str(s.get("url") or "")
        if url:
            publisher = f"[{publisher}](<{url.replace('>', '%3E').replace(' ', '%20')}>)"
        cells.append(f"{publisher} {_markdown_escape(str(s.get('date') or ''))}".strip())
    return "; ".join(cells)


def write_markdown(facts: list[Fact], out: TextIO, kind: str | None, sources: dict[str, Fact]) -> None:
    """The table a person reads, to paste into an article: the terminal table's columns (values with
    units, the source's publisher, linked to its page, and date), the id last; CSV and JSON are
    the machine forms."""
    if kind is None and len({f.kind for f in facts}) == 1:
        kind = facts[0].kind
    heads = list(TABLE_COLUMNS[kind])
    rows = []
    for f in facts:
        cells = [_markdown_escape(c) for c in table_row(f, kind, sources)]
        if heads[-1] == "Source":
            cells[-1] = markdown_sources(f, sources)
        rows.append(cells[1:] + cells[:1])
    out.write(markdown_table(heads[1:] + heads[:1], rows))
    if any(f.get("trust") not in (None, "reported") or getattr(f, "match", None) == "nearest" for f in facts):
        out.write("\n")
        _write_legend(facts, out)


def plain_terminal(color: bool | None = None) -> bool:
    """No escape codes at all (bold included): --no-color, NO_COLOR or TERM=dumb."""
    import os

    return color is False or bool(os.environ.get("NO_COLOR")) or os.environ.get("TERM", "").lower() == "dumb"


def make_console(out: TextIO, color: bool | None = None, width: int | None = None):
    from rich.console import Console

    from vnecon.output.screen import columns_set_wrong, terminal_width

    if width is None and columns_set_wrong():  # Rich would take COLUMNS=0 as 0 columns: a table with no rows
        width = terminal_width()
    # Rich's own no_color keeps bold and dim; no colour system at all writes plain text.
    extra = {"color_system": None} if plain_terminal(color) else {}
    console = Console(file=out, width=width, force_terminal=None, highlight=False, emoji=False,
                      markup=False, **extra)

    def on_broken_pipe() -> None:
        # Rich's own handler exits 1; a reader that went away (| head) is no failure: emit() silences
        # the rest and the command exits as it would have (issue 28, O8).
        raise BrokenPipeError

    console.on_broken_pipe = on_broken_pipe
    return console


# Columns that must show whole, never wrapped: the answer and its period.
_NO_WRAP = ("Value", "Investment", "Parties", "Period", "Date", "When", "Started")
# Columns that may wrap at spaces, and move under the id (in this order) when space runs out.
_STACKABLE = ("Source", "Document", "Publisher", "Country", "Location", "Sector", "Where", "Region")
_GAP = 3  # cell padding and the column rule between two columns


def _cells(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


def _widest_word(text: str) -> int:
    return max((_cells(w) for w in text.split()), default=0)


def table_layout(heads: list[str], rows: list[list[str]], width: int) -> tuple[dict[str, int], list[str]] | None:
    """Column widths for a table that cuts nothing, and the columns moved under the id.

    Value, period and date columns get their full width; other columns wrap at
    spaces, then move under the id one by one.  The id (and what moved under
    it) is a line of its own that may run on below the next columns, so it is
    never folded and needs no column as wide as itself.  None: no table fits.
    """
    cols = heads[1:]
    lines = {h: [line for r in rows for line in visible(r[i + 2]).split("\n")] for i, h in enumerate(cols)}
    natural = {h: max([_cells(h)] + [_cells(x) for x in lines[h]]) for h in cols}
    least = {h: natural[h] if h in _NO_WRAP else max(min(_widest_word(" ".join(lines[h])), 24), min(natural[h], 10))
             for h in cols}
    id_width = max((_cells(visible(r[0])) for r in rows), default=0)
    stack_order = [h for h in _STACKABLE if h in cols]
    fits = []
    for n in range(len(stack_order) + 1):
        under = stack_order[:n]
        shown = [h for h in cols if h not in under]
        name_least = max(24, _cells(heads[0]))  # fewer than 24 cells makes a name a tall column of words
        spare = width - name_least - sum(least[h] + _GAP for h in shown)
        if spare < 0:
            continue
        name_natural = max([id_width, _cells(heads[0])] + [_cells(visible(r[1])) for r in rows]
                           + [_cells(x) for h in under for x in lines[h]])
        widths = {h: least[h] for h in shown}

        def grow(h: str, upto: int) -> None:
            nonlocal spare
            more = max(0, min(spare, upto - widths[h]))  # noqa: B023 - called only within this iteration
            widths[h] += more  # noqa: B023 - called only within this iteration
            spare -= more

        for h in shown:  # short text columns whole first: "United States", not "United / States"
            grow(h, min(natural[h], 24))
        widths[heads[0]] = name_least
        grow(heads[0], name_natural)
        for h in shown:  # what is left lets long text columns unfold
            grow(h, natural[h])
        fits.append((widths, under))
        # A name squeezed into a tall column reads worse than a source under the id.
        if widths[heads[0]] >= min(name_natural, 36):
            return widths, under
    return fits[0] if fits else None


def write_table(facts: list[Fact], out: TextIO, kind: str | None, sources: dict[str, Fact],
                color: bool | None = None, width: int | None = None) -> None:
    """The table, then a line explaining any trust marks in it, wrapped to the terminal."""
    _draw_table(facts, out, kind, sources, color, width)
    _write_legend(facts, out, make_console(out, color, width).width if facts else None)


def legend_lines(line: str, width: int | None) -> list[str]:
    """The marks legend in lines of at most ``width`` cells, broken between words only
    (continuation lines indented under 'Marks: '); [] for no legend."""
    if not line:
        return []
    if width is None:
        return [line]
    import textwrap

    return textwrap.wrap(line, max(width, 20), subsequent_indent="       ", break_long_words=False,
                         break_on_hyphens=False)


def _write_legend(facts: list[Fact], out: TextIO, width: int | None = None) -> None:
    from vnecon.output.markers import fact_legend

    out.writelines(line + "\n" for line in legend_lines(fact_legend(facts), width))


def _draw_table(facts: list[Fact], out: TextIO, kind: str | None, sources: dict[str, Fact],
                color: bool | None = None, width: int | None = None) -> None:
    """A table for people: the name with the id under it, the answer, its period, place and source.

    Nothing that makes the answer is ever cut: see ``table_layout``; when no
    table fits the terminal, each fact becomes a few short lines instead."""
    from rich.text import Text

    if not facts:
        return  # an empty table says nothing; stderr says that nothing matched
    if kind is None and len({f.kind for f in facts}) == 1:
        kind = facts[0].kind
    console = make_console(out, color, width)
    heads = list(TABLE_COLUMNS[kind][1:])
    rows = [table_row(f, kind, sources, sep="\n", short=True) for f in facts]
    layout = table_layout(heads, rows, console.width)
    if layout is None:
        return _write_list(console, heads, rows, separate=kind is None)
    widths, under = layout
    shown = [h for h in heads if h not in under]
    starts = [0]
    for h in shown[:-1]:
        starts.append(starts[-1] + widths[h] + _GAP)
    total = starts[-1] + widths[shown[-1]]

    def line_of(pieces: list[tuple[int, str, str | None]]) -> Text:
        """One screen line from (column, text, style) pieces; the first may run past its column."""
        text = Text()
        for col, piece, style in pieces:
            at = starts[col]
            if col and shown[col] in _RIGHT:
                at += widths[shown[col]] - _cells(piece)
            text.append(" " * max(at - text.cell_len, 1 if text.cell_len else 0))
            text.append(piece, style=style)
        return text

    out_lines = [line_of([(i, h, "bold") for i, h in enumerate(shown)]), Text("─" * total)]
    for n, (fid, name, *rest) in enumerate(rows):
        if n and kind is None:  # kinds mixed: records of different shapes, a blank line between two
            out_lines.append(Text(""))
        cells = dict(zip(heads[1:], rest))
        grid: list[dict[int, tuple[str, str | None]]] = []

        def put(i: int, col: int, piece: str, style: str | None) -> None:
            while len(grid) <= i:  # noqa: B023 - called only within this iteration
                grid.append({})  # noqa: B023 - called only within this iteration
            grid[i][col] = (piece, style)  # noqa: B023 - called only within this iteration

        name, under_name = _name_and_detail(name) if kind is None else (name, "")
        for i, piece in enumerate(_wrap(visible(name), widths[shown[0]])):
            put(i, 0, piece, None)
        for col, h in enumerate(shown[1:], start=1):
            text = visible(cells[h])
            pieces = text.split("\n") if h in _NO_WRAP else _wrap(text, widths[h])
            for i, piece in enumerate(pieces):
                if piece:
                    put(i, col, piece, "bold" if h in _RIGHT else None)
        # The id, then what moved under it: each on the first free line where it
        # does not run into another column's text.
        # The detail line whole, as a value is: past the edge of a very narrow terminal rather than cut.
        free = [(visible(under_name), None)] * bool(under_name) + [
            (visible(fid), "cyan")] + [(piece, "dim") for h in under if cells[h]
                                           for piece in _wrap(visible(cells[h].replace("\n", " ")), total)]
        i = len([1 for line in grid if 0 in line])
        for piece, style in free:
            reach = _cells(piece) + 2
            while i < len(grid) and (0 in grid[i] or any(starts[c] < reach for c in grid[i] if c)):
                i += 1
            put(i, 0, piece, style)
            i += 1
        out_lines += [line_of(sorted((c, p, st) for c, (p, st) in line.items())) for line in grid]
    console.print(Text("\n").join(out_lines), soft_wrap=True)


_RIGHT = ("Value", "Investment")
_DETAILS = ("parties: ", "sector: ")


def _name_and_detail(name: str) -> tuple[str, str]:
    """A mixed table's name cell -> (the name, the 'parties: ...' or 'sector: ...' line under it):
    that line is placed like the id, whole, not squeezed into the name column."""
    head, sep, last = name.rpartition("\n")
    return (head, last) if sep and last.startswith(_DETAILS) else (name, "")


def _wrap(text: str, width: int) -> list[str]:
    """Words into lines of at most ``width`` cells; a word longer than that is folded."""
    lines: list[str] = []
    for para in text.split("\n"):
        line = ""
        for word in para.split():
            while _cells(word) > width:
                cut = width
                while _cells(word[:cut]) > width:
                    cut -= 1
                hyphen = word.rfind("-", 0, cut)
                if hyphen > width // 2:  # "comprehensive-" / "partnership" rather than mid-word
                    cut = hyphen + 1
                if line:
                    lines.append(line)
                    line = ""
                lines.append(word[:cut])
                word = word[cut:]
            if line and _cells(line) + 1 + _cells(word) <= width:
                line += " " + word
            else:
                if line:
                    lines.append(line)
                line = word
        lines.append(line)
    return lines


def _wrap_parts(parts: list[str], room: int) -> list[str]:
    """Join parts with ' · ' into lines of at most ``room`` cells, never breaking a part."""
    lines: list[str] = []
    for p in parts:
        if lines and _cells(lines[-1]) + 3 + _cells(p) <= room:
            lines[-1] += " · " + p
        else:
            lines.append(p)
    return lines


def _write_list(console, heads: list[str], rows: list[list[str]], separate: bool = False) -> None:
    """Narrow terminals: each fact as a few short lines; values, periods and ids are never broken."""
    from rich.text import Text

    room = max(console.width - 2, 1)

    def put(text: Text) -> None:  # a line longer than the terminal is left to the terminal, not cut
        console.print(text, no_wrap=True, overflow="ignore", crop=False)

    for n, (fid, name, *rest) in enumerate(rows):
        if n and separate:  # kinds mixed: a blank line between two records
            console.print()
        first, *more = visible(name).split("\n")
        console.print(Text(first, style="bold"))
        for line in more:  # a sector or the parties, under the name, whole (as a value is)
            put(Text("  " + line))
        cells = dict(zip(heads[1:], (visible(c.replace("\n", " ")) for c in rest)))
        details = [c for h, c in cells.items() if c and h not in ("Source", "Document")]
        for line in _wrap_parts(details, room):
            put(Text(("  " if _cells(line) <= room else "") + line))
        tail = [c for h, c in cells.items() if c and h in ("Source", "Document")]
        for i, line in enumerate(_wrap_parts([visible(fid)] + tail, room)):
            text = Text("  " if _cells(line) <= room else "")  # a long id goes whole at the margin
            if i == 0:
                text.append(visible(fid), style="cyan")
                line = line[len(visible(fid)):]
            text.append(line, style="dim")
            put(text)


# How facts look when written: colour (None: the terminal decides), a BOM for spreadsheets, the
# table's width, the --fields chosen (every format), and spreadsheet-safe formulas.
Look = namedtuple("Look", "color bom width fields safe", defaults=(None, False, None, None, False))


def render(facts: list[Fact], fmt: str, out: TextIO, kind: str | None = None,
           sources: dict[str, Fact] | None = None, look: Look | None = None) -> None:
    """Write facts in one of FORMATS to out.  ``kind`` fixes CSV/TSV columns
    (None: the mixed columns); tables may still adapt to what they show."""
    color, bom, width, fields, safe = look or Look()
    srcs = sources or {}
    if fmt in ("markdown", "table"):  # for people: no field prints a line of its own
        facts = [on_one_line(f) for f in facts]
        srcs = {k: on_one_line(v) for k, v in srcs.items()}
    writers: dict[str, Callable[[], None]] = {
        "csv": lambda: write_delimited(facts, out, kind, ",", bom, srcs, fields, safe),
        "tsv": lambda: write_delimited(facts, out, kind, "\t", bom, srcs, fields, safe),
        "json": lambda: write_json(facts, out, False, srcs, fields, kind is None),
        "jsonl": lambda: write_json(facts, out, True, srcs, fields, kind is None),
        "markdown": lambda: write_markdown(facts, out, kind, srcs),
        "table": lambda: write_table(facts, out, kind, srcs, color, width),
    }
    if fields and fmt in ("markdown", "table"):
        write_fields(facts, out, kind, srcs, fields, fmt, color, width)
        return
    writers[fmt]()


def write_fields(facts: list[Fact], out: TextIO, kind: str | None, sources: dict[str, Fact], fields: list[str],
                 fmt: str, color: bool | None = None, width: int | None = None) -> None:
    """Markdown or a terminal table of the chosen raw columns (--fields)."""
    rows = [[cell(r.get(c)) for c in fields] for r in (machine_row(f, sources, kind is None) for f in facts)]
    if fmt == "markdown":
        out.write("| " + " | ".join(fields) + " |\n")
        out.write("|" + "|".join("---" for _ in fields) + "|\n")
        out.writelines("| " + " | ".join(_markdown_escape(c) for c in row) + " |\n" for row in rows)
        return
    from rich.text import Text

    table, console = field_table(fields, rows, out, color, width)
    for row in rows:
        table.add_row(*(Text(visible(v)) for v in row))
    console.print(table)


def is_url_column(name: str) -> bool:
    return name == "url" or name.endswith("_url")


def field_table(fields: list[str], rows: list[list[str]], out: TextIO, color: bool | None = None,
                width: int | None = None):
    """(an empty Rich table of the raw columns, the console to print it on).  Text columns fold to
    fit the terminal, but a URL column never does: a URL broken over lines cannot be copied or
    clicked, so the table grows past the terminal's edge instead (the terminal wraps the line)."""
    from rich.table import Table

    console = make_console(out, color, width)
    if any(is_url_column(c) for c in fields):
        needed = sum(max([_cells(c)] + [_cells(visible(r[i])) for r in rows]) + 2 for i, c in enumerate(fields))
        console = make_console(out, color, max(console.width, needed))
    table = Table(box=None, header_style="bold", pad_edge=False, show_edge=False)
    for c in fields:
        numeric = c in ("value", "value_max", "investment_total", "area_ha", "change")
        table.add_column(c, overflow="fold", no_wrap=is_url_column(c), justify="right" if numeric else "left")
    return table, console
