"""What runs inside a worker: a per-process cached Analyzer and the partition task."""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipeline.analyze import Analyzer
from pipeline.config import Settings
from pipeline.executors.columns import ColumnBatch, extractions_to_columns
from pipeline.types import Document, Extraction

log = logging.getLogger(__name__)

_LOAD_LOCK = threading.Lock()  # a Dask worker with several threads must still load the model once


@dataclass(frozen=True, slots=True)
class AnalyzerSpec:
    """The hashable part of Settings a worker needs to build its Analyzer."""

    spacy_model: str
    stance_model: Path
    batch_size: int

    @classmethod
    def from_settings(cls, settings: Settings) -> AnalyzerSpec:
        """Take the analysis-relevant settings."""
        return cls(spacy_model=settings.spacy_model, stance_model=Path(settings.stance_model), batch_size=settings.batch_size)


@functools.cache
def _cached_analyzer(spec: AnalyzerSpec) -> Analyzer:
    """Build and warm one Analyzer per (process, spec); later calls reuse it."""
    analyzer = Analyzer(settings=Settings(spacy_model=spec.spacy_model, stance_model=spec.stance_model, batch_size=spec.batch_size))
    analyzer.nlp, analyzer.stance  # noqa: B018  (load both models now, not in the first task)
    log.info("worker loaded the analyzer (%s)", spec.spacy_model)
    return analyzer


def worker_analyzer(spec: AnalyzerSpec) -> Analyzer:
    """Return this process's Analyzer for the spec, loading the model on the first call only."""
    with _LOAD_LOCK:
        return _cached_analyzer(spec)


def init_worker(spec: AnalyzerSpec) -> None:
    """Process-pool initializer: load the model once when the worker starts."""
    worker_analyzer(spec)


def analyze_records(documents: Sequence[Document], *, spec: AnalyzerSpec) -> list[Extraction]:
    """Analyze a partition and return frozen Extraction records (picklable, no spaCy objects)."""
    extractions = worker_analyzer(spec)(documents)
    return [extractions[d.doc_id] for d in documents]


def analyze_columns(documents: Sequence[Document], *, spec: AnalyzerSpec) -> ColumnBatch:
    """Analyze a partition and return its extractions as plain Arrow columns."""
    return extractions_to_columns(analyze_records(documents, spec=spec))
