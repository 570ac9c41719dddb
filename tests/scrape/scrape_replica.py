"""A replica trade-news site served on 127.0.0.1 by a threaded http.server, with scripted faults.

Static pages live under ``tests/scrape/site``; ``{BASE}`` in them is replaced by the server's own
address. Fault routes answer 429/500 once, hang, loop, overflow, lie about their charset or type.
A generated section ``/gen/`` holds many small articles for the signal tests.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

SITE = Path(__file__).resolve().parent / "site"
TYPES = {".html": "text/html; charset=utf-8", ".xml": "application/xml", ".txt": "text/plain"}
NO_VALIDATORS = ("/transcripts/",)  # served without ETag, so the scraper must compare text hashes
COMMODITIES = ("steel", "aluminium", "copper", "lumber", "cheese", "wheat", "soybeans", "solar panels",
               "tyres", "salmon", "wine", "cotton")


@dataclass
class Replica:
    """The site's state: which version of the changing page it serves and what it was asked."""

    root: Path = SITE
    version: int = 1
    slow_s: float = 1.0
    huge_bytes: int = 400_000
    generated: int = 0  # number of /gen/ articles listed
    gen_delay_s: float = 0.0  # time each generated article takes to serve
    requests: list[tuple[str, dict]] = field(default_factory=list)
    hits: Counter = field(default_factory=Counter)
    base: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def paths(self) -> list[str]:
        """Return the request paths seen so far, in order."""
        with self.lock:
            return [p for p, _ in self.requests]


def generated_article(k: int) -> str:
    """Return the HTML of generated article number k (distinct text per k)."""
    thing = COMMODITIES[k % len(COMMODITIES)]
    rate = 5 + (k * 7) % 40
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Notice {k} on {thing} duties</title></head><body>"
        f"<main><article><h1>Notice {k} on {thing} duties</h1>"
        f"<p>Notice number {k} sets the duty on imported {thing} at {rate} percent for the coming season, "
        f"after a review that took {k + 3} weeks and drew {k * 11 + 4} written comments.</p>"
        f"<p>The office said item {k} would be reviewed again in {2 + k % 5} years, and that importers of {thing} "
        f"could ask for a refund within {30 + k} days if the final rate turned out lower.</p>"
        f"<p>Comment period {k} closes on day {k % 28 + 1} of next month; reference code GEN-{k:04d}-{thing[:3].upper()}.</p>"
        f"</article></main></body></html>"
    )


