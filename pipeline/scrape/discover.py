"""Discovery: turn a source (feed, sitemap, listing, url) into candidate document links.

The ``parse_*`` functions are pure (bytes or text in, records out); ``fetch_discovered`` is the
network edge that fetches feed, sitemap or listing pages through the Fetcher.
"""

from __future__ import annotations

import gzip
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timezone
from urllib.parse import urljoin, urlsplit

import feedparser
from bs4 import BeautifulSoup
from lxml import etree

from pipeline.scrape.canonical import canonicalize_url
from pipeline.scrape.fetch import FetchRecord, FetchResult, Fetcher
from pipeline.scrape.sources import Source

log = logging.getLogger(__name__)

MAX_SITEMAP_BYTES = 50_000_000  # the sitemap protocol's own limit for an uncompressed file
NEXT_TEXT = re.compile(r"^\s*(next|older|more|›|»|next page|next ›|next »|>)\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Link:
    """A candidate document URL with what the index page said about it."""

    url: str
    title: str | None = None
    published: datetime | None = None  # publication or last-modified time, when the index gives one


@dataclass(frozen=True, slots=True)
class SitemapPage:
    """One parsed sitemap file: document links, and child sitemaps if it is an index."""

    links: tuple[Link, ...] = ()
    children: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ListingPage:
    """One parsed listing page: matching document links and the next page, if any."""

    links: tuple[Link, ...] = ()
    next_url: str | None = None


@dataclass(frozen=True, slots=True)
class Discovery:
    """What discovering one source produced: links, the fetches it made, and failures."""

    source: str
    links: tuple[Link, ...]
    records: tuple[FetchRecord, ...]
    failed: int = 0


def _parse_when(value: str | None) -> datetime | None:
    """Parse a W3C/ISO date or datetime as naive UTC; None when absent or malformed."""
    if not value:
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        when = datetime.fromisoformat(text) if "T" in text or " " in text else datetime.combine(date.fromisoformat(text[:10]), datetime.min.time())
    except ValueError:
        return None
    return when.astimezone(timezone.utc).replace(tzinfo=None) if when.tzinfo else when


def parse_feed(content: bytes, *, base_url: str) -> tuple[Link, ...]:
    """Return the entry links of an RSS or Atom feed."""
    parsed = feedparser.parse(content)
    links = []
    for entry in parsed.entries:
        href = entry.get("link")
        if not href:
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        published = datetime(*stamp[:6]) if stamp else None
        links.append(Link(url=urljoin(base_url, href), title=entry.get("title"), published=published))
    return tuple(links)


def _local(tag: object) -> str:
    """Return an XML tag name without its namespace."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def parse_sitemap(content: bytes, *, base_url: str) -> SitemapPage:
    """Parse a sitemap, sitemap index or news sitemap (plain or gzip) without resolving entities."""
    if content[:2] == b"\x1f\x8b":
        content = gzip.decompress(content)[:MAX_SITEMAP_BYTES]
    parser = etree.XMLParser(resolve_entities=False, no_network=True, recover=True, huge_tree=False)
    root = etree.fromstring(content, parser=parser)
    if root is None:
        return SitemapPage()
    links, children = [], []
    for node in root:
        name = _local(node.tag)
        fields = {}
        for child in node.iter():
            key = _local(child.tag)
            if key in ("loc", "lastmod", "publication_date", "title") and child.text and key not in fields:
                fields[key] = child.text.strip()
        loc = fields.get("loc")
        if not loc:
            continue
        url = urljoin(base_url, loc)
        if _local(root.tag) == "sitemapindex" or name == "sitemap":
            children.append(url)
        elif name == "url":
            when = _parse_when(fields.get("publication_date")) or _parse_when(fields.get("lastmod"))
            links.append(Link(url=url, title=fields.get("title"), published=when))
    return SitemapPage(links=tuple(links), children=tuple(children))


def parse_listing(html: str, *, base_url: str, source: Source) -> ListingPage:
    """Return links matching the source's link_pattern, and the next page (rel=next or a 'Next' link)."""
    soup = BeautifulSoup(html, "lxml")
    links, seen = [], set()
    next_url = None
    for anchor in soup.find_all("a", href=True):
        url = urljoin(base_url, anchor["href"].strip())
        if urlsplit(url).scheme not in ("http", "https"):
            continue
        rel = [r.lower() for r in (anchor.get("rel") or [])]
        if next_url is None and ("next" in rel or NEXT_TEXT.match(anchor.get_text(" ") or "")):
            next_url = url
            continue
        key = canonicalize_url(url)
        if source.matches(url) and key not in seen:
            seen.add(key)
            title = " ".join(anchor.get_text(" ").split()) or None
            links.append(Link(url=url, title=title))
    if next_url is None:
        link = soup.find("link", rel="next", href=True)
        next_url = urljoin(base_url, link["href"]) if link else None
    return ListingPage(links=tuple(links), next_url=next_url)


def _pages(source: Source, *, max_pages: int | None) -> int:
    """Return how many index pages to follow for a source this run."""
    return min(source.max_pages, max_pages) if max_pages else source.max_pages


def fetch_discovered(source: Source, *, fetcher: Fetcher, max_pages: int | None = None,
                     stop: Callable[[], bool] = lambda: False) -> Discovery:
    """Fetch a source's index pages and return its candidate links (deduplicated, in order)."""
    records: list[FetchRecord] = []
    failed = 0

    def get(url: str, expect: str) -> FetchResult | None:
        """Fetch one index page, recording it; None (and a failure) when it is unusable."""
        nonlocal failed
        result = fetcher.fetch_url(url, source=source.name, rate=source.rate, expect=expect)
        records.append(result.record)
        if not result.ok:
            failed += 1
            return None
        return result

    links: list[Link] = []
    if source.kind == "url":
        links.append(Link(url=source.url))
    elif source.kind == "feed":
        result = get(source.url, "feed")
        if result is not None:
            links.extend(link for link in parse_feed(result.body, base_url=result.final_url) if source.matches(link.url))
    elif source.kind == "sitemap":
        queue, seen, budget = [source.url], set(), _pages(source, max_pages=max_pages)
        while queue and budget > 0 and not stop():
            url = queue.pop(0)
            if url in seen:
                continue
            seen.add(url)
            budget -= 1
            result = get(url, "sitemap")
            if result is None:
                continue
            try:
                page = parse_sitemap(result.body, base_url=result.final_url)
            except (etree.XMLSyntaxError, OSError, EOFError) as e:
                log.warning("%s: sitemap %s is not valid XML: %s", source.name, url, e)
                failed += 1
                continue
            queue.extend(page.children)
            links.extend(link for link in page.links if source.matches(link.url))
    elif source.kind == "listing":
        url, seen = source.url, set()
        for _ in range(_pages(source, max_pages=max_pages)):
            if url is None or url in seen or stop():
                break
            seen.add(url)
            result = get(url, "html")
            if result is None:
                break
            page = parse_listing(result.text or "", base_url=result.final_url, source=source)
            links.extend(page.links)
            url = page.next_url
    unique = list({canonicalize_url(link.url): link for link in reversed(links)}.values())[::-1]
    log.info("%s: discovered %d links (%d index fetches, %d failed)", source.name, len(unique), len(records), failed)
    return Discovery(source=source.name, links=tuple(unique), records=tuple(records), failed=failed)
