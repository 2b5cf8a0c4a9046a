"""Check parsed TOML tables against the schema, and facts against each other."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from typing import Any

from vnecon.core.diagnostics import Diagnostic
from vnecon.core.periods import parse_date, parse_period
from vnecon.core.text import close_to
from vnecon.load.model import (
    BASES,
    INVESTMENT_FIELDS,
    PEOPLE_FIELDS,
    Fact,
    Field,
    fields_for,
    published,
)
from vnecon.load.resolve import Vintage, orderable, resolve

ID_RE = re.compile(r"[a-z0-9][a-z0-9-]*")  # used with fullmatch: no trailing newline sneaks in

# Reports a problem: (key or "" for the table itself, severity, message).
Report = Callable[[str, str, str], None]


def _type_name(value: Any) -> str:
    return {
        bool: "a boolean", int: "an integer", float: "a number", str: "a string",
        list: "an array", dict: "a table", dt.date: "a date", dt.datetime: "a date-time",
    }.get(type(value), type(value).__name__)


# The parser makes a new string for every key and value of every fact; a million facts
# repeat a few thousand names, regions, units and source ids.  Keys come from the schema
# and short values from this table (cleared when it grows), so the facts a `check` keeps
# share them: about half of its memory.
_SHARED: dict[str, str] = {}
_SHARED_MAX = 200_000


def _shared(value: str) -> str:
    if len(value) > 80:
        return value
    got = _SHARED.get(value)
    if got is None:
        if len(_SHARED) >= _SHARED_MAX:
            _SHARED.clear()
        got = _SHARED[value] = value
    return got


def _check_value(f: Field, value: Any, report: Report, key: str) -> Any:
    """Return the normalised value, or None after reporting why it is bad."""
    t = f.type
    if t == "str":
        if not isinstance(value, str):
            return report(key, "error", f"{f.name} must be a string, not {_type_name(value)}")
        if not value.strip():
            return report(key, "error", f"{f.name} is empty")
        if f.choices and value not in f.choices:
            return report(key, "error", f"{f.name} {value!r} is not one of: {', '.join(f.choices)}")
        return value if f.name == "id" else _shared(value)
    if t == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            hint = " (write numbers without quotes)" if isinstance(value, str) else ""
            return report(key, "error", f"{f.name} must be a number, not {_type_name(value)}{hint}")
        if isinstance(value, float) and not math.isfinite(value) or abs(value) > 1e18:
            return report(key, "error", f"{f.name} must be a finite number no larger than 1e18, not {value}")
        return value
    if t == "list":
        if isinstance(value, str):
            return report(key, "error", f'{f.name} must be an array of strings: {f.name} = ["{value}"]')
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            return report(key, "error", f"{f.name} must be an array of non-empty strings")
        if f.required and not value:
            return report(key, "error", f"{f.name} must name at least one")
        return [_shared(v) for v in value]
    if t in ("date", "period"):
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif t == "period" and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)  # period = 2024 is a natural thing to type
        elif f.name == "founded" and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            return report(key, "error", f"{f.name} must be a string, not {_type_name(value)}")
        try:
            (parse_period if t == "period" else parse_date)(value)
        except ValueError as e:
            return report(key, "error", str(e))
        return _shared(value.strip())
    if t in ("investments", "people"):
        sub_fields = INVESTMENT_FIELDS if t == "investments" else PEOPLE_FIELDS
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            return report(key, "error", f"{f.name} must be an array of tables")
        out = []
        for i, item in enumerate(value, start=1):
            def sub_report(k: str, sev: str, msg: str, i: int = i) -> None:
                report(key, sev, f"{f.name} #{i}: {msg}")
            out.append(_check_table(sub_fields, item, sub_report))
        return out
    raise AssertionError(f"unknown field type {t}")


_BY_NAME: dict[int, dict[str, Field]] = {}


def _by_name(fields: tuple[Field, ...]) -> dict[str, Field]:
    """name -> Field, built once per schema tuple (validation runs per fact)."""
    key = id(fields)
    if key not in _BY_NAME:
        _BY_NAME[key] = {f.name: f for f in fields}
    return _BY_NAME[key]


def _check_table(fields: tuple[Field, ...], table: dict[str, Any], report: Report) -> dict[str, Any]:
    """Validate every key of a table; report all problems, return the good fields."""
    known = _by_name(fields)
    data: dict[str, Any] = {}
    for key, value in table.items():
        f = known.get(key)
        if f is None:
            close = close_to(key, known)
            hint = f' (did you mean "{close[0]}"?)' if close else f" (known: {', '.join(known)})"
            written = key.replace("\\", "\\\\").replace('"', '\\"')
            report(key, "error", f'unknown field "{written}"{hint}')
            continue
        good = _check_value(f, value, report, key)
        if good is not None:
            data[f.name] = good  # the schema's string, shared by every fact
    for f in fields:
        if f.required and f.name not in table:
            report("", "error", f"missing required field {f.name!r}")
        elif f.default is not None and f.name not in data and f.name not in table:
            data[f.name] = f.default
    return data


_SHOWN_KEYS = ("name", "name_vi", "title", "region", "location", "country", "owner")
_FORMULA_START = ("=", "+", "-", "@")


def _warn_on_text(data: dict[str, Any], report: Report) -> None:
    """Text that can mislead a reader: hidden or reordering characters, spreadsheet formulas."""
    from vnecon.core.text import HAS_CONTROL, HAS_INVISIBLE, one_line

    for key in _SHOWN_KEYS:
        v = data.get(key)
        if isinstance(v, str) and HAS_INVISIBLE.search(v):
            report(key, "warning", f"{key} {one_line(v)!r} holds invisible or direction-changing characters, "
                                   "which can make it display as other text; remove them")
    for key, v in data.items():
        texts = [v] if isinstance(v, str) else [x for x in v if isinstance(x, str)] if isinstance(v, list) else []
        bad = next((m for t in texts if (m := HAS_CONTROL.search(t))), None)
        if bad:
            what = ("a line break" if bad[0] in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
                    else "a tab" if bad[0] == "\t" else "a control character")
            shown = one_line(next(t for t in texts if bad[0] in t)[:40])
            report(key, "warning", f"{key} holds {what} ({one_line(bad[0])}), which a terminal would act on: "
                                   f"tables show it escaped, as '{shown}'; remove it")
    for key, v in data.items():
        if isinstance(v, str) and v.startswith(_FORMULA_START) and not _numeric(v):
            report(key, "warning", f"{key} starts like a spreadsheet formula ({one_line(v[:30])!r}); a spreadsheet "
                                   "may run it: reword it, and open CSV exports made with --safe-formulas")


_SCALES = {"bn": "1_000_000_000", "billion": "1_000_000_000", "mn": "1_000_000", "mln": "1_000_000",
           "million": "1_000_000", "thousand": "1_000", "k": "1_000", "ty": "1_000_000_000",
           "trieu": "1_000_000", "nghin": "1_000", "ngan": "1_000"}


def _warn_on_scaled_unit(data: dict[str, Any], report: Report) -> None:
    """Money and counts are stored in whole units, so sums and sorts compare like with like."""
    from vnecon.core.text import words

    unit = data.get("unit")
    if not isinstance(unit, str):
        return
    scale = next((w for w in words(unit) if w in _SCALES), None)
    if scale:
        rest = " ".join(w for w in unit.split() if words(w) != [scale]) or "count"
        report("unit", "warning", f"unit {unit!r} holds a scale word ({scale!r}): store whole units, e.g. "
                                  f"value = <the number × {_SCALES[scale]}> with unit = {rest!r}")


_NOTE_SAYS = {"derived": ("derived", "computed", "sum of", "adds up"), "inferred": ("inferred", "not stated"),
              "doubtful": ("contradict", "conflict", "disagree")}


def _warn_on_trust(data: dict[str, Any], table: dict[str, Any], report: Report) -> None:
    """A note that explains a derivation, an inference or a contradiction, on a fact whose
    trust says 'reported', hides that from every table and CSV: say so."""
    if data.get("trust", "reported") != "reported" or not isinstance(data.get("note"), str):
        return
    note = data["note"].lower()
    for trust, words in _NOTE_SAYS.items():
        word = next((w for w in words if w in note), None)
        if word:
            report("note" if "trust" not in table else "trust", "warning",
                   f'the note says "{word}" but trust is reported; set trust = "{trust}" (or reword the note)')
            return


def _numeric(text: str) -> bool:
    try:
        float(text.replace(",", ""))
        return True
    except ValueError:
        return False


def validate_table(kind: str, table: Any, report: Report, partial: bool = False) -> Fact | None:
    """Turn one [[kind]] table into a Fact, reporting every problem.

    ``partial``: a table with errors but a usable id still gives a Fact of its good
    fields, so the linter can go on to check its references and its id (the caller
    keeps it apart from the valid facts)."""
    if not isinstance(table, dict):
        report("", "error", f"[[{kind}]] entries must be tables")
        return None
    errors = 0

    def counting(key: str, sev: str, msg: str) -> None:
        nonlocal errors
        errors += sev == "error"
        report(key, sev, msg)

    data = _check_table(fields_for(kind), table, counting)
    basis = data.get("basis")
    if kind == "indicator" and basis and basis not in BASES:
        close = close_to(basis, BASES)
        hint = f'did you mean "{close[0]}"? ' if close else ""
        report("basis", "warning", f"unusual basis {basis!r}: {hint}usual ones are {', '.join(BASES)}")
    _warn_on_text(data, report)
    _warn_on_scaled_unit(data, report)
    if kind != "source":  # a source is a document; its trust is the facts'
        _warn_on_trust(data, table, report)
    fact_id = data.pop("id", None)
    if isinstance(fact_id, str) and not ID_RE.fullmatch(fact_id):
        counting("id", "error", f"id {fact_id!r} must be lowercase letters, digits and '-' (e.g. {_suggest_id(fact_id)!r})")
    if not fact_id or not isinstance(fact_id, str) or (errors and not partial):
        return None
    if errors and not ID_RE.fullmatch(fact_id):
        return None
    return Fact(kind=kind, id=fact_id, data=data)


def _suggest_id(text: str) -> str:
    from vnecon.core.text import fold

    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "my-fact"


def _where(f: Fact, key: str = "") -> tuple[int, int]:
    return f.key_lines.get(key, (f.line, 1)) if key else (f.line, 1)


def _diag(f: Fact, severity: str, message: str, key: str = "") -> Diagnostic:
    line, col = _where(f, key)
    return Diagnostic(f.path, line, col, severity, message, f.kind, f.id, f.layer)


def _shown(f: Fact) -> str:
    """file:line of a fact as a message names it (relative to the working directory when under it)."""
    from pathlib import Path

    from vnecon.load.files import display_path

    return f"{display_path(Path(f.path))}:{f.line}" if f.path else f":{f.line}"


def resolve_layers(facts: list[Fact], layer_order: list[str]) -> tuple[list[Fact], list[Diagnostic]]:
    """Drop facts replaced by a later layer; duplicates within a layer are errors."""
    rank = {name: i for i, name in enumerate(layer_order)}
    first: dict[str, Fact] = {}
    diags: list[Diagnostic] = []
    for f in facts:
        prev = first.get(f.id)
        if prev is None:
            first[f.id] = f
        elif rank.get(f.layer, 0) > rank.get(prev.layer, 0):
            diags.append(_diag(f, "note", f"replaces {prev.kind} {f.id!r} from {_shown(prev)} ({prev.layer} layer)"))
            first[f.id] = f
        elif rank.get(f.layer, 0) == rank.get(prev.layer, 0) and within_layer_key(f) < within_layer_key(prev):
            # Files are read in os.walk order; the winner must not depend on it (see within_layer_key).
            diags.append(_diag(prev, "error", f"duplicate id {f.id!r}: already defined at {_shown(f)}", "id"))
            first[f.id] = f
        else:
            diags.append(_diag(f, "error", f"duplicate id {f.id!r}: already defined at {_shown(prev)}", "id"))
    return list(first.values()), diags


# Which of two facts with one id is served: the later layer's; within a layer the first by path, then
# line, on canonical paths.  The index decides the same way in SQL (search.index.Index.recompute_live);
# tests/test_resolver.py holds them equal from several working directories.
WINNER_ORDER_SQL = "rank DESC, path, line"


def within_layer_key(f: Fact) -> tuple[str, int]:
    return f.path, f.line


def cross_check(facts: list[Fact]) -> list[Diagnostic]:
    """References, undated sources and conflicting indicator values."""

    by_id = {f.id: f for f in facts}
    diags: list[Diagnostic] = []

    def expect(f: Fact, key: str, ref: str, kind: str) -> Fact | None:
        target = by_id.get(ref)
        if target is None:
            close = close_to(ref, [i for i, g in by_id.items() if g.kind == kind])
            hint = f' (did you mean "{close[0]}"?)' if close else ""
            diags.append(_diag(f, "error", f"{key}: no {kind} with id {ref!r}{hint}", key))
        elif target.kind != kind:
            diags.append(_diag(f, "error", f"{key}: {ref!r} is a {target.kind}, not a {kind}", key))
        else:
            return target
        return None

    for f in facts:
        if f.kind == "source":
            diags.extend(_citation_gaps(f))
        for ref in f.get("sources", []):
            src = expect(f, "sources", ref, "source")
            if src is not None and not src.get("date"):
                diags.append(_diag(f, "warning", f"source {ref!r} has no date", "sources"))
        for key in ("owner", "parent"):
            if f.get(key):
                expect(f, key, f.get(key), "company")
        for party in f.get("parties", []):
            if party not in by_id and ID_RE.fullmatch(party) and "-" in party:
                diags.append(_diag(f, "warning", f"parties: {party!r} looks like an id but names no fact", "parties"))

    diags.extend(_observation_check(facts, by_id))
    return diags


def _citation_gaps(f: Fact) -> list[Diagnostic]:
    """A source a reader cannot follow: no URL, or no named publisher.  A warning, not an error:
    a user's own notes may have neither."""
    out = []
    if not f.get("url"):
        out.append(_diag(f, "warning", "source has no url: a reader cannot follow it to the page", "url"))
    publisher = str(f.get("publisher") or "").strip()
    if publisher.lower() in ("", "unknown"):
        out.append(_diag(f, "warning", f"source has {'an unknown' if publisher else 'no'} publisher: name the outlet",
                         "publisher"))
    return out


