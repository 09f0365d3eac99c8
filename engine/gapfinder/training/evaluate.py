"""Score an engine on labelled texts: per-label P/R/F1, micro/macro F1, no-gap kept, and how
often the evidence of a correctly found gap overlaps the gold evidence."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from .corpus import json_lines
from ..errors import InputError
from ..labels import LABELS
from .metrics import score


def read_labelled(path: Path) -> list[dict]:
    """Labelled JSONL: objects with "text", "labels" and optionally "evidence" and "id"."""
    records = []
    for lineno, rec, problem in json_lines(path):
        if problem:
            raise InputError(f"{path}:{lineno}: {problem}")
        if not isinstance(rec, dict) or not isinstance(rec.get("text"), str) or not isinstance(rec.get("labels"), list):
            raise InputError(f"{path}:{lineno}: needs a string 'text' and a list 'labels'")
        bad = [label for label in rec["labels"] if label not in LABELS]
        if bad:
            raise InputError(f"{path}:{lineno}: unknown label(s) {bad}")
        records.append(rec)
    return records


def evaluate(engine, records: Iterable[dict], modes=("combined",)) -> dict:
    """Metrics per mode. Each record needs text and labels; evidence is optional."""
    return evaluate_with_predictions(engine, records, modes)[0]


def evaluate_with_predictions(engine, records: Iterable[dict], modes=("combined",)) -> tuple[dict, dict]:
    """Metrics per mode, and per mode the label set predicted for each record in order (for
    callers that break the figures down further, such as corpus/field/check.py by register)."""
    records = list(records)
    gold = [set(r["labels"]) for r in records]
    out, predictions = {}, {}
    for mode in modes:
        predicted, hits, found = [], 0, 0
        for rec in records:
            analysis = engine.analyze(rec["text"], rec.get("id"), mode=mode)
            labels = set(analysis.labels)
            predicted.append(labels)
            for gap in analysis.gaps:
                gold_ev = rec.get("evidence", {}).get(gap.label)
                if gap.label not in rec["labels"] or not gold_ev:
                    continue
                found += 1
                spans = [(rec["text"].find(e), rec["text"].find(e) + len(e)) for e in gold_ev if e in rec["text"]]
                if any(ev.start < b and a < ev.end for ev in gap.evidence for a, b in spans):
                    hits += 1
        result = score(gold, predicted)
        result["evidence_overlap"] = round(hits / found, 4) if found else None
        result["evidence_checked"] = found
        out[mode] = result
        predictions[mode] = predicted
    return out, predictions
