"""A streaming reader of SDMX-ML 2.1 StructureSpecificData under the IMF's e-GDDS template.

The National Summary Data Pages (Vietnam's and other countries') publish one
file per data domain under the DSD ``IMF:ECOFIN_DSD(1.0)``: a header with the
time the file was ``Prepared``, then one ``<Series>`` per indicator
(``DATA_DOMAIN``, ``REF_AREA``, ``INDICATOR``, ``COUNTERPART_AREA``, ``FREQ``,
``UNIT_MULT``, ``BASE_PER``) holding ``<Obs TIME_PERIOD=... OBS_VALUE=...>``.
``iterparse`` reads it an element at a time and each Series is dropped once
read, so the 1 MB trade file is never a tree in memory.  Values are read as numbers
(``number``); scaling and naming are ``nsdp.py``'s job.
"""

from __future__ import annotations

import io
import math
import re
import xml.etree.ElementTree as ET
from collections import namedtuple

from vnecon.core.errors import FetchFailed

# One <Series>: its attributes, its observations [(vnecon period, number text)] in time order, the periods whose
# value was missing (na, empty, NaN, a spreadsheet's #N/A) and [(period, text)] of values that are no number.
RawSeries = namedtuple("RawSeries", "attrs points missing unreadable")
# One file: when it was prepared (ISO, as printed), the DataSet id, every series in file order.
Message = namedtuple("Message", "prepared dataset_id series")

STRUCTURE = "ECOFIN_DSD"
_PERIOD_FORMS = (
    (re.compile(r"(\d{4})"), "{0}"),
    (re.compile(r"(\d{4})-?M?(\d{2})"), "{0}-{1}"),
    (re.compile(r"(\d{4})-?Q([1-4])"), "{0}-Q{1}"),
    (re.compile(r"(\d{4})-?[SH]([12])"), "{0}-H{1}"),
    (re.compile(r"(\d{4})-A"), "{0}"),
)


def period_of(text: str) -> str | None:
    """vnecon's form of an SDMX period: 2024, 2024-07 (also 2024-M07), 2024-Q3, 2019-S1 -> 2019-H1; None if
    it is none of these."""
    text = text.strip()
    for pattern, form in _PERIOD_FORMS:
        m = pattern.fullmatch(text)
        if m and (len(m.groups()) < 2 or form != "{0}-{1}" or 1 <= int(m[2]) <= 12):
            return form.format(*m.groups())
    return None


def missing(value: str | None) -> bool:
    """A value that is not there: absent, empty, na, NaN, or an error a spreadsheet wrote (ERROR: #N/A)."""
    if value is None:
        return True
    v = value.strip().lower()
    return v in ("", "na", "nan", "n/a", "..", "-", "null") or "#n/a" in v


_EUROPEAN = re.compile(r"-?\d{1,3}(?:\.\d{3})*,\d+|-?\d+,\d+")
_SPACED = re.compile(r"-?\d{1,3}(?: \d{3})+(?:\.\d+)?|-?\d+\. \d+")


def number(text: str) -> str | None:
    """A value as the text of a number, in the forms these files print: 35587.417147, 1.5E-3, and as some
    sheets wrote them, 1.067.817,12 (dots for thousands, a decimal comma), 7 347.0 or 1336167. 72 (stray
    spaces).  None for anything else (519.4sb): such a value is skipped and named, never guessed.  Text, so
    that scaling by UNIT_MULT is exact (decimal), not float arithmetic."""
    t = text.strip()
    if _EUROPEAN.fullmatch(t):
        t = t.replace(".", "").replace(",", ".")
    elif _SPACED.fullmatch(t):
        t = t.replace(" ", "")
    try:
        value = float(t)
    except ValueError:
        return None
    return t if math.isfinite(value) else None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def read(body: bytes, where: str) -> Message:
    """Every series and observation of one file, or a FetchFailed line saying what came instead
    (an HTML page, a cut file, a file of another template)."""
    from vnecon.fetch.http import page_title

    head = body.lstrip(b"\xef\xbb\xbf \r\n\t")[:300].lower()
    if not head:
        raise FetchFailed(f"{where} is empty; nothing was written")
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        raise FetchFailed(f"{where} is an HTML page ({page_title(body) or 'no title'}), not an SDMX file; "
                          "nothing was written")
    prepared, dataset_id, template = "", "", ""
    series: list[RawSeries] = []
    current: list | None = None
    seen_root = False
    try:
        for event, el in ET.iterparse(io.BytesIO(body), events=("start", "end")):
            tag = _local(el.tag)
            if event == "start":
                if not seen_root:
                    seen_root = True
                    if tag != "StructureSpecificData":
                        raise _Other(f"its root is <{tag}>, not SDMX-ML 2.1 StructureSpecificData")
                elif tag == "Series":
                    current = [dict(el.attrib), [], [], []]
                continue
            if tag == "Obs" and current is not None:
                _obs(el, current, where)
            elif tag == "Series" and current is not None:
                series.append(_finish(current))
                current = None
                el.clear()
            elif tag == "Prepared":
                prepared = (el.text or "").strip()
            elif tag == "DataSetID":
                dataset_id = (el.text or "").strip()
            elif tag == "Ref" and el.get("id"):
                template = template or f"{el.get('agencyID', '')}:{el.get('id')}({el.get('version', '')})"
            elif tag == "Structure" and el.get("structureID"):
                template = template or el.get("structureID", "")
    except ET.ParseError as e:
        raise FetchFailed(f"{where} is not a whole XML file (cut short?): {e}; nothing was written") from None
    except _Other as e:
        raise FetchFailed(f"{where} is not a National Summary Data Page file: {e}; nothing was written") from None
    if STRUCTURE not in template.upper():
        raise FetchFailed(f"{where} is not a National Summary Data Page file: its structure is "
                          f"{template or 'not named'}, not IMF:ECOFIN_DSD (e-GDDS); nothing was written")
    if not series:
        raise FetchFailed(f"{where} holds no series; nothing was written")
    return Message(prepared, dataset_id, series)


class _Other(Exception):
    pass


def _obs(el: ET.Element, current: list, where: str) -> None:
    raw_period = el.get("TIME_PERIOD", "")
    period = period_of(raw_period)
    if period is None:
        raise FetchFailed(f"{where}: {current[0].get('INDICATOR', '?')} has a period vnecon cannot read: "
                          f"{raw_period!r}; nothing was written")
    value = el.get("OBS_VALUE")
    if missing(value):
        current[2].append(period)
    elif (got := number(value)) is None:
        current[3].append((period, value))
    else:
        current[1].append((period, got))
    el.clear()


def _finish(current: list) -> RawSeries:
    attrs, points, gaps, unreadable = current
    # Files list observations out of time order (GDPVNM); a period's sort key is its text: 2024 < 2024-01 <
    # 2024-H1 < 2024-Q1 all sort within their year, and a year's sorts before its parts.
    points.sort(key=lambda p: p[0])
    return RawSeries(attrs, points, sorted(gaps), unreadable)
