"""Publish or Perish's RIS and BibTeX exports: cites and query-date notes, cut author lists."""
from __future__ import annotations

import pytest

import bibliomap
from bibliomap.io.read import read_file
from bibliomap.io.readers.pop_notes import database_of, is_truncation_marker, parse_pop_notes


def test_parse_pop_notes_splits_cites_and_query_date_from_other_notes():
    notes = ["1,389 cites: https://scholar.google.com/scholar?cites=1&hl=en", "Query date: 2025-05-31 15:03:36",
             "Read twice"]
    pop = parse_pop_notes(notes)
    assert (pop.cites, pop.query_date, pop.other) == (1389, "2025-05-31", ["Read twice"])
    assert pop.cites_url == "https://scholar.google.com/scholar?cites=1&hl=en"
    assert pop.is_pop
    plain = parse_pop_notes(["Cited by 35", "Query date: soon"])
    assert not plain.is_pop and plain.other == ["Cited by 35", "Query date: soon"]


def test_database_and_truncation_helpers():
    assert database_of("https://scholar.google.com/scholar?cites=1") == "google_scholar"
    assert database_of("https://api.openalex.org/works?filter=cites:W1") == "openalex"
    assert database_of(None) == "google_scholar"
    assert is_truncation_marker("...") and is_truncation_marker("…") and not is_truncation_marker("A Smith")


def _by_title(corpus):
    return {r["title"]: r for r in corpus.table.to_pylist()}


@pytest.mark.parametrize("name", ["pop_notes.ris", "pop_notes.bib"])
def test_pop_export_notes_become_citations_and_query_date(fixtures, name):
    corpus = bibliomap.read(fixtures / "pop" / name)
    recs = _by_title(corpus)
    assert len(recs) == 3
    first = recs["Citation windows for conference papers in computing"]
    assert first["database"] == "google_scholar"
    assert first["times_cited"] == 57 and first["query_date"] == "2025-06-02"
    assert first["citation_counts"] == [{"database": "google_scholar", "count": 57, "date": "2025-06-02"}]
    assert [a["surname"] for a in first["authors"]] == ["Okafor", "Lindqvist"]  # '...' is not an author
    assert first["authors_truncated"] is True and first["n_authors"] == 3
    assert dict(first["extra"])["cites_url"].startswith("https://scholar.google.com/scholar?cites=1111")
    pdf = recs["A note on field-normalized indicators"]
    assert pdf["times_cited"] == 3 and pdf["doc_type"] != "pdf"
    assert not pdf["authors_truncated"] and pdf["n_authors"] == 1
    # PoP omits the cites note at zero citations
    assert recs["Unseen citations in grey literature"]["times_cited"] == 0


def test_ris_without_pop_notes_is_unchanged(fixtures):
    recs = read_file(fixtures / "tagged" / "gscholar_pop.ris").records
    assert [r["times_cited"] for r in recs][:2] == [35, 210]
    assert all("cites_url" not in r.get("extra", {}) for r in recs)
