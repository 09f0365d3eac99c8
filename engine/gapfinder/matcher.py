"""Find rule phrases in a Doc's lemma array, working from (rule, start, end) tuples.

Phrases are stored as tuples of lemma hashes and indexed by their first hash; a binary search
over the sorted first hashes picks the candidate positions, and only those are compared in
Python. This is cheaper than building Spans, and independent of whatever lemmatizer (if any)
a user's own pipeline runs.
"""
from __future__ import annotations

import numpy as np


class HashPhraseMatcher:
    """Exact matching of lemma-hash sequences; every occurrence of every phrase is returned."""

    def __init__(self) -> None:
        self._by_first: dict[int, list[tuple[tuple[int, ...], int]]] = {}
        self._firsts = np.zeros(0, dtype=np.uint64)

    def add(self, hashes: tuple[int, ...], key: int) -> None:
        """Register a phrase under an integer key (an index into the caller's rule table)."""
        if not hashes:
            return
        bucket = self._by_first.setdefault(hashes[0], [])
        if (hashes, key) not in bucket:
            bucket.append((hashes, key))
            bucket.sort(key=lambda item: -len(item[0]))
        self._firsts = np.array(sorted(self._by_first), dtype=np.uint64)

    def __call__(self, lemmas: np.ndarray) -> list[tuple[int, int, int]]:
        """All (key, start, end) matches in a lemma array, in order of start."""
        if not len(lemmas) or not len(self._firsts):
            return []
        pos = np.searchsorted(self._firsts, lemmas)
        pos[pos == len(self._firsts)] = 0
        starts = np.flatnonzero(self._firsts[pos] == lemmas)
        if not len(starts):
            return []
        seq = lemmas.tolist()
        by_first = self._by_first
        found = []
        for i in starts.tolist():
            for phrase, key in by_first[seq[i]]:
                n = len(phrase)
                if n == 1 or tuple(seq[i : i + n]) == phrase:
                    found.append((key, i, i + n))
        return found
