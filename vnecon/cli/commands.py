"""The commands as plain functions returning exit codes, and ``run``, which calls them.

Both the Typer app (app.py) and the fast path (fast.py) hand ``run`` the
values of a command's options (named as in spec.py); it groups them into
small records (where facts come from, how output looks, what a listing
asks) and calls the command, so a command behaves the same whichever
parsed its arguments.
"""

from __future__ import annotations

import os
from pathlib import Path

from vnecon.cli.records import (
    Output,
    color_of,
    options,
    output_of,
    query_of,
    series_view_of,
    where_of,
)
from vnecon.core.errors import Exit, UsageError
from vnecon.load.session import Options

TYPE_CHECKING = False
if TYPE_CHECKING:
    from vnecon.search.query import ListQuery


def run(command: str, values: dict) -> int:
    """Run a command with its option values (missing ones take spec.py's defaults)."""
    from vnecon.cli.spec import defaults
    from vnecon.load.model import KIND_OF_PLURAL

    v = {**defaults(command), **values}
    if command in KIND_OF_PLURAL:
        return do_list(query_of(KIND_OF_PLURAL[command], v), output_of(v), where_of(v), v["all"])
    if command == "search":
        from vnecon.cli.spec import SEARCH_LIMIT

        n = v["limit"] if v["limit"] is not None else (0 if v["all"] else SEARCH_LIMIT)
        return do_search(v["words"], v["kind"], n, output_of(v), where_of(v), v.get("explain", False),
                         show_all=v["all"], asked=v["all"] or v["limit"] is not None)
    if command == "show":
        return do_show(v["fact_id"], output_of(v), where_of(v))
    if command in ("latest", "calendar"):
        from vnecon.cli import calendarcmd

        return calendarcmd.run(command, v, output_of(v), where_of(v))
    if command == "series":
        from vnecon.cli.seriescmd import do_series

        return do_series(v["words"], query_of("indicator", v), series_view_of(v), output_of(v), where_of(v))
    if command == "compare":
        from vnecon.cli.seriescmd import do_compare

        return do_compare(v["args"], v["region"], {"sector": v["sector"], "basis": v["basis"]}, v["fmt"],
                          where_of(v))
    if command == "cite":
        from vnecon.cli.storycmd import do_cite

        return do_cite(v["ids"] or [], v["fmt"], where_of(v))
    if command == "provinces":
        from vnecon.cli.storycmd import do_provinces

        return do_provinces(v["name"], output_of(v), where_of(v))
    if command == "check":
        return do_check(v["paths"], v["quiet"], where_of(v), v["all"], v["user"])
    if command == "paths":
        return do_paths(v["fmt"], where_of(v))
    if command == "new":
        return do_new(v["kind"], v["fact_id"], v["sets"] or [], v["append"], v["user"])
    if command == "import":
        from vnecon.cli.importcmd import do_import, request_of

        return do_import(request_of(v), where_of(v))
    if command == "fetch":
        from vnecon.cli.fetchcmd import do_fetch
        from vnecon.cli.fetchcmd import request_of as fetch_request

        return do_fetch(fetch_request(v), where_of(v))
    if command == "export":
        return do_export(Path(v["target"]), v["fmt"], v["force"], v["datasette_metadata"], where_of(v))
    if command == "help":
        return do_help(v["topic"])
    raise AssertionError(f"no runner for {command!r}")  # spec.py and run() disagree: a bug


def kind_name(kind: str | None) -> str | None:
    """'indicators' or 'indicator' -> 'indicator'; unknown kinds are usage errors."""
    from vnecon.load.model import KINDS, PLURALS

    if kind is None:
        return None
    k = kind.lower()
    for singular, plural in PLURALS.items():
        if k in (singular, plural):
            return singular
    raise UsageError(f"unknown kind {kind!r}; choose from {', '.join(KINDS)}")


