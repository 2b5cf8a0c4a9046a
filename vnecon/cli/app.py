"""The vnecon command line: thin commands over the core in plain modules.

Heavy imports (Rich, rapidfuzz, tomllib) happen inside the commands that
need them, so `vnecon search x --format csv` starts quickly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from vnecon.cli import options as o

app = typer.Typer(
    name="vnecon",
    help=(
        "Look up cited facts about Vietnam's economy: indicators, companies, projects, partnerships.\n\n"
        "\b\nExamples:\n"
        "  vnecon search ha noi exports\n"
        "  vnecon indicators --region hanoi --period 2024 --format csv\n"
        "  vnecon show vn-pmi-2024-07\n"
        "  vnecon check"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
def _version(value: bool) -> None:
    if value:
        from vnecon import __version__

        typer.echo(f"vnecon {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[bool, typer.Option("--version", "-V", help="Print the version and exit.",
                                          callback=_version, is_eager=True)] = False,
) -> None:
    """Look up cited facts about Vietnam's economy."""


cache_app = typer.Typer(help="Inspect or clear the index cache.", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(cache_app, name="cache")


@app.command()
def search(
    words: Annotated[list[str], typer.Argument(help="Words to look for: names, places, periods (2024, July 2024, first half 2024, tháng 7/2024), measures (yoy).", show_default=False, metavar="WORDS...")],
    kind: Annotated[Optional[str], typer.Option("--kind", "-k", metavar="KIND", autocompletion=o.complete_kind, help="Only this kind: indicator, company, project, partnership, source.")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=0, metavar="N", help="Show at most N results (0: all).")] = 20,
    fmt: o.Format = None, fields: o.Fields = None, bom: o.Bom = False, safe: o.SafeFormulas = False, excel: o.Excel = False, no_color: o.NoColor = False,
    facts: o.Facts = None, no_bundled: o.NoBundled = False, no_cache: o.NoCache = False,
) -> None:
    """Ranked full-text search over every fact.

    \b
    Examples:
      vnecon search ha noi exports
      vnecon search pmi 2024 --format csv
      vnecon search "year-on-year" iip --kind indicator --limit 5
    """
    from vnecon.cli.commands import do_search

    raise typer.Exit(do_search(words, kind, limit, fmt, bom or excel, no_color, facts, no_bundled, no_cache, fields,
                               safe=safe or excel))


def _list(*args, fields: str | None = None, safe: bool = False) -> None:
    from vnecon.cli.commands import do_list

    raise typer.Exit(do_list(*args, fields=fields, safe=safe))


@app.command()
def indicators(
    name: o.Name = None, region: o.Region = None, sector: o.Sector = None, basis: o.Basis = None,
    unit: o.Unit = None, period: o.Period = None, since: o.Since = None, until: o.Until = None, tag: o.Tag = None,
    trust: o.Trust = None,
    sort: o.Sort = None, limit: o.Limit = None, fmt: o.Format = None, fields: o.Fields = None, bom: o.Bom = False, safe: o.SafeFormulas = False, excel: o.Excel = False, no_color: o.NoColor = False,
    facts: o.Facts = None, no_bundled: o.NoBundled = False, no_cache: o.NoCache = False,
) -> None:
    """List indicator facts (PMI, IIP, GRDP, trade, FDI, ...).

    \b
    Examples:
      vnecon indicators --region hanoi --period 2024-H1
      vnecon indicators --name iip --basis yoy --since 2024 --format csv
      vnecon indicators --sort=-value --limit 10
      vnecon indicators --unit USD --sort region,-value --fields id,region,period_start,value
    """
    _list("indicator", dict(name=name, region=region, sector=sector, basis=basis, tag=tag, unit=unit, trust=trust),
          period, since, until, sort, limit, fmt, bom or excel, no_color, facts, no_bundled, no_cache,
          fields=fields, safe=safe or excel)


