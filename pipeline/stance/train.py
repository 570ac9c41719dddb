"""Training stage: labels + documents -> candidate statements -> cross-validated, fitted stance model."""

from __future__ import annotations

import dataclasses
import logging
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field

from pipeline.annotations import AnnStance
from pipeline.evaluate import PRF, macro_f1
from pipeline.stance.classify import STANCE, StanceClassifier
from pipeline.stance.features import CueLexicon, feature_frame, lexicon_polarity
from pipeline.stance.labels import LabelRecord
from pipeline.stance.model import FittedStance, ModelParams, build_classifier, build_model, transform_features
from pipeline.stance.pairs import (PairGate, Scored, gate_inputs, gold_entries, group_pairs, issue_words, pair_features, pair_stance, positive,
                                   score_rows)
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


def fit_model(examples: Sequence[Example], params: ModelParams, lexicon: CueLexicon, *,
              extra_polarity: Sequence[tuple[Candidate, str]] = ()) -> FittedStance:
    """Fit the model on examples: one three-class pipeline, or (two_stage) a stance detector and a polarity model.

    extra_polarity adds (candidate, support|oppose) pairs to the polarity model's training only.
    """
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
        matrix = transform_features(model.named_steps["features"], frame)
        polarity_x, polarity_y = matrix[stance_rows], [labels[i] for i in stance_rows]
        if extra_polarity:
            import scipy.sparse as sp

            extra = transform_features(model.named_steps["features"], feature_frame([c for c, _ in extra_polarity], lexicon))
            polarity_x, polarity_y = sp.vstack([polarity_x, extra], format="csr"), polarity_y + [label for _, label in extra_polarity]
        polarity = build_classifier(params).fit(polarity_x, polarity_y)
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



@dataclass(frozen=True, slots=True)
class DocumentGold:
    """Document-level gold stances of training stories, with the run-time candidates of each story."""

    stances: dict[str, tuple[AnnStance, ...]]
    candidates: dict[str, list[Candidate]]


@dataclass(frozen=True, slots=True)
class GateResult:
    """The fitted pair gate and the document-level CV scores of the whole model on the document gold."""

    gate: PairGate
    pairs: int
    positives: int
    cv: dict


def document_gold(stances: dict[str, tuple[AnnStance, ...]], documents: dict[str, Document], extractions: dict[str, Extraction],
                  lexicon: CueLexicon, *, neighbour_reach: int, roles: frozenset[str]) -> DocumentGold:
    """Pair the document gold with each story's run-time candidates in the stance roles (stories without text are skipped)."""
    from pipeline.stance.statements import build_candidates

    candidates = {}
    for doc_id in stances:
        if doc_id in documents and doc_id in extractions:
            found = build_candidates(documents[doc_id], extractions[doc_id], proposal_nouns=lexicon.proposal_nouns, neighbour_reach=neighbour_reach)
            candidates[doc_id] = [c for c in found if c.role in roles]
    return DocumentGold({k: v for k, v in stances.items() if k in candidates}, candidates)


def _one_direction(gold: Sequence[AnnStance]) -> str | None:
    """Return the stance of gold entries that agree on one direction, else None."""
    directions = {g.stance for g in gold}
    return directions.pop() if len(directions) == 1 else None


def reconcile(examples: Sequence[Example], gold: DocumentGold) -> list[Example]:
    """Give the document-gold stance to the statement labels of a pair the document gold has but no label takes a stance on.

    Statement labels were made strictly ("when in doubt, none"); the document gold records positions an
    annotator reads from the whole story. Where the two disagree in this direction, the story-level
    reading wins, so the detector learns what the scorer counts as a position.
    """
    pairs: dict[tuple[str, str, str], list[int]] = {}
    for i, e in enumerate(examples):
        if e.group in gold.stances and e.origin != "synthetic":
            pairs.setdefault((e.group, e.candidate.statement.actor, e.candidate.statement.issue), []).append(i)
    out = list(examples)
    for (doc_id, _, _), rows in pairs.items():
        direction = _one_direction(gold_entries(gold.stances[doc_id], examples[rows[0]].candidate))
        if direction and all(examples[i].stance == "none" for i in rows):
            for i in rows:
                out[i] = dataclasses.replace(examples[i], stance=direction)
    return out


