"""Turn fact files into index rows, in bulk, on every core when there is much to do.

Files are read in parts (load.parts).  ``prepare_part`` does all the work on
one part (parse, validate, fold, serialise) and returns plain tuples, so it
can run in worker processes; ``apply`` writes each part's rows with
executemany as they arrive and then decides, for the ids that changed, which
layer's fact is in effect.
"""

from __future__ import annotations

import json
import os
import re
import stat
from itertools import chain

from vnecon.core.text import fold, phrase
from vnecon.load.model import FILTERS, SQL_FILTERS, Fact, Filter

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from typing import Any

    from vnecon.load.loader import FileResult, Part
    from vnecon.search.index import FileState, Index

# Long prose gets an FTS column of its own, weighted low, so a long note
# cannot push a fact below others that merely have none.
PROSE = ("note", "description", "scope", "capacity")
_SKIP = ("name", "title", "name_vi", "aliases", "sources", "url", "document")
_WORD = re.compile(r"[a-z0-9]{3,}")

# Parallel parsing pays once there is this much TOML to read.
PARALLEL_BYTES = 2_000_000



def _pad(*parts: Any) -> str:
    """Folded words with a leading space, so LIKE '% word%' matches word starts."""
    text = " ".join(phrase(str(p)) for p in parts if p)
    return f" {text} " if text else ""


def _bars(items: list[str]) -> str:
    items = [phrase(i) for i in items if i]
    return "|" + "|".join(items) + "|" if items else ""


def _flatten(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(_flatten(v) for v in value)
    if isinstance(value, dict):
        return " ".join(_flatten(v) for v in value.values())
    return str(value)


def span_of(f: Fact) -> tuple[str | None, str | None]:
    from vnecon.core.periods import parse_date, parse_period

    try:
        if f.kind == "indicator":
            return parse_period(f.data["period"])
        when = f.get("date") or f.get("started")
        return parse_date(when) if when else (None, None)
    except (KeyError, ValueError):
        return None, None


def refs_of(f: Fact) -> list[str]:
    refs = list(f.get("sources", []))
    for key in ("owner", "parent"):
        if f.get(key):
            refs.append(f.get(key))
    refs.extend(f.get("parties", []))
    return refs


def filter_cell(f: Fact, flt: Filter) -> str:
    """The folded text a listing filter matches (see load.model.FILTERS): one spelling for eq,
    padded words for word (LIKE '% word%' finds word starts), |a|b| for bars."""
    values = [f.id.replace("-", " ") if key == "id" else f.data.get(key) for key in flt.fields]
    if flt.how == "eq":
        first = next((v for v in values if v), "")
        return phrase(first) if isinstance(first, str) else ""
    items = [x for v in values if v for x in (v if isinstance(v, list) else [v])]
    if flt.how == "bars":
        return _bars([str(x) for x in items])
    return _pad(*items) or " "


def fact_row(f: Fact, rank: int) -> tuple:
    """The facts-table columns (without rowid) for one fact."""
    pstart, pend = span_of(f)
    return (
        f.id, f.kind, f.path, f.line, rank,
        json.dumps({"data": f.data, "layer": f.layer}, ensure_ascii=False, separators=(",", ":")),
        *(filter_cell(f, FILTERS[name]) for name in SQL_FILTERS),
        pstart, pend,
        phrase(f.title),
        observation_cell(f),
    )


def observation_cell(f: Fact) -> int | None:
    """What an indicator measures, as a 64-bit number: facts sharing it are vintages of one
    observation.  A hash of the observation key: eight bytes where the key's text took about
    seventy, in every row and in the index on it.  Among a million observations the chance that
    any two share a number is about 3 in 100 million."""
    if f.kind != "indicator":
        return None
    from hashlib import blake2b

    from vnecon.load.validate import observation_key

    key = json.dumps(observation_key(f, phrase), ensure_ascii=False).encode()
    return int.from_bytes(blake2b(key, digest_size=8).digest(), "big", signed=True)


def ref_token(fact_id: str) -> str:
    """One FTS token standing for a referenced fact: 'src-a-1' -> 'xrsrca1'.

    A fact's text carries tokens for its sources, owner, parent and parties
    rather than their names, so a file's rows never depend on other files;
    search expands a word to the tokens of the companies and sources it names.
    """
    return "xr" + fact_id.replace("-", "")


def own_text(kind: str, fid: str, d: dict, refs: list[str]) -> tuple[str, str, str, str]:
    """Folded (name, body, notes, references) columns of a fact's FTS row.

    Short values repeat across thousands of facts, so they go through the
    cached ``phrase``; only prose (notes) is folded afresh each time.
    """
    names = [d[k] for k in ("name", "title", "name_vi") if d.get(k)] + d.get("aliases", [])
    name = " ".join(phrase(n) for n in names) + " " + fid.replace("-", " ")
    body = [kind]
    notes = []
    for key, value in d.items():
        if key in _SKIP:
            continue
        if key in PROSE:
            notes.append(_flatten(value))
        elif isinstance(value, str):
            body.append(phrase(value))
        else:
            body.append(phrase(_flatten(value)))
    return name, " ".join(body), fold(" ".join(notes)), " ".join(ref_token(r) for r in refs)


def prepare(result: FileResult, rank: int) -> tuple:
    """Everything the index needs from one file, or one part of it, as picklable plain data."""
    facts = []
    words: set[str] = set()
    for f in result.facts:
        refs = refs_of(f)
        texts = own_text(f.kind, f.id, f.data, refs)
        for t in texts[:3]:
            words.update(_WORD.findall(t))
        facts.append((fact_row(f, rank), texts, refs))
    return (
        [tuple(d) for d in result.diagnostics], result.aliases, result.mergers,
        facts, sorted(words), result.readable, [(f.id, f.kind, f.line) for f in result.invalid],
        result.calendar,
    )


def prepare_part(path: str, layer: str, rank: int, first_line: int, offset: int, size: int, crc: int) -> Part:
    """Read, parse and prepare the rows of one part of a file, in a worker process.

    The worker reads the part itself: a megabyte of TOML per task in the pool's call
    queue would fill its pipe, and CPython's pool then hangs for ever if a worker is
    killed.  The checksum proves the bytes are the ones the parent cut; if the file
    changed in between, the part asks for the file to be read whole (one snapshot).
    """
    import zlib

    from vnecon.load import loader as load

    try:
        # O_NONBLOCK and a regular file only: the path may have become a FIFO since it was cut.
        with os.fdopen(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as fh:
            if stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                fh.seek(offset)
                data = fh.read(size)
            else:
                data = b""
    except OSError:
        data = b""
    if zlib.crc32(data) != crc or len(data) != size:
        return load.Part(prepare(load.FileResult(path), rank), first_line, whole=True)
    part = load.parse_part(path, layer, first_line, data, offset)
    part.result = prepare(part.result, rank)
    return part


def prepare_whole(path: str, layer: str, rank: int) -> tuple | None:
    """A file that could not be read in parts, read whole (None: too big for that)."""
    from vnecon.load import loader as load

    result = load.parse_whole(path, layer)
    return None if result is None else prepare(result, rank)


def _quiet_worker(parent: int) -> None:
    """Ctrl-C is the parent's to handle: workers must not print tracebacks of their own.

    A worker must also die with its parent (kill -9 included): on Linux the kernel
    sends it SIGTERM then (PR_SET_PDEATHSIG); elsewhere a thread watches the parent.
    """
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, signal.SIGTERM})  # held while forking
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        import threading
        import time

        def watch() -> None:
            while os.getppid() == parent:
                time.sleep(1)
            os._exit(1)

        threading.Thread(target=watch, daemon=True).start()
    if os.getppid() != parent:  # the parent died before prctl took effect (its pid comes from before the fork)
        os._exit(1)


