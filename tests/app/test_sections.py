"""The Results pages' source: the report's structure kept beside the output, tables downloadable alone."""
from __future__ import annotations

import openpyxl
import pandas as pd

from bibliomap.app import sections
from bibliomap.io.tables import table_to_csv
from bibliomap.report.results import Figure, MapView, Results, Section, Table


def test_sections_keep_the_reports_structure_language_and_inert_cells(tmp_path):
    (tmp_path / "tables").mkdir()
    hostile = '=HYPERLINK("http://x")'
    own = pd.DataFrame({"keyword": [hostile, "gpu"], "documents": [3, 2]})
    table_to_csv(own, tmp_path / "tables" / "author_keywords.csv")  # as the study writes it: the formula made inert
    assert "'=HYPERLINK" in (tmp_path / "tables" / "author_keywords.csv").read_text()
    derived = pd.DataFrame({"term": ["a", "b"], "occurrences": [5, 4]})
    results = Results("T", [Section("keywords", "Kata kunci", ["Lead."], [
        Figure("wordcloud", "Gambar 1", "Awan", tmp_path / "figures" / "wordcloud.png"),
        Table("author_keywords", "Tabel 1", "Kata kunci", own, "tables/author_keywords.csv"),
        Table("terms_most", "Tabel 2", "Istilah", derived, ""),
        MapView("term_cooccurrence", "Peta"),
    ])], [("Q?", ["A."])], [Table("shares", "Tabel A1", "Proporsi", pd.DataFrame({"term": ["a"], "share": [0.25]}), "")])
    sections.save(results, tmp_path, lang="id")
    data = sections.load(tmp_path)
    assert [p["heading"] for p in sections.pages(data)] == ["Kata kunci", "Pertanyaan penelitian", "Lampiran: parameter dan waktu proses"]
    blocks = sections.section(data, "keywords")["blocks"]
    assert [b["kind"] for b in blocks] == ["figure", "table", "table", "map"] and blocks[0]["png"] == "figures/wordcloud.png"
    assert sections.section(data, "nope") is None and sections.find_table(data, "nope") is None
    kw = sections.find_table(data, "author_keywords")
    assert sections.table_csv(tmp_path, kw) == (tmp_path / "tables" / "author_keywords.csv").read_bytes()
    book = sections.table_xlsx(tmp_path, kw, tmp_path / "kw.xlsx")
    rows = list(openpyxl.load_workbook(book).active.iter_rows(values_only=True))
    assert rows == [("keyword", "documents"), (hostile, 3), ("gpu", 2)]  # text as text in the workbook, no apostrophe
    cell = openpyxl.load_workbook(book).active["A2"]
    assert cell.data_type == "s"  # never a formula
    terms = sections.find_table(data, "terms_most")
    shares = sections.find_table(data, "shares")
    assert shares["rows"] == [["a", "0,25"]] and sections.table_csv(tmp_path, shares).decode().splitlines()[1] == "a,0.25"
    assert terms["columns"][0] == "Istilah"  # the page speaks the report's language ...
    assert sections.table_csv(tmp_path, terms).decode().splitlines() == ["Term,Occurrences", "a,5", "b,4"]  # ... its data do not
    assert sections.table_frame(tmp_path, terms).shape == (2, 2)
