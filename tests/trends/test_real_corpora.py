"""Trend and theme analyses on the real corpora: invariants that must hold for any data, and the CLI."""
from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

import bibliomap
from bibliomap.analysis.trends import trend_analysis


@pytest.fixture(scope="module")
def demo(corpora):
    corpus = bibliomap.read(*sorted((corpora / "demo").glob("ieee_*.csv")))
    tables, evolution = trend_analysis(corpus, unit="keywords", cuts=[2010, 2016])
    return corpus, tables, evolution


@pytest.fixture(scope="module")
def scopus(corpora):
    corpus = bibliomap.read(corpora / "scopus-bibtex" / "scopus.bib")
    tables, evolution = trend_analysis(corpus, unit="terms", min_occurrences=5)
    return corpus, tables, evolution


@pytest.fixture(scope="module")
def wos_references(corpora):
    corpus = bibliomap.read(corpora / "wos-plaintext" / "metaknowledge_savedrecs.txt")
    tables, evolution = trend_analysis(corpus, unit="references")
    return corpus, tables, evolution


CASES = ["demo", "scopus", "wos_references"]


@pytest.mark.parametrize("case", CASES)
def test_every_document_is_classified_or_explicitly_unclassified(case, request):
    corpus, tables, _ = request.getfixturevalue(case)
    cls = tables["document_clusters"]
    assert len(cls) == len(corpus) and cls["document"].tolist() == list(range(len(corpus)))
    known = set(tables["thematic_map"]["cluster"]) | {0}
    assert set(cls["cluster"]) <= known
    assert (cls.loc[cls["cluster"] == 0, "share"] == 0).all()
    assert cls.loc[cls["cluster"] > 0, "share"].between(0, 1, inclusive="right").all()
    assert tables["cluster_profiles"]["documents"].sum() == len(corpus)
    dated = int((~np.isnan(corpus.values("year").astype(float))).sum())
    assert tables["cluster_production"]["documents"].sum() == dated


@pytest.mark.parametrize("case", CASES)
def test_trend_topic_quartiles_are_ordered(case, request):
    corpus, tables, _ = request.getfixturevalue(case)
    tt = tables["trend_topics"]
    assert len(tt)
    years = corpus.values("year").astype(float)
    assert (tt["year_q1"] <= tt["year_median"]).all() and (tt["year_median"] <= tt["year_q3"]).all()
    assert tt["year_q1"].min() >= np.nanmin(years) and tt["year_q3"].max() <= np.nanmax(years)
    assert (tt["freq"] >= 2).all()


@pytest.mark.parametrize("case", CASES)
def test_burst_intervals_lie_inside_the_data_years(case, request):
    corpus, tables, _ = request.getfixturevalue(case)
    years = corpus.values("year").astype(float)
    lo, hi = np.nanmin(years), np.nanmax(years)
    found = 0
    for name in ("bursts", "bursts_references"):
        b = tables.get(name)
        if b is None or not len(b):
            continue
        found += len(b)
        assert (b["begin"] >= lo).all() and (b["end"] <= hi).all()
        assert (b["begin"] <= b["end"]).all() and (b["duration"] == b["end"] - b["begin"] + 1).all()
        assert (b["duration"] >= 2).all() and (b["strength"] > 0).all()
        assert (b["first_year"] <= b["begin"]).all()
        assert b["strength"].is_monotonic_decreasing
    assert found > 0  # each of these corpora has bursts (terms, keywords or cited references)


@pytest.mark.parametrize("case", CASES)
def test_evolution_indexes_are_shares(case, request):
    _, _, ev = request.getfixturevalue(case)
    links = ev.links
    assert len(ev.slices) >= 2 and len(ev.themes)
    for col in ("inclusion", "weighted_inclusion", "stability"):
        assert links[col].between(0, 1).all()
    assert (links["stability"] <= links["inclusion"] + 1e-12).all()  # Jaccard never exceeds overlap/min
    names = list(ev.slices["slice"])
    assert all(names.index(b) == names.index(a) + 1 for a, b in zip(links["from_slice"], links["to_slice"]))


def test_thematic_map_quadrants_split_at_mean_rank(demo):
    _, tables, _ = demo
    tm = tables["thematic_map"]
    assert len(tm) >= 4
    high_c = tm["rank_centrality"] >= tm["rank_centrality"].mean()
    high_d = tm["rank_density"] >= tm["rank_density"].mean()
    assert (tm.loc[high_c & high_d, "quadrant"] == "motor themes").all()
    assert (tm.loc[~high_c & ~high_d, "quadrant"] == "emerging or declining themes").all()
    assert set(tm["quadrant"]) <= {"motor themes", "niche themes", "emerging or declining themes", "basic themes"}


def test_reference_bursts_and_overlay_scores_on_scopus(scopus):
    corpus, tables, _ = scopus
    assert len(tables["bursts_references"]) > 0
    scores = tables["item_scores"]
    years = corpus.values("year").astype(float)
    assert scores["avg_pub_year"].between(np.nanmin(years), np.nanmax(years)).all()
    assert (scores["avg_norm_citations"] >= 0).all()


def test_cli_writes_tables_figures_and_summary_deterministically(corpora, tmp_path):
    from bibliomap.cli import app

    src = corpora / "wos-plaintext" / "metaknowledge_savedrecs.txt"
    runner = CliRunner()
    res = runner.invoke(app, ["trends", str(src), "--out", str(tmp_path / "a"), "--unit", "references", "-q", "--slices", "2000"])
    assert res.exit_code == 0, res.output
    out = tmp_path / "a"
    for name in ("trend_topics", "bursts", "thematic_map", "document_clusters", "cluster_profiles", "cluster_production",
                 "evolution_themes", "evolution_links", "gaps", "emerging_declining", "item_scores"):
        assert (out / f"{name}.csv").stat().st_size > 0, name
    for fig in ("trend_topics", "bursts", "thematic_map", "thematic_evolution", "cluster_production"):
        png = out / "figures" / f"{fig}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and (out / "figures" / f"{fig}.svg").exists()
    assert (out / "summary.md").read_text().count("## ") == 4
    res = runner.invoke(app, ["trends", str(src), "--out", str(tmp_path / "b"), "--unit", "references", "-q", "--slices", "2000", "--no-figures"])
    assert res.exit_code == 0, res.output
    for csv in out.glob("*.csv"):
        assert (tmp_path / "b" / csv.name).read_bytes() == csv.read_bytes(), csv.name


def test_cli_rejects_bad_options_clearly(corpora, tmp_path):
    from bibliomap.cli import app

    src = corpora / "wos-plaintext" / "metaknowledge_savedrecs.txt"
    runner = CliRunner()
    res = runner.invoke(app, ["trends", str(src), "--out", str(tmp_path), "--unit", "authors-of-doom", "-q"])
    assert res.exit_code == 2 and "--unit" in res.output and "Traceback" not in res.output
    res = runner.invoke(app, ["trends", str(src), "--out", str(tmp_path), "--slices", "1900", "-q"])
    assert res.exit_code == 1 and "outside the data's years" in res.output
