"""Recognise countries, blocs and organisations as actor codes (component ``tradestance_countries``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import dataclasses

import pycountry
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from pipeline.config import DATA_DIR
from pipeline.nlp.data import modern_code, older_code, read_predecessors, read_successors, read_tsv
from pipeline.types import CountryMention

ALIASES_FILE = DATA_DIR / "country_aliases.tsv"
NO_COUNTRY = "-"
ENTITY_LABELS = frozenset({"GPE", "NORP", "LOC", "ORG", "FAC"})
MATCH_MODES = ("lower", "exact", "ent")


@dataclass(frozen=True, slots=True)
class CountryAlias:
    """One surface form of an actor code, and how strictly it must match."""

    alias: str
    code: str
    match: str


@lru_cache(maxsize=4)
def read_country_aliases(path: Path = ALIASES_FILE) -> tuple[CountryAlias, ...]:
    """Return the project alias table followed by pycountry names it does not already cover."""
    own = tuple(CountryAlias(r["alias"], r["code"], r["match"]) for r in read_tsv(path))
    for alias in own:
        if alias.match not in MATCH_MODES:
            raise ValueError(f"{path}: alias {alias.alias!r} has match {alias.match!r}; use one of {MATCH_MODES}")
    known = {a.alias.lower() for a in own}
    extra = []
    for country in pycountry.countries:
        for name in {country.name, getattr(country, "common_name", None)}:
            # Formal names with commas ("Korea, Republic of") never occur as such in running text.
            if name and "," not in name and name.lower() not in known:
                # Capitalised official names are unambiguous; ambiguous ones are listed in the alias table as "ent".
                extra.append(CountryAlias(name, country.alpha_2, "exact"))
                known.add(name.lower())
    return own + tuple(extra)


@dataclass(frozen=True, slots=True)
class CountryIndex:
    """Lookup from matcher keys to codes, built once per component; ``parts`` serves hyphenated compounds."""

    codes: dict[str, str]
    needs_entity: frozenset[str]
    parts: dict[str, str] = field(default_factory=dict)


class CountryRecognizer:
    """Find actor-code mentions with phrase matchers; ambiguous words must be entities."""

    def __init__(self, nlp: Language, name: str, aliases: tuple[CountryAlias, ...]) -> None:
        """Build the case-sensitive and case-insensitive matchers from the alias table."""
        self.name = name
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.successors = read_successors()
        codes: dict[str, str] = {}
        needs_entity = set()
        parts: dict[str, str] = {}
        for alias in aliases:
            if alias.match != "ent" and " " not in alias.alias:
                parts.setdefault(alias.alias if alias.match == "exact" else alias.alias.lower(), alias.code)
            key = f"{alias.code}|{alias.match}"
            codes[key] = alias.code
            if alias.match == "ent":
                needs_entity.add(key)
            matcher = self.exact if alias.match == "exact" else self.lower
            matcher.add(key, [nlp.make_doc(alias.alias)])
        self.index = CountryIndex(codes, frozenset(needs_entity), parts)
        self.predecessors = read_predecessors()

    def __call__(self, doc: Doc) -> Doc:
        """Set ``doc._.ts_countries`` to the country mentions in the document."""
        found = find_countries(doc, self.lower, self.exact, self.index, self.successors, when=doc._.ts_published)
        found += compound_countries(doc, self.index, {(m.start, m.end) for m in found})
        found = [dataclasses.replace(m, code=older_code(m.code, doc._.ts_published, self.predecessors)) for m in found]
        doc._.ts_countries = sorted(found, key=lambda m: m.start)
        return doc


def find_countries(doc: Doc, lower: PhraseMatcher, exact: PhraseMatcher, index: CountryIndex, successors, *, when: date | None) -> list[CountryMention]:
    """Return country mentions: longest matches, blocked phrases dropped, entity-only words checked."""
    spans = [Span(doc, s, e, label=k) for k, s, e in lower(doc)] + [Span(doc, s, e, label=k) for k, s, e in exact(doc)]
    mentions = []
    for span in filter_spans(spans):
        key = span.label_
        code = index.codes[key]
        if code == NO_COUNTRY:
            continue
        if key in index.needs_entity and not _inside_entity(span):
            continue
        mentions.append(CountryMention(span.start_char, span.end_char, span.text, modern_code(code, when, successors)))
    return mentions


def compound_countries(doc: Doc, index: CountryIndex, taken: set[tuple[int, int]]) -> list[CountryMention]:
    """Return countries inside hyphenated tokens the matchers cannot see ("U.S.-Japan", "U.S.-Soviet")."""
    out = []
    for tok in doc:
        if "-" not in tok.text or len(tok.text) < 4:
            continue
        pos = 0
        for part in tok.text.split("-"):
            code = index.parts.get(part) or index.parts.get(part.lower())
            start = tok.idx + pos
            if code and code != NO_COUNTRY and (start, start + len(part)) not in taken:
                out.append(CountryMention(start, start + len(part), part, code))
            pos += len(part) + 1
    return out


def _inside_entity(span: Span) -> bool:
    """Tell whether the span lies inside a place, nationality or organisation entity."""
    return any(tok.ent_type_ in ENTITY_LABELS for tok in span)


@Language.factory("tradestance_countries", default_config={"aliases_path": str(ALIASES_FILE)})
def make_country_recognizer(nlp: Language, name: str, aliases_path: str) -> CountryRecognizer:
    """spaCy factory for the country recogniser."""
    return CountryRecognizer(nlp, name, read_country_aliases(Path(aliases_path)))
