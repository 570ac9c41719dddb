"""Helpers for the DVC batch stages (``dvc.yaml``): select the documents, and turn outputs into metrics and plots.

The stages themselves call the ``tradestance`` CLI (ingest, export, train, evaluate, report); this module only
adds what DVC needs around them. Run as ``python -m pipeline.stages COMMAND``. Never used by scheduled ingestion.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

import click

from pipeline.cli import Group
from pipeline.errors import InputError

HELD_OUT_SPLITS = ("test",)  # Reuters test split: never ingested by the batch pipeline


@dataclass(frozen=True, slots=True)
class CorpusCount:
    """How many documents (and words) one corpus contributed to the prepared set."""

    corpus: str
    docs: int
    words: int
    skipped_held_out: int


def read_records(path: Path) -> Iterator[dict]:
    """Yield the JSON records of a documents JSONL file (plain or .gz)."""
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rt", encoding="utf-8") as lines:
            for n, line in enumerate(lines, 1):
                if line.strip():
                    try:
                        yield json.loads(line)
                    except json.JSONDecodeError as e:
                        raise InputError(str(path), f"invalid JSON ({e.msg}); fix or remove the line", line=n) from e
    except FileNotFoundError as e:
        raise InputError(str(path), "corpus file not found; check the corpora paths in params.yaml") from e


def select_records(records: Iterable[dict], *, limit: int = 0, exclude_splits: tuple[str, ...] = HELD_OUT_SPLITS) -> tuple[list[dict], int]:
    """Keep records outside the held-out splits, at most ``limit`` (0: all); return them and how many were held out."""
    kept, held_out = [], 0
    for record in records:
        if record.get("split") in exclude_splits:
            held_out += 1
            continue
        if limit and len(kept) >= limit:
            continue
        kept.append(record)
    return kept, held_out


def save_jsonl(path: Path, records: Iterable[dict]) -> None:
    """Write records as JSON lines."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def save_json(path: Path, payload) -> None:
    """Write one JSON document (metrics or plot records)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")


def score_rows(scores: dict) -> list[dict]:
    """Flatten ``tradestance evaluate --json`` scores into plot records, one per item."""
    return [{"item": item, **{k: s[k] for k in ("precision", "recall", "f1")}} for item, s in scores["items"].items()]


def read_table_counts(db: Path) -> list[dict]:
    """Return the row count of every base table of a store, read-only."""
    from pipeline.store.db import open_readonly

    con = open_readonly(db)
    try:
        tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE NOT internal ORDER BY table_name").fetchall()]
        return [{"table": t, "rows": con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]} for t in tables]
    finally:
        con.close()


@click.group(cls=Group)
def stages() -> None:
    """DVC stage helpers (see dvc.yaml)."""


@stages.command()
@click.option("--corpus", "corpora", multiple=True, required=True, help="NAME=PATH of a documents JSONL (repeatable).")
@click.option("--limit", type=click.IntRange(min=0), default=0, show_default=True, help="Documents per corpus (0: all).")
@click.option("--out", "out_path", required=True, type=click.Path(dir_okay=False, path_type=Path), help="Prepared documents JSONL.")
@click.option("--metrics", "metrics_path", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--plots", "plots_path", required=True, type=click.Path(dir_okay=False, path_type=Path))
def prepare(corpora: tuple[str, ...], limit: int, out_path: Path, metrics_path: Path, plots_path: Path) -> None:
    """Select the documents of the batch run (held-out splits excluded) into one JSONL."""
    selected, counts = [], []
    for spec in corpora:
        name, _, path = spec.partition("=")
        if not path:
            raise click.UsageError(f"--corpus {spec!r}: use NAME=PATH")
        records, held_out = select_records(read_records(Path(path)), limit=limit)
        selected += records
        counts.append(CorpusCount(name, len(records), sum(len(str(r.get("text", "")).split()) for r in records), held_out))
    save_jsonl(out_path, selected)
    save_json(metrics_path, {"documents": len(selected), "corpora": {c.corpus: c.docs for c in counts}})
    save_json(plots_path, [asdict(c) for c in counts])
    click.echo(f"prepared {len(selected)} documents -> {out_path}")


@stages.command("table-counts")
@click.option("--db", required=True, type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--metrics", "metrics_path", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--plots", "plots_path", required=True, type=click.Path(dir_okay=False, path_type=Path))
def table_counts(db: Path, metrics_path: Path, plots_path: Path) -> None:
    """Write the store's row counts per table as metrics and plot records."""
    counts = read_table_counts(db)
    save_json(metrics_path, {c["table"]: c["rows"] for c in counts})
    save_json(plots_path, counts)


@stages.command("score-plot")
@click.argument("scores_path", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--plots", "plots_path", required=True, type=click.Path(dir_okay=False, path_type=Path))
def score_plot(scores_path: Path, plots_path: Path) -> None:
    """Turn evaluation scores JSON into per-item plot records (precision, recall, F1)."""
    save_json(plots_path, score_rows(json.loads(scores_path.read_text(encoding="utf-8"))))


@stages.command("report-summary")
@click.argument("report_dir", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--metrics", "metrics_path", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--plots", "plots_path", required=True, type=click.Path(dir_okay=False, path_type=Path))
def report_summary(report_dir: Path, metrics_path: Path, plots_path: Path) -> None:
    """Count the report's data files and their rows, as metrics and plot records."""
    rows = [{"file": p.name, "rows": max(0, sum(1 for _ in p.open(encoding="utf-8")) - 1)} for p in sorted(report_dir.glob("*.csv"))]
    save_json(metrics_path, {"csv_files": len(rows), "csv_rows": sum(r["rows"] for r in rows), "html": (report_dir / "index.html").exists()})
    save_json(plots_path, rows)


if __name__ == "__main__":
    stages()
