"""Cluster labels: name each cluster by its most characteristic items.

An item characterizes its cluster when it is frequent (its weight: occurrences, documents,
citations, or total link strength when the network has no such column) and specific (the
share of its link strength that stays inside its cluster). The score is weight x
specificity; a cluster's label joins the labels of its top-scoring items.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from bibliomap.networks.network import Network

_PREFERRED_WEIGHTS = ("weight<Occurrences>", "weight<Documents>", "weight<Citations>", "weight<Total link strength>")


def frequency_weights(network: Network) -> tuple[np.ndarray, str]:
    """The weight that measures how frequent an item is, and its column name."""
    for col in _PREFERRED_WEIGHTS:
        if col in network.items:
            return network.items[col].to_numpy(float), col
    others = network.weight_columns()
    for col in others:
        if col != "weight<Links>":
            return network.items[col].to_numpy(float), col
    return network.total_link_strength(), "weight<Total link strength>"


def item_specificity(network: Network, labels: np.ndarray) -> np.ndarray:
    """Share of each item's link strength that links it to items of its own cluster (0 if none)."""
    labels = np.asarray(labels, dtype=np.int64)
    links = network.links
    s = links["source"].to_numpy()
    t = links["target"].to_numpy()
    w = links["strength"].to_numpy(float)
    n = network.n_items
    total = np.bincount(s, weights=w, minlength=n) + np.bincount(t, weights=w, minlength=n)
    same = (labels[s] == labels[t]) & (labels[s] > 0)
    inside = np.bincount(s[same], weights=w[same], minlength=n) + np.bincount(t[same], weights=w[same], minlength=n)
    return np.divide(inside, total, out=np.zeros(n), where=total > 0)


def cluster_labels(network: Network, labels: np.ndarray, n_items: int = 3, separator: str = "; ") -> pd.DataFrame:
    """One row per cluster 1..k: ``cluster``, ``label`` (its top items joined), ``n_items``, ``weight``."""
    labels = np.asarray(labels, dtype=np.int64)
    freq, _ = frequency_weights(network)
    score = freq * item_specificity(network, labels)
    names = network.items["label"].astype(str).to_numpy()
    rows = []
    for c in range(1, int(labels.max(initial=0)) + 1):
        members = np.flatnonzero(labels == c)
        if members.size == 0:
            continue
        order = members[np.lexsort((members, -freq[members], -score[members]))]
        top = [names[i] for i in order[:n_items]]
        rows.append({"cluster": c, "label": separator.join(top), "n_items": int(members.size),
                     "weight": float(freq[members].sum())})
    return pd.DataFrame(rows, columns=["cluster", "label", "n_items", "weight"])
