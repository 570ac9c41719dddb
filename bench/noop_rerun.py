"""Benchmark 6: a no-op incremental rerun (ingest the same file twice; time the second).

Runs the real CLI as a subprocess (so interpreter start-up and imports count) on the bundled sample,
or on ``--file``. Target: < 2 s. Usage::

    .venv/bin/python bench/noop_rerun.py [--file corpora/sample/documents.jsonl]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from benchlib import ROOT, Result, Timer, print_table, write_results

TARGET_S = 2.0


def _ingest(db: Path, path: Path) -> dict:
    """Run ``tradestance ingest --json`` and return its summary."""
    cmd = [sys.executable, "-m", "pipeline", "--db", str(db), "ingest", str(path), "--json"]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(*, path: Path) -> list[Result]:
    """Ingest twice into a fresh database and time the second run."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "noop.duckdb"
        first = _ingest(db, path)
        with Timer() as t:
            second = _ingest(db, path)
    assert second["new"] == second["revised"] == 0, second
    return [Result("6 no-op rerun", f"second ingest of {path.name} (CLI, wall)", t.seconds, "s", "< 2", t.seconds < TARGET_S,
                   f"{second['unchanged']} unchanged docs; in-process {second['seconds']:.2f} s; first run {first['seconds']:.1f} s")]


def main() -> list[Result]:
    """Parse options, run, print and save."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=ROOT / "corpora" / "sample" / "documents.jsonl")
    args, _ = parser.parse_known_args()
    results = run(path=args.file)
    write_results("noop_rerun", results)
    return results


if __name__ == "__main__":
    print_table(main())
