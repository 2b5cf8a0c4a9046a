"""Charts for publication: `series ... --chart FILE.svg` (or .png), drawn with matplotlib.

matplotlib is in the `chart` extra and imported only here, only when a file
is written (never on the query path: tests/test_story.py checks it).  A panel
per measure (or, with --vintages, per period length): a title, the unit on
the y axis, periods on the x axis, a line per series and period length, each
with its own marker and dash so the chart reads without colour (printed in
grey, or by a reader who cannot tell the colours apart), the legend under the
plot, and a source line with the day it was drawn.  Text stays text in SVG.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

from vnecon.core.errors import MissingExtra, UsageError

SUFFIXES = (".svg", ".png")
# Okabe and Ito's palette, told apart by people with colour-vision deficiencies; markers and dashes
# tell the lines apart in grey too.
COLOURS = ("#000000", "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442")
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
DASHES = ("-", "--", ":", "-.")


def chart_suffix(path: str) -> str:
    """'.svg' or '.png' for a chart file's name; a usage error for anything else."""
    from pathlib import Path

    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise UsageError(f"--chart {path}: a chart file ends in .svg or .png (--chart alone draws on the terminal)")
    return suffix


def _figure_class():
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise MissingExtra("--chart FILE needs matplotlib: pip install 'vnecon[chart]' (in a checkout: "
                           "pip install '.[chart]')") from None
    return Figure


def _panel(ax: Any, title: str, group: list[Any]) -> None:
    """One measure (or one period length of --vintages): its lines, axes, title and legend."""
    from vnecon.core.text import visible
    from vnecon.output.chart import (
        _line_labels,
        _periods,
        _positions,
        _scale,
        _thin,
        chart_lines,
    )

    lines, notes = chart_lines(group)
    periods = _periods(group)
    pos = _positions(periods)
    values = [f.get("value") for ln in lines for f in ln.points]
    size, unit_label = _scale(group[0].unit, max((abs(v) for v in values), default=0))
    labels = _line_labels(lines)
    for i, ln in enumerate(lines):
        xs = [pos[str(f.get("period"))] for f in ln.points]
        ys = [f.get("value") / size for f in ln.points]
        ax.plot(xs, ys, label=visible(labels[i]), color=COLOURS[i % len(COLOURS)], marker=MARKERS[i % len(MARKERS)],
                linestyle=DASHES[i % len(DASHES)] if len(xs) > 1 else "none", linewidth=1.6, markersize=4)
    keep = _thin(periods, 70)
    ax.set_xticks([pos[periods[i]] for i in keep], [periods[i] for i in keep], fontsize=8)
    ax.tick_params(axis="y", labelsize=8)
    ax.set_ylabel(unit_label, fontsize=9)
    ax.set_title(visible(title), fontsize=11, loc="left")
    ax.grid(True, axis="y", color="#dddddd", linewidth=0.6)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if len(lines) > 1:  # under the plot, never over the data
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=min(len(lines), 3), fontsize=8,
                  frameon=False)
    if notes:
        ax.annotate(visible("; ".join(notes)), xy=(0, 1), xycoords="axes fraction", xytext=(0, 2),
                    textcoords="offset points", fontsize=7, color="#555555", va="bottom")


def write_chart_file(panels: list[tuple[str, list[Any]]], path: Path, source_line: str) -> int:
    """Draw each (title, series) panel, one under the other, with the source line under them all,
    into ``path`` (.svg or .png); returns the number of panels drawn."""
    import textwrap

    from vnecon.core.text import visible

    suffix = chart_suffix(str(path))
    def points(group: list[Any]) -> int:
        return sum(isinstance(f.get("value"), (int, float)) for s in group for f in s.facts)

    # A measure with a single figure makes an empty-looking panel: left out when others have lines.
    panels = [(t, g) for t, g in panels if points(g) >= 2] or [(t, g) for t, g in panels if points(g)]
    if not panels:
        raise UsageError("nothing to chart: the series found have no values")
    Figure = _figure_class()
    import matplotlib

    height = 3.6
    source = "\n".join(textwrap.wrap(visible(source_line), 120)) or ""
    with matplotlib.rc_context({"svg.fonttype": "none", "font.family": "DejaVu Sans", "svg.hashsalt": "vnecon"}):
        fig = Figure(figsize=(8, height * len(panels) + 0.5 + 0.15 * source.count("\n")), layout="constrained")
        axes = fig.subplots(len(panels), 1, squeeze=False)[:, 0]
        for ax, (title, group) in zip(axes, panels):
            _panel(ax, title, group)
        fig.get_layout_engine().set(h_pad=0.15)
        fig.supxlabel(source, x=0.01, ha="left", fontsize=7, color="#333333")
        meta = {"Date": None} if suffix == ".svg" else {"Software": "vnecon (matplotlib)"}
        fig.savefig(path, format=suffix[1:], dpi=150, metadata=meta)
    return len(panels)
