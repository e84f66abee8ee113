"""Small networks for the mapping tests: planted communities and the shared benchmark generator."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd

from bibliomap.networks import Network

BENCH = Path(__file__).resolve().parents[2].parent / "shared" / "bench" / "make_networks.py"


def planted_two_communities(size: int = 15, seed: int = 1) -> tuple[Network, np.ndarray]:
    """Two dense groups of ``size`` items with a few weak links between them."""
    rng = np.random.default_rng(seed)
    rows = []
    n = 2 * size
    for i in range(n):
        for j in range(i + 1, n):
            same = (i < size) == (j < size)
            if same and rng.random() < 0.7:
                rows.append((i, j, float(rng.integers(1, 5))))
            elif not same and rng.random() < 0.03:
                rows.append((i, j, 1.0))
    links = pd.DataFrame(rows, columns=["source", "target", "strength"])
    items = pd.DataFrame({"id": np.arange(n), "label": [f"item{i}" for i in range(n)]})
    return Network(items, links), np.r_[np.zeros(size, int), np.ones(size, int)]


def benchmark_network(n_nodes: int = 500, seed: int = 42) -> tuple[Network, np.ndarray]:
    """A network of the shared benchmark generator (planted topics) at a small size."""
    spec = importlib.util.spec_from_file_location("bibliomap_bench_make_networks", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    eu, ev, w, truth, _ = module.generate(n_nodes, seed=seed)
    n = len(truth)
    items = pd.DataFrame({"id": np.arange(n), "label": [f"kw{i}" for i in range(n)]})
    links = pd.DataFrame({"source": eu, "target": ev, "strength": np.asarray(w, float)})
    return Network(items, links), np.asarray(truth)
