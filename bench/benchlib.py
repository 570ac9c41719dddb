"""Shared helpers for the benchmarks: corpus loading, timing, results, JSON for DVC plots.

Reuters documents of the held-out ``test`` split are left out, except where a benchmark only times the
pipeline (the scaling run over ``all.jsonl.gz``): timing reads no labels and tunes nothing.
"""

from __future__ import annotations

import gzip
import json
import os
import random
import resource
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from pipeline.io.documents import document_from_record
from pipeline.types import Document

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("TRADESTANCE_SHARED", ROOT.parent / "shared" / "corpora"))
OUT = ROOT / "out" / "bench"
HELD_OUT_SPLIT = "test"


@dataclass(frozen=True, slots=True)
class Result:
    """One measured number with its unit, target and whether the target was met (None: no target)."""

    bench: str
    metric: str
    value: float
    unit: str
    target: str = ""
    ok: bool | None = None
    note: str = ""


def reuters(name: str = "trade.jsonl", *, limit: int | None = None, shuffle_seed: int | None = None, timing_only: bool = False) -> list[Document]:
    """Read Reuters documents with text (the held-out test split only for timing_only), shuffled if asked, at most ``limit``."""
    path = SHARED / "reuters21578" / name
    if not path.exists():
        raise SystemExit(f"{path} is absent: the benchmarks need ../shared/corpora (or set TRADESTANCE_SHARED)")
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines if line.strip()]
    docs = [document_from_record(r, where=f"{path}:{i}") for i, r in enumerate(records, 1)
            if (timing_only or r.get("split") != HELD_OUT_SPLIT) and (r.get("text") or "").strip()]
    if shuffle_seed is not None:
        random.Random(shuffle_seed).shuffle(docs)
    return docs[:limit] if limit else docs


def words(docs: list[Document]) -> int:
    """Count whitespace-separated words, the unit of the speed ratios."""
    return sum(len(d.text.split()) for d in docs)


class Timer:
    """Context manager measuring wall-clock seconds."""

    def __enter__(self) -> Timer:
        """Start the clock."""
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc) -> None:
        """Stop the clock."""
        self.seconds = time.perf_counter() - self.start


def peak_rss_mb(who: int = resource.RUSAGE_SELF) -> float:
    """Peak resident memory in MB of this process (or of its largest finished child)."""
    return resource.getrusage(who).ru_maxrss / 1024


def load_average() -> float:
    """The 1-minute load average, to judge how busy the machine was."""
    return os.getloadavg()[0]


def write_json(name: str, payload) -> Path:
    """Write a JSON file under out/bench/ (DVC metrics and plots read these)."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return path


def write_results(name: str, results: list[Result], **extra) -> Path:
    """Write a benchmark's results (and extra series) as JSON."""
    return write_json(name, {"results": [asdict(r) for r in results], "load_average": round(load_average(), 2), **extra})


def print_table(results: list[Result]) -> None:
    """Print results as a plain table."""
    rows = [("bench", "metric", "value", "unit", "target", "met"), *(
        (r.bench, r.metric, f"{r.value:,.3f}" if abs(r.value) < 100 else f"{r.value:,.0f}", r.unit, r.target,
         "" if r.ok is None else ("yes" if r.ok else "NO")) for r in results)]
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    for n, row in enumerate(rows):
        print("  ".join(str(cell).ljust(w) for cell, w in zip(row, widths)).rstrip())
        if n == 0:
            print("  ".join("-" * w for w in widths))


def chunks(items: list, size: int) -> Iterator[list]:
    """Yield consecutive slices of ``size``."""
    for i in range(0, len(items), size):
        yield items[i:i + size]
