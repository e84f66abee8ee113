"""VOS clustering: Leiden on VOSviewer's objective (ANCHORS 1.7), small clusters, numbering, stability.

The objective is CPM on the normalized network: association strength (default) with node
weights 1 and resolution gamma; for LinLog/modularity normalization, CPM on raw weights
with node weights k_i and resolution gamma / (2W), which is modularity. Leiden itself is
igraph's ``community_leiden``: each random start runs it from singletons with
``n_iterations=iterations`` and ``beta=randomness``, seeded through Python's ``random``
(igraph's RNG), and the best start (networkanalysis' quality Q) is kept.

igraph's Leiden is weaker per start than networkanalysis' (Q 0.6626 vs 0.6632 on the 1k
benchmark), so the best start is then improved by ``refinement_rounds`` rounds of
neighbourhood search (not in VOSviewer): a random cluster and its most strongly linked
neighbour clusters (two on small networks, one above) are broken up and re-clustered, and the result is kept only when Q rises.
On networks up to FULL_REFINE_MAX_ITEMS items the broken-up items become singletons and
igraph's Leiden runs on the whole network from that partition; above, Leiden runs on the
induced subnetwork of those clusters (plus, optionally, further neighbour clusters that
start intact; CPM is additive over clusters and the subnetwork holds whole clusters, so the
subnetwork's quality change is the change of Q). A final full Leiden pass from the result
lets every item move again.
"""
from __future__ import annotations

import dataclasses
import multiprocessing
import os
import random
import tempfile

import igraph as ig
import numpy as np
import pandas as pd
import scipy.sparse as sp

from bibliomap.mapping.quality import clustering_quality
from bibliomap.networks.network import Network
from bibliomap.networks.normalize import NormalizedNetwork, normalize


@dataclasses.dataclass
class ClusteringResult:
    """Cluster of every item (1..k by size, largest first; 0 = no cluster), Q and parameters."""

    labels: np.ndarray
    quality: float
    n_clusters: int
    parameters: dict


