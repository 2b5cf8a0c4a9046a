"""Option types shared by every command, defined once."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

FORMAT_HELP = "table, csv, tsv, json, jsonl or markdown [default: table on a terminal, csv in a pipe]"
_WHERE = "Where facts come from"
_OUT = "Output"


def _complete_format(incomplete: str) -> list[str]:
    from vnecon.output.render import FORMATS

    return [f for f in FORMATS if f.startswith(incomplete)]


def complete_kind(incomplete: str) -> list[str]:
    from vnecon.load.model import KINDS

    return [k for k in KINDS if k.startswith(incomplete)]


def _complete_ids(incomplete: str) -> list[str]:
    try:
        from vnecon.cli.support import load_index
        from vnecon.load.session import Options

        index, _ = load_index(Options(), quiet=True)
        return [i for i in index.ids() if i.startswith(incomplete)]
    except Exception:  # completion must never print a traceback into the shell
        return []


Format = Annotated[Optional[str], typer.Option(
    "--format", "-f", help=FORMAT_HELP, metavar="FORMAT", autocompletion=_complete_format, rich_help_panel=_OUT)]
Bom = Annotated[bool, typer.Option(
    "--bom", help="Start CSV/TSV with a UTF-8 byte-order mark, for spreadsheets.", rich_help_panel=_OUT)]
SafeFormulas = Annotated[bool, typer.Option(
    "--safe-formulas", help="Put ' before CSV/TSV cells that start with = + - @ so a spreadsheet shows them "
    "as text instead of running them (OWASP's advice).", rich_help_panel=_OUT)]
Excel = Annotated[bool, typer.Option(
    "--excel", help="For spreadsheets: --bom and --safe-formulas together.", rich_help_panel=_OUT)]
NoColor = Annotated[bool, typer.Option("--no-color", help="No colour, even on a terminal.", rich_help_panel=_OUT)]
Limit = Annotated[Optional[int], typer.Option("--limit", "-n", min=0, metavar="N", help="Show at most N facts (0: all).",
                                              rich_help_panel=_OUT)]
_KIND_OF_COMMAND = {"indicators": "indicator", "companies": "company", "projects": "project",
                    "partnerships": "partnership", "sources": "source"}


def _command_kind(ctx) -> str | None:
    """The kind a completion is for: the listing's, or search's --kind."""
    name = getattr(ctx, "info_name", None)
    if name in _KIND_OF_COMMAND:
        return _KIND_OF_COMMAND[name]
    kind = (getattr(ctx, "params", None) or {}).get("kind")
    from vnecon.load.model import KINDS, PLURALS

    kind = (kind or "").lower()
    return next((k for k in KINDS if kind in (k, PLURALS[k])), None)


def _complete_list(incomplete: str, names: list[str], signs: bool) -> list[str]:
    """Complete the last item of 'a,-b,c': keep what is before the last comma."""
    head, _, last = incomplete.rpartition(",")
    prefix = head + "," if head else ""
    sign = last[:1] if signs and last[:1] in "-+" and last else ""
    return [f"{prefix}{sign}{n}" for n in names if n.startswith(last[len(sign):])]


def _complete_sort(ctx: typer.Context, incomplete: str) -> list[str]:
    from vnecon.search.query import sortable_fields

    kind = _command_kind(ctx)
    return _complete_list(incomplete, sortable_fields(kind), True) if kind else []


def _complete_fields(ctx: typer.Context, incomplete: str) -> list[str]:
    from vnecon.load.columns import all_columns, machine_columns

    kind = _command_kind(ctx)
    return _complete_list(incomplete, machine_columns(kind) if kind else all_columns(), False)


def _complete_values(field: str):
    def complete(ctx: typer.Context, incomplete: str) -> list[str]:
        try:
            from vnecon.cli.support import load_index
            from vnecon.load.session import Options
            from vnecon.search.query import distinct_values

            from vnecon.core.text import phrase

            index, _ = load_index(Options(), quiet=True)
            # The shell keeps only words starting with what was typed: "ha" offers "ha noi" for Hà Nội
            # (filters accept any spelling), "Hà" offers "Hà Nội".
            return list(dict.fromkeys(
                v if v.startswith(incomplete) else incomplete + phrase(v)[len(phrase(incomplete)):]
                for v in distinct_values(index, field, _command_kind(ctx), incomplete)))
        except Exception:  # completion must never print a traceback into the shell
            return []

    return complete


Sort = Annotated[Optional[str], typer.Option(
    "--sort", "-s", metavar="FIELDS", autocompletion=_complete_sort, rich_help_panel=_OUT,
    help="Sort by fields, e.g. --sort region,-value (-: descending). Periods sort by start, then length; "
         "values in different units sort within each unit.")]
Fields = Annotated[Optional[str], typer.Option(
    "--fields", metavar="A,B,C", autocompletion=_complete_fields, rich_help_panel=_OUT,
    help="Only these columns, in this order, in every format; '--fields' alone lists them.")]
Facts = Annotated[Optional[list[Path]], typer.Option(
    "--facts", metavar="DIR", help="Also load facts from DIR (repeatable; last layer wins).", rich_help_panel=_WHERE)]
NoBundled = Annotated[bool, typer.Option(
    "--no-bundled", help="Leave out the facts shipped with vnecon.", rich_help_panel=_WHERE)]
NoCache = Annotated[bool, typer.Option(
    "--no-cache", help="Build the index in memory; don't read or write the cache.", rich_help_panel=_WHERE)]
FactId = Annotated[str, typer.Argument(help="The fact's id.", autocompletion=_complete_ids, show_default=False,
                                       metavar="ID")]

_F = "Filters"


def filter_option(name: str, help: str, metavar: str = "TEXT"):
    return Annotated[Optional[str], typer.Option(f"--{name}", help=help, metavar=metavar, rich_help_panel=_F)]


Name = filter_option("name", "Name contains this (folded, aliases: 'IIP' finds the full name).")
Region = Annotated[Optional[str], typer.Option(
    "--region", metavar="TEXT", autocompletion=_complete_values("region"), rich_help_panel=_F,
    help="Region is this place (any spelling: 'Hanoi', 'ha noi', 'Hà Nội').")]
Sector = Annotated[Optional[str], typer.Option(
    "--sector", metavar="TEXT", autocompletion=_complete_values("sector"), rich_help_panel=_F,
    help="Sector contains this.")]
Unit = Annotated[Optional[str], typer.Option(
    "--unit", metavar="UNITS", autocompletion=_complete_values("unit"), rich_help_panel=_F,
    help="Unit is one of these: %, USD, points, count, ... (comma-separated).")]
Period = filter_option("period", "Period lies within this: 2024, 2024-07, 7/2024, 'July 2024', 'H1 2024', "
                       "'first half 2024', 'Q3 2024', 'Jan-Nov 2024', '2023-2024', 'tháng 7/2024', 'quý 3/2024'.",
                       "PERIOD")
Since = filter_option("since", "Period starts on or after this.", "PERIOD")
Until = filter_option("until", "Period ends on or before this.", "PERIOD")
Basis = filter_option("basis", "Basis: level, yoy, mom, share, contribution, ...")
Tag = filter_option("tag", "Has this tag.")
Trust = Annotated[Optional[str], typer.Option(
    "--trust", metavar="TRUST", rich_help_panel=_F,
    autocompletion=lambda incomplete="": [t for t in ("reported", "derived", "inferred", "doubtful", "draft")
                                          if t.startswith(incomplete)],
    help="How far the figure can be trusted: reported, derived, inferred, doubtful, draft "
         "(comma-separated; 'not-reported' for all but reported).")]
Country = filter_option("country", "Country is this (any spelling: US, USA, United States).")
Type = filter_option("type", "Type: company, agency, ministry, association, ...")
Owner = filter_option("owner", "Owner id or name starts with this.")
Location = filter_option("location", "Location is this place (new provinces include merged old ones).")
Party = filter_option("party", "A party's id or name starts with this.")
PartnershipKind = filter_option("kind", "Kind: agreement, mou, meeting, ...")
