"""Numeric thresholds of trade rules and positions (component ``tradestance_thresholds``).

Quantities come from the pure parser in :mod:`pipeline.nlp.numbers`; cue lexicons decide whether
a number is a threshold or an economic statistic and which role it has; the issue comes from the
sentence's issues (the kind of measure first, sectors in ``also``); the holder is the actor whose
proposal or measure it is.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.config import DATA_DIR
from pipeline.nlp.data import read_tsv
from pipeline.nlp.numbers import Quantity, find_quantities
from pipeline.types import CountryMention, IssueMention, OfficialMention, Threshold

CUES_FILE = DATA_DIR / "threshold_cues.tsv"
# Kinds of measure come before sectors (spec: "Measure or sector").
MEASURE_ISSUES = (
    "rules_of_origin", "trade_remedies", "tariffs", "import_restrictions", "subsidies", "procurement",
    "market_access", "currency", "dispute_settlement", "intellectual_property", "investment", "standards",
    "digital_trade", "labor", "environment", "anti_corruption", "trade_legislation", "negotiations", "trade_balance",
)
NEAR_TOKENS = 6
ROLE_ORDER = ("proposed", "agreed", "current")


@dataclass(frozen=True, slots=True)
class Cues:
    """Cue lemmas by kind."""

    by_kind: dict[str, frozenset[str]]

    def kinds(self, lemma: str) -> tuple[str, ...]:
        """Return the cue kinds a lemma belongs to."""
        return tuple(k for k, words in self.by_kind.items() if lemma in words)


@lru_cache(maxsize=2)
def read_cues(path: Path = CUES_FILE) -> Cues:
    """Read the threshold cue lexicon."""
    by_kind: dict[str, set[str]] = defaultdict(set)
    for row in read_tsv(path):
        by_kind[row["kind"]].add(row["cue"].lower())
    return Cues({k: frozenset(v) for k, v in by_kind.items()})


def _cue_counts(sent: Span, anchor: int, cues: Cues) -> dict[str, float]:
    """Count cue kinds in a sentence; cues near the number's token count double."""
    counts: dict[str, float] = defaultdict(float)
    for tok in sent:
        weight = 2.0 if abs(tok.i - anchor) <= NEAR_TOKENS else 1.0
        for kind in cues.kinds(tok.lemma_.lower()) + cues.kinds(tok.lower_):
            counts[kind] += weight
    return counts


def is_threshold(q: Quantity, counts: dict[str, float], *, has_issue: bool) -> bool:
    """Decide threshold versus statistic from cue counts, unit and the sentence's issues."""
    if q.unit == "other" or not has_issue:
        return False
    measure, statistic = counts.get("measure", 0.0), counts.get("statistic", 0.0)
    if q.kind == "duration":
        return measure >= 2
    return measure > statistic


def threshold_role(counts: dict[str, float]) -> str:
    """Pick the role whose cues weigh most (ties go to proposed, then agreed, then current)."""
    best = max(ROLE_ORDER, key=lambda r: (counts.get(r, 0.0), -ROLE_ORDER.index(r)))
    return best if counts.get(best, 0.0) > 0 else "other"


def threshold_issue(issues: list[str]) -> tuple[str | None, tuple[str, ...]]:
    """Return the measure issue (or the first sector) and the other sentence issues as ``also``."""
    if not issues:
        return None, ()
    measures = [i for i in MEASURE_ISSUES if i in issues]
    main = measures[0] if measures else sorted(issues)[0]
    return main, tuple(sorted(i for i in issues if i != main))


class ThresholdFinder:
    """Find thresholds sentence by sentence."""

    def __init__(self, nlp: Language, name: str, cues: Cues) -> None:
        """Keep the cue lexicon."""
        self.name = name
        self.cues = cues

    def __call__(self, doc: Doc) -> Doc:
        """Set ``doc._.ts_thresholds``."""
        doc._.ts_thresholds = find_thresholds(doc, self.cues)
        return doc


def find_thresholds(doc: Doc, cues: Cues) -> list[Threshold]:
    """Return the thresholds of a document with role, holder and issue."""
    issues_by_sent: dict[int, list[str]] = defaultdict(list)
    for m in doc._.ts_issues or []:
        issues_by_sent[m.start].append(m.issue)
    sent_starts = sorted({s.start_char for s in doc.sents})
    doc_measure = _main_measure(doc._.ts_issues or [])
    countries: list[CountryMention] = doc._.ts_countries or []
    officials: list[OfficialMention] = doc._.ts_officials or []
    out = []
    for q in find_quantities(doc.text):
        span = doc.char_span(q.start, q.end, alignment_mode="expand")
        if span is None:
            continue
        sent = span.sent
        issues = _context_issues(sent.start_char, issues_by_sent, sent_starts, doc_measure)
        counts = _cue_counts(sent, span.root.i, cues)
        if not is_threshold(q, counts, has_issue=bool(issues)):
            continue
        role = threshold_role(counts)
        issue, also = threshold_issue(issues)
        holder = _holder(doc, sent, span, role, countries, officials)
        out.append(Threshold(q.start, q.end, q.text, q.value, q.unit, q.from_value, role, holder, issue, also))
    return out


def _main_measure(mentions: list[IssueMention]) -> str | None:
    """Return the kind of measure the document mentions most (None if it names none)."""
    counts: dict[str, int] = defaultdict(int)
    for m in mentions:
        if m.issue in MEASURE_ISSUES[:8]:
            counts[m.issue] += 1
    return max(counts, key=lambda i: (counts[i], -MEASURE_ISSUES.index(i))) if counts else None


def _context_issues(start: int, by_sent: dict[int, list[str]], starts: list[int], doc_measure: str | None) -> list[str]:
    """Return a sentence's issues; without a kind of measure, borrow one from the two sentences before or the document."""
    issues = list(by_sent.get(start, []))
    if any(i in MEASURE_ISSUES[:8] for i in issues):
        return issues
    k = starts.index(start) if start in starts else 0
    for prev in reversed(starts[max(0, k - 2):k]):
        borrowed = [i for i in by_sent.get(prev, []) if i in MEASURE_ISSUES[:8]]
        if borrowed:
            return issues + borrowed[:1]
    return issues + [doc_measure] if doc_measure else issues


def _holder(doc: Doc, sent: Span, span: Span, role: str, countries: list[CountryMention], officials: list[OfficialMention]) -> str | None:
    """Return the actor whose measure or proposal the number is: the subject's country, else the nearest before."""
    in_sent = [c for c in countries if sent.start_char <= c.start < sent.end_char]
    people = [o for o in officials if sent.start_char <= o.start < sent.end_char and o.country]
    root = sent.root
    subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is not None:
        lo, hi = doc[subject.left_edge.i].idx, subject.right_edge.idx + len(subject.right_edge)
        for m in people + in_sent:
            if lo <= m.start < hi:
                return m.country if isinstance(m, OfficialMention) else m.code
    if role == "current":
        return None
    before = [c.code for c in in_sent if c.start < span.start_char]
    if before:
        return before[-1]
    owner = [o.country for o in people]
    return owner[0] if owner else (in_sent[0].code if in_sent else None)


@Language.factory("tradestance_thresholds", default_config={"cues_path": str(CUES_FILE)})
def make_threshold_finder(nlp: Language, name: str, cues_path: str) -> ThresholdFinder:
    """spaCy factory for the threshold finder."""
    return ThresholdFinder(nlp, name, read_cues(Path(cues_path)))