@dataclasses.dataclass(frozen=True)
class _Objective:
    """The CPM problem the Leiden runs optimize: symmetric weights, node weights, resolution."""

    matrix: sp.csr_matrix
    node_weights: np.ndarray
    resolution: float
    graph: ig.Graph
    edge_weights: np.ndarray
    unit_node_weights: bool

    rows: np.ndarray
    cols: np.ndarray

    def quality(self, labels: np.ndarray) -> float:
        """networkanalysis' Q (same formula as quality.clustering_quality), on the cached links.

        Every label, 0 included, is a cluster here: callers pass Leiden memberships + 1.
        """
        inside = float(self.edge_weights[labels[self.rows] == labels[self.cols]].sum())
        _, inv = np.unique(labels, return_inverse=True)
        sizes = np.bincount(inv, weights=self.node_weights)
        return (2.0 * inside - self.resolution * float((sizes ** 2).sum())) / (2.0 * float(self.edge_weights.sum()))

    def cluster_links(self, members: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(clusters, link weight) between the items ``members`` and each cluster of ``labels``."""
        block = self.matrix[members].tocoo()
        target = labels[block.col]
        keep = target != labels[members[0]]
        totals = np.bincount(target[keep], weights=block.data[keep], minlength=int(labels.max()) + 1)
        found = np.flatnonzero(totals > 0)
        return found, totals[found]


def clustering_objective(norm: NormalizedNetwork, resolution: float = 1.0) -> _Objective:
    """CPM objective of VOSviewer for a normalized network (modularity for ``linlog``)."""
    matrix = norm.matrix.tocsr()
    w = np.asarray(norm.node_weights, dtype=float)
    gamma = float(resolution)
    if norm.method == "linlog":
        total = norm.total_weight
        gamma = gamma / (2.0 * total) if total > 0 else gamma
    upper = sp.triu(matrix, k=1).tocoo()
    graph = igraph_graph(matrix.shape[0], upper.row, upper.col)
    return _Objective(matrix, w, gamma, graph, upper.data.astype(float), bool(np.all(w == 1.0)),
                      upper.row.astype(np.int64), upper.col.astype(np.int64))


FILE_TRANSFER_EDGES = 200_000
FULL_REFINE_MAX_ITEMS = 3000
LARGE_NETWORK_LINKS = 1_000_000
SUB_REFINE_MAX_ROUNDS = 50
SUB_REFINE_CONTEXT = 0


def igraph_graph(n: int, rows: np.ndarray, cols: np.ndarray) -> ig.Graph:
    """Undirected igraph Graph with edges (rows[i], cols[i]) in this order.

    python-igraph converts Python edge lists element by element (about 4 s per million
    edges); for large graphs its C edge-list reader on a temporary file is 2-3x faster.
    """
    if rows.size < FILE_TRANSFER_EDGES:
        return ig.Graph(n=n, edges=np.column_stack([rows, cols]).astype(np.int64).tolist(), directed=False)
    with tempfile.TemporaryDirectory(prefix="bibliomap-") as tmp:
        path = os.path.join(tmp, "edges.txt")
        pd.DataFrame({"s": rows.astype(np.int64), "t": cols.astype(np.int64)}).to_csv(path, sep=" ", header=False, index=False)
        graph = ig.Graph.Read_Edgelist(path, directed=False)
    if graph.vcount() < n:
        graph.add_vertices(n - graph.vcount())
    return graph


def _leiden(obj: _Objective, seed: int, iterations: int, randomness: float,
            initial: np.ndarray | None = None) -> np.ndarray:
    kwargs = dict(objective_function="CPM", weights=obj.edge_weights, resolution=obj.resolution,
                  beta=float(randomness), n_iterations=int(iterations))
    if not obj.unit_node_weights:
        kwargs["node_weights"] = obj.node_weights
    if initial is not None:
        kwargs["initial_membership"] = initial.tolist()
    state = random.getstate()  # igraph draws from Python's random module: seed it, then restore it
    random.seed(int(seed))
    try:
        return np.asarray(obj.graph.community_leiden(**kwargs).membership, dtype=np.int64)
    finally:
        random.setstate(state)


def _as_normalized(network: Network | NormalizedNetwork | sp.spmatrix, normalization: str) -> NormalizedNetwork:
    if isinstance(network, NormalizedNetwork):
        return network
    return normalize(network, normalization)


def cluster(network: Network | NormalizedNetwork | sp.spmatrix, resolution: float = 1.0,
            normalization: str = "association", random_starts: int = 10, iterations: int = 10,
            randomness: float = 0.01, min_cluster_size: int = 1, merge_small_clusters: bool = True,
            seed: int = 0, refinement_rounds: int | None = None, large_network_starts: int | None = 2,
            n_jobs: int | None = None) -> ClusteringResult:
    """Cluster a network as VOSviewer does (see the module docstring). Deterministic per seed.

    ``refinement_rounds`` None chooses 2 rounds per cluster of the best start (at most 400
    on networks up to FULL_REFINE_MAX_ITEMS items, at most SUB_REFINE_MAX_ROUNDS above); 0 gives plain
    best-of-starts Leiden. On networks with more than LARGE_NETWORK_LINKS links, where a
    start costs tens of seconds, ``large_network_starts`` (default 2, one per core) starts run with
    iterations until stable (igraph ``n_iterations=-1``) instead; None keeps
    ``random_starts`` x ``iterations``. ``n_jobs`` processes run the starts (default: 2 on
    networks with over 100,000 links when there are 2 cores). ``parameters`` records what ran.
    """
    if random_starts < 1 or iterations == 0:
        raise ValueError("random_starts must be >= 1 and iterations non-zero (negative: until stable)")
    if resolution < 0:
        raise ValueError("resolution must be >= 0")
    if min_cluster_size < 1:
        raise ValueError("min_cluster_size must be >= 1")
    norm = _as_normalized(network, normalization)
    n = norm.n
    params = dict(resolution=float(resolution), normalization=norm.method, random_starts=int(random_starts),
                  iterations=int(iterations), randomness=float(randomness), min_cluster_size=int(min_cluster_size),
                  merge_small_clusters=bool(merge_small_clusters), seed=int(seed))
    if n == 0:
        params["refinement_rounds"] = 0
        return ClusteringResult(np.zeros(0, np.int64), float("nan"), 0, params)
    obj = clustering_objective(norm, resolution)
    if obj.edge_weights.size == 0:  # no links: every item is its own cluster, Q undefined
        params.update(starts_run=0, iterations_run=0, refinement_rounds=0)
        labels = handle_small_clusters(obj.matrix, np.arange(1, n + 1), obj.node_weights, min_cluster_size,
                                       merge_small_clusters)
        return ClusteringResult(labels, float("nan"), int(labels.max(initial=0)), params)
    starts, its = int(random_starts), int(iterations)
    if large_network_starts is not None and obj.edge_weights.size > LARGE_NETWORK_LINKS and starts > large_network_starts:
        starts, its = int(large_network_starts), -1
    params.update(starts_run=starts, iterations_run=its)
    rng = np.random.default_rng([int(seed), 1])
    start_seeds = [int(x) for x in rng.integers(0, 2**31 - 1, size=starts)]
    if n_jobs is None:
        n_jobs = 2 if (obj.edge_weights.size > 100_000 and starts > 1 and (os.cpu_count() or 1) >= 2) else 1
    memberships = _run_starts(obj, start_seeds, its, randomness, int(n_jobs))
    best, best_q = None, -np.inf
    for mem in memberships:
        q = obj.quality(mem + 1)
        if q > best_q:
            best, best_q = mem, q
    if refinement_rounds is None:
        cap = 400 if n <= FULL_REFINE_MAX_ITEMS else SUB_REFINE_MAX_ROUNDS
        rounds = min(cap, 2 * int(best.max() + 1))
    else:
        rounds = int(refinement_rounds)
    params["refinement_rounds"] = rounds
    if rounds > 0:
        best = _refine(obj, best, rounds, randomness, rng)
    labels = order_by_size(best + 1)
    labels = handle_small_clusters(obj.matrix, labels, obj.node_weights, min_cluster_size, merge_small_clusters)
    q = clustering_quality(obj.matrix, labels, obj.node_weights, obj.resolution)  # 0 = singletons
    return ClusteringResult(labels, float(q), int(labels.max(initial=0)), params)


_SHARED: dict = {}


def _start_in_worker(args):
    seed, iterations, randomness = args
    return _leiden(_SHARED["objective"], seed, iterations, randomness)


def _run_starts(obj: _Objective, seeds: list[int], iterations: int, randomness: float, n_jobs: int) -> list[np.ndarray]:
    """Leiden from singletons for every seed; in ``n_jobs`` forked processes when asked and possible."""
    jobs = [(s, iterations, randomness) for s in seeds]
    if n_jobs > 1 and len(seeds) > 1 and "fork" in multiprocessing.get_all_start_methods():
        _SHARED["objective"] = obj
        try:
            with multiprocessing.get_context("fork").Pool(min(n_jobs, len(seeds))) as pool:
                return pool.map(_start_in_worker, jobs, chunksize=1)
        finally:
            _SHARED.clear()
    return [_leiden(obj, *job) for job in jobs]


def _subproblem_value(sub: sp.csr_matrix, labels: np.ndarray, weights: np.ndarray, gamma: float) -> float:
    """CPM value of a partition of a subnetwork: internal weight - gamma/2 sum_c N_c^2."""
    coo = sp.triu(sub, k=1).tocoo()
    inside = coo.data[labels[coo.row] == labels[coo.col]].sum()
    _, inv = np.unique(labels, return_inverse=True)
    sizes = np.bincount(inv, weights=weights)
    return float(inside - gamma * (sizes ** 2).sum() / 2.0)


def _refine(obj: _Objective, membership: np.ndarray, rounds: int, randomness: float,
            rng: np.random.Generator, neighbours: int | None = None, sub_starts: int = 1,
            sub_iterations: int = -1, context: int | None = None) -> np.ndarray:
    """Neighbourhood re-optimization rounds, then one full Leiden pass (see module docstring).

    ``neighbours`` (broken up with the random cluster) None: 2 on small networks, 1 on
    subnetworks; ``context`` (intact neighbour clusters in the subnetwork) None: 0 on small
    networks, SUB_REFINE_CONTEXT (0) on subnetworks. Measured on the 100k benchmark, 50
    rounds from one start: Q +0.000073 in 16 s without context, +0.000133 in 26 s with 2,
    but in the full benchmark run context 2 ended lower (0.699222 vs 0.699233) and 30 s slower.
    """
    mem = np.unique(membership, return_inverse=True)[1].astype(np.int64)
    n = mem.size
    full = n <= FULL_REFINE_MAX_ITEMS
    if neighbours is None:
        neighbours = 2 if full else 1
    if context is None:
        context = 0 if full else SUB_REFINE_CONTEXT
    mem_q = obj.quality(mem + 1)
    members_of = None
    for _ in range(rounds):
        k = int(mem.max()) + 1
        if k < 2:
            break
        if members_of is None:
            order_items = np.argsort(mem, kind="stable")
            bounds = np.searchsorted(mem[order_items], np.arange(k + 1))
            members_of = lambda c: order_items[bounds[c]:bounds[c + 1]]  # noqa: E731
        c0 = int(rng.integers(k))
        found, weight = obj.cluster_links(members_of(c0), mem)
        ranked = found[np.argsort(-weight, kind="stable")]
        picked = np.r_[c0, ranked[:neighbours]]
        kept = ranked[neighbours:neighbours + (0 if full else context)]
        if full:
            # perturb: the picked clusters fall apart into singletons, then Leiden on the whole network
            trial = mem.copy()
            moved = np.concatenate([members_of(c) for c in picked])
            trial[moved] = k + np.arange(moved.size)
            trial = np.unique(trial, return_inverse=True)[1].astype(np.int64)
            cand = _leiden(obj, int(rng.integers(0, 2**31 - 1)), 2, randomness, initial=trial)
            q = obj.quality(cand + 1)
            if q > mem_q + 1e-12:
                mem, mem_q, members_of = cand, q, None
            continue
        idx = np.sort(np.concatenate([members_of(c) for c in np.r_[picked, kept]]))
        # start: picked clusters as singletons, context clusters intact
        start = np.arange(idx.size, dtype=np.int64)
        if kept.size:
            in_kept = np.isin(mem[idx], kept)
            start[in_kept] = idx.size + mem[idx][in_kept]
            start = np.unique(start, return_inverse=True)[1].astype(np.int64)
        sub = obj.matrix[idx][:, idx].tocsr()
        weights = obj.node_weights[idx]
        upper = sp.triu(sub, k=1).tocoo()
        sub_obj = _Objective(sub, weights, obj.resolution, igraph_graph(idx.size, upper.row, upper.col),
                             upper.data.astype(float), obj.unit_node_weights, upper.row, upper.col)
        old_value = _subproblem_value(sub, mem[idx], weights, obj.resolution)
        new_value, new = -np.inf, None
        for _ in range(sub_starts):
            cand = _leiden(sub_obj, int(rng.integers(0, 2**31 - 1)), sub_iterations, randomness,
                           initial=start if kept.size else None)
            value = _subproblem_value(sub, cand, weights, obj.resolution)
            if value > new_value:
                new_value, new = value, cand
        if new_value > old_value + 1e-9 * max(1.0, abs(old_value)):
            mem = mem.copy()
            mem[idx] = k + new
            mem = np.unique(mem, return_inverse=True)[1].astype(np.int64)
            members_of = None
            mem_q += (new_value - old_value) / float(obj.edge_weights.sum())
    final = _leiden(obj, int(rng.integers(0, 2**31 - 1)), -1, randomness, initial=mem)
    return final if obj.quality(final + 1) >= mem_q else mem


def order_by_size(labels: np.ndarray) -> np.ndarray:
    """Renumber clusters 1..k by number of items, largest first (ties: first item first); 0 stays 0."""
    labels = np.asarray(labels, dtype=np.int64)
    out = np.zeros_like(labels)
    clustered = labels > 0
    if not clustered.any():
        return out
    uniq, first, inv, counts = np.unique(labels[clustered], return_index=True, return_inverse=True, return_counts=True)
    first_pos = np.flatnonzero(clustered)[first]
    order = np.lexsort((first_pos, -counts))
    rank = np.empty(uniq.size, np.int64)
    rank[order] = np.arange(1, uniq.size + 1)
    out[clustered] = rank[inv]
    return out


def handle_small_clusters(matrix: sp.csr_matrix, labels: np.ndarray, node_weights: np.ndarray,
                          min_cluster_size: int, merge: bool) -> np.ndarray:
    """VOSviewer's small-cluster rule, then renumbering by size.

    With ``merge``: repeatedly take the smallest cluster with fewer than ``min_cluster_size``
    items and merge it into the cluster j maximizing (link weight between them) / (cluster
    weight of j). Clusters that cannot be merged (no links to other clusters), and all small
    clusters when ``merge`` is False, lose their items to cluster 0 (no cluster).
    """
    labels = order_by_size(labels)
    k = int(labels.max(initial=0))
    if min_cluster_size <= 1 or k == 0:
        return labels
    n = labels.size
    counts = np.bincount(labels, minlength=k + 1).astype(np.int64)
    if merge:
        clustered = labels > 0
        h = sp.csr_matrix((np.ones(int(clustered.sum())), (np.flatnonzero(clustered), labels[clustered] - 1)), shape=(n, k))
        between = (h.T @ matrix @ h).toarray()
        np.fill_diagonal(between, 0.0)
        cweight = np.bincount(labels, weights=node_weights, minlength=k + 1)[1:].astype(float)
        active = counts[1:] > 0
        target = np.arange(k)
        stuck = np.zeros(k, bool)
        while True:
            small = np.flatnonzero(active & (counts[1:] < min_cluster_size) & ~stuck)
            if small.size == 0:
                break
            i = small[np.lexsort((small, counts[1:][small]))[0]]
            links = between[i].copy()
            links[~active] = 0.0
            links[i] = 0.0
            if not (links > 0).any():
                stuck[i] = True
                continue
            with np.errstate(divide="ignore", invalid="ignore"):
                score = np.where(links > 0, links / np.where(cweight > 0, cweight, np.inf), -np.inf)
            j = int(np.argmax(score))
            between[j] += between[i]
            between[:, j] += between[:, i]
            between[j, j] = 0.0
            between[i] = 0.0
            between[:, i] = 0.0
            cweight[j] += cweight[i]
            counts[j + 1] += counts[i + 1]
            counts[i + 1] = 0
            active[i] = False
            target[target == i] = j
        mapped = np.where(labels > 0, target[np.maximum(labels - 1, 0)] + 1, 0)
        labels = mapped
        counts = np.bincount(labels, minlength=k + 1)
    small_clusters = np.flatnonzero(counts < min_cluster_size)
    labels = np.where(np.isin(labels, small_clusters[small_clusters > 0]), 0, labels)
    return order_by_size(labels)


@dataclasses.dataclass
class StabilityResult:
    """Agreement between clusterings from different seeds.

    ``mean_ari``: mean adjusted Rand index over all pairs of runs; ``confidence``: per item,
    the mean share of its cluster-mates in the reference run (the run with the highest Q)
    that share its cluster in each run; ``labels``: the reference run's clusters.
    """

    mean_ari: float
    ari: np.ndarray
    confidence: np.ndarray
    labels: np.ndarray
    qualities: np.ndarray
    seeds: list


def adjusted_rand_index(a: np.ndarray, b: np.ndarray) -> float:
    """Adjusted Rand index (Hubert & Arabie) of two labelings of the same items."""
    a = np.unique(np.asarray(a), return_inverse=True)[1]
    b = np.unique(np.asarray(b), return_inverse=True)[1]
    n = a.size
    if n < 2:
        return 1.0
    table = sp.coo_matrix((np.ones(n), (a, b))).tocsr()
    table.sum_duplicates()
    comb = lambda x: x * (x - 1) / 2.0  # noqa: E731
    sum_ij = comb(table.data).sum()
    sum_a = comb(np.asarray(table.sum(axis=1)).ravel()).sum()
    sum_b = comb(np.asarray(table.sum(axis=0)).ravel()).sum()
    expected = sum_a * sum_b / comb(n)
    maximum = (sum_a + sum_b) / 2.0
    if maximum == expected:
        return 1.0
    return float((sum_ij - expected) / (maximum - expected))


def co_assignment_confidence(reference: np.ndarray, runs: list[np.ndarray]) -> np.ndarray:
    """Per item: mean over runs of the share of its reference cluster-mates in its cluster."""
    ref = np.unique(reference, return_inverse=True)[1]
    n = ref.size
    ref_size = np.bincount(ref)[ref]
    total = np.zeros(n)
    for run in runs:
        r = np.unique(run, return_inverse=True)[1]
        pair = ref.astype(np.int64) * (r.max() + 1) + r
        _, inv, cnt = np.unique(pair, return_inverse=True, return_counts=True)
        same = cnt[inv] - 1
        run_size = np.bincount(r)[r]
        share = np.where(ref_size > 1, same / np.maximum(ref_size - 1, 1), (run_size == 1).astype(float))
        total += share
    return total / max(len(runs), 1)


def stability(network: Network | NormalizedNetwork | sp.spmatrix, n_runs: int = 10, seed: int = 0,
              **cluster_kwargs) -> StabilityResult:
    """Cluster with ``n_runs`` seeds (seed, seed+1, ...) and measure their agreement."""
    if n_runs < 2:
        raise ValueError("stability needs at least 2 runs")
    normalization = cluster_kwargs.pop("normalization", "association")
    norm = _as_normalized(network, normalization)
    seeds = [int(seed) + i for i in range(n_runs)]
    results = [cluster(norm, seed=s, **cluster_kwargs) for s in seeds]
    runs = [r.labels for r in results]
    # unclustered items (0) are singletons for agreement purposes
    runs_ext = [np.where(x > 0, x, x.max(initial=0) + 1 + np.arange(x.size)) for x in runs]
    ari = np.ones((n_runs, n_runs))
    for i in range(n_runs):
        for j in range(i + 1, n_runs):
            ari[i, j] = ari[j, i] = adjusted_rand_index(runs_ext[i], runs_ext[j])
    qualities = np.array([r.quality for r in results])
    ref = int(np.argmax(qualities))
    confidence = co_assignment_confidence(runs_ext[ref], runs_ext)
    mean_ari = float(ari[np.triu_indices(n_runs, 1)].mean())
    return StabilityResult(mean_ari, ari, confidence, runs[ref], qualities, seeds)
