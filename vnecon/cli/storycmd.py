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
