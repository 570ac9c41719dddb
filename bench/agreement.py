"""Inter-annotator agreement on dev-gold stances: a second, blind annotation scored against the dev gold.

Prints the spec scorer's stance detection P/R/F1 and macro-F1 (support, oppose) on matched pairs of
corpora/gold/dev_second_annotation.jsonl against corpora/gold/dev.jsonl: how far two careful readers
of the same documents agree, the ceiling the stance model's dev scores should be read against.
The seed article is also reported apart (its second annotator had seen the spec's worked example).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from pipeline.annotations import read_annotations
from pipeline.evaluate import PRF, macro_f1, score_stances

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "corpora" / "gold" / "dev.jsonl"
SECOND = ROOT / "corpora" / "gold" / "dev_second_annotation.jsonl"


def agreement(gold_path: Path, second_path: Path, *, skip_prefix: str | None = None) -> tuple[PRF, float, int]:
    """Return detection counts, macro-F1 on matched pairs and the number of documents compared."""
    gold = {g.doc_id: g for g in read_annotations(gold_path)}
    second = {s.doc_id: s for s in read_annotations(second_path)}
    missing = sorted(set(gold) - set(second))
    if missing:
        raise SystemExit(f"{second_path}: no annotation for {len(missing)} gold documents (e.g. {missing[0]}); annotate them first")
    tp = fp = fn = 0
    pairs: list[tuple[str, str]] = []
    docs = [d for d in gold if not (skip_prefix and d.startswith(skip_prefix))]
    for doc_id in docs:
        prf, matched = score_stances(gold[doc_id], second[doc_id])
        tp, fp, fn = tp + prf.tp, fp + prf.fp, fn + prf.fn
        pairs += [(g.stance, s.stance) for g, s in matched]
    return PRF(tp, fp, fn), macro_f1(pairs), len(docs)


def main() -> None:
    """Print the agreement table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gold", type=Path, default=GOLD)
    parser.add_argument("--second", type=Path, default=SECOND)
    args = parser.parse_args()
    print("| documents | detection P | detection R | detection F1 | macro-F1 on matched pairs |")
    print("|---|---|---|---|---|")
    for label, skip in (("all", None), ("without the seed", "seed:")):
        prf, macro, n = agreement(args.gold, args.second, skip_prefix=skip)
        print(f"| {n} ({label}) | {prf.precision:.3f} | {prf.recall:.3f} | {prf.f1:.3f} | {macro:.3f} |")


if __name__ == "__main__":
    main()
