"""Every write path's building blocks: one file lock, one atomic write, one target check.

Appends, `import --out`, exports and the index cache all go through these, so a
rule learned once (a lock follows the inode, a temporary is fsynced before it is
renamed, only regular files are replaced) holds everywhere.  Standard library only.
"""

from __future__ import annotations

import os
import re
import stat
import time
from collections.abc import Callable
from pathlib import Path

from vnecon.core.errors import WriteRefused


def _token() -> str:
    """A random suffix for a temporary name.  os.urandom, not secrets: secrets imports hmac and
    OpenSSL (~4 ms), and a read-only query imports this module for its lock."""
    return os.urandom(4).hex()

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing_extensions import Self


def what_it_is(mode: int) -> str:
    """'a directory', 'a FIFO', ... for a message that says why a path is refused."""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def resolve_target(path: Path) -> tuple[Path, os.stat_result | None]:
    """The file a write to path would change (a symlink is followed) and its stat, or None if absent.

    Only regular files are written: a device, FIFO, socket or directory is refused
    (WriteRefused, exit 74) before anything is opened, so /dev/null stays /dev/null.
    """
    real = Path(os.path.realpath(path))
    try:
        st = os.stat(real)
    except FileNotFoundError:
        return real, None
    except OSError as e:
        raise WriteRefused(f"cannot write {path}: {e.strerror}; nothing was changed") from None
    if not stat.S_ISREG(st.st_mode):
        raise WriteRefused(f"cannot write {path}: it is {what_it_is(st.st_mode)}, not a regular file; "
                           "nothing was changed")
    return real, st


class LockBusy(Exception):
    """The lock was not free within the timeout."""

    def __init__(self, waited: float) -> None:
        super().__init__(f"waited {waited:.0f} s")
        self.waited = waited


class FileLock:
    """An exclusive flock() on the inode a path names, taken again if the path is renamed over meanwhile.

    Locking a fact file itself (not a `.lock` file named after it) means two
    names of one file (hard links, a symlink) share one lock.  A file replaced
    by rename takes a new inode, so a waiter that wakes holding the old one
    notices (the path names another inode now) and locks again.  With
    create=True a missing file is created (empty) to have an inode to lock;
    unlink=True removes a private lock file on release.  timeout=None waits
    as long as it takes; otherwise LockBusy is raised, and waiting() is called
    once if the wait passes `notice` seconds.  On systems without flock
    (Windows) nothing is locked.
    """

    def __init__(self, path: Path, *, create: bool = True, unlink: bool = False, timeout: float | None = None,
                 waiting: Callable[[], None] | None = None, notice: float = 1.0) -> None:
        self.path, self.create, self.unlink = Path(path), create, unlink
        self.timeout, self.waiting, self.notice = timeout, waiting, notice
        self.fd: int | None = None
        self.created = False

    def __enter__(self) -> Self:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - Windows
            return self
        start, said = time.monotonic(), False
        while True:
            flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
            try:
                fd = os.open(self.path, flags)
            except FileNotFoundError:
                if not self.create:
                    raise
                try:
                    fd = os.open(self.path, flags | os.O_CREAT | os.O_EXCL, 0o666)
                    self.created = True
                except FileExistsError:
                    continue
            try:
                if not stat.S_ISREG(os.fstat(fd).st_mode):
                    raise WriteRefused(f"cannot lock {self.path}: it is {what_it_is(os.fstat(fd).st_mode)}")
                if self.timeout is None:
                    fcntl.flock(fd, fcntl.LOCK_EX)
                else:
                    while True:
                        try:
                            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                            break
                        except BlockingIOError:
                            waited = time.monotonic() - start
                            if waited > self.timeout:
                                raise LockBusy(waited) from None
                            if waited > self.notice and not said and self.waiting:
                                self.waiting()
                                said = True
                            time.sleep(0.05)
                try:
                    same = os.stat(self.path).st_ino == os.fstat(fd).st_ino
                except FileNotFoundError:
                    same = False
            except BaseException:
                os.close(fd)
                raise
            if same:
                self.fd = fd
                return self
            os.close(fd)  # renamed over or unlinked while we waited: lock what the name holds now
            self.created = False

    def __exit__(self, *exc: object) -> None:
        if self.fd is not None:
            if self.unlink:  # unlinked before unlocking: a waiter then sees the name gone and retries
                try:
                    os.unlink(self.path)
                except OSError:
                    pass
            os.close(self.fd)
            self.fd = None


