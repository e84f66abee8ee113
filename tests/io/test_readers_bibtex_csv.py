"""BibTeX, Publish or Perish CSV and Scopus CSV readers: real exports plus hand-built fixtures."""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from bibliomap.corpus import Corpus
from bibliomap.io.encoding import decode
from bibliomap.io.read import detect_format, read_file
from bibliomap.io.readers import bibtex, pop_csv, scopus_csv
from bibliomap.io.readers.bibtex import decode_latex
from bibliomap.io.readers.scopus_csv import reference_format, split_scopus_references

ENTRY_START = re.compile(r"^@(\w+)\s*[{(]", re.M)


def _text(path: Path) -> str:
    return decode(path.read_bytes())[0]


def _bib_entries(text: str) -> list[str]:
    """Entry types at line starts, without @string/@comment/@preamble (an independent count)."""
    return [t for t in ENTRY_START.findall(text) if t.lower() not in ("string", "comment", "preamble")]


def _csv_rows(text: str) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return rows[0], [r for r in rows[1:] if any(c.strip() for c in r)]


def _real(corpora: Path, folder: str, pattern: str) -> list[Path]:
    files = sorted((corpora / folder).glob(pattern))
    assert files, f"no real files in {folder}"
    return files


# --------------------------------------------------------------------------------------
# real BibTeX exports (Scopus, WoS)
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("folder,database,style", [("scopus-bibtex", "scopus", "scopus"), ("wos-bibtex", "wos", "wos")])
def test_real_bibtex_files(corpora, folder, database, style):
    for path in _real(corpora, folder, "*.bib"):
        text = _text(path)
        res = read_file(path)
        assert res.error is None, res.error
        assert res.format == "bibtex"
        n_entries = len(_bib_entries(text))
        assert len(res.records) + len(res.rejected) == n_entries
        assert res.rejected == [], res.rejected[:3]
        recs = res.records
        assert all(r["database"] == database and r["_reference_style"] == style for r in recs)
        assert [r["provenance"][0]["record"] for r in recs] == list(range(1, n_entries + 1))
        # each record's line is an entry start in the file
        lines = text.split("\n")
        assert all(lines[r["provenance"][0]["line"] - 1].startswith("@") for r in recs)
        assert sum(bool(r["title"]) for r in recs) == n_entries
        assert sum(r["year"] is not None for r in recs) >= 0.98 * n_entries
        n_author_fields = len(re.findall(r"^author\s*=", text, re.M | re.I))
        assert sum(bool(r["authors"]) for r in recs) == n_author_fields
        n_doi_fields = len(re.findall(r"^doi\s*=", text, re.M | re.I))
        assert sum(bool(r["doi"]) for r in recs) == n_doi_fields
        assert all(r["doi"] is None or r["doi"].startswith("10.") for r in recs)
        for r in recs:  # LaTeX markup decoded
            assert not re.search(r"[\\{}]", r["title"]), r["title"]
            for a in r["authors"]:
                assert not re.search(r"[\\{}]", a["name"]), a["name"]
        assert Corpus.from_records(recs).__len__() == n_entries


def test_real_scopus_bibtex_fields(corpora):
    for path in _real(corpora, "scopus-bibtex", "*.bib"):
        text = _text(path)
        recs = read_file(path).records
        eids = re.findall(r"^url=\{[^}]*eid=(2-s2\.0-\d+)", text, re.M)
        assert [r["eid"] for r in recs] == eids
        cited = [int(n) for n in re.findall(r"^note=\{cited By (\d+)", text, re.M | re.I)]
        assert [r["times_cited"] for r in recs] == cited
        n_refs = len(re.findall(r"^references=", text, re.M))
        assert sum(bool(r["references"]) for r in recs) == n_refs
        assert sum(len(r["references"]) for r in recs) > 10 * n_refs  # split into single references
        assert sum(bool(r["affiliations"]) for r in recs) == len(re.findall(r"^affiliations?=", text, re.M))
        assert all(r["doc_type_raw"] for r in recs)