@app.command()
def companies(
    name: o.Name = None, country: o.Country = None, type: o.Type = None, sector: o.Sector = None,
    location: o.Location = None, tag: o.Tag = None, trust: o.Trust = None,
    sort: o.Sort = None, limit: o.Limit = None, fmt: o.Format = None, fields: o.Fields = None, bom: o.Bom = False, safe: o.SafeFormulas = False, excel: o.Excel = False, no_color: o.NoColor = False,
    facts: o.Facts = None, no_bundled: o.NoBundled = False, no_cache: o.NoCache = False,
) -> None:
    """List companies and other organisations (ministries, agencies, associations).

    \b
    Examples:
      vnecon companies --country taiwan
      vnecon companies --type agency --format json
    """
    _list("company", dict(name=name, country=country, type=type, sector=sector, location=location, tag=tag,
                          trust=trust),
          None, None, None, sort, limit, fmt, bom or excel, no_color, facts, no_bundled, no_cache, safe=safe or excel,
          fields=fields)


@app.command()
def projects(
    name: o.Name = None, owner: o.Owner = None, location: o.Location = None, sector: o.Sector = None,
    since: o.Since = None, until: o.Until = None, tag: o.Tag = None, trust: o.Trust = None,
    sort: o.Sort = None, limit: o.Limit = None, fmt: o.Format = None, fields: o.Fields = None, bom: o.Bom = False, safe: o.SafeFormulas = False, excel: o.Excel = False, no_color: o.NoColor = False,
    facts: o.Facts = None, no_bundled: o.NoBundled = False, no_cache: o.NoCache = False,
) -> None:
    """List investment projects and production sites.

    \b
    Examples:
      vnecon projects --location "Ninh Binh"
      vnecon projects --owner neweb-vietnam --format json
    """
    _list("project", dict(name=name, owner=owner, location=location, sector=sector, tag=tag, trust=trust),
          None, since, until, sort, limit, fmt, bom or excel, no_color, facts, no_bundled, no_cache, safe=safe or excel,
          fields=fields)


@app.command()
def partnerships(
    name: o.Name = None, party: o.Party = None, kind: o.PartnershipKind = None,
    period: o.Period = None, since: o.Since = None, until: o.Until = None, tag: o.Tag = None, trust: o.Trust = None,
    sort: o.Sort = None, limit: o.Limit = None, fmt: o.Format = None, fields: o.Fields = None, bom: o.Bom = False, safe: o.SafeFormulas = False, excel: o.Excel = False, no_color: o.NoColor = False,
    facts: o.Facts = None, no_bundled: o.NoBundled = False, no_cache: o.NoCache = False,
) -> None:
    """List agreements, partnerships, recognitions and meetings.

    \b
    Examples:
      vnecon partnerships --party US
      vnecon partnerships --kind agreement --since 2021
    """
    _list("partnership", dict(name=name, party=party, kind=kind, tag=tag, trust=trust),
          period, since, until, sort, limit, fmt, bom or excel, no_color, facts, no_bundled, no_cache,
          fields=fields, safe=safe or excel)


@app.command()
def sources(
    name: o.Name = None, period: o.Period = None, since: o.Since = None, until: o.Until = None, tag: o.Tag = None,
    sort: o.Sort = None, limit: o.Limit = None, fmt: o.Format = None, fields: o.Fields = None, bom: o.Bom = False, safe: o.SafeFormulas = False, excel: o.Excel = False, no_color: o.NoColor = False,
    facts: o.Facts = None, no_bundled: o.NoBundled = False, no_cache: o.NoCache = False,
) -> None:
    """List the sources facts are drawn from (articles and news items).

    \b
    Examples:
      vnecon sources --since 2025
      vnecon sources --name semiconductor --format json
    """
    _list("source", dict(name=name, tag=tag), period, since, until, sort, limit, fmt, bom or excel, no_color,
          facts, no_bundled, no_cache, fields=fields, safe=safe or excel)


