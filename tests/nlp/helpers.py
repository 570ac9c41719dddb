"""Run the real pipeline over hand-written texts (shared by the nlp tests)."""

from __future__ import annotations

from datetime import date

from pipeline.nlp.extract import extract_documents
from pipeline.types import Document, Extraction


def run(nlp, text: str, *, published: date | None = date(2018, 1, 29), kind: str | None = "article") -> Extraction:
    """Extract one hand-written document."""
    return extract_documents(nlp, [Document(doc_id="t", text=text, published=published, kind=kind)])[0]
