"""Thematic evolution, gap candidates, overlay scores, production per cluster and summaries on crafted data."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from bibliomap.analysis.evolution import thematic_evolution, time_slices
from bibliomap.analysis.gaps import betweenness, gap_candidates
from bibliomap.analysis.summaries import QUESTIONS, summarize, to_markdown
from bibliomap.analysis.thematic import classify_documents, describe_clusters
from bibliomap.analysis.trends import annual_production_by_cluster, document_citation_scores, overlay_scores, reference_occurrences
from bibliomap.corpus import Corpus
from bibliomap.corpus.schema import new_record


def _two_theme_documents(years: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Per year 4 documents: two hold {a, b, c}, two hold {d, e, f}; the two word sets never meet."""
    labels = ["a", "b", "c", "d", "e", "f"]
    doc, item, doc_years = [], [], []
    d = 0
    for y in years:
        for group in ([0, 1, 2], [0, 1, 2], [3, 4, 5], [3, 4, 5]):
            doc += [d] * 3
            item += group
            doc_years.append(y)
            d += 1
    return np.array(doc), np.array(item), np.array(doc_years, dtype=float), labels


def test_time_slices_default_halves_and_cuts():
    years = np.array([2000, 2005, 2010, 2020, np.nan])
    assert time_slices(years) == [(2000, 2010), (2011, 2020)]
    assert time_slices(years, [2010, 2015]) == [(2000, 2010), (2011, 2015), (2016, 2020)]
    with pytest.raises(ValueError, match="outside"):
        time_slices(years, [2020])


def test_evolution_links_a_theme_to_its_identical_continuation():
    doc, item, years, labels = _two_theme_documents([2001, 2002, 2003, 2004])
    ev = thematic_evolution(doc, item, years, labels, cuts=[2002])
    assert list(ev.slices["slice"]) == ["2001-2002", "2003-2004"]
    # two themes per slice, one per word set
    assert ev.themes.groupby("slice").size().tolist() == [2, 2]
    sets = ev.theme_items.groupby(["slice", "cluster"])["item"].apply(frozenset)
    assert set(sets) == {frozenset("abc"), frozenset("def")}
    # each theme continues into the theme with the same words, with all indexes 1, and nowhere else
    assert len(ev.links) == 2
    for _, link in ev.links.iterrows():
        assert sets[(link["from_slice"], link["from_cluster"])] == sets[(link["to_slice"], link["to_cluster"])]
        assert link["inclusion"] == 1.0 and link["stability"] == 1.0 and link["weighted_inclusion"] == 1.0
        assert link["n_shared"] == 3


def test_evolution_indexes_for_a_partial_continuation():
    doc, item, years, labels = _two_theme_documents([2001, 2002])
    # later slice: the a-b-c theme loses c and gains g
    labels = labels + ["g"]
    extra_doc, extra_item, extra_years = [], [], []
    d = doc.max() + 1
    for y in (2003, 2004):
        for group in ([0, 1, 6], [0, 1, 6], [3, 4, 5], [3, 4, 5]):
            extra_doc += [d] * 3
            extra_item += group
            extra_years.append(y)
            d += 1
    ev = thematic_evolution(np.r_[doc, extra_doc], np.r_[item, extra_item], np.r_[years, extra_years], labels, cuts=[2002])
    link = ev.links[ev.links["shared"].str.contains("a")].iloc[0]
    assert link["inclusion"] == pytest.approx(2 / 3)  # {a, b} of 3 words each
    assert link["stability"] == pytest.approx(2 / 4)  # Jaccard: 2 shared of 4 distinct
    assert ((ev.links[["inclusion", "weighted_inclusion", "stability"]] >= 0) & (ev.links[["inclusion", "weighted_inclusion", "stability"]] <= 1)).all().all()


