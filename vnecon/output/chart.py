"""Terminal line charts of series, drawn with plotext (the `chart` extra).

plotext is imported only here, only when a chart is asked for.  Series that
share a unit share a chart; each chart has period labels on the x axis, the
unit on the y axis and a legend.  Without colour the text carries no escape
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
        raise MissingExtra("--chart needs plotext: pip install 'vnecon[chart]'") from None
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
    """Series that share a unit go on one chart; a chart per unit otherwise."""
    groups: dict[str, list[Any]] = {}
    for s in series:
        groups.setdefault(s.unit, []).append(s)
    return list(groups.values())


def draw(group: list[Any], width: int, height: int = 15, color: bool = True, ascii: bool = False) -> str:
    """One chart of series sharing a unit, as text; a one-line note when it cannot be drawn."""
    drawable = [s for s in group if sum(isinstance(f.get("value"), (int, float)) for f in s.facts) >= 2]
    if not drawable:
        names = "; ".join(_label(s) for s in group)
        return visible(f"(no chart: {names} has fewer than 2 points)") + "\n"
    if width < MIN_WIDTH:
        return f"(no chart: the terminal is {width} columns wide; a chart needs {MIN_WIDTH})\n"
    plt = _plotext()
    periods = _periods(drawable)
    pos = _positions(periods)
    unit = drawable[0].unit
    top = max(abs(f.get("value")) for s in drawable for f in s.facts if isinstance(f.get("value"), (int, float)))
    size, unit_label = _scale(unit, top)
    fig = plt.figure
    fig.clear()
    fig.plot_size(width, height)
    fig.theme("simple" if color else "colorless")  # coloured lines, no background: readable on dark and light
    for s, label in zip(drawable, _labels(drawable)):
        pts = [(pos[str(f.get("period"))], f.get("value") / size) for f in s.facts
               if isinstance(f.get("value"), (int, float))]
        sig = fig.signal([x for x, _ in pts], [y for _, y in pts], marker="*" if ascii else "braille")
        sig.lines()
        if len(drawable) > 1:  # one series: its name is the title, and no legend box hides the line
            sig.label(visible(label))
        fig.draw(sig)
    if len(drawable) == 1:
        fig.title(visible(_labels(drawable)[0]))
    keep = _thin(periods, width - 10)
    fig.ruler("x").ticks([pos[periods[i]] for i in keep], [periods[i] for i in keep])
    fig.label(unit_label, axis="y")
    text = fig.build().string(colorless=not color)
    fig.clear()
    if not color:
        text = re.sub(_ANSI, "", text)  # should a plotext release leave a reset code anyway
    if ascii:
        text = text.translate(_ASCII)
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).rstrip("\n") + "\n"


def render_charts(series: list[Any], width: int, height: int = 15, color: bool = True, ascii: bool = False) -> str:
    """Every chart for these series, one per unit, separated by a blank line; series with fewer
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
