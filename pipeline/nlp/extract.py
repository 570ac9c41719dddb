"""Run the spaCy pipeline over documents and turn Docs into frozen Extractions."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
import logging
import re
from collections.abc import Iterator, Sequence

from spacy.language import Language
from spacy.tokens import Doc

from pipeline.nlp.issues import document_issues, merge_scores
from pipeline.types import Document, Extraction

log = logging.getLogger(__name__)

ITEM_FIELDS = ("officials", "countries", "issues", "thresholds", "quotes")


def chunk_text(text: str, *, max_chars: int) -> list[tuple[int, str]]:
    """Split a long text at paragraph (else line, else space) boundaries into (offset, chunk) pieces."""
    if len(text) <= max_chars:
        return [(0, text)]
    chunks, pos = [], 0
    while pos < len(text):
        end = min(len(text), pos + max_chars)
        if end < len(text):
            window = text[pos:end]
            cut = max(window.rfind("\n\n"), window.rfind("\n"), window.rfind(" "))
            end = pos + cut + 1 if cut > max_chars // 2 else end
        chunks.append((pos, text[pos:end]))
        pos = end
    return chunks


def _make_doc(nlp: Language, document: Document, text: str) -> Doc:
    """Tokenise a text and attach the document's date and kind for the components."""
    doc = nlp.make_doc(text)
    doc._.ts_published = document.published_date
    doc.user_data["ts_kind"] = document.kind
    return doc


def _shift(items, offset: int):
    """Return items with start/end moved by an offset."""
    if not offset:
        return tuple(items)
    return tuple(dataclasses.replace(i, start=i.start + offset, end=i.end + offset) for i in items)


def doc_extraction(doc: Doc, doc_id: str, *, offset: int = 0) -> Extraction:
    """Collect the components' results of one Doc into an Extraction."""
    values = {f: _shift(getattr(doc._, f"ts_{f}") or (), offset) for f in ITEM_FIELDS}
    return Extraction(doc_id=doc_id, doc_issues=document_issues(doc._.ts_issue_scores or {}), **values)


@dataclass(frozen=True, slots=True)
class Part:
    """The extraction of one chunk of a document with its issue scores (summed when merging)."""

    extraction: Extraction
    issue_scores: dict[str, float]


def _merge(doc_id: str, parts: list[Part]) -> Extraction:
    """Merge the extractions of a chunked document; issues are decided on the summed scores."""
    if len(parts) == 1:
        return parts[0].extraction
    values = {f: tuple(x for p in parts for x in getattr(p.extraction, f)) for f in ITEM_FIELDS}
    issues = set(document_issues(merge_scores([p.issue_scores for p in parts])))
    values["issues"] = tuple(m for m in values["issues"] if m.issue in issues)
    return Extraction(doc_id=doc_id, doc_issues=tuple(sorted(issues)), **values)


def _clean(text: str) -> str:
    """Replace control characters (other than newline and tab) by spaces, keeping offsets."""
    return re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", " ", text)


def extract_documents(nlp: Language, documents: Sequence[Document], *, batch_size: int = 64, max_chars: int = 200_000) -> list[Extraction]:
    """Run the pipeline over documents (chunking very long ones) and return their extractions."""
    pieces = [(i, offset, chunk) for i, d in enumerate(documents) for offset, chunk in chunk_text(_clean(d.text), max_chars=max_chars)]
    docs: Iterator[Doc] = nlp.pipe((_make_doc(nlp, documents[i], chunk) for i, _, chunk in pieces), batch_size=batch_size)
    parts: dict[int, list[Part]] = {}
    for (i, offset, _), doc in zip(pieces, docs):
        parts.setdefault(i, []).append(Part(doc_extraction(doc, documents[i].doc_id, offset=offset), dict(doc._.ts_issue_scores or {})))
    return [_merge(d.doc_id, parts.get(i, [Part(Extraction(doc_id=d.doc_id), {})])) for i, d in enumerate(documents)]
