"""Training stage: labels + documents -> candidate statements -> cross-validated, fitted stance model."""

from __future__ import annotations

import dataclasses
import logging
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from pipeline.evaluate import PRF, macro_f1
from pipeline.stance.classify import STANCE, StanceClassifier
from pipeline.stance.features import CueLexicon, feature_frame, lexicon_polarity
from pipeline.stance.labels import LabelRecord
from pipeline.stance.model import FittedStance, ModelParams, build_classifier, build_model
from pipeline.stance.statements import Candidate, make_candidate
from pipeline.types import STANCE_LABELS, Document, Extraction

log = logging.getLogger(__name__)

WHOLE_DOC_CHARS = 6000  # shorter documents are analysed whole; longer ones only around their labels
WINDOW_MARGIN = 800


@dataclass(frozen=True, slots=True)
class Example:
    """One training example: the candidate built for a label, its stance and its document (CV group)."""

    candidate: Candidate
    stance: str
    group: str
    origin: str
    matched: bool = True  # built on a run-time candidate (else on the label's own span)


@dataclass(frozen=True, slots=True)
class Window:
    """A piece of a long document analysed on its own, and where it starts."""

    document: Document
    offset: int
    doc_id: str


@dataclass(frozen=True, slots=True)
class ClassScores:
    """Statement-level scores of one set of predictions against labels."""

    accuracy: float
    macro_f1: float  # support, oppose (the spec's measure)
    macro_f1_3: float  # support, oppose, none
    per_class: dict[str, dict] = field(default_factory=dict)

    def as_dict(self) -> dict:
        """Return rounded scores."""
        return {"accuracy": round(self.accuracy, 4), "macro_f1": round(self.macro_f1, 4), "macro_f1_3": round(self.macro_f1_3, 4), "per_class": self.per_class}


@dataclass(frozen=True, slots=True)
class CVResult:
    """Grouped cross-validation scores of the model and both baselines."""

    folds: int
    n_test: int
    model: ClassScores
    majority: ClassScores
    lexicon: ClassScores

    def as_dict(self) -> dict:
        """Return a JSON-ready dict (the metrics file)."""
        return {"folds": self.folds, "n_test": self.n_test, "model": self.model.as_dict(), "majority_baseline": self.majority.as_dict(), "lexicon_baseline": self.lexicon.as_dict()}


def synthetic_documents(labels: Iterable[LabelRecord]) -> dict[str, Document]:
    """Return a Document for each synthetic label's own text."""
    return {r.doc_id: Document(doc_id=r.doc_id, text=r.text or "", kind="article") for r in labels if r.origin == "synthetic"}


def _snap(text: str, lo: int, hi: int) -> tuple[int, int]:
    """Widen a window to whole lines."""
    lo = text.rfind("\n", 0, lo) + 1 if lo > 0 else 0
    nl = text.find("\n", hi)
    return lo, (len(text) if nl < 0 else nl)


def label_windows(document: Document, spans: Sequence[tuple[int, int]], *, margin: int = WINDOW_MARGIN) -> list[Window]:
    """Return the pieces of a document to analyse: all of it if short, else merged windows around spans."""
    if len(document.text) <= WHOLE_DOC_CHARS:
        return [Window(document, 0, document.doc_id)]
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        lo, hi = _snap(document.text, max(0, start - margin), min(len(document.text), end + margin))
        if merged and lo <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    return [Window(dataclasses.replace(document, doc_id=f"{document.doc_id}@{lo}", text=document.text[lo:hi]), lo, document.doc_id) for lo, hi in merged]


def _shifted(extraction: Extraction, offset: int) -> dict[str, tuple]:
    """Return the extraction's items with offsets moved back into the whole document."""
    fields = ("officials", "countries", "issues", "thresholds", "quotes")
    return {f: tuple(dataclasses.replace(i, start=i.start + offset, end=i.end + offset) for i in getattr(extraction, f)) for f in fields}


def extract_for_training(nlp, documents: dict[str, Document], spans: dict[str, list[tuple[int, int]]], *, batch_size: int = 32) -> dict[str, Extraction]:
    """Run the extraction pipeline over the labelled parts of the documents."""
    from pipeline.nlp.extract import extract_documents

    windows = [w for doc_id, doc in documents.items() for w in label_windows(doc, spans.get(doc_id, [(0, len(doc.text))]))]
    log.info("analysing %d windows (%d chars) of %d documents", len(windows), sum(len(w.document.text) for w in windows), len(documents))
    results = extract_documents(nlp, [w.document for w in windows], batch_size=batch_size)
    parts: dict[str, dict[str, list]] = {}
    for window, extraction in zip(windows, results):
        merged = parts.setdefault(window.doc_id, {})
        for key, items in _shifted(extraction, window.offset).items():
            merged.setdefault(key, []).extend(items)
    return {doc_id: Extraction(doc_id=doc_id, **{k: tuple(v) for k, v in items.items()}) for doc_id, items in parts.items()}


def _matches(record: LabelRecord, candidate: Candidate) -> bool:
    """Tell whether a run-time candidate is the statement a label describes."""
    s = candidate.statement
    same_issue = s.issue == record.issue or record.issue in candidate.also or s.issue in record.also
    return s.actor == record.actor and same_issue and min(record.end, s.end) > max(record.start, s.start)


