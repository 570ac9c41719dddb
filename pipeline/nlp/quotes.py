"""Direct quotations and their speakers (component ``tradestance_quotes``).

Spans come from a pure scanner over the text (straight and curly marks, quotes split by "he
said", quotes over several paragraphs, unbalanced marks closed at the paragraph end, transcript
turns); speakers come from the dependency parse around each quote and the officials found.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.config import DATA_DIR
from pipeline.nlp.actors import main_actor
from pipeline.nlp.data import read_tsv
from pipeline.nlp.register import fold, read_register
from pipeline.nlp.spans import ByStart, doc_text
from pipeline.types import CountryMention, OfficialMention, Quote

SPEECH_VERBS_FILE = DATA_DIR / "speech_verbs.tsv"
SPEAKER_NOUNS_FILE = DATA_DIR / "speaker_nouns.tsv"
OPEN_CLOSE = {"“": "”", '"': '"', "„": "“", "«": "»"}
TURN = re.compile(r"^(?P<label>Q|A|(?:[A-Z][A-Z.'’-]*\s){0,3}[A-Z][A-Z.'’-]+)(?::|\.\s|\s(?=[A-Z]))\s*", re.M)
LABEL = re.compile(r"^(?P<label>(?:[A-Z][A-Z.'’-]*\s){0,3}[A-Z][A-Z.'’-]+):", re.M)
SPEECH_KINDS = frozenset({"statement", "transcript"})  # documents spoken by their author (remarks, press conferences)
PRONOUNS = {"he": "person", "she": "person", "i": "person", "they": "group", "we": "group"}
BEFORE_TOKENS = 40  # how far back (within the paragraph) an attribution before a quote is looked for
SUBJECT_GAP = 3
APPOSITION_GAP = 8
MAX_MENTION_CHARS = 200  # no mention is longer; bounds the look-back of overlap queries
RECENT = 300
SUBJECT_WINDOW = 600  # characters back within which a subject mention is preferred as antecedent  # how many earlier mentions an antecedent search looks at  # characters between a name and an unnamed-official phrase that is its apposition  # a speech verb without a parsed subject takes a name at most this many tokens before it
SHORT_QUOTE_WORDS = 3  # shorter quotes need an explicit attribution verb (else they are scare quotes)


@dataclass(frozen=True, slots=True)
class QuoteSpan:
    """A quotation span without its marks; ``turn`` holds a transcript speaker label."""

    start: int
    end: int
    paragraph: int
    turn: str | None = None
    continued: bool = False


@lru_cache(maxsize=2)
def read_speaker_nouns(path: Path = SPEAKER_NOUNS_FILE) -> frozenset[str]:
    """Return the common-noun lemmas that can be speakers ("the official said", "the report said")."""
    return frozenset(r["lemma"] for r in read_tsv(path))


@lru_cache(maxsize=2)
def read_speech_verbs(path: Path = SPEECH_VERBS_FILE) -> frozenset[str]:
    """Return the lemmas of attribution verbs."""
    return frozenset(r["lemma"] for r in read_tsv(path))


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Return (start, end) of each non-empty line of the text."""
    out, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span to exclude surrounding white space."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def find_quote_spans(text: str, *, transcript: bool = False) -> list[QuoteSpan]:
    """Return quotation spans; transcript turns become quotes with their speaker label."""
    spans: list[QuoteSpan] = []
    for index, (p_start, p_end) in enumerate(_paragraphs(text)):
        if transcript:
            turn = TURN.match(text, p_start, p_end)
            if turn:
                start, end = _trim(text, turn.end(), p_end)
                if end > start:
                    spans.append(QuoteSpan(start, end, index, turn=turn.group("label").strip()))
                continue
        spans.extend(_marked_spans(text, p_start, p_end, index))
    return spans


