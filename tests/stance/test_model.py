"""The skops model file: round trip with the allow-list, and refusal of corrupt or foreign files."""

from __future__ import annotations

import pickle

import pytest
import skops.io

from pipeline.errors import ModelError
from pipeline.stance.classify import StanceClassifier, load_classifier
from pipeline.stance.features import read_cues
from pipeline.stance.model import FittedStance, ModelParams, build_model, read_model, save_model
from pipeline.stance.statements import Candidate
from pipeline.types import Statement

TEXTS = [("Japan rejected the plan.", "oppose"), ("Japan welcomed the plan.", "support"), ("Japan reported figures.", "none")] * 4


def _candidates():
    """Tiny hand-made candidates with labels."""
    out = []
    for text, label in TEXTS:
        s = Statement(0, len(text), text, "JP", "tariffs", context="Talks went on. Officials met.")
        out.append((Candidate(s, (), text.replace("Japan", " zzactor "), "subject", (), ()), label))
    return out


@pytest.fixture(scope="module")
def fitted():
    """A pipeline fitted on the tiny data (min_df 1 so the vocabulary is not empty)."""
    from pipeline.stance.features import feature_frame

    lexicon = read_cues()
    model = build_model(ModelParams(classifier="logreg"))
    model.set_params(features__words__min_df=1, features__chars__min_df=1, features__window__min_df=1, features__context__min_df=1)
    data = _candidates()
    model.fit(feature_frame([c for c, _ in data], lexicon), [y for _, y in data])
    return model


def test_round_trip_predicts_the_same(tmp_path, fitted):
    path = tmp_path / "stance.skops"
    save_model(path, model=FittedStance(fitted), info={"min_stance_probability": 0.4, "majority": "support"})
    classifier = load_classifier(path)
    assert isinstance(classifier, StanceClassifier) and classifier.majority == "support"
    candidates = [c for c, _ in _candidates()[:3]]
    original = StanceClassifier(pipeline=fitted, info={"min_stance_probability": 0.4}, lexicon=read_cues())
    assert [p.stance for p in classifier.predict(candidates)] == [p.stance for p in original.predict(candidates)]
    assert all(0.0 <= p.probability <= 1.0 for p in classifier.predict(candidates))


@pytest.mark.parametrize("two_stage", [False, True])
def test_fitted_model_of_either_kind_round_trips(tmp_path, two_stage):
    from pipeline.stance.train import Example, fit_model

    examples = [Example(c, y, f"d{i}", "annotated") for i, (c, y) in enumerate(_candidates())]
    fitted = fit_model(examples, ModelParams(classifier="logreg", C=10.0, two_stage=two_stage), read_cues())
    assert (fitted.polarity is not None) == two_stage
    path = tmp_path / "stance.skops"
    save_model(path, model=fitted, info={"min_stance_probability": 0.5})
    loaded = load_classifier(path)
    candidates = [c for c, _ in _candidates()[:3]]
    predictions = loaded.predict(candidates)
    original = StanceClassifier(pipeline=fitted.pipeline, polarity=fitted.polarity, info={"min_stance_probability": 0.5}, lexicon=read_cues())
    assert predictions == original.predict(candidates)
    assert [p.stance for p in predictions] == ["oppose", "support", "none"]


def test_pair_gate_round_trips_and_decides_document_stances(tmp_path):
    import dataclasses

    from pipeline.errors import ModelError
    from pipeline.stance.classify import document_stances
    from pipeline.stance.pairs import GATE_INPUTS, Scored, gate_probabilities, issue_words, pair_features
    from pipeline.stance.train import Example, fit_model, fit_pair_gate

    examples = [Example(c, y, f"d{i}", "annotated") for i, (c, y) in enumerate(_candidates())]
    fitted = fit_model(examples, ModelParams(classifier="logreg", C=10.0), read_cues())
    pairs = [[Scored(c, p, 0.9)] for c, p in zip([c for c, _ in _candidates()[:6]], (0.9, 0.8, 0.7, 0.2, 0.1, 0.05))]
    gate = fit_pair_gate([pair_features(p) for p in pairs], [issue_words(p) for p in pairs], [1, 1, 1, 0, 0, 0], [0, 1, 2] * 2, ModelParams())
    path = tmp_path / "stance.skops"
    info = {"min_stance_probability": 0.5, "min_pair_probability": 0.5, "gate_inputs": list(GATE_INPUTS)}
    save_model(path, model=dataclasses.replace(fitted, gate=gate), info=info)
    loaded = load_classifier(path)
    assert loaded.gate is not None and loaded.min_pair_probability == 0.5
    assert gate_probabilities(loaded.gate, pairs) == gate_probabilities(gate, pairs)
    candidates = [c for c, _ in _candidates()[:3]]
    predictions = loaded.predict(candidates)
    stances = document_stances(loaded, candidates, predictions, [])
    # the three candidates are one (JP, tariffs) pair: the gate admits it and the statements' vote gives its direction
    assert [(s.actor, s.issue) for s in stances] == [("JP", "tariffs")]
    strict = dataclasses.replace(loaded, info={**loaded.info, "min_pair_probability": 1.0})
    assert document_stances(strict, candidates, predictions, []) == ()
    save_model(path, model=dataclasses.replace(fitted, gate=gate), info={**info, "gate_inputs": ["top_p"]})
    with pytest.raises(ModelError, match="retrain"):
        load_classifier(path)  # a gate that reads other inputs than this version computes


def test_missing_model_gives_none(tmp_path):
    assert load_classifier(tmp_path / "absent.skops") is None


@pytest.mark.parametrize("content", [b"not a zip file at all", pickle.dumps({"format": "tradestance-stance/1"})])
def test_corrupt_file_is_refused_naming_it(tmp_path, content):
    path = tmp_path / "bad.skops"
    path.write_bytes(content)
    with pytest.raises(ModelError, match="bad.skops"):
        read_model(path)


def test_foreign_types_are_refused_unexecuted(tmp_path):
    from sklearn.tree import DecisionTreeClassifier

    path = tmp_path / "foreign.skops"
    skops.io.dump({"format": "tradestance-stance/1", "pipeline": DecisionTreeClassifier()}, path)
    with pytest.raises(ModelError, match="allow-list.*DecisionTreeClassifier"):
        read_model(path)


def test_skops_file_of_another_kind_is_refused(tmp_path):
    path = tmp_path / "other.skops"
    skops.io.dump({"weights": [1, 2, 3]}, path)
    with pytest.raises(ModelError, match="not a tradestance stance model"):
        read_model(path)


def test_distinct_text_transform_equals_the_column_transformer(fitted):
    from pipeline.stance.features import feature_frame
    from pipeline.stance.model import transform_features

    frame = feature_frame([c for c, _ in _candidates()], read_cues())  # every text appears four times
    features = fitted.named_steps["features"]
    expected = features.transform(frame)
    got = transform_features(features, frame)
    assert got.shape == expected.shape and abs(got - expected).max() == 0
