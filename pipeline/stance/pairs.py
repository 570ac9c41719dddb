"""The pair gate: which (actor, issue) pairs of a document are clear positions, learnt from document-level gold.

The statement model says how likely each sentence is to take a stance; a document stance is a
judgement about the whole pair (how many statements, how sure the best one is, whether the actor
speaks, whether the issue is the document's main one, which words surround the issue). A logistic
regression over these pair features and an issue-word model's probability, fitted on document-level
gold of training stories, makes that judgement, and the pair's direction is the statements'
confidence-weighted vote.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from pipeline.annotations import AnnStance
from pipeline.stance.aggregate import most_common, resolve_target
from pipeline.stance.statements import Candidate
from pipeline.types import DocumentStance

# The order of pair_features' values (a model file records GATE_INPUTS and is refused when they differ).
PAIR_FEATURES = (
    "top_p", "mean_p", "log_statements", "log_confident", "sum_p", "second_p",
    "main_issue", "second_issue", "main_actor", "second_actor",
    "speaker", "author", "subject", "official", "agreement", "early", "log_first_offset",
)
# The gate reads PAIR_FEATURES plus the issue-word model's probability (issue_words below).
GATE_INPUTS = (*PAIR_FEATURES, "issue_words")
WORD = re.compile(r"[a-z]{3,}")
MASKS = frozenset({"zzactor", "zzother"})
CONFIDENT = 0.4  # p(stance) of a statement counted as confident in the pair features
EARLY_CHARS = 300  # a statement starting this early is in the story's lead


@dataclass(frozen=True, slots=True)
class Scored:
    """A candidate statement with the statement model's p(stance) and p(support | stance)."""

    candidate: Candidate
    p_stance: float
    p_support: float


@dataclass(frozen=True, slots=True)
class PairGate:
    """The fitted gate: a logistic regression over GATE_INPUTS, and the issue-word model that feeds it."""

    model: object  # LogisticRegression over pair features + the issue-word probability
    words: object  # Pipeline(TfidfVectorizer, LogisticRegression) over issue_words texts


def issue_words(items: Sequence[Scored]) -> str:
    """Return the pair's distinct words, each joined to the pair's issue ("negotiations__talks").

    Which issue of a sentence a position is about depends on the words around it: "talks" make
    a position on negotiations likely, "tariffs" on the same sentence a position on tariffs. A linear
    model only sees that through issue-word conjunctions.
    """
    issue = items[0].candidate.statement.issue
    words = sorted({w for s in items for w in WORD.findall(s.candidate.masked.lower()) if w not in MASKS})
    return " ".join(f"{issue}__{w}" for w in words)


def gate_inputs(features: Sequence[Sequence[float]], word_probabilities: Sequence[float]) -> list[list[float]]:
    """Return the gate's input rows: the pair features with the issue-word probability appended."""
    return [[*f, float(p)] for f, p in zip(features, word_probabilities)]


def positive(model, rows) -> list[float]:
    """Return a binary classifier's probability of the positive class (1) for each row."""
    return model.predict_proba(rows)[:, list(model.classes_).index(1)].tolist()


def score_rows(gate: PairGate, features: Sequence[Sequence[float]], texts: Sequence[str]) -> list[float]:
    """Return the gate's probabilities for pairs given as feature rows and issue_words texts."""
    return positive(gate.model, gate_inputs(features, positive(gate.words, list(texts))))


def gate_probabilities(gate: PairGate, pairs: Sequence[Sequence[Scored]]) -> list[float]:
    """Return the gate's probability that each pair is a document stance."""
    return score_rows(gate, [pair_features(items) for items in pairs], [issue_words(items) for items in pairs])


def group_pairs(scored: Sequence[Scored]) -> dict[tuple[str, str], list[Scored]]:
    """Group a document's scored statements by (actor, issue), in first-seen order."""
    groups: dict[tuple[str, str], list[Scored]] = {}
    for s in scored:
        groups.setdefault((s.candidate.statement.actor, s.candidate.statement.issue), []).append(s)
    return groups


