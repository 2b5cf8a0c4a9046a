"""The small records a command is run with, each built once from its option values (named as in spec.py)."""

from __future__ import annotations

from collections import namedtuple
from pathlib import Path

from vnecon.load.session import Options

# How a command's answer is written: the format (None: decided by the terminal), --fields, and the
# spreadsheet and colour switches, each decided once from the flags (--excel is --bom and --safe-formulas).
Output = namedtuple("Output", "fmt fields bom safe no_color")
# How `series` lays its points out: long (default), --wide, --chart beside (on the terminal, or
# chart_file: a .svg or .png for publication), or --vintages.
SeriesView = namedtuple("SeriesView", "wide chart vintages chart_file")


def series_view_of(values: dict) -> SeriesView:
    """--chart alone arrives as '' (cli.fast.optional_values), --chart FILE as the file's name."""
    chart = values.get("chart")
    if chart is True:  # a caller that passes the old flag
        chart = ""
    return SeriesView(values.get("wide", False), chart == "", values.get("vintages", False), chart or None)


def options(facts: list | None, no_bundled: bool = False, no_cache: bool = False) -> Options:
    return Options([Path(f) for f in facts or []], no_bundled, no_cache)


def where_of(values: dict) -> Options:
    opts = options(values.get("facts"), values.get("no_bundled", False), values.get("no_cache", False))
    opts.as_of = as_of_day(values.get("as_of"))
    opts.all_vintages = values.get("all_vintages", False)
    return opts


def as_of_day(text: str | None) -> str | None:
    """--as-of in any period form people type -> its last day (ISO); a usage error otherwise."""
    if text is None:
        return None
    from vnecon.core.errors import UsageError
    from vnecon.core.periods import PERIOD_FORMS, parse_user_period

    try:
        return parse_user_period(text)[1]
    except ValueError:
        raise UsageError(f"--as-of: {text!r} is not a day or period; expected {PERIOD_FORMS}") from None


def output_of(values: dict) -> Output:
    excel = values.get("excel", False)
    return Output(values.get("fmt"), values.get("fields"), values.get("bom", False) or excel,
                  values.get("safe", False) or excel, values.get("no_color", False))


def query_of(kind: str, values: dict):
    from vnecon.load.model import FILTERS
    from vnecon.search.query import ListQuery

    return ListQuery(kind, {k: v for k, v in values.items() if k in FILTERS}, values.get("period"),
                     values.get("since"), values.get("until"), values.get("sort"), values.get("limit"))


def color_of(out: Output, config) -> bool | None:
    """False for no colour (--no-color or the config's color = false); None lets Rich follow the terminal."""
    return False if out.no_color or config.color is False else None