def observation_key(f: Fact, fold_=None) -> tuple:
    """What an indicator measures: two facts with one key are the same observation."""
    from vnecon.core.text import fold

    fold_ = fold_ or fold
    return (fold_(f.get("name", "")), fold_(f.get("region", "")), f.get("period"), f.get("basis"),
            f.get("unit"), fold_(f.get("sector", "")), fold_(f.get("partner", "")), fold_(f.get("product", "")))


def _observation_check(facts: list[Fact], by_id: dict[str, Fact]) -> list[Diagnostic]:
    """Indicators that measure one observation, ordered by the one resolver (load.resolve), as
    the index orders them: `revises` that names nothing, another measure, a later figure or a
    loop is an error; vintages the resolver cannot order that give different values are a
    conflict (a warning, one per group), or a note where a curator named the twin on purpose;
    a date given only to the month or year that alone orders two values is a warning."""
    from vnecon.core.text import fold

    folded: dict[str, str] = {}  # a million facts repeat a few names: fold each once

    def f_(text: str) -> str:
        got = folded.get(text)
        if got is None:
            got = folded[text] = fold(text)
        return got

    diags: list[Diagnostic] = []
    groups: dict[tuple, list[Fact]] = {}
    dates: dict[str, str] = {}
    for f in facts:
        if f.kind != "indicator":
            continue
        key = observation_key(f, f_)
        groups.setdefault(key, []).append(f)
        dates[f.id] = published(f, by_id)
        target = f.get("revises")
        if not target:
            continue
        other = by_id.get(target)
        if other is None or other.kind != "indicator":
            diags.append(_diag(f, "error", f"revises: no indicator with id {target!r}", "revises"))
        elif other is not f and observation_key(other, f_) != key:
            diags.append(_diag(f, "warning", f"revises: {target!r} measures another name, region, period, "
                               "basis, unit, sector, partner or product", "revises"))
        elif other is not f:
            mine, theirs = published(f, by_id), published(other, by_id)
            if orderable(mine, theirs) and theirs > mine:
                diags.append(_diag(f, "error", f"revises: {target!r} was published later ({theirs}) than "
                                   f"this figure ({mine}); a revision comes after what it revises", "revises"))
    for group in groups.values():
        if len(group) < 2 and not group[0].get("revises"):
            continue
        got = resolve([Vintage(f.id, dates[f.id], str(f.get("revises") or ""), f.get("value")) for f in group])
        members = {f.id: f for f in group}
        for loop in got.loops:
            first = members[loop[0]]
            what = (f"revises itself ({loop[0]!r})" if len(loop) == 1 else
                    f"revises loop: {' -> '.join(repr(i) for i in loop)} each revise another of the loop")
            diags.append(_diag(first, "error", f"{what}; a revision names the earlier figure it replaces, "
                               "so nothing is ordered by a loop", "revises"))
        diags.extend(_conflicts(group, got, dates))
    return diags


