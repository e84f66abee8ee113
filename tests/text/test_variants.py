"""Variants of one term (hyphens, spaces, inner plurals, British endings) are shown as one label."""
from __future__ import annotations

import numpy as np

import bibliomap
from bibliomap.text.terms import extract_terms
from bibliomap.text.variants import canonical_variants, variant_key


def test_variant_keys_join_hyphen_space_plural_and_spelling_variants():
    same = [("multiple-criteria decision analysis", "multiple criteria decision analysis"),
            ("electre-tri method", "electre tri method"), ("decisionmaker", "decision-maker"),
            ("multi-criteria decision analysis", "multicriteria decision analysis"), ("modelling", "modeling"), ("healthcare", "health care")]
    for a, b in same:
        assert variant_key(a) == variant_key(b), (a, b)
    for a, b in [("decision maker", "decision making"), ("electre tri", "electre tri-c"), ("graph", "graphic")]:
        assert variant_key(a) != variant_key(b), (a, b)


def test_the_most_frequent_form_stands_for_its_variants():
    vocab = ["real time", "real-time", "realtime", "gpu", "modelling", "modeling"]
    canonical = canonical_variants(vocab, np.array([5, 8, 1, 40, 3, 3]))
    assert [vocab[k] for k in canonical] == ["real-time", "real-time", "real-time", "gpu", "modeling", "modeling"]


def test_a_real_corpus_maps_each_concept_once(corpora):
    corpus = bibliomap.read(corpora / "scopus-bibtex" / "mcda_scopus.bib")
    result = extract_terms(corpus)
    keys = [variant_key(t) for t in result.labels]
    assert len(keys) == len(set(keys))  # no two labels are variants of one another
    assert "multiple criteria decision analysis" in result.labels
    assert "multiple-criteria decision analysis" not in result.labels
    # the variant's documents count toward the label: more documents than the label's own phrase has
    table = result.terms.set_index("term")
    label = result.labels.index("multiple criteria decision analysis")
    docs = result.occurrences.loc[result.occurrences["term"] == label, "doc"].nunique()
    assert docs > table.loc["multiple criteria decision analysis", "occurrences"]
    variant_docs = set(result.phrases.doc[result.phrases.term == result.phrases.vocabulary.index(
        "multiple-criteria decision analysis")].tolist())
    assert variant_docs <= set(result.occurrences.loc[result.occurrences["term"] == label, "doc"].tolist())
