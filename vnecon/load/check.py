"""`vnecon check`: load with every check on, print each problem and a summary."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from vnecon.core.diagnostics import count
from vnecon.core.errors import Exit
from vnecon.load.model import PLURALS
from vnecon.load.session import Options, setup


def summary(n_facts: int, n_files: int, kinds: Counter, errors: int, warnings: int, notes: int = 0) -> str:
    parts = ", ".join(f"{kinds[k]} {PLURALS[k] if kinds[k] != 1 else k}" for k in PLURALS if kinds[k])
    tail = f", {notes} note{'s' * (notes != 1)}" if notes else ""
    return (f"{n_facts} fact{'s' * (n_facts != 1)} in {n_files} file{'s' * (n_files != 1)}"
            f"{f' ({parts})' if parts else ''}: {errors} error{'s' * (errors != 1)}, "
            f"{warnings} warning{'s' * (warnings != 1)}{tail}")


def load_for_check(paths: list[Path], opts: Options, progress: Callable[[int, int], None] | None = None):
    """Load every layer plus the given paths, keeping only what concerns those paths.

    References are resolved against everything (a fact in your file may cite
    a bundled source), but problems and counts are those of the paths asked
    about.  Returns (diagnostics, facts read (valid or not), files).
    """
    from vnecon.core.diagnostics import Diagnostic
    from vnecon.load.files import find_files
    from vnecon.load.loader import load_layers

    s = setup(opts)
    targets: list[Path] = []
    diags: list[Diagnostic] = []
    for p in paths:
        if not p.exists():
            diags.append(Diagnostic(str(p), 0, 0, "error", "no such file or directory"))
            continue
        found = list(find_files(p))
        if not found:
            diags.append(Diagnostic(str(p), 0, 0, "warning", "no *.toml files here"))
        targets.extend(found)
    wanted = {str(t) for t in targets}  # canonical paths, as facts and diagnostics carry them
    layers, inside = [], set()
    for layer in s.layers:
        files = [f for p in layer.paths for f in find_files(p)]
        inside.update(wanted.intersection(str(f) for f in files))
        layers.append((layer.name, files))
    layers.append(("checked", [t for t in targets if str(t) not in inside]))
    result = load_layers(layers, progress)
    diags += [d for d in s.diagnostics + result.diagnostics if d.path in wanted]
    return diags, [f for f in result.read if f.path in wanted], sorted(wanted)


class Gathered:
    """What `check` reports on: diagnostics, the files checked, and the facts read from each
    file (valid or not) by kind."""

    def __init__(self, diagnostics: list, files: list[str], kinds: dict[str, Counter]) -> None:
        self.diagnostics, self.files, self.kinds = diagnostics, files, kinds

    def count(self, keep: Callable[[str], bool] = lambda path: True) -> Counter:
        out: Counter = Counter()
        for path in self.files:
            if keep(path):
                out.update(self.kinds.get(path, ()))
        return out


def gather(paths: list[Path], opts: Options, progress: Callable[[int, int], None] | None = None,
           warn: Callable[[str], None] | None = None) -> Gathered:
    """Check the given paths, or every layer when none is given, through the index (cached as for
    search: a file not changed since it was last read is not parsed again): each file's own
    problems as the index keeps them, and the problems between files (search.checks).

    References are resolved against everything (a fact in your file may cite a bundled source),
    but problems and counts are those of the paths asked about."""
    from vnecon.core.diagnostics import Diagnostic
    from vnecon.load.files import find_files, layer_files
    from vnecon.search import checks
    from vnecon.search.refresh import open_index

    s = setup(opts)
    diags: list[Diagnostic] = list(s.diagnostics)
    layers = [(layer.name, list(layer.paths)) for layer in s.layers]
    wanted: set[str] | None = None
    asked: list[Diagnostic] = []  # about the paths given themselves: always said
    if paths:
        targets: list[Path] = []
        for p in paths:
            if not p.exists():
                asked.append(Diagnostic(str(p), 0, 0, "error", "no such file or directory"))
                continue
            found = list(find_files(p))
            if not found:
                asked.append(Diagnostic(str(p), 0, 0, "warning", "no *.toml files here"))
            targets.extend(found)
        wanted = {str(t) for t in targets}  # canonical paths, as facts and diagnostics carry them
        inside = {str(f) for _, _, f in layer_files(layers)}
        extra = [t for t in targets if str(t) not in inside]
        if extra:
            layers.append(("checked", extra))
    unreadable: list[tuple[str, str]] = []
    layer_files(layers, unreadable)
    diags += [Diagnostic(str(p), 0, 0, "error", "no such file or directory", layer=name)
              for name, ps in layers for p in ps if not p.exists()]
    diags += [Diagnostic(d, 0, 0, "warning", f"{why}; skipped") for d, why in unreadable]

    def cache_news(message: str) -> None:  # an unreadable file is a diagnostic above, not news
        if warn and not message.endswith("; skipped"):
            warn(message)

    index = open_index(layers, use_cache=not opts.no_cache, progress=progress, warn=cache_news)
    try:
        diags += index.diagnostics() + checks.cross_file(index)
        files = checks.files(index) if wanted is None else sorted(wanted)
        kinds = checks.kinds_by_file(index)
    finally:
        index.db.close()
    if wanted is not None:
        diags = asked + [d for d in diags if d.path in wanted]
    return Gathered(diags, files, kinds)


def run_check(paths: list[Path], opts: Options, quiet: bool = False,
              progress: Callable[[int, int], None] | None = None, loaded: Callable[[], None] | None = None) -> int:
    """Check the given paths (or every layer); return the exit code.
    ``progress(done, total)`` is told of each part of a file read, and ``loaded()``
    when all are read, before anything is printed (to take a progress bar away)."""
    from vnecon.core.text import visible

    got = gather(paths, opts, progress)
    diags = got.diagnostics
    if loaded:
        loaded()
    if not quiet:
        from vnecon.load.files import shown

        lines = sorted((shown(d), d.line, d.col) for d in diags)
        for line in sorted(lines, key=lambda t: (t[0].split(":", 1)[0], t[1], t[2])):
            sys.stderr.write(visible(line[0]) + "\n")
    errors = count(diags, "error")
    kinds = got.count()
    sys.stderr.write(summary(sum(kinds.values()), len(got.files), kinds, errors,
                             count(diags, "warning"), count(diags, "note")) + "\n")
    return Exit.NO_MATCH if errors else Exit.OK
