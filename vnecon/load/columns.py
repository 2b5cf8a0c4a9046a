"""Rows for machines: every field of a fact plus companions computed from it.

A period ``P`` gets ``P_start`` and ``P_end`` (ISO days); a date field ``D``
(2025, 2025-03 or 2025-03-01) gets ``D_start`` and ``D_end``; ``sources`` gets
``source_publisher``, ``_title``, ``_url`` and ``_date`` of the first cited source; a
project's ``investments`` get ``investment_total`` and ``investment_currency``
(only where every amount is in one currency) and ``investment_total_status``
saying how the total was made.  CSV/TSV/JSON output, ``--fields``, ``--sort``
and ``vnecon export`` all read rows from here, so they agree on names.
"""

from __future__ import annotations

from vnecon.core.errors import UsageError
from vnecon.core.periods import parse_date, parse_period
from vnecon.core.text import close_to
from vnecon.load.model import (
    KINDS,
    Fact,
    columns_for,
    fields_for,
    output_name,
    published,
)

# A search over every kind has these columns (companions after their field).
MIXED_BASE = ["id", "kind", "name", "value", "unit", "basis", "trust", "period", "region", "date", "sources"]

INVESTMENT_COMPANIONS = ["investment_total", "investment_currency", "investment_total_status"]
SOURCE_COMPANIONS = ["source_publisher", "source_title", "source_url", "source_date"]
# An indicator's vintage: the day its latest source was published, and whether an earlier
# published value of the same observation differs (docs/schema.md, "Revisions and vintages").
VINTAGE_COLUMNS = ["vintage_date", "revised"]


def _field_types(kind: str) -> dict[str, str]:
    return {output_name(kind, f.name): f.type for f in fields_for(kind)}


_TYPES = {kind: _field_types(kind) for kind in KINDS}
_MIXED_TYPES = {"name": "str", "value": "number", "unit": "str", "basis": "str", "period": "period",
                "region": "str", "date": "date", "sources": "list", "id": "str", "kind": "str"}


def companions(name: str, type_: str) -> list[str]:
    """The computed columns that follow a field of this name and type."""
    if type_ in ("period", "date"):
        return [f"{name}_start", f"{name}_end"]
    if name == "sources":
        return SOURCE_COMPANIONS
    if type_ == "investments":
        return INVESTMENT_COMPANIONS
    return []


def _with_companions(names: list[str], types: dict[str, str]) -> list[str]:
    out: list[str] = []
    for n in names:
        out.append(n)
        out.extend(companions(n, types.get(n, "str")))
    return out


# A search result: 'exact' (the observation asked for) or 'nearest' (shown because it is missing).
MATCH_COLUMN = "match"
MIXED_COLUMNS = _with_companions(MIXED_BASE, _MIXED_TYPES) + VINTAGE_COLUMNS + [MATCH_COLUMN]


def machine_columns(kind: str | None) -> list[str]:
    """Every column of one kind, or of a search over every kind: fixed by the command, never by results."""
    if kind is None:
        return list(MIXED_COLUMNS)
    names = _with_companions(columns_for(kind), _TYPES[kind])
    if kind == "indicator":
        at = names.index("source_date") + 1
        names[at:at] = VINTAGE_COLUMNS
    return names


def all_columns() -> list[str]:
    """The mixed columns, then every other column of any kind (what --fields accepts in a search)."""
    out = list(MIXED_COLUMNS)
    for kind in KINDS:
        out += [c for c in machine_columns(kind) if c not in out]
    return out


def column_type(kind: str | None, name: str) -> str:
    """The schema type of a column (str, number, date, period, list, investments, people);
    companions: 'day' for ISO days, 'number' for investment_total, else 'str'."""
    types = _TYPES[kind] if kind else _MIXED_TYPES
    if name in types:
        return types[name]
    if name.endswith(("_start", "_end")):
        return "day"
    if name == "revised":
        return "bool"
    return "number" if name == "investment_total" else "str"


def _span(text: object, parse) -> tuple[str, str] | None:
    if not isinstance(text, str):
        return None
    try:
        return parse(text)
    except ValueError:  # a broken fact still loads; its companions stay empty
        return None


def investment_summary(investments: list) -> dict[str, object]:
    """investment_total/currency/status: a total only where every amount shares one currency."""
    amounts = [i for i in investments if isinstance(i, dict) and isinstance(i.get("amount"), (int, float))]
    if not amounts:
        return {}
    currencies = sorted({str(i.get("currency", "")) for i in amounts})
    if len(currencies) != 1:
        return {"investment_total_status": f"not summed: amounts in {', '.join(currencies)}"}
    total = sum(i["amount"] for i in amounts)
    status = "one amount" if len(amounts) == 1 else f"sum of {len(amounts)} amounts"
    return {"investment_total": total, "investment_currency": currencies[0], "investment_total_status": status}


def machine_row(fact: Fact, sources: dict[str, Fact] | None = None, mixed: bool = False) -> dict[str, object]:
    """The fact's fields in schema order with their companions; absent stays absent.

    ``mixed`` fills the columns a search over every kind shares: a source's
    title as its name, a project's start as its date.
    """
    d = fact.to_dict()
    if mixed:
        d.setdefault("name", fact.title)
        d.setdefault("date", fact.get("started"))
        if d["date"] is None:
            del d["date"]
        if fact.kind != "indicator":
            d.pop("unit", None)
    types = _MIXED_TYPES if mixed else _TYPES[fact.kind]
    out: dict[str, object] = {}
    for key, value in d.items():
        out[key] = value
        t = types.get(key) or _TYPES[fact.kind].get(key, "str")
        if t in ("period", "date"):
            span = _span(value, parse_period if t == "period" else parse_date)
            if span:
                out[f"{key}_start"], out[f"{key}_end"] = span
        elif key == "sources" and sources is not None and isinstance(value, list) and value:
            first = next((sources[s] for s in value if s in sources), None)  # the first that exists
            if first is not None:
                for col, field in ((c, c.removeprefix("source_")) for c in SOURCE_COMPANIONS):
                    if first.get(field) is not None:
                        out[col] = first.get(field)
        elif t == "investments" and isinstance(value, list):
            out.update(investment_summary(value))
    if fact.kind == "indicator":
        vintage = vintage_date(fact, sources)
        if vintage:
            out["vintage_date"] = vintage
        if fact.revised is not None:
            out["revised"] = fact.revised
    if fact.match:
        out[MATCH_COLUMN] = fact.match
    return out


def vintage_date(fact: Fact, sources: dict[str, Fact] | None) -> str | None:
    """When the figure was published: its latest source's date (as the index keeps it, else
    from the sources given)."""
    if fact.vintage_date or sources is None:
        return fact.vintage_date
    return published(fact, sources) or None


def parse_fields(text: str, available: list[str]) -> list[str]:
    """'a,b,c' -> the columns, in that order; an unknown name is a usage error with a suggestion."""

    names = [n.strip() for n in text.split(",") if n.strip()]
    if not names:
        raise UsageError("--fields: name at least one field; '--fields' alone lists them")
    for n in names:
        if n not in available:
            close = close_to(n, available, n=3)
            hint = f"; did you mean {' or '.join(close)}?" if close else "; '--fields' alone lists them"
            raise UsageError(f"--fields: no field {n!r}{hint}")
    return list(dict.fromkeys(names))
