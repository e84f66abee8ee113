"""Readers for tagged text exports: WoS plain text and tab-delimited, PubMed MEDLINE, RIS.

Real exports from ../shared/corpora are read through read_file (auto-detected) and
checked against counts taken from the raw text here; small hand-written fixtures
in tests/fixtures/tagged cover continuation lines, truncation, Scopus N1 notes,
Google Scholar / PoP RIS, MEDLINE author addresses and both WoS tab encodings.
"""
from __future__ import annotations

import codecs
import importlib.util
import re
import shutil
from pathlib import Path

import pytest

from bibliomap.io.encoding import decode
from bibliomap.io.read import detect_format, read_file
from bibliomap.io.readers import REGISTRY, get_reader
from bibliomap.io.readers.wos_plaintext import iso_date, page_range

TAGGED_FORMATS = ("wos_plaintext", "wos_tab", "medline", "ris")


def _lines(path: Path) -> list[str]:
    """Physical lines of a file, splitting on CRLF, CR or LF (as editors number them)."""
    text, _, _ = decode(path.read_bytes())
    return re.split(r"\r\n|\r|\n", text)


def _start_lines(path: Path, pattern: str) -> list[int]:
    """1-based numbers of the lines matching ``pattern`` (record starts)."""
    rx = re.compile(pattern)
    return [i for i, line in enumerate(_lines(path), start=1) if rx.match(line)]


def _real(corpora: Path, folder: str) -> list[Path]:
    files = sorted(p for p in (corpora / folder).iterdir() if p.is_file())
    assert files, f"no files in {corpora / folder}"
    return files


def _share(records: list[dict], test) -> float:
    return sum(1 for r in records if test(r)) / len(records)


# ---------------------------------------------------------------------------
# real exports
# ---------------------------------------------------------------------------

REAL = [
    # folder, expected format, record-start pattern, database
    ("wos-plaintext", "wos_plaintext", r"^PT ", "wos"),
    ("pubmed-medline", "medline", r"^PMID- ", "pubmed"),
    ("ris", "ris", r"^TY  - ", "ris"),
]


@pytest.mark.parametrize(("folder", "fmt", "start", "database"), REAL)
def test_real_files_detected_counted_and_populated(corpora, folder, fmt, start, database):
    for path in _real(corpora, folder):
        result = read_file(path)
        assert result.error is None, result.error
        assert result.format == fmt, path
        starts = _start_lines(path, start)
        assert result.n_read == len(starts) > 0, path
        assert result.rejected == [], [r.to_dict() for r in result.rejected]
        recs = result.records
        # record numbers and start lines agree with the raw text
        assert [r["provenance"][0]["record"] for r in recs] == list(range(1, len(starts) + 1))
        assert [r["provenance"][0]["line"] for r in recs] == starts
        assert all(r["provenance"][0]["format"] == fmt for r in recs)
        assert all(r["database"] == database for r in recs)
        assert _share(recs, lambda r: bool(r["title"])) == 1.0
        assert _share(recs, lambda r: isinstance(r["year"], int) and 1900 < r["year"] < 2100) >= 0.95
        assert _share(recs, lambda r: len(r["authors"]) > 0) >= 0.95
        assert _share(recs, lambda r: all(a["surname"] for a in r["authors"])) == 1.0


def test_wos_counts_match_er_lines_and_raw_tags(corpora):
    for path in _real(corpora, "wos-plaintext"):
        lines = _lines(path)
        n_er = sum(1 for line in lines if line.rstrip() == "ER")
        result = read_file(path)
        assert len(result.records) == n_er
        raw_tc = [int(line[3:]) for line in lines if line.startswith("TC ")]
        assert [r["times_cited"] for r in result.records] == raw_tc
        raw_py = [int(line[3:]) for line in lines if line.startswith("PY ")]
        assert [r["year"] for r in result.records if r["year"] is not None] == raw_py
        raw_ut = [line[3:].strip() for line in lines if line.startswith("UT ")]
        assert [r["wos_ut"] for r in result.records] == raw_ut
        for rec in result.records:
            assert rec["references"], rec["title"]
            assert rec["_reference_style"] == "wos"
            assert rec["extra"].get("Z9") is not None
        # every reference line of the file (CR plus its continuation lines) becomes one reference
        n_refs = 0
        in_cr = False
        for line in lines:
            if line.startswith("CR "):
                in_cr = True
                n_refs += 1
            elif in_cr and line.startswith("   "):
                n_refs += 1
            else:
                in_cr = False
        assert sum(len(r["references"]) for r in result.records) == n_refs


