"""The schema module: ordered, recorded, idempotent migrations on a real DuckDB."""

from __future__ import annotations

import duckdb
import pytest

from pipeline.errors import StoreError
from pipeline.store.schema import EXTRACTION_TABLES, current_version, migrate, read_migrations


def test_migrations_are_numbered_without_gaps():
    versions = [m.version for m in read_migrations()]
    assert versions == list(range(1, len(versions) + 1))


def test_migrate_applies_all_in_order_and_records_them():
    con = duckdb.connect(":memory:")
    applied = migrate(con)
    assert applied == len(read_migrations())
    rows = con.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall()
    assert [r[0] for r in rows] == list(range(1, applied + 1))
    assert current_version(con) == applied
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert {"documents", "document_revisions", "ingest_runs", "officials", *EXTRACTION_TABLES} <= tables


def test_migrate_twice_is_a_no_op():
    con = duckdb.connect(":memory:")
    migrate(con)
    assert migrate(con) == 0


def test_newer_database_is_refused():
    con = duckdb.connect(":memory:")
    migrate(con)
    con.execute("INSERT INTO schema_migrations VALUES (999, 'from_the_future', now())")
    with pytest.raises(StoreError, match="newer than this tradestance"):
        migrate(con)
