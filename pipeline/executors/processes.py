"""The ``processes`` executor: N worker processes, each loading the spaCy model once."""

from __future__ import annotations

import functools
import logging
import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from pipeline.config import Settings
from pipeline.executors.base import PARTITION_SIZE, merge_partitions, partition
from pipeline.executors.worker import AnalyzerSpec, analyze_records, init_worker
from pipeline.types import Document, Extraction

log = logging.getLogger(__name__)


@dataclass(slots=True)
class ProcessExecutor:
    """Runs partitions on a pool of spawned processes; workers return frozen Extraction records."""

    settings: Settings
    workers: int = 2
    partition_size: int = PARTITION_SIZE
    _pool: ProcessPoolExecutor | None = field(default=None, repr=False)

    def __enter__(self) -> ProcessExecutor:
        """Start the workers; each loads the model in its initializer."""
        spec = AnalyzerSpec.from_settings(self.settings)
        # spawn, not fork: the parent may run threads (progress bar, signal handling) that fork would copy mid-state
        self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                                         initializer=init_worker, initargs=(spec,))
        log.info("started %d worker processes", self.workers)
        return self

    def __exit__(self, *exc) -> None:
        """Stop the workers."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __call__(self, documents: Sequence[Document]) -> dict[str, Extraction]:
        """Analyze documents across the worker processes."""
        if self._pool is None:
            raise RuntimeError("use the executor inside a `with` block")
        task = functools.partial(analyze_records, spec=AnalyzerSpec.from_settings(self.settings))
        return merge_partitions(self._pool.map(task, partition(documents, size=self.partition_size, workers=self.workers)))
