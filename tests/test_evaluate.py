"""The spec's scoring rules, on hand-built annotations."""

from __future__ import annotations

import pytest

from pipeline.annotations import AnnOfficial, AnnotatedDocument, AnnQuote, AnnStance, AnnThreshold
from pipeline.evaluate import macro_f1, score


def _doc(**kw) -> AnnotatedDocument:
    """An annotated document with doc_id 'd'."""
    return AnnotatedDocument(doc_id="d", **kw)


def _th(value, unit="percent", **kw) -> AnnThreshold:
    """A threshold with defaults."""
    base = dict(issue="tariffs", from_value=None, role="proposed", holder="US", start=0, end=5, also=())
    return AnnThreshold(value=value, unit=unit, **{**base, **kw})


@pytest.mark.parametrize(
    ("gold", "pred", "tp"),
    [
        ("Robert Lighthizer", "Lighthizer", 1),
        ("Ildefonso Guajardo", "ILDEFONSO GUAJARDO", 1),
        ("Jesús Seade", "Jesus Seade", 1),
        ("Robert Lighthizer", "Robert Lightizer", 0),
    ],
)
def test_officials_match_on_surname_and_country(gold, pred, tp):
    s = score([_doc(officials=(AnnOfficial(gold, "US"),))], [_doc(officials=(AnnOfficial(pred, "US"),))])
    assert s.items["officials"].tp == tp


def test_official_with_wrong_country_does_not_match():
    s = score([_doc(officials=(AnnOfficial("Pat Carney", "CA"),))], [_doc(officials=(AnnOfficial("Pat Carney", "US"),))])
    assert (s.items["officials"].tp, s.items["officials"].fp, s.items["officials"].fn) == (0, 1, 1)


def test_thresholds_match_within_half_a_percent_one_to_one_and_report_attributes():
    gold = _doc(thresholds=(_th(85, from_value=62), _th(300e6, "USD", role="current", holder=None, issue="tariffs", also=("technology",))))
    pred = _doc(thresholds=(_th(85.3, from_value=62), _th(85), _th(300e6, "USD", role="proposed", holder=None, issue="technology")))
    s = score([gold], [pred])
    assert (s.items["thresholds"].tp, s.items["thresholds"].fp, s.items["thresholds"].fn) == (2, 1, 0)
    assert s.attributes["thresholds.issue"].accuracy == 1.0  # "technology" is in the gold's also
    assert s.attributes["thresholds.role"].correct == 1
    assert s.attributes["thresholds.from_value"].total == 2


def test_threshold_value_outside_tolerance_or_other_unit_misses():
    s = score([_doc(thresholds=(_th(85),))], [_doc(thresholds=(_th(86), _th(85, "USD")))])
    assert s.items["thresholds"].tp == 0


@pytest.mark.parametrize(
    ("pred_span", "matches"),
    [((0, 100), True), ((40, 100), True), ((60, 140), False), ((0, 210), False)],
)
def test_quotes_need_half_of_the_longer_span(pred_span, matches):
    gold = _doc(quotes=(AnnQuote("Chrystia Freeland", "CA", 0, 100),))
    pred = _doc(quotes=(AnnQuote("Freeland", "CA", *pred_span),))
    assert score([gold], [pred]).items["quotes"].tp == int(matches)


def test_quote_speaker_accuracy_null_speakers_compare_countries():
    gold = _doc(quotes=(AnnQuote(None, "MX", 0, 10), AnnQuote(None, "JP", 20, 30), AnnQuote("Clayton Yeutter", "US", 40, 50)))
    pred = _doc(quotes=(AnnQuote(None, "MX", 0, 10), AnnQuote(None, None, 20, 30), AnnQuote("Yeutter", None, 40, 50)))
    a = score([gold], [pred]).attributes["quotes.speaker"]
    assert (a.correct, a.total) == (2, 3)


def test_stances_match_on_actor_and_issue_or_also_preferring_agreeing_stance():
    gold = _doc(stances=(AnnStance("US", None, "rules_of_origin", "oppose", "CA", ("autos",)), AnnStance("US", None, "rules_of_origin", "support", "US", ("autos",))))
    pred = _doc(stances=(AnnStance("US", None, "autos", "support", "US"), AnnStance("US", None, "rules_of_origin", "oppose", "CA"), AnnStance("MX", None, "autos", "oppose", None)))
    s = score([gold], [pred])
    assert (s.items["stances"].tp, s.items["stances"].fp, s.items["stances"].fn) == (2, 1, 0)
    assert s.attributes["stances.stance"].accuracy == 1.0 and s.stance_macro_f1 == 1.0


def test_missing_prediction_scores_as_empty():
    s = score([_doc(countries=("US",))], [])
    assert s.missing == ("d",) and s.items["countries"].fn == 1


@pytest.mark.parametrize(("pairs", "expected"), [([("support", "support"), ("oppose", "oppose")], 1.0), ([("support", "oppose"), ("oppose", "support")], 0.0), ([("support", "support"), ("oppose", "support")], pytest.approx((2 / 3 + 0) / 2))])
def test_macro_f1(pairs, expected):
    assert macro_f1(pairs) == expected
