"""Quality measures of a map: the VOS objective V, its optimal rescaling V*, and clustering Q.

V  = A - B with A = sum_links a'_ij d^a/a (+ eps sum_{i<j} d^a/a) and
B  = sum_{i<j} w_i w_j d^b/b (ln d when an exponent is 0); lower is better.
V* = min over s > 0 of V(s x): V depends on the scale of the layout, V* does not, so
     layouts are compared by V* (MAPPING-REFERENCE.md). For a > b > 0 the best scale is
     s^(a-b) = B/A; for b == 0, s^a = P/(a A) with P = sum_{i<j} w_i w_j.
Q  = (2 sum_c W'_c - gamma sum_c N_c^2) / (2 W'), networkanalysis' CPM quality, with N_c
     the summed node weights of cluster c (higher is better). leidenalg's CPMVertexPartition
     reports the same objective with another constant: Q = (Q_leidenalg - gamma n) / (2 W')
     for unit node weights (checked in tests/mapping/test_clustering.py).
B is computed exactly over all pairs (numpy up to ``SMALL_PAIRS`` items, which needs no compiled
kernel; numba in parallel above, O(n^2)); above ``exact_limit`` items it is estimated from a
fixed-seed sample of pairs.
"""
from __future__ import annotations

import dataclasses
import math

import numpy as np
import scipy.sparse as sp
from numba import njit, prange

from bibliomap.mapping._kernels import potential

EXACT_LIMIT = 200_000
SAMPLE_PAIRS = 20_000_000
#: up to this many items the all-pairs sums are taken with numpy: a study's maps (500 items by
#: default) then never pay the seconds it takes to compile the parallel kernel
SMALL_PAIRS = 2_000


@njit(cache=True)
def _row_sums(coords, weights, i, alpha, beta):
    n = coords.shape[0]
    xi = coords[i, 0]
    yi = coords[i, 1]
    wi = weights[i]
    r = 0.0
    a = 0.0
    p = 0.0
    for j in range(i + 1, n):
        dx = xi - coords[j, 0]
        dy = yi - coords[j, 1]
        d2 = dx * dx + dy * dy
        ww = wi * weights[j]
        p += ww
        if d2 > 0.0:
            if ww != 0.0:
                r += ww * potential(d2, beta)
            a += potential(d2, alpha)
    return r, a, p


@njit(cache=True, parallel=True)
def _all_pairs_sums(coords, weights, alpha, beta):
    """(sum w_i w_j pot_beta, sum pot_alpha, sum w_i w_j) over i<j; rows i and n-1-i paired for balance."""
    n = coords.shape[0]
    half = (n + 1) // 2
    rep = np.zeros(half)
    att = np.zeros(half)
    pw = np.zeros(half)
    for t in prange(half):
        r, a, p = _row_sums(coords, weights, t, alpha, beta)
        if n - 1 - t > t:
            r2, a2, p2 = _row_sums(coords, weights, n - 1 - t, alpha, beta)
            r += r2
            a += a2
            p += p2
        rep[t] = r
        att[t] = a
        pw[t] = p
    return rep.sum(), att.sum(), pw.sum()


def all_pairs_sums(coords: np.ndarray, weights: np.ndarray, alpha: float, beta: float) -> tuple[float, float, float]:
    """(sum w_i w_j pot_beta, sum pot_alpha, sum w_i w_j) over all pairs i < j (pairs at distance 0
    add to the last sum only)."""
    n = coords.shape[0]
    if n > SMALL_PAIRS:
        return _all_pairs_sums(coords, weights, alpha, beta)
    from scipy.spatial.distance import pdist

    d2 = pdist(coords, "sqeuclidean")
    i, j = np.triu_indices(n, 1)
    ww = weights[i] * weights[j]
    pos = d2 > 0
    rep = pos & (ww != 0)
    return (float((ww[rep] * _pot_np(d2[rep], beta)).sum()), float(_pot_np(d2[pos], alpha).sum()), float(ww.sum()))


def _sampled_pairs_sums(coords: np.ndarray, weights: np.ndarray, alpha: float, beta: float, seed: int = 0):
    n = coords.shape[0]
    rng = np.random.default_rng(seed)
    m = SAMPLE_PAIRS
    i = rng.integers(0, n, m)
    j = rng.integers(0, n, m)
    keep = i != j
    i, j = i[keep], j[keep]
    d2 = ((coords[i] - coords[j]) ** 2).sum(axis=1)
    ww = weights[i] * weights[j]
    pairs = n * (n - 1) / 2.0
    rep = _pot_np(d2, beta) * ww
    att = _pot_np(d2, alpha)
    pw_total = (weights.sum() ** 2 - (weights ** 2).sum()) / 2.0
    return float(rep.mean() * pairs), float(att.mean() * pairs), float(pw_total)


