"""``tradestance report``: a self-contained HTML trend report (plus one CSV per chart) from the views."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pipeline.cli import Context, cli
from pipeline.report.options import PERIODS, ReportOptions
from pipeline.store.db import open_readonly

# Distinct from failures (1) so scripts can tell "nothing to report" apart.
EXIT_EMPTY = 3


@cli.command()
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path), help="Folder for index.html and the CSVs.")
@click.option("--from", "date_from", type=click.DateTime(formats=["%Y-%m-%d"]), help="First document date (YYYY-MM-DD).")
@click.option("--to", "date_to", type=click.DateTime(formats=["%Y-%m-%d"]), help="Last document date (YYYY-MM-DD).")
@click.option("--issue", "issues", multiple=True, help="Issue id (repeatable), e.g. rules_of_origin.")
@click.option("--actor", "actors", multiple=True, help="Actor code (repeatable), e.g. CA.")
@click.option("--period", type=click.Choice(PERIODS), default="month", show_default=True, help="Time bucket of the stance and tone charts.")
@click.option("--smooth", type=click.IntRange(min=1), default=1, show_default=True, help="Trailing mean over this many periods (gaps stay gaps).")
@click.option("--min-statements", type=click.IntRange(min=1), default=1, show_default=True, help="Periods with fewer statements are shown as gaps.")
@click.option("--max-issues", type=click.IntRange(min=1), default=12, show_default=True, help="Without --issue: show this many of the most active issues.")
@click.pass_obj
def report(obj: Context, out_dir: Path, date_from, date_to, issues: tuple[str, ...], actors: tuple[str, ...], period: str,
           smooth: int, min_statements: int, max_issues: int) -> None:
    """Write an offline HTML report of stance, tone, positions and quotes over time (exit 3 if nothing matches)."""
    try:
        options = ReportOptions(date_from=date_from.date() if date_from else None, date_to=date_to.date() if date_to else None,
                                issues=issues, actors=tuple(a.upper() for a in actors), period=period, smooth=smooth,
                                min_statements=min_statements, max_issues=max_issues)
    except ValueError as e:
        raise click.UsageError(str(e)) from e
    from pipeline.report.build import build_report  # altair and pandas load only when a report is made

    con = open_readonly(obj.settings.db, timeout_s=obj.settings.lock_timeout_s)
    try:
        files = build_report(con, out_dir=out_dir, options=options)
    finally:
        con.close()
    if files.empty:
        click.echo(f"error: nothing matches the selection ({options.describe()}); wrote {files.html} with that message", err=True)
        sys.exit(EXIT_EMPTY)
    click.echo(f"report: {files.html} ({files.charts} charts, {len(files.csvs)} CSVs)")
