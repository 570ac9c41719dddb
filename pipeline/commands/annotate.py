"""``tradestance annotate``: a small Prodigy-style loop that labels candidate statements in the terminal."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.cli import Context, cli
from pipeline.commands.train import read_dev_ids
from pipeline.io.documents import ReadReport, read_documents
from pipeline.stance.labels import drop_last_label, read_labels, save_label
from pipeline.stance.queue import QueueItem, is_labelled, label_record, order_queue

KEYS = {"s": "support", "o": "oppose", "n": "none", "k": "skip", "skip": "skip", "u": "undo", "undo": "undo", "q": "quit", "quit": "quit"}
PROMPT = "[s]upport [o]ppose [n]one s[k]ip [u]ndo [q]uit"


def build_queue(documents, *, settings, labels) -> list[QueueItem]:
    """Analyse the documents and return their unlabelled candidates, least sure first."""
    from pipeline.analyze import Analyzer
    from pipeline.nlp.extract import extract_documents
    from pipeline.stance.statements import build_candidates

    analyzer = Analyzer(settings=settings)
    classifier = analyzer.stance
    extractions = extract_documents(analyzer.nlp, documents, batch_size=settings.batch_size)
    # With a model, offer exactly the statements it classifies at ingest; without one, every candidate.
    candidates = classifier.candidates if classifier else build_candidates
    pairs = [(d.doc_id, c) for d, e in zip(documents, extractions) for c in candidates(d, e)]
    pairs = [(doc_id, c) for doc_id, c in pairs if not is_labelled(doc_id, c, labels)]
    if classifier is None:
        return [QueueItem(doc_id, c) for doc_id, c in pairs]
    predictions = classifier.predict([c for _, c in pairs])
    return order_queue([QueueItem(doc_id, c, p.stance, p.probability) for (doc_id, c), p in zip(pairs, predictions)])


def show(console, item: QueueItem, position: int, total: int) -> None:
    """Print one candidate with its context, actor, issue and the model's guess."""
    from rich.panel import Panel
    from rich.text import Text

    s = item.candidate.statement
    prev, _, nxt = s.context.partition("\n")
    body = Text()
    body.append(prev + "\n\n" if prev else "", style="dim")
    body.append(s.text, style="bold")
    body.append("\n\n" + nxt if nxt else "", style="dim")
    guess = f"model: {item.guess} ({item.probability:.2f})" if item.guess else "model: none loaded"
    title = f"{position}/{total}  {item.doc_id}  actor {s.actor}{' (' + s.official + ')' if s.official else ''}  issue {s.issue}  role {item.candidate.role}  {guess}"
    console.print(Panel(body, title=title, title_align="left"))


@cli.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--labels", "labels_path", type=click.Path(dir_okay=False, path_type=Path), required=True, help="Labels JSONL to append to (created if missing).")
@click.option("--limit", type=int, default=0, help="Only this many documents (0: all).")
@click.pass_obj
def annotate(obj: Context, sources: tuple[Path, ...], labels_path: Path, limit: int) -> None:
    """Label candidate statements (support / oppose / none), least sure first; appends to --labels."""
    from rich.console import Console

    reserved = read_dev_ids()
    documents = [d for d in read_documents(sources, report=ReadReport()) if d.doc_id not in reserved]
    documents = documents[:limit] if limit else documents
    existing = list(read_labels([labels_path])) if labels_path.exists() else []
    queue = build_queue(documents, settings=obj.settings, labels=existing)
    console = Console()
    console.print(f"{len(queue)} unlabelled candidate statements in {len(documents)} documents; labels go to {labels_path}")
    done: list[int] = []
    i = 0
    while i < len(queue):
        show(console, queue[i], i + 1, len(queue))
        try:
            key = KEYS[click.prompt(PROMPT, type=click.Choice(sorted(KEYS)), show_choices=False)]
        except click.Abort:
            key = "quit"
        if key == "quit":
            break
        if key == "undo":
            if done and drop_last_label(labels_path) is not None:
                i = done.pop()
                console.print("[yellow]undone")
            continue
        if key != "skip":
            save_label(labels_path, label_record(queue[i], key))
            done.append(i)
        i += 1
    console.print(f"{len(done)} labels written to {labels_path}")
