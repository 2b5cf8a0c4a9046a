"""`series` and `compare` as plain functions returning exit codes."""

from __future__ import annotations

import os
import sys

from vnecon.core.errors import Exit, UsageError


def _terminal_width() -> int:
    import shutil

    return shutil.get_terminal_size((80, 24)).columns  # COLUMNS wins, as for Rich


def _ascii() -> bool:
    return os.environ.get("TERM") == "dumb"


def do_series(words, filters, period, since, until, limit, wide, chart, fmt, bom, no_color,
              facts, no_bundled, no_cache, safe=False) -> int:
    from vnecon.cli.commands import options
    from vnecon.cli.support import choose_format, emit, load_index, say, sources_of, stdout_is_terminal
    from vnecon.core.text import phrase
    from vnecon.search.series import LONG_COLUMNS, find_series, long_rows, wide_rows

    text = " ".join(words)
    if not phrase(text):
        raise UsageError("series needs at least one word, e.g. 'vnecon series pmi'")
    if chart and fmt is not None and fmt.lower() != "table":
        raise UsageError("--chart draws on the terminal; leave out --format (or use --format table)")
    if chart and wide:
        raise UsageError("use either --chart or --wide, not both")
    index, setup = load_index(options(facts, no_bundled, no_cache))
    found, pq = find_series(index, text, filters, period, since, until, limit or None)
    if pq.corrections:
        say('showing results for "' + " ".join(pq.corrections.get(w.lower(), w) for w in text.split()) + '"')
    fmt = "table" if chart else choose_format(fmt, setup.config.default_format)
    color = False if no_color or setup.config.color is False else None
    ascii = _ascii()
    from vnecon.output import series as out_series

    if wide:
        periods, rows, notes = wide_rows(found)
        for note in notes:
            say(note, "note")
        if fmt == "table":
            emit(lambda out: out_series.write_wide_table(periods, rows, out, color, None, ascii))
        else:
            cols = ["series_id", "measure", "region", "sector", "unit", "basis", "length"] + periods
            emit(lambda out: out_series.write_rows(rows, cols, out, fmt, bom, safe))
    elif fmt == "table":
        srcs = sources_of(index, [f for s in found for f in s.facts])
        emit(lambda out: out_series.render_series(found, fmt, out, srcs, color, None, ascii))
    else:
        emit(lambda out: out_series.write_rows(long_rows(found), LONG_COLUMNS, out, fmt, bom, safe))
    if chart and found:
        from vnecon.output.chart import render_charts

        if color is False or os.environ.get("NO_COLOR") or ascii:
            use_color = False  # NO_COLOR wins over FORCE_COLOR, as for the tables' colours
        else:
            use_color = os.environ.get("FORCE_COLOR", "0") not in ("", "0") or stdout_is_terminal()
        text_out = render_charts(found, _terminal_width(), color=use_color, ascii=ascii)
        emit(lambda out: out.write("\n" + text_out))
    if stdout_is_terminal():
        n = len(found)
        more = limit not in (None, 0) and n == limit
        say(f"{n} series" + (" (the first ones; --limit N for more, --limit 0 for all)" if more else ""))
    return Exit.OK if found else Exit.NO_MATCH


def do_compare(args, regions, filters, fmt, facts, no_bundled, no_cache) -> int:
    import json

    from vnecon.cli.commands import options
    from vnecon.cli.support import emit, load_index, sources_of
    from vnecon.output.series import write_comparison
    from vnecon.search.compare import compare, resolve

    fmt = (fmt or "text").lower()
    if fmt not in ("text", "table", "json"):
        raise UsageError(f"--format: compare prints text or json, not {fmt!r}")
    index, _ = load_index(options(facts, no_bundled, no_cache))
    a, b = resolve(index, list(args), list(regions or []), filters)
    cmp = compare(a, b)
    if fmt == "json":
        emit(lambda out: out.write(json.dumps(cmp.to_dict(), ensure_ascii=False, indent=2) + "\n"))
    else:
        srcs = sources_of(index, [a, b])
        emit(lambda out: write_comparison(cmp, out, srcs))
    return Exit.OK
