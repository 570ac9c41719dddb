"""The pair gate: pair features, direction vote, target and counts, gating with a fitted logistic regression, gold matching."""

from __future__ import annotations

import pytest
from pipeline.annotations import AnnStance
from pipeline.stance.model import ModelParams
from pipeline.stance.pairs import (PAIR_FEATURES, PairGate, Scored, gate_documents, gate_inputs, gate_pairs, gold_entries, group_pairs, issue_words, pair_features,
                                   pair_stance, vote)
from pipeline.stance.train import fit_pair_gate
from pipeline.stance.statements import Candidate
from pipeline.types import Statement


def _s(p_stance: float, p_support: float, *, actor: str = "US", issue: str = "tariffs", start: int = 500, role: str = "subject",
       official: str | None = None, owners: tuple[str, ...] = (), others: tuple[str, ...] = (), also: tuple[str, ...] = (),
       issue_rank: int = 0, masked: str = "zzactor rejected the plan") -> Scored:
    """Build one scored statement on a hand-made candidate."""
    statement = Statement(start, start + 10, "x" * 10, actor, issue, official=official)
    return Scored(Candidate(statement, also, masked, role, others, owners, issue_rank=issue_rank), p_stance, p_support)


def test_features_follow_the_declared_order():
    items = [_s(0.9, 0.8, role="speaker", official="Clayton Yeutter", start=100), _s(0.3, 0.2)]
    features = dict(zip(PAIR_FEATURES, pair_features(items)))
    assert len(pair_features(items)) == len(PAIR_FEATURES)
    assert features["top_p"] == 0.9 and features["second_p"] == 0.3 and features["mean_p"] == pytest.approx(0.6)
    assert features["speaker"] == features["subject"] == features["official"] == features["early"] == 1.0
    assert features["author"] == 0.0 and features["main_issue"] == 1.0 and features["second_issue"] == 0.0
    # 0.9 * 0.3 support and 0.3 * -0.3 oppose: the weighted lean is 0.18 / 1.2 of the possible 0.5
    assert features["agreement"] == pytest.approx(2 * 0.18 / 1.2)


@pytest.mark.parametrize("items,expected", [
    ([(0.9, 0.8), (0.4, 0.1)], "support"),  # the surer statement outweighs
    ([(0.3, 0.9), (0.6, 0.2), (0.5, 0.3)], "oppose"),
    ([(0.5, 0.5)], "support"),  # no lean at all: support, as the vote is >= 0
])
def test_direction_is_the_weighted_vote(items, expected):
    scored = [_s(p, q) for p, q in items]
    assert pair_stance(scored, min_stance_probability=0.4).stance == expected
    assert (vote(scored) >= 0) == (expected == "support")


def test_target_official_also_and_counts():
    items = [_s(0.8, 0.9, official="Clayton Yeutter", also=("autos",)), _s(0.6, 0.8, owners=("JP",)), _s(0.2, 0.1)]
    stance = pair_stance(items, min_stance_probability=0.4)
    # supporting Japan's measure targets Japan; supporting one's own (no owner) targets oneself
    assert (stance.stance, stance.official, stance.also) == ("support", "Clayton Yeutter", ("autos",))
    assert stance.target == "US"  # one statement each way: the surer statement's target wins the tie
    assert pair_stance([*items, _s(0.5, 0.7, owners=("JP",))], min_stance_probability=0.4).target == "JP"
    assert (stance.support, stance.oppose) == (2, 0)
    weak = pair_stance([_s(0.2, 0.1), _s(0.3, 0.2)], min_stance_probability=0.4)
    assert (weak.support, weak.oppose) == (0, 1)  # no statement takes a stance alone: the best one counts


def test_pairs_group_by_actor_and_issue():
    groups = group_pairs([_s(0.5, 0.5), _s(0.5, 0.5, actor="JP"), _s(0.5, 0.5, issue="currency"), _s(0.1, 0.5)])
    assert list(groups) == [("US", "tariffs"), ("JP", "tariffs"), ("US", "currency")]
    assert len(groups[("US", "tariffs")]) == 2


