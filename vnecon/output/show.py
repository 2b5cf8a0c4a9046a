"""`vnecon show`: one fact, every field, its sources and linked facts."""

from __future__ import annotations

import json

TYPE_CHECKING = False  # typing costs ~3 ms at start-up; annotations are strings anyway
if TYPE_CHECKING:
    from typing import Any, TextIO

from vnecon.load.model import Fact, fields_for
from vnecon.output.render import _scaled, cell_item, human_value, visible


def _item(v: Any) -> str:
    if isinstance(v, dict) and "amount" in v:  # an investment
        money = f"US${_scaled(v['amount'])}" if v.get("currency") == "USD" else f"{_scaled(v['amount'])} {v.get('currency', '')}"
        return ", ".join(str(x) for x in (money, v.get("date"), v.get("kind"), v.get("note")) if x)
    if isinstance(v, dict) and "name" in v:  # a person
        return f"{v['name']} ({v['role']})" if v.get("role") else str(v["name"])
    return cell_item(v)


def _fmt(value: Any) -> str:
    if isinstance(value, list):
        return "; ".join(_item(v) for v in value)
    if isinstance(value, float) or isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def history_lines(history: list[tuple[Fact, str]]) -> list[tuple[str, str]]:
    """Every published value of the observation, first first, with the revision from the one
    before: what a reader quoting an old figure needs."""
    if len(history) < 2:
        return []
    out: list[tuple[str, str]] = [("", "Vintages (first published first)")]
    before = None
    for g, day in history:
        text = f"{human_value(g)}  published {day or 'undated'}"
        value = g.get("value")
        if isinstance(before, (int, float)) and isinstance(value, (int, float)) and value != before:
            unit = "pp" if g.get("unit") == "%" else str(g.get("unit") or "")
            text += f"  (revised {value - before:+.4g} {unit})".replace("  )", ")")
        out.append((g.id, text))
        before = value
    return out


def lines(fact: Fact, links: dict[str, list[Fact]],
          history: list[tuple[Fact, str]] | None = None) -> list[tuple[str, str]]:
    """(label, text) pairs; an empty label is a heading."""
    out: list[tuple[str, str]] = [("", f"{fact.title}  [{fact.kind} {fact.id}]")]
    if fact.kind == "indicator":
        out.append(("answer", f"{human_value(fact)}  ({fact.get('period')}, {fact.get('region')})"))
    for f in fields_for(fact.kind):
        if f.name in ("id", "sources") or f.name not in fact.data:
            continue
        out.append((f.name, _fmt(fact.data[f.name])))
    from pathlib import Path

    from vnecon.load.files import display_path

    where = f"{display_path(Path(fact.path))}:{fact.line}"
    out.append(("defined at", where + (f" ({fact.layer} layer)" if fact.layer else "")))
    for relation, facts in links.items():
        out.append(("", relation.capitalize()))
        for g in facts:
            if relation == "sources":
                out.append((g.id, citation(g)))
            else:
                value = f" = {human_value(g)} ({g.get('period')})" if g.kind == "indicator" else ""
                out.append((g.id, f"{g.kind}: {g.title}{value}"))
    return out + history_lines(history or [])


def citation(source: Fact) -> str:
    """A source as a person can follow it: 'Publisher, "Title", date' and, on a line of its own, the URL.

    The stored file name (``document``) is for curators and stays in --format json."""
    publisher = str(source.get("publisher") or "")
    if not publisher or publisher.lower() == "unknown":
        publisher = "publisher unknown"
    title = str(source.get("title") or "").strip()
    first = ", ".join(x for x in (publisher, f'"{title}"' if title else "", str(source.get("date") or "undated")) if x)
    url = source.get("url")
    return first + "\n" + (str(url) if url else "no web address recorded")


def fold(text: str, room: int) -> list[str]:
    """Lines of at most ``room`` cells, broken between words; a word longer than a line (a path) is
    broken after a '/' where it can be, else where it must.  A URL is never broken: it goes whole
    on the line if it fits there, else on a line of its own, however long.  '\n' is a line break."""
    from vnecon.output.links import is_url

    out: list[str] = []
    for para in text.split("\n"):
        line = ""
        for word in para.split(" "):
            if not word:
                continue
            pieces = [word]
            if not is_url(word):
                pieces = []
                while len(word) > room:
                    cut = word.rfind("/", 0, room) + 1 or room
                    pieces.append(word[:cut])
                    word = word[cut:]
                pieces.append(word)
            for piece in pieces:
                if line and len(line) + 1 + len(piece) <= room:
                    line += " " + piece
                else:
                    if line:
                        out.append(line)
                    line = piece
        out.append(line)
    return out


