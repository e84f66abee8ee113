"""Publish or Perish metrics against hand-computed values and PoP's published consistency relations."""
from __future__ import annotations

import math

import numpy as np
import pytest
from analysis_helpers import author, record

from bibliomap.analysis.citation_metrics import METRIC_KEYS, g_index, h_index, pop_metrics
from bibliomap.corpus import Corpus

# Seven papers, reference year 2024. Ties (two papers with 5 citations), a zero-cited paper,
# single-author and ten-author papers, and a paper from the reference year itself.
#   paper  c   y     a   age=max(1,2024-y)  ACC=c/age  S=4c/(2024-y+1)  round_half_up(c/a)
#   p1    10  2020   1   4                  2.5        40/5  = 8        10
#   p2     9  2022   2   2                  4.5        36/3  = 12       4.5 -> 5
#   p3     5  2024   3   1                  5          20/1  = 20       1.67 -> 2
#   p4     5  2019   2   5                  1          20/6  = 3.333    2.5 -> 3
#   p5     3  2023  10   1                  3          12/2  = 6        0.3 -> 0
#   p6     0  2021   2   3                  0          0                0
#   p7     1  2014   4   10                 0.1        4/11  = 0.364    0.25 -> 0
PAPERS = {
    "citations": [10, 9, 5, 5, 3, 0, 1],
    "years": [2020, 2022, 2024, 2019, 2023, 2021, 2014],
    "n_authors": [1, 2, 3, 2, 10, 2, 4],
}

EXPECTED = {
    "papers": 7,
    "citations": 33,
    "citation_years": 10,  # 2024 - 2014
    "cites_per_year": 3.3,
    "cites_per_paper": 33 / 7,
    "cites_per_author": 10 + 4.5 + 5 / 3 + 2.5 + 0.3 + 0 + 0.25,
    "cites_per_author_per_year": (10 + 4.5 + 5 / 3 + 2.5 + 0.3 + 0.25) / 10,
    "papers_per_author": 1 + 0.5 + 1 / 3 + 0.5 + 0.1 + 0.5 + 0.25,
    "authors_per_paper": 24 / 7,
    # sorted citations 10, 9, 5, 5, 3, 1, 0: 5 >= 4 but 3 < 5
    "h_index": 4,
    # cumulative 10, 19, 24, 29, 32, 33, 33 vs squares 1, 4, 9, 16, 25, 36, 49
    "g_index": 5,
    "e_index": math.sqrt(29 - 16),
    # S sorted 20, 12, 8, 6, 3.33, ...: 6 >= 4, 3.33 < 5
    "hc_index": 4,
    # h-core authors 1 + 2 + 3 + 2 = 8
    "hi_index": 16 / 8,
    # normalized 10, 5, 3, 2, 0, 0, 0 -> 3 (banker's rounding or plain c/a would give 2)
    "hi_norm": 3,
    "hi_annual": 3 / 10,
    # r_eff 1, 1.5, 1.833, 2.333, 2.433, 2.683 (c=1 fails)
    "hm_index": 1 + 1 / 2 + 1 / 3 + 1 / 2 + 1 / 10,
    # ACC sorted 5, 4.5, 3, 2.5, 1, 0.1, 0: 3 >= 3, 2.5 < 4
    "ha_index": 3,
    "awcr": 2.5 + 4.5 + 5 + 1 + 3 + 0 + 0.1,
    "aw_index": math.sqrt(16.1),
    "awcrpa": 2.5 / 1 + 4.5 / 2 + 5 / 3 + 1 / 2 + 3 / 10 + 0.1 / 4,
    "acc1": 5,
    "acc2": 4,
    "acc5": 1,
    "acc10": 0,
    "acc20": 0,
    "hirsch_a": 33 / 16,
    "hirsch_m": 4 / 10,
    "contemporary_ac": (8 + 12 + 20 + 20 / 6 + 6 + 0 + 4 / 11) / 16,
    "publication_year_min": 2014,
    "publication_year_max": 2024,
}


def test_every_metric_matches_hand_computation():
    m = pop_metrics(PAPERS, query_year=2024)
    assert set(METRIC_KEYS) <= set(m)
    for key, value in EXPECTED.items():
        assert m[key] == pytest.approx(value), key
    assert m["cites_per_paper_median"] == 5
    assert m["cites_per_paper_mode"] == 5
    assert m["authors_per_paper_median"] == 2
    assert m["authors_per_paper_mode"] == 2
    assert m["h_core_citation_share"] == pytest.approx(29 / 33)
    assert m["publication_years"] == "2014-2024"
    assert m["reference_year"] == 2024 and m["reference_year_source"] == "query_year"
    assert m["author_counts_truncated"] == 0 and m["truncated_author_metrics"] == []


