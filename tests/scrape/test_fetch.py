"""The polite fetcher against the replica's fault routes (real HTTP on 127.0.0.1)."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import pytest

from pipeline.scrape.fetch import Fetcher, FetchOptions, Validators, decode_body, parse_retry_after

SITE = Path(__file__).resolve().parent / "site"


@pytest.mark.parametrize(
    ("path", "expect", "error"),
    [
        ("/private/internal-note.html", "html", "disallowed by robots.txt"),
        ("/faults/slow", "html", "timed out"),
        ("/faults/loop", "html", "redirect loop"),
        ("/faults/huge", "html", "body too large"),
        ("/faults/report.pdf", "html", "unsupported content type 'application/pdf'"),
        ("/no-such-page.html", "html", "HTTP 404"),
    ],
)
def test_faults_become_recorded_errors(site, fetch_options, path, expect, error):
    """Each fault ends in a result with an error and a fetch record, never an exception."""
    with Fetcher(options=fetch_options) as fetcher:
        result = fetcher.fetch_url(site.base + path, source="t", rate=50, expect=expect)
    assert not result.ok
    assert error in result.error
    assert result.record.error == result.error and result.record.url == site.base + path
    assert result.record.elapsed_ms >= 0


def test_robots_disallowed_page_is_never_requested(site, fetch_options):
    """The disallowed path is refused before any request to it."""
    with Fetcher(options=fetch_options) as fetcher:
        fetcher.fetch_url(site.base + "/private/internal-note.html", rate=50)
    assert "/robots.txt" in site.replica.paths()
    assert "/private/internal-note.html" not in site.replica.paths()


@pytest.mark.parametrize(("path", "first_status", "min_wait"), [("/faults/retry-after", 429, 1.0), ("/faults/flaky", 500, 0.0)])
def test_retry_after_429_and_500_then_200(site, fetch_options, path, first_status, min_wait):
    """429 waits the Retry-After seconds, 500 backs off; both then succeed on the retry."""
    with Fetcher(options=fetch_options) as fetcher:
        started = time.monotonic()
        result = fetcher.fetch_url(site.base + path, rate=50)
        waited = time.monotonic() - started
    assert result.ok, result.error
    assert site.replica.hits[path] == 2
    assert waited >= min_wait
    assert "Statement" in (result.text or "") or "Readout" in (result.text or "")


def test_retry_gives_up_after_the_configured_attempts(site, fetch_options):
    """With no retries allowed the first 500 is final and recorded with its status."""
    options = dataclasses.replace(fetch_options, retries=0)
    with Fetcher(options=options) as fetcher:
        result = fetcher.fetch_url(site.base + "/faults/flaky", rate=50)
    assert result.status == 500 and "HTTP 500" in result.error


def test_wrong_charset_is_detected(site, fetch_options):
    """A windows-1252 page declared as UTF-8 is decoded correctly."""
    with Fetcher(options=fetch_options) as fetcher:
        result = fetcher.fetch_url(site.base + "/faults/wrong-charset", rate=50)
    expected = (SITE / "faults" / "wrong-charset.html").read_text(encoding="utf-8")
    assert result.ok
    assert result.text == expected
    assert "Genève" in result.text and "€" in result.text


@pytest.mark.parametrize(
    ("text", "encoding", "declared"),
    [("Déjà vu — “quoted” €5", "cp1252", "utf-8"), ("Déjà vu", "utf-8", "iso-8859-1"), ("Пошлины на сталь выросли до 25 процентов.", "cp1251", None)],
)
def test_decode_body(text, encoding, declared):
    """Valid UTF-8 wins over a wrong declaration; otherwise detection recovers the text."""
    assert decode_body(text.encode(encoding), declared=declared) == text


def test_conditional_get_gives_304(site, fetch_options):
    """A second fetch with the ETag is answered 304 and reported as unchanged."""
    url = site.base + "/articles/dairy-quota.html"
    with Fetcher(options=fetch_options) as fetcher:
        first = fetcher.fetch_url(url, rate=50)
        second = fetcher.fetch_url(url, rate=50, validators=first.validators)
    assert first.ok and first.validators.etag
    assert second.unchanged and second.status == 304 and second.body == b""
    assert site.replica.requests[-1][1].get("If-None-Match") == first.validators.etag


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/x", "file:///etc/passwd"])
def test_only_http_and_https(fetch_options, url):
    """Other schemes are refused."""
    with Fetcher(options=fetch_options) as fetcher:
        result = fetcher.fetch_url(url)
    assert "only http and https" in result.error


def test_loopback_refused_unless_allowed(site, fetch_options):
    """127.0.0.1 is refused by default and fetched once allowed in the config."""
    with Fetcher(options=dataclasses.replace(fetch_options, allow_hosts=())) as fetcher:
        refused = fetcher.fetch_url(site.base + "/articles/dairy-quota.html", rate=50)
    assert "private, loopback or reserved" in refused.error and "allow_hosts" in refused.error
    assert site.replica.paths() == []
    with Fetcher(options=fetch_options) as fetcher:
        assert fetcher.fetch_url(site.base + "/articles/dairy-quota.html", rate=50).ok


def test_per_host_rate_limit_spaces_requests(site, fetch_options):
    """At 5 requests per second, robots.txt plus three pages take at least 0.6 s."""
    with Fetcher(options=fetch_options) as fetcher:
        started = time.monotonic()
        for _ in range(3):
            assert fetcher.fetch_url(site.base + "/articles/dairy-quota.html", rate=5).ok
        assert time.monotonic() - started >= 0.55


def test_user_agent_is_sent(site, fetch_options):
    """Every request carries the configured User-Agent."""
    with Fetcher(options=fetch_options) as fetcher:
        fetcher.fetch_url(site.base + "/articles/dairy-quota.html", rate=50)
    assert {headers.get("User-Agent") for _, headers in site.replica.requests} == {"tradestance-tests/0.1"}


@pytest.mark.parametrize(("value", "expected"), [("3", 3.0), (None, None), ("soon", None), ("Wed, 21 Oct 2015 07:28:05 GMT", 5.0)])
def test_parse_retry_after(value, expected):
    """Retry-After is read as seconds or as an HTTP date relative to now."""
    now = 1445412480.0  # 2015-10-21 07:28:00 UTC
    assert parse_retry_after(value, now=now) == expected


def test_retry_after_longer_than_max_wait_gives_up(site, fetch_options):
    """A server asking for a longer wait than max_wait_s is not waited for."""
    options = dataclasses.replace(fetch_options, max_wait_s=0.5)
    with Fetcher(options=options) as fetcher:
        started = time.monotonic()
        result = fetcher.fetch_url(site.base + "/faults/retry-after", rate=50)
    assert result.status == 429 and "try again later" in result.error
    assert time.monotonic() - started < 1.0


def test_validators_round_trip():
    """Validators are a frozen record."""
    with pytest.raises(dataclasses.FrozenInstanceError):
        Validators(etag="x").etag = "y"  # type: ignore[misc]
    assert FetchOptions().max_redirects == 5
