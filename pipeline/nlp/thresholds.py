"""Numeric thresholds of trade rules and positions (component ``tradestance_thresholds``).

Quantities come from the pure parser in :mod:`pipeline.nlp.numbers`. A quantity is a threshold when
the sentence (or the two before it) names an issue and the evidence for a rule or measure outweighs
the evidence for an economic statistic: cue lemmas in the sentence (near ones count double), the
verb governing the number ("impose", "cut", "require" versus "rise", "widen", "export") and, for
durations, the word before them ("within five years" versus "the first two months"). The role
comes from cue lemmas and the governing verb's tense; the issue from the sentence's issues (the
kind of measure first, sectors in ``also``); the holder from the subject of the governing verbs,
else a non-target country before the number, else the document's main actor.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from pipeline.config import DATA_DIR
from pipeline.nlp.actors import main_actor
from pipeline.nlp.data import read_tsv
from pipeline.nlp.numbers import Quantity, find_quantities
from pipeline.nlp.spans import ByStart, doc_text
from pipeline.types import CountryMention, IssueMention, OfficialMention, Threshold

CUES_FILE = DATA_DIR / "threshold_cues.tsv"
# Kinds of measure come before sectors (spec: "Measure or sector").
MEASURE_ISSUES = (
    "rules_of_origin", "trade_remedies", "tariffs", "import_restrictions", "subsidies", "procurement",
    "market_access", "currency", "dispute_settlement", "intellectual_property", "investment", "standards",
    "digital_trade", "labor", "environment", "anti_corruption", "trade_legislation", "negotiations", "trade_balance",
)
CORE_MEASURES = frozenset(MEASURE_ISSUES[:8])
NEAR_TOKENS = 6
ROLE_ORDER = ("proposed", "agreed", "current")
MAX_HEAD_STEPS = 6
BORROW_SENTENCES = 2
# A short story has one main measure a number can borrow; a long speech ranges over too many topics.
MAX_SENTENCES_FOR_DOC_MEASURE = 40
ENACTING_KINDS = frozenset({"proclamation"})  # documents whose rules are in force by the document itself
TARGET_PREPS = frozenset({"on", "against", "to", "with", "into", "of", "as"})
PAST_TAGS = frozenset({"VBD", "VBN"})


@dataclass(frozen=True, slots=True)
class Cues:
    """Cue lemmas by kind."""

    by_kind: dict[str, frozenset[str]]
    by_word: dict[str, tuple[str, ...]] = field(default_factory=dict)  # the reverse index, in by_kind order

    def kinds(self, lemma: str) -> tuple[str, ...]:
        """Return the cue kinds a lemma belongs to."""
        return self.by_word.get(lemma, ())

    def has(self, kind: str, word: str) -> bool:
        """Tell whether a lower-case lemma or word is a cue of the kind."""
        return word in self.by_kind.get(kind, ())


@lru_cache(maxsize=2)
def read_cues(path: Path = CUES_FILE) -> Cues:
    """Read the threshold cue lexicon."""
    by_kind: dict[str, set[str]] = defaultdict(set)
    for row in read_tsv(path):
        by_kind[row["kind"]].add(row["cue"].lower())
    by_word: dict[str, list[str]] = defaultdict(list)
    for kind, words in by_kind.items():
        for word in words:
            by_word[word].append(kind)
    return Cues({k: frozenset(v) for k, v in by_kind.items()}, {w: tuple(k) for w, k in by_word.items()})


@dataclass(frozen=True, slots=True)
class Evidence:
    """What the context of one quantity says: cue weights, governing verbs and the word before it."""

    counts: dict[str, float]
    verbs: tuple[Token, ...]
    before: str
    modifies: str | None = None
    after: str = ""


def _cue_counts(sent: Span, anchor: int, cues: Cues) -> dict[str, float]:
    """Count cue kinds in a sentence; cues near the number's token count double."""
    counts: dict[str, float] = defaultdict(float)
    for tok in sent:
        weight = 2.0 if abs(tok.i - anchor) <= NEAR_TOKENS else 1.0
        for kind in set(cues.kinds(tok.lemma_.lower()) + cues.kinds(tok.lower_)):
            counts[kind] += weight
    return counts


def governing_verbs(tok: Token) -> tuple[Token, ...]:
    """Return the verbs above a token, nearest first (through xcomp/conj chains, a few steps)."""
    out, cur = [], tok
    for _ in range(MAX_HEAD_STEPS):
        if cur.head is cur:
            break
        cur = cur.head
        if cur.pos_ in ("VERB", "AUX"):
            out.append(cur)
    return tuple(out)


