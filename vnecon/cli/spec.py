"""Every command's arguments and options, written once, as plain data.

The Typer app (``app.py``) builds its parameters from this table and the
fast path (``fast.py``) parses argv with it, so an option added here exists in
both, with one help text.  A listing's filters come from the kind's record in
``load/model.py``: a filter added there is an option of its listing here.
This module imports nothing heavy: the fast path reads it at every start-up.
"""

from __future__ import annotations

from collections import namedtuple

from vnecon.load.model import FILTERS, KIND_INFO

# arity: flag (bool), value (str), int (int >= 0), list (repeatable str).
# complete names a completion in cli/options.py; panel groups options in --help.
Opt = namedtuple("Opt", "dest flags arity help metavar default panel complete",
                 defaults=(None, None, None, None))
# nargs: 1 (one value) or -1 (one or more, or zero or more when not required).
Arg = namedtuple("Arg", "dest metavar help nargs required complete", defaults=(1, True, None))
Command = namedtuple("Command", "name doc args opts")

SEARCH_LIMIT = 20  # results a search shows when --limit is not given
FORMAT_HELP = "table, csv, tsv, json, jsonl or markdown [default: table on a terminal, csv in a pipe]"
_OUT, _WHERE, _FILTERS = "Output", "Where facts come from", "Filters"

FORMAT = Opt("fmt", ("--format", "-f"), "value", FORMAT_HELP, "FORMAT", None, _OUT, "format")
FIELDS = Opt("fields", ("--fields",), "value", "Only these columns, in this order, in every format; '--fields' alone "
             "lists them.", "A,B,C", None, _OUT, "fields")
BOM = Opt("bom", ("--bom",), "flag", "Start CSV/TSV with a UTF-8 byte-order mark, for spreadsheets.",
          None, False, _OUT)
SAFE = Opt("safe", ("--safe-formulas",), "flag", "Put ' before CSV/TSV cells that start with = + - @ so a "
           "spreadsheet shows them as text instead of running them (OWASP's advice).", None, False, _OUT)
EXCEL = Opt("excel", ("--excel",), "flag", "For spreadsheets: --bom and --safe-formulas together.", None, False, _OUT)
NO_COLOR = Opt("no_color", ("--no-color",), "flag", "No colour, even on a terminal.", None, False, _OUT)
CSV_OPTS = (BOM, SAFE, EXCEL)

FACTS = Opt("facts", ("--facts",), "list", "Also load facts from DIR (repeatable; last layer wins).", "DIR",
            None, _WHERE)
NO_BUNDLED = Opt("no_bundled", ("--no-bundled",), "flag", "Leave out the facts shipped with vnecon.", None, False,
                 _WHERE)
NO_CACHE = Opt("no_cache", ("--no-cache",), "flag", "Build the index in memory; don't read or write the cache.",
               None, False, _WHERE)
WHERE = (FACTS, NO_BUNDLED, NO_CACHE)

_VINTAGES = "Revisions"
AS_OF = Opt("as_of", ("--as-of",), "value", "Only what had been published by this day, each figure as it stood "
            "then: 2024-03-31, 2024-03 (its last day), 'March 2024'.", "DATE", None, _VINTAGES)
ALL_VINTAGES = Opt("all_vintages", ("--all-vintages",), "flag", "Every published value of a revised figure, not "
                   "only the latest.", None, False, _VINTAGES)
VINTAGES = (AS_OF, ALL_VINTAGES)

# A --sort example per kind, of fields the kind has: one example for every listing sent users of
# projects to 'region,-value', which projects do not have (a test runs every example in the help).
SORT_EXAMPLES = {"indicator": "region,-value", "company": "country,name", "project": "location,-investment_total",
                 "partnership": "-date", "source": "publisher,-date"}


def sort_opt(kind: str) -> Opt:
    units = "; values in different units sort within each unit (--unit picks one)" if kind == "indicator" else ""
    return Opt("sort", ("--sort", "-s"), "value", f"Sort by fields, e.g. --sort {SORT_EXAMPLES[kind]} (-: "
               f"descending). Periods and dates sort by start, then length{units}.", "FIELDS", None, _OUT, "sort")


