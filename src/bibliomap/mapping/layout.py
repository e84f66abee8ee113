"""VOS layout: VOSviewer's mapping technique (ANCHORS 1.6) with an exact and a Barnes-Hut optimizer.

Minimizes V = sum_links a'_ij d^a/a - sum_{i<j} w_i w_j d^b/b by networkanalysis' gradient
descent: random start in [-1, 1]^2, nodes visited in a fixed random permutation, each moved
by the step size against its unit-normalized gradient, the step enlarged after
``required_improvements`` consecutive improvements of V and shrunk otherwise. The best of
``random_starts`` layouts (lowest V) is kept and then standardized as VOSviewer does.

``method="exact"`` evaluates the repulsion over all pairs for every node move (O(n^2) per
iteration, networkanalysis' algorithm). ``method="barnes_hut"`` computes the all-pairs
gradient of every node once per iteration with a Barnes-Hut quadtree in parallel, then
sweeps the nodes sequentially with exact link attraction on current coordinates.
``method="auto"`` picks exact up to ``EXACT_MAX_ITEMS`` items.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from bibliomap.mapping import _vos_numba
from bibliomap.mapping.barnes_hut import all_pairs_field
from bibliomap.mapping.quality import all_pairs_sums, layout_quality
from bibliomap.networks.network import Network
from bibliomap.networks.normalize import NormalizedNetwork, normalize

EXACT_MAX_ITEMS = 2000
BARNES_HUT_STEP_SIZE_REDUCTION = 0.93
UNCONNECTED_SIMILARITY = 0.01
MEAN_DISTANCE_EXACT_LIMIT = 20_000
MEAN_DISTANCE_SAMPLE = 4_000_000


@dataclasses.dataclass
class LayoutResult:
    """Standardized coordinates (n x 2) and the objective of the optimized layout.

    ``V`` is the objective of the kept start before standardization and ``V_star`` the
    objective at the optimal rescaling (both computed over all pairs, see quality.py);
    ``iterations`` are those of the kept start, ``converged`` whether its step size fell
    below the minimum before the iteration cap.
    """

    coords: np.ndarray
    V: float
    V_star: float
    iterations: int
    method: str
    converged: bool
    parameters: dict


def _as_normalized(network: Network | NormalizedNetwork | sp.spmatrix, normalization: str) -> NormalizedNetwork:
    if isinstance(network, NormalizedNetwork):
        return network
    return normalize(network, normalization)


def layout(network: Network | NormalizedNetwork | sp.spmatrix, attraction: float = 2.0, repulsion: float = 1.0,
           normalization: str = "association", random_starts: int = 1, max_iterations: int = 1000,
           initial_step_size: float = 1.0, min_step_size: float = 0.001, step_size_reduction: float | None = None,
           required_improvements: int = 5, edge_weight_increment: float | None = None, seed: int = 0,
           method: str = "auto", theta: float = 0.9, leaf_size: int = 16, standardize: bool = True) -> LayoutResult:
    """Optimize a VOS layout; see the module docstring. Deterministic for a given seed.

    ``edge_weight_increment`` None means VOSviewer's rule: 0.01 when the network has more
    than one connected component, else 0. ``theta`` is the Barnes-Hut opening angle.
    ``step_size_reduction`` None means VOSviewer's 0.75 for the exact optimizer and 0.93 for
    Barnes-Hut: there every node sees the others' positions from the start of the iteration,
    and cooling more slowly lets the layout leave poor local minima (on the 10k benchmark,
    seeds 0/1: V* -109.83M/-110.01M with 0.93 against -109.48M/-109.34M with 0.75).
    """
    if not attraction > repulsion:
        raise ValueError(f"attraction ({attraction}) must be larger than repulsion ({repulsion})")
    if random_starts < 1 or max_iterations < 0:
        raise ValueError("random_starts must be >= 1 and max_iterations >= 0")
    norm = _as_normalized(network, normalization)
    n = norm.n
    matrix = norm.matrix.tocsr()
    if edge_weight_increment is None:
        n_comp = connected_components(matrix, directed=False)[0] if n else 0
        edge_weight_increment = UNCONNECTED_SIMILARITY if n_comp > 1 else 0.0
    method = _choose_method(method, n)
    if step_size_reduction is None:
        step_size_reduction = 0.75 if method == "exact" else BARNES_HUT_STEP_SIZE_REDUCTION
    if not 0 < step_size_reduction < 1:
        raise ValueError("step_size_reduction must be in (0, 1)")
    params = dict(attraction=float(attraction), repulsion=float(repulsion), normalization=norm.method,
                  random_starts=int(random_starts), max_iterations=int(max_iterations),
                  initial_step_size=float(initial_step_size), min_step_size=float(min_step_size),
                  step_size_reduction=float(step_size_reduction), required_improvements=int(required_improvements),
                  edge_weight_increment=float(edge_weight_increment), seed=int(seed), method=method)
    if method == "barnes_hut":
        params.update(theta=float(theta), leaf_size=int(leaf_size))
    if n == 0:
        return LayoutResult(np.zeros((0, 2)), 0.0, float("nan"), 0, method, True, params)
    if n == 1:
        return LayoutResult(np.zeros((1, 2)), 0.0, float("nan"), 0, method, True, params)

    weights = np.ascontiguousarray(norm.node_weights, dtype=np.float64)
    def optimize(coords, m, w, perm, step0, level_method):
        ip, ix, dt = m.indptr.astype(np.int64), m.indices.astype(np.int64), m.data.astype(np.float64)
        w = np.ascontiguousarray(w, dtype=np.float64)
        args = (float(attraction), float(repulsion), float(edge_weight_increment), perm, int(max_iterations),
                float(step0), float(min_step_size), float(step_size_reduction), int(required_improvements))
        if level_method == "exact":
            return _vos_numba.improve_exact(coords, ip, ix, dt, w, *args)
        return _improve_barnes_hut(coords, ip, ix, dt, w, *args, float(theta), int(leaf_size))

    best = None
    for start in range(random_starts):
        rng = np.random.default_rng([int(seed), start])
        step0 = float(initial_step_size)
        coords = rng.uniform(-1.0, 1.0, size=(n, 2))
        perm = rng.permutation(n).astype(np.int64)
        its, v, step = optimize(coords, matrix, weights, perm, step0, method)
        if best is None or v < best[1]:
            best = (coords, v, its, step)
    coords, v, its, step = best
    q = layout_quality(coords, matrix, weights, attraction=attraction, repulsion=repulsion,
                       edge_weight_increment=edge_weight_increment)
    if standardize:
        coords = standardize_layout(coords)
    return LayoutResult(coords, float(q.V), float(q.V_star), int(its), method, bool(step < min_step_size), params)


def _choose_method(method: str, n: int) -> str:
    m = str(method).lower().replace("-", "_")
    if m in ("bh", "barneshut"):
        m = "barnes_hut"
    if m == "auto":
        return "exact" if n <= EXACT_MAX_ITEMS else "barnes_hut"
    if m not in ("exact", "barnes_hut"):
        raise ValueError(f"unknown layout method {method!r}: expected 'auto', 'exact' or 'barnes_hut'")
    return m


def _improve_barnes_hut(coords, indptr, indices, data, weights, alpha, beta, eps, perm, max_iter, step,
                        min_step, reduction, required, theta, leaf_size):
    """Step-size-controlled descent with the Barnes-Hut all-pairs field (see module docstring)."""
    n = coords.shape[0]
    fx = np.empty(n)
    fy = np.empty(n)
    fe = np.empty(n)
    quality = np.inf
    n_improvements = 0
    it = 0
    while it < max_iter and step >= min_step:
        old_quality = quality
        all_pairs_field(coords, weights, alpha, beta, eps, theta, leaf_size, fx, fy, fe)
        quality = _vos_numba.sweep_with_field(coords, indptr, indices, data, alpha, perm, fx, fy, fe, step)
        if quality < old_quality:
            n_improvements += 1
            if n_improvements >= required:
                step /= reduction
                n_improvements = 0
        else:
            step *= reduction
            n_improvements = 0
        it += 1
    return it, quality / 2.0, step


def standardize_layout(coords: np.ndarray) -> np.ndarray:
    """VOSviewer's standardization: centre, rotate (PCA: most variance on x), flip to medians <= 0,
    scale to mean pairwise distance 1 (estimated from a fixed-seed sample of pairs for large n)."""
    c = np.array(coords, dtype=np.float64, copy=True)
    n = c.shape[0]
    if n == 0:
        return c
    c -= c.mean(axis=0)
    if n == 1:
        return c
    cov = c.T @ c / n
    vals, vecs = np.linalg.eigh(cov)
    c = c @ vecs[:, ::-1]
    for axis in range(2):
        if np.median(c[:, axis]) > 0:
            c[:, axis] = -c[:, axis]
    mean_d = mean_pairwise_distance(c)
    if mean_d > 0:
        c /= mean_d
    c += 0.0  # no negative zeros in output files
    return c


def mean_pairwise_distance(coords: np.ndarray) -> float:
    """Mean Euclidean distance over all pairs (exact up to MEAN_DISTANCE_EXACT_LIMIT items)."""
    n = coords.shape[0]
    if n < 2:
        return 0.0
    c = np.ascontiguousarray(coords, dtype=np.float64)
    if n <= MEAN_DISTANCE_EXACT_LIMIT:
        total = all_pairs_sums(c, np.ones(n), 2.0, 1.0)[0]
        return float(total) / (n * (n - 1) / 2.0)
    rng = np.random.default_rng(0)
    i = rng.integers(0, n, MEAN_DISTANCE_SAMPLE)
    j = rng.integers(0, n, MEAN_DISTANCE_SAMPLE)
    keep = i != j
    return float(np.sqrt(((c[i[keep]] - c[j[keep]]) ** 2).sum(axis=1)).mean())
