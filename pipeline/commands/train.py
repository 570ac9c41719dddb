"""``tradestance train``: fit the stance model on the labelled statements; write model, card and metrics."""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import click

from pipeline.cli import Context, cli
from pipeline.config import PROJECT_DIR
from pipeline.errors import InputError
from pipeline.io.documents import ReadReport, read_documents
from pipeline.stance.card import params_dict, render_card, tone_relation
from pipeline.stance.features import read_cues
from pipeline.stance.labels import read_document_stances, read_labels
from pipeline.stance.model import read_params, save_model
from pipeline.stance.pairs import GATE_INPUTS
from pipeline.stance.tone import ToneScorer
from pipeline.stance.train import (build_examples, cross_validate, document_gold, extract_for_training, fit_gate, fit_statements, majority_label,
                                   reconcile, synthetic_documents)

SHARED = PROJECT_DIR.parent / "shared" / "corpora"
DEFAULT_DOCS = (SHARED / "reuters21578" / "all.jsonl.gz", SHARED / "us_gov" / "speeches_trade.jsonl",
                SHARED / "us_gov" / "proclamations_trade.jsonl", SHARED / "seed" / "documents.jsonl")
DEV_DOCS = PROJECT_DIR / "corpora" / "gold" / "dev_docs.tsv"
DOC_GOLD = PROJECT_DIR / "corpora" / "gold" / "train_stances.jsonl"


def label_files(paths: tuple[Path, ...]) -> list[Path]:
    """Expand folders into their *.jsonl files, in name order."""
    out = []
    for path in paths:
        out += sorted(path.glob("*.jsonl")) if path.is_dir() else [path]
    return out


def read_dev_ids(path: Path = DEV_DOCS) -> set[str]:
    """Return the doc_ids reserved for evaluation (never trained on)."""
    if not path.exists():
        return set()
    return {line.split("\t")[0] for line in path.read_text(encoding="utf-8").splitlines()[1:] if line.strip()}


