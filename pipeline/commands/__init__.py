"""CLI subcommands, one module each; importing this package registers them on ``cli``."""

from pipeline.commands import annotate, evaluate, export, ingest, query, report, train  # noqa: F401
