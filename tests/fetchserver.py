"""A local HTTP server (127.0.0.1, a free port) that answers as the World Bank and IMF APIs did.

Every body it sends comes from the recorded responses in
shared/fixtures/apis/ (see its README).  Where the recordings cannot answer
a request as recorded, the server does what the real service does with the
recorded rows and says so here:

- World Bank pages are cut from the recorded rows at the per_page asked for,
  and the header's page/pages/per_page/total say so (in the recorded types:
  numbers stay numbers, strings stay strings);
- an indicator it has no recording of gets the recorded HTTP-200 message
  answer (id 120, "Invalid value"), as the real API answers an unknown code;
- the IMF answer is the recorded SDMX 2.1 XML with only the series asked for,
  with the years the recording's 2015-2024 query left out filled in from the
  SDMX 3.0 JSON recording of the same WEO vintage (same values where both
  have a year), cut to startPeriod/endPeriod;
- tests may change one value and the release date (``revise``), answer under
  other codes (``alias``, for the bench), queue failures (``fail``), or edit
  an answer before it is sent (``tamper_json``, ``tamper_xml``: a hostile
  server, issue 37);
- the National Summary Data Page files are served under /nsdp/ by their published names, from the
  copies in tests/fixtures/nsdp/ (the trade file whole from shared/ where it is there, else the
  cut-down copy); ``nsdp_revise`` makes a later release of one (a value changed, a new Prepared time).
"""

from __future__ import annotations

import gzip
import json
import re
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

APIS = Path(__file__).resolve().parents[1] / ".." / "shared" / "fixtures" / "apis"
if not APIS.is_dir():  # the main checkout and CI clones sit beside shared/; worktrees one level deeper
    APIS = next((p / "shared" / "fixtures" / "apis" for p in Path(__file__).resolve().parents
                 if (p / "shared" / "fixtures" / "apis").is_dir()), APIS)
WB, IMF = APIS / "worldbank", APIS / "imf"
NSDP_COPIES = Path(__file__).resolve().parent / "fixtures" / "nsdp"  # gzipped copies, and a cut-down trade file
VNM_GDP = "VNM_NY.GDP.MKTP.KD.ZG_2015-2024.json"
INVALID = "IndicatorValuesService_ListByCountryIDs__error_invalid_indicator_message120.json"
HTML_400 = "IndicatorValuesService_ListBySourceID__error_http400_invalid_source_param.html"
MULTI_MESSAGE = "IndicatorValuesService_ListBySourceID__error_multi_message_array.json"
JPN_USA_ALL = "IndicatorValuesService_ListByCountryIDs__data_JPN-USA_NY.GDP.MKTP.CD_all-years_page1.json"
SOURCE_2 = "SourcesService_Get__source_2_WDI.json"
INDICATOR_LIST = "IndicatorsService_List__indicators_list_page1_per_page2.json"
WEO_XML, WEO_JSON = "weo_sdmx21_VNM_excerpt.xml", "weo_sdmx30_VNM_excerpt.json"


def recorded(name: str) -> bytes:
    return ((WB / name) if (WB / name).exists() else (IMF / name)).read_bytes()