def evidence(span: Span, cues: Cues) -> Evidence:
    """Collect the context evidence of a quantity's span."""
    doc = span.doc
    before = doc[span.start - 1].lower_ if span.start > 0 else ""
    root = span.root
    modifies = root.head.lemma_.lower() if root.dep_ in ("compound", "nummod", "amod") and root.head.i >= span.end and root.head.pos_ in ("NOUN", "PROPN") else None
    after = doc[span.end].lower_ if span.end < len(doc) else ""
    return Evidence(_cue_counts(span.sent, span.root.i, cues), governing_verbs(span.root), before, modifies, after)


def threshold_score(q: Quantity, ev: Evidence, cues: Cues) -> float:
    """Score rule-or-measure evidence minus statistic evidence for a quantity."""
    score = max(-3.0, min(3.0, ev.counts.get("measure", 0.0) - ev.counts.get("statistic", 0.0)))
    if ev.verbs:
        verb = ev.verbs[0]
        lemma = verb.lemma_.lower()
        modal = _has_modal(verb, cues)
        if cues.has("measure_verb", lemma):
            score += 2.0
        elif cues.has("statistic_verb", lemma) and not modal:
            score -= 2.0
        if _past_fact(ev, cues):
            score -= 4.0  # "had already bought 310 mln dlrs worth": a completed transaction, a fact
    if q.kind == "duration":
        if not (cues.has("rule_before", ev.before) or cues.has("rule_after", ev.after)):
            return -1.0  # "in one year", "the first two months": a period of time, not a rule's deadline
        score += 1.0
    if ev.modifies is not None and cues.has("statistic", ev.modifies):
        score -= 4.0  # "the 170 billion dlr trade deficit" names a statistic whatever the verb
    elif ev.modifies is not None and cues.has("measure_noun", ev.modifies):
        score += 2.0  # "a 105 billion peseta plan", "a three-year program": the size of a measure
    return score


def _past_fact(ev: Evidence, cues: Cues) -> bool:
    """Tell whether the governing verb reports a completed transaction ("bought", "exported" without a modal)."""
    if not ev.verbs:
        return False
    verb = ev.verbs[0]
    return cues.has("past_fact_verb", verb.lemma_.lower()) and verb.tag_ in PAST_TAGS and not _has_modal(verb, cues)


def _has_modal(verb: Token, cues: Cues) -> bool:
    """Tell whether a verb (or the verb it hangs from) carries a modal of obligation or intent ("must be exported")."""
    return any(c.dep_ in ("aux", "auxpass") and cues.has("modal", c.lower_) for v in (verb, verb.head) for c in v.children)


def is_threshold(q: Quantity, ev: Evidence, cues: Cues, *, has_issue: bool) -> bool:
    """Decide threshold versus statistic: an issue in context and more measure than statistic evidence."""
    if q.unit == "other" or not has_issue:
        return False
    score = threshold_score(q, ev, cues)
    # A tie goes to the rule when a measure verb governs the number ("constrain it to the seven billion dollar level").
    return score > 0 or (score == 0 and bool(ev.verbs) and cues.has("measure_verb", ev.verbs[0].lemma_.lower()) and not _past_fact(ev, cues))


def threshold_role(ev: Evidence, cues: Cues, *, enacting: bool = False) -> str:
    """Pick the role whose cues weigh most; a past-tense measure verb without other cues, or an enacting document, means current."""
    counts = dict(ev.counts)
    if ev.verbs and ev.verbs[0].tag_ in PAST_TAGS and cues.has("measure_verb", ev.verbs[0].lemma_.lower()):
        if not any(counts.get(r, 0.0) for r in ("proposed", "agreed")):
            counts["current"] = counts.get("current", 0.0) + 1.0
    best = max(ROLE_ORDER, key=lambda r: (counts.get(r, 0.0), -ROLE_ORDER.index(r)))
    if counts.get(best, 0.0) > 0:
        return best
    return "current" if enacting else "other"


def threshold_issue(own: list[str], borrowed: list[str] = ()) -> tuple[str | None, tuple[str, ...]]:
    """Return the issue: a kind of measure in the sentence, else one borrowed from context, else a sector."""
    issues = list(dict.fromkeys([*own, *borrowed]))
    if not issues:
        return None, ()
    own_measures = [i for i in MEASURE_ISSUES if i in own]
    main = own_measures[0] if own_measures else borrowed[0] if borrowed else sorted(own)[0]
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


@dataclass(frozen=True, slots=True)
class DocActors:
    """Actor mentions of a document, the document's main actor and whether it is an article."""

    countries: ByStart[CountryMention]
    officials: ByStart[OfficialMention]
    main: str | None
    article: bool