def _gap_fixture(fixtures):
    df = pd.read_csv(fixtures / "trends" / "gap_occurrences.csv")
    labels, item = np.unique(df["item"].to_numpy(), return_inverse=True)
    n_docs = int(df["doc"].max()) + 1
    years = np.full(n_docs, np.nan)
    years[df["doc"].to_numpy()] = df["year"].to_numpy()
    return df["doc"].to_numpy(), item, years, labels


def test_gap_candidates_rank_a_fast_growing_rare_term_first(fixtures):
    doc, item, years, labels = _gap_fixture(fixtures)
    g = gap_candidates(doc, item, years, labels, recent_years=3)
    assert g.loc[0, "item"] == "rising star"
    assert "rare and growing" in g.loc[0, "kind"] and "6 documents" in g.loc[0, "reason"]
    assert list(g["rank"]) == list(range(1, len(g) + 1))
    growing = set(g.loc[g["kind"].str.contains("growing"), "item"])
    assert "old niche" not in growing
    assert not growing & {"core alpha", "core beta", "core gamma"}  # frequent items are not rare
    assert g["score"].between(0, 1).all()


def test_betweenness_of_the_middle_of_a_path_is_one():
    c = sp.csr_matrix(np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0]], dtype=float))
    b = betweenness(c, np.ones(3))
    assert b.tolist() == [0.0, 1.0, 0.0]


def test_overlay_scores_average_year_and_normalized_citations():
    years = np.array([2000, 2000, 2010, np.nan])
    cites = np.array([10, 30, 5, 7])
    norm = document_citation_scores(years, cites)
    assert norm[:3].tolist() == [0.5, 1.5, 1.0] and np.isnan(norm[3])
    doc = np.array([0, 1, 2, 3, 0, 0])
    item = np.array([0, 0, 1, 1, 1, 1])  # doc 0 holds item 1 twice: counted once
    s = overlay_scores(doc, item, years, cites, ["x", "y"]).set_index("item")
    assert s.loc["x", "avg_pub_year"] == 2000 and s.loc["x", "avg_norm_citations"] == 1.0
    assert s.loc["y", "documents"] == 3
    assert s.loc["y", "avg_pub_year"] == 2005  # the undated document is skipped
    assert s.loc["y", "avg_norm_citations"] == pytest.approx((0.5 + 1.0) / 2)


def test_annual_production_by_cluster_counts_every_document():
    cls = classify_documents(np.array([0, 1, 2]), np.array([0, 1, 0]), np.array([1, 2]), n_docs=4)
    years = np.array([2001, 2003, 2003, 2002])
    p = annual_production_by_cluster(cls["cluster"].to_numpy(), years)
    assert p["documents"].sum() == 4
    assert sorted(p["cluster"].unique()) == [0, 1, 2]
    assert p[(p["year"] == 2003) & (p["cluster"] == 1)]["documents"].item() == 1
    assert sorted(p["year"].unique()) == [2001, 2002, 2003]


def test_reference_occurrences_merge_by_key_and_count_once():
    recs = []
    for refs, keys, year in (
        (["Smith J, 2001, NATURE, V1, P2", "Doe A, 1999, X"], ["doi:10.1/a", None], 2005),
        (["SMITH J., 2001, Nature 1:2", "Smith J, 2001, NATURE, V1, P2"], ["doi:10.1/a", "doi:10.1/a"], 2006),
    ):
        r = new_record()
        r.update(references=refs, reference_keys=keys, year=year, title="t")
        recs.append(r)
    doc, item, labels = reference_occurrences(Corpus.from_records(recs))
    assert len(labels) == 2
    smith = [i for i, lab in enumerate(labels) if lab.startswith("Smith")][0]
    assert sorted(doc[item == smith].tolist()) == [0, 1]  # one count per citing document


