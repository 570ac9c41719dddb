"""Tone: a sentiment score in [-1, 1] from the VADER lexicon, kept apart from stance."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SENTENCES = re.compile(r"(?<=[.!?])\s+|\n+")
MEMO_MAX = 20_000  # sentences remembered per scorer (statement and document tones score the same sentences)


@dataclass(slots=True)
class ToneScorer:
    """Scores text with VADER's compound score (the analyzer is built once per scorer)."""

    _analyzer: object = field(default=None, repr=False)
    _memo: dict[str, float] = field(default_factory=dict, repr=False)

    @property
    def analyzer(self):
        """Return the VADER analyzer, loading its lexicon on first use."""
        if self._analyzer is None:
            from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

            self._analyzer = SentimentIntensityAnalyzer()
        return self._analyzer

    def text_tone(self, text: str) -> float:
        """Return the compound tone of one sentence or quote, in [-1, 1]."""
        key = text.strip()
        if not key:
            return 0.0
        if (known := self._memo.get(key)) is not None:
            return known
        if len(self._memo) >= MEMO_MAX:
            self._memo.clear()
        score = self._memo[key] = float(self.analyzer.polarity_scores(key)["compound"])
        return score

    def document_tone(self, text: str) -> float:
        """Return a document's tone: the mean compound score of its sentences, in [-1, 1]."""
        scores = [self.text_tone(s) for s in SENTENCES.split(text) if len(s.split()) >= 3]
        return sum(scores) / len(scores) if scores else 0.0
