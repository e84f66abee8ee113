"""--engine and --spark-master on the command line: the same map files from Spark, clear errors otherwise."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

from bibliomap.cli import app
from bibliomap.report.config import load_config

runner = CliRunner()


def strengths(path):
    """network.txt as {(id1, id2): strength}."""
    rows = (line.split("\t") for line in path.read_text().splitlines() if line.strip())
    return {(a, b): float(w) for a, b, w in rows}


def test_map_on_spark_writes_the_same_files(spark, corpora, tmp_path):
    """Full counting: byte-identical map files; fractional: the same links within 1e-9 (float sums in another order)."""
    run_maps(tmp_path, sorted((corpora / "scopus-csv").glob("*.csv")),
             (("co-authorship:authors", "full"), ("co-citation:references", "full"), ("co-authorship:authors", "fractional")))


@pytest.mark.slow
def test_term_map_on_spark_writes_the_same_files(spark, corpora, tmp_path):
    """map co-occurrence:terms --engine spark: the terms extracted on Spark too, the same map files."""
    run_maps(tmp_path, sorted((corpora / "demo").glob("*.csv")), (("co-occurrence:terms", "full"),))


def run_maps(tmp_path, files, specs) -> None:
    for spec, counting in specs:
        outs = {}
        for engine in ("inprocess", "spark"):
            out = tmp_path / f"{spec.split(':')[0]}-{counting}" / engine
            extra = ["--spark-master", "local[2]"] if engine == "spark" else []
            result = runner.invoke(app, ["map", spec, *map(str, files), "--out", str(out), "--min-documents", "1",
                                         "--min-citations", "2", "--counting", counting, "--engine", engine, *extra, "-q"])
            assert result.exit_code == 0, result.output
            outs[engine] = out
        expected, got = strengths(outs["inprocess"] / "network.txt"), strengths(outs["spark"] / "network.txt")
        assert len(expected) > 10 and expected.keys() == got.keys()
        assert max(abs(expected[k] - got[k]) for k in expected) <= 1e-9
        if counting == "full":
            for name in ("map.txt", "network.txt"):
                assert (outs["spark"] / name).read_bytes() == (outs["inprocess"] / name).read_bytes(), f"{spec} {name}"


def test_unknown_engine_and_master_without_spark_are_clear_errors(corpora, tmp_path):
    files = [str(p) for p in sorted((corpora / "scopus-csv").glob("*.csv"))]
    result = runner.invoke(app, ["map", "co-authorship:authors", *files, "--out", str(tmp_path / "m"), "--engine", "hadoop"])
    assert result.exit_code == 2 and "expected one of inprocess, spark" in result.output
    result = runner.invoke(app, ["map", "co-authorship:authors", *files, "--out", str(tmp_path / "m"), "--spark-master", "local[2]"])
    assert result.exit_code == 2 and "--spark-master goes with --engine spark" in result.output
    result = runner.invoke(app, ["study", *files, "--out", str(tmp_path / "s"), "--engine", "hadoop"])
    assert result.exit_code == 2 and "expected one of" in result.output
    assert not (tmp_path / "s").exists()


def test_study_config_names_the_engine(tmp_path):
    cfg = tmp_path / "study.toml"
    cfg.write_text('[study]\nengine = "spark"\nspark_master = "local[2]"\n', encoding="utf-8")
    loaded = load_config(cfg)
    assert loaded["study"]["engine"] == "spark" and loaded["study"]["spark_master"] == "local[2]"
    assert load_config(None)["study"]["engine"] == "inprocess"


def test_terms_on_spark_writes_the_same_table(spark, corpora, tmp_path):
    files = [str(p) for p in sorted((corpora / "scopus-bibtex").glob("*.bib"))]
    tracker = spark.sparkContext.statusTracker()
    jobs_before = len(tracker.getJobIdsForGroup(None))
    for engine in ("inprocess", "spark"):
        result = runner.invoke(app, ["terms", *files, "--out", str(tmp_path / engine / "terms.tsv"), "--min-occurrences", "3",
                                     "--engine", engine, "-q"])
        assert result.exit_code == 0, result.output
    assert len(tracker.getJobIdsForGroup(None)) > jobs_before
    table = (tmp_path / "spark" / "terms.tsv").read_bytes()
    assert table == (tmp_path / "inprocess" / "terms.tsv").read_bytes()
    assert table.count(b"\tyes\n") > 20


def test_terms_on_spark_of_a_saved_corpus_leave_it_on_disk(spark, corpora, tmp_path, monkeypatch):
    """terms on one saved corpus, in-process and on Spark: its texts are read from the file (the command never loads
    it), and the table and the thesaurus suggestions are those of the export files loaded."""
    import bibliomap.cli.terms as terms_cli

    saved = tmp_path / "corpus.parquet"
    files = [str(p) for p in sorted((corpora / "scopus-bibtex").glob("*.bib"))]
    assert runner.invoke(app, ["ingest", *files, "--out", str(saved), "-q"]).exit_code == 0
    options = ["--min-occurrences", "3", "-q"]
    assert runner.invoke(app, ["terms", *files, *options, "--out", str(tmp_path / "loaded" / "terms.tsv")]).exit_code == 0

    def not_loaded(*args, **kwargs):
        raise AssertionError("the saved corpus was loaded into the driver")

    monkeypatch.setattr(terms_cli, "load_corpus", not_loaded)
    for engine in ("inprocess", "spark"):
        result = runner.invoke(app, ["terms", str(saved), *options, "--out", str(tmp_path / engine / "terms.tsv"),
                                     "--engine", engine])
        assert result.exit_code == 0, result.output
        for name in ("terms.tsv", "thesaurus-suggestions.tsv"):
            assert (tmp_path / engine / name).read_bytes() == (tmp_path / "loaded" / name).read_bytes()
    assert (tmp_path / "spark" / "terms.tsv").read_bytes().count(b"\tyes\n") > 20
    assert len((tmp_path / "spark" / "thesaurus-suggestions.tsv").read_text().splitlines()) > 2
