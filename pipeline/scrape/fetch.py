"""A polite HTTP client: robots.txt, per-host rate limits, retries, conditional GET, hard limits.

Every request ends in a :class:`FetchResult` carrying a :class:`FetchRecord`; network problems are
never raised to the caller (they are the per-item boundary: logged, recorded, counted).
"""

from __future__ import annotations

import email.utils
import ipaddress
import logging
import re
import socket
import threading
import time
import urllib.robotparser
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

import requests

log = logging.getLogger(__name__)

EXPECT_TYPES = {
    "html": ("text/html", "application/xhtml+xml"),
    "feed": ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml", "application/rdf+xml",
             "application/feed+json", "text/html"),
    "sitemap": ("application/xml", "text/xml", "application/x-gzip", "application/gzip", "application/octet-stream",
                "text/plain"),
}
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
LATIN_SINGLE_BYTE = frozenset({
    "cp1250", "cp1252", "cp1254", "cp1257", "latin_1", "iso8859_1", "iso8859_2", "iso8859_9", "iso8859_13",
    "iso8859_15", "iso8859_16", "mac_roman", "mac_latin2", "cp850", "cp437", "ascii",
})
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class FetchOptions:
    """Limits and manners of the HTTP client."""

    user_agent: str = "tradestance/0.1 (+https://github.com/tradestance/tradestance)"
    timeout_s: float = 20.0  # connect and per-read timeout, and the deadline for the whole body
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    retries: int = 3
    backoff_s: float = 1.0  # first retry delay; doubles each attempt
    max_wait_s: float = 120.0  # a Retry-After longer than this gives up instead of sleeping
    allow_hosts: tuple[str, ...] = ()  # private/loopback hosts or IPs that may be fetched anyway
    concurrency: int = 4  # simultaneous requests over all hosts
    default_rate: float = 1.0  # requests per second per host when the source sets none


@dataclass(frozen=True, slots=True)
class Validators:
    """HTTP validators remembered from the last fetch, for a conditional GET."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class FetchRecord:
    """What one fetch did, as stored in the ``fetches`` table."""

    url: str
    source: str | None
    status: int | None
    bytes: int
    elapsed_ms: float
    fetched_at: datetime
    error: str | None = None


@dataclass(frozen=True, slots=True)
class FetchResult:
    """The outcome of fetching one URL (after redirects and retries)."""

    url: str
    final_url: str
    status: int | None
    body: bytes = b""
    text: str | None = None
    content_type: str | None = None
    validators: Validators = field(default_factory=Validators)
    record: FetchRecord | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        """Tell whether a usable 200 body arrived."""
        return self.error is None and self.status == 200

    @property
    def unchanged(self) -> bool:
        """Tell whether the server answered 304 Not Modified."""
        return self.error is None and self.status == 304


class FetchError(Exception):
    """A fetch that cannot succeed (refused, too large, bad type); carries the HTTP status if any."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        """Keep the message and the status that led to it."""
        super().__init__(message)
        self.status = status


def decode_body(body: bytes, *, declared: str | None) -> str:
    """Decode a page: valid UTF-8 wins, then the declared charset, then detection, then cp1252."""
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    candidates = [declared] if declared else []
    match = META_CHARSET.search(body[:4096])
    if match:
        candidates.append(match.group(1).decode("ascii", "replace"))
    for charset in candidates:
        if charset and charset.lower().replace("-", "") not in ("utf8",):
            try:
                return body.decode(charset)
            except (LookupError, UnicodeDecodeError):
                continue
    from charset_normalizer import from_bytes

    best = from_bytes(body).best()
    if best is not None and best.encoding.replace("-", "_").lower() not in LATIN_SINGLE_BYTE:
        return str(best)
    # Detectors cannot tell Latin code pages apart reliably; browsers fall back to windows-1252 for
    # Western pages, and the sources here are English, French and Spanish.
    return body.decode("cp1252", errors="replace")


def parse_retry_after(value: str | None, *, now: float) -> float | None:
    """Return the seconds a Retry-After header asks to wait (delta or HTTP date), or None."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, when.timestamp() - now)


def _content_type(headers) -> tuple[str, str | None]:
    """Split Content-Type into the media type and the declared charset."""
    raw = headers.get("Content-Type", "") or ""
    media = raw.split(";", 1)[0].strip().lower()
    charset = None
    for part in raw.split(";")[1:]:
        key, _, value = part.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return media, charset