def test_summary_sentences_carry_the_figures():
    tables = {
        "cluster_profiles": pd.DataFrame({
            "cluster": [0, 3], "documents": [2, 53], "share": [2 / 55, 53 / 55], "mean_year": [2015.0, 2019.2],
            "mean_citations": [1.0, 4.5], "total_citations": [2.0, 238.5], "doc_types": ["", "article (40); review (13)"],
            "sources": ["", "J. Music (12)"], "label": ["unclassified", "video game music"],
            "top_items": ["", "video game music; soundtrack; player"], "quadrant": ["", "motor themes"],
        }),
        "bursts": pd.DataFrame({"item": ["chiptune", "tracker", "chiptune"], "first_year": [2015, 2001, 2015],
                                "documents": [9, 5, 9], "strength": [4.25, 3.0, 2.5], "begin": [2018, 2003, 2009],
                                "end": [2020, 2005, 2010], "duration": [3, 3, 2]}),
        "gaps": pd.DataFrame({"rank": [1], "item": ["procedural audio"], "reason": ["rare (3 documents) and growing"]}),
    }
    answers = summarize(tables)
    assert [q for q, _ in answers] == list(QUESTIONS)
    text = " ".join(answers[0][1])
    assert "The cluster “video game music” (cluster 3; 53 documents, mean year 2019" in text and "motor theme" in text
    assert "article (40)" in text and "J. Music (12)" in text and "2 have no clustered terms" in text
    # an item with two bursts is named once, with both
    assert "the strongest are chiptune (2018-2020, strength 4.25; 2009-2010, strength 2.50) and tracker (2003-2005" in (
        " ".join(answers[1][1]))
    assert "procedural audio: rare (3 documents) and growing." in " ".join(answers[3][1])
    assert to_markdown(answers).count("## ") == 4
    # without tables every question still gets an honest answer
    assert all(len(s) == 1 for _, s in summarize({}))


def _production(counts: dict[int, list[int]], years: list[int]) -> pd.DataFrame:
    return pd.DataFrame([{"year": y, "cluster": k, "documents": n} for k, ns in counts.items() for y, n in zip(years, ns)])


def test_a_peripheral_theme_is_called_emerging_only_on_a_supported_rise():
    years = list(range(2010, 2020))
    profiles = pd.DataFrame({
        "cluster": [1, 2, 3], "documents": [100, 24, 1], "mean_year": [2014.5, 2018.4, 2019.0],
        "label": ["old core", "new topic", "one paper"], "top_items": ["a", "b", "c"],
        "quadrant": ["motor themes", "emerging or declining themes", "emerging or declining themes"],
    })
    # "new topic": no document before 2017, 8 a year since; "one paper": a single recent document, no evidence either way
    production = _production({1: [10] * 10, 2: [0] * 7 + [8] * 3, 3: [0] * 9 + [1]}, years)
    answers = summarize({"cluster_profiles": profiles, "cluster_production": production})
    text = " ".join(answers[0][1])
    assert "“new topic” (cluster 2; 24 documents" in text
    assert "rose from 0% to 44% in the recent years (Fisher q=" in text and "so it is emerging" in text
    assert "“one paper” (cluster 3; 1 document" in text
    assert "do not show whether it is emerging or declining" in text and "1 recent and 0 earlier documents" in text
    assert "The fastest-growing theme is “new topic” (cluster 2)" in " ".join(answers[1][1])
    # a rise the test does not support is named as such, not as growth
    production = _production({1: [10] * 10, 2: [2] * 7 + [3] * 3, 3: [0] * 9 + [1]}, years)
    trends = " ".join(summarize({"cluster_profiles": profiles, "cluster_production": production})[1][1])
    assert "fastest-growing" not in trends and "not a statistically supported rise (Fisher q=" in trends
    # a supported rise smaller than x1.5 is said to be supported, and too small to make the theme emerging
    production = _production({1: [100] * 10, 2: [60] * 7 + [90] * 3, 3: [0] * 9 + [1]}, years)
    answers = summarize({"cluster_profiles": profiles, "cluster_production": production})
    assert "a statistically supported rise but below the x1.5 that makes a topic emerging" in " ".join(answers[1][1])
    assert "too little to call it emerging" in " ".join(answers[0][1])


