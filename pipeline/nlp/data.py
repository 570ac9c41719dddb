"""Read the versioned dictionaries under ``pipeline/data`` into frozen records."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from pipeline.config import DATA_DIR
from pipeline.errors import ConfigError, InputError
from pipeline.io.jsonl import read_json_lines


def read_tsv(path: Path) -> Iterator[dict[str, str]]:
    """Yield rows of a TSV data file as dicts, skipping '#' comment lines."""
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            lines = (line for line in fh if line.strip() and not line.startswith("#"))
            for row in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
                yield {k: (v or "").strip() for k, v in row.items() if k is not None}
    except FileNotFoundError as e:
        raise ConfigError(f"{path}: data file missing; reinstall tradestance or restore it from git") from e


def read_jsonl_data(path: Path) -> Iterator[dict]:
    """Yield objects of a JSONL data file ('//' lines are comments), naming the line on any error."""
    try:
        for _lineno, record in read_json_lines(path, comment="//"):
            yield record
    except InputError as e:
        raise ConfigError(f"{e}; fix the data file or restore it from git") from e


def parse_partial_date(text: str, *, end: bool = False) -> date | None:
    """Parse YYYY, YYYY-MM or YYYY-MM-DD; partial dates extend to the period's start or end."""
    if not text:
        return None
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 3:
        return date(*parts)
    if len(parts) == 2:
        if not end:
            return date(parts[0], parts[1], 1)
        return _month_end(parts[0], parts[1])
    return date(parts[0], 12, 31) if end else date(parts[0], 1, 1)


def _month_end(year: int, month: int) -> date:
    """Return the last day of a month."""
    nxt = date(year + month // 12, month % 12 + 1, 1)
    return date.fromordinal(nxt.toordinal() - 1)


@dataclass(frozen=True, slots=True)
class Successor:
    """A historical actor code replaced by another from a date on."""

    code: str
    successor: str
    start: date


@lru_cache(maxsize=4)
def read_successors(path: Path = DATA_DIR / "country_successors.tsv") -> tuple[Successor, ...]:
    """Return the historical-code succession table."""
    return tuple(Successor(r["code"], r["successor"], date.fromisoformat(r["from"])) for r in read_tsv(path))


def modern_code(code: str, when: date | None, successors: tuple[Successor, ...]) -> str:
    """Map a historical code to its successor for documents dated on or after the change."""
    if when is None:
        return code
    for s in successors:
        if s.code == code and when >= s.start:
            return s.successor
    return code


@dataclass(frozen=True, slots=True)
class Predecessor:
    """A modern actor code that news before a date used for an earlier state ("Russian" in 1987 is SU)."""

    code: str
    predecessor: str
    until: date


@lru_cache(maxsize=4)
def read_predecessors(path: Path = DATA_DIR / "country_predecessors.tsv") -> tuple[Predecessor, ...]:
    """Return the predecessor table (modern code -> historical code before a date)."""
    return tuple(Predecessor(r["code"], r["predecessor"], date.fromisoformat(r["until"])) for r in read_tsv(path))


def older_code(code: str, when: date | None, predecessors: tuple[Predecessor, ...]) -> str:
    """Map a modern code to its predecessor for documents dated before the change."""
    if when is None:
        return code
    for p in predecessors:
        if p.code == code and when < p.until:
            return p.predecessor
    return code
