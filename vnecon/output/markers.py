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


def marker(trust: str | None, revised: bool | None = False) -> str:
    """'' for a reported figure (the default) never revised, else its marks ('~', 'r', '~r')."""
    return (MARKS[trust][0] if trust in MARKS else "") + ("r" if revised else "")


def fact_marker(fact) -> str:
    return marker(fact.get("trust"), getattr(fact, "revised", None))


def legend(trusts, revised: bool = False) -> str:
    """One line explaining the marks that appear, in a fixed order; '' when none does."""
    seen = {t for t in trusts if t in MARKS} | ({"revised"} if revised else set())
    parts = [f"{mark} {words}" for t, (mark, words) in MARKS.items() if t in seen]
    return ("Marks: " + "; ".join(parts) + " (see 'vnecon show ID')") if parts else ""


def fact_legend(facts) -> str:
    facts = list(facts)
    return legend((f.get("trust") for f in facts), any(getattr(f, "revised", None) for f in facts))
