"""HTTP for `vnecon fetch`: plain urllib, our own User-Agent, timeouts, retries, a cache of raw answers.

Every answer that parsed is kept, as received, in the cache directory under a
name made from its URL, so ``--offline`` reads the same bytes again and a
mirror or a test server is reached by changing a base URL (the providers'
``VNECON_*_URL`` variables).  Proxies come from the environment as urllib
reads them (``HTTPS_PROXY``, ``HTTP_PROXY``, ``NO_PROXY``).  Every failure is
a ``FetchFailed`` with one line saying what happened: never a traceback.

A hostile or broken server cannot hold a fetch (issue 37): the timeout is a
deadline for the whole answer (a timer shuts the request's sockets when it
passes, so one byte every half second does not keep it alive); redirects are
followed only to http and https; and a kept answer is read back only if it is
a regular file of the size and SHA-256 recorded beside it.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import re
import socket
import ssl
import stat
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from vnecon import __version__
from vnecon.core.errors import FetchFailed

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing_extensions import Self

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


class _Watch:
    """A deadline for one request: when it passes, every socket the request opened is shut down, so a read
    blocked on a server that drips (or never finishes its headers) returns at once."""

    def __init__(self, seconds: float) -> None:
        self.fired = False
        self._socks: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def add(self, sock: socket.socket) -> None:
        with self._lock:
            self._socks.append(sock)
            if self.fired:
                _shut(sock)

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            for sock in self._socks:
                _shut(sock)

    def __enter__(self) -> Self:
        _current.watch = self
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()
        _current.watch = None


_current = threading.local()  # the watch of the request this thread is making


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


class _Watched:
    """An HTTP(S) connection whose sockets the current request's watch can shut (mixed in first)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        make = self._create_connection

        def create(*a: Any, **k: Any) -> socket.socket:
            sock = make(*a, **k)
            watch = getattr(_current, "watch", None)
            if watch is not None:
                watch.add(sock)
            return sock

        self._create_connection = create


class _HTTPConnection(_Watched, http.client.HTTPConnection):
    pass


class _HTTPSConnection(_Watched, http.client.HTTPSConnection):
    pass


