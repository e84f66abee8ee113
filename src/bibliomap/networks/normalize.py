"""Normalization of link strengths, as VOSviewer does it before layout and clustering.

Methods (ANCHORS 1.5), with a_ij the raw strength, k_i the total link strength of item i,
n the number of items and W the total link strength (each link once):

* ``association`` (default): a'_ij = 2W a_ij / (k_i k_j); node weights 1.
* ``fractionalization``: a'_ij = a_ij (n/k_i + n/k_j) / 2; node weights 1.
* ``linlog`` (alias ``modularity``): a'_ij = a_ij; node weights k_i.
* ``none``: a'_ij = a_ij; node weights 1.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import scipy.sparse as sp

from bibliomap.networks.network import Network

_ALIASES = {
    "association": "association",
    "association_strength": "association",
    "associationstrength": "association",
    "fractionalization": "fractionalization",
    "linlog": "linlog",
    "modularity": "linlog",
    "linlog/modularity": "linlog",
    "none": "none",
    "no": "none",
}

METHODS = ("association", "fractionalization", "linlog", "none")


@dataclasses.dataclass(frozen=True)
class NormalizedNetwork:
    """Normalized symmetric link matrix (CSR, no diagonal), node weights and the method used."""

    matrix: sp.csr_matrix
    node_weights: np.ndarray
    method: str

    @property
    def n(self) -> int:
        return self.matrix.shape[0]

    @property
    def total_weight(self) -> float:
        """Total normalized link weight, each link counted once (W')."""
        return float(self.matrix.sum()) / 2.0


def canonical_method(method: str) -> str:
    """Map a user-facing normalization name to one of METHODS (clear error otherwise)."""
    key = str(method).strip().lower().replace(" ", "_").replace("-", "_")
    if key not in _ALIASES:
        raise ValueError(f"unknown normalization {method!r}: expected one of {', '.join(METHODS)} (or 'modularity')")
    return _ALIASES[key]


def _symmetric(network_or_matrix: Network | sp.spmatrix) -> sp.csr_matrix:
    if isinstance(network_or_matrix, Network):
        a = network_or_matrix.adjacency()
    else:
        a = sp.csr_matrix(network_or_matrix, dtype=float)
        a = sp.triu(a, k=1)
        a = (a + a.T).tocsr()
    a = sp.csr_matrix(a, dtype=np.float64)
    a.setdiag(0)
    a.eliminate_zeros()
    a.sort_indices()
    return a


def normalize(network_or_matrix: Network | sp.spmatrix, method: str = "association") -> NormalizedNetwork:
    """Normalize link strengths; returns the normalized matrix and the node weights.

    A matrix argument is read through its upper triangle (each link once) and made symmetric.
    Items without links keep empty rows (and weight 0 under ``linlog``).
    """
    method = canonical_method(method)
    a = _symmetric(network_or_matrix)
    n = a.shape[0]
    k = np.asarray(a.sum(axis=1)).ravel()
    coo = a.tocoo()
    rows, cols, data = coo.row, coo.col, coo.data
    if method == "association":
        total = k.sum()  # = 2W
        data = data * total / (k[rows] * k[cols])
        weights = np.ones(n)
    elif method == "fractionalization":
        with np.errstate(divide="ignore"):
            inv = np.where(k > 0, n / np.where(k > 0, k, 1.0), 0.0)
        data = data * (inv[rows] + inv[cols]) / 2.0
        weights = np.ones(n)
    elif method == "linlog":
        weights = k.astype(float)
    else:
        weights = np.ones(n)
    out = sp.csr_matrix((data, (rows, cols)), shape=(n, n))
    out.sort_indices()
    return NormalizedNetwork(out, np.ascontiguousarray(weights, dtype=np.float64), method)
