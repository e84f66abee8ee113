"""Research-gap candidates: rare items that grow fast, and items that bridge clusters of weak themes.

Two signals, each from the occurrence table alone:

- **rare and growing**: an item in few documents (at most ``rare_quantile`` of the
  occurrence distribution) whose share of documents in the last ``recent_years``
  is at least ``min_growth`` times its earlier share, a rise that a one-sided Fisher
  exact test supports with a Benjamini-Hochberg false-discovery rate of ``max_p_rise``
  over all the rare items (each is tested; issue #15, as for emerging topics): a topic
  that is starting. The reason names that family ("q=0.049 over the 57 rare items"): the table of
  emerging topics corrects over every item, so the same rise can have a larger q there.
- **bridge**: an item with high betweenness centrality (Freeman, Brandes' algorithm
  via igraph, normalized to [0, 1]; link length = 1 / association strength) in the
  co-occurrence network, sitting in a cluster whose Callon density is low: it links
  themes that are themselves weakly developed (CiteSpace's structural holes).

Every candidate gets a score in [0, 1] (the percentile of its signal) and a reason.
"""
from __future__ import annotations

import igraph as ig
import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.stats import rankdata

from bibliomap.analysis._columns import distinct_pairs
from bibliomap.analysis.bursts import yearly_counts
from bibliomap.analysis.thematic import thematic_map

COLUMNS = ["rank", "item", "occurrences", "avg_year", "recent_share", "earlier_share", "growth", "betweenness",
           "cluster", "cluster_density", "score", "kind", "reason"]


def betweenness(cooccurrence: sp.spmatrix, occurrences: np.ndarray) -> np.ndarray:
    """Normalized betweenness of each item; link length = 1 / association strength (strong = short)."""
    c = sp.triu(sp.csr_matrix(cooccurrence, dtype=float), k=1).tocoo()
    n = c.shape[0]
    if n < 3 or c.nnz == 0:
        return np.zeros(n)
    occ = np.maximum(np.asarray(occurrences, dtype=float), 1e-12)
    strength = c.data / (occ[c.row] * occ[c.col])
    strength = strength / strength.max()
    g = ig.Graph(n=n, edges=np.column_stack([c.row, c.col]).astype(np.int64).tolist(), directed=False)
    b = np.asarray(g.betweenness(directed=False, weights=(1.0 / strength).tolist()), dtype=float)
    return b / ((n - 1) * (n - 2) / 2.0)