def test_wos_c1_addresses_are_linked_to_authors(corpora):
    path = corpora / "wos-plaintext" / "bibliometrix_wos_sample.txt"
    recs = read_file(path).records
    # every record of this sample has bracketed C1 blocks naming all its authors
    for rec in recs:
        assert rec["affiliations"], rec["title"]
        for author in rec["authors"]:
            assert author["affiliations"], (rec["title"], author["name"])
            assert set(author["affiliations"]) <= set(rec["affiliations"])
    aria = next(r for r in recs if r["title"].startswith("bibliometrix: An R-tool"))
    by_name = {a["name"]: a for a in aria["authors"]}
    assert by_name["Aria, Massimo"]["affiliations"] == [
        "Univ Napoli Federico II, Dept Econ & Stat, Via Cintia, I-80126 Naples, Italy"
    ]
    assert by_name["Cuccurullo, Corrado"]["affiliations"][0].startswith("Univ Campania Luigi Vanvitelli")
    # OI spans a continuation line and spells the name in capitals
    assert by_name["Cuccurullo, Corrado"]["orcid"] == "0000-0002-7401-8575"
    assert by_name["Aria, Massimo"]["orcid"] == "0000-0002-8517-9411"
    assert aria["author_keywords"][-2:] == ["Bibliographic coupling", "R package"]
    assert aria["date"] == "2017-11"


def test_wos_unbracketed_addresses_kept(corpora):
    path = corpora / "wos-plaintext" / "metaknowledge_savedrecs.txt"
    first = read_file(path).records[0]
    assert first["affiliations"] == [
        "UNIV TRONDHEIM,INST THEORET PHYS,N-7034 TRONDHEIM,NORWAY",
        "LUFTKRIGSSKOLEN,TRONDHEIM MIL 7000,NORWAY",
    ]
    assert first["authors"][0]["affiliations"] == first["affiliations"]  # sole author


def test_medline_authors_addresses_and_ids(corpora):
    for path in _real(corpora, "pubmed-medline"):
        lines = _lines(path)
        recs = read_file(path).records
        n_fau = sum(1 for line in lines if line.startswith("FAU - "))
        assert sum(r["n_authors"] for r in recs) == n_fau
        assert sum(len(r["authors"]) for r in recs) == n_fau
        n_doi_records = 0
        current = False
        for line in lines + ["PMID- end"]:
            if line.startswith("PMID- "):
                n_doi_records += current
                current = False
            elif line.startswith(("AID - ", "LID - ")) and line.rstrip().endswith("[doi]"):
                current = True
        assert sum(1 for r in recs if r["doi"]) == n_doi_records
        assert [r["pmid"] for r in recs] == [line[6:].strip() for line in lines if line.startswith("PMID- ")]
        assert _share(recs, lambda r: bool(r["affiliations"])) >= 0.9
        assert _share(recs, lambda r: bool(r["abstract"]) and "\n" not in r["abstract"]) >= 0.95
        assert all(r["references"] == [] and r["times_cited"] is None for r in recs)
    book = next(r for r in read_file(corpora / "pubmed-medline" / "pubmed.txt").records if r["pmid"] == "30329254")
    assert book["title"].startswith("The impact of home energy efficiency interventions")
    assert book["publisher"] == "NIHR Journals Library"
    goodwin = next(a for a in book["authors"] if a["surname"] == "Goodwin")
    assert goodwin["orcid"] == "0000-0002-7879-4942"
    assert len(goodwin["affiliations"]) == 2


def test_ris_ieee_export(corpora):
    path = corpora / "ris" / "example.ris"
    lines = _lines(path)
    recs = read_file(path).records
    assert sum(1 for r in recs if r["doi"]) == sum(1 for line in lines if re.match(r"^DO  - \S", line))
    first = recs[0]
    assert first["title"] == "The European Approach to the Exascale Challenge"
    assert [a["name"] for a in first["authors"]] == ["Kalbe, G."]  # IEEE repeats the author line
    assert first["source_title"] == "Computing in Science & Engineering"
    assert (first["page_start"], first["page_end"], first["volume"], first["issue"]) == ("42", "47", "21", "1")
    assert len(first["author_keywords"]) == 6
    assert all(r["doc_type_raw"] in {"JOUR", "CONF"} for r in recs)


