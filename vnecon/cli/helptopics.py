"""`vnecon help [TOPIC]`: topics beside the commands' own --help, as gh has them.

Each topic is a title and items: (term, text) pairs, laid out as a list with
the text wrapped under itself, or paragraphs; both wrap to the terminal.
"""

from __future__ import annotations

TOPICS: dict[str, tuple[str, list]] = {
    "environment": ("Environment variables vnecon reads", [
        ("VNECON_FACTS", "More fact directories, after your user facts (':'-separated; ';' on Windows)."),
        ("VNECON_PAGER, PAGER", ("The pager for tables taller than the terminal (VNECON_PAGER wins); 'cat' or "
         "empty: no pager, every row. Unset: less -FRX, as for git and gh; with no less either, only the "
         "rows that fit, and stderr says so. Never in a pipe. A pager that fails: the answer is printed "
         "and stderr says so.")),
        ("LESS", "Options for less when it is the pager [default: FRX]."),
        ("NO_COLOR", "Set: no colour or bold at all (as --no-color). TERM=dumb does the same."),
        ("FORCE_COLOR", "Set: colour even where it would not be chosen."),
        ("VNECON_NO_LINKS", ("Set: web addresses are plain text, never clickable (OSC 8) links. Links are made "
         "only on a terminal known to show them, never in a pipe; FORCE_HYPERLINK=1 makes them on any "
         "terminal, FORCE_HYPERLINK=0 never.")),
        ("COLUMNS, LINES", ("The terminal's size: tables fit COLUMNS (0 or nonsense is ignored: the terminal's "
         "width, else 80); LINES decides how many rows fit before the pager or the cut.")),
        ("XDG_DATA_HOME", "Your facts live in $XDG_DATA_HOME/vnecon/facts (default ~/.local/share)."),
        ("XDG_CONFIG_HOME", "config.toml lives in $XDG_CONFIG_HOME/vnecon (default ~/.config)."),
        ("XDG_CACHE_HOME", "The search index cache (default ~/.cache); 'vnecon cache path' prints it."),
        ("VNECON_MAX_FILE_MB", "The largest fact file read, in MB."),
        ("VNECON_PREBUILT", ("The prebuilt index a new cache starts from (default: the one shipped in the package; "
                             "python -m vnecon.search.prebuild FACTS OUT makes one).")),
        ("VNECON_WORLDBANK_URL, VNECON_IMF_URL, VNECON_NSDP_URL", "Base URLs for 'vnecon fetch' (mirrors, tests)."),
        ("VNECON_DEBUG", "Set: an internal error shows its traceback."),
        ("VNECON_NO_FAST", "Set: every command goes through Typer (a slower start; for debugging)."),
    ]),
    "exit-codes": ("What each exit code means", [
        ("0", "results found; 'check' found no errors"),
        ("1", "nothing matched (CSV still prints its header); 'check' found errors; 'show' found no such id"),
        ("2", ("usage error: an unknown option, command, kind or field, or a bad value; one line on stderr, "
         "with 'did you mean' where something is close")),
        ("3", "no facts could be loaded at all"),
        ("69", "fetch: no usable answer from the provider"),
        ("70", "internal error (a bug; VNECON_DEBUG=1 shows the traceback)"),
        ("74", "output could not be written (a full disk, a read-only directory)"),
        ("130", "interrupted (Ctrl-C or SIGTERM)"),
    ]),
    "formatting": ("How answers are written: tables for people, CSV and JSON for programs", [
        ("--format table, csv, tsv, json, jsonl or markdown. The default is a table on a terminal and CSV in a "
        "pipe, so 'vnecon search pmi | duckdb ...' gets data."),
        ("On a terminal a table shows the answer first: a search's strong matches (the id, the name, every "
        "word), the weaker ones folded into one line on stderr (--all shows them); never more rows than fit "
        "unless asked (--all, --limit N) or paged (VNECON_PAGER, PAGER, else less). Values, periods and ids are never "
        "cut; text wraps between words. Marks beside a value (= derived, ~ inferred, ? doubtful, ! draft, "
        "r revised) are explained in a line under the table."),
        ("CSV and TSV: raw numbers, ISO dates, lists as JSON text; --bom, --safe-formulas or --excel for "
        "spreadsheets. --fields a,b,c picks and orders the columns of every format ('--fields' alone lists "
        "them). Data goes to stdout; counts, notes and errors to stderr."),
    ]),
    "periods": ("Periods in the words people type: --period, --since, --until, search and import", [
        ("years", "2024, FY2024, FY24, fiscal year 2024, năm 2024, năm tài chính 2024 (the calendar year)"),
        ("months", "2024-07, 7/2024, T7/2024, July 2024, Jul-2024, tháng 7/2024, tháng Bảy 2024"),
        ("quarters", "2024-Q3, Q3 2024, quarter 3 2024, third quarter of 2024, quý 3/2024, quý III năm 2024"),
        ("halves", "2024-H1, H1 2024, first half 2024, nửa đầu năm 2024, 6 tháng đầu năm 2024"),
        ("from January", "9M 2024, 11 months 2024, first 11 months of 2024"),
        ("ranges", "Jan-Nov 2024, tháng 1-11/2024, 2024-01/2024-11, 2023-2024"),
        ("days", ("2024-07-05, July 5, 2024, 5 July 2024, ngày 5 tháng 7 năm 2024, 5/7/2024 (day/month/year, "
         "the Vietnamese order; stderr says so when the other reading is a date too)")),
        ("thirds", ("early 2024, mid-2024, late 2024 (January-April, May-August, September-December), "
         "giữa năm 2024")),
        "Without a year (Q3, second half, 6 tháng đầu năm) a search matches that part of any year.",
    ]),
}


def _wrap(text: str, width: int, indent: int) -> list[str]:
    import textwrap

    return textwrap.wrap(text, max(width - indent, 20), break_long_words=False, break_on_hyphens=False) or [""]


def render_topic(items: list, width: int) -> str:
    """Items as lines of at most ``width`` columns: a term, then its text wrapped under itself."""
    terms = [item[0] for item in items if isinstance(item, tuple)]
    col = min(max(map(len, terms), default=0), 22) + 2
    lines: list[str] = []
    for item in items:
        if isinstance(item, str):
            lines += ([""] if lines else []) + _wrap(item, width, 0)
            continue
        term, text = item
        body = _wrap(text, width, col)
        if len(term) + 2 > col:  # a long term gets a line of its own
            lines.append(term)
            lines += [" " * col + line for line in body]
        else:
            lines.append(term.ljust(col) + body[0])
            lines += [" " * col + line for line in body[1:]]
    return "\n".join(lines) + "\n"


def topic_list() -> str:
    width = max(map(len, TOPICS))
    return "".join(f"  {name.ljust(width)}  {title}\n" for name, (title, _) in TOPICS.items())


def topic_text(topic: str | None, width: int = 80) -> str:
    """The text of a topic, or the list of topics; ValueError for an unknown one."""
    if topic is None:
        return ("Usage: vnecon help TOPIC     (or: vnecon COMMAND --help)\n\nTopics:\n" + topic_list()
                + "\nCommands: vnecon --help lists them.\n")
    name = topic.strip().lower().replace("_", "-").replace(" ", "-")
    name = {"env": "environment", "exit": "exit-codes", "exit-code": "exit-codes", "codes": "exit-codes",
            "format": "formatting", "formats": "formatting", "output": "formatting",
            "period": "periods", "dates": "periods"}.get(name, name)
    if name not in TOPICS:
        raise ValueError(name)
    title, items = TOPICS[name]
    return f"{title}\n\n{render_topic(items, width)}"
