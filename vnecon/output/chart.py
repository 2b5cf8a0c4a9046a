"""Terminal line charts of series, drawn with plotext (the `chart` extra).

plotext is imported only here, only when a chart is asked for.  One chart
per measure (name, unit, basis); a line joins only periods of one length;
each chart has period labels on the x axis, the unit on the y axis and,
for several lines, a glyph per line and the legend under the plot.  Without colour the text carries no escape
codes; ``ascii`` (TERM=dumb) swaps braille and box drawing for plain ASCII.
Series are ``vnecon.search.series.Series`` objects (output never imports search).
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs ~5 ms at start-up; annotations are strings anyway
if TYPE_CHECKING:
    from typing import Any

import re

from vnecon.core.errors import MissingExtra
from vnecon.core.text import visible

MIN_WIDTH = 30  # narrower than this, a chart says so instead of drawing
_ANSI = r"\x1b\[[0-9;]*m"
_ASCII = str.maketrans({"─": "-", "│": "|", "┌": "+", "┐": "+", "└": "+", "┘": "+", "┬": "+", "┴": "+",
                        "┤": "+", "├": "+", "┼": "+", "•": "*", "·": "."})
UNIT_LABELS = {"%": "%", "pp": "percentage points", "points": "points", "USD": "US$", "count": "count"}


def _plotext():
    import sys

    if sys.modules.get("plotext") is not None:
        return sys.modules["plotext"]
    # plotext's package __init__ builds its interactive documentation (plotext._doc.doc),
    # 50 of the ~90 ms its import takes here, and nothing that draws uses it.  A stand-in
    # for that one module, removed again at once, keeps --chart within 60 ms of the table;
    # if a plotext release no longer accepts it, the plain import runs instead.
    import types

    stand_in = types.ModuleType("plotext._doc.doc")
    stand_in.docs = None
    sys.modules["plotext._doc.doc"] = stand_in
    try:
        import plotext
    except ImportError:
        raise MissingExtra("--chart needs plotext: pip install 'vnecon[chart]' (in a checkout: pip install '.[chart]')") from None
    except Exception:  # noqa: BLE001 - the stand-in did not satisfy this plotext: import it whole
        for name in [m for m in sys.modules if m == "plotext" or m.startswith("plotext.")]:
            del sys.modules[name]
        import plotext
    finally:
        if sys.modules.get("plotext._doc.doc") is stand_in:
            del sys.modules["plotext._doc.doc"]
    return plotext


def _labels(group: list[Any]) -> list[str]:
    """Legend entries naming only what tells the series apart (all of it for one series)."""
    def parts(s: Any) -> list[str]:
        return [s.name, s.region, {"yoy": "y/y", "mom": "m/m", "level": ""}.get(s.basis, s.basis), s.sector]

    rows = [parts(s) for s in group]
    differ = [i for i in range(4) if len({r[i] for r in rows}) > 1] or [0, 1]
    return [", ".join(r[i] for i in differ if r[i]) for r in rows]


def _label(s: Any) -> str:
    return _labels([s])[0]


def _scale(unit: str, top: float) -> tuple[float, str]:
    """Money in bn or mn so the y axis reads 8.9 rather than 8900000000."""
    if unit in ("USD", "US$", "VND") or len(unit) == 3 and unit.isupper():
        for size, word in ((1e12, "tn"), (1e9, "bn"), (1e6, "mn")):
            if abs(top) >= size:
                return size, f"{UNIT_LABELS.get(unit, unit)} {word}"
    return 1.0, UNIT_LABELS.get(unit, unit)


def _periods(group: list[Any]) -> list[str]:
    from vnecon.core.periods import parse_period

    seen: dict[str, tuple[str, str]] = {}
    for s in group:
        for f in s.facts:
            p = str(f.get("period"))
            try:
                seen[p] = parse_period(p)
            except ValueError:
                seen[p] = ("", "")
    return sorted(seen, key=lambda p: (seen[p], p))


def _positions(periods: list[str]) -> dict[str, int]:
    """x of each period: the day it starts, so 2022 and 2024 sit two years apart, not side by side."""
    from datetime import date

    from vnecon.core.periods import parse_period

    out = {}
    for i, p in enumerate(periods):
        try:
            out[p] = date.fromisoformat(parse_period(p)[0]).toordinal()
        except ValueError:
            out[p] = i
    return out


def _thin(labels: list[str], room: int) -> list[int]:
    """Indexes of the labels to print so they don't run into each other (first and last kept)."""
    if not labels:
        return []
    widest = max(len(x) for x in labels) + 2
    fit = max(1, room // widest)
    if fit >= len(labels):
        return list(range(len(labels)))
    step = -(-(len(labels) - 1) // max(1, fit - 1)) if fit > 1 else len(labels)
    keep = list(range(0, len(labels), step))
    if keep[-1] != len(labels) - 1 and fit > 1:
        keep[-1] = len(labels) - 1
    return keep


def chart_groups(series: list[Any]) -> list[list[Any]]:
    """One chart per measure: series of the same name, unit and basis (other regions or sectors of
    it) share a chart; GDP growth and a digital-economy target never do."""
    from vnecon.core.text import phrase

    groups: dict[tuple[str, str, str], list[Any]] = {}
    for s in series:
        groups.setdefault((phrase(s.name), s.unit, s.basis), []).append(s)
    return list(groups.values())


GLYPHS = "*o+x#@%=&$"  # one per line when a chart has several: told apart without colour, on any terminal


def _numeric(s: Any) -> list[Any]:
    return [f for f in s.facts if isinstance(f.get("value"), (int, float))]


class Line:
    """One line of a chart: points of one series and one period length (a line never joins lengths)."""

    __slots__ = ("length", "points", "series")

    def __init__(self, series: Any, length: str, points: list[Any]) -> None:
        self.series, self.length, self.points = series, length, points


def chart_lines(group: list[Any]) -> tuple[list[Line], list[str]]:
    """The lines of one chart, and a note for each series whose periods differ in length: an
    11-month total and a single month are drawn apart, never joined."""
    lines: list[Line] = []
    notes: list[str] = []
    for s in group:
        parts = [(n, [f for f in fs if isinstance(f.get("value"), (int, float))])
                 for n, fs in s.by_length().items()]
        parts = [(n, pts) for n, pts in parts if pts]
        lines.extend(Line(s, n, pts) for n, pts in parts)
        if len(parts) > 1:
            notes.append(f"{_label(s)}: periods of different lengths ({', '.join(n for n, _ in parts)}) are "
                         "separate lines, never joined")
    return lines, notes


def _line_labels(lines: list[Line]) -> list[str]:
    labels = _labels([ln.series for ln in lines])
    split = len({id(ln.series) for ln in lines}) < len(lines)  # some series has several lengths
    return [(f"{lab}, {ln.length}" if split else lab) for lab, ln in zip(labels, lines)]


def draw(group: list[Any], width: int, height: int = 15, color: bool = True, ascii: bool = False) -> str:
    """One chart of one measure, as text; a one-line note when it cannot be drawn.

    Each line joins points of one series and one period length.  With more
    than one line, each has its own glyph (so they differ without colour) and
    the legend is printed under the chart, outside the plot, never over data.
    """
    lines, notes = chart_lines(group)
    if sum(len(ln.points) for ln in lines) < 2:
        names = "; ".join(_label(s) for s in group)
        return visible(f"(no chart: {names} has fewer than 2 points)") + "\n"
    if width < MIN_WIDTH:
        return f"(no chart: the terminal is {width} columns wide; a chart needs {MIN_WIDTH})\n"
    plt = _plotext()
    periods = _periods(group)
    pos = _positions(periods)
    unit = group[0].unit
    top = max(abs(f.get("value")) for ln in lines for f in ln.points)
    size, unit_label = _scale(unit, top)
    fig = plt.figure
    fig.clear()
    fig.plot_size(width, height)
    fig.theme("simple" if color else "colorless")  # coloured lines, no background: readable on dark and light
    many = len(lines) > 1
    labels = _line_labels(lines)
    for i, ln in enumerate(lines):
        xs = [pos[str(f.get("period"))] for f in ln.points]
        ys = [f.get("value") / size for f in ln.points]
        marker = GLYPHS[i % len(GLYPHS)] if many else ("*" if ascii else "braille")
        sig = fig.signal(xs, ys, marker=marker)
        if len(ln.points) > 1:
            sig.lines()
        fig.draw(sig)
    if not many:
        fig.title(visible(labels[0]))
    keep = _thin(periods, width - 10)
    fig.ruler("x").ticks([pos[periods[i]] for i in keep], [periods[i] for i in keep])
    fig.label(unit_label, axis="y")
    text = fig.build().string(colorless=not color)
    fig.clear()
    if not color:
        text = re.sub(_ANSI, "", text)  # should a plotext release leave a reset code anyway
    if ascii:
        text = text.translate(_ASCII)
    out = [line.rstrip() for line in text.rstrip("\n").split("\n")]
    if many:  # the legend, under the chart: a box inside the plot would hide points
        out += [visible(f"  {GLYPHS[i % len(GLYPHS)]} {lab}") for i, lab in enumerate(labels)]
    out += [visible(f"  ({n})") for n in notes]
    return "\n".join(out) + "\n"


def render_charts(series: list[Any], width: int, height: int = 15, color: bool = True, ascii: bool = False) -> str:
    """One chart per measure (name, unit, basis), separated by a blank line; series with fewer
    than 2 points are left out, with one line saying how many (their tables are above)."""
    def points(s: Any) -> int:
        return sum(isinstance(f.get("value"), (int, float)) for f in s.facts)

    drawable = [s for s in series if points(s) >= 2]
    charts = [draw(g, width, height, color, ascii) for g in chart_groups(drawable)]
    left = len(series) - len(drawable)
    if left and (drawable or len(series) > 1):
        charts.append(f"({left} series with fewer than 2 points {'is' if left == 1 else 'are'} not charted)\n")
    elif left:
        charts.append(draw(series, width, height, color, ascii))  # the one series: say which
    return "\n".join(charts)
