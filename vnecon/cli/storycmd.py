"""Commands for getting a figure into a story: `cite` (and `provinces`), as plain functions returning exit codes."""

from __future__ import annotations

from vnecon.core.errors import Exit, UsageError


def do_cite(ids: list[str], fmt: str | None, where) -> int:
    """Print a citation for each fact's sources (a source id cites itself)."""
    from vnecon.cli.support import emit, load_index, say
    from vnecon.output.cite import CITE_FORMATS, citation_lines, cite_format, csl_json
    from vnecon.search.query import suggest_ids

    form = cite_format(fmt)
    if form is None:
        raise UsageError(f"--format: cite prints {', '.join(CITE_FORMATS)}, not {fmt!r}")
    if not ids:
        raise UsageError("cite needs at least one fact id, e.g. 'vnecon cite vn-pmi-2024-07'")
    index, _ = load_index(where)
    cited = []
    missing = 0
    for fact_id in ids:
        fact = index.get(fact_id) or index.get(fact_id.strip().lower())
        if fact is None:
            close = suggest_ids(index, fact_id)
            say(f"no fact with id {fact_id!r}" + (f"; did you mean: {', '.join(close)}?" if close else ""), "error")
            missing += 1
            continue
        if fact.kind == "source":
            sources = [fact]
        else:
            sources = [s for s in (index.get(sid) for sid in fact.get("sources", []) or []) if s is not None]
            if not sources:
                say(f"{fact.id} cites no source that exists; run 'vnecon check'", "warning")
        cited.append((fact, sources))
    if form == "csl-json":
        if cited:
            emit(lambda out: out.write(csl_json(cited)))
    else:
        lines = citation_lines(cited, form)
        from vnecon.cli.support import stdout_is_terminal
        from vnecon.output.links import hyperlinks, link_urls

        if form == "plain" and hyperlinks(stdout_is_terminal()):
            lines = [link_urls(line) for line in lines]
        emit(lambda out: out.writelines(line + "\n" for line in lines))
    return Exit.NO_MATCH if missing or not any(s for _, s in cited) else Exit.OK


def do_provinces(name: str | None, out, where) -> int:
    """The 2025 mergers: old names, new name, day, source; NAME: only the mergers it takes part in."""
    from vnecon.cli.records import color_of
    from vnecon.cli.support import (
        choose_format,
        emit,
        load_index,
        say,
        stdout_is_terminal,
    )
    from vnecon.output.provinces import write_provinces
    from vnecon.search.provinces import MERGER_COLUMNS, merger_rows

    index, setup = load_index(where)
    fmt = choose_format(out.fmt, setup.config.default_format)
    rows = merger_rows(index, name)
    if not rows:
        say(f"no merger of 2025 takes in or forms {name!r}" if name else "no provincial mergers are loaded")
        return Exit.NO_MATCH
    color = color_of(out, setup.config)
    emit(lambda stream: write_provinces(rows, MERGER_COLUMNS, fmt, stream, color, out.bom, out.safe))
    if stdout_is_terminal():
        n = len({r["new_name"] for r in rows})
        say(f"{len(rows)} province{'s' * (len(rows) != 1)} became part of {n} other{'s' * (n != 1)}")
    return Exit.OK


def merger_notes(index, values: dict, plural: str, found: bool) -> list[str]:
    """For a --region or --location that names a province merged in 2025: what it became and when,
    and that the facts listed (if any) are those recorded under the old name."""
    from vnecon.search.provinces import merged_into

    notes = []
    for option in ("region", "location"):
        given = values.get(option)
        for name in [given] if isinstance(given, str) else given or []:
            row = merged_into(index, name)
            if row is None:
                continue
            old, new = row["old_name"], row["new_name"]
            head = f"{old} merged into {new} on {row['effective']} (vnecon provinces \"{new}\")"
            if found:
                notes.append(f"{head}; these are the {plural} recorded under {old}; --{option} \"{new}\" "
                             f"lists the whole of {new}")
            else:
                notes.append(f"{head}; no {plural} are recorded under {old}: try --{option} \"{new}\"")
    return notes
