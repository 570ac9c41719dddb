"""Find officials and resolve them to the register (component ``tradestance_officials``).

Routes, in order: full names and aliases; surnames after an earlier full mention; surnames of
people in office at the document date; misspellings (rapidfuzz); titles without names resolved
by role, country and date; people outside the register with a public-role title or apposition;
unnamed officials ("a senior ministry official") as actors with a country.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rapidfuzz import fuzz, process
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token

from pipeline.nlp.actors import main_actor
from pipeline.nlp.register import (
    NON_OFFICIAL_FILE, OFFICIALS_FILE, ROLE_TITLES_FILE, Register, RoleTitle, fold,
    read_non_official_roles, read_register, read_role_titles, surnames,
)
from pipeline.nlp.spans import ByStart, doc_text
from pipeline.types import CountryMention, OfficialMention

UNNAMED_HEADS = frozenset({"official", "officials", "spokesman", "spokeswoman", "spokesperson", "negotiator", "negotiators", "diplomat", "diplomats", "minister", "ministers", "source", "sources"})
MAX_TITLE_TOKENS = 8
MAX_APPOSITION_TOKENS = 12
OFFICE_KINDS = frozenset({"proclamation"})  # legal texts name offices ("the USTR shall"), not their holders
MAX_LIST_NAMES = 5
NOT_PEOPLE = frozenset({"GPE", "NORP", "LOC", "FAC", "PRODUCT", "EVENT", "LAW", "LANGUAGE", "DATE", "MONEY"})


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The data the recogniser needs: register, role titles and non-official role words."""

    register: Register
    titles: tuple[RoleTitle, ...]
    non_official: tuple[str, ...]
    fuzzy_cutoff: float
    role_words: frozenset[str] = frozenset()


@dataclass(slots=True)
class DocContext:
    """People already mentioned in the document, by folded surname (mutable while scanning)."""

    by_surname: dict[str, OfficialMention]

    def remember(self, mention: OfficialMention) -> None:
        """Record a named mention so later surname-only mentions resolve to it."""
        if mention.name:
            for key in surnames(mention.name, country=mention.country):
                self.by_surname.setdefault(key, mention)


class OfficialRecognizer:
    """Recognise officials; see the module docstring for the resolution routes."""

    def __init__(self, nlp: Language, name: str, lexicon: Lexicon) -> None:
        """Build phrase matchers for register names and for role titles."""
        self.name = name
        self.lexicon = lexicon
        self.names = PhraseMatcher(nlp.vocab, attr="LOWER")
        for person_id, rows in lexicon.register.by_person.items():
            forms = {rows[0].name, *rows[0].aliases}
            self.names.add(person_id, [nlp.make_doc(f) for f in forms])
        self.titles = PhraseMatcher(nlp.vocab, attr="LOWER")
        for i, title in enumerate(lexicon.titles):
            self.titles.add(f"title{i}", [nlp.make_doc(title.phrase)])
        self.title_index = {f"title{i}": t for i, t in enumerate(lexicon.titles)}

    def __call__(self, doc: Doc) -> Doc:
        """Set ``doc._.ts_officials`` to the official mentions of the document."""
        doc._.ts_officials = find_officials(doc, self)
        return doc


def find_officials(doc: Doc, rec: OfficialRecognizer) -> list[OfficialMention]:
    """Run every resolution route over the document, in text order where context matters."""
    when = _as_date(doc._.ts_published)
    countries = ByStart.of(doc._.ts_countries or [])
    context = DocContext({})
    mentions: list[OfficialMention] = []
    taken: set[int] = set()
    for match_id, start, end in sorted(rec.names(doc), key=lambda m: (m[1], -m[2])):
        if start in taken:
            continue
        person_id = doc.vocab.strings[match_id]
        span = doc[start:end]
        mention = _registered(rec.lexicon.register, person_id, span, when, method="name", role=_role_text(span, doc))
        mentions.append(mention)
        context.remember(mention)
        taken.update(range(start, end))
    for span in _person_candidates(doc, taken, rec.lexicon.role_words):
        mention = _resolve_person(span, doc, rec, context, countries, when)
        if mention is not None:
            mentions.append(mention)
            context.remember(mention)
            taken.update(range(span.start, span.end))
    if doc.user_data.get("ts_kind") not in OFFICE_KINDS:
        mentions.extend(_title_mentions(doc, rec, countries, when, taken))
    mentions.extend(_unnamed_mentions(doc, countries, taken))
    mentions.sort(key=lambda m: m.start)
    return _document_names(mentions)


