"""The model card (models/stance.md): data, features, CV and dev-gold scores, tone vs stance, date."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

DEV_BEGIN = "<!-- dev-gold:begin -->"
DEV_END = "<!-- dev-gold:end -->"


@dataclass(frozen=True, slots=True)
class ToneRelation:
    """How statement tone relates to the stance labels: mean tone per class and a correlation."""

    mean_tone: dict[str, float]
    n: dict[str, int]
    correlation: float  # Pearson r of tone with stance coded support=+1, none=0, oppose=-1


def tone_relation(pairs: list[tuple[str, float]]) -> ToneRelation:
    """Summarise (stance, tone) pairs of labelled statements."""
    import numpy as np

    by: dict[str, list[float]] = {}
    for stance, tone in pairs:
        by.setdefault(stance, []).append(tone)
    coded = np.array([{"support": 1, "none": 0, "oppose": -1}[s] for s, _ in pairs], dtype=float)
    tones = np.array([t for _, t in pairs], dtype=float)
    r = float(np.corrcoef(coded, tones)[0, 1]) if len(pairs) > 2 and tones.std() > 0 and coded.std() > 0 else 0.0
    return ToneRelation({k: round(sum(v) / len(v), 3) for k, v in sorted(by.items())}, {k: len(v) for k, v in sorted(by.items())}, round(r, 3))


def _scores_table(cv: dict) -> str:
    """Render the CV scores of the model and the baselines as a Markdown table."""
    rows = ["| system | macro-F1 (support, oppose) | macro-F1 (3 classes) | accuracy |", "|---|---|---|---|"]
    for key, name in (("model", "stance model"), ("majority_baseline", "majority-class baseline"), ("lexicon_baseline", "lexicon-only baseline")):
        s = cv[key]
        rows.append(f"| {name} | {s['macro_f1']:.3f} | {s['macro_f1_3']:.3f} | {s['accuracy']:.3f} |")
    return "\n".join(rows)


def render_card(*, info: dict, cv: dict | None, tone: ToneRelation | None, label_counts: dict[str, Counter], dev: dict | None = None) -> str:
    """Return the model card Markdown."""
    data_rows = ["| file | support | oppose | none | total |", "|---|---|---|---|---|"]
    for name, counts in label_counts.items():
        data_rows.append(f"| {name} | {counts.get('support', 0)} | {counts.get('oppose', 0)} | {counts.get('none', 0)} | {sum(counts.values())} |")
    params = info.get("params", {})
    lines = [
        "# Stance model card (`models/stance.skops`)",
        "",
        f"Trained {info.get('trained_at', '?')} with scikit-learn {info.get('sklearn', '?')} by `tradestance train`; "
        f"{info.get('n_examples', '?')} statement examples ({info.get('n_matched', '?')} on run-time candidates, the rest on the label's own span).",
        "",
        "## Data",
        "",
        "Statement-level labels (actor, issue, stance) from `corpora/stance/` (format: docs/stance.md). Synthetic statements "
        "(rare issues) are used for training only and never scored. No dev-gold or held-out document is used.",
        "",
        *data_rows,
        "",
        *_doc_gold_data(info.get("gate")),
        "## Model and features",
        "",
        f"{params.get('classifier', 'svm')} (C={params.get('C')}, class_weight={params.get('class_weight')}) over: word {tuple(params.get('word_ngrams', ()))}-grams and "
        f"char_wb {tuple(params.get('char_ngrams', ()))}-grams of the sentence with the actor masked (`zzactor`) and other actors masked (`zzother`); "
        "the words just before/after the actor's mention; the neighbouring sentences (context); and dense features: "
        "cue-lexicon counts (pipeline/data/stance_cues.tsv) in the clause, the actor window and the context, negation flips, "
        "proposal ownership (own vs another's), the actor's role (speaker, author, subject, mentioned; \"he said\" goes to the person named last), "
        "document kind and issue, and conjunctions of ownership and role with the cue polarity. "
        f"{_decision(params)} Document stances count statements whose actor is {', '.join(params.get('stance_roles', ()))}; "
        f"{_aggregation(info)}",
        "",
        "## Cross-validated scores (statement level)",
        "",
    ]
    if cv:
        lines += [f"{cv['folds']}-fold CV grouped by document (synthetic examples only in training folds), {cv['n_test']} scored statements:", "", _scores_table(cv), ""]
    else:
        lines += ["Not computed in this run (`--no-cv`).", ""]
    if info.get("gate"):
        lines += _gate_section(info["gate"], info.get("min_pair_probability"))
    lines += ["## Tone and stance", ""]
    if tone:
        means = ", ".join(f"{k} {v:+.3f} (n={tone.n[k]})" for k, v in tone.mean_tone.items())
        lines += [
            "Tone is VADER's compound score in [-1, 1], stored apart from stance (`statements.tone`, `document_tone`). "
            f"On the labelled real statements the mean tone per stance is: {means}; Pearson r between tone and stance "
            f"(support +1, none 0, oppose -1) is {tone.correlation:+.3f}. Tone is at best a loose proxy for stance.",
            "",
        ]
    lines += ["## Dev-gold scores (document level, spec scorer)", "", DEV_BEGIN, render_dev(dev) if dev else "Run `make dev-eval` (it updates this section).", DEV_END, ""]
    return "\n".join(lines)


def _aggregation(info: dict) -> str:
    """Describe how statements become document stances (pair gate or vote)."""
    if info.get("gate"):
        return ("a pair gate (logistic regression over the pair's statement scores: best and mean p(stance), how many statements, "
                "whether the actor speaks or is the subject, whether issue and actor are the story's main ones, how early the pair appears, "
                "how much the statements agree) and an issue-word model's probability (TF-IDF logistic regression over the pair's words joined "
                f"to its issue, e.g. negotiations__talks) admits an (actor, issue) pair when its probability is >= {info.get('min_pair_probability')}; "
                "its direction is the statements' vote weighted by p(stance). The gate is fitted on document-level gold of training stories "
                "(corpora/gold/train_stances.jsonl) with out-of-fold statement scores.")
    return "one entry per (actor, issue) by confidence-weighted vote (two when one's own measure is backed and another's opposed)."


def _doc_gold_data(gate: dict | None) -> list[str]:
    """Describe the document-level gold the gate learns from and the labels it reconciled."""
    if not gate:
        return []
    cv = gate["document_cv"]
    return [f"Document-level gold stances of {cv['documents']} Reuters train/unused stories (corpora/gold/{gate.get('doc_gold', 'train_stances.jsonl')}, "
            f"{cv['gold_stances']} stances, the spec's annotations shape) train the pair gate. "
            f"{gate.get('reconciled_labels', 0)} statement labels of pairs that gold has but no statement label took a stance on were given the gold stance "
            "(reconcile_labels); the statements of one-direction gold pairs also train the polarity model (distant_polarity). "
            "The statement-level CV below scores these reconciled labels.", ""]


def _gate_section(gate: dict, threshold) -> list[str]:
    """Render the pair gate's data and its document-level CV scores."""
    cv = gate["document_cv"]
    d = cv["detection"]
    return [
        "## Document-level cross-validation (pair gate)", "",
        f"{gate['stories']} training stories with document-level gold ({cv['gold_stances']} stances), {gate['pairs']} candidate "
        f"(actor, issue) pairs of which {gate['positive_pairs']} match a gold stance. Each fold's statement model is fitted without "
        f"the fold's stories and the gate without their pairs; gate threshold {threshold}; spec scorer:", "",
        "| detection P | detection R | detection F1 | macro-F1 on matched pairs |", "|---|---|---|---|",
        f"| {d['precision']:.3f} | {d['recall']:.3f} | {d['f1']:.3f} | {cv['macro_f1']:.3f} |", "",
    ]


