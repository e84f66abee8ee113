"""Term extraction on Spark: tagging, noun phrases, counts and co-occurrence in Spark tasks; selection on the driver.

The documents (their titles and abstracts) become a DataFrame that the executors read from
Parquet files this process stages (``spark_staging``), or, for a saved corpus
(:class:`~bibliomap.corpus.stored.StoredCorpus`), from its own file, so that the driver never
holds the abstracts (it reads the titles, a batch at a time, and the keywords); each task runs the shipped
tagger and noun-phrase rules (:func:`bibliomap.text.terms.phrase_occurrences`) on its
Arrow batches and emits one row per noun-phrase occurrence (document, field, position,
unified term). The occurrences stay on the cluster (persisted); what the driver receives
is per term:

- its first occurrence (field, document, position), which numbers the vocabulary in the
  order the in-process extraction meets it (ties in the selection are broken by that order);
- its occurrences, documents and title documents;
- for the candidates (at least ``min_occurrences``), the co-occurrence KL score
  (:func:`bibliomap.text.relevance.kl_relevance`), from the candidate pairs summed on the
  executors (per task over whole documents first: ``spark_pairs``).

The driver ranks and selects with the same rules as :func:`bibliomap.text.terms.select_terms`
(termhood against the background model, core vocabulary, boilerplate, the share kept), makes
VOSviewer's fallback map over the vocabulary, and sends it back: the executors count the
selected terms per document, and only that result (documents x selected terms, the table a
term map needs) is collected. With nested sub-phrases on, the attested sub-phrases are found
on the driver from the vocabulary and exploded on the executors. The KL sums run in another
order than in-process (float sums, equal to ~1e-15); every other number is an exact count.
"""
from __future__ import annotations

import functools
import math
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np
import pandas as pd

from bibliomap.engines.spark_session import quiet_pandas_warning
from bibliomap.engines.spark_staging import collected_columns, collected_frame, staged_frame, staging_folder
from bibliomap.text.relevance import BOILERPLATE_EVENNESS, SPECIFICITY_WEIGHT

#: one row per noun-phrase occurrence (term set), or per task and field the tokens it read (term null), or per
#: acronym its texts define (``definition``: short and long form, unified, joined by ``DEFINITION_JOIN``; ``k``: the
#: number of texts defining it)
OCCURRENCE_SCHEMA = "doc long, f int, k long, term string, tokens long, definition string"
DEFINITION_JOIN = "\x1f"


def _phrase_batches(fields: tuple[str, ...], ignore_labels: bool, ignore_copyright: bool, thesaurus: Any, tagger: Any,
                    batches: Iterator[Any]) -> Iterator[Any]:
    """One task: the noun-phrase occurrences of its batches of documents (doc, title/abstract) as Arrow batches.

    ``k`` numbers a batch's occurrences of one field in text order, so (f, doc, k) orders
    them as the in-process extraction reads them (field by field, documents in order).
    """
    import pyarrow as pa

    from bibliomap.text.terms import phrase_occurrences

    for batch in batches:
        docs = batch.column(0).to_numpy()
        for fi, f in enumerate(fields):
            texts = [t if isinstance(t, str) and t.strip() else None for t in batch.column(fi + 1).to_pylist()]
            if not any(texts):
                continue
            po = phrase_occurrences(pd.DataFrame({f: texts}), (f,), ignore_labels, ignore_copyright, thesaurus, tagger)
            n = len(po.term)
            terms = pa.array(po.vocabulary, pa.string()).take(pa.array(po.term, pa.int64()))
            defined = list((po.acronyms or {}).items())
            m = len(defined)
            yield pa.RecordBatch.from_arrays([
                pa.array(np.concatenate([docs[po.doc], np.full(m + 1, -1)]), pa.int64()),
                pa.array(np.full(n + m + 1, fi, np.int32)),
                pa.array(np.concatenate([np.arange(n + 1), [c for _, c in defined]]).astype(np.int64)),
                pa.concat_arrays([terms, pa.nulls(m + 1, pa.string())]),
                pa.array(np.concatenate([np.zeros(n, np.int64), [po.n_tokens], np.zeros(m, np.int64)]), pa.int64()),
                pa.concat_arrays([pa.nulls(n + 1, pa.string()),
                                  pa.array([DEFINITION_JOIN.join(pair) for pair, _ in defined], pa.string())]),
            ], names=["doc", "f", "k", "term", "tokens", "definition"])