def _marked_spans(text: str, p_start: int, p_end: int, index: int) -> list[QuoteSpan]:
    """Return the quotation-mark spans of one paragraph; an unclosed quote ends with the paragraph."""
    out = []
    i = p_start
    while i < p_end:
        ch = text[i]
        if ch in OPEN_CLOSE and (ch != '"' or _opens(text, i, p_start)):
            close = text.find(OPEN_CLOSE[ch], i + 1, p_end)
            end = close if close >= 0 else p_end
            start, stop = _trim(text, i + 1, end)
            if stop > start:
                out.append(QuoteSpan(start, stop, index, continued=close < 0))
            i = (close if close >= 0 else p_end) + 1
        else:
            i += 1
    return out


def _opens(text: str, i: int, p_start: int) -> bool:
    """Tell whether a straight double quote opens (start of line, after space or opening punctuation)."""
    return i == p_start or text[i - 1].isspace() or text[i - 1] in "([{—–-:"


class QuoteFinder:
    """Find quotes and attribute speakers using the parse and the officials found."""

    def __init__(self, nlp: Language, name: str, verbs: frozenset[str], speaker_nouns: frozenset[str] = frozenset()) -> None:
        """Keep the attribution verbs and the nouns that can be speakers."""
        self.name = name
        self.verbs = verbs
        self.speaker_nouns = speaker_nouns

    def __call__(self, doc: Doc) -> Doc:
        """Set ``doc._.ts_quotes`` to the quotes with speakers."""
        transcript = bool(doc.user_data.get("ts_kind") == "transcript") or _looks_like_transcript(doc_text(doc))
        doc._.ts_quotes = attribute_quotes(doc, find_quote_spans(doc_text(doc), transcript=transcript), self.verbs, self.speaker_nouns)
        return doc


def _looks_like_transcript(text: str) -> bool:
    """Tell whether several lines start with an upper-case speaker label."""
    return len(TURN.findall(text)) >= 4 and bool(re.search(r"^Q[:.\s]", text, re.M))


@dataclass(frozen=True, slots=True)
class Speaker:
    """A resolved speaker: name (None when unnamed), country and role."""

    name: str | None
    country: str | None
    role: str | None = None


@dataclass(frozen=True, slots=True)
class Person:
    """A PERSON entity by character offsets."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Context:
    """What speaker resolution needs about a document, indexed once so each quote costs little."""

    doc: Doc
    officials: ByStart[OfficialMention]
    persons: ByStart[Person]
    speakers: ByStart[Person]
    by_surname: dict[str, OfficialMention]
    main: str | None
    quoted: list[tuple[int, int]]
    countries: ByStart[CountryMention]
    turns: list[tuple[int, str]]
    speaker_nouns: frozenset[str] = frozenset()
    author: Speaker | None = None


def _author(doc: Doc) -> Speaker | None:
    """Return who says "I" in remarks and unlabelled transcripts: the main actor's head of state at the date."""
    if doc.user_data.get("ts_kind") not in SPEECH_KINDS or not len(doc):
        return None
    main = main_actor(doc)
    when = doc._.ts_published
    holders = read_register().holders("head_of_state", main, when) if main and when else ()
    return Speaker(holders[0].name, holders[0].country, holders[0].role) if len(holders) == 1 else None


def _turn_labels(text: str) -> list[tuple[int, str]]:
    """Return (offset, label) of lines that open with a speaker label and a colon ("PRESIDENT TRUMP:")."""
    return [(m.start(), m.group("label").strip()) for m in LABEL.finditer(text) if m.group("label").strip() not in ("Q", "A")]


def _context(doc: Doc, quoted: list[tuple[int, int]], speaker_nouns: frozenset[str] = frozenset()) -> Context:
    """Index the officials and persons outside quotations, and the document's main actor."""
    officials = [m for m in (doc._.ts_officials or []) if not _inside(m.start, quoted)]
    index = ByStart.of(officials)
    persons = [Person(e.start_char, e.end_char, e.text) for e in doc.ents if e.label_ == "PERSON"]
    speakers = [
        p for p in persons
        if len(p.text.split()) > 1 and not _inside(p.start, quoted)
        and not any(m.start <= p.start < m.end for m in index.within(p.start - MAX_MENTION_CHARS, p.start + 1))
    ]
    by_surname: dict[str, OfficialMention] = {}
    for m in officials:
        if m.name:
            by_surname.setdefault(fold(m.name).split()[-1], m)
    return Context(doc, index, ByStart.of(persons), ByStart.of(speakers), by_surname, main_actor(doc) if len(doc) else None, quoted, ByStart.of(doc._.ts_countries or []), _turn_labels(doc_text(doc)), speaker_nouns, _author(doc))


