"""Every builder on real exports gives a consistent network."""
from __future__ import annotations

import numpy as np
import pytest

import bibliomap
from bibliomap.networks.builders import ANALYSES, build_network

COMBINATIONS = [(a, u) for a, units in ANALYSES.items() for u in units if u != "terms"]
WITH_REFERENCES = ("wos-plaintext/*.txt", "scopus-csv/*.csv")


@pytest.fixture(scope="module")
def real(corpora):
    loaded = {}
    for pattern in WITH_REFERENCES + ("demo/*.csv",):
        files = sorted(corpora.glob(pattern))
        assert files, f"no files for {pattern}"
        corpus = bibliomap.read(*files)
        assert len(corpus) > 0, f"nothing read from {pattern}"
        loaded[pattern] = corpus
    return loaded


def check_consistent(net, thresholds):
    items, links = net.items, net.links
    n = len(items)
    assert items["id"].tolist() == list(range(1, n + 1))
    assert items["label"].map(lambda s: isinstance(s, str) and s != "").all()
    assert not items["label"].duplicated().any()
    if len(links):
        assert (links["source"] < links["target"]).all()  # no self-links, each pair once
        assert links["target"].max() < n
        assert (links["strength"] > 0).all()
        assert not links.duplicated(["source", "target"]).any()
    a = net.adjacency()
    assert abs(a - a.T).sum() == 0
    # standard weights are those of the links among the selected items
    assert np.array_equal(items["weight<Links>"].to_numpy(), np.diff(a.indptr))
    assert np.allclose(items["weight<Total link strength>"].to_numpy(), np.asarray(a.sum(axis=1)).ravel())
    for column, minimum in thresholds.items():
        if minimum is not None and column in items:
            assert (items[column] >= minimum).all(), column


@pytest.mark.parametrize("pattern", WITH_REFERENCES)
@pytest.mark.parametrize("analysis,unit", COMBINATIONS)
def test_every_builder_on_exports_with_references(real, pattern, analysis, unit):
    corpus = real[pattern]
    kw = dict(min_documents=2, min_citations=1) if unit not in ("documents", "references", "cited-sources", "cited-authors") else dict(min_citations=2)
    net = build_network(corpus, analysis, unit, **kw)
    weight = "weight<Occurrences>" if analysis == "co-occurrence" else "weight<Documents>"
    check_consistent(net, {weight: kw.get("min_documents"), "weight<Citations>": kw.get("min_citations")})
    assert net.meta["analysis"] == analysis and net.meta["unit"] == unit
    assert net.n_items > 0 or unit in ("organizations",)  # small samples may have no organization twice


@pytest.mark.parametrize("analysis,unit", [(a, u) for a, u in COMBINATIONS if a in ("co-authorship", "co-occurrence")])
def test_demo_ieee_exports(real, analysis, unit):
    net = build_network(real["demo/*.csv"], analysis, unit, min_documents=2, counting="fractional", n_items=50, largest_component=True)
    check_consistent(net, {"weight<Documents>": 2, "weight<Occurrences>": 2})
    assert net.n_items <= 50


def test_demo_ieee_exports_have_no_references(real):
    with pytest.raises(ValueError, match="cited references"):
        build_network(real["demo/*.csv"], "bibliographic-coupling", "documents")


def test_wos_citation_links_point_back_to_citing_documents(real):
    from bibliomap.corpus.references import document_keys, make_key, parse_reference

    corpus = real["wos-plaintext/*.txt"]
    net = build_network(corpus, "citation", "documents", min_citations=0)
    assert net.n_links > 0
    own = [set(k) for k in document_keys(corpus)]
    keys = []  # per document: every key its references can match (DOI key and canonical key)
    for refs in corpus.column("references").to_pylist():
        ks = set()
        for r in refs:
            p = parse_reference(r, "wos")
            ks |= {p["key"], make_key(p["first_author"], p["year"], p["volume"], p["page"], p["source"])}
        keys.append(ks - {None})
    for s, t in net.links[["source", "target"]].itertuples(index=False):
        assert keys[s] & own[t] or keys[t] & own[s]


def test_terms_from_the_text_layer(real):
    from bibliomap.text.terms import extract_terms

    corpus = real["wos-plaintext/*.txt"]
    selected = extract_terms(corpus, counting="binary", min_occurrences=3)
    net = build_network(corpus, "co-occurrence", "terms", terms=selected, min_occurrences=3)
    check_consistent(net, {"weight<Occurrences>": 3})
    assert net.n_items > 0 and net.meta["counting"] == "binary"
    assert set(net.items["label"]) <= set(selected.labels)
    # networks sit below text mining: they never extract terms themselves
    with pytest.raises(ValueError, match="extract_terms"):
        build_network(corpus, "co-occurrence", "terms", min_occurrences=3)
