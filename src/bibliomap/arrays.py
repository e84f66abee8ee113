"""Array helpers shared across layers, where numpy's own is slow for our data."""
from __future__ import annotations

import numpy as np


def unique_ints(values: np.ndarray) -> np.ndarray:
    """The sorted distinct values of an integer array, as ``np.unique`` gives them, by one sort.

    numpy 2.4's ``np.unique`` takes a hash path for integer arrays that is 60x slower than a
    sort on many distinct large keys (1.4 s against 0.02 s for 875,000 keys of a
    document x term product), which is what counting (document, item) pairs produces."""
    out = np.sort(np.asarray(values).ravel())
    if out.size > 1:
        out = out[np.concatenate(([True], out[1:] != out[:-1]))]
    return out
