"""Finding fact files and naming them. Light to import: no parser here."""

from __future__ import annotations

import os
from pathlib import Path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable

__all__ = ["display_path", "find_files", "layer_files"]


def find_files(path: Path, unreadable: list[tuple[str, str]] | None = None) -> Iterable[Path]:
    """The *.toml files under a directory (sorted, hidden entries skipped), or the file itself.

    A directory is resolved once, so the files come out as absolute paths
    without a realpath call for each of them.  Directories that cannot be
    listed are added to ``unreadable`` as (path, reason) and skipped.
    """
    if not path.is_dir():
        yield path
        return

    def skipped(e: OSError) -> None:
        if unreadable is not None:
            unreadable.append((e.filename or str(path), e.strerror or type(e).__name__))

    for root, dirs, files in os.walk(os.path.realpath(path), onerror=skipped):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.endswith(".toml") and not name.startswith("."):
                yield Path(root, name)


_REAL_CWD: dict[str, str] = {}


def display_path(path: Path) -> str:
    """Paths under the working directory print relative, like compilers do."""
    text = str(path) if path.is_absolute() else os.path.realpath(path)
    try:
        cwd = os.getcwd()
    except OSError:  # the working directory was deleted
        return text
    if cwd not in _REAL_CWD:  # one realpath per working directory, not one per file
        _REAL_CWD[cwd] = os.path.join(os.path.realpath(cwd), "")
    real = _REAL_CWD[cwd]
    return text[len(real):] if text.startswith(real) else text


def layer_files(layers: list[tuple[str, list[Path]]],
                unreadable: list[tuple[str, str]] | None = None) -> list[tuple[str, int, Path]]:
    """(layer, rank, absolute path) of every fact file, each file once.

    A file reachable from two layers belongs to the later one, as the facts
    in it would replace the earlier layer's anyway.
    """
    where: dict[str, tuple[str, int, Path]] = {}
    for rank, (layer, paths) in enumerate(layers):
        for p in paths:
            for f in find_files(p, unreadable):
                f = f if f.is_absolute() else Path(os.path.abspath(f))
                where.pop(str(f), None)  # re-insert: keeps the later layer and its order
                where[str(f)] = (layer, rank, f)
    return sorted(where.values(), key=lambda t: t[1])
