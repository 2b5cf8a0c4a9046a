"""One output path for every listing: table, csv, tsv, json, jsonl, markdown.

Only ``table`` and ``show`` import Rich, inside the function that draws.
CSV and JSON carry fact text byte-for-byte; tables make control characters
visible and never read fact text as markup.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs ~5 ms at start-up; annotations are strings anyway
if TYPE_CHECKING:
    from typing import Any, Callable, TextIO

import csv
import json

from vnecon.core.text import phrase, visible  # noqa: F401 - visible is re-exported for output code
from vnecon.load.model import FORMATS, Fact, columns_for  # noqa: F401 - FORMATS is re-exported for the CLI


# ---- cells for machines ---------------------------------------------------


def cell(value: Any) -> str:
    """A raw CSV cell: numbers as typed, lists joined with ';', tables as 'k=v' pairs."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))  # 8.9e9 written as a float in TOML is still 8900000000
    if isinstance(value, list):
        return ";".join(cell_item(v) for v in value)
    return str(value)


def cell_item(v: Any) -> str:
    if isinstance(v, dict):
        return " ".join(f"{k}={v[k]}" for k in v)
    return str(v)


def row_values(fact: Fact, columns: list[str], mixed: bool) -> list[Any]:
    d = fact.to_dict()
    if mixed:
        d.setdefault("name", fact.title)
        d.setdefault("date", fact.get("started"))
        if fact.kind != "indicator":
            d.pop("unit", None)
    return [d.get(c) for c in columns]


MIXED_COLUMNS = ["id", "kind", "name", "value", "unit", "basis", "period", "region", "date", "sources"]


def columns(kind: str | None) -> tuple[list[str], bool]:
    """The columns of one kind, or the mixed set: fixed by the command, never by the results."""
    return (MIXED_COLUMNS, True) if kind is None else (columns_for(kind), False)


def _tsv(text: str) -> str:
    """TSV cannot quote: tabs, newlines and backslashes are escaped (\\t, \\n, \\\\)."""
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def write_delimited(facts: list[Fact], out: TextIO, kind: str | None, delimiter: str, bom: bool = False) -> None:
    cols, mixed = columns(kind)
    if bom:
        out.write("\ufeff")
    if delimiter == "\t":
        out.write("\t".join(cols) + "\n")
        for f in facts:
            out.write("\t".join(_tsv(cell(v)) for v in row_values(f, cols, mixed)) + "\n")
        return
    w = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(cols)
    for f in facts:
        w.writerow([cell(v) for v in row_values(f, cols, mixed)])


def write_json(facts: list[Fact], out: TextIO, lines: bool) -> None:
    if lines:
        for f in facts:
            out.write(json.dumps(f.to_dict(), ensure_ascii=False, allow_nan=False) + "\n")
        return
    out.write(json.dumps([f.to_dict() for f in facts], ensure_ascii=False, allow_nan=False, indent=2) + "\n")


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
        sector = fact.get("sector")
        if sector and phrase(sector) in phrase(fact.title):
            sector = None  # "PMI (manufacturing)" needs no second "(manufacturing)"
        basis = {"yoy": "y/y", "mom": "m/m", "level": ""}.get(fact.get("basis"), fact.get("basis"))
        extra = [x for x in (sector, basis) if x]
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
        total = sum(i.get("amount", 0) for i in fact.get("investments", []) if i.get("currency") == "USD")
        return f"US${_scaled(total)}" if total else ""
    if fact.kind == "partnership":
        return ", ".join(fact.get("parties", []))
    if fact.kind == "company":
        return str(fact.get("sector") or "")
    return ""


TABLE_COLUMNS = {
    None: ("ID", "What", "Value", "When", "Where", "Source"),
    "indicator": ("ID", "Indicator", "Value", "Period", "Region", "Source"),
    "company": ("ID", "Name", "Sector", "Country", "Source"),
    "project": ("ID", "Project", "Investment", "Location", "Started", "Source"),
    "partnership": ("ID", "Partnership", "Parties", "Date", "Source"),
    "source": ("ID", "Title", "Publisher", "Date", "Document"),
}


def table_row(fact: Fact, kind: str | None, sources: dict[str, Fact], sep: str = " ") -> list[str]:
    src = source_label(fact, sources, sep)
    if kind is None:
        return [fact.id, _what(fact, mixed=True), _detail(fact), _when(fact), _place(fact), src]
    if kind == "indicator":
        return [fact.id, _what(fact), human_value(fact), _when(fact), _place(fact), src]
    if kind == "company":
        return [fact.id, _what(fact), str(fact.get("sector") or ""), str(fact.get("country") or ""), src]
    if kind == "project":
        return [fact.id, fact.title, _detail(fact), _place(fact), str(fact.get("started") or ""), src]
    if kind == "partnership":
        return [fact.id, _what(fact), _detail(fact), _when(fact), src]
    return [fact.id, fact.title, str(fact.get("publisher") or ""), _when(fact), str(fact.get("document") or "")]