def test_real_wos_bibtex_fields(corpora):
    for path in _real(corpora, "wos-bibtex", "*.bib"):
        text = _text(path)
        recs = read_file(path).records
        uts = re.findall(r"^Unique-ID = \{+(WOS:\w+)", text, re.M)
        assert [r["wos_ut"] for r in recs] == uts
        cites = [int(n) for n in re.findall(r"^Times-Cited = \{+(\d+)", text, re.M)]
        assert [r["times_cited"] for r in recs] == cites
        # Cited-References: one reference per line, counted against WoS's own NR field
        total_nr = total_refs = 0
        for r in recs:
            nr = int(r["extra"]["number-of-cited-references"])
            if r["references"]:
                assert abs(len(r["references"]) - nr) <= 2, (r["wos_ut"], len(r["references"]), nr)
                total_nr += nr
                total_refs += len(r["references"])
            assert all("\n" not in ref and ref == ref.strip() for ref in r["references"])
        all_refs = [ref for r in recs for ref in r["references"]]
        # WoS ends every line with '.', which is not part of the reference (only "V5th ed.." keeps one)
        assert sum(ref.endswith(".") for ref in all_refs) < 0.01 * len(all_refs)
        assert total_refs >= 0.99 * total_nr > 0
        # Affiliation lines are linked to their authors
        n_authors = sum(len(r["authors"]) for r in recs)
        assert sum(bool(a["affiliations"]) for r in recs for a in r["authors"]) >= 0.85 * n_authors
        assert all(r["subject_categories"] for r in recs)
        assert not any("\\&" in a for r in recs for a in r["affiliations"])


# --------------------------------------------------------------------------------------
# real Scopus CSV exports
# --------------------------------------------------------------------------------------


def test_real_scopus_csv_files(corpora):
    for path in _real(corpora, "scopus-csv", "*.csv"):
        text = _text(path)
        header, rows = _csv_rows(text)
        res = read_file(path)
        assert res.error is None, res.error
        assert res.format == "scopus_csv"
        assert len(res.records) + len(res.rejected) == len(rows)
        assert res.rejected == []
        recs = res.records
        # EID is the last column: rows with an unheaded extra cell must still line up
        assert [r["eid"] for r in recs] == [row[-1] for row in rows]
        ref_from_end = header.index("References") - len(header)
        has_refs = [bool(row[ref_from_end].strip()) for row in rows]
        assert [bool(r["references"]) for r in recs] == has_refs
        lang_from_end = header.index("Language of Original Document") - len(header)
        assert [r["language"] for r in recs] == [row[lang_from_end] or None for row in rows]
        assert all(r["title"] and r["year"] and r["source_title"] for r in recs)
        n_doi = sum(bool(row[header.index("DOI")].strip()) for row in rows)
        assert sum(bool(r["doi"]) for r in recs) == n_doi
        named = [row for row in rows if not row[0].startswith("[No author")]
        assert sum(bool(r["authors"]) for r in recs) == len(named)
        assert all(r["_reference_style"] == "scopus" and r["database"] == "scopus" for r in recs)
        assert len(Corpus.from_records(recs)) == len(rows)


def test_real_scopus_csv_2025_references_and_ids(corpora):
    path = corpora / "scopus-csv" / "bibliometrix_scopus_sample.csv"
    header, rows = _csv_rows(_text(path))
    recs = read_file(path).records
    for rec, row in zip(recs, rows):
        cell = row[header.index("References")]
        assert reference_format(cell) == "2025"
        refs = rec["references"]
        assert all(re.search(r"\((?:19|20)\d{2}[a-z]?\)$", ref) for ref in refs), refs[:3]
        assert len(refs) == len(re.findall(r"\((?:19|20)\d{2}[a-z]?\)(?:;|$)", cell))
        ids = [i.strip() for i in row[header.index("Author(s) ID")].split(";") if i.strip()]
        assert [a["scopus_id"] for a in rec["authors"]] == ids
        affs = [a for a in row[header.index("Affiliations")].split("; ") if a]
        assert rec["affiliations"] == list(dict.fromkeys(affs))
        assert all(set(a["affiliations"]) <= set(rec["affiliations"]) for a in rec["authors"])
    zhang = next(r for r in recs if r["authors"] and r["authors"][0]["surname"] == "Zhang")
    assert len(zhang["authors"][0]["affiliations"]) == 2  # two affiliations, comma-joined in the export


def test_real_scopus_csv_classic_references(corpora):
    path = corpora / "scopus-csv" / "litstudy_scopus.csv"
    recs = read_file(path).records
    first = recs[0]
    assert first["title"] == "Scalable molecular dynamics with NAMD"
    assert first["references"][0].startswith("Kalé, L., Skeel, R.")
    assert first["references"][1] == "Humphrey, W., Dalke, A., Schulten, K., (1996) J Mol Graphics, 14, p. 33"
    assert [a["name"] for a in first["authors"][:2]] == ["Phillips, J.C.", "Braun, R."]
    assert first["authors"][0]["scopus_id"] == "57202138757"
    assert first["authors"][0]["affiliations"][0].startswith("Beckman Institute")
    assert first["times_cited"] == 13169 and first["doc_type_raw"] == "Review"


