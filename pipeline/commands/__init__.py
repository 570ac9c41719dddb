"""CLI subcommands, one module each; importing this package registers them on ``cli``."""

from pipeline.commands import evaluate, export, ingest, query, report  # noqa: F401