def occurrence_frame(spark: Any, corpus: Any, fields: tuple[str, ...], folder: str, ignore_labels: bool = True,
                     ignore_copyright: bool = True, thesaurus: Any = None, tagger: Any = None,
                     documents_per_task: int = 2000) -> tuple[Any, int]:
    """(the persisted occurrence DataFrame of ``corpus`` (OCCURRENCE_SCHEMA), the number of documents). The texts
    go to the executors as Parquet files staged in ``folder`` (``spark_staging``), not through the driver JVM; those
    of a :class:`~bibliomap.corpus.stored.StoredCorpus` are read by the executors from its file."""
    documents, n_docs = _documents(spark, corpus, fields, folder)
    documents = documents.repartition(max(1, math.ceil(n_docs / documents_per_task)))
    task = functools.partial(_phrase_batches, fields, ignore_labels, ignore_copyright, thesaurus, tagger)
    return documents.mapInArrow(task, OCCURRENCE_SCHEMA).persist(), n_docs


def read_in_fewer_tasks(occurrences: Any, tasks: int) -> Any:
    """The persisted occurrences read by at most ``tasks`` tasks (``spark.sql.shuffle.partitions``, as the counting).

    The tagging runs in small tasks of ``documents_per_task`` documents (fine progress, cheap retries,
    bounded memory); the later stages need not read the cache in as many (2,500 at 5M records; at 1M,
    496 -> 8 tasks per stage measured no faster, only fewer tasks). ``coalesce`` never adds partitions
    and is narrow: each task reads whole cached partitions, so a document's rows stay in one task, as
    the pair counting needs.
    """
    return occurrences.coalesce(tasks)


def _documents(spark: Any, corpus: Any, fields: tuple[str, ...], folder: str) -> tuple[Any, int]:
    """(a DataFrame of doc (the record's position) and the texts of ``fields``, the number of documents)."""
    import pyarrow as pa

    from bibliomap.corpus.stored import StoredCorpus
    from bibliomap.text.terms import _texts

    if isinstance(corpus, StoredCorpus):  # read by the executors: the driver never holds the texts
        from pyspark.sql import functions as F

        frame = spark.read.parquet(corpus.path.resolve().as_uri())
        return frame.select(F.col("_metadata.row_index").alias("doc"), *fields), len(corpus)
    columns, n_docs = _texts(corpus, fields)
    table = pa.table({"doc": pa.array(np.arange(n_docs, dtype=np.int64)),
                      **{f: pa.array(col, pa.string()) for f, col in zip(fields, columns)}})
    return staged_frame(spark, table, folder), n_docs


def _titles_and_keywords(corpus: Any, with_titles: bool) -> tuple[Any, frozenset[str] | None]:
    """The titles (for the background's fingerprints; ``[]`` without ``with_titles``) and the distinct keywords of
    ``corpus``; of a StoredCorpus those columns alone are read, the titles a batch at a time."""
    from bibliomap.corpus.stored import StoredCorpus
    from bibliomap.text.terms import _keywords, _texts

    if not with_titles:
        return [], _keywords(corpus)
    if isinstance(corpus, StoredCorpus):
        return corpus.iter_values("title"), _keywords(corpus)
    return _texts(corpus, ("title",))[0][0], _keywords(corpus)


def _collect(frame: Any) -> pd.DataFrame:
    """A Spark result as pandas, through Parquet files (``spark_staging``): a million abstracts' documents x terms
    table was lost in a 4 GB driver's memory when streamed through ``toPandas``."""
    return collected_frame(frame)


def _small(spark: Any, frame: pd.DataFrame, schema: str) -> Any:
    """A driver table (per term) as a DataFrame."""
    import pyarrow as pa

    return spark.createDataFrame(pa.Table.from_pandas(frame, preserve_index=False), schema=schema)