# --------------------------------------------------------------------------------------
# own fixtures: generic BibTeX
# --------------------------------------------------------------------------------------


def test_zotero_bibtex_fixture(fixtures):
    path = fixtures / "bibtex_csv" / "zotero.bib"
    text = path.read_text(encoding="utf-8")
    res = read_file(path)
    assert res.error is None and res.format == "bibtex"
    assert len(res.records) + len(res.rejected) == len(_bib_entries(text)) == 5
    broken_line = text.split("\n").index("@article{broken2021,") + 1
    reasons = {(r.record, r.line): r.reason for r in res.rejected}
    assert set(reasons) == {(3, broken_line), (5, broken_line + 12)}
    assert "broken2021" in reasons[(3, broken_line)] and "braces" in reasons[(3, broken_line)]
    assert "no title" in reasons[(5, broken_line + 12)]

    mueller, francois, lodz = res.records
    assert mueller["title"] == "Schrödinger's Cat: Naïve Approaches to Music"
    assert [a["name"] for a in mueller["authors"]] == ["Müller, Jörg", "García, María", "World Health Organization"]
    assert mueller["authors"][2]["given"] is None
    assert mueller["source_title"] == "IEEE Transactions on Multimedia"  # @string macro
    assert (mueller["year"], mueller["date"]) == (2020, "2020-03")  # bare number, month macro
    assert (mueller["page_start"], mueller["page_end"]) == ("101", "115")
    assert mueller["doi"] == "10.1109/tmm.2020.12345"
    assert mueller["author_keywords"] == ["music generation", "deep learning", "video"]
    assert mueller["abstract"] == "We study video-to-music generation – a new task that … 100% works for α-tests."
    assert mueller["url"] == "https://example.org/~mueller/paper.pdf"
    assert mueller["database"] == "bibtex" and "_reference_style" not in mueller
    assert mueller["extra"]["bibtex_key"] == "mueller2020" and mueller["doc_type_raw"] == "article"

    assert francois["title"] == "Nested braces inside braces and Springer concatenation"  # '#' and macro
    assert [a["name"] for a in francois["authors"]] == ["François, Jean", "Straße, Otto"]
    assert francois["authors_truncated"] is True and francois["n_authors"] == 3  # "and others"
    assert francois["source_title"] == "Proceedings of the ACM Conference"
    assert francois["publisher"] == "Springer" and francois["isbn"] == ["9783161484100"]

    assert lodz["authors"][0]["name"] == "Łódź, Anna"
    assert lodz["title"] == "Ångström and Škoda: Øresund"
    assert lodz["provenance"] == [{"file": str(path), "format": "bibtex", "record": 4, "line": broken_line + 5}]


@pytest.mark.parametrize(
    "latex,plain",
    [
        (r"{\"o}", "ö"),
        (r"\'e", "é"),
        (r"Fran\c{c}ois", "François"),
        (r"\c c", "ç"),
        (r"Stra{\ss}e", "Straße"),
        (r"Na\"{\i}ve", "Naïve"),
        (r"\v{S}koda \u{g} \H{o} \k{a} \r{a} \={a} \.{z}", "Škoda ğ ő ą å ā ż"),
        (r"Bj\o rn {\AE}sop", "Bjørn Æsop"),
        (r"pp. 1--10 and A---B", "pp. 1–10 and A—B"),
        (r"x~y \& z \% \$ \# \_", "x y & z % $ # _"),
        (r"``quoted''", "“quoted”"),
        (r"\textit{in vivo} and {\em RNA}", "in vivo and RNA"),
        (r"$\alpha$-helix", "α-helix"),
        (r"\{a, b\}", "{a, b}"),
        (r"{[}Anonymous]", "[Anonymous]"),
        (r"\unknownmacro word", "unknownmacro word"),
        ("plain text, no markup", "plain text, no markup"),
    ],
)
def test_decode_latex(latex, plain):
    assert decode_latex(latex) == plain


def test_decode_latex_verbatim_keeps_urls():
    assert decode_latex(r"https://x.org/~a--b/10.1000\_x", verbatim=True) == "https://x.org/~a--b/10.1000_x"


