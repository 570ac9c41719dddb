"""Benchmark 1 (and 8 for this process): extraction + stance words/s over bare spaCy ``nlp.pipe`` words/s.

Extraction alone (the spaCy components, no stance model) is measured too, to show where the time goes.

All run on the same Reuters trade texts (train/unused splits only) in the same process, alternating,
best of ``--repeats``. Target: ratio >= 0.85. Usage::

    .venv/bin/python bench/extraction_speed.py [--docs 200] [--repeats 2]
"""

from __future__ import annotations

import argparse

import spacy

from benchlib import Result, Timer, peak_rss_mb, print_table, reuters, words, write_results
from pipeline.analyze import MAX_CHUNK_CHARS, Analyzer
from pipeline.config import Settings
from pipeline.nlp.extract import extract_documents

TARGET = 0.85


def run(*, n_docs: int, repeats: int, batch_size: int = 64) -> list[Result]:
    """Measure bare and full words/s on the same texts; return the results."""
    settings = Settings(batch_size=batch_size)
    docs = reuters(limit=n_docs)
    texts = [d.text for d in docs]
    n_words = words(docs)
    bare = spacy.load(settings.spacy_model)
    analyzer = Analyzer(settings=settings)
    list(bare.pipe(texts[:10])), analyzer(docs[:10])  # warm both up
    bare_s, extract_s, full_s = [], [], []
    for _ in range(repeats):
        with Timer() as t:
            for _doc in bare.pipe(texts, batch_size=batch_size):
                pass
        bare_s.append(t.seconds)
        with Timer() as t:
            extract_documents(analyzer.nlp, docs, batch_size=batch_size, max_chars=MAX_CHUNK_CHARS)
        extract_s.append(t.seconds)
        with Timer() as t:
            analyzer(docs)
        full_s.append(t.seconds)
    bare_wps, extract_wps, full_wps = n_words / min(bare_s), n_words / min(extract_s), n_words / min(full_s)
    ratio = full_wps / bare_wps
    note = f"{len(docs)} docs, {n_words} words, best of {repeats}"
    return [
        Result("1 extraction speed", "bare en_core_web_sm nlp.pipe", bare_wps, "words/s", note=note),
        Result("1 extraction speed", "extraction only (no stance)", extract_wps, "words/s", note=note),
        Result("1 extraction speed", "ratio extraction only / bare", extract_wps / bare_wps, "x"),
        Result("1 extraction speed", "extraction + stance", full_wps, "words/s", note=note),
        Result("1 extraction speed", "ratio full / bare", ratio, "x", ">= 0.85", ratio >= TARGET),
        Result("8 peak memory", "main process (bare + full models)", peak_rss_mb(), "MB", "< 1500", peak_rss_mb() < 1500),
    ]


def main() -> list[Result]:
    """Parse options, run, print and save."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=200, help="Reuters trade documents (non-test) to use")
    parser.add_argument("--repeats", type=int, default=2)
    args, _ = parser.parse_known_args()
    results = run(n_docs=args.docs, repeats=args.repeats)
    write_results("extraction_speed", results)
    return results


if __name__ == "__main__":
    print_table(main())
