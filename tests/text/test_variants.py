"""Variants of one term (hyphens, spaces, British endings) and acronyms are shown as one label."""
from __future__ import annotations

import numpy as np

import bibliomap
from bibliomap.text.terms import extract_terms
from bibliomap.text.variants import acronym_links, canonical_variants, variant_key


def test_variant_keys_join_hyphen_space_plural_and_spelling_variants():
    same = [("multiple-criteria decision analysis", "multiple criteria decision analysis"),
            ("electre-tri method", "electre tri method"), ("decisionmaker", "decision-maker"),
            ("multi-criteria decision analysis", "multicriteria decision analysis"), ("modelling", "modeling"), ("healthcare", "health care"),
            ("outranking relations", "outranking relation"), ("test statistics", "test statistic")]
    for a, b in same:
        assert variant_key(a) == variant_key(b), (a, b)
    for a, b in [("decision maker", "decision making"), ("electre tri", "electre tri-c"), ("graph", "graphic"), ("dynamics", "dynamic")]:
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


def test_an_acronym_and_the_long_form_its_texts_define_are_one_term():
    vocab = ["mcda", "multiple criteria decision analysis", "multiple-criteria decision analysis", "aim",
             "active inference model", "dm", "decision maker", "data mining"]
    defined = {("mcda", "multiple criteria decision analysis"): 50, ("aim", "active inference model"): 2,
               ("dm", "decision maker"): 1, ("dm", "data mining"): 1, ("dm", "direct marketing"): 1}
    canonical = canonical_variants(vocab, np.array([111, 153, 52, 20, 3, 9, 40, 8]), defined)
    shown = dict(zip(vocab, (vocab[k] for k in canonical)))
    assert shown["mcda"] == shown["multiple-criteria decision analysis"] == "multiple criteria decision analysis"
    assert shown["aim"] == "aim"  # an English noun of its own is no acronym to merge
    assert shown["dm"] == "dm"  # no long form has half of its definitions
    vocab = ["da", "decision analysis", "data analysis", "decision-analysis"]
    canonical = canonical_variants(vocab, np.array([5, 30, 8, 2]), {("da", "decision analysis"): 4, ("da", "data analysis"): 1})
    assert [vocab[k] for k in canonical] == ["decision analysis", "decision analysis", "data analysis", "decision analysis"]
    assert acronym_links(vocab, None) == []


def test_acronyms_defined_in_a_real_corpus_join_their_long_forms(corpora):
    import glob

    corpus = bibliomap.read(*sorted(glob.glob(str(corpora / "demo" / "*.csv"))))
    result = extract_terms(corpus)
    assert ("gpu", "graphics processing unit") in result.phrases.acronyms
    assert "gpu" in result.labels and "graphics processing unit" not in result.labels
    assert result.aliases["graphics processing unit"] == "gpu"
    assert result.aliases["compute unified device architecture"] == "cuda"
    # other spellings of the long form its texts define for GPU count toward it too, an unrelated one does not
    for spelling in ("graphic processing unit", "graphical processing unit"):
        assert spelling not in result.labels and result.aliases[spelling] == "gpu"
    assert ("gpu", "generic programming unit") in result.phrases.acronyms
    assert "generic programming unit" not in result.aliases
    gpu = result.labels.index("gpu")
    in_map = set(result.occurrences.loc[result.occurrences["term"] == gpu, "doc"].tolist())
    long_docs = set(result.phrases.doc[result.phrases.term == result.phrases.vocabulary.index(
        "graphics processing unit")].tolist())
    assert long_docs <= in_map and len(in_map) > result.terms.set_index("term").loc["gpu", "occurrences"]
