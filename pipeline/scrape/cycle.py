"""The incremental scrape cycle: discover -> fetch what is new or changed -> parse -> ingest.

Documents are handed to :func:`pipeline.ingest.ingest_documents` as a lazy stream, so discovery and
fetching run while the per-database ingest lock is held, and a stop request (SIGTERM) ends the
stream after the current batch. After each stored batch, the scraper's own rows (fetch log, URL
validators, story ids) are written in one short transaction.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from pipeline.ingest import Analyze, IngestOptions, IngestSummary, ingest_documents
from pipeline.scrape.canonical import canonicalize_url, doc_id_for_url
from pipeline.scrape.dedup import Signature, StoryIndex
from pipeline.scrape.discover import Link, fetch_discovered
from pipeline.scrape.fetch import FetchOptions, FetchRecord, FetchResult, Fetcher, Validators
from pipeline.scrape.parse import parse_html
from pipeline.scrape.sources import Source
from pipeline.scrape.state import ScrapeBatch, ScrapeState, UrlState, read_scrape_state, save_scrape_batch, save_scrape_rows
from pipeline.types import Document

log = logging.getLogger(__name__)

COUNT_FIELDS = ("discovered", "fetched", "unchanged", "failed", "duplicates", "new_documents", "new_revisions")


@dataclass(frozen=True, slots=True)
class CycleOptions:
    """Limits of one cycle run (the ``tradestance ingest`` flags)."""

    max_pages: int | None = None
    since: date | None = None
    dry_run: bool = False
    batch_size: int = 16
    lock_timeout_s: float = 10.0
    limit: int | None = None


@dataclass(frozen=True, slots=True)
class SourceCounts:
    """What the cycle did for one source."""

    source: str
    discovered: int = 0
    fetched: int = 0
    unchanged: int = 0
    failed: int = 0
    duplicates: int = 0
    new_documents: int = 0
    new_revisions: int = 0

    def as_dict(self) -> dict:
        """Return the counts as a JSON-ready dict."""
        return {name: getattr(self, name) for name in COUNT_FIELDS}


@dataclass(frozen=True, slots=True)
class CycleSummary:
    """The ingest summary plus per-source scrape counts; printed as the JSON summary line."""

    ingest: IngestSummary
    sources: tuple[SourceCounts, ...]

    def as_dict(self) -> dict:
        """Return the summary as a JSON-ready dict."""
        out = self.ingest.as_dict()
        out["sources"] = {counts.source: counts.as_dict() for counts in self.sources}
        return out


@dataclass(frozen=True, slots=True)
class _Pending:
    """A document handed to ingest whose scraper rows are written once its batch is stored."""

    document: Document
    source: str
    action: str  # new | revised
    url_states: tuple[UrlState, ...]
    signature: Signature


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A discovered link to fetch, with what the store knows about it."""

    link: Link
    url: str  # canonical form of the discovered URL
    known: UrlState | None


def fetch_options_from_settings(settings, **overrides) -> FetchOptions:
    """Build fetch options from pipeline Settings (user_agent, allow_hosts) plus overrides."""
    return replace(FetchOptions(user_agent=settings.user_agent, allow_hosts=tuple(settings.allow_hosts)), **overrides)


