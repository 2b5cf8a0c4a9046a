"""Cut a fact file into parts that parse on their own, so a big file is never held whole.

A part ends just before a top-level ``[[kind]]`` header once it holds
``PART_BYTES``: the TOML before such a header cannot change how what follows
it parses, except in ways ``loader.assemble`` checks (a table or static
array that a later part adds to).  Headers inside multi-line strings are
not cut at: ``\"\"\"`` and ``'''`` are counted the way a reader's eye does.
That count can be fooled (a ``\"\"\"`` inside a one-line string or a
comment); a part cut in the wrong place then fails to parse, and the file
is read whole, as it would be without parts.

Reading stays in bytes (decoding is the parser's job), one block at a time,
and the regex runs in C, so cutting costs next to nothing.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import BinaryIO, Iterator

PART_BYTES = 1 << 20  # 1 MiB of TOML: about 3,000 facts

# A multi-line string's quotes, or a [[name]] header (no dots: [[project.investments]]
# belongs to the project before it) at the start of a line.
_MARK = re.compile(rb"(\"\"\"|''')|^[ \t]*\[\[[ \t]*[A-Za-z0-9_-]+[ \t]*\]\]", re.M)


class PartTooBig(Exception):
    """No place to cut in max_bytes: the file can only be read whole."""


def split(fh: BinaryIO, part_bytes: int = PART_BYTES, max_bytes: int = 64 << 20) -> Iterator[tuple[int, bytes]]:
    """(first line number, bytes) of each part of an open binary file, in order.

    Every part but the first starts with a ``[[kind]]`` header, and the first
    holds at least one header before a cut is made after it.
    """
    buf = b""
    line = 1
    scanned = 0  # buf[:scanned] has been looked at
    in_string: bytes | None = None
    seen_header = False
    while True:
        block = fh.read(max(part_bytes, 1 << 16))
        buf += block
        # Look at whole lines only: a header or quotes cannot straddle a newline.
        end = buf.rfind(b"\n") + 1 if block else len(buf)
        cuts = []
        last = 0
        for m in _MARK.finditer(buf, scanned, end):
            if m[1]:
                in_string = None if in_string == m[1] else in_string or m[1]
            elif in_string is None:
                if seen_header and m.start() - last >= part_bytes:
                    cuts.append(m.start())
                    last = m.start()
                seen_header = True
        scanned = end
        start = 0
        for cut in cuts:
            part = buf[start:cut]
            yield line, part
            line += part.count(b"\n")
            start = cut
        if start:
            buf = buf[start:]
            scanned -= start
        if not block:
            if buf or line == 1:
                yield line, buf
            return
        if len(buf) > max_bytes:
            raise PartTooBig(f"no [[table]] header to cut at in {max_bytes / 2**20:.0f} MiB")
