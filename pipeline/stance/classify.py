"""Stance classification entry points used by the analyzer: load the model, add stances and tone."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import ModelError
from pipeline.stance.aggregate import Verdict, aggregate, resolve_target
from pipeline.stance.features import CueLexicon, feature_frame, read_cues
from pipeline.stance.model import read_model, transform_features
from pipeline.stance.pairs import GATE_INPUTS, PairGate, Scored, gate_documents
from pipeline.stance.statements import Candidate, build_candidates
from pipeline.stance.tone import ToneScorer
from pipeline.types import Document, Extraction, StanceLabel

log = logging.getLogger(__name__)

STANCE = "stance"  # the detector's positive class in a two-stage model


@dataclass(frozen=True, slots=True)
class Prediction:
    """The model's label and its calibrated probability for one candidate, with the two-stage scores."""

    stance: str
    probability: float
    p_stance: float = 0.0  # p(the statement takes a stance)
    p_support: float = 0.5  # p(support | it takes one)


@dataclass(frozen=True, slots=True)
class StanceClassifier:
    """A loaded stance model with its settings, cue lexicon and tone scorer."""

    pipeline: object
    info: dict
    lexicon: CueLexicon
    polarity: object | None = None
    gate: PairGate | None = None  # the pair gate (pairs.py); without it, document stances are the statements' vote
    tone: ToneScorer = field(default_factory=ToneScorer)
    path: Path | None = None

    @property
    def min_stance_probability(self) -> float:
        """Return the probability of taking a stance (support + oppose) a statement needs, else it is none."""
        return float(self.info.get("min_stance_probability", 0.5))

    @property
    def min_pair_probability(self) -> float:
        """Return the pair-gate probability an (actor, issue) pair needs to be a document stance."""
        return float(self.info.get("min_pair_probability", 0.5))

    @property
    def neighbour_reach(self) -> int:
        """Return how far (chars) an actor's sentence without an issue looks for a tagged neighbour."""
        return int(self.info.get("neighbour_reach", 0))

    @property
    def stance_roles(self) -> frozenset[str] | None:
        """Return the actor roles whose statements are classified and aggregated (None: all)."""
        roles = self.info.get("stance_roles")
        return frozenset(roles) if roles else None

    @property
    def majority(self) -> str:
        """Return the majority stance (support or oppose) of the training labels."""
        return str(self.info.get("majority", "support"))

    def candidates(self, document: Document, extraction: Extraction) -> list[Candidate]:
        """Return the document's candidate statements this model classifies (actors in its stance roles)."""
        roles = self.stance_roles
        # An actor merely mentioned in a sentence makes no statement: such candidates never make a document
        # stance, and classifying them (two in five candidates) cost a third of the stance time.
        found = build_candidates(document, extraction, proposal_nouns=self.lexicon.proposal_nouns, neighbour_reach=self.neighbour_reach)
        return [c for c in found if roles is None or c.role in roles]

    def predict(self, candidates: Sequence[Candidate]) -> list[Prediction]:
        """Return a prediction per candidate."""
        if not candidates:
            return []
        matrix = transform_features(self.pipeline.named_steps["features"], feature_frame(candidates, self.lexicon))
        if self.polarity is not None:
            return self._predict_two_stage(matrix)
        probabilities = self.pipeline.named_steps["classifier"].predict_proba(matrix)
        classes = list(self.pipeline.classes_)
        none, support, oppose = (classes.index(c) for c in ("none", "support", "oppose"))
        out = []
        for row in probabilities:
            # Stance-taking is decided on p(support) + p(oppose), the direction on which is larger:
            # argmax over three classes misses statements split between the two stances.
            p_support = float(row[support] / (row[support] + row[oppose])) if row[support] + row[oppose] else 0.5
            if 1.0 - row[none] >= self.min_stance_probability:
                best = support if row[support] >= row[oppose] else oppose
                out.append(Prediction(classes[best], float(row[best] / (row[support] + row[oppose])), float(1.0 - row[none]), p_support))
            else:
                out.append(Prediction("none", float(row[none]), float(1.0 - row[none]), p_support))
        return out

    def _predict_two_stage(self, matrix) -> list[Prediction]:
        """Predict with the stance detector, then the direction with the polarity model (same features)."""
        detector = self.pipeline.named_steps["classifier"]
        p_stance = detector.predict_proba(matrix)[:, list(detector.classes_).index(STANCE)]
        p_support = self.polarity.predict_proba(matrix)[:, list(self.polarity.classes_).index("support")]
        out = []
        for stance, support in zip(p_stance.tolist(), p_support.tolist()):
            if stance >= self.min_stance_probability:
                label, probability = ("support", support) if support >= 0.5 else ("oppose", 1.0 - support)
            else:
                label, probability = "none", 1.0 - stance
            out.append(Prediction(label, probability, stance, support))
        return out


