"""Aggregation of statement verdicts into document stances, and target resolution."""

from __future__ import annotations

import pytest

from pipeline.stance.aggregate import Verdict, aggregate, resolve_target
from pipeline.types import StanceLabel, Statement


def _v(stance: str, *, actor: str = "US", issue: str = "tariffs", target: str | None = None, p: float = 0.9, also=()) -> Verdict:
    """Build one verdict."""
    return Verdict(StanceLabel(Statement(0, 1, "x", actor, issue, target=target), stance, p, 0.0), tuple(also))


@pytest.mark.parametrize("stances,expected", [
    (["support", "support", "oppose"], "support"),
    (["oppose", "none", "oppose", "support"], "oppose"),
    (["support", "oppose"], None),
    (["none", "none"], None),
    ([], None),
])
def test_dominant_stance_or_nothing(stances, expected):
    result = aggregate([_v(s) for s in stances])
    assert [r.stance for r in result] == ([expected] if expected else [])


@pytest.mark.parametrize("verdicts,expected", [
    ([("support", 0.9), ("oppose", 0.6)], "support"),  # one each: the surer statement decides
    ([("support", 0.55), ("oppose", 0.95)], "oppose"),
    ([("support", 0.6), ("support", 0.6), ("oppose", 1.0)], "support"),  # two fairly sure beat one sure
    ([("support", 0.7), ("oppose", 0.7)], None),  # an even mix
])
def test_confidence_breaks_ties_between_directions(verdicts, expected):
    result = aggregate([_v(s, p=p) for s, p in verdicts], split_targets=False)
    assert [r.stance for r in result] == ([expected] if expected else [])


def test_counts_also_and_official_are_kept():
    result = aggregate([_v("support", also=("autos",)), _v("support"), _v("oppose")])
    assert (result[0].support, result[0].oppose, result[0].also) == (2, 1, ("autos",))


def test_support_own_and_oppose_other_are_two_entries():
    verdicts = [_v("support", target="US"), _v("oppose", target="CA")]
    assert {(r.stance, r.target) for r in aggregate(verdicts)} == {("support", "US"), ("oppose", "CA")}
    assert aggregate(verdicts, split_targets=False) == ()


def test_pairs_are_separate_and_low_confidence_dropped():
    verdicts = [_v("support", actor="US"), _v("oppose", actor="JP", p=0.55)]
    assert {r.actor for r in aggregate(verdicts)} == {"US", "JP"}
    assert {r.actor for r in aggregate(verdicts, min_top_probability=0.6)} == {"US"}


@pytest.mark.parametrize("stance,owners,others,expected", [
    ("support", (), ("CA",), "US"),
    ("support", ("CA",), ("CA",), "CA"),
    ("oppose", ("CA",), ("CA", "MX"), "CA"),
    ("oppose", (), ("CA",), "CA"),
    ("oppose", (), ("CA", "MX"), None),
    ("none", ("CA",), (), None),
])
def test_resolve_target(stance, owners, others, expected):
    assert resolve_target(stance=stance, actor="US", owners=owners, others=others) == expected


def test_only_listed_roles_make_document_stances():
    verdicts = [Verdict(_v("oppose").label, (), "mentioned"), Verdict(_v("support", actor="JP").label, (), "speaker")]
    assert {r.actor for r in aggregate(verdicts, roles=frozenset({"speaker", "subject"}))} == {"JP"}
    assert {r.actor for r in aggregate(verdicts)} == {"US", "JP"}
