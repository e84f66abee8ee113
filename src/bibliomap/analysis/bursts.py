"""Kleinberg burst detection over yearly counts (the two-state batched model, as CiteSpace uses).

For each item and year t, r_t of the d_t documents of that year contain the item.
The base state emits at rate p0 = R/D (the item's overall share); the burst state
at p1 = s * p0. The cost of a state is the negative binomial log-likelihood of
(r_t, d_t); entering the burst state costs gamma * ln(T) (T = number of years);
leaving it is free. The cheapest state sequence (Viterbi) marks burst years; a
burst's strength is the sum over its years of cost(base) - cost(burst)
(Kleinberg 2003, section 4; CiteSpace reports this as "Strength").

Vectorized over items: one Viterbi pass over the years for all items at once.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from bibliomap.analysis._columns import distinct_pairs
from scipy.special import gammaln


def _cost(r: np.ndarray, d: np.ndarray, p: np.ndarray) -> np.ndarray:
    """-ln( C(d, r) p^r (1-p)^(d-r) ), elementwise; p clipped away from 0 and 1."""
    p = np.clip(p, 1e-12, 1 - 1e-12)
    log_binom = gammaln(d + 1) - gammaln(r + 1) - gammaln(d - r + 1)
    return -(log_binom + r * np.log(p) + (d - r) * np.log1p(-p))


def detect_bursts(
    counts: np.ndarray,
    totals: np.ndarray,
    years: np.ndarray,
    labels: list[str] | np.ndarray,
    gamma: float = 1.0,
    s: float = 2.0,
    min_duration: int = 2,
) -> pd.DataFrame:
    """Bursts of items from yearly counts.

    ``counts`` is items x years (documents containing the item per year), ``totals``
    the documents per year, ``years`` the year of each column (consecutive). Returns
    one row per burst: item, strength, begin, end, duration, sorted by strength
    (descending) then begin. ``gamma`` (transition cost factor, CiteSpace default 1.0),
    ``s`` (burst rate ratio, default 2) and ``min_duration`` (years; default 2) are
    CiteSpace's parameters.
    """
    counts = np.asarray(counts, dtype=float)
    totals = np.asarray(totals, dtype=float)
    k, t = counts.shape
    cols = ["item", "strength", "begin", "end", "duration"]
    if k == 0 or t == 0:
        return pd.DataFrame(columns=cols)
    r = np.minimum(counts, totals[None, :])
    p0 = r.sum(axis=1) / max(totals.sum(), 1.0)
    p1 = np.minimum(s * p0, 0.9999)
    d = np.broadcast_to(totals[None, :], r.shape)
    c0 = _cost(r, d, p0[:, None])
    c1 = _cost(r, d, p1[:, None])
    up = gamma * np.log(max(t, 2))
    # Viterbi over two states; back-pointers per year
    cost0, cost1 = c0[:, 0].copy(), c1[:, 0] + up
    back1 = np.zeros((k, t), dtype=bool)  # state 1 at t came from state 1 at t-1
    back0 = np.zeros((k, t), dtype=bool)  # state 0 at t came from state 1 at t-1
    for j in range(1, t):
        from0_to1 = cost0 + up
        stay1 = cost1
        back1[:, j] = stay1 <= from0_to1
        new1 = np.minimum(stay1, from0_to1) + c1[:, j]
        stay0 = cost0
        from1_to0 = cost1
        back0[:, j] = from1_to0 < stay0
        new0 = np.minimum(stay0, from1_to0) + c0[:, j]
        cost0, cost1 = new0, new1
    state = np.zeros((k, t), dtype=bool)
    cur = cost1 < cost0
    for j in range(t - 1, -1, -1):
        state[:, j] = cur
        if j > 0:
            cur = np.where(cur, back1[:, j], back0[:, j])
    gain = c0 - c1
    rows = []
    labels = np.asarray(labels, dtype=object)
    for i in np.flatnonzero(state.any(axis=1)):
        s_i = state[i]
        edges = np.diff(np.r_[0, s_i.astype(np.int8), 0])
        starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1) - 1
        for a, b in zip(starts, ends):
            if b - a + 1 < min_duration:
                continue
            rows.append((labels[i], float(gain[i, a : b + 1].sum()), int(years[a]), int(years[b]), int(b - a + 1)))
    out = pd.DataFrame(rows, columns=cols)
    if len(out):
        out = out.sort_values(["strength", "begin", "item"], ascending=[False, True, True], kind="mergesort").reset_index(drop=True)
    return out


def yearly_counts(doc_index: np.ndarray, item_index: np.ndarray, doc_years: np.ndarray, n_items: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(items x years document counts, documents per year, years) from an occurrence table.

    Each (document, item) pair counts once; documents without a year are ignored.
    Years run from the first to the last year with documents, consecutively.
    """
    yrs = np.asarray(doc_years, dtype=float)
    ok_docs = ~np.isnan(yrs)
    if not ok_docs.any():
        return np.zeros((n_items, 0)), np.zeros(0), np.zeros(0, dtype=int)
    y0, y1 = int(yrs[ok_docs].min()), int(yrs[ok_docs].max())
    years = np.arange(y0, y1 + 1)
    totals = np.bincount((yrs[ok_docs] - y0).astype(int), minlength=years.size).astype(float)
    pairs = distinct_pairs(doc_index, item_index)
    dy = yrs[pairs[:, 0]] if len(pairs) else np.zeros(0)
    keep = ~np.isnan(dy)
    cells = pairs[keep, 1] * years.size + (dy[keep] - y0).astype(np.int64)
    counts = np.bincount(cells, minlength=n_items * years.size).astype(float).reshape(n_items, years.size)
    return counts, totals, years


def burst_table(
    doc_index: np.ndarray,
    item_index: np.ndarray,
    doc_years: np.ndarray,
    labels: list[str] | np.ndarray,
    gamma: float = 1.0,
    s: float = 2.0,
    min_duration: int = 2,
    min_documents: int = 2,
) -> pd.DataFrame:
    """Bursts of the items of an occurrence table, with the year each item first appears.

    Items in fewer than ``min_documents`` dated documents are not tested. Columns:
    item, first_year (CiteSpace's 'Year'), documents, strength, begin, end, duration.
    """
    labels = np.asarray(labels, dtype=object)
    counts, totals, years = yearly_counts(np.asarray(doc_index, np.int64), np.asarray(item_index, np.int64), doc_years, labels.size)
    cols = ["item", "first_year", "documents", "strength", "begin", "end", "duration"]
    if years.size == 0:
        return pd.DataFrame(columns=cols)
    docs = counts.sum(axis=1)
    keep = np.flatnonzero(docs >= min_documents)
    b = detect_bursts(counts[keep], totals, years, labels[keep], gamma=gamma, s=s, min_duration=min_duration)
    if not len(b):
        return pd.DataFrame(columns=cols)
    first = years[(counts > 0).argmax(axis=1)]
    pos = {lab: i for i, lab in zip(keep[::-1], labels[keep][::-1])}
    b.insert(1, "first_year", [int(first[pos[x]]) for x in b["item"]])
    b.insert(2, "documents", [int(docs[pos[x]]) for x in b["item"]])
    return b
