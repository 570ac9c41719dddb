"""Extractions <-> plain Arrow columns, so cluster workers return columns, not Python objects.

The encoding is lossless: ``columns_to_extractions(extractions_to_columns(x)) == x``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field

import pyarrow as pa

from pipeline.types import (
    CountryMention,
    DocumentStance,
    Extraction,
    IssueMention,
    OfficialMention,
    Quote,
    StanceLabel,
    Statement,
    Threshold,
)

ITEM_TYPES: dict[str, type] = {
    "officials": OfficialMention,
    "countries": CountryMention,
    "issues": IssueMention,
    "thresholds": Threshold,
    "quotes": Quote,
    "statements": StanceLabel,
    "stances": DocumentStance,
}
NESTED: dict[type, dict[str, type]] = {StanceLabel: {"statement": Statement}}
DOCUMENTS = "extractions"


@dataclass(frozen=True, slots=True)
class ColumnBatch:
    """The extractions of one partition as Arrow tables: ``extractions`` plus one table per item field."""

    tables: dict[str, pa.Table] = field(default_factory=dict)

    @property
    def num_documents(self) -> int:
        """Return how many documents the batch holds."""
        table = self.tables.get(DOCUMENTS)
        return 0 if table is None else table.num_rows


def _plain(value):
    """Return an Arrow-friendly value: tuples become lists."""
    return list(value) if isinstance(value, tuple) else value


def _item_row(item) -> dict:
    """Flatten one record (and its nested record, if any) into column -> value."""
    nested = NESTED.get(type(item), {})
    row = {}
    for f in dataclasses.fields(item):
        value = getattr(item, f.name)
        if f.name in nested:
            row.update({f"{f.name}.{g.name}": _plain(getattr(value, g.name)) for g in dataclasses.fields(value)})
        else:
            row[f.name] = _plain(value)
    return row


def _columns(rows: list[dict]) -> dict[str, list]:
    """Transpose row dicts (same keys) into column lists."""
    return {key: [r[key] for r in rows] for key in rows[0]} if rows else {}


def extractions_to_columns(extractions: Sequence[Extraction]) -> ColumnBatch:
    """Encode extractions as Arrow tables keyed by doc_id (order kept)."""
    tables = {DOCUMENTS: pa.table({
        "doc_id": pa.array([e.doc_id for e in extractions], pa.string()),
        "tone": pa.array([e.tone for e in extractions], pa.float64()),
        "doc_issues": pa.array([list(e.doc_issues) for e in extractions], pa.list_(pa.string())),
    })}
    for name in ITEM_TYPES:
        rows = [{"doc_id": e.doc_id, **_item_row(item)} for e in extractions for item in getattr(e, name)]
        if rows:
            tables[name] = pa.table(_columns(rows))
    return ColumnBatch(tables=tables)


def _record(cls: type, row: dict):
    """Rebuild one record from its flattened row; lists become tuples again."""
    nested = NESTED.get(cls, {})
    kwargs = {}
    for f in dataclasses.fields(cls):
        if f.name in nested:
            sub = nested[f.name]
            kwargs[f.name] = _record(sub, {g.name: row[f"{f.name}.{g.name}"] for g in dataclasses.fields(sub)})
        else:
            value = row[f.name]
            kwargs[f.name] = tuple(value) if isinstance(value, list) else value
    return cls(**kwargs)


def columns_to_extractions(batch: ColumnBatch) -> list[Extraction]:
    """Decode a ColumnBatch back into Extraction records, in the encoded order."""
    documents = batch.tables[DOCUMENTS].to_pylist()
    items: dict[str, dict[str, list]] = {d["doc_id"]: {} for d in documents}
    for name, cls in ITEM_TYPES.items():
        table = batch.tables.get(name)
        for row in table.to_pylist() if table is not None else ():
            items[row.pop("doc_id")].setdefault(name, []).append(_record(cls, row))
    return [
        Extraction(doc_id=d["doc_id"], tone=d["tone"], doc_issues=tuple(d["doc_issues"]),
                   **{name: tuple(values) for name, values in items[d["doc_id"]].items()})
        for d in documents
    ]