class _Handler(BaseHTTPRequestHandler):
    """Serves the replica; the server's ``replica`` attribute holds the state."""

    def log_message(self, format, *args):  # noqa: A002 - silence the default stderr log
        """Do not log each request to stderr."""

    @property
    def replica(self) -> Replica:
        """Return the shared site state."""
        return self.server.replica  # type: ignore[attr-defined]

    def _send(self, status: int, body: bytes = b"", *, content_type: str = "text/html; charset=utf-8",
              headers: dict | None = None, length: bool = True) -> None:
        """Send one response."""
        self.send_response(status)
        if status != 304:
            self.send_header("Content-Type", content_type)
            if length:
                self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if body and status != 304:
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout test)

    def _static(self, path: str, *, replace: dict[str, str] | None = None) -> None:
        """Serve a file of the site, with an ETag (except for NO_VALIDATORS) and conditional GET."""
        name = path.lstrip("/")
        if name.endswith("/") or not name:
            name += "index.html"
        file = (self.replica.root / name).resolve()
        if not file.is_file() or self.replica.root.resolve() not in file.parents:
            self._send(404, b"not found")
            return
        text = file.read_text(encoding="utf-8").replace("{BASE}", self.replica.base)
        for key, value in (replace or {}).items():
            text = text.replace(key, value)
        body = text.encode("utf-8")
        content_type = "application/rss+xml" if file.name == "feed.xml" else TYPES.get(file.suffix, "application/octet-stream")
        headers = {}
        if not path.startswith(NO_VALIDATORS):
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            headers["ETag"] = etag
            if self.headers.get("If-None-Match") == etag:
                self._send(304, headers=headers)
                return
        self._send(200, body, content_type=content_type, headers=headers)

    def do_GET(self):  # noqa: N802 - http.server's naming
        """Route one GET request."""
        replica = self.replica
        path = urlsplit(self.path).path
        with replica.lock:
            replica.requests.append((path, dict(self.headers)))
            replica.hits[path] += 1
            hits = replica.hits[path]
        if path == "/faults/retry-after":
            if hits == 1:
                self._send(429, b"slow down", headers={"Retry-After": "1"})
            else:
                self._static("/faults/retry-after.html")
        elif path == "/faults/flaky":
            if hits == 1:
                self._send(500, b"oops")
            else:
                self._static("/faults/flaky.html")
        elif path == "/faults/slow":
            time.sleep(replica.slow_s)
            self._send(200, b"<html><body><p>too late</p></body></html>")
        elif path == "/faults/loop":
            self._send(302, headers={"Location": "/faults/loop-b"})
        elif path == "/faults/loop-b":
            self._send(302, headers={"Location": "/faults/loop"})
        elif path == "/faults/huge":
            self._send_huge()
        elif path == "/faults/wrong-charset":
            text = (replica.root / "faults" / "wrong-charset.html").read_text(encoding="utf-8")
            self._send(200, text.encode("cp1252"), content_type="text/html; charset=utf-8")
        elif path == "/faults/report.pdf":
            self._send(200, b"%PDF-1.4\n% not a real report\n", content_type="application/pdf")
        elif path == "/articles/changing.html":
            update = ("The first version of this notice set no date for the new rates." if replica.version == 1 else
                      "Corrected: the new rates take effect on the first day of next quarter, not immediately.")
            self._static(path, replace={"{UPDATE}": update})
        elif path == "/gen/":
            links = "".join(f'<li><a href="/gen/a{k}.html">Notice {k}</a></li>' for k in range(replica.generated))
            self._send(200, f"<html><body><ul>{links}</ul></body></html>".encode())
        elif path.startswith("/gen/a") and path.endswith(".html"):
            time.sleep(replica.gen_delay_s)
            self._send(200, generated_article(int(path[len("/gen/a"):-len(".html")])).encode())
        else:
            self._static(path)

    def _send_huge(self) -> None:
        """Stream a page bigger than the scraper's limit, without Content-Length."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        chunk = b"<p>" + b"filler text " * 800 + b"</p>\n"
        sent = 0
        try:
            self.wfile.write(b"<html><body>")
            while sent < self.replica.huge_bytes:
                self.wfile.write(chunk)
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading at its limit, as it should


class ReplicaServer:
    """Run a Replica on 127.0.0.1 in a background thread."""

    def __init__(self, replica: Replica | None = None) -> None:
        """Bind to a free port."""
        self.replica = replica or Replica()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.replica = self.replica  # type: ignore[attr-defined]
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.replica.base = self.base
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> ReplicaServer:
        """Start serving."""
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        """Stop serving."""
        self.httpd.shutdown()
        self.httpd.server_close()


def sources_toml(base: str, *, include: tuple[str, ...] = ("transcript", "feed", "sitemap", "listing"), rate: float = 100) -> str:
    """Return a sources file describing the replica (the same shape as the shipped sources.toml)."""
    blocks = {
        "feed": f'[[source]]\nname = "replica-feed"\nkind = "feed"\nurl = "{base}/feed.xml"\ndocument_kind = "release"\nrate = {rate}\n',
        "sitemap": f'[[source]]\nname = "replica-sitemap"\nkind = "sitemap"\nurl = "{base}/sitemap_index.xml"\nrate = {rate}\nmax_pages = 5\n',
        "listing": (f'[[source]]\nname = "replica-listing"\nkind = "listing"\nurl = "{base}/news/"\n'
                    f'link_pattern = "/(articles|print)/"\nrate = {rate}\nmax_pages = 3\n'),
        "transcript": (f'[[source]]\nname = "replica-briefing"\nkind = "url"\nurl = "{base}/transcripts/briefing.html"\n'
                       f'document_kind = "transcript"\nrate = {rate}\n'),
        "generated": (f'[[source]]\nname = "replica-generated"\nkind = "listing"\nurl = "{base}/gen/"\n'
                      f'link_pattern = "/gen/a[0-9]+[.]html$"\nrate = {rate}\nmax_pages = 1\n'),
    }
    return "\n".join(blocks[name] for name in include)
