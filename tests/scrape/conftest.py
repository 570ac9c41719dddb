"""Fixtures for the scraper tests: a replica site on 127.0.0.1, fetch options, a shared analyzer."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scrape_replica import ReplicaServer  # noqa: E402

from pipeline.scrape.fetch import FetchOptions  # noqa: E402
from pipeline.types import Document, Extraction  # noqa: E402


@pytest.fixture
def site():
    """Serve a fresh replica site (fresh fault counters) for one test."""
    with ReplicaServer() as server:
        yield server


TEST_FETCH_OPTIONS = FetchOptions(user_agent="tradestance-tests/0.1", timeout_s=0.4, max_bytes=200_000, retries=2,
                                  backoff_s=0.05, max_wait_s=5.0, allow_hosts=("127.0.0.1",), concurrency=4)


@pytest.fixture
def fetch_options() -> FetchOptions:
    """Fast, strict limits for tests; 127.0.0.1 is allowed explicitly."""
    return TEST_FETCH_OPTIONS


@pytest.fixture(scope="session")
def analyzer():
    """The real analyzer (spaCy pipeline), loaded once per test session."""
    from pipeline.analyze import Analyzer
    from pipeline.config import Settings

    return Analyzer(settings=Settings())


@dataclass
class CountingAnalyze:
    """Wraps an analyze stage and records every call, to prove when no NLP ran."""

    inner: object = None
    calls: list[int] = field(default_factory=list)

    def __call__(self, documents: Sequence[Document]) -> dict[str, Extraction]:
        """Record the call, then analyze (or return empty extractions without an inner stage)."""
        self.calls.append(len(documents))
        if self.inner is None:
            return {d.doc_id: Extraction(doc_id=d.doc_id) for d in documents}
        return self.inner(documents)


@pytest.fixture
def counting():
    """Return a factory of counting analyze wrappers."""
    return CountingAnalyze