@cli.command()
@click.option("--labels", "labels", multiple=True, type=click.Path(exists=True, path_type=Path), default=(PROJECT_DIR / "corpora" / "stance",), show_default=True, help="Label JSONL files or folders (repeatable).")
@click.option("--doc-gold", "doc_gold_path", type=click.Path(dir_okay=False, path_type=Path), default=DOC_GOLD, show_default=True, help="Document-level gold stances of training stories (the pair gate learns from them; absent: no gate).")
@click.option("--docs", "docs", multiple=True, type=click.Path(path_type=Path), help="Documents the labels point into (repeatable; default: ../shared corpora).")
@click.option("--params", "params_path", type=click.Path(dir_okay=False, path_type=Path), default=None, help="params.yaml with a `stance:` section (default: params.yaml if present).")
@click.option("--out", "model_path", type=click.Path(dir_okay=False, path_type=Path), default=PROJECT_DIR / "models" / "stance.skops", show_default=True, help="Model file to write.")
@click.option("--card", "card_path", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Model card to write (default: the model path with .md).")
@click.option("--metrics", "metrics_path", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Also write the CV scores as JSON here.")
@click.option("--no-cv", is_flag=True, help="Skip cross-validation (faster; the card then has no CV scores).")
@click.pass_obj
def train(obj: Context, labels: tuple[Path, ...], doc_gold_path: Path, docs: tuple[Path, ...], params_path: Path | None, model_path: Path, card_path: Path | None, metrics_path: Path | None, no_cv: bool) -> None:
    """Train the stance classifier (support / oppose / none per statement) and write its model card."""
    if params_path is None and Path("params.yaml").exists():
        params_path = Path("params.yaml")
    params = read_params(params_path)
    files = label_files(labels)
    records = list(read_labels(files))
    gold_stances = read_document_stances(doc_gold_path) if params.pair_gate and doc_gold_path.exists() else {}
    docs = docs or DEFAULT_DOCS
    absent = [str(p) for p in docs if not Path(p).exists()]
    if absent:
        click.echo(f"train: skipped, the labelled documents are absent ({', '.join(absent)}); the committed model stays in place", err=True)
        return
    dev = read_dev_ids()
    for source, what, ids in ((files[0], "labels use", {r.doc_id for r in records}), (doc_gold_path, "document gold uses", set(gold_stances))):
        if reserved := dev & ids:
            raise InputError(str(source), f"{what} dev-gold documents ({', '.join(sorted(reserved)[:3])}); remove them, dev gold is for evaluation only")
    wanted = {r.doc_id for r in records if r.origin != "synthetic"} | set(gold_stances)
    documents = {d.doc_id: d for d in read_documents(docs, report=ReadReport()) if d.doc_id in wanted}
    documents.update(synthetic_documents(records))
    missing = wanted - set(documents)
    if missing:
        click.echo(f"train: {len(missing)} labelled documents not found in --docs (e.g. {sorted(missing)[0]}); their labels are skipped", err=True)
    from pipeline.nlp.pipeline import build_nlp

    spans: dict[str, list[tuple[int, int]]] = {d: [(0, len(documents[d].text))] for d in gold_stances if d in documents}
    for r in records:
        spans.setdefault(r.doc_id, []).append((r.start, r.end))
    extractions = extract_for_training(build_nlp(model=obj.settings.spacy_model), documents, spans, batch_size=obj.settings.batch_size)
    lexicon = read_cues()
    examples = build_examples(records, documents, extractions, lexicon, neighbour_reach=params.neighbour_reach)
    gold = document_gold(gold_stances, documents, extractions, lexicon, neighbour_reach=params.neighbour_reach, roles=frozenset(params.stance_roles)) if gold_stances else None
    reconciled = 0
    if gold is not None and params.reconcile_labels:
        before = [e.stance for e in examples]
        examples = reconcile(examples, gold)
        reconciled = sum(1 for b, e in zip(before, examples) if b != e.stance)
    click.echo(f"train: {len(examples)} examples from {len(files)} label files ({len(documents)} documents)"
               + (f"; document gold for {len(gold.stances)} stories" if gold else "; no document gold, so no pair gate"), err=True)
    cv = None if no_cv else cross_validate(examples, params, lexicon, min_stance_probability=params.min_stance_probability).as_dict()
    fitted = fit_statements(examples, params, lexicon, gold, gold.stances if gold else ())
    gate = fit_gate(examples, params, lexicon, gold) if gold is not None else None
    if gate is not None:
        fitted = dataclasses.replace(fitted, gate=gate.gate)
    import sklearn

    info = {
        "params": params_dict(params), "min_stance_probability": params.min_stance_probability, "min_top_probability": params.min_top_probability,
        "split_targets": params.split_targets, "neighbour_reach": params.neighbour_reach, "stance_roles": list(params.stance_roles), "majority": majority_label(examples), "classes": fitted.classes,
        "trained_at": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "sklearn": sklearn.__version__,
        "n_examples": len(examples), "n_matched": sum(1 for e in examples if e.matched),
    }
    if gate is not None:
        info.update({"min_pair_probability": params.min_pair_probability, "gate_inputs": list(GATE_INPUTS),
                     "gate": {"stories": len(gold.stances), "pairs": gate.pairs, "positive_pairs": gate.positives, "document_cv": gate.cv,
                              "reconciled_labels": reconciled, "doc_gold": str(doc_gold_path.name)}})
    save_model(model_path, model=fitted, info=info)
    tone = ToneScorer()
    relation = tone_relation([(e.stance, tone.text_tone(e.candidate.statement.text)) for e in examples if e.origin != "synthetic"])
    counts = {f.name: Counter(r.stance for r in read_labels([f])) for f in files}
    card = card_path or model_path.with_suffix(".md")
    card.write_text(render_card(info=info, cv=cv, tone=relation, label_counts=counts), encoding="utf-8")
    if metrics_path:
        metrics_path.parent.mkdir(parents=True, exist_ok=True)
        metrics_path.write_text(json.dumps({"cv": cv, "document_cv": gate.cv if gate else None, "tone": {"mean_tone": relation.mean_tone, "correlation": relation.correlation}, "n_examples": len(examples)}, indent=2) + "\n", encoding="utf-8")
    summary = f"macro-F1 (support, oppose) {cv['model']['macro_f1']:.3f} (majority {cv['majority_baseline']['macro_f1']:.3f}, lexicon {cv['lexicon_baseline']['macro_f1']:.3f})" if cv else "no CV"
    if gate is not None:
        summary += f"; document-level CV detection F1 {gate.cv['detection']['f1']:.3f}, macro-F1 {gate.cv['macro_f1']:.3f}"
    click.echo(f"train: wrote {model_path} and {card}; CV {summary}", err=True)
