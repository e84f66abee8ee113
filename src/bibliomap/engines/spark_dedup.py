"""Deduplication blocked by key on Spark: the candidate links of ``bibliomap.corpus.dedup`` found on the executors.

The records' keys (identifiers, normalized title, first-author surname, year) become a
DataFrame; the executors find, with the same rules and in the same order as
:func:`bibliomap.corpus.dedup.candidate_links`:

1. per identifier field, the records sharing a value (grouped by the value), each linked to
   the group's first record;
2. the pairs sharing normalized title and surname, years at most one apart (grouped by
   title and surname);
3. the near-identical titles: per surname, records sorted by title (and by reversed title),
   each paired with the next 20 of its surname, years at most one apart, scored with the
   same rapidfuzz ratio in the tasks.

Only the links come back; the driver applies them in order to the union-find that refuses
conflicting ids (``dedup.link_groups``, a sequential step over the links, not the records),
so the kept records, the groups and the rules are identical to in-process.
"""
from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd

from bibliomap.corpus.dedup import DedupKeys, Link
from bibliomap.corpus.schema import ID_FIELDS
from bibliomap.engines.spark_session import quiet_pandas_warning
from bibliomap.engines.spark_staging import staged_frame, staging_folder

#: neighbours compared per record in each sorted order (``dedup._fuzzy_pairs``' window)
WINDOW = 20
#: the collected links: stage (0 ids, 1 title, 2 fuzzy), identifier field position, group's first row, a, b
LINK_SCHEMA = "stage int, field int, g long, a long, b long"


def keys_frame(spark: Any, keys: DedupKeys, folder: str) -> Any:
    """The keys as a DataFrame (row, one column per identifier field, title, surname, year, long), staged as Parquet
    in ``folder`` (``spark_staging``: millions of keys never pass through the driver JVM)."""
    import pyarrow as pa

    n = len(keys.titles)
    columns = {"row": pa.array(np.arange(n, dtype=np.int64))}
    for f, col in keys.ids.items():
        columns[f] = pa.array([v if v else None for v in col.tolist()], pa.string())
    columns.update(title=pa.array(keys.titles.tolist(), pa.string()), surname=pa.array(keys.surnames.tolist(), pa.string()),
                   year=pa.array(keys.years, pa.int64()), long=pa.array(keys.long_title))
    return staged_frame(spark, pa.table(columns), folder)


def _id_links(frame: Any) -> Any:
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    parts = []
    for k, f in enumerate(ID_FIELDS):
        by_value = Window.partitionBy(f)
        shared = (frame.where(F.col(f).isNotNull()).select(f, "row")
                  .withColumn("g", F.min("row").over(by_value)).where(F.col("row") != F.col("g")))
        parts.append(shared.select(F.lit(0).alias("stage"), F.lit(k).alias("field"), "g", F.col("g").alias("a"),
                                   F.col("row").alias("b")))
    return functools.reduce(lambda x, y: x.unionByName(y), parts)


def _title_links(eligible: Any) -> Any:
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    keyed = eligible.withColumn("g", F.min("row").over(Window.partitionBy("title", "surname")))
    a = keyed.select("title", "surname", "g", F.col("row").alias("a"), F.col("year").alias("ya"))
    b = keyed.select("title", "surname", F.col("row").alias("b"), F.col("year").alias("yb"))
    return (a.join(b, ["title", "surname"]).where((F.col("a") < F.col("b")) & (F.abs(F.col("ya") - F.col("yb")) <= 1))
            .select(F.lit(1).alias("stage"), F.lit(0).alias("field"), "g", "a", "b"))


def _neighbour_pairs(eligible: Any, key: Any) -> Any:
    """(lo, hi) of records within WINDOW places of each other among their surname's, sorted by ``key`` then row."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    ranked = eligible.withColumn("rank", F.row_number().over(Window.partitionBy("surname").orderBy(key, "row")))
    ahead = (ranked.select("surname", F.col("row").alias("a"), F.col("year").alias("ya"),
                           F.explode(F.sequence(F.col("rank") + 1, F.col("rank") + WINDOW)).alias("rank")))
    behind = ranked.select("surname", "rank", F.col("row").alias("b"), F.col("year").alias("yb"))
    near = ahead.join(behind, ["surname", "rank"]).where(F.abs(F.col("ya") - F.col("yb")) <= 1)
    return near.select(F.least("a", "b").alias("lo"), F.greatest("a", "b").alias("hi"))


def _scored(threshold: float, frames: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
    """One task: the pairs whose titles' rapidfuzz ratio reaches ``threshold`` (as ``dedup._fuzzy_pairs`` scores them)."""
    from rapidfuzz import fuzz, process

    for frame in frames:
        if frame.empty:
            continue
        scores = process.cpdist(frame["tlo"].tolist(), frame["thi"].tolist(), scorer=fuzz.ratio,
                                score_cutoff=threshold * 100.0, workers=1)
        kept = frame[np.asarray(scores) >= threshold * 100.0]
        yield pd.DataFrame({"stage": np.full(len(kept), 2, np.int32), "field": np.zeros(len(kept), np.int32),
                            "g": kept["lo"].to_numpy(np.int64), "a": kept["lo"].to_numpy(np.int64),
                            "b": kept["hi"].to_numpy(np.int64)})


def _fuzzy_links(eligible: Any, threshold: float) -> Any:
    from pyspark.sql import functions as F

    pairs = _neighbour_pairs(eligible, F.col("title")).unionByName(_neighbour_pairs(eligible, F.reverse("title"))).distinct()
    titles = eligible.select("row", "title")
    with_titles = (pairs.join(titles.select(F.col("row").alias("lo"), F.col("title").alias("tlo")), "lo")
                   .join(titles.select(F.col("row").alias("hi"), F.col("title").alias("thi")), "hi"))
    return with_titles.mapInPandas(functools.partial(_scored, threshold), LINK_SCHEMA)


def candidate_links_spark(spark: Any, keys: DedupKeys, fuzzy: bool = True, fuzzy_threshold: float = 0.95) -> list[Link]:
    """:func:`bibliomap.corpus.dedup.candidate_links` found on ``spark``: the same links in the same order."""
    from pyspark.sql import functions as F

    if len(keys.titles) < 2:
        return []
    with staging_folder(spark, "bibliomap-spark-dedup-") as folder:
        frame = keys_frame(spark, keys, folder)
        eligible = frame.where(F.col("long") & (F.col("surname") != "")).select("row", "title", "surname", "year")
        links = _id_links(frame).unionByName(_title_links(eligible))
        if fuzzy:
            links = links.unionByName(_fuzzy_links(eligible, fuzzy_threshold))
        with quiet_pandas_warning():
            got = links.toPandas()
    got = got.sort_values(["stage", "field", "g", "a", "b"], kind="mergesort")
    rules = [*ID_FIELDS, "title_year_author", "fuzzy_title"]
    rule = np.where(got["stage"].to_numpy() == 0, got["field"].to_numpy(), len(ID_FIELDS) + got["stage"].to_numpy() - 1)
    return [(a, b, rules[r], r >= len(ID_FIELDS))
            for a, b, r in zip(got["a"].tolist(), got["b"].tolist(), rule.tolist())]
