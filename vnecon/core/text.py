"""Vietnamese-aware text folding: case, diacritics, đ, NFC/NFD alike."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_D = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})
# Combining marks, stripped after NFD.  Compiling a regex of these ranges costs ~0.4 ms, at every
# start-up; short text (names, a query) is stripped by str.translate instead, long text (notes,
# while indexing) by the regex, compiled on first use, three times faster per character there.
_MARK_RANGES = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
_MARK_TABLE = dict.fromkeys([*range(0x300, 0x370), *range(0x1AB0, 0x1B00), *range(0x1DC0, 0x1E00),
                             *range(0x20D0, 0x2100), *range(0xFE20, 0xFE30)])
_SHORT = 100
# A word is letters and digits of any script ('삼성전자', '三星電子' and 'samsung' alike).
_NON_WORD = re.compile(r"[\W_]+")
# Characters that reorder or hide text on a terminal: bidi embeddings, overrides and
# isolates ('\u202eioN aH' would display as 'Ha Noi'), zero-width spaces and joiners,
# the Arabic letter mark, the BOM.  Shown as escapes, like control characters.
_INVISIBLE = "\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff"
# Control characters (NUL, BEL, ESC, CSI...) and line breaks, U+2028 and U+2029 included:
# in a field they ring, recolour the terminal or start a line of their own.
_CONTROL = "\x00-\x1f\x7f-\x9f\u2028\u2029"
# These sets too are compiled on first use (~0.25 ms each): most text is printable
# (str.isprintable), and printable text holds none of their characters.
_SETS = {
    "_MARKS": _MARK_RANGES,
    "_SHOWN": f"\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029{_INVISIBLE}",  # tabs and newlines kept
    "_SHOWN_ONE_LINE": _CONTROL + _INVISIBLE,
    "HAS_INVISIBLE": _INVISIBLE,
    "HAS_CONTROL": _CONTROL,
}


def _compiled(name: str) -> re.Pattern:
    pattern = globals().get(name)
    if pattern is None:
        pattern = globals()[name] = re.compile(f"[{_SETS[name]}]")
    return pattern


def __getattr__(name: str) -> re.Pattern:
    """HAS_INVISIBLE and HAS_CONTROL (and the private sets), compiled when first asked for."""
    if name in _SETS:
        return _compiled(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def fold(text: str) -> str:
    """Lower-case, strip diacritics and turn đ into d: 'Hà Nội' -> 'ha noi'."""
    if text.isascii():
        return text.lower()
    # Strip combining marks in one pass (a per-character loop costs ms at start-up).
    split = unicodedata.normalize("NFD", text.translate(_D))
    stripped = split.translate(_MARK_TABLE) if len(split) <= _SHORT else _compiled("_MARKS").sub("", split)
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
    return text if text.isprintable() else _compiled("_SHOWN").sub(_escape, text)


def one_line(text: str) -> str:
    """visible(), and newlines and tabs escaped too: a message built from a file's text
    (a key, an id, a file name) can never print a line of its own."""
    return text if text.isprintable() else _compiled("_SHOWN_ONE_LINE").sub(_escape, text)


def has_control(text: str) -> bool:
    """Whether the text holds a control character or a line break (HAS_CONTROL)."""
    return not text.isprintable() and _compiled("HAS_CONTROL").search(text) is not None


def close_to(word: str, choices, n: int = 1, cutoff: float = 0.6) -> list[str]:
    """The choices closest to a mistyped word, best first (the one 'did you mean' of vnecon)."""
    from difflib import get_close_matches

    return get_close_matches(word, list(choices), n=n, cutoff=cutoff)
