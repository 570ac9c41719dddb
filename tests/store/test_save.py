"""Idempotent saves, revisions and atomic replacement of extractions, on a real DuckDB."""

from __future__ import annotations

import duckdb
import pytest

from pipeline.store.save import NEW, REVISED, UNCHANGED, plan, read_states, save_batch
from pipeline.store.schema import migrate
from pipeline.types import CountryMention, Document, Extraction, IssueMention, OfficialMention, Quote, Threshold

ALL_TABLES = ("officials", "documents", "document_revisions", "official_mentions", "country_mentions", "issue_mentions",
              "document_issues", "thresholds", "quotes", "statements", "stances", "document_tone")


@pytest.fixture()
def con():
    """A migrated in-memory database."""
    connection = duckdb.connect(":memory:")
    migrate(connection)
    return connection


def _extraction(doc: Document, *, code: str = "JP") -> Extraction:
    """Build a small extraction for a document."""
    return Extraction(
        doc_id=doc.doc_id,
        countries=(CountryMention(0, 5, "Japan", code),),
        officials=(OfficialMention(0, 6, "Tamura", "Hajime Tamura", code, "trade minister", "jp-hajime-tamura", "surname"),
                   OfficialMention(7, 9, "Kim", "Kim Chul-su", "KR", "minister", None, "apposition"),
                   OfficialMention(10, 20, "an official", "", code, "official", None, "unnamed")),
        issues=(IssueMention(0, len(doc.text), "tariffs"),),
        thresholds=(Threshold(10, 16, "20 pct", 20.0, "percent", None, "current", code, "tariffs", ("autos",)),),
        quotes=(Quote(1, 4, "apa", None, code),),
        doc_issues=("tariffs",),
    )


def _save(con, docs: list[Document]) -> dict[str, int]:
    """Plan and save documents with their extractions."""
    planned = plan(docs, read_states(con, [d.doc_id for d in docs]))
    return save_batch(con, planned, {d.doc_id: _extraction(d) for d in docs}, run_id="test")


def _counts(con) -> dict[str, int]:
    """Row counts of every table."""
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ALL_TABLES}


def test_saving_the_same_documents_twice_adds_nothing(con):
    docs = [Document("a", "Japan raised its 20 pct tariff."), Document("b", "Japan cut duties.")]
    assert _save(con, docs) == {NEW: 2, REVISED: 0, UNCHANGED: 0}
    before = _counts(con)
    assert _save(con, docs) == {NEW: 0, REVISED: 0, UNCHANGED: 2}
    assert _counts(con) == before


def test_changed_text_is_a_new_revision_and_replaces_extractions(con):
    _save(con, [Document("a", "Japan raised its 20 pct tariff.")])
    changed = Document("a", "Japan raised its 25 pct tariff on cars.")
    planned = plan([changed], read_states(con, ["a"]))
    assert planned[0].action == REVISED and planned[0].revision == 2
    save_batch(con, planned, {"a": _extraction(changed, code="US")})
    assert con.execute("SELECT revision, text FROM documents WHERE doc_id = 'a'").fetchone() == (2, changed.text)
    assert con.execute("SELECT count(*) FROM document_revisions WHERE doc_id = 'a'").fetchone()[0] == 2
    assert con.execute("SELECT DISTINCT revision, code FROM country_mentions WHERE doc_id = 'a'").fetchall() == [(2, "US")]
    assert con.execute("SELECT also FROM thresholds").fetchone()[0] == ["autos"]
    assert con.execute("SELECT official_id, in_register FROM officials ORDER BY 1").fetchall() == [("jp-hajime-tamura", True), ("x:kim chul-su", False)]


def test_a_failing_batch_leaves_nothing_half_written(con):
    _save(con, [Document("a", "Japan raised its 20 pct tariff.")])
    before = _counts(con)
    bad = Document("b", "Japan cut duties.")
    planned = plan([bad], read_states(con, ["b"]))
    broken = Extraction(doc_id="b", thresholds=(Threshold(0, 1, "x", 1.0, None, None, "other"),))  # unit NOT NULL
    with pytest.raises(duckdb.Error):
        save_batch(con, planned, {"b": broken})
    assert _counts(con) == before
