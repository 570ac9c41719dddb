"""The stance model: a scikit-learn pipeline over feature rows, saved and loaded with skops only."""

from __future__ import annotations

import json
import logging
import zipfile
from dataclasses import dataclass, field, fields
from pathlib import Path

from pipeline.errors import ConfigError, ModelError

log = logging.getLogger(__name__)

MODEL_FORMAT = "tradestance-stance/1"
# Every type a tradestance stance model file may contain; anything else is refused unexecuted.
TRUSTED_TYPES = (
    "builtins.dict", "builtins.list", "builtins.tuple", "builtins.str", "builtins.int", "builtins.float",
    "builtins.slice", "builtins.type",
    "numpy.dtype", "numpy.ndarray", "numpy.float64", "numpy.int64", "numpy.int32", "numpy.str_",
    "numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct",
    "scipy.sparse._csr.csr_matrix", "scipy.sparse._csr.csr_array",
    "sklearn.pipeline.Pipeline", "sklearn.compose._column_transformer.ColumnTransformer",
    "sklearn.feature_extraction.text.TfidfVectorizer", "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.feature_extraction._dict_vectorizer.DictVectorizer",
    "sklearn.linear_model._logistic.LogisticRegression",
    "sklearn.calibration.CalibratedClassifierCV", "sklearn.calibration._CalibratedClassifier",
    "sklearn.calibration._SigmoidCalibration", "sklearn.svm._classes.LinearSVC",
    "sklearn.utils._bunch.Bunch", "collections.OrderedDict", "collections.defaultdict",
)


@dataclass(frozen=True, slots=True)
class ModelParams:
    """Model settings (the `stance:` section of params.yaml)."""

    C: float = 0.5
    classifier: str = "svm"  # logreg | svm (LinearSVC calibrated with CalibratedClassifierCV)
    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] = (3, 5)
    max_word_features: int = 4000
    max_char_features: int = 4000
    max_window_features: int = 1500
    max_context_features: int = 2000
    weights: dict[str, float] = field(default_factory=lambda: {"words": 1.0, "chars": 1.0, "window": 1.0, "context": 0.5, "flags": 1.0})
    min_stance_probability: float = 0.5  # p(support) + p(oppose) a statement needs to take a stance
    min_top_probability: float = 0.0
    split_targets: bool = True
    neighbour_reach: int = 100  # a sentence with an actor but no issue takes the issues of a tagged sentence this close (chars)
    stance_roles: tuple[str, ...] = ("speaker", "author", "subject")  # roles whose statements make document stances
    class_weight: str | None = "balanced"
    two_stage: bool = True  # a none-vs-stance detector plus a support-vs-oppose model (else one three-class model)
    pair_gate: bool = True  # learn which (actor, issue) pairs are document stances from document-level gold
    min_pair_probability: float = 0.45  # gate probability a pair needs to be a document stance
    pair_C: float = 1.0  # regularisation of the gate's logistic regression
    issue_words_C: float = 10.0  # regularisation of the issue-word model that feeds the gate
    reconcile_labels: bool = True  # a pair the document gold has but no statement label does: its statements take the gold stance
    distant_polarity: bool = True  # the polarity model also learns from statements of document-gold pairs
    cv_folds: int = 5
    seed: int = 13


