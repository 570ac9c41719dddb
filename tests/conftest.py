"""Shared fixtures: paths to ../shared (tests needing it skip cleanly), one spaCy pipeline per session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = (ROOT.parent / "shared" / "corpora").resolve()
SPEC = (ROOT.parent / "shared" / "spec").resolve()
SAMPLE = ROOT / "corpora" / "sample" / "documents.jsonl"


def shared_path(*parts: str) -> Path:
    """Return a path under ../shared/corpora, skipping the test when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared is not available here)")
    return path


def spec_path(*parts: str) -> Path:
    """Return a path under ../shared/spec, skipping the test when it is absent."""
    path = SPEC.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared is not available here)")
    return path


@pytest.fixture(scope="session")
def nlp():
    """The full tradestance spaCy pipeline, loaded once."""
    from pipeline.nlp.pipeline import build_nlp

    return build_nlp()


@pytest.fixture(scope="session")
def analyzer():
    """One Analyzer (spaCy pipeline plus stance model) shared by the session."""
    from pipeline.analyze import Analyzer
    from pipeline.config import Settings

    return Analyzer(settings=Settings())