def _document_names(mentions: list[OfficialMention]) -> list[OfficialMention]:
    """Name register people as the document does when it never uses the register's surname ("President Salinas")."""
    forms: dict[str, list[str]] = {}
    for m in mentions:
        if m.official_id and m.method in ("name", "surname"):
            forms.setdefault(m.official_id, []).append(m.text)
    renamed = {}
    for person_id, texts in forms.items():
        canonical = next(m.name for m in mentions if m.official_id == person_id)
        surname = fold(canonical).split()[-1] if canonical.split() else ""
        if surname and not any(surname in fold(t).split() for t in texts):
            renamed[person_id] = max((t.removesuffix("'s").removesuffix("’s") for t in texts), key=len)
    if not renamed:
        return mentions
    return [dataclasses.replace(m, name=renamed[m.official_id]) if m.official_id in renamed else m for m in mentions]


def _as_date(value) -> date | None:
    """Return a date from a date, datetime or None."""
    return value.date() if hasattr(value, "date") and callable(value.date) else value


def _registered(register: Register, person_id: str, span: Span, when: date | None, *, method: str, role: str | None) -> OfficialMention:
    """Build a mention of a register person, with the tenure active at the date."""
    tenure = register.tenure_at(person_id, when)
    return OfficialMention(span.start_char, span.end_char, span.text, tenure.name, tenure.country, role or tenure.role, person_id, method)


def _person_candidates(doc: Doc, taken: set[int], role_words: frozenset[str] = frozenset()) -> list[Span]:
    """Return PERSON entities, short names after a title word that NER mislabelled, and lone proper nouns."""
    spans = [_strip_possessive(e) for e in doc.ents if e.label_ == "PERSON" or _titled_name(e, doc, role_words)]
    in_ents = {i for s in spans for i in range(s.start, s.end)}
    spans += [doc[t.i:t.i + 1] for t in doc if t.pos_ == "PROPN" and t.is_title and t.i not in in_ents and len(t) > 2]
    return sorted((s for s in spans if len(s) and not any(i in taken for i in range(s.start, s.end))), key=lambda s: s.start)


def _titled_name(span: Span, doc: Doc, role_words: frozenset[str]) -> bool:
    """Tell whether a non-PERSON entity is a name right after a lower-case title word ("spokesman Hiro Tanabe")."""
    if span.label_ not in ("ORG", "PRODUCT", "WORK_OF_ART", "NORP", "GPE") or not 2 <= len(span) <= 3 or span.start == 0:
        return False
    before = doc[span.start - 1]
    return before.is_lower and before.lower_ in role_words and all(t.pos_ == "PROPN" and t.is_title for t in span)


def _strip_possessive(span: Span) -> Span:
    """Drop a trailing "'s" from an entity span."""
    if len(span) > 1 and span[-1].text in ("'s", "’s", "'"):
        return span[:-1]
    return span


