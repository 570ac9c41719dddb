"""Exceptions that carry a message a user can act on."""

from __future__ import annotations


class TradestanceError(Exception):
    """Base class for errors reported to the user as one line (exit code 1)."""


class InputError(TradestanceError):
    """A documents or gold file cannot be read; the message names file, line and fix."""

    def __init__(self, path: str, message: str, *, line: int | None = None) -> None:
        """Build the one-line message from file, optional line number and problem."""
        where = f"{path}:{line}" if line is not None else f"{path}"
        super().__init__(f"{where}: {message}")
        self.path = path
        self.line = line


class ConfigError(TradestanceError):
    """A settings or sources file is invalid."""


class StoreError(TradestanceError):
    """The database cannot be opened, migrated or queried."""


class StoreLockedError(StoreError):
    """Another process holds the database (or its ingest lock)."""


class ModelError(TradestanceError):
    """A model file is missing, corrupt or of a foreign type."""
