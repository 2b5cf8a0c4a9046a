"""Adding facts to a TOML file that may already hold thousands: locked, checked, crash-safe.

`new --append/--user` and `import --append/--user` both end here.  The file's
own inode is locked (core.safefile.FileLock), so two names of one file (hard
links) serialise too; the id check runs under that lock, so parallel imports
of one table cannot both add the same ids.
"""

from __future__ import annotations

import json
import os
import re
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
    and renamed over it; a file with other hard links is appended in place in
    steps that each leave valid TOML (see in_place_steps).  Only regular files are
    written (WriteRefused, exit 74).  A result that would not parse or not read
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


def _append_locked(path: Path, real: Path, original: bytes, text: str, replace: bool, st) -> None:
    from vnecon.load.tomlread import ERRORS, tomllib

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
    mode = st.st_mode & 0o7777 if st is not None else None
    if st is not None and st.st_nlink > 1:
        if taken:
            raise WriteRefused(f"{path} has {st.st_nlink} hard links: replacing facts in it would mean rewriting "
                               "it in place, which a crash could leave half done; nothing was changed")
        _append_in_place(real, len(original), addition)
    else:
        write_bytes_atomic(real, original + addition, mode)


# ---- crash-safe appends in place (hard-linked files) -------------------------------------------

_PAGE = 4096
_LINE = re.compile(rb"[^\n]*\n|[^\n]+\Z")


def _chunks(start: int, data: bytes) -> list[tuple[int, bytes]]:
    """data written at start as pieces that each stay within one page and end on a whole character,
    so a process killed between (or inside) two writes never leaves half a UTF-8 character."""
    out: list[tuple[int, bytes]] = []
    i = 0
    while i < len(data):
        end = min(len(data), i + _PAGE - (start + i) % _PAGE)
        while end < len(data) and end > i and 0x80 <= data[end] < 0xC0:  # inside a character: cut before it
            end -= 1
        if end == i:  # a character across a page boundary: write it alone
            end = i + 1
            while end < len(data) and 0x80 <= data[end] < 0xC0:
                end += 1
        out.append((start + i, data[i:end]))
        i = end
    return out


def in_place_steps(offset: int, addition: bytes) -> list[tuple[int, bytes]]:
    """The writes that append `addition` at `offset`, each leaving a file that parses with the old facts.

    1. every line as a comment of spaces ('#   ') of the same length: ASCII, so any
       prefix is valid TOML; 2. each line's text after its '#', page by page on
       character boundaries (still a comment); 3. each line's first byte, one at a
       time, headers before their keys and a table's id last, so a fact is served
       only once it is whole.  Killed anywhere, the file reads as before plus
       comments and at worst one table without an id, which check reports.
    """
    lines = _LINE.findall(addition)
    if any(len(line) > 1 and line[0] >= 0x80 for line in lines):  # not what our writers make
        return [(offset, addition)]
    skeleton, fill, flips = [], [], []
    pos = offset
    block_ids: list[tuple[int, bytes]] = []
    for line in lines:
        body = line.rstrip(b"\n")
        if not body:
            skeleton.append(line)
        else:
            skeleton.append(b"#" + b" " * (len(body) - 1) + line[len(body):])
            fill += _chunks(pos + 1, body[1:])
            if body[:1] != b"#":
                if body.lstrip().startswith(b"[[") and b"." not in body.split(b"]")[0]:
                    flips += block_ids  # the previous table is whole: its id goes in last
                    block_ids = []
                    flips.append((pos, body[:1]))
                elif re.match(rb"\s*id\s*=", body) and not block_ids:
                    block_ids = [(pos, body[:1])]
                else:
                    flips.append((pos, body[:1]))
        pos += len(line)
    flips += block_ids
    return [(offset, b"".join(skeleton)), *fill, *flips]


def _append_in_place(real: Path, size: int, addition: bytes) -> None:
    """Append to a hard-linked file where it is (a rename would split the links); undo a failed write."""
    fd = os.open(real, os.O_WRONLY)
    try:
        steps = in_place_steps(size, addition)
        _pwrite_all(fd, *steps[0])
        os.fsync(fd)  # the comment skeleton is on disk before any line becomes live
        for at, data in steps[1:]:
            _pwrite_all(fd, at, data)
        os.fsync(fd)
    except BaseException:
        os.ftruncate(fd, size)
        raise
    finally:
        os.close(fd)


def _pwrite_all(fd: int, at: int, data: bytes) -> None:
    done = 0
    while done < len(data):
        done += os.pwrite(fd, data[done:], at + done)


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