def attribute_quotes(doc: Doc, spans: list[QuoteSpan], verbs: frozenset[str], speaker_nouns: frozenset[str] = frozenset()) -> list[Quote]:
    """Attach a speaker to each span; short unattributed quotes (scare quotes) are dropped."""
    ctx = _context(doc, sorted((s.start, s.end) for s in spans), speaker_nouns)
    quotes: list[Quote] = []
    previous: tuple[QuoteSpan, Speaker] | None = None
    for span in spans:
        if span.turn is not None:
            speaker = _turn_speaker(span.turn, ctx)
        else:
            found = _attribution(doc, span, verbs, ctx, previous)
            if found is None:
                if len(doc_text(doc)[span.start:span.end].split()) <= SHORT_QUOTE_WORDS:
                    continue
                found = _inherit(span, previous)
            speaker = found
        quotes.append(Quote(span.start, span.end, doc_text(doc)[span.start:span.end], speaker.name, speaker.country, speaker.role))
        previous = (span, speaker)
    return quotes


def _inside(char: int, quoted: list[tuple[int, int]]) -> bool:
    """Tell whether a character offset lies inside one of the (sorted) quotation spans."""
    i = bisect.bisect_right(quoted, (char, float("inf"))) - 1
    return i >= 0 and quoted[i][0] <= char < quoted[i][1]


def _inherit(span: QuoteSpan, previous: tuple[QuoteSpan, Speaker] | None) -> Speaker:
    """Give an unattributed quote the speaker of the quote just before it in this or the last paragraph."""
    if previous and span.paragraph - previous[0].paragraph <= 1:
        return previous[1]
    return Speaker(None, None)


def _turn_speaker(label: str, ctx: Context) -> Speaker:
    """Resolve a transcript label ("AMBASSADOR LIGHTHIZER", "Q") through the officials found."""
    if label in ("Q", "A") or label.upper().startswith("REPORTER"):
        return Speaker(None, None)
    words = [w for w in re.split(r"[\s.]+", label) if w]
    m = ctx.by_surname.get(fold(words[-1]) if words else "")
    if m is not None:
        return Speaker(m.name, m.country, m.role)
    return Speaker(label.title(), None)


def _sentence_tokens(doc: Doc, span: QuoteSpan) -> tuple[Span, Span]:
    """Return the token windows before and after a quote (its own marks excluded), within the paragraph."""
    start_tok = _token_at(doc, span.start)
    end_tok = _token_at(doc, max(span.start, span.end - 1))
    first = start_tok - 1 if start_tok > 0 and _is_mark(doc[start_tok - 1].text) else start_tok
    last = end_tok + 1
    while last < len(doc) and (_is_mark(doc[last].text) or doc[last].is_punct and doc[last].text in ",.?!"):
        last += 1
    para_start = first
    while para_start > 0 and first - para_start < BEFORE_TOKENS and "\n" not in doc[para_start - 1].text:
        para_start -= 1
    before = doc[para_start:first]
    closes_sentence = doc_text(doc)[span.start:span.end].rstrip()[-1:] in (".", "?", "!")
    sent_end = doc[min(last, len(doc) - 1)].sent.end if last < len(doc) else len(doc)
    after_end = min(len(doc), last + 4) if closes_sentence else min(sent_end, last + 40)
    after = doc[last:after_end]
    for i, tok in enumerate(after):
        # Attribution never crosses a paragraph break or another quotation.
        if "\n" in tok.text or _is_mark(tok.text):
            after = after[:i]
            break
    return before, after


def _is_mark(text: str) -> bool:
    """Tell whether a token is a double quotation mark."""
    return text in ('"', "“", "”", "„", "«", "»", "''", "``")


def _token_at(doc: Doc, char: int) -> int:
    """Return the index of the token covering a character offset."""
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span.start if span is not None else min(len(doc) - 1, max(0, len(doc_text(doc)[:char].split())))


