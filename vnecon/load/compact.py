"""A compact series record, [[series]], expanded into ordinary indicator facts.

A series of official figures is one measure at many periods: written as one [[indicator]] per figure,
the 30,000 observations of the National Summary Data Page would repeat the same name, unit, source and
tags 30,000 times.  A [[series]] says those once and lists its points::

    [[series]]
    id = "nsdp-txg-h5-0901-fob-usd"
    name = "Export turnover"
    product = "coffee"
    unit = "USD"
    basis = "level"
    sources = ["nsdp-trade-release-2024-11-13"]
    points = [
      ["2024-09", 360_497_000],
      ["2024-10", 259_748_875],
    ]

Each point becomes the indicator ``<id>-<period>`` (``nsdp-txg-h5-0901-fob-usd-2024-10``) with the
series' fields, validated exactly as that [[indicator]] would be, so every command, the index and
``check`` see ordinary facts.  A problem with a point is reported at the point's line and column; a
problem with a series field once, at that field.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from vnecon.load.model import SERIES_FIELDS, SERIES_POINT_FIELDS, Fact

ALLOWED = frozenset(f.name for f in SERIES_FIELDS)
_SIGNIFICANT = re.compile(r'[\[\]"#\']')


class PointPos:
    """Where a point's fact is: its period and value at the point, every other key at the series' key."""

    __slots__ = ("_series", "col", "line")

    def __init__(self, line: int, col: int, series: Any) -> None:
        self.line, self.col, self._series = line, col, series

    @property
    def keys(self) -> dict[str, tuple[int, int]]:
        keys = dict(self._series.keys) if self._series is not None else {}
        keys.update({k: (self.line, self.col) for k in SERIES_POINT_FIELDS})
        return keys


def point_id(series_id: str, period: str) -> str:
    """The id of a point's fact: 'nsdp-pcpi-ix' and '2024-Q3' -> 'nsdp-pcpi-ix-2024-q3'."""
    return f"{series_id}-{re.sub(r'[^a-z0-9]+', '-', period.lower()).strip('-')}"


def point_positions(tpos: Any) -> list[tuple[int, int]]:
    """(line, column) of each point's opening bracket, in order, read from the table's text: the
    brackets one level inside `points = [`, outside strings and comments."""
    if tpos is None:
        return []
    start = tpos.keys.get("points")
    if start is None:
        return []
    first, lines = tpos.body()
    out: list[tuple[int, int]] = []
    depth, quote = 0, ""
    for lineno in range(start[0], first + len(lines)):
        line = lines[lineno - first]
        begin = line.index("=") + 1 if lineno == start[0] and "=" in line else 0
        for m in _SIGNIFICANT.finditer(line, begin):
            ch = m.group()
            if quote:
                if ch == quote and line[m.start() - 1] != "\\":
                    quote = ""
            elif ch in "\"'":
                quote = ch
                if depth == 1:  # a string where a point should be: a point too, reported where it is
                    out.append((lineno, m.start() + 1))
            elif ch == "#":
                break
            elif ch == "[":
                depth += 1
                if depth == 2:
                    out.append((lineno, m.start() + 1))
            else:
                depth -= 1
                if depth == 0:
                    return out
        quote = ""  # points hold one-line strings only
    return out


Diag = Callable[..., None]  # (line, col, severity, message, kind, id)


def expand(table: Any, tpos: Any, line: int, diag: Diag) -> tuple[list[Fact], list[Fact]]:
    """The facts of one [[series]] table: (valid, with errors).  Never raises for bad input."""
    from vnecon.load.validate import validate_table

    if not isinstance(table, dict):
        diag(line, 1, "error", "[[series]] entries must be tables", "series")
        return [], []
    keys = tpos.keys if tpos is not None else {}
    sid = table.get("id")
    label = sid if isinstance(sid, str) else ""

    def at(key: str) -> tuple[int, int]:
        return keys.get(key, (line, 1))

    for key in sorted(set(table) - ALLOWED):
        diag(*at(key), "error", f"unknown field {key!r} in [[series]] (a series takes the fields of an "
             "indicator but period and value, which each point gives, and points)", "series", label)
    if not isinstance(sid, str) or not sid:
        diag(*at("id"), "error", "[[series]] needs an id (each point's fact is <id>-<period>)", "series", label)
        return [], []
    points = table.get("points")
    if not isinstance(points, list) or not points:
        diag(*at("points"), "error", 'points must be an array of [period, value] pairs: points = [["2024-01", '
             '123.4], ...]', "series", label)
        return [], []
    meta = {k: v for k, v in table.items() if k in ALLOWED and k not in ("id", "points")}
    where = point_positions(tpos)
    said: set[tuple[str, str]] = set()
    good: list[Fact] = []
    bad: list[Fact] = []
    for i, point in enumerate(points):
        pline, pcol = where[i] if i < len(where) else at("points")
        if not (isinstance(point, list) and len(point) == 2 and isinstance(point[0], str)):
            diag(pline, pcol, "error", f"point {i + 1} must be [period, value], e.g. [\"2024-01\", 123.4]",
                 "series", label)
            continue
        period, value = point
        fid = point_id(sid, period)
        errors = [0]

        def report(key: str, severity: str, message: str, pl: int = pline, pc: int = pcol, f: str = fid) -> None:
            errors[0] += severity == "error"  # noqa: B023 - called only within this iteration
            if key in SERIES_POINT_FIELDS:
                diag(pl, pc, severity, message, "indicator", f)
            elif (key, message) not in said:  # a series field: said once, at the field
                said.add((key, message))
                diag(*(at(key) if key else (line, 1)), severity, message, "series", label)

        fact = validate_table("indicator", {"id": fid, **meta, "period": period, "value": value}, report,
                              partial=True)
        if fact is None:
            continue
        fact.line, fact._pos = pline, PointPos(pline, pcol, tpos)
        (bad if errors[0] else good).append(fact)
    return good, bad
