"""HTTP for `vnecon fetch`: plain urllib, our own User-Agent, timeouts, retries, a cache of raw answers.

Every answer that parsed is kept, as received, in the cache directory under a
name made from its URL, so ``--offline`` reads the same bytes again and a
mirror or a test server is reached by changing a base URL (the providers'
``VNECON_*_URL`` variables).  Proxies come from the environment as urllib
reads them (``HTTPS_PROXY``, ``HTTP_PROXY``, ``NO_PROXY``).  Every failure is
a ``FetchFailed`` with one line saying what happened: never a traceback.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import re
import socket
import ssl
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from vnecon import __version__
from vnecon.core.errors import FetchFailed

USER_AGENT = f"vnecon/{__version__} (cited facts about Vietnam's economy; Python urllib)"
MAX_WAIT = 60.0  # seconds: a Retry-After longer than this is not waited for
MAX_BYTES = 256 * 2**20  # an answer larger than this is refused rather than read into memory


def host_of(url: str) -> str:
    return urllib.parse.urlsplit(url).netloc or url


def retry_after(headers) -> float | None:
    """Retry-After in seconds (a number of seconds or an HTTP date), or None."""
    value = (headers or {}).get("Retry-After")
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    from email.utils import parsedate_to_datetime

    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError, OverflowError):
        return None


def page_title(body: bytes) -> str:
    """What an HTML error page says, in a few words: its <title>, else its first text."""
    text = body.decode("utf-8", "replace").lstrip("\ufeff")
    found = re.search(r"<title[^>]*>(.*?)</title>", text, re.DOTALL | re.IGNORECASE)
    words = found.group(1) if found else re.sub(r"<[^>]+>", " ", text)
    return " ".join(words.split())[:80]


class Client:
    """Gets URLs with retries and keeps what it got; or, offline, reads only what it kept.

    timeout: seconds for connecting and for each read; retries: further tries after a 429, a 5xx,
    a timeout, a refused or dropped connection or a cut answer, waiting backoff * 2**n seconds
    (or the server's Retry-After, up to a minute).  note(message) hears about each retry.
    """

    def __init__(self, *, timeout: float = 30.0, retries: int = 3, backoff: float = 1.0, offline: bool = False,
                 cache_dir: Path | None = None, note: Callable[[str], None] | None = None,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.timeout, self.retries, self.backoff, self.offline = timeout, retries, backoff, offline
        self.cache_dir = cache_dir
        self.note = note or (lambda message: None)
        self.sleep = sleep
        self.requests = 0  # requests sent over the network, for the bench and the tests
        self.memo: dict = {}  # answers one run asks for more than once (a data source's name)
        self.opener = urllib.request.build_opener()  # with a ProxyHandler reading the environment

    # ---- the one entry point ------------------------------------------------

    def get(self, url: str, parse: Callable[[bytes], Any], accept: str = "application/json") -> Any:
        """parse(the body of url), from the network (kept in the cache once it parsed) or, offline, the cache."""
        if self.offline:
            return parse(self._cached(url))
        body = self._download(url, accept)
        value = parse(body)
        self._keep(url, body)
        return value

    # ---- the network --------------------------------------------------------

    def _download(self, url: str, accept: str) -> bytes:
        host = host_of(url)
        tries = self.retries + 1
        for attempt in range(tries):
            wait = None
            try:
                request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": accept})
                self.requests += 1
                with self.opener.open(request, timeout=self.timeout) as answer:
                    body = answer.read(MAX_BYTES + 1)
                    length = answer.headers.get("Content-Length", "")
                if length.isdigit() and len(body) < int(length):  # the connection closed early
                    raise http.client.IncompleteRead(body, int(length) - len(body))
                if len(body) > MAX_BYTES:
                    raise FetchFailed(f"{host} sent more than {MAX_BYTES // 2**20} MiB for {url}; nothing was "
                                      "written")
                return body
            except urllib.error.HTTPError as e:
                if e.code != 429 and not 500 <= e.code < 600:
                    raise FetchFailed(f"{host} answered HTTP {e.code}{_said(e)} for {url}; nothing was "
                                      "written") from None
                why, wait = f"HTTP {e.code}{_said(e)}", retry_after(e.headers)
            except http.client.IncompleteRead as e:
                got = len(e.partial)
                why = f"the answer was cut short ({got} of {got + (e.expected or 0)} bytes)"
            except TimeoutError:
                why = f"no answer within {self.timeout:g} s"
            except urllib.error.URLError as e:
                reason = e.reason
                if isinstance(reason, TimeoutError):
                    why = f"no answer within {self.timeout:g} s"
                elif isinstance(reason, socket.gaierror):
                    raise FetchFailed(f"cannot find {host} (no network, or a mistyped base URL?); nothing was "
                                      "written") from None
                elif isinstance(reason, ssl.SSLError):
                    raise FetchFailed(f"secure connection to {host} failed: {reason}; nothing was written") from None
                elif isinstance(reason, ConnectionRefusedError):
                    why = "connection refused"
                else:
                    why = str(getattr(reason, "strerror", None) or reason)
            except (http.client.HTTPException, ConnectionError) as e:
                why = f"the connection broke ({type(e).__name__})"
            except OSError as e:
                why = e.strerror or str(e)
            if attempt + 1 < tries:
                pause = min(wait, MAX_WAIT) if wait is not None else self.backoff * 2 ** attempt
                self.note(f"{host}: {why}; trying again in {pause:g} s ({attempt + 2} of {tries})")
                self.sleep(pause)
        raise FetchFailed(f"{host}: {why}" + (f" (tried {tries} times)" if tries > 1 else "")
                          + "; nothing was written")

    # ---- the cache ----------------------------------------------------------

    def _path(self, url: str) -> Path | None:
        if self.cache_dir is None:
            return None
        return self.cache_dir / f"{hashlib.sha256(url.encode('utf-8')).hexdigest()[:40]}.body"

    def _cached(self, url: str) -> bytes:
        path = self._path(url)
        try:
            if path is not None:
                return path.read_bytes()
        except OSError:
            pass
        raise FetchFailed(f"--offline: no saved answer for {url}; run the same fetch once without --offline")

    def _keep(self, url: str, body: bytes) -> None:
        """Keep the raw answer and, beside it, where and when it came from; a cache that cannot be written
        costs --offline, never the fetch."""
        path = self._path(url)
        if path is None:
            return
        meta = json.dumps({"url": url, "fetched": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                           "bytes": len(body)})
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            for target, data in ((path, body), (path.with_suffix(".json"), meta.encode("utf-8"))):
                fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
                try:
                    with os.fdopen(fd, "wb") as fh:
                        fh.write(data)
                    os.replace(tmp, target)
                except BaseException:
                    os.unlink(tmp)
                    raise
        except OSError as e:
            self.note(f"cannot keep the answer in {path.parent}: {e.strerror}; --offline will not have it")


def _said(e: urllib.error.HTTPError) -> str:
    """' (Request Error)': the reason an error page gives, or the status line's."""
    try:
        body = e.read(64 * 1024)
    except (OSError, http.client.HTTPException):
        body = b""
    title = page_title(body) if body.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"<") else ""
    reason = title or (e.reason if isinstance(e.reason, str) else "")
    return f" ({reason})" if reason else ""


def json_of(body: bytes, url: str) -> Any:
    """A JSON answer, or one line on what came instead (an HTML page, a cut or garbled body)."""
    text = body.decode("utf-8", "replace").lstrip("\ufeff").strip()
    host = host_of(url)
    if not text:
        raise FetchFailed(f"{host} sent an empty answer for {url}; nothing was written")
    if text.startswith("<"):
        raise FetchFailed(f"{host} sent an HTML page ({page_title(body) or 'no title'}) instead of JSON for {url}; "
                          "nothing was written")
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        cut = " (cut short?)" if not text.endswith(("]", "}")) else ""
        raise FetchFailed(f"{host} sent something that is not JSON{cut} for {url}: {e.msg} (character {e.pos}); "
                          "nothing was written") from None
