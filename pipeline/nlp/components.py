"""Import every tradestance component module so their spaCy factories are registered."""

from pipeline.nlp import countries, issues, officials, quotes, thresholds  # noqa: F401
