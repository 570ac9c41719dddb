"""Score predicted annotations against gold exactly as shared/spec/ANNOTATION.md says."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field

from pipeline.annotations import AnnotatedDocument, AnnQuote, AnnStance, AnnThreshold
from pipeline.nlp.register import fold

VALUE_TOLERANCE = 0.005
QUOTE_OVERLAP = 0.5


@dataclass(frozen=True, slots=True)
class PRF:
    """Counts and precision, recall and F1."""

    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        """Return TP / (TP + FP), 0 when undefined."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        """Return TP / (TP + FN), 0 when undefined."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        """Return the harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        """Return counts and rounded scores."""
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


def _sum(items: Sequence[PRF]) -> PRF:
    """Add up counts (micro-average)."""
    return PRF(sum(i.tp for i in items), sum(i.fp for i in items), sum(i.fn for i in items))


def surname(name: str | None) -> str | None:
    """Return the folded last word of a name, the key officials and speakers are matched on."""
    if not name:
        return None
    words = fold(name).replace(".", " ").split()
    return words[-1] if words else None


def match_one_to_one(gold: Sequence, pred: Sequence, ok: Callable[[object, object], bool], *, prefer: Callable[[object, object], float] = lambda g, p: 0.0) -> list[tuple[int, int]]:
    """Greedy one-to-one matching of gold and predicted items, best-preferred pairs first."""
    pairs = sorted(((prefer(g, p), gi, pi) for gi, g in enumerate(gold) for pi, p in enumerate(pred) if ok(g, p)), key=lambda x: -x[0])
    used_g, used_p, out = set(), set(), []
    for _, gi, pi in pairs:
        if gi not in used_g and pi not in used_p:
            used_g.add(gi)
            used_p.add(pi)
            out.append((gi, pi))
    return out


def _prf(n_gold: int, n_pred: int, n_match: int) -> PRF:
    """Build PRF from sizes and matches."""
    return PRF(n_match, n_pred - n_match, n_gold - n_match)


def score_officials(gold: AnnotatedDocument, pred: AnnotatedDocument) -> PRF:
    """Officials match on surname and country."""
    g = list({(surname(o.name), o.country) for o in gold.officials})
    p = list({(surname(o.name), o.country) for o in pred.officials})
    return _prf(len(g), len(p), len(set(g) & set(p)))


def score_set(gold: Sequence[str], pred: Sequence[str]) -> PRF:
    """Set precision/recall counts."""
    g, p = set(gold), set(pred)
    return _prf(len(g), len(p), len(g & p))


def _issue_ok(gold_issue: str | None, gold_also: Sequence[str], pred_issue: str | None) -> bool:
    """Tell whether a predicted issue is the gold one or one of its acceptable alternatives."""
    return pred_issue is not None and (pred_issue == gold_issue or pred_issue in gold_also)


def _value_ok(g: float | None, p: float | None) -> bool:
    """Values agree within 0.5% relative (both missing also agree)."""
    if g is None or p is None:
        return g is None and p is None
    return abs(g - p) <= VALUE_TOLERANCE * max(abs(g), abs(p)) if (g or p) else True


@dataclass(frozen=True, slots=True)
class Attr:
    """Attribute accuracy counts over matched pairs."""

    correct: int
    total: int

    @property
    def accuracy(self) -> float:
        """Return correct / total (0 when there are no matches)."""
        return self.correct / self.total if self.total else 0.0


def _attr(pairs: list[tuple], test: Callable) -> Attr:
    """Count matched pairs whose attribute agrees."""
    return Attr(sum(1 for g, p in pairs if test(g, p)), len(pairs))


def score_thresholds(gold: AnnotatedDocument, pred: AnnotatedDocument) -> tuple[PRF, list[tuple[AnnThreshold, AnnThreshold]]]:
    """Thresholds match on value (0.5%) and unit, one to one; returns matched pairs for attributes."""
    ok = lambda g, p: g.unit == p.unit and _value_ok(g.value, p.value)  # noqa: E731
    prefer = lambda g, p: -abs(g.start - p.start)  # noqa: E731
    pairs = match_one_to_one(gold.thresholds, pred.thresholds, ok, prefer=prefer)
    return _prf(len(gold.thresholds), len(pred.thresholds), len(pairs)), [(gold.thresholds[g], pred.thresholds[p]) for g, p in pairs]


def _overlap(g: AnnQuote, p: AnnQuote) -> bool:
    """Spans overlap by at least half of the longer span."""
    inter = min(g.end, p.end) - max(g.start, p.start)
    return inter > 0 and inter >= QUOTE_OVERLAP * max(g.end - g.start, p.end - p.start)


def speaker_ok(g: AnnQuote, p: AnnQuote) -> bool:
    """Speaker surnames match, or both are null with equal speaker_country."""
    if g.speaker is None or p.speaker is None:
        return g.speaker is None and p.speaker is None and g.speaker_country == p.speaker_country
    return surname(g.speaker) == surname(p.speaker)


