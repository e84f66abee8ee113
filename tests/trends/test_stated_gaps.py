"""Stated research gaps grouped by term and ranked, and the answer that leads with them."""
from __future__ import annotations

import bibliomap
from bibliomap.analysis.stated_gaps import stated_gaps
from bibliomap.analysis.summaries import summarize
from bibliomap.text.gapstatements import gap_kind
from bibliomap.text.terms import extract_terms, terms_in_texts


def test_stated_gaps_on_a_real_corpus(corpora):
    corpus = bibliomap.read(str(corpora / "pubmed-medline" / "pubmed.txt"))
    terms = extract_terms(corpus)
    g = stated_gaps(corpus, terms)
    assert len(g) >= 10
    assert g["rank"].tolist() == list(range(1, len(g) + 1))
    assert g["documents"].is_monotonic_decreasing
    assert set(g["topic"]) <= set(terms.labels)
    found = terms_in_texts(terms, g["statement"].tolist())
    abstracts = [" ".join(str(a).split()) for a in corpus.values("abstract")]
    titles = corpus.values("title")
    for topic, statement, in_statement, docs in zip(g["topic"], g["statement"], found, g["representative_documents"]):
        assert gap_kind(statement) is not None
        assert topic in in_statement
        first = docs.split(" | ")[0]
        holders = [i for i, a in enumerate(abstracts) if statement in a]
        assert any(first.startswith(" ".join(str(titles[i]).split())) for i in holders)
    answer = summarize({"stated_gaps": g})[3][1]
    assert answer[0].startswith("The authors themselves state") and g["topic"].iloc[0] in answer[1]