def gap_candidates(
    doc_index: np.ndarray,
    item_index: np.ndarray,
    doc_years: np.ndarray,
    labels: list[str] | np.ndarray,
    item_cluster: np.ndarray | None = None,
    recent_years: int = 3,
    min_occurrences: int = 2,
    rare_quantile: float = 0.5,
    min_growth: float = 1.5,
    bridge_quantile: float = 0.9,
    max_network_items: int = 1000,
    seed: int = 0,
    max_p_rise: float | None = 0.05,
) -> pd.DataFrame:
    """Ranked gap candidates (see the module docstring), best first; one row per item and signal kind merged.

    ``item_cluster`` (1..k, 0 = none, per label) gives the clusters of a map; without
    it the items with at least ``min_occurrences`` documents are clustered here.
    Growth is the ratio of smoothed shares (count + 0.5) / documents, recent vs earlier.
    Betweenness is computed among the ``max_network_items`` most frequent items (its
    cost grows with items x links); the others count as no bridge.
    """
    labels = np.asarray(labels, dtype=object)
    doc_index = np.asarray(doc_index, dtype=np.int64)
    item_index = np.asarray(item_index, dtype=np.int64)
    counts, totals, years = yearly_counts(doc_index, item_index, doc_years, labels.size)
    if years.size < 2:
        return pd.DataFrame(columns=COLUMNS)
    occ = counts.sum(axis=1)
    keep = np.flatnonzero(occ >= min_occurrences)
    if keep.size == 0:
        return pd.DataFrame(columns=COLUMNS)
    recent = years > years.max() - recent_years
    if recent.all():
        recent = years > years.min()
    rec_tot, early_tot = max(totals[recent].sum(), 1.0), max(totals[~recent].sum(), 1.0)
    rec_n, early_n = counts[:, recent].sum(axis=1), counts[:, ~recent].sum(axis=1)
    recent_share, earlier_share = rec_n / rec_tot, early_n / early_tot
    growth = ((rec_n + 0.5) / rec_tot) / ((early_n + 0.5) / early_tot)
    avg_year = (counts * years[None, :]).sum(axis=1) / np.maximum(occ, 1)

    # co-occurrence network of the kept items, clusters and their density
    yrs = np.asarray(doc_years, dtype=float)
    pos = np.full(labels.size, -1, np.int64)
    pos[keep] = np.arange(keep.size)
    pairs = distinct_pairs(doc_index, item_index)
    pairs = pairs[(pos[pairs[:, 1]] >= 0) & ~np.isnan(yrs[pairs[:, 0]])]
    x = sp.csr_matrix((np.ones(len(pairs)), (pairs[:, 0], pos[pairs[:, 1]])), shape=(yrs.size, keep.size))
    cooc = (x.T @ x).tocsr()
    cooc.setdiag(0)
    cooc.eliminate_zeros()
    # betweenness (and clusters, when not given) on the max_network_items most frequent items only
    net = np.sort(np.lexsort((labels[keep].astype(str), -occ[keep]))[:max_network_items])
    sub = cooc[net][:, net]
    clusters = np.zeros(keep.size, np.int64)
    if item_cluster is None:
        from bibliomap.analysis.evolution import cluster_items

        clusters[net] = cluster_items(sub, seed=seed)
    else:
        clusters = np.asarray(item_cluster, dtype=np.int64)[keep]
    between = np.zeros(keep.size)
    between[net] = betweenness(sub, occ[keep][net])
    tm = thematic_map(cooc, occ[keep], clusters, labels[keep])
    density = dict(zip(tm["cluster"], tm["density"]))
    low_density = set(tm.loc[tm["rank_density"] < tm["rank_density"].mean(), "cluster"]) if len(tm) > 1 else set()
    cl_density = np.array([density.get(k, np.nan) for k in clusters])

    k_occ, k_growth = occ[keep], growth[keep]
    rare = k_occ <= np.quantile(k_occ, rare_quantile)
    growing = rare & (k_growth >= min_growth) & (rec_n[keep] > 0)
    p_rise = np.zeros(keep.size)
    if max_p_rise is not None:
        from bibliomap.analysis.trends import _window_tests

        from bibliomap.analysis.trends import _fdr

        tested = np.flatnonzero(rare)  # every rare item is a candidate, so every one counts in the correction
        p_rise[tested] = _fdr(_window_tests(rec_n[keep][tested], occ[keep][tested], totals[recent].sum(), totals.sum())[0])
        growing &= p_rise <= max_p_rise
    growth_pct = rankdata(k_growth, method="max") / keep.size
    positive = between > 0
    threshold = np.quantile(between[positive], bridge_quantile) if positive.any() else np.inf
    bridge = positive & (between >= threshold) & np.isin(clusters, list(low_density))
    between_pct = rankdata(between, method="max") / keep.size
    rows = []
    for j in np.flatnonzero(growing | bridge):
        i = keep[j]
        reasons, score, kinds = [], 0.0, []
        if growing[j]:
            kinds.append("rare and growing")
            score = max(score, float(growth_pct[j]))
            reasons.append(f"rare ({int(occ[i])} documents) and growing: {recent_share[i]:.1%} of the documents of the last "
                           f"{int(recent.sum())} years against {earlier_share[i]:.1%} before (x{growth[i]:.1f}"
                           + (f", Fisher q={p_rise[j]:.2g} over the {rare.sum()} rare items)" if max_p_rise is not None
                              else ")"))
        if bridge[j]:
            kinds.append("bridge")
            score = max(score, float(between_pct[j]))
            reasons.append(f"bridges clusters (betweenness {between[j]:.3f}, top {1 - bridge_quantile:.0%}) from cluster "
                           f"{int(clusters[j])}, a weakly developed theme (density {cl_density[j]:.1f})")
        rows.append({
            "item": labels[i], "occurrences": int(occ[i]), "avg_year": float(avg_year[i]),
            "recent_share": float(recent_share[i]), "earlier_share": float(earlier_share[i]), "growth": float(growth[i]),
            "betweenness": float(between[j]), "cluster": int(clusters[j]), "cluster_density": float(cl_density[j]),
            "score": score, "kind": " + ".join(kinds), "reason": "; ".join(reasons),
        })
    out = pd.DataFrame(rows, columns=[c for c in COLUMNS if c != "rank"])
    if not len(out):
        return pd.DataFrame(columns=COLUMNS)
    out = out.sort_values(["score", "growth", "betweenness", "item"], ascending=[False, False, False, True], kind="mergesort").reset_index(drop=True)
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    return out
