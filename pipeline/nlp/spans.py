"""Range lookups over mentions sorted by start offset, so components stay linear on long texts."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Generic, Sequence, TypeVar

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ByStart(Generic[T]):
    """Mentions (anything with a ``start``) sorted by start, with bisect range queries."""

    items: tuple[T, ...]
    starts: tuple[int, ...]

    @classmethod
    def of(cls, mentions: Sequence[T]) -> ByStart[T]:
        """Index mentions by their start offset."""
        items = tuple(sorted(mentions, key=lambda m: m.start))
        return cls(items, tuple(m.start for m in items))

    def __iter__(self):
        """Iterate over the mentions in text order."""
        return iter(self.items)

    def __len__(self) -> int:
        """Return the number of mentions."""
        return len(self.items)

    def within(self, lo: int, hi: int) -> tuple[T, ...]:
        """Return the mentions starting in [lo, hi), in text order."""
        return self.items[bisect.bisect_left(self.starts, lo):bisect.bisect_left(self.starts, hi)]

    def before(self, char: int) -> tuple[T, ...]:
        """Return the mentions starting before a character offset, in text order."""
        return self.items[:bisect.bisect_left(self.starts, char)]


TEXT_KEY = "ts_text"


def doc_text(doc) -> str:
    """Return a Doc's text, built once: spaCy joins every token again on each ``doc.text``."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text
