"""Candidate statements: a sentence (or quote) with an actor and an issue, built from an Extraction.

No spaCy here: sentences are the sentence-level IssueMentions the issue tagger already produced
(a statement needs an issue), actors are the country, official and quote-speaker mentions inside
them, and context sentences come from a light re-split of the text around the span.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pipeline.config import DATA_DIR
from pipeline.nlp.data import read_tsv
from pipeline.types import Document, Extraction, Statement

ISSUE_ROLES_FILE = DATA_DIR / "stance_issues.tsv"
SPEECH_VERBS_FILE = DATA_DIR / "speech_verbs.tsv"
AUTHOR_KINDS = frozenset({"statement", "proclamation", "release"})
ACTOR_MARK = "zzactor"
OTHER_MARK = "zzother"
CONTEXT_CHARS = 400  # how far to look for the neighbouring sentences
SUBJECT_CHARS = 60  # the first actor mentioned this early in the sentence is taken as its subject
SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n\s*\n|\n(?=\s*[A-Z\"“])")
ANTECEDENT_CHARS = 1000  # "he said" refers to a person named at most this far before it
POSSESSIVE = re.compile(r"^\s*(?:'s|’s|')?\s+(?:[a-z-]+\s+){0,2}?(?P<noun>[a-z-]+)")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A Statement plus what the features need: masked text, actor role, other actors, owners."""

    statement: Statement
    also: tuple[str, ...]
    masked: str
    role: str  # speaker | author | subject | mentioned | absent
    others: tuple[str, ...]
    owners: tuple[str, ...]
    kind: str = "article"
    issue_rank: int = 0  # how many of the document's issues are tagged in more sentences than this one
    actor_rank: int = 0  # how many of the document's actors are mentioned more often than this one


@dataclass(frozen=True, slots=True)
class Mention:
    """An actor mention inside a text: span, actor code and the official's name if any."""

    start: int
    end: int
    actor: str
    official: str | None = None


@lru_cache(maxsize=2)
def read_sector_issues(path: Path = ISSUE_ROLES_FILE) -> frozenset[str]:
    """Return the issue ids that are sectors (they go to `also` beside a measure)."""
    return frozenset(r["issue"] for r in read_tsv(path) if r["role"] == "sector")


@lru_cache(maxsize=2)
def reported_speech_pattern(path: Path = SPEECH_VERBS_FILE) -> re.Pattern[str]:
    """Return the pattern of a pronoun attribution ("..., he said", "she told reporters", "said he")."""
    forms = sorted({f for r in read_tsv(path) for f in (r["lemma"] + "s", r["past"]) if r.get("past")}, key=len, reverse=True)
    verbs = "|".join(map(re.escape, forms))
    return re.compile(rf"\b(?:he|she)\s+(?:\w+ly\s+)?(?:{verbs})\b|\b(?:{verbs})\s+(?:he|she)\b", re.IGNORECASE)


def group_issues(issues: Sequence[str], *, sectors: frozenset[str]) -> list[tuple[str, tuple[str, ...]]]:
    """Return (issue, also) pairs: measures with the sectors as `also`, else each sector alone."""
    unique = list(dict.fromkeys(issues))
    measures = [i for i in unique if i not in sectors]
    sector_ids = tuple(i for i in unique if i in sectors)
    if measures:
        return [(m, sector_ids) for m in measures]
    return [(s, ()) for s in sector_ids]


def sentence_bounds(text: str, start: int, end: int) -> tuple[str, str]:
    """Return the sentence before and the sentence after a span (empty when none)."""
    before = [p for p in SENTENCE_END.split(text[max(0, start - CONTEXT_CHARS):start]) if p and p.strip()]
    after = [p for p in SENTENCE_END.split(text[end:end + CONTEXT_CHARS]) if p and p.strip()]
    return (before[-1].strip() if before else ""), (after[0].strip() if after else "")


@dataclass(frozen=True, slots=True)
class DocumentIndex:
    """A document's actor mentions, named people and author, computed once for all its statements."""

    mentions: tuple[Mention, ...]
    people: tuple[Mention, ...]
    author: str | None
    issue_counts: Counter = field(default_factory=Counter)  # sentences tagged with each issue
    actor_counts: Counter = field(default_factory=Counter)  # mentions of each actor


def rank(counts: Counter, key: str) -> int:
    """Return how many keys are counted more often than this one (the most frequent ranks 0)."""
    own = counts.get(key, 0)
    return sum(1 for v in counts.values() if v > own)


@dataclass(frozen=True, slots=True)
class SpanActors:
    """Who is in one span: the actor mentions inside it, its speakers, the document's author; its context."""

    mentions: tuple[Mention, ...]
    speakers: tuple[Mention, ...]
    author: str | None
    context: str = ""  # the sentences before and after the span


