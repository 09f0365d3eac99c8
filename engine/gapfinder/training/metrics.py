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


def bootstrap(gold: list[set[str]], predicted: list[set[str]], baseline: list[set[str]] | None = None,
              resamples: int = 2000, seed: int = 0, level: float = 0.90) -> dict:
    """How far macro-F1 and no-gap kept could move by the luck of which texts were collected.

    Texts are resampled with replacement `resamples` times; each figure comes with the
    central `level` interval of its resampled values. With `baseline` (another engine's
    predictions on the same texts) the figures are the differences, predicted minus
    baseline, resampled in pairs: on a check of a few hundred texts a change of 0.02-0.03
    is often inside that interval, and should not be read as a gain.
    """
    import numpy as np

    def matrix(sets):
        return np.array([[label in s for label in LABELS] for s in sets], dtype=float).reshape(len(sets), len(LABELS))

    g = matrix(gold)
    no_gap = (g.sum(axis=1) == 0).astype(float)
    weights = np.random.default_rng(seed).multinomial(len(gold), np.full(len(gold), 1 / len(gold)), size=resamples)

    def figures(pred):
        p = matrix(pred)
        tp, fp, fn = weights @ (p * g), weights @ (p * (1 - g)), weights @ ((1 - p) * g)
        denom = 2 * tp + fp + fn
        f1 = np.divide(2 * tp, denom, out=np.zeros_like(tp), where=denom > 0)
        nog = weights @ no_gap
        kept = np.divide(weights @ (no_gap * (p.sum(axis=1) == 0)), nog, out=np.full(len(nog), np.nan), where=nog > 0)
        return f1.mean(axis=1), kept

    macro, kept = figures(predicted)
    if baseline is not None:
        base_macro, base_kept = figures(baseline)
        macro, kept = macro - base_macro, kept - base_kept
    tail = (1 - level) / 2 * 100

    def interval(values):
        values = values[~np.isnan(values)]
        if not len(values):
            return None
        low, high = np.percentile(values, [tail, 100 - tail])
        return [round(float(low), 3), round(float(high), 3)]

    return {"macro_f1": interval(macro), "no_gap_kept": interval(kept), "level": level,
            "resamples": resamples, "difference": baseline is not None}
