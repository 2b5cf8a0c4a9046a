"""What fits on a person's screen: a pager, else no more rows than the terminal has.

Only for tables on a terminal: a pipe always gets every row, and no pager.
``VNECON_PAGER`` wins over ``PAGER``; either set to '' or 'cat' means no
pager and every row (the person asked for the whole output).  With neither
set, ``less -FRX`` pages, as for git and gh; only with no pager at all is a
table taller than the terminal cut at a whole fact, and a line on stderr
says how many more there are and how to see them.  A pager that fails
(exits non-zero, or cannot be started) never swallows the answer: it is
printed on the terminal and stderr says the pager failed.

``COLUMNS`` counts only as a whole number of columns from 1 to 10,000; 0,
a negative or any other value is ignored (the terminal's own width, else 80),
so a table never has room for no rows.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import TextIO

import io
import os
import sys

# Lines kept free below a table: the count or fold line, the prompt, and the command typed.
RESERVED = 3
MAX_COLUMNS = 10_000  # a COLUMNS above this is a mistake, not a terminal


def _columns(value: str | None) -> int | None:
    value = (value or "").strip()
    if value.isascii() and value.isdigit() and 1 <= int(value) <= MAX_COLUMNS:
        return int(value)
    return None


def columns_set_wrong(environ: dict | None = None) -> bool:
    """COLUMNS is set to something that is not a width (0, -5, 'abc', 20 digits): ignore it."""
    env = os.environ if environ is None else environ
    return "COLUMNS" in env and _columns(env["COLUMNS"]) is None


def terminal_width(environ: dict | None = None) -> int:
    """Columns of the terminal: COLUMNS when it is a width (as for Rich), else the terminal's, else 80."""
    env = os.environ if environ is None else environ
    given = _columns(env.get("COLUMNS"))
    if given is not None:
        return given
    try:
        columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
    except (AttributeError, ValueError, OSError):
        columns = 0
    return columns if 1 <= columns <= MAX_COLUMNS else 80


def pager_command(environ: dict | None = None) -> str | None:
    """The pager to run: VNECON_PAGER, else PAGER, else ``less -FRX`` when less is installed, as git
    and gh do.  '' means "no pager, show everything"; None means there is no pager at all (cut to
    the screen, saying so)."""
    import shutil

    env = os.environ if environ is None else environ
    for var in ("VNECON_PAGER", "PAGER"):
        if var in env:
            value = env[var].strip()
            return "" if value in ("", "cat") else value
    return "less -FRX" if shutil.which("less", path=env.get("PATH", os.defpath)) else None


class _Screen(io.StringIO):
    """A buffer Rich draws into as it would draw on the terminal (colour, width)."""

    def isatty(self) -> bool:
        return True


def drawn(draw: Callable[[Sequence, TextIO], None], items: Sequence) -> str:
    buffer = _Screen()
    draw(items, buffer)
    return buffer.getvalue()


def lines_in(text: str) -> int:
    return text.count("\n") + (0 if not text or text.endswith("\n") else 1)


def items_that_fit(draw: Callable[[Sequence, TextIO], None], items: Sequence, room: int) -> int:
    """The most leading items whose drawing has at most ``room`` lines (at least one item)."""
    lo, hi = 1, len(items)  # lines grow with items, so the cut can be searched for
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if lines_in(drawn(draw, items[:mid])) <= room:
            lo = mid
        else:
            hi = mid - 1
    return lo


def terminal_height() -> int:
    import shutil

    return shutil.get_terminal_size((80, 24)).lines


def run_pager(command: str, text: str, out: TextIO) -> int | None:
    """Send text through the pager; its exit status, or None when it could not be started."""
    import subprocess

    env = dict(os.environ)
    env.setdefault("LESS", "FRX")  # as git and gh do: quit if one screen, keep colours, leave the text shown
    env.setdefault("LV", "-c")
    try:
        out.flush()
        proc = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=env,
                                encoding="utf-8", errors="replace")
    except OSError:
        return None
    try:
        proc.stdin.write(text)
        proc.stdin.close()
    except OSError:  # BrokenPipeError: the reader quit the pager early ('q'), or it never read: its status says
        pass
    return proc.wait()


def _pager_failed(command: str, status: int | None) -> None:
    """One line on stderr (as cli.support.say writes them): the answer follows on the terminal instead."""
    from vnecon.core.text import one_line

    how = "could not be started" if status is None else (
        f"failed with exit status {status}" if status >= 0 else f"was killed by signal {-status}")
    try:
        sys.stderr.write(one_line(f"vnecon: warning: the pager ({command}) {how}; the answer is printed here "
                                  "instead (set PAGER=cat for none)") + "\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):  # stderr closed: the answer still follows
        pass


def to_screen(draw: Callable[[Sequence, TextIO], None], items: Sequence, out: TextIO, asked: bool,
              height: int | None = None, environ: dict | None = None) -> int:
    """Draw items on the terminal; return how many were shown (the rest are for the caller to mention).

    Taller than the screen: through the pager when one is set; else, unless the
    person asked for everything (``asked``: --all or --limit), only the items that fit."""
    text = drawn(draw, items)
    room = max((height or terminal_height()) - RESERVED, 1)
    if lines_in(text) <= room:
        out.write(text)
        return len(items)
    pager = pager_command(environ)
    if pager:
        status = run_pager(pager, text, out)
        if status == 0:
            return len(items)
        _pager_failed(pager, status)  # the answer must not vanish with it: printed below, every row
    if pager is None and not asked:
        n = items_that_fit(draw, items, room)
        out.write(drawn(draw, items[:n]))
        return n
    out.write(text)
    return len(items)
