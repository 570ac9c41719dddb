"""Turn extractions into column-oriented rows (Arrow tables) for the store; pure functions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pyarrow as pa

from pipeline.types import Extraction


@dataclass(frozen=True, slots=True)
class TableSpec:
    """How one extraction field maps to one table: source attribute and columns."""

    table: str
    columns: tuple[str, ...]


# Columns after (doc_id, revision); names equal the record attributes, except where noted.
MENTION_TABLES = {
    "officials": TableSpec("official_mentions", ("start", "end", "text", "name", "country", "role", "official_id", "method")),
    "countries": TableSpec("country_mentions", ("start", "end", "text", "code")),
    "issues": TableSpec("issue_mentions", ("start", "end", "issue", "text")),
    "thresholds": TableSpec("thresholds", ("start", "end", "text", "value", "unit", "from_value", "role", "holder", "issue", "also")),
    "quotes": TableSpec("quotes", ("start", "end", "text", "speaker", "speaker_country", "speaker_role")),
    "stances": TableSpec("stances", ("actor", "official", "issue", "target", "stance", "also", "support", "oppose")),
}
STATEMENT_COLUMNS = ("start", "end", "text", "actor", "official", "issue", "target", "actor_is_speaker")
STANCE_DB_NAMES = {"support": "n_support", "oppose": "n_oppose"}


def _column_name(table: str, attr: str) -> str:
    """Return the database column for a record attribute."""
    if table == "stances":
        return STANCE_DB_NAMES.get(attr, attr)
    return attr


def official_key(name: str, official_id: str | None) -> str:
    """Return the officials-table id: the register id, else 'x:' plus the folded name."""
    from pipeline.nlp.register import fold

    return official_id or f"x:{fold(name)}"


def official_rows(extractions: Sequence[Extraction]) -> pa.Table:
    """Return one row per distinct named official across the extractions."""
    seen: dict[str, tuple] = {}
    for extraction in extractions:
        for m in extraction.officials:
            if m.name:
                key = official_key(m.name, m.official_id)
                seen.setdefault(key, (key, m.name, m.country, m.official_id is not None))
    rows = list(seen.values())
    return pa.table({
        "official_id": [r[0] for r in rows], "name": [r[1] for r in rows],
        "country": pa.array([r[2] for r in rows], type=pa.string()), "in_register": pa.array([r[3] for r in rows], type=pa.bool_()),
    })


def extraction_rows(extractions: Sequence[tuple[Extraction, int]]) -> dict[str, pa.Table]:
    """Build one Arrow table per store table from (extraction, revision) pairs."""
    columns: dict[str, dict[str, list]] = {}

    def add(table: str, doc_id: str, revision: int, values: dict) -> None:
        """Append one row's values to a table's columns."""
        cols = columns.setdefault(table, {})
        for key, value in (("doc_id", doc_id), ("revision", revision), *values.items()):
            cols.setdefault(key, []).append(list(value) if isinstance(value, tuple) else value)

    for extraction, revision in extractions:
        for attr, spec in MENTION_TABLES.items():
            for item in getattr(extraction, attr):
                add(spec.table, extraction.doc_id, revision, {_column_name(spec.table, c): getattr(item, c) for c in spec.columns})
        for label in extraction.statements:
            values = {c: getattr(label.statement, c) for c in STATEMENT_COLUMNS}
            values.update(stance=label.stance, probability=label.probability, tone=label.tone)
            add("statements", extraction.doc_id, revision, values)
        for issue in extraction.doc_issues:
            add("document_issues", extraction.doc_id, revision, {"issue": issue})
        if extraction.tone is not None:
            add("document_tone", extraction.doc_id, revision, {"tone": extraction.tone})
    return {table: pa.table(cols) for table, cols in columns.items()}
