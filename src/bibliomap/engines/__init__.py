"""Where the stages that grow with the corpus run: in-process (default) or Apache Spark.

Each stage has a plain contract in its own layer and a context variable through which an
engine replaces its work, so the lower layers never import this package:

- reading exports: :func:`bibliomap.io.ingest.reading_with` and, for an ingest written straight
  to a file, :func:`bibliomap.io.ingest_stored.reading_parts_with` (Spark: ``spark_reading``,
  one task per file or split writing Parquet);
- deduplication's candidate links: :func:`bibliomap.corpus.dedup.linking_with`
  (``spark_dedup``, blocked by key on the executors);
- term extraction: :func:`bibliomap.text.terms.extracting_with` (``spark_terms``: tagging,
  counts and co-occurrence on the executors, selection on the driver);
- counting: :func:`bibliomap.networks.counting.counting_with`, the contract of
  :func:`bibliomap.networks.counting.count_cooccurrences` (document ids, item ids,
  weights, the method, the per-document item limit in; a symmetric CSR matrix and
  per-item totals out; ``spark_counting``).

:func:`engine` chooses one for a block of work:

    with engine("spark", master="local[*]"):
        network = build_network(corpus, "bibliographic-coupling", "documents")

pyspark is imported only when the Spark engine is chosen.
"""
from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from typing import Any

from bibliomap.engines.spark_session import EngineError
from bibliomap.networks.counting import count_cooccurrences, counting_with

#: engine names the command line accepts
ENGINE_NAMES = ("inprocess", "spark")


def _spark_counter(spark: Any):
    from bibliomap.engines.spark_counting import SparkCounter

    return SparkCounter(spark)


#: name -> function with the contract above, given the engine's session (None in-process)
ENGINES = {"inprocess": lambda session=None: count_cooccurrences, "spark": _spark_counter}


def _reading(session: Any) -> contextlib.AbstractContextManager:
    """Reading exports in Spark tasks (one per file, landing as Parquet; classic sessions and Spark Connect)."""
    from bibliomap.io.ingest import reading_with
    from bibliomap.io.ingest_stored import reading_parts_with
    from bibliomap.engines.spark_reading import spark_file_reader, spark_part_reader

    stack = contextlib.ExitStack()
    stack.enter_context(reading_with(spark_file_reader(session)))
    stack.enter_context(reading_parts_with(spark_part_reader(session)))
    return stack


def _extracting(session: Any) -> contextlib.AbstractContextManager:
    """Term extraction (``text.terms.extract_terms``, in terms, map and study) with its work on ``session``."""
    from bibliomap.engines.spark_terms import extract_terms_spark
    from bibliomap.text.terms import extracting_with

    return extracting_with(functools.partial(extract_terms_spark, session))


def _linking(session: Any) -> contextlib.AbstractContextManager:
    """Deduplication (``corpus.dedup.find_duplicates``, in every ingest) with its blocking by key on ``session``."""
    from bibliomap.corpus.dedup import linking_with
    from bibliomap.engines.spark_dedup import candidate_links_spark

    return linking_with(functools.partial(candidate_links_spark, session))


@contextlib.contextmanager
def engine(name: str = "inprocess", master: str | None = None, conf: dict[str, str] | None = None) -> Iterator[Any]:
    """Read exports and count networks inside the block on engine ``name``; yields its session (None in-process).

    A SparkSession started here is stopped at the end of the block; one that was
    already running (a notebook's, spark-submit's) is left running.
    """
    if name not in ENGINE_NAMES:
        raise EngineError(f"unknown engine {name!r}; expected one of {', '.join(ENGINE_NAMES)}")
    if name == "inprocess":  # (a master is Spark's; in-process ignores it)
        yield None
        return
    from bibliomap.engines.spark_session import active_session, spark_session

    running = active_session()
    session = running if running is not None and not master else spark_session(master, conf)
    try:
        with counting_with(ENGINES["spark"](session)), _reading(session), _extracting(session), _linking(session):
            yield session
    finally:
        if session is not running:
            session.stop()


__all__ = ["ENGINES", "ENGINE_NAMES", "EngineError", "count_cooccurrences", "engine"]