# ---------------------------------------------------------------------------
# fixtures
# ---------------------------------------------------------------------------


def test_wos_continuation_lines(fixtures):
    result = read_file(fixtures / "tagged" / "wos_continuation.txt")
    assert result.format == "wos_plaintext" and result.rejected == []
    rec, book = result.records
    assert rec["title"] == "Mapping river delta sediment research with co-word analysis: a thirty-year perspective"
    assert rec["author_keywords"] == ["sediment transport", "co-word analysis", "science mapping", "river deltas"]
    assert rec["subject_categories"] == ["Geosciences, Multidisciplinary", "Information Science & Library Science"]
    assert rec["abstract"].startswith("Deltas are studied by many fields. We map thirty years of research on delta")
    names = [a["name"] for a in rec["authors"]]
    assert names == ["Lindqvist, Karin Elisabeth", "Okafor, Chinedu", "van der Berg, Jan"]
    lind, okafor, berg = rec["authors"]
    assert lind["affiliations"] == ["Univ Uppsala, Dept Earth Sci, S-75236 Uppsala, Sweden"]
    assert okafor["affiliations"] == ["Univ Lagos, Fac Sci, Lagos, Nigeria"]
    assert berg["affiliations"] == [
        "Univ Uppsala, Dept Earth Sci, S-75236 Uppsala, Sweden",
        "Delft Univ Technol, Delft, Netherlands",
    ]
    assert rec["affiliations"] == [lind["affiliations"][0], okafor["affiliations"][0], berg["affiliations"][1]]
    assert (lind["orcid"], okafor["orcid"], berg["orcid"]) == ("0000-0001-2345-6789", None, "0000-0002-9876-543X")
    assert rec["countries"] == [] and all(a["countries"] == [] for a in rec["authors"])
    assert len(rec["references"]) == 3 and rec["references"][1].startswith("CALLON M, 1983")
    assert rec["times_cited"] == 17 and rec["extra"]["Z9"] == "19" and rec["extra"]["NR"] == "3"
    assert rec["issn"] == ["1234-5679", "2345-678X"]
    assert (rec["doi"], rec["pmid"], rec["wos_ut"]) == ("10.9999/jds.2021.0042", "33445566", "WOS:000612345600001")
    assert (rec["year"], rec["date"], rec["source_abbrev"]) == (2021, "2021-03-15", "J DELTA SCI")
    assert rec["open_access"] is True and rec["funding"] == "Swedish Research Council [2019-01234]"
    assert book["open_access"] is None and book["article_number"] == "104512"
    assert book["provenance"][0]["line"] == 63


def test_wos_truncated_record_is_rejected_with_line(fixtures):
    result = read_file(fixtures / "tagged" / "wos_truncated.txt")
    assert result.format == "wos_plaintext"
    assert [r["title"] for r in result.records] == ["A complete record before a broken one"]
    assert len(result.rejected) == 1
    rej = result.rejected[0]
    assert (rej.record, rej.line) == (2, 12)
    assert "ER" in rej.reason and "end of the file" in rej.reason
    assert result.n_read == 2


def test_wos_missing_er_between_records_is_rejected(tmp_path, fixtures):
    text = (fixtures / "tagged" / "wos_continuation.txt").read_text(encoding="utf-8")
    broken = text.replace("DA 2024-05-02\nER\n", "DA 2024-05-02\n", 1)
    path = tmp_path / "savedrecs.txt"
    path.write_text(broken, encoding="utf-8")
    result = read_file(path)
    assert result.n_read == 2
    assert [r.record for r in result.rejected] == [1]
    assert "next PT" in result.rejected[0].reason
    assert [r["title"] for r in result.records] == ["Counting citations in small fields"]


def test_wos_untitled_record_without_ids_is_rejected(tmp_path):
    path = tmp_path / "savedrecs.txt"
    header = "FN Clarivate Analytics Web of Science\nVR 1.0\n"
    path.write_text(header + "PT J\nAU Doe, J\nPY 2020\nER\n\nEF\n", encoding="utf-8")
    result = read_file(path)
    assert result.records == [] and [r.line for r in result.rejected] == [3]


