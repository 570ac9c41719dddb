"""`tradestance ingest --sources` as a scheduled job: SIGTERM, SIGKILL and the per-database lock.

Each run is a real subprocess (``python -m pipeline``) scraping the replica site's generated
section, with the real analyzer, into a DuckDB file.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from scrape_replica import sources_toml

from pipeline.store.lock import EXIT_LOCKED

REPO = Path(__file__).resolve().parents[2]
ARTICLES = 12
pytestmark = pytest.mark.slow


@pytest.fixture
def job(site, tmp_path):
    """Return a factory of `tradestance ingest --sources` subprocesses against the replica."""
    site.replica.generated = ARTICLES
    sources = tmp_path / "sources.toml"
    sources.write_text(sources_toml(site.base, include=("generated",), rate=8), encoding="utf-8")
    config = tmp_path / "tradestance.toml"
    config.write_text('allow_hosts = ["127.0.0.1"]\n[extra.fetch]\ntimeout_s = 5.0\n', encoding="utf-8")
    db = tmp_path / "store.duckdb"

    def start() -> subprocess.Popen:
        """Start one scheduled-style run."""
        command = [sys.executable, "-m", "pipeline", "--db", str(db), "--config", str(config),
                   "ingest", "--sources", str(sources), "--json", "--batch-size", "4"]
        env = {k: v for k, v in os.environ.items() if not k.startswith("TRADESTANCE_")}
        return subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    start.db = db  # type: ignore[attr-defined]
    return start


def wait_for_pages(site, count: int, *, timeout: float = 60.0) -> None:
    """Wait until the replica has served ``count`` generated articles."""
    deadline = time.monotonic() + timeout
    while sum(n for path, n in site.replica.hits.items() if path.startswith("/gen/a")) < count:
        assert time.monotonic() < deadline, "the run did not fetch pages in time"
        time.sleep(0.05)


def finish(process: subprocess.Popen) -> tuple[int, dict | None, str]:
    """Wait for a run; return its exit code, JSON summary (if any) and stderr."""
    out, err = process.communicate(timeout=90)
    lines = [line for line in out.splitlines() if line.startswith("{")]
    return process.returncode, (json.loads(lines[-1]) if lines else None), err


def stored(db: Path) -> tuple[int, int, int]:
    """Return (documents, distinct doc ids, revisions) in the store."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        docs, distinct = con.execute("SELECT count(*), count(DISTINCT url) FROM documents").fetchone()
        revisions = con.execute("SELECT count(*) FROM document_revisions").fetchone()[0]
    finally:
        con.close()
    return docs, distinct, revisions


def test_sigterm_finishes_the_batch_commits_and_exits_0(site, job):
    """SIGTERM mid-run: exit 0, status interrupted, whole batches stored; a rerun completes the rest."""
    process = job()
    wait_for_pages(site, 6)
    process.send_signal(signal.SIGTERM)
    code, summary, err = finish(process)
    assert code == 0, err
    assert summary["status"] == "interrupted"
    docs, distinct, revisions = stored(job.db)
    assert 0 < docs < ARTICLES and docs % 4 == 0 and docs == distinct == revisions
    code, summary, err = finish(job())
    assert code == 0, err
    assert summary["status"] == "ok" and summary["new"] == ARTICLES - docs
    assert summary["sources"]["replica-generated"]["new_documents"] == ARTICLES - docs
    assert summary["sources"]["replica-generated"]["discovered"] == ARTICLES
    assert stored(job.db) == (ARTICLES, ARTICLES, ARTICLES)


def test_sigkill_loses_nothing_committed_and_second_run_is_locked_out(site, job):
    """While a run holds the lock a second one exits 75 at once; SIGKILL loses no committed batch, and a rerun completes without duplicates."""
    site.replica.gen_delay_s = 0.3  # keep the first run busy while the second one starts up
    first = job()
    wait_for_pages(site, 2)
    started = time.monotonic()
    code, summary, err = finish(job())
    assert code == EXIT_LOCKED, err
    assert "another ingest run" in err
    assert time.monotonic() - started < 20  # no waiting for the lock (the time is interpreter start-up)
    wait_for_pages(site, 7)  # in the middle of the second batch
    assert first.poll() is None, "the first run ended before it could be killed; slow the replica down"
    first.send_signal(signal.SIGKILL)
    first.communicate(timeout=30)
    assert first.returncode == -signal.SIGKILL
    docs, distinct, revisions = stored(job.db)
    assert docs == distinct == revisions and docs % 4 == 0
    code, summary, err = finish(job())
    assert code == 0, err
    assert summary["new"] == ARTICLES - docs and summary["revised"] == 0
    assert stored(job.db) == (ARTICLES, ARTICLES, ARTICLES)
