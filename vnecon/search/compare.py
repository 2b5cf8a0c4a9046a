"""Compare two figures: two periods of one measure, two regions, or two facts by id.

Plain functions; a comparison that would mislead (different units, bases,
sectors or period lengths, a range) raises ``Refused`` saying why.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs ~5 ms at start-up; annotations are strings anyway
if TYPE_CHECKING:
    from typing import Any

    from vnecon.search.index import Index

from vnecon.core.errors import UsageError
from vnecon.core.periods import parse_user_period
from vnecon.core.text import phrase
from vnecon.load.model import Fact
from vnecon.search.series import (
    Series,
    change_kind,
    find_series,
    relative_change,
    span_length,
    span_of,
)

BASIS_WORDS = {"yoy": "a year-on-year change", "mom": "a month-on-month change", "qoq": "a quarter-on-quarter change",
               "level": "a level", "share": "a share", "contribution": "a contribution to growth",
               "growth": "a growth rate", "target": "a target", "rank": "a rank", "multiple": "a multiple"}


class Refused(UsageError):
    """The two figures cannot be compared honestly (exit 2)."""


def refusal(a: Fact, b: Fact) -> str | None:
    """Why a and b must not be compared, or None when they may."""
    if a.get("basis") != b.get("basis"):
        wa = BASIS_WORDS.get(str(a.get("basis")), f"basis {a.get('basis')}")
        wb = BASIS_WORDS.get(str(b.get("basis")), f"basis {b.get('basis')}")
        return f"different bases: {a.id} is {wa}, {b.id} is {wb}"
    if a.get("unit") != b.get("unit"):
        return f"different units: {a.id} is in {a.get('unit')!s}, {b.id} in {b.get('unit')!s}"
    if phrase(str(a.get("sector") or "")) != phrase(str(b.get("sector") or "")):
        return (f"different scopes: {a.id} covers {a.get('sector') or 'the whole economy'}, "
                f"{b.id} covers {b.get('sector') or 'the whole economy'}")
    la, lb = span_length(span_of(a)), span_length(span_of(b))
    if la != lb:
        return f"different period lengths: {a.get('period')} is {_a(la)}, {b.get('period')} is {_a(lb)}"
    for f in (a, b):
        if f.get("value_max") is not None:
            return f"{f.id} is a range ({f.get('value')}-{f.get('value_max')}), not one figure"
        if not isinstance(f.get("value"), (int, float)):
            return f"{f.id} has no value"
    return None


def _a(length: str) -> str:
    if length[0].isdigit():
        return length  # "11 months"
    return ("an " if length[0] in "aeiou" else "a ") + length


# Qualifiers that make a figure approximate, and the word a difference of such figures carries.
_APPROXIMATE = {"about", "nearly", "over", "under", "at-least", "up-to", "estimate", "forecast", "target"}


def approximation(a: Fact, b: Fact) -> str | None:
    """'about' when either figure is not exact (nearly, over, an estimate...), else None: the
    difference of 'nearly US$2 bn' and 'US$2.4 bn' is about +21%, not +21%."""
    if any(str(f.get("qualifier") or "") in _APPROXIMATE for f in (a, b)):
        return "about"
    return None


def different_measures(a: Fact, b: Fact) -> str | None:
    """A label when a and b measure different things under one unit and basis (exports and FDI)."""
    if phrase(a.title) == phrase(b.title):
        return None
    return f"different measures: {a.id} is {a.title}, {b.id} is {b.title}"


# How a difference is measured (series.change_kind), as JSON names it: a relative change is
# computed only between levels; rates and shares differ in percentage points, indices in points.
COMPARED_AS = {"pp": "percentage points", "pts": "index points", "diff": "places", "rel": "levels"}


class Comparison:
    __slots__ = ("a", "approx", "b", "compared_as", "difference", "measures", "relative", "relative_why", "unit")

    def __init__(self, a: Fact, b: Fact) -> None:
        self.a, self.b = a, b
        self.approx = approximation(a, b)
        self.measures = different_measures(a, b)
        va, vb = a.get("value"), b.get("value")
        self.difference = vb - va
        kind = change_kind(str(a.get("unit") or ""), str(a.get("basis") or ""))
        self.compared_as = COMPARED_AS[kind]
        self.unit = {"pp": "pp", "pts": "points"}.get(kind, str(a.get("unit") or ""))
        # A ratio of two growth rates ("relative +15%") is a number a reporter could quote by mistake:
        # only levels (money, counts, areas) get a relative change; None where undefined: across zero...
        self.relative, self.relative_why = relative_change(va, vb) if kind == "rel" else (None, None)

    def to_dict(self) -> dict[str, Any]:
        relative = ({"relative_percent": round(self.relative, 6)} if self.relative is not None else
                    {"relative_undefined": self.relative_why} if self.relative_why else {})
        return {"a": self.a.to_dict(), "b": self.b.to_dict(), "difference": round(self.difference, 6),
                "difference_unit": self.unit, "compared_as": self.compared_as, **relative,
                **({"qualifier": self.approx} if self.approx else {}),
                **({"note": self.measures} if self.measures else {})}


def compare(a: Fact, b: Fact) -> Comparison:
    why = refusal(a, b)
    if why:
        raise Refused(f"cannot compare: {why}")
    return Comparison(a, b)


def _measure(s: Series) -> str:
    return ", ".join(x for x in (s.unit, BASIS_WORDS.get(s.basis, s.basis), s.sector) if x)


def _span(text: str):
    try:
        return parse_user_period(text)
    except ValueError:
        return None


def _point(series: list[Series], span) -> Fact | None:
    for s in series:
        for f in s.facts:
            if span_of(f) == span:
                return f
    return None


def resolve(index: Index, args: list[str], regions: list[str], filters: dict[str, str | None]) -> tuple[Fact, Fact]:
    """The two facts named by the arguments: two ids; QUERY P1 P2; or QUERY with --region A --region B."""
    if len(args) == 2 and len(regions) != 2:
        a, b = index.get(args[0]), index.get(args[1])
        if a is not None and b is not None:
            for f in (a, b):
                if f.kind != "indicator":
                    raise UsageError(f"{f.id} is a {f.kind}; compare works on indicators")
            return a, b
    if len(regions) == 1:
        filters, regions = {**filters, "region": regions[0]}, []
    if regions:
        if len(regions) != 2:
            raise UsageError("give two regions to compare: --region A --region B")
        query = " ".join(args)
        from vnecon.search.aliases import place_aliases

        places = place_aliases(*index.alias_tables())
        per_region = []
        for r in regions:
            found, _ = find_series(index, query, {**filters, "region": r}, limit=None)
            if not found:
                raise UsageError(f"nothing matches {query!r} in {r}")
            # The place itself before a province merged into it (Bình Dương reaches Hồ Chí Minh City).
            direct = set(places.alternatives(r, with_mergers=False))
            per_region.append([x for x in found if x.key[1] in direct] or found)
        # The best-ranked measure both regions report (name, basis, unit, sector): never a
        # figure of another measure that happens to rank first in the second region.
        pairs = [(s, t) for s in per_region[0] for t in per_region[1]
                 if s.key[0] == t.key[0] and s.key[2:] == t.key[2:]]
        if not pairs:
            s = per_region[0][0]
            raise Refused(f"cannot compare: nothing in {regions[1]} measures {s.name} ({_measure(s)}) as "
                          f"{regions[0]} does; try 'vnecon series {query} --region {regions[1]}'")
        first, other = pairs[0]
        common = [f for f in first.facts if any(span_of(g) == span_of(f) for g in other.facts)]
        if common:
            a = common[-1]  # the latest period both regions report
            return a, next(g for g in other.facts if span_of(g) == span_of(a))
        return first.facts[-1], other.facts[-1]  # refused below unless the lengths agree
    if len(args) < 3:
        raise UsageError("compare needs: two fact ids; or a query and two periods (compare iip 2024-06 2024-07); "
                         "or a query and two --region options")
    s1, s2 = _span(args[-2]), _span(args[-1])
    for text, span in ((args[-2], s1), (args[-1], s2)):
        if span is None:
            raise UsageError(f"{text!r} is not a period (2024, 2024-07, 2024-H1, 'July 2024', 2024-01/2024-11)")
    query = " ".join(args[:-2])
    found, _ = find_series(index, query, filters, limit=None)
    if not found:
        raise UsageError(f"nothing matches {query!r}")
    # The best series that has both periods, else the best that has either; the other period from the same series if it has it,
    # else from another series of the same name and region (refused below if it measures otherwise).
    both = [s for s in found if _point([s], s1) and _point([s], s2)]
    for s in both or found:
        a, b = _point([s], s1), _point([s], s2)
        if a or b:
            family = [s] + [t for t in found if t is not s and t.key[:2] == s.key[:2]]
            a, b = a or _point(family, s1), b or _point(family, s2)
            break
    else:
        a = b = None
    for text, f in ((args[-2], a), (args[-1], b)):
        if f is None:
            raise UsageError(f"no figure for {text} in what {query!r} finds; try 'vnecon series {query}'")
    return a, b
