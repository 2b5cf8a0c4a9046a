"""`vnecon import`: a table of figures becomes cited, validated [[indicator]] facts in TOML.

Layouts: long (one row a fact, columns named after fields), wide (one column
per period: 2019, T1/2024, Q1 2024, H1 2024) and the World Bank's CSV.  Every
row is validated before anything is written; problems name FILE:ROW:COLUMN.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections import namedtuple
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple

from vnecon.authoring.newfact import toml_key, toml_value
from vnecon.authoring.tables import (
    COMMA,
    POINT,
    Table,
    decide_decimal,
    header_period,
    number,
    proved_marks,
    read_table,
    scale_of,
    table_period,
    without_scale,
)
from vnecon.core.errors import UsageError
from vnecon.core.text import fold
from vnecon.load.model import fields_for

# Header words that name a field (folded): "Tỉnh/Thành phố" is a region, "Đơn vị" a unit.
HEADER_FIELDS = {
    "id": "id", "name": "name", "indicator": "name", "indicator name": "name", "measure": "name",
    "chi tieu": "name", "chi so": "name", "region": "region", "country": "region", "country name": "region",
    "province": "region", "tinh": "region", "tinh thanh pho": "region", "dia phuong": "region",
    "period": "period", "ky": "period", "thoi gian": "period", "value": "value", "gia tri": "value",
    "unit": "unit", "don vi": "unit", "don vi tinh": "unit", "basis": "basis", "sector": "sector",
    "nganh": "sector", "linh vuc": "sector", "note": "note", "ghi chu": "note", "qualifier": "qualifier",
    "name vi": "name_vi", "ten": "name_vi", "series name": "name",
}
WB_SKIP = {"country code", "indicator code", "series code"}
WB_CODES = ("Indicator Code", "Series Code")  # kept as a tag, so a figure can be traced to its series
# A header that names a period vnecon cannot read ('2024e', 'FY2025', 'T13/2024', 'Q5 2024', '1799').
_PERIODISH = re.compile(r"(?<!\d)\d{4}(?!\d)|^(?:q|h|t|m|quy|thang)\s*\d{1,2}(?!\d)")


class Problem(NamedTuple):
    row: int
    column: str
    message: str
    fact: int = -1  # index into Imported.facts, or -1 when no fact was made


class Imported(NamedTuple):
    facts: list[dict[str, Any]]  # field -> value, in schema order, id first
    problems: list[Problem]
    source: dict[str, Any] | None  # a [[source]] to write, with --new-source
    said: list[str]  # what was inferred, for stderr
    skipped: int  # empty or missing cells


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(str(text))).strip("-")


def fact_id(name: str, region: str, period: str) -> str:
    """Readable and deterministic: measure, region, period ('gdp-current-usd-vietnam-2019')."""
    parts = [slug(name)[:48].strip("-"), slug(region), slug(period)]
    return "-".join(p for p in parts if p)


def _wb_unit(indicator: str) -> tuple[float, str | None, str | None]:
    """'GDP (current US$)' -> (1, 'USD', 'level'); 'GDP growth (annual %)' -> (1, '%', 'yoy').

    An annual growth rate is a change on the year before: basis yoy, as the
    bundled facts and `--basis yoy` have it."""
    inside = re.findall(r"\(([^)]*)\)", indicator)
    text = inside[-1] if inside else indicator
    factor, unit = scale_of(text)
    basis = "yoy" if "%" in text and "annual" in text.lower() else ("share" if "%" in text else "level")
    return factor, unit or ("%" if "%" in text else None), basis


# How to read a table, whole: the layout (long, wide, worldbank; None: from the file), delimiter
# and encoding (None: sniffed), header -> field maps, constant field values (sets), the source
# (an id, or new_source with source_sets), all_countries (World Bank files), the file's date,
# a progress(done, total), the decimal mark ('.' or ','; None: decided per column from its cells,
# see decimal_marks), and place, which gives a region its standard spelling ('Viet Nam' -> 'Vietnam').
ImportSpec = namedtuple(
    "ImportSpec", "layout delimiter encoding maps sets source new_source source_sets all_countries file_date "
    "progress decimal place", defaults=(None, None, None, None, None, None, False, None, False, None, None, None, None))


def import_table(raw: bytes, name: str, spec: ImportSpec | None = None) -> Imported:
    """Turn a table into indicator facts (plain dicts); nothing is written here."""
    (layout, delimiter, encoding, maps, sets, source, new_source, source_sets, all_countries, file_date,
     progress, decimal, place) = spec or ImportSpec()
    if decimal not in (None, POINT, COMMA):
        raise UsageError(f"--decimal: give . (as in 1,234.5) or , (as in 1.234,5), not {decimal!r}")
    table = read_table(raw, name, delimiter, encoding, layout)
    if layout is None and table.layout:
        layout = table.layout
    maps = {fold(k).strip(): v for k, v in (maps or {}).items()}
    sets = dict(sets or {})
    said: list[str] = [f"read {name} as {table.encoding}, {len(table.rows)} row{'s' * (len(table.rows) != 1)}"]
    periods = {i: p for i, h in enumerate(table.headers) if (p := header_period(h))}
    if layout == "worldbank" and table.layout and not any(s.startswith("layout") for s in said):
        said.append("layout: worldbank (the file's header says so)")
    known = {f.name for f in fields_for("indicator")}

    def target_of(h: str) -> str | None:
        key = re.sub(r"\s+", " ", re.sub(r"[^a-z0-9 ]", " ", fold(h))).strip()
        target = maps.get(fold(h).strip()) or maps.get(key) or (h if h in known else HEADER_FIELDS.get(key))
        return "skip" if target is None and key in WB_SKIP else target

    targets_of = [target_of(h) for h in table.headers]
    if layout is None:
        # One period column is a wide table too, when no column holds the values.
        layout = "wide" if len(periods) >= 2 or (periods and "value" not in targets_of) else "long"
        said.append(f"layout: {layout} ({len(periods)} period columns)" if layout == "wide" else "layout: long")
    columns: dict[int, str] = {}
    for i, h in enumerate(table.headers):
        target = targets_of[i]
        if i in periods and layout != "long" or target == "skip":
            continue
        if target:
            if target in columns.values():
                other = table.headers[next(j for j, t in columns.items() if t == target)]
                raise UsageError(f"{name}: columns {other!r} and {h!r} both give the {target}; say which with "
                                 f"--map '{h}=skip' (or map it to another field); nothing was written")
            columns[i] = target
            continue
        filled = sum(1 for _, row in table.rows if i < len(row) and row[i].strip())
        if filled and _PERIODISH.search(fold(h)):
            raise UsageError(f"{name}: column {h!r} looks like a period but is not one vnecon reads (a year "
                             "1800-2200, T1/2024 or 2024-01, Q1 2024, H1 2024), so its "
                             f"{filled} cell{'s' * (filled != 1)} would be dropped: rename it, or --map '{h}=skip' "
                             "to leave it out; nothing was written")
        if filled and h not in WB_CODES:
            said.append(f"column {h!r} is not imported ({filled} cell{'s' * (filled != 1)}): --map '{h}=FIELD' "
                        f"imports it, --map '{h}=skip' says it is left out on purpose")
    if maps:
        unknown = [k for k in maps if not any(fold(h).strip() == k or re.sub(r"[^a-z0-9 ]", " ", fold(h)).strip() == k
                                               for h in table.headers)]
        if unknown:
            raise UsageError(f"--map: no column {unknown[0]!r}; the columns are {', '.join(table.headers)}")
    src, source_fact = _source(name, source, new_source, source_sets or {}, table, file_date, said)
    problems: list[Problem] = []
    facts: list[dict[str, Any]] = []
    skipped = 0
    rows: list[int] = []
    value_columns = (list(periods) if layout != "long" else
                     [next((i for i, t in columns.items() if t == "value"), -1)])
    marks = decimal_marks(table, value_columns, name, decimal, layout, said)
    code_column = next((i for i, h in enumerate(table.headers) if h in WB_CODES), None)
    header_text = " ".join(table.headers[i] for i in columns if columns[i] == "value")
    for n, (line, cells) in enumerate(table.rows, start=1):
        if progress and n % 500 == 0:
            progress(n, len(table.rows))
        base: dict[str, Any] = {}
        row_problems: list[Problem] = []  # a problem of the whole row: none of its facts is made
        extra = [(i, c.strip()) for i, c in enumerate(cells) if i >= len(table.headers) and c.strip()]
        if extra and not (layout == "worldbank" and len(cells) - len(table.headers) == 1 and not cells[-1].strip()):
            i, c = extra[0]
            row_problems.append(Problem(line, f"(cell {i + 1})", f"{len(cells)} cells but {len(table.headers)} "
                                        f"columns: {c!r} in cell {i + 1} has no column (a comma inside an unquoted "
                                        "value?)"))
        for i, target in columns.items():
            cell = cells[i].strip() if i < len(cells) else ""
            if cell and target != "value":
                base[target] = cell
        if layout == "worldbank":
            code = next((cells[i] for i, h in enumerate(table.headers) if h == "Country Code" and i < len(cells)), "")
            if not code.strip() or (not all_countries and code.strip() != "VNM"):
                continue  # another country, or a DataBank footer line
            factor, unit, basis = _wb_unit(base.get("name", ""))
            base.setdefault("unit", unit or "")
            base.setdefault("basis", basis or "level")
            series_code = cells[code_column].strip() if code_column is not None and code_column < len(cells) else ""
            if series_code:
                base.setdefault("tags", [series_code])
        else:
            # The scale and unit: the unit cell ("tỷ USD"), else the name's brackets
            # ("Exports (billion USD)"), else the value column's header; each of scale and
            # unit from the first that has one, so "Exports (million USD)" with a unit cell
            # "USD" is in millions.  Two different scales for one row are an error.
            named = re.findall(r"\(([^)]*)\)", str(base.get("name", "")))
            cell_unit = str(base.get("unit") or "")
            said_by = [(what, *scale_of(text)) for what, text in
                       (("unit", cell_unit), ("name", named[-1] if named else ""), ("header", header_text))]
            scales = [(what, f) for what, f, _ in said_by if f != 1.0]
            if len({f for _, f in scales}) > 1:
                (w1, f1), (w2, f2) = scales[0], next(x for x in scales if x[1] != scales[0][1])
                row_problems.append(Problem(line, "unit", f"the {w1} says x{f1:g} but the {w2} says x{f2:g}: "
                                                          "which scale is meant?"))
            factor = scales[0][1] if scales else 1.0
            unit = said_by[0][2] if cell_unit else next((u for _, _, u in said_by if u), None)
            if unit:
                base["unit"] = unit
            elif cell_unit and factor != 1.0 and scales[0][0] == "unit":
                base["unit"] = without_scale(cell_unit) or "count"  # 'triệu người': scaled, so 'người'
            if named and any(what == "name" and (f != 1.0 or u) for what, f, u in said_by):
                # "Exports (billion USD)": the bracket is now in the value and unit, not the name
                base["name"] = re.sub(r"\s*\([^)]*\)\s*$", "", str(base["name"])) or base["name"]
        if row_problems:
            problems += row_problems
            continue
        base = {**base, **{k: v for k, v in sets.items()}}
        if isinstance(base.get("period"), str):  # 'T7/2024', 'quý 3/2024' -> the schema's form
            base["period"] = table_period(base["period"]) or base["period"]
        base.setdefault("region", "Vietnam")
        if place:
            base["region"] = place(str(base["region"]))
        targets = ([(i, p) for i, p in periods.items()] if layout != "long" else
                   [(next((i for i, t in columns.items() if t == "value"), -1), base.get("period", ""))])
        for i, period in targets:
            column = table.headers[i] if 0 <= i < len(table.headers) else "value"
            cell = cells[i] if 0 <= i < len(cells) else ""
            try:
                exact = number(cell, marks.get(i))
            except ValueError as e:
                problems.append(Problem(line, column, str(e)))
                continue
            if exact is None:
                skipped += 1
                continue
            exact *= Decimal(factor)  # exact: 1.165 billion is 1165000000, not 1164999999.9999998
            value: int | float = (int(exact) if exact == exact.to_integral_value() and abs(exact) < 10 ** 18
                                  else float(exact))
            fact = {**base, "period": period, "value": value}
            fact.setdefault("id", fact_id(str(fact.get("name", "")), str(fact.get("region", "")), period))
            fact["sources"] = [src]
            problems += [p._replace(fact=len(facts)) for p in _validate(fact, line, column)]
            facts.append(_ordered(fact))
            rows.append(line)
    seen: dict[str, int] = {}
    for i, f in enumerate(facts):
        if f["id"] in seen:
            problems.append(Problem(rows[i], "id", f"id {f['id']!r} again (row {rows[seen[f['id']]]} has it): "
                                                   "give the rows different names, regions or periods", i))
        seen.setdefault(f["id"], i)
    return Imported(facts, problems, source_fact, said, skipped)


def decimal_marks(table: Table, columns: list[int], name: str, decimal: str | None, layout: str | None,
                  said: list[str]) -> dict[int, str | None]:
    """The decimal mark of each value column, decided once from all of its cells.

    --decimal wins; else what a column's cells prove ('2.9', '1.234,5'); else
    what the rest of the file proves; else the layout's (the World Bank
    writes '.').  A column that still reads two ways ('2.865' alone), or whose
    cells prove different marks, is refused, naming the cell and --decimal.
    """
    if decimal:
        return dict.fromkeys(columns, decimal)
    cells = {i: [(line, row[i]) for line, row in table.rows if 0 <= i < len(row)] for i in columns}
    in_file = proved_marks([c for i in columns for c in cells[i]])
    fallback = next(iter(in_file)) if len(in_file) == 1 else (POINT if layout == "worldbank" else None)
    marks: dict[int, str | None] = {}
    for i in columns:
        mark, why = decide_decimal(cells[i], fallback)
        if why:
            header = table.headers[i] if 0 <= i < len(table.headers) else "value"
            raise UsageError(f"{name}: column {header!r}, {why}: say which with --decimal . (as in "
                             "1,234.5) or --decimal , (as in 1.234,5); nothing was written")
        marks[i] = mark
    used = {m for m in marks.values() if m}
    if used:
        words = {POINT: "decimal point, as in 1,234.5", COMMA: "decimal comma, as in 1.234,5"}
        said.append("numbers: " + "; ".join(words[m] for m in sorted(used))
                    + (" (from the cells)" if in_file else " (the World Bank's)"))
    return marks


def _ordered(fact: dict[str, Any]) -> dict[str, Any]:
    order = [f.name for f in fields_for("indicator")]
    return {k: fact[k] for k in order if k in fact} | {k: v for k, v in fact.items() if k not in order}


def _validate(fact: dict[str, Any], line: int, column: str) -> list[Problem]:
    from vnecon.load.validate import validate_table

    found: list[Problem] = []
    # A problem with the value names the column it came from ('2022' in a wide table), not the field.
    validate_table("indicator", dict(fact), lambda key, sev, msg: found.append(
        Problem(line, column if key in (None, "", "value") else key, msg)) if sev == "error" else None)
    return found


def _source(name: str, source: str | None, new_source: bool, source_sets: dict[str, str], table: Table,
            file_date: str | None, said: list[str]) -> tuple[str, dict[str, Any] | None]:
    if source and new_source:
        raise UsageError("use either --source ID or --new-source, not both")
    if source:
        return source, None
    if not new_source:
        raise UsageError("every imported fact cites a source: give --source ID (an existing source) or "
                         "--new-source (describe it with --set-source publisher=... title=... date=... url=...)")
    meta = table.meta
    if name == "<stdin>" and not (source_sets.get("publisher") and source_sets.get("title")):
        raise UsageError("--new-source on standard input has no file to describe it: give --set-source "
                         "publisher=... --set-source title=... (and date=...)")
    fact: dict[str, Any] = {"id": f"import-{slug(Path(name).stem) or 'table'}"}
    fact["publisher"] = source_sets.get("publisher") or (
        "World Bank" if "Data Source" in meta else Path(name).name)
    fact["title"] = source_sets.get("title") or meta.get("Data Source") or Path(name).name
    date = source_sets.get("date") or meta.get("Last Updated Date") or file_date
    if date:
        fact["date"] = date
    if source_sets.get("url"):
        fact["url"] = source_sets["url"]
    fact["id"] = source_sets.get("id", fact["id"])
    origin = {k: "--set-source" if source_sets.get(k) else
              "the file's preamble" if (k == "publisher" and "Data Source" in meta) or
              (k == "title" and "Data Source" in meta) or (k == "date" and "Last Updated Date" in meta) else
              "the file's modification date" if k == "date" else "the file name"
              for k in ("publisher", "title", "date") if k in fact}
    said.append(f"new source {fact['id']}: " + "; ".join(f"{k} {fact[k]!r} from {v}" for k, v in origin.items()))
    return fact["id"], fact


def to_toml(imported: Imported) -> str:
    """The facts (and a new source) as TOML, checked by reading it back."""
    from vnecon.load.tomlread import tomllib

    blocks = []
    if imported.source:
        blocks.append("[[source]]\n" + "".join(f"{toml_key(k)} = {toml_value(v)}\n"
                                               for k, v in imported.source.items()))
    for f in imported.facts:
        blocks.append("[[indicator]]\n" + "".join(f"{toml_key(k)} = {toml_value(v)}\n" for k, v in f.items()))
    text = "\n".join(blocks)
    back = tomllib.loads(text)
    if len(back.get("indicator", [])) != len(imported.facts):
        raise UsageError("the facts would not read back as imported; nothing was written")
    return text


def file_date(path: str) -> str | None:
    try:
        return dt.date.fromtimestamp(os.stat(path).st_mtime).isoformat()
    except (OSError, ValueError):
        return None
