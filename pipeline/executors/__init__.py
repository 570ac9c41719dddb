"""Executors for the analysis stage: local (in-process), worker processes, or a Dask cluster.

Each executor is a context manager and, inside it, a callable ``Sequence[Document] -> {doc_id: Extraction}``
that ``pipeline.ingest.ingest_documents`` uses as its ``analyze`` step; the store is always written by
that single caller, never by the workers.
"""

from pipeline.executors.base import EXECUTORS, ExecutorSpec, make_executor

__all__ = ["EXECUTORS", "ExecutorSpec", "make_executor"]
