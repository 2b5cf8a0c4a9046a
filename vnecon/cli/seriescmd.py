"""`series` and `compare` as plain functions returning exit codes."""

from __future__ import annotations

import os

from vnecon.core.errors import Exit, UsageError


def do_series(words, q, view, out, where) -> int:
    """q: a ListQuery (its filters: region as a list, sector, partner, product, basis, unit, tag); view: a SeriesView
    (wide, chart, vintages); out: an Output."""
    from vnecon.cli.records import color_of
    from vnecon.cli.support import (
        choose_format,
        emit,
        is_dumb_terminal,
        load_index,
        say,
        sources_of,
        stdout_is_terminal,
        terminal_width,
    )
    from vnecon.core.text import phrase
    from vnecon.search.series import (
        LONG_COLUMNS,
        WIDE_COLUMNS,
        find_series,
        long_rows,
        wide_rows,
    )

    text = " ".join(words)
    if not phrase(text):
        raise UsageError("series needs at least one word, e.g. 'vnecon series pmi'")
    wide, chart, vintages = view.wide, view.chart, view.vintages
    fmt, bom, safe, limit = out.fmt, out.bom, out.safe, q.limit
    if vintages and wide:
        raise UsageError("--vintages is a table of its own: leave out --wide")
    if chart and fmt is not None and fmt.lower() != "table":
        raise UsageError("--chart draws on the terminal; leave out --format (or use --format table)")
    if chart and wide:
        raise UsageError("use either --chart or --wide, not both")
    index, setup = load_index(where)
    if vintages:
        index.scope(where.as_of, all_vintages=True)  # every published value, to set first against latest
    filters = {k: q.filters.get(k) for k in ("region", "sector", "partner", "product", "basis", "tag", "unit")}
    found, pq = find_series(index, text, filters, q.period, q.since, q.until, limit or None)
    if pq.corrections:
        say('showing results for "' + " ".join(pq.corrections.get(w.lower(), w) for w in text.split()) + '"')
    fmt = "table" if chart else choose_format(fmt, setup.config.default_format)
    color = color_of(out, setup.config)
    ascii = is_dumb_terminal()
    from vnecon.output import series as out_series

    if vintages:
        from vnecon.search.series import (
            VINTAGE_ROW_COLUMNS,
            vintage_lines,
            vintage_rows,
        )

        rows = vintage_rows(found)
        if fmt == "table":
            emit(lambda stream: out_series.write_vintage_table(rows, stream, color, None, ascii))
        else:
            emit(lambda stream: out_series.write_rows(rows, VINTAGE_ROW_COLUMNS, stream, fmt, bom, safe))
    elif wide:
        periods, rows, notes = wide_rows(found)
        for note in notes:
            say(note, "note")
        if fmt == "table":
            emit(lambda stream: out_series.write_wide_table(periods, rows, stream, color, None, ascii))
        else:
            cols = WIDE_COLUMNS + periods
            emit(lambda stream: out_series.write_rows(rows, cols, stream, fmt, bom, safe))
    elif fmt == "table":
        srcs = sources_of(index, [f for s in found for f in s.facts])
        emit(lambda stream: out_series.render_series(found, fmt, stream, srcs, color, None, ascii))
    else:
        emit(lambda stream: out_series.write_rows(long_rows(found), LONG_COLUMNS, stream, fmt, bom, safe))
    if chart and found:
        from vnecon.output.chart import render_charts

        if color is False or os.environ.get("NO_COLOR") or ascii:
            use_color = False  # NO_COLOR wins over FORCE_COLOR, as for the tables' colours
        else:
            use_color = os.environ.get("FORCE_COLOR", "0") not in ("", "0") or stdout_is_terminal()
        drawn = vintage_lines(found) if vintages else found
        text_out = render_charts([out_series.one_line_series(s) for s in drawn], terminal_width(), color=use_color,
                                 ascii=ascii)
        emit(lambda stream: stream.write("\n" + text_out))
    if stdout_is_terminal():
        n = len(found)
        more = limit not in (None, 0) and n == limit
        say(f"{n} series" + (" (the first ones; --limit N for more, --limit 0 for all)" if more else ""))
    return Exit.OK if found else Exit.NO_MATCH


def do_compare(args, regions, filters, fmt, where) -> int:
    import json

    from vnecon.cli.support import emit, load_index, sources_of, terminal_width
    from vnecon.output.series import write_comparison
    from vnecon.search.compare import compare, resolve

    fmt = (fmt or "text").lower()
    if fmt not in ("text", "table", "json"):
        raise UsageError(f"--format: compare prints text or json, not {fmt!r}")
    index, _ = load_index(where)
    a, b = resolve(index, list(args), list(regions or []), filters)
    cmp = compare(a, b)
    if fmt == "json":
        emit(lambda stream: stream.write(json.dumps(cmp.to_dict(), ensure_ascii=False, indent=2) + "\n"))
    else:
        srcs = sources_of(index, [a, b])
        emit(lambda stream: write_comparison(cmp, stream, srcs, terminal_width()))
    return Exit.OK