def test_bibtex_quoted_values_parentheses_and_concatenation(tmp_path):
    path = tmp_path / "misc.bib"
    path.write_text(
        '@string(pre = "Journal of ")\n'
        '@Article(k1, Title = "A {"}quoted{"} title", Journal = pre # "Tests", Year = "1999", Author = "Doe, J."\n)\n'
        "@article{k2, title={Second}, year={2001}, author={Roe, R. and Poe, P.},}\n",
        encoding="utf-8",
    )
    res = read_file(path)
    assert res.error is None and res.rejected == []
    a, b = res.records
    assert a["title"] == 'A "quoted" title' and a["source_title"] == "Journal of Tests" and a["year"] == 1999
    assert b["n_authors"] == 2 and b["authors_truncated"] is False and b["provenance"][0]["line"] == 4


# --------------------------------------------------------------------------------------
# own fixtures: Publish or Perish CSV
# --------------------------------------------------------------------------------------


def test_pop_full_header(fixtures):
    path = fixtures / "bibtex_csv" / "pop_full.csv"
    header, rows = _csv_rows(path.read_text(encoding="utf-8"))
    assert len(header) == 26
    res = read_file(path)
    assert res.format == "pop_csv" and res.error is None
    assert len(res.records) + len(res.rejected) == len(rows) == 7
    assert {(r.record, r.line) for r in res.rejected} == {(6, 7), (7, 8)}
    meyer, lee, park, garcia, beethoven = res.records
    assert [a["name"] for a in meyer["authors"]] == ["Meyer, AG", "Smith, J", "Doe, K"]
    assert (meyer["authors_truncated"], meyer["n_authors"]) == (False, 3)
    assert meyer["database"] == "google_scholar" and meyer["query_date"] == "2024-03-05"
    assert meyer["times_cited"] == 120 and meyer["doi"] == "10.1109/tmm.2019.0001"
    assert meyer["issn"] == ["1520-9210"] and (meyer["page_start"], meyer["page_end"]) == ("100", "110")
    for key, value in {"GSRank": "1", "ECC": "120", "CitesPerYear": "24.00", "CitesPerAuthor": "40", "Age": "5",
                       "AuthorCount": "3", "QueryDate": "2024-03-05 10:11:12"}.items():
        assert meyer["extra"][key] == value
    assert meyer["extra"]["CitesURL"].startswith("https://scholar.google.com/scholar?cites=")
    # "..." as its own item: dropped, flagged; AuthorCount wins
    assert [a["name"] for a in lee["authors"]] == ["Lee, B", "Kim, C"] and lee["authors_truncated"]
    assert lee["n_authors"] == 3 and lee["doc_type_raw"] is None and lee["extra"]["Type"] == "PDF"
    # "…" glued to the last name; AuthorCount 5 is larger than the names shown
    assert [a["name"] for a in park["authors"]] == ["Park, D", "Wong, E"] and park["n_authors"] == 5
    assert park["doc_type_raw"] == "BOOK"
    # "..." glued, no AuthorCount: names shown + 1
    assert [a["name"] for a in garcia["authors"]] == ["Garcia, F", "Müller, G"]
    assert garcia["authors_truncated"] and garcia["n_authors"] == 3
    assert beethoven["authors"][0]["surname"] == "van Beethoven"


def test_pop_older_headers(fixtures):
    res = read_file(fixtures / "bibtex_csv" / "pop_old_type.csv")
    assert res.format == "pop_csv" and res.error is None and res.rejected == []
    einstein, doe, roe = res.records
    assert einstein["times_cited"] == 12774 and einstein["year"] == 1935
    assert [a["surname"] for a in einstein["authors"]] == ["Einstein", "Podolsky", "Rosen"]
    assert einstein["query_date"] == "2014-11-20" and einstein["database"] == "google_scholar"
    assert einstein["url"] == "http://journals.aps.org/pr/abstract/10.1103/PhysRev.47.777"
    assert (doe["n_authors"], doe["authors_truncated"], doe["doc_type_raw"]) == (2, True, "CITATION")
    assert (roe["n_authors"], roe["authors"][0]["surname"]) == (2, "Roe")

    res = read_file(fixtures / "bibtex_csv" / "pop_openalex_age.csv")  # quoted header with BOM, stops after Age
    assert res.format == "pop_csv" and len(res.records) == 2
    assert {r["database"] for r in res.records} == {"openalex"}  # no Google Scholar links
    assert res.records[0]["n_authors"] == 2 and res.records[0]["extra"]["Age"] == "119"


