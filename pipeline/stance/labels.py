"""Training labels: statement level (corpora/stance/*.jsonl) and document level (corpora/gold/train_stances.jsonl)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from pipeline.annotations import AnnStance, annotated_from_json
from pipeline.errors import InputError
from pipeline.io.jsonl import read_json_lines
from pipeline.nlp.issues import read_issue_ids
from pipeline.types import STANCE_LABELS

ROLES = ("speaker", "subject", "reported", "mentioned")
ORIGINS = ("annotated", "synthetic")


@dataclass(frozen=True, slots=True)
class LabelRecord:
    """One labelled statement: span in a document, actor, issue, stance and target."""

    doc_id: str
    start: int
    end: int
    actor: str
    official: str | None
    issue: str
    also: tuple[str, ...]
    stance: str
    target: str | None
    actor_role: str
    origin: str
    text: str | None = None

    def as_json(self) -> dict:
        """Return the JSONL object in the documented key order (text only for synthetic lines)."""
        out = asdict(self)
        out["also"] = list(self.also)
        if out["text"] is None:
            del out["text"]
        return out


def _check(obj: dict, issues: frozenset[str], path: Path, line: int) -> LabelRecord:
    """Validate one label object, naming the file and line on any problem."""
    def fail(message: str) -> InputError:
        """Build the error for this file and line."""
        return InputError(str(path), message, line=line)

    stance = obj.get("stance")
    if stance not in STANCE_LABELS:
        raise fail(f"unknown label {stance!r}; labels are {', '.join(STANCE_LABELS)}")
    for key in ("issue", *obj.get("also", ())):
        value = obj.get("issue") if key == "issue" else key
        if value not in issues:
            raise fail(f"unknown issue id {value!r}; ids are those of issues.tsv")
    if obj.get("actor_role") not in ROLES:
        raise fail(f"unknown actor_role {obj.get('actor_role')!r}; roles are {', '.join(ROLES)}")
    if obj.get("origin") not in ORIGINS:
        raise fail(f"unknown origin {obj.get('origin')!r}; origins are {', '.join(ORIGINS)}")
    try:
        record = LabelRecord(
            doc_id=str(obj["doc_id"]), start=int(obj["start"]), end=int(obj["end"]), actor=str(obj["actor"]),
            official=obj.get("official"), issue=obj["issue"], also=tuple(obj.get("also", ())), stance=stance,
            target=obj.get("target"), actor_role=obj["actor_role"], origin=obj["origin"], text=obj.get("text"),
        )
    except (KeyError, TypeError, ValueError) as e:
        raise fail(f"missing or invalid field ({e}); see helpers' label format") from e
    if record.origin == "synthetic" and not record.text:
        raise fail("synthetic labels need their own `text`")
    if not 0 <= record.start < record.end:
        raise fail(f"bad span {record.start}..{record.end}")
    return record


def read_labels(paths: Sequence[Path]) -> Iterator[LabelRecord]:
    """Yield the labels of JSONL files; an unknown label or bad line stops with file and line."""
    issues = frozenset(read_issue_ids())
    for path in paths:
        for lineno, obj in read_json_lines(path):
            if not isinstance(obj, dict):
                raise InputError(str(path), "expected a JSON object", line=lineno)
            yield _check(obj, issues, Path(path), lineno)


def save_label(path: Path, record: LabelRecord) -> None:
    """Append one label line to a labels file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(record.as_json(), ensure_ascii=False) + "\n")


def drop_last_label(path: Path) -> LabelRecord | None:
    """Remove the last label line of a file (the annotate loop's undo) and return it."""
    if not path.exists():
        return None
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not lines:
        return None
    path.write_text("".join(line + "\n" for line in lines[:-1]), encoding="utf-8")
    obj = json.loads(lines[-1])
    return _check(obj, frozenset(read_issue_ids()), path, len(lines))


def _check_document(obj: dict, issues: frozenset[str], path: Path, line: int) -> tuple[str, tuple[AnnStance, ...]]:
    """Validate one document-gold line (the spec's annotations shape, stances only), naming file and line."""
    doc = annotated_from_json(obj, where=f"{path}:{line}")
    for s in doc.stances:
        if s.stance not in ("support", "oppose"):
            raise InputError(str(path), f"unknown stance {s.stance!r} for {s.actor}/{s.issue}; document stances are support or oppose", line=line)
        unknown = [i for i in (s.issue, *s.also) if i not in issues]
        if unknown:
            raise InputError(str(path), f"unknown issue id {unknown[0]!r}; ids are those of issues.tsv", line=line)
    return doc.doc_id, doc.stances


def read_document_stances(path: Path) -> dict[str, tuple[AnnStance, ...]]:
    """Read document-level gold stances of training stories (one annotations object per line); a duplicate doc_id is an error."""
    issues = frozenset(read_issue_ids())
    out: dict[str, tuple[AnnStance, ...]] = {}
    for lineno, obj in read_json_lines(path):
        if not isinstance(obj, dict):
            raise InputError(str(path), "expected a JSON object", line=lineno)
        doc_id, stances = _check_document(obj, issues, Path(path), lineno)
        if doc_id in out:
            raise InputError(str(path), f"{doc_id} appears twice; keep one line per document", line=lineno)
        out[doc_id] = stances
    return out