def term_statistics(rows: Any, title_field: int | None, with_first: bool = False) -> Any:
    """Per term: occurrences (rows), documents and title documents (DataFrame term, rows, docs, title_docs), and with
    ``with_first`` its first occurrence (struct first: f, doc, k).

    Two plain aggregations, per (term, document) then per term, instead of ``countDistinct`` of
    the documents and of the title documents: Spark expands every row once per distinct
    aggregate for those (three rows per occurrence), which made this the longest stage after the
    tagging at 5M records (8 tasks x 175 s).
    """
    from pyspark.sql import functions as F

    in_title = (F.col("f") == F.lit(-1 if title_field is None else title_field)).cast("int")
    first = [F.min(F.struct("f", "doc", "k")).alias("first")] if with_first else []
    per_document = rows.groupBy("term", "doc").agg(F.count(F.lit(1)).alias("n"), F.max(in_title).alias("t"), *first)
    return per_document.groupBy("term").agg(F.sum("n").alias("rows"), F.count(F.lit(1)).alias("docs"),
                                            F.sum("t").alias("title_docs"),
                                            *([F.min("first").alias("first")] if with_first else []))


def candidate_kl(rows: Any, candidates: Any, counting: str, partitions: int) -> pd.DataFrame:
    """kl_relevance(cooccurrence(X)) of the candidates, X the documents x candidates counts: (pos, kl) as pandas.

    The pairs (i < j) of candidates sharing a document are summed per task over whole documents
    (``spark_pairs``: x_i * x_j, full counts or presence) and kept (persisted) for the two passes
    below. With C the symmetric co-occurrence, r its row sums and T their total,
    kl(i) = sum_j p ln(p / (r_j / T)), p = C_ij / r_i, is rewritten as
    kl(i) = D_i / r_i + ln(T / r_i) with D_i = sum_j C_ij (ln C_ij - ln r_j): the row sums are
    summed per item with map-side aggregation and collected (one number per candidate), then every
    pair adds its two terms to D through a broadcast of ln r. No join or shuffle of the mirrored
    pairs, whose sort-merge joins and re-counts (each branch recomputed the pairs) made the 5M
    run's KL cost eight times the counting.
    """
    from pyspark.sql import functions as F

    from bibliomap.engines.spark_pairs import counted_pairs

    spark = rows.sparkSession
    x = rows.join(candidates, "term").select("doc", F.col("pos").alias("item"), F.lit(1.0).alias("weight"))
    upper = (counted_pairs(x, partitions, "full" if counting == "full" else "binary").where(F.col("kind") == 0)
             .select(F.col("a").alias("i"), F.col("b").alias("j"), F.col("x").alias("c")).persist())
    try:
        ends = upper.select("i", "c").unionByName(upper.select(F.col("j").alias("i"), "c"))
        sums = _collect(ends.groupBy("i").agg(F.sum("c").alias("r")))
        if sums.empty:
            return pd.DataFrame({"pos": np.zeros(0, np.int64), "kl": np.zeros(0)})
        log_r = _small(spark, pd.DataFrame({"i": sums["i"].to_numpy(np.int64), "lr": np.log(sums["r"].to_numpy(float))}),
                       "i long, lr double")
        with_logs = (upper.join(F.broadcast(log_r), "i")
                     .join(F.broadcast(log_r.select(F.col("i").alias("j"), F.col("lr").alias("lrj"))), "j"))
        lc = F.log(F.col("c"))
        terms = with_logs.select(F.col("i"), (F.col("c") * (lc - F.col("lrj"))).alias("d")).unionByName(
            with_logs.select(F.col("j").alias("i"), (F.col("c") * (lc - F.col("lr"))).alias("d")))
        d = _collect(terms.groupBy("i").agg(F.sum("d").alias("d")))
    finally:
        upper.unpersist()
    r = sums.set_index("i")["r"]
    d = d.set_index("i")["d"].reindex(r.index).to_numpy(float)
    r_values = r.to_numpy(float)
    total = r_values.sum()
    return pd.DataFrame({"pos": r.index.to_numpy(np.int64), "kl": d / r_values + np.log(total / r_values)})


