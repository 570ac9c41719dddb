"""Benchmarks 2, 3 and 8 (workers): ``--processes 2`` over 1 process, Dask LocalCluster (2 workers) over it.

The executors analyze the same Reuters trade texts (non-test), interleaved after a warm-up call (model
loading is not timed; load bursts from elsewhere hit all alike), in two phases: local with processes,
then processes with Dask, so an idle Dask cluster never shares the cores while the pool is timed. Target: processes 2 / 1 process >= 1.7. Usage::

    .venv/bin/python bench/parallel.py [--docs 200] [--workers 2] [--repeats 2]
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import multiprocessing
import resource
from concurrent.futures import ProcessPoolExecutor

from benchlib import Result, Timer, load_average, print_table, reuters, words, write_results
from pipeline.config import Settings
from pipeline.executors import ExecutorSpec, make_executor

TARGET = 1.7


def _spin(n: int) -> int:
    """A fixed amount of pure-Python CPU work."""
    total = 0
    for i in range(n):
        total += i % 7
    return total


def cpu_capacity(workers: int, *, n: int = 20_000_000) -> float:
    """How many cores are free right now: throughput of ``workers`` busy processes over one (ideal = workers)."""
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
        list(pool.map(_spin, [1000] * workers))  # start the processes before timing
        with Timer() as one:
            pool.submit(_spin, n).result()
        with Timer() as many:
            list(pool.map(_spin, [n] * workers))
    return workers * one.seconds / many.seconds


def _worker_peak_rss(analyze, kind: str) -> float:
    """Peak RSS (MB) of the largest worker of a pool or Dask executor."""
    if kind == "dask":
        usage = analyze._client.run(functools.partial(resource.getrusage, resource.RUSAGE_SELF)).values()
    else:
        usage = [f.result() for f in [analyze._pool.submit(resource.getrusage, resource.RUSAGE_SELF) for _ in range(4 * analyze.workers)]]
    return max(u.ru_maxrss for u in usage) / 1024


def _interleaved(settings: Settings, specs: dict[str, ExecutorSpec], docs, *, workers: int, repeats: int) -> tuple[dict[str, float], dict[str, float]]:
    """Start the executors together, warm them up, time them interleaved; return best seconds and worker peak RSS."""
    seconds: dict[str, list[float]] = {k: [] for k in specs}
    with contextlib.ExitStack() as stack:
        executors = {k: stack.enter_context(make_executor(settings, spec=spec)) for k, spec in specs.items()}
        for analyze in executors.values():
            analyze(docs[: 4 * workers])  # warm-up: every worker has loaded its model
        for _ in range(repeats):  # interleaved, so a burst of load elsewhere hits all alike
            for kind, analyze in executors.items():
                with Timer() as t:
                    analyze(docs)
                seconds[kind].append(t.seconds)
        rss = {k: _worker_peak_rss(executors[k], k) for k in specs if k != "local"}
    return {k: min(v) for k, v in seconds.items()}, rss


def run(*, n_docs: int, workers: int, repeats: int, partition_size: int = ExecutorSpec().partition_size) -> list[Result]:
    """Time local vs processes, then processes vs dask, on the same documents, interleaved, best of ``repeats``."""
    settings = Settings()
    docs = reuters(limit=n_docs)
    n_words = words(docs)
    load = load_average()
    specs = {"local": ExecutorSpec(kind="local"),
             "processes": ExecutorSpec(kind="processes", workers=workers, partition_size=partition_size),
             "dask": ExecutorSpec(kind="dask", workers=workers, partition_size=partition_size)}
    # Two phases, so an idle Dask cluster (its nannies, heartbeats and event loops) does not share the
    # cores while the process pool is timed against one process.
    first, rss = _interleaved(settings, {k: specs[k] for k in ("local", "processes")}, docs, workers=workers, repeats=repeats)
    second, rss_dask = _interleaved(settings, {k: specs[k] for k in ("processes", "dask")}, docs, workers=workers, repeats=repeats)
    rss = {k: max(rss.get(k, 0.0), rss_dask.get(k, 0.0)) for k in (*rss, *rss_dask)}
    local_s, proc_s = first["local"], first["processes"]
    dask_s, proc_s2 = second["dask"], second["processes"]
    capacity = cpu_capacity(workers)
    note = f"{len(docs)} docs, {n_words} words, best of {repeats} interleaved; load average {load:.1f} before, {load_average():.1f} after"
    speedup = local_s / proc_s
    return [
        Result("2 processes", "1 process (local)", n_words / local_s, "words/s", note=note),
        Result("2 processes", f"--processes {workers}", n_words / proc_s, "words/s", note=note),
        Result("2 processes", f"speed-up processes {workers} / 1", speedup, "x", ">= 1.7", speedup >= TARGET),
        Result("2 processes", f"control: {workers} busy loops / 1 (free cores)", capacity, "x", note="the most any executor could gain now"),
        Result("3 dask", f"LocalCluster {workers} workers", n_words / dask_s, "words/s", note=note),
        Result("3 dask", f"dask / processes {workers}", proc_s2 / dask_s, "x", "(overhead)", note="timed together in the second phase"),
        Result("8 peak memory", "processes worker (max)", rss["processes"], "MB", "< 1500", rss["processes"] < 1500),
        Result("8 peak memory", "dask worker (max)", rss["dask"], "MB", "< 1500", rss["dask"] < 1500),
    ]


def main() -> list[Result]:
    """Parse options, run, print and save."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=2)
    args, _ = parser.parse_known_args()
    results = run(n_docs=args.docs, workers=args.workers, repeats=args.repeats)
    write_results("parallel", results)
    return results


if __name__ == "__main__":
    print_table(main())
