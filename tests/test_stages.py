"""The DVC stage helpers: document selection leaves the held-out split out; outputs become plot records."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from pipeline.stages import read_records, score_rows, select_records, stages
from tests.conftest import SAMPLE


def _records(*splits):
    """Minimal document records with the given splits."""
    return [{"doc_id": f"d{i}", "text": "x y", "split": s} for i, s in enumerate(splits)]


@pytest.mark.parametrize(("splits", "limit", "kept", "held_out"), [
    (("train", "test", "unused", "test"), 0, ["d0", "d2"], 2),
    (("train", "test", "unused", "train"), 2, ["d0", "d2"], 1),
    ((None, None, None), 1, ["d0"], 0),
    ((), 0, [], 0),
])
def test_select_records(splits, limit, kept, held_out):
    records, n_held_out = select_records(_records(*splits), limit=limit)
    assert [r["doc_id"] for r in records] == kept
    assert n_held_out == held_out


def test_score_rows_flattens_items():
    scores = {"items": {"officials": {"tp": 1, "fp": 0, "fn": 1, "precision": 1.0, "recall": 0.5, "f1": 0.667}}}
    assert score_rows(scores) == [{"item": "officials", "precision": 1.0, "recall": 0.5, "f1": 0.667}]


def test_prepare_writes_documents_metrics_and_plots(tmp_path):
    out, metrics, plots = tmp_path / "docs.jsonl", tmp_path / "m.json", tmp_path / "p.json"
    result = CliRunner().invoke(stages, ["prepare", "--corpus", f"sample={SAMPLE}", "--limit", "4",
                                         "--out", str(out), "--metrics", str(metrics), "--plots", str(plots)])
    assert result.exit_code == 0, result.output
    written = list(read_records(out))
    assert [r["doc_id"] for r in written] == [r["doc_id"] for r in list(read_records(SAMPLE))[:4]]
    assert json.loads(metrics.read_text()) == {"documents": 4, "corpora": {"sample": 4}}
    assert json.loads(plots.read_text())[0]["docs"] == 4


def test_prepare_names_a_missing_corpus(tmp_path):
    result = CliRunner().invoke(stages, ["prepare", "--corpus", f"x={tmp_path / 'none.jsonl'}", "--out", str(tmp_path / "o"),
                                         "--metrics", str(tmp_path / "m"), "--plots", str(tmp_path / "p")])
    assert result.exit_code == 1
    assert "corpus file not found" in result.output