@app.command()
def series(
    words: Annotated[list[str], typer.Argument(help="Words naming the measure, as for search (iip, pmi 2024, hanoi exports).", show_default=False, metavar="QUERY...")],
    region: Annotated[Optional[list[str]], typer.Option("--region", metavar="TEXT", rich_help_panel="Filters", help="Region is this place (any spelling; repeat for several).")] = None,
    sector: o.Sector = None, basis: o.Basis = None, unit: o.Unit = None,
    period: o.Period = None, since: o.Since = None, until: o.Until = None, tag: o.Tag = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=0, metavar="N", help="Show at most N series (0: all).")] = 10,
    wide: Annotated[bool, typer.Option("--wide", help="One row per series, one column per period (for spreadsheets).")] = False,
    chart: Annotated[bool, typer.Option("--chart", help="Also draw a line chart (needs the chart extra: pip install 'vnecon[chart]').")] = False,
    fmt: o.Format = None, bom: o.Bom = False, safe: o.SafeFormulas = False, excel: o.Excel = False, no_color: o.NoColor = False,
    facts: o.Facts = None, no_bundled: o.NoBundled = False, no_cache: o.NoCache = False,
) -> None:
    """The same measure over periods, with the change from each point to the next.

    A series is every indicator with the same name, region, basis, unit and
    sector, ordered by period. Changes are in percentage points for %, in
    points for indices, relative for levels; none across periods of
    different lengths. Pipes get one row per point (--wide: per series).

    \b
    Examples:
      vnecon series "vietnam us trade"
      vnecon series iip --basis yoy --since 2024 --format csv
      vnecon series bilateral trade --chart
      vnecon series pmi --region hanoi --region vietnam --unit points
      vnecon series exports --wide --format csv > exports.csv
    """
    from vnecon.cli.seriescmd import do_series

    raise typer.Exit(do_series(words, dict(region=region, sector=sector, basis=basis, tag=tag, unit=unit), period, since,
                               until, limit, wide, chart, fmt, bom or excel, no_color, facts, no_bundled, no_cache,
                               safe=safe or excel))


@app.command()
def compare(
    args: Annotated[list[str], typer.Argument(help="Two fact ids; or a query and two periods; or a query (with two --region).", show_default=False, metavar="A B | QUERY... P1 P2")],
    region: Annotated[Optional[list[str]], typer.Option("--region", metavar="TEXT", help="Compare two regions: give it twice.")] = None,
    sector: o.Sector = None, basis: o.Basis = None,
    fmt: Annotated[Optional[str], typer.Option("--format", "-f", help="text or json [default: text]")] = None,
    facts: o.Facts = None, no_bundled: o.NoBundled = False, no_cache: o.NoCache = False,
) -> None:
    """Compare two figures: both values with their sources, the difference and the relative change.

    Refuses (exit 2) to compare different units, bases or scopes: a month
    against an eleven-month total, a y/y growth against a level.

    \b
    Examples:
      vnecon compare "vietnam us trade" 2022 2024
      vnecon compare vn-us-trade-2022 vn-us-trade-2024 --format json
      vnecon compare pmi 2024-06 2024-07 --facts my-facts/
      vnecon compare export turnover --region hanoi --region "ho chi minh city"
      vnecon compare iip 2024-07 2024-01/2024-11    # refused: a month against 11 months
    """
    from vnecon.cli.seriescmd import do_compare

    raise typer.Exit(do_compare(args, region, dict(sector=sector, basis=basis), fmt, facts, no_bundled, no_cache))


@app.command()
def show(
    fact_id: o.FactId,
    fmt: Annotated[Optional[str], typer.Option("--format", "-f", help="text or json [default: text]")] = None,
    no_color: o.NoColor = False,
    facts: o.Facts = None, no_bundled: o.NoBundled = False, no_cache: o.NoCache = False,
) -> None:
    """Show one fact whole: every field, its sources in full, and linked facts.

    \b
    Examples:
      vnecon show vn-pmi-2024-07
      vnecon show neweb-vietnam --format json
    """
    from vnecon.cli.commands import do_show

    raise typer.Exit(do_show(fact_id, fmt, no_color, facts, no_bundled, no_cache))


@app.command()
def check(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="Fact files or directories [default: every layer].", show_default=False)] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only the summary line.")] = False,
    facts: o.Facts = None, no_bundled: o.NoBundled = False,
) -> None:
    """Validate fact files: every problem as path:line:col, then a summary.

    Exits 1 when there is any error, 0 when the facts are clean.

    \b
    Examples:
      vnecon check
      vnecon check my-facts/ extra.toml
    """
    from vnecon.load.check import run_check

    from vnecon.cli.commands import options
    from vnecon.cli.support import _progress_bar

    # A bar on a terminal while big files are read (a million facts take a minute or more).
    progress, stop = (None, None) if quiet else _progress_bar("checking fact files")
    try:
        code = run_check(paths or [], options(facts, no_bundled, True), quiet, progress, stop)
    finally:
        if stop:
            stop()
    raise typer.Exit(code)


