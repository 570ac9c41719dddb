"""Discovery from feeds, sitemap indexes, news sitemaps and paginated listings."""

from __future__ import annotations

import gzip
from datetime import datetime

import pytest

from pipeline.scrape.discover import fetch_discovered, parse_listing, parse_sitemap
from pipeline.scrape.fetch import Fetcher
from pipeline.scrape.sources import Source


def paths(discovery, base):
    """Return the discovered URLs relative to the replica."""
    return [link.url.replace(base, "") for link in discovery.links]


@pytest.mark.parametrize(
    ("kind", "url", "pattern", "expected"),
    [
        ("feed", "/feed.xml", None, ["/articles/steel-safeguard.html",
                                     "/articles/dairy-quota.html?utm_source=rss&utm_medium=feed&mkt_tok=abc123",
                                     "/private/internal-note.html", "/faults/retry-after", "/faults/flaky"]),
        ("sitemap", "/sitemap_index.xml", None, ["/articles/lumber-duties.html", "/wire/lumber-duties-copy.html",
                                                 "/articles/changing.html", "/transcripts/briefing.html", "/faults/slow",
                                                 "/faults/loop", "/faults/huge", "/faults/wrong-charset", "/faults/report.pdf"]),
        ("listing", "/news/", "/(articles|print)/", ["/articles/steel-safeguard.html", "/print/steel-safeguard.html",
                                                    "/articles/seed-pattern.html", "/articles/dairy-quota.html"]),
        ("url", "/transcripts/briefing.html", None, ["/transcripts/briefing.html"]),
        ("feed", "/feed.xml", "/articles/", ["/articles/steel-safeguard.html",
                                             "/articles/dairy-quota.html?utm_source=rss&utm_medium=feed&mkt_tok=abc123"]),
    ],
)
def test_discovery_by_kind(site, fetch_options, kind, url, pattern, expected):
    """Each source kind yields its document links in order, without duplicates or navigation links."""
    source = Source(name="s", kind=kind, url=site.base + url, link_pattern=pattern, rate=50)
    with Fetcher(options=fetch_options) as fetcher:
        discovery = fetch_discovered(source, fetcher=fetcher)
    assert paths(discovery, site.base) == expected
    assert discovery.failed == 0


def test_listing_follows_pagination_up_to_max_pages(site, fetch_options):
    """max_pages=1 stops before page 2."""
    source = Source(name="s", kind="listing", url=site.base + "/news/", link_pattern="/articles/", rate=50)
    with Fetcher(options=fetch_options) as fetcher:
        one = fetch_discovered(source, fetcher=fetcher, max_pages=1)
    assert "/articles/dairy-quota.html" not in paths(one, site.base)
    assert "/news/page2.html" not in site.replica.paths()


def test_news_sitemap_dates_and_titles(site, fetch_options):
    """News sitemap entries carry their publication date and title."""
    source = Source(name="s", kind="sitemap", url=site.base + "/sitemap-news.xml", rate=50)
    with Fetcher(options=fetch_options) as fetcher:
        links = fetch_discovered(source, fetcher=fetcher).links
    assert links[0].published == datetime(2024, 3, 7, 8, 0)
    assert links[0].title == "Lumber duties raised after annual review"


def test_gzipped_sitemap_and_index():
    """A gzip sitemap index lists its children; entities are not expanded."""
    xml = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
           b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
           b"<sitemap><loc>https://e.org/a.xml</loc></sitemap><sitemap><loc>https://e.org/b.xml.gz</loc></sitemap></sitemapindex>")
    page = parse_sitemap(gzip.compress(xml), base_url="https://e.org/")
    assert page.children == ("https://e.org/a.xml", "https://e.org/b.xml.gz") and page.links == ()


def test_failed_index_is_counted(site, fetch_options):
    """A feed that cannot be fetched counts as a failure and yields nothing."""
    source = Source(name="s", kind="feed", url=site.base + "/missing-feed.xml", rate=50)
    with Fetcher(options=fetch_options) as fetcher:
        discovery = fetch_discovered(source, fetcher=fetcher)
    assert discovery.links == () and discovery.failed == 1 and discovery.records[0].status == 404


def test_listing_next_link_by_text():
    """Without rel=next, a link labelled 'Next' is the next page."""
    source = Source(name="s", kind="listing", url="https://e.org/list", link_pattern="/doc/")
    html = '<a href="/doc/1">One</a> <a href="/doc/2">Two</a> <a href="/list?page=2">Next ›</a>'
    page = parse_listing(html, base_url="https://e.org/list", source=source)
    assert [link.url for link in page.links] == ["https://e.org/doc/1", "https://e.org/doc/2"]
    assert page.next_url == "https://e.org/list?page=2"
