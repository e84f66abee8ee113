"""Themes: documents classified into map clusters, and the thematic map (Callon centrality and density).

The thematic map follows bibliometrix's ``thematicMap`` (Cobo et al. 2011): links
are association-normalized co-occurrences S_ij = C_ij / (occ_i occ_j); a cluster's
Callon centrality is the sum of S over links leaving it, its density 100 times
the sum of S inside it divided by its number of items. Quadrants split the rank
of centrality and of density at their mean rank: motor themes (high, high),
niche themes (low centrality, high density), emerging or declining themes (low,
low), basic themes (high centrality, low density).
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.stats import rankdata

QUADRANTS = {
    (True, True): "motor themes",
    (False, True): "niche themes",
    (False, False): "emerging or declining themes",
    (True, False): "basic themes",
}


def classify_documents(doc_index: np.ndarray, item_index: np.ndarray, item_cluster: np.ndarray, n_docs: int) -> pd.DataFrame:
    """Each document's cluster: the one holding most of its items, with that share.

    Documents none of whose items is clustered get cluster 0 ('unclassified').
    Ties go to the lower (larger) cluster number.
    """
    doc_index = np.asarray(doc_index, dtype=np.int64)
    clusters = np.asarray(item_cluster, dtype=np.int64)[np.asarray(item_index, dtype=np.int64)]
    ok = clusters > 0
    k = int(clusters.max()) if clusters.size else 0
    out_cluster = np.zeros(n_docs, dtype=np.int64)
    share = np.zeros(n_docs)
    n_items = np.bincount(doc_index, minlength=n_docs)
    if k > 0 and ok.any():
        m = sp.coo_matrix((np.ones(ok.sum()), (doc_index[ok], clusters[ok] - 1)), shape=(n_docs, k)).toarray()
        best = m.argmax(axis=1)
        has = m.sum(axis=1) > 0
        out_cluster[has] = best[has] + 1
        share[has] = m[has, best[has]] / np.maximum(n_items[has], 1)
    return pd.DataFrame({"document": np.arange(n_docs), "cluster": out_cluster, "share": share, "n_items": n_items})


def thematic_map(cooccurrence: sp.spmatrix, occurrences: np.ndarray, item_cluster: np.ndarray, labels: list[str] | np.ndarray) -> pd.DataFrame:
    """One row per cluster: label, items, frequency, Callon centrality and density, ranks, quadrant.

    ``cooccurrence`` is the symmetric item x item count matrix, ``occurrences`` the
    items' occurrence counts, ``item_cluster`` 1..k (0 = unclustered, ignored).
    The label is the cluster's most frequent item.
    """
    c = sp.csr_matrix(cooccurrence, dtype=float)
    c.setdiag(0)
    c.eliminate_zeros()
    occ = np.asarray(occurrences, dtype=float)
    inv = 1.0 / np.maximum(occ, 1e-12)
    s = sp.diags(inv) @ c @ sp.diags(inv)
    s = s.tocoo()
    cl = np.asarray(item_cluster, dtype=np.int64)
    labels = np.asarray(labels, dtype=object)
    ids = [k for k in np.unique(cl) if k > 0]
    rows = []
    for k in ids:
        members = cl == k
        inside = members[s.row] & members[s.col]
        leaving = members[s.row] & ~members[s.col] & (cl[s.col] > 0)
        centrality = float(s.data[leaving].sum())
        density = 100.0 * float(s.data[inside].sum()) / 2.0 / members.sum()
        idx = np.flatnonzero(members)
        top = idx[np.lexsort((labels[idx].astype(str), -occ[idx]))]
        rows.append((int(k), str(labels[top[0]]), "; ".join(str(x) for x in labels[top[:5]]), int(members.sum()), float(occ[idx].sum()), centrality, density))
    out = pd.DataFrame(rows, columns=["cluster", "label", "top_items", "n_items", "frequency", "centrality", "density"])
    if not len(out):
        out["rank_centrality"] = []
        out["rank_density"] = []
        out["quadrant"] = []
        return out
    out["rank_centrality"] = rankdata(out["centrality"], method="average")
    out["rank_density"] = rankdata(out["density"], method="average")
    hc = out["rank_centrality"] >= out["rank_centrality"].mean()
    hd = out["rank_density"] >= out["rank_density"].mean()
    out["quadrant"] = [QUADRANTS[(bool(a), bool(b))] for a, b in zip(hc, hd)]
    return out


def inclusion_indexes(words_a: dict[str, float], words_b: dict[str, float]) -> dict[str, float]:
    """Thematic-evolution links between two themes (word -> occurrences): inclusion, weighted inclusion, stability."""
    common = set(words_a) & set(words_b)
    if not words_a or not words_b:
        return {"inclusion": 0.0, "weighted_inclusion": 0.0, "stability": 0.0}
    inc = len(common) / min(len(words_a), len(words_b))
    w = sum(min(words_a[x], words_b[x]) for x in common) / min(sum(words_a.values()), sum(words_b.values()))
    stab = len(common) / (len(words_a) + len(words_b) - len(common))
    return {"inclusion": inc, "weighted_inclusion": w, "stability": stab}


def _top_values(values: pd.Series, n: int) -> str:
    counts = values.dropna().astype(str)
    counts = counts[counts.str.strip() != ""].value_counts()
    counts = counts.sort_index(kind="mergesort").sort_values(ascending=False, kind="mergesort")
    return "; ".join(f"{k} ({v})" for k, v in counts.head(n).items())


def describe_clusters(
    classification: pd.DataFrame,
    doc_years: np.ndarray,
    citations: np.ndarray,
    doc_types: np.ndarray | None = None,
    sources: np.ndarray | None = None,
    themes: pd.DataFrame | None = None,
    n_top: int = 3,
) -> pd.DataFrame:
    """One row per cluster of classified documents: documents, share, mean year and citations, top types and sources.

    ``classification`` is :func:`classify_documents`' table (row = document); the
    cluster 0 row counts the unclassified documents. With ``themes`` (a
    :func:`thematic_map` table) each row also gets the theme's label, top items and quadrant.
    """
    df = pd.DataFrame({
        "cluster": classification["cluster"].to_numpy(np.int64),
        "year": np.asarray(doc_years, dtype=float),
        "citations": np.nan_to_num(np.asarray(citations, dtype=float), nan=0.0),
    })
    df["doc_type"] = np.asarray(doc_types, dtype=object) if doc_types is not None else None
    df["source"] = np.asarray(sources, dtype=object) if sources is not None else None
    rows = []
    n = max(len(df), 1)
    for k, g in df.groupby("cluster", sort=True):
        rows.append({
            "cluster": int(k), "documents": int(len(g)), "share": len(g) / n,
            "mean_year": float(g["year"].mean()) if g["year"].notna().any() else np.nan,
            "mean_citations": float(g["citations"].mean()), "total_citations": float(g["citations"].sum()),
            "doc_types": _top_values(g["doc_type"], n_top), "sources": _top_values(g["source"], n_top),
        })
    out = pd.DataFrame(rows, columns=["cluster", "documents", "share", "mean_year", "mean_citations", "total_citations", "doc_types", "sources"])
    if themes is not None and len(themes):
        t = themes.set_index("cluster")
        for col in ("label", "top_items", "quadrant"):
            if col in t:
                out[col] = [t[col].get(k, "unclassified" if k == 0 and col == "label" else "") for k in out["cluster"]]
    return out
