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
                bits = [g.get("publisher"), f'"{g.get("title")}"', g.get("date") or "undated", g.get("url"), g.get("document")]
                out.append((g.id, ", ".join(str(b) for b in bits if b)))
            else:
                value = f" = {human_value(g)} ({g.get('period')})" if g.kind == "indicator" else ""
                out.append((g.id, f"{g.kind}: {g.title}{value}"))
    return out + history_lines(history or [])


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
               history: list[tuple[Fact, str]] | None = None) -> None:
    from vnecon.output.render import on_one_line

    fact = on_one_line(fact)  # no field can print a line of its own (a fake Sources section)
    links = {k: [on_one_line(f) for f in v] for k, v in links.items()}
    history = [(on_one_line(f), why) for f, why in history] if history else history
    rows = lines(fact, links, history)
    widths = _widths(rows)
    if not out.isatty() or color is False:
        for i, ((label, text), width) in enumerate(zip(rows, widths)):
            if not label:
                out.write(visible(("\n" if i else "") + text) + "\n")
            else:
                out.write(visible(f"  {label.ljust(width)}  {text}") + "\n")
        return
    from rich.text import Text

    from vnecon.output.render import make_console

    console = make_console(out, color)
    for i, ((label, text), width) in enumerate(zip(rows, widths)):
        if not label:
            console.print(Text(("\n" if i else "") + visible(text), style="bold"))
        else:
            line = Text("  ")
            line.append(label.ljust(width), style="cyan")
            line.append("  " + visible(text))
            console.print(line)


def write_show_json(fact: Fact, links: dict[str, list[Fact]], out: TextIO,
                    history: list[tuple[Fact, str]] | None = None) -> None:
    payload = fact.to_dict()
    payload["cited"] = [g.to_dict() for g in links.get("sources", [])]  # sources in full
    payload["related"] = {k: [g.id for g in v] for k, v in links.items()}
    if history and len(history) > 1:
        payload["vintages"] = [{"id": g.id, "value": g.get("value"), "vintage_date": day or None}
                               for g, day in history]
    out.write(json.dumps(payload, ensure_ascii=False, allow_nan=False, indent=2) + "\n")