def _conflicts(group: list[Fact], got, dates: dict[str, str]) -> list[Diagnostic]:
    """Different values with nothing to say which came later: vintages the resolver could not
    order (one level: one diagnostic per level, on its last fact), and neighbours it ordered only
    by its tie rule (a date missing, or given to the month or year: load.resolve), unless a
    `revises` or a note names the other."""
    out: list[Diagnostic] = []
    by_id = {f.id: f for f in group}

    def cited(f: Fact) -> str:
        return f"{f.get('value')} in {f.id!r} (sources {', '.join(f.get('sources', []))})"

    def explained(a: Fact, b: Fact) -> bool:
        return a.id in (b.get("note") or "") or b.id in (a.get("note") or "")

    def say(last: Fact, others: list[Fact], why: str) -> None:
        out.append(_diag(
            last, "note" if all(explained(last, o) for o in others) else "warning",
            f"value {last.get('value')} (sources {', '.join(last.get('sources', []))}) differs from "
            f"{'; '.join(cited(o) for o in others)} for the same name, region, period, basis and unit, and {why}; "
            f"if one revises the other, say so with revises = {others[0].id!r}", "value"))

    levels: dict[str, list[Fact]] = {}
    for f in group:
        levels.setdefault(got.level[f.id], []).append(f)
    for tied in levels.values():
        last = tied[-1]
        others = [f for f in tied[:-1] if f.get("value") != last.get("value")]
        if others:
            dated = ", ".join(dict.fromkeys(dates[f.id] or "none" for f in tied))
            say(last, others, f"the sources' dates ({dated}) do not say which came later")
    from itertools import pairwise

    for a, b in pairwise(got.ordered([f.id for f in group])):
        fa, fb = by_id[a], by_id[b]
        da, db = dates[a], dates[b]
        if da == db or orderable(da, db) or fa.get("value") == fb.get("value") or fb.get("revises") == a:
            continue
        if not (da and db):
            why = f"the sources of {a if not da else b!r} have no date (counted as the earlier figure)"
        else:
            short, full = (da, db) if len(da) < len(db) else (db, da)
            why = (f"a source dated only {short} counts from its end, after {full}, so {b!r} is taken as the "
                   "later figure: give the source its day")
        say(fb, [fa], why)
    return out


def region_notes(facts: list[Fact], alias_groups: list[list[str]]) -> list[Diagnostic]:
    """A known place typed another way ('Ha Noi') is output in its standard spelling ('Hà Nội'):
    say so, so the user knows why their CSV differs from their file."""
    from vnecon.core.text import phrase

    standard: dict[str, str] = {}
    for names in alias_groups:
        for n in names:
            standard.setdefault(phrase(n), names[0])
    out = []
    for f in facts:
        region = f.get("region")
        if isinstance(region, str) and standard.get(phrase(region), region) != region:
            out.append(_diag(f, "note", f"region {region!r} is output as {standard[phrase(region)]!r}, "
                                        "its standard spelling", "region"))
    return out