def _output(facts, kind, index, setup, out: Output, fields, asked: bool = True, aliases=None) -> int:
    """Write the facts; return how many were shown (a table on a terminal shows what fits the
    screen unless ``asked`` for everything, or pages it: see output/screen.py).  ``aliases``:
    the index's, when the command has them already."""
    from vnecon.cli.support import choose_format, emit, sources_of, stdout_is_terminal
    from vnecon.output.render import Look, render

    fmt = choose_format(out.fmt, setup.config.default_format)
    facts = canonical_regions(facts, index, aliases)
    srcs = sources_of(index, facts)  # tables name them; CSV and JSON carry source_publisher and source_date

    def draw(items, stream) -> None:
        render(list(items), fmt, stream, kind, srcs, Look(color_of(out, setup.config), out.bom, None, fields,
                                                          out.safe))

    if fmt != "table" or not facts or not stdout_is_terminal():
        emit(lambda stream: draw(facts, stream))
        return len(facts)
    from vnecon.output.screen import to_screen

    shown = [len(facts)]

    def write(stream) -> None:
        shown[0] = to_screen(draw, facts, stream, asked)

    emit(write)
    return shown[0]


def _table_format(out: Output, setup) -> bool:
    from vnecon.cli.support import choose_format

    return choose_format(out.fmt, setup.config.default_format) == "table"


def chosen_fields(fields: str | None, kind: str | None) -> list[str] | None:
    """--fields a,b,c for this command's kind (None: a search over every kind); '' lists them (see fields_listed)."""
    from vnecon.load.columns import all_columns, machine_columns, parse_fields

    if fields is None or not fields.strip():
        return None
    return parse_fields(fields, all_columns() if kind is None else machine_columns(kind))


def fields_listed(fields: str | None, kind: str | None) -> bool:
    """Bare --fields: print the fields this command offers, one per line, and say so."""
    from vnecon.cli.support import emit
    from vnecon.load.columns import all_columns, machine_columns

    if fields is None or fields.strip():
        return False
    names = all_columns() if kind is None else machine_columns(kind)
    emit(lambda out: out.write("".join(n + "\n" for n in names)))
    return True


def _count(n: int, one: str, many: str, more: bool = False, shown: int | None = None, weak: int = 0) -> None:
    """The one line under a table: how many, and how to see what is not shown."""
    from vnecon.cli.support import say, stdout_is_terminal

    if n and stdout_is_terminal():  # nothing found has its own one-line message
        say(count_line(n, one, many, more, shown, weak))


def count_line(n: int, one: str, many: str, more: bool = False, shown: int | None = None, weak: int = 0) -> str:
    """'3 results; 17 weaker matches (only some of the words) not shown: --all shows them'."""
    shown = n if shown is None else shown
    text = f"{n} {one if n == 1 else many}"
    if shown < n:
        text = f"{shown} of {text} shown, as many as fit on the screen"
        if weak:
            text += f"; {weak} weaker {'match' if weak == 1 else 'matches'} (only some of the words) not shown"
        return text + " (no pager: PAGER is not set and less is not installed): --all shows every one"
    if more:
        text += " (the first ones; --limit N for more, --limit 0 for all)"
    if weak:
        text += (f"; {weak} weaker {'match' if weak == 1 else 'matches'} (only some of the words) not shown: "
                 "--all shows them")
    return text


def canonical_regions(facts, index, aliases=None):
    """Known places in their standard spelling ('Ha Noi' -> 'Hà Nội'), so a group-by in pandas or
    DuckDB does not split one place in two; an unknown place is output as typed.  ``aliases``:
    the index's (search.aliases.Aliases), when the caller has them; else they are read here."""
    from vnecon.search.aliases import Aliases

    if not any(f.get("region") for f in facts):
        return facts
    aliases = aliases or Aliases(*index.alias_tables())
    out = []
    for f in facts:
        region = f.get("region")
        shown = aliases.display(region) if isinstance(region, str) else region
        out.append(f if shown == region else f.copy(region=shown))
    return out


