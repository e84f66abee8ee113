"""VOS clustering: Leiden on VOSviewer's objective (ANCHORS 1.7), small clusters, numbering, stability.

The objective is CPM on the normalized network: association strength (default) with node
weights 1 and resolution gamma; for LinLog/modularity normalization, CPM on raw weights
with node weights k_i and resolution gamma / (2W), which is modularity. Leiden itself is
igraph's ``community_leiden``: each random start runs it from singletons with
``n_iterations=iterations`` and ``beta=randomness``, seeded through Python's ``random``
(igraph's RNG), and the best start (networkanalysis' quality Q) is kept.

igraph's Leiden is weaker per start than networkanalysis' (Q 0.6626 vs 0.6632 on the 1k
benchmark), so the starts are followed by perturbation rounds (iterated local search, not
in VOSviewer). Up to FULL_REFINE_MAX_LINKS links, REFINE_CHAINS independent chains (one
per core) each run CHAIN_STARTS of the random starts, keep the best, and then repeat: pick a
random cluster and its PERTURB_NEIGHBOURS most strongly linked clusters, either merge them
(share MERGE_SHARE of rounds) or break them into singletons, run Leiden (PERTURB_ITERATIONS
iterations) on the whole network from there, and keep the result only when Q rises. A round
costs a Leiden pass over every link, so the default number of rounds is bounded by
REFINE_LINK_BUDGET / links (measured on the 10k benchmark: 2 chains x (2 starts + 26
rounds) reach Q 0.70434-0.70452 over seeds 0-6 in 4.5 s CPU, where 10 plain starts reach
0.70426 in 2.7 s and the former subnetwork refinement 0.70428-0.70440; fewer starts and more rounds is
the better use of the time). Above FULL_REFINE_MAX_LINKS, where one Leiden pass costs
seconds, all starts run and the best is refined on subnetworks: a random cluster and its
most strongly linked neighbour cluster are re-clustered by Leiden on their induced subnetwork
(CPM is additive over clusters, so the subnetwork's quality change is the change of Q).
Either way a final full Leiden pass until stable lets every item move again. Chains and
rounds draw their seeds from ``seed`` only, so the result does not depend on ``n_jobs``.
"""
from __future__ import annotations

