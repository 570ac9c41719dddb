"""``tradestance export``: the annotations contract, or any table or view as CSV/Parquet/JSON."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import click

from pipeline.cli import Context, cli
from pipeline.commands.query import run_query, write_relation
from pipeline.export import read_annotated
from pipeline.store.db import open_readonly

NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@cli.command()
@click.option("--format", "fmt", type=click.Choice(("annotations", "csv", "parquet", "json")), default="annotations", show_default=True)
@click.option("--doc-id", "doc_ids", multiple=True, help="Only these documents (repeatable).")
@click.option("--view", help="With csv/parquet/json: the table or view to export.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file instead of stdout.")
@click.pass_obj
def export(obj: Context, fmt: str, doc_ids: tuple[str, ...], view: str | None, output: Path | None) -> None:
    """Export annotations JSONL (one object per document), or a table/view."""
    con = open_readonly(obj.settings.db, timeout_s=obj.settings.lock_timeout_s)
    try:
        if fmt == "annotations":
            stream = output.open("w", encoding="utf-8") if output else sys.stdout
            try:
                for doc in read_annotated(con, doc_ids=list(doc_ids) or None):
                    stream.write(json.dumps(doc.as_json(), ensure_ascii=False) + "\n")
            finally:
                if output:
                    stream.close()
            return
        if not view or not NAME.match(view):
            raise click.UsageError("--format csv/parquet/json needs --view NAME (a table or view name)")
        where = " WHERE doc_id IN (SELECT unnest($ids))" if doc_ids else ""
        relation = run_query(con, f"SELECT * FROM {view}{where}") if not doc_ids else con.sql(f"SELECT * FROM {view}{where}", params={"ids": list(doc_ids)})
        write_relation(relation, fmt=fmt, output=output)
    finally:
        con.close()
