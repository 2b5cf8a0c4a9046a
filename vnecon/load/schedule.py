"""Headline series and release schedules: the `[[headline]]` and `[[release]]` tables.

Neither is a fact.  A headline names a series by its measure fields (what
`vnecon latest` shows, in its order); a release says when a publisher puts out
the figures of some headline series for each month or quarter, under which
rule, from which day, citing the decree or announcement as a `[[source]]`.
Everything here is plain data and dates: validation (each problem at
file:line:col), the rule arithmetic (`due`), and the cross-checks `check`
runs (names that name nothing, figures published before their period ended
where the schedule says they come after).  Imports only core and load.model.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from vnecon.core.diagnostics import Diagnostic
from vnecon.core.periods import parse_date, parse_period
from vnecon.load.model import MEASURE_FIELDS

TABLES = ("headline", "release")
LENGTHS = ("month", "quarter", "year", "ytd")  # ytd: from January to the end of a month (the year at December)
EVERY = ("month", "quarter")
FIRST_WORKING_DAY = "first-working-day"
STATUSES = ("in-force", "draft", "undated")  # undated: in force, but from a day no stored page gives

# name -> (type, required); types: str, int, list, date, day
SPEC: dict[str, dict[str, tuple[str, bool]]] = {
    "headline": {"id": ("str", True), "label": ("str", True), "order": ("int", True), "name": ("str", True),
                 "basis": ("str", True), "unit": ("str", True), "region": ("str", False), "sector": ("str", False),
                 "partner": ("str", False), "product": ("str", False), "length": ("str", False),
                 "note": ("str", False)},
    "release": {"id": ("str", True), "name": ("str", True), "publisher": ("str", True), "series": ("list", True),
                "every": ("str", True), "day": ("day", True), "months_after": ("int", False),
                "from": ("date", False), "until": ("date", False), "time": ("time", False), "holidays": ("list", False),
                "status": ("str", False), "sources": ("list", True), "note": ("str", False)},
}
CHOICES = {"length": LENGTHS, "every": EVERY, "status": STATUSES}

# Reports a problem: (key or "" for the table itself, message); every problem here is an error.
Report = Callable[[str, str], None]


def validate(name: str, table: Any, report: Report) -> dict | None:
    """The record of one [[headline]] or [[release]] table (plain JSON values), or None after
    reporting why not."""
    import re

    if not isinstance(table, dict):
        report("", f"[[{name}]] entries must be tables")
        return None
    spec = SPEC[name]
    bad = False
    for key in table:
        if key not in spec:
            report(key, f"unknown field {key!r} in [[{name}]] (known: {', '.join(spec)})")
            bad = True
    for key, (kind, required) in spec.items():
        if key not in table:
            if required:
                report("", f"[[{name}]] needs {key}")
                bad = True
            continue
        why = _bad_value(kind, table[key])
        if why is None and key in CHOICES and table[key] not in CHOICES[key]:
            why = f"one of {', '.join(CHOICES[key])}"
        if why is not None:
            report(key, f"{key} must be {why}, not {table[key]!r}")
            bad = True
    if isinstance(table.get("id"), str) and not re.fullmatch(r"[a-z0-9][a-z0-9-]*", table["id"]):
        report("id", f"id {table['id']!r}: lowercase a-z, 0-9 and '-'")
        bad = True
    if name == "release" and isinstance(table.get("holidays"), list):
        for h in table["holidays"]:
            if not (isinstance(h, str) and re.fullmatch(r"(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])", h)):
                report("holidays", f"holidays are month-days such as \"01-01\", not {h!r}")
                bad = True
    if bad:
        return None
    rec = {k: (str(v) if isinstance(v, dt.date) else v) for k, v in table.items()}
    rec["table"] = name
    return rec


def _bad_value(kind: str, value: Any) -> str | None:
    """Why a value is not of its kind (None: it is)."""
    if kind == "str":
        return None if isinstance(value, str) and value.strip() else "a non-empty string"
    if kind == "int":
        return None if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else \
            "a whole number, 0 or more"
    if kind == "list":
        return None if isinstance(value, list) and value and all(isinstance(v, str) and v for v in value) else \
            "a non-empty list of strings"
    if kind == "day":
        if value == FIRST_WORKING_DAY or (isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 31):
            return None
        return f'a day of the month (1-31) or "{FIRST_WORKING_DAY}"'
    if kind == "time":
        import re

        return None if isinstance(value, str) and re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value) else \
            'a time of day in UTC, "HH:MM"'
    if kind == "date":
        try:
            start, end = parse_date(str(value))
        except ValueError:
            return "a day, YYYY-MM-DD"
        return None if start == end else "a day, YYYY-MM-DD"
    raise AssertionError(kind)


# ---- the rule arithmetic -----------------------------------------------


def day_of(text: str) -> dt.date:
    return dt.date.fromisoformat(text[:10])


def _last_day(year: int, month: int) -> int:
    return ((dt.date(year + month // 12, month % 12 + 1, 1)) - dt.timedelta(days=1)).day


def working(d: dt.date, rule: dict) -> bool:
    """Monday to Friday, and not one of the rule's holidays (month-days)."""
    return d.weekday() < 5 and d.strftime("%m-%d") not in (rule.get("holidays") or ())


