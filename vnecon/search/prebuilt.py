"""The bundled facts indexed ahead of time: built when the wheel is built, adopted on first run.

An index stores the paths of the bundled facts from the bundled directory
(``@bundled/series/pmi.toml``, index.Index.key), so an index built anywhere
serves any install as it is.  ``prebuild.build`` indexes a facts directory as
the bundled layer alone and adds a manifest of each file's size and CRC-32;
``adopt`` seeds a new cache from it by copying it and giving each file whose
content matches the manifest its current size, times and inode, so the
ordinary refresh (refresh.py) sees it as up to date.  A file that differs (an
editable install, a developer editing facts/) is marked stale and parsed
again, and files added or removed are found as always: the prebuilt index is
never served stale, only used where it is provably the same.

Until another layer has a file, ``packaged`` serves queries from the shipped
index itself, read-only, so a fresh install copies nothing.

``python -m vnecon.search.prebuild FACTS_DIR OUT`` builds one; the wheel's
build hook (hatch_build.py) runs the same function.
"""

from __future__ import annotations

import json
import os
import sqlite3
import zlib
from pathlib import Path


def prebuilt_file() -> Path | None:
    """The prebuilt index shipped inside the installed package, if there is one; VNECON_PREBUILT
    names another (a checkout has none: its test suite builds one per session, tests/conftest.py)."""
    named = os.environ.get("VNECON_PREBUILT")
    p = Path(named) if named else Path(__file__).resolve().parent.parent / "_prebuilt.sqlite"
    return p if p.is_file() else None


def crc_of(path: Path) -> int:
    crc = 0
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            crc = zlib.crc32(chunk, crc)
    return crc


def adopt(src: Path, dest: Path, facts_dir: Path) -> bool:
    """Seed the cache file dest (which must not exist) from the prebuilt index src for the
    bundled facts at facts_dir; False (and nothing left behind) when src cannot be used."""
    from vnecon.search.index import BUNDLED, SCHEMA_VERSION

    tmp = dest.with_name(dest.name + ".seed")
    try:
        with open(src, "rb") as f, open(tmp, "wb") as g:
            while chunk := f.read(1 << 20):
                g.write(chunk)
        db = sqlite3.connect(tmp, isolation_level=None)
        try:
            if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
                return False
            # A private temporary file, renamed into place only when done: no journal needed.
            db.execute("PRAGMA journal_mode = OFF")
            db.execute("PRAGMA synchronous = OFF")
            base = os.path.join(os.path.realpath(facts_dir), "")
            db.execute("BEGIN")
            for key, size, crc in db.execute("SELECT path, size, crc FROM prebuilt").fetchall():
                path = Path(base + key[len(BUNDLED):])
                try:
                    st = path.stat()
                    same = st.st_size == size and crc_of(path) == crc
                except OSError:
                    same = False
                if same:
                    db.execute("UPDATE files SET size = ?, mtime_ns = ?, ctime_ns = ?, ino = ? WHERE path = ?",
                               (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, key))
                else:  # parsed again by the refresh that follows
                    db.execute("UPDATE files SET size = -2 WHERE path = ?", (key,))
            db.execute("DROP TABLE prebuilt")
            db.execute("COMMIT")
        finally:
            db.close()
        if dest.exists():
            return False
        os.replace(tmp, dest)
        return True
    except (OSError, sqlite3.Error):
        return False
    finally:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def packaged(layers: list[tuple[str, list[Path]]], states: list, stamp_dir: Path):
    """The shipped index itself, opened read-only, when it alone answers: no layer but the bundled
    one has a file, and the bundled files are the ones it was built from (its manifest's sizes and
    CRC-32s; checked once, then remembered by their sizes, times and inodes in a stamp in
    stamp_dir).  None when it cannot serve: then a cache is made (and seeded by adopt)."""
    from vnecon.search.index import SCHEMA_VERSION, Index

    src = prebuilt_file()
    if src is None or not states or any(st.layer != "bundled" for st in states):
        return None
    try:
        sst = src.stat()
        seen = json.dumps([[st.path, st.size, st.mtime_ns, st.ctime_ns, st.ino] for st in states]
                          + [[str(src), sst.st_size, sst.st_mtime_ns, sst.st_ctime_ns, sst.st_ino]])
        stamp = stamp_dir / f"prebuilt-{zlib.crc32(str(src).encode()):08x}.ok"
        db = sqlite3.connect(f"file:{src}?mode=ro&immutable=1", uri=True)
    except (OSError, sqlite3.Error):
        return None
    try:
        index = Index(db)
        index.bundle(layers)
        if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA_VERSION:
            raise sqlite3.DatabaseError("another schema")
        try:
            known = stamp.read_text(encoding="utf-8") == seen
        except OSError:
            known = False
        if not known:
            manifest = {key: (size, crc) for key, size, crc in db.execute("SELECT path, size, crc FROM prebuilt")}
            if set(manifest) != {index.key(st.path) for st in states}:
                raise sqlite3.DatabaseError("other files")
            for st in states:
                size, crc = manifest[index.key(st.path)]
                if st.size != size or crc_of(Path(st.path)) != crc:
                    raise sqlite3.DatabaseError("a changed file")
            try:
                from vnecon.core.safefile import write_bytes_atomic

                stamp_dir.mkdir(parents=True, exist_ok=True)
                write_bytes_atomic(stamp, seen.encode("utf-8"))
            except OSError:
                pass  # a read-only cache directory: checked again next time
        return index
    except (OSError, sqlite3.Error):
        db.close()
        return None
