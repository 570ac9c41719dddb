"""Quotes: marks, splits, paragraphs, pronoun and title speakers, unbalanced marks, transcripts."""

from __future__ import annotations

from datetime import date

import pytest

from pipeline.nlp.quotes import find_quote_spans
from tests.nlp.helpers import run


@pytest.mark.parametrize("open_, close", [('"', '"'), ("“", "”")])
def test_straight_and_curly(nlp, open_, close):
    text = f"Robert Lighthizer spoke on Monday.\n\n{open_}We want a better deal for our workers,{close} Lighthizer said."
    quotes = run(nlp, text).quotes
    assert len(quotes) == 1 and quotes[0].speaker == "Robert Lighthizer"
    assert text[quotes[0].start:quotes[0].end].startswith("We want")


def test_split_quote_is_two_quotes_with_one_speaker(nlp):
    text = 'Chrystia Freeland spoke.\n\n"We came to work," she said, "and we will keep working on it."'
    quotes = run(nlp, text).quotes
    assert len(quotes) == 2 and {q.speaker for q in quotes} == {"Chrystia Freeland"}


def test_quote_over_paragraphs():
    text = '"The first part of the answer runs on here\n\n"and the second paragraph continues it," he said.'
    spans = find_quote_spans(text)
    assert len(spans) == 2 and spans[0].continued


def test_pronoun_resolves_to_nearest_official(nlp):
    text = 'Ildefonso Guajardo met reporters in Montreal.\n\n"Mexico will not accept that proposal at all," he said.'
    quotes = run(nlp, text).quotes
    assert quotes and quotes[0].speaker == "Ildefonso Guajardo" and quotes[0].speaker_country == "MX"


def test_unnamed_speaker_carries_country(nlp):
    text = 'Japan rejected the demand on Monday.\n\n"We cannot accept this kind of pressure," a senior Japanese official said.'
    quotes = run(nlp, text, published=date(1987, 4, 2)).quotes
    assert quotes and quotes[0].speaker is None and quotes[0].speaker_country == "JP"


@pytest.mark.parametrize("text", ['He said "this never closes and runs on', 'Odd " mark and “ another one\n\nNext paragraph here.', '"' * 50])
def test_unbalanced_marks_do_not_swallow_the_document(nlp, text):
    spans = find_quote_spans(text + "\n\nA last paragraph stays outside.")
    assert all("A last paragraph" not in (text + "\n\nA last paragraph stays outside.")[s.start:s.end] for s in spans)
    run(nlp, text)


def test_transcript_turns(nlp):
    text = ("AMBASSADOR LIGHTHIZER: Thank you all for coming today to this event.\n\n"
            "Q: Will the talks end this year?\n\n"
            "AMBASSADOR LIGHTHIZER: We hope they will end soon.")
    quotes = run(nlp, text, kind="transcript").quotes
    assert len(quotes) == 3
    assert [q.speaker for q in quotes] == ["Lighthizer", None, "Lighthizer"] or quotes[0].speaker.endswith("Lighthizer")
    assert quotes[1].speaker is None


def test_inanimate_subject_is_no_speaker(nlp):
    text = ('Ildefonso Guajardo spoke in Montreal.\n\n'
            'He said that for the deficit to continue shrinking next year, "we need far more work on this" across the board.')
    quotes = run(nlp, text).quotes
    assert quotes and quotes[0].speaker == "Ildefonso Guajardo"


def test_recent_subject_beats_a_later_object(nlp):
    text = ('Paul Volcker told committee chairman Fernand St. Germain that the plan was risky.\n\n'
            'He added, "it could well invite retaliation against our firms abroad."')
    quotes = run(nlp, text, published=date(1987, 3, 24)).quotes
    assert quotes and quotes[0].speaker == "Paul Volcker"


def test_first_person_in_remarks_is_the_author(nlp):
    text = 'The United States will sign the agreement.\n\nI told them, "Work it out, just work it out between you."'
    quotes = run(nlp, text, published=date(2019, 9, 25), kind="statement").quotes
    assert quotes and quotes[0].speaker == "Donald Trump"
