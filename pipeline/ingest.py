"""Ingestion: documents in batches -> plan -> analyze (no DB held) -> save (short write)."""

from __future__ import annotations

import itertools
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from pipeline.store.db import writing
from pipeline.store.lock import ingest_lock
from pipeline.store.save import NEW, REVISED, UNCHANGED, Planned, plan, read_states, read_url_owners, save_batch, save_run_end, save_run_start
from pipeline.types import Document, Extraction

log = logging.getLogger(__name__)

Analyze = Callable[[Sequence[Document]], dict[str, Extraction]]


@dataclass(frozen=True, slots=True)
class IngestOptions:
    """How to batch and limit an ingestion run."""

    batch_size: int = 64
    limit: int | None = None
    dry_run: bool = False
    lock_timeout_s: float = 10.0
    # Batches planned with one store read: a rerun of unchanged documents then opens the store once per
    # window, not once per batch. The scrape cycle uses 1, so each fetched batch is stored before the next.
    plan_batches: int = 16


@dataclass(frozen=True, slots=True)
class IngestSummary:
    """What one ingestion run did; serialised as the JSON summary line."""

    run_id: str
    db: str
    status: str
    read: int
    new: int
    revised: int
    unchanged: int
    skipped: int
    seconds: float
    problems: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        """Return the summary as a JSON-ready dict."""
        out = {k: getattr(self, k) for k in ("run_id", "db", "status", "read", "new", "revised", "unchanged", "skipped", "seconds")}
        out["problems"] = list(self.problems[:20])
        out.update(self.extra)
        return out


def batched(items: Iterable[Document], size: int) -> Iterator[list[Document]]:
    """Yield lists of at most ``size`` items."""
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _adopt_url_owner(batch: list[Document], owners: dict[str, str]) -> list[Document]:
    """Give a document the doc_id that already owns its URL, so a changed page is a revision."""
    from dataclasses import replace

    return [replace(d, doc_id=owners[d.url]) if d.url in owners and owners[d.url] != d.doc_id else d for d in batch]


def ingest_documents(
    documents: Iterable[Document],
    *,
    db: Path | str,
    analyze: Analyze,
    options: IngestOptions = IngestOptions(),
    command: str = "ingest",
    on_batch: Callable[[int], None] | None = None,
    stop: threading.Event | None = None,
    problems: Callable[[], Sequence[str]] = lambda: (),
    skipped: Callable[[], int] = lambda: 0,
    run_id: str | None = None,
    on_save: Callable[[duckdb.DuckDBPyConnection, int], None] | None = None,
) -> IngestSummary:
    """Ingest documents into the store; idempotent, batch-atomic and interruptible between batches.

    ``on_save(con, n)`` runs inside each batch's transaction after its ``n`` documents are stored.
    """
    run_id = run_id or uuid.uuid4().hex[:12]
    started = time.monotonic()
    counts = {"read": 0, NEW: 0, REVISED: 0, UNCHANGED: 0}
    status = "ok"
    with ingest_lock(db):
        if not options.dry_run:
            with writing(db, timeout_s=options.lock_timeout_s) as con:
                save_run_start(con, run_id=run_id, command=command)
        try:
            source = itertools.islice(documents, options.limit) if options.limit else documents
            for batch, size in _planned_batches(source, db=db, options=options):
                counts["read"] += size
                _ingest_batch(batch, size=size, db=db, analyze=analyze, options=options, run_id=run_id, counts=counts, on_save=on_save)
                if on_batch:
                    on_batch(size)
                if stop is not None and stop.is_set():
                    status = "interrupted"
                    log.info("stop requested: finished the current batch and stopping")
                    break
        except BaseException:
            status = "failed"
            raise
        finally:
            summary = IngestSummary(
                run_id=run_id, db=str(db), status=status, read=counts["read"], new=counts[NEW],
                revised=counts[REVISED], unchanged=counts[UNCHANGED], skipped=skipped(),
                seconds=round(time.monotonic() - started, 3), problems=tuple(problems()),
            )
            if not options.dry_run:
                with writing(db, timeout_s=options.lock_timeout_s) as con:
                    save_run_end(con, run_id=run_id, status=status, summary=summary.as_dict())
    return summary


def _plan_window(window: list[Document], *, db, options: IngestOptions) -> list[Planned]:
    """Plan a window of documents (new, revised or unchanged) with one short store read."""
    window = list({d.doc_id: d for d in window}.values())  # a doc_id repeated in one window: last wins
    with writing(db, timeout_s=options.lock_timeout_s) as con:
        window = _adopt_url_owner(window, read_url_owners(con, [d.url for d in window if d.url]))
        states = read_states(con, [d.doc_id for d in window])
    return plan(window, states)


def _planned_batches(source: Iterable[Document], *, db, options: IngestOptions) -> Iterator[tuple[list[Planned], int]]:
    """Yield (planned batch, documents read for it): windows of batches are planned with one store read."""
    for window in batched(source, options.batch_size * max(1, options.plan_batches)):
        planned = _plan_window(window, db=db, options=options)
        dropped = len(window) - len(planned)  # repeated doc_ids still count as read
        for i, start in enumerate(range(0, len(planned), options.batch_size)):
            batch = planned[start:start + options.batch_size]
            yield batch, len(batch) + (dropped if i == 0 else 0)


def _ingest_batch(planned: list[Planned], *, size: int, db, analyze: Analyze, options: IngestOptions, run_id: str, counts: dict,
                  on_save: Callable[[duckdb.DuckDBPyConnection, int], None] | None) -> None:
    """Analyze one planned batch with no connection held, then save it in one short write."""
    todo = [p.document for p in planned if p.action != UNCHANGED]
    if options.dry_run:
        for p in planned:
            counts[p.action] += 1
        return
    if not todo and on_save is None:
        counts[UNCHANGED] += len(planned)  # nothing to write: do not even open the store again
        return
    extractions = analyze(todo) if todo else {}
    with writing(db, timeout_s=options.lock_timeout_s) as con:
        inside = (lambda c: on_save(c, size)) if on_save is not None else None
        saved = save_batch(con, planned, extractions, run_id=run_id, inside=inside)
    for key, value in saved.items():
        counts[key] += value