def _attribution(doc: Doc, span: QuoteSpan, verbs: frozenset[str], ctx: Context, previous) -> Speaker | None:
    """Find "..., X said" after or "X said: ..." before the quote; resolve X."""
    if not len(doc):
        return None
    before, after = _sentence_tokens(doc, span)
    for window in (after, before):
        for tok in (window if window is after else reversed(window)):
            if tok.lemma_ in verbs and tok.pos_ in ("VERB", "AUX"):
                subject = _subject_of(tok, verbs) or _left_name(doc, tok, window)
                if subject is not None and subject.pos_ == "NOUN" and subject.lemma_.lower() not in ctx.speaker_nouns and not any(m.start <= subject.idx < m.end for m in ctx.officials.within(subject.idx - MAX_MENTION_CHARS, subject.idx + 1)):
                    continue  # "the deficit continued to grow": not an attribution
                if subject is not None and not (span.start <= subject.idx < span.end):
                    return _resolve_subject(doc, subject, ctx, span, previous)
            if _is_mark(tok.text):
                break  # never reach across another quotation
    return None


def _subject_of(verb, verbs: frozenset[str]):
    """Return the subject of a speech verb, or of the speech verb it depends on ("quoted ... as saying")."""
    for v in (verb, verb.head):
        subject = next((c for c in v.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None and (v is verb or v.lemma_ in verbs):
            return subject
    return None


def _left_name(doc: Doc, verb, window: Span):
    """Return a name or pronoun just before a speech verb the parser left without a subject."""
    for i in range(verb.i - 1, max(window.start, verb.i - SUBJECT_GAP) - 1, -1):
        tok = doc[i]
        if tok.dep_ == "pobj" and tok.head.lower_ in ("by", "as", "of", "from"):
            return None  # "quoted by Kyodo News Service as saying": an agent, not the speaker
        if tok.pos_ == "PROPN" or tok.lower_ in PRONOUNS:
            return tok
    return None


def _resolve_subject(doc: Doc, subject, ctx: Context, span: QuoteSpan, previous) -> Speaker:
    """Turn a subject token into a speaker: an official, a person, a pronoun or a title."""
    sub = doc[subject.left_edge.i:subject.right_edge.i + 1]
    head_end = subject.idx + len(subject)
    # The subject's own words first ("Huh, who will meet officials, said": Huh, not the officials).
    main = ctx.main
    overlapping = [m for m in ctx.officials.within(sub.start_char - MAX_MENTION_CHARS, sub.end_char) if sub.start_char < m.end]
    covering = [m for m in overlapping if m.start < head_end and subject.idx < m.end]
    if not covering and (subject.ent_type_ == "PERSON" or subject.pos_ == "PROPN"):
        overlapping = []  # "Huh, who met three officials, said": the name, not the officials in its clause
    overlapping.sort(key=lambda m: (m not in covering, not m.name, m.start))
    for m in overlapping[:1]:
        return Speaker(m.name or None, m.country or (None if m.name else main), m.role)
    low = subject.lower_
    if low in ("i", "we") and ctx.turns:
        label = _label_before(ctx, span.start)
        if label is not None:
            return _turn_speaker(label, ctx)  # first person in a transcript turn is the turn's speaker
    if low in ("i", "we") and ctx.author is not None:
        return ctx.author
    if low in ("it", "they", "we"):
        return Speaker(None, _country_in(ctx, sub) or main)
    if low in PRONOUNS or subject.ent_type_ == "NORP":
        # "he said", or a description such as "the California Republican said".
        return _nearest_speaker(ctx, span.start, previous)
    if subject.ent_type_ == "PERSON" or subject.pos_ == "PROPN":
        return _expand_person(ctx, _name_of(doc, subject), span.start)
    role_match = [m for m in ctx.officials.before(span.start)[-RECENT:] if m.end <= span.start and m.role and low in m.role.lower() and m.name]
    if role_match:
        m = role_match[-1]
        return Speaker(m.name, m.country, m.role)
    return Speaker(None, _country_in(ctx, sub) or main, sub.text)


def _label_before(ctx: Context, char: int) -> str | None:
    """Return the transcript speaker label of the turn a character offset lies in."""
    i = bisect.bisect_right(ctx.turns, (char, "\uffff")) - 1
    return ctx.turns[i][1] if i >= 0 else None


def _name_of(doc: Doc, subject) -> str:
    """Return the whole name a subject token belongs to: its PERSON entity, else its proper-noun compound."""
    ent = next((e for e in doc.ents if e.label_ == "PERSON" and e.start <= subject.i < e.end), None) if subject.ent_type_ == "PERSON" else None
    if ent is not None:
        return ent.text
    start = subject.i
    while start > 0 and (doc[start - 1].pos_ == "PROPN" or (start > 1 and doc[start - 1].text == "-" and doc[start - 2].pos_ == "PROPN")):
        start -= 1
    return doc[start:subject.i + 1].text


def _country_in(ctx: Context, span: Span) -> str | None:
    """Return the first country mentioned inside a span."""
    return next((c.code for c in ctx.countries.within(span.start_char, span.end_char)), None)


def _nearest_speaker(ctx: Context, before: int, previous) -> Speaker:
    """Resolve "he"/"she" to the nearest earlier official (named or not) or person; recent subjects first."""
    officials = [m for m in ctx.officials.before(before)[-RECENT:] if m.end <= before and (m.name or not _is_apposition(m, ctx))]
    persons = [p for p in ctx.persons.before(before)[-RECENT:] if p.end <= before and not _inside(p.start, ctx.quoted) and not _is_official(p, ctx)]
    candidates = sorted([*officials, *persons], key=lambda m: m.start)
    # Centering: the latest mention that was a grammatical subject nearby beats a later object ("X told Y ... he added").
    subjects = [m for m in candidates if before - m.start <= SUBJECT_WINDOW and _is_subject(ctx.doc, m)]
    named = [m for m in candidates if isinstance(m, OfficialMention) or len(m.text.split()) > 1]
    best = subjects[-1] if subjects else (named[-1] if named else None)
    if isinstance(best, Person):
        return _expand_person(ctx, best.text, before)
    if best is not None:
        if not best.name:
            return Speaker(None, best.country or ctx.main, best.role)
        return Speaker(best.name, best.country, best.role)
    if previous is not None:
        return previous[1]
    return Speaker(None, ctx.main)


def _is_official(person: Person, ctx: Context) -> bool:
    """Tell whether a PERSON entity is (inside) an official mention."""
    return any(m.start <= person.start < m.end for m in ctx.officials.within(person.start - MAX_MENTION_CHARS, person.start + 1))


def _is_subject(doc: Doc, mention) -> bool:
    """Tell whether a mention is (part of) the subject of its clause."""
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    return span is not None and span.root.dep_ in ("nsubj", "nsubjpass")


def _is_apposition(mention: OfficialMention, ctx: Context) -> bool:
    """Tell whether an unnamed mention directly follows a named one ("Freeland, the top Canadian official")."""
    return any(m.name and 0 <= mention.start - m.end <= APPOSITION_GAP for m in ctx.officials.within(mention.start - MAX_MENTION_CHARS, mention.start))


def _expand_person(ctx: Context, name: str, before: int) -> Speaker:
    """Return the fullest earlier form of a person's name ("Smith" -> "John Smith")."""
    surname = fold(name.split()[-1]) if name.split() else ""
    fuller = [p.text for p in ctx.persons.before(before)[-RECENT:] if fold(p.text).split()[-1:] == [surname]]
    best = max(fuller + [name], key=len)
    return Speaker(best.removesuffix("'s").removesuffix("’s"), None)


@Language.factory("tradestance_quotes", default_config={"verbs_path": str(SPEECH_VERBS_FILE), "speaker_nouns_path": str(SPEAKER_NOUNS_FILE)})
def make_quote_finder(nlp: Language, name: str, verbs_path: str, speaker_nouns_path: str) -> QuoteFinder:
    """spaCy factory for the quote finder."""
    return QuoteFinder(nlp, name, read_speech_verbs(Path(verbs_path)), read_speaker_nouns(Path(speaker_nouns_path)))
