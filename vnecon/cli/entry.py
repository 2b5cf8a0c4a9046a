"""The `vnecon` entry point: fast path or Typer, and no traceback ever.

Errors become one line on stderr and an exit code (see errors.Exit);
Ctrl-C exits 130 quietly; a closed stdout (| head) ends quietly.
"""

from __future__ import annotations

# _signal, not signal: the same calls without the Signals enums, ~0.4 ms of start-up on every
# command (signal.signal only wraps what _signal.signal returns, which is not used here).
import _signal as signal

# Until main() is running, Ctrl-C simply ends the process (exit 130, no traceback
# from the middle of an import); main() restores Python's KeyboardInterrupt.
signal.signal(signal.SIGINT, signal.SIG_DFL)

import os
import sys

from vnecon.core.errors import Exit, VneconError


def _dispatch(argv: list[str]) -> int:
    if not os.environ.get("VNECON_NO_FAST") and not os.environ.get("_VNECON_COMPLETE"):
        from vnecon.cli.fast import run

        code = run(argv)
        if code is not None:
            return code
    from vnecon.cli.support import resume_collection

    resume_collection()  # the Typer path: its commands (check, export, fetch) may run long
    from vnecon.cli.app import run_typer

    return run_typer(argv)


def _standard_streams() -> None:
    """Give a closed stdin, stdout or stderr (`>&-`) /dev/null, as git does.

    Otherwise the next file we open (a fact file, the cache) would get fd 1
    or 2, and a command would behave differently just because nobody reads its
    output.  A closed stream changes what can be printed, never what is done.
    """
    for fd, name, mode in ((0, "stdin", "r"), (1, "stdout", "w"), (2, "stderr", "w")):
        try:
            os.fstat(fd)
        except OSError:
            try:
                opened = os.open(os.devnull, os.O_RDWR)
            except OSError:
                continue
            if opened != fd:
                os.dup2(opened, fd)
                os.close(opened)
            if getattr(sys, name) is None:
                # Kept open for the life of the process, as sys.stdout is: no context manager.
                stream = open(fd, mode, closefd=False, encoding="utf-8", errors="backslashreplace")  # noqa: SIM115
                setattr(sys, name, stream)
    if sys.stderr is not None and not isinstance(sys.stderr, _Forgiving):
        sys.stderr = _Forgiving(sys.stderr)


class _Forgiving:
    """stderr that never fails a command: a notice that cannot be written (`2>/dev/full`) is dropped.

    Warnings and notices are extras; the answer on stdout and the exit code
    must not depend on whether they could be written.
    """

    def __init__(self, stream) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except (OSError, ValueError):
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except (OSError, ValueError):
            pass

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


_interrupted: list[int] = []


def _interrupt(signum, frame) -> None:
    """Ctrl-C and SIGTERM: stop quietly.  Remembered, because an interrupt that lands inside
    library clean-up (a process pool starting) can surface as another exception."""
    _interrupted.append(signum)
    raise KeyboardInterrupt


def _run(argv: list[str]) -> int:
    """Dispatch in a command session (cli.support.command_session: what the command opens is
    closed when it ends); a cache found damaged mid-query is deleted (with one warning) and the
    command run once more."""
    from vnecon.cli.support import command_session

    with command_session():
        return _run_once(argv)


def _run_once(argv: list[str]) -> int:
    try:
        return _dispatch(argv)
    except Exception as e:
        sqlite3 = sys.modules.get("sqlite3")
        if sqlite3 is None or not isinstance(e, sqlite3.DatabaseError):
            raise
        from vnecon.cli.support import say
        from vnecon.search.refresh import discard_damaged_cache

        if not discard_damaged_cache(e, lambda m: say(m, "warning")):
            raise
        from vnecon.cli.support import command_session

        command_session().__exit__(None, None, None)  # the damaged cache's connections go first
        return _dispatch(argv)