def _prepared(states: list[FileState], progress: Callable[[int, int], None] | None,
              warn: Callable[[str], None] | None = None) -> Iterator[tuple[FileState, tuple, bool]]:
    """(state, prepared rows, restart) for each part of each file, in order; a part with
    restart set replaces the parts of its file before it (see loader.assemble).

    A big build parses parts in worker processes, a few parts ahead of the writer,
    so memory stays bounded however big one file is.  If a worker dies (killed, or
    out of memory), the build goes on in this process from the file it was on.
    """
    from vnecon.load import loader as load

    tick = load.ticker((s.size for s in states), progress)

    def serial(states: list[FileState], restart_first: bool = False):
        for i, st in enumerate(states):
            for j, (result, restart) in enumerate(load.file_parts(st.path, st.layer)):
                yield st, prepare(result, st.rank), restart or (restart_first and i == 0 and j == 0)
                tick()

    big = sum(max(s.size, 0) for s in states) >= PARALLEL_BYTES and (os.cpu_count() or 1) > 1
    if not big:
        yield from serial(states)
        return
    from concurrent.futures.process import BrokenProcessPool
    from itertools import groupby

    workers = min(os.cpu_count() or 1, 8)
    pool = _pool(workers)
    current: FileState | None = None
    try:
        depth = 2 * workers  # parts in flight: enough to keep every worker busy, few enough to bound memory
        read_whole: set[str] = set()  # files to stop cutting: they are being read whole
        for _, group in groupby(_submitted(pool, states, depth, read_whole), key=lambda item: id(item[0])):
            group = iter(group)
            current, first = next(group)
            parts = (item if isinstance(item, load.Part) else item.result()
                     for item in chain([first], (item for _, item in group)))
            for prepared, restart in load.assemble(parts, lambda st=current: prepare_whole(st.path, st.layer,
                                                                                           st.rank)):
                if restart:
                    read_whole.add(current.path)
                yield current, prepared, restart
                tick()
    except BrokenProcessPool:
        pool.shutdown(wait=False, cancel_futures=True)
        if warn:
            warn("a process indexing fact files died (killed, or out of memory?); indexing in this one instead")
        rest = states[states.index(current):] if current is not None else states
        yield from serial(rest, restart_first=True)  # the parts of `current` written so far give way
        return
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)  # Ctrl-C: do not wait for parts no one will write
        _stop_workers(pool)
        raise
    pool.shutdown()