def _resolve_person(span: Span, doc: Doc, rec: OfficialRecognizer, context: DocContext, countries, when) -> OfficialMention | None:
    """Resolve one person-like span through the register, the document context or its title."""
    register, lex = rec.lexicon.register, rec.lexicon
    is_entity = span[0].ent_type_ == "PERSON" or _titled_name(span, doc, lex.role_words)
    text = span.text
    folded = fold(text)
    role = _role_text(span, doc, lex)
    if folded in register.by_name:
        return _registered(register, register.by_name[folded], span, when, method="name", role=role)
    keys = surnames(text)
    key = keys[0] if keys else folded
    known = context.by_surname.get(key) or context.by_surname.get(folded)
    if known is not None:
        return OfficialMention(span.start_char, span.end_char, text, known.name, known.country, known.role, known.official_id, "surname")
    candidates = [p for p in register.by_surname.get(key, ()) if register.is_active(p, when)]
    if not is_entity:
        # A lone capitalised word the tagger took for an organisation ("Volcker told ...") is a surname
        # when exactly one register person of that surname is in office at the date.
        if len(span) == 1 and len(candidates) == 1 and span[0].ent_type_ not in NOT_PEOPLE and not span[0].is_sent_start:
            return _registered(register, candidates[0], span, when, method="surname", role=role)
        return _fuzzy_context(span, context, lex.fuzzy_cutoff)
    if len(span) == 1 and len(candidates) == 1:
        return _registered(register, candidates[0], span, when, method="surname", role=role)
    if len(span) > 1 and candidates:
        first = fold(span[0].text)
        same_first = [p for p in candidates if fold(register.person(p).name).split()[0] == first]
        if len(same_first) == 1:
            return _registered(register, same_first[0], span, when, method="name", role=role)
    fuzzy = _fuzzy_context(span, context, lex.fuzzy_cutoff)
    if fuzzy is not None:
        return fuzzy
    misspelled = _fuzzy_register(span, register, when, lex.fuzzy_cutoff) if len(span) > 1 else None
    if misspelled is not None:
        return _registered(register, misspelled, span, when, method="fuzzy", role=role)
    if role and _is_public_role(role, lex):
        return OfficialMention(span.start_char, span.end_char, text, text, _role_country(span, doc, role, countries, lex), role, None, "apposition")
    return None


def _fuzzy_register(span: Span, register: Register, when, cutoff: float) -> str | None:
    """Return the person in office whose first name matches and surname nearly matches ("Robert Lighthiser")."""
    words = fold(span.text).split()
    surname = words[-1]
    if len(surname) < 5:
        return None
    choices = {pid: name for pid, name in register.by_first_name.get(words[0], ()) if register.is_active(pid, when)}
    best = process.extractOne(surname, choices, scorer=fuzz.ratio, score_cutoff=cutoff)
    return best[2] if best is not None else None


def _fuzzy_context(span: Span, context: DocContext, cutoff: float) -> OfficialMention | None:
    """Resolve a misspelled surname to a person mentioned earlier ("Lightizer" -> Lighthizer)."""
    key = fold(span[-1].text)
    if len(key) < 5 or not context.by_surname:
        return None
    best = process.extractOne(key, list(context.by_surname), scorer=fuzz.ratio, score_cutoff=cutoff)
    if best is None:
        return None
    known = context.by_surname[best[0]]
    return OfficialMention(span.start_char, span.end_char, span.text, known.name, known.country, known.role, known.official_id, "fuzzy")


def _role_text(span: Span, doc: Doc, lex: Lexicon | None = None) -> str | None:
    """Return the title before a name, the apposition after it, or a comma phrase before it; public roles first."""
    words = lex.role_words if lex else frozenset()
    found = [r for r in (_title_before(span, doc, words), _apposition_after(span, doc), _list_title(span, doc, words), _apposition_before(span, doc, words)) if r]
    if lex is not None:
        public = [r for r in found if _is_public_role(r, lex)]
        if public:
            return public[0]
    return found[0] if found else None


