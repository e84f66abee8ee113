"""Term extraction on Spark (tagging, counts and co-occurrence on the executors, selection on the driver)
selects the same terms as in-process, on every real corpus together and on synthetic texts full of ties."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import bibliomap
from bibliomap.text.terms import extract_terms

ADJECTIVES = "sparse robust neural latent causal deep hybrid convex stochastic federated generative discrete".split()
NOUNS = "network model graph kernel sampler estimator classifier policy encoder dataset benchmark protocol".split()


def assert_same_terms(got, expected) -> None:
    """The same verification table (relevance within 1e-12), the same selected terms and occurrences."""
    assert got.labels == expected.labels
    pd.testing.assert_frame_equal(got.terms, expected.terms, check_exact=False, rtol=0, atol=1e-12)
    pd.testing.assert_frame_equal(got.occurrences, expected.occurrences)
    assert got.n_tokens == expected.n_tokens and got.n_documents == expected.n_documents


def synthetic_texts(seed: int, n: int = 600) -> pd.DataFrame:
    """Titles and abstracts drawn from 12 adjectives x 12 nouns: many terms with equal counts (ties to break)."""
    rng = np.random.default_rng(seed)

    def phrase() -> str:
        return f"{ADJECTIVES[rng.integers(len(ADJECTIVES))]} {NOUNS[rng.integers(len(NOUNS))]}"

    titles = [f"A {phrase()} for the {phrase()}" if rng.random() > 0.1 else None for _ in range(n)]
    abstracts = [" ".join(f"We propose a {phrase()} with a {phrase()}. The {phrase()} improves the {phrase()}."
                          for _ in range(rng.integers(1, 4))) for _ in range(n)]
    return pd.DataFrame({"title": titles, "abstract": abstracts})


@pytest.fixture(scope="module")
def all_real(corpora):
    files = sorted(p for p in corpora.rglob("*") if p.is_file() and p.suffix.lower() in (".csv", ".txt", ".bib", ".ris")
                   and p.name != "PROVENANCE.txt" and "LICENSE" not in p.name)
    return bibliomap.read(*files)


@pytest.mark.parametrize("counting", ["binary", pytest.param("full", marks=pytest.mark.slow)])
def test_terms_on_spark_equal_inprocess(spark, all_real, counting):
    from bibliomap.engines.spark_terms import extract_terms_spark

    options = dict(counting=counting, min_occurrences=3, nested=counting == "full")
    expected = extract_terms(all_real, **options)
    # small tasks, so the corpus spans many of them and the numbering of the vocabulary matters
    got = extract_terms_spark(spark, all_real, documents_per_task=400, **options)
    assert len(all_real) > 2000 and len(expected.labels) > 50
    assert_same_terms(got, expected)


def test_synthetic_ties_on_spark(spark):
    """Equal counts everywhere: the ranking's ties and the first-occurrence numbering decide, as in-process."""
    from bibliomap.engines.spark_terms import extract_terms_spark

    texts = synthetic_texts(3)
    for options in (dict(min_occurrences=5), dict(counting="full", min_occurrences=20, specificity_weight=0.0, keep=0.3)):
        expected = extract_terms(texts, **options)
        got = extract_terms_spark(spark, texts, documents_per_task=150, **options)
        assert 20 < len(expected.labels) < len(expected.terms)
        assert_same_terms(got, expected)


def test_extract_terms_runs_on_the_engine(spark, corpora):
    """Inside engine('spark') extract_terms (what map and study call) runs its work on Spark."""
    from bibliomap.engines import engine

    corpus = bibliomap.read(*sorted((corpora / "demo").glob("*.csv")))
    expected = extract_terms(corpus, min_occurrences=5)
    tracker = spark.sparkContext.statusTracker()
    jobs_before = len(tracker.getJobIdsForGroup(None))
    with engine("spark"):
        got = extract_terms(corpus, min_occurrences=5)
    assert len(tracker.getJobIdsForGroup(None)) > jobs_before
    assert got.phrases is None  # the occurrences stayed on the cluster
    assert_same_terms(got, expected)


def test_terms_of_a_saved_corpus_read_by_the_executors(spark, all_real, tmp_path):
    """A StoredCorpus: the executors read the texts from its file (the driver only titles and keywords), and the
    terms are those in-process extraction finds in the loaded corpus, keyword evidence included."""
    from bibliomap.corpus.stored import StoredCorpus
    from bibliomap.engines.spark_terms import extract_terms_spark

    import pyarrow.parquet as pq

    path = tmp_path / "all.parquet"
    pq.write_table(all_real.to_arrow(), path, row_group_size=300)  # small row groups: the file is read in many splits
    stored = StoredCorpus(path)
    before = spark.conf.get("spark.sql.files.maxPartitionBytes")
    spark.conf.set("spark.sql.files.maxPartitionBytes", str(256 * 1024))
    try:
        assert spark.read.parquet(str(path)).rdd.getNumPartitions() > 3
        for options in (dict(min_occurrences=3), dict(min_occurrences=5, keyword_evidence=True, fields=("abstract",))):
            expected = extract_terms(all_real, **options)
            got = extract_terms_spark(spark, stored, documents_per_task=700, **options)
            assert len(expected.labels) > 50
            assert_same_terms(got, expected)
    finally:
        spark.conf.set("spark.sql.files.maxPartitionBytes", before)


def test_later_stages_read_the_tagging_output_in_fewer_tasks(spark):
    """Coalesced to the shuffle partitions when the tagging ran in more tasks, never split further; a document's rows
    stay together."""
    from pyspark.sql import functions as F

    from bibliomap.engines.spark_terms import read_in_fewer_tasks

    frame = spark.range(0, 1000).select((F.col("id") % 97).alias("doc")).repartition(12, "doc")
    fewer = read_in_fewer_tasks(frame, 3)
    assert fewer.rdd.getNumPartitions() == 3
    assert read_in_fewer_tasks(frame, 40).rdd.getNumPartitions() == 12
    tasks_per_doc = fewer.select("doc", F.spark_partition_id().alias("task")).distinct().groupBy("doc").count()
    assert tasks_per_doc.agg(F.max("count")).first()[0] == 1
