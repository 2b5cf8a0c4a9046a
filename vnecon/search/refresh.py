"""Bring an index up to date with the fact files, cached on disk or in memory.

A file whose path, size or mtime changed is parsed again (``build``) and only
its rows are replaced; ``open_index`` is what commands call.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing only: Self (3.11+; typing_extensions before)
if TYPE_CHECKING:
    from typing_extensions import Self

TYPE_CHECKING = False  # typing costs ~5 ms at start-up; annotations are strings anyway
if TYPE_CHECKING:
    from collections.abc import Callable

import os
import sqlite3
from pathlib import Path

from vnecon.search.index import (
    CacheBusy,
    FileState,
    Index,
    cache_file,
    check_fts5,
    is_busy,
    memory_index,
    open_file,
    prune_caches,
    remove_cache_file,
)


def scan_layers(layers: list[tuple[str, list[Path]]], unreadable: list | None = None) -> list[FileState]:
    """Every fact file with its layer, rank, size and mtime (no parsing).

    Files are keyed by absolute path, so the cache serves any working directory.
    """
    from vnecon.load.files import layer_files

    states: list[FileState] = []
    for layer, rank, f in layer_files(layers, unreadable):
        try:
            st = f.stat()
        except OSError:
            st = None
        states.append(FileState(str(f), layer, rank, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
                      if st else FileState(str(f), layer, rank, -1, -1, -1, -1))
    return states


def refresh(index: Index, layers: list[tuple[str, list[Path]]], progress: Callable[[int, int], None] | None = None,
            warn: Callable[[str], None] | None = None, scanned: tuple[list[FileState], list] | None = None) -> int:
    """Bring the index up to date with the files; return how many files were parsed.  ``scanned``:
    (states, unreadable) as scan_layers just gave them, so the files are not listed twice."""
    index.bundle(layers)
    if scanned is None:
        unreadable: list[tuple[str, str]] = []
        states = scan_layers(layers, unreadable)
    else:
        states, unreadable = scanned
    for path, why in unreadable:
        if warn:
            warn(f"{path}: {why}; skipped")
    changed, gone = index.stale(states)
    if not changed and not gone:
        return 0
    # A bigger page cache keeps FTS5's segment merges in memory during a large build.
    index.db.execute("PRAGMA cache_size = -131072")
    index.db.execute("BEGIN IMMEDIATE")
    try:
        # Another process may have refreshed while we waited for the lock.
        changed, gone = index.stale(states)
        from vnecon.search.build import apply

        apply(index, changed, gone, progress, warn)
        index.note_places()
        index.db.execute("COMMIT")
    except BaseException:
        try:
            index.db.execute("ROLLBACK")
        except sqlite3.Error:  # SQLite already rolled back (a full disk): report the first error, not this one
            pass
        raise
    return len(changed)


# The cache file the last open_index used, so a damaged one found later (a read
# that fails mid-query) can be discarded and the command run again.
opened: list[Path] = []

_CANNOT_WRITE = ("readonly", "read-only", "disk is full", "disk i/o error", "unable to open")


def cannot_write(e: sqlite3.Error) -> bool:
    """A cache we may not or cannot write is not damaged: never delete it for that."""
    return any(m in str(e).lower() for m in _CANNOT_WRITE)


def discard_damaged_cache(e: BaseException, warn: Callable[[str], None] | None = None) -> bool:
    """After a failed read: if the cache file is damaged, delete it (and say so) and return True."""
    if not opened or not isinstance(e, sqlite3.DatabaseError) or is_busy(e) or cannot_write(e):
        return False
    path = opened[-1]
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok = db.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        finally:
            db.close()
    except sqlite3.Error:
        ok = False
    # A cache cleared or replaced under a running query ('vnecon cache clear' in another shell)
    # loses its tables: as damaged as a malformed one, and rebuilt the same way.
    gone = "no such table" in str(e) or "disk I/O error" in str(e)
    if ok and not gone and "malformed" not in str(e) and "corrupt" not in str(e):
        return False
    if warn:
        warn(f"cache {path} is damaged ({e}); rebuilding it")
    remove_cache_file(path)
    opened.clear()
    return True


BUILD_WAIT = 300.0  # seconds to wait for another process's build before working without the cache
WAIT_NOTICE = 1.0  # say that we are waiting only when it takes longer than this


class _one_builder:
    """One process brings a cache file up to date; the others wait for it (bounded, with a
    notice) and then find nothing left to do, instead of all building the same index.
    The lock is core.safefile.FileLock on PATH.lock, the one lock every write path uses."""

    def __init__(self, path: Path, warn: Callable[[str], None] | None) -> None:
        from vnecon.core.safefile import FileLock

        def waiting() -> None:
            if warn:
                warn("another vnecon is indexing these facts; waiting for it to finish")

        self.lock = FileLock(Path(f"{path}.lock"), timeout=BUILD_WAIT, waiting=waiting, notice=WAIT_NOTICE)

    def __enter__(self) -> Self:
        from vnecon.core.safefile import LockBusy

        try:
            self.lock.__enter__()
        except LockBusy as e:
            raise CacheBusy(f"another vnecon has been indexing for {e.waited:.0f} s") from None
        except OSError:
            pass  # a read-only cache directory: SQLite's own lock alone
        return self

    def __exit__(self, *exc: object) -> None:
        self.lock.__exit__()  # closing releases the lock


def _stamp(path: Path) -> str:
    st = os.stat(path)
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ino}"


def _as_we_left_it(path: Path) -> bool:
    """Whether the cache file is as a vnecon process left it (size, mtime and inode in PATH.ok)."""
    try:
        return Path(f"{path}.ok").read_text() == _stamp(path)
    except OSError:
        return False


def _remember(path: Path) -> None:
    try:
        if not _as_we_left_it(path):
            from vnecon.core.safefile import write_bytes_atomic

            write_bytes_atomic(Path(f"{path}.ok"), _stamp(path).encode())
    except OSError:
        pass  # a read-only cache directory: the next run checks again


def _verify(index: Index) -> None:
    """SQLite does not notice every damaged page on read (some only drop rows), so a cache
    file changed behind our back is checked once before it is trusted."""
    result = index.db.execute("PRAGMA quick_check").fetchone()[0]
    if result != "ok":
        raise sqlite3.DatabaseError(f"database disk image is malformed ({result})")


def _seed(path: Path, layers: list[tuple[str, list[Path]]]) -> None:
    """A new cache over the bundled facts starts from the index built with the package
    (search.prebuilt), so the first run reads no bundled TOML that has not changed."""
    if not layers or layers[0][0] != "bundled" or len(layers[0][1]) != 1:
        return
    from vnecon.search.prebuilt import adopt, prebuilt_file

    src = prebuilt_file()
    if src is not None and adopt(src, path, layers[0][1][0]):
        _remember(path)  # written by us just now: no need to check it page by page


def open_index(
    layers: list[tuple[str, list[Path]]],
    use_cache: bool = True,
    progress: Callable[[int, int], None] | None = None,
    warn: Callable[[str], None] | None = None,
) -> Index:
    """An up-to-date index over the layers, cached on disk unless use_cache is false."""
    unreadable: list = []
    states = scan_layers(layers, unreadable)

    def in_memory(scanned: tuple | None = None) -> Index:  # after a wait for the cache: the files listed again
        index = memory_index()
        refresh(index, layers, progress, warn, scanned)
        return index

    if not use_cache:
        return in_memory((states, unreadable))
    check_fts5()
    # A fresh install with no facts of the user's own: the shipped index answers as it is, read-only,
    # with no copy of it made (search.prebuilt.packaged); a cache is made once another layer has files.
    if not unreadable:
        from vnecon.search.index import cache_dir
        from vnecon.search.prebuilt import packaged

        shipped = packaged(layers, states, cache_dir())
        if shipped is not None:
            return shipped
    path = cache_file(layers)
    new = not path.exists()
    def open_and_refresh() -> Index:
        try:
            index = open_file(path)
        except sqlite3.DatabaseError as e:
            if is_busy(e) or cannot_write(e):
                raise
            if warn:
                warn(f"cache {path} is unreadable ({e}); rebuilding it")
            remove_cache_file(path)
            index = open_file(path)
        changed = refresh(index, layers, progress, warn, (states, unreadable))
        if not changed and not _as_we_left_it(path):
            _verify(index)  # changed by someone else since our last write: damaged?
        _remember(path)
        return index

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Creating, checking, deleting and refreshing the file all happen under the builder's
        # lock, so no process ever deletes or replaces a file another one is working on.
        with _one_builder(path, warn):
            if not path.exists():
                _seed(path, layers)
            try:
                index = open_and_refresh()
            except sqlite3.OperationalError as e:
                if not ("readonly" in str(e) and os.access(path, os.W_OK)):
                    raise
                index = open_and_refresh()  # the file was replaced under an open connection: once more
        opened.append(path)
        if new:
            prune_caches()
        return index
    except CacheBusy:
        # Another process is writing the cache: never delete it under them.
        if warn:
            warn(f"cache {path} is busy (another vnecon is indexing); working without it this time")
    except sqlite3.Error as e:
        if is_busy(e):
            if warn:
                warn(f"cache {path} is busy (another vnecon is indexing); working without it this time")
        elif cannot_write(e):
            if warn:
                warn(f"cannot write cache {path} ({e}); working without it this time")
        else:
            if warn:
                warn(f"cache {path} is damaged ({e}); rebuilding it")
            try:
                with _one_builder(path, None):
                    remove_cache_file(path)
            except CacheBusy:
                pass
    except OSError as e:
        if warn:
            warn(f"cannot use cache directory {path.parent} ({e.strerror}); working without a cache")
    return in_memory()
