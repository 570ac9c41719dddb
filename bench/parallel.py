"""Benchmarks 2, 3 and 8 (workers): ``--processes 2`` over 1 process, Dask LocalCluster (2 workers) over it.

All three executors analyze the same Reuters trade texts (non-test) after a warm-up call, so model
loading is not timed. Targets: processes 2 / 1 process >= 1.7. Usage::

    .venv/bin/python bench/parallel.py [--docs 200] [--workers 2]
"""

from __future__ import annotations

import argparse
import functools
import resource

from benchlib import Result, Timer, load_average, peak_rss_mb, print_table, reuters, words, write_results
from pipeline.config import Settings
from pipeline.executors import ExecutorSpec, make_executor

TARGET = 1.7


def _time_executor(settings: Settings, spec: ExecutorSpec, docs) -> tuple[float, list[float]]:
    """Seconds to analyze docs with a warm executor, and the peak RSS (MB) of its worker processes."""
    with make_executor(settings, spec=spec) as analyze:
        analyze(docs[: 2 * spec.workers])  # warm-up: every worker has loaded its model
        with Timer() as t:
            analyze(docs)
        rss = []
        if spec.kind == "dask":
            rss = [r.ru_maxrss / 1024 for r in analyze._client.run(functools.partial(resource.getrusage, resource.RUSAGE_SELF)).values()]
    if spec.kind == "processes":
        rss = [peak_rss_mb(resource.RUSAGE_CHILDREN)]  # largest finished worker
    return t.seconds, rss


def run(*, n_docs: int, workers: int, partition_size: int = 8) -> list[Result]:
    """Time local, processes and dask executors on the same documents."""
    settings = Settings()
    docs = reuters(limit=n_docs)
    n_words = words(docs)
    load = load_average()
    local_s, _ = _time_executor(settings, ExecutorSpec(kind="local"), docs)
    proc_s, proc_rss = _time_executor(settings, ExecutorSpec(kind="processes", workers=workers, partition_size=partition_size), docs)
    dask_s, dask_rss = _time_executor(settings, ExecutorSpec(kind="dask", workers=workers, partition_size=partition_size), docs)
    note = f"{len(docs)} docs, {n_words} words; load average {load:.1f} before"
    speedup = local_s / proc_s
    return [
        Result("2 processes", "1 process (local)", n_words / local_s, "words/s", note=note),
        Result("2 processes", f"--processes {workers}", n_words / proc_s, "words/s", note=note),
        Result("2 processes", f"speed-up processes {workers} / 1", speedup, "x", ">= 1.7", speedup >= TARGET),
        Result("3 dask", f"LocalCluster {workers} workers", n_words / dask_s, "words/s", note=note),
        Result("3 dask", f"dask / processes {workers}", proc_s / dask_s, "x", "(overhead)"),
        Result("8 peak memory", "processes worker (max)", max(proc_rss), "MB", "< 1500", max(proc_rss) < 1500),
        Result("8 peak memory", "dask worker (max)", max(dask_rss), "MB", "< 1500", max(dask_rss) < 1500),
    ]


def main() -> list[Result]:
    """Parse options, run, print and save."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    args, _ = parser.parse_known_args()
    results = run(n_docs=args.docs, workers=args.workers)
    write_results("parallel", results)
    return results


if __name__ == "__main__":
    print_table(main())
