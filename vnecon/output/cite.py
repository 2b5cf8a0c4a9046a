"""`vnecon cite`: a fact's sources as a citation to paste into an article or a reference manager.

Three forms: a plain line (``Source: VNA, "Headline", 2024-08-05, URL``),
Markdown (the headline links to the page) and CSL-JSON, the format Zotero,
pandoc and citeproc read.  Plain functions over source facts; nothing here
looks anything up.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from vnecon.load.model import Fact

CITE_FORMATS = ("plain", "markdown", "csl-json")
_FORMAT_NAMES = {"plain": "plain", "text": "plain", "markdown": "markdown", "md": "markdown",
                 "csl-json": "csl-json", "csl": "csl-json", "json": "csl-json"}


def cite_format(text: str | None) -> str | None:
    """'plain', 'markdown' or 'csl-json' for what was typed (text, md, json are other names); None if unknown."""
    return _FORMAT_NAMES.get((text or "plain").lower())


def publisher_of(source: Fact) -> str:
    """The publisher as a citation names it; '' when the page names none ('unknown' in the files)."""
    name = str(source.get("publisher") or "").strip()
    return "" if name.lower() in ("", "unknown") else name


def plain(source: Fact) -> str:
    """'VNA, "Industrial production on the mend", 2024-08-05, https://...' (parts the source lacks left out)."""
    title = str(source.get("title") or "").strip()
    parts = [publisher_of(source), f'"{title}"' if title else "", str(source.get("date") or ""),
             str(source.get("url") or "")]
    return ", ".join(p for p in parts if p)


def _md(text: str) -> str:
    return "".join("\\" + c if c in "\\`*_[]<>|" else c for c in text)


def markdown(source: Fact) -> str:
    """Publisher, the headline as a link to its page (in quotes when there is no page), date."""
    title = str(source.get("title") or "").strip()
    url = str(source.get("url") or "")
    if title and url:
        head = f'["{_md(title)}"](<{url.replace(">", "%3E").replace(" ", "%20")}>)'
    elif url:
        head = f"<{url}>"
    else:
        head = f'"{_md(title)}"' if title else ""
    return ", ".join(p for p in (_md(publisher_of(source)), head, str(source.get("date") or "")) if p)


def _date_parts(text: str) -> list[int] | None:
    parts = str(text or "").split("-")
    try:
        numbers = [int(p) for p in parts[:3]]
    except ValueError:
        return None
    return numbers if numbers and len(parts[0]) == 4 else None


def csl_item(source: Fact) -> dict[str, Any]:
    """One CSL-JSON item: a news article with its headline, publisher (as container and publisher),
    date issued and URL; fields the source lacks are left out."""
    item: dict[str, Any] = {"id": source.id, "type": "article-newspaper",
                            "title": str(source.get("title") or source.id)}
    publisher = publisher_of(source)
    if publisher:
        item["container-title"] = publisher
        item["publisher"] = publisher
    parts = _date_parts(str(source.get("date") or ""))
    if parts:
        item["issued"] = {"date-parts": [parts]}
    if source.get("url"):
        item["URL"] = str(source.get("url"))
    return item


def citation_lines(cited: list[tuple[Fact, list[Fact]]], form: str) -> list[str]:
    """One line per fact asked for: 'Source: ...' (or 'Sources: A; B'); a line already printed for
    an earlier fact is not repeated.  ``cited``: (fact, its sources) pairs, a source citing itself."""
    one = markdown if form == "markdown" else plain
    out: list[str] = []
    for _fact, sources in cited:
        if not sources:
            continue
        line = ("Source: " if len(sources) == 1 else "Sources: ") + "; ".join(one(s) for s in sources)
        if line not in out:
            out.append(line)
    return out


def csl_json(cited: list[tuple[Fact, list[Fact]]]) -> str:
    """Every distinct source once, as a CSL-JSON array (what `pandoc --citeproc` and Zotero import)."""
    import json

    seen: dict[str, dict[str, Any]] = {}
    for _fact, sources in cited:
        for s in sources:
            seen.setdefault(s.id, csl_item(s))
    return json.dumps(list(seen.values()), ensure_ascii=False, indent=2) + "\n"
