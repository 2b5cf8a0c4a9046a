"""How far a figure can be trusted, shown where the figure is.

A fact's ``trust`` (schema: reported, derived, inferred, doubtful, draft)
becomes a one-character marker beside its value in tables and Markdown, with a
legend line under them; CSV and JSON carry the word itself in a ``trust``
column.  Plain ASCII, so it survives any terminal, pipe or font.
"""

from __future__ import annotations

from vnecon.load.model import TRUST

MARKS = {level: (mark, words) for level, (mark, words) in TRUST.items() if mark}


def marker(trust: str | None) -> str:
    """'' for a reported figure (the default), else its one-character mark."""
    return MARKS[trust][0] if trust in MARKS else ""


def legend(trusts) -> str:
    """One line explaining the marks that appear, in a fixed order; '' when none does."""
    seen = {t for t in trusts if t in MARKS}
    parts = [f"{mark} {words}" for t, (mark, words) in MARKS.items() if t in seen]
    return ("Marks: " + "; ".join(parts) + " (see 'vnecon show ID')") if parts else ""