def repage(answer: list, per_page: int, page: int) -> list:
    """A recorded [header, rows] answer as page `page` of `per_page` rows, the header's types kept."""
    header, rows = answer[0], answer[1] or []
    pages = max(1, -(-len(rows) // per_page))
    typed = {k: (str(v) if isinstance(header.get(k), str) else v)
             for k, v in (("page", page), ("pages", pages), ("per_page", per_page), ("total", len(rows)))}
    return [{**header, **{k: typed[k] for k in typed if k in header}},
            rows[(page - 1) * per_page: page * per_page] or None]


def weo_years() -> dict[str, dict[str, str]]:
    """INDICATOR -> {year: value} for Viet Nam, from the SDMX 3.0 JSON recording."""
    doc = json.loads(recorded(WEO_JSON))
    structure = doc["data"]["structures"][0]
    dims = {d["id"]: [v["id"] for v in d["values"]] for d in structure["dimensions"]["series"]}
    years = [v["value"] for v in structure["dimensions"]["observation"][0]["values"]]
    out: dict[str, dict[str, str]] = {}
    for key, series in doc["data"]["dataSets"][0]["series"].items():
        c, i, _ = (int(x) for x in key.split(":"))
        if dims["COUNTRY"][c] == "VNM":
            out[dims["INDICATOR"][i]] = {years[int(k)]: v[0] for k, v in series["observations"].items()}
    return out


def nsdp_file(name: str) -> bytes | None:
    """A National Summary Data Page file by its published name, or None."""
    if not re.fullmatch(r"[A-Za-z0-9_.-]+\.xml", name):
        return None
    if name == "METVNM.xml":
        whole = APIS / "nsdp" / name
        return (whole if whole.is_file() else NSDP_COPIES / "METVNM-cut.xml").read_bytes()
    copy = NSDP_COPIES / f"{name}.gz"
    return gzip.decompress(copy.read_bytes()) if copy.is_file() else None


class FixtureServer:
    """Start with `with FixtureServer() as s:`; s.worldbank and s.imf are the base URLs to use."""

    def __init__(self) -> None:
        self.requests: list[dict] = []  # path, query, headers, proxied: what each request looked like
        self.failures: list[tuple] = []  # queued (kind, detail) answered before anything else
        self.revisions: dict[tuple[str, str], float] = {}
        self.release: str | None = None
        self.aliases: dict[str, str] = {}  # code -> name, answered with Viet Nam's GDP growth rows
        self.tamper_json = None  # (doc, query) -> doc: edits a World Bank data answer before it is sent
        self.tamper_xml = None  # text -> text: edits an IMF answer before it is sent
        self.nsdp_changes: dict[str, list[tuple[str, str, str]]] = {}  # file -> [(indicator, period, value)]
        self.nsdp_prepared: dict[str, str] = {}  # file -> a later Prepared time
        self.stop = threading.Event()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 - the http.server name
                server.answer(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.worldbank, self.imf, self.nsdp = f"{self.base}/v2", f"{self.base}/imf", f"{self.base}/nsdp"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FixtureServer:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()  # releases any request held by a "slow" failure
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()

    # ---- what tests change ----------------------------------------------------

    def fail(self, kind: str, times: int = 1, detail=None) -> None:
        """Answer the next `times` requests with: 'status' (detail = (code, headers)), 'html400', 'slow'
        (detail = seconds), 'truncated', 'notjson', 'message', 'drip' (the recorded body one byte every
        `detail` seconds, until the client hangs up or the server stops), 'redirect' (detail = Location)."""
        self.failures += [(kind, detail)] * times

    def revise(self, year: str, value: float, release: str, code: str = "NY.GDP.MKTP.KD.ZG") -> None:
        """A later release: lastupdated becomes `release` and `year` gets `value`."""
        self.revisions[(code, year)] = value
        self.release = release

    def alias(self, code: str, name: str) -> None:
        self.aliases[code] = name

    def nsdp_revise(self, file: str, indicator: str, period: str, value: str, prepared: str) -> None:
        """A later release of one file: one observation's value changed, the header's Prepared time new."""
        self.nsdp_changes.setdefault(file, []).append((indicator, period, value))
        self.nsdp_prepared[file] = prepared

    # ---- answering ------------------------------------------------------------

    def answer(self, h: BaseHTTPRequestHandler) -> None:
        target = urllib.parse.urlsplit(h.path)
        query = dict(urllib.parse.parse_qsl(target.query))
        self.requests.append({"path": target.path, "query": query, "headers": dict(h.headers),
                              "proxied": h.path.startswith("http")})
        if self.failures:
            kind, detail = self.failures.pop(0)
            return self._fail(h, kind, detail)
        path = target.path
        if m := re.fullmatch(r"/v2/countr(?:y|ies)/([^/]+)/indicators?/([^/]+)", path):
            return self._wb_data(h, m[1].upper(), urllib.parse.unquote(m[2]), query)
        if re.fullmatch(r"/v2/sources/2", path):
            return self._send(h, 200, recorded(SOURCE_2))
        if re.fullmatch(r"/v2/indicators?", path):
            answer = json.loads(recorded(INDICATOR_LIST))
            return self._json(h, repage(answer, int(query.get("per_page", 50)), int(query.get("page", 1))))
        if m := re.fullmatch(r"/imf/2\.1/data/IMF\.RES,WEO,[^/]*/([^/]+)", path):
            return self._weo(h, urllib.parse.unquote(m[1]), query)
        if m := re.fullmatch(r"/nsdp/([^/]+)", path):
            return self._nsdp(h, urllib.parse.unquote(m[1]))
        return self._send(h, 404, b"not found", "text/plain")

    def _wb_data(self, h, country: str, code: str, query: dict) -> None:
        if country == "VNM" and (code == "NY.GDP.MKTP.KD.ZG" or code in self.aliases):
            answer = json.loads(recorded(VNM_GDP))
            for row in answer[1]:
                if code in self.aliases:
                    row["indicator"] = {"id": code, "value": self.aliases[code]}
                if (code, row["date"]) in self.revisions:
                    row["value"] = self.revisions[(code, row["date"])]
            if self.release:
                answer[0]["lastupdated"] = self.release
        elif country in ("JPN", "JPN;USA") and code == "NY.GDP.MKTP.CD":
            answer = json.loads(recorded(JPN_USA_ALL))  # Japan's years, with the recorded "value": null for 2020
        else:
            return self._send(h, 200, recorded(INVALID))
        doc = repage(answer, int(query.get("per_page", 50)), int(query.get("page", 1)))
        return self._json(h, self.tamper_json(doc, query) if self.tamper_json else doc)

    def _weo(self, h, key: str, query: dict) -> None:
        country, codes, _ = (key.split(".") + ["", "", ""])[:3]
        wanted = set(codes.split("+"))
        start, end = int(query.get("startPeriod", 0)), int(query.get("endPeriod", 9999))
        extra = weo_years()
        text = recorded(WEO_XML).decode("utf-8")

        def series(m: re.Match) -> str:
            attrs, body = m[1], m[2]
            indicator = re.search(r'INDICATOR="([^"]+)"', attrs)[1]
            if re.search(r'COUNTRY="([^"]+)"', attrs)[1] != country or indicator not in wanted:
                return ""
            obs = dict(re.findall(r'<Obs TIME_PERIOD="(\d+)" OBS_VALUE="([^"]*)"/>', body))
            for year, value in extra.get(indicator, {}).items():
                obs.setdefault(year, value)
            kept = "".join(f'<Obs TIME_PERIOD="{y}" OBS_VALUE="{v}"/>' for y, v in sorted(obs.items())
                           if start <= int(y) <= end)
            return f"<Series{attrs}>{kept}</Series>"

        text = re.sub(r"<Series([^>]*)>(.*?)</Series>", series, text, flags=re.S)
        if self.tamper_xml:
            text = self.tamper_xml(text)
        return self._send(h, 200, text.encode("utf-8"), "application/vnd.sdmx.structurespecificdata+xml")

    def _nsdp(self, h, name: str) -> None:
        body = nsdp_file(name)
        if body is None:
            return self._send(h, 404, b"<html><head><title>404 Not Found</title></head></html>", "text/html")
        if name in self.nsdp_changes or name in self.nsdp_prepared:
            text = body.decode("utf-8")
            for indicator, period, value in self.nsdp_changes.get(name, []):
                series = re.search(rf'<Series [^>]*INDICATOR="{re.escape(indicator)}"[^>]*>.*?</Series>', text, re.S)
                cut = series[0].replace(f'TIME_PERIOD="{period}" OBS_VALUE="', f'TIME_PERIOD="{period}" OBS_VALUE="@', 1)
                cut = re.sub(r'OBS_VALUE="@[^"]*"', f'OBS_VALUE="{value}"', cut)
                text = text.replace(series[0], cut)
            if name in self.nsdp_prepared:
                text = re.sub(r"<message:Prepared>[^<]*", f"<message:Prepared>{self.nsdp_prepared[name]}", text)
            body = text.encode("utf-8")
        return self._send(h, 200, body, "application/xml")

    def _fail(self, h, kind: str, detail) -> None:
        if kind == "status":
            code, headers = detail
            return self._send(h, code, b"<html><head><title>Service Unavailable</title></head></html>",
                              "text/html", headers)
        if kind == "html400":
            return self._send(h, 400, recorded(HTML_400), "text/html; charset=utf-8")
        if kind == "message":
            return self._send(h, 200, recorded(MULTI_MESSAGE))
        if kind == "page200":  # a portal's page where the file should be, with status 200
            return self._send(h, 200, b"<!DOCTYPE html><html><head><title>Trang thong tin - Cong thong tin"
                              b"</title></head><body>Not here</body></html>", "text/html; charset=utf-8")
        if kind == "cutxml":  # a file cut short, sent whole as what it is (Content-Length matching)
            cpi = nsdp_file("CPIVNM.xml")
            return self._send(h, 200, cpi[: len(cpi) // 2], "application/xml")
        if kind == "otherxml":  # SDMX of another template: the IMF's WEO
            other = (recorded(WEO_XML) if (IMF / WEO_XML).is_file() else  # else the CPI file under another DSD
                     nsdp_file("CPIVNM.xml").replace(b"ECOFIN_DSD", b"DSD_WEO").replace(b'agencyID="IMF"', b'agencyID="IMF.RES"'))
            return self._send(h, 200, other, "application/xml")
        if kind == "slow":
            self.stop.wait(detail)
            return self._send(h, 200, recorded(VNM_GDP)) if not self.stop.is_set() else None
        if kind == "redirect":
            return self._send(h, 302, b"", "text/plain", {"Location": detail})
        body = recorded(VNM_GDP)
        if kind == "drip":
            return self._drip(h, body, detail)
        if kind == "notjson":
            return self._send(h, 200, body[: len(body) // 2])  # the whole (cut) body, as sent: not JSON
        if kind == "truncated":  # Content-Length says more than is sent before the connection closes
            h.send_response(200)
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Length", str(len(body)))
            h.end_headers()
            h.wfile.write(body[: len(body) // 3])
            h.wfile.flush()
            h.close_connection = True
            return None
        raise AssertionError(kind)

    def _drip(self, h, body: bytes, every: float) -> None:
        """The whole response, status line and headers included, one byte at a time."""
        head = (f"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
                "Connection: close\r\n\r\n").encode("ascii")
        h.close_connection = True
        data = head + body
        try:
            for i in range(len(data)):
                if self.stop.wait(every):
                    return
                h.wfile.write(data[i:i + 1])
                h.wfile.flush()
        except OSError:  # the client hung up: what a deadline is for
            pass

    def _json(self, h, doc) -> None:
        self._send(h, 200, json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))

    @staticmethod
    def _send(h, status: int, body: bytes, ctype: str = "application/json;charset=utf-8",
              headers: dict | None = None) -> None:
        try:
            h.send_response(status)
            h.send_header("Content-Type", ctype)
            h.send_header("Content-Length", str(len(body)))
            for k, v in (headers or {}).items():
                h.send_header(k, v)
            h.end_headers()
            h.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
            pass


if __name__ == "__main__":  # python tests/fetchserver.py: serve until Ctrl-C, for trying vnecon fetch by hand
    import sys

    with FixtureServer() as s:
        print(f"export VNECON_WORLDBANK_URL={s.worldbank} VNECON_IMF_URL={s.imf} VNECON_NSDP_URL={s.nsdp}",
              flush=True)
        try:
            s.thread.join()
        except KeyboardInterrupt:
            sys.exit(0)