def do_search(words, kind, limit, out: Output, where: Options, explain: bool = False, show_all: bool = False,
              asked: bool = True) -> int:
    from vnecon.cli.support import load_index, say, stdout_is_terminal
    from vnecon.search.aliases import Aliases
    from vnecon.search.query import search

    try:
        kind = kind_name(kind)
    except UsageError as e:
        raise UsageError(f"--kind: {e}") from None
    if fields_listed(out.fields, kind):
        return Exit.OK
    chosen = chosen_fields(out.fields, kind)
    from vnecon.core.text import phrase

    text = " ".join(words)
    if not phrase(text):
        raise UsageError("search needs at least one word or number; to list facts use 'vnecon indicators' and friends")
    _day_month_notes(text)
    index, setup = load_index(where)
    aliases = Aliases(*index.alias_tables())  # read and folded once: the search and the output use them
    results, pq = search(index, text, kind, limit or None, aliases)  # --limit 0: every match
    if pq.nothing:  # no word about the subject is in the data: say so, show no unrelated rows
        from vnecon.search.answers import where_to_look

        say(f"nothing about {pq.nothing} in the data; {where_to_look(index, pq)}")
        _output([], kind, index, setup, out, chosen, asked)
        return Exit.NO_MATCH
    if pq.missing:  # the first line: what is not in the data, before the nearest facts
        say(pq.missing)
    for note in pq.notes:
        say(note, "note")
    if pq.corrections:
        typed = {phrase(w) for w in text.split()}
        corrected = " ".join(pq.corrections.get(phrase(w), w) for w in text.split())
        also = [f"{w} -> {c}" for w, c in pq.corrections.items() if w not in typed]  # inside a longer token
        say(f'showing results for "{corrected}"' + (f" ({', '.join(also)})" if also else ""))
    if pq.dropped or pq.cut:
        from vnecon.search.query import MAX_CHARS, MAX_WORDS

        parts = ([f"its first {MAX_CHARS:,} characters"] if pq.cut else []) + (
            [f"the first {MAX_WORDS} distinct words of those"] if pq.dropped else [])
        say("the query is long: searched " + " and ".join(parts))
    if pq.ignored:
        left = ", ".join(f'"{w}"' for w in pq.ignored)
        say(f"no fact mentions {left}; showing results for the other words")
    if not results:
        from vnecon.search.query import no_match_hint

        hint = no_match_hint(index, text, kind)
        say(f'no facts match "{text}"' + (f"; {hint}" if hint else ""))
    more = limit not in (None, 0) and len(results) == limit
    weak: list = []
    if _table_format(out, setup) and not show_all and stdout_is_terminal():  # the answer first, weak folded
        from vnecon.search.query import strong_first

        results, weak = strong_first(results, pq)
    shown = _output(results, kind, index, setup, out, chosen, asked, aliases)
    _count(len(results), "result", "results", more=more and not weak, shown=shown, weak=len(weak))
    if explain:  # after the results and their count: why each ranked where it did
        from vnecon.search.explain import query_lines, result_lines

        for line in query_lines(pq) + result_lines(index, pq, results):
            say(line, "explain")
    return Exit.OK if results else Exit.NO_MATCH


def _day_month_notes(text: str) -> None:
    """Say how a date that reads two ways was read: 5/7/2024 is 5 July (day/month/year)."""
    from vnecon.cli.support import say
    from vnecon.core.periods import day_month_notes

    for note in day_month_notes(text):
        say(note, "note")


def do_list(q: ListQuery, out: Output, where: Options, show_all: bool = False) -> int:
    from vnecon.cli.support import load_index, say
    from vnecon.load.model import PLURALS
    from vnecon.search.query import listing

    kind = q.kind
    if fields_listed(out.fields, kind):
        return Exit.OK
    chosen = chosen_fields(out.fields, kind)
    _day_month_notes(" ".join(v for v in (q.period, q.since, q.until) if v))
    index, setup = load_index(where)
    results = listing(index, q, warn=lambda m: say(m, "note"))
    from vnecon.cli.storycmd import merger_notes

    for note in merger_notes(index, q.filters, PLURALS[kind], bool(results)):  # an old province's name
        say(note, "note")
    if not results:
        given = [f"--{k} {v!r}" for k, v in (*q.filters.items(), ("period", q.period), ("since", q.since),
                                              ("until", q.until)) if v is not None]
        say(f"no {PLURALS[kind]} match " + (" ".join(given) if given else "(there are none)"))
    shown = _output(results, kind, index, setup, out, chosen, asked=show_all or q.limit is not None)
    _count(len(results), kind, PLURALS[kind], shown=shown)
    return Exit.OK if results else Exit.NO_MATCH


