"""`vnecon check`: the summary line (the checking itself is search/checks.py, through the index)."""

from __future__ import annotations

from collections import Counter

from vnecon.load.model import PLURALS


def summary(n_facts: int, n_files: int, kinds: Counter, errors: int, warnings: int, notes: int = 0) -> str:
    parts = ", ".join(f"{kinds[k]} {PLURALS[k] if kinds[k] != 1 else k}" for k in PLURALS if kinds[k])
    tail = f", {notes} note{'s' * (notes != 1)}" if notes else ""
    return (f"{n_facts} fact{'s' * (n_facts != 1)} in {n_files} file{'s' * (n_files != 1)}"
            f"{f' ({parts})' if parts else ''}: {errors} error{'s' * (errors != 1)}, "
            f"{warnings} warning{'s' * (warnings != 1)}{tail}")