def test_pop_missing_title_column_is_a_file_error(fixtures):
    path = fixtures / "bibtex_csv" / "pop_no_title.csv"
    res = read_file(path, format="publish_or_perish")
    assert res.records == [] and res.error
    assert str(path) in res.error and "Title" in res.error


def test_pop_author_string_parsing():
    authors, truncated = pop_csv.parse_authors("AG Meyer, J Smith …")
    assert [a["surname"] for a in authors] == ["Meyer", "Smith"] and truncated
    assert pop_csv.parse_authors("") == ([], False)
    assert pop_csv.iso_date("25/12/2020") == "2020-12-25" and pop_csv.iso_date("03/04/2020") is None


# --------------------------------------------------------------------------------------
# own fixtures: Scopus CSV
# --------------------------------------------------------------------------------------


def test_scopus_old_header_fixture(fixtures):
    path = fixtures / "bibtex_csv" / "scopus_old.csv"
    header, rows = _csv_rows(_text(path))
    res = read_file(path)
    assert res.format == "scopus_csv" and res.error is None
    assert len(res.records) + len(res.rejected) == len(rows) == 4
    assert [(r.record, r.line) for r in res.rejected] == [(3, 4), (4, 5)]
    assert "cannot be aligned" in res.rejected[0].reason and "no title" in res.rejected[1].reason
    first, second = res.records
    assert first["title"] == "A study of mapping"  # "Titles" alias
    assert [a["name"] for a in first["authors"]] == ["Smith, J.A.", "Müller, K."]  # comma-separated old style
    assert [a["scopus_id"] for a in first["authors"]] == ["1001", "1002"]
    assert [a["affiliations"] for a in first["authors"]] == [["Univ A, Dept B, Paris, France"], ["Univ C, Berlin, Germany"]]
    assert first["index_keywords"] == ["Maps", "Bibliometrics"]  # "Indexed Keywords" alias
    assert first["references"] == ["Smith, J., Doe, A., Title one (2001) J Comp, 5, pp. 1-9",
                                   "Lee, K., (1999) Some Book, , Springer, Berlin"]
    assert first["abstract"] == "We map things. © 2018 Elsevier Ltd"  # kept as given
    assert (first["doi"], first["pmid"], first["issn"]) == ("10.1000/xyz.1", "29912345", ["1234-5679"])
    assert first["open_access"] is True and first["times_cited"] == 15
    assert first["extra"]["CODEN"] == "JMAPX"
    # the row with one unheaded 'Funding Text 2' cell is realigned
    assert second["eid"] == "2-s2.0-85000000002" and second["references"] == ["Roe, B., (2005) Maps, 3, p. 7"]
    assert second["doc_type_raw"] == "Review" and second["open_access"] is False and second["times_cited"] == 0
    assert "Second funding text" in second["extra"]["Funding Text 1"]


def test_scopus_2025_fixture(fixtures):
    res = read_file(fixtures / "bibtex_csv" / "scopus_2025.csv")
    assert res.format == "scopus_csv" and res.rejected == []
    (rec,) = res.records
    assert rec["references"] == [
        "The global epidemic of low back pain, Lancet Rheumatol, 5, (2023)",
        "Cheng M.; Xue Y.; Cui M., Global burden: findings; projections to 2050, Spine, 50, pp. E128-E139, (2025)",
        "World Health Organization, Global report on diabetes, WHO, Geneva",
        "van Eck N.J.; Waltman L., Software survey: VOSviewer, Scientometrics, 84, 2, pp. 523-538, (2010)",
        "Aria M.; Cuccurullo C., bibliometrix: an R-tool, J Informetr, 11, pp. 959-975, (2017a)",
    ]
    assert [(a["name"], a["scopus_id"]) for a in rec["authors"]] == [
        ("Zhang, Pengyu", "59897098600"), ("Wei, Lili", "59896477100"), ("Cinkara, Emrah", "55823220500")]
    hosp, school = "Department of Urology, Qingdao Central Hospital, Qingdao, China", "School of Medicine, Qingdao University, Qingdao, China"
    assert [a["affiliations"] for a in rec["authors"]] == [[hosp, school], [school], []]
    assert rec["affiliations"] == [hosp, school] and rec["countries"] == []
    assert rec["index_keywords"] == [] and "Molecular Sequence Numbers" not in rec["extra"]  # "NA" is empty
    assert rec["doi"] == "10.1177/2055207625000001" and rec["open_access"] is False


