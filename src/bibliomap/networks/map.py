"""The Map: a Network plus layout coordinates and clusters (VOSviewer's map)."""
from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd

from bibliomap.networks.network import Network


@dataclasses.dataclass
class Map(Network):
    """A Network whose ``items`` also have ``x``, ``y`` and ``cluster`` (1.., 0 = no cluster).

    ``clusters`` has one row per cluster: ``cluster`` (int), ``label`` (str) and any
    descriptive columns. ``quality`` holds the layout and clustering qualities
    (e.g. ``{"V*": ..., "Q": ...}``).
    """

    clusters: pd.DataFrame = dataclasses.field(default_factory=lambda: pd.DataFrame({"cluster": [], "label": []}))
    quality: dict[str, Any] = dataclasses.field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__post_init__()
        for col, default in (("x", 0.0), ("y", 0.0), ("cluster", 0)):
            if col not in self.items:
                self.items[col] = default
        self.items["cluster"] = self.items["cluster"].fillna(0).astype(np.int64)

    @classmethod
    def from_network(cls, network: Network, x: np.ndarray, y: np.ndarray, cluster: np.ndarray | None = None, **kw: Any) -> "Map":
        items = network.items.copy()
        items["x"] = np.asarray(x, dtype=float)
        items["y"] = np.asarray(y, dtype=float)
        items["cluster"] = np.zeros(len(items), np.int64) if cluster is None else np.asarray(cluster, dtype=np.int64)
        return cls(items=items, links=network.links.copy(), meta=dict(network.meta), **kw)

    @property
    def coordinates(self) -> np.ndarray:
        return self.items[["x", "y"]].to_numpy(float)

    @property
    def n_clusters(self) -> int:
        c = self.items["cluster"].to_numpy()
        return int(np.unique(c[c > 0]).size)
