"""Scraper state in the store: url_state, fetches and story signatures (short reads and writes)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from pipeline.scrape.dedup import Signature
from pipeline.scrape.fetch import FetchRecord
from pipeline.store.db import transaction, writing

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class UrlState:
    """What the last run learnt about one canonical URL."""

    url: str
    source: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    sha256: str | None = None
    doc_id: str | None = None
    last_status: int | None = None
    last_fetched: datetime | None = None


@dataclass(frozen=True, slots=True)
class ScrapeState:
    """Everything a cycle needs to know before fetching: URL validators, stored hashes, signatures."""

    urls: dict[str, UrlState]
    doc_sha: dict[str, str]  # doc_id -> sha256 of its current revision
    sha_doc: dict[str, str]  # sha256 -> doc_id holding that exact text
    signatures: tuple[Signature, ...]


@dataclass(frozen=True, slots=True)
class ScrapeBatch:
    """Rows to write after a batch of documents was stored."""

    records: tuple[FetchRecord, ...] = ()
    url_states: tuple[UrlState, ...] = ()
    signatures: tuple[Signature, ...] = ()

    def __bool__(self) -> bool:
        """Tell whether there is anything to write."""
        return bool(self.records or self.url_states or self.signatures)


def read_scrape_state(db: Path | str, *, timeout_s: float = 10.0) -> ScrapeState:
    """Read url_state, document hashes and story signatures in one short connection."""
    with writing(db, timeout_s=timeout_s) as con:
        urls = {
            row[0]: UrlState(*row)
            for row in con.execute(
                "SELECT url, source, etag, last_modified, sha256, doc_id, last_status, last_fetched FROM url_state"
            ).fetchall()
        }
        docs = con.execute("SELECT doc_id, sha256 FROM documents").fetchall()
        signatures = tuple(
            Signature(doc_id=d, story_id=s, hashvalues=tuple(h))
            for d, s, h in con.execute("SELECT doc_id, story_id, hashvalues FROM story_signatures").fetchall()
        )
    return ScrapeState(urls=urls, doc_sha=dict(docs), sha_doc={sha: d for d, sha in docs}, signatures=signatures)


def _records_table(records: Sequence[FetchRecord], *, run_id: str) -> pa.Table:
    """Build Arrow rows for the fetches table."""
    return pa.table({
        "run_id": [run_id] * len(records),
        "url": [r.url for r in records],
        "source": [r.source for r in records],
        "status": pa.array([r.status for r in records], type=pa.int32()),
        "bytes": pa.array([r.bytes for r in records], type=pa.int64()),
        "elapsed_ms": pa.array([r.elapsed_ms for r in records], type=pa.float64()),
        "fetched_at": pa.array([r.fetched_at for r in records], type=pa.timestamp("us")),
        "error": pa.array([r.error for r in records], type=pa.string()),
    })


def _states_table(states: Sequence[UrlState]) -> pa.Table:
    """Build Arrow rows for url_state (last one wins per URL)."""
    latest = list({s.url: s for s in states}.values())
    return pa.table({
        "url": [s.url for s in latest],
        "source": pa.array([s.source for s in latest], type=pa.string()),
        "etag": pa.array([s.etag for s in latest], type=pa.string()),
        "last_modified": pa.array([s.last_modified for s in latest], type=pa.string()),
        "sha256": pa.array([s.sha256 for s in latest], type=pa.string()),
        "doc_id": pa.array([s.doc_id for s in latest], type=pa.string()),
        "last_status": pa.array([s.last_status for s in latest], type=pa.int32()),
        "last_fetched": pa.array([s.last_fetched for s in latest], type=pa.timestamp("us")),
    })


def save_scrape_rows(con: duckdb.DuckDBPyConnection, batch: ScrapeBatch, *, run_id: str) -> None:
    """Write one batch of scraper rows inside an open transaction (the ingest batch's own)."""
    if batch.records:
        con.register("_fetches", _records_table(batch.records, run_id=run_id))
        con.execute("INSERT INTO fetches SELECT run_id, url, source, status, bytes, elapsed_ms, fetched_at, error FROM _fetches")
        con.unregister("_fetches")
    if batch.url_states:
        con.register("_states", _states_table(batch.url_states))
        con.execute("INSERT OR REPLACE INTO url_state SELECT url, source, etag, last_modified, sha256, doc_id, "
                    "last_status, last_fetched FROM _states")
        con.unregister("_states")
    if batch.signatures:
        latest = list({s.doc_id: s for s in batch.signatures}.values())
        con.register("_sigs", pa.table({
            "doc_id": [s.doc_id for s in latest],
            "story_id": [s.story_id for s in latest],
            "hashvalues": pa.array([list(s.hashvalues) for s in latest], type=pa.list_(pa.uint64())),
        }))
        con.execute("INSERT OR REPLACE INTO story_signatures SELECT doc_id, story_id, hashvalues FROM _sigs")
        con.execute("UPDATE documents SET story_id = _sigs.story_id FROM _sigs WHERE documents.doc_id = _sigs.doc_id")
        con.unregister("_sigs")


def save_scrape_batch(db: Path | str, batch: ScrapeBatch, *, run_id: str, timeout_s: float = 10.0) -> None:
    """Store scraper rows that belong to no document batch (failed or unchanged fetches) in one transaction."""
    if not batch:
        return
    with writing(db, timeout_s=timeout_s) as con, transaction(con):
        save_scrape_rows(con, batch, run_id=run_id)
