"""Synthetic maps for the viz tests: the shared benchmark network plus a simple placement.

Items of one planted topic sit around a random centre, so clusters are visible; labels,
weights and scores are made up but deterministic for a seed.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from bibliomap.mapping import Map
from bibliomap.networks import Network

BENCH = Path(__file__).resolve().parents[2].parent / "shared" / "bench"


def random_map(n: int, seed: int = 1, n_clusters: int = 6, links_per_item: float = 3.0) -> Map:
    """A small map with random coordinates, clusters 1..n_clusters, weights, scores and links."""
    rng = np.random.default_rng(seed)
    cluster = rng.integers(1, n_clusters + 1, n)
    centres = rng.uniform(-1, 1, (n_clusters + 1, 2))
    xy = centres[cluster] + rng.normal(0, 0.15, (n, 2))
    m = int(n * links_per_item)
    s, t = rng.integers(0, n, m), rng.integers(0, n, m)
    links = pd.DataFrame({"source": s, "target": t, "strength": rng.integers(1, 6, m).astype(float)})
    items = pd.DataFrame({
        "id": np.arange(n) * 3 + 2,
        "label": [f"term {i}" for i in range(n)],
        "weight<Occurrences>": rng.integers(1, 50, n),
        "score<Avg. pub. year>": 2000 + rng.uniform(0, 20, n).round(2),
        "score<Avg. citations>": rng.uniform(0, 30, n).round(3),
    })
    net = Network(items, links).with_standard_weights()
    return Map.from_network(net, xy[:, 0], xy[:, 1], cluster)


def benchmark_map(n: int, seed: int = 42) -> Map:
    """A co-occurrence-like map from /work/shared/bench/make_networks.py with topic placement."""
    sys.path.insert(0, str(BENCH))
    try:
        from make_networks import generate
    finally:
        sys.path.remove(str(BENCH))
    u, v, w, truth, _ = generate(n, seed=seed)
    rng = np.random.default_rng(seed)
    topics = int(truth.max()) + 1
    centres = rng.uniform(-1, 1, (topics, 2))
    sizes = np.bincount(truth, minlength=topics)
    xy = centres[truth] + rng.normal(0, 1, (n, 2)) * (0.02 + 0.004 * np.sqrt(sizes[truth]))[:, None]
    items = pd.DataFrame({"id": np.arange(n), "label": [f"keyword {i}" for i in range(n)],
                          "score<Avg. pub. year>": 2005 + (truth % 15) + rng.uniform(0, 3, n).round(2)})
    net = Network(items, pd.DataFrame({"source": u, "target": v, "strength": w.astype(float)})).with_standard_weights()
    return Map.from_network(net, xy[:, 0], xy[:, 1], truth % 30 + 1)


def keyword_map(corpus, seed: int = 3) -> Map:
    """A keyword co-occurrence map from a real corpus (author keywords), randomly placed.

    Labels are real keywords (accents, commas, quotes, long phrases); clusters come from a
    toy rule (first letter), which is enough for file formats and drawing.
    """
    doc, kw = corpus.explode("author_keywords")
    keywords = pd.Series(kw.to_pylist(), dtype=object).str.strip().str.lower()
    frame = pd.DataFrame({"doc": np.asarray(doc), "kw": keywords}).dropna()
    frame = frame[frame["kw"] != ""].drop_duplicates()
    labels = np.sort(frame["kw"].unique())
    code = {k: i for i, k in enumerate(labels)}
    frame["item"] = frame["kw"].map(code)
    pairs = frame.merge(frame, on="doc")
    pairs = pairs[pairs["item_x"] < pairs["item_y"]]
    links = pd.DataFrame({"source": pairs["item_x"].to_numpy(), "target": pairs["item_y"].to_numpy(), "strength": np.ones(len(pairs))})
    occ = frame.groupby("item").size().reindex(range(len(labels)), fill_value=0).to_numpy()
    years = np.asarray(corpus.values("year"), dtype=float)
    frame["year"] = years[frame["doc"].to_numpy()]
    avg_year = frame.groupby("item")["year"].mean().reindex(range(len(labels))).to_numpy()
    items = pd.DataFrame({"id": np.arange(1, len(labels) + 1), "label": labels, "weight<Occurrences>": occ,
                          "score<Avg. pub. year>": avg_year})
    net = Network(items, links).with_standard_weights()
    rng = np.random.default_rng(seed)
    first = np.array([ord(s[0]) % 7 for s in labels])
    return Map.from_network(net, rng.normal(size=len(labels)), rng.normal(size=len(labels)), first + 1)