def _now() -> datetime:
    """Return the current time as naive UTC (the store's convention)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _same_host(a: str, b: str) -> bool:
    """Tell whether two URLs have the same host (rel=canonical is only trusted within a host)."""
    return urlsplit(a).hostname == urlsplit(b).hostname


class _Cycle:
    """The mutable bookkeeping of one run; lives only inside :func:`run_cycle`."""

    def __init__(self, sources: Sequence[Source], *, db, fetcher: Fetcher, options: CycleOptions,
                 stop: threading.Event) -> None:
        """Set up empty tallies; nothing is read or fetched yet."""
        self.sources, self.db, self.fetcher, self.options, self.stop = sources, db, fetcher, options, stop
        self.cycle_id = uuid.uuid4().hex[:12]  # also the ingest run id, so fetch records join ingest_runs
        self.tally = {s.name: dict.fromkeys(COUNT_FIELDS, 0) for s in sources}
        self.records: list[FetchRecord] = []
        self.states: list[UrlState] = []
        self.pending: list[_Pending] = []
        self.lock = threading.Lock()
        self.seen_urls: set[str] = set()
        self.seen_docs: set[str] = set()

    # -- the document stream (runs inside ingest_documents, under the ingest lock) ---------------

    def documents(self) -> Iterator[Document]:
        """Yield new and changed documents of all sources, in source order."""
        state = self._read_state()
        stories = StoryIndex(state.signatures)
        with ThreadPoolExecutor(max_workers=max(1, self.fetcher.options.concurrency)) as pool:
            for source in self.sources:
                if self.stop.is_set():
                    break
                for candidates in self._chunks(self._candidates(source, state)):
                    if self.stop.is_set():
                        break
                    results = list(pool.map(lambda c: self._fetch(c, source), candidates))
                    for candidate, result in zip(candidates, results):
                        document = self._handle(source, candidate, result, state=state, stories=stories)
                        if document is not None:
                            yield document

    def _read_state(self) -> ScrapeState:
        """Read the scraper state, or start empty for a dry run against a missing database."""
        if self.options.dry_run and (str(self.db) == ":memory:" or not Path(self.db).exists()):
            return ScrapeState(urls={}, doc_sha={}, sha_doc={}, signatures=())
        return read_scrape_state(self.db, timeout_s=self.options.lock_timeout_s)

    def _chunks(self, candidates: list[_Candidate]) -> Iterator[list[_Candidate]]:
        """Split candidates into fetch rounds of one batch each, so a stop request is honoured soon."""
        size = max(1, self.options.batch_size)
        for start in range(0, len(candidates), size):
            yield candidates[start:start + size]

    def _candidates(self, source: Source, state: ScrapeState) -> list[_Candidate]:
        """Discover a source's links and keep those that may be new or changed."""
        discovery = fetch_discovered(source, fetcher=self.fetcher, max_pages=self.options.max_pages,
                                     stop=self.stop.is_set)
        tally = self.tally[source.name]
        with self.lock:
            self.records.extend(discovery.records)
        tally["discovered"] += len(discovery.links)
        tally["failed"] += discovery.failed
        since = datetime.combine(self.options.since, datetime.min.time()) if self.options.since else None
        out = []
        for link in discovery.links:
            url = canonicalize_url(link.url)
            if url in self.seen_urls:
                continue
            self.seen_urls.add(url)
            if since and link.published and link.published < since:
                continue
            known = state.urls.get(url)
            if (known and known.doc_id and known.last_fetched and link.published
                    and link.published <= known.last_fetched and known.last_status in (200, 304)):
                tally["unchanged"] += 1  # the index says it has not changed since we last fetched it
                continue
            out.append(_Candidate(link=link, url=url, known=known))
        return out

    def _fetch(self, candidate: _Candidate, source: Source) -> FetchResult:
        """Fetch one candidate with a conditional GET when validators are known."""
        known = candidate.known
        validators = Validators(etag=known.etag, last_modified=known.last_modified) if known and known.doc_id else None
        return self.fetcher.fetch_url(candidate.link.url, source=source.name, rate=source.rate, validators=validators)

    def _handle(self, source: Source, candidate: _Candidate, result: FetchResult, *, state: ScrapeState,
                stories: StoryIndex) -> Document | None:
        """Turn one fetch result into a document to ingest, or count why not."""
        tally, known, now = self.tally[source.name], candidate.known, _now()
        with self.lock:
            self.records.append(result.record)
        if result.unchanged:
            tally["unchanged"] += 1
            base = known or UrlState(url=candidate.url, source=source.name)
            self.states.append(replace(base, last_status=304, last_fetched=now))
            return None
        if not result.ok:
            tally["failed"] += 1
            base = known or UrlState(url=candidate.url, source=source.name)
            self.states.append(replace(base, last_status=result.status, last_fetched=now))
            return None
        tally["fetched"] += 1
        page = parse_html(result.text or "", url=result.final_url)
        canonical = page.canonical_url if page.canonical_url and _same_host(page.canonical_url, result.final_url) \
            else canonicalize_url(result.final_url)
        if not page.text.strip():
            tally["failed"] += 1
            log.warning("%s: no main text found in %s", source.name, result.final_url)
            self.states.append(UrlState(url=candidate.url, source=source.name, last_status=result.status, last_fetched=now))
            return None
        published = page.published or (candidate.link.published.date() if candidate.link.published else None)
        if self.options.since and published and published < self.options.since:
            log.debug("%s: %s published %s, before --since; not stored", source.name, canonical, published)
            self.states.append(UrlState(url=candidate.url, source=source.name, last_status=result.status, last_fetched=now))
            return None
        document = Document(
            doc_id=doc_id_for_url(canonical), text=page.text, title=page.title or candidate.link.title,
            published=published, source=source.name, url=canonical, kind=source.document_kind, fetched_at=now,
        )
        urls = dict.fromkeys([candidate.url, canonical])
        holder = state.sha_doc.get(document.sha256)
        states = tuple(
            UrlState(url=u, source=source.name, etag=result.validators.etag, last_modified=result.validators.last_modified,
                     sha256=document.sha256, doc_id=holder or document.doc_id, last_status=200, last_fetched=now)
            for u in urls
        )
        if (holder and holder != document.doc_id) or document.doc_id in self.seen_docs:
            tally["duplicates"] += 1  # identical text or the same canonical page under another URL: stored once
            self.states.extend(states)
            return None
        self.seen_docs.add(document.doc_id)
        if state.doc_sha.get(document.doc_id) == document.sha256:
            tally["unchanged"] += 1  # fetched again (no validators) but the text is the same
            self.states.extend(states)
            return None
        action = "revised" if document.doc_id in state.doc_sha else "new"
        state.sha_doc[document.sha256] = document.doc_id
        signature = stories.assign(document.doc_id, document.text)
        self.pending.append(_Pending(document=document, source=source.name, action=action, url_states=states,
                                     signature=signature))
        return document

    # -- writing (after each stored batch) ------------------------------------------------------

    def save_with_batch(self, con, count: int) -> None:
        """Inside the ingest batch's transaction: store the scraper rows of its ``count`` documents."""
        save_scrape_rows(con, self.take(pending=count), run_id=self.cycle_id)

    def take(self, *, pending: int) -> ScrapeBatch:
        """Remove and return the rows of the first ``pending`` stored documents and all other rows."""
        done, self.pending = self.pending[:pending], self.pending[pending:]
        with self.lock:
            records, self.records = self.records, []
        states, self.states = self.states, []
        for item in done:
            key = "new_documents" if item.action == "new" else "new_revisions"
            self.tally[item.source][key] += 1
        return ScrapeBatch(
            records=tuple(records),
            url_states=tuple(states) + tuple(s for item in done for s in item.url_states),
            signatures=tuple(item.signature for item in done),
        )

    def counts(self) -> tuple[SourceCounts, ...]:
        """Return the frozen per-source counts."""
        return tuple(SourceCounts(source=name, **values) for name, values in self.tally.items())


