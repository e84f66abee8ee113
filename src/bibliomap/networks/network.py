"""The Network: items and undirected weighted links, the same model as VOSviewer's files.

``items`` is a DataFrame with one row per item (row position = item index):
``id`` (int, the id written to files), ``label`` (str), optional ``description`` and
``url``, weight columns named ``weight<Name>`` and score columns named
``score<Name>`` (VOSviewer's header names, so writers pass them through).
``links`` has ``source`` and ``target`` (row positions, source < target, each pair
once) and ``strength`` (float > 0).
"""
from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp


@dataclasses.dataclass
class Network:
    items: pd.DataFrame
    links: pd.DataFrame
    meta: dict[str, Any] = dataclasses.field(default_factory=dict)

    def __post_init__(self) -> None:
        self.items = self.items.reset_index(drop=True)
        if "id" not in self.items:
            self.items.insert(0, "id", np.arange(1, len(self.items) + 1))
        if "label" not in self.items:
            self.items.insert(1, "label", self.items["id"].astype(str))
        links = self.links
        if len(links):
            s = links["source"].to_numpy(np.int64)
            t = links["target"].to_numpy(np.int64)
            n = max(int(s.max()), int(t.max())) + 1
            key = s * n + t
            if (s < t).all() and (np.diff(key) > 0).all():
                # already canonical (upper triangle, sorted, each pair once): no regrouping
                links = pd.DataFrame({"source": s, "target": t, "strength": links["strength"].to_numpy(float)})
            else:
                lo, hi = np.minimum(s, t), np.maximum(s, t)
                links = pd.DataFrame({"source": lo, "target": hi, "strength": links["strength"].to_numpy(float)})
                links = links[links["source"] != links["target"]]
                links = links.groupby(["source", "target"], as_index=False, sort=True)["strength"].sum()
        else:
            links = pd.DataFrame({"source": np.zeros(0, np.int64), "target": np.zeros(0, np.int64), "strength": np.zeros(0)})
        self.links = links.reset_index(drop=True)

    @classmethod
    def from_matrix(cls, matrix: sp.spmatrix, items: pd.DataFrame, meta: dict | None = None) -> "Network":
        """A network from a symmetric sparse matrix (the upper triangle is used)."""
        upper = sp.triu(sp.csr_matrix(matrix), k=1).tocoo()
        keep = upper.data > 0
        links = pd.DataFrame({"source": upper.row[keep].astype(np.int64), "target": upper.col[keep].astype(np.int64), "strength": upper.data[keep].astype(float)})
        return cls(items, links, dict(meta or {}))

    @property
    def n_items(self) -> int:
        return len(self.items)

    @property
    def n_links(self) -> int:
        return len(self.links)

    def adjacency(self) -> sp.csr_matrix:
        """Symmetric CSR matrix of link strengths (n x n)."""
        n = self.n_items
        s, t, w = (self.links[c].to_numpy() for c in ("source", "target", "strength"))
        a = sp.coo_matrix((np.r_[w, w], (np.r_[s, t], np.r_[t, s])), shape=(n, n))
        return a.tocsr()

    def total_link_strength(self) -> np.ndarray:
        return np.asarray(self.adjacency().sum(axis=1)).ravel()

    def degree(self) -> np.ndarray:
        a = self.adjacency()
        return np.diff(a.indptr)

    def with_standard_weights(self) -> "Network":
        """Set VOSviewer's two standard weights, ``weight<Links>`` and ``weight<Total link strength>``."""
        items = self.items.copy()
        items["weight<Links>"] = self.degree().astype(np.int64)
        items["weight<Total link strength>"] = self.total_link_strength()
        return dataclasses.replace(self, items=items)

    def subnetwork(self, keep: np.ndarray) -> "Network":
        """The network induced by the items at positions ``keep`` (order kept)."""
        keep = np.asarray(keep, dtype=np.int64)
        new_pos = np.full(self.n_items, -1, dtype=np.int64)
        new_pos[keep] = np.arange(keep.size)
        s = new_pos[self.links["source"].to_numpy()]
        t = new_pos[self.links["target"].to_numpy()]
        ok = (s >= 0) & (t >= 0)
        links = pd.DataFrame({"source": s[ok], "target": t[ok], "strength": self.links["strength"].to_numpy()[ok]})
        return dataclasses.replace(self, items=self.items.iloc[keep].reset_index(drop=True), links=links)

    def weight_columns(self) -> list[str]:
        return [c for c in self.items.columns if c.startswith("weight<")]

    def score_columns(self) -> list[str]:
        return [c for c in self.items.columns if c.startswith("score<")]
