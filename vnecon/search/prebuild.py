"""Build the prebuilt index of the bundled facts (see search.prebuilt, which adopts it).

``python -m vnecon.search.prebuild FACTS_DIR OUT.sqlite``; the wheel's build
hook (hatch_build.py) calls ``build``.
"""

from __future__ import annotations

import os
from pathlib import Path

from vnecon.search.prebuilt import crc_of


def build(facts_dir: Path, out: Path) -> int:
    """Index facts_dir as the bundled layer into out (replaced); return the number of facts."""
    from vnecon.search.index import open_file
    from vnecon.search.refresh import refresh

    facts_dir, out = Path(os.path.realpath(facts_dir)), Path(out)
    tmp = out.with_name(out.name + ".tmp")
    for p in (tmp, Path(f"{tmp}-journal")):
        if p.exists():
            p.unlink()
    index = open_file(tmp)
    try:
        refresh(index, [("bundled", [facts_dir])])
        db = index.db
        db.execute("BEGIN")
        db.execute("CREATE TABLE prebuilt(path TEXT PRIMARY KEY, size INTEGER, crc INTEGER)")
        for (key,) in db.execute("SELECT path FROM files").fetchall():
            path = Path(index.real(key))
            db.execute("INSERT INTO prebuilt VALUES (?, ?, ?)", (key, path.stat().st_size, crc_of(path)))
        db.execute("COMMIT")
        count = index.count()
        # Larger pages hold the many short rows with less slack: 1.6 MB less over the bundled facts.
        db.execute("PRAGMA page_size = 8192")
        db.execute("VACUUM")
    finally:
        index.db.close()
    os.replace(tmp, out)
    return count


def main(argv: list[str] | None = None) -> int:
    import sys

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        sys.stderr.write("usage: python -m vnecon.search.prebuild FACTS_DIR OUT.sqlite\n")
        return 2
    n = build(Path(args[0]), Path(args[1]))
    sys.stderr.write(f"indexed {n} facts into {args[1]}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
