"""The annotation queue: unlabelled candidate statements, least sure first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.stance.aggregate import resolve_target
from pipeline.stance.labels import LabelRecord
from pipeline.stance.statements import Candidate

ROLE_FOR_LABEL = {"speaker": "speaker", "author": "speaker", "subject": "subject", "mentioned": "mentioned", "absent": "reported"}


@dataclass(frozen=True, slots=True)
class QueueItem:
    """A candidate to label, with the model's guess and how sure it is."""

    doc_id: str
    candidate: Candidate
    guess: str | None = None
    probability: float | None = None


def is_labelled(doc_id: str, candidate: Candidate, labels: Sequence[LabelRecord]) -> bool:
    """Tell whether a label already covers this candidate (same document, actor, issue, overlapping span)."""
    s = candidate.statement
    return any(r.doc_id == doc_id and r.actor == s.actor and r.issue == s.issue and min(r.end, s.end) > max(r.start, s.start) for r in labels)


def order_queue(items: Sequence[QueueItem]) -> list[QueueItem]:
    """Order items by model certainty, least sure first (document order without a model)."""
    return sorted(items, key=lambda i: i.probability if i.probability is not None else 0.0)


def label_record(item: QueueItem, stance: str) -> LabelRecord:
    """Return the label line for a candidate and the annotator's stance."""
    c = item.candidate
    s = c.statement
    target = resolve_target(stance=stance, actor=s.actor, owners=c.owners, others=c.others)
    return LabelRecord(doc_id=item.doc_id, start=s.start, end=s.end, actor=s.actor, official=s.official, issue=s.issue, also=c.also,
                       stance=stance, target=target, actor_role=ROLE_FOR_LABEL.get(c.role, "mentioned"), origin="annotated")