def do_show(fact_id, out: Output, where: Options) -> int:
    from vnecon.cli.support import emit, load_index, say, stdout_is_terminal
    from vnecon.output.show import write_show, write_show_json
    from vnecon.search.query import related, suggest_ids

    fmt = out.fmt.lower() if out.fmt else None
    if fmt not in (None, "text", "json"):
        raise UsageError(f"--format: show prints text or json, not {fmt!r}")
    index, setup = load_index(where)
    fact = index.get(fact_id) or index.get(fact_id.strip().lower())
    if fact is None:
        close = suggest_ids(index, fact_id)
        hint = f"; did you mean: {', '.join(close)}?" if close else "; try 'vnecon search WORDS'"
        say(f"no fact with id {fact_id!r}{hint}", "error")
        return Exit.NO_MATCH
    links = related(index, fact)
    history = index.vintages(fact.id)
    if fmt == "json":
        emit(lambda stream: write_show_json(fact, links, stream, history))
    else:
        from vnecon.output.links import hyperlinks

        linked = hyperlinks(stdout_is_terminal())
        emit(lambda stream: write_show(fact, links, stream, color_of(out, setup.config), history, linked))
    return Exit.OK


def do_paths(fmt, where: Options) -> int:
    import json

    from vnecon.cli.support import emit, load_index
    from vnecon.load.layers import layer_report, report_text
    from vnecon.search.index import cache_file

    fmt = fmt.lower() if fmt else None
    if fmt not in (None, "text", "json"):
        raise UsageError(f"--format: paths prints text or json, not {fmt!r}")
    index, setup = load_index(where)
    report = layer_report(setup.layers, index.layer_counts(), setup.config,
                          cache_file([(layer.name, layer.paths) for layer in setup.layers]), where.no_cache)
    if fmt == "json":
        emit(lambda out: out.write(json.dumps(report, indent=2, ensure_ascii=False) + "\n"))
    else:
        emit(lambda out: out.write(report_text(report)))
    return Exit.OK


def do_new(kind, fact_id, sets, append, user) -> int:
    """Print a template, or append a fact to a file and list what is still to fill in."""
    import sys

    from vnecon.authoring.newfact import (
        append_fact,
        parse_sets,
        problems_with_given,
        template,
    )
    from vnecon.cli.support import emit, say
    from vnecon.load.layers import user_facts_dir
    from vnecon.load.model import PLURALS

    k = kind_name(kind)
    text = template(k, fact_id, parse_sets(k, sets))
    if append is None and not user:
        emit(lambda out: out.write(text))
        return Exit.OK
    if append is not None and user:
        raise UsageError("use either --append FILE or --user, not both")
    target = Path(append) if append is not None else user_facts_dir() / f"{PLURALS[k]}.toml"
    given = set(parse_sets(k, sets)) | ({"id"} if fact_id else set())
    wrong = problems_with_given(k, text, given)
    if wrong:
        for problem in wrong:
            say(problem, "error")
        say(f"nothing was written to {target}")
        return Exit.USAGE  # a bad value given with --set is a bad option value
    new_id = fact_id or parse_sets(k, sets).get("id")
    if new_id:
        _refuse_same_layer_elsewhere(new_id, target)
    try:
        written = append_fact(target, text, make_dirs=append is None)
    except OSError as e:  # a full disk, a read-only directory: README promises 74
        say(f"cannot write {target}: {e.strerror}; nothing was changed", "error")
        return Exit.IO_ERROR
    say(f"appended {k} {new_id or '(no id yet)'} to {written}")
    if new_id:
        _say_what_it_replaces(new_id, written)
    todo = _problems_in(written)
    if todo:
        from vnecon.core.text import visible

        say("still to fill in or fix:")
        for d in todo:
            sys.stderr.write(visible(f"  {d}") + "\n")
    return Exit.OK


def _problems_in(path: Path) -> list:
    """Problems in one file, checked with every layer (so references resolve), through the index:
    the file is read again, the rest of the facts only looked up."""
    from vnecon.load.session import Options
    from vnecon.search.checks import gather

    return [d for d in gather([path], Options()).diagnostics if d.severity != "note"]


