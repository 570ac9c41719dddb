"""Read documents JSONL (plain or gzip), folders of .txt/.html files and single files.

Policy for bad input: problems with one record (malformed JSON, missing ``doc_id`` or ``text``,
duplicate ``doc_id`` in the same file, bytes that are not UTF-8) skip that record and are counted
in the :class:`ReadReport`; problems with a whole source (missing, empty, a folder with nothing
readable) raise :class:`InputError`. With ``strict=True`` any skipped record raises instead.
"""

from __future__ import annotations

import gzip
import json
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from pipeline.errors import InputError
from pipeline.types import Document

log = logging.getLogger(__name__)

TEXT_SUFFIXES = (".txt",)
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".json.gz", ".jsonl.gzip")


@dataclass(slots=True)
class ReadReport:
    """Counts and messages collected while reading; mutable because readers are generators."""

    read: int = 0
    skipped: int = 0
    problems: list[str] = field(default_factory=list)

    def skip(self, message: str) -> None:
        """Record one skipped record and log it."""
        self.skipped += 1
        self.problems.append(message)
        log.warning("skipped: %s", message)


def parse_published(value: object) -> date | datetime | None:
    """Parse an ISO 8601 date or datetime; raise ValueError for anything else."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValueError(f"published must be an ISO 8601 string, got {type(value).__name__}")
    text = value.strip()
    if len(text) == 10:
        return date.fromisoformat(text)
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def document_from_record(record: object, *, where: str) -> Document:
    """Validate one JSON object and build a Document; raise InputError naming ``where``."""
    if not isinstance(record, dict):
        raise InputError(where, f"expected a JSON object, got {type(record).__name__}")
    doc_id, text = record.get("doc_id"), record.get("text")
    if not isinstance(doc_id, str) or not doc_id.strip():
        raise InputError(where, "missing or empty 'doc_id' (a non-empty string is required)")
    if not isinstance(text, str):
        raise InputError(where, f"document {doc_id!r} has no 'text' string")
    try:
        published = parse_published(record.get("published"))
    except ValueError as e:
        raise InputError(where, f"document {doc_id!r}: bad 'published' value: {e}") from e
    return Document(
        doc_id=doc_id.strip(),
        text=text,
        title=_opt_str(record.get("title")),
        published=published,
        source=_opt_str(record.get("source")),
        url=_opt_str(record.get("url")),
        kind=_opt_str(record.get("kind")),
    )


def _opt_str(value: object) -> str | None:
    """Return value if it is a non-empty string, else None."""
    return value if isinstance(value, str) and value else None


def _open_lines(path: Path) -> Iterator[bytes]:
    """Yield raw lines of a plain or gzip-compressed file."""
    opener = gzip.open if path.suffix in (".gz", ".gzip") else open
    try:
        with opener(path, "rb") as fh:
            yield from fh
    except (OSError, EOFError) as e:
        raise InputError(str(path), f"cannot read file: {e}") from e


def read_jsonl(path: Path, *, report: ReadReport, strict: bool = False) -> Iterator[Document]:
    """Yield documents from a documents JSONL file, skipping (or raising on) bad records."""
    seen: set[str] = set()
    any_line = False
    for lineno, raw in enumerate(_open_lines(path), start=1):
        if not raw.strip():
            continue
        any_line = True
        where = f"{path}:{lineno}"
        try:
            line = raw.decode("utf-8")
            record = json.loads(line)
            doc = document_from_record(record, where=where)
            if doc.doc_id in seen:
                raise InputError(where, f"duplicate doc_id {doc.doc_id!r} in this file (first one kept)")
        except UnicodeDecodeError as e:
            _fail(report, strict, InputError(str(path), f"not UTF-8 at byte {e.start}; re-encode the file as UTF-8", line=lineno), e)
            continue
        except json.JSONDecodeError as e:
            _fail(report, strict, InputError(str(path), f"malformed JSON: {e.msg} at column {e.colno}", line=lineno), e)
            continue
        except InputError as e:
            _fail(report, strict, e, None)
            continue
        seen.add(doc.doc_id)
        report.read += 1
        yield doc
    if not any_line:
        raise InputError(str(path), "file is empty; expected one JSON document per line")


def _fail(report: ReadReport, strict: bool, error: InputError, cause: Exception | None) -> None:
    """Raise in strict mode, else count the record as skipped."""
    if strict:
        raise error from cause
    report.skip(str(error))


def read_text_file(path: Path, *, report: ReadReport, strict: bool = False) -> Iterator[Document]:
    """Yield one document from a .txt or .html file (HTML is reduced to its main text)."""
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise InputError(str(path), f"cannot read file: {e}") from e
    if not raw.strip():
        _fail(report, strict, InputError(str(path), "file is empty"), None)
        return
    try:
        content = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        _fail(report, strict, InputError(str(path), f"not UTF-8 at byte {e.start}; re-encode the file as UTF-8"), e)
        return
    doc_id = f"file:{path.name}"
    if path.suffix.lower() in HTML_SUFFIXES:
        from pipeline.scrape.parse import parse_html

        page = parse_html(content, url=None)
        if not page.text.strip():
            _fail(report, strict, InputError(str(path), "no main text found in the HTML page"), None)
            return
        doc = Document(doc_id=doc_id, text=page.text, title=page.title, published=page.published, kind="article", source=str(path))
    else:
        doc = Document(doc_id=doc_id, text=content, source=str(path))
    report.read += 1
    yield doc


def _is_jsonl(path: Path) -> bool:
    """Tell whether a path names a documents JSONL file by its suffix."""
    return any(path.name.lower().endswith(s) for s in JSONL_SUFFIXES)


def read_documents(sources: Iterable[Path | str], *, report: ReadReport, strict: bool = False) -> Iterator[Document]:
    """Yield documents from JSONL files, .txt/.html files and folders of them, in order."""
    for source in sources:
        path = Path(source)
        if not path.exists():
            raise InputError(str(path), "no such file or directory")
        if path.is_dir():
            yield from _read_folder(path, report=report, strict=strict)
        elif _is_jsonl(path):
            yield from read_jsonl(path, report=report, strict=strict)
        elif path.suffix.lower() in TEXT_SUFFIXES + HTML_SUFFIXES:
            yield from read_text_file(path, report=report, strict=strict)
        else:
            raise InputError(str(path), "unsupported file type; use .jsonl, .jsonl.gz, .txt, .html or a folder of them")


def _read_folder(folder: Path, *, report: ReadReport, strict: bool) -> Iterator[Document]:
    """Yield documents from every readable file in a folder (sorted, not recursive)."""
    files = sorted(p for p in folder.iterdir() if p.is_file() and (_is_jsonl(p) or p.suffix.lower() in TEXT_SUFFIXES + HTML_SUFFIXES))
    before = report.read
    for path in files:
        yield from read_documents([path], report=report, strict=strict)
    if report.read == before:
        raise InputError(str(folder), "folder has no readable documents (.jsonl, .jsonl.gz, .txt, .html)")
