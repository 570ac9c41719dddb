"""Report fixtures: a hand-filled store with exact rows, and the bundled sample ingested for real."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from pipeline.ingest import IngestOptions, ingest_documents
from pipeline.io.documents import ReadReport, read_documents
from pipeline.store.db import open_store
from tests.conftest import SAMPLE

# doc_id, published
HAND_DOCS = [("d1", "2018-01-01"), ("d2", "2018-01-03"), ("d3", "2018-01-15"), ("d4", "2018-03-02")]
# doc_id, start, actor, official, issue, stance, tone
HAND_STATEMENTS = [
    ("d1", 0, "CA", "Chrystia Freeland", "rules_of_origin", "oppose", -0.5),
    ("d1", 50, "CA", "Chrystia Freeland", "rules_of_origin", "oppose", -0.3),
    ("d1", 90, "US", "Robert Lighthizer", "rules_of_origin", "support", 0.2),
    ("d2", 0, "CA", None, "rules_of_origin", "support", 0.4),
    ("d3", 0, "CA", None, "rules_of_origin", "none", 0.0),
    ("d4", 0, "CA", "Chrystia Freeland", "rules_of_origin", "support", 0.6),
    ("d4", 40, "MX", None, "dairy", "oppose", -0.2),
]


def fill_hand_store(con: duckdb.DuckDBPyConnection) -> None:
    """Insert the hand-made documents, statements, one position and one quote into a migrated store."""
    for doc_id, published in HAND_DOCS:
        con.execute("INSERT INTO documents (doc_id, revision, sha256, title, published, ingested_at, text) "
                    "VALUES (?, 1, 'x', ?, ?::TIMESTAMP, now(), 'text')", [doc_id, f"Title {doc_id}", published])
    for doc_id, start, actor, official, issue, stance, tone in HAND_STATEMENTS:
        con.execute("INSERT INTO statements VALUES (?, 1, ?, ?, 'evidence', ?, ?, ?, NULL, ?, ?, 0.8, ?)",
                    [doc_id, start, start + 10, actor, official, issue, official is not None, stance, tone])
    con.execute("INSERT INTO thresholds VALUES ('d4', 1, 5, 15, '75 percent', 75, 'percent', 62.5, 'proposed', 'US', "
                "'rules_of_origin', [])")
    con.execute("INSERT INTO quotes VALUES ('d2', 1, 100, 140, 'a fair deal on content rules', 'Chrystia Freeland', 'CA', "
                "'Foreign Minister')")
    con.execute("INSERT INTO document_issues VALUES ('d2', 1, 'rules_of_origin')")


@pytest.fixture()
def hand_con() -> duckdb.DuckDBPyConnection:
    """An in-memory migrated store with the hand-made rows."""
    con = open_store(":memory:")
    fill_hand_store(con)
    return con


@pytest.fixture()
def hand_db(tmp_path: Path) -> Path:
    """A database file with the hand-made rows (for the CLI, which opens read-only)."""
    path = tmp_path / "hand.duckdb"
    con = open_store(path)
    fill_hand_store(con)
    con.close()
    return path


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory, analyzer) -> Path:
    """The bundled sample corpus ingested with the real analyzer into a fresh database."""
    path = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    summary = ingest_documents(read_documents([SAMPLE], report=ReadReport()), db=path, analyze=analyzer, options=IngestOptions(batch_size=16))
    assert summary.new == 30, summary
    return path


@pytest.fixture(scope="session")
def sample_with_statements_db(tmp_path_factory, sample_db: Path) -> Path:
    """The sample database plus synthetic statements (one per attributed quote and quoted issue) if it has none.

    Until the stance model lands, this exercises the stance and tone charts on real document dates.
    """
    path = tmp_path_factory.mktemp("sample_statements") / "sample.duckdb"
    shutil.copy(sample_db, path)
    con = open_store(path)
    (have,) = con.execute("SELECT count(*) FROM statements").fetchall()[0]
    if have == 0:
        con.execute("""
            INSERT INTO statements
            SELECT q.doc_id, d.revision, q.start, q."end", q.quote, q.speaker_country, q.speaker, q.issue, NULL, TRUE,
                   CASE WHEN (q.date >= DATE '2018-04-01') <> (q.speaker_country = 'US') THEN 'support' ELSE 'oppose' END,
                   0.7,
                   CASE WHEN (q.date >= DATE '2018-04-01') <> (q.speaker_country = 'US') THEN 0.3 ELSE -0.4 END
                       + (q.n_chars % 10) / 50.0
            FROM v_quote_issues q JOIN documents d USING (doc_id)
            WHERE q.basis = 'quote' AND q.speaker_country IS NOT NULL
        """)
    con.close()
    return path
