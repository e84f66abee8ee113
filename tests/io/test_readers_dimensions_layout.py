"""Dimensions "full data" CSV export in the layout of a real export saved again by a spreadsheet.

The fixture (our own invented records) reproduces what a real export showed: a preamble row
padded with commas, 53 columns, dd/mm/yyyy dates, organization names with parentheses in
"Authors Affiliations", authors with "()" (no organization), an unbalanced "(" in a name,
parallel organization/country columns with repeated countries, e-locators and
spreadsheet-mangled values in "Pagination", abbreviated page ranges, multi-line abstracts.
"""
from __future__ import annotations

import csv

import pytest

from bibliomap.corpus import Corpus
from bibliomap.io.read import read_file
from bibliomap.io.readers.dimensions import _author_affiliation_entries, _pages


@pytest.fixture(scope="module")
def result(fixtures):
    return read_file(fixtures / "web" / "dimensions_full_resaved.csv")


def test_every_row_read_nothing_rejected(fixtures, result):
    with open(fixtures / "web" / "dimensions_full_resaved.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))[2:]  # preamble row, header row
    assert result.format == "dimensions_csv" and result.error is None and result.rejected == []
    assert len(result.records) == len(rows) == 3
    assert [r["provenance"][0]["line"] for r in result.records] == [3, 9, 10]  # the first abstract spans six lines


def test_authors_get_affiliations_and_countries(result):
    first = result.records[0]
    by_name = {a["name"]: a for a in first["authors"]}
    moreau = by_name["Moreau, Camille"]
    assert moreau["affiliations"] == ["Fungal Genomics Company (France)", "Alpine Ecology Institute"]
    assert moreau["countries"] == ["France"]
    assert by_name["Okafor, Chidi"]["countries"] == ["Nigeria"]
    assert by_name["Lindqvist, Sven"]["countries"] == ["France", "Sweden"]
    assert by_name["Tanaka, Hiro"]["affiliations"] == [] and by_name["Tanaka, Hiro"]["countries"] == []
    assert first["affiliations"] == [
        "Fungal Genomics Company (France)",
        "Alpine Ecology Institute",
        "University of Lagos Test Campus",
        "Nordic Soil Centre",
    ]
    assert first["countries"] == ["France", "Nigeria", "Sweden"]
    chapter = result.records[1]
    assert chapter["affiliations"] == ["Hill Research Station (Austria)", "Andes Field Lab"]
    assert [a["countries"] for a in chapter["authors"]] == [["Austria"], ["Peru"]]


def test_fields_come_through(result):
    first, chapter, old = result.records
    assert (first["doi"], first["pmid"]) == ("10.9999/jtm.2021.0042", "34000001")
    assert (first["year"], first["times_cited"]) == (2021, 7)
    assert first["source_title"] == "Journal of Test Mycology" and first["issn"] == ["1234-5679", "2345-6788"]
    assert first["abstract"].startswith("Background") and "120 plots" in first["abstract"]
    assert (first["page_start"], first["page_end"]) == ("e01234-21", None)  # an e-locator, not pages e01234 to 21
    assert first["extra"]["Publication ID"] == "pub.1190000001"
    assert chapter["source_title"] == "Field Methods in Mycology" and chapter["doc_type_raw"] == "Chapter"
    assert (chapter["page_start"], chapter["page_end"]) == ("566", "578")
    assert (old["page_start"], old["page_end"]) == ("01-Sep", None)  # kept as found, not split into "01" and "Sep"
    assert old["authors"] == [] and old["year"] == 1998


def test_corpus_keeps_author_countries(fixtures):
    corpus = Corpus.from_records(read_file(fixtures / "web" / "dimensions_full_resaved.csv").records)
    rows = corpus.table.to_pylist()
    assert [a["countries"] for a in rows[0]["authors"]] == [["France"], ["Nigeria"], ["France", "Sweden"], []]
    assert rows[0]["countries"] == ["France", "Nigeria", "Sweden"]


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("Alpha, Bea (Univ X; Nestle (Switzerland)); Gamma, Dan (Univ Y)",
         [("Alpha, Bea", ["Univ X", "Nestle (Switzerland)"]), ("Gamma, Dan", ["Univ Y"])]),
        ("Alpha, Bea (); Gamma, Dan (Univ Y)", [("Alpha, Bea", []), ("Gamma, Dan", ["Univ Y"])]),
        ("Alpha, Bea(x} (Univ X); Gamma, Dan (Univ Y)", [("Alpha, Bea(x}", ["Univ X"]), ("Gamma, Dan", ["Univ Y"])]),
    ],
)
def test_author_affiliation_entries(cell, expected):
    assert _author_affiliation_entries(cell) == expected


@pytest.mark.parametrize(
    "value, expected",
    [("959-975", ("959", "975")), ("1154-5", ("1154", "1155")), ("s884-s885", ("s884", "s885")),
     ("e0230000", ("e0230000", None)), ("e01498-22", ("e01498-22", None)), ("Mar-27", ("Mar-27", None))],
)
def test_pages(value, expected):
    assert _pages(value) == expected
