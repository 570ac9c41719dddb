"""Main-text extraction quality on the article-extraction benchmark (181 pages).

Scoring follows the benchmark's own definition (its README and evaluate.py): texts are tokenised
into ``\\w+`` tokens, compared as multisets of 4-token shingles; per page TP/FP/FN are normalised
to sum to 1; precision and recall are averaged over pages (a page counts for precision when it has
predicted shingles or matches, for recall when it has true ones), and F1 is the harmonic mean of
the two averages. Usage::

    .venv/bin/python bench/html_extraction.py [--corpus ../shared/corpora/html_benchmark] [--jobs 2]

The held-out ``trade_articles.jsonl`` in the same folder is never read here.
"""

from __future__ import annotations

import argparse
import gzip
import json
import logging
import re
import statistics
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

DEFAULT_CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "html_benchmark"
TOKEN = re.compile(r"\w+", re.UNICODE)
SHINGLE = 4


@dataclass(frozen=True, slots=True)
class PageScore:
    """Normalised shingle matches of one page."""

    tp: float
    fp: float
    fn: float


@dataclass(frozen=True, slots=True)
class Scores:
    """Averaged precision, recall and their F1 over all pages."""

    precision: float
    recall: float
    f1: float


def shingles(text: str) -> Counter:
    """Return the multiset of 4-token shingles (the whole text when shorter)."""
    tokens = TOKEN.findall(text or "")
    return Counter(tuple(tokens[i:i + SHINGLE]) for i in range(max(1, len(tokens) - SHINGLE + 1)) if tokens[i:i + SHINGLE])


def score_page(true: str, predicted: str) -> PageScore:
    """Count matched, extra and missing shingles, normalised so every page weighs the same."""
    gold, pred = shingles(true), shingles(predicted)
    tp = sum((gold & pred).values())
    fp = sum((pred - gold).values())
    fn = sum((gold - pred).values())
    total = tp + fp + fn
    return PageScore(tp / total, fp / total, fn / total) if total else PageScore(0.0, 0.0, 0.0)


def _precision(s: PageScore) -> float:
    """Precision of one page; a page with neither extras nor misses is perfect."""
    if s.fp == s.fn == 0:
        return 1.0
    return 0.0 if s.tp == s.fp == 0 else s.tp / (s.tp + s.fp)


def _recall(s: PageScore) -> float:
    """Recall of one page; a page with neither extras nor misses is perfect."""
    if s.fp == s.fn == 0:
        return 1.0
    return 0.0 if s.tp == s.fn == 0 else s.tp / (s.tp + s.fn)


def aggregate(pages: list[PageScore]) -> Scores:
    """Average precision and recall over pages and combine them into F1."""
    precision = statistics.mean(_precision(s) for s in pages if s.tp + s.fp > 0)
    recall = statistics.mean(_recall(s) for s in pages if s.tp + s.fn > 0)
    return Scores(precision, recall, 2 * precision * recall / (precision + recall))


def read_page(path: Path) -> str:
    """Read one gzip-compressed, UTF-8 benchmark page."""
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return fh.read()


def extract_both(path: Path) -> tuple[str, str, str]:
    """Return (item id, plain trafilatura text, parse_html text) for one page."""
    import trafilatura

    from pipeline.scrape.parse import parse_html

    html = read_page(path)
    plain = trafilatura.extract(html, include_comments=False) or ""
    ours = parse_html(html, url=None).text
    return path.name.split(".")[0], plain, ours


def main(argv: list[str] | None = None) -> int:
    """Score plain trafilatura and parse_html on the benchmark and print the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    truth_path = args.corpus / "ground-truth.json"
    if not truth_path.exists():
        sys.stdout.write(f"skipped: benchmark not found at {args.corpus} (needs ../shared/corpora/html_benchmark)\n")
        return 0
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    paths = sorted((args.corpus / "html").glob("*.html.gz"))
    started = time.monotonic()
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        outputs = {key: (plain, ours) for key, plain, ours in pool.map(extract_both, paths, chunksize=4)}
    if set(outputs) != set(truth):
        sys.stdout.write(f"error: {len(outputs)} pages but {len(truth)} ground-truth items; check the corpus\n")
        return 1
    results = {}
    for column, name in ((0, "trafilatura (plain extract)"), (1, "tradestance parse_html")):
        results[name] = aggregate([score_page(truth[k].get("articleBody", ""), outputs[k][column]) for k in sorted(truth)])
    sys.stdout.write(f"html_benchmark: {len(truth)} pages, {time.monotonic() - started:.1f}s\n")
    for name, s in results.items():
        sys.stdout.write(f"{name:<30} precision={s.precision:.4f} recall={s.recall:.4f} F1={s.f1:.4f}\n")
    ours, plain = results["tradestance parse_html"], results["trafilatura (plain extract)"]
    sys.stdout.write(f"F1 ratio parse_html / trafilatura = {ours.f1 / plain.f1:.4f}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