class _HostClock:
    """Spaces requests to one host at least ``1/rate`` seconds apart (thread-safe)."""

    def __init__(self) -> None:
        """Start with no host seen."""
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}

    def wait(self, host: str, *, rate: float) -> None:
        """Sleep until the host may be contacted again, and book the next slot."""
        interval = 1.0 / rate
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next.get(host, now))
            self._next[host] = slot + interval
        delay = slot - time.monotonic()
        if delay > 0:
            time.sleep(delay)


class Fetcher:
    """One requests Session with robots.txt, rate limits, retries and limits; use as a context manager."""

    def __init__(self, *, options: FetchOptions = FetchOptions()) -> None:
        """Create the session; nothing is fetched yet."""
        self.options = options
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": options.user_agent, "Accept-Encoding": "gzip, deflate"})
        self.session.max_redirects = options.max_redirects
        self._clock = _HostClock()
        self._slots = threading.BoundedSemaphore(max(1, options.concurrency))
        self._robots: dict[str, urllib.robotparser.RobotFileParser] = {}
        self._robots_lock = threading.Lock()
        self._address_ok: dict[str, bool] = {}

    def __enter__(self) -> Fetcher:
        """Return self."""
        return self

    def __exit__(self, *exc) -> None:
        """Close the session."""
        self.close()

    def close(self) -> None:
        """Close the underlying session and its connections."""
        self.session.close()

    # -- checks ---------------------------------------------------------------------------------

    def _check_address(self, url: str) -> None:
        """Refuse non-http(s) URLs and private, loopback or reserved addresses unless allowed."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise FetchError(f"refused: only http and https URLs are fetched, not {parts.scheme or 'relative'!r}")
        host = (parts.hostname or "").lower()
        if not host:
            raise FetchError("refused: URL has no host")
        if host in self.options.allow_hosts:
            return
        if host not in self._address_ok:
            try:
                infos = socket.getaddrinfo(host, parts.port or (443 if parts.scheme == "https" else 80), proto=socket.IPPROTO_TCP)
            except OSError as e:
                raise FetchError(f"cannot resolve host {host}: {e}") from e
            addresses = {info[4][0] for info in infos}
            blocked = [a for a in addresses if a not in self.options.allow_hosts and not ipaddress.ip_address(a.split("%")[0]).is_global]
            self._address_ok[host] = not blocked
        if not self._address_ok[host]:
            raise FetchError(
                f"refused: {host} resolves to a private, loopback or reserved address; "
                f"add it to allow_hosts in the config if this is intended"
            )

    def fetch_robots(self, url: str, *, rate: float) -> urllib.robotparser.RobotFileParser:
        """Return the parsed robots.txt of the URL's origin, fetching it once per run."""
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        with self._robots_lock:
            cached = self._robots.get(origin)
        if cached is not None:
            return cached
        parser = urllib.robotparser.RobotFileParser(origin + "/robots.txt")
        try:
            self._clock.wait(parts.netloc, rate=rate)
            with self._slots:
                response = self.session.get(origin + "/robots.txt", timeout=self.options.timeout_s, allow_redirects=True)
            if response.status_code in (401, 403):
                parser.disallow_all = True
            elif response.status_code >= 500:
                parser.disallow_all = True  # RFC 9309: an unreachable robots.txt means "assume disallowed"
                log.warning("robots.txt of %s answered %s; not crawling it this run", origin, response.status_code)
            elif response.status_code >= 400:
                parser.allow_all = True
            else:
                parser.parse(response.content[: self.options.max_bytes].decode("utf-8", "replace").splitlines())
        except requests.RequestException as e:
            parser.disallow_all = True
            log.warning("robots.txt of %s unreachable (%s); not crawling it this run", origin, e)
        with self._robots_lock:
            self._robots[origin] = parser
        return parser

    # -- fetching -------------------------------------------------------------------------------

    def fetch_url(
        self,
        url: str,
        *,
        source: str | None = None,
        rate: float | None = None,
        validators: Validators | None = None,
        expect: str = "html",
    ) -> FetchResult:
        """Fetch one URL politely; never raises for network problems (they end up in the result)."""
        started = time.monotonic()
        fetched_at = datetime.now(timezone.utc).replace(tzinfo=None)
        rate = rate or self.options.default_rate
        try:
            result = self._fetch_following(url, rate=rate, validators=validators or Validators(), expect=expect)
        except FetchError as e:
            result = FetchResult(url=url, final_url=url, status=e.status, error=str(e))
        except requests.RequestException as e:
            result = FetchResult(url=url, final_url=url, status=None, error=f"{type(e).__name__}: {e}")
        record = FetchRecord(
            url=url, source=source, status=result.status, bytes=len(result.body),
            elapsed_ms=round((time.monotonic() - started) * 1000, 1), fetched_at=fetched_at, error=result.error,
        )
        if result.error:
            log.warning("fetch failed: %s: %s", url, result.error)
        else:
            log.debug("fetched %s -> %s (%d bytes)", url, result.status, len(result.body))
        return replace(result, record=record)

    def _fetch_following(self, url: str, *, rate: float, validators: Validators, expect: str) -> FetchResult:
        """Follow redirects by hand so every hop is checked (scheme, address, robots, limit)."""
        current = url
        seen: set[str] = set()
        for _hop in range(self.options.max_redirects + 1):
            self._check_address(current)
            if not self.fetch_robots(current, rate=rate).can_fetch(self.options.user_agent, current):
                raise FetchError("refused: disallowed by robots.txt")
            response = self._get_with_retries(current, rate=rate, validators=validators if current == url else Validators())
            if response.status_code in REDIRECT_STATUSES and response.headers.get("Location"):
                response.close()
                seen.add(current)
                current = urljoin(current, response.headers["Location"])
                if current in seen:
                    raise FetchError(f"redirect loop at {current}", status=response.status_code)
                continue
            return self._read_response(url, current, response, expect=expect)
        raise FetchError(f"more than {self.options.max_redirects} redirects", status=None)

    def _get_with_retries(self, url: str, *, rate: float, validators: Validators) -> requests.Response:
        """GET with exponential backoff on connection errors, 429 and 5xx, honouring Retry-After."""
        headers = {}
        if validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
        host = urlsplit(url).netloc
        attempt = 0
        while True:
            self._clock.wait(host, rate=rate)
            try:
                with self._slots:
                    response = self.session.get(url, headers=headers, timeout=self.options.timeout_s,
                                                stream=True, allow_redirects=False)
            except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as e:
                if isinstance(e, requests.exceptions.ReadTimeout) or attempt >= self.options.retries:
                    raise
                delay = self.options.backoff_s * 2**attempt
                log.info("connection error on %s (%s); retry %d in %.2fs", url, e, attempt + 1, delay)
            else:
                if response.status_code not in RETRY_STATUSES:
                    return response
                if attempt >= self.options.retries:
                    response.close()
                    raise FetchError(f"HTTP {response.status_code} after {attempt + 1} attempts", status=response.status_code)
                delay = self.options.backoff_s * 2**attempt
                asked = parse_retry_after(response.headers.get("Retry-After"), now=time.time())
                response.close()
                if asked is not None:
                    if asked > self.options.max_wait_s:
                        raise FetchError(f"HTTP {response.status_code} with Retry-After {asked:.0f}s (longer than "
                                         f"max_wait_s); try again later", status=response.status_code)
                    delay = max(delay, asked)
                log.info("HTTP %s on %s; retry %d in %.2fs", response.status_code, url, attempt + 1, delay)
            time.sleep(delay)
            attempt += 1

    def _read_response(self, url: str, final_url: str, response: requests.Response, *, expect: str) -> FetchResult:
        """Check status, type and size, read the body within limits, and decode text."""
        status = response.status_code
        validators = Validators(etag=response.headers.get("ETag"), last_modified=response.headers.get("Last-Modified"))
        try:
            if status == 304:
                return FetchResult(url=url, final_url=final_url, status=304, validators=validators)
            if status != 200:
                raise FetchError(f"HTTP {status}", status=status)
            media, charset = _content_type(response.headers)
            allowed = EXPECT_TYPES.get(expect, EXPECT_TYPES["html"])
            if media and media not in allowed and not media.endswith("+xml"):
                raise FetchError(f"unsupported content type {media!r} (expected {expect})", status=status)
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > self.options.max_bytes:
                raise FetchError(f"body too large: {length} bytes > max {self.options.max_bytes}", status=status)
            body = self._read_body(response, status=status)
        finally:
            response.close()
        text = decode_body(body, declared=charset) if expect != "sitemap" else None
        return FetchResult(url=url, final_url=final_url, status=status, body=body, text=text,
                           content_type=media or None, validators=validators)

    def _read_body(self, response: requests.Response, *, status: int) -> bytes:
        """Read the streamed body, stopping at max_bytes or at the overall deadline."""
        deadline = time.monotonic() + self.options.timeout_s
        chunks, size = [], 0
        for chunk in response.iter_content(chunk_size=65536):
            size += len(chunk)
            if size > self.options.max_bytes:
                raise FetchError(f"body too large: more than {self.options.max_bytes} bytes", status=status)
            if time.monotonic() > deadline:
                raise FetchError(f"body took longer than {self.options.timeout_s:g}s", status=status)
            chunks.append(chunk)
        return b"".join(chunks)