def _markdown_escape(text: str) -> str:
    return visible(text).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def write_markdown(facts: list[Fact], out: TextIO, kind: str | None, sources: dict[str, Fact]) -> None:
    if kind is None and len({f.kind for f in facts}) == 1:
        kind = facts[0].kind
    heads = TABLE_COLUMNS[kind]
    out.write("| " + " | ".join(heads) + " |\n")
    out.write("|" + "|".join("---" for _ in heads) + "|\n")
    for f in facts:
        out.write("| " + " | ".join(_markdown_escape(c) for c in table_row(f, kind, sources)) + " |\n")


def make_console(out: TextIO, color: bool | None = None, width: int | None = None):
    from rich.console import Console

    return Console(file=out, no_color=(color is False) or None, width=width,
                   force_terminal=None, highlight=False, emoji=False, markup=False)


_MIN_WIDTH = {"What": 20, "Indicator": 20, "Name": 16, "Project": 16, "Partnership": 20, "Title": 20,
              "Source": 10, "Where": 7, "Region": 7, "Parties": 12}


def write_table(facts: list[Fact], out: TextIO, kind: str | None, sources: dict[str, Fact],
                color: bool | None = None, width: int | None = None) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    if kind is None and len({f.kind for f in facts}) == 1:
        kind = facts[0].kind
    console = make_console(out, color, width)
    heads = list(TABLE_COLUMNS[kind][1:])
    rows = [table_row(f, kind, sources, sep="\n") for f in facts]
    # The id goes on a line under the name rather than in a column of its own,
    # and on a narrow terminal the source goes there too: values, periods and
    # dates must never be cut, so the text columns give way instead.
    if console.width < 70:
        return _write_list(console, heads, rows)
    id_width = min(max((len(r[0]) for r in rows), default=0), 36, console.width // 3)

    def wanted(i: int, h: str) -> int:
        """Width a column needs: all of it if it must not wrap, else a readable part."""
        widest = max((len(line) for r in rows for line in r[i + 1].split("\n")), default=0)
        return max(len(h), widest if h in _NO_WRAP else min(widest, 14))

    needed = max(id_width, 20) + sum(wanted(i, h) + 3 for i, h in enumerate(heads) if i)
    stacked = heads[-1] == "Source" and console.width < needed
    if stacked:
        heads = heads[:-1]
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False, expand=False, show_edge=False)
    for h in heads:
        table.add_column(h, overflow="fold", no_wrap=h in _NO_WRAP,
                         min_width=id_width if h == heads[0] else _MIN_WIDTH.get(h, 0),
                         justify="right" if h in ("Value", "Investment") else "left",
                         style="bold" if h == "Value" else None)
    for fid, name, *rest in rows:
        first = Text(visible(name))
        first.append("\n" + visible(fid), style="cyan")
        if stacked:
            first.append("\n" + visible(rest.pop().replace("\n", " ")), style="dim")
        table.add_row(first, *(Text(visible(c)) for c in rest))
    console.print(table)


_NO_WRAP = ("Value", "Period", "Date", "When", "Started")


def _write_list(console, heads: list[str], rows: list[list[str]]) -> None:
    """Very narrow terminals: each fact as short wrapped lines instead of a table."""
    from rich.text import Text

    for fid, name, *rest in rows:
        console.print(Text(visible(name), style="bold"))
        details = [visible(c.replace("\n", " ")) for h, c in zip(heads[1:], rest) if c and h != "Source"]
        if details:
            console.print(Text("  " + " · ".join(details)))
        line = Text("  ")
        line.append(visible(fid), style="cyan")
        if heads[-1] == "Source" and rest and rest[-1]:
            line.append(" · " + visible(rest[-1].replace("\n", " ")), style="dim")
        console.print(line)


def render(facts: list[Fact], fmt: str, out: TextIO, kind: str | None = None,
           sources: dict[str, Fact] | None = None, color: bool | None = None,
           bom: bool = False, width: int | None = None) -> None:
    """Write facts in one of FORMATS to out.  ``kind`` fixes CSV/TSV columns
    (None: the mixed columns); tables may still adapt to what they show."""
    writers: dict[str, Callable[[], None]] = {
        "csv": lambda: write_delimited(facts, out, kind, ",", bom),
        "tsv": lambda: write_delimited(facts, out, kind, "\t", bom),
        "json": lambda: write_json(facts, out, lines=False),
        "jsonl": lambda: write_json(facts, out, lines=True),
        "markdown": lambda: write_markdown(facts, out, kind, sources or {}),
        "table": lambda: write_table(facts, out, kind, sources or {}, color, width),
    }
    writers[fmt]()
