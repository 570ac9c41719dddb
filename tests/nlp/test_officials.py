"""Officials: the resolution routes on hand-written sentences."""

from __future__ import annotations

from datetime import date

import pytest

from tests.nlp.helpers import run


def _people(ex):
    return {(o.name, o.country) for o in ex.officials if o.name}


def test_full_name_then_surname(nlp):
    ex = run(nlp, "Robert Lighthizer opened the round.\n\nLater Lighthizer said the gap was wide.")
    assert {m.method for m in ex.officials if m.name == "Robert Lighthizer"} >= {"name", "surname"}


def test_misspelled_surname_resolves(nlp):
    ex = run(nlp, "Robert Lighthizer opened the round.\n\nLightizer then left the room.")
    later = [m for m in ex.officials if m.text == "Lightizer"]
    assert later and later[0].name == "Robert Lighthizer" and later[0].country == "US"


@pytest.mark.parametrize(
    ("text", "misspelled", "name"),
    [
        ("Robert Lighthiser met reporters on Tuesday.", "Robert Lighthiser", "Robert Lighthizer"),
        ("Steven Mnuchen met reporters on Tuesday.", "Steven Mnuchen", "Steven Mnuchin"),
        ("Ildefonso Guajrdo met reporters on Tuesday.", "Ildefonso Guajrdo", "Ildefonso Guajardo"),
    ],
)
def test_misspelled_full_name_without_a_correct_mention(nlp, text, misspelled, name):
    ex = run(nlp, text, published=date(2018, 1, 29))
    found = [m for m in ex.officials if m.text == misspelled]
    assert found and found[0].name == name and found[0].method == "fuzzy"


def test_a_stranger_with_a_common_first_name_is_not_resolved(nlp):
    assert not [m for m in run(nlp, "Robert Smith, a farmer from Iowa, said prices fell.", published=date(2018, 1, 29)).officials if m.name]


@pytest.mark.parametrize(
    ("text", "when", "name"),
    [
        ("The U.S. Trade Representative flew home on Friday.", date(2018, 1, 29), "Robert Lighthizer"),
        ("The U.S. Trade Representative flew home on Friday.", date(1987, 3, 20), "Clayton Yeutter"),
    ],
)
def test_titles_resolve_by_date(nlp, text, when, name):
    assert name in {o.name for o in run(nlp, text, published=when).officials}


def test_apposition_gives_role_and_country(nlp):
    ex = run(nlp, "Kim Chol-su, South Korea's deputy prime minister, arrived in Paris on Sunday.", published=date(1990, 5, 1))
    hits = [o for o in ex.officials if o.name and "Kim" in o.name]
    assert hits and hits[0].country == "KR"


def test_title_before_unregistered_name(nlp):
    ex = run(nlp, "Canadian Foreign Minister Jane Doerksen spoke to reporters.")
    assert ("Jane Doerksen", "CA") in _people(ex)


def test_business_people_are_not_officials(nlp):
    ex = run(nlp, "John Marsten, chief executive of a Detroit car maker, criticised the plan.")
    assert not any("Marsten" in o.name for o in ex.officials if o.name)


def test_unnamed_official_has_a_country(nlp):
    ex = run(nlp, "A senior Japanese trade official said the offer was final.")
    unnamed = [o for o in ex.officials if o.method == "unnamed"]
    assert unnamed and unnamed[0].country == "JP" and unnamed[0].name == ""


def test_a_list_of_names_shares_its_title(nlp):
    ex = run(nlp, "Senators Anna Kowalczyk, Brian Oduya and Carl Petersen wrote to the trade minister.", published=date(2019, 5, 1))
    names = {o.name for o in ex.officials if o.method == "apposition"}
    assert {"Anna Kowalczyk", "Brian Oduya", "Carl Petersen"} <= names


@pytest.mark.parametrize(
    "text",
    [
        "Foreign Ministry spokesman Hiro Tanabe said Japan would wait.",
        "A member of the Federal Reserve Board, Maria Lindqvist, said the dollar was weak.",
    ],
)
def test_title_forms_before_unregistered_names(nlp, text):
    ex = run(nlp, text, published=date(1987, 3, 1))
    assert [o for o in ex.officials if o.method == "apposition"]


@pytest.mark.parametrize(
    ("text", "name", "country"),
    [
        ("I thank Dana Whitfield, the Chair of the Council of Economic Advisers, for her work.", "Dana Whitfield", "US"),
        ("He was an aide to former External Affairs Commissioner Lucien Marchal, the spokesman said.", "Lucien Marchal", "EU"),
    ],
)
def test_public_titles_that_contain_business_words(nlp, text, name, country):
    assert (name, country) in _people(run(nlp, text, published=date(1993, 12, 8)))


def test_document_form_of_a_register_name(nlp):
    ex = run(nlp, "They met with President Salinas in Mexico City on Friday.", published=date(1993, 12, 8))
    assert any(o.name == "President Salinas" or o.name.endswith("Salinas") for o in ex.officials if o.official_id)