def vote(items: Sequence[Scored]) -> float:
    """Return the confidence-weighted direction of a pair's statements (> 0: support)."""
    return sum((s.p_support - 0.5) * s.p_stance for s in items)


def pair_features(items: Sequence[Scored]) -> list[float]:
    """Return the features of one (actor, issue) pair, in PAIR_FEATURES order."""
    ps = sorted((s.p_stance for s in items), reverse=True)
    first = items[0].candidate
    weight = sum(s.p_stance for s in items) or 1.0
    start = min(s.candidate.statement.start for s in items)
    roles = {s.candidate.role for s in items}
    return [
        ps[0], sum(ps) / len(ps), math.log1p(len(ps)), math.log1p(sum(1 for p in ps if p >= CONFIDENT)), sum(ps) / 3,
        ps[1] if len(ps) > 1 else 0.0,
        float(first.issue_rank == 0), float(first.issue_rank == 1), float(first.actor_rank == 0), float(first.actor_rank == 1),
        float("speaker" in roles), float("author" in roles), float("subject" in roles),
        float(any(s.candidate.statement.official for s in items)),
        abs(vote(items)) * 2 / weight,  # how much the statements agree on the direction
        float(start < EARLY_CHARS), math.log1p(start / 100),
    ]


def pair_stance(items: Sequence[Scored], *, min_stance_probability: float) -> DocumentStance:
    """Build the document stance of a pair the gate admitted: direction by vote, target and official by majority.

    support/oppose count the pair's statements that take a stance at the statement level; when none
    does, the pair's best statement counts (the gate admitted the pair on the strength of it).
    """
    stance = "support" if vote(items) >= 0 else "oppose"
    agreeing = [s for s in items if (s.p_support >= 0.5) == (stance == "support")] or list(items)
    targets = (resolve_target(stance=stance, actor=s.candidate.statement.actor, owners=s.candidate.owners, others=s.candidate.others)
               for s in sorted(agreeing, key=lambda s: -s.p_stance))
    first = items[0].candidate.statement
    confident = [s for s in items if s.p_stance >= min_stance_probability] or [max(items, key=lambda s: s.p_stance)]
    return DocumentStance(
        actor=first.actor, issue=first.issue, stance=stance, target=most_common(targets),
        official=most_common(s.candidate.statement.official for s in agreeing),
        also=tuple(dict.fromkeys(a for s in items for a in s.candidate.also if a != first.issue)),
        support=sum(1 for s in confident if s.p_support >= 0.5), oppose=sum(1 for s in confident if s.p_support < 0.5),
    )


def gate_documents(gate: PairGate, scored: Sequence[Sequence[Scored]], *, min_pair_probability: float,
                   min_stance_probability: float) -> list[tuple[DocumentStance, ...]]:
    """Return each document's stances: its pairs whose gate probability reaches min_pair_probability."""
    groups = [list(group_pairs(doc).values()) for doc in scored]
    flat = [items for doc in groups for items in doc]
    # One gate call for the whole batch: scikit-learn's per-call overhead dominates a few pairs per document.
    probabilities = iter(gate_probabilities(gate, flat) if flat else [])
    out = []
    for doc in groups:
        admitted = [items for items in doc if next(probabilities) >= min_pair_probability]
        out.append(tuple(sorted((pair_stance(items, min_stance_probability=min_stance_probability) for items in admitted), key=lambda s: (s.actor, s.issue))))
    return out


def gate_pairs(gate: PairGate, scored: Sequence[Scored], *, min_pair_probability: float, min_stance_probability: float) -> tuple[DocumentStance, ...]:
    """Return one document's stances: pairs whose gate probability reaches min_pair_probability."""
    return gate_documents(gate, [scored], min_pair_probability=min_pair_probability, min_stance_probability=min_stance_probability)[0]


def gold_entries(gold: Sequence[AnnStance], candidate: Candidate) -> list[AnnStance]:
    """Return the gold stances a candidate's (actor, issue) matches, with the spec's `also` rule both ways."""
    s = candidate.statement
    return [g for g in gold if g.actor == s.actor and (g.issue == s.issue or s.issue in g.also or g.issue in candidate.also)]