class _HTTPHandler(urllib.request.HTTPHandler):
    def http_open(self, req):
        return self.do_open(_HTTPConnection, req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def https_open(self, req):
        return self.do_open(_HTTPSConnection, req, context=self._context)


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Redirects are followed to http and https only (urllib alone would follow one to ftp)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urllib.parse.urlsplit(newurl).scheme.lower() not in ("http", "https"):
            raise FetchFailed(f"{host_of(req.full_url)} redirected {req.full_url} to {newurl}; vnecon follows "
                              "redirects only to http and https URLs; nothing was written")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class Client:
    """Gets URLs with retries and keeps what it got; or, offline, reads only what it kept.

    timeout: seconds one answer may take, from connecting to its last byte (a deadline, not per read);
    retries: further tries after a 429, a 5xx, a timeout, a refused or dropped connection or a cut
    answer, waiting backoff * 2**n seconds (or the server's Retry-After, up to a minute).
    note(message) hears about each retry.
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
        # urllib's own handlers (a ProxyHandler reading the environment...) but with watched connections
        # and redirects only to http and https.
        self.opener = urllib.request.build_opener(_HTTPHandler, _HTTPSHandler, _Redirects)

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
            watch = _Watch(self.timeout)
            try:
                with watch:
                    body = self._attempt(url, accept)
                if watch.fired:  # the deadline cut the answer short, whatever the read made of that
                    raise TimeoutError
                return body
            except FetchFailed:
                raise
            except Exception as e:  # noqa: BLE001 - every failure is told apart in _why or re-raised
                if watch.fired or isinstance(e, TimeoutError) or (
                        isinstance(e, urllib.error.URLError) and isinstance(e.reason, TimeoutError)):
                    why = f"no answer within {self.timeout:g} s"
                else:
                    why, wait = _why(e, host, url)
            if attempt + 1 < tries:
                pause = min(wait, MAX_WAIT) if wait is not None else self.backoff * 2 ** attempt
                self.note(f"{host}: {why}; trying again in {pause:g} s ({attempt + 2} of {tries})")
                self.sleep(pause)
        raise FetchFailed(f"{host}: {why}" + (f" (tried {tries} times)" if tries > 1 else "")
                          + "; nothing was written")

    def _attempt(self, url: str, accept: str) -> bytes:
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": accept})
        self.requests += 1
        with self.opener.open(request, timeout=self.timeout) as answer:
            body = answer.read(MAX_BYTES + 1)
            length = answer.headers.get("Content-Length", "")
        if length.isdigit() and len(body) < int(length):  # the connection closed early
            raise http.client.IncompleteRead(body, int(length) - len(body))
        if len(body) > MAX_BYTES:
            raise FetchFailed(f"{host_of(url)} sent more than {MAX_BYTES // 2**20} MiB for {url}; nothing was "
                              "written")
        return body

    # ---- the cache ----------------------------------------------------------

    def _path(self, url: str) -> Path | None:
        if self.cache_dir is None:
            return None
        return self.cache_dir / f"{hashlib.sha256(url.encode('utf-8')).hexdigest()[:40]}.body"

    def _cached(self, url: str) -> bytes:
        """The kept answer for url, only if it is a regular file of the size and SHA-256 recorded beside it.

        Opened without blocking and read no further than the recorded size, so a FIFO, a device or a
        symlink to /dev/zero put in its place is refused, never read; an edited body is refused too."""
        path = self._path(url)
        again = "; run the same fetch once without --offline"
        meta = _read_kept(path.with_suffix(".json"), 64 * 1024) if path is not None else None
        try:
            meta = json.loads(meta) if meta is not None else None
        except (ValueError, UnicodeDecodeError):
            meta = None
        if not isinstance(meta, dict) or meta.get("url") != url:
            raise FetchFailed(f"--offline: no saved answer for {url}{again}")
        size, digest = meta.get("bytes"), meta.get("sha256")
        if not isinstance(size, int) or not 0 <= size <= MAX_BYTES or not isinstance(digest, str):
            raise FetchFailed(f"--offline: the saved answer for {url} has no size and checksum (kept by an older "
                              f"vnecon?){again}")
        try:
            body = _read_kept(path, size + 1, strict=True)
        except _NotRegular as e:
            raise FetchFailed(f"--offline: the saved answer for {url} ({path}) is {e}, not a regular file; "
                              f"nothing was read{again} to fetch it again") from None
        if body is None:
            raise FetchFailed(f"--offline: no saved answer for {url}{again}")
        if len(body) != size or hashlib.sha256(body).hexdigest() != digest:
            raise FetchFailed(f"--offline: the saved answer for {url} ({path}) changed since it was kept "
                              f"({'its checksum differs' if len(body) == size else 'its size differs'}){again} "
                              "to fetch it again")
        return body

    def _keep(self, url: str, body: bytes) -> None:
        """Keep the raw answer and, beside it, where and when it came from; a cache that cannot be written
        costs --offline, never the fetch."""
        path = self._path(url)
        if path is None:
            return
        meta = json.dumps({"url": url, "fetched": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                           "bytes": len(body), "sha256": hashlib.sha256(body).hexdigest()})
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


class _NotRegular(Exception):
    """A kept answer's name holds something else: a FIFO, a device, a directory (the message says which)."""


def _read_kept(path: Path, limit: int, strict: bool = False) -> bytes | None:
    """At most `limit` bytes of a regular file, or None when it cannot be read; with strict, a name that
    holds anything but a regular file raises _NotRegular (without it, that too is None).  O_NONBLOCK: a
    FIFO is opened without waiting for a writer, and then refused."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            if not strict:
                return None
            from vnecon.core.safefile import what_it_is

            raise _NotRegular(what_it_is(mode))
        try:
            return fh.read(limit)
        except OSError:
            return None


def _why(e: Exception, host: str, url: str) -> tuple[str, float | None]:
    """Why an attempt failed and how long the server asks us to wait, for a failure worth trying again;
    FetchFailed at once for one that is not (another HTTP error, an unknown host, a failed TLS handshake)."""
    if isinstance(e, urllib.error.HTTPError):
        if e.code != 429 and not 500 <= e.code < 600:
            raise FetchFailed(f"{host} answered HTTP {e.code}{_said(e)} for {url}; nothing was written") from None
        return f"HTTP {e.code}{_said(e)}", retry_after(e.headers)
    if isinstance(e, http.client.IncompleteRead):
        got = len(e.partial)
        return f"the answer was cut short ({got} of {got + (e.expected or 0)} bytes)", None
    if isinstance(e, urllib.error.URLError):
        reason = e.reason
        if isinstance(reason, socket.gaierror):
            raise FetchFailed(f"cannot find {host} (no network, or a mistyped base URL?); nothing was "
                              "written") from None
        if isinstance(reason, ssl.SSLError):
            raise FetchFailed(f"secure connection to {host} failed: {reason}; nothing was written") from None
        if isinstance(reason, ConnectionRefusedError):
            return "connection refused", None
        return str(getattr(reason, "strerror", None) or reason), None
    if isinstance(e, (http.client.HTTPException, ConnectionError)):
        return f"the connection broke ({type(e).__name__})", None
    if isinstance(e, OSError):
        return e.strerror or str(e), None
    raise e


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
