"""The document stage: a last look at the whole text, learnt from texts labelled by document.

The sentence model and the rules judge one sentence at a time, and both learnt only from our
writers' texts. Real feedback says a gap once in a long story, by euphemism, or not at all
while naming every area. This stage reads, per label, a summary of what the sentence stage
found across the whole text (DOCUMENT_FEATURES) plus one more opinion, a TF-IDF logistic
regression over the text's hashed lemma n-grams, and a small logistic regression over both
decides the label. It is trained (training.document_stage) on texts labelled by document
only, real feedback among them, which sentence training cannot use well: on real text
measured with every round held out in turn it lifted macro-F1 from 0.45 to 0.51.

Everything is stored as plain numpy arrays; scoring needs no scikit-learn import. The
features are computed by one function for training and scoring, so the two cannot drift.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np

from ..labels import LABELS

# Per label, what the sentence stage found in the whole text. `probs` are the sentence
# stage's combined confidences, `logits` the sentence model's, rule channels as RULE_SIGNALS.
DOCUMENT_FEATURES = (
    "top_confidence", "second_confidence", "top_logit", "second_logit",
    "any_gap_phrase", "any_gap_topic", "any_hedged", "any_not_a_gap", "any_strength",
    "any_topic", "any_deficit_cue", "any_praise_cue", "doc_rule_gap",
    "rule_gap_sentences", "topic_sentences", "topic_with_deficit_sentences",
    "trusted_rule_gap", "sentences", "rejection", "sentences_with_any_gap",
    "labels_over_half", "strength_sentences", "not_a_gap_sentences",
    "text_model_logit",
)
_LOGIT_SCALE = 5.0
MAX_COLUMN = 2**24  # hashed columns are far below this; a larger one is a damaged file
_TEXT_LOGIT_CAP = float(np.log((1 - 1e-4) / 1e-4))  # probabilities kept within 1e-4 of 0 and 1


@dataclass
class DocumentStage:
    vocabulary: np.ndarray    # (k,) sorted hashed feature columns that carry an idf weight
    idf: np.ndarray           # (k,) float
    text_weights: np.ndarray  # (k, n_labels) TF-IDF logistic regression, per label
    text_bias: np.ndarray     # (n_labels,)
    mean: np.ndarray          # (n_labels, n_features) standardisation of DOCUMENT_FEATURES
    scale: np.ndarray         # (n_labels, n_features)
    weights: np.ndarray       # (n_labels, n_features)
    bias: np.ndarray          # (n_labels,)
    _position: np.ndarray | None = field(default=None, repr=False, compare=False)

    def text_logits(self, cols: np.ndarray) -> np.ndarray:
        """The TF-IDF model's logit per label for a text with these hashed feature columns."""
        if self._position is None:  # a dense column -> row table, built on first use (0.5 MB)
            size = max(int(self.vocabulary.max()) + 1 if len(self.vocabulary) else 0, 1)
            self._position = np.full(size, -1, dtype=np.int64)
            self._position[self.vocabulary] = np.arange(len(self.vocabulary))
        cols = np.unique(cols)
        at = self._position[cols[cols < len(self._position)]]
        at = at[at >= 0]
        values = self.idf[at]
        norm = float(np.sqrt(values @ values))
        if norm == 0.0:
            return self.text_bias.copy()
        return (values @ self.text_weights[at]) / norm + self.text_bias

    def probabilities(self, features: np.ndarray) -> np.ndarray:
        """Per label, the probability of a gap from DOCUMENT_FEATURES (n_labels, n_features)."""
        z = (((features - self.mean) / self.scale) * self.weights).sum(axis=1) + self.bias
        return 1.0 / (1.0 + np.exp(-np.clip(z, -50, 50)))

    def to_arrays(self) -> dict:
        return {name: getattr(self, name) for name in _STORED}

    @classmethod
    def from_arrays(cls, arrays: dict) -> "DocumentStage":
        """Build from stored arrays; ValueError when a shape does not fit."""
        if not isinstance(arrays, dict) or set(arrays) != set(_STORED):
            raise ValueError("the document stage's arrays are incomplete")
        stage = cls(**{name: np.asarray(arrays[name], dtype=np.int64 if name == "vocabulary" else np.float64)
                       for name in _STORED})
        k, n_labels, n_feat = len(stage.vocabulary), len(LABELS), len(DOCUMENT_FEATURES)
        shapes = {"vocabulary": (k,), "idf": (k,), "text_weights": (k, n_labels), "text_bias": (n_labels,),
                  "mean": (n_labels, n_feat), "scale": (n_labels, n_feat), "weights": (n_labels, n_feat),
                  "bias": (n_labels,)}
        for name, shape in shapes.items():
            if getattr(stage, name).shape != shape:
                raise ValueError(f"the document stage's {name} has shape {getattr(stage, name).shape}, not {shape}")
        if k and (np.any(np.diff(stage.vocabulary) <= 0) or stage.vocabulary[0] < 0
                  or stage.vocabulary[-1] >= MAX_COLUMN):
            raise ValueError("the document stage's vocabulary is not sorted hashed columns")
        if np.any(stage.scale <= 0):
            raise ValueError("the document stage's scale has a value that is not positive")
        return stage


_STORED = tuple(f.name for f in fields(DocumentStage) if not f.name.startswith("_"))


def document_features(probs: np.ndarray, logits: np.ndarray, rule_signals: np.ndarray,
                      trusted: np.ndarray, rejection: bool, text_logits: np.ndarray) -> np.ndarray:
    """DOCUMENT_FEATURES per label, shape (n_labels, len(DOCUMENT_FEATURES)), from one text's
    sentence-stage output: probs and logits (n_sentences, n_labels), rule_signals
    (n_sentences, n_labels, len(RULE_SIGNALS)), trusted (n_sentences, n_labels, 2)."""
    n_sent, n_labels = probs.shape
    out = np.zeros((n_labels, len(DOCUMENT_FEATURES)))
    if n_sent == 0:
        return out
    rules = rule_signals > 0
    gap_rows = rules[:, :, 0] | rules[:, :, 1]                     # (n_sentences, n_labels)
    counts = rules.sum(axis=0)                                     # (n_labels, channels)
    if n_sent > 1:
        top = -np.sort(-np.stack([probs, logits / _LOGIT_SCALE]), axis=1)[:, :2]  # (2, 2, n_labels)
        out[:, 0], out[:, 1], out[:, 2], out[:, 3] = top[0, 0], top[0, 1], top[1, 0], top[1, 1]
    else:
        out[:, 0], out[:, 2], out[:, 3] = probs[0], logits[0] / _LOGIT_SCALE, -1.0
    out[:, 4:13] = rule_signals.max(axis=0)
    out[:, 13] = gap_rows.sum(axis=0)
    out[:, 14] = counts[:, 5]
    out[:, 15] = (rules[:, :, 5] & rules[:, :, 6]).sum(axis=0)
    out[:, 21] = counts[:, 4]
    out[:, 22] = counts[:, 3]
    out[:, 19] = gap_rows.any(axis=1).sum()
    np.log1p(out[:, 13:23], out=out[:, 13:23])                  # counts, on a log scale
    out[:, 16] = trusted.max(axis=(0, 2))
    out[:, 17] = np.log1p(n_sent) / 3
    out[:, 18] = float(rejection)
    out[:, 20] = (probs.max(axis=0) >= 0.5).sum() / n_labels
    out[:, 23] = np.clip(text_logits, -_TEXT_LOGIT_CAP, _TEXT_LOGIT_CAP)
    return out