def test_issue_words_join_distinct_words_to_the_issue():
    items = [_s(0.5, 0.5, issue="negotiations", masked="zzactor held talks with zzother"), _s(0.5, 0.5, issue="negotiations", masked="Talks, TALKS on 3 dates")]
    assert issue_words(items) == "negotiations__dates negotiations__held negotiations__talks negotiations__with"


@pytest.fixture(scope="module")
def gate():
    """A gate fitted on hand-made pairs: sure, repeated statements rejecting a plan are stances, lone unsure reports are not."""
    positive = [[_s(0.8 + d, 0.7), _s(0.6, 0.8)] for d in (0.0, 0.05, 0.1, 0.15)]
    negative = [[_s(0.1 + d, 0.5, issue_rank=2, masked="zzactor reported figures")] for d in (0.0, 0.05, 0.1, 0.15)]
    pairs = positive + negative
    return fit_pair_gate([pair_features(p) for p in pairs], [issue_words(p) for p in pairs], [1] * 4 + [0] * 4, [0, 1, 0, 1] * 2,
                         ModelParams(issue_words_C=10.0))


def test_gate_reads_pair_features_and_the_issue_word_probability(gate):
    assert isinstance(gate, PairGate) and gate.model.n_features_in_ == len(PAIR_FEATURES) + 1
    assert gate_inputs([[0.1, 0.2]], [0.7]) == [[0.1, 0.2, 0.7]]
    words = dict(zip(gate.words.named_steps["words"].get_feature_names_out(), gate.words.named_steps["classifier"].coef_[0]))
    assert words["tariffs__rejected"] > 0 > words["tariffs__reported"]


def test_gate_admits_clear_pairs_only(gate):
    scored = [_s(0.85, 0.8), _s(0.7, 0.7), _s(0.12, 0.5, actor="JP", issue_rank=2, masked="zzactor reported figures")]
    stances = gate_pairs(gate, scored, min_pair_probability=0.5, min_stance_probability=0.4)
    assert [(s.actor, s.issue, s.stance) for s in stances] == [("US", "tariffs", "support")]
    assert gate_pairs(gate, [], min_pair_probability=0.5, min_stance_probability=0.4) == ()
    assert gate_pairs(gate, scored, min_pair_probability=1.0, min_stance_probability=0.4) == ()


def test_one_gate_call_per_batch_equals_one_per_document(gate):
    docs = [[_s(0.85, 0.8), _s(0.12, 0.5, actor="JP", issue_rank=2, masked="zzactor reported figures")], [],
            [_s(0.9, 0.2, actor="CA"), _s(0.7, 0.3, actor="CA")]]
    batch = gate_documents(gate, docs, min_pair_probability=0.5, min_stance_probability=0.4)
    assert batch == [gate_pairs(gate, d, min_pair_probability=0.5, min_stance_probability=0.4) for d in docs]
    assert [[(s.actor, s.stance) for s in doc] for doc in batch] == [[("US", "support")], [], [("CA", "oppose")]]


@pytest.mark.parametrize("gold,issue,also,matches", [
    (AnnStance("US", None, "tariffs", "support", None), "tariffs", (), True),
    (AnnStance("US", None, "rules_of_origin", "oppose", "CA", ("autos",)), "autos", (), True),  # the gold's also
    (AnnStance("US", None, "autos", "oppose", None), "rules_of_origin", ("autos",), True),  # the candidate's also
    (AnnStance("JP", None, "tariffs", "support", None), "tariffs", (), False),
    (AnnStance("US", None, "currency", "support", None), "tariffs", ("autos",), False),
])
def test_gold_entries_match_on_actor_and_issue(gold, issue, also, matches):
    assert bool(gold_entries([gold], _s(0.5, 0.5, issue=issue, also=also).candidate)) is matches
