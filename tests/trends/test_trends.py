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


def test_a_stable_topic_says_why_it_is_stable():
    """A rise that the test supports but that is smaller than x1.5 is named as such, not as "no rise"."""
    years = np.arange(2015, 2025)
    totals = np.full(10, 1000.0)
    counts = np.array([[100] * 7 + [130] * 3, [5] * 10], dtype=float)  # x1.3 on 390 recent documents; flat
    r = emerging_and_declining(counts, totals, years, ["steady climb", "flat"]).set_index("item")
    assert r.loc["steady climb", "status"] == "stable" and r.loc["steady climb", "q_rise"] <= 0.05
    assert r.loc["steady climb", "evidence"].endswith("a rise, but below x1.5")
    assert r.loc["flat", "evidence"].startswith("no rise or fall supported (needs a share x1.5 or x0.67")


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


def test_emerging_needs_enough_documents_and_a_supported_rise():
    """Issue #15: growth alone is not enough; an item is emerging only with at least min_documents
    recent documents and a one-sided Fisher test of the rise that survives the FDR correction."""
    years = np.arange(2015, 2025)
    totals = np.full(10, 100.0)
    counts = np.array([
        [0, 0, 0, 0, 0, 0, 0, 1, 1, 1],        # new, but 3 documents: too few
        [1, 1, 1, 1, 1, 1, 1, 2, 2, 2],        # x2 share, 6 documents: not significant
        [1, 1, 1, 1, 1, 1, 1, 6, 8, 10],       # x8 share in 24 documents: significant
    ], dtype=float)
    r = emerging_and_declining(counts, totals, years, ["tiny", "noisy", "real"], min_occurrences=1).set_index("item")
    assert r.loc["tiny", "growth"] == np.inf and r.loc["tiny", "status"] == "stable"
    assert r.loc["noisy", "growth"] >= 1.5 and r.loc["noisy", "status"] == "stable"
    assert r.loc["noisy", "q_rise"] > 0.05
    assert r.loc["real", "status"] == "emerging" and r.loc["real", "q_rise"] < 0.001
    assert "Fisher q=" in r.loc["real", "evidence"] and ">= 5 documents" in r.loc["tiny", "evidence"]
    assert (r["q_rise"] >= r["p_rise"]).all()
    # an active burst alone no longer makes an item emerging
    import pandas as pd
    bursts = pd.DataFrame({"item": ["tiny"], "begin": [2022], "end": [2024]})
    r2 = emerging_and_declining(counts, totals, years, ["tiny", "noisy", "real"], min_occurrences=1, bursts=bursts)
    assert r2.set_index("item").loc["tiny", "status"] == "stable"


def test_emerging_fdr_controls_many_noisy_items():
    """300 items whose share never changes: without the correction about 5% would pass a raw test."""
    rng = np.random.default_rng(0)
    years = np.arange(2010, 2025)
    totals = np.full(years.size, 40.0)
    counts = rng.binomial(40, 0.05, size=(300, years.size)).astype(float)
    r = emerging_and_declining(counts, totals, years, [f"t{i}" for i in range(300)])
    raw = (r["p_rise"] < 0.05) & (r["growth"] >= 1.5) & (r["recent_documents"] >= 5)
    assert raw.sum() >= 5
    assert (r["status"] == "emerging").sum() == 0
