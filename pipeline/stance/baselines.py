"""Stance baselines for `tradestance evaluate`: majority class and lexicon only, scored like the model."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from pipeline.annotations import AnnotatedDocument, AnnStance
from pipeline.evaluate import score
from pipeline.stance.aggregate import Verdict, aggregate
from pipeline.stance.features import CueLexicon, lexicon_polarity, read_cues
from pipeline.types import DocumentStance, StanceLabel, Statement

POLARITY = {1: "support", -1: "oppose", 0: "none"}


def read_statements(con, *, doc_ids: Sequence[str]) -> dict[str, list[Statement]]:
    """Read the stored candidate statements of these documents."""
    rows = con.execute(
        'SELECT doc_id, start, "end", text, actor, official, issue, target, actor_is_speaker FROM statements '
        'WHERE doc_id IN (SELECT unnest($ids)) ORDER BY doc_id, start, actor, issue', {"ids": list(doc_ids)}
    ).fetchall()
    out: dict[str, list[Statement]] = {}
    for r in rows:
        out.setdefault(r[0], []).append(Statement(start=r[1], end=r[2], text=r[3], actor=r[4], official=r[5], issue=r[6], target=r[7], actor_is_speaker=bool(r[8])))
    return out


def lexicon_stances(statements: Sequence[Statement], lexicon: CueLexicon) -> tuple[DocumentStance, ...]:
    """Return document stances from the cue lexicon alone (each statement's cue polarity, same aggregation)."""
    verdicts = []
    for s in statements:
        stance = POLARITY[lexicon_polarity(s.text, lexicon)]
        target = (s.target or s.actor) if stance == "support" else (s.target if stance == "oppose" else None)
        verdicts.append(Verdict(StanceLabel(dataclasses.replace(s, target=target), stance, 1.0, 0.0)))
    return aggregate(verdicts, split_targets=False)


def _as_ann(stances: Sequence[DocumentStance]) -> tuple[AnnStance, ...]:
    """Convert document stances to annotation items."""
    return tuple(AnnStance(s.actor, s.official, s.issue, s.stance, s.target, s.also) for s in stances)


def _summary(gold: Sequence[AnnotatedDocument], predicted: Sequence[AnnotatedDocument]) -> dict:
    """Return stance detection P/R/F1 and macro-F1 on matched pairs."""
    scores = score(gold, predicted)
    st = scores.items["stances"]
    return {"precision": round(st.precision, 4), "recall": round(st.recall, 4), "f1": round(st.f1, 4), "macro_f1": round(scores.stance_macro_f1, 4)}


def baseline_scores(gold: Sequence[AnnotatedDocument], predicted: Sequence[AnnotatedDocument], statements: dict[str, list[Statement]], *, majority: str = "support") -> dict:
    """Score the majority-class baseline (the model's items, every stance = majority) and the lexicon-only system."""
    lexicon = read_cues()
    as_majority = [dataclasses.replace(p, stances=tuple(dataclasses.replace(s, stance=majority) for s in p.stances)) for p in predicted]
    by_id = {p.doc_id: p for p in predicted}
    as_lexicon = [dataclasses.replace(by_id.get(g.doc_id, AnnotatedDocument(doc_id=g.doc_id)), stances=_as_ann(lexicon_stances(statements.get(g.doc_id, []), lexicon))) for g in gold]
    detail = {"majority": _summary(gold, as_majority), "lexicon": _summary(gold, as_lexicon)}
    return {"baselines": {k: v["macro_f1"] for k, v in detail.items()}, "stance_baselines": detail, "stance_majority_label": majority}
