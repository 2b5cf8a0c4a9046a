"""How far a figure can be trusted, shown where the figure is.

A fact's ``trust`` (schema: reported, derived, inferred, doubtful, draft)
becomes a one-character marker beside its value in tables and Markdown, with a
legend line under them; CSV and JSON carry the word itself in a ``trust``
column.  Plain ASCII, so it survives any terminal, pipe or font.
"""

from __future__ import annotations

from vnecon.load.model import TRUST

MARKS = {level: (mark, words) for level, (mark, words) in TRUST.items() if mark}
# The latest vintage of a figure whose earlier published value differs (docs/schema.md).
MARKS["revised"] = ("r", "revised: an earlier published value differs")
# A search result shown because the figure asked for is not in the data (search.answers).
MARKS["nearest"] = ("*", "nearest: not the figure asked for, which is not in the data")


def marker(trust: str | None, revised: bool | None = False) -> str:
    """'' for a reported figure (the default) never revised, else its marks ('~', 'r', '~r')."""
    return (MARKS[trust][0] if trust in MARKS else "") + ("r" if revised else "")


def fact_marker(fact) -> str:
    nearest = "*" if getattr(fact, "match", None) == "nearest" else ""
    return marker(fact.get("trust"), getattr(fact, "revised", None)) + nearest


def legend(trusts, revised: bool = False, nearest: bool = False) -> str:
    """One line explaining the marks that appear, in a fixed order; '' when none does."""
    seen = {t for t in trusts if t in MARKS} | ({"revised"} if revised else set()) | ({"nearest"} if nearest else set())
    parts = [f"{mark} {words}" for t, (mark, words) in MARKS.items() if t in seen]
    return ("Marks: " + "; ".join(parts) + " (see 'vnecon show ID')") if parts else ""


def fact_legend(facts) -> str:
    facts = list(facts)
    return legend((f.get("trust") for f in facts), any(getattr(f, "revised", None) for f in facts),
                  any(getattr(f, "match", None) == "nearest" for f in facts))
