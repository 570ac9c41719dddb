"""The analysis stage: Documents -> Extractions (spaCy components, then stance), no I/O."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.config import Settings
from pipeline.types import Document, Extraction

log = logging.getLogger(__name__)

MAX_CHUNK_CHARS = 200_000  # spaCy's parser needs ~1 GB per 100k chars at once; longer texts are chunked


@dataclass(slots=True)
class Analyzer:
    """Holds the loaded spaCy pipeline and stance model; loads them on first use only."""

    settings: Settings
    _nlp: object = field(default=None, repr=False)
    _stance: object = field(default=None, repr=False)
    _stance_loaded: bool = field(default=False, repr=False)

    @property
    def nlp(self):
        """Return the tradestance spaCy pipeline, building it on first use."""
        if self._nlp is None:
            from pipeline.nlp.pipeline import build_nlp

            self._nlp = build_nlp(model=self.settings.spacy_model)
        return self._nlp

    @property
    def stance(self):
        """Return the stance classifier, loading it on first use (None if no model file)."""
        if not self._stance_loaded:
            from pipeline.stance.classify import load_classifier

            self._stance = load_classifier(self.settings.stance_model)
            self._stance_loaded = True  # a missing model is reported once, not per batch
        return self._stance

    def __call__(self, documents: Sequence[Document]) -> dict[str, Extraction]:
        """Analyze documents and return their extractions keyed by doc_id."""
        from pipeline.nlp.extract import extract_documents

        extractions = extract_documents(self.nlp, documents, batch_size=self.settings.batch_size, max_chars=MAX_CHUNK_CHARS)
        classifier = self.stance
        if classifier is not None:
            from pipeline.stance.classify import add_stances_batch

            extractions = add_stances_batch(classifier, documents, extractions)
        return {e.doc_id: e for e in extractions}
