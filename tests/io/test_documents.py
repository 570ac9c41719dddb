"""Reading documents: every input form, and every kind of bad input named by file and line."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from pipeline.errors import InputError
from pipeline.io.documents import ReadReport, read_documents


def _jsonl(path: Path, lines: list[str | bytes]) -> Path:
    """Write raw lines to a file."""
    path.write_bytes(b"\n".join(l if isinstance(l, bytes) else l.encode() for l in lines) + b"\n")
    return path


def _doc(doc_id: str, text: str = "Japan cut tariffs.", **extra) -> str:
    """Return one documents-JSONL line."""
    return json.dumps({"doc_id": doc_id, "text": text, **extra})


def test_reads_plain_and_gzip_jsonl(tmp_path):
    plain = _jsonl(tmp_path / "a.jsonl", [_doc("a1", published="2018-01-29"), _doc("a2", published="1987-03-26T10:00:00")])
    gz = tmp_path / "b.jsonl.gz"
    gz.write_bytes(gzip.compress((_doc("b1") + "\n").encode()))
    report = ReadReport()
    docs = list(read_documents([plain, gz], report=report))
    assert [d.doc_id for d in docs] == ["a1", "a2", "b1"]
    assert str(docs[0].published) == "2018-01-29" and docs[1].published.hour == 10
    assert report.read == 3 and report.skipped == 0


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (b'{"doc_id": "x", "text": ', "malformed JSON"),
        (b'{"text": "no id"}', "missing or empty 'doc_id'"),
        (b'{"doc_id": "y"}', "has no 'text'"),
        (b'{"doc_id": "z", "text": "caf\xe9"}', "not UTF-8"),
        (b'["not", "an", "object"]', "expected a JSON object"),
        (b'{"doc_id": "w", "text": "t", "published": "yesterday"}', "bad 'published'"),
    ],
)
def test_bad_records_are_skipped_with_file_and_line(tmp_path, line, message):
    path = _jsonl(tmp_path / "bad.jsonl", [_doc("ok1"), line, _doc("ok2")])
    report = ReadReport()
    docs = list(read_documents([path], report=report))
    assert [d.doc_id for d in docs] == ["ok1", "ok2"]
    assert report.skipped == 1
    assert f"{path}:2" in report.problems[0] and message in report.problems[0]


def test_strict_mode_raises_on_the_first_bad_record(tmp_path):
    path = _jsonl(tmp_path / "bad.jsonl", [_doc("ok1"), b"{oops"])
    with pytest.raises(InputError, match=r"bad\.jsonl:2: malformed JSON"):
        list(read_documents([path], report=ReadReport(), strict=True))


def test_duplicate_doc_id_in_one_file_keeps_the_first(tmp_path):
    path = _jsonl(tmp_path / "dup.jsonl", [_doc("d", "first"), _doc("d", "second")])
    report = ReadReport()
    docs = list(read_documents([path], report=report))
    assert [d.text for d in docs] == ["first"]
    assert "duplicate doc_id 'd'" in report.problems[0] and "dup.jsonl:2" in report.problems[0]


@pytest.mark.parametrize("content", [b"", b"\n\n  \n"])
def test_empty_file_is_an_error(tmp_path, content):
    path = tmp_path / "empty.jsonl"
    path.write_bytes(content)
    with pytest.raises(InputError, match="file is empty"):
        list(read_documents([path], report=ReadReport()))


def test_folder_without_documents_is_an_error(tmp_path):
    (tmp_path / "notes.md").write_text("nothing here")
    with pytest.raises(InputError, match="no readable documents"):
        list(read_documents([tmp_path], report=ReadReport()))


def test_folder_of_text_and_html_files(tmp_path):
    (tmp_path / "a.txt").write_text("Canada rejected the U.S. proposal on dairy.", encoding="utf-8")
    (tmp_path / "b.html").write_text(
        "<html><head><title>Tariffs</title></head><body><article><h1>Tariffs rise</h1>"
        + "<p>The European Commission said on Monday it would impose duties of 25 percent on imports of steel. " * 5
        + "</p></article></body></html>",
        encoding="utf-8",
    )
    (tmp_path / "c.txt").write_bytes(b"caf\xe9 au lait")
    report = ReadReport()
    docs = {d.doc_id: d for d in read_documents([tmp_path], report=report)}
    assert set(docs) == {"file:a.txt", "file:b.html"}
    assert "25 percent" in docs["file:b.html"].text and "<p>" not in docs["file:b.html"].text
    assert report.skipped == 1 and "c.txt" in report.problems[0]


def test_missing_path_and_unknown_suffix(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        list(read_documents([tmp_path / "nope.jsonl"], report=ReadReport()))
    odd = tmp_path / "data.csv"
    odd.write_text("a,b")
    with pytest.raises(InputError, match="unsupported file type"):
        list(read_documents([odd], report=ReadReport()))
