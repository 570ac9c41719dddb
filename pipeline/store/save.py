"""Idempotent writes: documents with revisions, and their extractions replaced atomically."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

import duckdb
import pyarrow as pa

from pipeline.store.db import transaction
from pipeline.store.rows import extraction_rows, official_rows
from pipeline.store.schema import EXTRACTION_TABLES
from pipeline.types import Document, Extraction

log = logging.getLogger(__name__)

NEW, REVISED, UNCHANGED = "new", "revised", "unchanged"
DOCUMENT_COLUMNS = ("revision", "sha256", "source", "kind", "url", "title", "published", "fetched_at", "ingested_at", "text")


@dataclass(frozen=True, slots=True)
class StoredState:
    """What the store already holds for a doc_id."""

    doc_id: str
    revision: int
    sha256: str


@dataclass(frozen=True, slots=True)
class Planned:
    """A document with the action the store will take for it."""

    document: Document
    action: str  # new | revised | unchanged
    revision: int


def read_states(con: duckdb.DuckDBPyConnection, doc_ids: Iterable[str]) -> dict[str, StoredState]:
    """Return the stored revision and hash for each known doc_id."""
    ids = list(dict.fromkeys(doc_ids))
    if not ids:
        return {}
    rows = con.execute("SELECT doc_id, revision, sha256 FROM documents WHERE doc_id IN (SELECT unnest(?))", [ids]).fetchall()
    return {r[0]: StoredState(*r) for r in rows}


def read_url_owners(con: duckdb.DuckDBPyConnection, urls: Iterable[str]) -> dict[str, str]:
    """Return the doc_id that already owns each known URL."""
    keys = [u for u in dict.fromkeys(urls) if u]
    if not keys:
        return {}
    rows = con.execute("SELECT url, doc_id FROM documents WHERE url IN (SELECT unnest(?))", [keys]).fetchall()
    return dict(rows)


def plan(documents: Sequence[Document], states: dict[str, StoredState]) -> list[Planned]:
    """Decide per document whether it is new, a new revision, or unchanged (pure)."""
    planned = []
    for doc in documents:
        state = states.get(doc.doc_id)
        if state is None:
            planned.append(Planned(doc, NEW, 1))
        elif state.sha256 == doc.sha256:
            planned.append(Planned(doc, UNCHANGED, state.revision))
        else:
            planned.append(Planned(doc, REVISED, state.revision + 1))
    return planned


def _document_rows(planned: Sequence[Planned], *, run_id: str | None, now: datetime) -> pa.Table:
    """Build the Arrow rows for documents and document_revisions."""
    docs = [p.document for p in planned]
    return pa.table({
        "doc_id": [d.doc_id for d in docs],
        "revision": [p.revision for p in planned],
        "sha256": [d.sha256 for d in docs],
        "source": [d.source for d in docs],
        "kind": [d.kind for d in docs],
        "url": [d.url for d in docs],
        "title": [d.title for d in docs],
        "published": pa.array([_as_datetime(d.published) for d in docs], type=pa.timestamp("us")),
        "fetched_at": pa.array([d.fetched_at.replace(tzinfo=None) if d.fetched_at else None for d in docs], type=pa.timestamp("us")),
        "ingested_at": pa.array([now] * len(docs), type=pa.timestamp("us")),
        "text": [d.text for d in docs],
        "run_id": [run_id] * len(docs),
    })


def _as_datetime(value) -> datetime | None:
    """Return a naive UTC datetime for a date or datetime value."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).replace(tzinfo=None) if value.tzinfo else value
    return datetime(value.year, value.month, value.day)


def save_batch(
    con: duckdb.DuckDBPyConnection,
    planned: Sequence[Planned],
    extractions: dict[str, Extraction],
    *,
    run_id: str | None = None,
    inside: Callable[[duckdb.DuckDBPyConnection], None] | None = None,
) -> dict[str, int]:
    """Store new and revised documents and replace their extractions, in one transaction.

    ``inside`` runs in the same transaction (the scrapers store URL state and story ids with it).
    """
    changed = [p for p in planned if p.action != UNCHANGED]
    counts = {NEW: 0, REVISED: 0, UNCHANGED: len(planned) - len(changed)}
    if not changed:
        if inside is not None:
            with transaction(con):
                inside(con)
        return counts
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    docs = _document_rows(changed, run_id=run_id, now=now)
    ids = [p.document.doc_id for p in changed]
    rows = extraction_rows([(extractions[p.document.doc_id], p.revision) for p in changed if p.document.doc_id in extractions])
    officials = official_rows([extractions[p.document.doc_id] for p in changed if p.document.doc_id in extractions])
    with transaction(con):
        con.register("_docs", docs)
        # An upsert rather than delete+insert keeps columns other stages own (story_id) across revisions.
        con.execute(
            "INSERT INTO documents SELECT doc_id, revision, sha256, source, kind, url, title, published, "
            "fetched_at, ingested_at, text, NULL FROM _docs ON CONFLICT (doc_id) DO UPDATE SET "
            + ", ".join(f"{c} = excluded.{c}" for c in DOCUMENT_COLUMNS)
        )
        con.execute(
            "INSERT INTO document_revisions SELECT doc_id, revision, sha256, title, published, fetched_at, "
            "ingested_at, run_id, text FROM _docs ON CONFLICT DO NOTHING"
        )
        con.unregister("_docs")
        for table in EXTRACTION_TABLES:
            con.execute(f"DELETE FROM {table} WHERE doc_id IN (SELECT unnest(?))", [ids])
        for table, arrow in rows.items():
            _insert_arrow(con, table, arrow)
        if inside is not None:
            inside(con)
        if officials.num_rows:
            con.register("_officials", officials)
            con.execute("INSERT OR IGNORE INTO officials SELECT official_id, name, country, in_register FROM _officials")
            con.unregister("_officials")
    for p in changed:
        counts[p.action] += 1
    return counts


def _insert_arrow(con: duckdb.DuckDBPyConnection, table: str, arrow: pa.Table) -> None:
    """Insert an Arrow table by column name (so column order need not match)."""
    con.register("_rows", arrow)
    cols = ", ".join(f'"{c}"' for c in arrow.column_names)
    con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _rows")
    con.unregister("_rows")


def save_run_start(con: duckdb.DuckDBPyConnection, *, run_id: str, command: str) -> None:
    """Record the start of an ingestion run."""
    con.execute("INSERT INTO ingest_runs (run_id, started_at, command, status) VALUES (?, now(), ?, 'running')", [run_id, command])


def save_run_end(con: duckdb.DuckDBPyConnection, *, run_id: str, status: str, summary: dict) -> None:
    """Record the end of an ingestion run with its counts."""
    con.execute(
        "UPDATE ingest_runs SET finished_at = now(), status = ?, docs_read = ?, docs_new = ?, docs_revised = ?, "
        "docs_unchanged = ?, docs_skipped = ?, summary = ? WHERE run_id = ?",
        [status, summary.get("read", 0), summary.get("new", 0), summary.get("revised", 0),
         summary.get("unchanged", 0), summary.get("skipped", 0), json.dumps(summary, default=str), run_id],
    )
