"""Reading on Spark (one task per file) gives the same corpus as in-process (every real export together:
test_engines_spark_dedup, with the deduplication on Spark too)."""
from __future__ import annotations

from typer.testing import CliRunner

from bibliomap.cli import app
from bibliomap.corpus.corpus import Corpus


def real_files(corpora):
    return sorted(p for p in corpora.rglob("*") if p.is_file() and p.suffix.lower() in (".csv", ".txt", ".bib", ".ris")
                  and p.name not in ("PROVENANCE.txt",) and "LICENSE" not in p.name)


def test_ingest_command_on_spark(spark, corpora, tmp_path):
    files = [str(p) for p in sorted((corpora / "scopus-bibtex").glob("*.bib"))]
    tracker = spark.sparkContext.statusTracker()
    jobs_before = len(tracker.getJobIdsForGroup(None))
    for engine in ("inprocess", "spark"):
        result = CliRunner().invoke(app, ["ingest", *files, "--out", str(tmp_path / f"{engine}.parquet"), "--engine", engine, "-q"])
        assert result.exit_code == 0, result.output
    assert len(tracker.getJobIdsForGroup(None)) > jobs_before, "the files were not read in Spark tasks"
    a, b = (Corpus.read_parquet(tmp_path / f"{e}.parquet") for e in ("inprocess", "spark"))
    assert len(a) > 100 and a.table.equals(b.table)