def _stop_workers(pool) -> None:
    """End an abandoned pool's workers and wait (briefly) for its manager thread.  Left running,
    that thread closes its wake-up pipe while the interpreter's exit hook writes to it, and
    Python prints 'Exception ignored ... Bad file descriptor' on the way out (CPython 3.11)."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        try:
            process.terminate()
        except (OSError, ValueError):
            pass
    thread = getattr(pool, "_executor_manager_thread", None)
    if thread is not None:
        thread.join(timeout=5)


def _submitted(pool, states: list[FileState], depth: int, read_whole: set[str]) -> Iterator[tuple[FileState, Any]]:
    """(state, Future of a prepared Part, or a finished Part) for each part of each file,
    handed to the pool at most `depth` parts ahead of the caller; the rest of a file the
    caller has put in read_whole is not cut or parsed."""
    import zlib
    from collections import deque

    from vnecon.load import loader as load

    pending: deque = deque()
    for st in states:
        for raw in load.raw_parts(st.path, st.layer):
            if st.path in read_whole:
                break
            if isinstance(raw, load.Part):  # the file could not be read: nothing to parse
                raw.result = prepare(raw.result, st.rank)
                pending.append((st, raw))
            else:
                line, data, offset = raw
                pending.append((st, pool.submit(prepare_part, st.path, st.layer, st.rank, line, offset, len(data),
                                                zlib.crc32(data))))
            while len(pending) > depth:
                yield pending.popleft()
    while pending:
        yield pending.popleft()


def _pool(workers: int):
    """Worker processes that die with this one (see _quiet_worker)."""
    import signal
    from concurrent.futures import ProcessPoolExecutor

    # Ctrl-C or SIGTERM while the workers are being forked would land inside the fork
    # machinery (tracebacks, a pool that never finishes): hold them until the pool stands.
    held = {signal.SIGINT, signal.SIGTERM}
    before = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    pool = None
    try:
        pool = ProcessPoolExecutor(max_workers=workers, initializer=_quiet_worker, initargs=(os.getpid(),))
        for started in [pool.submit(os.getpid) for _ in range(workers)]:  # start the workers now
            started.result()
        # A signal that arrived meanwhile is delivered here, as the mask is lifted: the pool,
        # not yet handed to anyone, is stopped on the way out.
        signal.pthread_sigmask(signal.SIG_SETMASK, before)
    except BaseException:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
            _stop_workers(pool)
        raise
    return pool


def apply(index: Index, changed: list[FileState], gone: list[str],
          progress: Callable[[int, int], None] | None = None, warn: Callable[[str], None] | None = None) -> None:
    """Replace the rows of changed files and drop gone ones (the caller holds a transaction).

    Rows are written a part at a time, and the ids to look at again are kept in
    a temporary table, so a file of a million facts is never held in memory.
    """
    index.begin_changes()
    for path in gone + [st.path for st in changed]:
        index.drop_file(path)
        index.forget_file(path)

    next_rowid = index.next_rowid()
    current: FileState | None = None
    diags: list = []
    aliases: list = []
    mergers: list = []
    calendar: list = []
    readable = True

    def finish(st: FileState) -> None:
        # An unreadable file is stored with size -1, so it is tried again once readable
        # (chmod changes neither its size nor its mtime).
        index.add_file(st._replace(size=st.size if readable else -1), diags, aliases, mergers, calendar)

    for st, (p_diags, p_aliases, p_mergers, facts, words, p_readable, invalid, p_calendar), restart in _prepared(
            changed, progress, warn):
        if st is not current or restart:
            if st is not current and current is not None:
                finish(current)
            elif restart:
                index.drop_file(st.path)  # the parts written so far give way to the whole file's reading
            current, diags, aliases, mergers, calendar, readable = st, [], [], [], [], True
        diags.extend(p_diags)
        calendar.extend(p_calendar)
        aliases.extend(p_aliases)
        mergers.extend(p_mergers)
        readable = readable and p_readable
        rows, texts, refs = [], [], []
        for row, text, fact_refs in facts:
            rows.append((next_rowid, *row))
            texts.append((next_rowid, *text))
            refs.extend((next_rowid, r) for r in set(fact_refs))
            next_rowid += 1
        index.add_rows(st.path, rows, texts, refs, words)
        # A fact with errors is never served, but it still holds its id where it stands, as in
        # `check`: a later duplicate of it (an error there) must not be served in its place.
        bad = [(next_rowid + i, fid, kind, st.path, line, st.rank) for i, (fid, kind, line) in enumerate(invalid)]
        next_rowid += len(bad)
        index.add_invalid(bad)
    if current is not None:
        finish(current)
    index.recompute_live()
    index.recompute_vintages()
