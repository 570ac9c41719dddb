"""``tradestance query``: read-only SQL with table, CSV, JSON lines or Parquet output."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import click
import duckdb

from pipeline.cli import Context, cli
from pipeline.errors import StoreError
from pipeline.store.db import open_readonly

FORMATS = ("table", "csv", "json", "parquet")


def run_query(con: duckdb.DuckDBPyConnection, sql: str) -> duckdb.DuckDBPyRelation:
    """Run SQL and return its relation, turning DuckDB errors into one clear line."""
    try:
        relation = con.sql(sql)
    except duckdb.Error as e:
        raise StoreError(f"query failed: {str(e).splitlines()[0]}") from e
    if relation is None:
        raise StoreError("the statement returned no rows; `query` runs read-only SELECT statements")
    return relation


def write_relation(relation: duckdb.DuckDBPyRelation, *, fmt: str, output: Path | None) -> None:
    """Write a query result in the chosen format to a file or stdout."""
    if fmt == "parquet":
        if output is None:
            raise click.UsageError("--format parquet needs --output FILE")
        relation.write_parquet(str(output))
        return
    stream = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        columns, rows = relation.columns, relation.fetchall()
        if fmt == "csv":
            writer = csv.writer(stream)
            writer.writerow(columns)
            writer.writerows(rows)
        elif fmt == "json":
            for row in rows:
                stream.write(json.dumps(dict(zip(columns, row)), default=str, ensure_ascii=False) + "\n")
        else:
            _rich_table(columns, rows, stream)
    finally:
        if output:
            stream.close()


def _rich_table(columns: list[str], rows: list[tuple], stream) -> None:
    """Print rows as a rich table."""
    from rich.console import Console
    from rich.table import Table

    table = Table(*columns, show_lines=False)
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    Console(file=stream, width=200 if not stream.isatty() else None).print(table)


@cli.command()
@click.argument("sql")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file instead of stdout.")
@click.pass_obj
def query(obj: Context, sql: str, fmt: str, output: Path | None) -> None:
    """Run read-only SQL against the store (tables and views are listed in the README)."""
    con = open_readonly(obj.settings.db, timeout_s=obj.settings.lock_timeout_s)
    try:
        write_relation(run_query(con, sql), fmt=fmt, output=output)
    finally:
        con.close()
