"""`vnecon check`: load with every check on, print each problem and a summary."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path

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
