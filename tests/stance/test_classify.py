"""Stances and tone added to real parsed documents by the shipped model."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.io.documents import ReadReport, read_documents
from pipeline.stance.classify import add_stances
from pipeline.types import Document, Extraction

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "corpora" / "sample" / "documents.jsonl"


@pytest.fixture(scope="module")
def analyzed(analyzer):
    """The first sample documents analysed with the shipped model."""
    documents = list(read_documents([SAMPLE], report=ReadReport()))[:4]
    return documents, analyzer(documents)


def test_shipped_model_loads(analyzer):
    assert analyzer.stance is not None, "models/stance.skops is missing; run `tradestance train`"


def test_statements_have_labels_evidence_and_tone(analyzed):
    documents, extractions = analyzed
    statements = [s for e in extractions.values() for s in e.statements]
    assert statements
    texts = {d.doc_id: d.text for d in documents}
    for doc_id, e in extractions.items():
        assert e.tone is not None and -1.0 <= e.tone <= 1.0
        for label in e.statements:
            s = label.statement
            assert label.stance in ("support", "oppose", "none") and 0.0 <= label.probability <= 1.0
            assert -1.0 <= label.tone <= 1.0
            assert texts[doc_id][s.start:s.end] == s.text and s.actor and s.issue
        for stance in e.stances:
            assert stance.stance in ("support", "oppose")
            assert stance.support + stance.oppose >= 1


def test_document_without_issue_or_actor_gets_no_stance_and_no_error(analyzer):
    document = Document(doc_id="t:plain", text="The weather was mild on Tuesday. People walked in the park.")
    extraction = add_stances(analyzer.stance, document, Extraction(doc_id="t:plain"))
    assert extraction.statements == () and extraction.stances == ()
    assert extraction.tone is not None


def test_batch_classification_equals_one_document_at_a_time(analyzer):
    from pipeline.io.documents import ReadReport, read_documents
    from pipeline.nlp.extract import extract_documents
    from pipeline.stance.classify import add_stances_batch
    from tests.conftest import SAMPLE

    documents = list(read_documents([SAMPLE], report=ReadReport()))[:6]
    extractions = extract_documents(analyzer.nlp, documents)
    one_by_one = [add_stances(analyzer.stance, d, e) for d, e in zip(documents, extractions)]
    batched = add_stances_batch(analyzer.stance, documents, extractions)
    assert batched == one_by_one
    assert sum(len(e.statements) for e in batched) > 0
