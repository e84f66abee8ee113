"""Representative documents for emerging topics, gap candidates and clusters (issue #15, item 5)."""
from __future__ import annotations

import numpy as np

import bibliomap
from bibliomap.analysis.evidence import DocumentCitations, cluster_documents, front_matter, topic_documents
from bibliomap.analysis.trends import trend_analysis
from bibliomap.text.terms import extract_terms


def test_topic_documents_recent_first_then_most_cited():
    doc = np.array([0, 1, 2, 3, 4, 4])
    item = np.array([0, 0, 0, 0, 1, 0])
    years = np.array([2010, 2020, 2021, 2021, 2021], dtype=float)
    cites = np.array([100, 5, 1, 9, 50], dtype=float)
    reps = topic_documents(doc, item, [0, 1, 7], years, cites, recent_from=2020)
    assert reps[0] == [4, 3, 1]  # recent ones by citations; the old, highly cited 0 comes last, cut at 3
    assert reps[1] == [4] and reps[7] == []
    assert topic_documents(doc, item, [0], years, cites, recent_from=None, n=2)[0] == [0, 4]


def test_cluster_documents_by_share_then_citations():
    cl = np.array([1, 1, 1, 2, 0])
    share = np.array([0.5, 1.0, 1.0, 0.3, 0.0])
    reps = cluster_documents(cl, share, np.array([2000, 2001, 2002, 2003, 2004.0]), np.array([1, 2, 3, 0, 9.0]))
    assert reps == {1: [2, 1, 0], 2: [3]}


def test_a_cluster_no_document_is_classified_into_takes_those_with_most_of_their_items_in_it():
    cl = np.array([1, 1, 1, 2, 0])
    share = np.array([0.5, 1.0, 1.0, 0.3, 0.0])
    years, cites = np.array([2000, 2001, 2002, 2003, 2004.0]), np.array([1, 2, 3, 0, 9.0])
    # occurrences (document, cluster of the item): cluster 3 is in documents 0 (1 of 2 items) and 3 (1 of 3)
    occurrences = (np.array([0, 0, 1, 2, 3, 3, 3]), np.array([1, 3, 1, 1, 2, 2, 3]))
    reps = cluster_documents(cl, share, years, cites, occurrences=occurrences, clusters=[1, 2, 3])
    assert reps == {1: [2, 1, 0], 2: [3], 3: [0, 3]}
    assert cluster_documents(cl, share, years, cites, clusters=[3]) == {1: [2, 1, 0], 2: [3]}  # no occurrences given


def test_front_matter_comes_last():
    titles = ["[Front matter]", "GPU kernels", " [Title page i] ", "A [bracketed] word", None,
              "[Socio-environmental vulnerability index: a methodological proposal]"]  # PubMed: a translated title
    assert front_matter(titles).tolist() == [True, False, True, False, False, False]
    cl, share = np.array([1, 1, 1]), np.array([1.0, 0.5, 1.0])
    reps = cluster_documents(cl, share, np.array([2001, 2002, 2003.0]), np.array([50, 0, 1.0]),
                             last=np.array([True, False, True]))
    assert reps == {1: [1, 0, 2]}  # the front matter last, among itself by share, then citations


def _check_cited(corpus, terms, table, rows) -> int:
    """Check the representative documents of ``table``'s ``rows``; returns how many rows were checked."""
    cite = DocumentCitations(corpus)
    described = {cite.one(d): d for d in range(len(corpus))}
    dois = corpus.values("doi")
    t = table.loc[rows]
    for label, docs in zip(t["item"], t["representative_documents"]):
        parts = docs.split(" | ")
        assert 1 <= len(parts) <= 3
        k = terms.labels.index(label)
        for p in parts:
            d = described[p]
            assert k in terms.occurrences.loc[terms.occurrences["doc"] == d, "term"].tolist()
            if isinstance(dois[d], str) and dois[d]:
                assert p.endswith("https://doi.org/" + dois[d])
    return len(t)


def test_every_emerging_topic_gap_and_cluster_cites_documents_that_contain_it(corpora):
    """On real corpora (a health-policy PubMed export, a decision-analysis Scopus export, and these merged
    with a Web of Science export of the same search and a second Scopus search as one study of decision
    analysis, in which "multicriteria decision analysis" (with its acronym MCDA) is supported as emerging and
    ELECTRE TRI as declining: alone, neither has a rise that survives the false-discovery-rate correction),
    every emerging topic, gap candidate and cluster profile names documents that contain it. ("decision-making"
    rose in the pubmed + scopus study before hyphen variants were one term: a spelling, not a topic.)"""
    checked = {"emerging": 0, "gaps": 0}
    for paths in (["pubmed-medline/pubmed.txt"], ["scopus-bibtex/scopus.bib"],
                  ["pubmed-medline/pubmed.txt", "scopus-bibtex/scopus.bib", "wos-bibtex/wos.bib",
                   "scopus-bibtex/mcda_scopus.bib"]):
        corpus = bibliomap.read(*[str(corpora / p) for p in paths])
        terms = extract_terms(corpus)
        tables, _ = trend_analysis(corpus, terms=terms)
        ed = tables["emerging_declining"]
        checked["emerging"] += _check_cited(corpus, terms, ed, ed["status"] == "emerging")
        assert (ed.loc[ed["status"] == "stable", "representative_documents"] == "").all()
        checked["gaps"] += _check_cited(corpus, terms, tables["gaps"], slice(None))
        prof = tables["cluster_profiles"]
        prof = prof[prof["cluster"] > 0]  # 0: the unclassified documents, no cluster to illustrate
        assert len(prof) and (prof["representative_documents"].str.len() > 0).all()
    assert checked["emerging"] > 0 and checked["gaps"] > 0
