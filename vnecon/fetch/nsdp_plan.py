"""What a fetched National Summary Data Page release adds to the facts already loaded, as [[series]] TOML.

The rule is ``facts.outcome``'s (docs/fetch.md, "Fetching again: vintages"): a point whose observation is
loaded with the same value in its latest vintage (or in this very release) is unchanged and not written;
one loaded with another value is a revision, written in a block of its own (``<series>-rev-<release>``)
citing the new release; one never seen is new, written under the series' own id.
"""

from __future__ import annotations

from collections import namedtuple

from vnecon.fetch.facts import Known, _same
from vnecon.fetch.nsdp import Release, series_toml, source_toml
from vnecon.load.compact import point_id
from vnecon.load.validate import observation_key

# text: the TOML to write ('' when nothing is new); the counts stderr reports.
Plan = namedtuple("Plan", "release text series new revised unchanged missing")

_MEASURE_ONLY = ("tags", "note")


def plan(release: Release, known: Known) -> Plan:
    """The blocks of one release that are not loaded yet; known is updated, so two releases in one fetch
    never take one id."""
    day = release.source.get("date", "")
    source_id = release.source["id"]
    known.source_dates.setdefault(source_id, day)
    blocks: list[str] = []
    new = revised = unchanged = 0
    for block in release.blocks:
        measure = {k: v for k, v in block.fields.items() if k not in _MEASURE_ONLY}
        fresh, changed, follows = [], [], set()
        for period, value in block.points:
            earlier = known.by_key.get(observation_key({**measure, "period": period}), [])
            latest = max((d for _, _, d in earlier), default="")
            if any(_same(v, value) and (d == latest or d == day) for _, v, d in earlier):
                unchanged += 1
            elif earlier:
                changed.append((period, value))
                # Vintages of one day cannot be ordered by date: the note names them (docs/schema.md).
                follows.update(fid for fid, _, d in earlier if d == latest and (not d or d == day))
            else:
                fresh.append((period, value))
        for points, stem, extra in ((fresh, block.id, ""),
                                    (changed, f"{block.id}-rev-{day or 'undated'}",
                                     " Revised in this release" + (f"; follows {', '.join(sorted(follows))}"
                                                                   if follows else "") + ".")):
            if not points:
                continue
            block_id = _free(stem, [p for p, _ in points], known)
            fields = dict(block.fields)
            if extra or "note" in fields:
                fields["note"] = (fields.get("note", "") + extra).strip()
            blocks.append(series_toml(block_id, fields, source_id, points))
            for period, value in points:
                known.add({**measure, "id": point_id(block_id, period), "period": period, "value": value,
                           "sources": [source_id]})
        new, revised = new + len(fresh), revised + len(changed)
    text = ""
    if blocks:
        head = [] if source_id in known.ids else [source_toml(release.source)]
        known.ids.add(source_id)
        text = "\n".join(head + blocks)
    return Plan(release, text, sum(1 for b in release.blocks if b.points), new, revised, unchanged,
                sum(b.missing for b in release.blocks))


def _free(stem: str, periods: list[str], known: Known) -> str:
    """stem, or stem-2, stem-3...: a block id not in use (an appended file refuses a second block of one id)
    none of whose points' ids is in use either; now taken."""
    block_id, n = stem, 1
    while block_id in known.ids or any(point_id(block_id, p) in known.ids for p in periods):
        n += 1
        block_id = f"{stem}-{n}"
    known.ids.add(block_id)
    return block_id