def _list_title(span: Span, doc: Doc, role_words: frozenset[str]) -> str | None:
    """Return the title shared by a list of names ("Senators Robert Menendez, Richard Durbin and Patrick Leahy")."""
    i = span.start
    for _ in range(MAX_LIST_NAMES):
        j = i - 1
        while j >= span.sent.start and doc[j].lower_ in (",", "and"):
            j -= 1
        if j < span.sent.start or j == i - 1 or doc[j].ent_type_ != "PERSON":
            return None
        while j > span.sent.start and doc[j - 1].ent_type_ == "PERSON" and not doc[j].ent_iob_ == "B":
            j -= 1
        title = _title_before(doc[j:j + 1], doc, role_words)
        if title:
            return title
        i = j
    return None


def _apposition_before(span: Span, doc: Doc, role_words: frozenset[str] = frozenset()) -> str | None:
    """Return "A member of the Federal Reserve Board," before ", Robert Heller, said"."""
    if span.start < 2 or doc[span.start - 1].text != ",":
        return None
    start = span.start - 1
    while start > span.sent.start and span.start - start < MAX_APPOSITION_TOKENS and doc[start - 1].text not in (",", ";", ":", "(", ")", '"', "“", "”") and doc[start - 1].ent_type_ != "PERSON":
        start -= 1
    # Drop the clause before the title ("they said that | Acting Director of ...").
    while start < span.start - 1 and doc[start].is_lower and doc[start].lower_ not in ("a", "an", "the") and doc[start].lower_ not in role_words:
        start += 1
    words = doc[start:span.start - 1]
    return words.text if len(words) and words[0].pos_ != "VERB" else None


def _title_before(span: Span, doc: Doc, role_words: frozenset[str] = frozenset()) -> str | None:
    """Return title words directly before the name ("Foreign Ministry spokesman"), within the sentence."""
    sent_start = span.sent.start
    i = span.start
    while i > sent_start and span.start - i < MAX_TITLE_TOKENS:
        tok = doc[i - 1]
        titled = tok.is_title or tok.is_upper or tok.lower_ in role_words
        if tok.ent_type_ == "PERSON" or not (titled or tok.text in ("-", "'s", "’s") or tok.lower_ in ("of", "for", "and")):
            break
        i -= 1
    while i < span.start and doc[i].lower_ in ("of", "for", "and", "-", "'s", "’s"):
        i += 1
    return doc[i:span.start].text if i < span.start else None


def _apposition_after(span: Span, doc: Doc) -> str | None:
    """Return ", the U.S. trade representative," style appositions after the name."""
    if span.end >= len(doc) or doc[span.end].text != ",":
        return None
    end = span.end + 1
    limit = min(len(doc), end + 14, span.sent.end)
    while end < limit and doc[end].text not in (",", ";", ".", "(", ")") and doc[end].lower_ not in ("said", "says", "who", "told"):
        end += 1
    words = doc[span.end + 1:end]
    if not len(words) or words[0].pos_ == "VERB":
        return None
    return words.text


def _is_public_role(role: str, lex: Lexicon) -> bool:
    """Tell whether a role text names a public office and no business role outside its public titles."""
    low = f" {role.lower()} "
    titles = [t for t in lex.titles if f" {t.phrase} " in low or low.strip().endswith(t.phrase)]
    if not titles:
        return False
    rest = low
    for t in titles:
        rest = rest.replace(t.phrase, " ")
    strong = any(t.role_key in ("legislator", "head_of_state", "head_of_government") for t in titles)
    # "Chair of the Council of Economic Advisers": the business word is part of a public title.
    return strong or not any(f" {w}" in rest for w in lex.non_official)


def _role_country(span: Span, doc: Doc, role: str, countries: ByStart[CountryMention], lex: Lexicon) -> str | None:
    """Return the country of a role: a country in the title, the title's own country, the sentence's, else the story's."""
    lo, hi = _role_bounds(span, doc, role)
    inside = [c.code for c in countries.within(lo, hi)]
    if inside:
        return inside[0]
    low = role.lower()
    implied = [t.country for t in lex.titles if t.country and t.phrase in low]
    if implied:
        return implied[0]
    sent = span.sent
    in_sentence = [c.code for c in countries.within(sent.start_char, sent.end_char)]
    if len(set(in_sentence)) == 1:
        return in_sentence[0]
    # A public role without a country acts for the story's main actor ("Foreign Ministry spokesman").
    return main_actor(doc) if len(doc) else None


