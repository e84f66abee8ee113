"""Normalization formulas (ANCHORS 1.5) on a tiny hand-computed network."""
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from bibliomap.networks import Network
from bibliomap.networks.normalize import normalize

# links: (0,1)=2, (1,2)=1, (0,2)=3 -> k = [5, 3, 4], 2W = 12, n = 3
TINY = Network(pd.DataFrame({"id": [1, 2, 3]}),
               pd.DataFrame({"source": [0, 1, 0], "target": [1, 2, 2], "strength": [2.0, 1.0, 3.0]}))


def _pairs(m: sp.csr_matrix) -> dict:
    d = m.todok()
    return {(i, j): v for (i, j), v in d.items()}


def test_association_strength_by_hand():
    norm = normalize(TINY)
    got = _pairs(norm.matrix)
    assert got[(0, 1)] == pytest.approx(12 * 2 / (5 * 3))
    assert got[(1, 2)] == pytest.approx(12 * 1 / (3 * 4))
    assert got[(0, 2)] == pytest.approx(12 * 3 / (5 * 4))
    assert got[(1, 0)] == got[(0, 1)]  # symmetric
    assert np.array_equal(norm.node_weights, np.ones(3))
    assert norm.matrix.diagonal().sum() == 0


def test_fractionalization_by_hand():
    got = _pairs(normalize(TINY, "fractionalization").matrix)
    assert got[(0, 1)] == pytest.approx(2 * (3 / 5 + 3 / 3) / 2)
    assert got[(1, 2)] == pytest.approx(1 * (3 / 3 + 3 / 4) / 2)
    assert got[(0, 2)] == pytest.approx(3 * (3 / 5 + 3 / 4) / 2)


@pytest.mark.parametrize("name", ["linlog", "modularity", "LinLog/modularity"])
def test_linlog_keeps_weights_and_sets_node_weights(name):
    norm = normalize(TINY, name)
    assert norm.method == "linlog"
    assert _pairs(norm.matrix)[(0, 2)] == 3.0
    assert np.array_equal(norm.node_weights, [5.0, 3.0, 4.0])


def test_none_and_matrix_input_and_errors():
    m = sp.csr_matrix(np.array([[0, 2, 3], [0, 0, 1], [0, 0, 0]], float))  # upper triangle only
    norm = normalize(m, "none")
    assert _pairs(norm.matrix)[(2, 0)] == 3.0
    assert np.array_equal(norm.node_weights, np.ones(3))
    assert norm.total_weight == pytest.approx(6.0)
    with pytest.raises(ValueError, match="unknown normalization 'cosine'"):
        normalize(TINY, "cosine")