def document_mentions(extraction: Extraction) -> list[Mention]:
    """Return all actor mentions of a document: countries and officials with a country."""
    out = [Mention(c.start, c.end, c.code) for c in extraction.countries]
    out += [Mention(o.start, o.end, o.country, o.name or None) for o in extraction.officials if o.country]
    return sorted(out, key=lambda m: (m.start, -m.end))


def author_actor(document: Document, extraction: Extraction) -> str | None:
    """Return the actor a statement, proclamation or release speaks for: its most mentioned country."""
    if (document.kind or "") not in AUTHOR_KINDS:
        return None
    counts = Counter(c.code for c in extraction.countries)
    return counts.most_common(1)[0][0] if counts else None


def _people(extraction: Extraction) -> list[Mention]:
    """Return the named people of a document with a country: officials and quote speakers."""
    out = [Mention(o.start, o.end, o.country, o.name) for o in extraction.officials if o.country and o.name]
    out += [Mention(q.start, q.end, q.speaker_country, q.speaker) for q in extraction.quotes if q.speaker and q.speaker_country]
    return out


def index_document(document: Document, extraction: Extraction) -> DocumentIndex:
    """Index a document's actors once, for all its spans."""
    mentions = tuple(document_mentions(extraction))
    issues = Counter(m.issue for m in extraction.issues)
    return DocumentIndex(mentions, tuple(_people(extraction)), author_actor(document, extraction), issues, Counter(m.actor for m in mentions))


def _inside(start: int, end: int, items) -> list:
    """Return the items whose span lies inside [start, end)."""
    return [i for i in items if i.start >= start and i.end <= end]


def _speakers(start: int, end: int, extraction: Extraction, *, text: str, people: Sequence[Mention]) -> list[Mention]:
    """Return the speakers of quotes that cover most of the span or lie inside it, else a "he said" speaker."""
    out = []
    for q in extraction.quotes:
        overlap = min(q.end, end) - max(q.start, start)
        if overlap <= 0 or not q.speaker_country:
            continue
        if overlap >= 0.5 * min(end - start, q.end - q.start):
            out.append(Mention(q.start, q.end, q.speaker_country, q.speaker))
    if not out:
        reported = reported_speaker(text, start, end, people)
        out += [reported] if reported else []
    return out


def reported_speaker(text: str, start: int, end: int, people: Sequence[Mention]) -> Mention | None:
    """Return who "he said" in the span refers to: the person named last before the pronoun, if near."""
    found = reported_speech_pattern().search(text, start, end)
    if not found:
        return None
    before = [p for p in people if p.end <= found.start() and found.start() - p.end <= ANTECEDENT_CHARS]
    if not before:
        return None
    last = max(before, key=lambda p: p.end)
    return Mention(start, end, last.actor, last.official)


def span_actors(document: Document, extraction: Extraction, start: int, end: int, *, index: DocumentIndex | None = None) -> SpanActors:
    """Return the actor mentions inside a span, its speakers and the document's author."""
    index = index or index_document(document, extraction)
    speakers = _speakers(start, end, extraction, text=document.text, people=index.people)
    prev, nxt = sentence_bounds(document.text, start, end)
    return SpanActors(tuple(_inside(start, end, index.mentions)), tuple(speakers), index.author, f"{prev}\n{nxt}".strip())


def mask(text: str, base: int, mentions: Sequence[Mention], actor: str) -> str:
    """Replace the actor's mentions by ACTOR_MARK and other actors' by OTHER_MARK."""
    pieces, pos = [], 0
    for m in sorted(mentions, key=lambda m: (m.start, -m.end)):
        s, e = m.start - base, m.end - base
        if s < pos or s < 0 or e > len(text):
            continue
        pieces.append(text[pos:s])
        pieces.append(f" {ACTOR_MARK if m.actor == actor else OTHER_MARK} ")
        pos = e
    pieces.append(text[pos:])
    return "".join(pieces)


def owners(text: str, base: int, mentions: Sequence[Mention], *, proposal_nouns: frozenset[str]) -> tuple[str, ...]:
    """Return actors that own a proposal or measure in the text ("Canada's counter-proposal", "U.S. tariffs")."""
    out = []
    stems = tuple(proposal_nouns)
    for m in mentions:
        rest = text[m.end - base: m.end - base + 40]
        found = POSSESSIVE.match(rest.lower())
        if found and found.group("noun").startswith(stems) and m.actor not in out:
            out.append(m.actor)
    return tuple(out)


