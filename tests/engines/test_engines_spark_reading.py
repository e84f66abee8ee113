"""Reading on Spark (one task per file) gives the same corpus as in-process (every real export together:
test_engines_spark_dedup, with the deduplication on Spark too)."""
from __future__ import annotations

from pathlib import Path

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


def test_tasks_write_parquet_with_the_corpus_schema(spark, corpora, tmp_path):
    """Each task writes its file's records as Parquet (Corpus schema); only the path and report reach the driver."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from bibliomap.io.ingest import read_one_file
    from bibliomap.corpus.schema import SCHEMA
    from bibliomap.engines.spark_reading import read_to_parquet

    files = sorted((corpora / "scopus-bibtex").glob("*.bib"))
    landed = read_to_parquet(spark, files, None, str(tmp_path))
    assert len(landed) == len(files)
    rows = 0
    for f, (parquet, report) in zip(files, landed):
        assert Path(parquet).parent == tmp_path
        table = pq.read_table(parquet)
        assert table.schema.remove_metadata().equals(SCHEMA.remove_metadata())
        tables, expected_report = read_one_file(f)
        assert table.equals(pa.concat_tables(tables))
        assert report == {**expected_report, "path": str(f.resolve())}
        rows += table.num_rows
    assert rows > 50
