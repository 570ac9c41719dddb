"""Issues: strong terms decide alone, weak terms need support, exclusions cancel matches."""

from __future__ import annotations

import pytest

from pipeline.nlp.issues import document_issues, merge_scores
from tests.nlp.helpers import run


@pytest.mark.parametrize(
    ("text", "issue"),
    [
        ("The minister said the new rules of origin would apply to car parts.", "rules_of_origin"),
        ("Washington wants to cut the tariff on imported trucks.", "tariffs"),
        ("The panel found that the sugar was dumped below fair value.", "trade_remedies"),
    ],
)
def test_strong_terms(nlp, text, issue):
    assert issue in run(nlp, "Officials met on Monday.\n\n" + text).doc_issues


def test_one_weak_term_outside_the_lead_is_not_an_issue(nlp):
    text = "Officials met on Monday in Geneva.\n\nA local bank lent money to the hotel."
    assert "services" not in run(nlp, text).doc_issues


def test_weak_terms_in_several_sentences_add_up(nlp):
    text = ("Officials met on Monday.\n\nThe bank lent more.\n\nAnother bank followed.\n\n"
            "Insurance firms joined the banking group.")
    assert "services" in run(nlp, text).doc_issues


@pytest.mark.parametrize(
    ("text", "issue"),
    [
        ("Officials met on Monday.\n\nThe European Union and the Soviet Union signed a union pact.", "labor"),
        ("Officials met on Monday.\n\nIt is our duty to help, he said.", "tariffs"),
        ("Officials met on Monday.\n\nThe budget deficit widened sharply.", "trade_balance"),
    ],
)
def test_exclusions(nlp, text, issue):
    assert issue not in run(nlp, text).doc_issues


def test_sentence_mentions_only_for_document_issues(nlp):
    ex = run(nlp, "Officials met on Monday.\n\nTariffs on steel rose.\n\nA bank opened.")
    assert {m.issue for m in ex.issues} <= set(ex.doc_issues)


def test_scores_merge_over_chunks():
    merged = merge_scores([{"services": 0.34}, {"services": 0.34, "tariffs": 1.0}, {"services": 0.34}])
    assert document_issues(merged) == ("services", "tariffs")
    assert document_issues({"services": 0.68}) == ()