# A label wider than this leaves too little room beside it: its text starts on the next line.
_MIN_TEXT = 32


def hanging(label: str, label_width: int, text: str, width: int | None) -> list[tuple[str, str]]:
    """(label, rest) screen lines with a hanging indent, each printed as '  ' + label + rest: the
    text's wrapped lines line up under its first, never at column 0.  A label too wide to leave
    room beside it gets a line of its own, its text indented under it.  ``width`` None: no
    wrapping (a pipe); the citation's URL line still hangs."""
    from vnecon.output.links import is_url

    indent = 2 + label_width + 2
    if width is not None and width - indent < _MIN_TEXT:
        return [(label, "")] + [("", ("    " if width - 6 >= len(line) or not is_url(line) else "") + line)
                                for line in fold(text, max(width - 6, 1))]
    lines = fold(text, width - indent) if width is not None else text.split("\n")

    def hang(line: str) -> str:  # a URL too long to hang starts at the margin, whole
        if width is not None and is_url(line) and indent + len(line) > width:
            return line
        return " " * (label_width + 2) + line

    return [(label.ljust(label_width) + "  " if i == 0 else "", line if i == 0 else hang(line))
            for i, line in enumerate(lines)]


def _widths(rows: list[tuple[str, str]]) -> list[int]:
    """Label width for each row: the widest label of its block (blocks start at headings)."""
    widths, block = [], []
    for label, _ in rows + [("", "")]:
        if not label:
            widths += [max(block, default=0)] * len(block) + [0]
            block = []
        else:
            block.append(len(label))
    return widths[:len(rows)]


def write_show(fact: Fact, links: dict[str, list[Fact]], out: TextIO, color: bool | None = None,
               history: list[tuple[Fact, str]] | None = None, hyperlinks: bool = False) -> None:
    """Every field, with a hanging indent on a terminal; ``hyperlinks``: URLs as OSC 8 links
    (output.links decides, from the terminal and the environment)."""
    from vnecon.output.links import link_urls

    linked = link_urls if hyperlinks else (lambda line: line)
    from vnecon.output.render import on_one_line

    fact = on_one_line(fact)  # no field can print a line of its own (a fake Sources section)
    links = {k: [on_one_line(f) for f in v] for k, v in links.items()}
    history = [(on_one_line(f), why) for f, why in history] if history else history
    rows = lines(fact, links, history)
    widths = _widths(rows)
    terminal = out.isatty()
    if not terminal or color is False:
        width = _screen_width(out) if terminal else None
        for i, ((label, text), label_width) in enumerate(zip(rows, widths)):
            if not label:
                out.write(visible(("\n" if i else "") + text) + "\n")
                continue
            pieces = hanging(visible(label), label_width, visible(text), width)
            out.writelines(linked(f"  {cell}{rest}".rstrip()) + "\n" for cell, rest in pieces)
        return
    from rich.text import Text

    from vnecon.output.links import is_url
    from vnecon.output.render import make_console

    console = make_console(out, color)
    for i, ((label, text), label_width) in enumerate(zip(rows, widths)):
        if not label:
            console.print(Text(("\n" if i else "") + visible(text), style="bold"))
            continue
        for cell, rest in hanging(visible(label), label_width, visible(text), console.width):
            if hyperlinks and not cell.strip() and is_url(rest):  # written as is: Rich would count the escapes
                console.file.write(linked("  " + rest) + "\n")
                continue
            line = Text("  ")
            line.append(cell.rstrip(), style="cyan")
            line.append(cell[len(cell.rstrip()):] + rest)
            console.print(line, no_wrap=True, overflow="ignore", crop=False)


def _screen_width(out: TextIO) -> int:
    from vnecon.output.render import make_console

    return make_console(out).width


def write_show_json(fact: Fact, links: dict[str, list[Fact]], out: TextIO,
                    history: list[tuple[Fact, str]] | None = None) -> None:
    payload = fact.to_dict()
    if fact.kind == "indicator" and fact.revised is not None:
        payload["vintage_date"], payload["revised"] = fact.vintage_date, fact.revised
    payload["cited"] = [g.to_dict() for g in links.get("sources", [])]  # sources in full
    payload["related"] = {k: [g.id for g in v] for k, v in links.items()}
    if history and len(history) > 1:
        payload["vintages"] = [{"id": g.id, "value": g.get("value"), "vintage_date": day or None}
                               for g, day in history]
    out.write(json.dumps(payload, ensure_ascii=False, allow_nan=False, indent=2) + "\n")
