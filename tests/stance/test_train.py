"""Training on a small real subset beats chance on held-out documents; the train command's checks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.io.documents import ReadReport, read_documents
from pipeline.stance.classify import StanceClassifier
from pipeline.stance.features import read_cues
from pipeline.annotations import AnnStance
from pipeline.stance.labels import read_document_stances, read_labels
from pipeline.stance.model import ModelParams
from pipeline.stance.pairs import PAIR_FEATURES
from pipeline.stance.statements import Candidate
from pipeline.stance.train import (DocumentGold, Example, build_examples, class_scores, distant_polarity, document_gold, extract_for_training, fit_gate,
                                   fit_model, label_windows, majority_label, reconcile)
from pipeline.types import Document, Statement
from tests.conftest import shared_path

ROOT = Path(__file__).resolve().parents[2]
N_DOCS = 90


@pytest.mark.shared
def test_small_real_subset_beats_chance_on_held_out_documents(nlp):
    records = list(read_labels([ROOT / "corpora" / "stance" / "reuters.jsonl"]))
    doc_ids = sorted({r.doc_id for r in records}, key=lambda d: int(d.split(":")[1]))[:N_DOCS]
    wanted = set(doc_ids)
    documents = {d.doc_id: d for d in read_documents([shared_path("reuters21578", "trade.jsonl")], report=ReadReport()) if d.doc_id in wanted}
    records = [r for r in records if r.doc_id in wanted]
    spans = {}
    for r in records:
        spans.setdefault(r.doc_id, []).append((r.start, r.end))
    lexicon = read_cues()
    examples = build_examples(records, documents, extract_for_training(nlp, documents, spans), lexicon)
    assert len(examples) == len(records)
    held_out = set(doc_ids[::3])
    train = [e for e in examples if e.group not in held_out]
    test = [e for e in examples if e.group in held_out]
    fitted = fit_model(train, ModelParams(), lexicon)
    classifier = StanceClassifier(pipeline=fitted.pipeline, polarity=fitted.polarity, info={"min_stance_probability": 0.5}, lexicon=lexicon)
    predicted = classifier.predict([e.candidate for e in test])
    model = class_scores([(e.stance, p.stance) for e, p in zip(test, predicted)])
    majority = class_scores([(e.stance, majority_label(train)) for e in test])
    assert model.macro_f1_3 > 0.4 > majority.macro_f1_3
    assert model.macro_f1 > majority.macro_f1 + 0.1


def test_long_documents_are_windowed_around_labels():
    text = ("Filler line.\n" * 1000) + "The label sentence.\n" + ("More filler.\n" * 1000)
    start = text.find("The label sentence.")
    windows = label_windows(Document(doc_id="d", text=text), [(start, start + 19)], margin=50)
    assert len(windows) == 1
    w = windows[0]
    assert w.document.text == text[w.offset:w.offset + len(w.document.text)]
    assert w.offset < start and start + 19 <= w.offset + len(w.document.text) < len(text)
    assert label_windows(Document(doc_id="s", text="short"), [(0, 5)])[0].offset == 0


def test_unknown_label_stops_train_with_file_and_line(tmp_path):
    good = {"doc_id": "synthetic:x", "start": 0, "end": 5, "actor": "US", "official": None, "issue": "tariffs", "also": [],
            "stance": "support", "target": "US", "actor_role": "subject", "origin": "synthetic", "text": "Hello"}
    path = tmp_path / "labels.jsonl"
    path.write_text(json.dumps(good) + "\n" + json.dumps({**good, "stance": "maybe"}) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["train", "--labels", str(path), "--out", str(tmp_path / "m.skops")])
    assert result.exit_code == 1
    assert f"{path}:2: unknown label 'maybe'" in result.output
    assert not (tmp_path / "m.skops").exists()


def test_train_skips_cleanly_without_documents(tmp_path):
    result = CliRunner().invoke(cli, ["train", "--docs", str(tmp_path / "absent.jsonl"), "--out", str(tmp_path / "m.skops")])
    assert result.exit_code == 0, result.output
    assert "skipped" in result.output and not (tmp_path / "m.skops").exists()


def _example(stance: str, *, doc: str = "d1", actor: str = "US", issue: str = "tariffs", origin: str = "annotated") -> Example:
    """Build one training example on a hand-made candidate."""
    return Example(Candidate(Statement(0, 5, "x", actor, issue), (), "zzactor x", "subject", (), ()), stance, doc, origin)


def _gold(stances: dict[str, list[AnnStance]], examples) -> DocumentGold:
    """Document gold whose candidates are the examples' candidates."""
    candidates: dict[str, list] = {}
    for e in examples:
        candidates.setdefault(e.group, []).append(e.candidate)
    return DocumentGold({k: tuple(v) for k, v in stances.items()}, candidates)


