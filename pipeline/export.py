"""Read stored extractions and aggregate them to the annotations contract, one object per document."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

import duckdb

from pipeline.annotations import AnnOfficial, AnnotatedDocument, AnnQuote, AnnStance, AnnThreshold
from pipeline.nlp.register import fold

QUERIES = {
    "officials": 'SELECT doc_id, name, country, role, official_id, start FROM official_mentions WHERE name <> \'\' {where} ORDER BY doc_id, start',
    "countries": "SELECT DISTINCT doc_id, code FROM country_mentions WHERE true {where}",
    "issues": "SELECT doc_id, issue FROM document_issues WHERE true {where} ORDER BY doc_id, issue",
    "thresholds": 'SELECT doc_id, issue, value, unit, from_value, role, holder, start, "end", also FROM thresholds WHERE true {where} ORDER BY doc_id, start',
    "quotes": 'SELECT doc_id, speaker, speaker_country, start, "end" FROM quotes WHERE true {where} ORDER BY doc_id, start',
    "stances": "SELECT doc_id, actor, official, issue, stance, target, also FROM stances WHERE true {where} ORDER BY doc_id, actor, issue",
}


def _fetch(con: duckdb.DuckDBPyConnection, key: str, doc_ids: Sequence[str] | None) -> dict[str, list[tuple]]:
    """Run one export query and group its rows by doc_id."""
    where = "AND doc_id IN (SELECT unnest(?))" if doc_ids is not None else ""
    rows = con.execute(QUERIES[key].format(where=where), [list(doc_ids)] if doc_ids is not None else []).fetchall()
    grouped: dict[str, list[tuple]] = defaultdict(list)
    for row in rows:
        grouped[row[0]].append(row[1:])
    return grouped


def aggregate_officials(rows: list[tuple]) -> tuple[AnnOfficial, ...]:
    """One official per person: register id, else folded surname and country; fullest name wins."""
    people: dict[tuple, AnnOfficial] = {}
    for name, country, role, official_id, _start in rows:
        key = (official_id,) if official_id else (fold(name).split()[-1], country)
        seen = people.get(key)
        if seen is None or len(name) > len(seen.name):
            people[key] = AnnOfficial(name, country or (seen.country if seen else None), (seen.role if seen and seen.role else role))
    return tuple(people.values())


def read_annotated(con: duckdb.DuckDBPyConnection, *, doc_ids: Sequence[str] | None = None) -> Iterator[AnnotatedDocument]:
    """Yield the annotations of stored documents (all, or the given doc_ids), in doc_id order."""
    if doc_ids is None:
        ids = [r[0] for r in con.execute("SELECT doc_id FROM documents ORDER BY doc_id").fetchall()]
    else:
        known = {r[0] for r in con.execute("SELECT doc_id FROM documents WHERE doc_id IN (SELECT unnest(?))", [list(doc_ids)]).fetchall()}
        ids = [d for d in doc_ids if d in known]
    data = {key: _fetch(con, key, doc_ids) for key in QUERIES}
    for doc_id in ids:
        officials = aggregate_officials(data["officials"].get(doc_id, []))
        countries = {r[0] for r in data["countries"].get(doc_id, [])} | {o.country for o in officials if o.country}
        yield AnnotatedDocument(
            doc_id=doc_id,
            officials=officials,
            countries=tuple(sorted(countries)),
            issues=tuple(r[0] for r in data["issues"].get(doc_id, [])),
            thresholds=tuple(AnnThreshold(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], tuple(r[8] or ())) for r in data["thresholds"].get(doc_id, [])),
            quotes=tuple(AnnQuote(*r) for r in data["quotes"].get(doc_id, [])),
            stances=tuple(AnnStance(r[0], r[1], r[2], r[3], r[4], tuple(r[5] or ())) for r in data["stances"].get(doc_id, [])),
        )
