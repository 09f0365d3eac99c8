"""Lower-cased lookup lemmas as arrays: one vectorised step instead of a Python call per token.

The table comes from spacy-lookups-data (English `lemma_lookup`, MIT licence). Its keys are
case-sensitive, so we key it by the lower-cased form. A token missing from the table is its
own lemma. Works on spaCy's 64-bit string hashes, so a Doc's LOWER array goes straight in.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

# Apostrophe variants that the table spells only with a straight quote.
CURLY = {"n’t": "not", "’s": "'s", "’re": "be", "’m": "be", "’ve": "have", "’ll": "will", "’d": "would"}


class LemmaTable:
    """Maps lower-cased orth hashes to lemma hashes with a binary search over sorted keys.

    A trained model carries the arrays it was trained with (`from_arrays`), so training and
    prediction lemmatise identically and start-up skips building the table.
    """

    def __init__(self, keys: np.ndarray, values: np.ndarray):
        self.keys = np.asarray(keys, dtype=np.uint64)
        self.values = np.asarray(values, dtype=np.uint64)

    @classmethod
    def from_forms(cls, forms: dict[str, str]) -> "LemmaTable":
        """Build from a form -> lemma dictionary (hashes computed as spaCy's StringStore does)."""
        from spacy.strings import get_string_id

        pairs = {}
        for form, lemma in forms.items():
            low = form.lower()
            if low not in pairs or form == low:
                pairs[low] = lemma.lower()
        pairs.update(CURLY)
        keys = np.fromiter((get_string_id(k) for k in pairs), dtype=np.uint64, count=len(pairs))
        vals = np.fromiter((get_string_id(v) for v in pairs.values()), dtype=np.uint64, count=len(pairs))
        order = np.argsort(keys, kind="stable")
        return cls(keys[order], vals[order])

    def lemmatize(self, lowers: np.ndarray) -> np.ndarray:
        """Lemma hashes for an array of lower-cased orth hashes (same shape)."""
        if not len(lowers) or not len(self.keys):
            return lowers.copy()
        pos = np.searchsorted(self.keys, lowers)
        pos[pos == len(self.keys)] = 0
        found = self.keys[pos] == lowers
        return np.where(found, self.values[pos], lowers)


@lru_cache(maxsize=1)
def english_forms() -> dict[str, str]:
    """The English lookup table of spacy-lookups-data (form -> lemma), read once per process."""
    import gzip
    import json
    from importlib import resources

    data = resources.files("spacy_lookups_data") / "data" / "en_lemma_lookup.json.gz"
    with gzip.open(data.open("rb"), "rt", encoding="utf-8") as fh:
        return json.load(fh)
