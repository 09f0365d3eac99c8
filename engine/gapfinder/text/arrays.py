"""Small numpy helpers shared by the hot path."""
from __future__ import annotations

import numpy as np


def sorted_keys(values) -> np.ndarray:
    """A sorted, de-duplicated uint64 array for fast membership tests."""
    return np.unique(np.asarray(list(values), dtype=np.uint64))


def member(values: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """values[i] in keys, for a sorted keys array (cheaper than np.isin on small inputs)."""
    if not len(keys) or not len(values):
        return np.zeros(len(values), dtype=bool)
    pos = np.searchsorted(keys, values)
    pos[pos == len(keys)] = 0
    return keys[pos] == values
