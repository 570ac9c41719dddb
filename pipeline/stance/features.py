"""Features of a candidate statement: masked clause text, the actor's word window, context and cue counts."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline.config import DATA_DIR
from pipeline.errors import ConfigError
from pipeline.nlp.data import read_tsv
from pipeline.stance.statements import ACTOR_MARK, OTHER_MARK, Candidate

CUES_FILE = DATA_DIR / "stance_cues.tsv"
CUE_KINDS = ("support", "oppose", "negation", "proposal", "intensity")
TOKEN = re.compile(r"n't|[a-z]+(?:[-'][a-z]+)*|\d+(?:[.,]\d+)?")
NEGATION_REACH = 3  # a negation flips a cue at most this many tokens later
WINDOW_AFTER = 6
WINDOW_BEFORE = 3
FEATURE_COLUMNS = ("masked", "window", "context", "flags")


@dataclass(frozen=True, slots=True)
class Cue:
    """One lexicon entry: its tokens, whether the last token matches as a prefix, and its kind."""

    tokens: tuple[str, ...]
    prefix: bool
    kind: str


@dataclass(frozen=True, slots=True, eq=False)
class CueLexicon:
    """All cues, and the proposal nouns used to find a measure's owner.

    Compared and hashed by identity: it keys the cue caches, and hashing its thousands of cues on
    every lookup cost more than the matching itself (read_cues returns one instance per file).
    """

    cues: tuple[Cue, ...]

    @property
    def proposal_nouns(self) -> frozenset[str]:
        """Return the proposal cue stems (used for possessive owners)."""
        return frozenset(" ".join(c.tokens) for c in self.cues if c.kind == "proposal")


@dataclass(frozen=True, slots=True)
class CueCounts:
    """Cue hits in a token list; negated cues count for the opposite side."""

    support: int = 0
    oppose: int = 0
    negated: int = 0
    intensity: int = 0

    @property
    def polarity(self) -> int:
        """Return +1 (support), -1 (oppose) or 0 from the counts."""
        return (self.support > self.oppose) - (self.oppose > self.support)


@lru_cache(maxsize=4)
def read_cues(path: Path = CUES_FILE) -> CueLexicon:
    """Read the cue lexicon data file, checking the kinds."""
    cues = []
    for row in read_tsv(path):
        if row["kind"] not in CUE_KINDS:
            raise ConfigError(f"{path}: cue {row['cue']!r} has unknown kind {row['kind']!r}; kinds: {', '.join(CUE_KINDS)}")
        cues.append(Cue(tuple(tokens(row["cue"])), row["match"] == "prefix", row["kind"]))
    return CueLexicon(tuple(cues))


def tokens(text: str) -> list[str]:
    """Return lower-case word tokens (with n't split off)."""
    return TOKEN.findall(text.lower().replace("n't", " n't"))


def _matches(words: Sequence[str], i: int, cue: Cue) -> bool:
    """Tell whether the cue starts at position i."""
    n = len(cue.tokens)
    if i + n > len(words):
        return False
    head_ok = all(words[i + k] == cue.tokens[k] for k in range(n - 1))
    last = words[i + n - 1]
    return head_ok and (last.startswith(cue.tokens[-1]) if cue.prefix else last == cue.tokens[-1])


@dataclass(frozen=True, slots=True)
class CueIndex:
    """Cues by first token, and one-token prefix cues by prefix length, each with its lexicon order."""

    exact: dict[str, tuple[tuple[int, Cue], ...]]
    prefixes: dict[int, dict[str, tuple[tuple[int, Cue], ...]]]


@lru_cache(maxsize=8)
def cue_index(lexicon: CueLexicon) -> CueIndex:
    """Index a lexicon so matching is linear in the words, not words times cues."""
    exact: dict[str, list] = defaultdict(list)
    prefixes: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for order, cue in enumerate(lexicon.cues):
        if len(cue.tokens) == 1 and cue.prefix:
            prefixes[len(cue.tokens[0])][cue.tokens[0]].append((order, cue))
        else:
            exact[cue.tokens[0]].append((order, cue))
    return CueIndex({k: tuple(v) for k, v in exact.items()}, {n: {k: tuple(v) for k, v in d.items()} for n, d in prefixes.items()})


def cue_kinds(words: Sequence[str], lexicon: CueLexicon) -> list[tuple[int, str]]:
    """Return (position, kind) of every cue hit, in word order and lexicon order."""
    index = cue_index(lexicon)
    out = []
    for i, word in enumerate(words):
        found = list(index.exact.get(word, ()))
        for n, table in index.prefixes.items():
            if len(word) >= n:
                found.extend(table.get(word[:n], ()))
        found.sort(key=lambda x: x[0])
        out.extend((i, cue.kind) for _, cue in found if _matches(words, i, cue))
    return out


def count_cues(words: Sequence[str], lexicon: CueLexicon) -> CueCounts:
    """Count support and oppose cues, flipping those that follow a negation closely."""
    return _count_cues(tuple(words), lexicon)


@lru_cache(maxsize=8192)
def _count_cues(words: tuple[str, ...], lexicon: CueLexicon) -> CueCounts:
    """Count cues of a word tuple (cached: one sentence feeds several actors' candidates and contexts)."""
    hits = cue_kinds(words, lexicon)
    negations = [i for i, k in hits if k == "negation"]
    counts = {"support": 0, "oppose": 0, "negated": 0, "intensity": 0}
    seen: set[int] = set()
    for i, kind in hits:
        if kind not in ("support", "oppose", "intensity") or (i, kind) in seen:
            continue
        seen.add((i, kind))
        if kind == "intensity":
            counts["intensity"] += 1
            continue
        if any(0 < i - n <= NEGATION_REACH for n in negations):
            counts["negated"] += 1
            kind = "oppose" if kind == "support" else "support"
        counts[kind] += 1
    return CueCounts(**counts)


def lexicon_polarity(text: str, lexicon: CueLexicon) -> int:
    """Return the lexicon-only stance of a text: +1, -1 or 0 (the lexicon baseline)."""
    return count_cues(tokens(text), lexicon).polarity


def actor_window(words: Sequence[str]) -> list[str]:
    """Return the words around the actor's first mention, tagged by side (the start when absent)."""
    if ACTOR_MARK not in words:
        return [f"s_{w}" for w in words[:WINDOW_AFTER]]
    i = words.index(ACTOR_MARK)
    return [f"b_{w}" for w in words[max(0, i - WINDOW_BEFORE):i]] + [f"a_{w}" for w in words[i + 1:i + 1 + WINDOW_AFTER]]


def flags(candidate: Candidate, words: Sequence[str], window: Sequence[str], context: Sequence[str], lexicon: CueLexicon) -> dict[str, float]:
    """Return the dense features: role, cue counts (clause, actor window, context), ownership, kind, issue."""
    statement = candidate.statement
    clause = count_cues(words, lexicon)
    near = count_cues([w[2:] for w in window], lexicon)
    ctx = count_cues(context, lexicon)
    out = {
        f"role={candidate.role}": 1.0,
        f"kind={candidate.kind}": 1.0,
        f"issue={statement.issue}": 1.0,
        "cue_support": min(clause.support, 3) / 3, "cue_oppose": min(clause.oppose, 3) / 3,
        "cue_negated": min(clause.negated, 2) / 2, "cue_polarity": float(clause.polarity),
        "win_support": float(near.support > 0), "win_oppose": float(near.oppose > 0),
        "ctx_polarity": float(ctx.polarity),
        "owner_self": float(statement.actor in candidate.owners),
        "owner_other": float(any(o != statement.actor for o in candidate.owners)),
        "n_others": min(len(candidate.others), 3) / 3,
        "actor_in_text": float(ACTOR_MARK in words),
        "quote": float(candidate.role == "speaker"),
        f"issue_rank={min(candidate.issue_rank, 2)}": 1.0,
        f"actor_rank={min(candidate.actor_rank, 2)}": 1.0,
    }
    # Whose measure it is flips what the cues mean ("welcomes" one's own plan, "rejects" another's),
    # which a linear model only sees through explicit conjunctions.
    own = "self" if statement.actor in candidate.owners else "other" if out["owner_other"] else "none"
    out[f"own={own}|polarity={clause.polarity}"] = 1.0
    out[f"own={own}|issue={statement.issue}"] = 1.0
    out[f"role={candidate.role}|polarity={clause.polarity}"] = 1.0
    # A document's main issue and main actor carry most of its clear positions; side issues are often mere mentions.
    out[f"issue_rank={min(candidate.issue_rank, 2)}|role={candidate.role}"] = 1.0
    return out


def statement_features(candidate: Candidate, lexicon: CueLexicon) -> dict:
    """Return one feature row (the columns the model's ColumnTransformer reads)."""
    words = tokens(candidate.masked)
    window = actor_window(words)
    context = [w for w in tokens(candidate.statement.context) if w not in (ACTOR_MARK, OTHER_MARK)]
    return {
        "masked": " ".join(words),
        "window": " ".join(window),
        "context": " ".join(context),
        "flags": flags(candidate, words, window, context, lexicon),
    }


def feature_frame(candidates: Sequence[Candidate], lexicon: CueLexicon):
    """Return a pandas DataFrame of feature rows, one per candidate."""
    import pandas as pd

    return pd.DataFrame([statement_features(c, lexicon) for c in candidates], columns=list(FEATURE_COLUMNS))