def _role_bounds(span: Span, doc: Doc, role: str) -> tuple[int, int]:
    """Return the character range of the role text around a name."""
    before = doc_text(doc).rfind(role, max(0, span.start_char - len(role) - 2), span.start_char)
    if before >= 0:
        return before, span.start_char
    after = doc_text(doc).find(role, span.end_char)
    return (after, after + len(role)) if after >= 0 else (span.start_char, span.end_char)


def _title_mentions(doc: Doc, rec: OfficialRecognizer, countries, when, taken: set[int]) -> list[OfficialMention]:
    """Resolve titles without names ("Japan's trade minister") to the holder at the document date."""
    out = []
    for match_id, start, end in rec.titles(doc):
        if any(i in taken for i in range(start, end)) or doc[end - 1].tag_ in ("NNS", "NNPS"):
            continue
        if end < len(doc) and (doc[end].ent_type_ == "PERSON" or doc[end].pos_ == "PROPN"):
            continue
        title = rec.title_index[doc.vocab.strings[match_id]]
        country = _country_before(doc, start, countries) or title.country
        if country is None:
            continue
        holders = rec.lexicon.register.holders(title.role_key, country, when)
        if len(holders) != 1:
            continue
        h = holders[0]
        span = doc[start:end]
        out.append(OfficialMention(span.start_char, span.end_char, span.text, h.name, h.country, span.text, h.person_id, "title"))
        taken.update(range(start, end))
    return out


def _country_before(doc: Doc, start: int, countries: ByStart[CountryMention]) -> str | None:
    """Return a country mentioned in the three tokens before a title ("the U.S.", "Japan's")."""
    lo = doc[max(0, start - 3)].idx
    hi = doc[start].idx
    near = countries.within(lo, hi)
    return near[-1].code if near else None


def _unnamed_mentions(doc: Doc, countries, taken: set[int]) -> list[OfficialMention]:
    """Return unnamed officials ("a senior ministry official", "U.S. officials") with their country."""
    out = []
    for tok in doc:
        if tok.lower_ not in UNNAMED_HEADS or tok.i in taken:
            continue
        if tok.i + 1 < len(doc) and doc[tok.i + 1].ent_type_ == "PERSON":
            continue
        start = tok.i
        while start > 0 and not doc[start].is_sent_start and doc[start - 1].pos_ in ("ADJ", "NOUN", "PROPN") and start > tok.i - 5:
            start -= 1
        span = doc[start:tok.i + 1]
        country = _country_before(doc, tok.i, countries) or next((c.code for c in countries.within(span.start_char, span.end_char)), None)
        out.append(OfficialMention(span.start_char, span.end_char, span.text, "", country, tok.lower_, None, "unnamed"))
    return out


@Language.factory(
    "tradestance_officials",
    default_config={"register_path": str(OFFICIALS_FILE), "titles_path": str(ROLE_TITLES_FILE), "non_official_path": str(NON_OFFICIAL_FILE), "fuzzy_cutoff": 85.0},
)
def make_official_recognizer(nlp: Language, name: str, register_path: str, titles_path: str, non_official_path: str, fuzzy_cutoff: float) -> OfficialRecognizer:
    """spaCy factory for the official recogniser."""
    titles = read_role_titles(Path(titles_path))
    # Lower-case words of titles may precede a name ("director general Noboru Hatakeyama").
    role_words = frozenset(w for t in titles for w in t.phrase.split() if w.isalpha() and len(w) > 3) | UNNAMED_HEADS
    lexicon = Lexicon(read_register(Path(register_path)), titles, read_non_official_roles(Path(non_official_path)), fuzzy_cutoff, role_words)
    return OfficialRecognizer(nlp, name, lexicon)
