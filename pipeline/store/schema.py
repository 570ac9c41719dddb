"""The one owner of the DuckDB schema: ordered, transactional, recorded migrations.

Migrations are the SQL files in ``pipeline/store/migrations`` named ``NNNN_name.sql``; they run in
order, each in its own transaction, and each is recorded in ``schema_migrations``. To change the
schema, add a new file with the next number; never edit an applied one.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from importlib import resources

import duckdb

from pipeline.errors import StoreError

log = logging.getLogger(__name__)

_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")

# Extraction tables replaced as a whole for a document when its text changes.
EXTRACTION_TABLES = (
    "official_mentions",
    "country_mentions",
    "issue_mentions",
    "document_issues",
    "thresholds",
    "quotes",
    "statements",
    "stances",
    "document_tone",
)


@dataclass(frozen=True, slots=True)
class Migration:
    """One schema migration: its number, name and SQL."""

    version: int
    name: str
    sql: str


def read_migrations() -> tuple[Migration, ...]:
    """Return the packaged migrations sorted by version; refuse gaps or duplicates."""
    found = []
    for entry in resources.files("pipeline.store.migrations").iterdir():
        match = _NAME.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), match.group(2), entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise StoreError(f"migrations must be numbered 1..N without gaps, found {versions}")
    return tuple(found)


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    """Return the highest applied migration version (0 for a new database)."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
    ).fetchone()[0]
    if not exists:
        return 0
    return con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0]


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply pending migrations in order, each atomically; return how many were applied."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        "version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )
    migrations = read_migrations()
    have = current_version(con)
    if have > len(migrations):
        raise StoreError(
            f"database schema version {have} is newer than this tradestance ({len(migrations)}); upgrade tradestance"
        )
    applied = 0
    for migration in migrations[have:]:
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(migration.sql)
            con.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, now())", [migration.version, migration.name]
            )
            con.execute("COMMIT")
        except duckdb.Error as e:
            con.execute("ROLLBACK")
            raise StoreError(f"migration {migration.version:04d}_{migration.name} failed: {e}") from e
        log.info("applied migration %04d_%s", migration.version, migration.name)
        applied += 1
    return applied
