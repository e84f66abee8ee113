"""Occurrence tables built from tiny hand-made corpora."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from bibliomap.networks.occurrences import from_table, occurrences


def pairs(occ):
    """Set of (document, label) pairs of an Occurrences table."""
    return {(int(d), str(occ.labels[i])) for d, i in zip(occ.doc, occ.item)}


def test_authors_full_names_lower_cased_once_per_document(make_corpus, make_record):
    c = make_corpus(
        make_record(["Smith, John A.", "Doe, Jane", "SMITH, John A."]),
        make_record(["Smith, J. A.", "Müller, Karl"]),
    )
    occ = occurrences(c, "authors")
    assert pairs(occ) == {(0, "smith, john a."), (0, "doe, jane"), (1, "smith, j. a."), (1, "muller, karl")}
    assert list(occ.labels) == sorted(occ.labels)


def test_authors_by_surname_and_initials_merge_name_variants(make_corpus, make_record):
    c = make_corpus(make_record(["Smith, John A.", "Doe, Jane"]), make_record(["Smith, J. A."]))
    occ = occurrences(c, "authors", author_key="initials")
    assert pairs(occ) == {(0, "smith ja"), (0, "doe j"), (1, "smith ja")}
    assert occ.documents_per_item()[list(occ.labels).index("smith ja")] == 2


def test_thesaurus_merges_and_drops(make_corpus, make_record):
    c = make_corpus(
        make_record(author_keywords=["Bibliometrics", "Science mapping", "VOSviewer"]),
        make_record(author_keywords=["bibliometric analysis", "citation"]),
    )
    thesaurus = {"bibliometric analysis": "bibliometrics", "Science Mapping": "", "vosviewer": "VOSviewer software"}
    occ = occurrences(c, "author-keywords", thesaurus=thesaurus)
    assert pairs(occ) == {(0, "bibliometrics"), (0, "vosviewer software"), (1, "bibliometrics"), (1, "citation")}


def test_all_keywords_are_the_union_counted_once(make_corpus, make_record):
    c = make_corpus(make_record(author_keywords=["Citation", "h-index"], index_keywords=["CITATION", "Impact"]))
    occ = occurrences(c, "keywords")
    assert pairs(occ) == {(0, "citation"), (0, "h-index"), (0, "impact")}
    assert occ.weight.tolist() == [1.0, 1.0, 1.0]


def test_organizations_per_author_else_document_level(make_corpus, make_record):
    c = make_corpus(
        make_record([("Smith, J", ["Leiden Univ, CWTS, Leiden"], []), ("Doe, J", ["Leiden Univ, CWTS, Leiden", "Univ Oslo"], [])],
                    affiliations=["ignored when authors have affiliations"]),
        make_record(["Roe, R"], affiliations=["Univ Porto", "Univ Oslo"]),
    )
    occ = occurrences(c, "organizations", organization_part="full")
    assert pairs(occ) == {(0, "leiden univ, cwts, leiden"), (0, "univ oslo"), (1, "univ porto"), (1, "univ oslo")}
    first = occurrences(c, "organizations", organization_part="first")
    assert (0, "leiden univ") in pairs(first)


def test_wos_organizations_use_the_first_address_part_by_default(make_corpus, make_record):
    c = make_corpus(make_record(affiliations=["Leiden Univ, CWTS, Leiden, Netherlands"], database="wos"),
                    make_record(affiliations=["CWTS, Leiden University, Netherlands"], database="scopus"))
    assert pairs(occurrences(c, "organizations")) == {(0, "leiden univ"), (1, "cwts, leiden university, netherlands")}


def test_countries_fall_back_to_author_countries(make_corpus, make_record):
    c = make_corpus(
        make_record([("A, B", [], ["Spain"])], countries=["Netherlands"]),
        make_record([("C, D", [], ["Spain"]), ("E, F", [], ["Spain", "Peru"])]),
    )
    assert pairs(occurrences(c, "countries")) == {(0, "netherlands"), (1, "spain"), (1, "peru")}


def test_sources_one_per_document_and_missing_dropped(make_corpus, make_record):
    c = make_corpus(make_record(source_title="Scientometrics"), make_record(source_title=None), make_record(source_title="SCIENTOMETRICS "))
    occ = occurrences(c, "sources")
    assert pairs(occ) == {(0, "scientometrics"), (2, "scientometrics")}


def test_cited_sources_and_authors_parsed_from_wos_references(make_corpus, make_record):
    refs = ["Aria M, 2017, J INFORMETR, V11, P959, DOI 10.1016/j.joi.2017.08.007", "van Eck NJ, 2010, SCIENTOMETRICS, V84, P523"]
    c = make_corpus(make_record(references=refs, database="wos"), make_record(references=refs[:1], database="wos"))
    src = occurrences(c, "cited-sources")
    assert set(src.labels) == {"j informetr", "scientometrics"}
    assert src.documents_per_item()[list(src.labels).index("j informetr")] == 2
    au = occurrences(c, "cited-authors")
    assert "aria m" in set(au.labels)
    raw = occurrences(c, "references")
    assert raw.n_items == 2 and all(lab == lab.lower() for lab in raw.labels)


def test_generic_term_table_keeps_counts_and_applies_thesaurus():
    table = pd.DataFrame({"doc": [0, 0, 1, 1], "term": ["Network", "map", "network", "maps"], "count": [2, 1, 3, 1]})
    occ = from_table(table, n_docs=2, thesaurus={"maps": "map"})
    assert pairs(occ) == {(0, "network"), (0, "map"), (1, "network"), (1, "map")}
    assert occ.occurrences_per_item()[list(occ.labels).index("network")] == 5
    assert occ.documents_per_item()[list(occ.labels).index("network")] == 2


def test_generic_table_rejects_bad_document_index():
    with pytest.raises(ValueError, match="out of range"):
        from_table({"doc": [0, 5], "term": ["a", "b"]}, n_docs=2)


def test_unknown_unit(make_corpus, make_record):
    with pytest.raises(ValueError, match="unknown unit"):
        occurrences(make_corpus(make_record()), "journals")


def test_incidence_matrix_shape(make_corpus, make_record):
    c = make_corpus(make_record(author_keywords=["a", "b"]), make_record(author_keywords=["b"]))
    w = occurrences(c, "author-keywords").incidence().toarray()
    assert w.tolist() == [[1, 1], [0, 1]]
    assert np.all(w.sum(axis=0) == [1, 2])


def test_vectorized_author_keys_equal_author_key_on_real_names(corpora, make_corpus, make_record):
    import bibliomap
    from bibliomap.corpus.names import author_key

    corpus = bibliomap.read(*sorted(corpora.glob("wos-plaintext/*.txt")), *sorted(corpora.glob("scopus-csv/*.csv")))
    tricky = make_corpus(make_record(["  Smith ,  John  A.", "Núñez, José", "Plain"]))
    for c in (corpus, tricky):
        occ = occurrences(c, "authors")
        got = pairs(occ)
        docs, _ = c.author_names("name")
        people = [a for authors in c.column("authors").to_pylist() for a in authors]
        expected = {(int(d), " ".join(author_key(a, "full").split())) for d, a in zip(docs, people) if (a["name"] or a["surname"])}
        assert got == {p for p in expected if p[1]}
    assert {"nunez, jose", "plain"} <= set(occurrences(tricky, "authors").labels)


def test_occurrences_made_by_slices_equal_the_whole_column_on_real_corpora(corpora, monkeypatch):
    """Keys made over slices of 7 documents (dictionaries unified across slices) give the same items, labels and
    weights as the whole column at once, for every unit and the citation keys."""
    import bibliomap
    from bibliomap.networks import occurrences as occ_module
    from bibliomap.networks.citations import reference_occurrences
    from bibliomap.networks.occurrences import UNITS

    corpus = bibliomap.read(corpora / "wos-bibtex" / "wos.bib", *sorted(corpora.glob("wos-plaintext/*.txt")),
                            corpora / "scopus-csv" / "litstudy_scopus.csv")
    units = [u for u in UNITS if u not in ("cited-sources", "cited-authors")]
    whole = {u: occurrences(corpus, u) for u in units}
    whole["reference-keys"] = reference_occurrences(corpus)
    monkeypatch.setattr(occ_module, "SLICE_DOCUMENTS", 7)
    sliced = {u: occurrences(corpus, u) for u in units}
    sliced["reference-keys"] = reference_occurrences(corpus)
    for unit, a in whole.items():
        b = sliced[unit]
        assert a.n_items > 0, unit
        assert list(a.labels) == list(b.labels), unit
        assert np.array_equal(a.doc, b.doc) and np.array_equal(a.item, b.item) and np.array_equal(a.weight, b.weight), unit
    thesaurus = {whole["author-keywords"].labels[0]: "", whole["author-keywords"].labels[1]: "merged keyword"}
    monkeypatch.setattr(occ_module, "SLICE_DOCUMENTS", 100_000)
    one = occurrences(corpus, "author-keywords", thesaurus)
    monkeypatch.setattr(occ_module, "SLICE_DOCUMENTS", 5)
    assert list(occurrences(corpus, "author-keywords", thesaurus).labels) == list(one.labels)
    assert "merged keyword" in set(one.labels) and whole["author-keywords"].labels[0] not in set(one.labels)
