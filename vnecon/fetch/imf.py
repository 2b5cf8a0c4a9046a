"""The IMF's World Economic Outlook over SDMX 2.1 (structure-specific XML).

One answer carries everything a citation needs: the DataSet's
PUBLICATION_DATE (the release) and SUGGESTED_CITATION, each indicator
group's SERIES_NAME and UNIT, each country group's LATEST_ACTUAL_ANNUAL_DATA
(years after it are IMF staff projections) and the Series' SCALE.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import urllib.parse
import xml.etree.ElementTree as ET
from typing import Any

from vnecon.core.errors import FetchFailed, UsageError
from vnecon.fetch.facts import (
    CURRENCIES,
    Series,
    describe,
    in_span,
    number_of,
    one_per_period,
    release_of,
    scale_of,
)
from vnecon.fetch.http import Client, host_of, page_title

DEFAULT_URL = "https://api.imf.org/external/sdmx"
ACCEPT = "application/vnd.sdmx.structurespecificdata+xml;version=2.1"
DATASETS = {"weo": ("IMF.RES", "WEO", "World Economic Outlook")}
PUBLISHER = "International Monetary Fund"
MISSING = (None, "", "NA", "NaN", "..", "n/a")


def base_url() -> str:
    return (os.environ.get("VNECON_IMF_URL") or DEFAULT_URL).rstrip("/")


def dataset_of(name: str) -> tuple[str, str, str]:
    try:
        return DATASETS[name.lower()]
    except KeyError:
        raise UsageError(f"unknown IMF dataset {name!r}; vnecon fetches: {', '.join(DATASETS)} "
                         "(e.g. vnecon fetch imf weo NGDP_RPCH)") from None


def data_url(base: str, dataset: str, code: str, country: str, since: int | None, until: int | None) -> str:
    agency, flow, _ = dataset_of(dataset)
    params = {k: v for k, v in (("startPeriod", since), ("endPeriod", until)) if v is not None}
    key = f"{urllib.parse.quote(country)}.{urllib.parse.quote(code)}.A"
    return f"{base}/2.1/data/{agency},{flow},+/{key}" + (f"?{urllib.parse.urlencode(params)}" if params else "")


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse_sdmx(body: bytes, url: str) -> ET.Element:
    """The XML's root, or one line on what came instead (HTML, JSON, a cut body, an SDMX error)."""
    head = body.lstrip(b"\xef\xbb\xbf \r\n\t")[:200].lower()
    host = host_of(url)
    if not head:
        raise FetchFailed(f"{host} sent an empty answer for {url}; nothing was written")
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        raise FetchFailed(f"{host} sent an HTML page ({page_title(body) or 'no title'}) instead of SDMX for {url}; "
                          "nothing was written")
    try:
        root = ET.fromstring(body)
    except ET.ParseError as e:
        raise FetchFailed(f"{host} sent something that is not SDMX XML (cut short?) for {url}: {e}; nothing was "
                          "written") from None
    if _local(root.tag) == "Error":
        texts = [" ".join((t.text or "").split()) for t in root.iter() if _local(t.tag) == "Text"]
        codes = [el.get("code", "") for el in root.iter() if _local(el.tag) == "ErrorMessage"]
        if "100" in codes:  # SDMX: no results found
            raise _NoSeries(texts[0] if texts else "no results")
        raise FetchFailed(f"{host} answered with an SDMX error for {url}: {texts[0] if texts else codes}; nothing "
                          "was written")
    return root


class _NoSeries(Exception):
    pass


def _units(name: str, unit_code: str, country: str) -> tuple[str | None, str | None]:
    low = name.lower()
    if "percent change" in low or "percent, change" in low:
        return "%", "yoy"
    if unit_code == "PT" or "percent" in low:
        return "%", "share"
    if unit_code == "USD":
        return "USD", "level"
    if unit_code == "XDC":
        return CURRENCIES.get(country, "national currency"), "level"
    unit, basis, _ = describe(name, country)
    return unit, basis