def due(rule: dict, period_end: dt.date, roll: bool = True) -> dt.date:
    """The day a rule releases the figures of a period ending on period_end (the last day of a
    month): day N of the month months_after later (the month's last day when it has fewer
    days), moved to the next working day (unless not ``roll``); or that month's first working day."""
    months = period_end.year * 12 + period_end.month - 1 + int(rule.get("months_after", 1))
    year, month = divmod(months, 12)
    month += 1
    if rule["day"] == FIRST_WORKING_DAY:
        d = dt.date(year, month, 1)
    else:
        d = dt.date(year, month, min(int(rule["day"]), _last_day(year, month)))
    while (roll or rule["day"] == FIRST_WORKING_DAY) and not working(d, rule):
        d += dt.timedelta(days=1)
    return d


def in_force(rule: dict, day: dt.date) -> bool:
    """The rule applies to a release due on this day: in force (not a draft), from its `from`
    day and before its `until`."""
    if rule.get("status", "in-force") != "in-force":
        return False
    if rule.get("from") and day < day_of(rule["from"]):
        return False
    return not (rule.get("until") and day >= day_of(rule["until"]))


def release_of(rules: list[dict], period_end: dt.date, roll: bool = True) -> tuple[dict, dt.date] | None:
    """The rule in force for the period ending then, with its day: each rule's day for the
    period, the earliest that falls while its rule is in force (None: no rule covers it)."""
    found = []
    for rule in rules:
        if rule["every"] == "quarter" and period_end.month % 3:
            continue
        d = due(rule, period_end, roll)
        if in_force(rule, d):
            found.append((d, rule["id"], rule))
    if not found:
        return None
    d, _, rule = min(found, key=lambda t: (t[0], t[1]))
    return rule, d


def rules_for(releases: list[dict], headline_id: str) -> list[dict]:
    return [r for r in releases if headline_id in r.get("series", ())]


def rule_text(rule: dict) -> str:
    """'6th of the following month', '29th of the month', 'first working day of the following month'."""
    after = int(rule.get("months_after", 1))
    unit = "month" if rule["every"] == "month" else "quarter"
    month = {0: f"the {'month' if unit == 'month' else 'last month of the quarter'}",
             1: f"the month after the {unit}" if unit == "quarter" else "the following month"}.get(
        after, f"the {_ordinal(after)} month after the {unit}")
    day = rule["day"]
    when = "first working day" if day == FIRST_WORKING_DAY else f"{_ordinal(int(day))}"
    return f"{when} of {month}"


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


def expected_span(headline: dict, every: str, period_end: dt.date) -> tuple[str, str]:
    """The period of a headline series that a release for the month or quarter ending then brings:
    that month or quarter, or, for a year-to-date series, January to that month."""
    length = headline.get("length")
    end = period_end.isoformat()
    if length == "ytd" or length == "year":
        return f"{period_end.year}-01-01", end
    if length == "quarter" or (length is None and every == "quarter"):
        m = period_end.month - 2
        return f"{period_end.year}-{m:02d}-01", end
    return f"{period_end.year}-{period_end.month:02d}-01", end


# ---- cross-checks for `check` -------------------------------------------


def _diag(rec: dict, severity: str, message: str, key: str = "") -> Diagnostic:
    line, col = (rec.get("_keys") or {}).get(key) or (rec.get("_line", 0), 1)
    return Diagnostic(rec.get("_path", ""), line, col, severity, message, rec["table"], rec.get("id", ""),
                      rec.get("_layer", ""))


def effective(records: list[dict]) -> tuple[list[dict], list[dict]]:
    """(headlines, releases) in effect: for an id defined twice, the later record (a later layer
    replaces an earlier one); headlines in their order."""
    by: dict[tuple[str, str], dict] = {}
    for rec in records:
        by[(rec["table"], rec["id"])] = rec
    heads = sorted((r for (t, _), r in by.items() if t == "headline"), key=lambda r: (r["order"], r["id"]))
    return heads, [r for (t, _), r in by.items() if t == "release"]


