"""From a fetched series to [[indicator]] facts: new, revised or unchanged against what is loaded.

Two indicators with one observation key (name, region, period, basis, unit,
sector: ``load.validate.observation_key``) whose sources have different dates
are vintages of one figure (docs/schema.md, "Revisions and vintages").  So a
fetched value whose observation is already loaded with the same value writes
nothing; with another value it is a new fact citing the new release; and a
value never seen before is a new fact.  Ids are made from the provider, the
code, the country and the period, and never collide with an id in use.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict, namedtuple
from collections.abc import Iterable
from typing import Any

from vnecon.core.errors import FetchFailed, UsageError
from vnecon.core.periods import parse_date
from vnecon.load.model import fields_for
from vnecon.load.validate import observation_key

# One series of one release, as a provider gave it.  points: [(period, value, forecast?)], values already
# multiplied by the series' scale; missing: how many periods had no value (null, "NA", "..").
Series = namedtuple("Series", "provider code country region name dataset publisher release url attribution "
                              "unit basis points missing")

# What a fetch of one series comes to: the facts to write, the [[source]] to write with them (None when it is
# already loaded or nothing cites it), the source id, and the counts stderr reports.
Outcome = namedtuple("Outcome", "series facts source source_id new revised unchanged")

CURRENCIES = {"VNM": "VND", "THA": "THB", "IDN": "IDR", "MYS": "MYR", "PHL": "PHP", "SGP": "SGD", "KHM": "KHR",
              "LAO": "LAK", "MMR": "MMK", "BRN": "BND", "CHN": "CNY", "JPN": "JPY", "KOR": "KRW", "USA": "USD"}
_SCALES = (("trillion", 1e12), ("billion", 1e9), ("million", 1e6), ("thousand", 1e3))


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-")


def describe(label: str, country: str) -> tuple[str | None, str | None, float]:
    """A series label's unit, basis and scale: 'GDP growth (annual %)' -> ('%', 'yoy', 1);
    'GDP (current US$)' -> ('USD', 'level', 1); 'Exports (% of GDP)' -> ('%', 'share', 1).
    (None, None, 1) when the label does not say: then --set unit=... basis=... must."""
    inside = re.findall(r"\(([^()]*)\)", label)
    text = (inside[-1] if inside else label).lower()
    whole = label.lower()
    factor = next((f for word, f in _SCALES if re.search(rf"\b{word}s?\b", text)), 1.0)
    if "annual %" in text or "annual growth" in text or "percent change" in whole or "% change" in whole:
        return "%", "yoy", 1.0
    if "%" in text or "percent" in text:
        return "%", "share", 1.0
    if "us$" in text or re.search(r"\busd\b", text):
        return "USD", "level", factor
    if "lcu" in text:
        return CURRENCIES.get(country, "LCU"), "level", factor
    if "international $" in text:
        return "international $", "level", factor
    if re.search(r"=\s*100", text) or "index" in text:
        return "points", "level", 1.0
    return None, None, factor


# ---- what a provider's answer must be before it becomes a fact (issue 37) -------------------------

MAX_SCALE = 15  # a scale (a power of ten) beyond 10**±15 is no statistics office's: refused, never applied
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def number_of(value: Any, what: str) -> float:
    """A value as a finite float: a JSON number (not true or false) or a string that is written as one.

    Anything else (a boolean, 'seven', '1_000', 'inf', NaN, a list, a number too large for a float)
    is FetchFailed naming `what` ('the World Bank gave NY.GDP... 2020'): never 1, 0 or inf."""
    number = None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value) if not isinstance(value, int) or abs(value) < 2 ** 1023 else None
    elif isinstance(value, str) and _NUMBER.fullmatch(value.strip()):
        number = float(value)
    if number is None or not math.isfinite(number):
        raise FetchFailed(f"{what} the value {_shown(value)}, not a number; nothing was written")
    return number


def scale_of(text: str | None, what: str) -> float:
    """10**SCALE for an SDMX series: a whole number from -15 to 15 (absent: 1), else FetchFailed."""
    if text is None or not text.strip():
        return 1.0
    if not re.fullmatch(r"[+-]?[0-9]{1,3}", text.strip()) or abs(int(text)) > MAX_SCALE:
        raise FetchFailed(f"{what} SCALE {_shown(text)}: a power of ten from -{MAX_SCALE} to {MAX_SCALE} was "
                          "expected; nothing was written")
    return 10.0 ** int(text)


def release_of(text: Any, field: str, who: str) -> str:
    """A release date as YYYY-MM-DD ('' when the answer gives none); a time after it is dropped.

    A date that is not a day of the calendar (2026-02-30, 0000-01-01) is FetchFailed naming the field."""
    if text is None or str(text).strip() == "":
        return ""
    day = str(text).strip()
    day = day[:10] if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}(?:[T ].*)?", day) else day
    try:
        parse_date(day)
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", day):
            raise ValueError
    except ValueError:
        raise FetchFailed(f"{who} gave {field} {_shown(text)}, not a day of the calendar (YYYY-MM-DD); nothing "
                          "was written") from None
    return day


def one_per_period(points: list[tuple[str, float, bool]], what: str) -> list[tuple[str, float, bool]]:
    """Points with each period once: a period given twice with one value is kept once; with two, refused."""
    seen: dict[str, tuple[str, float, bool]] = {}
    for point in points:
        period, value = point[0], point[1]
        if period in seen and not _same(seen[period][1], value):
            raise FetchFailed(f"{what} {period} twice, as {seen[period][1]:.15g} and {value:.15g}; nothing was written")
        seen.setdefault(period, point)
    return sorted(seen.values())


def _shown(value: Any) -> str:
    """A value from an answer as a message shows it: repr, cut to 60 characters."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def as_number(value: float) -> int | float:
    """Whole numbers as integers (TOML shows 8_900_000_000, not 8.9e9); others as given."""
    value = float(f"{float(value):.15g}")  # what the API printed, without float noise from a scale (1.1e9)
    if value.is_integer() and abs(value) < 1e18:
        return int(value)
    return value


