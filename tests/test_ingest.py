"""Ingestion end to end on the bundled sample with the real spaCy pipeline and a real DuckDB file."""

from __future__ import annotations

import threading

import duckdb
import pytest

from pipeline.ingest import IngestOptions, ingest_documents
from pipeline.io.documents import ReadReport, read_documents
from pipeline.store.schema import EXTRACTION_TABLES
from tests.conftest import SAMPLE

TABLES = ("documents", "document_revisions", *EXTRACTION_TABLES)


def _counts(db) -> dict[str, int]:
    """Row counts of every stored table."""
    with duckdb.connect(str(db), read_only=True) as con:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


def _sample(limit: int = 8):
    """The first documents of the bundled sample."""
    return list(read_documents([SAMPLE], report=ReadReport()))[:limit]


def test_reingesting_leaves_every_row_count_unchanged(tmp_path, analyzer):
    db = tmp_path / "t.duckdb"
    first = ingest_documents(_sample(), db=db, analyze=analyzer, options=IngestOptions(batch_size=3))
    assert (first.new, first.unchanged, first.status) == (8, 0, "ok")
    counts = _counts(db)
    assert counts["documents"] == 8 and counts["country_mentions"] > 0 and counts["document_issues"] > 0
    calls = []
    second = ingest_documents(_sample(), db=db, analyze=lambda docs: calls.append(docs) or {}, options=IngestOptions(batch_size=3))
    assert (second.new, second.revised, second.unchanged) == (0, 0, 8)
    assert calls == []  # nothing new: no NLP at all
    assert _counts(db) == counts


def test_changed_document_becomes_revision_two(tmp_path, analyzer):
    db = tmp_path / "t.duckdb"
    docs = _sample(2)
    ingest_documents(docs, db=db, analyze=analyzer)
    from dataclasses import replace

    edited = replace(docs[0], text=docs[0].text + "\n\nCanada said it would retaliate with 25 percent tariffs.")
    summary = ingest_documents([edited, docs[1]], db=db, analyze=analyzer)
    assert (summary.revised, summary.unchanged) == (1, 1)
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT revision FROM documents WHERE doc_id = ?", [edited.doc_id]).fetchone()[0] == 2
        assert con.execute("SELECT DISTINCT revision FROM country_mentions WHERE doc_id = ?", [edited.doc_id]).fetchall() == [(2,)]
        runs = con.execute("SELECT status, docs_revised FROM ingest_runs ORDER BY started_at").fetchall()
    assert runs[-1] == ("ok", 1)


def test_stop_event_finishes_the_current_batch(tmp_path, analyzer):
    db = tmp_path / "t.duckdb"
    stop = threading.Event()
    stop.set()
    summary = ingest_documents(_sample(), db=db, analyze=analyzer, options=IngestOptions(batch_size=3), stop=stop)
    assert summary.status == "interrupted" and summary.new == 3
    assert _counts(db)["documents"] == 3


def test_a_failing_analysis_keeps_earlier_batches(tmp_path, analyzer):
    db = tmp_path / "t.duckdb"
    seen = []

    def flaky(docs):
        """Analyze the first batch, then fail."""
        seen.append(len(docs))
        if len(seen) > 1:
            raise RuntimeError("worker died")
        return analyzer(docs)

    with pytest.raises(RuntimeError):
        ingest_documents(_sample(), db=db, analyze=flaky, options=IngestOptions(batch_size=3))
    assert _counts(db)["documents"] == 3
    rerun = ingest_documents(_sample(), db=db, analyze=analyzer, options=IngestOptions(batch_size=3))
    assert (rerun.new, rerun.unchanged) == (5, 3)


@pytest.mark.parametrize("plan_batches,opens", [(1, 2 + 10), (4, 2 + 3), (16, 2 + 1)])
def test_unchanged_rerun_opens_the_store_once_per_planning_window(tmp_path, analyzer, monkeypatch, plan_batches, opens):
    import pipeline.ingest

    db = tmp_path / "t.duckdb"
    docs = _sample(30)
    ingest_documents(docs, db=db, analyze=analyzer, options=IngestOptions(batch_size=3))
    real, seen = pipeline.ingest.writing, []
    monkeypatch.setattr(pipeline.ingest, "writing", lambda *a, **k: seen.append(1) or real(*a, **k))
    progress = []
    summary = ingest_documents(docs, db=db, analyze=analyzer, on_batch=progress.append,
                               options=IngestOptions(batch_size=3, plan_batches=plan_batches))
    assert (summary.read, summary.unchanged, sum(progress), len(progress)) == (30, 30, 30, 10)
    assert len(seen) == opens  # run start + run end + one planning read per window of batches
