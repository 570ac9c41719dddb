"""Tag sentences and documents with issue ids (component ``tradestance_issues``).

Every issue has *strong* terms (one sentence is enough to make it a document issue), *weak*
terms (ambiguous words such as "bank", "dollar" or "dispute" that need several sentences or the
lead) and *exclude* phrases that cancel overlapping matches ("European Union" is no labor union).
A sentence scores the heaviest of its matches per issue, the lead sentence counts ``lead_weight``
times, and an issue whose document score reaches 1 is a document issue. Only sentences of
document issues are kept as sentence mentions, so thresholds and stances see no stray issues.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

from pipeline.config import DATA_DIR
from pipeline.errors import ConfigError
from pipeline.nlp.data import read_jsonl_data, read_tsv
from pipeline.types import IssueMention

PATTERNS_FILE = DATA_DIR / "issue_patterns.jsonl"
ISSUES_FILE = DATA_DIR / "issues.tsv"
WEAK, EXCLUDE = "|weak", "|exclude"


@dataclass(frozen=True, slots=True)
class IssuePattern:
    """The strong, weak and excluding token patterns of one issue id."""

    issue: str
    terms: tuple[str, ...]
    patterns: tuple[tuple[dict, ...], ...]
    weak: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    weak_patterns: tuple[tuple[dict, ...], ...] = ()
    exclude_patterns: tuple[tuple[dict, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class IssueWeights:
    """How much a weak sentence and the lead sentence count towards the document score of 1."""

    weak: float = 0.34
    lead: float = 2.0


@lru_cache(maxsize=2)
def read_issue_ids(path: Path = ISSUES_FILE) -> tuple[str, ...]:
    """Return the issue ids in spec order."""
    return tuple(r["id"] for r in read_tsv(path))


@lru_cache(maxsize=2)
def read_issue_patterns(path: Path = PATTERNS_FILE) -> tuple[IssuePattern, ...]:
    """Read issue patterns and check every id against issues.tsv."""
    ids = set(read_issue_ids())
    out = []
    for record in read_jsonl_data(path):
        issue = record.get("issue")
        if issue not in ids:
            raise ConfigError(f"{path}: unknown issue id {issue!r}; ids are those of issues.tsv")
        out.append(IssuePattern(
            issue, tuple(record.get("terms", ())), tuple(tuple(p) for p in record.get("patterns", ())),
            tuple(record.get("weak", ())), tuple(record.get("exclude", ())),
            tuple(tuple(p) for p in record.get("weak_patterns", ())), tuple(tuple(p) for p in record.get("exclude_patterns", ())),
        ))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class TermIndex:
    """Term n-grams (lower-case lemma keys) to match keys, with the n-gram lengths by first word."""

    grams: dict[tuple[str, ...], tuple[str, ...]]
    lengths: dict[str, tuple[int, ...]]


def token_key(tok) -> str:
    """Return the key a token is matched on: its lower-case lemma (words) or lower-case form (others)."""
    return tok.lemma_.lower() if tok.is_alpha else tok.lower_


def build_term_index(entries: list[tuple[str, tuple[str, ...]]]) -> TermIndex:
    """Index (match key, term tokens) pairs for linear matching."""
    grams: dict[tuple[str, ...], list[str]] = defaultdict(list)
    lengths: dict[str, set[int]] = defaultdict(set)
    for key, words in entries:
        if words and key not in grams[words]:
            grams[words].append(key)
            lengths[words[0]].add(len(words))
    return TermIndex({g: tuple(k) for g, k in grams.items()}, {w: tuple(sorted(n, reverse=True)) for w, n in lengths.items()})


def match_terms(index: TermIndex, keys: list[str]) -> list[tuple[str, int, int]]:
    """Return (match key, start, end) for every indexed n-gram in a token-key sequence; linear in its length."""
    out = []
    for i, word in enumerate(keys):
        for n in index.lengths.get(word, ()):
            for key in index.grams.get(tuple(keys[i:i + n]), ()):
                out.append((key, i, i + n))
    return out


class IssueTagger:
    """Tag each sentence with the issues its patterns match and score the document."""

    def __init__(self, nlp: Language, name: str, patterns: tuple[IssuePattern, ...], weights: IssueWeights) -> None:
        """Index the terms for linear matching and compile the few raw patterns into a Matcher."""
        self.name = name
        self.weights = weights
        self.matcher = Matcher(nlp.vocab)
        entries: list[tuple[str, tuple[str, ...]]] = []

        def add_terms(key: str, terms) -> None:
            """Tokenise terms and file them under a matcher key."""
            entries.extend((key, tuple(t.lower_ for t in nlp.make_doc(term))) for term in terms)

        for issue in patterns:
            add_terms(issue.issue, issue.terms)
            add_terms(issue.issue + WEAK, issue.weak)
            add_terms(issue.issue + EXCLUDE, issue.exclude)
            for key, raw in ((issue.issue, issue.patterns), (issue.issue + WEAK, issue.weak_patterns), (issue.issue + EXCLUDE, issue.exclude_patterns)):
                if raw:
                    self.matcher.add(key, [list(p) for p in raw])
        self.terms = build_term_index(entries)

    def __call__(self, doc: Doc) -> Doc:
        """Set ``doc._.ts_issues`` (sentences of document issues) and ``doc._.ts_issue_scores``."""
        matches = match_terms(self.terms, [token_key(t) for t in doc]) + [(doc.vocab.strings[k], s, e) for k, s, e in self.matcher(doc)]
        mentions, scores = tag_sentences(doc, matches, self.weights)
        kept = {i for i, s in scores.items() if s >= 1.0}
        doc._.ts_issues = [m for m in mentions if m.issue in kept]
        doc._.ts_issue_scores = scores
        return doc


def tag_sentences(doc: Doc, matches: list[tuple[str, int, int]], weights: IssueWeights) -> tuple[list[IssueMention], dict[str, float]]:
    """Return one IssueMention per (sentence, issue) and each issue's document score from (key, start, end) matches."""
    sents = sentence_of_tokens(doc)
    excluded: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for key, s, e in matches:
        if key.endswith(EXCLUDE):
            excluded[key.removesuffix(EXCLUDE)].append((s, e))
    best: dict[tuple[int, str], tuple[float, IssueMention]] = {}
    for key, s, e in matches:
        if key.endswith(EXCLUDE):
            continue
        issue = key.removesuffix(WEAK)
        if any(s < xe and xs < e for xs, xe in excluded.get(issue, ())):
            continue
        weight = weights.weak if key.endswith(WEAK) else 1.0
        sent = sents[s]
        if sent.start == 0:
            weight *= weights.lead
        seen = best.get((sent.start, issue))
        if seen is None or weight > seen[0]:
            best[(sent.start, issue)] = (weight, IssueMention(sent.start_char, sent.end_char, issue, doc[s:e].text))
    scores: dict[str, float] = defaultdict(float)
    for (_, issue), (weight, _) in best.items():
        scores[issue] += weight
    mentions = sorted((m for _, m in best.values()), key=lambda m: (m.start, m.issue))
    return mentions, dict(scores)


def sentence_of_tokens(doc: Doc) -> list[Span]:
    """Return each token's sentence (Token.sent rescans the document on every call)."""
    out: list[Span] = []
    for sent in doc.sents:
        out.extend([sent] * len(sent))
    return out


def document_issues(scores: dict[str, float], *, min_score: float = 1.0) -> tuple[str, ...]:
    """Return the issues whose document score reaches ``min_score``, sorted."""
    return tuple(sorted(i for i, s in scores.items() if s >= min_score - 1e-9))


def merge_scores(parts: list[dict[str, float]]) -> dict[str, float]:
    """Add up the issue scores of the chunks of one document."""
    total: dict[str, float] = defaultdict(float)
    for part in parts:
        for issue, score in part.items():
            total[issue] += score
    return dict(total)


@Language.factory("tradestance_issues", default_config={"patterns_path": str(PATTERNS_FILE), "weak_weight": 0.34, "lead_weight": 2.0})
def make_issue_tagger(nlp: Language, name: str, patterns_path: str, weak_weight: float, lead_weight: float) -> IssueTagger:
    """spaCy factory for the issue tagger."""
    return IssueTagger(nlp, name, read_issue_patterns(Path(patterns_path)), IssueWeights(weak_weight, lead_weight))
