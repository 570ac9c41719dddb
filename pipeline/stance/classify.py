"""Stance classification entry points used by the analyzer (filled in by the stance stage)."""

from __future__ import annotations

import logging
from pathlib import Path

from pipeline.types import Document, Extraction

log = logging.getLogger(__name__)


def load_classifier(path: Path):
    """Load the stance classifier from a skops file; None (with a warning) when there is none yet."""
    if not Path(path).exists():
        log.warning("no stance model at %s; stances are left empty (run `tradestance train`)", path)
        return None
    return None


def add_stances(classifier, document: Document, extraction: Extraction) -> Extraction:
    """Return the extraction with statement stances, document stances and tone added."""
    return extraction