def limit(default: int | None, what: str = "facts", shown: int | None = None) -> Opt:
    """--limit; ``shown``: the default applied when it is not given (None in the table, so a
    command can tell that the person asked for a number)."""
    more = f" [default: {shown}]" if shown is not None else ""
    return Opt("limit", ("--limit", "-n"), "int", f"Show at most N {what} (0: all){more}.", "N", default, _OUT)


def show_all(what: str) -> Opt:
    return Opt("all", ("--all", "-a"), "flag", f"Every {what}, even more than fit on the terminal"
               + (" and those matching only some of the words" if what == "match" else "") + ".", None, False, _OUT)


def text_format(default: str = "text") -> Opt:
    return Opt("fmt", ("--format", "-f"), "value", f"text or json [default: {default}]", "FORMAT", None, _OUT)


PERIOD_HELP = {
    "period": "Period lies within this: 2024, 2024-07, 7/2024, T7/2024, 'July 2024', Jul-2024, 'H1 2024', "
              "'first half 2024', 'Q3 2024', 'quarter 3 2024', '9M 2024', 'Jan-Nov 2024', '2023-2024', "
              "'tháng 7/2024', 'tháng Bảy 2024', 'quý 3/2024', mid-2024, FY2024, 'July 5, 2024', 5/7/2024 "
              "(day/month/year).",
    "since": "Period starts on or after this.",
    "until": "Period ends on or before this.",
}
_VALUE_COMPLETION = {"region": "values", "sector": "values", "unit": "values", "trust": "trust"}


def filter_opt(name: str, arity: str = "value", help: str | None = None) -> Opt:
    """--NAME for a listing filter (load.model.FILTERS) or a period option."""
    if name in PERIOD_HELP:
        return Opt(name, (f"--{name}",), "value", PERIOD_HELP[name], "PERIOD", None, _FILTERS)
    f = FILTERS[name]
    return Opt(name, (f"--{name}",), arity, help or f.help, f.metavar, None, _FILTERS, _VALUE_COMPLETION.get(name))


def listing(kind: str, doc: str) -> Command:
    k = KIND_INFO[kind]
    names = [n for n in k.filters if n not in ("tag", "trust")] + list(k.periods) + [
        n for n in ("tag", "trust") if n in k.filters]
    return Command(k.plural, doc, (), (*map(filter_opt, names), sort_opt(kind), limit(None), show_all("fact"),
                                       FORMAT, FIELDS,
                                       *CSV_OPTS, NO_COLOR, *VINTAGES, *WHERE))