def distant_polarity(gold: DocumentGold, doc_ids: Iterable[str]) -> list[tuple[Candidate, str]]:
    """Return (candidate, direction) for the statements of every document-gold pair with one direction."""
    out = []
    for doc_id in doc_ids:
        for candidate in gold.candidates.get(doc_id, ()):
            direction = _one_direction(gold_entries(gold.stances[doc_id], candidate))
            if direction:
                out.append((candidate, direction))
    return out


def fit_statements(examples: Sequence[Example], params: ModelParams, lexicon: CueLexicon, gold: DocumentGold | None,
                   doc_ids: Iterable[str] = ()) -> FittedStance:
    """Fit the statement model, with distant polarity examples from these document-gold stories when configured."""
    extra = distant_polarity(gold, doc_ids) if gold is not None and params.distant_polarity else []
    return fit_model(examples, params, lexicon, extra_polarity=extra)


def scored_pairs(fitted: FittedStance, candidates: dict[str, list[Candidate]], lexicon: CueLexicon) -> list[tuple[str, tuple[str, str], list[Scored]]]:
    """Score stories' candidates in one model call and return (doc_id, (actor, issue), statements) per pair, in story order."""
    flat = [c for doc_id in sorted(candidates) for c in candidates[doc_id]]
    classifier = StanceClassifier(pipeline=fitted.pipeline, polarity=fitted.polarity, info={}, lexicon=lexicon)
    predictions = iter(classifier.predict(flat))
    rows = []
    for doc_id in sorted(candidates):
        scored = [Scored(c, p.p_stance, p.p_support) for c, p in zip(candidates[doc_id], predictions)]
        rows += [(doc_id, key, items) for key, items in group_pairs(scored).items()]
    return rows


def build_issue_words(params: ModelParams):
    """Return an unfitted issue-word model: TF-IDF over issue_words texts and a logistic regression."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    return Pipeline([("words", TfidfVectorizer(token_pattern=r"\S+", min_df=2, sublinear_tf=True)),
                     ("classifier", LogisticRegression(C=params.issue_words_C, max_iter=3000))])


def fold_splits(folds: Sequence[int], truth: Sequence[int]) -> Iterator[tuple[list[int], list[int]]]:
    """Yield (train, test) row positions per fold, skipping folds whose other rows hold only one class."""
    for k in sorted(set(folds)):
        train = [i for i, f in enumerate(folds) if f != k]
        if len({truth[i] for i in train}) == 2:
            yield train, [i for i, f in enumerate(folds) if f == k]


def _out_of_fold_words(texts: Sequence[str], truth: Sequence[int], folds: Sequence[int], params: ModelParams) -> list[float]:
    """Return each pair's issue-word probability from a model fitted on the other folds' pairs."""
    out = [0.5] * len(texts)
    for train, test in fold_splits(folds, truth):
        model = build_issue_words(params).fit([texts[i] for i in train], [truth[i] for i in train])
        for i, p in zip(test, positive(model, [texts[i] for i in test])):
            out[i] = p
    return out


def fit_pair_gate(features: Sequence[Sequence[float]], texts: Sequence[str], truth: Sequence[int], folds: Sequence[int], params: ModelParams) -> PairGate:
    """Fit the gate: its logistic regression reads out-of-fold issue-word probabilities, as it will read unseen stories'."""
    from sklearn.linear_model import LogisticRegression

    words = _out_of_fold_words(texts, truth, folds, params)
    model = LogisticRegression(C=params.pair_C, max_iter=3000).fit(gate_inputs(features, words), list(truth))
    return PairGate(model, build_issue_words(params).fit(list(texts), list(truth)))


