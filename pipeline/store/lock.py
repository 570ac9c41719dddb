"""A non-blocking, per-database ingest lock, so scheduled runs never overlap."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pipeline.errors import StoreLockedError

EXIT_LOCKED = 75  # EX_TEMPFAIL from sysexits.h: "try again later"


@contextmanager
def ingest_lock(db: Path | str) -> Iterator[Path | None]:
    """Hold ``<db>.lock`` for the block; raise StoreLockedError at once if another run holds it."""
    if str(db) == ":memory:":
        yield None
        return
    path = Path(f"{db}.lock")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as e:
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "unknown"
            raise StoreLockedError(
                f"{db}: another ingest run (pid {holder}) is running; this run exits without doing anything"
            ) from e
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield path
    finally:
        os.close(fd)