def _refuse_same_layer_elsewhere(fact_id: str, target: Path) -> None:
    """A second definition beside the first (same layer) would not be served: say where the first is."""
    from vnecon.cli.importcmd import refuse_same_layer_elsewhere
    from vnecon.cli.support import load_index

    try:
        index, _ = load_index(options(None, False, False), quiet=True)
    except Exception:  # noqa: BLE001 - the check under the file's lock still runs
        return
    try:
        refuse_same_layer_elsewhere(index, [fact_id], target, hint="edit it there instead")
    finally:
        _done_with(index)


def _done_with(index) -> None:
    """Close an index this command opened for a look-up, so its read snapshot does not hold the
    cache against the refresh that follows the append (which would wait, then work in memory)."""
    from vnecon.cli.support import end_reads

    end_reads()
    index.db.close()


def _say_what_it_replaces(fact_id: str, written: Path) -> None:
    """A new fact whose id another layer defines replaces that fact: say which, and where."""
    from vnecon.cli.support import load_index, say
    from vnecon.load.files import display_path

    try:
        index, _ = load_index(options(None, False, False), quiet=True)
    except Exception:  # noqa: BLE001 - a notice only; the fact is written
        return
    others = [(p, line) for p, line in index.definitions(fact_id) if os.path.realpath(p) != os.path.realpath(written)]
    _done_with(index)
    if others:
        p, line = others[-1]
        say(f"{fact_id} is also defined at {display_path(Path(p))}:{line}; the new fact in {display_path(written)} "
            "replaces it (a later layer wins)", "note")


def do_export(target: Path, fmt, force, metadata, where: Options) -> int:
    """Write every loaded fact (every layer, as --facts/--no-bundled say) to an export file."""
    from vnecon.cli.support import load_index, say
    from vnecon.export.write import export_facts, export_format
    from vnecon.load.model import PLURALS

    export_format(target, fmt)  # a bad name or format fails before any loading
    index, setup = load_index(where)
    index.scope(where.as_of, all_vintages=True)  # an export keeps every vintage (published by --as-of)
    written_fmt, export = export_facts(index, target, fmt, force, metadata, [layer.name for layer in setup.layers
                                                                                if layer.paths])
    counts = ", ".join(f"{n} {k if n == 1 else PLURALS[k]}" for k, n in export.counts.items())
    say(f"wrote {target} ({written_fmt}): {export.n_facts} facts ({counts}), {export.n_links} citations"
        + (f"; and {target.with_name('metadata.json')}" if metadata else ""))
    if export.dangling:
        say(f"{export.dangling} citation(s) name sources that do not exist and were left out of fact_sources; "
            "run 'vnecon check'", "warning")
    return Exit.OK


def do_check(paths, quiet: bool, where: Options, every: bool = False, user: bool = False) -> int:
    from vnecon.cli.checkcmd import run_check
    from vnecon.cli.support import _progress_bar

    # A bar on a terminal while big files are read (a million facts take a minute or more).
    progress, stop = (None, None) if quiet else _progress_bar("checking fact files")
    try:
        return run_check([Path(p) for p in paths or []], where, quiet, every, user, progress, stop)
    finally:
        if stop:
            stop()


def do_help(topic: str | None) -> int:
    """`vnecon help [TOPIC]`: a topic's text (`vnecon help COMMAND` is `COMMAND --help`: see app.run_typer)."""
    from vnecon.cli.helptopics import TOPICS, topic_text
    from vnecon.cli.spec import COMMANDS
    from vnecon.cli.support import emit, terminal_width


    try:
        text = topic_text(topic, min(terminal_width(), 100))
    except ValueError:
        import difflib

        close = difflib.get_close_matches(topic, [*TOPICS, *COMMANDS], 2, 0.6)
        hint = f"; did you mean {' or '.join(close)}?" if close else ""
        raise UsageError(f"no help topic {topic!r}{hint} (topics: {', '.join(TOPICS)}; or a command)") from None
    emit(lambda out: out.write(text))
    return Exit.OK