def _role(actor: str, start: int, mentions: Sequence[Mention], speakers: Sequence[Mention], author: str | None) -> str:
    """Tell how the actor relates to the span: speaker, author, subject, mentioned or absent."""
    if any(s.actor == actor for s in speakers):
        return "speaker"
    own = [m for m in mentions if m.actor == actor]
    if own and own[0] is mentions[0] and own[0].start - start <= SUBJECT_CHARS:
        return "subject"
    if own:
        return "mentioned"
    if author == actor and not speakers:
        return "author"
    return "absent"


def make_candidate(document: Document, extraction: Extraction, *, start: int, end: int, actor: str, issue: str,
                   also: tuple[str, ...] = (), official: str | None = None, proposal_nouns: frozenset[str] = frozenset(),
                   span: SpanActors | None = None, index: DocumentIndex | None = None) -> Candidate:
    """Build the candidate statement for one span, actor and issue (also used for training labels)."""
    text = document.text[start:end]
    index = index or index_document(document, extraction)
    span = span or span_actors(document, extraction, start, end, index=index)
    mentions, speakers = list(span.mentions), list(span.speakers)
    role = _role(actor, start, mentions, speakers, span.author)
    if official is None:
        named = [m.official for m in speakers + mentions if m.actor == actor and m.official]
        official = named[0] if named else None
    found_owners = owners(text, start, mentions, proposal_nouns=proposal_nouns)
    statement = Statement(
        start=start, end=end, text=text, actor=actor, issue=issue, official=official,
        target=next((o for o in found_owners if o != actor), found_owners[0] if found_owners else None),
        actor_is_speaker=role in ("speaker", "author"), context=span.context,
    )
    others = tuple(sorted({m.actor for m in mentions if m.actor != actor}))
    return Candidate(statement, tuple(also), mask(text, start, mentions, actor), role, others, found_owners, document.kind or "article",
                     rank(index.issue_counts, issue), rank(index.actor_counts, actor))


def sentence_actors(span: SpanActors) -> list[str]:
    """Return the actors of a sentence: mentioned countries and officials, its speakers, else the author."""
    actors = [m.actor for m in span.mentions] + [s.actor for s in span.speakers]
    if span.author and not span.speakers:
        actors.append(span.author)
    return list(dict.fromkeys(actors))


def sentence_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Return the span of the sentence around [start, end), by the light splitter."""
    lo = max(0, start - CONTEXT_CHARS)
    cuts = [m.end() for m in SENTENCE_END.finditer(text, lo, start)]
    s = cuts[-1] if cuts else lo
    after = SENTENCE_END.search(text, end, min(len(text), end + CONTEXT_CHARS))
    e = after.start() if after else min(len(text), end + CONTEXT_CHARS)
    while s < e and text[s].isspace():
        s += 1
    return s, e


def neighbour_units(document: Document, mentions: Sequence[Mention], tagged: dict[tuple[int, int], list[str]], *, reach: int) -> dict[tuple[int, int], list[str]]:
    """Return sentences with an actor but no issue, given the issues of a tagged sentence within reach."""
    out: dict[tuple[int, int], list[str]] = {}
    spans = sorted(tagged)
    for m in mentions:
        if any(a <= m.start < b for a, b in spans):
            continue
        start, end = sentence_span(document.text, m.start, m.end)
        if (start, end) in out or any(a < end and start < b for a, b in spans):
            continue  # already a unit, or the two sentence splitters disagree here
        near = [k for k in spans if 0 <= start - k[1] <= reach or 0 <= k[0] - end <= reach]
        if near:
            out[(start, end)] = [i for k in near for i in tagged[k]]
    return out


def build_candidates(document: Document, extraction: Extraction, *, proposal_nouns: frozenset[str] = frozenset(), neighbour_reach: int = 0) -> list[Candidate]:
    """Return one candidate per (sentence, actor, issue); sentences without an actor or issue give none.

    With neighbour_reach > 0, a sentence with an actor but no issue also takes the issues of a tagged
    sentence at most that many characters away (positions are often stated next to the issue).
    """
    sectors = read_sector_issues()
    sentences: dict[tuple[int, int], list[str]] = {}
    for mention in extraction.issues:
        sentences.setdefault((mention.start, mention.end), []).append(mention.issue)
    index = index_document(document, extraction)
    if neighbour_reach:
        sentences.update(neighbour_units(document, index.mentions, dict(sentences), reach=neighbour_reach))
    out = []
    for (start, end), issues in sorted(sentences.items()):
        span = span_actors(document, extraction, start, end, index=index)
        for actor in sentence_actors(span):
            for issue, also in group_issues(issues, sectors=sectors):
                out.append(make_candidate(document, extraction, start=start, end=end, actor=actor, issue=issue, also=also,
                                          proposal_nouns=proposal_nouns, span=span, index=index))
    return out
