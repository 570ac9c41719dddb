"""``tradestance ingest``: documents files or configured sources into the store."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pipeline.cli import Context, cli, echo_json, install_stop_handler
from pipeline.executors import EXECUTORS, ExecutorSpec, make_executor
from pipeline.ingest import IngestOptions, IngestSummary, ingest_documents
from pipeline.io.documents import ReadReport, read_documents


def _progress(enabled: bool):
    """Return a rich progress bar on a terminal, else None."""
    if not enabled:
        return None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("ingest"), BarColumn(), MofNCompleteColumn(), TextColumn("docs"), TimeElapsedColumn(), transient=True)


def _print_summary(summary: IngestSummary, *, as_json: bool, extra: dict | None = None) -> None:
    """Print the run summary: one JSON line (``extra`` replaces the plain dict), or a short human sentence."""
    if as_json:
        echo_json(extra or summary.as_dict())
        return
    click.echo(
        f"{summary.status}: read {summary.read}, new {summary.new}, revised {summary.revised}, "
        f"unchanged {summary.unchanged}, skipped {summary.skipped} in {summary.seconds:.1f}s -> {summary.db}"
    )
    for problem in summary.problems[:10]:
        click.echo(f"  skipped: {problem}", err=True)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--sources", "sources_file", type=click.Path(dir_okay=False, path_type=Path), help="Scrape the sources of this TOML file instead of reading files.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as one JSON line.")
@click.option("--limit", type=click.IntRange(min=1), help="Stop after this many documents.")
@click.option("--batch-size", type=click.IntRange(min=1), help="Documents per batch (one short write transaction each).")
@click.option("--strict", is_flag=True, help="Stop at the first bad record instead of skipping it.")
@click.option("--dry-run", is_flag=True, help="Read and plan, but run no NLP and write nothing.")
@click.option("--max-pages", type=click.IntRange(min=1), help="With --sources: pages per source at most.")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), help="With --sources: skip documents published before this date.")
@click.option("--executor", type=click.Choice(EXECUTORS), default="local", show_default=True,
              help="Where extraction and stance run: in this process, in --processes N worker processes, or on Dask.")
@click.option("--processes", type=click.IntRange(min=1), help="Workers for --executor processes or a Dask LocalCluster (default 2).")
@click.option("--scheduler", help="With --executor dask: the scheduler address (tcp://host:8786); default a LocalCluster.")
@click.pass_obj
def ingest(obj: Context, paths: tuple[Path, ...], sources_file: Path | None, as_json: bool, limit: int | None, batch_size: int | None,
           strict: bool, dry_run: bool, max_pages: int | None, since,
           executor: str, processes: int | None, scheduler: str | None) -> None:
    """Ingest documents JSONL (plain or .gz), .txt/.html files or folders, or --sources."""
    settings = obj.settings
    if not paths and sources_file is None:
        raise click.UsageError("give documents files or folders, or --sources FILE")
    if paths and sources_file is not None:
        raise click.UsageError("give either files or --sources, not both")
    options = IngestOptions(batch_size=batch_size or settings.batch_size, limit=limit, dry_run=dry_run,
                            lock_timeout_s=settings.lock_timeout_s)
    stop = install_stop_handler()
    spec = ExecutorSpec(kind=executor, workers=processes or max(settings.n_process, 2 if executor != "local" else 1), scheduler=scheduler)
    analyzer = click.get_current_context().with_resource(make_executor(settings, spec=spec))
    if sources_file is not None:
        from pipeline.scrape.cycle import run_sources

        summary = run_sources(sources_file, db=settings.db, analyze=analyzer, options=options, settings=settings,
                              max_pages=max_pages, since=since.date() if since else None, stop=stop)
        _print_summary(summary.ingest, as_json=as_json, extra=summary.as_dict() if as_json else None)
        if not as_json:
            for source in summary.sources:
                click.echo("  " + source.source + ": " + ", ".join(f"{k} {v}" for k, v in source.as_dict().items()))
        return
    report = ReadReport()
    documents = read_documents(paths, report=report, strict=strict)
    progress = _progress(sys.stderr.isatty() and not as_json)
    if progress is None:
        summary = ingest_documents(documents, db=settings.db, analyze=analyzer, options=options, stop=stop,
                                   problems=lambda: report.problems, skipped=lambda: report.skipped)
    else:
        with progress:
            task = progress.add_task("ingest", total=limit)
            summary = ingest_documents(documents, db=settings.db, analyze=analyzer, options=options, stop=stop,
                                       on_batch=lambda n: progress.advance(task, n), problems=lambda: report.problems, skipped=lambda: report.skipped)
    _print_summary(summary, as_json=as_json)