def build_examples(labels: Sequence[LabelRecord], documents: dict[str, Document], extractions: dict[str, Extraction], lexicon: CueLexicon,
                   *, neighbour_reach: int = 0) -> list[Example]:
    """Turn labels into examples built exactly as the classifier sees statements at run time.

    A label takes the run-time candidate (sentence, actor, issue) it overlaps; a label no candidate
    matches (the extractor missed its actor or issue) gets a candidate built on its own span.
    """
    from pipeline.stance.statements import build_candidates

    by_doc: dict[str, list[Candidate]] = {}
    out, used = [], set()
    for r in labels:
        document, extraction = documents.get(r.doc_id), extractions.get(r.doc_id)
        if document is None or extraction is None:
            continue
        if r.doc_id not in by_doc:
            by_doc[r.doc_id] = build_candidates(document, extraction, proposal_nouns=lexicon.proposal_nouns, neighbour_reach=neighbour_reach)
        found = [c for c in by_doc[r.doc_id] if _matches(r, c) and (r.doc_id, id(c)) not in used]
        matched = bool(found)
        if found:
            candidate = found[0]
            used.add((r.doc_id, id(candidate)))
        else:
            candidate = make_candidate(document, extraction, start=r.start, end=r.end, actor=r.actor, issue=r.issue, also=r.also,
                                       official=r.official, proposal_nouns=lexicon.proposal_nouns)
        out.append(Example(candidate, r.stance, r.doc_id, r.origin, matched))
    return out


def fit_model(examples: Sequence[Example], params: ModelParams, lexicon: CueLexicon) -> FittedStance:
    """Fit the model on examples: one three-class pipeline, or (two_stage) a stance detector and a polarity model."""
    frame = feature_frame([e.candidate for e in examples], lexicon)
    labels = [e.stance for e in examples]
    model = build_model(params)
    polarity = None
    if not params.two_stage:
        model.fit(frame, labels)
    else:
        # Stance-taking and its direction are learnt apart: the many `none` statements would otherwise
        # pull the support and oppose scores towards "not none" rather than towards each other.
        model.fit(frame, [STANCE if label != "none" else "none" for label in labels])
        stance_rows = [i for i, label in enumerate(labels) if label != "none"]
        matrix = model.named_steps["features"].transform(frame)
        polarity = build_classifier(params).fit(matrix[stance_rows], [labels[i] for i in stance_rows])
    for _, transformer, _ in model.named_steps["features"].transformers_:
        if hasattr(transformer, "stop_words_"):
            del transformer.stop_words_  # only kept for introspection; it would make the model file ~40 MB
    return FittedStance(model, polarity)


def class_scores(pairs: Sequence[tuple[str, str]]) -> ClassScores:
    """Score (gold, predicted) statement labels."""
    per_class = {}
    for label in STANCE_LABELS:
        prf = PRF(sum(1 for g, p in pairs if g == p == label), sum(1 for g, p in pairs if p == label != g), sum(1 for g, p in pairs if g == label != p))
        per_class[label] = prf.as_dict()
    accuracy = sum(1 for g, p in pairs if g == p) / len(pairs) if pairs else 0.0
    return ClassScores(accuracy, macro_f1(pairs), macro_f1(pairs, labels=STANCE_LABELS), per_class)


def majority_label(examples: Sequence[Example]) -> str:
    """Return the most common label among support and oppose (the majority baseline's answer)."""
    counts = Counter(e.stance for e in examples if e.stance != "none")
    return counts.most_common(1)[0][0] if counts else "support"


def lexicon_label(candidate: Candidate, lexicon: CueLexicon) -> str:
    """Return the lexicon-only baseline's label for a candidate."""
    return {1: "support", -1: "oppose", 0: "none"}[lexicon_polarity(candidate.statement.text, lexicon)]


def cross_validate(examples: Sequence[Example], params: ModelParams, lexicon: CueLexicon, *, min_stance_probability: float) -> CVResult:
    """Grouped (by document) K-fold CV; synthetic examples are only ever trained on, never scored."""
    from sklearn.model_selection import GroupKFold

    real = [e for e in examples if e.origin != "synthetic"]
    synthetic = [e for e in examples if e.origin == "synthetic"]
    folds = GroupKFold(n_splits=params.cv_folds)
    model_pairs, majority_pairs, lexicon_pairs = [], [], []
    for train_idx, test_idx in folds.split(real, groups=[e.group for e in real]):
        train = [real[i] for i in train_idx] + synthetic
        test = [real[i] for i in test_idx]
        fitted = fit_model(train, params, lexicon)
        classifier = StanceClassifier(pipeline=fitted.pipeline, polarity=fitted.polarity, info={"min_stance_probability": min_stance_probability}, lexicon=lexicon)
        predicted = classifier.predict([e.candidate for e in test])
        majority = majority_label(train)
        for e, p in zip(test, predicted):
            model_pairs.append((e.stance, p.stance))
            majority_pairs.append((e.stance, majority))
            lexicon_pairs.append((e.stance, lexicon_label(e.candidate, lexicon)))
    return CVResult(params.cv_folds, len(model_pairs), class_scores(model_pairs), class_scores(majority_pairs), class_scores(lexicon_pairs))

