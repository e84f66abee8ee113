"""Reading on Spark (one task per file) gives the same corpus as in-process (every real export together:
test_engines_spark_dedup, with the deduplication on Spark too)."""
from __future__ import annotations

import contextlib

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
    for f, (parts, report) in zip(files, landed):
        [(parquet, offset)] = parts  # below the split size: one task, one Parquet file
        assert Path(parquet).parent == tmp_path and offset == 0
        table = pq.read_table(parquet)
        assert table.schema.remove_metadata().equals(SCHEMA.remove_metadata())
        tables, expected_report = read_one_file(f)
        assert table.equals(pa.concat_tables(tables))
        assert report == {**expected_report, "path": str(f.resolve())}
        rows += table.num_rows
    assert rows > 50


def test_large_files_are_read_in_several_tasks_with_the_same_result(spark, corpora, tmp_path):
    """Forced small splits: a MEDLINE export, a damaged BibTeX copy (rejections and warnings renumbered
    across splits), a Springer CSV export (its splits read after the file's header), a file whose cut record sends it back to whole reading,
    a WoS tab-delimited export, a PoP export and OpenAlex JSON Lines (with rejected lines) give the same records,
    provenance and report as in-process; the large files land as several parts (one task each).
    (Every real export and split size: test_engines_file_splits, without Spark.)"""
    import re
    import sys

    import pyarrow as pa
    import pyarrow.parquet as pq

    from bibliomap.io.ingest import read_one_file
    from bibliomap.engines.file_splits import renumber_records
    from bibliomap.engines.spark_reading import read_to_parquet

    sys.path.insert(0, str(Path(__file__).parent))
    from test_engines_file_splits import DAMAGES, FIXTURES, _damage, derived_exports

    damaged = _damage(corpora / "scopus-bibtex/scopus.bib", tmp_path, DAMAGES["scopus-bibtex/scopus.bib"])
    text = (corpora / "scopus-bibtex/scopus.bib").read_bytes().decode("utf-8")
    entries = [m.start() for m in re.finditer(r"^@ARTICLE\{", text, re.M)]
    k = next(i for i in range(len(entries) - 1) if text.index("abstract={", entries[i]) - entries[i] > 1_200)
    inside = text.index("abstract={", entries[k]) + len("abstract={")  # a false entry start, 1,000+ bytes into entry k
    cut = tmp_path / "cut.bib"
    cut.write_text(text[:inside] + "{note}\n@misc{fake,\n" + text[inside:entries[k + 2]], encoding="utf-8")
    staging = [tmp_path / f"staging{k}" for k in range(3)]  # one per call: each numbers its parts from 0
    for folder in staging:
        folder.mkdir()
    derived = derived_exports(corpora, staging[2])
    files = [corpora / "pubmed-medline/pubmed.txt", damaged, corpora / "springer-csv/springer_notebook.csv", cut,
             derived["metaknowledge_savedrecs_tab.txt"], derived["pop_propithecus.csv"], FIXTURES / "web/openalex_works.jsonl"]
    landed = read_to_parquet(spark, files[:3], None, str(staging[0]), split_bytes=60_000)
    landed += read_to_parquet(spark, files[3:4], None, str(staging[1]), split_bytes=1_000)
    landed += read_to_parquet(spark, files[4:], None, str(staging[2]), split_bytes=2_000)
    for f, (parts, report) in zip(files, landed):
        tables, expected = read_one_file(f)
        got = pa.concat_tables([renumber_records(pq.read_table(p), offset) for p, offset in parts])
        assert got.equals(pa.concat_tables(tables)), f.name
        assert report == {**expected, "path": str(f.resolve())}, f.name
    assert all(len(landed[k][0]) > 3 for k in (0, 1, 2, 4, 5)), "the large files were not read in splits"
    assert len(landed[6][0]) > 1 and landed[6][1]["rejected"], "the JSON Lines were not read in splits"
    assert "runs into the next entry" in landed[3][1]["rejected"][0]["reason"]
    assert len(landed[3][0]) == 1, "the file with a cut record was not read whole"


def test_ingest_written_straight_to_a_file_reads_the_parts_the_tasks_wrote(spark, corpora, tmp_path):
    """``ingest_to_parquet`` on Spark (files read in splits, each split a Parquet part renumbered as it is read)
    writes the file that the in-process ingest writes; the staged parts are gone afterwards."""
    from bibliomap.engines.spark_reading import SPLIT_CONF, spark_part_reader
    from bibliomap.io.ingest import ingest
    from bibliomap.io.ingest_stored import ingest_to_parquet, reading_parts_with

    paths = [corpora / "pubmed-medline", corpora / "scopus-bibtex", corpora / "wos-bibtex"]
    ingest(paths).write_parquet(tmp_path / "inprocess.parquet")
    staged: list[str] = []
    reader = spark_part_reader(spark)

    @contextlib.contextmanager
    def watched(files, format):
        with reader(files, format) as landed:
            staged.extend(p.path for parts, _ in landed for p in parts)
            yield landed

    spark.conf.set(SPLIT_CONF, "60000")
    try:
        with reading_parts_with(watched):
            documents, report = ingest_to_parquet(paths, tmp_path / "spark.parquet")
    finally:
        spark.conf.unset(SPLIT_CONF)
    a, b = Corpus.read_parquet(tmp_path / "inprocess.parquet"), Corpus.read_parquet(tmp_path / "spark.parquet")
    assert documents == len(a) > 500 and a.table.equals(b.table) and a.ingest_report == b.ingest_report
    assert len(staged) > len(report["files"]), "no file was read in splits"
    assert staged and not any(Path(p).exists() for p in staged), "the staged parts were left behind"