def selected_occurrences(rows: Any, targets: Any, counting: str, nested: bool) -> Any:
    """The fallback occurrence table (doc, term, count) of the selected terms, counted on the executors.

    ``targets``: (term, target) for every vocabulary term that counts toward a selected one.
    With nested sub-phrases, one textual occurrence (f, doc, k) counts a target once.
    """
    from pyspark.sql import functions as F

    hits = rows.join(targets, "term")
    if nested:
        hits = hits.dropDuplicates(["f", "doc", "k", "target"])
    counted = hits.groupBy("doc", "target").agg(F.count(F.lit(1)).alias("count"))
    if counting == "binary":
        counted = counted.withColumn("count", F.lit(1).cast("long"))
    return counted.select("doc", F.col("target").alias("term"), "count")


def sorted_occurrences(counted: Any, n_labels: int, counting: str,
                       before_reading: Callable[[], Any] | None = None) -> pd.DataFrame:
    """The (doc, term, count) table ``counted`` in this process, sorted by document and term, as int64 columns.

    The executors send one key per row, ``doc * n_labels + term`` (and the count with full counting;
    binary counts are all 1), which this process reads column-wise (``collected_columns``) and sorts
    in place: at five million abstracts the table has hundreds of millions of rows, and its Arrow,
    pandas and sorted copies did not fit beside the Spark JVM. The keys are unique (one row per
    document and term), so any sort gives the same order."""
    from pyspark.sql import functions as F

    width = max(n_labels, 1)
    columns = {"key": np.int64} if counting == "binary" else {"key": np.int64, "count": np.int64}
    keyed = counted.select((F.col("doc") * F.lit(width) + F.col("term")).alias("key"), "count")
    got = collected_columns(keyed, columns, before_reading)
    key = got.pop("key")
    if counting == "binary":
        key.sort()
        count = np.ones(len(key), np.int64)
    else:
        order = np.argsort(key)
        key = key[order]
        count = got.pop("count")[order]
        del order
    doc = key // width
    np.remainder(key, width, out=key)
    return pd.DataFrame({"doc": doc, "term": key, "count": count}, copy=False)


def nested_rows(spark: Any, rows: Any, vocabulary: list[str]) -> tuple[Any, list[str]]:
    """``rows`` plus a row for every attested sub-phrase inside each occurrence (same f, doc, k), and the
    vocabulary grown by them (``bibliomap.text.terms.nested_occurrences``, the sub-phrases found here)."""
    from pyspark.sql import functions as F

    from bibliomap.text.terms import _attested_subphrases

    grown, subs = _attested_subphrases(vocabulary)
    pairs = pd.DataFrame({"term": [vocabulary[t] for t, s in enumerate(subs) for _ in s],
                          "sub": [grown[k] for s in subs for k in s]})
    if pairs.empty:
        return rows, grown
    extra = (rows.join(_small(spark, pairs, "term string, sub string"), "term")
             .select("doc", "f", "k", F.col("sub").alias("term")))
    return rows.unionByName(extra), grown


