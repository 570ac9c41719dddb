"""Aggregate statement-level verdicts into the spec's document-level (actor, issue, target) stances."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.types import DocumentStance, StanceLabel


@dataclass(frozen=True, slots=True)
class Verdict:
    """A statement's stance label with the statement's acceptable alternative issues."""

    label: StanceLabel
    also: tuple[str, ...] = ()
    role: str = "subject"  # the actor's role in the statement (see statements.Candidate.role)


def resolve_target(*, stance: str, actor: str, owners: Sequence[str], others: Sequence[str]) -> str | None:
    """Return the target: another owner of the measure if named, one's own for support, else the lone other actor."""
    other_owners = [o for o in owners if o != actor]
    if stance == "none":
        return None
    if other_owners:
        return other_owners[0]
    if stance == "support":
        return actor
    return others[0] if len(others) == 1 else None


def most_common(values) -> str | None:
    """Return the most common non-null value (first seen wins ties)."""
    counts = Counter(v for v in values if v)
    return counts.most_common(1)[0][0] if counts else None


def _entry(verdicts: Sequence[Verdict], stance: str, n_support: int, n_oppose: int) -> DocumentStance:
    """Build one document stance from the verdicts that carry its stance."""
    first = verdicts[0].label.statement
    chosen = [v for v in verdicts if v.label.stance == stance]
    also = tuple(dict.fromkeys(a for v in verdicts for a in v.also if a != first.issue))
    return DocumentStance(
        actor=first.actor, issue=first.issue, stance=stance,
        target=most_common(v.label.statement.target for v in chosen),
        official=most_common(v.label.statement.official for v in chosen),
        also=also, support=n_support, oppose=n_oppose,
    )


def dominant(verdicts: Sequence[Verdict]) -> str | None:
    """Return the dominant stance of stance-taking verdicts by confidence-weighted vote (None for an even mix)."""
    # Each statement weighs its direction's probability (0.5..1), so counts decide and confidence breaks ties.
    score = sum(v.label.probability * (1 if v.label.stance == "support" else -1) for v in verdicts)
    return "support" if score > 0 else "oppose" if score < 0 else None


def aggregate(verdicts: Sequence[Verdict], *, split_targets: bool = True, min_top_probability: float = 0.0,
              roles: frozenset[str] | None = None) -> tuple[DocumentStance, ...]:
    """Return one stance per (actor, issue) with the dominant stance; an even mix or all-none gives none.

    With split_targets, support and oppose aimed at different targets (backing one's own proposal,
    rejecting another's) are two entries, as the spec's worked example has. A pair whose most
    confident statement is below min_top_probability is left out (a stance must be clear somewhere).
    With roles, only statements where the actor has one of these roles count (an actor merely
    mentioned in a sentence rarely takes a position there).
    """
    groups: dict[tuple[str, str], list[Verdict]] = {}
    for v in verdicts:
        if v.label.stance in ("support", "oppose") and (roles is None or v.role in roles):
            groups.setdefault((v.label.statement.actor, v.label.statement.issue), []).append(v)
    out = []
    for key in sorted(groups):
        group = groups[key]
        if max(v.label.probability for v in group) < min_top_probability:
            continue
        n_support = sum(1 for v in group if v.label.stance == "support")
        n_oppose = len(group) - n_support
        targets = {s: most_common(v.label.statement.target for v in group if v.label.stance == s) for s in ("support", "oppose")}
        if split_targets and n_support and n_oppose and targets["support"] != targets["oppose"] and None not in targets.values():
            out += [_entry(group, "support", n_support, n_oppose), _entry(group, "oppose", n_support, n_oppose)]
        elif (stance := dominant(group)) is not None:
            out.append(_entry(group, stance, n_support, n_oppose))
    return tuple(out)
