"""The document's main actor: the country in the lead sentence's subject, else the most mentioned one."""

from __future__ import annotations

from collections import Counter

from spacy.tokens import Doc

LEAD_SUBJECT_WEIGHT = 100  # the lead's grammatical subject is the story's actor whatever else is counted


def main_actor(doc: Doc) -> str | None:
    """Return the actor code of the document's main actor (None when it mentions no country)."""
    countries = doc._.ts_countries or []
    if not countries:
        return None
    lead = next(iter(doc.sents))
    weights: Counter[str] = Counter()
    subject = next((t for t in lead if t.dep_ in ("nsubj", "nsubjpass") and t.head == lead.root), None)
    if subject is not None:
        lo, hi = doc[subject.left_edge.i].idx, subject.right_edge.idx + len(subject.right_edge)
        code = next((c.code for c in countries if lo <= c.start < hi), None)
        code = code or next((o.country for o in doc._.ts_officials or [] if o.country and lo <= o.start < hi), None)
        if code:
            weights[code] += LEAD_SUBJECT_WEIGHT
    for c in countries:
        weights[c.code] += 2 if c.start < lead.end_char else 1
    for o in doc._.ts_officials or []:
        if o.country:
            weights[o.country] += 1
    return weights.most_common(1)[0][0]
