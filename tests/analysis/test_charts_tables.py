"""Table files (CSV, XLSX) and charts: written, non-empty and byte-identical on a second run."""
from __future__ import annotations

import pandas as pd
from openpyxl import load_workbook

from bibliomap.analysis.descriptive import describe
from bibliomap.analysis.quartiles import attach_quartiles, read_sjr
from bibliomap.io.tables import sheet_names, table_to_csv, write_tables
from bibliomap.viz import charts


def test_csv_is_rounded_and_deterministic(tmp_path):
    df = pd.DataFrame({"a": [1 / 3, 2.0], "b": ["x", None], "n": [1, 2]})
    p1 = table_to_csv(df, tmp_path / "t1.csv")
    p2 = table_to_csv(df, tmp_path / "t2.csv")
    assert p1.read_bytes() == p2.read_bytes()
    assert p1.read_text().splitlines() == ["a,b,n", "0.333333,x,1", "2.0,,2"]


def test_workbook_has_a_sheet_per_table_and_is_deterministic(tmp_path):
    tables = {"main": pd.DataFrame({"x": [1]}), "a/b:c" * 10: pd.DataFrame({"y": [["l", "m"]]})}
    write_tables(tables, tmp_path / "o1")
    write_tables(tables, tmp_path / "o2")
    assert (tmp_path / "o1" / "tables.xlsx").read_bytes() == (tmp_path / "o2" / "tables.xlsx").read_bytes()
    wb = load_workbook(tmp_path / "o1" / "tables.xlsx")
    assert wb.sheetnames == sheet_names(list(tables))
    assert len(wb.sheetnames[1]) <= 31 and "/" not in wb.sheetnames[1]
    assert wb.worksheets[1]["A2"].value == "l; m"
    assert sheet_names(["x", "X"]) == ["x", "X~2"]


def test_every_chart_is_written_as_png_and_svg(describe_corpus, fixtures, tmp_path):
    res = describe(describe_corpus, query_year=2025, sjr=fixtures / "analysis" / "sjr_sample.csv")
    paths = charts.describe_charts(res, tmp_path / "f1")
    names = {p.name for p in paths}
    for stem in ("annual_production", "most_productive_authors", "most_relevant_sources", "most_cited_documents",
                 "document_types", "countries", "lotka", "bradford", "quartiles", "wordcloud"):
        assert f"{stem}.png" in names and f"{stem}.svg" in names
    for p in paths:
        data = p.read_bytes()
        assert len(data) > 300
        assert data.startswith(b"\x89PNG") if p.suffix == ".png" else b"<svg" in data[:400]
    # drawing again gives byte-identical files (one matplotlib chart and the word cloud)
    bars = res.tables["most_relevant_sources"]
    again = charts.bar_chart(bars, "Source", "Articles", "Most relevant sources", tmp_path / "f2" / "most_relevant_sources",
                             "Documents") + charts.word_cloud(res.keyword_cloud, tmp_path / "f2" / "wordcloud")
    for b in again:
        assert b.read_bytes() == (tmp_path / "f1" / b.name).read_bytes(), b.name


def test_quartile_chart_counts_no_quartile_separately(describe_corpus, fixtures, tmp_path):
    res = attach_quartiles(describe_corpus, read_sjr(fixtures / "analysis" / "sjr_sample.csv"))
    # 'Journal A' (3 documents) matches by title; the rest are unmatched
    assert res.documents.set_index("Quartile")["Documents"].to_dict() == {"Q1": 3, "Q2": 0, "Q3": 0, "Q4": 0, "no quartile": 2}
    png, svg = charts.quartile_chart(res.documents, tmp_path / "q")
    assert png.stat().st_size > 1000 and "Q1" in svg.read_text()


def test_description_is_a_mapping_of_tables_and_charts_accept_plain_tables(describe_corpus, tmp_path):
    res = describe(describe_corpus, query_year=2025)
    assert dict(res.items()).keys() == res.tables.keys() and res["lotka"] is res.tables["lotka"]
    paths = charts.describe_charts(dict(res.items()), tmp_path, lotka=res.lotka, bradford=None, top=3)
    names = {p.name for p in paths}
    assert "lotka.png" in names and "bradford.png" not in names and "wordcloud.svg" in names