def cross_check(records: list[dict], facts: list) -> list[Diagnostic]:
    """Duplicate ids within a layer, series and sources that name nothing, and figures of a scheduled
    series published before their period ended where the rule in force releases them after it."""
    from vnecon.load.model import published

    diags: list[Diagnostic] = []
    seen: dict[tuple[str, str, str], dict] = {}
    for rec in records:
        key = (rec["table"], rec["id"], rec.get("_layer", ""))
        if key in seen:
            first = seen[key]
            diags.append(_diag(rec, "error", f"duplicate {rec['table']} id {rec['id']!r} (first at "
                                             f"{first.get('_path', '')}:{first.get('_line', 0)})", "id"))
        seen.setdefault(key, rec)
    heads, releases = effective(records)
    head_ids = {h["id"] for h in heads}
    by_id = {f.id: f for f in facts}
    for rel in releases:
        for sid in rel["series"]:
            if sid not in head_ids:
                diags.append(_diag(rel, "error", f"series: no [[headline]] with id {sid!r}", "series"))
        for src in rel["sources"]:
            got = by_id.get(src)
            if got is None or got.kind != "source":
                diags.append(_diag(rel, "error", f"sources: no source with id {src!r}", "sources"))
    measures_seen: dict[tuple, list[dict]] = {}  # two headlines of one measure (GDP quarter, year to date)
    for h in heads:
        key = tuple(str(h.get(n) or "") for n in MEASURE_FIELDS)
        measures_seen.setdefault(key, [])
        measures_seen[key].extend(r for r in rules_for(releases, h["id"]) if r not in measures_seen[key])
    from vnecon.core.text import phrase

    named: dict[str, list] = {}  # indicators by name, so each headline looks only at its own
    for f in facts:
        if f.kind == "indicator":
            named.setdefault(phrase(str(f.get("name") or "")), []).append(f)
    for h in heads:
        rules = measures_seen.pop(tuple(str(h.get(n) or "") for n in MEASURE_FIELDS), None)
        if rules:
            diags.extend(_early(rules, [f for f in named.get(phrase(str(h.get("name") or "")), [])
                                        if measures(f, h)], lambda f: published(f, by_id)))
    return diags


def measures(fact, headline: dict, place: Callable[[str], str] | None = None) -> bool:
    """Whether an indicator is a point of the headline's series (its measure fields, folded; an
    absent region is Vietnam, as in search.series.series_key)."""
    from vnecon.core.text import phrase

    for name in MEASURE_FIELDS:
        a, b = fact.get(name), headline.get(name)
        if name == "region":
            a, b = a or "Vietnam", b or "Vietnam"
            if place is not None:
                a, b = place(str(a)), place(str(b))
        if phrase(str(a or "")) != phrase(str(b or "")):
            return False
    return True


def _early(rules: list[dict], facts: list, date_of: Callable) -> list[Diagnostic]:
    """Figures published before their period ended where the rule in force puts the release after
    it (by the rule's own day, before any move to a working day: publishers do release on a
    Saturday 29th).  Estimates, forecasts and targets made before the period ended are no release."""
    from vnecon.load.resolve import known_from

    out = []
    for f in facts:
        if f.get("qualifier") in ("forecast", "target", "estimate"):
            continue
        try:
            _, end = parse_period(str(f.get("period")))
        except ValueError:
            continue
        published_on = known_from(date_of(f))
        end_day = day_of(end)
        if not published_on or day_of(published_on) > end_day:
            continue
        if end_day.day != _last_day(end_day.year, end_day.month):
            continue
        got = release_of(rules, end_day, roll=False)
        if got is None or got[1] <= end_day:
            continue  # no rule, or one that releases within the period (the 29th of the month)
        rule, day = got
        # A curator who has seen it and kept the date names the release in the fact's note: a note then.
        severity = "note" if rule["id"] in str(f.get("note") or "") else "warning"
        # A release before noon UTC is dated the day before west of Greenwich (00:30 UTC is 20:30
        # in New York): a report dated so is on time.
        if rule.get("time", "12:00") < "12:00" and day_of(published_on) >= day - dt.timedelta(days=1):
            continue
        out.append(Diagnostic(f.path, f.line, 1, severity, f"published {published_on}, before its period "
                              f"{f.get('period')} ended; release {rule['id']} ({rule_text(rule)}) puts it out on "
                              f"{day}", f.kind, f.id, f.layer))
    return out