def _decision(params: dict) -> str:
    """Describe how a statement's label is decided (two-stage or three-class)."""
    if params.get("two_stage"):
        return (f"Two stages on the same features: a none-vs-stance detector (a statement takes a stance when p(stance) >= "
                f"{params.get('min_stance_probability')}) and a support-vs-oppose model trained on the stance-taking statements only.")
    return f"A statement takes a stance when p(support) + p(oppose) >= {params.get('min_stance_probability')} (the larger gives the direction)."


def render_dev(scores: dict) -> str:
    """Render the stance part of an evaluate JSON as Markdown."""
    st = scores["items"]["stances"]
    base = scores.get("stance_baselines", {})
    rows = ["| system | detection P | detection R | detection F1 | macro-F1 on matched pairs |", "|---|---|---|---|---|",
            f"| stance model | {st['precision']:.3f} | {st['recall']:.3f} | {st['f1']:.3f} | {scores['stance_macro_f1']:.3f} |"]
    for name, b in base.items():
        rows.append(f"| {name} baseline | {b['precision']:.3f} | {b['recall']:.3f} | {b['f1']:.3f} | {b['macro_f1']:.3f} |")
    return f"{scores['documents']} dev-gold documents (corpora/gold/dev.jsonl):\n\n" + "\n".join(rows)


def update_card_dev(path: Path, scores: dict) -> None:
    """Replace the dev-gold section of an existing model card with these scores."""
    if not path.exists():
        return
    text = path.read_text(encoding="utf-8")
    block = f"{DEV_BEGIN}\n{render_dev(scores)}\n{DEV_END}"
    text = re.sub(re.escape(DEV_BEGIN) + r".*?" + re.escape(DEV_END), lambda _: block, text, flags=re.S)
    path.write_text(text, encoding="utf-8")


def params_dict(params) -> dict:
    """Return model params as plain JSON-ready values."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(params).items()}
