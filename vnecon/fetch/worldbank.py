"""The World Bank Indicators API v2: a series for a country, every page of it, and indicator search.

Answers are JSON arrays: ``[{page, pages, per_page, total, sourceid,
lastupdated...}, [rows]]`` (the paging fields are numbers or strings), or
``[{"message": [{"id", "key", "value"}]}]`` with HTTP 200 when the request
names something the API does not know.  Rows carry ``"value": null`` for
years without a figure: those are skipped, never read as zero.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import urllib.parse
from collections.abc import Callable
from typing import Any

from vnecon.core.errors import FetchFailed, UsageError
from vnecon.fetch.facts import (
    Series,
    describe,
    in_span,
    number_of,
    one_per_period,
    release_of,
)
from vnecon.fetch.http import Client, host_of, json_of

DEFAULT_URL = "https://api.worldbank.org/v2"
PER_PAGE = 1000  # rows per page of a series (a country's series has at most a few hundred)
LIST_PER_PAGE = 20000  # rows per page of the indicator list (about 29,000 indicators: two pages)
MAX_PAGES = 200
PUBLISHER = "World Bank"
MISSING = (None, "", "NA", "..", "n/a")


def base_url() -> str:
    return (os.environ.get("VNECON_WORLDBANK_URL") or DEFAULT_URL).rstrip("/")


class _Message(Exception):
    """The API's HTTP-200 error: [{"message": [...]}]."""


def parse_page(body: bytes, url: str) -> tuple[dict[str, Any], list[Any]]:
    """One page: (its header, its rows); the API's message answer raises _Message."""
    doc = json_of(body, url)
    if isinstance(doc, list) and doc and isinstance(doc[0], dict) and "message" in doc[0]:
        messages = doc[0].get("message") or [{}]
        first = messages[0] if isinstance(messages, list) and messages and isinstance(messages[0], dict) else {}
        raise _Message(f"message {first.get('id', '?')}: {first.get('key', '')}: {first.get('value', '')}".strip())
    if not (isinstance(doc, list) and len(doc) == 2 and isinstance(doc[0], dict)
            and isinstance(doc[1], (list, type(None)))):
        raise FetchFailed(f"{host_of(url)} sent JSON that is not a World Bank API answer for {url}; nothing was "
                          "written")
    return doc[0], doc[1] or []


def _count(header: dict[str, Any], key: str, url: str) -> int | None:
    """A paging number of a page's header: a whole number, as a JSON number or a string of digits (None when
    the header has none).  2.5, -5, true or '2.5' is FetchFailed: read as 2 it fetched a page again."""
    value = header.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        return int(value)
    raise FetchFailed(f"{host_of(url)} sent a page whose {key!r} is {value!r}, not a whole number, for {url}; "
                      "nothing was written")


def all_pages(client: Client, url_of: Callable[[int], str]) -> tuple[dict[str, Any], list[Any]]:
    """Every page of a paged answer: the first page's header and all the rows, in order.

    The paging numbers must add up: each page says it is the page asked for, and the rows received are the
    total announced (a page sent twice, or a total below or above what came, is FetchFailed)."""
    def page_of(page: int) -> tuple[dict[str, Any], list[Any]]:
        url = url_of(page)
        header, rows = client.get(url, lambda body: parse_page(body, url))
        said = _count(header, "page", url)
        if said is not None and said != page:
            raise FetchFailed(f"{host_of(url)} sent page {said} when asked for page {page} of {url}; nothing was "
                              "written")
        return header, rows

    first = url_of(1)
    header, rows = page_of(1)
    pages, total = _count(header, "pages", first) or 1, _count(header, "total", first)
    if pages > MAX_PAGES:
        raise FetchFailed(f"{host_of(first)} announces {pages} pages for {first}; more than {MAX_PAGES}, "
                          "nothing was written")
    for page in range(2, pages + 1):
        rows = rows + page_of(page)[1]
    if total is not None and len(rows) != total:
        raise FetchFailed(f"{host_of(first)} announced {total} rows and sent {len(rows)} for {first}; "
                          "nothing was written")
    return header, rows


def period_of(date: str) -> str:
    """The API's dates as vnecon periods: 2024, 2024Q1 -> 2024-Q1, 2024M07 -> 2024-07."""
    date = str(date).strip()
    if re.fullmatch(r"\d{4}", date):
        return date
    if m := re.fullmatch(r"(\d{4})Q([1-4])", date):
        return f"{m[1]}-Q{m[2]}"
    if m := re.fullmatch(r"(\d{4})M(\d{2})", date):
        return f"{m[1]}-{m[2]}"
    raise FetchFailed(f"the World Bank gave a date vnecon cannot read: {date!r}; nothing was written")


