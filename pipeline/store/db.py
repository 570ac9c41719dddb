"""Open the DuckDB store: write connections that migrate, read-only ones that wait for locks."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from pipeline.errors import StoreError, StoreLockedError
from pipeline.store.schema import migrate

log = logging.getLogger(__name__)

MEMORY = ":memory:"


def _is_lock_error(error: duckdb.Error) -> bool:
    """Tell whether DuckDB refused the file because another process holds it."""
    text = str(error).lower()
    return "lock" in text or "conflicting" in text or "being used by another process" in text


def _connect_with_retry(path: str, *, read_only: bool, timeout_s: float) -> duckdb.DuckDBPyConnection:
    """Connect, retrying with backoff while another process holds the file's lock."""
    deadline = time.monotonic() + timeout_s
    delay = 0.05
    while True:
        try:
            return duckdb.connect(path, read_only=read_only)
        except duckdb.Error as e:
            if not _is_lock_error(e):
                raise StoreError(f"{path}: cannot open database: {e}") from e
            if time.monotonic() >= deadline:
                raise StoreLockedError(
                    f"{path}: database is locked by another process (an ingest is writing); "
                    f"waited {timeout_s:g}s; retry later or raise --lock-timeout (TRADESTANCE_LOCK_TIMEOUT_S)"
                ) from e
            time.sleep(delay)
            delay = min(delay * 2, 1.0)


def open_store(db: Path | str, *, timeout_s: float = 10.0) -> duckdb.DuckDBPyConnection:
    """Open (creating and migrating if needed) the database for writing."""
    path = str(db)
    if path != MEMORY:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    con = _connect_with_retry(path, read_only=False, timeout_s=timeout_s)
    migrate(con)
    return con


def open_readonly(db: Path | str, *, timeout_s: float = 10.0) -> duckdb.DuckDBPyConnection:
    """Open an existing database read-only, waiting a bounded time for a writer to finish."""
    path = str(db)
    if path == MEMORY:
        raise StoreError("an in-memory database cannot be opened read-only; pass --db PATH")
    if not Path(path).exists():
        raise StoreError(f"{path}: no database here; run `tradestance ingest` first or pass --db PATH")
    return _connect_with_retry(path, read_only=True, timeout_s=timeout_s)


@contextmanager
def writing(db: Path | str, *, timeout_s: float = 10.0) -> Iterator[duckdb.DuckDBPyConnection]:
    """Hold a write connection only for the duration of the block (one batch)."""
    con = open_store(db, timeout_s=timeout_s)
    try:
        yield con
    finally:
        con.close()


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """Run the block in one transaction: commit on success, roll back on any error."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