def usage_message(e, argv: list[str] | None = None) -> str:
    """Click's usage error as vnecon says its own: one line, lower case, 'did you mean', and where
    the help is.  'No such option: --bogus (Possible options: --bom)' ->
    "no such option: --bogus; did you mean --bom? (see 'vnecon search --help')".  An unknown
    command that is no misspelt command reads as a query: 'vnecon pmi 2025' suggests
    'vnecon search pmi 2025'."""
    import re

    text = e.format_message().strip()
    text = re.sub(r"\s*\(Possible options?: (.*)\)$", r"; did you mean \1?", text)
    text = re.sub(r"\.\s+Did you mean ", "; did you mean ", text)
    text = text[:1].lower() + text[1:].rstrip(".")
    if argv and text.startswith("no such command") and "did you mean" not in text:
        import shlex

        if not argv[0].startswith("-"):
            text += f"; did you mean: vnecon search {shlex.join(argv)}"
    ctx = getattr(e, "ctx", None)
    path = getattr(ctx, "command_path", None) or "vnecon"
    return f"{text} (see '{path} --help')"


def main(argv: list[str] | None = None) -> None:
    import gc

    whole_process = argv is None  # the command line's own run (the console script, python -m vnecon)
    paused = whole_process and gc.isenabled()
    if paused:  # no collections while the command's modules load (see support.resume_collection)
        gc.disable()
    from vnecon.cli import support
    from vnecon.cli.support import say, silence_stdout

    support.collection_paused = paused
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        signal.signal(signal.SIGINT, _interrupt)
        # SIGTERM is handled like Ctrl-C: the same quiet exit, workers and temporaries cleaned up.
        signal.signal(signal.SIGTERM, _interrupt)
        _standard_streams()
        for arg in argv:
            try:
                arg.encode("utf-8")
            except UnicodeEncodeError:
                from vnecon.core.errors import UsageError

                raise UsageError(f"argument {arg.encode('utf-8', 'surrogateescape')!r} is not UTF-8 text") from None
        code = _run(argv)
    except KeyboardInterrupt:
        sys.stderr.write("\n")
        code = Exit.INTERRUPTED
    except BrokenPipeError:
        silence_stdout()
        code = Exit.OK
    except VneconError as e:
        say(str(e), "error")
        code = e.exit_code
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
        if type(sys.stdout).__name__ == "PacifyFlushWrapper":  # Click met a closed pipe (--help | head)
            silence_stdout()
            code = Exit.OK
    except Exception as e:
        if type(e).__name__ == "Abort" or _interrupted:  # Click's Ctrl-C inside a prompt; an interrupt in clean-up
            code = Exit.INTERRUPTED
        elif hasattr(e, "show") and hasattr(e, "exit_code"):  # Click's usage errors, in vnecon's one style
            say(usage_message(e, argv), "error")
            code = e.exit_code
        elif isinstance(e, OSError):  # e.g. writing to a full disk
            say(f"{e.strerror or e}" + (f": {e.filename}" if getattr(e, "filename", None) else ""), "error")
            code = Exit.IO_ERROR
        else:
            if os.environ.get("VNECON_DEBUG"):
                raise
            say(f"internal error: {type(e).__name__}: {e} (set VNECON_DEBUG=1 for details)", "error")
            code = Exit.INTERNAL
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except (BrokenPipeError, ValueError, OSError):
        silence_stdout()
    if whole_process:
        # Collection back on if the command ended before its work began (a usage error): a caller
        # that catches SystemExit goes on as it was.
        support.resume_collection()
        # The process ends here: its objects go back to the system with it.  Frozen, they are left
        # out of the garbage collections the interpreter runs as it shuts down, which would
        # otherwise walk and free every module's functions and classes (~3 ms of every command).
        # What the command opened is closed by now (command_session); atexit handlers still run.
        gc.freeze()
    sys.exit(int(code or 0))
