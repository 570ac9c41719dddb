"""Thresholds: decisions, role, holder, issue on hand-written text, and the seed's traps."""

from __future__ import annotations

import pytest

from pipeline.io.documents import ReadReport, read_documents
from pipeline.nlp.extract import extract_documents
from tests.conftest import shared_path
from tests.nlp.helpers import run


def test_proposed_change_with_holder(nlp):
    text = ("Negotiators from the United States, Canada and Mexico met in Montreal.\n\n"
            "The United States proposed raising the regional content rule of origin for cars to 85 percent from 62 percent.")
    ths = run(nlp, text).thresholds
    assert len(ths) == 1
    t = ths[0]
    assert (t.value, t.unit, t.from_value, t.role, t.holder, t.issue) == (85, "percent", 62, "proposed", "US", "rules_of_origin")


def test_statistic_is_not_a_threshold(nlp):
    text = "Japan's trade surplus with the United States widened to 5.5 billion dlrs in March from 4.1 billion in February."
    assert run(nlp, text).thresholds == ()


def test_imposed_tariff_is_current(nlp):
    text = "Washington imposed tariffs of 100 percent on 300 mln dlrs of Japanese electronics last month."
    ths = run(nlp, text).thresholds
    assert ths and all(t.holder == "US" and t.issue == "tariffs" for t in ths)
    assert {t.role for t in ths} == {"current"}


@pytest.mark.parametrize(("text", "kept"), [
    ("The bill would require the quota to be phased out within five years.", True),
    ("Imports of cars were subject to a quota in the first two months of 1987.", False),
])
def test_durations_need_a_rule_preposition(nlp, text, kept):
    assert bool([t for t in run(nlp, text).thresholds if t.unit in ("years", "months")]) is kept


@pytest.fixture(scope="module")
def seed(nlp):
    path = shared_path("seed", "documents.jsonl")
    doc = next(read_documents([path], report=ReadReport()))
    return doc.text, extract_documents(nlp, [doc])[0]


def test_seed_thresholds(seed):
    text, ex = seed
    by_value = {(t.value, t.unit): t for t in ex.thresholds}
    assert (85, "percent") in by_value and by_value[(85, "percent")].from_value == 62
    assert by_value[(85, "percent")].role == "proposed" and by_value[(85, "percent")].holder == "US"
    half = by_value.get((50, "percent"))
    assert half is not None and text[half.start:half.end] == "half" and half.role == "proposed"
    assert by_value[(62, "percent")].role == "current"
    assert all(t.issue == "rules_of_origin" for t in ex.thresholds)


def test_seed_stray_headline_is_no_issue_source(seed):
    text, ex = seed
    headline_end = text.index("\n\n", text.index("\n\n") + 2)
    assert all(t.start > headline_end for t in ex.thresholds)
    assert not [m for m in ex.issues if m.end <= headline_end and m.issue not in ex.doc_issues]


def test_seed_lightizer(seed):
    _, ex = seed
    assert any(o.text == "Lightizer" and o.name == "Robert Lighthizer" for o in ex.officials)


@pytest.mark.parametrize(("text", "kept"), [
    ("Under the bill the sugar must be exported within five years to earn the tariff refund.", True),
    ("Seoul had already bought 310 mln dlrs worth of U.S. wheat last year, officials said.", False),
    ("The duty cut takes effect on the date that is 60 days after the date of this proclamation.", True),
    ("Spain unveiled a 105 billion peseta export subsidy plan on Monday.", True),
])
def test_modals_past_facts_and_rule_periods(nlp, text, kept):
    assert bool(run(nlp, "Officials discussed tariffs and export subsidies.\n\n" + text).thresholds) is kept