def series_of(root: ET.Element, dataset: str, code: str, country: str, url: str, since: int | None = None,
              until: int | None = None) -> Series:
    """The Series for (country, code) in an SDMX answer; years after the latest actual year are forecasts."""
    _, _, title = dataset_of(dataset)
    ds = next((el for el in root.iter() if _local(el.tag) == "DataSet"), None)
    if ds is None:
        raise FetchFailed(f"{host_of(url)} sent SDMX without a DataSet for {url}; nothing was written")
    indicator: dict[str, str] = {}
    latest = None
    matching = []
    for el in ds:
        kind, attrs = _local(el.tag), el.attrib
        if attrs.get("INDICATOR", "").upper() != code.upper():
            continue
        if kind == "Group" and "COUNTRY" not in attrs:
            indicator = dict(attrs)
        elif kind == "Group" and attrs.get("COUNTRY", "").upper() == country.upper():
            latest = attrs.get("LATEST_ACTUAL_ANNUAL_DATA")
        elif kind == "Series" and attrs.get("COUNTRY", "").upper() == country.upper():
            matching.append(el)
    if not matching:
        raise _NoSeries(f"no series {code} for {country}")
    series = matching[0]
    factor = scale_of(series.get("SCALE"), f"the IMF gave {code}")
    latest_year = int(latest) if latest and latest.isdigit() else None
    points, missing = [], 0
    for obs in series:
        if _local(obs.tag) != "Obs":
            continue
        period, value = obs.get("TIME_PERIOD", ""), obs.get("OBS_VALUE")
        if not re.fullmatch(r"\d{4}", period):
            raise FetchFailed(f"the IMF gave {code} a period vnecon cannot read: {period!r}; nothing was written")
        if not in_span(period, since, until):
            continue
        if value in MISSING:
            missing += 1
            continue
        number = number_of(value, f"the IMF gave {code} {period}") * factor
        points.append((period, number, latest_year is not None and int(period) > latest_year))
    name = indicator.get("SERIES_NAME") or code
    unit, basis = _units(name, indicator.get("UNIT", ""), country.upper())
    release = release_of(ds.get("PUBLICATION_DATE"), "PUBLICATION_DATE", "the IMF")
    vintage = dt.date.fromisoformat(release).strftime(", %B %Y") if release else ""
    citation = ds.get("SUGGESTED_CITATION") or f"International Monetary Fund. {title}."
    citation = citation.replace("[current date]", dt.date.today().isoformat())
    if latest_year is not None and any(f for _, _, f in points):
        citation += f" Values after {latest_year} are IMF staff projections."
    region = "Vietnam" if country.upper() == "VNM" else country.upper()
    return Series("imf", f"{dataset.lower()}-{code.upper()}", country.upper(), region, name,
                  f"{title}{vintage}", PUBLISHER, release, url, citation,
                  unit, basis, one_per_period(points, f"the IMF gave {code}"), missing)


def fetch_series(client: Client, dataset: str, code: str, country: str = "VNM", since: int | None = None,
                 until: int | None = None) -> Series:
    url = data_url(base_url(), dataset, code, country, since, until)
    try:
        root = client.get(url, lambda body: _checked(body, url, dataset, code, country), accept=ACCEPT)
        return series_of(root, dataset, code, country, url, since, until)
    except _NoSeries:
        raise UsageError(f"the IMF's {dataset.upper()} has no series {code!r} for {country!r}; codes look like "
                         "NGDP_RPCH (real GDP growth) or PCPIPCH (inflation)") from None


def _checked(body: bytes, url: str, dataset: str, code: str, country: str) -> Any:
    """Parse and look for the series before the answer is kept, so a useless answer is never cached."""
    root = parse_sdmx(body, url)
    series_of(root, dataset, code, country, url)
    return root
