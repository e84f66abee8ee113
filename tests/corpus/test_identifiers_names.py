"""Identifiers, names, countries and cited-reference keys."""
from __future__ import annotations

import pytest

from bibliomap.corpus.countries import code_to_name, country_of_affiliation
from bibliomap.corpus.finalize import finalize_record, normalize_doc_type
from bibliomap.corpus.identifiers import normalize_doi, split_issns
from bibliomap.corpus.names import author_key, parse_name
from bibliomap.corpus.references import parse_reference, record_keys
from bibliomap.corpus.schema import new_author, new_record


@pytest.mark.parametrize("raw,doi", [
    ("https://doi.org/10.1016/J.JOI.2017.08.007", "10.1016/j.joi.2017.08.007"),
    ("doi:10.1000/ABC.", "10.1000/abc"),
    ("DOI 10.1007/s11192-009-0146-3", "10.1007/s11192-009-0146-3"),
    ("not a doi", None),
])
def test_normalize_doi(raw, doi):
    assert normalize_doi(raw) == doi


def test_issns():
    assert split_issns("1751-1577, 18755879 (eISSN) 0138-913x") == ["1751-1577", "1875-5879", "0138-913X"]


def test_names():
    a = parse_name("van Eck, Nees Jan")
    assert (a["surname"], a["given"]) == ("van Eck", "Nees Jan")
    b = parse_name("NJ van Eck")
    assert (b["surname"], b["given"]) == ("van Eck", "NJ")
    c = parse_name("Aria M.", style="surname_first")
    assert (c["surname"], c["given"]) == ("Aria", "M.")
    assert author_key(parse_name("Waltman, Ludo"), "initials") == "waltman l"


@pytest.mark.parametrize("aff,country", [
    ("Leiden Univ, CWTS, Leiden, Netherlands.", "Netherlands"),
    ("Univ Naples Federico II, Naples, Italy", "Italy"),
    ("MIT, Cambridge, MA 02139 USA", "United States"),
    ("Peking Univ, Beijing 100871, Peoples R China", "China"),
    ("Univ Edinburgh, Edinburgh, Midlothian, Scotland", "United Kingdom"),
    ("Department of Music, no country here", None),
])
def test_country_of_affiliation(aff, country):
    assert country_of_affiliation(aff) == country


def test_country_codes():
    assert code_to_name("US") == "United States" and code_to_name("kr") == "South Korea"


def test_reference_keys_agree_across_databases():
    wos = parse_reference("Aria M, 2017, J INFORMETR, V11, P959", "wos")
    old = parse_reference("Aria, M., Cuccurullo, C., bibliometrix (2017) Journal of Informetrics, 11 (4), pp. 959-975.", "scopus")
    new = parse_reference("Aria M.; Cuccurullo C.; bibliometrix, Journal of Informetrics, 11, 4, pp. 959-975, (2017)", "scopus")
    assert wos["key"] == old["key"] == new["key"] == "ref:aria|2017|v11|p959"
    assert parse_reference("Aria M, 2017, J INFORMETR, V11, P959, DOI 10.1016/J.JOI.2017.08.007", "wos")["key"] == "doi:10.1016/j.joi.2017.08.007"
    assert parse_reference("[Anonymous], 2010, NATURE, V464, P1", "wos")["key"] is None


def test_document_keys_match_their_references():
    r = new_record()
    r.update(doi="10.1016/J.JOI.2017.08.007", year=2017, volume="11", page_start="959", source_title="Journal of Informetrics",
             authors=[new_author("Aria, Massimo", "Aria", "Massimo")])
    keys = record_keys(finalize_record(r))
    assert "doi:10.1016/j.joi.2017.08.007" in keys and "ref:aria|2017|v11|p959" in keys


def test_finalize_derives_countries_types_and_citation_counts():
    r = new_record()
    r.update(title="  A  title ", doc_type_raw="Article; Proceedings Paper", times_cited="12", database="wos", year="2020",
             authors=[new_author("Doe, J", "Doe", "J", affiliations=["Univ X, Lyon, France"])], _reference_style="wos")
    r = finalize_record(r)
    assert r["title"] == "A title" and r["doc_type"] == "article" and r["year"] == 2020
    assert r["countries"] == ["France"] and r["authors"][0]["countries"] == ["France"]
    assert r["affiliations"] == ["Univ X, Lyon, France"]
    assert r["citation_counts"] == [{"database": "wos", "count": 12, "date": None}]
    assert normalize_doc_type("journal-article") == "article"


def test_scopus_2025_reference_with_a_year_in_its_title():
    r = parse_reference("Aria M.; Cuccurullo C.; Music videos (2015) revisited, Journal of Informetrics, 11, 4, pp. 959-975, (2017)", "scopus")
    assert r["year"] == 2017 and r["key"] == "ref:aria|2017|v11|p959"


def test_a_doi_field_keeps_sici_characters_and_balanced_parentheses():
    from bibliomap.corpus.identifiers import find_doi, normalize_doi

    sici = "10.1002/(SICI)1099-1360(199903)8:2<74::AID-MCDA234>3.0.CO;2-7"
    assert normalize_doi(sici) == sici.lower()  # a real Scopus DOI, cut at '<' before
    assert normalize_doi("https://doi.org/10.1061/(ASCE)0733-9364(1990)116:4(595)") == "10.1061/(asce)0733-9364(1990)116:4(595)"
    assert normalize_doi("10.1007/978-3-030-1_5).") == "10.1007/978-3-030-1_5"
    assert normalize_doi("see 10.1234/abc, p. 3") == "10.1234/abc"
    # inside text (cited references) the DOI still ends at '<' and loses closing marks
    assert find_doi(f"SMITH J, 1999, DOI {sici}") == "10.1002/(sici)1099-1360(199903)8:2"