class Known:
    """The indicators already loaded, by observation key, with the dates of their releases; every id in use."""

    def __init__(self, indicators: Iterable[Any] = (), source_dates: dict[str, str] | None = None,
                 ids: Iterable[str] = ()) -> None:
        self.source_dates = dict(source_dates or {})
        self.ids = set(ids)
        self.by_key: dict[tuple, list[tuple[str, Any, str]]] = defaultdict(list)
        for f in indicators:
            self.add(f)

    def add(self, f: Any) -> None:
        fid = getattr(f, "id", None) or f.get("id")
        date = max((self.source_dates.get(s, "") for s in f.get("sources", []) or []), default="")
        self.by_key[observation_key(f)].append((fid, f.get("value"), date))
        if fid:
            self.ids.add(fid)

    def fresh_id(self, wanted: str) -> str:
        """wanted, or wanted-2, wanted-3...: an id nothing uses yet (and now taken)."""
        fid, n = wanted, 1
        while fid in self.ids:
            n += 1
            fid = f"{wanted}-{n}"
        self.ids.add(fid)
        return fid


def _same(a: Any, b: Any) -> bool:
    try:
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        return False
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def outcome(series: Series, known: Known, sets: dict[str, Any] | None = None) -> Outcome:
    """The facts a series brings that are not loaded yet (validated), and what was new, revised, unchanged.

    known is updated as facts are planned, so two series in one fetch never take one id."""
    sets = dict(sets or {})
    if "id" in sets or "sources" in sets:
        raise UsageError("--set cannot give id or sources: fetch makes an id per figure and cites the release")
    stem = f"{series.provider}-{slug(series.code)}-{slug(series.country)}"
    source_id = f"{stem}-release-{series.release}" if series.release else f"{stem}-release"
    facts: list[dict[str, Any]] = []
    new = revised = unchanged = 0
    for period, value, forecast in series.points:
        fact: dict[str, Any] = {"name": series.name, "region": series.region, "period": period,
                                "value": as_number(value), "unit": series.unit, "basis": series.basis}
        if forecast:
            fact["qualifier"] = "forecast"
        fact.update(sets)
        if not fact.get("unit") or not fact.get("basis"):
            raise UsageError(f"{series.code}: cannot tell the unit and basis from {series.name!r}; give them with "
                             "--set unit=... --set basis=... (e.g. unit=count basis=level)")
        earlier = known.by_key.get(observation_key(fact), [])
        latest = max((d for _, _, d in earlier), default="")
        # Unchanged: the latest vintage has this value, or this very release is loaded with it already
        # (a value that went A, B, then back to A is a new vintage: the latest says B).
        if any(_same(v, fact["value"]) and (d == latest or d == series.release) for _, v, d in earlier):
            unchanged += 1
            continue
        base = f"{stem}-{slug(period)}"
        if earlier:
            latest_id, latest_value, latest_date = max(earlier, key=lambda e: e[2])
            fact["id"] = known.fresh_id(f"{base}-rev-{series.release}" if series.release else f"{base}-rev")
            said = f"{series.release} release" if series.release else "this release"
            fact["note"] = (f"{said} of {series.code}; {latest_id} has {latest_value}"
                            + (f" from the {latest_date} release" if latest_date else "") + ".")
            if not latest_date or not series.release or latest_date == series.release:
                fact["revises"] = latest_id  # dates that cannot order the vintages: say which came later
            revised += 1
        else:
            fact["id"] = known.fresh_id(base)
            new += 1
        fact["sources"] = [source_id]
        _check(fact, series)
        facts.append(_ordered(fact))
    for f in facts:
        known.add(f)
    source = None
    if facts and source_id not in known.ids:
        source = {"id": source_id, "publisher": series.publisher, "title": f"{series.dataset}: {series.name}"}
        if series.release:
            source["date"] = series.release
        source["url"] = series.url
        source["note"] = series.attribution
        known.ids.add(source_id)
    return Outcome(series, facts, source, source_id, new, revised, unchanged)


