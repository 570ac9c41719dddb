"""The executors (local, processes, dask) give the same extractions, and the CLI wires them into ingest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.config import Settings
from pipeline.errors import ConfigError
from pipeline.executors import ExecutorSpec, make_executor
from pipeline.executors.base import partition
from pipeline.executors.columns import columns_to_extractions, extractions_to_columns
from pipeline.io.documents import ReadReport, read_documents
from pipeline.types import StanceLabel, Statement, Threshold
from tests.conftest import SAMPLE


@pytest.fixture(scope="module")
def sample_docs():
    """The bundled sample documents (30 real texts)."""
    return list(read_documents([SAMPLE], report=ReadReport()))


@pytest.fixture(scope="module")
def local_results(analyzer, sample_docs):
    """The in-process executor's extractions of the sample: the reference."""
    return analyzer(sample_docs)


def test_local_results_are_not_trivial(local_results, sample_docs):
    assert set(local_results) == {d.doc_id for d in sample_docs}
    assert sum(len(e.countries) for e in local_results.values()) > 30
    assert sum(len(e.thresholds) + len(e.quotes) for e in local_results.values()) > 10


def _model_loads(analyze) -> list[int]:
    """How many times each Dask worker built its analyzer."""
    from pipeline.executors.worker import _cached_analyzer

    return sorted(analyze._client.run(lambda: _cached_analyzer.cache_info().misses).values())


@pytest.mark.parametrize("kind", ["processes", "dask"])
def test_executor_equals_local(kind, sample_docs, local_results):
    with make_executor(Settings(), spec=ExecutorSpec(kind=kind, workers=2, partition_size=4)) as analyze:
        results = analyze(sample_docs)
        again = analyze(sample_docs[:3])  # the model stays loaded between calls
        loads = _model_loads(analyze) if kind == "dask" else [1, 1]
    assert list(results) == list(local_results)  # same doc order
    assert results == local_results
    assert again == {d.doc_id: local_results[d.doc_id] for d in sample_docs[:3]}
    assert loads == [1, 1]


def test_columns_round_trip_is_lossless(local_results):
    extractions = list(local_results.values())
    extra = extractions[0].__class__(
        doc_id="synthetic:1", tone=-0.25, doc_issues=("tariffs",),
        thresholds=(Threshold(start=1, end=9, text="85 pct", value=85, unit="percent", from_value=62.5, also=("rules_of_origin",)),),
        statements=(StanceLabel(statement=Statement(start=0, end=5, text="x", actor="US", issue="tariffs", context="c"),
                                stance="oppose", probability=0.75, tone=-0.5),),
    )
    batch = extractions_to_columns([*extractions, extra])
    assert batch.num_documents == len(extractions) + 1
    assert columns_to_extractions(batch) == [*extractions, extra]


@pytest.mark.parametrize(("n", "size", "workers", "sizes"), [
    (0, 8, 2, []),
    (5, 8, 2, [3, 2]),
    (30, 4, 2, [4] * 7 + [2]),
    (3, 8, 4, [1, 1, 1]),
])
def test_partition_sizes(n, size, workers, sizes, sample_docs):
    parts = partition(sample_docs[:n], size=size, workers=workers)
    assert [len(p) for p in parts] == sizes
    assert [d for p in parts for d in p] == sample_docs[:n]


@pytest.mark.parametrize("spec", [ExecutorSpec(kind="spark"), ExecutorSpec(kind="processes", scheduler="tcp://x:1"), ExecutorSpec(workers=0)])
def test_bad_specs_fail_with_a_helpful_error(spec):
    with pytest.raises(ConfigError):
        make_executor(Settings(), spec=spec)


def _export(db: Path) -> list[dict]:
    """Ingest-side check: export annotations from a database."""
    result = CliRunner().invoke(cli, ["--db", str(db), "export", "--format", "annotations"])
    assert result.exit_code == 0, result.output
    return sorted((json.loads(line) for line in result.stdout.splitlines() if line.strip()), key=lambda r: r["doc_id"])


def test_cli_ingest_with_processes_exports_the_same_annotations(tmp_path):
    exported = {}
    for executor in ("local", "processes"):
        db = tmp_path / f"{executor}.duckdb"
        result = CliRunner().invoke(cli, ["--db", str(db), "ingest", str(SAMPLE), "--limit", "4", "--json",
                                          "--executor", executor, "--processes", "2"])
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout.strip().splitlines()[-1])["new"] == 4
        exported[executor] = _export(db)
    assert len(exported["local"]) == 4
    assert exported["processes"] == exported["local"]
