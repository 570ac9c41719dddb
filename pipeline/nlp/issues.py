"""Tag sentences and documents with issue ids (component ``tradestance_issues``)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc

from pipeline.config import DATA_DIR
from pipeline.errors import ConfigError
from pipeline.nlp.data import read_jsonl_data, read_tsv
from pipeline.types import IssueMention

PATTERNS_FILE = DATA_DIR / "issue_patterns.jsonl"
ISSUES_FILE = DATA_DIR / "issues.tsv"


@dataclass(frozen=True, slots=True)
class IssuePattern:
    """The spaCy token patterns of one issue id."""

    issue: str
    terms: tuple[str, ...]
    patterns: tuple[tuple[dict, ...], ...]


@lru_cache(maxsize=2)
def read_issue_ids(path: Path = ISSUES_FILE) -> tuple[str, ...]:
    """Return the issue ids in spec order."""
    return tuple(r["id"] for r in read_tsv(path))


def term_pattern(tokens: list[str]) -> tuple[dict, ...]:
    """Turn a tokenised lower-case phrase into a pattern matching lemmas (words) or lower-case forms."""
    # Lemmas of proper nouns keep their case, so accept the capitalised and upper-case forms too.
    return tuple({"LEMMA": {"IN": [t, t.capitalize(), t.upper()]}} if t.isalpha() else {"LOWER": t} for t in tokens)


@lru_cache(maxsize=2)
def read_issue_patterns(path: Path = PATTERNS_FILE) -> tuple[IssuePattern, ...]:
    """Read issue patterns and check every id against issues.tsv."""
    ids = set(read_issue_ids())
    out = []
    for record in read_jsonl_data(path):
        issue = record.get("issue")
        if issue not in ids:
            raise ConfigError(f"{path}: unknown issue id {issue!r}; ids are those of issues.tsv")
        terms = tuple(record.get("terms", ()))
        out.append(IssuePattern(issue, terms, tuple(tuple(p) for p in record.get("patterns", ()))))
    return tuple(out)


class IssueTagger:
    """Tag each sentence with the issues its patterns match."""

    def __init__(self, nlp: Language, name: str, patterns: tuple[IssuePattern, ...]) -> None:
        """Compile all issue patterns into one Matcher."""
        self.name = name
        self.matcher = Matcher(nlp.vocab)
        for issue in patterns:
            from_terms = [list(term_pattern([t.text for t in nlp.make_doc(term)])) for term in issue.terms]
            self.matcher.add(issue.issue, from_terms + [list(p) for p in issue.patterns])

    def __call__(self, doc: Doc) -> Doc:
        """Set ``doc._.ts_issues`` to sentence-level issue mentions (one per sentence and issue)."""
        doc._.ts_issues = tag_sentences(doc, self.matcher)
        return doc


def tag_sentences(doc: Doc, matcher: Matcher) -> list[IssueMention]:
    """Return one IssueMention per (sentence, issue) that has at least one match."""
    seen: set[tuple[int, str]] = set()
    mentions = []
    for match_id, start, _end in matcher(doc):
        issue = doc.vocab.strings[match_id]
        sent = doc[start].sent
        if (sent.start, issue) in seen:
            continue
        seen.add((sent.start, issue))
        mentions.append(IssueMention(sent.start_char, sent.end_char, issue, doc[start:_end].text))
    mentions.sort(key=lambda m: (m.start, m.issue))
    return mentions


def document_issues(mentions: list[IssueMention] | tuple[IssueMention, ...], *, min_sentences: int = 1) -> tuple[str, ...]:
    """Return the issues mentioned in at least ``min_sentences`` sentences, sorted."""
    counts = Counter(m.issue for m in mentions)
    return tuple(sorted(i for i, n in counts.items() if n >= min_sentences))


@Language.factory("tradestance_issues", default_config={"patterns_path": str(PATTERNS_FILE)})
def make_issue_tagger(nlp: Language, name: str, patterns_path: str) -> IssueTagger:
    """spaCy factory for the issue tagger."""
    return IssueTagger(nlp, name, read_issue_patterns(Path(patterns_path)))