import dataclasses
import gc
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
FULL_REFINE_MAX_LINKS = 1_000_000
FULL_REFINE_MAX_ROUNDS = 400
REFINE_LINK_BUDGET = 12_000_000
REFINE_MIN_ROUNDS = 10
REFINE_CHAINS = 2
PERTURB_ITERATIONS = 2
PERTURB_NEIGHBOURS = 2
ROUNDS_PER_CLUSTER = 6
CHAIN_STARTS = 2
MERGE_SHARE = 0.5
PARALLEL_MIN_LINKS = 10_000
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
    graph = obj.graph
    if "weight" not in graph.edge_attributes():  # stored once: converting them costs more than a Leiden pass
        graph.es["weight"] = obj.edge_weights.tolist()
        graph.vs["node_weight"] = obj.node_weights.tolist()
    kwargs = dict(objective_function="CPM", weights="weight", resolution=obj.resolution,
                  beta=float(randomness), n_iterations=int(iterations))
    if not obj.unit_node_weights:
        kwargs["node_weights"] = "node_weight"
    if initial is not None:
        kwargs["initial_membership"] = initial.tolist()
    state = random.getstate()  # igraph draws from Python's random module: seed it, then restore it
    random.seed(int(seed))
    try:
        return np.asarray(graph.community_leiden(**kwargs).membership, dtype=np.int64)
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

    ``refinement_rounds`` None: 6 perturbation rounds per cluster of the best start, at most
    FULL_REFINE_MAX_ROUNDS and REFINE_LINK_BUDGET / links (split over the chains), or on
    networks over FULL_REFINE_MAX_LINKS links 2 subnetwork rounds per cluster, at most
    SUB_REFINE_MAX_ROUNDS; 0 gives plain best-of-``random_starts`` Leiden. With perturbation
    rounds only CHAIN_STARTS starts per chain run (``parameters['starts_run']``). On networks
    with more than LARGE_NETWORK_LINKS links, where a start costs tens of seconds,
    ``large_network_starts`` (default 2, one per core) starts run with iterations until stable
    (igraph ``n_iterations=-1``) instead; None keeps ``random_starts`` x ``iterations``.
    ``n_jobs`` processes run the chains or starts (default: 2 on networks with over
    PARALLEL_MIN_LINKS links when there are 2 cores). ``parameters`` records what ran.
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
    full = obj.edge_weights.size <= FULL_REFINE_MAX_LINKS
    if refinement_rounds is None:
        rounds = -1  # chosen from the number of clusters of the best start below
    else:
        rounds = int(refinement_rounds)
    perturb = full and rounds != 0
    chains = min(REFINE_CHAINS, starts) if perturb else 1
    if n_jobs is None:
        busy = obj.edge_weights.size > PARALLEL_MIN_LINKS and (os.cpu_count() or 1) >= 2
        n_jobs = 2 if busy and max(starts, chains) > 1 else 1
    if perturb:
        chain_seeds = [int(x) for x in rng.integers(0, 2**31 - 1, size=chains)]
        per_chain = [start_seeds[j::chains] for j in range(chains)]
        if CHAIN_STARTS is not None:
            per_chain = [c[:CHAIN_STARTS] for c in per_chain]
            params["starts_run"] = sum(len(c) for c in per_chain)
        jobs = [(per_chain[j], its, randomness, rounds, chain_seeds[j], chains) for j in range(chains)]
        results = _run_jobs(obj, _chain, jobs, int(n_jobs))
        best, best_q = None, -np.inf
        for mem, q, _ in results:
            if q > best_q:
                best, best_q = mem, q
        params["refinement_rounds"] = int(sum(r for _, _, r in results))
        params["refinement_chains"] = chains
        final = _leiden(obj, int(rng.integers(0, 2**31 - 1)), -1, randomness, initial=best)
        best = final if obj.quality(final + 1) >= best_q else best
    else:
        memberships = _run_jobs(obj, _start, [(s, its, randomness) for s in start_seeds], int(n_jobs))
        best, best_q = None, -np.inf
        for mem in memberships:
            q = obj.quality(mem + 1)
            if q > best_q:
                best, best_q = mem, q
        if rounds < 0:
            rounds = min(SUB_REFINE_MAX_ROUNDS, 2 * int(best.max() + 1))
        params["refinement_rounds"] = rounds
        if rounds > 0:
            best = _refine(obj, best, rounds, randomness, rng)
    labels = order_by_size(best + 1)
    labels = handle_small_clusters(obj.matrix, labels, obj.node_weights, min_cluster_size, merge_small_clusters)
    q = clustering_quality(obj.matrix, labels, obj.node_weights, obj.resolution)  # 0 = singletons
    return ClusteringResult(labels, float(q), int(labels.max(initial=0)), params)


_SHARED: dict = {}


def _start(obj: _Objective, seed: int, iterations: int, randomness: float) -> np.ndarray:
    """One random start: Leiden from singletons."""
    return _leiden(obj, seed, iterations, randomness)


