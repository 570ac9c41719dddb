"""Benchmarks 7 (and 6 at scale): time per document from 1k up to N Reuters documents, and the no-op rerun.

One ingestion of the largest size (shuffled with a fixed seed, so every segment has the same mix of
lengths) records the elapsed time at each size in ``--sizes``; the time per document of
each segment must stay within 15% of the median segment's. Then the same documents are ingested again
(in-process) and that no-op rerun is timed. Usage::

    .venv/bin/python bench/scaling.py [--sizes 1000,2000,4000] [--executor processes] [--workers 2]

The corpus has 19,779 documents with text; ``--sizes 1000,5000,10000,19779`` runs all (sizes beyond it are
capped). This benchmark only times the pipeline, so it reads the held-out test split too: nothing is
scored, labelled or tuned on it.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from benchlib import Result, Timer, print_table, reuters, words, write_results
from pipeline.config import Settings
from pipeline.executors import ExecutorSpec, make_executor
from pipeline.ingest import IngestOptions, ingest_documents

TOLERANCE = 0.15


def run(*, sizes: list[int], executor: str, workers: int, batch_size: int) -> tuple[list[Result], list[dict]]:
    """Ingest up to max(sizes) documents once, timing each segment, then rerun as a no-op."""
    docs = reuters("all.jsonl.gz", shuffle_seed=0, timing_only=True)
    sizes = sorted({min(s, len(docs)) for s in sizes})
    docs = docs[: sizes[-1]]
    marks: dict[int, tuple[int, float]] = {}  # size -> (documents done, seconds) at the first batch reaching it
    done = 0
    with tempfile.TemporaryDirectory() as tmp, make_executor(Settings(), spec=ExecutorSpec(kind=executor, workers=workers)) as analyze:
        db = Path(tmp) / "scale.duckdb"
        analyze(docs[: 4 * 16 * workers])  # load the models and warm every worker's lazy parts (tone lexicon, cue index) before timing
        start = time.perf_counter()

        def on_batch(n: int) -> None:
            """Record the elapsed time whenever a size is reached."""
            nonlocal done
            done += n
            for s in sizes:
                if done >= s and s not in marks:
                    marks[s] = (done, time.perf_counter() - start)

        summary = ingest_documents(docs, db=db, analyze=analyze, options=IngestOptions(batch_size=batch_size), on_batch=on_batch)
        with Timer() as noop:
            again = ingest_documents(docs, db=db, analyze=analyze, options=IngestOptions(batch_size=batch_size))
    series, prev_n, prev_t = [], 0, 0.0
    for s in sizes:
        n, elapsed = marks[s]
        if n == prev_n:
            continue
        segment, seconds = docs[prev_n:n], elapsed - prev_t
        series.append({"docs": n, "seconds": round(elapsed, 2), "segment_ms_per_doc": round(1000 * seconds / len(segment), 2),
                       "segment_ms_per_1k_words": round(1e6 * seconds / max(1, words(segment)), 2),
                       "cumulative_ms_per_doc": round(1000 * elapsed / n, 2)})
        prev_n, prev_t = n, elapsed
    per_doc = [p["segment_ms_per_doc"] for p in series]
    middle = statistics.median(per_doc)
    spread = max(abs(x / middle - 1) for x in per_doc)
    note = f"sizes {','.join(map(str, sizes))}; executor {executor} x{workers}; ms/doc per segment {per_doc}"
    results = [
        Result("7 scaling", f"ms/doc first {sizes[0]} docs", per_doc[0], "ms/doc", note=note),
        Result("7 scaling", f"ms/doc last segment (to {sizes[-1]})", per_doc[-1], "ms/doc"),
        Result("7 scaling", "max |segment ms/doc / median - 1|", spread, "x", "<= 0.15", spread <= TOLERANCE),
        Result("6 no-op rerun", f"second ingest of {summary.new} docs (in-process)", noop.seconds, "s", "< 2", noop.seconds < 2,
               f"{again.unchanged} unchanged"),
    ]
    return results, series


def main() -> list[Result]:
    """Parse options, run, print and save."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,2000,4000", help="comma-separated document counts")
    parser.add_argument("--executor", default="processes", choices=("local", "processes", "dask"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=128)
    args, _ = parser.parse_known_args()
    results, series = run(sizes=[int(s) for s in args.sizes.split(",")], executor=args.executor, workers=args.workers, batch_size=args.batch_size)
    write_results("scaling", results, series=series)
    return results


if __name__ == "__main__":
    print_table(main())
