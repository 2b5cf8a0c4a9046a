"""`latest` and `calendar` as plain functions returning exit codes (search/latest.py, search/calendar.py)."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from vnecon.cli.records import Output
    from vnecon.load.session import Options

import datetime as dt

from vnecon.core.errors import Exit, UsageError

WINDOW_DAYS = 30  # `calendar` without --to: this many days after --from


def run(command: str, v: dict, out: Output, where: Options) -> int:
    if command == "latest":
        return do_latest(_day(v["since"], "--since"), out, where)
    start = _day(v["start"], "--from")
    end = _day(v["end"], "--to", last=True)
    return do_calendar((start, end), v["ics"], out, where)


def _day(text: str | None, option: str, last: bool = False) -> str | None:
    """A day or period as people type it -> its first (or ``last``) day, ISO."""
    if text is None:
        return None
    from vnecon.core.periods import PERIOD_FORMS, parse_user_period

    try:
        span = parse_user_period(text)
    except ValueError:
        raise UsageError(f"{option}: {text!r} is not a day or period; expected {PERIOD_FORMS}") from None
    return span[1] if last else span[0]


def _today(where: Options) -> dt.date:
    return dt.date.fromisoformat(where.as_of) if where.as_of else dt.date.today()


def _place(index):
    from vnecon.search.aliases import place_aliases

    return place_aliases(*index.alias_tables()).display


def _write_rows(rows: list[dict], cols: list[str], fmt: str, out: Output) -> None:
    from vnecon.cli.support import emit
    from vnecon.output.series import write_rows

    emit(lambda stream: write_rows(rows, cols, stream, fmt, out.bom, out.safe))


def do_latest(since: str | None, out: Output, where: Options) -> int:
    from vnecon.cli.records import color_of
    from vnecon.cli.support import (
        choose_format,
        emit,
        is_dumb_terminal,
        load_index,
        say,
        sources_of,
    )
    from vnecon.search.latest import LATEST_COLUMNS, latest, latest_rows

    index, setup = load_index(where)
    rows, missing = latest(index, since, _place(index))
    fmt = choose_format(out.fmt, setup.config.default_format)
    srcs = sources_of(index, [r.fact for r in rows])
    if not rows:
        say("no headline figure was published on or after " + since if since else
            "no headline series has figures here (headlines are [[headline]] tables: see 'vnecon help calendar')")
    elif fmt == "table":
        from vnecon.output.latest import write_latest_table

        emit(lambda stream: write_latest_table(rows, stream, srcs, color_of(out, setup.config), None,
                                               is_dumb_terminal()))
    else:
        _write_rows(latest_rows(rows, srcs), LATEST_COLUMNS, fmt, out)
    if missing and since is None:
        say("no figures for " + ", ".join(h["label"] for h in missing), "note")
    return Exit.OK if rows else Exit.NO_MATCH


def do_calendar(window: tuple[str | None, str | None], ics: str | None, out: Output, where: Options) -> int:
    from vnecon.cli.records import color_of
    from vnecon.cli.support import (
        choose_format,
        emit,
        is_dumb_terminal,
        load_index,
        say,
        sources_of,
    )
    from vnecon.search.calendar import CALENDAR_COLUMNS, Calendar, due_rows

    today = _today(where)
    start = dt.date.fromisoformat(window[0]) if window[0] else today
    end = dt.date.fromisoformat(window[1]) if window[1] else start + dt.timedelta(days=WINDOW_DAYS)
    if end < start:
        raise UsageError(f"--to {end} is before --from {start}")
    index, setup = load_index(where)
    cal = Calendar(index, _place(index))
    dues = cal.dues(start, end, today)
    cited = sources_of(index, cal.releases)  # the records cite sources as facts do
    fmt = choose_format(out.fmt, setup.config.default_format)
    if not dues:
        say(f"no release is due from {start} to {end} under the schedules in force")
    elif fmt == "table":
        from vnecon.output.latest import write_calendar_table

        emit(lambda stream: write_calendar_table(dues, stream, color_of(out, setup.config), None,
                                                 is_dumb_terminal()))
    else:
        _write_rows(due_rows(dues, cited), CALENDAR_COLUMNS, fmt, out)
    for b in cal.behind(today):
        newest = f"; the newest in the data is {b.newest}" if b.newest else "; the data has none"
        say(f"{b.headline['label']}: {b.due.period} was due {b.due.day}, not in the data{newest}", "behind")
    shown = {d.headline["id"] for d in dues}
    for r in cal.pending(shown):
        why = "a draft" if r.get("status") == "draft" else "in force from a day the sources do not give"
        say(f"{r['name']}: {r['id']} ({why}) would put it out on the {_rule(r)}; the days above follow the "
            "rules in force", "note")
    if ics is not None:
        _write_ics(ics, dues, cited)
    return Exit.OK if dues else Exit.NO_MATCH


def _rule(rule: dict) -> str:
    from vnecon.load.schedule import rule_text

    return rule_text(rule)


def _write_ics(target: str, dues: list, cited: dict) -> None:
    import io
    from pathlib import Path

    from vnecon.cli.support import say
    from vnecon.core.safefile import write_bytes_atomic
    from vnecon.output.ics import write_ics

    buf = io.StringIO(newline="")
    n = write_ics(dues, buf, cited)
    try:
        write_bytes_atomic(Path(target), buf.getvalue().encode("utf-8"))
    except OSError as e:
        raise UsageError(f"--ics: cannot write {target}: {e.strerror}") from None
    say(f"wrote {target}: {n} event{'s' * (n != 1)}")