def _rounds_of(obj: _Objective, membership: np.ndarray, rounds: int, chains: int) -> int:
    """Perturbation rounds per chain: ``rounds`` split over the chains, or (rounds < 0) the default.

    The default is 2 per cluster of the start, at most FULL_REFINE_MAX_ROUNDS and at most
    REFINE_LINK_BUDGET / links in all (a round costs a Leiden pass over every link).
    """
    if rounds < 0:
        k = int(membership.max()) + 1
        budget = max(REFINE_MIN_ROUNDS, REFINE_LINK_BUDGET // max(obj.edge_weights.size, 1))
        rounds = min(ROUNDS_PER_CLUSTER * k, FULL_REFINE_MAX_ROUNDS, budget)
    return -(-int(rounds) // chains)


def _chain(obj: _Objective, seeds: list[int], iterations: int, randomness: float, rounds: int,
           chain_seed: int, chains: int) -> tuple[np.ndarray, float, int]:
    """Random starts ``seeds``, then perturbation rounds on the best of them: (membership, Q, rounds)."""
    best, best_q = None, -np.inf
    for s in seeds:
        mem = _leiden(obj, s, iterations, randomness)
        q = obj.quality(mem + 1)
        if q > best_q:
            best, best_q = mem, q
    if rounds == 0:
        return best, best_q, 0
    done = _rounds_of(obj, best, rounds, chains)
    return (*_perturb(obj, best, best_q, done, randomness, np.random.default_rng(chain_seed)), done)


def _perturb(obj: _Objective, membership: np.ndarray, q: float, rounds: int, randomness: float,
             rng: np.random.Generator, neighbours: int | None = None) -> tuple[np.ndarray, float]:
    """Perturbation rounds: a random cluster and its ``neighbours`` most strongly linked clusters
    fall apart into singletons, Leiden (2 iterations) runs on the whole network from there, and
    the result is kept when Q rises."""
    neighbours = PERTURB_NEIGHBOURS if neighbours is None else neighbours
    mem = np.unique(membership, return_inverse=True)[1].astype(np.int64)
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
        picked = np.r_[c0, found[np.argsort(-weight, kind="stable")][:neighbours]]
        trial = mem.copy()
        moved = np.concatenate([members_of(c) for c in picked])
        if picked.size > 1 and rng.random() < MERGE_SHARE:  # merge the picked clusters
            trial[moved] = picked[0]
        else:  # break them up into singletons
            trial[moved] = k + np.arange(moved.size)
        trial = np.unique(trial, return_inverse=True)[1].astype(np.int64)
        cand = _leiden(obj, int(rng.integers(0, 2**31 - 1)), PERTURB_ITERATIONS, randomness, initial=trial)
        cand_q = obj.quality(cand + 1)
        if cand_q > q + 1e-12:
            mem, q, members_of = cand, cand_q, None
    return mem, q


def _job_in_worker(args):
    return _SHARED["function"](_SHARED["objective"], *args)


def _run_jobs(obj: _Objective, function, jobs: list[tuple], n_jobs: int) -> list:
    """``function(obj, *job)`` for every job; in ``n_jobs`` forked processes when asked and possible."""
    if n_jobs > 1 and len(jobs) > 1 and "fork" in multiprocessing.get_all_start_methods():
        _SHARED["objective"], _SHARED["function"] = obj, function
        # the parent's objects move out of the collector's reach while the workers live: a worker's
        # collection would otherwise touch every one of them and copy their pages (hundreds of MB
        # when a large study forks)
        gc.freeze()
        try:
            with multiprocessing.get_context("fork").Pool(min(n_jobs, len(jobs))) as pool:
                return pool.map(_job_in_worker, jobs, chunksize=1)
        finally:
            gc.unfreeze()
            _SHARED.clear()
    return [function(obj, *job) for job in jobs]


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
    """Subnetwork re-optimization rounds, then one full Leiden pass (see module docstring).

    ``neighbours`` (re-clustered with the random cluster) None: 1; ``context`` (intact
    neighbour clusters in the subnetwork) None: SUB_REFINE_CONTEXT (0). Measured on the 100k benchmark, 50
    rounds from one start: Q +0.000073 in 16 s without context, +0.000133 in 26 s with 2,
    but in the full benchmark run context 2 ended lower (0.699222 vs 0.699233) and 30 s slower.
    """
    mem = np.unique(membership, return_inverse=True)[1].astype(np.int64)
    if neighbours is None:
        neighbours = 1
    if context is None:
        context = SUB_REFINE_CONTEXT
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
        kept = ranked[neighbours:neighbours + context]
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
