"""`bibliomap metrics` and `bibliomap describe` on a real Scopus export."""
from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from bibliomap.analysis.citation_metrics import METRIC_KEYS
from bibliomap.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def scopus(corpora):
    return corpora / "scopus-csv" / "litstudy_scopus.csv"


def test_metrics_prints_the_table_and_writes_json(scopus, tmp_path):
    out = tmp_path / "m.json"
    res = runner.invoke(app, ["metrics", str(scopus), "--query-year", "2024", "--json", str(out)])
    assert res.exit_code == 0, res.output
    assert "h-index" in res.output and "hI,annual" in res.output
    data = json.loads(out.read_text())
    assert list(data)[: len(METRIC_KEYS)] == list(METRIC_KEYS)
    assert data["papers"] == 58  # the export holds 58 records
    assert data["reference_year"] == 2024
    assert data["citation_years"] == 2024 - data["publication_year_min"]
    assert data["cites_per_year"] == pytest.approx(data["citations"] / data["citation_years"])
    assert data["g_index"] >= data["h_index"] > 0


def test_metrics_json_to_stdout_and_forced_reference_year(scopus):
    res = runner.invoke(app, ["metrics", str(scopus), "--reference-year", "2030", "--json", "-"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["reference_year"] == 2030 and data["reference_year_source"] == "reference_year"


def test_metrics_bad_input_is_a_clear_error(tmp_path):
    res = runner.invoke(app, ["metrics", str(tmp_path / "missing.csv")])
    assert res.exit_code != 0 and "no such file" in res.output
    res = runner.invoke(app, ["metrics", str(tmp_path / "x.csv"), "--query-year", "24"])
    assert res.exit_code != 0


def test_describe_writes_every_table_the_workbook_and_figures(scopus, tmp_path, fixtures):
    out = tmp_path / "study"
    res = runner.invoke(app, ["describe", str(scopus), "--out", str(out), "--top", "5", "--query-year", "2024",
                              "--sjr", str(fixtures / "analysis" / "sjr_sample.csv")])
    assert res.exit_code == 0, res.output
    expected = ["pop_metrics", "main_information", "annual_production", "document_types", "most_productive_authors",
                "most_cited_documents", "most_relevant_sources", "most_relevant_affiliations", "countries_production",
                "countries_citations", "author_keywords", "index_keywords", "authors_local_impact",
                "sources_local_impact", "local_citations", "lotka", "lotka_fit", "bradford", "bradford_zones", "bradford_fit",
                "quartiles", "quartile_matching", "unmatched_sources"]
    for name in expected:
        assert (out / f"{name}.csv").stat().st_size > 0, name
    assert (out / "most_productive_authors.csv").read_text().count("\n") == 6  # header + top 5
    wb = load_workbook(out / "tables.xlsx", read_only=True)
    assert wb.sheetnames == expected
    assert json.loads((out / "metrics.json").read_text())["papers"] == 58
    # none of these journals is in the fixture: every record is 'no quartile', every source unmatched
    quart = (out / "quartiles.csv").read_text().splitlines()
    assert quart[-1] == "no quartile,58,38"
    for fig in ("annual_production", "most_productive_authors", "most_relevant_sources", "most_cited_documents",
                "countries", "lotka", "bradford", "quartiles", "wordcloud"):
        assert (out / "figures" / f"{fig}.png").stat().st_size > 1000, fig
        assert (out / "figures" / f"{fig}.svg").read_text(encoding="utf-8").lstrip().startswith(("<?xml", "<svg")), fig


def test_describe_rejects_a_file_that_is_not_sjr(scopus, tmp_path):
    res = runner.invoke(app, ["describe", str(scopus), "--out", str(tmp_path / "o"), "--sjr", str(scopus), "--no-charts"])
    assert res.exit_code != 0 and "SCImago" in res.output


def test_metrics_on_a_pop_export_use_its_query_date_and_flag_truncated_authors(fixtures, tmp_path):
    pop = fixtures / "analysis" / "pop_truncated.csv"
    res = runner.invoke(app, ["metrics", str(pop), "--query-year", "1999", "--json", str(tmp_path / "m.json")])
    assert res.exit_code == 0, res.output
    assert "truncated author lists" in res.output and "Cites/author *" in res.output
    m = json.loads((tmp_path / "m.json").read_text())
    assert m["reference_year"] == 2025 and m["reference_year_source"] == "query_date"
    assert m["author_counts_truncated"] == 1
    # c = 40, 9, 0; AuthorCount 3, 1, 2; years 2020, 2023, 2025; ages 5, 2, 1
    assert m["citation_years"] == 5
    assert m["cites_per_author"] == pytest.approx(40 / 3 + 9 + 0)
    assert m["awcr"] == pytest.approx(40 / 5 + 9 / 2 + 0)
    assert m["hi_index"] == pytest.approx(2 * 2 / (3 + 1))
    assert m["hm_index"] == pytest.approx(1 / 3 + 1)
    assert m["hc_index"] == 2 and m["hi_norm"] == 2