@app.command()
def paths(
    fmt: Annotated[Optional[str], typer.Option("--format", "-f", help="text or json [default: text]")] = None,
    facts: o.Facts = None, no_bundled: o.NoBundled = False, no_cache: o.NoCache = False,
) -> None:
    """Show where facts come from: each layer, its files and facts, config and cache.

    Later layers replace facts with the same id from earlier ones.

    \b
    Examples:
      vnecon paths
      vnecon paths --format json | jq '.layers[] | select(.used)'
    """
    from vnecon.cli.commands import do_paths

    raise typer.Exit(do_paths(fmt, facts, no_bundled, no_cache))


@app.command()
def new(
    kind: Annotated[str, typer.Argument(help="indicator, company, project, partnership or source.", show_default=False, metavar="KIND", autocompletion=o.complete_kind)],
    fact_id: Annotated[Optional[str], typer.Option("--id", help="The new fact's id.")] = None,
    sets: Annotated[Optional[list[str]], typer.Option("--set", metavar="FIELD=VALUE", help="Set a field (repeatable); lists take a,b,c.")] = None,
    append: Annotated[Optional[Path], typer.Option("--append", metavar="FILE", help="Append the fact to FILE safely instead of printing it.")] = None,
    user: Annotated[bool, typer.Option("--user", help="Append to KINDS.toml in your user facts directory.")] = False,
) -> None:
    """Print a template for a new fact, or append one to a TOML file safely.

    \b
    Examples:
      vnecon new indicator --id hn-pmi-2025-01
      vnecon new indicator --user --id hn-exports-2025-h1 --set name="Export turnover" \\
          --set region="Hà Nội" --set period=2025-H1 --set value=9_100_000_000 \\
          --set unit=USD --set basis=level --set sources=my-source
    """
    from vnecon.cli.commands import do_new

    raise typer.Exit(do_new(kind, fact_id, sets or [], append, user))


@app.command("import")
def import_(
    file: Annotated[str, typer.Argument(help="A CSV or TSV file, or - for standard input.", metavar="FILE")],
    source: Annotated[Optional[str], typer.Option("--source", metavar="ID", help="Cite this existing source.")] = None,
    new_source: Annotated[bool, typer.Option("--new-source", help="Write a [[source]] for the table too (see --set-source).")] = False,
    set_source: Annotated[Optional[list[str]], typer.Option("--set-source", metavar="FIELD=VALUE", help="publisher, title, date, url or id of the new source (repeatable).")] = None,
    sets: Annotated[Optional[list[str]], typer.Option("--set", metavar="FIELD=VALUE", help="A field every fact gets, e.g. unit=% or basis=yoy (repeatable).")] = None,
    maps: Annotated[Optional[list[str]], typer.Option("--map", metavar="COLUMN=FIELD", help="Read COLUMN as FIELD (repeatable); FIELD skip ignores it.")] = None,
    map_file: Annotated[Optional[str], typer.Option("--map-file", metavar="FILE", help='A TOML file of "COLUMN" = "FIELD" lines (--map adds to it).')] = None,
    layout: Annotated[Optional[str], typer.Option("--layout", metavar="LAYOUT", help="long, wide or worldbank (default: wide when two or more headers are periods).")] = None,
    wide: Annotated[bool, typer.Option("--wide", help="Same as --layout wide.")] = False,
    delimiter: Annotated[Optional[str], typer.Option("--delimiter", metavar="CHAR", help="Column separator (default: guessed among , ; and tab).")] = None,
    encoding: Annotated[Optional[str], typer.Option("--encoding", metavar="NAME", help="Text encoding (default UTF-8, with or without BOM), e.g. cp1258.")] = None,
    all_countries: Annotated[bool, typer.Option("--all-countries", help="World Bank layout: every country, not only Vietnam.")] = False,
    out: Annotated[Optional[str], typer.Option("--out", metavar="FILE", help="Write a new TOML file (atomically).")] = None,
    force: Annotated[bool, typer.Option("--force", help="With --out: replace an existing file.")] = False,
    append: Annotated[Optional[str], typer.Option("--append", metavar="FILE", help="Append to FILE safely, as vnecon new does.")] = None,
    user: Annotated[bool, typer.Option("--user", help="Append to imported.toml in your user facts directory.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Print what would be written and the checks; write nothing.")] = False,
    skip_bad: Annotated[bool, typer.Option("--skip-bad", help="Write the good rows and report the bad ones.")] = False,
    replace: Annotated[bool, typer.Option("--replace", help="Let imported facts replace facts with the same ids.")] = False,
    facts: o.Facts = None, no_bundled: o.NoBundled = False, no_cache: o.NoCache = False,
) -> None:
    """Import a table of figures as cited, checked indicator facts (TOML).

    Long tables have a row per fact and columns named after fields (name,
    region, period, value, unit, basis...); wide tables have a column per
    period (2019, T1/2024, Q1 2024, H1 2024); --layout worldbank reads the
    World Bank's CSV. Scale words in headers (billion USD, tỷ đồng) are
    applied. Every row is checked first: one bad row writes nothing.

    \b
    Examples:
      vnecon import exports.csv --new-source --set-source publisher=GSO --set unit=USD --set basis=level
      vnecon import iip.csv --source vna-iip-11m-2024 --set unit=% --set basis=yoy --dry-run
      vnecon import API_NY.GDP.MKTP.CD.csv --layout worldbank --new-source --out gdp.toml
      cat table.tsv | vnecon import - --source my-source --append mine.toml
    """
    from vnecon.cli.importcmd import do_import

    if wide and layout not in (None, "wide"):
        raise typer.BadParameter("--wide and --layout disagree")
    raise typer.Exit(do_import(file, "wide" if wide else layout, delimiter, encoding, maps, sets, source, new_source, set_source,
                               all_countries, out, force, append, user, dry_run, skip_bad, replace,
                               facts, no_bundled, no_cache, map_file))