def _ordered(fact: dict[str, Any]) -> dict[str, Any]:
    order = ["id", *(f.name for f in fields_for("indicator"))]
    return {k: fact[k] for k in order if k in fact} | {k: v for k, v in fact.items() if k not in order}


def _check(fact: dict[str, Any], series: Series) -> None:
    """Every fact is validated as `check` would before anything is written."""
    from vnecon.load.validate import validate_table

    errors: list[str] = []
    validate_table("indicator", dict(fact), lambda key, severity, message: errors.append(
        f"{key}: {message}" if key else message) if severity == "error" else None)
    if errors:
        raise UsageError(f"{series.code} {fact.get('period')}: {errors[0]}; nothing was written")


def to_toml(outcomes: list[Outcome]) -> str:
    """Every outcome's source and facts as TOML, through the import writer (read back before it is used)."""
    from vnecon.authoring.importer import Imported
    from vnecon.authoring.importer import to_toml as imported_toml

    return "\n".join(imported_toml(Imported(o.facts, [], o.source, [], 0)) for o in outcomes if o.facts)


def summary(outcomes: list[Outcome]) -> tuple[int, int, int]:
    return (sum(o.new for o in outcomes), sum(o.revised for o in outcomes), sum(o.unchanged for o in outcomes))


def in_span(period: str, since: int | None, until: int | None) -> bool:
    year = int(period[:4])
    return (since is None or year >= since) and (until is None or year <= until)


def year_of(text: str | None, option: str) -> int | None:
    if text is None:
        return None
    if not re.fullmatch(r"\d{4}", text.strip()):
        raise UsageError(f"{option}: a year such as 2015, not {text!r}")
    return int(text)
