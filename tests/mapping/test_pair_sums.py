"""The numpy all-pairs sums used for small maps equal the compiled kernel's."""
from __future__ import annotations

import numpy as np
import pytest

from bibliomap.mapping.quality import SMALL_PAIRS, _all_pairs_sums, all_pairs_sums


@pytest.mark.parametrize("exponents", [(2.0, 1.0), (2.0, 0.0), (1.0, -1.0), (3.0, 0.5)])
def test_small_map_pair_sums_match_the_kernel(exponents):
    rng = np.random.default_rng(7)
    n = 400
    assert n <= SMALL_PAIRS
    coords = rng.normal(size=(n, 2))
    coords[5] = coords[4]  # a pair at distance 0 counts in the weight sum only
    weights = rng.random(n)
    weights[10] = 0.0
    a, b = exponents
    np.testing.assert_allclose(all_pairs_sums(coords, weights, a, b), _all_pairs_sums(coords, weights, a, b), rtol=1e-10)