@app.command()
def export(
    target: Annotated[Path, typer.Argument(help="The file to write: .db (SQLite), .duckdb, or .parquet (a directory).",
                                           show_default=False, metavar="TARGET")],
    fmt: Annotated[Optional[str], typer.Option("--format", "-f", metavar="FORMAT",
                                               help="sqlite, duckdb or parquet [default: from TARGET's suffix]")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace TARGET if it exists.")] = False,
    datasette_metadata: Annotated[bool, typer.Option(
        "--datasette-metadata", help="Also write metadata.json beside TARGET for datasette (SQLite only).")] = False,
    facts: o.Facts = None, no_bundled: o.NoBundled = False, no_cache: o.NoCache = False,
) -> None:
    """Export every fact to a typed SQLite or DuckDB database, or Parquet files.

    One table per kind (REAL values, ISO _start/_end days), a sources table,
    fact_sources linking them, *_with_source views and (SQLite) full-text
    search.  DuckDB and Parquet need: pip install 'vnecon[export]'.

    \b
    Examples:
      vnecon export facts.db --datasette-metadata
      vnecon export facts.duckdb
      vnecon export facts.parquet --force
    """
    from vnecon.cli.commands import do_export

    raise typer.Exit(do_export(target, fmt, force, datasette_metadata, facts, no_bundled, no_cache))


@cache_app.command("clear")
def cache_clear() -> None:
    """Delete the cached indexes; the next query rebuilds what it needs.

    \b
    Example:
      vnecon cache clear
    """
    from vnecon.cli.support import say
    from vnecon.core.errors import Exit
    from vnecon.search.index import cache_dir, clear_cache

    failed: list = []
    removed = clear_cache(failed)
    say(f"removed {len(removed)} file{'s' * (len(removed) != 1)} from {cache_dir()}"
        + (f": {', '.join(p.name for p in removed)}" if removed else ""))
    for path, why in failed:
        say(f"cannot remove {path}: {why}", "error")
    if failed:
        raise typer.Exit(Exit.IO_ERROR)


@cache_app.command("path")
def cache_path() -> None:
    """Print the cache directory.

    \b
    Example:
      vnecon cache path
    """
    from vnecon.search.index import cache_dir

    typer.echo(str(cache_dir()))


def run_typer(argv: list[str]) -> int:
    """Run the Typer app on argv and return its exit code (exceptions propagate)."""
    from vnecon.cli.fast import bare_fields

    return app(args=bare_fields(argv), prog_name="vnecon", standalone_mode=False) or 0