def temporary_beside(real: Path) -> Path:
    """A fresh temporary name beside real, recognised by remove_stale_temporaries."""
    return real.with_name(f".{real.name}.{os.getpid()}-{_token()}.tmp")


def _stale_pattern(name: str) -> re.Pattern:
    # Ours: .NAME.PID-HEX.tmp (and DuckDB's .wal beside it); earlier versions: .NAME.XXXX.tmp (appends),
    # .NAME.tmp-PID and .NAME.old-PID (exports).
    return re.compile(rf"\.{re.escape(name)}\.(?:[^/]+\.tmp|[^/]+\.old|tmp-\d+|old-\d+)(?:\.wal)?")


def remove(path: Path) -> None:
    """Remove a file or a directory tree of ours; no error if it is gone."""
    try:
        if stat.S_ISDIR(os.lstat(path).st_mode):
            import shutil  # only to clear a directory in the way: off the query path

            shutil.rmtree(path, ignore_errors=True)
        else:
            os.unlink(path)
    except FileNotFoundError:
        pass
    except OSError:
        pass


def remove_stale_temporaries(real: Path) -> int:
    """Remove temporaries a killed write to real left (call with its lock held: nobody is writing them).

    A directory moved aside for a swap (.old) is put back instead if the target is
    missing: the process was killed between the two renames.
    """
    pattern = _stale_pattern(real.name)
    try:
        entries = [e for e in os.scandir(real.parent) if pattern.fullmatch(e.name)]
    except OSError:
        return 0
    if not os.path.lexists(real):
        aside = sorted((e for e in entries if ".old" in e.name and not e.name.endswith(".wal")),
                       key=lambda e: e.stat(follow_symlinks=False).st_mtime_ns)
        if aside:
            os.replace(aside[-1].path, real)
            entries = [e for e in entries if e.path != aside[-1].path]
    for entry in entries:
        remove(Path(entry.path))
    return len(entries)


def fsync_directory(directory: Path) -> None:
    """Make a rename in directory durable (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _fsync_tree(path: Path) -> None:
    paths = [path]
    if path.is_dir():
        paths = [p for p in path.iterdir() if p.is_file()]
    for p in paths:
        fd = os.open(p, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    if path.is_dir():
        fsync_directory(path)


def write_atomic(real: Path, build: Callable[[str], None], mode: int | None = None) -> None:
    """The one way a whole file (or an export's directory) is written.

    build(temporary path) writes everything beside real; the result is fsynced,
    given `mode` (default: a new file's permissions under the umask) and only then
    renamed over real.  A directory target is moved aside and removed after the
    swap.  On any failure or interrupt the temporary is removed and real is as it
    was.  Callers check the target (resolve_target) and hold its lock.
    """
    tmp = temporary_beside(real)
    try:
        build(str(tmp))
        _fsync_tree(tmp)
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = (0o777 if tmp.is_dir() else 0o666) & ~umask
        os.chmod(tmp, mode)
        if os.path.isdir(real) and not os.path.islink(real):
            aside = real.with_name(f".{real.name}.{os.getpid()}-{_token()}.old")
            os.replace(real, aside)
            os.replace(tmp, real)
            remove(aside)
        else:
            if tmp.is_dir() and os.path.lexists(real):
                os.unlink(real)
            os.replace(tmp, real)
        fsync_directory(real.parent)
    finally:
        remove(tmp)
        remove(Path(f"{tmp}.wal"))


def write_bytes_atomic(real: Path, data: bytes, mode: int | None = None) -> None:
    """write_atomic for bytes already in memory."""
    def build(tmp: str) -> None:
        with open(tmp, "xb") as fh:
            fh.write(data)

    write_atomic(real, build, mode)
