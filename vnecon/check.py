"""`vnecon check`: load with every check on, print each problem and a summary."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from vnecon.diagnostics import count
from vnecon.errors import Exit
from vnecon.model import PLURALS
from vnecon.session import Options, setup


def summary(n_facts: int, n_files: int, kinds: Counter, errors: int, warnings: int, notes: int = 0) -> str:
    parts = ", ".join(f"{kinds[k]} {PLURALS[k] if kinds[k] != 1 else k}" for k in PLURALS if kinds[k])
    tail = f", {notes} note{'s' * (notes != 1)}" if notes else ""
    return (f"{n_facts} fact{'s' * (n_facts != 1)} in {n_files} file{'s' * (n_files != 1)}"
            f"{f' ({parts})' if parts else ''}: {errors} error{'s' * (errors != 1)}, "
            f"{warnings} warning{'s' * (warnings != 1)}{tail}")


def run_check(paths: list[Path], opts: Options, quiet: bool = False) -> int:
    """Check the given paths (or every layer); return the exit code."""
    from vnecon.load import load_layers
    from vnecon.render import visible

    if paths:
        pre = []
        result = load_layers([("", paths)])
    else:
        s = setup(opts)
        pre = s.diagnostics
        result = load_layers([(layer.name, layer.paths) for layer in s.layers])
    diags = pre + result.diagnostics
    if not quiet:
        for d in sorted(diags, key=lambda d: (d.path, d.line, d.col)):
            sys.stderr.write(visible(str(d)) + "\n")
    errors = count(diags, "error")
    kinds = Counter(f.kind for f in result.facts)
    sys.stderr.write(summary(len(result.facts), len(result.files), kinds, errors,
                             count(diags, "warning"), count(diags, "note")) + "\n")
    return Exit.NO_MATCH if errors else Exit.OK
