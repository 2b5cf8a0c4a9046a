"""Vietnamese-aware text folding: case, diacritics, đ, NFC/NFD alike."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_D = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
_NON_WORD = re.compile(r"[^0-9a-z]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


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


def visible(text: str) -> str:
    """Show control characters as escapes: '\\x1b[31m' prints as text, not colour."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}", text)
