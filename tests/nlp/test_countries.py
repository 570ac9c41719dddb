"""Countries: names, demonyms, capitals as governments, historical names, abbreviations, regions."""

from __future__ import annotations

from datetime import date

import pytest

from tests.nlp.helpers import run


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Canada and Mexico met on Monday to talk about dairy.", {"CA", "MX"}),
        ("Canadian and Japanese negotiators left early.", {"CA", "JP"}),
        ("Tokyo said it would answer the request within a week.", {"JP"}),
        ("Officials in Ottawa and Washington disagreed again.", {"CA", "US"}),
        ("Brussels rejected the offer on Friday.", {"EU"}),
        ("The U.S. and the EC will resume their talks.", {"US", "EU"}),
        ("West Germany's exporters complained about the mark.", {"DE"}),
        ("The European Community raised its grain levies.", {"EU"}),
        ("Britain and South Korea signed a shipping accord.", {"GB", "KR"}),
    ],
)
def test_country_forms(nlp, text, expected):
    assert {c.code for c in run(nlp, text, published=date(1987, 3, 1)).countries} == expected


@pytest.mark.parametrize("text", ["Trade across North America grew last year.", "Demand in Europe slowed in the spring."])
def test_regions_count_nothing(nlp, text):
    assert run(nlp, text).countries == ()


def test_mention_offsets_are_exact(nlp):
    text = "Exports from Brazil to Japan rose."
    for c in run(nlp, text).countries:
        assert text[c.start:c.end] == c.text


@pytest.mark.parametrize(
    ("text", "when", "expected"),
    [
        ("The U.S.-Japan accord on chips was signed.", date(1987, 4, 1), {"US", "JP"}),
        ("Russian buyers bought more grain.", date(1987, 4, 1), {"SU"}),
        ("Russian buyers bought more grain.", date(2005, 4, 1), {"RU"}),
        ("The Soviet Union bought more grain.", date(2005, 4, 1), {"RU"}),
        ("Lesotho Benin Malawi Bhutan", date(1985, 7, 1), {"LS", "BJ", "MW", "BT"}),
        ("Chad Smith of New Jersey joined the firm.", date(2000, 1, 1), set()),
    ],
)
def test_compounds_lists_and_dates(nlp, text, when, expected):
    assert {c.code for c in run(nlp, text, published=when).countries} == expected