def _pot_np(d2: np.ndarray, e: float) -> np.ndarray:
    d2 = np.maximum(d2, 1e-300)
    if e == 0:
        return 0.5 * np.log(d2)
    return d2 ** (e / 2.0) / e


@dataclasses.dataclass(frozen=True)
class LayoutQuality:
    """Parts of the VOS objective: A (attraction), B (repulsion), V = A - B, V* and best scale."""

    A: float
    B: float
    V: float
    V_star: float
    scale: float
    exact: bool


def layout_quality(coords: np.ndarray, matrix: sp.csr_matrix, node_weights: np.ndarray, *,
                   attraction: float = 2.0, repulsion: float = 1.0, edge_weight_increment: float = 0.0,
                   exact_limit: int = EXACT_LIMIT) -> LayoutQuality:
    """V and V* of a layout (``matrix``: symmetric normalized links, ``node_weights``: w)."""
    coords = np.ascontiguousarray(coords, dtype=np.float64)
    w = np.ascontiguousarray(node_weights, dtype=np.float64)
    a, b = float(attraction), float(repulsion)
    upper = sp.triu(matrix, k=1).tocoo()
    d2 = ((coords[upper.row] - coords[upper.col]) ** 2).sum(axis=1)
    pos = d2 > 0
    A = float((upper.data[pos] * _pot_np(d2[pos], a)).sum())
    n = coords.shape[0]
    exact = n <= exact_limit
    if n < 2:
        B, att_all, P = 0.0, 0.0, 0.0
    elif exact:
        B, att_all, P = all_pairs_sums(coords, w, a, b)
    else:
        B, att_all, P = _sampled_pairs_sums(coords, w, a, b)
    A += edge_weight_increment * att_all
    V = A - B
    v_star, scale = _optimal_rescaling(A, B, P, a, b)
    return LayoutQuality(A=A, B=B, V=V, V_star=v_star, scale=scale, exact=exact)


def _optimal_rescaling(A: float, B: float, P: float, a: float, b: float) -> tuple[float, float]:
    """Minimum of V(s) = s^a A' - s^b B' over s > 0 (A, B with the 1/a, 1/b factors included)."""
    if A <= 0 or a <= 0 or a <= b:
        return float("nan"), float("nan")
    if b == 0:
        # V(s) = s^a A - (B + P ln s)
        s = (P / (a * A)) ** (1.0 / a)
        return s ** a * A - (B + P * math.log(s)), s
    ratio = b * B / (a * A)  # > 0 for b > 0 (B > 0) and for b < 0 (B < 0)
    if ratio <= 0:
        return float("nan"), float("nan")
    s = ratio ** (1.0 / (a - b))
    return s ** a * A - s ** b * B, s


def clustering_quality(matrix: sp.csr_matrix, labels: np.ndarray, node_weights: np.ndarray | None = None,
                       resolution: float = 1.0) -> float:
    """networkanalysis' CPM quality Q = (2 sum_c W'_c - gamma sum_c N_c^2) / (2 W').

    ``matrix`` is the symmetric link matrix the clustering optimizes (normalized, no
    diagonal); items with label 0 (unclustered) each count as their own cluster.
    For modularity pass raw weights, node weights k_i and resolution gamma / (2W).
    """
    labels = np.asarray(labels, dtype=np.int64)
    n = labels.size
    w = np.ones(n) if node_weights is None else np.asarray(node_weights, dtype=float)
    comm = labels.copy()
    free = comm <= 0
    comm[free] = comm.max(initial=0) + 1 + np.arange(int(free.sum()))
    coo = sp.triu(matrix, k=1).tocoo()
    total = float(coo.data.sum())
    if total <= 0:
        return float("nan")
    inside = float(coo.data[comm[coo.row] == comm[coo.col]].sum())
    _, inv = np.unique(comm, return_inverse=True)
    sizes = np.bincount(inv, weights=w)
    return (2.0 * inside - resolution * float((sizes ** 2).sum())) / (2.0 * total)
