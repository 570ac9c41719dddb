"""Custom Doc attributes the tradestance components fill; registered once, idempotently."""

from __future__ import annotations

from spacy.tokens import Doc

DOC_ATTRS = ("ts_countries", "ts_officials", "ts_issues", "ts_thresholds", "ts_quotes", "ts_published", "ts_issue_scores")


def register_extensions() -> None:
    """Register the Doc extensions used by the components (safe to call repeatedly)."""
    for name in DOC_ATTRS:
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
