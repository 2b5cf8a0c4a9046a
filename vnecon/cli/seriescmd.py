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
    if view.chart_file is not None:
        from vnecon.output.chartfile import chart_suffix

        chart_suffix(view.chart_file)  # a name that is no .svg or .png fails before any loading
        if wide:
            raise UsageError("use either --chart FILE or --wide, not both")
    fmt, bom, safe, limit = out.fmt, out.bom, out.safe, q.limit
    if vintages and wide:
        raise UsageError("--vintages is a table of its own: leave out --wide")
    if chart and fmt is not None and fmt.lower() != "table":
        raise UsageError("--chart draws on the terminal; leave out --format (or use --format table)")
    if chart and wide:
        raise UsageError("use either --chart or --wide, not both")
    if out.fields is not None and not out.fields.strip():  # bare --fields: what it offers
        from vnecon.search.series import VINTAGE_ROW_COLUMNS

        names = VINTAGE_ROW_COLUMNS if vintages else LONG_COLUMNS
        emit(lambda stream: stream.write("".join(n + "\n" for n in names)))
        return Exit.OK
    if out.fields and (wide or chart):
        raise UsageError("--fields chooses the columns of the long rows (or of --vintages); leave out "
                         + ("--wide" if wide else "--chart"))
    index, setup = load_index(where)
    if vintages:
        index.scope(where.as_of, all_vintages=True)  # every published value, to set first against latest
    filters = {k: q.filters.get(k) for k in ("region", "sector", "partner", "product", "basis", "tag", "unit")}
    found, pq = find_series(index, text, filters, q.period, q.since, q.until, limit or None)
    if pq.corrections:
        say('showing results for "' + " ".join(pq.corrections.get(w.lower(), w) for w in text.split()) + '"')
    from vnecon.cli.storycmd import merger_notes

    for note in merger_notes(index, {"region": q.filters.get("region")}, "series", bool(found)):
        say(note, "note")  # an old province's name: say what it became
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
        if out.fields:
            _write_fields(rows, VINTAGE_ROW_COLUMNS, out, fmt, color)
        elif fmt == "table":
            emit(lambda stream: out_series.write_vintage_table(rows, stream, color, None, ascii))
        elif fmt == "markdown":
            emit(lambda stream: out_series.write_vintage_markdown(rows, stream))
        else:
            emit(lambda stream: out_series.write_rows(rows, VINTAGE_ROW_COLUMNS, stream, fmt, bom, safe))
    elif wide:
        periods, rows, notes = wide_rows(found)
        for note in notes:
            say(note, "note")
        if fmt == "table":
            emit(lambda stream: out_series.write_wide_table(periods, rows, stream, color, None, ascii))
        elif fmt == "markdown":
            emit(lambda stream: out_series.write_wide_markdown(periods, rows, stream))
        else:
            cols = WIDE_COLUMNS + periods
            emit(lambda stream: out_series.write_rows(rows, cols, stream, fmt, bom, safe))
    else:
        srcs = sources_of(index, [f for s in found for f in s.facts])
        if out.fields:
            _write_fields(long_rows(found, srcs), LONG_COLUMNS, out, fmt, color)
        elif fmt == "table":
            emit(lambda stream: out_series.render_series(found, fmt, stream, srcs, color, None, ascii))
        elif fmt == "markdown":
            emit(lambda stream: out_series.write_series_markdown(found, stream, srcs))
        else:
            emit(lambda stream: out_series.write_rows(long_rows(found, srcs), LONG_COLUMNS, stream, fmt, bom,
                                                      safe))
    if chart and found:
        from vnecon.output.chart import render_charts

        if color is False or os.environ.get("NO_COLOR") or ascii:
            use_color = False  # NO_COLOR wins over FORCE_COLOR, as for the tables' colours
        else:
            use_color = os.environ.get("FORCE_COLOR", "0") not in ("", "0") or stdout_is_terminal()
        if vintages:  # one period length at a time: quarters, then half-years, ...
            plural = LENGTH_PLURALS
            lines = vintage_lines(found)
            drawn = [(n, s_) for n, s_ in lines if len(s_[0]) >= 2]
            charts = [f"{s_[0].name} · {plural.get(length, 'periods of ' + length)} · first published and latest\n"
                      + render_charts([out_series.one_line_series(x) for x in s_], terminal_width(),
                                      color=use_color, ascii=ascii)
                      for length, s_ in drawn]
            left = list(dict.fromkeys(plural.get(n, n) for n, s_ in lines if len(s_[0]) < 2))
            if left:
                charts.append(f"(not charted, one period each: {', '.join(left)})\n")
            text_out = "\n".join(charts)
        else:
            text_out = render_charts([out_series.one_line_series(s) for s in found], terminal_width(),
                                     color=use_color, ascii=ascii)
        emit(lambda stream: stream.write("\n" + text_out))
    if view.chart_file is not None and found:
        write_file_chart(found, view.chart_file, vintages, sources_of(index, [f for s in found for f in s.facts]))
    if stdout_is_terminal():
        n = len(found)
        more = limit not in (None, 0) and n == limit
        say(f"{n} series" + (" (the first ones; --limit N for more, --limit 0 for all)" if more else ""))
    return Exit.OK if found else Exit.NO_MATCH


