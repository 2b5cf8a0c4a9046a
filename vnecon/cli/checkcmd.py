"""`vnecon check`: your own files first; the bundled facts' warnings and notes summed up in one line.

The loading and the checks are load/check.py's; this module only decides
what is listed, and in what order.  ``--all`` lists every problem of every
layer; ``--user`` checks your user facts directory alone.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from vnecon.core.errors import Exit


def _bundled(path: str, bundled: str) -> bool:
    return bool(path) and (path == bundled or path.startswith(bundled + os.sep))


def run_check(paths: list[Path], where, quiet: bool, every: bool, user: bool, progress=None,
              loaded=None) -> int:
    """Check ``paths`` (or every layer; ``user``: the user facts directory too) and return the exit
    code.  Problems in your files come first; those of the bundled facts are listed with ``every``,
    else summed up in one line (errors are always listed)."""
    from vnecon.cli.support import say
    from vnecon.core.diagnostics import count
    from vnecon.core.text import visible
    from vnecon.load.check import summary
    from vnecon.load.files import shown
    from vnecon.load.layers import bundled_dir, user_facts_dir
    from vnecon.search.checks import gather

    if user:
        mine = user_facts_dir()
        if not mine.is_dir():
            if loaded:
                loaded()
            say(f"no user facts yet: {mine} does not exist ('vnecon new KIND --user' writes the first)")
            return Exit.OK
        paths = [mine, *paths]
    got = gather(paths, where, progress, warn=lambda message: say(message, "warning"))
    diags, files = got.diagnostics, got.files
    if loaded:
        loaded()
    bundled = str(bundled_dir().resolve())
    own = [d for d in diags if not _bundled(d.path, bundled)]
    theirs = [d for d in diags if _bundled(d.path, bundled)]
    listed = own + [d for d in theirs if every or d.severity == "error"]
    folded = [d for d in theirs if d not in listed]
    if not quiet:
        def key(d):
            return (_bundled(d.path, bundled), shown(d).split(":", 1)[0], d.line, d.col)

        for d in sorted(listed, key=key):
            sys.stderr.write(visible(shown(d)) + "\n")
        if folded:
            w, n = count(folded, "warning"), count(folded, "note")
            parts = [f"{w} warning{'s' * (w != 1)}"] * bool(w) + [f"{n} note{'s' * (n != 1)}"] * bool(n)
            sys.stderr.write(f"bundled facts: {' and '.join(parts)}, not listed ('vnecon check --all' lists "
                             "them)\n")
    errors = count(diags, "error")
    mine_files = [f for f in files if not _bundled(str(f), bundled)]
    if not paths and mine_files and len(mine_files) < len(files):  # your facts' own summary first
        mine = got.count(lambda path: not _bundled(path, bundled))
        sys.stderr.write("your facts: " + summary(sum(mine.values()), len(mine_files), mine,
                                                  count(own, "error"), count(own, "warning"), count(own, "note"))
                         + "\n")
    every_kind = got.count()
    sys.stderr.write(("all facts: " if not paths and mine_files and len(mine_files) < len(files) else "")
                     + summary(sum(every_kind.values()), len(files), every_kind, errors,
                               count(diags, "warning"), count(diags, "note")) + "\n")
    return Exit.NO_MATCH if errors else Exit.OK
