"""Vietnamese-aware text folding: case, diacritics, đ, NFC/NFD alike."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_D = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
# A word is letters and digits of any script ('삼성전자', '三星電子' and 'samsung' alike).
_NON_WORD = re.compile(r"[\W_]+")
# Characters that reorder or hide text on a terminal: bidi embeddings, overrides and
# isolates ('\u202eioN aH' would display as 'Ha Noi'), zero-width spaces and joiners,
# the Arabic letter mark, the BOM.  Shown as escapes, like control characters.
_INVISIBLE = "\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff"
_SHOWN = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029{_INVISIBLE}]")
_SHOWN_ONE_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{_INVISIBLE}]")
HAS_INVISIBLE = re.compile(f"[{_INVISIBLE}]")
# Control characters (NUL, BEL, ESC, CSI...) and line breaks, U+2028 and U+2029 included:
# in a field they ring, recolour the terminal or start a line of their own.
HAS_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def fold(text: str) -> str:
    """Lower-case, strip diacritics and turn đ into d: 'Hà Nội' -> 'ha noi'."""
    if text.isascii():
        return text.lower()
    # Strip combining marks in one regex pass (a per-character loop costs ms at start-up).
    stripped = _MARKS.sub("", unicodedata.normalize("NFD", text.translate(_D)))
    return unicodedata.normalize("NFC", stripped).lower()


def words(text: str) -> list[str]:
    """Folded words of a text: 'Hà Nội's GRDP' -> ['ha', 'noi', 's', 'grdp']."""
    return [w for w in _NON_WORD.split(fold(text)) if w]


@lru_cache(maxsize=1 << 16)  # names, regions, sectors and units repeat across thousands of facts
def phrase(text: str) -> str:
    """Folded words joined by single spaces, for exact comparisons."""
    return " ".join(words(text))


def _escape(m: re.Match) -> str:
    c = ord(m[0])
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def visible(text: str) -> str:
    """Show control and invisible characters as escapes: '\\x1b[31m' prints as text, not colour,
    and a right-to-left override cannot turn the text around."""
    return _SHOWN.sub(_escape, text)


def one_line(text: str) -> str:
    """visible(), and newlines and tabs escaped too: a message built from a file's text
    (a key, an id, a file name) can never print a line of its own."""
    return _SHOWN_ONE_LINE.sub(_escape, text)


def close_to(word: str, choices, n: int = 1, cutoff: float = 0.6) -> list[str]:
    """The choices closest to a mistyped word, best first (the one 'did you mean' of vnecon)."""
    from difflib import get_close_matches

    return get_close_matches(word, list(choices), n=n, cutoff=cutoff)
