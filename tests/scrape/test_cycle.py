"""The whole incremental cycle against the replica site, into a real DuckDB file."""

from __future__ import annotations

import dataclasses
import threading
import time
from datetime import date

import duckdb
import pytest
from conftest import TEST_FETCH_OPTIONS, CountingAnalyze
from scrape_replica import ReplicaServer, sources_toml

from pipeline.errors import StoreLockedError
from pipeline.scrape.canonical import doc_id_for_url
from pipeline.scrape.cycle import CycleOptions, run_cycle
from pipeline.scrape.sources import parse_sources
from pipeline.store.lock import ingest_lock


def rows(db, sql, *params):
    """Run a query on the store and return all rows."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, list(params)).fetchall()
    finally:
        con.close()


@pytest.fixture
def replica_sources(site):
    """The replica's sources (transcript, feed, sitemap, listing)."""
    return parse_sources(sources_toml(site.base), origin="replica")


@pytest.fixture(scope="module")
def stored(analyzer, tmp_path_factory):
    """One cycle with the real analyzer, shared by the read-only tests: (site, db, summary, analyze)."""
    with ReplicaServer() as server:
        sources = parse_sources(sources_toml(server.base), origin="replica")
        db = tmp_path_factory.mktemp("stored") / "store.duckdb"
        analyze = CountingAnalyze(analyzer)
        summary = run_cycle(sources, db=db, analyze=analyze, fetch_options=TEST_FETCH_OPTIONS)
        yield server, db, summary, analyze


@pytest.fixture
def first_run(site, replica_sources, fetch_options, counting, tmp_path):
    """One cycle on a fresh site with a no-op analysis stage, for tests that change the site: (db, summary)."""
    db = tmp_path / "store.duckdb"
    summary = run_cycle(replica_sources, db=db, analyze=counting(), fetch_options=fetch_options)
    return db, summary


def test_first_run_stores_each_document_once(stored):
    """All good pages are stored once; faults are counted as failures; NLP ran on the new documents."""
    site, db, summary, analyze = stored
    urls = sorted(u.replace(site.base, "") for (u,) in rows(db, "SELECT url FROM documents"))
    assert urls == sorted([
        "/transcripts/briefing.html", "/articles/steel-safeguard.html", "/articles/dairy-quota.html",
        "/faults/retry-after", "/faults/flaky", "/articles/lumber-duties.html", "/wire/lumber-duties-copy.html",
        "/articles/changing.html", "/faults/wrong-charset", "/articles/seed-pattern.html",
    ])
    assert summary.ingest.new == 10 and summary.ingest.status == "ok"
    assert sum(analyze.calls) == 10
    counts = {c.source: c for c in summary.sources}
    assert counts["replica-feed"].failed == 1  # robots.txt
    assert counts["replica-sitemap"].failed == 4  # slow, redirect loop, oversize, PDF (the charset page is fine)
    assert counts["replica-listing"].duplicates == 1  # the print copy of the steel story
    assert sum(c.new_documents for c in counts.values()) == 10
    assert counts["replica-briefing"].new_documents == 1
    assert "/private/internal-note.html" not in site.replica.paths()


def test_extractions_and_metadata_are_stored(stored):
    """The analyzer's output and the page metadata reach the store."""
    _, db, _, _ = stored
    (kind, title, published), = rows(db, "SELECT kind, title, published FROM documents WHERE url LIKE '%briefing%'")
    assert kind == "transcript" and title.startswith("Press briefing") and published.year == 2024
    assert rows(db, "SELECT count(*) FROM document_issues")[0][0] > 0  # the spaCy pipeline ran
    assert rows(db, "SELECT count(*) FROM thresholds")[0][0] > 0
    text, = rows(db, "SELECT text FROM documents WHERE url LIKE '%wrong-charset'")[0]
    assert "Genève" in text and "€" in text
    seed, = rows(db, "SELECT text FROM documents WHERE url LIKE '%seed-pattern%'")[0]
    assert "Ottawa and Washington settle dairy quota dispute" not in seed