def read_params(path: Path | None) -> ModelParams:
    """Read the `stance:` section of a params.yaml (defaults when no file); unknown keys are an error."""
    if path is None:
        return ModelParams()
    import yaml

    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except FileNotFoundError as e:
        raise ConfigError(f"{path}: params file not found; pass an existing file to --params") from e
    except yaml.YAMLError as e:
        raise ConfigError(f"{path}: invalid YAML: {e}") from e
    section = data.get("stance") or {}
    known = {f.name for f in fields(ModelParams)}
    unknown = sorted(set(section) - known)
    if unknown:
        raise ConfigError(f"{path}: unknown stance setting(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in section.items()}
    return ModelParams(**values)


@dataclass(frozen=True, slots=True)
class FittedStance:
    """A fitted model: the pipeline (three-class, or the stance detector) and the optional polarity classifier.

    The polarity classifier reads the pipeline's feature matrix, so the features are built once.
    """

    pipeline: object
    polarity: object | None = None
    gate: object | None = None  # the pair gate (pairs.PairGate): a logistic regression and its issue-word model

    @property
    def classes(self) -> list[str]:
        """Return the stance labels the model predicts."""
        if self.polarity is None:
            return [str(c) for c in self.pipeline.classes_]
        return ["none", *(str(c) for c in self.polarity.classes_)]


def build_classifier(params: ModelParams):
    """Return an unfitted classifier of the configured kind."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import LinearSVC

    if params.classifier == "svm":
        return CalibratedClassifierCV(LinearSVC(C=params.C, class_weight=params.class_weight), cv=3)
    if params.classifier == "logreg":
        return LogisticRegression(C=params.C, class_weight=params.class_weight, max_iter=3000)
    raise ModelError(f"params: stance.classifier must be 'logreg' or 'svm', not {params.classifier!r}")


def build_model(params: ModelParams):
    """Return an unfitted scikit-learn pipeline for feature frames (see features.FEATURE_COLUMNS)."""
    from sklearn.compose import ColumnTransformer
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import Pipeline

    split = r"\S+"  # the feature builder already tokenised the text
    columns = ColumnTransformer(
        [
            ("words", TfidfVectorizer(token_pattern=split, ngram_range=tuple(params.word_ngrams), min_df=2, sublinear_tf=True, max_features=params.max_word_features), "masked"),
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=tuple(params.char_ngrams), min_df=3, sublinear_tf=True, max_features=params.max_char_features), "masked"),
            ("window", TfidfVectorizer(token_pattern=split, ngram_range=(1, 2), min_df=2, max_features=params.max_window_features), "window"),
            ("context", TfidfVectorizer(token_pattern=split, min_df=2, sublinear_tf=True, max_features=params.max_context_features), "context"),
            ("flags", DictVectorizer(), "flags"),
        ],
        transformer_weights=dict(params.weights),
    )
    return Pipeline([("features", columns), ("classifier", build_classifier(params))])


def transform_features(features, frame):
    """Return what the fitted ColumnTransformer gives for the frame, vectorizing each text column's distinct values once.

    Statements of one sentence share their context, and one actor's statements on several issues
    share their masked text; the TF-IDF analysers (character n-grams above all) are most of the
    stance time, so repeated texts are analysed once.
    """
    import numpy as np
    import scipy.sparse as sp
    from sklearn.feature_extraction.text import TfidfVectorizer

    weights = features.transformer_weights or {}
    blocks = []
    for name, transformer, column in features.transformers_:
        if isinstance(transformer, str):  # "drop" (the remainder) or "passthrough", which the model does not use
            continue
        values = frame[column]
        if isinstance(transformer, TfidfVectorizer):
            distinct, inverse = np.unique(values.to_numpy(dtype=object), return_inverse=True)
            block = transformer.transform(distinct)[inverse]
        else:
            block = transformer.transform(values)
        blocks.append(block * weights[name] if name in weights else block)
    return sp.hstack(blocks, format="csr")


def save_model(path: Path, *, model: FittedStance, info: dict) -> None:
    """Write the fitted model and its info (settings, classes, majority label) with skops."""
    import skops.io

    path.parent.mkdir(parents=True, exist_ok=True)
    content = {"format": MODEL_FORMAT, "pipeline": model.pipeline, "info": info}
    if model.polarity is not None:
        content["polarity"] = model.polarity
    if model.gate is not None:
        content["gate"], content["gate_words"] = model.gate.model, model.gate.words
    # Vocabularies are stored as JSON inside the zip; deflate keeps the committed file a few MB.
    skops.io.dump(content, path, compression=zipfile.ZIP_DEFLATED, compresslevel=9)


def file_types(path: Path) -> set[str]:
    """Return every type and function named anywhere in a skops file's schema (read as JSON, nothing executed)."""
    with zipfile.ZipFile(path) as archive:
        schema = json.loads(archive.read("schema.json"))
    found: set[str] = set()
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if "__module__" in node and "__class__" in node:
                found.add(f"{node['__module__']}.{node['__class__']}")
            if "module_path" in node and "function" in node:
                found.add(f"{node['module_path']}.{node['function']}")
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def read_model(path: Path) -> dict:
    """Load a model file with skops, refusing any type outside TRUSTED_TYPES (never executed)."""
    import skops.io

    path = Path(path)
    try:
        types = file_types(path)
        foreign = sorted(types - set(TRUSTED_TYPES))
        if foreign:
            raise ModelError(f"{path}: refusing to load: it contains types outside the allow-list ({', '.join(foreign[:5])}); retrain with `tradestance train`")
        loaded = skops.io.load(path, trusted=sorted(set(skops.io.get_untrusted_types(file=path)) & set(TRUSTED_TYPES)))
    except ModelError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, AttributeError, ImportError) as e:
        raise ModelError(f"{path}: not a readable skops model file ({e.__class__.__name__}: {e}); retrain with `tradestance train`") from e
    if not isinstance(loaded, dict) or loaded.get("format") != MODEL_FORMAT:
        raise ModelError(f"{path}: a skops file but not a tradestance stance model (format {MODEL_FORMAT!r} expected); retrain with `tradestance train`")
    return loaded
