"""The annotate loop, driven through the real command with keys on stdin; queue ordering."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.stance.queue import QueueItem, order_queue
from pipeline.stance.statements import Candidate
from pipeline.types import Statement

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "corpora" / "sample" / "documents.jsonl"


def _item(p: float | None) -> QueueItem:
    """A queue item with a given model probability."""
    return QueueItem("d", Candidate(Statement(0, 1, "x", "US", "tariffs"), (), "x", "subject", (), ()), "support", p)


def test_queue_puts_least_sure_first():
    assert [i.probability for i in order_queue([_item(0.9), _item(0.4), _item(0.6)])] == [0.4, 0.6, 0.9]


@pytest.mark.slow
def test_annotate_loop_labels_undoes_and_quits(tmp_path):
    labels = tmp_path / "labels.jsonl"
    result = CliRunner().invoke(cli, ["annotate", str(SAMPLE), "--limit", "2", "--labels", str(labels)], input="s\no\nu\nn\nk\nq\n")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in labels.read_text(encoding="utf-8").splitlines()]
    assert [line["stance"] for line in lines] == ["support", "none"]
    assert all(line["origin"] == "annotated" and line["doc_id"].startswith("sample:") for line in lines)
    assert "undone" in result.output and "2 labels written" in result.output
    again = CliRunner().invoke(cli, ["annotate", str(SAMPLE), "--limit", "2", "--labels", str(labels)], input="q\n")
    first = int(result.output.split(" unlabelled")[0].split()[-1])
    second = int(again.output.split(" unlabelled")[0].split()[-1])
    assert second == first - 2  # labelled candidates are not offered again