def test_same_story_under_two_urls(stored):
    """Tracking parameters and rel=canonical collapse URLs; a wire copy is linked as the same story."""
    site, db, _, _ = stored
    assert rows(db, "SELECT count(*) FROM documents WHERE url LIKE '%steel-safeguard%'")[0][0] == 1
    assert rows(db, "SELECT count(*) FROM documents WHERE url LIKE '%dairy-quota%'")[0][0] == 1
    stories = dict(rows(db, "SELECT url, story_id FROM documents WHERE url LIKE '%lumber-duties%'"))
    original = site.base + "/articles/lumber-duties.html"
    assert stories[site.base + "/wire/lumber-duties-copy.html"] == stories[original] == doc_id_for_url(original)
    assert rows(db, "SELECT count(DISTINCT story_id) FROM documents")[0][0] == 9


def test_every_fetch_is_recorded(stored):
    """The fetches table has URL, status, bytes, time and error for every request made."""
    site, db, summary, _ = stored
    recorded = rows(db, "SELECT url, status, bytes, elapsed_ms, error, run_id FROM fetches")
    assert {r[5] for r in recorded} == {summary.ingest.run_id}
    by_url = {r[0].replace(site.base, ""): r for r in recorded}
    assert by_url["/faults/loop"][4].startswith("redirect loop")
    assert by_url["/faults/huge"][4].startswith("body too large")
    assert by_url["/private/internal-note.html"][4] == "refused: disallowed by robots.txt"
    dairy = by_url["/articles/dairy-quota.html?utm_source=rss&utm_medium=feed&mkt_tok=abc123"]
    assert dairy[1] == 200 and dairy[2] > 0 and dairy[3] > 0 and dairy[4] is None
    assert len(recorded) >= 20


def test_rerun_with_nothing_new_does_no_nlp_and_is_fast(site, replica_sources, fetch_options, first_run, counting):
    """An immediate rerun sends conditional GETs, runs no NLP and takes under 2 seconds."""
    db, _ = first_run
    site.replica.requests.clear()
    analyze = counting()
    started = time.monotonic()
    summary = run_cycle(replica_sources, db=db, analyze=analyze, fetch_options=fetch_options)
    elapsed = time.monotonic() - started
    assert analyze.calls == []
    assert elapsed < 2.0, elapsed
    assert summary.ingest.new == 0 and summary.ingest.revised == 0
    assert sum(c.unchanged for c in summary.sources) >= 9
    conditional = {p for p, h in site.replica.requests if "If-None-Match" in h}
    assert {"/articles/changing.html", "/articles/seed-pattern.html", "/faults/flaky"} <= conditional
    # feed and news-sitemap entries dated before the last fetch are not even requested
    assert "/articles/dairy-quota.html" not in site.replica.paths()
    assert "/articles/lumber-duties.html" not in site.replica.paths()
    assert rows(db, "SELECT count(*) FROM documents")[0][0] == 10


def test_changed_page_becomes_a_new_revision(site, replica_sources, fetch_options, first_run, counting):
    """The page that changes between runs is stored as revision 2; nothing else is re-analyzed."""
    db, _ = first_run
    site.replica.version = 2
    analyze = counting()
    summary = run_cycle(replica_sources, db=db, analyze=analyze, fetch_options=fetch_options)
    assert analyze.calls == [1]
    assert summary.ingest.revised == 1 and summary.ingest.new == 0
    assert {c.source: c.new_revisions for c in summary.sources}["replica-sitemap"] == 1
    url = site.base + "/articles/changing.html"
    assert rows(db, "SELECT revision, story_id IS NOT NULL FROM documents WHERE url = ?", url) == [(2, True)]
    texts = [t for (t,) in rows(db, "SELECT r.text FROM document_revisions r JOIN documents d USING (doc_id) "
                                      "WHERE d.url = ? ORDER BY r.revision", url)]
    assert len(texts) == 2 and "Corrected" in texts[1] and "Corrected" not in texts[0]


def test_dry_run_writes_nothing(site, replica_sources, fetch_options, counting, tmp_path):
    """--dry-run fetches and plans but stores no documents, fetches or URL state."""
    db = tmp_path / "dry.duckdb"
    analyze = counting()
    summary = run_cycle(replica_sources, db=db, analyze=analyze, fetch_options=fetch_options,
                        options=CycleOptions(dry_run=True))
    assert analyze.calls == [] and summary.ingest.new == 10
    for table in ("documents", "fetches", "url_state"):
        assert rows(db, f"SELECT count(*) FROM {table}") == [(0,)]


