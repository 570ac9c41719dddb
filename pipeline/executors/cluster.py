"""The ``dask`` executor: partitions on a Dask distributed cluster; workers return Arrow columns."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.config import Settings
from pipeline.errors import ConfigError
from pipeline.executors.base import PARTITION_SIZE, merge_partitions, partition
from pipeline.executors.columns import columns_to_extractions
from pipeline.executors.worker import AnalyzerSpec, analyze_columns, worker_analyzer
from pipeline.types import Document, Extraction

log = logging.getLogger(__name__)


def _worker_plugin(spec: AnalyzerSpec):
    """Return a Dask WorkerPlugin that loads the analyzer once when each worker starts."""
    from distributed import WorkerPlugin

    class LoadAnalyzer(WorkerPlugin):
        """Warm the per-process analyzer cache on worker setup."""

        name = "tradestance-analyzer"

        def setup(self, worker) -> None:
            """Load spaCy and the stance model in this worker."""
            worker_analyzer(spec)

    return LoadAnalyzer()


@dataclass(slots=True)
class DaskExecutor:
    """Runs partitions on a Dask cluster (``scheduler`` address, else a LocalCluster of ``workers`` processes)."""

    settings: Settings
    workers: int = 2
    scheduler: str | None = None
    partition_size: int = PARTITION_SIZE
    _client: object = field(default=None, repr=False)
    _cluster: object = field(default=None, repr=False)

    def __enter__(self) -> DaskExecutor:
        """Connect to the scheduler (or start a LocalCluster) and load the model on every worker."""
        try:
            from distributed import Client, LocalCluster
        except ImportError as e:
            raise ConfigError("the dask executor needs dask[distributed]; run `pip install 'dask[distributed]'`") from e
        if self.scheduler:
            try:
                self._client = Client(self.scheduler, timeout="30s")
            except OSError as e:
                raise ConfigError(f"cannot reach the Dask scheduler at {self.scheduler}: {e}; check the address and that it runs") from e
        else:
            self._cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True, dashboard_address=None)
            self._client = Client(self._cluster)
        self._client.register_plugin(_worker_plugin(AnalyzerSpec.from_settings(self.settings)))
        log.info("dask executor on %s", self._client.scheduler.address)
        return self

    def __exit__(self, *exc) -> None:
        """Close the client and any LocalCluster we started."""
        if self._client is not None:
            self._client.close()
        if self._cluster is not None:
            self._cluster.close()
        self._client = self._cluster = None

    @property
    def n_workers(self) -> int:
        """Return how many workers the cluster has now (at least 1)."""
        return max(1, len(self._client.scheduler_info().get("workers", {})))

    def __call__(self, documents: Sequence[Document]) -> dict[str, Extraction]:
        """Analyze documents on the cluster and gather the columns back into records."""
        if self._client is None:
            raise RuntimeError("use the executor inside a `with` block")
        spec = AnalyzerSpec.from_settings(self.settings)
        parts = partition(documents, size=self.partition_size, workers=self.n_workers)
        futures = self._client.map(analyze_columns, parts, spec=spec, pure=False)
        return merge_partitions(columns_to_extractions(batch) for batch in self._client.gather(futures))