def score_quotes(gold: AnnotatedDocument, pred: AnnotatedDocument) -> tuple[PRF, list[tuple[AnnQuote, AnnQuote]]]:
    """Quotes match on 50% overlap of the longer span, one to one."""
    pairs = match_one_to_one(gold.quotes, pred.quotes, _overlap, prefer=lambda g, p: min(g.end, p.end) - max(g.start, p.start))
    return _prf(len(gold.quotes), len(pred.quotes), len(pairs)), [(gold.quotes[g], pred.quotes[p]) for g, p in pairs]


def score_stances(gold: AnnotatedDocument, pred: AnnotatedDocument) -> tuple[PRF, list[tuple[AnnStance, AnnStance]]]:
    """Stances match one to one on (actor, issue or also), preferring pairs whose stance agrees."""
    ok = lambda g, p: g.actor == p.actor and _issue_ok(g.issue, g.also, p.issue)  # noqa: E731
    prefer = lambda g, p: (2 if g.stance == p.stance else 0) + (1 if g.target == p.target else 0)  # noqa: E731
    pairs = match_one_to_one(gold.stances, pred.stances, ok, prefer=prefer)
    return _prf(len(gold.stances), len(pred.stances), len(pairs)), [(gold.stances[g], pred.stances[p]) for g, p in pairs]


def macro_f1(pairs: Sequence[tuple[str, str]], labels: Sequence[str] = ("support", "oppose")) -> float:
    """Macro-F1 over the given labels from (gold, predicted) label pairs."""
    scores = []
    for label in labels:
        tp = sum(1 for g, p in pairs if g == label and p == label)
        fp = sum(1 for g, p in pairs if g != label and p == label)
        fn = sum(1 for g, p in pairs if g == label and p != label)
        scores.append(PRF(tp, fp, fn).f1)
    return sum(scores) / len(scores) if scores else 0.0


@dataclass(frozen=True, slots=True)
class Scores:
    """All scores of one evaluation run."""

    documents: int
    missing: tuple[str, ...]
    items: dict[str, PRF]
    attributes: dict[str, Attr]
    per_issue: dict[str, PRF]
    stance_macro_f1: float
    extra: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        """Return a JSON-ready dict."""
        return {
            "documents": self.documents,
            "missing_predictions": list(self.missing),
            "items": {k: v.as_dict() for k, v in self.items.items()},
            "attributes": {k: {"accuracy": round(v.accuracy, 4), **asdict(v)} for k, v in self.attributes.items()},
            "per_issue": {k: v.as_dict() for k, v in sorted(self.per_issue.items())},
            "stance_macro_f1": round(self.stance_macro_f1, 4),
            **self.extra,
        }


def score(gold: Sequence[AnnotatedDocument], pred: Sequence[AnnotatedDocument]) -> Scores:
    """Score predictions against gold, document by document; a missing prediction scores as empty."""
    by_id = {p.doc_id: p for p in pred}
    missing = tuple(g.doc_id for g in gold if g.doc_id not in by_id)
    items: dict[str, list[PRF]] = {k: [] for k in ("officials", "countries", "issues", "thresholds", "quotes", "stances")}
    th_pairs, q_pairs, st_pairs = [], [], []
    per_issue: dict[str, list[PRF]] = {}
    for g in gold:
        p = by_id.get(g.doc_id, AnnotatedDocument(doc_id=g.doc_id))
        items["officials"].append(score_officials(g, p))
        items["countries"].append(score_set(g.countries, p.countries))
        items["issues"].append(score_set(g.issues, p.issues))
        for issue in set(g.issues) | set(p.issues):
            per_issue.setdefault(issue, []).append(score_set([issue] if issue in g.issues else [], [issue] if issue in p.issues else []))
        for key, fn, sink in (("thresholds", score_thresholds, th_pairs), ("quotes", score_quotes, q_pairs), ("stances", score_stances, st_pairs)):
            prf, pairs = fn(g, p)
            items[key].append(prf)
            sink.extend(pairs)
    attributes = {
        "thresholds.issue": _attr(th_pairs, lambda g, p: _issue_ok(g.issue, g.also, p.issue)),
        "thresholds.role": _attr(th_pairs, lambda g, p: g.role == p.role),
        "thresholds.holder": _attr(th_pairs, lambda g, p: g.holder == p.holder),
        "thresholds.from_value": _attr(th_pairs, lambda g, p: _value_ok(g.from_value, p.from_value)),
        "quotes.speaker": _attr(q_pairs, speaker_ok),
        "stances.stance": _attr(st_pairs, lambda g, p: g.stance == p.stance),
        "stances.target": _attr(st_pairs, lambda g, p: g.target == p.target),
    }
    return Scores(
        documents=len(gold), missing=missing, items={k: _sum(v) for k, v in items.items()}, attributes=attributes,
        per_issue={k: _sum(v) for k, v in per_issue.items()}, stance_macro_f1=macro_f1([(g.stance, p.stance) for g, p in st_pairs]),
        extra={"stance_label_counts": dict(Counter(g.stance for g in (s for d in gold for s in d.stances)))},
    )
