"""Named, frozen record types that cross module boundaries.

A stage is a function over these records: Document -> Extraction -> Stance -> rows.
Offsets are Unicode code-point offsets into ``Document.text``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime

DOCUMENT_KINDS = ("article", "transcript", "statement", "release", "proclamation")
THRESHOLD_ROLES = ("current", "proposed", "agreed", "other")
STANCE_LABELS = ("support", "oppose", "none")


@dataclass(frozen=True, slots=True)
class Document:
    """One input document as defined by the documents JSONL contract."""

    doc_id: str
    text: str
    title: str | None = None
    published: date | datetime | None = None
    source: str | None = None
    url: str | None = None
    kind: str | None = None
    fetched_at: datetime | None = None

    @property
    def sha256(self) -> str:
        """Return the hex SHA-256 of the text, the identity of a revision."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def published_date(self) -> date | None:
        """Return the publication date without time, if any."""
        if isinstance(self.published, datetime):
            return self.published.date()
        return self.published


@dataclass(frozen=True, slots=True)
class OfficialMention:
    """A mention of a person acting in a public role, resolved where possible."""

    start: int
    end: int
    text: str
    name: str
    country: str | None
    role: str | None = None
    official_id: str | None = None
    method: str = "name"  # name | surname | fuzzy | title | apposition | unnamed


@dataclass(frozen=True, slots=True)
class CountryMention:
    """A mention of a country, bloc or organisation, as an actor code."""

    start: int
    end: int
    text: str
    code: str


@dataclass(frozen=True, slots=True)
class IssueMention:
    """A sentence or span tagged with an issue id from issues.tsv."""

    start: int
    end: int
    issue: str
    text: str = ""


@dataclass(frozen=True, slots=True)
class Threshold:
    """A number that sets or proposes a parameter of a trade rule or measure."""

    start: int
    end: int
    text: str
    value: float
    unit: str
    from_value: float | None = None
    role: str = "other"
    holder: str | None = None
    issue: str | None = None
    also: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Quote:
    """A direct quotation (span without the marks) and its speaker."""

    start: int
    end: int
    text: str
    speaker: str | None
    speaker_country: str | None = None
    speaker_role: str | None = None


@dataclass(frozen=True, slots=True)
class Statement:
    """A sentence or quote with its actor and issue: the unit the stance model classifies."""

    start: int
    end: int
    text: str
    actor: str
    issue: str
    official: str | None = None
    target: str | None = None
    actor_is_speaker: bool = False
    context: str = ""


@dataclass(frozen=True, slots=True)
class StanceLabel:
    """The classifier's verdict on one statement, with tone kept apart."""

    statement: Statement
    stance: str
    probability: float
    tone: float


@dataclass(frozen=True, slots=True)
class DocumentStance:
    """A document-level (actor, issue, target) stance aggregated from statements."""

    actor: str
    issue: str
    stance: str
    target: str | None = None
    official: str | None = None
    also: tuple[str, ...] = ()
    support: int = 0
    oppose: int = 0


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything extracted from one document."""

    doc_id: str
    officials: tuple[OfficialMention, ...] = ()
    countries: tuple[CountryMention, ...] = ()
    issues: tuple[IssueMention, ...] = ()
    thresholds: tuple[Threshold, ...] = ()
    quotes: tuple[Quote, ...] = ()
    statements: tuple[StanceLabel, ...] = ()
    stances: tuple[DocumentStance, ...] = ()
    tone: float | None = None
    doc_issues: tuple[str, ...] = field(default=())
