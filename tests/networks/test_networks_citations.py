"""Citation matching, bibliographic coupling, co-citation and aggregation on a fixture."""
from __future__ import annotations

import json

import numpy as np
import pytest

from bibliomap.corpus.references import reference_key
from bibliomap.networks import citations as cit
from bibliomap.networks.builders import build_network


X = "garfield e, 1955, science, v122, p108"
Y = "small h, 1973, j am soc inform sci, v24, p265"
P1_REF = "aria m, 2017, j informetr, v11, p959, doi 10.1016/j.joi.2017.08.007"


@pytest.fixture(scope="module")
def citing(fixtures, make_corpus, make_record):
    path = fixtures / "networks" / "citing.json"
    recs = []
    for r in json.loads(path.read_text())["records"]:
        r = dict(r)
        authors = r.pop("authors")
        r["database"] = "wos"
        r["reference_keys"] = [reference_key(x, "wos") for x in r["references"]]
        recs.append(make_record(authors, **r))
    return make_corpus(*recs)


def links(net):
    """{(label, label): strength} with labels sorted in each pair."""
    lab = net.items["label"].tolist()
    return {tuple(sorted((lab[s], lab[t]))): w for s, t, w in net.links[["source", "target", "strength"]].itertuples(index=False)}


def test_citations_matched_by_doi_and_by_canonical_key(citing):
    c = cit.citation_matrix(citing).toarray()
    ids = citing.values("id").tolist()
    found = {(ids[i], ids[j]) for i, j in zip(*np.nonzero(c))}
    # P4->P1 by DOI, P4->P2 by key (no DOI), P4->P3 by key after its DOI matched nothing; P5->P1 by DOI
    assert found == {("P4", "P1"), ("P4", "P2"), ("P4", "P3"), ("P5", "P1")}
    assert cit.local_citations(citing).tolist() == [2, 1, 1, 0, 0, 0]


def test_bibliographic_coupling_full_and_fractional(citing):
    full = cit.coupling_matrix(citing, "full").toarray()
    # P4 & P5 share P1 and X; P4 & P6 share X; P5 & P6 share X and Y
    assert full[3, 4] == 2 and full[3, 5] == 1 and full[4, 5] == 2
    assert full[:3].sum() == 0 and np.all(np.diag(full) == 0)
    frac = cit.coupling_matrix(citing, "fractional").toarray()
    # X is cited by 3 documents (1/2 per link), P1 and Y by 2 (1 per link)
    assert frac[3, 4] == pytest.approx(1.5) and frac[3, 5] == pytest.approx(0.5) and frac[4, 5] == pytest.approx(1.5)


def test_coupling_falls_back_to_the_raw_string_without_key(make_corpus, make_record):
    refs = ["Some unparseable reference", "Another one"]
    c = make_corpus(make_record(["A, B"], references=refs, reference_keys=[None, None]), make_record(["C, D"], references=refs[:1], reference_keys=[None]))
    assert cit.coupling_matrix(c).toarray()[0, 1] == 1


def test_citation_network_of_documents(citing):
    net = build_network(citing, "citation", "documents", min_citations=0)
    got = links(net)
    lab = dict(zip(citing.values("id"), net.items["label"]))
    assert got == {tuple(sorted((lab["P4"], lab[p]))): 1.0 for p in ("P1", "P2", "P3")} | {tuple(sorted((lab["P5"], lab["P1"]))): 1.0}
    assert net.items["label"].tolist()[:3] == ["aria (2017)", "van eck (2010)", "waltman (2010)"]
    assert net.items["weight<Citations>"].tolist() == [100, 50, 10, 4, 0, 2]
    assert net.items["url"].tolist()[0] == "https://doi.org/10.1016/j.joi.2017.08.007"


def test_citation_documents_min_citations_default_is_5(citing):
    net = build_network(citing, "citation", "documents")
    assert sorted(net.items["weight<Citations>"].tolist()) == [10, 50, 100]
    assert net.n_links == 0  # the citing documents fall below the threshold


def test_citation_and_coupling_aggregated_to_sources(citing):
    kw = dict(min_documents=1, min_citations=0)
    c = links(build_network(citing, "citation", "sources", **kw))
    # links P4-P1 and P4-P3 join scientometrics and j informetr; P4-P2 and P5-P1 stay within a source
    assert c == {("j informetr", "scientometrics"): 2.0}
    b = links(build_network(citing, "bibliographic-coupling", "sources", **kw))
    assert b == {("j informetr", "scientometrics"): 2.0, ("res policy", "scientometrics"): 1.0, ("j informetr", "res policy"): 2.0}


def test_coupling_of_authors_fractional_shares_document_links(citing):
    full = links(build_network(citing, "bibliographic-coupling", "authors", min_documents=1, min_citations=0))
    # P4 (smith) - P5 (doe, smith) strength 2; smith-smith is a self pair and vanishes
    assert full[("doe, jane", "smith, john")] == 2.0
    assert full[("roe, richard", "smith, john")] == 1.0 + 2.0  # via P4-P6 (1) and P5-P6 (2)
    frac = links(build_network(citing, "bibliographic-coupling", "authors", counting="fractional", min_documents=1, min_citations=0))
    # P5 has two authors: each gets half of P5's links
    assert frac[("doe, jane", "smith, john")] == pytest.approx(2 * 0.5)
    assert frac[("roe, richard", "smith, john")] == pytest.approx(1.0 + 2 * 0.5)


def test_co_citation_of_references_sources_and_authors(citing):
    refs = build_network(citing, "co-citation", "references", min_citations=1)
    got = links(refs)
    assert got[(P1_REF, X)] == 2.0  # cited together by P4 and P5
    assert got[(X, Y)] == 2.0  # by P5 and P6
    cites = dict(zip(refs.items["label"], refs.items["weight<Citations>"]))
    assert cites[X] == 3 and cites[Y] == 2
    srcs = links(build_network(citing, "co-citation", "cited-sources", min_citations=1))
    # presence per citing document: P4 (two J INFORMETR papers count once) and P5
    assert srcs[("j informetr", "science")] == 2.0
    authors = build_network(citing, "co-citation", "cited-authors", min_citations=2)
    assert set(authors.items["label"]) == {"aria m", "garfield e", "small h"}
    assert links(authors)[("garfield e", "small h")] == 2.0


def test_co_citation_default_threshold_is_20(citing):
    net = build_network(citing, "co-citation", "references")
    assert net.n_items == 0 and net.meta["min_citations"] == 20
