"""Cue lexicon, negation and the feature rows."""

from __future__ import annotations

import pytest

from pipeline.errors import ConfigError
from pipeline.stance.features import actor_window, count_cues, lexicon_polarity, read_cues, statement_features, tokens
from pipeline.stance.statements import Candidate
from pipeline.types import Statement


@pytest.mark.parametrize("text,polarity", [
    ("Japan rejected the proposal.", -1),
    ("Japan welcomed the decision.", 1),
    ("Japan would not accept the quota.", -1),
    ("Japan did not oppose the plan.", 1),
    ("The ministry released figures on Tuesday.", 0),
])
def test_lexicon_polarity_with_negation(text, polarity):
    assert lexicon_polarity(text, read_cues()) == polarity


def test_negated_cues_are_counted():
    counts = count_cues(tokens("They will never agree to it."), read_cues())
    assert counts.negated == 1 and counts.oppose == 1 and counts.support == 0


def test_actor_window_tags_sides():
    assert actor_window(["the", "zzactor", "rejected", "it"]) == ["b_the", "a_rejected", "a_it"]
    assert actor_window(["we", "propose"]) == ["s_we", "s_propose"]


def test_unknown_cue_kind_is_an_error(tmp_path):
    path = tmp_path / "cues.tsv"
    path.write_text("cue\tmatch\tkind\tnote\nfoo\tword\tmaybe\t\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown kind 'maybe'"):
        read_cues(path)


def test_feature_row_has_all_columns():
    statement = Statement(start=0, end=30, text="Japan rejected the U.S. plan.", actor="JP", issue="tariffs", context="Before.\nAfter.")
    candidate = Candidate(statement, (), " zzactor rejected the zzother plan.", "subject", ("US",), ("US",))
    row = statement_features(candidate, read_cues())
    assert row["window"].startswith("a_rejected")
    assert row["flags"]["role=subject"] == 1.0 and row["flags"]["owner_other"] == 1.0 and row["flags"]["cue_oppose"] > 0
    assert row["context"] == "before after"


@pytest.mark.parametrize(
    "text",
    [
        "Ottawa firmly rejected the proposal and threatened to retaliate, but welcomed the talks.",
        "The minister did not oppose the plan; he supports and welcomes an unprecedented deal.",
        "",
    ],
)
def test_indexed_cue_matching_equals_the_plain_scan(text):
    from pipeline.stance.features import _matches, cue_kinds

    lexicon, words = read_cues(), tokens(text)
    plain = [(i, c.kind) for i in range(len(words)) for c in lexicon.cues if _matches(words, i, c)]
    assert cue_kinds(words, lexicon) == plain
