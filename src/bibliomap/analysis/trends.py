"""Trends over time: trend topics (bibliometrix's fieldByYear), emerging and declining items.

All functions take an occurrence table (document index, item index) plus the
documents' publication years, so they work for terms, keywords, sources, authors
or countries alike.
"""
from __future__ import annotations

import numpy as np
import pandas as pd


def _weighted_quantiles(values: np.ndarray, weights: np.ndarray, qs: tuple[float, ...]) -> list[float]:
    order = np.argsort(values, kind="mergesort")
    v, w = values[order], weights[order]
    cum = np.cumsum(w)
    total = cum[-1]
    out = []
    for q in qs:
        # the smallest value whose cumulative weight reaches q of the total (R's type-1 quantile)
        idx = int(np.searchsorted(cum, q * total - 1e-9, side="left"))
        out.append(float(v[min(idx, v.size - 1)]))
    return out


def trend_topics(
    doc_index: np.ndarray,
    item_index: np.ndarray,
    doc_years: np.ndarray,
    labels: list[str] | np.ndarray,
    weights: np.ndarray | None = None,
    min_freq: int = 2,
    n_items_per_year: int = 5,
) -> pd.DataFrame:
    """Per item: frequency and the 1st quartile, median and 3rd quartile of its publication years.

    Years are weighted by occurrence (bibliometrix ``fieldByYear``). Items with
    frequency below ``min_freq`` are dropped. ``shown`` marks the top
    ``n_items_per_year`` items by frequency within each median year, the ones a
    trend-topic chart draws.
    """
    doc_index = np.asarray(doc_index, dtype=np.int64)
    item_index = np.asarray(item_index, dtype=np.int64)
    w = np.ones(doc_index.size) if weights is None else np.asarray(weights, dtype=float)
    years = np.asarray(doc_years, dtype=float)[doc_index]
    ok = ~np.isnan(years)
    df = pd.DataFrame({"item": item_index[ok], "year": years[ok], "w": w[ok]})
    rows = []
    labels = np.asarray(labels, dtype=object)
    for item, g in df.groupby("item", sort=True):
        freq = g["w"].sum()
        if freq < min_freq:
            continue
        q1, med, q3 = _weighted_quantiles(g["year"].to_numpy(), g["w"].to_numpy(), (0.25, 0.5, 0.75))
        rows.append((labels[item], float(freq), int(q1), int(med), int(q3)))
    out = pd.DataFrame(rows, columns=["item", "freq", "year_q1", "year_median", "year_q3"])
    if not len(out):
        out["shown"] = []
        return out
    out = out.sort_values(["year_median", "freq", "item"], ascending=[True, False, True], kind="mergesort").reset_index(drop=True)
    out["shown"] = out.groupby("year_median").cumcount() < n_items_per_year
    return out


def emerging_and_declining(
    counts: np.ndarray,
    totals: np.ndarray,
    years: np.ndarray,
    labels: list[str] | np.ndarray,
    recent_years: int = 3,
    min_occurrences: int = 3,
    bursts: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Rank items by how their share of documents moves: recent window vs the years before it.

    ``counts`` is items x years (documents per year containing the item), ``totals``
    documents per year. For each item: occurrences, average publication year, share
    of documents in the last ``recent_years`` years and before them, their ratio
    (growth), the OLS slope of the yearly share, and whether a burst is active in
    the last year. ``status`` is 'emerging' (growth >= 1.5 or an active burst),
    'declining' (growth <= 0.67 and no recent occurrence growth) or 'stable'.
    """
    counts = np.asarray(counts, dtype=float)
    totals = np.asarray(totals, dtype=float)
    years = np.asarray(years)
    labels = np.asarray(labels, dtype=object)
    occ = counts.sum(axis=1)
    keep = occ >= min_occurrences
    if not keep.any() or years.size == 0:
        return pd.DataFrame(columns=["item", "occurrences", "avg_year", "recent_share", "earlier_share", "growth", "slope", "active_burst", "status"])
    recent = years > years.max() - recent_years
    rec_tot, early_tot = totals[recent].sum(), totals[~recent].sum()
    recent_share = counts[:, recent].sum(axis=1) / max(rec_tot, 1.0)
    earlier_share = counts[:, ~recent].sum(axis=1) / max(early_tot, 1.0)
    growth = (recent_share + 1e-9) / (earlier_share + 1e-9)
    growth = np.where((earlier_share == 0) & (recent_share > 0), np.inf, growth)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(totals[None, :] > 0, counts / np.maximum(totals[None, :], 1), np.nan)
    x = years.astype(float)
    slope = np.full(counts.shape[0], np.nan)
    valid = totals > 0
    if valid.sum() >= 2:
        xv = x[valid] - x[valid].mean()
        slope = (share[:, valid] - np.nanmean(share[:, valid], axis=1, keepdims=True)) @ xv / (xv @ xv)
    avg_year = (counts * x[None, :]).sum(axis=1) / np.maximum(occ, 1)
    active = np.zeros(counts.shape[0], dtype=bool)
    if bursts is not None and len(bursts):
        live = set(bursts.loc[bursts["end"] >= years.max(), "item"])
        active = np.array([lab in live for lab in labels])
    status = np.where((growth >= 1.5) | active, "emerging", np.where(growth <= 0.67, "declining", "stable"))
    out = pd.DataFrame({
        "item": labels, "occurrences": occ, "avg_year": avg_year, "recent_share": recent_share,
        "earlier_share": earlier_share, "growth": growth, "slope": slope, "active_burst": active, "status": status,
    })[keep]
    out = out.sort_values(["growth", "occurrences", "item"], ascending=[False, False, True], kind="mergesort").reset_index(drop=True)
    return out
