"""build_network: thresholds, selection, standard weights and scores, checked by hand."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bibliomap.networks.builders import build_network, default_thresholds, document_indicators


@pytest.fixture(scope="module")
def team(make_corpus, make_record):
    """D1 (2010, 10 cites) A B C; D2 (2010, 0) A C; D3 (2012, 6) A B; D4 (2012, 2) D E;
    D5 (2014, 4) F alone; D6 (2014, 4) A, B and 28 others (30 authors: over the max of 25)."""
    crowd = ["Alpha, A", "Beta, B"] + [f"Extra{i:02d}, X" for i in range(28)]
    return make_corpus(
        make_record(["Alpha, A", "Beta, B", "Gamma, C"], year=2010, times_cited=10, author_keywords=["maps", "networks"]),
        make_record(["Alpha, A", "Gamma, C"], year=2010, times_cited=0, author_keywords=["maps"]),
        make_record(["Alpha, A", "Beta, B"], year=2012, times_cited=6, author_keywords=["maps", "networks", "citations"]),
        make_record(["Delta, D", "Eps, E"], year=2012, times_cited=2),
        make_record(["Phi, F"], year=2014, times_cited=4),
        make_record(crowd, year=2014, times_cited=4),
    )


def links(net):
    lab = net.items["label"].tolist()
    return {tuple(sorted((lab[s], lab[t]))): w for s, t, w in net.links[["source", "target", "strength"]].itertuples(index=False)}


def row(net, label):
    return net.items.set_index("label").loc[label]


def test_full_counting_ignores_documents_over_25_authors(team):
    net = build_network(team, "co-authorship", "authors", min_documents=1)
    assert links(net) == {("alpha, a", "beta, b"): 2, ("alpha, a", "gamma, c"): 2, ("beta, b", "gamma, c"): 1, ("delta, d", "eps, e"): 1}
    assert not any(lab.startswith("extra") for lab in net.items["label"])
    assert net.meta["ignored_documents"] == 1 and net.meta["max_items_per_document"] == 25
    a = row(net, "alpha, a")
    assert a["weight<Documents>"] == 3 and a["weight<Links>"] == 2 and a["weight<Total link strength>"] == 4
    assert row(net, "phi, f")["weight<Links>"] == 0


def test_without_the_author_limit_the_big_document_counts(team):
    net = build_network(team, "co-authorship", "authors", min_documents=1, max_items_per_document=None)
    assert links(net)[("alpha, a", "beta, b")] == 3
    assert row(net, "alpha, a")["weight<Documents>"] == 4


def test_fractional_counting(team):
    net = build_network(team, "co-authorship", "authors", counting="fractional", min_documents=1)
    got = links(net)
    assert got[("alpha, a", "beta, b")] == pytest.approx(1.5)
    assert got[("alpha, a", "gamma, c")] == pytest.approx(1.5)
    assert got[("beta, b", "gamma, c")] == pytest.approx(0.5)
    assert net.meta["counting"] == "fractional"


def test_min_documents_and_min_citations(team):
    net = build_network(team, "co-authorship", "authors", min_documents=2)
    assert net.items["label"].tolist() == ["alpha, a", "beta, b", "gamma, c"]
    net = build_network(team, "co-authorship", "authors", min_documents=1, min_citations=5)
    assert net.items["label"].tolist() == ["alpha, a", "beta, b", "gamma, c"]
    assert (net.items["weight<Citations>"] >= 5).all()
    assert build_network(team, "co-authorship", "authors").n_items == 0  # default: 5 documents


def test_top_n_by_total_link_strength_and_weights_among_selected(team):
    net = build_network(team, "co-authorship", "authors", min_documents=1, n_items=2)
    # TLS: alpha 4, beta 3, gamma 3 (tie broken by position), delta 1, ...
    assert net.items["label"].tolist() == ["alpha, a", "beta, b"]
    a = row(net, "alpha, a")
    assert a["weight<Links>"] == 1 and a["weight<Total link strength>"] == 2  # gamma is not selected
    assert net.meta["items_meeting_threshold"] == 6 and net.meta["items_selected"] == 2


def test_largest_component(team):
    net = build_network(team, "co-authorship", "authors", min_documents=1, largest_component=True)
    assert net.items["label"].tolist() == ["alpha, a", "beta, b", "gamma, c"]
    assert net.items["id"].tolist() == [1, 2, 3]


def test_norm_citations_and_scores(team):
    docs = document_indicators(team)
    # 2010: mean (10 + 0)/2 = 5; 2012: mean (6 + 2)/2 = 4; 2014: mean 4 (the ignored D6 still counts)
    assert docs["norm_citations"].tolist() == pytest.approx([2.0, 0.0, 1.5, 0.5, 1.0, 1.0])
    a = row(build_network(team, "co-authorship", "authors", min_documents=1), "alpha, a")
    assert a["weight<Citations>"] == 16
    assert a["weight<Norm. citations>"] == pytest.approx(3.5)
    assert a["score<Avg. pub. year>"] == pytest.approx((2010 + 2010 + 2012) / 3)
    assert a["score<Avg. citations>"] == pytest.approx(16 / 3)
    assert a["score<Avg. norm. citations>"] == pytest.approx(3.5 / 3)


def test_keyword_cooccurrence_weights(team):
    net = build_network(team, "co-occurrence", "author-keywords", min_occurrences=1)
    assert links(net) == {("maps", "networks"): 2, ("citations", "maps"): 1, ("citations", "networks"): 1}
    assert dict(zip(net.items["label"], net.items["weight<Occurrences>"])) == {"citations": 1, "maps": 3, "networks": 2}
    assert "weight<Documents>" not in net.items
    net = build_network(team, "co-occurrence", "author-keywords", min_occurrences=2)
    assert net.items["label"].tolist() == ["maps", "networks"]


def test_terms_from_a_generic_table_binary_and_full(team):
    table = pd.DataFrame({"doc": [0, 0, 1, 2, 2], "term": ["vos map", "cluster", "vos map", "vos map", "cluster"], "count": [3, 1, 1, 2, 2]})
    binary = build_network(team, "co-occurrence", "terms", terms=table, min_occurrences=1)
    assert binary.meta["counting"] == "binary"
    assert dict(zip(binary.items["label"], binary.items["weight<Occurrences>"])) == {"cluster": 2, "vos map": 3}
    assert links(binary) == {("cluster", "vos map"): 2}
    full = build_network(team, "co-occurrence", "terms", terms=table, counting="full", min_occurrences=1)
    assert dict(zip(full.items["label"], full.items["weight<Occurrences>"])) == {"cluster": 3, "vos map": 6}
    assert links(full) == {("cluster", "vos map"): 3 * 1 + 2 * 2}
    # default for terms: 10 occurrences
    assert build_network(team, "co-occurrence", "terms", terms=table).n_items == 0


def test_thesaurus_is_applied_before_counting(team):
    net = build_network(team, "co-occurrence", "author-keywords", min_occurrences=1, thesaurus={"networks": "maps", "citations": ""})
    assert net.items["label"].tolist() == ["maps"]
    assert net.items["weight<Occurrences>"].tolist() == [3]


def test_defaults_follow_vosviewer():
    assert default_thresholds("co-authorship", "authors").min_documents == 5
    assert default_thresholds("co-authorship", "countries").max_items_per_document == 25
    assert default_thresholds("co-occurrence", "keywords").min_documents == 5
    assert default_thresholds("co-occurrence", "terms").min_documents == 10
    assert default_thresholds("citation", "documents").min_citations == 5
    assert default_thresholds("co-citation", "cited-authors").min_citations == 20


@pytest.mark.parametrize("analysis,unit", [("co-authorship", "keywords"), ("co-citation", "documents"), ("citations", "documents")])
def test_combinations_vosviewer_does_not_offer_are_refused(team, analysis, unit):
    with pytest.raises(ValueError):
        build_network(team, analysis, unit)


def test_links_are_upper_triangle_and_positive(team):
    net = build_network(team, "co-authorship", "authors", min_documents=1)
    assert (net.links["source"] < net.links["target"]).all()
    assert (net.links["strength"] > 0).all()
    a = net.adjacency().toarray()
    assert np.allclose(a, a.T)