def test_reconcile_gives_document_gold_stance_to_pairs_labelled_none_only():
    examples = [_example("none"), _example("none"), _example("none", actor="JP"), _example("oppose", issue="currency"),
                _example("none", doc="d2"), _example("none", origin="synthetic")]
    gold = _gold({"d1": [AnnStance("US", None, "tariffs", "support", "US"), AnnStance("US", None, "currency", "support", None)]}, examples)
    out = reconcile(examples, gold)
    # the US/tariffs pair: gold support, every label none -> support; JP: not in the gold; US/currency: a label already
    # takes a stance (the annotator's reading of that sentence stays); d2 and synthetic lines: no document gold
    assert [e.stance for e in out] == ["support", "support", "none", "oppose", "none", "none"]
    mixed = _gold({"d1": [AnnStance("US", None, "tariffs", "support", "US"), AnnStance("US", None, "tariffs", "oppose", "JP")]}, examples)
    assert [e.stance for e in reconcile(examples, mixed)][:2] == ["none", "none"]  # two directions: nothing to copy


def test_distant_polarity_takes_every_statement_of_a_one_direction_pair():
    examples = [_example("none"), _example("none", actor="JP"), _example("none", issue="currency")]
    gold = _gold({"d1": [AnnStance("US", None, "tariffs", "oppose", "JP")]}, examples)
    assert [(c.statement.actor, label) for c, label in distant_polarity(gold, ["d1"])] == [("US", "oppose")]
    assert distant_polarity(gold, []) == []


@pytest.mark.shared
def test_gate_learns_from_document_gold_and_scores_it_by_cv(nlp):
    records = list(read_labels([ROOT / "corpora" / "stance" / "reuters.jsonl"]))
    stances = read_document_stances(ROOT / "corpora" / "gold" / "train_stances.jsonl")
    doc_ids = sorted({r.doc_id for r in records} & set(stances), key=lambda d: int(d.split(":")[1]))[:60]
    documents = {d.doc_id: d for d in read_documents([shared_path("reuters21578", "trade.jsonl")], report=ReadReport()) if d.doc_id in set(doc_ids)}
    records = [r for r in records if r.doc_id in documents]
    lexicon = read_cues()
    params = ModelParams(cv_folds=3, neighbour_reach=100)
    extractions = extract_for_training(nlp, documents, {d: [(0, len(documents[d].text))] for d in documents})
    examples = build_examples(records, documents, extractions, lexicon, neighbour_reach=params.neighbour_reach)
    gold = document_gold({d: stances[d] for d in documents}, documents, extractions, lexicon, neighbour_reach=params.neighbour_reach,
                         roles=frozenset(params.stance_roles))
    result = fit_gate(reconcile(examples, gold), params, lexicon, gold)
    assert result.pairs > result.positives > 20
    cv = result.cv
    assert cv["documents"] == len(gold.stances) and cv["gold_stances"] == sum(len(s) for s in gold.stances.values())
    # better than admitting every candidate pair (precision = positives / pairs) and than admitting none
    assert cv["detection"]["precision"] > result.positives / result.pairs and cv["detection"]["f1"] > 0.3
    weights = dict(zip(PAIR_FEATURES, result.gate.model.coef_[0]))
    assert weights["top_p"] > 0  # a surer best statement makes a pair likelier to be a position


def test_train_refuses_document_gold_on_dev_gold_stories(tmp_path):
    good = {"doc_id": "synthetic:x", "start": 0, "end": 5, "actor": "US", "official": None, "issue": "tariffs", "also": [],
            "stance": "support", "target": "US", "actor_role": "subject", "origin": "synthetic", "text": "Hello"}
    labels = tmp_path / "labels.jsonl"
    labels.write_text(json.dumps(good) + "\n", encoding="utf-8")
    dev_id = (ROOT / "corpora" / "gold" / "dev_docs.tsv").read_text().splitlines()[1].split("\t")[0]
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps({"doc_id": dev_id, "stances": []}) + "\n", encoding="utf-8")
    docs = tmp_path / "docs.jsonl"
    docs.write_text(json.dumps({"doc_id": "a", "text": "x"}) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["train", "--labels", str(labels), "--doc-gold", str(gold), "--docs", str(docs), "--out", str(tmp_path / "m.skops")])
    assert result.exit_code == 1
    assert str(gold) in result.output and dev_id in result.output and "dev gold is for evaluation only" in result.output
    assert not (tmp_path / "m.skops").exists()