def source_name(client: Client, base: str, source_id: Any) -> str | None:
    """The name of a data source (2 -> 'World Development Indicators'), from /sources/ID."""
    if not source_id:
        return None
    key = ("worldbank-source", base, str(source_id))
    if key not in client.memo:
        client.memo[key] = _source_name(client, base, source_id)
    return client.memo[key]


def _source_name(client: Client, base: str, source_id: Any) -> str | None:
    url = f"{base}/sources/{urllib.parse.quote(str(source_id))}?format=json"
    try:
        _, rows = client.get(url, lambda body: parse_page(body, url))
    except _Message:
        return None
    first = rows[0] if rows and isinstance(rows[0], dict) else {}
    return first.get("name") or None


def data_url(base: str, code: str, country: str, since: int | None, until: int | None,
             page: int | None = None) -> str:
    params: dict[str, Any] = {"format": "json"}
    if since is not None or until is not None:
        params["date"] = f"{since or 1960}:{until or dt.date.today().year}"
    if page is not None:
        params.update(per_page=PER_PAGE, page=page)
    path = f"country/{urllib.parse.quote(country)}/indicator/{urllib.parse.quote(code)}"
    return f"{base}/{path}?{urllib.parse.urlencode(params, safe=':')}"


def fetch_series(client: Client, code: str, country: str = "VNM", since: int | None = None,
                 until: int | None = None, place: Callable[[str], str] | None = None) -> Series:
    """One indicator for one country, every page, as a Series of its non-missing years."""
    base = base_url()
    try:
        header, rows = all_pages(client, lambda page: data_url(base, code, country, since, until, page))
    except _Message as e:
        raise UsageError(f"the World Bank does not know indicator {code!r} for {country!r} ({e}); see "
                         "'vnecon fetch worldbank --search WORDS'") from None
    try:
        rows = [r for r in rows if str(r["indicator"]["id"]).lower() == code.lower()]
        if not rows:
            span = f" in {since or '...'}-{until or '...'}" if since or until else ""
            raise UsageError(f"the World Bank has no {code} figures for {country}{span}")
        first = rows[0]
        name, country_name = str(first["indicator"]["value"]), str(first["country"]["value"])
        iso3 = str(first.get("countryiso3code") or country).upper()
        points, missing = [], 0
        for r in rows:
            period, value = period_of(r["date"]), r.get("value")
            if not in_span(period, since, until):
                continue
            if value in MISSING:
                missing += 1
                continue
            points.append((period, number_of(value, f"the World Bank gave {code} {period}"), False))
    except (KeyError, TypeError, AttributeError):
        raise FetchFailed(f"{host_of(base)} sent rows without the usual fields for {code}; nothing was "
                          "written") from None
    dataset = header.get("sourcename") or source_name(client, base, header.get("sourceid")) or "World Bank data"
    release = release_of(header.get("lastupdated"), "lastupdated", "the World Bank")
    unit, basis, factor = describe(name, iso3)
    region = "Vietnam" if iso3 == "VNM" else (place(country_name) if place else country_name)
    points = one_per_period([(p, v * factor, f) for p, v, f in points], f"the World Bank gave {code}")
    attribution = f"The World Bank: {dataset} ({code}). CC BY 4.0."
    return Series("wb", code.upper(), iso3, region, name, dataset, PUBLISHER, release,
                  data_url(base, code, country, since, until), attribution, unit, basis, points, missing)


def search(client: Client, words: list[str]) -> list[tuple[str, str, str]]:
    """Indicators whose code or name has every word (folded): (code, name, data source), by name."""
    from vnecon.core.text import fold

    base = base_url()
    _, rows = all_pages(client, lambda page: f"{base}/indicator?format=json&per_page={LIST_PER_PAGE}&page={page}")
    wanted = [fold(w) for w in words if w.strip()]
    found = []
    for r in rows:
        if not isinstance(r, dict):
            continue
        code, name = str(r.get("id", "")), str(r.get("name", "")).strip()
        source = r.get("source")
        text = fold(f"{code} {name}")
        if all(w in text for w in wanted):
            found.append((code, name, str(source.get("value", "")) if isinstance(source, dict) else ""))
    return sorted(found, key=lambda t: (t[1].lower(), t[0]))
