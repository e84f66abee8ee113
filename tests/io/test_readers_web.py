"""Readers for web-database exports: OpenAlex (CSV, JSON), Crossref, Dimensions, Lens, IEEE, Springer."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest

from bibliomap.corpus import Corpus
from bibliomap.io.read import read_file
from bibliomap.io.readers import get_reader
from bibliomap.io.readers.springer_csv import split_glued_names

REAL_DIRS = {
    "openalex-csv": "openalex_csv",
    "lens-csv": "lens_csv",
    "ieee-csv": "ieee_csv",
    "springer-csv": "springer_csv",
    "demo": "ieee_csv",
}


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def _n_records(path: Path) -> int:
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return len(list(csv.reader(fh))) - 1


def _real_files(corpora: Path) -> list[tuple[Path, str]]:
    out = []
    for d, fmt in REAL_DIRS.items():
        for f in sorted((corpora / d).glob("*.csv")):
            out.append((f, fmt))
    return out


def test_every_real_file_reads_completely(corpora):
    files = _real_files(corpora)
    assert len(files) >= 10
    for path, fmt in files:
        res = read_file(path)
        assert res.error is None, res.error
        assert res.format == fmt, path
        assert len(res.records) == _n_records(path), path
        assert res.rejected == [], (path, res.rejected)
        recs = res.records
        assert all(r["title"] for r in recs), path
        assert sum(bool(r["year"]) for r in recs) >= 0.95 * len(recs), path
        assert sum(bool(r["authors"]) for r in recs) >= 0.9 * len(recs), path
        assert [r["provenance"][0]["record"] for r in recs] == list(range(1, len(recs) + 1))
        assert all(r["database"] == fmt.split("_")[0] for r in recs)
        corpus = Corpus.from_records(recs)  # the records fit the Corpus schema
        assert len(corpus) == len(recs)


def test_demo_ieee_corpus_reads_perfectly(corpora):
    total = 0
    for path in sorted((corpora / "demo").glob("ieee_*.csv")):
        raw = _csv_rows(path)
        res = read_file(path)
        assert len(res.records) == len(raw)
        total += len(raw)
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.reader(fh)
            next(reader)
            starts = []
            while True:
                start = reader.line_num + 1
                if next(reader, None) is None:
                    break
                starts.append(start)
        for rec, row, start in zip(res.records, raw, starts):
            assert rec["provenance"][0]["line"] == start
            assert rec["title"] == row["Document Title"].strip()
            assert rec["source_title"] == (row["Publication Title"].strip() or None)
            assert rec["year"] == int(row["Publication Year"])
            assert rec["doi"] == (row["DOI"].strip().lower() or None)
            names = [n.strip() for n in row["Authors"].split(";") if n.strip()]
            assert len(rec["authors"]) == len(names)
            for author, name in zip(rec["authors"], names):
                assert author["surname"] and name.endswith(author["surname"])
            affs = [a.strip() for a in row["Author Affiliations"].split(";")] if row["Author Affiliations"] else []
            if len(affs) == len(names):
                for author, aff in zip(rec["authors"], affs):
                    assert author["affiliations"] == ([] if aff in ("", "NA") else [aff])
            else:  # cannot be linked by position: kept for the document only
                assert all(a["affiliations"] == [] for a in rec["authors"])
                assert set(rec["affiliations"]) == {a for a in affs if a}
            cited = row["Article Citation Count"].strip()
            assert rec["times_cited"] == (int(cited) if cited else None)
            kws = [k.strip() for k in row["Author Keywords"].split(";") if k.strip()]
            assert rec["author_keywords"] == list(dict.fromkeys(kws))
    assert total == 441


def test_ieee_affiliations_are_linked_to_authors(corpora):
    res = read_file(corpora / "ieee-csv" / "ieee.csv")
    first = res.records[0]
    assert [a["name"] for a in first["authors"]] == ["Kogge, P.", "Shalf, J."]
    assert first["authors"][0]["affiliations"] == ["University of Notre Dame"]
    assert first["authors"][1]["affiliations"] == ["Lawrence Berkeley National Laboratory"]
    linked = sum(any(a["affiliations"] for a in r["authors"]) for r in res.records)
    assert linked >= 8
    assert first["countries"] == []  # IEEE states no countries


def test_lens_references_and_counts(corpora):
    path = corpora / "lens-csv" / "lens_sample.csv"
    raw = _csv_rows(path)
    res = read_file(path)
    for rec, row in zip(res.records, raw):
        refs = [r.strip() for r in row["References"].split(";") if r.strip()]
        assert rec["references"] == refs
        assert rec["reference_keys"] == [f"lens:{r}" for r in refs]
        assert "_reference_style" not in rec
        assert rec["times_cited"] == int(row["Citing Works Count"])
        assert rec["extra"]["Lens ID"] == row["Lens ID"]
        assert rec["doi"] == row["DOI"].lower()
        assert len(rec["authors"]) == len([a for a in row["Author/s"].split(";") if a.strip()])
    assert res.records[0]["authors"][0]["surname"] == "Radanliev"
    assert res.records[0]["issn"] == ["2194-5411", "2194-5403"]
    assert res.records[0]["open_access"] is True


def test_openalex_csv_links_per_author_lists(corpora):
    path = corpora / "openalex-csv" / "openalex_sample.csv"
    raw = _csv_rows(path)
    res = read_file(path)
    for rec, row in zip(res.records, raw):
        ids = row["authorships.author.id"].split("|")
        assert [a["openalex_id"] for a in rec["authors"]] == [i.rsplit("/", 1)[1] for i in ids]
        assert rec["openalex_id"] == row["id"].rsplit("/", 1)[1]
        assert rec["times_cited"] == int(row["cited_by_count"])
    first = res.records[0]
    assert first["authors"][0]["name"] == "Aria, Massimo"
    assert first["authors"][0]["orcid"] == "0000-0002-8517-9411"
    assert first["authors"][0]["countries"] == ["Italy"]
    assert first["authors"][0]["affiliations"] == ["University of Naples Federico II"]
    assert first["countries"] == ["Italy"]
    # "IT|IT||IT": the third author has no country and no institution
    gap = next(r for r, row in zip(res.records, raw) if row["authorships.countries"] == "IT|IT||IT")
    assert [a["countries"] for a in gap["authors"]] == [["Italy"], ["Italy"], [], ["Italy"]]
    assert gap["authors"][2]["affiliations"] == []
    # four institutions for two authors cannot be linked by position, only kept for the document
    multi = next(r for r, row in zip(res.records, raw) if row["authorships.institutions.display_name"].count("|") == 3)
    assert all(a["affiliations"] == [] for a in multi["authors"])
    assert multi["affiliations"] == ["Government Medical College", "Thapar Institute of Engineering & Technology"]


def test_openalex_csv_new_headers(fixtures):
    res = read_file(fixtures / "web" / "openalex_web.csv")
    assert res.format == "openalex_csv" and res.rejected == []
    a, b, c = res.records
    # "|" is the only separator: a ";" inside a name does not split it
    assert [x["name"] for x in c["authors"]] == ["Cabrerizo, Francisco-Javier", "Herrera-Viedma, Enrique"]
    assert c["authors"][1]["affiliations"] == ["University of Granada"] and c["countries"] == ["Spain"]
    assert a["openalex_id"] == "W2150220236" and a["doi"] == "10.1007/s11192-009-0146-3"
    assert [x["name"] for x in a["authors"]] == ["van Eck, Nees Jan", "Waltman, Ludo"]
    assert [x["orcid"] for x in a["authors"]] == ["0000-0001-8448-4521", None]
    assert a["countries"] == ["Netherlands"] and b["countries"] == ["United States"]
    assert a["open_access"] is True and b["open_access"] is False
    assert a["times_cited"] == 9871 and a["extra"]["Reference count"] == "35"


def test_springer_glued_author_names(corpora):
    res = read_file(corpora / "springer-csv" / "springer.csv")
    first = res.records[0]
    assert [a["name"] for a in first["authors"]] == ["Aliev, Araz R.", "Ismayilova, Nigar T."]
    assert first["extra"]["Authors"] == "Araz R. AlievNigar T. Ismayilova"
    notebook = read_file(corpora / "springer-csv" / "springer_notebook.csv").records
    assert [a["name"] for a in notebook[0]["authors"]] == [
        "Pallipuram, Vivek K.", "Bhuiyan, Mohammad", "Smith, Melissa C."
    ]
    # every split name is a plausible "Given Surname": two or more words
    names = [a["name"] for r in notebook for a in r["authors"]]
    assert sum("," in n for n in names) >= 0.99 * len(names)


@pytest.mark.parametrize(
    "glued, names",
    [
        ("C. NavyaH. A. SanjaySanket Salvi", ["C. Navya", "H. A. Sanjay", "Sanket Salvi"]),
        ("Enrique S. Quintana-OrtíPavan Balaji", ["Enrique S. Quintana-Ortí", "Pavan Balaji"]),
        ("DeHao ChenWenGuang ChenWeiMin Zheng", ["DeHao Chen", "WenGuang Chen", "WeiMin Zheng"]),
        ("Richard DeFranciscoShenghsun Cho", ["Richard DeFrancisco", "Shenghsun Cho"]),
        ("Chandima HewaNadungodageYuni Xia", ["Chandima HewaNadungodage", "Yuni Xia"]),
        ("Prof. Rafik A. AlievProf. Dr. Janusz Kacprzyk", ["Rafik A. Aliev", "Janusz Kacprzyk"]),
        ("John McDonaldMary O’BrienYann LeCun", ["John McDonald", "Mary O’Brien", "Yann LeCun"]),
        ("Rik Van de Walle", ["Rik Van de Walle"]),
        ("", []),
    ],
)
def test_split_glued_names(glued, names):
    assert split_glued_names(glued) == names


def test_openalex_json_single_work(fixtures):
    res = read_file(fixtures / "web" / "openalex_work.json")
    assert res.format == "openalex_json" and res.rejected == []
    (rec,) = res.records
    assert rec["openalex_id"] == "W2755950973" and rec["doi"] == "10.1016/j.joi.2017.08.007"
    assert rec["abstract"] == "The use of bibliometrics is gradually extending to all disciplines of science."
    aria, cucc = rec["authors"]
    assert aria["openalex_id"] == "A5069892096" and aria["orcid"] == "0000-0002-8517-9411"
    assert aria["affiliations"] == ["University of Naples Federico II"] and aria["countries"] == ["Italy"]
    assert cucc["countries"] == ["Italy", "South Korea"] and len(cucc["affiliations"]) == 2
    assert rec["countries"] == ["Italy", "South Korea"]
    assert rec["affiliations"][0] == "University of Naples Federico II"
    assert rec["references"] == ["W1966843546", "W2004218591", "W2128438887"]
    assert rec["reference_keys"] == ["openalex:" + w for w in rec["references"]]
    assert rec["source_title"] == "Journal of Informetrics" and rec["publisher"] == "Elsevier BV"
    assert rec["issn"] == ["1751-1577", "1875-5879"]
    assert (rec["volume"], rec["issue"], rec["page_start"], rec["page_end"]) == ("11", "4", "959", "975")
    assert rec["times_cited"] == 13235 and rec["open_access"] is False
    assert rec["index_keywords"] == ["Science Mapping", "Bibliometrics"]
    assert rec["subject_categories"] == ["Data Analysis with R", "Scientometrics and Research Evaluation"]
    assert rec["provenance"][0]["line"] is None and rec["provenance"][0]["record"] == 1


def test_openalex_json_page_and_list(fixtures):
    page = read_file(fixtures / "web" / "openalex_page.json")
    assert page.format == "openalex_json"
    assert len(page.records) == len(json.loads((fixtures / "web" / "openalex_page.json").read_text())["results"])
    assert [r["provenance"][0]["record"] for r in page.records] == [1, 2, 3]
    lst = read_file(fixtures / "web" / "openalex_list.json")
    assert [r["openalex_id"] for r in lst.records] == ["W2150220236", "W2128438887"]
    assert lst.records[1]["abstract"] == "A new form of document coupling"
    assert lst.records[0]["pmid"] and lst.records[1]["countries"] == ["United States"]


def test_openalex_jsonl_rejects_bad_lines_with_line_numbers(fixtures):
    path = fixtures / "web" / "openalex_works.jsonl"
    res = read_file(path)
    assert res.format == "openalex_json"
    assert [r["openalex_id"] for r in res.records] == ["W2150220236", "W2128438887"]
    assert [r["provenance"][0]["line"] for r in res.records] == [1, 4]
    assert [(x.line, x.record) for x in res.rejected] == [(2, 2), (5, 4)]
    assert "invalid JSON" in res.rejected[0].reason
    assert "expected an OpenAlex work object" in res.rejected[1].reason
    non_blank = [ln for ln in path.read_text().splitlines() if ln.strip()]
    assert res.n_read == len(non_blank)


def test_crossref_single_work(fixtures):
    res = read_file(fixtures / "web" / "crossref_work.json")
    assert res.format == "crossref_json" and res.rejected == []
    (rec,) = res.records
    assert rec["database"] == "crossref" and rec["doi"] == "10.1016/j.joi.2017.08.007"
    assert rec["abstract"].startswith("The use of bibliometrics")
    assert "<" not in rec["abstract"] and "R-tool & workflow." in rec["abstract"]
    assert not rec["abstract"].startswith("Abstract")
    assert [a["name"] for a in rec["authors"]] == ["Aria, Massimo", "Cuccurullo, Corrado"]
    assert rec["authors"][0]["orcid"] == "0000-0002-8517-9411"
    assert rec["authors"][1]["affiliations"] == [
        "Department of Management, University of Campania Luigi Vanvitelli, Capua, Italy"
    ]
    assert (rec["year"], rec["date"]) == (2017, "2017-11")
    assert (rec["page_start"], rec["page_end"]) == ("959", "975")
    assert rec["times_cited"] == 9462 and rec["issn"] == ["1751-1577"]
    assert rec["reference_keys"] == ["doi:10.1007/s11192-011-0417-2", None, None]
    assert rec["references"][1].startswith("Aria, M., & Cuccurullo, C. (2016)")
    assert "Borner" in rec["references"][2]
    assert rec["funding"].startswith("Ministero")
    assert rec["subject_categories"] == ["Library and Information Sciences", "Computer Science Applications"]


def test_crossref_page_rejects_non_objects(fixtures):
    res = read_file(fixtures / "web" / "crossref_page.json")
    assert res.format == "crossref_json"
    assert len(res.records) == 2 and [(x.record, x.line) for x in res.rejected] == [(3, None)]
    vos, chapter = res.records
    assert vos["reference_keys"] == ["doi:10.1002/asi.4630240406", "doi:10.1002/asi.21075"]
    assert vos["authors"][0]["surname"] == "van Eck" and vos["authors"][1]["affiliations"] == ["Leiden University"]
    assert chapter["isbn"] == ["9783319103761", "9783319103778"]
    assert chapter["authors"][1]["name"] == "CWTS Consortium"
    assert (chapter["year"], chapter["date"]) == (2014, "2014-09-10")


def _dimensions_mapping_checks(res) -> None:
    assert len(res.records) == 3
    assert [x.reason for x in res.rejected] == ["row has neither a Title nor a Publication ID/DOI"]
    first = res.records[0]
    assert first["database"] == "dimensions"
    assert [a["name"] for a in first["authors"]] == ["Aria, Massimo", "Cuccurullo, Corrado"]
    assert first["affiliations"] == ["University of Naples Federico II", "University of Campania Luigi Vanvitelli"]
    assert first["countries"] == ["Italy"]
    assert len(first["references"]) == 3
    assert first["references"][1].startswith("[van Eck, Nees Jan; Waltman, Ludo]|")
    assert first["reference_keys"] == ["doi:10.1002/asi.4630240406", "doi:10.1007/s11192-009-0146-3", None]
    assert first["_reference_style"] == "dimensions"
    assert "_reference_style" not in res.records[1]  # every reference has a DOI key
    assert (first["page_start"], first["page_end"]) == ("959", "975")
    assert first["times_cited"] == 4312 and first["extra"]["Publication ID"] == "pub.1091404932"
    assert res.records[2]["countries"] == ["Germany", "China"]
    assert res.records[2]["title"] == "Mapping the field, with a comma in the title"


def test_dimensions_csv_with_preamble(fixtures):
    res = read_file(fixtures / "web" / "dimensions_mapping.csv")
    assert res.format == "dimensions_csv"
    _dimensions_mapping_checks(res)
    assert [r["provenance"][0]["line"] for r in res.records] == [3, 4, 5]
    assert res.rejected[0].line == 7


def test_dimensions_csv_without_preamble(fixtures):
    res = read_file(fixtures / "web" / "dimensions_standard.csv")
    assert res.format == "dimensions_csv" and res.rejected == []
    rec, chapter = res.records
    assert rec["pmid"] == "32200001" and rec["date"] == "2020-03-25"
    assert rec["authors"][0]["affiliations"] == ["Sapienza University of Rome"]
    assert rec["authors"][1]["affiliations"] == ["Tsinghua University", "Peking Union Medical College Hospital"]
    assert rec["countries"] == ["Italy", "China"] and rec["open_access"] is True
    assert rec["index_keywords"] == ["Humans", "Radiology", "Deep Learning"]
    assert rec["page_start"] == "e0230000" and rec["page_end"] is None
    assert rec["subject_categories"][0] == "11 Medical and Health Sciences"
    assert chapter["source_title"] == "Handbook of Science Mapping" and chapter["open_access"] is False
    assert chapter["doc_type_raw"] == "Chapter"


def test_dimensions_xlsx(fixtures, tmp_path):
    src = fixtures / "web" / "dimensions_mapping.csv"
    book = openpyxl.Workbook()
    sheet = book.active
    with open(src, newline="", encoding="utf-8") as fh:
        for row in csv.reader(fh):
            sheet.append([int(c) if c.isdigit() and len(c) < 6 else (c or None) for c in row])
    out = tmp_path / "Dimensions-Publication-2026.xlsx"
    book.save(out)
    res = read_file(out)
    assert res.error is None and res.format == "dimensions_xlsx"
    _dimensions_mapping_checks(res)
    assert res.records[0]["year"] == 2017 and res.records[0]["volume"] == "11"
    csv_res = read_file(src)
    for a, b in zip(res.records, csv_res.records):
        for field in ("title", "authors", "references", "reference_keys", "countries", "doi", "year"):
            assert a[field] == b[field], field


def test_errors_name_file_and_expectation(fixtures, corpora, tmp_path):
    bad = tmp_path / "works.json"
    bad.write_text('{"results": [{"id": "https://openalex.org/W1", "authorships": [}\n')
    res = read_file(bad, format="openalex")
    assert res.records == [] and str(bad) in res.error and "invalid JSON" in res.error and "line 1" in res.error
    res = read_file(corpora / "ieee-csv" / "ieee.csv", format="lens")
    assert res.records == [] and "missing required column" in res.error and "ieee.csv" in res.error


def test_aliases_and_detection_do_not_collide(fixtures):
    assert get_reader("openalex").name == "openalex_json"
    assert get_reader("crossref").name == "crossref_json"
    assert get_reader("dimensions").name == "dimensions_csv"
    assert get_reader("lens").name == "lens_csv"
    assert get_reader("ieee").name == "ieee_csv"
    assert get_reader("springer").name == "springer_csv"
    assert read_file(fixtures / "web" / "crossref_page.json").format == "crossref_json"
    assert read_file(fixtures / "web" / "openalex_list.json").format == "openalex_json"
    jsonl_head = (fixtures / "web" / "openalex_works.jsonl").read_text(encoding="utf-8")[:20000]
    assert get_reader("openalex_csv").sniff(jsonl_head, "openalex_works.jsonl") == 0.0
