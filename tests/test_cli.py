"""The tradestance command line, run for real (in-process with click's runner, or as a subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.store.lock import EXIT_LOCKED, ingest_lock
from tests.conftest import SAMPLE, shared_path, spec_path

SPEC_KEYS = ["doc_id", "officials", "countries", "issues", "thresholds", "quotes", "stances"]


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    """A database holding the first 6 sample documents, ingested through the CLI."""
    db = tmp_path_factory.mktemp("cli") / "sample.duckdb"
    result = CliRunner().invoke(cli, ["--db", str(db), "ingest", str(SAMPLE), "--limit", "6", "--json"])
    assert result.exit_code == 0, result.output
    return db


def _run(*args: str, **kw):
    """Invoke the CLI in-process."""
    return CliRunner().invoke(cli, list(args), **kw)


def test_ingest_prints_a_json_summary_and_reingest_adds_nothing(sample_db):
    result = _run("--db", str(sample_db), "ingest", str(SAMPLE), "--limit", "6", "--json")
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert result.exit_code == 0
    assert (summary["new"], summary["unchanged"], summary["status"]) == (0, 6, "ok")


@pytest.mark.parametrize("fmt", ["csv", "json", "table"])
def test_query_formats(sample_db, fmt):
    result = _run("--db", str(sample_db), "query", "SELECT doc_id, kind FROM documents ORDER BY doc_id", "--format", fmt)
    assert result.exit_code == 0, result.output
    assert "sample:" in result.stdout
    if fmt == "json":
        rows = [json.loads(line) for line in result.stdout.splitlines()]
        assert len(rows) == 6 and set(rows[0]) == {"doc_id", "kind"}
    if fmt == "csv":
        assert result.stdout.splitlines()[0] == "doc_id,kind"


def test_query_to_parquet(sample_db, tmp_path):
    out = tmp_path / "docs.parquet"
    result = _run("--db", str(sample_db), "query", "SELECT doc_id, published FROM documents", "--format", "parquet", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert pq.read_table(out).num_rows == 6


def test_query_error_is_one_line_and_exit_1(sample_db):
    result = _run("--db", str(sample_db), "query", "SELECT nope FROM documents")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: query failed:")


def test_query_is_read_only(sample_db):
    result = _run("--db", str(sample_db), "query", "DELETE FROM documents")
    assert result.exit_code == 1 and "read-only" in result.stderr.lower()


def test_query_without_database_says_what_to_do(tmp_path):
    result = _run("--db", str(tmp_path / "none.duckdb"), "query", "SELECT 1")
    assert result.exit_code == 1 and "run `tradestance ingest` first" in result.stderr


def test_export_annotations_one_valid_line_per_document(sample_db):
    result = _run("--db", str(sample_db), "export", "--format", "annotations")
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.exit_code == 0 and len(lines) == 6
    assert all(list(obj) == SPEC_KEYS for obj in lines)
    assert all(obj["countries"] == sorted(obj["countries"]) for obj in lines)


def test_export_selected_documents_and_a_view(sample_db, tmp_path):
    first = _run("--db", str(sample_db), "query", "SELECT min(doc_id) AS d FROM documents", "--format", "csv").stdout.splitlines()[1]
    result = _run("--db", str(sample_db), "export", "--doc-id", first)
    assert [json.loads(line)["doc_id"] for line in result.stdout.splitlines()] == [first]
    out = tmp_path / "countries.csv"
    result = _run("--db", str(sample_db), "export", "--format", "csv", "--view", "country_mentions", "-o", str(out))
    assert result.exit_code == 0 and out.read_text().startswith("doc_id,")


@pytest.mark.parametrize("args", [["ingest"], ["query"], ["export", "--format", "csv"], ["nosuchcommand"]])
def test_usage_errors_exit_2(sample_db, args):
    assert _run("--db", str(sample_db), *args).exit_code == 2


def test_second_ingest_exits_75_while_one_is_running(tmp_path):
    db = tmp_path / "locked.duckdb"
    with ingest_lock(db):
        result = _run("--db", str(db), "ingest", str(SAMPLE), "--limit", "1")
    assert result.exit_code == EXIT_LOCKED
    assert "another ingest run" in result.stderr


def test_query_waits_for_a_writer_then_gives_a_clear_message(sample_db):
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb, time; c = duckdb.connect({str(sample_db)!r}); print('held', flush=True); time.sleep(600)"],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        env = {**os.environ, "TRADESTANCE_LOCK_TIMEOUT_S": "0.5"}
        quick = subprocess.run([sys.executable, "-m", "pipeline", "--db", str(sample_db), "query", "SELECT 1"], capture_output=True, text=True, env=env)
        assert quick.returncode == EXIT_LOCKED and "locked by another process" in quick.stderr
        env["TRADESTANCE_LOCK_TIMEOUT_S"] = "60"
        patient = subprocess.Popen([sys.executable, "-m", "pipeline", "--db", str(sample_db), "query", "SELECT 42 AS x", "--format", "csv"],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        time.sleep(2)
        assert patient.poll() is None  # still waiting for the writer
        holder.kill()
        out, _ = patient.communicate(timeout=60)
        assert patient.returncode == 0 and "42" in out
    finally:
        holder.kill()


def test_evaluate_seed_prints_the_score_table(tmp_path):
    gold, docs = spec_path("example_seed.gold.jsonl"), shared_path("seed", "documents.jsonl")
    out = tmp_path / "scores.json"
    result = _run("--db", str(tmp_path / "e.duckdb"), "evaluate", str(gold), "--docs", str(docs), "--json", str(out))
    assert result.exit_code == 0, result.output
    assert "officials" in result.stdout and "thresholds" in result.stdout
    scores = json.loads(out.read_text())
    assert scores["documents"] == 1 and scores["items"]["thresholds"]["f1"] > 0.5


def test_reuters_trade_exports_one_valid_line_per_document(tmp_path):
    trade = shared_path("reuters21578", "trade.jsonl")
    db = str(tmp_path / "r.duckdb")
    assert _run("--db", db, "ingest", str(trade), "--limit", "40").exit_code == 0
    lines = [json.loads(line) for line in _run("--db", db, "export").stdout.splitlines()]
    assert len(lines) == 40 and all(list(obj) == SPEC_KEYS for obj in lines)