def test_without_citation_counts_no_cluster_claims_zero_citations_and_one_theme_has_no_trend():
    profiles = pd.DataFrame({"cluster": [0, 1], "documents": [1, 40], "mean_year": [2015.0, 2016.0],
                             "mean_citations": [0.0, 0.0], "label": ["unclassified", "only theme"],
                             "top_items": ["", "a; b"], "quadrant": ["", "motor themes"]})
    production = _production({0: [0] * 9 + [1], 1: [4] * 10}, list(range(2010, 2020)))
    answers = summarize({"cluster_profiles": profiles, "cluster_production": production})
    text = " ".join(answers[0][1])
    assert "(cluster 1; 40 documents, mean year 2016)" in text and "citations per document" not in text  # PubMed: no counts
    assert "1 has no clustered terms" in text
    assert not any("share rose" in s or "fastest-growing" in s for s in answers[1][1])  # a single theme has no rise
    cited = profiles.assign(mean_citations=[0.0, 3.5])
    assert "3.5 citations per document" in " ".join(summarize({"cluster_profiles": cited})[0][1])


def test_a_weak_theme_larger_than_the_average_is_not_called_open():
    tm = pd.DataFrame({"cluster": [1, 2, 3, 4], "label": ["broad field", "core", "method", "small niche"],
                       "frequency": [613.0, 444.0, 414.0, 40.0],
                       "quadrant": ["emerging or declining themes", "motor themes", "motor themes",
                                    "emerging or declining themes"]})
    text = " ".join(summarize({"thematic_map": tm})[3][1])
    assert "open for development: “small niche”." in text
    assert "“broad field” ranks as peripheral and weakly developed but is larger than the average theme" in text


def test_describe_clusters_counts_and_top_values():
    cls = pd.DataFrame({"document": range(4), "cluster": [1, 1, 2, 0], "share": [1, 1, 1, 0], "n_items": [1, 1, 1, 0]})
    d = describe_clusters(cls, np.array([2000, 2002, 2010, np.nan]), np.array([4, 0, 1, 3]),
                          np.array(["article", "article", "review", None], dtype=object), np.array(["S", "T", "S", "S"], dtype=object)).set_index("cluster")
    assert d["documents"].sum() == 4
    assert d.loc[1, "mean_year"] == 2001 and d.loc[1, "mean_citations"] == 2
    assert d.loc[1, "doc_types"] == "article (2)"
    assert d.loc[1, "sources"] == "S (1); T (1)"


def test_items_without_links_form_no_theme_and_a_single_year_is_undetermined():
    from bibliomap.analysis.evolution import cluster_items
    from bibliomap.analysis.trends import emerging_and_declining

    assert cluster_items(sp.csr_matrix((3, 3))).tolist() == [0, 0, 0]
    r = emerging_and_declining(np.array([[3.0], [4.0]]), np.array([10.0]), np.array([2020]), ["a", "b"])
    assert set(r["status"]) == {"undetermined"}


def test_future_topics_reads_the_study_gap_table_and_cites_a_document():
    """The study names its table gap_candidates (trend_analysis: gaps); both feed the answer, which
    points to each gap's first representative document."""
    gaps = pd.DataFrame({"rank": [1], "item": ["procedural audio"], "reason": ["rare (3 documents) and growing"],
                         "representative_documents": ["Procedural audio for games (2021), https://doi.org/10.1/x | B (2020)"]})
    text = " ".join(summarize({"gap_candidates": gaps})[3][1])
    assert "procedural audio: rare (3 documents) and growing (see Procedural audio for games (2021), " \
           "https://doi.org/10.1/x)." in text
    ed = pd.DataFrame({"item": ["x", "y"], "growth": [3.0, 1.1], "q_rise": [0.4, 0.9], "status": ["stable", "stable"],
                       "recent_documents": [6, 2]})
    text = " ".join(summarize({"emerging_declining": ed})[3][1])
    assert "No topic's rise in the recent years is statistically supported" in text and "x (share x3.0, q=0.40)" in text
