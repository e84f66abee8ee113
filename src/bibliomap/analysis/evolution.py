"""Thematic evolution: themes per time slice and how they continue from one slice to the next.

Following bibliometrix's ``thematicEvolution`` (ANCHORS 3.7): the documents are cut
into time slices; per slice the most frequent items form a co-occurrence network,
clustered like a VOSviewer map (Leiden on association-normalized weights); each
cluster is a theme labelled by its most frequent item, placed on the thematic map
(Callon centrality and density). Themes of consecutive slices are linked when they
share items, weighted by the inclusion, weighted inclusion and stability indexes.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import scipy.sparse as sp

from bibliomap.analysis._columns import distinct_pairs
from bibliomap.analysis.thematic import inclusion_indexes, thematic_map


@dataclasses.dataclass
class EvolutionResult:
    """Slices, themes per slice, the items of every theme, and the links between consecutive slices."""

    slices: pd.DataFrame  # slice, start, end, documents
    themes: pd.DataFrame  # slice, cluster, label, top_items, n_items, frequency, centrality, density, quadrant
    theme_items: pd.DataFrame  # slice, cluster, item, occurrences
    links: pd.DataFrame  # from_slice, from_cluster, from_label, to_slice, to_cluster, to_label, indexes, shared


def cluster_items(cooccurrence: sp.spmatrix, resolution: float = 1.0, seed: int = 0, random_starts: int = 10, min_cluster_size: int = 2) -> np.ndarray:
    """Cluster numbers 1..k (0 = no cluster) of a co-occurrence network, as the maps cluster.

    Leiden on association-normalized weights (bibliomap.mapping's ``cluster``);
    clusters smaller than ``min_cluster_size`` (e.g. isolated items) get 0.
    """
    try:
        from bibliomap.mapping import cluster  # type: ignore[attr-defined]
    except ImportError:
        from bibliomap.mapping.clustering import cluster
    m = sp.csr_matrix(cooccurrence, dtype=float)
    m.setdiag(0)
    m.eliminate_zeros()
    if m.shape[0] == 0 or m.nnz == 0:  # no links: every item is alone, so none forms a cluster
        return np.zeros(m.shape[0], np.int64)
    res = cluster(m, resolution=resolution, normalization="association", random_starts=random_starts,
                  min_cluster_size=min_cluster_size, merge_small_clusters=False, seed=seed)
    labels = res.labels if hasattr(res, "labels") else res
    return np.asarray(labels, dtype=np.int64)


def time_slices(doc_years: np.ndarray, cuts: list[int] | None = None) -> list[tuple[int, int]]:
    """(first, last) year of each slice. No ``cuts``: the span in two halves.

    A cut year ends a slice (bibliometrix's cut points): cuts [2010, 2015] over
    2000-2020 give 2000-2010, 2011-2015, 2016-2020.
    """
    y = np.asarray(doc_years, dtype=float)
    y = y[~np.isnan(y)]
    if y.size == 0:
        raise ValueError("no document has a publication year: time slices need years")
    y0, y1 = int(y.min()), int(y.max())
    if cuts is None:
        if y0 == y1:
            return [(y0, y1)]
        cuts = [(y0 + y1) // 2]
    cuts = sorted({int(c) for c in cuts})
    bad = [c for c in cuts if not y0 <= c < y1]
    if bad:
        raise ValueError(f"cut years {bad} are outside the data's years {y0}-{y1} (a cut must be >= {y0} and < {y1})")
    bounds = [y0 - 1] + cuts + [y1]
    return [(bounds[i] + 1, bounds[i + 1]) for i in range(len(bounds) - 1)]


def _slice_name(a: int, b: int) -> str:
    return str(a) if a == b else f"{a}-{b}"


def slice_themes(
    doc_index: np.ndarray, item_index: np.ndarray, labels: np.ndarray, in_slice: np.ndarray,
    min_freq: int = 2, n_items: int = 250, resolution: float = 1.0, seed: int = 0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(thematic map, theme items) of the documents flagged by ``in_slice``.

    The ``n_items`` most frequent items with at least ``min_freq`` documents in the
    slice are clustered; each cluster becomes a theme.
    """
    labels = np.asarray(labels, dtype=object)
    keep = in_slice[doc_index]
    d, i = doc_index[keep], item_index[keep]
    pairs = distinct_pairs(d, i)
    freq = np.bincount(pairs[:, 1], minlength=labels.size) if len(pairs) else np.zeros(labels.size, np.int64)
    cand = np.flatnonzero(freq >= min_freq)
    order = cand[np.lexsort((labels[cand].astype(str), -freq[cand]))][:n_items]
    empty_items = pd.DataFrame(columns=["cluster", "item", "occurrences"])
    if order.size < 2:
        return thematic_map(sp.csr_matrix((0, 0)), np.zeros(0), np.zeros(0, np.int64), []), empty_items
    pos = np.full(labels.size, -1, np.int64)
    pos[order] = np.arange(order.size)
    sel = pos[pairs[:, 1]] >= 0
    n_docs = int(in_slice.size)
    x = sp.csr_matrix((np.ones(int(sel.sum())), (pairs[sel, 0], pos[pairs[sel, 1]])), shape=(n_docs, order.size))
    cooc = (x.T @ x).tocsr()
    cooc.setdiag(0)
    cooc.eliminate_zeros()
    occ = freq[order].astype(float)
    clusters = cluster_items(cooc, resolution=resolution, seed=seed)
    tm = thematic_map(cooc, occ, clusters, labels[order])
    items = pd.DataFrame({"cluster": clusters, "item": labels[order], "occurrences": freq[order].astype(np.int64)})
    items = items[items["cluster"] > 0].sort_values(["cluster", "occurrences", "item"], ascending=[True, False, True], kind="mergesort")
    return tm, items.reset_index(drop=True)


def thematic_evolution(
    doc_index: np.ndarray,
    item_index: np.ndarray,
    doc_years: np.ndarray,
    labels: list[str] | np.ndarray,
    cuts: list[int] | None = None,
    min_freq: int = 2,
    n_items: int = 250,
    resolution: float = 1.0,
    seed: int = 0,
    min_inclusion: float = 0.0,
) -> EvolutionResult:
    """Themes per time slice (see :func:`time_slices`) and their links across consecutive slices.

    A link joins two themes that share at least one item and whose inclusion index
    exceeds ``min_inclusion``; it carries the inclusion, weighted inclusion and
    stability indexes (:func:`bibliomap.analysis.thematic.inclusion_indexes`) and
    the shared items.
    """
    doc_index = np.asarray(doc_index, dtype=np.int64)
    item_index = np.asarray(item_index, dtype=np.int64)
    years = np.asarray(doc_years, dtype=float)
    labels = np.asarray(labels, dtype=object)
    spans = time_slices(years, cuts)
    slice_rows, theme_frames, item_frames, words = [], [], [], []
    for a, b in spans:
        name = _slice_name(a, b)
        in_slice = (years >= a) & (years <= b)
        tm, items = slice_themes(doc_index, item_index, labels, in_slice, min_freq, n_items, resolution, seed)
        slice_rows.append({"slice": name, "start": a, "end": b, "documents": int(in_slice.sum())})
        theme_frames.append(tm.assign(slice=name))
        item_frames.append(items.assign(slice=name))
        words.append({int(k): dict(zip(g["item"], g["occurrences"].astype(float))) for k, g in items.groupby("cluster")})
    link_rows = []
    for s in range(len(spans) - 1):
        tm_a, tm_b = theme_frames[s].set_index("cluster"), theme_frames[s + 1].set_index("cluster")
        for ka, wa in sorted(words[s].items()):
            for kb, wb in sorted(words[s + 1].items()):
                common = set(wa) & set(wb)
                if not common:
                    continue
                idx = inclusion_indexes(wa, wb)
                if idx["inclusion"] <= min_inclusion:
                    continue
                shared = sorted(common, key=lambda w: (-min(wa[w], wb[w]), str(w)))
                link_rows.append({
                    "from_slice": slice_rows[s]["slice"], "from_cluster": ka, "from_label": tm_a.loc[ka, "label"],
                    "to_slice": slice_rows[s + 1]["slice"], "to_cluster": kb, "to_label": tm_b.loc[kb, "label"],
                    **idx, "n_shared": len(common), "shared": "; ".join(str(w) for w in shared[:10]),
                })
    link_cols = ["from_slice", "from_cluster", "from_label", "to_slice", "to_cluster", "to_label",
                 "inclusion", "weighted_inclusion", "stability", "n_shared", "shared"]
    themes = pd.concat([f for f in theme_frames if len(f)], ignore_index=True) if any(len(f) for f in theme_frames) else theme_frames[0]
    themes = themes[["slice"] + [c for c in themes.columns if c != "slice"]]
    theme_items = pd.concat(item_frames, ignore_index=True)[["slice", "cluster", "item", "occurrences"]]
    return EvolutionResult(pd.DataFrame(slice_rows), themes.reset_index(drop=True), theme_items, pd.DataFrame(link_rows, columns=link_cols))
