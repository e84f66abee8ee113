"""make_map: a Network -> a Map with VOS layout, VOS clustering, cluster labels and qualities."""
from __future__ import annotations

import numpy as np
from scipy.sparse.csgraph import connected_components

from bibliomap.mapping.clustering import cluster
from bibliomap.mapping.labels import cluster_labels
from bibliomap.mapping.layout import layout
from bibliomap.networks.map import Map
from bibliomap.networks.network import Network
from bibliomap.networks.normalize import normalize


def largest_component(network: Network) -> Network:
    """The subnetwork of the largest connected component (ties: the one with the first item)."""
    if network.n_items == 0:
        return network
    n_comp, comp = connected_components(network.adjacency(), directed=False)
    if n_comp <= 1:
        return network
    sizes = np.bincount(comp)
    return network.subnetwork(np.flatnonzero(comp == int(np.argmax(sizes))))


def make_map(network: Network, *, normalization: str = "association", attraction: float = 2.0,
             repulsion: float = 1.0, layout_random_starts: int = 1, max_iterations: int = 1000,
             layout_method: str = "auto", resolution: float = 1.0, clustering_random_starts: int = 10,
             iterations: int = 10, randomness: float = 0.01, min_cluster_size: int = 1,
             merge_small_clusters: bool = True, refinement_rounds: int | None = None,
             largest_component: bool = False, label_items: int = 3, seed: int = 0) -> Map:
    """Lay out and cluster ``network`` as VOSviewer does; deterministic for a given seed.

    The Map's ``quality`` holds V (layout objective), V* (at optimal rescaling) and Q
    (clustering quality); ``meta["mapping"]`` records every parameter used.
    """
    if largest_component:
        network = _largest(network)
    if "weight<Links>" not in network.items or "weight<Total link strength>" not in network.items:
        network = network.with_standard_weights()
    norm = normalize(network, normalization)
    lay = layout(norm, attraction=attraction, repulsion=repulsion, random_starts=layout_random_starts,
                 max_iterations=max_iterations, seed=seed, method=layout_method)
    clu = cluster(norm, resolution=resolution, random_starts=clustering_random_starts, iterations=iterations,
                  randomness=randomness, min_cluster_size=min_cluster_size,
                  merge_small_clusters=merge_small_clusters, seed=seed, refinement_rounds=refinement_rounds)
    clusters = cluster_labels(network, clu.labels, n_items=label_items)
    result = Map.from_network(network, lay.coords[:, 0], lay.coords[:, 1], clu.labels,
                              clusters=clusters, quality={"V": lay.V, "V*": lay.V_star, "Q": clu.quality})
    result.meta = dict(network.meta)
    result.meta["mapping"] = {"layout": dict(lay.parameters, iterations=lay.iterations, converged=lay.converged),
                              "clustering": dict(clu.parameters, n_clusters=clu.n_clusters),
                              "largest_component": bool(largest_component)}
    return result


_largest = largest_component