def test_corpus_input_gives_the_same_metrics_and_uses_the_query_date():
    recs = []
    for c, y, a in zip(PAPERS["citations"], PAPERS["years"], PAPERS["n_authors"]):
        recs.append(record(times_cited=c, year=y, n_authors=a, authors=[author(f"A{i}") for i in range(a)],
                           query_date="2024-03-01"))
    m = pop_metrics(Corpus.from_records(recs), query_year=1999)  # the PoP QueryDate wins
    assert m["reference_year"] == 2024 and m["reference_year_source"] == "query_date"
    for key, value in EXPECTED.items():
        assert m[key] == pytest.approx(value), key
    forced = pop_metrics(Corpus.from_records(recs), reference_year=2034)
    assert forced["citation_years"] == 20 and forced["reference_year_source"] == "reference_year"


def test_author_count_falls_back_to_listed_authors_and_truncation_is_flagged():
    recs = [
        record(times_cited=6, year=2020, authors=[author("A"), author("B"), author("C")]),  # no AuthorCount: 3
        record(times_cited=4, year=2021, authors=[author("A"), author("B")], n_authors=3, authors_truncated=True),
        record(times_cited=2, year=2022, authors=[]),  # no authors: counted as 1
    ]
    m = pop_metrics(Corpus.from_records(recs), query_year=2022)
    assert m["cites_per_author"] == pytest.approx(6 / 3 + 4 / 3 + 2 / 1)
    assert m["authors_per_paper"] == pytest.approx((3 + 3 + 1) / 3)
    assert m["author_counts_truncated"] == 1
    assert m["papers_without_authors"] == 1
    assert "cites_per_author" in m["truncated_author_metrics"] and "hi_norm" in m["truncated_author_metrics"]
    assert "h_index" not in m["truncated_author_metrics"]


def test_papers_without_year_are_left_out_of_age_based_metrics_only():
    m = pop_metrics({"citations": [8, 4], "years": [2020, np.nan], "n_authors": [1, 1]}, query_year=2024)
    assert m["citations"] == 12 and m["h_index"] == 2
    assert m["awcr"] == pytest.approx(8 / 4)  # the undated paper has no age
    assert m["acc2"] == 1 and m["papers_without_year"] == 1
    assert m["citation_years"] == 4


def test_only_reference_year_papers_have_one_citation_year():
    m = pop_metrics({"citations": [3, 1], "years": [2024, 2024]}, query_year=2024)
    assert m["citation_years"] == 1  # floored so that cites/year is defined
    assert m["cites_per_year"] == 4
    assert m["awcr"] == 4  # age max(1, 0) = 1
    assert m["hc_index"] == 2  # S = 4*3/1 = 12 and 4*1/1 = 4


def test_empty_and_uncited_sets():
    m = pop_metrics({"citations": [], "years": []}, query_year=2024)
    assert m["papers"] == 0 and m["h_index"] == 0 and m["cites_per_paper"] is None and m["citation_years"] is None
    z = pop_metrics({"citations": [0, 0, 0], "years": [2020, 2021, 2022]}, query_year=2024)
    assert z["h_index"] == 0 and z["g_index"] == 0 and z["hirsch_a"] is None and z["e_index"] == 0
    assert z["h_core_citation_share"] is None and z["hm_index"] == 0


def test_index_primitives():
    assert h_index(np.array([3, 3, 3])) == 3
    assert h_index(np.array([100])) == 1
    assert h_index(np.array([2.5, 2.5, 2.5])) == 2
    # g is capped at N: one paper with 100 citations has g = 1, not 10
    assert g_index(np.array([100])) == 1
    assert g_index(np.array([4, 0, 0, 0])) == 2


def test_pop_consistency_relations_on_a_999_paper_synthetic_corpus():
    """A published PoP table: 999 papers, 128,729 citations, cites/year 2428.85, cites/paper 128.86,
    hI,norm 101 and hI,annual 1.91, which imply 53 citation years."""
    # 101 single-author papers with 1,200 citations; 898 papers with 8 or 9 citations
    cites = np.array([1200] * 101 + [9] * 345 + [8] * 553)
    assert cites.sum() == 128_729 and cites.size == 999
    years = np.full(999, 2010)
    years[-1] = 1972  # earliest paper: 2025 - 1972 = 53 citation years
    m = pop_metrics({"citations": cites, "years": years, "n_authors": np.ones(999)}, query_year=2025)
    assert m["papers"] == 999 and m["citations"] == 128_729 and m["citation_years"] == 53
    assert round(m["cites_per_year"], 2) == 2428.85
    assert round(m["cites_per_paper"], 2) == 128.86
    assert m["hi_norm"] == 101
    assert round(m["hi_annual"], 2) == 1.91
