"""``tradestance evaluate``: ingest gold documents if needed, export, and score per the spec."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import click

from pipeline.analyze import Analyzer
from pipeline.annotations import read_annotations
from pipeline.cli import Context, cli
from pipeline.errors import InputError
from pipeline.evaluate import Scores, score
from pipeline.export import read_annotated
from pipeline.ingest import IngestOptions, ingest_documents
from pipeline.io.documents import ReadReport, read_documents
from pipeline.stance.baselines import baseline_scores, read_statements
from pipeline.stance.card import update_card_dev
from pipeline.store.db import open_readonly

ROWS = ("officials", "countries", "issues", "thresholds", "quotes", "stances")


def print_scores(scores: Scores) -> None:
    """Print the score table and attribute accuracies with rich."""
    from rich.console import Console
    from rich.table import Table

    table = Table("item", "P", "R", "F1", "tp", "fp", "fn", title=f"tradestance evaluation ({scores.documents} documents)")
    for key in ROWS:
        s = scores.items[key]
        table.add_row(key, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}", str(s.tp), str(s.fp), str(s.fn))
    for key, b in scores.extra.get("stance_baselines", {}).items():
        table.add_row(f"stances ({key} baseline)", f"{b['precision']:.3f}", f"{b['recall']:.3f}", f"{b['f1']:.3f}", "", "", "")
    attrs = Table("attribute (on matches)", "accuracy", "n")
    for key, a in scores.attributes.items():
        attrs.add_row(key, f"{a.accuracy:.3f}", str(a.total))
    attrs.add_row("stances macro-F1 (support, oppose)", f"{scores.stance_macro_f1:.3f}", str(scores.attributes["stances.stance"].total))
    for key, value in scores.extra.get("baselines", {}).items():
        attrs.add_row(f"baseline {key} macro-F1", f"{value:.3f}", "")
    console = Console()
    console.print(table)
    console.print(attrs)
    if scores.missing:
        console.print(f"[yellow]{len(scores.missing)} gold documents have no prediction (scored as empty): {', '.join(scores.missing[:5])}")


@cli.command()
@click.argument("gold", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--docs", "docs", multiple=True, type=click.Path(exists=True, path_type=Path), help="Documents JSONL holding the gold texts (repeatable); ingested if needed.")
@click.option("--json", "json_out", type=click.Path(dir_okay=False, path_type=Path), help="Also write the scores as JSON to this file.")
@click.option("--model-card", "model_card", type=click.Path(dir_okay=False, path_type=Path), help="Also write the stance scores into this model card's dev-gold section.")
@click.pass_obj
def evaluate(obj: Context, gold: Path, docs: tuple[Path, ...], json_out: Path | None, model_card: Path | None) -> None:
    """Score the pipeline's annotations against a gold annotations JSONL."""
    settings = obj.settings
    gold_docs = list(read_annotations(gold))
    if not gold_docs:
        raise InputError(str(gold), "gold file has no annotations")
    wanted = {g.doc_id for g in gold_docs}
    if docs:
        report = ReadReport()
        selected = (d for d in read_documents(docs, report=report) if d.doc_id in wanted)
        ingest_documents(selected, db=settings.db, analyze=Analyzer(settings=settings), options=IngestOptions(batch_size=settings.batch_size), command="evaluate")
    con = open_readonly(settings.db, timeout_s=settings.lock_timeout_s)
    try:
        predicted = list(read_annotated(con, doc_ids=sorted(wanted)))
        statements = read_statements(con, doc_ids=sorted(wanted))
    finally:
        con.close()
    scores = score(gold_docs, predicted)
    classifier = Analyzer(settings=settings).stance
    majority = classifier.majority if classifier else "support"
    scores = dataclasses.replace(scores, extra={**scores.extra, **baseline_scores(gold_docs, predicted, statements, majority=majority)})
    print_scores(scores)
    if json_out:
        json_out.parent.mkdir(parents=True, exist_ok=True)
        json_out.write_text(json.dumps(scores.as_dict(), indent=2) + "\n", encoding="utf-8")
    if model_card:
        update_card_dev(model_card, scores.as_dict())
