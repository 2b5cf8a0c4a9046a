"""Finding fact files and naming them. Light to import: no parser here."""

from __future__ import annotations

import os
from pathlib import Path

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["display_path", "find_files", "layer_files", "shown"]


def find_files(path: Path, unreadable: list[tuple[str, str]] | None = None) -> Iterable[Path]:
    """The *.toml files under a directory (sorted, hidden entries skipped), or the file itself.

    A directory is resolved once, so the files come out as absolute paths
    without a realpath call for each of them.  Directories that cannot be
    listed, and files whose names are not UTF-8, are added to ``unreadable`` as
    (path, what is wrong) and skipped.
    """
    if not path.is_dir():
        yield Path(os.path.abspath(path))  # canonical: the same file is one path from any directory
        return

    def skipped(where: str, why: str) -> None:
        if unreadable is not None:
            unreadable.append((where, why))

    def walk_error(e: OSError) -> None:
        skipped(e.filename or str(path), f"cannot read directory: {e.strerror or type(e).__name__}")

    # Symlinked subdirectories are followed, as the schema promises; a directory seen
    # before (a link loop, or two links to one place) is read once.
    seen: set[str] = set()
    top = os.path.realpath(path)
    real_of = {top: top}  # a directory to walk -> where it really is
    for root, dirs, files in os.walk(top, onerror=walk_error, followlinks=True):
        real_root = real_of.pop(root, None) or os.path.realpath(root)
        seen.add(real_root)
        keep = []
        for d in sorted(d for d in dirs if not d.startswith(".")):
            sub = os.path.join(root, d)
            # Only a link is resolved (realpath costs an lstat per part of the path): a plain
            # directory really is inside its parent's real directory.
            real = os.path.realpath(sub) if os.path.islink(sub) else os.path.join(real_root, d)
            if real not in seen:
                seen.add(real)
                keep.append(d)
                real_of[sub] = real
        dirs[:] = keep
        for name in sorted(files):
            if name.endswith(".toml") and not name.startswith("."):
                if not _utf8(name):
                    # SQLite, JSON and terminals all need text: name the file with escapes and go on.
                    shown = os.path.join(root, name).encode("utf-8", "surrogateescape")
                    skipped(repr(shown)[2:-1], "file name is not UTF-8; rename it")
                    continue
                yield Path(root, name)


def _utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


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
    return text.removeprefix(real)


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


def shown(d) -> str:
    """A diagnostic as a person reads it: its path relative to the working directory when under
    it.  Diagnostics carry canonical (absolute) paths; this is where they are made short."""
    return str(d._replace(path=display_path(Path(d.path)))) if d.path else str(d)
