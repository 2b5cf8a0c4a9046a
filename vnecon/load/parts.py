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
    from collections.abc import Iterator
    from typing import BinaryIO

PART_BYTES = 1 << 20  # 1 MiB of TOML: about 3,000 facts

# A [[name]] header (no dots: [[project.investments]] belongs to the project before it)
# at the start of a line.
_HEADER = re.compile(rb"^[ \t]*\[\[[ \t]*[A-Za-z0-9_-]+[ \t]*\]\]", re.MULTILINE)


_HEADER_TEXT = re.compile(r"[ \t]*\[\[[ \t]*[A-Za-z0-9_-]+[ \t]*\]\]")

# A part held back this much past PART_BYTES by an odd count of quotes (a stray \"\"\" in
# a comment, say) is lexed line by line to find a real place to cut.
LEX_AFTER = 4


class PartTooBig(Exception):
    """No place to cut in max_bytes: the file can only be read whole."""


class _Cutter:
    """Where to cut a buffer that starts at a cut: the first header at or after `resume`,
    not inside a multi-line string by the count of triple quotes before it.  The counts
    run on from header to header, so each byte is counted once (a header starts a line,
    so no run of quotes straddles the place a count stops)."""

    def __init__(self, part_bytes: int, first: bool) -> None:
        self.part_bytes, self.first = part_bytes, first
        self.resume = part_bytes
        self.counted, self.dq, self.sq = 0, 0, 0
        self.lexed_at = 0  # buffer length at the last line-by-line lexing

    def cut(self, buf: bytes, end: int) -> int | None:
        while end > self.resume:
            m = _HEADER.search(buf, self.resume, end)
            if m is None:
                self.resume = end  # no header before end, which is a line boundary
                break
            at = m.start()
            self.dq += buf.count(b'"""', self.counted, at)
            self.sq += buf.count(b"'''", self.counted, at)
            self.counted = at
            if self.dq % 2 == 0 and self.sq % 2 == 0 and (not self.first or _HEADER.search(buf, 0, at)):
                return at
            self.resume = m.end()
        if len(buf) > LEX_AFTER * self.part_bytes + self.lexed_at:
            self.lexed_at = len(buf)
            return self._lexed(buf, end)
        return None

    def _lexed(self, buf: bytes, end: int) -> int | None:
        """The first header from part_bytes on that a TOML string lexer puts outside strings."""
        from vnecon.load.positions import line_state

        inside: str | None = None
        pos, seen = 0, not self.first
        for line in buf[:end].decode("latin-1").split("\n"):  # one character per byte: offsets hold
            if inside is None and _HEADER_TEXT.match(line):
                if seen and pos >= self.part_bytes:
                    return pos
                seen = True
            inside = line_state(line, inside)
            pos += len(line) + 1
        return None


def split(fh: BinaryIO, part_bytes: int = PART_BYTES, max_bytes: int = 64 << 20) -> Iterator[tuple[int, bytes]]:
    """(first line number, bytes) of each part of an open binary file, in order.

    Every part but the first starts with a ``[[kind]]`` header, and the first
    holds at least one header before a cut is made after it.  Each part ends at
    the first header found once it holds part_bytes: searches and counts of
    quotes, in C, over each byte once.
    """
    buf = b""
    line = 1
    cutter = _Cutter(part_bytes, first=True)
    eof = False
    while True:
        block = fh.read(max(part_bytes, 1 << 16))
        if block:
            buf += block
        else:
            eof = True
        # Look at whole lines only: a header cannot straddle a newline.
        end = len(buf) if eof else buf.rfind(b"\n") + 1
        while (at := cutter.cut(buf, end)) is not None:
            part = buf[:at]
            yield line, part
            line += part.count(b"\n")
            buf, end = buf[at:], end - at
            cutter = _Cutter(part_bytes, first=False)
        if eof:
            if buf or line == 1:
                yield line, buf
            return
        if len(buf) > max_bytes:
            raise PartTooBig(f"no [[table]] header to cut at in {max_bytes / 2**20:.0f} MiB")