def _load_converter(fixtures: Path):
    spec = importlib.util.spec_from_file_location("make_wos_tab", fixtures / "tagged" / "make_wos_tab.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.plaintext_to_tab


@pytest.mark.parametrize(("name", "encoding"), [("wos_tab_utf16.txt", "utf-16"), ("wos_tab_utf8.txt", "utf-8-sig")])
def test_wos_tab_fixture_matches_plaintext(fixtures, name, encoding):
    raw = (fixtures / "tagged" / name).read_bytes()
    assert raw.startswith(codecs.BOM_UTF16_LE if encoding == "utf-16" else codecs.BOM_UTF8)
    tab = read_file(fixtures / "tagged" / name)
    plain = read_file(fixtures / "tagged" / "wos_continuation.txt")
    assert tab.format == "wos_tab" and tab.encoding == encoding and tab.rejected == []
    assert [r["provenance"][0]["line"] for r in tab.records] == [2, 3]
    for t, p in zip(tab.records, plain.records, strict=True):
        t, p = dict(t), dict(p)
        t.pop("provenance"), p.pop("provenance")
        assert t == p


def test_wos_tab_from_real_exports(tmp_path, corpora, fixtures):
    plaintext_to_tab = _load_converter(fixtures)
    for path in _real(corpora, "wos-plaintext"):
        text, _, _ = decode(path.read_bytes())
        tab = plaintext_to_tab(text)
        n_rows = len(tab.rstrip("\r\n").split("\r\n")) - 1
        for enc, bom in (("utf-16-le", codecs.BOM_UTF16_LE), ("utf-8", b"")):
            out = tmp_path / f"{path.stem}-{enc}.txt"
            out.write_bytes(bom + tab.encode(enc))
            result = read_file(out)
            assert result.format == "wos_tab" and result.error is None
            assert result.n_read == n_rows and result.rejected == []
            plain = read_file(path).records
            assert [r["title"] for r in result.records] == [r["title"] for r in plain]
            assert [len(r["references"]) for r in result.records] == [len(r["references"]) for r in plain]
            assert [[a["affiliations"] for a in r["authors"]] for r in result.records] == [
                [a["affiliations"] for a in r["authors"]] for r in plain
            ]


def test_wos_tab_short_row_rejected(tmp_path, fixtures):
    text = (fixtures / "tagged" / "wos_tab_utf8.txt").read_bytes().decode("utf-8-sig")
    rows = text.split("\r\n")
    rows[2] = "\t".join(rows[2].split("\t")[:20])  # cut the second record's row short
    path = tmp_path / "tab.txt"
    path.write_text("\r\n".join(rows), encoding="utf-8")
    result = read_file(path)
    assert len(result.records) == 1
    assert [(r.record, r.line) for r in result.rejected] == [(2, 3)]
    assert "cells" in result.rejected[0].reason


def test_ris_scopus_notes(fixtures):
    result = read_file(fixtures / "tagged" / "scopus.ris")
    assert result.format == "ris" and result.rejected == []
    classic, modern = result.records
    assert classic["database"] == "scopus" and classic["_reference_style"] == "scopus"
    assert classic["times_cited"] == 12 and classic["query_date"] == "2024-03-12"
    assert classic["eid"] == "2-s2.0-85123456789" and classic["doi"] == "10.9999/jsm.2022.100123"
    assert [r.split(",")[0] for r in classic["references"]] == ["Aria", "Garfield", "Price"]
    assert classic["references"][0].endswith("pp. 959-975")
    assert classic["doc_type_raw"] == "Article" and classic["article_number"] == "100123"
    assert classic["affiliations"][1].startswith("Instituto de Computação")
    assert classic["source_abbrev"] == "J. Softw. Metr." and classic["issn"] == ["2345-6789"]
    assert "Correspondence Address" in classic["extra"]["N1"] and "References" not in classic["extra"]["N1"]
    # 2025 style: ';' inside author lists, each reference ends with (YYYY)
    assert modern["times_cited"] == 3 and modern["query_date"] == "2025-06-02"
    assert len(modern["references"]) == 2
    assert modern["references"][1].startswith("Van Eck N.J.; Waltman L., Software survey")
    assert modern["authors"][0]["affiliations"] == modern["affiliations"]  # sole author


def test_ris_google_scholar_pop_style(fixtures):
    result = read_file(fixtures / "tagged" / "gscholar_pop.ris")
    assert result.format == "ris" and result.rejected == []
    art, book = result.records
    assert all(r["database"] == "google_scholar" for r in result.records)
    assert [(a["surname"], a["given"]) for a in art["authors"]] == [("Smith", "JA"), ("Kowalski", "B")]
    assert art["authors_truncated"] is True and art["n_authors"] == 3  # shown + 1, as PoP counts
    assert (art["page_start"], art["page_end"]) == ("33", "47")
    assert art["times_cited"] == 35 and book["times_cited"] == 210
    assert art["source_title"] == "Journal of Web Metrics" and art["year"] == 2018
    assert book["isbn"] == ["9780123456789"] and book["issn"] == []
    assert "_reference_style" not in art


def test_ris_truncated_and_untitled(tmp_path, fixtures):
    text = (fixtures / "tagged" / "gscholar_pop.ris").read_text(encoding="utf-8")
    cut = text[: text.rindex("ER  -")]
    path = tmp_path / "cut.ris"
    path.write_text(cut + "\nTY  - JOUR\nAU  - Nobody, N\nER  - \n", encoding="utf-8")
    result = read_file(path)
    assert result.n_read == 3 and len(result.records) == 1
    reasons = {r.record: r.reason for r in result.rejected}
    assert "ER" in reasons[2] and "title" in reasons[3]


def test_ris_from_wos_and_book_authors_in_wos(tmp_path):
    ris = tmp_path / "wos.ris"
    ris.write_text(
        "TY  - JOUR\nAU  - Doe, Jane\nTI  - A WoS record in RIS\nPY  - 2020\nAN  - WOS:000123456700001\nER  - \n",
        encoding="utf-8",
    )
    rec = read_file(ris).records[0]
    assert rec["database"] == "wos" and rec["wos_ut"] == "WOS:000123456700001"
    wos = tmp_path / "book.txt"
    wos.write_text(
        "FN Clarivate Analytics Web of Science\nVR 1.0\nPT B\nBA Roe, R\n   Poe, P\nBF Roe, Rita\n   Poe, Paul\n"
        "TI A book with book authors only\nPY 2018\nUT WOS:000999999900001\nER\n\nEF\n",
        encoding="utf-8",
    )
    book = read_file(wos).records[0]
    assert [a["name"] for a in book["authors"]] == ["Roe, Rita", "Poe, Paul"]


def test_medline_fixture_authors_and_wrapped_fields(fixtures):
    result = read_file(fixtures / "tagged" / "medline_small.txt")
    assert result.format == "medline" and result.rejected == []
    rec, letter = result.records
    assert rec["abstract"] == (
        "BACKGROUND: Wearable sensors are widely used in rehabilitation. METHODS: We mapped co-citations "
        "of 1200 papers. RESULTS: Five clusters emerged. CONCLUSION: The field is consolidating."
    )
    assert rec["title"] == "Bibliometric mapping of wearable sensor research in rehabilitation: a co-citation study"
    bianchi, osei = rec["authors"]
    assert bianchi["orcid"] == "0000-0003-1111-2222"
    assert bianchi["affiliations"] == [
        "Department of Neuroscience, University of Padova, Padova, Italy.",
        "IRCCS San Camillo Hospital, Venice, Italy.",
    ]
    assert osei["affiliations"] == ["School of Public Health, University of Ghana, Accra, Ghana."]
    assert rec["n_authors"] == 2  # the collective name (CN) is not a person
    assert rec["doi"] == "10.9999/rehab.2021.015" and rec["issn"] == ["1111-2222", "3333-4444"]
    assert (rec["year"], rec["date"]) == (2021, "2021-01")
    assert (rec["page_start"], rec["page_end"]) == ("1145", "1152")
    assert rec["index_keywords"] == ["Bibliometrics", "Humans", "Rehabilitation", "Wearable Electronic Devices"]
    assert rec["author_keywords"] == ["co-citation", "wearable sensors"]
    assert rec["doc_type_raw"] == "Journal Article; Review" and rec["source_abbrev"] == "J Rehabil Sens"
    assert letter["authors"] == [] and letter["article_number"] == "e38" and letter["date"] == "2019-10-03"
    assert letter["provenance"][0]["line"] == 47


# ---------------------------------------------------------------------------
# detection and forcing
# ---------------------------------------------------------------------------


def test_registered_with_aliases():
    assert set(TAGGED_FORMATS) <= set(REGISTRY)
    assert get_reader("wos").name == "wos_plaintext"
    assert get_reader("ISI").name == "wos_plaintext"
    assert get_reader("pubmed").name == "medline"
    assert get_reader("wos-tab").name == "wos_tab"


def test_forced_format(tmp_path, fixtures):
    path = tmp_path / "download.txt"
    # a .txt name and a preamble line before the first record: forcing reads it (and says what it skipped)
    scopus = (fixtures / "tagged" / "scopus.ris").read_text(encoding="utf-8")
    path.write_text("Exported references\n" + scopus, encoding="utf-8")
    forced = read_file(path, format="ris")
    assert forced.format == "ris" and forced.error is None and len(forced.records) == 2
    assert any("before the first TY" in w for w in forced.warnings)
    assert [r["provenance"][0]["line"] for r in forced.records] == [2, 29]
    by_alias = read_file(fixtures / "tagged" / "medline_small.txt", format="pubmed")
    assert by_alias.format == "medline" and len(by_alias.records) == 2
    # forcing the wrong format gives a clear error naming the file and the expected layout
    for fmt, expected in (("ris", "TY  - "), ("wos", "ER"), ("medline", "PMID- ")):
        other = "scopus.ris" if fmt != "ris" else "medline_small.txt"
        wrong = read_file(fixtures / "tagged" / other, format=fmt)
        assert wrong.records == [] and wrong.n_read == 0
        assert wrong.error and other in wrong.error and expected in wrong.error


def test_sniffers_do_not_claim_other_formats(corpora, fixtures):
    others = [
        corpora / "scopus-csv" / "litstudy_scopus.csv",
        corpora / "scopus-bibtex" / "scopus.bib",
        corpora / "wos-bibtex" / "wos.bib",
        corpora / "lens-csv" / "lens_sample.csv",
        corpora / "ieee-csv" / "ieee.csv",
    ]
    own = {
        "wos_plaintext": _real(corpora, "wos-plaintext") + [fixtures / "tagged" / "wos_continuation.txt"],
        "wos_tab": [fixtures / "tagged" / "wos_tab_utf8.txt", fixtures / "tagged" / "wos_tab_utf16.txt"],
        "medline": _real(corpora, "pubmed-medline") + [fixtures / "tagged" / "medline_small.txt"],
        "ris": _real(corpora, "ris") + [fixtures / "tagged" / "scopus.ris", fixtures / "tagged" / "gscholar_pop.ris"],
    }
    for fmt, paths in own.items():
        for path in paths:
            text, _, _ = decode(path.read_bytes())
            assert detect_format(text, path.name)[0] == fmt, path
            for other in TAGGED_FORMATS:
                if other != fmt:
                    assert REGISTRY[other].sniff(text[:20000], path.name.lower()) < 0.3, (other, path)
    for path in others:
        text, _, _ = decode(path.read_bytes())
        for fmt in TAGGED_FORMATS:
            assert REGISTRY[fmt].sniff(text[:20000], path.name.lower()) < 0.3, (fmt, path)


def test_unknown_text_is_not_detected(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("PT is short for physical therapy.\nTY said hello - twice.\nPMID is an id.\n", encoding="utf-8")
    result = read_file(path)
    assert result.error is not None and "unknown format" in result.error
    assert result.records == []


def test_renamed_extension_still_detected_by_content(tmp_path, fixtures):
    path = tmp_path / "records.dat"
    shutil.copy(fixtures / "tagged" / "medline_small.txt", path)
    assert read_file(path).format == "medline"


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "year", "expected"),
    [
        ("2019/05/12/", None, "2019-05-12"),
        ("2019///", None, "2019"),
        ("2026 FEB 25", None, "2026-02-25"),
        ("NOV", 2017, "2017-11"),
        ("2021 Jan-Feb", None, "2021-01"),
        ("24-27 Sept. 2019", None, "2019-09-24"),
        ("2020 Spring", None, "2020"),
        ("12 March 2024", None, "2024-03-12"),
        (None, 2015, "2015"),
        ("July", None, None),
    ],
)
def test_iso_date(value, year, expected):
    assert iso_date(value, year) == expected


def test_page_range_expands_abbreviated_end():
    assert page_range("1145", "52") == ("1145", "1152")
    assert page_range("959", "975") == ("959", "975")
    assert page_range("e38", None) == ("e38", None)
