"""Deduplication blocked by key on Spark keeps the same records and makes the same merges as in-process:
on every real export together, and on a synthetic corpus of planted duplicates (typos, shifted years,
missing and conflicting DOIs)."""
from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

import bibliomap
from bibliomap.corpus.dedup import candidate_links, dedup_keys, find_duplicates, linking_with
from bibliomap.io.ingest import ingest

from tests.engines.test_engines_spark_reading import real_files


def planted(table: pa.Table, seed: int = 5) -> pa.Table:
    """``table`` plus altered copies of a third of its records: a letter changed in the title, the year moved
    by one or two, the DOI dropped or replaced, the first author kept."""
    rng = np.random.default_rng(seed)
    rows = rng.choice(table.num_rows, table.num_rows // 3, replace=False)
    copies = table.take(pa.array(rows))
    titles = copies.column("title").to_pylist()
    for k, t in enumerate(titles):
        if t and len(t) > 20 and rng.random() < 0.6:
            p = int(rng.integers(0, len(t)))
            titles[k] = t[:p] + "x" + t[p + 1:]
    years = pc.add(copies.column("year"), pa.array(rng.integers(-2, 3, len(rows)), copies.column("year").type))
    dois = [None if rng.random() < 0.7 else (f"10.1/other.{k}" if rng.random() < 0.5 else d)
            for k, d in enumerate(copies.column("doi").to_pylist())]
    for name, values in (("title", pa.array(titles, pa.string())), ("year", years), ("doi", pa.array(dois, pa.string()))):
        copies = copies.set_column(copies.schema.get_field_index(name), name, values)
    return pa.concat_tables([table, copies])


def test_dedup_links_on_spark_equal_inprocess(spark, corpora):
    from bibliomap.engines.spark_dedup import candidate_links_spark

    table = planted(bibliomap.read(*real_files(corpora)).table)
    keys = dedup_keys(table)
    expected = list(candidate_links(keys))
    got = candidate_links_spark(spark, keys)
    assert {r for _, _, r, _ in expected} >= {"doi", "title_year_author", "fuzzy_title"}
    assert got == expected
    with linking_with(lambda k, fuzzy, threshold: candidate_links_spark(spark, k, fuzzy, threshold)):
        groups, rules = find_duplicates(table)
    assert (groups, rules) == find_duplicates(table)
    assert len(groups) > 500


def test_ingest_with_spark_dedup_equals_inprocess(spark, corpora):
    """Reading in tasks and deduplication on Spark (engine('spark')): the same corpus and report."""
    from bibliomap.engines import engine

    files = real_files(corpora)
    expected = ingest(files, workers=1)
    tracker = spark.sparkContext.statusTracker()
    jobs_before = len(tracker.getJobIdsForGroup(None))
    with engine("spark"):
        got = ingest(files)
    assert len(tracker.getJobIdsForGroup(None)) > jobs_before
    assert got.table.equals(expected.table)
    assert got.ingest_report == expected.ingest_report
    assert expected.ingest_report["totals"]["duplicates"] > 0
