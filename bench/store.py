"""Benchmarks 4 and 5: load rate into DuckDB through Arrow, and a trend query over 1M stance rows.

4. Arrow -> DuckDB: a 1M-row ``statements`` table inserted into a migrated store (target >= 500k rows/s),
   and, for context, the whole ``save_batch`` path from frozen Extractions (Python -> Arrow -> DuckDB).
5. The monthly stance trend of one (actor, issue) from the ``v_stance_monthly`` view (migration 0004)
   over 1M synthetic statements of 50k dated documents, read-only like reports (target < 100 ms, median).

Usage::

    .venv/bin/python bench/store.py [--rows 1000000]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa

from benchlib import Result, Timer, print_table, write_results
from pipeline.store.db import open_readonly, open_store, transaction
from pipeline.store.save import plan, save_batch
from pipeline.types import CountryMention, Document, Extraction, IssueMention, OfficialMention, Quote, Threshold

ACTORS = ("US", "CA", "MX", "JP", "CN", "EU", "GB", "DE", "FR", "KR", "TW", "AU", "IN", "BR", "WTO")
ISSUES = ("tariffs", "autos", "agriculture", "rules_of_origin", "dispute_settlement", "steel", "currency", "subsidies")
STANCES = ("support", "oppose", "none")


def synthetic_documents(n: int, *, seed: int = 0) -> pa.Table:
    """Documents rows (short synthetic text) with dates spread over 1985-2025."""
    rng = np.random.default_rng(seed)
    start = datetime(1985, 1, 1)
    days = rng.integers(0, 40 * 365, n)
    ids = [f"synthetic:{i}" for i in range(n)]
    return pa.table({
        "doc_id": ids, "revision": pa.array(np.ones(n, dtype=np.int32)), "sha256": ids, "source": ["bench"] * n,
        "kind": ["article"] * n, "url": pa.nulls(n, pa.string()), "title": pa.nulls(n, pa.string()),
        "published": pa.array([start + timedelta(days=int(d)) for d in days], pa.timestamp("us")),
        "fetched_at": pa.nulls(n, pa.timestamp("us")), "ingested_at": pa.array([start] * n, pa.timestamp("us")),
        "text": ["synthetic"] * n, "story_id": pa.nulls(n, pa.string()),
    })


def synthetic_statements(n: int, *, n_docs: int, seed: int = 1) -> pa.Table:
    """Statements rows (actor, issue, stance, probability, tone) spread over n_docs documents."""
    rng = np.random.default_rng(seed)

    def pick(values):
        """Random dictionary-coded choice, decoded to strings."""
        return pa.DictionaryArray.from_arrays(pa.array(rng.integers(0, len(values), n), pa.int32()), pa.array(values)).cast(pa.string())

    starts = rng.integers(0, 5000, n).astype(np.int32)
    return pa.table({
        "doc_id": pa.array([f"synthetic:{i}" for i in rng.integers(0, n_docs, n)]),
        "revision": pa.array(np.ones(n, dtype=np.int32)), "start": pa.array(starts), "end": pa.array(starts + 80),
        "text": pa.array(["synthetic statement"] * n), "actor": pick(ACTORS), "official": pa.nulls(n, pa.string()),
        "issue": pick(ISSUES), "target": pa.nulls(n, pa.string()), "actor_is_speaker": pa.array(rng.random(n) < 0.5),
        "stance": pick(STANCES), "probability": pa.array(rng.random(n)), "tone": pa.array(rng.random(n) * 2 - 1),
    })


def _insert(con, table: str, arrow: pa.Table) -> None:
    """Insert an Arrow table by column name, as the store's save path does."""
    con.register("_rows", arrow)
    cols = ", ".join(f'"{c}"' for c in arrow.column_names)
    con.execute(f"INSERT INTO {table} ({cols}) SELECT {cols} FROM _rows")
    con.unregister("_rows")


