"""Glue between the Typer commands and the core: messages, formats, index."""

from __future__ import annotations

TYPE_CHECKING = False  # typing costs ~5 ms at start-up; annotations are strings anyway
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import TextIO

import os
import sys
from pathlib import Path

from vnecon.core.errors import NoFacts, UsageError
from vnecon.core.text import one_line, visible
from vnecon.load.session import Options, setup
from vnecon.output.render import FORMATS


def say(message: str, kind: str = "") -> None:
    """One line on stderr: 'vnecon: warning: ...'."""
    prefix = f"vnecon: {kind}: " if kind else "vnecon: "
    try:
        sys.stderr.write(one_line(prefix + message) + "\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):  # stderr closed or full: the notice is lost, not the answer
        pass


def stdout_is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False


def terminal_width() -> int:
    """Columns of the terminal; COLUMNS wins when it is a width (0 or 'abc' is not), as for Rich; else 80."""
    from vnecon.output.screen import terminal_width as width

    return width()


def is_dumb_terminal() -> bool:
    """TERM=dumb: plain ASCII, no colour."""
    return os.environ.get("TERM") == "dumb"


def choose_format(fmt: str | None, default_terminal: str | None = None) -> str:
    if fmt is None:
        return (default_terminal or "table") if stdout_is_terminal() else "csv"
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise UsageError(f"--format: unknown format {fmt!r}; choose from {', '.join(FORMATS)}")
    return fmt


def _progress_bar(what: str = "indexing fact files", least: int = 20
                  ) -> tuple[Callable[[int, int], None], Callable[[], None]] | tuple[None, None]:
    """A Rich progress bar on stderr when stderr is a terminal, else nothing."""
    try:
        if not sys.stderr.isatty():
            return None, None
    except (AttributeError, ValueError):
        return None, None
    state: dict = {}

    def update(done: int, total: int) -> None:
        if total < least or "stopped" in state:
            return
        if "bar" not in state:
            from rich.progress import Progress

            from vnecon.output.render import make_console

            bar = Progress(console=make_console(sys.stderr), transient=True)
            bar.start()
            state["bar"], state["task"] = bar, bar.add_task(what, total=total)
        state["bar"].update(state["task"], completed=done)

    def stop() -> None:  # may be called twice: once when done, once on the way out
        state["stopped"] = True
        if "bar" in state:
            state.pop("bar").stop()

    return update, stop


# Whether the program's start-up runs without garbage collection (entry.main sets it).
collection_paused = False


def resume_collection() -> None:
    """Garbage collection back on, when a command's real work begins (its index, the Typer app).

    entry.main turns it off while a command starts: the modules it imports make tens of thousands
    of objects, and the collections they set off only walk objects that live until the process
    ends (~1 ms).  Those objects are frozen first, so later collections leave them out too."""
    global collection_paused
    if collection_paused:
        collection_paused = False
        import gc

        gc.freeze()
        gc.enable()


def load_index(opts: Options, quiet: bool = False):
    """Set up layers and return (index, setup), reporting file problems on stderr."""
    from vnecon.search.refresh import open_index

    resume_collection()  # building or refreshing an index can make many objects: collected as usual
    s = setup(opts)
    warn = None if quiet else (lambda m: say(m, "warning"))
    if not quiet:
        for d in s.diagnostics:
            if d.severity == "error":  # a bad config line: the query goes on without it
                d = d._replace(severity="warning", message=d.message + "; ignored")
            sys.stderr.write(visible(str(d)) + "\n")
    progress, stop = (None, None) if quiet else _progress_bar()
    try:
        index = open_index([(layer.name, layer.paths) for layer in s.layers],
                           use_cache=not opts.no_cache, progress=progress, warn=warn)
    finally:
        if stop:
            stop()
    index.scope(opts.as_of, opts.all_vintages)
    # One read snapshot for the whole command: a refresh committed by another process between
    # two statements would otherwise show a row in one and not the next (KeyError, issue 28 W8).
    # The snapshot ends before output is written (end_reads), so a slow reader of the output
    # (a pager, | less) never holds the cache against another process's refresh; the command's
    # session (command_session) ends it and closes the index however the command ends.
    _opened.append(index.db)
    if not index.db.in_transaction:
        index.db.execute("BEGIN")
        _reading.append(index.db)
    if not quiet:
        from vnecon.load.files import display_path

        diags = index.diagnostics()
        problems = [d._replace(path=display_path(Path(d.path))) for d in diags if d.severity == "error"]
        if problems:
            # Only now, on a path that is broken anyway, load everything as check does, so the
            # numbers are check's own (cross-file problems such as dangling sources included).
            from vnecon.core.diagnostics import count
            from vnecon.search.checks import cross_file

            full = s.diagnostics + diags + cross_file(index)
            command = "vnecon check" + "".join(f" --facts {p}" for p in opts.facts) + (
                " --no-bundled" if opts.no_bundled else "")
            say(f"fact files have {_n(count(full, 'error'), 'error')} and {_n(count(full, 'warning'), 'warning')}; "
                f"facts with errors are left out. First: {problems[0]}. See them all: {command}", "warning")
        if problems and index.count() == 0:
            raise NoFacts("no facts could be loaded; run 'vnecon check' to see why") from None
    return index, s


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'s' * (count != 1)}"


def sources_of(index, facts) -> dict:
    """The facts a table names by label: sources, and parties given by id."""
    ids = {sid for f in facts for sid in (*f.get("sources", []), *f.get("parties", []))}
    return {sid: f for sid in ids if (f := index.get(sid)) is not None}


_reading: list = []  # index connections holding a read snapshot (load_index)
_opened: list = []  # index connections the running command opened (load_index)


class command_session:
    """What one command opens, closed when it ends, however it ends: its index connections and
    their read snapshots.  A second command in the same process (tests, a script calling main
    twice) starts clean instead of waiting behind the first one's snapshot."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        end_reads()
        while _opened:
            db = _opened.pop()
            try:
                db.close()
            except Exception:  # noqa: BLE001, S110 - a connection that cannot close has nothing left to lose
                pass


def end_reads() -> None:
    import sqlite3  # already loaded by whoever opened an index

    while _reading:
        db = _reading.pop()
        try:
            if db.in_transaction:
                db.execute("COMMIT")
        except (sqlite3.Error, ValueError):  # a closed or failed connection has no snapshot to end
            continue


def emit(write: Callable[[TextIO], None]) -> None:
    """Write to stdout; a reader that went away (| head) silences the rest.

    The command goes on and exits as it would have: a closed pipe changes
    what is printed, never what is done or the exit code.
    """
    end_reads()
    try:
        write(sys.stdout)
        sys.stdout.flush()
    except BrokenPipeError:
        silence_stdout()


def silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's last flush cannot fail."""
    if sys.stdout is None:
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
