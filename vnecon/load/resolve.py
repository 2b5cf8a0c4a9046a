"""Which figure counts: the one rule that orders the vintages of an observation.

`check` (over facts in memory) and the index (over its rows, see
search.index.Index.recompute_vintages) both call ``resolve``; SQL only
compares the level it computes, so the rule is written once.

The rule, in order:

1. **Dates.**  A vintage is dated by its latest source.  A date given only to
   the month or the year counts from the end of that month or year: a figure
   can only be known once its source is out (``known_from``).
2. **revises.**  Where two dates cannot be ordered (the same day, or
   '2022-03' against '2022-03-05'), a vintage that names another with
   ``revises`` comes after it, and what it revises takes its place no later
   than its reviser; a chain (q2 <- q2-r1 <- q2-r2) is followed to its end.
   A ``revises`` that the dates contradict is ignored here (check reports it
   as an error).
3. **Ties.**  Vintages that neither rule orders share a level: each is a
   latest figure (a conflict, which check warns about), and every listing
   shows them all.  Within a level, vintages are listed by id.

A loop of ``revises`` (a fact revising itself, or A revises B revises A) orders
nothing: its members are ties, and check reports the loop as an error.
"""

from __future__ import annotations

from collections import namedtuple

# One indicator of an observation: its id, vintage date (its latest source's date, '' if none),
# the id it says it revises ('' if none) and its value.
Vintage = namedtuple("Vintage", "id vdate revises value")

_MONTH_DAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def known_from(date: str | None) -> str:
    """The day from which a figure published on ``date`` can be known: '2024' -> '2024-12-31',
    '2024-02' -> '2024-02-29', '2024-06-05' as it is; '' for no date."""
    if not date:
        return ""
    date = str(date)
    if len(date) == 4 and date.isdigit():
        return f"{date}-12-31"
    if len(date) == 7 and date[:4].isdigit() and date[5:].isdigit():
        year, month = int(date[:4]), int(date[5:])
        if 1 <= month <= 12:
            leap = month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
            return f"{date}-{_MONTH_DAYS[month - 1] + leap:02d}"
    return date[:10]


class Resolution:
    """The order of one observation's vintages.

    ``level[id]`` sorts as the order (a later vintage has a greater level; ties share one);
    ``latest`` the ids at the highest level; ``revised`` the latest ids an earlier vintage
    gave another value for; ``loops`` each revises-loop's ids, sorted."""

    __slots__ = ("latest", "level", "loops", "revised")

    def __init__(self) -> None:
        self.level: dict[str, str] = {}
        self.latest: set[str] = set()
        self.revised: set[str] = set()
        self.loops: list[list[str]] = []

    def ordered(self, ids: list[str]) -> list[str]:
        """ids first published first (ties by id)."""
        return sorted(ids, key=lambda i: (self.level.get(i, ""), i))


def orderable(a: str, b: str) -> bool:
    """Two publication dates that say which came first: not equal, neither a coarser form of the
    other ('2019-12' and '2019-12-13' do not), both given."""
    return bool(a and b) and a != b and not a.startswith(b) and not b.startswith(a)


def resolve(members: list[Vintage]) -> Resolution:
    """Order the vintages of one observation (see the module's docstring)."""
    out = Resolution()
    by_id = {m.id: m for m in members}
    # The revises links the dates leave room for: the target is here and its date cannot be
    # ordered against the reviser's (the same day, or one a coarser form of the other).
    link = {m.id: m.revises for m in members
            if m.revises in by_id and not orderable(m.vdate, by_id[m.revises].vdate)}
    # The day a vintage takes its place from: its own (a coarse date counts from its end), or
    # the day of a vintage that revises it, if earlier: what is revised came before its reviser.
    eff = {m.id: known_from(m.vdate) for m in members}
    for _ in range(len(members)):
        changed = False
        for i, t in link.items():
            if eff[i] < eff[t]:
                eff[t], changed = eff[i], True
        if not changed:
            break
    depth: dict[str, int] = {}
    for m in members:
        # Walk the links (each fact names at most one) to a known depth, the end of a chain, or a
        # fact already on this walk (a loop).
        path: list[str] = []
        on_path: set[str] = set()
        cur: str | None = m.id
        while cur is not None and cur not in depth and cur not in on_path:
            path.append(cur)
            on_path.add(cur)
            cur = link.get(cur)
        base = -1
        if cur is not None and cur in on_path:  # a loop orders nothing: its members are ties
            loop = path[path.index(cur):]
            for i in loop:
                depth[i] = 0
            out.loops.append(sorted(loop))
            path, base = path[:path.index(cur)], 0
        elif cur is not None:
            base = depth[cur]
        for i in reversed(path):
            base += 1
            depth[i] = base
    for m in members:
        out.level[m.id] = f"{eff[m.id]}:{depth[m.id]:06d}"
    top = max(out.level.values(), default="")
    out.latest = {i for i, lv in out.level.items() if lv == top}
    for i in out.latest:
        value = by_id[i].value
        if any(out.level[j] < top and by_id[j].value != value for j in by_id):
            out.revised.add(i)
    return out