LENGTH_PLURALS = {"month": "months", "quarter": "quarters", "half-year": "half-years", "year": "years"}


def write_file_chart(found, path: str, vintages: bool, sources: dict) -> None:
    """--chart FILE.svg|.png: a panel per measure (with --vintages, per period length: first published
    against latest), the sources and the day drawn under them; stderr says what was written."""
    import datetime
    import time
    from pathlib import Path

    from vnecon.cli.support import say
    from vnecon.output import series as out_series
    from vnecon.output.chart import chart_groups
    from vnecon.output.chartfile import write_chart_file
    from vnecon.search.series import vintage_lines

    shown = [out_series.one_line_series(s) for s in found]
    if vintages:
        def heading(lines, n: str) -> str:
            return (f"{lines[0].name} · {found[0].region} · {LENGTH_PLURALS.get(n, 'periods of ' + n)}: "
                    "first published and latest")

        panels = [(heading(lines, n), lines) for n, lines in vintage_lines(shown) if len(lines[0]) >= 2]
    else:
        def title(group) -> str:
            basis = {"yoy": "year on year", "mom": "month on month", "level": ""}.get(group[0].basis, group[0].basis)
            regions = ", ".join(dict.fromkeys(s.region for s in group))
            return " · ".join(x for x in (group[0].name, regions, basis) if x)

        panels = [(title(g), g) for g in chart_groups(shown)]
    publishers = dict.fromkeys(str(sources[sid].get("publisher") or "") for s in shown for f in s.facts
                               for sid in f.get("sources", []) if sid in sources)
    named = [p for p in publishers if p and p.lower() != "unknown"]
    line = ("Source: " + "; ".join(named) + ". " if named else "") + (
        f"Compiled with vnecon; drawn {datetime.date.today().isoformat()}.")
    started = time.perf_counter()
    n = write_chart_file(panels, Path(path), line)
    say(f"wrote {path} ({n} chart{'s' * (n != 1)}, {time.perf_counter() - started:.1f} s)")


def _write_fields(rows, available, out, fmt, color) -> None:
    """--fields: only these columns of the rows, in this order, in every format (a table shows them raw)."""
    from vnecon.cli.support import emit
    from vnecon.load.columns import parse_fields
    from vnecon.output import series as out_series

    cols = parse_fields(out.fields, list(available))
    if fmt == "table":
        emit(lambda stream: out_series.write_field_table(rows, cols, stream, color))
    else:
        emit(lambda stream: out_series.write_rows(rows, cols, stream, fmt, out.bom, out.safe))


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
