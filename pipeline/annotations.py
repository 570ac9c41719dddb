"""The annotations JSONL contract of shared/spec/ANNOTATION.md: frozen types, reading, writing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from pipeline.errors import InputError
from pipeline.io.jsonl import read_json_lines


@dataclass(frozen=True, slots=True)
class AnnOfficial:
    """A named official of a document."""

    name: str
    country: str | None
    role: str | None = None


@dataclass(frozen=True, slots=True)
class AnnThreshold:
    """A threshold as the contract states it."""

    issue: str | None
    value: float
    unit: str
    from_value: float | None
    role: str
    holder: str | None
    start: int
    end: int
    also: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AnnQuote:
    """A quote span and its speaker."""

    speaker: str | None
    speaker_country: str | None
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class AnnStance:
    """A document-level stance item."""

    actor: str
    official: str | None
    issue: str
    stance: str
    target: str | None
    also: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AnnotatedDocument:
    """One line of annotations JSONL."""

    doc_id: str
    officials: tuple[AnnOfficial, ...] = ()
    countries: tuple[str, ...] = ()
    issues: tuple[str, ...] = ()
    thresholds: tuple[AnnThreshold, ...] = ()
    quotes: tuple[AnnQuote, ...] = ()
    stances: tuple[AnnStance, ...] = field(default=())

    def as_json(self) -> dict:
        """Return the contract's JSON object (keys in spec order, numbers as ints when whole)."""
        out = asdict(self)
        for t in out["thresholds"]:
            t["value"], t["from_value"] = _num(t["value"]), _num(t["from_value"])
            t["also"] = list(t["also"])
        for s in out["stances"]:
            s["also"] = list(s["also"])
        out["countries"], out["issues"] = list(self.countries), list(self.issues)
        return out


def _num(value: float | None) -> float | int | None:
    """Return whole floats as ints, for readable JSON."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else round(value, 6)


def annotated_from_json(obj: dict, *, where: str) -> AnnotatedDocument:
    """Build an AnnotatedDocument from one JSON object, naming ``where`` on errors."""
    try:
        return AnnotatedDocument(
            doc_id=obj["doc_id"],
            officials=tuple(AnnOfficial(o.get("name"), o.get("country"), o.get("role")) for o in obj.get("officials", [])),
            countries=tuple(obj.get("countries", [])),
            issues=tuple(obj.get("issues", [])),
            thresholds=tuple(
                AnnThreshold(t.get("issue"), float(t["value"]), t["unit"], None if t.get("from_value") is None else float(t["from_value"]),
                             t.get("role", "other"), t.get("holder"), int(t.get("start", 0)), int(t.get("end", 0)), tuple(t.get("also", [])))
                for t in obj.get("thresholds", [])
            ),
            quotes=tuple(AnnQuote(q.get("speaker"), q.get("speaker_country"), int(q["start"]), int(q["end"])) for q in obj.get("quotes", [])),
            stances=tuple(AnnStance(s["actor"], s.get("official"), s["issue"], s["stance"], s.get("target"), tuple(s.get("also", []))) for s in obj.get("stances", [])),
        )
    except (KeyError, TypeError, ValueError) as e:
        raise InputError(where, f"not an annotations object per ANNOTATION.md: {type(e).__name__}: {e}") from e


def read_annotations(path: Path) -> Iterator[AnnotatedDocument]:
    """Yield annotated documents from an annotations JSONL file (gold or exported)."""
    for lineno, obj in read_json_lines(path):
        if not isinstance(obj, dict):
            raise InputError(str(path), "expected a JSON object", line=lineno)
        yield annotated_from_json(obj, where=f"{path}:{lineno}")