def find_thresholds(doc: Doc, cues: Cues) -> list[Threshold]:
    """Return the thresholds of a document with role, holder and issue."""
    issues_by_sent: dict[int, list[str]] = defaultdict(list)
    for m in doc._.ts_issues or []:
        issues_by_sent[m.start].append(m.issue)
    quantities = find_quantities(doc_text(doc))
    if not quantities:
        return []
    sent_starts = sorted({s.start_char for s in doc.sents})
    sent_index = {s: i for i, s in enumerate(sent_starts)}
    doc_measure = _main_measure(doc._.ts_issues or [])
    actors = _doc_actors(doc)
    out = []
    for q in quantities:
        span = doc.char_span(q.start, q.end, alignment_mode="expand")
        if span is None:
            continue
        sent = span.sent
        ev = evidence(span, cues)
        own, borrowed = _context_issues(sent_index.get(sent.start_char, 0), sent_starts, issues_by_sent, doc_measure)
        if not is_threshold(q, ev, cues, has_issue=bool(own or borrowed)):
            continue
        role = threshold_role(ev, cues, enacting=doc.user_data.get("ts_kind") in ENACTING_KINDS)
        issue, also = threshold_issue(own, borrowed)
        holder = _holder(span, ev, role, actors)
        out.append(Threshold(q.start, q.end, q.text, q.value, q.unit, q.from_value, role, holder, issue, also))
    return out


def _doc_actors(doc: Doc) -> DocActors:
    """Collect the document's actors and its main actor."""
    countries: list[CountryMention] = doc._.ts_countries or []
    officials: list[OfficialMention] = doc._.ts_officials or []
    return DocActors(ByStart.of(countries), ByStart.of([o for o in officials if o.country]), main_actor(doc), doc.user_data.get("ts_kind") in (None, "article"))


def _main_measure(mentions: list[IssueMention]) -> str | None:
    """Return the kind of measure the document mentions most (None if it names none)."""
    counts: dict[str, int] = defaultdict(int)
    for m in mentions:
        if m.issue in CORE_MEASURES:
            counts[m.issue] += 1
    return max(counts, key=lambda i: (counts[i], -MEASURE_ISSUES.index(i))) if counts else None


def _context_issues(k: int, starts: list[int], by_sent: dict[int, list[str]], doc_measure: str | None) -> tuple[list[str], list[str]]:
    """Return a sentence's issues and, without a kind of measure, one borrowed from the sentences before or the document."""
    issues = list(by_sent.get(starts[k], [])) if starts else []
    if any(i in CORE_MEASURES for i in issues):
        return issues, []
    for prev in reversed(starts[max(0, k - BORROW_SENTENCES):k]):
        borrowed = [i for i in by_sent.get(prev, []) if i in CORE_MEASURES]
        if borrowed:
            return issues, borrowed[:1]
    return issues, ([doc_measure] if doc_measure and len(starts) <= MAX_SENTENCES_FOR_DOC_MEASURE else [])


def _actor_in(lo: int, hi: int, actors: DocActors) -> str | None:
    """Return the actor code of the first official or country mentioned in a character range."""
    for o in actors.officials.within(lo, hi):
        return o.country
    for c in actors.countries.within(lo, hi):
        return c.code
    return None


def _holder(span: Span, ev: Evidence, role: str, actors: DocActors) -> str | None:
    """Return the actor whose measure or proposal the number is."""
    doc = span.doc
    for verb in ev.verbs:
        for child in verb.children:
            if child.dep_ in ("nsubj", "agent"):
                lo, hi = doc[child.left_edge.i].idx, child.right_edge.idx + len(child.right_edge)
                code = _actor_in(lo, hi, actors)
                if code:
                    return code
    sent = span.sent
    in_sent = [c for c in actors.countries.within(sent.start_char, sent.end_char) if not _is_target(doc, c)]
    before = [c for c in in_sent if c.start < span.start_char]
    if before:
        return before[-1].code
    if role == "current" and actors.article:
        return in_sent[0].code if in_sent else None
    return in_sent[0].code if in_sent else actors.main


def _is_target(doc: Doc, mention: CountryMention) -> bool:
    """Tell whether a country is the object of a preposition ("tariffs on Japanese goods")."""
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None:
        return False
    tok = span.root
    for _ in range(3):
        if tok.dep_ == "nsubjpass" or (tok.dep_ == "pobj" and tok.head.lower_ in TARGET_PREPS):
            return True
        if tok.head is tok:
            break
        tok = tok.head
    return False


@Language.factory("tradestance_thresholds", default_config={"cues_path": str(CUES_FILE)})
def make_threshold_finder(nlp: Language, name: str, cues_path: str) -> ThresholdFinder:
    """spaCy factory for the threshold finder."""
    return ThresholdFinder(nlp, name, read_cues(Path(cues_path)))
