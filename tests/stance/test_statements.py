"""Candidate statements from hand-built extractions (no spaCy needed)."""

from __future__ import annotations

import pytest

from pipeline.stance.features import read_cues
from pipeline.stance.statements import ACTOR_MARK, OTHER_MARK, build_candidates, group_issues, read_sector_issues, sentence_bounds
from pipeline.types import CountryMention, Document, Extraction, IssueMention, OfficialMention, Quote

TEXT = (
    "Talks resumed on Monday. "
    "The United States rejected Canada's counter-proposal on auto rules of origin. "
    '"We will not accept it," said Robert Lighthizer. '
    "Officials met again."
)


def _span(text: str, part: str) -> tuple[int, int]:
    """Return the span of a part of TEXT, checked."""
    start = text.find(part)
    assert start >= 0 and text[start:start + len(part)] == part
    return start, start + len(part)


def _extraction(*, issues: bool = True, actors: bool = True) -> tuple[Document, Extraction]:
    """Build a document and a hand-made extraction of TEXT."""
    s2 = _span(TEXT, "The United States rejected Canada's counter-proposal on auto rules of origin.")
    s3 = _span(TEXT, '"We will not accept it," said Robert Lighthizer.')
    countries = (CountryMention(*_span(TEXT, "United States"), "United States", "US"), CountryMention(*_span(TEXT, "Canada"), "Canada", "CA"))
    officials = (OfficialMention(*_span(TEXT, "Robert Lighthizer"), "Robert Lighthizer", "Robert Lighthizer", "US"),)
    quote = _span(TEXT, "We will not accept it,")
    quotes = (Quote(quote[0], quote[1], TEXT[quote[0]:quote[1]], "Robert Lighthizer", "US"),)
    mentions = (IssueMention(*s2, "rules_of_origin"), IssueMention(*s2, "autos"), IssueMention(*s3, "rules_of_origin"))
    extraction = Extraction(doc_id="t:1", countries=countries if actors else (), officials=officials if actors else (),
                            quotes=quotes if actors else (), issues=mentions if issues else ())
    return Document(doc_id="t:1", text=TEXT, kind="article"), extraction


def test_candidates_have_actor_issue_sector_and_owner():
    document, extraction = _extraction()
    candidates = build_candidates(document, extraction, proposal_nouns=read_cues().proposal_nouns)
    by_actor = {(c.statement.actor, c.statement.start): c for c in candidates}
    us = by_actor[("US", TEXT.find("The United States"))]
    assert us.statement.issue == "rules_of_origin" and us.also == ("autos",)
    assert us.role == "subject" and us.owners == ("CA",) and us.statement.target == "CA"
    assert ACTOR_MARK in us.masked and OTHER_MARK in us.masked and "United States" not in us.masked
    assert us.statement.context.startswith("Talks resumed")
    ca = by_actor[("CA", TEXT.find("The United States"))]
    assert ca.role == "mentioned"
    quoted = by_actor[("US", TEXT.find('"We will'))]
    assert quoted.role == "speaker" and quoted.statement.actor_is_speaker and quoted.statement.official == "Robert Lighthizer"


@pytest.mark.parametrize("issues,actors", [(False, True), (True, False), (False, False)])
def test_no_issue_or_no_actor_gives_no_candidate(issues, actors):
    document, extraction = _extraction(issues=issues, actors=actors)
    assert build_candidates(document, extraction) == []


@pytest.mark.parametrize("issues,expected", [
    (["tariffs", "autos"], [("tariffs", ("autos",))]),
    (["autos", "agriculture"], [("autos", ()), ("agriculture", ())]),
    (["tariffs", "market_access", "technology"], [("tariffs", ("technology",)), ("market_access", ("technology",))]),
])
def test_group_issues_prefers_measures(issues, expected):
    assert group_issues(issues, sectors=read_sector_issues()) == expected


def test_sentence_bounds_gives_neighbours():
    start, end = _span(TEXT, "The United States rejected Canada's counter-proposal on auto rules of origin.")
    prev, nxt = sentence_bounds(TEXT, start, end)
    assert prev == "Talks resumed on Monday."
    assert nxt.startswith('"We will not accept it,"')


def test_actor_sentence_next_to_an_issue_sentence_takes_its_issues():
    text = "Japan rejected the demand on Monday. The tariffs would hit electronics."
    tagged = text.find("The tariffs")
    extraction = Extraction(doc_id="t:2", countries=(CountryMention(0, 5, "Japan", "JP"),),
                            issues=(IssueMention(tagged, len(text), "tariffs"),))
    document = Document(doc_id="t:2", text=text)
    assert build_candidates(document, extraction) == []
    candidates = build_candidates(document, extraction, neighbour_reach=5)
    assert [(c.statement.actor, c.statement.issue, c.statement.text) for c in candidates] == [("JP", "tariffs", "Japan rejected the demand on Monday.")]


@pytest.mark.parametrize("sentence,speaker", [
    ("Trade retaliation was most dangerous, he said.", "Hajime Tamura"),
    ("He told reporters that tariffs would be lifted.", "Hajime Tamura"),
    ("Tariffs would hurt trade, said he.", "Hajime Tamura"),
    ("Tariffs would hurt trade, the report said.", None),
    ("Tariffs would hurt trade, headed by officials.", None),
])
def test_he_said_statement_takes_the_person_named_before(sentence, speaker):
    text = f"Japanese Trade Minister Hajime Tamura spoke in Tokyo. {sentence}"
    s = text.find(sentence)
    name = _span(text, "Hajime Tamura")
    extraction = Extraction(doc_id="t:3", officials=(OfficialMention(*name, "Hajime Tamura", "Hajime Tamura", "JP"),),
                            countries=(CountryMention(0, 8, "Japanese", "JP"),), issues=(IssueMention(s, len(text), "tariffs"),))
    candidates = build_candidates(Document(doc_id="t:3", text=text), extraction)
    found = [(c.statement.actor, c.statement.official, c.role) for c in candidates]
    assert found == ([("JP", speaker, "speaker")] if speaker else [])
