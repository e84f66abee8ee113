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
    from analysis_helpers import record  # noqa: F401  (helpers stay importable)

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
    again = charts.describe_charts(res, tmp_path / "f2")
    for a, b in zip(paths, again):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_quartile_chart_counts_no_quartile_separately(describe_corpus, fixtures, tmp_path):
    res = attach_quartiles(describe_corpus, read_sjr(fixtures / "analysis" / "sjr_sample.csv"))
    # 'Journal A' (3 documents) matches by title; the rest are unmatched
    assert res.documents.set_index("Quartile")["Documents"].to_dict() == {"Q1": 3, "Q2": 0, "Q3": 0, "Q4": 0, "no quartile": 2}
    png, svg = charts.quartile_chart(res.documents, tmp_path / "q")
    assert png.stat().st_size > 1000 and "Q1" in svg.read_text()
