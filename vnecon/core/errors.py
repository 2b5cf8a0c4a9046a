"""Exit codes and the project's own errors. No Typer, no Rich."""

from __future__ import annotations

from enum import IntEnum


class Exit(IntEnum):
    """Exit codes, the same for every command (documented in README)."""

    OK = 0  # results found / facts clean
    NO_MATCH = 1  # nothing matched, or `check` found errors
    USAGE = 2  # bad option, bad value, unknown kind or id
    BAD_FACTS = 3  # fact files could not be read at all (no facts loaded)
    UNAVAILABLE = 69  # `fetch`: the service could not be reached or gave no usable answer
    INTERNAL = 70  # a bug: please report it
    IO_ERROR = 74  # output could not be written (disk full, ...)
    INTERRUPTED = 130  # Ctrl-C


class VneconError(Exception):
    """An error the CLI shows as one line and turns into an exit code."""

    exit_code = Exit.USAGE


class UsageError(VneconError):
    """The user asked for something that cannot be done (bad value, unknown id)."""


class WriteRefused(VneconError):
    """A file could not or must not be written (not a regular file, disk full): nothing was changed."""

    exit_code = Exit.IO_ERROR


class BrokenTarget(VneconError):
    """A fact file to append to is not valid TOML, or would not read back whole: nothing was changed."""

    exit_code = Exit.NO_MATCH


class IdsTaken(VneconError):
    """Facts to add have ids the target file already holds (checked under its lock): nothing was changed."""

    exit_code = Exit.NO_MATCH


class FetchFailed(VneconError):
    """`vnecon fetch`: no usable answer (refused, timed out, an error page, a cut or garbled body, offline
    with nothing cached): one line saying which, and nothing written."""

    exit_code = Exit.UNAVAILABLE


class MissingExtra(VneconError):
    """An optional library is not installed: one line naming the extra (pip install 'vnecon[chart]')."""


class NoFacts(VneconError):
    """Every fact file was broken or unreadable: there is nothing to query."""

    exit_code = Exit.BAD_FACTS


class FtsUnavailable(VneconError):
    """This Python's SQLite was built without FTS5."""

    exit_code = Exit.BAD_FACTS
