"""Document-level scores: per-label precision/recall/F1, micro and macro F1, no-gap kept."""
from __future__ import annotations

from ..labels import LABELS


def score(gold: list[set[str]], predicted: list[set[str]]) -> dict:
    """Compare gold and predicted label sets, one pair per document."""
    per_label = {}
    tp_all = fp_all = fn_all = 0
    for label in LABELS:
        tp = sum(label in g and label in p for g, p in zip(gold, predicted))
        fp = sum(label not in g and label in p for g, p in zip(gold, predicted))
        fn = sum(label in g and label not in p for g, p in zip(gold, predicted))
        tp_all, fp_all, fn_all = tp_all + tp, fp_all + fp, fn_all + fn
        per_label[label] = {**_prf(tp, fp, fn), "support": tp + fn}
    no_gap = [p for g, p in zip(gold, predicted) if not g]
    return {
        "per_label": per_label,
        "micro_f1": _prf(tp_all, fp_all, fn_all)["f1"],
        "macro_f1": round(sum(v["f1"] for v in per_label.values()) / len(LABELS), 4),
        "no_gap_kept": round(sum(not p for p in no_gap) / len(no_gap), 4) if no_gap else None,
        "no_gap_support": len(no_gap),
        "documents": len(gold),
    }


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4)}


def format_table(title: str, result: dict) -> str:
    """A small fixed-width table for people."""
    lines = [title, f"{'label':<12} {'P':>6} {'R':>6} {'F1':>6} {'n':>5}"]
    for label, m in result["per_label"].items():
        lines.append(f"{label:<12} {m['precision']:>6.3f} {m['recall']:>6.3f} {m['f1']:>6.3f} {m['support']:>5}")
    kept = result["no_gap_kept"]
    lines.append(
        f"micro F1 {result['micro_f1']:.3f}  macro F1 {result['macro_f1']:.3f}  "
        f"no-gap kept {'n/a' if kept is None else f'{kept:.3f}'} (n={result['no_gap_support']})"
    )
    return "\n".join(lines)