def run_cycle(
    sources: Sequence[Source],
    *,
    db: Path | str,
    analyze: Analyze,
    fetch_options: FetchOptions = FetchOptions(),
    options: CycleOptions = CycleOptions(),
    stop: threading.Event | None = None,
) -> CycleSummary:
    """Run one incremental cycle over the sources and return what it did."""
    stop = stop or threading.Event()
    with Fetcher(options=fetch_options) as fetcher:
        cycle = _Cycle(sources, db=db, fetcher=fetcher, options=options, stop=stop)
        ingest_options = IngestOptions(batch_size=options.batch_size, dry_run=options.dry_run,
                                       lock_timeout_s=options.lock_timeout_s, limit=options.limit, plan_batches=1)
        summary = ingest_documents(
            cycle.documents(), db=db, analyze=analyze, options=ingest_options, command="ingest --sources",
            stop=stop, run_id=cycle.cycle_id, on_save=None if options.dry_run else cycle.save_with_batch,
        )
        if not options.dry_run:
            save_scrape_batch(db, cycle.take(pending=0), run_id=summary.run_id, timeout_s=options.lock_timeout_s)
    result = CycleSummary(ingest=summary, sources=cycle.counts())
    log.info("cycle done: %s", {c.source: c.as_dict() for c in result.sources})
    return result


def run_sources(
    sources_file: Path | str,
    *,
    db: Path | str,
    analyze: Analyze,
    options: IngestOptions,
    settings,
    max_pages: int | None = None,
    since: date | None = None,
    stop: threading.Event | None = None,
) -> CycleSummary:
    """Run one cycle over a sources file with CLI options (the ``tradestance ingest --sources`` path).

    Fetch limits come from Settings: ``user_agent``, ``allow_hosts`` and, optionally, an
    ``[extra.fetch]`` table whose keys are FetchOptions fields (e.g. ``timeout_s``, ``max_bytes``).
    """
    from pipeline.errors import ConfigError
    from pipeline.scrape.sources import read_sources

    sources = read_sources(sources_file)
    overrides = dict((settings.extra or {}).get("fetch", {}))
    try:
        fetch_options = fetch_options_from_settings(settings, **overrides)
    except TypeError as e:
        raise ConfigError(f"[extra.fetch]: {e}; allowed keys are the FetchOptions fields") from e
    cycle_options = CycleOptions(max_pages=max_pages, since=since, dry_run=options.dry_run,
                                 batch_size=options.batch_size, lock_timeout_s=options.lock_timeout_s, limit=options.limit)
    return run_cycle(sources, db=db, analyze=analyze, fetch_options=fetch_options, options=cycle_options, stop=stop)
