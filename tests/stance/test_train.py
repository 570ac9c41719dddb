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
from pipeline.stance.labels import read_labels
from pipeline.stance.model import ModelParams
from pipeline.stance.train import build_examples, class_scores, extract_for_training, fit_model, label_windows, majority_label
from pipeline.types import Document
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
