"""Adding facts to a TOML file that may already hold thousands: locked, checked, crash-safe.

`new --append/--user`, `import --append/--user` and `fetch --append/--user` end
here.  The file's own inode is locked (core.safefile.FileLock), and the id check
runs under that lock, so parallel imports of one table cannot both add the same
ids.  Every append is a whole new file renamed over the old one: killed anywhere,
the file holds the old facts or all the new ones; a file with other hard links
(which a rename would split) is refused rather than written in place.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from vnecon.core.errors import BrokenTarget, IdsTaken, UsageError, WriteRefused
from vnecon.core.safefile import (
    FileLock,
    remove_stale_temporaries,
    resolve_target,
    write_bytes_atomic,
)

_BOM = "\ufeff"


def _canon(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _same(a: Any, b: Any) -> bool:
    # == first (no copy of a million facts as JSON text); canon only for NaN, which == calls unequal.
    return a == b or _canon(a) == _canon(b)


def _merged(before: dict, added: dict) -> dict:
    out = dict(before)
    for key, value in added.items():
        out[key] = out[key] + value if isinstance(out.get(key), list) and isinstance(value, list) else value
    return out


def _ids(doc: dict) -> dict[str, tuple[str, int]]:
    """id -> (kind, index) of every [[kind]] table in a parsed document."""
    out: dict[str, tuple[str, int]] = {}
    for kind, tables in doc.items():
        if isinstance(tables, list):
            for i, t in enumerate(tables):
                if isinstance(t, dict) and isinstance(t.get("id"), str):
                    out.setdefault(t["id"], (kind, i))
    return out


def _without(text: str, doc: dict, drop: dict[str, tuple[str, int]]) -> tuple[str, dict]:
    """text with the [[kind]] tables of the dropped ids cut out, and the document it should parse to."""
    from vnecon.load.positions import scan

    pos = scan(text, {k: len(v) for k, v in doc.items() if isinstance(v, list)})
    lines = text.split("\n")
    cut: set[int] = set()
    for kind, i in drop.values():
        t = pos.table(kind, i)
        if t is None:
            raise BrokenTarget("cannot find the facts to replace in the file; nothing was changed")
        cut.update(range(t.line - 1, t._end - 1))
    kept = "\n".join(line for n, line in enumerate(lines) if n not in cut)
    dropped = set(drop.values())
    expect = {}
    for k, v in doc.items():
        if isinstance(v, list):
            v = [t for i, t in enumerate(v) if (k, i) not in dropped]
            if not v and doc[k]:
                continue  # every [[k]] table cut: the key is gone
        expect[k] = v
    return kept, expect


def _plain_append(text: str, before: dict, added_text: str, added: dict) -> bool:
    """Whether text + added_text must parse as before plus added, without parsing it all again.

    True when text is valid TOML (before), added_text holds only [[kind]] tables, and
    each kind it adds is new to text or written there only as [[kind]] tables: then
    TOML's rules make the result the old tables plus the new ones.
    """
    from vnecon.load.positions import scan

    if not added_text.startswith("[[") or any(line.startswith("[") and not line.startswith("[[")
                                             for line in added_text.split("\n")):
        return False
    if not all(isinstance(v, list) and all(isinstance(t, dict) for t in v) for v in added.values()):
        return False
    shared = [k for k in added if k in before]
    if not shared:
        return True
    found = scan(text, {k: len(v) for k, v in before.items() if isinstance(v, list)}).tables
    return all(isinstance(before[k], list) and len(found.get(k, ())) == len(before[k]) for k in shared)


def append_fact(path: Path, text: str | Callable[[bytes], str], make_dirs: bool = False, *,
                replace: bool = False) -> Path:
    """Append [[kind]] tables to a TOML file; the original bytes stay as they were.

    text may be a function of the file's bytes as read under the lock, returning the tables to add
    ('' adds nothing and leaves the file as it was): `fetch` plans its ids and what is unchanged
    there, so parallel fetches into one file never plan against a file another has since written.

    Under a lock on the file itself (held across read, check, write and rename, so
    parallel appends all land, through any of its names), the ids are checked
    against the file: one already there is refused (IdsTaken, exit 1), or with
    replace=True its table is cut out so the new value is the one served.  The
    result is written beside the target (a symlink's target, not the link), fsynced
    and renamed over it, so killed anywhere the file holds the old facts or all the
    new ones.  A file with other hard links is refused (WriteRefused, exit 74): a
    rename would split the links and an append in place cannot be all or nothing.
    Only regular files are written (WriteRefused, exit 74).  A result that would not parse or not read
    back as the old facts plus the new ones changes nothing (BrokenTarget, exit 1).
    """
    real, _ = resolve_target(path)
    if make_dirs:
        try:
            real.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise WriteRefused(f"cannot create {real.parent}: {e.strerror}; nothing was changed") from None
    elif not real.parent.is_dir():
        raise UsageError(f"cannot append to {path}: directory {real.parent} does not exist")
    lock = FileLock(real)
    try:
        lock.__enter__()
    except OSError as e:
        raise WriteRefused(f"cannot lock {path} for appending: {e.strerror}; nothing was changed") from None
    wrote = False
    try:
        remove_stale_temporaries(real)
        _, st = resolve_target(real)
        original = b""
        if st is not None:
            try:  # O_NONBLOCK: a FIFO swapped in since the check must not hang us (the lock refused one already)
                with os.fdopen(os.open(real, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as fh:
                    original = fh.read()
            except OSError as e:
                raise WriteRefused(f"cannot read {path}: {e.strerror}; nothing was changed") from None
        if callable(text):
            text = text(original)
        if text:
            _append_locked(path, real, original, text, replace, st)
            wrote = True
    finally:
        if lock.created and not wrote:
            try:  # we made an empty file only to lock it: take it away again
                if os.path.getsize(real) == 0:
                    os.unlink(real)
            except OSError:
                pass
        lock.__exit__()
    return real


def _sh(path: Path | str) -> str:
    import shlex

    return shlex.quote(str(path))


def _append_locked(path: Path, real: Path, original: bytes, text: str, replace: bool, st) -> None:
    from vnecon.load.tomlread import ERRORS, tomllib

    if st is not None and st.st_nlink > 1:
        # A whole new file renamed over the old is the only append that is all or nothing, and a rename
        # would split the links into two files; written in place, a crash could leave part of it.
        raise WriteRefused(f"{path} has {st.st_nlink} hard links: vnecon appends by renaming a new copy over "
                           "the file, which would split the links, and will not write in place, where a crash "
                           "could leave half an append; nothing was changed. Give the file one name first "
                           f"(cp {_sh(path)} {_sh(f'{path}.new')} && mv {_sh(f'{path}.new')} {_sh(path)}; a "
                           "symlink can stand for the other "
                           "name), then append again")

    try:
        old_text = original.decode("utf-8")
        before = tomllib.loads(old_text.removeprefix(_BOM))  # a BOM is allowed; the parser wants none
        added = tomllib.loads(text)
    except (*ERRORS, UnicodeDecodeError) as e:
        raise BrokenTarget(f"{path} would not be valid TOML after appending: it is not valid now ({e}); "
                           "fix it first; nothing was changed") from None
    have = _ids(before)
    taken = {i: where for i in _ids(added) if (where := have.get(i))}
    if taken and not replace:
        shown = ", ".join(sorted(taken)[:10]) + (f" and {len(taken) - 10} more" if len(taken) > 10 else "")
        raise IdsTaken(f"{len(taken)} id{'s' * (len(taken) != 1)} already in {path}: {shown}; nothing was written")
    if taken:
        old_text, before = _without(old_text, before, taken)
        original = old_text.encode("utf-8")
    eol = b"\r\n" if b"\r\n" in original else b"\n"  # keep a Windows file's line ends
    sep = b"" if not original or original.endswith(eol * 2) else (eol if original.endswith(eol) else eol * 2)
    addition = sep + text.encode("utf-8").replace(b"\n", eol)
    expected = _merged(before, added)
    if taken or not _plain_append(old_text.removeprefix(_BOM), before, text, added):
        try:
            after = tomllib.loads((original + addition).decode("utf-8").removeprefix(_BOM))
        except ERRORS as e:
            raise BrokenTarget(f"{path} would not be valid TOML after appending ({e}); nothing was changed") \
                from None
        if not _same(after, expected):
            raise BrokenTarget(f"{path} would not read back as its facts plus the new ones; nothing was changed")
    write_bytes_atomic(real, original + addition, st.st_mode & 0o7777 if st is not None else None)


def write_new(path: Path, data: bytes, force: bool = False) -> Path:
    """Write a whole new file (import --out): a regular file or nothing there; atomic; under the file's lock."""
    real, st = resolve_target(path)
    if st is not None and not force:
        raise UsageError(f"{path} exists; use --force to replace it, or --append {path}")
    if not real.parent.is_dir():
        raise UsageError(f"cannot write {path}: directory {real.parent} does not exist")
    with FileLock(real) as lock:
        try:
            remove_stale_temporaries(real)
            write_bytes_atomic(real, data, st.st_mode & 0o7777 if st is not None else None)
        except BaseException:
            if lock.created:
                try:
                    os.unlink(real)
                except OSError:
                    pass
            raise
    return real
