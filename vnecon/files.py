"""Finding fact files and naming them. Light to import: no parser here."""

from __future__ import annotations

import os
from pathlib import Path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

__all__ = ["display_path", "find_files"]


def find_files(path: Path) -> Iterable[Path]:
    """The *.toml files under a directory (sorted, hidden entries skipped), or the file itself."""
    if not path.is_dir():
        yield path
        return
    for root, dirs, files in os.walk(path, onerror=None):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.endswith(".toml") and not name.startswith("."):
                yield Path(root) / name


def display_path(path: Path) -> str:
    """Paths under the working directory print relative, like compilers do."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)
