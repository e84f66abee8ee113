"""make_map: layout + clustering + labels in one Map; deterministic; largest component."""
import numpy as np
import pandas as pd

from bibliomap.mapping import Map, make_map
from bibliomap.mapping.labels import cluster_labels, item_specificity
from bibliomap.networks import Network

from _nets import planted_two_communities


def test_make_map_is_complete_and_deterministic():
    net, truth = planted_two_communities()
    m = make_map(net, seed=0)
    assert isinstance(m, Map)
    assert set(m.quality) >= {"V*", "Q"} and m.quality["V*"] < 0 and 0 < m.quality["Q"] <= 1
    assert m.n_clusters == 2 and len(m.clusters) == 2
    clusters = m.items["cluster"].to_numpy()
    assert all(np.unique(clusters[truth == g]).size == 1 for g in (0, 1)) and clusters[0] != clusters[-1]
    assert m.clusters["label"].str.startswith("item").all()
    assert "weight<Total link strength>" in m.items
    again = make_map(net, seed=0)
    assert np.array_equal(m.coordinates, again.coordinates)
    assert np.array_equal(m.items["cluster"], again.items["cluster"])
    assert m.meta["mapping"]["layout"]["seed"] == 0


def test_largest_component_only():
    net, _ = planted_two_communities()
    extra = pd.DataFrame({"source": [30], "target": [31], "strength": [1.0]})
    items = pd.concat([net.items, pd.DataFrame({"id": [30, 31], "label": ["x", "y"]})], ignore_index=True)
    bigger = Network(items, pd.concat([net.links, extra], ignore_index=True))
    assert make_map(bigger, largest_component=True).n_items == 30
    full = make_map(bigger)
    assert full.n_items == 32 and full.meta["mapping"]["layout"]["edge_weight_increment"] == 0.01


def test_cluster_labels_pick_frequent_specific_items():
    items = pd.DataFrame({"id": range(5), "label": ["a", "b", "c", "d", "e"], "weight<Occurrences>": [10, 50, 5, 8, 9]})
    # b is frequent but links mostly to the other cluster; a is frequent and specific
    links = pd.DataFrame({"source": [0, 0, 1, 1, 3], "target": [2, 1, 3, 4, 4], "strength": [4.0, 1.0, 9.0, 9.0, 2.0]})
    net = Network(items, links)
    labels = np.array([1, 1, 1, 2, 2])
    spec = item_specificity(net, labels)
    assert spec.tolist() == [1.0, 1 / 19, 1.0, 2 / 11, 2 / 11]
    table = cluster_labels(net, labels, n_items=2)
    assert table["label"].tolist() == ["a; c", "e; d"]
    assert table["n_items"].tolist() == [3, 2]
