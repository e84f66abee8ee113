"""Bursts, trend topics, emerging/declining items, document classification and the thematic map."""
from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from bibliomap.analysis.bursts import detect_bursts, yearly_counts
from bibliomap.analysis.thematic import classify_documents, inclusion_indexes, thematic_map
from bibliomap.analysis.trends import emerging_and_declining, trend_topics


def test_a_term_that_appears_only_in_the_last_two_years_bursts():
    years = np.arange(2010, 2021)
    totals = np.full(years.size, 50.0)
    counts = np.array([
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 12, 15],  # new topic
        [4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4],    # steady topic
    ], dtype=float)
    b = detect_bursts(counts, totals, years, ["new", "steady"])
    assert list(b["item"]) == ["new"]
    assert (b.loc[0, "begin"], b.loc[0, "end"]) == (2019, 2020)
    assert b.loc[0, "strength"] > 0


def test_min_duration_and_gamma_control_bursts():
    years = np.arange(2000, 2010)
    totals = np.full(10, 40.0)
    counts = np.array([[1, 1, 1, 1, 12, 1, 1, 1, 1, 1]], dtype=float)
    assert len(detect_bursts(counts, totals, years, ["x"], min_duration=1)) == 1
    assert len(detect_bursts(counts, totals, years, ["x"], min_duration=2)) == 0
    # a high transition cost suppresses the burst
    assert len(detect_bursts(counts, totals, years, ["x"], min_duration=1, gamma=50)) == 0


def test_yearly_counts_counts_each_document_once():
    docs = np.array([0, 0, 1, 2, 2])
    items = np.array([0, 0, 0, 1, 0])
    counts, totals, years = yearly_counts(docs, items, np.array([2001, 2003, np.nan]), n_items=2)
    assert list(years) == [2001, 2002, 2003]
    assert list(totals) == [1, 0, 1]
    assert counts.tolist() == [[1, 0, 1], [0, 0, 0]]


def test_trend_topics_quartiles():
    # item 0 in years 2000, 2001, 2002, 2010 -> q1 2000, median 2001, q3 2002
    docs = np.arange(4)
    items = np.zeros(4, dtype=int)
    t = trend_topics(docs, items, np.array([2000, 2001, 2002, 2010]), ["a"], min_freq=2)
    assert (t.loc[0, "year_q1"], t.loc[0, "year_median"], t.loc[0, "year_q3"]) == (2000, 2001, 2002)
    assert t.loc[0, "year_q1"] <= t.loc[0, "year_median"] <= t.loc[0, "year_q3"]
    assert trend_topics(docs, items, np.array([2000, 2001, 2002, 2010]), ["a"], min_freq=5).empty


def test_emerging_and_declining():
    years = np.arange(2015, 2025)
    totals = np.full(10, 100.0)
    counts = np.array([
        [0, 0, 0, 0, 0, 0, 1, 5, 9, 14],
        [9, 9, 8, 8, 7, 6, 2, 1, 1, 0],
        [5, 5, 5, 5, 5, 5, 5, 5, 5, 5],
    ], dtype=float)
    r = emerging_and_declining(counts, totals, years, ["rising", "fading", "flat"]).set_index("item")
    assert r.loc["rising", "status"] == "emerging"
    assert r.loc["fading", "status"] == "declining"
    assert r.loc["flat", "status"] == "stable"
    assert r.loc["rising", "slope"] > 0 > r.loc["fading", "slope"]


def test_classify_documents_majority_and_unclassified():
    docs = np.array([0, 0, 0, 1, 2])
    items = np.array([0, 1, 2, 3, 4])
    cluster = np.array([1, 2, 2, 1, 0])
    c = classify_documents(docs, items, cluster, n_docs=4)
    assert c["cluster"].tolist() == [2, 1, 0, 0]
    assert np.isclose(c.loc[0, "share"], 2 / 3)


def test_dense_isolated_cluster_is_niche():
    # cluster 1: items 0-2 densely linked, one weak link out; cluster 2: items 3-5 loosely
    # linked inside but strongly to cluster 3 (items 6-8): central, low density
    n = 9
    c = np.zeros((n, n))
    for i in range(3):
        for j in range(3):
            if i != j:
                c[i, j] = 10
    c[2, 3] = c[3, 2] = 1
    for a in range(3, 6):
        for b in range(6, 9):
            c[a, b] = c[b, a] = 4
    c[3, 4] = c[4, 3] = 1
    c[6, 7] = c[7, 6] = 1
    occ = np.full(n, 10.0)
    tm = thematic_map(sp.csr_matrix(c), occ, np.array([1, 1, 1, 2, 2, 2, 3, 3, 3]), [f"t{i}" for i in range(n)]).set_index("cluster")
    assert tm.loc[1, "quadrant"] == "niche themes"
    assert tm.loc[1, "density"] > tm.loc[2, "density"]
    assert tm.loc[2, "centrality"] > tm.loc[1, "centrality"]


def test_inclusion_indexes():
    r = inclusion_indexes({"a": 3, "b": 1}, {"a": 2, "c": 5, "d": 1})
    assert r["inclusion"] == 0.5 and r["stability"] == 0.25
    assert np.isclose(r["weighted_inclusion"], 2 / 4)