COMMANDS: dict[str, Command] = {c.name: c for c in (
    Command("search", """Ranked full-text search over every fact.

    \b
    Examples:
      vnecon search ha noi exports
      vnecon search pmi 2024 --format csv
      vnecon search "year-on-year" iip --kind indicator --limit 5
      vnecon search which sector had the highest industrial production growth in 11 months 2024
      vnecon search chỉ số PMI tháng 7/2024 là bao nhiêu --explain

    Whole questions work, in English or Vietnamese: question words (what, how much,
    bao nhiêu...) are not searched, "highest"/"cao nhất" ranks figures by value, and a
    period after "since" or "so với" is compared with, not asked for.
    """, (Arg("words", "WORDS...", "Words to look for: names, places, periods (2024, July 2024, first half 2024, "
               "tháng 7/2024), measures (yoy).", -1),),
            (Opt("kind", ("--kind", "-k"), "value", "Only this kind: indicator, company, project, partnership, "
                 "source.", "KIND", None, None, "kind"),
             limit(None, "results", SEARCH_LIMIT), show_all("match"),
             Opt("explain", ("--explain",), "flag", "After the results, say on stderr why each ranked where it "
                 "did: words matched and where, period, question and superlative boosts, typo corrections.",
                 None, False, _OUT),
             FORMAT, FIELDS, *CSV_OPTS, NO_COLOR, *VINTAGES, *WHERE)),
    listing("indicator", """List indicator facts (PMI, IIP, GRDP, trade, FDI, ...).

    \b
    Examples:
      vnecon indicators --region hanoi --period 2024-H1
      vnecon indicators --name iip --basis yoy --since 2024 --format csv
      vnecon indicators --sort=-value --limit 10
      vnecon indicators --unit USD --sort region,-value --fields id,region,period_start,value
    """),
    listing("company", """List companies and other organisations (ministries, agencies, associations).

    \b
    Examples:
      vnecon companies --country taiwan
      vnecon companies --type agency --format json
    """),
    listing("project", """List investment projects and production sites.

    \b
    Examples:
      vnecon projects --location "Ninh Binh"
      vnecon projects --owner neweb-vietnam --format json
    """),
    listing("partnership", """List agreements, partnerships, recognitions and meetings.

    \b
    Examples:
      vnecon partnerships --party US
      vnecon partnerships --kind agreement --since 2021
    """),
    listing("source", """List the sources facts are drawn from (articles and news items).

    \b
    Examples:
      vnecon sources --since 2025
      vnecon sources --name semiconductor --format json
    """),
    Command("provinces", """The provincial mergers of 2025: old names, new name, the day, the source.

    On 1 July 2025 Vietnam's 63 provinces and cities became 34. Facts keep the
    name their source used; a new province's name also finds its old parts'.

    \b
    Examples:
      vnecon provinces
      vnecon provinces "Hai Phong"
      vnecon provinces --format csv
    """, (Arg("name", "[NAME]", "Only the mergers this province (old or new, any spelling) takes part in.", 1,
               False),),
            (FORMAT, *CSV_OPTS, NO_COLOR, *WHERE)),
    Command("series", """The same measure over periods, with the change from each point to the next.

    A series is every indicator with the same name, region, basis, unit and
    sector, ordered by period. Changes are in percentage points for %, in
    points for indices, relative for levels; none across periods of
    different lengths. Pipes get one row per point (--wide: per series).

    \b
    Examples:
      vnecon series "vietnam us trade"
      vnecon series iip --basis yoy --since 2024 --format csv
      vnecon series bilateral trade --chart
      vnecon series pmi --since 2025 --chart pmi.svg
      vnecon series pmi --region hanoi --region vietnam --unit points
      vnecon series exports --wide --format csv > exports.csv
      vnecon series gdp growth --basis yoy --since 2024 --vintages
    """, (Arg("words", "QUERY...", "Words naming the measure, as for search (iip, pmi 2024, hanoi exports).", -1),),
            (filter_opt("region", "list", "Region is this place (any spelling; repeat for several)."),
             *map(filter_opt, ("sector", "partner", "product", "basis", "unit", "period", "since", "until", "tag")),
             limit(10, "series"),
             Opt("wide", ("--wide",), "flag", "One row per series, one column per period (for spreadsheets).",
                 None, False, _OUT),
             Opt("vintages", ("--vintages",), "flag", "Per period, the first and the latest published value and "
                 "the revision between them; with --chart, both as lines.", None, False, _VINTAGES),
             Opt("chart", ("--chart",), "value", "Also draw a line chart on the terminal; with a file name "
                 "ending in .svg or .png, write a chart for publication there (title, unit, periods, a line per "
                 "series, the sources and the day drawn). Needs the chart extra: pip install 'vnecon[chart]'.",
                 "[FILE]", None, _OUT),
             FORMAT, FIELDS, *CSV_OPTS, NO_COLOR, *VINTAGES, *WHERE)),
    Command("compare", """Compare two figures: both values with their sources and the difference between them.

    Rates and shares (%) differ in percentage points, indices in points; only
    levels (money, counts) get a relative change as well.
    Refuses (exit 2) to compare different units, bases or scopes: a month
    against an eleven-month total, a y/y growth against a level.

    \b
    Examples:
      vnecon compare "vietnam us trade" 2022 2024
      vnecon compare vn-us-trade-2022 vn-us-trade-2024 --format json
      vnecon compare pmi 2024-06 2024-07 --facts my-facts/
      vnecon compare export turnover --region hanoi --region "ho chi minh city"
      vnecon compare iip 2024-07 2024-01/2024-11    # refused: a month against 11 months
    """, (Arg("args", "A B | QUERY... P1 P2", "Two fact ids; or a query and two periods; or a query (with two "
               "--region).", -1),),
            (filter_opt("region", "list", "Compare two regions: give it twice."), filter_opt("sector"),
             filter_opt("basis"), text_format(), *VINTAGES, *WHERE)),
    Command("latest", """The latest figure of every headline series, beside the one before it.

    Each row: the period, the value, the previous figure of the same length
    (month, quarter, year to date) and the change, the day it was published,
    whether it was revised, and the source. Which series are headline is data:
    [[headline]] tables (facts/headline.toml).

    \b
    Examples:
      vnecon latest
      vnecon latest --since 2026-03-01
      vnecon latest --format csv
      vnecon latest --as-of 2025-12-31
    """, (), (Opt("since", ("--since",), "value", "Every figure published on or after this day (a release "
                  "dated that day is listed), newest first: 2026-03-01, 'March 2026' (its first day).", "DATE",
                  None, _FILTERS),
              FORMAT, *CSV_OPTS, NO_COLOR, AS_OF, *WHERE)),
    Command("calendar", """Releases due from the schedules, and whether the data has them.

    Days come from the [[release]] rules (facts/releases.toml): the decree or
    announcement behind each, the day of the month, the first working day.
    Each row says whether the period it brings is in the data; stderr says
    which series are behind (a release due by today that the data lacks).

    \b
    Examples:
      vnecon calendar
      vnecon calendar --from 2026-03-01 --to 2026-03-31
      vnecon calendar --from 2026-03 --to 2026-06 --ics releases.ics
      vnecon calendar --format json
    """, (), (Opt("start", ("--from",), "value", "First day [default: today]: 2026-03-01, 'March 2026' (its "
                  "first day).", "DATE", None, _FILTERS),
              Opt("end", ("--to",), "value", "Last day [default: 30 days after --from]: 2026-03-31, 'March 2026' "
                  "(its last day).", "DATE", None, _FILTERS),
              Opt("ics", ("--ics",), "value", "Also write the releases to FILE as an iCalendar file (RFC 5545) for "
                  "a calendar app; each release keeps its UID from run to run.", "FILE", None, _OUT),
              FORMAT, *CSV_OPTS, NO_COLOR,
              Opt("as_of", ("--as-of",), "value", "Take this day as today: the data as published by then, and "
                  "the releases due by then.", "DATE", None, _VINTAGES),
              *WHERE)),
    Command("show", """Show one fact whole: every field, its sources in full, and linked facts.

    \b
    Examples:
      vnecon show vn-pmi-2024-07
      vnecon show neweb-vietnam --format json
    """, (Arg("fact_id", "ID", "The fact's id.", complete="ids"),), (text_format(), NO_COLOR, *WHERE)),
    Command("cite", """A citation for each fact's sources, to paste into an article or a reference manager.

    plain: Source: publisher, "headline", date, URL. markdown: the headline
    links to its page. csl-json: for Zotero, pandoc --citeproc and other
    reference managers. A source's own id cites that source.

    \b
    Examples:
      vnecon cite vn-pmi-2024-07
      vnecon cite vn-pmi-2024-07 vn-cpi-2024-10-yoy --format markdown
      vnecon cite vn-pmi-2024-07 --format csl-json > refs.json
    """, (Arg("ids", "ID...", "Fact ids (or source ids).", -1, complete="ids"),),
            (Opt("fmt", ("--format", "-f"), "value", "plain, markdown or csl-json [default: plain]", "FORMAT", None,
                 _OUT), *WHERE)),
    Command("check", """Validate fact files: every problem as path:line:col, then a summary.

    Your own files come first; the bundled facts' warnings and notes are
    summed up in one line (--all lists them). Exits 1 when there is any
    error, 0 when the facts are clean. A file unchanged since vnecon last
    read it is not parsed again (the search cache keeps its problems);
    --no-cache reads every file.

    \b
    Examples:
      vnecon check
      vnecon check --user
      vnecon check my-facts/ extra.toml
    """, (Arg("paths", "PATHS...", "Fact files or directories [default: every layer].", -1, False),),
            (Opt("quiet", ("--quiet", "-q"), "flag", "Only the summary line.", None, False),
             Opt("user", ("--user",), "flag", "Check your user facts directory (where 'vnecon new --user' "
                 "writes).", None, False),
             Opt("all", ("--all", "-a"), "flag", "List every warning and note of the bundled facts too, not "
                 "their count.", None, False),
             FACTS, NO_BUNDLED, NO_CACHE)),
    Command("paths", """Show where facts come from: each layer, its files and facts, config and cache.

    Later layers replace facts with the same id from earlier ones.

    \b
    Examples:
      vnecon paths
      vnecon paths --format json | jq '.layers[] | select(.used)'
    """, (), (text_format(), *WHERE)),
    Command("new", """Print a template for a new fact, or append one to a TOML file safely.

    \b
    Examples:
      vnecon new indicator --id hn-pmi-2025-01
      vnecon new indicator --user --id hn-exports-2025-h1 --set name="Export turnover" \\
          --set region="Hà Nội" --set period=2025-H1 --set value=9_100_000_000 \\
          --set unit=USD --set basis=level --set sources=vns-hanoi-semiconductor-2024
    """, (Arg("kind", "KIND", "indicator, company, project, partnership or source.", complete="kind"),),
            (Opt("fact_id", ("--id",), "value", "The new fact's id.", "ID"),
             Opt("sets", ("--set",), "list", "Set a field (repeatable); lists take a,b,c.", "FIELD=VALUE"),
             Opt("append", ("--append",), "value", "Append the fact to FILE safely instead of printing it.", "FILE"),
             Opt("user", ("--user",), "flag", "Append to KINDS.toml in your user facts directory.", None, False))),
    Command("import", """Import a table of figures as cited, checked indicator facts (TOML).

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
    """, (Arg("file", "FILE", "A CSV or TSV file, or - for standard input."),),
            (Opt("source", ("--source",), "value", "Cite this existing source.", "ID"),
             Opt("new_source", ("--new-source",), "flag", "Write a [[source]] for the table too (see --set-source).",
                 None, False),
             Opt("set_source", ("--set-source",), "list", "publisher, title, date, url or id of the new source "
                 "(repeatable).", "FIELD=VALUE"),
             Opt("sets", ("--set",), "list", "A field every fact gets, e.g. unit=% or basis=yoy (repeatable).",
                 "FIELD=VALUE"),
             Opt("maps", ("--map",), "list", "Read COLUMN as FIELD (repeatable); FIELD skip ignores it.",
                 "COLUMN=FIELD"),
             Opt("map_file", ("--map-file",), "value", 'A TOML file of "COLUMN" = "FIELD" lines (--map adds to it).',
                 "FILE"),
             Opt("layout", ("--layout",), "value", "long, wide or worldbank (default: wide when two or more headers "
                 "are periods).", "LAYOUT"),
             Opt("wide", ("--wide",), "flag", "Same as --layout wide.", None, False),
             Opt("delimiter", ("--delimiter",), "value", "Column separator (default: guessed among , ; and tab).",
                 "CHAR"),
             Opt("decimal", ("--decimal",), "value", "The decimal mark: . (1,234.5; the World Bank, English "
                 "tables) or , (1.234,5; Vietnamese statistics) [default: decided per column from its cells; a "
                 "file where '2.865' could mean either is refused].", "MARK"),
             Opt("encoding", ("--encoding",), "value", "Text encoding (default UTF-8, with or without BOM), e.g. "
                 "cp1258.", "NAME"),
             Opt("all_countries", ("--all-countries",), "flag", "World Bank layout: every country, not only "
                 "Vietnam.", None, False),
             Opt("out", ("--out",), "value", "Write a new TOML file (atomically).", "FILE"),
             Opt("force", ("--force",), "flag", "With --out: replace an existing file.", None, False),
             Opt("append", ("--append",), "value", "Append to FILE safely, as vnecon new does.", "FILE"),
             Opt("user", ("--user",), "flag", "Append to imported.toml in your user facts directory.", None, False),
             Opt("dry_run", ("--dry-run",), "flag", "Print what would be written and the checks; write nothing.",
                 None, False),
             Opt("skip_bad", ("--skip-bad",), "flag", "Write the good rows and report the bad ones.", None, False),
             Opt("replace", ("--replace",), "flag", "Let imported facts replace facts with the same ids.", None,
                 False),
             *WHERE)),
    Command("fetch", """Fetch an official series (World Bank, IMF WEO, Vietnam's NSDP) as cited, checked facts (TOML).

    Each series and release gets a [[source]]: publisher, dataset and series
    name, the URL, the release date and the provider's attribution. Run
    it again later: only figures that changed are written (a new vintage
    citing the new release); stderr counts new, revised and unchanged.
    nsdp reads the statistics office's, State Bank's and Ministry of
    Finance's own SDMX files (domains: cpi, iip, trade, gdp, labour, ppi,
    population, exchange-rate, interest-rate, bop, government-debt,
    government-finance, external-debt, stock-prices), or any file or URL
    of that template, into [[series]] records.
    Raw answers are kept in the cache, so --offline works without a network.
    Base URLs: VNECON_WORLDBANK_URL, VNECON_IMF_URL, VNECON_NSDP_URL.

    \b
    Examples:
      vnecon fetch worldbank NY.GDP.MKTP.KD.ZG --since 2015 --out wb-gdp.toml
      vnecon fetch worldbank --search gdp growth
      vnecon fetch imf weo NGDP_RPCH PCPIPCH --user
      vnecon fetch worldbank NY.GDP.MKTP.KD.ZG --since 2015 --offline --dry-run
      vnecon fetch nsdp cpi exchange-rate --since 2024 --user
    """, (Arg("args", "PROVIDER [DATASET] CODE...", "worldbank CODE...; imf weo CODE...; nsdp DOMAIN|FILE|URL...; "
               "or with --search, worldbank WORDS...", -1),),
            (Opt("country", ("--country",), "value", "ISO3 country code [default: VNM].", "ISO3"),
             Opt("since", ("--since",), "value", "First year to fetch.", "YEAR"),
             Opt("until", ("--until",), "value", "Last year to fetch.", "YEAR"),
             Opt("search", ("--search",), "flag", "List the indicator codes and names that have all the words "
                 "(World Bank).", None, False),
             Opt("sets", ("--set",), "list", "A field every fact gets, e.g. name=\"GDP growth\" or sector=... "
                 "(repeatable).", "FIELD=VALUE"),
             Opt("out", ("--out",), "value", "Write a new TOML file (atomically).", "FILE"),
             Opt("force", ("--force",), "flag", "With --out: replace an existing file.", None, False),
             Opt("append", ("--append",), "value", "Append to FILE safely, as vnecon new does.", "FILE"),
             Opt("user", ("--user",), "flag", "Append to fetched.toml in your user facts directory.", None, False),
             Opt("dry_run", ("--dry-run",), "flag", "Print what would be written; write nothing.", None, False),
             Opt("offline", ("--offline",), "flag", "Use only the answers kept in the cache; no network.", None,
                 False),
             Opt("timeout", ("--timeout",), "value", "Seconds to wait for each answer [default: 30].", "SECONDS"),
             Opt("retries", ("--retries",), "int", "Tries again after a 429, 5xx, timeout or dropped connection "
                 "[default: 3].", "N"),
             *WHERE)),
    Command("export", """Export every fact to a typed SQLite or DuckDB database, or Parquet files.

    One table per kind (REAL values, ISO _start/_end days), a sources table,
    fact_sources linking them, *_with_source views, indicators_latest (every
    vintage is in indicators; this view keeps each figure's latest) and
    (SQLite) full-text search.  DuckDB and Parquet need: pip install 'vnecon[export]'.

    \b
    Examples:
      vnecon export facts.db --datasette-metadata
      vnecon export facts.duckdb
      vnecon export facts.parquet --force
    """, (Arg("target", "TARGET", "The file to write: .db (SQLite), .duckdb, or .parquet (a directory)."),),
            (Opt("fmt", ("--format", "-f"), "value", "sqlite, duckdb or parquet [default: from TARGET's suffix]",
                 "FORMAT"),
             Opt("force", ("--force",), "flag", "Replace TARGET if it exists.", None, False),
             Opt("datasette_metadata", ("--datasette-metadata",), "flag", "Also write metadata.json beside TARGET "
                 "for datasette (SQLite only).", None, False),
             AS_OF, *WHERE)),
    Command("help", """Help on a topic (environment, exit-codes, formatting, periods) or a command.

    \b
    Examples:
      vnecon help
      vnecon help periods
      vnecon help environment
      vnecon help search
    """, (Arg("topic", "[TOPIC]", "environment, exit-codes, formatting, periods, or a command's name.", 1, False,
               "topics"),), ()),
)}

# The commands the fast path runs without Typer: well-formed queries, typed many times a minute.
FAST = ("search", "indicators", "companies", "projects", "partnerships", "sources", "show", "series", "cite")


def flag_table(command: str) -> dict[str, tuple[str, str]]:
    """option string -> (destination, arity), for the fast path."""
    return {flag: (o.dest, o.arity) for o in COMMANDS[command].opts for flag in o.flags}


def defaults(command: str) -> dict:
    """Every option's destination with its default, and no positional values."""
    return {o.dest: o.default for o in COMMANDS[command].opts}