def load_classifier(path: Path) -> StanceClassifier | None:
    """Load the stance classifier from a skops file; None (with a warning) when there is none yet."""
    path = Path(path)
    if not path.exists():
        log.warning("no stance model at %s; stances are left empty (run `tradestance train`)", path)
        return None
    loaded = read_model(path)
    gate = None
    if "gate" in loaded:
        if loaded["info"].get("gate_inputs") != list(GATE_INPUTS):
            raise ModelError(f"{path}: its pair gate reads {loaded['info'].get('gate_inputs')}, this version computes {list(GATE_INPUTS)}; "
                             "retrain with `tradestance train`")
        gate = PairGate(loaded["gate"], loaded["gate_words"])
    return StanceClassifier(pipeline=loaded["pipeline"], polarity=loaded.get("polarity"), gate=gate, info=dict(loaded["info"]),
                            lexicon=read_cues(), path=path)


def label_candidates(classifier: StanceClassifier, candidates: Sequence[Candidate], predictions: Sequence[Prediction] | None = None) -> list[Verdict]:
    """Classify candidates in one model call (unless predictions are given), resolve their targets and score their tone."""
    verdicts = []
    predictions = classifier.predict(candidates) if predictions is None else predictions
    for candidate, prediction in zip(candidates, predictions):
        statement = candidate.statement
        target = resolve_target(stance=prediction.stance, actor=statement.actor, owners=candidate.owners, others=candidate.others)
        label = StanceLabel(
            statement=dataclasses.replace(statement, target=target), stance=prediction.stance,
            probability=prediction.probability, tone=classifier.tone.text_tone(statement.text),  # the scorer remembers sentences
        )
        verdicts.append(Verdict(label, candidate.also, candidate.role))
    return verdicts


def document_stances(classifier: StanceClassifier, candidates: Sequence[Candidate], predictions: Sequence[Prediction],
                      verdicts: Sequence[Verdict]) -> tuple:
    """Return one document's stances: pairs the gate admits, or (a model without a gate) the statements' vote."""
    return batch_stances(classifier, [candidates], [predictions], [verdicts])[0]


def batch_stances(classifier: StanceClassifier, candidates: Sequence[Sequence[Candidate]], predictions: Sequence[Sequence[Prediction]],
                  verdicts: Sequence[Sequence[Verdict]]) -> list[tuple]:
    """Return each document's stances, with one gate call for the batch."""
    if classifier.gate is not None:
        scored = [[Scored(c, p.p_stance, p.p_support) for c, p in zip(cs, ps)] for cs, ps in zip(candidates, predictions)]
        return gate_documents(classifier.gate, scored, min_pair_probability=classifier.min_pair_probability,
                              min_stance_probability=classifier.min_stance_probability)
    return [aggregate(list(v), split_targets=bool(classifier.info.get("split_targets", True)),
                      min_top_probability=float(classifier.info.get("min_top_probability", 0.0)), roles=classifier.stance_roles) for v in verdicts]


def add_stances_batch(classifier: StanceClassifier, documents: Sequence[Document], extractions: Sequence[Extraction]) -> list[Extraction]:
    """Add stances and tone to a batch of extractions with one model call for all their statements."""
    per_doc = [classifier.candidates(d, e) for d, e in zip(documents, extractions)]
    flat = [c for candidates in per_doc for c in candidates]
    # One predict_proba over the whole batch: the per-call overhead of scikit-learn dominates small documents.
    predictions = classifier.predict(flat)
    verdicts = label_candidates(classifier, flat, predictions)
    bounds, start = [], 0
    for candidates in per_doc:
        bounds.append((start, start + len(candidates)))
        start += len(candidates)
    stances = batch_stances(classifier, per_doc, [predictions[a:b] for a, b in bounds], [verdicts[a:b] for a, b in bounds])
    return [dataclasses.replace(extraction, statements=tuple(v.label for v in verdicts[a:b]), stances=found, tone=classifier.tone.document_tone(document.text))
            for document, extraction, (a, b), found in zip(documents, extractions, bounds, stances)]


def add_stances(classifier: StanceClassifier, document: Document, extraction: Extraction) -> Extraction:
    """Return the extraction with statement stances, document stances and tone added."""
    return add_stances_batch(classifier, [document], [extraction])[0]