def fit_gate(examples: Sequence[Example], params: ModelParams, lexicon: CueLexicon, gold: DocumentGold) -> GateResult:
    """Fit the pair gate on out-of-fold pair features of the document-gold stories, and score the model there by CV.

    Each fold's statement model is fitted without the fold's stories, so the gate learns from statement
    scores like those it will see at run time; the gate's own CV (a second split over the same folds,
    with the issue-word model nested inside) gives document-level detection scores on the training gold.
    """
    doc_ids = sorted(gold.stances)
    fold_of = {d: i % params.cv_folds for i, d in enumerate(doc_ids)}
    real = [e for e in examples if e.origin != "synthetic"]
    synthetic = [e for e in examples if e.origin == "synthetic"]
    rows: list[tuple[str, tuple[str, str], list[Scored]]] = []
    for k in range(params.cv_folds):
        held = {d for d in doc_ids if fold_of[d] == k}
        log.info("pair gate: fold %d/%d (%d stories held out)", k + 1, params.cv_folds, len(held))
        fitted = fit_statements([e for e in real if e.group not in held] + synthetic, params, lexicon, gold, (d for d in doc_ids if d not in held))
        rows += scored_pairs(fitted, {d: gold.candidates[d] for d in held}, lexicon)
    pairs = PairRows([pair_features(items) for _, _, items in rows], [issue_words(items) for _, _, items in rows],
                     [int(bool(gold_entries(gold.stances[d], items[0].candidate))) for d, _, items in rows], [fold_of[d] for d, _, _ in rows])
    gate = fit_pair_gate(pairs.features, pairs.texts, pairs.truth, pairs.folds, params)
    cv = _gate_cv(rows, pairs, gold, params)
    return GateResult(gate, len(rows), sum(pairs.truth), cv)


@dataclass(frozen=True, slots=True)
class PairRows:
    """The gate's training rows: pair features, issue_words texts, gold truth (0/1) and each row's fold."""

    features: list[list[float]]
    texts: list[str]
    truth: list[int]
    folds: list[int]

    def subset(self, index: Sequence[int]) -> PairRows:
        """Return the rows at these positions."""
        return PairRows([self.features[i] for i in index], [self.texts[i] for i in index], [self.truth[i] for i in index], [self.folds[i] for i in index])


def _gate_cv(rows, pairs: PairRows, gold: DocumentGold, params: ModelParams) -> dict:
    """Score the gated document stances of each fold's stories with a gate fitted on the other folds (spec scorer)."""
    from pipeline.annotations import AnnotatedDocument
    from pipeline.evaluate import score_stances

    predicted: dict[str, list] = {d: [] for d in gold.stances}
    for train, test in fold_splits(pairs.folds, pairs.truth):
        part = pairs.subset(train)
        gate = fit_pair_gate(part.features, part.texts, part.truth, part.folds, params)
        held = pairs.subset(test)
        for i, p in zip(test, score_rows(gate, held.features, held.texts)):
            if p >= params.min_pair_probability:
                s = pair_stance(rows[i][2], min_stance_probability=params.min_stance_probability)
                predicted[rows[i][0]].append(AnnStance(s.actor, s.official, s.issue, s.stance, s.target, s.also))
    tp = fp = fn = 0
    matched: list[tuple[str, str]] = []
    for doc_id, stances in gold.stances.items():
        prf, found = score_stances(AnnotatedDocument(doc_id=doc_id, stances=stances), AnnotatedDocument(doc_id=doc_id, stances=tuple(predicted[doc_id])))
        tp, fp, fn = tp + prf.tp, fp + prf.fp, fn + prf.fn
        matched += [(g.stance, p.stance) for g, p in found]
    detection = PRF(tp, fp, fn)
    return {"documents": len(gold.stances), "gold_stances": tp + fn, "detection": detection.as_dict(), "macro_f1": round(macro_f1(matched), 4)}
