"""The number parser as a pure function: every form trade text uses, and a fuzz test."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.nlp.numbers import find_quantities, parse_number, parse_quantity


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("a ceiling of 85 percent", 85, "percent"),
        ("a ceiling of 85%", 85, "percent"),
        ("a ceiling of 85 pct", 85, "percent"),
        ("a ceiling of 85 per cent", 85, "percent"),
        ("half of each part", 50, "percent"),
        ("two-thirds of the members", 66.67, "percent"),
        ("goods worth 300 mln dlrs", 300_000_000, "USD"),
        ("a $250 billion list", 250_000_000_000, "USD"),
        ("credits of 1.2 trillion yen", 1.2e12, "JPY"),
        ("sales of 15.6 billion U.S. dlrs", 15.6e9, "USD"),
        ("phased in over five years", 5, "years"),
        ("given 48 hours to reply", 48, "other"),
        ("a levy of 20 billion pesetas", 20e9, "ESP"),
        ("a quota of 1,200 tonnes", 1200, "tonnes"),
        ("a cartel formed for a year", 1, "years"),
        ("to be notified within a month", 1, "months"),
    ],
)
def test_single_forms(text, value, unit):
    q = parse_quantity(text)
    assert q is not None and q.unit == unit
    assert q.value == pytest.approx(value, rel=1e-3)
    assert text[q.start:q.end] == q.text


@pytest.mark.parametrize(
    ("text", "value", "low"),
    [
        ("duties of 16.88 to 25.50 percent", 25.5, 16.88),
        ("a $40-50 billion package", 50e9, 40e9),
        ("between 10 and 20 percent", 20, 10),
    ],
)
def test_ranges(text, value, low):
    q = parse_quantity(text)
    assert q.value == pytest.approx(value) and q.low == pytest.approx(low) and q.from_value is None


@pytest.mark.parametrize(
    ("text", "value", "from_value"),
    [
        ("lift the share to 85 percent from 62 percent", 85, 62),
        ("raise the content share from 62 to 85 percent", 85, 62),
        ("the rate stood at 7 pct, up from five pct", 7, 5),
        ("cars would need 80 percent regional content to enter duty free, up from 60% today", 80, 60),
        ("each truck must hold 70 percent local parts, compared with 55 percent under the old pact", 70, 55),
    ],
)
def test_changes(text, value, from_value):
    found = find_quantities(text)
    assert len(found) == 1
    assert found[0].value == pytest.approx(value) and found[0].from_value == pytest.approx(from_value)
    assert found[0].low is None


@pytest.mark.parametrize(
    "text",
    ["duties of 25 percent on steel and 10 percent on aluminum", "exports rose 5 pct in March. Imports fell, up from 3 pct"],
)
def test_separate_numbers_are_not_linked_as_changes(text):
    assert all(q.from_value is None for q in find_quantities(text))


def test_list_amounts_inherit_the_currency():
    text = "The plan lists 1.13 billion dlrs of machines, 700 mln of grain and 50 mln of metals."
    found = find_quantities(text)
    assert [q.unit for q in found] == ["USD", "USD", "USD"]
    assert found[1].text == "700 mln" and found[1].value == pytest.approx(7e8)


@pytest.mark.parametrize("text", ["the first half of 1987", "in the second half", "we are halfway there", "up from a year earlier"])
def test_periods_are_not_fractions(text):
    assert find_quantities(text) == []


@pytest.mark.parametrize(("text", "value"), [("1,200.5", 1200.5), ("twenty-five", 25), ("seven", 7), ("abc", None), ("", None)])
def test_parse_number(text, value):
    assert parse_number(text) == value


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789.,-$%€¥ abcdmlnprtoyhfkg\n")) , max_size=80) | st.text(max_size=80))
def test_fuzz_never_raises_never_negative(text):
    for q in find_quantities(text):
        assert math.isfinite(q.value) and q.value >= 0
        assert q.from_value is None or (math.isfinite(q.from_value) and q.from_value >= 0)
        assert q.low is None or (math.isfinite(q.low) and q.low >= 0)
        assert 0 <= q.start <= q.end <= len(text)
