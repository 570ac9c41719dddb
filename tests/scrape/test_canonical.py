"""Canonical URLs and doc ids."""

from __future__ import annotations

import pytest

from pipeline.scrape.canonical import canonicalize_url, doc_id_for_url, resolve_canonical


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://Example.org/a?utm_source=x&utm_medium=y", "https://example.org/a"),
        ("https://example.org/a?id=3&mkt_tok=abc&fbclid=zz#comments", "https://example.org/a?id=3"),
        ("http://example.org:80/a", "http://example.org/a"),
        ("https://example.org:8443/a?gclid=1", "https://example.org:8443/a"),
        ("https://example.org", "https://example.org/"),
        ("https://example.org/a?page=2&utm_campaign=c", "https://example.org/a?page=2"),
    ],
)
def test_tracking_parameters_are_stripped(url, expected):
    """utm_*, mkt_tok, fbclid, gclid, fragments and default ports never make a new document."""
    assert canonicalize_url(url) == expected


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("/story?utm_source=a", "https://example.org/story"),
        ("https://example.org/other", "https://example.org/other"),
        ("javascript:void(0)", "https://example.org/print/story"),
        (None, "https://example.org/print/story"),
    ],
)
def test_rel_canonical_is_followed_when_usable(href, expected):
    """A usable rel=canonical wins over the page URL; junk is ignored."""
    assert resolve_canonical("https://example.org/print/story?fbclid=1", href) == expected


def test_doc_id_is_stable_and_distinct():
    """The doc id depends only on the canonical URL."""
    a = doc_id_for_url("https://example.org/a")
    assert a == doc_id_for_url("https://example.org/a") != doc_id_for_url("https://example.org/b")
    assert a.startswith("web:")
