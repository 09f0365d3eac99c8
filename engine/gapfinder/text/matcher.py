"""Find rule phrases in a Doc's lemma array, working from (rule, start, end) tuples.

Phrases are tuples of lemma hashes. One-word phrases are found with one vectorised
membership test; longer phrases are indexed by their first two lemmas (a hashed bigram), so
only positions whose bigram starts some phrase are compared in Python. This is cheaper than
building Spans, and independent of whatever lemmatizer (if any) a user's pipeline runs.
"""
from __future__ import annotations

import numpy as np

from .arrays import member, sorted_keys

BIGRAM_MIX = np.uint64(0x9E3779B97F4A7C15)


MASK64 = (1 << 64) - 1


def _bigram(first: int, second: int) -> int:
    """The same value as the vectorised (first * BIGRAM_MIX) ^ second in uint64 arithmetic."""
    return ((first * int(BIGRAM_MIX)) & MASK64) ^ second


class HashPhraseMatcher:
    """Exact matching of lemma-hash sequences; every occurrence of every phrase is returned."""

    def __init__(self) -> None:
        self._single: dict[int, list[int]] = {}
        self._multi: dict[int, list[tuple[tuple[int, ...], int]]] = {}
        self._keys = None  # (single, multi) sorted key arrays, rebuilt after an add

    def add(self, hashes: tuple[int, ...], key: int) -> None:
        """Register a phrase under an integer key (an index into the caller's rule table)."""
        if len(hashes) == 1:
            self._single.setdefault(hashes[0], []).append(key)
        elif len(hashes) > 1:
            self._multi.setdefault(_bigram(hashes[0], hashes[1]), []).append((hashes, key))
        self._keys = None

    def __call__(self, lemmas: np.ndarray) -> list[tuple[int, int, int]]:
        """All (key, start, end) matches in a lemma array."""
        found = []
        if not len(lemmas):
            return found
        if self._keys is None:
            self._keys = (sorted_keys(self._single), sorted_keys(self._multi))
        single_keys, multi_keys = self._keys
        single = self._single
        hits = np.flatnonzero(member(lemmas, single_keys))
        if len(hits):
            for i, h in zip(hits.tolist(), lemmas[hits].tolist()):
                for key in single[h]:
                    found.append((key, i, i + 1))
        if len(lemmas) > 1 and len(multi_keys):
            with np.errstate(over="ignore"):
                bigrams = (lemmas[:-1] * BIGRAM_MIX) ^ lemmas[1:]
            starts = np.flatnonzero(member(bigrams, multi_keys))
            if len(starts):
                seq = lemmas.tolist()
                multi = self._multi
                for i, b in zip(starts.tolist(), bigrams[starts].tolist()):
                    for phrase, key in multi[b]:
                        n = len(phrase)
                        if tuple(seq[i : i + n]) == phrase:
                            found.append((key, i, i + n))
        return found
