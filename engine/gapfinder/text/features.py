"""Hashed sentence features for the linear model, computed with numpy from lemma hashes.

Features: lemma unigrams, lemma bigrams inside a sentence, and negation scope (the three
tokens after "not"/"no"/"never" get a marked copy), hashed into a fixed number of columns.
(The previous sentence's words as context were tried and dropped: no gain on the dev sets,
and a neighbouring sentence about one gap could hide a clear statement of another.)
The same function feeds training and prediction, so the two cannot drift apart.
"""
from __future__ import annotations

import numpy as np

from .arrays import member

BIGRAM_MIX = np.uint64(0x9E3779B97F4A7C15)
NEGATED_SALT = np.uint64(0x5BD1E9955BD1E995)
NEGATION_SCOPE = 3


def sentence_features(
    lemmas: np.ndarray, sent_ids: np.ndarray, negators: np.ndarray, n_features: int
) -> tuple[np.ndarray, np.ndarray]:
    """Return (column, sentence) index arrays, one entry per distinct feature of a sentence.

    `lemmas` are uint64 lemma hashes, `sent_ids` the sentence index of each token (-1 for
    tokens outside every sentence), `negators` the uint64 hashes of negation lemmas.
    """
    keep = sent_ids >= 0
    cols = [lemmas[keep]]
    rows = [sent_ids[keep]]
    if len(lemmas) > 1:
        same = (sent_ids[:-1] == sent_ids[1:]) & keep[1:]
        with np.errstate(over="ignore"):
            bigrams = (lemmas[:-1] * BIGRAM_MIX) ^ lemmas[1:]
        cols.append(bigrams[same])
        rows.append(sent_ids[1:][same])
        is_neg = member(lemmas, negators)
        if is_neg.any():
            scope = np.zeros(len(lemmas), dtype=bool)
            for shift in range(1, NEGATION_SCOPE + 1):
                scope[shift:] |= is_neg[:-shift] & (sent_ids[shift:] == sent_ids[:-shift])
            scope &= keep
            cols.append(lemmas[scope] ^ NEGATED_SALT)
            rows.append(sent_ids[scope])
    col = (np.concatenate(cols) % np.uint64(n_features)).astype(np.int64)
    row = np.concatenate(rows).astype(np.int64)
    # presence, not counts: a sentence that repeats a word a thousand times must not score
    # a thousand times higher
    key = np.unique(row * n_features + col)
    return key % n_features, key // n_features
