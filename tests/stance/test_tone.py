"""Tone scores stay in [-1, 1] and are independent of stance labels."""

from __future__ import annotations

import pytest

from pipeline.stance.tone import ToneScorer


@pytest.fixture(scope="module")
def scorer():
    """One VADER scorer."""
    return ToneScorer()


@pytest.mark.parametrize("text", ["", "Great, excellent, wonderful progress!!!", "A terrible, disastrous, unfair and hostile move.", "Tariffs rose."])
def test_tone_in_range(scorer, text):
    assert -1.0 <= scorer.text_tone(text) <= 1.0


def test_tone_sign_follows_words(scorer):
    assert scorer.text_tone("We welcome this excellent agreement.") > 0 > scorer.text_tone("This is a disastrous and unfair attack.")


def test_document_tone_is_mean_of_sentences(scorer):
    text = "We welcome this excellent agreement. This is a disastrous and unfair attack."
    parts = [scorer.text_tone(s) for s in ("We welcome this excellent agreement.", "This is a disastrous and unfair attack.")]
    assert scorer.document_tone(text) == pytest.approx(sum(parts) / 2)
    assert scorer.document_tone("") == 0.0