def synthetic_extractions(n_docs: int, *, per_field: int = 10) -> tuple[list[Document], dict[str, Extraction]]:
    """Documents with fully populated extractions, for the save_batch path."""
    docs = [Document(doc_id=f"x:{i}", text=f"synthetic text {i}", published=datetime(2020, 1, 1)) for i in range(n_docs)]
    k = range(per_field)
    extractions = {d.doc_id: Extraction(
        doc_id=d.doc_id,
        officials=tuple(OfficialMention(start=j, end=j + 5, text="Hills", name="Carla Hills", country="US", role="USTR") for j in k),
        countries=tuple(CountryMention(start=j, end=j + 2, text="US", code="US") for j in k),
        issues=tuple(IssueMention(start=j, end=j + 9, issue="tariffs", text="tariffs") for j in k),
        thresholds=tuple(Threshold(start=j, end=j + 6, text="85 pct", value=85.0, unit="percent", issue="tariffs") for j in k),
        quotes=tuple(Quote(start=j, end=j + 9, text="q", speaker="Carla Hills", speaker_country="US") for j in k),
        doc_issues=("tariffs",),
    ) for d in docs}
    return docs, extractions


def run(*, n_rows: int, n_docs: int = 50_000, repeats: int = 7) -> list[Result]:
    """Load synthetic rows and time the insert and the trend query."""
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        documents, statements = synthetic_documents(n_docs), synthetic_statements(n_rows, n_docs=n_docs)
        con = open_store(db)
        with transaction(con):
            _insert(con, "documents", documents)
        with Timer() as load, transaction(con):
            _insert(con, "statements", statements)
        docs, extractions = synthetic_extractions(2000)
        planned = plan(docs, {})
        with Timer() as save:
            save_batch(con, planned, extractions)
        saved_rows = sum(len(getattr(e, f)) for e in extractions.values() for f in ("officials", "countries", "issues", "thresholds", "quotes", "doc_issues")) + len(docs)
        has_view = con.execute("SELECT count(*) FROM duckdb_views() WHERE view_name = 'v_stance_monthly'").fetchone()[0]
        con.close()
        query = ("SELECT period, n_support, n_oppose, net_share FROM v_stance_monthly WHERE actor = ? AND issue = ? ORDER BY period"
                 if has_view else
                 "SELECT date_trunc('month', d.published) AS period, count(*) FILTER (WHERE s.stance = 'support') AS n_support, "
                 "count(*) FILTER (WHERE s.stance = 'oppose') AS n_oppose FROM statements s JOIN documents d USING (doc_id, revision) "
                 "WHERE s.actor = ? AND s.issue = ? GROUP BY ALL ORDER BY period")
        ro = open_readonly(db)
        with Timer() as cold:
            n_periods = len(ro.execute(query, ["US", "tariffs"]).fetchall())
        times = []
        for _ in range(repeats):
            with Timer() as t:
                ro.execute(query, ["US", "tariffs"]).fetchall()
            times.append(t.seconds)
        ro.close()
    latency_ms = statistics.median(times) * 1000
    rate = n_rows / load.seconds
    return [
        Result("4 load rate", "Arrow -> DuckDB statements", rate, "rows/s", ">= 500k", rate >= 500_000, f"{n_rows:,} rows"),
        Result("4 load rate", "save_batch from Extractions", saved_rows / save.seconds, "rows/s", "",
               None, f"{saved_rows:,} rows incl. Python -> Arrow"),
        Result("5 trend query", "v_stance_monthly one actor+issue" if has_view else "GROUP BY statements", latency_ms, "ms",
               "< 100", latency_ms < 100, f"median of {repeats}, cold {cold.seconds * 1000:.0f} ms, {n_periods} periods, {n_rows:,} rows"),
    ]


def main() -> list[Result]:
    """Parse options, run, print and save."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    args, _ = parser.parse_known_args()
    results = run(n_rows=args.rows)
    write_results("store", results)
    return results


if __name__ == "__main__":
    print_table(main())
