"""The default executor: the in-process Analyzer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from pipeline.analyze import Analyzer
from pipeline.config import Settings
from pipeline.types import Document, Extraction


@dataclass(slots=True)
class LocalExecutor:
    """Runs the analysis in this process; the model is loaded on first use."""

    settings: Settings
    _analyzer: Analyzer | None = field(default=None, repr=False)

    def __enter__(self) -> LocalExecutor:
        """Create the in-process analyzer."""
        self._analyzer = Analyzer(settings=self.settings)
        return self

    def __exit__(self, *exc) -> None:
        """Drop the analyzer (and its model) when done."""
        self._analyzer = None

    def __call__(self, documents: Sequence[Document]) -> dict[str, Extraction]:
        """Analyze documents in this process."""
        if self._analyzer is None:
            raise RuntimeError("use the executor inside a `with` block")
        return self._analyzer(documents)
