"""Cut a fact file into parts that parse on their own, so a big file is never held whole.

A part ends just before a top-level ``[[kind]]`` header once it holds
``PART_BYTES``: the TOML before such a header cannot change how what follows
it parses, except in ways ``loader.assemble`` checks (a table or static
array that a later part adds to).  A header with an odd count of ``\"\"\"`` or
``'''`` before it is taken to be inside a multi-line string and not cut at.
That count can be fooled (a ``\"\"\"`` inside a one-line string or a
comment); a part cut in the wrong place then fails to parse, and the file
is read whole, as it would be without parts.

Reading stays in bytes (decoding is the parser's job), a block at a time;
a regex search and two counts per part, all in C, cut 331 MiB in a second.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import BinaryIO, Iterator

PART_BYTES = 1 << 20  # 1 MiB of TOML: about 3,000 facts

# A [[name]] header (no dots: [[project.investments]] belongs to the project before it)
# at the start of a line.
_HEADER = re.compile(rb"^[ \t]*\[\[[ \t]*[A-Za-z0-9_-]+[ \t]*\]\]", re.M)


class PartTooBig(Exception):
    """No place to cut in max_bytes: the file can only be read whole."""


def _cut(buf: bytes, start: int, end: int, first: bool) -> tuple[int | None, int]:
    """(where to cut buf, or None; where a later search may resume): the first header in
    buf[start:end] with an even count of each kind of triple quotes before it (so not in a
    multi-line string), and, in a file's first part, a header before it as well."""
    pos = start
    while True:
        m = _HEADER.search(buf, pos, end)
        if m is None:
            return None, end  # no header before end, which is a line boundary
        at = m.start()
        if (buf.count(b'"""', 0, at) % 2 == 0 and buf.count(b"'''", 0, at) % 2 == 0
                and (not first or _HEADER.search(buf, 0, at))):
            return at, at
        pos = m.end()


def split(fh: BinaryIO, part_bytes: int = PART_BYTES, max_bytes: int = 64 << 20) -> Iterator[tuple[int, bytes]]:
    """(first line number, bytes) of each part of an open binary file, in order.

    Every part but the first starts with a ``[[kind]]`` header, and the first
    holds at least one header before a cut is made after it.  Each part ends at
    the first header found once it holds part_bytes: a search and two counts of
    quotes per part, all in C.
    """
    buf = b""
    line = 1
    first = True
    resume = part_bytes  # where to look for the next cut in buf
    eof = False
    while True:
        block = fh.read(max(part_bytes, 1 << 16))
        if block:
            buf += block
        else:
            eof = True
        # Look at whole lines only: a header cannot straddle a newline.
        end = len(buf) if eof else buf.rfind(b"\n") + 1
        while end > resume:
            at, resume = _cut(buf, resume, end, first)
            if at is None:
                break
            part = buf[:at]
            yield line, part
            line += part.count(b"\n")
            buf, end, first, resume = buf[at:], end - at, False, part_bytes
        if eof:
            if buf or line == 1:
                yield line, buf
            return
        if len(buf) > max_bytes:
            raise PartTooBig(f"no [[table]] header to cut at in {max_bytes / 2**20:.0f} MiB")
