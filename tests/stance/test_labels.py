"""Label files: reading, checking (file and line on errors), appending and undo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.stance.labels import drop_last_label, read_document_stances, read_labels, save_label

ROOT = Path(__file__).resolve().parents[2]
GOOD = {"doc_id": "synthetic:x", "start": 0, "end": 5, "actor": "US", "official": None, "issue": "tariffs", "also": [],
        "stance": "support", "target": "US", "actor_role": "subject", "origin": "synthetic", "text": "Hello"}


def _write(path: Path, *objs: dict) -> Path:
    """Write label objects as JSONL."""
    path.write_text("".join(json.dumps(o) + "\n" for o in objs), encoding="utf-8")
    return path


@pytest.mark.parametrize("field,value,message", [
    ("stance", "neutral", "unknown label 'neutral'"),
    ("issue", "bananas", "unknown issue id 'bananas'"),
    ("actor_role", "narrator", "unknown actor_role"),
    ("origin", "guessed", "unknown origin"),
])
def test_bad_line_names_file_and_line(tmp_path, field, value, message):
    path = _write(tmp_path / "labels.jsonl", GOOD, GOOD, {**GOOD, field: value})
    with pytest.raises(InputError, match=message) as info:
        list(read_labels([path]))
    assert f"{path}:3:" in str(info.value)


def test_committed_label_files_are_valid():
    records = list(read_labels(sorted((ROOT / "corpora" / "stance").glob("*.jsonl"))))
    assert len(records) > 1500
    assert all(r.text for r in records if r.origin == "synthetic")


def test_save_and_undo_round_trip(tmp_path):
    path = _write(tmp_path / "labels.jsonl", GOOD)
    record = next(read_labels([path]))
    save_label(path, record)
    assert len(list(read_labels([path]))) == 2
    assert drop_last_label(path) == record
    assert len(list(read_labels([path]))) == 1


DOC = {"doc_id": "reuters:1", "stances": [{"actor": "US", "official": None, "issue": "tariffs", "stance": "support", "target": "US", "also": []}]}


@pytest.mark.parametrize("line,message", [
    ({**DOC, "stances": [{**DOC["stances"][0], "stance": "none"}]}, "unknown stance 'none'"),
    ({**DOC, "stances": [{**DOC["stances"][0], "also": ["bananas"]}]}, "unknown issue id 'bananas'"),
    ({"doc_id": "reuters:1", "stances": [{"issue": "tariffs"}]}, "not an annotations object"),
    (DOC, "reuters:1 appears twice"),
])
def test_bad_document_gold_names_file_and_line(tmp_path, line, message):
    path = _write(tmp_path / "gold.jsonl", DOC, line)
    with pytest.raises(InputError, match=message) as info:
        read_document_stances(path)
    assert f"{path}:2" in str(info.value)


def test_committed_document_gold_is_valid_and_keeps_to_training_stories():
    gold = read_document_stances(ROOT / "corpora" / "gold" / "train_stances.jsonl")
    dev = {line.split("\t")[0] for line in (ROOT / "corpora" / "gold" / "dev_docs.tsv").read_text().splitlines()[1:]}
    assert len(gold) > 800 and sum(len(s) for s in gold.values()) > 1000
    assert not dev & set(gold)
    assert all(s.stance in ("support", "oppose") for stances in gold.values() for s in stances)


@pytest.mark.shared
def test_document_gold_has_no_held_out_story():
    import gzip

    from tests.conftest import shared_path

    gold = read_document_stances(ROOT / "corpora" / "gold" / "train_stances.jsonl")
    with gzip.open(shared_path("reuters21578", "all.jsonl.gz"), "rt", encoding="utf-8") as fh:
        splits = {obj["doc_id"]: obj.get("split") for obj in map(json.loads, fh)}
    assert {splits.get(doc_id) for doc_id in gold} <= {"train", "unused"}


def test_second_dev_annotation_covers_every_dev_document():
    from pipeline.annotations import read_annotations

    dev = [g.doc_id for g in read_annotations(ROOT / "corpora" / "gold" / "dev.jsonl")]
    second = [g.doc_id for g in read_annotations(ROOT / "corpora" / "gold" / "dev_second_annotation.jsonl")]
    assert sorted(second) == sorted(dev)
