"""The ``tradestance`` command line: a thin layer over the library functions.

Exit codes: 0 success (also "nothing new"), 1 failure, 2 usage error, 75 another ingest holds the
database lock.
"""

from __future__ import annotations

import importlib
import json
import signal
import sys
import threading
from pathlib import Path

import click

from pipeline.config import Settings, load_settings
from pipeline.errors import StoreLockedError, TradestanceError
from pipeline.logs import setup_logging
from pipeline.store.lock import EXIT_LOCKED


class Context:
    """What every command needs: the settings and output options."""

    def __init__(self, settings: Settings) -> None:
        """Keep the resolved settings."""
        self.settings = settings


def _fail(error: Exception) -> None:
    """Print a one-line error and exit with the documented code."""
    click.echo(f"error: {error}", err=True)
    sys.exit(EXIT_LOCKED if isinstance(error, StoreLockedError) else 1)


# Subcommands load on first use, so `tradestance query` does not pay for spaCy, scikit-learn or altair.
SUBCOMMANDS = {
    "ingest": "pipeline.commands.ingest",
    "query": "pipeline.commands.query",
    "export": "pipeline.commands.export",
    "evaluate": "pipeline.commands.evaluate",
    "report": "pipeline.commands.report",
    "train": "pipeline.commands.train",
    "annotate": "pipeline.commands.annotate",
}


class Group(click.Group):
    """A click group with lazily imported subcommands that reports TradestanceError as one line."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Return every subcommand name, loaded or not."""
        return sorted(set(super().list_commands(ctx)) | set(SUBCOMMANDS))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Import a subcommand's module (which registers it) the first time it is asked for."""
        if cmd_name not in self.commands and cmd_name in SUBCOMMANDS:
            importlib.import_module(SUBCOMMANDS[cmd_name])
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context):
        """Invoke the subcommand, reporting known errors without a traceback."""
        try:
            return super().invoke(ctx)
        except TradestanceError as e:
            _fail(e)


@click.group(cls=Group)
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), envvar="TRADESTANCE_DB", help="DuckDB file (default data/tradestance.duckdb).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False, path_type=Path), help="Settings file (default tradestance.toml if present).")
@click.option("--lock-timeout", type=click.FloatRange(min=0), help="Seconds to wait while another process writes the database (default 10).")
@click.option("--log-json", is_flag=True, help="Write logs as JSON lines on stderr.")
@click.option("-v", "--verbose", count=True, help="More logging (-v info, -vv debug).")
@click.version_option(package_name="tradestance")
@click.pass_context
def cli(ctx: click.Context, db: Path | None, config_file: Path | None, lock_timeout: float | None, log_json: bool, verbose: int) -> None:
    """tradestance: who said what on which trade issue, with which numbers, over time."""
    setup_logging(verbose=verbose, json_lines=log_json)
    try:
        ctx.obj = Context(load_settings(config_file=config_file, overrides={"db": db, "lock_timeout_s": lock_timeout}))
    except TradestanceError as e:
        _fail(e)


def main() -> None:
    """Entry point of the console script and ``python -m pipeline``."""
    cli(prog_name="tradestance")


def install_stop_handler() -> threading.Event:
    """Make SIGTERM and SIGINT finish the current batch, commit and exit cleanly."""
    stop = threading.Event()

    def handler(signum, frame):
        """Ask the running job to stop after its current batch."""
        stop.set()
        click.echo(f"received signal {signum}: finishing the current batch, then stopping", err=True)

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)
    return stop


def echo_json(obj: dict) -> None:
    """Print one JSON line on stdout."""
    click.echo(json.dumps(obj, default=str, ensure_ascii=False))