@pytest.mark.parametrize(
    ("since", "expected"),
    [("2024-03-08", {"/articles/changing.html"}),
     ("2024-03-01", {"/articles/lumber-duties.html", "/wire/lumber-duties-copy.html", "/articles/changing.html"})],
)
def test_since_skips_older_documents(site, fetch_options, counting, tmp_path, since, expected):
    """--since drops links whose index date is older; undated links are kept (their date is unknown)."""
    (source,) = parse_sources(sources_toml(site.base, include=("sitemap",)), origin="t")
    source = dataclasses.replace(source, url=site.base + "/sitemap-news.xml")
    db = tmp_path / "since.duckdb"
    run_cycle((source,), db=db, analyze=counting(), fetch_options=fetch_options,
              options=CycleOptions(since=date.fromisoformat(since)))
    assert {u.replace(site.base, "") for (u,) in rows(db, "SELECT url FROM documents")} == expected


def test_max_pages_limits_listing(site, fetch_options, counting, tmp_path):
    """--max-pages 1 reads only the first listing page."""
    sources = parse_sources(sources_toml(site.base, include=("listing",)), origin="t")
    db = tmp_path / "pages.duckdb"
    summary = run_cycle(sources, db=db, analyze=counting(), fetch_options=fetch_options, options=CycleOptions(max_pages=1))
    assert "/news/page2.html" not in site.replica.paths()
    assert summary.sources[0].discovered == 3


def test_second_concurrent_run_fails_fast(site, replica_sources, fetch_options, counting, tmp_path):
    """While another run holds the database's ingest lock, a run fails at once and fetches nothing."""
    db = tmp_path / "locked.duckdb"
    with ingest_lock(db):
        started = time.monotonic()
        with pytest.raises(StoreLockedError, match="another ingest run"):
            run_cycle(replica_sources, db=db, analyze=counting(), fetch_options=fetch_options)
        assert time.monotonic() - started < 1.0
    assert [p for p in site.replica.paths() if not p.startswith("/robots")] == []


def test_stop_event_finishes_the_current_batch(site, fetch_options, counting, tmp_path):
    """A stop request during the run ends it after the batch in progress, which is committed."""
    site.replica.generated = 12
    sources = parse_sources(sources_toml(site.base, include=("generated",)), origin="t")
    stop = threading.Event()

    def analyze_then_stop(documents):
        """Analyze, with a stop request arriving meanwhile."""
        stop.set()  # a SIGTERM arriving while the first batch is being analyzed
        return counting()(documents)

    db = tmp_path / "stop.duckdb"
    summary = run_cycle(sources, db=db, analyze=analyze_then_stop, fetch_options=fetch_options,
                        options=CycleOptions(batch_size=4), stop=stop)
    assert summary.ingest.status == "interrupted"
    assert rows(db, "SELECT count(*) FROM documents") == [(4,)]
    assert rows(db, "SELECT count(*) FROM url_state WHERE doc_id IS NOT NULL") == [(4,)]


def test_run_sources_reads_fetch_settings(site, counting, tmp_path):
    """run_sources (the CLI path) takes allow_hosts and [extra.fetch] from Settings and rejects unknown keys."""
    from pipeline.config import Settings
    from pipeline.errors import ConfigError
    from pipeline.ingest import IngestOptions
    from pipeline.scrape.cycle import run_sources

    sources = tmp_path / "sources.toml"
    sources.write_text(sources_toml(site.base, include=("transcript",)), encoding="utf-8")
    settings = Settings(allow_hosts=("127.0.0.1",), extra={"fetch": {"timeout_s": 2.0}})
    summary = run_sources(sources, db=tmp_path / "s.duckdb", analyze=counting(), options=IngestOptions(), settings=settings)
    assert summary.as_dict()["sources"]["replica-briefing"]["new_documents"] == 1
    with pytest.raises(ConfigError, match="extra.fetch"):
        run_sources(sources, db=tmp_path / "s.duckdb", analyze=counting(), options=IngestOptions(),
                    settings=Settings(allow_hosts=("127.0.0.1",), extra={"fetch": {"speed": 1}}))
    refused = run_sources(sources, db=tmp_path / "t.duckdb", analyze=counting(), options=IngestOptions(), settings=Settings())
    assert refused.as_dict()["sources"]["replica-briefing"]["failed"] == 1  # loopback not allowed by default