def test_split_scopus_references_formats():
    classic = "Smith, J., A (2001) J Comp, 5; Doe, A., (1999) Book, , Springer; PMID: 123"
    assert reference_format(classic) == "classic"
    assert split_scopus_references(classic) == ["Smith, J., A (2001) J Comp, 5", "Doe, A., (1999) Book, , Springer; PMID: 123"]
    new = "Li T.; Yan J., Robots, Ann Med, 57, (2025); Bassot B., The guide, (2015)"
    assert reference_format(new) == "2025"
    assert split_scopus_references(new) == ["Li T.; Yan J., Robots, Ann Med, 57, (2025)", "Bassot B., The guide, (2015)"]
    assert split_scopus_references(None) == [] and split_scopus_references("") == []


# --------------------------------------------------------------------------------------
# detection
# --------------------------------------------------------------------------------------


def test_sniffers_are_specific(fixtures):
    pop_head = "Cites,Authors,Title,Year,Source,Publisher\n1,a,b,2000,c,d\n"
    quoted_pop = '"Cites","Authors","Title","Year","Source"\n'
    scopus_head = _text(fixtures / "bibtex_csv" / "scopus_2025.csv")[:2000]
    bib_head = (fixtures / "bibtex_csv" / "zotero.bib").read_text(encoding="utf-8")
    assert pop_csv.sniff(pop_head, "popcites.csv") > 0.9 and pop_csv.sniff(quoted_pop, "x.csv") > 0.9
    assert scopus_csv.sniff(scopus_head, "scopus.csv") > 0.9 and bibtex.sniff(bib_head, "x.bib") > 0.9
    assert scopus_csv.sniff(pop_head, "x.csv") == 0 and pop_csv.sniff(scopus_head, "x.csv") == 0
    assert bibtex.sniff(pop_head, "x.csv") == 0 and bibtex.sniff(scopus_head, "x.csv") == 0
    assert scopus_csv.sniff("TY  - JOUR\nAU  - Smith\n", "x.ris") == 0
    assert detect_format(pop_head, "popcites.csv")[0] == "pop_csv"
    assert detect_format(scopus_head, "scopus.csv")[0] == "scopus_csv"
    assert detect_format(bib_head, "x.bib")[0] == "bibtex"


def test_csv_file_forced_as_bibtex_is_a_file_error(fixtures):
    res = read_file(fixtures / "bibtex_csv" / "pop_full.csv", format="bib")
    assert res.error and "no '@type{' entry" in res.error and res.records == []


@pytest.mark.parametrize("name,fmt,kept", [("pop_full.csv", "pop_csv", 5), ("scopus_old.csv", "scopus_csv", 2)])
def test_semicolon_delimited_resave_is_read(fixtures, tmp_path, name, fmt, kept):
    """A spreadsheet round trip may turn the commas into ';': same records."""
    rows = list(csv.reader(io.StringIO(_text(fixtures / "bibtex_csv" / name), newline="")))
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    path = tmp_path / name
    path.write_text(out.getvalue(), encoding="utf-8")
    res = read_file(path)
    assert res.format == fmt and len(res.records) == kept
    assert [r["title"] for r in res.records] == [r["title"] for r in read_file(fixtures / "bibtex_csv" / name).records]


def test_scopus_2024_style_bibtex_fixture(fixtures):
    """Newer Scopus .bib: key with a space, 'type', en-dash pages, 'Cited by: n; ... Open Access', 2025 references."""
    path = fixtures / "bibtex_csv" / "scopus_2024.bib"
    res = read_file(path)
    assert res.format == "bibtex" and res.rejected == [] and len(res.records) == len(_bib_entries(path.read_text("utf-8")))
    (rec,) = res.records
    assert rec["database"] == "scopus" and rec["_reference_style"] == "scopus"
    assert rec["extra"]["bibtex_key"] == "Van Dam2024" and rec["doc_type_raw"] == "Article"
    assert (rec["page_start"], rec["page_end"]) == ("1201", "1230")
    assert (rec["times_cited"], rec["open_access"], rec["pmid"]) == (4, True, "38000001")
    assert rec["eid"] == "2-s2.0-85190000001" and rec["issn"] == ["0138-9130"]
    assert [a["name"] for a in rec["authors"]] == ["Van Dam, Pieter", "Østergaard, Lise"]
    assert rec["references"] == [
        "Aria M.; Cuccurullo C., bibliometrix: an R-tool, J Informetr, 11, pp. 959-975, (2017)",
        "van Eck N.J.; Waltman L., Software survey: VOSviewer, Scientometrics, 84, 2, pp. 523-538, (2010)",
    ]