def extract_terms_spark(spark: Any, corpus: Any, fields: Sequence[str] = ("title", "abstract"), counting: str = "binary",
                        min_occurrences: int = 10, keep: float = 0.6, n_terms: int | None = None, thesaurus: Any = None,
                        ignore_structured_labels: bool = True, ignore_copyright: bool = True, tagger: Any = None,
                        specificity_weight: float | None = None, nested: bool = False, background: Any = None,
                        keyword_evidence: bool = False, boilerplate_evenness: float | None = BOILERPLATE_EVENNESS,
                        documents_per_task: int = 2000, **unused: Any) -> Any:
    """:func:`bibliomap.text.terms.extract_terms` computed on ``spark``: the same TermResult (``phrases`` None).

    ``corpus``: a Corpus, DataFrame or texts, or a :class:`~bibliomap.corpus.stored.StoredCorpus` (a saved
    corpus the executors read themselves: the driver reads only its titles and keywords)."""
    from pyspark.sql import functions as F

    from bibliomap.engines.spark_pairs import shuffle_partitions
    from bibliomap.engines.spark_selection import TermStatistics, select_from_statistics
    from bibliomap.text.background import title_fingerprints
    from bibliomap.text.terms import COUNTING
    from bibliomap.text.thesaurus import Thesaurus

    if unused:
        raise TypeError(f"unexpected options {', '.join(sorted(unused))}")
    if counting not in COUNTING:
        raise ValueError(f"counting must be 'binary' or 'full', not {counting!r}")
    fields = tuple(fields)
    for f in fields:
        if f not in ("title", "abstract"):
            raise ValueError(f"unknown text field {f!r}: expected 'title' and/or 'abstract'")
    if isinstance(thesaurus, (str, bytes)) or hasattr(thesaurus, "__fspath__"):
        thesaurus = Thesaurus.read(thesaurus)
    weight = SPECIFICITY_WEIGHT if specificity_weight is None else specificity_weight
    with staging_folder(spark, "bibliomap-spark-texts-") as folder:
        occ, n_docs = occurrence_frame(spark, corpus, fields, folder, ignore_structured_labels, ignore_copyright,
                                       thesaurus, tagger, documents_per_task)
        try:
            occ_read = read_in_fewer_tasks(occ, shuffle_partitions(spark))
            rows = occ_read.where(F.col("term").isNotNull()).select("doc", "f", "k", "term")
            title_field = fields.index("title") if "title" in fields else None
            if nested:
                first = rows.groupBy("term").agg(F.min(F.struct("f", "doc", "k")).alias("first"))
                first_seen = _collect(first.select("term", "first.f", "first.doc", "first.k"))
                vocabulary = first_seen.sort_values(["f", "doc", "k"])["term"].tolist()
                rows, vocabulary = nested_rows(spark, rows, vocabulary)
                stats = _collect(term_statistics(rows, title_field))
            else:
                stats = _collect(term_statistics(rows, title_field, with_first=True)
                                 .select("term", "rows", "docs", "title_docs", "first.f", "first.doc", "first.k"))
                stats = stats.sort_values(["f", "doc", "k"])
                vocabulary = stats["term"].tolist()
            n_tokens = int(_collect(occ_read.agg(F.sum("tokens").alias("n")))["n"].fillna(0).iloc[0])
            per_term = stats.set_index("term").reindex(vocabulary)
            titles, keywords = _titles_and_keywords(corpus, title_field is not None)  # not the abstracts again
            defined = _collect(occ_read.where(F.col("definition").isNotNull()).groupBy("definition")
                               .agg(F.sum("k").alias("n")))
            statistics = TermStatistics(
                vocabulary=vocabulary, rows=per_term["rows"].to_numpy(np.int64),
                documents=per_term["docs"].to_numpy(np.int64),
                title_documents=per_term["title_docs"].to_numpy(np.int64) if title_field is not None else None,
                n_documents=n_docs, n_tokens=n_tokens,
                fingerprints=title_fingerprints(titles),
                keywords=keywords,
                acronyms={tuple(d.split(DEFINITION_JOIN)): int(c)
                          for d, c in zip(defined.get("definition", []), defined.get("n", []))})
            del stats, per_term  # the vocabulary's strings once more: not needed while the occurrences are read

            def kl(candidates: np.ndarray) -> np.ndarray:
                table = pd.DataFrame({"term": [vocabulary[i] for i in candidates], "pos": np.arange(len(candidates))})
                got = candidate_kl(rows, F.broadcast(_small(spark, table, "term string, pos long")), counting,
                                   shuffle_partitions(spark))
                out = np.zeros(len(candidates))
                out[got["pos"].to_numpy(np.int64)] = got["kl"].to_numpy(float)
                return out

            def occurrences(targets: np.ndarray) -> pd.DataFrame:
                keep_terms = np.flatnonzero(targets >= 0)
                table = pd.DataFrame({"term": [vocabulary[i] for i in keep_terms], "target": targets[keep_terms]})
                counted = selected_occurrences(rows, _small(spark, table, "term string, target long"), counting, nested)
                return sorted_occurrences(counted, int(targets.max()) + 1 if len(targets) else 0, counting,
                                          before_reading=occ.unpersist)

            return select_from_statistics(statistics, kl, occurrences, counting, min_occurrences, keep, n_terms, fields,
                                          weight, background, keyword_evidence, boilerplate_evenness)
        finally:
            occ.unpersist()
