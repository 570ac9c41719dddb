"""Near-duplicate detection: MinHash signatures in an LSH index link wire copies as one story."""

from __future__ import annotations

import re
from dataclasses import dataclass

from datasketch import MinHash, MinHashLSH

NUM_PERM = 64
SHINGLE_WORDS = 5
THRESHOLD = 0.7  # estimated Jaccard similarity of word 5-shingles above which two texts are one story
WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Signature:
    """A document's MinHash signature and the story it belongs to."""

    doc_id: str
    story_id: str
    hashvalues: tuple[int, ...]


def minhash_values(text: str, *, num_perm: int = NUM_PERM) -> tuple[int, ...]:
    """Return the MinHash values of a text's lower-cased word 5-shingles."""
    words = WORD.findall(text.lower())
    grams = {" ".join(words[i:i + SHINGLE_WORDS]) for i in range(max(1, len(words) - SHINGLE_WORDS + 1))}
    sketch = MinHash(num_perm=num_perm, seed=1)
    sketch.update_batch([g.encode("utf-8") for g in grams if g])
    return tuple(int(v) for v in sketch.hashvalues)


class StoryIndex:
    """An LSH index over known signatures; assigns each new text the story of its nearest copy."""

    def __init__(self, signatures: tuple[Signature, ...] = (), *, threshold: float = THRESHOLD) -> None:
        """Index the signatures already stored."""
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._stories: dict[str, str] = {}
        for signature in signatures:
            self._insert(signature)

    def _insert(self, signature: Signature) -> None:
        """Add one signature to the index."""
        if signature.doc_id in self._stories:
            self._lsh.remove(signature.doc_id)
        self._lsh.insert(signature.doc_id, MinHash(num_perm=NUM_PERM, seed=1, hashvalues=list(signature.hashvalues)))
        self._stories[signature.doc_id] = signature.story_id

    def assign(self, doc_id: str, text: str) -> Signature:
        """Return the document's signature with its story id (its own id when it matches nothing), and index it."""
        values = minhash_values(text)
        if doc_id in self._stories:
            story = self._stories[doc_id]
        else:
            matches = sorted(m for m in self._lsh.query(MinHash(num_perm=NUM_PERM, seed=1, hashvalues=list(values))) if m != doc_id)
            story = min((self._stories[m] for m in matches), default=doc_id)
        signature = Signature(doc_id=doc_id, story_id=story, hashvalues=values)
        self._insert(signature)
        return signature
